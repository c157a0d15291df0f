//! Where rendered files go. [`Staging`] writes the site atomically: everything goes into a fresh
//! folder beside the output, which is swapped in only when the whole build succeeded, so a
//! failed build leaves the previous site byte for byte as it was. [`Memory`] keeps the files in
//! memory (for `check`, and for `serve`, which never writes into `public/`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::base::diag::{Diagnostic, Result};

/// A destination for the site's files, written from many threads at once.
pub trait Sink: Sync {
    /// Stores `bytes` at `rel`, a `/`-separated path inside the site.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Stores at `rel` what `fill` writes, streamed where the sink can (a 30 MB listing page
    /// then never sits in memory whole). An error from `fill` is returned as is.
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.write(rel, &filled(rel, fill, BUFFER)?)
    }

    /// Stores a copy of the file `from` at `rel`.
    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = fs::read(from).map_err(|e| Diagnostic::io("read", from, &e))?;
        self.write(rel, &bytes)
    }
}

/// The starting size of a buffer for a file of unknown size.
const BUFFER: usize = 16 * 1024;

/// What `fill` writes, in a buffer of `capacity` to start with.
fn filled(
    rel: &str,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    capacity: usize,
) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(capacity);
    fill(&mut buf).map_err(|e| Diagnostic::error(format!("cannot write `{rel}`: {e}")))?;
    Ok(buf)
}

/// Checks that `rel` is a relative path that stays inside the site.
fn check_rel(rel: &str) -> Result<&Path> {
    let rel_path = Path::new(rel);
    let inside = !rel.is_empty()
        && rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(rel_path)
    } else {
        Err(Diagnostic::error(format!(
            "refusing to write `{rel}`: it is not a path inside the output folder"
        ))
        .into())
    }
}

/// The site's files in memory, by path.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    /// Sizes files are expected to have, by path.
    sizes: HashMap<String, usize>,
}

impl Memory {
    /// An empty site.
    pub fn new() -> Memory {
        Memory::default()
    }

    /// An empty site whose files are expected to have about these sizes (on a rebuild, the
    /// previous ones): a big listing page is then written into one buffer of the right size
    /// rather than grown and copied a dozen times.
    pub fn expecting(sizes: HashMap<String, usize>) -> Memory {
        Memory {
            files: Mutex::default(),
            sizes,
        }
    }

    /// The files written, by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self, rel: &str, bytes: Vec<u8>) -> Result<()> {
        check_rel(rel)?;
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(rel.to_string(), bytes);
        Ok(())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.store(rel, bytes.to_vec())
    }

    /// Keeps the buffer `fill` wrote into (no copy: listing pages of big sites are tens of MB).
    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let expected = self.sizes.get(rel).map_or(BUFFER, |n| n + n / 8);
        self.store(rel, filled(rel, fill, expected)?)
    }
}

/// A build in progress: a temporary folder that becomes the output on [`Staging::commit`].
///
/// The output it replaces is moved aside (`.public.old-…`), not deleted at once: deleting a
/// 10,000-paper site is tens of thousands of system calls, and the next build removes it on a
/// background thread while it reads and renders (`examples/write_baseline`-style measurements
/// in README's Performance section).
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Folders already created, so that each is created once however many files it holds.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// Removes what earlier builds moved aside, while this one is made.
    cleanup: Option<std::thread::JoinHandle<()>>,
}

/// The prefix of an output moved aside by a commit: `.public.old-`.
fn aside_prefix(name: &str) -> String {
    format!(".{name}.old-")
}

