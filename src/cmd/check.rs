//! `statedata check PATH...`: read the workbooks, check them, print the findings.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use super::{
    absolute, refuse_overwriting, terminal_width, SchemaSource, EXIT_FAILED, EXIT_FINDINGS, EXIT_OK,
};
use crate::annotate::{annotate_file, copy_paths, Copied};
use crate::check::{check, Options, Outcome};
use crate::finding::{Finding, Severity};
use crate::plan::{department_status, Plan};
use crate::read::{expand_inputs, read_submission_with};
use crate::report::{render_json, render_terminal, TerminalOptions};
use crate::rules::Explanations;
use crate::schema::Edition;

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
    /// A collection plan: report per department what is still owed.
    pub plan: Option<PathBuf>,
    /// The office's explanations of accepted warnings.
    pub explanations: Option<PathBuf>,
    /// Write an annotated copy of every file with errors or warnings into this folder.
    pub annotate: Option<PathBuf>,
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

/// Loads the schemas, reads the inputs and checks them: the first half of `check` and
/// `bundle`. On failure, says why on stderr and returns the exit code.
pub fn read_and_check(
    schemas: &SchemaSource,
    inputs: &[PathBuf],
    year: i32,
    plan: Option<&Path>,
    explanations: Option<&Path>,
) -> Result<(Edition, Vec<PathBuf>, Outcome, Option<Plan>), i32> {
    let edition = schemas.load().map_err(|e| {
        eprintln!("statedata: {e}");
        EXIT_FAILED
    })?;
    let rules = schemas.load_rules(&edition).map_err(|e| {
        eprintln!("statedata: {e}");
        EXIT_FAILED
    })?;
    let explanations = match explanations {
        Some(p) => Some(Explanations::load(p).map_err(|e| {
            eprintln!("statedata: {e}");
            EXIT_FAILED
        })?),
        None => None,
    };
    let plan = match plan {
        Some(p) => Some(Plan::load(p, &edition).map_err(|e| {
            eprintln!("statedata: {e}");
            EXIT_FAILED
        })?),
        None => None,
    };
    let files = expand_inputs(inputs).map_err(|e| {
        eprintln!("statedata: {e}");
        EXIT_FAILED
    })?;
    if files.is_empty() {
        eprintln!("statedata: 给出的路径中没有找到 Excel 工作簿（.xlsx/.xls/.ods）");
        return Err(EXIT_FAILED);
    }
    let pb = progress_bar(files.len(), "读取");
    let submission = read_submission_with(&edition, &files, |_| pb.inc(1));
    pb.finish_and_clear();
    let options = Options {
        year,
        owners: plan.as_ref().map(Plan::owners),
        rules: Some(Arc::new(rules)),
        explanations,
    };
    let outcome = check(&edition, submission, &options);
    Ok((edition, files, outcome, plan))
}

/// Prints the findings in the chosen format.
pub fn print_outcome(
    edition: &Edition,
    outcome: &Outcome,
    plan: Option<&Plan>,
    format: OutputFormat,
    max_per_rule: usize,
) {
    let status = plan.map(|p| department_status(edition, p, outcome));
    match format {
        OutputFormat::Terminal => out!(
            "{}",
            render_terminal(
                edition,
                outcome,
                &TerminalOptions {
                    max_per_rule,
                    width: terminal_width(),
                    departments: status.as_deref(),
                }
            )
        ),
        OutputFormat::Json => outln!("{}", render_json(edition, outcome, status.as_deref())),
    }
}

