//! scholarsite: a researcher's scraped profile and per-paper Markdown → a fast, standards-clean
//! static homepage, with LaTeX rendered to MathML at build time.
//!
//! The folders are the stages of the pipeline, and data flows one way through them:
//! [`load`] (config, profile, content) → [`model`] (the site: merged papers, groups) →
//! [`render`] (theme and templates) → [`publish`] (files, feeds, citation formats) → a sink.
//! [`tex`] turns TeX and Markdown into HTML and MathML for the model; [`base`] holds what every
//! stage shares (diagnostics, text helpers, dates). [`serve`] keeps the pipeline's results in
//! memory for the live preview. The commands sit at the top: [`cli`] parses flags,
//! [`build::build`] runs the whole pipeline, [`check`], [`dump`], [`explain`], [`import`],
//! [`init`] and [`new`] are the others.
//! A module may use only the folders below its own in this order:
//! `base` < `tex` < `load` < `model` < `publish` < `render` < `serve` < the commands
//! (enforced by `tests/layers.rs`). See ARCHITECTURE.md.

pub mod base;
pub mod build;
pub mod check;
pub mod cli;
pub mod dump;
pub mod explain;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod new;
pub mod publish;
pub mod render;
pub mod serve;
pub mod tex;
