//! Citations of a paper in the forms reference managers read: BibTeX, RIS, CSL-JSON, COinS
//! (for the Zotero connector on listings) and schema.org JSON-LD (for search engines). The
//! citation keys are the model's ([`crate::model::keys`]).

use serde::Serialize;
use serde_json::{Value, json};

use crate::load::content::Kind;
use crate::model::Paper;
use crate::model::names::split_name;

/// Escapes BibTeX's special characters in plain text.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '{' | '}' | '\\' | '~' | '^' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A title's TeX as BibTeX: math and commands kept, special characters outside math escaped,
/// and words with capitals after the first letter (`BERT`, `AutoReP`) protected by braces.
pub fn bib_title(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len() + 16);
    let mut in_math = false;
    let mut prev = ' ';
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let protect = word.chars().skip(1).any(char::is_uppercase) && !word.contains('\\');
        if protect {
            out.push('{');
            out.push_str(word);
            out.push('}');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in tex.chars() {
        if in_math {
            out.push(c);
            if c == '$' && prev != '\\' {
                in_math = false;
            }
        } else if c == '$' && prev != '\\' {
            flush(&mut word, &mut out);
            in_math = true;
            out.push(c);
        } else if matches!(c, '&' | '%' | '#' | '_') && prev != '\\' {
            word.push('\\');
            word.push(c);
        } else if c.is_whitespace() || matches!(c, ':' | ',' | ';' | '(' | ')' | '?' | '!') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
        prev = c;
    }
    flush(&mut word, &mut out);
    if in_math {
        out.push('$');
    }
    out
}

/// The URL that identifies the paper itself: DOI, else arXiv, else its PDF or publisher page,
/// else its page on this site.
fn paper_url(p: &Paper, permalink: &str) -> String {
    if let Some(doi) = &p.links.doi {
        format!("https://doi.org/{}", doi.trim())
    } else if let Some(id) = &p.links.arxiv {
        format!("https://arxiv.org/abs/{}", id.trim())
    } else {
        p.links
            .html
            .clone()
            .or_else(|| p.links.pdf.clone())
            .unwrap_or_else(|| permalink.to_string())
    }
}

/// The BibTeX entry (the paper's own `bibtex` if it has one).
pub fn bibtex(p: &Paper, key: &str, permalink: &str) -> String {
    if let Some(own) = &p.bibtex {
        return format!("{}\n", own.trim());
    }
    let entry_type = match p.kind {
        Kind::Conference => "inproceedings",
        Kind::Journal => "article",
        Kind::Preprint => "misc",
    };
    let mut authors: Vec<String> = p
        .authors
        .iter()
        .map(|a| {
            let (given, family) = split_name(&a.name);
            let family = if family.contains(' ') {
                format!("{{{}}}", bib_escape(&family))
            } else {
                bib_escape(&family)
            };
            if given.is_empty() {
                family
            } else {
                format!("{family}, {}", bib_escape(&given))
            }
        })
        .collect();
    if p.authors_truncated {
        authors.push("others".into());
    }
    let mut fields: Vec<(&str, String)> = vec![("title", bib_title(&p.title_tex))];
    if !authors.is_empty() {
        fields.push(("author", authors.join(" and ")));
    }
    match (p.kind, &p.venue) {
        (Kind::Conference, Some(v)) => fields.push(("booktitle", bib_escape(v))),
        (Kind::Journal, Some(v)) => fields.push(("journal", bib_escape(v))),
        _ => {}
    }
    if let Some(d) = p.date {
        fields.push(("year", d.year.to_string()));
        fields.push(("month", d.month_name()[..3].to_ascii_lowercase()));
    }
    if let Some(id) = &p.links.arxiv {
        fields.push(("eprint", bib_escape(id.trim())));
        fields.push(("archivePrefix", "arXiv".into()));
        if let Some(c) = p.categories.first() {
            fields.push(("primaryClass", c.arxiv.clone()));
        }
    }
    if let Some(doi) = &p.links.doi {
        fields.push(("doi", doi.trim().to_string()));
    }
    fields.push(("url", paper_url(p, permalink)));
    let mut out = format!("@{entry_type}{{{key},\n");
    for (name, value) in fields {
        // `month = aug` is a BibTeX macro, not a braced string.
        if name == "month" {
            out.push_str(&format!("  {name} = {value},\n"));
        } else {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
    }
    out.push_str("}\n");
    out
}

/// The RIS record.
pub fn ris(p: &Paper, permalink: &str) -> String {
    let ty = match p.kind {
        Kind::Conference => "CPAPER",
        Kind::Journal => "JOUR",
        Kind::Preprint => "UNPB",
    };
    let mut out = String::with_capacity(256 + p.abstract_text.len());
    // One field per line: line breaks inside a value would start a new (bogus) field.
    let mut field = |tag: &str, value: &str| {
        out.push_str(tag);
        out.push_str("  - ");
        if value.contains(['\r', '\n']) {
            out.push_str(&value.replace(['\r', '\n'], " "));
        } else {
            out.push_str(value);
        }
        out.push_str("\r\n");
    };
    field("TY", ty);
    field("TI", &p.title);
    for a in &p.authors {
        let (given, family) = split_name(&a.name);
        field("AU", &format!("{family}, {given}"));
    }
    if let Some(d) = p.date {
        field("PY", &d.year.to_string());
        field("DA", &format!("{:04}/{:02}/{:02}", d.year, d.month, d.day));
    }
    if let Some(v) = &p.venue {
        field("T2", v);
    }
    if !p.abstract_text.is_empty() {
        field("AB", &p.abstract_text);
    }
    if let Some(doi) = &p.links.doi {
        field("DO", doi.trim());
    }
    if let Some(id) = &p.links.arxiv {
        field("M1", &format!("arXiv:{}", id.trim()));
    }
    if let Some(pdf) = &p.links.pdf {
        field("L1", pdf);
    }
    field("UR", &paper_url(p, permalink));
    field("ER", "");
    out
}

/// A CSL-JSON item (serialized directly, without an intermediate JSON tree).
#[derive(Debug, Serialize)]
pub struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    author: Vec<CslName>,
    #[serde(rename = "URL")]
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(rename = "abstract", skip_serializing_if = "str::is_empty")]
    abstract_text: &'a str,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'static str>,
}

