//! A preamble, as a researcher copies it from a paper's source: the lines that define macros
//! (`\newcommand`, `\renewcommand`, `\providecommand`, `\DeclareMathOperator(*)`, `\def`,
//! `\let`) become [`Macros`]; any other line is skipped and reported with its number, never
//! failing the build. Also the guesses offered for common author macros left undefined.

use super::macros::{MacroDef, Macros, Tok, tokenize, tokens_to_string};

/// A preamble line that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreambleProblem {
    /// 1-based line number.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// Why it was skipped.
    pub message: String,
}

/// The definitions of a preamble, over `base` (later definitions win, as in TeX, except
/// `\providecommand`, which keeps an existing one), and the lines it skipped.
pub fn parse(text: &str, base: &Macros) -> (Macros, Vec<PreambleProblem>) {
    let mut defs: Vec<(String, MacroDef)> = Vec::new();
    let mut problems = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut n = 0;
    while n < lines.len() {
        // A statement: from this line on, as far as its braces are open.
        let first = n;
        let mut statement = strip_comment(lines[n]).to_string();
        while depth(&statement) > 0 && n + 1 < lines.len() {
            n += 1;
            statement.push('\n');
            statement.push_str(strip_comment(lines[n]));
        }
        n += 1;
        if statement.trim().is_empty() {
            continue;
        }
        let known = |name: &str| defs.iter().any(|(d, _)| d == name) || base.get(name).is_some();
        match definitions(&statement, &known) {
            Ok(found) => defs.extend(found),
            Err(message) => problems.push(PreambleProblem {
                line: first + 1,
                text: lines[first].to_string(),
                message,
            }),
        }
    }
    (base.with_defs(defs), problems)
}

/// `s` without its `%` comment.
fn strip_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'%' => return &s[..i],
            _ => i += 1,
        }
    }
    s
}

/// How many braces of `s` are open at its end.
fn depth(s: &str) -> isize {
    let bytes = s.as_bytes();
    let (mut d, mut i) = (0isize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => d += 1,
            b'}' => d -= 1,
            _ => {}
        }
        i += 1;
    }
    d
}

/// The definitions of one statement (a line, or lines joined by open braces); an error says
/// why the statement is not one this reader takes.
fn definitions(
    statement: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, MacroDef)>, String> {
    let toks = tokenize(statement);
    let mut r = Reader { toks: &toks, i: 0 };
    let mut out: Vec<(String, MacroDef)> = Vec::new();
    loop {
        r.skip_spaces();
        let Some(t) = r.next() else {
            return Ok(out);
        };
        let command = match t {
            Tok::Cs(name) => name,
            _ => return Err("not a macro definition: skipped".into()),
        };
        match command {
            "newcommand" | "renewcommand" | "providecommand" => {
                r.star();
                let name = r.name().ok_or("expected a command name like `\\foo`")?;
                let params = match r.optional() {
                    Some(n) => Some(
                        n.trim()
                            .parse::<u8>()
                            .ok()
                            .filter(|n| *n <= 9)
                            .ok_or("the argument count must be 0 to 9")?,
                    ),
                    None => Some(0),
                };
                let default = if params.unwrap_or(0) > 0 {
                    r.optional()
                } else {
                    None
                };
                let body = r.group().ok_or("expected the definition in braces")?;
                let provided = command == "providecommand"
                    && (known(&name) || out.iter().any(|(n, _)| *n == name));
                if !provided {
                    out.push((
                        name,
                        MacroDef {
                            params,
                            default,
                            body,
                        },
                    ));
                }
            }
            "DeclareMathOperator" => {
                let limits = r.star();
                let name = r.name().ok_or("expected a command name like `\\foo`")?;
                let text = r.group().ok_or("expected the operator's name in braces")?;
                let star = if limits { "*" } else { "" };
                out.push((
                    name,
                    MacroDef {
                        params: Some(0),
                        default: None,
                        body: format!("\\operatorname{star}{{{text}}}"),
                    },
                ));
            }
            "def" | "gdef" | "edef" | "xdef" => {
                r.skip_spaces();
                let Some(Tok::Cs(name)) = r.next() else {
                    return Err("expected a command name after `\\def`".into());
                };
                let mut params = 0u8;
                while let Some(Tok::Param(p)) = r.peek() {
                    if p != params + 1 {
                        return Err("only plain parameters `#1#2…` are read".into());
                    }
                    params = p;
                    r.i += 1;
                }
                let body = r.group().ok_or("expected the definition in braces")?;
                out.push((
                    name.to_string(),
                    MacroDef {
                        params: Some(params),
                        default: None,
                        body,
                    },
                ));
            }
            "global" | "long" => {}
            "let" => {
                r.skip_spaces();
                let Some(Tok::Cs(name)) = r.next() else {
                    return Err("expected a command name after `\\let`".into());
                };
                r.skip_spaces();
                if r.peek() == Some(Tok::Char('=')) {
                    r.i += 1;
                    r.skip_spaces();
                }
                let target = match r.next() {
                    Some(Tok::Cs(t)) => format!("\\{t} "),
                    Some(Tok::Char(c)) => c.to_string(),
                    _ => return Err("expected a second token after `\\let\\name`".into()),
                };
                out.push((
                    name.to_string(),
                    MacroDef {
                        params: Some(0),
                        default: None,
                        body: target,
                    },
                ));
            }
            "usepackage" | "documentclass" | "RequirePackage" => {
                return Err(
                    "a package is not loaded here (only macro definitions are read): skipped"
                        .into(),
                );
            }
            other => return Err(format!("`\\{other}` is not a macro definition: skipped")),
        }
    }
}

