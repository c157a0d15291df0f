//! Files for machines: the Atom feed of the newest papers (`feed_limit`), `sitemap.xml`, `robots.txt`. Written directly
//! (not through templates) so that they are always well-formed XML whatever the theme does.

use crate::base::text::escape;
use crate::load::settings::Settings;
use crate::model::Site;

/// The Atom feed of papers, newest first, abstracts as HTML with MathML.
pub fn atom(settings: &Settings, site: &Site, title: &str) -> String {
    let updated = site
        .papers
        .iter()
        .filter_map(|p| p.date)
        .max()
        .or(site.as_of)
        .map_or_else(|| "1970-01-01".to_string(), |d| d.iso());
    let feed_url = settings.permalink("atom.xml");
    let entries = match settings.feed_limit {
        0 => site.papers.len(),
        n => n.min(site.papers.len()),
    };
    let mut out = String::with_capacity(entries * 2048 + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    out.push_str(&escape(&settings.language));
    out.push_str("\">\n");
    push_element(&mut out, "title", &format!("{title}: publications"));
    out.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed_url),
        escape(&settings.base_url)
    ));
    push_element(&mut out, "id", &feed_url);
    push_element(&mut out, "updated", &format!("{updated}T00:00:00Z"));
    out.push_str("<author>");
    push_element(&mut out, "name", &site.owner.name);
    out.push_str("</author>\n");
    push_element(&mut out, "generator", "scholarsite");
    let limit = if settings.feed_limit == 0 {
        usize::MAX
    } else {
        settings.feed_limit
    };
    for p in site.papers.iter().take(limit) {
        let link = settings.permalink(&p.rel());
        let date = p
            .date
            .or(site.as_of)
            .map_or_else(|| "1970-01-01".to_string(), |d| d.iso());
        out.push_str("<entry>\n");
        push_element(&mut out, "title", &p.title);
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&link)
        ));
        push_element(&mut out, "id", &link);
        push_element(&mut out, "published", &format!("{date}T00:00:00Z"));
        push_element(&mut out, "updated", &format!("{date}T00:00:00Z"));
        for a in &p.authors {
            out.push_str("<author>");
            push_element(&mut out, "name", &a.name);
            out.push_str("</author>\n");
        }
        for c in &p.categories {
            out.push_str(&format!(
                "<category term=\"{}\" label=\"{}\"/>\n",
                escape(&c.arxiv),
                escape(&c.name)
            ));
        }
        if !p.abstract_html.is_empty() {
            out.push_str("<content type=\"html\">");
            out.push_str(&escape(&p.abstract_html));
            out.push_str("</content>\n");
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn push_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// `sitemap.xml` listing `pages` (paths relative to the root, `""` for the home page).
pub fn sitemap<'a>(
    settings: &Settings,
    pages: impl IntoIterator<Item = (&'a str, Option<String>)>,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (rel, lastmod) in pages {
        out.push_str("<url><loc>");
        out.push_str(&escape(&settings.permalink(rel)));
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(&d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything allowed, pointing at the sitemap.
pub fn robots(settings: &Settings) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        settings.permalink("sitemap.xml")
    )
}
