//! Equation tags and references: `\tag{…}`, `\tag*{…}`, `\label`, `\nonumber`, `\notag`,
//! `\eqref`, `\ref`.

use super::Engine;
use super::rows::{Kind, Level};
use super::text::TextStyle;
use crate::latex::macros::Tok;

impl<'a> Engine<'a> {
    /// Tags, labels and references.
    pub(super) fn tag_command(&mut self, name: &str) -> Option<Result<(), String>> {
        Some(match name {
            "tag" => {
                let starred = self.star();
                self.arg("tag").map(|toks| {
                    self.tag_level().tag = Some((toks, starred));
                })
            }
            "label" => {
                self.star();
                self.arg(name).map(drop)
            }
            "nonumber" | "notag" => Ok(()),
            "eqref" | "ref" => self.arg(name).and_then(|toks| {
                let mut t = Vec::with_capacity(toks.len() + 2);
                if name == "eqref" {
                    t.push(Tok::Char('('));
                }
                t.extend(toks);
                if name == "eqref" {
                    t.push(Tok::Char(')'));
                }
                self.text(&t, TextStyle::Plain)
            }),
            _ => return None,
        })
    }

    /// Writes the pending `\tag` of the current row.
    pub(super) fn flush_tag(&mut self) -> Result<(), String> {
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

    /// The level a `\tag` belongs to: the innermost environment, else the formula.
    fn tag_level(&mut self) -> &mut Level<'a> {
        let i = self
            .levels
            .iter()
            .rposition(|l| matches!(l.kind, Kind::Env { .. } | Kind::Top))
            .unwrap_or(0);
        &mut self.levels[i]
    }
}
