//! `statedata bundle`: the upload workbook loses no row, reads back the same with statedata's
//! reader, openpyxl and LibreOffice, and checks the same as its inputs.
//!
//! openpyxl (python3) and LibreOffice (`soffice`) are real clients; `.ci/run` installs them.

mod common;
use common::{check_paths, corpus, python, soffice_convert, statedata, write_units};

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use rust_xlsxwriter::Workbook;
use statedata::check::Outcome;
use statedata::read::{read_workbook, Workbook as Read};
use statedata::schema::{load_embedded, Edition};
use statedata::value::clean_text;
use tempfile::TempDir;

/// The bundle of the real corpus, written once for all tests of this file.
struct Corpus {
    _dir: TempDir,
    bundle: PathBuf,
    split: PathBuf,
}

fn corpus_bundle() -> &'static Corpus {
    static B: OnceLock<Corpus> = OnceLock::new();
    B.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let bundle = dir.path().join("上报 数据.xlsx");
        let split = dir.path().join("分表");
        let out = statedata()
            .arg("bundle")
            .arg(corpus())
            .arg("-o")
            .arg(&bundle)
            .arg("--split")
            .arg(&split)
            .arg("--force")
            .output()
            .unwrap();
        // The corpus has real errors (see tests/expected/school-2025.md): exit 1, written.
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(bundle.is_file());
        Corpus {
            _dir: dir,
            bundle,
            split,
        }
    })
}

/// Rows of the input tables in their normal form, per table: what the bundle must hold.
/// Built from the checker's values (and, for cells it could not read, the cell's text).
fn input_rows(edition: &Edition, outcome: &Outcome) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut m: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for cp in &outcome.parts {
        let table = edition.table(&cp.part.table).unwrap();
        // A table given with a header and no rows (表7-4) still gets its sheet.
        m.entry(table.id.clone()).or_default();
        for (rec, vals) in cp.part.records.iter().zip(&cp.values) {
            let row = (0..table.columns.len())
                .map(|c| match &vals[c] {
                    Some(v) => v.text.clone(),
                    None => rec.cells[c]
                        .as_ref()
                        .map(|x| clean_text(&x.raw.display()))
                        .unwrap_or_default(),
                })
                .collect();
            m.entry(table.id.clone()).or_default().push(row);
        }
    }
    m
}

/// A sheet's cells as text, row by row, trailing empty cells dropped.
fn sheet_text(wb: &Read, name: &str) -> Vec<Vec<String>> {
    let sheet = wb.sheets.iter().find(|s| s.name == name).unwrap();
    let g = &sheet.grid;
    assert!(
        g.rows.is_empty() || g.origin == (0, 0),
        "{name} starts at A1"
    );
    g.rows
        .iter()
        .map(|r| {
            let mut v: Vec<String> = r.iter().map(|c| c.display()).collect();
            while v.last().is_some_and(|s| s.is_empty()) {
                v.pop();
            }
            v
        })
        .collect()
}

fn sorted(mut v: Vec<Vec<String>>) -> Vec<Vec<String>> {
    v.sort();
    v
}

fn pad(mut row: Vec<String>, n: usize) -> Vec<String> {
    row.resize(n, String::new());
    row
}

#[test]
fn every_input_row_is_in_the_bundle_once_with_its_values() {
    let c = corpus_bundle();
    let (edition, outcome) = check_paths(&[corpus()]);
    let expected = input_rows(&edition, &outcome);
    let wb = read_workbook(&c.bundle).unwrap();
    // 目录 first, 来源 last, 错误清单 (--force with errors) before it.
    assert_eq!(wb.sheets[0].name, "目录");
    assert_eq!(wb.sheets.last().unwrap().name, "来源");
    assert_eq!(wb.sheets[wb.sheets.len() - 2].name, "错误清单");
    assert_eq!(wb.sheets.len(), expected.len() + 3);
    let mut total = 0;
    for (id, rows) in &expected {
        let table = edition.table(id).unwrap();
        let sheet = wb
            .sheets
            .iter()
            .find(|s| s.name.starts_with(&format!("表{id} ")))
            .unwrap_or_else(|| panic!("no sheet for 表{id}"));
        let got = sheet_text(&wb, &sheet.name);
        let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(got[0], header, "header of 表{id}");
        let n = header.len();
        let got_rows: Vec<Vec<String>> = got[1..].iter().map(|r| pad(r.clone(), n)).collect();
        assert_eq!(got_rows.len(), rows.len(), "rows of 表{id}");
        let want: Vec<Vec<String>> = rows.iter().map(|r| pad(r.clone(), n)).collect();
        assert_eq!(sorted(got_rows), sorted(want), "values of 表{id}");
        total += rows.len();
    }
    // The corpus README speaks of about 14,000 rows; the 17 workbooks hold 14,080 data rows.
    assert_eq!(total, 14_080);
}

