//! Micro-benchmarks of the stages where build time goes: the profile parser, TeX + math and
//! Markdown rendering of an abstract, and template rendering of a paper page.
//! Run with `cargo bench`.

use std::path::{Path, PathBuf};

use scholarsite::base::date::Date;
use scholarsite::load::settings::{Overrides, Settings};
use scholarsite::tex::{self, Layout};

fn main() {
    divan::main();
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> String {
    std::fs::read_to_string(repo().join("seeds/profile.txt")).expect("the seed profile")
}

/// The seed profile's 30 papers repeated to `n` entries.
fn profile_of(n: usize) -> String {
    let text = seed();
    let start = text.find("LGAug 7, 2022").expect("first entry");
    let (header, entries) = text.split_at(start);
    let mut out = header.to_string();
    while out.len() < header.len() + entries.len() * n / 30 {
        out.push_str(entries);
        out.push_str("\n\n");
    }
    out
}

#[divan::bench(args = [30, 1000])]
fn parse_profile(bencher: divan::Bencher, n: usize) {
    let text = profile_of(n);
    let as_of = Date::new(2026, 11, 28).expect("a date");
    bencher.bench(|| {
        scholarsite::load::profile::parse(divan::black_box(&text), Path::new("p.txt"), as_of)
    });
}

const ABSTRACT: &str = r"On STS-B, we achieve a 40\% higher pruning ratio on BERT$_{\mathrm{BASE}}$ with a 1.83$\times$ speedup; the attention cost drops from $O(n^2)$ to $O(n \log n)$ and \textit{similarity-aware channel augmentation} keeps $\sum_{i=1}^{k} \alpha_i \le 1$.";

#[divan::bench]
fn abstract_to_html() -> String {
    tex::text_to_html(divan::black_box(ABSTRACT), Layout::Block, &mut Vec::new())
}

#[divan::bench]
fn markdown_with_math() -> String {
    let md = "## Method\n\nWe minimise $\\mathcal{L}(\\theta) = \\sum_i \\ell(f_\\theta(x_i), y_i)$ with\n\n$$\\theta_{t+1} = \\theta_t - \\eta \\nabla \\mathcal{L}(\\theta_t).$$\n\n| model | acc |\n|---|---|\n| ours | 98\\% |\n";
    scholarsite::tex::markdown::render(divan::black_box(md), &mut Vec::new())
}

#[divan::bench]
fn render_paper_page(bencher: divan::Bencher) {
    let settings =
        Settings::load(&repo(), &Overrides::default()).expect("the example site's config");
    let mut loaded = scholarsite::build::load(&settings).expect("the example site");
    let (_, prepared) = scholarsite::render::contexts(&settings, &mut loaded.theme, &loaded.site)
        .expect("contexts");
    let job = prepared
        .jobs
        .iter()
        .find(|j| j.template == "paper.html")
        .expect("a paper page");
    let model = prepared.model(&settings, &loaded.site);
    let tera = &loaded.theme.tera;
    // The page's context is made when it is rendered, so it is part of what is measured.
    bencher.bench(|| {
        let context = job.context(&model);
        tera.render(&job.template, &context).expect("renders")
    });
}
