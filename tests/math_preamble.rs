//! A preamble, as authors have one: `[math] preamble` for the site and `preamble` in a paper's
//! front matter define macros for every formula; lines the reader does not take are skipped
//! with a warning at their line. Undefined macros are reported once per site, with a snippet
//! to paste; `build -v` and `check` list every use. A profile's header category that no paper
//! has is not linked.

mod common;

use std::fs;
use std::path::Path;

use common::{example_site, html, run, sel, visible_text};

/// The example site with a site preamble and two papers of this test.
fn site_with_preamble() -> tempfile::TempDir {
    let site = example_site();
    let root = site.path();
    let config = root.join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[math]\npreamble = \"macros.tex\"\n");
    fs::write(&config, text).unwrap();
    fs::write(
        root.join("macros.tex"),
        "% the paper's macros\n\\newcommand{\\eps}{\\varepsilon}\n\\usepackage{amsmath}\n\\DeclareMathOperator*{\\argmin}{arg\\,min}\n\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}\n",
    )
    .unwrap();
    fs::write(
        root.join("content/papers/preamble-paper.md"),
        "+++\ntitle = \"Bounds with $\\\\eps$\"\ndate = 2026-09-01\npreamble = \"own.tex\"\nabstract = '''We show $\\eps \\le \\norm{x} + \\poly(n)$ and $\\wt{f}$, $\\wt{g}$ and \\wt.'''\n+++\n",
    )
    .unwrap();
    fs::write(
        root.join("content/papers/own.tex"),
        "\\DeclareMathOperator{\\poly}{poly}\n\\title{not a macro}\n",
    )
    .unwrap();
    fs::write(
        root.join("content/papers/other-paper.md"),
        "+++\ntitle = \"Another\"\ndate = 2026-08-01\nabstract = '''Uses $\\wt{h}$ and $\\poly(m)$.'''\n+++\n",
    )
    .unwrap();
    site
}

#[test]
fn preambles_define_macros_and_report_the_lines_they_skip() {
    let site = site_with_preamble();
    let root = site.path();
    let report = common::build(root);
    let page = root.join("public/papers/bounds-with-e/index.html");
    let doc = html(&page);
    let text = fs::read_to_string(&page).unwrap();
    // The site's `\eps` and `\norm`, the paper's `\poly`: rendered; `\wt` is not defined.
    assert!(text.contains("<mi>ε</mi>"), "{text}");
    assert!(text.contains("‖"), "{text}");
    assert!(text.contains("<mi>poly</mi>"), "{text}");
    let marks: Vec<String> = doc
        .select(&sel(".math-undefined"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(marks, ["\\wt", "\\wt", "\\wt"], "{text}");
    assert!(!visible_text(&doc).contains("\\poly"));
    // The other paper has the site's macros only.
    let other = fs::read_to_string(root.join("public/papers/another/index.html")).unwrap();
    assert!(
        other.contains("<mtext class=\"math-undefined\">\\poly</mtext>"),
        "{other}"
    );
    // Skipped lines: a warning each, at their line.
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    let skipped: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("preamble line skipped"))
        .collect();
    assert_eq!(skipped.len(), 2, "{warnings:#?}");
    assert!(
        skipped
            .iter()
            .any(|w| w.contains("macros.tex:3:1") && w.contains("\\usepackage{amsmath}")),
        "{skipped:#?}"
    );
    assert!(
        skipped
            .iter()
            .any(|w| w.contains("own.tex:2:1") && w.contains("\\title{not a macro}")),
        "{skipped:#?}"
    );
    // Undefined macros: one warning for the site, with counts, the first place and a snippet.
    let summary: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("undefined macro"))
        .collect();
    assert_eq!(summary.len(), 1, "{warnings:#?}");
    let s = summary[0];
    assert!(
        s.contains("2 undefined macros (5 uses in 2 papers or pages)"),
        "{s}"
    );
    assert!(s.contains("\\wt    4 uses in 2 papers, first at"), "{s}");
    assert!(s.contains("\\poly  1 use in 1 paper"), "{s}");
    assert!(
        s.contains("\\newcommand{\\wt}[1]{\\widetilde{#1}}   % a guess"),
        "{s}"
    );
    assert!(
        s.contains("\\newcommand{\\poly}{\\operatorname{poly}}"),
        "{s}"
    );
    assert_eq!(report.details.len(), 5);
}

#[test]
fn verbose_lists_every_use_and_check_fails_on_them() {
    let site = site_with_preamble();
    let root = site.path();
    let quiet = run(root, &["build"]);
    let quiet_err = String::from_utf8_lossy(&quiet.stderr);
    assert!(quiet.status.success(), "{quiet_err}");
    assert_eq!(
        quiet_err.matches("undefined macro `\\wt`").count(),
        0,
        "{quiet_err}"
    );
    assert_eq!(
        quiet_err.matches("undefined macros (").count(),
        1,
        "{quiet_err}"
    );
    let verbose = run(root, &["build", "-v"]);
    let verbose_err = String::from_utf8_lossy(&verbose.stderr);
    assert!(verbose.status.success(), "{verbose_err}");
    assert_eq!(
        verbose_err.matches("undefined macro `\\wt`").count(),
        4,
        "{verbose_err}"
    );
    assert!(
        verbose_err.contains("content/papers/preamble-paper.md:"),
        "{verbose_err}"
    );
    let check = run(root, &["check"]);
    let check_out = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!check.status.success(), "{check_out}");
    assert_eq!(
        check_out.matches("error: undefined macro `\\").count(),
        5,
        "{check_out}"
    );
}

#[test]
fn a_missing_preamble_names_the_key() {
    let site = example_site();
    let root = site.path();
    let config = root.join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[math]\npreamble = \"nowhere.tex\"\n");
    fs::write(&config, text).unwrap();
    let out = run(root, &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("the preamble `") && err.contains("nowhere.tex` does not exist"),
        "{err}"
    );
    assert!(err.contains("config.toml:"), "{err}");
}

#[test]
fn a_header_category_without_papers_is_not_linked() {
    let site = example_site();
    let root = site.path();
    let profile = root.join("seeds/profile.txt");
    let text = fs::read_to_string(&profile).unwrap();
    // The header's category (the line after the name) becomes one no paper has.
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| {
            *l == "LG" || l.len() <= 8 && l.chars().all(|c| c.is_ascii_uppercase() || c == '-')
        })
        .expect("the header's category line");
    lines[header] = "MULTI";
    fs::write(&profile, lines.join("\n")).unwrap();
    common::build(root);
    let index = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(!index.contains("categories/multi/"), "{index}");
    assert!(!Path::new(&root.join("public/categories/multi")).exists());
    let check = run(root, &["check"]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!out.contains("categories/multi"), "{out}");
}