/// A cursor over the tokens of a statement.
struct Reader<'t, 'a> {
    toks: &'t [Tok<'a>],
    i: usize,
}

impl<'a> Reader<'_, 'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.i).copied()
    }

    fn next(&mut self) -> Option<Tok<'a>> {
        let t = self.peek();
        self.i += usize::from(t.is_some());
        t
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(Tok::Space) {
            self.i += 1;
        }
    }

    fn star(&mut self) -> bool {
        self.skip_spaces();
        let star = self.peek() == Some(Tok::Char('*'));
        self.i += usize::from(star);
        star
    }

    /// `{\name}` or `\name`.
    fn name(&mut self) -> Option<String> {
        self.skip_spaces();
        match self.next()? {
            Tok::Cs(n) => Some(n.to_string()),
            Tok::Open => {
                self.skip_spaces();
                let Some(Tok::Cs(n)) = self.next() else {
                    return None;
                };
                self.skip_spaces();
                (self.next()? == Tok::Close).then(|| n.to_string())
            }
            _ => None,
        }
    }

    /// `[…]`, as text.
    fn optional(&mut self) -> Option<String> {
        self.skip_spaces();
        if self.peek() != Some(Tok::Char('[')) {
            return None;
        }
        let start = self.i + 1;
        let end = start
            + self.toks[start..]
                .iter()
                .position(|t| *t == Tok::Char(']'))?;
        self.i = end + 1;
        Some(tokens_to_string(&self.toks[start..end]))
    }

    /// `{…}` (balanced), as TeX.
    fn group(&mut self) -> Option<String> {
        self.skip_spaces();
        if self.next()? != Tok::Open {
            return None;
        }
        let start = self.i;
        let mut depth = 0usize;
        while let Some(t) = self.next() {
            match t {
                Tok::Open => depth += 1,
                Tok::Close if depth == 0 => {
                    return Some(tokens_to_string(&self.toks[start..self.i - 1]));
                }
                Tok::Close => depth -= 1,
                _ => {}
            }
        }
        None
    }
}

