//! scholarsite: a researcher's scraped profile and per-paper Markdown → a fast, standards-clean
//! static homepage, with LaTeX rendered to MathML at build time.
//!
//! Data flows one way: [`settings`] → [`profile`] + [`content`] → [`site`] → [`render`] (through
//! a [`theme`]) → [`output`]. [`build::build`] runs the whole pipeline. See ARCHITECTURE.md.

pub mod build;
pub mod categories;
pub mod charts;
pub mod check;
pub mod citation;
pub mod cli;
pub mod coauthors;
pub mod compat;
pub mod content;
pub mod context;
pub mod date;
pub mod diag;
pub mod dump;
pub mod feeds;
pub mod filters;
pub mod guard;
pub mod init;
pub mod latex;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod profile;
pub mod render;
pub mod search;
pub mod serve;
pub mod session;
pub mod settings;
pub mod site;
pub mod source;
pub mod text;
pub mod theme;
pub mod theme_context;
pub mod timings;
pub mod watch;
