//! Live-preview latency: starts `scholarsite serve` on a site, gives one paper a new abstract
//! (a marker, in its Markdown's front matter), and measures two times from the save: until the
//! paper's page serves the marker (the edited page is published first), and until the server
//! reports the rebuild done (every listing showing the paper, and the data files, consistent).
//! Repeats and prints the medians (debounce included).
//!
//! ```sh
//! cargo run --release --example serve_latency -- SITE_DIR [PAPER_MD] [RUNS]
//! ```
//! PAPER_MD defaults to the first file in SITE_DIR/content/papers/.

use std::io::{BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

/// The URL path of a paper file: the slug is in its front matter, else the file stem.
fn paper_url(md: &Path) -> String {
    let text = std::fs::read_to_string(md).unwrap_or_default();
    let slug = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("slug = \"")
                .and_then(|r| r.strip_suffix('"'))
        })
        .map(str::to_string)
        .or_else(|| {
            let title = text.lines().find_map(|l| {
                l.strip_prefix("title = \"")
                    .and_then(|r| r.strip_suffix('"'))
            })?;
            Some(scholarsite::base::text::slugify(title))
        })
        .unwrap_or_default();
    format!("/papers/{slug}/")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: serve_latency SITE_DIR [PAPER_MD] [RUNS]");
        std::process::exit(2);
    };
    let md = args
        .get(1)
        .filter(|a| !a.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/papers"))
                .expect("content/papers")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            files.into_iter().next().expect("a paper file")
        });
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(9);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a port");
    let bin = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("scholarsite")))
        .expect("binary");
    let mut server = Command::new(bin)
        .args([
            "--root",
            &site.to_string_lossy(),
            "serve",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    // The server's "Rebuilt in …" lines, with when they were read.
    let (tx, rebuilt) = std::sync::mpsc::channel::<Instant>();
    let stdout = server.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.starts_with("Rebuilt in ") {
                let _ = tx.send(Instant::now());
            }
        }
    });
    let url = paper_url(&md);
    let start = Instant::now();
    while get(port, &url).is_none_or(|b| !b.starts_with("HTTP/1.1 200")) {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let original = std::fs::read_to_string(&md).expect("read paper");
    let mut page_times = Vec::new();
    let mut all_times = Vec::new();
    for run in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        while rebuilt.try_recv().is_ok() {}
        let marker = format!("Latency marker {run}-{}.", std::process::id());
        let edited = original.replacen("+++\n", &format!("+++\nabstract = \"{marker}\"\n"), 1);
        let saved = Instant::now();
        std::fs::write(&md, edited).expect("write paper");
        loop {
            if get(port, &url).is_some_and(|b| b.contains(&marker)) {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(30),
                "the edit never appeared"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        page_times.push(saved.elapsed());
        let done = rebuilt
            .recv_timeout(Duration::from_secs(30))
            .expect("the rebuild never finished");
        all_times.push(done.duration_since(saved));
    }
    std::fs::write(&md, original).expect("restore paper");
    let _ = server.kill();
    let _ = server.wait();
    for (what, mut times) in [
        ("save → edited page served", page_times),
        ("save → every listing consistent", all_times),
    ] {
        times.sort();
        let ms: Vec<String> = times
            .iter()
            .map(|t| format!("{:.0}", t.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "{what}: median {:.0} ms over {runs} edits ({} ms)",
            times[times.len() / 2].as_secs_f64() * 1000.0,
            ms.join(", ")
        );
    }
}
