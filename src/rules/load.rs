//! Reading the rule files of an edition (embedded or from a folder) and validating them against
//! the edition's tables.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use cel::Env;
use include_dir::{include_dir, Dir};
use serde::Deserialize;

use super::expr::{self, Scope};
use super::{Compare, IfEmpty, Rule, RuleKind, Ruleset, Target};
use crate::finding::Severity;
use crate::schema::{Edition, Table};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// A rule file that cannot be used: which file, which rule, what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(r) => write!(f, "rule file {}, rule {r}: {}", self.file, self.message),
            None => write!(f, "rule file {}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RuleError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    source: String,
    kind: RuleKind,
    severity: Severity,
    description: String,
    table: String,
    when: Option<String>,
    check: Option<String>,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    targets: Vec<Target>,
    #[serde(default)]
    allow: Vec<String>,
    cell: Option<String>,
    if_empty: Option<IfEmpty>,
    compare: Option<Compare>,
    message: String,
}

/// A cell compared with a quoted literal must be able to equal it: a number column is a number
/// in expressions (`{学制} == '4'` is never true), and an option column holds only its options
/// (`{招生状态} == '在招生'` never applies). Both would load and silently judge wrongly.
fn literal_comparisons(src: &str, table: &Table) -> Result<(), String> {
    use crate::schema::Kind;
    static PAIRS: std::sync::LazyLock<[regex::Regex; 2]> = std::sync::LazyLock::new(|| {
        [
            regex::Regex::new(r"\{([^{}=]+)\}\s*(?:==|!=)\s*'([^']*)'").unwrap(),
            regex::Regex::new(r"'([^']*)'\s*(?:==|!=)\s*\{([^{}=]+)\}").unwrap(),
        ]
    });
    for (i, re) in PAIRS.iter().enumerate() {
        for c in re.captures_iter(src) {
            let (name, lit) = if i == 0 {
                (&c[1], &c[2])
            } else {
                (&c[2], &c[1])
            };
            let Some(col) = table.column(name) else {
                continue;
            };
            // A sentinel the column allows (`无`, `000000`) is text whatever the kind.
            if col.allow.iter().any(|a| a == lit) {
                continue;
            }
            match col.kind {
                Kind::Integer | Kind::Year | Kind::Decimal => {
                    return Err(format!(
                        "“{name}” is a number column: compare it with a number, not '{lit}'"
                    ));
                }
                Kind::YesNo | Kind::Enum
                    if !lit.is_empty()
                        && (col.kind == Kind::YesNo || !col.options.is_empty())
                        && col.option_for(lit).is_none() =>
                {
                    return Err(format!("'{lit}' is not an option of “{name}”"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Variables an expression may use besides placeholders, per kind.
fn extra_vars(kind: RuleKind, in_message: bool) -> &'static [&'static str] {
    const BASE: &[&str] = &["Y", "period_start", "period_end"];
    match (kind, in_message) {
        (RuleKind::Existence, true) => &["Y", "period_start", "period_end", "registered", "found"],
        (RuleKind::Exclusivity, true) => &["Y", "period_start", "period_end", "found_in"],
        (RuleKind::Uniqueness, true) => &["Y", "period_start", "period_end", "first"],
        _ => BASE,
    }
}

/// Loads the embedded rules of an edition. An edition without rules has an empty rule set.
pub fn load_embedded(edition: &Edition) -> Result<Ruleset, RuleError> {
    let mut files = Vec::new();
    if let Some(dir) = EMBEDDED.get_dir(edition.id.as_str()) {
        for f in dir.files() {
            let name = f.path().display().to_string();
            if name.ends_with(".toml") {
                if let Some(text) = f.contents_utf8() {
                    files.push((format!("（内置）rules/{name}"), text.to_string()));
                }
            }
        }
    }
    files.sort();
    build(edition, files)
}

/// Loads the rules of an edition from a folder of `*.toml` rule files.
pub fn load_dir(dir: &Path, edition: &Edition) -> Result<Ruleset, RuleError> {
    let origin = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| RuleError {
        file: origin.clone(),
        rule: None,
        message: format!("cannot read the rules folder: {e}"),
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| RuleError {
            file: p.display().to_string(),
            rule: None,
            message: e.to_string(),
        })?;
        files.push((p.display().to_string(), text));
    }
    if files.is_empty() {
        return Err(RuleError {
            file: origin,
            rule: None,
            message: "this folder has no rule files (*.toml): point --rules at an edition's rules folder such as rules/2025".into(),
        });
    }
    let rules = build(edition, files)?;
    if rules.rules.is_empty() {
        return Err(RuleError {
            file: origin,
            rule: None,
            message: "the rule files of this folder hold no [[rule]]".into(),
        });
    }
    Ok(rules)
}

fn build(edition: &Edition, files: Vec<(String, String)>) -> Result<Ruleset, RuleError> {
    let env = Env::stdlib();
    let tables: HashMap<String, &Table> =
        edition.tables.iter().map(|t| (t.id.clone(), t)).collect();
    let mut rules = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (file, text) in files {
        let parsed: RuleFile = toml::from_str(&text).map_err(|e| RuleError {
            file: file.clone(),
            rule: None,
            message: e.to_string(),
        })?;
        for def in parsed.rule {
            let id = def.id.clone();
            let fail = |message: String| RuleError {
                file: file.clone(),
                rule: Some(id.clone()),
                message,
            };
            if let Some(earlier) = seen.insert(def.id.clone(), file.clone()) {
                return Err(fail(format!(
                    "a rule with this id comes earlier, in {earlier}"
                )));
            }
            rules.push(compile(def, &file, &env, &tables).map_err(fail)?);
        }
    }
    Ok(Ruleset {
        edition: edition.id.clone(),
        rules,
    })
}

fn compile(
    def: RuleDef,
    file: &str,
    env: &Env,
    tables: &HashMap<String, &Table>,
) -> Result<Rule, String> {
    if def.id.trim().is_empty() || def.id.chars().any(char::is_whitespace) {
        return Err("the id must be a word without spaces".into());
    }
    if def.severity == Severity::Info {
        return Err("severity must be error or warning".into());
    }
    if def.description.trim().is_empty() || def.message.trim().is_empty() {
        return Err("description and message must not be empty".into());
    }
    let table = *tables
        .get(&def.table)
        .ok_or_else(|| format!("table = {:?} is not a table of the edition", def.table))?;
    let kind = def.kind;
    let scope = Scope {
        env,
        table,
        tables,
        extra_vars: extra_vars(kind, false),
    };
    let when = def
        .when
        .as_deref()
        .map(|w| expr::compile(w, &scope))
        .transpose()
        .map_err(|e| format!("when: {e}"))?;
    for (what, src) in [("when", &def.when), ("check", &def.check)] {
        if let Some(src) = src {
            literal_comparisons(src, table).map_err(|e| format!("{what}: {e}"))?;
        }
    }
    let needs_check = matches!(kind, RuleKind::Row | RuleKind::Date | RuleKind::Aggregate);
    let check = match (&def.check, needs_check) {
        (Some(c), true) => Some(expr::compile(c, &scope).map_err(|e| format!("check: {e}"))?),
        (None, true) => return Err(format!("a {kind} rule needs `check`")),
        (Some(_), false) => return Err(format!("a {kind} rule has no `check`; use columns")),
        (None, false) => None,
    };
    let needs_columns = !needs_check;
    if needs_columns && def.columns.is_empty() {
        return Err(format!("a {kind} rule needs `columns`"));
    }
    if !needs_columns && !def.columns.is_empty() {
        return Err(format!("a {kind} rule has no `columns`; use check"));
    }
    for c in &def.columns {
        if table.column_index(c).is_none() {
            return Err(format!("columns: “{c}” is not a column of 表{}", table.id));
        }
    }
    let needs_targets = matches!(kind, RuleKind::Existence | RuleKind::Exclusivity);
    if needs_targets && def.targets.is_empty() {
        return Err(format!("a {kind} rule needs `targets`"));
    }
    if !needs_targets && !def.targets.is_empty() {
        return Err(format!("a {kind} rule has no `targets`"));
    }
    if def.if_empty.is_some() && !needs_check {
        return Err(format!("a {kind} rule has no `if_empty`"));
    }
    if def.compare.is_some() && kind != RuleKind::Uniqueness {
        return Err("only uniqueness rules have `compare`".into());
    }
    if !def.allow.is_empty() && kind != RuleKind::Existence {
        return Err("only existence rules have `allow`".into());
    }
    let mut uses: Vec<String> = Vec::new();
    for t in &def.targets {
        let tt = tables
            .get(&t.table)
            .ok_or_else(|| format!("targets: {:?} is not a table of the edition", t.table))?;
        if t.columns.len() != def.columns.len() {
            return Err(format!(
                "targets: 表{} gives {} columns, the rule has {}",
                t.table,
                t.columns.len(),
                def.columns.len()
            ));
        }
        for c in &t.columns {
            if tt.column_index(c).is_none() {
                return Err(format!("targets: “{c}” is not a column of 表{}", t.table));
            }
        }
        if !uses.contains(&t.table) {
            uses.push(t.table.clone());
        }
    }
    for e in when.iter().chain(check.iter()) {
        for t in &e.tables {
            if !uses.contains(t) && *t != table.id {
                uses.push(t.clone());
            }
        }
    }
    let message_scope = Scope {
        extra_vars: extra_vars(kind, true),
        ..scope
    };
    let message =
        expr::message(&def.message, &message_scope).map_err(|e| format!("message: {e}"))?;
    let cell = match def.cell {
        Some(c) => {
            if table.column_index(&c).is_none() {
                return Err(format!("cell: “{c}” is not a column of 表{}", table.id));
            }
            c
        }
        None => match def.columns.first() {
            Some(c) => c.clone(),
            None => {
                let first = check
                    .as_ref()
                    .and_then(|e| e.vars.first())
                    .ok_or("the rule names no column; say where findings go with `cell`")?;
                table.columns[first.1].name.clone()
            }
        },
    };
    Ok(Rule {
        id: def.id,
        source: def.source,
        kind,
        severity: def.severity,
        description: def.description,
        table: def.table,
        when,
        check,
        columns: def.columns,
        targets: def.targets,
        allow: def.allow,
        cell,
        if_empty: def.if_empty.unwrap_or_default(),
        compare: def.compare.unwrap_or_default(),
        message,
        uses,
        file: file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::load_embedded as schemas;

    fn load(text: &str) -> Result<Ruleset, RuleError> {
        let ed = schemas("2025").unwrap();
        build(&ed, vec![("test.toml".into(), text.into())])
    }

    const GOOD: &str = r#"
[[rule]]
id = "T-1"
source = "AR-18"
kind = "row"
severity = "error"
description = "双师双能型教师的任教类型须为专业课"
table = "1-5-2"
when = "{是否双师双能型} == '是'"
check = "{任教类型} == '专业课'"
message = "工号 {工号}：任教类型为“{任教类型}”"
"#;

    #[test]
    fn a_sentinel_the_column_allows_may_be_compared_as_text() {
        let text = GOOD.replace("{任教类型} == '专业课'", "{专业任教时间} != '无'");
        assert!(load(&text).is_ok());
    }

    #[test]
    fn a_good_rule_loads_with_its_cell() {
        let rs = load(GOOD).unwrap();
        assert_eq!(rs.rules.len(), 1);
        assert_eq!(rs.rules[0].cell, "任教类型");
        assert_eq!(rs.rules[0].tables(), vec!["1-5-2".to_string()]);
    }

    #[test]
    fn mistakes_name_the_rule_and_what_is_wrong() {
        let cases = [
            (GOOD.replace("{任教类型} ==", "{任教类形} =="), "任教类形"),
            (GOOD.replace("table = \"1-5-2\"", "table = \"9-9\""), "9-9"),
            (GOOD.replace("== '专业课'\"", "== \""), "CEL"),
            (
                GOOD.replace("check = \"{任教类型}", "check = \"nosuch({任教类型})"),
                "nosuch",
            ),
            (
                GOOD.replace("kind = \"row\"", "kind = \"existence\""),
                "has no `check`",
            ),
            (
                GOOD.replace("severity = \"error\"", "severity = \"info\""),
                "severity",
            ),
            (format!("{GOOD}{GOOD}"), "earlier"),
            // Comparisons that load in CEL but can never be true.
            (
                GOOD.replace("{任教类型} == '专业课'", "{专业任教时间} == '2020'"),
                "number column",
            ),
            (
                GOOD.replace("{是否双师双能型} == '是'", "'Y' == {是否双师双能型}"),
                "not an option",
            ),
            (
                GOOD.replace("== '专业课'", "!= '专业课程'"),
                "not an option",
            ),
            (
                GOOD.replace(
                    "{任教类型} == '专业课'",
                    "rows('1-6') > count('1-6', '学号x', {工号})",
                ),
                "学号x",
            ),
        ];
        for (text, needle) in cases {
            let e = load(&text).unwrap_err();
            assert_eq!(e.rule.as_deref(), Some("T-1"), "{e}");
            assert!(
                e.to_string().contains(needle),
                "{e} should mention {needle}"
            );
        }
    }

    #[test]
    fn table_functions_make_the_rule_use_the_other_table() {
        let text = GOOD.replace(
            "{任教类型} == '专业课'",
            "count('5-1-1', '授课教师工号', {工号}) > 0",
        );
        let rs = load(&text).unwrap();
        assert_eq!(rs.rules[0].uses, vec!["5-1-1".to_string()]);
    }

    #[test]
    fn texts_shown_to_clerks_carry_no_developer_references() {
        let ed = schemas("2025").unwrap();
        let rs = load_embedded(&ed).unwrap();
        for r in &rs.rules {
            let texts = r.message.parts.iter().filter_map(|p| match p {
                expr::Segment::Text(t) => Some(t.as_str()),
                _ => None,
            });
            for t in texts.chain([r.description.as_str()]) {
                for word in ["rules.md", "catalogue", "S4", "S5", "CEL", "TODO"] {
                    assert!(!t.contains(word), "{}: {t}", r.id);
                }
            }
        }
    }

    #[test]
    fn the_embedded_rules_load() {
        let ed = schemas("2025").unwrap();
        let rs = load_embedded(&ed).unwrap();
        assert!(rs.rules.len() >= 100, "{} rules", rs.rules.len());
        for k in RuleKind::ALL {
            assert!(rs.rules.iter().any(|r| r.kind == k), "no {k} rule");
        }
    }
}
