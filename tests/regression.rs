//! Regression tests for problems a first user found, one test each, named after the problem.

mod common;

use std::path::Path;

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use statedata::check::{check, Options, Outcome};
use statedata::finding::{Code, Severity};
use statedata::read::{expand_inputs, read_submission};
use statedata::schema::load_embedded;
use tempfile::TempDir;

fn check_dir(dir: &Path) -> Outcome {
    let edition = load_embedded("2025").unwrap();
    let files = expand_inputs(&[dir.to_path_buf()]).unwrap();
    check(
        &edition,
        read_submission(&edition, &files),
        &Options::year(2025),
    )
}

/// (code, sheet, cell) of the findings that have a sheet.
fn located(o: &Outcome) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.location.sheet.is_some())
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.location.sheet.clone().unwrap(),
                f.location.cell.map(|c| c.a1()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

const STAFF: [&str; 15] = [
    "工号",
    "姓名",
    "性别",
    "出生年月",
    "入校时间",
    "任职状态",
    "单位号",
    "单位名称",
    "学历",
    "最高学位",
    "学缘",
    "专业技术职称",
    "学科类别",
    "政治面貌",
    "民族",
];

/// A sheet with a header and rows of text.
fn sheet(wb: &mut Workbook, name: &str, header: &[&str], rows: &[Vec<&str>]) {
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
}

fn staff_row(id: &str) -> Vec<&str> {
    vec![
        id,
        "张三",
        "男",
        "1980-05",
        "2010-07",
        "在职",
        "001",
        "党委办公室",
        "大学本科",
        "学士",
        "本校",
        "讲师",
        "哲学",
        "群众",
        "汉族",
    ]
}

#[test]
fn a_renamed_key_header_makes_references_unchecked_not_wrong() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let mut header = STAFF.to_vec();
    header[0] = "职工号"; // the 工号 header mistyped
    sheet(
        &mut wb,
        "表1-5-1 教职工基本信息",
        &header,
        &[staff_row("000123")],
    );
    sheet(
        &mut wb,
        "表1-5-3 外聘和兼职教师基本信息",
        &[
            "工号",
            "姓名",
            "性别",
            "出生年月",
            "聘任时间",
            "任职状态",
            "聘期",
            "单位号",
            "单位名称",
            "学历",
            "最高学位",
            "专业技术职称",
            "工作单位类别",
            "承担本科教学任务",
            "导师类别",
            "地区",
        ],
        &[vec![
            "W001",
            "李四",
            "女",
            "1985-01",
            "2024",
            "在聘",
            "12",
            "001",
            "党委办公室",
            "硕士研究生",
            "硕士",
            "讲师",
            "高等学校",
            "课程教学",
            "无",
            "境内",
        ]],
    );
    sheet(
        &mut wb,
        "表3-1 校领导基本信息",
        &["工号", "姓名", "职务", "入校时间", "校内分管工作"],
        &[vec!["000123", "张三", "校长", "2010", "全面工作"]],
    );
    wb.save(dir.path().join("人事处.xlsx")).unwrap();
    let o = check_dir(dir.path());
    // 表3-1's 工号 refers to 1-5-1 (whose 工号 column was not found) or 1-5-3: not judged.
    assert!(!o
        .findings
        .iter()
        .any(|f| f.code == Code::ReferenceError && f.table.as_deref() == Some("3-1")));
    assert!(o.findings.iter().any(|f| f.code == Code::ReferenceUnchecked
        && f.table.as_deref() == Some("3-1")
        && f.column.as_deref() == Some("工号")));
    // The cause itself is reported where it is.
    assert!(o.findings.iter().any(|f| f.code == Code::MissingColumn
        && f.table.as_deref() == Some("1-5-1")
        && f.column.as_deref() == Some("工号")));
}

