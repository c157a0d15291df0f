//! Fuzz target: see `scholarsite_fuzz::check_bibtex`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scholarsite_fuzz::check_bibtex(data));
