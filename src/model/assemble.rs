//! Assembly: profile papers and bibliography records (merged in `merge.rs`) and
//! `content/papers/` files become one list of paper drafts, each rendered (in parallel, or
//! reused from a [`PaperCache`]) and grouped into the [`Site`].
//!
//! A content file enriches the paper whose slug it matches, or else the paper with its DOI or
//! arXiv id (its fields win); a file that matches none is a paper of its own. Nothing is
//! dropped: duplicate titles both get a page.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::groups::{group_categories, group_years, sort_newest_first};
use super::links::SourceLinks;
use super::merge::{ProfileDraft, merge};
use super::names::owner_names;
use super::pages::{render_markdown, render_news, render_pages};
use super::paper::{Draft, Title, preamble_macros, render_paper, render_title};
use super::undefined::{UndefinedMacros, UndefinedUse};
use super::{CategoryGroup, Origin, Owner, Paper, Site, SourceKind, checks, keys};
use crate::base::diag::{Diagnostic, Location, Result, Severity};
use crate::base::text::{html_to_words, site_file, slugify};
use crate::load::categories::{Category, Resolver};
use crate::load::content::{Content, PaperFile};
use crate::load::ids;
use crate::load::profile::{Profile, ProfilePaper};
use crate::load::settings::Settings;
use crate::load::sources::Bibliography;
use crate::tex;

/// Papers rendered by an earlier assembly, by the fingerprint of everything they were rendered
/// from: a rebuild renders the TeX and Markdown of changed papers only.
#[derive(Debug, Default)]
pub struct PaperCache {
    pub(super) papers: HashMap<u64, RenderedPaper>,
}

/// A paper rendered, with the warnings its rendering gave and its undefined macros.
pub(super) type RenderedPaper = (Arc<Paper>, Vec<Diagnostic>, Vec<UndefinedUse>);

/// Merges the profile, the bibliography files and content into the site model, rendering all
/// text. With a `cache` (serve, watch), papers found in it are reused and the cache of this
/// assembly is returned; without one (a build), nothing is fingerprinted or kept.
pub fn assemble(
    settings: &Settings,
    profile: Option<&Profile>,
    bib: &Bibliography,
    content: &Content,
    cache: Option<&PaperCache>,
) -> Result<(Site, Vec<Diagnostic>, PaperCache)> {
    let Merged {
        owner,
        drafts,
        mut warnings,
        renderer,
        ..
    } = merge_all(settings, profile, bib, content)?;
    let (papers, next_cache) = renderer.render_all(drafts, cache);
    let mut list = Vec::with_capacity(papers.len());
    let mut uses = Vec::new();
    for (paper, w, u) in papers {
        warnings.extend(w);
        uses.extend(u);
        list.push(paper);
    }
    let (site, w, _) = site_of(settings, profile, content, &renderer, owner, (list, uses));
    warnings.extend(w);
    warnings.extend(site.undefined.summary());
    let warnings = fail_on_errors(warnings)?;
    Ok((site, warnings, next_cache))
}

/// Broken `@/` links are errors among the warnings: the site is not built with them.
pub(super) fn fail_on_errors(warnings: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = warnings
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(crate::base::diag::Error::from(errors).with_warnings(warnings))
    }
}

/// The profile's papers, the bibliography's records and the content files merged into drafts,
/// in merge order, with what rendering them needs.
pub(super) struct Merged<'a> {
    pub(super) owner: Owner,
    pub(super) drafts: Vec<Draft<'a>>,
    /// Warnings of the merge and its checks.
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) renderer: Renderer,
    /// DOI or arXiv id (lowercase) → the slug of the first paper with it.
    pub(super) by_id: HashMap<String, String>,
}

/// What rendering a paper needs besides its draft.
pub(super) struct Renderer {
    pub(super) macros: tex::Macros,
    pub(super) resolver: Resolver,
    owner_names: Vec<String>,
    links: SourceLinks,
}

impl Renderer {
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
        let (resolver, names, macros, links) =
            (&self.resolver, &self.owner_names, &self.macros, &self.links);
        let Some(cache) = cache else {
            let (paper, w, u) = render_paper(d, resolver, names, macros, links);
            return (0, (Arc::new(paper), w, u));
        };
        let fp = d.fingerprint(names, links);
        match cache.papers.get(&fp) {
            Some(hit) => (fp, hit.clone()),
            None => {
                let (mut paper, w, u) = render_paper(d, resolver, names, macros, links);
                paper.fingerprint = fp;
                (fp, (Arc::new(paper), w, u))
            }
        }
    }
}

