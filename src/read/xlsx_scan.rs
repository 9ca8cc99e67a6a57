//! A streaming pass over an xlsx file's sheet XML for the cells calamine cannot give: a formula
//! without a cached value (calamine gives an empty cell; here it becomes `Raw::Error("=…")`), an error value it does not know
//! (`#SPILL!`, `#CALC!` …), a shared-string index past the table's end, an unknown cell type.
//! calamine fails on the last three; the reader skips such a cell and this pass says which cell
//! it was and what it held, so that one bad cell is a finding at that cell, not a bad sheet.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::guard::MAX_ENTRY_BYTES;
use crate::value::Raw;

/// Error values calamine reads itself.
const KNOWN_ERRORS: [&str; 7] = [
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
];

/// Per sheet name: the cells to put into the grid, at absolute (row, col).
pub type Problems = HashMap<String, Vec<((u32, u32), Raw)>>;

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .map(|a| a.value.into_owned())
}

fn local(e: &BytesStart<'_>) -> String {
    AsRef::<str>::as_ref(&e.local_name()).to_string()
}

pub type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

type Entry<'z, 'b> = std::io::Take<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>;

fn entry_reader<'z, 'b>(
    zip: &'z mut Zip<'b>,
    name: &str,
) -> Option<Reader<BufReader<Entry<'z, 'b>>>> {
    let f = zip.by_name(name).ok()?;
    Some(Reader::from_reader(BufReader::new(f.take(MAX_ENTRY_BYTES))))
}

/// Sheet name → the path of its XML in the zip.
pub fn sheet_paths(zip: &mut Zip<'_>) -> Vec<(String, String)> {
    let mut rels: HashMap<String, String> = HashMap::new();
    if let Some(mut r) = entry_reader(zip, "xl/_rels/workbook.xml.rels") {
        let mut buf = Vec::new();
        while let Ok(ev) = r.read_event_into(&mut buf) {
            match ev {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if local(&e) == "Relationship" => {
                    if let (Some(id), Some(t)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        let path = match t.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{t}"),
                        };
                        rels.insert(id, path);
                    }
                }
                _ => {}
            }
            buf.clear();
        }
    }
    let mut out = Vec::new();
    if let Some(mut r) = entry_reader(zip, "xl/workbook.xml") {
        let mut buf = Vec::new();
        while let Ok(ev) = r.read_event_into(&mut buf) {
            match ev {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if local(&e) == "sheet" => {
                    let rid = e
                        .attributes()
                        .flatten()
                        .find(|a| AsRef::<str>::as_ref(&a.key).ends_with(":id"))
                        .map(|a| a.value.into_owned());
                    if let (Some(name), Some(path)) =
                        (attr(&e, "name"), rid.and_then(|id| rels.get(&id).cloned()))
                    {
                        out.push((name, path));
                    }
                }
                _ => {}
            }
            buf.clear();
        }
    }
    out
}

/// How many entries the shared-string table has.
fn shared_strings(zip: &mut Zip<'_>) -> usize {
    let Some(mut r) = entry_reader(zip, "xl/sharedStrings.xml") else {
        return 0;
    };
    let mut n = 0;
    let mut buf = Vec::new();
    while let Ok(ev) = r.read_event_into(&mut buf) {
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if local(&e) == "si" => n += 1,
            _ => {}
        }
        buf.clear();
    }
    n
}

/// `B7` → (6, 1).
fn position(r: &str) -> Option<(u32, u32)> {
    let letters: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &r[letters.len()..];
    let row: u32 = digits.parse().ok()?;
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col
            .checked_mul(26)?
            .checked_add(c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)?;
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// One cell being read.
#[derive(Default)]
struct CellState {
    at: Option<(u32, u32)>,
    t: Option<String>,
    formula: Option<String>,
    value: Option<String>,
    /// The cell's `r` attribute, when it is no cell address (`H0`): the reader skips the cell.
    bad_ref: Option<String>,
}

/// Where a cell is: its `r` address, else the column after the last cell of its row; and the
/// `r` text when it is no address (the reader refuses such a cell: `H0`, `5`, `A-1`). Such a
/// cell is put at the column its letters name, if they do.
fn cell_at(e: &BytesStart<'_>, row: u32, col: u32) -> ((u32, u32), Option<String>) {
    let Some(r) = attr(e, "r") else {
        return ((row, col), None);
    };
    match position(&r) {
        Some(at) => (at, None),
        None => {
            let letters = r.trim_end_matches(|c: char| c.is_ascii_digit());
            let col = position(&format!("{letters}1")).map_or(col, |(_, c)| c);
            ((row, col), Some(r))
        }
    }
}

impl CellState {
    /// What the cell holds that calamine cannot give, if anything.
    fn problem(&self, strings: usize) -> Option<Raw> {
        if let Some(r) = &self.bad_ref {
            return Some(Raw::Error(format!("单元格地址 r=\"{r}\" 无效")));
        }
        let v = self.value.as_deref().map(str::trim).unwrap_or("");
        if v.is_empty() {
            // A formula cell with no cached value: Excel computed nothing, or a program wrote
            // the formula only. (Array formulas' other cells carry no <f>.)
            return self.formula.as_ref().map(|f| {
                Raw::Error(format!(
                    "={}",
                    if f.is_empty() {
                        "（共享公式）"
                    } else {
                        f
                    }
                ))
            });
        }
        match self.t.as_deref() {
            Some("e") if !KNOWN_ERRORS.contains(&v) => Some(Raw::Error(v.to_string())),
            Some("s") => match v.parse::<usize>() {
                Ok(i) if i < strings => None,
                _ => Some(Raw::Error(format!(
                    "文本编号 {v} 在文件的共享文本表中不存在"
                ))),
            },
            Some("b")
                if !(matches!(v, "0" | "1")
                    || v.eq_ignore_ascii_case("true")
                    || v.eq_ignore_ascii_case("false")) =>
            {
                Some(Raw::Error(format!(
                    "逻辑值单元格中的内容“{v}”不是 TRUE 或 FALSE"
                )))
            }
            Some("n") if v.parse::<f64>().is_err() => {
                Some(Raw::Error(format!("数值单元格中的内容“{v}”不是数字")))
            }
            Some(t) if !matches!(t, "n" | "s" | "b" | "d" | "e" | "str" | "inlineStr") => {
                Some(Raw::Error(format!("未知的单元格类型 t=\"{t}\"")))
            }
            _ => None,
        }
    }
}

/// Sheet names whose XML is one of `entries` (zip paths), with the reason given for it.
pub fn sheets_of(bytes: &[u8], entries: &[(String, String)]) -> Vec<(String, String)> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    sheet_paths(&mut zip)
        .into_iter()
        .filter_map(|(name, path)| {
            let why = entries.iter().find(|(p, _)| *p == path)?;
            Some((name, why.1.clone()))
        })
        .collect()
}

