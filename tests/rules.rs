//! The cross-cell rules of edition 2025, one kind at a time: a passing and a failing pair of
//! workbooks, asserting the exact cell and message of the finding. The expected messages are
//! the rule's template (rules/2025/*.toml) filled in by hand with the values written here.

mod common;
use common::{check_paths, statedata, write_tables};

use std::path::{Path, PathBuf};

use statedata::check::Outcome;
use statedata::finding::{Code, Finding, Severity};

/// The findings of one rule.
fn of_rule<'a>(out: &'a Outcome, rule: &str) -> Vec<&'a Finding> {
    out.findings
        .iter()
        .filter(|f| f.rule.as_deref() == Some(rule))
        .collect()
}

fn check(paths: &[&Path]) -> Outcome {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    check_paths(&paths).1
}

/// The one finding of a rule: its code, cell and message.
fn only(out: &Outcome, rule: &str) -> (Code, String, String) {
    let f = of_rule(out, rule);
    assert_eq!(f.len(), 1, "one finding of {rule} expected, got {f:#?}");
    (
        f[0].code,
        f[0].location.cell.expect("a cell").a1(),
        f[0].message.clone(),
    )
}

const STAFF_OTHER: &[(&str, &str)] = &[
    ("工号", "000123"),
    ("姓名", "张三"),
    ("任教专业名称", "计算机科学与技术"),
    ("任教专业代码", "080901"),
    ("专业任教时间", "2015"),
    ("是否实验技术人员", "否"),
    ("是否双师双能型", "是"),
    ("是否工程背景", "否"),
    ("是否行业背景", "否"),
    ("导师类别", "无"),
];

fn staff_other(dir: &Path, teaching: &str) -> PathBuf {
    let p = dir.join(format!("人事处-{teaching}.xlsx"));
    let mut row = STAFF_OTHER.to_vec();
    row.push(("任教类型", teaching));
    write_tables(&p, &[("1-5-2", &[&row])]);
    p
}

#[test]
fn row_rule_double_qualified_teachers_teach_major_courses() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&staff_other(dir.path(), "专业课")]);
    assert!(of_rule(&good, "AR-18-1").is_empty());
    let bad = check(&[&staff_other(dir.path(), "公共课")]);
    assert_eq!(
        only(&bad, "AR-18-1"),
        (
            Code::RelationError,
            "C2".to_string(),
            "工号 000123（张三）是双师双能型教师，任教类型应为“专业课”，现为“公共课”。请核对任教类型或是否双师双能型".to_string()
        )
    );
    assert_eq!(of_rule(&bad, "AR-18-1")[0].severity, Severity::Error);
}

fn training(dir: &Path, end: &str) -> PathBuf {
    let p = dir.join(format!("培训-{end}.xlsx"));
    write_tables(
        &p,
        &[(
            "3-4-2",
            &[&[
                ("工号", "000123"),
                ("教师姓名", "张三"),
                ("培训进修、交流类型", "境内培训进修"),
                ("开始时间", "2024-10"),
                ("结束时间", end),
            ]],
        )],
    );
    p
}

#[test]
fn date_rule_training_ends_after_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&training(dir.path(), "2025-01")]);
    assert!(of_rule(&good, "PD-08-3-4-2").is_empty());
    let bad = check(&[&training(dir.path(), "2024-09")]);
    assert_eq!(
        only(&bad, "PD-08-3-4-2"),
        (
            Code::PeriodError,
            "E2".to_string(),
            "工号 000123（张三）的境内培训进修开始时间为 2024-10，结束时间为 2024-09，结束早于开始。请核对这两个时间".to_string()
        )
    );
}

fn labs(dir: &Path, second_name: &str) -> PathBuf {
    let p = dir.join(format!("实验室-{second_name}.xlsx"));
    let row = |code: &'static str, name: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("实验场所代码", code),
            ("实验场所名称", name),
            ("所属单位名称", "化学学院"),
            ("所属单位号", "01"),
            ("性质", "基础实验室"),
            ("共建情况", "否"),
        ]
    };
    let a = row("L001", "化学实验室");
    let b = row(
        "L002",
        if second_name == "same" {
            "化学实验室"
        } else {
            "物理实验室"
        },
    );
    write_tables(&p, &[("1-7-1", &[&a, &b])]);
    p
}

