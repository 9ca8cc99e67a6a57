//! Helpers shared by the integration tests: where the corpus is, the command, small workbooks,
//! LibreOffice and python3 with openpyxl.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;
use statedata::check::{check, Options, Outcome};
use statedata::read::{expand_inputs, read_submission};
use statedata::schema::{load_embedded, Edition};

/// The real corpus of department workbooks (`../shared/corpus/school-2025`, or below
/// `STATEDATA_SHARED`). Tests that need it fail loudly when it is missing.
pub fn corpus() -> PathBuf {
    let root = std::env::var("STATEDATA_SHARED").unwrap_or_else(|_| "../shared".to_string());
    let dir = PathBuf::from(root).join("corpus/school-2025");
    assert!(
        dir.is_dir(),
        "the real corpus is expected at {} (set STATEDATA_SHARED to the shared folder)",
        dir.display()
    );
    dir
}

/// The `statedata` binary of this build.
pub fn statedata() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("statedata").unwrap()
}

/// Reads and checks files and folders with the embedded edition and its rules, collection
/// year 2025, as `statedata check` does.
pub fn check_paths(paths: &[PathBuf]) -> (Edition, Outcome) {
    let edition = load_embedded("2025").unwrap();
    let rules = statedata::rules::load_embedded(&edition).unwrap();
    let files = expand_inputs(paths).unwrap();
    let sub = read_submission(&edition, &files);
    let out = check(&edition, sub, &Options::year(2025).with_rules(rules));
    (edition, out)
}

/// Writes `表1-2 学校相关党政单位` with the given rows (党政单位名称, 单位号, 单位职能, 单位负责人).
pub fn write_units(path: &Path, rows: &[[&str; 4]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1-2 学校相关党政单位").unwrap();
    for (c, h) in ["党政单位名称", "单位号", "单位职能", "单位负责人"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// Converts files with LibreOffice headless (`to` is a filter such as `pdf`) into `out_dir`,
/// asserting that it succeeds. LibreOffice is a real client: `.ci/run` installs it.
pub fn soffice_convert(files: &[PathBuf], to: &str, out_dir: &Path) {
    let soffice = std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("soffice"))
                .find(|f| f.is_file())
        })
        .expect("LibreOffice (soffice) is needed (.ci/run installs it)");
    let profile = tempfile::TempDir::new().unwrap();
    let out = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(out_dir)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Records of a table, each a list of (column, value).
pub type Records<'a> = &'a [&'a [(&'a str, &'a str)]];

/// Writes one table of the embedded edition as a platform-layout sheet `表<id> <name>`: the
/// header row with every column, then one row per record, each given as (column, value) pairs
/// (columns not given stay empty). Several tables may share a file: `tables` is a list.
pub fn write_tables(path: &Path, tables: &[(&str, Records)]) {
    let edition = load_embedded("2025").unwrap();
    let mut wb = Workbook::new();
    for (id, rows) in tables {
        let t = edition.table(id).unwrap_or_else(|| panic!("no table {id}"));
        let ws = wb.add_worksheet();
        ws.set_name(format!("表{} {}", t.id, t.name)).unwrap();
        for (c, col) in t.columns.iter().enumerate() {
            ws.write_string(0, c as u16, &col.name).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (name, value) in row.iter() {
                let c = t
                    .column_index(name)
                    .unwrap_or_else(|| panic!("表{id} has no column {name}"));
                ws.write_string(r as u32 + 1, c as u16, *value).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// Runs a python3 script with arguments; returns its stdout. Fails without openpyxl.
pub fn python(script: &str, args: &[&Path]) -> String {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "python3 with openpyxl is needed (.ci/run installs it)");
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
