//! Site model → pages, through the theme's Tera templates, rendered and written in parallel.
//!
//! Every paper is turned into a template value once; listings share those values (Tera values
//! are reference-counted), so the home page of a 10,000-paper site costs one pass over them.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::categories::Category;
use crate::citation;
use crate::content::{Kind, Links};
use crate::diag::{Diagnostic, Location, Result};
use crate::feeds;
use crate::output::Sink;
use crate::settings::Settings;
use crate::site::{Page, Paper, PaperAuthor, Site};
use crate::theme::{Bytes, Theme};

/// Version of the template context contract (see docs/themes.md).
pub const CONTEXT_VERSION: u32 = 1;

/// One page to render: where it goes, with which template, with what context.
pub struct Job {
    /// Output path relative to the root (`papers/x/index.html`).
    pub rel: String,
    /// Template name.
    pub template: String,
    /// Page-specific context (the site-wide part is Tera's global context).
    pub context: Context,
}

/// A paper as templates see it: the model plus URLs and display values.
#[derive(Serialize)]
struct PaperView<'a> {
    slug: &'a str,
    path: String,
    permalink: String,
    title: &'a str,
    title_html: &'a str,
    title_tex: &'a str,
    authors: &'a [PaperAuthor],
    authors_truncated: bool,
    org: Option<&'a str>,
    venue: Option<&'a str>,
    categories: Vec<CategoryView<'a>>,
    primary_category: Option<CategoryView<'a>>,
    date: Option<String>,
    date_display: Option<String>,
    year: Option<i32>,
    has_code: bool,
    abstract_html: &'a str,
    abstract_text: &'a str,
    body_html: &'a str,
    selected: bool,
    draft: bool,
    links: LinksView<'a>,
    kind: Kind,
    citation: CitationView,
    json_ld: serde_json::Value,
    extra: &'a toml::Table,
}

/// How to cite a paper, and where its citation files are.
#[derive(Serialize)]
struct CitationView {
    key: String,
    bibtex: String,
    coins: String,
    bib: String,
    ris: String,
    csl: String,
}

/// A category as templates see it.
#[derive(Serialize, Clone)]
struct CategoryView<'a> {
    code: &'a str,
    arxiv: &'a str,
    name: &'a str,
    slug: &'a str,
    path: String,
}

/// Links with the identifiers turned into URLs.
#[derive(Serialize)]
struct LinksView<'a> {
    #[serde(flatten)]
    given: &'a Links,
    arxiv_url: Option<String>,
    doi_url: Option<String>,
    pdf_url: Option<String>,
}

fn category_view<'a>(settings: &Settings, c: &'a Category) -> CategoryView<'a> {
    CategoryView {
        code: &c.code,
        arxiv: &c.arxiv,
        name: &c.name,
        slug: &c.slug,
        path: settings.path(&format!("categories/{}/", c.slug)),
    }
}

fn paper_value(settings: &Settings, p: &Paper, key: &str) -> Value {
    let rel = p.rel();
    let permalink = settings.permalink(&rel);
    let categories: Vec<CategoryView> = p
        .categories
        .iter()
        .map(|c| category_view(settings, c))
        .collect();
    let arxiv_url = p
        .links
        .arxiv
        .as_ref()
        .map(|id| format!("https://arxiv.org/abs/{}", id.trim()));
    let pdf_url = p.links.pdf.clone().or_else(|| {
        p.links
            .arxiv
            .as_ref()
            .map(|id| format!("https://arxiv.org/pdf/{}", id.trim()))
    });
    let view = PaperView {
        slug: &p.slug,
        path: settings.path(&rel),
        title: &p.title,
        title_html: &p.title_html,
        title_tex: &p.title_tex,
        authors: &p.authors,
        authors_truncated: p.authors_truncated,
        org: p.org.as_deref(),
        venue: p.venue.as_deref(),
        primary_category: categories.first().cloned(),
        categories,
        date: p.date.map(|d| d.iso()),
        date_display: p.date.map(|d| d.human()),
        year: p.year(),
        has_code: p.has_code,
        abstract_html: &p.abstract_html,
        abstract_text: &p.abstract_text,
        body_html: &p.body_html,
        selected: p.selected,
        draft: p.draft,
        links: LinksView {
            given: &p.links,
            arxiv_url,
            doi_url: p
                .links
                .doi
                .as_ref()
                .map(|d| format!("https://doi.org/{}", d.trim())),
            pdf_url,
        },
        kind: p.kind,
        citation: CitationView {
            key: key.to_string(),
            bibtex: citation::bibtex(p, key, &permalink),
            coins: citation::coins(p, &permalink),
            bib: settings.path(&format!("{rel}cite.bib")),
            ris: settings.path(&format!("{rel}cite.ris")),
            csl: settings.path(&format!("{rel}cite.json")),
        },
        json_ld: citation::json_ld(p, &permalink),
        extra: &p.extra,
        permalink,
    };
    Value::from_serializable(&view)
}

