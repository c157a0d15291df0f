//! `config.toml` + command-line flags → one validated [`Settings`].
//!
//! Raw input is deserialized strictly (unknown keys are errors with a "did you mean"), then
//! resolved into ready-to-use values: absolute paths, a normalised `base_url`, the profile date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::date::Date;
use crate::base::diag::{self, Diagnostic, Location, Result};
use crate::base::text::is_safe_url;
use crate::load::source::PreambleFile;

/// The file name of the site configuration.
pub const CONFIG_FILE: &str = "config.toml";

/// `config.toml` as written by the user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    base_url: String,
    title: Option<String>,
    description: Option<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output_dir")]
    output_dir: String,
    cname: Option<String>,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    profile: Option<ProfileSection>,
    sources: Option<SourcesSection>,
    #[serde(default)]
    author: Author,
    #[serde(default)]
    categories: BTreeMap<String, String>,
    #[serde(default)]
    math: MathSection,
    #[serde(default)]
    listings: Listings,
    #[serde(default)]
    home: Home,
    #[serde(default)]
    citations: Citations,
    #[serde(default)]
    extra: toml::Table,
}

/// `[listings]`: when a list of papers (the publications, a research area, the co-authors)
/// is split into pages.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Listings {
    /// A list of more papers than this becomes one page per year, and a year of more papers
    /// than this is split into pages of this many; 0: never split.
    #[serde(default = "default_max_per_page")]
    pub max_per_page: usize,
}

impl Default for Listings {
    fn default() -> Listings {
        Listings {
            max_per_page: default_max_per_page(),
        }
    }
}

/// `[home]`: the home page.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Home {
    /// How many of the newest papers the home page lists when the publications are split
    /// into year pages (a shorter list is shown whole).
    #[serde(default = "default_recent")]
    pub recent: usize,
}

impl Default for Home {
    fn default() -> Home {
        Home {
            recent: default_recent(),
        }
    }
}

/// `[citations]`: the citation files written beside each paper page (`cite.bib` always; the
/// site-wide `papers.bib`, `papers.ris` and `papers.json` always).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Citations {
    /// Also write `cite.ris` per paper.
    #[serde(default)]
    pub ris: bool,
    /// Also write `cite.json` (CSL-JSON) per paper.
    #[serde(default)]
    pub csl_json: bool,
}

/// `[math]`: how formulas are rendered.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MathSection {
    /// `[math.macros]`: TeX macros for every formula of the site, as KaTeX's `macros` option
    /// (`R = "\\mathbb{R}"`, arguments as `#1`).
    #[serde(default)]
    pub macros: BTreeMap<String, String>,
    /// `[math] preamble = "macros.tex"`: a file of `\newcommand` … lines for every formula of
    /// the site, relative to the site folder.
    pub preamble: Option<String>,
    /// The preamble's text, read when the settings are loaded.
    #[serde(skip)]
    pub preamble_file: Option<PreambleFile>,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_feed_limit() -> usize {
    100
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_max_per_page() -> usize {
    300
}
fn default_recent() -> usize {
    10
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileSection {
    source: String,
    as_of: toml::value::Datetime,
}

/// `[sources]`: bibliography files read beside the profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesSection {
    files: Vec<String>,
}

/// A bibliography file listed under `[sources] files`.
#[derive(Debug, Clone)]
pub struct SourcePath {
    /// Root-joined path.
    pub path: PathBuf,
    /// The same, for messages.
    pub shown: PathBuf,
}

/// The site owner, as configured under `[author]` (all optional; the profile gives the name).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// Display name; defaults to the profile's name.
    pub name: Option<String>,
    /// Other spellings of the name in author lists (`S. Huang`), for highlighting.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Photo path relative to the site (e.g. `photo.jpg` in `static/`) or a URL.
    pub photo: Option<String>,
    /// Position, e.g. `Assistant Professor`.
    pub position: Option<String>,
    /// Affiliation, e.g. `University of Connecticut`.
    pub affiliation: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Profile links.
    #[serde(default)]
    pub links: AuthorLinks,
}

