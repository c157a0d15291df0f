//! Where rendered files go. [`Staging`] writes the site atomically: everything goes into a fresh
//! folder beside the output, which is swapped in only when the whole build succeeded, so a
//! failed build leaves the previous site byte for byte as it was; which folder it may replace is
//! the output guard's decision (`guard/`). [`Memory`] keeps the files in
//! memory (for `check`, and for `serve`, which never writes into `public/`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::base::diag::{Diagnostic, Result};
use crate::publish::guard::{self, Target, Verdict};

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
    if rel == guard::MARKER {
        return Err(Diagnostic::error(format!(
            "refusing to write `{rel}`: scholarsite keeps its own list of the files it wrote there"
        ))
        .hint("rename the file: `.scholarsite` at the top of the site is reserved")
        .into());
    }
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

#[cfg(test)]
mod memory_tests {
    use super::*;

    /// A sink with only `write`: the trait's own `write_with` and `copy` go through it.
    struct Plain(Memory);

    impl Sink for Plain {
        fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
            self.0.write(rel, bytes)
        }
    }

    /// Writes three files through `sink`, one each way, and a path outside the site.
    fn write_each_way(sink: &dyn Sink, photo: &Path) {
        sink.write("index.html", b"<p>home</p>").unwrap();
        sink.write_with("papers/index.html", &mut |w| w.write_all(b"<p>list</p>"))
            .unwrap();
        sink.copy("photo.jpg", photo).unwrap();
        assert!(sink.write("../out.html", b"x").is_err());
        assert!(sink.write_with("", &mut |_| Ok(())).is_err());
    }

    #[test]
    fn memory_keeps_what_each_way_of_writing_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let photo = tmp.path().join("photo.jpg");
        fs::write(&photo, b"\xff\xd8jpeg").unwrap();
        let expected = BTreeMap::from([
            ("index.html".to_string(), b"<p>home</p>".to_vec()),
            ("papers/index.html".to_string(), b"<p>list</p>".to_vec()),
            ("photo.jpg".to_string(), b"\xff\xd8jpeg".to_vec()),
        ]);
        let memory = Memory::new();
        write_each_way(&memory, &photo);
        assert_eq!(memory.into_files(), expected);
        let plain = Plain(Memory::new());
        write_each_way(&plain, &photo);
        assert_eq!(plain.0.into_files(), expected);
        // A file that cannot be read is an error naming it.
        let e = Memory::new()
            .copy("x", &tmp.path().join("missing.jpg"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.jpg"), "{e}");
    }

    #[test]
    fn an_error_while_filling_is_the_files_error() {
        for sink in [&Memory::new() as &dyn Sink, &Plain(Memory::new())] {
            let e = sink
                .write_with("feed.xml", &mut |_| Err(std::io::Error::other("no space")))
                .unwrap_err()
                .to_string();
            assert!(e.contains("cannot write `feed.xml`: no space"), "{e}");
        }
    }

    /// A page is written into one buffer of the size it had last time and an eighth more
    /// (a listing of a big site is tens of MB: no growing and copying); 16 KiB when unknown.
    #[test]
    fn memory_writes_into_a_buffer_of_the_expected_size() {
        let memory = Memory::expecting(HashMap::from([("big.html".to_string(), 800)]));
        for rel in ["big.html", "new.html"] {
            memory.write_with(rel, &mut |w| w.write_all(b"x")).unwrap();
        }
        let files = memory.into_files();
        assert_eq!(files["big.html"].capacity(), 900);
        assert_eq!(files["new.html"].capacity(), 16 * 1024);
    }
}

