//! Hostile input: profile and front-matter text can never inject HTML or script, no link
//! with a script URL is ever made from it, and no file is ever written outside the output
//! folder, whatever titles, slugs and file names say. Raw HTML in a Markdown body is the
//! author's and is written as is (README, "What is escaped, and what is yours").

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

/// Bibliography files with a payload in every field a reader takes: BibTeX, CSL-JSON and arXiv
/// Atom. Returns (file name, text) pairs and the titles, which must be shown as text.
fn hostile_bibliographies() -> (Vec<(&'static str, String)>, Vec<&'static str>) {
    let bib = r#"@inproceedings{evil2024,
  title = {Bib <script>alert('bib')</script> Title},
  author = {Doe, Jane and {<img src=x onerror=alert(21)>}, Mallory},
  booktitle = {Conf "><svg onload=alert(22)>},
  year = {2024},
  month = may,
  url = {javascript:alert(23)},
  doi = {10.1/"onmouseover="alert(24)},
  publisher = {<b onmouseover=alert(25)>Pub</b>},
  pages = {1--2"><script>alert(26)</script>},
  abstract = {Abstract <iframe src="javascript:alert(27)"></iframe> with \href{javascript:alert(28)}{click} and \url{javascript:alert(29)}.}
}
"#;
    let json = r#"[{"id": "evil", "type": "article-journal",
  "title": "JSON <script>alert('csl')</script> Title",
  "author": [{"family": "<img src=x onerror=alert(31)>", "given": "Eve"}, {"family": "Doe", "given": "Jane"}],
  "container-title": "Journal \"><script>alert(32)</script>",
  "issued": {"date-parts": [[2023, 3, 1]]},
  "URL": "javascript:alert(33)",
  "DOI": "10.2/\"><script>alert(34)</script>",
  "volume": "<svg onload=alert(35)>",
  "abstract": "<p onclick=alert(36)>Abstract</p> $x < y$"}]
"#;
    let atom = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2401.00001v1</id>
    <published>2024-01-02T00:00:00Z</published>
    <title>Atom &lt;script&gt;alert('atom')&lt;/script&gt; Title</title>
    <summary>&lt;img src=x onerror=alert(41)&gt; summary</summary>
    <author><name>Jane Doe</name></author>
    <author><name>&lt;b onclick=alert(42)&gt;Bold&lt;/b&gt; Author</name></author>
    <arxiv:primary_category term="cs.LG"/>
    <arxiv:doi>10.3/"&gt;&lt;script&gt;alert(43)&lt;/script&gt;</arxiv:doi>
    <arxiv:journal_ref>&lt;svg onload=alert(44)&gt;</arxiv:journal_ref>
  </entry>
</feed>
"#;
    (
        vec![
            ("hostile.bib", bib.to_string()),
            ("hostile.json", json.to_string()),
            ("hostile.xml", atom.to_string()),
        ],
        vec![
            "Bib <script>alert('bib')</script> Title",
            "JSON <script>alert('csl')</script> Title",
            "Atom <script>alert('atom')</script> Title",
        ],
    )
}

/// Every page's script risks, and the visible text of all pages together.
fn risks_and_text(public: &Path) -> (Vec<String>, String) {
    let mut risks = Vec::new();
    let mut text = String::new();
    for page in html_pages(public) {
        for risk in script_risks(&page) {
            risks.push(format!("{}: {risk}", page.display()));
        }
        text.push_str(&visible_text(&html(&page)));
    }
    (risks, text)
}

