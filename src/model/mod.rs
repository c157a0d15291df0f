//! The site model: profile papers and `content/` merged into one list of papers, each with its
//! TeX and Markdown rendered to HTML, plus categories, years, pages and the owner.
//!
//! This file holds the model's nouns; [`assemble()`] merges (`assemble.rs`), `paper.rs` renders
//! one paper's TeX and Markdown, `pages.rs` the Markdown pages, biography and news, `groups.rs`
//! sorts and groups, `merge.rs` merges the profile's papers with the bibliography files'
//! records, [`keys`] makes citation keys and [`names`] finds the owner in author lists.

mod assemble;
mod checks;
mod groups;
pub mod keys;
mod links;
mod merge;
pub mod names;
mod pages;
mod paper;
mod patch;
mod undefined;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::base::date::Date;
use crate::base::shared::Shared;
use crate::load::categories::Category;
use crate::load::content::{Asset, Biblio, Kind, Links};
use crate::load::profile::Stats;
use crate::load::settings::AuthorLinks;

pub use assemble::{PaperCache, assemble, title_slug};
pub use checks::{INCOMPLETE_PAPER, SAMPLE_PAPER};
pub use groups::group_years;
pub use merge::title_key;
pub use paper::TEX_PROBLEM;
pub use patch::{Assembly, ContentChanges, Inputs, Undo};
pub use undefined::{UNDEFINED_MACRO, UndefinedMacros, UndefinedUse};

/// An author of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PaperAuthor {
    /// Name as shown: `Given Family Suffix`.
    pub name: String,
    /// Given names.
    pub given: String,
    /// Family name, particles included (`van der Waals`).
    pub family: String,
    /// Suffix (`Jr.`), usually empty.
    pub suffix: String,
    /// Whether this is the site owner (highlighted).
    pub is_owner: bool,
}

/// What kind of source a paper's field came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// The scraped profile.
    Profile,
    /// A bibliography file under `[sources]`.
    Bibliography,
    /// A paper's front matter in `content/papers/`.
    FrontMatter,
}

/// Where each field of a paper came from (`build --explain`): the sources, described
/// (`papers.bib:12 (\`huang2022\`)`, `content/papers/x.md`), and per field the index of its
/// source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// The sources, described, in precedence order (front matter first, the profile last).
    pub sources: Vec<(SourceKind, String)>,
    /// (field, index into `sources`), in the order fields were first set.
    pub fields: Vec<(&'static str, usize)>,
}

impl Provenance {
    /// The index of a source, added if new.
    pub fn source(&mut self, kind: SourceKind, described: String) -> usize {
        match self
            .sources
            .iter()
            .position(|(k, s)| *k == kind && *s == described)
        {
            Some(i) => i,
            None => {
                self.sources.push((kind, described));
                self.sources.len() - 1
            }
        }
    }

    /// Records that `field` came from source `source`.
    pub fn set(&mut self, field: &'static str, source: usize) {
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some(entry) => entry.1 = source,
            None => self.fields.push((field, source)),
        }
    }

    /// Where `field` came from, if it is set.
    pub fn of(&self, field: &str) -> Option<&(SourceKind, String)> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, i)| self.sources.get(*i))
    }
}

/// Where a paper came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Origin {
    /// The profile or the content file.
    pub file: PathBuf,
    /// 1-based line (0: the whole file).
    pub line: usize,
}

/// A paper, ready for templates.
#[derive(Debug, Clone, Serialize)]
pub struct Paper {
    /// URL slug, unique in the site.
    pub slug: String,
    /// Title as plain text.
    pub title: Shared,
    /// Title as HTML (TeX rendered).
    pub title_html: Shared,
    /// Title as written, TeX included.
    pub title_tex: String,
    /// Authors in order.
    pub authors: Vec<PaperAuthor>,
    /// Whether the author list is truncated ("et al.").
    pub authors_truncated: bool,
    /// Organisation.
    pub org: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Categories, primary first (may be empty).
    pub categories: Vec<Category>,
    /// Publication date.
    pub date: Option<Date>,
    /// Whether the paper has public code.
    pub has_code: bool,
    /// Abstract as HTML (paragraphs, MathML).
    pub abstract_html: Shared,
    /// Abstract as plain text.
    pub abstract_text: Shared,
    /// Abstract as written, TeX included.
    pub abstract_tex: String,
    /// Markdown body as HTML (empty if none).
    pub body_html: Shared,
    /// Listed under "Selected publications".
    pub selected: bool,
    /// Whether it is a draft (only built with `--drafts`).
    pub draft: bool,
    /// Conference paper, journal article or preprint.
    pub kind: Kind,
    /// A hand-written BibTeX entry that replaces the generated one.
    pub bibtex: Option<String>,
    /// Volume, number, pages, publisher, institution.
    pub biblio: Biblio,
    /// Links.
    pub links: Links,
    /// Free values from front matter.
    pub extra: toml::Table,
    /// Where it came from.
    pub origin: Origin,
    /// Where each of its fields came from.
    #[serde(skip)]
    pub provenance: Provenance,
    /// A hash of everything it was rendered from (equal fingerprints: equal papers).
    #[serde(skip)]
    pub fingerprint: u64,
}

