//! `scholarsite serve` and `build --watch`: HTTP behaviour, security, live rebuilds, and the
//! end-to-end browser scenario in headless Chromium.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::*;

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";

/// Polls `path` until its body contains `text`.
fn wait_for(port: u16, path: &str, text: &str) -> Duration {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let (_, _, body) = http(port, "GET", path);
        if String::from_utf8_lossy(&body).contains(text) {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{path} never showed {text:?}");
}

#[test]
fn serves_pages_with_types_index_and_404() {
    let site = example_site();
    let server = start_server(site.path(), &[]);
    let (status, head, body) = http(server.port, "GET", &server.url("/"));
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("<script src=\"/__scholarsite/live.js\" data-version=\"0\"></script></body>"),
        "live reload injected"
    );
    // base_url is rewritten to the local address, and its /homepage/ sub-path kept, as
    // GitHub Pages serves a project site: `/` leads there, other paths are not the site.
    assert_eq!(server.path, "/homepage/");
    assert!(
        html.contains("href=\"/homepage/papers/\""),
        "links keep the base path"
    );
    assert!(!html.contains("scholarsite.github.io"));
    let (status, head, _) = http(server.port, "GET", "/");
    assert_eq!(status, 302);
    assert!(
        head.to_ascii_lowercase().contains("location: /homepage/"),
        "{head}"
    );
    let (status, _, body) = http(server.port, "GET", "/papers/");
    assert_eq!(
        status, 404,
        "a link that forgets the base path breaks, as on Pages"
    );
    assert!(String::from_utf8_lossy(&body).contains("served under /homepage/"));
    let (status, head, _) = http(server.port, "GET", &server.url("/style.css"));
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"));
    let (status, head, _) = http(
        server.port,
        "GET",
        &server.url("/math/font/latinmodern-math.woff2"),
    );
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: font/woff2")
    );
    let (status, _, body) = http(server.port, "GET", &server.url("/no/such/page/"));
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("Page not found"),
        "the site's own 404 page"
    );
    let (status, head, _) = http(server.port, "GET", &server.url("/papers"));
    assert_eq!(status, 301);
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /homepage/papers/")
    );
}

#[test]
fn only_get_and_head_and_never_outside_the_site() {
    let site = example_site();
    let server = start_server(site.path(), &[]);
    let (status, head, body) = http(server.port, "HEAD", &server.url("/"));
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(head.to_ascii_lowercase().contains("content-length:"));
    assert_eq!(http(server.port, "POST", &server.url("/")).0, 405);
    assert_eq!(
        http(server.port, "DELETE", &server.url("/index.html")).0,
        405
    );
    for attack in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/papers/%2E%2E/%2e%2e/config.toml",
        "/..%2fconfig.toml",
        "//etc/passwd",
        "/%5c..%5cconfig.toml",
    ] {
        let (status, _, body) = http(server.port, "GET", &server.url(attack));
        assert!(status == 403 || status == 404, "{attack}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("base_url"),
            "{attack} leaked config.toml"
        );
    }
    assert_eq!(
        http(server.port, "GET", &server.url("/config.toml")).0,
        404,
        "only the built site is served"
    );
}

