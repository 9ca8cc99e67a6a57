//! Checks: per cell (`cell`), per table (`table`: empty tables, records, unique keys) and
//! across tables (`cross`: references, missing tables). The result is data: findings plus the
//! checked values, which `bundle` reuses.

mod cell;
mod cross;
mod table;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::period::Periods;
use crate::read::{FileSummary, Part, Submission};
use crate::rules::{Explanations, Ruleset};
use crate::schema::Edition;

pub use cell::{check_cell, Checked, Place};

/// What a check run needs besides the data.
#[derive(Debug, Clone)]
pub struct Options {
    /// The collection year Y: 时点 Y-09-30, 学年 Y-1-09…Y-08, 自然年 Y-1.
    pub year: i32,
    /// The responsible department of each table, when a collection plan says it; otherwise
    /// the schemas' typical owner is named.
    pub owners: Option<BTreeMap<String, String>>,
    /// The cross-cell rules to run after the cell checks (none: only the schemas' checks).
    pub rules: Option<Arc<Ruleset>>,
    /// Warnings the office accepted, with their 说明.
    pub explanations: Option<Explanations>,
}

impl Options {
    pub fn year(year: i32) -> Options {
        Options {
            year,
            owners: None,
            rules: None,
            explanations: None,
        }
    }

    /// The same options, running these rules as well.
    pub fn with_rules(mut self, rules: Ruleset) -> Options {
        self.rules = Some(Arc::new(rules));
        self
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::year(2025)
    }
}

/// The checked values of one part: per record, per schema column.
#[derive(Debug, Clone)]
pub struct CheckedPart {
    pub part: Part,
    pub values: Vec<Vec<Option<Checked>>>,
}

/// One line of the per-file, per-table summary.
#[derive(Debug, Clone, Serialize)]
pub struct PartSummary {
    pub file: String,
    pub sheet: String,
    pub table: String,
    pub name: String,
    pub rows: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// The result of a check run.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub parts: Vec<CheckedPart>,
    pub files: Vec<FileSummary>,
    pub year: i32,
}

impl Outcome {
    /// Findings of a severity, accepted warnings included.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Warnings the office accepted with a 说明.
    pub fn accepted(&self) -> usize {
        self.findings.iter().filter(|f| f.is_accepted()).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Rows and findings per (file, sheet, table).
    pub fn summary(&self, edition: &Edition) -> Vec<PartSummary> {
        self.parts
            .iter()
            .map(|cp| {
                let p = &cp.part;
                let here = |sev: Severity| {
                    self.findings
                        .iter()
                        .filter(|f| {
                            f.severity == sev
                                && !f.is_accepted()
                                && f.location.file.as_deref() == Some(p.file.as_str())
                                && f.location.sheet.as_deref() == Some(p.sheet.as_str())
                        })
                        .count()
                };
                PartSummary {
                    file: p.file.clone(),
                    sheet: p.sheet.clone(),
                    table: p.table.clone(),
                    name: edition
                        .table(&p.table)
                        .map(|t| t.name.clone())
                        .unwrap_or_default(),
                    rows: p.records.len(),
                    errors: here(Severity::Error),
                    warnings: here(Severity::Warning),
                }
            })
            .collect()
    }

    /// Number of findings per code and table, for tests and summaries.
    pub fn counts(&self) -> BTreeMap<(String, String), usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry((
                f.code.as_str().to_string(),
                f.table.clone().unwrap_or_default(),
            ))
            .or_insert(0) += 1;
        }
        m
    }
}

/// Runs every check over what was read.
pub fn check(edition: &Edition, submission: Submission, options: &Options) -> Outcome {
    let periods = Periods::new(options.year);
    let mut findings = submission.findings;
    let mut parts = Vec::new();
    for part in submission.parts {
        let Some(table) = edition.table(&part.table) else {
            continue;
        };
        let values = table::check_part(table, &part, &periods, &mut findings);
        parts.push(CheckedPart { part, values });
    }
    let ruled = options
        .rules
        .as_deref()
        .map(Ruleset::unique_keys)
        .unwrap_or_default();
    table::check_tables(edition, &parts, &ruled, &mut findings);
    cross::check_references(edition, &parts, &mut findings);
    cross::check_missing_tables(edition, &parts, options.owners.as_ref(), &mut findings);
    let mut outcome = Outcome {
        findings,
        parts,
        files: submission.files,
        year: options.year,
    };
    if let Some(rules) = &options.rules {
        crate::rules::apply(rules, edition, &mut outcome);
    }
    if let Some(ex) = &options.explanations {
        let present = outcome.parts.iter().map(|p| p.part.table.clone()).collect();
        ex.apply(options.rules.as_deref(), &present, &mut outcome.findings);
    }
    outcome
}