#[test]
fn a_sheet_without_a_table_name_is_recognised_by_its_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(&mut wb, "Sheet1", &STAFF, &[staff_row("000123")]);
    sheet(&mut wb, "Sheet2", &["说明"], &[vec!["人事处填报"]]);
    wb.save(dir.path().join("人事处-教职工.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let part = o.parts.iter().find(|p| p.part.sheet == "Sheet1").unwrap();
    assert_eq!(part.part.table, "1-5-1");
    assert_eq!(part.part.records.len(), 1);
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::TableByHeader)
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("表1-5-1 教职工基本信息"),
        "{}",
        f.message
    );
    // The 说明 sheet is no table.
    assert!(o
        .findings
        .iter()
        .any(|f| f.code == Code::UnmatchedSheet && f.location.sheet.as_deref() == Some("Sheet2")));
}

#[test]
fn a_wrong_table_number_in_the_sheet_name_is_caught_by_the_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表1-5-2 教职工基本信息",
        &STAFF,
        &[staff_row("000123")],
    );
    wb.save(dir.path().join("人事处.xlsx")).unwrap();
    let o = check_dir(dir.path());
    assert_eq!(o.parts.len(), 1);
    assert_eq!(o.parts[0].part.table, "1-5-1");
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::TableByHeader)
        .unwrap();
    assert!(
        f.message.contains("表1-5-2") && f.message.contains("表1-5-1"),
        "{}",
        f.message
    );
    assert!(!o.findings.iter().any(|f| f.code == Code::HeaderNotFound));
}

#[test]
fn totals_and_note_rows_are_skipped_with_one_warning_each() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表1-2 学校相关党政单位",
        &["党政单位名称", "单位号", "单位职能", "单位负责人"],
        &[
            vec!["党委办公室", "001", "其他", "张三"],
            vec!["合计", "", "", ""],
            vec!["注：单位号按学校编码填写"],
            vec!["填表人：王五", "", "审核人：赵六"],
        ],
    );
    wb.save(dir.path().join("党政办公室.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let sheet = "表1-2 学校相关党政单位".to_string();
    assert_eq!(
        located(&o),
        vec![
            ("skipped-row".to_string(), sheet.clone(), "A3".to_string()),
            ("skipped-row".to_string(), sheet.clone(), "A4".to_string()),
            ("skipped-row".to_string(), sheet, "A5".to_string()),
        ]
    );
    assert_eq!(o.parts[0].part.records.len(), 1);
}

#[test]
fn a_number_typed_into_a_date_cell_is_not_taken_for_1905() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-5-1 教职工基本信息").unwrap();
    for (c, h) in STAFF.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in staff_row("000123").iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    // 入校时间 (E2): 2025.09 typed into a yyyy-mm cell is the serial day 2025.09 = 1905-07-17.
    let ym = Format::new().set_num_format("yyyy-mm");
    ws.write_number_with_format(1, 4, 2025.09, &ym).unwrap();
    wb.save(dir.path().join("人事处.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let f = o
        .findings
        .iter()
        .find(|f| f.location.cell.map(|c| c.a1()).as_deref() == Some("E2"))
        .expect("a finding at E2");
    assert_eq!(f.code, Code::TypeError);
    assert!(f.message.contains("1905-07-17"), "{}", f.message);
    assert!(f.message.contains("2025-09"), "{}", f.message);
    // A plausible date cell in the same column is fine.
    let _ = ExcelDateTime::from_ymd(2010, 7, 1);
}

#[test]
fn an_impossible_year_is_refused_in_chinese() {
    let out = Command::cargo_bin("statedata")
        .unwrap()
        .args(["check", "fixtures/school", "--year", "20255"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("采集年份"));
}

#[test]
fn a_pdf_named_xlsx_is_called_a_pdf() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("人事处.xlsx"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    )
    .unwrap();
    let o = check_dir(dir.path());
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::UnreadableFile)
        .unwrap();
    assert!(f.message.contains("PDF"), "{}", f.message);
}

#[test]
fn a_stray_blank_cell_far_below_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-2 学校相关党政单位").unwrap();
    for (c, h) in ["党政单位名称", "单位号", "单位职能", "单位负责人"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["党委办公室", "001", "其他", "张三"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    // A space typed by accident 100,000 rows down.
    ws.write_string(99_999, 0, " ").unwrap();
    wb.save(dir.path().join("党政办公室.xlsx")).unwrap();
    let o = check_dir(dir.path());
    assert!(located(&o).is_empty(), "{:?}", located(&o));
    assert_eq!(o.parts[0].part.records.len(), 1);
}

#[test]
fn a_one_item_form_keeps_its_value() {
    // 表7-4 has one column; handed in as a 项目 | 内容 form its value stands beside the name.
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表7-4 本科教学质量年度报告").unwrap();
    ws.write_string(0, 0, "项目").unwrap();
    ws.write_string(0, 1, "内容").unwrap();
    ws.write_string(1, 0, "本科教学质量年度报告").unwrap();
    ws.write_string(1, 1, "https://example.edu.cn/report2025.pdf")
        .unwrap();
    wb.save(dir.path().join("评估中心.xlsx")).unwrap();
    let o = check_dir(dir.path());
    assert!(located(&o).is_empty(), "{:?}", located(&o));
    let p = &o.parts[0];
    assert!(p.part.vertical);
    assert_eq!(
        p.values[0][0].as_ref().unwrap().text,
        "https://example.edu.cn/report2025.pdf"
    );
    assert_eq!(p.part.records[0].cells[0].as_ref().unwrap().at.a1(), "B2");
}

#[test]
fn a_table_sent_as_csv_in_a_folder_is_reported_not_passed_over() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("人事处.csv"),
        "工号,姓名\n000123,张三\n".as_bytes(),
    )
    .unwrap();
    let o = check_dir(dir.path());
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::UnreadableFile)
        .unwrap();
    assert!(f.location.file.as_deref().unwrap().ends_with("人事处.csv"));
    assert!(f.message.contains("CSV"), "{}", f.message);
}

