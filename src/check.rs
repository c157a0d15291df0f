//! `scholarsite check`: builds the site in memory and reports what a visitor or a crawler would
//! trip over: broken internal links and anchors, missing images, TeX that did not render,
//! papers without a date or authors; with `--external`, dead external links too.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;

use crate::base::diag::{Diagnostic, Location, Result, Severity};
use crate::base::progress::Progress;
use crate::build;
use crate::load::settings::{CONFIG_FILE, Settings};
use crate::model::{INCOMPLETE_PAPER, SAMPLE_PAPER, Site, TEX_PROBLEM};
use crate::publish::output::Memory;

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Problems, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages checked.
    pub pages: usize,
    /// Links and image references checked.
    pub links: usize,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// `Checked 38 pages and 1,204 links: 0 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let warnings = self.diagnostics.len() - self.errors();
        format!(
            "Checked {} pages and {} links: {} error{}, {} warning{}",
            self.pages,
            self.links,
            self.errors(),
            if self.errors() == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        )
    }
}

/// A link or image reference found in a page.
struct Reference {
    page: String,
    url: String,
    is_image: bool,
}

/// Checks the site; errors that stop the build are returned as `Err`. Its stages are reported
/// to `progress`.
pub fn check(settings: &Settings, external: bool, progress: &Progress) -> Result<CheckReport> {
    let memory = Memory::new();
    let rendered = build::on_workers(|| build::render_into_with(settings, &memory, progress))?;
    progress.stage("checking links");
    let files = memory.into_files();
    let mut diagnostics: Vec<Diagnostic> = rendered
        .warnings
        .into_iter()
        .map(|mut d| {
            if matches!(d.code, Some(TEX_PROBLEM | INCOMPLETE_PAPER | SAMPLE_PAPER)) {
                d.severity = Severity::Error;
            }
            d
        })
        .collect();
    // Every use of an undefined macro: each formula that shows one is not fully rendered.
    diagnostics.extend(rendered.site.undefined.uses().into_iter().map(|mut d| {
        d.severity = Severity::Error;
        d
    }));

    let pages: BTreeMap<&str, Scan> = files
        .par_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel.as_str(), scan(&String::from_utf8_lossy(bytes))))
        .collect();
    let references: Vec<Reference> = pages
        .iter()
        .flat_map(|(page, scan)| {
            scan.refs.iter().map(|(url, is_image)| Reference {
                page: (*page).to_string(),
                url: url.clone(),
                is_image: *is_image,
            })
        })
        .collect();
    let sources = SourceIndex::new(settings, &rendered.site);
    let mut external_urls: BTreeSet<&str> = BTreeSet::new();
    // A broken link that a setting or a template puts on every page is one problem, not one
    // per page: grouped by URL and problem, reported once with the pages it is on.
    let mut shared: BTreeMap<(&str, String), Vec<&Reference>> = BTreeMap::new();
    for r in &references {
        match classify(settings, &r.page, &r.url) {
            Target::Internal { rel, fragment } => {
                if let Some(problem) = resolve(&files, &pages, &r.page, &rel, fragment.as_deref()) {
                    match sources.locate(&r.page, &r.url) {
                        Some(_) => diagnostics.push(reference_problem(&[r], &problem, &sources)),
                        None => shared.entry((&r.url, problem)).or_default().push(r),
                    }
                }
            }
            Target::External(url) => {
                external_urls.insert(url);
            }
            Target::Other => {}
        }
    }
    for ((_, problem), refs) in &shared {
        diagnostics.push(reference_problem(refs, problem, &sources));
    }
    if external {
        progress.stage("checking external links");
        diagnostics.extend(check_external(&external_urls, &references, &sources));
    }
    Ok(CheckReport {
        diagnostics,
        pages: pages.len(),
        links: references.len(),
    })
}

/// Where a reference points.
enum Target<'a> {
    /// A file of this site (path relative to the root, without the base path).
    Internal {
        rel: String,
        fragment: Option<String>,
    },
    /// Another site.
    External(&'a str),
    /// `mailto:`, `tel:`, `data:` … nothing to check.
    Other,
}