#[test]
fn build_output_has_no_reload_script_and_serve_writes_nothing() {
    let site = example_site();
    {
        let server = start_server(site.path(), &[]);
        assert_eq!(http(server.port, "GET", &server.url("/")).0, 200);
        assert!(
            !site.path().join("public").exists(),
            "serve does not write public/"
        );
    }
    build(site.path());
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(
                !text.contains("__scholarsite"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn edits_rebuild_only_what_changed_and_errors_keep_the_last_good_site() {
    let site = example_site();
    let server = start_server(site.path(), &[]);
    let paper = site.path().join("content/papers/autorep.md");
    let original = fs::read_to_string(&paper).unwrap();
    fs::write(&paper, format!("{original}\nA fresh sentence 1234.\n")).unwrap();
    wait_for(
        server.port,
        &server.url(&format!("/{AUTOREP}")),
        "A fresh sentence 1234.",
    );
    // A new paper appears on the home page and in its category.
    fs::write(site.path().join("content/papers/new.md"), "+++\ntitle = \"Brand New Result\"\ndate = 2026-11-01\nauthors = [\"Shaoyi Huang\"]\ncategories = [\"CV\"]\n+++\n").unwrap();
    wait_for(server.port, &server.url("/"), "Brand New Result");
    wait_for(
        server.port,
        &server.url("/categories/cv/"),
        "Brand New Result",
    );
    // News and co-authors follow too.
    fs::write(
        site.path().join("content/news/2026-11-20-talk.md"),
        "+++\ndate = 2026-11-20\ntitle = \"Keynote 8675309\"\n+++\nA talk.\n",
    )
    .unwrap();
    wait_for(server.port, &server.url("/"), "Keynote 8675309");
    let with_coauthor = format!("{original}\nA fresh sentence 1234.\n").replacen(
        "+++\n",
        "+++\nauthors = [\"Hongwu Peng\", \"Shaoyi Huang\", \"Zed Newcoauthor\"]\n",
        1,
    );
    fs::write(&paper, &with_coauthor).unwrap();
    wait_for(server.port, &server.url("/coauthors/"), "Zed Newcoauthor");
    // A broken file: the last good site stays.
    fs::write(&paper, "+++\ntitle = [\n+++\n").unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let (status, _, body) = http(server.port, "GET", &server.url(&format!("/{AUTOREP}")));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("A fresh sentence 1234."));
    // Fixed: back to normal; a deleted paper disappears.
    fs::write(&paper, &original).unwrap();
    fs::remove_file(site.path().join("content/papers/new.md")).unwrap();
    let start = Instant::now();
    loop {
        let (_, _, body) = http(server.port, "GET", &server.url("/"));
        if !String::from_utf8_lossy(&body).contains("Brand New Result") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "removed paper still listed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        http(server.port, "GET", &server.url("/papers/brand-new-result/")).0,
        404
    );
    // Templates and config are watched too.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(site.path().join("templates/404.html"), "{% extends \"default/templates/404.html\" %}{% block main %}<h1>Custom 404 5150</h1>{% endblock main %}").unwrap();
    wait_for(server.port, &server.url("/404.html"), "Custom 404 5150");
    let config = fs::read_to_string(site.path().join("config.toml")).unwrap();
    fs::write(
        site.path().join("config.toml"),
        config.replace("title = \"Shaoyi Huang\"", "title = \"Renamed Site 77\""),
    )
    .unwrap();
    wait_for(server.port, &server.url("/"), "Renamed Site 77");
}

/// The server's report of a rebuild: its "Rebuilt …" line after the first `after` lines.
fn rebuilt_line(server: &Server, after: usize) -> String {
    let at = server.log.wait_for(after, |l| l.starts_with("Rebuilt in "));
    server.log.lines()[at].clone()
}

#[test]
fn an_abstract_edit_renders_its_page_and_the_lists_showing_it_and_a_css_edit_no_page() {
    let site = example_site();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(site.path().join("static/custom.css"), "p { color: red }\n").unwrap();
    let server = start_server(site.path(), &[]);
    let paper = site.path().join("content/papers/autorep.md");
    let original = fs::read_to_string(&paper).unwrap();
    let seen = server.log.lines().len();
    fs::write(
        &paper,
        original.replacen(
            "+++\n",
            "+++\nabstract = \"An abstract edited live 777.\"\n",
            1,
        ),
    )
    .unwrap();
    wait_for(
        server.port,
        &server.url(&format!("/{AUTOREP}")),
        "An abstract edited live 777.",
    );
    // Its page (published first), the home page, the publications, its research area and the
    // co-authors: not the 29 other papers.
    let line = rebuilt_line(&server, seen);
    assert!(line.contains(": 5 pages rendered (1 first),"), "{line}");
    wait_for(
        server.port,
        &server.url("/papers/"),
        "An abstract edited live 777.",
    );
    wait_for(
        server.port,
        &server.url("/categories/cr/"),
        "An abstract edited live 777.",
    );
    let seen = server.log.lines().len();
    fs::write(site.path().join("static/custom.css"), "p { color: blue }\n").unwrap();
    wait_for(server.port, &server.url("/custom.css"), "blue");
    let line = rebuilt_line(&server, seen);
    assert!(
        line.contains(": 0 pages rendered, 1 file changed"),
        "{line}"
    );
}

#[test]
fn polling_picks_up_changes() {
    let site = example_site();
    let server = start_server(site.path(), &["--poll"]);
    let paper = site.path().join("content/papers/autorep.md");
    fs::write(
        &paper,
        fs::read_to_string(&paper).unwrap() + "\nPolled change 99.\n",
    )
    .unwrap();
    wait_for(
        server.port,
        &server.url(&format!("/{AUTOREP}")),
        "Polled change 99.",
    );
}

/// `--port N` asks for N: when it is taken, serve stops with an error naming it and `--port`.
#[test]
fn a_taken_port_given_with_port_is_reported() {
    let site = example_site();
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(["serve", "--port", &port])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
}

/// Without `--port`, serve listens on 1111, or on the next free port when 1111 is taken (as
/// README says): 1111 and 1112 are held here, so it must say so and serve on a later one. On a
/// loopback address of its own (127.x.y.z), so that nothing else on the machine can take or
/// free those ports meanwhile; which also checks that serve names the address it listens on.
#[test]
fn a_taken_default_port_is_skipped_for_the_next_free_one() {
    use std::io::BufRead;
    let site = example_site();
    let seed = std::process::id() ^ std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos();
    let ip = std::net::Ipv4Addr::new(127, 1 + (seed % 250) as u8, 1 + (seed / 250 % 250) as u8, 7);
    let _held: Vec<_> = [1111, 1112]
        .iter()
        .map(|p| {
            std::net::TcpListener::bind((ip, *p))
                .unwrap_or_else(|e| panic!("cannot hold {ip}:{p}: {e}"))
        })
        .collect();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(["serve", "--bind", &ip.to_string()])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut said = Vec::new();
    let prefix = format!("Serving http://{ip}:");
    let serving = loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            panic!("serve never said where it serves: {said:?}");
        };
        said.push(line.clone());
        if let Some(rest) = line.strip_prefix(&prefix) {
            break rest
                .split(['/', ' '])
                .next()
                .unwrap()
                .parse::<u16>()
                .unwrap();
        }
    };
    assert_eq!(serving, 1113, "{said:?}");
    assert!(
        said.contains(&"Port 1111 is in use; using 1113 instead.".to_string()),
        "{said:?}"
    );
    // The port is bound before the first build: wait for the site.
    let start = Instant::now();
    let mut status = 0;
    while status != 200 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
        let Ok(mut s) = std::net::TcpStream::connect((ip, serving)) else {
            continue;
        };
        use std::io::{Read, Write};
        let _ = write!(
            s,
            "GET /homepage/ HTTP/1.1\r\nHost: {ip}\r\nConnection: close\r\n\r\n"
        );
        let mut head = String::new();
        let _ = s.read_to_string(&mut head);
        status = head.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "the site is served on {ip}:{serving}");
}

