//! Citations of a paper in the forms reference managers read: BibTeX, RIS, CSL-JSON, COinS
//! (for the Zotero connector on listings) and schema.org JSON-LD (for search engines). The
//! citation keys are the model's ([`crate::model::keys`]).

use serde::Serialize;
use serde_json::{Value, json};

use crate::load::content::Kind;
use crate::model::{Paper, PaperAuthor};

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

/// `1–10` → (`1`, `10`); `e1234` → (`e1234`, none).
pub fn page_range(pages: &str) -> (String, Option<String>) {
    let mut parts = pages
        .split(['-', '–', '—'])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let first = parts.next().unwrap_or_default().to_string();
    (first, parts.next_back().map(str::to_string))
}

/// `Family, Given` (`Family, Jr., Given`), braced where BibTeX would split the family name.
fn bib_name(a: &PaperAuthor) -> String {
    let family = if a.family.contains(' ') {
        format!("{{{}}}", bib_escape(&a.family))
    } else {
        bib_escape(&a.family)
    };
    match (a.given.is_empty(), a.suffix.is_empty()) {
        (true, true) => family,
        (true, false) => format!("{family}, {}, ", bib_escape(&a.suffix)),
        (false, true) => format!("{family}, {}", bib_escape(&a.given)),
        (false, false) => format!(
            "{family}, {}, {}",
            bib_escape(&a.suffix),
            bib_escape(&a.given)
        ),
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
        Kind::Thesis => "phdthesis",
        Kind::Book => "book",
        Kind::Chapter => "incollection",
        Kind::Report => "techreport",
    };
    let mut authors: Vec<String> = p.authors.iter().map(bib_name).collect();
    if p.authors_truncated {
        authors.push("others".into());
    }
    let mut fields: Vec<(&str, String)> = vec![("title", bib_title(&p.title_tex))];
    if !authors.is_empty() {
        fields.push(("author", authors.join(" and ")));
    }
    match (p.kind, &p.venue) {
        (Kind::Conference | Kind::Chapter, Some(v)) => fields.push(("booktitle", bib_escape(v))),
        (Kind::Journal, Some(v)) => fields.push(("journal", bib_escape(v))),
        (_, Some(v)) => fields.push(("howpublished", bib_escape(v))),
        _ => {}
    }
    let b = &p.biblio;
    let institution = if p.kind == Kind::Thesis {
        "school"
    } else {
        "institution"
    };
    for (name, value) in [
        ("volume", &b.volume),
        ("number", &b.number),
        ("pages", &b.pages),
        ("publisher", &b.publisher),
        (institution, &b.institution),
    ] {
        if let Some(v) = value {
            let v = if name == "pages" {
                v.replace(['–', '—'], "--")
            } else {
                v.clone()
            };
            fields.push((name, bib_escape(&v)));
        }
    }
    if let Some(d) = p.date {
        fields.push(("year", d.year.to_string()));
        if d.month != 0 {
            fields.push(("month", d.month_name()[..3].to_ascii_lowercase()));
        }
        if d.is_full() {
            fields.push(("date", d.iso()));
        }
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
        Kind::Thesis => "THES",
        Kind::Book => "BOOK",
        Kind::Chapter => "CHAP",
        Kind::Report => "RPRT",
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
        let name = match (a.given.is_empty(), a.suffix.is_empty()) {
            (_, false) => format!("{}, {}, {}", a.family, a.given, a.suffix),
            (true, true) => a.family.clone(),
            (false, true) => format!("{}, {}", a.family, a.given),
        };
        field("AU", &name);
    }
    if let Some(d) = p.date {
        field("PY", &d.year.to_string());
        let part = |n: u8| {
            if n == 0 {
                String::new()
            } else {
                format!("{n:02}")
            }
        };
        field(
            "DA",
            &format!("{:04}/{}/{}/", d.year, part(d.month), part(d.day)),
        );
    }
    if let Some(v) = &p.venue {
        field("T2", v);
    }
    let b = &p.biblio;
    if let Some(v) = &b.volume {
        field("VL", v);
    }
    if let Some(n) = &b.number {
        field("IS", n);
    }
    if let Some(pages) = &b.pages {
        let (first, last) = page_range(pages);
        field("SP", &first);
        if let Some(last) = last {
            field("EP", &last);
        }
    }
    if let Some(publisher) = b.publisher.as_ref().or(b.institution.as_ref()) {
        field("PB", publisher);
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
    author: Vec<CslName<'a>>,
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
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<&'a str>,
}

/// A CSL name.
#[derive(Debug, Serialize)]
struct CslName<'a> {
    family: &'a str,
    given: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
}

