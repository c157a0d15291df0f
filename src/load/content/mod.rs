//! `content/` → papers, pages and assets, each Markdown file split into TOML front matter
//! (between `+++` lines) and a body, with every error located in its file.
//!
//! - `content/papers/**/*.md`: a paper (enriching a profile paper, or a new one)
//! - `content/_index.md` (or `about.md`): the biography on the home page
//! - `content/news/**/*.md`: a news item, listed on the home page (not a page of its own)
//! - any other `content/**/*.md`: a page (`cv.md` → `/cv/`)
//! - any other file: an asset, copied to the same path

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::diag::{Diagnostic, Location, Result};
use crate::base::text::slugify;
use crate::load::source;

mod matter;

pub use matter::{
    Biblio, Document, Kind, Links, NewsFile, NewsMatter, PageMatter, PaperFile, PaperMatter, Split,
    split_front_matter,
};
use matter::{check_news, check_page, check_paper, parse_document};

/// The name of the content folder.
pub const CONTENT_DIR: &str = "content";

/// A page file, with its output path (`cv/`).
#[derive(Debug, Clone)]
pub struct PageFile {
    /// The document.
    pub doc: Document<PageMatter>,
    /// Output path relative to the site root, ending in `/`.
    pub rel: String,
}

/// A file copied as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path relative to the site root.
    pub rel: String,
    /// Where it is.
    pub path: PathBuf,
}

/// Everything in `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Paper files, sorted by path.
    pub papers: Vec<PaperFile>,
    /// The biography (`_index.md` or `about.md`).
    pub bio: Option<Document<PageMatter>>,
    /// Other pages, sorted by path.
    pub pages: Vec<PageFile>,
    /// News items, sorted by path.
    pub news: Vec<NewsFile>,
    /// Other files.
    pub assets: Vec<Asset>,
}

/// What a content file is, by its place in `content/`.
enum FileKind {
    Paper,
    Bio,
    News,
    Page(String),
    Asset(String),
}

/// Loads `<root>/content` (missing folder: empty content). All errors are collected.
pub fn load(root: &Path) -> Result<(Content, Vec<Diagnostic>)> {
    let dir = root.join(CONTENT_DIR);
    let mut content = Content::default();
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(format!(
            "`{}` is a file, but it should be the content folder",
            dir.display()
        ))
        .hint("rename the file; Markdown for papers and pages goes in the folder content/")
        .into());
    }
    if !dir.is_dir() {
        return Ok((content, Vec::new()));
    }
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Some(kind) = classify(&dir, e.path()) {
                    files.push((e.into_path(), kind));
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(walk_error(&e)),
        }
    }
    let mut warnings = Vec::new();
    let loaded: Vec<Result<Option<Loaded>>> = files
        .into_par_iter()
        .map(|(path, kind)| load_file(path, kind))
        .collect();
    for item in loaded {
        let page = match &item {
            Ok(Some(Loaded::Page(p))) => Some(&p.doc),
            Ok(Some(Loaded::Bio(b))) => Some(b),
            _ => None,
        };
        if let Some(Err(e)) = page.map(check_page) {
            errors.extend(e.diagnostics);
            continue;
        }
        match item {
            Ok(Some(Loaded::Paper(p))) => content.papers.push(*p),
            Ok(Some(Loaded::Page(p))) => content.pages.push(p),
            Ok(Some(Loaded::News(n))) => content.news.push(*n),
            Ok(Some(Loaded::Bio(b))) => match &content.bio {
                Some(first) => warnings.push(
                    Diagnostic::warning(format!(
                        "two biographies: using `{}`, ignoring this one",
                        first.shown.display()
                    ))
                    .at(Location::file(&b.shown))
                    .hint("keep only one of content/_index.md and content/about.md"),
                ),
                None => content.bio = Some(b),
            },
            Ok(Some(Loaded::Asset(a))) => content.assets.push(a),
            Ok(None) => {}
            Err(e) => errors.extend(e.diagnostics),
        }
    }
    check_page_paths(&content.pages, &mut errors);
    if errors.is_empty() {
        Ok((content, warnings))
    } else {
        Err(crate::base::diag::Error::from(errors).with_warnings(warnings))
    }
}

impl Content {
    /// Takes into account one changed, created or removed path under `<root>/content` (given as
    /// `root.join(…)`, the form `load` uses): only that file is read again. A folder, or a change
    /// that cannot be attributed to one file, reloads the whole folder.
    pub fn refresh(&mut self, root: &Path, path: &Path) -> Result<Vec<Diagnostic>> {
        let dir = root.join(CONTENT_DIR);
        let was_dir = self
            .papers
            .iter()
            .map(|p| &p.shown)
            .chain(self.pages.iter().map(|p| &p.doc.shown))
            .chain(self.news.iter().map(|n| &n.shown))
            .chain(self.assets.iter().map(|a| &a.path))
            .any(|p| p.starts_with(path) && p != path);
        if path.is_dir() || was_dir {
            let (content, warnings) = load(root)?;
            *self = content;
            return Ok(warnings);
        }
        self.papers.retain(|p| p.shown != path);
        self.pages.retain(|p| p.doc.shown != path);
        self.news.retain(|n| n.shown != path);
        self.assets.retain(|a| a.path != path);
        if self.bio.as_ref().is_some_and(|b| b.shown == path) {
            self.bio = None;
        }
        let kind = if path.is_file() {
            classify(&dir, path)
        } else {
            None
        };
        let Some(kind) = kind else {
            return Ok(Vec::new());
        };
        match load_file(path.to_path_buf(), kind)? {
            Some(Loaded::Paper(p)) => {
                let at = self.papers.partition_point(|x| x.shown < p.shown);
                self.papers.insert(at, *p);
            }
            Some(Loaded::Page(page)) => {
                let at = self.pages.partition_point(|x| x.doc.shown < page.doc.shown);
                self.pages.insert(at, page);
                let mut errors = Vec::new();
                check_page_paths(&self.pages, &mut errors);
                if !errors.is_empty() {
                    return Err(errors.into());
                }
            }
            Some(Loaded::Bio(b)) => self.bio = Some(b),
            Some(Loaded::News(n)) => {
                let at = self.news.partition_point(|x| x.shown < n.shown);
                self.news.insert(at, *n);
            }
            Some(Loaded::Asset(a)) => self.assets.push(a),
            None => {}
        }
        Ok(Vec::new())
    }
}

