//! The `scholarsite` command: parse the command line, run, print diagnostics, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    scholarsite::cli::main()
}
