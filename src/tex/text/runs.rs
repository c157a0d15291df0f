//! Math-only commands that authors leave in the prose (`\alpha`, `\pm`, `\to`, `\cal X`,
//! `x_{ij}`, `z_\odot`): TeX would stop with "missing `$` inserted"; here the run of math
//! around them is rendered as inline math, where the run is unambiguous.
//!
//! The text is cut into chunks at white space (a `{…}` group, `x_{i j}`, is one chunk), and
//! chunks into segments at a hyphen before a letter (`CO-to-H_2`). A segment is classed: a
//! *seed* holds a command pulldown-latex knows in math or a script; a *formula* has letters
//! and numbers with operators between them (`L(X)+r-1`); an *operator* holds only operator or
//! punctuation characters (`=`, `->`, `(`); a *number*; *letters* (single letters or short
//! capitals: `X`, `SO(n)`, `NP`); or a *word* (anything else: `phase`, `MeV`). From the segment
//! that holds the command, the run takes in neighbouring seeds, formulas and operators, and
//! numbers and letters when an operator joins them to it (`d \le X`, `M=3875.2\pm 0.8`); it
//! stops at words and at TeX that belongs to the text (`$`, `\cite`, `\end` …). Operators at
//! its edges, trailing punctuation and unmatched brackets are left out.
//!
//! Such a run is not TeX its author checked, so two ASCII habits of prose are read as meant
//! ([`run_tex`]): `->` is an arrow and a script takes a whole signed number (`s^-1`, `10^33`).

use std::borrow::Cow;

use super::{Node, Parser, Seq, text_style, top_level};
use crate::tex::known::{Known, classify};

/// What a piece of text is, to a run of math.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Seed,
    Formula,
    Operator,
    Number,
    Letters,
    Word,
}

/// A piece of the source taken into a run, `src[start..end]`, and what it is.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    class: Class,
    /// Part of its chunk was left out (a word after a hyphen): the run goes no further.
    cut: bool,
}

/// Which segments of a chunk a run takes.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// Those around the one holding this offset (the chunk the run starts from).
    Around(usize),
    /// Those before the first word (a chunk after the run).
    Prefix,
    /// Those after the last word (a chunk before the run).
    Suffix,
}

/// Whether the `^` or `_` at `i` starts a script: followed by a group, a command, a digit, a
/// sign or prime, or a single letter (`x_i`, not `snake_case`).
pub(super) fn is_script(src: &str, i: usize) -> bool {
    let mut after = src[i + 1..].chars();
    match after.next() {
        Some('{' | '\\') => true,
        Some(c) if c.is_ascii_digit() => true,
        Some('+' | '-' | '*' | '\'' | '′') => after
            .next()
            .is_none_or(|c| c.is_ascii_digit() || c == '{' || !c.is_alphanumeric()),
        Some(c) if c.is_alphabetic() => after.next().is_none_or(|c| !c.is_alphabetic()),
        _ => false,
    }
}

/// The TeX of a run, with `->` as an arrow, a script taking a whole signed number, and a
/// space kept where two operands stand apart (`I=0 \pi\pi`), as its author spaced them.
pub(crate) fn run_tex(run: &str) -> Cow<'_, str> {
    if !run.contains("->") && !run.contains(['^', '_', ' ', '\t', '\n']) {
        return Cow::Borrowed(run);
    }
    let mut out = String::with_capacity(run.len() + 8);
    let mut rest = run;
    let mut depth = 0usize;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("-->").or_else(|| rest.strip_prefix("->")) {
            out.push_str("\\to ");
            rest = after;
            continue;
        }
        if c.is_whitespace() && depth == 0 {
            let after = rest.trim_start();
            if ends_operand(&out) && starts_operand(after) {
                out.push_str("\\ ");
            } else {
                out.push(' ');
            }
            rest = after;
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if matches!(c, '^' | '_') {
            let sign = usize::from(rest.starts_with(['+', '-']));
            let digits = rest[sign..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len() - sign);
            let number = rest[..sign + digits].trim_end_matches('.');
            if number.len() > 1 && number.bytes().any(|b| b.is_ascii_digit()) {
                out.push('{');
                out.push_str(number);
                out.push('}');
                rest = &rest[number.len()..];
            }
        }
    }
    Cow::Owned(out)
}