#[test]
fn a_value_in_the_last_cell_of_the_sheet_is_a_finding_not_an_abort() {
    // One character in XFD1048576 spans 17 billion cells: calamine's dense range would try
    // to allocate ~550 GB and abort the process.
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表1-2 学校相关党政单位",
        &["党政单位名称", "单位号", "单位职能", "单位负责人"],
        &[vec!["党委办公室", "001", "其他", "张三"]],
    );
    wb.worksheet_from_index(0)
        .unwrap()
        .write_string(1_048_575, 16_383, "x")
        .unwrap();
    sheet(
        &mut wb,
        "表1-3 学校教学科研单位",
        &["教学科研单位名称", "单位号", "单位职能", "单位负责人"],
        &[vec!["音乐学院", "101", "教学院系", "李四"]],
    );
    wb.save(dir.path().join("党政办公室.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::UnreadableSheet)
        .expect("the far sheet is refused");
    assert_eq!(f.location.sheet.as_deref(), Some("表1-2 学校相关党政单位"));
    assert!(f.message.contains("XFD1048576"), "{}", f.message);
    // The other sheet is read.
    assert!(o
        .parts
        .iter()
        .any(|p| p.part.table == "1-3" && p.part.records.len() == 1));
}

#[test]
fn empty_cells_of_a_merged_area_say_they_are_merged() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表1-2 学校相关党政单位",
        &["党政单位名称", "单位号", "单位职能", "单位负责人"],
        &[
            vec!["党委办公室", "001", "", "张三"],
            vec!["组织部", "002", "", "李四"],
            vec!["宣传部", "003", "", "王五"],
        ],
    );
    // 单位职能 merged over C2:C4, as people do for equal values.
    wb.worksheet_from_index(0)
        .unwrap()
        .merge_range(1, 2, 3, 2, "其他", &Format::new())
        .unwrap();
    wb.save(dir.path().join("党政办公室.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let sheet = "表1-2 学校相关党政单位".to_string();
    assert_eq!(
        located(&o),
        vec![
            ("merged-cell".to_string(), sheet.clone(), "C3".to_string()),
            ("merged-cell".to_string(), sheet, "C4".to_string()),
        ]
    );
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::MergedCell)
        .unwrap();
    assert!(f.message.contains("C2:C4"), "{}", f.message);
}

