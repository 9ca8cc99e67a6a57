//! Annotated copies (`check --annotate DIR`): each handed-in workbook written again with its
//! findings in it, to send back to the department that filled it. Every sheet keeps its
//! name, cells and merged areas; a cell with an open error is shaded red and one with a
//! warning yellow, each with a note saying what is wrong; a first sheet 检查结果 lists every
//! finding of the file with a link to its cell. The input itself is never touched.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, Note, Url, Workbook, Worksheet};

use crate::finding::{CellRef, Finding, Severity};
use crate::read::{read_workbook, Sheet};
use crate::value::Raw;
use crate::xlsx::{
    cut_utf16, display_width, header_format, properties, safe_file_name, safe_sheet_name,
    save_atomically, set_widths, text_format, RESULTS_SHEET,
};

/// The most cells a workbook may have for a copy to be written: a department's file has a
/// few thousand; the writer holds every cell in memory.
pub const MAX_COPY_CELLS: u64 = 2_000_000;

/// Excel's limit on the text of a cell, in UTF-16 units.
const CELL_TEXT_MAX: usize = 32_767;

/// The most characters of one note: the rest is on the 检查结果 sheet.
const NOTE_MAX: usize = 2_000;

/// The most notes in one copy: each is a drawn shape, heavy to write and to open; a file
/// with more problem cells is listed whole on 检查结果 and every problem cell is shaded.
pub const MAX_NOTES: usize = 5_000;

/// The most findings listed (each with a link) on 检查结果: more help no clerk, would pass
/// the 65,530 links Excel keeps on a sheet, and take gigabytes to write. `--format json`
/// gives them all.
pub const MAX_LISTED: usize = 20_000;

/// What became of one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Copied {
    /// The annotated copy was written there.
    Written(PathBuf),
    /// The file could not be read (its findings say why): there is nothing to copy.
    Unreadable,
    /// No copy was made: why, in Chinese.
    Skipped(String),
}

/// The copy's file name: the input's stem with （批注） and `.xlsx` (a copy of an `.xls` or
/// `.ods` is an `.xlsx` too).
pub fn copy_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    // A name may have 255 bytes: a stem near that is cut, leaving room for what is added.
    let mut cut = String::new();
    for c in stem.chars() {
        if cut.len() + c.len_utf8() > STEM_MAX_BYTES {
            break;
        }
        cut.push(c);
    }
    safe_file_name(&format!("{cut}（批注）.xlsx"))
}

/// The most bytes of the input's stem kept in a copy's name.
const STEM_MAX_BYTES: usize = 200;

/// Where each file's copy goes: below `dir`, in the folders the file had below the input
/// folder it was found in (two departments' `表1.xlsx` stay apart); with several input
/// folders, below a folder named as its input folder. Files of one stem in one folder
/// (`表1.xls`, `表1.xlsx`) are told apart by their extension, then by `~2`; names are compared
/// without case, as Windows does.
pub fn copy_paths(files: &[PathBuf], inputs: &[PathBuf], dir: &Path) -> Vec<PathBuf> {
    let folders: Vec<&PathBuf> = inputs.iter().filter(|i| i.is_dir()).collect();
    let mut taken = HashSet::new();
    files
        .iter()
        .map(|f| {
            let below = folders
                .iter()
                .find_map(|i| Some((i, f.strip_prefix(i).ok()?)))
                .map(|(i, rest)| {
                    let mut p = PathBuf::new();
                    if folders.len() > 1 {
                        p.push(folder_name(i));
                    }
                    p.push(rest.parent().unwrap_or(Path::new("")));
                    p
                })
                .unwrap_or_default();
            let name = copy_name(f);
            let stem = name.trim_end_matches("（批注）.xlsx");
            let ext = f
                .extension()
                .map(|e| e.to_string_lossy())
                .unwrap_or_default();
            let mut path = dir.join(&below).join(&name);
            let mut n = 1;
            while !taken.insert(path.to_string_lossy().to_lowercase()) {
                let which = if n == 1 {
                    String::new()
                } else {
                    format!("~{n}")
                };
                let name = safe_file_name(&format!("{stem}（{ext}{which}，批注）.xlsx"));
                path = dir.join(&below).join(name);
                n += 1;
            }
            path
        })
        .collect()
}

/// A folder's own name (`.` and `..` by the name of the folder they stand for).
fn folder_name(dir: &Path) -> String {
    let named = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    named
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "输入".to_string())
}

