//! The rewrite layer in front of pulldown-latex: a formula as authors write it (KaTeX's
//! dialect) → TeX that pulldown-latex 0.8 renders correctly.
//!
//! Works on TeX tokens, not strings: macros (the author's, the site's, KaTeX's built-ins) are
//! expanded with their arguments; plain-TeX infix fractions (`{a \over b}`) become `\frac`; text
//! inside `\text{}` is interpreted (`\emph`, quotes, `\%`, accents); `\tag`, `\label`, `\\`
//! outside environments, `\newcommand` without `[n]` and the other gaps listed in
//! `docs/math.md` are rewritten. Constructs pulldown-latex has no event for (`\phantom`,
//! `\boxed`, `\cancel`, `\rule`, `\mathllap` …) are marked with private-use characters and
//! spliced into the MathML afterwards ([`super::splice`]).
//!
//! Formulas that need none of this pass through untouched, without allocating. Work is linear
//! in the formula plus its macro expansions, which are capped.

use std::borrow::Cow;
use std::collections::HashMap;

use super::accents;
use super::macros::{self, Def, Macros, Tok, tokenize};
use super::splice::{self, Splice, split_dimension};
use super::text::text_symbol;

/// At most this many tokens are produced by macro expansion in one formula.
const MAX_EXPANSION: usize = 50_000;
/// At most this many nested groups of text and math inside each other.
const MAX_DEPTH: usize = 64;

/// A formula ready for pulldown-latex, and the MathML to splice in afterwards.
#[derive(Debug)]
pub(crate) struct Rewritten<'a> {
    /// The TeX to render.
    pub tex: Cow<'a, str>,
    /// Constructs to splice into the MathML (see [`splice::apply`]).
    pub splices: Vec<Splice>,
}

/// Rewrites `tex` (the body of a formula) for pulldown-latex.
pub(crate) fn rewrite<'a>(
    tex: &'a str,
    display: bool,
    macros: &'a Macros,
) -> Result<Rewritten<'a>, String> {
    if !needs_rewrite(tex, macros) {
        return Ok(Rewritten {
            tex: Cow::Borrowed(tex),
            splices: Vec::new(),
        });
    }
    let mut e = Engine {
        stack: Vec::new(),
        user: macros,
        user_defs: HashMap::new(),
        local: HashMap::new(),
        out: String::with_capacity(tex.len() + tex.len() / 2 + 16),
        after_word: false,
        levels: vec![Level::new(Kind::Top, 0)],
        splices: Vec::new(),
        splicing: !tex.chars().any(splice::is_marker),
        expanded: 0,
        depth: 0,
        display,
    };
    let mut toks = tokenize(tex);
    toks.reverse();
    e.stack = toks;
    e.run()?;
    if e.levels.len() > 1 {
        return Err(match e.levels.last().map(|l| &l.kind) {
            Some(Kind::Env { name, .. }) => format!("`\\begin{{{name}}}` is never ended"),
            Some(Kind::LeftRight) => "`\\left` without `\\right`".to_string(),
            _ => "unbalanced `{`: a group is never closed".to_string(),
        });
    }
    e.close_level()?;
    Ok(Rewritten {
        tex: Cow::Owned(e.out),
        splices: e.splices,
    })
}

/// Commands the rewriter handles itself (besides macros).
const HANDLED: &[&str] = &[
    "Braket",
    "Set",
    "above",
    "allowbreak",
    "angl",
    "atop",
    "bcancel",
    "begin",
    "boxed",
    "brace",
    "brack",
    "cancel",
    "choose",
    "clap",
    "cr",
    "char",
    "def",
    "edef",
    "gdef",
    "global",
    "long",
    "xdef",
    "displaylimits",
    "emph",
    "end",
    "ensuremath",
    "eqref",
    "fbox",
    "footnotesize",
    "hbox",
    "hfil",
    "hfill",
    "hphantom",
    "href",
    "hspace",
    "htmlClass",
    "htmlData",
    "htmlId",
    "htmlStyle",
    "huge",
    "Huge",
    "label",
    "large",
    "Large",
    "LARGE",
    "let",
    "llap",
    "mathchoice",
    "mathclap",
    "mathllap",
    "mathop",
    "mathrlap",
    "mathstrut",
    "mbox",
    "mkern",
    "mskip",
    "mspace",
    "newcommand",
    "newline",
    "nobreak",
    "nobreakspace",
    "nolimits",
    "nonumber",
    "normalsize",
    "notag",
    "operatorname",
    "over",
    "phase",
    "phantom",
    "protect",
    "providecommand",
    "raisebox",
    "ref",
    "renewcommand",
    "rlap",
    "rule",
    "scriptsize",
    "small",
    "smash",
    "sout",
    "space",
    "strut",
    "tag",
    "text",
    "textbf",
    "textit",
    "textmd",
    "textnormal",
    "textrm",
    "textsc",
    "textsf",
    "textsl",
    "texttt",
    "textup",
    "tiny",
    "url",
    "vcenter",
    "verb",
    "vphantom",
    "vspace",
    "xcancel",
];

/// Whether `tex` uses anything the rewriter changes; a cheap scan, no allocation.
fn needs_rewrite(tex: &str, macros: &Macros) -> bool {
    let bytes = tex.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'~' => return true,
            b'\\' => {
                let rest = &tex[i + 1..];
                let letters = rest
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len());
                if letters == 0 {
                    match rest.as_bytes().first() {
                        Some(b'\'' | b'`' | b'"' | b'^' | b'~' | b'=' | b'.' | b' ' | b'\\') => {
                            return true;
                        }
                        Some(b'\n' | b'\t' | b'\r') => return true,
                        Some(_) => i += 1,
                        None => {}
                    }
                } else {
                    let name = &rest[..letters];
                    if HANDLED.contains(&name)
                        || macros::builtin(name).is_some()
                        || macros.get(name).is_some()
                    {
                        return true;
                    }
                    i += letters;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// A kind of nesting level: where `\\`, `&` and infix fractions apply.
#[derive(Debug)]
enum Kind {
    /// The whole formula.
    Top,
    /// `{…}`.
    Brace,
    /// `{…}` whose rows are separated by `\\` natively (`\substack`).
    Rows,
    /// `\left … \right`.
    LeftRight,
    /// `\begin{name} … \end{name}`; `end` is what is written for `\end{name}`.
    Env { name: String, end: &'static str },
}

/// An infix fraction command: `\over`, `\choose` …
#[derive(Debug, Clone, Copy)]
enum Infix {
    Over,
    Choose,
    Atop,
    Brace,
    Brack,
}

impl Infix {
    fn prefix(self) -> &'static str {
        match self {
            Infix::Over => "\\frac{",
            Infix::Choose => "\\binom{",
            Infix::Atop => "\\genfrac{}{}{0pt}{}{",
            Infix::Brace => "\\genfrac\\{\\}{0pt}{}{",
            Infix::Brack => "\\genfrac[]{0pt}{}{",
        }
    }
}

#[derive(Debug)]
struct Level<'a> {
    kind: Kind,
    /// Output offset where the level's content starts.
    start: usize,
    /// Output offset where the current cell/row starts (infix fractions span it).
    segment: usize,
    /// An infix fraction in the current segment, and the output offset of its split.
    infix: Option<(Infix, usize)>,
    /// `\\` seen outside an environment: the level becomes `gathered`.
    lines: bool,
    /// `\tag{…}` of the current row (`true`: starred, no parentheses).
    tag: Option<(Vec<Tok<'a>>, bool)>,
}

impl Level<'_> {
    fn new(kind: Kind, start: usize) -> Self {
        Level {
            kind,
            start,
            segment: start,
            infix: None,
            lines: false,
            tag: None,
        }
    }

    /// Whether `\\` and `&` belong to this level natively.
    fn has_rows(&self) -> bool {
        matches!(self.kind, Kind::Env { .. } | Kind::Rows)
    }
}

/// Text styles inside `\text{}` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextStyle {
    Plain,
    Italic,
    Bold,
    Mono,
    Sans,
}