/// Whether TeX written so far ends with an operand: a letter, digit, closing bracket or a
/// symbol (`\pi`), not an operator or a command that takes what follows.
fn ends_operand(tex: &str) -> bool {
    match last_command(tex) {
        Some(name) => matches!(classify(name), Known::Symbol | Known::Unknown),
        None => tex.ends_with(|c: char| c.is_alphanumeric() || matches!(c, ')' | ']' | '}' | '\'')),
    }
}

/// Whether TeX starts with an operand: a letter, digit, opening bracket or a symbol.
fn starts_operand(tex: &str) -> bool {
    if tex.starts_with('\\') {
        let name = command_at(tex);
        return name.starts_with(|c: char| c.is_ascii_alphabetic())
            && matches!(classify(name), Known::Symbol | Known::Unknown);
    }
    tex.starts_with(|c: char| c.is_alphanumeric() || c == '(')
}

impl<'a> Parser<'a, '_> {
    /// Reads the run of math around `at` (a command, or a script, that text mode does not
    /// have) into `seq`. False (and nothing read) if there is no unambiguous run: no math in
    /// it, or TeX that cannot be math.
    pub(super) fn math_run(&mut self, seq: &mut Seq<'a>, at: usize) -> bool {
        let src = self.src;
        // The run may take in text already read, as far as it was copied verbatim.
        let floor = at - verbatim_tail(&seq.text, &src[..at]);
        let chunk_start = src[floor..at]
            .rfind(|c| is_space(c) || c == '$')
            .map_or(floor, |n| floor + n + 1);
        let Some(chunk_end) = chunk_end(src, chunk_start) else {
            return false;
        };
        if chunk_end <= at {
            return false;
        }
        let Some(mut first) = piece(src, chunk_start, chunk_end, Keep::Around(at)) else {
            return false;
        };
        // Where a word of this chunk was left out, the run goes no further that way.
        let (left_open, right_open) = (first.start == chunk_start, first.end == chunk_end);
        first.cut = false;
        let mut pieces = vec![first];
        let mut seed_index = 0;
        // Backwards, over the text already read: the chunks between spaces, nearest first.
        let mut before = Vec::new();
        let mut end = chunk_start;
        for chunk in src[floor..chunk_start].rsplit(is_space) {
            let start = end - chunk.len();
            if !chunk.is_empty() {
                before.push((start, end));
            }
            end = start.saturating_sub(1);
        }
        for (start, end) in before.into_iter().take_while(|_| left_open) {
            let Some(prev) = piece(src, start, end, Keep::Suffix) else {
                break;
            };
            if !joins(src, &prev, &pieces[0], true) {
                break;
            }
            pieces.insert(0, prev);
            seed_index += 1;
            if prev.cut {
                break;
            }
        }
        // Forwards.
        while let Some(last) = pieces.last().copied() {
            if last.cut || !right_open {
                break;
            }
            let Some((start, end)) = next_chunk(src, last.end) else {
                break;
            };
            let Some(next) = piece(src, start, end, Keep::Prefix) else {
                break;
            };
            if !joins(src, &next, &last, false) {
                break;
            }
            pieces.push(next);
        }
        // Operators at the edges are not part of it.
        while pieces.len() > seed_index + 1
            && pieces.last().is_some_and(|p| p.class == Class::Operator)
        {
            pieces.pop();
        }
        while seed_index > 0 && pieces[0].class == Class::Operator {
            pieces.remove(0);
            seed_index -= 1;
        }
        if !pieces.iter().any(|p| p.class == Class::Seed) {
            return false;
        }
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            return false;
        };
        let (start, end) = trim_run(src, first.start, last.end);
        if start > at || end <= at || src[start..end].contains('$') {
            return false;
        }
        seq.text.truncate(seq.text.len() - (at - start));
        seq.push(Node::Run(&src[start..end]));
        self.pos = end;
        true
    }
}

/// Whether a piece next to the run belongs to it: seeds, formulas and operators do; numbers
/// and letters when an operator stands between them and the run. `before`: the piece is
/// before the run, whose edge piece is `edge`.
fn joins(src: &str, candidate: &Piece, edge: &Piece, before: bool) -> bool {
    match candidate.class {
        Class::Seed | Class::Formula | Class::Operator => true,
        Class::Word => false,
        Class::Number | Class::Letters => {
            let (c, e) = (
                &src[candidate.start..candidate.end],
                &src[edge.start..edge.end],
            );
            edge.class == Class::Operator
                || if before {
                    opens_after(c) || opens_before(e)
                } else {
                    opens_after(e) || opens_before(c)
                }
        }
    }
}

