//! The co-authors page: everyone the owner has written with, each with the papers shared, the
//! most frequent first. Names are matched case- and accent-insensitively, so "Zoë Li" and
//! "Zoe Li" are one person, shown as first written (in newest-first paper order).

use std::collections::HashMap;

use crate::base::text::slugify;
use crate::model::Site;

/// Output path of the co-authors page.
pub const REL: &str = "coauthors/";

/// A co-author and the papers shared (indices into [`Site::papers`], newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coauthor {
    /// The name as first written.
    pub name: String,
    /// A unique anchor id (`a-name`).
    pub id: String,
    /// Papers written together.
    pub papers: Vec<usize>,
}

/// Everyone who shares one of these papers (indices into [`Site::papers`], newest first)
/// with the owner, most papers first, then by name.
pub fn coauthors_of(site: &Site, papers: impl IntoIterator<Item = usize>) -> Vec<Coauthor> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut list: Vec<Coauthor> = Vec::new();
    for i in papers {
        let paper = &site.papers[i];
        for author in paper.authors.iter().filter(|a| !a.is_owner) {
            let key = slugify(&author.name);
            if key.is_empty() {
                continue;
            }
            let at = *by_key.entry(key).or_insert_with(|| {
                list.push(Coauthor {
                    name: author.name.trim().to_string(),
                    id: String::new(),
                    papers: Vec::new(),
                });
                list.len() - 1
            });
            if list[at].papers.last() != Some(&i) {
                list[at].papers.push(i);
            }
        }
    }
    list.sort_by(|a, b| {
        b.papers
            .len()
            .cmp(&a.papers.len())
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let mut ids: HashMap<String, usize> = HashMap::new();
    for c in &mut list {
        let base = format!("a-{}", slugify(&c.name));
        let n = ids.entry(base.clone()).or_insert(0);
        *n += 1;
        c.id = if *n == 1 { base } else { format!("{base}-{n}") };
    }
    list
}
