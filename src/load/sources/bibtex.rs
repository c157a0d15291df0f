//! BibTeX and BibLaTeX through the `biblatex` crate: `@string` macros and month macros
//! (`month = jan`), `#` concatenation, `crossref` (a paper in `@proceedings` gets its
//! `booktitle`, year and publisher), `{\"u}`-style accents, `{Braces}` protection and
//! `and others`. BibLaTeX's `date`, `journaltitle`, `eprint` + `eprinttype = arxiv` are read
//! too.
//!
//! The file is cut into entries at lines that start with `@`, and each entry is parsed on its
//! own, so that one malformed entry is skipped (with a warning naming its line, column and key)
//! rather than losing the file. Titles and abstracts keep their TeX for the site's renderer;
//! other fields become plain text; names are parsed by `biblatex` (von parts, `Jr`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use biblatex::{Bibliography as Parsed, Pair, RawBibliography, RawChunk, RawEntry, Spanned};
use rayon::prelude::*;

use super::{Counts, Record, Written, add_url, ids, is_arxiv_venue, plain};
use crate::base::date::{Date, month_from_name};
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::{Name, is_suffix};
use crate::load::categories;
use crate::load::content::Kind;

/// Whether `text` has a line starting with `@type{` or `@type(`.
pub(super) fn has_entry(text: &str) -> bool {
    entry_starts(text).next().is_some()
}

/// Byte offsets of the `@` of every line that starts (after blanks) with `@ident{` or `@ident(`.
fn entry_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let at = start + (line.len() - trimmed.len());
        let rest = trimmed.strip_prefix('@')?;
        let ident_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let after = rest[ident_len..].trim_start();
        (ident_len > 0 && (after.starts_with('{') || after.starts_with('('))).then_some(at)
    })
}

/// 1-based line and column of byte offsets.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 1-based line of byte `offset`.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// A located diagnostic position.
    fn location(&self, shown: &Path, offset: usize, len: usize) -> Location {
        Location::at(shown, self.text, offset, len)
    }
}

/// An entry's raw parse with the offset of the region it came from.
struct Entry<'s> {
    offset: usize,
    raw: RawEntry<'s>,
}

/// A record, or the warning that says why its entry was skipped.
type RecordResult = std::result::Result<Record, Box<Diagnostic>>;

/// Entry types that hold papers of others when another entry cross-references them.
const CONTAINERS: &[&str] = &[
    "proceedings",
    "mvproceedings",
    "collection",
    "mvcollection",
    "book",
    "mvbook",
    "periodical",
    "reference",
    "mvreference",
];