#[test]
fn codes_dates_and_numbers_are_written_in_platform_form() {
    let c = corpus_bundle();
    let wb = read_workbook(&c.bundle).unwrap();
    let staff = sheet_text(&wb, "表1-5-1 教职工基本信息");
    // 人事处.xlsx row 2: 工号 000181497, 出生年月 a date cell 1972-03, 入校时间 1995-07.
    assert_eq!(staff[1][0], "000181497");
    assert_eq!(staff[1][3], "1972-03");
    assert_eq!(staff[1][4], "1995-07");
    // 资产处.xlsx 表2-7: 购置时间 201004 (YYYYMM), 单价 1267 without `.0`.
    let equipment = sheet_text(&wb, "表2-7 本科实验设备情况");
    assert_eq!(
        equipment[1],
        vec![
            "SY001",
            "计算机基础实验室",
            "移动硬盘",
            "00005247",
            "1267",
            "201004"
        ]
    );
    // 网络与信息化中心.xlsx 表2-5: 14074.23 stays 14074.23.
    let net = sheet_text(&wb, "表2-5 校园网");
    assert_eq!(
        net[1],
        vec!["1000", "1700", "8540", "118", "14074.23", "15"]
    );
    // 财务处.xlsx 表2-8-1 was a vertical form: one header row plus one row.
    let money = sheet_text(&wb, "表2-8-1 教育经费概况");
    assert_eq!(money.len(), 2);
    assert_eq!(
        money[0],
        vec![
            "学校教育经费总额",
            "教学经费总额",
            "教学改革与建设专项经费总额"
        ]
    );
    assert_eq!(money[1][0], "25503");
    // Every data cell is a text cell.
    for s in &wb.sheets {
        for row in &s.grid.rows {
            for cell in row {
                assert!(
                    matches!(
                        cell,
                        statedata::value::Raw::Text(_) | statedata::value::Raw::Empty
                    ),
                    "{}: {cell:?}",
                    s.name
                );
            }
        }
    }
}

#[test]
fn the_bundle_checks_the_same_as_its_inputs() {
    let c = corpus_bundle();
    let key = |o: &Outcome| {
        let mut m: HashMap<(String, String, String, String), usize> = HashMap::new();
        for f in &o.findings {
            *m.entry((
                f.code.as_str().to_string(),
                f.table.clone().unwrap_or_default(),
                f.column.clone().unwrap_or_default(),
                f.value.clone().unwrap_or_default(),
            ))
            .or_default() += 1;
        }
        m
    };
    let (_, inputs) = check_paths(&[corpus()]);
    let (_, bundle) = check_paths(std::slice::from_ref(&c.bundle));
    assert_eq!(key(&inputs), key(&bundle));
    assert_eq!(inputs.findings.len(), bundle.findings.len());
}