/// Merges the profile, the bibliography and the content files into drafts, and checks them;
/// all merge errors are collected.
pub(super) fn merge_all<'a>(
    settings: &'a Settings,
    profile: Option<&'a Profile>,
    bib: &'a Bibliography,
    content: &'a Content,
) -> Result<Merged<'a>> {
    let mut warnings = Vec::new();
    let owner = owner(settings, profile)?;
    let macros = preamble_macros(
        &tex::Macros::default(),
        settings.math.preamble_file.as_ref(),
        &mut warnings,
    )
    .with(&settings.math.macros);
    let profile_file = settings.profile.as_ref().map(|p| p.shown.as_path());
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut profile_drafts = Vec::new();
    if let (Some(profile), Some(file)) = (profile, profile_file) {
        // Titles render in parallel; slugs are then made unique in profile order.
        let titled: Vec<(Title, String)> = profile
            .papers
            .par_iter()
            .map(|paper| {
                let title = render_title(&paper.title, &macros);
                let base = rendered_slug(&title);
                (title, base)
            })
            .collect();
        for (paper, (title, base)) in profile.papers.iter().zip(titled) {
            profile_drafts.push(profile_draft(
                &mut used,
                file,
                paper,
                (title, base),
                &mut warnings,
            ));
        }
    }
    let mut slug_warnings = Vec::new();
    let slug_of = |title: &Title, r: &crate::load::sources::Record| {
        let base = rendered_slug(title);
        let slug = unique_slug(&used, &base);
        if slug != base {
            slug_warnings.push(
                Diagnostic::warning(format!(
                    "two papers are titled “{}”; both are kept, the later as `{slug}`",
                    crate::base::text::html_to_text(&title.html)
                ))
                .at(r.location(&bib.files))
                .hint(format!(
                    "{} is not the same paper (DOI, arXiv id or year differ); remove it if it is a duplicate",
                    r.describe(&bib.files)
                )),
            );
        }
        used.insert(slug.clone(), 0);
        slug
    };
    let mut drafts: Vec<Draft> = merge(profile_drafts, bib, &macros, slug_of, &mut warnings);
    warnings.append(&mut slug_warnings);
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, d) in drafts.iter().enumerate() {
        by_slug.insert(d.slug.clone(), i);
        for id in [&d.links.doi, &d.links.arxiv].into_iter().flatten() {
            by_id.entry(id.to_ascii_lowercase()).or_insert(i);
        }
    }
    let known = drafts.len();
    let mut errors = Vec::new();
    let mut enriched_by: HashMap<usize, &Path> = HashMap::new();
    let published: Vec<&PaperFile> = content
        .papers
        .iter()
        .filter(|file| !file.matter.draft || settings.drafts)
        .collect();
    // Their titles render in parallel; the files are then applied in order.
    let keys: Vec<_> = published
        .par_iter()
        .map(|file| file_key(file, &macros))
        .collect();
    for (file, key) in published.into_iter().zip(keys) {
        match merge_file(
            &mut drafts,
            &mut by_slug,
            &by_id,
            &mut enriched_by,
            file,
            key,
        ) {
            Ok(true) if file.matter.sample => warnings.push(checks::sample(file)),
            Ok(_) => {}
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(crate::base::diag::Error::from(errors).with_warnings(warnings));
    }
    for d in &mut drafts {
        if let Some(file) = d.file {
            checks::normalise_ids(&mut d.links, file, &mut warnings);
        }
    }
    warnings.extend(checks::near_misses(&drafts, known));
    warnings.extend(checks::incomplete(&drafts));
    let resolver = Resolver::new(&settings.categories);
    let owner_names = owner_names(&owner.name, &settings.author.aliases);
    let paper_files = drafts
        .iter()
        .filter_map(|d| Some((d.file?.shown.as_path(), d.slug.as_str())));
    let links = SourceLinks::new(&settings.root, &settings.base_path, content, paper_files);
    let by_id = by_id
        .into_iter()
        .map(|(id, i)| (id, drafts[i].slug.clone()))
        .collect();
    Ok(Merged {
        owner,
        drafts,
        warnings,
        renderer: Renderer {
            macros,
            resolver,
            owner_names,
            links,
        },
        by_id,
    })
}

