//! Themes: the built-in ones (compiled into the binary) < `themes/<name>/` < the site's own
//! `templates/` and `static/`.
//!
//! Theme templates are registered in Tera as `<theme>/templates/<file>` and found through a
//! fallback prefix, so that a site template `index.html` overrides the theme's, and can still
//! `{% extends "default/templates/index.html" %}` to change only one block (as in Zola).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tera::Tera;

use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::settings::{Settings, key_location, toml_error};

include!(concat!(env!("OUT_DIR"), "/embedded_themes.rs"));

/// A theme compiled into the binary.
pub struct EmbeddedTheme {
    /// The theme's name (its folder under `themes/`).
    pub name: &'static str,
    /// Its files: path relative to the theme folder, content.
    pub files: &'static [(&'static str, &'static [u8])],
}

/// Where a static file's bytes are.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// In the binary.
    Embedded(&'static [u8]),
    /// On disk.
    File(PathBuf),
}

/// A file copied to the output as is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path relative to the site root.
    pub rel: String,
    /// The bytes.
    pub bytes: Bytes,
    /// Where it comes from, for messages.
    pub shown: PathBuf,
}

/// `theme.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    description: Option<String>,
    /// The scholarsite versions the theme supports, e.g. `">=0.1, <0.2"`.
    scholarsite: Option<String>,
    #[serde(default)]
    extra: toml::Table,
    /// The background each colour setting of `[extra]` is read against, for the contrast
    /// warning (`accent = "#ffffff"`).
    #[serde(default)]
    contrast: BTreeMap<String, String>,
}

/// A loaded theme: templates compiled, static files listed.
pub struct Theme {
    /// The theme name.
    pub name: String,
    /// Compiled templates (site overrides included).
    pub tera: Tera,
    /// Static files, one per output path: the site's replace the theme's, which replace the
    /// engine's.
    pub statics: Vec<StaticFile>,
    /// `[extra]` defaults of the theme, merged under the site's `[extra]`.
    pub extra_defaults: toml::Table,
    /// The theme's own description.
    pub description: Option<String>,
    /// `[contrast]` of `theme.toml`: the background of each colour setting.
    pub contrast: BTreeMap<String, String>,
    /// Template sources by Tera name, to locate render errors.
    sources: HashMap<String, (PathBuf, String)>,
    /// The `theme = …` line of config.toml, for templates the theme lacks.
    theme_line: Location,
}

/// The files of a theme, from disk or from the binary.
struct ThemeFiles {
    files: Vec<(String, Bytes, PathBuf)>,
}