/// A build in progress: a temporary folder beside the output that becomes the output on
/// [`Staging::commit`]. The output guard decides whether the folder may be replaced, both before
/// anything is written and again just before the swap.
#[derive(Debug)]
pub struct Staging {
    target: Target,
    dir: PathBuf,
    /// `--force`: keep a folder that is not ours beside, rather than stop.
    force: bool,
    committed: bool,
    /// Folders already created, so that each is created once however many files it holds.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// Every file written, for the marker.
    written: Mutex<Vec<String>>,
    /// The lock that tells other builds this folder is in use.
    _held: Option<fs::File>,
    /// The output folder's verdict, when [`Staging::judge_ahead`] reached it.
    ahead: Mutex<Option<guard::Ahead>>,
}

/// What [`Staging::commit`] did with the folder it replaced.
#[derive(Debug)]
pub struct Committed {
    /// Where `--force` kept a folder that was not ours.
    pub kept: Option<PathBuf>,
    /// What is left of the previous site where it could not be removed completely (a file put
    /// into it while the build ran, which is never removed).
    pub left: Option<PathBuf>,
}

impl Committed {
    /// Warnings about the folder the build replaced: where it is, when it is not gone.
    pub fn warnings(&self, target: &Target) -> Vec<Diagnostic> {
        let kept = self.kept.iter().map(|k| guard::kept_warning(target, k));
        let left = self.left.iter().map(|l| {
            Diagnostic::warning(format!(
                "the previous site could not be removed completely: what is left of it is in \
                 `{}`",
                target.show(l).display()
            ))
            .hint("it holds files added while the build ran, or files that could not be removed: look through it, then delete it yourself")
        });
        kept.chain(left).collect()
    }
}

