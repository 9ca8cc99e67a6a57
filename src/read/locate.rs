//! Locating tables in sheets: which table a sheet is (by its name or its file's name), where
//! its header row is (title rows and merged cells above it are tolerated), or whether it is a
//! vertical 项目 | 内容 form; then cutting the data rows into records.

use std::collections::HashMap;

use super::workbook::{Grid, Sheet, Workbook};
use super::{Cell, Part, Record};
use crate::finding::{CellRef, Code, Finding, Location, Severity};
use crate::schema::{Edition, Shape, Table};
use crate::value::{comparable, half_width};
use crate::xlsx::OWN_SHEETS;

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: u32 = 30;

/// How many rows from the top are searched for the names of a vertical 项目 | 内容 form. A
/// form has one row per column (at most some 25) under a few title rows; searching every row
/// of a 40,000-row list for them took seconds per table.
const VERTICAL_SEARCH_ROWS: u32 = 200;

/// How many columns from the left may hold the names of a vertical form.
const VERTICAL_NAME_COLS: u32 = 4;

/// Excel's limit on the length of a sheet name (UTF-16 units).
const EXCEL_SHEET_NAME_MAX: usize = 31;

/// The outcome of locating one sheet.
#[derive(Debug, Default)]
pub struct Located {
    pub part: Option<Part>,
    pub findings: Vec<Finding>,
}

/// Splits `表1-5-1 教职工基本信息`, ` 表SF-5：…`, `1-5-1教职工…` into (`1-5-1`, rest).
fn split_id(name: &str) -> Option<(String, String)> {
    let t = half_width(name);
    let t = t.trim().trim_start_matches('表').trim_start();
    let bytes: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut id = String::new();
    // An optional letter prefix such as SF.
    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
        id.push(bytes[i].to_ascii_uppercase());
        i += 1;
    }
    if id.len() > 3 {
        return None;
    }
    if !id.is_empty() {
        if i < bytes.len() && matches!(bytes[i], '-' | '—' | '–') {
            id.push('-');
            i += 1;
        } else {
            id.push('-');
        }
    }
    let start_digits = i;
    loop {
        let s = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return None;
        }
        id.extend(&bytes[s..i]);
        if i + 1 < bytes.len()
            && matches!(bytes[i], '-' | '—' | '–')
            && bytes[i + 1].is_ascii_digit()
        {
            id.push('-');
            i += 1;
        } else {
            break;
        }
    }
    if i == start_digits {
        return None;
    }
    let rest: String = bytes[i..].iter().collect();
    let rest = rest
        .trim_start_matches([' ', ':', '.', '、', '_', '\t'])
        .trim()
        .to_string();
    Some((id, rest))
}

/// The table a sheet (or file) name designates: by its 表号, else by its table name.
pub fn match_table<'e>(edition: &'e Edition, name: &str) -> Option<&'e Table> {
    if let Some((id, _rest)) = split_id(name) {
        if let Some(t) = edition.table(&id) {
            return Some(t);
        }
    }
    let bare = half_width(name);
    let bare = bare.trim().trim_start_matches('表').trim();
    if let Some(t) = edition.tables.iter().find(|t| t.matches_name(bare)) {
        return Some(t);
    }
    // Excel cuts sheet names at 31 characters: a cut name is the start of one table's name.
    if name.encode_utf16().count() != EXCEL_SHEET_NAME_MAX {
        return None;
    }
    let cut = comparable(bare);
    let mut hits = edition.tables.iter().filter(|t| {
        std::iter::once(&t.name)
            .chain(&t.aliases)
            .any(|n| comparable(n).starts_with(&cut))
    });
    match (hits.next(), hits.next()) {
        (Some(t), None) if !cut.is_empty() => Some(t),
        _ => None,
    }
}

/// Which sheet columns hold which schema columns in a candidate header row.
struct HeaderFit {
    row: u32,
    /// schema column index → sheet column
    columns: Vec<Option<u32>>,
    /// Non-empty header cells that name no column, or name one a second time.
    unknown: Vec<(u32, String)>,
    matched: usize,
}

/// A table's column names (and aliases) as compared → the first column with that name: what
/// `Column::matches_header` tells, computed once per table rather than once per cell.
fn header_names(table: &Table) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for (i, c) in table.columns.iter().enumerate() {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            let n = comparable(n);
            if !n.is_empty() {
                names.entry(n).or_insert(i);
            }
        }
    }
    names
}

