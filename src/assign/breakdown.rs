//! The 填报责任分解表 (who fills which table, with whom, by when) and each department's
//! 质量监控表 (the sign-off sheet the collection plan requires), both printable on A4.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::period::Periods;
use crate::plan::{Assignment, Plan};
use crate::schema::{Edition, Table};
use crate::xlsx::{display_width, properties, safe_sheet_name, save_atomically};

pub const BREAKDOWN_FILE: &str = "填报责任分解表.xlsx";
pub const MASTER_SHEET: &str = "责任分解表";

/// The concrete dates of a table's period: `2025-09-30`, `2024-09-01至2025-08-31`.
pub fn period_text(periods: &Periods, table: &Table) -> String {
    let w = periods.window(table.period);
    if w.first == w.last {
        format!("{}（{}）", table.period.label(), w.first.format("%Y-%m-%d"))
    } else {
        format!(
            "{}（{}至{}）",
            table.period.label(),
            w.first.format("%Y-%m-%d"),
            w.last.format("%Y-%m-%d")
        )
    }
}

fn cell() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_num_format("@")
}

fn head() -> Format {
    cell()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center)
}

fn title() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// A printable table: a title row merged across, a header row repeated on every page, bordered
/// cells, A4 landscape, one page wide.
fn write_printable(
    ws: &mut Worksheet,
    heading: &str,
    header: &[&str],
    rows: &[Vec<String>],
    max_widths: &[usize],
) -> Result<()> {
    let last_col = header.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last_col, heading, &title())?;
    ws.set_row_height(0, 30)?;
    let hf = head();
    let cf = cell();
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &hf)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 2, c as u16, v, &cf)?;
            widths[c] = widths[c].max(display_width(v));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let cap = max_widths.get(c).copied().unwrap_or(40);
        ws.set_column_width(c as u16, (*w).clamp(4, cap) as f64 + 2.0)?;
    }
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_repeat_rows(0, 1)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_freeze_panes(2, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

const BREAKDOWN_HEADER: [&str; 9] = [
    "序号",
    "表号",
    "表名",
    "统计时间",
    "责任单位",
    "协作单位",
    "步骤",
    "截止时间",
    "备注",
];
const BREAKDOWN_WIDTHS: [usize; 9] = [4, 8, 36, 30, 16, 24, 8, 12, 30];

fn breakdown_rows(
    plan: &Plan,
    periods: &Periods,
    rows: &[(&Assignment, &Table)],
) -> Vec<Vec<String>> {
    rows.iter()
        .enumerate()
        .map(|(i, (a, t))| {
            vec![
                (i + 1).to_string(),
                t.id.clone(),
                t.name.clone(),
                period_text(periods, t),
                a.owner.clone(),
                a.collaborators.join("、"),
                a.step.clone(),
                plan.step(&a.step)
                    .map(|s| s.deadline.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                a.note.clone(),
            ]
        })
        .collect()
}

/// Writes `填报责任分解表.xlsx`: the master sheet, then one sheet per department.
pub fn write_breakdown(edition: &Edition, plan: &Plan, path: &Path) -> Result<()> {
    let periods = Periods::new(plan.year);
    let mut wb = Workbook::new();
    wb.set_properties(&properties("填报责任分解表"));
    let heading = format!(
        "{}{}年度高等教育质量监测国家数据平台采集系统填报责任分解表",
        plan.school, plan.year
    );
    let ordered = plan.ordered(edition);
    let ws = wb.add_worksheet();
    ws.set_name(MASTER_SHEET)?;
    write_printable(
        ws,
        &heading,
        &BREAKDOWN_HEADER,
        &breakdown_rows(plan, &periods, &ordered),
        &BREAKDOWN_WIDTHS,
    )?;
    let mut taken: HashSet<String> = HashSet::from([MASTER_SHEET.to_lowercase()]);
    for (dept, rows) in plan.by_department(edition) {
        let ws = wb.add_worksheet();
        ws.set_name(safe_sheet_name(&dept, &mut taken))?;
        let contact = plan
            .departments
            .iter()
            .find(|d| d.name == dept)
            .map(|d| {
                let mut s = String::new();
                if !d.contact.is_empty() {
                    s.push_str(&format!("  联系人：{}", d.contact));
                }
                if !d.phone.is_empty() {
                    s.push_str(&format!("  电话：{}", d.phone));
                }
                s
            })
            .unwrap_or_default();
        write_printable(
            ws,
            &format!("{dept}：{} 张表{contact}", rows.len()),
            &BREAKDOWN_HEADER,
            &breakdown_rows(plan, &periods, &rows),
            &BREAKDOWN_WIDTHS,
        )?;
    }
    save_atomically(&mut wb, path)
}

const MONITOR_HEADER: [&str; 10] = [
    "序号",
    "表号",
    "表名",
    "截止时间",
    "提交行数",
    "检查结果",
    "填报人",
    "审核人",
    "部门负责人签字",
    "日期",
];
const MONITOR_WIDTHS: [usize; 10] = [4, 8, 36, 12, 8, 16, 10, 10, 14, 12];

/// Writes one department's 质量监控表: its tables with room for the row count, the check
/// result and the signatures of 填报人, 审核人 and 部门负责人.
pub fn write_monitor(edition: &Edition, plan: &Plan, department: &str, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties("填报责任质量监控表"));
    let rows: Vec<Vec<String>> = plan
        .by_department(edition)
        .remove(department)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, (a, t))| {
            let mut r = vec![
                (i + 1).to_string(),
                t.id.clone(),
                t.name.clone(),
                plan.step(&a.step)
                    .map(|s| s.deadline.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ];
            r.resize(MONITOR_HEADER.len(), String::new());
            r
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name("质量监控表")?;
    write_printable(
        ws,
        &format!(
            "{}{}年度数据平台采集系统填报责任质量监控表（{department}）",
            plan.school, plan.year
        ),
        &MONITOR_HEADER,
        &rows,
        &MONITOR_WIDTHS,
    )?;
    // Room for the signatures under the table.
    let below = rows.len() as u32 + 3;
    ws.write_string(below, 1, "责任部门负责人（签字）：")?;
    ws.write_string(below, 5, "日期：")?;
    ws.write_string(below + 1, 1, "数据经本部门审核无误，与纸质材料一致。")?;
    save_atomically(&mut wb, path)
}
