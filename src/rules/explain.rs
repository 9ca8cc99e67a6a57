//! Accepted warnings: the office's explanations file (`explanations.toml`) turns a matching
//! warning into an accepted one, with its 说明. Explanations that match no warning are reported,
//! so that stale ones get removed.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::Ruleset;
use crate::finding::{Code, Finding, Location, Severity};
use crate::value::comparable;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The rule id the explanation is for.
    pub rule: String,
    /// Only findings in this table (`6-1`; `表6-1` is read as `6-1`).
    pub table: Option<String>,
    /// Only the row with this key (a number is read as its digits).
    #[serde(default, deserialize_with = "text_or_number")]
    pub key: Option<String>,
    /// The office's explanation.
    #[serde(rename = "说明")]
    pub note: String,
}

/// A key written as a number (`key = 2015001`) is the same key as text.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Key {
        Text(String),
        Int(i64),
    }
    Ok(Option::<Key>::deserialize(d)?.map(|k| match k {
        Key::Text(s) => s,
        Key::Int(n) => n.to_string(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplanationsFile {
    #[serde(default)]
    explanation: Vec<Explanation>,
}

/// The explanations of a run and the file they came from.
#[derive(Debug, Clone, Default)]
pub struct Explanations {
    pub file: String,
    pub items: Vec<Explanation>,
}

impl Explanations {
    /// Reads an explanations file; the error says what is wrong in Chinese for the office.
    pub fn load(path: &Path) -> Result<Explanations, String> {
        let file = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("说明文件 {file} 无法读取：{e}"))?;
        Explanations::parse(&file, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Explanations, String> {
        // TOML wants non-ASCII keys in quotes; the office will write `说明 = "…"` as in the
        // documentation's examples, so that key is quoted here.
        let text: String = text
            .lines()
            .map(|l| {
                let t = l.trim_start();
                match t.strip_prefix("说明") {
                    Some(rest) if rest.trim_start().starts_with('=') => format!("\"说明\"{rest}"),
                    _ => l.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut parsed: ExplanationsFile = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .map(|n| format!("第 {n} 行"))
                .unwrap_or_default();
            format!(
                "说明文件 {file} {line}格式有误（{}）。每条说明写成：[[explanation]]、rule = \"规则编号\"、可选的 table = \"表号\" 和 key = \"键\"、说明 = \"理由\"；文字都要用英文双引号 \" 括起来，等号用半角 =",
                e.message()
            )
        })?;
        for e in &mut parsed.explanation {
            if let Some(t) = &mut e.table {
                *t = t.trim().trim_start_matches('表').trim().to_string();
            }
        }
        for (i, e) in parsed.explanation.iter().enumerate() {
            if e.note.trim().is_empty() {
                return Err(format!(
                    "说明文件 {file} 第 {} 条说明（规则 {}）的“说明”是空的：接受一条警告必须写明理由",
                    i + 1,
                    e.rule
                ));
            }
        }
        Ok(Explanations {
            file: file.to_string(),
            items: parsed.explanation,
        })
    }

    /// Marks the warnings each explanation matches as accepted; reports explanations that
    /// match no warning.
    /// `present` holds the tables read in this run: an explanation whose rule needs a table
    /// that did not arrive is kept for a later run, not called stale.
    pub fn apply(
        &self,
        rules: Option<&Ruleset>,
        present: &BTreeSet<String>,
        findings: &mut Vec<Finding>,
    ) {
        let mut unused = Vec::new();
        for (i, e) in self.items.iter().enumerate() {
            let mut warnings = 0;
            let mut errors = 0;
            for f in findings.iter_mut() {
                if !matches(e, f) {
                    continue;
                }
                match f.severity {
                    Severity::Warning => {
                        f.accepted = Some(e.note.clone());
                        warnings += 1;
                    }
                    Severity::Error => errors += 1,
                    Severity::Info => {}
                }
            }
            if warnings > 0 {
                continue;
            }
            let which = describe(i, e);
            let unchecked = findings.iter().any(|f| {
                f.code == Code::RuleUnchecked && f.rule.as_deref() == Some(e.rule.as_str())
            });
            let absent: Vec<String> = rules
                .and_then(|r| r.rule(&e.rule))
                .map(|r| r.tables())
                .unwrap_or_default()
                .into_iter()
                .filter(|t| !present.contains(t))
                .map(|t| format!("表{t}"))
                .collect();
            if unchecked || !absent.is_empty() {
                let missing = if absent.is_empty() {
                    "缺少需要的表".to_string()
                } else {
                    format!("本次没有收到{}", absent.join("、"))
                };
                unused.push(
                    Finding::new(
                        Code::UnusedExplanation,
                        Severity::Info,
                        Location::file(&self.file),
                        format!("{which}：规则 {} 本次没有检查（{missing}），这条说明暂时用不上，请保留", e.rule),
                    )
                    .rule(&e.rule),
                );
                continue;
            }
            let rule = rules.and_then(|r| r.rule(&e.rule));
            // A key written as a number loses its leading zeros (`key = 523397` for 000523397).
            let lost_zeros = e.key.as_ref().and_then(|k| {
                findings.iter().find_map(|f| {
                    let fk = f.key.as_ref()?;
                    let same_rule = f.rule.as_deref() == Some(e.rule.as_str());
                    (same_rule && fk.len() > k.len() && fk.trim_start_matches('0') == k)
                        .then(|| fk.clone())
                })
            });
            let why = if let Some(full) = lost_zeros {
                format!("没有对应的警告：键 {} 可能少了前面的 0，有一条警告的键是 {full}。请写成 key = \"{full}\"（加英文双引号，0 就不会丢）", e.key.as_deref().unwrap_or(""))
            } else if let (Some(r), Some(t)) = (rule, &e.table) {
                if &r.table != t {
                    format!(
                        "：规则 {} 的警告都在表{}，这条说明写的是表{t}，请改正表号",
                        e.rule, r.table
                    )
                } else {
                    stale(errors)
                }
            } else if errors == 0 && rules.is_some() && rule.is_none() {
                format!(
                    "没有编号为 {} 的规则，请核对规则编号（statedata rules 可列出全部规则）",
                    e.rule
                )
            } else {
                stale(errors)
            };
            let mut f = Finding::new(
                Code::UnusedExplanation,
                Severity::Warning,
                Location::file(&self.file),
                format!("{which}{why}"),
            )
            .rule(&e.rule);
            if let Some(t) = &e.table {
                f = f.table(t);
            }
            if let Some(k) = &e.key {
                f = f.key(k.clone());
            }
            unused.push(f);
        }
        findings.extend(unused);
    }
}

/// Why an explanation of a known rule and table matched no warning.
fn stale(errors: usize) -> String {
    if errors > 0 {
        format!("对应的是 {errors} 个错误。错误不能用说明接受，必须改正数据；请删除这条说明")
    } else {
        "没有对应的警告（数据可能已经改正），请删除这条说明".to_string()
    }
}

fn matches(e: &Explanation, f: &Finding) -> bool {
    // Only what a rule found in the data: not a rule that failed or was not judged.
    let data = !matches!(
        f.code,
        Code::RuleFailed | Code::RuleUnchecked | Code::UnusedExplanation
    );
    data && f.rule.as_deref() == Some(e.rule.as_str())
        && e.table.as_ref().is_none_or(|t| f.table.as_ref() == Some(t))
        && e.key.as_ref().is_none_or(|k| {
            f.key
                .as_ref()
                .is_some_and(|fk| comparable(fk) == comparable(k))
        })
}

fn describe(i: usize, e: &Explanation) -> String {
    let mut s = format!("第 {} 条说明（规则 {}", i + 1, e.rule);
    if let Some(t) = &e.table {
        s.push_str(&format!("，表{t}"));
    }
    if let Some(k) = &e.key {
        s.push_str(&format!("，{k}"));
    }
    s.push('）');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(rule: &str, key: &str) -> Finding {
        Finding::new(
            Code::AggregateError,
            Severity::Warning,
            Location::default(),
            "m".into(),
        )
        .table("6-1")
        .rule(rule)
        .key(key)
    }

    #[test]
    fn a_matching_warning_is_accepted_and_a_stale_explanation_reported() {
        let ex = Explanations::parse(
            "explanations.toml",
            r#"
[[explanation]]
rule = "AG-04"
key = "A1"
说明 = "已核对"

[[explanation]]
rule = "AG-04"
key = "gone"
说明 = "旧的"
"#,
        )
        .unwrap();
        let mut f = vec![warning("AG-04", "A1"), warning("AG-04", "B2")];
        ex.apply(None, &BTreeSet::new(), &mut f);
        assert_eq!(f[0].accepted.as_deref(), Some("已核对"));
        assert_eq!(f[1].accepted, None);
        assert_eq!(f.len(), 3);
        assert_eq!(f[2].code, Code::UnusedExplanation);
        assert!(f[2].message.starts_with("第 2 条说明（规则 AG-04，gone）"));
    }

    #[test]
    fn errors_are_never_accepted() {
        let ex = Explanations::parse("e.toml", "[[explanation]]\nrule = \"X\"\n说明 = \"理由\"\n")
            .unwrap();
        let mut f = vec![warning("X", "k")];
        f[0].severity = Severity::Error;
        ex.apply(None, &BTreeSet::new(), &mut f);
        assert_eq!(f[0].accepted, None);
        assert!(
            f[1].message.contains("错误不能用说明接受"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn a_rule_failure_is_not_accepted_and_keys_are_read_as_written() {
        let ex = Explanations::parse(
            "e.toml",
            "[[explanation]]\nrule = \"X\"\ntable = \"表6-1\"\nkey = 2015001\n说明 = \"理由\"\n",
        )
        .unwrap();
        assert_eq!(ex.items[0].table.as_deref(), Some("6-1"));
        assert_eq!(ex.items[0].key.as_deref(), Some("2015001"));
        let mut failed = warning("X", "2015001");
        failed.code = Code::RuleFailed;
        let mut f = vec![failed, warning("X", "2015001")];
        ex.apply(None, &BTreeSet::new(), &mut f);
        assert_eq!(f[0].accepted, None, "a rule's own failure stays open");
        assert_eq!(f[1].accepted.as_deref(), Some("理由"));
    }

    #[test]
    fn a_key_that_lost_its_zeros_is_pointed_out() {
        let ex = Explanations::parse(
            "e.toml",
            "[[explanation]]\nrule = \"X\"\nkey = 523397\n说明 = \"延迟退休\"\n",
        )
        .unwrap();
        let mut f = vec![warning("X", "000523397")];
        ex.apply(None, &BTreeSet::new(), &mut f);
        assert_eq!(f[0].accepted, None);
        assert_eq!(
            f[1].message,
            "第 1 条说明（规则 X，523397）没有对应的警告：键 523397 可能少了前面的 0，有一条警告的键是 000523397。请写成 key = \"000523397\"（加英文双引号，0 就不会丢）"
        );
    }

    #[test]
    fn a_mistyped_file_is_explained_in_chinese() {
        let e = Explanations::parse("e.toml", "[[explanation]]\nrule = \"X\"\n说明 = “休学”\n")
            .unwrap_err();
        assert!(e.contains("第 3 行") && e.contains("英文双引号"), "{e}");
    }

    #[test]
    fn an_empty_explanation_is_refused() {
        let e = Explanations::parse("e.toml", "[[explanation]]\nrule = \"X\"\n说明 = \" \"\n")
            .unwrap_err();
        assert!(e.contains("第 1 条"), "{e}");
    }
}
