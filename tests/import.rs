//! Issue 13, bullet by bullet: bibliography files (BibTeX, BibLaTeX, CSL-JSON, arXiv Atom,
//! ORCID) as sources beside the profile, merged into papers, imported into Markdown, round
//! tripped, and read back from the built pages as Zotero and Google Scholar read them. The
//! fixtures in `tests/fixtures/import/` are written from the formats' own documents.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_tree, html, run, sel};
use scholarsite::load::sources;

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/import").join(name)
}

/// The small good site of the broken-input catalog (a 3-paper profile, one Markdown file),
/// with `files` copied in and listed under `[sources]`.
fn site_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &common::repo().join("tests/fixtures/broken/_base"),
        dir.path(),
    );
    add_sources(dir.path(), files);
    dir
}

fn add_sources(root: &Path, files: &[&str]) {
    if files.is_empty() {
        return;
    }
    for f in files {
        fs::copy(fixture(f), root.join(f)).unwrap();
    }
    let list: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
    let mut config = fs::read_to_string(root.join("config.toml")).unwrap();
    config.push_str(&format!("\n[sources]\nfiles = [{}]\n", list.join(", ")));
    fs::write(root.join("config.toml"), config).unwrap();
}

/// `<meta name=…>` contents of a page.
fn meta(doc: &scraper::Html, name: &str) -> Vec<String> {
    doc.select(&sel(&format!("meta[name=\"{name}\"]")))
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect()
}

fn page(root: &Path, slug: &str) -> scraper::Html {
    html(&root.join("public/papers").join(slug).join("index.html"))
}

