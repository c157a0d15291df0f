//! Site model → files: every page through the theme's Tera templates, the citation files, the
//! feeds; rendered and written in parallel into a [`Sink`].
//!
//! [`Rendering`] is a site ready to render (paper values, listing items, listings and page jobs
//! made): a build renders all of it ([`render_site`]); `serve` renders the pages whose
//! [`fingerprints`](Rendering::fingerprints) changed, the edited papers' pages first.

pub mod charts;
pub mod coauthors;
pub mod compat;
pub mod context;
mod data;
pub mod filters;
pub mod lint;
pub mod listing;
pub mod pages;
pub mod search;
pub mod theme;
pub mod theme_context;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::settings::Settings;
use crate::model::{Paper, Site};
use crate::publish::output::Sink;
use crate::render::pages::{Job, Listings, Model};
use crate::render::theme::{Bytes, Theme};
use context::with_field;
use data::Fragments;

/// The partial that renders one paper in a listing; rendered once per paper, in parallel, and
/// shared by every listing as `paper.item_html`.
pub const ITEM_TEMPLATE: &str = "partials/paper_item.html";

/// What a render did.
#[derive(Debug)]
pub struct RenderReport {
    /// Files written.
    pub written: usize,
    /// What rendering built (every page's context, every paper's value): the caller frees it,
    /// or, when the process is about to exit anyway, skips freeing it (see `build::build`).
    pub retained: Retained,
}

/// Rendering's working data, handed back so that its owner decides when to free it.
pub struct Retained {
    _prepared: Prepared,
    _context: Context,
}

impl std::fmt::Debug for Retained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Retained({} jobs)", self._prepared.jobs.len())
    }
}

/// Renders the whole site into `sink`: every page, data file and static file.
pub fn render_site(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
    sink: &dyn Sink,
) -> Result<RenderReport> {
    let mut watch = crate::base::timings::Stopwatch::start();
    let rendering = Rendering::new(settings, theme, site, None, &mut watch)?;
    // Each listing item was rendered into a growing string, copied into its value and freed.
    crate::base::memory::release_free();
    let rendering = rendering.plan()?;
    // Pages, data files and static files do not depend on each other: written side by side,
    // the cores stay busy through each side's sequential stretches (and a static/ of PDFs is
    // copied while pages render).
    let (pages, (data, statics)) = rayon::join(
        || rendering.pages(sink, &|_| true),
        || {
            rayon::join(
                || rendering.data_files(sink, &|_| true, &|_| true),
                || rendering.statics(sink),
            )
        },
    );
    let written = pages? + data? + statics?;
    watch.lap("pages, data and static files");
    Ok(RenderReport {
        written,
        retained: rendering.finish(),
    })
}

/// A site ready to render papers: every paper's value and listing item made, the listings
/// split, the theme's site-wide context set. [`Rendering::plan`] lists every page.
pub struct Rendering<'a> {
    settings: &'a Settings,
    theme: &'a mut Theme,
    site: &'a Site,
    prepared: Prepared,
    /// Papers whose values were made now (not found in the cache), as indices.
    fresh: Vec<usize>,
}

impl<'a> Rendering<'a> {
    /// Prepares `site` for rendering; with a `cache` (serve), papers rendered before and
    /// unchanged are not made again.
    pub fn new(
        settings: &'a Settings,
        theme: &'a mut Theme,
        site: &'a Site,
        cache: Option<&mut RenderCache>,
        watch: &mut crate::base::timings::Stopwatch,
    ) -> Result<Rendering<'a>> {
        let (prepared, fresh) = prepare(settings, theme, site, cache, watch)?;
        Ok(Rendering {
            settings,
            theme,
            site,
            prepared,
            fresh,
        })
    }

    /// Papers (indices into `Site::papers`) whose values were made by this rendering: with a
    /// cache, the papers that changed.
    pub fn fresh(&self) -> &[usize] {
        &self.fresh
    }

    /// Renders these papers' own pages into the sink; returns their output paths.
    pub fn paper_pages(&self, sink: &dyn Sink, papers: &[usize]) -> Result<Vec<String>> {
        let model = self.prepared.model(self.settings, self.site);
        let jobs: Vec<Job> = papers
            .iter()
            .map(|&i| crate::render::pages::paper_job(self.site, i))
            .collect();
        let theme: &Theme = self.theme;
        jobs.par_iter()
            .map(|job| render_job(theme, job, &model, sink).map(|()| job.rel.clone()))
            .collect()
    }

    /// Lists every page and data file. Fails when two outputs would share a path, or a
    /// static file would replace a page.
    pub fn plan(mut self) -> Result<Planned<'a>> {
        self.prepared.jobs = crate::render::pages::jobs(self.site, &self.prepared.listings);
        let data = data::names(self.settings, self.site);
        let jobs = &self.prepared.jobs;
        let generated: HashSet<&str> = jobs
            .iter()
            .map(|j| j.rel.as_str())
            .chain(data.iter().map(String::as_str))
            .collect();
        if generated.len() < jobs.len() + data.len() {
            return Err(duplicate_outputs(jobs, &data).into());
        }
        let errors = check_statics(self.theme, self.site, &generated);
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let sitemap = sitemap_pages(self.site, &self.prepared.jobs);
        Ok(Planned {
            settings: self.settings,
            theme: self.theme,
            site: self.site,
            prepared: self.prepared,
            data,
            sitemap,
        })
    }
}

