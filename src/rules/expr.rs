//! The glue between rule files and the CEL expression engine: `{列名}` placeholders become
//! variables, cell values become typed CEL values, and the functions rules may call (`rows`,
//! `count`, `sum`, `lookup` …) are served from indexes built once per run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cel::extractors::Arguments;
use cel::{Context, Env, ExecutionError, Program, Value};
use chrono::{Datelike, NaiveDate};

use crate::schema::{Kind, Table};
use crate::value::comparable;

/// Functions rules may call besides CEL's own.
pub const OWN_FUNCTIONS: [&str; 11] = [
    "items", "year", "start", "end", "age", "isbn_ok", "rows", "count", "sum", "distinct", "figure",
];
const LOOKUP: &str = "lookup";
/// CEL's standard functions and macros.
const CEL_FUNCTIONS: [&str; 23] = [
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bool",
    "bytes",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "max",
    "min",
    "type",
    "dyn",
    "duration",
    "timestamp",
];
/// Functions that take a table (and column names) as their leading literal arguments, with the
/// positions of their column-name arguments.
const TABLE_FUNCTIONS: [(&str, &[usize], &[usize]); 6] = [
    ("rows", &[], &[1]),
    ("count", &[1, 3], &[3, 5]),
    ("sum", &[1, 2], &[2, 4]),
    ("distinct", &[1], &[2]),
    ("figure", &[1], &[2]),
    ("lookup", &[1, 3], &[4]),
];

/// A compiled expression and the columns its placeholders stand for.
pub struct Expr {
    pub source: String,
    program: Program,
    /// (variable name, column index) per placeholder.
    pub vars: Vec<(String, usize)>,
    /// Tables named in table functions.
    pub tables: Vec<String>,
    /// (table, column) pairs named in table functions.
    pub columns: Vec<(String, String)>,
}

/// A message template: text, cells and expressions.
pub struct Message {
    pub parts: Vec<Segment>,
}

pub enum Segment {
    Text(String),
    Cell(usize),
    Expr(Expr),
}

impl Message {
    /// Column indexes of every cell the message shows, directly or in an expression.
    pub fn columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for p in &self.parts {
            match p {
                Segment::Cell(c) => out.push(*c),
                Segment::Expr(e) => out.extend(e.vars.iter().map(|v| v.1)),
                Segment::Text(_) => {}
            }
        }
        out
    }
}

pub fn var_name(col: usize) -> String {
    format!("_c{col}")
}

/// Everything a compile needs to resolve names.
pub struct Scope<'a> {
    pub env: &'a Env,
    pub table: &'a Table,
    /// Every table of the edition: id → table.
    pub tables: &'a HashMap<String, &'a Table>,
    /// Extra variable names the expression may use (`Y`, `registered` …).
    pub extra_vars: &'a [&'a str],
}

/// `4`, `2,3`, `2,`: the inside of a regular expression's repetition, not a column name.
fn is_quantifier(inner: &str) -> bool {
    let mut parts = inner.splitn(2, ',');
    let first = parts.next().unwrap_or("");
    let second = parts.next().unwrap_or("");
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_digit())
        && second.chars().all(|c| c.is_ascii_digit())
}