fn text_of(doc: &scraper::Html, selector: &str) -> String {
    doc.select(&sel(selector))
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// 1. Sources in config; a site with no profile; `init --from`.

#[test]
fn a_site_builds_from_a_bib_alone_started_by_init_from() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "init",
            "site",
            "--from",
            fixture("btxdoc.bib").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let root = dir.path().join("site");
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    assert!(config.contains("files = [\"btxdoc.bib\"]"), "{config}");
    assert!(!config.contains("[profile]"), "{config}");
    assert!(!root.join("seeds").exists());
    let out = run(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 9 entries: the cross-referenced @proceedings is a container, not a paper.
    let papers: Vec<_> = fs::read_dir(root.join("public/papers"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .collect();
    assert_eq!(papers.len(), 8);
    let home = html(&root.join("public/index.html"));
    assert!(common::visible_text(&home).contains("The Gnats and Gnus Document Preparation System"));
}

#[test]
fn a_missing_or_unreadable_source_is_a_located_error() {
    let dir = site_with(&[]);
    let mut config = fs::read_to_string(dir.path().join("config.toml")).unwrap();
    config.push_str("\n[sources]\nfiles = [\"nowhere.bib\"]\n");
    fs::write(dir.path().join("config.toml"), &config).unwrap();
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: the bibliography `nowhere.bib` does not exist at config.toml:"),
        "{err}"
    );
    fs::write(
        dir.path().join("nowhere.bib"),
        "[{\"id\": \"a\", \"title\": \"x\"},\n  {oops}]",
    )
    .unwrap();
    let err = stderr(&run(dir.path(), &["build"]));
    assert!(err.contains("this is not valid JSON"), "{err}");
    assert!(err.contains("at nowhere.bib:2:4"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

// 2. Parsed with the well-kept crates: macros, crossref, months, accents, braces, others,
//    TeX in titles through the site's renderer, names with particles and suffixes.

#[test]
fn bibtex_features_from_the_manual() {
    let text = fs::read_to_string(fixture("btxdoc.bib")).unwrap();
    let (file, records, warnings) = sources::parse(Path::new("btxdoc.bib"), &text).unwrap();
    assert_eq!((file.entries, file.skipped, records.len()), (9, 0, 8));
    assert!(warnings.is_empty(), "{warnings:?}");
    let by_key = |k: &str| {
        records
            .iter()
            .find(|r| r.key.as_deref() == Some(k))
            .unwrap()
    };
    let gnats = by_key("aamport1986gnats");
    assert_eq!(
        gnats.venue.as_deref(),
        Some("Journal of Gnats and Gnus"),
        "@string"
    );
    assert_eq!(gnats.biblio.publisher.as_deref(), Some("ACM"));
    assert_eq!(gnats.date.unwrap().iso(), "1986-07", "month = jul");
    assert_eq!(gnats.biblio.pages.as_deref(), Some("73–77"));
    let knuth = by_key("knuth1994reduce");
    assert_eq!(
        knuth.venue.as_deref(),
        Some("Proceedings of the Third Conference on Gnus"),
        "crossref + concatenation"
    );
    assert_eq!(
        knuth.date.unwrap().iso(),
        "1994-10",
        "year and month from the crossref"
    );
    assert_eq!(
        knuth.authors,
        [
            "Donald E. Knuth",
            "Ludwig van Beethoven",
            "Martin Luther King Jr."
        ]
    );
    let accents = by_key("muller1994accents");
    assert_eq!(
        accents.authors,
        ["Jörg Müller", "José Chávez", "Søren Østergaard"]
    );
    assert!(accents.truncated, "and others");
    assert_eq!(
        by_key("wilde1988wombats").biblio.publisher.as_deref(),
        Some("Gnu Press")
    );
}

#[test]
fn titles_render_tex_and_names_keep_their_parts() {
    let dir = site_with(&["btxdoc.bib"]);
    common::build(dir.path());
    let p = page(dir.path(), "accents-in-bibtex-uber-ecole-and-cafe");
    assert_eq!(text_of(&p, "h1"), "Accents in BibTeX: Über École and Café");
    let p = page(dir.path(), "an-o-n-log-n-log-log-n-sorting-algorithm");
    assert!(
        p.select(&sel("h1 math")).next().is_some(),
        "math in a title is MathML"
    );
    let p = page(
        dir.path(),
        "on-the-reduction-of-gnus-populations-in-tex-based-systems",
    );
    assert_eq!(
        meta(&p, "citation_author"),
        [
            "Donald E. Knuth",
            "Ludwig van Beethoven",
            "Martin Luther King Jr."
        ]
    );
    // The site-wide CSL-JSON (per-paper files are opt-in).
    let all: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("public/papers.json")).unwrap())
            .unwrap();
    let csl = all
        .as_array()
        .unwrap()
        .iter()
        .find(|item| {
            item["URL"].as_str().is_some_and(|u| {
                u.ends_with("/papers/on-the-reduction-of-gnus-populations-in-tex-based-systems/")
            })
        })
        .expect("the paper in papers.json");
    assert_eq!(csl["author"][1]["family"], "van Beethoven");
    assert_eq!(csl["author"][2]["family"], "King");
    assert_eq!(csl["author"][2]["suffix"], "Jr.");
}

// 3. One paper, many records: merged by DOI, arXiv id or title + year, field by field, with
//    the origin of each field shown by `build --explain`; duplicates in a file warned about.

#[test]
fn records_merge_into_profile_papers_field_by_field() {
    let dir = site_with(&["dblp.bib", "zotero.bib", "arxiv.xml"]);
    let report = common::build(dir.path());
    // The profile's 3 papers, plus DBLP's ICCAD paper and Zotero's German article.
    assert_eq!(report.papers, 5);
    let p = page(
        dir.path(),
        "a-length-adaptive-algorithm-hardware-co-design-of-transformer-on-fpga",
    );
    // The profile truncated the authors to three; the bibliographies have all five.
    assert_eq!(meta(&p, "citation_author").len(), 5);
    assert_eq!(meta(&p, "citation_doi"), ["10.1145/3489517.3530585"]);
    assert_eq!(meta(&p, "citation_firstpage"), ["1135"]);
    assert_eq!(meta(&p, "citation_lastpage"), ["1140"]);
    let out = run(
        dir.path(),
        &[
            "build",
            "--explain",
            "a-length-adaptive-algorithm-hardware-co-design-of-transformer-on-fpga",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let explained = String::from_utf8_lossy(&out.stdout);
    let line = |field: &str| {
        explained
            .lines()
            .find(|l| l.trim_start().starts_with(field))
            .unwrap_or_else(|| panic!("{field} in {explained}"))
            .to_string()
    };
    assert!(
        line("authors").ends_with("bibliography dblp.bib:1 (`DBLP:conf/dac/PengDCZW22`)"),
        "{explained}"
    );
    assert!(
        line("abstract").ends_with("bibliography zotero.bib:2 (`peng_length_2022`)"),
        "{explained}"
    );
    assert!(
        line("org").ends_with("profile seeds/profile.txt:10"),
        "{explained}"
    );
    // The Markdown file wins over everything.
    let out = run(
        dir.path(),
        &[
            "build",
            "--explain",
            "/papers/an-automatic-and-efficient-bert-pruning-for-edge-ai-systems/",
        ],
    );
    let explained = String::from_utf8_lossy(&out.stdout);
    assert!(explained.contains("venue        ISQED 2022"), "{explained}");
    assert!(
        explained.contains("← front matter content/papers/bert.md"),
        "{explained}"
    );
    let p = page(
        dir.path(),
        "an-automatic-and-efficient-bert-pruning-for-edge-ai-systems",
    );
    assert_eq!(
        meta(&p, "citation_conference_title"),
        ["ISQED 2022"],
        "front matter venue, kind guessed"
    );
    let err = stderr(&run(
        dir.path(),
        &["build", "--explain", "a-length-adaptive"],
    ));
    assert!(
        err.contains("the site has no paper `a-length-adaptive`"),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn duplicates_in_one_file_are_merged_with_a_warning_naming_both() {
    let dir = site_with(&["scholar.bib"]);
    let report = common::build(dir.path());
    let w: Vec<String> = report.warnings.iter().map(|d| d.to_string()).collect();
    let dup = w
        .iter()
        .find(|w| w.contains("are one paper"))
        .unwrap_or_else(|| panic!("{w:?}"));
    assert!(
        dup.contains("`doe2021sparse` (line 16) and `doe2021sparse2` (line 27) are one paper (the same title)"),
        "{dup}"
    );
    assert!(
        dup.contains("scholar.bib:27:1\n 27 | @article{doe2021sparse2,"),
        "{dup}"
    );
}

// 4. Types and venues.

#[test]
fn entry_types_become_citation_types_and_tags() {
    let dir = site_with(&["btxdoc.bib", "biblatex.bib"]);
    common::build(dir.path());
    let root = dir.path();
    let p = page(root, "the-gnats-and-gnus-document-preparation-system");
    assert_eq!(
        meta(&p, "citation_journal_title"),
        ["Journal of Gnats and Gnus"]
    );
    assert_eq!(meta(&p, "citation_volume"), ["41"]);
    assert_eq!(meta(&p, "citation_issue"), ["7"]);
    let p = page(
        root,
        "on-the-reduction-of-gnus-populations-in-tex-based-systems",
    );
    assert_eq!(
        meta(&p, "citation_conference_title"),
        ["Proceedings of the Third Conference on Gnus"]
    );
    let p = page(root, "fighting-fire-with-fire-festooning-french-phrases");
    assert_eq!(
        meta(&p, "citation_dissertation_institution"),
        ["Fanstord University"]
    );
    let p = page(root, "pruning-recipes");
    assert_eq!(
        meta(&p, "citation_technical_report_institution"),
        ["Example Lab"]
    );
    assert_eq!(
        meta(&p, "citation_technical_report_number"),
        ["EL-TR-2019-04"]
    );
    assert_eq!(
        meta(&p, "citation_publication_date"),
        ["2019/05/01"],
        "date range: its start"
    );
    let p = page(root, "semigroups-of-recurrences");
    assert_eq!(
        meta(&p, "citation_inbook_title"),
        ["High Speed Computer and Algorithm Organization"]
    );
    let p = page(root, "sparse-attention");
    assert_eq!(
        meta(&p, "citation_inbook_title"),
        ["Handbook of Edge Computing"],
        "crossref to @mvbook"
    );
    let p = page(root, "transformers-on-microcontrollers-a-field-study");
    assert_eq!(
        meta(&p, "citation_journal_title"),
        ["Journal of Systems Architecture"],
        "journaltitle"
    );
    assert_eq!(
        meta(&p, "citation_publication_date"),
        ["2024/03/15"],
        "BibLaTeX date"
    );
    let p = page(root, "logic-flows-for-everyone");
    assert_eq!(
        meta(&p, "citation_technical_report_number"),
        ["arXiv:2501.01234"],
        "eprint + eprinttype"
    );
    let bib = |slug: &str| {
        fs::read_to_string(root.join("public/papers").join(slug).join("cite.bib")).unwrap()
    };
    assert!(bib("fighting-fire-with-fire-festooning-french-phrases").starts_with("@phdthesis{"));
    assert!(bib("pruning-recipes").starts_with("@techreport{"));
    assert!(bib("semigroups-of-recurrences").starts_with("@incollection{"));
    assert!(bib("wombats-and-their-impact-on-tex").starts_with("@book{"));
    assert!(bib("logic-flows-for-everyone").starts_with("@misc{"));
}

// 5. `import` writes Markdown, never overwriting a file the user changed.

#[test]
fn import_writes_markdown_and_respects_edits() {
    let dir = site_with(&[]);
    let root = dir.path();
    let out = run(
        root,
        &[
            "import",
            fixture("zotero.bib").to_str().unwrap(),
            fixture("arxiv.xml").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let papers = root.join("content/papers");
    // The Length Adaptive paper enriches the profile paper: same slug.
    let la =
        papers.join("a-length-adaptive-algorithm-hardware-co-design-of-transformer-on-fpga.md");
    let text = fs::read_to_string(&la).unwrap();
    assert!(
        text.contains(
            "slug = \"a-length-adaptive-algorithm-hardware-co-design-of-transformer-on-fpga\""
        ),
        "{text}"
    );
    assert!(text.contains("authors = [\"Hongwu Peng\", \"Jane Doe\", \"Shiyang Chen\", \"Yuxuan Zhang\", \"Kai Wang\"]"), "{text}");
    assert!(text.contains("pages = \"1135–1140\""), "{text}");
    assert!(text.contains("doi = \"10.1145/3489517.3530585\""), "{text}");
    // bert.md is the user's own file: only the keys it lacked are added, its text stays.
    let bert = papers.join("bert.md");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("merged   bert.md"), "{stdout}");
    let merged = fs::read_to_string(&bert).unwrap();
    let original = fs::read_to_string(
        common::repo().join("tests/fixtures/broken/_base/content/papers/bert.md"),
    )
    .unwrap();
    assert!(
        merged.ends_with(&original[original.find("venue").unwrap()..])
            || merged.contains("venue = \"ISQED 2022\""),
        "{merged}"
    );
    // A user's edit of an imported file is kept; an untouched one is updated.
    let edited = fs::read_to_string(&la)
        .unwrap()
        .replace("title = ", "selected = true\ntitle = ");
    fs::write(&la, &edited).unwrap();
    let de = papers.join("uber-die-genauigkeit-von-gleitkommazahlen.md");
    let before = fs::read_to_string(&de).unwrap();
    let out = run(
        root,
        &[
            "import",
            fixture("zotero.bib").to_str().unwrap(),
            fixture("arxiv.xml").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&la).unwrap(),
        edited,
        "the user's edit is kept byte for byte"
    );
    assert_eq!(fs::read_to_string(&de).unwrap(), before);
    // The site builds from the Markdown alone (no [sources]).
    let report = common::build(root);
    assert_eq!(report.papers, 4);
    let p = page(
        root,
        "a-length-adaptive-algorithm-hardware-co-design-of-transformer-on-fpga",
    );
    assert_eq!(meta(&p, "citation_author").len(), 5);
}

// 6. Round trip of the site's own papers.bib and papers.json; every author for Zotero.

fn fresh_site_from(file: &Path, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(file, dir.path().join(name)).unwrap();
    fs::write(
        dir.path().join("config.toml"),
        format!("base_url = \"https://jane.github.io/\"\n[sources]\nfiles = [\"{name}\"]\n[author]\nname = \"Shaoyi Huang\"\n"),
    )
    .unwrap();
    dir
}

/// What must survive a round trip, per paper, keyed by title. CSL-JSON has no "et al."; the
/// BibTeX entries (shown on every listing) carry no abstract.
fn fields(
    site: &scholarsite::model::Site,
    bib: bool,
) -> std::collections::BTreeMap<String, String> {
    site.papers
        .iter()
        .map(|p| {
            let authors: Vec<&str> = p.authors.iter().map(|a| a.name.as_str()).collect();
            (
                p.title.to_string(),
                format!(
                    "{:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                    authors,
                    bib && p.authors_truncated,
                    p.date.map(|d| d.iso()),
                    p.kind,
                    p.venue,
                    p.links.arxiv,
                    p.links.doi,
                    p.biblio,
                    if bib { "" } else { &p.abstract_text },
                ),
            )
        })
        .collect()
}

fn load_site(root: &Path) -> scholarsite::model::Site {
    let settings = scholarsite::load::settings::Settings::load(root, &Default::default()).unwrap();
    scholarsite::build::load(&settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .site
}

#[test]
fn our_papers_bib_and_json_round_trip() {
    let example = common::example_site();
    common::build(example.path());
    for name in ["papers.bib", "papers.json"] {
        let truncation = name.ends_with(".bib");
        let original = fields(&load_site(example.path()), truncation);
        assert_eq!(original.len(), 30);
        let fresh = fresh_site_from(&example.path().join("public").join(name), name);
        let again = fields(&load_site(fresh.path()), truncation);
        assert_eq!(again.len(), original.len(), "{name}");
        for (title, f) in &original {
            let g = again
                .get(title)
                .unwrap_or_else(|| panic!("{name}: “{title}” missing"));
            assert_eq!(g, f, "{name}: “{title}”");
        }
    }
}

#[test]
fn zotero_reads_every_author_of_a_bib_paper() {
    let dir = site_with(&["arxiv.xml"]);
    common::build(dir.path());
    let p = page(
        dir.path(),
        "conversion-of-neural-networks-into-logic-flows-for-edge-computing",
    );
    // The profile says "Daniel Stein, J. Doe et al."; the feed has all four.
    assert_eq!(
        meta(&p, "citation_author"),
        [
            "Daniel Stein",
            "Jane Doe",
            "Ana María de la Cruz",
            "Pieter van der Berg"
        ]
    );
    // The site-wide RIS (per-paper files are opt-in).
    let ris = fs::read_to_string(dir.path().join("public/papers.ris")).unwrap();
    assert!(ris.contains("AU  - de la Cruz, Ana María\r\n"), "{ris}");
}

// 7. Bad input: located warnings for skipped entries, errors for unreadable files, no panics.

#[test]
fn malformed_entries_are_skipped_with_located_warnings() {
    let dir = site_with(&["malformed.bib"]);
    let out = run(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: entry `bad2021comma`: expected a comma between fields; the entry is skipped at malformed.bib:14:3"), "{err}");
    assert!(err.contains("warning: entry `bad2022brace`: the entry ends before its braces or quotes are closed; the entry is skipped at malformed.bib:20:15"), "{err}");
    assert!(
        err.contains(
            "`year = in press` is not a year; the paper has no date at malformed.bib:40:13"
        ),
        "{err}"
    );
    assert!(
        dir.path()
            .join("public/papers/go-to-statement-considered-harmful/index.html")
            .is_file()
    );
    // A file with no readable entry at all is an error.
    fs::write(
        dir.path().join("malformed.bib"),
        "@article{x,\n  title = {Unclosed\n",
    )
    .unwrap();
    let out = run(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: entry `x`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_fixture_reads_without_panicking_and_reports_its_counts() {
    let mut table = String::from("fixture | format | entries | records | skipped | warnings\n");
    for entry in fs::read_dir(common::repo().join("tests/fixtures/import")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (file, records, warnings) =
            sources::parse(Path::new(&name), &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for r in &records {
            assert!(r.title.is_some(), "{name}: {r:?}");
        }
        table.push_str(&format!(
            "{name} | {} | {} | {} | {} | {}\n",
            file.format.name(),
            file.entries,
            records.len(),
            file.skipped,
            warnings.len()
        ));
    }
    println!("{table}");
}