/// A site ready to render, every page and data file listed.
pub struct Planned<'a> {
    settings: &'a Settings,
    theme: &'a mut Theme,
    site: &'a Site,
    prepared: Prepared,
    /// Data file names (citation files, site-wide files).
    data: Vec<String>,
    /// The sitemap's pages, with their dates.
    sitemap: Vec<(String, Option<String>)>,
}

impl Planned<'_> {
    /// Every page, in a stable order.
    pub fn jobs(&self) -> &[Job] {
        &self.prepared.jobs
    }

    /// What each page (in [`Rendering::jobs`] order) shows, as one number: an unchanged number
    /// means an unchanged page. `seed` stands for what changes every page (the theme, in
    /// `serve`).
    pub fn fingerprints(&self, seed: u64) -> Vec<u64> {
        let keys = self.output_keys();
        crate::render::pages::fingerprints(&self.prepared.jobs, &self.model(), &keys, seed)
    }

    fn model(&self) -> Model<'_> {
        self.prepared.model(self.settings, self.site)
    }

    /// Renders the pages `which` accepts into the sink, in parallel. Returns how many; on
    /// failure, the first template error (naming the page and how many others failed).
    pub fn pages(&self, sink: &dyn Sink, which: &(dyn Fn(&Job) -> bool + Sync)) -> Result<usize> {
        let model = self.model();
        let theme: &Theme = self.theme;
        let selected: Vec<&Job> = self.prepared.jobs.iter().filter(|j| which(j)).collect();
        let failures: Vec<(String, Diagnostic)> = selected
            .par_iter()
            .with_max_len(1)
            .filter_map(|job| {
                let error = render_job(theme, job, &model, sink).err()?;
                let first = error.diagnostics.into_iter().next()?;
                Some((job.rel.clone(), first))
            })
            .collect();
        match failures.first() {
            None => Ok(selected.len()),
            Some((rel, first)) => {
                let more = failures.len() - 1;
                let mut d = first.clone();
                let others = if more > 0 {
                    format!(" and {more} other pages")
                } else {
                    String::new()
                };
                d.message = format!("{} (while rendering `{rel}`{others})", d.message);
                Err(d.into())
            }
        }
    }

    /// Writes the site-wide data files `files` accepts (by name), and the own citation files
    /// of the papers `papers` accepts. Returns how many files.
    pub fn data_files(
        &self,
        sink: &dyn Sink,
        files: &(dyn Fn(&str) -> bool + Sync),
        papers: &(dyn Fn(&Paper) -> bool + Sync),
    ) -> Result<usize> {
        data::write(
            self.settings,
            self.site,
            &self.prepared.fragments,
            &self.sitemap,
            sink,
            files,
            papers,
        )
    }

    /// What each site-wide data file is made from, as one number per file name: a file whose
    /// number did not change since it was written is the same.
    pub fn data_fingerprints(&self) -> Vec<(&'static str, u64)> {
        data::fingerprints(self.settings, self.site, &self.output_keys(), &self.sitemap)
    }

    /// Per paper (in the site's order), what its outputs are made from ([`output_key`]).
    fn output_keys(&self) -> Vec<u64> {
        self.site
            .papers
            .iter()
            .zip(&self.site.citation_keys)
            .map(|(p, key)| output_key(p, key))
            .collect()
    }

    /// Copies the theme's static files and the content's assets.
    pub fn statics(&self, sink: &dyn Sink) -> Result<usize> {
        copy_statics(self.theme, self.site, sink)
    }

    /// Every output path of the site: pages, data files, static files and assets.
    pub fn outputs(&self) -> HashSet<&str> {
        let jobs = self.prepared.jobs.iter().map(|j| j.rel.as_str());
        let statics = self.theme.statics.iter().map(|s| s.rel.as_str());
        let assets = self.site.assets.iter().map(|a| a.rel.as_str());
        jobs.chain(self.data.iter().map(String::as_str))
            .chain(statics)
            .chain(assets)
            .collect()
    }

    /// Rendering's working data, for its owner to free (or not).
    pub fn finish(self) -> Retained {
        Retained {
            _prepared: self.prepared,
            _context: std::mem::take(self.theme.tera.global_context()),
        }
    }
}

