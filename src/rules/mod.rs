//! Cross-cell rules: relations within a row, uniqueness, existence and exclusivity across tables,
//! dates and aggregates, written as data in `rules/<edition>/*.toml` (format: `rules/FORMAT.md`).
//!
//! `load` reads and validates the rule files against an edition, `expr` is the glue to the CEL
//! expression engine, `engine` evaluates the rules over what a check run read, and `explain`
//! turns warnings the office has accepted into accepted findings.

mod engine;
pub mod explain;
mod expr;
mod load;

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::finding::{Code, Severity};

pub use engine::apply;
pub use explain::{Explanation, Explanations};
pub use load::{load_dir, load_embedded, RuleError};

/// The six kinds of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// 存在性: values must occur in another table.
    Existence,
    /// 字段内关系: a relation between cells of one row.
    Row,
    /// 唯一性: values must not repeat.
    Uniqueness,
    /// 时间日期: dates against each other or the period.
    Date,
    /// 排它性: values must not occur in another table.
    Exclusivity,
    /// 外表约束: a figure against counts or sums of other tables.
    Aggregate,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::Existence,
        RuleKind::Row,
        RuleKind::Uniqueness,
        RuleKind::Date,
        RuleKind::Exclusivity,
        RuleKind::Aggregate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Existence => "existence",
            RuleKind::Row => "row",
            RuleKind::Uniqueness => "uniqueness",
            RuleKind::Date => "date",
            RuleKind::Exclusivity => "exclusivity",
            RuleKind::Aggregate => "aggregate",
        }
    }

    /// The Chinese name used by the platform's rule lists.
    pub fn label(self) -> &'static str {
        match self {
            RuleKind::Existence => "存在性",
            RuleKind::Row => "字段内关系",
            RuleKind::Uniqueness => "唯一性",
            RuleKind::Date => "时间日期",
            RuleKind::Exclusivity => "排它性",
            RuleKind::Aggregate => "外表约束",
        }
    }

    /// The finding code a broken rule of this kind reports.
    pub fn code(self) -> Code {
        match self {
            RuleKind::Existence => Code::ReferenceError,
            RuleKind::Row => Code::RelationError,
            RuleKind::Uniqueness => Code::DuplicateKey,
            RuleKind::Date => Code::PeriodError,
            RuleKind::Exclusivity => Code::ExclusiveError,
            RuleKind::Aggregate => Code::AggregateError,
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `if_empty` says about rows where a used cell is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IfEmpty {
    /// The row is not judged.
    #[default]
    Skip,
    /// Empty cells are `null`.
    Null,
}

/// How a uniqueness rule compares values: as written (after the usual normalisation), or as
/// book numbers, where `978-7-04-012345-6` and `9787040123456` are the same (rules.md FM-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compare {
    #[default]
    Text,
    Isbn,
}

impl Compare {
    /// The form two values are compared in.
    pub fn key(self, text: &str) -> String {
        let text = crate::value::comparable(text);
        match self {
            Compare::Text => text,
            Compare::Isbn => text
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect::<String>()
                .trim_start_matches("ISBN")
                .to_string(),
        }
    }
}

/// A table and some of its columns, looked up by an existence or exclusivity rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub table: String,
    pub columns: Vec<String>,
}

/// One rule, validated and compiled.
pub struct Rule {
    pub id: String,
    /// The id of the rule in rules.md §1 it ports.
    pub source: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub description: String,
    pub table: String,
    pub when: Option<expr::Expr>,
    pub check: Option<expr::Expr>,
    pub columns: Vec<String>,
    pub targets: Vec<Target>,
    pub allow: Vec<String>,
    /// The column where findings are placed.
    pub cell: String,
    pub if_empty: IfEmpty,
    /// How a uniqueness rule compares values.
    pub compare: Compare,
    pub message: expr::Message,
    /// Tables other than `table` the rule needs: targets and tables named in functions.
    pub uses: Vec<String>,
    /// The rule file it came from.
    pub file: String,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl Rule {
    /// Every table the rule involves, its own first.
    pub fn tables(&self) -> Vec<String> {
        let mut t = vec![self.table.clone()];
        for u in &self.uses {
            if !t.contains(u) {
                t.push(u.clone());
            }
        }
        t
    }
}

/// The rules of an edition.
#[derive(Debug, Default)]
pub struct Ruleset {
    pub edition: String,
    pub rules: Vec<Rule>,
}

impl Ruleset {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// (table, columns) of the uniqueness rules that hold on every row: the table check leaves
    /// the row-by-row findings of such a key to the rule.
    pub fn unique_keys(&self) -> HashSet<(String, Vec<String>)> {
        self.rules
            .iter()
            .filter(|r| r.kind == RuleKind::Uniqueness && r.when.is_none())
            .map(|r| (r.table.clone(), r.columns.clone()))
            .collect()
    }
}

/// One line of `statedata rules`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub id: String,
    pub source: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub tables: Vec<String>,
    pub description: String,
}

impl From<&Rule> for RuleSummary {
    fn from(r: &Rule) -> RuleSummary {
        RuleSummary {
            id: r.id.clone(),
            source: r.source.clone(),
            kind: r.kind,
            severity: r.severity,
            tables: r.tables(),
            description: r.description.clone(),
        }
    }
}
