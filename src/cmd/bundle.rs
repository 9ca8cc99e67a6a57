//! `statedata bundle PATH... -o OUT.xlsx`: check, then merge every table into the upload
//! workbook (and, with `--split DIR`, one workbook per table).

use std::path::PathBuf;

use super::check::{print_outcome, progress_bar, read_and_check, OutputFormat};
use super::{refuse_overwriting, SchemaSource, EXIT_FAILED, EXIT_FINDINGS, EXIT_OK};
use crate::bundle::{assemble, split_file_name, write_bundle, write_split, BundleOptions};
use crate::finding::{Code, Severity};

#[derive(Debug, Clone)]
pub struct BundleConfig {
    pub schemas: SchemaSource,
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub split: Option<PathBuf>,
    pub force: bool,
    pub year: i32,
    pub max_per_rule: usize,
    /// The office's explanations of accepted warnings.
    pub explanations: Option<PathBuf>,
}

pub fn run(cfg: &BundleConfig) -> i32 {
    let ext = cfg
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        eprintln!(
            "statedata: 输出文件 {} 应以 .xlsx 结尾（汇总表总是 Excel 2007 及以上格式）",
            cfg.output.display()
        );
        return EXIT_FAILED;
    }
    let (edition, files, outcome, _) = match read_and_check(
        &cfg.schemas,
        &cfg.inputs,
        cfg.year,
        None,
        cfg.explanations.as_deref(),
    ) {
        Ok(x) => x,
        Err(code) => return code,
    };
    // Never write over what we read.
    let mut targets = vec![cfg.output.clone()];
    if let Some(dir) = &cfg.split {
        targets.extend(edition.tables.iter().map(|t| dir.join(split_file_name(t))));
    }
    if let Err(e) = refuse_overwriting(&cfg.inputs, &files, &targets) {
        eprintln!("statedata: {e}");
        return EXIT_FAILED;
    }

    print_outcome(
        &edition,
        &outcome,
        None,
        OutputFormat::Terminal,
        cfg.max_per_rule,
    );
    let errors = outcome.count(Severity::Error);
    // Data the bundle would leave out: sheets it could not place, columns it does not know.
    let left_out = outcome
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::UnmatchedSheet | Code::HiddenSheet | Code::UnknownColumn
            )
        })
        .count();
    if (errors > 0 || left_out > 0) && !cfg.force {
        let mut why = Vec::new();
        if errors > 0 {
            why.push(format!("还有 {errors} 个错误"));
        }
        if left_out > 0 {
            why.push(format!(
                "有 {left_out} 处数据不会进入汇总表（无法对应的工作表、隐藏的工作表或模板之外的列，见上）"
            ));
        }
        outln!(
            "\n没有生成汇总表：{}。请改正后重新运行；如确需先生成，加 --force（错误会列在“错误清单”工作表中）。",
            why.join("，")
        );
        return EXIT_FINDINGS;
    }

    let tables = assemble(&edition, &outcome);
    let total = tables.len() + cfg.split.as_ref().map_or(0, |_| tables.len());
    let pb = progress_bar(total, "写入");
    let opts = BundleOptions {
        year: cfg.year,
        errors: (cfg.force && errors > 0).then_some(outcome.findings.as_slice()),
    };
    if let Err(e) = write_bundle(&edition, &tables, &cfg.output, &opts, || pb.inc(1)) {
        pb.finish_and_clear();
        eprintln!("statedata: {e:#}");
        return EXIT_FAILED;
    }
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    let mut split_note = String::new();
    if let Some(dir) = &cfg.split {
        match write_split(&tables, dir, || pb.inc(1)) {
            Ok(paths) => {
                split_note = format!("；另在 {} 中写入 {} 个分表文件", dir.display(), paths.len())
            }
            Err(e) => {
                pb.finish_and_clear();
                eprintln!("statedata: {e:#}");
                return EXIT_FAILED;
            }
        }
    }
    pb.finish_and_clear();
    outln!(
        "\n已生成汇总表 {}：{} 张表，{} 行数据{split_note}。",
        cfg.output.display(),
        tables.len(),
        rows
    );
    if errors > 0 {
        outln!("注意：仍有 {errors} 个错误，已列在“错误清单”工作表中，上传前请改正。");
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
