//! What we ship: the crate package (`cargo package --list`), the release workflow's archives,
//! `cargo binstall`'s idea of where they are, and the minimum Rust version of every dependency.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_yaml::Value;

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn manifest() -> toml::Table {
    toml::from_str(&fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap()
}

/// Every file under `dir` (relative to the repository, `/`-separated).
fn files_under(dir: &str) -> Vec<String> {
    walkdir::WalkDir::new(repo().join(dir))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn the_package_holds_what_the_crate_needs_and_nothing_else() {
    let out = cargo()
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo())
        .output()
        .expect("run cargo package");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    // Everything the build reads: the sources, the themes and math assets it embeds.
    for dir in ["src", "themes", "assets/math"] {
        for file in files_under(dir) {
            assert!(listed.contains(&file), "{file} is missing from the package");
        }
    }
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "LICENSE",
    ] {
        assert!(listed.contains(file), "{file} is missing from the package");
    }
    // Every file a source embeds with include_str!/include_bytes! is in the package.
    for source in files_under("src") {
        let text = fs::read_to_string(repo().join(&source)).unwrap_or_default();
        for part in text.split("include_").skip(1) {
            let Some(arg) = part
                .strip_prefix("str!(\"")
                .or_else(|| part.strip_prefix("bytes!(\""))
            else {
                continue;
            };
            let rel = &arg[..arg.find('"').unwrap()];
            let target = normalize(&Path::new(&source).parent().unwrap().join(rel));
            assert!(
                listed.contains(&target),
                "{source} embeds {target}, not packaged"
            );
        }
    }
    // Nothing else: no tests, fixtures, screenshots, node scripts, benchmarks or example site.
    let allowed = |f: &str| {
        ["src/", "themes/", "assets/math/"]
            .iter()
            .any(|p| f.starts_with(p))
            || [
                "Cargo.toml",
                "Cargo.toml.orig",
                "Cargo.lock",
                "build.rs",
                "README.md",
                "LICENSE",
                ".cargo_vcs_info.json",
            ]
            .contains(&f)
    };
    let extra: Vec<&String> = listed.iter().filter(|f| !allowed(f)).collect();
    assert!(extra.is_empty(), "not needed by the crate: {extra:?}");
    assert!(
        !listed
            .iter()
            .any(|f| f.ends_with(".png") || f.ends_with(".mjs") || f.contains("fixtures")),
        "{listed:?}"
    );
}

/// What crates.io checks on upload and `cargo publish --dry-run` does not: the metadata it
/// requires, at most five keywords of at most 20 characters, and the categories' slugs.
#[test]
fn the_manifest_meets_crates_io_rules() {
    let manifest = manifest();
    let package = &manifest["package"];
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "rust-version",
    ] {
        assert!(package.get(key).is_some(), "{key}");
    }
    let keywords = package["keywords"].as_array().unwrap();
    assert!(keywords.len() <= 5, "{keywords:?}");
    for k in keywords {
        let k = k.as_str().unwrap();
        assert!(
            k.len() <= 20
                && k.starts_with(|c: char| c.is_ascii_alphabetic())
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "keyword `{k}`"
        );
    }
    // Slugs of crates.io's category list (the two used here).
    for c in package["categories"].as_array().unwrap() {
        let c = c.as_str().unwrap();
        assert!(
            ["command-line-utilities", "web-programming"].contains(&c),
            "category `{c}` is not one checked here"
        );
    }
}

/// `a/b/../c` → `a/c`, as a `/`-separated string.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn release_workflow() -> Value {
    serde_yaml::from_str(&fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap())
        .unwrap()
}

