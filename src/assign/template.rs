//! The blank workbook a department fills: one sheet per table, named as `bundle` names it, with
//! the schema's header, a note on every header cell saying what to type, dropdowns on option
//! columns and cell formats that keep codes as text and make typed dates real dates.
//!
//! Layout:
//! - list tables: header in row 1 (frozen), data from row 2; formats and dropdowns cover the
//!   whole column below the header.
//! - single-record tables: a vertical `项目 | 内容` form, one row per column, the value in
//!   column B (the layout `read::locate` recognises as vertical). A table of one column is
//!   written as a list instead: with a single row, the reader could not tell the form's
//!   name/value pair from a header with an unknown column beside it.
//! - dropdown lists longer than Excel's inline limit live on a last, hidden sheet `字典`, one
//!   list per column.
//!
//! Header cells of required columns are written in red.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Result};
use rust_xlsxwriter::utility::worksheet_range_absolute;
use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Formula, Note, Workbook, Worksheet};

use crate::period::Periods;
use crate::schema::{Column, Edition, Kind, PeriodKind, PeriodRule, Shape, Table, YearMonthFormat};
use crate::xlsx::{
    cut_utf16, display_width, header_format, properties, safe_sheet_name, save_atomically,
    set_widths, text_format, DICTIONARY_SHEET, OWN_SHEETS,
};

/// The last row (0-based) that formats and dropdowns of a list table cover: Excel's last row,
/// so that no table is too long for them.
const LAST_ROW: u32 = 1_048_575;
/// Excel's limit on an inline dropdown list, in UTF-16 units, commas included.
const INLINE_LIST_MAX: usize = 255;
/// Dropdown options spelled out in a note; longer lists are only in the dropdown.
const NOTE_OPTIONS_MAX: usize = 20;
/// Width of a note in pixels, and how many display units (a CJK character counts 2) fit a line.
const NOTE_WIDTH: u32 = 300;
const NOTE_LINE_UNITS: usize = 42;
const NOTE_LINE_HEIGHT: usize = 15;
/// The header cells of a vertical form.
const FORM_HEADER: [&str; 2] = ["项目", "内容"];
const FORM_VALUE_WIDTH: usize = 40;
const REQUIRED_COLOR: &str = "#C00000";

/// Writes the blank template of `tables` (one sheet each, in the given order) to `path`,
/// atomically. `year` is the collection year, for the period rules the notes state.
pub fn write_template(edition: &Edition, tables: &[&Table], year: i32, path: &Path) -> Result<()> {
    if tables.is_empty() {
        bail!("没有要写入模板的表");
    }
    let ctx = Context {
        edition,
        periods: Periods::new(year),
    };
    let mut wb = Workbook::new();
    wb.set_properties(&properties(&format!("{}（填报模板）", edition.title)));
    // The same names as `bundle::assemble` gives; 字典 is among the reserved names.
    let mut taken: HashSet<String> = OWN_SHEETS.iter().map(|s| s.to_lowercase()).collect();
    let mut dictionary = Dictionary::default();
    for table in tables {
        let ws = wb.add_worksheet();
        ws.set_name(safe_sheet_name(&table.title(), &mut taken))?;
        if is_form(table) {
            write_form(ws, &ctx, table, &mut dictionary)?;
        } else {
            write_list(ws, &ctx, table, &mut dictionary)?;
        }
    }
    if !dictionary.lists.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(DICTIONARY_SHEET)?;
        dictionary.write(ws)?;
        ws.set_hidden(true);
    }
    save_atomically(&mut wb, path)
}

/// What the notes need besides the column.
struct Context<'e> {
    edition: &'e Edition,
    periods: Periods,
}

/// Whether a table is written as a vertical `项目 | 内容` form.
fn is_form(table: &Table) -> bool {
    table.shape == Shape::Single && table.columns.len() > 1
}

