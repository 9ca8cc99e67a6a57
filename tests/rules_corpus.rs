//! The rules of edition 2025 on the real corpus (`../shared/corpus/school-2025`): what each
//! rule finds is pinned. Every count was examined (`tests/expected/school-2025.md`, section
//! "Rules") and recounted by an independent Python script over the same workbooks.

mod common;
use common::{check_paths, corpus};

use std::collections::{BTreeMap, BTreeSet};

use statedata::finding::{Code, Severity};

#[test]
fn every_rule_runs_on_the_corpus_and_finds_what_was_examined() {
    let (_, out) = check_paths(&[corpus()]);
    let mut got: BTreeMap<(String, String, Severity), usize> = BTreeMap::new();
    for f in out.findings.iter().filter(|f| f.rule.is_some()) {
        *got.entry((
            f.rule.clone().unwrap(),
            f.code.as_str().to_string(),
            f.severity,
        ))
        .or_insert(0) += 1;
    }
    let expected: BTreeMap<(String, String, Severity), usize> = [
        // 表6-1 says 4497 students, 表1-6 lists 4244: 1-6 lacks the newest cohort.
        ("AG-04-6-1", "aggregate-error", Severity::Warning, 1),
        // 1239 reported freshmen, no 1-6 student of 年级 2025 (same cause).
        ("AG-05-6-3-1", "aggregate-error", Severity::Warning, 1),
        ("AG-05-6-3-4", "aggregate-error", Severity::Warning, 23),
        // 本科专业总数 10 against 9 专业代码 / 25 校内专业; 新专业数量 3 against 5 marked 是.
        ("AG-06-4-1-1-1", "aggregate-error", Severity::Warning, 1),
        ("AG-06-4-1-1-2", "aggregate-error", Severity::Warning, 1),
        // 任教类型 无任教 yet teaching in 5-1-1; 专业课 yet teaching nothing.
        ("AG-08-1-5-2-a", "relation-error", Severity::Warning, 47),
        ("AG-08-1-5-2-b", "relation-error", Severity::Warning, 39),
        // 在职 教授/副教授 without an undergraduate course.
        ("AG-09-1-5-1", "relation-error", Severity::Warning, 13),
        // 在招 majors without 5-1-2 courses / without 1-6 students.
        ("AG-10-1-4-1-b", "reference-error", Severity::Warning, 5),
        ("AG-10-1-4-1-c", "reference-error", Severity::Warning, 3),
        // 4-1-2 was not handed in.
        ("AR-15-4-1-2", "rule-unchecked", Severity::Info, 1),
        // 000000 next to a real teacher's name instead of 网络教师.
        ("FM-13-5-1-1", "relation-error", Severity::Warning, 40),
        // An ISBN in scientific notation; an ISBN with a wrong check digit.
        ("FM-16-1", "relation-error", Severity::Warning, 1),
        ("FM-16-2", "relation-error", Severity::Warning, 1),
        // A 当年离职 person still in 3-2.
        ("PD-11-3-2", "period-error", Severity::Warning, 1),
        // Three 毕业论文 courses in 开课情况.
        ("PD-12-5-1-1", "period-error", Severity::Warning, 3),
        // Born 1948: 77 on the 时点; two 在职 staff over 65.
        ("PL-01-2", "period-error", Severity::Warning, 1),
        ("PL-02-1", "relation-error", Severity::Warning, 2),
        // SF-9 writes 思想道德修养与法律基础 where 5-1-1 has …和….
        ("RF-08-SF-9", "reference-error", Severity::Error, 11),
    ]
    .into_iter()
    .map(|(r, c, s, n)| ((r.to_string(), c.to_string(), s), n))
    .collect();
    assert_eq!(got, expected);
    assert!(
        !out.findings.iter().any(|f| f.code == Code::RuleFailed),
        "every rule computes on the corpus"
    );
}

