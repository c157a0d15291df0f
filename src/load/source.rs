//! Reading the user's text files: a missing file, a binary file or invalid UTF-8 is an error
//! that names the file (and the line and column of the first bad byte).

use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Location, Result};

/// A TeX preamble file (`[math] preamble`, a paper's `preamble`): where it is, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreambleFile {
    /// The path as shown to the user.
    pub shown: PathBuf,
    /// Its text.
    pub text: String,
}

/// Reads the preamble `rel`, relative to `dir`; a missing file is an error where `at` says
/// the path was written.
pub fn read_preamble(dir: &Path, rel: &str, at: impl FnOnce() -> Location) -> Result<PreambleFile> {
    let shown = dir.join(rel);
    if !shown.is_file() {
        return Err(Diagnostic::error(format!(
            "the preamble `{}` does not exist",
            shown.display()
        ))
        .at(at())
        .hint("give the path of a file of \\newcommand lines, relative to this file's folder")
        .into());
    }
    let text = read_text(&shown, &shown, "read the preamble")?;
    Ok(PreambleFile { shown, text })
}

/// Reads `path` (shown to the user as `shown`) as UTF-8 text, BOM removed; `what` says what
/// the file is for in the message ("read the profile").
pub fn read_text(path: &Path, shown: &Path, what: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io(what, shown, &e))?;
    if let Some(nul) = bytes[..bytes.len().min(8192)].iter().position(|&b| b == 0) {
        return Err(
            Diagnostic::error("this is not a text file (it contains NUL bytes)")
                .at(byte_location(&bytes, nul, shown))
                .hint("only UTF-8 text files belong here; move binary files to static/")
                .into(),
        );
    }
    let text = decode_utf8(&bytes, shown)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((at, c)) = first_forbidden_char(text) {
        let mut location = Location::at(shown, text, at, c.len_utf8());
        location.text = printable(&location.text);
        return Err(Diagnostic::error(format!("{} in the text", describe_char(c)))
            .at(location)
            .hint("delete it: such characters often come with copied text, and are not allowed in HTML")
            .into());
    }
    Ok(text.to_string())
}

/// The first character of `text` that [`is_forbidden_char`], with its byte offset. Printable
/// ASCII and the allowed whitespace are passed over a byte at a time (a profile of 100,000
/// papers is 160 MB); other characters are decoded and checked.
fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | 0x0c | b'\r') {
            at += 1;
            continue;
        }
        // `at` is a character boundary: every byte before it was a whole ASCII character or
        // the end of a decoded one.
        let c = text.get(at..)?.chars().next()?;
        if is_forbidden_char(c) {
            return Some((at, c));
        }
        at += c.len_utf8();
    }
    None
}

/// Whether `c` may not appear in text that becomes HTML: control characters other than tab,
/// line feed, form feed and carriage return, and Unicode noncharacters (all HTML parse errors).
pub fn is_forbidden_char(c: char) -> bool {
    let u = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// The error for a string value from TOML (`raw` is the TOML it was read from) that holds a
/// character HTML forbids, or TeX that a TOML escape ate: in `"\frac"`, `\f` is a form feed
/// and the value reads `<FF>rac`. The caller adds the location.
pub fn toml_string_problem(key: &str, value: &str, raw: &str) -> Option<Diagnostic> {
    if let Some((c, escape)) = eaten_tex(value, raw) {
        return Some(
            Diagnostic::error(format!(
                "`{key}` holds the control character U+{:04X}: in a \"…\" string `{escape}` is \
                 an escape, not TeX",
                u32::from(c)
            ))
            .hint(format!(
                "double the backslash (`\\{escape}`), or use a literal string in single quotes: \
                 {key} = '…'"
            )),
        );
    }
    let c = value.chars().find(|&c| is_forbidden_char(c))?;
    Some(
        Diagnostic::error(format!(
            "`{key}` holds the {}, which HTML does not allow",
            describe_char(c)
        ))
        .hint("remove the `\\u` escape that makes it"),
    )
}

/// The control character, and the escape that made it, if a TOML escape ate the start of a
/// TeX command: `"\frac"` is a form feed and `rac`, `"\beta"` a backspace and `eta`,
/// `"\times"` a tab and `imes`. A tab or carriage return counts only if `raw`, the front
/// matter as written, has the escape (`\t` then that letter): a typed tab is fine.
fn eaten_tex(value: &str, raw: &str) -> Option<(char, &'static str)> {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let written = |escape: &str| {
            next.is_some_and(|n| n.is_ascii_alphabetic() && raw.contains(&format!("{escape}{n}")))
        };
        let escape = match c {
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '\u{1b}' => "\\e",
            '\t' if written("\\t") => "\\t",
            '\r' if written("\\r") => "\\r",
            _ => continue,
        };
        return Some((c, escape));
    }
    None
}

