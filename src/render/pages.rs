//! The site's pages: every page to render (its output path and template) and, made only when
//! that page is rendered, its own context. Listing every page is cheap; a rebuild that renders
//! three pages makes three contexts, and a full build makes them in parallel.

use std::borrow::Cow;

use serde::Serialize;
use tera::{Context, Map, Value};

use crate::load::settings::Settings;
use crate::model::{Site, YearGroup, group_years};
use crate::render::coauthors::{self, Coauthor, coauthors_of};
use crate::render::context::{
    category_view, content_value, first_sentence, home_description, page_context, paper_page_value,
    year_values,
};
use crate::render::listing::{Listing, ListingPage, Shows};
use crate::render::theme::Theme;

/// One page to render: where it goes, with which template, and what it shows.
pub struct Job {
    /// Output path relative to the root (`papers/x/index.html`).
    pub rel: String,
    /// Template name.
    pub template: Cow<'static, str>,
    subject: Subject,
}

/// What a page shows (indices into the site model's lists and the listings' pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The home page.
    Home,
    /// A page of the publications listing.
    Papers(usize),
    /// A paper's page.
    Paper(usize),
    /// The research areas.
    Categories,
    /// A page of a research area's listing: (category, page).
    Category(usize, usize),
    /// A Markdown page.
    Page(usize),
    /// A page of the co-authors listing.
    Coauthors(usize),
    /// The 404 page.
    NotFound,
}

/// The site's listings: the publications, each research area (in `Site::categories` order)
/// and the co-authors (when the theme has that page).
pub struct Listings {
    /// All publications.
    pub papers: Listing,
    /// Each research area's papers.
    pub categories: Vec<Listing>,
    /// The co-authors, paged like the publications; `None` when the theme has no such page.
    pub coauthors: Option<Listing>,
}

impl Listings {
    /// Splits the site's lists into pages by `[listings] max_per_page`.
    pub fn new(settings: &Settings, theme: &Theme, site: &Site) -> Listings {
        let max = settings.listings.max_per_page;
        let categories = site
            .categories
            .iter()
            .map(|g| {
                let years = group_years(&site.papers, g.papers.iter().copied());
                Listing::new(&format!("categories/{}/", g.category.slug), years, max)
            })
            .collect();
        let coauthors = crate::render::theme_context::has_coauthors_page(theme)
            .then(|| Listing::new(coauthors::REL, site.years.clone(), max));
        Listings {
            papers: Listing::new("papers/", site.years.clone(), max),
            categories,
            coauthors,
        }
    }
}

/// What page contexts are made from: the site model, every paper's template value (in
/// [`Site::papers`] order) and the listings.
#[derive(Clone, Copy)]
pub struct Model<'a> {
    /// The settings in force.
    pub settings: &'a Settings,
    /// The site model.
    pub site: &'a Site,
    /// Each paper's template value.
    pub papers: &'a [Value],
    /// The site's listings, split into pages.
    pub listings: &'a Listings,
}

/// Every page of the site, in a stable order: home, publications, papers, research areas,
/// Markdown pages, the theme's optional pages, 404.
pub fn jobs(site: &Site, listings: &Listings) -> Vec<Job> {
    let job = |rel: String, template: &'static str, subject| Job {
        rel,
        template: Cow::Borrowed(template),
        subject,
    };
    let index = |page: &ListingPage| format!("{}index.html", page.rel);
    let mut jobs = Vec::with_capacity(site.papers.len() + site.categories.len() + 64);
    jobs.push(job("index.html".into(), "index.html", Subject::Home));
    for (i, page) in listings.papers.pages.iter().enumerate() {
        jobs.push(job(index(page), "papers.html", Subject::Papers(i)));
    }
    jobs.extend((0..site.papers.len()).map(|i| paper_job(site, i)));
    jobs.push(job(
        "categories/index.html".into(),
        "categories.html",
        Subject::Categories,
    ));
    for (c, listing) in listings.categories.iter().enumerate() {
        for (i, page) in listing.pages.iter().enumerate() {
            jobs.push(job(index(page), "category.html", Subject::Category(c, i)));
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        let rel = format!("{}index.html", page.rel);
        jobs.push(Job {
            rel,
            template: Cow::Owned(page.template.clone()),
            subject: Subject::Page(i),
        });
    }
    // A theme made before the co-authors page existed is not asked to render one.
    if let Some(listing) = &listings.coauthors {
        for (i, page) in listing.pages.iter().enumerate() {
            jobs.push(job(index(page), "coauthors.html", Subject::Coauthors(i)));
        }
    }
    jobs.push(job("404.html".into(), "404.html", Subject::NotFound));
    jobs
}

