//! Operators and math-mode constructs: `\operatorname(*)`, `\mathop`, `\Set`, `\Braket`,
//! accents in math (`\'e`), `\mathchoice`, and the commands whose content is kept without
//! their link or attribute (`\href`, `\htmlClass` …, `\ensuremath`, `\vcenter`).

use super::Engine;
use crate::tex::accents;
use crate::tex::known::{Known, classify};
use crate::tex::macros::{Tok, tokenize};
use crate::tex::splice::Splice;

impl<'a> Engine<'a> {
    /// Operators, sets, math accents and content-only wrappers.
    pub(super) fn operator_command(&mut self, name: &'a str) -> Option<Result<(), String>> {
        Some(match name {
            "operatorname" => {
                let limits = self.star();
                self.arg(name).and_then(|toks| self.operator(&toks, limits))
            }
            "mathop" => self.mathop(),
            "ensuremath" | "vcenter" | "href" | "htmlClass" | "htmlId" | "htmlStyle"
            | "htmlData" => self.content_only(name),
            "mathchoice" => self.mathchoice(),
            "Set" | "Braket" => self.set_like(name),
            "nolimits" | "displaylimits" => Ok(()),
            "dots" => {
                // amsmath's rule: centred before a binary operator or relation, else low.
                let centred = match self.peek_non_space() {
                    Some(Tok::Char(c)) => "+-=<>*".contains(c),
                    Some(Tok::Cs(n)) => n == "not" || classify(n) == Known::Operator,
                    _ => false,
                };
                self.emit_cs(if centred { "cdots" } else { "ldots" });
                Ok(())
            }
            "'" | "`" | "\"" | "^" | "~" | "=" | "." => self.math_accent(name),
            "dddot" | "ddddot" => self.arg(name).and_then(|toks| {
                let dots = if name == "dddot" { 3 } else { 4 };
                self.splice_math(Splice::dots_over(dots), toks)
            }),
            "widehat" | "widetilde" | "widecheck" => self.arg(name).and_then(|toks| {
                let accent = match name {
                    "widehat" => '^',
                    "widetilde" => '~',
                    _ => 'ˇ',
                };
                let width = toks
                    .iter()
                    .filter(|t| matches!(t, Tok::Char(_) | Tok::Cs(_)))
                    .count();
                self.splice_math(Splice::wide_accent(accent, width), toks)
            }),
            _ => return None,
        })
    }

    /// `\mathop{…}`: a one-token operator as is, a plain name as an operator name.
    fn mathop(&mut self) -> Result<(), String> {
        let toks = self.arg("mathop")?;
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

    /// The content of a link or an HTML-extension command, without the link or attribute.
    fn content_only(&mut self, name: &str) -> Result<(), String> {
        if matches!(
            name,
            "href" | "htmlClass" | "htmlId" | "htmlStyle" | "htmlData"
        ) {
            self.arg(name)?;
        }
        let toks = self.arg(name)?;
        self.group(toks)
    }

    /// `\mathchoice{D}{T}{S}{SS}`: the display or the text branch.
    fn mathchoice(&mut self) -> Result<(), String> {
        let d = self.arg("mathchoice")?;
        let t = self.arg("mathchoice")?;
        self.arg("mathchoice")?;
        self.arg("mathchoice")?;
        self.group(if self.display { d } else { t })
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
        // `\operatorname*`: limits above and below where TeX's style is display.
        if limits
            && self.in_display_style()
            && matches!(self.peek_non_space(), Some(Tok::Char('_' | '^')))
        {
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
