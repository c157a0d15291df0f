//! Fuzz target: see `scholarsite_fuzz::check_arxiv_atom`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scholarsite_fuzz::check_arxiv_atom(data));
