//! Which formulas scholarsite renders: reads math corpus files (JSON Lines, one
//! `{"tex": …, "display": …}` object a line, as in `tests/fixtures/math/`) and prints one JSON
//! object per expression: `{"file", "line", "tex", "display", "ok", "error", "undefined"}`
//! (`ok` is false for a formula shown with undefined control sequences marked, listed in
//! `undefined`).
//!
//! ```sh
//! cargo run --example math_accept -- tests/fixtures/math/*.jsonl
//! ```
//!
//! With `--mathml` each object also carries the MathML. `scripts/math/compare.mjs` runs this
//! to compare with KaTeX and Temml.

use std::process::ExitCode;

use serde_json::{Value, json};

fn main() -> ExitCode {
    let mut with_mathml = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--mathml" => with_mathml = true,
            "-h" | "--help" => {
                println!("usage: math_accept [--mathml] FILE.jsonl…");
                return ExitCode::SUCCESS;
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("usage: math_accept [--mathml] FILE.jsonl…");
        return ExitCode::from(2);
    }
    let macros = scholarsite::tex::Macros::default();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {file}: {e}");
                return ExitCode::FAILURE;
            }
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("error: {file}:{}: {e}", n + 1);
                    return ExitCode::FAILURE;
                }
            };
            let tex = entry["tex"].as_str().unwrap_or_default();
            let display = entry["display"].as_bool().unwrap_or(false);
            let mut mathml = String::new();
            let result = scholarsite::tex::math_to_mathml_with(tex, display, &macros, &mut mathml);
            // A formula that shows an undefined control sequence as a mark is not accepted, as
            // KaTeX and Temml do not accept one they show in the error colour.
            let (ok, error, undefined) = match result {
                Ok(undefined) if undefined.is_empty() => (true, None, undefined),
                Ok(undefined) => (
                    false,
                    Some(format!("undefined control sequence `\\{}`", undefined[0])),
                    undefined,
                ),
                Err(e) => (false, Some(e), Vec::new()),
            };
            let mut out = json!({
                "file": file,
                "line": n + 1,
                "tex": tex,
                "display": display,
                "ok": ok,
                "error": error,
                "undefined": undefined,
            });
            if with_mathml {
                out["mathml"] = Value::String(mathml);
            }
            println!("{out}");
        }
    }
    ExitCode::SUCCESS
}
