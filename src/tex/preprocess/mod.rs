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
//!
//! This module reads the tokens and dispatches each command to its family: [`defs`] (macros),
//! [`fractions`] (infix fractions), [`rows`] (environments, line breaks, `\left…\right`),
//! [`styles`] (TeX's math styles and the placement of limits), [`tags`] (tags, equation
//! numbers, labels, references), [`boxes`] (boxes, phantoms, rules, spacing, sizes, undefined
//! marks), [`colours`], [`matrices`] (plain-TeX matrices, `CD`), [`operators`] (operator names,
//! sets, accents, `\dots`) and [`text`] (text inside formulas); [`level`] holds the nesting
//! levels they share and [`read`] the token reading and writing.

mod boxes;
mod colours;
mod defs;
mod fractions;
mod level;
mod matrices;
mod operators;
mod read;
mod rows;
mod styles;
mod tags;
mod text;

use std::borrow::Cow;
use std::collections::HashMap;

use super::known;
use super::macros::{self, Def, Macros, Tok, tokenize};
use super::splice::{self, Splice};
use level::{Kind, Level};
pub(crate) use tags::{Label, Numbering};

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
    /// The undefined control sequences shown as marks, once per use, in order.
    pub undefined: Vec<String>,
    /// The number the next numbered equation after this formula gets.
    pub next: u32,
    /// The labels this formula defines.
    pub labels: Vec<Label>,
    /// Whether the formula has a tag (shown flush right).
    pub tagged: bool,
}

/// Rewrites `tex` (the body of a formula) for pulldown-latex. The control sequences named in
/// `undefined` (which pulldown-latex does not know) are shown as marks: their name, styled
/// as undefined, as MathJax's `noundefined` does. Numbered equations are numbered from
/// `numbering`.
pub(crate) fn rewrite<'a>(
    tex: &'a str,
    display: bool,
    macros: &'a Macros,
    undefined: &[&str],
    numbering: Numbering<'a>,
) -> Result<Rewritten<'a>, String> {
    if undefined.is_empty() && !needs_rewrite(tex, display, macros) {
        return Ok(Rewritten {
            tex: Cow::Borrowed(tex),
            splices: Vec::new(),
            undefined: Vec::new(),
            next: numbering.next,
            labels: Vec::new(),
            tagged: false,
        });
    }
    let mut e = Engine {
        stack: Vec::new(),
        user: macros,
        user_defs: HashMap::new(),
        local: HashMap::new(),
        out: String::with_capacity(tex.len() + tex.len() / 2 + 16),
        after_word: false,
        levels: vec![Level::top(display)],
        splices: Vec::new(),
        splicing: !tex.chars().any(splice::is_marker),
        expanded: 0,
        depth: 0,
        display,
        undefined: undefined.iter().map(|s| s.to_string()).collect(),
        marked: Vec::new(),
        numbering,
        labels: Vec::new(),
        tagged: false,
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
        undefined: e.marked,
        next: e.numbering.next,
        labels: e.labels,
        tagged: e.tagged,
    })
}

