//! The default theme in headless Chromium: axe-core finds no violations (light and dark), no
//! console errors or failed requests, no horizontal overflow at 390 px, search, filters and the
//! dark-mode toggle work, and screenshots are written to tests/screenshots/ (git-ignored).
//! Needs Chromium and Node.js: ignored outside CI unless run with `--include-ignored`.

mod common;

use common::*;

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Chromium and Node.js (npm ci): cargo test -- --include-ignored"
)]
fn the_default_theme_in_chromium() {
    require_browser();
    let site = example_site();
    build(site.path());
    let port = static_server(site.path().join("public"));
    let shots = repo().join("tests/screenshots");
    let out = run_browser_script(
        "theme.mjs",
        &[
            &format!("http://127.0.0.1:{port}/homepage/"),
            &shots.to_string_lossy(),
            AUTOREP,
            "categories/lg/",
        ],
    );
    assert!(out.contains("PASS"), "{out}");
    for name in [
        "home-390-light",
        "home-390-dark",
        "home-1280-light",
        "home-1280-dark",
    ] {
        assert!(shots.join(format!("{name}.png")).is_file(), "{name}.png");
    }
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Chromium and Node.js (npm ci): cargo test -- --include-ignored"
)]
fn year_pages_in_chromium() {
    require_browser();
    let site = example_site();
    append_config(
        site.path(),
        "[listings]\nmax_per_page = 4\n[home]\nrecent = 3\n",
    );
    build(site.path());
    let port = static_server(site.path().join("public"));
    let shots = repo().join("tests/screenshots");
    let out = run_browser_script(
        "year_pages.mjs",
        &[
            &format!("http://127.0.0.1:{port}/homepage/"),
            &shots.to_string_lossy(),
        ],
    );
    assert!(out.contains("PASS"), "{out}");
    assert!(shots.join("year-page-1280-light.png").is_file());
}
