//! Terminal output: a summary per file and table, the findings, then what is missing.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use super::{is_overview, sorted};
use crate::check::Outcome;
use crate::finding::{Code, Finding, Severity};
use crate::period::Periods;
use crate::plan::{DepartmentStatus, Owed};
use crate::rules::RuleSummary;
use crate::schema::{Edition, PeriodKind};

pub struct TerminalOptions<'a> {
    /// At most this many findings of one code in one table are listed; 0 lists all.
    pub max_per_rule: usize,
    /// Terminal width for wrapping, if known.
    pub width: Option<u16>,
    /// With a collection plan: what each department still owes.
    pub departments: Option<&'a [DepartmentStatus]>,
}

fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

fn num(n: usize) -> Cell {
    Cell::new(n).set_alignment(CellAlignment::Right)
}

pub fn render_terminal(edition: &Edition, outcome: &Outcome, opts: &TerminalOptions) -> String {
    let mut out = String::new();
    let p = Periods::new(outcome.year);
    let _ = writeln!(
        out,
        "{}（表定义 {} 版，采集年份 {}）\n统计时点 {}；学年 {}；自然年 {}\n",
        edition.title,
        edition.id,
        outcome.year,
        p.describe(PeriodKind::Point),
        p.describe(PeriodKind::AcademicYear),
        p.describe(PeriodKind::CalendarYear),
    );

    // Files and tables.
    let mut t = new_table(opts.width);
    t.set_header(vec!["文件", "工作表", "表号", "行数", "错误", "警告"]);
    let summary = outcome.summary(edition);
    for f in &outcome.files {
        let rows: Vec<_> = summary.iter().filter(|s| s.file == f.file).collect();
        if !f.readable {
            t.add_row(vec![
                Cell::new(&f.file),
                Cell::new("（无法读取）"),
                Cell::new(""),
                num(0),
                num(1),
                num(0),
            ]);
        } else if rows.is_empty() {
            t.add_row(vec![
                Cell::new(&f.file),
                Cell::new("（没有可对应的工作表）"),
                Cell::new(""),
                num(0),
                num(0),
                num(0),
            ]);
        }
        for s in rows {
            t.add_row(vec![
                Cell::new(&s.file),
                Cell::new(&s.sheet),
                Cell::new(&s.table),
                num(s.rows),
                num(s.errors),
                num(s.warnings),
            ]);
        }
    }
    let _ = writeln!(out, "已读取的文件和表\n{t}\n");

    // Findings, limited per (table, code).
    // Errors first, so that no limit hides an error behind warnings of the same kind.
    let mut listed: Vec<&Finding> = sorted(&outcome.findings)
        .into_iter()
        .filter(|f| !is_overview(f.code) && !f.is_accepted())
        .collect();
    listed.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if listed.is_empty() {
        let _ = writeln!(out, "没有发现问题。\n");
    } else {
        let mut shown: HashMap<(Option<String>, Code, Severity), usize> = HashMap::new();
        let mut hidden: BTreeMap<(String, Code, Severity), usize> = BTreeMap::new();
        let mut t = new_table(opts.width);
        t.set_header(vec!["级别", "位置", "代码", "说明"]);
        for f in listed {
            let n = shown
                .entry((f.table.clone(), f.code, f.severity))
                .or_insert(0);
            *n += 1;
            if opts.max_per_rule > 0 && *n > opts.max_per_rule {
                *hidden
                    .entry((f.table.clone().unwrap_or_default(), f.code, f.severity))
                    .or_insert(0) += 1;
                continue;
            }
            // The rule id and the row's key are what an explanation names.
            let mut code = f.code.to_string();
            if let Some(r) = &f.rule {
                code.push_str(&format!("\n{r}"));
                if let Some(k) = &f.key {
                    code.push_str(&format!("\n键 {k}"));
                }
            }
            t.add_row(vec![
                Cell::new(f.severity.label()),
                Cell::new(f.location.describe()),
                Cell::new(code),
                Cell::new(&f.message),
            ]);
        }
        let _ = writeln!(out, "发现的问题\n{t}");
        if !hidden.is_empty() {
            let _ = writeln!(
                out,
                "（以下各项只列出了前 {} 条；加 --max-per-rule 0 显示全部，或用 --format json）",
                opts.max_per_rule
            );
            for ((table, code, severity), n) in &hidden {
                let _ = writeln!(
                    out,
                    "  表{table} 的 {code}（{}）：另有 {n} 条未列出",
                    severity.label()
                );
            }
        }
        out.push('\n');
    }

    // Warnings the office accepted.
    let accepted: Vec<&Finding> = sorted(&outcome.findings)
        .into_iter()
        .filter(|f| f.is_accepted())
        .collect();
    if !accepted.is_empty() {
        let mut t = new_table(opts.width);
        t.set_header(vec!["位置", "规则", "问题", "说明（已接受）"]);
        for f in &accepted {
            t.add_row(vec![
                Cell::new(f.location.describe()),
                Cell::new(f.rule.as_deref().unwrap_or("")),
                Cell::new(&f.message),
                Cell::new(f.accepted.as_deref().unwrap_or("")),
            ]);
        }
        let _ = writeln!(out, "已说明的警告（已接受，不需再改）\n{t}\n");
    }

    // References and rules that could not be checked.
    let unchecked: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| matches!(f.code, Code::ReferenceUnchecked | Code::RuleUnchecked))
        .collect();
    if !unchecked.is_empty() {
        let _ = writeln!(out, "未能核对的引用和规则（缺少需要的表）");
        for f in unchecked {
            let _ = writeln!(out, "  - {}", f.message);
        }
        out.push('\n');
    }

    // Missing tables by owner.
    let mut by_owner: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut optional = Vec::new();
    for f in outcome
        .findings
        .iter()
        .filter(|f| f.code == Code::MissingTable)
    {
        let Some(t) = f.table.as_deref().and_then(|id| edition.table(id)) else {
            continue;
        };
        if f.severity == Severity::Info {
            optional.push(t.title());
        } else {
            by_owner.entry(t.owner.clone()).or_default().push(t.title());
        }
    }
    if let Some(depts) = opts.departments {
        out.push_str(&render_departments(depts, opts.width));
    } else if !by_owner.is_empty() {
        let mut t = new_table(opts.width);
        t.set_header(vec!["责任单位", "没有收到的表"]);
        for (owner, tables) in &by_owner {
            t.add_row(vec![Cell::new(owner), Cell::new(tables.join("\n"))]);
        }
        let _ = writeln!(out, "没有收到的表（按责任单位）\n{t}");
    }
    if !optional.is_empty() {
        let _ = writeln!(
            out,
            "另有 {} 张选填表没有收到（如{}），仅相关学校需要填报。\n",
            optional.len(),
            optional[0]
        );
    }

    let accepted = outcome.accepted();
    let _ = writeln!(
        out,
        "合计：{} 个错误，{} 个警告{}，{} 个提示。",
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning) - accepted,
        if accepted > 0 {
            format!("（另有 {accepted} 个已说明的警告）")
        } else {
            String::new()
        },
        outcome.count(Severity::Info)
    );
    out
}

