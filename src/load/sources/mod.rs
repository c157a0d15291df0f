//! Bibliography files beside the profile (`[sources] files` in config.toml): BibTeX and
//! BibLaTeX (`bibtex.rs`), CSL-JSON (`csl.rs`), an arXiv API Atom feed (`arxiv.rs`) and an
//! ORCID works export (`orcid.rs`). Each file becomes a list of [`Record`]s of one shape, in
//! the file's order; the model merges them with the profile into papers.
//!
//! A malformed entry in a file that is otherwise fine is skipped with a warning naming its line
//! and key; a file that cannot be read at all (missing, not the format its content claims, no
//! entry readable) is an error.

mod arxiv;
mod bibtex;
mod csl;
use crate::load::ids;
mod orcid;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::content::{Biblio, Kind, Links};
use crate::load::settings::{CONFIG_FILE, Settings, key_location};
use crate::load::source;

/// A text field (TeX) and where it is written: `line` is the 1-based line where `tex` starts
/// in the file when `tex` is exactly the file's text there (0 when it is not, e.g. JSON with
/// escapes), so that TeX problems can be located.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Written {
    /// The text, TeX allowed.
    pub tex: String,
    /// Where it starts (0: unknown).
    pub line: usize,
}

/// One entry of a bibliography file, in the shape every format is read into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Index of its file in [`Bibliography::files`].
    pub file: usize,
    /// 1-based line where the entry starts (0: unknown, as in JSON).
    pub line: usize,
    /// Its position in the file, counting from 1 (entries, items, works).
    pub index: usize,
    /// The text of its first line (empty when `line` is 0), for messages.
    pub head: String,
    /// The entry's key (BibTeX key, CSL `id`, arXiv id, ORCID put-code).
    pub key: Option<String>,
    /// What kind of publication, when the entry type says.
    pub kind: Option<Kind>,
    /// The title (TeX allowed).
    pub title: Option<Written>,
    /// Authors, each in a written form [`crate::base::name::Name::parse`] reads back.
    pub authors: Vec<String>,
    /// Whether the list ends in `and others`.
    pub truncated: bool,
    /// Publication date (maybe only the year).
    pub date: Option<Date>,
    /// Journal, proceedings or book title.
    pub venue: Option<String>,
    /// The abstract (TeX allowed).
    pub abstract_tex: Option<Written>,
    /// Volume, number, pages, publisher, institution.
    pub biblio: Biblio,
    /// DOI, arXiv id, publisher page, PDF.
    pub links: Links,
    /// arXiv categories (`cs.LG`), primary first.
    pub categories: Vec<String>,
}

impl Record {
    /// Where the entry starts, for messages.
    pub fn location(&self, files: &[SourceFile]) -> Location {
        let file = files
            .get(self.file)
            .map_or(Path::new(""), |f| f.shown.as_path());
        if self.line > 0 {
            Location::line(file, self.line, &self.head)
        } else {
            Location::file(file)
        }
    }

    /// `papers.bib:12 (huang2022sparse)`, for messages.
    pub fn describe(&self, files: &[SourceFile]) -> String {
        let file = files
            .get(self.file)
            .map_or_else(String::new, |f| f.shown.display().to_string());
        let at = if self.line > 0 {
            format!("{file}:{}", self.line)
        } else {
            format!("{file}, entry {}", self.index)
        };
        match &self.key {
            Some(k) => format!("{at} (`{k}`)"),
            None => at,
        }
    }
}

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// BibTeX or BibLaTeX.
    Bibtex,
    /// CSL-JSON (Zotero's and citation.js's export).
    CslJson,
    /// An arXiv API Atom feed.
    ArxivAtom,
    /// An ORCID public API works export.
    OrcidJson,
}

impl Format {
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Bibtex => "BibTeX",
            Format::CslJson => "CSL-JSON",
            Format::ArxivAtom => "arXiv Atom",
            Format::OrcidJson => "ORCID JSON",
        }
    }
}

/// How many entries a parser saw, and how many of them it skipped with a warning.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    entries: usize,
    skipped: usize,
}

/// One bibliography file read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as written in config.toml, joined to the site root, for messages.
    pub shown: PathBuf,
    /// Its format.
    pub format: Format,
    /// Entries it held (papers, skipped entries, and `@proceedings` others cross-reference).
    pub entries: usize,
    /// Entries skipped with a warning.
    pub skipped: usize,
}