impl Staging {
    /// Checks that the build may replace `target` (see [`guard::before_build`]), removes what killed
    /// builds left beside it, and makes a staging folder there, marked and held.
    pub fn new(target: &Target, force: bool) -> Result<Staging> {
        if let Some(f) = guard::before_build(target)? {
            if !force {
                return Err(f.error(target).into());
            }
            guard::may_keep_aside(target)?;
        }
        guard::clean_leftovers(target);
        let parent = target.path().parent().ok_or_else(|| {
            Diagnostic::error(format!(
                "`{}` cannot be the output folder",
                target.shown().display()
            ))
            .hint("choose a named folder such as `public`")
        })?;
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::io("create the folder", &target.show(parent), &e))?;
        let dir = target.beside_name("building", std::process::id());
        let shown = target.show(&dir);
        // A folder of this name is a build that ran with this process id before and was killed.
        if dir.exists() && !guard::remove_staging(&dir) {
            return Err(Diagnostic::error(format!(
                "`{}` is in the way of the build",
                shown.display()
            ))
            .hint("it is not a folder scholarsite made: move it elsewhere")
            .into());
        }
        fs::create_dir(&dir)
            .map_err(|e| Diagnostic::io("create a folder next to the output", &shown, &e))?;
        let held = guard::hold(&dir);
        let staging = Staging {
            target: target.clone(),
            dir,
            force,
            committed: false,
            made: Mutex::default(),
            written: Mutex::default(),
            _held: held,
            ahead: Mutex::default(),
        };
        guard::write_marker(&staging.dir, &[])
            .map_err(|e| Diagnostic::io("write", &shown.join(guard::MARKER), &e))?;
        Ok(staging)
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
                fs::create_dir_all(parent).map_err(|e| {
                    Diagnostic::io("create the folder", &self.target.show(parent), &e)
                })?;
                self.made
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(parent.to_path_buf());
            }
        }
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(rel.to_string());
        Ok(path)
    }

    /// Judges the output folder while the build runs (call it beside the rendering): a folder
    /// of ours is then not walked again at the swap, unless its marker changed meanwhile.
    pub fn judge_ahead(&self) {
        let ahead = guard::judge_ahead(&self.target);
        *self.ahead.lock().unwrap_or_else(PoisonError::into_inner) = ahead;
    }

    /// Swaps the staging folder in as the output, after writing the marker (the list of files
    /// written) and judging the output folder once more. A folder of ours is moved aside first
    /// and removed only after the new one is in place; with `--force`, a folder that is not ours
    /// is moved aside and kept.
    pub fn commit(mut self) -> Result<Committed> {
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(PoisonError::into_inner));
        written.sort_unstable();
        written.dedup();
        let marker = self.dir.join(guard::MARKER);
        guard::write_marker(&self.dir, &written)
            .map_err(|e| Diagnostic::io("write", &self.target.show(&marker), &e))?;
        let mut left = None;
        let ahead = self
            .ahead
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let kept = match guard::judge_again_unless(ahead, &self.target, &written)? {
            Verdict::Missing => {
                self.swap(None)?;
                None
            }
            Verdict::Replaceable(mut contents) => {
                let target = self.target.path();
                // If that fails, a build killed while removing it leaves a folder the next build
                // does not recognise: kept, not lost.
                let _ = contents.mark(target);
                let held = guard::hold(target);
                let old = self.target.beside_name("removing", std::process::id());
                self.swap(Some(&old))?;
                // The new site is in place; failing to delete the old copy is not a failed
                // build. Only what was judged is removed.
                let removed = contents.remove_from(&old).is_ok() || !old.exists();
                drop(held);
                left = (!removed).then_some(old);
                None
            }
            Verdict::Foreign(_) if self.force => {
                guard::may_keep_aside(&self.target)?;
                let kept = guard::kept_path(&self.target);
                self.swap(Some(&kept))?;
                Some(kept)
            }
            Verdict::Foreign(f) => return Err(f.error(&self.target).into()),
        };
        self.committed = true;
        Ok(Committed { kept, left })
    }

    /// Renames the staging folder to the output, moving the output to `aside` first; puts it
    /// back if the second rename fails.
    fn swap(&self, aside: Option<&Path>) -> Result<()> {
        let target = self.target.path();
        let shown = self.target.shown();
        if let Some(aside) = aside {
            fs::rename(target, aside)
                .map_err(|e| Diagnostic::io("move the previous site aside", shown, &e))?;
        }
        if let Err(e) = fs::rename(&self.dir, target) {
            let d = Diagnostic::io("put the new site in place", shown, &e);
            if let Some(aside) = aside
                && fs::rename(aside, target).is_err()
            {
                // If even that fails, say where the previous site is.
                return Err(d
                    .hint(format!(
                        "the previous site is in `{}`",
                        self.target.show(aside).display()
                    ))
                    .into());
            }
            return Err(d.into());
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.prepare(rel)?;
        fs::write(&path, bytes)
            .map_err(|e| Diagnostic::io("write", &self.target.show(&path), &e).into())
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.prepare(rel)?;
        let shown = || self.target.show(&path);
        let file = fs::File::create(&path).map_err(|e| Diagnostic::io("write", &shown(), &e))?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Diagnostic::io("write", &shown(), &e).into())
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staging(target: &Path) -> Result<Staging> {
        Staging::new(&Target::unchecked(target), false)
    }

    /// A folder holding `public/`, built once with `index.html` ("1").
    fn built_once() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let s = staging(&target).unwrap();
        s.write("index.html", b"1").unwrap();
        s.commit().unwrap();
        (tmp, target)
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");

        let s = staging(&target).unwrap();
        s.write("old.html", b"old").unwrap();
        s.commit().unwrap();
        let marker = fs::read_to_string(target.join(guard::MARKER)).unwrap();
        assert!(marker.ends_with("\nold.html\n"), "{marker}");

        let s = staging(&target).unwrap();
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

        let s = staging(&target).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            fs::read_to_string(target.join("a/b/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "old copy removed"
        );
    }

    #[test]
    fn streamed_and_copied_files_reach_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let photo = tmp.path().join("photo.jpg");
        fs::write(&photo, b"\xff\xd8jpeg").unwrap();
        let s = staging(&target).unwrap();
        s.write_with("papers/index.html", &mut |w| w.write_all(b"<p>list</p>"))
            .unwrap();
        s.copy("static/photo.jpg", &photo).unwrap();
        let e = s
            .write_with("feed.xml", &mut |_| Err(std::io::Error::other("no space")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("feed.xml") && e.contains("no space"), "{e}");
        let e = s
            .copy("x.jpg", &tmp.path().join("missing.jpg"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.jpg"), "{e}");
        s.commit().unwrap();
        assert_eq!(
            fs::read(target.join("papers/index.html")).unwrap(),
            b"<p>list</p>"
        );
        assert_eq!(
            fs::read(target.join("static/photo.jpg")).unwrap(),
            b"\xff\xd8jpeg"
        );
    }

    #[test]
    fn a_folder_that_is_not_ours_is_refused_or_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("drafts");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.tex"), "mine").unwrap();
        let e = staging(&target).unwrap_err().to_string();
        assert!(e.contains("refusing to replace"), "{e}");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "nothing made");

        let s = Staging::new(&Target::unchecked(&target), true).unwrap();
        s.write("index.html", b"site").unwrap();
        let kept = s.commit().unwrap().kept.expect("kept");
        assert_eq!(fs::read_to_string(kept.join("thesis.tex")).unwrap(), "mine");
        assert!(target.join("index.html").is_file());
    }

    #[test]
    fn a_file_added_while_building_stops_the_swap() {
        let (tmp, target) = built_once();
        let s = staging(&target).unwrap();
        s.write("index.html", b"2").unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let e = s.commit().unwrap_err().to_string();
        assert!(e.contains("`notes.txt`"), "{e}");
        assert_eq!(
            fs::read_to_string(target.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "1");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging removed"
        );
    }

    #[test]
    fn a_file_added_after_judging_ahead_is_kept_with_what_is_left() {
        let (_tmp, target) = built_once();
        let s = staging(&target).unwrap();
        s.judge_ahead();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        s.write("index.html", b"2").unwrap();
        let left = s.commit().unwrap().left.expect("what is left is said");
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "2");
        assert_eq!(fs::read_to_string(left.join("notes.txt")).unwrap(), "mine");
        let names: Vec<_> = fs::read_dir(&left)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["notes.txt"], "only the file not ours is left");
    }

    #[test]
    fn a_folder_whose_marker_changed_after_judging_ahead_is_judged_again() {
        let (_tmp, target) = built_once();
        let slow = staging(&target).unwrap();
        slow.judge_ahead();
        // Another build writes the folder meanwhile (a new marker), then a file is put into it.
        fs::write(target.join("other.html"), "o").unwrap();
        fs::remove_file(target.join(guard::MARKER)).unwrap();
        guard::write_marker(&target, &["index.html".into(), "other.html".into()]).unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        slow.write("index.html", b"2").unwrap();
        let e = slow.commit().unwrap_err().to_string();
        assert!(e.contains("`notes.txt`"), "{e}");
        assert_eq!(fs::read_to_string(target.join("other.html")).unwrap(), "o");
        assert_eq!(
            fs::read_to_string(target.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn what_is_not_gone_is_said() {
        let target = Target::unchecked(Path::new("/site/public"));
        let c = Committed {
            kept: Some(PathBuf::from("/site/public.old-20260101-000000")),
            left: Some(PathBuf::from("/site/.public.removing-7")),
        };
        let w: Vec<String> = c.warnings(&target).iter().map(|d| d.to_string()).collect();
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("kept, untouched, as `/site/public.old-20260101-000000`"));
        assert!(w[1].contains("what is left of it is in `/site/.public.removing-7`"));
    }

    #[test]
    fn refuses_paths_outside_and_the_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let s = staging(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", ".scholarsite"] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::write(&target, "not a folder").unwrap();
        let e = staging(&target).unwrap_err().to_string();
        assert!(e.contains("is a file, not a folder"), "{e}");
    }
}
