//! The data files beside the pages: each paper's citation files, and the site-wide files made
//! of one fragment per paper (`papers.bib`, `papers.ris`, `papers.json`, `search.json`) joined
//! in order, plus the feed, the sitemap, `robots.txt`, `.nojekyll` and `CNAME`.
//!
//! A build makes each fragment as it writes it, a chunk of papers at a time; `serve` keeps them
//! ([`Fragments`], cached per paper with its template value), so that after an edit the
//! site-wide files are joins of fragments already made.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::base::diag::Result;
use crate::base::shared::Shared;
use crate::load::settings::Settings;
use crate::model::{Paper, Site};
use crate::publish::citation;
use crate::publish::feeds;
use crate::publish::output::Sink;
use crate::render::search;

/// A paper's BibTeX entry, made once for its page and its files; kept by `serve`, also its
/// other fragments.
#[derive(Clone)]
pub(super) struct Fragments {
    pub(super) bib: Shared,
    pub(super) ris: Option<Shared>,
    pub(super) csl: Option<Shared>,
    pub(super) search: Option<Shared>,
}

impl Fragments {
    /// The key and BibTeX entry; with `keep`, every other fragment too.
    pub(super) fn new(settings: &Settings, p: &Paper, key: &str, keep: bool) -> Fragments {
        let permalink = settings.permalink(&p.rel());
        let bib = Shared::from(citation::bibtex(p, key, &permalink));
        let mut fragments = Fragments {
            bib,
            ris: None,
            csl: None,
            search: None,
        };
        if keep {
            let [_, ris, csl, search] = &FORMATS;
            let make = |f: &Format, fragments: &Fragments| {
                Some(Shared::from(
                    (f.make)(p, key, fragments, settings).into_owned(),
                ))
            };
            fragments.ris = make(ris, &fragments);
            fragments.csl = make(csl, &fragments);
            fragments.search = make(search, &fragments);
        }
        fragments
    }
}

/// Which papers' own citation files a write includes.
pub(super) type PaperFilter<'a> = &'a (dyn Fn(&Paper) -> bool + Sync);

/// Which site-wide files a write includes, by name.
pub(super) type FileFilter<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// What each site-wide file is made from, as one number per name: the joined files, every
/// paper (`keys`: the papers' output keys, in order); the feed, the newest papers and the
/// latest date; the sitemap, its pages and dates; the others, nothing that changes.
pub(super) fn fingerprints(
    settings: &Settings,
    site: &Site,
    keys: &[u64],
    pages: &[(String, Option<String>)],
) -> Vec<(&'static str, u64)> {
    use std::hash::{Hash, Hasher};
    let hash = |feed: &dyn Fn(&mut std::hash::DefaultHasher)| {
        let mut h = std::hash::DefaultHasher::new();
        feed(&mut h);
        h.finish()
    };
    let mut out: Vec<(&'static str, u64)> = FORMATS
        .iter()
        .map(|f| (f.all, hash(&|h| (f.all, keys).hash(h))))
        .collect();
    let newest = match settings.feed_limit {
        0 => keys.len(),
        n => n.min(keys.len()),
    };
    let latest = site.papers.iter().filter_map(|p| p.date).max();
    out.push(("atom.xml", hash(&|h| (latest, &keys[..newest]).hash(h))));
    out.push(("sitemap.xml", hash(&|h| pages.hash(h))));
    for name in ["robots.txt", ".nojekyll", "CNAME"] {
        out.push((name, hash(&|h| name.hash(h))));
    }
    out
}

/// Output paths of everything besides pages and static files.
pub(super) fn names(settings: &Settings, site: &Site) -> Vec<String> {
    let formats: Vec<&Format> = FORMATS.iter().filter(|f| (f.per_paper)(settings)).collect();
    let mut names: Vec<String> = site
        .papers
        .iter()
        .flat_map(|p| formats.iter().map(move |f| p.rel_of(f.file)))
        .collect();
    names.extend(FORMATS.iter().map(|f| f.all.to_string()));
    names.extend(SITE_FILES.iter().map(|s| (*s).to_string()));
    if settings.cname.is_some() {
        names.push("CNAME".into());
    }
    names
}

/// Site-wide files that are not joins of fragments.
const SITE_FILES: &[&str] = &["atom.xml", "sitemap.xml", "robots.txt", ".nojekyll"];

/// Papers whose fragments are made at a time: bounds the memory they take.
const CHUNK: usize = 512;

/// A per-paper format: its own file (if any), the all-papers file, and how entries are joined.
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
    /// A paper's entry: kept in its [`Fragments`] (serve), or made from the paper.
    make: for<'a> fn(&'a Paper, &str, &'a Fragments, &Settings) -> Cow<'a, str>,
}

