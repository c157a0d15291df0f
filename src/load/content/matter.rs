//! Front matter: the TOML between `+++` lines at the top of a Markdown file, split from the
//! body, parsed into the paper, page or news keys, and checked for what TOML types cannot say
//! (slugs, dates, category codes, script URLs, TeX eaten by string escapes), every error located
//! in its file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::text::{is_safe_url, is_valid_slug};
use crate::load::categories;
use crate::load::settings::{key_location, toml_error};
use crate::load::source::{self, PreambleFile};

/// Links of a paper. `arxiv` and `doi` are identifiers; the rest are URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// PDF URL.
    pub pdf: Option<String>,
    /// Code repository URL.
    pub code: Option<String>,
    /// arXiv identifier, e.g. `2208.03646`.
    pub arxiv: Option<String>,
    /// DOI, e.g. `10.1145/3508352.3549402`.
    pub doi: Option<String>,
    /// Publisher's page.
    pub html: Option<String>,
    /// Slides.
    pub slides: Option<String>,
    /// Talk video.
    pub video: Option<String>,
    /// Poster.
    pub poster: Option<String>,
    /// Project page.
    pub project: Option<String>,
    /// Dataset.
    pub data: Option<String>,
    /// Blog post.
    pub blog: Option<String>,
}

impl Links {
    /// Every link as (name, value), for validation.
    fn entries(&self) -> [(&'static str, &Option<String>); 11] {
        [
            ("pdf", &self.pdf),
            ("code", &self.code),
            ("arxiv", &self.arxiv),
            ("doi", &self.doi),
            ("html", &self.html),
            ("slides", &self.slides),
            ("video", &self.video),
            ("poster", &self.poster),
            ("project", &self.project),
            ("data", &self.data),
            ("blog", &self.blog),
        ]
    }
}

/// The kind of a publication, which decides its BibTeX/RIS/CSL type and citation tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Conference or workshop paper (`@inproceedings`).
    Conference,
    /// Journal article (`@article`).
    Journal,
    /// Preprint, e.g. on arXiv (`@misc`).
    Preprint,
    /// PhD or master's thesis (`@phdthesis`); `institution` is the school.
    Thesis,
    /// Book or edited volume (`@book`).
    Book,
    /// Chapter in a book or collection (`@incollection`); `venue` is the book's title.
    Chapter,
    /// Technical report (`@techreport`); `institution` and `number` say whose and which.
    Report,
}

/// Where in its venue a paper is, and who published it: what citations carry beyond the venue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Biblio {
    /// Volume, `12`.
    pub volume: Option<String>,
    /// Issue of a journal, number of a report or in a series, `3`.
    pub number: Option<String>,
    /// Pages, `1–10` or an article number.
    pub pages: Option<String>,
    /// Publisher, `ACM`.
    pub publisher: Option<String>,
    /// The university of a thesis, the institution of a report.
    pub institution: Option<String>,
}

impl Biblio {
    /// Every field as (name, value).
    pub fn entries(&self) -> [(&'static str, &Option<String>); 5] {
        [
            ("volume", &self.volume),
            ("number", &self.number),
            ("pages", &self.pages),
            ("publisher", &self.publisher),
            ("institution", &self.institution),
        ]
    }

    /// Every field as (name, value), to set.
    pub fn entries_mut(&mut self) -> [(&'static str, &mut Option<String>); 5] {
        [
            ("volume", &mut self.volume),
            ("number", &mut self.number),
            ("pages", &mut self.pages),
            ("publisher", &mut self.publisher),
            ("institution", &mut self.institution),
        ]
    }
}

/// Front matter of `content/papers/*.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperMatter {
    /// Title; also how the file finds its profile paper (by slug).
    pub title: Option<String>,
    /// Explicit slug: matches a profile paper with this slug, or names a new paper's URL.
    pub slug: Option<String>,
    /// Publication date: a TOML date, or a year (`2022`) or `"2022-08"` when that is all that
    /// is known.
    pub date: Option<toml::Value>,
    /// The full author list (replaces a truncated one).
    pub authors: Option<Vec<String>>,
    /// Venue, e.g. `NeurIPS 2023`.
    pub venue: Option<String>,
    /// arXiv categories, `LG` or `cs.LG`; the first is the primary one.
    pub categories: Option<Vec<String>>,
    /// Organisation.
    pub org: Option<String>,
    /// Abstract (TeX allowed), for papers not in the profile or to replace the profile's.
    #[serde(rename = "abstract")]
    pub abstract_tex: Option<String>,
    /// Listed under "Selected publications".
    pub selected: Option<bool>,
    /// Not built unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The sample paper written by `scholarsite init`: a warning while it enriches no paper.
    #[serde(default)]
    pub sample: bool,
    /// What kind of publication it is; guessed from the venue when absent.
    pub kind: Option<Kind>,
    /// A BibTeX entry to use instead of the generated one.
    pub bibtex: Option<String>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue or report number.
    pub number: Option<String>,
    /// Pages.
    pub pages: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// University of a thesis, institution of a report.
    pub institution: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Links,
    /// TeX macros for this paper's formulas, over the site's `[math.macros]`.
    #[serde(default)]
    pub macros: BTreeMap<String, String>,
    /// A file of `\newcommand` … lines for this paper's formulas (relative to the paper's
    /// folder), over the site's macros and under `macros`.
    pub preamble: Option<String>,
    /// The preamble's text, read with the paper.
    #[serde(skip)]
    pub preamble_file: Option<PreambleFile>,
    /// Free values for themes.
    #[serde(default)]
    pub extra: toml::Table,
}

/// Front matter of other pages (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    /// Page title.
    pub title: Option<String>,
    /// Description for search engines.
    pub description: Option<String>,
    /// Not built unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// A template other than `page.html`.
    pub template: Option<String>,
    /// Free values for themes.
    #[serde(default)]
    pub extra: toml::Table,
}

