//! What every stage shares: diagnostics, text helpers (slugs, escaping, safe URLs), calendar
//! dates and the build's stage timings. Nothing here knows about papers or sites.

pub mod date;
pub mod diag;
pub mod shared;
pub mod text;
pub mod timings;
