//! Merging: profile papers and `content/papers/` files become one list of paper drafts, each
//! rendered (in parallel, or reused from a [`PaperCache`]) and grouped into the [`Site`].
//!
//! A content file enriches the profile paper whose slug it matches (its fields win); a file that
//! matches none is a paper of its own. Nothing is dropped: duplicate titles both get a page.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::groups::{group_categories, group_years, sort_newest_first};
use super::names::owner_names;
use super::pages::{render_markdown, render_news, render_pages};
use super::paper::{Draft, Title, render_paper, render_title};
use super::{NewsItem, Owner, Page, Paper, Site, keys};
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::text::{html_to_words, slugify};
use crate::load::categories::Resolver;
use crate::load::content::{Content, Links, PaperFile};
use crate::load::profile::{Profile, ProfilePaper};
use crate::load::settings::Settings;
use crate::tex;

/// Papers rendered by an earlier assembly, by the fingerprint of everything they were rendered
/// from: a rebuild renders the TeX and Markdown of changed papers only.
#[derive(Debug, Default)]
pub struct PaperCache {
    pub(super) papers: HashMap<u64, RenderedPaper>,
}

/// A paper rendered, with the warnings its rendering gave.
pub(super) type RenderedPaper = (Arc<Paper>, Vec<Diagnostic>);

/// Merges the profile and content into the site model, rendering all text. With a `cache`
/// (serve, watch), papers found in it are reused and the cache of this assembly is returned;
/// without one (a build), nothing is fingerprinted or kept.
pub fn assemble(
    settings: &Settings,
    profile: Option<&Profile>,
    content: &Content,
    cache: Option<&PaperCache>,
) -> Result<(Site, Vec<Diagnostic>, PaperCache)> {
    let Merged {
        owner,
        drafts,
        mut warnings,
        renderer,
    } = merge(settings, profile, content)?;
    let (papers, next_cache) = renderer.render_all(drafts, cache);
    let mut list = Vec::with_capacity(papers.len());
    for (paper, w) in papers {
        warnings.extend(w);
        list.push(paper);
    }
    let (site, w) = site_of(settings, profile, content, &renderer, owner, list);
    warnings.extend(w);
    Ok((site, warnings, next_cache))
}

/// Profile papers and content files merged into drafts, in merge order (the profile's papers,
/// then new papers by file path), with what rendering them needs.
pub(super) struct Merged<'a> {
    pub(super) owner: Owner,
    pub(super) drafts: Vec<Draft<'a>>,
    /// Warnings of the merge itself (duplicate titles).
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) renderer: Renderer,
}

/// What rendering a paper needs besides its draft.
pub(super) struct Renderer {
    pub(super) macros: tex::Macros,
    resolver: Resolver,
    owner_names: Vec<String>,
}

impl Renderer {
    /// For the site described by `settings`, owned by `owner`.
    pub(super) fn new(settings: &Settings, owner: &Owner) -> Renderer {
        Renderer {
            macros: tex::Macros::new(&settings.math.macros),
            resolver: Resolver::new(&settings.categories),
            owner_names: owner_names(&owner.name, &settings.author.aliases),
        }
    }

    /// Renders drafts (in parallel), each from `cache` when its fingerprint is there; returns
    /// the papers with their warnings, in the drafts' order, and (with a cache) the cache of
    /// these.
    pub(super) fn render_all(
        &self,
        drafts: Vec<Draft>,
        cache: Option<&PaperCache>,
    ) -> (Vec<RenderedPaper>, PaperCache) {
        let rendered: Vec<(u64, RenderedPaper)> = drafts
            .into_par_iter()
            .map(|d| self.render(d, cache))
            .collect();
        let mut next_cache = PaperCache::default();
        let papers = rendered
            .into_iter()
            .map(|(fp, paper)| {
                if cache.is_some() {
                    next_cache.papers.insert(fp, paper.clone());
                }
                paper
            })
            .collect();
        (papers, next_cache)
    }

    /// One draft rendered, or found in `cache` by its fingerprint (0 without a cache).
    pub(super) fn render(&self, d: Draft, cache: Option<&PaperCache>) -> (u64, RenderedPaper) {
        let Some(cache) = cache else {
            let (paper, w) = render_paper(d, &self.resolver, &self.owner_names, &self.macros);
            return (0, (Arc::new(paper), w));
        };
        let fp = d.fingerprint(&self.owner_names);
        match cache.papers.get(&fp) {
            Some(hit) => (fp, hit.clone()),
            None => {
                let (mut paper, w) =
                    render_paper(d, &self.resolver, &self.owner_names, &self.macros);
                paper.fingerprint = fp;
                (fp, (Arc::new(paper), w))
            }
        }
    }
}

