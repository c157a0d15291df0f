//! Papers sorted newest first and grouped by year and by category.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{CategoryGroup, Paper, YearGroup};

/// Newest first, undated last (`None` sorts below every date); stable, so papers of the same
/// day keep the profile's order.
pub(super) fn sort_newest_first(papers: &mut [Arc<Paper>]) {
    papers.sort_by_key(|p| std::cmp::Reverse(p.date));
}

/// Groups papers (given by indices, newest first) by year.
pub fn group_years(
    papers: &[Arc<Paper>],
    indices: impl IntoIterator<Item = usize>,
) -> Vec<YearGroup> {
    let mut groups: Vec<YearGroup> = Vec::new();
    for i in indices {
        let p = &papers[i];
        match groups.last_mut() {
            Some(g) if g.year == p.year() => g.papers.push(i),
            _ => groups.push(YearGroup {
                year: p.year(),
                papers: vec![i],
            }),
        }
    }
    groups
}

pub(super) fn group_categories(papers: &[Arc<Paper>]) -> Vec<CategoryGroup> {
    let mut groups: BTreeMap<&str, CategoryGroup> = BTreeMap::new();
    for (i, p) in papers.iter().enumerate() {
        for c in &p.categories {
            groups
                .entry(&c.slug)
                .or_insert_with(|| CategoryGroup {
                    category: c.clone(),
                    papers: Vec::new(),
                })
                .papers
                .push(i);
        }
    }
    let mut groups: Vec<CategoryGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| {
        b.papers
            .len()
            .cmp(&a.papers.len())
            .then(a.category.code.cmp(&b.category.code))
    });
    groups
}
