//! Byte-level builders for hostile files: surgery on the zip parts of an xlsx, a streamed
//! decompression bomb, a hand-written ODS, and a minimal OLE2 (compound file) container.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The parts of a zip package (xlsx, ods), in their order, to be edited and written again.
pub struct Package {
    parts: Vec<(String, Vec<u8>)>,
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

impl Package {
    pub fn read(bytes: &[u8]) -> Package {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let parts = (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                (name, data)
            })
            .collect();
        Package { parts }
    }

    pub fn new() -> Package {
        Package { parts: Vec::new() }
    }

    pub fn text(&self, name: &str) -> String {
        let (_, data) = self
            .parts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no part {name}"));
        String::from_utf8(data.clone()).unwrap()
    }

    /// Replaces a part, or adds it at the end.
    pub fn set(&mut self, name: &str, data: impl Into<Vec<u8>>) -> &mut Package {
        let data = data.into();
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = data,
            None => self.parts.push((name.to_string(), data)),
        }
        self
    }

    pub fn edit(&mut self, name: &str, f: impl FnOnce(String) -> String) -> &mut Package {
        let new = f(self.text(name));
        self.set(name, new)
    }

    /// Replaces the first occurrence of `from` in a part, which must be there.
    pub fn replace(&mut self, name: &str, from: &str, to: &str) -> &mut Package {
        self.edit(name, |s| {
            assert!(s.contains(from), "{name} has no {from:?}");
            s.replacen(from, to, 1)
        })
    }

    pub fn remove(&mut self, name: &str) -> &mut Package {
        self.parts.retain(|(n, _)| n != name);
        self
    }

    /// Replaces the `<c r="…">` element of cell `a1` in a sheet part by `xml`.
    pub fn set_cell(&mut self, sheet_part: &str, a1: &str, xml: &str) -> &mut Package {
        self.edit(sheet_part, |s| {
            let open = format!("<c r=\"{a1}\"");
            let start = s
                .find(&open)
                .unwrap_or_else(|| panic!("{sheet_part} has no cell {a1}"));
            let rest = &s[start..];
            let tag_end = rest.find('>').unwrap();
            let end = if rest[..tag_end].ends_with('/') {
                tag_end + 1
            } else {
                rest.find("</c>").unwrap() + "</c>".len()
            };
            format!("{}{xml}{}", &s[..start], &s[start + end..])
        })
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.write_with(None)
    }

    /// Writes the package with one more part streamed in: `head`, `unit` `count` times,
    /// `tail`. The part is never held in memory, so it can expand to hundreds of megabytes.
    pub fn bytes_with_streamed(
        &self,
        name: &str,
        head: &str,
        unit: &str,
        count: usize,
        tail: &str,
    ) -> Vec<u8> {
        self.write_with(Some((name, head, unit, count, tail)))
    }

    fn write_with(&self, streamed: Option<(&str, &str, &str, usize, &str)>) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in &self.parts {
            // ODS wants its mimetype first and stored.
            let options = if name == "mimetype" {
                SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
            } else {
                deflated()
            };
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(data).unwrap();
        }
        if let Some((name, head, unit, count, tail)) = streamed {
            zip.start_file(name, deflated().compression_level(Some(9)))
                .unwrap();
            zip.write_all(head.as_bytes()).unwrap();
            // Write in blocks of units so the deflater sees long runs.
            let block = unit.repeat((1 << 16) / unit.len().max(1) + 1);
            let per_block = block.len() / unit.len();
            let mut left = count;
            while left >= per_block {
                zip.write_all(block.as_bytes()).unwrap();
                left -= per_block;
            }
            zip.write_all(unit.repeat(left).as_bytes()).unwrap();
            zip.write_all(tail.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }
}

/// Sets the "encrypted" flag (bit 0 of the general purpose flags) of every entry, in the local
/// headers and the central directory, as a zip tool's password option does; the data is left
/// as it is.
pub fn flag_encrypted(mut bytes: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 10 < bytes.len() {
        if bytes[i..].starts_with(b"PK\x03\x04") {
            bytes[i + 6] |= 1;
        } else if bytes[i..].starts_with(b"PK\x01\x02") {
            bytes[i + 8] |= 1;
        }
        i += 1;
    }
    bytes
}

/// An ODS of tables, each given as rows of cells (each cell's XML whole).
pub fn ods(tables: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let body: String = tables
        .iter()
        .map(|(name, rows)| ods_table(name, rows, "", ""))
        .collect();
    ods_with_body(&body)
}

/// An ODS `<table:table>`: each row's cells then `row_tail`, and `table_tail` after the rows.
pub fn ods_table(name: &str, rows: &[Vec<String>], row_tail: &str, table_tail: &str) -> String {
    let mut t = format!("<table:table table:name=\"{}\">", xml_escape(name));
    for row in rows {
        t.push_str("<table:table-row>");
        t.push_str(&row.concat());
        t.push_str(row_tail);
        t.push_str("</table:table-row>");
    }
    t.push_str(table_tail);
    t.push_str("</table:table>");
    t
}