fn classify<'a>(settings: &Settings, page: &str, url: &'a str) -> Target<'a> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if let Some(rest) = url.strip_prefix(&settings.base_url) {
        let rest = rest.split(['#', '?']).next().unwrap_or("");
        return Target::Internal {
            rel: percent_decode(rest),
            fragment,
        };
    }
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
        return Target::External(url);
    }
    if url.contains(':') && !url.starts_with('/') {
        return Target::Other;
    }
    if path.is_empty() {
        return Target::Internal {
            rel: page.to_string(),
            fragment,
        };
    }
    if let Some(abs) = path.strip_prefix('/') {
        return match format!("/{abs}").strip_prefix(&settings.base_path) {
            Some(rel) => Target::Internal {
                rel: percent_decode(rel),
                fragment,
            },
            None => Target::Internal {
                rel: format!("../{}", percent_decode(abs)),
                fragment,
            },
        };
    }
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    Target::Internal {
        rel: normalize(&format!("{dir}/{}", percent_decode(path))),
        fragment,
    }
}

/// Resolves `a/./b/../c` to `a/c`; a path that climbs out of the site keeps a leading `../`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return format!("../{path}");
                }
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// `None` if the reference resolves, else what is wrong.
fn resolve(
    files: &BTreeMap<String, Vec<u8>>,
    pages: &BTreeMap<&str, Scan>,
    page: &str,
    rel: &str,
    fragment: Option<&str>,
) -> Option<String> {
    if rel.starts_with("../") {
        return Some("points outside the site's base path".into());
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else if files.contains_key(rel) {
        rel.to_string()
    } else {
        format!("{rel}/index.html")
    };
    if !files.contains_key(&file) {
        return Some("does not exist".into());
    }
    let target = if file == page { page } else { file.as_str() };
    match (fragment, pages.get(target)) {
        (Some(f), Some(scan)) if !f.is_empty() && !scan.ids.contains(f) => {
            Some(format!("has no anchor `#{f}`"))
        }
        _ => None,
    }
}

/// Finds where a URL is written in the Markdown sources or in config.toml, to point at the
/// line.
struct SourceIndex {
    /// Source text by page (rel path of the generated HTML).
    by_page: HashMap<String, (std::path::PathBuf, String)>,
    /// config.toml and its text: settings such as `photo` and `css` become links on every page.
    config: (std::path::PathBuf, String),
    /// The site's base path (`/repo/`), which links carry and settings do not.
    base_path: String,
}

impl SourceIndex {
    fn new(settings: &Settings, site: &Site) -> SourceIndex {
        let mut by_page = HashMap::new();
        let mut add = |page: String, file: &Path| {
            if let Ok(text) = std::fs::read_to_string(file) {
                by_page.insert(page, (file.to_path_buf(), text));
            }
        };
        for p in &site.papers {
            if p.origin.line <= 1 && p.origin.file.extension().is_some_and(|e| e == "md") {
                add(format!("{}index.html", p.rel()), &p.origin.file);
            }
        }
        for page in &site.pages {
            add(format!("{}index.html", page.rel), &page.shown);
        }
        let bio = ["_index.md", "about.md"]
            .iter()
            .map(|f| settings.root.join("content").join(f))
            .find(|p| p.is_file());
        if let Some(bio) = bio {
            add("index.html".into(), &bio);
        }
        let config = settings.root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&config).unwrap_or_default();
        SourceIndex {
            by_page,
            config: (config, text),
            base_path: settings.base_path.clone(),
        }
    }

    /// The location of `url` in config.toml, written as a setting: the URL itself, or the
    /// site file it points at (`/repo/me.jpg` from `photo = "me.jpg"`).
    fn locate_setting(&self, url: &str) -> Option<Location> {
        let (file, text) = &self.config;
        let rel = url.strip_prefix(&self.base_path).unwrap_or(url);
        [
            url.to_string(),
            format!("\"{rel}\""),
            format!("\"/{rel}\""),
            format!("\"static/{rel}\""),
        ]
        .iter()
        .filter(|needle| !needle.is_empty() && needle.as_str() != "\"\"")
        .find_map(|needle| {
            let offset = text.find(needle.as_str())?;
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            Some(Location::at(file, text, line_start, line_end - line_start))
        })
    }

    /// The location of `url` in the source of `page`, if it is written there.
    fn locate(&self, page: &str, url: &str) -> Option<Location> {
        let (file, text) = self.by_page.get(page)?;
        let offset = find_link(text, url)?;
        Some(Location::at(file, text, offset, url.len()))
    }
}

