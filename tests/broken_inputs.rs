#![cfg(unix)]
//! The catalog of broken inputs (`tests/fixtures/broken/<case>/`): every case builds a good
//! site first, breaks one thing, runs the real binary, and checks
//!
//! - the exact diagnostics on stderr (`expected.txt`; `[..]` there matches any text within a
//!   line, for process ids and temporary paths),
//! - the exit code (1 bad input, 2 bad usage, 0 when the problem is only a warning),
//! - that nothing panicked and no backtrace was printed (the binary runs with
//!   `RUST_BACKTRACE=1`, so a panic could not hide),
//! - for failed builds, that the whole temporary folder (the site, `public/`, whatever a case
//!   put beside them) is byte for byte as it was: no staging folder left, nothing moved; for
//!   warnings, that the page in question was built and holds what it should;
//! - that every file `keep` names (a file of the user's in a folder the build must not
//!   replace) is still there, byte for byte.
//!
//! A case folder holds `case.toml` (what it is about, the expected exit code, arguments, a
//! generated input), `expected.txt`, and `site/`: files copied over the good site
//! (`_base/`). `BLESS=1 cargo test --test broken_inputs` rewrites `expected.txt` from the
//! actual output: read every changed file before committing it.

mod common;

use common::{copy_tree, require_tool};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case checks, in one line.
    about: String,
    /// Expected exit code.
    #[serde(default = "one")]
    exit: i32,
    /// Arguments (default: `build`).
    #[serde(default = "build_args")]
    args: Vec<String>,
    /// A generated input, made by [`setup`].
    setup: Option<String>,
    /// For builds that succeed: a page of the output that must exist …
    page: Option<String>,
    /// … and hold each of these strings.
    #[serde(default)]
    contains: Vec<String>,
    /// Files (relative to the site) that must be there after the run, byte for byte as before.
    #[serde(default)]
    keep: Vec<String>,
}

fn one() -> i32 {
    1
}

fn build_args() -> Vec<String> {
    vec!["build".to_string()]
}

/// The catalog folder.
fn catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

/// Every file under `path` (or `path` itself if it is a file) with its bytes, and every
/// folder: the whole tree, to compare before and after a failed build.
fn snapshot(path: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    if !path.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(path).unwrap().to_path_buf();
        let bytes = entry
            .file_type()
            .is_file()
            .then(|| fs::read(entry.path()).unwrap());
        out.insert(rel, bytes);
    }
    out
}

/// How two snapshots differ: paths added, removed or changed.
fn differences(
    before: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    after: &BTreeMap<PathBuf, Option<Vec<u8>>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => out.push(format!("removed: {}", path.display())),
            Some(b) if b != bytes => out.push(format!("changed: {}", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("added: {}", path.display()));
    }
    out
}

