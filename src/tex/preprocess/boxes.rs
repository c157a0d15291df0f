//! Boxes, phantoms, rules and spacing: `\phantom`, `\hphantom`, `\vphantom`, `\smash`, the laps,
//! `\boxed`, `\fbox`, the `\cancel` family, `\rule`, `\raisebox`, `\mathstrut`, `\strut`,
//! `\mkern`/`\mskip`/`\mspace`, `\hspace`, `\char`, size commands. Constructs pulldown-latex has
//! no event for are spliced into its MathML ([`crate::tex::splice`]).

use super::Engine;
use super::text::TextStyle;
use crate::tex::macros::{Tok, tokenize, tokens_to_string};
use crate::tex::splice::{self, Splice, split_dimension};

impl<'a> Engine<'a> {
    /// Boxes, phantoms, rules, spacing and sizes.
    pub(super) fn box_command(&mut self, name: &'a str) -> Option<Result<(), String>> {
        Some(match name {
            "phantom" | "hphantom" | "vphantom" | "smash" | "mathllap" | "mathrlap"
            | "mathclap" | "boxed" | "cancel" | "bcancel" | "xcancel" | "sout" | "angl"
            | "phase" | "overline" | "underline" => self.math_box(name),
            "llap" | "rlap" | "clap" | "fbox" => self.text_box(name),
            "mathstrut" => self.splice_math(Splice::vphantom(), vec![Tok::Char('(')]),
            "strut" => self.splice_math(Splice::vphantom(), tokenize("\\rule{0pt}{1em}")),
            "rule" => self.rule(),
            "raisebox" => self.raisebox(),
            "mkern" | "mskip" | "mspace" | "hspace" => self.spacing(name),
            " " | "nobreakspace" | "space" => {
                self.emit("\\hspace{0.333em}");
                Ok(())
            }
            "char" => self.char_code(),
            "vspace" => {
                self.star();
                self.arg(name).map(drop)
            }
            "nobreak" | "allowbreak" | "protect" | "hfill" | "hfil" => Ok(()),
            "cancelto" => self.cancel_to(),
            _ if size_factor(name).is_some() => {
                let factor = size_factor(name).unwrap_or(1.0);
                self.size(factor);
                Ok(())
            }
            _ => return None,
        })
    }

    /// An undefined control sequence, shown as its name in a mark (`{⟨mark⟩}`, so that scripts
    /// attach to it) and recorded.
    pub(super) fn undefined_mark(&mut self, name: &str) -> Result<(), String> {
        if !self.splicing {
            return Err(format!("undefined control sequence `\\{name}`"));
        }
        self.splice_empty(Splice::undefined(name))?;
        self.marked.push(name.to_string());
        Ok(())
    }

    /// `\cancelto{value}{expression}`: the expression struck through, the value as its
    /// superscript.
    fn cancel_to(&mut self) -> Result<(), String> {
        let value = self.arg("cancelto")?;
        let toks = self.arg("cancelto")?;
        self.splice_math(Splice::cancel("cancel"), toks)?;
        self.emit("^");
        self.group(value)
    }

    /// A size command (`\large`): the rest of the group or cell at `factor` times the normal
    /// size, spliced when the level ends ([`Engine::close_sizes`]).
    fn size(&mut self, factor: f32) {
        let at = self.out.len();
        let level = self.level();
        let relative = factor / level.size;
        level.size = factor;
        level.sizes.push((at, relative));
    }

    /// Writes the size changes of the current cell, row or group, innermost first, as splices
    /// from where they were declared to here (they are dropped where an infix fraction splits
    /// the segment, whose parts they would straddle).
    pub(super) fn close_sizes(&mut self) -> Result<(), String> {
        let level = self.level();
        let sizes = std::mem::take(&mut level.sizes);
        level.size = level.base_size;
        if level.infix.is_some() || !self.splicing {
            return Ok(());
        }
        for (at, relative) in sizes.into_iter().rev() {
            let i = self.next_splice(Splice::size(relative))?;
            let mut open = String::with_capacity(8);
            open.push('{');
            open.push(splice::marker(i, false));
            open.push('{');
            self.out.insert_str(at, &open);
            self.emit_char('}');
            self.emit_char(splice::marker(i, true));
            self.emit_char('}');
        }
        Ok(())
    }

