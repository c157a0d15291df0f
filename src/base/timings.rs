//! Stage timings for profiling: with `SCHOLARSITE_TIMINGS=1` in the environment, each stage of
//! a build prints how long it took (to stderr). Off by default, and nearly free when off.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SCHOLARSITE_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch that reports laps when timings are enabled: wall time, and CPU time of every
/// thread (what a machine shared with other work changes least), with the memory in use.
pub struct Stopwatch {
    start: Instant,
    last: Instant,
    cpu: std::time::Duration,
}

impl Stopwatch {
    /// Starts timing.
    pub fn start() -> Stopwatch {
        let now = Instant::now();
        Stopwatch {
            start: now,
            last: now,
            cpu: if enabled() { cpu() } else { Default::default() },
        }
    }

    /// Reports the time since the previous lap as `stage`.
    pub fn lap(&mut self, stage: &str) {
        if enabled() {
            let now = Instant::now();
            let cpu = cpu();
            eprintln!(
                "timing: {stage:<18} {:>8.1} ms  (total {:>8.1} ms)  CPU {:>8.1} ms{}",
                (now - self.last).as_secs_f64() * 1000.0,
                (now - self.start).as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu).as_secs_f64() * 1000.0,
                memory()
            );
            self.last = now;
            self.cpu = cpu;
        }
    }
}

/// CPU time of every thread of the process so far, where the system reports it (Linux).
fn cpu() -> std::time::Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return std::time::Duration::ZERO;
    };
    let ns: u64 = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    std::time::Duration::from_nanos(ns)
}

/// `  RSS 123 MiB (peak 456 MiB)` where the system reports it (Linux), else nothing.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!(
        "  RSS {} MiB (peak {} MiB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}