impl Theme {
    /// Loads the theme named in the settings, with the site's overrides.
    pub fn load(settings: &Settings) -> Result<Theme> {
        let name = settings.theme.clone();
        let files = theme_files(settings, &name)?;
        let prefix = format!("{name}/templates/");
        let mut tera = Tera::new();
        crate::render::filters::register(&mut tera);
        tera.set_fallback_prefixes([prefix.clone()])
            .map_err(|e| Diagnostic::error(e.to_string()))?;
        let mut sources = HashMap::new();
        let mut statics = Statics::default();
        for (rel, bytes) in ENGINE_ASSETS {
            statics.put(StaticFile {
                rel: (*rel).to_string(),
                bytes: Bytes::Embedded(bytes),
                shown: PathBuf::from(format!("<scholarsite>/assets/{rel}")),
            });
        }
        let mut theme_toml = ThemeToml::default();
        for (rel, bytes, shown) in files.files {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = read_bytes(&bytes, &shown)?;
                sources.insert(format!("{prefix}{t}"), (shown, text));
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.put(StaticFile {
                    rel: s.to_string(),
                    bytes,
                    shown,
                });
            } else if rel == "theme.toml" {
                let text = read_bytes(&bytes, &shown)?;
                theme_toml = toml::from_str(&text).map_err(|e| toml_error(&shown, &text, &e))?;
                check_version(&name, theme_toml.scholarsite.as_deref(), &shown, &text)?;
            }
        }
        let site_templates = settings.root.join("templates");
        for (rel, path) in walk_files(&site_templates)? {
            let text = crate::load::source::read_text(&path, &path, "read the template")?;
            sources.insert(rel, (path, text));
        }
        for (rel, path) in walk_files(&settings.root.join("static"))? {
            statics.put(StaticFile {
                rel,
                shown: path.clone(),
                bytes: Bytes::File(path),
            });
        }
        let added =
            tera.add_raw_templates(sources.iter().map(|(k, (_, v))| (k.as_str(), v.as_str())));
        let theme = Theme {
            name,
            tera,
            statics: statics.files,
            extra_defaults: theme_toml.extra,
            description: theme_toml.description,
            contrast: theme_toml.contrast,
            sources,
            theme_line: config_key_location(settings, "theme"),
        };
        match added {
            Ok(()) => Ok(theme),
            Err(e) => Err(theme.tera_errors(&e).into()),
        }
    }

    /// The `config.extra` keys some template reads (`extra.key` or `extra["key"]`), the
    /// site's overrides included.
    pub fn extra_keys_read(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for (_, text) in self.sources.values() {
            for (i, _) in text.match_indices("extra") {
                let rest = &text[i + "extra".len()..];
                let key = match rest.as_bytes().first() {
                    Some(b'.') => &rest[1..],
                    Some(b'[') => rest[1..].trim_start_matches(['"', '\'']),
                    _ => continue,
                };
                let end = key
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(key.len());
                if end > 0 {
                    keys.insert(key[..end].to_string());
                }
            }
        }
        keys
    }

    /// A Tera error as a diagnostic pointing into the template file (the first one, when
    /// Tera found several).
    pub fn tera_error(&self, err: &tera::Error) -> Diagnostic {
        let mut all = self.tera_errors(err);
        let more = all.len().saturating_sub(1);
        let mut first = all.swap_remove(0);
        if more > 0 {
            first.message = format!(
                "{} (and {more} more template error{})",
                first.message,
                if more == 1 { "" } else { "s" }
            );
        }
        first
    }

    /// Every problem a Tera error holds, as diagnostics pointing into the template files.
    /// Never empty.
    pub fn tera_errors(&self, err: &tera::Error) -> Vec<Diagnostic> {
        const VARIABLES: &str = "fix the template; `scholarsite build --dump-context PAGE` prints the variables a page has (docs/themes.md lists them all)";
        let d = match err.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                let syntax = matches!(err.kind(), tera::ErrorKind::SyntaxError(_));
                let span = report.span();
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                self.template_error(
                    report.message(),
                    report.filename(),
                    (span.start_line, span.start_col),
                    len,
                )
                .hint(if syntax {
                    "fix the template's syntax: `{{ value }}`, `{% tag %}`, `{# comment #}`"
                } else {
                    VARIABLES
                })
            }
            // Unknown filters, tests, functions and included templates, found when templates
            // are added: Tera gives them as text reports, `error: …\n --> name:line:col`.
            tera::ErrorKind::Msg(text) if text.starts_with("error: ") => {
                let found: Vec<Diagnostic> = text
                    .split("\n\n")
                    .filter_map(|report| self.parse_report(report))
                    .collect();
                if !found.is_empty() {
                    return found;
                }
                Diagnostic::error(format!("template error: {}", first_line(text)))
            }
            tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(format!(
                "template `{name}` not found in theme `{}` or in templates/",
                self.name
            ))
            .at(self.theme_line.clone())
            .hint(if builtin(&self.name).is_some() {
                format!("add templates/{name} to the site")
            } else {
                format!(
                    "add themes/{}/templates/{name} or templates/{name}",
                    self.name
                )
            }),
            tera::ErrorKind::MissingParent { current, parent } => {
                let d = Diagnostic::error(format!(
                    "template `{current}` extends `{parent}`, which does not exist"
                ));
                match self.sources.get(current.as_str()) {
                    Some((shown, src)) => {
                        let at = src.find(parent.as_str()).unwrap_or(0);
                        d.at(Location::at(shown, src, at, parent.len()))
                    }
                    None => d,
                }
                .hint(format!(
                    "theme templates are also reachable as `{}/templates/<name>`",
                    self.name
                ))
            }
            tera::ErrorKind::CircularExtend { tpl, .. }
            | tera::ErrorKind::CircularInclude { tpl, .. } => {
                let d =
                    Diagnostic::error(format!("template error: {}", first_line(&err.to_string())));
                match self.sources.get(tpl.as_str()) {
                    Some((shown, _)) => d.at(Location::file(shown)),
                    None => d,
                }
                .hint("a template may not extend or include itself, even through others")
            }
            _ => Diagnostic::error(format!("template error: {}", first_line(&err.to_string()))),
        };
        vec![d]
    }

    /// `message` at 1-based `line` and 0-based char `col` of the template Tera calls `name`.
    fn template_error(
        &self,
        message: &str,
        name: &str,
        (line, col): (usize, usize),
        len: usize,
    ) -> Diagnostic {
        let d = Diagnostic::error(format!("template error: {message}"));
        match self.sources.get(name) {
            Some((shown, src)) => {
                let offset = line_col_offset(src, line, col);
                d.at(Location::at(shown, src, offset, len))
            }
            None => d,
        }
    }

    /// One of Tera's text reports (`error: msg`, ` --> name:line:col`, the line, carets).
    fn parse_report(&self, report: &str) -> Option<Diagnostic> {
        let mut lines = report.lines();
        let message = lines.next()?.strip_prefix("error: ")?;
        let (rest, col) = lines
            .next()?
            .trim()
            .strip_prefix("--> ")?
            .rsplit_once(':')?;
        let (name, line) = rest.rsplit_once(':')?;
        let len = lines.last().map_or(1, |l| l.matches('^').count().max(1));
        let (line, col): (usize, usize) = (line.parse().ok()?, col.parse().ok()?);
        let hint = if message.starts_with("Unknown template") {
            "check the name: templates are found in the site's templates/, then in the theme"
        } else {
            "check the spelling: Tera 2 has its built-in filters, tests and functions, and README.md \
             (Themes) lists scholarsite's own"
        };
        Some(
            self.template_error(message, name, (line, col.saturating_sub(1)), len)
                .hint(hint),
        )
    }
}

