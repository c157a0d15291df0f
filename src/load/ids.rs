//! Paper identifiers as people write them: an arXiv id or a DOI, bare or as a URL.
//! `https://arxiv.org/abs/2211.16667v2`, `arXiv:2211.16667` and `2211.16667v2` are one arXiv
//! id; `https://doi.org/10.1145/3508352`, `doi:10.1145/3508352` and `10.1145/3508352` one DOI.
//! Everything downstream (links, BibTeX, RIS, Highwire tags) gets the bare identifier.
//! Bibliographies write identifiers inside other text (`arXiv preprint arXiv:1810.04805`):
//! [`find_doi`] and [`find_arxiv`] find them there, in one form each for comparing papers, and
//! [`url_kind`] tells what a URL says about a paper.

/// What a written identifier turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Id {
    /// A well-formed identifier (bare, whatever form it was written in).
    Ok(String),
    /// Not an identifier of that kind, as written (trimmed).
    Invalid(String),
}

/// An arXiv identifier from any of its usual forms: `2211.16667`, `2211.16667v2`,
/// `arXiv:2211.16667`, `hep-th/9901001`, `math.GT/0309136`, or an arxiv.org `abs`/`pdf`/`html`
/// URL (with or without `https://`, `www.`, a version or `.pdf`). The version is kept.
pub fn arxiv(written: &str) -> Id {
    let t = written.trim();
    let bare = strip_url(t, &["arxiv.org/abs/", "arxiv.org/pdf/", "arxiv.org/html/"])
        .map(|rest| rest.strip_suffix(".pdf").unwrap_or(rest))
        .or_else(|| strip_prefix_ci(t, "arxiv:"))
        .unwrap_or(t)
        .trim_end_matches('/');
    if is_arxiv_id(bare) {
        Id::Ok(bare.to_string())
    } else {
        Id::Invalid(t.to_string())
    }
}

/// A DOI from `10.1145/3508352`, `doi:10.1145/…`, `https://doi.org/10.1145/…`, or a
/// publisher's URL that carries it in its path (`https://dl.acm.org/doi/abs/10.1145/…`,
/// `https://link.springer.com/article/10.1007/…`). URL-escaped characters (`%2F`) are decoded.
pub fn doi(written: &str) -> Id {
    let t = written.trim();
    let bare = match strip_prefix_ci(t, "https://").or_else(|| strip_prefix_ci(t, "http://")) {
        Some(url) => doi_in_url(url),
        None => strip_prefix_ci(t, "doi:").map(str::trim_start).or(Some(t)),
    };
    let bare = bare.map(|b| crate::base::text::percent_decode(b).unwrap_or_else(|| b.to_string()));
    match bare {
        Some(b) if is_doi(&b) => Id::Ok(b),
        _ => Id::Invalid(t.to_string()),
    }
}

/// The DOI in a URL (without its scheme): from the first path segment that starts with `10.`,
/// without the query and fragment.
fn doi_in_url(url: &str) -> Option<&str> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let (_, path) = url.split_once('/')?;
    let mut offset = 0;
    for segment in path.split('/') {
        if segment.starts_with("10.") || segment.to_ascii_lowercase().starts_with("10%2e") {
            return Some(path[offset..].trim_end_matches('/'));
        }
        offset += segment.len() + 1;
    }
    None
}

/// The rest of `url` after one of the `hosts` paths, if `url` is such an address (the scheme
/// and `www.` optional).
fn strip_url<'a>(url: &'a str, hosts: &[&str]) -> Option<&'a str> {
    let rest = strip_prefix_ci(url, "https://")
        .or_else(|| strip_prefix_ci(url, "http://"))
        .unwrap_or(url);
    let rest = strip_prefix_ci(rest, "www.").unwrap_or(rest);
    hosts
        .iter()
        .find_map(|h| strip_prefix_ci(rest, h))
        .map(|r| r.split(['?', '#']).next().unwrap_or(r))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The DOI in `s` (`10.1145/3508352.3549402`, `doi:10…`, `https://doi.org/10…`), as written.
/// DOIs are case-insensitive: compare them lowercased. `None` if `s` holds no DOI.
pub fn find_doi(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let start = lower.find("10.")?;
    let rest = &lower[start..];
    let (prefix, suffix) = rest.split_once('/')?;
    let registrant = &prefix[3..];
    let valid = !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.trim().is_empty();
    let before = &lower[..start];
    let prefixed = before.is_empty()
        || before.ends_with("doi:")
        || before.ends_with("doi: ")
        || before.ends_with("doi.org/")
        || before.ends_with("doi/");
    let written = &s[start..];
    (valid && prefixed).then(|| {
        written
            .split_whitespace()
            .next()
            .unwrap_or(written)
            .to_string()
    })
}

