//! `check --annotate DIR`: a copy of every handed-in file with open errors or warnings, to send
//! back. A copy holds every cell of its original (read back by calamine, and checked again it
//! gives the original's findings); its problem cells are shaded and noted and its first sheet
//! lists the file's findings (read back by openpyxl, a real client); LibreOffice opens it.

mod common;
use common::{corpus, python, soffice_convert, statedata, write_tables};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;

/// Runs `check` with the arguments and returns its JSON output and exit code.
fn check_json(args: &[&std::ffi::OsStr]) -> (Value, Option<i32>) {
    let out = statedata()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (json, out.status.code())
}

/// Runs `check PATHS… --annotate DIR` in the terminal format.
fn annotate<P: AsRef<std::ffi::OsStr>>(paths: &[P], dir: &Path) -> std::process::Output {
    statedata()
        .arg("check")
        .args(paths)
        .arg("--annotate")
        .arg(dir)
        .output()
        .unwrap()
}

fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().unwrap()
}

/// The files that have an open error or warning: those that get a copy.
fn files_with_problems(json: &Value) -> Vec<String> {
    let mut files: Vec<String> = findings(json)
        .iter()
        .filter(|f| f["severity"] != "info" && f.get("accepted").is_none())
        .filter_map(|f| f["file"].as_str().map(str::to_string))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A copy's expected path: the original's stem with （批注）, always `.xlsx`.
fn copy_of(file: &str, dir: &Path) -> PathBuf {
    let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
    dir.join(format!("{stem}（批注）.xlsx"))
}

/// What a finding says about its place, with file names taken out of the message (a copy
/// has another name).
fn essence(f: &Value, names: &[(String, String)]) -> String {
    let mut message = f["message"].as_str().unwrap().to_string();
    for (from, to) in names {
        message = message.replace(from, to);
    }
    format!(
        "{} {} {} {} {}",
        f["code"], f["severity"], f["sheet"], f["cell"], message
    )
}

#[test]
fn copies_of_the_fixture_school_check_to_the_original_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("批注");
    let school = Path::new("fixtures/school");
    let (plain, plain_code) = check_json(&[school.as_os_str()]);
    let (annotating, code) = check_json(&[
        school.as_os_str(),
        "--annotate".as_ref(),
        copies.as_os_str(),
    ]);
    // Annotating changes nothing of the check: the same findings and exit code.
    assert_eq!(plain["findings"], annotating["findings"]);
    assert_eq!(plain_code, Some(1));
    assert_eq!(code, plain_code);

    // A copy for every file with an open problem, and for no other.
    let problem_files = files_with_problems(&plain);
    assert_eq!(problem_files.len(), 3, "{problem_files:?}"); // 人事处, 教务处, 资产处
    let mut written: Vec<PathBuf> = std::fs::read_dir(&copies)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    written.sort();
    let mut expected: Vec<PathBuf> = problem_files.iter().map(|f| copy_of(f, &copies)).collect();
    expected.sort();
    assert_eq!(written, expected);

    // Checked again beside the files that needed no copy, the copies give every finding the
    // originals gave, at the same sheet and cell.
    let mut again: Vec<PathBuf> = written.clone();
    for e in std::fs::read_dir(school).unwrap() {
        let p = e.unwrap().path();
        if !problem_files.contains(&p.display().to_string()) {
            again.push(p);
        }
    }
    let args: Vec<&std::ffi::OsStr> = again.iter().map(|p| p.as_os_str()).collect();
    let (rechecked, _) = check_json(&args);
    let names: Vec<(String, String)> = problem_files
        .iter()
        .map(|f| (copy_of(f, &copies).display().to_string(), f.clone()))
        .collect();
    let of = |json: &Value| {
        let mut v: Vec<String> = findings(json).iter().map(|f| essence(f, &names)).collect();
        v.sort();
        v
    };
    assert_eq!(of(&rechecked), of(&plain));

    // LibreOffice opens every copy.
    let pdf = tmp.path().join("pdf");
    soffice_convert(&written, "pdf", &pdf);
    assert_eq!(std::fs::read_dir(&pdf).unwrap().count(), written.len());
}