/// The problem cells of every sheet of an xlsx file (empty when there are none, or when the
/// file is not a readable zip: calamine reports that).
pub fn problems(bytes: &[u8], skip: &[(String, String)]) -> Problems {
    let mut out = Problems::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let strings = shared_strings(&mut zip);
    for (name, path) in sheet_paths(&mut zip) {
        if skip.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let Some(mut r) = entry_reader(&mut zip, &path) else {
            continue;
        };
        let mut found = Vec::new();
        let mut buf = Vec::new();
        let mut row: u32 = 0;
        let mut col: u32 = 0;
        let mut cell: Option<CellState> = None;
        let mut in_f = false;
        let mut in_v = false;
        while let Ok(ev) = r.read_event_into(&mut buf) {
            match ev {
                Event::Eof => break,
                Event::Start(e) => match local(&e).as_str() {
                    "row" => {
                        if let Some(n) = attr(&e, "r").and_then(|v| v.parse::<u32>().ok()) {
                            row = n.saturating_sub(1);
                        }
                        col = 0;
                    }
                    "c" => {
                        let (at, bad_ref) = cell_at(&e, row, col);
                        col = at.1.saturating_add(1);
                        cell = Some(CellState {
                            at: Some(at),
                            t: attr(&e, "t"),
                            bad_ref,
                            ..Default::default()
                        });
                    }
                    "f" => {
                        in_f = true;
                        if let Some(c) = cell.as_mut() {
                            c.formula.get_or_insert_with(String::new);
                        }
                    }
                    "v" => in_v = true,
                    _ => {}
                },
                Event::Empty(e) => match local(&e).as_str() {
                    "c" => {
                        let (at, bad_ref) = cell_at(&e, row, col);
                        col = at.1.saturating_add(1);
                        if let Some(r) = bad_ref {
                            let error = format!("单元格地址 r=\"{r}\" 无效");
                            found.push((at, Raw::Error(error)));
                        }
                    }
                    "f" => {
                        if let Some(c) = cell.as_mut() {
                            c.formula.get_or_insert_with(String::new);
                        }
                    }
                    _ => {}
                },
                Event::Text(t) => {
                    let text: String = AsRef::<str>::as_ref(&t).to_string();
                    if let Some(c) = cell.as_mut() {
                        if in_f {
                            c.formula.get_or_insert_with(String::new).push_str(&text);
                        } else if in_v {
                            c.value.get_or_insert_with(String::new).push_str(&text);
                        }
                    }
                }
                Event::End(e) => match AsRef::<str>::as_ref(&e.local_name()) {
                    "f" => in_f = false,
                    "v" => in_v = false,
                    "row" => row = row.saturating_add(1),
                    "c" => {
                        if let Some(c) = cell.take() {
                            if let (Some(at), Some(p)) = (c.at, c.problem(strings)) {
                                found.push((at, p));
                            }
                        }
                    }
                    _ => {}
                },
                _ => {}
            }
            buf.clear();
        }
        if !found.is_empty() {
            out.insert(name, found);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_addresses() {
        assert_eq!(position("A1"), Some((0, 0)));
        assert_eq!(position("C17"), Some((16, 2)));
        assert_eq!(position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(position("1A"), None);
    }

    #[test]
    fn what_calamine_cannot_give_is_named() {
        let c = |t: Option<&str>, f: Option<&str>, v: Option<&str>| CellState {
            at: Some((0, 0)),
            t: t.map(str::to_string),
            formula: f.map(str::to_string),
            value: v.map(str::to_string),
            bad_ref: None,
        };
        assert_eq!(
            c(None, Some("SUM(A1:A3)"), None).problem(0),
            Some(Raw::Error("=SUM(A1:A3)".into()))
        );
        assert_eq!(c(None, Some("SUM(A1:A3)"), Some("6")).problem(0), None);
        assert_eq!(
            c(Some("e"), None, Some("#SPILL!")).problem(0),
            Some(Raw::Error("#SPILL!".into()))
        );
        assert_eq!(c(Some("e"), None, Some("#N/A")).problem(0), None);
        assert!(c(Some("s"), None, Some("5")).problem(3).is_some());
        assert_eq!(c(Some("s"), None, Some("2")).problem(3), None);
        assert!(c(Some("b"), None, Some("2")).problem(0).is_some());
        assert_eq!(c(Some("b"), None, Some("1")).problem(0), None);
        assert_eq!(c(Some("b"), None, Some("TRUE")).problem(0), None);
    }
}
