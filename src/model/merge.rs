//! One paper, many records: the profile's papers and the bibliography files' records become
//! paper drafts. Records are the same paper when they share a DOI, an arXiv id, or a
//! normalised title (case, accents, punctuation and TeX stripped) with years at most one apart
//! (an arXiv preprint and its conference version); two DOIs or two arXiv ids that differ keep
//! records apart. Each field comes from the first source that has it, in the order: the
//! bibliography files as config.toml lists them (each file in its order), then the profile.
//! Authors come from the first complete list (a truncated `et al.` list only when no source
//! has the whole list), and a date is refined by a more precise one that agrees with it (the
//! profile's day keeps a `.bib`'s year).
//!
//! Profile papers are never merged with one another (the profile's duplicates are kept, as
//! before); two records of one file that are the same paper are merged with a warning naming
//! both. Front matter, applied later by `assemble.rs`, wins over all of this.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::paper::{Draft, SourceId, TextAt, Title, render_title};
use super::{Origin, Provenance, SourceKind};
use crate::base::diag::Diagnostic;
use crate::base::text::html_to_words;
use crate::load::profile::ProfilePaper;
use crate::load::sources::{Bibliography, Record};
use crate::tex;

/// `Attention Is All You Need!` and `{Attention} is all you need` → `attention is all you
/// need`: ASCII words of a title's rendered text, lowercase.
pub fn title_key(title_html: &str) -> String {
    deunicode::deunicode(&html_to_words(title_html))
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One source of a paper.
#[derive(Clone, Copy)]
enum Member<'a> {
    Profile(&'a Path, &'a ProfilePaper),
    Record(&'a Record),
}

/// Papers being formed: their members in precedence order once sorted.
struct Cluster<'a> {
    members: Vec<(Member<'a>, usize)>,
    years: Vec<i32>,
    dois: Vec<String>,
    arxivs: Vec<String>,
}

/// A profile paper's draft, with its slug already chosen (in profile order, as before).
pub(super) struct ProfileDraft<'a> {
    pub(super) slug: String,
    pub(super) title: Title,
    pub(super) file: &'a Path,
    pub(super) paper: &'a ProfilePaper,
}