/// A CSL name.
#[derive(Debug, Serialize)]
struct CslName {
    family: String,
    given: String,
}

/// A CSL date: `{"date-parts": [[y, m, d]]}`.
#[derive(Debug, Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [[i32; 3]; 1],
}

/// The CSL-JSON item.
pub fn csl<'a>(p: &'a Paper, key: &'a str, permalink: &str) -> CslItem<'a> {
    let kind = match p.kind {
        Kind::Conference => "paper-conference",
        Kind::Journal => "article-journal",
        Kind::Preprint => "article",
    };
    CslItem {
        id: key,
        kind,
        title: &p.title,
        author: p
            .authors
            .iter()
            .map(|a| {
                let (given, family) = split_name(&a.name);
                CslName { family, given }
            })
            .collect(),
        url: paper_url(p, permalink),
        issued: p.date.map(|d| CslDate {
            date_parts: [[d.year, i32::from(d.month), i32::from(d.day)]],
        }),
        container_title: p.venue.as_deref(),
        abstract_text: &p.abstract_text,
        doi: p.links.doi.as_deref().map(str::trim),
        number: p
            .links
            .arxiv
            .as_ref()
            .map(|id| format!("arXiv:{}", id.trim())),
        publisher: p.links.arxiv.as_ref().map(|_| "arXiv"),
    }
}

/// Percent-encodes a value for an OpenURL (COinS) query string.
fn url_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The COinS `title` of a `<span class="Z3988">` (an OpenURL ContextObject).
pub fn coins(p: &Paper, permalink: &str) -> String {
    let (fmt, genre, container) = match p.kind {
        Kind::Journal => ("journal", "article", "rft.jtitle"),
        Kind::Conference => ("book", "proceeding", "rft.btitle"),
        Kind::Preprint => ("journal", "preprint", "rft.jtitle"),
    };
    let mut pairs: Vec<(&str, String)> = vec![
        ("ctx_ver", "Z39.88-2004".into()),
        ("rft_val_fmt", format!("info:ofi/fmt:kev:mtx:{fmt}")),
        ("rft.genre", genre.into()),
        ("rft.atitle", p.title.to_string()),
    ];
    if let Some(v) = &p.venue {
        pairs.push((container, v.clone()));
    }
    for a in &p.authors {
        pairs.push(("rft.au", a.name.clone()));
    }
    if let Some(d) = p.date {
        pairs.push(("rft.date", d.iso()));
    }
    if let Some(doi) = &p.links.doi {
        pairs.push(("rft_id", format!("info:doi/{}", doi.trim())));
    }
    pairs.push(("rft_id", paper_url(p, permalink)));
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// schema.org `ScholarlyArticle` JSON-LD (serialized directly).
#[derive(Debug, Serialize)]
pub struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    name: &'a str,
    author: Vec<Typed<'a>>,
    url: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "str::is_empty")]
    abstract_text: &'a str,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Typed<'a>>,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<Identifier<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

