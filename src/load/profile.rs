//! The scraped profile (`seeds/profile.txt`) → the researcher's stats and papers.
//!
//! The format, as scraped:
//!
//! ```text
//! Shaoyi Huang            name
//!
//! LG                      primary category
//! h-index18               stats, each optional
//! 30papers
//! 1,084citations
//! Novelty56%
//! AI Score57
//!
//! 30 Papers
//!
//! LGAug 7, 2022           <category><date>[Code]  (the year may be missing)
//! A Length Adaptive …     title
//!
//! Hongwu Peng, … et al. · deepmind     authors [· org]
//!
//! Transformers are …      abstract (may be empty, may span lines)
//! ```
//!
//! Tolerant where scraped text varies (BOM, CRLF, trailing spaces, missing header fields, missing
//! org, empty abstract, no final newline); strict where guessing would be wrong: a malformed entry
//! is an error naming the line, never a silently dropped paper.

use std::path::Path;

use crate::base::date::{self, Date};
use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::categories;
use crate::load::source;

/// The header statistics, each as scraped (absent when the profile lacks it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// `h-index18`.
    pub h_index: Option<u64>,
    /// `30papers`: the number of papers the source counted.
    pub papers: Option<u64>,
    /// `1,084citations`.
    pub citations: Option<u64>,
    /// `Novelty56%`.
    pub novelty: Option<u64>,
    /// `AI Score57`.
    pub ai_score: Option<u64>,
}

/// One paper as the profile lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfilePaper {
    /// 1-based line of the entry's header line (`LGAug 7, 2022`).
    pub line: usize,
    /// The category code as written (`LG`, `HEP-TH`).
    pub category: String,
    /// The date, with a missing year filled in from the profile's `as_of` date.
    pub date: Date,
    /// The `Code` flag: the paper has public code.
    pub has_code: bool,
    /// The title (may contain TeX).
    pub title: String,
    /// The authors, in order.
    pub authors: Vec<String>,
    /// Whether the author list ended in `et al.`.
    pub truncated: bool,
    /// The organisation after `·`, if any.
    pub org: Option<String>,
    /// The abstract (may contain TeX), paragraphs separated by blank lines.
    pub abstract_tex: String,
    /// 1-based line where the abstract starts (0 when it is empty).
    pub abstract_line: usize,
}

/// A parsed profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The researcher's name (first line), if present.
    pub name: Option<String>,
    /// The primary category code (`LG`), if present.
    pub primary_category: Option<String>,
    /// Header statistics.
    pub stats: Stats,
    /// The papers, in the profile's order.
    pub papers: Vec<ProfilePaper>,
}

/// Reads and parses the profile at `path` (shown to the user as `shown`).
pub fn load(path: &Path, shown: &Path, as_of: Date) -> Result<(Profile, Vec<Diagnostic>)> {
    let text = source::read_text(path, shown, "read the profile")?;
    parse(&text, shown, as_of)
}

/// One line of the profile with its 1-based number; trailing whitespace removed.
#[derive(Clone, Copy)]
struct Line<'a> {
    num: usize,
    text: &'a str,
}

/// Parses profile text. `file` is only used in messages; `as_of` dates yearless entries.
pub fn parse(text: &str, file: &Path, as_of: Date) -> Result<(Profile, Vec<Diagnostic>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| Line {
            num: i + 1,
            text: l.trim_end(),
        })
        .collect();
    let mut parser = ProfileParser {
        file,
        as_of,
        lines: &lines,
        pos: 0,
        warnings: Vec::new(),
    };
    let profile = parser.parse()?;
    Ok((profile, parser.warnings))
}

struct ProfileParser<'a> {
    file: &'a Path,
    as_of: Date,
    lines: &'a [Line<'a>],
    pos: usize,
    warnings: Vec<Diagnostic>,
}

/// What an entry header line says.
struct Header {
    category: String,
    date: Date,
    has_code: bool,
}

impl<'a> ProfileParser<'a> {
    fn parse(&mut self) -> Result<Profile> {
        let mut profile = Profile::default();
        self.parse_header(&mut profile)?;
        while let Some(line) = self.next_nonblank() {
            let header = self.entry_header(line)?.ok_or_else(|| {
                self.error_at(line, "expected a paper entry")
                    .hint("each paper starts with a line like `LGAug 7, 2022` (category, date)")
            })?;
            let paper = self.parse_entry(line, header)?;
            profile.papers.push(paper);
        }
        if profile.papers.is_empty() && profile.name.is_none() {
            let first = self.lines.first().map_or("", |l| l.text);
            return Err(Diagnostic::error("the profile is empty")
                .at(Location::line(self.file, 1, first))
                .hint("paste the scraped profile: the name, the stats, then the papers")
                .into());
        }
        self.check_count(&profile);
        Ok(profile)
    }

