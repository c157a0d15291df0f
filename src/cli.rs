//! The command line (clap): `init`, `build`, `check`, `serve`, `new`, with flags named as in
//! Zola; `completions` and `man` for the shell and the manual; `--color` and `NO_COLOR`.

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};

use crate::base::diag::{Diagnostic, Error, print_diagnostics};
use crate::base::progress::Progress;
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
    /// When to colour messages: auto (when stderr is a terminal and NO_COLOR is not set),
    /// always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR that builds at once: from your scraped profile (--profile FILE),
    /// or a sample (a small profile and one paper).
    Init(InitArgs),
    /// Build the site into the output folder (public/ unless config.toml or -o says otherwise).
    ///
    /// The site is built beside the output folder and swapped in only when the whole build
    /// succeeded: a failed build leaves the previous site untouched. The output folder is
    /// replaced only if it is missing, empty, or written by scholarsite (its .scholarsite file
    /// lists what it wrote, and the folder holds nothing else); it is never one of the site's
    /// sources, a folder above the site, or the home folder.
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
    /// Create a content file: `scholarsite new paper "Title"` writes content/papers/<slug>.md.
    #[command(subcommand)]
    New(NewCommand),
    /// Print a completion script for SHELL (bash, zsh, fish, powershell, elvish).
    ///
    /// bash: `scholarsite completions bash > ~/.local/share/bash-completion/completions/scholarsite`;
    /// zsh: into a folder of your `$fpath` as `_scholarsite`; fish:
    /// `~/.config/fish/completions/scholarsite.fish`; PowerShell: add
    /// `scholarsite completions powershell | Out-String | Invoke-Expression` to your profile.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of scholarsite, or of one command.
    ///
    /// `scholarsite man > ~/.local/share/man/man1/scholarsite.1`, and
    /// `scholarsite man build > ~/.local/share/man/man1/scholarsite-build.1`.
    Man(ManArgs),
    /// Write one Markdown file per paper of bibliography files (BibTeX, CSL-JSON, arXiv Atom,
    /// ORCID JSON) into content/papers/, never overwriting a file you changed.
    Import(ImportArgs),
}

/// When messages are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When stderr is a terminal and NO_COLOR is not set (or empty).
    Auto,
    /// Always, even into a pipe or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}

/// `scholarsite new`.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write content/papers/<slug>.md for a paper, with the front matter README documents.
    ///
    /// If the profile has a paper of this title, the file enriches it; otherwise it is a new
    /// paper, dated today. An existing file is never overwritten.
    Paper(NewPaperArgs),
}

/// `scholarsite new paper`.
#[derive(Debug, Args)]
pub struct NewPaperArgs {
    /// The paper's title (TeX allowed, as in the profile).
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// The file name and URL slug, when the title has no letters or digits to make one from
    /// (`a-z 0-9 - _`).
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
}

/// `scholarsite completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// The commands that have a manual page of their own.
const MAN_PAGES: [&str; 8] = [
    "init",
    "build",
    "serve",
    "check",
    "new",
    "completions",
    "man",
    "import",
];

/// `scholarsite man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (without one: the page of scholarsite itself).
    #[arg(value_name = "COMMAND", value_parser = PossibleValuesParser::new(MAN_PAGES))]
    pub command: Option<String>,
}

