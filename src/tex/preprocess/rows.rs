//! Nesting levels, rows and environments: `{…}`, `\left…\right`, `\begin…\end` (with the
//! environments pulldown-latex lacks rewritten to ones it has), `\\` and `&`, and `\\` outside
//! an environment (the formula becomes `gathered`).

use super::Engine;
use super::level::{Kind, Level, Numbered};
use crate::tex::macros::{Tok, tokens_to_string};
use crate::tex::splice::{self, Splice};

impl<'a> Engine<'a> {
    /// Line breaks, environments, `\left…\right` and `\substack`.
    pub(super) fn row_command(&mut self, name: &str) -> Option<Result<(), String>> {
        Some(match name {
            "\\" | "newline" | "cr" => self.line_break(name),
            "begin" => self.begin(),
            "end" => self.end(),
            "left" | "mleft" => {
                self.emit_cs("left");
                let r = self.delimiter();
                self.open_level(Kind::LeftRight);
                r
            }
            "right" | "mright" => self.right(),
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
            _ => return None,
        })
    }

    /// `\right` closes the level its `\left` opened.
    fn right(&mut self) -> Result<(), String> {
        if matches!(self.levels.last().map(|l| &l.kind), Some(Kind::LeftRight)) {
            self.close_level()?;
        }
        self.emit_cs("right");
        self.delimiter()
    }

    pub(super) fn level(&mut self) -> &mut Level<'a> {
        let n = self.levels.len();
        &mut self.levels[n - 1]
    }

    pub(super) fn open_level(&mut self, kind: Kind) {
        let (style, explicit, write) = self.child_style(&kind);
        if write {
            self.emit(style.command());
        }
        let start = self.out.len();
        let size = self.levels.last().map_or(1.0, |l| l.size);
        let mut level = Level::new(kind, start, size);
        level.style = style;
        level.explicit = explicit;
        self.levels.push(level);
    }

    /// Closes the innermost level (its closing token is written by the caller).
    pub(super) fn close_level(&mut self) -> Result<(), String> {
        self.finish_segment()?;
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

    fn line_break(&mut self, name: &str) -> Result<(), String> {
        self.finish_segment()?;
        if !self.level().has_rows() {
            self.level().lines = true;
        } else if self.level().numbered != Some(Numbered::Whole) {
            self.flush_tag()?;
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

    fn begin(&mut self) -> Result<(), String> {
        let name = tokens_to_string(&self.arg("begin")?);
        if name == "CD" {
            return self.cd();
        }
        // What is written for `\begin` and `\end` (`None`: the same), and the numbering.
        let (open, end, numbered): (Option<&str>, &'static str, Option<Numbered>) =
            match name.as_str() {
                "equation" => (
                    Some("\\begin{equation*}"),
                    "\\end{equation*}",
                    Some(Numbered::Whole),
                ),
                "align" | "flalign" => (
                    Some("\\begin{align*}"),
                    "\\end{align*}",
                    Some(Numbered::Rows),
                ),
                "flalign*" => (Some("\\begin{align*}"), "\\end{align*}", None),
                "gather" => (
                    Some("\\begin{gather*}"),
                    "\\end{gather*}",
                    Some(Numbered::Rows),
                ),
                "alignat" => (
                    Some("\\begin{alignat*}"),
                    "\\end{alignat*}",
                    Some(Numbered::Rows),
                ),
                "eqnarray" => (
                    Some("\\begin{array}{rcl}"),
                    "\\end{array}",
                    Some(Numbered::Rows),
                ),
                "eqnarray*" => (Some("\\begin{array}{rcl}"), "\\end{array}", None),
                "multline" => (
                    Some("\\begin{multline}"),
                    "\\end{multline}",
                    Some(Numbered::Whole),
                ),
                "multline*" => (Some("\\begin{multline}"), "\\end{multline}", None),
                "subequations" | "math" | "displaymath" => (Some(""), "", None),
                "smallmatrix" => (Some("\\begin{matrix}"), "\\end{matrix}", None),
                _ => (None, "", None),
            };
        // `smallmatrix`: a matrix in script size (pulldown-latex sets it at full size).
        let small = if name == "smallmatrix" {
            let i = self.next_splice(Splice::small())?;
            self.emit_char('{');
            self.emit_char(splice::marker(i, false));
            self.emit_char('{');
            Some(i)
        } else {
            None
        };
        match open {
            Some(open) => self.emit(open),
            None => {
                self.emit("\\begin{");
                self.emit(&name);
                self.emit_char('}');
            }
        }
        let taggable = numbered.is_some()
            || matches!(
                name.as_str(),
                "equation*" | "align*" | "gather*" | "alignat*"
            );
        let row_tags = matches!(
            name.trim_end_matches('*'),
            "align" | "gather" | "alignat" | "flalign" | "eqnarray"
        );
        self.open_level(Kind::Env { name, end });
        let level = self.level();
        level.numbered = numbered;
        level.taggable = taggable;
        level.row_tags = row_tags;
        level.splice_after = small;
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
        let rewritten =
            !end.is_empty() || matches!(name.as_str(), "subequations" | "math" | "displaymath");
        let small = self.level().splice_after;
        self.close_level()?;
        if rewritten {
            self.emit(end);
        } else {
            self.emit("\\end{");
            self.emit(&name);
            self.emit_char('}');
        }
        if let Some(i) = small {
            self.emit_char('}');
            self.emit_char(splice::marker(i, true));
            self.emit_char('}');
        }
        Ok(())
    }
}
