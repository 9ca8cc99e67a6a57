//! `bundle`: every accepted row of every table, merged into one national-platform upload
//! workbook (and optionally one workbook per table), with where each row came from.
//!
//! Layout (rules.md §4): one sheet per table in edition order, header row 1 with the schema's
//! column names, data from row 2, every cell text in the platform's form. A first sheet 目录
//! lists the tables, a last sheet 来源 the source of every row range.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rust_xlsxwriter::{Workbook, Worksheet};

use crate::check::{CheckedPart, Outcome};
use crate::finding::{Finding, Severity};
use crate::period::Periods;
use crate::schema::{Edition, Table};
use crate::value::clean_text;
use crate::xlsx::{
    display_width, header_format, properties, safe_file_name, safe_sheet_name, save_atomically,
    set_widths, text_format, CONTENTS_SHEET, ERRORS_SHEET, SOURCES_SHEET,
};

/// Where a run of rows came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub file: String,
    pub sheet: String,
    /// First and last sheet row (1-based, as Excel shows them).
    pub first_row: u32,
    pub last_row: u32,
    pub rows: usize,
    pub vertical: bool,
}

/// One table of the bundle: its rows as platform text, and their sources in order.
#[derive(Debug, Clone)]
pub struct BundleTable<'e> {
    pub table: &'e Table,
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
    pub sources: Vec<Source>,
}

/// The text a cell contributes: its normal form, or — when it could not be read — what the
/// cell held, so that nothing is lost.
fn cell_text(part: &CheckedPart, rec: usize, col: usize) -> String {
    if let Some(v) = &part.values[rec][col] {
        return v.text.clone();
    }
    part.part.records[rec].cells[col]
        .as_ref()
        .map(|c| clean_text(&c.raw.display()))
        .unwrap_or_default()
}

/// Gathers the tables of the bundle in edition order; rows of several parts are joined in a
/// stable order: by file path, then sheet, then row.
pub fn assemble<'e>(edition: &'e Edition, outcome: &Outcome) -> Vec<BundleTable<'e>> {
    let mut taken: HashSet<String> = [CONTENTS_SHEET, SOURCES_SHEET, ERRORS_SHEET]
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let mut out = Vec::new();
    for table in &edition.tables {
        let mut parts: Vec<(usize, &CheckedPart)> = outcome
            .parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.part.table == table.id)
            .collect();
        if parts.is_empty() {
            continue;
        }
        parts.sort_by(|a, b| a.1.part.file.cmp(&b.1.part.file).then(a.0.cmp(&b.0)));
        let mut rows = Vec::new();
        let mut sources = Vec::new();
        for (_, p) in parts {
            for rec in 0..p.part.records.len() {
                rows.push(
                    (0..table.columns.len())
                        .map(|c| cell_text(p, rec, c))
                        .collect(),
                );
            }
            let first = p.part.records.first().map(|r| r.rows.0 + 1).unwrap_or(0);
            let last = p.part.records.last().map(|r| r.rows.1 + 1).unwrap_or(0);
            sources.push(Source {
                file: p.part.file.clone(),
                sheet: p.part.sheet.clone(),
                first_row: first,
                last_row: last,
                rows: p.part.records.len(),
                vertical: p.part.vertical,
            });
        }
        out.push(BundleTable {
            table,
            sheet: safe_sheet_name(&table.title(), &mut taken),
            rows,
            sources,
        });
    }
    out
}

/// Writes one table as a sheet: header row 1, data from row 2, all text.
fn write_table_sheet(ws: &mut Worksheet, bt: &BundleTable) -> Result<()> {
    let text = text_format();
    let header = header_format();
    let mut widths: Vec<usize> = bt
        .table
        .columns
        .iter()
        .map(|c| display_width(&c.name))
        .collect();
    for (c, col) in bt.table.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &col.name, &header)?;
        ws.set_column_format(c as u16, &text)?;
    }
    for (r, row) in bt.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            ws.write_string_with_format(r as u32 + 1, c as u16, v, &text)?;
            widths[c] = widths[c].max(display_width(v));
        }
    }
    ws.set_freeze_panes(1, 0)?;
    set_widths(ws, &widths)?;
    Ok(())
}