/// A definition to suggest for an author's macro left undefined, when its name is a common
/// one (`\eps`, `\E`, `\poly`, `\wt`, `\cA` …): a guess, for the author to check.
pub fn guess(name: &str) -> Option<String> {
    let fixed = match name {
        "eps" | "epsilon" | "veps" => "\\varepsilon",
        "E" | "EE" | "Ex" | "Exp" | "expect" => "\\mathbb{E}",
        "Pr" | "Prob" | "prob" => "\\operatorname{Pr}",
        "poly" => "\\operatorname{poly}",
        "polylog" => "\\operatorname{polylog}",
        "opt" | "OPT" => "\\mathrm{OPT}",
        "wt" => "\\widetilde{#1}",
        "wh" => "\\widehat{#1}",
        "ol" => "\\overline{#1}",
        "norm" => "\\left\\lVert #1 \\right\\rVert",
        "abs" => "\\left\\lvert #1 \\right\\rvert",
        "ip" | "inner" | "iprod" => "\\langle #1, #2 \\rangle",
        "set" => "\\{#1\\}",
        "tO" | "tildeO" | "Otil" => "\\widetilde{O}",
        "la" => "\\langle",
        "ra" => "\\rangle",
        "tr" | "Tr" | "trace" => "\\operatorname{tr}",
        "sign" | "sgn" => "\\operatorname{sgn}",
        "dist" => "\\operatorname{dist}",
        "supp" => "\\operatorname{supp}",
        "Var" => "\\operatorname{Var}",
        "Cov" => "\\operatorname{Cov}",
        "KL" => "\\operatorname{KL}",
        "Msun" | "msun" | "Msol" => "M_\\odot",
        "Lsun" => "L_\\odot",
        "micron" => "\\mu\\mathrm{m}",
        "kms" => "\\mathrm{km\\,s^{-1}}",
        "ot" => "\\otimes",
        _ => "",
    };
    // Operator names that papers declare with `\DeclareMathOperator`.
    const OPERATORS: &[&str] = &[
        "Aut", "End", "Hom", "Irr", "Ker", "Spec", "Gal", "Res", "Ind", "Ext", "Tor", "Sym", "Mat",
        "Stab", "Fix", "Out", "Inn", "Pic", "Div", "Lie", "coker", "id", "rk", "vol", "conv",
        "cone", "diam", "Lip", "Prob",
    ];
    if OPERATORS.contains(&name) {
        return Some(format!("\\operatorname{{{name}}}"));
    }
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    // `\cA` calligraphic, `\bR` (or `\bbR`) blackboard bold: common families of short names.
    let letter = |rest: &str| {
        (rest.len() == 1 && rest.chars().all(|c| c.is_ascii_uppercase())).then(|| rest.to_string())
    };
    if let Some(l) = name
        .strip_prefix("cal")
        .and_then(letter)
        .or_else(|| name.strip_prefix('c').and_then(letter))
    {
        return Some(format!("\\mathcal{{{l}}}"));
    }
    if let Some(l) = name
        .strip_prefix("bb")
        .and_then(letter)
        .or_else(|| name.strip_prefix('b').and_then(letter))
    {
        return Some(format!("\\mathbb{{{l}}}"));
    }
    if let Some(l) = name
        .strip_prefix("bf")
        .and_then(|r| (r.len() == 1).then(|| r.to_string()))
    {
        return Some(format!("\\mathbf{{{l}}}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_read_and_other_lines_reported() {
        let src = r"% macros of the paper
\documentclass{article}
\newcommand{\eps}{\varepsilon}
\renewcommand\R{\mathbb{R}}  % reals
\newcommand{\norm}[2][2]{\lVert #2 \rVert_{#1}}
\DeclareMathOperator*{\argmax}{arg\,max}
\DeclareMathOperator{\Tr}{Tr}
\def\ip#1#2{\langle #1, #2\rangle}
\let\phi=\varphi
\providecommand{\eps}{e}
\newcommand{\long}{a +
  b}
\title{A paper}
\newcommand{\a}{x}\newcommand{\b}{y}
";
        let (m, problems) = parse(src, &Macros::default());
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 13], "{problems:?}");
        assert!(problems[0].message.contains("package"), "{problems:?}");
        assert_eq!(problems[1].text, r"\title{A paper}");
        let def = |n: &str| m.get(n).cloned();
        assert_eq!(def("eps").map(|d| d.body), Some(r"\varepsilon".to_string()));
        assert_eq!(def("R").map(|d| d.body), Some(r"\mathbb{R}".to_string()));
        let norm = def("norm").unwrap();
        assert_eq!((norm.params, norm.default.as_deref()), (Some(2), Some("2")));
        assert_eq!(
            def("argmax").map(|d| d.body),
            Some(r"\operatorname*{arg\,max}".to_string())
        );
        assert_eq!(
            def("Tr").map(|d| d.body),
            Some(r"\operatorname{Tr}".to_string())
        );
        assert_eq!(def("ip").map(|d| d.params), Some(Some(2)));
        assert_eq!(def("phi").map(|d| d.body), Some(r"\varphi ".to_string()));
        assert_eq!(def("long").map(|d| d.body), Some("a + b".to_string()));
        assert!(def("a").is_some() && def("b").is_some());
        let mut out = String::new();
        let m2 = m.clone();
        assert!(
            crate::tex::math_to_mathml_with(
                r"\norm{x} + \eps + \ip{a}{b} + \argmax_x",
                true,
                &m2,
                &mut out
            )
            .is_ok_and(|u| u.is_empty()),
            "{out}"
        );
    }

    #[test]
    fn guesses_for_common_names() {
        assert_eq!(guess("eps").as_deref(), Some(r"\varepsilon"));
        assert_eq!(guess("cA").as_deref(), Some(r"\mathcal{A}"));
        assert_eq!(guess("bR").as_deref(), Some(r"\mathbb{R}"));
        assert_eq!(guess("Aut").as_deref(), Some(r"\operatorname{Aut}"));
        assert_eq!(guess("Dh"), None);
    }
}
