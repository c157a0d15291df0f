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

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::settings::{CONFIG_FILE, Settings, key_location};

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

/// What the output folder is checked against, as a message names it.
struct Source {
    path: PathBuf,
    what: String,
    /// Whether an output inside it is refused too (a folder that is read or watched as a whole).
    whole: bool,
}

/// Checks where the site would be written (see the module documentation) and returns the
/// folder, symbolic links resolved.
pub fn locate(settings: &Settings) -> Result<Target> {
    // An empty path names the current folder.
    let shown = match &settings.output_dir {
        p if p.as_os_str().is_empty() => PathBuf::from("."),
        p => p.clone(),
    };
    // As written: for config.toml, without the site folder it is joined to.
    let written = if settings.output_dir_flag {
        shown.as_path()
    } else {
        shown.strip_prefix(&settings.root).unwrap_or(&shown)
    };
    if let Some(Component::Normal(first)) = written.components().next()
        && first.to_string_lossy().starts_with('~')
    {
        return Err(unexpanded_tilde(settings, &shown, &first.to_string_lossy()).into());
    }
    let path = resolve(&shown)?;
    let root = resolve(if settings.root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &settings.root
    })?;
    let home = std::env::home_dir()
        .filter(|h| h.is_absolute())
        .and_then(|h| fs::canonicalize(h).ok());
    let sources = sources(settings, &root, home);
    let conflict = sources
        .iter()
        .find(|s| path == s.path)
        .map(|s| format!("it is {}", s.what))
        .or_else(|| {
            sources
                .iter()
                .find(|s| s.whole && path.starts_with(&s.path))
                .map(|s| format!("it is inside {}", s.what))
        })
        .or_else(|| {
            sources
                .iter()
                .find(|s| s.path.starts_with(&path))
                .map(|s| format!("it contains {}", s.what))
        });
    if let Some(why) = conflict {
        return Err(refusal(settings, &shown, &why, Some(&path)).into());
    }
    let linked = fs::symlink_metadata(&shown).is_ok_and(|m| m.file_type().is_symlink());
    let beside = match shown.parent() {
        _ if linked => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };
    Ok(Target {
        path,
        shown,
        beside,
    })
}

/// The sources of the site and the folders above them, resolved.
fn sources(settings: &Settings, root: &Path, home: Option<PathBuf>) -> Vec<Source> {
    let mut out = vec![Source {
        path: root.to_path_buf(),
        what: "the site folder".to_string(),
        whole: false,
    }];
    if let Some(home) = home {
        out.push(Source {
            path: home,
            what: "your home folder".to_string(),
            whole: false,
        });
    }
    // A source that cannot be resolved (a link to nowhere) holds nothing: its path as written.
    let resolved = |p: &Path| resolve(p).ok().or_else(|| lexical(p)).unwrap_or_default();
    for name in ["content", "templates", "static", "themes", "seeds"] {
        out.push(Source {
            path: resolved(&root.join(name)),
            what: format!(
                "the site's {name} folder `{}`",
                settings.root.join(name).display()
            ),
            whole: true,
        });
    }
    // The profile and the bibliography files: a file beside config.toml (or above it) makes
    // that folder no more a source than it already is; a folder of its own is one.
    let files = settings
        .profile
        .iter()
        .map(|p| (&p.path, &p.shown, "the profile"))
        .chain(
            settings
                .sources
                .iter()
                .map(|b| (&b.path, &b.shown, "the bibliography")),
        );
    for (path, shown, what) in files {
        let file = resolved(path);
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let own_folder = !root.starts_with(&folder);
        out.push(Source {
            what: if own_folder {
                format!("the folder of {what} `{}`", shown.display())
            } else {
                format!("{what} `{}`", shown.display())
            },
            path: if own_folder { folder } else { file },
            whole: own_folder,
        });
    }
    out
}

/// The error for an output folder that is, holds or lies inside a source.
fn refusal(settings: &Settings, shown: &Path, why: &str, real: Option<&Path>) -> Diagnostic {
    let via = real
        .filter(|r| lexical(shown).is_some_and(|l| l != *r))
        .map_or(String::new(), |r| {
            format!(" (`{}` leads to `{}`)", shown.display(), r.display())
        });
    let d = Diagnostic::error(format!(
        "`{}` cannot be the output folder: {why}{via}",
        shown.display()
    ));
    let whole = "a build replaces its output folder as a whole";
    if settings.output_dir_flag {
        return d.hint(format!(
            "{whole}: pass --output-dir a folder of its own, such as `public`"
        ));
    }
    if let Some(at) = config_location(settings) {
        return d.at(at).hint(format!(
            "{whole}: set `output_dir` to a folder of its own, such as \"public\" (the default)"
        ));
    }
    let link = if fs::symlink_metadata(shown).is_ok_and(|m| m.file_type().is_symlink()) {
        format!(", or remove the link `{}`", shown.display())
    } else {
        String::new()
    };
    d.hint(format!(
        "{whole}: set `output_dir` in {} to a folder of its own{link}",
        settings.root.join(CONFIG_FILE).display()
    ))
}