/// `{year, papers}` groups as template values.
fn year_values(groups: &[crate::site::YearGroup], papers: &[Value]) -> Value {
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
fn merge_tables(base: &toml::Table, over: &toml::Table) -> toml::Table {
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

/// The site-wide context: `config` and `site`.
fn global_context(settings: &Settings, theme: &Theme, site: &Site, papers: &[Value]) -> Context {
    #[derive(Serialize)]
    struct ConfigView<'a> {
        base_url: &'a str,
        base_path: &'a str,
        title: &'a str,
        description: Option<&'a str>,
        language: &'a str,
        theme: &'a str,
        author: &'a crate::settings::Author,
        extra: toml::Table,
    }
    #[derive(Serialize)]
    struct SiteView<'a> {
        title: &'a str,
        owner: &'a crate::site::Owner,
        stats: &'a crate::profile::Stats,
        as_of: Option<String>,
        as_of_display: Option<String>,
        primary_category: Option<CategoryView<'a>>,
        categories: Vec<CategoryCount<'a>>,
        pages: Vec<PageLink<'a>>,
        bio_html: Option<&'a str>,
        paper_count: usize,
        feed: String,
        json_ld: serde_json::Value,
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
        json_ld: citation::person_json_ld(&site.owner, &settings.base_url, photo_url.clone()),
        photo_url,
        generator: format!("scholarsite {}", env!("CARGO_PKG_VERSION")),
        context_version: CONTEXT_VERSION,
    };
    let mut ctx = Context::new();
    ctx.insert("config", &config);
    let mut site_value = Value::from_serializable(&view)
        .into_map()
        .unwrap_or_default();
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
    crate::theme_context::extend_site(&mut site_value, settings, theme, site);
    ctx.insert_value("site", Value::from(site_value));
    ctx
}

