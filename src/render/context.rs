//! What templates see: the values of papers, categories, pages and the site — the theme
//! contract (docs/themes.md), versioned by [`CONTEXT_VERSION`].
//!
//! Every paper becomes one value, computed once; listings share it (Tera values are
//! reference-counted), so a 10,000-paper home page costs one pass over them.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::base::shared::Shared;
use crate::load::categories::Category;
use crate::load::content::{Biblio, Kind, Links};
use crate::load::settings::Settings;
use crate::model::{Page, Paper, PaperAuthor, Site};
use crate::publish::citation;
use crate::render::filters::json_for_script;
use crate::render::theme::Theme;

/// Version of the template context contract (see docs/themes.md).
pub const CONTEXT_VERSION: u32 = 2;

/// A paper as templates see it: the model plus URLs and display values. The fields marked
/// [`Slot`] are filled after serialization with values shared, not copied: the model's text
/// ([`Shared`]) and each category's one value.
#[derive(Serialize)]
struct PaperView<'a> {
    slug: &'a str,
    path: String,
    permalink: String,
    title: Slot,
    title_html: Slot,
    title_tex: &'a str,
    authors: Slot,
    authors_truncated: bool,
    org: Option<&'a str>,
    venue: Option<&'a str>,
    categories: Slot,
    primary_category: Slot,
    date: Option<String>,
    date_display: Option<String>,
    year: Option<i32>,
    has_code: bool,
    abstract_html: Slot,
    abstract_text: Slot,
    body_html: Slot,
    selected: bool,
    draft: bool,
    links: LinksView<'a>,
    kind: Kind,
    biblio: Slot,
    first_page: Option<String>,
    last_page: Option<String>,
    citation: CitationView<'a>,
    extra: Slot,
}

/// A place in a serialized view for a value set afterwards (keeps the field order).
#[derive(Serialize)]
struct Slot;

/// Template values that many papers share, made once: each category's, and each author's
/// (`{name, is_owner}`; a lab's site names the same people on thousands of papers).
#[derive(Default)]
pub struct SharedValues {
    categories: HashMap<String, Value>,
    authors: HashMap<PaperAuthor, Value>,
}

impl SharedValues {
    /// Whether no value is made yet.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.authors.is_empty()
    }

    /// The values of the site's categories and authors.
    pub fn new(settings: &Settings, site: &Site) -> SharedValues {
        let categories = site
            .categories
            .iter()
            .map(|g| {
                let c = &g.category;
                (
                    c.slug.clone(),
                    Value::from_serializable(&category_view(settings, c)),
                )
            })
            .collect();
        let unique: HashSet<&PaperAuthor> = site.papers.iter().flat_map(|p| &p.authors).collect();
        let authors: HashMap<PaperAuthor, Value> = unique
            .into_par_iter()
            .map(|a| (a.clone(), Value::from_serializable(a)))
            .collect();
        SharedValues {
            categories,
            authors,
        }
    }

    fn category(&self, settings: &Settings, c: &Category) -> Value {
        self.categories
            .get(&c.slug)
            .cloned()
            .unwrap_or_else(|| Value::from_serializable(&category_view(settings, c)))
    }

    fn author(&self, a: &PaperAuthor) -> Value {
        self.authors
            .get(a)
            .cloned()
            .unwrap_or_else(|| Value::from_serializable(a))
    }
}

/// How to cite a paper, and where its citation files are.
#[derive(Serialize)]
struct CitationView<'a> {
    key: &'a str,
    bibtex: Slot,
    coins: String,
    bib: String,
    ris: Option<String>,
    csl: Option<String>,
}

/// A category as templates see it.
#[derive(Serialize, Clone)]
pub(crate) struct CategoryView<'a> {
    code: &'a str,
    arxiv: &'a str,
    name: &'a str,
    slug: &'a str,
    path: String,
}

/// Links with the identifiers turned into URLs; links not given are left out (a 10,000-paper
/// site would otherwise hold 100,000 empty entries).
struct LinksView<'a> {
    given: &'a Links,
    arxiv_url: Option<String>,
    doi_url: Option<String>,
    pdf_url: Option<String>,
}

impl Serialize for LinksView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let l = self.given;
        let all = [
            ("pdf", &l.pdf),
            ("code", &l.code),
            ("arxiv", &l.arxiv),
            ("doi", &l.doi),
            ("html", &l.html),
            ("slides", &l.slides),
            ("video", &l.video),
            ("poster", &l.poster),
            ("project", &l.project),
            ("data", &l.data),
            ("blog", &l.blog),
            ("arxiv_url", &self.arxiv_url),
            ("doi_url", &self.doi_url),
            ("pdf_url", &self.pdf_url),
        ];
        let given = all.iter().filter(|(_, v)| v.is_some()).count();
        let mut map = s.serialize_map(Some(given))?;
        for (name, value) in all {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

pub(crate) fn category_view<'a>(settings: &Settings, c: &'a Category) -> CategoryView<'a> {
    CategoryView {
        code: &c.code,
        arxiv: &c.arxiv,
        name: &c.name,
        slug: &c.slug,
        path: settings.path(&format!("categories/{}/", c.slug)),
    }
}

