//! Equation tags, numbers and references: `\tag{…}`, `\tag*{…}`, numbered environments
//! (`equation`, `align`, `gather`, `alignat`, `multline`, `eqnarray`: numbered here, from one
//! formula to the next of a text, rather than by the page's CSS counters), `\nonumber`,
//! `\notag`, `\label`, `\eqref`, `\ref`.
//!
//! A tag is written flush right in display math (a splice styled by the math stylesheet) and
//! after the formula in inline math; it carries the anchor of its row's labels. A reference
//! is written as a placeholder (`⟨REF⟩key⟨EQREF_END⟩`), resolved once the whole text is
//! rendered, so that it may come before its label.

use super::Engine;
use super::level::{Kind, Level};
use super::text::TextStyle;
use crate::tex::macros::{Tok, tokens_to_string};
use crate::tex::splice::{self, Splice};

/// Equation numbers, carried from one formula of a text to the next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Numbering<'a> {
    /// The number the next numbered equation gets.
    pub next: u32,
    /// What the anchors of labels start with (unique to the text on its page).
    pub anchor: &'a str,
}

/// A label and what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    /// The key, as in `\label{key}`.
    pub key: String,
    /// The tag of its equation, as written (`3`, `A`).
    pub tag: String,
    /// The id of the element to link to.
    pub id: String,
}

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
                self.arg(name).map(|toks| {
                    let key = tokens_to_string(&toks).trim().to_string();
                    self.tag_level().labels.push(key);
                })
            }
            "nonumber" | "notag" => {
                self.tag_level().no_number = true;
                Ok(())
            }
            "eqref" | "ref" => self.arg(name).and_then(|toks| self.reference(name, &toks)),
            _ => return None,
        })
    }

    /// `\eqref{key}`, `\ref{key}`: a placeholder for the tag of `key` (a key that could not be
    /// written into one is shown as written).
    fn reference(&mut self, name: &str, toks: &[Tok<'a>]) -> Result<(), String> {
        let key = tokens_to_string(toks);
        let key = key.trim();
        if !is_plain_key(key) {
            let shown = if name == "eqref" {
                format!("({key})")
            } else {
                key.to_string()
            };
            let t: Vec<Tok> = shown.chars().map(Tok::Char).collect();
            return self.text(&t, TextStyle::Plain);
        }
        self.emit("\\text{");
        self.out.push(splice::REF);
        self.out.push_str(key);
        self.out.push(if name == "eqref" {
            splice::EQREF_END
        } else {
            splice::REF_END
        });
        self.emit_char('}');
        Ok(())
    }

    /// Writes the tag of the current row: its `\tag`, or its number in a numbered
    /// environment; its labels refer to it.
    pub(super) fn flush_tag(&mut self) -> Result<(), String> {
        let level = self.level();
        let explicit = level.tag.take();
        let labels = std::mem::take(&mut level.labels);
        let numbered = level.numbered.is_some() && !level.no_number;
        level.no_number = false;
        let (toks, starred) = match explicit {
            Some(tag) => tag,
            None if numbered => {
                let n = self.numbering.next;
                self.numbering.next += 1;
                (n.to_string().chars().map(Tok::Char).collect(), false)
            }
            // Labels of an unnumbered row refer to nothing on this page.
            None => return Ok(()),
        };
        let tag = tokens_to_string(&toks);
        let id = labels.first().map(|key| anchor(self.numbering.anchor, key));
        for key in labels {
            self.labels.push(Label {
                key,
                tag: tag.clone(),
                id: id.clone().unwrap_or_default(),
            });
        }
        self.tagged = true;
        let mut shown = Vec::with_capacity(toks.len() + 2);
        if !starred {
            shown.push(Tok::Char('('));
        }
        shown.extend(toks);
        if !starred {
            shown.push(Tok::Char(')'));
        }
        let row = self.level().row_tags;
        if self.display && self.splicing {
            if row {
                let cell = self.next_splice(Splice::tag_cell())?;
                self.emit_char(splice::marker(cell, false));
            }
            self.splice_text(Splice::tag(id.as_deref(), row), &shown)
        } else {
            self.emit("\\qquad ");
            self.text(&shown, TextStyle::Plain)
        }
    }

    /// The level a `\tag` or `\label` belongs to: the innermost environment that takes tags,
    /// else the formula.
    fn tag_level(&mut self) -> &mut Level<'a> {
        let i = self
            .levels
            .iter()
            .rposition(|l| l.taggable || matches!(l.kind, Kind::Top))
            .unwrap_or(0);
        &mut self.levels[i]
    }
}

/// Whether a label key can be written into a placeholder as it is.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '/' | '+' | '*')
        })
}

/// The id of the anchor of `key`.
pub(crate) fn anchor(prefix: &str, key: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + key.len());
    id.push_str(prefix);
    id.extend(key.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}