fn walk_error(e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(Path::new(CONTENT_DIR));
    if let Some(ancestor) = e.loop_ancestor() {
        Diagnostic::error(format!(
            "symbolic link loop: `{}` points back to `{}`",
            path.display(),
            ancestor.display()
        ))
        .at(Location::file(path))
        .hint("remove the link or point it outside its own folder")
    } else {
        match e.io_error() {
            Some(io) => Diagnostic::io("read", path, io),
            None => Diagnostic::error(format!("cannot read `{}`: {e}", path.display())),
        }
    }
}

/// Ignored files: hidden ones and editor leftovers.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn classify(dir: &Path, path: &Path) -> Option<FileKind> {
    let rel = path.strip_prefix(dir).ok()?;
    if rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let is_md = rel.extension().is_some_and(|e| e == "md");
    if !is_md {
        return Some(FileKind::Asset(rel_str));
    }
    if rel.starts_with("papers") {
        return Some(FileKind::Paper);
    }
    if rel.starts_with("news") {
        return Some(FileKind::News);
    }
    if rel_str == "_index.md" || rel_str == "about.md" {
        return Some(FileKind::Bio);
    }
    Some(FileKind::Page(page_rel(&rel_str)))
}

/// `cv.md` → `cv/`; `talks/index.md` → `talks/`; `My Talks/2024.md` → `my-talks/2024/`.
fn page_rel(rel: &str) -> String {
    let without_ext = rel.strip_suffix(".md").unwrap_or(rel);
    let mut parts: Vec<String> = without_ext.split('/').map(slugify).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("index") | Some("_index") | Some("")
    ) {
        parts.pop();
    }
    parts.retain(|p| !p.is_empty());
    let mut out = parts.join("/");
    out.push('/');
    out
}

fn check_page_paths(pages: &[PageFile], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for page in pages {
        let reserved = ["/", "papers/", "categories/", "coauthors/"];
        if reserved.contains(&page.rel.as_str()) || page.rel.starts_with("papers/") {
            errors.push(
                Diagnostic::error(format!(
                    "page would be written to `/{}`, which the site generates",
                    page.rel.trim_start_matches('/')
                ))
                .at(Location::file(&page.doc.shown))
                .hint("rename the file; papers belong in content/papers/"),
            );
        } else if let Some(first) = seen.insert(&page.rel, &page.doc.shown) {
            errors.push(
                Diagnostic::error(format!(
                    "two pages would be written to `/{}`: `{}` and this one",
                    page.rel,
                    first.display()
                ))
                .at(Location::file(&page.doc.shown))
                .hint("rename one of them"),
            );
        }
    }
}

enum Loaded {
    Paper(Box<PaperFile>),
    Page(PageFile),
    Bio(Document<PageMatter>),
    News(Box<NewsFile>),
    Asset(Asset),
}

fn load_file(path: PathBuf, kind: FileKind) -> Result<Option<Loaded>> {
    Ok(Some(match kind {
        FileKind::Asset(rel) => Loaded::Asset(Asset { rel, path }),
        FileKind::Paper => {
            let src = source::read_text(&path, &path, "read")?;
            let mut doc = parse_document::<PaperMatter>(&path, src, true)?;
            check_paper(&doc)?;
            if let Some(rel) = &doc.matter.preamble {
                let dir = path.parent().unwrap_or(Path::new(""));
                let preamble = source::read_preamble(dir, rel, || doc.key_location("preamble"))?;
                doc.matter.preamble_file = Some(preamble);
            }
            Loaded::Paper(Box::new(doc))
        }
        FileKind::Bio => {
            let src = source::read_text(&path, &path, "read")?;
            Loaded::Bio(parse_document(&path, src, false)?)
        }
        FileKind::News => {
            let src = source::read_text(&path, &path, "read")?;
            let doc = parse_document::<NewsMatter>(&path, src, false)?;
            check_news(&doc)?;
            Loaded::News(Box::new(doc))
        }
        FileKind::Page(rel) => {
            let src = source::read_text(&path, &path, "read")?;
            Loaded::Page(PageFile {
                doc: parse_document(&path, src, false)?,
                rel,
            })
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_rel("cv.md"), "cv/");
        assert_eq!(page_rel("talks/index.md"), "talks/");
        assert_eq!(page_rel("My Talks/2024.md"), "my-talks/2024/");
    }
}
