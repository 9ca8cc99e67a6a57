//! Telling a file's format from its bytes, not its name.

/// What a file really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    /// Excel's binary workbook (.xlsb).
    Xlsb,
    Xls,
    Ods,
    /// An OOXML workbook inside an encrypted OLE container (password to open).
    EncryptedOoxml,
    /// A zip file that is neither xlsx nor ods.
    OtherZip,
    /// A Word document (.docx) with a spreadsheet's name.
    Docx,
    /// An OLE2 file without a Workbook stream (a Word document, …).
    OtherOle,
    /// A web page saved with a spreadsheet name.
    Html,
    /// SpreadsheetML 2003 (XML) saved as .xls.
    Xml2003,
    /// Plain text (CSV, TSV) renamed.
    Text,
    /// A PDF document.
    Pdf,
    Empty,
    Unknown,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::EncryptedOoxml => "encrypted",
            Format::OtherZip => "zip",
            Format::Docx => "docx",
            Format::OtherOle => "ole",
            Format::Html => "html",
            Format::Xml2003 => "xml",
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }
}

impl Format {
    /// What a clerk would call it.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Xlsx => "Excel 工作簿（.xlsx）",
            Format::Xlsb => "Excel 二进制工作簿（.xlsb）",
            Format::Xls => "Excel 97-2003 工作簿（.xls）",
            Format::Ods => "OpenDocument 表格（.ods）",
            Format::EncryptedOoxml => "加密的 Excel 工作簿",
            Format::OtherZip => "压缩包或其他 Office 文档",
            Format::Docx => "Word 文档（.docx）",
            Format::OtherOle => "其他 Office 文档（如 Word）",
            Format::Html => "网页（HTML/MHT）",
            Format::Xml2003 => "Excel 2003 XML 表格",
            Format::Text => "文本文件（CSV/TSV）",
            Format::Pdf => "PDF 文件",
            Format::Empty => "空文件",
            Format::Unknown => "无法识别的文件",
        }
    }

    /// The format a file name's extension promises, if it names one.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xlsb" => Some(Format::Xlsb),
            "xls" | "et" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            "csv" | "tsv" | "txt" => Some(Format::Text),
            _ => None,
        }
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// The format of a whole zip archive, from the names in its directory (and the ODS
/// mimetype's content): a zip of department workbooks, whose stored entries show `xl/` in
/// its bytes, is an archive and not a workbook. None when the directory cannot be read.
fn zip_by_names(bytes: &[u8]) -> Option<Format> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let has = |zip: &zip::ZipArchive<_>, name: &str| zip.index_for_name(name).is_some();
    if has(&zip, "xl/workbook.bin") {
        return Some(Format::Xlsb);
    }
    if has(&zip, "[Content_Types].xml")
        && zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.starts_with("xl/")))
    {
        return Some(Format::Xlsx);
    }
    if has(&zip, "word/document.xml") {
        return Some(Format::Docx);
    }
    if has(&zip, "content.xml") {
        let mut kind = String::new();
        if let Ok(m) = zip.by_name("mimetype") {
            let _ = std::io::Read::read_to_string(&mut std::io::Read::take(m, 200), &mut kind);
        }
        if kind.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            return Some(Format::Ods);
        }
    }
    if zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n.starts_with("xl/")))
    {
        // No content types: a damaged workbook rather than an archive; the reader says what
        // is missing.
        return Some(Format::Xlsx);
    }
    Some(Format::OtherZip)
}

/// Decides the format from the first bytes (and, for containers, names inside them).
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if let Some(format) = zip_by_names(bytes) {
            return format;
        }
        // A cut archive has no directory to read: guess from the bytes.
        // The ODS mimetype is stored first and uncompressed; OOXML has [Content_Types].xml.
        let head = &bytes[..bytes.len().min(200)];
        if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Format::Ods;
        }
        // The names are stored in each entry's local header, so even a cut file shows them.
        if contains(bytes, b"word/document.xml") && !contains(bytes, b"xl/") {
            return Format::Docx;
        }
        if contains(bytes, b"xl/workbook.bin") {
            return Format::Xlsb;
        }
        if contains(bytes, b"xl/") || contains(bytes, b"[Content_Types].xml") {
            return Format::Xlsx;
        }
        return Format::OtherZip;
    }
    if bytes.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    if bytes.starts_with(&OLE_MAGIC) {
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Format::EncryptedOoxml;
        }
        // The streams at the root say what the container holds; a damaged directory falls
        // back to looking for the names in the bytes.
        if let Ok(cfb) = cfb::CompoundFile::open(std::io::Cursor::new(bytes)) {
            let root: Vec<String> = cfb
                .read_root_storage()
                .map(|e| e.name().to_string())
                .collect();
            if root.iter().any(|n| n == "EncryptionInfo") {
                return Format::EncryptedOoxml;
            }
            if root.iter().any(|n| n == "Workbook" || n == "Book") {
                return Format::Xls;
            }
            return Format::OtherOle;
        }
        if contains(bytes, &utf16le("Workbook")) || contains(bytes, &utf16le("Book")) {
            return Format::Xls;
        }
        return Format::OtherOle;
    }
    // Excel's "Unicode 文本" is UTF-16 with a byte-order mark.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Format::Text;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<?xml") && head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Format::Xml2003;
    }
    if head.starts_with("<html")
        || head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.starts_with("mime-version:")
        || head.contains("<table")
    {
        return Format::Html;
    }
    // Text in any 8-bit encoding (UTF-8, GBK) has no NUL bytes; UTF-16 was told above.
    if !bytes[..bytes.len().min(4096)].contains(&0) {
        return Format::Text;
    }
    Format::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_bytes() {
        assert_eq!(sniff(b""), Format::Empty);
        assert_eq!(sniff(b"<html><body><table>"), Format::Html);
        assert_eq!(sniff("学号,姓名\n1,张三\n".as_bytes()), Format::Text);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend(utf16le("EncryptedPackage"));
        assert_eq!(sniff(&ole), Format::EncryptedOoxml);
        let mut xls = OLE_MAGIC.to_vec();
        xls.extend(utf16le("Workbook"));
        assert_eq!(sniff(&xls), Format::Xls);
        assert_eq!(sniff(&[0u8; 2048]), Format::Unknown);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><table>"),
            Format::Html
        );
    }
}
