//! The example site, built end to end and checked by parsing its HTML.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::*;
use scholarsite::load::settings::Overrides;

/// Titles of the seed profile's papers, read from the profile itself.
fn seed_titles() -> Vec<String> {
    let text = fs::read_to_string(repo().join("seeds/profile.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            months.iter().any(|m| l.contains(m))
                && l.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && l.len() < 25
                && l.chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_digit() || *l.as_bytes().last().unwrap() == b'e')
        })
        .map(|(i, _)| lines[i + 1].trim().to_string())
        .collect()
}

#[test]
fn example_site_has_every_paper_with_title_authors_and_abstract() {
    let site = example_site();
    let report = build(site.path());
    assert_eq!(report.papers, 30);
    let public = site.path().join("public");
    let titles = seed_titles();
    assert_eq!(titles.len(), 30, "{titles:?}");
    let pages: Vec<_> = fs::read_dir(public.join("papers"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .collect();
    assert_eq!(pages.len(), 30);
    let mut seen = BTreeSet::new();
    for entry in pages {
        let doc = html(&entry.path().join("index.html"));
        let h1 = doc.select(&sel("article h1")).next().expect("a title");
        let title = h1.text().collect::<String>();
        seen.insert(title.trim().to_string());
        let authors = doc
            .select(&sel("article .authors"))
            .next()
            .expect("authors");
        assert!(
            authors.text().collect::<String>().contains(','),
            "{title}: authors listed"
        );
        let abstract_ = doc.select(&sel(".abstract p")).next().expect("an abstract");
        assert!(
            abstract_.text().collect::<String>().len() > 200,
            "{title}: abstract shown"
        );
    }
    let expected: BTreeSet<String> = titles.into_iter().collect();
    assert_eq!(seen, expected);
}

#[test]
fn seed_formulas_are_mathml_and_no_tex_is_left_visible() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    let mut formulas = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = html(entry.path());
        let text = visible_text(&doc);
        for raw in [
            "$\\",
            "\\textit{",
            "\\textbf{",
            "\\times",
            "\\%",
            "\\mathrm",
        ] {
            assert!(
                !text.contains(raw),
                "{}: raw `{raw}` visible",
                entry.path().display()
            );
        }
        assert_eq!(
            doc.select(&sel(".math-error")).count(),
            0,
            "{}",
            entry.path().display()
        );
        formulas += doc.select(&sel("math")).count();
    }
    assert!(formulas > 50, "formulas rendered: {formulas}");

    let bert = html(
        &public
            .join("papers/an-automatic-and-efficient-bert-pruning-for-edge-ai-systems/index.html"),
    );
    let annotations: Vec<String> = bert
        .select(&sel(
            ".abstract math annotation[encoding='application/x-tex']",
        ))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        annotations.contains(&"_{\\mathrm{BASE}}".to_string()),
        "{annotations:?}"
    );
    assert!(
        annotations.contains(&"\\times".to_string()),
        "{annotations:?}"
    );
    let text = visible_text(&bert);
    assert!(
        text.contains("75% and 42.8% more overall pruning ratio"),
        "escaped percent signs become %"
    );

    let parse = html(&public.join("papers/different-prompts-different-ranks-prompt-aware-dynamic-rank-selection-for-svd-based-llm-compression/index.html"));
    assert!(parse.select(&sel(".abstract math")).count() >= 5);
    let freeze = html(&public.join(
        "papers/rethinking-the-potential-of-layer-freezing-for-efficient-dnn-training/index.html",
    ));
    let em: Vec<String> = freeze
        .select(&sel(".abstract em"))
        .map(|e| e.text().collect())
        .collect();
    assert!(
        em.contains(&"similarity-aware channel augmentation".to_string()),
        "{em:?}"
    );
}