/// `scholarsite import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bibliography files to import.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The folder to write into (default: content/papers/ of the site).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
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
    /// Check the site as it will be at URL instead of base_url from config.toml (as `build -u`).
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
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
    /// Start from your scraped profile: FILE is copied to seeds/profile.txt, and the site's
    /// title, description and author come from it (no sample paper is written).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Start from a bibliography file (BibTeX, CSL-JSON, arXiv Atom, ORCID JSON) instead of a
    /// scraped profile: it is copied into the site and listed under [sources].
    #[arg(long, value_name = "FILE", conflicts_with = "profile")]
    pub from: Option<PathBuf>,
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
    /// If the output folder holds files scholarsite did not write, keep it beside as
    /// DIR.old-<date>-<time> (untouched) and build a new one, instead of stopping. Never
    /// deletes anything, and never lets the output be one of the site's sources.
    #[arg(long)]
    pub force: bool,
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
    /// Print where each field of the paper SLUG came from (front matter, a bibliography
    /// entry, the profile), and write nothing.
    #[arg(long, value_name = "SLUG", conflicts_with_all = ["watch", "dump_context"])]
    pub explain: Option<String>,
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
    let args: Vec<OsString> = std::env::args_os().collect();
    // clap's own messages (usage errors, help) follow `--color` too, so it is read first.
    let when = color_in_args(&args).unwrap_or(ColorWhen::Auto);
    let command = Cli::command().color(match when {
        ColorWhen::Auto => clap::ColorChoice::Auto,
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
    });
    let cli = match command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    crate::base::diag::set_color(use_color(
        cli.color,
        std::env::var_os("NO_COLOR").as_deref(),
        std::io::stderr().is_terminal(),
    ));
    let result = match &cli.command {
        Command::Init(args) => crate::init::init(&crate::init::Options {
            dir: &args.dir,
            force: args.force,
            profile: args.profile.as_deref(),
            from: args.from.as_deref(),
        })
        .map(|(msg, warnings)| {
            print_diagnostics(&warnings);
            println!("{msg}");
        }),
        Command::Import(args) => {
            crate::import::import(&site_root(&cli), &args.files, args.into.as_deref()).map(
                |report| {
                    print_diagnostics(&report.warnings);
                    println!("{}", report.summary());
                },
            )
        }
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
        Command::New(NewCommand::Paper(args)) => {
            crate::new::paper(&site_root(&cli), &args.title, args.slug.as_deref()).map(|msg| {
                println!("{msg}");
            })
        }
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "scholarsite", &mut script);
            print_bytes(&script);
            Ok(())
        }
        Command::Man(args) => man_page(args.command.as_deref()).map(|page| print_bytes(&page)),
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
        Command::New(_) => "new",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
        Command::Import(_) => "import",
    }
}

/// The `--color` value given on the command line, read before clap parses it (so that clap's
/// own messages follow it too); `None` when absent or not a valid value.
fn color_in_args(args: &[OsString]) -> Option<ColorWhen> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = iter.next() {
        let value = match arg {
            Some("--") => break,
            Some("--color") => iter.next().flatten(),
            Some(a) => a.strip_prefix("--color="),
            None => None,
        };
        if let Some(v) = value {
            found = ColorWhen::from_str(v, false).ok();
        }
    }
    found
}

/// Whether messages are coloured: `always` and `never` decide; `auto` colours a terminal unless
/// `NO_COLOR` is set to something (<https://no-color.org>).
fn use_color(when: ColorWhen, no_color: Option<&std::ffi::OsStr>, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// The manual page of scholarsite (`None`) or of one of its commands, as roff.
fn man_page(command: Option<&str>) -> Result<Vec<u8>, Error> {
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| Diagnostic::error(format!("no command is called `{name}`")))?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Diagnostic::error(format!("cannot write the manual page: {e}")))?;
    Ok(out)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth reporting.
fn print_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
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
        force: args.force,
    };
    if args.watch {
        return crate::serve::watch_build(&site_root(cli), &overrides, args.poll);
    }
    let settings = Settings::load(&site_root(cli), &overrides)?;
    if let Some(page) = &args.dump_context {
        return dump_context(&settings, page);
    }
    if let Some(slug) = &args.explain {
        print!("{}", crate::explain::explain(&settings, slug)?);
        return Ok(());
    }
    let progress = Progress::on_terminal("Building");
    let report = crate::build::build_with(&settings, &progress);
    drop(progress);
    let report = report?;
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
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        ..Overrides::default()
    };
    let settings = Settings::load(&site_root(cli), &overrides)?;
    let progress = Progress::on_terminal("Checking");
    let report = crate::check::check(&settings, args.external, &progress);
    drop(progress);
    let report = report?;
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

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn color_is_read_before_parsing() {
        let read = |list: &[&str]| color_in_args(&args(list));
        assert_eq!(read(&["s", "build"]), None);
        assert_eq!(
            read(&["s", "--color", "never", "build"]),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            read(&["s", "build", "--color=always"]),
            Some(ColorWhen::Always)
        );
        assert_eq!(read(&["s", "--color=sometimes"]), None);
        assert_eq!(read(&["s", "new", "paper", "--", "--color=always"]), None);
    }

    #[test]
    fn no_color_wins_only_over_auto() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(use_color(ColorWhen::Auto, None, true));
        assert!(use_color(ColorWhen::Auto, empty, true));
        assert!(!use_color(ColorWhen::Auto, set, true));
        assert!(!use_color(ColorWhen::Auto, None, false));
        assert!(use_color(ColorWhen::Always, set, false));
        assert!(!use_color(ColorWhen::Never, None, true));
    }

    #[test]
    fn every_command_has_a_manual_page() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .filter(|n| n != "help")
            .collect();
        assert_eq!(names, MAN_PAGES);
        for name in MAN_PAGES {
            let page = String::from_utf8(man_page(Some(name)).unwrap()).unwrap();
            assert!(page.contains(&format!("scholarsite\\-{name}")), "{page}");
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

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