#[test]
fn uniqueness_rule_lab_names_do_not_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&labs(dir.path(), "other")]);
    assert!(of_rule(&good, "UQ-06-1-7-1-b").is_empty());
    let file = labs(dir.path(), "same");
    let bad = check(&[&file]);
    assert_eq!(
        only(&bad, "UQ-06-1-7-1-b"),
        (
            Code::DuplicateKey,
            "B3".to_string(),
            format!(
                "“实验场所名称”“化学实验室”重复，与 {} 「表1-7-1 本科实验场所」 B2 相同。表1-7-1 本科实验场所中每个“实验场所名称”只能出现一次，请删除重复行或更正",
                file.display()
            )
        )
    );
    // The schema's key on the same column no longer reports the row a second time.
    let dups = bad
        .findings
        .iter()
        .filter(|f| f.code == Code::DuplicateKey)
        .count();
    assert_eq!(dups, 1);
}

fn staff(dir: &Path, external_id: &str) -> (PathBuf, PathBuf) {
    let a = dir.join("人事处-教职工.xlsx");
    write_tables(
        &a,
        &[(
            "1-5-1",
            &[&[
                ("工号", "000123"),
                ("姓名", "张三"),
                ("性别", "男"),
                ("出生年月", "1980-05"),
                ("入校时间", "2005-07"),
                ("任职状态", "在职"),
                ("单位号", "01"),
                ("单位名称", "化学学院"),
                ("学历", "博士研究生"),
                ("最高学位", "博士"),
                ("专业技术职称", "教授"),
            ]],
        )],
    );
    let b = dir.join(format!("人事处-外聘-{external_id}.xlsx"));
    write_tables(
        &b,
        &[(
            "1-5-3",
            &[&[
                ("工号", external_id),
                ("姓名", "张三"),
                ("性别", "男"),
                ("出生年月", "1980-05"),
                ("聘任时间", "2024"),
                ("任职状态", "在聘"),
                ("单位号", "01"),
                ("单位名称", "化学学院"),
                ("学历", "博士研究生"),
                ("最高学位", "博士"),
                ("专业技术职称", "教授"),
            ]],
        )],
    );
    (a, b)
}

#[test]
fn exclusivity_rule_staff_are_not_also_external_teachers() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = staff(dir.path(), "W0001");
    let good = check(&[&a, &b]);
    assert!(of_rule(&good, "EX-02-1-5-3").is_empty());
    let (a, b) = staff(dir.path(), "000123");
    let bad = check(&[&a, &b]);
    assert_eq!(
        only(&bad, "EX-02-1-5-3"),
        (
            Code::ExclusiveError,
            "A2".to_string(),
            "工号 000123（张三）已在表1-5-1 教职工基本信息中填报。本校教职工不能同时作为外聘或兼职教师填报：请从本表删除该人，或核对工号".to_string()
        )
    );
    let f = of_rule(&bad, "EX-02-1-5-3")[0];
    assert_eq!(f.location.file.as_deref(), Some(b.to_str().unwrap()));
    assert_eq!(f.related[0].file.as_deref(), Some(a.to_str().unwrap()));
}

fn areas(dir: &Path, total_building: &str) -> PathBuf {
    let p = dir.join(format!("面积-{total_building}.xlsx"));
    write_tables(
        &p,
        &[
            (
                "2-1",
                &[&[
                    ("总占地面积", "5000"),
                    ("占地面积学校产权", "5000"),
                    ("占地面积学校产权绿化用地", "1000"),
                    ("占地面积学校产权运动场地面积", "500"),
                    ("占地面积非学校产权", "0"),
                    ("占地面积非学校产权独立使用", "0"),
                    ("占地面积非学校产权共同使用", "0"),
                    ("占地面积非学校产权绿化用地", "0"),
                    ("总建筑面积", total_building),
                    ("建筑面积学校产权", total_building),
                    ("建筑面积非学校产权", "0"),
                    ("建筑面积非学校产权独立使用", "0"),
                    ("建筑面积非学校产权共同使用", "0"),
                ]],
            ),
            (
                "2-2",
                &[&[
                    ("教学科研及辅助用房面积", "800"),
                    ("教室面积", "300"),
                    ("图书馆面积", "100"),
                    ("实验室、实习场所面积", "200"),
                    ("专用科研用房面积", "100"),
                    ("体育馆面积", "50"),
                    ("会堂面积", "50"),
                    ("行政用房面积", "300"),
                ]],
            ),
        ],
    );
    p
}

