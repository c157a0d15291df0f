//! `scholarsite serve`: build into memory, serve over HTTP on 127.0.0.1, watch the sources,
//! rebuild what changed and reload the browser (Server-Sent Events). A broken edit keeps the
//! last good site and shows the error over it; the next good save clears it. Nothing is
//! written into `public/`. Also `build --watch`, the same loop writing `public/`.

pub mod session;
pub mod watch;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;

use crate::base::diag::{Diagnostic, Error, Result, print_diagnostics};
use crate::load::settings::{Overrides, Settings};
use crate::publish::guard;
use crate::publish::output::{Sink, Staging};
use crate::serve::session::{Files, Session, Update};
use crate::serve::watch::SourceWatcher;

/// The path prefix of the dev server's own endpoints.
const PREFIX: &str = "/__scholarsite/";
/// The live-reload client, injected into HTML pages in serve mode only.
const LIVE_JS: &str = include_str!("live.js");

/// What a request finds in the site.
enum Found {
    /// A file, with the status to answer (404 for the site's own 404 page).
    File(StatusCode, String, Arc<Vec<u8>>),
    /// A folder without its trailing slash: redirect.
    Folder,
    /// Nothing, and no 404 page either.
    Nothing,
}

/// `serve` options from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on.
    pub port: u16,
    /// Whether the port was given explicitly (then a taken port is an error).
    pub port_explicit: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Build drafts.
    pub drafts: bool,
    /// Poll for changes instead of native events.
    pub poll: bool,
}

/// What the browser is told.
#[derive(Debug, Clone)]
enum Notice {
    /// Reload if one of these URL paths is shown (`*`: any).
    Reload(Vec<String>),
    /// Swap these stylesheets.
    Css(Vec<String>),
    /// Show this build error over the page.
    Error(String),
    /// The current version of the site (sent when a browser connects).
    Version(u64),
}

/// The state of the live preview besides its files.
struct Live {
    /// The current build error, if the last rebuild failed.
    error: Option<String>,
    /// Counts successful rebuilds: a page carries the version it was served at, so a browser
    /// that connects after a rebuild it missed reloads at once.
    version: u64,
}

#[derive(Clone)]
struct AppState {
    /// The site in memory: the files of the last good build (a failed rebuild leaves them as
    /// they were), written by the session.
    files: Files,
    live: Arc<RwLock<Live>>,
    notices: broadcast::Sender<Notice>,
    /// The path of the configured `base_url` (`/` or `/repo/`): the site is served under it,
    /// as GitHub Pages serves a project site, so that a link that forgets it breaks here too.
    base_path: Arc<str>,
}

/// Runs the dev server until Ctrl-C.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let (listener, port) = bind(opts)?;
    // The address the server answers on: 0.0.0.0 and :: answer on 127.0.0.1 too.
    let host = match opts.bind {
        a if a.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(a) => format!("[{a}]"),
        a => a.to_string(),
    };
    let base_path = configured_base_path(&opts.root, opts.drafts);
    let url = format!("http://{host}:{port}{base_path}");
    let overrides = Overrides {
        output_dir: None,
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        force: false,
    };
    // Watch before the first build, so that an edit made while it runs is not missed.
    let settings = Settings::load(&opts.root, &overrides)?;
    // Nothing is written, but an output folder that `build` would refuse is said at once.
    guard::locate(&settings)?;
    let mut watcher = SourceWatcher::new(&settings, opts.poll)?;
    let start = Instant::now();
    let files = Files::default();
    let (mut session, error) = match Session::start(&opts.root, &overrides, Arc::clone(&files)) {
        Ok(s) => {
            print_diagnostics(s.warnings());
            println!(
                "Built {} files in {:.0} ms",
                files.read().unwrap_or_else(PoisonError::into_inner).len(),
                start.elapsed().as_secs_f64() * 1000.0
            );
            (Some(s), None)
        }
        Err(e) => {
            print_diagnostics(&e.diagnostics);
            (None, Some(e.to_string()))
        }
    };
    let (notices, _) = broadcast::channel(64);
    let state = AppState {
        files,
        live: Arc::new(RwLock::new(Live { error, version: 0 })),
        notices,
        base_path: base_path.into(),
    };
    let rebuild_state = state.clone();
    let root = opts.root.clone();
    // The session belongs to this thread: requests read only the files it publishes.
    std::thread::spawn(move || {
        while let Some(batch) = watcher.next_batch() {
            rebuild(&rebuild_state, &root, &overrides, &mut session, &batch);
        }
    });
    println!(
        "Serving {url} (Ctrl-C to stop); watching for changes{}",
        if opts.poll { " by polling" } else { "" }
    );
    if opts.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Diagnostic::error(format!("cannot listen: {e}")))?;
        let app = Router::new()
            .route(&format!("{PREFIX}events"), get(events))
            .route(&format!("{PREFIX}live.js"), get(live_js))
            .fallback(serve_file)
            .with_state(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Diagnostic::error(format!("server error: {e}")))?;
        println!("\nStopped.");
        Ok::<(), Error>(())
    })
}

