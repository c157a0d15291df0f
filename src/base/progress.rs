//! A progress line on stderr for long builds: `Building… rendering pages: 12,345 files (3.1 s)`,
//! drawn only when stderr is a terminal and the build has taken more than a second, redrawn in
//! place, and erased when the build ends, so that logs and pipes never see it.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::text::group_digits;

/// How long a build runs before the line appears, unless `SCHOLARSITE_PROGRESS_AFTER_MS` says
/// otherwise.
const DEFAULT_DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// What the build is doing, shared with the thread that draws it.
#[derive(Debug, Default)]
struct State {
    stage: Mutex<&'static str>,
    files: AtomicUsize,
}

/// A build's progress: stages and files written are recorded from any thread; a drawing thread
/// shows them when stderr is a terminal. Recording is a store into an atomic, so a build with
/// the line off pays nothing to speak of.
#[derive(Debug)]
pub struct Progress {
    state: Arc<State>,
    drawer: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Progress that records but never draws (libraries, tests, `serve`).
    pub fn hidden() -> Progress {
        Progress {
            state: Arc::default(),
            drawer: None,
        }
    }

    /// Progress for `verb` (`Building`, `Checking`), drawn on stderr if it is a terminal once
    /// the work has taken a second (`SCHOLARSITE_PROGRESS_AFTER_MS` changes the delay).
    pub fn on_terminal(verb: &'static str) -> Progress {
        use std::io::IsTerminal as _;
        if !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let delay = std::env::var("SCHOLARSITE_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .map_or(DEFAULT_DELAY, Duration::from_millis);
        let state: Arc<State> = Arc::default();
        let (done, wait) = mpsc::channel();
        let shared = Arc::clone(&state);
        let handle = std::thread::spawn(move || draw(verb, &shared, delay, &wait));
        Progress {
            state,
            drawer: Some((done, handle)),
        }
    }

    /// The build has moved on to `stage` (`rendering papers`).
    pub fn stage(&self, stage: &'static str) {
        *self
            .state
            .stage
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = stage;
    }

    /// One more file was written.
    pub fn file_written(&self) {
        self.state.files.fetch_add(1, Ordering::Relaxed);
    }

    /// Files written so far.
    pub fn files(&self) -> usize {
        self.state.files.load(Ordering::Relaxed)
    }
}

impl Drop for Progress {
    /// Stops drawing and erases the line, before anything else is printed.
    fn drop(&mut self) {
        if let Some((done, handle)) = self.drawer.take() {
            let _ = done.send(());
            let _ = handle.join();
        }
    }
}

/// The drawing thread: waits out `delay` (returning early if the work ends first), then redraws
/// the line every tick until told to stop, and erases it.
fn draw(verb: &str, state: &State, delay: Duration, stop: &mpsc::Receiver<()>) {
    let start = Instant::now();
    loop {
        let left = delay.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match stop.recv_timeout(left) {
            Err(RecvTimeoutError::Timeout) => {}
            _ => return,
        }
    }
    let mut err = std::io::stderr();
    loop {
        let stage = *state.stage.lock().unwrap_or_else(PoisonError::into_inner);
        let line = line(
            verb,
            stage,
            state.files.load(Ordering::Relaxed),
            start.elapsed(),
        );
        // `\r` and "erase the line" redraw in place; a failed write is not worth a panic.
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        if !matches!(stop.recv_timeout(TICK), Err(RecvTimeoutError::Timeout)) {
            break;
        }
    }
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
}

/// `Building… rendering pages: 12,345 files (3.1 s)`.
fn line(verb: &str, stage: &str, files: usize, elapsed: Duration) -> String {
    let stage = if stage.is_empty() { "starting" } else { stage };
    let files = match files {
        0 => String::new(),
        1 => ": 1 file".to_string(),
        n => format!(": {} files", group_digits(n as u64, ",")),
    };
    format!("{verb}… {stage}{files} ({:.1} s)", elapsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_and_how_far() {
        let d = Duration::from_millis(3140);
        assert_eq!(
            line("Building", "rendering pages", 12_345, d),
            "Building… rendering pages: 12,345 files (3.1 s)"
        );
        assert_eq!(line("Checking", "", 0, d), "Checking… starting (3.1 s)");
        assert_eq!(line("Building", "x", 1, d), "Building… x: 1 file (3.1 s)");
    }

    #[test]
    fn hidden_progress_still_counts() {
        let p = Progress::hidden();
        p.stage("rendering pages");
        p.file_written();
        p.file_written();
        assert_eq!(p.files(), 2);
    }
}
