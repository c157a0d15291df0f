//! Stage timings for profiling: with `SCHOLARSITE_TIMINGS=1` in the environment, each stage of
//! a build prints how long it took (to stderr). Off by default, and nearly free when off.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SCHOLARSITE_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch that reports laps when timings are enabled.
pub struct Stopwatch {
    start: Instant,
    last: Instant,
}

impl Stopwatch {
    /// Starts timing.
    pub fn start() -> Stopwatch {
        let now = Instant::now();
        Stopwatch {
            start: now,
            last: now,
        }
    }

    /// Reports the time since the previous lap as `stage`.
    pub fn lap(&mut self, stage: &str) {
        if enabled() {
            let now = Instant::now();
            eprintln!(
                "timing: {stage:<18} {:>8.1} ms  (total {:>8.1} ms){}",
                (now - self.last).as_secs_f64() * 1000.0,
                (now - self.start).as_secs_f64() * 1000.0,
                memory()
            );
            self.last = now;
        }
    }
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
