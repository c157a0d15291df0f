//! The site model: profile papers and `content/` merged into one list of papers, each with its
//! TeX and Markdown rendered to HTML, plus categories, years, pages and the owner.
//!
//! A content file enriches the profile paper whose slug it matches (its fields win); a file that
//! matches none is a paper of its own. Nothing is dropped: duplicate titles both get a page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::categories::{Category, Resolver};
use crate::content::{Asset, Content, Document, Kind, Links, PaperFile};
use crate::date::Date;
use crate::diag::{Diagnostic, Location, Result};
use crate::latex::{self, Layout, TexProblem};
use crate::markdown;
use crate::profile::{Profile, ProfilePaper, Stats};
use crate::settings::{AuthorLinks, Settings};
use crate::text::{html_to_text, html_to_words, slugify};

/// The diagnostic code of TeX that could not be rendered (`check` makes these errors).
pub const TEX_PROBLEM: &str = "tex";

/// An author of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperAuthor {
    /// Name as written.
    pub name: String,
    /// Whether this is the site owner (highlighted).
    pub is_owner: bool,
}

/// Where a paper came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub title: String,
    /// Title as HTML (TeX rendered).
    pub title_html: String,
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
    pub abstract_html: String,
    /// Abstract as plain text.
    pub abstract_text: String,
    /// Markdown body as HTML (empty if none).
    pub body_html: String,
    /// Listed under "Selected publications".
    pub selected: bool,
    /// Whether it is a draft (only built with `--drafts`).
    pub draft: bool,
    /// Conference paper, journal article or preprint.
    pub kind: Kind,
    /// A hand-written BibTeX entry that replaces the generated one.
    pub bibtex: Option<String>,
    /// Links.
    pub links: Links,
    /// Free values from front matter.
    pub extra: toml::Table,
    /// Where it came from.
    pub origin: Origin,
    /// A hash of everything it was rendered from (equal fingerprints: equal papers).
    #[serde(skip)]
    pub fingerprint: u64,
}

impl Paper {
    /// Output path relative to the site root: `papers/<slug>/`.
    pub fn rel(&self) -> String {
        format!("papers/{}/", self.slug)
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
    /// The owner's primary category.
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
}

/// A paper before rendering: the merged raw fields.
struct Draft<'a> {
    slug: String,
    title_tex: String,
    title: Title,
    authors: Vec<String>,
    truncated: bool,
    org: Option<String>,
    venue: Option<String>,
    categories: Vec<String>,
    date: Option<Date>,
    has_code: bool,
    abstract_tex: String,
    selected: bool,
    draft: bool,
    kind: Option<Kind>,
    bibtex: Option<String>,
    links: Links,
    extra: toml::Table,
    profile: Option<(&'a Path, &'a ProfilePaper)>,
    file: Option<&'a PaperFile>,
}

/// Papers rendered by an earlier assembly, by the fingerprint of everything they were rendered
/// from: a rebuild renders the TeX and Markdown of changed papers only.
#[derive(Debug, Default)]
pub struct PaperCache {
    papers: HashMap<u64, RenderedPaper>,
}

/// A paper rendered, with the warnings its rendering gave.
type RenderedPaper = (Arc<Paper>, Vec<Diagnostic>);

impl Draft<'_> {
    /// A hash of everything the rendered paper depends on.
    fn fingerprint(&self, owner_names: &[String]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        (
            &self.slug,
            &self.title_tex,
            &self.authors,
            self.truncated,
            &self.org,
            &self.venue,
        )
            .hash(&mut h);
        (
            &self.categories,
            self.date,
            self.has_code,
            &self.abstract_tex,
        )
            .hash(&mut h);
        (
            self.selected,
            self.draft,
            self.kind.map(|k| k as u8),
            &self.bibtex,
        )
            .hash(&mut h);
        format!("{:?}{:?}", self.links, self.extra).hash(&mut h);
        owner_names.hash(&mut h);
        if let Some((file, p)) = self.profile {
            (file, p.line, p.abstract_line).hash(&mut h);
        }
        if let Some(f) = self.file {
            (&f.shown, &f.src).hash(&mut h);
        }
        h.finish()
    }
}

