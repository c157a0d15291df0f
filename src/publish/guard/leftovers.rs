//! What builds leave beside the output: their locked staging folders, the old copy being
//! removed, and a folder `--force` kept aside.

use std::fs;
use std::path::{Path, PathBuf};

use super::judge::ours;
use super::marker::{is_marked, read_marker};
use super::*;
use crate::base::diag::{Diagnostic, Result};

/// Opens `dir` and locks it, for as long as the returned file is open: a build holds its
/// staging folder so that another build does not take it for a leftover. `None` when another
/// process holds it, or where folders cannot be locked.
pub fn hold(dir: &Path) -> Option<fs::File> {
    let file = fs::File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Removes what killed builds left beside `target`: staging folders (`.NAME.building-PID`,
/// marked or empty) and previous outputs being removed (`.NAME.removing-PID`, holding only what
/// their marker lists) that no running build holds. Returns what was removed; anything else
/// is left alone.
pub fn clean_leftovers(target: &Target) -> Vec<PathBuf> {
    let Some(parent) = target.path.parent() else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{}.", target.name());
    let pid = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let path = entry.path();
        let done = entry.file_type().is_ok_and(|t| t.is_dir())
            && if rest.strip_prefix("building-").is_some_and(pid) {
                remove_staging(&path)
            } else if rest.strip_prefix("removing-").is_some_and(pid) {
                remove_old(&path)
            } else {
                false
            };
        if done {
            removed.push(path);
        }
    }
    removed
}

/// Removes a staging folder that is ours (marked, or empty: killed before the marker was
/// written) and that no running build holds.
pub fn remove_staging(dir: &Path) -> bool {
    let ours = is_marked(dir) || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    let Some(lock) = ours.then(|| hold(dir)).flatten() else {
        return false;
    };
    let done = fs::remove_dir_all(dir).is_ok();
    drop(lock);
    done
}

/// Removes a previous output left while being removed, if it holds only what its marker lists
/// and no running build holds it.
fn remove_old(dir: &Path) -> bool {
    let Ok(Some(mut allowed)) = read_marker(dir) else {
        return false;
    };
    allowed.push(MARKER.to_string());
    let Some(lock) = hold(dir) else {
        return false;
    };
    let done =
        ours(dir, &allowed).is_ok_and(|c| c.foreign.is_empty() && c.remove_from(dir).is_ok());
    drop(lock);
    done
}

/// Refuses `--force` for a folder at the top of the file system (`/usr`, `/tmp`): moving one
/// aside, even kept, breaks the system.
pub fn may_keep_aside(target: &Target) -> Result<()> {
    if target.path.parent().is_some_and(|p| p.parent().is_none()) {
        return Err(Diagnostic::error(format!(
            "refusing to move `{}` aside: --force does not move a folder at the top of the file \
             system",
            target.shown.display()
        ))
        .hint("build into a folder of its own, such as `public` in the site folder")
        .into());
    }
    Ok(())
}

/// Where `--force` keeps a folder it would not replace: `DIR.old-<date>-<time>` (UTC) beside
/// it, with `-2`, `-3` … if that is taken.
pub fn kept_path(target: &Target) -> PathBuf {
    let (date, secs) = crate::base::date::utc_now();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let base = format!(
        "{}.old-{:04}{:02}{:02}-{h:02}{m:02}{s:02}",
        target.name(),
        date.year,
        date.month,
        date.day
    );
    let parent = target.path.parent().unwrap_or(Path::new("/"));
    let mut path = parent.join(&base);
    let mut n = 2;
    while fs::symlink_metadata(&path).is_ok() {
        path = parent.join(format!("{base}-{n}"));
        n += 1;
    }
    path
}

/// The warning for a folder `--force` kept.
pub fn kept_warning(target: &Target, kept: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` held files scholarsite did not write: it was kept, untouched, as `{}`, and the \
         new site is in `{}`",
        target.shown.display(),
        target.show(kept).display(),
        target.shown.display()
    ))
    .hint("delete the kept folder yourself once you have taken what you need from it")
}
