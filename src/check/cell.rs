//! Checks of one cell against its column: required, kind, options, pattern, bounds, period.

use crate::finding::{Code, Finding, Location, Severity};
use crate::period::Periods;
use crate::read::Cell;
use crate::schema::{Column, Kind, PeriodRule, Table};
use crate::value::{comparable, normalise, split_items, Note, Problem, Raw, Value};

/// A cell's value after checking, as later checks (keys, references, bundle) use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The normal form (items joined with `;` for multi-valued cells).
    pub text: String,
    /// The items of a multi-valued cell, or the one value.
    pub items: Vec<String>,
    /// An accepted sentinel (`无`, `000000`): not looked up in other tables.
    pub sentinel: bool,
    /// Whether every item was read without an error.
    pub valid: bool,
}

/// Where the cell is, for findings.
pub struct Place<'a> {
    pub file: &'a str,
    pub sheet: &'a str,
    pub table: &'a Table,
}

impl Place<'_> {
    fn finding(
        &self,
        code: Code,
        severity: Severity,
        col: &Column,
        cell: &Cell,
        message: String,
    ) -> Finding {
        let mut f = Finding::new(
            code,
            severity,
            Location::cell(self.file, self.sheet, cell.at),
            message,
        )
        .table(&self.table.id)
        .column(&col.name);
        let shown = cell.raw.display();
        if !shown.is_empty() {
            f = f.value(shown);
        }
        f
    }
}

fn quote_options(col: &Column) -> String {
    let values = col.allowed_values();
    if values.len() <= 12 {
        values.join("、")
    } else {
        format!(
            "{} 等 {} 项（见下拉列表或代码表）",
            values[..8].join("、"),
            values.len()
        )
    }
}

/// A cell that holds no value: a formula error (`#N/A`), a formula whose result was never saved
/// (`=SUM(…)`, from the reader's own scan), or a cell the file itself garbled.
fn cell_error(place: &Place, col: &Column, cell: &Cell, error: &str) -> Finding {
    let name = &col.name;
    let message = if error.starts_with('#') {
        format!("“{name}”是公式错误值 {error}，请改为实际的值（不要用公式，或修正公式引用）")
    } else if let Some(formula) = error.strip_prefix('=') {
        format!(
            "“{name}”是公式 ={formula}，但文件中没有保存计算结果（常见于程序导出或未重新计算的文件）。请在 Excel/WPS 中打开、按 F9 重新计算后保存，或直接填写数值"
        )
    } else {
        format!("“{name}”的单元格无法读取（{error}），文件可能被其他软件改坏。请重新输入该单元格的内容后保存")
    };
    place.finding(Code::CellError, Severity::Error, col, cell, message)
}