/// A CSL date: `{"date-parts": [[y, m, d]]}` (`[[y]]`, `[[y, m]]` when that is all known).
#[derive(Debug, Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

/// The CSL-JSON item.
pub fn csl<'a>(p: &'a Paper, key: &'a str, permalink: &str) -> CslItem<'a> {
    let kind = match p.kind {
        Kind::Conference => "paper-conference",
        Kind::Journal => "article-journal",
        Kind::Preprint => "article",
        Kind::Thesis => "thesis",
        Kind::Book => "book",
        Kind::Chapter => "chapter",
        Kind::Report => "report",
    };
    let b = &p.biblio;
    // Reports and theses name their institution as the publisher, and a report its number.
    let institutional = matches!(p.kind, Kind::Report | Kind::Thesis);
    let arxiv_number = p
        .links
        .arxiv
        .as_ref()
        .map(|id| format!("arXiv:{}", id.trim()));
    CslItem {
        id: key,
        kind,
        title: &p.title,
        author: p
            .authors
            .iter()
            .map(|a| CslName {
                family: &a.family,
                given: &a.given,
                suffix: &a.suffix,
            })
            .collect(),
        url: paper_url(p, permalink),
        issued: p.date.map(|d| {
            let mut parts = vec![d.year];
            parts.extend((d.month != 0).then_some(i32::from(d.month)));
            parts.extend((d.day != 0).then_some(i32::from(d.day)));
            CslDate {
                date_parts: [parts],
            }
        }),
        container_title: p.venue.as_deref(),
        abstract_text: &p.abstract_text,
        doi: p.links.doi.as_deref().map(str::trim),
        number: if institutional && b.number.is_some() {
            b.number.clone()
        } else {
            arxiv_number
        },
        publisher: if institutional {
            b.institution.as_deref().or(b.publisher.as_deref())
        } else {
            b.publisher
                .as_deref()
                .or(p.links.arxiv.as_ref().map(|_| "arXiv"))
        },
        volume: b.volume.as_deref(),
        issue: if institutional {
            None
        } else {
            b.number.as_deref()
        },
        page: b.pages.as_deref(),
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
    // (format, genre, the title's key, the venue's key)
    let (fmt, genre, title_key, container) = match p.kind {
        Kind::Journal => ("journal", "article", "rft.atitle", "rft.jtitle"),
        Kind::Conference => ("book", "proceeding", "rft.atitle", "rft.btitle"),
        Kind::Preprint => ("journal", "preprint", "rft.atitle", "rft.jtitle"),
        Kind::Chapter => ("book", "bookitem", "rft.atitle", "rft.btitle"),
        Kind::Book => ("book", "book", "rft.btitle", "rft.series"),
        Kind::Report => ("book", "report", "rft.btitle", "rft.series"),
        Kind::Thesis => ("dissertation", "", "rft.title", "rft.series"),
    };
    let mut pairs: Vec<(&str, String)> = vec![
        ("ctx_ver", "Z39.88-2004".into()),
        ("rft_val_fmt", format!("info:ofi/fmt:kev:mtx:{fmt}")),
    ];
    if !genre.is_empty() {
        pairs.push(("rft.genre", genre.into()));
    }
    pairs.push((title_key, p.title.to_string()));
    if let Some(v) = &p.venue {
        pairs.push((container, v.clone()));
    }
    let b = &p.biblio;
    for (k, v) in [
        ("rft.volume", &b.volume),
        ("rft.issue", &b.number),
        ("rft.pages", &b.pages),
        ("rft.pub", &b.publisher),
        ("rft.inst", &b.institution),
    ] {
        if let Some(v) = v {
            pairs.push((k, v.clone()));
        }
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
            kind: match p.kind {
                Kind::Journal => "Periodical",
                Kind::Chapter | Kind::Book => "Book",
                _ => "PublicationEvent",
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
    fn page_ranges() {
        assert_eq!(page_range("1–10"), ("1".into(), Some("10".into())));
        assert_eq!(page_range("12--19"), ("12".into(), Some("19".into())));
        assert_eq!(page_range("e1234"), ("e1234".into(), None));
    }

    #[test]
    fn encodes_urls() {
        assert_eq!(url_encode("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}
