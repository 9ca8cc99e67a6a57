//! Evaluating the rules over every table read in one run. Values come from the checked parts
//! (normal forms); the indexes for lookups across tables are built once per run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use cel::{Context, Env, Value};

use super::expr::{self, CellData, Segment, Store, TableData};
use super::{IfEmpty, Rule, RuleKind, Ruleset};
use crate::check::{Checked, CheckedPart, Outcome};
use crate::finding::{CellRef, Code, Finding, Location, Severity};
use crate::period::Periods;
use crate::schema::{Edition, Table};
use crate::value::comparable;

/// Where a record is: part index and record index in that part.
type At = (usize, usize);

/// Runs every rule over the outcome's parts; adds the findings to the outcome.
pub fn apply(rules: &Ruleset, edition: &Edition, outcome: &mut Outcome) {
    let run = Run::new(edition, &outcome.parts, &outcome.findings, outcome.year);
    let env = Arc::new(Env::stdlib());
    let mut root = expr::root_context(env, run.store.clone());
    root.add_variable_from_value("Y", outcome.year as i64);
    let mut findings = Vec::new();
    let mut indexes: HashMap<(String, Vec<String>), Arc<TargetIndex>> = HashMap::new();
    for rule in &rules.rules {
        let Some(table) = edition.table(&rule.table) else {
            continue;
        };
        if !run.present(edition, &rule.table) {
            continue; // the table is missing or empty: missing-table or empty-table says so
        }
        let reasons = run.why_unchecked(edition, rule, table);
        if !reasons.is_empty() {
            findings.push(
                Finding::new(
                    Code::RuleUnchecked,
                    Severity::Info,
                    Location::default(),
                    format!(
                        "{}，规则 {}（{}）本次未检查",
                        reasons.join("；"),
                        rule.id,
                        rule.description
                    ),
                )
                .table(&rule.table)
                .rule(&rule.id),
            );
            continue;
        }
        let periods = Periods::new(outcome.year);
        let window = periods.window(table.period);
        let mut ctx = root.new_inner_scope();
        ctx.add_variable_from_value("period_start", expr::ymd(window.first));
        ctx.add_variable_from_value("period_end", expr::ymd(window.last));
        let mut eval = Eval {
            run: &run,
            rule,
            table,
            ctx: &ctx,
            failures: Failures::default(),
            out: &mut findings,
        };
        match rule.kind {
            RuleKind::Row | RuleKind::Date | RuleKind::Aggregate => eval.rows(),
            RuleKind::Uniqueness => eval.unique(),
            RuleKind::Existence | RuleKind::Exclusivity => {
                let targets: Vec<Arc<TargetIndex>> = rule
                    .targets
                    .iter()
                    .map(|t| {
                        indexes
                            .entry((t.table.clone(), t.columns.clone()))
                            .or_insert_with(|| Arc::new(TargetIndex::build(&run, edition, t)))
                            .clone()
                    })
                    .collect();
                eval.lookup(&targets);
            }
        }
        let failures = std::mem::take(&mut eval.failures);
        failures.report(rule, &mut findings);
    }
    outcome.findings.extend(findings);
}

/// The data of a run, arranged for rules.
struct Run<'a> {
    parts: &'a [CheckedPart],
    /// Table → its records, in reading order.
    rows: HashMap<String, Vec<At>>,
    /// Tables whose header was not found (column None) and columns missing from a sheet:
    /// rules that read them are not judged.
    unreadable: HashSet<(String, Option<String>)>,
    store: Arc<Store>,
}

