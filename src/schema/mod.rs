//! What a table should be: editions, tables, columns and code lists, read from TOML.
//!
//! The format is documented in `schemas/FORMAT.md`. Loading (in `load.rs`) validates the files
//! and resolves code lists and references, so the rest of the program can trust a `Edition`.

mod load;

use std::collections::HashMap;
use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::value::comparable;

pub use load::{edition_names, load_dir, load_embedded, SchemaError, DEFAULT_EDITION};

/// The statistical period of a table (catalogue §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum PeriodKind {
    #[serde(rename = "时点")]
    Point,
    #[serde(rename = "学年")]
    AcademicYear,
    #[serde(rename = "自然年")]
    CalendarYear,
}

impl PeriodKind {
    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Point => "时点",
            PeriodKind::AcademicYear => "学年",
            PeriodKind::CalendarYear => "自然年",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Many rows.
    List,
    /// One record per school, often handed in as a vertical 项目 | 内容 form.
    Single,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Shape::List => "列表",
            Shape::Single => "单条",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Text,
    Code,
    Integer,
    Decimal,
    Year,
    YearMonth,
    Date,
    Enum,
    YesNo,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Text => "文本",
            Kind::Code => "代码（文本）",
            Kind::Integer => "整数",
            Kind::Decimal => "数值",
            Kind::Year => "年份 YYYY",
            Kind::YearMonth => "年月",
            Kind::Date => "日期 YYYY-MM-DD",
            Kind::Enum => "选项",
            Kind::YesNo => "是/否",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum YearMonthFormat {
    #[serde(rename = "YYYY-MM")]
    Dash,
    #[serde(rename = "YYYYMM")]
    Compact,
}

/// How a date-like column relates to its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodRule {
    Within,
    NotAfter,
    NotBefore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// `表号.列名`, a column of another (or the same) table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ColumnRef {
    pub table: String,
    pub column: String,
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "表{}.{}", self.table, self.column)
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub required: bool,
    pub options: Vec<String>,
    pub codelist: Option<String>,
    pub pattern: Option<Regex>,
    pub format: Option<YearMonthFormat>,
    pub multiple: bool,
    pub allow: Vec<String>,
    pub refs: Vec<ColumnRef>,
    pub period: Option<PeriodRule>,
    pub period_kind: Option<PeriodKind>,
    pub period_severity: Severity,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub aliases: Vec<String>,
    /// Allowed values of an enum (options or code list), by their comparable form.
    allowed: HashMap<String, String>,
    /// Names of an earlier edition of the code list → the current name.
    renamed: HashMap<String, String>,
}

impl Column {
    /// A column with a name and a kind and nothing else (the loader fills in the rest).
    pub fn bare(name: &str, kind: Kind) -> Column {
        Column {
            name: name.to_string(),
            kind,
            required: false,
            options: Vec::new(),
            codelist: None,
            pattern: None,
            format: None,
            multiple: false,
            allow: Vec::new(),
            refs: Vec::new(),
            period: None,
            period_kind: None,
            period_severity: Severity::Error,
            min: None,
            max: None,
            unit: None,
            note: None,
            aliases: Vec::new(),
            allowed: HashMap::new(),
            renamed: HashMap::new(),
        }
    }

    /// The option an enum or yes/no value stands for, spelled as the platform spells it.
    pub fn option_for(&self, value: &str) -> Option<&str> {
        match self.kind {
            Kind::YesNo => match comparable(value).as_str() {
                "是" => Some("是"),
                "否" => Some("否"),
                _ => None,
            },
            _ => self.allowed.get(&comparable(value)).map(String::as_str),
        }
    }

    /// The current name of a value that an earlier edition of the code list used.
    pub fn renamed_to(&self, value: &str) -> Option<&str> {
        self.renamed.get(&comparable(value)).map(String::as_str)
    }

    /// Number of allowed values of an enum.
    pub fn allowed_count(&self) -> usize {
        match self.kind {
            Kind::YesNo => 2,
            _ => self.allowed.len(),
        }
    }

    /// The allowed values, in schema order (code lists in file order).
    pub fn allowed_values(&self) -> Vec<String> {
        match self.kind {
            Kind::YesNo => vec!["是".into(), "否".into()],
            _ => self.options.clone(),
        }
    }

    /// Whether a header text names this column.
    pub fn matches_header(&self, header: &str) -> bool {
        let h = comparable(header);
        !h.is_empty()
            && (comparable(&self.name) == h || self.aliases.iter().any(|a| comparable(a) == h))
    }

    pub fn is_date_like(&self) -> bool {
        matches!(self.kind, Kind::Year | Kind::YearMonth | Kind::Date)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub optional: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub name: String,
    pub period: PeriodKind,
    pub shape: Shape,
    pub base: bool,
    pub required: bool,
    pub group: Option<String>,
    pub owner: String,
    pub collaborators: Vec<String>,
    pub keys: Vec<Vec<String>>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub aliases: Vec<String>,
    pub columns: Vec<Column>,
    /// The file it came from, for messages.
    pub file: String,
}

impl Table {
    /// `表1-5-1 教职工基本信息`
    pub fn title(&self) -> String {
        format!("表{} {}", self.id, self.name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Whether a name (from a sheet or a file) is this table's name or an alias.
    pub fn matches_name(&self, name: &str) -> bool {
        let n = comparable(name);
        !n.is_empty()
            && (comparable(&self.name) == n || self.aliases.iter().any(|a| comparable(a) == n))
    }
}

/// One edition of the collection: its tables in platform order, groups and code lists.
#[derive(Debug, Clone)]
pub struct Edition {
    pub id: String,
    pub title: String,
    pub groups: Vec<Group>,
    pub tables: Vec<Table>,
    /// Where it was loaded from (`embedded:2025` or a folder).
    pub origin: String,
}

impl Edition {
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// True when the table belongs to an optional group (师范类): listed, not demanded.
    pub fn is_optional(&self, table: &Table) -> bool {
        table
            .group
            .as_deref()
            .and_then(|g| self.group(g))
            .is_some_and(|g| g.optional)
    }
}

/// Sort key of a 表号: numeric parts first (1-5-1 < 1-10), then lettered groups (SF-1 … SF-14).
pub fn table_order(id: &str) -> (u8, String, Vec<u32>) {
    let mut parts = id.split('-');
    let first = parts.next().unwrap_or("");
    match first.parse::<u32>() {
        Ok(n) => (
            0,
            String::new(),
            std::iter::once(n)
                .chain(parts.filter_map(|p| p.parse().ok()))
                .collect(),
        ),
        Err(_) => (
            1,
            first.to_string(),
            parts.filter_map(|p| p.parse().ok()).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_ids_sort_in_platform_order() {
        let mut ids = vec!["SF-10", "1-5-1", "SF-2", "1-10", "1-5", "2-1", "1-5-10"];
        ids.sort_by_key(|i| table_order(i));
        assert_eq!(
            ids,
            vec!["1-5", "1-5-1", "1-5-10", "1-10", "2-1", "SF-2", "SF-10"]
        );
    }
}