/// The first column of `table` whose name (or alias) is `text`.
fn column_named(names: &HashMap<String, usize>, text: &str) -> Option<usize> {
    names.get(&comparable(text)).copied()
}

fn fit_header(grid: &Grid, table: &Table, names: &HashMap<String, usize>, row: u32) -> HeaderFit {
    let mut columns = vec![None; table.columns.len()];
    let mut unknown = Vec::new();
    let mut matched = 0;
    for col in grid.origin.1..grid.end_col() {
        let raw = grid.get(row, col);
        if raw.is_blank() {
            continue;
        }
        let text = raw.display();
        match column_named(names, &text) {
            Some(i) if columns[i].is_none() => {
                columns[i] = Some(col);
                matched += 1;
            }
            _ => unknown.push((col, text)),
        }
    }
    HeaderFit {
        row,
        columns,
        unknown,
        matched,
    }
}

/// A vertical form: one sheet column holds the column names, the next one the values.
struct VerticalFit {
    name_col: u32,
    /// schema column index → sheet row
    rows: Vec<Option<u32>>,
    matched: usize,
    first_row: u32,
}

/// The end (exclusive) of the columns and rows where a vertical form's names are looked for.
fn vertical_window(grid: &Grid) -> (u32, u32) {
    let last_col = grid
        .end_col()
        .min(grid.origin.1.saturating_add(VERTICAL_NAME_COLS));
    let last_row = grid
        .end_row()
        .min(grid.origin.0.saturating_add(VERTICAL_SEARCH_ROWS));
    (last_col, last_row)
}

fn fit_vertical(grid: &Grid, table: &Table, names: &HashMap<String, usize>) -> Option<VerticalFit> {
    let mut best: Option<VerticalFit> = None;
    let (last_col, last_row) = vertical_window(grid);
    for col in grid.origin.1..last_col {
        let mut rows = vec![None; table.columns.len()];
        let mut matched = 0;
        let mut first_row = u32::MAX;
        for row in grid.origin.0..last_row {
            let raw = grid.get(row, col);
            if raw.is_blank() {
                continue;
            }
            if let Some(i) = column_named(names, &raw.display()) {
                if rows[i].is_none() {
                    rows[i] = Some(row);
                    matched += 1;
                    first_row = first_row.min(row);
                }
            }
        }
        if matched > best.as_ref().map_or(0, |b| b.matched) {
            best = Some(VerticalFit {
                name_col: col,
                rows,
                matched,
                first_row,
            });
        }
    }
    best
}

/// The texts of a sheet where headers are searched, compared as names are: every non-blank
/// cell of the first `HEADER_SEARCH_ROWS` rows, and of the first `VERTICAL_NAME_COLS` columns
/// down to `VERTICAL_SEARCH_ROWS` (for vertical forms). Made once per sheet, so that guessing
/// the table by its header costs one look-up per cell and table, not a comparison per cell,
/// table and column name.
struct HeaderTexts {
    /// Per header row: the texts of its non-blank cells.
    rows: Vec<Vec<String>>,
    /// Per name column: the texts of its non-blank cells.
    cols: Vec<Vec<String>>,
}

impl HeaderTexts {
    fn of(grid: &Grid) -> HeaderTexts {
        let text = |row, col| {
            let raw = grid.get(row, col);
            (!raw.is_blank()).then(|| comparable(&raw.display()))
        };
        let last = grid
            .end_row()
            .min(grid.origin.0.saturating_add(HEADER_SEARCH_ROWS));
        let rows = (grid.origin.0..last)
            .map(|r| {
                (grid.origin.1..grid.end_col())
                    .filter_map(|c| text(r, c))
                    .collect()
            })
            .collect();
        let (last_col, last_row) = vertical_window(grid);
        let cols = (grid.origin.1..last_col)
            .map(|c| {
                (grid.origin.0..last_row)
                    .filter_map(|r| text(r, c))
                    .collect()
            })
            .collect();
        HeaderTexts { rows, cols }
    }

    /// The most columns of `table` that one header row (or, for a single-record table, one
    /// vertical name column) names: as `fit_header` and `fit_vertical` count them.
    fn best_fit(&self, table: &Table) -> usize {
        let names = header_names(table);
        let mut seen = vec![false; table.columns.len()];
        let mut count = |texts: &Vec<String>| {
            seen.iter_mut().for_each(|s| *s = false);
            let mut matched = 0;
            for t in texts {
                if let Some(&i) = names.get(t) {
                    if !seen[i] {
                        seen[i] = true;
                        matched += 1;
                    }
                }
            }
            matched
        };
        let h = self.rows.iter().map(&mut count).max().unwrap_or(0);
        let v = if table.shape == Shape::Single {
            self.cols.iter().map(&mut count).max().unwrap_or(0)
        } else {
            0
        };
        h.max(v)
    }
}

