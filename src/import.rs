//! `scholarsite import FILE… [--into content/papers]`: bibliography files become one Markdown
//! file per paper (front matter and the abstract), for those who prefer to edit Markdown.
//!
//! Records are merged as a build merges them (in a site, with its profile, so that a file
//! names the profile paper it enriches by `slug`). A file is written only where import may:
//! `.import.toml` in the target folder keeps a hash of every file import wrote, and
//!
//! - a file that does not exist is written;
//! - a file whose bytes still hash to what import wrote is replaced by the new version;
//! - a file the user changed (or wrote) is never rewritten: keys it lacks are added to its
//!   front matter (its own keys and text stay byte for byte), and it is no longer import's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::Name;
use crate::load::content::{self, Content, Kind, PaperMatter, split_front_matter};
use crate::load::profile;
use crate::load::settings::{CONFIG_FILE, Overrides, Settings};
use crate::load::sources::{self, Bibliography};
use crate::model::{self, Paper, SourceKind};

/// The manifest of what import wrote, in the target folder.
pub const MANIFEST: &str = ".import.toml";

/// What happened to one paper's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new file.
    Written,
    /// Import's own file, replaced by a newer version.
    Updated,
    /// Nothing new to write.
    Unchanged,
    /// The user's file: these keys were added to its front matter.
    Merged(Vec<String>),
    /// The user's file, left as it is (why).
    Kept(String),
}

/// What an import did.
#[derive(Debug)]
pub struct ImportReport {
    /// Per file (relative to the target folder), what happened.
    pub files: Vec<(String, Outcome)>,
    /// Warnings from reading the bibliographies and merging.
    pub warnings: Vec<Diagnostic>,
    /// The folder written to.
    pub into: PathBuf,
}

impl ImportReport {
    /// One line per file and a count.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let mut written = 0;
        for (name, outcome) in &self.files {
            let line = match outcome {
                Outcome::Written => {
                    written += 1;
                    format!("wrote    {name}")
                }
                Outcome::Updated => {
                    written += 1;
                    format!("updated  {name}")
                }
                Outcome::Unchanged => continue,
                Outcome::Merged(keys) => {
                    written += 1;
                    format!(
                        "merged   {name}: you changed it, so only the keys it lacked were added ({})",
                        keys.join(", ")
                    )
                }
                Outcome::Kept(why) => format!("kept     {name}: {why}"),
            };
            out.push_str(&line);
            out.push('\n');
        }
        let _ = write!(
            out,
            "Imported {} papers into {} ({written} files written)",
            self.files.len(),
            self.into.display()
        );
        out
    }
}

