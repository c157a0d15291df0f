//! Hostile input: profile and front-matter text can never inject HTML or script, no link
//! with a script URL is ever written, and no file is ever written outside the output folder,
//! whatever titles, slugs and file names say.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// Payloads that would run script if they reached the page unescaped.
const PAYLOADS: &[&str] = &[
    "<script>alert('title')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "</textarea></title><script>alert(2)</script>",
    "<a href=\"javascript:alert(3)\">x</a>",
    "&lt;script&gt;",
];

/// A site whose every text field carries a payload.
fn hostile_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let p = PAYLOADS;
    fs::create_dir_all(root.join("seeds")).unwrap();
    fs::create_dir_all(root.join("content/papers")).unwrap();
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    fs::write(
        root.join("config.toml"),
        format!(
            "base_url = \"https://x.github.io/\"\ntitle = {}\ndescription = {}\n\
             [profile]\nsource = \"seeds/profile.txt\"\nas_of = 2026-11-28\n\
             [author]\nposition = {}\naffiliation = {}\nemail = {}\n\
             [author.links]\nwebsite = {}\n[extra]\nnote = {}\n",
            toml_str(p[4]),
            toml_str(p[2]),
            toml_str(p[2]),
            toml_str(p[3]),
            toml_str("a@b.c\"><script>alert(4)</script>"),
            toml_str("https://x.io/\"><script>alert(5)</script>"),
            toml_str(p[4]),
        ),
    )
    .unwrap();
    let profile = format!(
        "Jane {name}\n\nLG\nh-index1\n2papers\n\n2 Papers\n\n\
         LGAug 7, 2022\nTitle {t0} {t1}\n\nA. {a0}, Jane {name} et al. · {org}\n\n\
         Abstract {t2} and {t3} with \\href{{javascript:alert(6)}}{{click}}, \
         \\url{{ JavaScript:alert(7)}}, \\href{{https://x.io/\"onmouseover=\"alert(8)}}{{y}}, \
         https://x.io/<script>alert(9)</script> and $x < y$ and $\\text{{<script>}}$.\n\n\
         CLJun 1, 2021\nSecond {t4}\n\n{a1}\n\nAbstract {t5} {t6}.\n",
        name = p[0],
        t0 = p[1],
        t1 = p[2],
        a0 = p[3],
        org = p[4],
        t2 = p[5],
        t3 = p[6],
        t4 = p[0],
        a1 = p[1],
        t5 = p[2],
        t6 = p[3],
    );
    fs::write(root.join("seeds/profile.txt"), profile).unwrap();
    fs::write(
        root.join("content/papers/new.md"),
        format!(
            "+++\ntitle = {}\nauthors = [{}, {}]\nvenue = {}\norg = {}\nabstract = {}\n\
             [links]\npdf = {}\ncode = {}\narxiv = {}\ndoi = {}\nproject = {}\n[extra]\nx = {}\n+++\n\
             Body [a](javascript:alert(10)) [b][r] ![c](javascript:alert(11)) <javascript:alert(12)>\n\n\
             [r]: javascript:alert(13)\n",
            toml_str(&format!("New {}", p[0])),
            toml_str(p[1]),
            toml_str(p[2]),
            toml_str(p[3]),
            toml_str(p[4]),
            toml_str(&format!("{} {}", p[5], p[6])),
            toml_str("https://x.io/a.pdf\"><script>alert(14)</script>"),
            toml_str("https://x.io/' onmouseover='alert(15)"),
            toml_str("2208.0\"><script>alert(16)</script>"),
            toml_str("10.1/\"onmouseover=\"alert(17)"),
            toml_str("//x.io/project"),
            toml_str(p[0]),
        ),
    )
    .unwrap();
    fs::write(
        root.join("content/talks.md"),
        format!(
            "+++\ntitle = {}\ndescription = {}\n+++\nTalks.\n",
            toml_str(p[1]),
            toml_str(p[2])
        ),
    )
    .unwrap();
    dir
}

/// Every problem an HTML page has that could run script.
fn script_risks(page: &Path) -> Vec<String> {
    let doc = html(page);
    let mut risks = Vec::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        let text: String = el.text().collect();
        // The theme's own scripts: JSON-LD data (which nothing can close early) and its
        // site.js file; anything else that can run script is a risk.
        let json_ld = name == "script"
            && el.value().attr("type") == Some("application/ld+json")
            && !text.contains('<');
        let theme_script = name == "script"
            && el
                .value()
                .attr("src")
                .is_some_and(|s| s.ends_with("/site.js"))
            && text.trim().is_empty();
        // The theme's search form submits nowhere; a form with an action could.
        let inert_form = name == "form" && el.value().attr("action").is_none();
        if matches!(
            name,
            "script" | "iframe" | "object" | "embed" | "base" | "form" | "foreignObject"
        ) && !json_ld
            && !theme_script
            && !inert_form
        {
            risks.push(format!("a <{name}> element"));
        }
        for (attr, value) in el.value().attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                risks.push(format!("<{name} {attr}=…>"));
            }
            if matches!(attr, "href" | "src" | "action" | "formaction" | "content") {
                let cleaned: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| cleaned.starts_with(s))
                {
                    risks.push(format!("<{name} {attr}=\"{value}\">"));
                }
            }
        }
    }
    risks
}

