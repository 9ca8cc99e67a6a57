//! Safety of inputs and outputs: inputs are byte-identical after every command, and a command
//! killed while writing leaves either the whole output or none of it.

mod common;
use common::{corpus, statedata};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn inputs_are_byte_identical_after_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("收到的表格");
    copy_dir(&corpus(), &inputs.join("corpus"));
    copy_dir(Path::new("fixtures/school"), &inputs.join("fixtures"));
    let plan_dir = tmp.path().join("plan");
    let out = tmp.path().join("out");
    assert!(statedata()
        .args(["init", "--year", "2025"])
        .arg(&plan_dir)
        .output()
        .unwrap()
        .status
        .success());
    let plan = plan_dir.join("collection.toml");
    let explanations = tmp.path().join("explanations.toml");
    std::fs::write(
        &explanations,
        "[[explanation]]\nrule = \"AG-04-6-1\"\n说明 = \"已核对\"\n",
    )
    .unwrap();
    let before_inputs = snapshot(&inputs);
    let before_plan = std::fs::read(&plan).unwrap();
    let before_ex = std::fs::read(&explanations).unwrap();
    let p = |x: &Path| x.to_str().unwrap().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["check".into(), p(&inputs)],
        vec!["check".into(), p(&inputs), "--format".into(), "json".into()],
        vec!["check".into(), p(&inputs), "--plan".into(), p(&plan)],
        vec![
            "check".into(),
            p(&inputs),
            "--explanations".into(),
            p(&explanations),
        ],
        vec![
            "bundle".into(),
            p(&inputs),
            "--force".into(),
            "-o".into(),
            p(&out.join("上报.xlsx")),
            "--split".into(),
            p(&out.join("分表")),
            "--explanations".into(),
            p(&explanations),
        ],
        vec![
            "assign".into(),
            "--plan".into(),
            p(&plan),
            "-o".into(),
            p(&out.join("发给各部门")),
        ],
        vec![
            "check".into(),
            p(&inputs),
            "--annotate".into(),
            p(&out.join("批注")),
        ],
        vec!["rules".into()],
        vec!["schemas".into()],
    ];
    for args in &runs {
        let status = statedata().args(args).output().unwrap().status;
        assert!(
            matches!(status.code(), Some(0) | Some(1)),
            "{args:?} ran ({status})"
        );
        assert!(
            snapshot(&inputs) == before_inputs,
            "{args:?} changed an input workbook"
        );
        assert_eq!(std::fs::read(&plan).unwrap(), before_plan, "{args:?}");
        assert_eq!(std::fs::read(&explanations).unwrap(), before_ex, "{args:?}");
    }
    assert!(out.join("上报.xlsx").is_file());
    assert!(files_below(&out.join("批注")).len() >= 5);
}

/// Files statedata leaves beside its outputs while writing them.
fn is_part(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".statedata-") && n.ends_with(".part"))
}

/// A workbook is whole when it opens and has the sheets a bundle always has.
fn whole_bundle(p: &Path) -> bool {
    use calamine::Reader;
    match calamine::open_workbook_auto(p) {
        Ok(wb) => {
            let names = wb.sheet_names();
            names.first().map(String::as_str) == Some("目录")
                && names.last().map(String::as_str) == Some("来源")
        }
        Err(_) => false,
    }
}

#[test]
fn a_killed_bundle_leaves_the_whole_output_or_none() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = out_dir.join("上报.xlsx");
    let bin = env!("CARGO_BIN_EXE_statedata");
    // Kill at moments spread over reading, checking and writing (the whole run takes seconds).
    let mut outcomes = Vec::new();
    for ms in [30u64, 150, 400, 800, 1500, 2500, 4000] {
        let _ = std::fs::remove_file(&out);
        let mut child = Command::new(bin)
            .args(["bundle", "--force", "-o"])
            .arg(&out)
            .arg(corpus())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL: no destructor runs, no clean-up
        child.wait().unwrap();
        let exists = out.exists();
        if exists {
            assert!(
                whole_bundle(&out),
                "killed after {ms} ms: {} is half-written",
                out.display()
            );
        }
        // Whatever else is there is only statedata's temporary file.
        if out_dir.exists() {
            for e in std::fs::read_dir(&out_dir).unwrap() {
                let p = e.unwrap().path();
                assert!(
                    p == out || is_part(&p),
                    "killed after {ms} ms: stray {}",
                    p.display()
                );
            }
        }
        outcomes.push((ms, finished, exists));
    }
    // The next run completes and removes what a killed run left behind.
    let status = Command::new(bin)
        .args(["bundle", "--force", "-o"])
        .arg(&out)
        .arg(corpus())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "the corpus has errors; --force writes"
    );
    assert!(whole_bundle(&out));
    let left: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != &out)
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // At least one kill came before the output existed, so the test did interrupt a run.
    assert!(
        outcomes
            .iter()
            .any(|(_, finished, exists)| !finished && !exists),
        "{outcomes:?}"
    );
}

