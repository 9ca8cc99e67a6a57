//! `statedata rules`: list the cross-cell rules of an edition.

use super::{terminal_width, SchemaSource, EXIT_FAILED, EXIT_OK};
use crate::report::render_rules;
use crate::rules::{RuleKind, RuleSummary};

#[derive(Debug, Clone, Default)]
pub struct RulesConfig {
    /// Only rules involving this table.
    pub table: Option<String>,
    /// Only rules of this kind.
    pub kind: Option<RuleKind>,
    pub json: bool,
}

pub fn run(source: &SchemaSource, cfg: &RulesConfig) -> i32 {
    let edition = match source.load() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    let rules = match source.load_rules(&edition) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    let table = cfg
        .table
        .as_deref()
        .map(|t| t.trim().trim_start_matches('表').trim().to_string());
    if let Some(t) = &table {
        if edition.table(t).is_none() {
            eprintln!(
                "statedata: 版本 {} 中没有表{t}（statedata schemas 可列出全部表）",
                edition.id
            );
            return EXIT_FAILED;
        }
    }
    let list: Vec<RuleSummary> = rules
        .rules
        .iter()
        .filter(|r| table.as_ref().is_none_or(|t| r.tables().contains(t)))
        .filter(|r| cfg.kind.is_none_or(|k| r.kind == k))
        .map(RuleSummary::from)
        .collect();
    if cfg.json {
        match serde_json::to_string_pretty(&list) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("statedata: {e}");
                return EXIT_FAILED;
            }
        }
    } else {
        out!("{}", render_rules(&edition, &list, terminal_width()));
    }
    EXIT_OK
}
