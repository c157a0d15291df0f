//! Every accepted corpus formula, rendered by scholarsite into one page of a built site (with
//! the site's own `math/math.css`, its math font and the default theme's stylesheet), loaded in
//! headless Chromium at 390 px: each formula has a box of non-zero size and none overflows its
//! paragraph; the stylesheet is applied and the formulas are set in the math font. A full-page
//! screenshot is written to `tests/screenshots/math-corpus-390.png` for people to look at.
//!
//! Whether a formula renders without `<merror>` is `math_corpus.rs`'s concern; this test checks
//! only what a browser's layout can tell. Needs Chromium and Node.js: ignored outside CI unless
//! run with `--include-ignored`.

mod common;

use std::fs;

use common::*;
use scholarsite::tex::{Macros, math_to_mathml_with};

/// The accepted formulas of the corpus as paragraphs (`data-formula` holds the TeX), and how
/// many there are. Inline formulas sit in a sentence, as in an abstract.
fn corpus_paragraphs() -> (String, usize) {
    let mut files: Vec<_> = fs::read_dir(repo().join("tests/fixtures/math"))
        .expect("tests/fixtures/math")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let macros = Macros::default();
    let (mut body, mut count) = (String::new(), 0);
    for file in files {
        for line in fs::read_to_string(&file).expect("corpus").lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let tex = v["tex"].as_str().unwrap_or_default();
            let display = v["display"].as_bool().unwrap_or(false);
            let mut mathml = String::new();
            if math_to_mathml_with(tex, display, &macros, &mut mathml).is_err() {
                continue;
            }
            count += 1;
            let attr = scholarsite::base::text::escape(tex);
            if display {
                body.push_str(&format!(
                    "<p id=\"f{count}\" data-formula=\"{attr}\">{mathml}</p>\n"
                ));
            } else {
                body.push_str(&format!(
                    "<p id=\"f{count}\" data-formula=\"{attr}\">Formula {count}, {mathml}, in a sentence.</p>\n"
                ));
            }
        }
    }
    (body, count)
}