/// The arXiv id in `s` without its version: `2208.03646`, `hep-th/9901001`, from `arXiv:…`,
/// `https://arxiv.org/abs/…v2`, `…/pdf/….pdf`. `None` if `s` holds no arXiv id.
pub fn find_arxiv(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let rest = if let Some(i) = lower.find("arxiv.org/") {
        let after = &s[i + "arxiv.org/".len()..];
        let after = after.split_once('/').map_or(after, |(_, r)| r);
        after.strip_suffix(".pdf").unwrap_or(after)
    } else if let Some(i) = lower.find("arxiv:") {
        s[i + "arxiv:".len()..].trim_start()
    } else {
        s
    };
    let id = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ']' | ')' | '}' | '?' | '#'))
        .next()
        .unwrap_or(rest);
    let id = strip_version(id);
    is_arxiv_id(id).then(|| id.to_string())
}

/// The arXiv id of an arXiv DOI (`10.48550/arXiv.2208.03646`).
pub fn arxiv_of_doi(doi: &str) -> Option<String> {
    let lower = doi.trim().to_ascii_lowercase();
    let i = lower.find("10.48550/arxiv.")?;
    find_arxiv(&doi.trim()[i + "10.48550/arxiv.".len()..])
}

/// `2208.03646v2` → `2208.03646`.
fn strip_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(i) if i > 0 && id[i + 1..].chars().all(|c| c.is_ascii_digit()) && i + 1 < id.len() => {
            &id[..i]
        }
        _ => id,
    }
}

/// What a URL is: an arXiv or DOI page (its id), a PDF, or a page about the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlKind {
    /// `https://arxiv.org/abs/…`: the id.
    Arxiv(String),
    /// `https://doi.org/…`: the DOI.
    Doi(String),
    /// A link to a PDF file.
    Pdf,
    /// Any other page.
    Page,
}

/// Classifies an http(s) URL; `None` for anything else (local files, `javascript:`).
pub fn url_kind(url: &str) -> Option<UrlKind> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.contains(char::is_whitespace)
    {
        return None;
    }
    if lower.contains("arxiv.org/")
        && let Some(id) = find_arxiv(url)
    {
        return Some(UrlKind::Arxiv(id));
    }
    if lower.contains("doi.org/")
        && let Some(d) = find_doi(url)
    {
        return Some(UrlKind::Doi(d));
    }
    let path = lower.split(['?', '#']).next().unwrap_or(&lower);
    Some(if path.ends_with(".pdf") {
        UrlKind::Pdf
    } else {
        UrlKind::Page
    })
}