/// The error for `~/site`: a shell expands `~`, scholarsite does not.
fn unexpanded_tilde(settings: &Settings, shown: &Path, first: &str) -> Diagnostic {
    let d = Diagnostic::error(format!(
        "`{}` cannot be the output folder: scholarsite does not expand `~`, so this would be a \
         folder named `{first}` in {}",
        shown.display(),
        if settings.output_dir_flag {
            "the current folder"
        } else {
            "the site folder"
        }
    ));
    match config_location(settings) {
        Some(at) => d
            .at(at)
            .hint("write the whole path in `output_dir`, such as \"/home/jane/site\""),
        None => d.hint(
            "write the whole path, such as /home/jane/site, or leave `~` outside quotes so \
             that the shell expands it",
        ),
    }
}

/// `path` made absolute and its `.` and `..` removed, without resolving links.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in std::env::current_dir().ok()?.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// `path` made absolute with every symbolic link resolved, also when its last folders do not
/// exist yet (`..` after a folder that does not exist goes back up, as it will once the folder
/// is made).
fn resolve(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir()
        .map_err(|e| Diagnostic::io("read the current folder", Path::new("."), &e))?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in cwd.join(path).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
                // Back up out of folders that do not exist, links count again.
                exists = exists || fs::symlink_metadata(&out).is_ok();
            }
            Component::Normal(name) => {
                out.push(name);
                if !exists {
                    continue;
                }
                match fs::symlink_metadata(&out) {
                    Ok(_) => {
                        out = fs::canonicalize(&out).map_err(|e| {
                            // Named as the user wrote it when it is the path itself.
                            let shown = match lexical(path) {
                                Some(l) if l == out => path,
                                _ => &out,
                            };
                            broken_link(&out, shown, &e)
                        })?;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(Diagnostic::io("read", &out, &e).into()),
                }
            }
        }
    }
    Ok(out)
}