/// Context of a page: `page` (kind, path, permalink, title, description) plus extras.
pub(crate) fn page_context(
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

/// Every page of the site as render jobs.
pub fn jobs(settings: &Settings, site: &Site, papers: &[Value]) -> Vec<Job> {
    let owner = &site.owner.name;
    let mut jobs =
        Vec::with_capacity(site.papers.len() + site.categories.len() + site.pages.len() + 5);
    jobs.push(Job {
        rel: "index.html".into(),
        template: "index.html".into(),
        context: page_context(
            settings,
            "home",
            "",
            owner,
            Some(&home_description(settings, site)),
        ),
    });
    jobs.push(Job {
        rel: "papers/index.html".into(),
        template: "papers.html".into(),
        context: page_context(
            settings,
            "papers",
            "papers/",
            "Publications",
            Some(&format!(
                "All {} publications of {owner}, newest first.",
                site.papers.len()
            )),
        ),
    });
    for (p, value) in site.papers.iter().zip(papers) {
        let rel = p.rel();
        let description = first_sentence(&p.abstract_text);
        let mut context = page_context(settings, "paper", &rel, &p.title, Some(&description));
        context.insert_value("paper", value.clone());
        jobs.push(Job {
            rel: format!("{rel}index.html"),
            template: "paper.html".into(),
            context,
        });
    }
    jobs.push(Job {
        rel: "categories/index.html".into(),
        template: "categories.html".into(),
        context: page_context(
            settings,
            "categories",
            "categories/",
            "Research areas",
            None,
        ),
    });
    for group in &site.categories {
        let c = &group.category;
        let rel = format!("categories/{}/", c.slug);
        let description = format!(
            "{} of {owner}'s papers in {} (arXiv {}).",
            group.papers.len(),
            c.name,
            c.arxiv
        );
        let mut context = page_context(settings, "category", &rel, &c.name, Some(&description));
        let years = crate::site::group_years(&site.papers, group.papers.iter().copied());
        let mut value = Value::from_serializable(&category_view(settings, c))
            .into_map()
            .unwrap_or_default();
        value.insert("count".into(), Value::from(group.papers.len()));
        value.insert(
            "papers".into(),
            Value::from(
                group
                    .papers
                    .iter()
                    .map(|&i| papers[i].clone())
                    .collect::<Vec<_>>(),
            ),
        );
        value.insert("years".into(), year_values(&years, papers));
        context.insert_value("category", Value::from(value));
        jobs.push(Job {
            rel: format!("{rel}index.html"),
            template: "category.html".into(),
            context,
        });
    }
    for page in &site.pages {
        jobs.push(content_page_job(settings, page));
    }
    jobs.push(Job {
        rel: "404.html".into(),
        template: "404.html".into(),
        context: page_context(settings, "404", "404.html", "Page not found", None),
    });
    jobs
}

fn content_page_job(settings: &Settings, page: &Page) -> Job {
    #[derive(Serialize)]
    struct ContentView<'a> {
        title: &'a str,
        html: &'a str,
        extra: &'a toml::Table,
    }
    let mut context = page_context(
        settings,
        "page",
        &page.rel,
        &page.title,
        page.description.as_deref(),
    );
    context.insert(
        "content",
        &ContentView {
            title: &page.title,
            html: &page.html,
            extra: &page.extra,
        },
    );
    Job {
        rel: format!("{}index.html", page.rel),
        template: page.template.clone(),
        context,
    }
}

/// The home page's description: configured, or made from the owner and the papers.
fn home_description(settings: &Settings, site: &Site) -> String {
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
            let word = text[..i].rsplit(' ').next().unwrap_or("");
            matches!(c, '.' | '?' | '!')
                && text[i + 1..].starts_with(' ')
                && !ABBREVIATIONS.contains(&word.trim_start_matches('('))
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

/// Which outputs a render writes.
#[derive(Debug, Clone, Default)]
pub enum Selection {
    /// Every page, data file and static file.
    #[default]
    All,
    /// Only these pages (output paths) and the citation files of these papers (slugs), plus the
    /// site-wide data files; static files are left alone.
    Only {
        /// Output paths of pages to render, e.g. `papers/x/index.html`.
        pages: HashSet<String>,
        /// Slugs of papers whose citation files to write.
        papers: HashSet<String>,
    },
}

impl Selection {
    fn page(&self, rel: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only { pages, .. } => pages.contains(rel),
        }
    }

    fn data_file(&self, rel: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only { papers, .. } => {
                match rel.strip_prefix("papers/").and_then(|r| r.split_once('/')) {
                    Some((slug, _)) => papers.contains(slug),
                    None => true,
                }
            }
        }
    }
}

/// What a render did.
#[derive(Debug)]
pub struct RenderReport {
    /// Files written.
    pub written: usize,
    /// Every output path of the site (rendered now or not), statics and assets included.
    pub outputs: HashSet<String>,
}