/// `control character U+0001` or `noncharacter U+FFFE`.
pub fn describe_char(c: char) -> String {
    let kind = if c.is_control() {
        "control character"
    } else {
        "noncharacter"
    };
    format!("{kind} U+{:04X}", u32::from(c))
}

/// `s` with the characters a terminal should not be sent replaced by `�`.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_forbidden_char(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The location of byte `at` in bytes that may not be text: its line, its column in
/// characters, and the line shown with control characters and invalid UTF-8 replaced by `�`.
fn byte_location(bytes: &[u8], at: usize, shown: &Path) -> Location {
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let printable = |s: &[u8]| printable(&String::from_utf8_lossy(s));
    let before = printable(&bytes[line_start..at]);
    Location {
        file: shown.to_path_buf(),
        line: bytes[..line_start].iter().filter(|&&b| b == b'\n').count() + 1,
        col: before.chars().count() + 1,
        text: printable(&bytes[line_start..line_end]),
        len: 1,
    }
}

/// The bytes as UTF-8, or an error pointing at the first invalid byte.
pub fn decode_utf8<'a>(bytes: &'a [u8], shown: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // Safe prefix: everything before the bad byte is valid UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
        let line = prefix.matches('\n').count() + 1;
        let col = prefix[line_start..].chars().count() + 1;
        let rest = &bytes[good..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let text = format!(
            "{}{}",
            &prefix[line_start..],
            String::from_utf8_lossy(&rest[..line_end]).trim_end_matches('\r')
        );
        Diagnostic::error(format!("invalid UTF-8 (byte 0x{:02X})", bytes[good]))
            .at(Location {
                file: shown.to_path_buf(),
                line,
                col,
                text,
                len: 1,
            })
            .hint("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
            .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_located_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("p.txt");
        std::fs::write(&path, "ok\tfine\u{c}\r\nab\u{1}c\n").unwrap();
        let e = read_text(&path, Path::new("p.txt"), "read")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("error: control character U+0001 in the text at p.txt:2:3\n 2 | ab\u{fffd}c\n   |   ^\n"),
            "{e}"
        );
        std::fs::write(&path, format!("{}\u{0}", "x".repeat(10_000))).unwrap();
        let e = read_text(&path, Path::new("p.txt"), "read").unwrap_err();
        assert!(e.to_string().contains("control character U+0000"), "{e}");
        std::fs::write(&path, "a\u{fffe}").unwrap();
        let e = read_text(&path, Path::new("p.txt"), "read").unwrap_err();
        assert!(e.to_string().contains("noncharacter U+FFFE"), "{e}");
        std::fs::write(&path, "\u{feff}ok \u{a0} é 🙂\t\r\n").unwrap();
        assert!(read_text(&path, Path::new("p.txt"), "read").is_ok());
    }

    #[test]
    fn binary_files_name_the_first_nul() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.md");
        std::fs::write(&path, b"text\n\x7fELF\x00\x01\n").unwrap();
        let e = read_text(&path, Path::new("x.md"), "read")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "error: this is not a text file (it contains NUL bytes) at x.md:2:5\n 2 | \u{fffd}ELF\u{fffd}\u{fffd}\n   |     ^\n   = hint: only UTF-8 text files belong here; move binary files to static/"
        );
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = decode_utf8(b"ok\nab\xffc\n", Path::new("p.txt"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("error: invalid UTF-8 (byte 0xFF) at p.txt:2:3"),
            "{e}"
        );
    }
}