/// The drafts of the profile papers (slugs given) and the bibliography's records, merged; the
/// profile's drafts keep their order and come first. `slug_of` makes a unique slug for a
/// record-only paper from its rendered title.
pub(super) fn merge<'a>(
    profile: Vec<ProfileDraft<'a>>,
    bib: &'a Bibliography,
    macros: &tex::Macros,
    mut slug_of: impl FnMut(&Title, &Record) -> String,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Draft<'a>> {
    // A record titled as its profile paper (the usual case) reuses the profile's rendering.
    let rendered: HashMap<&str, &Title> = profile
        .iter()
        .map(|p| (p.paper.title.as_str(), &p.title))
        .collect();
    let titles: Vec<Title> = bib
        .records
        .par_iter()
        .map(|r| {
            let tex = r.title.as_ref().map_or("", |t| t.tex.as_str());
            match rendered.get(tex) {
                Some(t) => Title {
                    html: t.html.clone(),
                    problems: t.problems.clone(),
                },
                None => render_title(tex, macros),
            }
        })
        .collect();
    let keys: Vec<String> = titles.par_iter().map(|t| title_key(&t.html)).collect();
    let mut clusters: Vec<Cluster> = Vec::with_capacity(profile.len() + bib.records.len());
    let mut by_doi: HashMap<String, usize> = HashMap::new();
    let mut by_arxiv: HashMap<String, usize> = HashMap::new();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    let profile_keys: Vec<String> = profile
        .par_iter()
        .map(|p| title_key(&p.title.html))
        .collect();
    for (i, (p, key)) in profile.iter().zip(profile_keys).enumerate() {
        by_title.entry(key).or_default().push(clusters.len());
        clusters.push(Cluster {
            members: vec![(Member::Profile(p.file, p.paper), i)],
            years: vec![p.paper.date.year],
            dois: Vec::new(),
            arxivs: Vec::new(),
        });
    }
    for (i, r) in bib.records.iter().enumerate() {
        let doi = r.links.doi.as_ref().map(|d| d.to_ascii_lowercase());
        let arxiv = r.links.arxiv.as_ref().map(|a| a.to_ascii_lowercase());
        let year = r.date.map(|d| d.year);
        let found = doi
            .as_ref()
            .and_then(|d| by_doi.get(d))
            .or_else(|| arxiv.as_ref().and_then(|a| by_arxiv.get(a)))
            .copied()
            .or_else(|| {
                let candidates = by_title.get(&keys[i])?;
                candidates.iter().copied().find(|&c| {
                    let cl = &clusters[c];
                    let years_ok = match year {
                        Some(y) => {
                            cl.years.is_empty() || cl.years.iter().any(|&x| (x - y).abs() <= 1)
                        }
                        None => true,
                    };
                    let doi_ok = doi
                        .as_ref()
                        .is_none_or(|d| cl.dois.is_empty() || cl.dois.contains(d));
                    let arxiv_ok = arxiv
                        .as_ref()
                        .is_none_or(|a| cl.arxivs.is_empty() || cl.arxivs.contains(a));
                    years_ok && doi_ok && arxiv_ok && !keys[i].is_empty()
                })
            });
        let c = match found {
            Some(c) => {
                let same_file = clusters[c].members.iter().find_map(|(m, _)| match m {
                    Member::Record(other) if other.file == r.file => Some(*other),
                    _ => None,
                });
                if let Some(other) = same_file {
                    warnings.push(duplicate_warning(bib, other, r));
                }
                clusters[c].members.push((Member::Record(r), i));
                c
            }
            None => {
                clusters.push(Cluster {
                    members: vec![(Member::Record(r), i)],
                    years: Vec::new(),
                    dois: Vec::new(),
                    arxivs: Vec::new(),
                });
                by_title
                    .entry(keys[i].clone())
                    .or_default()
                    .push(clusters.len() - 1);
                clusters.len() - 1
            }
        };
        let cl = &mut clusters[c];
        cl.years.extend(year);
        if let Some(d) = doi {
            by_doi.entry(d.clone()).or_insert(c);
            cl.dois.push(d);
        }
        if let Some(a) = arxiv {
            by_arxiv.entry(a.clone()).or_insert(c);
            cl.arxivs.push(a);
        }
    }
    let mut profile: Vec<Option<ProfileDraft>> = profile.into_iter().map(Some).collect();
    let mut titles: Vec<Option<Title>> = titles.into_iter().map(Some).collect();
    clusters
        .into_iter()
        .map(|cl| {
            let mut members = cl.members;
            // Records in file order first; the profile last.
            members.sort_by_key(|(m, i)| match m {
                Member::Record(_) => (0, *i),
                Member::Profile(..) => (1, *i),
            });
            let profile_draft = members.iter().find_map(|(m, i)| match m {
                Member::Profile(..) => profile[*i].take(),
                Member::Record(_) => None,
            });
            let empty = || Title {
                html: String::new(),
                problems: Vec::new(),
            };
            let (slug, title) = match (members.first(), profile_draft) {
                (Some((Member::Record(r), i)), profile_draft) => {
                    let title = titles[*i].take().unwrap_or_else(empty);
                    let slug = match profile_draft {
                        Some(p) => p.slug,
                        None => slug_of(&title, r),
                    };
                    (slug, title)
                }
                (_, Some(p)) => (p.slug, p.title),
                _ => (String::new(), empty()),
            };
            let ids = members
                .iter()
                .map(|(m, i)| match m {
                    Member::Profile(..) => SourceId::Profile(*i),
                    Member::Record(_) => SourceId::Record(*i),
                })
                .collect();
            let members: Vec<Member> = members.into_iter().map(|(m, _)| m).collect();
            (members, ids, slug, title)
        })
        .collect::<Vec<_>>()
        // Slugs are chosen in order (above); each paper's fields are then resolved on its own.
        .into_par_iter()
        .map(|(members, ids, slug, title)| {
            let mut draft = resolve(&members, bib, slug, title);
            draft.sources = ids;
            draft
        })
        .collect()
}

