//! Hostile and broken workbooks: every file below is generated here, put in one folder beside
//! one good workbook, and checked by the real binary in one run. Each must give its expected
//! finding (file, sheet and cell where there is one, and a next step: the message says 请…),
//! while the good file's data is still read and the exit code is as documented (1: errors).
//! Each file is then checked alone to measure wall time and peak memory: the table is printed
//! (time is not asserted; note the binary is the test build), and peak resident memory must
//! stay under 1 GiB. A run that takes over a minute is killed and counts as a failure.
//!
//! The cases are one table (`cases()`, in groups); how each file is made is in its builder.
//! The failures of all cases are collected and reported together; when the run of all files
//! gives no output, each case is judged on its own run.
//!
//! `STATEDATA_HOSTILE_DIR=dir` keeps the files (in `dir/收到的表格`) to try them by hand;
//! `STATEDATA_HOSTILE_ONLY=name,name` runs only the cases of those names.

mod common;

#[path = "hostile/measure.rs"]
mod measure;
#[path = "hostile/package.rs"]
mod package;
#[path = "hostile/samples.rs"]
mod samples;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::Value;

use measure::{run_statedata, Run};
use package::{
    compound_file, flag_encrypted, ods, ods_table, ods_text, ods_with_body, xml_escape, Package,
};

// ---------------------------------------------------------------------------------------------
// What a case expects.

/// A finding a case expects. `code` may list alternatives (`a|b`); every item of `says` must be
/// mentioned in the message or value (alternatives `a|b`, matched as words, so `xls` is not
/// found in `xlsx`). Every expected finding must also name the file and say what to do: its
/// message has one of `NEXT_STEP`.
#[derive(Clone, Debug)]
struct Want {
    code: &'static str,
    sheet: Option<String>,
    cell: Option<&'static str>,
    says: Vec<&'static str>,
}

impl Want {
    fn says(mut self, words: &[&'static str]) -> Want {
        self.says.extend(words);
        self
    }
}

/// A finding about the file as a whole.
fn file(code: &'static str) -> Want {
    Want {
        code,
        sheet: None,
        cell: None,
        says: Vec::new(),
    }
}

/// A finding about a sheet.
fn sheet(code: &'static str, name: &str) -> Want {
    Want {
        sheet: Some(name.to_string()),
        ..file(code)
    }
}

/// A finding at a cell.
fn cell(code: &'static str, name: &str, a1: &'static str) -> Want {
    Want {
        cell: Some(a1),
        ..sheet(code, name)
    }
}

/// What the builders may use: a number unique to the case (keys differ between files, so
/// files do not repeat each other's keys), and the workbooks LibreOffice converted.
struct Env<'a> {
    tag: usize,
    converted: &'a HashMap<&'static str, Vec<u8>>,
}

struct Case {
    name: &'static str,
    /// The file name it is saved under (its extension is part of the case).
    file: &'static str,
    build: fn(&Env) -> Vec<u8>,
    wants: Vec<Want>,
    /// Sheets that must be read, with their number of data rows (the run went on).
    reads: Vec<(String, usize)>,
    /// Findings that must not be made: (code, cell), an empty cell meaning anywhere.
    never: Vec<(&'static str, &'static str)>,
    /// Text that must appear nowhere in the output.
    never_prints: Option<&'static str>,
    /// A finding that is accepted instead of all the expectations above (for files that are
    /// damaged but whose data could be recovered: reading them is better, saying they cannot
    /// be read is acceptable).
    instead: Option<Want>,
}

fn case(name: &'static str, file: &'static str, build: fn(&Env) -> Vec<u8>) -> Case {
    Case {
        name,
        file,
        build,
        wants: Vec::new(),
        reads: Vec::new(),
        never: Vec::new(),
        never_prints: None,
        instead: None,
    }
}

impl Case {
    fn wants(mut self, w: Want) -> Case {
        self.wants.push(w);
        self
    }
    fn reads(mut self, sheet: &str, rows: usize) -> Case {
        self.reads.push((sheet.to_string(), rows));
        self
    }
    /// The standard 表1-2 rows were read whole: three rows, and the planted `其它` in C4 was
    /// seen at its place.
    fn reads_units(self, sheet: &str) -> Case {
        self.reads(sheet, 3).wants(cell("enum-error", sheet, "C4"))
    }
    fn never(mut self, code: &'static str, a1: &'static str) -> Case {
        self.never.push((code, a1));
        self
    }
    fn never_prints(mut self, text: &'static str) -> Case {
        self.never_prints = Some(text);
        self
    }
    fn or_instead(mut self, w: Want) -> Case {
        self.instead = Some(w);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Building blocks of the files.

const UNITS: &str = "表1-2 学校相关党政单位";
/// A second sheet of the same table, for files where one sheet is broken and the other not.
const UNITS2: &str = "表1-2 党政单位（续）";
const UNIT_HEADER: [&str; 4] = ["党政单位名称", "单位号", "单位职能", "单位负责人"];
/// A table nobody else provides, for the header-only sheet (an empty table is judged over all
/// files) and hidden sheets.
const FACULTIES: &str = "表1-3 学校教学科研单位";
const FACULTY_HEADER: [&str; 4] = ["教学科研单位名称", "单位号", "单位职能", "单位负责人"];
/// A table whose numbers are the case of numbers stored as text.
const CAMPUS_NET: &str = "表2-5 校园网";
/// A table with date columns, for the 1904 date system.
const TEACHING: &str = "表SF-5 教师近五年基础教育服务经历";
const ODD_SHEET: &str = "表1-2 学校相关党政单位 <&>\"' /\\?*[]:😀";
const FULL_WIDTH_SHEET: &str = "\u{3000}表１－２\u{3000}学校相关党政单位\u{3000}";
const ODD_FILE: &str = "党政办 最终版(2) #1 & 'x' 😀.xlsx";

fn sheet_part(n: usize) -> String {
    format!("xl/worksheets/sheet{n}.xml")
}

/// 表1-2 with a header and three rows whose keys are the case's own; the third row (C4) says
/// `其它`, which is not an option (`其他` is): an enum-error that shows the row was read, at
/// the right address.
fn units_grid(tag: usize) -> Vec<Vec<String>> {
    let mut g = vec![UNIT_HEADER.iter().map(|s| s.to_string()).collect()];
    for (i, (name, role, head)) in [
        ("党委办公室", "其他", "张三"),
        ("教务处", "教学管理", "李四"),
        ("学生工作处", "其它", "王五"),
    ]
    .iter()
    .enumerate()
    {
        g.push(vec![
            format!("{name}{tag}"),
            format!("{tag:03}{}", i + 1),
            role.to_string(),
            head.to_string(),
        ]);
    }
    g
}

fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// An xlsx of text cells, one sheet per (name, rows).
fn xlsx(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        write_rows(ws, rows);
    }
    wb.save_to_buffer().unwrap()
}

fn write_rows(ws: &mut Worksheet, rows: &[Vec<String>]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
}

fn units_xlsx(tag: usize) -> Vec<u8> {
    xlsx(&[(UNITS, units_grid(tag))])
}

/// The standard 表1-2 file as parts, for surgery.
fn units_pkg(tag: usize) -> Package {
    Package::read(&units_xlsx(tag))
}

/// The standard 表1-2 and a hidden-to-be 表1-3 with one row; `hide` hides it.
fn units_and_faculties(tag: usize, hide: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(UNITS).unwrap();
    write_rows(ws, &units_grid(tag));
    let ws = wb.add_worksheet().set_name(FACULTIES).unwrap();
    let code = format!("F{tag}");
    write_rows(
        ws,
        &grid(&[&FACULTY_HEADER, &["文学院", &code, "教学院系", "赵六"]]),
    );
    hide(ws);
    wb.save_to_buffer().unwrap()
}

/// The standard 表1-2 and a second sheet `数据` whose XML is `head`, then `unit` `count`
/// times, then the end of the sheet: streamed, never held in memory.
fn units_and_streamed_sheet(tag: usize, head: &str, unit: &str, count: usize) -> Vec<u8> {
    let mut p = Package::read(&xlsx(&[(UNITS, units_grid(tag)), ("数据", vec![])]));
    p.remove(&sheet_part(2));
    p.bytes_with_streamed(&sheet_part(2), head, unit, count, samples::WORKSHEET_TAIL)
}

/// Two sheets of 表1-2; the first is the one the case breaks.
fn two_units_pkg(tag: usize) -> Package {
    Package::read(&xlsx(&[
        (UNITS, units_grid(tag)),
        (UNITS2, units_grid(tag + 500)),
    ]))
}

fn c_inline(a1: &str, text: &str) -> String {
    format!(
        "<c r=\"{a1}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
        xml_escape(text)
    )
}

/// A formula cell whose cached value is an error, as Excel saves it: (address, XML).
fn c_error<'a>(a1: &'a str, formula: &str, error: &str) -> (&'a str, String) {
    let formula = xml_escape(formula);
    (
        a1,
        format!("<c r=\"{a1}\" t=\"e\"><f>{formula}</f><v>{error}</v></c>"),
    )
}