/// Checks one cell; returns its checked value (None when blank or unreadable as a whole) and
/// pushes findings.
pub fn check_cell(
    place: &Place,
    col: &Column,
    cell: &Cell,
    epoch_1904: bool,
    periods: &Periods,
    findings: &mut Vec<Finding>,
) -> Option<Checked> {
    let name = &col.name;
    if cell.raw.is_blank() {
        if let Some((a, b)) = cell.merged {
            findings.push(place.finding(
                Code::MergedCell,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”所在的单元格是合并单元格 {}:{} 的一部分，只有 {} 真正有值，这一行实际为空。平台要求每行单独填写：请取消合并，并在每一行填上值",
                    a.a1(),
                    b.a1(),
                    a.a1()
                ),
            ));
            return None;
        }
        if col.required {
            findings.push(place.finding(
                Code::MissingValue,
                Severity::Error,
                col,
                cell,
                format!("“{name}”不能为空，请填写"),
            ));
        }
        return None;
    }
    if let Raw::Error(e) = &cell.raw {
        findings.push(cell_error(place, col, cell, e));
        return None;
    }
    let shown = cell.raw.display();
    if let Some(s) = col
        .allow
        .iter()
        .find(|a| comparable(a) == comparable(&shown))
    {
        return Some(Checked {
            text: s.clone(),
            items: vec![s.clone()],
            sentinel: true,
            valid: true,
        });
    }

    // Multi-valued cells are split first and each item checked as the column's kind.
    let item_raws: Vec<Raw> = if col.multiple {
        let (items, odd) = split_items(&shown);
        if odd {
            findings.push(place.finding(
                Code::SeparatorError,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”有多个值时只能用英文分号“;”隔开，不要用中文分号、顿号、逗号或换行"
                ),
            ));
        }
        items.into_iter().map(Raw::Text).collect()
    } else {
        vec![cell.raw.clone()]
    };

    let mut items = Vec::new();
    let mut valid = true;
    for raw in &item_raws {
        match check_item(place, col, cell, raw, epoch_1904, periods, findings) {
            Some(v) => items.push(v),
            None => valid = false,
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(Checked {
        text: items.join(";"),
        items,
        sentinel: false,
        valid,
    })
}

fn check_item(
    place: &Place,
    col: &Column,
    cell: &Cell,
    raw: &Raw,
    epoch_1904: bool,
    periods: &Periods,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let name = &col.name;
    let shown = raw.display();
    let value: Value = match normalise(col, raw, epoch_1904) {
        Ok(Some(v)) => v,
        Ok(None) => return None,
        Err(Problem::CellError(e)) => {
            findings.push(cell_error(place, col, cell, &e));
            return None;
        }
        Err(Problem::CodeDigitsLost) => {
            findings.push(place.finding(
                Code::TypeError,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”是数字格式的“{shown}”，Excel 只保留 15 位有效数字，末尾的数字已经丢失。请把单元格设为文本格式，重新输入完整的代码"
                ),
            ));
            return None;
        }
        Err(Problem::ImplausibleDateCell(d)) => {
            findings.push(place.finding(
                Code::TypeError,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”是日期格式的单元格，显示为 {}，年份不合理：多半是在日期格式的单元格里输入了 2025.09 或 202509 这样的数字。请把单元格设为文本格式后按 {} 的形式重新输入",
                    d.format("%Y-%m-%d"),
                    match (col.kind, col.format) {
                        (Kind::YearMonth, Some(crate::schema::YearMonthFormat::Compact)) => "202509",
                        (Kind::YearMonth, _) => "2025-09",
                        (Kind::Year, _) => "2025",
                        _ => "2025-09-01",
                    }
                ),
            ));
            return None;
        }
        Err(Problem::Kind { expected }) => {
            let hint = if matches!(col.kind, Kind::Integer | Kind::Decimal) {
                "。请只填数字，不要带单位、文字或千位分隔符"
            } else {
                "，请按此格式改正"
            };
            findings.push(place.finding(
                Code::TypeError,
                Severity::Error,
                col,
                cell,
                format!("“{name}”应填{expected}，现在是“{shown}”{hint}"),
            ));
            return None;
        }
    };
    match &value.note {
        Some(Note::CodeAsNumber) => findings.push(place.finding(
            Code::CodeAsNumber,
            Severity::Warning,
            col,
            cell,
            format!(
                "“{name}”“{}”是数字格式，代码应为文本格式，否则开头的 0 会丢失。请核对代码是否完整（如 000123），并把单元格设为文本格式",
                value.text
            ),
        )),
        Some(Note::Normalised { from }) => findings.push(place.finding(
            Code::ValueNormalised,
            Severity::Info,
            col,
            cell,
            format!(
                "“{name}”含全角字符或不可见的空格，已按“{}”处理（原值“{}”）。建议在原表中改正",
                value.text,
                crate::value::visible(from)
            ),
        )),
        None => {}
    }
    let mut text = value.text.clone();
    if matches!(col.kind, Kind::Enum | Kind::YesNo) {
        match col.option_for(&text) {
            Some(o) => text = o.to_string(),
            None => {
                let message = match col.renamed_to(&text) {
                    Some(now) => format!(
                        "“{name}”的值“{text}”是旧版目录中的名称，现行目录中对应的是“{now}”。请按现行目录重新选择"
                    ),
                    None => format!(
                        "“{name}”的值“{text}”不是规定的选项。可选：{}。请从下拉列表中选择，不要自行输入",
                        quote_options(col)
                    ),
                };
                findings.push(place.finding(Code::EnumError, Severity::Error, col, cell, message));
                return None;
            }
        }
    }
    if let Some(re) = &col.pattern {
        if !re.is_match(&text) {
            let hint = col
                .note
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default();
            findings.push(place.finding(
                Code::PatternError,
                Severity::Error,
                col,
                cell,
                format!("“{name}”的值“{text}”格式不对{hint}，请核对后改正"),
            ));
            return None;
        }
    }
    if let Some(n) = value.number {
        let below = col.min.filter(|m| n < *m);
        let above = col.max.filter(|m| n > *m);
        if let Some(m) = below {
            findings.push(place.finding(
                Code::RangeError,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”为 {text}，不能小于 {}",
                    crate::value::format_number(m)
                ),
            ));
        }
        if let Some(m) = above {
            findings.push(place.finding(
                Code::RangeError,
                Severity::Error,
                col,
                cell,
                format!(
                    "“{name}”为 {text}，不能大于 {}",
                    crate::value::format_number(m)
                ),
            ));
        }
    }
    if let (Some(rule), Some(span)) = (col.period, value.span) {
        let kind = col.period_kind.unwrap_or(place.table.period);
        if !periods.keeps(rule, kind, span) {
            let window = periods.describe(kind);
            let what = match rule {
                PeriodRule::Within => format!("不在本次统计的{}（{window}）内", kind.label()),
                PeriodRule::NotAfter => format!("晚于本次统计的{}（{window}）", kind.label()),
                PeriodRule::NotBefore => format!("早于本次统计的{}（{window}）", kind.label()),
            };
            findings.push(place.finding(
                Code::PeriodError,
                col.period_severity,
                col,
                cell,
                format!(
                    "“{name}”为 {text}，{what}。请核对年份是否填错，或这条数据是否属于本次统计"
                ),
            ));
        }
    }
    Some(text)
}
