//! Diagnostics for people: every problem names the file, line and column, shows the offending
//! line with the span underlined, and gives a hint.
//!
//! We print our own compact format (`error: <what> at <file>:<line>:<col>`) rather than pull in
//! miette: the format is fixed by our tests and users' scripts, and it is a few dozen lines.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The site is built anyway, but something deserves a look.
    Warning,
}

/// A place in a source file, with the text of its line for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would name it (relative to where they run the tool when possible).
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// The whole line, without its line ending.
    pub text: String,
    /// How many characters to underline, at least one.
    pub len: usize,
}

impl Location {
    /// The location of byte `offset` (with `len` bytes underlined) in `src`, the text of `file`.
    pub fn at(file: &Path, src: &str, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
        let line = src[..line_start].matches('\n').count() + 1;
        let text = src[line_start..line_end].trim_end_matches('\r');
        let col = src[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(src, (offset + len).min(line_end));
        let len = src[offset..end].chars().count().max(1);
        Location {
            file: file.to_path_buf(),
            line,
            col,
            text: text.to_string(),
            len,
        }
    }

    /// The location of a whole 1-based `line` whose text is `text`.
    pub fn line(file: &Path, line: usize, text: &str) -> Location {
        Location {
            file: file.to_path_buf(),
            line,
            col: 1,
            text: text.to_string(),
            len: text.chars().count().max(1),
        }
    }

    /// A location that points at a file as a whole (no line to show).
    pub fn file(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: 0,
            col: 0,
            text: String::new(),
            len: 0,
        }
    }
}

/// The largest char boundary of `s` not after `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// Where, when it is known.
    pub location: Option<Location>,
    /// What to do about it.
    pub hint: Option<String>,
    /// A stable name for the kind of problem, for tools (`tex` for TeX that did not render).
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// An error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            code: None,
        }
    }

    /// A warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Attach a code naming the kind of problem.
    pub fn code(mut self, code: &'static str) -> Diagnostic {
        self.code = Some(code);
        self
    }

    /// Attach a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// An error for a failed file-system operation on `path`.
    pub fn io(what: &str, path: &Path, err: &std::io::Error) -> Diagnostic {
        let d = Diagnostic::error(format!(
            "cannot {what} `{}`: {}",
            path.display(),
            io_reason(err)
        ));
        match err.kind() {
            std::io::ErrorKind::PermissionDenied => {
                d.hint("check the permissions of this path and its folder")
            }
            std::io::ErrorKind::NotFound => d.hint("check that the path exists"),
            _ if err.raw_os_error() == Some(28) => d.hint("the disk is full: free some space"),
            _ => d,
        }
    }
}

/// The OS message of an I/O error without the trailing "(os error N)".
fn io_reason(err: &std::io::Error) -> String {
    let s = err.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, false)
    }
}

impl Diagnostic {
    /// The diagnostic as text, its labels and caret in colour when `color` (see [`set_color`]).
    pub fn render(&self, color: bool) -> String {
        struct Colored<'a>(&'a Diagnostic);
        impl fmt::Display for Colored<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, true)
            }
        }
        if color {
            Colored(self).to_string()
        } else {
            self.to_string()
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, color: bool) -> fmt::Result {
        let (label, style) = match self.severity {
            Severity::Error => ("error", ERROR_STYLE),
            Severity::Warning => ("warning", WARNING_STYLE),
        };
        let paint = |style: anstyle::Style| if color { style } else { anstyle::Style::new() };
        let (label_style, hint_style) = (paint(style), paint(HINT_STYLE));
        write!(f, "{label_style}{label}:{label_style:#} {}", self.message)?;
        if let Some(loc) = &self.location {
            if loc.line == 0 {
                write!(f, " in {}", loc.file.display())?;
            } else {
                write!(f, " at {}:{}:{}", loc.file.display(), loc.line, loc.col)?;
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let shown = shorten(&loc.text, loc.col);
                write!(f, "\n {num} | {}", shown.text)?;
                let under = "^".repeat(loc.len.min(shown.room.max(1)));
                write!(
                    f,
                    "\n {pad} | {}{label_style}{under}{label_style:#}",
                    " ".repeat(shown.col - 1)
                )?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n   = {hint_style}hint:{hint_style:#} {hint}")?;
        }
        Ok(())
    }
}

/// `error:` and the caret under an error: bold red.
const ERROR_STYLE: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Red)));
/// `warning:` and the caret under a warning: bold yellow.
const WARNING_STYLE: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Yellow)));
/// `hint:`: bold cyan.
const HINT_STYLE: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Cyan)));

/// Whether [`print_diagnostics`] colours its output; off until [`set_color`] turns it on.
static COLOR: AtomicBool = AtomicBool::new(false);