/// A 表1-2 file whose cells are replaced by the given XML.
fn units_with_cells(tag: usize, cells: &[(&str, String)]) -> Vec<u8> {
    let mut p = Package::read(&units_xlsx(tag));
    for (a1, xml) in cells {
        p.set_cell(&sheet_part(1), a1, xml);
    }
    p.bytes()
}

/// Appends rows (given as XML) at the end of a sheet's data.
fn append_rows(p: &mut Package, part: &str, rows: &str) {
    p.replace(part, "</sheetData>", &format!("{rows}</sheetData>"));
}

/// Bytes that look like nothing: a fixed pseudo-random sequence.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

/// Flips bytes in the middle of a zip entry's compressed data.
fn corrupt_entry(mut bytes: Vec<u8>, name: &str) -> Vec<u8> {
    let mut i = 0;
    while i + 30 < bytes.len() {
        if bytes[i..].starts_with(b"PK\x03\x04") {
            let le16 = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
            let le32 = |o: usize| {
                u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]) as usize
            };
            let packed = le32(i + 18);
            let (n, e) = (le16(i + 26), le16(i + 28));
            if &bytes[i + 30..i + 30 + n] == name.as_bytes() {
                let data = i + 30 + n + e;
                for b in &mut bytes[data + packed / 3..data + packed / 3 + 16] {
                    *b ^= 0x5A;
                }
                return bytes;
            }
        }
        i += 1;
    }
    panic!("no entry {name}");
}

/// The ODS rows of the standard 表1-2.
fn units_ods_rows(tag: usize) -> Vec<Vec<String>> {
    units_grid(tag)
        .iter()
        .map(|r| r.iter().map(|v| ods_text(v)).collect())
        .collect()
}

/// Excel's day number of a date in the 1904 date system.
fn serial_1904(d: NaiveDate) -> f64 {
    (d - NaiveDate::from_ymd_opt(1904, 1, 1).unwrap()).num_days() as f64
}

// ---------------------------------------------------------------------------------------------
// The cases.

fn cases() -> Vec<Case> {
    [
        format_cases(),
        package_cases(),
        size_cases(),
        cell_cases(),
        sheet_cases(),
        other_format_cases(),
        bound_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The format is told from the bytes; a name that says otherwise is named with the format.
fn format_cases() -> Vec<Case> {
    vec![
        case("empty-file", "empty.xlsx", |_| Vec::new())
            .wants(file("unreadable-file").says(&["空|0 字节"])),
        case("html-saved-as-xls", "html-export.xls", |_| {
            samples::HTML_EXPORT.into()
        })
        .wants(file("unreadable-file").says(&[".xls", "HTML|网页"])),
        case("mht-saved-as-xls", "mht-export.xls", |_| {
            samples::MHT_EXPORT.into()
        })
        .wants(file("unreadable-file").says(&[".xls", "MHT|MHTML|网页|HTML"])),
        case("csv-renamed-xlsx", "csv-renamed.xlsx", |_| {
            "\u{feff}党政单位名称,单位号,单位职能,单位负责人\r\n党委办公室,001,其他,张三\r\n".into()
        })
        .wants(file("unreadable-file").says(&[".xlsx", "CSV|文本"])),
        case("gbk-csv-renamed-xls", "gbk-csv.xls", |_| {
            decode_hex(samples::GBK_CSV_HEX)
        })
        .wants(file("unreadable-file").says(&[".xls", "CSV|文本"])),
        case("utf16-tsv-renamed-xls", "unicode-text.xls", |_| {
            // Excel's "Unicode 文本" save: UTF-16LE with a byte order mark, tab-separated.
            let text =
                "党政单位名称\t单位号\t单位职能\t单位负责人\r\n党委办公室\t001\t其他\t张三\r\n";
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            b
        })
        .wants(file("unreadable-file").says(&[".xls", "文本|TSV|CSV|Unicode"])),
        case("xml2003-saved-as-xls", "spreadsheetml.xls", |_| {
            samples::SPREADSHEET_ML_2003.into()
        })
        .wants(file("unreadable-file").says(&[".xls", "XML|2003"])),
        case("pdf-renamed-xlsx", "printed.xlsx", |_| samples::PDF.into())
            .wants(file("unreadable-file").says(&[".xlsx", "PDF"])),
        case("random-bytes", "garbage.xlsx", |_| {
            let mut b = noise(4096, 7);
            b[0] = 0; // not text either
            b
        })
        .wants(file("unreadable-file")),
        case("encrypted-ooxml", "encrypted.xlsx", |_| {
            compound_file(&[
                ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0]),
                ("EncryptedPackage", &noise(5000, 3)),
            ])
        })
        .wants(file("unreadable-file").says(&["密码"])),
        case("word-document-as-xls", "word.xls", |_| {
            compound_file(&[
                ("WordDocument", &[0xEC, 0xA5, 0xC1, 0x00]),
                ("1Table", &noise(600, 4)),
            ])
        })
        .wants(file("unreadable-file").says(&[".xls", "Word"])),
        case(
            "word-document-mentioning-book-as-xls",
            "word-book.xls",
            |_| {
                // The document's own text holds "Book" in UTF-16: only the container's streams
                // say what it is.
                let text: Vec<u8> = "Book of records"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes())
                    .collect();
                compound_file(&[("WordDocument", &text), ("1Table", &noise(600, 4))])
            },
        )
        .wants(file("unreadable-file").says(&[".xls", "Word"])),
        case("all-zero-bytes", "zeros.xlsx", |_| vec![0u8; 4096])
            .wants(file("unreadable-file").says(&["无法识别|损坏"])),
        case("xhtml-saved-as-xls", "xhtml-export.xls", |_| {
            concat!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><table>",
                "<tr><td>党政单位名称</td><td>单位号</td></tr></table></body></html>"
            )
            .into()
        })
        .wants(file("unreadable-file").says(&[".xls", "HTML|网页"])),
        case("ole-broken-workbook-stream", "broken-biff.xls", |_| {
            compound_file(&[("Workbook", &noise(5000, 5))])
        })
        .wants(file("unreadable-file").says(&["损坏|不完整"])),
        case("docx-renamed-xlsx", "report.xlsx", |_| {
            let mut p = Package::new();
            for (name, xml) in samples::DOCX_PARTS {
                p.set(name, xml);
            }
            p.bytes()
        })
        .wants(file("unreadable-file").says(&[".xlsx", "Word"])),
        case("zip-archive-renamed-xlsx", "archive.xlsx", |_| {
            let mut p = Package::new();
            p.set("说明.txt", "各部门报表")
                .set("照片.jpg", noise(2000, 6));
            p.bytes()
        })
        .wants(file("unreadable-file").says(&[".xlsx", "压缩包|zip"])),
        case("csv-file", "table.csv", |_| {
            "党政单位名称,单位号,单位职能,单位负责人\n党委办公室,001,其他,张三\n".into()
        })
        .wants(file("unreadable-file").says(&["CSV|文本"])),
        case("xlsx-named-xls", "xlsx-inside.xls", |e| units_xlsx(e.tag))
            .wants(file("format-mismatch").says(&[".xls", "xlsx"]))
            .reads_units(UNITS),
        case("xls-named-xlsx", "xls-inside.xlsx", |e| {
            e.converted["plain.xls"].clone()
        })
        .wants(file("format-mismatch").says(&[".xlsx", "xls|BIFF|97-2003"]))
        .reads_units(UNITS),
        case("ods-named-xlsx", "ods-inside.xlsx", |e| {
            ods(&[(UNITS, units_ods_rows(e.tag))])
        })
        .wants(file("format-mismatch").says(&[".xlsx", "ods|OpenDocument"]))
        .reads_units(UNITS),
    ]
}

