//! The math corpus (`tests/fixtures/math/*.jsonl`: real formulas with their provenance) must
//! keep rendering: the acceptance rate is reported and may not drop below the figure recorded
//! in `tests/fixtures/math/acceptance.txt`. Every formula, accepted or not, must render
//! without panicking, and accepted ones carry the author's TeX as their annotation.

use std::path::Path;

use scholarsite::tex::{Macros, math_to_mathml_with};

/// One corpus expression.
struct Entry {
    file: String,
    line: usize,
    tex: String,
    display: bool,
}

fn corpus() -> Vec<Entry> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/math");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/math exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable corpus file");
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            for key in ["tex", "source", "url"] {
                assert!(
                    v[key].as_str().is_some_and(|s| !s.is_empty()),
                    "{}:{}: every expression needs `{key}`",
                    path.display(),
                    n + 1
                );
            }
            entries.push(Entry {
                file: path.display().to_string(),
                line: n + 1,
                tex: v["tex"].as_str().unwrap_or_default().to_string(),
                display: v["display"].as_bool().unwrap_or(false),
            });
        }
    }
    entries
}

/// The recorded figure: `accepted/total`.
fn recorded() -> (usize, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/math/acceptance.txt");
    let text = std::fs::read_to_string(path).expect("acceptance.txt exists");
    let line = text
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .expect("acceptance.txt has a figure");
    let (a, t) = line
        .trim()
        .split_once('/')
        .expect("figure is accepted/total");
    (a.parse().expect("a number"), t.parse().expect("a number"))
}

#[test]
fn corpus_acceptance_does_not_drop() {
    let entries = corpus();
    assert!(
        entries.len() >= 300,
        "the corpus has {} expressions",
        entries.len()
    );
    let macros = Macros::default();
    let mut accepted = 0;
    let mut rejected = Vec::new();
    for e in &entries {
        let mut out = String::new();
        match math_to_mathml_with(&e.tex, e.display, &macros, &mut out) {
            Ok(undefined) => {
                if undefined.is_empty() {
                    accepted += 1;
                } else {
                    // Rendered, with the author's own macros marked: as KaTeX and Temml show
                    // them in the error colour, not counted as accepted.
                    rejected.push(format!(
                        "{}:{}: {} (rendered with undefined {undefined:?} marked)",
                        e.file, e.line, e.tex
                    ));
                }
                let annotation = format!(
                    "<annotation encoding=\"application/x-tex\">{}</annotation>",
                    scholarsite::base::text::escape(e.tex.trim())
                );
                assert!(
                    out.contains(&annotation),
                    "{}:{}: the annotation is not the author's TeX: {out}",
                    e.file,
                    e.line
                );
                assert!(!out.contains("<merror"), "{}:{}: {out}", e.file, e.line);
            }
            Err(reason) => rejected.push(format!("{}:{}: {} ({reason})", e.file, e.line, e.tex)),
        }
    }
    let rate = 100.0 * accepted as f64 / entries.len() as f64;
    println!(
        "math corpus: {accepted}/{} accepted ({rate:.1}%)",
        entries.len()
    );
    for r in &rejected {
        println!("  rejected {r}");
    }
    let (min_accepted, total) = recorded();
    let min_rate = min_accepted as f64 / total as f64;
    assert!(
        accepted as f64 / entries.len() as f64 >= min_rate,
        "acceptance dropped to {accepted}/{} (recorded: {min_accepted}/{total})",
        entries.len()
    );
}
