//! Site model → files: every page through the theme's Tera templates, the citation files, the
//! feeds; rendered and written in parallel into a [`Sink`].

pub mod charts;
pub mod coauthors;
pub mod compat;
pub mod context;
pub mod filters;
pub mod listing;
pub mod pages;
pub mod search;
pub mod theme;
pub mod theme_context;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::shared::Shared;
use crate::load::settings::Settings;
use crate::model::{Paper, Site};
use crate::publish::citation;
use crate::publish::feeds;
use crate::publish::output::Sink;
use crate::render::pages::{Job, Listings, Model};
use crate::render::theme::{Bytes, Theme};
use context::with_field;

/// The partial that renders one paper in a listing; rendered once per paper, in parallel, and
/// shared by every listing as `paper.item_html`.
pub const ITEM_TEMPLATE: &str = "partials/paper_item.html";

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

    fn paper(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only { papers, .. } => papers.contains(slug),
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
    /// What rendering built (every page's context, every paper's value): the caller frees it,
    /// or, when the process is about to exit anyway, skips freeing it (see `build::build`).
    pub retained: Retained,
}

/// Rendering's working data, handed back so that its owner decides when to free it.
pub struct Retained {
    _jobs: Vec<Job>,
    _papers: Vec<Value>,
    _context: Context,
}

impl std::fmt::Debug for Retained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Retained({} jobs)", self._jobs.len())
    }
}

/// Renders the site (or the selected part of it) into `sink`; with a `cache` (serve), papers
/// rendered before and unchanged are not made again.
pub fn render_site(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
    sink: &dyn Sink,
    selection: &Selection,
    cache: Option<&mut RenderCache>,
) -> Result<RenderReport> {
    let mut watch = crate::base::timings::Stopwatch::start();
    let Prepared {
        cites,
        jobs,
        papers,
        listings,
    } = prepare(settings, theme, site, cache, &mut watch)?;
    let data = data_file_names(settings, site);
    let generated: HashSet<&str> = jobs
        .iter()
        .map(|j| j.rel.as_str())
        .chain(data.iter().map(String::as_str))
        .collect();
    if generated.len() < jobs.len() + data.len() {
        return Err(duplicate_outputs(&jobs, &data).into());
    }
    let mut errors = check_statics(theme, site, &generated);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let sitemap = sitemap_pages(site, &jobs);
    let theme_ref: &Theme = theme;
    let model = Model {
        settings,
        site,
        papers: &papers,
        listings: &listings,
    };
    // Pages and data files do not depend on each other: written side by side, the cores stay
    // busy through each side's sequential stretches.
    let (failures, data_written) = rayon::join(
        || {
            jobs.par_iter()
                .with_max_len(1)
                .filter(|job| selection.page(&job.rel))
                .filter_map(|job| {
                    let error = render_job(theme_ref, job, &model, sink).err()?;
                    let first = error.diagnostics.into_iter().next()?;
                    Some((job.rel.clone(), first))
                })
                .collect::<Vec<(String, Diagnostic)>>()
        },
        || write_data_files(settings, site, &cites, &sitemap, sink, selection),
    );
    watch.lap("pages and data files");
    if let Some((rel, first)) = failures.first() {
        let more = failures.len() - 1;
        let mut d = first.clone();
        let others = if more > 0 {
            format!(" and {more} other pages")
        } else {
            String::new()
        };
        d.message = format!("{} (while rendering `{rel}`{others})", d.message);
        errors.push(d);
        return Err(errors.into());
    }
    let mut all: HashSet<String> = generated.iter().map(|r| (*r).to_string()).collect();
    all.extend(theme.statics.iter().map(|s| s.rel.clone()));
    all.extend(site.assets.iter().map(|a| a.rel.clone()));
    let pages = match selection {
        Selection::All => jobs.len(),
        Selection::Only { pages, .. } => pages.len(),
    };
    drop(generated);
    let retained = Retained {
        _jobs: jobs,
        _papers: papers,
        _context: std::mem::take(theme.tera.global_context()),
    };
    let mut written = pages + data_written?;
    if matches!(selection, Selection::All) {
        written += copy_statics(theme, site, sink)?;
    }
    watch.lap("static files");
    Ok(RenderReport {
        written,
        outputs: all,
        retained,
    })
}

