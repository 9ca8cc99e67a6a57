//! Renderers of a check's findings: terminal tables and JSON. Each renders the same findings.

mod json;
mod terminal;

pub use json::render_json;
pub use terminal::{render_rules, render_schemas, render_terminal, TerminalOptions};

use crate::finding::{Code, Finding};

/// Findings in reading order: by file, sheet, row, column; findings without a file last.
pub fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.location.file.is_none(),
                f.location.file.clone(),
                f.location.sheet.clone(),
                f.location.cell.map(|c| (c.row, c.col)),
                f.code,
            )
        };
        key(a).cmp(&key(b))
    });
    v
}

/// Codes reported in their own sections rather than the list of findings.
pub fn is_overview(code: Code) -> bool {
    matches!(
        code,
        Code::MissingTable | Code::ReferenceUnchecked | Code::RuleUnchecked
    )
}
