//! The theme contract: the home page's weight budget, `--dump-context`, the version range in
//! theme.toml, the second built-in theme, the co-authors page, news and `[extra]` colours.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";

/// Size of `bytes` compressed with gzip (level 6, as static hosts such as GitHub Pages serve).
fn gzipped(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip is installed");
    let mut stdin = child.stdin.take().unwrap();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out.stdout.len()
}

#[test]
fn the_home_page_weighs_under_100_kb_gzipped() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    let html_path = public.join("index.html");
    let html = fs::read(&html_path).unwrap();
    let doc = common::html(&html_path);
    let mut total = gzipped(&html);
    let mut parts = vec![format!("index.html {}", total)];
    for el in doc.select(&sel("link[rel=stylesheet], script[src]")) {
        let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
        let rel = url.strip_prefix("/homepage/").expect("a local asset");
        let size = gzipped(&fs::read(public.join(rel)).unwrap());
        parts.push(format!("{rel} {size}"));
        total += size;
    }
    eprintln!("home page, gzipped: {total} bytes ({})", parts.join(", "));
    assert!(
        parts.len() >= 4,
        "HTML, two stylesheets and the script: {parts:?}"
    );
    assert!(total < 100 * 1024, "{total} bytes: {parts:?}");
}

fn dump(root: &Path, page: &str) -> serde_json::Value {
    let out = run(root, &["build", "--dump-context", page]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn dump_context_prints_a_pages_context_as_json() {
    let site = example_site();
    let paper = dump(site.path(), &format!("/{AUTOREP}"));
    assert_eq!(paper["page"]["kind"], "paper");
    assert_eq!(paper["paper"]["venue"], "ICCV 2023");
    assert!(
        paper["paper"]["citation"]["bibtex"]
            .as_str()
            .unwrap()
            .starts_with("@inproceedings{")
    );
    assert_eq!(paper["config"]["base_path"], "/homepage/");
    assert_eq!(
        paper["config"]["extra"]["color_scheme"], "auto",
        "theme defaults merged"
    );
    assert_eq!(paper["site"]["context_version"], 2);
    let home = dump(site.path(), "/");
    assert_eq!(home["page"]["kind"], "home");
    assert!(home.get("paper").is_none());
    assert_eq!(home["site"]["papers"].as_array().unwrap().len(), 30);
    assert!(
        home["site"]["charts"]["years_svg"]
            .as_str()
            .unwrap()
            .contains("<title id=\"chart-years-title\">")
    );
    assert_eq!(home["site"]["search_index"], "/homepage/search.json");
    let news = home["site"]["news"].as_array().unwrap();
    let dates: Vec<&str> = news.iter().map(|n| n["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "news newest first");
    assert!(!site.path().join("public").exists(), "nothing written");
    let coauthors = dump(site.path(), "/homepage/coauthors/");
    let list = coauthors["coauthors"].as_array().unwrap();
    let counts: Vec<u64> = list.iter().map(|a| a["count"].as_u64().unwrap()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );
    assert_eq!(list[0]["name"], "Hongwu Peng");
    let out = run(site.path(), &["build", "--dump-context", "/no/such/"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: the site has no page `/no/such/`"),
        "{stderr}"
    );
    assert!(stderr.contains("/papers/"), "{stderr}");
}

#[test]
fn a_theme_for_another_version_is_a_clear_error() {
    let site = example_site();
    let theme = site.path().join("themes/old");
    copy_tree(&repo().join("themes/classic"), &theme);
    let toml = fs::read_to_string(theme.join("theme.toml")).unwrap();
    fs::write(
        theme.join("theme.toml"),
        toml.replace("scholarsite = \">=0.1, <0.2\"", "scholarsite = \">=0.2\""),
    )
    .unwrap();
    use_theme(site.path(), "old");
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!site.path().join("public").exists());
    // docs/themes.md shows this very error: its example is what the tool prints (for the
    // version it names).
    let docs = fs::read_to_string(repo().join("docs/themes.md")).unwrap();
    let example = docs
        .split("the build stops before rendering anything:\n\n```\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/themes.md shows the error");
    assert_eq!(
        stderr.replace(env!("CARGO_PKG_VERSION"), "0.1.0"),
        example,
        "docs/themes.md's example differs from what the build prints"
    );
}

/// docs/themes.md names the context version templates see, and lists it among the versions.
#[test]
fn the_documented_context_version_is_the_one_templates_see() {
    let docs = fs::read_to_string(repo().join("docs/themes.md")).unwrap();
    let version = scholarsite::render::context::CONTEXT_VERSION;
    assert!(
        docs.contains(&format!("`site.context_version` (now **{version}**)")),
        "docs/themes.md names another context version than {version}"
    );
    assert!(
        docs.contains(&format!("\n- **Version {version}**")),
        "docs/themes.md's list of context versions has no entry for {version}"
    );
    assert!(
        !docs.to_lowercase().contains("changelog")
            || ["CHANGELOG.md", "CHANGELOG"]
                .iter()
                .any(|f| repo().join(f).is_file()),
        "docs/themes.md mentions a changelog the repository does not have"
    );
}

#[test]
fn the_classic_theme_is_one_line_away_and_older_themes_need_no_coauthors_page() {
    let site = example_site();
    use_theme(site.path(), "classic");
    build(site.path());
    let public = site.path().join("public");
    let home = html(&public.join("index.html"));
    assert_eq!(
        home.select(&sel("link[href='/homepage/classic.css']"))
            .count(),
        1
    );
    assert_eq!(
        home.select(&sel("script[src]")).count(),
        0,
        "classic has no script"
    );
    assert_eq!(home.select(&sel("ol.pubs li")).count(), 30);
    assert!(public.join("coauthors/index.html").is_file());
    assert!(
        !public.join("style.css").exists(),
        "nothing of the default theme"
    );
    let paper = html(&public.join(AUTOREP).join("index.html"));
    assert_eq!(paper.select(&sel("meta[name=citation_title]")).count(), 1);
    assert!(visible_text(&paper).contains("ICCV 2023"));

    // A theme without coauthors.html (made before it existed) still builds, without that page.
    fs::remove_file(repo_theme_copy(site.path()).join("templates/coauthors.html")).unwrap();
    build(site.path());
    assert!(!public.join("coauthors/index.html").exists());
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert!(!home.contains("coauthors/"));
}

#[test]
fn every_theme_gets_the_math_stylesheet_and_font_and_a_site_may_replace_them() {
    let site = example_site();
    use_theme(site.path(), "classic");
    // A theme of the site's own, without any math files of its own.
    let theme = repo_theme_copy(site.path());
    assert!(!theme.join("static/math").exists());
    build(site.path());
    let public = site.path().join("public");
    let engine = repo().join("assets/math");
    for rel in [
        "math.css",
        "font/latinmodern-math.woff2",
        "LICENSE-pulldown-latex",
    ] {
        assert_eq!(
            fs::read(public.join("math").join(rel)).unwrap(),
            fs::read(engine.join(rel)).unwrap(),
            "{rel}"
        );
    }
    let home = html(&public.join("index.html"));
    assert_eq!(
        home.select(&sel("link[rel=stylesheet][href='/homepage/math/math.css']"))
            .count(),
        1
    );

    // The site's static/ (like a theme's) wins over the engine's file of the same path.
    fs::create_dir_all(site.path().join("static/math")).unwrap();
    fs::write(site.path().join("static/math/math.css"), "math{color:teal}").unwrap();
    build(site.path());
    assert_eq!(
        fs::read_to_string(public.join("math/math.css")).unwrap(),
        "math{color:teal}"
    );
    assert!(public.join("math/font/latinmodern-math.woff2").is_file());

    // One file per output path is copied (they are copied in parallel): the site's replaces
    // the theme's, which replaces the engine's.
    fs::write(theme.join("static/classic.css"), "/* the theme's */").unwrap();
    fs::write(site.path().join("static/classic.css"), "/* the site's */").unwrap();
    fs::create_dir_all(theme.join("static/math")).unwrap();
    fs::write(theme.join("static/math/math.css"), "/* the theme's */").unwrap();
    let settings = scholarsite::load::settings::Settings::load(
        site.path(),
        &scholarsite::load::settings::Overrides::default(),
    )
    .unwrap();
    let statics = scholarsite::render::theme::Theme::load(&settings)
        .unwrap()
        .statics;
    for rel in ["classic.css", "math/math.css"] {
        let shown: Vec<_> = statics
            .iter()
            .filter(|s| s.rel == rel)
            .map(|s| &s.shown)
            .collect();
        assert_eq!(shown, [&site.path().join("static").join(rel)], "{rel}");
    }
}

/// Copies the built-in classic theme into the site as `themes/classic/` (which then wins).
fn repo_theme_copy(root: &Path) -> std::path::PathBuf {
    let dir = root.join("themes/classic");
    copy_tree(&repo().join("themes/classic"), &dir);
    dir
}

#[test]
fn accent_colours_come_from_extra() {
    let site = example_site();
    let config = fs::read_to_string(site.path().join("config.toml")).unwrap();
    fs::write(
        site.path().join("config.toml"),
        config.replace(
            "[extra]",
            "[extra]\naccent = \"#7a2e8f\"\naccent_dark = \"red;}body{display:none\"\ncolor_scheme = \"dark\"",
        ),
    )
    .unwrap();
    build(site.path());
    let home = fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(home.contains(":root{--accent:#7a2e8f}"), "accent written");
    assert!(
        !home.contains("display:none"),
        "a non-colour is not written"
    );
    assert!(home.contains("<html lang=\"en\" data-theme=\"dark\">"));
    assert!(
        !home.contains("theme-toggle"),
        "no toggle for a fixed scheme"
    );
}
