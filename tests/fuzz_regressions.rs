//! Every input a fuzzer ever crashed on (`fuzz/regressions/<target>/`), and the seed corpus
//! (`fuzz/seeds/<target>/`), through the same checks as the fuzz targets. See docs/testing.md.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::fs;
use std::path::Path;

/// Runs `check` on every file of `fuzz/<kind>/<target>/`; returns how many.
fn run_all(kind: &str, target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|e| e == "md" && kind == "regressions")
        {
            continue; // a README
        }
        let data = fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(result.is_ok(), "{} fails its check", path.display());
        n += 1;
    }
    n
}

#[test]
fn profile_inputs() {
    assert!(run_all("seeds", "profile", checks::check_profile) > 10);
    run_all("regressions", "profile", checks::check_profile);
}

#[test]
fn front_matter_inputs() {
    assert!(run_all("seeds", "front_matter", checks::check_front_matter) > 10);
    run_all("regressions", "front_matter", checks::check_front_matter);
}

#[test]
fn latex_inputs() {
    assert!(run_all("seeds", "latex", checks::check_latex) > 10);
    run_all("regressions", "latex", checks::check_latex);
}

#[test]
fn bibtex_inputs() {
    assert!(run_all("seeds", "bibtex", checks::check_bibtex) > 10);
    run_all("regressions", "bibtex", checks::check_bibtex);
}

#[test]
fn csl_json_inputs() {
    assert!(run_all("seeds", "csl_json", checks::check_csl_json) > 5);
    run_all("regressions", "csl_json", checks::check_csl_json);
}

#[test]
fn arxiv_atom_inputs() {
    assert!(run_all("seeds", "arxiv_atom", checks::check_arxiv_atom) > 5);
    run_all("regressions", "arxiv_atom", checks::check_arxiv_atom);
}
