//! Running the real binary and measuring it: wall time and peak resident memory.
//!
//! Peak memory is taken two ways. The kernel's rusage of the child (`wait4`) is exact but has
//! a floor: Linux carries the high-water mark over `fork` and `exec`, so it is at least the
//! test process's own size at the time it started the child (some 40–70 MiB). The child's
//! `VmHWM` (its own high-water mark since `exec`), polled while it runs, has no floor but may
//! miss the last milliseconds. The limit is asserted on the first, the table shows both.

use std::ffi::OsStr;
use std::fs::File;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A run is killed after this long, so that a hang fails the test instead of stalling it.
const KILL_AFTER: Duration = Duration::from_secs(60);
/// Address space a run may reserve: past it allocations fail (and the run aborts) rather
/// than the machine swapping. Well above the 1 GiB of resident memory asserted.
const ADDRESS_SPACE: u64 = 6 << 30;

pub struct Run {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub seconds: f64,
    /// ru_maxrss of the child (an upper bound: see the module comment).
    pub maxrss_mib: f64,
    /// The highest `VmHWM` seen while the child ran.
    pub hwm_mib: f64,
    pub timed_out: bool,
}

impl Run {
    /// The exit code, or how the process ended otherwise.
    pub fn ending(&self) -> String {
        match (self.status.code(), self.status.signal()) {
            _ if self.timed_out => format!("killed after {} s", KILL_AFTER.as_secs()),
            (Some(c), _) => format!("exit {c}"),
            (None, Some(s)) => format!("signal {s}"),
            _ => "unknown".to_string(),
        }
    }
}

/// Runs `statedata` with `args`, its output going to files in `scratch`.
pub fn run_statedata<S: AsRef<OsStr>>(args: &[S], scratch: &Path) -> Run {
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_statedata"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap());
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("statedata starts");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    let mut hwm_kib = 0u64;
    loop {
        hwm_kib = hwm_kib.max(vm_hwm_kib(pid).unwrap_or(0));
        // SAFETY: pid is our own child, not yet reaped (std never waits for it here).
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if start.elapsed() > KILL_AFTER && !timed_out {
            timed_out = true;
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let seconds = start.elapsed().as_secs_f64();
    drop(child);
    Run {
        status: ExitStatus::from_raw(status),
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        seconds,
        // Linux reports ru_maxrss in KiB.
        maxrss_mib: usage.ru_maxrss as f64 / 1024.0,
        hwm_mib: hwm_kib as f64 / 1024.0,
        timed_out,
    }
}

/// The `VmHWM` line of `/proc/<pid>/status`, in KiB (None once the process is a zombie).
fn vm_hwm_kib(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
