//! Lists of papers that scale: the publications, each research area and the co-authors are one
//! page up to `[listings] max_per_page` papers; a longer list becomes an index page (its years,
//! with counts) and one page per year (`papers/2024/`), and a year longer than that is split
//! again into parts of that many (`papers/2024/2/`). A page is then never longer than
//! `max_per_page` papers, whatever the size of the site.

use crate::model::YearGroup;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingPage {
    /// Output folder relative to the root: `papers/`, `papers/2024/`, `papers/2024/2/`.
    pub rel: String,
    /// What the page shows.
    pub shows: Shows,
    /// Papers shown before this page, in listing order (for numbered lists).
    pub offset: usize,
}

/// What a listing page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shows {
    /// The whole listing (it is short enough for one page).
    All,
    /// The index of a split listing: its years with counts, no papers.
    Index,
    /// Part `part` (1-based) of `parts` of a year's papers (`year` is `None` for undated).
    Year {
        /// The year.
        year: Option<i32>,
        /// Which part of the year, from 1.
        part: usize,
        /// How many parts the year has.
        parts: usize,
        /// The papers on this page (indices into `Site::papers`), newest first.
        papers: Vec<usize>,
    },
}

/// A list of papers split into pages.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Output folder of its first page (`papers/`, `categories/lg/`, `coauthors/`).
    pub base: String,
    /// Its papers by year, newest first (indices into `Site::papers`).
    pub years: Vec<YearGroup>,
    /// Its pages: the first one at `base`, then the year pages in listing order.
    pub pages: Vec<ListingPage>,
}

impl Listing {
    /// Splits `years` (a listing's papers by year, newest first) into pages under `base`:
    /// one page when there are at most `max_per_page` papers (or `max_per_page` is 0).
    pub fn new(base: &str, years: Vec<YearGroup>, max_per_page: usize) -> Listing {
        let total: usize = years.iter().map(|g| g.papers.len()).sum();
        let mut pages = Vec::new();
        if !split(total, max_per_page) {
            pages.push(ListingPage {
                rel: base.to_string(),
                shows: Shows::All,
                offset: 0,
            });
        } else {
            pages.push(ListingPage {
                rel: base.to_string(),
                shows: Shows::Index,
                offset: 0,
            });
            let mut offset = 0;
            for g in &years {
                let parts = g.papers.len().div_ceil(max_per_page);
                for (i, chunk) in g.papers.chunks(max_per_page).enumerate() {
                    let part = i + 1;
                    pages.push(ListingPage {
                        rel: year_rel(base, g.year, part),
                        shows: Shows::Year {
                            year: g.year,
                            part,
                            parts,
                            papers: chunk.to_vec(),
                        },
                        offset,
                    });
                    offset += chunk.len();
                }
            }
        }
        Listing {
            base: base.to_string(),
            years,
            pages,
        }
    }

    /// Whether the listing is split into year pages.
    pub fn paged(&self) -> bool {
        self.pages.len() > 1
    }

    /// How many papers the listing holds.
    pub fn count(&self) -> usize {
        self.years.iter().map(|g| g.papers.len()).sum()
    }

    /// The folder of a year's first page, or of the whole listing when it is one page.
    pub fn year_rel(&self, year: Option<i32>) -> String {
        if self.paged() {
            year_rel(&self.base, year, 1)
        } else {
            self.base.clone()
        }
    }
}

/// Whether a listing of `total` papers is split into pages.
pub fn split(total: usize, max_per_page: usize) -> bool {
    max_per_page != 0 && total > max_per_page
}

/// `papers/` + 2024, part 1 → `papers/2024/`; part 2 → `papers/2024/2/`; undated →
/// `papers/undated/`.
fn year_rel(base: &str, year: Option<i32>, part: usize) -> String {
    let year = year.map_or_else(|| "undated".to_string(), |y| y.to_string());
    if part == 1 {
        format!("{base}{year}/")
    } else {
        format!("{base}{year}/{part}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(sizes: &[(Option<i32>, usize)]) -> Vec<YearGroup> {
        let mut next = 0;
        sizes
            .iter()
            .map(|&(year, n)| {
                let papers = (next..next + n).collect();
                next += n;
                YearGroup { year, papers }
            })
            .collect()
    }

    #[test]
    fn a_short_list_is_one_page() {
        let l = Listing::new("papers/", groups(&[(Some(2024), 2), (Some(2023), 1)]), 3);
        assert!(!l.paged());
        assert_eq!(l.pages.len(), 1);
        assert_eq!(l.pages[0].rel, "papers/");
        assert_eq!(l.pages[0].shows, Shows::All);
        assert_eq!(l.year_rel(Some(2024)), "papers/");
        let never = Listing::new("papers/", groups(&[(Some(2024), 1000)]), 0);
        assert!(!never.paged(), "0 never splits");
    }

    #[test]
    fn a_long_list_has_an_index_and_year_pages_split_into_parts() {
        let l = Listing::new(
            "categories/lg/",
            groups(&[(Some(2024), 5), (Some(2023), 1), (None, 2)]),
            2,
        );
        assert!(l.paged());
        assert_eq!(l.count(), 8);
        let rels: Vec<&str> = l.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "categories/lg/",
                "categories/lg/2024/",
                "categories/lg/2024/2/",
                "categories/lg/2024/3/",
                "categories/lg/2023/",
                "categories/lg/undated/",
            ]
        );
        assert_eq!(l.pages[0].shows, Shows::Index);
        assert_eq!(
            l.pages[3].shows,
            Shows::Year {
                year: Some(2024),
                part: 3,
                parts: 3,
                papers: vec![4]
            }
        );
        let offsets: Vec<usize> = l.pages.iter().map(|p| p.offset).collect();
        assert_eq!(offsets, [0, 0, 2, 4, 5, 6]);
        assert_eq!(l.year_rel(None), "categories/lg/undated/");
        // Every paper is on exactly one page.
        let mut shown: Vec<usize> = l
            .pages
            .iter()
            .flat_map(|p| match &p.shows {
                Shows::Year { papers, .. } => papers.clone(),
                _ => Vec::new(),
            })
            .collect();
        shown.sort_unstable();
        assert_eq!(shown, (0..8).collect::<Vec<_>>());
    }
}