    /// The name and stats before the first entry.
    fn parse_header(&mut self, profile: &mut Profile) -> Result<()> {
        while let Some(line) = self.peek_nonblank() {
            if self.entry_header(line)?.is_some() {
                break;
            }
            self.pos = line.num;
            if self.header_field(line, profile)? {
                continue;
            }
            if profile.name.is_none() && profile.stats == Stats::default() {
                profile.name = Some(line.text.trim().to_string());
            } else {
                self.warnings.push(
                    Diagnostic::warning("unrecognised profile header line ignored")
                        .at(Location::line(self.file, line.num, line.text))
                        .hint("the header holds the name, the category code and stats such as `h-index18`; papers start with a line like `LGAug 7, 2022`"),
                );
            }
        }
        Ok(())
    }

    /// Recognises one header stat line; false if the line is not one.
    fn header_field(&self, line: Line, profile: &mut Profile) -> Result<bool> {
        let t = line.text.trim();
        let number = |s: &str, what: &str| -> Result<u64> {
            let digits: String = s.trim().chars().filter(|&c| c != ',').collect();
            digits.parse::<u64>().map_err(|_| {
                self.error_at(line, &format!("{what} is not a number: `{}`", s.trim()))
                    .hint("scraped stats look like `h-index18`, `30papers`, `1,084citations`")
                    .into()
            })
        };
        let stats = &mut profile.stats;
        if let Some(v) = t.strip_prefix("h-index") {
            stats.h_index = Some(number(v, "the h-index")?);
        } else if let Some(v) = t.strip_prefix("AI Score") {
            stats.ai_score = Some(number(v, "the AI score")?);
        } else if let Some(v) = t.strip_prefix("Novelty") {
            stats.novelty = Some(number(v.trim_end_matches('%'), "the novelty score")?);
        } else if let Some(v) = t.strip_suffix("citations") {
            stats.citations = Some(number(v, "the citation count")?);
        } else if let Some(v) = t
            .strip_suffix(" Papers")
            .or_else(|| t.strip_suffix(" papers"))
        {
            number(v, "the paper count")?;
        } else if let Some(v) = t.strip_suffix("papers") {
            stats.papers = Some(number(v, "the paper count")?);
        } else if profile.name.is_some()
            && profile.primary_category.is_none()
            && !t.contains(' ')
            && t.len() <= 24
            && categories::is_well_formed(t)
            && t.chars().any(|c| c.is_ascii_uppercase())
        {
            profile.primary_category = Some(t.to_string());
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// One entry: title, authors, abstract, after its header line.
    fn parse_entry(&mut self, header_line: Line, header: Header) -> Result<ProfilePaper> {
        let title_line = match self.lines.get(self.pos) {
            Some(l) if looks_like_header(l.text.trim()) => {
                return Err(self
                    .error_at(header_line, "paper entry has no title: the next line starts another entry")
                    .hint("the title goes on the line right after the category and date; the scrape may have lost it")
                    .into());
            }
            Some(l) if !l.text.trim().is_empty() => *l,
            _ => {
                return Err(self
                    .error_at(header_line, "paper entry has no title")
                    .hint("the title goes on the line right after the category and date")
                    .into());
            }
        };
        self.pos += 1;
        let authors_line = match self.next_nonblank() {
            Some(l) if self.entry_header(l)?.is_none() => l,
            _ => {
                return Err(self
                    .error_at(title_line, "paper entry ends after its title: no authors line")
                    .hint("after the title come a blank line and the authors, e.g. `A. Author, B. Author et al. · org`")
                    .into());
            }
        };
        let (mut authors, mut truncated, mut org) = parse_authors(authors_line.text);
        if !could_be_authors(authors_line.text, &authors) {
            self.warnings.push(
                Diagnostic::warning(
                    "paper entry has no authors line: the line after the title reads like the \
                     abstract",
                )
                .at(Location::line(
                    self.file,
                    authors_line.num,
                    authors_line.text,
                ))
                .hint(
                    "put the authors (`A. Author, B. Author et al. · org`) between the title and \
                     the abstract; until then the paper is shown without authors",
                ),
            );
            // The line belongs to the abstract.
            self.pos = authors_line.num - 1;
            (authors, truncated, org) = (Vec::new(), false, None);
        } else if authors.is_empty() {
            return Err(self
                .error_at(authors_line, "authors line names no author")
                .into());
        }
        let (abstract_tex, abstract_line) = self.take_abstract();
        Ok(ProfilePaper {
            line: header_line.num,
            category: header.category,
            date: header.date,
            has_code: header.has_code,
            title: title_line.text.trim().to_string(),
            authors,
            truncated,
            org,
            abstract_tex,
            abstract_line,
        })
    }

    /// Lines up to the next entry header that follows a blank line (or the end).
    fn take_abstract(&mut self) -> (String, usize) {
        let mut first_line = 0;
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        let mut after_blank = true;
        while let Some(line) = self.lines.get(self.pos) {
            let t = line.text.trim();
            if t.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(current.join("\n"));
                    current.clear();
                }
                after_blank = true;
            } else {
                if after_blank && looks_like_header(t) {
                    break;
                }
                if first_line == 0 {
                    first_line = line.num;
                }
                current.push(t);
                after_blank = false;
            }
            self.pos += 1;
        }
        if !current.is_empty() {
            paragraphs.push(current.join("\n"));
        }
        (paragraphs.join("\n\n"), first_line)
    }

