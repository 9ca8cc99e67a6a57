//! `assign` templates, the blank workbooks departments fill: unfilled they check as empty tables
//! and nothing else; filled by a real client (openpyxl) with valid values they check clean and
//! read back in the platform's form; openpyxl reads back their dropdowns, notes and formats;
//! LibreOffice opens every one.
//!
//! openpyxl (python3) and LibreOffice (`soffice`) are real clients; `.ci/run` installs them.
//! The tests fail when they are missing.

mod common;
use common::{python, soffice_convert};

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};
use statedata::assign::template::write_template;
use statedata::check::{check, Options, Outcome};
use statedata::finding::Severity;
use statedata::read::{expand_inputs, read_submission};
use statedata::schema::{load_embedded, Column, Edition, Kind, Shape, Table, YearMonthFormat};
use statedata::value::Raw;
use statedata::xlsx::{safe_file_name, safe_sheet_name};
use tempfile::TempDir;

const YEAR: i32 = 2025;
/// Rows a list table's dropdowns must at least cover (header in row 1).
const COVERED_ROWS: u32 = 1000;

fn edition() -> Edition {
    load_embedded("2025").unwrap()
}

fn check_files(edition: &Edition, files: &[PathBuf]) -> Outcome {
    let files = expand_inputs(files).unwrap();
    check(
        edition,
        read_submission(edition, &files),
        &Options::year(YEAR),
    )
}

/// The sheet names `bundle` gives the tables, worked out the way `bundle::assemble` does.
fn bundle_names(tables: &[&Table]) -> Vec<String> {
    let mut taken: HashSet<String> = ["目录", "来源", "错误清单"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    tables
        .iter()
        .map(|t| safe_sheet_name(&t.title(), &mut taken))
        .collect()
}

/// A single-record table of two or more columns is a vertical form; one of a single column is
/// written as a list (a one-row form would read as a header with an unknown column).
fn is_form(t: &Table) -> bool {
    t.shape == Shape::Single && t.columns.len() > 1
}

/// One template per responsible department (tables in edition order), and one with every table.
fn write_templates<'e>(edition: &'e Edition, dir: &Path) -> Vec<(PathBuf, Vec<&'e Table>)> {
    let mut by_owner: BTreeMap<&str, Vec<&Table>> = BTreeMap::new();
    for t in &edition.tables {
        by_owner.entry(t.owner.as_str()).or_default().push(t);
    }
    let mut out = Vec::new();
    for (owner, tables) in by_owner {
        let path = dir
            .join("departments")
            .join(format!("{}.xlsx", safe_file_name(owner)));
        write_template(edition, &tables, YEAR, &path).unwrap();
        out.push((path, tables));
    }
    let all: Vec<&Table> = edition.tables.iter().collect();
    let path = dir.join("全部表格.xlsx");
    write_template(edition, &all, YEAR, &path).unwrap();
    out.push((path, all));
    out
}

/// Checks the workbooks together and asserts that each table is reported `empty-table` once,
/// on its own sheet, and that nothing else is reported; the reader saw the intended layout.
fn assert_only_empty_tables(edition: &Edition, workbooks: &[(PathBuf, Vec<&Table>)]) {
    let files: Vec<PathBuf> = workbooks.iter().map(|(p, _)| p.clone()).collect();
    let outcome = check_files(edition, &files);
    let mut expected = BTreeMap::new();
    for (path, tables) in workbooks {
        for (t, sheet) in tables.iter().zip(bundle_names(tables)) {
            let severity = if t.required {
                Severity::Error
            } else {
                Severity::Warning
            };
            let key = (path.display().to_string(), sheet, t.id.clone());
            assert!(expected.insert(key, severity).is_none());
        }
    }
    let mut got = BTreeMap::new();
    for f in &outcome.findings {
        assert_eq!(f.code.as_str(), "empty-table", "{f:?}");
        let key = (
            f.location.file.clone().unwrap(),
            f.location.sheet.clone().unwrap(),
            f.table.clone().unwrap(),
        );
        assert!(got.insert(key, f.severity).is_none(), "twice: {f:?}");
    }
    assert_eq!(got, expected);
    assert_eq!(outcome.parts.len(), expected.len());
    for cp in &outcome.parts {
        let t = edition.table(&cp.part.table).unwrap();
        assert!(cp.part.records.is_empty(), "{}", t.id);
        assert_eq!(cp.part.vertical, is_form(t), "{}", t.id);
        // A list's header is row 1; a form's first item is row 2, under 项目 | 内容.
        assert_eq!(cp.part.header_row, u32::from(is_form(t)), "{}", t.id);
    }
}

