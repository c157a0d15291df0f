//! Whose the output folder is: missing, empty, ours (marked and holding only what its
//! marker lists), an older output of ours, or somebody else's ([`judge`], [`judge_ahead`]).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::marker::{is_marked, read_marker};
use super::*;
use crate::base::diag::{Diagnostic, Result};

/// What the folder at the output path is to a build, just before the swap.
#[derive(Debug)]
pub enum Verdict {
    /// Nothing there yet.
    Missing,
    /// A folder the build may replace (empty, or ours), with what it holds, for removing it.
    Replaceable(Contents),
    /// A folder holding what scholarsite did not write.
    Foreign(Foreign),
}

/// Whose the folder at the output path is, as its top shows.
enum Owner {
    Missing,
    /// Carries our marker.
    Marked,
    /// No marker, but our generator tag in `index.html`: an output of an older scholarsite.
    Older,
    /// Neither: what its top holds.
    Unmarked(Contents),
}

/// What a folder of ours holds, found while judging it: removed by this list, so that a file
/// that was not there when it was judged is never removed.
#[derive(Debug, Default)]
pub struct Contents {
    /// Files (and links), relative.
    files: Vec<String>,
    /// Folders, relative.
    folders: Vec<String>,
    /// Entries that are not ours, for the message.
    pub(super) foreign: Vec<String>,
}

impl Contents {
    fn merge(mut self, mut other: Contents) -> Contents {
        self.files.append(&mut other.files);
        self.folders.append(&mut other.folders);
        self.foreign.append(&mut other.foreign);
        self
    }

    /// Marks `dir`, a folder of ours without a marker, listing what it holds: a build killed
    /// while removing it then leaves a folder the next build recognises.
    pub fn mark(&mut self, dir: &Path) -> io::Result<()> {
        if !self.files.iter().any(|f| f == MARKER) {
            write_marker(dir, &self.files)?;
            self.files.push(MARKER.to_string());
        }
        Ok(())
    }

    /// Removes the listed files and folders from `dir`, then `dir` itself (which fails, leaving
    /// the rest, if it holds anything else).
    pub fn remove_from(&self, dir: &Path) -> io::Result<()> {
        use rayon::prelude::*;
        self.files
            .par_iter()
            .try_for_each(|f| match fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            })?;
        // The deepest folders first, each depth in parallel.
        let mut folders: Vec<(usize, &String)> = self
            .folders
            .iter()
            .map(|f| (f.matches('/').count(), f))
            .collect();
        folders.sort_unstable_by_key(|f| std::cmp::Reverse(f.0));
        for depth in folders.chunk_by(|a, b| a.0 == b.0) {
            depth
                .par_iter()
                .try_for_each(|(_, f)| fs::remove_dir(dir.join(f)))?;
        }
        fs::remove_dir(dir)
    }
}

/// What a folder holds that scholarsite did not write.
#[derive(Debug)]
pub struct Foreign {
    pub(super) kind: ForeignKind,
    /// The first entries (`notes.txt`, `drafts/`).
    pub(super) first: Vec<String>,
    /// How many there are.
    pub(super) count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ForeignKind {
    /// No marker, not an output of ours: the entries at its top.
    Unmarked,
    /// Marked, with entries the last build did not write.
    Unlisted,
    /// An older output of ours, with entries this build does not write.
    NotWritten,
}

impl Foreign {
    /// The error that stops the build.
    pub fn error(&self, target: &Target) -> Diagnostic {
        let shown = target.shown.display();
        let n = self.count;
        let entries = if n == 1 { "entry" } else { "entries" };
        let why = match self.kind {
            ForeignKind::Unmarked => {
                format!("it is not an output folder of scholarsite, and holds {n} {entries}")
            }
            ForeignKind::Unlisted => format!("it holds {n} {entries} scholarsite did not write"),
            ForeignKind::NotWritten => format!(
                "it looks like the output of an older scholarsite, but holds {n} {entries} \
                 this build does not write"
            ),
        };
        let mut list: Vec<String> = self.first.iter().map(|e| format!("`{e}`")).collect();
        if n > self.first.len() {
            list.push(format!("and {} more", n - self.first.len()));
        }
        Diagnostic::error(format!(
            "refusing to replace `{shown}`: {why}: {}",
            list.join(", ")
        ))
        .hint(format!(
            "a build replaces its output folder as a whole. Move those files out (files to \
             publish belong in static/), build into another folder with --output-dir, or pass \
             --force to keep `{shown}` beside as `{shown}.old-<date>-<time>`, untouched"
        ))
    }

