//! Internal links by source path, as in Zola: in Markdown, `[my paper](@/papers/x.md)`,
//! `[CV](@/cv.md#talks)`, `[home](@/_index.md)` or `![plot](@/figures/plot.png)` name a file of
//! `content/`, and become the URL of what it is published as, under any base path. A link to a
//! file that is not published is an error at its line, so it cannot be deployed broken.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::base::diag::{Diagnostic, Location};
use crate::load::content::{CONTENT_DIR, Content};

/// What each file of `content/` is published as.
#[derive(Debug, Default)]
pub(super) struct SourceLinks {
    /// `papers/x.md` → `/repo/papers/<slug>/`.
    urls: HashMap<String, String>,
}

impl SourceLinks {
    /// The published files: paper files (given as (file, slug of the paper it enriches or
    /// adds)), pages, the biography (the home page) and assets.
    pub(super) fn new<'a>(
        root: &Path,
        base_path: &str,
        content: &Content,
        papers: impl IntoIterator<Item = (&'a Path, &'a str)>,
    ) -> Self {
        let dir = root.join(CONTENT_DIR);
        let key = |path: &Path| {
            path.strip_prefix(&dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        };
        let mut urls = HashMap::new();
        let mut add = |path: &Path, rel: &str| {
            if let Some(k) = key(path) {
                urls.insert(k, format!("{base_path}{rel}"));
            }
        };
        for (file, slug) in papers {
            add(file, &format!("papers/{slug}/"));
        }
        for page in &content.pages {
            add(&page.doc.shown, &page.rel);
        }
        if let Some(bio) = &content.bio {
            add(&bio.shown, "");
        }
        for asset in &content.assets {
            add(&asset.path, &asset.rel);
        }
        SourceLinks { urls }
    }

    /// A hash of the whole table, for the fingerprint of a paper whose body links by path.
    pub(super) fn digest(&self) -> u64 {
        let mut pairs: Vec<(&String, &String)> = self.urls.iter().collect();
        pairs.sort_unstable();
        let mut h = std::hash::DefaultHasher::new();
        pairs.hash(&mut h);
        h.finish()
    }

    /// `html` with every `href="@/…"` and `src="@/…"` replaced by its URL; a link to a file
    /// that is not published is an error located in `src` (the Markdown file `shown`).
    pub(super) fn resolve(
        &self,
        html: String,
        shown: &Path,
        src: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> String {
        if !html.contains("=\"@/") {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(at) = rest.find("=\"@/") {
            let start = at + 2;
            let end = rest[start..].find('"').map_or(rest.len(), |n| start + n);
            let written = &rest[start..end];
            out.push_str(&rest[..start]);
            let target = &written[2..];
            let (path, anchor) = match target.find(['#', '?']) {
                Some(i) => target.split_at(i),
                None => (target, ""),
            };
            let path = crate::base::text::percent_decode(path).unwrap_or_else(|| path.into());
            match self.urls.get(path.trim_start_matches("./")) {
                Some(url) => {
                    for c in url.chars() {
                        match c {
                            ' ' => out.push_str("%20"),
                            '"' => out.push_str("%22"),
                            '<' => out.push_str("%3C"),
                            '>' => out.push_str("%3E"),
                            '&' => out.push_str("%26"),
                            c => out.push(c),
                        }
                    }
                    out.push_str(anchor);
                }
                None => {
                    out.push('#');
                    problems.push(broken(written, &path, shown, src));
                }
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

fn broken(written: &str, path: &str, shown: &Path, src: &str) -> Diagnostic {
    let location = match src.find(written) {
        Some(offset) => Location::at(shown, src, offset, written.len()),
        None => Location::file(shown),
    };
    Diagnostic::error(format!(
        "`{written}` links to content/{path}, which is not published"
    ))
    .at(location)
    .hint(
        "`@/` links name a file of content/ by its path: a paper file (`@/papers/x.md`), a page \
         (`@/cv.md`), the biography (`@/_index.md`) or a file copied as is; check the name, and \
         that the file is not a draft",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> SourceLinks {
        let urls = [
            ("papers/x.md", "/repo/papers/sparse-x/"),
            ("cv.md", "/repo/cv/"),
            ("figures/a b.png", "/repo/figures/a b.png"),
        ];
        SourceLinks {
            urls: urls
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn links_by_path_become_urls() {
        let mut problems = Vec::new();
        let html = "<a href=\"@/papers/x.md\">x</a> <a href=\"@/cv.md#talks\">cv</a> \
                    <img src=\"@/figures/a%20b.png\" alt=\"\"> <a href=\"/papers/\">p</a>";
        let out = links().resolve(html.into(), Path::new("p.md"), "", &mut problems);
        assert_eq!(
            out,
            "<a href=\"/repo/papers/sparse-x/\">x</a> <a href=\"/repo/cv/#talks\">cv</a> \
             <img src=\"/repo/figures/a%20b.png\" alt=\"\"> <a href=\"/papers/\">p</a>"
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_broken_link_is_an_error_at_its_line() {
        let mut problems = Vec::new();
        let src = "+++\ntitle = \"t\"\n+++\nSee [it](@/papers/y.md#s).\n";
        let out = links().resolve(
            "<a href=\"@/papers/y.md#s\">it</a>".into(),
            Path::new("content/a.md"),
            src,
            &mut problems,
        );
        assert_eq!(out, "<a href=\"#\">it</a>");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().starts_with(
                "error: `@/papers/y.md#s` links to content/papers/y.md, which is not published at \
                 content/a.md:4:10"
            ),
            "{}",
            problems[0]
        );
    }
}