/// The draft of one paper made from its sources again (as [`merge`] made it, `sources` in
/// precedence order), with its slug: a paper whose content file changed is patched without
/// merging every paper again. `None` if a source is no longer there.
pub(super) fn draft_of<'a>(
    sources: &[SourceId],
    profile: Option<(&'a Path, &'a crate::load::profile::Profile)>,
    bib: &'a Bibliography,
    macros: &tex::Macros,
    slug: String,
) -> Option<Draft<'a>> {
    let members: Vec<Member> = sources
        .iter()
        .map(|id| match *id {
            SourceId::Profile(i) => {
                let (file, p) = profile?;
                Some(Member::Profile(file, p.papers.get(i)?))
            }
            SourceId::Record(i) => Some(Member::Record(bib.records.get(i)?)),
        })
        .collect::<Option<_>>()?;
    let title = match members.first()? {
        Member::Profile(_, p) => render_title(&p.title, macros),
        Member::Record(r) => render_title(r.title.as_ref().map_or("", |t| t.tex.as_str()), macros),
    };
    let mut draft = resolve(&members, bib, slug, title);
    draft.sources = sources.to_vec();
    Some(draft)
}

fn duplicate_warning(bib: &Bibliography, first: &Record, second: &Record) -> Diagnostic {
    let why = if first.links.doi.is_some() && first.links.doi == second.links.doi {
        "the same DOI"
    } else if first.links.arxiv.is_some() && first.links.arxiv == second.links.arxiv {
        "the same arXiv id"
    } else {
        "the same title"
    };
    let name = |r: &Record| match &r.key {
        Some(k) => format!("`{k}` (line {})", r.line),
        None => format!("entry {}", r.index),
    };
    let at = second.location(&bib.files);
    Diagnostic::warning(format!(
        "{} and {} are one paper ({why}): merged, the first entry's fields first",
        name(first),
        name(second)
    ))
    .at(at)
    .hint("remove one of the two entries if they are duplicates")
}

