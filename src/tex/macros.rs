//! TeX tokens and macros: the lexer the math layer works on, user macros (`[math.macros]` in
//! config.toml, `macros` in a paper's front matter) and the KaTeX built-in macros that
//! pulldown-latex lacks, all expanded by [`super::preprocess`] before pulldown-latex sees the
//! formula.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

/// One TeX token. Control sequences borrow their name from the source they were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// `\name` (letters) or `\c` (one other character): the name without the backslash.
    Cs(&'a str),
    /// `{`.
    Open,
    /// `}`.
    Close,
    /// A run of whitespace.
    Space,
    /// `#1` … `#9` in a macro body.
    Param(u8),
    /// Any other character.
    Char(char),
}

/// Splits `src` into tokens; `%` comments are dropped as TeX does (except on the last line:
/// there `%` is a percent sign).
pub(crate) fn tokenize(src: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::with_capacity(src.len() / 2 + 1);
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < src.len() {
        let Some(c) = src[i..].chars().next() else {
            break;
        };
        match c {
            '\\' if src[i..].starts_with("\\verb")
                && !src[i + 5..].starts_with(|c: char| c.is_ascii_alphabetic()) =>
            {
                // `\verb!…!`: the text between the delimiters, verbatim.
                let rest = &src[i + 5..];
                let Some(delim) = rest.chars().next() else {
                    toks.push(Tok::Cs("verb"));
                    break;
                };
                let body = &rest[delim.len_utf8()..];
                let end = body.find(delim).unwrap_or(body.len());
                toks.push(Tok::Cs("verb"));
                toks.push(Tok::Open);
                toks.extend(body[..end].chars().map(Tok::Char));
                toks.push(Tok::Close);
                i += 5 + delim.len_utf8() + (end + delim.len_utf8()).min(body.len());
            }
            '\\' => {
                let rest = &src[i + 1..];
                let letters = rest
                    .find(|ch: char| !ch.is_ascii_alphabetic())
                    .unwrap_or(rest.len());
                if letters > 0 {
                    toks.push(Tok::Cs(&rest[..letters]));
                    i += 1 + letters;
                } else if let Some(ch) = rest.chars().next() {
                    let name = &rest[..ch.len_utf8()];
                    // `\` followed by a newline or tab is a control space.
                    toks.push(Tok::Cs(if ch.is_whitespace() { " " } else { name }));
                    i += 1 + ch.len_utf8();
                } else {
                    toks.push(Tok::Char('\\'));
                    i += 1;
                }
            }
            '{' => {
                toks.push(Tok::Open);
                i += 1;
            }
            '}' => {
                toks.push(Tok::Close);
                i += 1;
            }
            '%' => match src[i..].find('\n') {
                // A comment, to the end of the line.
                Some(n) => i += n + 1,
                // On the last line of a formula (written on one line, as in abstracts), a `%`
                // comment would swallow the rest, closing braces included: it is read as a
                // percent sign, as MathJax shows `\text{67%}`.
                None => {
                    toks.push(Tok::Cs("%"));
                    i += 1;
                }
            },
            '#' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() => {
                toks.push(Tok::Param(bytes[i + 1] - b'0'));
                i += 2;
            }
            c if c.is_whitespace() => {
                if toks.last() != Some(&Tok::Space) {
                    toks.push(Tok::Space);
                }
                i += c.len_utf8();
            }
            c => {
                toks.push(Tok::Char(c));
                i += c.len_utf8();
            }
        }
    }
    toks
}

/// Tokens back to TeX source (for names, dimensions, tags and preamble definitions).
pub(crate) fn tokens_to_string(toks: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        match *t {
            Tok::Cs(name) => {
                s.push('\\');
                s.push_str(name);
                if name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && matches!(toks.get(i + 1), Some(Tok::Char(c)) if c.is_ascii_alphabetic())
                {
                    s.push(' ');
                }
            }
            Tok::Open => s.push('{'),
            Tok::Close => s.push('}'),
            Tok::Space => s.push(' '),
            Tok::Param(n) => {
                s.push('#');
                s.push(char::from(b'0' + n));
            }
            Tok::Char(c) => s.push(c),
        }
    }
    s
}