/// The first line of a message, for errors that come with a report of their own.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text).trim()
}

/// A theme made for other scholarsite versions (`scholarsite = "…"` in its theme.toml) is an
/// error pointing at that line, rather than a page that breaks halfway through rendering.
fn check_version(name: &str, range: Option<&str>, shown: &Path, src: &str) -> Result<()> {
    let Some(range) = range else {
        return Ok(());
    };
    let at = key_location(shown, src, "scholarsite");
    let version = env!("CARGO_PKG_VERSION");
    match crate::render::compat::Range::parse(range) {
        Err(why) => Err(Diagnostic::error(format!(
            "theme `{name}` has an invalid scholarsite version range: {why}"
        ))
        .at(at)
        .hint("write a range like `scholarsite = \">=0.1, <0.2\"`")
        .into()),
        Ok(r) if !r.matches(version) => Err(Diagnostic::error(format!(
            "theme `{name}` supports scholarsite {range}, but this is scholarsite {version}"
        ))
        .at(at)
        .hint(format!(
            "use a version of the theme made for scholarsite {version}, or the scholarsite its theme.toml asks for"
        ))
        .into()),
        Ok(_) => Ok(()),
    }
}

/// Files scholarsite itself provides to every theme: the stylesheet and font for the MathML it
/// writes (`{{ config.base_path }}math/math.css`). A theme (or the site's `static/`) may ship its
/// own file of the same path to replace one.
const ENGINE_ASSETS: &[(&str, &[u8])] = &[
    (
        "math/math.css",
        include_bytes!("../../assets/math/math.css"),
    ),
    (
        "math/font/latinmodern-math.woff2",
        include_bytes!("../../assets/math/font/latinmodern-math.woff2"),
    ),
    (
        "math/font/README.md",
        include_bytes!("../../assets/math/font/README.md"),
    ),
    (
        "math/LICENSE-pulldown-latex",
        include_bytes!("../../assets/math/LICENSE-pulldown-latex"),
    ),
];

