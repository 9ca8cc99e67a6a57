//! Benchmark: the rule pass on the real corpus against reading it.
//!
//! `cargo bench --bench rules` reads `../shared/corpus/school-2025` (or below
//! `STATEDATA_SHARED`) several times and prints the median time of each stage — reading the
//! workbooks, the schemas' cell checks, the cross-cell rules — and the ratio rules / reading.
//! The target (issue 5): the rule pass takes less time than reading.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use statedata::check::{check, Options};
use statedata::read::{expand_inputs, read_submission};
use statedata::rules;
use statedata::schema::load_embedded;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let shared = std::env::var("STATEDATA_SHARED").unwrap_or_else(|_| "../shared".to_string());
    let corpus = PathBuf::from(shared).join("corpus/school-2025");
    let edition = load_embedded("2025").expect("embedded edition");
    let ruleset = rules::load_embedded(&edition).expect("embedded rules");
    let files = expand_inputs(std::slice::from_ref(&corpus)).expect("corpus");
    assert!(!files.is_empty(), "no workbooks in {}", corpus.display());
    let runs = 7;
    let (mut read, mut cells, mut rule) = (Vec::new(), Vec::new(), Vec::new());
    let mut findings = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let sub = read_submission(&edition, &files);
        read.push(t.elapsed());
        let t = Instant::now();
        let mut outcome = check(&edition, sub, &Options::year(2025));
        cells.push(t.elapsed());
        let before = outcome.findings.len();
        let t = Instant::now();
        rules::apply(&ruleset, &edition, &mut outcome);
        rule.push(t.elapsed());
        findings = outcome.findings.len() - before;
    }
    let (read, cells, rule) = (median(read), median(cells), median(rule));
    println!(
        "corpus: {} files, {} rules, {} rule findings (median of {runs} runs)",
        files.len(),
        ruleset.rules.len(),
        findings
    );
    println!("  read        {:>9.1} ms", read.as_secs_f64() * 1e3);
    println!("  cell checks {:>9.1} ms", cells.as_secs_f64() * 1e3);
    println!("  rules       {:>9.1} ms", rule.as_secs_f64() * 1e3);
    let ratio = rule.as_secs_f64() / read.as_secs_f64();
    println!(
        "rules / read = {ratio:.3} ({})",
        if ratio < 1.0 {
            "target met: the rule pass is faster than reading"
        } else {
            "TARGET MISSED: the rule pass is slower than reading"
        }
    );
}