/// A macro definition: parameter count, optional default of the first parameter
/// (`\newcommand{\x}[2][d]{…}`), and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Def<'a> {
    pub params: u8,
    pub default: Option<Vec<Tok<'a>>>,
    pub body: Vec<Tok<'a>>,
}

impl<'a> Def<'a> {
    /// A definition whose parameter count is the highest `#n` in the body.
    pub fn from_body(body: Vec<Tok<'a>>) -> Def<'a> {
        let params = body
            .iter()
            .filter_map(|t| match t {
                Tok::Param(n) => Some(*n),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Def {
            params,
            default: None,
            body,
        }
    }
}

/// A user macro: its parameter count (`None`: the highest `#n` of the body, as KaTeX counts
/// them), the default of its first parameter (`\newcommand{\x}[2][d]{…}`), and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroDef {
    /// How many arguments it takes.
    pub params: Option<u8>,
    /// The default of the first (optional) argument.
    pub default: Option<String>,
    /// The replacement, `#1`…`#9` for the arguments.
    pub body: String,
}

/// User macros: KaTeX's `macros` option (`[math.macros]` in config.toml, `macros` in a paper's
/// front matter: name, with or without the backslash → TeX replacement) and the definitions of
/// a preamble ([`super::preamble`]). Cheap to clone and to layer (a paper's macros over the
/// site's).
#[derive(Debug, Clone, Default)]
pub struct Macros {
    defs: Arc<BTreeMap<String, MacroDef>>,
}

impl Macros {
    /// Macros from a name → replacement table; a leading `\` on names is optional.
    pub fn new(table: &BTreeMap<String, String>) -> Macros {
        Macros::default().with(table)
    }

    /// These macros with `table` added on top (its definitions win).
    pub fn with(&self, table: &BTreeMap<String, String>) -> Macros {
        self.with_defs(table.iter().map(|(name, body)| {
            let def = MacroDef {
                params: None,
                default: None,
                body: body.clone(),
            };
            (name.clone(), def)
        }))
    }

    /// These macros with `defs` added on top, in order (later ones win).
    pub fn with_defs(&self, defs: impl IntoIterator<Item = (String, MacroDef)>) -> Macros {
        let mut defs = defs.into_iter().peekable();
        if defs.peek().is_none() {
            return self.clone();
        }
        let mut table = (*self.defs).clone();
        for (name, def) in defs {
            table.insert(name.trim_start_matches('\\').to_string(), def);
        }
        Macros {
            defs: Arc::new(table),
        }
    }

    /// Whether no macros are defined.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The definition of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&MacroDef> {
        self.defs.get(name)
    }
}

/// KaTeX's built-in macros (and a few common package commands) that pulldown-latex 0.8 does
/// not know, as replacements it does know. Looked up after the author's own macros.
const BUILTINS: &[(&str, &str)] = &[
    // Blackboard-bold shorthands.
    ("R", r"\mathbb{R}"),
    ("N", r"\mathbb{N}"),
    ("Z", r"\mathbb{Z}"),
    ("Q", r"\mathbb{Q}"),
    ("C", r"\mathbb{C}"),
    ("reals", r"\mathbb{R}"),
    ("Reals", r"\mathbb{R}"),
    ("real", r"\mathbb{R}"),
    ("natnums", r"\mathbb{N}"),
    ("Complex", r"\mathbb{C}"),
    ("cnums", r"\mathbb{C}"),
    ("Bbb", r"\mathbb{#1}"),
    ("bold", r"\mathbf{#1}"),
    ("bm", r"\boldsymbol{#1}"),
    ("pmb", r"\boldsymbol{#1}"),
    ("mathscr", r"\mathcal{#1}"),
    ("mathbfscr", r"\mathbfcal{#1}"),
    ("frak", r"\mathfrak{#1}"),
    // Dirac notation (braket).
    ("bra", r"{\langle #1\vert}"),
    ("ket", r"{\vert #1\rangle}"),
    ("braket", r"{\langle #1\rangle}"),
    ("Bra", r"\left\langle #1\right\vert"),
    ("Ket", r"\left\vert #1\right\rangle"),
    ("set", r"\{#1\}"),
    // Modular arithmetic.
    ("mod", r"\quad\operatorname{mod}\,\,{#1}"),
    // Operator names that KaTeX and common preambles provide.
    ("argmax", r"\operatorname*{arg\,max}"),
    ("argmin", r"\operatorname*{arg\,min}"),
    ("plim", r"\operatorname*{plim}"),
    ("injlim", r"\operatorname*{inj\,lim}"),
    ("projlim", r"\operatorname*{proj\,lim}"),
    ("varlimsup", r"\operatorname*{\overline{lim}}"),
    ("varliminf", r"\operatorname*{\underline{lim}}"),
    ("Tr", r"\operatorname{Tr}"),
    ("tr", r"\operatorname{tr}"),
    ("rank", r"\operatorname{rank}"),
    ("diag", r"\operatorname{diag}"),
    ("span", r"\operatorname{span}"),
    ("sech", r"\operatorname{sech}"),
    ("csch", r"\operatorname{csch}"),
    ("arcsec", r"\operatorname{arcsec}"),
    ("arccot", r"\operatorname{arccot}"),
    ("arccsc", r"\operatorname{arccsc}"),
    ("cotg", r"\operatorname{cotg}"),
    ("cosec", r"\operatorname{cosec}"),
    ("ctg", r"\operatorname{ctg}"),
    ("cth", r"\operatorname{cth}"),
    ("sh", r"\operatorname{sh}"),
    ("ch", r"\operatorname{ch}"),
    ("th", r"\operatorname{th}"),
    ("tg", r"\operatorname{tg}"),
    ("arctg", r"\operatorname{arctg}"),
    ("arcctg", r"\operatorname{arcctg}"),
    // Symbols.
    ("hdots", r"\ldots"),
    ("minus", r"-"),
    ("llbracket", "\u{27E6}"),
    ("rrbracket", "\u{27E7}"),
    ("lBrack", "\u{27E6}"),
    ("rBrack", "\u{27E7}"),
    ("llparenthesis", "\u{2987}"),
    ("rrparenthesis", "\u{2988}"),
    ("lgroup", "\u{27EE}"),
    ("rgroup", "\u{27EF}"),
    ("lmoustache", "\u{23B0}"),
    ("rmoustache", "\u{23B1}"),
    ("Join", "\\mathrel{\u{2A1D}}"),
    ("vcentcolon", r"\mathrel{:}"),
    ("ratio", r"\mathrel{:}"),
    ("AA", r"\text{Å}"),
    ("aa", r"\text{å}"),
    ("AE", r"\text{Æ}"),
    ("ae", r"\text{æ}"),
    ("OE", r"\text{Œ}"),
    ("oe", r"\text{œ}"),
    ("O", r"\text{Ø}"),
    ("o", r"\text{ø}"),
    ("ss", r"\text{ß}"),
    ("i", r"\text{ı}"),
    ("j", r"\text{ȷ}"),
    ("textendash", r"\text{–}"),
    ("textemdash", r"\text{—}"),
    ("textbackslash", r"\backslash"),
    ("textasciitilde", r"\text{~}"),
    ("textunderscore", r"\_"),
    ("textbar", r"\vert"),
    ("textbraceleft", r"\{"),
    ("textbraceright", r"\}"),
    ("textdagger", r"\dagger"),
    ("textdaggerdbl", r"\ddagger"),
    ("textdollar", r"\$"),
    ("textsterling", r"\pounds"),
    ("textquoteleft", r"\text{‘}"),
    ("textquoteright", r"\text{’}"),
    ("textquotedblleft", r"\text{“}"),
    ("textquotedblright", r"\text{”}"),
    ("textregistered", r"\text{®}"),
    ("textcircled", r"\text{◯}"),
    ("KaTeX", r"\text{KaTeX}"),
    ("LaTeX", r"\text{LaTeX}"),
    ("TeX", r"\text{TeX}"),
    // KaTeX's aliases.
    ("lang", r"\langle"),
    ("rang", r"\rangle"),
    ("thetasym", r"\vartheta"),
    ("image", r"\Im"),
    ("weierp", r"\wp"),
    ("alef", r"\aleph"),
    ("alefsym", r"\aleph"),
    ("empty", r"\emptyset"),
    ("exist", r"\exists"),
    ("pod", r"\quad(#1)"),
    ("doublecup", r"\Cup"),
    ("varinjlim", r"\operatorname*{\underrightarrow{lim}}"),
    ("varprojlim", r"\operatorname*{\underleftarrow{lim}}"),
    ("equalscolon", r"\eqqcolon"),
    ("equalscoloncolon", r"\Eqqcolon"),
    ("simcolon", r"\mathrel{\sim\!:}"),
    ("simcoloncolon", r"\mathrel{\sim\!::}"),
    ("sub", r"\subset"),
    ("sube", r"\subseteq"),
    ("supe", r"\supseteq"),
    ("rArr", r"\Rightarrow"),
    ("Rarr", r"\Rightarrow"),
    ("rarr", r"\rightarrow"),
    ("lArr", r"\Leftarrow"),
    ("Larr", r"\Leftarrow"),
    ("larr", r"\leftarrow"),
    ("uArr", r"\Uparrow"),
    ("Uarr", r"\Uparrow"),
    ("uarr", r"\uparrow"),
    ("dArr", r"\Downarrow"),
    ("Darr", r"\Downarrow"),
    ("darr", r"\downarrow"),
    ("hArr", r"\Leftrightarrow"),
    ("Harr", r"\Leftrightarrow"),
    ("lrArr", r"\Leftrightarrow"),
    ("Lrarr", r"\Leftrightarrow"),
    ("harr", r"\leftrightarrow"),
    ("lrarr", r"\leftrightarrow"),
    ("sdot", r"\cdot"),
    ("plusmn", r"\pm"),
    ("Dagger", r"\ddagger"),
    ("angln", r"\angl{n}"),
    ("infin", r"\infty"),
    ("clubs", r"\clubsuit"),
    ("diamonds", r"\diamondsuit"),
    ("spades", r"\spadesuit"),
    ("hearts", r"\heartsuit"),
    ("minuso", "\\mathbin{\u{29B5}}"),
    ("utilde", r"\underset{\sim}{#1}"),
    ("overlinesegment", r"\overline{#1}"),
    ("underlinesegment", r"\underline{#1}"),
    ("xtofrom", r"\overset{#2}{\underset{#1}{\rightleftarrows}}"),
    ("xlongequal", r"\overset{#2}{\underset{#1}{=\!=}}"),
    // Arrows with text above/below that pulldown-latex lacks.
    ("xLeftarrow", r"\overset{#2}{\underset{#1}{\Longleftarrow}}"),
    (
        "xRightarrow",
        r"\overset{#2}{\underset{#1}{\Longrightarrow}}",
    ),
    (
        "xleftrightarrow",
        r"\overset{#2}{\underset{#1}{\longleftrightarrow}}",
    ),
    (
        "xLeftrightarrow",
        r"\overset{#2}{\underset{#1}{\Longleftrightarrow}}",
    ),
    ("xmapsto", r"\overset{#2}{\underset{#1}{\longmapsto}}"),
    (
        "xhookleftarrow",
        r"\overset{#2}{\underset{#1}{\hookleftarrow}}",
    ),
    (
        "xhookrightarrow",
        r"\overset{#2}{\underset{#1}{\hookrightarrow}}",
    ),
    (
        "xtwoheadrightarrow",
        r"\overset{#2}{\underset{#1}{\twoheadrightarrow}}",
    ),
    (
        "xtwoheadleftarrow",
        r"\overset{#2}{\underset{#1}{\twoheadleftarrow}}",
    ),
    (
        "xrightleftharpoons",
        r"\overset{#2}{\underset{#1}{\rightleftharpoons}}",
    ),
    (
        "xleftrightharpoons",
        r"\overset{#2}{\underset{#1}{\leftrightharpoons}}",
    ),
    (
        "xrightharpoonup",
        r"\overset{#2}{\underset{#1}{\rightharpoonup}}",
    ),
    (
        "xrightharpoondown",
        r"\overset{#2}{\underset{#1}{\rightharpoondown}}",
    ),
    (
        "xleftharpoonup",
        r"\overset{#2}{\underset{#1}{\leftharpoonup}}",
    ),
    (
        "xleftharpoondown",
        r"\overset{#2}{\underset{#1}{\leftharpoondown}}",
    ),
];

/// Built-in macros whose first parameter is optional (`\xLeftarrow[below]{above}`).
const OPTIONAL_FIRST: &[&str] = &[
    "xtofrom",
    "xlongequal",
    "xLeftarrow",
    "xRightarrow",
    "xleftrightarrow",
    "xLeftrightarrow",
    "xmapsto",
    "xhookleftarrow",
    "xhookrightarrow",
    "xtwoheadrightarrow",
    "xtwoheadleftarrow",
    "xrightleftharpoons",
    "xleftrightharpoons",
    "xrightharpoonup",
    "xrightharpoondown",
    "xleftharpoonup",
    "xleftharpoondown",
];

/// The built-in definitions, tokenized once.
pub(crate) fn builtin(name: &str) -> Option<&'static Def<'static>> {
    static TABLE: OnceLock<HashMap<&'static str, Def<'static>>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            BUILTINS
                .iter()
                .map(|(name, body)| {
                    let mut def = Def::from_body(tokenize(body));
                    if OPTIONAL_FIRST.contains(name) {
                        def.default = Some(Vec::new());
                    }
                    (*name, def)
                })
                .collect()
        })
        .get(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_commands_groups_params_and_comments() {
        let t = tokenize("\\frac{a}{#1} \\, x% note\ny");
        assert_eq!(
            t,
            vec![
                Tok::Cs("frac"),
                Tok::Open,
                Tok::Char('a'),
                Tok::Close,
                Tok::Open,
                Tok::Param(1),
                Tok::Close,
                Tok::Space,
                Tok::Cs(","),
                Tok::Space,
                Tok::Char('x'),
                Tok::Char('y'),
            ]
        );
        assert_eq!(tokenize("\\"), vec![Tok::Char('\\')]);
        assert_eq!(tokenize("\\\u{e9}"), vec![Tok::Cs("\u{e9}")]);
    }

    #[test]
    fn parameter_count_is_the_highest_param() {
        assert_eq!(Def::from_body(tokenize("#2+#1")).params, 2);
        assert_eq!(builtin("R").map(|d| d.params), Some(0));
        assert_eq!(builtin("bm").map(|d| d.params), Some(1));
        assert!(builtin("frac").is_none());
    }

    #[test]
    fn layered_macros_override() {
        let mut site = BTreeMap::new();
        site.insert("\\R".to_string(), "\\mathbb{R}".to_string());
        let mut paper = BTreeMap::new();
        paper.insert("R".to_string(), "\\mathcal{R}".to_string());
        let m = Macros::new(&site);
        let body = |m: &Macros| m.get("R").map(|d| d.body.clone());
        assert_eq!(body(&m).as_deref(), Some("\\mathbb{R}"));
        assert_eq!(body(&m.with(&paper)).as_deref(), Some("\\mathcal{R}"));
        assert!(Macros::default().is_empty());
    }
}