/// Renders the site (or the selected part of it) into `staging`.
pub fn render_site(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
    staging: &dyn Sink,
    selection: &Selection,
) -> Result<RenderReport> {
    let keys = citation::keys(&site.papers);
    let papers: Vec<Value> = site
        .papers
        .par_iter()
        .zip(&keys)
        .map(|(p, key)| paper_value(settings, p, key))
        .collect();
    let global = global_context(settings, theme, site, &papers);
    *theme.tera.global_context() = global;
    let mut jobs = jobs(settings, site, &papers);
    jobs.extend(crate::theme_context::optional_jobs(
        settings, theme, site, &papers,
    ));
    let files = data_files(settings, site, &keys, &jobs);
    let generated: HashSet<&str> = jobs
        .iter()
        .map(|j| j.rel.as_str())
        .chain(files.iter().map(|(rel, _)| rel.as_str()))
        .collect();
    let mut errors = check_statics(theme, site, &generated);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let theme_ref: &Theme = theme;
    let failures: Vec<(String, Diagnostic)> = jobs
        .par_iter()
        .filter(|job| selection.page(&job.rel))
        .filter_map(|job| {
            let mut buf = Vec::with_capacity(16 * 1024);
            let result = match theme_ref
                .tera
                .render_to(&job.template, &job.context, &mut buf)
            {
                Ok(()) => staging.write(&job.rel, &buf).map_err(|e| {
                    e.diagnostics
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| Diagnostic::error("write failed"))
                }),
                Err(e) => Err(theme_ref.tera_error(&e)),
            };
            result.err().map(|d| (job.rel.clone(), d))
        })
        .collect();
    if let Some((rel, first)) = failures.first() {
        let more = failures.len() - 1;
        let mut d = first.clone();
        d.message = format!(
            "{} (while rendering `{rel}`{})",
            d.message,
            if more > 0 {
                format!(" and {more} other pages")
            } else {
                String::new()
            }
        );
        errors.push(d);
        return Err(errors.into());
    }
    let written: Vec<Result<()>> = files
        .par_iter()
        .filter(|(rel, _)| selection.data_file(rel))
        .map(|(rel, bytes)| staging.write(rel, bytes))
        .collect();
    let write_errors: Vec<Diagnostic> = written
        .into_iter()
        .filter_map(|r| r.err())
        .flat_map(|e| e.diagnostics)
        .collect();
    if !write_errors.is_empty() {
        return Err(write_errors.into());
    }
    let mut outputs = generated
        .iter()
        .map(|r| (*r).to_string())
        .collect::<HashSet<String>>();
    outputs.extend(theme.statics.iter().map(|s| s.rel.clone()));
    outputs.extend(site.assets.iter().map(|a| a.rel.clone()));
    let written = match selection {
        Selection::All => jobs.len() + files.len() + copy_statics(theme, site, staging)?,
        Selection::Only { pages, papers } => pages.len() + papers.len() * 3,
    };
    Ok(RenderReport { written, outputs })
}

/// The site-wide context and every page's job, as [`render_site`] builds them (for
/// `scholarsite build --dump-context`).
pub fn contexts(settings: &Settings, theme: &Theme, site: &Site) -> (Context, Vec<Job>) {
    let keys = citation::keys(&site.papers);
    let papers: Vec<Value> = site
        .papers
        .iter()
        .zip(&keys)
        .map(|(p, key)| paper_value(settings, p, key))
        .collect();
    let global = global_context(settings, theme, site, &papers);
    let mut jobs = jobs(settings, site, &papers);
    jobs.extend(crate::theme_context::optional_jobs(
        settings, theme, site, &papers,
    ));
    (global, jobs)
}

