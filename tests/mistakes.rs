//! A new user's mistakes (issue 16), read back from the built pages as a visitor, Zotero and
//! a crawler see them. The warnings' exact wording is pinned by the broken-input catalog
//! (`tests/fixtures/broken/mistake-*`); here the output is checked.

mod common;

use std::fs;
use std::path::Path;

use common::{example_site, html, run, sel, use_theme};

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn build(root: &Path) -> String {
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

fn meta(doc: &scraper::Html, name: &str) -> Vec<String> {
    doc.select(&sel(&format!("meta[name=\"{name}\"]")))
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect()
}

#[test]
fn ids_written_as_urls_reach_every_format_as_ids() {
    let site = example_site();
    let root = site.path();
    let path = root.join("content/papers/autorep.md");
    let text = fs::read_to_string(&path).expect("autorep.md").replace(
        "arxiv = \"2308.10134\"",
        "arxiv = \"https://arxiv.org/pdf/2308.10134v2.pdf\"\ndoi = \"https://doi.org/10.1109/ICCV51070.2023.00460\"",
    );
    fs::write(&path, text).expect("write");
    let stderr = build(root);
    assert!(!stderr.contains("warning"), "{stderr}");
    let page = root.join("public").join(AUTOREP);
    let doc = html(&page.join("index.html"));
    assert_eq!(meta(&doc, "citation_arxiv_id"), ["2308.10134v2"]);
    assert_eq!(meta(&doc, "citation_doi"), ["10.1109/ICCV51070.2023.00460"]);
    let arxiv_links: Vec<&str> = doc
        .select(&sel("a[href*='arxiv.org']"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        arxiv_links
            .iter()
            .all(|h| h.matches("arxiv.org").count() == 1),
        "{arxiv_links:?}"
    );
    let bib = fs::read_to_string(page.join("cite.bib")).expect("cite.bib");
    let entry = biblatex::Bibliography::parse(&bib).expect("valid BibTeX");
    let fields = &entry.iter().next().expect("one entry").fields;
    let field = |k: &str| {
        fields
            .get(k)
            .map(|v| v.iter().map(|c| c.v.get()).collect::<String>())
    };
    assert_eq!(field("eprint").as_deref(), Some("2308.10134v2"));
    assert_eq!(
        field("doi").as_deref(),
        Some("10.1109/ICCV51070.2023.00460")
    );
}

#[test]
fn a_photo_and_stylesheets_reach_every_page_in_both_themes() {
    for theme in ["default", "classic"] {
        let site = example_site();
        let root = site.path();
        use_theme(root, theme);
        let config = fs::read_to_string(root.join("config.toml")).expect("config");
        let config = config
            .replace(
                "position = \"Researcher\"",
                "position = \"Researcher\"\nphoto = \"static/me.png\"",
            )
            .replace(
                "[extra]",
                "[extra]\ncss = [\"/custom.css\", \"https://cdn.example.org/x.css\"]",
            )
            .replace(
                "base_url = \"https://scholarsite.github.io/homepage/\"",
                "base_url = \"https://name.github.io/repo/\"",
            );
        fs::write(root.join("config.toml"), config).expect("config");
        write(root, "static/me.png", "png");
        write(root, "static/custom.css", "body{}");
        let stderr = build(root);
        assert!(!stderr.contains("warning"), "{theme}: {stderr}");
        for page in [
            "index.html",
            "papers/index.html",
            &format!("{AUTOREP}/index.html"),
        ] {
            let doc = html(&root.join("public").join(page));
            let sheets: Vec<&str> = doc
                .select(&sel("head link[rel=stylesheet]"))
                .filter_map(|l| l.value().attr("href"))
                .collect();
            let n = sheets.len();
            assert!(n >= 3, "{theme} {page}: {sheets:?}");
            assert_eq!(
                sheets[n - 2..],
                ["/repo/custom.css", "https://cdn.example.org/x.css"],
                "{theme} {page}: the site's own stylesheets come last"
            );
        }
        let home = html(&root.join("public/index.html"));
        if theme == "default" {
            let src: Vec<&str> = home
                .select(&sel("img.photo"))
                .filter_map(|i| i.value().attr("src"))
                .collect();
            assert_eq!(src, ["/repo/me.png"], "{theme}");
        }
        let og: Vec<&str> = home
            .select(&sel("meta[property='og:image']"))
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(og, ["https://name.github.io/repo/me.png"], "{theme}");
    }
}

#[test]
fn check_points_a_missing_photo_at_config_toml() {
    let site = example_site();
    let root = site.path();
    let config = fs::read_to_string(root.join("config.toml")).expect("config");
    fs::write(
        root.join("config.toml"),
        config.replace(
            "position = \"Researcher\"",
            "position = \"Researcher\"\nphoto = \"me.jpg\"",
        ),
    )
    .expect("config");
    let out = run(root, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let error = stderr
        .split("\n\n")
        .find(|d| d.starts_with("error: image `/homepage/me.jpg`"))
        .unwrap_or_else(|| panic!("no error for the photo:\n{stderr}"));
    assert!(error.contains(" at config.toml:"), "{error}");
    assert!(error.contains("photo = \"me.jpg\""), "{error}");
    assert!(
        error.contains("hint: this setting of config.toml"),
        "{error}"
    );
}

#[test]
fn check_makes_an_incomplete_paper_an_error() {
    let site = example_site();
    let root = site.path();
    write(
        root,
        "content/papers/survey.md",
        "+++\ntitle = \"A Survey of Sparse Training\"\n+++\nNotes.\n",
    );
    let out = run(root, &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for what in ["has no date", "has no authors"] {
        assert!(
            stderr.contains(&format!(
                "error: paper “A Survey of Sparse Training” {what} at content/papers/survey.md:2:1"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_config_change_sticks_after_the_rebuild_that_saw_it_failed() {
    use scholarsite::load::settings::Overrides;
    use scholarsite::serve::session::{Files, Session};
    let site = example_site();
    let root = site.path();
    let mut session =
        Session::start(root, &Overrides::default(), Files::default()).expect("the example builds");
    let theme_of = |s: &Session| {
        let files = s.files().read().unwrap();
        let home = String::from_utf8_lossy(&files["index.html"]).into_owned();
        let doc = scraper::Html::parse_document(&home);
        doc.select(&sel("head link[rel=stylesheet]"))
            .filter_map(|l| l.value().attr("href").map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert!(theme_of(&session).contains(&"/homepage/style.css".to_string()));
    // Switch to a theme of the site's own that does not exist yet: the rebuild fails.
    let config = root.join("config.toml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(
        &config,
        text.replace("theme = \"default\"", "theme = \"mine\""),
    )
    .expect("write");
    let err = session
        .apply(std::slice::from_ref(&config), &mut |_| {})
        .expect_err("no theme `mine` yet");
    assert!(err.to_string().contains("mine"), "{err}");
    // The user makes the theme (a copy of the classic one): the preview must switch to it,
    // although config.toml did not change again.
    let mine = root.join("themes/mine");
    common::copy_tree(&common::repo().join("themes/classic"), &mine);
    let update = session
        .apply(&[mine.join("templates/base.html")], &mut |_| {})
        .expect("the new theme builds");
    assert!(!update.changed.is_empty());
    assert_eq!(session.settings().theme, "mine");
    assert!(
        theme_of(&session).contains(&"/homepage/classic.css".to_string()),
        "{:?}",
        theme_of(&session)
    );
}

#[test]
fn links_by_source_path_resolve_under_any_base_path() {
    for (base_url, base_path) in [
        ("https://name.github.io/", "/"),
        ("https://name.github.io/homepage/", "/homepage/"),
    ] {
        let site = example_site();
        let root = site.path();
        let config = fs::read_to_string(root.join("config.toml")).expect("config");
        fs::write(
            root.join("config.toml"),
            config.replace("https://scholarsite.github.io/homepage/", base_url),
        )
        .expect("config");
        write(
            root,
            "content/cv.md",
            "+++\ntitle = \"CV\"\n+++\n## Talks\n\nSee [AutoReP](@/papers/autorep.md), [home](@/_index.md), \
             [this](@/cv.md#talks) and ![plot](@/figures/plot.svg).\n",
        );
        write(
            root,
            "content/figures/plot.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        let paper = root.join("content/papers/autorep.md");
        let text = fs::read_to_string(&paper).expect("paper");
        fs::write(&paper, format!("{text}\nMy [CV](@/cv.md).\n")).expect("paper");
        build(root);
        let cv = html(&root.join("public/cv/index.html"));
        let hrefs: Vec<&str> = cv
            .select(&sel("main a[href], main img[src]"))
            .filter_map(|a| a.value().attr("href").or(a.value().attr("src")))
            .filter(|h| !h.starts_with('#'))
            .collect();
        assert_eq!(
            hrefs,
            [
                format!("{base_path}{AUTOREP}/"),
                base_path.to_string(),
                format!("{base_path}cv/#talks"),
                format!("{base_path}figures/plot.svg"),
            ],
            "{base_url}"
        );
        let page = html(&root.join("public").join(AUTOREP).join("index.html"));
        assert!(
            page.select(&sel("a[href]"))
                .any(|a| a.value().attr("href") == Some(&format!("{base_path}cv/"))),
            "{base_url}: the paper's body links to the CV"
        );
    }
}

#[test]
fn a_broken_link_by_source_path_fails_the_build_at_its_line() {
    let site = example_site();
    let root = site.path();
    write(
        root,
        "content/cv.md",
        "+++\ntitle = \"CV\"\n+++\nSee [my paper](@/papers/autorepp.md).\n",
    );
    let out = run(root, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: `@/papers/autorepp.md` links to content/papers/autorepp.md, which is not \
             published at content/cv.md:4:16"
        ),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn the_classic_theme_shows_what_the_default_shows_without_punctuation_slips() {
    let links = [
        ("pdf", "https://x.org/p.pdf"),
        ("code", "https://github.com/x/code"),
        ("html", "https://x.org/publisher"),
        ("slides", "https://x.org/slides"),
        ("video", "https://x.org/video"),
        ("poster", "https://x.org/poster"),
        ("project", "https://x.org/project"),
        ("data", "https://x.org/data"),
        ("blog", "https://x.org/blog"),
    ];
    let profiles = [
        ("scholar", "https://scholar.google.com/citations?user=x"),
        ("github", "https://github.com/x"),
        ("orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("linkedin", "https://linkedin.com/in/x"),
        ("x", "https://x.com/x"),
        ("bluesky", "https://bsky.app/profile/x"),
        ("mastodon", "https://mastodon.social/@x"),
        ("website", "https://x.org/"),
    ];
    let mut pages: Vec<Vec<String>> = Vec::new();
    for theme in ["default", "classic"] {
        let site = example_site();
        let root = site.path();
        use_theme(root, theme);
        let mut config = fs::read_to_string(root.join("config.toml")).expect("config");
        config = config.replace(
            "position = \"Researcher\"",
            "position = \"Researcher\"\nphoto = \"me.png\"\nemail = \"me@x.org\"",
        );
        let table: String = profiles
            .iter()
            .map(|(k, v)| format!("{k} = \"{v}\"\n"))
            .collect();
        config = config.replace(
            "[author.links]\nscholar = \"https://scholar.google.com/scholar?q=%22Shaoyi+Huang%22\"\n",
            &format!("[author.links]\n{table}"),
        );
        fs::write(root.join("config.toml"), config).expect("config");
        write(root, "static/me.png", "png");
        let path = root.join("content/papers/autorep.md");
        let text = fs::read_to_string(&path).expect("paper");
        let table: String = links
            .iter()
            .map(|(k, v)| format!("{k} = \"{v}\"\n"))
            .collect();
        fs::write(
            &path,
            text.replace("venue = \"ICCV 2023\"", "venue = \"ICCV 2023!\"")
                .replace("[links]\n", &format!("[links]\n{table}")),
        )
        .expect("paper");
        let stderr = build(root);
        assert!(!stderr.contains("warning"), "{theme}: {stderr}");
        let public = root.join("public");
        let home = html(&public.join("index.html"));
        let hrefs = |doc: &scraper::Html| -> Vec<String> {
            doc.select(&sel("main a[href]"))
                .filter_map(|a| a.value().attr("href").map(str::to_string))
                .collect()
        };
        let home_links = hrefs(&home);
        for (key, url) in profiles.iter().chain(&links) {
            assert!(
                home_links.iter().any(|h| h == url),
                "{theme}: {key} on the home page"
            );
        }
        assert!(home_links.iter().any(|h| h == "mailto:me@x.org"), "{theme}");
        assert_eq!(
            home.select(&sel("img.photo")).count(),
            1,
            "{theme}: the photo"
        );
        let selected: Vec<String> = home
            .select(&sel(".selected a.paper-title"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert!(!selected.is_empty(), "{theme}: selected publications");
        let paper = html(&public.join(AUTOREP).join("index.html"));
        let paper_links = hrefs(&paper);
        for (key, url) in &links {
            assert!(
                paper_links.iter().any(|h| h == url),
                "{theme}: {key} on the paper page"
            );
        }
        let text = common::visible_text(&home);
        for slip in ["et al..", "et al. .", "!.", "?."] {
            assert!(!text.contains(slip), "{theme}: `{slip}` in the listing");
        }
        pages.push(selected);
    }
    let mut default = pages[0].clone();
    let mut classic = pages[1].clone();
    default.sort();
    default.dedup();
    classic.sort();
    classic.dedup();
    assert_eq!(classic, default, "both themes select the same papers");
    assert_eq!(classic.len(), 4);
}