/// Merges the profile and content into the site model, rendering all text. With a `cache`
/// (serve, watch), papers found in it are reused and the cache of this assembly is returned;
/// without one (a build), nothing is fingerprinted or kept.
pub fn assemble(
    settings: &Settings,
    profile: Option<&Profile>,
    content: &Content,
    cache: Option<&PaperCache>,
) -> Result<(Site, Vec<Diagnostic>, PaperCache)> {
    let mut warnings = Vec::new();
    let owner = owner(settings, profile)?;
    let macros = latex::Macros::new(&settings.math.macros);
    let profile_file = settings.profile.as_ref().map(|p| p.shown.as_path());
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    if let (Some(profile), Some(file)) = (profile, profile_file) {
        for paper in &profile.papers {
            add_profile_paper(
                &mut drafts,
                &mut by_slug,
                file,
                paper,
                &macros,
                &mut warnings,
            );
        }
    }
    let mut errors = Vec::new();
    let mut enriched_by: HashMap<usize, &Path> = HashMap::new();
    for file in &content.papers {
        if file.matter.draft && !settings.drafts {
            continue;
        }
        if let Err(e) = merge_file(&mut drafts, &mut by_slug, &mut enriched_by, file, &macros) {
            errors.extend(e.diagnostics);
        }
    }
    if !errors.is_empty() {
        return Err(crate::diag::Error::from(errors).with_warnings(warnings));
    }
    let resolver = Resolver::new(&settings.categories);
    let owner_names = owner_names(&owner.name, &settings.author.aliases);
    let rendered: Vec<(u64, RenderedPaper)> = drafts
        .into_par_iter()
        .map(|d| {
            let Some(cache) = cache else {
                let (paper, w) = render_paper(d, &resolver, &owner_names, &macros);
                return (0, (Arc::new(paper), w));
            };
            let fp = d.fingerprint(&owner_names);
            match cache.papers.get(&fp) {
                Some(hit) => (fp, hit.clone()),
                None => {
                    let (mut paper, w) = render_paper(d, &resolver, &owner_names, &macros);
                    paper.fingerprint = fp;
                    (fp, (Arc::new(paper), w))
                }
            }
        })
        .collect();
    let mut papers = Vec::with_capacity(rendered.len());
    let mut next_cache = PaperCache::default();
    for (fp, (paper, w)) in rendered {
        warnings.extend(w.iter().cloned());
        if cache.is_some() {
            next_cache.papers.insert(fp, (Arc::clone(&paper), w));
        }
        papers.push(paper);
    }
    sort_newest_first(&mut papers);
    let pages = render_pages(&content.pages, settings.drafts, &macros, &mut warnings);
    let bio_html = content
        .bio
        .as_ref()
        .map(|bio| render_markdown(bio, "the biography", &macros, &mut warnings));
    let site = Site {
        owner,
        stats: profile.map(|p| p.stats.clone()).unwrap_or_default(),
        as_of: settings.profile.as_ref().map(|p| p.as_of),
        primary_category: profile
            .and_then(|p| p.primary_category.as_deref())
            .map(|c| resolver.resolve(c)),
        categories: group_categories(&papers),
        years: group_years(&papers, 0..papers.len()),
        citation_keys: crate::citation::keys(&papers),
        papers,
        pages,
        bio_html,
        news: render_news(settings, &content.news, &macros, &mut warnings),
        assets: content.assets.clone(),
    };
    Ok((site, warnings, next_cache))
}

fn owner(settings: &Settings, profile: Option<&Profile>) -> Result<Owner> {
    let a = &settings.author;
    let name = a
        .name
        .clone()
        .or_else(|| profile.and_then(|p| p.name.clone()))
        .ok_or_else(|| {
            Diagnostic::error("the site owner has no name")
                .at(Location::file(&settings.root.join(crate::settings::CONFIG_FILE)))
                .hint("add `name = \"…\"` under [author] in config.toml, or a name line to the profile")
        })?;
    Ok(Owner {
        name,
        photo: a.photo.clone(),
        position: a.position.clone(),
        affiliation: a.affiliation.clone(),
        email: a.email.clone(),
        links: a.links.clone(),
    })
}