#[test]
fn aggregate_rule_rooms_fit_in_the_buildings() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&areas(dir.path(), "2000")]);
    assert!(of_rule(&good, "AG-01-2-2").is_empty());
    let file = areas(dir.path(), "1000");
    let bad = check(&[&file]);
    assert_eq!(
        only(&bad, "AG-01-2-2"),
        (
            Code::AggregateError,
            "A2".to_string(),
            "教学科研及辅助用房面积 800 与行政用房面积 300 之和为 1100 平方米，而表2-1 占地与建筑面积中的总建筑面积只有 1000 平方米。总建筑面积还包括学生宿舍等其他用房，应大于这两项之和。请与表2-1 的填报单位核对面积".to_string()
        )
    );
    // What it was compared with: the sheet of 2-1.
    let f = of_rule(&bad, "AG-01-2-2")[0];
    assert_eq!(f.related[0].sheet.as_deref(), Some("表2-1 占地与建筑面积"));
}

fn majors(dir: &Path, unit_name: &str) -> PathBuf {
    let p = dir.join(format!("教务处-{unit_name}.xlsx"));
    write_tables(
        &p,
        &[
            (
                "1-3",
                &[&[
                    ("教学科研单位名称", "计算机学院"),
                    ("单位号", "01"),
                    ("单位职能", "教学院系"),
                ]],
            ),
            (
                "1-4-1",
                &[&[
                    ("校内专业代码", "0101"),
                    ("校内专业名称", "计算机科学与技术"),
                    ("专业名称", "计算机科学与技术"),
                    ("专业代码", "080901"),
                    ("代码版本", "2024"),
                    ("所属单位名称", unit_name),
                    ("所属单位号", "01"),
                    ("专业设置年份", "2000"),
                    ("学制", "4"),
                    ("允许修业年限", "6"),
                    ("授予学位门类", "工学"),
                    ("招生状态", "在招"),
                    ("是否新专业", "否"),
                    ("是否师范类专业", "无"),
                ]],
            ),
        ],
    );
    p
}

#[test]
fn existence_rule_a_unit_is_named_as_registered() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&majors(dir.path(), "计算机学院")]);
    assert!(of_rule(&good, "RF-01-1-4-1").is_empty());
    let bad = check(&[&majors(dir.path(), "计算机系")]);
    assert_eq!(
        only(&bad, "RF-01-1-4-1"),
        (
            // The unit number (G2) is registered; the name beside it (F2) is what differs and
            // what the message asks the clerk to change.
            Code::ReferenceError,
            "F2".to_string(),
            "所属单位号 01 在表1-3（学校教学科研单位）中登记的名称是“计算机学院”，本表填的是“计算机系”。请把所属单位名称改为登记的名称，或核对所属单位号".to_string()
        )
    );
}

/// 6-1 says `count` students, 1-6 lists 2: with 3, a warning (AG-04) the office may accept.
fn students(dir: &Path, count: &'static str) -> PathBuf {
    let p = dir.join("学生处.xlsx");
    let student = |id: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("学号", id),
            ("学生姓名", "李四"),
            ("性别", "女"),
            ("校内专业（大类）名称", "计算机科学与技术"),
            ("校内专业（大类）代码", "0101"),
            ("生源类别", "普通高中起点"),
            ("年级", "2024"),
            ("入学年份", "2024"),
        ]
    };
    let mut counts: Vec<(&str, &str)> = vec![("普通本科学生数", count)];
    let edition = statedata::schema::load_embedded("2025").unwrap();
    let others: Vec<String> = edition.table("6-1").unwrap().columns[1..]
        .iter()
        .map(|c| c.name.clone())
        .collect();
    for c in &others {
        counts.push((c.as_str(), "0"));
    }
    write_tables(
        &p,
        &[
            ("6-1", &[&counts]),
            ("1-6", &[&student("2024001"), &student("2024002")]),
        ],
    );
    p
}

