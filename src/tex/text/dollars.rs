//! Math delimiters in text: `$…$` and `$$…$$` by TeX's rules, `\(…\)` and `\[…\]`.
//!
//! TeX pairs dollars in order: `$ x$`, `$x $`, `$\sim$10 s` and `$^{119}$Sb` are all math
//! (as in MathJax, which arXiv uses), and `\$` is a dollar. An unbalanced `$` (a price, a
//! typo) would swallow the rest of the paragraph; instead it is recovered, paragraph by
//! paragraph: a `$` never pairs across a blank line; a "formula" that reads as prose (two or
//! more words, no TeX markup: `$5 and then $`) is not one, its opening `$` is text; and when a
//! paragraph has an odd number of `$`, the stray one is the one whose removal leaves formulas
//! that look most like math. A stray `$` is shown as text and reported with its location.

use super::{Node, Parser, Seq, find_unescaped, top_level};

/// A `$` or `$$` of the text: where a formula starts, or a stray delimiter shown as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dollar {
    /// Byte offset of the delimiter.
    pub at: usize,
    /// What it is.
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Opens a formula that ends (after its closing delimiter) at `end`.
    Open { end: usize, display: bool },
    /// Not a delimiter: `$` (or `$$`, `len` 2) shown as text.
    Stray { len: usize },
}

/// Pairs the dollars of `src`, by TeX's rules with recovery (see the module documentation).
pub(super) fn pair(src: &str) -> Vec<Dollar> {
    let mut out = Vec::new();
    if !src.contains('$') {
        return out;
    }
    for (start, end) in paragraphs(src) {
        let scan = Scan::run(src, start, end, None);
        let best = match scan.unclosed {
            Some(_) => scan
                .openers()
                .filter_map(|forced| {
                    let s = Scan::run(src, start, end, Some(forced));
                    (s.unclosed.is_none() && s.words <= scan.words).then_some(s)
                })
                .min_by_key(|s| s.words)
                .unwrap_or(scan),
            None => scan,
        };
        out.extend(best.dollars);
    }
    out
}

/// Byte ranges of the paragraphs of `src` (separated by blank lines).
fn paragraphs(src: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    let mut blank_run = false;
    for (i, line) in src.split_inclusive('\n').scan(0, |pos, l| {
        let at = *pos;
        *pos += l.len();
        Some((at, l))
    }) {
        let blank = line.trim().is_empty();
        if blank && !blank_run && i > start {
            out.push((start, i));
        }
        if !blank && blank_run {
            start = i;
        }
        blank_run = blank;
        line_start = i + line.len();
    }
    if !blank_run && start < line_start {
        out.push((start, line_start));
    }
    out
}

/// One pairing of a paragraph's dollars.
struct Scan {
    dollars: Vec<Dollar>,
    /// The `$` left open at the end of the paragraph, if any.
    unclosed: Option<usize>,
    /// Words (runs of two or more letters, outside command names) inside the formulas: fewer
    /// is more like math.
    words: usize,
}

impl Scan {
    /// Pairs the dollars of `src[start..end]` in order; `forced` is a `$` taken as text.
    fn run(src: &str, start: usize, end: usize, forced: Option<usize>) -> Scan {
        let bytes = src.as_bytes();
        let mut scan = Scan {
            dollars: Vec::new(),
            unclosed: None,
            words: 0,
        };
        let mut i = start;
        while i < end {
            match bytes[i] {
                b'\\' => i += 2,
                b'$' if Some(i) == forced => {
                    scan.stray(i, 1);
                    i += 1;
                }
                b'$' if bytes.get(i + 1) == Some(&b'$') => {
                    match find_close(&src[i + 2..end], "$$") {
                        Some(n) => {
                            let close = i + 2 + n + 2;
                            scan.words += words(&src[i + 2..i + 2 + n]);
                            scan.open(i, close, true);
                            i = close;
                        }
                        None => {
                            scan.stray(i, 2);
                            i += 2;
                        }
                    }
                }
                b'$' => match find_close(&src[i + 1..end], "$") {
                    Some(n) if !reads_as_prose(&src[i + 1..i + 1 + n]) => {
                        let close = i + 1 + n + 1;
                        scan.words += words(&src[i + 1..i + 1 + n]);
                        scan.open(i, close, false);
                        i = close;
                    }
                    Some(_) => {
                        scan.stray(i, 1);
                        i += 1;
                    }
                    None => {
                        scan.stray(i, 1);
                        scan.unclosed = Some(i);
                        i += 1;
                    }
                },
                _ => i += 1,
            }
        }
        scan
    }