impl TextStyle {
    fn command(self) -> &'static str {
        match self {
            TextStyle::Plain => "\\text{",
            TextStyle::Italic => "\\textit{",
            TextStyle::Bold => "\\textbf{",
            TextStyle::Mono => "\\texttt{",
            TextStyle::Sans => "\\textsf{",
        }
    }

    /// The style a text command or declaration selects.
    fn of(name: &str) -> Option<TextStyle> {
        Some(match name {
            "text" | "textrm" | "textnormal" | "textup" | "textmd" | "mbox" | "hbox" | "textsc"
            | "rm" | "rmfamily" | "normalfont" | "upshape" | "mdseries" | "sc" | "scshape" => {
                TextStyle::Plain
            }
            "textit" | "textsl" | "emph" | "it" | "itshape" | "em" | "sl" | "slshape" => {
                TextStyle::Italic
            }
            "textbf" | "bf" | "bfseries" => TextStyle::Bold,
            "texttt" | "tt" | "ttfamily" => TextStyle::Mono,
            "textsf" | "sf" | "sffamily" => TextStyle::Sans,
            _ => return None,
        })
    }

    /// Whether `name` is a declaration (`\bf`) rather than a command with an argument.
    fn is_declaration(name: &str) -> bool {
        matches!(
            name,
            "rm" | "rmfamily"
                | "normalfont"
                | "upshape"
                | "mdseries"
                | "sc"
                | "scshape"
                | "it"
                | "itshape"
                | "em"
                | "sl"
                | "slshape"
                | "bf"
                | "bfseries"
                | "tt"
                | "ttfamily"
                | "sf"
                | "sffamily"
        )
    }
}

struct Engine<'a> {
    /// Tokens still to read, last first.
    stack: Vec<Tok<'a>>,
    user: &'a Macros,
    /// User macros tokenized on first use.
    user_defs: HashMap<&'a str, Def<'a>>,
    /// Macros defined inside the formula (`\newcommand`, `\def`, `\let`).
    local: HashMap<&'a str, Def<'a>>,
    out: String,
    /// The output ends with a control word: a following letter needs a space.
    after_word: bool,
    levels: Vec<Level<'a>>,
    splices: Vec<Splice>,
    /// False when the formula itself contains private-use characters.
    splicing: bool,
    expanded: usize,
    depth: usize,
    display: bool,
}

impl<'a> Engine<'a> {
    fn run(&mut self) -> Result<(), String> {
        while let Some(t) = self.stack.pop() {
            self.token(t)?;
        }
        Ok(())
    }