pub fn run(cfg: &CheckConfig) -> i32 {
    if let Some(dir) = &cfg.annotate {
        if let Err(e) = refuse_annotation_folder(&cfg.inputs, dir) {
            eprintln!("statedata: {e}");
            return EXIT_FAILED;
        }
    }
    let (edition, files, outcome, plan) = match read_and_check(
        &cfg.schemas,
        &cfg.inputs,
        cfg.year,
        cfg.plan.as_deref(),
        cfg.explanations.as_deref(),
    ) {
        Ok(x) => x,
        Err(code) => return code,
    };
    print_outcome(
        &edition,
        &outcome,
        plan.as_ref(),
        cfg.format,
        cfg.max_per_rule,
    );
    if let Some(dir) = &cfg.annotate {
        if let Err(code) = annotate(cfg, dir, &files, &outcome) {
            return code;
        }
    }
    if outcome.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Refuses an annotation folder before anything is read: a file of that name, a place inside
/// an input folder, or the folder of an input file, where the next check would read the copies
/// back as departments' files beside their originals.
fn refuse_annotation_folder(inputs: &[PathBuf], dir: &Path) -> Result<(), String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!(
            "--annotate 后应是一个文件夹，但 {} 是一个文件。请换一个文件夹名（不存在时会自动创建）",
            dir.display()
        ));
    }
    let target = absolute(dir);
    for f in inputs.iter().filter(|i| i.is_file()) {
        let folder = f.parent().filter(|p| !p.as_os_str().is_empty());
        if absolute(folder.unwrap_or(Path::new("."))) == target {
            return Err(format!(
                "批注副本会写在输入文件 {} 旁边，下次检查这个文件夹时会把副本当作部门文件读入。请把 --annotate 指向别的文件夹",
                f.display()
            ));
        }
    }
    refuse_overwriting(inputs, &[], &[dir.to_path_buf()])
}

/// Writes the annotated copies of the files with open errors or warnings, and says where.
/// What it says goes to stderr when stdout carries JSON. A file whose copy cannot be written
/// is said and the others are still written.
fn annotate(
    cfg: &CheckConfig,
    dir: &Path,
    files: &[PathBuf],
    outcome: &Outcome,
) -> Result<(), i32> {
    let say = |s: String| {
        if cfg.format == OutputFormat::Json {
            eprintln!("{s}");
        } else {
            outln!("{s}");
        }
    };
    let targets = copy_paths(files, &cfg.inputs, dir);
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &outcome.findings {
        if let Some(file) = &f.location.file {
            by_file.entry(file.as_str()).or_default().push(f);
        }
    }
    let todo: Vec<(&PathBuf, &PathBuf, &[&Finding])> = files
        .iter()
        .zip(&targets)
        .filter_map(|(f, t)| {
            let found = by_file.get(f.display().to_string().as_str())?;
            found
                .iter()
                .any(|x| !x.is_accepted() && x.severity != Severity::Info)
                .then_some((f, t, found.as_slice()))
        })
        .collect();
    let pb = progress_bar(todo.len(), "批注");
    let mut written = Vec::new();
    let mut unreadable = 0;
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for (file, target, found) in todo {
        match annotate_file(file, found, target) {
            Ok(Copied::Written(p)) => written.push(p),
            Ok(Copied::Unreadable) => unreadable += 1,
            Ok(Copied::Skipped(why)) => skipped.push(format!("{}：{why}", file.display())),
            Err(e) => failed.push(format!("{}：{e:#}", file.display())),
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    if written.is_empty() && unreadable == 0 && skipped.is_empty() && failed.is_empty() {
        say("\n没有需要批注的文件（没有未接受的错误或警告），未写入批注副本。".to_string());
    } else {
        say(format!(
            "\n已在 {} 中写入 {} 个批注副本（有错误或警告的文件，问题单元格标了颜色和批注），可发回各部门修改。",
            dir.display(),
            written.len()
        ));
    }
    if unreadable > 0 {
        say(format!(
            "另有 {unreadable} 个文件无法读取，没有批注副本（原因见 unreadable-file）。"
        ));
    }
    for s in skipped {
        say(format!("未生成批注副本：{s}"));
    }
    let stale = earlier_copies(dir, &written);
    if !stale.is_empty() {
        let shown: Vec<String> = stale
            .iter()
            .take(10)
            .map(|p| p.display().to_string())
            .collect();
        say(format!(
            "注意：{} 中还有 {} 个以前写的批注副本，这次没有重写（文件已没有问题、没有检查或无法读取），请勿误发：{}{}",
            dir.display(),
            stale.len(),
            shown.join("、"),
            if stale.len() > 10 { " 等" } else { "" }
        ));
    }
    if failed.is_empty() {
        return Ok(());
    }
    for f in failed {
        eprintln!("statedata: 无法写入批注副本：{f}");
    }
    Err(EXIT_FAILED)
}

/// Copies below `dir` that this run did not write: left from an earlier run.
fn earlier_copies(dir: &Path, written: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(found) = expand_inputs(&[dir.to_path_buf()]) else {
        return Vec::new();
    };
    let written: Vec<PathBuf> = written.iter().map(|p| absolute(p)).collect();
    found
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("批注）.xlsx"))
                && !written.contains(&absolute(p))
        })
        .collect()
}