/// The path of the site's `base_url` (`/repo/` of `https://name.github.io/repo/`); `/` when
/// config.toml cannot be read yet (the first build then reports why).
fn configured_base_path(root: &Path, drafts: bool) -> String {
    let overrides = Overrides {
        drafts,
        ..Overrides::default()
    };
    crate::load::settings::Settings::load(root, &overrides)
        .map_or_else(|_| "/".to_string(), |s| s.base_path)
}

/// Binds the port; a default port that is taken moves to the next free one, an explicit one
/// is an error with a suggestion.
fn bind(opts: &ServeOptions) -> Result<(TcpListener, u16)> {
    let tries = if opts.port_explicit { 1 } else { 10 };
    for offset in 0..tries {
        let port = opts.port.saturating_add(offset);
        match TcpListener::bind(SocketAddr::new(opts.bind, port)) {
            Ok(l) => {
                if offset > 0 {
                    println!("Port {} is in use; using {port} instead.", opts.port);
                }
                l.set_nonblocking(true)
                    .map_err(|e| Diagnostic::error(format!("cannot listen: {e}")))?;
                return Ok((l, port));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot listen on {}:{port}: {e}",
                    opts.bind
                ))
                .hint("check --bind")
                .into());
            }
        }
    }
    Err(
        Diagnostic::error(format!("port {} is already in use", opts.port))
            .hint(format!(
                "choose another with --port, e.g. --port {}",
                opts.port.saturating_add(1)
            ))
            .into(),
    )
}

/// Applies a batch of changes and tells the browsers: about the edited papers' pages as soon
/// as they are published, then about the rest.
fn rebuild(
    state: &AppState,
    root: &Path,
    overrides: &Overrides,
    session: &mut Option<Session>,
    batch: &[PathBuf],
) {
    let mut announced: Vec<String> = Vec::new();
    let result = match session.as_mut() {
        Some(session) => session.apply(batch, &mut |first| {
            // Not while an error is shown: the next full notice clears it.
            let mut live = state.live.write().unwrap_or_else(PoisonError::into_inner);
            if live.error.is_none() {
                live.version += 1;
                announced.clone_from(&first.changed);
                let paths = first
                    .changed
                    .iter()
                    .map(|r| url_path(&state.base_path, r))
                    .collect();
                let _ = state.notices.send(Notice::Reload(paths));
            }
        }),
        None => {
            // The first build failed: every change retries it from scratch.
            let start = Instant::now();
            Session::start(root, overrides, Arc::clone(&state.files)).map(|s| {
                let warnings = s.warnings().to_vec();
                *session = Some(s);
                Update {
                    changed: vec!["*".to_string()],
                    warnings,
                    elapsed: start.elapsed(),
                    ..Update::default()
                }
            })
        }
    };
    let mut live = state.live.write().unwrap_or_else(PoisonError::into_inner);
    match result {
        Ok(update) if update.changed.is_empty() && live.error.is_none() => {}
        Ok(update) => {
            live.version += 1;
            let had_error = live.error.take().is_some();
            print_diagnostics(&update.warnings);
            println!("{}", rebuilt(&update, update.elapsed));
            let rest: Vec<&String> = update
                .changed
                .iter()
                .filter(|c| !announced.contains(c))
                .collect();
            let notice = if update.css_only && !had_error {
                Notice::Css(
                    update
                        .changed
                        .iter()
                        .map(|r| format!("{}{r}", state.base_path))
                        .collect(),
                )
            } else if had_error || rest.len() > 500 || rest.iter().any(|c| *c == "*") {
                Notice::Reload(vec!["*".into()])
            } else {
                Notice::Reload(rest.iter().map(|r| url_path(&state.base_path, r)).collect())
            };
            let _ = state.notices.send(notice);
        }
        Err(e) => {
            print_diagnostics(&e.diagnostics);
            eprintln!("Rebuild failed; still serving the last good site.");
            let text = e.to_string();
            live.error = Some(text.clone());
            let _ = state.notices.send(Notice::Error(text));
        }
    }
}