/// Compiles an expression with `{列名}` placeholders.
pub fn compile(source: &str, scope: &Scope<'_>) -> Result<Expr, String> {
    let mut out = String::new();
    let mut vars: Vec<(String, usize)> = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("“{{” without “}}” in `{source}`"));
        };
        let name = after[..close].trim();
        if is_quantifier(name) {
            // `{4}`, `{2,3}` in a regular expression: not a placeholder.
            out.push_str(&rest[open..open + close + 2]);
            rest = &after[close + 1..];
            continue;
        }
        let Some(ci) = scope.table.column_index(name) else {
            return Err(format!(
                "`{{{name}}}` is not a column of 表{} (columns: {})",
                scope.table.id,
                scope
                    .table
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let v = var_name(ci);
        if !vars.iter().any(|(n, _)| *n == v) {
            vars.push((v.clone(), ci));
        }
        out.push_str(&v);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    let program = scope
        .env
        .compile(&out)
        .map_err(|e| format!("`{source}` is not a valid CEL expression: {e}"))?;
    let refs = program.references();
    for f in refs.functions() {
        // Operators (`_==_`, `@in`, `!_`) are functions to CEL too.
        let operator = f.starts_with('_') || !f.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !operator && !OWN_FUNCTIONS.contains(&f) && f != LOOKUP && !CEL_FUNCTIONS.contains(&f) {
            let hint = if f == "value" {
                " (the single-record figure is figure('表号', '列'))"
            } else {
                ""
            };
            return Err(format!("`{source}` calls an unknown function {f}(){hint}"));
        }
    }
    // Variables that macros bind: `items(x).filter(t, t == '网络教师')`.
    let bound = macro_variables(&out);
    for v in refs.variables() {
        if !v.starts_with("_c") && !scope.extra_vars.contains(&v) && !bound.iter().any(|b| b == v) {
            return Err(format!(
                "`{source}` uses `{v}`, which is neither a placeholder {{列名}} nor one of {}",
                scope.extra_vars.join(", ")
            ));
        }
    }
    let (tables, columns) = table_arguments(source, scope)?;
    Ok(Expr {
        source: source.to_string(),
        program,
        vars,
        tables,
        columns,
    })
}

fn macro_variables(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in ["all", "exists", "exists_one", "map", "filter"] {
        let pat = format!(".{m}(");
        let mut from = 0;
        while let Some(p) = source[from..].find(&pat) {
            let start = from + p + pat.len();
            from = start;
            if let Some(comma) = source[start..].find(',') {
                let name = source[start..start + comma].trim();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    out.push(name.to_string());
                }
            }
        }
    }
    out
}

/// Checks the literal table and column names given to table functions; returns the tables.
type Named = (Vec<String>, Vec<(String, String)>);

fn table_arguments(source: &str, scope: &Scope<'_>) -> Result<Named, String> {
    let mut tables = Vec::new();
    let mut columns = Vec::new();
    for (name, col_positions, arities) in TABLE_FUNCTIONS {
        let mut from = 0;
        while let Some(pos) = source[from..].find(name).map(|p| p + from) {
            from = pos + name.len();
            let before_ok = source[..pos]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
            let after = source[from..].trim_start();
            if !before_ok || !after.starts_with('(') {
                continue;
            }
            let args = split_arguments(&after[1..]);
            let literal = |i: usize| -> Option<String> {
                let a = args.get(i)?.trim();
                let inner = a.strip_prefix('\'').and_then(|a| a.strip_suffix('\''))?;
                Some(inner.to_string())
            };
            let Some(t) = literal(0) else {
                return Err(format!(
                    "`{source}`: the first argument of {name}() must be a table number in quotes"
                ));
            };
            let Some(table) = scope.tables.get(t.as_str()) else {
                return Err(format!("`{source}`: {name}() names no table 表{t}"));
            };
            if !arities.contains(&args.len()) {
                return Err(format!(
                    "`{source}`: {name}() takes {} arguments, not {}",
                    arities
                        .iter()
                        .map(|a| a.to_string())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    args.len()
                ));
            }
            if name == "figure" && table.shape != crate::schema::Shape::Single {
                return Err(format!(
                    "`{source}`: figure() reads a single-record table; 表{t} has many records"
                ));
            }
            for &i in col_positions {
                if i >= args.len() {
                    continue;
                }
                let Some(c) = literal(i) else {
                    return Err(format!(
                        "`{source}`: argument {} of {name}() must be a column name in quotes",
                        i + 1
                    ));
                };
                let Some(ci) = table.column_index(&c) else {
                    return Err(format!(
                        "`{source}`: {name}() names “{c}”, which is not a column of 表{t}"
                    ));
                };
                let numeric = matches!(table.columns[ci].kind, Kind::Integer | Kind::Decimal);
                if name == "sum" && i == 1 && !numeric {
                    return Err(format!(
                        "`{source}`: sum() adds “{c}” of 表{t}, which is not a number column"
                    ));
                }
                columns.push((t.clone(), c));
            }
            if !tables.contains(&t) {
                tables.push(t);
            }
        }
    }
    Ok((tables, columns))
}

/// The top-level comma-separated arguments of a call, up to its closing parenthesis.
fn split_arguments(s: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                cur.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                cur.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        args.push(cur);
    }
    args
}

