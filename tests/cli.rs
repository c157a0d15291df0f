//! Command-line conventions: shell completions parsed and run by the shells present, manual
//! pages rendered by groff, colour (`--color`, `NO_COLOR`, terminal or not), the progress line,
//! and `new paper`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// The binary, with a clean environment for colour: no NO_COLOR unless a test sets it.
fn scholarsite(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scholarsite"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("SCHOLARSITE_PROGRESS_AFTER_MS");
    cmd
}

fn output(cmd: &mut Command) -> Output {
    cmd.output().expect("run scholarsite")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `tool` runs here; outside CI a missing tool is a skip with a notice, under CI a
/// failure (`.ci/run` installs it).
fn have(tool: &str, install: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let msg = format!("{tool} is not installed: {install}");
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "{msg}");
        eprintln!("SKIPPED: {msg}");
    }
    found
}

/// Runs `command` (a shell command line) in a pseudo-terminal with `script`, so that stdout
/// and stderr are a terminal; returns everything the terminal showed.
fn in_terminal(dir: &Path, command: &str, env: &[(&str, &str)]) -> Option<String> {
    if !have("script", "apt-get install bsdutils") {
        return None;
    }
    let mut cmd = Command::new("script");
    cmd.args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("SCHOLARSITE_PROGRESS_AFTER_MS")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run script");
    Some(text(&out.stdout))
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_scholarsite")
}

/// A site whose config has an unknown key: `build` fails with a located error.
fn broken_site() -> tempfile::TempDir {
    let site = example_site();
    let config = site.path().join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("theme = ", "theem = \"x\"\ntheme = ")).unwrap();
    site
}

const ESC: char = '\x1b';

#[test]
fn colour_follows_the_flag_no_color_and_the_terminal() {
    let site = broken_site();
    let dir = site.path();
    // Into a pipe: plain by default, coloured when asked, whatever NO_COLOR says.
    let plain = output(&mut scholarsite(dir, &["build"]));
    assert_eq!(plain.status.code(), Some(1));
    let plain = text(&plain.stderr);
    assert!(plain.starts_with("error: unknown key `theem`"), "{plain}");
    assert!(!plain.contains(ESC), "{plain:?}");
    for env in [None, Some("1")] {
        let mut cmd = scholarsite(dir, &["--color", "always", "build"]);
        if let Some(v) = env {
            cmd.env("NO_COLOR", v);
        }
        let colored = text(&output(&mut cmd).stderr);
        assert!(
            colored.starts_with("\x1b[1m\x1b[31merror:\x1b[0m unknown key `theem`"),
            "{colored:?}"
        );
        assert!(
            colored.contains("\x1b[1m\x1b[36mhint:\x1b[0m"),
            "{colored:?}"
        );
    }
    // In a terminal: coloured unless NO_COLOR is set or --color never.
    let build = format!("{} build", bin());
    let Some(tty) = in_terminal(dir, &build, &[]) else {
        return;
    };
    assert!(
        tty.contains("\x1b[1m\x1b[31merror:\x1b[0m unknown key"),
        "{tty:?}"
    );
    let no_color = in_terminal(dir, &build, &[("NO_COLOR", "1")]).unwrap();
    assert!(no_color.contains("error: unknown key"), "{no_color:?}");
    assert!(!no_color.contains(ESC), "{no_color:?}");
    let empty = in_terminal(dir, &build, &[("NO_COLOR", "")]).unwrap();
    assert!(
        empty.contains(ESC),
        "an empty NO_COLOR does not count: {empty:?}"
    );
    let never = in_terminal(dir, &format!("{} --color=never build", bin()), &[]).unwrap();
    assert!(
        never.contains("error: unknown key") && !never.contains(ESC),
        "{never:?}"
    );
}