/// A paper's `biblio`; most papers have no volume, pages, publisher… and share one value.
fn biblio_value(b: &Biblio) -> Value {
    static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::from_serializable(&Biblio::default()));
    if *b == Biblio::default() {
        EMPTY.clone()
    } else {
        Value::from_serializable(b)
    }
}

/// A paper's `extra`; most papers have none and share one empty value.
fn extra_value(extra: &toml::Table) -> Value {
    static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::from_serializable(&toml::Table::new()));
    if extra.is_empty() {
        EMPTY.clone()
    } else {
        Value::from_serializable(extra)
    }
}

/// Computes a paper's template value (once; listings share it).
pub fn paper_value(
    settings: &Settings,
    p: &Paper,
    key: &str,
    bib: &Shared,
    shared: &SharedValues,
) -> Value {
    let rel = p.rel();
    let permalink = settings.permalink(&rel);
    let id_url =
        |prefix: &str, id: &Option<String>| id.as_ref().map(|id| format!("{prefix}{}", id.trim()));
    let pages = match p.biblio.pages.as_deref().map(citation::page_range) {
        Some((first, last)) => (Some(first), last),
        None => (None, None),
    };
    let view = PaperView {
        slug: &p.slug,
        path: settings.path(&rel),
        title: Slot,
        title_html: Slot,
        title_tex: &p.title_tex,
        authors: Slot,
        authors_truncated: p.authors_truncated,
        org: p.org.as_deref(),
        venue: p.venue.as_deref(),
        categories: Slot,
        primary_category: Slot,
        date: p.date.map(|d| d.iso()),
        date_display: p.date.map(|d| d.human()),
        year: p.year(),
        has_code: p.has_code,
        abstract_html: Slot,
        abstract_text: Slot,
        body_html: Slot,
        selected: p.selected,
        draft: p.draft,
        links: LinksView {
            given: &p.links,
            arxiv_url: id_url("https://arxiv.org/abs/", &p.links.arxiv),
            doi_url: id_url("https://doi.org/", &p.links.doi),
            pdf_url: p
                .links
                .pdf
                .clone()
                .or_else(|| id_url("https://arxiv.org/pdf/", &p.links.arxiv)),
        },
        kind: p.kind,
        biblio: Slot,
        first_page: pages.0,
        last_page: pages.1,
        citation: CitationView {
            key,
            bibtex: Slot,
            coins: citation::coins(p, &permalink),
            bib: settings.path(&format!("{rel}cite.bib")),
            ris: settings
                .citations
                .ris
                .then(|| settings.path(&format!("{rel}cite.ris"))),
            csl: settings
                .citations
                .csl_json
                .then(|| settings.path(&format!("{rel}cite.json"))),
        },
        extra: Slot,
        permalink,
    };
    let mut map = Value::from_serializable(&view)
        .into_map()
        .unwrap_or_default();
    // Room for `item_html`, so that adding it does not grow the map.
    map.reserve_exact(1);
    let cats: Vec<Value> = p
        .categories
        .iter()
        .map(|c| shared.category(settings, c))
        .collect();
    let authors: Vec<Value> = p.authors.iter().map(|a| shared.author(a)).collect();
    map.insert("authors".into(), Value::from(authors));
    let citation_key: tera::value::Key = "citation".into();
    if let Some(citation) = map.get_mut(&citation_key) {
        let mut fields = std::mem::replace(citation, Value::none())
            .into_map()
            .unwrap_or_default();
        fields.insert("bibtex".into(), bib.value());
        *citation = Value::from(fields);
    }
    map.insert(
        "primary_category".into(),
        cats.first().cloned().unwrap_or_else(Value::none),
    );
    map.insert("categories".into(), Value::from(cats));
    map.insert("title".into(), p.title.value());
    map.insert("title_html".into(), p.title_html.value());
    map.insert("abstract_html".into(), p.abstract_html.value());
    map.insert("abstract_text".into(), p.abstract_text.value());
    map.insert("body_html".into(), p.body_html.value());
    map.insert("biblio".into(), biblio_value(&p.biblio));
    map.insert("extra".into(), extra_value(&p.extra));
    Value::from(map)
}

/// The `paper` of a paper's own page: its shared value plus what only that page shows
/// (`json_ld`), made when the page is rendered rather than kept for every paper.
pub fn paper_page_value(settings: &Settings, p: &Paper, value: &Value) -> Value {
    let json_ld = json_for_script(&citation::json_ld(p, &settings.permalink(&p.rel())));
    with_field(
        value.clone(),
        "json_ld",
        Value::safe_string(&json_ld.unwrap_or_default()),
    )
}

