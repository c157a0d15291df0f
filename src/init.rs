//! `scholarsite init DIR`: a new site that builds at once, with the built-in default theme.

use std::fs;
use std::path::Path;

use crate::base::diag::{Diagnostic, Result};

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

/// Creates the site in `dir`; refuses a non-empty folder unless `force`. Returns a message
/// saying what to do next.
pub fn init(dir: &Path, force: bool) -> Result<String> {
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
    let today = today();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
        }
        let text = text
            .replace("__TODAY__", &today)
            .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
            .replace("__REPOSITORY__", env!("CARGO_PKG_REPOSITORY"));
        fs::write(&path, text).map_err(|e| Diagnostic::io("write", &path, &e))?;
    }
    Ok(format!(
        "Created a new site in {dir}.\nNext:\n  cd {dir}\n  scholarsite build        # writes public/\nThen edit config.toml, paste your scraped profile into seeds/profile.txt, and add papers in content/papers/.\nTo publish: push to GitHub and choose Settings → Pages → Source: GitHub Actions (.github/workflows/pages.yml does the rest).",
        dir = dir.display()
    ))
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let (y, m, d, _) = crate::base::date::utc_now();
    format!("{y:04}-{m:02}-{d:02}")
}