/// A list table: header row 1, data below, formats and dropdowns on whole columns.
fn write_list(
    ws: &mut Worksheet,
    ctx: &Context,
    table: &Table,
    dictionary: &mut Dictionary,
) -> Result<()> {
    let mut widths = Vec::new();
    for (c, col) in table.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, &col.name, &name_format(col))?;
        ws.insert_note(0, c, &note(ctx, table, col))?;
        if let Some(f) = cell_format(col) {
            ws.set_column_format(c, &f)?;
        }
        if let Some(dv) = dropdown(col, dictionary)? {
            ws.add_data_validation(1, c, LAST_ROW, c, &dv)?;
        }
        widths.push(display_width(&col.name).max(value_width(col)));
    }
    ws.set_freeze_panes(1, 0)?;
    set_widths(ws, &widths)?;
    print_setup(ws, table.columns.len() > 6)?;
    Ok(())
}

/// A single-record table as a vertical form: `项目 | 内容`, then one row per column.
fn write_form(
    ws: &mut Worksheet,
    ctx: &Context,
    table: &Table,
    dictionary: &mut Dictionary,
) -> Result<()> {
    let header = header_format();
    for (c, h) in FORM_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let mut name_width = display_width(FORM_HEADER[0]);
    for (i, col) in table.columns.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &col.name, &name_format(col))?;
        ws.insert_note(row, 0, &note(ctx, table, col))?;
        let value = cell_format(col).unwrap_or_default();
        ws.write_blank(
            row,
            1,
            &value.set_border(FormatBorder::Thin).set_text_wrap(),
        )?;
        if let Some(dv) = dropdown(col, dictionary)? {
            ws.add_data_validation(row, 1, row, 1, &dv)?;
        }
        name_width = name_width.max(display_width(&col.name));
    }
    ws.set_freeze_panes(1, 0)?;
    set_widths(ws, &[name_width, FORM_VALUE_WIDTH])?;
    print_setup(ws, false)?;
    Ok(())
}

/// Printing on A4, one page wide, with the first row repeated on every page.
fn print_setup(ws: &mut Worksheet, landscape: bool) -> Result<()> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The header format, in red for required columns.
fn name_format(col: &Column) -> Format {
    if col.required {
        header_format().set_font_color(REQUIRED_COLOR)
    } else {
        header_format()
    }
}

/// The number format of a column's value cells: text (`@`) where what is typed must stay as
/// typed (codes keep their zeros), a date format where a typed date should become a real date
/// cell, none (General) for numbers.
fn number_format(col: &Column) -> Option<&'static str> {
    match col.kind {
        Kind::Integer | Kind::Decimal => None,
        // Several dates in one cell, or YYYYMM (a number to Excel, not a date), stay text.
        Kind::YearMonth if col.multiple || col.format == Some(YearMonthFormat::Compact) => {
            Some("@")
        }
        Kind::YearMonth => Some("yyyy-mm"),
        Kind::Date if col.multiple => Some("@"),
        Kind::Date => Some("yyyy-mm-dd"),
        Kind::Text | Kind::Code | Kind::Year | Kind::Enum | Kind::YesNo => Some("@"),
    }
}

/// The format of a column's value cells, None for General.
fn cell_format(col: &Column) -> Option<Format> {
    number_format(col).map(|f| match f {
        "@" => text_format(),
        f => Format::new().set_num_format(f),
    })
}

/// A column width that shows a typical value.
fn value_width(col: &Column) -> usize {
    match col.kind {
        Kind::Text => 16,
        Kind::Code | Kind::Date => 12,
        Kind::Enum | Kind::YesNo => dropdown_values(col)
            .map(|v| v.iter().map(|o| display_width(o)).max().unwrap_or(0))
            .unwrap_or(12)
            .min(30),
        _ => 10,
    }
}

/// The values a column's dropdown offers: the options and the accepted sentinels. None when
/// the column gets no dropdown (not an option column, or several values per cell).
fn dropdown_values(col: &Column) -> Option<Vec<String>> {
    if col.multiple || !matches!(col.kind, Kind::Enum | Kind::YesNo) {
        return None;
    }
    let mut values = col.allowed_values();
    for a in &col.allow {
        if !values.contains(a) {
            values.push(a.clone());
        }
    }
    Some(values)
}