#[test]
fn a_name_mismatch_names_the_registered_name_at_the_cell() {
    let (_, out) = check_paths(&[corpus()]);
    let f = out
        .findings
        .iter()
        .find(|f| f.rule.as_deref() == Some("RF-08-SF-9"))
        .unwrap();
    assert_eq!(
        f.location.sheet.as_deref(),
        Some("表SF-9 教师教育课程情况表")
    );
    assert!(
        f.message.contains("“思想道德修养和法律基础”"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("“思想道德修养与法律基础”"),
        "{}",
        f.message
    );
    assert_eq!(f.related.len(), 1, "the 5-1-1 row is named");
}

/// The ISBN in 科技处.xls D6 is the text `9.787563953387E12`: the number was once shown in
/// scientific notation and saved so; the clerk is told that, not "wrong check digit".
#[test]
fn an_isbn_in_scientific_notation_is_called_so() {
    let (_, out) = check_paths(&[corpus()]);
    let f: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule.as_deref() == Some("FM-16-1"))
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.cell.unwrap().a1(), "D6");
    assert!(f[0].message.contains("科学计数法"), "{}", f[0].message);
    let other = out
        .findings
        .iter()
        .find(|f| f.rule.as_deref() == Some("FM-16-2"))
        .unwrap();
    assert!(
        other.message.contains("位数或校验位不对"),
        "{}",
        other.message
    );
}

/// Ids of `rules.md` §1 (`| XX-NN |` rows of the tables).
fn rules_md_ids() -> BTreeSet<String> {
    let root = std::env::var("STATEDATA_SHARED").unwrap_or_else(|_| "../shared".to_string());
    let text = std::fs::read_to_string(format!("{root}/domain/rules.md")).unwrap();
    let start = text.find("## 1. Check rules").unwrap();
    let end = text.find("## 2. Common").unwrap();
    text[start..end]
        .lines()
        .filter_map(|l| {
            let id = l.strip_prefix("| ")?.split(' ').next()?;
            let ok = id.len() == 5
                && id.as_bytes()[2] == b'-'
                && id[..2].chars().all(|c| c.is_ascii_uppercase())
                && id[3..].chars().all(|c| c.is_ascii_digit());
            ok.then(|| id.to_string())
        })
        .collect()
}

/// Ids the README lists, with ranges `EN-01 … EN-11` expanded.
fn readme_ids() -> BTreeSet<String> {
    let text = std::fs::read_to_string("rules/2025/README.md").unwrap();
    let section = &text[text.find("## Ids of rules.md").unwrap()..];
    let mut out = BTreeSet::new();
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let first = line[2..].split(" |").next().unwrap();
        let ids: Vec<&str> = first.split([',', ' ']).filter(|s| s.len() == 5).collect();
        if first.contains('…') && ids.len() == 2 {
            let (p, a, b) = (
                &ids[0][..3],
                ids[0][3..].parse::<u32>().unwrap(),
                ids[1][3..].parse::<u32>().unwrap(),
            );
            for n in a..=b {
                out.insert(format!("{p}{n:02}"));
            }
        } else {
            out.extend(ids.into_iter().map(str::to_string));
        }
    }
    out
}

#[test]
fn every_rules_md_id_is_ported_or_listed() {
    let edition = statedata::schema::load_embedded("2025").unwrap();
    let rules = statedata::rules::load_embedded(&edition).unwrap();
    let sources: BTreeSet<String> = rules.rules.iter().map(|r| r.source.clone()).collect();
    let all = rules_md_ids();
    assert_eq!(all.len(), 117, "rules.md counts 117 rules");
    let listed = readme_ids();
    for id in &all {
        assert!(
            sources.contains(id) || listed.contains(id),
            "{id} is neither a rule's source nor listed in rules/2025/README.md"
        );
        assert!(
            !(sources.contains(id) && listed.contains(id)),
            "{id} is both ported and listed as not ported"
        );
    }
    for s in &sources {
        assert!(all.contains(s), "source {s} is not an id of rules.md §1");
    }
    assert!(rules.rules.len() > 100, "{} rules", rules.rules.len());
}
