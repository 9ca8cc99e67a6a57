//! `statedata init` and `statedata assign`: the collection plan and what it gives each
//! department.

use std::path::{Path, PathBuf};

use super::check::progress_bar;
use super::{SchemaSource, EXIT_FAILED, EXIT_OK};
use crate::assign::breakdown::{write_breakdown, write_monitor, BREAKDOWN_FILE};
use crate::plan::Plan;
use crate::xlsx::safe_file_name;

pub const PLAN_FILE: &str = "collection.toml";

/// `statedata init [DIR]`: writes a starting plan; never overwrites one.
pub fn init(schemas: &SchemaSource, dir: &Path, year: i32) -> i32 {
    let edition = match schemas.load() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    let path = dir.join(PLAN_FILE);
    if path.exists() {
        eprintln!(
            "statedata: {} 已存在，没有覆盖。请直接修改它，或先把它改名/移走再运行 init",
            path.display()
        );
        return EXIT_FAILED;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("statedata: 无法创建文件夹 {}：{e}", dir.display());
        return EXIT_FAILED;
    }
    let plan = Plan::starting(&edition, year);
    let text = plan.to_toml(&edition);
    let tmp = dir.join(format!(".{PLAN_FILE}.part"));
    let written = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("statedata: 无法写入 {}：{e}", path.display());
        return EXIT_FAILED;
    }
    outln!(
        "已生成采集工作方案 {}：{} 张表、{} 个部门、{} 个步骤。请修改学校名称、部门联系人和分工，然后运行 statedata assign。",
        path.display(),
        plan.tables.len(),
        plan.departments.len(),
        plan.steps.len()
    );
    EXIT_OK
}

/// `statedata assign [--plan FILE] -o DIR`.
pub fn run(schemas: &SchemaSource, plan: Option<&Path>, out: &Path, year: i32) -> i32 {
    let edition = match schemas.load() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    let default = PathBuf::from(PLAN_FILE);
    let plan_path = plan.or_else(|| default.is_file().then_some(default.as_path()));
    let plan = match plan_path {
        Some(p) => match Plan::load(p, &edition) {
            Ok(plan) => plan,
            Err(e) => {
                eprintln!("statedata: {e}");
                return EXIT_FAILED;
            }
        },
        None => {
            outln!("没有找到 {PLAN_FILE}，按各表的常见责任单位生成（可先运行 statedata init 生成方案再修改）。");
            Plan::starting(&edition, year)
        }
    };
    for warning in plan_warnings(&edition, &plan) {
        outln!("注意：{warning}");
    }
    let departments = plan.by_department(&edition);
    let pb = progress_bar(1 + 2 * departments.len(), "写入");
    let result = (|| -> anyhow::Result<()> {
        write_breakdown(&edition, &plan, &out.join(BREAKDOWN_FILE))?;
        pb.inc(1);
        for (dept, rows) in &departments {
            let file = format!("{}.xlsx", safe_file_name(dept));
            write_monitor(&edition, &plan, dept, &out.join("质量监控表").join(&file))?;
            pb.inc(1);
            let tables: Vec<_> = rows.iter().map(|(_, t)| *t).collect();
            crate::assign::template::write_template(
                &edition,
                &tables,
                plan.year,
                &out.join("templates").join(&file),
            )?;
            pb.inc(1);
        }
        Ok(())
    })();
    pb.finish_and_clear();
    if let Err(e) = result {
        eprintln!("statedata: {e:#}");
        return EXIT_FAILED;
    }
    outln!(
        "已写入 {}：{BREAKDOWN_FILE}，质量监控表/ 和 templates/ 中各 {} 个部门的文件。",
        out.display(),
        departments.len()
    );
    EXIT_OK
}

/// Things in a valid plan that are probably not meant.
fn plan_warnings(edition: &crate::schema::Edition, plan: &Plan) -> Vec<String> {
    let mut w = Vec::new();
    if plan.school.trim().is_empty() || plan.school.contains("学校名称") {
        w.push(format!(
            "{PLAN_FILE} 中还没有填写学校名称（school），表格标题中会缺少校名"
        ));
    }
    let unassigned: Vec<String> = edition
        .tables
        .iter()
        .filter(|t| plan.assignment(&t.id).is_none())
        .map(|t| t.title())
        .collect();
    if !unassigned.is_empty() {
        w.push(format!(
            "以下 {} 张表没有分配给任何部门，不会出现在分解表中：{}",
            unassigned.len(),
            unassigned.join("、")
        ));
    }
    for s in &plan.steps {
        if chrono::Datelike::year(&s.deadline) != plan.year {
            w.push(format!(
                "{} 的截止时间 {} 不在采集年份 {} 内，请核对",
                s.id,
                s.deadline.format("%Y-%m-%d"),
                plan.year
            ));
        }
    }
    w
}
