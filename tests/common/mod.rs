//! Shared helpers for integration tests: copying the example site, building it, parsing HTML,
//! hashing output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scholarsite::settings::{Overrides, Settings};

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example site (config, seeds, content) in a fresh temp dir.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["config.toml", "seeds", "content"] {
        copy_tree(&repo().join(name), &dir.path().join(name));
    }
    dir
}

/// Copies a file or folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).unwrap();
        }
        fs::copy(from, to).unwrap();
    }
}

/// Builds the site at `root` with the library, panicking with the diagnostics on failure.
pub fn build(root: &Path) -> scholarsite::build::Report {
    build_with(root, Overrides::default())
}

/// Builds with overrides.
pub fn build_with(root: &Path, overrides: Overrides) -> scholarsite::build::Report {
    let settings = Settings::load(root, &overrides).unwrap_or_else(|e| panic!("{e}"));
    scholarsite::build::build(&settings).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the binary with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run scholarsite")
}

/// Parses an HTML file.
pub fn html(path: &Path) -> scraper::Html {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

/// A CSS selector.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// The visible text of a document: text nodes outside script/style, and outside MathML
/// annotations (the TeX source a formula carries for copying).
pub fn visible_text(doc: &scraper::Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let scraper::Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "annotation" | "title")
                })
            });
            if !hidden {
                out.push_str(t);
            }
        }
    }
    out
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if dir.exists() {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}