/// `{"@type": …, "name": …}`.
#[derive(Debug, Serialize)]
struct Typed<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// A DOI as a schema.org `PropertyValue`.
#[derive(Debug, Serialize)]
struct Identifier<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

/// schema.org `ScholarlyArticle` JSON-LD.
pub fn json_ld<'a>(p: &'a Paper, permalink: &'a str) -> ArticleLd<'a> {
    let same_as: Vec<String> = [
        p.links
            .doi
            .as_ref()
            .map(|d| format!("https://doi.org/{}", d.trim())),
        p.links
            .arxiv
            .as_ref()
            .map(|id| format!("https://arxiv.org/abs/{}", id.trim())),
    ]
    .into_iter()
    .flatten()
    .collect();
    let keywords: Vec<&str> = p.categories.iter().map(|c| c.name.as_str()).collect();
    ArticleLd {
        context: "https://schema.org",
        kind: "ScholarlyArticle",
        headline: &p.title,
        name: &p.title,
        author: p
            .authors
            .iter()
            .map(|a| Typed {
                kind: "Person",
                name: &a.name,
            })
            .collect(),
        url: permalink,
        main_entity_of_page: permalink,
        date_published: p.date.map(|d| d.iso()),
        abstract_text: &p.abstract_text,
        is_part_of: p.venue.as_deref().map(|v| Typed {
            kind: if p.kind == Kind::Journal {
                "Periodical"
            } else {
                "PublicationEvent"
            },
            name: v,
        }),
        same_as,
        identifier: p.links.doi.as_deref().map(|d| Identifier {
            kind: "PropertyValue",
            property_id: "DOI",
            value: d.trim(),
        }),
        keywords: (!keywords.is_empty()).then(|| keywords.join(", ")),
    }
}

/// schema.org `Person` JSON-LD of the site owner, for the home page.
pub fn person_json_ld(owner: &crate::model::Owner, url: &str, photo_url: Option<String>) -> Value {
    let l = &owner.links;
    let same_as: Vec<&String> = [
        &l.scholar,
        &l.github,
        &l.orcid,
        &l.linkedin,
        &l.x,
        &l.bluesky,
        &l.mastodon,
        &l.website,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut item = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": owner.name,
        "url": url,
    });
    let obj = item.as_object_mut().expect("a JSON object literal");
    if let Some(a) = &owner.affiliation {
        obj.insert(
            "affiliation".into(),
            json!({ "@type": "Organization", "name": a }),
        );
    }
    if let Some(p) = &owner.position {
        obj.insert("jobTitle".into(), json!(p));
    }
    if let Some(e) = &owner.email {
        obj.insert("email".into(), json!(format!("mailto:{e}")));
    }
    if let Some(photo) = photo_url {
        obj.insert("image".into(), json!(photo));
    }
    if !same_as.is_empty() {
        obj.insert("sameAs".into(), json!(same_as));
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_math_and_protect_acronyms() {
        assert_eq!(
            bib_title("An Automatic and Efficient BERT Pruning for Edge AI Systems"),
            "An Automatic and Efficient {BERT} Pruning for Edge {AI} Systems"
        );
        assert_eq!(
            bib_title("Attention in $O(n \\log n)$ & 50% less"),
            "Attention in $O(n \\log n)$ \\& 50\\% less"
        );
        assert_eq!(
            bib_title("AutoReP: Automatic ReLU"),
            "{AutoReP}: Automatic {ReLU}"
        );
    }

    #[test]
    fn encodes_urls() {
        assert_eq!(url_encode("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