#[test]
fn split_files_hold_the_same_as_the_bundle() {
    let c = corpus_bundle();
    let bundle = read_workbook(&c.bundle).unwrap();
    let mut n = 0;
    for s in &bundle.sheets {
        if ["目录", "来源", "错误清单"].contains(&s.name.as_str()) {
            continue;
        }
        let id = s.name.trim_start_matches('表').split(' ').next().unwrap();
        let table = load_embedded("2025").unwrap().table(id).unwrap().clone();
        let path = c.split.join(format!("{}.xlsx", table.title()));
        let one = read_workbook(&path).unwrap_or_else(|_| panic!("{}", path.display()));
        assert_eq!(one.sheets.len(), 1);
        assert_eq!(
            sheet_text(&one, &one.sheets[0].name),
            sheet_text(&bundle, &s.name),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert_eq!(n, 85);
    assert_eq!(
        std::fs::read_dir(&c.split).unwrap().count(),
        85,
        "no stray files"
    );
}

#[test]
fn sources_sheet_accounts_for_every_row() {
    let c = corpus_bundle();
    let wb = read_workbook(&c.bundle).unwrap();
    let sources = sheet_text(&wb, "来源");
    assert_eq!(
        sources[0],
        vec![
            "表号",
            "汇总工作表",
            "汇总起始行",
            "汇总结束行",
            "行数",
            "来源文件",
            "来源工作表",
            "来源行"
        ]
    );
    let sum: usize = sources[1..]
        .iter()
        .map(|r| r[4].parse::<usize>().unwrap())
        .sum();
    assert_eq!(sum, 14_080);
    // 表1-6 comes from 教务处.xlsx, whose sheets have a title row: rows 3–4246 (4,244 students).
    let students = sources[1..].iter().find(|r| r[0] == "1-6").unwrap();
    assert_eq!(
        students[2..5],
        ["2".to_string(), "4245".to_string(), "4244".to_string()]
    );
    assert!(students[5].ends_with("教务处.xlsx"));
    assert_eq!(students[7], "3–4246");
}

#[test]
fn openpyxl_reads_the_same_cells() {
    let c = corpus_bundle();
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(values_only=True):
        vals = ["" if v is None else v for v in row]
        assert all(isinstance(v, str) for v in vals), (ws.title, vals)
        while vals and vals[-1] == "":
            vals.pop()
        rows.append(vals)
    while rows and rows[-1] == []:
        rows.pop()
    out[ws.title] = rows
print(json.dumps(out, ensure_ascii=False))
"#;
    let out = python(script, &[&c.bundle]);
    let py: BTreeMap<String, Vec<Vec<String>>> = serde_json::from_str(&out).unwrap();
    let wb = read_workbook(&c.bundle).unwrap();
    assert_eq!(py.len(), wb.sheets.len());
    for s in &wb.sheets {
        let ours: Vec<Vec<String>> = sheet_text(&wb, &s.name);
        assert_eq!(py[&s.name], ours, "{}", s.name);
    }
}

#[test]
fn libreoffice_opens_the_bundle_and_sees_every_row() {
    let c = corpus_bundle();
    let out_dir = TempDir::new().unwrap();
    soffice_convert(
        std::slice::from_ref(&c.bundle),
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        out_dir.path(),
    );
    let wb = read_workbook(&c.bundle).unwrap();
    let stem = c.bundle.file_stem().unwrap().to_string_lossy().to_string();
    for s in &wb.sheets {
        let csv = out_dir.path().join(format!("{stem}-{}.csv", s.name));
        let text = std::fs::read_to_string(&csv).unwrap_or_else(|_| panic!("{}", csv.display()));
        // Every sheet has at least its header; the number of records equals ours. Records
        // are counted by a minimal CSV reader, since cells may hold line breaks.
        assert_eq!(csv_records(&text), s.grid.rows.len(), "{}", s.name);
    }
}

/// Counts the records of a CSV text, honouring quoted fields with line breaks.
fn csv_records(text: &str) -> usize {
    let mut records = 0;
    let mut in_quotes = false;
    let mut any = false;
    for ch in text.chars() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => {
                if any {
                    records += 1;
                }
                any = false;
                continue;
            }
            _ => {}
        }
        any = true;
    }
    records + usize::from(any)
}

#[test]
fn a_key_in_two_files_is_an_error_naming_both_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("党政办公室.xlsx");
    let b = dir.path().join("组织部.xlsx");
    write_units(&a, &[["党委办公室", "001", "其他", "张三"]]);
    write_units(
        &b,
        &[
            ["组织部", "002", "其他", "王五"],
            ["统战部", "001", "其他", "赵六"],
        ],
    );
    let out_path = dir.path().join("out").join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The duplicate is reported at 组织部.xlsx B3 and names 党政办公室.xlsx B2.
    let line = stdout
        .lines()
        .find(|l| l.contains("duplicate-key"))
        .expect("a duplicate-key finding");
    assert!(
        line.contains("组织部.xlsx") && line.contains("B3"),
        "{line}"
    );
    assert!(
        line.contains("党政办公室.xlsx") && line.contains("B2"),
        "{line}"
    );
    assert!(
        !out_path.exists(),
        "nothing is written when there are errors"
    );
}