#[test]
fn clap_messages_follow_the_colour_flag_too() {
    let tmp = tempfile::tempdir().unwrap();
    let always = output(&mut scholarsite(
        tmp.path(),
        &["--color", "always", "biuld"],
    ));
    assert_eq!(always.status.code(), Some(2));
    assert!(
        text(&always.stderr).contains(ESC),
        "{}",
        text(&always.stderr)
    );
    let never = output(&mut scholarsite(tmp.path(), &["--color", "never", "biuld"]));
    let never = text(&never.stderr);
    assert!(never.contains("unrecognized subcommand 'biuld'") && !never.contains(ESC));
    let wrong = output(&mut scholarsite(
        tmp.path(),
        &["--color", "sometimes", "build"],
    ));
    assert_eq!(wrong.status.code(), Some(2));
    let wrong = text(&wrong.stderr);
    assert!(
        wrong.contains("invalid value 'sometimes'") && wrong.contains("always"),
        "{wrong}"
    );
}

#[test]
fn the_progress_line_shows_on_a_terminal_only() {
    let site = example_site();
    let dir = site.path();
    // Not a terminal: nothing but what a build always prints, even with no delay at all.
    let piped = output(scholarsite(dir, &["build"]).env("SCHOLARSITE_PROGRESS_AFTER_MS", "0"));
    assert!(piped.status.success());
    assert_eq!(text(&piped.stderr), "", "stderr stays clean in a pipe");
    assert!(text(&piped.stdout).starts_with("Built "));
    // A terminal, with the one-second delay made zero: the line is drawn, then erased before
    // the summary.
    let env = [("SCHOLARSITE_PROGRESS_AFTER_MS", "0")];
    let Some(tty) = in_terminal(dir, &format!("{} build", bin()), &env) else {
        return;
    };
    let drawn = tty
        .find("\r\x1b[2KBuilding… ")
        .unwrap_or_else(|| panic!("{tty:?}"));
    let erased = tty.rfind("\r\x1b[2K").unwrap();
    let summary = tty.find("Built ").unwrap_or_else(|| panic!("{tty:?}"));
    assert!(drawn < erased && erased < summary, "{tty:?}");
    let check = in_terminal(dir, &format!("{} check", bin()), &env).unwrap();
    assert!(check.contains("\r\x1b[2KChecking… "), "{check:?}");
    // With the default delay a build of the example (milliseconds) shows no line.
    let quick = in_terminal(dir, &format!("{} build", bin()), &[]).unwrap();
    assert!(!quick.contains("Building…"), "{quick:?}");
}

