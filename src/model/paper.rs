//! One paper rendered: its title, abstract and Markdown body from TeX and Markdown to HTML
//! and MathML, its authors marked, its kind guessed from the venue, and every TeX problem
//! turned into a located warning.

use std::path::Path;

use super::links::SourceLinks;
use super::names::normalize_name;
use super::undefined::UndefinedUse;
use super::{Origin, Paper, PaperAuthor, Provenance};
use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location};
use crate::base::name::Name;
use crate::base::text::html_to_text;
use crate::load::categories::{Category, Resolver};
use crate::load::content::{Biblio, Kind, Links, PaperFile};
use crate::load::source::PreambleFile;
use crate::tex::markdown;
use crate::tex::{self, Layout, TexProblem};

/// Where a TeX text was written, to locate its problems: `text` starts at 1-based `line` of
/// `file` (0: the line is unknown, the file is named).
#[derive(Debug, Clone, Copy)]
pub(super) struct TextAt<'a> {
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) line: usize,
}

impl TextAt<'_> {
    fn locate(&self, p: &TexProblem) -> Location {
        if self.line > 0 {
            located(self.file, self.text, self.line, p)
        } else {
            Location::file(self.file)
        }
    }
}

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
    pub(super) biblio: Biblio,
    pub(super) links: Links,
    pub(super) extra: toml::Table,
    /// Whether a profile paper is among its sources.
    pub(super) from_profile: bool,
    pub(super) title_at: Option<TextAt<'a>>,
    pub(super) abstract_at: Option<TextAt<'a>>,
    /// Its main source (before a content file's).
    pub(super) origin: Origin,
    pub(super) provenance: Provenance,
    /// Its sources before a content file's: profile papers and bibliography records.
    pub(super) sources: Vec<SourceId>,
    pub(super) file: Option<&'a PaperFile>,
}

/// A source of a paper: a profile paper or a bibliography record, by its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SourceId {
    /// An index into the profile's papers.
    Profile(usize),
    /// An index into the bibliography's records.
    Record(usize),
}

impl<'a> Draft<'a> {
    /// A draft with its slug, title and main source, and no other field yet.
    pub(super) fn new(slug: String, title_tex: String, title: Title, origin: Origin) -> Draft<'a> {
        Draft {
            slug,
            title_tex,
            title,
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
            biblio: Biblio::default(),
            links: Links::default(),
            extra: toml::Table::new(),
            from_profile: false,
            title_at: None,
            abstract_at: None,
            origin,
            provenance: Provenance::default(),
            sources: Vec::new(),
            file: None,
        }
    }

    /// A hash of everything the rendered paper depends on.
    pub(super) fn fingerprint(&self, owner_names: &[String], links: &SourceLinks) -> u64 {
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
        (&self.biblio, &self.origin, &self.provenance).hash(&mut h);
        owner_names.hash(&mut h);
        for at in [self.title_at, self.abstract_at].into_iter().flatten() {
            (at.file, at.line).hash(&mut h);
        }
        if let Some(f) = self.file {
            (&f.shown, &f.src).hash(&mut h);
            f.matter
                .preamble_file
                .as_ref()
                .map(|p| &p.text)
                .hash(&mut h);
            if f.body().contains("@/") {
                links.digest().hash(&mut h);
            }
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

/// Renders a draft; broken `@/` links in its body come back among the diagnostics as errors.
pub(super) fn render_paper(
    d: Draft,
    resolver: &Resolver,
    owner_names: &[String],
    site_macros: &tex::Macros,
    links: &SourceLinks,
) -> (Paper, Vec<Diagnostic>, Vec<UndefinedUse>) {
    let mut warnings = Vec::new();
    let mut undefined = Vec::new();
    let macros = match d.file {
        Some(f) => preamble_macros(site_macros, f.matter.preamble_file.as_ref(), &mut warnings)
            .with(&f.matter.macros),
        None => site_macros.clone(),
    };
    let mut problems = Vec::new();
    let plain_title = html_to_text(&d.title.html);
    let title_loc = |p: &TexProblem| match (d.title_at, d.file) {
        (_, Some(f)) if f.matter.title.is_some() => f.key_location("title"),
        (Some(at), _) => at.locate(p),
        (None, Some(f)) => Location::file(&f.shown),
        (None, None) => Location::file(Path::new("")),
    };
    for p in &d.title.problems {
        report(p, &plain_title, title_loc(p), &mut warnings, &mut undefined);
    }
    let abstract_html =
        tex::text_to_html_with(&d.abstract_tex, Layout::Block, &macros, &mut problems);
    for p in problems.drain(..) {
        let loc = match (d.abstract_at, d.file) {
            (_, Some(f)) if f.matter.abstract_tex.is_some() => f.key_location("abstract"),
            (Some(at), _) => at.locate(&p),
            (None, Some(f)) => Location::file(&f.shown),
            (None, None) => Location::file(Path::new("")),
        };
        report(&p, &plain_title, loc, &mut warnings, &mut undefined);
    }
    let body_html = match d.file {
        Some(f) => {
            let html = markdown::render_with_macros(f.body(), &macros, &mut problems);
            for p in problems.drain(..) {
                let loc = located(&f.shown, f.body(), f.body_line, &p);
                report(&p, &plain_title, loc, &mut warnings, &mut undefined);
            }
            links.resolve(html, &f.shown, &f.src, &mut warnings)
        }
        None => String::new(),
    };
    let origin = match d.file {
        Some(f) => Origin {
            file: f.shown.clone(),
            line: 1,
        },
        None => d.origin,
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
        .map(|written| {
            let n = Name::parse(written);
            let name = n.display();
            PaperAuthor {
                is_owner: owner_names.contains(&normalize_name(&name)),
                name,
                given: n.given,
                family: n.family,
                suffix: n.suffix,
            }
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
        abstract_tex: d.abstract_tex,
        abstract_html: abstract_html.into(),
        body_html: body_html.into(),
        selected: d.selected,
        draft: d.draft,
        kind,
        bibtex: d.bibtex,
        biblio: d.biblio,
        links: d.links,
        extra: d.extra,
        origin,
        provenance: d.provenance,
        fingerprint: 0,
    };
    (paper, warnings, undefined)
}

/// A TeX problem of `owner` (a paper's title, a page): an undefined macro is a use for the
/// site's summary, anything else a warning.
pub(super) fn report(
    p: &TexProblem,
    owner: &str,
    location: Location,
    warnings: &mut Vec<Diagnostic>,
    undefined: &mut Vec<UndefinedUse>,
) {
    match &p.undefined {
        Some(name) => undefined.push(UndefinedUse {
            name: name.clone(),
            location,
            owner: owner.to_string(),
            source: p.source.clone(),
        }),
        None => warnings.push(tex_warning(p, owner, location)),
    }
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

/// `base` with the definitions of `preamble` on top; the lines it skips are warned about.
pub(super) fn preamble_macros(
    base: &tex::Macros,
    preamble: Option<&PreambleFile>,
    warnings: &mut Vec<Diagnostic>,
) -> tex::Macros {
    let Some(file) = preamble else {
        return base.clone();
    };
    let (macros, problems) = tex::preamble::parse(&file.text, base);
    warnings.extend(problems.into_iter().map(|p| {
        Diagnostic::warning(format!("preamble line skipped: {}", p.message))
            .at(Location::line(&file.shown, p.line, &p.text))
            .hint("a preamble holds macro definitions: \\newcommand, \\renewcommand, \\providecommand, \\DeclareMathOperator, \\def, \\let")
    }));
    macros
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
