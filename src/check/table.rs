//! Checks of a table as a whole: empty tables, the one record of single-record tables, and
//! unique keys over every part that gives the table (several files may each send a part).

use std::collections::{HashMap, HashSet};

use super::cell::{check_cell, Checked, Place};
use super::CheckedPart;
use crate::finding::{Code, Finding, Location, Severity};
use crate::period::Periods;
use crate::read::Part;
use crate::schema::{Edition, Shape, Table};

/// Checks every cell of a part; returns the checked values per record and column.
pub fn check_part(
    table: &Table,
    part: &Part,
    periods: &Periods,
    findings: &mut Vec<Finding>,
) -> Vec<Vec<Option<Checked>>> {
    let place = Place {
        file: &part.file,
        sheet: &part.sheet,
        table,
    };
    part.records
        .iter()
        .map(|rec| {
            table
                .columns
                .iter()
                .zip(&rec.cells)
                .map(|(col, cell)| {
                    cell.as_ref().and_then(|c| {
                        check_cell(&place, col, c, part.epoch_1904, periods, findings)
                    })
                })
                .collect()
        })
        .collect()
}

/// Table-level checks over all parts. `ruled` holds the (table, key columns) that a uniqueness
/// rule checks: for those only a table sent twice is said here; the rule reports each row.
pub fn check_tables(
    edition: &Edition,
    parts: &[CheckedPart],
    ruled: &HashSet<(String, Vec<String>)>,
    findings: &mut Vec<Finding>,
) {
    for table in &edition.tables {
        let mine: Vec<&CheckedPart> = parts.iter().filter(|p| p.part.table == table.id).collect();
        if mine.is_empty() {
            continue;
        }
        let records: usize = mine.iter().map(|p| p.part.records.len()).sum();
        if records == 0 {
            for p in &mine {
                let severity = if table.required {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                findings.push(
                    Finding::new(
                        Code::EmptyTable,
                        severity,
                        Location::sheet(&p.part.file, &p.part.sheet),
                        format!(
                            "{}没有填写任何数据。{}",
                            table.title(),
                            if table.required {
                                "这是必填表，请填写后再提交"
                            } else {
                                "如果本校确实没有相关情况，可以不填；否则请填写"
                            }
                        ),
                    )
                    .table(&table.id),
                );
            }
            continue;
        }
        if table.shape == Shape::Single && records > 1 {
            check_single(table, &mine, findings);
        }
        for key in &table.keys {
            let rows = !ruled.contains(&(table.id.clone(), key.clone()));
            check_key(table, key, &mine, rows, findings);
        }
    }
}

fn check_single(table: &Table, parts: &[&CheckedPart], findings: &mut Vec<Finding>) {
    let places: Vec<String> = parts
        .iter()
        .flat_map(|p| {
            p.part
                .records
                .iter()
                .map(move |r| format!("{}「{}」第 {} 行", p.part.file, p.part.sheet, r.rows.0 + 1))
        })
        .collect();
    // Report at every record after the first.
    let mut seen = 0;
    for p in parts {
        for r in &p.part.records {
            seen += 1;
            if seen == 1 {
                continue;
            }
            let at = r.cells.iter().flatten().next().map(|c| c.at);
            findings.push(
                Finding::new(
                    Code::TooManyRecords,
                    Severity::Error,
                    Location {
                        file: Some(p.part.file.clone()),
                        sheet: Some(p.part.sheet.clone()),
                        cell: at,
                    },
                    format!(
                        "{}是单条记录表，全校只能有一条数据，现在有 {} 条（{}）。请合并为一条",
                        table.title(),
                        places.len(),
                        places.join("、")
                    ),
                )
                .table(&table.id),
            );
        }
    }
}

fn check_key(
    table: &Table,
    key: &[String],
    parts: &[&CheckedPart],
    report_rows: bool,
    findings: &mut Vec<Finding>,
) {
    let idx: Vec<usize> = key.iter().filter_map(|k| table.column_index(k)).collect();
    let mut first: HashMap<Vec<String>, (Location, usize)> = HashMap::new();
    // How many keys each later part repeats from each earlier part.
    let mut repeats: HashMap<(usize, usize), usize> = HashMap::new();
    for (pi, p) in parts.iter().enumerate() {
        for (rec, values) in p.part.records.iter().zip(&p.values) {
            let vals: Option<Vec<String>> = idx
                .iter()
                .map(|&i| {
                    values[i]
                        .as_ref()
                        .filter(|v| v.valid)
                        .map(|v| v.text.clone())
                })
                .collect();
            let Some(vals) = vals else { continue };
            let at = rec.cells[idx[0]].as_ref().map(|c| c.at);
            let here = Location {
                file: Some(p.part.file.clone()),
                sheet: Some(p.part.sheet.clone()),
                cell: at,
            };
            match first.get(&vals) {
                None => {
                    first.insert(vals, (here, pi));
                }
                Some((prev, prev_part)) => {
                    if *prev_part != pi {
                        *repeats.entry((*prev_part, pi)).or_insert(0) += 1;
                    }
                    if !report_rows {
                        continue;
                    }
                    let what = if key.len() == 1 {
                        format!("“{}”", key[0])
                    } else {
                        format!("“{}”的组合", key.join("＋"))
                    };
                    findings.push(
                        Finding::new(
                            Code::DuplicateKey,
                            Severity::Error,
                            here,
                            format!(
                                "{what}“{}”重复，与 {} 相同。{}中每个{what}只能出现一次，请删除重复行或更正",
                                vals.join("＋"),
                                prev.describe(),
                                table.title()
                            ),
                        )
                        .table(&table.id)
                        .column(&key[0])
                        .value(vals.join("+"))
                        .related(prev.clone()),
                    );
                }
            }
        }
    }
    // A part whose keys mostly repeat another's is that table sent twice (a copied sheet, a
    // second copy of a file): say so once, besides the row-by-row findings.
    let mut pairs: Vec<_> = repeats.into_iter().collect();
    pairs.sort();
    for ((a, b), n) in pairs {
        let (pa, pb) = (&parts[a].part, &parts[b].part);
        let smaller = pa.records.len().min(pb.records.len());
        if n >= 3 && n * 2 >= smaller {
            findings.push(
                Finding::new(
                    Code::DuplicateTable,
                    Severity::Warning,
                    Location::sheet(&pb.file, &pb.sheet),
                    format!(
                        "{}在 {}「{}」和 {}「{}」中都有，{n} 行的{}相同：多半是同一张表交了两份（复制的工作表或文件副本）。请只保留一份",
                        table.title(),
                        pa.file,
                        pa.sheet,
                        pb.file,
                        pb.sheet,
                        key.join("＋")
                    ),
                )
                .table(&table.id)
                .related(Location::sheet(&pa.file, &pa.sheet)),
            );
        }
    }
}