/// Unique slug: `x`, then `x-2`, `x-3` …
fn unique_slug(by_slug: &HashMap<String, usize>, base: &str) -> String {
    let base = if base.is_empty() { "paper" } else { base };
    if !by_slug.contains_key(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !by_slug.contains_key(s))
        .unwrap_or_else(|| base.to_string())
}

/// A title rendered, with its problems (reported later, when the paper is rendered).
struct Title {
    html: String,
    problems: Vec<TexProblem>,
}

fn render_title(tex: &str, macros: &latex::Macros) -> Title {
    let mut problems = Vec::new();
    let html = latex::text_to_html_with(tex, Layout::Inline, macros, &mut problems);
    Title { html, problems }
}

fn add_profile_paper<'a>(
    drafts: &mut Vec<Draft<'a>>,
    by_slug: &mut HashMap<String, usize>,
    file: &'a Path,
    paper: &'a ProfilePaper,
    macros: &latex::Macros,
    warnings: &mut Vec<Diagnostic>,
) {
    let title = render_title(&paper.title, macros);
    let base = slugify(&html_to_words(&title.html));
    let slug = unique_slug(by_slug, &base);
    if slug != base {
        warnings.push(
            Diagnostic::warning(format!(
                "two papers are titled “{}”; both are kept, the later as `{slug}`",
                paper.title
            ))
            .at(Location::line(file, paper.line + 1, &paper.title))
            .hint("they may be duplicates; remove one from the profile if so"),
        );
    }
    by_slug.insert(slug.clone(), drafts.len());
    drafts.push(Draft {
        slug,
        title_tex: paper.title.clone(),
        title,
        authors: paper.authors.clone(),
        truncated: paper.truncated,
        org: paper.org.clone(),
        venue: None,
        categories: vec![paper.category.clone()],
        date: Some(paper.date),
        has_code: paper.has_code,
        abstract_tex: paper.abstract_tex.clone(),
        selected: false,
        draft: false,
        kind: None,
        bibtex: None,
        links: Links::default(),
        extra: toml::Table::new(),
        profile: Some((file, paper)),
        file: None,
    });
}

/// Applies a content file: enriches the matching profile paper or adds a new paper.
fn merge_file<'a>(
    drafts: &mut Vec<Draft<'a>>,
    by_slug: &mut HashMap<String, usize>,
    enriched_by: &mut HashMap<usize, &'a Path>,
    file: &'a PaperFile,
    macros: &latex::Macros,
) -> Result<()> {
    let m = &file.matter;
    let paper_macros = macros.with(&m.macros);
    let title = m.title.as_deref().map(|t| render_title(t, &paper_macros));
    let key = match (&m.slug, &title) {
        (Some(slug), _) => slug.clone(),
        (None, Some(t)) => slugify(&html_to_words(&t.html)),
        (None, None) => slugify(&file_stem(&file.shown)),
    };
    // A title of symbols only (`..`, `$$`) has no slug: the file's name gives one, else the
    // paper would be written over the list of papers.
    let key = match key {
        k if !k.is_empty() => k,
        _ => match slugify(&file_stem(&file.shown)) {
            stem if !stem.is_empty() => stem,
            _ => {
                return Err(Diagnostic::error("no URL can be made from this title")
                    .at(file.key_location("title"))
                    .hint("add `slug = \"…\"` with letters or digits")
                    .into());
            }
        },
    };
    if let Some(&i) = by_slug.get(&key) {
        if let Some(first) = enriched_by.insert(i, &file.shown) {
            let what = if drafts[i].profile.is_some() {
                "enrich the same profile paper"
            } else {
                "have the same slug"
            };
            return Err(Diagnostic::error(format!(
                "`{}` and this file both {what} (`{key}`)",
                first.display()
            ))
            .at(file.key_location(if m.slug.is_some() { "slug" } else { "title" }))
            .hint("give one of them a different `slug`, or merge the files")
            .into());
        }
        apply(&mut drafts[i], file, title);
        return Ok(());
    }
    let Some(title_tex) = m.title.clone() else {
        return Err(Diagnostic::error(format!(
            "no profile paper has the slug `{key}`, and this file has no title"
        ))
        .at(file.key_location("slug"))
        .hint("add `title = \"…\"` for a new paper, or fix `slug` to match a profile paper's")
        .into());
    };
    let index = drafts.len();
    by_slug.insert(key.clone(), index);
    enriched_by.insert(index, &file.shown);
    drafts.push(Draft {
        slug: key,
        title_tex,
        title: title.unwrap_or(Title {
            html: String::new(),
            problems: Vec::new(),
        }),
        authors: Vec::new(),
        truncated: false,
        org: None,
        venue: None,
        categories: Vec::new(),
        date: None,
        has_code: false,
        abstract_tex: String::new(),
        selected: false,
        draft: false,
        kind: None,
        bibtex: None,
        links: Links::default(),
        extra: toml::Table::new(),
        profile: None,
        file: None,
    });
    apply(&mut drafts[index], file, None);
    Ok(())
}