/// Broken zip packages and broken or hostile XML in them.
fn package_cases() -> Vec<Case> {
    vec![
        case("truncated-zip", "truncated.xlsx", |e| {
            let b = units_xlsx(e.tag);
            b[..b.len() * 6 / 10].to_vec()
        })
        .wants(file("unreadable-file").says(&["不完整|损坏"])),
        case("zip-without-workbook-xml", "no-workbook.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.remove("xl/workbook.xml");
            p.bytes()
        })
        .wants(file("unreadable-file")),
        case("workbook-xml-garbage", "garbage-workbook.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.set("xl/workbook.xml", "this is <<< not xml &&&");
            p.bytes()
        })
        .wants(file("unreadable-file")),
        case("content-types-garbage", "garbage-content-types.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.set("[Content_Types].xml", "<Types><<<");
            p.bytes()
        })
        .reads_units(UNITS),
        case("styles-xml-garbage", "garbage-styles.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.set("xl/styles.xml", "<styleSheet><numFmts count=\"1\"><numFmt");
            p.bytes()
        })
        .reads_units(UNITS)
        .or_instead(file("unreadable-file")),
        case("shared-strings-garbage", "garbage-sst.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.set("xl/sharedStrings.xml", "<sst><si><t>党政");
            p.bytes()
        })
        .wants(file("unreadable-file|unreadable-sheet")),
        case("sheet-xml-not-well-formed", "bad-sheet-xml.xlsx", |e| {
            let mut p = two_units_pkg(e.tag);
            p.edit(&sheet_part(1), |s| {
                // Cut inside the third row, then close the document as if nothing happened.
                let cut = s.find("<row r=\"3\"").unwrap() + 12;
                format!("{}{}", &s[..cut], samples::WORKSHEET_TAIL)
            });
            p.bytes()
        })
        .wants(sheet("unreadable-sheet", UNITS))
        .reads_units(UNITS2),
        case("sheet-part-missing", "missing-sheet-part.xlsx", |e| {
            let mut p = two_units_pkg(e.tag);
            p.remove(&sheet_part(1));
            p.bytes()
        })
        .wants(sheet("unreadable-sheet", UNITS))
        .reads_units(UNITS2),
        case("sheet-data-corrupt", "corrupt-deflate.xlsx", |e| {
            corrupt_entry(two_units_pkg(e.tag).bytes(), &sheet_part(1))
        })
        .wants(sheet("unreadable-sheet", UNITS))
        .reads_units(UNITS2),
        case("zip-entries-encrypted", "zip-password.xlsx", |e| {
            flag_encrypted(units_xlsx(e.tag))
        })
        .wants(file("unreadable-file").says(&["密码|加密"])),
        case("entity-expansion", "billion-laughs.xlsx", |e| {
            // Ten levels of ten: a billion "lol"s if a reader expanded entities.
            let mut dtd = String::from("<!DOCTYPE sst [<!ENTITY l0 \"lollollollollollol\">");
            for i in 1..10 {
                let prev = format!("&l{};", i - 1);
                dtd.push_str(&format!("<!ENTITY l{i} \"{}\">", prev.repeat(10)));
            }
            dtd.push_str("]>");
            let mut p = units_pkg(e.tag);
            p.edit("xl/sharedStrings.xml", |s| {
                let s = s.replacen("<sst ", &format!("{dtd}<sst "), 1);
                s.replacen("<t>", "<t>&l9;", 1)
            });
            p.bytes()
        })
        .wants(file("unreadable-file|unreadable-sheet|cell-error")),
        case("external-entity", "xxe.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let doctype = format!("{}<worksheet ", samples::XXE_DOCTYPE);
            p.replace(&sheet_part(1), "<worksheet ", &doctype);
            let xxe = "<c r=\"A2\" t=\"inlineStr\"><is><t>&xxe;</t></is></c>";
            p.set_cell(&sheet_part(1), "A2", xxe);
            p.bytes()
        })
        .wants(file("unreadable-file|unreadable-sheet|cell-error"))
        .never_prints("root:x:0:0"),
        case("strict-open-xml", "strict.xlsx", |e| {
            // Excel's "Strict Open XML Spreadsheet": the same parts under ISO namespaces.
            let mut p = units_pkg(e.tag);
            for part in [
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/sharedStrings.xml",
                "xl/styles.xml",
                "xl/_rels/workbook.xml.rels",
                "_rels/.rels",
            ] {
                for (transitional, strict) in samples::STRICT_NAMESPACES {
                    p.edit(part, |s| s.replace(transitional, strict));
                }
            }
            p.bytes()
        })
        .reads_units(UNITS),
        case("inline-strings", "inline-strings.xlsx", |e| {
            // Writers other than Excel (openpyxl's write-only mode, many exporters).
            let mut p = units_pkg(e.tag);
            for (r, row) in units_grid(e.tag).iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    let a1 = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                    p.set_cell(&sheet_part(1), &a1, &c_inline(&a1, v));
                }
            }
            p.remove("xl/sharedStrings.xml");
            p.bytes()
        })
        .reads_units(UNITS),
        case("rows-out-of-order", "rows-out-of-order.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            p.edit(&sheet_part(1), |s| {
                let start = s.find("<row r=\"4\"").unwrap();
                let end = s[start..].find("</row>").unwrap() + start + "</row>".len();
                let row4 = s[start..end].to_string();
                let without = format!("{}{}", &s[..start], &s[end..]);
                without.replacen("<row r=\"2\"", &format!("{row4}<row r=\"2\""), 1)
            });
            p.bytes()
        })
        .reads_units(UNITS),
    ]
}