impl<'a> Run<'a> {
    fn new(
        edition: &'a Edition,
        parts: &'a [CheckedPart],
        findings: &[Finding],
        year: i32,
    ) -> Run<'a> {
        let mut rows: HashMap<String, Vec<At>> = HashMap::new();
        for (pi, p) in parts.iter().enumerate() {
            let e = rows.entry(p.part.table.clone()).or_default();
            e.extend((0..p.values.len()).map(|ri| (pi, ri)));
        }
        let unreadable: HashSet<(String, Option<String>)> = findings
            .iter()
            .filter_map(|f| match f.code {
                Code::HeaderNotFound => Some((f.table.clone()?, None)),
                Code::MissingColumn => Some((f.table.clone()?, Some(f.column.clone()?))),
                _ => None,
            })
            .collect();
        let mut tables = HashMap::new();
        for (id, ats) in &rows {
            let Some(t) = edition.table(id) else { continue };
            let data = TableData {
                columns: t.columns.iter().map(|c| (c.name.clone(), c.kind)).collect(),
                rows: ats
                    .iter()
                    .map(|&(pi, ri)| {
                        parts[pi].values[ri]
                            .iter()
                            .map(|v| v.as_ref().filter(|v| v.valid).map(cell_data))
                            .collect()
                    })
                    .collect(),
            };
            tables.insert(id.clone(), data);
        }
        Run {
            parts,
            rows,
            unreadable,
            store: Arc::new(Store::new(tables, year)),
        }
    }

    /// Whether a table can be judged: handed in, and with records unless it is optional (an
    /// optional table sent empty says "none": 0 rows).
    fn present(&self, edition: &Edition, table: &str) -> bool {
        match self.rows.get(table) {
            Some(rows) if !rows.is_empty() => true,
            Some(_) => edition.table(table).is_some_and(|t| !t.required),
            None => false,
        }
    }

    /// Why a rule cannot be judged: a table it reads was not handed in (of a union of targets,
    /// none was), or a column it reads was not read. Empty when it can.
    fn why_unchecked(&self, edition: &Edition, rule: &Rule, table: &Table) -> Vec<String> {
        let title = |t: &str| match edition.table(t) {
            Some(tt) => tt.title(),
            None => format!("表{t}"),
        };
        let mut reasons = Vec::new();
        let any_target = rule.targets.iter().any(|t| self.present(edition, &t.table));
        for t in &rule.uses {
            let is_target = rule.targets.iter().any(|x| &x.table == t);
            if !self.present(edition, t) && (!is_target || !any_target) {
                reasons.push(format!("{}没有提供（或没有数据）", title(t)));
            }
        }
        let mut reads: Vec<(String, Option<String>)> = Vec::new();
        let exprs =
            rule.when
                .iter()
                .chain(rule.check.iter())
                .chain(rule.message.parts.iter().filter_map(|p| match p {
                    Segment::Expr(e) => Some(e),
                    _ => None,
                }));
        for e in exprs {
            for (_, ci) in &e.vars {
                reads.push((rule.table.clone(), Some(table.columns[*ci].name.clone())));
            }
            for (t, c) in &e.columns {
                reads.push((t.clone(), Some(c.clone())));
            }
            for t in &e.tables {
                reads.push((t.clone(), None));
            }
        }
        for c in rule.columns.iter().chain([&rule.cell]) {
            reads.push((rule.table.clone(), Some(c.clone())));
        }
        for t in &rule.targets {
            for c in &t.columns {
                reads.push((t.table.clone(), Some(c.clone())));
            }
        }
        reads.push((rule.table.clone(), None));
        for (t, c) in reads {
            let blocked = self.unreadable.contains(&(t.clone(), None))
                || c.as_ref()
                    .is_some_and(|c| self.unreadable.contains(&(t.clone(), Some(c.clone()))));
            if blocked {
                let why = match &c {
                    Some(c) if !self.unreadable.contains(&(t.clone(), None)) => {
                        format!("{}的“{c}”列没有读出", title(&t))
                    }
                    _ => format!("{}的表头没有读出", title(&t)),
                };
                if !reasons.contains(&why) {
                    reasons.push(why);
                }
            }
        }
        reasons
    }

    fn value(&self, at: At, ci: usize) -> Option<&Checked> {
        self.parts[at.0].values[at.1].get(ci)?.as_ref()
    }

    fn cell(&self, at: At, ci: usize) -> Option<CellRef> {
        let rec = &self.parts[at.0].part.records[at.1];
        rec.cells
            .get(ci)
            .and_then(|c| c.as_ref().map(|c| c.at))
            .or_else(|| rec.cells.iter().flatten().next().map(|c| c.at))
    }

    fn location(&self, at: At, ci: usize) -> Location {
        let p = &self.parts[at.0].part;
        Location {
            file: Some(p.file.clone()),
            sheet: Some(p.sheet.clone()),
            cell: self.cell(at, ci),
        }
    }

    /// The first part of a table, for "compared with" notes.
    fn first_part(&self, table: &str) -> Option<Location> {
        let &(pi, _) = self.rows.get(table)?.first()?;
        let p = &self.parts[pi].part;
        Some(Location::sheet(&p.file, &p.sheet))
    }
}