/// Static files by output path, as they are gathered.
#[derive(Default)]
struct Statics {
    files: Vec<StaticFile>,
    index: HashMap<String, usize>,
}

impl Statics {
    /// Adds `file`, replacing one gathered earlier for the same output path (files are
    /// copied in parallel, so two for one path would race).
    fn put(&mut self, file: StaticFile) {
        match self.index.get(&file.rel) {
            Some(&i) => self.files[i] = file,
            None => {
                self.index.insert(file.rel.clone(), self.files.len());
                self.files.push(file);
            }
        }
    }
}

/// Byte offset of a 1-based line and 0-based char column.
fn line_col_offset(src: &str, line: usize, col: usize) -> usize {
    let line_start = src
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = &src[line_start.min(src.len())..];
    line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

fn read_bytes(bytes: &Bytes, shown: &Path) -> Result<String> {
    match bytes {
        Bytes::Embedded(b) => Ok(crate::load::source::decode_utf8(b, shown)?.to_string()),
        Bytes::File(path) => crate::load::source::read_text(path, shown, "read"),
    }
}

/// The theme's files: from `themes/<name>/` if the site has it, else from the binary.
fn theme_files(settings: &Settings, name: &str) -> Result<ThemeFiles> {
    let dir = settings.root.join("themes").join(name);
    if crate::base::text::is_valid_slug(name) && dir.is_dir() {
        let mut files = Vec::new();
        for (rel, path) in walk_files(&dir)? {
            files.push((rel, Bytes::File(path.clone()), path));
        }
        return Ok(ThemeFiles { files });
    }
    if let Some(t) = THEMES.iter().find(|t| t.name == name) {
        let files = t
            .files
            .iter()
            .map(|(rel, bytes)| {
                let shown = PathBuf::from(format!("<built-in theme {name}>/{rel}"));
                ((*rel).to_string(), Bytes::Embedded(bytes), shown)
            })
            .collect();
        return Ok(ThemeFiles { files });
    }
    Err(Diagnostic::error(format!("theme `{name}` does not exist"))
        .at(config_key_location(settings, "theme"))
        .hint(format!(
            "built-in themes: {}; or add the folder themes/{name}/",
            builtin_names().join(", ")
        ))
        .into())
}

/// Where `key = …` is in the site's config.toml (the file, if the key is not written).
fn config_key_location(settings: &Settings, key: &str) -> Location {
    let config = settings.root.join(crate::load::settings::CONFIG_FILE);
    let src = std::fs::read_to_string(&config).unwrap_or_default();
    key_location(&config, &src, key)
}

/// Names of the built-in themes.
pub fn builtin_names() -> Vec<&'static str> {
    THEMES.iter().map(|t| t.name).collect()
}

/// The files of a built-in theme, if it exists.
pub fn builtin(name: &str) -> Option<&'static EmbeddedTheme> {
    THEMES.iter().find(|t| t.name == name)
}

/// Every file under `dir` (missing: none), as (relative path with `/`, path), sorted, skipping
/// hidden files and editor leftovers.
fn walk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            match e.io_error() {
                Some(io) => Diagnostic::io("read", &path, io),
                None => Diagnostic::error(format!("cannot read `{}`: {e}", path.display()))
                    .hint("a symbolic link may point back to its own folder"),
            }
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        if rel
            .components()
            .any(|c| crate::load::content::is_ignored_name(&c.as_os_str().to_string_lossy()))
        {
            continue;
        }
        out.push((
            rel.to_string_lossy().replace('\\', "/"),
            entry.path().to_path_buf(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_built_in() {
        let t = builtin("default").expect("default theme embedded");
        assert!(
            t.files
                .iter()
                .any(|(rel, _)| *rel == "templates/index.html")
        );
    }

    #[test]
    fn offsets_from_line_and_column() {
        assert_eq!(line_col_offset("ab\ncdé f\n", 2, 4), 3 + 5);
        assert_eq!(line_col_offset("ab", 1, 0), 0);
    }
}
