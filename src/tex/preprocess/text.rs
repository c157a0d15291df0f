//! Text inside formulas: `\text{}`, `\textit{}`, `\emph{}` … with their markup interpreted
//! (`{\bf …}`, quotes, dashes, `\%`, accents, `$…$` inside), written as `\text{}` runs that
//! pulldown-latex takes.

use super::{Engine, MAX_DEPTH};
use crate::tex::accents;
use crate::tex::macros::Tok;
use crate::tex::splice::Splice;
use crate::tex::text::text_symbol;

/// Text styles inside `\text{}` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextStyle {
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
    pub(super) fn of(name: &str) -> Option<TextStyle> {
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
    pub(super) fn is_declaration(name: &str) -> bool {
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

impl<'a> Engine<'a> {
    /// Commands whose argument is text: `\text{}` and the styles, `\url`, `\verb`.
    pub(super) fn text_mode_command(&mut self, name: &str) -> Option<Result<(), String>> {
        let style = match name {
            "url" | "verb" => TextStyle::Mono,
            _ if !TextStyle::is_declaration(name) => TextStyle::of(name)?,
            _ => return None,
        };
        Some(self.arg(name).and_then(|toks| self.text(&toks, style)))
    }

    /// Text-mode tokens (the argument of `\text{}` …) as `\text{}` runs and math.
    pub(super) fn text(&mut self, toks: &[Tok<'a>], style: TextStyle) -> Result<(), String> {
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
            "underline" | "uline" | "sout" => {
                let (arg, next) =
                    text_arg(toks, i).ok_or_else(|| format!("`\\{name}` expects an argument"))?;
                self.flush_text(w);
                if name == "sout" {
                    self.splice_text_styled(Splice::cancel("sout"), arg, w.style)?;
                } else {
                    self.emit("\\underline{");
                    self.text(arg, w.style)?;
                    self.emit_char('}');
                }
                i = next;
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
                    // Not a text command: as TeX does, read it as math (if pulldown-latex does
                    // not know it either, the formula is rendered again with it marked).
                    self.flush_text(w);
                    self.group(vec![Tok::Cs(name)])?;
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
