//! The committed fixture school (`fixtures/school`, see `fixtures/README.md`):
//! (a) the committed workbooks are exactly what `examples/make_fixtures.rs` writes;
//! (b) the checker finds exactly the planted mistakes, worked out by hand in the README;
//! (c) the CLI agrees with the library.

#[allow(dead_code)]
#[path = "../examples/make_fixtures.rs"]
mod make_fixtures;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use statedata::check::{check, Options, Outcome};
use statedata::finding::{Code, Severity};
use statedata::read::{expand_inputs, read_submission, read_workbook};
use statedata::schema::{load_embedded, Edition};

fn school_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/school")
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
        .to_string()
}

fn run_check() -> (Edition, Outcome) {
    let edition = load_embedded("2025").expect("embedded 2025 edition");
    let files = expand_inputs(&[school_dir()]).expect("fixtures/school exists");
    let submission = read_submission(&edition, &files);
    let rules = statedata::rules::load_embedded(&edition).expect("embedded rules");
    let outcome = check(&edition, submission, &Options::year(2025).with_rules(rules));
    (edition, outcome)
}

#[test]
fn committed_workbooks_are_what_the_generator_writes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let written = make_fixtures::generate(tmp.path()).expect("generate the fixture school");
    let names: BTreeSet<String> = written
        .iter()
        .map(|p| file_name(&p.display().to_string()))
        .collect();
    let expected: BTreeSet<String> = make_fixtures::FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, expected);

    let committed: BTreeSet<String> = std::fs::read_dir(school_dir())
        .expect("fixtures/school")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        committed, expected,
        "fixtures/school holds other files than the generator writes"
    );

    for name in &expected {
        let fresh = std::fs::read(tmp.path().join(name)).expect("regenerated file");
        let old = std::fs::read(school_dir().join(name)).expect("committed file");
        assert!(
            fresh == old,
            "fixtures/school/{name} differs from what examples/make_fixtures.rs writes; \
             run `cargo run --example make_fixtures` and review the change"
        );
    }
}

#[test]
fn the_generator_makes_the_tables_it_claims() {
    // Every sheet is named 表<表号> …, and together they are make_fixtures::TABLES.
    let mut ids = BTreeSet::new();
    for name in make_fixtures::FILES {
        let wb = read_workbook(&school_dir().join(name)).expect("readable fixture");
        for sheet in &wb.sheets {
            let id = sheet
                .name
                .strip_prefix('表')
                .and_then(|s| s.split(' ').next())
                .expect("sheet named 表<表号> <表名>");
            assert!(ids.insert(id.to_string()), "table {id} given twice");
        }
    }
    let claimed: BTreeSet<String> = make_fixtures::TABLES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(ids, claimed);
}

/// Every planted mistake (fixtures/README.md), as (file, sheet, cell, code).
const EXPECTED: [(&str, &str, &str, &str); 13] = [
    // 1. 工号 000123 typed as a number cell: 123.
    (
        "人事处.xlsx",
        "表1-5-1 教职工基本信息",
        "A5",
        "code-as-number",
    ),
    // 2. 入校时间 written as text that is no date: 2019年13月.
    ("人事处.xlsx", "表1-5-1 教职工基本信息", "E6", "type-error"),
    // 3. 专业技术职称 typed with a typo: 副教受.
    ("人事处.xlsx", "表1-5-1 教职工基本信息", "L7", "enum-error"),
    // 4. 入校时间 2025-10 (a date cell) after the 时点 2025-09-30.
    (
        "人事处.xlsx",
        "表1-5-1 教职工基本信息",
        "E8",
        "period-error",
    ),
    // 5. 单位号 0209 in neither 表1-2 nor 表1-3.
    (
        "人事处.xlsx",
        "表1-5-1 教职工基本信息",
        "G9",
        "reference-error",
    ),
    // 1'. consequence of 1: 表1-5-2 rightly says 000123, which 表1-5-1 no longer holds.
    (
        "人事处.xlsx",
        "表1-5-2 教职工其他信息表",
        "A5",
        "reference-error",
    ),
    // 1'. and 表5-1-1 rightly gives her courses under 000123 (L10).
    ("教务处.xlsx", "表5-1-1 开课情况", "L10", "reference-error"),
    // 1''. consequences of 1 found by the rules: 工号 123 has no 表1-5-2 row (RF-03) and, as a
    // 副教授, teaches no course in 表5-1-1 (AG-09, a warning).
    (
        "人事处.xlsx",
        "表1-5-1 教职工基本信息",
        "A5",
        "reference-error",
    ),
    (
        "人事处.xlsx",
        "表1-5-1 教职工基本信息",
        "A5",
        "relation-error",
    ),
    // 6. 学生姓名 left empty (row 6, below a merged title row and the header).
    ("教务处.xlsx", "表1-6 本科生基本情况", "B6", "missing-value"),
    // 7. 学号 2022080201 given twice (first in A4).
    ("教务处.xlsx", "表1-6 本科生基本情况", "A9", "duplicate-key"),
    // 8. 授课教师 separated by the Chinese semicolon: 吕思齐；李强.
    ("教务处.xlsx", "表5-1-1 开课情况", "K4", "separator-error"),
    // 9. 使用面积 with its unit: 238平方米.
    ("资产处.xlsx", "表1-7-1 本科实验场所", "G4", "type-error"),
    // 10. (表2-6 固定资产 never sent: a missing-table finding, checked below.)
];