/// `content/papers/x.md` → `x`; `content/papers/x/index.md` → `x`.
fn file_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index" || stem == "_index" {
        path.parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    }
}

/// Front-matter fields win over the profile's.
fn apply<'a>(d: &mut Draft<'a>, file: &'a PaperFile, title: Option<Title>) {
    let m = &file.matter;
    if let (Some(t), Some(rendered)) = (&m.title, title) {
        d.title_tex = t.clone();
        d.title = rendered;
    }
    if let Some(a) = &m.authors {
        d.authors = a.clone();
        d.truncated = false;
    }
    d.org = m.org.clone().or(d.org.take());
    d.venue = m.venue.clone().or(d.venue.take());
    if let Some(c) = &m.categories {
        d.categories = c.clone();
    }
    d.date = file.date().or(d.date);
    if let Some(a) = &m.abstract_tex {
        d.abstract_tex = a.clone();
    }
    d.selected = m.selected.unwrap_or(d.selected);
    d.draft = m.draft;
    d.kind = m.kind.or(d.kind);
    d.bibtex = m.bibtex.clone().or(d.bibtex.take());
    d.has_code = d.has_code || m.links.code.is_some();
    d.links = m.links.clone();
    d.extra = m.extra.clone();
    d.file = Some(file);
}

/// Normalised forms of the owner's name and aliases.
fn owner_names(name: &str, aliases: &[String]) -> Vec<String> {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(normalize_name)
        .collect()
}