#[test]
fn an_accepted_warning_is_shown_as_accepted_and_a_stale_explanation_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = students(dir.path(), "3");
    let plain = check(&[&data]);
    let f = of_rule(&plain, "AG-04-6-1");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].location.cell.unwrap().a1(), "A2");

    let ex = dir.path().join("explanations.toml");
    std::fs::write(
        &ex,
        "[[explanation]]\nrule = \"AG-04-6-1\"\ntable = \"6-1\"\n说明 = \"1 名学生 9 月 30 日后注销学籍，已与学生处核对\"\n\n[[explanation]]\nrule = \"AG-05-6-3-4\"\nkey = \"0101\"\n说明 = \"去年的说明\"\n",
    )
    .unwrap();
    let json = statedata()
        .args(["check", "--format", "json", "--explanations"])
        .arg(&ex)
        .arg(&data)
        .output()
        .unwrap();
    let plain_run = statedata().args(["check"]).arg(&data).output().unwrap();
    assert_eq!(
        json.status.code(),
        plain_run.status.code(),
        "accepting a warning does not change the exit code"
    );
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let accepted: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["rule"] == "AG-04-6-1")
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(
        accepted[0]["accepted"],
        "1 名学生 9 月 30 日后注销学籍，已与学生处核对"
    );
    assert_eq!(doc["totals"]["accepted"], 1);
    let unused: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"] == "unused-explanation")
        .collect();
    // AG-05-6-3-4 compares 6-3-4 with 1-6, and 6-3-4 was not handed in: the explanation is
    // kept for the round in which it arrives, not called stale.
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert_eq!(unused[0]["severity"], "info");
    assert_eq!(
        unused[0]["message"],
        "第 2 条说明（规则 AG-05-6-3-4，0101）：规则 AG-05-6-3-4 本次没有检查（本次没有收到表6-3-4），这条说明暂时用不上，请保留"
    );
    assert_eq!(unused[0]["file"], ex.to_str().unwrap());

    // Once 6-1 agrees with 1-6 there is no warning left to accept: the explanation is stale.
    let fixed_dir = tempfile::tempdir().unwrap();
    let fixed = students(fixed_dir.path(), "2");
    let json = statedata()
        .args(["check", "--format", "json", "--explanations"])
        .arg(&ex)
        .arg(&fixed)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let stale: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "unused-explanation" && f["severity"] == "warning")
        .collect();
    assert_eq!(stale.len(), 1, "{stale:#?}");
    assert_eq!(
        stale[0]["message"],
        "第 1 条说明（规则 AG-04-6-1，表6-1）没有对应的警告（数据可能已经改正），请删除这条说明"
    );

    let term = statedata()
        .args(["check", "--explanations"])
        .arg(&ex)
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8(term.stdout).unwrap();
    assert!(text.contains("已说明的警告"), "{text}");
    assert!(text.contains("1 名学生 9 月 30 日后注销学籍，已与学生处核对"));
    assert!(text.contains("另有 1 个已说明的警告"), "{text}");
}

#[test]
fn an_explanation_cannot_accept_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = staff_other(dir.path(), "公共课");
    let ex = dir.path().join("explanations.toml");
    std::fs::write(
        &ex,
        "[[explanation]]\nrule = \"AR-18-1\"\nkey = \"000123\"\n说明 = \"他确实是双师型\"\n",
    )
    .unwrap();
    let out = statedata()
        .args(["check", "--format", "json", "--explanations"])
        .arg(&ex)
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the error still counts");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let rule: Vec<_> = findings.iter().filter(|f| f["rule"] == "AR-18-1").collect();
    assert!(rule.iter().all(|f| f.get("accepted").is_none()));
    assert!(findings.iter().any(|f| f["code"] == "unused-explanation"
        && f["message"]
            .as_str()
            .unwrap()
            .contains("错误不能用说明接受")));
}

#[test]
fn the_rules_command_lists_every_rule_with_its_kind_and_tables() {
    let out = statedata()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.len() >= 100, "{} rules", list.len());
    let ag = list.iter().find(|r| r["id"] == "AG-01-2-2").unwrap();
    assert_eq!(ag["kind"], "aggregate");
    assert_eq!(ag["severity"], "error");
    assert_eq!(ag["tables"], serde_json::json!(["2-2", "2-1"]));
    assert_eq!(ag["source"], "AG-01");
    let only_161 = statedata()
        .args(["rules", "--table", "1-6", "--kind", "existence"])
        .output()
        .unwrap();
    let text = String::from_utf8(only_161.stdout).unwrap();
    assert!(text.contains("RF-05"), "{text}");
    assert!(!text.contains("AG-01-2-2"));
}

#[test]
fn a_broken_rules_folder_is_refused_with_the_file_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[rule]]\nid = \"X-1\"\nsource = \"AR-01\"\nkind = \"row\"\nseverity = \"error\"\ndescription = \"d\"\ntable = \"2-1\"\ncheck = \"{总占地} > 0\"\nmessage = \"m\"\n",
    )
    .unwrap();
    let out = statedata()
        .arg("--rules")
        .arg(dir.path())
        .arg("rules")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("mine.toml") && err.contains("X-1") && err.contains("总占地"),
        "{err}"
    );
}