/// Sizes: stray cells, lying dimensions, decompression bombs, many merged areas.
fn size_cases() -> Vec<Case> {
    vec![
        case("stray-value-at-XFD1048576", "stray-cell.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let row = format!("<row r=\"1048576\">{}</row>", c_inline("XFD1048576", "x"));
            append_rows(&mut p, &sheet_part(1), &row);
            p.bytes()
        })
        .wants(cell("unreadable-sheet", UNITS, "XFD1048576").says(&["XFD1048576"])),
        case("styled-blank-at-XFD1048576", "stray-blank.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let rows = format!(
                "<row r=\"1048575\">{}</row><row r=\"1048576\">{}</row>",
                c_inline("XFD1048575", " \u{3000}"),
                "<c r=\"XFD1048576\" s=\"0\"/>"
            );
            append_rows(&mut p, &sheet_part(1), &rows);
            p.bytes()
        })
        .reads_units(UNITS)
        .never("unreadable-sheet", ""),
        case("stray-value-in-last-row", "stray-last-row.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let row = format!("<row r=\"1048576\">{}</row>", c_inline("D1048576", "x"));
            append_rows(&mut p, &sheet_part(1), &row);
            p.bytes()
        })
        .reads(UNITS, 4)
        .wants(cell("missing-value", UNITS, "A1048576"))
        .wants(cell("enum-error", UNITS, "C4")),
        case("dimension-claims-whole-sheet", "dimension-huge.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let dimension = "<dimension ref=\"A1:XFD1048576\"/>";
            p.replace(&sheet_part(1), "<dimension ref=\"A1:D4\"/>", dimension);
            p.bytes()
        })
        .reads_units(UNITS),
        case("dimension-claims-one-cell", "dimension-tiny.xlsx", |e| {
            let mut p = units_pkg(e.tag);
            let dimension = "<dimension ref=\"A1\"/>";
            p.replace(&sheet_part(1), "<dimension ref=\"A1:D4\"/>", dimension);
            p.bytes()
        })
        .reads_units(UNITS),
        case("bomb-sheet-xml", "bomb-sheet.xlsx", |e| {
            // 1,048,576 rows × 12 cells, ~210 MB of XML in under 1 MB: a formula filled down
            // to the last row, the rest of the workbook sound.
            let unit = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(12));
            units_and_streamed_sheet(e.tag, samples::WORKSHEET_HEAD, &unit, 1 << 20)
        })
        .wants(sheet("unreadable-sheet", "数据"))
        .reads_units(UNITS),
        case("bomb-high-ratio", "bomb-ratio.xlsx", |e| {
            // 200 MB of line breaks after one row: a thousand to one.
            let head = format!(
                "{}<row r=\"1\">{}</row>",
                samples::WORKSHEET_HEAD,
                c_inline("A1", "x")
            );
            units_and_streamed_sheet(e.tag, &head, "\n", 200 << 20)
        })
        .wants(file("unreadable-sheet|unreadable-file")),
        case("bomb-shared-strings", "bomb-sst.xlsx", |e| {
            // Ten million shared strings, ~170 MB of XML.
            let mut p = units_pkg(e.tag);
            let sst = p.text("xl/sharedStrings.xml");
            p.remove("xl/sharedStrings.xml");
            let head = sst.replace("</sst>", "");
            let unit = "<si><t>x</t></si>";
            p.bytes_with_streamed("xl/sharedStrings.xml", &head, unit, 10_000_000, "</sst>")
        })
        .wants(file("unreadable-file|unreadable-sheet")),
        case("shared-strings-count-lie", "sst-count.xlsx", |e| {
            // uniqueCount is only a hint, but a reader that reserves it asks for 2.4 TB.
            let mut p = units_pkg(e.tag);
            let count = regex::Regex::new(r#"uniqueCount="\d+""#).unwrap();
            p.edit("xl/sharedStrings.xml", |s| {
                let lie = r#"uniqueCount="100000000000""#;
                count.replace(&s, lie).into_owned()
            });
            p.bytes()
        })
        .reads_units(UNITS)
        .or_instead(file("unreadable-file")),
        case("ods-repeated-cell-bomb", "repeat-bomb.ods", |e| {
            let mut body = ods_table(UNITS, &units_ods_rows(e.tag), "", "");
            body.push_str(samples::ODS_REPEAT_BOMB);
            ods_with_body(&body)
        })
        .wants(sheet("unreadable-sheet", "数据"))
        .reads_units(UNITS)
        // calamine reads every sheet of an ods file when it opens it, so a sheet beyond the
        // bound can only be refused with its file (the message names the sheet).
        .or_instead(file("unreadable-file")),
        case("merged-area-every-row", "merges-every-row.xlsx", |e| {
            // 30,000 rows (a large school's student table), each with a merged note area
            // beside the table.
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name(UNITS).unwrap();
            write_rows(ws, &units_grid(e.tag)[..1]);
            for r in 1..=30_000u32 {
                ws.write_string(r, 0, format!("单位{}-{r}", e.tag)).unwrap();
                ws.write_string(r, 1, format!("{:03}{r:05}", e.tag))
                    .unwrap();
                ws.write_string(r, 2, "其他").unwrap();
                ws.merge_range(r, 4, r, 5, "备注", &Format::new()).unwrap();
            }
            wb.save_to_buffer().unwrap()
        })
        .reads(UNITS, 30_000),
    ]
}

/// Cells: cached errors, broken references into the shared strings, formulas, values that
/// are stored in the wrong kind or with characters nobody sees.
fn cell_cases() -> Vec<Case> {
    vec![
        case("cached-errors-classic", "errors-classic.xlsx", |e| {
            units_with_cells(
                e.tag,
                &[
                    c_error("C2", "VLOOKUP(A2,X!A:B,2,0)", "#N/A"),
                    c_error("C3", "#REF!", "#REF!"),
                    c_error("A4", "1/0", "#DIV/0!"),
                    c_error("D4", "A4+1", "#VALUE!"),
                ],
            )
        })
        .wants(cell("cell-error", UNITS, "C2").says(&["#N/A"]))
        .wants(cell("cell-error", UNITS, "C3").says(&["#REF!"]))
        .wants(cell("cell-error", UNITS, "A4").says(&["#DIV/0!"]))
        .wants(cell("cell-error", UNITS, "D4").says(&["#VALUE!"]))
        .reads_units(UNITS),
        case("cached-error-spill", "error-spill.xlsx", |e| {
            units_with_cells(e.tag, &[c_error("C2", "_xlfn.SEQUENCE(3)", "#SPILL!")])
        })
        .wants(cell("cell-error", UNITS, "C2").says(&["#SPILL!"]))
        .reads_units(UNITS),
        case("cached-error-calc", "error-calc.xlsx", |e| {
            let formula = "_xlfn._xlws.FILTER(A2:A4,B2:B4=0)";
            units_with_cells(e.tag, &[c_error("C2", formula, "#CALC!")])
        })
        .wants(cell("cell-error", UNITS, "C2").says(&["#CALC!"]))
        .reads_units(UNITS),
        case(
            "cached-error-getting-data",
            "error-getting-data.xlsx",
            |e| units_with_cells(e.tag, &[c_error("C2", "CUBEVALUE(\"x\")", "#GETTING_DATA")]),
        )
        .wants(cell("cell-error", UNITS, "C2").says(&["#GETTING_DATA"]))
        .reads_units(UNITS),
        case("cached-errors-newer", "errors-newer.xlsx", |e| {
            units_with_cells(
                e.tag,
                &[
                    c_error("A2", "_xlfn.FIELDVALUE(X,\"y\")", "#FIELD!"),
                    c_error("A3", "_xlfn.IMAGE(\"x\")", "#BLOCKED!"),
                    c_error("D2", "_xlfn.STOCKHISTORY(\"x\")", "#CONNECT!"),
                    c_error("D3", "_xlfn.STOCKHISTORY(\"y\")", "#BUSY!"),
                    c_error("D4", "_xlfn.PY(1)", "#UNKNOWN!"),
                ],
            )
        })
        .wants(cell("cell-error", UNITS, "A2").says(&["#FIELD!"]))
        .wants(cell("cell-error", UNITS, "A3").says(&["#BLOCKED!"]))
        .wants(cell("cell-error", UNITS, "D2").says(&["#CONNECT!"]))
        .wants(cell("cell-error", UNITS, "D3").says(&["#BUSY!"]))
        .wants(cell("cell-error", UNITS, "D4").says(&["#UNKNOWN!"]))
        .reads_units(UNITS),
        case(
            "shared-string-index-out-of-range",
            "bad-sst-index.xlsx",
            |e| {
                units_with_cells(
                    e.tag,
                    &[("B2", "<c r=\"B2\" t=\"s\"><v>99999</v></c>".into())],
                )
            },
        )
        .wants(cell("cell-error", UNITS, "B2"))
        .reads_units(UNITS),
        case("unknown-cell-type", "bad-cell-type.xlsx", |e| {
            units_with_cells(e.tag, &[("B2", "<c r=\"B2\" t=\"zz\"><v>1</v></c>".into())])
        })
        .wants(cell("cell-error|type-error", UNITS, "B2"))
        .reads_units(UNITS),
        case(
            "formula-without-cached-value",
            "formula-no-value.xlsx",
            |e| {
                let xml = "<c r=\"C2\" t=\"str\"><f>IF(1,\"教学管理\")</f></c>";
                units_with_cells(e.tag, &[("C2", xml.into())])
            },
        )
        .wants(cell("cell-error", UNITS, "C2").says(&["公式"]))
        .reads_units(UNITS),
        case("formulas-with-cached-values", "formulas.xlsx", |e| {
            // The cached results are what a user sees, and what is read.
            let g = units_grid(e.tag);
            let code = Formula::new(format!("=TEXT({},\"0000\")", e.tag * 10 + 1));
            let formulas = [
                (1, 1, code.set_result(g[1][1].clone())),
                (
                    2,
                    2,
                    Formula::new("=\"教学\"&\"管理\"").set_result("教学管理"),
                ),
                (3, 2, Formula::new("=\"其\"&\"它\"").set_result("其它")),
            ];
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            write_rows(ws, &g);
            for (r, c, f) in formulas {
                ws.write_formula(r, c, f).unwrap();
            }
            wb.save_to_buffer().unwrap()
        })
        .reads_units(UNITS)
        .never("cell-error", "B2")
        .never("missing-value", "B2")
        .never("enum-error", "C3"),
        case("numbers-stored-as-text", "numbers-as-text.xlsx", |_| {
            let header = [
                "校园网主干带宽",
                "校园网出口带宽",
                "网络接入信息点数量",
                "电子邮件系统用户数",
                "管理信息系统数据总量",
                "信息化工作人员数",
            ];
            let values = ["10000", "２０００", " 5000 ", "1200", "30.5", "12人"];
            xlsx(&[(CAMPUS_NET, grid(&[&header, &values]))])
        })
        .wants(cell("type-error", CAMPUS_NET, "F2").says(&["12人"]))
        .never("type-error", "A2")
        .never("type-error", "B2")
        .never("type-error", "C2")
        .never("type-error", "D2")
        .never("type-error", "E2")
        .reads(CAMPUS_NET, 1),
        case("codes-stored-as-numbers", "codes-as-numbers.xlsx", |e| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            write_rows(ws, &units_grid(e.tag));
            for r in 1..=3u32 {
                let code = (e.tag * 10 + r as usize) as f64;
                ws.write_number(r, 1, code).unwrap();
            }
            wb.save_to_buffer().unwrap()
        })
        .wants(cell("code-as-number", UNITS, "B2"))
        .reads_units(UNITS),
        case("invisible-characters", "invisible-chars.xlsx", |e| {
            let mut g = units_grid(e.tag);
            g[1][0] = format!("\u{00A0}{}\u{200B}", g[1][0]);
            g[1][1] = format!("\u{200B}{}\u{00A0}", g[1][1]);
            g[1][2] = "其他\u{3000}".to_string();
            g[2][1] = format!("\u{FEFF}{}", g[2][1]);
            xlsx(&[(UNITS, g)])
        })
        .wants(cell("value-normalised", UNITS, "B2").says(&["零宽字符|不换行空格"]))
        .never("enum-error", "C2")
        .reads_units(UNITS),
        case("full-width-characters", "full-width.xlsx", |e| {
            let mut g = units_grid(e.tag);
            let full_width = |c: char| char::from_u32(c as u32 + 0xFEE0).unwrap();
            g[1][1] = g[1][1].chars().map(full_width).collect();
            xlsx(&[(UNITS, g)])
        })
        .wants(cell("value-normalised", UNITS, "B2"))
        .reads_units(UNITS),
        case("18-digit-code-as-number", "id-as-number.xlsx", |e| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            write_rows(ws, &units_grid(e.tag));
            // Typed as 110101199003077777; Excel keeps 15 digits.
            ws.write_number(1, 1, 110101199003077777.0).unwrap();
            wb.save_to_buffer().unwrap()
        })
        .wants(cell("type-error", UNITS, "B2").says(&["15"]))
        .reads_units(UNITS),
        case("very-long-strings", "long-strings.xlsx", |e| {
            // Excel's longest cell (32,767 characters) as a name, and a 12 MB option text,
            // which no writer of Excel's makes.
            let name = c_inline("A2", &"党".repeat(32_767));
            let option = c_inline("C3", &"教学管理其它".repeat(700_000));
            units_with_cells(e.tag, &[("A2", name), ("C3", option)])
        })
        .wants(cell("enum-error", UNITS, "C3"))
        .reads_units(UNITS),
    ]
}