#[test]
fn a_copy_shades_and_notes_each_problem_cell_and_lists_every_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("批注");
    let file = Path::new("fixtures/school/人事处.xlsx");
    let (json, _) = check_json(&[file.as_os_str(), "--annotate".as_ref(), copies.as_os_str()]);
    let found: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["file"] == file.display().to_string())
        .collect();
    assert!(found.len() >= 5, "{found:?}");
    let copy = copy_of(&file.display().to_string(), &copies);
    let read = python(
        r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "active": wb.active.title, "list": [], "cells": {}}
ws = wb.worksheets[0]
rows = list(ws.iter_rows(values_only=False))
head = next(i for i, r in enumerate(rows) if r[0].value == "序号")
for r in rows[head + 1:]:
    link = r[3].hyperlink.location if r[3].hyperlink else None
    out["list"].append([c.value for c in r] + [link])
for s in wb.worksheets[1:]:
    for row in s.iter_rows():
        for c in row:
            if c.comment:
                out["cells"][s.title + "!" + c.coordinate] = [c.fill.fgColor.rgb, c.comment.text]
print(json.dumps(out, ensure_ascii=False))
"#,
        &[&copy],
    );
    let read: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(read["sheets"][0], "检查结果");
    assert_eq!(read["active"], "检查结果");
    // The original's sheets follow, in order, under their own names.
    let original = open_workbook_auto(file).unwrap();
    let sheets: Vec<Value> = read["sheets"].as_array().unwrap()[1..].to_vec();
    assert_eq!(sheets, original.sheet_names());

    // Every finding of the file is listed once, with its code, cell and message, and a link
    // to its cell.
    let list = read["list"].as_array().unwrap();
    assert_eq!(list.len(), found.len());
    for f in &found {
        let row = list
            .iter()
            .find(|r| r[6] == f["code"] && r[7] == f["message"] && r[2] == f["sheet"])
            .unwrap_or_else(|| panic!("not listed: {f}"));
        if let Some(cell) = f["cell"].as_str() {
            assert_eq!(row[3], cell);
            let sheet = f["sheet"].as_str().unwrap();
            assert_eq!(row[8], format!("'{sheet}'!{cell}"));
        }
    }
    // Each open error or warning at a cell: the cell is shaded (red, yellow) and its note
    // says what the finding says.
    let cells = read["cells"].as_object().unwrap();
    let mut marked = 0;
    for f in found.iter().filter(|f| f.get("cell").is_some()) {
        let key = format!(
            "{}!{}",
            f["sheet"].as_str().unwrap(),
            f["cell"].as_str().unwrap()
        );
        let (fill, note) = (&cells[&key][0], cells[&key][1].as_str().unwrap());
        assert!(
            note.contains(f["message"].as_str().unwrap()),
            "{key}: {note}"
        );
        let red = found.iter().any(|g| {
            g["severity"] == "error" && g["sheet"] == f["sheet"] && g["cell"] == f["cell"]
        });
        assert_eq!(fill, if red { "FFFFC7CE" } else { "FFFFEB9C" }, "{key}");
        marked += 1;
    }
    assert!(marked >= 5);
    // And no other cell has a note.
    let places: std::collections::HashSet<String> = found
        .iter()
        .filter(|f| f.get("cell").is_some())
        .map(|f| {
            format!(
                "{}!{}",
                f["sheet"].as_str().unwrap(),
                f["cell"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(cells.len(), places.len());
}

/// A cell's value as calamine reads it, in a form both files share (an original `.xls` has
/// integers, a copy floats; a date is compared by its day; an error value is copied as its
/// text).
fn comparable(d: &Data) -> Option<String> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) if s.is_empty() => return None,
        Data::String(s) => format!("s:{s}"),
        Data::Int(i) => format!("n:{}", *i as f64),
        Data::Float(f) => format!("n:{f}"),
        Data::Bool(b) => format!("b:{b}"),
        Data::DateTime(dt) => format!("d:{}", dt.as_datetime().unwrap().date()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => format!("s:{s}"),
        Data::Error(e) => format!("s:{e}"),
    })
}

