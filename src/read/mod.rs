//! Reading what departments hand in: finding the files, telling their format from their bytes,
//! reading sheets into grids of `Raw` cells with absolute addresses, and locating tables in
//! them (`locate`).

mod guard;
mod locate;
mod sniff;
mod workbook;
mod xls_scan;
mod xlsx_scan;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::finding::{CellRef, Code, Finding, Location, Severity};
use crate::schema::Edition;
use crate::value::Raw;

pub use locate::{locate_sheet, match_table, Located};
pub use sniff::{sniff, Format};
pub use workbook::{read_workbook, Grid, Sheet, Workbook};

/// A cell of a table: where it is and what it held.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub at: CellRef,
    pub raw: Raw,
    /// The merged area the cell is part of (not as its top-left cell): Excel shows the
    /// area's value across it, but the cell itself is empty.
    pub merged: Option<(CellRef, CellRef)>,
}

/// One record of a table: a row of a list, or the whole of a vertical form.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// One entry per schema column; None when the sheet lacks that column.
    pub cells: Vec<Option<Cell>>,
    /// The sheet rows the record came from (first, last), 0-based.
    pub rows: (u32, u32),
}

/// The rows of one table read from one sheet.
#[derive(Debug, Clone)]
pub struct Part {
    /// 表号
    pub table: String,
    pub file: String,
    pub sheet: String,
    pub epoch_1904: bool,
    /// The header row (0-based), or the first row of a vertical form.
    pub header_row: u32,
    pub vertical: bool,
    pub records: Vec<Record>,
}

/// What was read from a file, for the summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub file: String,
    pub format: String,
    pub sheets: usize,
    pub readable: bool,
}

/// Everything read in one run.
#[derive(Debug, Default)]
pub struct Submission {
    pub parts: Vec<Part>,
    pub files: Vec<FileSummary>,
    /// Findings made while reading (unreadable files, unmatched sheets, header problems).
    pub findings: Vec<Finding>,
}

/// Files a folder search picks up. CSV is taken too, so that a table sent as CSV is reported
/// (and not silently passed over).
/// Files a folder search reads. Besides workbooks: CSV and templates (read or named), and
/// other spreadsheet or archive files a department may send (named, with what to do), so that
/// no table is passed over silently.
const WORKBOOK_EXTENSIONS: [&str; 13] = [
    "xlsx", "xlsm", "xlsb", "xls", "ods", "et", "csv", "xltx", "xltm", "xlt", "ett", "numbers",
    "zip",
];

/// The largest file read: the biggest real submission is a few megabytes, and a file is held
/// in memory while it is read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Expands the paths given on the command line: files as they are, folders searched
/// recursively for workbooks (skipping Excel's `~$` lock files). The same file named twice is
/// kept once. Returns an error naming a path that does not exist.
pub fn expand_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            for f in found {
                push_unique(f, &mut out, &mut seen);
            }
        } else if p.exists() {
            push_unique(p.clone(), &mut out, &mut seen);
        } else {
            anyhow::bail!("找不到文件或文件夹：{}（请检查路径是否写对）", p.display());
        }
    }
    Ok(out)
}

