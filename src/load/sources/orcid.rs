//! An ORCID public API (v3.0) works export: the `/works` summary (`group` → `work-summary`),
//! the whole `/record` (`activities-summary.works`), a bulk `/works/{put-codes}` answer
//! (`bulk` → `work`), a single `/work/{put-code}`, or a list of works. Summaries carry no
//! authors: the full works (bulk) do, as `contributors`.

use std::path::Path;

use serde_json::Value;

use super::csl::{json_error, text};
use super::{Counts, Record, Written, add_url, ids, is_arxiv_venue, tex_of_plain};
use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::Name;
use crate::load::content::Kind;

/// Whether JSON text looks like ORCID's (works have `put-code`s).
pub(super) fn looks_like(text: &str) -> bool {
    text.contains("\"put-code\"")
}

/// Parses an ORCID works export: (records, entries seen and skipped, warnings).
pub(super) fn parse(shown: &Path, text: &str) -> Result<(Vec<Record>, Counts, Vec<Diagnostic>)> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(shown, text, &e))?;
    let works = works(&value);
    let mut warnings = Vec::new();
    let mut counts = Counts::default();
    let mut records = Vec::new();
    for (i, work) in works.into_iter().enumerate() {
        counts.entries += 1;
        match work {
            Work::One(summaries) => records.push(record(&summaries, i + 1)),
            Work::Error(said) => {
                counts.skipped += 1;
                warnings.push(
                    Diagnostic::warning(format!(
                        "work {} is an ORCID error, not a work: {said}",
                        i + 1
                    ))
                    .at(Location::file(shown))
                    .hint("fetch the work again; its put-code may be wrong"),
                );
            }
        }
    }
    if counts.entries == 0 && !text.contains("\"group\"") {
        return Err(
            Diagnostic::error(format!("`{}` holds no ORCID works", shown.display()))
                .at(Location::at(shown, text, 0, 1))
                .hint("save the answer of https://pub.orcid.org/v3.0/<ORCID iD>/works (JSON)")
                .into(),
        );
    }
    Ok((records, counts, warnings))
}

/// One work: its versions from different sources (the first preferred), or an error.
enum Work<'a> {
    One(Vec<&'a Value>),
    Error(String),
}

/// The works of any of the export's shapes.
fn works(v: &Value) -> Vec<Work<'_>> {
    if let Some(groups) = v
        .get("group")
        .or_else(|| v.pointer("/activities-summary/works/group"))
        .or_else(|| v.pointer("/works/group"))
        .and_then(Value::as_array)
    {
        return groups
            .iter()
            .map(|g| {
                let summaries = g
                    .get("work-summary")
                    .and_then(Value::as_array)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default();
                Work::One(summaries)
            })
            .collect();
    }
    if let Some(bulk) = v.get("bulk").and_then(Value::as_array) {
        return bulk
            .iter()
            .map(|b| match (b.get("work"), b.get("error")) {
                (Some(w), _) => Work::One(vec![w]),
                (None, Some(e)) => Work::Error(
                    text(e.get("developer-message"))
                        .or_else(|| text(e.get("user-message")))
                        .unwrap_or_else(|| "no message".into()),
                ),
                _ => Work::Error("an empty item".into()),
            })
            .collect();
    }
    match v {
        Value::Array(a) => a.iter().map(|w| Work::One(vec![w])).collect(),
        Value::Object(o) if o.contains_key("put-code") => vec![Work::One(vec![v])],
        _ => Vec::new(),
    }
}

/// `{"value": "…"}` at `path`.
fn value(v: &Value, path: &str) -> Option<String> {
    text(v.pointer(path))
}

fn record(versions: &[&Value], index: usize) -> Record {
    let first = |path: &str| versions.iter().find_map(|v| value(v, path));
    let mut r = Record {
        index,
        key: versions
            .first()
            .and_then(|v| text(v.get("put-code")))
            .map(|c| format!("put-code {c}")),
        ..Record::default()
    };
    let title = first("/title/title/value").map(|t| match first("/title/subtitle/value") {
        Some(sub) => format!("{t}: {sub}"),
        None => t,
    });
    r.title = title.map(|t| Written {
        tex: tex_of_plain(&t),
        line: 0,
    });
    r.abstract_tex = first("/short-description").map(|t| Written {
        tex: tex_of_plain(&t),
        line: 0,
    });
    let kind = first("/type")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace('_', "-");
    let journal = first("/journal-title/value");
    let arxiv_only = journal.as_deref().is_some_and(is_arxiv_venue);
    r.kind = match kind.as_str() {
        "journal-article" | "magazine-article" | "newspaper-article" if !arxiv_only => {
            Some(Kind::Journal)
        }
        "conference-paper" | "conference-abstract" | "conference-poster" => Some(Kind::Conference),
        "preprint" | "working-paper" | "journal-article" => Some(Kind::Preprint),
        "book" | "edited-book" => Some(Kind::Book),
        "book-chapter" | "encyclopedia-entry" | "dictionary-entry" => Some(Kind::Chapter),
        "dissertation" | "dissertation-thesis" | "supervised-student-publication" => {
            Some(Kind::Thesis)
        }
        "report" | "research-technique" => Some(Kind::Report),
        _ => None,
    };
    r.venue = journal.filter(|j| !is_arxiv_venue(j));
    r.date = versions.iter().find_map(|v| {
        let year = value(v, "/publication-date/year/value")?.parse().ok()?;
        let month = value(v, "/publication-date/month/value").and_then(|m| m.parse().ok());
        let day = value(v, "/publication-date/day/value").and_then(|d| d.parse().ok());
        Date::partial(year, month, month.and(day)).or_else(|| Date::partial(year, None, None))
    });
    for v in versions {
        let ext = v
            .pointer("/external-ids/external-id")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for id in ext {
            let relation = text(id.get("external-id-relationship")).unwrap_or_default();
            if relation.eq_ignore_ascii_case("part-of") {
                continue;
            }
            let kind = text(id.get("external-id-type"))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let Some(val) = text(id.get("external-id-value")) else {
                continue;
            };
            match kind.as_str() {
                "doi" if r.links.doi.is_none() => r.links.doi = ids::find_doi(&val),
                "arxiv" if r.links.arxiv.is_none() => r.links.arxiv = ids::find_arxiv(&val),
                _ => {}
            }
        }
        if let Some(url) = value(v, "/url/value") {
            add_url(&mut r.links, &url);
        }
    }
    let contributors = versions
        .iter()
        .find_map(|v| {
            v.pointer("/contributors/contributor")
                .and_then(Value::as_array)
        })
        .map(Vec::as_slice)
        .unwrap_or_default();
    let role = |c: &Value| {
        value(c, "/contributor-attributes/contributor-role")
            .unwrap_or_else(|| "author".into())
            .to_ascii_lowercase()
    };
    let has_authors = contributors.iter().any(|c| role(c) == "author");
    r.authors = contributors
        .iter()
        .filter(|c| !has_authors || role(c) == "author")
        .filter_map(|c| value(c, "/credit-name/value"))
        .map(|n| Name::parse(&n).written())
        .collect();
    r
}
