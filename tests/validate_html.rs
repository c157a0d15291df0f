//! Every generated page, in both built-in themes, passes the Nu HTML Checker (npm `vnu-jar`,
//! run with Java). Needs Java and `npm ci`: ignored outside CI unless run with
//! `--include-ignored`; once running, a missing checker is a failure.

mod common;

use common::*;

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Java and the Nu HTML Checker (npm ci): cargo test -- --include-ignored"
)]
fn every_page_of_the_example_site_is_valid_html() {
    let site = example_site();
    build(site.path());
    let pages = assert_valid_html(&site.path().join("public"));
    assert!(pages >= 38, "pages: {pages}");
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Java and the Nu HTML Checker (npm ci): cargo test -- --include-ignored"
)]
fn every_page_of_the_classic_theme_is_valid_html() {
    let site = example_site();
    use_theme(site.path(), "classic");
    build(site.path());
    let pages = assert_valid_html(&site.path().join("public"));
    assert!(pages >= 38, "pages: {pages}");
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Java and the Nu HTML Checker (npm ci): cargo test -- --include-ignored"
)]
fn every_page_of_a_site_with_split_lists_is_valid_html_in_both_themes() {
    for theme in ["default", "classic"] {
        let site = common::example_site();
        common::use_theme(site.path(), theme);
        common::append_config(
            site.path(),
            "[listings]\nmax_per_page = 4\n[home]\nrecent = 3\n",
        );
        common::build(site.path());
        let public = site.path().join("public");
        assert!(public.join("papers/2025/2/index.html").is_file(), "{theme}");
        let pages = common::assert_valid_html(&public);
        assert!(pages >= 60, "{theme}: pages: {pages}");
    }
}