/// Everything besides the pages: citation files per paper and for all papers, the Atom feed,
/// the sitemap, robots.txt, `.nojekyll` and `CNAME`.
fn data_files(
    settings: &Settings,
    site: &Site,
    keys: &[String],
    jobs: &[Job],
) -> Vec<(String, Vec<u8>)> {
    let per_paper: Vec<[(String, Vec<u8>); 3]> = site
        .papers
        .par_iter()
        .zip(keys)
        .map(|(p, key)| {
            let rel = p.rel();
            let permalink = settings.permalink(&rel);
            let csl =
                serde_json::to_vec_pretty(&[citation::csl(p, key, &permalink)]).unwrap_or_default();
            [
                (
                    format!("{rel}cite.bib"),
                    citation::bibtex(p, key, &permalink).into_bytes(),
                ),
                (
                    format!("{rel}cite.ris"),
                    citation::ris(p, &permalink).into_bytes(),
                ),
                (format!("{rel}cite.json"), csl),
            ]
        })
        .collect();
    let mut all_bib = String::new();
    let mut all_ris = String::new();
    for [bib, ris, _] in &per_paper {
        all_bib.push_str(&String::from_utf8_lossy(&bib.1));
        all_bib.push('\n');
        all_ris.push_str(&String::from_utf8_lossy(&ris.1));
    }
    let all_csl: Vec<serde_json::Value> = site
        .papers
        .iter()
        .zip(keys)
        .map(|(p, key)| citation::csl(p, key, &settings.permalink(&p.rel())))
        .collect();
    let title = settings.title.as_deref().unwrap_or(&site.owner.name);
    let pages = jobs
        .iter()
        .filter(|j| j.rel.ends_with("index.html"))
        .map(|j| {
            (
                j.rel.trim_end_matches("index.html"),
                sitemap_date(site, &j.rel),
            )
        });
    let mut files: Vec<(String, Vec<u8>)> = per_paper.into_iter().flatten().collect();
    files.push(("papers.bib".into(), all_bib.into_bytes()));
    files.push(("papers.ris".into(), all_ris.into_bytes()));
    files.push((
        "papers.json".into(),
        serde_json::to_vec_pretty(&all_csl).unwrap_or_default(),
    ));
    files.push((
        "atom.xml".into(),
        feeds::atom(settings, site, title).into_bytes(),
    ));
    files.push((
        "sitemap.xml".into(),
        feeds::sitemap(settings, pages).into_bytes(),
    ));
    files.push(("robots.txt".into(), feeds::robots(settings).into_bytes()));
    files.push((
        crate::search::REL.into(),
        crate::search::index(settings, site),
    ));
    files.push((".nojekyll".into(), Vec::new()));
    if let Some(cname) = &settings.cname {
        files.push(("CNAME".into(), format!("{cname}\n").into_bytes()));
    }
    files
}

/// The `lastmod` of a page in the sitemap: a paper's date.
fn sitemap_date(site: &Site, rel: &str) -> Option<String> {
    let slug = rel.strip_prefix("papers/")?.strip_suffix("/index.html")?;
    site.papers
        .iter()
        .find(|p| p.slug == slug)?
        .date
        .map(|d| d.iso())
}

/// A static file may not replace a generated page.
fn check_statics(theme: &Theme, site: &Site, generated: &HashSet<&str>) -> Vec<Diagnostic> {
    let statics = theme.statics.iter().map(|s| (s.rel.as_str(), &s.shown));
    let assets = site.assets.iter().map(|a| (a.rel.as_str(), &a.path));
    statics
        .chain(assets)
        .filter(|(rel, _)| generated.contains(rel))
        .map(|(rel, shown)| {
            Diagnostic::error(format!(
                "static file would overwrite the generated page `{rel}`"
            ))
            .at(Location::file(shown))
            .hint("rename or remove the file; to change that page, override its template instead")
        })
        .collect()
}

fn copy_statics(theme: &Theme, site: &Site, staging: &dyn Sink) -> Result<usize> {
    let results: Vec<Result<()>> = theme
        .statics
        .par_iter()
        .map(|s| match &s.bytes {
            Bytes::Embedded(b) => staging.write(&s.rel, b),
            Bytes::File(path) => staging.copy(&s.rel, path),
        })
        .chain(
            site.assets
                .par_iter()
                .map(|a| staging.copy(&a.rel, &a.path)),
        )
        .collect();
    let errors: Vec<Diagnostic> = results
        .into_iter()
        .filter_map(|r| r.err())
        .flat_map(|e| e.diagnostics)
        .collect();
    if errors.is_empty() {
        Ok(theme.statics.len() + site.assets.len())
    } else {
        Err(errors.into())
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