/// Parses a message template: `{列名}` and `{=expression}` (which may hold placeholders).
pub fn message(template: &str, scope: &Scope<'_>) -> Result<Message, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '{' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        // Find the matching close brace.
        let mut depth = 0;
        let mut j = i;
        while j < chars.len() {
            match chars[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= chars.len() {
            return Err(format!("“{{” without “}}” in the message `{template}`"));
        }
        let inner: String = chars[i + 1..j].iter().collect();
        if !text.is_empty() {
            parts.push(Segment::Text(std::mem::take(&mut text)));
        }
        if let Some(e) = inner.strip_prefix('=') {
            parts.push(Segment::Expr(compile(e, scope)?));
        } else {
            let name = inner.trim();
            let ci = scope.table.column_index(name).ok_or_else(|| {
                format!(
                    "the message names `{{{name}}}`, which is not a column of 表{}",
                    scope.table.id
                )
            })?;
            parts.push(Segment::Cell(ci));
        }
        i = j + 1;
    }
    if !text.is_empty() {
        parts.push(Segment::Text(text));
    }
    Ok(Message { parts })
}

impl Expr {
    pub fn execute(&self, ctx: &Context<'_, '_>) -> Result<Value, ExecutionError> {
        self.program.execute(ctx)
    }
}

/// A cell value as a typed CEL value: int for integer and year columns, double for decimal,
/// string otherwise (and for sentinels). `None` when the text does not read as its kind.
pub fn typed(kind: Kind, text: &str, sentinel: bool) -> Value {
    if sentinel {
        return Value::String(Arc::new(text.to_string()));
    }
    match kind {
        Kind::Integer | Kind::Year => match text.parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => match text.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 => Value::Int(f as i64),
                _ => Value::String(Arc::new(text.to_string())),
            },
        },
        Kind::Decimal => match text.parse::<f64>() {
            Ok(f) => Value::Float(f),
            Err(_) => Value::String(Arc::new(text.to_string())),
        },
        _ => Value::String(Arc::new(text.to_string())),
    }
}