/// Every bibliography file of the site, read.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    /// The files, in the order config.toml lists them (earlier files take precedence).
    pub files: Vec<SourceFile>,
    /// Their records, file by file, in each file's order.
    pub records: Vec<Record>,
}

/// Reads the site's bibliography files (`[sources] files`) in parallel; the first file's
/// records come first. Every error of every file is reported; a missing file is an error at
/// its line in config.toml.
pub fn load(settings: &Settings) -> Result<(Bibliography, Vec<Diagnostic>)> {
    let read: Vec<Result<Parsed>> = settings
        .sources
        .par_iter()
        .map(|s| {
            if !s.path.exists() {
                let config = settings.root.join(CONFIG_FILE);
                let text = std::fs::read_to_string(&config).unwrap_or_default();
                return Err(Diagnostic::error(format!(
                    "the bibliography `{}` does not exist",
                    s.shown.display()
                ))
                .at(key_location(&config, &text, "files"))
                .hint("fix the path under [sources] in config.toml (paths are relative to the site folder)")
                .into());
            }
            let text = source::read_text(&s.path, &s.shown, "read the bibliography")?;
            parse(&s.shown, &text)
        })
        .collect();
    let mut bib = Bibliography::default();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for r in read {
        match r {
            Ok((file, records, w)) => {
                let index = bib.files.len();
                bib.files.push(file);
                bib.records
                    .extend(records.into_iter().map(|r| Record { file: index, ..r }));
                warnings.extend(w);
            }
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if errors.is_empty() {
        Ok((bib, warnings))
    } else {
        Err(crate::base::diag::Error::from(errors).with_warnings(warnings))
    }
}

/// A file read: what it is, its records, its warnings.
pub type Parsed = (SourceFile, Vec<Record>, Vec<Diagnostic>);

/// Parses one file's text, its format told by its content (and its name when the content
/// could be either).
pub fn parse(shown: &Path, text: &str) -> Result<Parsed> {
    let format = detect(shown, text)?;
    let (records, counts, warnings) = match format {
        Format::Bibtex => bibtex::parse(shown, text)?,
        Format::CslJson => csl::parse(shown, text)?,
        Format::ArxivAtom => arxiv::parse(shown, text)?,
        Format::OrcidJson => orcid::parse(shown, text)?,
    };
    let mut warnings = warnings;
    let before = records.len();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let records: Vec<Record> = records
        .into_iter()
        .map(|mut r| {
            r.biblio.pages = r.biblio.pages.as_deref().map(pages);
            if let Some(&start) = r.line.checked_sub(1).and_then(|l| starts.get(l)) {
                r.head = text[start..]
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_end()
                    .to_string();
            }
            if r.links.arxiv.is_none() {
                r.links.arxiv = r.links.doi.as_deref().and_then(ids::arxiv_of_doi);
            }
            r
        })
        .filter(|r| {
            let titled = r.title.as_ref().is_some_and(|t| !t.tex.trim().is_empty());
            if !titled {
                let at = if r.line > 0 {
                    Location::line(shown, r.line, &r.head)
                } else {
                    Location::file(shown)
                };
                let what = match &r.key {
                    Some(k) => format!("entry `{k}`"),
                    None => format!("entry {}", r.index),
                };
                warnings.push(
                    Diagnostic::warning(format!("{what} has no title; it is skipped"))
                        .at(at)
                        .hint("a paper needs a title: add one, or remove the entry"),
                );
            }
            titled
        })
        .collect();
    let file = SourceFile {
        shown: shown.to_path_buf(),
        format,
        entries: counts.entries,
        skipped: counts.skipped + before - records.len(),
    };
    Ok((file, records, warnings))
}

/// The format of a file: JSON by its shape (ORCID's works have `put-code`s), XML if it is an
/// Atom feed, BibTeX if it has an `@entry`; the extension decides only for an empty file.
pub fn detect(shown: &Path, text: &str) -> Result<Format> {
    let start = text.trim_start();
    let ext = shown
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if start.starts_with('[') || start.starts_with('{') {
        return Ok(if orcid::looks_like(start) {
            Format::OrcidJson
        } else {
            Format::CslJson
        });
    }
    if start.starts_with('<') {
        return Ok(Format::ArxivAtom);
    }
    if start.is_empty() {
        return match ext.as_str() {
            "json" => Ok(Format::CslJson),
            "xml" | "atom" => Ok(Format::ArxivAtom),
            _ => Ok(Format::Bibtex),
        };
    }
    if bibtex::has_entry(text) || ext == "bib" || ext == "bibtex" {
        return Ok(Format::Bibtex);
    }
    Err(Diagnostic::error(format!(
        "cannot tell what kind of bibliography `{}` is",
        shown.display()
    ))
    .at(Location::at(shown, text, text.len() - start.len(), 1))
    .hint("scholarsite reads BibTeX/BibLaTeX (.bib), CSL-JSON (.json), an arXiv API Atom feed (.xml) and an ORCID works export (.json)")
    .into())
}

/// The plain text of a bibliography field that may hold TeX (`{IEEE} Trans.\ on \&`): TeX
/// rendered, markup dropped, whitespace collapsed. Empty results are `None`.
pub(crate) fn plain(tex: &str) -> Option<String> {
    let text = if tex.contains(['\\', '{', '}', '$', '~', '-', '`', '\'', '%']) {
        let mut problems = Vec::new();
        let html = crate::tex::text_to_html(tex, crate::tex::Layout::Inline, &mut problems);
        crate::base::text::html_to_text(&html)
    } else {
        tex.to_string()
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Plain text (CSL-JSON and ORCID titles, abstracts) as TeX that renders back to the same
/// text: the characters TeX gives a meaning escaped.
pub(crate) fn tex_of_plain(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '-' if prev == '-' => out.push_str("{}-"),
            _ => out.push(c),
        }
        prev = c;
    }
    out
}

/// The location of 1-based `line` and `col` (characters) in `text`.
pub(crate) fn line_col_location(shown: &Path, text: &str, line: usize, col: usize) -> Location {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = text[start.min(text.len())..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i);
    Location::at(shown, text, offset, 1)
}

/// Page ranges in one form: `1135-1140`, `1135--1140` → `1135–1140`.
pub(crate) fn pages(text: &str) -> String {
    let parts: Vec<&str> = text
        .split(['-', '–', '—'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [first, last] if !first.contains(' ') && !last.contains(' ') => format!("{first}–{last}"),
        _ => text.trim().to_string(),
    }
}

/// Sets the DOI, arXiv id, PDF or page link from a URL (the first of each kind wins).
pub(crate) fn add_url(links: &mut Links, url: &str) {
    match ids::url_kind(url) {
        Some(ids::UrlKind::Arxiv(id)) => {
            links.arxiv.get_or_insert(id);
        }
        Some(ids::UrlKind::Doi(d)) => {
            links.doi.get_or_insert(d);
        }
        Some(ids::UrlKind::Pdf) => {
            links.pdf.get_or_insert_with(|| url.trim().to_string());
        }
        Some(ids::UrlKind::Page) => {
            links.html.get_or_insert_with(|| url.trim().to_string());
        }
        None => {}
    }
}

/// A venue that only says "arXiv" (Google Scholar's `arXiv preprint arXiv:…`, DBLP's `CoRR`)
/// names no venue: the paper is a preprint.
pub(crate) fn is_arxiv_venue(venue: &str) -> bool {
    let lower = venue.to_ascii_lowercase();
    lower.contains("arxiv") || lower.trim() == "corr" || lower.starts_with("corr ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        let p = Path::new("x.txt");
        assert_eq!(detect(p, "@article{a, title={T}}").unwrap(), Format::Bibtex);
        assert_eq!(
            detect(p, "[{\"id\": \"a\", \"type\": \"book\"}]").unwrap(),
            Format::CslJson
        );
        assert_eq!(
            detect(p, "<?xml version=\"1.0\"?><feed/>").unwrap(),
            Format::ArxivAtom
        );
        assert_eq!(
            detect(p, "{\"group\": [{\"work-summary\": [{\"put-code\": 1}]}]}").unwrap(),
            Format::OrcidJson
        );
        assert_eq!(detect(Path::new("x.bib"), "").unwrap(), Format::Bibtex);
        let e = detect(p, "just some words").unwrap_err().to_string();
        assert!(
            e.contains("cannot tell what kind of bibliography `x.txt` is at x.txt:1:1"),
            "{e}"
        );
    }

    #[test]
    fn plain_text_of_tex_fields() {
        assert_eq!(
            plain("{IEEE} Trans.\\ on Computers \\& Systems").as_deref(),
            Some("IEEE Trans. on Computers & Systems")
        );
        assert_eq!(plain("M{\\\"u}ller").as_deref(), Some("Müller"));
        assert_eq!(plain("1--10").as_deref(), Some("1–10"));
        assert_eq!(plain("  ").as_deref(), None);
    }
}
