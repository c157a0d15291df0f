//! `scholarsite new paper "Title"`: writes `content/papers/<slug>.md` with the front matter
//! README documents, named by the slug the build gives the title, so that the file enriches the
//! profile paper of that title (or, if there is none, is a new paper dated today). An existing
//! file is never overwritten.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::base::date::Date;
use crate::base::diag::{Diagnostic, Result};
use crate::base::text::{is_valid_slug, toml_string};
use crate::load::content;
use crate::load::profile::{self, ProfilePaper};
use crate::load::settings::{Overrides, Settings};
use crate::model::title_slug;
use crate::tex;

/// Writes the file for a paper titled `title` in the site at `root` (`slug` names it when
/// given); returns what was done, for the user.
pub fn paper(root: &Path, title: &str, slug: Option<&str>) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Diagnostic::error("the title is empty")
            .hint("write it in quotes: scholarsite new paper \"A Title\"")
            .into());
    }
    if title.chars().any(char::is_control) {
        return Err(Diagnostic::error(format!(
            "the title `{}` holds a control character (a line break or a tab)",
            title.escape_debug()
        ))
        .hint("write the title on one line")
        .into());
    }
    let settings = Settings::load(root, &Overrides::default())?;
    let macros = tex::Macros::new(&settings.math.macros);
    let slug = match slug {
        Some(s) if is_valid_slug(s) => s.to_string(),
        Some(s) => {
            return Err(Diagnostic::error(format!("`{s}` cannot be a slug"))
                .hint("use lowercase letters, digits, `-` and `_`, starting with a letter or digit")
                .into());
        }
        None => match title_slug(title, &macros) {
            s if s.is_empty() => {
                return Err(Diagnostic::error(format!(
                    "no file name can be made from the title `{title}`: it has no letters or digits"
                ))
                .hint("name the file with --slug, e.g. --slug my-paper")
                .into());
            }
            s => s,
        },
    };
    let dir = settings.root.join("content/papers");
    let path = dir.join(format!("{slug}.md"));
    for existing in [path.clone(), dir.join(&slug).join("index.md")] {
        if existing.exists() {
            return Err(
                Diagnostic::error(format!("`{}` already exists", existing.display()))
                    .hint("edit that file, or choose another title or --slug")
                    .into(),
            );
        }
    }
    if let Some(other) = paper_file_with_slug(&settings, &slug, &macros) {
        return Err(Diagnostic::error(format!(
            "`{}` is already the file of this paper",
            other.display()
        ))
        .hint("edit that file: two files for one paper are an error at build")
        .into());
    }
    let today = Date::today();
    let (owner, matched) = profile_match(&settings, &slug, &macros);
    let text = front_matter(
        title,
        slug_key(&slug, title, &macros),
        today,
        owner,
        matched.is_some(),
    );
    fs::create_dir_all(&dir).map_err(|e| Diagnostic::io("create the folder", &dir, &e))?;
    // `create_new`: a file that appeared since the check above is still not overwritten.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Diagnostic::io("create", &path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::io("write", &path, &e))?;
    let what = match matched {
        Some((file, paper)) => format!(
            "it enriches the profile paper “{}” ({}:{})",
            paper.title,
            file.display(),
            paper.line + 1
        ),
        None => {
            "no paper in the profile has this title, so it is a new paper dated today".to_string()
        }
    };
    Ok(format!(
        "Created {}: {what}.\nEdit its front matter and write about the paper below it.",
        path.display()
    ))
}

/// The content file that already stands for the paper of slug `slug` (by its `slug`, its
/// title, or its file name, as the build matches them), if any.
fn paper_file_with_slug(settings: &Settings, slug: &str, macros: &tex::Macros) -> Option<PathBuf> {
    let (content, _) = content::load(&settings.root).ok()?;
    content
        .papers
        .into_iter()
        .find(|file| {
            let m = &file.matter;
            let key = match (&m.slug, &m.title) {
                (Some(s), _) => s.clone(),
                (None, Some(t)) => title_slug(t, &macros.with(&m.macros)),
                (None, None) => String::new(),
            };
            key == slug || (key.is_empty() && file.shown.file_stem().is_some_and(|s| s == slug))
        })
        .map(|file| file.shown)
}

/// `slug = "…"` is needed only when the file's name does not follow from the title.
fn slug_key<'a>(slug: &'a str, title: &str, macros: &tex::Macros) -> Option<&'a str> {
    (title_slug(title, macros) != slug).then_some(slug)
}

/// The owner's name, and the profile paper whose slug is `slug`, if the site's profile loads
/// and has one (a broken profile is for `build` to report, not a reason to refuse the file).
fn profile_match<'s>(
    settings: &'s Settings,
    slug: &str,
    macros: &tex::Macros,
) -> (Option<String>, Option<(&'s Path, ProfilePaper)>) {
    let author = settings.author.name.clone();
    let Some(src) = &settings.profile else {
        return (author, None);
    };
    let Ok((profile, _)) = profile::load(&src.path, &src.shown, src.as_of) else {
        return (author, None);
    };
    let owner = author.or(profile.name);
    let paper = profile
        .papers
        .into_iter()
        .find(|p| title_slug(&p.title, macros) == slug);
    (owner, paper.map(|p| (src.shown.as_path(), p)))
}

/// The file's text. A paper that enriches a profile paper gets only its title (the profile
/// gives date and authors); a new paper gets today's date and the owner as author.
fn front_matter(
    title: &str,
    slug: Option<&str>,
    today: Date,
    owner: Option<String>,
    enriches: bool,
) -> String {
    let mut out = String::from("+++\n");
    let mut line = |text: &str, comment: &str| {
        let pad = if comment.is_empty() { "" } else { "  # " };
        out.push_str(format!("{text:<32}{pad}{comment}").trim_end());
        out.push('\n');
    };
    line(&format!("title = {}", toml_string(title)), "");
    if let Some(slug) = slug {
        line(
            &format!("slug = {}", toml_string(slug)),
            "the file's name and URL",
        );
    }
    if enriches {
        line(
            "# date, authors and abstract come from the profile; set them here to replace them.",
            "",
        );
    } else {
        line(&format!("date = {}", today.iso()), "");
        match owner {
            Some(owner) => line(
                &format!("authors = [{}]", toml_string(&owner)),
                "the full list, in order",
            ),
            None => line("# authors = [\"A. Author\", \"B. Author\"]", ""),
        }
        line(
            "# abstract = '...'",
            "TeX such as $O(n \\log n)$ is fine here",
        );
        line(
            "# categories = [\"LG\"]",
            "arXiv codes; the first is the primary one",
        );
    }
    line(
        "# venue = \"NeurIPS 2026\"",
        "also gives the kind: conference, journal, preprint",
    );
    line(
        "# selected = true",
        "listed under \"Selected publications\"",
    );
    line("# draft = true", "built only with --drafts");
    line("", "");
    line("[links]", "");
    line("# pdf = \"https://...\"", "");
    line("# code = \"https://github.com/...\"", "");
    line("# arxiv = \"2401.00001\"", "the identifier, not the URL");
    line("# doi = \"10.1145/...\"", "");
    line("+++", "");
    line(
        "Markdown shown on the paper's page: a summary, figures, $math$ and $$display math$$.",
        "",
    );
    out
}
