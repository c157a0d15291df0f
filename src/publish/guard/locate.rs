//! Where a build may write: [`locate`] refuses every source of the site, the folders above
//! it and the home folder, after resolving links.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::*;
use crate::base::diag::{Diagnostic, Location, Result};
use crate::load::settings::{CONFIG_FILE, Settings, key_location};

/// What the output folder is checked against, as a message names it.
struct Source {
    path: PathBuf,
    what: String,
    /// Whether an output inside it is refused too (a folder that is read or watched as a whole).
    whole: bool,
}

/// Checks where the site would be written (see the module documentation) and returns the
/// folder, symbolic links resolved.
pub fn locate(settings: &Settings) -> Result<Target> {
    // An empty path names the current folder.
    let shown = match &settings.output_dir {
        p if p.as_os_str().is_empty() => PathBuf::from("."),
        p => p.clone(),
    };
    // As written: for config.toml, without the site folder it is joined to.
    let written = if settings.output_dir_flag {
        shown.as_path()
    } else {
        shown.strip_prefix(&settings.root).unwrap_or(&shown)
    };
    if let Some(Component::Normal(first)) = written.components().next()
        && first.to_string_lossy().starts_with('~')
    {
        return Err(unexpanded_tilde(settings, &shown, &first.to_string_lossy()).into());
    }
    let path = resolve(&shown)?;
    let root = resolve(if settings.root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &settings.root
    })?;
    let home = std::env::home_dir()
        .filter(|h| h.is_absolute())
        .and_then(|h| fs::canonicalize(h).ok());
    let sources = sources(settings, &root, home);
    let conflict = sources
        .iter()
        .find(|s| path == s.path)
        .map(|s| format!("it is {}", s.what))
        .or_else(|| {
            sources
                .iter()
                .find(|s| s.whole && path.starts_with(&s.path))
                .map(|s| format!("it is inside {}", s.what))
        })
        .or_else(|| {
            sources
                .iter()
                .find(|s| s.path.starts_with(&path))
                .map(|s| format!("it contains {}", s.what))
        });
    if let Some(why) = conflict {
        return Err(refusal(settings, &shown, &why, Some(&path)).into());
    }
    let linked = fs::symlink_metadata(&shown).is_ok_and(|m| m.file_type().is_symlink());
    let beside = match shown.parent() {
        _ if linked => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };
    Ok(Target {
        path,
        shown,
        beside,
    })
}

/// The sources of the site and the folders above them, resolved.
fn sources(settings: &Settings, root: &Path, home: Option<PathBuf>) -> Vec<Source> {
    let mut out = vec![Source {
        path: root.to_path_buf(),
        what: "the site folder".to_string(),
        whole: false,
    }];
    if let Some(home) = home {
        out.push(Source {
            path: home,
            what: "your home folder".to_string(),
            whole: false,
        });
    }
    // A source that cannot be resolved (a link to nowhere) holds nothing: its path as written.
    let resolved = |p: &Path| resolve(p).ok().or_else(|| lexical(p)).unwrap_or_default();
    for name in ["content", "templates", "static", "themes", "seeds"] {
        out.push(Source {
            path: resolved(&root.join(name)),
            what: format!(
                "the site's {name} folder `{}`",
                settings.root.join(name).display()
            ),
            whole: true,
        });
    }
    // The profile and the bibliography files: a file beside config.toml (or above it) makes
    // that folder no more a source than it already is; a folder of its own is one.
    let files = settings
        .profile
        .iter()
        .map(|p| (&p.path, &p.shown, "the profile"))
        .chain(
            settings
                .sources
                .iter()
                .map(|b| (&b.path, &b.shown, "the bibliography")),
        );
    for (path, shown, what) in files {
        let file = resolved(path);
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let own_folder = !root.starts_with(&folder);
        out.push(Source {
            what: if own_folder {
                format!("the folder of {what} `{}`", shown.display())
            } else {
                format!("{what} `{}`", shown.display())
            },
            path: if own_folder { folder } else { file },
            whole: own_folder,
        });
    }
    out
}