/// The site of these papers (in merge order, with their undefined macros' uses): sorted
/// newest first, grouped, keyed, with the content's pages, biography and news; returns the
/// warnings of those pages and their undefined macros' uses.
pub(super) fn site_of(
    settings: &Settings,
    profile: Option<&Profile>,
    content: &Content,
    renderer: &Renderer,
    owner: Owner,
    (mut papers, paper_uses): (Vec<Arc<Paper>>, Vec<UndefinedUse>),
) -> (Site, Vec<Diagnostic>, Vec<UndefinedUse>) {
    sort_newest_first(&mut papers);
    let mut warnings = Vec::new();
    let mut uses = Vec::new();
    let (macros, links) = (&renderer.macros, &renderer.links);
    let pages = render_pages(
        &content.pages,
        settings.drafts,
        (macros, links, &mut uses),
        &mut warnings,
    );
    let bio_html = content.bio.as_ref().map(|bio| {
        render_markdown(
            bio,
            "the biography",
            (macros, links, &mut uses),
            &mut warnings,
        )
    });
    let news = render_news(
        settings,
        &content.news,
        (macros, links, &mut uses),
        &mut warnings,
    );
    let undefined = UndefinedMacros::new(paper_uses.into_iter().chain(uses.iter().cloned()));
    let categories = group_categories(&papers);
    let primary_category = primary_category(profile, &renderer.resolver, &categories);
    let site = Site {
        owner,
        stats: profile.map(|p| p.stats.clone()).unwrap_or_default(),
        as_of: settings.profile.as_ref().map(|p| p.as_of),
        primary_category,
        categories,
        years: group_years(&papers, 0..papers.len()),
        citation_keys: keys::keys(&papers),
        papers,
        pages,
        bio_html,
        news,
        undefined,
        assets: content.assets.clone(),
    };
    (site, warnings, uses)
}

/// The profile's header category, where the site has a page for it (the header may name one,
/// `MULTI`, that none of the papers has).
pub(super) fn primary_category(
    profile: Option<&Profile>,
    resolver: &Resolver,
    categories: &[CategoryGroup],
) -> Option<Category> {
    profile
        .and_then(|p| p.primary_category.as_deref())
        .map(|c| resolver.resolve(c))
        .filter(|c| categories.iter().any(|g| g.category.slug == c.slug))
}

fn owner(settings: &Settings, profile: Option<&Profile>) -> Result<Owner> {
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
        photo: a.photo.as_deref().map(|p| site_file(p).to_string()),
        position: a.position.clone(),
        affiliation: a.affiliation.clone(),
        email: a.email.clone(),
        links: a.links.clone(),
    })
}

/// The slug a paper of this title (TeX rendered first) gets, and by which a content file of
/// this title finds its profile paper: `Sparse Attention in $O(n \log n)$` →
/// `sparse-attention-in-o-n-log-n`. Empty when the title has no letters or digits.
pub fn title_slug(title_tex: &str, macros: &tex::Macros) -> String {
    rendered_slug(&render_title(title_tex, macros))
}

/// The slug of a rendered title (see [`title_slug`]).
fn rendered_slug(title: &Title) -> String {
    paper_slug(&html_to_words(&title.html))
}

/// The slug of a paper's title (or file name): its words, lowercase, joined by `-`. A slug of
/// digits only (a paper titled `2020`) is `paper-2020`, so that it never takes the place of a
/// year's page of a long list (`/papers/2020/`).
fn paper_slug(words: &str) -> String {
    let slug = slugify(words);
    if !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_digit()) {
        format!("paper-{slug}")
    } else {
        slug
    }
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

/// A profile paper's draft from its rendered title and the slug that title gives: the slug
/// made unique (`-2` for a repeated title).
fn profile_draft<'a>(
    used: &mut HashMap<String, usize>,
    file: &'a Path,
    paper: &'a ProfilePaper,
    (title, base): (Title, String),
    warnings: &mut Vec<Diagnostic>,
) -> ProfileDraft<'a> {
    let slug = unique_slug(used, &base);
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
    used.insert(slug.clone(), 0);
    ProfileDraft {
        slug,
        title,
        file,
        paper,
    }
}