fn push_unique(p: PathBuf, out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) {
    let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
    if seen.insert(key) {
        out.push(p);
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("无法读取文件夹 {}：{e}", dir.display()))?;
    for e in entries {
        let path = e?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_workbook_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_workbook_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Lock files of Excel, WPS and LibreOffice, and the `._name` shadow files and `__MACOSX`
    // folder a Mac adds to copies and zip archives: none is a department's file.
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with("._") {
        return false;
    }
    if path.components().any(|c| c.as_os_str() == "__MACOSX") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// Reads every file and locates the edition's tables in its sheets. Never fails on a bad
/// file: that becomes a finding and the other files are read.
pub fn read_submission(edition: &Edition, files: &[PathBuf]) -> Submission {
    read_submission_with(edition, files, |_| {})
}

/// As `read_submission`, calling `progress` after each file.
pub fn read_submission_with(
    edition: &Edition,
    files: &[PathBuf],
    mut progress: impl FnMut(&Path),
) -> Submission {
    let mut sub = Submission::default();
    for path in files {
        read_one(edition, path, &mut sub);
        progress(path);
    }
    sub
}

/// When the bytes are another format than the extension says: (extension, what it is).
fn mismatch(path: &Path, actual: Format) -> Option<(String, Format)> {
    let ext = path.extension()?.to_str()?;
    let promised = Format::from_extension(ext)?;
    let comparable = !matches!(actual, Format::Empty | Format::Unknown);
    // An encrypted workbook is an OLE file whatever its extension: that is not a renaming.
    let same = promised == actual || actual == Format::EncryptedOoxml;
    (comparable && !same).then(|| (ext.to_string(), actual))
}

/// Records a file that could not be read, with the reason and what to do.
fn refuse(sub: &mut Submission, name: &str, format: String, message: String) {
    sub.files.push(FileSummary {
        file: name.to_string(),
        format,
        sheets: 0,
        readable: false,
    });
    sub.findings.push(Finding::new(
        Code::UnreadableFile,
        Severity::Error,
        Location::file(name),
        message,
    ));
}

/// What is wrong with a path before its bytes are read: not a regular file (a pipe or device
/// would block or never end), or too big to hold.
fn not_readable(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Some(format!(
            "无法读取此文件：文件打不开（{e}）。请确认文件存在、没有被其他程序占用，并且有读取权限"
        ))
        }
    };
    if !meta.is_file() {
        return Some("无法读取此文件：这不是普通文件（可能是管道、设备或特殊链接）。请把真正的表格文件复制到这里再检查".to_string());
    }
    let mib = |b: u64| b.div_ceil(1024 * 1024);
    (meta.len() > MAX_FILE_BYTES).then(|| {
        format!(
            "无法读取此文件：文件有 {} MB，超过上限 {} MB，不会是一份正常的填报表。请确认选对了文件；如果表格确实这么大，请删除多余的行、列、图片后另存为 .xlsx",
            mib(meta.len()),
            mib(MAX_FILE_BYTES)
        )
    })
}

fn read_one(edition: &Edition, path: &Path, sub: &mut Submission) {
    let name = path.display().to_string();
    if let Some(message) = not_readable(path) {
        refuse(sub, &name, Format::Unknown.label().to_string(), message);
        return;
    }
    let wb = match read_workbook(path) {
        Ok(wb) => wb,
        Err(mut u) => {
            if let Some((ext, actual)) = u.sniffed.and_then(|f| mismatch(path, f)) {
                u.reason = format!(
                    "扩展名是 .{ext}，但内容其实是{}：{}",
                    actual.describe(),
                    u.reason
                );
            }
            let message = format!("无法读取此文件：{}。{}", u.reason, u.advice);
            refuse(sub, &name, u.format.clone(), message);
            return;
        }
    };
    if wb.sheets.is_empty() {
        refuse(sub, &name, wb.format.label().to_string(), "无法读取此文件：其中找不到任何工作表（文件结构不完整）。请用 Excel 或 WPS 打开，确认表格内容还在，再另存为 .xlsx 提交".to_string());
        return;
    }
    sub.files.push(FileSummary {
        file: name.clone(),
        format: wb.format.label().to_string(),
        sheets: wb.sheets.len(),
        readable: true,
    });
    if let Some((ext, actual)) = mismatch(path, wb.format) {
        let right = match actual {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            _ => "ods",
        };
        sub.findings.push(Finding::new(
            Code::FormatMismatch,
            Severity::Warning,
            Location::file(&name),
            format!(
                "文件扩展名是 .{ext}，但内容其实是{}，已按实际格式读取。请把文件改名为 .{right}（或用 Excel/WPS 另存为 .xlsx），否则平台或其他软件可能打不开",
                actual.describe()
            ),
        ));
    }
    // A file whose only sheet with data is `Sheet1` (the others left empty, as Excel makes
    // them) names its table by its file name, as a one-sheet file does.
    let filled = wb.sheets.iter().filter(|s| !s.grid.is_empty()).count();
    for sheet in &wb.sheets {
        let single_sheet = wb.sheets.len() == 1 || (filled == 1 && !sheet.grid.is_empty());
        let located = locate_sheet(edition, &wb, sheet, single_sheet);
        sub.findings.extend(located.findings);
        if let Some(part) = located.part {
            sub.parts.push(part);
        }
    }
}
