//! Identifiers as bibliographies write them, in one form each: DOIs (`doi:`, `https://doi.org/`
//! prefixes dropped, lowercase) and arXiv ids (`arXiv:`, URLs and versions dropped), and what a
//! URL says about a paper.

/// The DOI in `s` (`10.1145/3508352.3549402`, `doi:10…`, `https://doi.org/10…`), as written.
/// DOIs are case-insensitive: compare them lowercased. `None` if `s` holds no DOI.
pub fn doi(s: &str) -> Option<String> {
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
pub fn arxiv(s: &str) -> Option<String> {
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
    (is_new_style(id) || is_old_style(id)).then(|| id.to_string())
}

/// The arXiv id of an arXiv DOI (`10.48550/arXiv.2208.03646`).
pub fn arxiv_of_doi(doi: &str) -> Option<String> {
    let lower = doi.trim().to_ascii_lowercase();
    let i = lower.find("10.48550/arxiv.")?;
    arxiv(&doi.trim()[i + "10.48550/arxiv.".len()..])
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

/// `YYMM.NNNN` or `YYMM.NNNNN`.
fn is_new_style(id: &str) -> bool {
    let Some((yymm, num)) = id.split_once('.') else {
        return false;
    };
    yymm.len() == 4
        && yymm.chars().all(|c| c.is_ascii_digit())
        && (4..=5).contains(&num.len())
        && num.chars().all(|c| c.is_ascii_digit())
}

/// `hep-th/9901001`, `math.AG/0601001`.
fn is_old_style(id: &str) -> bool {
    let Some((archive, num)) = id.split_once('/') else {
        return false;
    };
    !archive.is_empty()
        && archive
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '.')
        && num.len() == 7
        && num.chars().all(|c| c.is_ascii_digit())
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
        && let Some(id) = arxiv(url)
    {
        return Some(UrlKind::Arxiv(id));
    }
    if lower.contains("doi.org/")
        && let Some(d) = doi(url)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_in_one_form() {
        assert_eq!(
            doi("10.1145/3508352.3549402").as_deref(),
            Some("10.1145/3508352.3549402")
        );
        assert_eq!(
            doi("https://doi.org/10.1109/TC.2022.ABC").as_deref(),
            Some("10.1109/TC.2022.ABC")
        );
        assert_eq!(doi("doi:10.1000/xyz").as_deref(), Some("10.1000/xyz"));
        assert_eq!(
            doi("http://dx.doi.org/10.1000/xyz").as_deref(),
            Some("10.1000/xyz")
        );
        assert_eq!(doi("not a doi"), None);
        assert_eq!(doi("page 10.5 of"), None);
    }

    #[test]
    fn arxiv_ids_in_one_form() {
        assert_eq!(arxiv("2208.03646").as_deref(), Some("2208.03646"));
        assert_eq!(arxiv("arXiv:2208.03646v2").as_deref(), Some("2208.03646"));
        assert_eq!(
            arxiv("https://arxiv.org/abs/2208.03646v3").as_deref(),
            Some("2208.03646")
        );
        assert_eq!(
            arxiv("http://arxiv.org/pdf/1706.03762.pdf").as_deref(),
            Some("1706.03762")
        );
        assert_eq!(
            arxiv("arXiv preprint arXiv:1810.04805").as_deref(),
            Some("1810.04805")
        );
        assert_eq!(arxiv("hep-th/9901001v1").as_deref(), Some("hep-th/9901001"));
        assert_eq!(
            arxiv("http://arxiv.org/abs/math.AG/0601001").as_deref(),
            Some("math.AG/0601001")
        );
        assert_eq!(arxiv("abs/2208.03646").as_deref(), None);
        assert_eq!(arxiv("CoRR"), None);
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
