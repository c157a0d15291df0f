//! An arXiv API Atom feed saved to a file (`export.arxiv.org/api/query?search_query=au:…`):
//! one `<entry>` per paper with `<id>` (the abs URL), `<title>`, `<summary>` (the abstract,
//! TeX as the authors wrote it), `<published>`, `<author><name>`, `<arxiv:primary_category>`,
//! `<category>`, `<arxiv:doi>` and `<arxiv:journal_ref>`.

use std::path::Path;

use roxmltree::{Document, Node};

use super::{Counts, Record, Written, ids};
use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::Name;
use crate::load::categories;
use crate::load::content::Kind;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ARXIV: &str = "http://arxiv.org/schemas/atom";

/// Parses an arXiv Atom feed: (records, entries seen and skipped, warnings).
pub(super) fn parse(shown: &Path, text: &str) -> Result<(Vec<Record>, Counts, Vec<Diagnostic>)> {
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        Diagnostic::error(format!("this is not well-formed XML: {e}"))
            .at(super::line_col_location(
                shown,
                text,
                pos.row as usize,
                pos.col as usize,
            ))
            .hint("save the feed again from the arXiv API; the file may be cut short")
    })?;
    let root = doc.root_element();
    if !(root.has_tag_name((ATOM, "feed")) || root.has_tag_name((ATOM, "entry"))) {
        return Err(Diagnostic::error(format!(
            "`{}` is XML, but not an Atom feed (its root is <{}>)",
            shown.display(),
            root.tag_name().name()
        ))
        .at(Location::at(shown, text, root.range().start, 1))
        .hint("save the answer of the arXiv API, e.g. http://export.arxiv.org/api/query?search_query=au:Huang_S&max_results=200")
        .into());
    }
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    let mut counts = Counts::default();
    let entries = root
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .chain(root.has_tag_name((ATOM, "entry")).then_some(root));
    for entry in entries {
        counts.entries += 1;
        let line = doc.text_pos_at(entry.range().start).row as usize;
        let r = record(entry, counts.entries, line);
        if r.key.is_none() && r.title.as_ref().is_some_and(|t| t.tex == "Error") {
            counts.skipped += 1;
            let said = child_text(entry, ATOM, "summary").unwrap_or_default();
            warnings.push(
                Diagnostic::warning(format!("the feed holds an arXiv API error: {said}"))
                    .at(Location::at(shown, text, entry.range().start, 7))
                    .hint("run the query again with valid parameters and save its answer"),
            );
            continue;
        }
        records.push(r);
    }
    Ok((records, counts, warnings))
}

/// The trimmed text of the first child `ns:name`, whitespace collapsed.
fn child_text(node: Node, ns: &str, name: &str) -> Option<String> {
    let c = node.children().find(|n| n.has_tag_name((ns, name)))?;
    let text: String = c
        .descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn record(entry: Node, index: usize, line: usize) -> Record {
    let mut r = Record {
        index,
        line,
        kind: Some(Kind::Preprint),
        ..Record::default()
    };
    let id = child_text(entry, ATOM, "id").and_then(|id| ids::find_arxiv(&id));
    r.key = id.clone();
    r.links.arxiv = id;
    r.title = child_text(entry, ATOM, "title").map(|tex| Written { tex, line: 0 });
    r.abstract_tex = entry
        .children()
        .find(|n| n.has_tag_name((ATOM, "summary")))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .map(|tex| Written { tex, line: 0 });
    r.authors = entry
        .children()
        .filter(|n| n.has_tag_name((ATOM, "author")))
        .filter_map(|a| child_text(a, ATOM, "name"))
        .map(|n| Name::parse(&n).written())
        .collect();
    r.date = child_text(entry, ATOM, "published")
        .and_then(|p| Date::parse_partial(p.get(..10).unwrap_or(&p)));
    r.links.doi = child_text(entry, ARXIV, "doi").and_then(|d| ids::find_doi(&d));
    if let Some(journal) = child_text(entry, ARXIV, "journal_ref") {
        r.venue = Some(journal);
        r.kind = None;
    }
    let primary = entry
        .children()
        .find(|n| n.has_tag_name((ARXIV, "primary_category")))
        .and_then(|n| n.attribute("term"));
    let others = entry
        .children()
        .filter(|n| n.has_tag_name((ATOM, "category")))
        .filter_map(|n| n.attribute("term"));
    for term in primary.into_iter().chain(others) {
        let term = term.trim().to_string();
        if categories::is_well_formed(&term) && !r.categories.contains(&term) {
            r.categories.push(term);
        }
    }
    r
}