fn cell_data(c: &Checked) -> CellData {
    CellData {
        text: c.text.clone(),
        items: c.items.clone(),
        sentinel: c.sentinel,
    }
}

/// Value tuples of some columns of a record: one per item position when the first column is
/// multi-valued, the other multi-valued columns (`multi`) paired by position; a single-valued
/// column gives its whole value to every tuple. None when a cell is empty or unreadable; no
/// tuple when the paired lists differ in length (FM-12's rule reports that).
fn tuples(run: &Run<'_>, at: At, cols: &[usize], multi: &[bool]) -> Option<Vec<Vec<String>>> {
    let cells: Vec<&Checked> = cols
        .iter()
        .map(|&c| run.value(at, c).filter(|v| v.valid && !v.text.is_empty()))
        .collect::<Option<_>>()?;
    let n = if multi[0] {
        cells[0].items.len().max(1)
    } else {
        1
    };
    let mut out = Vec::new();
    for k in 0..n {
        let mut t = Vec::with_capacity(cells.len());
        for (c, &m) in cells.iter().zip(multi) {
            if !m {
                t.push(c.text.clone());
            } else if c.items.len() == n {
                t.push(c.items[k].clone());
            } else {
                return Some(Vec::new());
            }
        }
        out.push(t);
    }
    Some(out)
}

/// One registered tuple of a target: the other values' comparable forms, their text as written,
/// and where the row is.
struct Registered {
    rest: Vec<String>,
    shown: Vec<String>,
    at: Location,
}

/// The value tuples of a target table's columns, by the comparable form of the first value.
struct TargetIndex {
    title: String,
    by_first: HashMap<String, Vec<Registered>>,
}

impl TargetIndex {
    fn build(run: &Run<'_>, edition: &Edition, target: &super::Target) -> TargetIndex {
        let mut by_first: HashMap<String, Vec<Registered>> = HashMap::new();
        let table = edition.table(&target.table);
        let cols: Vec<usize> = table
            .map(|t| {
                target
                    .columns
                    .iter()
                    .filter_map(|c| t.column_index(c))
                    .collect()
            })
            .unwrap_or_default();
        let multi: Vec<bool> = cols
            .iter()
            .map(|&c| table.is_some_and(|t| t.columns[c].multiple))
            .collect();
        for &at in run
            .rows
            .get(&target.table)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            for t in tuples(run, at, &cols, &multi).unwrap_or_default() {
                let rest: Vec<String> = t[1..].iter().map(|s| comparable(s)).collect();
                let e = by_first.entry(comparable(&t[0])).or_default();
                if !e.iter().any(|r| r.rest == rest) {
                    e.push(Registered {
                        rest,
                        shown: t[1..].to_vec(),
                        at: run.location(at, cols[0]),
                    });
                }
            }
        }
        TargetIndex {
            title: table
                .map(Table::title)
                .unwrap_or_else(|| format!("表{}", target.table)),
            by_first,
        }
    }
}

/// Rows where a rule could not be computed: a fault of the rule file, said once per rule.
#[derive(Default)]
struct Failures {
    count: usize,
    first: Option<(String, Location)>,
}

