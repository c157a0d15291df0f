//! The search index `search.json`, written at build time for the theme's instant search: per
//! paper its path, title, authors, abstract (plain text), year and category codes. A theme's
//! script fetches it on first use; without script the full list is in the page anyway.

use serde::Serialize;

use crate::load::settings::Settings;
use crate::model::Site;

/// Output path of the index.
pub const REL: &str = "search.json";

/// Version of the index format (documented in docs/themes.md).
pub const VERSION: u32 = 1;

/// One paper in the index.
#[derive(Serialize)]
struct Entry<'a> {
    path: String,
    title: &'a str,
    authors: String,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    year: Option<i32>,
    categories: Vec<&'a str>,
}

/// `{"version": 1, "papers": [...]}` in the order of the site's papers (newest first).
pub fn index(settings: &Settings, site: &Site) -> Vec<u8> {
    #[derive(Serialize)]
    struct Index<'a> {
        version: u32,
        papers: Vec<Entry<'a>>,
    }
    let papers = site
        .papers
        .iter()
        .map(|p| Entry {
            path: settings.path(&p.rel()),
            title: &p.title,
            authors: p
                .authors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            abstract_text: &p.abstract_text,
            year: p.year(),
            categories: p.categories.iter().map(|c| c.code.as_str()).collect(),
        })
        .collect();
    serde_json::to_vec(&Index {
        version: VERSION,
        papers,
    })
    .unwrap_or_default()
}
