//! What leaves the build: the [`output::Sink`] the site is written into (a staging folder
//! swapped in atomically, or memory), the [`guard`] that decides which folder a build may
//! replace, and the machine-readable formats written by code rather than templates: citation
//! formats ([`citation`]) and feeds ([`feeds`]).

pub mod citation;
pub mod feeds;
pub mod guard;
pub mod output;
