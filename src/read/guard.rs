//! Bounds checked before a reader allocates anything big. xlsx and ods are zip files: a small
//! file can expand to gigabytes (a decompression bomb), and an ods sheet can declare a cell
//! repeated over a million rows, which the reader would expand cell by cell. These checks read
//! only the zip directory and, for ods, stream `content.xml` once.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::workbook::{MAX_SHEET_CELLS, MAX_WORKBOOK_CELLS};
use crate::finding::CellRef;

/// The most one zip entry (a sheet's XML, the shared strings) may expand to. A real sheet of
/// 40,000 rows × 15 columns is some 30 MB of XML; reading 96 MB takes a few seconds.
pub const MAX_ENTRY_BYTES: u64 = 96 * 1024 * 1024;
/// The most all entries together may expand to.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// The most an entry larger than 1 MiB may expand relative to its compressed size. Sheet XML
/// compresses some 10–30 times; a bomb compresses thousands of times.
pub const MAX_RATIO: u64 = 1000;

fn mib(n: u64) -> String {
    format!("{} MB", n / (1024 * 1024))
}

/// Refuses a zip whose entries would expand beyond the limits. The sizes come from the zip's
/// central directory; the reader stops at those sizes. A worksheet's XML beyond the limit
/// spoils only its sheet: those entries are returned with the reason, for the reader to skip.
pub fn zip_sizes(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut oversized = Vec::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(oversized); // not readable as a zip at all: the reader says so
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let size = f.size();
        let packed = f.compressed_size().max(1);
        total = total.saturating_add(size);
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if size > MAX_ENTRY_BYTES {
            let why = format!("展开后有 {}，超过上限 {}", mib(size), mib(MAX_ENTRY_BYTES));
            if name.starts_with("xl/worksheets/") {
                oversized.push((name, why));
                continue;
            }
            return Err(format!("文件中的 {name} {why}"));
        }
        if size > 1024 * 1024 && size / packed > MAX_RATIO {
            return Err(format!(
                "文件中的 {name} 压缩比异常（{} 压缩为 {} 字节），像是损坏或恶意构造的文件",
                mib(size),
                packed
            ));
        }
    }
    if total > MAX_TOTAL_BYTES {
        return Err(format!(
            "文件展开后共有 {}，超过上限 {}",
            mib(total),
            mib(MAX_TOTAL_BYTES)
        ));
    }
    shared_string_count(&mut zip)?;
    Ok(oversized)
}