/// `Rebuilt in 12 ms: 5 pages rendered (1 first), 9 files changed`.
fn rebuilt(update: &Update, elapsed: std::time::Duration) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (pages, files) = (update.rendered.len(), update.changed.len());
    let first = if update.first > 0 {
        format!(" ({} first)", update.first)
    } else {
        String::new()
    };
    format!(
        "Rebuilt in {:.0} ms: {pages} page{} rendered{first}, {files} file{} changed",
        elapsed.as_secs_f64() * 1000.0,
        plural(pages),
        plural(files)
    )
}

/// `papers/x/index.html` under `/repo/` → `/repo/papers/x/`.
fn url_path(base_path: &str, rel: &str) -> String {
    format!(
        "{base_path}{}",
        rel.strip_suffix("index.html").unwrap_or(rel)
    )
}

/// The Server-Sent Events stream of notices; a new client first gets the current error.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = std::result::Result<Event, Infallible>>> {
    // Subscribe first, then read the state: a rebuild in between is then both seen in the
    // version and received as a notice, never lost.
    let rx = state.notices.subscribe();
    let (version, error) = {
        let live = state.live.read().unwrap_or_else(PoisonError::into_inner);
        (live.version, live.error.clone())
    };
    let mut first = vec![Notice::Version(version)];
    first.extend(error.map(Notice::Error));
    first.reverse();
    let stream = futures_util::stream::unfold((rx, first), |(mut rx, mut pending)| async move {
        let notice = match pending.pop() {
            Some(n) => n,
            None => match rx.recv().await {
                Ok(n) => n,
                // Missed notices: reloading shows the current state.
                Err(broadcast::error::RecvError::Lagged(_)) => Notice::Reload(vec!["*".into()]),
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        };
        let event = match notice {
            Notice::Reload(paths) => Event::default().event("reload").data(paths.join("\n")),
            Notice::Css(paths) => Event::default().event("css").data(paths.join("\n")),
            Notice::Error(text) => Event::default().event("build-error").data(text),
            Notice::Version(v) => Event::default().event("version").data(v.to_string()),
        };
        Some((Ok(event), (rx, pending)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// Serves a file of the last good build: GET and HEAD only, paths inside the site only,
/// `index.html` for folders, the site's `404.html` with status 404.
async fn serve_file(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "Only GET and HEAD are allowed.\n",
        )
            .into_response();
    }
    let Some(path) = uri.path().strip_prefix(&*state.base_path) else {
        // Outside the base path: `/` and `/repo` lead to the site, the rest is not found, as
        // on GitHub Pages.
        let base = state.base_path.trim_end_matches('/');
        if uri.path() == "/" || uri.path() == base {
            return (
                StatusCode::FOUND,
                [(header::LOCATION, state.base_path.to_string())],
            )
                .into_response();
        }
        return respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("Not found: the site is served under {}\n", state.base_path).into_bytes(),
            &method,
        );
    };
    let Some(rel) = site_path(&format!("/{path}")) else {
        return (
            StatusCode::FORBIDDEN,
            "Forbidden: the path leaves the site.\n",
        )
            .into_response();
    };
    // Take the one file out under the lock: a rebuild waits for no request longer than that.
    let found = {
        let files = state.files.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(bytes) = files.get(&rel) {
            Found::File(StatusCode::OK, rel, Arc::clone(bytes))
        } else if files.contains_key(&format!("{rel}/index.html")) {
            Found::Folder
        } else if let Some(bytes) = files.get("404.html") {
            Found::File(
                StatusCode::NOT_FOUND,
                "404.html".to_string(),
                Arc::clone(bytes),
            )
        } else {
            Found::Nothing
        }
    };
    let (error, version) = {
        let live = state.live.read().unwrap_or_else(PoisonError::into_inner);
        (live.error.clone(), live.version)
    };
    let (status, rel, bytes) = match found {
        Found::File(status, rel, bytes) => (status, rel, bytes),
        Found::Folder => {
            let location = format!("{}/", uri.path());
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        Found::Nothing => {
            let body = match error {
                Some(e) => format!("The site could not be built:\n\n{e}\n"),
                None => "Not found.\n".to_string(),
            };
            return respond(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                body.into_bytes(),
                &method,
            );
        }
    };
    let content_type = content_type(&rel);
    let body = if content_type.starts_with("text/html") {
        inject_live_reload(&bytes, version)
    } else {
        bytes.to_vec()
    };
    respond(status, content_type, body, &method)
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>, method: &Method) -> Response {
    let len = body.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The site file a URL path names (`/` → `index.html`), or `None` for anything that would
/// leave the site: `..` segments (also percent-encoded), backslashes, NUL, absolute paths.
fn site_path(path: &str) -> Option<String> {
    let decoded = crate::base::text::percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.contains("//") {
        return None;
    }
    let rel = decoded.strip_prefix('/')?;
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    if rel.is_empty() || rel.ends_with('/') {
        Some(format!("{rel}index.html"))
    } else {
        Some(rel.to_string())
    }
}

/// The live-reload script tag, before `</body>` (or at the end).
fn inject_live_reload(html: &[u8], version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\" data-version=\"{version}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Content types of the files a site has.
fn content_type(rel: &str) -> &'static str {
    let ext = rel
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => {
            if rel.ends_with("atom.xml") {
                "application/atom+xml"
            } else {
                "application/xml"
            }
        }
        "txt" | "md" => "text/plain; charset=utf-8",
        "bib" => "application/x-bibtex; charset=utf-8",
        "ris" => "application/x-research-info-systems",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

fn open_browser(url: &str) {
    let result = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(target_os = "windows") {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        crate::base::memory::with_system_pages(std::process::Command::new("xdg-open").arg(url))
            .spawn()
    };
    if let Err(e) = result {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

/// `build --watch`: rebuild `public/` (atomically) on every change until Ctrl-C. A failed
/// build (the first one too) keeps the last good site in `public/` and is retried on every
/// change; the first good one after it says so, even when it changes nothing (a broken file
/// deleted leaves the site as it was).
pub fn watch_build(root: &Path, overrides: &Overrides, poll: bool) -> Result<()> {
    // Watch before the first build, so that an edit made while it runs is not missed.
    let settings = Settings::load(root, overrides)?;
    guard::locate(&settings)?;
    let mut watcher = SourceWatcher::new(&settings, poll)?;
    let files = Files::default();
    let mut session = match Session::start(root, overrides, Arc::clone(&files)) {
        Ok(session) => {
            print_diagnostics(session.warnings());
            write_out(&settings, &files)?;
            println!(
                "Built {} files into {}; watching for changes (Ctrl-C to stop)",
                files.read().unwrap_or_else(PoisonError::into_inner).len(),
                settings.output_dir.display()
            );
            Some(session)
        }
        Err(e) => {
            print_diagnostics(&e.diagnostics);
            eprintln!(
                "Build failed; watching for changes (Ctrl-C to stop), {} is left as it was.",
                settings.output_dir.display()
            );
            None
        }
    };
    let mut failed = session.is_none();
    while let Some(batch) = watcher.next_batch() {
        let start = Instant::now();
        let result = match session.as_mut() {
            Some(s) => s.apply(&batch, &mut |_| {}),
            None => Session::start(root, overrides, Arc::clone(&files)).map(|s| {
                let warnings = s.warnings().to_vec();
                session = Some(s);
                Update {
                    changed: vec!["*".to_string()],
                    warnings,
                    ..Update::default()
                }
            }),
        };
        match result {
            Ok(update) if update.changed.is_empty() && !failed => {}
            Ok(update) => {
                failed = false;
                print_diagnostics(&update.warnings);
                let now = session.as_ref().map_or(&settings, |s| s.settings());
                let written = if update.changed.is_empty() {
                    Ok(())
                } else {
                    write_out(now, &files)
                };
                match written {
                    Ok(()) => println!("{}", rebuilt(&update, start.elapsed())),
                    Err(e) => print_diagnostics(&e.diagnostics),
                }
            }
            Err(e) => {
                failed = true;
                print_diagnostics(&e.diagnostics);
                eprintln!(
                    "Rebuild failed; {} keeps the last good site.",
                    settings.output_dir.display()
                );
            }
        }
    }
    Ok(())
}

/// Writes the in-memory site to the output folder atomically, if the output guard allows (the
/// folder is checked on every write: config.toml may have changed it, or a file may have been
/// put there since).
fn write_out(settings: &Settings, files: &Files) -> Result<()> {
    use rayon::prelude::*;
    let files: Vec<(String, Arc<Vec<u8>>)> = files
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(rel, bytes)| (rel.clone(), Arc::clone(bytes)))
        .collect();
    let target = guard::locate(settings)?;
    let staging = Staging::new(&target, settings.force)?;
    let results: Vec<Result<()>> = files
        .par_iter()
        .map(|(rel, bytes)| staging.write(rel, bytes))
        .collect();
    if let Some(e) = results.into_iter().find_map(|r| r.err()) {
        return Err(e);
    }
    print_diagnostics(&staging.commit()?.warnings(&target));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_refuse_escapes() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/papers/x/").as_deref(),
            Some("papers/x/index.html")
        );
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(site_path("/a%20b.png").as_deref(), Some("a b.png"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "//etc/passwd",
            "/a/./b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn live_reload_goes_before_body_end() {
        let out = String::from_utf8(inject_live_reload(b"<html><body><p>x</p></body></html>", 7))
            .unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__scholarsite/live.js\" data-version=\"7\"></script></body></html>"
        );
    }
}
