//! The collection plan (`collection.toml`): who fills which table, with whom, in which step, by
//! when — the office's 填报责任分解表 as data. `init` writes a starting plan from the schemas and
//! the five steps of the 2025 plan (base tables first); loading checks every table, department
//! and step it names and says on which line a wrong one is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::schema::{table_order, Edition, Table};

/// One department with its contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub name: String,
    pub contact: String,
    pub phone: String,
}

/// A step of the collection, with its deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub deadline: NaiveDate,
    pub note: String,
}

/// Who fills one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub table: String,
    pub owner: String,
    pub collaborators: Vec<String>,
    pub step: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub school: String,
    pub school_code: String,
    pub year: i32,
    pub edition: String,
    pub departments: Vec<Department>,
    pub steps: Vec<Step>,
    pub tables: Vec<Assignment>,
}

/// A plan that cannot be used: the file, the line and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{} 第 {l} 行：{}", self.file, self.message),
            None => write!(f, "{}：{}", self.file, self.message),
        }
    }
}

impl std::error::Error for PlanError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    school: String,
    #[serde(default)]
    school_code: String,
    year: i32,
    edition: String,
    #[serde(default)]
    departments: Vec<DepartmentFile>,
    steps: Vec<StepFile>,
    tables: Vec<AssignmentFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentFile {
    name: Spanned<String>,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    id: Spanned<String>,
    deadline: toml::value::Datetime,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentFile {
    table: Spanned<String>,
    owner: Spanned<String>,
    #[serde(default)]
    collaborators: Vec<Spanned<String>>,
    step: Spanned<String>,
    #[serde(default)]
    note: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Plan {
    /// Reads and checks a plan against an edition.
    pub fn load(path: &Path, edition: &Edition) -> Result<Plan, PlanError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PlanError {
            file: file.clone(),
            line: None,
            message: format!("无法读取：{e}"),
        })?;
        Plan::parse(&text, &file, edition)
    }

    /// Parses and checks plan text; `file` names it in errors.
    pub fn parse(text: &str, file: &str, edition: &Edition) -> Result<Plan, PlanError> {
        let err = |span: Option<std::ops::Range<usize>>, message: String| PlanError {
            file: file.to_string(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let pf: PlanFile = toml::from_str(text).map_err(|e| {
            let m = e.message().trim_end();
            let message = if m.contains("date") || m.contains("datetime") {
                format!("截止时间应写成不加引号的日期，如 deadline = 2025-08-25（{m}）")
            } else if m.contains("unknown field") {
                format!("有不认识的项目名（{m}）")
            } else if m.contains("missing field") {
                format!("缺少必填的项目（{m}）")
            } else {
                format!("格式不对（{m}）")
            };
            err(e.span(), message)
        })?;
        if pf.edition != edition.id {
            return Err(err(
                None,
                format!(
                    "edition = {:?} 与所用的表定义（{}）不一致",
                    pf.edition, edition.id
                ),
            ));
        }
        let mut departments = Vec::new();
        let mut dept_names = HashSet::new();
        for d in &pf.departments {
            if !dept_names.insert(d.name.get_ref().clone()) {
                return Err(err(
                    Some(d.name.span()),
                    format!("部门“{}”重复", d.name.get_ref()),
                ));
            }
            departments.push(Department {
                name: d.name.get_ref().clone(),
                contact: d.contact.clone(),
                phone: d.phone.clone(),
            });
        }
        let mut steps = Vec::new();
        let mut step_ids = HashSet::new();
        for s in &pf.steps {
            if !step_ids.insert(s.id.get_ref().clone()) {
                return Err(err(
                    Some(s.id.span()),
                    format!("步骤“{}”重复", s.id.get_ref()),
                ));
            }
            let d = s
                .deadline
                .date
                .ok_or_else(|| err(Some(s.id.span()), "deadline 应为日期，如 2025-08-25".into()))?;
            let deadline = NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                .ok_or_else(|| err(Some(s.id.span()), "deadline 不是有效日期".into()))?;
            steps.push(Step {
                id: s.id.get_ref().clone(),
                deadline,
                note: s.note.clone(),
            });
        }
        let mut tables = Vec::new();
        let mut seen = HashSet::new();
        for a in &pf.tables {
            let id = a.table.get_ref().trim_start_matches('表').to_string();
            if edition.table(&id).is_none() {
                return Err(err(
                    Some(a.table.span()),
                    format!("表“{}”不是 {} 版的采集表", a.table.get_ref(), edition.id),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(err(
                    Some(a.table.span()),
                    format!("表{id}重复出现，每张表只能分配一次"),
                ));
            }
            let check_dept = |name: &Spanned<String>| {
                if dept_names.contains(name.get_ref()) {
                    Ok(())
                } else {
                    Err(err(
                        Some(name.span()),
                        format!(
                            "部门“{}”不在 [[departments]] 中（请先在部门列表中添加，或改正名称）",
                            name.get_ref()
                        ),
                    ))
                }
            };
            check_dept(&a.owner)?;
            for c in &a.collaborators {
                check_dept(c)?;
            }
            if !step_ids.contains(a.step.get_ref()) {
                return Err(err(
                    Some(a.step.span()),
                    format!("步骤“{}”不在 [[steps]] 中", a.step.get_ref()),
                ));
            }
            tables.push(Assignment {
                table: id,
                owner: a.owner.get_ref().clone(),
                collaborators: a
                    .collaborators
                    .iter()
                    .map(|c| c.get_ref().clone())
                    .collect(),
                step: a.step.get_ref().clone(),
                note: a.note.clone(),
            });
        }
        Ok(Plan {
            school: pf.school,
            school_code: pf.school_code,
            year: pf.year,
            edition: pf.edition,
            departments,
            steps,
            tables,
        })
    }

    /// The starting plan: every table of the edition with its owner from the schemas, and the
    /// five steps of the 2025 collection plan with dates in year `year`.
    pub fn starting(edition: &Edition, year: i32) -> Plan {
        // 2025-collection-plan.txt, 第二阶段: 步骤一 … 步骤五 with their 最终提交时间.
        let steps: [(&str, u32, u32, &str, &[&str]); 5] = [
            (
                "步骤一",
                8,
                25,
                "学校概况与单位（基础表）",
                &["1-1", "1-2", "1-3"],
            ),
            ("步骤二", 8, 26, "专业（基础表）", &["1-4-1"]),
            (
                "步骤三",
                8,
                29,
                "教职工、学生、实验场所（基础表）；表1-6 可延后至新生报到后完成",
                &["1-5-1", "1-5-2", "1-5-3", "1-6", "1-7-1"],
            ),
            (
                "步骤四",
                9,
                8,
                "图书、经费、管理人员",
                &["2-3-1", "2-3-2", "2-8-1", "2-8-2", "3-2", "3-3-3"],
            ),
            ("步骤五", 9, 13, "其他采集表", &[]),
        ];
        let mut step_of: HashMap<&str, &str> = HashMap::new();
        for (id, _, _, _, tables) in &steps {
            for t in *tables {
                step_of.insert(t, id);
            }
        }
        let mut names: Vec<String> = Vec::new();
        for t in &edition.tables {
            for d in std::iter::once(&t.owner).chain(&t.collaborators) {
                if !names.contains(d) {
                    names.push(d.clone());
                }
            }
        }
        Plan {
            school: "（学校名称）".into(),
            school_code: String::new(),
            year,
            edition: edition.id.clone(),
            departments: names
                .into_iter()
                .map(|name| Department {
                    name,
                    contact: String::new(),
                    phone: String::new(),
                })
                .collect(),
            steps: steps
                .iter()
                .map(|(id, m, d, note, _)| Step {
                    id: id.to_string(),
                    deadline: NaiveDate::from_ymd_opt(year, *m, *d).expect("fixed dates"),
                    note: note.to_string(),
                })
                .collect(),
            tables: edition
                .tables
                .iter()
                .map(|t| Assignment {
                    table: t.id.clone(),
                    owner: t.owner.clone(),
                    collaborators: t.collaborators.clone(),
                    step: step_of.get(t.id.as_str()).unwrap_or(&"步骤五").to_string(),
                    note: String::new(),
                })
                .collect(),
        }
    }

    /// The plan as TOML, with comments for the office.
    pub fn to_toml(&self, edition: &Edition) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# 高等教育质量监测国家数据平台采集工作方案（statedata init 生成）\n\
             # 按本校情况修改：学校名称、部门联系人、各表的责任单位、协作单位、步骤和截止时间。\n\
             # 然后运行 statedata assign 生成填报责任分解表、质量监控表和各部门的空白表格。\n"
        );
        let _ = writeln!(out, "school = {}", q(&self.school));
        let _ = writeln!(out, "school_code = {}", q(&self.school_code));
        let _ = writeln!(out, "year = {}", self.year);
        let _ = writeln!(out, "edition = {}\n", q(&self.edition));
        let _ = writeln!(out, "# 部门：名称、联系人、电话");
        for d in &self.departments {
            let _ = writeln!(
                out,
                "[[departments]]\nname = {}\ncontact = {}\nphone = {}\n",
                q(&d.name),
                q(&d.contact),
                q(&d.phone)
            );
        }
        let _ = writeln!(out, "# 填报步骤与截止时间（基础表先填）");
        for s in &self.steps {
            let _ = writeln!(
                out,
                "[[steps]]\nid = {}\ndeadline = {}\nnote = {}\n",
                q(&s.id),
                s.deadline.format("%Y-%m-%d"),
                q(&s.note)
            );
        }
        let _ = writeln!(out, "# 每张表的责任单位、协作单位和步骤");
        for a in &self.tables {
            let name = edition
                .table(&a.table)
                .map(|t| t.name.as_str())
                .unwrap_or("");
            let collab: Vec<String> = a.collaborators.iter().map(|c| q(c)).collect();
            let _ = writeln!(
                out,
                "[[tables]]  # {name}\ntable = {}\nowner = {}\ncollaborators = [{}]\nstep = {}\nnote = {}\n",
                q(&a.table),
                q(&a.owner),
                collab.join(", "),
                q(&a.step),
                q(&a.note)
            );
        }
        out
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn assignment(&self, table: &str) -> Option<&Assignment> {
        self.tables.iter().find(|a| a.table == table)
    }

    /// Assignments in step order, then table order.
    pub fn ordered<'a>(&'a self, edition: &'a Edition) -> Vec<(&'a Assignment, &'a Table)> {
        let step_rank: HashMap<&str, usize> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut v: Vec<(&Assignment, &Table)> = self
            .tables
            .iter()
            .filter_map(|a| edition.table(&a.table).map(|t| (a, t)))
            .collect();
        v.sort_by_key(|(a, t)| (step_rank.get(a.step.as_str()).copied(), table_order(&t.id)));
        v
    }

    /// The tables each department is responsible for, in step order.
    pub fn by_department<'a>(
        &'a self,
        edition: &'a Edition,
    ) -> BTreeMap<String, Vec<(&'a Assignment, &'a Table)>> {
        let mut m: BTreeMap<String, Vec<(&Assignment, &Table)>> = BTreeMap::new();
        for (a, t) in self.ordered(edition) {
            m.entry(a.owner.clone()).or_default().push((a, t));
        }
        m
    }

    /// The responsible department of each table, for findings.
    pub fn owners(&self) -> BTreeMap<String, String> {
        self.tables
            .iter()
            .map(|a| (a.table.clone(), a.owner.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::load_embedded;

    #[test]
    fn the_starting_plan_round_trips_and_covers_every_table() {
        let ed = load_embedded("2025").unwrap();
        let plan = Plan::starting(&ed, 2025);
        let text = plan.to_toml(&ed);
        let back = Plan::parse(&text, "collection.toml", &ed).unwrap();
        assert_eq!(back, plan);
        assert_eq!(back.tables.len(), ed.tables.len());
        assert_eq!(back.assignment("1-6").unwrap().step, "步骤三");
        assert_eq!(back.assignment("5-1-1").unwrap().step, "步骤五");
        assert_eq!(
            back.step("步骤一").unwrap().deadline,
            NaiveDate::from_ymd_opt(2025, 8, 25).unwrap()
        );
    }

    #[test]
    fn unknown_names_are_errors_naming_the_line() {
        let ed = load_embedded("2025").unwrap();
        let text = Plan::starting(&ed, 2025).to_toml(&ed);
        let bad = text.replacen("owner = \"人事处\"", "owner = \"人士处\"", 1);
        let e = Plan::parse(&bad, "p.toml", &ed).unwrap_err();
        let line = bad.lines().position(|l| l.contains("人士处")).unwrap() + 1;
        assert_eq!(e.line, Some(line));
        assert!(e.message.contains("人士处"));
        let bad = text.replacen("table = \"1-1\"", "table = \"1-99\"", 1);
        let e = Plan::parse(&bad, "p.toml", &ed).unwrap_err();
        assert_eq!(
            e.line,
            Some(bad.lines().position(|l| l.contains("1-99")).unwrap() + 1)
        );
        let bad = text.replacen("deadline = 2025-08-25", "deadline = 2025-02-30", 1);
        let e = Plan::parse(&bad, "p.toml", &ed).unwrap_err();
        assert!(e.message.starts_with("截止时间应写成"), "{}", e.message);
        assert_eq!(
            e.line,
            Some(bad.lines().position(|l| l.contains("2025-02-30")).unwrap() + 1)
        );
        let bad = text.replacen("step = \"步骤一\"", "step = \"步骤六\"", 1);
        let e = Plan::parse(&bad, "p.toml", &ed).unwrap_err();
        assert!(e.message.contains("步骤六"));
        assert_eq!(
            e.line,
            Some(bad.lines().position(|l| l.contains("步骤六")).unwrap() + 1)
        );
    }
}

/// What one department still owes, for `check --plan`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DepartmentStatus {
    pub department: String,
    /// Tables of the department that no file provided: (表号, step deadline).
    pub missing: Vec<Owed>,
    /// Tables provided with no data.
    pub empty: Vec<Owed>,
    /// Tables with errors, and how many.
    pub with_errors: Vec<(Owed, usize)>,
    /// Tables received without error.
    pub done: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Owed {
    pub table: String,
    pub name: String,
    pub step: String,
    pub deadline: String,
}

impl DepartmentStatus {
    pub fn is_clear(&self) -> bool {
        self.missing.is_empty() && self.empty.is_empty() && self.with_errors.is_empty()
    }
}

/// Per department of the plan: which of its tables are missing, empty or have errors.
pub fn department_status(
    edition: &Edition,
    plan: &Plan,
    outcome: &crate::check::Outcome,
) -> Vec<DepartmentStatus> {
    use crate::finding::{Code, Severity};
    let mut out = Vec::new();
    for (dept, rows) in plan.by_department(edition) {
        let mut st = DepartmentStatus {
            department: dept.clone(),
            missing: Vec::new(),
            empty: Vec::new(),
            with_errors: Vec::new(),
            done: 0,
        };
        for (a, t) in rows {
            let owed = Owed {
                table: t.id.clone(),
                name: t.name.clone(),
                step: a.step.clone(),
                deadline: plan
                    .step(&a.step)
                    .map(|s| s.deadline.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            };
            let parts: Vec<_> = outcome
                .parts
                .iter()
                .filter(|p| p.part.table == t.id)
                .collect();
            if parts.is_empty() {
                if !edition.is_optional(t) {
                    st.missing.push(owed);
                }
                continue;
            }
            if parts.iter().all(|p| p.part.records.is_empty()) {
                st.empty.push(owed);
                continue;
            }
            let errors = outcome
                .findings
                .iter()
                .filter(|f| {
                    f.severity == Severity::Error
                        && f.table.as_deref() == Some(t.id.as_str())
                        && f.code != Code::MissingTable
                })
                .count();
            if errors > 0 {
                st.with_errors.push((owed, errors));
            } else {
                st.done += 1;
            }
        }
        out.push(st);
    }
    out
}
