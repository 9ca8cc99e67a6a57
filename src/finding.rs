//! Findings: what a check found, as data. Renderers in `report` decide how to show them.

use std::fmt;

use serde::Serialize;

pub use crate::schema::Severity;

/// Stable kebab-case names of every kind of finding. Documented in `docs/findings.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file could not be read as a workbook.
    UnreadableFile,
    /// A sheet could not be read (the rest of the file was).
    UnreadableSheet,
    /// The file's bytes are another format than its extension says (read as what it is).
    FormatMismatch,
    /// A sheet matches no table of the edition.
    UnmatchedSheet,
    /// A sheet whose name names no table (or another table) was recognised by its header.
    TableByHeader,
    /// A hidden sheet was skipped.
    HiddenSheet,
    /// The header row of a matched sheet was not found.
    HeaderNotFound,
    /// A column of the schema is not in the sheet.
    MissingColumn,
    /// A header the schema does not know.
    UnknownColumn,
    /// The columns are not in platform order.
    ColumnOrder,
    /// A table of the edition that no file provided.
    MissingTable,
    /// A table with a header but no data.
    EmptyTable,
    /// A row under the data that is a total, a note or a signature line, not data.
    SkippedRow,
    /// A single-record table with more than one record.
    TooManyRecords,
    /// A required cell is empty.
    MissingValue,
    /// An empty cell inside a merged area: the value Excel shows belongs to another cell.
    MergedCell,
    /// A value not readable as its column's kind.
    TypeError,
    /// A code (工号, 代码 …) stored as a number cell.
    CodeAsNumber,
    /// A value outside its enum or code list.
    EnumError,
    /// A value that does not match the column's pattern.
    PatternError,
    /// A number outside the column's bounds.
    RangeError,
    /// A date outside its period.
    PeriodError,
    /// A key value that occurs twice.
    DuplicateKey,
    /// The same table given twice (most keys of one part repeat another's).
    DuplicateTable,
    /// A value missing from the table it refers to.
    ReferenceError,
    /// A reference that could not be checked because the target table was not provided.
    ReferenceUnchecked,
    /// A cached formula error (`#N/A` …) in a cell.
    CellError,
    /// A value that was cleaned (full-width characters, hidden spaces).
    ValueNormalised,
    /// A multi-valued cell uses another separator than the English `;`.
    SeparatorError,
    /// Cells of one row that break a relation between them (总数 = 境内 + 境外 …).
    RelationError,
    /// A value that must not occur in another table but does (a 工号 in both 1-5-1 and 1-5-3).
    ExclusiveError,
    /// A figure that disagrees with counts or sums of other tables.
    AggregateError,
    /// A rule that could not be judged because a table it needs was not handed in or not read.
    RuleUnchecked,
    /// A rule that could not be computed: a fault of the rule file, not of the data.
    RuleFailed,
    /// An explanation (accepted warning) that matches no warning.
    UnusedExplanation,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnreadableFile => "unreadable-file",
            Code::UnreadableSheet => "unreadable-sheet",
            Code::FormatMismatch => "format-mismatch",
            Code::UnmatchedSheet => "unmatched-sheet",
            Code::TableByHeader => "table-by-header",
            Code::HiddenSheet => "hidden-sheet",
            Code::HeaderNotFound => "header-not-found",
            Code::MissingColumn => "missing-column",
            Code::UnknownColumn => "unknown-column",
            Code::ColumnOrder => "column-order",
            Code::MissingTable => "missing-table",
            Code::EmptyTable => "empty-table",
            Code::SkippedRow => "skipped-row",
            Code::TooManyRecords => "too-many-records",
            Code::MissingValue => "missing-value",
            Code::MergedCell => "merged-cell",
            Code::TypeError => "type-error",
            Code::CodeAsNumber => "code-as-number",
            Code::EnumError => "enum-error",
            Code::PatternError => "pattern-error",
            Code::RangeError => "range-error",
            Code::PeriodError => "period-error",
            Code::DuplicateKey => "duplicate-key",
            Code::DuplicateTable => "duplicate-table",
            Code::ReferenceError => "reference-error",
            Code::ReferenceUnchecked => "reference-unchecked",
            Code::CellError => "cell-error",
            Code::ValueNormalised => "value-normalised",
            Code::SeparatorError => "separator-error",
            Code::RelationError => "relation-error",
            Code::ExclusiveError => "exclusive-error",
            Code::AggregateError => "aggregate-error",
            Code::RuleUnchecked => "rule-unchecked",
            Code::RuleFailed => "rule-failed",
            Code::UnusedExplanation => "unused-explanation",
        }
    }

    /// Every code, for documentation and tests.
    pub const ALL: [Code; 35] = [
        Code::UnreadableFile,
        Code::UnreadableSheet,
        Code::FormatMismatch,
        Code::UnmatchedSheet,
        Code::TableByHeader,
        Code::HiddenSheet,
        Code::HeaderNotFound,
        Code::MissingColumn,
        Code::UnknownColumn,
        Code::ColumnOrder,
        Code::MissingTable,
        Code::EmptyTable,
        Code::SkippedRow,
        Code::TooManyRecords,
        Code::MissingValue,
        Code::MergedCell,
        Code::TypeError,
        Code::CodeAsNumber,
        Code::EnumError,
        Code::PatternError,
        Code::RangeError,
        Code::PeriodError,
        Code::DuplicateKey,
        Code::DuplicateTable,
        Code::ReferenceError,
        Code::ReferenceUnchecked,
        Code::CellError,
        Code::ValueNormalised,
        Code::SeparatorError,
        Code::RelationError,
        Code::ExclusiveError,
        Code::AggregateError,
        Code::RuleUnchecked,
        Code::RuleFailed,
        Code::UnusedExplanation,
    ];
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cell position, 0-based absolute row and column in its sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }

    /// `A1`-style address.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.a1())
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.a1())
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// Where something is: a file, maybe a sheet, maybe a cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

