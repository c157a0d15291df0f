//! `scholarsite init DIR`: a new site that builds at once, with the built-in default theme:
//! either a sample (a small profile and one sample paper) or, with `--profile FILE`, the
//! user's own profile, with the site's title, description and author taken from it, or, with
//! `--from FILE`, a bibliography file and no profile at all.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::name::Name;
use crate::base::text::toml_string;
use crate::load::categories::Resolver;
use crate::load::profile::{self, Profile};

/// Where the profile goes in a new site.
const PROFILE: &str = "seeds/profile.txt";
/// The sample paper's file.
const SAMPLE_PAPER: &str = "content/papers/sparse-attention-in-o-n-log-n-time.md";

/// The files every new site gets: path, content (`__TODAY__`, `__VERSION__`, `__REPOSITORY__`,
/// `__IDENTITY__` and `__AUTHOR__` are filled in).
const FILES: &[(&str, &str)] = &[
    ("config.toml", include_str!("scaffold/config.toml")),
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("scaffold/pages.yml"),
    ),
];

/// The sample's files, written when no profile is given.
const SAMPLE: &[(&str, &str)] = &[
    (PROFILE, include_str!("scaffold/profile.txt")),
    ("content/_index.md", include_str!("scaffold/_index.md")),
    (SAMPLE_PAPER, include_str!("scaffold/paper.md")),
];

/// What `scholarsite init` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The folder to create the site in.
    pub dir: &'a Path,
    /// Write into a folder that is not empty.
    pub force: bool,
    /// The user's scraped profile, to start from instead of the sample.
    pub profile: Option<&'a Path>,
    /// A bibliography file to start from instead of a profile.
    pub from: Option<&'a Path>,
}

/// Creates the site; refuses a non-empty folder unless `force`, and a profile that does not
/// parse (before writing anything). Returns a message saying what to do next, and warnings
/// about the profile.
pub fn init(options: &Options) -> Result<(String, Vec<Diagnostic>)> {
    let dir = options.dir;
    if dir.is_file() {
        return Err(Diagnostic::error(format!("`{}` is a file", dir.display()))
            .hint("choose a folder name for the new site")
            .into());
    }
    let not_empty = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if not_empty && !options.force {
        return Err(
            Diagnostic::error(format!("`{}` is not empty", dir.display()))
                .hint("choose a new folder, or pass --force to write into this one")
                .into(),
        );
    }
    let today = Date::today();
    if let Some(path) = options.from {
        return from_bibliography(dir, path, today);
    }
    let own = options
        .profile
        .map(|path| own_profile(path, today))
        .transpose()?;
    let (identity, author) = match &own {
        Some(own) => (
            format!(
                "title = {}\ndescription = {}",
                toml_string(&own.name),
                toml_string(&description(&own.name, &own.profile))
            ),
            format!("name = {}", toml_string(&own.name)),
        ),
        None => (
            "# title = \"…\"                        # default: the name in the profile\n\
             # description = \"…\"                  # for search engines"
                .to_string(),
            "# name = \"…\"                         # default: the name in the profile".to_string(),
        ),
    };
    let mut files: Vec<(&str, &str)> = FILES.to_vec();
    match &own {
        Some(own) => files.push((PROFILE, &own.text)),
        None => files.extend_from_slice(SAMPLE),
    }
    for (rel, text) in files {
        write_file(dir, rel, &fill(text, today, &identity, &author))?;
    }
    let warnings = own.as_ref().map_or(Vec::new(), |o| o.warnings.clone());
    let dir = dir.display();
    let publish = "To publish: push to GitHub and choose Settings → Pages → Source: GitHub Actions \
                   (.github/workflows/pages.yml does the rest).";
    let message = match own {
        Some(own) => format!(
            "Created a new site in {dir} for {} ({} papers, from {}).\nNext:\n  cd {dir}\n  \
             scholarsite serve        # the site at http://127.0.0.1:1111/\nThen write your \
             biography in content/_index.md, fill in [author] in config.toml, and add what the \
             profile lacks with `scholarsite new paper \"Title\"`.\n{publish}",
            own.name,
            own.profile.papers.len(),
            options
                .profile
                .map_or(String::new(), |p| p.display().to_string()),
        ),
        None => format!(
            "Created a new site in {dir}, with a sample profile and a sample paper.\nNext:\n  \
             cd {dir}\n  scholarsite serve        # the site at http://127.0.0.1:1111/\nThen paste \
             your scraped profile into {PROFILE} and delete the sample paper {SAMPLE_PAPER} \
             (or start again with `scholarsite init DIR --profile FILE`).\n{publish}"
        ),
    };
    Ok((message, warnings))
}

/// A scaffold file with its placeholders filled in.
fn fill(text: &str, today: Date, identity: &str, author: &str) -> String {
    text.replace("__TODAY__", &today.iso())
        .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
        .replace("__REPOSITORY__", env!("CARGO_PKG_REPOSITORY"))
        .replace("__IDENTITY__", identity)
        .replace("__AUTHOR__", author)
}

/// Writes `dir/rel`, making its folder.
fn write_file(dir: &Path, rel: &str, text: &str) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create the folder", parent, &e))?;
    }
    fs::write(&path, text).map_err(|e| Diagnostic::io("write", &path, &e).into())
}

