#![cfg(unix)]
//! The output guard, through the real binary: what a build may replace, and what it leaves.
//! Every refusal checks that the user's files are still there, byte for byte; the one-step
//! refusals are in the catalog (`tests/fixtures/broken/output-*`), these need more than one
//! run, another home folder, a killed build, or a command that would otherwise keep running.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{copy_tree, repo, snapshot};

/// A temporary folder holding `site/`, a copy of the catalog's good site, built once.
fn built_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("tests/fixtures/broken/_base"),
        &tmp.path().join("site"),
    );
    let out = scholarsite(&tmp.path().join("site"), &["build"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    tmp
}

/// Runs the binary in `dir`, with `HOME` set to `home` if given.
fn scholarsite(dir: &Path, args: &[&str], home: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scholarsite"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    if let Some(home) = home {
        cmd.env("HOME", home);
    }
    cmd.output().expect("run scholarsite")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every entry under `dir` (folders as `None`), to compare before and after.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (
                rel,
                e.file_type().is_file().then(|| fs::read(e.path()).unwrap()),
            )
        })
        .collect()
}

/// Asserts that the run failed with exit code 1, saying `says`, and that nothing under `tmp`
/// changed.
fn assert_refused(
    tmp: &Path,
    before: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    out: &Output,
    says: &str,
) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(says), "expected `{says}` in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        tree(tmp) == *before,
        "something changed although the build was refused:\n{err}"
    );
}

/// Runs the binary in `dir` and asserts that it refused, saying `says`, and changed nothing
/// under `tmp`.
fn refused(tmp: &Path, dir: &Path, args: &[&str], home: Option<&Path>, says: &str) {
    let before = tree(tmp);
    let out = scholarsite(dir, args, home);
    assert_refused(tmp, &before, &out, says);
}

/// The entries beside `dir` whose names start with `prefix`.
fn beside(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    out.sort();
    out
}