/// Parses a BibTeX/BibLaTeX file: (records, entries seen and skipped, warnings).
pub(super) fn parse(shown: &Path, text: &str) -> Result<(Vec<Record>, Counts, Vec<Diagnostic>)> {
    let src = braces_for_parentheses(text);
    let lines = Lines::new(&src);
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut strings: Vec<Pair> = Vec::new();
    let starts: Vec<usize> = entry_starts(&src).collect();
    // Entries are parsed on their own, in parallel; the results keep the file's order.
    let parsed: Vec<Option<std::result::Result<RawBibliography, Diagnostic>>> = starts
        .par_iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(src.len());
            let region = &src[start..end];
            let kind = region[1..]
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if kind == "comment" || kind == "preamble" {
                return None;
            }
            Some(RawBibliography::parse(region).map_err(|e| {
                let mut at = start + e.span.start.min(region.len());
                if e.kind == biblatex::ParseErrorKind::UnexpectedEof
                    && let Some(open) = unclosed_brace(region)
                {
                    at = start + open;
                }
                Diagnostic::warning(format!(
                    "{}: {}; the entry is skipped",
                    entry_name(&kind, region_key(region)),
                    describe_parse_error(&e.kind)
                ))
                .at(lines.location(shown, at, e.span.len()))
                .hint(parse_hint(&e.kind, region))
            }))
        })
        .collect();
    for (result, &start) in parsed.into_iter().zip(&starts) {
        match result {
            None => {}
            Some(Ok(raw)) => {
                strings.extend(raw.abbreviations);
                entries.extend(raw.entries.into_iter().map(|e| Entry {
                    offset: start,
                    raw: e.v,
                }));
            }
            Some(Err(d)) => errors.push(d),
        }
    }
    let mut malformed = errors.len();
    let total = entries
        .iter()
        .filter(|e| !e.raw.kind.v.eq_ignore_ascii_case("string"))
        .count()
        + malformed;
    if entries.is_empty() && malformed > 0 {
        let mut errors = errors;
        for d in &mut errors {
            d.severity = crate::base::diag::Severity::Error;
        }
        return Err(errors.into());
    }
    warnings.append(&mut errors);
    let mut abbreviations: HashMap<String, &[Spanned<RawChunk>]> = HashMap::new();
    for pair in &strings {
        abbreviations
            .entry(pair.key.v.to_ascii_lowercase())
            .or_insert(&pair.value.v);
    }
    let by_key: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.raw.key.v.to_ascii_lowercase(), i))
        .collect();
    let referenced: std::collections::HashSet<String> = entries
        .iter()
        .flat_map(|e| {
            e.raw
                .fields
                .iter()
                .filter(|f| matches!(f.key.v.to_ascii_lowercase().as_str(), "crossref" | "xdata"))
        })
        .map(|f| raw_text(&f.value.v, &abbreviations, 0).to_ascii_lowercase())
        .flat_map(|s| {
            s.split(',')
                .map(|k| k.trim().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let reader = Reader {
        shown,
        lines: &lines,
        abbreviations: &abbreviations,
        entries: &entries,
        by_key: &by_key,
    };
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut papers: Vec<(usize, &Entry)> = Vec::new();
    let mut index = 0;
    for (i, entry) in entries.iter().enumerate() {
        let kind = entry.raw.kind.v.to_ascii_lowercase();
        if kind == "string" {
            continue;
        }
        index += 1;
        let key = entry.raw.key.v;
        if let Some(&first) = first_of.get(key) {
            warnings.push(
                Diagnostic::warning(format!(
                    "two entries have the key `{key}` (lines {} and {}); both are read",
                    lines.line(entries[first].offset + entries[first].raw.key.span.start),
                    lines.line(entry.offset + entry.raw.key.span.start)
                ))
                .at(lines.location(shown, entry.offset + entry.raw.key.span.start, key.len()))
                .hint("give one of them another key"),
            );
        } else {
            first_of.insert(key, i);
        }
        let is_container =
            CONTAINERS.contains(&kind.as_str()) && referenced.contains(&key.to_ascii_lowercase());
        if kind == "xdata" || kind == "set" || is_container {
            continue;
        }
        papers.push((index, entry));
    }
    // Records are read in parallel; their warnings keep the file's order.
    let read: Vec<(RecordResult, Vec<Diagnostic>)> = papers
        .par_iter()
        .map(|&(index, entry)| {
            let mut w = Vec::new();
            (reader.record(entry, index, &mut w), w)
        })
        .collect();
    let mut records = Vec::with_capacity(read.len());
    for (result, w) in read {
        warnings.extend(w);
        match result {
            Ok(r) => records.push(r),
            Err(d) => {
                malformed += 1;
                warnings.push(*d);
            }
        }
    }
    let counts = Counts {
        entries: total,
        skipped: malformed,
    };
    Ok((records, counts, warnings))
}

/// `@article{key,` → `key`.
fn region_key(region: &str) -> Option<&str> {
    let open = region.find(['{', '('])?;
    let rest = &region[open + 1..];
    let key = rest.split([',', '}', '\n']).next()?.trim();
    (!key.is_empty() && !key.contains('=')).then_some(key)
}

/// `entry \`key\`` or `@article entry`.
fn entry_name(kind: &str, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("entry `{k}`"),
        None => format!("an @{kind} entry"),
    }
}

fn describe_parse_error(kind: &biblatex::ParseErrorKind) -> String {
    use biblatex::ParseErrorKind as K;
    match kind {
        K::UnexpectedEof => "the entry ends before its braces or quotes are closed".into(),
        K::Expected(biblatex::Token::Comma) => "expected a comma between fields".into(),
        K::Expected(biblatex::Token::Equals) => "expected `=` after the field name".into(),
        K::Expected(t) => format!("expected {t}"),
        K::Unexpected(t) => format!("unexpected {t}"),
        other => other.to_string(),
    }
}

fn parse_hint(kind: &biblatex::ParseErrorKind, region: &str) -> String {
    use biblatex::ParseErrorKind as K;
    match kind {
        K::UnexpectedEof => match unclosed_brace(region) {
            Some(_) => "this `{` is never closed: add its `}` where the value ends".into(),
            None => "close every `{` with `}` and every `\"` with `\"`".into(),
        },
        K::Expected(biblatex::Token::Comma) => {
            "fields are written `name = {value},`: a comma may be missing after the previous value, or a value is not in braces".into()
        }
        _ => "fix the entry (fields are written `name = {value},`), or delete it".into(),
    }
}

/// The offset of the first `{` in `region` that is not closed.
fn unclosed_brace(region: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut escaped = false;
    for (i, c) in region.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    // The entry's own brace is the first; a field's unclosed brace comes after it.
    open.get(1).or(open.first()).copied()
}

/// `@article(key, …)` → `@article{key, …}`, keeping every byte offset.
fn braces_for_parentheses(text: &str) -> Cow<'_, str> {
    let opens: Vec<usize> = entry_starts(text)
        .filter_map(|at| {
            let paren = at + text[at..].find(['{', '('])?;
            (text.as_bytes()[paren] == b'(').then_some(paren)
        })
        .collect();
    if opens.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for open in opens {
        let mut depth = 0usize;
        let mut close = None;
        for (i, &b) in text.as_bytes()[open + 1..].iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b')' if depth == 0 => {
                    close = Some(open + 1 + i);
                    break;
                }
                _ => {}
            }
        }
        if let Some(close) = close {
            bytes[open] = b'{';
            bytes[close] = b'}';
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// The raw TeX of a field: its pieces joined, `@string` macros replaced by their own raw text,
/// month macros by month names.
fn raw_text(
    field: &[Spanned<RawChunk>],
    abbreviations: &HashMap<String, &[Spanned<RawChunk>]>,
    depth: usize,
) -> String {
    let mut out = String::new();
    for chunk in field {
        match chunk.v {
            RawChunk::Normal(s) => out.push_str(s),
            RawChunk::Abbreviation(name) => {
                let lower = name.to_ascii_lowercase();
                match abbreviations.get(&lower) {
                    Some(value) if depth < 16 => {
                        out.push_str(&raw_text(value, abbreviations, depth + 1));
                    }
                    _ => {
                        if let Some(m) = month_from_name(&lower) {
                            out.push_str(crate::base::date::month_name(m));
                        }
                    }
                }
            }
        }
    }
    out
}

/// What the record of one entry is read with.
struct Reader<'a, 's> {
    shown: &'a Path,
    lines: &'a Lines<'a>,
    abbreviations: &'a HashMap<String, &'s [Spanned<RawChunk<'s>>]>,
    entries: &'a [Entry<'s>],
    by_key: &'a HashMap<String, usize>,
}

/// An entry's fields: its own, then its `crossref` parent's (BibTeX inheritance).
struct Fields<'a, 's> {
    own: &'a Entry<'s>,
    parent: Option<(&'a Entry<'s>, bool, bool)>,
}

impl<'a, 's> Fields<'a, 's> {
    /// A field by lowercase name, with the offset of the entry it is in.
    fn get(&self, name: &str) -> Option<(&'a [Spanned<RawChunk<'s>>], usize)> {
        // An empty field (`booktitle = {}`, as DBLP writes beside a crossref) is no field.
        let find = |e: &'a Entry<'s>, n: &str| {
            e.raw
                .fields
                .iter()
                .find(|f| {
                    f.key.v.eq_ignore_ascii_case(n)
                        && !f
                            .value
                            .v
                            .iter()
                            .all(|c| matches!(c.v, RawChunk::Normal(s) if s.trim().is_empty()))
                })
                .map(|f| (f.value.v.as_slice(), e.offset))
        };
        if let Some(found) = find(self.own, name) {
            return Some(found);
        }
        let (parent, collection, periodical) = self.parent?;
        match name {
            "title" | "subtitle" | "crossref" | "ids" | "key" => None,
            "booktitle" if collection => {
                find(parent, "booktitle").or_else(|| find(parent, "title"))
            }
            "journaltitle" | "journal" if periodical => {
                find(parent, name).or_else(|| find(parent, "title"))
            }
            _ => find(parent, name),
        }
    }
}