/// Turns colour on or off for everything printed with [`print_diagnostics`] (the command line
/// decides from `--color`, `NO_COLOR` and whether stderr is a terminal).
pub fn set_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

/// Whether diagnostics are printed in colour.
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// A line cut down to a readable width around the column of interest.
struct Shown {
    text: String,
    /// 1-based column of the span in `text`.
    col: usize,
    /// How many characters of `text` follow the column.
    room: usize,
}

/// Cut very long lines (a 5 MB abstract is one line) to a window around `col`.
fn shorten(line: &str, col: usize) -> Shown {
    const BEFORE: usize = 40;
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    let col0 = col.saturating_sub(1).min(chars.len());
    let start = col0.saturating_sub(BEFORE);
    let end = (start + WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut col = col0 - start + 1;
    if start > 0 {
        text.insert(0, '…');
        col += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    let room = end.saturating_sub(col0);
    Shown { text, col, room }
}

/// A failed run: one or more error diagnostics (and the warnings seen before it failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Every diagnostic, errors and warnings, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// The error diagnostics only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// Prepend warnings found before the failure, so that they are shown too.
    pub fn with_warnings(mut self, warnings: Vec<Diagnostic>) -> Error {
        let mut all = warnings;
        all.append(&mut self.diagnostics);
        self.diagnostics = all;
        self
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error {
            diagnostics: vec![d],
        }
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Error {
        Error { diagnostics }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Result of anything that can fail with diagnostics.
pub type Result<T> = std::result::Result<T, Error>;

/// Splits diagnostics into a result: `Ok(value)` when none is an error.
pub fn check<T>(value: T, diagnostics: Vec<Diagnostic>) -> Result<(T, Vec<Diagnostic>)> {
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(Error { diagnostics })
    } else {
        Ok((value, diagnostics))
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance between two short strings, counting an adjacent transposition as one edit
/// (optimal string alignment), since `theem` for `theme` is one slip of the fingers.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Prints diagnostics to stderr, a blank line between them, in colour if [`set_color`] said so.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = color();
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        // A closed stderr is not worth a panic.
        let _ = writeln!(err, "{}\n", d.render(color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_char_columns() {
        let src = "first\nsé cond line\r\nthird";
        let at = src.find("cond").unwrap();
        let loc = Location::at(Path::new("f.txt"), src, at, 4);
        assert_eq!((loc.line, loc.col, loc.len), (2, 4, 4));
        assert_eq!(loc.text, "sé cond line");
    }

    #[test]
    fn display_shows_line_caret_and_hint() {
        let src = "a = 1\nvenu = 2\n";
        let d = Diagnostic::error("unknown key `venu`")
            .at(Location::at(Path::new("x.md"), src, 6, 4))
            .hint("did you mean `venue`?");
        assert_eq!(
            d.to_string(),
            "error: unknown key `venu` at x.md:2:1\n 2 | venu = 2\n   | ^^^^\n   = hint: did you mean `venue`?"
        );
    }

    #[test]
    fn colour_marks_the_labels_and_caret_only() {
        let src = "a = 1\nvenu = 2\n";
        let d = Diagnostic::warning("unknown key `venu`")
            .at(Location::at(Path::new("x.md"), src, 6, 4))
            .hint("did you mean `venue`?");
        let colored = d.render(true);
        assert!(
            colored.starts_with("\x1b[1m\x1b[33mwarning:\x1b[0m unknown key"),
            "{colored:?}"
        );
        assert!(
            colored.contains("= \x1b[1m\x1b[36mhint:\x1b[0m did"),
            "{colored:?}"
        );
        assert!(
            colored.contains("| \x1b[1m\x1b[33m^^^^\x1b[0m"),
            "{colored:?}"
        );
        let plain: String = strip_ansi(&colored);
        assert_eq!(plain, d.to_string());
        assert_eq!(d.render(false), d.to_string());
        assert!(!d.to_string().contains('\x1b'));
    }

    /// `s` without its ANSI escape sequences.
    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(10_000) + "BAD" + &"y".repeat(10_000);
        let d = Diagnostic::error("bad").at(Location::at(Path::new("p"), &line, 10_000, 3));
        let shown = d.to_string();
        assert!(shown.lines().all(|l| l.chars().count() < 140), "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        let marked: String = lines[1].chars().skip(caret).take(3).collect();
        assert_eq!(marked, "BAD");
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["title", "venue", "authors"];
        assert_eq!(suggest("venu", keys), Some("venue"));
        assert_eq!(suggest("author", keys), Some("authors"));
        assert_eq!(suggest("zzzzzz", keys), None);
        assert_eq!(suggest("theem", ["theme", "title"]), Some("theme"));
    }
}
