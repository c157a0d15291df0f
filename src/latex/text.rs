//! Text-mode TeX, as real arXiv abstracts and titles carry it, parsed into a small tree.
//!
//! Handles math delimiters (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`, math environments), font
//! commands (`\textit{}`, `\emph{}`, `{\bf …}`), escapes (`\%`, `\&`), ligatures (`--`,
//! ` ``…'' `, `~`), accents (`\'e`), `\url{}` and `\href{}{}`. Anything else is kept as its
//! source and reported, never dropped.

use super::accents;

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
    /// Styled content.
    Style(Style, Vec<Node<'a>>),
    /// A hyperlink.
    Link {
        /// Target as written.
        url: &'a str,
        /// Link text.
        children: Vec<Node<'a>>,
    },
    /// `\\` or `\newline`.
    LineBreak,
    /// A blank line at top level: a new paragraph.
    ParBreak,
    /// An unknown command or construct, shown as written.
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

/// Environments whose body is math, rendered as a display formula including `\begin…\end`.
const MATH_ENVS_WHOLE: &[&str] = &[
    "align",
    "align*",
    "aligned",
    "gather",
    "gather*",
    "gathered",
    "multline",
    "multline*",
    "alignat",
    "alignat*",
    "flalign",
    "flalign*",
    "eqnarray",
    "eqnarray*",
    "split",
    "cases",
    "matrix",
    "pmatrix",
    "bmatrix",
    "vmatrix",
    "Vmatrix",
    "array",
    "subequations",
];

/// Environments whose inner body is a display formula.
const MATH_ENVS_INNER: &[&str] = &["equation", "equation*", "displaymath"];

/// Parses `src`; problems found while parsing are appended to `problems`.
pub fn parse<'a>(src: &'a str, problems: &mut Vec<TexProblem>) -> Vec<Node<'a>> {
    let mut p = Parser {
        src,
        pos: 0,
        depth: 0,
        nesting: 0,
        problems,
    };
    p.sequence().0
}

struct Parser<'a, 'p> {
    src: &'a str,
    pos: usize,
    /// Brace nesting depth: paragraph breaks only count at depth 0.
    depth: usize,
    /// Groups and declarations being parsed, inside one another (bounded: the parser recurses).
    nesting: usize,
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