    /// Parses `line` as an entry header: `Ok(None)` if it does not have the shape of one,
    /// an error if it has the shape but a bad category or date.
    fn entry_header(&self, line: Line) -> Result<Option<Header>> {
        let Some(shape) = header_shape(line.text.trim()) else {
            return Ok(None);
        };
        if !categories::is_well_formed(shape.category) {
            return Err(self
                .error_at(
                    line,
                    &format!("`{}` is not an arXiv category code", shape.category),
                )
                .hint(
                    "entries start with a code such as `LG`, `CL`, `HEP-TH` right before the date",
                )
                .into());
        }
        let month = date::month_from_name(shape.month).ok_or_else(|| {
            self.error_at(line, &format!("unknown month `{}`", shape.month))
                .hint("months are written `Jan`, `Feb`, … `Dec`")
        })?;
        let day: u8 = shape.day.parse().unwrap_or(0);
        let date = match shape.year {
            Some(y) => {
                let year: i32 = y.parse().unwrap_or(0);
                Date::new(year, month, day).ok_or_else(|| self.bad_date(line, year, month, day))?
            }
            None => self.infer_year(line, month, day)?,
        };
        Ok(Some(Header {
            category: shape.category.to_string(),
            date,
            has_code: shape.has_code,
        }))
    }

    /// A date without a year is in the year of `as_of`, or the year before if it would
    /// otherwise be after `as_of`.
    fn infer_year(&self, line: Line, month: u8, day: u8) -> Result<Date> {
        let year = self.as_of.year;
        match Date::new(year, month, day) {
            Some(d) if d <= self.as_of => Ok(d),
            _ => Date::new(year - 1, month, day)
                .ok_or_else(|| self.bad_date(line, year - 1, month, day).into()),
        }
    }

    fn bad_date(&self, line: Line, year: i32, month: u8, day: u8) -> Diagnostic {
        let days = date::days_in_month(year, month);
        self.error_at(
            line,
            &format!(
                "`{} {day}, {year}` is not a date: {} {year} has {days} days",
                &date::month_name(month)[..3],
                date::month_name(month)
            ),
        )
        .hint("fix the day in the profile")
    }

    fn check_count(&mut self, profile: &Profile) {
        if let Some(n) = profile.stats.papers {
            let found = profile.papers.len() as u64;
            if n != found {
                self.warnings.push(
                    Diagnostic::warning(format!(
                        "the profile header says {n} papers but lists {found}"
                    ))
                    .at(self.papers_stat_line())
                    .hint("the scrape may be incomplete; every listed paper is built"),
                );
            }
        }
    }

