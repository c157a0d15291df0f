//! The command line (clap): `init`, `build`, with flags named as in Zola.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::base::diag::{Diagnostic, Error, print_diagnostics};
use crate::load::settings::{Overrides, Settings};

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
    /// Serve the site at http://127.0.0.1:1111/, rebuild on every change and reload the browser.
    ///
    /// Watches config.toml, the profile, content/, templates/, static/ and the theme. The site
    /// is kept in memory: nothing is written into public/. A broken edit keeps the last good
    /// site and shows the error in the browser until the next good save.
    Serve(ServeArgs),
    /// Build the site in memory and report broken links and anchors, missing images, formulas
    /// that did not render, and papers without a date or authors. Exits 1 on errors.
    Check(CheckArgs),
}

/// `scholarsite serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (if the default is taken, the next free one is used).
    #[arg(short, long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Address to listen on; 127.0.0.1 keeps the preview private to this machine.
    #[arg(short, long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Also build papers and pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Poll for changes instead of relying on file-system events (network drives, containers).
    #[arg(long)]
    pub poll: bool,
}

/// `scholarsite check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also check external links (needs the network; off by default).
    #[arg(long)]
    pub external: bool,
    /// Also check papers and pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
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
    /// Keep running: rebuild the output folder (atomically) whenever a source changes.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: poll for changes instead of relying on file-system events.
    #[arg(long, requires = "watch")]
    pub poll: bool,
    /// Also list every use of an undefined TeX macro (by default, one summary of them).
    #[arg(short, long)]
    pub verbose: bool,
    /// Print the template context of the page at PAGE (an output path such as `/` or
    /// `/papers/<slug>/`) as JSON, for theme authors, and write nothing.
    #[arg(long, value_name = "PAGE", conflicts_with = "watch")]
    pub dump_context: Option<String>,
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
        Command::Check(args) => run_check(&cli, args),
        Command::Serve(args) => crate::serve::serve(&crate::serve::ServeOptions {
            root: site_root(&cli),
            bind: args.bind,
            port: args.port.unwrap_or(1111),
            port_explicit: args.port.is_some(),
            open: args.open,
            drafts: args.drafts,
            poll: args.poll,
        }),
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
        Command::Check(_) => "check",
        Command::Serve(_) => "serve",
    }
}

/// The site root as given; `.` becomes the empty path so that messages say `content/x.md`
/// rather than `./content/x.md`.
fn site_root(cli: &Cli) -> PathBuf {
    if cli.root == std::path::Path::new(".") {
        PathBuf::new()
    } else {
        cli.root.clone()
    }
}

fn run_build(cli: &Cli, args: &BuildArgs) -> Result<(), Error> {
    let overrides = Overrides {
        output_dir: args.output_dir.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    if args.watch {
        return crate::serve::watch_build(&site_root(cli), &overrides, args.poll);
    }
    let settings = Settings::load(&site_root(cli), &overrides)?;
    if let Some(page) = &args.dump_context {
        return dump_context(&settings, page);
    }
    let report = crate::build::build(&settings)?;
    if args.verbose {
        print_diagnostics(&report.details);
    }
    print_diagnostics(&report.warnings);
    println!("{}", report.summary());
    report.exit_without_freeing();
    Ok(())
}

/// `build --dump-context PAGE`: the JSON on stdout, the template's name on stderr.
fn dump_context(settings: &Settings, page: &str) -> Result<(), Error> {
    let (template, json) = crate::dump::context(settings, page)?;
    let text = serde_json::to_string_pretty(&json).map_err(|e| Diagnostic::error(e.to_string()))?;
    eprintln!("template: {template}");
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = writeln!(out, "{text}");
    Ok(())
}

fn run_check(cli: &Cli, args: &CheckArgs) -> Result<(), Error> {
    let overrides = Overrides {
        drafts: args.drafts,
        ..Overrides::default()
    };
    let settings = Settings::load(&site_root(cli), &overrides)?;
    let report = crate::check::check(&settings, args.external)?;
    println!("{}", report.summary());
    if report.errors() > 0 {
        return Err(Error::from(report.diagnostics));
    }
    print_diagnostics(&report.diagnostics);
    Ok(())
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
