//! Fuzz target: see `scholarsite_fuzz::check_csl_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scholarsite_fuzz::check_csl_json(data));
