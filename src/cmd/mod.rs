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

use std::path::{Path, PathBuf};

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

/// The absolute form of a path that may not exist yet: its nearest existing ancestor with
/// links resolved, followed by the parts still to be created (`in/new/x.xlsx` is inside `in`
/// even before `new` exists).
pub fn absolute(p: &Path) -> PathBuf {
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = full.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(mut c) = std::fs::canonicalize(existing) {
            c.extend(rest.iter().rev());
            return c;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return full,
        }
    }
}

/// Refuses outputs that would overwrite an input file, or land inside an input folder (where
/// the next run would read them back as a department's file). The error says which, in
/// Chinese.
pub fn refuse_overwriting(
    inputs: &[PathBuf],
    files: &[PathBuf],
    targets: &[PathBuf],
) -> Result<(), String> {
    let targets: Vec<PathBuf> = targets.iter().map(|t| absolute(t)).collect();
    for f in files {
        if targets.contains(&absolute(f)) {
            return Err(format!(
                "输出文件 {} 也是输入文件之一，不能覆盖输入。请换一个输出文件名或位置",
                f.display()
            ));
        }
    }
    for input in inputs.iter().filter(|i| i.is_dir()) {
        let dir = absolute(input);
        if targets.iter().any(|t| t.starts_with(&dir)) {
            return Err(format!(
                "输出位置在输入文件夹 {} 之内，下次检查会把写出的文件当作部门文件读入。请把输出放在别的文件夹",
                input.display()
            ));
        }
    }
    Ok(())
}
