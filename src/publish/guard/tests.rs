use std::fs;
use std::path::{Path, PathBuf};

use super::judge::*;
use super::leftovers::*;
use super::locate::*;
use super::marker::*;
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
