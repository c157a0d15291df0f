//! What a build warns about the papers it merged, so that a mistake is not deployed in
//! silence: identifiers written as URLs (normalised) or as neither, a paper file whose title
//! is one word off the paper it meant to enrich, papers left without a date or authors, and
//! `init`'s sample paper left beside a real profile. `check` lists the same warnings, the
//! incomplete papers and the sample as errors.

use std::collections::HashMap;

use rayon::prelude::*;

use super::paper::Draft;
use crate::base::diag::Diagnostic;
use crate::base::text::{html_to_words, slugify};
use crate::load::content::{Links, PaperFile};
use crate::load::ids::{self, Id};

/// The diagnostic code of a paper without a date or authors (`check` makes these errors).
pub const INCOMPLETE_PAPER: &str = "incomplete";

/// The diagnostic code of `init`'s sample paper left beside a real profile (`check` makes it
/// an error, so that a deploy does not publish it).
pub const SAMPLE_PAPER: &str = "sample";

/// The sample paper `scholarsite init` writes enriches the sample profile's paper; once a real
/// profile is pasted it matches nothing and would be published as a paper of its own.
pub(super) fn sample(file: &PaperFile) -> Diagnostic {
    Diagnostic::warning(
        "this is the sample paper written by `scholarsite init`, and no paper in your profile \
         has its title: it is published on your site as a paper of its own",
    )
    .at(file.key_location("sample"))
    .hint(format!(
        "delete `{}` (or remove `sample = true` from it to keep it as a paper of yours)",
        file.shown.display()
    ))
    .code(SAMPLE_PAPER)
}

/// Whether a draft comes from `init`'s sample file (which [`sample`] reports, and no other
/// check need mention).
fn is_sample(d: &Draft) -> bool {
    d.file.is_some_and(|f| f.matter.sample)
}

/// `links.arxiv` and `links.doi` as bare identifiers: a URL or `arXiv:`/`doi:` form becomes
/// the identifier; a value that is neither is dropped (it would make a broken link and wrong
/// citation data) with a warning at its line.
pub(super) fn normalise_ids(links: &mut Links, file: &PaperFile, warnings: &mut Vec<Diagnostic>) {
    type Parse = fn(&str) -> Id;
    let fields: [(&str, &mut Option<String>, Parse, &str); 2] = [
        (
            "arxiv",
            &mut links.arxiv,
            ids::arxiv,
            "an arXiv id such as `2211.16667`",
        ),
        (
            "doi",
            &mut links.doi,
            ids::doi,
            "a DOI such as `10.1145/3508352.3549402`",
        ),
    ];
    for (key, value, parse, example) in fields {
        let Some(written) = value.take() else {
            continue;
        };
        match parse(&written) {
            Id::Ok(id) => *value = Some(id),
            Id::Invalid(text) => warnings.push(
                Diagnostic::warning(format!(
                    "`{key} = \"{text}\"` is not {example}; it is left out"
                ))
                .at(file.key_location(key))
                .hint(
                    "write the identifier (a link to its page works too); put other \
                         addresses under `html`, `pdf` or `project`",
                ),
            ),
        }
    }
}

/// A warning for each paper a content file added as new while its title is close to a paper
/// that already existed (the profile's, a bibliography's): the file probably meant to enrich
/// it, and a title one word off made a second paper instead.
pub(super) fn near_misses(drafts: &[Draft], known: usize) -> Vec<Diagnostic> {
    let (existing, added) = drafts.split_at(known.min(drafts.len()));
    if existing.is_empty() {
        return Vec::new();
    }
    let words: Vec<Vec<&str>> = existing.par_iter().map(|d| unique_words(&d.slug)).collect();
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        for w in ws {
            index.entry(w).or_default().push(i);
        }
    }
    // Each added paper is compared on its own (a common word's list is long on a big site).
    added
        .par_iter()
        .filter(|d| !is_sample(d))
        .filter_map(|d| {
            let file = d.file?;
            let slug = slugify(&html_to_words(&d.title.html));
            let mine = unique_words(&slug);
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for w in &mine {
                for &i in index.get(w).into_iter().flatten() {
                    *shared.entry(i).or_default() += 1;
                }
            }
            let (i, _) = shared
                .into_iter()
                .filter(|&(i, n)| close(&mine, &words[i], n))
                .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
            Some(near_miss(d, &existing[i], file))
        })
        .collect()
}

/// Whether two titles (as sets of slug words, `shared` of them in common) are one slip apart:
/// seven in ten words shared, or half of them and the same letters but for a few edits.
fn close(a: &[&str], b: &[&str], shared: usize) -> bool {
    let union = a.len() + b.len() - shared;
    if shared * 10 >= union * 7 {
        return true;
    }
    if shared * 2 < a.len().min(b.len()) {
        return false;
    }
    let (a, b) = (a.join("-"), b.join("-"));
    let longest = a.chars().count().max(b.chars().count());
    edit_distance(&a, &b) * 6 <= longest
}

fn near_miss(d: &Draft, existing: &Draft, file: &PaperFile) -> Diagnostic {
    let whence = match (existing.title_at, existing.file) {
        (Some(at), _) if at.line > 0 => format!(" ({}:{})", at.file.display(), at.line),
        (_, Some(f)) => format!(" ({})", f.shown.display()),
        (Some(at), None) => format!(" ({})", at.file.display()),
        (None, None) => String::new(),
    };
    let key = if file.matter.slug.is_some() {
        "slug"
    } else {
        "title"
    };
    Diagnostic::warning(format!(
        "this file enriches no paper and adds “{}” as a new one; did you mean «{}»{whence}?",
        d.title_tex, existing.title_tex
    ))
    .at(file.key_location(key))
    .hint(format!(
        "to enrich that paper, copy its title exactly or write `slug = \"{}\"`; to add a new \
         paper, ignore this",
        existing.slug
    ))
}

/// A warning for each paper from a content file that ends up without a date (it is listed as
/// undated, last) or without authors. Profile papers always have both, or the profile said why.
pub(super) fn incomplete(drafts: &[Draft]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in drafts.iter().filter(|d| !is_sample(d)) {
        let Some(file) = d.file.filter(|_| !d.from_profile) else {
            continue;
        };
        let at = || file.key_location("title");
        if d.date.is_none() {
            out.push(
                Diagnostic::warning(format!("paper “{}” has no date", d.title_tex))
                    .at(at())
                    .hint("add `date = 2024-05-01` to its front matter; undated papers are listed last")
                    .code(INCOMPLETE_PAPER),
            );
        }
        if d.authors.is_empty() {
            out.push(
                Diagnostic::warning(format!("paper “{}” has no authors", d.title_tex))
                    .at(at())
                    .hint("add `authors = [\"A. Author\", \"B. Author\"]` to its front matter")
                    .code(INCOMPLETE_PAPER),
            );
        }
    }
    out
}

/// The distinct words of a slug, in order.
fn unique_words(slug: &str) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    for w in slug.split('-').filter(|w| !w.is_empty()) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