/// Merges the profile and the content files into drafts; all merge errors are collected.
pub(super) fn merge<'a>(
    settings: &'a Settings,
    profile: Option<&'a Profile>,
    content: &'a Content,
) -> Result<Merged<'a>> {
    let mut warnings = Vec::new();
    let owner = owner(settings, profile)?;
    let renderer = Renderer::new(settings, &owner);
    let macros = &renderer.macros;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    if let (Some(profile), Some(src)) = (profile, &settings.profile) {
        for paper in &profile.papers {
            add_profile_paper(
                &mut drafts,
                &mut by_slug,
                &src.shown,
                paper,
                macros,
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
        if let Err(e) = merge_file(&mut drafts, &mut by_slug, &mut enriched_by, file, macros) {
            errors.extend(e.diagnostics);
        }
    }
    if !errors.is_empty() {
        return Err(crate::base::diag::Error::from(errors).with_warnings(warnings));
    }
    Ok(Merged {
        owner,
        drafts,
        warnings,
        renderer,
    })
}

/// The site of these papers (in merge order): sorted newest first, grouped, keyed, with the
/// content's pages, biography and news; returns the warnings of those pages.
pub(super) fn site_of(
    settings: &Settings,
    profile: Option<&Profile>,
    content: &Content,
    renderer: &Renderer,
    owner: Owner,
    mut papers: Vec<Arc<Paper>>,
) -> (Site, Vec<Diagnostic>) {
    sort_newest_first(&mut papers);
    let (pages, bio_html, news, warnings) = content_pages(settings, content, &renderer.macros);
    let site = Site {
        owner,
        stats: profile.map(|p| p.stats.clone()).unwrap_or_default(),
        as_of: settings.profile.as_ref().map(|p| p.as_of),
        primary_category: profile
            .and_then(|p| p.primary_category.as_deref())
            .map(|c| renderer.resolver.resolve(c)),
        categories: group_categories(&papers),
        years: group_years(&papers, 0..papers.len()),
        citation_keys: keys::keys(&papers),
        papers,
        pages,
        bio_html,
        news,
        assets: content.assets.clone(),
    };
    (site, warnings)
}

/// The content that is not papers, rendered: pages, the biography, news; with their warnings.
pub(super) fn content_pages(
    settings: &Settings,
    content: &Content,
    macros: &tex::Macros,
) -> (Vec<Page>, Option<String>, Vec<NewsItem>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let pages = render_pages(&content.pages, settings.drafts, macros, &mut warnings);
    let bio_html = content
        .bio
        .as_ref()
        .map(|bio| render_markdown(bio, "the biography", macros, &mut warnings));
    let news = render_news(settings, &content.news, macros, &mut warnings);
    (pages, bio_html, news, warnings)
}

pub(super) fn owner(settings: &Settings, profile: Option<&Profile>) -> Result<Owner> {
    let a = &settings.author;
    let name = a
        .name
        .clone()
        .or_else(|| profile.and_then(|p| p.name.clone()))
        .ok_or_else(|| {
            Diagnostic::error("the site owner has no name")
                .at(Location::file(&settings.root.join(crate::load::settings::CONFIG_FILE)))
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

fn add_profile_paper<'a>(
    drafts: &mut Vec<Draft<'a>>,
    by_slug: &mut HashMap<String, usize>,
    file: &'a Path,
    paper: &'a ProfilePaper,
    macros: &tex::Macros,
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
    drafts.push(profile_draft(file, paper, slug, title));
}

/// A profile paper's draft, before any content file enriches it.
pub(super) fn profile_draft<'a>(
    file: &'a Path,
    paper: &'a ProfilePaper,
    slug: String,
    title: Title,
) -> Draft<'a> {
    Draft {
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
    }
}

/// Applies a content file: enriches the matching profile paper or adds a new paper.
fn merge_file<'a>(
    drafts: &mut Vec<Draft<'a>>,
    by_slug: &mut HashMap<String, usize>,
    enriched_by: &mut HashMap<usize, &'a Path>,
    file: &'a PaperFile,
    macros: &tex::Macros,
) -> Result<()> {
    let m = &file.matter;
    let (key, title) = file_key(file, macros)?;
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
    drafts.push(file_draft(key, title_tex, title, file));
    Ok(())
}

/// A new paper's draft, made by a content file alone.
pub(super) fn file_draft(
    key: String,
    title_tex: String,
    title: Option<Title>,
    file: &PaperFile,
) -> Draft<'_> {
    let mut d = Draft {
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
    };
    apply(&mut d, file, None);
    d
}

/// The slug a paper file matches or makes (its `slug`, else its title's, else its name's),
/// with its title rendered.
pub(super) fn file_key(file: &PaperFile, macros: &tex::Macros) -> Result<(String, Option<Title>)> {
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
    Ok((key, title))
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
pub(super) fn apply<'a>(d: &mut Draft<'a>, file: &'a PaperFile, title: Option<Title>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