    /// The header line that gave the paper count (`30papers`), for the count warning.
    fn papers_stat_line(&self) -> Location {
        self.lines
            .iter()
            .find(|l| {
                l.text.trim().strip_suffix("papers").is_some_and(|n| {
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == ',')
                })
            })
            .map_or_else(
                || Location::file(self.file),
                |l| Location::line(self.file, l.num, l.text),
            )
    }

    fn peek_nonblank(&self) -> Option<Line<'a>> {
        self.lines[self.pos..]
            .iter()
            .find(|l| !l.text.trim().is_empty())
            .copied()
    }

    fn next_nonblank(&mut self) -> Option<Line<'a>> {
        let line = self.peek_nonblank()?;
        self.pos = line.num;
        Some(line)
    }

    fn error_at(&self, line: Line, message: &str) -> Diagnostic {
        Diagnostic::error(message).at(Location::line(self.file, line.num, line.text))
    }
}

/// The parts of a line shaped like an entry header, before validation.
struct Shape<'a> {
    category: &'a str,
    month: &'a str,
    day: &'a str,
    year: Option<&'a str>,
    has_code: bool,
}

/// Whether a trimmed line has the shape `<CODE><Month> <day>[, <year>][Code]`.
fn looks_like_header(t: &str) -> bool {
    header_shape(t).is_some()
}

/// Splits `LGAug 7, 2022Code` into its parts, or `None` if the line does not have that shape:
/// a code with no spaces, a capitalised word, a space, 1–2 digits, optionally `, ` and 4
/// digits, optionally `Code`.
fn header_shape(t: &str) -> Option<Shape<'_>> {
    let (t, has_code) = match t.strip_suffix("Code") {
        Some(rest) if rest.ends_with(|c: char| c.is_ascii_digit()) => (rest, true),
        _ => (t, false),
    };
    let (t, year) = match t.rsplit_once(", ") {
        Some((rest, y)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => (rest, Some(y)),
        _ => (t, None),
    };
    let (word, day) = t.rsplit_once(' ')?;
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.contains(char::is_whitespace) {
        return None;
    }
    // The month is the trailing capitalised word: one uppercase letter and lowercase ones.
    let lower_run = word
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    if lower_run < 2 {
        return None;
    }
    // A word of lowercase letters only (`page 12`) has no capital: not a header.
    let cap = word.len().checked_sub(lower_run + 1)?;
    if !word.as_bytes().get(cap)?.is_ascii_uppercase() || cap == 0 {
        return None;
    }
    Some(Shape {
        category: &word[..cap],
        month: &word[cap..],
        day,
        year,
        has_code,
    })
}

/// Whether a line parsed as `names` can be a list of authors. Prose cannot: a "name" of six or
/// more words, or, in a line with capitals, three lowercase words of four letters or more
/// (particles such as `van`, `della` aside) or two of prose's small words (`the`, `of`, `we`).
/// Collaborations (`for the CB-ELSA collaboration`, `the Suzaku team`) are names, not prose.
fn could_be_authors(line: &str, names: &[String]) -> bool {
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "della", "dos", "del", "ten", "ter",
    ];
    const PROSE: &[&str] = &[
        "the", "of", "we", "our", "is", "are", "this", "that", "with", "for", "to", "in", "on",
        "by", "from", "an", "which", "these", "its",
    ];
    const GROUPS: &[&str] = &[
        "collaboration",
        "collaborations",
        "team",
        "group",
        "consortium",
        "collaborators",
    ];
    if !line.chars().any(char::is_uppercase) {
        return true;
    }
    let is_group = |n: &str| {
        let lower = n.to_lowercase();
        let last = lower
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty());
        lower.starts_with("for the ")
            || lower.starts_with("on behalf of ")
            || last.is_some_and(|w| GROUPS.contains(&w))
    };
    let people = names.iter().filter(|n| !is_group(n));
    let mut long = 0;
    let mut prose = 0;
    for name in people {
        if name.split_whitespace().count() >= 6 {
            return false;
        }
        // Words of prose: lowercase letters only, once punctuation around them is trimmed.
        for w in name.split_whitespace() {
            let w = w.trim_matches(|c: char| c.is_ascii_punctuation());
            if w.is_empty() || !w.chars().all(char::is_lowercase) {
                continue;
            }
            long += usize::from(w.chars().count() >= 4 && !PARTICLES.contains(&w));
            prose += usize::from(PROSE.contains(&w));
        }
    }
    long < 3 && prose < 2
}