#[test]
fn force_keeps_the_folder_beside_untouched() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    let drafts = site.join("drafts");
    fs::create_dir_all(drafts.join("figures")).unwrap();
    fs::write(drafts.join("thesis.tex"), "\\section{Mine}\n").unwrap();
    fs::write(drafts.join("figures/plot.pdf"), [0u8, 159, 146, 150]).unwrap();
    let mine = snapshot(&drafts);

    refused(
        tmp.path(),
        &site,
        &["build", "-o", "drafts"],
        None,
        "refusing to replace `drafts`",
    );

    let out = scholarsite(&site, &["build", "-o", "drafts", "--force"], None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let kept = beside(&site, "drafts.old-");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(snapshot(&kept[0]), mine, "kept byte for byte");
    assert!(
        err.starts_with(&format!(
            "warning: `drafts` held files scholarsite did not write: it was kept, untouched, as `{}`",
            kept[0].file_name().unwrap().to_string_lossy()
        )),
        "{err}"
    );
    assert!(drafts.join("index.html").is_file() && drafts.join(".scholarsite").is_file());

    // Now ours: built again without --force, the kept folder left alone.
    let out = scholarsite(&site, &["build", "-o", "drafts"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(snapshot(&kept[0]), mine);

    // A file of the user's in public/, with --force: the whole old public/ is kept.
    fs::write(site.join("public/google1234.html"), "verification").unwrap();
    let out = scholarsite(&site, &["build", "--force"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let kept = beside(&site, "public.old-");
    assert_eq!(kept.len(), 1);
    assert_eq!(
        fs::read(kept[0].join("google1234.html")).unwrap(),
        b"verification"
    );
    assert!(!site.join("public/google1234.html").exists());
}

#[test]
fn force_never_makes_a_source_the_output() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    for (dir, says) in [
        ("content", "it is the site's content folder"),
        (".", "it is the site folder"),
        ("..", "it contains the site folder"),
    ] {
        refused(
            tmp.path(),
            &site,
            &["build", "-o", dir, "--force"],
            None,
            says,
        );
    }
}

#[test]
fn force_does_not_move_a_folder_at_the_top_of_the_file_system() {
    // A folder of the test's own at the top, so that a broken guard moves nothing that matters;
    // only root may make one.
    let top = PathBuf::from(format!("/scholarsite-guard-test-{}", std::process::id()));
    if fs::create_dir(&top).is_err() {
        eprintln!(
            "NOTICE: skipped: cannot make a folder in / (needs root); guard.rs's unit tests cover the rule"
        );
        return;
    }
    fs::write(top.join("notes.txt"), "mine").unwrap();
    let tmp = built_site();
    let site = tmp.path().join("site");
    let before = tree(tmp.path());
    let out = scholarsite(
        &site,
        &["build", "-o", top.to_str().unwrap(), "--force"],
        None,
    );
    let kept = fs::read(top.join("notes.txt"));
    let _ = fs::remove_dir_all(&top);
    assert_refused(
        tmp.path(),
        &before,
        &out,
        "--force does not move a folder at the top of the file system",
    );
    assert_eq!(kept.unwrap(), b"mine");
}

#[test]
fn the_home_folder_is_never_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home/jane");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join(".bashrc"), "export EDITOR=vi\n").unwrap();
    // A site inside the home folder, and one outside it.
    for site in [home.join("site"), tmp.path().join("elsewhere/site")] {
        copy_tree(&repo().join("tests/fixtures/broken/_base"), &site);
        let h = home.to_str().unwrap();
        let expected = "it is your home folder";
        refused(
            tmp.path(),
            &site,
            &["build", "-o", h],
            Some(&home),
            expected,
        );
        refused(
            tmp.path(),
            &site,
            &["build", "-o", &format!("{h}/")],
            Some(&home),
            expected,
        );
        let parent = tmp.path().join("home");
        let parent = parent.to_str().unwrap();
        refused(
            tmp.path(),
            &site,
            &["build", "-o", parent],
            Some(&home),
            "it contains ",
        );
    }
}

#[test]
fn every_spelling_of_a_source_is_refused() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    let abs = site.join("content");
    let abs = abs.to_str().unwrap();
    for o in [
        abs,
        &format!("{abs}/"),
        &format!("{abs}/../content"),
        "content/",
        "./content/.",
        "public/../content",
        "new/../content",
        "new/deeper/../../seeds",
        "content/papers",
        "content/papers/bert.md",
        "./",
    ] {
        refused(
            tmp.path(),
            &site,
            &["build", "-o", o],
            None,
            "cannot be the output folder",
        );
    }
    // --root elsewhere: the flag is relative to the current folder.
    for o in ["site/content", "site", "site/static/css", "."] {
        refused(
            tmp.path(),
            tmp.path(),
            &["--root", "site", "build", "-o", o],
            None,
            "cannot be the output folder",
        );
    }
}

#[test]
fn with_root_elsewhere_the_output_flag_is_relative_to_the_current_folder() {
    let tmp = built_site();
    let content = snapshot(&tmp.path().join("site/content"));
    let out = scholarsite(
        tmp.path(),
        &["--root", "site", "build", "-o", "content"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("content/index.html").is_file());
    assert_eq!(snapshot(&tmp.path().join("site/content")), content);
}

#[test]
fn an_older_output_is_accepted_once_and_marked() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    let marker = site.join("public/.scholarsite");
    let text = fs::read_to_string(&marker).unwrap();
    fs::remove_file(&marker).unwrap();
    let out = scholarsite(&site, &["build"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&marker).unwrap(), text, "marked again");

    // Without our generator tag it is not ours.
    fs::remove_file(&marker).unwrap();
    fs::write(site.join("public/index.html"), "<title>My own page</title>").unwrap();
    refused(
        tmp.path(),
        &site,
        &["build"],
        None,
        "refusing to replace `public`: it is not an output folder of scholarsite, and holds ",
    );
}

#[test]
fn the_marker_lists_every_file_written() {
    let tmp = built_site();
    let public = tmp.path().join("site/public");
    let text = fs::read_to_string(public.join(".scholarsite")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("scholarsite {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    let listed: Vec<String> = lines
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(
        listed, sorted,
        "sorted: two builds of a site write the same marker"
    );
    let mut files: Vec<String> = snapshot(&public)
        .into_keys()
        .map(|f| f.to_string_lossy().into_owned())
        .filter(|f| f != ".scholarsite")
        .collect();
    files.sort_unstable();
    assert_eq!(listed, files);
    assert!(
        !text.contains(tmp.path().to_str().unwrap()),
        "no paths of this machine"
    );
}

#[test]
fn files_a_build_no_longer_writes_are_removed() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    let page = site.join("public/cv/index.html");
    assert!(page.is_file());
    fs::remove_file(site.join("content/cv.md")).unwrap();
    // Folders an operating system showed get its files: they do not stop a build.
    fs::write(site.join("public/.DS_Store"), "x").unwrap();
    fs::write(site.join("public/cv/Thumbs.db"), "x").unwrap();
    let out = scholarsite(&site, &["build"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.join("public/cv").exists());
    assert_eq!(beside(&site, ".public."), Vec::<PathBuf>::new());
}

#[test]
fn a_linked_output_folder_is_replaced_through_the_link() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo().join("tests/fixtures/broken/_base"), &site);
    fs::create_dir_all(tmp.path().join("www")).unwrap();
    std::os::unix::fs::symlink("../www/site", site.join("public")).unwrap();
    refused(
        tmp.path(),
        &site,
        &["build"],
        None,
        "error: `public` is a symbolic link to `../www/site`, which does not exist",
    );
    fs::create_dir(tmp.path().join("www/site")).unwrap();
    for _ in 0..2 {
        let out = scholarsite(&site, &["build"], None);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(
        fs::symlink_metadata(site.join("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(tmp.path().join("www/site/index.html").is_file());
    let www: Vec<_> = fs::read_dir(tmp.path().join("www")).unwrap().collect();
    assert_eq!(www.len(), 1, "nothing left beside the real folder");
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    // A build killed while it writes: a site big enough to take a while.
    let small = fs::read_to_string(site.join("seeds/profile.txt")).unwrap();
    let mut profile = String::from("Jane Doe\n\nLG\nh-index4\n2000papers\n\n2000 Papers\n");
    for i in 0..2000 {
        profile.push_str(&format!(
            "\nLGMar {}, 2021\nPaper {i} on $x^{i}$\n\nJane Doe\n\nAbstract {i} with $y_{i}$.\n",
            1 + i % 28
        ));
    }
    fs::write(site.join("seeds/profile.txt"), profile).unwrap();
    let public = snapshot(&site.join("public"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .arg("build")
        .current_dir(&site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let staging = loop {
        // Killed once it has written more than its marker.
        if let Some(s) = beside(&site, ".public.building-").pop()
            && fs::read_dir(&s).is_ok_and(|d| d.count() > 1)
        {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no staging folder appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(1));
    };
    child.kill().unwrap(); // SIGKILL: no clean-up runs
    child.wait().unwrap();
    assert!(staging.is_dir(), "a killed build leaves its staging folder");
    assert_eq!(
        snapshot(&site.join("public")),
        public,
        "and the site as it was"
    );
    fs::write(site.join("seeds/profile.txt"), small).unwrap();

    // One held by a running build, one that is not ours, a previous output killed while being
    // removed, and one that holds a file its marker does not list.
    let held = site.join(".public.building-4000001");
    fs::create_dir(&held).unwrap();
    fs::write(held.join(".scholarsite"), "scholarsite 0.1.0\n").unwrap();
    let lock = fs::File::open(&held).unwrap();
    lock.try_lock().unwrap();
    let theirs = site.join(".public.building-4000002");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "not ours").unwrap();
    let removing = site.join(".public.removing-4000003");
    fs::create_dir_all(removing.join("a")).unwrap();
    fs::write(removing.join("a/index.html"), "old").unwrap();
    fs::write(
        removing.join(".scholarsite"),
        "scholarsite 0.1.0\na/index.html\n",
    )
    .unwrap();
    let mixed = site.join(".public.removing-4000004");
    fs::create_dir_all(&mixed).unwrap();
    fs::write(mixed.join("late.txt"), "mine").unwrap();
    fs::write(mixed.join(".scholarsite"), "scholarsite 0.1.0\n").unwrap();
    let kept = site.join("public.old-20260101-000000");
    fs::create_dir(&kept).unwrap();
    fs::write(kept.join("thesis.tex"), "mine").unwrap();

    let out = scholarsite(&site, &["build"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !staging.exists(),
        "the killed build's staging folder is removed"
    );
    assert!(
        !removing.exists(),
        "and the previous output it was removing"
    );
    assert!(held.is_dir(), "a folder a running build holds is left");
    assert_eq!(fs::read(theirs.join("notes.txt")).unwrap(), b"not ours");
    assert_eq!(fs::read(mixed.join("late.txt")).unwrap(), b"mine");
    assert_eq!(fs::read(kept.join("thesis.tex")).unwrap(), b"mine");
    drop(lock);
    let out = scholarsite(&site, &["build"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!held.exists(), "removed once nobody holds it");
}

/// Runs a command that keeps running when it does not refuse (`serve`, `build --watch`):
/// fails the test if it is still running after a minute.
fn refused_at_once(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "`scholarsite {}` kept running: it did not refuse",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn watch_and_serve_follow_the_same_rules() {
    let tmp = built_site();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("drafts")).unwrap();
    fs::write(site.join("drafts/thesis.tex"), "mine").unwrap();
    let before = tree(tmp.path());
    let out = refused_at_once(&site, &["build", "--watch", "-o", "content"]);
    assert_refused(tmp.path(), &before, &out, "it is the site's content folder");
    let out = refused_at_once(&site, &["build", "--watch", "-o", "drafts"]);
    assert_refused(tmp.path(), &before, &out, "refusing to replace `drafts`");

    let config = fs::read_to_string(site.join("config.toml")).unwrap();
    fs::write(
        site.join("config.toml"),
        config.replace(
            "theme = \"default\"\n",
            "theme = \"default\"\noutput_dir = \"static\"\n",
        ),
    )
    .unwrap();
    let before = tree(tmp.path());
    let port = common::free_port().to_string();
    let out = refused_at_once(&site, &["serve", "--port", &port]);
    assert_refused(tmp.path(), &before, &out, "it is the site's static folder");
    let out = refused_at_once(&site, &["build", "--watch"]);
    assert_refused(tmp.path(), &before, &out, "at config.toml:6:1");
}