    /// Processes `toks` as a group `{…}` of math, in place.
    fn group(&mut self, toks: Vec<Tok<'a>>) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the formula is nested too deeply".to_string());
        }
        let saved = std::mem::take(&mut self.stack);
        self.stack.reserve(toks.len() + 2);
        self.stack.push(Tok::Close);
        self.stack.extend(toks.into_iter().rev());
        self.stack.push(Tok::Open);
        let result = self.run();
        self.stack = saved;
        self.depth -= 1;
        result
    }

    // ---- output ----

    fn emit_cs(&mut self, name: &str) {
        self.out.push('\\');
        self.out.push_str(name);
        self.after_word = name.starts_with(|c: char| c.is_ascii_alphabetic());
    }

    fn emit_char(&mut self, c: char) {
        if self.after_word && c.is_ascii_alphabetic() {
            self.out.push(' ');
        }
        self.out.push(c);
        self.after_word = false;
    }

    /// Emits TeX written by this module.
    fn emit(&mut self, s: &str) {
        if self.after_word && s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.out.push(' ');
        }
        self.out.push_str(s);
        self.after_word = ends_with_control_word(s);
    }

    fn emit_tokens(&mut self, toks: &[Tok<'_>]) {
        for t in toks {
            match *t {
                Tok::Cs(name) => self.emit_cs(name),
                Tok::Open => self.emit_char('{'),
                Tok::Close => self.emit_char('}'),
                Tok::Space => self.emit_char(' '),
                Tok::Param(n) => {
                    self.emit_char('#');
                    self.emit_char(char::from(b'0' + n));
                }
                Tok::Char(c) => self.emit_char(c),
            }
        }
    }

    // ---- reading ----

    fn skip_spaces(&mut self) {
        while self.stack.last() == Some(&Tok::Space) {
            self.stack.pop();
        }
    }

    fn peek_non_space(&self) -> Option<Tok<'a>> {
        self.stack.iter().rev().find(|t| **t != Tok::Space).copied()
    }

    /// An argument: a balanced `{…}` (without its braces) or one token.
    fn arg(&mut self, what: &str) -> Result<Vec<Tok<'a>>, String> {
        self.skip_spaces();
        match self.stack.pop() {
            Some(Tok::Open) => self.balanced(what),
            Some(Tok::Close) | None => Err(format!("`\\{what}` expects an argument")),
            Some(t) => Ok(vec![t]),
        }
    }

    /// The tokens up to the `}` closing a group whose `{` was just read.
    fn balanced(&mut self, what: &str) -> Result<Vec<Tok<'a>>, String> {
        let mut depth = 0usize;
        let mut toks = Vec::new();
        loop {
            let t = self
                .stack
                .pop()
                .ok_or_else(|| format!("the argument of `\\{what}` is never closed"))?;
            match t {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => return Ok(toks),
                Tok::Close => depth -= 1,
                _ => {}
            }
            toks.push(t);
        }
    }

    /// An optional `[…]` argument (brackets inside braces do not count).
    fn opt_arg(&mut self) -> Option<Vec<Tok<'a>>> {
        if self.peek_non_space() != Some(Tok::Char('[')) {
            return None;
        }
        let mut depth = 0usize;
        let mut end = None;
        for (i, t) in self.stack.iter().enumerate().rev() {
            match t {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                Tok::Char(']') if depth == 0 => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        self.skip_spaces();
        self.stack.pop(); // `[`
        let mut toks: Vec<Tok<'a>> = self.stack.drain(end + 1..).collect();
        toks.reverse();
        self.stack.pop(); // `]`
        Some(toks)
    }

    /// A `*` right after a command name, consumed if present.
    fn star(&mut self) -> bool {
        if self.stack.last() == Some(&Tok::Char('*')) {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    // ---- levels ----

    fn level(&mut self) -> &mut Level<'a> {
        let n = self.levels.len();
        &mut self.levels[n - 1]
    }

    fn open_level(&mut self, kind: Kind) {
        let start = self.out.len();
        self.levels.push(Level::new(kind, start));
    }

    /// Ends the current cell or row: an infix fraction in it becomes a prefix one.
    fn finish_segment(&mut self) {
        let level = self.level();
        let segment = level.segment;
        if let Some((infix, split)) = level.infix.take() {
            let denominator = self.out.split_off(split);
            let numerator = self.out.split_off(segment);
            self.out.push_str(infix.prefix());
            self.out.push_str(&numerator);
            self.out.push_str("}{");
            self.out.push_str(&denominator);
            self.out.push('}');
            self.after_word = false;
        }
    }

    /// Writes the pending `\tag` of the current row.
    fn flush_tag(&mut self) -> Result<(), String> {
        if let Some((toks, starred)) = self.level().tag.take() {
            self.emit("\\qquad ");
            if starred {
                self.text(&toks, TextStyle::Plain)?;
            } else {
                let mut t = Vec::with_capacity(toks.len() + 2);
                t.push(Tok::Char('('));
                t.extend(toks);
                t.push(Tok::Char(')'));
                self.text(&t, TextStyle::Plain)?;
            }
        }
        Ok(())
    }

    /// Closes the innermost level (its closing token is written by the caller).
    fn close_level(&mut self) -> Result<(), String> {
        self.finish_segment();
        self.flush_tag()?;
        let Some(level) = self.levels.pop() else {
            return Ok(());
        };
        if level.lines {
            self.out.insert_str(level.start, "\\begin{gathered}");
            self.emit("\\end{gathered}");
        }
        Ok(())
    }

    /// The level a `\tag` belongs to: the innermost environment, else the formula.
    fn tag_level(&mut self) -> &mut Level<'a> {
        let i = self
            .levels
            .iter()
            .rposition(|l| matches!(l.kind, Kind::Env { .. } | Kind::Top))
            .unwrap_or(0);
        &mut self.levels[i]
    }

    // ---- tokens ----

    fn token(&mut self, t: Tok<'a>) -> Result<(), String> {
        match t {
            Tok::Cs(name) => self.command(name),
            Tok::Open => {
                self.emit_char('{');
                self.open_level(Kind::Brace);
                Ok(())
            }
            Tok::Close => {
                if self.levels.len() == 1 {
                    return Err("unbalanced `}`: a group is closed that was never opened".into());
                }
                match self.levels.last().map(|l| &l.kind) {
                    Some(Kind::Env { name, .. }) => {
                        return Err(format!("`\\begin{{{name}}}` is never ended"));
                    }
                    Some(Kind::LeftRight) => return Err("`\\left` without `\\right`".into()),
                    _ => {}
                }
                self.close_level()?;
                self.emit_char('}');
                Ok(())
            }
            Tok::Space => {
                if !self.out.ends_with(' ') {
                    self.out.push(' ');
                }
                Ok(())
            }
            Tok::Char('&') if self.level().has_rows() => {
                self.finish_segment();
                self.emit_char('&');
                let len = self.out.len();
                self.level().segment = len;
                Ok(())
            }
            Tok::Char('~') => {
                self.emit("\\hspace{0.333em}");
                Ok(())
            }
            Tok::Param(n) => {
                self.emit_tokens(&[Tok::Param(n)]);
                Ok(())
            }
            Tok::Char(c) => {
                self.emit_char(c);
                Ok(())
            }
        }
    }

    fn command(&mut self, name: &'a str) -> Result<(), String> {
        if let Some(def) = self.lookup(name) {
            return self.expand(name, def);
        }
        match name {
            "over" => self.infix(Infix::Over),
            "choose" => self.infix(Infix::Choose),
            "atop" => self.infix(Infix::Atop),
            "brace" => self.infix(Infix::Brace),
            "brack" => self.infix(Infix::Brack),
            "above" => {
                // `\above <dimen>`: the rule thickness is dropped.
                self.skip_dimension();
                self.infix(Infix::Over)
            }
            "\\" | "newline" | "cr" => self.line_break(name),
            "tag" => {
                let starred = self.star();
                let toks = self.arg("tag")?;
                self.tag_level().tag = Some((toks, starred));
                Ok(())
            }
            "label" | "vspace" => {
                self.star();
                self.arg(name).map(drop)
            }
            "nonumber" | "notag" | "nobreak" | "allowbreak" | "nolimits" | "displaylimits"
            | "protect" | "hfill" | "hfil" | "tiny" | "scriptsize" | "footnotesize" | "small"
            | "normalsize" | "large" | "Large" | "LARGE" | "huge" | "Huge" => Ok(()),
            "eqref" | "ref" => {
                let toks = self.arg(name)?;
                let mut t = Vec::with_capacity(toks.len() + 2);
                if name == "eqref" {
                    t.push(Tok::Char('('));
                }
                t.extend(toks);
                if name == "eqref" {
                    t.push(Tok::Char(')'));
                }
                self.text(&t, TextStyle::Plain)
            }
            "newcommand" | "renewcommand" | "providecommand" => self.newcommand(name),
            "def" | "gdef" | "edef" | "xdef" => self.def(),
            "global" | "long" => Ok(()),
            "char" => self.char_code(),
            "let" => self.let_(),
            "begin" => self.begin(),
            "end" => self.end(),
            "left" => {
                self.emit_cs("left");
                self.delimiter()?;
                self.open_level(Kind::LeftRight);
                Ok(())
            }
            "right" => {
                if matches!(self.levels.last().map(|l| &l.kind), Some(Kind::LeftRight)) {
                    self.close_level()?;
                }
                self.emit_cs("right");
                self.delimiter()
            }
            "substack" => {
                self.emit_cs("substack");
                self.skip_spaces();
                if self.stack.last() == Some(&Tok::Open) {
                    self.stack.pop();
                    self.emit_char('{');
                    self.open_level(Kind::Rows);
                }
                Ok(())
            }
            "operatorname" => {
                let limits = self.star();
                let toks = self.arg(name)?;
                self.operator(&toks, limits)
            }
            "mathop" => {
                let toks = self.arg(name)?;
                match toks.as_slice() {
                    [Tok::Char(_)] | [Tok::Cs(_)] => {
                        self.emit_cs("mathop");
                        self.emit_char('{');
                        self.group_inner(toks)?;
                        self.emit_char('}');
                        Ok(())
                    }
                    _ if plain_name(&toks).is_some() => self.operator(&toks, self.display),
                    _ => self.group(toks),
                }
            }
            "mkern" | "mskip" => {
                let dim = if self.peek_non_space() == Some(Tok::Open) {
                    self.arg(name)?
                } else {
                    self.read_dimension_tokens()
                };
                self.space_from(&dim, name)
            }
            "mspace" => {
                let dim = self.arg(name)?;
                self.space_from(&dim, name)
            }
            "hspace" => {
                self.star();
                let dim = self.arg(name)?;
                self.emit("\\hspace{");
                self.emit_tokens(&dim);
                self.emit_char('}');
                Ok(())
            }
            " " | "nobreakspace" | "space" => {
                self.emit("\\hspace{0.333em}");
                Ok(())
            }
            "mathstrut" => self.splice_math(Splice::vphantom(), vec![Tok::Char('(')]),
            "strut" => self.splice_math(Splice::vphantom(), tokenize("\\rule{0pt}{1em}")),
            "ensuremath" | "vcenter" | "href" | "htmlClass" | "htmlId" | "htmlStyle"
            | "htmlData" => {
                if matches!(
                    name,
                    "href" | "htmlClass" | "htmlId" | "htmlStyle" | "htmlData"
                ) {
                    self.arg(name)?;
                }
                let toks = self.arg(name)?;
                self.group(toks)
            }
            "url" | "verb" => {
                let toks = self.arg(name)?;
                self.text(&toks, TextStyle::Mono)
            }
            "angl" | "phase" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::frame(name), toks)
            }
            "mathchoice" => {
                let d = self.arg(name)?;
                let t = self.arg(name)?;
                self.arg(name)?;
                self.arg(name)?;
                self.group(if self.display { d } else { t })
            }
            "Set" | "Braket" => self.set_like(name),
            "phantom" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::phantom(), toks)
            }
            "hphantom" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::hphantom(), toks)
            }
            "vphantom" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::vphantom(), toks)
            }
            "smash" => {
                let which = self.opt_arg().map(|t| tokens_to_string(&t));
                let toks = self.arg(name)?;
                self.splice_math(Splice::smash(which.as_deref().unwrap_or("tb")), toks)
            }
            "mathllap" | "mathrlap" | "mathclap" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::lap(&name[4..]), toks)
            }
            "llap" | "rlap" | "clap" => {
                let toks = self.arg(name)?;
                self.splice_text(Splice::lap(name), &toks)
            }
            "boxed" => {
                let mut toks = self.arg(name)?;
                toks.insert(0, Tok::Cs("displaystyle"));
                toks.insert(1, Tok::Space);
                self.splice_math(Splice::boxed(), toks)
            }
            "fbox" => {
                let toks = self.arg(name)?;
                self.splice_text(Splice::boxed(), &toks)
            }
            "cancel" | "bcancel" | "xcancel" | "sout" => {
                let toks = self.arg(name)?;
                self.splice_math(Splice::cancel(name), toks)
            }
            "rule" => {
                let raise = self.opt_arg();
                let w = self.arg(name)?;
                let h = self.arg(name)?;
                let rule = Splice::rule(
                    &tokens_to_string(&w),
                    &tokens_to_string(&h),
                    raise.as_deref().map(tokens_to_string).as_deref(),
                )?;
                self.splice_empty(rule)
            }
            "raisebox" => {
                let lift = self.arg(name)?;
                let toks = self.arg(name)?;
                self.splice_text(Splice::raise(&tokens_to_string(&lift))?, &toks)
            }
            _ if TextStyle::of(name).is_some() && !TextStyle::is_declaration(name) => {
                let style = TextStyle::of(name).unwrap_or(TextStyle::Plain);
                let toks = self.arg(name)?;
                self.text(&toks, style)
            }
            "'" | "`" | "\"" | "^" | "~" | "=" | "." => self.math_accent(name),
            _ => {
                self.emit_cs(name);
                Ok(())
            }
        }
    }

    /// The definition of a macro: formula-local, then the author's, then built-in.
    fn lookup(&mut self, name: &'a str) -> Option<Def<'a>> {
        if let Some(d) = self.local.get(name) {
            return Some(d.clone());
        }
        if let Some(body) = self.user.get(name) {
            let def = self
                .user_defs
                .entry(name)
                .or_insert_with(|| Def::from_body(tokenize(body)));
            return Some(def.clone());
        }
        macros::builtin(name).cloned()
    }

    fn expand(&mut self, name: &str, def: Def<'a>) -> Result<(), String> {
        let mut args: Vec<Vec<Tok<'a>>> = Vec::with_capacity(usize::from(def.params));
        for i in 0..def.params {
            if let (0, Some(default)) = (i, &def.default) {
                args.push(self.opt_arg().unwrap_or_else(|| default.clone()));
                continue;
            }
            args.push(self.arg(name)?);
        }
        let mut produced = 0usize;
        for t in def.body.iter().rev() {
            match t {
                Tok::Param(n) => {
                    let arg = args.get(usize::from(*n).wrapping_sub(1)).ok_or_else(|| {
                        format!("`\\{name}` uses #{n} but takes {} arguments", def.params)
                    })?;
                    produced += arg.len();
                    self.stack.extend(arg.iter().rev());
                }
                t => {
                    produced += 1;
                    self.stack.push(*t);
                }
            }
        }
        self.expanded += produced + 1;
        if self.expanded > MAX_EXPANSION {
            return Err(format!(
                "macro expansion too large (does `\\{name}` call itself?)"
            ));
        }
        Ok(())
    }

    fn infix(&mut self, infix: Infix) -> Result<(), String> {
        let split = self.out.len();
        let level = self.level();
        if level.infix.is_some() {
            return Err("two infix fractions (`\\over`, `\\choose` …) in one group".into());
        }
        level.infix = Some((infix, split));
        self.after_word = false;
        Ok(())
    }

    fn line_break(&mut self, name: &str) -> Result<(), String> {
        self.finish_segment();
        if self.level().has_rows() {
            self.flush_tag()?;
        } else {
            self.level().lines = true;
        }
        self.emit("\\\\");
        if name == "\\" {
            self.star();
            // `\\[2pt]`: keep the spacing only where pulldown-latex accepts it.
            if let Some(dim) = self.opt_arg()
                && self.level().has_rows()
            {
                self.emit_char('[');
                self.emit_tokens(&dim);
                self.emit_char(']');
            }
        }
        let len = self.out.len();
        self.level().segment = len;
        Ok(())
    }

    /// The delimiter after `\left`, `\right`.
    fn delimiter(&mut self) -> Result<(), String> {
        self.skip_spaces();
        match self.stack.pop() {
            Some(Tok::Cs(name)) => {
                self.emit_cs(name);
                Ok(())
            }
            Some(Tok::Char(c)) => {
                self.emit_char(c);
                Ok(())
            }
            _ => Err("`\\left`/`\\right` expects a delimiter".into()),
        }
    }

    fn newcommand(&mut self, which: &str) -> Result<(), String> {
        self.star();
        let name_toks = self.arg(which)?;
        let name = match name_toks.as_slice() {
            [Tok::Cs(n)] => *n,
            _ => return Err(format!("`\\{which}` expects a command name like `\\foo`")),
        };
        let count = match self.opt_arg() {
            Some(t) => tokens_to_string(&t)
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= 9)
                .ok_or_else(|| format!("`\\{which}`: the argument count must be 0 to 9"))?,
            None => 0,
        };
        let default = if count > 0 { self.opt_arg() } else { None };
        let body = self.arg(which)?;
        if which == "providecommand" && self.lookup(name).is_some() {
            return Ok(());
        }
        self.local.insert(
            name,
            Def {
                params: count,
                default,
                body,
            },
        );
        Ok(())
    }

    fn def(&mut self) -> Result<(), String> {
        self.skip_spaces();
        let Some(Tok::Cs(name)) = self.stack.pop() else {
            return Err("`\\def` expects a command name".into());
        };
        let mut params = 0u8;
        while let Some(t) = self.stack.last().copied() {
            match t {
                Tok::Param(n) if n == params + 1 => {
                    params = n;
                    self.stack.pop();
                }
                Tok::Open => break,
                _ => {
                    return Err(format!(
                        "`\\def\\{name}`: only plain parameters `#1#2…` are supported"
                    ));
                }
            }
        }
        self.stack.pop();
        let body = self.balanced("def")?;
        self.local.insert(
            name,
            Def {
                params,
                default: None,
                body,
            },
        );
        Ok(())
    }

    fn let_(&mut self) -> Result<(), String> {
        self.skip_spaces();
        let Some(Tok::Cs(name)) = self.stack.pop() else {
            return Err("`\\let` expects a command name".into());
        };
        self.skip_spaces();
        if self.stack.last() == Some(&Tok::Char('=')) {
            self.stack.pop();
            self.skip_spaces();
        }
        let target = self
            .stack
            .pop()
            .ok_or_else(|| "`\\let` expects a second token".to_string())?;
        let def = match target {
            Tok::Cs(t) => self.lookup(t).unwrap_or(Def {
                params: 0,
                default: None,
                body: vec![target],
            }),
            t => Def {
                params: 0,
                default: None,
                body: vec![t],
            },
        };
        self.local.insert(name, def);
        Ok(())
    }

    fn begin(&mut self) -> Result<(), String> {
        let name = tokens_to_string(&self.arg("begin")?);
        let (open, end): (Option<&str>, &'static str) = match name.as_str() {
            "eqnarray" | "eqnarray*" => (Some("\\begin{array}{rcl}"), "\\end{array}"),
            "multline*" => (Some("\\begin{multline}"), "\\end{multline}"),
            "flalign" => (Some("\\begin{align}"), "\\end{align}"),
            "flalign*" => (Some("\\begin{align*}"), "\\end{align*}"),
            "subequations" | "math" | "displaymath" => (None, ""),
            _ => {
                self.emit("\\begin{");
                self.emit(&name);
                self.emit_char('}');
                self.open_level(Kind::Env { name, end: "" });
                return Ok(());
            }
        };
        if let Some(open) = open {
            self.emit(open);
        }
        self.open_level(Kind::Env { name, end });
        Ok(())
    }

    fn end(&mut self) -> Result<(), String> {
        let name = tokens_to_string(&self.arg("end")?);
        let end = match self.levels.last().map(|l| &l.kind) {
            Some(Kind::Env { name: open, end }) if *open == name => *end,
            Some(Kind::Env { name: open, .. }) => {
                return Err(format!("`\\begin{{{open}}}` is ended by `\\end{{{name}}}`"));
            }
            _ => return Err(format!("`\\end{{{name}}}` without `\\begin{{{name}}}`")),
        };
        self.close_level()?;
        let is_native = matches!(
            name.as_str(),
            "eqnarray" | "eqnarray*" | "multline*" | "flalign" | "flalign*"
        );
        if is_native || !end.is_empty() {
            self.emit(end);
        } else if !matches!(name.as_str(), "subequations" | "math" | "displaymath") {
            self.emit("\\end{");
            self.emit(&name);
            self.emit_char('}');
        }
        Ok(())
    }

    /// `\operatorname{name}` written so that pulldown-latex shows `name` (it takes the argument
    /// verbatim); `limits`: scripts go above and below.
    fn operator(&mut self, toks: &[Tok<'a>], limits: bool) -> Result<(), String> {
        match plain_name(toks) {
            Some(name) => {
                self.emit("\\operatorname{");
                self.out.push_str(&name);
                self.emit_char('}');
            }
            None => {
                self.emit("\\mathrm");
                self.group(toks.to_vec())?;
                return Ok(());
            }
        }
        if limits && matches!(self.peek_non_space(), Some(Tok::Char('_' | '^'))) {
            self.emit_cs("limits");
        }
        Ok(())
    }

    /// Math group content without the braces (for `\mathop{…}`).
    fn group_inner(&mut self, toks: Vec<Tok<'a>>) -> Result<(), String> {
        let saved = std::mem::take(&mut self.stack);
        self.stack = toks.into_iter().rev().collect();
        let result = self.run();
        self.stack = saved;
        result
    }

    /// `\mkern3mu`-style spacing (pulldown-latex writes `mu` into the MathML): converted to em.
    fn space_from(&mut self, dim: &[Tok<'_>], name: &str) -> Result<(), String> {
        let text = tokens_to_string(dim);
        let text = text.trim();
        let (number, unit) = split_dimension(text)
            .ok_or_else(|| format!("`\\{name}` expects a dimension, found `{text}`"))?;
        let em = match unit {
            "mu" => number / 18.0,
            "em" => number,
            "ex" => number * 0.43,
            "pt" => number / 10.0,
            _ => return Err(format!("`\\{name}`: unsupported unit `{unit}`")),
        };
        self.emit(&format!("\\hspace{{{em:.4}em}}"));
        Ok(())
    }

    /// Reads a dimension written without braces (`\mkern 3mu`).
    fn read_dimension_tokens(&mut self) -> Vec<Tok<'a>> {
        self.skip_spaces();
        let mut toks = Vec::new();
        while let Some(Tok::Char(c)) = self.stack.last().copied() {
            if c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+') {
                toks.push(Tok::Char(c));
                self.stack.pop();
            } else {
                break;
            }
        }
        self.skip_spaces();
        for _ in 0..2 {
            match self.stack.last().copied() {
                Some(Tok::Char(c)) if c.is_ascii_alphabetic() => {
                    toks.push(Tok::Char(c));
                    self.stack.pop();
                }
                _ => break,
            }
        }
        toks
    }

    /// `\\char"263A`, `\\char'101`, `\\char65`: the character, for any code point
    /// (pulldown-latex takes only 0–255).
    fn char_code(&mut self) -> Result<(), String> {
        self.skip_spaces();
        let radix = match self.stack.last() {
            Some(Tok::Char('"')) => 16,
            Some(Tok::Char('\'')) => 8,
            _ => 10,
        };
        if radix != 10 {
            self.stack.pop();
        }
        let mut digits = String::new();
        while let Some(Tok::Char(c)) = self.stack.last().copied() {
            if c.is_digit(radix) {
                digits.push(c);
                self.stack.pop();
            } else {
                break;
            }
        }
        let c = u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
            .filter(|c| !c.is_control() && !splice::is_marker(*c))
            .ok_or_else(|| "`\\char` expects a character code".to_string())?;
        match c {
            '{' | '}' | '%' | '#' | '&' | '$' | '_' => {
                self.out.push('\\');
                self.out.push(c);
                self.after_word = false;
            }
            '\\' => self.emit("\\backslash "),
            '^' | '~' => {
                self.emit("\\text{");
                self.out.push(c);
                self.emit_char('}');
            }
            c => self.emit_char(c),
        }
        Ok(())
    }

    fn skip_dimension(&mut self) {
        self.read_dimension_tokens();
    }

    /// `\Set{x | x > 0}` and `\Braket{φ | ψ}`: stretchy delimiters, `|` as `\middle|`.
    fn set_like(&mut self, name: &str) -> Result<(), String> {
        let toks = self.arg(name)?;
        let (open, close, all) = if name == "Set" {
            ("\\left\\{\\,", "\\,\\right\\}", false)
        } else {
            ("\\left\\langle ", "\\right\\rangle ", true)
        };
        let mut body = tokenize(open);
        let mut depth = 0usize;
        let mut replaced = false;
        for t in toks {
            match t {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                Tok::Char('|') | Tok::Cs("mid" | "vert") if depth == 0 && (all || !replaced) => {
                    body.extend([
                        Tok::Cs(";"),
                        Tok::Cs("middle"),
                        Tok::Cs("vert"),
                        Tok::Cs(";"),
                    ]);
                    replaced = true;
                    continue;
                }
                _ => {}
            }
            body.push(t);
        }
        body.extend(tokenize(close));
        self.group(body)
    }

    /// `\'e` in math: the accented letter, or the math accent over anything else.
    fn math_accent(&mut self, name: &str) -> Result<(), String> {
        let toks = self.arg(name)?;
        let base = match toks.as_slice() {
            [Tok::Char(c)] if c.is_alphabetic() => Some(*c),
            [Tok::Cs("i" | "imath")] => Some('ı'),
            _ => None,
        };
        match (base, accents::combining_mark(name)) {
            (Some(b), Some(mark)) => {
                for c in accents::apply(b, mark).chars() {
                    self.emit_char(c);
                }
                Ok(())
            }
            _ => {
                let accent = match name {
                    "'" => "acute",
                    "`" => "grave",
                    "\"" => "ddot",
                    "^" => "hat",
                    "~" => "tilde",
                    "=" => "bar",
                    _ => "dot",
                };
                self.emit_cs(accent);
                self.group(toks)
            }
        }
    }

    // ---- splices ----

    fn next_splice(&mut self, splice: Splice) -> Result<usize, String> {
        if !self.splicing {
            return Err(
                "private-use characters in the formula: boxes, phantoms and rules are unavailable"
                    .into(),
            );
        }
        if self.splices.len() >= splice::MAX_SPLICES {
            return Err("too many boxes, phantoms and rules in one formula".into());
        }
        self.splices.push(splice);
        Ok(self.splices.len() - 1)
    }

    /// `{⟨open⟩{content}⟨close⟩}`, content in math mode.
    fn splice_math(&mut self, splice: Splice, toks: Vec<Tok<'a>>) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.group(toks)?;
        self.emit_char(splice::marker(i, true));
        self.emit_char('}');
        Ok(())
    }

    /// `{⟨open⟩{\text{content}}⟨close⟩}`.
    fn splice_text(&mut self, splice: Splice, toks: &[Tok<'a>]) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.emit_char('{');
        self.text(toks, TextStyle::Plain)?;
        self.emit_char('}');
        self.emit_char(splice::marker(i, true));
        self.emit_char('}');
        Ok(())
    }

    /// `{⟨element⟩}` with nothing inside.
    fn splice_empty(&mut self, splice: Splice) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.emit_char('}');
        Ok(())
    }

    // ---- text mode ----

    /// Text-mode tokens (the argument of `\text{}` …) as `\text{}` runs and math.
    fn text(&mut self, toks: &[Tok<'a>], style: TextStyle) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("the formula is nested too deeply".to_string());
        }
        let mut w = TextRun {
            run: String::new(),
            style,
        };
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            i += 1;
            match t {
                Tok::Char('$') => {
                    let end = toks[i..]
                        .iter()
                        .position(|t| *t == Tok::Char('$'))
                        .map(|n| i + n)
                        .ok_or_else(|| "unclosed `$` inside text".to_string())?;
                    self.flush_text(&mut w);
                    self.group(toks[i..end].to_vec())?;
                    i = end + 1;
                }
                Tok::Cs("(") => {
                    let end = toks[i..]
                        .iter()
                        .position(|t| *t == Tok::Cs(")"))
                        .map(|n| i + n)
                        .ok_or_else(|| "unclosed `\\(` inside text".to_string())?;
                    self.flush_text(&mut w);
                    self.group(toks[i..end].to_vec())?;
                    i = end + 1;
                }
                Tok::Char('`') if toks.get(i) == Some(&Tok::Char('`')) => {
                    w.run.push('“');
                    i += 1;
                }
                Tok::Char('\'') if toks.get(i) == Some(&Tok::Char('\'')) => {
                    w.run.push('”');
                    i += 1;
                }
                Tok::Char('`') => w.run.push('‘'),
                Tok::Char('\'') => w.run.push('’'),
                Tok::Char('-') if toks.get(i) == Some(&Tok::Char('-')) => {
                    if toks.get(i + 1) == Some(&Tok::Char('-')) {
                        w.run.push('—');
                        i += 2;
                    } else {
                        w.run.push('–');
                        i += 1;
                    }
                }
                Tok::Char('~') => w.run.push('\u{a0}'),
                Tok::Char(c) => w.run.push(c),
                Tok::Space => w.run.push(' '),
                Tok::Param(n) => {
                    w.run.push('#');
                    w.run.push(char::from(b'0' + n));
                }
                Tok::Open => {
                    let end = matching_close(toks, i).ok_or("unbalanced `{` inside text")?;
                    self.flush_text(&mut w);
                    self.text(&toks[i..end], w.style)?;
                    i = end + 1;
                }
                Tok::Close => return Err("unbalanced `}` inside text".into()),
                Tok::Cs(name) => {
                    i = self.text_command(toks, i, name, &mut w)?;
                }
            }
        }
        self.flush_text(&mut w);
        self.depth -= 1;
        Ok(())
    }

    /// A command inside text; `i` is the index after it. Returns the index to go on from.
    fn text_command(
        &mut self,
        toks: &[Tok<'a>],
        mut i: usize,
        name: &'a str,
        w: &mut TextRun,
    ) -> Result<usize, String> {
        match name {
            "%" | "&" | "#" | "_" | "$" => w.run.push_str(name),
            "{" | "}" => w.run.push_str(name),
            " " => w.run.push(' '),
            "," | ":" | ";" | ">" | "thinspace" => w.run.push('\u{2009}'),
            "!" | "/" | "-" | "@" | "\\" | "newline" | "par" | "relax" => {
                if matches!(name, "\\" | "newline" | "par") {
                    w.run.push(' ');
                }
            }
            "quad" => w.run.push('\u{2003}'),
            "qquad" => w.run.push_str("\u{2003}\u{2003}"),
            _ if TextStyle::is_declaration(name) => {
                self.flush_text(w);
                w.style = TextStyle::of(name).unwrap_or(w.style);
            }
            _ if TextStyle::of(name).is_some() || name == "textsc" => {
                let (arg, next) =
                    text_arg(toks, i).ok_or_else(|| format!("`\\{name}` expects an argument"))?;
                self.flush_text(w);
                self.text(arg, TextStyle::of(name).unwrap_or(TextStyle::Plain))?;
                i = next;
            }
            "url" | "href" => {
                let (arg, next) =
                    text_arg(toks, i).ok_or_else(|| format!("`\\{name}` expects an argument"))?;
                i = next;
                if name == "href" {
                    let (text, next) = text_arg(toks, i)
                        .ok_or_else(|| "`\\href` expects two arguments".to_string())?;
                    self.flush_text(w);
                    self.text(text, w.style)?;
                    return Ok(next);
                }
                self.flush_text(w);
                self.text(arg, TextStyle::Mono)?;
            }
            "textsuperscript" | "textsubscript" => {
                let (arg, next) =
                    text_arg(toks, i).ok_or_else(|| format!("`\\{name}` expects an argument"))?;
                self.flush_text(w);
                self.emit(if name == "textsuperscript" {
                    "{}^{"
                } else {
                    "{}_{"
                });
                self.text(arg, w.style)?;
                self.emit_char('}');
                i = next;
            }
            _ => {
                let mark = accents::combining_mark(name)
                    .or_else(|| (name == "textcircled").then_some('\u{20DD}'));
                if let Some(mark) = mark {
                    let (base, next) = accent_base(toks, i)
                        .ok_or_else(|| format!("accent `\\{name}` without a letter"))?;
                    w.run.push_str(&accents::apply(base, mark));
                    return Ok(next);
                }
                if let Some(s) = text_symbol(name).or_else(|| more_text_symbol(name)) {
                    w.run.push_str(s);
                    if toks.get(i) == Some(&Tok::Open) && toks.get(i + 1) == Some(&Tok::Close) {
                        i += 2;
                    }
                } else {
                    return Err(format!("unknown command `\\{name}` in text"));
                }
            }
        }
        Ok(i)
    }

    /// Writes the pending text run: `\text{…}` pieces, with the characters pulldown-latex cannot
    /// take inside `\text{}` (`%`, braces, backslash) written as math symbols.
    fn flush_text(&mut self, w: &mut TextRun) {
        if w.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut w.run);
        for piece in run.split_inclusive(['%', '{', '}', '\\']) {
            let (text, special) = match piece.char_indices().last() {
                Some((n, c @ ('%' | '{' | '}' | '\\'))) => (&piece[..n], Some(c)),
                _ => (piece, None),
            };
            if !text.is_empty() {
                self.emit(w.style.command());
                self.out.push_str(text);
                self.emit_char('}');
            }
            match special {
                Some('%') => self.emit("\\%"),
                Some('{') => self.emit("\\{"),
                Some('}') => self.emit("\\}"),
                Some(_) => self.emit("\\backslash "),
                None => {}
            }
        }
    }
}