/// Whether the grid holds the table's header well enough to read it.
fn fits(grid: &Grid, table: &Table) -> bool {
    enough(HeaderTexts::of(grid).best_fit(table), table.columns.len())
}

/// The one table whose header the grid holds almost whole (at least 80% of its columns and at
/// least three, or all of a shorter table); None when no table or more than one fits best.
pub fn identify_by_header<'e>(edition: &'e Edition, grid: &Grid) -> Option<&'e Table> {
    let texts = HeaderTexts::of(grid);
    let mut best: Option<(&Table, usize, usize)> = None;
    let mut tie = false;
    for t in &edition.tables {
        let total = t.columns.len();
        let matched = texts.best_fit(t);
        if matched < total.min(3) || matched * 5 < total * 4 {
            continue;
        }
        match best {
            // Compare matched/total as fractions, then by columns matched.
            Some((_, m, n)) if matched * n == m * total && matched == m => tie = true,
            Some((_, m, n))
                if matched * n > m * total || (matched * n == m * total && matched > m) =>
            {
                best = Some((t, matched, total));
                tie = false;
            }
            Some(_) => {}
            None => best = Some((t, matched, total)),
        }
    }
    if tie {
        None
    } else {
        best.map(|(t, _, _)| t)
    }
}

fn enough(matched: usize, total: usize) -> bool {
    matched > 0 && matched * 2 >= total
}