/// Applies a content file: enriches the matching profile paper or adds a new paper. Returns
/// whether the file is a new paper.
fn merge_file<'a>(
    drafts: &mut Vec<Draft<'a>>,
    by_slug: &mut HashMap<String, usize>,
    by_id: &HashMap<String, usize>,
    enriched_by: &mut HashMap<usize, &'a Path>,
    file: &'a PaperFile,
    key: Result<(String, Option<Title>)>,
) -> Result<bool> {
    let m = &file.matter;
    let (key, title) = key?;
    let found = match &m.slug {
        Some(_) => by_slug.get(&key).copied(),
        None => by_slug
            .get(&key)
            .copied()
            .or_else(|| file_ids(file).find_map(|id| by_id.get(&id).copied())),
    };
    if let Some(i) = found {
        if let Some(first) = enriched_by.insert(i, &file.shown) {
            let what = if drafts[i].from_profile {
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
        return Ok(false);
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
    drafts.push(Draft::new(
        key,
        title_tex,
        title.unwrap_or(Title {
            html: String::new(),
            problems: Vec::new(),
        }),
        Origin {
            file: file.shown.clone(),
            line: 1,
        },
    ));
    apply(&mut drafts[index], file, None);
    Ok(true)
}

/// The slug a paper file matches or makes (its `slug`, else its title's, else its name's),
/// with its title rendered.
pub(super) fn file_key(file: &PaperFile, macros: &tex::Macros) -> Result<(String, Option<Title>)> {
    let m = &file.matter;
    let paper_macros = macros.with(&m.macros);
    let title = m.title.as_deref().map(|t| render_title(t, &paper_macros));
    let key = match (&m.slug, &title) {
        (Some(slug), _) => slug.clone(),
        (None, Some(t)) => rendered_slug(t),
        (None, None) => paper_slug(&file_stem(&file.shown)),
    };
    // A title of symbols only (`..`, `$$`) has no slug: the file's name gives one, else the
    // paper would be written over the list of papers.
    let key = match key {
        k if !k.is_empty() => k,
        _ => match paper_slug(&file_stem(&file.shown)) {
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

/// The DOI and arXiv id a paper file names (lowercase), by which it finds a paper when its
/// slug finds none.
pub(super) fn file_ids(file: &PaperFile) -> impl Iterator<Item = String> + '_ {
    let m = &file.matter;
    let doi = m.links.doi.as_deref().and_then(ids::find_doi);
    let arxiv = m.links.arxiv.as_deref().and_then(ids::find_arxiv);
    [doi, arxiv]
        .into_iter()
        .flatten()
        .map(|id| id.to_ascii_lowercase())
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

/// Front-matter fields win over the bibliography's and the profile's.
pub(super) fn apply<'a>(d: &mut Draft<'a>, file: &'a PaperFile, title: Option<Title>) {
    let m = &file.matter;
    // Front matter comes first: it wins over every other source.
    d.provenance.sources.insert(
        0,
        (SourceKind::FrontMatter, file.shown.display().to_string()),
    );
    for (_, i) in &mut d.provenance.fields {
        *i += 1;
    }
    let s = 0;
    let mut from_file = |field: &'static str, given: bool| {
        if given {
            d.provenance.set(field, s);
        }
    };
    from_file("title", m.title.is_some());
    from_file("authors", m.authors.is_some());
    from_file("org", m.org.is_some());
    from_file("venue", m.venue.is_some());
    from_file("categories", m.categories.is_some());
    from_file("date", file.date().is_some());
    from_file("abstract", m.abstract_tex.is_some());
    from_file("kind", m.kind.is_some());
    from_file("code", m.links.code.is_some());
    for (name, value) in file.biblio().entries() {
        from_file(name, value.is_some());
    }
    for (name, value) in [
        ("doi", &m.links.doi),
        ("arxiv", &m.links.arxiv),
        ("url", &m.links.html),
        ("pdf", &m.links.pdf),
    ] {
        from_file(name, value.is_some());
    }
    if let (Some(t), Some(rendered)) = (&m.title, title) {
        d.title_tex = t.clone();
        d.title = rendered;
    }
    if let Some(a) = &m.authors {
        // BibTeX's `others` at the end: the list is truncated ("et al.").
        d.truncated = a.last().is_some_and(|l| l.trim() == "others");
        d.authors = a.clone();
        if d.truncated {
            d.authors.pop();
        }
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
    // A venue of the author's own says what kind of paper it is, unless `kind` says otherwise.
    if m.venue.is_some() && m.kind.is_none() {
        d.kind = None;
        d.provenance.fields.retain(|(f, _)| *f != "kind");
    }
    d.kind = m.kind.or(d.kind);
    d.bibtex = m.bibtex.clone().or(d.bibtex.take());
    d.has_code = d.has_code || m.links.code.is_some();
    for ((_, mine), (_, given)) in d
        .biblio
        .entries_mut()
        .into_iter()
        .zip(file.biblio().entries())
    {
        if given.is_some() {
            mine.clone_from(given);
        }
    }
    let given = &m.links;
    let links = &mut d.links;
    for (mine, theirs) in [
        (&mut links.pdf, &given.pdf),
        (&mut links.code, &given.code),
        (&mut links.arxiv, &given.arxiv),
        (&mut links.doi, &given.doi),
        (&mut links.html, &given.html),
        (&mut links.slides, &given.slides),
        (&mut links.video, &given.video),
        (&mut links.poster, &given.poster),
        (&mut links.project, &given.project),
        (&mut links.data, &given.data),
        (&mut links.blog, &given.blog),
    ] {
        if theirs.is_some() {
            mine.clone_from(theirs);
        }
    }
    d.extra = m.extra.clone();
    d.file = Some(file);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_of_digits_has_a_slug_no_year_page_has() {
        assert_eq!(paper_slug("2020"), "paper-2020");
        assert_eq!(paper_slug("1984 revisited"), "1984-revisited");
        assert_eq!(paper_slug(".."), "");
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
