//! Checks across tables: references (单位号 → 1-2/1-3, 工号 → 1-5-1 …) and the tables that no
//! file provided.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::CheckedPart;
use crate::finding::{Code, Finding, Location, Severity};
use crate::schema::{ColumnRef, Edition};
use crate::value::comparable;

/// Index of the values of every referenced column, built once.
struct Index<'a> {
    values: HashMap<&'a ColumnRef, HashSet<&'a str>>,
}

impl<'a> Index<'a> {
    fn build(edition: &'a Edition, parts: &'a [CheckedPart]) -> Index<'a> {
        let mut values: HashMap<&ColumnRef, HashSet<&str>> = HashMap::new();
        let targets: HashSet<&ColumnRef> = edition
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().flat_map(|c| c.refs.iter()))
            .collect();
        for r in targets {
            let Some(table) = edition.table(&r.table) else {
                continue;
            };
            let Some(ci) = table.column_index(&r.column) else {
                continue;
            };
            if !parts.iter().any(|p| p.part.table == r.table) {
                continue;
            }
            let set = values.entry(r).or_default();
            for p in parts.iter().filter(|p| p.part.table == r.table) {
                for rec in &p.values {
                    if let Some(v) = &rec[ci] {
                        for item in &v.items {
                            set.insert(item.as_str());
                        }
                    }
                }
            }
        }
        Index { values }
    }
}

pub fn check_references(edition: &Edition, parts: &[CheckedPart], findings: &mut Vec<Finding>) {
    let index = Index::build(edition, parts);
    // Columns that were handed in but could not be read (their header was not found, or the
    // column is missing): references to them cannot be judged, and judging them against the
    // other tables of a union would blame every department for one sheet's header.
    let unreadable: HashSet<(String, Option<String>)> = findings
        .iter()
        .filter(|f| matches!(f.code, Code::HeaderNotFound | Code::MissingColumn))
        .filter_map(|f| Some((f.table.clone()?, f.column.clone())))
        .collect();
    let is_unreadable = |r: &ColumnRef| {
        unreadable.contains(&(r.table.clone(), None))
            || unreadable.contains(&(r.table.clone(), Some(r.column.clone())))
    };
    let mut unchecked: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for p in parts {
        let Some(table) = edition.table(&p.part.table) else {
            continue;
        };
        for (ci, col) in table.columns.iter().enumerate() {
            if col.refs.is_empty() {
                continue;
            }
            let sets: Vec<&HashSet<&str>> = col
                .refs
                .iter()
                .filter_map(|r| index.values.get(r))
                .collect();
            // A value may be in any of the targets: while one that every school fills is
            // missing or unreadable, a value not found in the others may still be in it, so
            // none can be judged. A target only some schools fill (1-5-4 附属医院, 1-4-2 大类)
            // that did not arrive is taken as having nothing.
            let expected = |r: &ColumnRef| edition.table(&r.table).is_some_and(|t| t.required);
            let absent: Vec<String> = col
                .refs
                .iter()
                .filter(|r| {
                    is_unreadable(r)
                        || (!index.values.contains_key(r) && (expected(r) || sets.is_empty()))
                })
                .map(|r| format!("表{}", r.table))
                .collect();
            if !absent.is_empty() {
                unchecked
                    .entry((table.id.clone(), col.name.clone()))
                    .or_insert(absent);
                continue;
            }
            let targets: Vec<String> = col
                .refs
                .iter()
                .filter(|r| index.values.contains_key(r))
                .map(|r| match edition.table(&r.table) {
                    Some(t) => format!("{}的“{}”", t.title(), r.column),
                    None => r.to_string(),
                })
                .collect();
            for (rec, values) in p.part.records.iter().zip(&p.values) {
                let Some(v) = &values[ci] else { continue };
                if v.sentinel {
                    continue;
                }
                for item in &v.items {
                    if sets.iter().any(|s| s.contains(item.as_str())) {
                        continue;
                    }
                    // An allowed sentinel among several items (`000101;000000`).
                    if col.allow.iter().any(|a| comparable(a) == comparable(item)) {
                        continue;
                    }
                    let cell = rec.cells[ci].as_ref().map(|c| c.at);
                    let hint = lost_zeros_hint(item, &sets);
                    findings.push(
                        Finding::new(
                            Code::ReferenceError,
                            Severity::Error,
                            Location {
                                file: Some(p.part.file.clone()),
                                sheet: Some(p.part.sheet.clone()),
                                cell,
                            },
                            format!(
                                "“{}”的值“{item}”在{}中找不到。{hint}请核对是否填错，或请相关部门先在该表中补上",
                                col.name,
                                targets.join("或")
                            ),
                        )
                        .table(&table.id)
                        .column(&col.name)
                        .value(item.clone()),
                    );
                }
            }
        }
    }
    for ((table, column), targets) in unchecked {
        findings.push(
            Finding::new(
                Code::ReferenceUnchecked,
                Severity::Info,
                Location::default(),
                format!(
                    "{}没有提供或没有读出，无法核对表{table}“{column}”的值是否存在",
                    targets.join("或")
                ),
            )
            .table(&table)
            .column(&column),
        );
    }
}

/// When `000123` is missing but `123` is there, the other table probably holds a code that was
/// typed as a number and lost its zeros: say so, since fixing that one cell fixes this too.
fn lost_zeros_hint(item: &str, sets: &[&HashSet<&str>]) -> String {
    let stripped = item.trim_start_matches('0');
    if stripped.len() == item.len() || stripped.is_empty() {
        return String::new();
    }
    if sets.iter().any(|s| s.contains(stripped)) {
        format!("被引用的表中有“{stripped}”，可能是那边把代码填成了数字、丢失了前导零。")
    } else {
        String::new()
    }
}

pub fn check_missing_tables(
    edition: &Edition,
    parts: &[CheckedPart],
    owners: Option<&BTreeMap<String, String>>,
    findings: &mut Vec<Finding>,
) {
    let present: HashSet<&str> = parts.iter().map(|p| p.part.table.as_str()).collect();
    for t in &edition.tables {
        if present.contains(t.id.as_str()) {
            continue;
        }
        let optional = edition.is_optional(t);
        let (severity, extra) = if optional {
            let g = t.group.as_deref().unwrap_or("");
            (Severity::Info, format!("（{g}表，仅相关学校填报）"))
        } else {
            (Severity::Warning, String::new())
        };
        findings.push(
            Finding::new(
                Code::MissingTable,
                severity,
                Location::default(),
                format!(
                    "没有收到{}{extra}，责任单位：{}",
                    t.title(),
                    owners.and_then(|o| o.get(&t.id)).unwrap_or(&t.owner)
                ),
            )
            .table(&t.id),
        );
    }
}
