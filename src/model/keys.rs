//! Citation keys: `huang2022sparse`-style (first author's family name, year, first significant
//! title word), made unique in date order, so adding a paper never changes an older paper's key.
//! Computed once per site and shared by every citation format and page.

use std::collections::{HashMap, HashSet};
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

/// Unique citation keys for `papers` (same order). Collisions get `b`, `c`, … `y` in date
/// order, then `-26`, `-27`, …
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
    let mut used = HashSet::with_capacity(papers.len());
    // Where each base key's search goes on: the candidates before it are taken (`used` only
    // grows), so a common base is not tried from `b` again for every paper.
    let mut resume: HashMap<&str, usize> = HashMap::with_capacity(papers.len());
    for i in order {
        let base = bases[i].as_str();
        let start = resume.get(base).copied().unwrap_or(0);
        let (key, next) = free_key(base, start, &mut used);
        resume.insert(base, next);
        keys[i] = key;
    }
    keys
}

/// The first candidate key from the `start`-th on that `used` does not hold (added to it), and
/// the index of the candidate after it. The candidates: `base` (0), `base` + `b` … `y` (1–24),
/// then `base-26`, `base-27`, … (the paper's rank among those sharing the base), so that a
/// paper's key does not change when an unrelated paper is added.
fn free_key(base: &str, start: usize, used: &mut HashSet<String>) -> (String, usize) {
    let mut n = start;
    loop {
        let key = match n {
            0 => base.to_string(),
            1..=24 => format!("{base}{}", char::from(b'a' + n as u8)),
            _ => format!("{base}-{}", n + 1),
        };
        if used.insert(key.clone()) {
            return (key, n + 1);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_keys_go_through_the_letters_then_count() {
        let mut used: HashSet<String> = ["jonesb".to_string()].into();
        let (mut smith, mut jones) = (0, 0);
        let mut got = Vec::new();
        for i in 0..40 {
            let (base, resume) = if i % 3 == 2 {
                ("jones", &mut jones)
            } else {
                ("smith", &mut smith)
            };
            // Resuming gives what a search from the start would.
            let fresh = free_key(base, 0, &mut used.clone()).0;
            let (key, next) = free_key(base, *resume, &mut used);
            assert_eq!(key, fresh);
            *resume = next;
            got.push(key);
        }
        assert_eq!(
            &got[..6],
            ["smith", "smithb", "jones", "smithc", "smithd", "jonesc"]
        );
        let y = got.iter().position(|k| k == "smithy").expect("smithy");
        assert!(!got.iter().any(|k| k == "smithz"), "{got:?}");
        // After `y`, the paper's rank among the papers of its base, whatever else is keyed.
        assert_eq!(got[y + 1], "smith-26", "{got:?}");
        assert_eq!(got[y + 3], "smith-27", "{got:?}");
    }
}
