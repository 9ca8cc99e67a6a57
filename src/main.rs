//! The `statedata` command: argument parsing only; the work is in the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use statedata::cmd::{self, check::CheckConfig, SchemaSource};
use statedata::rules::RuleKind;
use statedata::schema::DEFAULT_EDITION;

#[derive(Parser)]
#[command(
    name = "statedata",
    version,
    about = "Check, bundle and assign the 本科教学基本状态数据 workbooks of a university",
    after_help = "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 could not run."
)]
struct Cli {
    /// Load the edition from this folder instead of the copy embedded in the program.
    #[arg(long, global = true, value_name = "DIR")]
    schemas: Option<PathBuf>,
    /// Embedded edition to use.
    #[arg(long, global = true, default_value = DEFAULT_EDITION)]
    edition: String,
    /// Load the cross-cell rules from this folder of rule files instead of the embedded ones.
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Terminal,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check the workbooks departments handed in (files and/or folders, searched recursively).
    Check {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Collection year Y: 时点 Y-09-30, 学年 Y-1-09-01…Y-08-31, 自然年 Y-1.
        #[arg(long, default_value_t = 2025, value_parser = year_in_range)]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Terminal)]
        format: Format,
        /// List at most N findings of one kind per table in the terminal (0 = all).
        #[arg(long, default_value_t = 20, value_name = "N")]
        max_per_rule: usize,
        /// A collection plan (collection.toml): also report, per department, the tables still
        /// missing, empty or with errors, with their deadlines.
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        /// The office's explanations (explanations.toml): matching warnings are shown as
        /// accepted; explanations that match nothing are reported.
        #[arg(long, value_name = "FILE")]
        explanations: Option<PathBuf>,
        /// Write into DIR a copy of every file with errors or warnings, its problem cells
        /// shaded and noted and a first sheet 检查结果 listing them, to send back.
        #[arg(long, value_name = "DIR")]
        annotate: Option<PathBuf>,
    },
    /// Check, then merge every table into one national-platform upload workbook.
    Bundle {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The upload workbook to write (.xlsx).
        #[arg(short, long, value_name = "OUT.xlsx")]
        output: PathBuf,
        /// Also write one workbook per table into this folder.
        #[arg(long, value_name = "DIR")]
        split: Option<PathBuf>,
        /// Write the bundle even when there are errors (they are listed on a sheet 错误清单).
        #[arg(long)]
        force: bool,
        /// Collection year Y.
        #[arg(long, default_value_t = 2025, value_parser = year_in_range)]
        year: i32,
        /// List at most N findings of one kind per table (0 = all).
        #[arg(long, default_value_t = 20, value_name = "N")]
        max_per_rule: usize,
        /// The office's explanations of accepted warnings (explanations.toml).
        #[arg(long, value_name = "FILE")]
        explanations: Option<PathBuf>,
    },
    /// Write a starting collection plan (collection.toml) into DIR (default: this folder).
    Init {
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Collection year of the plan.
        #[arg(long, default_value_t = 2025, value_parser = year_in_range)]
        year: i32,
    },
    /// Write the 填报责任分解表, each department's 质量监控表 and blank templates into DIR.
    Assign {
        /// The collection plan (default: collection.toml here, else the starting plan).
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Collection year, when no plan file is used.
        #[arg(long, default_value_t = 2025, value_parser = year_in_range)]
        year: i32,
    },
    /// List the tables of the edition.
    Schemas,
    /// List the cross-cell rules of the edition (id, kind, severity, tables, description).
    Rules {
        /// Only rules that involve this table (表号, e.g. 1-5-1).
        #[arg(long, value_name = "表号")]
        table: Option<String>,
        /// Only rules of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Terminal)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Existence,
    Row,
    Uniqueness,
    Date,
    Exclusivity,
    Aggregate,
}

impl From<KindArg> for RuleKind {
    fn from(k: KindArg) -> RuleKind {
        match k {
            KindArg::Existence => RuleKind::Existence,
            KindArg::Row => RuleKind::Row,
            KindArg::Uniqueness => RuleKind::Uniqueness,
            KindArg::Date => RuleKind::Date,
            KindArg::Exclusivity => RuleKind::Exclusivity,
            KindArg::Aggregate => RuleKind::Aggregate,
        }
    }
}

/// A collection year the platform can have had: 2000 … 2100.
fn year_in_range(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(format!(
            "采集年份应为 2000 到 2100 之间的四位数字，如 2025（收到 {s:?}）"
        )),
    }
}

fn main() {
    let cli = Cli::parse();
    let schemas = SchemaSource {
        dir: cli.schemas,
        edition: cli.edition,
        rules: cli.rules,
    };
    let code = match cli.command {
        Command::Check {
            paths,
            year,
            format,
            max_per_rule,
            plan,
            explanations,
            annotate,
        } => cmd::check::run(&CheckConfig {
            schemas,
            inputs: paths,
            year,
            format: match format {
                Format::Terminal => cmd::check::OutputFormat::Terminal,
                Format::Json => cmd::check::OutputFormat::Json,
            },
            max_per_rule,
            plan,
            explanations,
            annotate,
        }),
        Command::Bundle {
            paths,
            output,
            split,
            force,
            year,
            max_per_rule,
            explanations,
        } => cmd::bundle::run(&cmd::bundle::BundleConfig {
            schemas,
            inputs: paths,
            output,
            split,
            force,
            year,
            max_per_rule,
            explanations,
        }),
        Command::Init { dir, year } => cmd::assign::init(&schemas, &dir, year),
        Command::Assign { plan, output, year } => {
            cmd::assign::run(&schemas, plan.as_deref(), &output, year)
        }
        Command::Schemas => cmd::schemas::run(&schemas),
        Command::Rules {
            table,
            kind,
            format,
        } => cmd::rules::run(
            &schemas,
            &cmd::rules::RulesConfig {
                table,
                kind: kind.map(RuleKind::from),
                json: matches!(format, Format::Json),
            },
        ),
    };
    std::process::exit(code);
}