#[test]
fn unfilled_templates_check_as_empty_tables_and_nothing_else() {
    let ed = edition();
    let dir = TempDir::new().unwrap();
    let workbooks = write_templates(&ed, dir.path());
    let (all, departments) = workbooks.split_last().unwrap();
    // The department templates together hold every table once.
    let ids: Vec<&str> = departments
        .iter()
        .flat_map(|(_, ts)| ts.iter().map(|t| t.id.as_str()))
        .collect();
    assert_eq!(ids.len(), ed.tables.len());
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ed.tables.len());
    assert_only_empty_tables(&ed, departments);
    assert_only_empty_tables(&ed, std::slice::from_ref(all));
    // Saved whole: no temporary file is left beside the templates.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("departments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), departments.len());
    assert!(names.iter().all(|n| n.ends_with(".xlsx")), "{names:?}");
}

const FILL: &str = r#"
import datetime, json, sys, openpyxl
src, spec_path, dst = sys.argv[1:4]
spec = json.load(open(spec_path, encoding="utf-8"))
wb = openpyxl.load_workbook(src)

def value(v):
    return datetime.date.fromisoformat(v["date"]) if isinstance(v, dict) else v

def sheet_of(tid):
    hits = [ws for ws in wb.worksheets if ws.title.startswith("表" + tid + " ")]
    assert len(hits) == 1, (tid, wb.sheetnames)
    return hits[0]

def column_format(ws, col):
    # A new cell of a formatted column gets the column's format, as in Excel.
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max:
            return dim.number_format
    return "General"

for tid, fill in spec.items():
    ws = sheet_of(tid)
    if "form" in fill:
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for name, v in fill["form"].items():
            ws.cell(rows[name], 2).value = value(v)
    else:
        header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
        for i, row in enumerate(fill["rows"]):
            for name, v in row.items():
                cell = ws.cell(2 + i, header[name])
                cell.number_format = column_format(ws, header[name])
                cell.value = value(v)
wb.save(dst)
"#;

fn date(s: &str) -> Json {
    json!({ "date": s })
}