/// Writes the annotated copy of `file` (named in findings as `name`) to `out`, whole or not
/// at all. `findings` are those of this file.
pub fn annotate_file(file: &Path, findings: &[&Finding], out: &Path) -> Result<Copied> {
    let wb = match read_workbook(file) {
        Ok(wb) => wb,
        Err(_) => return Ok(Copied::Unreadable),
    };
    let cells: u64 = wb.sheets.iter().map(|s| s.grid.cells()).sum();
    if cells > MAX_COPY_CELLS {
        return Ok(Copied::Skipped(format!(
            "文件有 {cells} 个单元格，超过批注副本的上限 {MAX_COPY_CELLS}"
        )));
    }
    let mut book = Workbook::new();
    book.set_properties(&properties("statedata 检查批注"));
    // A copy handed back and checked again has an earlier 检查结果 sheet: this one replaces it.
    let mut taken: HashSet<String> = [RESULTS_SHEET.to_lowercase()].into();
    let copied: Vec<(usize, String)> = wb
        .sheets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.error.is_none() && s.name != RESULTS_SHEET)
        .map(|(i, s)| (i, safe_sheet_name(&s.name, &mut taken)))
        .collect();
    let names: HashMap<&str, &str> = copied
        .iter()
        .map(|(i, n)| (wb.sheets[*i].name.as_str(), n.as_str()))
        .collect();
    write_results(book.add_worksheet(), &wb.path, findings, &wb.sheets, &names)?;
    let mut notes_left = MAX_NOTES;
    for (i, name) in &copied {
        let sheet = &wb.sheets[*i];
        let here: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.location.sheet.as_deref() == Some(sheet.name.as_str()))
            .collect();
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        copy_sheet(ws, sheet, &here, &mut notes_left)?;
        if !sheet.visible {
            ws.set_hidden(true);
        }
    }
    save_atomically(&mut book, out)?;
    Ok(Copied::Written(out.to_path_buf()))
}

/// Open problems mark their cells; accepted warnings and notes do not.
fn marks(f: &Finding) -> bool {
    !f.is_accepted() && matches!(f.severity, Severity::Error | Severity::Warning)
}

fn level(f: &Finding) -> &'static str {
    if f.is_accepted() {
        "已接受"
    } else {
        f.severity.label()
    }
}

const ERROR_FILL: &str = "#FFC7CE";
const WARNING_FILL: &str = "#FFEB9C";

/// The 检查结果 sheet: what the file is, how to read the copy, and every finding.
fn write_results(
    ws: &mut Worksheet,
    path: &str,
    findings: &[&Finding],
    sheets: &[Sheet],
    names: &HashMap<&str, &str>,
) -> Result<()> {
    ws.set_name(RESULTS_SHEET)?;
    ws.set_active(true);
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| marks(f) && f.severity == s)
            .count()
    };
    ws.write_string(
        0,
        0,
        format!(
            "文件 {path} 的检查结果：{} 个错误，{} 个警告。",
            count(Severity::Error),
            count(Severity::Warning)
        ),
    )?;
    ws.write_string(1, 0, "红色单元格有错误、黄色单元格有警告，鼠标移到单元格上可看说明；点下表“单元格”一列可跳到该处。可在原文件或本副本中改正后重新提交（本副本只有原文件的数据：格式、公式、原有批注和下拉列表未保留，日期只到日）。")?;
    let mut row = 2u32;
    let cells: HashSet<(&str, CellRef)> = findings
        .iter()
        .filter(|f| marks(f))
        .filter_map(|f| Some((f.location.sheet.as_deref()?, f.location.cell?)))
        .collect();
    if cells.len() > MAX_NOTES || findings.len() > MAX_LISTED {
        ws.write_string(
            row,
            0,
            format!(
                "问题太多（共 {} 条，涉及 {} 个单元格）：所有问题单元格都已标色，但只有前 {MAX_NOTES} 个加了批注，下表只列出前 {} 条。全部问题可用 statedata check --format json 导出。",
                findings.len(),
                cells.len(),
                MAX_LISTED.min(findings.len())
            ),
        )?;
        row += 1;
    }
    for sheet in sheets.iter().filter(|s| s.error.is_some()) {
        ws.write_string(
            row,
            0,
            format!(
                "工作表「{}」无法读取，未复制到本副本，请在原文件中查看。",
                sheet.name
            ),
        )?;
        row += 1;
    }
    row += 1;
    let header = header_format();
    let heads = [
        "序号",
        "级别",
        "工作表",
        "单元格",
        "表号",
        "列",
        "问题代码",
        "说明",
    ];
    let mut widths: Vec<usize> = heads.iter().map(|h| display_width(h)).collect();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &header)?;
    }
    let mut ordered: Vec<&Finding> = findings.to_vec();
    // Errors first, then warnings, accepted ones and notes; each in the order found.
    ordered.sort_by_key(|f| (!marks(f), std::cmp::Reverse(f.severity)));
    let text = text_format();
    for (n, f) in ordered.iter().take(MAX_LISTED).enumerate() {
        row += 1;
        let sheet = f.location.sheet.as_deref().unwrap_or("");
        let cell = f.location.cell.map(|c| c.a1()).unwrap_or_default();
        let values = [
            (n + 1).to_string(),
            level(f).to_string(),
            names.get(sheet).copied().unwrap_or(sheet).to_string(),
            cell.clone(),
            f.table.clone().unwrap_or_default(),
            f.column.clone().unwrap_or_default(),
            f.code.as_str().to_string(),
            match &f.accepted {
                Some(why) => format!("{}（已接受：{why}）", f.message),
                None => f.message.clone(),
            },
        ];
        for (c, v) in values.iter().enumerate() {
            widths[c] = widths[c].max(display_width(v));
            ws.write_string_with_format(row, c as u16, v, &text)?;
        }
        if let (Some(copy), false) = (names.get(sheet), cell.is_empty()) {
            let target = format!("internal:'{}'!{cell}", copy.replace('\'', "''"));
            ws.write_url_with_text(row, 3, Url::new(target), &cell)?;
        }
    }
    set_widths(ws, &widths)?;
    Ok(())
}