/// A paper's own page.
pub fn paper_job(site: &Site, index: usize) -> Job {
    Job {
        rel: site.papers[index].rel_of("index.html"),
        template: Cow::Borrowed("paper.html"),
        subject: Subject::Paper(index),
    }
}

impl Job {
    /// What the page shows.
    pub fn subject(&self) -> Subject {
        self.subject
    }

    /// The page's own context (`page` and what the page shows; the site-wide `config` and
    /// `site` are Tera's global context).
    pub fn context(&self, model: &Model) -> Context {
        let Model {
            settings,
            site,
            papers,
            listings,
        } = *model;
        let owner = &site.owner.name;
        match self.subject {
            Subject::Home => {
                let mut context = page_context(
                    settings,
                    "home",
                    "",
                    owner,
                    Some(&home_description(settings, site)),
                );
                context.insert_value("listing", listing_value(model, &listings.papers, 0));
                let recent: Vec<Value> =
                    papers.iter().take(settings.home.recent).cloned().collect();
                context.insert_value("recent", Value::from(recent));
                context
            }
            Subject::Papers(i) => {
                let listing = &listings.papers;
                let page = &listing.pages[i];
                let (title, description) = match &page.shows {
                    Shows::Year { year, .. } => (
                        format!("Publications {}", part_title(page)),
                        format!(
                            "{owner}'s publications {}, newest first.",
                            match year {
                                Some(y) => format!("from {y}"),
                                None => "without a date".to_string(),
                            }
                        ),
                    ),
                    _ => (
                        "Publications".to_string(),
                        format!(
                            "All {} publications of {owner}, newest first.",
                            site.papers.len()
                        ),
                    ),
                };
                let mut context =
                    page_context(settings, "papers", &page.rel, &title, Some(&description));
                context.insert_value("listing", listing_value(model, listing, i));
                context
            }
            Subject::Paper(i) => {
                let p = &site.papers[i];
                let description = first_sentence(&p.abstract_text);
                let mut context =
                    page_context(settings, "paper", &p.rel(), &p.title, Some(&description));
                context.insert_value("paper", paper_page_value(settings, p, &papers[i]));
                context
            }
            Subject::Categories => page_context(
                settings,
                "categories",
                "categories/",
                "Research areas",
                Some(&format!("{owner}'s papers by research area.")),
            ),
            Subject::Category(c, i) => category_context(model, c, i),
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
            Subject::Coauthors(i) => coauthors_context(model, i),
            Subject::NotFound => page_context(settings, "404", "404.html", "Page not found", None),
        }
    }
}

/// `2024`, `2024 (part 2 of 3)`, `without a date`: a year page's name.
fn part_title(page: &ListingPage) -> String {
    let Shows::Year {
        year, part, parts, ..
    } = &page.shows
    else {
        return String::new();
    };
    let year = year.map_or_else(|| "without a date".to_string(), |y| y.to_string());
    if *parts > 1 {
        format!("{year} (part {part} of {parts})")
    } else {
        year
    }
}

/// The papers a listing page shows, by year.
fn shown_years(listing: &Listing, page: &ListingPage) -> Vec<YearGroup> {
    match &page.shows {
        Shows::All => listing.years.clone(),
        Shows::Index => Vec::new(),
        Shows::Year { year, papers, .. } => vec![YearGroup {
            year: *year,
            papers: papers.clone(),
        }],
    }
}

/// A listing page as templates see it (`listing`, see docs/themes.md).
fn listing_value(model: &Model, listing: &Listing, index: usize) -> Value {
    #[derive(Serialize)]
    struct Head {
        path: String,
        paged: bool,
        count: usize,
        year: Option<i32>,
        part: usize,
        parts: usize,
        offset: usize,
        index: Vec<YearLink>,
        prev: Option<PageLink>,
        next: Option<PageLink>,
    }
    #[derive(Serialize)]
    struct YearLink {
        year: Option<i32>,
        count: usize,
        path: String,
        current: bool,
    }
    #[derive(Serialize)]
    struct PageLink {
        path: String,
        title: String,
    }
    let settings = model.settings;
    let page = &listing.pages[index];
    let (year, part, parts) = match &page.shows {
        Shows::Year {
            year, part, parts, ..
        } => (*year, *part, *parts),
        _ => (None, 0, 0),
    };
    let current_year = matches!(page.shows, Shows::Year { .. }).then_some(year);
    let link = |i: usize| {
        listing
            .pages
            .get(i)
            .filter(|p| matches!(p.shows, Shows::Year { .. }))
            .map(|p| PageLink {
                path: settings.path(&p.rel),
                title: part_title(p),
            })
    };
    let head = Head {
        path: settings.path(&listing.base),
        paged: listing.paged(),
        count: listing.count(),
        year,
        part,
        parts,
        offset: page.offset,
        index: if listing.paged() {
            listing
                .years
                .iter()
                .map(|g| YearLink {
                    year: g.year,
                    count: g.papers.len(),
                    path: settings.path(&listing.year_rel(g.year)),
                    current: current_year == Some(g.year),
                })
                .collect()
        } else {
            Vec::new()
        },
        prev: index.checked_sub(1).and_then(link),
        next: link(index + 1),
    };
    let mut map: Map = Value::from_serializable(&head)
        .into_map()
        .unwrap_or_default();
    map.insert(
        "years".into(),
        year_values(&shown_years(listing, page), model.papers),
    );
    Value::from(map)
}

