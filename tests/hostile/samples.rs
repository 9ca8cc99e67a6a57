//! Literal contents of the hostile files that are not built from a workbook: exports from web
//! systems, other documents, and XML fragments spliced into workbooks.

/// A web page a reporting system exports as `.xls` (Excel opens it with a warning).
pub const HTML_EXPORT: &str = concat!(
    r#"<html xmlns:o="urn:schemas-microsoft-com:office:office" "#,
    r#"xmlns:x="urn:schemas-microsoft-com:office:excel">"#,
    r#"<head><meta charset="utf-8"></head><body><table>"#,
    "<tr><td>党政单位名称</td><td>单位号</td></tr>",
    "<tr><td>党委办公室</td><td>001</td></tr>",
    "</table></body></html>"
);

/// Excel's "single file web page" (MHT) saved as `.xls`.
pub const MHT_EXPORT: &str = concat!(
    "MIME-Version: 1.0\r\n",
    "X-Document-Type: Workbook\r\n",
    "Content-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n",
    "------=_NextPart_01\r\n",
    "Content-Location: file:///C:/sheet.htm\r\n",
    "Content-Type: text/html; charset=\"utf-8\"\r\n\r\n",
    "<html><body><table><tr><td>x</td></tr></table></body></html>\r\n",
    "------=_NextPart_01--\r\n"
);

/// Excel 2003's XML Spreadsheet, saved as `.xls`.
pub const SPREADSHEET_ML_2003: &str = concat!(
    r#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>"#,
    r#"<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" "#,
    r#"xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">"#,
    r#"<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell>"#,
    "</Row></Table></Worksheet></Workbook>"
);

pub const PDF: &str = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// `党政单位名称,单位号,单位职能,单位负责人` and one row, in GBK (a CSV saved by a Chinese
/// Windows), as hex.
pub const GBK_CSV_HEX: &str = concat!(
    "b5b3d5feb5a5cebbc3fbb3c62cb5a5cebbbac52cb5a5cebbd6b0c4dc2cb5a5cebbb8bad4f0c8cb0d0a",
    "b5b3ceafb0ecb9abcad22c3030312cc6e4cbfb2cd5c5c8fd0d0a"
);

/// The parts of a Word document (a `.docx` renamed `.xlsx`).
pub const DOCX_PARTS: [(&str, &str); 3] = [
    (
        "[Content_Types].xml",
        concat!(
            r#"<?xml version="1.0"?><Types "#,
            r#"xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Override PartName="/word/document.xml" ContentType="application/"#,
            r#"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
        ),
    ),
    (
        "_rels/.rels",
        concat!(
            r#"<?xml version="1.0"?><Relationships "#,
            r#"xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/"#,
            r#"officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            "</Relationships>"
        ),
    ),
    (
        "word/document.xml",
        concat!(
            r#"<?xml version="1.0"?><w:document "#,
            r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            "<w:body><w:p><w:r><w:t>党政单位</w:t></w:r></w:p></w:body></w:document>"
        ),
    ),
];

/// The start of a worksheet part, up to its data.
pub const WORKSHEET_HEAD: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    "<sheetData>"
);

pub const WORKSHEET_TAIL: &str = "</sheetData></worksheet>";

/// Transitional OOXML namespaces and their Strict (ISO 29500) counterparts.
pub const STRICT_NAMESPACES: [(&str, &str); 2] = [
    (
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    ),
    (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    ),
];

/// An external entity in a sheet part's DOCTYPE, pointing at a local file.
pub const XXE_DOCTYPE: &str = r#"<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#;

/// A cached #DIV/0! as LibreOffice writes it in ODS.
pub const ODS_ERROR_CELL: &str = concat!(
    r#"<table:table-cell table:formula="of:=1/0" office:value-type="string" "#,
    r#"office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>"#,
    "</table:table-cell>"
);

/// An ODS cell spanning three rows; the cells it covers follow as `covered-table-cell`.
pub const ODS_SPANNING_CELL: &str = concat!(
    r#"<table:table-cell table:number-rows-spanned="3" office:value-type="string">"#,
    "<text:p>教学管理</text:p></table:table-cell>"
);

/// The end of a row and the empty rest of a sheet, as LibreOffice writes them.
pub const ODS_EMPTY_REST_OF_ROW: &str =
    r#"<table:table-cell table:number-columns-repeated="16380"/>"#;
pub const ODS_EMPTY_REST_OF_SHEET: &str = concat!(
    r#"<table:table-row table:number-rows-repeated="1048572">"#,
    r#"<table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
);

/// A sheet of one value repeated over every row and column: 17 billion cells in 300 bytes.
pub const ODS_REPEAT_BOMB: &str = concat!(
    r#"<table:table table:name="数据">"#,
    r#"<table:table-row table:number-rows-repeated="1048576">"#,
    r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="float" "#,
    r#"office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#
);
