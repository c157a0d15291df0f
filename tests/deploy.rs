//! A new site, from `init` to what GitHub Pages publishes: the site `init` writes (with the
//! sample, or from the user's profile), and its Pages workflow run step by step as GitHub's
//! runner would run it, against release archives made here the way `release.yml` makes them.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_yaml::Value;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `scholarsite init` with `args` in a fresh folder; returns the folder and the site in it.
fn init(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mut all = vec!["init", "site"];
    all.extend(args);
    let out = run(tmp.path(), &all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let site = tmp.path().join("site");
    (tmp, site)
}

fn seed_profile() -> PathBuf {
    repo().join("seeds/profile.txt")
}

/// Every HTML page's visible text, and its `<title>`s, of the built site at `public`.
fn all_text(public: &Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(public) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let doc = html(&path);
            all.push_str(&visible_text(&doc));
            for t in doc.select(&sel("title")) {
                all.push_str(&t.text().collect::<String>());
            }
        }
    }
    all
}

#[test]
fn init_from_a_profile_fills_title_description_and_author() {
    let (_tmp, site) = init(&["--profile", seed_profile().to_str().unwrap()]);
    assert_eq!(
        fs::read(site.join("seeds/profile.txt")).unwrap(),
        fs::read(seed_profile()).unwrap(),
        "the profile is copied as is"
    );
    let config: toml::Table =
        toml::from_str(&fs::read_to_string(site.join("config.toml")).unwrap()).unwrap();
    assert_eq!(config["title"].as_str(), Some("Shaoyi Huang"));
    assert_eq!(config["author"]["name"].as_str(), Some("Shaoyi Huang"));
    let description = config["description"].as_str().unwrap();
    assert!(
        description.starts_with("Research by Shaoyi Huang: Machine Learning, "),
        "{description}"
    );
    assert!(
        !site.join("content/papers").exists(),
        "no sample paper beside a real profile"
    );
    let report = build(&site);
    assert_eq!(report.papers, 30);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let home = html(&site.join("public/index.html"));
    let title: String = home.select(&sel("title")).next().unwrap().text().collect();
    assert!(title.contains("Shaoyi Huang"), "{title}");
    let meta = home
        .select(&sel("meta[name=description]"))
        .next()
        .unwrap()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(meta, description);
    let shown = all_text(&site.join("public"));
    for placeholder in ["Jane", "Example University", "example.org", "PhD Student"] {
        assert!(!shown.contains(placeholder), "{placeholder} on the site");
    }
    let check = run(&site, &["check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn init_refuses_a_missing_or_unreadable_profile_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bib = tmp.path().join("refs.bib");
    fs::write(&bib, "@article{huang2022,\n  title = {A Paper},\n}\n").unwrap();
    let empty = tmp.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    for (profile, message) in [
        (
            "no-such-profile.txt",
            "error: the profile `no-such-profile.txt` does not exist",
        ),
        (
            "refs.bib",
            "error: `@article{huang2022,` does not look like a researcher's name",
        ),
        ("empty.txt", "error: the profile is empty at empty.txt:1:1"),
        (".", "error: cannot read the profile `.`"),
    ] {
        let out = run(tmp.path(), &["init", "site", "--profile", profile]);
        assert_eq!(out.status.code(), Some(1), "{profile}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(message), "{profile}: {stderr}");
        assert!(
            !tmp.path().join("site").exists(),
            "{profile}: nothing written"
        );
    }
}

#[test]
fn a_fresh_site_takes_the_pasted_profile_name_and_warns_about_the_sample_paper() {
    let (_tmp, site) = init(&[]);
    // As written, the sample builds cleanly: its paper enriches the sample profile's.
    let out = run(&site, &["build"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stderr), "", "a fresh site builds without a word");
    let config = fs::read_to_string(site.join("config.toml")).unwrap();
    let table: toml::Table = toml::from_str(&config).unwrap();
    assert!(
        !table.contains_key("title"),
        "the title follows the profile"
    );
    // The user pastes their profile, and nothing else.
    fs::copy(seed_profile(), site.join("seeds/profile.txt")).unwrap();
    let out = run(&site, &["build"]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "warning: this is the sample paper written by `scholarsite init`, and no paper in \
             your profile has its title: it is published on your site as a paper of its own at \
             content/papers/sparse-attention-in-o-n-log-n-time.md:4:1\n 4 | sample = true"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "= hint: delete `content/papers/sparse-attention-in-o-n-log-n-time.md` (or remove \
             `sample = true` from it to keep it as a paper of yours)"
        ),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("warning:").count(),
        1,
        "the sample is reported once, not also as a paper without date or authors: {stderr}"
    );
    // `check` (which the Pages workflow runs before deploying) makes it an error.
    let check = run(&site, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stderr).starts_with("error: this is the sample paper"),
        "{}",
        text(&check.stderr)
    );
    let home = html(&site.join("public/index.html"));
    let title: String = home.select(&sel("title")).next().unwrap().text().collect();
    assert!(title.contains("Shaoyi Huang"), "{title}");
    let h1: String = home.select(&sel("h1")).next().unwrap().text().collect();
    assert!(h1.contains("Shaoyi Huang"), "{h1}");
    let shown = all_text(&site.join("public"));
    for placeholder in ["Jane Researcher", "Example University", "jane@example.org"] {
        assert!(!shown.contains(placeholder), "{placeholder} on the site");
    }
    // Once the sample is deleted, the warning goes.
    fs::remove_file(site.join("content/papers/sparse-attention-in-o-n-log-n-time.md")).unwrap();
    assert_eq!(text(&run(&site, &["build"]).stderr), "");
}

/// A tiny HTTP server for the release downloads: answers GET for the files in `dir` (by
/// name, under any path), 404 otherwise; counts requests.
fn release_server(dir: PathBuf) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).into_owned();
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let name = path.rsplit('/').next().unwrap_or("");
            let file = dir.join(name);
            let (status, body) = match fs::read(&file) {
                Ok(bytes) if !name.is_empty() => ("200 OK", bytes),
                _ => ("404 Not Found", Vec::new()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    port
}

/// The release archive name `release.yml` gives `target` for `tag`, from its `archive:` input.
fn release_archive(tag: &str, target: &str) -> String {
    let release = workflow(&repo().join(".github/workflows/release.yml"));
    let steps = release["jobs"]["upload-binaries"]["steps"]
        .as_sequence()
        .unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .expect("release.yml uploads with upload-rust-binary-action");
    let bin = upload["with"]["bin"].as_str().unwrap();
    upload["with"]["archive"]
        .as_str()
        .unwrap()
        .replace("$bin", bin)
        .replace("$tag", tag)
        .replace("$target", target)
}

/// Makes the release files for `version` as `release.yml` does for Linux: the binary (this
/// build's), README.md and LICENSE in a `.tar.gz`, and its `.sha256` as `sha256sum` writes it.
fn make_release(dir: &Path, version: &str) -> String {
    let target = "x86_64-unknown-linux-musl";
    let archive = format!("{}.tar.gz", release_archive(&format!("v{version}"), target));
    let stage = dir.join("stage");
    fs::create_dir_all(&stage).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_scholarsite"), stage.join("scholarsite")).unwrap();
    fs::copy(repo().join("README.md"), stage.join("README.md")).unwrap();
    fs::copy(repo().join("LICENSE"), stage.join("LICENSE")).unwrap();
    let status = Command::new("tar")
        .arg("czf")
        .arg(dir.join(&archive))
        .args(["scholarsite", "README.md", "LICENSE"])
        .current_dir(&stage)
        .status()
        .unwrap();
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(sum.status.success());
    fs::write(dir.join(format!("{archive}.sha256")), &sum.stdout).unwrap();
    archive
}

fn workflow(path: &Path) -> Value {
    serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// How a run of the workflow's `build` job ended.
#[derive(Debug)]
enum Outcome {
    /// The artifact upload step was reached, with this folder.
    Uploaded(PathBuf),
    /// A step failed: its name and what it printed.
    Failed(String, String),
}

/// Runs the `build` job of the Pages workflow in `site` as GitHub's Ubuntu runner would: each
/// `run` step with `bash --noprofile --norc -eo pipefail`, the workflow's and the step's `env`,
/// `${{ … }}` expressions filled in, `GITHUB_PATH` honoured; `uses` steps emulated (checkout:
/// the site is already there; configure-pages: its `base_url` output is `pages_url`; the
/// artifact upload ends the run). `env` overrides the workflow's environment. A step or an
/// expression this runner does not know fails the test: the workflow must stay runnable here.
struct Runner {
    site: PathBuf,
    temp: tempfile::TempDir,
    pages_url: String,
    env: BTreeMap<String, String>,
    /// Folders put before PATH (fake tools).
    path_first: Vec<PathBuf>,
    /// Everything the steps printed.
    log: String,
}

impl Runner {
    fn new(site: &Path, pages_url: &str) -> Runner {
        Runner {
            site: site.to_path_buf(),
            temp: tempfile::tempdir().unwrap(),
            pages_url: pages_url.to_string(),
            env: BTreeMap::new(),
            path_first: Vec::new(),
            log: String::new(),
        }
    }

    fn runner_temp(&self) -> PathBuf {
        self.temp.path().join("runner-temp")
    }

    fn expand(&self, s: &str, env: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            let expr = rest[start + 3..end].trim();
            let value = match expr {
                "steps.pages.outputs.base_url" => self.pages_url.clone(),
                "runner.temp" => self.runner_temp().display().to_string(),
                e if e.starts_with("env.") => env[&e[4..]].clone(),
                e => panic!("the test runner does not know `{e}`"),
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn run(&mut self) -> Outcome {
        let wf = workflow(&self.site.join(".github/workflows/pages.yml"));
        fs::create_dir_all(self.runner_temp()).unwrap();
        let github_path = self.temp.path().join("github_path");
        fs::write(&github_path, "").unwrap();
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in wf["env"].as_mapping().into_iter().flatten() {
            env.insert(
                k.as_str().unwrap().to_string(),
                v.as_str().unwrap().to_string(),
            );
        }
        env.extend(self.env.clone());
        let steps = wf["jobs"]["build"]["steps"].as_sequence().unwrap().clone();
        for (i, step) in steps.iter().enumerate() {
            let name = step["name"]
                .as_str()
                .or(step["uses"].as_str())
                .unwrap_or("?")
                .to_string();
            assert!(
                step.get("if").is_none(),
                "conditions are not emulated: {name}"
            );
            if let Some(uses) = step["uses"].as_str() {
                let action = uses.split('@').next().unwrap();
                match action {
                    "actions/checkout" | "actions/configure-pages" => continue,
                    "actions/upload-pages-artifact" => {
                        let path = self.expand(step["with"]["path"].as_str().unwrap(), &env);
                        return Outcome::Uploaded(PathBuf::from(path));
                    }
                    other => panic!("the test runner does not know the action {other}"),
                }
            }
            let script = step["run"].as_str().expect("a run step");
            let mut step_env = env.clone();
            for (k, v) in step["env"].as_mapping().into_iter().flatten() {
                let v = self.expand(v.as_str().unwrap(), &env);
                step_env.insert(k.as_str().unwrap().to_string(), v);
            }
            let script_file = self.temp.path().join(format!("step-{i}.sh"));
            fs::write(&script_file, self.expand(script, &step_env)).unwrap();
            let added: Vec<PathBuf> = fs::read_to_string(&github_path)
                .unwrap()
                .lines()
                .rev()
                .map(PathBuf::from)
                .collect();
            let path = std::env::join_paths(
                self.path_first
                    .iter()
                    .cloned()
                    .chain(added)
                    .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
            )
            .unwrap();
            let out = Command::new("bash")
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script_file)
                .current_dir(&self.site)
                .envs(&step_env)
                .env("PATH", path)
                .env("RUNNER_TEMP", self.runner_temp())
                .env("GITHUB_PATH", &github_path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let printed = format!("{}{}", text(&out.stdout), text(&out.stderr));
            self.log.push_str(&format!("== {name}\n{printed}"));
            if !out.status.success() {
                return Outcome::Failed(name, printed);
            }
        }
        panic!("the workflow never uploads the site:\n{}", self.log)
    }
}

/// A fake `cargo` first on PATH: records its arguments and "installs" this build's binary into
/// `--root`, so that the fallback path runs without compiling anything.
fn fake_cargo(dir: &Path) -> PathBuf {
    let bin = dir.join("fake-bin");
    fs::create_dir_all(&bin).unwrap();
    let script = format!(
        "#!/bin/bash\necho \"$*\" >> '{}'\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; \
         shift; done\nmkdir -p \"$root/bin\" && cp '{}' \"$root/bin/scholarsite\"\n",
        dir.join("cargo-calls").display(),
        env!("CARGO_BIN_EXE_scholarsite"),
    );
    let cargo = bin.join("cargo");
    fs::write(&cargo, script).unwrap();
    let mut perms = fs::metadata(&cargo).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&cargo, perms).unwrap();
    bin
}

/// Whether the tools the workflow's install step uses are here (they are on GitHub's runners).
fn have_runner_tools() -> bool {
    let ok = ["curl", "sha256sum", "tar"].iter().all(|t| {
        Command::new(t)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !ok {
        let msg = "curl, sha256sum or tar is missing: apt-get install curl coreutils tar";
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "{msg}");
        eprintln!("SKIPPED: {msg}");
    }
    ok
}

/// A site from `init --profile`, its output folder moved to `docs/` in config.toml.
fn site_for_deploy() -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = init(&["--profile", seed_profile().to_str().unwrap()]);
    let config = site.join("config.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("theme = ", "output_dir = \"docs\"\ntheme = "),
    )
    .unwrap();
    (tmp, site)
}

const PAGES_URL: &str = "https://jane.github.io/homepage";

/// What the release server has for the pinned version.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Release {
    /// The archive and its checksum, as release.yml makes them.
    Published,
    /// The archive, with a checksum that does not match it.
    WrongChecksum,
    /// Nothing (a version without binaries).
    Missing,
}

/// A deploy of a site from `init --profile` (its output folder moved to `docs/`), after
/// `prepare` changed it, with the release server holding `release`.
struct Deploy {
    tmp: tempfile::TempDir,
    site: PathBuf,
    runner: Runner,
    outcome: Outcome,
}

fn deploy(release: Release, prepare: impl FnOnce(&Path)) -> Deploy {
    let (tmp, site) = site_for_deploy();
    prepare(&site);
    let releases = tmp.path().join("releases");
    fs::create_dir_all(&releases).unwrap();
    if release != Release::Missing {
        let archive = make_release(&releases, env!("CARGO_PKG_VERSION"));
        if release == Release::WrongChecksum {
            let sum = releases.join(format!("{archive}.sha256"));
            let text = fs::read_to_string(&sum).unwrap();
            let flipped = if text.starts_with('0') { "1" } else { "0" };
            fs::write(&sum, format!("{flipped}{}", &text[1..])).unwrap();
        }
    }
    let port = release_server(releases);
    let mut runner = Runner::new(&site, PAGES_URL);
    runner.env.insert(
        "SCHOLARSITE_RELEASES".into(),
        format!("http://127.0.0.1:{port}/releases/download"),
    );
    runner.path_first.push(fake_cargo(tmp.path()));
    let outcome = runner.run();
    Deploy {
        tmp,
        site,
        runner,
        outcome,
    }
}

#[test]
fn the_pages_workflow_installs_the_release_binary_checks_builds_and_uploads_the_site() {
    if !have_runner_tools() {
        return;
    }
    let Deploy {
        tmp,
        site,
        runner,
        outcome,
    } = deploy(Release::Published, |_| {});
    let uploaded = match outcome {
        Outcome::Uploaded(path) => path,
        Outcome::Failed(step, out) => panic!("{step} failed:\n{out}\n{}", runner.log),
    };
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        runner.log.contains(&format!(
            "Installed the scholarsite {version} release binary for x86_64-unknown-linux-musl."
        )),
        "{}",
        runner.log
    );
    assert!(
        !tmp.path().join("cargo-calls").exists(),
        "nothing compiled: {}",
        runner.log
    );
    assert!(runner.log.contains("Checked "), "check ran: {}", runner.log);
    // What is uploaded is the site just built, for the Pages address.
    let home = html(&uploaded.join("index.html"));
    let canonical = home
        .select(&sel("link[rel=canonical]"))
        .next()
        .and_then(|l| l.attr("href"))
        .unwrap()
        .to_string();
    assert_eq!(canonical, format!("{PAGES_URL}/"));
    assert!(uploaded.join("atom.xml").is_file());
    assert!(!site.join("public").exists() && !site.join("docs").exists());
}

