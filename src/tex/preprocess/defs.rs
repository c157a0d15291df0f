//! Macros: the author's (`[math.macros]`, front matter), KaTeX's built-ins, and definitions
//! inside the formula (`\newcommand`, `\renewcommand`, `\providecommand`, `\def`, `\let`).

use super::{Engine, MAX_EXPANSION};
use crate::tex::macros::{self, Def, Tok, tokenize, tokens_to_string};

impl<'a> Engine<'a> {
    /// Definitions inside the formula.
    pub(super) fn def_command(&mut self, name: &str) -> Option<Result<(), String>> {
        Some(match name {
            "newcommand" | "renewcommand" | "providecommand" => self.newcommand(name),
            "def" | "gdef" | "edef" | "xdef" => self.def(),
            "let" => self.let_(),
            "global" | "long" => Ok(()),
            _ => return None,
        })
    }

    /// The definition of a macro: formula-local, then the author's, then built-in.
    pub(super) fn lookup(&mut self, name: &'a str) -> Option<Def<'a>> {
        if let Some(d) = self.local.get(name) {
            return Some(d.clone());
        }
        if let Some(user) = self.user.get(name) {
            let def = self.user_defs.entry(name).or_insert_with(|| {
                let body = tokenize(&user.body);
                let mut def = Def::from_body(body);
                if let Some(params) = user.params {
                    def.params = params;
                }
                def.default = user.default.as_deref().map(tokenize);
                def
            });
            return Some(def.clone());
        }
        macros::builtin(name).cloned()
    }

    /// Replaces a macro by its body with the arguments substituted (read from the input).
    pub(super) fn expand(&mut self, name: &str, def: Def<'a>) -> Result<(), String> {
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

    /// `\newcommand{\name}[n][default]{body}` and its variants.
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

    /// `\def\name#1#2{body}`.
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

    /// `\let\name=\other`.
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
}
