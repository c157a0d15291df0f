//! Every generated page passes the Nu HTML Checker (npm `vnu-jar`, run with Java).
//! Outside CI a missing checker is a skip with a notice; with `CI=true` it is a failure.

mod common;

#[test]
fn every_page_of_the_example_site_is_valid_html() {
    let site = common::example_site();
    common::build(site.path());
    if let Some(pages) = common::assert_valid_html(&site.path().join("public")) {
        assert!(pages >= 38, "pages: {pages}");
    }
}
