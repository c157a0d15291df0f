//! The search index `search.json`, written at build time for the theme's instant search: per
//! paper its path, title, authors, abstract (plain text), year and category codes. A theme's
//! script fetches it on first use; without script the full list is in the page anyway.

use serde::Serialize;

use crate::load::settings::Settings;
use crate::model::{Paper, Site};

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

/// Writes `{"version": 1, "papers": [...]}`, in the order of the site's papers (newest
/// first), into `out` as it goes: the index of a big site is never whole in memory.
pub fn write_index(
    settings: &Settings,
    site: &Site,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    /// The papers, serialized one entry at a time.
    struct Papers<'a>(&'a Settings, &'a Site);
    impl Serialize for Papers<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.1.papers.iter().map(|p| entry(self.0, p)))
        }
    }
    #[derive(Serialize)]
    struct Index<'a> {
        version: u32,
        papers: Papers<'a>,
    }
    let index = Index {
        version: VERSION,
        papers: Papers(settings, site),
    };
    serde_json::to_writer(out, &index).map_err(std::io::Error::other)
}

/// A paper's entry in the index.
fn entry<'a>(settings: &Settings, p: &'a Paper) -> Entry<'a> {
    Entry {
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
    }
}