#[test]
fn a_vertical_form_missing_an_item_says_item_not_column() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表2-8-1 教育经费概况",
        &["项目", "内容"],
        &[
            vec!["学校教育经费总额", "25503"],
            vec!["教学经费总额", "13157"],
        ],
    );
    wb.save(dir.path().join("财务处.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let f = o
        .findings
        .iter()
        .find(|f| f.code == Code::MissingColumn)
        .unwrap();
    assert_eq!(f.column.as_deref(), Some("教学改革与建设专项经费总额"));
    assert!(f.message.contains("这一项"), "{}", f.message);
    assert!(o.parts[0].part.vertical);
}

#[test]
fn a_table_sent_twice_is_said_once_besides_each_row() {
    let dir = TempDir::new().unwrap();
    let rows = vec![
        vec!["党委办公室", "001", "其他", "张三"],
        vec!["组织部", "002", "其他", "李四"],
        vec!["宣传部", "003", "其他", "王五"],
        vec!["教务处", "004", "教学管理", "赵六"],
    ];
    let header = ["党政单位名称", "单位号", "单位职能", "单位负责人"];
    for name in ["党政办公室.xlsx", "党政办公室(1).xlsx"] {
        let mut wb = Workbook::new();
        sheet(&mut wb, "表1-2 学校相关党政单位", &header, &rows);
        wb.save(dir.path().join(name)).unwrap();
    }
    // A third file shares one key only: a real conflict, not a copy.
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "表1-2 学校相关党政单位",
        &header,
        &[
            vec!["学生处", "001", "学生管理", "钱七"],
            vec!["后勤处", "009", "其他", "孙八"],
        ],
    );
    wb.save(dir.path().join("学生处.xlsx")).unwrap();
    let o = check_dir(dir.path());
    let dup_keys = o
        .findings
        .iter()
        .filter(|f| f.code == Code::DuplicateKey)
        .count();
    // 4 rows of the copy, and 001 once more in 学生处.xlsx.
    assert_eq!(dup_keys, 5);
    let tables: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.code == Code::DuplicateTable)
        .collect();
    assert_eq!(tables.len(), 1);
    let f = tables[0];
    assert!(
        f.message.contains("党政办公室(1).xlsx") && f.message.contains("4 行"),
        "{}",
        f.message
    );
    assert_eq!(f.severity, Severity::Warning);
}

/// A fresh-eyes tester removed 表1-3 from the corpus and got 3,000 more errors: every 单位号 of
/// a teaching unit was "not found" in 1-2, although it was surely in the 1-3 nobody handed in.
/// While a target every school fills is missing, a reference to it and another table is not
/// judged; it is said once as reference-unchecked.
#[test]
fn a_missing_table_among_several_reference_targets_is_unchecked_not_a_flood() {
    let dir = TempDir::new().unwrap();
    common::write_units(
        &dir.path().join("党政单位.xlsx"),
        &[["党委办公室", "001", "其他", "张三"]],
    );
    let staff = |id: &'static str, unit: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![("工号", id), ("姓名", "李四"), ("单位号", unit)]
    };
    common::write_tables(
        &dir.path().join("人事处.xlsx"),
        &[(
            "1-5-1",
            &[
                &staff("000101", "001"),
                &staff("000102", "031"),
                &staff("000103", "032"),
            ],
        )],
    );
    let out = check_dir(dir.path());
    let refs: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::ReferenceError)
        .collect();
    assert!(refs.is_empty(), "{refs:#?}");
    let unchecked: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::ReferenceUnchecked && f.table.as_deref() == Some("1-5-1"))
        .collect();
    assert_eq!(unchecked.len(), 1, "{unchecked:#?}");
    assert_eq!(
        unchecked[0].message,
        "表1-3没有提供或没有读出，无法核对表1-5-1“单位号”的值是否存在"
    );

    // With 1-3 handed in, the unit that is in neither table is an error at its cell.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-3 学校教学科研单位").unwrap();
    let edition = load_embedded("2025").unwrap();
    for (c, col) in edition.table("1-3").unwrap().columns.iter().enumerate() {
        ws.write_string(0, c as u16, &col.name).unwrap();
    }
    let unit = edition
        .table("1-3")
        .unwrap()
        .column_index("单位号")
        .unwrap();
    ws.write_string(1, unit as u16, "031").unwrap();
    wb.save(dir.path().join("教学单位.xlsx")).unwrap();
    let out = check_dir(dir.path());
    let refs: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::ReferenceError && f.table.as_deref() == Some("1-5-1"))
        .map(|f| (f.value.clone().unwrap(), f.location.cell.unwrap().a1()))
        .collect();
    assert_eq!(refs, vec![("032".to_string(), "G4".to_string())]);
}

