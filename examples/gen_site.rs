//! Generates a large researcher site for benchmarks, from the seed profile's real abstracts:
//! a profile in the scraped format (varied titles, dates over many years, categories, inline
//! math), per-paper Markdown for a third of the papers, and optionally the equivalent Hugo site
//! and a bibliography of the same papers (`--bib`: `papers.bib` listed under `[sources]`, one
//! entry per paper with the full author list, DOI, venue, pages, as Google Scholar and DBLP
//! export them).
//!
//! ```sh
//! cargo run --release --example gen_site -- --papers 10000 --out /dev/shm/site [--hugo /dev/shm/hugo] [--bib]
//! ```

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A paper of the seed profile: category, title, authors line, abstract.
struct SeedPaper {
    title: String,
    authors: String,
    abstract_tex: String,
}

const CATEGORIES: &[&str] = &[
    "LG", "CL", "CV", "CR", "AR", "DC", "AI", "NE", "IR", "RO", "HEP-TH", "MES-HALL",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const VARIANTS: &[&str] = &[
    "",
    "Revisited",
    "at Scale",
    "for Edge Devices",
    "with Provable Guarantees",
    "in Practice",
    "Under Distribution Shift",
    "for Long Contexts",
    "on Commodity Hardware",
    "Without Retraining",
];
const MATH: &[&str] = &[
    "$O(n \\log n)$",
    "$\\alpha_{i} \\in [0, 1]$",
    "$\\mathbb{E}[x^2]$",
    "$\\sum_{k=1}^{K} w_k$",
    "$\\frac{1}{\\sqrt{d}}$",
    "$10^{-3}$",
    "$\\ell_2$",
    "$\\theta^\\star$",
];

struct Args {
    papers: usize,
    out: PathBuf,
    hugo: Option<PathBuf>,
    seed: PathBuf,
    bib: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut papers = 1000;
    let mut out = None;
    let mut hugo = None;
    let mut seed = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/profile.txt"));
    let mut bib = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--papers" => papers = value()?.parse().map_err(|e| format!("--papers: {e}"))?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "--seed" => seed = PathBuf::from(value()?),
            "--bib" => bib = true,
            "-h" | "--help" => {
                return Err(
                    "usage: gen_site --papers N --out DIR [--hugo DIR] [--seed PROFILE] [--bib]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        papers,
        out: out.ok_or("--out DIR is required")?,
        hugo,
        seed,
        bib,
    })
}

/// The seed's papers: entries start at a line like `LGAug 7, 2022`, then title, authors, abstract.
fn read_seed(path: &Path) -> Result<Vec<SeedPaper>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut papers = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let is_header = is_entry_header(l);
        if is_header && i + 4 < lines.len() {
            let title = lines[i + 1].to_string();
            let authors = lines[i + 3].to_string();
            let abstract_tex = lines.get(i + 5).unwrap_or(&"").to_string();
            papers.push(SeedPaper {
                title,
                authors,
                abstract_tex,
            });
            i += 6;
        } else {
            i += 1;
        }
    }
    if papers.is_empty() {
        return Err(format!("no papers found in {}", path.display()));
    }
    Ok(papers)
}

/// An entry's first line, `CATMon D, YYYY` (`LGAug 7, 2022`): a category code, then a date.
/// Header lines such as `Novelty56%` hold a month's letters too.
fn is_entry_header(line: &str) -> bool {
    MONTHS.iter().any(|m| {
        line.match_indices(m).any(|(at, _)| {
            let (code, date) = line.split_at(at);
            let Some((day, year)) = date[m.len()..].split_once(", ") else {
                return false;
            };
            let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
                n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
            };
            !code.is_empty()
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || b == b'.' || b == b'-')
                && day.strip_prefix(' ').is_some_and(|d| digits(d, 1..=2))
                && digits(year, 4..=4)
        })
    })
}

/// A small deterministic generator (no dependency, same site every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One generated paper.
struct Paper {
    category: &'static str,
    year: u32,
    month: usize,
    day: u32,
    title: String,
    authors: String,
    abstract_tex: String,
    enriched: bool,
}

