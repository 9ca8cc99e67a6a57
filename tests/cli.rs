//! The `statedata` command as a user runs it: exit codes, outputs, bad arguments.

mod common;
use common::{statedata, write_units};

use tempfile::TempDir;

#[test]
fn clean_workbook_exits_zero() {
    let dir = TempDir::new().unwrap();
    write_units(
        &dir.path().join("党政办公室.xlsx"),
        &[
            ["党委办公室", "001", "其他", "张三"],
            ["教务处", "002", "教学管理", "李四"],
        ],
    );
    let out = statedata().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("表1-2 学校相关党政单位") || stdout.contains("1-2"));
    // Every other table is reported missing, by department.
    assert!(stdout.contains("没有收到的表"));
}

#[test]
fn errors_exit_one_and_json_has_the_same_findings() {
    let dir = TempDir::new().unwrap();
    write_units(
        &dir.path().join("党政办公室.xlsx"),
        &[
            ["党委办公室", "001", "其它", "张三"],
            ["教务处", "001", "教学管理", "李四"],
        ],
    );
    let out = statedata().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));

    let out = statedata()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let pick = |code: &str| -> Vec<(String, String)> {
        findings
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| {
                (
                    f["sheet"].as_str().unwrap_or("").to_string(),
                    f["cell"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    // `其它` is not an option (the list says 其他): C2. 单位号 001 repeats in B3.
    let sheet = "表1-2 学校相关党政单位".to_string();
    assert_eq!(pick("enum-error"), vec![(sheet.clone(), "C2".to_string())]);
    assert_eq!(pick("duplicate-key"), vec![(sheet, "B3".to_string())]);
    assert_eq!(doc["totals"]["errors"], 2);
    let dup = findings
        .iter()
        .find(|f| f["code"] == "duplicate-key")
        .unwrap();
    assert_eq!(dup["related"][0]["cell"], "B2");
    assert_eq!(dup["value"], "001");
}

#[test]
fn missing_path_exits_two_and_names_it() {
    let out = statedata()
        .args(["check", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder"));
}

#[test]
fn folder_without_workbooks_exits_two() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("说明.txt"), "nothing").unwrap();
    let out = statedata().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_schema_folder_exits_two_naming_file_and_key() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("edition.toml"),
        "edition = \"x\"\ntitle = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("1-2.toml"),
        "id = \"1-2\"\nname = \"n\"\nperiod = \"时点\"\nshape = \"list\"\nowner = \"o\"\ncolour = 1\n\
         [[columns]]\nname = \"a\"\nkind = \"text\"\n",
    )
    .unwrap();
    let book = dir.path().join("book.xlsx");
    write_units(&book, &[["a", "1", "其他", "b"]]);
    let out = statedata()
        .arg("--schemas")
        .arg(dir.path())
        .arg("check")
        .arg(&book)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1-2.toml"), "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn schemas_command_lists_the_edition() {
    let out = statedata().arg("schemas").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows = stdout.lines().filter(|l| l.starts_with("│")).count();
    let files = std::fs::read_dir("schemas/2025")
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension().is_some_and(|x| x == "toml") && p.file_name().unwrap() != "edition.toml"
        })
        .count();
    // One row per table file, plus the header row.
    assert_eq!(rows, files + 1);
    assert!(stdout.contains("教职工基本信息"));
}

#[test]
fn schemas_from_a_folder_work_like_the_embedded_copy() {
    let a = statedata().arg("schemas").output().unwrap();
    let b = statedata()
        .args(["--schemas", "schemas/2025", "schemas"])
        .output()
        .unwrap();
    assert_eq!(b.status.code(), Some(0));
    let strip = |s: &[u8]| {
        String::from_utf8_lossy(s)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a.stdout), strip(&b.stdout));
}

#[test]
fn inputs_are_not_modified() {
    let dir = TempDir::new().unwrap();
    let book = dir.path().join("党政办公室.xlsx");
    write_units(&book, &[["党委办公室", "001", "其它", "张三"]]);
    let before = std::fs::read(&book).unwrap();
    let modified = std::fs::metadata(&book).unwrap().modified().unwrap();
    statedata().arg("check").arg(&book).output().unwrap();
    assert_eq!(std::fs::read(&book).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&book).unwrap().modified().unwrap(),
        modified
    );
}

/// `statedata rules --format json | head -c 10` panicked ("failed printing to stdout: Broken
/// pipe", exit 101): a reader that stops early now ends the output quietly.
#[test]
fn output_into_a_pipe_closed_early_is_not_a_crash() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("statedata"))
        .args(["rules", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, before the program has written its ~100 KB.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..1], b"[");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