#[test]
fn a_broken_link_stops_the_deploy_before_anything_is_uploaded() {
    if !have_runner_tools() {
        return;
    }
    // An absolute link that works at a user site's root, not under /homepage/.
    let d = deploy(Release::Published, |site| {
        fs::create_dir_all(site.join("content")).unwrap();
        fs::write(
            site.join("content/_index.md"),
            "My [papers](/papers/) and [CV](/cv/).\n",
        )
        .unwrap();
    });
    match d.outcome {
        Outcome::Failed(step, out) => {
            assert_eq!(step, "Check the site");
            assert!(out.contains("error: link `/cv/`"), "{out}");
        }
        Outcome::Uploaded(path) => panic!("uploaded {} despite a broken link", path.display()),
    }
}

#[test]
fn without_a_verified_release_binary_the_workflow_compiles_scholarsite() {
    if !have_runner_tools() {
        return;
    }
    let version = env!("CARGO_PKG_VERSION");
    for release in [Release::WrongChecksum, Release::Missing] {
        let d = deploy(release, |_| {});
        let log = &d.runner.log;
        assert!(
            matches!(d.outcome, Outcome::Uploaded(_)),
            "{release:?}: {:?}\n{log}",
            d.outcome
        );
        assert!(
            log.contains(&format!(
                "::warning::No verified scholarsite {version} release binary for x86_64: \
                 compiling it from source."
            )),
            "{release:?}: {log}"
        );
        let calls = fs::read_to_string(d.tmp.path().join("cargo-calls")).unwrap();
        let root = d.runner.runner_temp().join("scholarsite");
        assert_eq!(
            calls.trim(),
            format!(
                "install --locked --root {} --git {} --tag v{version} scholarsite",
                root.display(),
                env!("CARGO_PKG_REPOSITORY")
            ),
            "{release:?}"
        );
    }
}