/// Citation keys, page jobs, paper values and listings, with the theme's global context set.
pub struct Prepared {
    cites: Vec<Cite>,
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

/// A paper's citation key and BibTeX entry, made once for its page and its files; with a
/// cache, also its RIS and CSL-JSON entries.
#[derive(Clone)]
struct Cite {
    key: String,
    bib: Shared,
    ris: Option<String>,
    csl: Option<String>,
}

/// A paper's outputs kept between rebuilds by `serve`: its template value (listing item
/// included) and its citation entries.
#[derive(Clone)]
struct CachedPaper {
    value: Value,
    cite: Cite,
}

/// Per-paper outputs of the previous render, by what they were made from (the paper's
/// fingerprint and its citation key), so that a rebuild computes only the changed papers'.
/// Valid for one theme and one configuration: `serve` starts a new one when those change.
#[derive(Default)]
pub struct RenderCache {
    papers: HashMap<u64, CachedPaper>,
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
    cache: Option<&mut RenderCache>,
    watch: &mut crate::base::timings::Stopwatch,
) -> Result<Prepared> {
    let previous: Option<&RenderCache> = cache.as_deref();
    let caching = previous.is_some();
    let shared = context::SharedValues::new(settings, site);
    // A paper found in the cache keeps its value (listing item included); the others are made.
    let made: Vec<(u64, bool, CachedPaper)> = site
        .papers
        .par_iter()
        .zip(&site.citation_keys)
        .map(|(p, key)| {
            let id = output_key(p, key);
            if let Some(hit) = previous.and_then(|c| c.papers.get(&id)) {
                return (id, false, hit.clone());
            }
            let permalink = settings.permalink(&p.rel());
            let bib = Shared::from(citation::bibtex(p, key, &permalink));
            let value = context::paper_value(settings, p, key, &bib, &shared);
            let csl = || serde_json::to_string(&citation::csl(p, key, &permalink));
            let cite = Cite {
                ris: caching.then(|| citation::ris(p, &permalink)),
                csl: caching.then(|| csl().unwrap_or_default()),
                key: key.clone(),
                bib,
            };
            (id, true, CachedPaper { value, cite })
        })
        .collect();
    let mut ids = Vec::with_capacity(made.len());
    let mut fresh = Vec::with_capacity(made.len());
    let mut cites = Vec::with_capacity(made.len());
    let mut papers = Vec::with_capacity(made.len());
    for (id, new, paper) in made {
        ids.push(id);
        fresh.push(new);
        cites.push(paper.cite);
        papers.push(paper.value);
    }
    watch.lap("paper values");
    *theme.tera.global_context() = context::global_context(settings, theme, site, &papers);
    if theme.tera.contains_template(ITEM_TEMPLATE) {
        papers = render_items(theme, papers, &fresh)?;
        *theme.tera.global_context() = context::global_context(settings, theme, site, &papers);
    }
    watch.lap("listing items");
    if let Some(cache) = cache {
        cache.papers = ids
            .into_iter()
            .zip(papers.iter().zip(&cites))
            .map(|(id, (value, cite))| {
                let paper = CachedPaper {
                    value: value.clone(),
                    cite: cite.clone(),
                };
                (id, paper)
            })
            .collect();
    }
    let listings = Listings::new(settings, theme, site);
    let jobs = crate::render::pages::jobs(site, &listings);
    Ok(Prepared {
        cites,
        jobs,
        papers,
        listings,
    })
}

/// The site-wide context, every page's job and what their contexts are made from, exactly as
/// [`render_site`] renders them (for `scholarsite build --dump-context`).
pub fn contexts(
    settings: &Settings,
    theme: &mut Theme,
    site: &Site,
) -> Result<(Context, Prepared)> {
    let prepared = prepare(
        settings,
        theme,
        site,
        None,
        &mut crate::base::timings::Stopwatch::start(),
    )?;
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

/// Output paths of everything besides pages and static files.
fn data_file_names(settings: &Settings, site: &Site) -> Vec<String> {
    let formats: Vec<&Format> = FORMATS.iter().filter(|f| (f.per_paper)(settings)).collect();
    let mut names: Vec<String> = site
        .papers
        .iter()
        .flat_map(|p| {
            let rel = p.rel();
            formats.iter().map(move |f| format!("{rel}{}", f.file))
        })
        .collect();
    names.extend(SITE_FILES.iter().map(|s| (*s).to_string()));
    names.push(crate::render::search::REL.to_string());
    if settings.cname.is_some() {
        names.push("CNAME".into());
    }
    names
}

/// Site-wide data files.
const SITE_FILES: &[&str] = &[
    "papers.bib",
    "papers.ris",
    "papers.json",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    ".nojekyll",
];

/// Papers whose citation files are made at a time: bounds the memory they take.
const CITATION_CHUNK: usize = 512;

/// A citation format: per-paper file name, all-papers file, and how entries are joined.
struct Format {
    file: &'static str,
    /// Whether each paper gets its own file in this format (`[citations]`).
    per_paper: fn(&Settings) -> bool,
    all: &'static str,
    open: &'static str,
    separator: &'static str,
    close: &'static str,
    /// Wraps one entry for its own file.
    single: for<'a> fn(&'a str) -> Cow<'a, str>,
    /// A paper's entry: cached in its [`Cite`] (serve), or made from the paper and its
    /// permalink.
    make: for<'a> fn(&'a Paper, &'a Cite, &Settings) -> Cow<'a, str>,
}

const FORMATS: [Format; 3] = [
    Format {
        file: "cite.bib",
        per_paper: |_| true,
        all: "papers.bib",
        open: "",
        separator: "\n",
        close: "",
        single: |s| Cow::Borrowed(s),
        make: |_, cite, _| Cow::Borrowed(cite.bib.as_str()),
    },
    Format {
        file: "cite.ris",
        per_paper: |s| s.citations.ris,
        all: "papers.ris",
        open: "",
        separator: "",
        close: "",
        single: |s| Cow::Borrowed(s),
        make: |p, cite, settings| match &cite.ris {
            Some(ris) => Cow::Borrowed(ris),
            None => Cow::Owned(citation::ris(p, &settings.permalink(&p.rel()))),
        },
    },
    Format {
        file: "cite.json",
        per_paper: |s| s.citations.csl_json,
        all: "papers.json",
        open: "[",
        separator: ",\n",
        close: "]\n",
        single: |s| Cow::Owned(format!("[{s}]\n")),
        make: |p, cite, settings| match &cite.csl {
            Some(csl) => Cow::Borrowed(csl),
            None => {
                let csl = citation::csl(p, &cite.key, &settings.permalink(&p.rel()));
                Cow::Owned(serde_json::to_string(&csl).unwrap_or_default())
            }
        },
    },
];

/// Writes each (selected) paper's citation files and the all-papers files: the formats side by
/// side, each a chunk of papers at a time (in parallel within a chunk, streamed into the
/// all-papers file). Returns how many.
fn write_citations(
    settings: &Settings,
    site: &Site,
    cites: &[Cite],
    sink: &dyn Sink,
    selection: &Selection,
) -> Result<usize> {
    let counts: Vec<Result<usize>> = FORMATS
        .par_iter()
        .map(|format| {
            let mut failure: Option<crate::base::diag::Error> = None;
            let per_paper = (format.per_paper)(settings);
            sink.write_with(format.all, &mut |out| {
                out.write_all(format.open.as_bytes())?;
                let mut first = true;
                for (papers, cites) in site
                    .papers
                    .chunks(CITATION_CHUNK)
                    .zip(cites.chunks(CITATION_CHUNK))
                {
                    let entries: Vec<Result<Cow<str>>> = papers
                        .par_iter()
                        .zip(cites)
                        .map(|(p, c)| {
                            let entry = (format.make)(p, c, settings);
                            if per_paper && selection.paper(&p.slug) {
                                sink.write(
                                    &format!("{}{}", p.rel(), format.file),
                                    (format.single)(&entry).as_bytes(),
                                )?;
                            }
                            Ok(entry)
                        })
                        .collect();
                    for entry in entries {
                        let entry = entry.map_err(|e| {
                            failure = Some(e);
                            std::io::Error::other("citation file")
                        })?;
                        if !first {
                            out.write_all(format.separator.as_bytes())?;
                        }
                        first = false;
                        out.write_all(entry.as_bytes())?;
                    }
                }
                out.write_all(format.close.as_bytes())
            })
            .map_err(|e| failure.take().unwrap_or(e))?;
            let files = if per_paper {
                site.papers
                    .iter()
                    .filter(|p| selection.paper(&p.slug))
                    .count()
            } else {
                0
            };
            Ok(files + 1)
        })
        .collect();
    counts.into_iter().sum()
}

/// Makes the bytes of one site-wide file.
type FileMaker<'a> = Box<dyn Fn() -> Vec<u8> + Sync + 'a>;

/// Writes the citation files and the site-wide files: the Atom feed, the sitemap, the search
/// index, robots.txt, `.nojekyll`, `CNAME`. Returns how many.
fn write_data_files(
    settings: &Settings,
    site: &Site,
    cites: &[Cite],
    pages: &[(String, Option<String>)],
    sink: &dyn Sink,
    selection: &Selection,
) -> Result<usize> {
    let title = settings.title.as_deref().unwrap_or(&site.owner.name);
    let makers: Vec<(&str, FileMaker)> = vec![
        (
            "atom.xml",
            Box::new(|| feeds::atom(settings, site, title).into_bytes()),
        ),
        (
            "sitemap.xml",
            Box::new(|| {
                feeds::sitemap(settings, pages.iter().map(|(r, d)| (r.as_str(), d.clone())))
                    .into_bytes()
            }),
        ),
        (
            "robots.txt",
            Box::new(|| feeds::robots(settings).into_bytes()),
        ),
        (".nojekyll", Box::new(Vec::new)),
    ];
    let (citations, files) = rayon::join(
        || write_citations(settings, site, cites, sink, selection),
        || -> Result<usize> {
            let search = || {
                sink.write_with(crate::render::search::REL, &mut |out| {
                    crate::render::search::write_index(settings, site, out)
                })
            };
            let (search, makers_written) = rayon::join(search, || {
                makers
                    .par_iter()
                    .try_for_each(|(rel, make)| sink.write(rel, &make()))
            });
            search?;
            makers_written?;
            if let Some(cname) = &settings.cname {
                sink.write("CNAME", format!("{cname}\n").as_bytes())?;
            }
            Ok(makers.len() + 1 + usize::from(settings.cname.is_some()))
        },
    );
    Ok(citations? + files?)
}

/// The sitemap's pages (every `…/index.html` job, as a folder path), with a paper's date as
/// `lastmod`.
fn sitemap_pages(site: &Site, jobs: &[Job]) -> Vec<(String, Option<String>)> {
    let dates: std::collections::HashMap<String, String> = site
        .papers
        .iter()
        .filter_map(|p| Some((format!("{}index.html", p.rel()), p.date?.iso())))
        .collect();
    jobs.iter()
        .filter_map(|j| {
            let folder = j.rel.strip_suffix("index.html")?;
            Some((folder.to_string(), dates.get(&j.rel).cloned()))
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