/// `Shaoyi  HUANG.` → `shaoyi huang`: ASCII, lowercase, letters and single spaces.
fn normalize_name(name: &str) -> String {
    deunicode::deunicode(name)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_paper(
    d: Draft,
    resolver: &Resolver,
    owner_names: &[String],
    site_macros: &latex::Macros,
) -> (Paper, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let macros = match d.file {
        Some(f) => site_macros.with(&f.matter.macros),
        None => site_macros.clone(),
    };
    let mut problems = Vec::new();
    let plain_title = html_to_text(&d.title.html);
    let title_loc = |p: &TexProblem| match (d.profile, d.file) {
        (_, Some(f)) if f.matter.title.is_some() => f.key_location("title"),
        (Some((file, pp)), _) => located(file, &pp.title, pp.line + 1, p),
        (_, Some(f)) => Location::file(&f.shown),
        (None, None) => Location::file(Path::new("")),
    };
    for p in &d.title.problems {
        warnings.push(tex_warning(p, &plain_title, title_loc(p)));
    }
    let abstract_html =
        latex::text_to_html_with(&d.abstract_tex, Layout::Block, &macros, &mut problems);
    for p in problems.drain(..) {
        let loc = match (d.profile, d.file) {
            (_, Some(f)) if f.matter.abstract_tex.is_some() => f.key_location("abstract"),
            (Some((file, pp)), _) => located(file, &pp.abstract_tex, pp.abstract_line, &p),
            (_, Some(f)) => Location::file(&f.shown),
            (None, None) => Location::file(Path::new("")),
        };
        warnings.push(tex_warning(&p, &plain_title, loc));
    }
    let body_html = match d.file {
        Some(f) => {
            let html = markdown::render_with_macros(f.body(), &macros, &mut problems);
            for p in problems.drain(..) {
                let loc = located(&f.shown, f.body(), f.body_line, &p);
                warnings.push(tex_warning(&p, &plain_title, loc));
            }
            html
        }
        None => String::new(),
    };
    let origin = match (d.file, d.profile) {
        (Some(f), _) => Origin {
            file: f.shown.clone(),
            line: 1,
        },
        (None, Some((file, pp))) => Origin {
            file: file.to_path_buf(),
            line: pp.line,
        },
        (None, None) => Origin {
            file: PathBuf::new(),
            line: 0,
        },
    };
    let mut categories: Vec<Category> = Vec::new();
    for c in &d.categories {
        let cat = resolver.resolve(c);
        if !categories.contains(&cat) {
            categories.push(cat);
        }
    }
    let authors = d
        .authors
        .iter()
        .map(|name| PaperAuthor {
            is_owner: owner_names.contains(&normalize_name(name)),
            name: name.clone(),
        })
        .collect();
    let kind = d.kind.unwrap_or_else(|| guess_kind(d.venue.as_deref()));
    // Rendered HTML is built in generously sized buffers; a site keeps 10,000 of them.
    let mut abstract_html = abstract_html;
    abstract_html.shrink_to_fit();
    let mut body_html = body_html;
    body_html.shrink_to_fit();
    let paper = Paper {
        slug: d.slug,
        title: plain_title,
        title_html: d.title.html,
        title_tex: d.title_tex,
        authors,
        authors_truncated: d.truncated,
        org: d.org,
        venue: d.venue,
        categories,
        date: d.date,
        has_code: d.has_code,
        abstract_text: html_to_text(&abstract_html),
        abstract_html,
        body_html,
        selected: d.selected,
        draft: d.draft,
        kind,
        bibtex: d.bibtex,
        links: d.links,
        extra: d.extra,
        origin,
        fingerprint: 0,
    };
    (paper, warnings)
}

/// The kind of a paper from its venue: journals by their words (`Journal`, `Transactions`),
/// anything else named is taken as a conference, no venue as a preprint.
fn guess_kind(venue: Option<&str>) -> Kind {
    let Some(venue) = venue.map(str::trim).filter(|v| !v.is_empty()) else {
        return Kind::Preprint;
    };
    const JOURNAL_WORDS: &[&str] = &[
        "journal",
        "transactions",
        "trans.",
        "letters",
        "review",
        "magazine",
        "jmlr",
        "tmlr",
        "tacl",
        "tpami",
        "ieee access",
        "nature",
        "science",
        "acm computing surveys",
        "proc. ieee",
        "proceedings of the ieee",
        "pnas",
    ];
    let lower = venue.to_lowercase();
    if lower.contains("arxiv") || lower.contains("preprint") {
        Kind::Preprint
    } else if JOURNAL_WORDS.iter().any(|w| lower.contains(w)) {
        Kind::Journal
    } else {
        Kind::Conference
    }
}

/// The location of a problem in `text`, which starts at 1-based `first_line` of `file`.
fn located(file: &Path, text: &str, first_line: usize, p: &TexProblem) -> Location {
    let mut loc = Location::at(file, text, p.offset, p.source.len());
    loc.line += first_line.saturating_sub(1);
    loc
}

fn tex_warning(p: &TexProblem, title: &str, loc: Location) -> Diagnostic {
    // The source is shown in full on the located line; the message names only its start.
    const SHOWN: usize = 60;
    let source = match p.source.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &p.source[..cut]),
        None => p.source.clone(),
    };
    Diagnostic::warning(format!("{} in “{title}”: `{source}`", p.message))
        .at(loc)
        .hint("the text is shown as written; fix the TeX, or write \\$ for a literal dollar sign")
        .code(TEX_PROBLEM)
}

