//! Embeds every theme under `themes/` into the binary, so that a site without a `themes/`
//! folder still builds (`scholarsite init` + `build`). Writes `$OUT_DIR/embedded_themes.rs`.
//! Also sets `cfg(ci)` when `CI=true`, for the tests that need outside tools.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=themes");
    // `cfg(ci)` when CI=true: the tests that need tools from outside Rust (Chromium, Node.js,
    // Java, a tmpfs mount) are `#[cfg_attr(not(ci), ignore = "needs …")]`, so that on CI they
    // always run (and fail without their tools) and elsewhere they are listed as ignored, never
    // passed in silence. See docs/testing.md.
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rustc-check-cfg=cfg(ci)");
    if env::var("CI").is_ok_and(|v| v == "true") {
        println!("cargo:rustc-cfg=ci");
    }
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut code = String::from(
        "/// The themes compiled into the binary.\npub static THEMES: &[EmbeddedTheme] = &[\n",
    );
    let mut themes: Vec<PathBuf> = fs::read_dir(root.join("themes"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    themes.sort();
    for theme in themes {
        let name = theme
            .file_name()
            .expect("a folder name")
            .to_string_lossy()
            .into_owned();
        let mut files = Vec::new();
        collect(&theme, &mut files);
        files.sort();
        writeln!(
            code,
            "    EmbeddedTheme {{\n        name: {name:?},\n        files: &["
        )
        .unwrap();
        for file in files {
            let rel = file.strip_prefix(&theme).expect("inside the theme");
            let rel = rel.to_string_lossy().replace('\\', "/");
            writeln!(
                code,
                "            ({rel:?}, include_bytes!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        code.push_str("        ],\n    },\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("embedded_themes.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        } else if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