#[test]
fn parts_from_two_files_are_joined_in_file_order() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("b-组织部.xlsx");
    let b = dir.path().join("a-党政办公室.xlsx");
    write_units(&a, &[["组织部", "002", "其他", "王五"]]);
    write_units(
        &b,
        &[
            ["党委办公室", "001", "其他", "张三"],
            ["校长办公室", "003", "其他", "李四"],
        ],
    );
    let out_path = dir.path().join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let wb = read_workbook(&out_path).unwrap();
    let rows = sheet_text(&wb, "表1-2 学校相关党政单位");
    // By file path (a-… before b-…), then row.
    let codes: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(codes, vec!["001", "003", "002"]);
    // No temporary file is left beside the output.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".part")), "{names:?}");
}

#[test]
fn data_the_bundle_would_leave_out_stops_it_without_force() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("党政办公室.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-2 学校相关党政单位").unwrap();
    for (c, h) in ["党政单位名称", "单位号", "单位职能", "单位负责人", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["党委办公室", "001", "其他", "张三", "含校长办公室"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&a).unwrap();
    let out_path = dir.path().join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(&a)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    // No error, but the 备注 column would be lost: nothing written without --force.
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("不会进入汇总表"));
    assert!(!out_path.exists());
    let out = statedata()
        .arg("bundle")
        .arg(&a)
        .arg("-o")
        .arg(&out_path)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out_path.exists());
}

#[test]
fn the_same_file_given_twice_is_read_once() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("党政办公室.xlsx");
    write_units(&a, &[["党委办公室", "001", "其他", "张三"]]);
    let out_dir = TempDir::new().unwrap();
    let out_path = out_dir.path().join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(&a)
        .arg(dir.path())
        .arg(dir.path().join(".").join("党政办公室.xlsx"))
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let wb = read_workbook(&out_path).unwrap();
    assert_eq!(sheet_text(&wb, "表1-2 学校相关党政单位").len(), 2);
}

#[test]
fn output_equal_to_an_input_is_refused() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("党政办公室.xlsx");
    write_units(&a, &[["党委办公室", "001", "其他", "张三"]]);
    let before = std::fs::read(&a).unwrap();
    let out = statedata()
        .arg("bundle")
        .arg(dir.path())
        .arg("-o")
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("输入"));
    assert_eq!(std::fs::read(&a).unwrap(), before);
}

#[test]
fn a_long_table_name_is_cut_to_a_unique_sheet_name() {
    let c = corpus_bundle();
    let wb = read_workbook(&c.bundle).unwrap();
    let long: Vec<&str> = wb
        .sheets
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| n.starts_with("表5-2-2 ") || n.starts_with("表6-6-7 "))
        .collect();
    assert_eq!(long.len(), 2);
    for n in &long {
        assert_eq!(n.encode_utf16().count(), 31, "{n}");
    }
    let mut names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), wb.sheets.len());
}

#[test]
fn output_inside_an_input_folder_is_refused() {
    // The next run would read the bundle back as a department's file and double every row.
    let dir = TempDir::new().unwrap();
    write_units(
        &dir.path().join("党政办公室.xlsx"),
        &[["党委办公室", "001", "其他", "张三"]],
    );
    let out_path = dir.path().join("汇总").join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(dir.path())
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("输入文件夹"));
    assert!(!out_path.exists());
}

/// Found by a fresh-eyes tester: given as relative paths, an output in a folder not made yet
/// (`in/new/x.xlsx`) was compared as a relative path with the absolute input and written.
#[test]
fn relative_output_in_a_new_folder_inside_an_input_is_refused() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    write_units(
        &dir.path().join("in").join("党政办公室.xlsx"),
        &[["党委办公室", "001", "其他", "张三"]],
    );
    let out = statedata()
        .current_dir(dir.path())
        .args(["bundle", "in", "-o", "in/new/x.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("输入文件夹"));
    assert!(!dir.path().join("in/new").exists());
}

/// Outputs were created 0600 (the temporary file's mode survived the rename), so colleagues
/// on a shared machine could not open the upload workbook. It now has the mode any new file
/// gets there: the same as a file this test creates beside it.
#[cfg(unix)]
#[test]
fn outputs_are_readable_like_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("收到");
    std::fs::create_dir(&input).unwrap();
    write_units(
        &input.join("党政办公室.xlsx"),
        &[["党委办公室", "001", "其他", "张三"]],
    );
    let out_path = dir.path().join("upload.xlsx");
    let out = statedata()
        .arg("bundle")
        .arg(&input)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, "x").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out_path), mode(&plain));
}
