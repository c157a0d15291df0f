//! Every generated page passes the Nu HTML Checker (npm `vnu-jar`, run with Java).
//! Outside CI a missing checker is a skip with a notice; with `CI=true` it is a failure.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// The vnu.jar installed by `npm install` (package.json), if present with Java.
fn vnu() -> Option<PathBuf> {
    let jar = common::repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java").arg("-version").output().is_ok();
    if jar.is_file() && java {
        return Some(jar);
    }
    let msg = "the Nu HTML Checker is not installed: run `npm install` (needs Java)";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

#[test]
fn every_page_of_the_example_site_is_valid_html() {
    let Some(jar) = vnu() else { return };
    let site = common::example_site();
    common::build(site.path());
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() >= 38, "pages: {}", pages.len());
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&pages)
        .output()
        .expect("run vnu");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "validator errors:\n{report}"
    );
}
