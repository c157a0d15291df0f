//! The real seed profile, parsed: every field of several papers and the header stats pinned.

mod common;

use std::path::Path;

use scholarsite::base::date::Date;
use scholarsite::load::profile::{self, Profile, ProfilePaper};

fn seed() -> Profile {
    let path = common::repo().join("seeds/profile.txt");
    let as_of = Date::new(2026, 11, 28).unwrap();
    let (profile, warnings) = profile::load(&path, Path::new("seeds/profile.txt"), as_of)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    profile
}

fn paper<'a>(p: &'a Profile, title_start: &str) -> &'a ProfilePaper {
    p.papers
        .iter()
        .find(|x| x.title.starts_with(title_start))
        .unwrap_or_else(|| panic!("no paper titled {title_start}…"))
}

fn words(s: &str) -> (String, String) {
    let w: Vec<&str> = s.split_whitespace().collect();
    (w[..3].join(" "), w[w.len() - 3..].join(" "))
}

#[test]
fn header_stats() {
    let p = seed();
    assert_eq!(p.name.as_deref(), Some("Shaoyi Huang"));
    assert_eq!(p.primary_category.as_deref(), Some("LG"));
    assert_eq!(p.stats.h_index, Some(18));
    assert_eq!(p.stats.papers, Some(30));
    assert_eq!(p.stats.citations, Some(1084));
    assert_eq!(p.stats.novelty, Some(56));
    assert_eq!(p.stats.ai_score, Some(57));
    assert_eq!(p.papers.len(), 30, "matches the header's 30papers");
}

#[test]
fn first_paper_every_field() {
    let p = seed();
    let x = &p.papers[0];
    assert_eq!(
        x.title,
        "A Length Adaptive Algorithm-Hardware Co-design of Transformer on FPGA Through Sparse Attention and Dynamic Pipelining"
    );
    assert_eq!(x.authors, ["Hongwu Peng", "Shaoyi Huang", "Shiyang Chen"]);
    assert!(x.truncated);
    assert_eq!(x.org.as_deref(), Some("deepmind"));
    assert_eq!(x.category, "LG");
    assert_eq!(x.date.iso(), "2022-08-07");
    assert!(!x.has_code);
    assert_eq!(
        words(&x.abstract_tex),
        (
            "Transformers are considered".into(),
            "via CUBLAS GEMM.".into()
        )
    );
    assert_eq!(x.line, 12);
    assert_eq!(x.abstract_line, 17);
}

#[test]
fn yearless_code_flagged_paper() {
    let p = seed();
    let x = paper(&p, "Late Breaking Results");
    assert_eq!(
        x.authors,
        ["Daniel Stein", "Shaoyi Huang", "Rolf Drechsler"]
    );
    assert!(x.truncated);
    assert_eq!(x.org, None);
    assert_eq!(x.category, "LG");
    assert_eq!(
        x.date.iso(),
        "2026-01-29",
        "Jan 29 without a year is before as_of 2026-11-28"
    );
    assert!(x.has_code);
    assert_eq!(
        words(&x.abstract_tex),
        (
            "Neural networks have".into(),
            "source at https://github.com/TUDa-HWAI/NN2Logic".into()
        )
    );
}

#[test]
fn yearless_without_code() {
    let p = seed();
    let x = paper(&p, "Different Prompts, Different Ranks");
    assert_eq!(x.date.iso(), "2026-05-09");
    assert!(!x.has_code);
    assert_eq!(x.authors, ["Hengyi Zhu", "Zhendong Mi", "Grace Li Zhang"]);
    assert!(x.truncated);
    assert_eq!(
        words(&x.abstract_tex),
        (
            "Large language models".into(),
            "native SVD execution.".into()
        )
    );
    let y = paper(&p, "Distributed Interpretability");
    assert_eq!(y.date.iso(), "2026-04-07");
    assert!(y.has_code);
    assert_eq!(y.authors, ["Dev Arpan Desai", "Shaoyi Huang", "Zining Zhu"]);
    assert!(!y.truncated, "no et al.");
}

#[test]
fn complete_author_list_and_other_categories() {
    let p = seed();
    let x = paper(&p, "Enhanced Computationally Efficient Long LoRA");
    assert_eq!(x.authors, ["Kaleel Mahmood", "Shaoyi Huang"]);
    assert!(!x.truncated);
    assert_eq!(x.org, None);
    assert_eq!(x.category, "CL");
    assert_eq!(x.date.iso(), "2024-12-08");
    assert_eq!(
        words(&x.abstract_tex),
        (
            "The Transformer architecture".into(),
            "Transformer based models.".into()
        )
    );

    let ace = paper(&p, "ACE: Exploring Activation Cosine Similarity");
    assert_eq!(ace.org.as_deref(), Some("harvard"));
    assert_eq!(ace.authors, ["Zhendong Mi", "Zhenglun Kong", "Geng Yuan"]);
    assert_eq!(ace.date.iso(), "2025-05-28");
    assert_eq!(
        words(&ace.abstract_tex),
        ("With the rapid".into(), "LLaMA-2, and OPT.".into())
    );

    let cr = paper(&p, "AutoReP");
    assert_eq!(cr.category, "CR");
    assert_eq!(cr.date.iso(), "2023-08-20");
    let ar = paper(&p, "Accel-GCN");
    assert_eq!(ar.category, "AR");
    assert_eq!(ar.authors, ["Xi Xie", "Hongwu Peng", "Amit Hasan"]);
}

#[test]
fn last_paper_without_final_newline() {
    let text = std::fs::read_to_string(common::repo().join("seeds/profile.txt")).unwrap();
    assert!(
        !text.ends_with('\n'),
        "the seed ends without a newline, as scraped"
    );
    let p = seed();
    let last = p.papers.last().unwrap();
    assert!(last.abstract_tex.ends_with('.'), "{}", last.abstract_tex);
}