/// A paper value with one more field (e.g. `item_html`); the map is reused, not copied, when
/// nothing else holds the value.
pub fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    Value::from(map)
}

/// `{year, papers}` groups as template values.
pub fn year_values(groups: &[crate::model::YearGroup], papers: &[Value]) -> Value {
    #[derive(Serialize)]
    struct Group {
        year: Option<i32>,
        count: usize,
    }
    let values: Vec<Value> = groups
        .iter()
        .map(|g| {
            let mut map = tera::Map::new();
            let head = Value::from_serializable(&Group {
                year: g.year,
                count: g.papers.len(),
            });
            if let Some(m) = head.as_map() {
                map.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let list: Vec<Value> = g.papers.iter().map(|&i| papers[i].clone()).collect();
            map.insert("papers".into(), Value::from(list));
            Value::from(map)
        })
        .collect();
    Value::from(values)
}

/// Deep-merges `over` onto `base` (tables merge, other values replace).
pub fn merge_tables(base: &toml::Table, over: &toml::Table) -> toml::Table {
    let mut out = base.clone();
    for (k, v) in over {
        match (out.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => {
                *b = merge_tables(b, o);
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// The site-wide context (`config` and `site`) but for the paper values: made once per
/// render, completed with them by [`GlobalContext::with_papers`] (before and after the listing
/// items are added to them).
pub struct GlobalContext {
    config: Value,
    site: tera::Map,
}

impl GlobalContext {
    /// The context, with `papers` (every paper's value, in `Site::papers` order) as
    /// `site.papers`, `site.selected` and `site.years`.
    pub fn with_papers(&self, site: &Site, papers: &[Value]) -> Context {
        let mut site_value = self.site.clone();
        site_value.insert("papers".into(), Value::from(papers.to_vec()));
        let selected: Vec<Value> = site
            .papers
            .iter()
            .zip(papers)
            .filter(|(p, _)| p.selected)
            .map(|(_, v)| v.clone())
            .collect();
        site_value.insert("selected".into(), Value::from(selected));
        site_value.insert("years".into(), year_values(&site.years, papers));
        let mut ctx = Context::new();
        ctx.insert_value("config", self.config.clone());
        ctx.insert_value("site", Value::from(site_value));
        ctx
    }
}

/// The site-wide context: `config` and `site` (see [`GlobalContext`]).
pub fn global_context(settings: &Settings, theme: &Theme, site: &Site) -> GlobalContext {
    #[derive(Serialize)]
    struct ConfigView<'a> {
        base_url: &'a str,
        base_path: &'a str,
        title: &'a str,
        description: Option<&'a str>,
        language: &'a str,
        theme: &'a str,
        author: &'a crate::load::settings::Author,
        extra: toml::Table,
    }
    #[derive(Serialize)]
    struct SiteView<'a> {
        title: &'a str,
        owner: &'a crate::model::Owner,
        stats: &'a crate::load::profile::Stats,
        as_of: Option<String>,
        as_of_display: Option<String>,
        primary_category: Option<CategoryView<'a>>,
        categories: Vec<CategoryCount<'a>>,
        pages: Vec<PageLink<'a>>,
        bio_html: Option<&'a str>,
        paper_count: usize,
        feed: String,
        photo_url: Option<String>,
        generator: String,
        context_version: u32,
    }
    #[derive(Serialize)]
    struct CategoryCount<'a> {
        #[serde(flatten)]
        category: CategoryView<'a>,
        count: usize,
    }
    #[derive(Serialize)]
    struct PageLink<'a> {
        title: &'a str,
        path: String,
    }
    let title = settings.title.as_deref().unwrap_or(&site.owner.name);
    let photo_url = site.owner.photo.as_ref().map(|p| {
        if p.starts_with("http://") || p.starts_with("https://") {
            p.clone()
        } else {
            settings.permalink(p.trim_start_matches('/'))
        }
    });
    let config = ConfigView {
        base_url: &settings.base_url,
        base_path: &settings.base_path,
        title,
        description: settings.description.as_deref(),
        language: &settings.language,
        theme: &settings.theme,
        author: &settings.author,
        extra: merge_tables(&theme.extra_defaults, &settings.extra),
    };
    let view = SiteView {
        title,
        owner: &site.owner,
        stats: &site.stats,
        as_of: site.as_of.map(|d| d.iso()),
        as_of_display: site.as_of.map(|d| d.human()),
        primary_category: site
            .primary_category
            .as_ref()
            .map(|c| category_view(settings, c)),
        categories: site
            .categories
            .iter()
            .map(|g| CategoryCount {
                category: category_view(settings, &g.category),
                count: g.papers.len(),
            })
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|p| PageLink {
                title: &p.title,
                path: settings.path(&p.rel),
            })
            .collect(),
        bio_html: site.bio_html.as_deref(),
        paper_count: site.papers.len(),
        feed: settings.path("atom.xml"),
        photo_url,
        generator: format!("scholarsite {}", env!("CARGO_PKG_VERSION")),
        context_version: CONTEXT_VERSION,
    };
    let config = Value::from_serializable(&config);
    let person = citation::person_json_ld(&site.owner, &settings.base_url, view.photo_url.clone());
    let mut site_value = Value::from_serializable(&view)
        .into_map()
        .unwrap_or_default();
    site_value.insert(
        "json_ld".into(),
        Value::safe_string(&json_for_script(&person).unwrap_or_default()),
    );
    // Places for the paper values, in the order the contract lists them.
    for key in ["papers", "selected", "years"] {
        site_value.insert(key.into(), Value::none());
    }
    site_value.insert(
        "year_pages".into(),
        Value::from(crate::render::listing::split(
            site.papers.len(),
            settings.listings.max_per_page,
        )),
    );
    crate::render::theme_context::extend_site(&mut site_value, settings, theme, site);
    GlobalContext {
        config,
        site: site_value,
    }
}