const FORMATS: [Format; 4] = [
    Format {
        file: "cite.bib",
        per_paper: |_| true,
        all: "papers.bib",
        open: "",
        separator: "\n",
        close: "",
        single: |s| Cow::Borrowed(s),
        make: |_, _, f, _| Cow::Borrowed(f.bib.as_str()),
    },
    Format {
        file: "cite.ris",
        per_paper: |s| s.citations.ris,
        all: "papers.ris",
        open: "",
        separator: "",
        close: "",
        single: |s| Cow::Borrowed(s),
        make: |p, _, f, settings| match &f.ris {
            Some(ris) => Cow::Borrowed(ris.as_str()),
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
        make: |p, key, f, settings| match &f.csl {
            Some(csl) => Cow::Borrowed(csl.as_str()),
            None => {
                let csl = citation::csl(p, key, &settings.permalink(&p.rel()));
                Cow::Owned(serde_json::to_string(&csl).unwrap_or_default())
            }
        },
    },
    Format {
        file: "",
        per_paper: |_| false,
        all: search::REL,
        open: search::OPEN,
        separator: ",",
        close: search::CLOSE,
        single: |s| Cow::Borrowed(s),
        make: |p, _, f, settings| match &f.search {
            Some(entry) => Cow::Borrowed(entry.as_str()),
            None => Cow::Owned(search::entry_json(settings, p)),
        },
    },
];

/// Writes each paper's own citation files (of the papers `which` accepts) and the all-papers
/// files: the formats side by side, each a chunk of papers at a time (in parallel within a
/// chunk, streamed into the all-papers file). Returns how many files.
fn write_joined(
    settings: &Settings,
    site: &Site,
    fragments: &[Fragments],
    sink: &dyn Sink,
    files: FileFilter,
    which: PaperFilter,
) -> Result<usize> {
    let counts: Vec<Result<usize>> = FORMATS
        .par_iter()
        .map(|format| {
            let per_paper = (format.per_paper)(settings);
            if !files(format.all) {
                // The joined file is as it was; the papers' own files may still be due.
                if per_paper {
                    return write_own(settings, site, fragments, format, sink, which);
                }
                return Ok(0);
            }
            let mut failure: Option<crate::base::diag::Error> = None;
            sink.write_with(format.all, &mut |out| {
                out.write_all(format.open.as_bytes())?;
                let mut first = true;
                let chunks = site
                    .papers
                    .chunks(CHUNK)
                    .zip(site.citation_keys.chunks(CHUNK))
                    .zip(fragments.chunks(CHUNK));
                for ((papers, keys), fragments) in chunks {
                    let entries: Vec<Result<Cow<str>>> = papers
                        .par_iter()
                        .zip(keys)
                        .zip(fragments)
                        .map(|((p, key), f)| {
                            let entry = (format.make)(p, key, f, settings);
                            if per_paper && which(p) {
                                sink.write(
                                    &p.rel_of(format.file),
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
            let own = if per_paper {
                site.papers.iter().filter(|p| which(p)).count()
            } else {
                0
            };
            Ok(own + 1)
        })
        .collect();
    counts.into_iter().sum()
}

/// Writes the own files in `format` of the papers `which` accepts (their joined file is not
/// written).
fn write_own(
    settings: &Settings,
    site: &Site,
    fragments: &[Fragments],
    format: &Format,
    sink: &dyn Sink,
    which: PaperFilter,
) -> Result<usize> {
    let own: Vec<Result<()>> = site
        .papers
        .par_iter()
        .zip(&site.citation_keys)
        .zip(fragments)
        .filter(|((p, _), _)| which(p))
        .map(|((p, key), f)| {
            let entry = (format.make)(p, key, f, settings);
            sink.write(&p.rel_of(format.file), (format.single)(&entry).as_bytes())
        })
        .collect();
    let written = own.len();
    own.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(written)
}

/// Makes the bytes of one site-wide file.
type FileMaker<'a> = Box<dyn Fn() -> Vec<u8> + Sync + 'a>;

/// Writes the data files: the site-wide files `files` accepts, and the own citation files of
/// the papers `which` accepts. `pages` are the sitemap's pages with their dates. Returns how
/// many.
pub(super) fn write(
    settings: &Settings,
    site: &Site,
    fragments: &[Fragments],
    pages: &[(String, Option<String>)],
    sink: &dyn Sink,
    files: FileFilter,
    which: PaperFilter,
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
    let (joined, others) = rayon::join(
        || write_joined(settings, site, fragments, sink, files, which),
        || -> Result<usize> {
            let due: Vec<&(&str, FileMaker)> =
                makers.iter().filter(|(rel, _)| files(rel)).collect();
            due.par_iter()
                .try_for_each(|(rel, make)| sink.write(rel, &make()))?;
            let cname = settings.cname.as_ref().filter(|_| files("CNAME"));
            if let Some(cname) = cname {
                sink.write("CNAME", format!("{cname}\n").as_bytes())?;
            }
            Ok(due.len() + usize::from(cname.is_some()))
        },
    );
    Ok(joined? + others?)
}