/// Text from bibliography files is third-party: read as `[sources]` on every build, or
/// written into Markdown by `scholarsite import`, it is shown as text and never makes an
/// element, an attribute or a script link.
#[test]
fn bibliography_text_is_always_escaped_read_or_imported() {
    let (files, titles) = hostile_bibliographies();
    for imported in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        copy_tree(&repo().join("tests/fixtures/broken/_base"), root);
        let mut list = Vec::new();
        for (name, text) in &files {
            fs::write(root.join(name), text).unwrap();
            list.push(format!("\"{name}\""));
        }
        if imported {
            let mut args = vec!["import"];
            args.extend(files.iter().map(|(n, _)| *n));
            let out = run(root, &args);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            let mut config = fs::read_to_string(root.join("config.toml")).unwrap();
            config.push_str(&format!("\n[sources]\nfiles = [{}]\n", list.join(", ")));
            fs::write(root.join("config.toml"), config).unwrap();
        }
        let out = run(root, &["build"]);
        let how = if imported { "imported" } else { "[sources]" };
        assert!(
            out.status.success(),
            "{how}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (risks, text) = risks_and_text(&root.join("public"));
        assert!(risks.is_empty(), "{how}:\n{}", risks.join("\n"));
        for title in &titles {
            assert!(
                text.contains(title),
                "{how}: `{title}` is not shown as text"
            );
        }
    }
}

/// README's policy, exactly: raw HTML in a Markdown body is the author's and is written as
/// written (an embed, and even a script link), while Markdown's own links and images with a
/// script address are written with `#`.
#[test]
fn raw_html_in_a_markdown_body_is_written_as_is_and_markdown_links_are_neutralised() {
    let site = example_site();
    fs::write(
        site.path().join("content/embed.md"),
        "+++\ntitle = \"Embed\"\n+++\n\
         <iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"talk\"></iframe>\n\n\
         <p><a id=\"raw\" href=\"javascript:alert(1)\">raw</a></p>\n\n\
         [md](javascript:alert(2)) ![img](javascript:alert(3)) [ref][r] <javascript:alert(4)>\n\n\
         [r]: javascript:alert(5)\n",
    )
    .unwrap();
    build(site.path());
    let doc = html(&site.path().join("public/embed/index.html"));
    let iframe = doc.select(&sel(".prose iframe")).next().expect("the embed");
    assert_eq!(
        iframe.value().attr("src"),
        Some("https://www.youtube-nocookie.com/embed/abc")
    );
    let raw = doc.select(&sel("a#raw")).next().expect("the raw link");
    assert_eq!(raw.value().attr("href"), Some("javascript:alert(1)"));
    let risks: Vec<String> = script_risks(&site.path().join("public/embed/index.html"));
    assert_eq!(
        risks,
        ["a <iframe> element", "<a href=\"javascript:alert(1)\">"],
        "only the raw HTML's own"
    );
    for (what, selector, n) in [
        ("links", ".prose a:not(#raw)", 3),
        ("images", ".prose img", 1),
    ] {
        let targets: Vec<_> = doc
            .select(&sel(selector))
            .map(|e| {
                e.value()
                    .attr("href")
                    .or(e.value().attr("src"))
                    .unwrap_or("")
            })
            .collect();
        assert!(
            targets.len() == n && targets.iter().all(|t| *t == "#"),
            "Markdown {what}: {targets:?}"
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
         and $\\operatorname{<script>alert(19)</script>}$, and KaTeX's trusted commands: \
         $\\href{javascript:alert(20)}{a}$ $\\url{javascript:alert(21)}$ \
         $\\htmlClass{evil}{b}$ $\\htmlId{evil}{c}$ $\\htmlStyle{background: url(javascript:alert(22))}{d}$ \
         $\\htmlData{evil=1}{e}$.\n",
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
    // \href, \url and \html… write their content, never a link or an attribute.
    let page = site.path().join("public/papers/third/index.html");
    let doc = html(&page);
    let abs = doc.select(&sel(".abstract")).next().expect("the abstract");
    for el in abs.descendants().filter_map(scraper::ElementRef::wrap) {
        for (attr, value) in el.value().attrs() {
            assert!(
                !value.contains("evil") && !value.contains("alert") && attr != "data-evil",
                "<{} {attr}=\"{value}\">",
                el.value().name()
            );
        }
    }
    for content in ["a", "b", "c", "d", "e"] {
        assert!(
            abs.select(&sel("math"))
                .any(|m| m.text().next().is_some_and(|t| t == content)),
            "the content `{content}` of a trusted command is shown"
        );
    }
}