/// `check --plan`: per department, the tables still missing, empty or with errors.
fn render_departments(depts: &[DepartmentStatus], width: Option<u16>) -> String {
    let mut t = new_table(width);
    t.set_header(vec!["责任单位", "未收到", "空表", "有错误", "已通过"]);
    let list = |v: &[Owed]| {
        v.iter()
            .map(|o| format!("表{} {}（{} 截止）", o.table, o.name, o.deadline))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for d in depts {
        let errs: Vec<String> = d
            .with_errors
            .iter()
            .map(|(o, n)| {
                format!(
                    "表{} {}：{n} 个错误（{} 截止）",
                    o.table, o.name, o.deadline
                )
            })
            .collect();
        t.add_row(vec![
            Cell::new(&d.department),
            Cell::new(list(&d.missing)),
            Cell::new(list(&d.empty)),
            Cell::new(errs.join("\n")),
            num(d.done),
        ]);
    }
    let owing = depts.iter().filter(|d| !d.is_clear()).count();
    format!("各部门待办（按采集工作方案，{owing} 个部门还有未完成的表）\n{t}\n")
}

/// `statedata schemas`: the edition's tables.
/// The list of `statedata rules`.
pub fn render_rules(edition: &Edition, rules: &[RuleSummary], width: Option<u16>) -> String {
    let mut t = new_table(width);
    t.set_header(vec!["编号", "类型", "级别", "涉及的表", "说明", "来源"]);
    for r in rules {
        t.add_row(vec![
            Cell::new(&r.id),
            Cell::new(r.kind.label()),
            Cell::new(r.severity.label()),
            Cell::new(r.tables.join(" ")),
            Cell::new(&r.description),
            Cell::new(&r.source),
        ]);
    }
    format!("{} 的检查规则（{} 条）\n{t}\n", edition.id, rules.len())
}

pub fn render_schemas(edition: &Edition, width: Option<u16>) -> String {
    let mut t = new_table(width);
    t.set_header(vec![
        "表号",
        "表名",
        "统计时间",
        "形式",
        "基础表",
        "责任单位",
        "列数",
    ]);
    for table in &edition.tables {
        let mut name = table.name.clone();
        if let Some(g) = &table.group {
            name = format!("{name}（{g}）");
        }
        t.add_row(vec![
            Cell::new(&table.id),
            Cell::new(name),
            Cell::new(table.period.label()),
            Cell::new(table.shape.label()),
            Cell::new(if table.base { "是" } else { "" }),
            Cell::new(&table.owner),
            num(table.columns.len()),
        ]);
    }
    format!(
        "{}（{}，{} 张表，来源 {}）\n{t}\n",
        edition.title,
        edition.id,
        edition.tables.len(),
        edition.origin
    )
}
