//! The tree shows the pipeline: `src/`'s folders are stages, and a module may use only the
//! stages below its own (ARCHITECTURE.md). This test reads every source file, collects the
//! `crate::…` and `super::…` paths it uses (outside its unit tests), and fails on a use that
//! points up the order or on an import cycle between files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The stages, lowest first. The commands (`cli`, `build`, `check`, `dump`, `init`) sit above.
const ORDER: &[&str] = &["base", "tex", "load", "model", "publish", "render", "serve"];

/// Every `.rs` file under `dir`, as (module path, file).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .expect("inside src")
                .with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts == ["lib"] || parts == ["main"] {
                continue;
            }
            out.insert(parts.join("::"), path);
        }
    }
    out
}

/// The source without its unit tests and comments.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("a readable source file");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers of each path that starts with `prefix` (`crate::a::b` → `[a, b]`; a group
/// `crate::a::{b::C, d}` gives `[a, b, C]` and `[a, d]`).
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        let glued = code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if !glued {
            path_at(&code[i + prefix.len()..], Vec::new(), &mut out);
        }
    }
    out
}

/// Reads the path at the start of `rest`, after the segments in `head`.
fn path_at<'a>(rest: &'a str, mut head: Vec<&'a str>, out: &mut Vec<Vec<&'a str>>) {
    let mut rest = rest;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                path_at(item.trim(), head.clone(), out);
            }
            return;
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        head.push(&rest[..len]);
        match rest[len..].strip_prefix("::") {
            Some(more) => rest = more,
            None => break,
        }
    }
    if !head.is_empty() {
        out.push(head);
    }
}

/// The longest module that `parts` names.
fn target(parts: &[&str], known: &BTreeMap<String, PathBuf>) -> Option<String> {
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| known.contains_key(m))
}

/// Which module uses which, from the source.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(src);
    let mut edges = BTreeMap::new();
    for (module, path) in &known {
        let code = code(path);
        let mut uses = BTreeSet::new();
        for parts in paths_after(&code, "crate::") {
            uses.extend(target(&parts, &known));
        }
        let parent: Vec<&str> = module.split("::").collect();
        let is_folder = path.ends_with("mod.rs");
        let base = if is_folder {
            &parent[..]
        } else {
            &parent[..parent.len() - 1]
        };
        for parts in paths_after(&code, "super::") {
            let up = if is_folder {
                &base[..base.len().saturating_sub(1)]
            } else {
                base
            };
            let full: Vec<&str> = up.iter().copied().chain(parts).collect();
            uses.extend(target(&full, &known));
        }
        uses.remove(module);
        edges.insert(module.clone(), uses);
    }
    edges
}

fn rank(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or_default();
    ORDER.iter().position(|s| *s == top).unwrap_or(ORDER.len())
}

/// A cycle through `start`, if any (depth-first search).
fn cycle_from(start: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        start: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(node).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if visit(next, start, edges, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    visit(start, start, edges, &mut path, &mut seen).then_some(path)
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_stage_uses_only_the_stages_below_it() {
    let edges = graph(&src());
    let mut wrong = Vec::new();
    for (from, uses) in &edges {
        for to in uses {
            if rank(to) > rank(from) {
                wrong.push(format!("{from} uses {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses that point up the stages {ORDER:?} (move the shared piece down):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycles_between_files() {
    let edges = graph(&src());
    let cycles: Vec<String> = edges
        .keys()
        .filter_map(|m| cycle_from(m, &edges))
        .map(|c| format!("{} → {}", c.join(" → "), c[0]))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_uses_and_cycles() {
    // The test above must be able to fail: a made-up tree with a cycle and an upward use.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let src = tmp.path();
    fs::create_dir_all(src.join("base")).expect("mkdir");
    fs::create_dir_all(src.join("model")).expect("mkdir");
    fs::write(src.join("base/mod.rs"), "pub mod a;\npub mod b;\n").expect("write");
    fs::write(
        src.join("base/a.rs"),
        "use super::b::X;\nuse crate::model::Site;\n",
    )
    .expect("write");
    fs::write(
        src.join("base/b.rs"),
        "use crate::base::a::Y; // crate::model is only named in a comment\n#[cfg(test)]\nuse crate::model::Z;\n",
    )
    .expect("write");
    fs::write(src.join("model/mod.rs"), "use crate::base::{a, b::W};\n").expect("write");
    let edges = graph(src);
    assert_eq!(
        edges["base::a"],
        BTreeSet::from(["base::b".to_string(), "model".to_string()])
    );
    assert_eq!(edges["base::b"], BTreeSet::from(["base::a".to_string()]));
    assert_eq!(
        edges["model"],
        BTreeSet::from(["base::a".to_string(), "base::b".to_string()])
    );
    assert!(rank("model") > rank("base::a"));
    assert!(cycle_from("base::a", &edges).is_some());
    assert!(cycle_from("base", &edges).is_none());
}