/// Commands the rewriter handles itself (besides macros and colours).
fn handled(name: &str) -> bool {
    colours::is_colour_command(name)
        || matches!(
            name,
            "Braket"
                | "displaystyle"
                | "dots"
                | "overline"
                | "underline"
                | "widecheck"
                | "widehat"
                | "widetilde"
                | "scriptscriptstyle"
                | "scriptstyle"
                | "textstyle"
                | "Huge"
                | "LARGE"
                | "Large"
                | "Set"
                | "above"
                | "allowbreak"
                | "angl"
                | "atop"
                | "bcancel"
                | "begin"
                | "bordermatrix"
                | "boxed"
                | "brace"
                | "brack"
                | "cancel"
                | "cancelto"
                | "char"
                | "choose"
                | "clap"
                | "cr"
                | "ddddot"
                | "dddot"
                | "def"
                | "displaylimits"
                | "displaylines"
                | "edef"
                | "emph"
                | "end"
                | "ensuremath"
                | "eqref"
                | "fbox"
                | "footnotesize"
                | "gdef"
                | "global"
                | "hbox"
                | "hfil"
                | "hfill"
                | "hphantom"
                | "href"
                | "hspace"
                | "htmlClass"
                | "htmlData"
                | "htmlId"
                | "htmlStyle"
                | "huge"
                | "label"
                | "large"
                | "let"
                | "llap"
                | "long"
                | "mathchoice"
                | "mathclap"
                | "mathllap"
                | "mathop"
                | "mathrlap"
                | "mathstrut"
                | "matrix"
                | "mbox"
                | "mkern"
                | "mleft"
                | "mright"
                | "mskip"
                | "mspace"
                | "newcommand"
                | "newline"
                | "nobreak"
                | "nobreakspace"
                | "nolimits"
                | "nonumber"
                | "normalsize"
                | "notag"
                | "operatorname"
                | "over"
                | "phantom"
                | "phase"
                | "pmatrix"
                | "protect"
                | "providecommand"
                | "raisebox"
                | "ref"
                | "renewcommand"
                | "rlap"
                | "rule"
                | "scriptsize"
                | "small"
                | "smash"
                | "sout"
                | "space"
                | "strut"
                | "tag"
                | "text"
                | "textbf"
                | "textit"
                | "textmd"
                | "textnormal"
                | "textrm"
                | "textsc"
                | "textsf"
                | "textsl"
                | "texttt"
                | "textup"
                | "tiny"
                | "url"
                | "vcenter"
                | "verb"
                | "vphantom"
                | "vspace"
                | "xcancel"
                | "xdef"
        )
}

/// Whether `tex` uses anything the rewriter changes; a cheap scan, no allocation. Display
/// formulas with scripts are rewritten for the placement of limits ([`styles`]).
fn needs_rewrite(tex: &str, display: bool, macros: &Macros) -> bool {
    if display && tex.contains(['_', '^']) {
        return true;
    }
    let bytes = tex.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'~' | b'%' => return true,
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
                    if handled(name)
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
    /// Control sequences to show as undefined marks.
    undefined: Vec<String>,
    /// The undefined control sequences marked so far, once per use.
    marked: Vec<String>,
    /// Equation numbers, carried on to the next formula.
    numbering: Numbering<'a>,
    /// Labels defined so far.
    labels: Vec<Label>,
    /// A tag was written.
    tagged: bool,
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
                self.finish_segment()?;
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
                self.consume_pending();
                self.emit_char(c);
                if matches!(c, '^' | '_') {
                    self.note_arguments(if c == '^' { "^" } else { "_" });
                }
                Ok(())
            }
        }
    }

    /// A control sequence: a macro is expanded; a command this layer rewrites is rewritten by
    /// its family; anything else is passed on to pulldown-latex.
    fn command(&mut self, name: &'a str) -> Result<(), String> {
        if let Some(def) = self.lookup(name) {
            return self.expand(name, def);
        }
        self.consume_pending();
        let handled = self
            .fraction_command(name)
            .or_else(|| self.style_command(name))
            .or_else(|| self.row_command(name))
            .or_else(|| self.tag_command(name))
            .or_else(|| self.def_command(name))
            .or_else(|| self.box_command(name))
            .or_else(|| self.colour_command(name))
            .or_else(|| self.matrix_command(name))
            .or_else(|| self.operator_command(name))
            .or_else(|| self.text_mode_command(name));
        handled.unwrap_or_else(|| {
            if self.undefined.iter().any(|u| u == name) {
                return self.undefined_mark(name);
            }
            if !self.limits(name) {
                self.note_arguments(name);
                self.emit_cs(name);
                // An accent with nothing after it (KaTeX accepts `\bar` at the end): an
                // empty argument.
                if matches!(self.peek_non_space(), None | Some(Tok::Close))
                    && known::classify(name) == known::Known::Command
                {
                    self.emit("{}");
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
