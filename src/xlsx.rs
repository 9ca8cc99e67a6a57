//! Writing workbooks: the pieces every command that writes shares (text cells, Chinese-aware
//! column widths, Excel-safe sheet names, saving whole or not at all).

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, Format, FormatBorder, Workbook, Worksheet};

/// Sheets statedata adds to the workbooks it writes: the reader passes over them silently.
pub const CONTENTS_SHEET: &str = "目录";
pub const SOURCES_SHEET: &str = "来源";
pub const ERRORS_SHEET: &str = "错误清单";
/// The hidden sheet of a template holding the dropdown lists too long to be written inline.
pub const DICTIONARY_SHEET: &str = "字典";
/// The first sheet of an annotated copy (`check --annotate`), listing the file's findings.
pub const RESULTS_SHEET: &str = "检查结果";
pub const OWN_SHEETS: [&str; 5] = [
    CONTENTS_SHEET,
    SOURCES_SHEET,
    ERRORS_SHEET,
    DICTIONARY_SHEET,
    RESULTS_SHEET,
];

/// Excel's limit on a sheet name, in UTF-16 units.
pub const SHEET_NAME_MAX: usize = 31;

/// The `@` (text) number format: what people type later stays text, codes keep their zeros.
pub fn text_format() -> Format {
    Format::new().set_num_format("@")
}

/// A bold, bordered, shaded header cell, also text.
pub fn header_format() -> Format {
    Format::new()
        .set_num_format("@")
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
        .set_text_wrap()
}

/// Display width of text in Excel's units: CJK and other wide characters count 2.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// Sets each column wide enough for its widest text, within bounds.
pub fn set_widths(ws: &mut Worksheet, widths: &[usize]) -> Result<()> {
    for (c, w) in widths.iter().enumerate() {
        let w = (*w).clamp(6, 60) as f64 + 2.0;
        ws.set_column_width(c as u16, w)?;
    }
    Ok(())
}

/// A sheet name Excel accepts: the forbidden `[]:*?/\` become full-width look-alikes, leading
/// and trailing `'` go, the name is cut to 31 UTF-16 units, and a name already taken gets
/// `~2`, `~3` … (cut further to fit).
pub fn safe_sheet_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            _ => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim().to_string();
    let base = cut_utf16(&cleaned, SHEET_NAME_MAX);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!("~{n}");
        name = format!(
            "{}{suffix}",
            cut_utf16(&base, SHEET_NAME_MAX - suffix.len())
        );
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// The longest prefix of `s` of at most `max` UTF-16 units.
pub fn cut_utf16(s: &str, max: usize) -> String {
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > max {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// A file name without characters Windows forbids.
pub fn safe_file_name(wanted: &str) -> String {
    wanted
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if (c as u32) < 32 => '_',
            c => c,
        })
        .collect::<String>()
        .trim_end_matches(['.', ' '])
        .to_string()
}

/// Fixed document properties, so that the same content gives the same file.
pub fn properties(title: &str) -> DocProperties {
    DocProperties::new()
        .set_title(title)
        .set_author("statedata")
        .set_creation_datetime(
            &rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 1).expect("fixed date"),
        )
}

/// Removes temporary files that a killed run left behind (older than a minute, so that a
/// run going on beside this one keeps its own).
/// Whether the process that wrote a temporary file is gone: its id is in the file's name. Where
/// processes cannot be looked up (no `/proc`), a file older than a minute counts as left over.
fn writer_is_gone(name: &str, age_secs: Option<u64>) -> bool {
    let pid = name
        .strip_prefix(".statedata-")
        .and_then(|r| r.split('-').next())
        .and_then(|p| p.parse::<u32>().ok());
    let proc_fs = Path::new("/proc/self").exists();
    match pid {
        Some(pid) if proc_fs => {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => age_secs.is_some_and(|a| a > 60),
    }
}

/// Removes the temporary files of earlier runs that were killed while writing.
fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !(name.starts_with(".statedata-") && name.ends_with(".part")) {
            continue;
        }
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .map(|a| a.as_secs());
        if writer_is_gone(&name, age) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Saves a workbook whole or not at all: it is written to a temporary file beside the target
/// and renamed into place, so an interrupted run leaves no half-written file.
pub fn save_atomically(wb: &mut Workbook, path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    remove_stale_parts(&dir);
    let prefix = format!(".statedata-{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".xlsx.part");
    // A temporary file is private (0600) and keeps that mode when renamed; the workbook is
    // for colleagues too, so it is created as any new file is (0666 less the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder
        .tempfile_in(&dir)
        .with_context(|| format!("无法在 {} 中写入临时文件", dir.display()))?;
    wb.save(tmp.path())
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| {
        format!(
            "无法保存 {}（文件是否正在 Excel/WPS 中打开？请关闭后重试）",
            path.display()
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cut_cleaned_and_unique() {
        let mut taken = HashSet::new();
        let a = safe_sheet_name(
            "表5-2-2 分专业教师指导学生毕业综合训练情况（非医学类专业填报）",
            &mut taken,
        );
        assert_eq!(a.encode_utf16().count(), 31);
        assert!(a.starts_with("表5-2-2 分专业"));
        let b = safe_sheet_name(
            "表5-2-2 分专业教师指导学生毕业综合训练情况（非医学类专业填报）",
            &mut taken,
        );
        assert_ne!(a, b);
        assert!(b.ends_with("~2"));
        assert_eq!(b.encode_utf16().count(), 31);
        assert_eq!(safe_sheet_name("a/b:c?", &mut taken), "a／b：c？");
    }

    #[test]
    fn widths_count_chinese_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("教职工"), 6);
        assert_eq!(display_width("ab\n教职工基本"), 10);
    }
}