/// Sheets: hidden, dates in the 1904 system, layouts, names.
fn sheet_cases() -> Vec<Case> {
    vec![
        case("hidden-sheet", "hidden.xlsx", |e| {
            units_and_faculties(e.tag, |ws| {
                ws.set_hidden(true);
            })
        })
        .wants(sheet("hidden-sheet", FACULTIES))
        .reads_units(UNITS),
        case("very-hidden-sheet", "very-hidden.xlsx", |e| {
            units_and_faculties(e.tag, |ws| {
                ws.set_very_hidden(true);
            })
        })
        .wants(sheet("hidden-sheet", FACULTIES))
        .reads_units(UNITS),
        case("date-system-1904", "epoch-1904.xlsx", |e| {
            // 开始日期 2027-03-15 lies after the 时点 (2025-09-30). Read with the 1900 date
            // system the same number is 2023-03-14, which would pass unnoticed.
            let header = ["工号", "姓名", "服务类别", "开始日期", "结束日期"];
            let id = format!("T{}", e.tag);
            let row = [id.as_str(), "张三", "中学", "", ""];
            let date = Format::new().set_num_format("yyyy-mm-dd");
            let day = |y, m, d| serial_1904(NaiveDate::from_ymd_opt(y, m, d).unwrap());
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(TEACHING).unwrap();
            write_rows(ws, &grid(&[&header, &row]));
            ws.write_number_with_format(1, 3, day(2027, 3, 15), &date)
                .unwrap();
            ws.write_number_with_format(1, 4, day(2024, 6, 30), &date)
                .unwrap();
            let mut p = Package::read(&wb.save_to_buffer().unwrap());
            p.replace(
                "xl/workbook.xml",
                "<workbookPr",
                "<workbookPr date1904=\"1\"",
            );
            p.bytes()
        })
        .wants(cell("period-error", TEACHING, "D2").says(&["2027-03-15"]))
        .reads(TEACHING, 1),
        case("merged-cells-in-data", "merged-data.xlsx", |e| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            write_rows(ws, &units_grid(e.tag));
            ws.merge_range(1, 2, 3, 2, "教学管理", &Format::new())
                .unwrap();
            wb.save_to_buffer().unwrap()
        })
        .wants(cell("merged-cell", UNITS, "C3").says(&["C2"]))
        .wants(cell("merged-cell", UNITS, "C4").says(&["C2"]))
        .reads(UNITS, 3),
        case("multi-row-header", "two-row-header.xlsx", |e| {
            // A title row, a row of group headings, then the header.
            let f = Format::new();
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            ws.merge_range(0, 0, 0, 3, "表1-2 学校相关党政单位（2025年9月30日）", &f)
                .unwrap();
            ws.merge_range(1, 0, 1, 1, "单位", &f).unwrap();
            ws.merge_range(1, 2, 1, 3, "职能与负责人", &f).unwrap();
            for (r, row) in units_grid(e.tag).iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    ws.write_string(r as u32 + 2, c as u16, v).unwrap();
                }
            }
            wb.save_to_buffer().unwrap()
        })
        .reads(UNITS, 3)
        .wants(cell("enum-error", UNITS, "C6"))
        .never("header-not-found", ""),
        case("header-only", "header-only.xlsx", |_| {
            xlsx(&[(FACULTIES, grid(&[&FACULTY_HEADER]))])
        })
        .wants(sheet("empty-table", FACULTIES))
        .reads(FACULTIES, 0),
        case("many-sheets", "many-sheets.xlsx", |e| {
            let mut wb = Workbook::new();
            for i in 1..=300 {
                wb.add_worksheet().set_name(format!("Sheet{i}")).unwrap();
            }
            let ws = wb.add_worksheet().set_name(UNITS).unwrap();
            write_rows(ws, &units_grid(e.tag));
            wb.save_to_buffer().unwrap()
        })
        .reads_units(UNITS),
        case("sheet-name-odd-characters", "odd-sheet-name.xlsx", |e| {
            // Characters Excel refuses in a sheet name, written by another program.
            let mut p = units_pkg(e.tag);
            let odd = format!("name=\"{}\"", xml_escape(ODD_SHEET));
            p.replace("xl/workbook.xml", &format!("name=\"{UNITS}\""), &odd);
            p.bytes()
        })
        .reads_units(ODD_SHEET),
        case("sheet-name-full-width", "full-width-sheet-name.xlsx", |e| {
            xlsx(&[(FULL_WIDTH_SHEET, units_grid(e.tag))])
        })
        .reads_units(FULL_WIDTH_SHEET),
        case("file-name-odd-characters", ODD_FILE, |e| units_xlsx(e.tag)).reads_units(UNITS),
        case("two-sheets-of-one-name", "same-sheet-names.xlsx", |e| {
            // Written by another program: the reader finds sheets by name, so the second
            // would silently be the first read again.
            let mut p = Package::read(&xlsx(&[
                (UNITS, units_grid(e.tag)),
                ("副本", units_grid(e.tag)),
            ]));
            p.replace(
                "xl/workbook.xml",
                "name=\"副本\"",
                &format!("name=\"{UNITS}\""),
            );
            p.bytes()
        })
        .wants(sheet("unreadable-sheet", UNITS).says(&["同名"]))
        .reads_units(UNITS),
    ]
}

