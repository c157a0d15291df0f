//! The Markdown that is not a paper: pages (`content/cv.md` → `/cv/`), the biography and the
//! news items.

use super::links::SourceLinks;
use super::paper::{located, report};
use super::undefined::UndefinedUse;
use super::{NewsItem, Page};
use crate::base::diag::Diagnostic;
use crate::base::text::html_to_text;
use crate::load::content::Document;
use crate::load::settings::Settings;
use crate::tex::{self, markdown};

/// What rendering Markdown needs and where it reports undefined macros.
pub(super) type With<'w> = (&'w tex::Macros, &'w SourceLinks, &'w mut Vec<UndefinedUse>);

/// Markdown to HTML, its TeX problems as warnings (undefined macros as uses) and its broken
/// `@/` links as errors.
pub(super) fn render_markdown<M>(
    doc: &Document<M>,
    what: &str,
    (macros, links, undefined): With,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let mut problems = Vec::new();
    let html = markdown::render_with_macros(doc.body(), macros, &mut problems);
    for p in problems {
        let loc = located(&doc.shown, doc.body(), doc.body_line, &p);
        report(&p, what, loc, warnings, undefined);
    }
    links.resolve(html, &doc.shown, &doc.src, warnings)
}

pub(super) fn render_pages(
    files: &[crate::load::content::PageFile],
    drafts: bool,
    with: With,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let (macros, links, undefined) = with;
    let mut pages = Vec::new();
    for f in files.iter().filter(|f| drafts || !f.doc.matter.draft) {
        let doc = &f.doc;
        let html = render_markdown(doc, &f.rel, (macros, links, &mut *undefined), warnings);
        let title = doc
            .matter
            .title
            .clone()
            .or_else(|| first_heading(&html))
            .unwrap_or_else(|| f.rel.trim_end_matches('/').to_string());
        pages.push(Page {
            rel: f.rel.clone(),
            title,
            description: doc.matter.description.clone(),
            html,
            template: doc
                .matter
                .template
                .clone()
                .unwrap_or_else(|| "page.html".into()),
            extra: doc.matter.extra.clone(),
            shown: doc.shown.clone(),
        });
    }
    pages
}

/// News items (drafts only with `--drafts`), newest first.
pub(super) fn render_news(
    settings: &Settings,
    files: &[crate::load::content::NewsFile],
    with: With,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<NewsItem> {
    let (macros, links, undefined) = with;
    let mut news: Vec<NewsItem> = files
        .iter()
        .filter(|f| settings.drafts || !f.matter.draft)
        .filter_map(|f| {
            Some(NewsItem {
                date: f.date()?,
                title: f.matter.title.clone(),
                html: render_markdown(f, "a news item", (macros, links, &mut *undefined), warnings),
            })
        })
        .collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.date));
    news
}

/// The text of the first `<h1>` of rendered HTML.
fn first_heading(html: &str) -> Option<String> {
    let start = html.find("<h1")?;
    let end = html[start..].find("</h1>")? + start;
    let text = html_to_text(&html[start..end + 5]);
    (!text.is_empty()).then_some(text)
}
