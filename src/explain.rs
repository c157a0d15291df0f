//! `scholarsite build --explain SLUG`: where each field of one paper came from — its front
//! matter, a bibliography file's entry (file, line, key) or the profile — after the sources
//! were merged. Builds the site model in memory and writes nothing.

use crate::base::diag::{self, Diagnostic, Result};
use crate::load::settings::Settings;
use crate::model::{Paper, SourceKind};

/// The explanation of the paper whose slug (or URL path `/papers/<slug>/`) is `slug`.
pub fn explain(settings: &Settings, slug: &str) -> Result<String> {
    let loaded = crate::build::load(settings)?;
    let wanted = slug
        .trim()
        .trim_matches('/')
        .trim_start_matches("papers/")
        .trim_end_matches('/');
    let papers = &loaded.site.papers;
    let Some(paper) = papers.iter().find(|p| p.slug == wanted) else {
        let slugs = || papers.iter().map(|p| p.slug.as_str());
        let near = diag::suggest(wanted, slugs())
            .or_else(|| slugs().find(|s| !wanted.is_empty() && s.starts_with(wanted)));
        let hint = match near {
            Some(s) => format!("did you mean `{s}`?"),
            None => "give the slug of a paper: its page is /papers/<slug>/".to_string(),
        };
        return Err(
            Diagnostic::error(format!("the site has no paper `{wanted}`"))
                .hint(hint)
                .into(),
        );
    };
    Ok(describe(paper))
}

/// The field table of a paper.
fn describe(p: &Paper) -> String {
    let authors = p
        .authors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let authors = if p.authors_truncated {
        format!("{authors} et al.")
    } else {
        authors
    };
    let short = |s: &str| match s.char_indices().nth(70) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    };
    let categories: Vec<&str> = p.categories.iter().map(|c| c.code.as_str()).collect();
    let kind = serde_json::to_value(p.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let b = &p.biblio;
    let l = &p.links;
    let rows: Vec<(&str, Option<String>)> = vec![
        ("title", Some(p.title.to_string())),
        ("authors", Some(authors).filter(|a| !a.is_empty())),
        ("date", p.date.map(|d| d.iso())),
        ("kind", Some(kind)),
        ("venue", p.venue.clone()),
        (
            "abstract",
            Some(short(&p.abstract_text)).filter(|a| !a.is_empty()),
        ),
        (
            "categories",
            Some(categories.join(", ")).filter(|c| !c.is_empty()),
        ),
        ("org", p.org.clone()),
        ("volume", b.volume.clone()),
        ("number", b.number.clone()),
        ("pages", b.pages.clone()),
        ("publisher", b.publisher.clone()),
        ("institution", b.institution.clone()),
        ("doi", l.doi.clone()),
        ("arxiv", l.arxiv.clone()),
        ("url", l.html.clone()),
        ("pdf", l.pdf.clone()),
        ("code", l.code.clone()),
    ];
    let prov = &p.provenance;
    let mut out = format!("paper `{}` (/{}):\n", p.slug, p.rel());
    for (field, value) in rows {
        let Some(value) = value else { continue };
        let from = match (prov.of(field), field) {
            (Some((kind, what)), _) => format!("{} {what}", kind_name(*kind)),
            (None, "kind") => "guessed from the venue".to_string(),
            (None, "title") => "the file name".to_string(),
            (None, _) => "derived".to_string(),
        };
        out.push_str(&format!("  {field:<12} {:<48} ← {from}\n", short(&value)));
    }
    out.push_str("sources, the first winning field by field:\n");
    for (kind, what) in &prov.sources {
        out.push_str(&format!("  {} {what}\n", kind_name(*kind)));
    }
    out
}

fn kind_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::FrontMatter => "front matter",
        SourceKind::Bibliography => "bibliography",
        SourceKind::Profile => "profile",
    }
}