/// The error for an output folder that is, holds or lies inside a source.
fn refusal(settings: &Settings, shown: &Path, why: &str, real: Option<&Path>) -> Diagnostic {
    let via = real
        .filter(|r| lexical(shown).is_some_and(|l| l != *r))
        .map_or(String::new(), |r| {
            format!(" (`{}` leads to `{}`)", shown.display(), r.display())
        });
    let d = Diagnostic::error(format!(
        "`{}` cannot be the output folder: {why}{via}",
        shown.display()
    ));
    let whole = "a build replaces its output folder as a whole";
    if settings.output_dir_flag {
        return d.hint(format!(
            "{whole}: pass --output-dir a folder of its own, such as `public`"
        ));
    }
    if let Some(at) = config_location(settings) {
        return d.at(at).hint(format!(
            "{whole}: set `output_dir` to a folder of its own, such as \"public\" (the default)"
        ));
    }
    let link = if fs::symlink_metadata(shown).is_ok_and(|m| m.file_type().is_symlink()) {
        format!(", or remove the link `{}`", shown.display())
    } else {
        String::new()
    };
    d.hint(format!(
        "{whole}: set `output_dir` in {} to a folder of its own{link}",
        settings.root.join(CONFIG_FILE).display()
    ))
}

/// The error for `~/site`: a shell expands `~`, scholarsite does not.
fn unexpanded_tilde(settings: &Settings, shown: &Path, first: &str) -> Diagnostic {
    let d = Diagnostic::error(format!(
        "`{}` cannot be the output folder: scholarsite does not expand `~`, so this would be a \
         folder named `{first}` in {}",
        shown.display(),
        if settings.output_dir_flag {
            "the current folder"
        } else {
            "the site folder"
        }
    ));
    match config_location(settings) {
        Some(at) => d
            .at(at)
            .hint("write the whole path in `output_dir`, such as \"/home/jane/site\""),
        None => d.hint(
            "write the whole path, such as /home/jane/site, or leave `~` outside quotes so \
             that the shell expands it",
        ),
    }
}

/// `path` made absolute and its `.` and `..` removed, without resolving links.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in std::env::current_dir().ok()?.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// `path` made absolute with every symbolic link resolved, also when its last folders do not
/// exist yet (`..` after a folder that does not exist goes back up, as it will once the folder
/// is made).
pub(super) fn resolve(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir()
        .map_err(|e| Diagnostic::io("read the current folder", Path::new("."), &e))?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in cwd.join(path).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
                // Back up out of folders that do not exist, links count again.
                exists = exists || fs::symlink_metadata(&out).is_ok();
            }
            Component::Normal(name) => {
                out.push(name);
                if !exists {
                    continue;
                }
                match fs::symlink_metadata(&out) {
                    Ok(_) => {
                        out = fs::canonicalize(&out).map_err(|e| {
                            // Named as the user wrote it when it is the path itself.
                            let shown = match lexical(path) {
                                Some(l) if l == out => path,
                                _ => &out,
                            };
                            broken_link(&out, shown, &e)
                        })?;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(Diagnostic::io("read", &out, &e).into()),
                }
            }
        }
    }
    Ok(out)
}

/// The error for a symbolic link that leads nowhere (`shown`: the link as the user named it).
fn broken_link(link: &Path, shown: &Path, err: &io::Error) -> Diagnostic {
    match fs::read_link(link) {
        Ok(to) if err.kind() == io::ErrorKind::NotFound => Diagnostic::error(format!(
            "`{}` is a symbolic link to `{}`, which does not exist",
            shown.display(),
            to.display()
        ))
        .hint("create the folder it points to, or remove the link"),
        _ => Diagnostic::io("follow the link", shown, err),
    }
}

/// The location of `output_dir` in config.toml, when the output folder was configured there.
fn config_location(settings: &Settings) -> Option<Location> {
    if settings.output_dir_flag {
        return None;
    }
    let config = settings.root.join(CONFIG_FILE);
    let text = fs::read_to_string(&config).ok()?;
    let loc = key_location(&config, &text, "output_dir");
    (loc.line > 0).then_some(loc)
}