impl<'s> Reader<'_, 's> {
    fn text(&self, fields: &Fields<'_, 's>, name: &str) -> Option<String> {
        let (field, _) = fields.get(name)?;
        let raw = raw_text(field, self.abbreviations, 0);
        (!raw.trim().is_empty()).then_some(raw)
    }

    fn plain(&self, fields: &Fields<'_, 's>, name: &str) -> Option<String> {
        plain(&self.text(fields, name)?)
    }

    /// A verbatim field (DOI, URL, eprint): escapes and braces removed.
    fn verbatim(&self, fields: &Fields<'_, 's>, name: &str) -> Option<String> {
        let raw = self.text(fields, name)?;
        if !raw.contains(['\\', '{', '}']) {
            let raw = raw.trim();
            return (!raw.is_empty()).then(|| raw.to_string());
        }
        let raw = raw
            .replace("\\url{", "")
            .replace("\\_", "_")
            .replace("\\&", "&")
            .replace("\\%", "%")
            .replace("\\#", "#")
            .replace("\\~", "~")
            .replace(['{', '}'], "");
        let raw = raw.trim();
        (!raw.is_empty()).then(|| raw.to_string())
    }

    /// A TeX field with the line it starts on.
    fn written(&self, fields: &Fields<'_, 's>, name: &str) -> Option<Written> {
        let (field, offset) = fields.get(name)?;
        let tex = raw_text(field, self.abbreviations, 0);
        let line = field
            .first()
            .map_or(0, |c| self.lines.line(offset + c.span.start));
        (!tex.trim().is_empty()).then(|| Written {
            tex: tex.trim().to_string(),
            line,
        })
    }

    fn record(
        &self,
        entry: &Entry<'s>,
        index: usize,
        warnings: &mut Vec<Diagnostic>,
    ) -> std::result::Result<Record, Box<Diagnostic>> {
        let raw = &entry.raw;
        let kind = raw.kind.v.to_ascii_lowercase();
        let key = raw.key.v;
        let start = entry.offset + raw.key.span.start.saturating_sub(1);
        let parent = raw
            .fields
            .iter()
            .find(|f| f.key.v.eq_ignore_ascii_case("crossref"))
            .map(|f| {
                raw_text(&f.value.v, self.abbreviations, 0)
                    .trim()
                    .to_ascii_lowercase()
            })
            .and_then(|k| {
                let parent = self.by_key.get(&k).map(|&i| &self.entries[i]);
                if parent.is_none() {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "entry `{key}` cross-references `{k}`, which is not in the file"
                        ))
                        .at(self.lines.location(self.shown, start, 1))
                        .hint("add the referenced entry, or remove `crossref`"),
                    );
                }
                parent
            })
            .map(|p| {
                let pk = p.raw.kind.v.to_ascii_lowercase();
                (
                    p,
                    CONTAINERS.contains(&pk.as_str()) && pk != "periodical",
                    pk == "periodical",
                )
            });
        let fields = Fields { own: entry, parent };
        let mut r = Record {
            line: self.lines.line(entry.offset),
            index,
            key: (!key.is_empty()).then(|| key.to_string()),
            ..Record::default()
        };
        r.title = self.written(&fields, "title");
        if let (Some(t), Some(sub)) = (&mut r.title, self.text(&fields, "subtitle")) {
            t.tex = format!("{}: {}", t.tex, sub.trim());
        }
        r.abstract_tex = self.written(&fields, "abstract");
        let (authors, truncated) = self.people(&fields, entry)?;
        r.authors = authors;
        r.truncated = truncated;
        r.date = self.date(&fields, entry, warnings);
        self.ids(&fields, &mut r);
        let journal = self
            .plain(&fields, "journaltitle")
            .or_else(|| self.plain(&fields, "journal"));
        let booktitle = self.plain(&fields, "booktitle");
        let arxiv_only = journal.as_deref().is_some_and(is_arxiv_venue);
        r.kind = match kind.as_str() {
            "article" if arxiv_only => Some(Kind::Preprint),
            "article" => Some(Kind::Journal),
            "inproceedings" | "conference" => Some(Kind::Conference),
            "phdthesis" | "mastersthesis" | "thesis" => Some(Kind::Thesis),
            "techreport" | "report" => Some(Kind::Report),
            "book" | "mvbook" | "proceedings" | "mvproceedings" | "collection" | "mvcollection"
            | "booklet" | "reference" => Some(Kind::Book),
            "inbook" | "incollection" | "bookinbook" | "suppbook" | "suppcollection"
            | "inreference" => Some(Kind::Chapter),
            "misc" | "online" | "unpublished" | "preprint" | "electronic" | "www"
                if r.links.arxiv.is_some() =>
            {
                Some(Kind::Preprint)
            }
            "unpublished" | "preprint" => Some(Kind::Preprint),
            _ => None,
        };
        r.venue = match r.kind {
            Some(Kind::Journal) => journal,
            Some(Kind::Conference) => booktitle
                .or_else(|| self.plain(&fields, "eventtitle"))
                .or(journal),
            Some(Kind::Chapter) => booktitle.or_else(|| self.plain(&fields, "maintitle")),
            Some(Kind::Preprint) => journal.filter(|j| !is_arxiv_venue(j)),
            _ => journal.or(booktitle).filter(|v| !is_arxiv_venue(v)),
        };
        let b = &mut r.biblio;
        b.volume = self
            .plain(&fields, "volume")
            .filter(|v| !v.to_ascii_lowercase().starts_with("abs/"));
        b.number = self
            .plain(&fields, "number")
            .or_else(|| self.plain(&fields, "issue"));
        b.pages = self
            .verbatim(&fields, "pages")
            .or_else(|| self.verbatim(&fields, "eid"));
        b.publisher = self
            .plain(&fields, "publisher")
            .filter(|p| !is_arxiv_venue(p));
        b.institution = self
            .plain(&fields, "school")
            .or_else(|| self.plain(&fields, "institution"));
        if matches!(r.kind, Some(Kind::Report)) && b.institution.is_none() {
            b.institution = self.plain(&fields, "organization");
        }
        for name in ["primaryclass", "eprintclass"] {
            if let Some(c) = self.plain(&fields, name)
                && categories::is_well_formed(&c)
                && !r.categories.contains(&c)
            {
                r.categories.push(c);
            }
        }
        Ok(r)
    }

    /// DOI, arXiv id, URL, PDF.
    fn ids(&self, fields: &Fields<'_, 's>, r: &mut Record) {
        let links = &mut r.links;
        if let Some(d) = self.verbatim(fields, "doi").and_then(|d| ids::find_doi(&d)) {
            links.doi = Some(d);
        }
        let eprint_type = self
            .plain(fields, "eprinttype")
            .or_else(|| self.plain(fields, "archiveprefix"))
            .map(|t| t.to_ascii_lowercase());
        if let Some(e) = self.verbatim(fields, "eprint") {
            let arxiv = eprint_type.as_deref().is_none_or(|t| t == "arxiv");
            if arxiv && let Some(id) = ids::find_arxiv(&e) {
                links.arxiv = Some(id);
            }
        }
        for name in ["url", "pdf", "howpublished", "note"] {
            if let Some(u) = self.verbatim(fields, name) {
                let u = u.trim_start_matches("\\url").trim();
                add_url(links, u);
            }
        }
        if links.arxiv.is_none() {
            for name in ["journal", "journaltitle", "volume", "note", "howpublished"] {
                if let Some(text) = self.verbatim(fields, name)
                    && text.to_ascii_lowercase().contains("arxiv")
                    && let Some(id) = ids::find_arxiv(&text)
                {
                    links.arxiv = Some(id);
                    break;
                }
            }
        }
        if links.arxiv.is_none()
            && let Some(v) = self.verbatim(fields, "volume")
            && let Some(id) = v.strip_prefix("abs/")
        {
            links.arxiv = ids::find_arxiv(id);
        }
    }

    /// Authors (editors for an edited volume without authors), read by `biblatex`.
    fn people(
        &self,
        fields: &Fields<'_, 's>,
        entry: &Entry<'s>,
    ) -> std::result::Result<(Vec<String>, bool), Box<Diagnostic>> {
        for name in ["author", "editor"] {
            let Some((field, offset)) = fields.get(name) else {
                continue;
            };
            let pair = Pair::new(Spanned::new(name, 0..0), Spanned::new(field.to_vec(), 0..0));
            let mut needed: Vec<Pair<'s>> = Vec::new();
            for chunk in field {
                if let RawChunk::Abbreviation(a) = chunk.v
                    && let Some(v) = self.abbreviations.get(&a.to_ascii_lowercase())
                {
                    needed.push(Pair::new(
                        Spanned::new(a, 0..0),
                        Spanned::new(v.to_vec(), 0..0),
                    ));
                }
            }
            let raw = RawBibliography {
                preamble: String::new(),
                entries: vec![Spanned::new(
                    RawEntry {
                        key: entry.raw.key.clone(),
                        kind: Spanned::new("misc", 0..0),
                        fields: vec![pair],
                    },
                    0..0,
                )],
                abbreviations: needed,
            };
            let parsed = Parsed::from_raw(raw).map_err(|e| {
                Box::new(
                    Diagnostic::warning(format!(
                        "entry `{}`: the {name} list cannot be read ({}); the entry is skipped",
                        entry.raw.key.v, e.kind
                    ))
                    .at(self
                        .lines
                        .location(self.shown, offset + e.span.start, e.span.len()))
                    .hint("names are written `Family, Given and Family, Given`, each `{` closed"),
                )
            })?;

            let Some(e) = parsed.iter().next() else {
                continue;
            };
            let people = match name {
                "author" => e.author().unwrap_or_default(),
                _ => e
                    .editors()
                    .ok()
                    .and_then(|mut v| v.pop())
                    .map(|(p, _)| p)
                    .unwrap_or_default(),
            };
            let mut names = Vec::new();
            let mut truncated = false;
            for p in people {
                let family = [p.prefix.trim(), p.name.trim()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if family == "others" && p.given_name.trim().is_empty() {
                    truncated = true;
                    continue;
                }
                let tidy = |s: &str| {
                    if s.contains('\\') {
                        plain(s).unwrap_or_default()
                    } else {
                        s.split_whitespace().collect::<Vec<_>>().join(" ")
                    }
                };
                let mut n = Name {
                    given: tidy(&p.given_name),
                    family: tidy(&family),
                    suffix: tidy(&p.suffix),
                };
                // `Martin Luther King, Jr.` is `Family, Given` to BibTeX, whose manual asks for
                // `King, Jr., Martin Luther`; a "given name" that is a suffix says which was meant.
                if n.suffix.is_empty() && is_suffix(&n.given) {
                    n = Name::parse(&format!("{}, {}", n.family, n.given));
                }
                if !n.family.is_empty() || !n.given.is_empty() {
                    names.push(n.written());
                }
            }
            if !names.is_empty() || truncated {
                return Ok((names, truncated));
            }
        }
        Ok((Vec::new(), false))
    }

    /// `date` (BibLaTeX, ISO 8601, ranges: the start) or `year` + `month` (+ `day`).
    fn date(
        &self,
        fields: &Fields<'_, 's>,
        entry: &Entry<'s>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Option<Date> {
        if let Some(d) = self.plain(fields, "date") {
            let start = d.split('/').next().unwrap_or(&d);
            let start = start.trim_end_matches(['~', '?', '%']);
            let start = start.get(..10.min(start.len())).unwrap_or(start);
            if let Some(date) = Date::parse_partial(start) {
                return Some(date);
            }
        }
        let year_text = self.plain(fields, "year")?;
        let year = year_text
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 4)
            .and_then(|y| y.parse::<i32>().ok());
        let Some(year) = year else {
            let (field, offset) = fields.get("year")?;
            let at = offset + field.first().map_or(0, |c| c.span.start);
            warnings.push(
                Diagnostic::warning(format!(
                    "entry `{}`: `year = {year_text}` is not a year; the paper has no date",
                    entry.raw.key.v
                ))
                .at(self.lines.location(self.shown, at, year_text.len()))
                .hint("write the year as four digits, e.g. `year = {2022}`"),
            );
            return None;
        };
        let month = self.plain(fields, "month").and_then(|m| {
            let m = m.trim().trim_end_matches('.');
            m.parse::<u8>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .or_else(|| month_from_name(m.split_whitespace().next().unwrap_or(m)))
        });
        let day = self
            .plain(fields, "day")
            .and_then(|d| d.trim().parse::<u8>().ok());
        Date::partial(year, month, month.and(day)).or_else(|| Date::partial(year, month, None))
    }
}