fn write_rows(ws: &mut Worksheet, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let text = text_format();
    let hf = header_format();
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &hf)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, v, &text)?;
            widths[c] = widths[c].max(display_width(v));
        }
    }
    ws.set_freeze_panes(1, 0)?;
    set_widths(ws, &widths)?;
    Ok(())
}

/// What `write_bundle` needs besides the tables.
pub struct BundleOptions<'a> {
    pub year: i32,
    /// With `--force`: the errors to list on a sheet of their own.
    pub errors: Option<&'a [Finding]>,
}

/// Writes the upload workbook (atomically).
pub fn write_bundle(
    edition: &Edition,
    tables: &[BundleTable],
    path: &Path,
    opts: &BundleOptions,
    mut progress: impl FnMut(),
) -> Result<()> {
    let periods = Periods::new(opts.year);
    let mut wb = Workbook::new();
    wb.set_properties(&properties(&edition.title));

    let contents: Vec<Vec<String>> = tables
        .iter()
        .map(|bt| {
            let files: Vec<String> = bt.sources.iter().map(|s| s.file.clone()).collect();
            vec![
                bt.table.id.clone(),
                bt.table.name.clone(),
                format!(
                    "{}（{}）",
                    bt.table.period.label(),
                    periods.describe(bt.table.period)
                ),
                bt.rows.len().to_string(),
                bt.sheet.clone(),
                files.join("\n"),
            ]
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(CONTENTS_SHEET)?;
    write_rows(
        ws,
        &["表号", "表名", "统计时间", "行数", "工作表", "来源文件"],
        &contents,
    )?;

    for bt in tables {
        let ws = wb.add_worksheet();
        ws.set_name(&bt.sheet)?;
        write_table_sheet(ws, bt)?;
        progress();
    }

    if let Some(errors) = opts.errors {
        let rows: Vec<Vec<String>> = errors
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| {
                vec![
                    f.location.file.clone().unwrap_or_default(),
                    f.location.sheet.clone().unwrap_or_default(),
                    f.location.cell.map(|c| c.a1()).unwrap_or_default(),
                    f.table.clone().unwrap_or_default(),
                    f.column.clone().unwrap_or_default(),
                    f.value.clone().unwrap_or_default(),
                    f.code.as_str().to_string(),
                    f.message.clone(),
                ]
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(ERRORS_SHEET)?;
        write_rows(
            ws,
            &[
                "文件",
                "工作表",
                "单元格",
                "表号",
                "列",
                "值",
                "代码",
                "说明",
            ],
            &rows,
        )?;
    }

    let mut rows = Vec::new();
    for bt in tables {
        let mut at = 2;
        for s in &bt.sources {
            let (from, to) = if s.rows == 0 {
                (String::new(), String::new())
            } else {
                (at.to_string(), (at + s.rows - 1).to_string())
            };
            rows.push(vec![
                bt.table.id.clone(),
                bt.sheet.clone(),
                from,
                to,
                s.rows.to_string(),
                s.file.clone(),
                s.sheet.clone(),
                if s.rows == 0 {
                    String::new()
                } else if s.vertical {
                    format!("{}–{}（竖排表）", s.first_row, s.last_row)
                } else {
                    format!("{}–{}", s.first_row, s.last_row)
                },
            ]);
            at += s.rows;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(SOURCES_SHEET)?;
    write_rows(
        ws,
        &[
            "表号",
            "汇总工作表",
            "汇总起始行",
            "汇总结束行",
            "行数",
            "来源文件",
            "来源工作表",
            "来源行",
        ],
        &rows,
    )?;
    save_atomically(&mut wb, path)
}

/// The file name of a table's own workbook: `表1-5-1 教职工基本信息.xlsx`.
pub fn split_file_name(table: &Table) -> String {
    format!("{}.xlsx", safe_file_name(&table.title()))
}

/// Writes one workbook per table into `dir`, the way the platform's per-table import wants
/// them: one sheet, header row 1, all text. Returns the paths written.
pub fn write_split(
    tables: &[BundleTable],
    dir: &Path,
    mut progress: impl FnMut(),
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for bt in tables {
        let mut wb = Workbook::new();
        wb.set_properties(&properties(&bt.table.title()));
        let ws = wb.add_worksheet();
        ws.set_name(&bt.sheet)?;
        write_table_sheet(ws, bt)?;
        let path = dir.join(split_file_name(bt.table));
        save_atomically(&mut wb, &path)?;
        written.push(path);
        progress();
    }
    Ok(written)
}
