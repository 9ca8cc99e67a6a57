//! `statedata init` and `statedata assign`, and `check --plan` on the real corpus.

mod common;
use common::{corpus, soffice_convert, statedata};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use statedata::read::read_workbook;
use statedata::schema::load_embedded;
use tempfile::TempDir;

fn rows_of(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let wb = read_workbook(path).unwrap();
    let s = wb.sheets.iter().find(|s| s.name == sheet).unwrap();
    let g = &s.grid;
    (g.origin.0..g.end_row())
        .map(|r| (0..g.end_col()).map(|c| g.get(r, c).display()).collect())
        .collect()
}

#[test]
fn init_then_assign_writes_the_three_outputs() {
    let dir = TempDir::new().unwrap();
    let out = statedata()
        .current_dir(dir.path())
        .args(["init", "--year", "2026"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = dir.path().join("collection.toml");
    assert!(plan.is_file());
    // init never overwrites a plan the office has edited.
    let again = statedata()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));

    let out = statedata()
        .current_dir(dir.path())
        .args(["assign", "-o", "发给各部门"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = dir.path().join("发给各部门");
    let breakdown = root.join("填报责任分解表.xlsx");
    assert!(breakdown.is_file());

    let edition = load_embedded("2025").unwrap();
    let rows = rows_of(&breakdown, "责任分解表");
    assert_eq!(
        rows[1],
        vec![
            "序号",
            "表号",
            "表名",
            "统计时间",
            "责任单位",
            "协作单位",
            "步骤",
            "截止时间",
            "备注"
        ]
    );
    let body = &rows[2..];
    // Every table exactly once.
    let ids: Vec<&str> = body.iter().map(|r| r[1].as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), edition.tables.len());
    assert_eq!(unique.len(), edition.tables.len());
    // Collection year 2026: 时点 2026-09-30, 学年 2025-09-01…2026-08-31, 自然年 2025; deadlines of
    // the five steps on 08-25, 08-26, 08-29, 09-08 and 09-13 of 2026 (2025-collection-plan.txt).
    for r in body {
        let t = edition.table(&r[1]).unwrap();
        assert_eq!(r[2], t.name);
        assert_eq!(r[4], t.owner, "owner of 表{}", t.id);
        let period = match t.period.label() {
            "时点" => "时点（2026-09-30）",
            "学年" => "学年（2025-09-01至2026-08-31）",
            _ => "自然年（2025-01-01至2025-12-31）",
        };
        assert_eq!(r[3], period, "period of 表{}", t.id);
        let deadline = match r[1].as_str() {
            "1-1" | "1-2" | "1-3" => "2026-08-25",
            "1-4-1" => "2026-08-26",
            "1-5-1" | "1-5-2" | "1-5-3" | "1-6" | "1-7-1" => "2026-08-29",
            "2-3-1" | "2-3-2" | "2-8-1" | "2-8-2" | "3-2" => "2026-09-08",
            _ => "2026-09-13",
        };
        assert_eq!(r[7], deadline, "deadline of 表{}", t.id);
    }
    // Sorted by step, then table: the base tables of 步骤一 come first.
    assert_eq!(&ids[..3], &["1-1", "1-2", "1-3"]);
    assert_eq!(ids[3], "1-4-1");

    // One 质量监控表 and one template per responsible department.
    let owners: BTreeSet<String> = edition.tables.iter().map(|t| t.owner.clone()).collect();
    for owner in &owners {
        let monitor = root.join("质量监控表").join(format!("{owner}.xlsx"));
        let template = root.join("templates").join(format!("{owner}.xlsx"));
        assert!(monitor.is_file(), "{}", monitor.display());
        assert!(template.is_file(), "{}", template.display());
        let m = rows_of(&monitor, "质量监控表");
        assert!(m[1].contains(&"部门负责人签字".to_string()));
        let mine = edition.tables.iter().filter(|t| &t.owner == owner).count();
        let listed = m[2..]
            .iter()
            .filter(|r| r[0].parse::<usize>().is_ok())
            .count();
        assert_eq!(listed, mine, "tables of {owner}");
    }
    // And a sheet per department in the breakdown.
    let wb = read_workbook(&breakdown).unwrap();
    assert_eq!(wb.sheets.len(), owners.len() + 1);
}

#[test]
fn a_plan_naming_an_unknown_department_is_refused_with_its_line() {
    let dir = TempDir::new().unwrap();
    statedata()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    let plan = dir.path().join("collection.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let text = text.replacen("owner = \"教务处\"", "owner = \"教务部\"", 1);
    std::fs::write(&plan, &text).unwrap();
    let line = text.lines().position(|l| l.contains("教务部")).unwrap() + 1;
    let out = statedata()
        .current_dir(dir.path())
        .args(["assign", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("第 {line} 行")), "{err}");
    assert!(err.contains("教务部"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// Which department sent which tables in the corpus (its 17 workbooks, by file name).
const CORPUS: [(&str, &[&str]); 17] = [
    (
        "人事处",
        &["1-5-1", "1-5-2", "1-5-3", "3-2", "3-3-1", "3-3-2", "3-4-2"],
    ),
    ("党政办公室", &["1-1", "1-2", "1-3", "3-1"]),
    ("创新创业学院", &["3-6", "5-4-1", "5-4-3"]),
    ("团委", &["5-5", "6-8"]),
    ("学生处", &["6-1", "6-4"]),
    ("就业指导中心", &["6-5-1", "6-5-2"]),
    ("招生办公室", &["6-3-1", "6-3-2", "6-3-3", "6-3-4"]),
    (
        "教务处",
        &[
            "1-4-1", "1-6", "2-4", "4-2", "4-3", "5-1-1", "5-1-2", "5-1-3", "5-1-4", "5-1-5",
            "5-2-1", "5-2-2", "5-3-1", "5-3-2", "6-2-1", "6-6", "6-6-1", "6-6-3", "6-6-4", "6-6-6",
            "6-6-7", "7-1", "7-3-1", "7-3-2", "7-3-3", "3-5-6",
        ],
    ),
    ("教学质量监控中心", &["7-2", "7-4"]),
    ("教师教学发展中心", &["3-4-1"]),
    (
        "教师教育学院",
        &[
            "SF-1", "SF-2", "SF-4", "SF-5", "SF-6", "SF-7", "SF-8", "SF-9", "SF-10", "SF-11",
            "SF-12", "SF-13", "SF-14",
        ],
    ),
    ("研究生院", &["4-1-1", "4-1-3", "4-1-4"]),
    (
        "科技处",
        &["1-7-2", "3-5-1", "3-5-2", "3-5-3", "3-5-4", "6-6-2"],
    ),
    ("网络与信息化中心", &["2-5"]),
    ("财务处", &["2-8-1", "2-8-2"]),
    ("资产处", &["1-7-1", "2-1", "2-2", "2-6", "2-7"]),
    ("图书馆", &["2-3-1", "2-3-2"]),
];

/// Tables the corpus lacks, given to the department that would fill them.
const NOT_SENT: [(&str, &str); 12] = [
    ("1-4-2", "教务处"),
    ("1-5-4", "人事处"),
    ("3-5-5", "科技处"),
    ("3-5-7", "科技处"),
    ("4-1-2", "研究生院"),
    ("5-2-3", "教务处"),
    ("5-4-2", "创新创业学院"),
    ("6-2-2", "教务处"),
    ("6-6-5", "教务处"),
    ("6-6-8", "科技处"),
    ("6-7", "教务处"),
    ("SF-3", "教师教育学院"),
];

fn corpus_plan() -> String {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for (dept, tables) in CORPUS {
        for t in tables {
            owner.insert(t, dept);
        }
    }
    for (t, dept) in NOT_SENT {
        owner.insert(t, dept);
    }
    let mut s = String::from("school = \"示例艺术学院\"\nyear = 2025\nedition = \"2025\"\n");
    for (dept, _) in CORPUS {
        s.push_str(&format!("[[departments]]\nname = \"{dept}\"\n"));
    }
    s.push_str("[[steps]]\nid = \"步骤一\"\ndeadline = 2025-08-25\n");
    s.push_str("[[steps]]\nid = \"步骤五\"\ndeadline = 2025-09-13\n");
    for (t, dept) in &owner {
        let step = if ["1-1", "1-2", "1-3"].contains(t) {
            "步骤一"
        } else {
            "步骤五"
        };
        s.push_str(&format!(
            "[[tables]]\ntable = \"{t}\"\nowner = \"{dept}\"\nstep = \"{step}\"\n"
        ));
    }
    s
}

#[test]
fn check_with_a_plan_says_what_each_department_owes() {
    let edition = load_embedded("2025").unwrap();
    assert_eq!(
        CORPUS.iter().map(|(_, t)| t.len()).sum::<usize>() + NOT_SENT.len(),
        edition.tables.len(),
        "the plan covers every table"
    );
    let dir = TempDir::new().unwrap();
    let plan = dir.path().join("collection.toml");
    std::fs::write(&plan, corpus_plan()).unwrap();
    let out = statedata()
        .args(["check", "--format", "json", "--plan"])
        .arg(&plan)
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let depts = doc["departments"].as_array().unwrap();
    let by_name = |name: &str| depts.iter().find(|d| d["department"] == name).unwrap();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| o["table"].as_str().unwrap().to_string())
            .collect()
    };
    // Owed: the tables the corpus lacks (SF-3 is optional: not demanded).
    assert_eq!(
        ids(&by_name("教务处")["missing"]),
        ["1-4-2", "5-2-3", "6-2-2", "6-6-5", "6-7"]
    );
    assert_eq!(
        ids(&by_name("科技处")["missing"]),
        ["3-5-5", "3-5-7", "6-6-8"]
    );
    assert_eq!(ids(&by_name("人事处")["missing"]), ["1-5-4"]);
    assert_eq!(ids(&by_name("研究生院")["missing"]), ["4-1-2"]);
    assert_eq!(ids(&by_name("创新创业学院")["missing"]), ["5-4-2"]);
    assert!(ids(&by_name("教师教育学院")["missing"]).is_empty());
    assert_eq!(by_name("教务处")["missing"][0]["deadline"], "2025-09-13");
    // Empty: 表7-4 has a header and no report.
    assert_eq!(ids(&by_name("教学质量监控中心")["empty"]), ["7-4"]);
    // With errors (tests/expected/school-2025.md): 1-5-1, 5-1-1, 5-3-2, SF-9 (14 unknown
    // 开课号 and 11 course names that differ from 5-1-1, rule RF-08-SF-9), SF-11.
    let errs = |name: &str| -> Vec<(String, u64)> {
        by_name(name)["with_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e[0]["table"].as_str().unwrap().to_string(),
                    e[1].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(errs("人事处"), [("1-5-1".to_string(), 472)]);
    assert_eq!(
        errs("教务处"),
        [("5-1-1".to_string(), 70), ("5-3-2".to_string(), 6)]
    );
    assert_eq!(
        errs("教师教育学院"),
        [("SF-9".to_string(), 25), ("SF-11".to_string(), 12)]
    );
    // Departments with nothing owed are clear.
    let clear = by_name("财务处");
    assert!(
        ids(&clear["missing"]).is_empty() && clear["with_errors"].as_array().unwrap().is_empty()
    );
    assert_eq!(clear["done"], 2);
    // Missing-table findings name the plan's department.
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "missing-table" && f["table"] == "3-5-5")
        .unwrap();
    assert!(f["message"].as_str().unwrap().contains("科技处"));

    // The terminal shows the same per department.
    let out = statedata()
        .args(["check", "--plan"])
        .arg(&plan)
        .arg(corpus())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("各部门待办"), "{text}");
    assert!(
        text.contains("表1-4-2 专业大类情况表（2025-09-13 截止）"),
        "{text}"
    );
}

#[test]
fn libreoffice_opens_every_generated_workbook() {
    let dir = TempDir::new().unwrap();
    let out = statedata()
        .current_dir(dir.path())
        .args(["assign", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut files = vec![dir.path().join("out/填报责任分解表.xlsx")];
    for sub in ["质量监控表", "templates"] {
        for e in std::fs::read_dir(dir.path().join("out").join(sub)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    let pdf_dir = TempDir::new().unwrap();
    soffice_convert(&files, "pdf", pdf_dir.path());
    // One PDF per workbook; templates/ and 质量监控表/ share file names, so count per folder.
    let pdfs = std::fs::read_dir(pdf_dir.path()).unwrap().count();
    let distinct: BTreeSet<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(pdfs, distinct.len());
    for e in std::fs::read_dir(pdf_dir.path()).unwrap() {
        assert!(e.unwrap().metadata().unwrap().len() > 1000);
    }
}

#[test]
fn assign_warns_about_an_unfinished_plan() {
    let dir = TempDir::new().unwrap();
    statedata()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    let plan = dir.path().join("collection.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    // Drop the assignment of 表2-5 校园网 from the plan.
    let start = text.find("[[tables]]  # 校园网").unwrap();
    let end = start + text[start..].find("\n\n").unwrap() + 2;
    std::fs::write(&plan, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let out = statedata()
        .current_dir(dir.path())
        .args(["assign", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("没有填写学校名称"), "{stdout}");
    assert!(
        stdout.contains("1 张表没有分配") && stdout.contains("表2-5 校园网"),
        "{stdout}"
    );
}
