//! `scholarsite build --dump-context PAGE`: the template context of one page as JSON, for theme
//! authors. Builds the site in memory (nothing is written) and prints exactly what the page's
//! template sees: the site-wide `config` and `site`, and the page's own values.

use serde_json::{Map, Value as Json};

use crate::base::diag::{Diagnostic, Result};
use crate::load::settings::Settings;
use crate::render;

/// Every top-level name a context can hold: site-wide first, then per page.
pub const CONTEXT_KEYS: &[&str] = &[
    "config",
    "site",
    "page",
    "paper",
    "category",
    "content",
    "coauthors",
    "listing",
    "recent",
];

/// The context of the page at `page` (an output path: `/`, `/papers/<slug>/`, `404.html`; the
/// site's base path may be included) and the name of its template.
pub fn context(settings: &Settings, page: &str) -> Result<(String, Json)> {
    let mut loaded = crate::build::load(settings)?;
    let (global, prepared) = render::contexts(settings, &mut loaded.theme, &loaded.site)?;
    let jobs = &prepared.jobs;
    let rel = output_rel(&settings.base_path, page);
    let Some(job) = jobs.iter().find(|j| j.rel == rel) else {
        let mut known: Vec<String> = jobs.iter().map(|j| shown_path(&j.rel)).collect();
        known.sort();
        // One example per section: `/`, `/papers/<slug>/`, `/categories/<slug>/`, …
        let mut sections: Vec<&str> = Vec::new();
        let mut examples: Vec<&str> = Vec::new();
        for path in &known {
            let section = path.split('/').nth(1).unwrap_or("");
            let deep = path.ends_with('/') && path.matches('/').count() >= 3;
            if (path == "/" || deep) && !sections.contains(&section) {
                sections.push(section);
                examples.push(path);
            }
        }
        let examples = examples.join(", ");
        return Err(Diagnostic::error(format!("the site has no page `{page}`"))
            .hint(format!(
                "give an output path of a page, e.g. {examples} ({} pages in all)",
                known.len()
            ))
            .into());
    };
    let context = job.context(&prepared.model(settings, &loaded.site));
    let mut out = Map::new();
    for key in CONTEXT_KEYS {
        if let Some(v) = context.get(key).or_else(|| global.get(key)) {
            let json = serde_json::to_value(v).map_err(|e| Diagnostic::error(e.to_string()))?;
            out.insert((*key).to_string(), json);
        }
    }
    Ok((job.template.to_string(), Json::Object(out)))
}

/// `/homepage/papers/x/` (with base path `/homepage/`), `/papers/x/` or `papers/x` →
/// `papers/x/index.html`.
fn output_rel(base_path: &str, page: &str) -> String {
    let page = page.trim();
    let page = page.strip_prefix(base_path).unwrap_or(page);
    let page = page.trim_start_matches('/');
    if page.is_empty() || page.ends_with('/') {
        format!("{page}index.html")
    } else if page.ends_with(".html") {
        page.to_string()
    } else {
        format!("{page}/index.html")
    }
}

/// `papers/x/index.html` → `/papers/x/`.
fn shown_path(rel: &str) -> String {
    format!("/{}", rel.strip_suffix("index.html").unwrap_or(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_by_output_path() {
        assert_eq!(output_rel("/", "/"), "index.html");
        assert_eq!(output_rel("/homepage/", "/homepage/"), "index.html");
        assert_eq!(
            output_rel("/homepage/", "/papers/x/"),
            "papers/x/index.html"
        );
        assert_eq!(output_rel("/", "papers/x"), "papers/x/index.html");
        assert_eq!(output_rel("/", "/404.html"), "404.html");
        assert_eq!(shown_path("papers/x/index.html"), "/papers/x/");
    }
}