/// A draft from its members (in precedence order): each field from the first member that has it.
fn resolve<'a>(
    members: &[Member<'a>],
    bib: &'a Bibliography,
    slug: String,
    title: Title,
) -> Draft<'a> {
    let mut prov = Provenance::default();
    let describe = |m: &Member| match m {
        Member::Profile(file, p) => (
            SourceKind::Profile,
            format!("{}:{}", file.display(), p.line),
        ),
        Member::Record(r) => (SourceKind::Bibliography, r.describe(&bib.files)),
    };
    let src: Vec<usize> = members
        .iter()
        .map(|m| {
            let (kind, described) = describe(m);
            prov.source(kind, described)
        })
        .collect();
    let first_src = src.first().copied().unwrap_or(0);
    prov.set("title", first_src);
    let origin = match members.first() {
        Some(Member::Profile(file, p)) => Origin {
            file: file.to_path_buf(),
            line: p.line,
        },
        Some(Member::Record(r)) => Origin {
            file: bib
                .files
                .get(r.file)
                .map(|f| f.shown.clone())
                .unwrap_or_default(),
            line: r.line,
        },
        None => Origin {
            file: Default::default(),
            line: 0,
        },
    };
    let text_at = |m: &Member<'a>, abstract_: bool| -> Option<TextAt<'a>> {
        match *m {
            Member::Profile(file, p) => Some(if abstract_ {
                TextAt {
                    file,
                    text: &p.abstract_tex,
                    line: p.abstract_line,
                }
            } else {
                TextAt {
                    file,
                    text: &p.title,
                    line: p.line + 1,
                }
            }),
            Member::Record(r) => {
                let w = if abstract_ {
                    r.abstract_tex.as_ref()?
                } else {
                    r.title.as_ref()?
                };
                let file = bib.files.get(r.file).map(|f| f.shown.as_path())?;
                Some(TextAt {
                    file,
                    text: &w.tex,
                    line: w.line,
                })
            }
        }
    };
    let title_tex = match members.first() {
        Some(Member::Record(r)) => r.title.as_ref().map(|t| t.tex.clone()).unwrap_or_default(),
        Some(Member::Profile(_, p)) => p.title.clone(),
        None => String::new(),
    };
    let mut d = Draft::new(slug, title_tex, title, origin);
    d.from_profile = members.iter().any(|m| matches!(m, Member::Profile(..)));
    d.title_at = members.first().and_then(|m| text_at(m, false));
    // Authors: the first complete list, else the first list.
    let lists = members.iter().zip(&src).filter_map(|(m, &s)| match m {
        Member::Profile(_, p) if !p.authors.is_empty() => Some((&p.authors, p.truncated, s)),
        Member::Record(r) if !r.authors.is_empty() => Some((&r.authors, r.truncated, s)),
        _ => None,
    });
    let lists: Vec<_> = lists.collect();
    if let Some(&(a, t, s)) = lists.iter().find(|(_, t, _)| !t).or(lists.first()) {
        d.authors = a.clone();
        d.truncated = t;
        prov.set("authors", s);
    }
    // The date: by precedence, refined by a more precise date that agrees.
    for (m, &s) in members.iter().zip(&src) {
        let date = match m {
            Member::Profile(_, p) => Some(p.date),
            Member::Record(r) => r.date,
        };
        let Some(date) = date else { continue };
        match d.date {
            None => {
                d.date = Some(date);
                prov.set("date", s);
            }
            Some(current)
                if current.agrees_with(&date) && date.precision() > current.precision() =>
            {
                d.date = Some(date);
                prov.set("date", s);
            }
            Some(_) => {}
        }
    }
    for (m, &s) in members.iter().zip(&src) {
        match m {
            Member::Profile(_, p) => {
                set(&mut d.org, p.org.clone(), "org", s, &mut prov);
                if d.categories.is_empty() {
                    d.categories = vec![p.category.clone()];
                    prov.set("categories", s);
                }
                if p.has_code && !d.has_code {
                    d.has_code = true;
                    prov.set("code", s);
                }
                if d.abstract_tex.is_empty() && !p.abstract_tex.is_empty() {
                    d.abstract_tex = p.abstract_tex.clone();
                    d.abstract_at = text_at(m, true);
                    prov.set("abstract", s);
                }
            }
            Member::Record(r) => {
                if d.kind.is_none() && r.kind.is_some() {
                    d.kind = r.kind;
                    prov.set("kind", s);
                }
                set(&mut d.venue, r.venue.clone(), "venue", s, &mut prov);
                if d.abstract_tex.is_empty()
                    && let Some(a) = &r.abstract_tex
                {
                    d.abstract_tex = a.tex.clone();
                    d.abstract_at = text_at(m, true);
                    prov.set("abstract", s);
                }
                if d.categories.is_empty() && !r.categories.is_empty() {
                    d.categories = r.categories.clone();
                    prov.set("categories", s);
                }
                for ((name, mine), (_, theirs)) in
                    d.biblio.entries_mut().into_iter().zip(r.biblio.entries())
                {
                    set(mine, theirs.clone(), name, s, &mut prov);
                }
                let l = &r.links;
                set(&mut d.links.doi, l.doi.clone(), "doi", s, &mut prov);
                set(&mut d.links.arxiv, l.arxiv.clone(), "arxiv", s, &mut prov);
                set(&mut d.links.html, l.html.clone(), "url", s, &mut prov);
                set(&mut d.links.pdf, l.pdf.clone(), "pdf", s, &mut prov);
            }
        }
    }
    d.provenance = prov;
    d
}

/// Sets an empty field from a source.
fn set(
    field: &mut Option<String>,
    value: Option<String>,
    name: &'static str,
    source: usize,
    prov: &mut Provenance,
) {
    if field.is_none() && value.is_some() {
        *field = value;
        prov.set(name, source);
    }
}