/// `init --from FILE`: a site with no profile, whose papers come from a bibliography file,
/// copied in and listed under `[sources]`; the owner is its most frequent author. The file is
/// read before anything is written.
fn from_bibliography(dir: &Path, path: &Path, today: Date) -> Result<(String, Vec<Diagnostic>)> {
    let text = crate::load::source::read_text(path, path, "read the bibliography")?;
    let (file, records, warnings) = crate::load::sources::parse(path, &text)?;
    let mut counts: Vec<(String, usize)> = Vec::new();
    for name in records.iter().flat_map(|r| &r.authors) {
        let shown = Name::parse(name).display();
        match counts.iter_mut().find(|(n, _)| *n == shown) {
            Some((_, c)) => *c += 1,
            None => counts.push((shown, 1)),
        }
    }
    // The first of the most frequent (ties: the first seen).
    let owner = counts
        .iter()
        .rev()
        .max_by_key(|(_, c)| *c)
        .map_or_else(|| "Your Name".to_string(), |(n, _)| n.clone());
    let name = path
        .file_name()
        .map_or_else(|| "papers.bib".into(), |n| n.to_string_lossy().into_owned());
    let identity = format!("title = {}", toml_string(&owner));
    let author = format!("name = {}", toml_string(&owner));
    for (rel, scaffold) in FILES
        .iter()
        .chain([&("content/_index.md", include_str!("scaffold/_index.md"))])
    {
        let mut filled = fill(scaffold, today, &identity, &author);
        if *rel == "config.toml" {
            filled = with_sources(&filled, &name);
        }
        write_file(dir, rel, &filled)?;
    }
    write_file(dir, &name, &text)?;
    let message = format!(
        "Created a new site in {dir} from {name} ({entries} entries, {papers} papers; owner:          {owner}).\nNext:\n  cd {dir}\n  scholarsite serve        # the site at          http://127.0.0.1:1111/\nThen check [author] in config.toml (the owner's name is a          guess), and enrich papers in content/papers/ (`scholarsite build --explain SLUG` shows          where each field comes from).",
        dir = dir.display(),
        entries = file.entries,
        papers = records.len(),
    );
    Ok((message, warnings))
}

/// The scaffold's config.toml with `[sources]` in place of `[profile]`.
fn with_sources(config: &str, file: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in config.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            skipping = trimmed == "[profile]";
            if skipping {
                out.push_str(&format!(
                    "[sources]\n# Your publications: BibTeX, CSL-JSON, an arXiv Atom feed or an                      ORCID works export.\nfiles = [{}]\n\n",
                    toml_string(file)
                ));
            }
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A profile given with `--profile`: its text (copied as is), what it says, and the parser's
/// warnings.
struct OwnProfile {
    text: String,
    name: String,
    profile: Profile,
    warnings: Vec<Diagnostic>,
}

/// Reads and parses the user's profile; errors point into their file.
fn own_profile(path: &Path, today: Date) -> Result<OwnProfile> {
    if !path.exists() {
        return Err(
            Diagnostic::error(format!("the profile `{}` does not exist", path.display()))
                .hint(
                    "give the path of your scraped profile, e.g. --profile ~/Downloads/profile.txt",
                )
                .into(),
        );
    }
    let text = crate::load::source::read_text(path, path, "read the profile")?;
    let (profile, mut warnings) = profile::parse(&text, path, today)?;
    let name = profile
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            Diagnostic::error(format!("the profile `{}` has no name", path.display()))
                .hint("its first line should be the researcher's name")
        })?;
    let first_line = || {
        let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Location::line(
            path,
            text.lines().position(|l| l == line).map_or(1, |i| i + 1),
            line,
        )
    };
    if name.chars().count() > 100 || name.contains(['{', '}', '@', '=', '<', '>', '[', ']', '|']) {
        return Err(Diagnostic::error(format!(
            "`{name}` does not look like a researcher's name: is this a scraped profile?"
        ))
        .at(first_line())
        .hint("the profile's format is described in README.md, \"The profile\": the name, the stats, then the papers")
        .into());
    }
    if profile.papers.is_empty() {
        warnings.push(
            Diagnostic::warning("no papers were found in this profile")
                .at(Location::file(path))
                .hint("the format is described in README.md, \"The profile\"; add papers later by pasting them into seeds/profile.txt, or with `scholarsite new paper \"Title\"`"),
        );
    }
    Ok(OwnProfile {
        text,
        name,
        profile,
        warnings,
    })
}

/// `Research by Jane Doe: Machine Learning, Computer Vision, Cryptography and Security.`: the three
/// categories with the most papers (the earlier-listed first on ties).
fn description(name: &str, profile: &Profile) -> String {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, paper) in profile.papers.iter().enumerate() {
        counts.entry(&paper.category).or_insert((0, i)).0 += 1;
    }
    let mut top: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    top.sort_by_key(|&(_, (count, first))| (std::cmp::Reverse(count), first));
    let resolver = Resolver::default();
    let names: Vec<String> = top
        .iter()
        .take(3)
        .map(|(code, _)| resolver.resolve(code).name)
        .collect();
    if names.is_empty() {
        format!("The research homepage of {name}.")
    } else {
        format!("Research by {name}: {}.", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_main_categories() {
        let text = include_str!("scaffold/profile.txt");
        let as_of = Date::new(2026, 1, 1).unwrap();
        let (profile, _) = profile::parse(text, Path::new("p.txt"), as_of).unwrap();
        assert_eq!(
            description("Jane Researcher", &profile),
            "Research by Jane Researcher: Machine Learning, Computation and Language."
        );
        let empty = Profile::default();
        assert_eq!(description("X", &empty), "The research homepage of X.");
    }
}
