//! What every stage shares: diagnostics, text helpers (slugs, escaping, safe URLs), calendar
//! dates, people's names, the build's stage timings and its progress line. Nothing here knows
//! about papers or sites.

pub mod date;
pub mod diag;
pub mod memory;
pub mod name;
pub mod progress;
pub mod shared;
pub mod text;
pub mod timings;