/// Where else the researcher is found on the web.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorLinks {
    /// Google Scholar profile URL.
    pub scholar: Option<String>,
    /// GitHub profile URL.
    pub github: Option<String>,
    /// ORCID iD URL.
    pub orcid: Option<String>,
    /// LinkedIn profile URL.
    pub linkedin: Option<String>,
    /// X (Twitter) profile URL.
    pub x: Option<String>,
    /// Bluesky profile URL.
    pub bluesky: Option<String>,
    /// Mastodon profile URL.
    pub mastodon: Option<String>,
    /// Any other homepage.
    pub website: Option<String>,
}

/// Where the scraped profile is, and the day it was captured.
#[derive(Debug, Clone)]
pub struct ProfileSource {
    /// Absolute (or root-joined) path of the profile file.
    pub path: PathBuf,
    /// The path as written in config.toml, for messages.
    pub shown: PathBuf,
    /// The capture date: yearless dates are resolved against it, stats are "as of" it.
    pub as_of: Date,
}

/// Command-line values that override config.toml.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--output-dir`.
    pub output_dir: Option<PathBuf>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--drafts`.
    pub drafts: bool,
    /// `--force`: an output folder holding files scholarsite did not write is moved aside
    /// (kept, never deleted) instead of stopping the build.
    pub force: bool,
}

/// Everything a build needs to know, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site folder (where config.toml is).
    pub root: PathBuf,
    /// Where the site is written.
    pub output_dir: PathBuf,
    /// Whether `output_dir` came from `--output-dir` (messages then name the flag rather than
    /// the line of config.toml).
    pub output_dir_flag: bool,
    /// `--force`: see [`Overrides::force`].
    pub force: bool,
    /// Absolute site URL ending in `/`: `https://name.github.io/repo/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending in `/`: `/repo/`.
    pub base_path: String,
    /// Site title; defaults to the owner's name.
    pub title: Option<String>,
    /// Site description for search engines.
    pub description: Option<String>,
    /// `<html lang>`.
    pub language: String,
    /// Theme name.
    pub theme: String,
    /// Whether drafts are built.
    pub drafts: bool,
    /// Custom domain for GitHub Pages, written to `CNAME`.
    pub cname: Option<String>,
    /// How many papers the Atom feed holds (newest first); 0: all.
    pub feed_limit: usize,
    /// The scraped profile, if the site has one.
    pub profile: Option<ProfileSource>,
    /// Bibliography files (`[sources] files`), in precedence order.
    pub sources: Vec<SourcePath>,
    /// The owner.
    pub author: Author,
    /// Category name overrides (`LG = "ML"`).
    pub categories: BTreeMap<String, String>,
    /// Math settings (`[math]`).
    pub math: MathSection,
    /// When lists of papers are split into pages (`[listings]`).
    pub listings: Listings,
    /// The home page (`[home]`).
    pub home: Home,
    /// Per-paper citation files (`[citations]`).
    pub citations: Citations,
    /// Free values for themes, as `config.extra`.
    pub extra: toml::Table,
}