    /// The first few of `entries`, sorted, and how many.
    fn of(kind: ForeignKind, mut entries: Vec<String>) -> Foreign {
        entries.sort_unstable();
        let count = entries.len();
        entries.truncate(SHOWN_ENTRIES);
        Foreign {
            kind,
            first: entries,
            count,
        }
    }
}

/// Before the build: what stops it, reading only the top of the output folder. A folder that
/// is neither missing, empty, marked, nor an older output of ours is refused here, before
/// anything is written; the rest is decided by [`judge`] (or [`judge_ahead`]) before the swap.
pub fn before_build(target: &Target) -> Result<Option<Foreign>> {
    Ok(match owner(target)? {
        Owner::Unmarked(top) if !top.foreign.is_empty() => {
            Some(Foreign::of(ForeignKind::Unmarked, top.foreign))
        }
        _ => None,
    })
}

/// Just before the swap: whether the folder at `target` may be replaced, reading all of it. It
/// may if it is missing or empty, if it holds only what its marker lists, or (an older output
/// of ours without a marker) only files this build wrote (`written`).
pub fn judge(target: &Target, written: &[String]) -> Result<Verdict> {
    judge_as(target, owner(target)?, written)
}

/// [`judge`] of a folder whose owner is known.
fn judge_as(target: &Target, owner: Owner, written: &[String]) -> Result<Verdict> {
    let io_err = |e: io::Error| Diagnostic::io("read", &target.shown, &e);
    let (kind, allowed) = match owner {
        Owner::Missing => return Ok(Verdict::Missing),
        Owner::Unmarked(top) if top.foreign.is_empty() => return Ok(Verdict::Replaceable(top)),
        Owner::Unmarked(top) => {
            return Ok(Verdict::Foreign(Foreign::of(
                ForeignKind::Unmarked,
                top.foreign,
            )));
        }
        Owner::Marked => {
            let mut listed = read_marker(&target.path)
                .map_err(io_err)?
                .unwrap_or_default();
            listed.push(MARKER.to_string());
            (ForeignKind::Unlisted, listed)
        }
        Owner::Older => (ForeignKind::NotWritten, written.to_vec()),
    };
    let contents = ours(&target.path, &allowed).map_err(io_err)?;
    if contents.foreign.is_empty() {
        Ok(Verdict::Replaceable(contents))
    } else {
        Ok(Verdict::Foreign(Foreign::of(kind, contents.foreign)))
    }
}

/// A verdict on a folder carrying our marker, reached while the build renders (walking a
/// 10,000-paper output takes as long as rendering a tenth of its pages), with the state of the
/// marker it read. A file put into the folder after it was walked is not in its list, so it is
/// not removed: it stays in what is left of the previous site, with a warning.
#[derive(Debug)]
pub struct Ahead {
    verdict: Verdict,
    marker: Stamp,
}

/// What identifies a version of a marker file: a build writes a new one, under a new inode.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
}

fn marker_stamp(dir: &Path) -> Option<Stamp> {
    let m = fs::symlink_metadata(dir.join(MARKER)).ok()?;
    Some(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
        #[cfg(unix)]
        inode: std::os::unix::fs::MetadataExt::ino(&m),
    })
}

/// [`judge`] for a folder carrying our marker, ahead of the swap; `None` for any other folder
/// or on any error (both judged at the swap, where an older output needs the list of files
/// this build wrote, and errors are reported).
pub fn judge_ahead(target: &Target) -> Option<Ahead> {
    let before = marker_stamp(&target.path)?;
    let Ok(Owner::Marked) = owner(target) else {
        return None;
    };
    let verdict = judge_as(target, Owner::Marked, &[]).ok()?;
    (marker_stamp(&target.path).as_ref() == Some(&before)).then_some(Ahead {
        verdict,
        marker: before,
    })
}

