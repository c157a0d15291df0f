//! `scholarsite init DIR`: a new site that builds at once, with the built-in default theme.

use std::fs;
use std::path::Path;

use crate::base::diag::{Diagnostic, Result};
use crate::base::name::Name;

/// The files of a new site: path, content (`__TODAY__`, `__VERSION__` and `__REPOSITORY__`
/// are filled in).
const FILES: &[(&str, &str)] = &[
    ("config.toml", include_str!("scaffold/config.toml")),
    ("seeds/profile.txt", include_str!("scaffold/profile.txt")),
    ("content/_index.md", include_str!("scaffold/_index.md")),
    (
        "content/papers/sparse-attention-in-o-n-log-n-time.md",
        include_str!("scaffold/paper.md"),
    ),
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("scaffold/pages.yml"),
    ),
];

/// Creates the site in `dir`; refuses a non-empty folder unless `force`. With `from`, a
/// bibliography file, the site has no profile: the file is copied in and listed under
/// `[sources]`, and the owner is its most frequent author. Returns a message saying what to do
/// next.
pub fn init(dir: &Path, force: bool, from: Option<&Path>) -> Result<String> {
    if dir.is_file() {
        return Err(Diagnostic::error(format!("`{}` is a file", dir.display()))
            .hint("choose a folder name for the new site")
            .into());
    }
    let not_empty = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if not_empty && !force {
        return Err(
            Diagnostic::error(format!("`{}` is not empty", dir.display()))
                .hint("choose a new folder, or pass --force to write into this one")
                .into(),
        );
    }
    // Read the bibliography before writing anything: a bad file leaves no half-made site.
    let from = match from {
        Some(path) => Some(Bibliography::read(path)?),
        None => None,
    };
    let today = today();
    for (rel, text) in FILES {
        let from_profile = *rel == "seeds/profile.txt" || rel.starts_with("content/papers/");
        if from.is_some() && from_profile {
            continue;
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
        }
        let text = text
            .replace("__TODAY__", &today)
            .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
            .replace("__REPOSITORY__", env!("CARGO_PKG_REPOSITORY"));
        let text = match (&from, *rel) {
            (Some(bib), "config.toml") => bib.config(&text),
            _ => text,
        };
        fs::write(&path, text).map_err(|e| Diagnostic::io("write", &path, &e))?;
    }
    if let Some(bib) = &from {
        let path = dir.join(&bib.name);
        fs::write(&path, &bib.text).map_err(|e| Diagnostic::io("write", &path, &e))?;
        return Ok(format!(
            "Created a new site in {dir} from {name} ({papers} entries; owner: {owner}).\nNext:\n  cd {dir}\n  scholarsite build        # writes public/\nThen check [author] in config.toml (the owner's name is a guess), and add Markdown in content/papers/ to enrich papers (`scholarsite build --explain SLUG` shows where each field comes from).",
            dir = dir.display(),
            name = bib.name,
            papers = bib.entries,
            owner = bib.owner,
        ));
    }
    Ok(format!(
        "Created a new site in {dir}.\nNext:\n  cd {dir}\n  scholarsite build        # writes public/\nThen edit config.toml, paste your scraped profile into seeds/profile.txt, and add papers in content/papers/.\nTo publish: push to GitHub and choose Settings → Pages → Source: GitHub Actions (.github/workflows/pages.yml does the rest).",
        dir = dir.display()
    ))
}

/// The bibliography a site starts from (`init --from`).
struct Bibliography {
    /// File name in the site.
    name: String,
    /// Its text.
    text: String,
    /// Entries read.
    entries: usize,
    /// The most frequent author: the owner, most likely.
    owner: String,
}

impl Bibliography {
    fn read(path: &Path) -> Result<Bibliography> {
        let text = crate::load::source::read_text(path, path, "read the bibliography")?;
        let (file, records, _) = crate::load::sources::parse(path, &text)?;
        let mut counts: Vec<(String, usize)> = Vec::new();
        for name in records.iter().flat_map(|r| &r.authors) {
            let shown = Name::parse(name).display();
            match counts.iter_mut().find(|(n, _)| *n == shown) {
                Some((_, c)) => *c += 1,
                None => counts.push((shown, 1)),
            }
        }
        // The first of the most frequent (stable for ties).
        let owner = counts
            .iter()
            .rev()
            .max_by_key(|(_, c)| *c)
            .map_or_else(|| "Your Name".to_string(), |(n, _)| n.clone());
        let name = path
            .file_name()
            .map_or_else(|| "papers.bib".into(), |n| n.to_string_lossy().into_owned());
        Ok(Bibliography {
            name,
            text,
            entries: file.entries,
            owner,
        })
    }

    /// The scaffold's config.toml without `[profile]`, with `[sources]` and the owner's name.
    fn config(&self, scaffold: &str) -> String {
        let owner = toml::Value::String(self.owner.clone());
        let files = toml::Value::Array(vec![toml::Value::String(self.name.clone())]);
        let mut out = String::new();
        let mut skipping = false;
        for line in scaffold.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                skipping = trimmed == "[profile]";
                if trimmed == "[author]" {
                    out.push_str(&format!(
                        "[sources]\n# Your publications: BibTeX, CSL-JSON, an arXiv Atom feed or an ORCID works export.\nfiles = {files}\n\n[author]\nname = {owner}\n"
                    ));
                    continue;
                }
            }
            if skipping {
                continue;
            }
            if trimmed.starts_with("title =") {
                out.push_str(&format!("title = {owner}\n"));
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
