//! TeX's math styles, tracked as TeX sets them, where pulldown-latex does not.
//!
//! TeX sets a formula in display or text style; a fraction's numerator and denominator one
//! style smaller (display → text → script), scripts in script style, the cells of `matrix`,
//! `array` and `cases` in text style, and those of `aligned`, `gathered`, `align` … in display
//! style. pulldown-latex decides where the limits of `\sum`, `\lim`, `\max` … go from the
//! formula's mode alone (above and below in any display formula, numerator included), and
//! under an explicit `\displaystyle` it marks the numerator of a fraction as display style too.
//! So the rewrite layer follows the style and says what pulldown-latex would get wrong:
//! `{\sum}_i` (scripts at the side) where TeX's style is not display, `\sum\limits_i` where it
//! is in an inline formula, and the fraction's style at the start of each argument under an
//! explicit style.

use super::Engine;
use super::level::{Kind, MathStyle, Pending};
use crate::tex::known::{Known, classify};
use crate::tex::macros::Tok;

impl MathStyle {
    /// The style of a fraction's numerator and denominator.
    fn fraction(self) -> MathStyle {
        match self {
            MathStyle::Display => MathStyle::Text,
            MathStyle::Text => MathStyle::Script,
            _ => MathStyle::ScriptScript,
        }
    }

    /// The style of a script.
    fn script(self) -> MathStyle {
        match self {
            MathStyle::Display | MathStyle::Text => MathStyle::Script,
            _ => MathStyle::ScriptScript,
        }
    }

    /// The command that selects this style.
    pub(super) fn command(self) -> &'static str {
        match self {
            MathStyle::Display => "\\displaystyle ",
            MathStyle::Text => "\\textstyle ",
            MathStyle::Script => "\\scriptstyle ",
            MathStyle::ScriptScript => "\\scriptscriptstyle ",
        }
    }
}

/// Environments whose cells TeX sets in display style.
fn display_environment(name: &str) -> bool {
    matches!(
        name.trim_end_matches('*'),
        "aligned"
            | "gathered"
            | "alignedat"
            | "align"
            | "gather"
            | "alignat"
            | "flalign"
            | "equation"
            | "multline"
            | "split"
            | "eqnarray"
            | "subequations"
            | "math"
            | "displaymath"
    )
}

impl Engine<'_> {
    /// `\displaystyle`, `\textstyle`, `\scriptstyle`, `\scriptscriptstyle`: the rest of the
    /// level in that style, which pulldown-latex then knows too.
    pub(super) fn style_command(&mut self, name: &str) -> Option<Result<(), String>> {
        let style = match name {
            "displaystyle" => MathStyle::Display,
            "textstyle" => MathStyle::Text,
            "scriptstyle" => MathStyle::Script,
            "scriptscriptstyle" => MathStyle::ScriptScript,
            _ => return None,
        };
        let level = self.level();
        level.style = style;
        level.explicit = true;
        self.emit(style.command());
        Some(Ok(()))
    }

    /// The style of a level about to open as `kind`, and whether it starts with a fraction
    /// argument under an explicit style (whose style must then be written).
    pub(super) fn child_style(&mut self, kind: &Kind) -> (MathStyle, bool, bool) {
        let parent = self.level();
        let (style, explicit) = (parent.style, parent.explicit);
        match kind {
            Kind::Brace => match parent.pending.take() {
                Some(p) => {
                    if p.count > 1 {
                        parent.pending = Some(Pending {
                            count: p.count - 1,
                            ..p
                        });
                    }
                    (p.style, explicit, p.fraction && explicit)
                }
                None => (style, explicit, false),
            },
            Kind::Env { name, .. } if display_environment(name) => {
                (MathStyle::Display, explicit, false)
            }
            Kind::Env { name, .. } if name == "smallmatrix" => (style.script(), explicit, false),
            Kind::Env { .. } => (style.max(MathStyle::Text), explicit, false),
            Kind::Top | Kind::Rows | Kind::LeftRight => (style, explicit, false),
        }
    }

    /// A token that is an argument by itself (`\frac12`): one pending argument fewer.
    pub(super) fn consume_pending(&mut self) {
        let level = self.level();
        if let Some(p) = level.pending.take()
            && p.count > 1
        {
            level.pending = Some(Pending {
                count: p.count - 1,
                ..p
            });
        }
    }

    /// Notes what the arguments of the command `name` (a fraction, a script) are set in.
    pub(super) fn note_arguments(&mut self, name: &str) {
        let style = self.level().style;
        let (count, arg_style, fraction) = match name {
            "frac" | "binom" | "genfrac" => (2, style.fraction(), true),
            "dfrac" | "dbinom" => (2, MathStyle::Text, true),
            "tfrac" | "tbinom" => (2, MathStyle::Script, true),
            "^" | "_" | "overset" | "underset" | "stackrel" => (1, style.script(), false),
            _ => return,
        };
        // `\genfrac`'s delimiters, thickness and style come first.
        let count = if name == "genfrac" { 6 } else { count };
        self.level().pending = Some(Pending {
            count,
            style: arg_style,
            fraction,
        });
    }

    /// Writes a large operator whose limits TeX and pulldown-latex would place differently:
    /// `{\sum}` where TeX sets them at the side, `\sum\limits` where above and below. False if
    /// `name` needs nothing of the kind.
    pub(super) fn limits(&mut self, name: &str) -> bool {
        let Some(next) = self.peek_non_space() else {
            return false;
        };
        let nolimits = next == Tok::Cs("nolimits");
        if !(nolimits || matches!(next, Tok::Char('_' | '^')))
            || classify(name) != (Known::LargeOp { movable: true })
        {
            return false;
        }
        let level = &self.levels[self.levels.len() - 1];
        let tex_above = level.style == MathStyle::Display && !nolimits;
        let pulldown_above = if level.explicit {
            level.style == MathStyle::Display
        } else {
            self.display
        };
        if nolimits {
            self.skip_spaces();
            self.stack.pop();
        }
        match (tex_above, pulldown_above) {
            (false, true) => {
                self.emit_char('{');
                self.emit_cs(name);
                self.emit_char('}');
            }
            (true, false) => {
                self.emit_cs(name);
                self.emit_cs("limits");
            }
            _ => self.emit_cs(name),
        }
        true
    }

    /// Whether the current level is set in display style (for `\operatorname*`).
    pub(super) fn in_display_style(&self) -> bool {
        self.levels
            .last()
            .is_some_and(|l| l.style == MathStyle::Display)
    }
}
