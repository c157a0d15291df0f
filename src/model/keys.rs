//! Citation keys: `huang2022sparse`-style (first author's family name, year, first significant
//! title word), made unique in date order, so adding a paper never changes an older paper's key.
//! Computed once per site and shared by every citation format and page.

use std::sync::Arc;

use rayon::prelude::*;

use super::Paper;

/// Words skipped when choosing the title word of a key.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "towards", "toward", "via",
    "from", "by", "at", "is", "are", "do", "does", "how", "what", "when", "why", "can", "we",
    "late", "breaking", "results",
];

fn ascii_letters(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The key before disambiguation: `huang2022sparse`.
pub(super) fn base_key(p: &Paper) -> String {
    let family = p
        .authors
        .first()
        .map(|a| ascii_letters(&a.family))
        .unwrap_or_default();
    let family = if family.is_empty() {
        "anon".to_string()
    } else {
        family
    };
    let year = p.year().map(|y| y.to_string()).unwrap_or_default();
    let word = p
        .title
        .split(|c: char| !c.is_alphanumeric())
        .map(ascii_letters)
        .find(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .unwrap_or_default();
    format!("{family}{year}{word}")
}

/// Unique citation keys for `papers` (same order). Collisions get `b`, `c`, … in date order.
pub fn keys(papers: &[Arc<Paper>]) -> Vec<String> {
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.sort_by(|&a, &b| {
        papers[a]
            .date
            .cmp(&papers[b].date)
            .then_with(|| papers[a].slug.cmp(&papers[b].slug))
    });
    let bases: Vec<String> = papers.par_iter().map(|p| base_key(p)).collect();
    let mut keys = vec![String::new(); papers.len()];
    let mut used = std::collections::HashSet::new();
    for i in order {
        let base = &bases[i];
        let mut key = base.clone();
        let mut suffix = b'b';
        while !used.insert(key.clone()) {
            key = format!("{base}{}", char::from(suffix));
            suffix = suffix.saturating_add(1);
            if suffix > b'z' {
                key = format!("{base}-{}", used.len());
            }
        }
        keys[i] = key;
    }
    keys
}