const ODS_CONTENT_HEAD: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content "#,
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" "#,
    r#"xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" "#,
    r#"office:version="1.2"><office:body><office:spreadsheet>"#
);
const ODS_CONTENT_TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";
const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";
const ODS_MANIFEST: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest "#,
    r#"xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" "#,
    r#"manifest:version="1.2"><manifest:file-entry manifest:full-path="/" "#,
    r#"manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
    r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
    "</manifest:manifest>"
);

/// An ODS whose spreadsheet body (the `<table:table>` elements) is given as XML.
pub fn ods_with_body(body: &str) -> Vec<u8> {
    let mut p = Package::new();
    p.set("mimetype", ODS_MIMETYPE)
        .set(
            "content.xml",
            format!("{ODS_CONTENT_HEAD}{body}{ODS_CONTENT_TAIL}"),
        )
        .set("META-INF/manifest.xml", ODS_MANIFEST);
    p.bytes()
}

/// An ODS string cell.
pub fn ods_text(s: &str) -> String {
    format!(
        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
        xml_escape(s)
    )
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const FATSECT: u32 = 0xFFFF_FFFD;
const NOSTREAM: u32 = 0xFFFF_FFFF;

/// A minimal OLE2 compound file (version 3, 512-byte sectors) holding the given streams in
/// its root storage. Streams are padded to 4096 bytes so that all live in regular sectors (no
/// mini stream): enough for any reader to list and open them.
pub fn compound_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    assert!(
        streams.len() <= 3,
        "one directory sector holds the root and three streams"
    );
    // Directory order as the format wants it: shorter names first, then by upper case.
    let mut streams: Vec<(&str, Vec<u8>)> = streams
        .iter()
        .map(|(n, d)| {
            let mut d = d.to_vec();
            d.resize(d.len().max(4096).div_ceil(512) * 512, 0);
            (*n, d)
        })
        .collect();
    streams.sort_by_key(|(n, _)| (n.encode_utf16().count(), n.to_uppercase()));

    // Sector 0: the FAT; sector 1: the directory; then the streams.
    let mut fat = vec![FATSECT, ENDOFCHAIN];
    let mut starts = Vec::new();
    for (_, d) in &streams {
        let first = fat.len() as u32;
        starts.push(first);
        let n = (d.len() / 512) as u32;
        for k in 0..n {
            fat.push(if k + 1 == n {
                ENDOFCHAIN
            } else {
                first + k + 1
            });
        }
    }
    assert!(fat.len() <= 128, "one FAT sector");
    fat.resize(128, FREESECT);

    let mut out = Vec::new();
    // Header.
    out.extend([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend([0u8; 16]); // CLSID
    out.extend(0x003Eu16.to_le_bytes()); // minor version
    out.extend(0x0003u16.to_le_bytes()); // major version
    out.extend(0xFFFEu16.to_le_bytes()); // byte order
    out.extend(9u16.to_le_bytes()); // sector shift
    out.extend(6u16.to_le_bytes()); // mini sector shift
    out.extend([0u8; 6]);
    out.extend(0u32.to_le_bytes()); // directory sectors (0 in version 3)
    out.extend(1u32.to_le_bytes()); // FAT sectors
    out.extend(1u32.to_le_bytes()); // first directory sector
    out.extend(0u32.to_le_bytes()); // transaction signature
    out.extend(4096u32.to_le_bytes()); // mini stream cutoff
    out.extend(ENDOFCHAIN.to_le_bytes()); // first mini FAT sector
    out.extend(0u32.to_le_bytes()); // mini FAT sectors
    out.extend(ENDOFCHAIN.to_le_bytes()); // first DIFAT sector
    out.extend(0u32.to_le_bytes()); // DIFAT sectors
    out.extend(0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    for _ in 1..109 {
        out.extend(FREESECT.to_le_bytes());
    }
    assert_eq!(out.len(), 512);
    // FAT sector.
    for e in &fat {
        out.extend(e.to_le_bytes());
    }
    // Directory sector: the root, then the streams chained as right siblings in name order (a
    // valid search tree, if not a balanced red-black one; readers do not check the colours).
    let mut dir = Vec::new();
    let first_child = if streams.is_empty() { NOSTREAM } else { 1 };
    dir_entry(
        &mut dir,
        "Root Entry",
        5,
        NOSTREAM,
        first_child,
        ENDOFCHAIN,
        0,
    );
    for (i, (name, d)) in streams.iter().enumerate() {
        let right = if i + 1 < streams.len() {
            i as u32 + 2
        } else {
            NOSTREAM
        };
        dir_entry(
            &mut dir,
            name,
            2,
            right,
            NOSTREAM,
            starts[i],
            d.len() as u32,
        );
    }
    dir.resize(512, 0);
    // Unused entries must have no name and type 0, with siblings NOSTREAM.
    for slot in streams.len() + 1..4 {
        let e = &mut dir[slot * 128..(slot + 1) * 128];
        e[68..72].copy_from_slice(&NOSTREAM.to_le_bytes());
        e[72..76].copy_from_slice(&NOSTREAM.to_le_bytes());
        e[76..80].copy_from_slice(&NOSTREAM.to_le_bytes());
    }
    out.extend(dir);
    for (_, d) in &streams {
        out.extend(d);
    }
    out
}

fn dir_entry(
    out: &mut Vec<u8>,
    name: &str,
    kind: u8,
    right: u32,
    child: u32,
    start: u32,
    size: u32,
) {
    let mut e = vec![0u8; 128];
    let units: Vec<u16> = name.encode_utf16().collect();
    for (i, u) in units.iter().enumerate() {
        e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
    e[66] = kind;
    e[67] = 1; // black
    e[68..72].copy_from_slice(&NOSTREAM.to_le_bytes()); // left sibling
    e[72..76].copy_from_slice(&right.to_le_bytes());
    e[76..80].copy_from_slice(&child.to_le_bytes());
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..124].copy_from_slice(&size.to_le_bytes());
    out.extend(e);
}

/// A text cell at (row, column), both from 0.
pub type TextCell = (u32, u32, String);

/// One BIFF12 record of an xlsb part: its type and size as 7-bit groups (low first, the high
/// bit saying another byte follows), then the body (MS-XLSB 2.1.4).
fn biff12(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(body);
}

/// An XLWideString: its length in UTF-16 units, then the units.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// A minimal xlsb (Excel binary workbook) of text cells, one sheet per (name, cells), each
/// cell (row, column, text) from 0. Only the records calamine needs: the workbook's sheet list
/// (BrtBundleSh …), and per sheet its dimension, BrtRowHdr per row and BrtCellSt per cell.
pub fn xlsb(sheets: &[(&str, Vec<TextCell>)]) -> Vec<u8> {
    let mut p = Package::new();
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut book = Vec::new();
    biff12(&mut book, 0x0083, &[]); // BrtBeginBook
    biff12(&mut book, 0x008F, &[]); // BrtBeginBundleShs
    for (i, (name, cells)) in sheets.iter().enumerate() {
        let n = i + 1;
        let part = format!("xl/worksheets/sheet{n}.bin");
        types.push_str(&format!(
            r#"<Override PartName="/{part}" ContentType="application/vnd.ms-excel.worksheet"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.bin"/>"#
        ));
        let mut body = 0u32.to_le_bytes().to_vec(); // visible
        body.extend_from_slice(&(n as u32).to_le_bytes());
        body.extend(wide(&format!("rId{n}")));
        body.extend(wide(name));
        biff12(&mut book, 0x009C, &body); // BrtBundleSh

        let mut sheet = Vec::new();
        biff12(&mut sheet, 0x0081, &[]); // BrtBeginSheet
        let (r1, c1) = cells
            .iter()
            .fold((0, 0), |(r, c), (cr, cc, _)| (r.max(*cr), c.max(*cc)));
        let mut dim = Vec::new();
        for v in [0u32, r1, 0, c1] {
            dim.extend_from_slice(&v.to_le_bytes());
        }
        biff12(&mut sheet, 0x0094, &dim); // BrtWsDim
        biff12(&mut sheet, 0x0091, &[]); // BrtBeginSheetData
        let mut sorted: Vec<&TextCell> = cells.iter().collect();
        sorted.sort_by_key(|(r, c, _)| (*r, *c));
        let mut row = None;
        for (r, c, text) in sorted {
            if row != Some(*r) {
                let mut hdr = r.to_le_bytes().to_vec();
                hdr.extend_from_slice(&[0; 13]);
                biff12(&mut sheet, 0x0000, &hdr); // BrtRowHdr
                row = Some(*r);
            }
            let mut body = c.to_le_bytes().to_vec();
            body.extend_from_slice(&0u32.to_le_bytes()); // style 0
            body.extend(wide(text));
            biff12(&mut sheet, 0x0006, &body); // BrtCellSt
        }
        biff12(&mut sheet, 0x0092, &[]); // BrtEndSheetData
        biff12(&mut sheet, 0x0082, &[]); // BrtEndSheet
        p.set(&part, sheet);
    }
    biff12(&mut book, 0x0090, &[]); // BrtEndBundleShs
    biff12(&mut book, 0x009D, &[0; 26]); // BrtCalcProp: the workbook's names end here
    biff12(&mut book, 0x0084, &[]); // BrtEndBook
    types.push_str(r#"<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#);
    rels.push_str("</Relationships>");
    let mut order = Package::new();
    order.set("[Content_Types].xml", types);
    order.set(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#,
    );
    order.set("xl/workbook.bin", book);
    order.set("xl/_rels/workbook.bin.rels", rels);
    for (name, data) in p.parts {
        order.set(&name, data);
    }
    order.bytes()
}