impl Location {
    pub fn file(file: &str) -> Location {
        Location {
            file: Some(file.to_string()),
            ..Default::default()
        }
    }
    pub fn sheet(file: &str, sheet: &str) -> Location {
        Location {
            file: Some(file.to_string()),
            sheet: Some(sheet.to_string()),
            cell: None,
        }
    }
    pub fn cell(file: &str, sheet: &str, cell: CellRef) -> Location {
        Location {
            file: Some(file.to_string()),
            sheet: Some(sheet.to_string()),
            cell: Some(cell),
        }
    }

    /// `人事处.xlsx / 表1-5-1 … / C17`
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.file {
            parts.push(f.clone());
        }
        if let Some(s) = &self.sheet {
            parts.push(format!("「{s}」"));
        }
        if let Some(c) = &self.cell {
            parts.push(c.a1());
        }
        parts.join(" ")
    }
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    #[serde(flatten)]
    pub location: Location,
    /// 表号 of the table concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The offending value as it was in the cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong and what to do, in Chinese, for a department clerk.
    pub message: String,
    /// Other places involved (the first occurrence of a duplicate key …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    /// The id of the rule (`rules/<edition>/*.toml`) that made the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The key of the row concerned (its table's first unique key), for explanations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The office's 说明 when it accepted this warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// The most characters of a cell's value a finding repeats: a 32,767-character cell (or a
/// 4-million-character one from a hostile file) is cut, and says how long it was.
pub const MAX_SHOWN_CHARS: usize = 200;

fn cut(s: String, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s;
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}…（共 {n} 个字符）")
}

fn cut_middle(s: String, keep: usize) -> String {
    let n = s.chars().count();
    if n <= 3 * keep {
        return s;
    }
    let head: String = s.chars().take(keep).collect();
    let tail: String = s.chars().skip(n - keep).collect();
    format!("{head}…（省略 {} 个字符）…{tail}", n - 2 * keep)
}

impl Finding {
    pub fn new(code: Code, severity: Severity, location: Location, message: String) -> Finding {
        // A message repeats at most a few values; anything longer holds a huge cell. Its
        // middle goes, so that what to do (at the end) stays.
        let message = cut_middle(message, 2 * MAX_SHOWN_CHARS);
        Finding {
            code,
            severity,
            location,
            table: None,
            column: None,
            value: None,
            message,
            related: Vec::new(),
            rule: None,
            key: None,
            accepted: None,
        }
    }

    pub fn rule(mut self, id: &str) -> Finding {
        self.rule = Some(id.to_string());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Finding {
        self.key = Some(key.into());
        self
    }

    /// A warning the office accepted with a 说明: not an open problem any more.
    pub fn is_accepted(&self) -> bool {
        self.accepted.is_some()
    }

    pub fn table(mut self, table: &str) -> Finding {
        self.table = Some(table.to_string());
        self
    }

    pub fn column(mut self, column: &str) -> Finding {
        self.column = Some(column.to_string());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Finding {
        self.value = Some(cut(value.into(), MAX_SHOWN_CHARS));
        self
    }

    pub fn related(mut self, loc: Location) -> Finding {
        self.related.push(loc);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(CellRef::new(0, 0).a1(), "A1");
        assert_eq!(CellRef::new(16, 2).a1(), "C17");
        assert_eq!(CellRef::new(0, 25).a1(), "Z1");
        assert_eq!(CellRef::new(0, 26).a1(), "AA1");
        assert_eq!(CellRef::new(1_048_575, 16_383).a1(), "XFD1048576");
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s));
            assert!(s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{s}\""));
        }
    }
}
