//! What each fuzz target checks, as plain functions: the targets call them with libFuzzer's
//! input, and `tests/fuzz_regressions.rs` in the main crate calls them with every input a
//! fuzzer ever crashed on (`fuzz/regressions/<target>/`). Each panics on a failed check.

use std::path::Path;

use scholarsite::base::date::Date;
use scholarsite::base::diag::Location;
use scholarsite::load::content::{PaperMatter, split_front_matter};
use scholarsite::load::sources;
use scholarsite::tex::{Layout, text_to_html};

/// The profile parser: any text is a profile or an error, never a panic; every error names
/// where it is, and prints.
pub fn check_profile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let as_of = Date::new(2026, 11, 28).expect("a valid date");
    match scholarsite::load::profile::parse(text, Path::new("p.txt"), as_of) {
        Ok((profile, warnings)) => {
            for p in &profile.papers {
                assert!(!p.title.trim().is_empty(), "a paper without a title");
                // An entry whose authors line reads like prose keeps no authors, with a warning
                // at the line after its title.
                let warned = || {
                    warnings.iter().any(|w| {
                        w.location.as_ref().is_some_and(|l| l.line > p.line + 1)
                            && w.message.contains("no authors line")
                    })
                };
                assert!(!p.authors.is_empty() || warned(), "a paper without authors");
                assert!(p.line >= 1 && p.line <= text.split('\n').count());
            }
            for w in &warnings {
                let _ = w.to_string();
            }
        }
        Err(e) => check_error(&e),
    }
}

/// A failed read: it has at least one error, each located, and prints.
fn check_error(e: &scholarsite::base::diag::Error) {
    assert!(
        e.errors().count() > 0,
        "an error without an error diagnostic"
    );
    for d in e.errors() {
        assert!(d.location.is_some(), "an error without a location: {d}");
    }
    let _ = e.to_string();
}

/// The front-matter splitter and the TOML of a paper: the parts are where the offsets say,
/// and errors are located inside the file.
pub fn check_front_matter(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let shown = Path::new("p.md");
    match split_front_matter(shown, src) {
        Ok(split) => {
            assert_eq!(&src[split.body_offset..], split.body, "body offset");
            if let Some(toml_src) = split.toml {
                let end = split.toml_offset + toml_src.len();
                assert_eq!(&src[split.toml_offset..end], toml_src, "TOML offset");
                assert!(end <= split.body_offset, "TOML after the body");
                if let Err(e) = toml::from_str::<PaperMatter>(toml_src) {
                    let d = scholarsite::load::settings::toml_error(shown, toml_src, &e);
                    let _ = d.to_string();
                    if let Some(span) = e.span() {
                        let at = split.toml_offset + span.start;
                        let loc = Location::at(shown, src, at, span.len());
                        assert!(loc.line >= 1 && loc.col >= 1);
                    }
                }
                for key in ["title", "slug", "date", "links", "pdf"] {
                    let _ = scholarsite::load::settings::key_location(shown, src, key);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// The TeX renderer of abstracts: any text renders, every `<math>` is closed, and every
/// problem points inside the text.
pub fn check_latex(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for layout in [Layout::Block, Layout::Inline] {
        let mut problems = Vec::new();
        let html = text_to_html(src, layout, &mut problems);
        assert_eq!(
            html.matches("<math").count(),
            html.matches("</math>").count(),
            "unbalanced <math> in {html}"
        );
        for p in &problems {
            assert!(p.offset <= src.len(), "problem outside the text: {p:?}");
            let _ = Location::at(Path::new("a.txt"), src, p.offset, p.source.len());
        }
    }
}

/// A bibliography reader (BibTeX, CSL-JSON, arXiv Atom or ORCID JSON, told by the content and
/// `name`'s extension): any text gives records or a located error, never a panic; records
/// have titles, counts add up, warnings and errors print.
fn check_bibliography(data: &[u8], name: &str) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match sources::parse(Path::new(name), text) {
        Ok((file, records, warnings)) => {
            assert!(
                records.len() + file.skipped <= file.entries,
                "more records than entries"
            );
            for r in &records {
                assert!(r.title.as_ref().is_some_and(|t| !t.tex.trim().is_empty()));
                assert!(r.line <= text.split('\n').count());
                for a in &r.authors {
                    let n = scholarsite::base::name::Name::parse(a);
                    assert_eq!(scholarsite::base::name::Name::parse(&n.written()), n, "{a}");
                }
            }
            for w in warnings {
                let _ = w.to_string();
            }
        }
        Err(e) => check_error(&e),
    }
}

/// The BibTeX/BibLaTeX reader.
pub fn check_bibtex(data: &[u8]) {
    check_bibliography(data, "refs.bib");
}

/// The CSL-JSON and ORCID JSON readers.
pub fn check_csl_json(data: &[u8]) {
    check_bibliography(data, "refs.json");
}

/// The arXiv Atom reader.
pub fn check_arxiv_atom(data: &[u8]) {
    check_bibliography(data, "feed.xml");
}