#[test]
fn an_error_is_listed_before_warnings_of_the_same_kind() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("人事处.xlsx");
    // 21 专业课 teachers who teach nothing (AG-08 warnings, relation-error) and one
    // 双师双能型 teacher of 公共课 (AR-18-1, an error of the same code and table).
    let ids: Vec<String> = (1..=22).map(|i| format!("{i:06}")).collect();
    let mut rows: Vec<Vec<(&str, &str)>> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let mut r = STAFF_OTHER.to_vec();
        r[0] = ("工号", id.as_str());
        if i < 21 {
            r.retain(|(c, _)| *c != "是否双师双能型");
            r.push(("是否双师双能型", "否"));
            r.push(("任教类型", "专业课"));
        } else {
            r.push(("任教类型", "公共课"));
        }
        rows.push(r);
    }
    let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let course: &[(&str, &str)] = &[
        ("开课号", "K001"),
        ("课程名称", "高等数学"),
        ("课程号", "C001"),
        ("授课教师", "李四"),
        ("授课教师工号", "999999"),
    ];
    write_tables(&p, &[("1-5-2", &rows), ("5-1-1", &[course])]);
    let out = check(&[&p]);
    assert_eq!(of_rule(&out, "AG-08-1-5-2-b").len(), 21);
    let term = statedata().arg("check").arg(&p).output().unwrap();
    let text = String::from_utf8(term.stdout).unwrap();
    assert!(text.contains("AR-18-1"), "the error is listed: {text}");
    assert!(
        text.contains("relation-error（警告）：另有 1 条未列出"),
        "{text}"
    );
}

#[test]
fn a_missing_column_does_not_switch_off_rules_that_do_not_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("学生.xlsx");
    // 1-6 without its 入学年份 column, 学号 2025001 twice.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-6 本科生基本情况").unwrap();
    let header = [
        "学号",
        "学生姓名",
        "性别",
        "校内专业（大类）名称",
        "校内专业（大类）代码",
        "生源类别",
        "年级",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=2u32 {
        for (c, v) in [
            "2025001",
            "李四",
            "女",
            "数学",
            "0701",
            "普通高中起点",
            "2025",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(r, c as u16, *v).unwrap();
        }
    }
    wb.save(&p).unwrap();
    let out = check(&[&p]);
    assert!(out.findings.iter().any(|f| f.code == Code::MissingColumn));
    let (code, cell, _) = only(&out, "UQ-05-1-6");
    assert_eq!((code, cell.as_str()), (Code::DuplicateKey, "A3"));
}

#[test]
fn a_rules_folder_without_rules_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = statedata()
        .arg("--rules")
        .arg(dir.path())
        .args(["check", "fixtures/school"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no rule files"));
}

#[test]
fn an_allowed_sentinel_among_several_items_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (staff_file, _) = staff(dir.path(), "W0001");
    let p = dir.path().join("教务处.xlsx");
    let course: &[(&str, &str)] = &[
        ("开课号", "K001"),
        ("课程名称", "高等数学"),
        ("课程号", "C001"),
        ("授课教师", "张三;网络教师"),
        ("授课教师工号", "000123;000000"),
    ];
    write_tables(&p, &[("5-1-1", &[course])]);
    let out = check(&[&staff_file, &p]);
    let bad: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::ReferenceError && f.table.as_deref() == Some("5-1-1"))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

/// 3-5-6 with two textbooks; the second's ISBN given as `second`.
fn textbooks(dir: &Path, second: &'static str) -> PathBuf {
    let p = dir.join(format!("教材-{}.xlsx", second.len()));
    let row = |id: &'static str, isbn: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("工号", id),
            ("教师姓名", "王五"),
            ("教材名称", "应用钢琴教程"),
            ("出版社", "高等教育出版社"),
            ("ISBN", isbn),
            ("出版时间", "2023-05"),
            ("教材入选情况", "无"),
        ]
    };
    write_tables(
        &p,
        &[(
            "3-5-6",
            &[&row("000101", "978-7-5668-2059-4"), &row("000102", second)],
        )],
    );
    p
}

/// A tester found the same book twice, once with hyphens and once without, passed as two
/// books: rules.md FM-16 says ISBNs are compared without their hyphens.
#[test]
fn uniqueness_rule_compares_isbns_without_hyphens() {
    let dir = tempfile::tempdir().unwrap();
    let good = check(&[&textbooks(dir.path(), "9787040123456")]);
    assert!(of_rule(&good, "UQ-10-3-5-6").is_empty());
    let file = textbooks(dir.path(), "9787566820594");
    let bad = check(&[&file]);
    assert_eq!(
        only(&bad, "UQ-10-3-5-6"),
        (
            Code::DuplicateKey,
            "E3".to_string(),
            format!(
                "“ISBN”“9787566820594”重复，与 {} 「表3-5-6 教师主编本专业教材情况」 E2 相同。表3-5-6 教师主编本专业教材情况中每个“ISBN”只能出现一次，请删除重复行或更正",
                file.display()
            )
        )
    );
}
