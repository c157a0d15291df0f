//! The search index `search.json`, written at build time for the theme's instant search: per
//! paper its path, title, authors, abstract (plain text), year and category codes. A theme's
//! script fetches it on first use. Written as one entry per paper joined (`render/data.rs`).

use serde::Serialize;

use crate::load::settings::Settings;
use crate::model::Paper;

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

/// What `search.json` starts with: `{"version":1,"papers":[`, then the entries joined by
/// commas, then [`CLOSE`].
pub const OPEN: &str = concat!("{\"version\":", 1, ",\"papers\":[");

/// What `search.json` ends with.
pub const CLOSE: &str = "]}";

/// A paper's entry in the index, as JSON.
pub fn entry_json(settings: &Settings, p: &Paper) -> String {
    let entry = Entry {
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
    };
    serde_json::to_string(&entry).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_opening_names_the_version() {
        assert_eq!(
            super::OPEN,
            format!("{{\"version\":{},\"papers\":[", super::VERSION)
        );
    }
}