/// Where `url` is written as a link in `text`: the target of a Markdown link or image
/// (`](url`, `](<url>`), a reference definition (`[x]: url`), an autolink (`<url>`) or an HTML
/// attribute (`href="url"`, `src='url'`, `src=url`). Failing that, the first place it is
/// written whole (not as the start of a longer URL). `None` if it is not written at all.
fn find_link(text: &str, url: &str) -> Option<usize> {
    if url.is_empty() {
        return None;
    }
    let whole = |at: usize| {
        text[at + url.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>'))
    };
    let mut first = None;
    for (at, _) in text.match_indices(url).filter(|&(at, _)| whole(at)) {
        if is_link_target(&text[..at]) {
            return Some(at);
        }
        first.get_or_insert(at);
    }
    first
}

/// Whether the text before a URL makes the URL a link's target (see [`find_link`]).
fn is_link_target(before: &str) -> bool {
    let spaced = before.trim_end_matches([' ', '\t']);
    if spaced.ends_with("](") || before.ends_with("](<") || spaced.ends_with("]:") {
        return true;
    }
    if before.ends_with('<') {
        return true;
    }
    let unquoted = before
        .strip_suffix(['"', '\''])
        .unwrap_or(before)
        .trim_end();
    let Some(name) = unquoted.strip_suffix('=').map(str::trim_end) else {
        return false;
    };
    let word_start = name
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .map_or(0, |i| i + 1);
    let word = &name[word_start..];
    word_start > 0
        && [
            "href",
            "src",
            "srcset",
            "poster",
            "action",
            "data",
            "cite",
            "xlink:href",
        ]
        .iter()
        .any(|a| word.eq_ignore_ascii_case(a))
}

/// The problem of a link (or image) on one page or more (`refs`, all with the same URL).
fn reference_problem(refs: &[&Reference], problem: &str, sources: &SourceIndex) -> Diagnostic {
    let r = refs[0];
    let what = if r.is_image { "image" } else { "link" };
    let on = match refs.len() {
        1 => format!("`/{}`", r.page),
        n => format!("{n} pages (`/{}`, …)", r.page),
    };
    let d = Diagnostic::error(format!("{what} `{}` on {on} {problem}", r.url));
    if let Some(loc) = sources.locate(&r.page, &r.url) {
        return d.at(loc).hint("fix the link in this file");
    }
    match sources.locate_setting(&r.url) {
        Some(loc) => d
            .at(loc)
            .hint("this setting of config.toml names a file the site does not have"),
        None => d.hint("the link comes from a template: check the theme or your templates/"),
    }
}

/// Checks external URLs (HEAD, then GET when HEAD is refused), a few at a time.
fn check_external(
    urls: &BTreeSet<&str>,
    references: &[Reference],
    sources: &SourceIndex,
) -> Vec<Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .user_agent("scholarsite-link-check")
        .build()
        .into();
    let urls: Vec<&str> = urls.iter().copied().collect();
    let failures: Vec<(&str, String)> = urls
        .par_iter()
        .with_max_len(1)
        .filter_map(|url| {
            let status = agent.head(*url).call().map(|r| r.status().as_u16());
            let status = match status {
                Ok(s) if s == 405 || s == 403 => {
                    agent.get(*url).call().map(|r| r.status().as_u16())
                }
                other => other,
            };
            match status {
                Ok(s) if s < 400 => None,
                Ok(s) => Some((*url, format!("answers HTTP {s}"))),
                Err(e) => Some((*url, format!("cannot be reached: {e}"))),
            }
        })
        .collect();
    failures
        .into_iter()
        .filter_map(|(url, problem)| {
            let r = references.iter().find(|r| r.url == url)?;
            let mut d = reference_problem(&[r], &problem, sources);
            d.severity = Severity::Warning;
            Some(d)
        })
        .collect()
}

/// What a page contains that `check` needs: its ids, and its links and images.
#[derive(Debug, Default)]
struct Scan {
    ids: BTreeSet<String>,
    /// (url, is_image)
    refs: Vec<(String, bool)>,
}