#[test]
fn bash_completion_completes_commands_flags_and_values() {
    let tmp = tempfile::tempdir().unwrap();
    let out = output(&mut scholarsite(tmp.path(), &["completions", "bash"]));
    assert!(out.status.success());
    let script = tmp.path().join("scholarsite.bash");
    fs::write(&script, &out.stdout).unwrap();
    // Source it and ask the completion function what bash would offer.
    let complete = |words: &[&str]| -> Vec<String> {
        let list: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let program = format!(
            "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\n\
             COMP_POINT=${{#COMP_LINE}}\n_scholarsite scholarsite '{}' '{}'\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            list.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout).lines().map(str::to_string).collect()
    };
    assert_eq!(complete(&["scholarsite", "bu"]), ["build"]);
    assert!(complete(&["scholarsite", "build", "--ba"]).contains(&"--base-url".to_string()));
    let shells = complete(&["scholarsite", "completions", ""]);
    assert!(
        ["bash", "elvish", "fish", "powershell", "zsh"]
            .iter()
            .all(|s| shells.contains(&s.to_string())),
        "{shells:?}"
    );
    assert_eq!(
        complete(&["scholarsite", "--color", ""]),
        ["auto", "always", "never"]
    );
    assert!(complete(&["scholarsite", "init", "--pro"]).contains(&"--profile".to_string()));
    assert!(complete(&["scholarsite", "new", ""]).contains(&"paper".to_string()));
}

#[test]
fn zsh_fish_and_powershell_completions_parse() {
    let tmp = tempfile::tempdir().unwrap();
    let script = |shell: &str| {
        let out = output(&mut scholarsite(tmp.path(), &["completions", shell]));
        assert!(out.status.success(), "{shell}");
        let path = tmp.path().join(format!("completion.{shell}"));
        fs::write(&path, &out.stdout).unwrap();
        (text(&out.stdout), path)
    };
    let (ps, _) = script("powershell");
    // No PowerShell here to run it: its registration and every command are checked as text.
    assert!(ps.contains("Register-ArgumentCompleter -Native -CommandName 'scholarsite'"));
    for command in [
        "init",
        "build",
        "serve",
        "check",
        "new",
        "completions",
        "man",
    ] {
        assert!(ps.contains(&format!("'{command}'")), "{command}");
    }
    if have("zsh", "apt-get install zsh") {
        let (_, path) = script("zsh");
        let out = Command::new("zsh").arg("-n").arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    if have("fish", "apt-get install fish") {
        let (_, path) = script("fish");
        let out = Command::new("fish")
            .arg("--no-execute")
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let program = format!(
            "source '{}'; complete -C'scholarsite bu'; complete -C'scholarsite check --ex'",
            path.display()
        );
        let out = Command::new("fish")
            .args(["-c", &program])
            .output()
            .unwrap();
        let offered = text(&out.stdout);
        assert!(offered.starts_with("build\t"), "{offered}");
        assert!(offered.contains("--external\t"), "{offered}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let tmp = tempfile::tempdir().unwrap();
    let out = output(&mut scholarsite(tmp.path(), &["completions", "tcsh"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(
        stderr.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn manual_pages_render_without_warnings_and_list_every_flag() {
    let tmp = tempfile::tempdir().unwrap();
    if !have("groff", "apt-get install groff-base") {
        return;
    }
    for (page, flags) in [
        (None, &["--root", "--color", "--help", "--version"][..]),
        (
            Some("build"),
            &["--output-dir", "--base-url", "--drafts", "--watch"][..],
        ),
        (Some("init"), &["--force", "--profile"][..]),
        (Some("check"), &["--external", "--base-url"][..]),
        (Some("completions"), &["bash", "powershell"][..]),
    ] {
        let mut args = vec!["man"];
        args.extend(page);
        let out = output(&mut scholarsite(tmp.path(), &args));
        assert!(out.status.success(), "{page:?}");
        let roff = tmp.path().join("page.1");
        fs::write(&roff, &out.stdout).unwrap();
        // Plain text (no overstriking), every warning on.
        let rendered = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
            .arg(&roff)
            .output()
            .unwrap();
        assert!(rendered.status.success());
        assert_eq!(text(&rendered.stderr), "", "groff warnings for {page:?}");
        // Hyphenation joined back, so that flags read as typed.
        let shown = text(&rendered.stdout).replace('‐', "-").replace("-\n", "");
        let name = page.map_or("scholarsite".to_string(), |p| format!("scholarsite-{p}"));
        assert!(shown.contains(&name), "{shown}");
        for flag in flags {
            assert!(shown.contains(flag), "{flag} in {name}:\n{shown}");
        }
    }
    let out = output(&mut scholarsite(tmp.path(), &["man", "bulid"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[possible values: init, build"));
}

/// A copy of the example site, its profile the seed (Shaoyi Huang's).
fn site_with_profile() -> tempfile::TempDir {
    example_site()
}

fn new_paper(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["new", "paper"];
    all.extend(args);
    output(&mut scholarsite(dir, &all))
}

#[test]
fn new_paper_for_a_profile_paper_enriches_it() {
    let site = site_with_profile();
    let dir = site.path();
    let before = build(dir).papers;
    let title = "PolyMPCNet: Towards ReLU-free Neural Architecture Search in Two-party \
                 Computation Based Private Inference";
    let out = new_paper(dir, &[title]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("it enriches the profile paper “PolyMPCNet: Towards"),
        "{stdout}"
    );
    assert!(stdout.contains("(seeds/profile.txt:"), "{stdout}");
    let path: PathBuf = dir.join(
        "content/papers/polympcnet-towards-relu-free-neural-architecture-search-in-two-party-\
         computation-based-private-inference.md",
    );
    let file = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert!(
        !file.contains("\ndate ="),
        "the profile gives the date: {file}"
    );
    assert_eq!(
        build(dir).papers,
        before,
        "the file enriches, it adds no paper"
    );
    // A paper that already has its file (under another name) gets no second one.
    let taken = new_paper(
        dir,
        &[
            "A Length Adaptive Algorithm-Hardware Co-design of Transformer on FPGA Through \
           Sparse Attention and Dynamic Pipelining",
        ],
    );
    assert_eq!(taken.status.code(), Some(1));
    let stderr = text(&taken.stderr);
    assert!(
        stderr.contains(
            "error: `content/papers/length-adaptive-transformer-fpga.md` is already the file of \
             this paper"
        ),
        "{stderr}"
    );
    build(dir);
}

#[test]
fn new_paper_for_a_new_title_is_dated_and_authored_and_builds() {
    let site = site_with_profile();
    let dir = site.path();
    let before = build(dir).papers;
    let title = r"Sparse $\ell_1$ Training: It's 100% “Fast”";
    let out = new_paper(dir, &[title]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = dir.join("content/papers/sparse-l-1-training-it-s-100-fast.md");
    let file = fs::read_to_string(&path).unwrap_or_else(|_| panic!("{}", text(&out.stdout)));
    let matter = file.split("+++").nth(1).unwrap();
    let table: toml::Table = toml::from_str(matter).unwrap();
    assert_eq!(
        table["title"].as_str(),
        Some(title),
        "TeX and quotes survive"
    );
    assert!(table["date"].as_datetime().is_some());
    assert_eq!(
        table["authors"].as_array().unwrap()[0].as_str(),
        Some("Shaoyi Huang")
    );
    let report = build(dir);
    assert_eq!(report.papers, before + 1);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = html(&dir.join("public/papers/sparse-l-1-training-it-s-100-fast/index.html"));
    assert!(visible_text(&page).contains("Shaoyi Huang"));
}

#[test]
fn new_paper_refuses_what_it_cannot_do() {
    let site = site_with_profile();
    let dir = site.path();
    assert!(new_paper(dir, &["My Paper"]).status.success());
    let path = dir.join("content/papers/my-paper.md");
    fs::write(&path, "+++\ntitle = \"My Paper\"\n+++\nMine.\n").unwrap();
    let again = new_paper(dir, &["My Paper"]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = text(&again.stderr);
    assert!(
        stderr.contains("error: `content/papers/my-paper.md` already exists"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"My Paper\"\n+++\nMine.\n",
        "never overwritten"
    );
    let symbols = new_paper(dir, &["!!! ???"]);
    assert_eq!(symbols.status.code(), Some(1));
    let stderr = text(&symbols.stderr);
    assert!(stderr.contains("no file name can be made from the title `!!! ???`"));
    assert!(stderr.contains("--slug"), "{stderr}");
    assert!(
        new_paper(dir, &["!!! ???", "--slug", "bangs"])
            .status
            .success()
    );
    let table: toml::Table = toml::from_str(
        fs::read_to_string(dir.join("content/papers/bangs.md"))
            .unwrap()
            .split("+++")
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(table["slug"].as_str(), Some("bangs"));
    build(dir);
    for (args, message) in [
        (&["x", "--slug", "../up"][..], "`../up` cannot be a slug"),
        (&["   "][..], "the title is empty"),
        (&["two\nlines"][..], "holds a control character"),
    ] {
        let out = new_paper(dir, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{}", text(&out.stderr));
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let out = new_paper(elsewhere.path(), &["A Paper"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("config.toml"),
        "{}",
        text(&out.stderr)
    );
    assert!(!elsewhere.path().join("content").exists());
    let kind = output(&mut scholarsite(dir, &["new", "poster", "X"]));
    assert_eq!(kind.status.code(), Some(2));
    assert!(text(&kind.stderr).contains("unrecognized subcommand 'poster'"));
}