/// Every `href`/`src` under the site's base path, resolved to a file in `public`.
fn assert_internal_links_resolve(public: &Path, base_path: &str) -> usize {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = html(entry.path());
        for el in doc.select(&sel("[href], [src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.starts_with("http")
                || url.starts_with("mailto:")
                || url.starts_with("data:")
                || url.starts_with('#')
            {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap();
            let rel = path.strip_prefix(base_path).unwrap_or_else(|| {
                panic!(
                    "{}: link `{url}` is outside base path {base_path}",
                    entry.path().display()
                )
            });
            let target = public.join(rel);
            let file = if rel.is_empty() || rel.ends_with('/') {
                target.join("index.html")
            } else {
                target
            };
            assert!(
                file.is_file(),
                "{}: `{url}` does not resolve",
                entry.path().display()
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_internal_link_resolves_with_a_sub_path_base_url() {
    let site = example_site();
    build(site.path());
    let checked = assert_internal_links_resolve(&site.path().join("public"), "/homepage/");
    assert!(checked > 400, "links checked: {checked}");
    assert!(site.path().join("public/.nojekyll").is_file());
    assert!(site.path().join("public/404.html").is_file());
}

#[test]
fn base_url_flag_moves_every_link_to_the_root() {
    let site = example_site();
    build_with(
        site.path(),
        Overrides {
            base_url: Some("https://jane.github.io".into()),
            ..Overrides::default()
        },
    );
    let public = site.path().join("public");
    assert_internal_links_resolve(&public, "/");
    let doc = html(&public.join("index.html"));
    let canonical = doc.select(&sel("link[rel=canonical]")).next().unwrap();
    assert_eq!(
        canonical.value().attr("href"),
        Some("https://jane.github.io/")
    );
}

#[test]
fn content_enriches_profile_papers_and_adds_new_ones() {
    let site = example_site();
    fs::write(
        site.path().join("content/papers/new-paper.md"),
        "+++\ntitle = \"A Brand New Result on $\\\\mathbb{R}^n$\"\ndate = 2026-10-01\nauthors = [\"Shaoyi Huang\", \"Ada Lovelace\"]\ncategories = [\"cs.CV\"]\nvenue = \"CVPR 2027\"\n+++\nWe prove $$\\sum_i x_i = 1.$$\n\n## Method\n\nDetails.\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/cv.md"),
        "# Curriculum vitae\n\n- 2020: PhD\n",
    )
    .unwrap();
    let report = build(site.path());
    assert_eq!(report.papers, 31);
    let public = site.path().join("public");
    let page = html(&public.join("papers/a-brand-new-result-on-r-n/index.html"));
    assert_eq!(page.select(&sel("article h1 math")).count(), 1);
    assert_eq!(page.select(&sel(".prose math[display=block]")).count(), 1);
    assert_eq!(page.select(&sel(".prose h2#method")).count(), 1);
    let me: Vec<String> = page
        .select(&sel(".authors .me"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(me, vec!["Shaoyi Huang".to_string()]);
    assert!(public.join("categories/cv/index.html").is_file());
    assert!(public.join("cv/index.html").is_file());

    // Enrichment: the example's content file adds a venue and an arXiv link to a profile paper.
    let enriched = html(&public.join(
        "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/index.html",
    ));
    assert!(visible_text(&enriched).contains("ICCV 2023"));
    let hrefs: Vec<&str> = enriched
        .select(&sel(".actions a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"https://arxiv.org/abs/2308.10134"),
        "{hrefs:?}"
    );

    // The home page: newest first, selected papers listed, owner highlighted.
    let home = html(&public.join("index.html"));
    let first = home
        .select(&sel(
            "#publications ~ ol .paper-title, section[aria-labelledby=publications] .paper-title",
        ))
        .next()
        .unwrap();
    assert!(
        first
            .text()
            .collect::<String>()
            .starts_with("A Brand New Result")
    );
    assert_eq!(
        home.select(&sel("section[aria-labelledby=selected] .paper"))
            .count(),
        4
    );
    let stats: Vec<String> = home
        .select(&sel(".stat dd"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(stats, vec!["18", "1,084", "31"]);
}

#[test]
fn category_pages_have_human_names() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    for (slug, name) in [
        ("lg", "Machine Learning"),
        ("cl", "Computation and Language"),
        ("cr", "Cryptography and Security"),
        ("ar", "Hardware Architecture"),
    ] {
        let doc = html(&public.join(format!("categories/{slug}/index.html")));
        let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
        assert_eq!(h1, name);
        assert!(doc.select(&sel(".paper")).count() >= 1);
    }
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = example_site();
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/paper.html"),
        "{% extends \"default/templates/paper.html\" %}{% block main %}<p id=\"custom\">{{ paper.title }} by {{ config.extra.tagline }}</p>{{ super() }}{% endblock main %}",
    )
    .unwrap();
    let config = fs::read_to_string(site.path().join("config.toml")).unwrap();
    fs::write(
        site.path().join("config.toml"),
        config.replace("[extra]", "[extra]\ntagline = \"me\""),
    )
    .unwrap();
    build(site.path());
    let doc = html(&site.path().join("public/papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/index.html"));
    let custom: String = doc
        .select(&sel("#custom"))
        .next()
        .expect("override used")
        .text()
        .collect();
    assert_eq!(
        custom,
        "AutoReP: Automatic ReLU Replacement for Fast Private Network Inference by me"
    );
    assert_eq!(
        doc.select(&sel("article h1")).count(),
        1,
        "super() keeps the theme's block"
    );
}

/// Most papers have no volume, pages, publisher… and no `[extra]`: their values share one empty
/// `biblio` and `extra`, while a paper that has them gets its own.
#[test]
fn every_paper_value_has_its_own_biblio_and_extra() {
    let site = example_site();
    let file = site.path().join("content/papers/nn2logic.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen(
            "\n[links]",
            "\nvolume = \"12\"\npublisher = \"ACM\"\n\n[extra]\nnote = \"best paper\"\n\n[links]",
            1,
        ),
    )
    .unwrap();
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/paper.html"),
        "{% extends \"default/templates/paper.html\" %}{% block main %}\
         <p id=\"biblio\">{% for k, v in paper.biblio %}{{ k }}={% if v %}{{ v }}{% endif %};{% endfor %}</p>\
         <p id=\"extra\">{% for k, v in paper.extra %}{{ k }}={{ v }};{% endfor %}</p>\
         {{ super() }}{% endblock main %}",
    )
    .unwrap();
    build(site.path());
    let shown = |slug: &str, id: &str| -> String {
        let doc = html(&site.path().join(format!("public/papers/{slug}/index.html")));
        let found = doc.select(&sel(&format!("#{id}"))).next();
        found.expect("the override's paragraph").text().collect()
    };
    let enriched =
        "late-breaking-results-conversion-of-neural-networks-into-logic-flows-for-edge-computing";
    assert_eq!(
        shown(enriched, "biblio"),
        "volume=12;number=;pages=;publisher=ACM;institution=;"
    );
    assert_eq!(shown(enriched, "extra"), "note=best paper;");
    let plain = "autorep-automatic-relu-replacement-for-fast-private-network-inference";
    assert_eq!(
        shown(plain, "biblio"),
        "volume=;number=;pages=;publisher=;institution=;"
    );
    assert_eq!(shown(plain, "extra"), "");
}

#[test]
fn a_broken_profile_leaves_public_as_it_was() {
    let site = example_site();
    build(site.path());
    let public = site.path().join("public");
    let before = snapshot(&public);
    let profile = site.path().join("seeds/profile.txt");
    let text = fs::read_to_string(&profile).unwrap();
    fs::write(
        &profile,
        text.replacen("LGAug 7, 2022", "LGAug 77, 2022", 1),
    )
    .unwrap();
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: `Aug 77, 2022` is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("seeds/profile.txt:12:1"), "{stderr}");
    assert_eq!(snapshot(&public), before, "public/ unchanged");
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

#[test]
fn hostile_profile_text_is_escaped() {
    let site = example_site();
    let profile = site.path().join("seeds/profile.txt");
    let text = fs::read_to_string(&profile).unwrap();
    let hostile = text
        .replacen(
            "AutoReP: Automatic ReLU Replacement for Fast Private Network Inference",
            "<script>alert('t')</script> AutoReP",
            1,
        )
        .replacen(
            "Hongwu Peng, Shaoyi Huang, Tong Zhou",
            "<img src=x onerror=alert(1)>, Shaoyi Huang",
            1,
        )
        .replacen(
            "The growth of the Machine-Learning",
            "<script>alert('a')</script> $</annotation><script>x()</script>$ The growth",
            1,
        );
    fs::write(&profile, hostile).unwrap();
    build(site.path());
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let doc = html(entry.path());
            for script in doc.select(&sel("script")) {
                let src = script.value().attr("src");
                let json = script.value().attr("type") == Some("application/ld+json");
                let text: String = script.text().collect();
                let ours = src == Some("/homepage/site.js") || (json && !text.contains('<'));
                assert!(ours, "{}: {}", entry.path().display(), script.html());
            }
            assert_eq!(
                doc.select(&sel("img[onerror]")).count(),
                0,
                "{}",
                entry.path().display()
            );
        }
    }
    let home = html(&site.path().join("public/index.html"));
    assert!(
        visible_text(&home).contains("<script>alert('t')</script> AutoReP"),
        "shown as text"
    );
}

#[test]
fn init_scaffolds_a_site_that_builds_without_a_themes_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "mysite"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = tmp.path().join("mysite");
    assert!(!site.join("themes").exists());
    for f in ["config.toml", "seeds/profile.txt", ".gitignore"] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let out = run(&site, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "no warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = html(&site.join("public/papers/sparse-attention-in-o-n-log-n-time/index.html"));
    assert!(
        visible_text(&doc).contains("Example Conference 2024"),
        "the example paper enriches its profile paper"
    );
    assert!(doc.select(&sel("math")).count() >= 3);
    let again = run(tmp.path(), &["init", "mysite"]);
    assert_eq!(again.status.code(), Some(1), "refuses a non-empty folder");
}

/// The long flags written in README's "Command line" block, by the command they follow
/// (`"build"`, `"new paper"`; `""` for a line of flags every command takes).
fn readme_flags(cli: &clap::Command) -> BTreeMap<String, BTreeSet<String>> {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("\n## Command line\n")
        .nth(1)
        .expect("README has a Command line section");
    let block = section
        .split("```")
        .nth(1)
        .expect("a code block in the Command line section");
    let mut flags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in block.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace().peekable();
        if words.next() != Some("scholarsite") {
            continue;
        }
        let (mut path, mut cmd) = (Vec::new(), cli);
        while let Some(sub) = words.peek().and_then(|w| cmd.find_subcommand(w)) {
            path.push(sub.get_name());
            cmd = sub;
            words.next();
        }
        let set = flags.entry(path.join(" ")).or_default();
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '/')) {
            if let Some(i) = word.find("--") {
                set.insert(word[i..].to_string());
            }
        }
    }
    flags
}