/// The other formats, read by the same loop.
fn other_format_cases() -> Vec<Case> {
    vec![
        case("xls-errors-merges-hidden", "biff8.xls", |e| {
            e.converted["full.xls"].clone()
        })
        .wants(cell("cell-error", UNITS, "C2").says(&["#DIV/0!"]))
        .wants(cell("merged-cell", UNITS, "D4"))
        .wants(sheet("hidden-sheet", FACULTIES))
        .reads_units(UNITS),
        case("xls-stray-value-at-IV65536", "stray-cell.xls", |e| {
            e.converted["far.xls"].clone()
        })
        .wants(cell("unreadable-sheet", UNITS, "IV65536").says(&["IV65536"])),
        case(
            "xls-sheets-beyond-the-workbook-budget",
            "sparse-budget.xls",
            |e| {
                // Each sheet is 4.9 million cells; after two the workbook's 10 million are nearly
                // spent: the other six are refused before calamine opens the file (it would have
                // held all eight, some 40 million cells).
                e.converted["budget.xls"].clone()
            },
        )
        .wants(sheet("unmatched-sheet", "数据1"))
        .wants(sheet("unmatched-sheet", "数据2"))
        .wants(sheet("unreadable-sheet", "数据3").says(&["10000000"]))
        .wants(sheet("unreadable-sheet", "数据8").says(&["10000000"]))
        .reads_units(UNITS),
        case(
            "xls-dimension-claims-4-billion-rows",
            "dimension-huge.xls",
            |e| xls_with_dimensions(&e.converted["plain.xls"], u32::MAX, 256),
        )
        .reads_units(UNITS),
        case("xlsb-binary-workbook", "binary.xlsb", |e| {
            package::xlsb(&[(UNITS, grid_cells(&units_grid(e.tag)))])
        })
        .reads_units(UNITS),
        case("xlsb-stray-value-at-XFD1048576", "stray-cell.xlsb", |e| {
            let mut cells = grid_cells(&units_grid(e.tag));
            cells.push((1_048_575, 16_383, "x".to_string()));
            package::xlsb(&[(UNITS, cells)])
        })
        .wants(cell("unreadable-sheet", UNITS, "XFD1048576").says(&["XFD1048576"])),
        case("ods-error-cell", "errors.ods", |e| {
            let mut rows = units_ods_rows(e.tag);
            rows[1][2] = samples::ODS_ERROR_CELL.to_string();
            // As LibreOffice writes it: each row and the sheet filled up with empty cells.
            let body = ods_table(
                UNITS,
                &rows,
                samples::ODS_EMPTY_REST_OF_ROW,
                samples::ODS_EMPTY_REST_OF_SHEET,
            );
            ods_with_body(&body)
        })
        .wants(cell("cell-error", UNITS, "C2").says(&["#DIV/0!"]))
        .reads_units(UNITS),
        case("ods-merged-cells", "merged.ods", |e| {
            let mut rows = units_ods_rows(e.tag);
            rows[1][2] = samples::ODS_SPANNING_CELL.to_string();
            rows[2][2] = "<table:covered-table-cell/>".to_string();
            rows[3][2] = "<table:covered-table-cell/>".to_string();
            ods(&[(UNITS, rows)])
        })
        .wants(cell("merged-cell", UNITS, "C3"))
        .wants(cell("merged-cell", UNITS, "C4"))
        .reads(UNITS, 3),
    ]
}

/// `col` (0-based) as column letters: 0 → A, 2499 → CRE.
fn col_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// The standard 表1-2 and sheets `数据1`, `数据2` … whose XML is given (rows only).
fn units_and_sheets(tag: usize, sheets: &[String]) -> Vec<u8> {
    let names: Vec<String> = (1..=sheets.len()).map(|i| format!("数据{i}")).collect();
    let mut all = vec![(UNITS, units_grid(tag))];
    all.extend(names.iter().map(|n| (n.as_str(), vec![])));
    let mut p = Package::read(&xlsx(&all));
    for (i, rows) in sheets.iter().enumerate() {
        let xml = format!(
            "{}{rows}{}",
            samples::WORKSHEET_HEAD,
            samples::WORKSHEET_TAIL
        );
        p.set(&sheet_part(i + 2), xml);
    }
    p.bytes()
}

/// Rows `1..=rows` each with a value in column A and one in column `far` (0-based).
fn rows_with_far_cells(rows: u32, far: u32) -> String {
    let far = col_letters(far);
    (1..=rows)
        .map(|r| {
            format!(
                "<row r=\"{r}\">{}{}</row>",
                c_inline(&format!("A{r}"), "x"),
                c_inline(&format!("{far}{r}"), "x")
            )
        })
        .collect()
}

/// Resource bounds that no single sheet reaches: what the reader holds for a whole workbook,
/// a cell the ods guard must count although it has no value type, and work that grew with the
/// square of a sheet's size.
fn bound_cases() -> Vec<Case> {
    vec![
        case("ods-value-without-type-bomb", "value-bomb.ods", |e| {
            // `office:value` alone (no `office:value-type`) is still a number to the reader:
            // 900,000 rows × 100 cells from 200 bytes.
            let mut body = ods_table(UNITS, &units_ods_rows(e.tag), "", "");
            body.push_str(concat!(
                r#"<table:table table:name="数据">"#,
                r#"<table:table-row table:number-rows-repeated="900000">"#,
                r#"<table:table-cell office:value="1" table:number-columns-repeated="100"/>"#,
                "</table:table-row></table:table>"
            ));
            ods_with_body(&body)
        })
        .wants(sheet("unreadable-sheet", "数据"))
        .reads_units(UNITS)
        .or_instead(file("unreadable-file").says(&["数据"])),
        case("ods-string-value-without-text-bomb", "string-bomb.ods", |e| {
            let mut body = ods_table(UNITS, &units_ods_rows(e.tag), "", "");
            body.push_str(concat!(
                r#"<table:table table:name="数据">"#,
                r#"<table:table-row table:number-rows-repeated="900000">"#,
                r#"<table:table-cell office:string-value="x" table:number-columns-repeated="100"/>"#,
                "</table:table-row></table:table>"
            ));
            ods_with_body(&body)
        })
        .wants(sheet("unreadable-sheet", "数据"))
        .reads_units(UNITS)
        .or_instead(file("unreadable-file").says(&["数据"])),
        case("many-sheets-each-with-a-far-cell", "many-sparse.xlsx", |e| {
            // 24 sheets with A1 and CRC2000 only: each spans 5 million cells, and all of them
            // together 120 million, but they hold two cells each.
            let far = format!(
                "<row r=\"1\">{}</row><row r=\"2000\">{}</row>",
                c_inline("A1", "x"),
                c_inline("CRC2000", "x")
            );
            units_and_sheets(e.tag, &vec![far; 24])
        })
        .wants(sheet("unmatched-sheet", "数据24"))
        .never("unreadable-sheet", "")
        .reads_units(UNITS),
        case("sheets-beyond-the-workbook-budget", "sparse-budget.xlsx", |e| {
            // Three sheets of 2,000 rows, each row with a cell in A and one in CRE: each sheet
            // holds 5 million cells, the limit of a sheet; the second one takes the workbook
            // beyond its limit of 10 million, and so does the third.
            units_and_sheets(e.tag, &vec![rows_with_far_cells(2000, 2499); 3])
        })
        .wants(sheet("unreadable-sheet", "数据2").says(&["10000000"]))
        .wants(sheet("unreadable-sheet", "数据3").says(&["10000000"]))
        .wants(sheet("unmatched-sheet", "数据1"))
        .reads_units(UNITS),
        case("boolean-cell-holding-2", "bool-2.xlsx", |e| {
            units_with_cells(e.tag, &[("B2", "<c r=\"B2\" t=\"b\"><v>2</v></c>".into())])
        })
        .wants(cell("cell-error", UNITS, "B2").says(&["2"]))
        .reads_units(UNITS),
        case("cell-address-in-row-zero", "ref-row-zero.xlsx", |e| {
            let xml = "<c r=\"D0\" t=\"inlineStr\"><is><t>张三</t></is></c>";
            units_with_cells(e.tag, &[("D2", xml.into())])
        })
        .wants(cell("cell-error", UNITS, "D2").says(&["D0"]))
        .reads_units(UNITS),
        case("table-guessed-on-a-long-sheet", "long-export.xlsx", |e| {
            // A 表1-2 exported under another name, 30,000 rows: its header says which table
            // it is, and finding that took seconds per table on every row.
            let mut rows = units_grid(e.tag);
            for r in 0..30_000 {
                rows.push(vec![
                    format!("单位{}-{r}", e.tag),
                    format!("{:03}{r:05}", e.tag),
                    "其他".to_string(),
                    "张三".to_string(),
                ]);
            }
            xlsx(&[("原始导出", rows)])
        })
        .wants(sheet("table-by-header", "原始导出"))
        .wants(cell("enum-error", "原始导出", "C4"))
        .reads("原始导出", 30_003),
        case("many-formulas-without-values", "formulas-no-values.xlsx", |e| {
            // 80,000 formulas a program wrote without results (and errors the reader does
            // not know): each was put in by searching all cells put in before it.
            let rows: String = (1..=40_000)
                .map(|r| {
                    format!(
                        "<row r=\"{r}\"><c r=\"A{r}\"><f>1+{r}</f></c><c r=\"B{r}\" t=\"e\"><f>SEQUENCE(2)</f><v>#SPILL!</v></c></row>"
                    )
                })
                .collect();
            units_and_sheets(e.tag, &[rows])
        })
        .wants(sheet("unmatched-sheet", "数据1"))
        .reads_units(UNITS),
    ]
}

