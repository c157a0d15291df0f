//! The output guard: which folder a build may replace. A build swaps its output folder in as a
//! whole, so before it writes anything it checks
//!
//! - **where** ([`locate`]): the output is never a source of the site, a folder holding one, or
//!   a folder inside one: not the site folder or any folder above it, not `content/`,
//!   `templates/`, `static/`, `themes/`, `seeds/`, or the folder of the profile or of a
//!   bibliography file (`[sources] files`), not the home folder.
//!   Symbolic links are resolved before deciding, and `--force` does not change any of this;
//! - **whose** ([`judge`]): a folder is replaced only when it is missing, empty, or ours: it
//!   carries the marker [`MARKER`], which lists every file the build that wrote it wrote, and
//!   holds nothing else; or it is the output of a scholarsite from before the marker (our
//!   generator tag in `index.html`, and no file that this build does not write), accepted once.
//!   Anything else stops the build, unless `--force`, which keeps the folder beside as
//!   `DIR.old-<date>-<time>`, untouched;
//! - **what a killed build left** ([`clean_leftovers`]): staging folders that no running build
//!   holds are removed.
//!
//! Files that operating systems drop into folders they show (`.DS_Store`, `Thumbs.db`,
//! `desktop.ini`, `._*`) are not counted as anyone's files.

mod judge;
mod leftovers;
mod locate;
mod marker;

use std::path::{Path, PathBuf};

pub use judge::{Ahead, Verdict, before_build, judge, judge_again_unless, judge_ahead};
pub use leftovers::{
    clean_leftovers, hold, kept_path, kept_warning, may_keep_aside, remove_staging,
};
pub use locate::locate;
pub use marker::write_marker;

/// The file at the top of every output folder: it marks the folder as written by scholarsite
/// and lists the files that build wrote.
pub const MARKER: &str = ".scholarsite";

/// The first word of the marker's first line.
const SIGNATURE: &str = "scholarsite ";

/// How many entries an error names before it says "and N more".
const SHOWN_ENTRIES: usize = 5;

/// An output folder that passed [`locate`].
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder, absolute, with symbolic links resolved: what is replaced.
    path: PathBuf,
    /// The folder as the user named it, for messages.
    shown: PathBuf,
    /// The folder beside which staging folders go, as shown in messages.
    beside: PathBuf,
}

impl Target {
    /// The folder, absolute, with symbolic links resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder as the user named it.
    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// `path` (in the output folder or beside it) as the user would name it.
    pub fn show(&self, path: &Path) -> PathBuf {
        if let Ok(rest) = path.strip_prefix(&self.path) {
            return self.shown.join(rest);
        }
        match self.path.parent().map(|p| path.strip_prefix(p)) {
            Some(Ok(rest)) => self.beside.join(rest),
            _ => path.to_path_buf(),
        }
    }

    /// A target at `path` as it is, without the checks of [`locate`] (for tests).
    #[cfg(test)]
    pub(crate) fn unchecked(path: &Path) -> Target {
        Target {
            path: path.to_path_buf(),
            shown: path.to_path_buf(),
            beside: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }

    /// The file name of the folder (`public`).
    fn name(&self) -> String {
        self.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// The name of a folder of ours beside the output: `.public.building-<pid>`.
    pub fn beside_name(&self, what: &str, pid: u32) -> PathBuf {
        let parent = self.path.parent().unwrap_or(Path::new("/"));
        parent.join(format!(".{}.{what}-{pid}", self.name()))
    }
}

#[cfg(test)]
mod tests;