/// A research area's page: `page`, `listing` and `category` (its name, codes, count, and the
/// papers and years this page shows).
fn category_context(model: &Model, index: usize, page_index: usize) -> Context {
    let (settings, site, papers) = (model.settings, model.site, model.papers);
    let owner = &site.owner.name;
    let group = &site.categories[index];
    let listing = &model.listings.categories[index];
    let page = &listing.pages[page_index];
    let c = &group.category;
    let description = format!(
        "{} of {owner}'s papers in {} (arXiv {}).",
        group.papers.len(),
        c.name,
        c.arxiv
    );
    let title = match page.shows {
        Shows::Year { .. } => format!("{} {}", c.name, part_title(page)),
        _ => c.name.clone(),
    };
    let mut context = page_context(settings, "category", &page.rel, &title, Some(&description));
    let years = shown_years(listing, page);
    let mut value = Value::from_serializable(&category_view(settings, c))
        .into_map()
        .unwrap_or_default();
    value.insert("count".into(), Value::from(group.papers.len()));
    let shown: Vec<Value> = years
        .iter()
        .flat_map(|g| &g.papers)
        .map(|&i| papers[i].clone())
        .collect();
    value.insert("papers".into(), Value::from(shown));
    value.insert("years".into(), year_values(&years, papers));
    context.insert_value("category", Value::from(value));
    context.insert_value("listing", listing_value(model, listing, page_index));
    context
}

/// A page of the co-authors: `page`, `listing` and `coauthors`, a list of `{name, id, count,
/// papers}` where `papers` are the same paper values as everywhere else. The whole list on
/// one page; on a year page, the co-authors of that page's papers; on the index of a split
/// listing, the co-authors with the most shared papers (`papers` empty, `years` the pages
/// where they are).
fn coauthors_context(model: &Model, index: usize) -> Context {
    let (settings, site, papers) = (model.settings, model.site, model.papers);
    let Some(listing) = &model.listings.coauthors else {
        return Context::new();
    };
    let page = &listing.pages[index];
    #[derive(Serialize)]
    struct Head<'a> {
        name: &'a str,
        id: &'a str,
        count: usize,
    }
    #[derive(Serialize)]
    struct YearLink {
        year: Option<i32>,
        path: String,
    }
    let (list, total, with_papers): (Vec<Coauthor>, usize, bool) = match &page.shows {
        Shows::All => {
            let all = coauthors_of(site, 0..site.papers.len());
            let total = all.len();
            (all, total, true)
        }
        Shows::Year { papers, .. } => {
            let these = coauthors_of(site, papers.iter().copied());
            let total = these.len();
            (these, total, true)
        }
        Shows::Index => {
            let mut all = coauthors_of(site, 0..site.papers.len());
            let total = all.len();
            all.truncate(settings.listings.max_per_page);
            (all, total, false)
        }
    };
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
            let shared: Vec<Value> = if with_papers {
                c.papers
                    .iter()
                    .filter_map(|&i| papers.get(i).cloned())
                    .collect()
            } else {
                Vec::new()
            };
            map.insert("papers".into(), Value::from(shared));
            if !with_papers {
                let mut years: Vec<YearLink> = Vec::new();
                for &i in &c.papers {
                    let year = site.papers[i].year();
                    if years.last().is_none_or(|y| y.year != year) {
                        years.push(YearLink {
                            year,
                            path: settings.path(&listing.year_rel(year)),
                        });
                    }
                }
                map.insert("years".into(), Value::from_serializable(&years));
            }
            Value::from(map)
        })
        .collect();
    let (title, description) = match &page.shows {
        Shows::Year { .. } => (
            format!("Co-authors {}", part_title(page)),
            format!(
                "The people {} wrote the papers of {} with.",
                site.owner.name,
                part_title(page)
            ),
        ),
        _ => (
            "Co-authors".to_string(),
            format!(
                "The {} people {} has written papers with, and the papers shared.",
                total, site.owner.name
            ),
        ),
    };
    let mut context = page_context(settings, "coauthors", &page.rel, &title, Some(&description));
    context.insert_value("coauthors", Value::from(values));
    context.insert_value("listing", listing_value(model, listing, index));
    context
}

