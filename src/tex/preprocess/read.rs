//! Reading the input tokens (arguments, optional arguments, stars, dimensions) and writing
//! the output TeX.

use super::Engine;
use crate::tex::macros::Tok;

impl<'a> Engine<'a> {
    /// Writes a control sequence.
    pub(super) fn emit_cs(&mut self, name: &str) {
        self.out.push('\\');
        self.out.push_str(name);
        self.after_word = name.starts_with(|c: char| c.is_ascii_alphabetic());
    }

    /// Writes a character (after a control word, a letter is separated by a space).
    pub(super) fn emit_char(&mut self, c: char) {
        if self.after_word && c.is_ascii_alphabetic() {
            self.out.push(' ');
        }
        self.out.push(c);
        self.after_word = false;
    }

    /// Emits TeX written by this module.
    pub(super) fn emit(&mut self, s: &str) {
        if self.after_word && s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            self.out.push(' ');
        }
        self.out.push_str(s);
        self.after_word = ends_with_control_word(s);
    }

    /// Writes tokens as TeX.
    pub(super) fn emit_tokens(&mut self, toks: &[Tok<'_>]) {
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

    /// Drops the spaces at the head of the input.
    pub(super) fn skip_spaces(&mut self) {
        while self.stack.last() == Some(&Tok::Space) {
            self.stack.pop();
        }
    }

    /// The next token that is not a space, left in the input.
    pub(super) fn peek_non_space(&self) -> Option<Tok<'a>> {
        self.stack.iter().rev().find(|t| **t != Tok::Space).copied()
    }

    /// An argument: a balanced `{…}` (without its braces) or one token.
    pub(super) fn arg(&mut self, what: &str) -> Result<Vec<Tok<'a>>, String> {
        self.skip_spaces();
        match self.stack.pop() {
            Some(Tok::Open) => self.balanced(what),
            Some(Tok::Close) | None => Err(format!("`\\{what}` expects an argument")),
            Some(t) => Ok(vec![t]),
        }
    }

    /// The tokens up to the `}` closing a group whose `{` was just read.
    pub(super) fn balanced(&mut self, what: &str) -> Result<Vec<Tok<'a>>, String> {
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
    pub(super) fn opt_arg(&mut self) -> Option<Vec<Tok<'a>>> {
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
    pub(super) fn star(&mut self) -> bool {
        if self.stack.last() == Some(&Tok::Char('*')) {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    /// The delimiter after `\left`, `\right`.
    pub(super) fn delimiter(&mut self) -> Result<(), String> {
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

    /// Reads a dimension written without braces (`\mkern 3mu`).
    pub(super) fn read_dimension_tokens(&mut self) -> Vec<Tok<'a>> {
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
}

fn ends_with_control_word(s: &str) -> bool {
    let trimmed = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    trimmed.len() < s.len() && trimmed.ends_with('\\') && !trimmed.ends_with("\\\\")
}