impl Failures {
    fn add(&mut self, error: String, at: Location) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((error, at));
        }
    }

    fn report(self, rule: &Rule, out: &mut Vec<Finding>) {
        let Some((error, at)) = self.first else {
            return;
        };
        out.push(
            Finding::new(
                Code::RuleFailed,
                Severity::Warning,
                at,
                format!(
                    "规则 {}（{}）有 {} 行无法计算：{error}。这是规则文件（{}）的问题，不是数据的问题，请告知维护人员",
                    rule.id, rule.description, self.count, rule.file
                ),
            )
            .table(&rule.table)
            .rule(&rule.id),
        );
    }
}

struct Eval<'r, 'c> {
    run: &'r Run<'r>,
    rule: &'r Rule,
    table: &'r Table,
    ctx: &'c Context<'c, 'static>,
    failures: Failures,
    out: &'r mut Vec<Finding>,
}

/// Whether a row's binding held a sentinel (`无`), whose failures are not the rule's fault.
struct Bound<'c> {
    ctx: Context<'c, 'static>,
    sentinel: bool,
}

impl<'r, 'c> Eval<'r, 'c> {
    fn records(&self) -> &'r [At] {
        self.run
            .rows
            .get(&self.rule.table)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn cell_ci(&self) -> usize {
        self.table.column_index(&self.rule.cell).unwrap_or(0)
    }