    fn open(&mut self, at: usize, end: usize, display: bool) {
        self.dollars.push(Dollar {
            at,
            role: Role::Open { end, display },
        });
    }

    fn stray(&mut self, at: usize, len: usize) {
        self.dollars.push(Dollar {
            at,
            role: Role::Stray { len },
        });
    }

    /// The `$` that open inline formulas: the candidates for the stray one.
    fn openers(&self) -> impl Iterator<Item = usize> + '_ {
        self.dollars.iter().filter_map(|d| match d.role {
            Role::Open { display: false, .. } => Some(d.at),
            _ => None,
        })
    }
}

/// Where the formula opened just before `s` closes with `delim`: the first one outside the
/// groups the formula opens (`$\text{a $x$ b}$` is one formula), else the first one.
fn find_close(s: &str, delim: &str) -> Option<usize> {
    top_level(s)
        .find(|&(i, b)| b == b'$' && s[i..].starts_with(delim))
        .map(|(i, _)| i)
        .or_else(|| find_unescaped(s, delim))
}

/// Whether the text between two dollars reads as prose rather than math: no TeX markup, and
/// two or more words of three letters or more (`$5 and then $`), or a word with space on both
/// sides (`\omega_u$ and $\omega_o`: dollars the wrong way round).
fn reads_as_prose(s: &str) -> bool {
    if s.contains(['\\', '^', '_', '{', '}', '=', '<', '>', '+', '|']) {
        return false;
    }
    let spaced = s.starts_with(char::is_whitespace) && s.ends_with(char::is_whitespace);
    letter_runs(s).filter(|w| w.chars().count() >= 3).count() >= 2
        || spaced && letter_runs(s).any(|w| w.chars().count() >= 2)
}

/// The number of words (two letters or more) in a formula, outside command names.
fn words(s: &str) -> usize {
    letter_runs(s).filter(|w| w.chars().count() >= 2).count()
}

/// Runs of letters that are not command names.
fn letter_runs(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(|c: char| c.is_alphabetic())?;
            let is_command = rest[..start].ends_with('\\');
            let run_len = rest[start..]
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len() - start);
            let run = &rest[start..start + run_len];
            rest = &rest[start + run_len..];
            if !is_command {
                return Some(run);
            }
        }
    })
}

impl<'a> Parser<'a, '_> {
    /// A `$` or `$$` at `self.pos`: a formula, or a stray delimiter shown as text.
    pub(super) fn dollar(&mut self, seq: &mut Seq<'a>) {
        let start = self.pos;
        let role = self
            .dollars
            .binary_search_by_key(&start, |d| d.at)
            .ok()
            .map(|i| self.dollars[i].role);
        match role {
            Some(Role::Open { end, display }) => {
                let delim = if display { 2 } else { 1 };
                self.pos = end;
                seq.push(Node::Math {
                    tex: &self.src[start + delim..end - delim],
                    source: &self.src[start..end],
                    display,
                });
            }
            Some(Role::Stray { len }) => {
                let delim = &self.src[start..start + len];
                let shown: String = self.src[start..].chars().take(30).collect();
                self.problem(
                    start,
                    &shown,
                    format!("unbalanced `{delim}`: shown as text"),
                );
                self.pos += len;
                seq.text.push_str(delim);
            }
            None => {
                // A `$` inside something the pairing could not see (an argument read raw).
                self.problem(start, "$", "unbalanced `$`: shown as text");
                self.pos += 1;
                seq.text.push('$');
            }
        }
    }

    /// `\(…\)` or `\[…\]`; the opening delimiter is at `self.pos`.
    pub(super) fn delimited_math(&mut self, seq: &mut Seq<'a>, close: &str, display: bool) {
        let start = self.pos;
        let body = &self.src[start + 2..];
        match find_unescaped(body, close) {
            Some(end) => {
                self.pos = start + 2 + end + 2;
                seq.push(Node::Math {
                    tex: &body[..end],
                    source: &self.src[start..self.pos],
                    display,
                });
            }
            None => {
                let open = &self.src[start..start + 2];
                self.problem(
                    start,
                    open,
                    format!("unclosed `{open}`: the formula is never closed"),
                );
                self.pos += 2;
                seq.push(Node::Raw(open));
            }
        }
    }
}