/// The upload step of the release workflow.
fn upload_step(release: &Value) -> Value {
    release["jobs"]["upload-binaries"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .cloned()
        .expect("release.yml uploads with taiki-e/upload-rust-binary-action")
}

/// (target, runner) of the release matrix.
fn release_targets(release: &Value) -> Vec<(String, String)> {
    release["jobs"]["upload-binaries"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["target"].as_str().unwrap().to_string(),
                e["os"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_release_workflow_builds_static_binaries_for_five_platforms_with_checksums() {
    let release = release_workflow();
    let tags = release["on"]["push"]["tags"].as_sequence().unwrap();
    assert_eq!(tags, &[Value::from("v*")]);
    let targets: BTreeSet<String> = release_targets(&release)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let wanted: BTreeSet<String> = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .map(String::from)
    .into();
    assert_eq!(targets, wanted);
    let with = &upload_step(&release)["with"];
    assert_eq!(with["bin"].as_str(), Some("scholarsite"));
    assert_eq!(with["checksum"].as_str(), Some("sha256"));
    let included: BTreeSet<&str> = with["include"].as_str().unwrap().split(',').collect();
    assert_eq!(included, BTreeSet::from(["README.md", "LICENSE"]));
    for file in &included {
        assert!(repo().join(file).is_file(), "{file}");
    }
    // Every action is pinned to a release, never to a moving branch.
    let text = fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    for line in text.lines().filter(|l| l.contains("uses:")) {
        let version = line.rsplit('@').next().unwrap().trim();
        assert!(
            version.starts_with('v') && version[1..].starts_with(|c: char| c.is_ascii_digit()),
            "{line}"
        );
    }
    // The licence file is the licence Cargo.toml names.
    assert_eq!(manifest()["package"]["license"].as_str(), Some("MIT"));
    let license = fs::read_to_string(repo().join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License\n"), "{license}");
}

#[test]
fn binstall_finds_the_release_archives() {
    let manifest = manifest();
    let package = &manifest["package"];
    let binstall = &package["metadata"]["binstall"];
    let repository = package["repository"].as_str().unwrap();
    let version = package["version"].as_str().unwrap();
    let name = package["name"].as_str().unwrap();
    let release = release_workflow();
    let with = upload_step(&release)["with"].clone();
    for (target, os) in release_targets(&release) {
        // What the upload action names the archive (tar.gz on unix runners, zip on Windows).
        let tag = format!("v{version}");
        let archive = with["archive"]
            .as_str()
            .unwrap()
            .replace("$bin", with["bin"].as_str().unwrap())
            .replace("$tag", &tag)
            .replace("$target", &target);
        let (tar, zip) = (with["tar"].as_str().unwrap(), with["zip"].as_str().unwrap());
        let platform = if os.starts_with("windows") {
            "windows"
        } else {
            "unix"
        };
        let ext = match (
            tar == platform || tar == "all",
            zip == platform || zip == "all",
        ) {
            (true, _) => ".tar.gz",
            (false, true) => ".zip",
            _ => panic!("no archive for {target}"),
        };
        let uploaded = format!("{repository}/releases/download/{tag}/{archive}{ext}");
        // Where cargo-binstall looks for it.
        let fmt = binstall["overrides"]
            .get(target.as_str())
            .and_then(|o| o.get("pkg-fmt"))
            .or(binstall.get("pkg-fmt"))
            .and_then(|v| v.as_str())
            .unwrap();
        let suffix = match fmt {
            "tgz" => ".tar.gz",
            "zip" => ".zip",
            other => panic!("pkg-fmt {other}"),
        };
        let looked_up = binstall["pkg-url"]
            .as_str()
            .unwrap()
            .replace("{ repo }", repository)
            .replace("{ version }", version)
            .replace("{ name }", name)
            .replace("{ target }", &target)
            .replace("{ archive-suffix }", suffix);
        assert_eq!(looked_up, uploaded, "{target}");
    }
    // The archives hold the binary at their root (no leading folder).
    assert!(
        with.get("leading-dir")
            .is_none_or(|v| v.as_bool() == Some(false))
    );
    assert_eq!(binstall["bin-dir"].as_str(), Some("{ bin }{ binary-ext }"));
}

/// Parses `1.88` or `1.88.0` into (major, minor, patch).
fn version(s: &str) -> (u64, u64, u64) {
    let mut parts = s.split('.').map(|p| p.parse::<u64>().unwrap());
    (
        parts.next().unwrap(),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// The minimum supported Rust version holds for the dependencies: every crate in Cargo.lock
/// that declares a `rust-version` declares one no newer than ours. (Our own code is held to it
/// by clippy's `incompatible_msrv` lint, which `.ci/run` runs; there is one toolchain here, so
/// the MSRV compiler itself is not run.) `cargo metadata` reads the manifests of the crates of
/// every platform (Windows' too), fetched from crates.io once.
#[test]
fn every_dependency_supports_our_minimum_rust_version() {
    let ours = manifest()["package"]["rust-version"]
        .as_str()
        .unwrap()
        .to_string();
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(repo())
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    assert!(packages.len() > 50, "the whole graph: {}", packages.len());
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(&ours)).then(|| {
                format!(
                    "{} {} needs Rust {needs}",
                    p["name"].as_str().unwrap(),
                    p["version"].as_str().unwrap()
                )
            })
        })
        .collect();
    assert!(newer.is_empty(), "MSRV is {ours}, but {newer:?}");
}