/// Fragments, page jobs, paper values and listings, with the theme's global context set.
pub struct Prepared {
    fragments: Vec<Fragments>,
    /// Every page.
    pub jobs: Vec<Job>,
    /// Every paper's template value.
    pub papers: Vec<Value>,
    /// The listings, split into pages.
    pub listings: Listings,
}

impl Prepared {
    /// What the page contexts are made from.
    pub fn model<'a>(&'a self, settings: &'a Settings, site: &'a Site) -> Model<'a> {
        Model {
            settings,
            site,
            papers: &self.papers,
            listings: &self.listings,
        }
    }
}

/// A paper's outputs kept between rebuilds by `serve`: its template value (listing item
/// included) and its fragments of the data files.
#[derive(Clone)]
struct CachedPaper {
    value: Value,
    fragments: Fragments,
}

/// Per-paper outputs of the previous render, by what they were made from (the paper's
/// fingerprint and its citation key), so that a rebuild computes only the changed papers'.
/// Valid for one theme and one configuration: `serve` starts a new one when those change.
#[derive(Default)]
pub struct RenderCache {
    papers: HashMap<u64, CachedPaper>,
    /// The category and author values papers share.
    shared: context::SharedValues,
}

/// What a paper's outputs are made from (the paper's fingerprint and its citation key), as
/// one number: the key of [`RenderCache`], and what tells `serve` that a paper changed.
pub fn output_key(p: &Paper, citation_key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (p.fingerprint, citation_key).hash(&mut h);
    h.finish()
}

/// Computes every paper's value, renders the listing items, sets the site-wide context and
/// lists the page jobs (the theme's optional pages included).
fn prepare(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
    mut cache: Option<&mut RenderCache>,
    watch: &mut crate::base::timings::Stopwatch,
) -> Result<(Prepared, Vec<usize>)> {
    if let Some(c) = cache.as_deref_mut()
        && c.shared.is_empty()
    {
        c.shared = context::SharedValues::new(settings, site);
    }
    let made_here;
    let (previous, shared) = match cache.as_deref() {
        Some(c) => (Some(&c.papers), &c.shared),
        None => {
            made_here = context::SharedValues::new(settings, site);
            (None, &made_here)
        }
    };
    let caching = previous.is_some();
    // A paper found in the cache keeps its value (listing item included); the others are made.
    let made: Vec<(u64, bool, CachedPaper)> = site
        .papers
        .par_iter()
        .zip(&site.citation_keys)
        .map(|(p, key)| {
            let id = output_key(p, key);
            if let Some(hit) = previous.and_then(|c| c.get(&id)) {
                return (id, false, hit.clone());
            }
            let fragments = Fragments::new(settings, p, key, caching);
            let value = context::paper_value(settings, p, key, &fragments.bib, shared);
            (id, true, CachedPaper { value, fragments })
        })
        .collect();
    let mut ids = Vec::with_capacity(made.len());
    let mut fresh = Vec::with_capacity(made.len());
    let mut fragments = Vec::with_capacity(made.len());
    let mut papers = Vec::with_capacity(made.len());
    for (id, new, paper) in made {
        ids.push(id);
        fresh.push(new);
        fragments.push(paper.fragments);
        papers.push(paper.value);
    }
    watch.lap("paper values");
    let global = context::global_context(settings, theme, site);
    *theme.tera.global_context() = global.with_papers(site, &papers);
    if theme.tera.contains_template(ITEM_TEMPLATE) {
        papers = render_items(theme, papers, &fresh)?;
        *theme.tera.global_context() = global.with_papers(site, &papers);
    }
    watch.lap("listing items");
    let fresh: Vec<usize> = (0..fresh.len()).filter(|&i| fresh[i]).collect();
    if let Some(cache) = cache {
        // The changed papers are added; entries of papers gone are dropped now and then.
        for &i in &fresh {
            let paper = CachedPaper {
                value: papers[i].clone(),
                fragments: fragments[i].clone(),
            };
            cache.papers.insert(ids[i], paper);
        }
        if cache.papers.len() > ids.len() + PRUNE_AFTER {
            let current: HashSet<u64> = ids.iter().copied().collect();
            cache.papers.retain(|id, _| current.contains(id));
        }
    }
    let listings = Listings::new(settings, theme, site);
    let prepared = Prepared {
        fragments,
        jobs: Vec::new(),
        papers,
        listings,
    };
    Ok((prepared, fresh))
}