/// Newest first, undated last (`None` sorts below every date); stable, so papers of the same
/// day keep the profile's order.
fn sort_newest_first(papers: &mut [Arc<Paper>]) {
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

fn group_categories(papers: &[Arc<Paper>]) -> Vec<CategoryGroup> {
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

fn render_markdown<M>(
    doc: &Document<M>,
    what: &str,
    macros: &latex::Macros,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let mut problems = Vec::new();
    let html = markdown::render_with_macros(doc.body(), macros, &mut problems);
    for p in problems {
        let loc = located(&doc.shown, doc.body(), doc.body_line, &p);
        warnings.push(tex_warning(&p, what, loc));
    }
    html
}

fn render_pages(
    files: &[crate::content::PageFile],
    drafts: bool,
    macros: &latex::Macros,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    for f in files.iter().filter(|f| drafts || !f.doc.matter.draft) {
        let doc = &f.doc;
        let html = render_markdown(doc, &f.rel, macros, warnings);
        let title = doc
            .matter
            .title
            .clone()
            .or_else(|| first_heading(&html))
            .unwrap_or_else(|| f.rel.trim_end_matches('/').to_string());
        pages.push(Page {
            rel: f.rel.clone(),
            title,
            description: doc.matter.description.clone(),
            html,
            template: doc
                .matter
                .template
                .clone()
                .unwrap_or_else(|| "page.html".into()),
            extra: doc.matter.extra.clone(),
            shown: doc.shown.clone(),
        });
    }
    pages
}

/// News items (drafts only with `--drafts`), newest first.
fn render_news(
    settings: &Settings,
    files: &[crate::content::NewsFile],
    macros: &latex::Macros,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<NewsItem> {
    let mut news: Vec<NewsItem> = files
        .iter()
        .filter(|f| settings.drafts || !f.matter.draft)
        .filter_map(|f| {
            Some(NewsItem {
                date: f.date()?,
                title: f.matter.title.clone(),
                html: render_markdown(f, "a news item", macros, warnings),
            })
        })
        .collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.date));
    news
}

/// The text of the first `<h1>` of rendered HTML.
fn first_heading(html: &str) -> Option<String> {
    let start = html.find("<h1")?;
    let end = html[start..].find("</h1>")? + start;
    let text = html_to_text(&html[start..end + 5]);
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("Shaoyi  HUANG."), "shaoyi huang");
        assert_eq!(
            normalize_name("Zoë Müller-Lüdenscheidt"),
            "zoe muller ludenscheidt"
        );
    }

    #[test]
    fn kinds_from_venues() {
        assert_eq!(guess_kind(None), Kind::Preprint);
        assert_eq!(guess_kind(Some("DAC 2022")), Kind::Conference);
        assert_eq!(
            guess_kind(Some("IEEE Transactions on Computers")),
            Kind::Journal
        );
        assert_eq!(
            guess_kind(Some("Journal of Machine Learning Research")),
            Kind::Journal
        );
        assert_eq!(guess_kind(Some("arXiv preprint")), Kind::Preprint);
        assert_eq!(guess_kind(Some("Proceedings of the IEEE")), Kind::Journal);
    }

    #[test]
    fn unique_slugs_count_up() {
        let mut m = HashMap::new();
        assert_eq!(unique_slug(&m, "x"), "x");
        m.insert("x".to_string(), 0);
        assert_eq!(unique_slug(&m, "x"), "x-2");
        m.insert("x-2".to_string(), 1);
        assert_eq!(unique_slug(&m, "x"), "x-3");
        assert_eq!(unique_slug(&m, ""), "paper");
    }
}