/// Outputs earlier builds moved aside beside `parent/name` (`.name.old-*`).
fn moved_aside(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = aside_prefix(name);
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

impl Staging {
    /// Prepares a staging folder beside `target`. Fails early if `target` is a file or its
    /// parent is not writable.
    pub fn new(target: &Path) -> Result<Staging> {
        if target.is_file() {
            return Err(Diagnostic::error(format!(
                "the output path `{}` is a file, not a folder",
                target.display()
            ))
            .hint("remove or rename that file, or choose another folder with --output-dir")
            .into());
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Diagnostic::error(format!(
                    "`{}` cannot be the output folder",
                    target.display()
                ))
                .hint("choose a named folder such as `public`")
            })?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| Diagnostic::io("create the folder", &parent, &e))?;
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Diagnostic::io("clean up", &dir, &e))?;
        }
        fs::create_dir(&dir)
            .map_err(|e| Diagnostic::io("create a folder next to the output", &dir, &e))?;
        let aside = moved_aside(&parent, &name);
        let cleanup = (!aside.is_empty()).then(|| {
            std::thread::spawn(move || {
                for old in aside {
                    // Failing to delete an old copy is not a failed build: the next one retries.
                    let _ = remove_tree(&old);
                }
            })
        });
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            made: Mutex::default(),
            cleanup,
        })
    }

    /// The staging folder (for tests and for writers that need a path).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `rel` inside the staging folder, its parent folder created.
    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir.join(check_rel(rel)?);
        if let Some(parent) = path.parent() {
            let known = self
                .made
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(parent);
            if !known {
                fs::create_dir_all(parent)
                    .map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
                self.made
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(parent.to_path_buf());
            }
        }
        Ok(path)
    }

    /// Swaps the staging folder in as the output. The previous output is moved aside first
    /// (`.public.old-…`) and left for the next build to remove.
    pub fn commit(mut self) -> Result<()> {
        // What earlier builds moved aside is gone before this one moves the output aside.
        self.finish_cleanup();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self.dir.with_file_name(format!(
            "{}{}-{}",
            aside_prefix(&name),
            std::process::id(),
            COMMITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)
                .map_err(|e| Diagnostic::io("move the previous site aside", &self.target, &e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                // Put the previous site back; if even that fails, say where it is.
                if fs::rename(&old, &self.target).is_err() {
                    return Err(
                        Diagnostic::io("put the new site in place", &self.target, &e)
                            .hint(format!("the previous site is in `{}`", old.display()))
                            .into(),
                    );
                }
            }
            return Err(Diagnostic::io("put the new site in place", &self.target, &e).into());
        }
        self.committed = true;
        Ok(())
    }

    /// Waits for the removal of what earlier builds moved aside.
    fn finish_cleanup(&mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            let _ = cleanup.join();
        }
    }
}

/// Commits made by this process, to name each output moved aside apart (`build --watch`
/// commits many times).
static COMMITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Removes a folder and everything in it, subfolders in parallel (a site has thousands).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        // A symbolic link is removed, never followed.
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.prepare(rel)?;
        fs::write(&path, bytes).map_err(|e| Diagnostic::io("write", &path, &e).into())
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.prepare(rel)?;
        let file = fs::File::create(&path).map_err(|e| Diagnostic::io("write", &path, &e))?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Diagnostic::io("write", &path, &e).into())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.prepare(rel)?;
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Diagnostic::io("copy", from, &e).into())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        self.finish_cleanup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();

        let s = Staging::new(&target).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        drop(s);
        assert!(
            target.join("old.html").exists(),
            "a dropped build leaves the old site"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "and no staging folder"
        );

        let s = Staging::new(&target).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            fs::read_to_string(target.join("a/b/index.html")).unwrap(),
            "new"
        );
        let names = || -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let aside = names();
        assert_eq!(aside.len(), 2, "the old copy is moved aside: {aside:?}");
        assert!(aside[0].starts_with(".public.old-"), "{aside:?}");
        // The next build removes it while it runs.
        let s = Staging::new(&target).unwrap();
        s.write("index.html", b"newer").unwrap();
        s.commit().unwrap();
        let now = names();
        assert_eq!(now.len(), 2, "{now:?}");
        assert!(
            !now.contains(&aside[0]),
            "the earlier copy is gone: {now:?}"
        );
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "newer"
        );
    }

    #[test]
    fn refuses_paths_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::write(&target, "not a folder").unwrap();
        let e = Staging::new(&target).unwrap_err().to_string();
        assert!(e.contains("is a file, not a folder"), "{e}");
    }
}