/// `YYMM.NNNN(N)` with an optional `vN`, or the old `archive(.SC)/YYMMNNN` with an optional
/// `vN`.
fn is_arxiv_id(s: &str) -> bool {
    let id = match s.rsplit_once('v') {
        Some((id, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => id,
        _ => s,
    };
    if let Some((yymm, num)) = id.split_once('.')
        && yymm.len() == 4
        && yymm.bytes().all(|b| b.is_ascii_digit())
        && (4..=5).contains(&num.len())
        && num.bytes().all(|b| b.is_ascii_digit())
    {
        return true;
    }
    if let Some((archive, num)) = id.split_once('/') {
        let (name, class) = archive.split_once('.').unwrap_or((archive, ""));
        return !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && (class.is_empty() || class.bytes().all(|b| b.is_ascii_uppercase()))
            && num.len() == 7
            && num.bytes().all(|b| b.is_ascii_digit());
    }
    false
}

/// `10.<registrant>/<suffix>`: a registrant of digits (and dots), a non-empty suffix without
/// spaces.
fn is_doi(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    !registrant.is_empty()
        && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !suffix.is_empty()
        && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Id {
        Id::Ok(s.to_string())
    }

    #[test]
    fn arxiv_ids_in_every_form() {
        for written in [
            "2211.16667",
            " 2211.16667 ",
            "arXiv:2211.16667",
            "https://arxiv.org/abs/2211.16667",
            "http://arxiv.org/abs/2211.16667/",
            "arxiv.org/abs/2211.16667",
            "https://www.arxiv.org/abs/2211.16667",
            "https://arxiv.org/abs/2211.16667?context=cs",
        ] {
            assert_eq!(arxiv(written), ok("2211.16667"), "{written}");
        }
        assert_eq!(
            arxiv("https://arxiv.org/pdf/2211.16667v2.pdf"),
            ok("2211.16667v2")
        );
        assert_eq!(
            arxiv("https://arxiv.org/html/2401.01234v1"),
            ok("2401.01234v1")
        );
        assert_eq!(arxiv("0704.0001"), ok("0704.0001"));
        assert_eq!(arxiv("hep-th/9901001v3"), ok("hep-th/9901001v3"));
        assert_eq!(arxiv("math.GT/0309136"), ok("math.GT/0309136"));
        assert_eq!(
            arxiv("https://arxiv.org/abs/hep-th/9901001"),
            ok("hep-th/9901001")
        );
    }

    #[test]
    fn what_is_not_an_arxiv_id() {
        for bad in [
            "",
            "soon",
            "2211.166",
            "https://example.org/abs/2211.16667",
            "https://openreview.net/forum?id=abc",
            "10.1145/3508352",
            "HEP-TH/9901001",
        ] {
            assert_eq!(arxiv(bad), Id::Invalid(bad.trim().to_string()), "{bad}");
        }
    }

    #[test]
    fn dois_in_every_form() {
        for written in [
            "10.1145/3508352.3549402",
            "doi:10.1145/3508352.3549402",
            "DOI: 10.1145/3508352.3549402",
            "https://doi.org/10.1145/3508352.3549402",
            "http://dx.doi.org/10.1145/3508352.3549402",
            "https://doi.org/10.1145%2F3508352.3549402",
        ] {
            assert_eq!(doi(written), ok("10.1145/3508352.3549402"), "{written}");
        }
        assert_eq!(
            doi("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"),
            ok("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0")
        );
        assert_eq!(
            doi("https://dl.acm.org/doi/abs/10.1145/3508352.3549402?cid=1"),
            ok("10.1145/3508352.3549402")
        );
        assert_eq!(
            doi("https://link.springer.com/article/10.1007/s10994-021-05946-3"),
            ok("10.1007/s10994-021-05946-3")
        );
        for bad in [
            "",
            "1145/3508352",
            "10.1145",
            "10.x/y",
            "https://ieeexplore.ieee.org/document/9586268",
            "https://doi.org/",
        ] {
            assert_eq!(doi(bad), Id::Invalid(bad.to_string()), "{bad}");
        }
    }

    #[test]
    fn dois_in_one_form() {
        assert_eq!(
            find_doi("10.1145/3508352.3549402").as_deref(),
            Some("10.1145/3508352.3549402")
        );
        assert_eq!(
            find_doi("https://doi.org/10.1109/TC.2022.ABC").as_deref(),
            Some("10.1109/TC.2022.ABC")
        );
        assert_eq!(find_doi("doi:10.1000/xyz").as_deref(), Some("10.1000/xyz"));
        assert_eq!(
            find_doi("http://dx.doi.org/10.1000/xyz").as_deref(),
            Some("10.1000/xyz")
        );
        assert_eq!(find_doi("not a doi"), None);
        assert_eq!(find_doi("page 10.5 of"), None);
    }

    #[test]
    fn arxiv_ids_in_one_form() {
        assert_eq!(find_arxiv("2208.03646").as_deref(), Some("2208.03646"));
        assert_eq!(
            find_arxiv("arXiv:2208.03646v2").as_deref(),
            Some("2208.03646")
        );
        assert_eq!(
            find_arxiv("https://arxiv.org/abs/2208.03646v3").as_deref(),
            Some("2208.03646")
        );
        assert_eq!(
            find_arxiv("http://arxiv.org/pdf/1706.03762.pdf").as_deref(),
            Some("1706.03762")
        );
        assert_eq!(
            find_arxiv("arXiv preprint arXiv:1810.04805").as_deref(),
            Some("1810.04805")
        );
        assert_eq!(
            find_arxiv("hep-th/9901001v1").as_deref(),
            Some("hep-th/9901001")
        );
        assert_eq!(
            find_arxiv("http://arxiv.org/abs/math.AG/0601001").as_deref(),
            Some("math.AG/0601001")
        );
        assert_eq!(find_arxiv("abs/2208.03646").as_deref(), None);
        assert_eq!(find_arxiv("CoRR"), None);
        assert_eq!(
            arxiv_of_doi("10.48550/arXiv.2208.03646").as_deref(),
            Some("2208.03646")
        );
    }

    #[test]
    fn urls_say_what_they_are() {
        assert_eq!(
            url_kind("https://arxiv.org/abs/2208.03646"),
            Some(UrlKind::Arxiv("2208.03646".into()))
        );
        assert_eq!(
            url_kind("https://doi.org/10.1000/x"),
            Some(UrlKind::Doi("10.1000/x".into()))
        );
        assert_eq!(url_kind("https://x.org/paper.PDF?dl=1"), Some(UrlKind::Pdf));
        assert_eq!(url_kind("https://x.org/paper"), Some(UrlKind::Page));
        assert_eq!(url_kind("javascript:alert(1)"), None);
        assert_eq!(url_kind("/home/me/paper.pdf"), None);
    }
}