/// White space between chunks (one byte each).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The number of bytes at the end of `text` that equal the end of `src` (whole characters).
fn verbatim_tail(text: &str, src: &str) -> usize {
    text.chars()
        .rev()
        .zip(src.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum()
}

/// The chunk after white space following `from`, if there is one in the same paragraph.
fn next_chunk(src: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &src[from..];
    let mut skipped = 0;
    let mut newlines = 0;
    for c in rest.chars() {
        match c {
            '\n' => newlines += 1,
            ' ' | '\t' | '\r' | '~' => {}
            _ => break,
        }
        if newlines > 1 {
            return None;
        }
        skipped += c.len_utf8();
    }
    if skipped == 0 {
        return None;
    }
    let start = from + skipped;
    chunk_end(src, start).map(|end| (start, end))
}

/// The end of the chunk starting at `start`: white space, a `}` that closes an outer group,
/// or TeX that belongs to the text. `None` if it is empty or its braces do not balance.
fn chunk_end(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'~' | b'$' if depth == 0 => break,
            b'$' => return None,
            b'{' => depth += 1,
            b'}' if depth == 0 => break,
            b'}' => depth -= 1,
            b'\\' => {
                let name = command_at(&src[i..]);
                if depth == 0 && ends_chunk(name) {
                    break;
                }
                i += 1 + name.len().max(1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    i = i.min(bytes.len());
    while !src.is_char_boundary(i) {
        i += 1;
    }
    (depth == 0 && i > start).then_some(i)
}

/// The part of the chunk `src[start..end]` a run takes, split at hyphens before letters:
/// the segments that are not words, as `keep` says. `None` if that is nothing.
fn piece(src: &str, start: usize, end: usize, keep: Keep) -> Option<Piece> {
    let cuts = hyphens(&src[start..end]);
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(start);
    bounds.extend(cuts.iter().map(|c| start + c));
    bounds.push(end);
    // Segments: (start, end) with the hyphen left out of the latter.
    let segments: Vec<(usize, usize)> = bounds
        .windows(2)
        .enumerate()
        .map(|(n, w)| (if n == 0 { w[0] } else { w[0] + 1 }, w[1]))
        .collect();
    let word = |&(s, e): &(usize, usize)| classify_text(&src[s..e]) == Class::Word;
    let (first, last) = match keep {
        Keep::Around(at) => {
            let i = segments.iter().rposition(|&(s, _)| s <= at).unwrap_or(0);
            if word(&segments[i]) && !has_seed(&src[segments[i].0..segments[i].1]) {
                return None;
            }
            let first = segments[..i].iter().rposition(word).map_or(0, |w| w + 1);
            let last = segments[i..]
                .iter()
                .position(word)
                .map_or(segments.len(), |w| i + w);
            (first, last)
        }
        Keep::Prefix => (0, segments.iter().position(word).unwrap_or(segments.len())),
        Keep::Suffix => (
            segments.iter().rposition(word).map_or(0, |w| w + 1),
            segments.len(),
        ),
    };
    if first >= last {
        return None;
    }
    let (s, e) = (segments[first].0, segments[last - 1].1);
    Some(Piece {
        start: s,
        end: e,
        class: classify_text(&src[s..e]),
        cut: first > 0 || last < segments.len(),
    })
}

/// Offsets of the hyphens of `s` that stand before a letter, outside groups.
fn hyphens(s: &str) -> Vec<usize> {
    top_level(s)
        .filter(|&(i, b)| {
            b == b'-'
                && i > 0
                && s[i + 1..].starts_with(|c: char| c.is_alphabetic())
                && !s[..i].ends_with(['-', '<'])
        })
        .map(|(i, _)| i)
        .collect()
}

/// The name after a backslash at the start of `s`: letters, or one character.
fn command_at(s: &str) -> &str {
    let after = &s[1..];
    let letters = after
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(after.len());
    if letters > 0 {
        &after[..letters]
    } else {
        after.chars().next().map_or("", |c| &after[..c.len_utf8()])
    }
}

/// Commands that end a chunk: delimiters, breaks, environments and text-mode commands.
fn ends_chunk(name: &str) -> bool {
    matches!(
        name,
        "(" | ")"
            | "["
            | "]"
            | "\\"
            | " "
            | "\n"
            | "begin"
            | "end"
            | "item"
            | "par"
            | "newline"
            | "cite"
            | "citep"
            | "citet"
            | "footnote"
            | "url"
            | "href"
            | "label"
            | "ref"
            | "eqref"
    ) || text_style(name).is_some()
}

/// Whether `s` holds a command pulldown-latex knows in math, or a script.
fn has_seed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let name = command_at(&s[i..]);
                if name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && classify(name) != Known::Unknown
                {
                    return true;
                }
                i += 1 + name.len().max(1);
                continue;
            }
            b'^' | b'_' if is_script(s, i) => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// What a piece of text is (see the module documentation).
fn classify_text(s: &str) -> Class {
    if has_seed(s) {
        return Class::Seed;
    }
    let mut letters = false;
    for run in letter_runs(s) {
        letters = true;
        let n = run.chars().count();
        if n >= 2 && !(n <= 3 && run.chars().all(|c| c.is_uppercase())) {
            return Class::Word;
        }
    }
    if letters && has_inner_operator(s) {
        Class::Formula
    } else if letters {
        Class::Letters
    } else if s.bytes().any(|b| b.is_ascii_digit()) {
        Class::Number
    } else {
        Class::Operator
    }
}

/// Whether an operator stands between the letters and numbers of `s` (`a+b`, `n-1`).
fn has_inner_operator(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(3).any(|w| {
        matches!(w[1], '=' | '+' | '-' | '<' | '>' | '*' | '/' | '|')
            && (w[0].is_alphanumeric() || w[0] == ')')
            && (w[2].is_alphanumeric() || w[2] == '(')
    })
}

/// Runs of letters outside command names and groups.
fn letter_runs(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    let mut depth = 0usize;
    std::iter::from_fn(move || {
        loop {
            let c = rest.chars().next()?;
            match c {
                '\\' => {
                    let name = command_at(rest);
                    rest = &rest[1 + name.len().min(rest.len() - 1)..];
                }
                '{' => {
                    depth += 1;
                    rest = &rest[1..];
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    rest = &rest[1..];
                }
                c if c.is_alphabetic() && depth == 0 => {
                    let len = rest
                        .find(|c: char| !c.is_alphabetic())
                        .unwrap_or(rest.len());
                    let run = &rest[..len];
                    rest = &rest[len..];
                    return Some(run);
                }
                c => rest = &rest[c.len_utf8()..],
            }
        }
    })
}

/// Whether a piece ends open, so that the operand after it belongs to the run: with an
/// operator character, a comma, or a command that is an operator or takes what follows
/// (`\le`, `\cal`).
fn opens_after(s: &str) -> bool {
    if s.ends_with(['=', '<', '>', '+', '-', '*', '/', '|', ',', '(']) {
        return true;
    }
    last_command(s).is_some_and(|name| {
        matches!(
            classify(name),
            Known::Operator | Known::LargeOp { .. } | Known::Declaration | Known::Command
        )
    })
}

/// Whether a piece starts with an operator, so that the operand before it belongs to the run.
fn opens_before(s: &str) -> bool {
    if s.starts_with(['=', '<', '>', '+', '*', '/', '|', ',', ')', '^', '_']) {
        return true;
    }
    s.starts_with('\\') && classify(command_at(s)) == Known::Operator
}

/// The control word at the end of `s`, if it ends with one.
fn last_command(s: &str) -> Option<&str> {
    let trimmed = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    (trimmed.len() < s.len() && trimmed.ends_with('\\')).then(|| &s[trimmed.len()..])
}

/// The run `src[start..end]` without trailing punctuation and unmatched brackets.
fn trim_run(src: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    loop {
        let run = &src[start..end];
        let unmatched = |open: char, close: char| {
            let (o, c) = (run.matches(open).count(), run.matches(close).count());
            (o > c && run.starts_with(open)) || (c > o && run.ends_with(close))
        };
        if run.ends_with(['.', ',', ';', ':', '!', '?']) && !run[..run.len() - 1].ends_with('\\') {
            end -= 1;
        } else if unmatched('(', ')') || unmatched('[', ']') {
            if run.ends_with([')', ']']) {
                end -= 1;
            } else {
                start += 1;
            }
        } else {
            return (start, end);
        }
    }
}