/// Every non-empty cell of every sheet, by sheet and absolute position.
fn cells_of(path: &Path) -> BTreeMap<(String, u32, u32), String> {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut out = BTreeMap::new();
    for name in wb.sheet_names() {
        if name == "检查结果" {
            continue;
        }
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            if let Some(v) = comparable(d) {
                out.insert((name.clone(), r0 + r as u32, c0 + c as u32), v);
            }
        }
    }
    out
}

#[test]
fn copies_of_the_corpus_lose_no_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("批注");
    let (json, _) = check_json(&[
        corpus().as_os_str(),
        "--annotate".as_ref(),
        copies.as_os_str(),
    ]);
    let problem_files = files_with_problems(&json);
    assert!(problem_files.len() >= 5, "{problem_files:?}");
    assert!(problem_files.iter().any(|f| f.ends_with(".xls")));
    let mut total = 0;
    for f in &problem_files {
        let copy = copy_of(f, &copies);
        let original = cells_of(Path::new(f));
        let copied = cells_of(&copy);
        total += original.len();
        for (at, v) in &original {
            assert_eq!(copied.get(at), Some(v), "{f} {at:?}");
        }
        // Nothing added to the original's sheets either.
        assert_eq!(copied.len(), original.len(), "{f}");
    }
    assert!(total > 100_000, "{total} cells compared");
}

#[test]
fn copies_are_not_written_into_an_input_folder() {
    // The next check of the folder would read the copies as departments' files.
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("收到的表格");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy("fixtures/school/人事处.xlsx", inputs.join("人事处.xlsx")).unwrap();
    let copies = inputs.join("批注");
    let out = annotate(&[&inputs], &copies);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("输入文件夹"));
    assert!(!copies.exists());
}

#[test]
fn files_of_one_name_in_two_folders_get_a_copy_each() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("收到的表格");
    for dept in ["一", "二"] {
        std::fs::create_dir_all(inputs.join(dept)).unwrap();
        std::fs::copy(
            "fixtures/school/人事处.xlsx",
            inputs.join(dept).join("人事处.xlsx"),
        )
        .unwrap();
    }
    let copies = tmp.path().join("批注");
    annotate(&[&inputs], &copies);
    for dept in ["一", "二"] {
        let copy = copies.join(dept).join("人事处（批注）.xlsx");
        assert!(copy.is_file(), "{}", copy.display());
    }
}