/// Whether `actual` matches `expected`, line by line, where `[..]` in an expected line
/// matches any text (within that line).
fn matches(expected: &str, actual: &str) -> bool {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    expected.len() == actual.len()
        && expected
            .iter()
            .zip(&actual)
            .all(|(e, a)| line_matches(e, a))
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let mut parts = expected.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether this process runs as root (where permissions do not stop writes).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// How to run the binary for a case.
#[derive(Default)]
struct Run {
    /// Run as this user and group (root dropping its rights, so that permissions count).
    as_user: Option<u32>,
}

/// Makes the generated input a case names. Returns how to run the binary.
fn setup(name: &str, site: &Path) -> Run {
    match name {
        "abstract_5mb" => {
            let mut profile = fs::read_to_string(site.join("seeds/profile.txt")).unwrap();
            profile = profile.replace("3papers", "4papers");
            let mut abstract_ = String::from("Start of a huge abstract");
            let mut i = 0;
            while abstract_.len() < 5 * 1024 * 1024 {
                abstract_.push_str(if i % 1000 == 0 {
                    " with $x_{i}^2$ math"
                } else {
                    " and words, and more words"
                });
                i += 1;
            }
            abstract_.push_str(". End of a huge abstract.");
            profile.push_str(&format!(
                "\nLGMar 3, 2021\nA huge abstract\n\nJane Doe\n\n{abstract_}\n"
            ));
            fs::write(site.join("seeds/profile.txt"), profile).unwrap();
            Run::default()
        }
        "symlink_loop" => {
            fs::create_dir_all(site.join("content/loop")).unwrap();
            std::os::unix::fs::symlink("..", site.join("content/loop/back")).unwrap();
            Run::default()
        }
        "nested_braces_in_math" | "unclosed_braces_in_math" => {
            let n = 10_000;
            let formula = if name == "nested_braces_in_math" {
                format!("{}x{}", "{".repeat(n), "}".repeat(n))
            } else {
                format!("{}x", "{".repeat(n))
            };
            fs::write(
                site.join("content/papers/deep.md"),
                format!("+++\ntitle = \"Deep\"\nabstract = 'A formula: ${formula}$.'\ndate = 2024-01-02\nauthors = [\"Jane Doe\"]\n+++\n"),
            )
            .unwrap();
            Run::default()
        }
        "no_config" => {
            fs::remove_file(site.join("config.toml")).unwrap();
            Run::default()
        }
        "content_is_a_file" => {
            fs::remove_dir_all(site.join("content")).unwrap();
            fs::write(site.join("content"), "not a folder\n").unwrap();
            Run::default()
        }
        "public_is_a_file" => {
            fs::remove_dir_all(site.join("public")).unwrap();
            fs::write(site.join("public"), "not a folder\n").unwrap();
            Run::default()
        }
        "public_links_to_content" => {
            fs::remove_dir_all(site.join("public")).unwrap();
            std::os::unix::fs::symlink("content", site.join("public")).unwrap();
            Run::default()
        }
        "public_from_an_older_version" => {
            // A site built before the marker: the same files, no `.scholarsite`, and a file
            // of the user's that no build writes.
            fs::remove_file(site.join("public/.scholarsite")).unwrap();
            fs::write(site.join("public/notes.txt"), "my notes\n").unwrap();
            Run::default()
        }
        "not_writable" => {
            if is_root() {
                // Root writes anywhere: run as `nobody`, who may read the site but not write
                // beside public/. The temporary folder is created private: open it to read.
                let tmp = site.parent().unwrap();
                fs::set_permissions(tmp, fs::Permissions::from_mode(0o755)).unwrap();
                Run {
                    as_user: Some(65534),
                }
            } else {
                fs::set_permissions(site, fs::Permissions::from_mode(0o555)).unwrap();
                Run::default()
            }
        }
        other => panic!("case.toml names an unknown setup `{other}`"),
    }
}

/// Runs the binary in `site`; returns (exit code, stdout, stderr).
fn run(site: &Path, args: &[String], how: &Run) -> (i32, String, String) {
    let binary = Path::new(env!("CARGO_BIN_EXE_scholarsite"));
    let mut cmd = match how.as_user {
        // That user may not reach the built binary (a clone in a private folder): it runs a
        // copy beside the site, in the temporary folder opened to it.
        Some(_) => {
            let copy = site
                .parent()
                .expect("a temporary folder")
                .join("scholarsite");
            fs::copy(binary, &copy).expect("copy the binary");
            Command::new(copy)
        }
        None => Command::new(binary),
    };
    cmd.args(args)
        .current_dir(site)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1");
    if let Some(id) = how.as_user {
        cmd.uid(id).gid(id);
    }
    // A copy just written may be held open a moment by another test thread's fork (the file
    // descriptor lives until that child's exec): "text file busy" then, so try again.
    let mut tries = 0;
    let out = loop {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.expect("run scholarsite"),
        }
    };
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs one case of the catalog; panics with every way it failed.
fn run_case(name: &str) {
    let dir = catalog().join(name);
    let case: Case = toml::from_str(
        &fs::read_to_string(dir.join("case.toml"))
            .unwrap_or_else(|e| panic!("{name}/case.toml: {e}")),
    )
    .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&catalog().join("_base"), &site);
    let (code, _, stderr) = run(&site, &build_args(), &Run::default());
    assert_eq!(code, 0, "the good site must build: {stderr}");

    if dir.join("site").is_dir() {
        copy_tree(&dir.join("site"), &site);
    }
    let how = case
        .setup
        .as_deref()
        .map_or_else(Run::default, |s| setup(s, &site));
    // The binary a case runs as another user is copied into the temporary folder: left out.
    let whole = || {
        let mut all = snapshot(tmp.path());
        all.remove(Path::new("scholarsite"));
        all
    };
    let before = whole();
    let (code, stdout, stderr) = run(&site, &case.args, &how);
    // Open the folder again for the temporary folder's clean-up (`not_writable`).
    let _ = fs::set_permissions(&site, fs::Permissions::from_mode(0o755));

    let mut failures = Vec::new();
    for bad in ["panicked", "backtrace", "internal error", "RUST_BACKTRACE"] {
        if stderr.contains(bad) || stdout.contains(bad) {
            failures.push(format!("the output mentions `{bad}`"));
        }
    }
    if code != case.exit {
        failures.push(format!("exit code {code}, expected {}", case.exit));
    }
    let expected_path = dir.join("expected.txt");
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    if !matches(&expected, &stderr) {
        if std::env::var_os("BLESS").is_some() {
            fs::write(&expected_path, &stderr).unwrap();
        } else {
            failures.push(format!(
                "stderr differs from {name}/expected.txt:\n--- expected\n{expected}\n--- actual\n{stderr}"
            ));
        }
    }
    if case.exit == 0 {
        if let Some(page) = &case.page {
            match fs::read_to_string(site.join("public").join(page)) {
                Ok(html) => {
                    for s in &case.contains {
                        if !html.contains(s.as_str()) {
                            failures.push(format!("{page} does not contain `{s}`"));
                        }
                    }
                }
                Err(e) => failures.push(format!("{page}: {e}")),
            }
        }
    } else {
        let changed = differences(&before, &whole());
        if !changed.is_empty() {
            failures.push(format!(
                "the build failed, but the temporary folder changed:\n  {}",
                changed.join("\n  ")
            ));
        }
    }
    for rel in &case.keep {
        let path = PathBuf::from("site").join(rel);
        match (before.get(&path), fs::read(tmp.path().join(&path))) {
            (Some(Some(old)), Ok(now)) if *old == now => {}
            (Some(Some(_)), Ok(_)) => failures.push(format!("{rel} changed")),
            (Some(Some(_)), Err(e)) => failures.push(format!("{rel} is gone: {e}")),
            _ => failures.push(format!(
                "case.toml keeps {rel}, which is not a file of the site"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "case `{name}` ({}):\n{}",
        case.about,
        failures.join("\n")
    );
}

/// One test per case folder, named after it (`-` → `_`).
macro_rules! cases {
    ($($(#[$attr:meta])* $name:ident,)*) => {
        /// Every case that has a test.
        const CASES: &[&str] = &[$(stringify!($name),)*];
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                run_case(&stringify!($name).replace('_', "-"));
            }
        )*
    };
}

cases! {
    profile_empty,
    profile_only_header,
    profile_truncated_entry,
    profile_truncated_after_header,
    profile_bad_month,
    profile_bad_day,
    profile_stats_not_numbers,
    profile_category_not_code,
    profile_duplicate_titles,
    profile_invalid_utf8,
    profile_bom_crlf,
    profile_5mb_abstract,
    profile_missing,
    profile_word_and_number_line,
    profile_entry_without_title,
    profile_control_character,
    profile_ampersand_before_accents,
    content_unterminated_front_matter,
    content_toml_syntax,
    content_wrong_type_date,
    content_wrong_type_authors,
    content_unknown_key,
    content_duplicate_slug,
    content_slug_escape,
    content_binary_markdown,
    content_symlink_loop,
    content_tex_eaten_by_toml,
    content_invalid_escape,
    content_javascript_link,
    content_invalid_utf8_page,
    content_page_collides,
    content_is_a_file,
    content_control_character,
    content_page_control_character,
    content_title_without_slug,
    theme_syntax_error,
    theme_undefined_variable,
    theme_missing_include,
    theme_missing_parent,
    theme_unknown_filter,
    theme_page_template_missing,
    theme_does_not_exist,
    theme_static_collides,
    theme_own_theme_incomplete,
    math_unbalanced_dollar,
    math_open_frac,
    math_unknown_command,
    math_nested_braces,
    math_nested_braces_unclosed,
    math_unbalanced_dollar_markdown,
    output_public_is_a_file,
    output_not_writable,
    output_folder_not_ours,
    output_user_file_in_public,
    output_older_public_with_a_note,
    output_is_content,
    output_is_seeds,
    output_inside_static,
    output_is_templates,
    output_inside_themes,
    output_is_site_folder,
    output_contains_site,
    output_is_filesystem_root,
    output_unexpanded_tilde,
    output_link_to_content,
    output_config_parent,
    output_profile_folder,
    output_bibliography_folder,
    usage_unknown_flag,
    usage_missing_value,
    config_unknown_key,
    config_invalid_utf8,
    config_missing,
    config_no_base_url,
    config_profile_without_as_of,
    config_javascript_author_link,
    config_tex_eaten_by_toml,
    profile_authors_line_missing,
    mistake_ids_as_urls,
    mistake_id_neither,
    mistake_title_one_word_off,
    mistake_new_paper_incomplete,
    mistake_photo_missing,
    mistake_extra_settings,
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders: Vec<String> = fs::read_dir(catalog())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("case.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().replace('-', "_"))
        .filter(|n| !SEPARATE.contains(&n.as_str()))
        .collect();
    folders.sort();
    let mut tested: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(folders, tested);
}

/// Case folders checked by tests of their own below (their output is not deterministic
/// enough for an exact `expected.txt`, or they need more than one run).
const SEPARATE: &[&str] = &["output_disk_full"];

#[test]
fn wildcards_match_within_a_line() {
    assert!(line_matches("a `[..]` b", "a `x/y` b"));
    assert!(line_matches("[..]", "anything"));
    assert!(line_matches("x[..]y[..]z", "x1y2z"));
    assert!(!line_matches("a [..] b", "a x c"));
    assert!(!line_matches("exact", "exact!"));
    assert!(matches("one\ntwo [..]\n", "one\ntwo 3\n"));
    assert!(!matches("one\n", "one\ntwo\n"));
}

/// The disk fills up in the middle of a build: a tmpfs just big enough for one copy of the
/// site and a half, in a mount namespace of its own (`unshare --mount` as root, else in a
/// user namespace, `unshare --user --map-root-user`). The good site is built into it, then
/// built again: the second build runs out of space while writing its staging copy. Which file
/// fails first depends on the order of parallel writes, so the message is matched by its parts
/// (`output-disk-full/expected.txt` shows its shape). Needs a tmpfs mount: ignored outside CI
/// unless run with `--include-ignored`, and then a failure where no tmpfs can be mounted;
/// docs/testing.md describes the same test by hand.
#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs a tmpfs mount (root, or user namespaces, and unshare): cargo test -- --include-ignored"
)]
fn output_disk_full() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&catalog().join("_base"), &site);
    let probe = tmp.path().join("probe");
    copy_tree(&catalog().join("_base"), &probe);
    let (code, _, stderr) = run(&probe, &build_args(), &Run::default());
    assert_eq!(code, 0, "{stderr}");
    // tmpfs counts whole pages: the site's size in 4 KiB pages, and half as much again.
    let pages: u64 = snapshot(&probe.join("public"))
        .values()
        .flatten()
        .map(|b| (b.len() as u64).div_ceil(4096).max(1))
        .sum();
    let size_kib = pages * 4 * 3 / 2;
    let mnt = tmp.path().join("mnt");
    let out = tmp.path().join("out");
    fs::create_dir_all(&mnt).unwrap();
    fs::create_dir_all(&out).unwrap();
    let script = r#"
        set -eu
        bin="$1"; mnt="$2"; out="$3"
        mount -t tmpfs -o "size=$4k" tmpfs "$mnt"
        "$bin" build -o "$mnt/public" > /dev/null
        cp -a "$mnt/public" "$out/before"
        set +e
        RUST_BACKTRACE=1 "$bin" build -o "$mnt/public" > /dev/null 2> "$out/stderr"
        echo $? > "$out/code"
        cp -a "$mnt/public" "$out/after"
        ls -A "$mnt" > "$out/listing"
    "#;
    // As root, a mount namespace; otherwise a user namespace in which we are root.
    let mut failures = Vec::new();
    for namespaces in [&["--mount"][..], &["--user", "--map-root-user", "--mount"]] {
        let result = Command::new("unshare")
            .args(namespaces)
            .args(["--propagation", "private", "sh", "-c", script, "sh"])
            .arg(env!("CARGO_BIN_EXE_scholarsite"))
            .arg(&mnt)
            .arg(&out)
            .arg(size_kib.to_string())
            .current_dir(&site)
            .output();
        if out.join("before").is_dir() {
            break;
        }
        failures.push(match result {
            Ok(o) => format!(
                "unshare {}: {}",
                namespaces.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(e) => format!("unshare: {e}"),
        });
    }
    require_tool(
        out.join("before").is_dir(),
        &format!(
            "output_disk_full cannot mount a tmpfs here (run as root, or allow user namespaces; needs util-linux's unshare): {}",
            failures.join("; ")
        ),
    );
    let code = fs::read_to_string(out.join("code")).unwrap();
    let stderr = fs::read_to_string(out.join("stderr")).unwrap();
    assert_eq!(code.trim(), "1", "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(
        stderr.starts_with("error: cannot ") && stderr.contains(": No space left on device"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n   = hint: the disk is full: free some space\n"),
        "{stderr}"
    );
    let last = stderr.lines().last().unwrap_or("");
    assert!(
        line_matches("build failed with [..] error[..]", last),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&out.join("before")),
        snapshot(&out.join("after")),
        "public/ changed although the build failed"
    );
    assert_eq!(
        fs::read_to_string(out.join("listing")).unwrap().trim(),
        "public",
        "the staging folder was left behind"
    );
    // The expected shape, kept with the catalog.
    let shape = fs::read_to_string(catalog().join("output-disk-full/expected.txt")).unwrap();
    assert!(
        matches(
            &shape,
            &stderr.lines().take(2).collect::<Vec<_>>().join("\n")
        ),
        "{stderr}"
    );
}

/// 100,000 papers build: every paper gets its page and the lists hold them all. Generated
/// here (a 6 MB profile). The site is about 1 GB: it is written to /dev/shm (memory) only when
/// the machine has memory to spare for it beside the build's own, else to a temporary folder
/// on disk (a CI machine whose memory the output filled killed the build).
#[test]
fn profile_100k_papers() {
    const N: usize = 100_000;
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() && available_memory_gib().is_some_and(|g| g >= 8) {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let site = tmp.path().join("site");
    copy_tree(&catalog().join("_base"), &site);
    fs::remove_dir_all(site.join("content/papers")).unwrap();
    let mut profile = format!("Jane Doe\n\nLG\nh-index40\n{N}papers\n\n{N} Papers\n");
    for i in 0..N {
        let year = 2000 + i % 26;
        let day = 1 + i % 28;
        profile.push_str(&format!(
            "\nLGMar {day}, {year}\nPaper number {i} on sparse $O(n^{{{}}})$ things\n\nA. Author{i}, Jane Doe et al. · org\n\nAbstract of paper {i}, with $x_{{{i}}}$.\n",
            i % 7
        ));
    }
    fs::write(site.join("seeds/profile.txt"), profile).unwrap();
    let start = std::time::Instant::now();
    let (code, stdout, stderr) = run(&site, &build_args(), &Run::default());
    let elapsed = start.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.contains(&format!("({N} papers)")), "{stdout}");
    let years = 26;
    let papers = fs::read_dir(site.join("public/papers")).unwrap().count();
    assert_eq!(
        papers,
        N + years + 1,
        "a folder per paper, one per year, and the index of years"
    );
    let last = fs::read_to_string(
        site.join("public/papers/paper-number-99999-on-sparse-o-n-4-things/index.html"),
    )
    .unwrap();
    assert!(last.contains("Abstract of paper 99999"));
    // The list is split: every paper on exactly one year page, no page longer than the limit
    // of `[listings] max_per_page` (300), and no page of the site past 2 MB.
    let mut listed = 0;
    let mut largest = (0, std::path::PathBuf::new());
    for entry in walkdir::WalkDir::new(site.join("public")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let size = entry.metadata().unwrap().len();
        if size > largest.0 {
            largest = (size, path.to_path_buf());
        }
        let rel = path.strip_prefix(site.join("public/papers")).ok();
        if rel.is_some_and(|r| r.to_string_lossy().starts_with("20")) {
            let page = fs::read_to_string(path).unwrap();
            let items = page.matches("<li class=\"paper\"").count();
            assert!(items <= 300, "{}: {items} papers", path.display());
            listed += items;
        }
    }
    assert_eq!(listed, N, "every paper on a year page");
    assert!(
        largest.0 < 2 << 20,
        "{} is {} bytes",
        largest.1.display(),
        largest.0
    );
    let index = fs::read_to_string(site.join("public/papers/index.html")).unwrap();
    assert_eq!(index.matches("<li class=\"paper\"").count(), 0);
    eprintln!("100,000 papers built in {elapsed:?}");
}

/// `MemAvailable` of /proc/meminfo, in GiB (Linux).
fn available_memory_gib() -> Option<u64> {
    let info = fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / (1024 * 1024))
}