fn generate(seed: &[SeedPaper], n: usize) -> Vec<Paper> {
    let mut rng = Lcg(42);
    (0..n)
        .map(|i| {
            let s = &seed[i % seed.len()];
            let variant = VARIANTS[(i / seed.len()) % VARIANTS.len()];
            let title = if variant.is_empty() {
                format!("{} {}", s.title, i + 1)
            } else {
                format!("{} {variant} {}", s.title, i + 1)
            };
            let math = MATH[rng.below(MATH.len())];
            let abstract_tex =
                format!("{} We analyse the regime {math} in detail.", s.abstract_tex);
            Paper {
                category: CATEGORIES[rng.below(CATEGORIES.len())],
                year: 2000 + (i as u32 * 7 + rng.below(3) as u32) % 27,
                month: rng.below(12),
                day: 1 + rng.below(28) as u32,
                title,
                authors: s.authors.clone(),
                abstract_tex,
                enriched: i % 3 == 0,
            }
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn slug(i: usize) -> String {
    format!("paper-{:06}", i + 1)
}

/// The scholarsite site: config, profile, enrichment Markdown.
fn write_scholarsite(out: &Path, papers: &[Paper]) -> Result<(), String> {
    let mut profile = format!(
        "Jane Benchmark\n\nLG\nh-index42\n{n}papers\n12,345citations\nNovelty50%\nAI Score50\n\n{n} Papers\n\n",
        n = papers.len()
    );
    for p in papers {
        let _ = write!(
            profile,
            "{}{} {}, {}\n{}\n\n{}\n\n{}\n\n",
            p.category, MONTHS[p.month], p.day, p.year, p.title, p.authors, p.abstract_tex
        );
    }
    write(&out.join("seeds/profile.txt"), profile.trim_end())?;
    write(
        &out.join("config.toml"),
        "base_url = \"https://bench.example.org/\"\ntitle = \"Jane Benchmark\"\n\n[profile]\nsource = \"seeds/profile.txt\"\nas_of = 2026-11-28\n\n[author]\nposition = \"Researcher\"\naffiliation = \"Benchmark University\"\n",
    )?;
    write(
        &out.join("content/_index.md"),
        "A generated researcher for benchmarks.\n",
    )?;
    for (i, p) in papers.iter().enumerate().filter(|(_, p)| p.enriched) {
        let title = p.title.replace('\\', "\\\\").replace('"', "\\\"");
        write(
            &out.join(format!("content/papers/{}.md", slug(i))),
            &format!(
                "+++\ntitle = \"{title}\"\nvenue = \"Benchmark Conference {}\"\nselected = {}\n\n[links]\npdf = \"https://example.org/{}.pdf\"\n+++\nNotes on this paper, with math $x_i^2 + y_i^2 = r^2$ and a list:\n\n- first point\n- second point\n",
                p.year,
                i % 300 == 0,
                slug(i)
            ),
        )?;
    }
    Ok(())
}

/// `papers.bib`: every paper again, with the whole author list and what a `.bib` adds (DOI,
/// venue, pages), listed under `[sources]`; every fifth entry has its abstract.
fn write_bib(out: &Path, papers: &[Paper]) -> Result<(), String> {
    const EXTRA: &[&str] = &[
        "M{\\\"u}ller, J{\\\"o}rg",
        "van der Berg, Pieter",
        "King, Jr., Martin Luther",
        "Ch{\\'a}vez, Jos{\\'e}",
    ];
    let mut bib = String::from("@string{procs = \"Proceedings of the \"}\n\n");
    for (i, p) in papers.iter().enumerate() {
        let authors: Vec<String> = p
            .authors
            .split(" · ")
            .next()
            .unwrap_or("")
            .trim_end_matches(" et al.")
            .split(", ")
            .map(str::to_string)
            .chain(EXTRA.iter().take(1 + i % 4).map(|a| (*a).to_string()))
            .collect();
        let venue = if i % 2 == 0 {
            format!("booktitle = procs # {{Benchmark Conference {}}}", p.year)
        } else {
            format!(
                "journal = {{Journal of Benchmarks}},\n  volume = {{{}}},\n  number = {{{}}}",
                i % 40,
                i % 12 + 1
            )
        };
        let kind = if i % 2 == 0 {
            "inproceedings"
        } else {
            "article"
        };
        let _ = write!(
            bib,
            "@{kind}{{bench{i},\n  title = {{{}}},\n  author = {{{}}},\n  {venue},\n  pages = {{{}--{}}},\n  year = {{{}}},\n  month = {},\n  doi = {{10.5555/bench.{i}}},\n",
            p.title,
            authors.join(" and "),
            i % 900 + 1,
            i % 900 + 12,
            p.year,
            MONTHS[p.month].to_ascii_lowercase(),
        );
        if i % 5 == 0 {
            let _ = writeln!(bib, "  abstract = {{{}}},", p.abstract_tex);
        }
        bib.push_str("}\n\n");
    }
    write(&out.join("papers.bib"), &bib)?;
    let config = out.join("config.toml");
    let mut text = fs::read_to_string(&config).map_err(|e| format!("{}: {e}", config.display()))?;
    text.push_str("\n[sources]\nfiles = [\"papers.bib\"]\n");
    write(&config, &text)
}

/// The equivalent Hugo site: one Markdown file per paper (title, date, authors, category,
/// abstract as body), and minimal templates doing the same work (a page per paper; the newest
/// papers on the home page; the publications and each category's papers grouped by year with
/// abstracts, in pages of at most 300 papers).
fn write_hugo(out: &Path, papers: &[Paper]) -> Result<(), String> {
    write(
        &out.join("hugo.toml"),
        "baseURL = \"https://bench.example.org/\"\ntitle = \"Jane Benchmark\"\ndisableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\"]\n[taxonomies]\ncategory = \"categories\"\n[markup.goldmark.renderer]\nunsafe = true\n",
    )?;
    let base = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><a href=\"/\">{{ site.Title }}</a></header><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n";
    write(&out.join("layouts/_default/baseof.html"), base)?;
    write(
        &out.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ delimit .Params.authors \", \" }}</p><p><time>{{ .Date.Format \"Jan 2, 2006\" }}</time></p>{{ range .Params.categories }}<a href=\"/categories/{{ . | urlize }}/\">{{ . }}</a>{{ end }}<section>{{ .Content }}</section></article>{{ end }}\n",
    )?;
    // Lists of papers are split as scholarsite splits them: pages of at most 300 papers (Hugo
    // pages the whole list; scholarsite starts a page at each year), grouped by year.
    let list = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate (.Pages.GroupByDate \"2006\") 300 }}{{ range $p.PageGroups }}<h2>{{ .Key }}</h2><ol>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><p>{{ delimit .Params.authors \", \" }}</p><details><summary>Abstract</summary>{{ .Content }}</details></li>{{ end }}</ol>{{ end }}{{ template \"_internal/pagination.html\" . }}{{ end }}\n";
    write(&out.join("layouts/_default/list.html"), list)?;
    write(&out.join("layouts/_default/term.html"), list)?;
    write(
        &out.join("layouts/_default/taxonomy.html"),
        "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}\n",
    )?;
    write(
        &out.join("layouts/index.html"),
        "{{ define \"main\" }}<h1>{{ site.Title }}</h1><h2>Recent publications</h2><ol>{{ range first 10 (where site.RegularPages \"Section\" \"papers\").ByDate.Reverse }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><p>{{ delimit .Params.authors \", \" }}</p><details><summary>Abstract</summary>{{ .Content }}</details></li>{{ end }}</ol><p><a href=\"/papers/\">All publications</a></p>{{ end }}\n",
    )?;
    write(
        &out.join("static/style.css"),
        "body{font-family:system-ui;max-width:46rem;margin:auto}\n",
    )?;
    for (i, p) in papers.iter().enumerate() {
        let title = p.title.replace('\\', "\\\\").replace('"', "\\\"");
        let authors: Vec<String> = p
            .authors
            .split(" · ")
            .next()
            .unwrap_or("")
            .trim_end_matches(" et al.")
            .split(", ")
            .map(|a| format!("\"{}\"", a.replace('"', "")))
            .collect();
        write(
            &out.join(format!("content/papers/{}.md", slug(i))),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = {:04}-{:02}-{:02}\nauthors = [{}]\ncategories = [\"{}\"]\n+++\n{}\n",
                p.year,
                p.month + 1,
                p.day,
                authors.join(", "),
                p.category,
                p.abstract_tex
            ),
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| {
        let seed = read_seed(&args.seed)?;
        let papers = generate(&seed, args.papers);
        let _ = fs::remove_dir_all(&args.out);
        write_scholarsite(&args.out, &papers)?;
        if args.bib {
            write_bib(&args.out, &papers)?;
        }
        if let Some(hugo) = &args.hugo {
            let _ = fs::remove_dir_all(hugo);
            write_hugo(hugo, &papers)?;
        }
        println!(
            "generated {} papers in {}",
            papers.len(),
            args.out.display()
        );
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_site: {e}");
            ExitCode::from(2)
        }
    }
}