/// The formats of the copy: plain or date, shaded or not.
struct Formats {
    text: Format,
    date: Format,
    marked: [(Format, Format); 2],
}

impl Formats {
    fn new() -> Formats {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let shade = |f: &Format, c: &str| f.clone().set_background_color(Color::from(c));
        let text = text_format();
        Formats {
            marked: [
                (shade(&text, ERROR_FILL), shade(&date, ERROR_FILL)),
                (shade(&text, WARNING_FILL), shade(&date, WARNING_FILL)),
            ],
            text,
            date,
        }
    }

    /// (text or general cells, date cells) for a cell marked by `worst`, if any.
    fn of(&self, worst: Option<Severity>) -> (&Format, &Format) {
        let pair = match worst {
            Some(Severity::Error) => &self.marked[0],
            Some(_) => &self.marked[1],
            None => return (&self.text, &self.date),
        };
        (&pair.0, &pair.1)
    }
}

/// Copies a sheet's cells and merged areas, shading and noting the cells findings point at.
fn copy_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    findings: &[&Finding],
    notes_left: &mut usize,
) -> Result<()> {
    // The merged areas kept: one that overlaps another, or is huge, is left unmerged (Excel
    // refuses the first; the second holds nothing but its top-left value). Each cell of a
    // kept area points at the area's top-left cell, the only one Excel shows.
    let mut kept = Vec::new();
    let mut anchor: HashMap<(u32, u32), CellRef> = HashMap::new();
    for &(a, b) in &sheet.merges {
        let size = (b.row - a.row + 1) as u64 * (b.col - a.col + 1) as u64;
        let free = size <= 10_000
            && (a.row..=b.row).all(|r| (a.col..=b.col).all(|c| !anchor.contains_key(&(r, c))));
        if !free || b.row >= 1_048_576 || b.col >= 16_384 {
            continue;
        }
        (a.row..=b.row).for_each(|r| (a.col..=b.col).for_each(|c| _ = anchor.insert((r, c), a)));
        kept.push((a, b));
    }
    // A finding inside a merged area is shown on the area.
    let mut at_cell: BTreeMap<CellRef, Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| marks(f)) {
        if let Some(c) = f.location.cell {
            let shown = anchor.get(&(c.row, c.col)).copied().unwrap_or(c);
            at_cell.entry(shown).or_default().push(f);
        }
    }
    let formats = Formats::new();
    let worst = |c: CellRef| {
        at_cell
            .get(&c)
            .and_then(|fs| fs.iter().map(|f| f.severity).max())
    };
    let grid = &sheet.grid;
    // Merged areas first (their cells written blank), then the values over them.
    for (a, b) in kept {
        ws.merge_range(
            a.row,
            a.col as u16,
            b.row,
            b.col as u16,
            "",
            formats.of(worst(a)).0,
        )?;
    }
    let mut widths: Vec<usize> = Vec::new();
    for (i, cells) in grid.rows.iter().enumerate() {
        let r = grid.origin.0 + i as u32;
        for (j, raw) in cells.iter().enumerate() {
            let c = grid.origin.1 + j as u32;
            let shown = anchor.get(&(r, c)).copied().unwrap_or(CellRef::new(r, c));
            let (plain, date) = formats.of(worst(shown));
            let col = c as u16;
            match raw {
                Raw::Empty => continue,
                Raw::Text(s) => {
                    ws.write_string_with_format(r, col, cut_utf16(s, CELL_TEXT_MAX), plain)?;
                }
                Raw::Number(n) if n.is_finite() => {
                    ws.write_number_with_format(r, col, *n, plain)?;
                }
                Raw::Date(d) => {
                    use chrono::Datelike;
                    match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                        Ok(when) if d.year() >= 1900 => {
                            ws.write_datetime_with_format(r, col, when, date)?;
                        }
                        _ => {
                            ws.write_string_with_format(r, col, raw.display(), plain)?;
                        }
                    }
                }
                Raw::Bool(b) => {
                    ws.write_boolean_with_format(r, col, *b, plain)?;
                }
                // An error value (`#N/A`) or a number Excel cannot hold: shown as it was.
                _ => {
                    ws.write_string_with_format(r, col, raw.display(), plain)?;
                }
            }
            if (c as usize) < 200 {
                if widths.len() <= c as usize {
                    widths.resize(c as usize + 1, 0);
                }
                widths[c as usize] = widths[c as usize].max(display_width(&raw.display()).min(40));
            }
        }
    }
    set_widths(ws, &widths)?;
    // Cells with findings but nothing in them (a required cell left empty) are shaded too.
    for (c, fs) in &at_cell {
        if c.row >= 1_048_576 || c.col >= 16_384 {
            continue;
        }
        if grid.get(c.row, c.col) == &Raw::Empty && !anchor.contains_key(&(c.row, c.col)) {
            ws.write_blank(c.row, c.col as u16, formats.of(worst(*c)).0)?;
        }
        if *notes_left > 0 {
            *notes_left -= 1;
            ws.insert_note(c.row, c.col as u16, &note(fs))?;
        }
    }
    Ok(())
}

