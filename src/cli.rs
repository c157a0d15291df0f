//! The command line (clap): `init`, `build`, with flags named as in Zola.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::{Diagnostic, Error};
use crate::settings::{Overrides, Settings};

/// Turn a researcher's profile and papers into a fast, beautiful static homepage.
///
/// A site folder holds config.toml, the scraped profile (seeds/profile.txt), per-paper Markdown
/// in content/papers/, and optionally templates/, static/ and themes/. LaTeX in abstracts and
/// Markdown is rendered to MathML at build time: the pages need no JavaScript for math.
#[derive(Debug, Parser)]
#[command(name = "scholarsite", version, propagate_version = true)]
pub struct Cli {
    /// The site folder (where config.toml is).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR that builds at once (config, a small profile, one paper).
    Init(InitArgs),
    /// Build the site into the output folder (public/ unless config.toml or -o says otherwise).
    ///
    /// The site is built beside the output folder and swapped in only when the whole build
    /// succeeded: a failed build leaves the previous site untouched.
    Build(BuildArgs),
}

/// `scholarsite init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist if it is empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, overwriting files of the same names.
    #[arg(long)]
    pub force: bool,
}

/// `scholarsite build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Write the site to DIR instead of the configured output folder.
    #[arg(short, long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Use URL as the site's address instead of base_url from config.toml.
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Also build papers and pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Parses the command line, runs it, prints diagnostics and returns the exit code:
/// 0 success, 1 bad input (the message says what and where), 2 bad usage, 101 an internal
/// error (a bug: reported in one humane message, without a backtrace).
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| (l.file(), l.line()));
        eprintln!("{}\n", internal_error(info.payload(), at));
    }));
    guarded(run)
}

/// Runs `f`; a panic (already reported by the hook) becomes exit code 101. Unwinding drops
/// the build's staging folder, so the previous site stays as it was.
fn guarded(f: impl FnOnce() -> ExitCode + std::panic::UnwindSafe) -> ExitCode {
    std::panic::catch_unwind(f).unwrap_or(ExitCode::from(101))
}

/// The message for a panic: what, where in our source, and what to do.
fn internal_error(payload: &(dyn std::any::Any + Send), at: Option<(&str, u32)>) -> Diagnostic {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let at = at.map_or(String::new(), |(file, line)| format!(" ({file}:{line})"));
    Diagnostic::error(format!("internal error: {what}{at}")).hint(
        "this is a bug in scholarsite, not in your site: please report it with the input that \
         caused it. The previous output folder was not replaced.",
    )
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Init(args) => crate::init::init(&args.dir, args.force).map(|msg| {
            println!("{msg}");
        }),
        Command::Build(args) => run_build(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_diagnostics(&e.diagnostics);
            let errors = e.errors().count();
            eprintln!(
                "{} failed with {errors} error{}",
                command_name(&cli.command),
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}

fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Init(_) => "init",
        Command::Build(_) => "build",
    }
}

fn run_build(cli: &Cli, args: &BuildArgs) -> Result<(), Error> {
    let overrides = Overrides {
        output_dir: args.output_dir.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    let settings = Settings::load(&cli.root, &overrides)?;
    let report = crate::build::build(&settings)?;
    print_diagnostics(&report.warnings);
    println!("{}", report.summary());
    Ok(())
}

/// Prints diagnostics to stderr, a blank line between them.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        // A closed stderr is not worth a panic.
        let _ = writeln!(err, "{d}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_exit_code_101() {
        assert_eq!(guarded(|| ExitCode::from(1)), ExitCode::from(1));
        // The default hook prints this test's panic; the binary's hook is not installed here.
        assert_eq!(guarded(|| panic!("boom")), ExitCode::from(101));
    }

    #[test]
    fn internal_errors_are_one_humane_message() {
        let d = internal_error(&"index out of bounds", Some(("src/site.rs", 12)));
        assert_eq!(
            d.to_string(),
            "error: internal error: index out of bounds (src/site.rs:12)\n   = hint: this is a bug in \
             scholarsite, not in your site: please report it with the input that caused it. The \
             previous output folder was not replaced."
        );
        let owned = String::from("boom");
        assert!(
            internal_error(&owned, None)
                .to_string()
                .starts_with("error: internal error: boom\n")
        );
    }
}