/// The error for a symbolic link that leads nowhere (`shown`: the link as the user named it).
fn broken_link(link: &Path, shown: &Path, err: &io::Error) -> Diagnostic {
    match fs::read_link(link) {
        Ok(to) if err.kind() == io::ErrorKind::NotFound => Diagnostic::error(format!(
            "`{}` is a symbolic link to `{}`, which does not exist",
            shown.display(),
            to.display()
        ))
        .hint("create the folder it points to, or remove the link"),
        _ => Diagnostic::io("follow the link", shown, err),
    }
}

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
    foreign: Vec<String>,
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
    kind: ForeignKind,
    /// The first entries (`notes.txt`, `drafts/`).
    first: Vec<String>,
    /// How many there are.
    count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ForeignKind {
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
    let io_err = |e: io::Error| Diagnostic::io("read", &target.shown, &e);
    let (kind, allowed) = match owner(target)? {
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
    if !is_marked(&target.path) {
        return None;
    }
    let verdict = judge(target, &[]).ok()?;
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
fn ours(dir: &Path, allowed: &[String]) -> io::Result<Contents> {
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

/// The marker's text: the signature and version, what the folder is, and the files written.
pub fn marker_text(files: &[String]) -> String {
    let mut out = format!(
        "{SIGNATURE}{}\n\
         # This folder is a site built by scholarsite. Every build replaces it as a whole, and\n\
         # stops rather than delete a file it did not write: keep your own files in static/.\n\
         # The files this build wrote:\n",
        env!("CARGO_PKG_VERSION")
    );
    for f in files {
        out.push_str(&escape(f));
        out.push('\n');
    }
    out
}

/// Writes the marker into `dir`.
pub fn write_marker(dir: &Path, files: &[String]) -> io::Result<()> {
    fs::write(dir.join(MARKER), marker_text(files))
}

/// Whether `dir` carries a marker of ours (only its first line is read).
fn is_marked(dir: &Path) -> bool {
    let mut head = [0u8; SIGNATURE.len()];
    fs::File::open(dir.join(MARKER))
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == *SIGNATURE.as_bytes()
}

/// The files the marker in `dir` lists; `None` when there is no marker of ours.
fn read_marker(dir: &Path) -> io::Result<Option<Vec<String>>> {
    let text = match fs::read(dir.join(MARKER)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = text.lines();
    if !lines.next().is_some_and(|l| l.starts_with(SIGNATURE)) {
        return Ok(None);
    }
    Ok(Some(
        lines
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(unescape)
            .collect(),
    ))
}

/// A path as a line of the marker: `\`, line breaks and a leading `#` escaped.
fn escape(path: &str) -> String {
    let escaped = path
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r");
    match escaped.strip_prefix('#') {
        Some(rest) => format!("\\#{rest}"),
        None => escaped,
    }
}

/// The inverse of [`escape`].
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

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

/// The location of `output_dir` in config.toml, when the output folder was configured there.
fn config_location(settings: &Settings) -> Option<Location> {
    if settings.output_dir_flag {
        return None;
    }
    let config = settings.root.join(CONFIG_FILE);
    let text = fs::read_to_string(&config).ok()?;
    let loc = key_location(&config, &text, "output_dir");
    (loc.line > 0).then_some(loc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &Path) -> Target {
        Target {
            path: path.to_path_buf(),
            shown: PathBuf::from("public"),
            beside: PathBuf::from("."),
        }
    }

    fn foreign(v: Verdict) -> (ForeignKind, Vec<String>, usize) {
        match v {
            Verdict::Foreign(f) => (f.kind, f.first, f.count),
            other => panic!("not foreign: {other:?}"),
        }
    }

    #[test]
    fn marker_paths_round_trip() {
        let files: Vec<String> = ["a.html", "#x", "b\\c", "line\nbreak", "cr\r", "x/y/z.bib"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        write_marker(tmp.path(), &files).unwrap();
        assert_eq!(read_marker(tmp.path()).unwrap(), Some(files));
        fs::write(tmp.path().join(MARKER), "my own notes\n").unwrap();
        assert_eq!(read_marker(tmp.path()).unwrap(), None, "not our marker");
    }

    #[test]
    fn verdicts() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let t = target(&dir);
        let judged = |written: &[&str]| {
            let w: Vec<String> = written.iter().map(|s| s.to_string()).collect();
            judge(&t, &w).unwrap()
        };
        assert!(matches!(judged(&[]), Verdict::Missing));
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(".DS_Store"), "x").unwrap();
        assert!(matches!(judged(&[]), Verdict::Replaceable(_)));
        assert!(before_build(&t).unwrap().is_none());

        fs::create_dir_all(dir.join("papers/a")).unwrap();
        fs::write(dir.join("papers/a/index.html"), "a").unwrap();
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        fs::write(dir.join(MARKER), "not ours").unwrap();
        let f = before_build(&t).unwrap().expect("refused before the build");
        assert_eq!(f.kind, ForeignKind::Unmarked);
        assert_eq!(
            (f.first, f.count),
            (vec![MARKER.into(), "notes.txt".into(), "papers/".into()], 3),
            "a `.scholarsite` of someone else's is theirs"
        );

        write_marker(&dir, &["papers/a/index.html".to_string()]).unwrap();
        assert!(before_build(&t).unwrap().is_none(), "decided at the swap");
        let (kind, first, count) = foreign(judged(&["papers/a/index.html"]));
        assert_eq!(kind, ForeignKind::Unlisted);
        assert_eq!((first, count), (vec!["notes.txt".into()], 1));
        fs::remove_file(dir.join("notes.txt")).unwrap();
        fs::create_dir_all(dir.join("papers/b/deep")).unwrap();
        fs::write(dir.join("papers/b/deep/x"), "mine").unwrap();
        let (_, first, count) = foreign(judged(&[]));
        assert_eq!((first, count), (vec!["papers/b/".into()], 1), "named once");
        fs::remove_dir_all(dir.join("papers/b")).unwrap();
        let Verdict::Replaceable(contents) = judged(&[]) else {
            panic!("ours")
        };
        contents.remove_from(&dir).unwrap();
        assert!(!dir.exists(), "removed by its list");

        // An older output: our generator tag, no marker.
        fs::create_dir_all(dir.join("papers/a")).unwrap();
        fs::write(dir.join("papers/a/index.html"), "a").unwrap();
        fs::write(
            dir.join("index.html"),
            "<head><meta name=\"generator\" content=\"scholarsite 0.0.9\">",
        )
        .unwrap();
        assert!(before_build(&t).unwrap().is_none());
        assert!(matches!(
            judged(&["index.html", "papers/a/index.html"]),
            Verdict::Replaceable(_)
        ));
        let (kind, first, _) = foreign(judged(&["index.html"]));
        assert_eq!(kind, ForeignKind::NotWritten);
        assert_eq!(first, vec!["papers/"]);

        fs::remove_dir_all(&dir).unwrap();
        fs::write(&dir, "a file").unwrap();
        let e = judge(&t, &[]).unwrap_err().to_string();
        assert!(e.contains("is a file, not a folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_never_ours() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fs::create_dir(&dir).unwrap();
        write_marker(&dir, &[]).unwrap();
        let odd = std::ffi::OsStr::from_bytes(b"._\xff");
        if fs::write(dir.join(odd), "mine").is_err() {
            return; // a file system that refuses such names
        }
        let (_, first, count) = foreign(judge(&target(&dir), &[]).unwrap());
        assert_eq!((first, count), (vec!["._\u{FFFD}".to_string()], 1));
    }

    #[test]
    fn removing_by_list_leaves_what_was_not_judged() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        fs::create_dir_all(dir.join("a")).unwrap();
        fs::write(dir.join("a/x.html"), "x").unwrap();
        write_marker(&dir, &["a/x.html".to_string()]).unwrap();
        let Verdict::Replaceable(contents) = judge(&target(&dir), &[]).unwrap() else {
            panic!("ours")
        };
        fs::write(dir.join("a/late.txt"), "mine").unwrap();
        assert!(contents.remove_from(&dir).is_err());
        assert_eq!(fs::read_to_string(dir.join("a/late.txt")).unwrap(), "mine");
    }

    #[test]
    fn the_error_names_the_first_entries_and_counts() {
        let f = Foreign {
            kind: ForeignKind::Unmarked,
            first: (1..=5).map(|i| format!("f{i}.tex")).collect(),
            count: 12,
        };
        let e = f.error(&target(Path::new("/x/drafts"))).to_string();
        assert!(
            e.starts_with(
                "error: refusing to replace `public`: it is not an output folder of scholarsite, \
                 and holds 12 entries: `f1.tex`, `f2.tex`, `f3.tex`, `f4.tex`, `f5.tex`, and 7 more\n"
            ),
            "{e}"
        );
        assert!(e.contains("--force to keep `public` beside as `public.old-<date>-<time>`"));
    }

    #[test]
    fn resolving_follows_links_and_goes_back_up_from_new_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir(base.join("content")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("content", base.join("public")).unwrap();
            assert_eq!(resolve(&base.join("public")).unwrap(), base.join("content"));
            assert_eq!(
                resolve(&base.join("public/../x")).unwrap(),
                base.join("x"),
                "`..` after a link leaves the folder it leads to"
            );
            std::os::unix::fs::symlink("gone", base.join("dangling")).unwrap();
            let e = resolve(&base.join("dangling")).unwrap_err().to_string();
            assert!(
                e.contains("is a symbolic link to `gone`, which does not exist"),
                "{e}"
            );
        }
        assert_eq!(
            resolve(&base.join("new/deeper/../../content/")).unwrap(),
            base.join("content")
        );
        #[cfg(unix)]
        assert_eq!(
            resolve(&base.join("new/../public")).unwrap(),
            base.join("content"),
            "a link after a folder that does not exist"
        );
        assert_eq!(resolve(Path::new("/..")).unwrap(), PathBuf::from("/"));
    }

    #[test]
    fn leftovers_are_removed_only_when_ours_and_not_held() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        let t = target(&base.join("public"));
        let dead = base.join(".public.building-4000001");
        fs::create_dir(&dead).unwrap();
        write_marker(&dead, &[]).unwrap();
        fs::write(dead.join("index.html"), "half").unwrap();
        let held = base.join(".public.building-4000002");
        fs::create_dir(&held).unwrap();
        let lock = hold(&held).expect("lock");
        let foreign = base.join(".public.removing-4000003");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("mine.txt"), "mine").unwrap();
        let old = base.join(".public.removing-4000004");
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join("a/index.html"), "old").unwrap();
        write_marker(&old, &["a/index.html".to_string()]).unwrap();
        let kept = base.join("public.old-20260101-000000");
        fs::create_dir(&kept).unwrap();
        write_marker(&kept, &[]).unwrap();

        let mut removed = clean_leftovers(&t);
        removed.sort();
        assert_eq!(removed, vec![dead.clone(), old.clone()]);
        assert!(!dead.exists() && !old.exists());
        assert!(held.exists(), "held by a running build");
        assert!(foreign.join("mine.txt").exists(), "not ours");
        assert!(kept.exists(), "a kept folder is never removed");
        drop(lock);
        assert_eq!(clean_leftovers(&t), vec![held.clone()]);
    }

    #[test]
    fn force_leaves_folders_at_the_top_where_they_are() {
        let e = may_keep_aside(&target(Path::new("/usr")))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--force does not move a folder at the top"),
            "{e}"
        );
        assert!(may_keep_aside(&target(Path::new("/home/jane/drafts"))).is_ok());
    }

    #[test]
    fn kept_folders_get_a_free_name() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(&tmp.path().join("drafts"));
        let first = kept_path(&t);
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("drafts.old-"), "{name}");
        assert_eq!(name.len(), "drafts.old-20260101-000000".len(), "{name}");
        fs::create_dir(&first).unwrap();
        let second = kept_path(&t);
        assert_ne!(first, second);
    }
}