/// The note on a cell: each finding's level and message, cut to a size a note can show.
fn note(findings: &[&Finding]) -> Note {
    let mut text = String::new();
    for (n, f) in findings.iter().enumerate() {
        let line = format!("【{}】{}\n", f.severity.label(), f.message);
        if text.chars().count() + line.chars().count() > NOTE_MAX {
            text.push_str(&format!(
                "……另有 {} 条，见“{RESULTS_SHEET}”工作表",
                findings.len() - n
            ));
            break;
        }
        text.push_str(&line);
    }
    Note::new(text.trim_end())
        .set_author("statedata")
        .add_author_prefix(false)
        .set_width(360)
        .set_height(140)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_folders_and_tell_one_stem_apart_by_extension() {
        let inputs = [PathBuf::from("收到"), PathBuf::from("单独/表1.xlsx")];
        let files = [
            PathBuf::from("收到/人事处/表1.xlsx"),
            PathBuf::from("收到/教务处/表1.xlsx"),
            PathBuf::from("收到/教务处/表1.xls"),
            PathBuf::from("收到/教务处/表1.ods"),
            PathBuf::from("单独/表1.xlsx"),
        ];
        // Only folders count as roots; these do not exist, so every file is taken by name
        // alone and the clashes are told apart in order.
        let got = copy_paths(&files, &inputs, Path::new("退回"));
        let want = [
            "退回/表1（批注）.xlsx",
            "退回/表1（xlsx，批注）.xlsx",
            "退回/表1（xls，批注）.xlsx",
            "退回/表1（ods，批注）.xlsx",
            "退回/表1（xlsx~2，批注）.xlsx",
        ];
        assert_eq!(got, want.map(PathBuf::from));
    }

    #[test]
    fn a_long_name_is_cut_to_fit() {
        let long = "人".repeat(80); // 240 bytes: with （批注） the name would pass 255
        let name = copy_name(Path::new(&format!("收到/{long}.xlsx")));
        assert_eq!(name, format!("{}（批注）.xlsx", "人".repeat(66)));
        assert!(name.len() <= 255);
    }

    #[test]
    fn copies_below_an_existing_input_folder_keep_its_subfolders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("收到");
        for d in ["人事处", "教务处"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let files = [
            root.join("人事处").join("表1.xlsx"),
            root.join("教务处").join("表1.xlsx"),
            root.join("教务处").join("表1.xls"),
        ];
        let got = copy_paths(&files, std::slice::from_ref(&root), Path::new("退回"));
        let want = [
            "退回/人事处/表1（批注）.xlsx",
            "退回/教务处/表1（批注）.xlsx",
            "退回/教务处/表1（xls，批注）.xlsx",
        ];
        assert_eq!(got, want.map(PathBuf::from));
    }
}
