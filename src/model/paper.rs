//! One paper rendered: its title, abstract and Markdown body from TeX and Markdown to HTML
//! and MathML, its authors marked, its kind guessed from the venue, and every TeX problem
//! turned into a located warning.

use std::path::{Path, PathBuf};

use super::names::normalize_name;
use super::{Origin, Paper, PaperAuthor};
use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location};
use crate::base::text::html_to_text;
use crate::load::categories::{Category, Resolver};
use crate::load::content::{Kind, Links, PaperFile};
use crate::load::profile::ProfilePaper;
use crate::tex::markdown;
use crate::tex::{self, Layout, TexProblem};

/// A paper before rendering: the merged raw fields.
pub(super) struct Draft<'a> {
    pub(super) slug: String,
    pub(super) title_tex: String,
    pub(super) title: Title,
    pub(super) authors: Vec<String>,
    pub(super) truncated: bool,
    pub(super) org: Option<String>,
    pub(super) venue: Option<String>,
    pub(super) categories: Vec<String>,
    pub(super) date: Option<Date>,
    pub(super) has_code: bool,
    pub(super) abstract_tex: String,
    pub(super) selected: bool,
    pub(super) draft: bool,
    pub(super) kind: Option<Kind>,
    pub(super) bibtex: Option<String>,
    pub(super) links: Links,
    pub(super) extra: toml::Table,
    pub(super) profile: Option<(&'a Path, &'a ProfilePaper)>,
    pub(super) file: Option<&'a PaperFile>,
}

impl Draft<'_> {
    /// A hash of everything the rendered paper depends on.
    pub(super) fn fingerprint(&self, owner_names: &[String]) -> u64 {
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

/// A title rendered, with its problems (reported later, when the paper is rendered).
pub(super) struct Title {
    pub(super) html: String,
    pub(super) problems: Vec<TexProblem>,
}

pub(super) fn render_title(tex: &str, macros: &tex::Macros) -> Title {
    let mut problems = Vec::new();
    let html = tex::text_to_html_with(tex, Layout::Inline, macros, &mut problems);
    Title { html, problems }
}

/// The diagnostic code of TeX that could not be rendered (`check` makes these errors).
pub const TEX_PROBLEM: &str = "tex";

pub(super) fn render_paper(
    d: Draft,
    resolver: &Resolver,
    owner_names: &[String],
    site_macros: &tex::Macros,
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
        tex::text_to_html_with(&d.abstract_tex, Layout::Block, &macros, &mut problems);
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
    // Rendered text is kept once, shared with the template values (the copy is exact-sized).
    let paper = Paper {
        slug: d.slug,
        title: plain_title.into(),
        title_html: d.title.html.into(),
        title_tex: d.title_tex,
        authors,
        authors_truncated: d.truncated,
        org: d.org,
        venue: d.venue,
        categories,
        date: d.date,
        has_code: d.has_code,
        abstract_text: html_to_text(&abstract_html).into(),
        abstract_html: abstract_html.into(),
        body_html: body_html.into(),
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
pub(super) fn located(file: &Path, text: &str, first_line: usize, p: &TexProblem) -> Location {
    let mut loc = Location::at(file, text, p.offset, p.source.len());
    loc.line += first_line.saturating_sub(1);
    loc
}

pub(super) fn tex_warning(p: &TexProblem, title: &str, loc: Location) -> Diagnostic {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