/// Front matter of `content/news/*.md`: a dated item listed on the home page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsMatter {
    /// A short headline (optional: the body alone is often enough).
    pub title: Option<String>,
    /// The date of the news (required).
    pub date: Option<toml::value::Datetime>,
    /// Not built unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A news file.
pub type NewsFile = Document<NewsMatter>;

/// A Markdown file: where it is, its front matter, and its body.
#[derive(Debug, Clone)]
pub struct Document<M> {
    /// Path as shown to the user (root-joined).
    pub shown: PathBuf,
    /// Parsed front matter (default when the file has none).
    pub matter: M,
    /// The whole file (BOM removed), for locating problems found later.
    pub src: String,
    /// Byte offset of the Markdown body in `src`.
    pub body_offset: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

impl<M> Document<M> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.src[self.body_offset..]
    }

    /// Where `key = …` is in the front matter (the file if not found).
    pub fn key_location(&self, key: &str) -> Location {
        key_location(&self.shown, &self.src, key)
    }
}

/// A paper file.
pub type PaperFile = Document<PaperMatter>;

/// The front matter's TOML and where it starts, and the body and where it starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// TOML text, if the file has front matter.
    pub toml: Option<&'a str>,
    /// Byte offset of the TOML in the file.
    pub toml_offset: usize,
    /// The body.
    pub body: &'a str,
    /// Byte offset of the body.
    pub body_offset: usize,
}

/// Splits `+++` front matter from the body. A file not starting with `+++` has none; an opening
/// `+++` without a closing one is an error.
pub fn split_front_matter<'a>(shown: &Path, src: &'a str) -> Result<Split<'a>> {
    let first_end = src.find('\n').map_or(src.len(), |i| i + 1);
    if src[..first_end].trim_end() != "+++" {
        return Ok(Split {
            toml: None,
            toml_offset: 0,
            body: src,
            body_offset: 0,
        });
    }
    let mut offset = first_end;
    for line in src[first_end..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                toml: Some(&src[first_end..offset]),
                toml_offset: first_end,
                body: &src[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("front matter is not closed: no second `+++` line")
            .at(Location::at(shown, src, 0, 3))
            .hint("end the front matter with a line holding only `+++`")
            .into(),
    )
}

pub(super) fn parse_document<M: serde::de::DeserializeOwned + Default>(
    shown: &Path,
    src: String,
    required: bool,
) -> Result<Document<M>> {
    let split = split_front_matter(shown, &src)?;
    let matter = match split.toml {
        Some(toml_src) => toml::from_str::<M>(toml_src).map_err(|e| {
            let mut d = explain_front_matter_error(toml_error(shown, toml_src, &e), toml_src, &e);
            if let (Some(loc), Some(span)) = (&mut d.location, e.span()) {
                *loc = Location::at(shown, &src, split.toml_offset + span.start, span.len());
            }
            d
        })?,
        None if required => {
            return Err(Diagnostic::error("paper file has no front matter")
                .at(Location::at(shown, &src, 0, 1))
                .hint("start the file with `+++`, a `title = \"…\"` line and `+++`")
                .into());
        }
        None => M::default(),
    };
    let body_offset = split.body_offset;
    let body_line = src[..body_offset].matches('\n').count() + 1;
    Ok(Document {
        shown: shown.to_path_buf(),
        matter,
        src,
        body_offset,
        body_line,
    })
}