/// Whether a list can be written inline: within Excel's limit, and without commas or quotes
/// (an inline list is split at commas).
fn fits_inline(values: &[String]) -> bool {
    values.iter().all(|v| !v.contains([',', '"']))
        && values.join(",").encode_utf16().count() <= INLINE_LIST_MAX
}

/// The dropdown of a column, inline or pointing at the dictionary sheet.
fn dropdown(col: &Column, dictionary: &mut Dictionary) -> Result<Option<DataValidation>> {
    let Some(values) = dropdown_values(col).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let dv = if fits_inline(&values) {
        DataValidation::new().allow_list_strings(&values)?
    } else {
        DataValidation::new().allow_list_formula(Formula::new(dictionary.formula(&values)))
    };
    let message = format!("“{}”只能填规定的选项，请从下拉列表中选择。", col.name);
    Ok(Some(
        dv.set_error_title("不是规定的选项")?
            .set_error_message(cut_utf16(&message, INLINE_LIST_MAX))?,
    ))
}

/// The long dropdown lists, one per column of the hidden dictionary sheet.
#[derive(Default)]
struct Dictionary {
    lists: Vec<Vec<String>>,
}

impl Dictionary {
    /// The range formula of a list on the dictionary sheet (`=字典!$A$1:$A$56`), adding the
    /// list unless it is there.
    fn formula(&mut self, values: &[String]) -> String {
        let col = match self.lists.iter().position(|l| l == values) {
            Some(i) => i,
            None => {
                self.lists.push(values.to_vec());
                self.lists.len() - 1
            }
        };
        let range = worksheet_range_absolute(
            DICTIONARY_SHEET,
            0,
            col as u16,
            values.len() as u32 - 1,
            col as u16,
        );
        format!("={range}")
    }

    fn write(&self, ws: &mut Worksheet) -> Result<()> {
        let text = text_format();
        let mut widths = Vec::new();
        for (c, list) in self.lists.iter().enumerate() {
            for (r, v) in list.iter().enumerate() {
                ws.write_string_with_format(r as u32, c as u16, v, &text)?;
            }
            widths.push(list.iter().map(|v| display_width(v)).max().unwrap_or(0));
        }
        set_widths(ws, &widths)
    }
}

/// The note of a column's name cell: what to type, in Chinese.
fn note(ctx: &Context, table: &Table, col: &Column) -> Note {
    let lines = note_lines(ctx, table, col);
    let rows: usize = lines
        .iter()
        .map(|l| display_width(l).div_ceil(NOTE_LINE_UNITS).max(1))
        .sum();
    Note::new(lines.join("\n"))
        .set_author("statedata")
        .add_author_prefix(false)
        .set_width(NOTE_WIDTH)
        .set_height((rows * NOTE_LINE_HEIGHT + 10) as u32)
}

fn note_lines(ctx: &Context, table: &Table, col: &Column) -> Vec<String> {
    let mut lines = vec![format!(
        "类型：{}；{}",
        col.kind.label(),
        if col.required { "必填" } else { "可不填" }
    )];
    if let Some(f) = format_hint(col) {
        lines.push(f);
    }
    if let Some(r) = range_hint(col) {
        lines.push(r);
    }
    if let Some(u) = &col.unit {
        lines.push(format!("单位：{u}"));
    }
    if matches!(col.kind, Kind::Enum | Kind::YesNo) {
        lines.push(options_hint(col));
    }
    if col.multiple {
        lines.push("可填多个值，用英文分号“;”分隔，如 A;B".to_string());
    }
    if !col.allow.is_empty() {
        let quoted: Vec<String> = col.allow.iter().map(|a| format!("“{a}”")).collect();
        lines.push(format!("也可填：{}", quoted.join("、")));
    }
    if !col.refs.is_empty() {
        let targets: Vec<String> = col
            .refs
            .iter()
            .map(|r| {
                let table = match ctx.edition.table(&r.table) {
                    Some(t) => t.title(),
                    None => format!("表{}", r.table),
                };
                format!("{table}的“{}”", r.column)
            })
            .collect();
        lines.push(format!("须在{}中存在", targets.join("或")));
    }
    if let Some(rule) = col.period {
        lines.push(period_hint(
            ctx,
            rule,
            col.period_kind.unwrap_or(table.period),
        ));
    }
    if let Some(n) = &col.note {
        lines.push(format!("说明：{n}"));
    }
    lines
}

