//! The subcommands: each takes a resolved configuration and returns the process exit code.
//!
//! Exit codes (documented in the README): 0 no error (warnings allowed), 1 errors found,
//! 2 could not run (bad arguments, bad schema, unreadable output path).

/// `print!` for the commands' output: a reader that stops early (`statedata check … | head`)
/// ends the output quietly instead of a panic, and the exit code still says what was found.
macro_rules! out {
    ($($t:tt)*) => { $crate::cmd::write_out(format_args!($($t)*), false) };
}

/// `println!` for the commands' output (see `out!`).
macro_rules! outln {
    ($($t:tt)*) => { $crate::cmd::write_out(format_args!($($t)*), true) };
}

pub mod assign;
pub mod bundle;
pub mod check;
pub mod rules;
pub mod schemas;

use std::path::PathBuf;

use crate::rules::{self as rule_files, RuleError, Ruleset};
use crate::schema::{load_dir, load_embedded, Edition, SchemaError};

/// Writes to standard output; a closed pipe is not an error, another failure is said once.
pub fn write_out(args: std::fmt::Arguments, newline: bool) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let written = o
        .write_fmt(args)
        .and_then(|_| if newline { o.write_all(b"\n") } else { Ok(()) })
        .and_then(|_| o.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("无法输出结果：{e}");
        }
    }
}

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_FAILED: i32 = 2;

/// Where the schemas come from: an embedded edition, or a folder given with `--schemas`.
#[derive(Debug, Clone)]
pub struct SchemaSource {
    pub dir: Option<PathBuf>,
    pub edition: String,
    /// A folder of rule files given with `--rules`, instead of the edition's embedded rules.
    pub rules: Option<PathBuf>,
}

impl SchemaSource {
    /// The embedded default edition with its embedded rules.
    pub fn embedded(edition: &str) -> SchemaSource {
        SchemaSource {
            dir: None,
            edition: edition.to_string(),
            rules: None,
        }
    }

    pub fn load(&self) -> Result<Edition, SchemaError> {
        match &self.dir {
            Some(d) => load_dir(d),
            None => load_embedded(&self.edition),
        }
    }

    pub fn load_rules(&self, edition: &Edition) -> Result<Ruleset, RuleError> {
        match &self.rules {
            Some(d) => rule_files::load_dir(d, edition),
            None => rule_files::load_embedded(edition).map_err(|mut e| {
                if let Some(dir) = &self.dir {
                    e.message = format!(
                        "{}. 内置的检查规则与 --schemas {} 中的表定义不一致：请把 rules/{} 复制一份、按改过的列名修改后用 --rules 指定，或把表定义中的列名改回",
                        e.message,
                        dir.display(),
                        edition.id
                    );
                }
                e
            }),
        }
    }
}

/// The width of the terminal on stdout, if it is one.
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        comfy_table::Table::new().width()
    } else {
        None
    }
}