/// What each front-matter key takes, and an example, for type errors.
const KEY_TYPES: &[(&str, &str, &str)] = &[
    ("title", "a string", "title = \"…\""),
    ("slug", "a string", "slug = \"huang2022sparse\""),
    ("date", "a date", "date = 2022-08-07"),
    (
        "authors",
        "a list of names",
        "authors = [\"A. Author\", \"B. Author\"]",
    ),
    ("venue", "a string", "venue = \"NeurIPS 2023\""),
    (
        "categories",
        "a list of codes",
        "categories = [\"LG\", \"cs.CL\"]",
    ),
    ("org", "a string", "org = \"deepmind\""),
    ("volume", "a string", "volume = \"12\""),
    ("number", "a string", "number = \"3\""),
    ("pages", "a string", "pages = \"1--10\""),
    ("publisher", "a string", "publisher = \"ACM\""),
    ("institution", "a string", "institution = \"MIT\""),
    ("abstract", "a string", "abstract = '…'"),
    ("selected", "true or false", "selected = true"),
    ("draft", "true or false", "draft = true"),
    ("sample", "true or false", "sample = true"),
    ("description", "a string", "description = \"…\""),
    ("template", "a string", "template = \"page.html\""),
    (
        "links",
        "a table",
        "[links]` on a line of its own, then `pdf = \"https://…\"",
    ),
    (
        "extra",
        "a table",
        "[extra]` on a line of its own, then your own keys, `x = 1",
    ),
];

/// Rewrites TOML errors in front matter into what a person editing a Markdown file needs:
/// the key with the wrong type and an example, what a stray backslash did, and where the
/// front matter format is described.
fn explain_front_matter_error(d: Diagnostic, toml_src: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim();
    let span = err.span().unwrap_or(0..0);
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
        && let Some(key) = key_before(toml_src, span.start)
    {
        let known = KEY_TYPES.iter().find(|(k, _, _)| *k == key);
        let what = known.map_or(expected, |(_, what, _)| what);
        let d = Diagnostic {
            message: format!("wrong type for `{key}`: expected {what}, found {found}"),
            ..d
        };
        return match known {
            Some((_, _, example)) => d.hint(format!("write it like `{example}`")),
            None => d.hint("see \"Per-paper Markdown\" in README.md for the keys and their types"),
        };
    }
    if message.contains("escape") {
        return d.hint(
            "in a \"…\" string a backslash starts an escape: write TeX as `\\\\alpha`, or use a \
             literal string in single quotes: 'we use \\alpha'",
        );
    }
    if message == "duplicate key"
        && let Some(key) = toml_src.get(span.clone())
    {
        return Diagnostic {
            message: format!("duplicate key `{}`", key.trim()),
            ..d
        }
        .hint("each key may appear once in the front matter: keep one of them");
    }
    if d.message.starts_with("unknown key") {
        return d;
    }
    Diagnostic {
        hint: Some(
            "front matter is TOML between two `+++` lines: see \"Per-paper Markdown\" in README.md"
                .to_string(),
        ),
        ..d
    }
}

/// The key of the `key = value` line that holds byte `offset` of TOML source (for a value
/// spread over lines, the nearest such line before it).
fn key_before(toml_src: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(toml_src.len());
    let line_end = toml_src
        .get(offset..)
        .and_then(|rest| rest.find('\n'))
        .map_or(toml_src.len(), |i| offset + i);
    toml_src.get(..line_end)?.lines().rev().find_map(|line| {
        let (key, _) = line.split_once('=')?;
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        let bare = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        bare.then_some(key)
    })
}