#[test]
fn the_checker_finds_exactly_the_planted_mistakes() {
    let (_, outcome) = run_check();
    let mut found: Vec<(String, String, String, String)> = outcome
        .findings
        .iter()
        .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
        .filter(|f| !matches!(f.code, Code::MissingTable | Code::ReferenceUnchecked))
        .map(|f| {
            (
                file_name(f.location.file.as_deref().unwrap_or("")),
                f.location.sheet.clone().unwrap_or_default(),
                f.location.cell.map(|c| c.a1()).unwrap_or_default(),
                f.code.as_str().to_string(),
            )
        })
        .collect();
    found.sort();
    let mut expected: Vec<(String, String, String, String)> = EXPECTED
        .iter()
        .map(|(f, s, c, k)| (f.to_string(), s.to_string(), c.to_string(), k.to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_reference_to_a_code_that_lost_its_zeros_says_why() {
    let (_, outcome) = run_check();
    let f = outcome
        .findings
        .iter()
        .find(|f| {
            f.code == Code::ReferenceError
                && f.location.sheet.as_deref() == Some("表1-5-2 教职工其他信息表")
        })
        .expect("the 1-5-2 reference error of mistake 1'");
    assert_eq!(f.value.as_deref(), Some("000123"));
    // 表1-5-1 holds 123 (mistake 1), so the message points there.
    assert!(f.message.contains("“123”"), "{}", f.message);
    assert!(f.message.contains("前导零"), "{}", f.message);
}

#[test]
fn the_missing_tables_are_the_ones_not_made() {
    let (edition, outcome) = run_check();
    let made: BTreeSet<&str> = make_fixtures::TABLES.into_iter().collect();
    let expected: BTreeSet<String> = edition
        .tables
        .iter()
        .map(|t| t.id.clone())
        .filter(|id| !made.contains(id.as_str()))
        .collect();
    let missing: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.code == Code::MissingTable)
        .map(|f| f.table.clone().expect("missing-table names its table"))
        .collect();
    assert_eq!(
        missing.len(),
        expected.len(),
        "one finding per missing table"
    );
    assert_eq!(missing.into_iter().collect::<BTreeSet<_>>(), expected);
    // The table the 资产处 never sent is a required one: reported as a warning.
    assert!(outcome.findings.iter().any(|f| f.code == Code::MissingTable
        && f.table.as_deref() == Some("2-6")
        && f.severity == Severity::Warning));
}

#[test]
fn the_cli_reports_the_school() {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_statedata"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "fixtures/school"])
        .output()
        .expect("run statedata");
    assert_eq!(out.status.code(), Some(1), "errors present: exit code 1");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    for name in make_fixtures::FILES {
        assert!(stdout.contains(name), "terminal output names {name}");
    }
}

#[test]
fn the_cli_json_has_the_library_findings() {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_statedata"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "fixtures/school", "--format", "json"])
        .output()
        .expect("run statedata");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let findings = doc["findings"].as_array().expect("findings array");
    let (_, outcome) = run_check();
    assert_eq!(findings.len(), outcome.findings.len());
    let planted = findings
        .iter()
        .filter(|f| f["code"] != "missing-table" && f["code"] != "reference-unchecked")
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .count();
    assert_eq!(planted, EXPECTED.len());
}
