//! Every accepted corpus formula, rendered by scholarsite into one page, loaded in headless
//! Chromium: the DOM after load has one `<math>` per formula and no `<merror>`, and a
//! screenshot is written to `target/math-corpus.png` for a person to look at.
//!
//! Without Chromium the test is skipped, except on CI (`CI=true`), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use scholarsite::tex::{Macros, math_to_mathml_with};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Runs headless Chromium on `page` with `extra` flags; returns stdout.
fn run_chromium(bin: &Path, page: &Path, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("temp profile dir");
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn accepted_formulas_render_in_chromium_without_errors() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Chromium is required on CI: apt-get install chromium"
        );
        println!("SKIPPED: Chromium not found; install with apt-get install chromium");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut body = String::new();
    let mut count = 0;
    let macros = Macros::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/math"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        for line in std::fs::read_to_string(&file).expect("corpus").lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let tex = v["tex"].as_str().unwrap_or_default();
            let display = v["display"].as_bool().unwrap_or(false);
            let mut mathml = String::new();
            if math_to_mathml_with(tex, display, &macros, &mut mathml).is_ok() {
                count += 1;
                body.push_str(&format!("<p id=\"f{count}\">{mathml}</p>\n"));
            }
        }
    }
    let css = std::fs::read_to_string(root.join("themes/default/static/math/math.css"))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>math corpus</title>\
         <style>{css} body {{ font: 16px serif; columns: 3; }} p {{ margin: 0.3em 0; break-inside: avoid; }}</style>\
         </head><body>\n{body}</body></html>"
    );
    let out_dir = root.join("target");
    std::fs::create_dir_all(&out_dir).expect("target dir");
    let page = out_dir.join("math-corpus.html");
    std::fs::write(&page, html).expect("write page");

    let dom = run_chromium(&bin, &page, &["--dump-dom"]);
    assert_eq!(
        dom.matches("<math ").count(),
        count,
        "the browser parsed a different number of formulas than were written"
    );
    assert!(!dom.contains("<merror"), "a formula renders as <merror>");
    assert!(!dom.contains("<img"), "markup escaped from a formula");

    let shot = out_dir.join("math-corpus.png");
    run_chromium(
        &bin,
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1400,6000",
        ],
    );
    assert!(shot.exists(), "no screenshot at {}", shot.display());
    println!("{count} formulas rendered; screenshot: {}", shot.display());
}