#[test]
fn a_finding_inside_a_merged_area_is_noted_on_the_area() {
    // 单位职能 merged over two units: Excel shows 教学管理 on both rows, but the second row's
    // cell (C3) is empty. The copy keeps C2:C3 merged; the note cannot sit on C3 (Excel does
    // not show a merged area's other cells), so it is on C2, where the clerk sees it.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("党政办公室.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-2 学校相关党政单位").unwrap();
    let rows = [
        ["党政单位名称", "单位号", "单位职能", "单位负责人"],
        ["教务处", "0101", "", "张三"],
        ["教学质量监控中心", "0102", "", "李四"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    ws.merge_range(1, 2, 2, 2, "教学管理", &rust_xlsxwriter::Format::new())
        .unwrap();
    wb.save(&file).unwrap();
    let copies = tmp.path().join("批注");
    let (json, _) = check_json(&[file.as_os_str(), "--annotate".as_ref(), copies.as_os_str()]);
    let merged: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["code"] == "merged-cell")
        .collect();
    assert_eq!(merged.len(), 1, "{json}");
    assert_eq!(merged[0]["cell"], "C3");
    let read = python(
        r#"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["表1-2 学校相关党政单位"]
print(json.dumps({
    "merged": [str(r) for r in ws.merged_cells.ranges],
    "C2": [ws["C2"].value, ws["C2"].comment.text if ws["C2"].comment else None,
           ws["C2"].fill.fgColor.rgb],
    "noted": [c.coordinate for row in ws.iter_rows() for c in row if c.comment],
}, ensure_ascii=False))
"#,
        &[&copy_of(&file.display().to_string(), &copies)],
    );
    let read: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(read["merged"], serde_json::json!(["C2:C3"]));
    assert_eq!(read["C2"][0], "教学管理");
    assert!(read["C2"][1]
        .as_str()
        .unwrap()
        .contains(merged[0]["message"].as_str().unwrap()));
    let fill = if merged[0]["severity"] == "error" {
        "FFFFC7CE"
    } else {
        "FFFFEB9C"
    };
    assert_eq!(read["C2"][2], fill);
    assert_eq!(read["noted"], serde_json::json!(["C2"]));
}

/// Sheet names of a workbook, as calamine reads them.
fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

#[test]
fn a_copy_handed_back_and_annotated_again_has_one_results_sheet() {
    // A department corrects its copy and hands it back; the office checks and annotates it
    // again. The earlier 检查结果 is replaced, not kept beside the new one, and the handed-back
    // copy gives no finding of its own for that sheet.
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("第一轮");
    let file = Path::new("fixtures/school/人事处.xlsx");
    check_json(&[file.as_os_str(), "--annotate".as_ref(), first.as_os_str()]);
    let back = tmp.path().join("交回");
    std::fs::create_dir(&back).unwrap();
    std::fs::copy(first.join("人事处（批注）.xlsx"), back.join("人事处.xlsx")).unwrap();
    let second = tmp.path().join("第二轮");
    let (json, _) = check_json(&[back.as_os_str(), "--annotate".as_ref(), second.as_os_str()]);
    let mut want = vec!["检查结果".to_string()];
    want.extend(sheet_names(file));
    assert_eq!(sheet_names(&second.join("人事处（批注）.xlsx")), want);
    assert!(
        !findings(&json).iter().any(|f| f["sheet"]
            .as_str()
            .is_some_and(|s| s.starts_with("检查结果"))),
        "{json}"
    );
}

#[test]
fn a_file_or_the_folder_of_an_input_file_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("收到");
    std::fs::create_dir(&inputs).unwrap();
    let file = inputs.join("人事处.xlsx");
    std::fs::copy("fixtures/school/人事处.xlsx", &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    // The folder of a file given alone: copies would sit beside their originals.
    let out = annotate(&[&file], &inputs);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("旁边"), "{err}");
    // Refused before the check: nothing of the report was printed.
    assert!(out.stdout.is_empty());
    // A file as the folder.
    let out = annotate(&[&file], &file);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("是一个文件"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert_eq!(std::fs::read_dir(&inputs).unwrap().count(), 1);
}

#[test]
fn a_copy_that_cannot_be_written_does_not_stop_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("批注");
    // Where 人事处's copy should go there is a folder: that copy cannot be saved.
    std::fs::create_dir_all(copies.join("人事处（批注）.xlsx")).unwrap();
    let out = annotate(&["fixtures/school"], &copies);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a copy asked for was not written"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("人事处.xlsx"), "{err}");
    assert!(copies.join("教务处（批注）.xlsx").is_file());
    assert!(copies.join("资产处（批注）.xlsx").is_file());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("写入 2 个批注副本"), "{stdout}");
}

#[test]
fn copies_left_from_an_earlier_run_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let copies = tmp.path().join("批注");
    statedata()
        .args(["check", "fixtures/school", "--annotate"])
        .arg(&copies)
        .output()
        .unwrap();
    // Checked alone, 资产处 is the only file with problems: the other two copies are old.
    let out = statedata()
        .args(["check", "fixtures/school/资产处.xlsx", "--annotate"])
        .arg(&copies)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("写入 1 个批注副本"), "{stdout}");
    let note = stdout.lines().find(|l| l.contains("以前写的")).unwrap();
    assert!(note.contains("还有 2 个"), "{note}");
    assert!(note.contains("人事处（批注）.xlsx") && note.contains("教务处（批注）.xlsx"));
}