/// Every file below `dir`, with its path.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    if dir.exists() {
        snapshot(dir).into_keys().collect()
    } else {
        Vec::new()
    }
}

/// An xlsx statedata wrote is whole when it opens and has at least one sheet with a cell.
fn whole_workbook(p: &Path) -> bool {
    use calamine::Reader;
    match calamine::open_workbook_auto(p) {
        Ok(mut wb) => {
            let names = wb.sheet_names();
            !names.is_empty()
                && wb
                    .worksheet_range(&names[0])
                    .is_ok_and(|r| r.used_cells().next().is_some())
        }
        Err(_) => false,
    }
}

/// Kills a command that writes many files (`assign`, `bundle --split`) at moments spread over
/// its run: every workbook it left is whole (the others not yet written), nothing else is
/// there but statedata's temporary files, and the next run completes and cleans them up.
fn killed_many_files(args: &[String], out_dir: &Path, full_count: usize) {
    killed_at(
        args,
        out_dir,
        full_count,
        &[20, 60, 120, 250, 500, 900, 1500],
    );
}

/// As `killed_many_files`, killing after each of `moments` (milliseconds).
fn killed_at(args: &[String], out_dir: &Path, full_count: usize, moments: &[u64]) {
    let bin = env!("CARGO_BIN_EXE_statedata");
    let mut partial_seen = false;
    for &ms in moments {
        let _ = std::fs::remove_dir_all(out_dir);
        let mut child = Command::new(bin)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        child.wait().unwrap();
        let mut whole = 0;
        for p in files_below(out_dir) {
            if is_part(&p) {
                continue;
            }
            assert_eq!(
                p.extension().and_then(|e| e.to_str()),
                Some("xlsx"),
                "killed after {ms} ms: stray {}",
                p.display()
            );
            assert!(
                whole_workbook(&p),
                "killed after {ms} ms: {} is half-written",
                p.display()
            );
            whole += 1;
        }
        if whole < full_count {
            partial_seen = true;
        }
    }
    assert!(partial_seen, "no kill came before the run had finished");
    let status = Command::new(bin)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0) | Some(1)), "{status}");
    let files = files_below(out_dir);
    let parts: Vec<_> = files.iter().filter(|p| is_part(p)).collect();
    assert!(parts.is_empty(), "left behind: {parts:?}");
    assert_eq!(files.len(), full_count, "{files:?}");
    assert!(files.iter().all(|p| whole_workbook(p)));
}

#[test]
fn a_killed_assign_leaves_only_whole_workbooks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("发给各部门");
    let args: Vec<String> = vec![
        "assign".into(),
        "--year".into(),
        "2025".into(),
        "-o".into(),
        out.to_str().unwrap().into(),
    ];
    // A finished run writes the breakdown and, per department of the starting plan, a
    // 质量监控表 and a template: count the departments from a run that is not killed.
    let status = statedata().args(&args).output().unwrap().status;
    assert!(status.success(), "{status}");
    let departments = files_below(&out.join("templates")).len();
    assert!(departments >= 10, "{departments} departments");
    assert_eq!(files_below(&out.join("质量监控表")).len(), departments);
    killed_many_files(&args, &out, 1 + 2 * departments);
}

#[test]
fn a_killed_split_bundle_leaves_only_whole_workbooks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let split = out.join("分表");
    let args: Vec<String> = vec![
        "bundle".into(),
        "--force".into(),
        "-o".into(),
        out.join("上报.xlsx").to_str().unwrap().into(),
        "--split".into(),
        split.to_str().unwrap().into(),
        corpus().to_str().unwrap().into(),
    ];
    // The corpus has 85 tables with data: the bundle and one file per table.
    killed_many_files(&args, &out, 1 + 85);
}

#[test]
fn a_killed_annotating_check_leaves_only_whole_workbooks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("批注");
    let args: Vec<String> = vec![
        "check".into(),
        corpus().to_str().unwrap().into(),
        "--annotate".into(),
        out.to_str().unwrap().into(),
    ];
    // A run that is not killed: how many copies it writes, and how long it takes, so that
    // the kills fall over the whole run, reading and writing alike, on any machine.
    let started = std::time::Instant::now();
    let status = statedata().args(&args).output().unwrap().status;
    let whole_run = started.elapsed().as_millis() as u64;
    assert_eq!(status.code(), Some(1), "the corpus has errors");
    let copies = files_below(&out).len();
    assert!(copies >= 5, "{copies} copies");
    let moments: Vec<u64> = [5, 20, 40, 60, 75, 85, 92, 97]
        .iter()
        .map(|pct| whole_run * pct / 100)
        .collect();
    killed_at(&args, &out, copies, &moments);
}