/// The shared-string table announces its length (`uniqueCount`), and the reader reserves that
/// many entries before reading them: a false count of 10^11 aborts the process. Each entry
/// takes at least `<si></si>` (9 bytes), so a count beyond size / 9 is refused.
fn shared_string_count(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), String> {
    let Ok(f) = zip.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let size = f.size();
    let mut reader = Reader::from_reader(BufReader::new(f.take(64 * 1024)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let n = attr_text(&e, "uniqueCount").and_then(|v| v.trim().parse::<u64>().ok());
                if let Some(n) = n.filter(|n| *n > size / 9 + 1) {
                    return Err(format!(
                        "文件的共享文本表声明有 {n} 项，但内容只有 {size} 字节，文件已损坏或是恶意构造的"
                    ));
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn attr_text(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .map(|a| a.value.into_owned())
}

fn attr_u64(e: &BytesStart<'_>, name: &str) -> u64 {
    attr_text(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Whether an ods cell may hold something the reader fills in. The reader materialises a
/// cell with any value attribute (`office:value`, `office:string-value`, `office:value-type`
/// …), a formula, or content (`<text:p>`): only an empty element whose attributes are all
/// layout (style, repeat, span, validation) is surely empty. Attributes are compared by their
/// local name, whatever the namespace prefix.
fn may_hold_value(e: &BytesStart<'_>, has_content: bool) -> bool {
    const LAYOUT: [&str; 5] = [
        "style-name",
        "number-columns-repeated",
        "number-rows-spanned",
        "number-columns-spanned",
        "content-validation-name",
    ];
    has_content
        || e.attributes().flatten().any(|a| {
            let local = a.key.local_name();
            !LAYOUT.contains(&AsRef::<str>::as_ref(&local))
        })
}

/// The used area of one ods table while scanning.
#[derive(Default)]
struct Extent {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Extent {
    fn add(&mut self, r0: u64, r1: u64, c0: u64, c1: u64) {
        self.rows = Some(match self.rows {
            Some((a, b)) => (a.min(r0), b.max(r1)),
            None => (r0, r1),
        });
        self.cols = Some(match self.cols {
            Some((a, b)) => (a.min(c0), b.max(c1)),
            None => (c0, c1),
        });
    }

    fn span(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }
}

/// Merged areas per ods sheet name (calamine does not give them for ods).
pub type OdsMerges = std::collections::HashMap<String, Vec<(CellRef, CellRef)>>;

/// Refuses an ods file one of whose sheets spans more than `MAX_SHEET_CELLS` cells with data,
/// or whose sheets together span more than `MAX_WORKBOOK_CELLS` (the reader holds every sheet
/// of an ods at once), counting repeated rows and columns as the reader would expand them, and
/// any cell that may hold a value (see `may_hold_value`); gives the merged areas.
pub fn ods_extent(bytes: &[u8]) -> Result<OdsMerges, String> {
    let mut merges = OdsMerges::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(merges);
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(merges);
    };
    let mut reader = Reader::from_reader(BufReader::new(content.take(MAX_ENTRY_BYTES)));
    let mut buf = Vec::new();
    let mut table = String::new();
    let mut extent = Extent::default();
    // The spans of the tables before this one.
    let mut total: u64 = 0;
    let (mut row, mut row_repeats, mut col) = (0u64, 1u64, 0u64);
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(_) => return Ok(merges), // malformed XML: the reader reports it
        };
        match ev {
            Event::Eof => return Ok(merges),
            Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref() {
                "table" => {
                    total = total.saturating_add(extent.span());
                    table = attr_text(e, "table:name").unwrap_or_default();
                    extent = Extent::default();
                    row = 0;
                }
                "table-row" => {
                    row_repeats = attr_u64(e, "table:number-rows-repeated");
                    col = 0;
                }
                "table-cell" | "covered-table-cell" => {
                    let repeats = attr_u64(e, "table:number-columns-repeated");
                    let (rs, cs) = (
                        attr_u64(e, "table:number-rows-spanned"),
                        attr_u64(e, "table:number-columns-spanned"),
                    );
                    if (rs > 1 || cs > 1) && row < u32::MAX as u64 && col < u32::MAX as u64 {
                        let end = (
                            (row + rs - 1).min(u32::MAX as u64) as u32,
                            (col + cs - 1).min(u32::MAX as u64) as u32,
                        );
                        merges.entry(table.clone()).or_default().push((
                            CellRef::new(row as u32, col as u32),
                            CellRef::new(end.0, end.1),
                        ));
                    }
                    if may_hold_value(e, matches!(ev, Event::Start(_))) {
                        extent.add(row, row + row_repeats - 1, col, col + repeats - 1);
                        let span = extent.span();
                        if span <= MAX_SHEET_CELLS
                            && total.saturating_add(span) > MAX_WORKBOOK_CELLS
                        {
                            return Err(format!(
                                "各工作表的已用区域合计超过 {MAX_WORKBOOK_CELLS} 个单元格（到工作表“{table}”为止），多半是一些工作表远处的单元格误填了内容；请删除各工作表中多余的行、列后保存，或把表格分成几个文件提交"
                            ));
                        }
                        if span > MAX_SHEET_CELLS {
                            let far = CellRef::new(
                                (row + row_repeats - 1).min(u32::MAX as u64) as u32,
                                (col + repeats - 1).min(u32::MAX as u64) as u32,
                            );
                            return Err(format!(
                                "工作表“{table}”的已用区域超过 {MAX_SHEET_CELLS} 个单元格（直到 {}），多半是某个单元格的内容被复制到了整行或整列；请删除多余的行、列后保存",
                                far.a1()
                            ));
                        }
                    }
                    col = col.saturating_add(repeats);
                }
                _ => {}
            },
            Event::End(e) if AsRef::<str>::as_ref(&e.local_name()) == "table-row" => {
                row = row.saturating_add(row_repeats);
                row_repeats = 1;
            }
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in entries {
                z.start_file(*name, opts).unwrap();
                z.write_all(data).unwrap();
            }
            z.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_bomb_is_refused_by_its_ratio() {
        let big = vec![b'a'; 8 * 1024 * 1024];
        let z = zip_of(&[("xl/worksheets/sheet1.xml", &big)]);
        let e = zip_sizes(&z).unwrap_err();
        assert!(e.contains("xl/worksheets/sheet1.xml"), "{e}");
        let big = zip_of(&[("xl/worksheets/sheet1.xml", &vec![b'a'; 100 * 1024 * 1024])]);
        // A worksheet beyond the size limit spoils only its sheet.
        let oversized = zip_sizes(&big).unwrap();
        assert_eq!(oversized.len(), 1);
        assert_eq!(oversized[0].0, "xl/worksheets/sheet1.xml");
        let ok = zip_of(&[("xl/worksheets/sheet1.xml", b"<worksheet/>")]);
        assert!(zip_sizes(&ok).is_ok());
    }

    fn ods(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="表1">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        zip_of(&[("content.xml", xml.as_bytes())])
    }

    #[test]
    fn an_ods_value_repeated_down_a_million_rows_is_refused() {
        let cell =
            r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        let bomb = ods(&format!(
            r#"<table:table-row table:number-rows-repeated="1048576">{cell}<table:table-cell table:number-columns-repeated="10"/>{}</table:table-row>"#,
            cell.replace(
                "<table:table-cell ",
                "<table:table-cell table:number-columns-repeated=\"20\" "
            )
        ));
        let e = ods_extent(&bomb).unwrap_err();
        assert!(e.contains("表1"), "{e}");
        let fine = ods(&format!(
            r#"<table:table-row>{cell}{cell}</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        ));
        assert!(ods_extent(&fine).is_ok());
        // A value without a type, or content alone, is still read: counted as well. Cells
        // that only carry a style are empty.
        for cell in [
            r#"<table:table-cell office:value="1" table:number-columns-repeated="100"/>"#,
            r#"<table:table-cell office:string-value="x" table:number-columns-repeated="100"/>"#,
            r#"<table:table-cell office:boolean-value="true" table:number-columns-repeated="100"/>"#,
            r#"<table:table-cell table:number-columns-repeated="100"><text:p>x</text:p></table:table-cell>"#,
        ] {
            let bomb = ods(&format!(
                r#"<table:table-row table:number-rows-repeated="900000">{cell}</table:table-row>"#
            ));
            assert!(ods_extent(&bomb).is_err(), "{cell}");
        }
        let styled = ods(
            r#"<table:table-row table:number-rows-repeated="900000"><table:table-cell table:style-name="ce1" table:number-columns-repeated="100"/></table:table-row>"#,
        );
        assert!(ods_extent(&styled).is_ok());
        let merged = ods(
            r#"<table:table-row><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="3" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        );
        let m = ods_extent(&merged).unwrap();
        assert_eq!(m["表1"], vec![(CellRef::new(0, 0), CellRef::new(1, 2))]);
    }
}
