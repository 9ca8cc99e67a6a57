//! The real corpus (`../shared/corpus/school-2025`, 17 department workbooks): every sheet is
//! matched, and the findings per code and table are pinned. Each kind of finding was examined;
//! `tests/expected/school-2025.md` says why each is a real problem of the data.

mod common;
use common::corpus;

use std::collections::BTreeMap;

use std::sync::OnceLock;

use statedata::check::{check, Options};
use statedata::finding::{Code, Severity};
use statedata::read::{expand_inputs, read_submission};
use statedata::schema::load_embedded;

/// The corpus is read and checked once for all tests of this file.
fn run() -> &'static statedata::check::Outcome {
    static OUTCOME: OnceLock<statedata::check::Outcome> = OnceLock::new();
    OUTCOME.get_or_init(read_and_check)
}

fn read_and_check() -> statedata::check::Outcome {
    let edition = load_embedded("2025").unwrap();
    let files = expand_inputs(&[corpus()]).unwrap();
    assert_eq!(files.len(), 17, "the corpus has 17 department workbooks");
    let sub = read_submission(&edition, &files);
    check(&edition, sub, &Options::year(2025))
}

#[test]
fn every_sheet_of_the_corpus_is_matched() {
    let out = run();
    assert_eq!(out.files.len(), 17);
    assert!(out.files.iter().all(|f| f.readable));
    // 85 sheets in the 17 workbooks (counted with openpyxl/xlrd/odfpy), each one a table.
    assert_eq!(out.parts.len(), 85);
    let mut ids: Vec<&str> = out.parts.iter().map(|p| p.part.table.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 85, "no table is given twice");
    for code in [
        Code::UnreadableFile,
        Code::UnreadableSheet,
        Code::UnmatchedSheet,
        Code::HeaderNotFound,
        Code::MissingColumn,
        Code::UnknownColumn,
        Code::ColumnOrder,
    ] {
        assert!(
            !out.findings.iter().any(|f| f.code == code),
            "unexpected {code}: {:?}",
            out.findings.iter().find(|f| f.code == code)
        );
    }
}

#[test]
fn missing_tables_are_those_the_corpus_lacks() {
    let out = run();
    let mut missing: Vec<(String, Severity)> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::MissingTable)
        .map(|f| (f.table.clone().unwrap(), f.severity))
        .collect();
    missing.sort();
    // The 2018 export has no 专业大类, 附属医院师资, 专利, 成果转化, 博士后, 医学毕业训练,
    // 创新创业实践基地, 辅修双学位, 体育类比赛, 学生专利, 本科生交流 or SF-3 table either.
    let w = Severity::Warning;
    let expected: Vec<(String, Severity)> = [
        ("1-4-2", w),
        ("1-5-4", w),
        ("3-5-5", w),
        ("3-5-7", w),
        ("4-1-2", w),
        ("5-2-3", w),
        ("5-4-2", w),
        ("6-2-2", w),
        ("6-6-5", w),
        ("6-6-8", w),
        ("6-7", w),
        ("SF-3", Severity::Info),
    ]
    .into_iter()
    .map(|(t, s)| (t.to_string(), s))
    .collect();
    assert_eq!(missing, expected);
}

#[test]
fn findings_per_code_and_table_are_pinned() {
    let out = run();
    let counts: BTreeMap<(String, String), usize> = out
        .counts()
        .into_iter()
        .filter(|((code, _), _)| code != "missing-table")
        .collect();
    // Each count was verified independently with a Python script over the same files
    // (see tests/expected/school-2025.md for the reason behind each).
    let expected: BTreeMap<(String, String), usize> = [
        // 472 of 627 staff carry a 2011/2018 一级学科 name (音乐与舞蹈学 412, 工商管理 29,
        // 公共管理 25, 图书情报与档案管理 5, 艺术学理论 1) that the 2022 目录 renamed.
        (("enum-error", "1-5-1"), 472),
        // 授课教师工号 items that are in neither 1-5-1 nor 1-5-3.
        (("reference-error", "5-1-1"), 70),
        // 课程号 `000` placeholders where 5-1-1 has no such course.
        (("reference-error", "5-3-2"), 6),
        (("reference-error", "SF-9"), 14),
        (("reference-error", "SF-11"), 12),
        // 表7-4 has a header and no report.
        (("empty-table", "7-4"), 1),
    ]
    .into_iter()
    .map(|((c, t), n)| ((c.to_string(), t.to_string()), n))
    .collect();
    assert_eq!(counts, expected);
}

#[test]
fn corpus_findings_point_at_real_cells() {
    let out = run();
    // Spot checks located by hand in the workbooks.
    let at = |code: Code, sheet: &str, cell: &str| {
        out.findings.iter().any(|f| {
            f.code == code
                && f.location.sheet.as_deref() == Some(sheet)
                && f.location.cell.map(|c| c.a1()).as_deref() == Some(cell)
        })
    };
    // 人事处.xlsx 表1-5-1 row 4 (third staff member): 学科类别 公共管理 in column M.
    assert!(at(Code::EnumError, "表1-5-1 教职工基本信息", "M4"));
    // 教务处.xlsx has a title row, so 5-1-1's data start in row 3; 开课号 17181621 is the
    // 1621st course and sits in row 1623, its 授课教师工号 in column L.
    assert!(at(Code::ReferenceError, "表5-1-1 开课情况", "L1623"));
    // 表5-3-2: the first `000` 课程号 is the second course, row 4, column B.
    assert!(at(Code::ReferenceError, "表5-3-2 本科教学信息化", "B4"));
}
