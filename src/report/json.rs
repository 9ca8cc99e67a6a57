//! JSON output: the same findings as the terminal, as data.

use serde::Serialize;

use super::sorted;
use crate::check::{Outcome, PartSummary};
use crate::finding::{Finding, Severity};
use crate::plan::DepartmentStatus;
use crate::read::FileSummary;
use crate::schema::Edition;

#[derive(Serialize)]
struct Totals {
    errors: usize,
    /// Open warnings: accepted ones are counted apart.
    warnings: usize,
    accepted: usize,
    info: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    edition: &'a str,
    year: i32,
    files: &'a [FileSummary],
    tables: Vec<PartSummary>,
    totals: Totals,
    findings: Vec<&'a Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    departments: Option<&'a [DepartmentStatus]>,
}

pub fn render_json(
    edition: &Edition,
    outcome: &Outcome,
    departments: Option<&[DepartmentStatus]>,
) -> String {
    let doc = Doc {
        edition: &edition.id,
        year: outcome.year,
        files: &outcome.files,
        tables: outcome.summary(edition),
        totals: Totals {
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning) - outcome.accepted(),
            accepted: outcome.accepted(),
            info: outcome.count(Severity::Info),
        },
        findings: sorted(&outcome.findings),
        departments,
    };
    serde_json::to_string_pretty(&doc).expect("findings serialise")
}