/// Scans generated HTML for `id`/`name` attributes, `href` of `a`/`link` and `src` of
/// `img`/`script`/`source`. Our pages are well-formed, so a tag scanner is enough.
fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |i| &comment[i + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end.min(rest.len())..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let attrs = attributes(&tag[name.len()..]);
        for (key, value) in &attrs {
            match key.as_str() {
                "id" => {
                    out.ids.insert(value.clone());
                }
                "name" if name == "a" => {
                    out.ids.insert(value.clone());
                }
                "href" if matches!(name.as_str(), "a" | "link" | "area") => {
                    let rel = attrs
                        .iter()
                        .find(|(k, _)| k == "rel")
                        .map_or("", |(_, v)| v.as_str());
                    if !matches!(rel, "canonical" | "alternate") || name == "a" {
                        out.refs.push((value.clone(), false));
                    }
                }
                "src"
                    if matches!(
                        name.as_str(),
                        "img" | "script" | "source" | "video" | "audio" | "iframe"
                    ) =>
                {
                    out.refs.push((value.clone(), name == "img"));
                }
                _ => {}
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
        }
    }
    out
}

/// Index of the `>` ending a tag, skipping quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// `a="1" b='2' c=3 d` → pairs, names lowercased, values entity-decoded.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_end_matches(['>', '/']);
    loop {
        rest = rest.trim_start();
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if name_end == 0 {
            break;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], &inner[(end + 1).min(inner.len())..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining;
            crate::base::text::html_to_text(value)
        } else {
            String::new()
        };
        out.push((name, value));
    }
    out
}

/// `%xx` escapes decoded; a link that is not valid percent-encoding is taken as written.
fn percent_decode(s: &str) -> String {
    crate::base::text::percent_decode(s).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_ids_links_and_images() {
        let s = scan(
            "<h2 id=\"a\">x</h2><a href='/p/?q=1#a' class=b>y</a><!-- <a href=\"no\"> --><img src=\"i.png\" alt=\"\"><script>var a = '<a href=\"no\">';</script><link rel=\"canonical\" href=\"https://x/\">",
        );
        assert!(s.ids.contains("a"));
        assert_eq!(
            s.refs,
            vec![
                ("/p/?q=1#a".to_string(), false),
                ("i.png".to_string(), true)
            ]
        );
    }

    #[test]
    fn links_are_found_where_they_are_links_not_where_the_text_first_says_them() {
        fn at<'a>(text: &'a str, url: &str) -> Option<&'a str> {
            find_link(text, url).map(|i| &text[..i])
        }
        // The URL as prose, or inside a longer URL, comes before the link.
        let text = "See notes/ (in notes/x) and [notes/](notes/x/).\n[the notes](notes/)\n";
        assert_eq!(
            at(text, "notes/"),
            Some("See notes/ (in notes/x) and [notes/](notes/x/).\n[the notes](")
        );
        for (text, before) in [
            ("a.png, then ![a](a.png)", "a.png, then ![a]("),
            ("a.png, then ![a]( a.png \"t\")", "a.png, then ![a]( "),
            ("a.png, then ![a](<a.png>)", "a.png, then ![a](<"),
            ("a.png\n[r]: a.png", "a.png\n[r]: "),
            ("a.png <a.png>", "a.png <"),
            ("a.png <img src=\"a.png\">", "a.png <img src=\""),
            ("a.png <img SRC = 'a.png'>", "a.png <img SRC = '"),
            ("a.png <img src=a.png>", "a.png <img src="),
            (
                "a.png <a data-x=a.png href=a.png>",
                "a.png <a data-x=a.png href=",
            ),
        ] {
            assert_eq!(at(text, "a.png"), Some(before), "{text}");
        }
        // Written only as prose: the first whole occurrence; not written: none.
        assert_eq!(at("a.png.bak or a.png", "a.png"), Some("a.png.bak or "));
        assert_eq!(at("a.png.bak", "a.png"), None);
        assert_eq!(at("anything", ""), None);
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize("papers/x/../y/"), "papers/y/");
        assert_eq!(normalize("a/./b"), "a/b");
        assert_eq!(normalize("../x"), "../../x");
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("a%20b%zz"), "a%20b%zz");
    }
}