/// How to type the value, for kinds where that is not obvious.
fn format_hint(col: &Column) -> Option<String> {
    let hint = match col.kind {
        Kind::Text | Kind::Enum | Kind::YesNo => return None,
        Kind::Code => "格式：按文本填写，保留开头的 0（如 000123）",
        Kind::Integer => "格式：整数，只填数字，不带单位或文字",
        Kind::Decimal => "格式：数值，只填数字，不带单位或文字",
        Kind::Year => "格式：年份 YYYY，四位数字，如 2024",
        Kind::YearMonth if col.format == Some(YearMonthFormat::Compact) => {
            "格式：YYYYMM，六位数字，如 202409"
        }
        Kind::YearMonth => "格式：年月 YYYY-MM，如 2024-09",
        Kind::Date => "格式：日期 YYYY-MM-DD，如 2024-09-01",
    };
    Some(hint.to_string())
}

fn range_hint(col: &Column) -> Option<String> {
    let n = crate::value::format_number;
    match (col.min, col.max) {
        (Some(a), Some(b)) => Some(format!("取值：{} 至 {}", n(a), n(b))),
        (Some(a), None) => Some(format!("取值：不小于 {}", n(a))),
        (None, Some(b)) => Some(format!("取值：不大于 {}", n(b))),
        (None, None) => None,
    }
}

fn options_hint(col: &Column) -> String {
    let values = col.allowed_values();
    if col.multiple {
        // No dropdown: every option is spelled out.
        return format!("可选：{}", values.join("、"));
    }
    let all = dropdown_values(col).unwrap_or_default();
    if values.len() <= NOTE_OPTIONS_MAX && fits_inline(&all) {
        format!("可选：{}（从下拉列表中选择）", values.join("、"))
    } else {
        format!("可选值共 {} 项，见下拉列表", values.len())
    }
}

fn period_hint(ctx: &Context, rule: PeriodRule, kind: PeriodKind) -> String {
    let w = ctx.periods.window(kind);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let label = kind.label();
    match (rule, kind) {
        // "Within" a point in time means up to it.
        (PeriodRule::Within | PeriodRule::NotAfter, PeriodKind::Point) => {
            format!("时间：不晚于统计时点 {}", day(w.last))
        }
        (PeriodRule::NotBefore, PeriodKind::Point) => {
            format!("时间：不早于统计时点 {}", day(w.first))
        }
        (PeriodRule::Within, _) => format!(
            "时间：须在本次统计的{label}（{}）内",
            ctx.periods.describe(kind)
        ),
        (PeriodRule::NotAfter, _) => format!("时间：不晚于 {}（{label}末）", day(w.last)),
        (PeriodRule::NotBefore, _) => format!("时间：不早于 {}（{label}初）", day(w.first)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_lists_respect_the_limit_and_commas() {
        let short: Vec<String> = ["男", "女"].iter().map(|s| s.to_string()).collect();
        assert!(fits_inline(&short));
        assert!(!fits_inline(&["a,b".to_string()]));
        // 85 three-character options: 85 × 3 + 84 commas = 339 > 255.
        let long: Vec<String> = (0..85).map(|i| format!("选项{}", i % 10)).collect();
        assert!(!fits_inline(&long));
    }

    #[test]
    fn equal_lists_share_a_dictionary_column() {
        let mut d = Dictionary::default();
        let a = vec!["甲".to_string(), "乙".to_string()];
        let b = vec!["丙".to_string()];
        assert_eq!(d.formula(&a), "=字典!$A$1:$A$2");
        assert_eq!(d.formula(&b), "=字典!$B$1");
        assert_eq!(d.formula(&a), "=字典!$A$1:$A$2");
        assert_eq!(d.lists.len(), 2);
    }
}
