//! CSL-JSON, as Zotero, citation.js and this site's own `papers.json` write it: an array of
//! items with `type`, `title`, `author` (`family`, `given`, particles, `suffix`, `literal`),
//! `issued` (`date-parts`, `raw`), `container-title`, `DOI`, `URL`, `page`, `volume`, `issue`,
//! `number`, `publisher`, `abstract`. Titles and abstracts are plain text, escaped for TeX.

use std::path::Path;

use serde_json::Value;

use super::{
    Counts, Record, Written, add_url, ids, is_arxiv_venue, line_col_location, tex_of_plain,
};
use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::Name;
use crate::load::content::Kind;

/// Parses CSL-JSON: (records, entries seen and skipped, warnings).
pub(super) fn parse(shown: &Path, text: &str) -> Result<(Vec<Record>, Counts, Vec<Diagnostic>)> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(shown, text, &e))?;
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ if o.contains_key("type") || o.contains_key("title") => vec![&value],
            _ => o.values().filter(|v| v.is_object()).collect(),
        },
        _ => Vec::new(),
    };
    if items.is_empty() && !matches!(&value, Value::Array(a) if a.is_empty()) {
        return Err(Diagnostic::error(format!(
            "`{}` is JSON, but not a list of CSL-JSON items",
            shown.display()
        ))
        .at(Location::at(shown, text, 0, 1))
        .hint("export CSL-JSON from Zotero (File → Export Library… → CSL JSON) or citation.js; an ORCID works export has `put-code`s")
        .into());
    }
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    let mut counts = Counts::default();
    for (i, item) in items.iter().enumerate() {
        counts.entries += 1;
        match item.as_object() {
            Some(_) => records.push(record(item, i + 1)),
            None => {
                counts.skipped += 1;
                warnings.push(
                    Diagnostic::warning(format!("item {} is not an object; it is skipped", i + 1))
                        .at(Location::file(shown))
                        .hint("each CSL-JSON item is an object: {\"type\": …, \"title\": …}"),
                );
            }
        }
    }
    Ok((records, counts, warnings))
}

/// A JSON syntax error, located.
pub(super) fn json_error(shown: &Path, text: &str, e: &serde_json::Error) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    Diagnostic::error(format!("this is not valid JSON: {msg}"))
        .at(line_col_location(shown, text, e.line(), e.column()))
        .hint("the file may be cut short or edited by hand; export it again")
}

/// A string or number field as text (the first of a list).
pub(super) fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => return text(a.first()),
        _ => return None,
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn record(item: &Value, index: usize) -> Record {
    let get = |k: &str| item.get(k);
    let kind_name = text(get("type")).unwrap_or_default();
    let mut r = Record {
        index,
        key: text(get("id")),
        ..Record::default()
    };
    r.title = text(get("title")).map(|t| Written {
        tex: tex_of_plain(&t),
        line: 0,
    });
    r.abstract_tex = text(get("abstract")).map(|t| Written {
        tex: tex_of_plain(&t),
        line: 0,
    });
    let people = match get("author") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => match get("editor") {
            Some(Value::Array(a)) => a,
            _ => &Vec::new(),
        },
    };
    r.authors = people.iter().filter_map(name).collect();
    r.date = date(get("issued"));
    if let Some(d) = text(get("DOI")).and_then(|d| ids::find_doi(&d)) {
        r.links.doi = Some(d);
    }
    if let Some(u) = text(get("URL")) {
        add_url(&mut r.links, &u);
    }
    for field in ["number", "note", "archive_location"] {
        if r.links.arxiv.is_none()
            && let Some(t) = text(get(field))
            && t.to_ascii_lowercase().contains("arxiv")
        {
            r.links.arxiv = ids::find_arxiv(&t);
        }
    }
    let container = text(get("container-title"));
    let arxiv_only = container.as_deref().is_some_and(is_arxiv_venue)
        || text(get("publisher"))
            .as_deref()
            .is_some_and(is_arxiv_venue);
    r.kind = match kind_name.as_str() {
        "article-journal" | "article-magazine" | "article-newspaper" if !arxiv_only => {
            Some(Kind::Journal)
        }
        "paper-conference" => Some(Kind::Conference),
        "article" | "manuscript" | "article-journal" => Some(Kind::Preprint),
        "thesis" => Some(Kind::Thesis),
        "book" => Some(Kind::Book),
        "chapter" | "entry-encyclopedia" | "entry-dictionary" => Some(Kind::Chapter),
        "report" => Some(Kind::Report),
        _ => None,
    };
    r.venue = container
        .or_else(|| text(get("event-title")))
        .or_else(|| text(get("event")))
        .filter(|v| !is_arxiv_venue(v));
    let b = &mut r.biblio;
    b.volume = text(get("volume"));
    b.pages = text(get("page"));
    let publisher = text(get("publisher")).filter(|p| !is_arxiv_venue(p));
    match r.kind {
        Some(Kind::Thesis | Kind::Report) => {
            b.institution = publisher;
            b.number = text(get("number")).filter(|n| !n.to_ascii_lowercase().contains("arxiv"));
        }
        _ => {
            b.publisher = publisher;
            b.number = text(get("issue"));
        }
    }
    r
}

/// A CSL name object as a written name.
fn name(v: &Value) -> Option<String> {
    if let Some(literal) = text(v.get("literal")) {
        return Some(
            Name {
                family: literal,
                ..Name::default()
            }
            .written(),
        );
    }
    let part = |k: &str| text(v.get(k)).unwrap_or_default();
    let family = [
        part("dropping-particle"),
        part("non-dropping-particle"),
        part("family"),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let n = Name {
        given: part("given"),
        family,
        suffix: part("suffix"),
    };
    (!n.family.is_empty() || !n.given.is_empty()).then(|| n.written())
}

/// `{"date-parts": [[2022, 8, 7]]}`, or `raw`/`literal` text.
fn date(v: Option<&Value>) -> Option<Date> {
    let v = v?;
    if let Some(Value::Array(parts)) = v.get("date-parts")
        && let Some(Value::Array(first)) = parts.first()
    {
        let num = |i: usize| -> Option<i64> {
            match first.get(i)? {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        if let Some(year) = num(0).and_then(|y| i32::try_from(y).ok()) {
            let month = num(1).and_then(|m| u8::try_from(m).ok());
            let day = num(2).and_then(|d| u8::try_from(d).ok());
            return Date::partial(year, month, month.and(day))
                .or_else(|| Date::partial(year, None, None));
        }
    }
    let raw = text(v.get("raw")).or_else(|| text(v.get("literal")))?;
    Date::parse_partial(raw.get(..10).unwrap_or(&raw)).or_else(|| {
        raw.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 4)
            .and_then(|y| y.parse().ok())
            .and_then(|y| Date::partial(y, None, None))
    })
}
