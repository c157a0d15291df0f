//! Paper identifiers as people write them: an arXiv id or a DOI, bare or as a URL.
//! `https://arxiv.org/abs/2211.16667v2`, `arXiv:2211.16667` and `2211.16667v2` are one arXiv
//! id; `https://doi.org/10.1145/3508352`, `doi:10.1145/3508352` and `10.1145/3508352` one DOI.
//! Everything downstream (links, BibTeX, RIS, Highwire tags) gets the bare identifier.

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
}