/// Context of a page: `page` (kind, path, permalink, title, description) plus extras.
pub fn page_context(
    settings: &Settings,
    kind: &str,
    rel: &str,
    title: &str,
    description: Option<&str>,
) -> Context {
    #[derive(Serialize)]
    struct PageView<'a> {
        kind: &'a str,
        path: String,
        permalink: String,
        title: &'a str,
        description: Option<&'a str>,
    }
    let mut ctx = Context::new();
    ctx.insert(
        "page",
        &PageView {
            kind,
            path: settings.path(rel),
            permalink: settings.permalink(rel),
            title,
            description,
        },
    );
    ctx
}

/// The `content` value of a Markdown page.
pub fn content_value(page: &Page) -> Value {
    #[derive(Serialize)]
    struct ContentView<'a> {
        title: &'a str,
        html: &'a str,
        extra: &'a toml::Table,
    }
    Value::from_serializable(&ContentView {
        title: &page.title,
        html: &page.html,
        extra: &page.extra,
    })
}

/// The home page's description: configured, or made from the owner and the papers.
pub fn home_description(settings: &Settings, site: &Site) -> String {
    if let Some(d) = &settings.description {
        return d.clone();
    }
    let o = &site.owner;
    let role = match (&o.position, &o.affiliation) {
        (Some(p), Some(a)) => format!(", {p} at {a}"),
        (Some(x), None) | (None, Some(x)) => format!(", {x}"),
        (None, None) => String::new(),
    };
    format!(
        "Homepage of {}{role}: {} publications with abstracts and citations.",
        o.name,
        site.papers.len()
    )
}

/// The first sentence of a plain-text abstract (for meta descriptions), at most ~300 chars.
pub fn first_sentence(text: &str) -> String {
    const ABBREVIATIONS: &[&str] = &[
        "e.g", "i.e", "al", "vs", "etc", "Fig", "Eq", "cf", "approx", "resp", "Dr", "Prof",
    ];
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '?' | '!') && text[i + 1..].starts_with(' ') && {
                let word = text[..i].rsplit(' ').next().unwrap_or("");
                !ABBREVIATIONS.contains(&word.trim_start_matches('('))
            }
        })
        .map_or(text.len(), |(i, _)| i + 1);
    let sentence = &text[..end];
    if sentence.chars().count() > 300 {
        let cut: String = sentence.chars().take(297).collect();
        format!("{}…", cut.trim_end())
    } else {
        sentence.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences() {
        let t = "Transformers are considered one of the most important deep learning models since 2018. Despite the remarkable triumphs.";
        assert_eq!(
            first_sentence(t),
            "Transformers are considered one of the most important deep learning models since 2018."
        );
        assert_eq!(first_sentence("Short."), "Short.");
        let t = "We get 80.2 times speedup over the CPU baseline in many settings. Next.";
        assert_eq!(
            first_sentence(t),
            "We get 80.2 times speedup over the CPU baseline in many settings."
        );
    }

    #[test]
    fn extra_tables_merge_deeply() {
        let base: toml::Table =
            toml::from_str("accent = \"blue\"\n[colors]\nbg = \"w\"\nfg = \"b\"").unwrap();
        let over: toml::Table = toml::from_str("[colors]\nfg = \"r\"").unwrap();
        let m = merge_tables(&base, &over);
        assert_eq!(m["accent"].as_str(), Some("blue"));
        assert_eq!(m["colors"]["bg"].as_str(), Some("w"));
        assert_eq!(m["colors"]["fg"].as_str(), Some("r"));
    }
}
