//! The marker `.scholarsite`: its text, written and read.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::*;

/// The marker's text: the signature and version, what the folder is, and the files written.
fn marker_text(files: &[String]) -> String {
    let mut out = format!(
        "{SIGNATURE}{}\n\
         # This folder is a site built by scholarsite. Every build replaces it as a whole, and\n\
         # stops rather than delete a file it did not write: keep your own files in static/.\n\
         # The files this build wrote:\n",
        env!("CARGO_PKG_VERSION")
    );
    for f in files {
        out.push_str(&escape(f));
        out.push('\n');
    }
    out
}

/// Writes the marker into `dir`.
pub fn write_marker(dir: &Path, files: &[String]) -> io::Result<()> {
    fs::write(dir.join(MARKER), marker_text(files))
}

/// Whether `dir` carries a marker of ours (only its first line is read).
pub(super) fn is_marked(dir: &Path) -> bool {
    let mut head = [0u8; SIGNATURE.len()];
    fs::File::open(dir.join(MARKER))
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == *SIGNATURE.as_bytes()
}

/// The files the marker in `dir` lists; `None` when there is no marker of ours.
pub(super) fn read_marker(dir: &Path) -> io::Result<Option<Vec<String>>> {
    let text = match fs::read(dir.join(MARKER)) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut lines = text.lines();
    if !lines.next().is_some_and(|l| l.starts_with(SIGNATURE)) {
        return Ok(None);
    }
    Ok(Some(
        lines
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(unescape)
            .collect(),
    ))
}

/// A path as a line of the marker: `\`, line breaks and a leading `#` escaped.
fn escape(path: &str) -> String {
    let escaped = path
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r");
    match escaped.strip_prefix('#') {
        Some(rest) => format!("\\#{rest}"),
        None => escaped,
    }
}

/// The inverse of [`escape`].
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