    /// A box whose content is math.
    fn math_box(&mut self, name: &str) -> Result<(), String> {
        let which = if name == "smash" {
            self.opt_arg().map(|t| tokens_to_string(&t))
        } else {
            None
        };
        let mut toks = self.arg(name)?;
        let splice = match name {
            "phantom" => Splice::phantom(),
            "hphantom" => Splice::hphantom(),
            "vphantom" => Splice::vphantom(),
            "smash" => Splice::smash(which.as_deref().unwrap_or("tb")),
            "mathllap" | "mathrlap" | "mathclap" => Splice::lap(&name[4..]),
            "boxed" => {
                toks.insert(0, Tok::Cs("displaystyle"));
                toks.insert(1, Tok::Space);
                Splice::boxed()
            }
            "angl" | "phase" => Splice::frame(name),
            "overline" => Splice::overline(),
            "underline" => Splice::underline(),
            _ => Splice::cancel(name),
        };
        self.splice_math(splice, toks)
    }

    /// A box whose content is text.
    fn text_box(&mut self, name: &str) -> Result<(), String> {
        let toks = self.arg(name)?;
        let splice = match name {
            "fbox" => Splice::boxed(),
            _ => Splice::lap(name),
        };
        self.splice_text(splice, &toks)
    }

    /// `\rule[raise]{width}{height}`.
    fn rule(&mut self) -> Result<(), String> {
        let raise = self.opt_arg();
        let w = self.arg("rule")?;
        let h = self.arg("rule")?;
        let rule = Splice::rule(
            &tokens_to_string(&w),
            &tokens_to_string(&h),
            raise.as_deref().map(tokens_to_string).as_deref(),
        )?;
        self.splice_empty(rule)
    }

    /// `\raisebox{lift}{text}`.
    fn raisebox(&mut self) -> Result<(), String> {
        let lift = self.arg("raisebox")?;
        let toks = self.arg("raisebox")?;
        self.splice_text(Splice::raise(&tokens_to_string(&lift))?, &toks)
    }

    /// `\mkern`, `\mskip`, `\mspace`, `\hspace`.
    fn spacing(&mut self, name: &str) -> Result<(), String> {
        match name {
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
            _ => {
                self.star();
                let dim = self.arg(name)?;
                self.emit("\\hspace{");
                self.emit_tokens(&dim);
                self.emit_char('}');
                Ok(())
            }
        }
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

    /// `\char"263A`, `\char'101`, `\char65`: the character, for any code point
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

    // ---- splices ----

    pub(super) fn next_splice(&mut self, splice: Splice) -> Result<usize, String> {
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
    pub(super) fn splice_math(&mut self, splice: Splice, toks: Vec<Tok<'a>>) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.group(toks)?;
        self.emit_char(splice::marker(i, true));
        self.emit_char('}');
        Ok(())
    }

    /// `{⟨open⟩{\text{content}}⟨close⟩}`.
    pub(super) fn splice_text(&mut self, splice: Splice, toks: &[Tok<'a>]) -> Result<(), String> {
        self.splice_text_styled(splice, toks, TextStyle::Plain)
    }

    /// [`Engine::splice_text`] with the text in `style`.
    pub(super) fn splice_text_styled(
        &mut self,
        splice: Splice,
        toks: &[Tok<'a>],
        style: TextStyle,
    ) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.emit_char('{');
        self.text(toks, style)?;
        self.emit_char('}');
        self.emit_char(splice::marker(i, true));
        self.emit_char('}');
        Ok(())
    }

    /// `{⟨element⟩}` with nothing inside.
    pub(super) fn splice_empty(&mut self, splice: Splice) -> Result<(), String> {
        let i = self.next_splice(splice)?;
        self.emit_char('{');
        self.emit_char(splice::marker(i, false));
        self.emit_char('}');
        Ok(())
    }
}

/// The size of a size command relative to `\normalsize`, as KaTeX sets it.
fn size_factor(name: &str) -> Option<f32> {
    Some(match name {
        "tiny" => 0.5,
        "scriptsize" => 0.7,
        "footnotesize" => 0.8,
        "small" => 0.9,
        "normalsize" => 1.0,
        "large" => 1.2,
        "Large" => 1.44,
        "LARGE" => 1.728,
        "huge" => 2.074,
        "Huge" => 2.488,
        _ => return None,
    })
}