#[test]
fn build_watch_rebuilds_public_atomically() {
    let site = example_site();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(["build", "--watch"])
        .current_dir(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let page = site.path().join("public").join(AUTOREP).join("index.html");
    let read = |p: &std::path::Path| fs::read_to_string(p).unwrap_or_default();
    let start = Instant::now();
    while !page.is_file() {
        assert!(start.elapsed() < Duration::from_secs(20), "no first build");
        std::thread::sleep(Duration::from_millis(20));
    }
    let paper = site.path().join("content/papers/autorep.md");
    fs::write(&paper, read(&paper) + "\nWatched build 31337.\n").unwrap();
    let start = Instant::now();
    while !read(&page).contains("Watched build 31337.") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "public/ not rebuilt"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!read(&page).contains("__scholarsite"));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn build_watch_recovers_when_the_broken_file_goes_and_follows_renames_and_deletions() {
    let site = example_site();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scholarsite"))
        .args(["build", "--watch"])
        .current_dir(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let log = Log::of(&mut child);
    let public = site.path().join("public");
    let page = |rel: &str| fs::read_to_string(public.join(rel).join("index.html")).ok();
    let mut seen = log.wait_for(0, |l| l.starts_with("Built ")) + 1;
    // A broken file: the build fails, public/ stays.
    let papers = site.path().join("content/papers");
    fs::write(papers.join("broken.md"), "+++\ntitle = [\n+++\n").unwrap();
    seen = log.wait_for(seen, |l| l.starts_with("Rebuild failed")) + 1;
    assert!(page(AUTOREP).is_some());
    // Deleted: the site is good again, and says so although no file changed.
    fs::remove_file(papers.join("broken.md")).unwrap();
    seen = log.wait_for(seen, |l| l.starts_with("Rebuilt in ")) + 1;
    // A new paper appears; renamed, it stays; deleted, its page goes.
    fs::write(
        papers.join("new.md"),
        "+++\ntitle = \"Brand New Result\"\ndate = 2026-11-01\nauthors = [\"Shaoyi Huang\"]\n+++\n",
    )
    .unwrap();
    seen = log.wait_for(seen, |l| l.starts_with("Rebuilt in ")) + 1;
    assert!(page("papers/brand-new-result/").is_some());
    fs::rename(papers.join("new.md"), papers.join("renamed.md")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        page("papers/brand-new-result/").is_some(),
        "a renamed file keeps its paper"
    );
    fs::remove_file(papers.join("renamed.md")).unwrap();
    log.wait_for(seen, |l| l.starts_with("Rebuilt in "));
    let start = Instant::now();
    while page("papers/brand-new-result/").is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "deleted paper still built"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!page("").unwrap().contains("Brand New Result"));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
#[cfg_attr(
    not(ci),
    ignore = "needs Chromium and Node.js (npm ci): cargo test -- --include-ignored"
)]
fn browser_follows_edits_errors_and_css() {
    require_browser();
    let site = example_site();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::copy(
        repo().join("themes/default/static/style.css"),
        site.path().join("static/style.css"),
    )
    .unwrap();
    let server = start_server(site.path(), &[]);
    let paper = site.path().join("content/papers/autorep.md");
    let css = site.path().join("static/style.css");
    let out = run_browser_script(
        "serve.mjs",
        &[
            &server.base,
            paper.to_str().unwrap(),
            AUTOREP,
            css.to_str().unwrap(),
        ],
    );
    assert!(out.contains("PASS"), "{out}");
}