/// An xls whose first sheet's DIMENSIONS record claims `rows` rows and `cols` columns (the
/// reader reserves that area before reading a cell).
fn xls_with_dimensions(xls: &[u8], rows: u32, cols: u16) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut cfb = cfb::CompoundFile::open(std::io::Cursor::new(xls.to_vec())).unwrap();
    let mut stream = Vec::new();
    cfb.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    // Records follow each other from the start: type, length, data.
    let mut at = 0;
    loop {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        if typ == 0x0200 && len == 14 {
            // rwMic, rwMac (u32), colMic, colMac (u16)
            stream[at + 8..at + 12].copy_from_slice(&rows.to_le_bytes());
            stream[at + 14..at + 16].copy_from_slice(&cols.to_le_bytes());
            break;
        }
        at += 4 + len;
    }
    let mut s = cfb.open_stream("/Workbook").unwrap();
    s.write_all(&stream).unwrap();
    s.flush().unwrap();
    drop(s);
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// A grid's cells as (row, column, text), for the xlsb builder.
fn grid_cells(rows: &[Vec<String>]) -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            out.push((r as u32, c as u32, v.clone()));
        }
    }
    out
}

fn decode_hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The xls files of the cases, converted by LibreOffice (a real writer of BIFF8) in one run:
/// `plain.xls` (the standard 表1-2), `full.xls` (a cached #DIV/0! in C2, D3:D4 merged, a
/// hidden 表1-3) and `far.xls` (the standard 表1-2 and a stray value in IV65536).
fn convert_xls(dir: &Path) -> HashMap<&'static str, Vec<u8>> {
    let src = dir.join("sources");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("plain.xlsx"), units_xlsx(90)).unwrap();

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(UNITS).unwrap();
    let g = units_grid(91);
    write_rows(ws, &g);
    ws.write_formula(1, 2, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.merge_range(2, 3, 3, 3, &g[2][3], &Format::new())
        .unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name(FACULTIES).unwrap();
    write_rows(
        hidden,
        &grid(&[&FACULTY_HEADER, &["医学院", "X01", "教学院系", "孙八"]]),
    );
    hidden.set_hidden(true);
    wb.save(src.join("full.xlsx")).unwrap();

    // A stray value in the last cell an xls sheet has (IV65536).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(UNITS).unwrap();
    write_rows(ws, &units_grid(92));
    ws.write_string(65_535, 255, "x").unwrap();
    wb.save(src.join("far.xlsx")).unwrap();

    // Eight sheets each with a value in A1 and one in IK20000: 20,000 × 245 cells a sheet,
    // within a sheet's limit, but calamine holds every xls sheet densely as the file opens.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(UNITS).unwrap();
    write_rows(ws, &units_grid(93));
    for i in 1..=8 {
        let ws = wb.add_worksheet();
        ws.set_name(format!("数据{i}")).unwrap();
        ws.write_string(0, 0, "x").unwrap();
        ws.write_string(19_999, 244, "x").unwrap();
    }
    wb.save(src.join("budget.xlsx")).unwrap();

    let out = dir.join("converted");
    std::fs::create_dir_all(&out).unwrap();
    common::soffice_convert(
        &[
            src.join("plain.xlsx"),
            src.join("full.xlsx"),
            src.join("far.xlsx"),
            src.join("budget.xlsx"),
        ],
        "xls",
        &out,
    );
    ["plain.xls", "full.xls", "far.xls", "budget.xls"]
        .into_iter()
        .map(|n| (n, std::fs::read(out.join(n)).unwrap()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Judging the output.

/// Whether one of the `|`-separated words occurs in `text` as a word: not inside a longer run
/// of ASCII letters and digits (so `.xls` is not found in `.xlsx`), in the same case (so `Word`
/// is not found in `word/document.xml`).
fn mentions(text: &str, alternatives: &str) -> bool {
    alternatives.split('|').any(|word| {
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        text.match_indices(word).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            let glued_before = alnum(word.chars().next()) && alnum(before);
            let glued_after = alnum(word.chars().next_back()) && alnum(after);
            !glued_before && !glued_after
        })
    })
}

fn s<'a>(f: &'a Value, key: &str) -> &'a str {
    f[key].as_str().unwrap_or("")
}

fn matches(f: &Value, w: &Want) -> bool {
    let said = format!("{} {}", s(f, "message"), s(f, "value"));
    w.code.split('|').any(|c| c == s(f, "code"))
        && w.sheet.as_deref().is_none_or(|sh| sh == s(f, "sheet"))
        && w.cell.is_none_or(|c| c == s(f, "cell"))
        && w.says.iter().all(|words| mentions(&said, words))
        && NEXT_STEP.iter().any(|w| s(f, "message").contains(w))
}

/// Words that introduce what the reader should do.
const NEXT_STEP: [&str; 2] = ["请", "建议"];