fn html_pages(public: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn hostile_text_is_always_escaped_and_script_links_never_written() {
    let site = hostile_site();
    let settings = scholarsite::load::settings::Settings::load(
        site.path(),
        &scholarsite::load::settings::Overrides::default(),
    );
    // The website link and the e-mail are hostile but not script URLs: the build goes on.
    let settings = settings.unwrap_or_else(|e| panic!("{e}"));
    scholarsite::build::build(&settings).unwrap_or_else(|e| panic!("{e}"));
    let pages = html_pages(&site.path().join("public"));
    assert!(pages.len() > 8, "{pages:?}");
    let mut all = Vec::new();
    for page in &pages {
        for risk in script_risks(page) {
            all.push(format!("{}: {risk}", page.display()));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
    // The payloads are there, as text.
    let paper = html(
        &site
            .path()
            .join("public/papers/new-script-alert-title-script/index.html"),
    );
    let text = visible_text(&paper);
    for payload in &PAYLOADS[..6] {
        assert!(text.contains(payload), "`{payload}` not shown as text");
    }
}

#[test]
fn script_urls_in_front_matter_links_are_errors() {
    for scheme in [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
    ] {
        let site = hostile_site();
        let toml = toml::Value::String(scheme.to_string()).to_string();
        fs::write(
            site.path().join("content/papers/bad.md"),
            format!("+++\ntitle = \"Bad\"\n[links]\nslides = {toml}\n+++\n"),
        )
        .unwrap();
        let out = run(site.path(), &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{scheme}: {stderr}");
        assert!(
            stderr.starts_with(
                "error: link `slides` uses a script URL, which is refused at content/papers/bad.md:4:1"
            ),
            "{scheme}: {stderr}"
        );
        assert!(!site.path().join("public").exists());
    }
}

/// Everything under `dir`, as relative paths.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("deep/site");
    copy_tree(&repo().join("tests/fixtures/broken/_base"), &site);
    let evil_titles = [
        "../../../../escape",
        "/etc/passwd",
        "..",
        ".",
        "..\\..\\windows",
        "%2e%2e%2fescape",
        "",
        "   ",
        "CON",
        "a/../../b",
    ];
    for (i, t) in evil_titles.iter().enumerate() {
        let toml = toml::Value::String(t.to_string()).to_string();
        fs::write(
            site.join(format!("content/papers/evil{i}.md")),
            format!("+++\ntitle = {toml}\n+++\n"),
        )
        .unwrap();
    }
    for name in ["..md", "%2e%2e.md", "..%2f..%2fx.md", "a..b.md"] {
        fs::write(site.join("content").join(name), "A page.\n").unwrap();
    }
    fs::create_dir_all(site.join("content/..dots")).unwrap();
    fs::write(site.join("content/..dots/asset.txt"), "asset").unwrap();
    fs::create_dir_all(site.join("content/... /x")).unwrap();
    fs::write(site.join("content/... /x/asset.txt"), "asset").unwrap();
    let before = tree(tmp.path());
    let out = run(&site, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let after = tree(tmp.path());
    let outside: Vec<&PathBuf> = after
        .difference(&before)
        .filter(|p| !p.starts_with("deep/site/public"))
        .collect();
    assert!(
        outside.is_empty(),
        "written outside public/: {outside:?}\n{stderr}"
    );
    assert!(
        after
            .iter()
            .all(|p| p.as_os_str().is_empty() || p.starts_with("deep"))
    );
}

#[test]
fn pages_whose_names_slug_to_a_generated_path_are_errors() {
    for (name, shown) in [("-.md", "/"), ("_.md", "/"), ("papers-.md", "/papers/")] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_tree(&repo().join("tests/fixtures/broken/_base"), &site);
        fs::write(site.join("content").join(name), "A page.\n").unwrap();
        let out = run(&site, &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: page would be written to `{shown}`, which the site generates in content/{name}"
            )),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn slugs_that_leave_the_site_are_errors_in_every_form() {
    for slug in [
        "../../x",
        "/abs",
        "a/b",
        "..",
        ".",
        "a\\b",
        "x/../../y",
        "A",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_tree(&repo().join("tests/fixtures/broken/_base"), &site);
        let toml = toml::Value::String(slug.to_string()).to_string();
        fs::write(
            site.join("content/papers/evil.md"),
            format!("+++\ntitle = \"Evil\"\nslug = {toml}\n+++\n"),
        )
        .unwrap();
        let out = run(&site, &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{slug}: {stderr}");
        assert!(
            stderr.contains("is not a valid slug at content/papers/evil.md:3:1"),
            "{slug}: {stderr}"
        );
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "{slug}: nothing but the site"
        );
    }
}

#[test]
fn formulas_cannot_inject_html() {
    let site = hostile_site();
    let profile = site.path().join("seeds/profile.txt");
    let mut text = fs::read_to_string(&profile).unwrap();
    text.push_str(
        "\nLGMay 5, 2020\nThird\n\nJane\n\nAbstract $\\operatorname{<img/src=x/onerror=alert(18)>}$ \
         and $\\operatorname{<script>alert(19)</script>}$.\n",
    );
    fs::write(&profile, text).unwrap();
    build(site.path());
    let mut all = Vec::new();
    for page in html_pages(&site.path().join("public")) {
        for risk in script_risks(&page) {
            all.push(format!("{}: {risk}", page.display()));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}