impl Settings {
    /// Reads `<root>/config.toml` and applies the command-line overrides.
    ///
    /// A leading `./` is dropped from `root`, so that messages name `seeds/profile.txt` rather
    /// than `./seeds/profile.txt` when the tool runs in the site folder.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Settings> {
        let root = root.strip_prefix(".").unwrap_or(root);
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Diagnostic::error(format!(
                "cannot read the site configuration `{}`: it does not exist",
                path.display()
            ))
            .hint("run this in a site folder, pass --root DIR, or create a site with `scholarsite init DIR`")
                .into());
        }
        // Located errors for invalid UTF-8 and control characters, as for every text file.
        let src = crate::load::source::read_text(&path, &path, "read the site configuration")?;
        Settings::parse(root, &path, &src, overrides)
    }

    /// Parses config text (`path` is used in messages).
    pub fn parse(root: &Path, path: &Path, src: &str, overrides: &Overrides) -> Result<Settings> {
        let raw: ConfigFile = toml::from_str(src).map_err(|e| toml_error(path, src, &e))?;
        check_strings(path, src)?;
        let base_url = overrides.base_url.clone().unwrap_or(raw.base_url);
        let (base_url, base_path) = normalize_base_url(&base_url).ok_or_else(|| {
            Diagnostic::error(format!("base_url `{base_url}` is not an http(s) URL"))
                .at(key_location(path, src, "base_url"))
                .hint("write the full address of the site, e.g. `https://name.github.io/` or `https://name.github.io/repo/`")
        })?;
        let profile = match raw.profile {
            Some(p) => {
                let as_of = Date::from_toml(&p.as_of).ok_or_else(|| {
                    Diagnostic::error("`as_of` must be a date like 2026-11-28")
                        .at(key_location(path, src, "as_of"))
                })?;
                Some(ProfileSource {
                    path: root.join(&p.source),
                    shown: root.join(&p.source),
                    as_of,
                })
            }
            None => None,
        };
        if let Some(c) = &raw.cname
            && !c.trim().is_empty()
            && !c
                .trim()
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
        {
            return Err(
                Diagnostic::error(format!("cname `{c}` is not a domain name"))
                    .at(key_location(path, src, "cname"))
                    .hint("write only the domain, e.g. `cname = \"www.example.org\"`")
                    .into(),
            );
        }
        check_author_urls(path, src, &raw.author)?;
        let output_dir = overrides
            .output_dir
            .clone()
            .unwrap_or_else(|| root.join(&raw.output_dir));
        let mut math = raw.math;
        if let Some(rel) = &math.preamble {
            let at = || key_location(path, src, "preamble");
            math.preamble_file = Some(crate::load::source::read_preamble(root, rel, at)?);
        }
        Ok(Settings {
            root: root.to_path_buf(),
            output_dir,
            output_dir_flag: overrides.output_dir.is_some(),
            force: overrides.force,
            base_url,
            base_path,
            title: raw.title,
            description: raw.description,
            language: raw.language,
            theme: raw.theme,
            drafts: overrides.drafts,
            feed_limit: raw.feed_limit,
            cname: raw
                .cname
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
            profile,
            sources: raw
                .sources
                .map(|s| s.files)
                .unwrap_or_default()
                .iter()
                .map(|f| SourcePath {
                    path: root.join(f),
                    shown: root.join(f),
                })
                .collect(),
            author: raw.author,
            categories: raw.categories,
            math,
            listings: raw.listings,
            home: raw.home,
            citations: raw.citations,
            extra: raw.extra,
        })
    }

    /// The absolute URL of a site path given relative to the root (`papers/x/`).
    pub fn permalink(&self, rel: &str) -> String {
        format!("{}{}", self.base_url, rel)
    }

    /// The root-relative URL of a site path given relative to the root (`/repo/papers/x/`).
    pub fn path(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel)
    }
}