/// A fresh-eyes tester put a named pipe called `pipe.xlsx` in the folder (the run hung for
/// ever), a 1.5 GB file (read whole into memory), Mac `._人事处.xlsx` shadow files (each an
/// error telling the clerk to open it in Excel) and a zip archive (passed over in silence).
#[cfg(unix)]
#[test]
fn files_that_are_not_workbooks_are_named_or_skipped_without_being_read() {
    let dir = TempDir::new().unwrap();
    common::write_units(
        &dir.path().join("党政单位.xlsx"),
        &[["党委办公室", "001", "其他", "张三"]],
    );
    let fifo = dir.path().join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // A sparse file: 300 MB long, no disk used, and nothing read from it.
    let huge = std::fs::File::create(dir.path().join("huge.xlsx")).unwrap();
    huge.set_len(300 * 1024 * 1024).unwrap();
    std::fs::write(dir.path().join("._党政单位.xlsx"), [0u8, 5, 22, 7]).unwrap();
    std::fs::create_dir(dir.path().join("__MACOSX")).unwrap();
    std::fs::write(dir.path().join("__MACOSX/党政单位.xlsx"), [0u8, 5, 22, 7]).unwrap();
    // The department's files sent as one archive: it must be unpacked first.
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(dir.path().join("收到的表格.zip")).unwrap());
    zip.start_file("人事处.xlsx", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(
        &mut zip,
        &std::fs::read(dir.path().join("党政单位.xlsx")).unwrap(),
    )
    .unwrap();
    zip.finish().unwrap();

    let out = check_dir(dir.path());
    let mut files: Vec<(String, Code)> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::UnreadableFile)
        .map(|f| {
            let path = f.location.file.clone().unwrap();
            let name = Path::new(&path)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            (name, f.code)
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec![
            ("huge.xlsx".to_string(), Code::UnreadableFile),
            ("pipe.xlsx".to_string(), Code::UnreadableFile),
            ("收到的表格.zip".to_string(), Code::UnreadableFile),
        ]
    );
    let says = |name: &str| {
        out.findings
            .iter()
            .find(|f| f.location.file.as_deref().unwrap().ends_with(name))
            .unwrap()
            .message
            .clone()
    };
    assert!(
        says("pipe.xlsx").contains("不是普通文件"),
        "{}",
        says("pipe.xlsx")
    );
    assert!(
        says("huge.xlsx").contains("300 MB"),
        "{}",
        says("huge.xlsx")
    );
    // The good file is still read.
    assert!(out.parts.iter().any(|p| p.part.table == "1-2"));
}

/// A hidden sheet named `Sheet2` held a whole table; its name says no table, so it was passed
/// over in silence and the table counted as missing. Its header says which table it is.
#[test]
fn a_hidden_sheet_holding_a_table_under_another_name_is_named() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let front = wb.add_worksheet();
    front.set_name("说明").unwrap();
    front.write_string(0, 0, "本文件由党政办填写").unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name("Sheet2").unwrap();
    for (c, h) in ["党政单位名称", "单位号", "单位职能", "单位负责人"]
        .iter()
        .enumerate()
    {
        hidden.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["党委办公室", "001", "其他", "张三"].iter().enumerate() {
        hidden.write_string(1, c as u16, *v).unwrap();
    }
    hidden.set_hidden(true);
    wb.save(dir.path().join("党政办.xlsx")).unwrap();
    let out = check_dir(dir.path());
    let hidden: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::HiddenSheet)
        .collect();
    assert_eq!(hidden.len(), 1, "{:#?}", out.findings);
    assert_eq!(hidden[0].location.sheet.as_deref(), Some("Sheet2"));
    assert_eq!(hidden[0].table.as_deref(), Some("1-2"));
    assert!(hidden[0].message.contains("请取消隐藏"));
}
