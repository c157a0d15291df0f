//! Properties over generated input (proptest): the profile parser never panics, rendered
//! abstracts are always well-formed HTML, and titles round-trip through a built page as text.
//!
//! Failing inputs that proptest finds are kept in `tests/properties.proptest-regressions`,
//! and run first on every later run.

mod common;

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use scholarsite::base::date::Date;
use scholarsite::tex::{Layout, text_to_html};

/// Lines that look like parts of a scraped profile, for inputs that get past the first line.
fn profile_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Jane Doe".to_string()),
        Just("LG".to_string()),
        "(h-index|AI Score|Novelty)[0-9a-z,%]{0,5}",
        "[0-9,x]{0,6}(papers|citations| Papers)",
        "[A-Z@#-]{0,4}(Jan|Feb|Foo|Aug|Sep|Dec)\\.? [0-9]{1,3}(, [0-9]{4})?(Code)?",
        "[A-Za-z $\\\\{}^_]{0,40}",
        "[A-Za-z. ]{1,20}(, [A-Za-z. ]{1,20}){0,3}( et al\\.)?( · [a-z]{0,8})?",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_as_a_profile_or_is_an_error(text in any::<String>()) {
        let as_of = Date::new(2026, 11, 28).unwrap();
        match scholarsite::load::profile::parse(&text, Path::new("p.txt"), as_of) {
            Ok((profile, _)) => prop_assert!(profile.papers.len() <= text.lines().count()),
            Err(e) => prop_assert!(e.errors().count() > 0),
        }
    }

    #[test]
    fn profile_like_text_parses_or_is_a_located_error(
        lines in prop::collection::vec(profile_line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let as_of = Date::new(2026, 11, 28).unwrap();
        match scholarsite::load::profile::parse(&text, Path::new("p.txt"), as_of) {
            Ok((profile, warnings)) => {
                for p in &profile.papers {
                    prop_assert!(!p.title.is_empty());
                    // An entry whose authors line reads like prose keeps no authors, and says so
                    // at the line after its title.
                    let said = warnings.iter().any(|w| {
                        w.message.contains("no authors line")
                            && w.location.as_ref().is_some_and(|l| l.line > p.line + 1)
                    });
                    prop_assert!(!p.authors.is_empty() || said, "{p:?}");
                }
            }
            Err(e) => {
                for d in e.errors() {
                    prop_assert!(d.location.is_some(), "{d}");
                }
            }
        }
    }
}

/// Text with the characters and commands that TeX in abstracts is made of.
fn tex_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 .,;:()<>&\"'-]{1,8}",
        Just("$".to_string()),
        Just("$$".to_string()),
        Just("\\(".to_string()),
        Just("\\)".to_string()),
        Just("\\[".to_string()),
        Just("\\]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("^".to_string()),
        Just("_".to_string()),
        Just("\\\\".to_string()),
        Just("\n\n".to_string()),
        Just("%".to_string()),
        Just("~".to_string()),
        Just("--".to_string()),
        Just("``".to_string()),
        Just("''".to_string()),
        "\\\\(frac|emph|textbf|textit|mathrm|url|href|sqrt|left|right|begin|end|alpha|cite|'|\"|`|foo)",
        "\\\\(begin|end)\\{(align|equation|itemize|x)\\*?\\}",
        "https?://[a-z.]{1,8}/[a-z<>\"]{0,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Whether `html` parses as an HTML fragment without a single error, with every `<math>`
/// closed; the first problem otherwise.
fn html_problem(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_fragment(html);
    if let Some(e) = doc.errors.first() {
        return Some(format!("parse error: {e}"));
    }
    let opened = html.matches("<math").count();
    let closed = html.matches("</math>").count();
    if opened != closed {
        return Some(format!("{opened} <math> but {closed} </math>"));
    }
    let parsed = doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| e.value().name() == "math")
        .count();
    (parsed != opened).then(|| format!("{opened} <math> written, {parsed} parsed"))
}

/// The problem of the HTML rendered from `src`, if it has one.
fn rendering_problem(src: &str) -> Option<String> {
    // Control characters and noncharacters never reach the renderer: reading a file and
    // checking front matter refuse them (tests/fixtures/broken/*-control-character).
    let src: String = src
        .chars()
        .filter(|&c| !scholarsite::load::source::is_forbidden_char(c))
        .collect();
    let src = src.as_str();
    let mut problems = Vec::new();
    let html = text_to_html(src, Layout::Block, &mut problems);
    let problem = html_problem(&html)?;
    Some(format!("{problem}\nsource: {src:?}\nhtml: {html}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn rendered_abstracts_are_well_formed_html(src in tex_like()) {
        if let Some(problem) = rendering_problem(&src) {
            prop_assert!(false, "{problem}");
        }
    }

    #[test]
    fn rendered_arbitrary_text_is_well_formed_html(src in any::<String>()) {
        if let Some(problem) = rendering_problem(&src) {
            prop_assert!(false, "{problem}");
        }
    }
}

#[test]
fn formulas_escape_their_text() {
    for src in ["$<$", "$a > b$", "$\\mathrm{<b>}$", "$\\operatorname{<x>}$"] {
        let mut problems = Vec::new();
        let html = text_to_html(src, Layout::Block, &mut problems);
        assert_eq!(html_problem(&html), None, "{src}: {html}");
    }
}

/// Titles without TeX syntax (which titles render by design): no `\ $ { } ~` or backquote,
/// no scripts `^ _` (math in a title), no `--` or `''` ligatures, no control characters.
fn plain_title() -> impl Strategy<Value = String> {
    "[^\\\\${}~`^_\\p{Cc}]{1,60}"
        .prop_filter("no TeX ligatures", |t| {
            !t.contains("--") && !t.contains("''")
        })
        .prop_filter("something visible", |t| !t.trim().is_empty())
}

/// A one-paper site whose paper has `title`; returns the text of the paper page's `<h1>`.
fn title_through_a_page(title: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/papers")).unwrap();
    fs::write(
        root.join("config.toml"),
        "base_url = \"https://x.github.io/\"\n[author]\nname = \"Jane Doe\"\n",
    )
    .unwrap();
    let toml = toml::Value::String(title.to_string()).to_string();
    fs::write(
        root.join("content/papers/p.md"),
        format!("+++\ntitle = {toml}\nslug = \"p\"\n+++\n"),
    )
    .unwrap();
    common::build(root);
    let doc = common::html(&root.join("public/papers/p/index.html"));
    let h1 = doc
        .select(&common::sel("article h1"))
        .next()
        .expect("the paper's title");
    h1.text().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn titles_round_trip_through_the_page_as_text(title in plain_title()) {
        let shown = title_through_a_page(&title);
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(words(&shown), words(&title));
    }
}

#[test]
fn hostile_titles_round_trip_as_text() {
    for title in [
        "<script>alert(1)</script>",
        "a < b && c > d",
        "\"quoted\" & 'single'",
        "</h1><h1>injected",
        "&amp; &lt;already escaped&gt;",
        "<![CDATA[x]]> <!DOCTYPE html> <? pi ?>",
        "Ünïcödé — ∑ ≤ ∞ 🙂",
    ] {
        assert_eq!(title_through_a_page(title), title);
    }
}