impl Site {
    /// Clears from the papers what only `explain` and `import` read (the abstract as TeX, where
    /// each field came from): a build that writes the site frees it before rendering, which
    /// needs the memory. Papers held elsewhere too (`serve`'s cache) are left as they are.
    pub fn forget_sources(&mut self) {
        for p in &mut self.papers {
            if let Some(p) = Arc::get_mut(p) {
                p.abstract_tex = String::new();
                p.provenance = Provenance::default();
            }
        }
    }
}

impl Paper {
    /// Output path relative to the site root: `papers/<slug>/`.
    pub fn rel(&self) -> String {
        self.rel_of("")
    }

    /// The output path of a file in the paper's folder: `papers/<slug>/<file>` (made without
    /// the formatting machinery: a site asks for tens of thousands).
    pub fn rel_of(&self, file: &str) -> String {
        let mut rel = String::with_capacity(8 + self.slug.len() + file.len());
        rel.push_str("papers/");
        rel.push_str(&self.slug);
        rel.push('/');
        rel.push_str(file);
        rel
    }

    /// The year, if dated.
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year)
    }
}

/// The site owner.
#[derive(Debug, Clone, Serialize)]
pub struct Owner {
    /// Display name.
    pub name: String,
    /// Photo (site path or URL).
    pub photo: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// Affiliation.
    pub affiliation: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Profile links.
    pub links: AuthorLinks,
}

/// A category and the papers in it (indices into [`Site::papers`]).
#[derive(Debug, Clone)]
pub struct CategoryGroup {
    /// The category.
    pub category: Category,
    /// Its papers, newest first.
    pub papers: Vec<usize>,
}

/// Papers of one year (indices into [`Site::papers`]); `year` is `None` for undated papers.
#[derive(Debug, Clone)]
pub struct YearGroup {
    /// The year.
    pub year: Option<i32>,
    /// Its papers, newest first.
    pub papers: Vec<usize>,
}

/// A Markdown page (`content/cv.md` → `/cv/`).
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the root, ending in `/`.
    pub rel: String,
    /// Title (front matter, else the first heading, else the path).
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Rendered body.
    pub html: String,
    /// Template name.
    pub template: String,
    /// Free values.
    pub extra: toml::Table,
    /// Source file.
    pub shown: PathBuf,
}

/// A news item (`content/news/*.md`), listed on the home page.
#[derive(Debug, Clone)]
pub struct NewsItem {
    /// Its date.
    pub date: Date,
    /// Optional headline.
    pub title: Option<String>,
    /// The rendered body.
    pub html: String,
}

/// Everything the renderer needs.
#[derive(Debug, Clone)]
pub struct Site {
    /// The owner.
    pub owner: Owner,
    /// Profile header stats (default when there is no profile).
    pub stats: Stats,
    /// The date the stats were captured.
    pub as_of: Option<Date>,
    /// The owner's primary category (the profile's header category), when the site has a
    /// page for it.
    pub primary_category: Option<Category>,
    /// All papers, newest first (undated last); shared with the cache of `serve`.
    pub papers: Vec<Arc<Paper>>,
    /// Each paper's citation key (`peng2023autorep`), unique in the site, in `papers` order.
    pub citation_keys: Vec<String>,
    /// Categories, largest first.
    pub categories: Vec<CategoryGroup>,
    /// Papers by year, newest first.
    pub years: Vec<YearGroup>,
    /// Markdown pages.
    pub pages: Vec<Page>,
    /// The biography as HTML.
    pub bio_html: Option<String>,
    /// News items, newest first.
    pub news: Vec<NewsItem>,
    /// Files from content/ copied as is.
    pub assets: Vec<Asset>,
    /// The macros formulas use without a definition, with their uses.
    pub undefined: UndefinedMacros,
}