#[test]
fn a_template_filled_with_valid_values_checks_clean_and_reads_back() {
    let ed = edition();
    let ids = [
        "1-1", "1-2", "1-3", "1-5-1", "1-5-2", "1-7-1", "2-7", "2-8-1", "7-4", "SF-5",
    ];
    let tables: Vec<&Table> = ids.iter().map(|i| ed.table(i).unwrap()).collect();
    let dir = TempDir::new().unwrap();
    let template = dir.path().join("模板.xlsx");
    write_template(&ed, &tables, YEAR, &template).unwrap();

    // Values as a clerk types them: text into text cells, numbers into number cells, dates
    // as dates. Units 0101/0201 of 1-2/1-3 are those 1-5-1 and 1-7-1 name; 工号 000123 of
    // 1-5-1 is the one 1-5-2 and SF-5 name; 实验场所 SY001 of 1-7-1 the one of 2-7.
    let spec = json!({
        "1-1": { "form": {
            "学校名称": "示例理工大学", "代码": "01234", "英文名称": "Example University of Technology",
            "办学类型": "普通本科院校", "学校性质": "理工院校", "举办者": "省级教育部门",
            "主管部门": "省市（自治区）教育厅（委）", "学校网址": "https://www.example.edu.cn",
            "开办本科教育年份": "1958", "校区名称及地址": "主校区：示例市学府路1号",
            "校训": "厚德笃学", "定位与发展目标": "建设高水平理工大学",
            "填报人姓名": "张三", "填报人联系电话": "13800000000",
            "填报人联系电子邮箱": "zhangsan@example.edu.cn" } },
        "1-2": { "rows": [
            { "党政单位名称": "教务处", "单位号": "0101", "单位职能": "教学管理", "单位负责人": "李四" },
            { "党政单位名称": "学生工作部", "单位号": "0102", "单位职能": "学生管理" } ] },
        "1-3": { "rows": [
            { "教学科研单位名称": "机械工程学院", "单位号": "0201", "单位职能": "教学院系", "单位负责人": "赵六" },
            { "教学科研单位名称": "附属医院", "单位号": "FSYY01", "单位职能": "直属附属医院" } ] },
        "1-5-1": { "rows": [
            { "工号": "000123", "姓名": "张三", "性别": "男", "出生年月": date("1980-05-01"),
              "入校时间": date("2005-07-15"), "任职状态": "在职", "单位号": "0201",
              "单位名称": "机械工程学院", "学历": "博士研究生", "最高学位": "博士",
              "学缘": "外校（境内）", "专业技术职称": "教授", "学科类别": "机械工程",
              "政治面貌": "中共党员", "民族": "汉族" },
            { "工号": "000456", "姓名": "李四", "性别": "女", "出生年月": date("1990-11-30"),
              "入校时间": date("2018-09-01"), "任职状态": "在职", "单位号": "0101",
              "单位名称": "教务处", "学历": "硕士研究生", "最高学位": "硕士",
              "专业技术职称": "讲师", "政治面貌": "群众", "民族": "壮族" } ] },
        "1-5-2": { "rows": [
            { "工号": "000123", "姓名": "张三", "任教类型": "专业课",
              "任教专业名称": "机械设计制造及其自动化", "任教专业代码": "080202",
              "专业任教时间": "2006", "是否实验技术人员": "否", "是否双师双能型": "是",
              "是否工程背景": "是", "是否行业背景": "否", "导师类别": "博士导师",
              "校内指导博士生数": 3, "校内指导硕士生数": 12 },
            { "工号": "000456", "姓名": "李四", "任教类型": "公共课", "任教专业名称": "无",
              "任教专业代码": "无", "专业任教时间": "无", "是否实验技术人员": "否",
              "是否双师双能型": "否", "是否工程背景": "否", "是否行业背景": "否",
              "导师类别": "无", "校内指导博士生数": 0, "校内指导硕士生数": 0 } ] },
        "1-7-1": { "rows": [
            { "实验场所代码": "SY001", "实验场所名称": "机械基础实验室", "所属单位名称": "机械工程学院",
              "所属单位号": "0201", "性质": "基础实验室", "共建情况": "否", "使用面积（平方米）": 320.5 } ] },
        "2-7": { "rows": [
            { "实验场所代码": "SY001", "实验场所名称": "机械基础实验室",
              "主要教学实验仪器设备（含软件）名": "数控车床", "主要教学实验仪器设备编号": "0019000123",
              "单价（元）": 85000, "购置时间": "201909" } ] },
        "2-8-1": { "form": {
            "学校教育经费总额": 123456.78, "教学经费总额": 23456.5, "教学改革与建设专项经费总额": 3456 } },
        "7-4": { "rows": [ { "本科教学质量年度报告": "https://www.example.edu.cn/zlbg/2024.pdf" } ] },
        "SF-5": { "rows": [
            { "工号": "000123", "姓名": "张三", "服务类别": "中学",
              "开始日期": date("2023-03-01"), "结束日期": date("2024-06-30") } ] }
    });
    let spec_path = dir.path().join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let filled = dir.path().join("已填写.xlsx");
    python(FILL, &[&template, &spec_path, &filled]);

    let outcome = check_files(&ed, std::slice::from_ref(&filled));
    let given: HashSet<&str> = ids.iter().copied().collect();
    // Only the tables not given are missing, and only references into them are unchecked
    // (1-5-2 任教专业代码 → 表1-4-1).
    let mut unchecked = BTreeSet::new();
    for f in &outcome.findings {
        let table = f.table.clone().unwrap_or_default();
        match f.code.as_str() {
            "missing-table" => assert!(!given.contains(table.as_str()), "{f:?}"),
            "reference-unchecked" => {
                unchecked.insert((table, f.column.clone().unwrap()));
            }
            _ => panic!("unexpected finding: {f:?}"),
        }
    }
    assert_eq!(
        unchecked,
        BTreeSet::from([("1-5-2".to_string(), "任教专业代码".to_string())])
    );
    let missing = outcome
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "missing-table")
        .count();
    assert_eq!(missing, ed.tables.len() - ids.len());

    // The values in the platform's form, per table, in column order ("" for an empty cell).
    let mut read: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for cp in &outcome.parts {
        let t = edition_table(&ed, &cp.part.table);
        assert_eq!(cp.part.vertical, is_form(t), "{}", t.id);
        for rec in &cp.values {
            read.entry(t.id.clone()).or_default().push(
                rec.iter()
                    .map(|v| v.as_ref().map(|v| v.text.clone()).unwrap_or_default())
                    .collect(),
            );
        }
    }
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let expected: BTreeMap<String, Vec<Vec<String>>> = [
        (
            "1-1",
            vec![row(&[
                "示例理工大学",
                "01234",
                "Example University of Technology",
                "普通本科院校",
                "理工院校",
                "省级教育部门",
                "省市（自治区）教育厅（委）",
                "https://www.example.edu.cn",
                "1958",
                "主校区：示例市学府路1号",
                "厚德笃学",
                "建设高水平理工大学",
                "张三",
                "13800000000",
                "zhangsan@example.edu.cn",
            ])],
        ),
        (
            "1-2",
            vec![
                row(&["教务处", "0101", "教学管理", "李四"]),
                row(&["学生工作部", "0102", "学生管理", ""]),
            ],
        ),
        (
            "1-3",
            vec![
                row(&["机械工程学院", "0201", "教学院系", "赵六"]),
                row(&["附属医院", "FSYY01", "直属附属医院", ""]),
            ],
        ),
        (
            "1-5-1",
            vec![
                row(&[
                    "000123",
                    "张三",
                    "男",
                    "1980-05",
                    "2005-07",
                    "在职",
                    "0201",
                    "机械工程学院",
                    "博士研究生",
                    "博士",
                    "外校（境内）",
                    "教授",
                    "机械工程",
                    "中共党员",
                    "汉族",
                ]),
                row(&[
                    "000456",
                    "李四",
                    "女",
                    "1990-11",
                    "2018-09",
                    "在职",
                    "0101",
                    "教务处",
                    "硕士研究生",
                    "硕士",
                    "",
                    "讲师",
                    "",
                    "群众",
                    "壮族",
                ]),
            ],
        ),
        (
            "1-5-2",
            vec![
                row(&[
                    "000123",
                    "张三",
                    "专业课",
                    "机械设计制造及其自动化",
                    "080202",
                    "2006",
                    "否",
                    "是",
                    "是",
                    "否",
                    "博士导师",
                    "3",
                    "12",
                ]),
                row(&[
                    "000456",
                    "李四",
                    "公共课",
                    "无",
                    "无",
                    "无",
                    "否",
                    "否",
                    "否",
                    "否",
                    "无",
                    "0",
                    "0",
                ]),
            ],
        ),
        (
            "1-7-1",
            vec![row(&[
                "SY001",
                "机械基础实验室",
                "机械工程学院",
                "0201",
                "基础实验室",
                "否",
                "320.5",
            ])],
        ),
        (
            "2-7",
            vec![row(&[
                "SY001",
                "机械基础实验室",
                "数控车床",
                "0019000123",
                "85000",
                "201909",
            ])],
        ),
        ("2-8-1", vec![row(&["123456.78", "23456.5", "3456"])]),
        (
            "7-4",
            vec![row(&["https://www.example.edu.cn/zlbg/2024.pdf"])],
        ),
        (
            "SF-5",
            vec![row(&["000123", "张三", "中学", "2023-03-01", "2024-06-30"])],
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(read, expected);

    // Dates went in as real date cells (the year-month column's `yyyy-mm` format), not text.
    let staff = outcome
        .parts
        .iter()
        .find(|cp| cp.part.table == "1-5-1")
        .unwrap();
    let born = edition_table(&ed, "1-5-1")
        .column_index("出生年月")
        .unwrap();
    for rec in &staff.part.records {
        let raw = &rec.cells[born].as_ref().unwrap().raw;
        assert!(matches!(raw, Raw::Date(_)), "{raw:?}");
    }
}

/// No single-record table of the edition has a date or a code with leading zeros to try the
/// value cells of a vertical form with: 表2-8-1 gets four more columns here.
#[test]
fn a_vertical_form_keeps_typed_dates_and_codes() {
    let mut ed = edition();
    let t = ed.tables.iter_mut().find(|t| t.id == "2-8-1").unwrap();
    for (name, kind) in [
        ("建成年月", Kind::YearMonth),
        ("验收日期", Kind::Date),
        ("是否达标", Kind::YesNo),
        ("项目编号", Kind::Code),
    ] {
        let mut col = Column::bare(name, kind);
        col.required = true;
        t.columns.push(col);
    }
    let table = ed.table("2-8-1").unwrap();
    let dir = TempDir::new().unwrap();
    let template = dir.path().join("模板.xlsx");
    write_template(&ed, &[table], YEAR, &template).unwrap();
    let spec = json!({ "2-8-1": { "form": {
        "学校教育经费总额": 100, "教学经费总额": 50.5, "教学改革与建设专项经费总额": 0,
        "建成年月": date("2019-09-01"), "验收日期": date("2020-01-15"),
        "是否达标": "是", "项目编号": "000789" } } });
    let spec_path = dir.path().join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let filled = dir.path().join("已填写.xlsx");
    python(FILL, &[&template, &spec_path, &filled]);

    let outcome = check_files(&ed, std::slice::from_ref(&filled));
    for f in &outcome.findings {
        assert_eq!(f.code.as_str(), "missing-table", "{f:?}");
    }
    assert_eq!(outcome.parts.len(), 1);
    let cp = &outcome.parts[0];
    assert!(cp.part.vertical);
    assert_eq!(cp.part.records.len(), 1);
    let texts: Vec<String> = cp.values[0]
        .iter()
        .map(|v| v.as_ref().unwrap().text.clone())
        .collect();
    assert_eq!(
        texts,
        ["100", "50.5", "0", "2019-09", "2020-01-15", "是", "000789"]
    );
    let cells = &cp.part.records[0].cells;
    // B5 and B6: the two date rows under 项目 | 内容 and the three amounts.
    for (i, at) in [(3, "B5"), (4, "B6")] {
        let cell = cells[i].as_ref().unwrap();
        assert_eq!(cell.at.a1(), at);
        assert!(matches!(cell.raw, Raw::Date(_)), "{:?}", cell.raw);
    }
}

fn edition_table<'e>(ed: &'e Edition, id: &str) -> &'e Table {
    ed.table(id).unwrap()
}