/// Imports `files` into `into` (default `<root>/content/papers`).
pub fn import(root: &Path, files: &[PathBuf], into: Option<&Path>) -> Result<ImportReport> {
    let in_site = root.join(CONFIG_FILE).is_file();
    let settings = if in_site {
        Settings::load(root, &Overrides::default())?
    } else {
        // Outside a site: merge with nothing else, under a placeholder owner.
        Settings::parse(
            root,
            Path::new(CONFIG_FILE),
            "base_url = \"https://example.org/\"\n[author]\nname = \"import\"\n",
            &Overrides::default(),
        )?
    };
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let mut bib = Bibliography::default();
    for path in files {
        let read = crate::load::source::read_text(path, path, "read the bibliography")
            .and_then(|text| sources::parse(path, &text));
        match read {
            Ok((file, records, w)) => {
                let index = bib.files.len();
                bib.files.push(file);
                bib.records.extend(
                    records
                        .into_iter()
                        .map(|r| sources::Record { file: index, ..r }),
                );
                warnings.extend(w);
            }
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(crate::base::diag::Error::from(errors).with_warnings(warnings));
    }
    let profile = match &settings.profile {
        Some(p) if p.path.exists() => Some(profile::load(&p.path, &p.shown, p.as_of)?.0),
        _ => None,
    };
    let (site, w, _) =
        model::assemble(&settings, profile.as_ref(), &bib, &Content::default(), None)?;
    warnings.extend(w);
    // Which paper a Markdown file of the site already enriches: import merges into that file
    // rather than write a second one for the same paper.
    let mut existing: BTreeMap<String, PathBuf> = BTreeMap::new();
    if in_site {
        let (content, _) = content::load(&settings.root)?;
        let (with_content, _, _) =
            model::assemble(&settings, profile.as_ref(), &bib, &content, None)?;
        for p in &with_content.papers {
            if let Some((_, file)) = p
                .provenance
                .sources
                .iter()
                .find(|(k, _)| *k == SourceKind::FrontMatter)
            {
                existing.insert(p.slug.clone(), PathBuf::from(file));
            }
        }
    }
    let into = into.map_or_else(|| root.join("content").join("papers"), Path::to_path_buf);
    fs::create_dir_all(&into).map_err(|e| Diagnostic::io("create the folder", &into, &e))?;
    let manifest_path = into.join(MANIFEST);
    let mut manifest = read_manifest(&manifest_path)?;
    let mut report = ImportReport {
        files: Vec::new(),
        warnings,
        into: into.clone(),
    };
    for paper in &site.papers {
        let imported = paper
            .provenance
            .sources
            .iter()
            .any(|(k, _)| *k == SourceKind::Bibliography);
        if !imported {
            continue;
        }
        let path = existing
            .remove(&paper.slug)
            .unwrap_or_else(|| into.join(format!("{}.md", paper.slug)));
        let name = path
            .strip_prefix(&into)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let text = markdown(paper);
        let outcome = place(&path, &text, manifest.get(&name).copied())?;
        match outcome {
            Outcome::Written | Outcome::Updated | Outcome::Unchanged => {
                manifest.insert(name.clone(), fnv(text.as_bytes()));
            }
            Outcome::Merged(_) | Outcome::Kept(_) => {
                manifest.remove(&name);
            }
        }
        report.files.push((name, outcome));
    }
    write_manifest(&manifest_path, &manifest)?;
    Ok(report)
}

/// Writes `text` at `path` as the rules say; `ours` is the hash import recorded for it.
fn place(path: &Path, text: &str, ours: Option<u64>) -> Result<Outcome> {
    let write = |t: &str| -> Result<()> {
        fs::write(path, t).map_err(|e| Diagnostic::io("write", path, &e).into())
    };
    let Ok(current) = fs::read(path) else {
        write(text)?;
        return Ok(Outcome::Written);
    };
    if current == text.as_bytes() {
        return Ok(Outcome::Unchanged);
    }
    if ours == Some(fnv(&current)) {
        write(text)?;
        return Ok(Outcome::Updated);
    }
    let Ok(current) = String::from_utf8(current) else {
        return Ok(Outcome::Kept("it is not UTF-8 text".into()));
    };
    match merge_into(path, &current, text) {
        Ok((merged, added)) if added.is_empty() => {
            let _ = merged;
            Ok(Outcome::Kept(
                "it already has every key import would write".into(),
            ))
        }
        Ok((merged, added)) => {
            write(&merged)?;
            Ok(Outcome::Merged(added))
        }
        Err(why) => Ok(Outcome::Kept(why)),
    }
}

/// The user's file with the front-matter keys of `ours` that it lacks added: top-level keys
/// after the opening `+++`, links under its `[links]` (or a new `[links]` at the end).
fn merge_into(
    path: &Path,
    theirs: &str,
    ours: &str,
) -> std::result::Result<(String, Vec<String>), String> {
    let unreadable = |_| "its front matter cannot be read, so nothing was added".to_string();
    let split = split_front_matter(path, theirs).map_err(unreadable)?;
    let Some(their_toml) = split.toml else {
        return Err("it has no front matter, so nothing was added".into());
    };
    let their_table: toml::Table = toml::from_str(their_toml)
        .map_err(|_| "its front matter is not valid TOML, so nothing was added".to_string())?;
    let our_toml = split_front_matter(path, ours)
        .ok()
        .and_then(|s| s.toml)
        .unwrap_or_default();
    let our_table: toml::Table = toml::from_str(our_toml).unwrap_or_default();
    let mut top = String::new();
    let mut links = String::new();
    let mut added = Vec::new();
    // The user's venue decides the kind (it is guessed from it): a kind from elsewhere would
    // change what their file says.
    let venue_only = their_table.contains_key("venue") && !their_table.contains_key("kind");
    for (key, value) in &our_table {
        match (key.as_str(), value) {
            ("kind", _) if venue_only => {}
            ("links", toml::Value::Table(ours)) => {
                let theirs = their_table.get("links");
                for (k, v) in ours {
                    let has = theirs
                        .and_then(|t| t.as_table())
                        .is_some_and(|t| t.contains_key(k));
                    if !has {
                        let _ = writeln!(links, "{k} = {v}");
                        added.push(format!("links.{k}"));
                    }
                }
            }
            (k, v) if !their_table.contains_key(k) => {
                let _ = writeln!(top, "{k} = {v}");
                added.push(k.to_string());
            }
            _ => {}
        }
    }
    let mut toml_text = their_toml.to_string();
    if !links.is_empty() {
        match their_table.get("links") {
            None => {
                if !toml_text.ends_with('\n') && !toml_text.is_empty() {
                    toml_text.push('\n');
                }
                toml_text.push_str("[links]\n");
                toml_text.push_str(&links);
            }
            Some(_) => {
                let header = toml_text
                    .lines()
                    .scan(0usize, |at, line| {
                        let start = *at;
                        *at += line.len() + 1;
                        Some((start, line))
                    })
                    .find(|(_, line)| line.trim() == "[links]");
                let Some((start, line)) = header else {
                    return Err("its links are not a `[links]` table, so nothing was added".into());
                };
                let after = (start + line.len() + 1).min(toml_text.len());
                toml_text.insert_str(after, &links);
            }
        }
    }
    let toml_text = format!("{top}{toml_text}");
    if toml::from_str::<PaperMatter>(&toml_text).is_err() {
        return Err(
            "adding the new keys would not give valid front matter, so nothing was added".into(),
        );
    }
    let before = &theirs[..split.toml_offset];
    let after = &theirs[split.toml_offset + their_toml.len()..];
    Ok((format!("{before}{toml_text}{after}"), added))
}

/// The Markdown of a paper: front matter (TeX kept, in literal strings where it can be) and
/// an empty body for the user's notes.
pub fn markdown(p: &Paper) -> String {
    let mut out = String::from("+++\n");
    // Only what the bibliography gave: the profile goes on giving the rest at build time.
    let ours = |field: &str| {
        p.provenance
            .of(field)
            .is_some_and(|(k, _)| *k == SourceKind::Bibliography)
    };
    let mut key = |k: &str, v: toml::Value| {
        let _ = writeln!(out, "{k} = {v}");
    };
    let s = |v: &str| toml::Value::String(v.to_string());
    key("title", s(&unprotect(&p.title_tex)));
    key("slug", s(&p.slug));
    if !p.authors.is_empty() && ours("authors") {
        let names = p
            .authors
            .iter()
            .map(|a| {
                s(&Name {
                    given: a.given.clone(),
                    family: a.family.clone(),
                    suffix: a.suffix.clone(),
                }
                .written())
            })
            .chain(p.authors_truncated.then(|| s("others")))
            .collect();
        key("authors", toml::Value::Array(names));
    }
    if let Some(d) = p.date.filter(|_| ours("date")) {
        let v = if d.is_full() {
            match d.iso().parse::<toml::value::Datetime>() {
                Ok(dt) => toml::Value::Datetime(dt),
                Err(_) => s(&d.iso()),
            }
        } else {
            s(&d.iso())
        };
        key("date", v);
    }
    if ours("kind") {
        let kind = match p.kind {
            Kind::Conference => "conference",
            Kind::Journal => "journal",
            Kind::Preprint => "preprint",
            Kind::Thesis => "thesis",
            Kind::Book => "book",
            Kind::Chapter => "chapter",
            Kind::Report => "report",
        };
        key("kind", s(kind));
    }
    if let Some(v) = p.venue.as_ref().filter(|_| ours("venue")) {
        key("venue", s(v));
    }
    for (name, value) in p.biblio.entries() {
        if let Some(v) = value.as_ref().filter(|_| ours(name)) {
            key(name, s(v));
        }
    }
    if !p.categories.is_empty() && ours("categories") {
        let codes = p.categories.iter().map(|c| s(&c.arxiv)).collect();
        key("categories", toml::Value::Array(codes));
    }
    if !p.abstract_tex.trim().is_empty() && ours("abstract") {
        key("abstract", s(p.abstract_tex.trim()));
    }
    let l = &p.links;
    let keep = |field: &str, v: &Option<String>| v.clone().filter(|_| ours(field));
    let links: Vec<(&str, Option<String>)> = vec![
        ("doi", keep("doi", &l.doi)),
        ("arxiv", keep("arxiv", &l.arxiv)),
        ("html", keep("url", &l.html)),
        ("pdf", keep("pdf", &l.pdf)),
    ];
    if links.iter().any(|(_, v)| v.is_some()) {
        out.push_str("[links]\n");
        for (k, v) in links {
            if let Some(v) = v {
                let _ = writeln!(out, "{k} = {}", s(&v));
            }
        }
    }
    out.push_str("+++\n");
    out
}

/// `A {Length} {Adaptive} {FPGA}` → `A Length Adaptive FPGA`: the braces BibTeX needs to keep
/// capitals are noise in front matter (the site shows titles as written). Groups holding TeX
/// (`{\"u}`, `{$x$}`) stay.
fn unprotect(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['{', '}', '\\', '$']) {
            Some(close) if after.as_bytes()[close] == b'}' && !is_argument(&rest[..open]) => {
                out.push_str(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a `{` after `before` is a command's argument (`\emph{`, `\'{`).
fn is_argument(before: &str) -> bool {
    before
        .rsplit(|c: char| c.is_whitespace() || c == '{' || c == '}')
        .next()
        .is_some_and(|word| word.contains('\\'))
}

/// FNV-1a, 64 bits: a stable hash of what import wrote (not a security measure).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `"x.md" = "0123456789abcdef"` lines, under `[written]`.
fn read_manifest(path: &Path) -> Result<BTreeMap<String, u64>> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(BTreeMap::new());
    };
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        written: BTreeMap<String, String>,
    }
    let m: Manifest = toml::from_str(&text).map_err(|e| {
        Diagnostic::error(format!(
            "the import manifest cannot be read: {}",
            e.message()
        ))
        .at(Location::file(path))
        .hint(
            "delete it: import then treats every existing file as yours and only adds missing keys",
        )
    })?;
    Ok(m.written
        .into_iter()
        .filter_map(|(k, v)| u64::from_str_radix(&v, 16).ok().map(|h| (k, h)))
        .collect())
}

fn write_manifest(path: &Path, manifest: &BTreeMap<String, u64>) -> Result<()> {
    let mut out = String::from(
        "# Written by `scholarsite import`: a hash of each file as import wrote it. A file whose\n\
         # hash no longer matches was changed by you, and import will only add keys it lacks.\n[written]\n",
    );
    for (name, hash) in manifest {
        let _ = writeln!(
            out,
            "{} = \"{hash:016x}\"",
            toml::Value::String(name.clone())
        );
    }
    fs::write(path, out).map_err(|e| Diagnostic::io("write", path, &e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_braces_are_dropped_from_titles() {
        assert_eq!(
            unprotect("A {Length} {FPGA} Co-design"),
            "A Length FPGA Co-design"
        );
        assert_eq!(
            unprotect("\\emph{Word} and Caf\\'{e}"),
            "\\emph{Word} and Caf\\'{e}"
        );
        assert_eq!(
            unprotect("{$O(n)$} and {\\\"U}ber"),
            "{$O(n)$} and {\\\"U}ber"
        );
        assert_eq!(unprotect("unclosed {brace"), "unclosed {brace");
    }
}
