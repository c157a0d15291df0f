//! Real arXiv abstracts, as a reader sees them.
//!
//! `corpus_counts_do_not_rise`: when `../shared/corpus/arxiv-profile.txt` (866 real arXiv
//! records, outside the repository) is present, a site is built from it as a new user would
//! (`init`, the corpus as `seeds/profile.txt`, no sample papers) and its paper pages are
//! scanned: formulas shown as source, marks of undefined macros, TeX left in the prose. The
//! counts may not rise above those pinned in `tests/fixtures/math/arxiv/corpus.txt`. Without
//! the corpus the test says so and passes.
//!
//! `arxiv_regressions`: excerpts of that corpus (`tests/fixtures/math/arxiv/excerpts.jsonl`, each
//! with its arXiv id) that once rendered badly, with what they must render as.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use scholarsite::tex::{Layout, text_to_html};
use scraper::{Html, Node};

/// Elements whose text a reader does not see as prose.
const SKIP: &[&str] = &[
    "math", "code", "pre", "script", "style", "textarea", "kbd", "samp", "template", "svg",
    "noscript", "title",
];

/// Commands whose name in the prose is TeX left unrendered (as `texscan.py` looks for them).
const COMMANDS: &[&str] = &[
    "times",
    "frac",
    "dfrac",
    "tfrac",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "theta",
    "lambda",
    "mu",
    "nu",
    "rho",
    "tau",
    "sigma",
    "pi",
    "phi",
    "varphi",
    "psi",
    "chi",
    "xi",
    "zeta",
    "eta",
    "kappa",
    "iota",
    "upsilon",
    "omega",
    "Omega",
    "Sigma",
    "Delta",
    "Gamma",
    "Phi",
    "Psi",
    "Lambda",
    "Theta",
    "sum",
    "int",
    "prod",
    "sqrt",
    "cdot",
    "cdots",
    "ldots",
    "dots",
    "leq",
    "geq",
    "neq",
    "le",
    "ge",
    "ll",
    "gg",
    "infty",
    "pm",
    "mp",
    "propto",
    "approx",
    "sim",
    "simeq",
    "equiv",
    "mathbb",
    "mathcal",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "boldsymbol",
    "textit",
    "textbf",
    "texttt",
    "textrm",
    "text",
    "emph",
    "cite",
    "citep",
    "citet",
    "ref",
    "eqref",
    "label",
    "begin",
    "end",
    "item",
    "left",
    "right",
    "partial",
    "nabla",
    "subset",
    "subseteq",
    "supset",
    "in",
    "notin",
    "cup",
    "cap",
    "forall",
    "exists",
    "rightarrow",
    "Rightarrow",
    "leftarrow",
    "mapsto",
    "to",
    "hat",
    "bar",
    "vec",
    "tilde",
    "widehat",
    "overline",
    "underline",
    "operatorname",
    "displaystyle",
    "log",
    "exp",
    "min",
    "max",
    "arg",
    "lim",
    "sup",
    "inf",
    "quad",
    "qquad",
    "mid",
    "langle",
    "rangle",
    "Vert",
    "top",
    "odot",
    "otimes",
    "oplus",
    "ell",
    "cal",
    "tag",
    "newcommand",
    "thinspace",
    "footnote",
    "url",
    "href",
];

/// What a page shows of its TeX.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Scan {
    math: usize,
    shown_as_source: usize,
    undefined: BTreeMap<String, usize>,
    prose: Vec<String>,
}

impl Scan {
    fn undefined_marks(&self) -> usize {
        self.undefined.values().sum()
    }

    fn add(&mut self, other: Scan) {
        self.math += other.math;
        self.shown_as_source += other.shown_as_source;
        for (k, v) in other.undefined {
            *self.undefined.entry(k).or_default() += v;
        }
        self.prose.extend(other.prose);
    }
}

/// Scans HTML: its formulas, formulas shown as source, undefined marks, TeX in the prose.
fn scan(html: &str) -> Scan {
    let doc = Html::parse_document(html);
    let mut s = Scan::default();
    let mut prose = String::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(e) => {
                s.math += usize::from(e.name() == "math");
                if e.has_class("math-error", scraper::CaseSensitivity::CaseSensitive) {
                    s.shown_as_source += 1;
                }
                if e.has_class("math-undefined", scraper::CaseSensitivity::CaseSensitive) {
                    let text: String = scraper::ElementRef::wrap(node)
                        .map(|e| e.text().collect())
                        .unwrap_or_default();
                    *s.undefined.entry(text).or_default() += 1;
                }
            }
            Node::Text(t) => {
                let hidden = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| SKIP.contains(&e.name()))
                });
                if !hidden {
                    prose.push_str(t);
                    prose.push(' ');
                }
            }
            _ => {}
        }
    }
    s.prose = tex_in_prose(&prose);
    s
}