    /// Parses until the end of input, or a closing `}` when inside a group.
    /// Returns the nodes and whether a closing brace ended the sequence.
    fn sequence(&mut self) -> (Vec<Node<'a>>, bool) {
        let mut seq = Seq::default();
        while let Some(c) = self.peek() {
            match c {
                '}' if self.depth > 0 => {
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
                        let (rest, closed) = self.sequence();
                        self.nesting -= 1;
                        seq.push(Node::Style(style, rest));
                        return (seq.finish(), closed);
                    }
                    self.command(&mut seq);
                }
                '$' => self.dollar(&mut seq),
                '~' => {
                    self.pos += 1;
                    seq.text.push('\u{a0}');
                }
                '-' => self.dashes(&mut seq),
                '`' | '\'' => self.quotes(&mut seq, c),
                '\n' => self.newline(&mut seq),
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
                b'\\' | b'{' | b'}' | b'$' | b'~' | b'-' | b'`' | b'\'' | b'\n' => break,
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
        self.depth += 1;
        self.nesting += 1;
        let result = self.sequence();
        self.nesting -= 1;
        self.depth -= 1;
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

    fn newline(&mut self, seq: &mut Seq<'a>) {
        self.pos += 1;
        let rest = self.rest();
        let blank = rest.trim_start_matches([' ', '\t', '\r']);
        if self.depth == 0 && blank.starts_with('\n') {
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

    /// `$…$` or `$$…$$`, following pandoc's rule so that prices stay text: the opening `$` is
    /// followed by a non-space, the closing one preceded by a non-space and not followed by a
    /// digit, and inline math does not contain another unescaped `$`.
    fn dollar(&mut self, seq: &mut Seq<'a>) {
        let start = self.pos;
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix("$$") {
            if let Some(end) = find_unescaped(body, "$$") {
                let tex = &body[..end];
                self.pos = start + 2 + end + 2;
                seq.push(Node::Math {
                    tex,
                    source: &self.src[start..self.pos],
                    display: true,
                });
                return;
            }
            self.problem(
                start,
                "$$",
                "unclosed `$$`: the display formula is never closed",
            );
            self.pos += 2;
            seq.text.push_str("$$");
            return;
        }
        let body = &rest[1..];
        if let Some(end) = inline_math_end(body) {
            let tex = &body[..end];
            self.pos = start + 1 + end + 1;
            seq.push(Node::Math {
                tex,
                source: &self.src[start..self.pos],
                display: false,
            });
            return;
        }
        if body.starts_with('\\') || body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let shown: String = rest.chars().take(30).collect();
            self.problem(start, &shown, "unbalanced `$`: shown as text");
        }
        self.pos += 1;
        seq.text.push('$');
    }

    /// `\(…\)` or `\[…\]`; the opening delimiter is at `self.pos`.
    fn delimited_math(&mut self, seq: &mut Seq<'a>, close: &str, display: bool) {
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
    fn command(&mut self, seq: &mut Seq<'a>) {
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
            self.other_command(seq, name, start);
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
            ' ' | '\n' => seq.text.push(' '),
            ',' | ':' | ';' | '>' => seq.text.push('\u{2009}'),
            '!' | '-' | '/' | '@' => {}
            _ => match accents::combining_mark(c.encode_utf8(&mut [0; 4])) {
                Some(mark) => {
                    let source = &self.src[start..self.pos];
                    self.accent(seq, mark, source);
                }
                None => {
                    let source = &self.src[start..self.pos];
                    self.problem(start, source, "unknown TeX command");
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

    fn other_command(&mut self, seq: &mut Seq<'a>, name: &'a str, start: usize) {
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
            "par" if self.depth == 0 => seq.push(Node::ParBreak),
            "cite" | "citep" | "citet" | "label" | "footnote" | "thanks" | "vspace" | "hspace"
            | "index" => {
                // Notes and references have no target on a homepage: dropped, with their argument.
                if self.raw_arg().is_none() {
                    self.unknown(seq, start);
                }
            }
            "begin" => self.environment(seq, start),
            _ => self.unknown(seq, start),
        }
    }

    fn unknown(&mut self, seq: &mut Seq<'a>, start: usize) {
        let source = &self.src[start..self.pos];
        self.problem(start, source, "unknown TeX command, shown as written");
        seq.push(Node::Raw(source));
    }

    /// `\begin{env}…\end{env}`: math environments become display math.
    fn environment(&mut self, seq: &mut Seq<'a>, start: usize) {
        let Some(env) = self.raw_arg() else {
            return self.unknown(seq, start);
        };
        let whole = MATH_ENVS_WHOLE.contains(&env);
        let inner = MATH_ENVS_INNER.contains(&env) || env == "math";
        let end_tag = format!("\\end{{{env}}}");
        let body_start = self.pos;
        let found = self.src[body_start..].find(&end_tag);
        match found {
            Some(end) if whole || inner => {
                let body_end = body_start + end;
                self.pos = body_end + end_tag.len();
                let source = &self.src[start..self.pos];
                let tex = if whole {
                    source
                } else {
                    &self.src[body_start..body_end]
                };
                seq.push(Node::Math {
                    tex,
                    source,
                    display: env != "math",
                });
            }
            _ => {
                let source = &self.src[start..self.pos];
                self.problem(
                    start,
                    source,
                    format!("unsupported environment `{env}`, shown as written"),
                );
                seq.push(Node::Raw(source));
            }
        }
    }
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

/// The base letter of an accent argument: `e`, `\i`, `\j`.
fn accent_base(arg: &str) -> Option<char> {
    match arg.trim() {
        "\\i" => Some('ı'),
        "\\j" => Some('ȷ'),
        s => {
            let mut chars = s.chars();
            let c = chars.next()?;
            (chars.next().is_none() && c.is_alphabetic()).then_some(c)
        }
    }
}

fn text_style(name: &str) -> Option<Style> {
    Some(match name {
        "textit" | "emph" | "textsl" => Style::Em,
        "textbf" => Style::Strong,
        "texttt" => Style::Code,
        "textsc" => Style::SmallCaps,
        "underline" | "uline" => Style::Underline,
        "textsuperscript" => Style::Sup,
        "textsubscript" => Style::Sub,
        "textrm" | "textsf" | "textnormal" | "textup" | "textmd" | "mbox" | "text" | "hbox" => {
            Style::Plain
        }
        _ => return None,
    })
}

/// The text a symbol command stands for in text mode (`\ss` → `ß`).
pub(super) fn text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ldots" | "dots" | "textellipsis" => "…",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "LaTeXe" => "LaTeX2ε",
        "BibTeX" => "BibTeX",
        "ss" => "ß",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "o" => "ø",
        "O" => "Ø",
        "l" => "ł",
        "L" => "Ł",
        "aa" => "å",
        "AA" => "Å",
        "i" => "ı",
        "j" => "ȷ",
        "S" => "§",
        "P" => "¶",
        "dag" | "textdagger" => "†",
        "ddag" | "textdaggerdbl" => "‡",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "textdegree" => "°",
        "textbackslash" => "\\",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textbar" => "|",
        "textless" => "<",
        "textgreater" => ">",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textbullet" => "•",
        "pounds" | "textsterling" => "£",
        "euro" | "texteuro" => "€",
        "textpercent" => "%",
        "quad" => "\u{2003}",
        "qquad" => "\u{2003}\u{2003}",
        "noindent" | "centering" | "relax" | "protect" | "smallskip" | "medskip" | "bigskip"
        | "maketitle" => "",
        _ => return None,
    })
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

/// End of inline `$…$` math in `body` (the text after the opening `$`), by pandoc's rule.
fn inline_math_end(body: &str) -> Option<usize> {
    if body.starts_with(char::is_whitespace) || body.is_empty() {
        return None;
    }
    let end = find_unescaped(body, "$")?;
    let inner = &body[..end];
    let closes = end > 0
        && !inner.ends_with(char::is_whitespace)
        && !body[end + 1..].starts_with(|c: char| c.is_ascii_digit())
        && !inner.contains("\n\n");
    closes.then_some(end)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(src: &str) -> Vec<Node<'_>> {
        let mut problems = Vec::new();
        parse(src, &mut problems)
    }

    #[test]
    fn dollars_follow_pandoc_rules() {
        assert_eq!(inline_math_end("x$ y"), Some(1));
        assert_eq!(inline_math_end(" x$"), None);
        assert_eq!(inline_math_end("5 and $10"), None);
        assert_eq!(inline_math_end("x $"), None);
        assert_eq!(inline_math_end("a\\$b$"), Some(4));
        let n = nodes("costs $5 and $10 today");
        assert_eq!(n, vec![Node::Text("costs $5 and $10 today".into())]);
    }

    #[test]
    fn math_delimiters() {
        let n = nodes(r"a $x$ b \(y\) c \[z\] d $$w$$");
        let maths: Vec<(&str, bool)> = n
            .iter()
            .filter_map(|n| match n {
                Node::Math { tex, display, .. } => Some((*tex, *display)),
                _ => None,
            })
            .collect();
        assert_eq!(
            maths,
            vec![("x", false), ("y", false), ("z", true), ("w", true)]
        );
    }

    #[test]
    fn environments_become_display_math() {
        let n = nodes(r"see \begin{equation}E=mc^2\end{equation} and \begin{align}a&=b\end{align}");
        assert!(matches!(
            n[1],
            Node::Math {
                tex: "E=mc^2",
                display: true,
                ..
            }
        ));
        assert!(matches!(
            n[3],
            Node::Math {
                tex: r"\begin{align}a&=b\end{align}",
                display: true,
                ..
            }
        ));
    }

    #[test]
    fn styles_symbols_and_ligatures() {
        let n = nodes(r"\textit{a \textbf{b}} {\bf c} 40\% A--B---C ``q'' \'e\'{\i}\c{c}~x");
        assert_eq!(
            n[0],
            Node::Style(
                Style::Em,
                vec![
                    Node::Text("a ".into()),
                    Node::Style(Style::Strong, vec![Node::Text("b".into())])
                ]
            )
        );
        assert_eq!(
            n[2],
            Node::Style(
                Style::Plain,
                vec![Node::Style(Style::Strong, vec![Node::Text("c".into())])]
            )
        );
        assert_eq!(n[3], Node::Text(" 40% A–B—C “q” éíç\u{a0}x".into()));
    }

    #[test]
    fn unknown_commands_are_kept_and_reported() {
        let mut problems = Vec::new();
        let n = parse(r"a \foo b", &mut problems);
        assert_eq!(n[1], Node::Raw(r"\foo"));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn paragraphs_only_at_top_level() {
        let n = nodes("one\n\n\ntwo\nthree");
        assert_eq!(
            n,
            vec![
                Node::Text("one".into()),
                Node::ParBreak,
                Node::Text("two three".into())
            ]
        );
    }

    #[test]
    fn bare_urls_become_links() {
        let n = nodes("code at https://github.com/x/y. Also (http://a.b/c) and xhttp://no");
        assert!(
            matches!(
                n[1],
                Node::Link {
                    url: "https://github.com/x/y",
                    ..
                }
            ),
            "{n:?}"
        );
        assert!(
            matches!(
                n[3],
                Node::Link {
                    url: "http://a.b/c",
                    ..
                }
            ),
            "{n:?}"
        );
        assert_eq!(n.len(), 5, "{n:?}");
    }

    #[test]
    fn urls() {
        let n = nodes(r"code at \url{https://x.io/a_b} or \href{https://y.io}{here}");
        assert!(matches!(
            n[1],
            Node::Link {
                url: "https://x.io/a_b",
                ..
            }
        ));
        assert!(matches!(
            n[3],
            Node::Link {
                url: "https://y.io",
                ..
            }
        ));
    }

    #[test]
    fn unbalanced_input_never_panics() {
        for src in [
            "{",
            "}",
            "\\",
            "$",
            "$$",
            "\\(",
            "\\[",
            "\\textbf",
            "\\textbf{",
            "\\'",
            "\\begin{equation}",
            "\\url{",
            "{\\bf",
            "\\c{",
        ] {
            let mut problems = Vec::new();
            let _ = parse(src, &mut problems);
        }
    }
}