/// Every command and subcommand clap knows, with its path (`["new", "paper"]`).
fn commands(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut p = path.clone();
        p.push(sub.get_name().to_string());
        out.push((p.clone(), sub.clone()));
        commands(sub, p, out);
    }
}

/// The long flags of a command, without `--help` and `--version`.
fn long_flags(cmd: &clap::Command) -> Vec<(String, &clap::Arg)> {
    cmd.get_arguments()
        .filter_map(|a| a.get_long().map(|l| (format!("--{l}"), a)))
        .filter(|(l, _)| l != "--help" && l != "--version")
        .collect()
}

/// Every flag of every command, as clap knows it, is in that command's `--help` with a
/// description, and in README's Command line block (on its command's line; a flag every
/// command takes, such as `--root`, once); every flag README names there exists.
#[test]
fn usage_errors_exit_2_and_help_is_complete() {
    use clap::CommandFactory;
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the site configuration"));

    let mut cli = scholarsite::cli::Cli::command();
    cli.build();
    let global: Vec<String> = long_flags(&cli)
        .into_iter()
        .filter(|(_, a)| a.is_global_set())
        .map(|(l, _)| l)
        .collect();
    assert!(global.contains(&"--root".to_string()), "{global:?}");
    let readme = readme_flags(&cli);
    let anywhere: BTreeSet<&String> = readme.values().flatten().collect();
    let mut all = Vec::new();
    commands(&cli, Vec::new(), &mut all);
    let mut seen = BTreeSet::new();
    for (path, cmd) in &all {
        let name = path.join(" ");
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = run(tmp.path(), &args);
        assert!(help.status.success(), "{name} --help");
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        let documented = readme.get(&name).cloned().unwrap_or_default();
        let flags = long_flags(cmd);
        for (flag, arg) in &flags {
            assert!(
                help.contains(flag.as_str()),
                "`scholarsite {name} --help` does not show {flag}:\n{help}"
            );
            assert!(
                arg.get_help()
                    .is_some_and(|h| !h.to_string().trim().is_empty()),
                "{name} {flag} has no description"
            );
            assert!(
                documented.contains(flag) || (global.contains(flag) && anywhere.contains(flag)),
                "README's Command line block does not name `scholarsite {name} {flag}`"
            );
            seen.insert(format!("{name} {flag}"));
        }
        for flag in &documented {
            assert!(
                flags.iter().any(|(f, _)| f == flag),
                "README names `scholarsite {name} {flag}`, which does not exist"
            );
        }
    }
    for flag in &readme.get("").cloned().unwrap_or_default() {
        assert!(
            global.contains(flag),
            "README names `scholarsite {flag}` for every command, which is not a global flag"
        );
    }
    for name in readme.keys().filter(|k| !k.is_empty()) {
        assert!(
            all.iter().any(|(p, _)| &p.join(" ") == name),
            "README's Command line names `scholarsite {name}`, which does not exist"
        );
    }
    for flag in [
        "build --watch",
        "build --poll",
        "build --dump-context",
        "build --output-dir",
        "build --base-url",
        "serve --poll",
        "serve --port",
        "check --external",
        "init --force",
    ] {
        assert!(seen.contains(flag), "{flag}");
    }
}