/// A value as a clerk reads it in a message.
pub fn show(v: &Value) -> String {
    match v {
        Value::Int(n) => n.to_string(),
        Value::UInt(n) => n.to_string(),
        Value::Float(f) => show_number(*f),
        Value::String(s) => s.to_string(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::Null => "（空）".to_string(),
        Value::List(l) => l.iter().map(show).collect::<Vec<_>>().join(";"),
        other => format!("{other:?}"),
    }
}

pub fn show_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One table's checked values, as the table functions see them.
pub struct TableData {
    pub columns: Vec<(String, Kind)>,
    /// Per record, per column: the normal text and its items, None when empty or unreadable.
    pub rows: Vec<Vec<Option<CellData>>>,
}

#[derive(Debug, Clone)]
pub struct CellData {
    pub text: String,
    pub items: Vec<String>,
    pub sentinel: bool,
}

impl TableData {
    fn col(&self, name: &str) -> Result<usize, String> {
        self.columns
            .iter()
            .position(|(n, _)| n == name)
            .ok_or_else(|| format!("“{name}” is not a column"))
    }
}

/// Comparable value → the records holding it.
type ValueIndex = Arc<HashMap<String, Vec<usize>>>;

/// The data of a run and the indexes built on it on demand.
pub struct Store {
    pub tables: HashMap<String, TableData>,
    /// (table, column) → its value index.
    index: Mutex<HashMap<(String, usize), ValueIndex>>,
    pub year: i32,
}

impl Store {
    pub fn new(tables: HashMap<String, TableData>, year: i32) -> Store {
        Store {
            tables,
            index: Mutex::new(HashMap::new()),
            year,
        }
    }

    fn table(&self, id: &str) -> Result<&TableData, String> {
        self.tables
            .get(id)
            .ok_or_else(|| format!("表{id} was not handed in"))
    }

    /// Records of `table` whose column holds `value` (any item), by comparable form.
    fn index(&self, table: &str, col: usize) -> Result<ValueIndex, String> {
        let key = (table.to_string(), col);
        if let Some(ix) = self.index.lock().map_err(|e| e.to_string())?.get(&key) {
            return Ok(ix.clone());
        }
        let t = self.table(table)?;
        let mut ix: HashMap<String, Vec<usize>> = HashMap::new();
        for (ri, row) in t.rows.iter().enumerate() {
            if let Some(c) = &row[col] {
                for item in &c.items {
                    let e = ix.entry(comparable(item)).or_default();
                    if e.last() != Some(&ri) {
                        e.push(ri);
                    }
                }
            }
        }
        let ix = Arc::new(ix);
        self.index
            .lock()
            .map_err(|e| e.to_string())?
            .insert(key, ix.clone());
        Ok(ix)
    }

    fn matching(&self, table: &str, column: &str, value: &Value) -> Result<Vec<usize>, String> {
        let t = self.table(table)?;
        let ci = t.col(column)?;
        let ix = self.index(table, ci)?;
        Ok(ix
            .get(&comparable(&show(value)))
            .cloned()
            .unwrap_or_default())
    }

    fn typed_at(&self, table: &str, row: usize, column: &str) -> Result<Value, String> {
        let t = self.table(table)?;
        let ci = t.col(column)?;
        Ok(match t.rows.get(row).and_then(|r| r[ci].as_ref()) {
            Some(c) => typed(t.columns[ci].1, &c.text, c.sentinel),
            None => Value::Null,
        })
    }

    fn number_at(&self, table: &str, row: usize, ci: usize) -> f64 {
        self.tables
            .get(table)
            .and_then(|t| t.rows.get(row))
            .and_then(|r| r[ci].as_ref())
            .and_then(|c| c.text.parse::<f64>().ok())
            .unwrap_or(0.0)
    }
}

fn fail(function: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

fn string_arg(args: &[Value], i: usize, function: &str) -> Result<String, ExecutionError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(fail(
            function,
            format!("argument {} should be a string, got {other:?}", i + 1),
        )),
        None => Err(fail(function, format!("argument {} is missing", i + 1))),
    }
}

/// The first and last day of a date-like normal form: `2023`, `2023-09`, `202309`, `2023-09-01`.
pub fn span(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let y: i32 = digits.get(..4)?.parse().ok()?;
    match digits.len() {
        4 => Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        )),
        6 => {
            let m: u32 = digits[4..6].parse().ok()?;
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        8 => {
            let d =
                NaiveDate::from_ymd_opt(y, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?)?;
            Some((d, d))
        }
        _ => None,
    }
}

pub fn ymd(d: NaiveDate) -> i64 {
    d.year() as i64 * 10000 + d.month() as i64 * 100 + d.day() as i64
}

fn date_arg(args: &[Value], function: &str) -> Result<(NaiveDate, NaiveDate), ExecutionError> {
    let s = match args.first() {
        Some(Value::Int(n)) => n.to_string(),
        Some(v) => show(v),
        None => return Err(fail(function, "argument 1 is missing")),
    };
    span(&s).ok_or_else(|| fail(function, format!("“{s}” is not a date")))
}

