//! What the benchmarks share: a temporary instance of the real `spot` binary (init, bots, serve), and a
//! process's CPU time and memory from `/proc`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The server binary: this build's, or `BENCH_SPOT_BINARY` (to measure another build with the same load
/// generator).
pub fn spot_binary() -> std::ffi::OsString {
    std::env::var_os("BENCH_SPOT_BINARY").unwrap_or_else(|| env!("CARGO_BIN_EXE_spot").into())
}

/// Runs a `spot` command on `config`; its output, trimmed.
pub fn spot(config: &Path, args: &[&str]) -> String {
    let out = Command::new(spot_binary())
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `spot init` in a temporary directory, listening on a free loopback port, with `extra` appended to the
/// configuration; (the directory, the configuration file).
pub fn init(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("spot.toml");
    let password = dir.path().join("pw");
    std::fs::write(&password, "benchmark password\n").unwrap();
    let password = password.to_str().unwrap();
    spot(
        &config,
        &["init", "--listen", "127.0.0.1:0", "--admin-password-file", password],
    );
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(extra);
    std::fs::write(&config, text).unwrap();
    (dir, config)
}

/// A running `spot serve`, killed when dropped.
pub struct Process {
    pub child: Child,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `spot serve` on `config` — pinned to CPU 0, and this process to CPU 1, with `pin` (`taskset`) — with
/// its standard error as asked; the process and the URL it listens on.
pub fn serve(config: &Path, pin: bool, stderr: Stdio) -> (Process, String) {
    let mut command = if pin {
        let mut taskset = Command::new("taskset");
        taskset.args(["-c", "0"]).arg(spot_binary());
        let pinned = Command::new("taskset")
            .args(["-a", "-p", "-c", "1", &std::process::id().to_string()])
            .output()
            .unwrap();
        assert!(pinned.status.success(), "taskset failed");
        taskset
    } else {
        Command::new(spot_binary())
    };
    let mut child = command
        .arg("--config")
        .arg(config)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().strip_prefix("spot is listening on ").unwrap().to_owned();
    (Process { child }, base)
}

/// (CPU seconds, RSS bytes) of a process.
pub fn usage(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (ticks / 100.0, rss_kb * 1024)
}

/// The number after `name` on the command line (`--rounds 5`), or `default`. (Not every bench takes one.)
#[allow(dead_code)]
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