/// `A, B, C et al. · org` → (authors, truncated, org).
fn parse_authors(line: &str) -> (Vec<String>, bool, Option<String>) {
    let (names, org) = match line.rsplit_once('·') {
        Some((names, org)) if !org.trim().is_empty() => (names, Some(org.trim().to_string())),
        Some((names, _)) => (names, None),
        None => (line, None),
    };
    let mut names = names.trim();
    let mut truncated = false;
    for suffix in ["et al.", "et al", "…", "..."] {
        if let Some(rest) = names.strip_suffix(suffix) {
            names = rest.trim_end().trim_end_matches(',');
            truncated = true;
            break;
        }
    }
    let authors = names
        .split(',')
        .flat_map(|part| part.split(" and "))
        .map(|a| a.trim().trim_start_matches("and ").trim())
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    (authors, truncated, org)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> Date {
        Date::new(2026, 11, 28).unwrap()
    }

    fn parse_ok(text: &str) -> (Profile, Vec<Diagnostic>) {
        match parse(text, Path::new("p.txt"), as_of()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    fn parse_err(text: &str) -> String {
        match parse(text, Path::new("p.txt"), as_of()) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    const ENTRY: &str = "LGAug 7, 2022\nTitle\n\nA, B et al. · deepmind\n\nAbstract.\n";

    #[test]
    fn header_shapes() {
        let s = header_shape("LGAug 7, 2022").unwrap();
        assert_eq!(
            (s.category, s.month, s.day, s.year, s.has_code),
            ("LG", "Aug", "7", Some("2022"), false)
        );
        let s = header_shape("LGJan 29Code").unwrap();
        assert_eq!(
            (s.category, s.month, s.day, s.year, s.has_code),
            ("LG", "Jan", "29", None, true)
        );
        let s = header_shape("MES-HALLSep 20, 2022").unwrap();
        assert_eq!(s.category, "MES-HALL");
        let s = header_shape("MAMar 3").unwrap();
        assert_eq!((s.category, s.month), ("MA", "Mar"));
        let s = header_shape("LGFoo 45, 2022").unwrap();
        assert_eq!((s.month, s.day), ("Foo", "45"));
        assert!(header_shape("Aug 7, 2022").is_none());
        assert!(header_shape("We train on Aug 7, 2022").is_none());
        assert!(header_shape("30 Papers").is_none());
        assert!(header_shape("LGAug 7, 2022 extra").is_none());
        assert!(header_shape("page 12").is_none());
        assert!(header_shape("ug 7").is_none());
    }

    #[test]
    fn authors_lines() {
        assert_eq!(
            parse_authors("Hongwu Peng, Shaoyi Huang, Shiyang Chen et al. · deepmind"),
            (
                vec![
                    "Hongwu Peng".into(),
                    "Shaoyi Huang".into(),
                    "Shiyang Chen".into()
                ],
                true,
                Some("deepmind".into())
            )
        );
        assert_eq!(
            parse_authors("Kaleel Mahmood, Shaoyi Huang"),
            (
                vec!["Kaleel Mahmood".into(), "Shaoyi Huang".into()],
                false,
                None
            )
        );
        assert_eq!(
            parse_authors("A and B").0,
            vec!["A".to_string(), "B".to_string()]
        );
    }

    #[test]
    fn prose_is_not_an_authors_line() {
        let names = |l: &str| could_be_authors(l, &parse_authors(l).0);
        for authors in [
            "Hongwu Peng, Shaoyi Huang, Shiyang Chen et al. · deepmind",
            "Johannes van der Waals, Maria della Valle, Juan de la Cruz",
            "hongwu peng, shaoyi huang",
            "Jean-Pierre Serre and Alexander Grothendieck",
            "王小明, 李华 et al.",
            "A. N. Kolmogorov",
            "J. Junkersfeld, for the CB-ELSA collaboration",
            "Kenji Hamaguchi, the Suzaku Eta Carinae team, the Carinae D-1 team",
            "Francesco Piscitelli, for the ILL/ESS/LiU collaboration for the development of the B10 detector technology",
        ] {
            assert!(names(authors), "{authors}");
        }
        for prose in [
            "Transformers are considered one of the most important deep learning models since 2018, in part because it establishes records.",
            "We study the problem of learning halfspaces with Massart noise.",
            "Deep networks generalize, which is surprising given their capacity.",
        ] {
            assert!(!names(prose), "{prose}");
        }
    }

    #[test]
    fn an_entry_without_its_authors_line_keeps_its_abstract() {
        let text = "Jane Doe\n\nLGAug 7, 2022\nA Title\n\nWe study the problem of learning halfspaces with noise.\nMore text.\n\nLGAug 8, 2022\nNext\n\nA. Author\n\nAbstract.\n";
        let (p, w) = parse_ok(text);
        assert_eq!(p.papers.len(), 2);
        assert!(p.papers[0].authors.is_empty());
        assert!(
            p.papers[0].abstract_tex.starts_with("We study the problem"),
            "{}",
            p.papers[0].abstract_tex
        );
        assert_eq!(p.papers[0].abstract_line, 6);
        assert_eq!(p.papers[1].authors, vec!["A. Author".to_string()]);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].to_string().starts_with(
                "warning: paper entry has no authors line: the line after the title reads like \
                 the abstract at p.txt:6:1"
            ),
            "{}",
            w[0]
        );
    }

    #[test]
    fn tolerates_bom_crlf_no_final_newline_and_missing_header() {
        let text = format!(
            "\u{feff}Jane Doe\r\n\r\n{}",
            ENTRY.replace('\n', "\r\n").trim_end()
        );
        let (p, w) = parse_ok(&text);
        assert_eq!(p.name.as_deref(), Some("Jane Doe"));
        assert_eq!(p.papers.len(), 1);
        assert_eq!(p.papers[0].abstract_tex, "Abstract.");
        assert_eq!(p.papers[0].org.as_deref(), Some("deepmind"));
        assert!(w.is_empty());
    }

    #[test]
    fn yearless_dates_use_as_of() {
        let (p, _) = parse_ok(&format!(
            "X\n\n{}\n\n{}",
            ENTRY.replace("Aug 7, 2022", "Jan 29Code"),
            ENTRY.replace("Aug 7, 2022", "Dec 25")
        ));
        assert_eq!(p.papers[0].date, Date::new(2026, 1, 29).unwrap());
        assert!(p.papers[0].has_code);
        assert_eq!(p.papers[1].date, Date::new(2025, 12, 25).unwrap());
    }

    #[test]
    fn empty_abstract_and_multi_paragraph_abstract() {
        let text = "X\n\nLGAug 7, 2022\nT1\n\nA, B\n\nLGAug 8, 2022\nT2\n\nC\n\nPara one\nline two.\n\nPara two.";
        let (p, _) = parse_ok(text);
        assert_eq!(p.papers[0].abstract_tex, "");
        assert_eq!(p.papers[1].abstract_tex, "Para one\nline two.\n\nPara two.");
    }

    #[test]
    fn malformed_entries_are_errors_with_lines() {
        let e = parse_err(&format!("X\n\n{}\nLGFoo 45, 2022\nT\n\nA\n\nAbs", ENTRY));
        assert!(
            e.starts_with("error: unknown month `Foo` at p.txt:10:1"),
            "{e}"
        );
        let e = parse_err("X\n\nLGFeb 30, 2023\nT\n\nA\n\nAbs");
        assert!(
            e.contains("`Feb 30, 2023` is not a date: February 2023 has 28 days at p.txt:3:1"),
            "{e}"
        );
        let e = parse_err("X\n\nLGAug 7, 2022\nTitle only");
        assert!(e.contains("no authors line at p.txt:4:1"), "{e}");
        let e = parse_err("X\n\nLGAug 7, 2022\n");
        assert!(e.contains("paper entry has no title at p.txt:3:1"), "{e}");
        let e = parse_err("X\n\nLGAug 7, 2022\nLGAug 8, 2022\n\nA\n");
        assert!(
            e.contains("no title: the next line starts another entry at p.txt:3:1"),
            "{e}"
        );
        let e = parse_err("X\n\nL@Aug 7, 2022\nT\n\nA\n\nAbs");
        assert!(e.contains("`L@` is not an arXiv category code"), "{e}");
        let e = parse_err("X\nh-indexabc\n");
        assert!(
            e.contains("the h-index is not a number: `abc` at p.txt:2:1"),
            "{e}"
        );
        let e = parse_err("");
        assert!(
            e.starts_with("error: the profile is empty at p.txt:1:1"),
            "{e}"
        );
    }

    #[test]
    fn count_mismatch_warns() {
        let (p, w) = parse_ok(&format!(
            "X\n\nLG\nh-index1\n2papers\n1,234citations\nNovelty5%\nAI Score7\n\n2 Papers\n\n{ENTRY}"
        ));
        assert_eq!(p.stats.citations, Some(1234));
        assert_eq!(p.stats.h_index, Some(1));
        assert_eq!(p.primary_category.as_deref(), Some("LG"));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("says 2 papers but lists 1"));
    }
}