fn short(text: &str, n: usize) -> String {
    let cut: String = text.chars().take(n).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn describe(f: &Value) -> String {
    format!(
        "{} {} {} {}: {}",
        s(f, "severity"),
        s(f, "code"),
        s(f, "sheet"),
        s(f, "cell"),
        short(s(f, "message"), 160)
    )
}

/// The longest message or value a finding may carry: it is read by a person.
const MAX_SHOWN: usize = 2000;

/// What is wrong with one case in the run of all files together (empty when it passed).
fn judge(case: &Case, path: &str, doc: &Value, stdout: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mine: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| s(f, "file") == path)
        .collect();
    if !doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| s(f, "file") == path)
    {
        problems.push("the file is not listed under files".to_string());
    }
    for w in &case.wants {
        if !mine.iter().any(|f| matches(f, w)) {
            problems.push(format!(
                "expected {} at {} {} saying {:?} and a next step (请 …)",
                w.code,
                w.sheet.as_deref().unwrap_or("(file)"),
                w.cell.unwrap_or(""),
                w.says
            ));
        }
    }
    for (sheet, rows) in &case.reads {
        let read = doc["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| s(t, "file") == path && s(t, "sheet") == sheet);
        match read.map(|t| t["rows"].as_u64().unwrap_or(0) as usize) {
            Some(n) if n == *rows => {}
            Some(n) => problems.push(format!("sheet 「{sheet}」 read with {n} rows, not {rows}")),
            None => problems.push(format!("sheet 「{sheet}」 not read")),
        }
    }
    for (code, a1) in &case.never {
        if let Some(f) = mine
            .iter()
            .find(|f| s(f, "code") == *code && (a1.is_empty() || s(f, "cell") == *a1))
        {
            problems.push(format!("unexpected {}", describe(f)));
        }
    }
    if let Some(text) = case.never_prints {
        if stdout.contains(text) {
            problems.push(format!("the output contains {text:?}"));
        }
    }
    for f in &mine {
        let longest = s(f, "message")
            .chars()
            .count()
            .max(s(f, "value").chars().count());
        if longest > MAX_SHOWN {
            problems.push(format!(
                "a {} finding carries {longest} characters (message or value)",
                s(f, "code")
            ));
        }
    }
    if let Some(w) = &case.instead {
        if !problems.is_empty() && mine.iter().any(|f| matches(f, w)) {
            problems.clear();
        }
    }
    if !problems.is_empty() {
        if let Some(w) = &case.instead {
            problems.push(format!("(or instead {} with a next step)", w.code));
        }
        problems.push(format!(
            "actual findings of the file:\n        {}",
            if mine.is_empty() {
                "(none)".to_string()
            } else {
                mine.iter()
                    .map(|f| describe(f))
                    .collect::<Vec<_>>()
                    .join("\n        ")
            }
        ));
    }
    problems
}

/// What is wrong with a run in itself: it must end normally with a documented exit code that
/// agrees with its findings, print JSON, and not panic.
fn judge_run(run: &Run) -> (Option<Value>, Vec<String>) {
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") {
        problems.push(format!("panic: {}", short(&run.stderr, 400)));
    }
    let doc: Option<Value> = serde_json::from_slice(&run.stdout).ok();
    match (&doc, run.status.code()) {
        (Some(doc), Some(code)) => {
            let errors = doc["totals"]["errors"].as_u64().unwrap_or(0);
            let expected = if errors > 0 { 1 } else { 0 };
            if code != expected {
                problems.push(format!(
                    "exit code {code} with {errors} errors (expected {expected})"
                ));
            }
        }
        _ => problems.push(format!(
            "no JSON output; {}; stderr: {}",
            run.ending(),
            short(&run.stderr, 400)
        )),
    }
    (doc, problems)
}

/// Runs `statedata check PATH --format json`, measured.
fn check_json(path: &Path, scratch: &Path) -> Run {
    run_statedata(
        &[
            "check".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
        scratch,
    )
}

fn table_row(file: &str, run: &Run, case: &str) -> String {
    format!(
        "{:<34} {:>8.2} {:>9.1} {:>10.1} {:>16}  {case}",
        short(file, 32),
        run.seconds,
        run.hwm_mib,
        run.maxrss_mib,
        run.ending()
    )
}

#[test]
fn hostile_files_give_findings_and_the_run_goes_on() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = std::env::var_os("STATEDATA_HOSTILE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let only: Option<Vec<String>> = std::env::var("STATEDATA_HOSTILE_ONLY")
        .ok()
        .map(|v| v.split(',').map(|n| n.trim().to_string()).collect());
    let inbox = root.join("收到的表格");
    if inbox.exists() {
        std::fs::remove_dir_all(&inbox).unwrap();
    }
    std::fs::create_dir_all(&inbox).unwrap();
    let scratch = root.join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();

    let mut cases = cases();
    assert!(cases.len() >= 45, "{} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    assert!(
        cases.iter().all(|c| names.insert(c.file)),
        "two cases share a file name"
    );
    if let Some(only) = &only {
        cases.retain(|c| only.iter().any(|n| n == c.name));
    }
    let converted = convert_xls(&root);
    let good = inbox.join("good-党政办公室.xlsx");
    common::write_units(
        &good,
        &[
            ["党委办公室", "9001", "其他", "张三"],
            ["教务处", "9002", "教学管理", "李四"],
            ["学生工作处", "9003", "学生管理", "王五"],
        ],
    );
    let mut paths = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let env = Env {
            tag: i + 10,
            converted: &converted,
        };
        let path = inbox.join(c.file);
        std::fs::write(&path, (c.build)(&env)).unwrap();
        paths.push(path);
    }

    // One run over the folder: every file at once, as the office runs it.
    let all = check_json(&inbox, &scratch);
    let (all_doc, run_problems) = judge_run(&all);
    let all_stdout = String::from_utf8_lossy(&all.stdout).into_owned();
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    let mut together = run_problems;
    if all.status.code() != Some(1) {
        together.push(format!("{} instead of exit 1", all.ending()));
    }
    if !together.is_empty() {
        failures.push(("(the run of all files)".to_string(), together));
    }
    if let Some(doc) = &all_doc {
        failures.extend(judge_good_file(doc, &good.display().to_string()));
    }

    // Each file alone: time and memory. Its findings are judged in the run of all files, or
    // in its own run when that one gave no output.
    let mut table = vec![
        format!(
            "{:<34} {:>8} {:>9} {:>10} {:>16}  case",
            "file", "seconds", "VmHWM MiB", "maxrss MiB", "ending"
        ),
        table_row("(all files together)", &all, ""),
    ];
    for (c, path) in cases.iter().zip(&paths) {
        let run = check_json(path, &scratch);
        table.push(table_row(c.file, &run, c.name));
        let (own_doc, mut problems) = judge_run(&run);
        if run.maxrss_mib >= 1024.0 {
            problems.push(format!(
                "alone, peak memory {:.0} MiB (limit 1024)",
                run.maxrss_mib
            ));
        }
        let path = path.display().to_string();
        match (&all_doc, &own_doc) {
            (Some(doc), _) => problems.extend(judge(c, &path, doc, &all_stdout)),
            (None, Some(doc)) => {
                let stdout = String::from_utf8_lossy(&run.stdout);
                let found = judge(c, &path, doc, &stdout);
                if !found.is_empty() {
                    problems.push(
                        "(judged on its own run: the run of all files gave no output)".to_string(),
                    );
                    problems.extend(found);
                }
            }
            (None, None) => {}
        }
        if !problems.is_empty() {
            failures.push((c.name.to_string(), problems));
        }
    }
    println!("\n{}\n", table.join("\n"));

    let report: Vec<String> = failures
        .iter()
        .map(|(name, problems)| format!("{name}:\n    {}", problems.join("\n    ")))
        .collect();
    println!(
        "{} failures over {} cases:\n{}",
        report.len(),
        cases.len(),
        report.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} failures (see above)",
        failures.len()
    );
}

/// The good workbook beside the hostile ones is read whole, without errors.
fn judge_good_file(doc: &Value, good: &str) -> Vec<(String, Vec<String>)> {
    let mut problems = Vec::new();
    let read = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| s(t, "file") == good && s(t, "sheet") == UNITS);
    if read.and_then(|t| t["rows"].as_u64()) != Some(3) {
        problems.push(format!("the good file was not read whole: {read:?}"));
    }
    for f in doc["findings"].as_array().unwrap() {
        if s(f, "file") == good && s(f, "severity") == "error" {
            problems.push(format!("error in the good file: {}", describe(f)));
        }
    }
    if problems.is_empty() {
        Vec::new()
    } else {
        vec![("(the good file)".to_string(), problems)]
    }
}

#[test]
fn word_matching_tells_xls_from_xlsx() {
    assert!(mentions("扩展名是 .xls，实际是 xlsx 工作簿", ".xls"));
    assert!(mentions("扩展名是 .xls，实际是 xlsx 工作簿", "xlsx"));
    assert!(!mentions("扩展名是 .xlsx", ".xls"));
    assert!(mentions("这是网页（HTML）文件", "htm|HTML"));
    assert!(!mentions("File not found 'word/document.xml'", "Word"));
    assert!(mentions("公式错误值 #N/A，请", "#N/A"));
}