/// Every string in config.toml, as every front-matter string, is refused when it holds a
/// character HTML forbids or TeX that a TOML escape ate (`"\ell"` is ESC and `ll`): it would
/// reach every page.
fn check_strings(path: &Path, src: &str) -> Result<()> {
    fn walk<'a>(value: &'a toml::Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
        match value {
            toml::Value::String(s) => out.push((key, s)),
            toml::Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            toml::Value::Table(t) => t.iter().for_each(|(k, v)| walk(v, k, out)),
            _ => {}
        }
    }
    let Ok(table) = src.parse::<toml::Table>() else {
        return Ok(());
    };
    let mut strings = Vec::new();
    table.iter().for_each(|(k, v)| walk(v, k, &mut strings));
    let errors: Vec<Diagnostic> = strings
        .into_iter()
        .filter_map(|(key, value)| {
            crate::load::source::toml_string_problem(key, value, src)
                .map(|d| d.at(key_location(path, src, key)))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// Refuses `javascript:`, `vbscript:` and `data:` URLs in `[author.links]` and `photo`: they
/// are written into `href` and `src` attributes as they are.
fn check_author_urls(path: &Path, src: &str, author: &Author) -> Result<()> {
    let l = &author.links;
    let urls = [
        ("photo", &author.photo),
        ("scholar", &l.scholar),
        ("github", &l.github),
        ("orcid", &l.orcid),
        ("linkedin", &l.linkedin),
        ("x", &l.x),
        ("bluesky", &l.bluesky),
        ("mastodon", &l.mastodon),
        ("website", &l.website),
    ];
    let errors: Vec<Diagnostic> = urls
        .iter()
        .filter(|(_, url)| url.as_deref().is_some_and(|u| !is_safe_url(u)))
        .map(|(key, _)| {
            Diagnostic::error(format!("`{key}` uses a script URL, which is refused"))
                .at(key_location(path, src, key))
                .hint("links must be http(s) addresses or site paths")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// `https://x.io/repo` → (`https://x.io/repo/`, `/repo/`); `None` if not an http(s) URL.
fn normalize_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty()
        || host.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '\\'))
        || path.contains(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '?' | '#' | '\\')
        })
    {
        return None;
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    let scheme = &url[..url.len() - rest.len()];
    Some((format!("{scheme}{host}{base_path}"), base_path))
}

/// A TOML deserialization error as a diagnostic with the span, and a suggestion for
/// unknown keys.
pub fn toml_error(path: &Path, src: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let (message, hint) = match message.strip_prefix("missing field `") {
        Some(rest) => {
            let key = rest.split('`').next().unwrap_or(rest);
            let example = match key {
                "base_url" => "base_url = \"https://name.github.io/\"".to_string(),
                "source" => "source = \"seeds/profile.txt\"".to_string(),
                "as_of" => "as_of = 2026-11-28".to_string(),
                "files" => "files = [\"papers.bib\"]".to_string(),
                _ => format!("{key} = …"),
            };
            (
                format!("missing key `{key}`"),
                Some(format!(
                    "add `{example}`: see the configuration reference in README.md"
                )),
            )
        }
        None => unknown_field_hint(&message),
    };
    let mut d = Diagnostic::error(message);
    let top_level = err.span().is_none_or(|s| s.start == 0);
    if d.message.starts_with("missing key") && top_level {
        // A key missing at the top has no line of its own: name the file.
        d = d.at(Location::file(path));
    } else if let Some(span) = err.span() {
        d = d.at(Location::at(path, src, span.start, span.end - span.start));
    } else {
        d = d.at(Location::file(path));
    }
    match hint {
        Some(h) => d.hint(h),
        None => d.hint("see the configuration reference in README.md"),
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" → ("unknown key `x`", "did you mean …").
fn unknown_field_hint(message: &str) -> (String, Option<String>) {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return (message.to_string(), None);
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return (message.to_string(), None);
    };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let hint = match diag::suggest(field, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => "remove this key".to_string(),
        None => format!(
            "known keys here: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (format!("unknown key `{field}`"), Some(hint))
}

/// Best-effort location of `key = …` in TOML source, for errors found after parsing.
pub fn key_location(path: &Path, src: &str, key: &str) -> Location {
    src.lines()
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(start, line)| {
            let indent = line.len() - line.trim_start().len();
            Location::at(path, src, start + indent, line.trim().len())
        })
        .unwrap_or_else(|| Location::file(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Settings> {
        Settings::parse(
            Path::new("site"),
            Path::new("site/config.toml"),
            src,
            &Overrides::default(),
        )
    }

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            normalize_base_url("https://x.github.io"),
            Some(("https://x.github.io/".into(), "/".into()))
        );
        assert_eq!(
            normalize_base_url("https://x.github.io/repo"),
            Some(("https://x.github.io/repo/".into(), "/repo/".into()))
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:1111/a/b/"),
            Some(("http://127.0.0.1:1111/a/b/".into(), "/a/b/".into()))
        );
        assert_eq!(normalize_base_url("/"), None);
        assert_eq!(normalize_base_url("javascript:alert(1)"), None);
        assert_eq!(normalize_base_url("https://x.io/\"><script>"), None);
    }

    #[test]
    fn reads_a_full_config() {
        let s = parse(
            "base_url = \"https://x.github.io/homepage\"\ntheme = \"classic\"\n[profile]\nsource = \"seeds/profile.txt\"\nas_of = 2026-11-28\n[author]\nemail = \"a@b.c\"\n[extra]\naccent = \"#336\"\n",
        )
        .unwrap();
        assert_eq!(s.base_path, "/homepage/");
        assert_eq!(s.path("papers/x/"), "/homepage/papers/x/");
        assert_eq!(s.permalink(""), "https://x.github.io/homepage/");
        assert_eq!(s.theme, "classic");
        let p = s.profile.unwrap();
        assert_eq!(p.as_of, Date::new(2026, 11, 28).unwrap());
        assert_eq!(p.path, Path::new("site/seeds/profile.txt"));
        assert_eq!(s.output_dir, Path::new("site/public"));
    }

    #[test]
    fn lists_home_and_citation_files_have_defaults_and_can_be_set() {
        let s = parse("base_url = \"https://x.io\"\n").unwrap();
        assert_eq!(s.listings.max_per_page, 300);
        assert_eq!(s.home.recent, 10);
        assert!(!s.citations.ris && !s.citations.csl_json);
        let s = parse(
            "base_url = \"https://x.io\"\n[listings]\nmax_per_page = 0\n[home]\nrecent = 3\n[citations]\nris = true\ncsl_json = true\n",
        )
        .unwrap();
        assert_eq!(s.listings.max_per_page, 0);
        assert_eq!(s.home.recent, 3);
        assert!(s.citations.ris && s.citations.csl_json);
        let e = parse("base_url = \"https://x.io\"\n[listings]\nper_page = 5\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `max_per_page`?"), "{e}");
    }

    #[test]
    fn reads_math_macros() {
        let s = parse("base_url = \"https://x.io\"\n[math.macros]\nR = '\\mathbb{R}'\n\"\\\\norm\" = '\\lVert #1 \\rVert'\n")
            .unwrap();
        assert_eq!(
            s.math.macros.get("R").map(String::as_str),
            Some("\\mathbb{R}")
        );
        assert_eq!(s.math.macros.len(), 2);
    }

    #[test]
    fn unknown_keys_suggest_the_right_one() {
        let e = parse("base_url = \"https://x.io\"\ntheem = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("error: unknown key `theem`"), "{e}");
        assert!(e.contains("did you mean `theme`?"), "{e}");
        let e = parse("base_url = \"https://x.io\"\ntitel = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown key `titel` at site/config.toml:2:1"),
            "{e}"
        );
        assert!(e.contains("did you mean `title`?"), "{e}");
    }

    #[test]
    fn script_urls_in_author_links_are_refused() {
        let e = parse(
            "base_url = \"https://x.io\"\n[author.links]\ngithub = \"javascript:alert(1)\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with(
                "error: `github` uses a script URL, which is refused at site/config.toml:3:1"
            ),
            "{e}"
        );
        let e =
            parse("base_url = \"https://x.io\"\n[author]\nphoto = \"data:image/svg+xml,<svg>\"\n")
                .unwrap_err()
                .to_string();
        assert!(e.contains("`photo` uses a script URL"), "{e}");
    }

    #[test]
    fn a_leading_dot_is_dropped_from_the_root() {
        let e = Settings::load(Path::new("./no-such-site"), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "error: cannot read the site configuration `no-such-site/config.toml`: it does not exist"
            ),
            "{e}"
        );
    }

    #[test]
    fn bad_base_url_points_at_its_line() {
        let e = parse("title = \"t\"\nbase_url = \"example.com\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at site/config.toml:2:1"), "{e}");
    }
}
