//! `statedata check PATH...`: read the workbooks, check them, print the findings.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::{terminal_width, SchemaSource, EXIT_FAILED, EXIT_FINDINGS, EXIT_OK};
use crate::check::{check, Options};
use crate::read::{expand_inputs, read_submission_with};
use crate::report::{render_json, render_terminal, TerminalOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Terminal,
    Json,
}

#[derive(Debug, Clone)]
pub struct CheckConfig {
    pub schemas: SchemaSource,
    pub inputs: Vec<PathBuf>,
    pub year: i32,
    pub format: OutputFormat,
    pub max_per_rule: usize,
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
pub fn progress_bar(len: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

pub fn run(cfg: &CheckConfig) -> i32 {
    let edition = match cfg.schemas.load() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    let files = match expand_inputs(&cfg.inputs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    };
    if files.is_empty() {
        eprintln!("statedata: 给出的路径中没有找到 Excel 工作簿（.xlsx/.xls/.ods）");
        return EXIT_FAILED;
    }
    let pb = progress_bar(files.len(), "读取");
    let submission = read_submission_with(&edition, &files, |_| pb.inc(1));
    pb.finish_and_clear();
    let outcome = check(&edition, submission, &Options { year: cfg.year });
    match cfg.format {
        OutputFormat::Terminal => print!(
            "{}",
            render_terminal(
                &edition,
                &outcome,
                &TerminalOptions {
                    max_per_rule: cfg.max_per_rule,
                    width: terminal_width(),
                }
            )
        ),
        OutputFormat::Json => println!("{}", render_json(&edition, &outcome)),
    }
    if outcome.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
