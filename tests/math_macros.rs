//! Macros from config.toml (`[math.macros]`) and from a paper's front matter (`macros`) reach
//! every formula of the built site; display math in abstracts becomes block MathML; a formula
//! with an undefined control sequence shows it marked and names it in a warning.

mod common;

use std::fs;

use common::{build, example_site};

#[test]
fn site_and_paper_macros_render_and_failures_are_reported() {
    let site = example_site();
    let config = site.path().join("config.toml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\n[math.macros]\nE = '\\mathbb{E}'\n\"\\\\norm\" = '\\lVert #1 \\rVert'\n");
    fs::write(&config, text).unwrap();
    fs::write(
        site.path().join("content/papers/macro-paper.md"),
        concat!(
            "+++\n",
            "title = \"Bounds on $\\\\norm{x}$\"\n",
            "date = 2026-10-01\n",
            "abstract = '''We show $\\E[X] \\le \\norm{x}_2 \\cdot \\KL$ and\n",
            "$$\\E[Y] = {a \\over b} \\tag{1}$$\n",
            "\\begin{align} a &= b \\\\ c &= d \\end{align}\n",
            "and $\\undefinedthing{x}$.'''\n",
            "[macros]\n",
            "KL = '\\operatorname{KL}'\n",
            "+++\n",
            "Body with $\\KL(p \\Vert q)$.\n",
        ),
    )
    .unwrap();
    let report = build(site.path());
    let page =
        fs::read_to_string(site.path().join("public/papers/bounds-on-x/index.html")).unwrap();
    // Site macro in the title, site and paper macros in the abstract and the body.
    assert!(page.contains("<mi>𝔼</mi>"), "{page}");
    assert!(page.contains("<mi>KL</mi>"), "{page}");
    assert!(page.contains("‖"), "{page}");
    // Display math in the abstract: `$$…$$` and `align` are block formulas.
    assert!(page.matches(" display=\"block\"").count() >= 2, "{page}");
    // Tags (`\tag{1}`, the numbers of `align`) are set flush right.
    assert!(page.contains("<mrow class=\"math-tag\">"), "{page}");
    assert!(page.contains("<mfrac>"), "{page}");
    // The annotation is the author's TeX, escaped.
    assert!(
        page.contains("<annotation encoding=\"application/x-tex\">\\E[X] \\le \\norm{x}_2 \\cdot \\KL</annotation>"),
        "{page}"
    );
    // The unknown command does not cost the formula: it is shown as its name, marked, the rest
    // is rendered, and it is warned about by name.
    assert!(!page.contains("math-error"), "{page}");
    assert!(
        page.contains("<mtext class=\"math-undefined\">\\undefinedthing</mtext>"),
        "{page}"
    );
    let warned: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warned
            .iter()
            .any(|w| w.contains("\\undefinedthing") && w.contains("Bounds on")),
        "{warned:?}"
    );
}