/// What each page shows, as one number per job (in `jobs` order): a page whose number did not
/// change since the last render shows the same thing, so `serve` need not render it again.
/// `keys` are the papers' output keys ([`crate::render::output_key`], in `Site::papers`
/// order), `seed` what changes every page (the theme).
///
/// Everything a page's own context holds counts: a paper page is its paper, a listing page the
/// papers it shows and where it sits in its listing. Of the site-wide context, every page
/// counts the owner, the stats, the Markdown pages' titles, the biography and the news; only
/// listing pages (and the home page) count the papers' numbers by year and area, and only the
/// home page the selected papers: a theme is assumed to show those there, not on a paper's
/// page (`site.papers`, every paper, is assumed to be shown by no page but the listings).
pub fn fingerprints(jobs: &[Job], model: &Model, keys: &[u64], seed: u64) -> Vec<u64> {
    use rayon::prelude::*;
    use std::hash::{Hash, Hasher};
    let site = model.site;
    let mut h = std::hash::DefaultHasher::new();
    seed.hash(&mut h);
    format!(
        "{:?}{:?}{:?}{:?}",
        site.owner, site.stats, site.as_of, site.primary_category
    )
    .hash(&mut h);
    for g in &site.categories {
        (&g.category.slug, &g.category.name).hash(&mut h);
    }
    for p in &site.pages {
        (&p.rel, &p.title).hash(&mut h);
    }
    (&site.bio_html, format!("{:?}", site.news)).hash(&mut h);
    let paged =
        crate::render::listing::split(site.papers.len(), model.settings.listings.max_per_page);
    paged.hash(&mut h);
    let every = h.finish();
    let mut h = std::hash::DefaultHasher::new();
    (every, site.papers.len()).hash(&mut h);
    for g in &site.categories {
        (&g.category.slug, g.papers.len()).hash(&mut h);
    }
    for g in &site.years {
        (g.year, g.papers.len()).hash(&mut h);
    }
    let lists = h.finish();
    let listings = model.listings;
    jobs.par_iter()
        .map(|job| {
            let mut h = std::hash::DefaultHasher::new();
            (&job.rel, &job.template).hash(&mut h);
            match job.subject {
                Subject::Home => {
                    lists.hash(&mut h);
                    listing_page_hash(&listings.papers, 0, keys, &mut h);
                    keys.iter()
                        .take(model.settings.home.recent)
                        .for_each(|k| k.hash(&mut h));
                    for (p, key) in site.papers.iter().zip(keys) {
                        if p.selected {
                            key.hash(&mut h);
                        }
                    }
                }
                Subject::Papers(i) => {
                    lists.hash(&mut h);
                    listing_page_hash(&listings.papers, i, keys, &mut h);
                }
                Subject::Paper(i) => (every, keys[i]).hash(&mut h),
                Subject::Categories => lists.hash(&mut h),
                Subject::Category(c, i) => {
                    lists.hash(&mut h);
                    listing_page_hash(&listings.categories[c], i, keys, &mut h);
                }
                Subject::Page(i) => {
                    let p = &site.pages[i];
                    every.hash(&mut h);
                    (&p.html, &p.description, format!("{:?}", p.extra)).hash(&mut h);
                }
                Subject::Coauthors(i) => {
                    lists.hash(&mut h);
                    if let Some(listing) = &listings.coauthors {
                        listing_page_hash(listing, i, keys, &mut h);
                    }
                }
                Subject::NotFound => every.hash(&mut h),
            }
            h.finish()
        })
        .collect()
}

/// Feeds what a listing page shows into `h`: its place among the listing's pages, the years
/// with their counts, and the output keys of its papers.
fn listing_page_hash(
    listing: &Listing,
    index: usize,
    keys: &[u64],
    h: &mut impl std::hash::Hasher,
) {
    use std::hash::Hash;
    for p in &listing.pages {
        p.rel.hash(h);
    }
    for g in &listing.years {
        (g.year, g.papers.len()).hash(h);
    }
    let page = &listing.pages[index];
    (index, page.offset).hash(h);
    let shown: &[usize] = match &page.shows {
        Shows::Index => &[],
        Shows::Year {
            papers,
            part,
            parts,
            ..
        } => {
            (part, parts).hash(h);
            papers
        }
        Shows::All => {
            for g in &listing.years {
                g.papers.iter().for_each(|&i| keys[i].hash(h));
            }
            &[]
        }
    };
    shown.iter().for_each(|&i| keys[i].hash(h));
}
