//! Shared helpers for integration tests: copying the example site, building it, parsing HTML,
//! hashing output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scholarsite::load::settings::{Overrides, Settings};

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example site (config, seeds, content) in a fresh temp dir.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["config.toml", "seeds", "content"] {
        copy_tree(&repo().join(name), &dir.path().join(name));
    }
    dir
}

/// Copies a file or folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).unwrap();
        }
        fs::copy(from, to).unwrap();
    }
}

/// Switches the site at `root` (a copy of the example site) to the theme `name`.
pub fn use_theme(root: &Path, name: &str) {
    let path = root.join("config.toml");
    let config = fs::read_to_string(&path).expect("config.toml");
    assert!(
        config.contains("theme = \"default\""),
        "the example config names the default theme"
    );
    let switched = config.replace("theme = \"default\"", &format!("theme = \"{name}\""));
    fs::write(&path, switched).expect("write config.toml");
}

/// Appends TOML (tables such as `[listings]`) to the site's `config.toml`.
pub fn append_config(root: &Path, toml: &str) {
    let path = root.join("config.toml");
    let config = fs::read_to_string(&path).expect("config.toml");
    fs::write(&path, format!("{config}\n{toml}")).expect("write config.toml");
}

/// Builds the site at `root` with the library, panicking with the diagnostics on failure.
pub fn build(root: &Path) -> scholarsite::build::Report {
    build_with(root, Overrides::default())
}

/// Builds with overrides.
pub fn build_with(root: &Path, overrides: Overrides) -> scholarsite::build::Report {
    let settings = Settings::load(root, &overrides).unwrap_or_else(|e| panic!("{e}"));
    scholarsite::build::build(&settings).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs the binary with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run scholarsite")
}

/// Parses an HTML file.
pub fn html(path: &Path) -> scraper::Html {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scraper::Html::parse_document(&text)
}

/// A CSS selector.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// The visible text of a document: text nodes outside script/style, and outside MathML
/// annotations (the TeX source a formula carries for copying).
pub fn visible_text(doc: &scraper::Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let scraper::Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "annotation" | "title")
                })
            });
            if !hidden {
                out.push_str(t);
            }
        }
    }
    out
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if dir.exists() {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

/// Tests that need a tool from outside Rust (Chromium, Node.js and the npm packages, Java, a
/// tmpfs mount) are marked `#[cfg_attr(not(ci), ignore = "needs …")]`: with `CI=true` (see
/// `build.rs`) they always run; elsewhere `cargo test` lists them as ignored with what they
/// need, and `cargo test -- --include-ignored` runs them. Once running, a test never skips:
/// a missing tool is a failure naming the install command.
pub fn require_tool(available: bool, what: &str) {
    assert!(
        available,
        "{what}\n(a test that needs an outside tool fails without it once it runs: see \
         docs/testing.md, \"Tests that need outside tools\")"
    );
}

/// Runs the Nu HTML Checker (`vnu.jar` from `npm ci`, with Java) over every `.html` file
/// under `public`, panicking with its report on any error; returns how many pages it checked.
/// A missing checker is a failure: call it only from a test marked as needing Java and npm
/// (see [`require_tool`]).
pub fn assert_valid_html(public: &Path) -> usize {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    require_tool(
        jar.is_file() && java,
        "the Nu HTML Checker is not installed: install Java (apt-get install -y default-jre-headless), then run `npm ci`",
    );
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(!pages.is_empty(), "no pages under {}", public.display());
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&pages)
        .output()
        .expect("run vnu");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "validator errors:\n{report}"
    );
    pages.len()
}

/// Chromium and the browser scripts' Node.js packages (`playwright-core`, `axe-core`): a
/// failure naming the install command when one is missing (see [`require_tool`]).
pub fn require_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    require_tool(
        Path::new(&chromium).exists()
            && node
            && repo().join("node_modules/playwright-core").is_dir()
            && repo().join("node_modules/axe-core").is_dir(),
        "browser tests need Chromium and Node.js: apt-get install -y chromium nodejs npm, then `npm ci`",
    );
}

/// Runs `node tests/browser/<script> args…`, panicking with its output unless it succeeds.
pub fn run_browser_script(script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `scholarsite serve`, stopped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    /// The site's address: `http://127.0.0.1:PORT/homepage/` for a site whose base_url has
    /// the path `/homepage/`.
    pub base: String,
    /// The path the site is served under (`/homepage/`), as on GitHub Pages.
    pub path: String,
    /// What it printed (stdout and stderr), line by line.
    pub log: Log,
}

impl Server {
    /// The URL path of `path` (written from the site's root, `/papers/`) under the base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.path.trim_end_matches('/'))
    }
}

/// The lines a child process prints, collected as it runs.
#[derive(Clone, Default)]
pub struct Log(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Log {
    /// Collects the child's stdout and stderr (both must be piped).
    pub fn of(child: &mut std::process::Child) -> Log {
        let log = Log::default();
        let out = child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
        let err = child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
        for stream in [out, err].into_iter().flatten() {
            let lines = std::sync::Arc::clone(&log.0);
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        log
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) for a line after the first `after` lines that satisfies `pred`; returns
    /// its index.
    pub fn wait_for(&self, after: usize, pred: impl Fn(&str) -> bool) -> usize {
        let start = std::time::Instant::now();
        loop {
            let lines = self.lines();
            if let Some(i) = lines.iter().skip(after).position(|l| pred(l)) {
                return after + i;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "no such line after line {after}; printed:\n{}",
                lines.join("\n")
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `scholarsite serve` on `root` with extra args and waits until it answers; `/`
/// redirects to the base path of a site served under one.
pub fn start_server(root: &Path, extra: &[&str]) -> Server {
    let port = free_port();
    let port_s = port.to_string();
    let mut args = vec!["serve", "--port", port_s.as_str()];
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(&args)
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let log = Log::of(&mut child);
    let mut server = Server {
        child,
        port,
        base: String::new(),
        path: String::new(),
        log,
    };
    for _ in 0..200 {
        // The port is bound before the first build; wait until pages are served.
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            let (status, head, _) = http(port, "GET", "/");
            let location = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("location")
                    .then(|| value.trim().to_string())
            });
            let path = match (status, location) {
                (200, _) => "/".to_string(),
                (302, Some(path)) if http(port, "GET", &path).0 == 200 => path,
                _ => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    continue;
                }
            };
            server.base = format!("http://127.0.0.1:{port}{path}");
            server.path = path;
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("serve did not start on port {port}");
}

/// A raw HTTP/1.1 request; returns (status, headers, body).
pub fn http(port: u16, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw
        .get(head_end + 4..)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    (status, head, body)
}

/// Serves `public` under `/homepage/` (the example's base path) with content types, as GitHub
/// Pages would; returns the port. The thread ends with the test process.
pub fn static_server(public: PathBuf) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let public = public.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &public);
            });
        }
    });
    port
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

fn answer(mut stream: std::net::TcpStream, public: &Path) -> std::io::Result<()> {
    let mut reader = std::io::BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Read the headers to the end, so that closing the socket does not reset the connection.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let file = path.strip_prefix("/homepage/").map(|rel| {
        let p = public.join(rel);
        if p.is_dir() { p.join("index.html") } else { p }
    });
    let (status, file) = match file.filter(|f| f.is_file() && !path.contains("..")) {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", public.join("404.html")),
    };
    let body = fs::read(&file)?;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    )?;
    stream.write_all(&body)
}