/// Formulas known not to fit, as (problem, TeX): each is a rendering bug, reported. The test
/// fails on any other formula, and on one of these once it is fixed, so that the list only
/// shrinks.
const KNOWN: &[(&str, &str)] = &[
    // Lone stretchy delimiters stretch to the height of nothing: Chromium draws them 0 px high.
    // TeX sets a delimiter outside \left…\right at its natural size (`stretchy="false"`).
    ("empty", r"\lmoustache \rmoustache"),
    // Inline formulas never break across lines, so one wider than the screen sticks out (TeX
    // breaks inline math after a relation or binary operator at its top level). These are
    // KaTeX's tables of relations and arrows written inline.
    (
        "overflows",
        "= < > : ∈ ∋ ∝ ∼ ∽ ≂ ≃ ≅ ≈ ≊ ≍ ≎ ≏ ≐ ≑ ≒ ≓ ≖ ≗ ≜ ≡ ≤ ≥ ≦ ≧ ≫ ≬ ≳ ≷ ≺ ≻ ≼ ≽ ≾ ≿ ⊂ ⊃ ⊆ ⊇ ⊏ ⊐ ⊑ ⊒ ⊢ ⊣ ⊩ ⊪ ⊸ ⋈ ⋍ ⋐ ⋑ ⋔ ⋙ ⋛ ⋞ ⋟ ⌢ ⌣ ⩾ ⪆ ⪌ ⪕ ⪖ ⪯ ⪰ ⪷ ⪸ ⫅ ⫆ ≲ ⩽ ⪅ ≶ ⋚ ⪋ ⟂ ⊨ ⊶ ⊷",
    ),
    (
        "overflows",
        "∉ ∌ ∤ ∦ ≁ ≆ ≠ ≨ ≩ ≮ ≯ ≰ ≱ ⊀ ⊁ ⊈ ⊉ ⊊ ⊋ ⊬ ⊭ ⊮ ⊯ ⋠ ⋡ ⋦ ⋧ ⋨ ⋩ ⋬ ⋭ ⪇ ⪈ ⪉ ⪊ ⪵ ⪶ ⪹ ⪺ ⫋ ⫌",
    ),
    (
        "overflows",
        "← ↑ → ↓ ↔ ↕ ↖ ↗ ↘ ↙ ↚ ↛ ↞ ↠ ↢ ↣ ↦ ↩ ↪ ↫ ↬ ↭ ↮ ↰ ↱↶ ↷ ↺ ↻ ↼ ↽ ↾ ↾ ↿ ⇀ ⇁ ⇂ ⇃ ⇄ ⇆ ⇇ ⇈ ⇉ ⇊ ⇋ ⇌⇍ ⇎ ⇏ ⇐ ⇑ ⇒ ⇓ ⇔ ⇕ ⇚ ⇛ ⇝ ⇠ ⇢ ⟵ ⟶ ⟷ ⟸ ⟹ ⟺ ⟼",
    ),
    // KaTeX's table of size commands (added with the TeX work of issue 18), one inline line of
    // text-mode words up to \Huge: wider than a phone, and with no relation to break at.
    (
        "overflows",
        "\\tiny tiny \\scriptsize scriptsize \\footnotesize footnotesize \\small small \\normalsize normal \\large large \\Large Large \\LARGE LARGE \\huge huge \\Huge Huge",
    ),
];

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Chromium and Node.js (npm ci): cargo test -- --include-ignored"
)]
fn every_accepted_formula_has_a_box_that_fits_a_phone_screen_in_chromium() {
    require_browser();
    // A built site supplies the math stylesheet and font exactly as sites get them.
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    for shipped in [
        "math/math.css",
        "math/font/latinmodern-math.woff2",
        "style.css",
    ] {
        assert!(
            public.join(shipped).is_file(),
            "a built site has no {shipped}"
        );
    }
    let (body, count) = corpus_paragraphs();
    assert!(count > 400, "only {count} formulas accepted");
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Math corpus</title><link rel=\"icon\" href=\"data:,\">\
         <link rel=\"stylesheet\" href=\"/homepage/style.css\">\
         <link rel=\"stylesheet\" href=\"/homepage/math/math.css\"></head>\n\
         <body><main class=\"container\"><article class=\"prose\">\n{body}</article></main></body></html>\n"
    );
    fs::create_dir_all(public.join("math-corpus")).unwrap();
    fs::write(public.join("math-corpus/index.html"), page).unwrap();
    let port = static_server(public);
    let shot = repo().join("tests/screenshots/math-corpus-390.png");
    let _ = fs::remove_file(&shot);
    let out = run_browser_script(
        "math.mjs",
        &[
            &format!("http://127.0.0.1:{port}/homepage/math-corpus/"),
            &count.to_string(),
            &shot.to_string_lossy(),
        ],
    );
    assert!(out.contains("PASS"), "{out}");
    assert!(shot.is_file(), "no screenshot at {}", shot.display());
    let found: Vec<(String, String)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("PROBLEM "))
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (_id, kind) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let tex: String = serde_json::from_str(parts.next().unwrap_or("\"\"")).unwrap();
            (kind.to_string(), tex)
        })
        .collect();
    let known: Vec<(String, String)> = KNOWN
        .iter()
        .map(|(kind, tex)| (kind.to_string(), tex.to_string()))
        .collect();
    let new: Vec<_> = found.iter().filter(|p| !known.contains(p)).collect();
    let gone: Vec<_> = known.iter().filter(|p| !found.contains(p)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "formulas that do not fit a 390 px screen (kind, TeX):\n  new: {new:#?}\n  fixed (remove from KNOWN): {gone:#?}\nscreenshot: {}",
        shot.display()
    );
}