/// ISBN-13 or ISBN-10 check digit.
pub fn isbn_ok(s: &str) -> bool {
    let chars: Vec<char> = s
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '－'))
        .collect();
    match chars.len() {
        13 if chars.iter().all(|c| c.is_ascii_digit()) => {
            let sum: u32 = chars
                .iter()
                .enumerate()
                .map(|(i, c)| c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            sum.is_multiple_of(10)
        }
        10 => {
            let mut sum = 0;
            for (i, c) in chars.iter().enumerate() {
                let d = match c {
                    '0'..='9' => c.to_digit(10).unwrap_or(0),
                    'X' | 'x' if i == 9 => 10,
                    _ => return false,
                };
                sum += d * (10 - i as u32);
            }
            sum.is_multiple_of(11)
        }
        _ => false,
    }
}

/// Our function names are fixed and checked by the tests: a clash with CEL's is a bug here.
fn registered(name: &str, r: Result<(), cel::DeclarationError>) {
    if let Err(e) = r {
        panic!("registering {name}(): {e:?}");
    }
}

/// A root context with every function rules may call, served from `store`.
pub fn root_context(env: Arc<Env>, store: Arc<Store>) -> Context<'static, 'static> {
    let mut ctx = Context::with_env(env);
    let r = ctx.add_function("items", |s: Arc<String>| -> Value {
        Value::List(Arc::new(
            crate::value::split_items(&s)
                .0
                .into_iter()
                .map(|i| Value::String(Arc::new(i)))
                .collect(),
        ))
    });
    registered("items", r);
    let r = ctx.add_function(
        "year",
        |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            Ok(Value::Int(date_arg(&a, "year")?.0.year() as i64))
        },
    );
    registered("year", r);
    let r = ctx.add_function(
        "start",
        |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            Ok(Value::Int(ymd(date_arg(&a, "start")?.0)))
        },
    );
    registered("start", r);
    let r = ctx.add_function(
        "end",
        |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            Ok(Value::Int(ymd(date_arg(&a, "end")?.1)))
        },
    );
    registered("end", r);
    let s = store.clone();
    let r = ctx.add_function(
        "age",
        move |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            let born = date_arg(&a, "age")?.0;
            let point =
                NaiveDate::from_ymd_opt(s.year, 9, 30).ok_or_else(|| fail("age", "year"))?;
            let mut age = point.year() - born.year();
            if (point.month(), point.day()) < (born.month(), born.day()) {
                age -= 1;
            }
            Ok(Value::Int(age as i64))
        },
    );
    registered("age", r);
    let r = ctx.add_function("isbn_ok", |s: Arc<String>| -> bool { isbn_ok(&s) });
    registered("isbn_ok", r);
    let s = store.clone();
    let r = ctx.add_function(
        "rows",
        move |t: Arc<String>| -> Result<Value, ExecutionError> {
            Ok(Value::Int(
                s.table(&t).map_err(|e| fail("rows", e))?.rows.len() as i64,
            ))
        },
    );
    registered("rows", r);
    let s = store.clone();
    let r = ctx.add_function(
        "count",
        move |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            let t = string_arg(&a, 0, "count")?;
            let c = string_arg(&a, 1, "count")?;
            let v = a
                .get(2)
                .ok_or_else(|| fail("count", "argument 3 is missing"))?;
            let mut rows = s.matching(&t, &c, v).map_err(|e| fail("count", e))?;
            if a.len() >= 5 {
                let c2 = string_arg(&a, 3, "count")?;
                let other: std::collections::HashSet<usize> = s
                    .matching(&t, &c2, &a[4])
                    .map_err(|e| fail("count", e))?
                    .into_iter()
                    .collect();
                rows.retain(|r| other.contains(r));
            } else if a.len() != 3 {
                return Err(fail("count", "count() takes 3 or 5 arguments"));
            }
            Ok(Value::Int(rows.len() as i64))
        },
    );
    registered("count", r);
    let s = store.clone();
    let r = ctx.add_function(
        "sum",
        move |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            let t = string_arg(&a, 0, "sum")?;
            let c = string_arg(&a, 1, "sum")?;
            let data = s.table(&t).map_err(|e| fail("sum", e))?;
            let ci = data.col(&c).map_err(|e| fail("sum", e))?;
            let rows: Vec<usize> = match a.len() {
                2 => (0..data.rows.len()).collect(),
                4 => {
                    let k = string_arg(&a, 2, "sum")?;
                    s.matching(&t, &k, &a[3]).map_err(|e| fail("sum", e))?
                }
                _ => return Err(fail("sum", "sum() takes 2 or 4 arguments")),
            };
            Ok(Value::Float(
                rows.iter().map(|&r| s.number_at(&t, r, ci)).sum(),
            ))
        },
    );
    registered("sum", r);
    let s = store.clone();
    let r = ctx.add_function(
        "distinct",
        move |t: Arc<String>, c: Arc<String>| -> Result<Value, ExecutionError> {
            let data = s.table(&t).map_err(|e| fail("distinct", e))?;
            let ci = data.col(&c).map_err(|e| fail("distinct", e))?;
            Ok(Value::Int(
                s.index(&t, ci).map_err(|e| fail("distinct", e))?.len() as i64,
            ))
        },
    );
    registered("distinct", r);
    let s = store.clone();
    let r = ctx.add_function(
        "figure",
        move |t: Arc<String>, c: Arc<String>| -> Result<Value, ExecutionError> {
            s.typed_at(&t, 0, &c).map_err(|e| fail("figure", e))
        },
    );
    registered("figure", r);
    let s = store;
    let r = ctx.add_function(
        LOOKUP,
        move |Arguments(a): Arguments| -> Result<Value, ExecutionError> {
            if a.len() != 4 {
                return Err(fail(LOOKUP, "lookup() takes 4 arguments"));
            }
            let t = string_arg(&a, 0, LOOKUP)?;
            let k = string_arg(&a, 1, LOOKUP)?;
            let c = string_arg(&a, 3, LOOKUP)?;
            let rows = s.matching(&t, &k, &a[2]).map_err(|e| fail(LOOKUP, e))?;
            match rows.first() {
                Some(&r) => s.typed_at(&t, r, &c).map_err(|e| fail(LOOKUP, e)),
                None => Ok(Value::Null),
            }
        },
    );
    registered(LOOKUP, r);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn_check_digits() {
        // 978030640615-7: 9+7*3+8+0*3+3+0*3+6+4*3+0+6*3+1+5*3 = 93, so the check digit is 7.
        assert!(isbn_ok("9780306406157"));
        assert!(!isbn_ok("9780306406158"));
        assert!(isbn_ok("0-306-40615-2"));
        assert!(!isbn_ok("0-306-40615-3"));
        assert!(isbn_ok("080442957X"));
        assert!(!isbn_ok("12345"));
    }

    #[test]
    fn spans_of_date_forms() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(span("2023"), Some((d(2023, 1, 1), d(2023, 12, 31))));
        assert_eq!(span("2024-02"), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(span("202312"), Some((d(2023, 12, 1), d(2023, 12, 31))));
        assert_eq!(span("2023-09-01"), Some((d(2023, 9, 1), d(2023, 9, 1))));
        assert_eq!(span("无"), None);
    }

    #[test]
    fn arguments_split_at_top_level() {
        assert_eq!(
            split_arguments("'1-6', '年级', string(Y), 'a,b') > 0"),
            vec!["'1-6'", " '年级'", " string(Y)", " 'a,b'"]
        );
    }

    #[test]
    fn numbers_show_without_trailing_zeros() {
        assert_eq!(show_number(12.0), "12");
        assert_eq!(show_number(12.5), "12.5");
        assert_eq!(show_number(0.126), "0.13");
    }
}
