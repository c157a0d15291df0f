//! The macros a site's formulas use without a definition (an author's `\eps`, `\wt{…}`): each
//! is shown as its name, marked, and reported once for the site — how often, in how many
//! papers, where first — with a preamble to paste, rather than once per use.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::base::diag::{Diagnostic, Location};
use crate::tex;

/// The diagnostic code of an undefined macro (`check` makes each use an error).
pub const UNDEFINED_MACRO: &str = "tex-undefined";

/// One use of an undefined macro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedUse {
    /// Its name, without the backslash.
    pub name: String,
    /// Where it is written.
    pub location: Location,
    /// The paper (its title) or page it is in.
    pub owner: String,
    /// The text around it, as written.
    pub source: String,
}

/// The undefined macros of a site, each with its uses in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UndefinedMacros {
    /// By name.
    pub macros: BTreeMap<String, Vec<UndefinedUse>>,
}

impl UndefinedMacros {
    /// Gathers uses (in the order the site lists its papers and pages).
    pub fn new(uses: impl IntoIterator<Item = UndefinedUse>) -> UndefinedMacros {
        let mut macros: BTreeMap<String, Vec<UndefinedUse>> = BTreeMap::new();
        for u in uses {
            macros.entry(u.name.clone()).or_default().push(u);
        }
        UndefinedMacros { macros }
    }

    /// Whether every macro is defined.
    pub fn is_empty(&self) -> bool {
        self.macros.is_empty()
    }

    /// The one warning of the site: each macro, its uses, papers and first place, most used
    /// first, and a preamble to paste (with guesses for common names).
    pub fn summary(&self) -> Option<Diagnostic> {
        if self.macros.is_empty() {
            return None;
        }
        let uses: usize = self.macros.values().map(Vec::len).sum();
        let owners: BTreeSet<&str> = self
            .macros
            .values()
            .flatten()
            .map(|u| u.owner.as_str())
            .collect();
        let mut by_use: Vec<(&String, &Vec<UndefinedUse>)> = self.macros.iter().collect();
        by_use.sort_by_key(|(name, u)| (std::cmp::Reverse(u.len()), name.as_str()));
        let mut message = format!(
            "{} undefined macro{} ({uses} use{} in {} paper{} or page{}), shown as {}:",
            self.macros.len(),
            plural(self.macros.len()),
            plural(uses),
            owners.len(),
            plural(owners.len()),
            plural(owners.len()),
            if self.macros.len() == 1 {
                "its name"
            } else {
                "their names"
            },
        );
        let width = by_use.iter().map(|(n, _)| n.len()).max().unwrap_or(0) + 1;
        for (name, u) in &by_use {
            let papers: BTreeSet<&str> = u.iter().map(|u| u.owner.as_str()).collect();
            let first = &u[0];
            let _ = write!(
                message,
                "\n  \\{name:<width$} {} use{} in {} paper{}, first at {}:{}:{} (“{}”)",
                u.len(),
                plural(u.len()),
                papers.len(),
                plural(papers.len()),
                first.location.file.display(),
                first.location.line,
                first.location.col,
                first.owner
            );
        }
        let mut hint = String::from(
            "define them once: put these lines in macros.tex and set `preamble = \"macros.tex\"` under [math] in config.toml (or write them as [math.macros], `eps = '\\varepsilon'`); `build -v` lists every use:\n",
        );
        for (name, _) in &by_use {
            match tex::preamble::guess(name) {
                Some(body) => {
                    let params = (1..=9)
                        .take_while(|n| body.contains(&format!("#{n}")))
                        .count();
                    let args = if params > 0 {
                        format!("[{params}]")
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        hint,
                        "      \\newcommand{{\\{name}}}{args}{{{body}}}   % a guess: check it"
                    );
                }
                None => {
                    let _ = writeln!(
                        hint,
                        "      % \\newcommand{{\\{name}}}{{…}}   % copy it from the paper's source"
                    );
                }
            }
        }
        Some(
            Diagnostic::warning(message)
                .hint(hint.trim_end().to_string())
                .code(UNDEFINED_MACRO),
        )
    }

    /// Every use, as a located warning (for `build -v` and `check`).
    pub fn uses(&self) -> Vec<Diagnostic> {
        let mut all: Vec<&UndefinedUse> = self.macros.values().flatten().collect();
        all.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.col).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.col,
            ))
        });
        all.into_iter()
            .map(|u| {
                Diagnostic::warning(format!(
                    "undefined macro `\\{}` in “{}”, shown as its name",
                    u.name, u.owner
                ))
                .at(u.location.clone())
                .hint(format!(
                    "define it in the preamble (`[math] preamble`) or in [math.macros]: `{}`",
                    u.source.chars().take(60).collect::<String>()
                ))
                .code(UNDEFINED_MACRO)
            })
            .collect()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn at(line: usize) -> Location {
        Location::line(Path::new("seeds/profile.txt"), line, "x")
    }

    #[test]
    fn one_summary_with_counts_first_places_and_a_preamble() {
        let u = |name: &str, line, owner: &str| UndefinedUse {
            name: name.into(),
            location: at(line),
            owner: owner.into(),
            source: format!("$\\{name}$"),
        };
        let m = UndefinedMacros::new([
            u("eps", 4, "A"),
            u("Dh", 9, "B"),
            u("eps", 12, "B"),
            u("eps", 13, "B"),
        ]);
        let d = m.summary().unwrap();
        assert!(
            d.message
                .starts_with("2 undefined macros (4 uses in 2 papers or pages)"),
            "{}",
            d.message
        );
        let lines: Vec<&str> = d.message.lines().collect();
        assert!(
            lines[1].contains("\\eps")
                && lines[1].contains("3 uses in 2 papers, first at seeds/profile.txt:4:1 (“A”)"),
            "{}",
            d.message
        );
        assert!(
            lines[2].contains("\\Dh") && lines[2].contains("1 use in 1 paper"),
            "{}",
            d.message
        );
        let hint = d.hint.unwrap_or_default();
        assert!(
            hint.contains("\\newcommand{\\eps}{\\varepsilon}   % a guess"),
            "{hint}"
        );
        assert!(hint.contains("% \\newcommand{\\Dh}{…}"), "{hint}");
        assert_eq!(m.uses().len(), 4);
        assert!(UndefinedMacros::default().summary().is_none());
    }
}
