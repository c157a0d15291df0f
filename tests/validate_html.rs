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

#[test]
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
        if let Some(pages) = common::assert_valid_html(&public) {
            assert!(pages >= 60, "{theme}: pages: {pages}");
        }
    }
}