/// Deeply nested groups in the text of an abstract (not in a formula): the site still builds
/// (the text parser once recursed per group and overflowed a render thread's stack), with a
/// warning at the abstract's line, and the groups deeper than 200 are shown as written: the
/// page holds the outer groups rendered, to the 201st (201 nested `<em>` for `\emph`), and
/// what the 201st holds, braces and all, as text.
#[test]
fn latex_deeply_nested_groups_in_text() {
    const LIMIT: usize = 200;
    for (what, open, element) in [("braces", "{", None), ("\\emph", "\\emph{", Some("em"))] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_tree(&catalog().join("_base"), &site);
        let n = 10_000;
        fs::write(
            site.join("content/papers/deep.md"),
            format!(
                "+++\ntitle = \"Deep\"\nabstract = '{}x{}'\n+++\n",
                open.repeat(n),
                "}".repeat(n)
            ),
        )
        .unwrap();
        let (code, _, stderr) = run(&site, &build_args(), &Run::default());
        assert_eq!(code, 0, "{what}: {stderr}");
        let warning = stderr
            .split("\n\n")
            .find(|w| w.contains("nested"))
            .unwrap_or_else(|| panic!("{what}: no warning about the nesting:\n{stderr}"));
        assert!(
            warning.starts_with(&format!(
                "warning: groups nested more than {LIMIT} deep are shown as written in “Deep”: `{}",
                &open.repeat(3)
            )),
            "{what}: {warning}"
        );
        assert!(
            warning.contains("at content/papers/deep.md:3:"),
            "{what}: {warning}"
        );
        let page = common::html(&site.join("public/papers/deep/index.html"));
        let abs = page
            .select(&common::sel(".abstract"))
            .next()
            .expect("the abstract is shown");
        let as_written = format!(
            "{}x{}",
            open.repeat(n - LIMIT - 1),
            "}".repeat(n - LIMIT - 1)
        );
        assert_eq!(
            abs.text().collect::<String>().trim(),
            as_written,
            "{what}: what is inside the group {} deep is shown as written, and only that",
            LIMIT + 1
        );
        if let Some(element) = element {
            let all: Vec<_> = abs.select(&common::sel(element)).collect();
            let innermost = all.last().expect("the outer groups are rendered");
            let depth = 1 + innermost
                .ancestors()
                .filter(|a| a.value().as_element().is_some_and(|e| e.name() == element))
                .count();
            assert_eq!(
                (all.len(), depth),
                (LIMIT + 1, LIMIT + 1),
                "{what}: <{element}> elements, and how deep they nest"
            );
        }
    }
}