#[test]
fn copies_from_several_input_folders_go_below_their_folder_names() {
    let tmp = tempfile::tempdir().unwrap();
    for round in ["收到1", "收到2"] {
        let d = tmp.path().join(round).join("人事处");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy("fixtures/school/人事处.xlsx", d.join("人事处.xlsx")).unwrap();
    }
    let copies = tmp.path().join("批注");
    statedata()
        .arg("check")
        .arg(tmp.path().join("收到1"))
        .arg(tmp.path().join("收到2"))
        .arg("--annotate")
        .arg(&copies)
        .output()
        .unwrap();
    for round in ["收到1", "收到2"] {
        let copy = copies
            .join(round)
            .join("人事处")
            .join("人事处（批注）.xlsx");
        assert!(copy.is_file(), "{}", copy.display());
    }
}

#[test]
fn a_file_with_very_many_problem_cells_gets_notes_up_to_the_bound_and_every_cell_shaded() {
    use statedata::annotate::MAX_NOTES;
    // 3,000 students, each with two values that are not options: 6,000 problem cells, more
    // than a copy notes. Every one is shaded; the first MAX_NOTES have notes; the list on
    // 检查结果 has every finding.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("教务处.xlsx");
    let students = 3_000u32;
    let ids: Vec<String> = (1..=students).map(|r| format!("S{r:08}")).collect();
    let rows: Vec<Vec<(&str, &str)>> = ids
        .iter()
        .map(|id| {
            vec![
                ("学号", id.as_str()),
                ("学生姓名", "张三"),
                ("性别", "男女"),
                ("校内专业（大类）名称", "机械设计制造及其自动化"),
                ("校内专业（大类）代码", "080201"),
                ("生源类别", "境内外"),
                ("年级", "2022"),
                ("入学年份", "2022"),
            ]
        })
        .collect();
    let records: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    write_tables(&file, &[("1-6", &records)]);
    let copies = tmp.path().join("批注");
    let (json, _) = check_json(&[file.as_os_str(), "--annotate".as_ref(), copies.as_os_str()]);
    let at_cells: std::collections::HashSet<(String, String)> = findings(&json)
        .iter()
        .filter(|f| f["severity"] != "info" && f.get("cell").is_some())
        .map(|f| (f["sheet"].to_string(), f["cell"].to_string()))
        .collect();
    assert!(
        at_cells.len() >= 2 * students as usize,
        "{}",
        at_cells.len()
    );
    assert!(at_cells.len() > MAX_NOTES);
    let listed_in_file = findings(&json)
        .iter()
        .filter(|f| f["file"] == file.display().to_string())
        .count();
    let read = python(
        r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["表1-6 本科生基本情况"]
noted = shaded = 0
for row in ws.iter_rows():
    for c in row:
        noted += c.comment is not None
        shaded += c.fill.fgColor.rgb in ("FFFFC7CE", "FFFFEB9C")
listing = wb["检查结果"]
rows = [r for r in listing.iter_rows(values_only=True)]
head = next(i for i, r in enumerate(rows) if r[0] == "序号")
print(json.dumps({"noted": noted, "shaded": shaded, "listed": len(rows) - head - 1,
                  "says": [r[0] for r in rows[:head] if r[0]]}, ensure_ascii=False))
"#,
        &[&copy_of(&file.display().to_string(), &copies)],
    );
    let read: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(read["noted"], MAX_NOTES);
    assert_eq!(read["shaded"], at_cells.len());
    assert_eq!(read["listed"], listed_in_file);
    assert!(
        read["says"].to_string().contains("问题太多"),
        "{}",
        read["says"]
    );
}