/// The places where `text` still holds TeX: `$…$` with TeX in it, math delimiters, known
/// commands, `\word{`, `_{`, `^{`, `{\em `.
fn tex_in_prose(text: &str) -> Vec<String> {
    let mut spots = Vec::new();
    let bytes = text.as_bytes();
    let around = |i: usize| {
        let mut start = i.saturating_sub(30);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (i + 30).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let hit = if let Some(command) = rest.strip_prefix('\\') {
            let name: String = command
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let after = command[name.len()..].chars().next();
            matches!(command.chars().next(), Some('(' | ')' | '[' | ']'))
                || COMMANDS.contains(&name.as_str())
                || (name.len() >= 2 && after == Some('{'))
        } else if rest.starts_with("_{") || rest.starts_with("^{") {
            true
        } else if let Some(inner) = rest.strip_prefix('$') {
            inner.find('$').is_some_and(|end| {
                end <= 160
                    && (inner.starts_with('$')
                        || inner[..end]
                            .contains(|c: char| c.is_ascii_alphabetic() || "\\^_".contains(c)))
            })
        } else {
            ["{\\em ", "{\\it ", "{\\bf ", "{\\sc ", "{\\tt ", "{\\rm "]
                .iter()
                .any(|p| rest.starts_with(p))
        };
        if hit {
            spots.push(around(i));
            // One spot per 30 characters, as texscan merges overlapping hits.
            i += 30;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    spots
}

/// The pinned counts: `name number` lines.
fn pinned() -> BTreeMap<String, usize> {
    let path = common::repo().join("tests/fixtures/math/arxiv/corpus.txt");
    let text = fs::read_to_string(&path).expect("tests/fixtures/math/arxiv/corpus.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

#[test]
fn corpus_counts_do_not_rise() {
    let corpus = common::repo().join("../shared/corpus/arxiv-profile.txt");
    if !corpus.is_file() {
        eprintln!(
            "SKIPPED corpus_counts_do_not_rise: {} is not there (the arXiv corpus lives at \
             ../shared/corpus next to the repository)",
            corpus.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    let options = scholarsite::init::Options {
        dir: &root,
        force: false,
        profile: None,
        from: None,
    };
    scholarsite::init::init(&options).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(&corpus, root.join("seeds/profile.txt")).expect("copy the corpus");
    for entry in fs::read_dir(root.join("content/papers")).expect("content/papers") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "md") {
            fs::remove_file(path).expect("remove a sample paper");
        }
    }
    common::build(&root);
    let papers = root.join("public/papers");
    let mut total = Scan::default();
    let mut pages = 0;
    for entry in fs::read_dir(&papers).expect("public/papers") {
        let entry = entry.expect("entry");
        // A year's page of the split publication list (`papers/2024/`) lists papers; the
        // paper pages are what is counted (no paper's slug is digits only).
        if entry
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let page = entry.path().join("index.html");
        let Ok(html) = fs::read_to_string(&page) else {
            continue;
        };
        pages += 1;
        let mut s = scan(&html);
        let slug = page
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        s.prose = s
            .prose
            .into_iter()
            .map(|p| format!("{slug}: …{p}…"))
            .collect();
        total.add(s);
    }
    println!(
        "arXiv corpus: {pages} pages, {} formulas, {} shown as source, {} undefined marks, {} spots of TeX in the prose",
        total.math,
        total.shown_as_source,
        total.undefined_marks(),
        total.prose.len()
    );
    println!("undefined marks by macro: {:?}", total.undefined);
    for p in &total.prose {
        println!("TeX in the prose: {p}");
    }
    assert!(pages >= 800, "only {pages} paper pages");
    let pins = pinned();
    let pin = |name: &str| pins.get(name).copied().unwrap_or(0);
    assert!(
        total.shown_as_source <= pin("shown_as_source"),
        "formulas shown as source rose to {} (pinned {})",
        total.shown_as_source,
        pin("shown_as_source")
    );
    assert!(
        total.undefined_marks() <= pin("undefined_marks"),
        "undefined marks rose to {} (pinned {}): {:?}",
        total.undefined_marks(),
        pin("undefined_marks"),
        total.undefined
    );
    assert!(
        total.prose.len() <= pin("tex_in_prose"),
        "TeX in the prose rose to {} (pinned {}): {:#?}",
        total.prose.len(),
        pin("tex_in_prose"),
        total.prose
    );
    assert!(
        total.math >= pin("math_at_least"),
        "formulas fell to {} (pinned at least {})",
        total.math,
        pin("math_at_least")
    );
}

#[test]
fn arxiv_regressions() {
    let path = common::repo().join("tests/fixtures/math/arxiv/excerpts.jsonl");
    let text = fs::read_to_string(&path).expect("tests/fixtures/math/arxiv/excerpts.jsonl");
    let mut failures = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let id = v["arxiv"].as_str().expect("every excerpt has its arXiv id");
        let src = v["text"].as_str().expect("text");
        let mut problems = Vec::new();
        let html = text_to_html(src, Layout::Block, &mut problems);
        let s = scan(&html);
        let want_math = v["math"].as_u64().unwrap_or(0) as usize;
        let want_undefined: Vec<&str> = v["undefined"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let undefined: Vec<&str> = s.undefined.keys().map(String::as_str).collect();
        let want_prose = v["prose"].as_u64().unwrap_or(0) as usize;
        if s.math != want_math
            || s.shown_as_source != 0
            || undefined != want_undefined
            || s.prose.len() != want_prose
        {
            failures.push(format!(
                "arXiv {id} (line {}): {} formulas (want {want_math}), {} shown as source, \
                 undefined {undefined:?} (want {want_undefined:?}), prose {:?} (want {want_prose})\n  {html}",
                n + 1,
                s.math,
                s.shown_as_source,
                s.prose
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
