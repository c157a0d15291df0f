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
