//! The default theme in headless Chromium: axe-core finds no violations (light and dark), no
//! console errors or failed requests, no horizontal overflow at 390 px, search, filters and the
//! dark-mode toggle work, and screenshots are written to tests/screenshots/ (git-ignored).

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use common::*;

const AUTOREP: &str =
    "papers/autorep-automatic-relu-replacement-for-fast-private-network-inference/";

/// Serves `public` under `/homepage/` (the example's base path) with content types, as GitHub
/// Pages would; returns the port. The thread ends with the test process.
fn serve(public: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
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

fn answer(mut stream: TcpStream, public: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
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

#[test]
fn the_default_theme_in_chromium() {
    if !browser_available() {
        return;
    }
    assert!(
        repo().join("node_modules/axe-core").is_dir(),
        "axe-core is missing: run `npm install`"
    );
    let site = example_site();
    build(site.path());
    let port = serve(site.path().join("public"));
    let shots = repo().join("tests/screenshots");
    let out = run_browser_script(
        "theme.mjs",
        &[
            &format!("http://127.0.0.1:{port}/homepage/"),
            &shots.to_string_lossy(),
            AUTOREP,
            "categories/lg/",
        ],
    );
    assert!(out.contains("PASS"), "{out}");
    for name in [
        "home-390-light",
        "home-390-dark",
        "home-1280-light",
        "home-1280-dark",
    ] {
        assert!(shots.join(format!("{name}.png")).is_file(), "{name}.png");
    }
}