/// Checks what TOML types cannot: slugs, dates, categories, link schemes.
pub(super) fn check_paper(doc: &PaperFile) -> Result<()> {
    let m = &doc.matter;
    let at = |key: &str| doc.key_location(key);
    let mut errors = Vec::new();
    if let Some(slug) = &m.slug
        && !is_valid_slug(slug)
    {
        errors.push(
            Diagnostic::error(format!("`{slug}` is not a valid slug"))
                .at(at("slug"))
                .hint("slugs use lowercase letters, digits, `-` and `_`, e.g. `huang2022sparse`"),
        );
    } else if let Some(slug) = &m.slug
        && slug.bytes().all(|b| b.is_ascii_digit())
    {
        errors.push(
            Diagnostic::error(format!(
                "slug `{slug}` is digits only: its URL /papers/{slug}/ is where a long list of papers puts the year {slug}"
            ))
            .at(at("slug"))
            .hint(format!("add a word, e.g. `paper-{slug}` (what a title of digits only gets)")),
        );
    }
    if let Some(value) = &m.date
        && matter_date(value).is_none()
    {
        let shown = match value {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut loc = at("date");
        if let Some(eq) = loc.text.find('=') {
            let value_start = loc.text[eq + 1..]
                .find(|c: char| !c.is_whitespace())
                .map_or(eq + 1, |i| eq + 1 + i);
            loc.col = loc.text[..value_start].chars().count() + 1;
            loc.len = loc.text[value_start..].trim_end().chars().count().max(1);
        }
        errors.push(
            Diagnostic::error(format!("`{shown}` is not a date"))
                .at(loc)
                .hint("write a date like `date = 2022-08-07`, or `date = 2022` when only the year is known"),
        );
    }
    for code in m.categories.iter().flatten() {
        if !categories::is_well_formed(code) {
            errors.push(
                Diagnostic::error(format!("`{code}` is not an arXiv category code"))
                    .at(at("categories"))
                    .hint("use codes like \"LG\" or \"cs.LG\""),
            );
        }
    }
    let texts = [
        ("title", m.title.as_deref()),
        ("abstract", m.abstract_tex.as_deref()),
        ("venue", m.venue.as_deref()),
        ("org", m.org.as_deref()),
        ("volume", m.volume.as_deref()),
        ("number", m.number.as_deref()),
        ("pages", m.pages.as_deref()),
        ("publisher", m.publisher.as_deref()),
        ("institution", m.institution.as_deref()),
    ];
    let authors = m
        .authors
        .iter()
        .flatten()
        .map(|a| ("authors", Some(a.as_str())));
    for (key, value) in texts.into_iter().chain(authors) {
        if let Some(problem) =
            value.and_then(|v| source::toml_string_problem(key, v, &doc.src[..doc.body_offset]))
        {
            errors.push(problem.at(at(key)));
        }
    }
    for (name, value) in m.links.entries() {
        if let Some(url) = value
            && !is_safe_url(url)
        {
            errors.push(
                Diagnostic::error(format!("link `{name}` uses a script URL, which is refused"))
                    .at(at(name))
                    .hint("links must be http(s) addresses or site paths"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// A paper's `date`: a TOML date, a year (`2022`), or `"2022"`, `"2022-08"`, `"2022-08-07"`.
fn matter_date(value: &toml::Value) -> Option<Date> {
    match value {
        toml::Value::Datetime(dt) => Date::from_toml(dt),
        toml::Value::Integer(y) => i32::try_from(*y)
            .ok()
            .filter(|y| (1000..=9999).contains(y))
            .and_then(|y| Date::partial(y, None, None)),
        toml::Value::String(s) => Date::parse_partial(s),
        _ => None,
    }
}

/// A news item needs a valid date: the list is ordered by it.
pub(super) fn check_news(doc: &NewsFile) -> Result<()> {
    match &doc.matter.date {
        Some(dt) if Date::from_toml(dt).is_some() => Ok(()),
        Some(dt) => Err(Diagnostic::error(format!("`{dt}` is not a date"))
            .at(doc.key_location("date"))
            .hint("write a date like `date = 2025-06-01`")
            .into()),
        None => Err(Diagnostic::error("news item has no date")
            .at(Location::at(&doc.shown, &doc.src, 0, 3))
            .hint("add `date = 2025-06-01` to the front matter: news are listed newest first")
            .into()),
    }
}

impl NewsFile {
    /// The news item's date, already validated.
    pub fn date(&self) -> Option<Date> {
        self.matter.date.as_ref().and_then(Date::from_toml)
    }
}

/// A page's title and description may not hold characters HTML forbids (TOML escapes such
/// as `\u0000` can make them).
pub(super) fn check_page(doc: &Document<PageMatter>) -> Result<()> {
    let m = &doc.matter;
    for (key, value) in [("title", &m.title), ("description", &m.description)] {
        if let Some(c) = value
            .as_deref()
            .and_then(|v| v.chars().find(|&c| source::is_forbidden_char(c)))
        {
            return Err(Diagnostic::error(format!(
                "`{key}` holds the {}, which HTML does not allow",
                source::describe_char(c)
            ))
            .at(doc.key_location(key))
            .hint("remove the `\\u` escape that makes it")
            .into());
        }
    }
    Ok(())
}

impl PaperFile {
    /// The date given in front matter, already validated.
    pub fn date(&self) -> Option<Date> {
        self.matter.date.as_ref().and_then(matter_date)
    }

    /// The volume, number, pages, publisher and institution given in front matter.
    pub fn biblio(&self) -> Biblio {
        let m = &self.matter;
        Biblio {
            volume: m.volume.clone(),
            number: m.number.clone(),
            pages: m.pages.clone(),
            publisher: m.publisher.clone(),
            institution: m.institution.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let src = "+++\ntitle = \"x\"\n+++\nBody\n";
        let s = split_front_matter(Path::new("f.md"), src).unwrap();
        assert_eq!(s.toml, Some("title = \"x\"\n"));
        assert_eq!(s.body, "Body\n");
        let s = split_front_matter(Path::new("f.md"), "no matter").unwrap();
        assert_eq!(s.toml, None);
        let e = split_front_matter(Path::new("f.md"), "+++\ntitle = 1\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("error: front matter is not closed: no second `+++` line at f.md:1:1")
        );
        let s = split_front_matter(Path::new("f.md"), "+++\r\na = 1\r\n+++\r\n").unwrap();
        assert_eq!((s.toml, s.body), (Some("a = 1\r\n"), ""));
    }

    fn paper(src: &str) -> Result<PaperFile> {
        let doc = parse_document::<PaperMatter>(Path::new("p.md"), src.to_string(), true)?;
        check_paper(&doc)?;
        Ok(doc)
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let e = paper("+++\ntitle = \"x\"\nvenu = \"y\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown key `venu` at p.md:3:1"), "{e}");
        assert!(e.contains("did you mean `venue`?"), "{e}");
        let e = paper("+++\ndate = \"yesterday\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at p.md:2:8"), "{e}");
        let e = paper("+++\nauthors = \"A\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at p.md:2:11"), "{e}");
        let e = paper("+++\ntitle = \"x\"\nslug = \"../../x\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`../../x` is not a valid slug at p.md:3:1"),
            "{e}"
        );
        let e = paper("+++\ntitle = \"x\"\nslug = \"2020\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("slug `2020` is digits only") && e.contains("at p.md:3:1"),
            "{e}"
        );
        let e = paper("+++\n[links]\npdf = \"javascript:alert(1)\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("script URL"), "{e}");
        let e = paper("+++\ntitle = [\n+++\n").unwrap_err().to_string();
        assert!(e.contains("at p.md:"), "{e}");
        let e = paper("+++\ntitle = \"x\"\nselected = \"yes\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "error: wrong type for `selected`: expected true or false, found string \"yes\" at p.md:3:12\n 3 | selected = \"yes\"\n   |            ^^^^^\n   = hint: write it like `selected = true`"
        );
        let e = paper("+++\ncategories = [\n  \"LG\",\n  5,\n]\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("error: wrong type for `categories`: expected a list of codes, found integer `5` at p.md:4:3"), "{e}");
        let e = paper("+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("error: duplicate key `title` at p.md:3:1"),
            "{e}"
        );
        let e = paper("+++\nabstract = \"\\alpha\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a backslash starts an escape"), "{e}");
        let e = paper("just text").unwrap_err().to_string();
        assert!(e.contains("paper file has no front matter"), "{e}");
    }

    #[test]
    fn tex_eaten_by_toml_escapes_is_an_error() {
        for (src, escape) in [
            ("abstract = \"$\\frac{a}{b}$\"", "\\f"),
            ("title = \"$\\beta$-VAE\"", "\\b"),
            ("venue = \"\\textbf{X}\"", "\\t"),
            ("authors = [\"A\", \"\\rho\"]", "\\r"),
        ] {
            let e = paper(&format!("+++\n{src}\n+++\n"))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(&format!("`{escape}` is an escape, not TeX at p.md:2:1")),
                "{e}"
            );
        }
        assert!(
            paper("+++\ntitle = 'a\\frac{b}{c}\tx'\nabstract = \"\"\"\n\tIndented.\"\"\"\n+++\n")
                .is_ok()
        );
    }

    #[test]
    fn keys_before_offsets() {
        let src = "a = 1\nlist = [\n  1,\n  2,\n]\n";
        assert_eq!(key_before(src, 2), Some("a"));
        assert_eq!(key_before(src, src.find("2,").unwrap()), Some("list"));
        assert_eq!(key_before(src, 10_000), Some("list"));
        assert_eq!(key_before("", 0), None);
    }
}
