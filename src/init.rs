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
