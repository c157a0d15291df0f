//! Watching the site's sources with notify: native events, or polling (`--poll`) where native
//! events do not arrive (network drives, some containers). An editor's burst of events for one
//! save (write to a temp file, rename, chmod) is gathered into one batch.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::base::diag::{Diagnostic, Result};
use crate::load::content::is_ignored_name;
use crate::load::settings::Settings;

/// How long the sources must stay quiet before a batch is handed over.
const QUIET: Duration = Duration::from_millis(30);
/// A batch is handed over after this long even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(500);
/// How often `--poll` scans.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Folders (relative to the site root) whose changes matter, watched recursively.
const WATCHED_DIRS: &[&str] = &["content", "templates", "static", "seeds"];

/// Watches a site's sources.
pub struct SourceWatcher {
    watcher: Box<dyn Watcher + Send>,
    rx: Receiver<PathBuf>,
    root: PathBuf,
    dirs: Vec<PathBuf>,
}

impl SourceWatcher {
    /// Starts watching `config.toml`, the profile, `content/`, `templates/`, `static/` and the
    /// theme's folder; `poll` scans instead of relying on native events.
    pub fn new(settings: &Settings, poll: bool) -> Result<SourceWatcher> {
        let (tx, rx) = channel();
        let handler = move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            let relevant = matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
            );
            if !relevant {
                return;
            }
            for path in event.paths {
                let ignored = path
                    .file_name()
                    .is_some_and(|n| is_ignored_name(&n.to_string_lossy()));
                if !ignored {
                    let _ = tx.send(path);
                }
            }
        };
        let watcher: Box<dyn Watcher + Send> = if poll {
            // notify compares modification times in whole seconds: comparing contents too
            // catches a save made within the same second as the previous scan.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(notify::PollWatcher::new(handler, config).map_err(watch_error)?)
        } else {
            Box::new(notify::recommended_watcher(handler).map_err(watch_error)?)
        };
        let root = if settings.root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            settings.root.clone()
        };
        let mut dirs: Vec<PathBuf> = WATCHED_DIRS.iter().map(|d| root.join(d)).collect();
        dirs.push(root.join("themes").join(&settings.theme));
        if let Some(p) = &settings.profile
            && let Some(parent) = p.path.parent()
            && !parent.as_os_str().is_empty()
        {
            dirs.push(parent.to_path_buf());
        }
        let mut w = SourceWatcher {
            watcher,
            rx,
            root,
            dirs,
        };
        w.watch(&w.root.clone(), RecursiveMode::NonRecursive)?;
        for dir in w.dirs.clone() {
            if dir.is_dir() {
                w.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<()> {
        self.watcher.watch(path, mode).map_err(|e| {
            Diagnostic::error(format!("cannot watch `{}`: {e}", path.display()))
                .hint("on a network drive or in a container, try --poll")
                .into()
        })
    }

    /// Blocks until sources change, then gathers the burst; returns the changed paths, or
    /// `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let first = self.rx.recv().ok()?;
        let mut batch = vec![first];
        let start = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(start.elapsed());
            match self.rx.recv_timeout(QUIET.min(left)) {
                Ok(path) => batch.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if left.is_zero() {
                break;
            }
        }
        batch.sort();
        batch.dedup();
        // A watched folder created after start (e.g. templates/) gets watched now.
        for dir in self.dirs.clone() {
            if batch
                .iter()
                .any(|p| p.ends_with(dir.file_name().unwrap_or_default()))
                && dir.is_dir()
            {
                let _ = self.watch(&dir, RecursiveMode::Recursive);
            }
        }
        Some(batch)
    }
}

fn watch_error(e: notify::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot watch the site's files: {e}"))
        .hint("on a network drive or in a container, try --poll")
}