/// Text symbols KaTeX knows beyond those of [`text_symbol`].
fn more_text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "textunderscore" => "_",
        "textbardbl" => "‖",
        "textbraceleft" => "{",
        "textbraceright" => "}",
        "textdollar" => "$",
        "sect" => "§",
        "textasciigrave" => "`",
        "textquotesingle" => "'",
        "KaTeX" => "KaTeX",
        _ => return None,
    })
}

/// Text waiting to be written, and its style.
struct TextRun {
    run: String,
    style: TextStyle,
}

/// The index of the `}` closing a group whose content starts at `start`.
fn matching_close(toks: &[Tok<'_>], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(start) {
        match t {
            Tok::Open => depth += 1,
            Tok::Close if depth == 0 => return Some(i),
            Tok::Close => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The argument at `i` in text (spaces skipped): a group's content or one token; and the index
/// after it.
fn text_arg<'t, 'a>(toks: &'t [Tok<'a>], mut i: usize) -> Option<(&'t [Tok<'a>], usize)> {
    while toks.get(i) == Some(&Tok::Space) {
        i += 1;
    }
    match toks.get(i)? {
        Tok::Open => {
            let end = matching_close(toks, i + 1)?;
            Some((&toks[i + 1..end], end + 1))
        }
        Tok::Close => None,
        _ => Some((&toks[i..=i], i + 1)),
    }
}

/// The letter an accent applies to: `e`, `{e}`, `\i`, `{\i}`; and the index after it.
fn accent_base(toks: &[Tok<'_>], i: usize) -> Option<(char, usize)> {
    let (arg, next) = text_arg(toks, i)?;
    let base = match arg {
        [Tok::Char(c)] if c.is_alphabetic() => *c,
        [Tok::Cs("i")] => 'ı',
        [Tok::Cs("j")] => 'ȷ',
        _ => return None,
    };
    Some((base, next))
}

/// The text of an operator name (`arg\,max`, `\mathrm{Tr}`) if it is plain: letters, digits,
/// spaces and harmless punctuation, nothing markup-like.
fn plain_name(toks: &[Tok<'_>]) -> Option<String> {
    let mut name = String::new();
    let mut i = 0;
    while i < toks.len() {
        match toks[i] {
            Tok::Char(c) if c.is_alphanumeric() || matches!(c, '-' | '\'' | '.' | '*' | '/') => {
                name.push(c)
            }
            Tok::Space => {}
            Tok::Cs("," | ":" | ";" | " " | "thinspace") => name.push('\u{2009}'),
            Tok::Cs("!" | "relax") => {}
            Tok::Cs("mathrm" | "rm" | "text" | "textrm" | "operatorname" | "mathit")
            | Tok::Open
            | Tok::Close => {}
            _ => return None,
        }
        i += 1;
    }
    (!name.is_empty()).then_some(name)
}

/// Tokens back to TeX source (for names, dimensions and tags).
fn tokens_to_string(toks: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        match *t {
            Tok::Cs(name) => {
                s.push('\\');
                s.push_str(name);
                if name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && matches!(toks.get(i + 1), Some(Tok::Char(c)) if c.is_ascii_alphabetic())
                {
                    s.push(' ');
                }
            }
            Tok::Open => s.push('{'),
            Tok::Close => s.push('}'),
            Tok::Space => s.push(' '),
            Tok::Param(n) => {
                s.push('#');
                s.push(char::from(b'0' + n));
            }
            Tok::Char(c) => s.push(c),
        }
    }
    s
}

fn ends_with_control_word(s: &str) -> bool {
    let trimmed = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    trimmed.len() < s.len() && trimmed.ends_with('\\') && !trimmed.ends_with("\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(tex: &str) -> String {
        let m = Macros::default();
        rewrite(tex, false, &m)
            .map(|r| r.tex.into_owned())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn plain_formulas_pass_through_without_allocating() {
        let m = Macros::default();
        for tex in [
            r"O(n^2)",
            r"\mathbb{R}^d \times \frac{a}{b}",
            r"\begin{align}a&=b\\c&=d\end{align}",
        ] {
            let r = rewrite(tex, false, &m).unwrap();
            assert!(
                matches!(r.tex, Cow::Borrowed(_)) || tex.contains("begin"),
                "{tex}"
            );
        }
        assert!(matches!(
            rewrite("x_1", false, &m).unwrap().tex,
            Cow::Borrowed("x_1")
        ));
    }

    #[test]
    fn rewrites() {
        assert_eq!(rw(r"{a \over b}"), r"{\frac{a }{b}}");
        assert_eq!(rw(r"\R^n"), r"\mathbb{R}^n");
        assert_eq!(rw(r"\bm{x}"), r"\boldsymbol{x}");
        assert_eq!(rw(r"\newcommand{\f}{x^2} \f"), " x^2");
        assert_eq!(rw(r"\def\g#1{#1+1}\g{y}"), "y+1");
        assert_eq!(rw(r"a \\ b"), r"\begin{gathered}a \\ b\end{gathered}");
        assert_eq!(
            rw(r"\text{50\% \emph{x}}"),
            r"\text{50}\%\text{ }\textit{x}"
        );
        assert_eq!(rw(r"\'e"), "é");
        assert_eq!(rw(r"x \label{a}\tag{3}"), r"x \qquad \text{(3)}");
        assert_eq!(
            rw(r"\operatorname*{arg\,max}_x"),
            "\\operatorname{arg\u{2009}max}\\limits_x"
        );
        assert_eq!(rw(r"\mkern18mu"), r"\hspace{1.0000em}");
    }

    #[test]
    fn user_macros_win_and_recursion_is_an_error() {
        let mut t = std::collections::BTreeMap::new();
        t.insert("R".to_string(), r"\mathcal{R}".to_string());
        t.insert("loop".to_string(), r"\loop".to_string());
        let m = Macros::new(&t);
        assert_eq!(rewrite(r"\R", false, &m).unwrap().tex, r"\mathcal{R}");
        assert!(rewrite(r"\loop", false, &m).is_err());
    }

    #[test]
    fn no_input_panics() {
        const PIECES: &[&str] = &[
            "\\",
            "{",
            "}",
            "$",
            "&",
            "#1",
            "%",
            "~",
            "^",
            "_",
            "\\over",
            "\\\\",
            "\\text{",
            "\\begin{align}",
            "\\end{align}",
            "\\left(",
            "\\right",
            "\\tag{",
            "\\rule{1em}",
            "\\phantom{",
            "\\'",
            "\\verb!",
            "\\char\"",
            "\\newcommand{\\a}[2]",
            "\\def\\b#1",
            "\\a",
            "\\b",
            "é",
            "\u{E000}",
            "\\mathllap{",
            "\\boxed",
            "\\operatorname*{",
            "\\Set{",
            "|",
            "x",
            " ",
            "\\mkern",
            "mu",
            "[",
            "]",
            "\\cancel",
            "\\raisebox{",
        ];
        let m = Macros::default();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            let mut tex = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 9) as usize;
            for k in 0..n {
                let i = ((seed >> (k * 5)) % PIECES.len() as u64) as usize;
                tex.push_str(PIECES[i]);
            }
            let _ = rewrite(&tex, seed.is_multiple_of(2), &m);
            let mut out = String::new();
            let _ = super::super::math_to_mathml(&tex, false, &mut out);
        }
    }
}