/// Locates the table of one sheet and cuts its records.
pub fn locate_sheet(
    edition: &Edition,
    wb: &Workbook,
    sheet: &Sheet,
    single_sheet: bool,
) -> Located {
    let file = wb_file(wb);
    let mut out = Located::default();
    let loc = Location::sheet(&file, &sheet.name);
    let table = match_table(edition, &sheet.name).or_else(|| {
        single_sheet
            .then(|| match_table(edition, &wb.file_stem))
            .flatten()
    });
    if !sheet.visible {
        // A hidden sheet whose name says no table may still hold one: its header says so.
        let held = table.or_else(|| {
            (sheet.error.is_none() && !OWN_SHEETS.contains(&sheet.name.as_str()))
                .then(|| identify_by_header(edition, &sheet.grid))
                .flatten()
        });
        if let Some(t) = held {
            out.findings.push(
                Finding::new(
                    Code::HiddenSheet,
                    Severity::Warning,
                    loc,
                    format!(
                        "工作表「{}」是隐藏的，未读取。如果它就是要提交的{}，请取消隐藏；否则请删除它",
                        sheet.name,
                        t.title()
                    ),
                )
                .table(&t.id),
            );
        }
        return out;
    }
    if let Some(e) = &sheet.error {
        let loc = Location {
            cell: sheet.error_cell,
            ..loc
        };
        out.findings.push(Finding::new(
            Code::UnreadableSheet,
            Severity::Error,
            loc,
            if e.contains('请') {
                // The reason already says what to do.
                format!("工作表「{}」无法读取：{e}", sheet.name)
            } else {
                format!("工作表「{}」无法读取（{e}）。请检查其中是否有错误值或损坏的单元格，修正后另存再提交", sheet.name)
            },
        ));
        return out;
    }
    let grid = &sheet.grid;
    let own = OWN_SHEETS.contains(&sheet.name.as_str());
    // The name says which table; when it says none, or names a table whose header is not
    // there, the header may still say which table the sheet is.
    let table = match table {
        Some(t) if grid.is_empty() || fits(grid, t) => t,
        Some(named) => match identify_by_header(edition, grid) {
            Some(t) if t.id != named.id => {
                out.findings.push(
                    Finding::new(
                        Code::TableByHeader,
                        Severity::Warning,
                        loc.clone(),
                        format!(
                            "工作表「{}」的名称指向{}，但表头是{}的表头，已按后者读取。请核对表号，并把工作表改名为「{}」",
                            sheet.name,
                            named.title(),
                            t.title(),
                            t.title()
                        ),
                    )
                    .table(&t.id),
                );
                t
            }
            _ => named,
        },
        None if grid.is_empty() || own => return out,
        None => match identify_by_header(edition, grid) {
            Some(t) => {
                out.findings.push(
                    Finding::new(
                        Code::TableByHeader,
                        Severity::Warning,
                        loc.clone(),
                        format!(
                            "工作表「{}」的名称不是“表号 表名”，按表头认作{}。请把工作表改名为「{}」",
                            sheet.name,
                            t.title(),
                            t.title()
                        ),
                    )
                    .table(&t.id),
                );
                t
            }
            None => {
                out.findings.push(Finding::new(
                    Code::UnmatchedSheet,
                    Severity::Warning,
                    loc,
                    format!(
                        "工作表「{}」对应不到任何采集表（名称和表头都对不上），未检查。请把工作表命名为“表号 表名”，如「表1-5-1 教职工基本信息」，并使用平台模板的表头",
                        sheet.name
                    ),
                ));
                return out;
            }
        },
    };
    let mut part = Part {
        table: table.id.clone(),
        file: file.clone(),
        sheet: sheet.name.clone(),
        epoch_1904: wb.epoch_1904,
        header_row: grid.origin.0,
        vertical: false,
        records: Vec::new(),
    };
    if grid.is_empty() {
        // An empty sheet provides the table with no rows: reported as empty by the checker.
        out.part = Some(part);
        return out;
    }

    let total = table.columns.len();
    let names = header_names(table);
    let last = grid.end_row().min(grid.origin.0 + HEADER_SEARCH_ROWS);
    let horizontal = (grid.origin.0..last)
        .map(|r| fit_header(grid, table, &names, r))
        .max_by_key(|f| (f.matched, std::cmp::Reverse(f.row)));
    let vertical = if table.shape == Shape::Single {
        fit_vertical(grid, table, &names)
    } else {
        None
    };
    let h_score = horizontal.as_ref().map_or(0, |h| h.matched);
    let v_score = vertical.as_ref().map_or(0, |v| v.matched);

    // A tie (a one-column form: the name in A2 reads as a header too) goes to the vertical
    // reading when the names have values beside them.
    let values_beside = vertical.as_ref().is_some_and(|v| {
        v.rows
            .iter()
            .flatten()
            .any(|&r| !grid.get(r, v.name_col + 1).is_blank())
    });
    if (v_score > h_score || (v_score == h_score && values_beside)) && enough(v_score, total) {
        let v = vertical.expect("scored");
        part.vertical = true;
        part.header_row = v.first_row;
        report_missing_columns(&mut out.findings, table, &file, &sheet.name, true, |i| {
            v.rows[i].is_some()
        });
        let value_col = v.name_col + 1;
        let cells: Vec<Option<Cell>> = v
            .rows
            .iter()
            .map(|r| {
                r.map(|row| {
                    let at = CellRef::new(row, value_col);
                    Cell {
                        at,
                        raw: grid.get(row, value_col).clone(),
                        merged: sheet.merged_into(at),
                    }
                })
            })
            .collect();
        let rows_used: Vec<u32> = v.rows.iter().flatten().copied().collect();
        let any_value = cells.iter().flatten().any(|c| !c.raw.is_blank());
        if any_value {
            part.records.push(Record {
                cells,
                rows: (
                    *rows_used.iter().min().unwrap_or(&v.first_row),
                    *rows_used.iter().max().unwrap_or(&v.first_row),
                ),
            });
        }
        out.part = Some(part);
        return out;
    }

    let Some(h) = horizontal.filter(|h| enough(h.matched, total)) else {
        out.findings.push(
            Finding::new(
                Code::HeaderNotFound,
                Severity::Error,
                loc,
                format!(
                    "在工作表「{}」的前 {HEADER_SEARCH_ROWS} 行找不到{}的表头（应有“{}”等列名）。请使用平台模板的表头，不要改动列名",
                    sheet.name,
                    table.title(),
                    table.columns.iter().take(3).map(|c| c.name.as_str()).collect::<Vec<_>>().join("”“")
                ),
            )
            .table(&table.id),
        );
        return out;
    };
    part.header_row = h.row;
    report_missing_columns(&mut out.findings, table, &file, &sheet.name, false, |i| {
        h.columns[i].is_some()
    });
    for (col, text) in &h.unknown {
        out.findings.push(
            Finding::new(
                Code::UnknownColumn,
                Severity::Warning,
                Location::cell(&file, &sheet.name, CellRef::new(h.row, *col)),
                format!(
                    "列“{text}”不是{}的列（或与前面的列重复），这一列不会被检查和汇总。请删除这一列，或改回模板中的列名",
                    table.title()
                ),
            )
            .table(&table.id)
            .value(text.clone()),
        );
    }
    let mapped: Vec<u32> = h.columns.iter().flatten().copied().collect();
    if mapped.windows(2).any(|w| w[0] > w[1]) {
        out.findings.push(
            Finding::new(
                Code::ColumnOrder,
                Severity::Warning,
                Location::sheet(&file, &sheet.name),
                format!(
                    "{}的列顺序与平台模板不同。平台导入要求列顺序一致，请按模板顺序排列：{}",
                    table.title(),
                    table
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
            .table(&table.id),
        );
    }
    for row in h.row + 1..grid.end_row() {
        let blank = (grid.origin.1..grid.end_col()).all(|c| grid.get(row, c).is_blank());
        if blank {
            continue;
        }
        if let Some(label) = note_row(grid, row) {
            out.findings.push(
                Finding::new(
                    Code::SkippedRow,
                    Severity::Warning,
                    Location::cell(&file, &sheet.name, CellRef::new(row, grid.origin.1)),
                    format!(
                        "第 {} 行以“{label}”开头，看起来是合计、注释或签字行，没有作为数据读取。平台模板中不能有这样的行，提交前请删除",
                        row + 1
                    ),
                )
                .table(&table.id)
                .value(label),
            );
            continue;
        }
        let cells = h
            .columns
            .iter()
            .map(|c| {
                c.map(|col| {
                    let at = CellRef::new(row, col);
                    Cell {
                        at,
                        raw: grid.get(row, col).clone(),
                        merged: sheet.merged_into(at),
                    }
                })
            })
            .collect();
        part.records.push(Record {
            cells,
            rows: (row, row),
        });
    }
    out.part = Some(part);
    out
}

/// Rows people add under a table that are not data: totals (合计), notes (注：…), signatures
/// (填表人：…). A totals row may hold numbers; a note row holds little else.
fn note_row(grid: &Grid, row: u32) -> Option<String> {
    let cells: Vec<String> = (grid.origin.1..grid.end_col())
        .map(|c| grid.get(row, c))
        .filter(|r| !r.is_blank())
        .map(|r| r.display())
        .collect();
    let first = cells.first()?;
    let t = comparable(first);
    const TOTALS: [&str; 4] = ["合计", "总计", "小计", "共计"];
    const NOTES: [&str; 8] = [
        "注",
        "说明",
        "填表",
        "制表",
        "备注",
        "审核",
        "负责人",
        "单位负责人",
    ];
    let short: String = first.chars().take(12).collect();
    if TOTALS.iter().any(|p| t.starts_with(p)) {
        return Some(short);
    }
    if cells.len() <= 3 && NOTES.iter().any(|p| t.starts_with(p)) {
        return Some(short);
    }
    None
}

fn report_missing_columns(
    findings: &mut Vec<Finding>,
    table: &Table,
    file: &str,
    sheet: &str,
    vertical: bool,
    present: impl Fn(usize) -> bool,
) {
    for (i, c) in table.columns.iter().enumerate() {
        if !present(i) {
            findings.push(
                Finding::new(
                    Code::MissingColumn,
                    Severity::Error,
                    Location::sheet(file, sheet),
                    if vertical {
                        format!(
                            "{}（竖排的“项目 | 内容”表）缺少“{}”这一项。请按模板补上这一行，项目名要与模板一致",
                            table.title(),
                            c.name
                        )
                    } else {
                        format!(
                            "{}缺少“{}”列。请按平台模板补上这一列（列名要与模板一致）",
                            table.title(),
                            c.name
                        )
                    },
                )
                .table(&table.id)
                .column(&c.name),
            );
        }
    }
}

fn wb_file(wb: &Workbook) -> String {
    wb.path.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_sheet_names() {
        let id = |s: &str| split_id(s).map(|(i, _)| i);
        assert_eq!(id("表1-5-1 教职工基本信息"), Some("1-5-1".into()));
        assert_eq!(id("  表1-5-1 教职工"), Some("1-5-1".into()));
        assert_eq!(
            id("表SF-5：教师近五年基础教育服务经历"),
            Some("SF-5".into())
        );
        assert_eq!(id("表sf-5:教师"), Some("SF-5".into()));
        assert_eq!(id("表１－５－１教职工基本信息"), Some("1-5-1".into()));
        assert_eq!(id("1-6 本科生基本情况"), Some("1-6".into()));
        assert_eq!(id("Sheet1"), None);
        assert_eq!(id("教职工基本信息"), None);
        assert_eq!(
            split_id("表6-3-2 本科生（境外） 情况").map(|(_, r)| r),
            Some("本科生（境外） 情况".into())
        );
    }
}