/// The verdict `ahead` reached, if the marker it read is still there unchanged; else
/// [`judge`] now.
pub fn judge_again_unless(
    ahead: Option<Ahead>,
    target: &Target,
    written: &[String],
) -> Result<Verdict> {
    match ahead {
        Some(a) if marker_stamp(&target.path).as_ref() == Some(&a.marker) => Ok(a.verdict),
        _ => judge(target, written),
    }
}

/// Whose the folder at `target` is, from its top.
fn owner(target: &Target) -> Result<Owner> {
    let dir = &target.path;
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Owner::Missing),
        Err(e) => return Err(Diagnostic::io("read", &target.shown, &e).into()),
        Ok(m) if !m.is_dir() => {
            return Err(Diagnostic::error(format!(
                "the output path `{}` is a file, not a folder",
                target.shown.display()
            ))
            .hint("remove or rename that file, or choose another folder with --output-dir")
            .into());
        }
        Ok(_) => {}
    }
    if is_marked(dir) {
        return Ok(Owner::Marked);
    }
    if has_our_generator(dir) {
        return Ok(Owner::Older);
    }
    walk(dir, "", &Allowed::new(std::iter::empty()), false)
        .map(Owner::Unmarked)
        .map_err(|e| Diagnostic::io("read", &target.shown, &e).into())
}

/// What `dir` holds, sorted against the files `allowed`.
pub(super) fn ours(dir: &Path, allowed: &[String]) -> io::Result<Contents> {
    walk(
        dir,
        "",
        &Allowed::new(allowed.iter().map(String::as_str)),
        true,
    )
}

/// Whether an operating system put this file into a folder it showed.
fn is_clutter(name: &str) -> bool {
    matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini") || name.starts_with("._")
}

/// The files a build wrote, and the folders holding them.
struct Allowed<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
}

impl<'a> Allowed<'a> {
    fn new(files: impl Iterator<Item = &'a str>) -> Allowed<'a> {
        let files: HashSet<&str> = files.collect();
        let mut folders = HashSet::new();
        for f in &files {
            let mut rest = *f;
            while let Some(i) = rest.rfind('/') {
                rest = &rest[..i];
                if !folders.insert(rest) {
                    break;
                }
            }
        }
        Allowed { files, folders }
    }
}

/// What the folder `root/rel` holds, sorted into ours and not ours (folders in parallel). A
/// folder that is not ours is named once (`drafts/`), not entered; `deep`: enter folders of
/// ours at all (else only the top is read).
fn walk(root: &Path, rel: &str, allowed: &Allowed, deep: bool) -> io::Result<Contents> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(root.join(rel))?.collect::<io::Result<_>>()?;
    entries
        .par_iter()
        .map(|entry| -> io::Result<Contents> {
            // A name that is not UTF-8 is never one a build wrote.
            let (name, utf8) = match entry.file_name().into_string() {
                Ok(name) => (name, true),
                Err(name) => (name.to_string_lossy().into_owned(), false),
            };
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let folder = entry.file_type()?.is_dir();
            let mut out = Contents::default();
            if !utf8 {
                out.foreign.push(path);
            } else if folder && allowed.folders.contains(path.as_str()) {
                if deep {
                    out = walk(root, &path, allowed, deep)?;
                }
                out.folders.push(path);
            } else if folder {
                out.foreign.push(format!("{path}/"));
            } else if is_clutter(&name) || allowed.files.contains(path.as_str()) {
                out.files.push(path);
            } else {
                out.foreign.push(path);
            }
            Ok(out)
        })
        .try_reduce(Contents::default, |a, b| Ok(a.merge(b)))
}

/// Whether `dir/index.html` carries the generator tag our themes write.
fn has_our_generator(dir: &Path) -> bool {
    let mut head = Vec::new();
    fs::File::open(dir.join("index.html"))
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .is_ok()
        && String::from_utf8_lossy(&head)
            .contains("<meta name=\"generator\" content=\"scholarsite ")
}