const DUMP: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    out.append({
        "title": ws.title,
        "state": ws.sheet_state,
        "freeze": ws.freeze_panes,
        "validations": [
            {"type": dv.type, "formula1": dv.formula1, "sqref": str(dv.sqref)}
            for dv in ws.data_validations.dataValidation
        ],
        "cells": {
            c.coordinate: {
                "value": c.value,
                "format": c.number_format,
                "note": None if c.comment is None
                else {"author": c.comment.author, "text": c.comment.text},
            }
            for row in ws.iter_rows() for c in row
            if c.value is not None or c.comment is not None or c.number_format != "General"
        },
        "columns": [[d.min, d.max, d.number_format] for d in ws.column_dimensions.values()
                    if d.min is not None],
    })
print(json.dumps(out, ensure_ascii=False, default=str))
"#;

/// `B12` → (column 2, row 12); `B` alone → (2, 0).
fn a1(s: &str) -> (u32, u32) {
    let letters: String = s.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let col = letters
        .chars()
        .fold(0, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1));
    (col, digits.parse().unwrap_or(0))
}

fn letter(col: u32) -> String {
    let mut n = col;
    let mut s = String::new();
    while n > 0 {
        s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

/// Whether a space-separated sqref covers the rows `rows` of column `col`.
fn covers(sqref: &str, col: u32, rows: (u32, u32)) -> bool {
    sqref.split_whitespace().any(|r| {
        let (a, b) = r.split_once(':').unwrap_or((r, r));
        let ((c1, r1), (c2, r2)) = (a1(a), a1(b));
        c1 <= col && col <= c2 && r1 <= rows.0 && rows.1 <= r2
    })
}

/// Whether a space-separated sqref reaches any of the rows `rows` of column `col`.
fn touches(sqref: &str, col: u32, rows: (u32, u32)) -> bool {
    sqref.split_whitespace().any(|r| {
        let (a, b) = r.split_once(':').unwrap_or((r, r));
        let ((c1, r1), (c2, r2)) = (a1(a), a1(b));
        c1 <= col && col <= c2 && r1 <= rows.1 && rows.0 <= r2
    })
}

/// The dropdown values a column should offer: its options and accepted sentinels.
fn offered(col: &Column) -> Vec<String> {
    let mut v = col.allowed_values();
    for a in &col.allow {
        if !v.contains(a) {
            v.push(a.clone());
        }
    }
    v
}

/// The number format a column's value cells should have.
fn expected_format(col: &Column) -> &'static str {
    match col.kind {
        Kind::Integer | Kind::Decimal => "General",
        Kind::YearMonth if col.format == Some(YearMonthFormat::Compact) => "@",
        Kind::YearMonth => "yyyy-mm",
        Kind::Date => "yyyy-mm-dd",
        _ => "@",
    }
}

#[test]
fn openpyxl_reads_the_dropdowns_notes_and_formats() {
    let ed = edition();
    let dir = TempDir::new().unwrap();
    let all: Vec<&Table> = ed.tables.iter().collect();
    let path = dir.path().join("全部表格.xlsx");
    write_template(&ed, &all, YEAR, &path).unwrap();
    let sheets: Vec<Json> = serde_json::from_str(&python(DUMP, &[&path])).unwrap();

    // Every table in order under bundle's sheet name, then the hidden 字典.
    let titles: Vec<&str> = sheets
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    let mut names = bundle_names(&all);
    names.push("字典".to_string());
    assert_eq!(titles, names);
    let dictionary = sheets.last().unwrap();
    assert_eq!(dictionary["state"], "hidden");
    let dict_cell = |col: u32, row: u32| -> Option<String> {
        dictionary["cells"][format!("{}{row}", letter(col))]["value"]
            .as_str()
            .map(str::to_string)
    };

    let mut notes: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut long_lists = BTreeSet::new();
    for (t, sheet) in all.iter().zip(&sheets) {
        assert_eq!(sheet["state"], "visible", "{}", t.id);
        assert_eq!(sheet["freeze"], "A2", "{}", t.id);
        let cells = &sheet["cells"];
        let validations = sheet["validations"].as_array().unwrap();
        let column_format = |c: u32| -> String {
            sheet["columns"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d[0].as_u64().unwrap() as u32 <= c && c <= d[1].as_u64().unwrap() as u32)
                .map(|d| d[2].as_str().unwrap().to_string())
                .unwrap_or_else(|| "General".to_string())
        };
        if is_form(t) {
            assert_eq!(cells["A1"]["value"], "项目");
            assert_eq!(cells["B1"]["value"], "内容");
        }
        for (i, col) in t.columns.iter().enumerate() {
            let i = i as u32;
            // Where the name is, and which value cells the dropdown and format must cover.
            let (name_cell, value_col, rows, format) = if is_form(t) {
                let r = i + 2;
                let fmt = cells[format!("B{r}")]["format"]
                    .as_str()
                    .unwrap_or("General")
                    .to_string();
                (format!("A{r}"), 2, (r, r), fmt)
            } else {
                let c = i + 1;
                (
                    format!("{}1", letter(c)),
                    c,
                    (2, COVERED_ROWS),
                    column_format(c),
                )
            };
            let what = format!("{} {} ({name_cell})", t.id, col.name);
            assert_eq!(cells[&name_cell]["value"], col.name.as_str(), "{what}");
            assert_eq!(format, expected_format(col), "{what}");
            let note = &cells[&name_cell]["note"];
            assert_eq!(note["author"], "statedata", "{what}");
            let text = note["text"].as_str().unwrap().to_string();
            assert!(text.contains(col.kind.label()), "{what}: {text}");
            assert_eq!(text.contains("必填"), col.required, "{what}: {text}");
            notes.insert((t.id.clone(), col.name.clone()), text);

            let mine: Vec<&Json> = validations
                .iter()
                .filter(|v| touches(v["sqref"].as_str().unwrap(), value_col, rows))
                .collect();
            let dropdown = matches!(col.kind, Kind::Enum | Kind::YesNo) && !col.multiple;
            if !dropdown {
                assert!(mine.is_empty(), "{what}: {mine:?}");
                continue;
            }
            assert_eq!(mine.len(), 1, "{what}: {mine:?}");
            let v = mine[0];
            assert_eq!(v["type"], "list", "{what}");
            assert!(
                covers(v["sqref"].as_str().unwrap(), value_col, rows),
                "{what}: {v}"
            );
            let values = offered(col);
            let joined = values.join(",");
            let formula = v["formula1"].as_str().unwrap();
            if joined.encode_utf16().count() <= 255 && !values.iter().any(|o| o.contains(',')) {
                assert_eq!(formula, format!("\"{joined}\""), "{what}");
            } else {
                // `字典!$C$1:$C$56`: the list is that column of the dictionary, whole.
                let range = formula
                    .strip_prefix("字典!")
                    .unwrap_or_else(|| panic!("{what}: {formula}"));
                let (a, b) = range.split_once(':').unwrap_or((range, range));
                let ((c1, r1), (c2, r2)) = (a1(a), a1(b));
                assert_eq!((c1, r1), (c2, 1), "{what}: {formula}");
                assert_eq!(r2 as usize, values.len(), "{what}: {formula}");
                let listed: Vec<String> = (1..=r2).map(|r| dict_cell(c1, r).unwrap()).collect();
                assert_eq!(listed, values, "{what}");
                assert_eq!(dict_cell(c1, r2 + 1), None, "{what}");
                long_lists.insert((t.id.clone(), col.name.clone()));
            }
        }
    }

    // 表1-5-1 学科类别 (118 一级学科 and 无: 687 units with the commas) is on 字典; 民族 (57
    // names: 221 units), 政治面貌 (24 names: 178 units) and 性别 fit inline.
    let long = |t: &str, c: &str| long_lists.contains(&(t.to_string(), c.to_string()));
    assert!(long("1-5-1", "学科类别"));
    for name in ["民族", "政治面貌", "性别"] {
        assert!(!long("1-5-1", name), "{name}");
    }

    let note = |t: &str, c: &str| notes[&(t.to_string(), c.to_string())].clone();
    assert!(note("1-5-1", "单位号")
        .contains("须在表1-2 学校相关党政单位的“单位号”或表1-3 学校教学科研单位的“单位号”中存在"));
    assert!(note("1-5-2", "工号").contains("须在表1-5-1 教职工基本信息的“工号”中存在"));
    assert!(note("1-5-1", "工号").contains("学校人事编号"));
    let born = note("1-5-1", "出生年月");
    assert!(
        born.contains("YYYY-MM") && born.contains("2025-09-30"),
        "{born}"
    );
    assert!(note("2-7", "购置时间").contains("YYYYMM"));
    assert!(note("SF-5", "开始日期").contains("YYYY-MM-DD"));
    assert!(note("1-1", "开办本科教育年份").contains("YYYY"));
    assert!(note("1-5-1", "性别").contains("男、女"));
    assert!(note("1-5-1", "民族").contains("见下拉列表"));
    assert!(note("2-8-1", "学校教育经费总额").contains("万元"));
    assert!(note("1-5-2", "校内指导博士生数").contains("整数"));
    let several = note("2-4", "校内专业代码");
    assert!(
        several.contains("英文分号") && several.contains("“000000”"),
        "{several}"
    );
}

#[test]
fn libreoffice_converts_every_template() {
    let ed = edition();
    let dir = TempDir::new().unwrap();
    let workbooks = write_templates(&ed, dir.path());
    let out_dir = TempDir::new().unwrap();
    let paths: Vec<PathBuf> = workbooks.iter().map(|(p, _)| p.clone()).collect();
    soffice_convert(&paths, "pdf", out_dir.path());
    for (path, _) in &workbooks {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let pdf = out_dir.path().join(format!("{stem}.pdf"));
        let size = std::fs::metadata(&pdf)
            .unwrap_or_else(|_| panic!("no PDF for {}", path.display()))
            .len();
        assert!(size > 0, "{}", pdf.display());
    }
}