/// How many entries of papers no longer in the site a [`RenderCache`] keeps before dropping
/// them.
const PRUNE_AFTER: usize = 1024;

/// The site-wide context, every page's job and what their contexts are made from, exactly as
/// [`render_site`] renders them (for `scholarsite build --dump-context`).
pub fn contexts(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
) -> Result<(Context, Prepared)> {
    let (mut prepared, _) = prepare(
        settings,
        theme,
        site,
        None,
        &mut crate::base::timings::Stopwatch::start(),
    )?;
    prepared.jobs = crate::render::pages::jobs(site, &prepared.listings);
    Ok((theme.tera.global_context().clone(), prepared))
}

/// Renders one page into the sink.
fn render_job(theme: &Theme, job: &Job, model: &Model, sink: &dyn Sink) -> Result<()> {
    let context = job.context(model);
    let mut failure = None;
    let written = sink.write_with(&job.rel, &mut |out| {
        theme
            .tera
            .render_to(&job.template, &context, out)
            .map_err(|e| {
                failure = Some(theme.tera_error(&e));
                std::io::Error::other("template error")
            })
    });
    match failure {
        Some(d) => Err(d.into()),
        None => written,
    }
}

/// Each fresh paper's listing item, rendered once with `ITEM_TEMPLATE`; returns the paper
/// values with `item_html` added (values from the cache have it already). The site-wide
/// context is cleared after the items are rendered, so that each value is extended in place
/// rather than copied.
fn render_items(theme: &mut Theme, papers: Vec<Value>, fresh: &[bool]) -> Result<Vec<Value>> {
    let tera = &theme.tera;
    let items: Vec<Option<Result<String>>> = papers
        .par_iter()
        .zip(fresh)
        .map(|(value, &fresh)| {
            fresh.then(|| {
                let mut ctx = Context::new();
                ctx.insert_value("paper", value.clone());
                tera.render(ITEM_TEMPLATE, &ctx)
                    .map_err(|e| theme.tera_error(&e).into())
            })
        })
        .collect();
    *theme.tera.global_context() = Context::new();
    papers
        .into_par_iter()
        .zip(items)
        .map(|(value, html)| match html {
            Some(html) => Ok(with_field(value, "item_html", Value::safe_string(&html?))),
            None => Ok(value),
        })
        .collect()
}

/// The sitemap's pages (every `…/index.html` job, as a folder path), with a paper's date as
/// `lastmod`.
fn sitemap_pages(site: &Site, jobs: &[Job]) -> Vec<(String, Option<String>)> {
    jobs.iter()
        .filter_map(|j| {
            let folder = j.rel.strip_suffix("index.html")?;
            let date = match j.subject() {
                crate::render::pages::Subject::Paper(i) => site.papers[i].date.map(|d| d.iso()),
                _ => None,
            };
            Some((folder.to_string(), date))
        })
        .collect()
}

/// The first output path that two generated files share (the site model prevents it; this
/// guards the guarantee that no page silently replaces another).
fn duplicate_outputs(jobs: &[Job], data: &[String]) -> Diagnostic {
    let mut seen = HashSet::new();
    let duplicate = jobs
        .iter()
        .map(|j| j.rel.as_str())
        .chain(data.iter().map(String::as_str))
        .find(|rel| !seen.insert(*rel))
        .unwrap_or_default();
    Diagnostic::error(format!(
        "two generated files would both be written to `{duplicate}`"
    ))
    .hint("rename the paper or page whose slug makes this path")
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
