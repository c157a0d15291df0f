//! Template values added for themes beyond the core model (see docs/themes.md): the news list,
//! the charts, the co-authors page and the search index. Kept apart from `render.rs` so that
//! the core contexts stay small; everything here is additive to context version 1.

use serde::Serialize;
use tera::Value;

use crate::base::text::site_file;
use crate::load::settings::Settings;
use crate::model::Site;
use crate::render::theme::Theme;

/// Adds `news`, `charts`, `coauthors_path`, `search_index` and `stylesheets` to the `site`
/// map.
pub fn extend_site(site_value: &mut tera::Map, settings: &Settings, theme: &Theme, site: &Site) {
    #[derive(Serialize)]
    struct NewsView<'a> {
        date: String,
        date_display: String,
        title: Option<&'a str>,
        html: &'a str,
    }
    #[derive(Serialize)]
    struct YearCount {
        year: i32,
        count: usize,
    }
    #[derive(Serialize)]
    struct Charts {
        years_svg: String,
        topics_svg: String,
        years: Vec<YearCount>,
    }
    let news: Vec<NewsView> = site
        .news
        .iter()
        .map(|n| NewsView {
            date: n.date.iso(),
            date_display: n.date.human(),
            title: n.title.as_deref(),
            html: &n.html,
        })
        .collect();
    site_value.insert("news".into(), Value::from_serializable(&news));
    let charts = Charts {
        years_svg: crate::render::charts::years_svg(site),
        topics_svg: crate::render::charts::topics_svg(site),
        years: crate::render::charts::year_counts(site)
            .into_iter()
            .map(|(year, count)| YearCount { year, count })
            .collect(),
    };
    site_value.insert("charts".into(), Value::from_serializable(&charts));
    let coauthors = has_coauthors_page(theme).then(|| settings.path(crate::render::coauthors::REL));
    site_value.insert(
        "coauthors_path".into(),
        Value::from_serializable(&coauthors),
    );
    site_value.insert(
        "search_index".into(),
        Value::from(settings.path(crate::render::search::REL)),
    );
    let stylesheets: Vec<String> = crate::render::lint::stylesheets(&settings.extra)
        .into_iter()
        .map(|css| match site_file(css) {
            url if url.contains("://") || url.starts_with("//") => url.to_string(),
            rel => settings.path(rel),
        })
        .collect();
    site_value.insert("stylesheets".into(), Value::from_serializable(&stylesheets));
}

/// Whether the theme has a co-authors page (`coauthors.html`): older themes do not, and are
/// not asked to render one.
pub fn has_coauthors_page(theme: &Theme) -> bool {
    theme.tera.contains_template("coauthors.html")
}