#[test]
fn drafts_are_built_only_with_the_flag() {
    let site = example_site();
    fs::write(
        site.path().join("content/papers/draft.md"),
        "+++\ntitle = \"Work in Progress\"\ndraft = true\ndate = 2026-01-01\n+++\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/talk.md"),
        "+++\ntitle = \"Unfinished Talk\"\ndraft = true\n+++\nSoon.\n",
    )
    .unwrap();
    build(site.path());
    assert!(!site.path().join("public/papers/work-in-progress").exists());
    assert!(
        !site.path().join("public/talk").exists(),
        "draft pages are not built"
    );
    let home = fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(
        !home.contains("Unfinished Talk"),
        "nor listed in the navigation"
    );
    build_with(
        site.path(),
        Overrides {
            drafts: true,
            ..Overrides::default()
        },
    );
    assert!(
        site.path()
            .join("public/papers/work-in-progress/index.html")
            .is_file()
    );
    assert!(site.path().join("public/talk/index.html").is_file());
}

/// The paper links of a page's publication list (`.all-pubs`), in order.
fn listed(doc: &scraper::Html) -> Vec<String> {
    doc.select(&sel(".all-pubs li.paper a.paper-title"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// The year pages of a split listing, following `rel=next` from the first year in the index.
fn year_pages(public: &Path, index: &str) -> Vec<String> {
    let doc = html(&public.join(index).join("index.html"));
    let first = doc
        .select(&sel("nav.year-index a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a year index")
        .to_string();
    let mut pages = vec![first];
    loop {
        let rel = pages.last().unwrap().strip_prefix("/homepage/").unwrap();
        let doc = html(&public.join(rel).join("index.html"));
        let next = doc
            .select(&sel("nav.pager a[rel=next]"))
            .next()
            .and_then(|a| a.value().attr("href"));
        match next {
            Some(next) => pages.push(next.to_string()),
            None => break,
        }
        assert!(pages.len() < 100, "the next links loop");
    }
    pages
}

#[test]
fn a_long_list_is_split_into_year_pages_with_an_index() {
    let site = example_site();
    append_config(
        site.path(),
        "[listings]\nmax_per_page = 4\n[home]\nrecent = 3\n",
    );
    build(site.path());
    let public = site.path().join("public");
    let all: Vec<String> = {
        let plain = example_site();
        build(plain.path());
        listed(&html(&plain.path().join("public/papers/index.html")))
    };
    assert_eq!(all.len(), 30);

    // /papers/ is the index of years: counts, no papers; the years' pages hold every paper once,
    // newest first, at most four to a page, each linking back to the index and to its neighbours.
    let index = html(&public.join("papers/index.html"));
    assert!(listed(&index).is_empty());
    let counts: usize = index
        .select(&sel("nav.year-index .count"))
        .map(|c| {
            let text: String = c.text().collect();
            text.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(counts, 30);
    let pages = year_pages(&public, "papers/");
    assert!(
        pages.contains(&"/homepage/papers/2025/3/".to_string()),
        "{pages:?}"
    );
    let mut shown = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let rel = page.strip_prefix("/homepage/").unwrap();
        let doc = html(&public.join(rel).join("index.html"));
        let papers = listed(&doc);
        assert!((1..=4).contains(&papers.len()), "{page}: {papers:?}");
        shown.extend(papers);
        let prev = doc
            .select(&sel("nav.pager a[rel=prev]"))
            .next()
            .and_then(|a| a.value().attr("href"));
        assert_eq!(prev, i.checked_sub(1).map(|p| pages[p].as_str()), "{page}");
        let current: Vec<String> = doc
            .select(&sel("nav.year-index a[aria-current=page]"))
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(current.len(), 1, "{page}");
        assert!(
            rel.starts_with(&format!("papers/{}/", current[0])),
            "{page}"
        );
        let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
        assert!(h1.contains(&current[0]), "{h1}");
        let form = doc.select(&sel("form.filters")).next().unwrap();
        assert_eq!(
            form.value().attr("data-scope"),
            Some("site"),
            "searches every paper"
        );
    }
    assert_eq!(shown, all, "every paper once, newest first");

    // The home page: the three newest, and the way to the rest.
    let home = html(&public.join("index.html"));
    let recent: Vec<String> = home
        .select(&sel(".all-pubs .listing-body li.paper a.paper-title"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(recent, all[..3]);
    assert!(
        home.select(&sel(".all-pubs a[href='/homepage/papers/']"))
            .next()
            .is_some()
    );
    assert_eq!(home.select(&sel(".selected li.paper")).count(), 4);

    // A research area follows the same rule: LG (22 papers) is split, CL (3) is one page.
    let lg = year_pages(&public, "categories/lg/");
    assert!(lg.iter().all(|p| p.starts_with("/homepage/categories/lg/")));
    let in_lg: usize = lg
        .iter()
        .map(|p| {
            let rel = p.strip_prefix("/homepage/").unwrap();
            listed(&html(&public.join(rel).join("index.html"))).len()
        })
        .sum();
    assert_eq!(in_lg, 22);
    let cl = html(&public.join("categories/cl/index.html"));
    assert_eq!(cl.select(&sel("li.paper")).count(), 3);
    assert!(cl.select(&sel("nav.year-index")).next().is_none());

    // Co-authors: the index names the most frequent with links to their years; a year page
    // lists the people of its papers.
    let coauthors = html(&public.join("coauthors/index.html"));
    let first = coauthors.select(&sel(".coauthors > li")).next().unwrap();
    let name: String = first
        .select(&sel(".coauthor-name"))
        .next()
        .unwrap()
        .text()
        .collect();
    let year_link = first
        .select(&sel(".coauthor-years a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_string();
    let (path, id) = year_link.split_once('#').unwrap();
    let year_page = html(
        &public
            .join(path.strip_prefix("/homepage/").unwrap())
            .join("index.html"),
    );
    let person = year_page
        .select(&sel(&format!("li#{id} .coauthor-name")))
        .next()
        .unwrap_or_else(|| panic!("{name} on {year_link}"));
    assert_eq!(person.text().collect::<String>(), name);

    // A paper's breadcrumb leads to its year's page.
    let autorep = "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";
    let page = html(&public.join(autorep).join("index.html"));
    let crumb: Vec<&str> = page
        .select(&sel(".breadcrumb a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(crumb, ["/homepage/papers/", "/homepage/papers/2023/"]);
    assert_internal_links_resolve(&public, "/homepage/");
}

#[test]
fn the_classic_theme_splits_long_lists_and_numbers_across_pages() {
    let site = example_site();
    use_theme(site.path(), "classic");
    append_config(site.path(), "[listings]\nmax_per_page = 4\n");
    build(site.path());
    let public = site.path().join("public");
    let index = html(&public.join("papers/index.html"));
    let years: Vec<String> = index
        .select(&sel("nav.years a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(years.len(), 6, "{years:?}");
    // Numbers count down from 30 across the pages: 2025's second page starts where the first
    // ended.
    let starts = |rel: &str| -> Vec<usize> {
        html(&public.join(rel).join("index.html"))
            .select(&sel("ol.pubs"))
            .map(|ol| ol.value().attr("start").unwrap().parse().unwrap())
            .collect()
    };
    assert_eq!(starts("papers/2026/"), [30]);
    assert_eq!(starts("papers/2026/2/"), [26]);
    assert_eq!(starts("papers/2025/"), [25]);
    let home = html(&public.join("index.html"));
    assert_eq!(home.select(&sel("ol.pubs > li.paper")).count(), 10);
    assert_internal_links_resolve(&public, "/homepage/");
}
