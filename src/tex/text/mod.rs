//! Text-mode TeX, as real arXiv abstracts and titles carry it, parsed into a small tree, by
//! TeX's rules rather than Markdown's.
//!
//! Handles math delimiters (`$…$` and `$$…$$` by TeX's rules, with a stray `$` recovered:
//! [`dollars`]; `\(…\)`, `\[…\]`, math environments), math-only commands left in the prose
//! ([`runs`]), lists and other environments ([`envs`]), font commands (`\textit{}`, `\emph{}`,
//! `{\bf …}`), escapes (`\%`, `\&`), ligatures (`--`, ` ``…'' `, `~`), accents (`\'e`),
//! `\url{}` and `\href{}{}`. Anything else is kept as its source and reported, never dropped.

mod dollars;
mod envs;
mod runs;
mod symbols;
#[cfg(test)]
mod tests;

use super::accents;
pub(super) use runs::run_tex;
pub(super) use symbols::text_symbol;
use symbols::{accent_base, text_style};

/// A piece of parsed text.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// Literal text (not yet escaped).
    Text(String),
    /// A formula: the TeX between the delimiters, and the whole source with delimiters.
    Math {
        /// TeX to render.
        tex: &'a str,
        /// The source as written, shown if rendering fails.
        source: &'a str,
        /// Display (block) or inline math.
        display: bool,
    },
    /// Math that its author left in the prose, without `$` (`\alpha`, `x_{ij}`): rendered as
    /// inline math, or shown as written if it cannot be.
    Run(&'a str),
    /// Styled content.
    Style(Style, Vec<Node<'a>>),
    /// A hyperlink.
    Link {
        /// Target as written.
        url: &'a str,
        /// Link text.
        children: Vec<Node<'a>>,
    },
    /// `\eqref{key}` (`eq`) or `\ref{key}`: a link to the labelled equation.
    Ref {
        /// The label's key.
        key: &'a str,
        /// `\eqref`: the tag in parentheses.
        eq: bool,
    },
    /// `itemize`, `enumerate`, `description`.
    List(ListKind, Vec<Item<'a>>),
    /// `\\` or `\newline`.
    LineBreak,
    /// A blank line at top level: a new paragraph.
    ParBreak,
    /// A control sequence with no definition (an author's macro): its source, marked.
    Undefined(&'a str),
    /// An unknown construct, shown as written.
    Raw(&'a str),
}

/// Text styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `\emph`, `\textit`, `\textsl`.
    Em,
    /// `\textbf`.
    Strong,
    /// `\texttt`.
    Code,
    /// `\textsc`.
    SmallCaps,
    /// `\underline`.
    Underline,
    /// `\textsuperscript`.
    Sup,
    /// `\textsubscript`.
    Sub,
    /// A bare group or `\textrm`: no visible style.
    Plain,
}

/// The kind of a list environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `itemize`: bullets.
    Itemize,
    /// `enumerate`: numbers.
    Enumerate,
    /// `description`: terms and their descriptions.
    Description,
}

/// One `\item` of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    /// `\item[label]`.
    pub label: Option<Vec<Node<'a>>>,
    /// What follows the `\item`.
    pub body: Vec<Node<'a>>,
}

/// Something in the text that could not be understood or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TexProblem {
    /// Byte offset of the offending source in the text that was rendered.
    pub offset: usize,
    /// The offending source.
    pub source: String,
    /// What is wrong.
    pub message: String,
    /// The undefined control sequence (without its backslash), when that is the problem: it
    /// is shown as a mark, and reported once per site rather than once per use.
    pub undefined: Option<String>,
}

/// Parses `src`; problems found while parsing are appended to `problems`.
pub fn parse<'a>(src: &'a str, problems: &mut Vec<TexProblem>) -> Vec<Node<'a>> {
    let mut p = Parser {
        src,
        pos: 0,
        nesting: 0,
        dollars: dollars::pair(src),
        problems,
    };
    p.sequence(Stop::Eof).0
}

/// Where a sequence ends (besides the end of the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop<'s> {
    /// At the end of the input only.
    Eof,
    /// At the `}` closing a group (consumed).
    Brace,
    /// Before the next `\item` or `\end{…}` (a list item).
    Item,
    /// At the `]` closing an item's label (consumed).
    Bracket,
    /// Before `\end{name}` (an environment's body).
    End(&'s str),
}

