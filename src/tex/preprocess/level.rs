//! The nesting levels of a formula being rewritten, and what each knows: its kind, where its
//! content and current cell start, a pending infix fraction, its tags and numbering, its math
//! style and size. Data only; the families that read and change it are `rows`, `fractions`,
//! `tags`, `styles` and `boxes`.

use super::fractions::Infix;
use crate::tex::macros::Tok;

/// A kind of nesting level: where `\\`, `&` and infix fractions apply.
#[derive(Debug)]
pub(super) enum Kind {
    /// The whole formula.
    Top,
    /// `{…}`.
    Brace,
    /// `{…}` whose rows are separated by `\\` natively (`\substack`).
    Rows,
    /// `\left … \right`.
    LeftRight,
    /// `\begin{name} … \end{name}`; `end` is what is written for `\end{name}`.
    Env { name: String, end: &'static str },
}

#[derive(Debug)]
pub(super) struct Level<'a> {
    pub kind: Kind,
    /// Output offset where the level's content starts.
    pub start: usize,
    /// Output offset where the current cell/row starts (infix fractions span it).
    pub segment: usize,
    /// An infix fraction in the current segment, and the output offset of its split.
    pub infix: Option<(Infix, usize)>,
    /// `\\` seen outside an environment: the level becomes `gathered`.
    pub lines: bool,
    /// `\tag{…}` of the current row (`true`: starred, no parentheses).
    pub tag: Option<(Vec<Tok<'a>>, bool)>,
    /// An environment that takes tags and labels (`align`, `equation` …, starred or not).
    pub taggable: bool,
    /// How the environment numbers its equations, if it does.
    pub numbered: Option<Numbered>,
    /// `\nonumber` in the current row.
    pub no_number: bool,
    /// `\label`s of the current row.
    pub labels: Vec<String>,
    /// Each row's tag goes in a cell of its own (`align`, `gather` …).
    pub row_tags: bool,
    /// TeX's style here.
    pub style: MathStyle,
    /// An explicit style command is in effect (pulldown-latex knows the style too).
    pub explicit: bool,
    /// Arguments still to come and their style (a fraction's, a script's).
    pub pending: Option<Pending>,
    /// A splice to close after the environment's end (`smallmatrix`).
    pub splice_after: Option<usize>,
    /// The size at the start of each cell (relative to `\normalsize`).
    pub base_size: f32,
    /// The current size.
    pub size: f32,
    /// Size commands of the current cell: output offset, size relative to the one before.
    pub sizes: Vec<(usize, f32)>,
}

impl Level<'_> {
    pub fn new(kind: Kind, start: usize, size: f32) -> Self {
        Level {
            kind,
            start,
            segment: start,
            infix: None,
            lines: false,
            tag: None,
            taggable: false,
            numbered: None,
            no_number: false,
            labels: Vec::new(),
            row_tags: false,
            style: MathStyle::Text,
            explicit: false,
            pending: None,
            splice_after: None,
            base_size: size,
            size,
            sizes: Vec::new(),
        }
    }

    /// The level of the whole formula.
    pub fn top(display: bool) -> Self {
        let mut level = Level::new(Kind::Top, 0, 1.0);
        level.style = if display {
            MathStyle::Display
        } else {
            MathStyle::Text
        };
        level
    }

    /// Whether `\\` and `&` belong to this level natively.
    pub fn has_rows(&self) -> bool {
        matches!(self.kind, Kind::Env { .. } | Kind::Rows)
    }
}

/// TeX's four math styles (cramped styles do not matter here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MathStyle {
    Display,
    Text,
    Script,
    ScriptScript,
}

/// The groups that come next at a level and the style they are set in: a fraction's two
/// arguments, a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pending {
    /// How many arguments are still to come.
    pub count: u8,
    /// Their style.
    pub style: MathStyle,
    /// The style is a fraction's, to be made explicit under an explicit style.
    pub fraction: bool,
}

/// How an environment is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Numbered {
    /// Each row (`align`, `gather`).
    Rows,
    /// The whole environment once (`equation`, `multline`).
    Whole,
}