    /// Binds the placeholders of the rule's expressions for one record; None when the record is
    /// not judged (a used cell empty or unreadable). `items` overrides columns with item values.
    fn bind(&self, at: At, items: &BTreeMap<usize, String>) -> Option<Bound<'c>> {
        let mut ctx = self.ctx.new_inner_scope();
        let mut sentinel = false;
        let judged: Vec<(String, usize)> = self
            .rule
            .when
            .iter()
            .chain(self.rule.check.iter())
            .flat_map(|e| e.vars.iter().cloned())
            .collect();
        for (name, ci) in &judged {
            let kind = self.table.columns[*ci].kind;
            if let Some(item) = items.get(ci) {
                ctx.add_variable_from_value(name.clone(), expr::typed(kind, item, false));
                continue;
            }
            match self.run.value(at, *ci) {
                Some(v) if !v.valid => return None,
                Some(v) if !v.text.is_empty() => {
                    sentinel |= v.sentinel;
                    ctx.add_variable_from_value(
                        name.clone(),
                        expr::typed(kind, &v.text, v.sentinel),
                    );
                }
                _ if self.rule.if_empty == IfEmpty::Skip => return None,
                _ => ctx.add_variable_from_value(name.clone(), Value::Null),
            }
        }
        for seg in &self.rule.message.parts {
            let Segment::Expr(e) = seg else { continue };
            for (name, ci) in &e.vars {
                if judged.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let kind = self.table.columns[*ci].kind;
                let v = match (items.get(ci), self.run.value(at, *ci)) {
                    (Some(item), _) => expr::typed(kind, item, false),
                    (None, Some(v)) if v.valid && !v.text.is_empty() => {
                        expr::typed(kind, &v.text, v.sentinel)
                    }
                    _ => Value::Null,
                };
                ctx.add_variable_from_value(name.clone(), v);
            }
        }
        Some(Bound { ctx, sentinel })
    }

    /// Evaluates `when`: Some(true) when the rule applies to the record.
    fn applies(&mut self, b: &Bound<'_>, at: At) -> bool {
        let Some(w) = &self.rule.when else {
            return true;
        };
        match w.execute(&b.ctx) {
            Ok(Value::Bool(x)) => x,
            Ok(other) if !b.sentinel => {
                self.failures.add(
                    format!("when 的结果不是真假值（{}）", expr::show(&other)),
                    self.run.location(at, self.cell_ci()),
                );
                false
            }
            Err(e) if !b.sentinel => {
                self.failures
                    .add(e.to_string(), self.run.location(at, self.cell_ci()));
                false
            }
            _ => false,
        }
    }

    fn render(&mut self, b: &Bound<'_>, at: At, items: &BTreeMap<usize, String>) -> String {
        let mut s = String::new();
        for seg in &self.rule.message.parts {
            match seg {
                Segment::Text(t) => s.push_str(t),
                Segment::Cell(ci) => match (items.get(ci), self.run.value(at, *ci)) {
                    (Some(item), _) => s.push_str(item),
                    (None, Some(v)) if !v.text.is_empty() => s.push_str(&v.text),
                    _ => s.push_str("（空）"),
                },
                Segment::Expr(e) => match e.execute(&b.ctx) {
                    Ok(v) => s.push_str(&expr::show(&v)),
                    Err(err) => {
                        s.push('？');
                        let loc = self.run.location(at, self.cell_ci());
                        self.failures
                            .add(format!("message {{={}}}: {err}", e.source), loc);
                    }
                },
            }
        }
        s
    }

    /// The row's key for explanations: its table's first unique key, else the finding's value.
    fn key(&self, at: At, value: Option<&str>) -> Option<String> {
        if self.table.shape == crate::schema::Shape::Single {
            return None; // one record: an explanation needs no key
        }
        if let Some(key) = self.table.keys.first() {
            let parts: Option<Vec<String>> = key
                .iter()
                .map(|k| {
                    let ci = self.table.column_index(k)?;
                    self.run
                        .value(at, ci)
                        .filter(|v| !v.text.is_empty())
                        .map(|v| v.text.clone())
                })
                .collect();
            if let Some(p) = parts {
                return Some(p.join("+"));
            }
        }
        value.map(str::to_string)
    }

    fn finding(&self, at: At, message: String, value: Option<String>) -> Finding {
        let ci = self.cell_ci();
        let mut f = Finding::new(
            self.rule.kind.code(),
            self.rule.severity,
            self.run.location(at, ci),
            message,
        )
        .table(&self.rule.table)
        .column(&self.rule.cell)
        .rule(&self.rule.id);
        if let Some(k) = self.key(at, value.as_deref()) {
            f = f.key(k);
        }
        if let Some(v) = value {
            f = f.value(v);
        }
        f
    }

    fn cell_text(&self, at: At) -> Option<String> {
        self.run
            .value(at, self.cell_ci())
            .filter(|v| !v.text.is_empty())
            .map(|v| v.text.clone())
    }

    /// row, date and aggregate rules.
    fn rows(&mut self) {
        let none = BTreeMap::new();
        let check = self.rule.check.as_ref().expect("validated: has check");
        for &at in self.records() {
            let Some(b) = self.bind(at, &none) else {
                continue;
            };
            if !self.applies(&b, at) {
                continue;
            }
            match check.execute(&b.ctx) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => {
                    let msg = self.render(&b, at, &none);
                    let mut f = self.finding(at, msg, self.cell_text(at));
                    if self.rule.kind == RuleKind::Aggregate {
                        for t in &self.rule.uses {
                            if let Some(l) = self.run.first_part(t) {
                                f = f.related(l);
                            }
                        }
                    }
                    self.out.push(f);
                }
                Ok(other) if !b.sentinel => self.failures.add(
                    format!("check 的结果不是真假值（{}）", expr::show(&other)),
                    self.run.location(at, self.cell_ci()),
                ),
                Err(e) if !b.sentinel => self
                    .failures
                    .add(e.to_string(), self.run.location(at, self.cell_ci())),
                _ => {}
            }
        }
    }

    fn column_indexes(&self) -> Vec<usize> {
        self.rule
            .columns
            .iter()
            .filter_map(|c| self.table.column_index(c))
            .collect()
    }

    fn unique(&mut self) {
        let cols = self.column_indexes();
        let none = BTreeMap::new();
        let mut first: HashMap<Vec<String>, Location> = HashMap::new();
        for &at in self.records() {
            let Some(b) = self.bind(at, &none) else {
                continue;
            };
            if !self.applies(&b, at) {
                continue;
            }
            let vals: Option<Vec<String>> = cols
                .iter()
                .map(|&c| {
                    self.run
                        .value(at, c)
                        .filter(|v| v.valid && !v.text.is_empty())
                        .map(|v| self.rule.compare.key(&v.text))
                })
                .collect();
            let Some(vals) = vals else { continue };
            match first.get(&vals) {
                None => {
                    first.insert(vals, self.run.location(at, cols[0]));
                }
                Some(prev) => {
                    let prev = prev.clone();
                    let mut ctx = b.ctx;
                    ctx.add_variable_from_value("first", prev.describe());
                    let b = Bound {
                        ctx,
                        sentinel: b.sentinel,
                    };
                    let msg = self.render(&b, at, &none);
                    let shown: Vec<String> = cols
                        .iter()
                        .filter_map(|&c| self.run.value(at, c).map(|v| v.text.clone()))
                        .collect();
                    let f = self.finding(at, msg, Some(shown.join("+"))).related(prev);
                    self.out.push(f);
                }
            }
        }
    }

    /// existence and exclusivity rules.
    fn lookup(&mut self, targets: &[Arc<TargetIndex>]) {
        let cols = self.column_indexes();
        let multi: Vec<bool> = cols
            .iter()
            .map(|&c| self.table.columns[c].multiple)
            .collect();
        let has_schema_ref = !self.table.columns[cols[0]].refs.is_empty();
        let none = BTreeMap::new();
        for &at in self.records() {
            let Some(b) = self.bind(at, &none) else {
                continue;
            };
            if !self.applies(&b, at) {
                continue;
            }
            if self.run.value(at, cols[0]).is_some_and(|v| v.sentinel) {
                continue;
            }
            let Some(ts) = tuples(self.run, at, &cols, &multi) else {
                continue;
            };
            for t in ts {
                if self
                    .rule
                    .allow
                    .iter()
                    .any(|a| comparable(a) == comparable(&t[0]))
                {
                    continue;
                }
                let key = comparable(&t[0]);
                let rest: Vec<String> = t[1..].iter().map(|s| comparable(s)).collect();
                let mut found: Vec<&Registered> = Vec::new();
                let mut exact: Option<(&TargetIndex, &Location)> = None;
                for ti in targets {
                    for entry in ti.by_first.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                        if entry.rest == rest && exact.is_none() {
                            exact = Some((ti, &entry.at));
                        }
                        found.push(entry);
                    }
                }
                let items: BTreeMap<usize, String> =
                    cols.iter().copied().zip(t.iter().cloned()).collect();
                let Some(b) = self.bind(at, &items) else {
                    continue;
                };
                let mut ctx = b.ctx;
                let f = match self.rule.kind {
                    RuleKind::Existence => {
                        if exact.is_some() || (found.is_empty() && has_schema_ref) {
                            continue;
                        }
                        let mut registered: Vec<String> = Vec::new();
                        for e in &found {
                            let shown = e.shown.join("／");
                            if !registered.contains(&shown) {
                                registered.push(shown);
                            }
                        }
                        ctx.add_variable_from_value("registered", registered.join("、"));
                        ctx.add_variable_from_value("found", !found.is_empty());
                        let b = Bound {
                            ctx,
                            sentinel: b.sentinel,
                        };
                        let msg = self.render(&b, at, &items);
                        let mut f = self.finding(at, msg, Some(t.join("+")));
                        f.value = Some(t[0].clone());
                        if let Some(e) = found.first() {
                            // The code is registered with other names: the finding goes to the
                            // first cell that differs, the one the clerk is asked to change.
                            let differs = (1..cols.len()).find(|&j| rest[j - 1] != e.rest[j - 1]);
                            if let (Some(j), true) =
                                (differs, self.rule.cell == self.rule.columns[0])
                            {
                                f.location = self.run.location(at, cols[j]);
                                f.column = Some(self.table.columns[cols[j]].name.clone());
                                f.value = Some(t[j].clone());
                            }
                            f = f.related(e.at.clone());
                        }
                        f
                    }
                    _ => {
                        let Some((ti, loc)) = exact else { continue };
                        ctx.add_variable_from_value("found_in", ti.title.clone());
                        let b = Bound {
                            ctx,
                            sentinel: b.sentinel,
                        };
                        let msg = self.render(&b, at, &items);
                        self.finding(at, msg, Some(t.join("+")))
                            .related(loc.clone())
                    }
                };
                self.out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code() {
        let codes: HashSet<Code> = RuleKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), RuleKind::ALL.len());
    }
}
