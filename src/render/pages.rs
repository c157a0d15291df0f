//! The site's pages: every page to render (its output path and template) and, made only when
//! that page is rendered, its own context. Listing every page is cheap; a rebuild that renders
//! three pages makes three contexts, and a full build makes them in parallel.

use serde::Serialize;
use tera::{Context, Value};

use crate::load::settings::Settings;
use crate::model::Site;
use crate::render::coauthors::{self, coauthors};
use crate::render::context::{
    category_view, content_value, first_sentence, home_description, page_context, year_values,
};
use crate::render::theme::Theme;

/// One page to render: where it goes, with which template, and what it shows.
pub struct Job {
    /// Output path relative to the root (`papers/x/index.html`).
    pub rel: String,
    /// Template name.
    pub template: String,
    subject: Subject,
}

/// What a page shows (indices into the site model's lists).
#[derive(Debug, Clone, Copy)]
enum Subject {
    Home,
    Papers,
    Paper(usize),
    Categories,
    Category(usize),
    Page(usize),
    Coauthors,
    NotFound,
}

/// What page contexts are made from: the site model and every paper's template value (in
/// [`Site::papers`] order).
#[derive(Clone, Copy)]
pub struct Model<'a> {
    /// The settings in force.
    pub settings: &'a Settings,
    /// The site model.
    pub site: &'a Site,
    /// Each paper's template value.
    pub papers: &'a [Value],
}

/// Every page of the site, in a stable order: home, publications, papers, research areas,
/// Markdown pages, the theme's optional pages, 404.
pub fn jobs(theme: &Theme, site: &Site) -> Vec<Job> {
    let job = |rel: String, template: &str, subject| Job {
        rel,
        template: template.to_string(),
        subject,
    };
    let mut jobs =
        Vec::with_capacity(site.papers.len() + site.categories.len() + site.pages.len() + 6);
    jobs.push(job("index.html".into(), "index.html", Subject::Home));
    jobs.push(job(
        "papers/index.html".into(),
        "papers.html",
        Subject::Papers,
    ));
    for (i, p) in site.papers.iter().enumerate() {
        jobs.push(job(
            format!("{}index.html", p.rel()),
            "paper.html",
            Subject::Paper(i),
        ));
    }
    jobs.push(job(
        "categories/index.html".into(),
        "categories.html",
        Subject::Categories,
    ));
    for (i, group) in site.categories.iter().enumerate() {
        let rel = format!("categories/{}/index.html", group.category.slug);
        jobs.push(job(rel, "category.html", Subject::Category(i)));
    }
    for (i, page) in site.pages.iter().enumerate() {
        let rel = format!("{}index.html", page.rel);
        jobs.push(job(rel, &page.template, Subject::Page(i)));
    }
    // A theme made before the co-authors page existed is not asked to render one.
    if crate::render::theme_context::has_coauthors_page(theme) {
        let rel = format!("{}index.html", coauthors::REL);
        jobs.push(job(rel, "coauthors.html", Subject::Coauthors));
    }
    jobs.push(job("404.html".into(), "404.html", Subject::NotFound));
    jobs
}

impl Job {
    /// The page's own context (`page` and what the page shows; the site-wide `config` and
    /// `site` are Tera's global context).
    pub fn context(&self, model: &Model) -> Context {
        let Model {
            settings,
            site,
            papers,
        } = *model;
        let owner = &site.owner.name;
        match self.subject {
            Subject::Home => page_context(
                settings,
                "home",
                "",
                owner,
                Some(&home_description(settings, site)),
            ),
            Subject::Papers => page_context(
                settings,
                "papers",
                "papers/",
                "Publications",
                Some(&format!(
                    "All {} publications of {owner}, newest first.",
                    site.papers.len()
                )),
            ),
            Subject::Paper(i) => {
                let p = &site.papers[i];
                let description = first_sentence(&p.abstract_text);
                let mut context =
                    page_context(settings, "paper", &p.rel(), &p.title, Some(&description));
                context.insert_value("paper", papers[i].clone());
                context
            }
            Subject::Categories => page_context(
                settings,
                "categories",
                "categories/",
                "Research areas",
                Some(&format!("{owner}'s papers by research area.")),
            ),
            Subject::Category(i) => category_context(model, i),
            Subject::Page(i) => {
                let page = &site.pages[i];
                let mut context = page_context(
                    settings,
                    "page",
                    &page.rel,
                    &page.title,
                    page.description.as_deref(),
                );
                context.insert_value("content", content_value(page));
                context
            }
            Subject::Coauthors => coauthors_context(settings, site, papers),
            Subject::NotFound => page_context(settings, "404", "404.html", "Page not found", None),
        }
    }
}

/// A research area's page: `page` plus `category` (its name, codes, count, papers and years).
fn category_context(model: &Model, index: usize) -> Context {
    let (settings, site, papers) = (model.settings, model.site, model.papers);
    let owner = &site.owner.name;
    let group = &site.categories[index];
    let c = &group.category;
    let rel = format!("categories/{}/", c.slug);
    let description = format!(
        "{} of {owner}'s papers in {} (arXiv {}).",
        group.papers.len(),
        c.name,
        c.arxiv
    );
    let mut context = page_context(settings, "category", &rel, &c.name, Some(&description));
    let years = crate::model::group_years(&site.papers, group.papers.iter().copied());
    let mut value = Value::from_serializable(&category_view(settings, c))
        .into_map()
        .unwrap_or_default();
    value.insert("count".into(), Value::from(group.papers.len()));
    let shown: Vec<Value> = group.papers.iter().map(|&i| papers[i].clone()).collect();
    value.insert("papers".into(), Value::from(shown));
    value.insert("years".into(), year_values(&years, papers));
    context.insert_value("category", Value::from(value));
    context
}

/// The co-authors page's context: `page` plus `coauthors`, a list of `{name, id, count,
/// papers}` where `papers` are the same paper values as everywhere else.
fn coauthors_context(settings: &Settings, site: &Site, papers: &[Value]) -> Context {
    let list = coauthors(site);
    #[derive(Serialize)]
    struct Head<'a> {
        name: &'a str,
        id: &'a str,
        count: usize,
    }
    let values: Vec<Value> = list
        .iter()
        .map(|c| {
            let mut map = Value::from_serializable(&Head {
                name: &c.name,
                id: &c.id,
                count: c.papers.len(),
            })
            .into_map()
            .unwrap_or_default();
            let shared: Vec<Value> = c
                .papers
                .iter()
                .filter_map(|&i| papers.get(i).cloned())
                .collect();
            map.insert("papers".into(), Value::from(shared));
            Value::from(map)
        })
        .collect();
    let description = format!(
        "The {} people {} has written papers with, and the papers shared.",
        list.len(),
        site.owner.name
    );
    let mut context = page_context(
        settings,
        "coauthors",
        coauthors::REL,
        "Co-authors",
        Some(&description),
    );
    context.insert_value("coauthors", Value::from(values));
    context
}