struct Parser<'a, 'p> {
    src: &'a str,
    pos: usize,
    /// Groups and declarations being parsed, inside one another (bounded: the parser recurses).
    nesting: usize,
    /// The `$` delimiters of the text, paired by TeX's rules ([`dollars::pair`]).
    dollars: Vec<dollars::Dollar>,
    problems: &'p mut Vec<TexProblem>,
}

/// How deeply groups may nest before the rest is shown as written: real text never comes
/// close, and recursion must not exhaust the stack on hostile input.
const MAX_NESTING: usize = 200;

/// Accumulates text and nodes of one sequence.
#[derive(Default)]
struct Seq<'a> {
    nodes: Vec<Node<'a>>,
    text: String,
}

impl<'a> Seq<'a> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.nodes.push(Node::Text(std::mem::take(&mut self.text)));
        }
    }
    fn push(&mut self, node: Node<'a>) {
        self.flush();
        self.nodes.push(node);
    }
    fn finish(mut self) -> Vec<Node<'a>> {
        self.flush();
        self.nodes
    }
}

impl<'a> Parser<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// Byte offset of a slice of the source.
    fn offset_of(&self, part: &str) -> usize {
        offset_in(self.src, part)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn problem(&mut self, offset: usize, source: &str, message: impl Into<String>) {
        self.problems.push(TexProblem {
            offset,
            source: source.to_string(),
            message: message.into(),
            undefined: None,
        });
    }

    /// Whether the input at the current position ends a sequence that stops at `stop`.
    fn at_stop(&self, stop: Stop) -> bool {
        let rest = self.rest();
        match stop {
            Stop::Eof | Stop::Brace => false,
            Stop::Bracket => rest.starts_with(']'),
            Stop::Item => rest.starts_with("\\end{") || starts_with_command(rest, "item"),
            Stop::End(name) => envs::at_end(rest, name),
        }
    }

    /// Parses until the end of input or `stop`. Returns the nodes and whether `stop` ended the
    /// sequence (a closing `}` or `]` is consumed; `\item` and `\end` are left).
    fn sequence(&mut self, stop: Stop) -> (Vec<Node<'a>>, bool) {
        let mut seq = Seq::default();
        while let Some(c) = self.peek() {
            if self.at_stop(stop) {
                if stop == Stop::Bracket {
                    self.pos += 1;
                }
                return (seq.finish(), true);
            }
            match c {
                '}' if stop == Stop::Brace => {
                    self.pos += 1;
                    return (seq.finish(), true);
                }
                '{' => {
                    self.pos += 1;
                    let (children, closed) = self.group();
                    if !closed {
                        seq.text.push('{');
                    }
                    seq.push(Node::Style(Style::Plain, children));
                }
                '\\' => {
                    if self.nesting < MAX_NESTING
                        && let Some(style) = self.declaration()
                    {
                        // `{\bf rest}`: the declaration styles the rest of the group.
                        self.nesting += 1;
                        let (rest, closed) = self.sequence(stop);
                        self.nesting -= 1;
                        seq.push(Node::Style(style, rest));
                        return (seq.finish(), closed);
                    }
                    self.command(&mut seq, stop);
                }
                '$' => self.dollar(&mut seq),
                '^' | '_' => self.script(&mut seq),
                '~' => {
                    self.pos += 1;
                    seq.text.push('\u{a0}');
                }
                '-' => self.dashes(&mut seq),
                '`' | '\'' => self.quotes(&mut seq, c),
                '\n' => self.newline(&mut seq, stop),
                'h' if self.at_bare_url(&seq) => self.bare_url(&mut seq),
                _ => self.plain_run(&mut seq),
            }
        }
        (seq.finish(), false)
    }

    /// Copies a run of characters that mean nothing to TeX in one go (most of an abstract).
    fn plain_run(&mut self, seq: &mut Seq<'a>) {
        let rest = self.rest().as_bytes();
        let mut end = 1;
        while end < rest.len() {
            match rest[end] {
                b'\\' | b'{' | b'}' | b'$' | b'~' | b'-' | b'`' | b'\'' | b'\n' | b'^' | b'_'
                | b']' => break,
                // A URL may start after a space or an opening bracket.
                b'h' if matches!(rest[end - 1], b' ' | b'\t' | b'(' | b'[' | b'<' | b'"') => break,
                _ => end += 1,
            }
        }
        // The stops are ASCII, so `end` is a char boundary.
        let run = &self.rest()[..end];
        seq.text.push_str(run);
        self.pos += end;
    }

    /// `^` or `_` in text: a script (`x_{ij}`, `z_\odot`, `10^5`) starts a run of math;
    /// otherwise (`snake_case`) it is a character.
    fn script(&mut self, seq: &mut Seq<'a>) {
        if !(runs::is_script(self.src, self.pos) && self.math_run(seq, self.pos)) {
            seq.text.push_str(&self.rest()[..1]);
            self.pos += 1;
        }
    }

    /// Whether a bare `http(s)://` URL starts here (at a word boundary).
    fn at_bare_url(&self, seq: &Seq) -> bool {
        let rest = self.rest();
        (rest.starts_with("https://") || rest.starts_with("http://"))
            && seq
                .text
                .chars()
                .last()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '<' | '"'))
    }

    /// A bare URL in running text becomes a link; trailing punctuation stays text.
    fn bare_url(&mut self, seq: &mut Seq<'a>) {
        let rest = self.rest();
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '{' | '}' | '\\' | '$')
            })
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?', '\'']);
        self.pos += url.len();
        seq.push(Node::Link {
            url,
            children: vec![Node::Text(url.to_string())],
        });
    }

    /// The content of a `{…}` group whose `{` was just consumed.
    fn group(&mut self) -> (Vec<Node<'a>>, bool) {
        let start = self.pos;
        if self.nesting >= MAX_NESTING {
            return self.too_deep(start);
        }
        self.nesting += 1;
        let result = self.sequence(Stop::Brace);
        self.nesting -= 1;
        if !result.1 {
            let source = &self.src[start.saturating_sub(1)..];
            let shown: String = source.chars().take(40).collect();
            self.problem(
                start.saturating_sub(1),
                &shown,
                "unbalanced `{`: the group is never closed",
            );
        }
        result
    }

    /// A group nested too deeply: its content, up to the matching brace, is shown as written.
    fn too_deep(&mut self, start: usize) -> (Vec<Node<'a>>, bool) {
        let rest = &self.src[start..];
        let (inner, closed) = match matching_brace(rest) {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        self.pos = start + inner.len() + usize::from(closed);
        let shown: String = inner.chars().take(40).collect();
        self.problem(
            start.saturating_sub(1),
            &shown,
            format!("groups nested more than {MAX_NESTING} deep are shown as written"),
        );
        (vec![Node::Raw(inner)], closed)
    }

    /// A line end: a space, or a paragraph break where a blank line follows at the top level.
    fn newline(&mut self, seq: &mut Seq<'a>, stop: Stop) {
        self.pos += 1;
        let rest = self.rest();
        let blank = rest.trim_start_matches([' ', '\t', '\r']);
        if stop == Stop::Eof && self.nesting == 0 && blank.starts_with('\n') {
            let skipped = rest.len() - rest.trim_start().len();
            self.pos += skipped;
            if self.pos < self.src.len() {
                seq.push(Node::ParBreak);
            }
        } else if !seq.text.ends_with(' ') {
            seq.text.push(' ');
        }
    }

    fn dashes(&mut self, seq: &mut Seq<'a>) {
        let rest = self.rest();
        if rest.starts_with("---") {
            self.pos += 3;
            seq.text.push('—');
        } else if rest.starts_with("--") {
            self.pos += 2;
            seq.text.push('–');
        } else {
            self.pos += 1;
            seq.text.push('-');
        }
    }

    fn quotes(&mut self, seq: &mut Seq<'a>, c: char) {
        let rest = self.rest();
        if c == '`' && rest.starts_with("``") {
            self.pos += 2;
            seq.text.push('“');
        } else if c == '\'' && rest.starts_with("''") {
            self.pos += 2;
            seq.text.push('”');
        } else if c == '`' {
            self.pos += 1;
            seq.text.push('‘');
        } else {
            self.pos += 1;
            seq.text.push(c);
        }
    }

    /// A font declaration at `self.pos` (`\bf`, `\itshape`), consumed if found.
    fn declaration(&mut self) -> Option<Style> {
        let name = command_name(&self.rest()[1..]);
        let style = match name {
            "em" | "it" | "itshape" | "sl" | "slshape" => Style::Em,
            "bf" | "bfseries" => Style::Strong,
            "tt" | "ttfamily" => Style::Code,
            "sc" | "scshape" => Style::SmallCaps,
            "rm" | "rmfamily" | "sf" | "sffamily" | "normalfont" | "upshape" | "mdseries" => {
                Style::Plain
            }
            _ => return None,
        };
        self.pos += 1 + name.len();
        self.skip_spaces();
        Some(style)
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// A command at `self.pos` (which holds `\`).
    fn command(&mut self, seq: &mut Seq<'a>, stop: Stop) {
        let start = self.pos;
        let after = &self.src[start + 1..];
        let Some(c) = after.chars().next() else {
            self.pos += 1;
            seq.text.push('\\');
            return;
        };
        if !c.is_ascii_alphabetic() {
            self.symbol_command(seq, c);
            return;
        }
        let name = command_name(after);
        self.pos = start + 1 + name.len();
        let source = &self.src[start..self.pos];
        if let Some(mark) = accents::combining_mark(name).filter(|_| name.len() == 1) {
            self.accent(seq, mark, source);
        } else if let Some(style) = text_style(name) {
            self.styled(seq, style, source);
        } else if let Some(s) = text_symbol(name) {
            self.skip_empty_group();
            seq.text.push_str(s);
        } else {
            self.other_command(seq, name, start, stop);
        }
    }

    /// `\%`, `\&`, `\(`, `\\`, `\'e` …
    fn symbol_command(&mut self, seq: &mut Seq<'a>, c: char) {
        let start = self.pos;
        match c {
            '(' => return self.delimited_math(seq, "\\)", false),
            '[' => return self.delimited_math(seq, "\\]", true),
            _ => {}
        }
        self.pos += 1 + c.len_utf8();
        match c {
            '$' | '%' | '&' | '_' | '#' | '{' | '}' => seq.text.push(c),
            '\\' => {
                seq.push(Node::LineBreak);
                self.skip_spaces();
            }
            ' ' | '\n' | '\t' => seq.text.push(' '),
            ',' | ':' | ';' | '>' => seq.text.push('\u{2009}'),
            '!' | '-' | '/' | '@' => {}
            _ => match accents::combining_mark(c.encode_utf8(&mut [0; 4])) {
                Some(mark) => {
                    let source = &self.src[start..self.pos];
                    self.accent(seq, mark, source);
                }
                None => {
                    let source = &self.src[start..self.pos];
                    self.problem(start, source, "unknown TeX command, shown as written");
                    seq.push(Node::Raw(source));
                }
            },
        }
    }

    /// The letter after an accent command: `\'e`, `\'{e}`, `\'{\i}`, `\c c`.
    fn accent(&mut self, seq: &mut Seq<'a>, mark: char, source: &'a str) {
        let rest = self.rest();
        let (base, used) = if let Some(inner) = rest.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (accent_base(&inner[..end]), end + 2),
                None => (None, 0),
            }
        } else {
            let trimmed = rest.trim_start_matches(' ');
            let skipped = rest.len() - trimmed.len();
            if trimmed.starts_with("\\i")
                && !trimmed[2..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                (Some('ı'), skipped + 2)
            } else {
                match trimmed.chars().next() {
                    Some(ch) if ch.is_alphabetic() => (Some(ch), skipped + ch.len_utf8()),
                    _ => (None, 0),
                }
            }
        };
        match base {
            Some(b) => {
                self.pos += used;
                seq.text.push_str(&accents::apply(b, mark));
            }
            None => {
                self.problem(self.pos - source.len(), source, "accent without a letter");
                seq.push(Node::Raw(source));
            }
        }
    }

    /// `\textbf{…}` and friends.
    fn styled(&mut self, seq: &mut Seq<'a>, style: Style, source: &'a str) {
        self.skip_spaces();
        if self.peek() == Some('{') {
            self.pos += 1;
            let (children, _) = self.group();
            seq.push(Node::Style(style, children));
        } else {
            self.problem(
                self.offset_of(source),
                source,
                "command expects an argument in braces",
            );
            seq.push(Node::Raw(source));
        }
    }

    /// After a symbol command, `{}` (as in `\LaTeX{}`) is just a separator.
    fn skip_empty_group(&mut self) {
        if self.rest().starts_with("{}") {
            self.pos += 2;
        }
    }

    /// A raw `{…}` argument (for URLs), balanced, without interpretation.
    fn raw_arg(&mut self) -> Option<&'a str> {
        self.skip_spaces();
        let rest = self.rest();
        let inner = rest.strip_prefix('{')?;
        let end = matching_brace(inner)?;
        self.pos += 1 + end + 1;
        Some(&inner[..end])
    }

    /// An optional `[…]` argument, without interpretation.
    fn raw_opt_arg(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let trimmed = rest.trim_start();
        let inner = trimmed.strip_prefix('[')?;
        let end = inner.find(']')?;
        self.pos += rest.len() - trimmed.len() + 1 + end + 1;
        Some(&inner[..end])
    }

    fn other_command(&mut self, seq: &mut Seq<'a>, name: &'a str, start: usize, stop: Stop) {
        match name {
            "url" => match self.raw_arg() {
                Some(url) => seq.push(Node::Link {
                    url,
                    children: vec![Node::Text(url.to_string())],
                }),
                None => self.unknown(seq, start),
            },
            "href" => {
                let url = self.raw_arg();
                self.skip_spaces();
                if let (Some(url), Some('{')) = (url, self.peek()) {
                    self.pos += 1;
                    let (children, _) = self.group();
                    seq.push(Node::Link { url, children });
                } else {
                    self.unknown(seq, start);
                }
            }
            "newline" | "linebreak" => seq.push(Node::LineBreak),
            "par" if stop == Stop::Eof && self.nesting == 0 => seq.push(Node::ParBreak),
            "par" => seq.text.push(' '),
            "footnote" | "thanks" => {
                // A note has no page foot to go to: it is shown in place, in parentheses.
                self.raw_opt_arg();
                self.skip_spaces();
                if self.peek() == Some('{') {
                    self.pos += 1;
                    let (children, _) = self.group();
                    seq.text.push_str(" (");
                    seq.push(Node::Style(Style::Plain, children));
                    seq.text.push(')');
                } else {
                    self.unknown(seq, start);
                }
            }
            "ref" | "eqref" => match self.raw_arg() {
                Some(key) => seq.push(Node::Ref {
                    key: key.trim(),
                    eq: name == "eqref",
                }),
                None => self.unknown(seq, start),
            },
            "cite" | "citep" | "citet" | "citealp" | "citealt" | "citeauthor" | "citeyear"
            | "nocite" | "label" | "vspace" | "hspace" | "index" => {
                // A homepage has no bibliography: a citation is shown as TeX shows one it
                // cannot resolve, `[?]`, so that its sentence still reads; labels, spaces and
                // index entries are dropped, with their arguments.
                self.raw_opt_arg();
                self.raw_opt_arg();
                if self.raw_arg().is_none() {
                    self.unknown(seq, start);
                } else if name.starts_with("cite") {
                    seq.text.push_str("[?]");
                }
            }
            "begin" => self.environment(seq, start),
            _ => self.math_command(seq, name, start),
        }
    }

    /// A command that is not a text command: a math-only command (`\alpha`, `\pm`) left in the
    /// prose starts a run of math; an undefined one is shown marked.
    fn math_command(&mut self, seq: &mut Seq<'a>, name: &'a str, start: usize) {
        if self.math_run(seq, start) {
            return;
        }
        let source = &self.src[start..self.pos];
        if super::known::classify(name) == super::known::Known::Unknown {
            self.skip_empty_group();
            self.problems.push(TexProblem {
                offset: start,
                source: source.to_string(),
                message: format!("undefined control sequence `{source}`, shown as its name"),
                undefined: Some(name.to_string()),
            });
            seq.push(Node::Undefined(source));
        } else {
            self.problem(
                start,
                source,
                "math command outside math, where it is unclear how much is math: shown as written",
            );
            seq.push(Node::Raw(source));
        }
    }

    fn unknown(&mut self, seq: &mut Seq<'a>, start: usize) {
        let source = &self.src[start..self.pos];
        self.problem(start, source, "unknown TeX command, shown as written");
        seq.push(Node::Raw(source));
    }
}

/// Whether `s` starts with the control word `\name` (not a longer one).
fn starts_with_command(s: &str, name: &str) -> bool {
    s.strip_prefix('\\')
        .and_then(|s| s.strip_prefix(name))
        .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Byte offset of `part` in `whole`, for a `part` that is a slice of `whole` (else clamped).
pub fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// The letters of a command name at the start of `s` (after the backslash).
fn command_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    &s[..end]
}

/// Byte offset of the first `needle` in `s` that is not escaped by a backslash.
fn find_unescaped(s: &str, needle: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if s.is_char_boundary(i) && s[i..].starts_with(needle) {
            return Some(i);
        }
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    None
}

/// The bytes of `s` outside braces, with their offsets: escaped characters (`\{`, `\$`) and
/// everything inside `{…}` are skipped.
fn top_level(s: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (at, b) = (i, bytes[i]);
            i += 1;
            match b {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => return Some((at, b)),
                _ => {}
            }
        }
        None
    })
}

/// Offset of the `}` closing a group whose `{` precedes `s`.
fn matching_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}
