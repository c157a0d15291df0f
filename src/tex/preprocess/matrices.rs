//! Plain-TeX matrices (`\matrix{a & b \cr c & d}`, `\pmatrix{…}`, `\bordermatrix{…}`),
//! `\displaylines{…}`, and amscd's commutative diagrams (`\begin{CD} A @>f>> B \end{CD}`),
//! rewritten into the environments pulldown-latex has.

use super::Engine;
use crate::tex::macros::{Tok, tokenize};

impl<'a> Engine<'a> {
    /// `\matrix`, `\pmatrix`, `\bordermatrix`, `\displaylines`: their argument becomes the
    /// body of an environment (its `\cr` are line breaks there).
    pub(super) fn matrix_command(&mut self, name: &str) -> Option<Result<(), String>> {
        let env = match name {
            "matrix" => "matrix",
            "pmatrix" => "pmatrix",
            "displaylines" => "gathered",
            "bordermatrix" => {
                return Some(self.arg(name).map(|body| {
                    let toks = bordermatrix(&body);
                    self.push_input(toks);
                }));
            }
            _ => return None,
        };
        Some(self.arg(name).map(|body| {
            let mut toks = tokenize(begin(env));
            toks.extend(body);
            toks.extend(tokenize(end(env)));
            self.push_input(toks);
        }))
    }

    /// The body of `\begin{CD}`, up to its `\end{CD}`, as a matrix of objects and arrows.
    pub(super) fn cd(&mut self) -> Result<(), String> {
        let mut body = Vec::new();
        let mut depth = 0usize;
        loop {
            let t = self.stack.pop().ok_or("`\\begin{CD}` is never ended")?;
            match t {
                Tok::Open => depth += 1,
                Tok::Close => depth = depth.saturating_sub(1),
                Tok::Cs("end") if depth == 0 => {
                    let name = self.arg("end")?;
                    if name == [Tok::Char('C'), Tok::Char('D')] {
                        break;
                    }
                    return Err("`\\begin{CD}` is ended by another environment".into());
                }
                _ => {}
            }
            body.push(t);
        }
        let toks = commutative_diagram(&body)?;
        self.push_input(toks);
        Ok(())
    }

    /// Puts `toks` in front of the input still to read.
    fn push_input(&mut self, toks: Vec<Tok<'a>>) {
        self.stack.extend(toks.into_iter().rev());
    }
}

fn begin(env: &str) -> &'static str {
    match env {
        "pmatrix" => "\\begin{pmatrix}",
        "gathered" => "\\begin{gathered}",
        _ => "\\begin{matrix}",
    }
}

fn end(env: &str) -> &'static str {
    match env {
        "pmatrix" => "\\end{pmatrix}",
        "gathered" => "\\end{gathered}",
        _ => "\\end{matrix}",
    }
}

/// `toks` split at `sep` tokens outside groups.
fn split<'t, 'a>(toks: &'t [Tok<'a>], sep: impl Fn(&Tok) -> bool) -> Vec<&'t [Tok<'a>]> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            t if depth == 0 && sep(t) => {
                out.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&toks[start..]);
    out
}

/// Rows (split at `\cr` or `\\`) and their cells (split at `&`).
fn cells<'t, 'a>(toks: &'t [Tok<'a>]) -> Vec<Vec<&'t [Tok<'a>]>> {
    split(toks, |t| matches!(t, Tok::Cs("cr" | "\\")))
        .into_iter()
        .filter(|row| row.iter().any(|t| *t != Tok::Space))
        .map(|row| split(row, |t| *t == Tok::Char('&')))
        .collect()
}

/// `\bordermatrix{ & c_1 & c_2 \cr r_1 & a & b \cr …}`: the body in parentheses, its column
/// labels above and its row labels to the left. Each label is sized by the phantom of its
/// column or row, so that it lines up with the body.
fn bordermatrix<'a>(toks: &[Tok<'a>]) -> Vec<Tok<'a>> {
    let rows = cells(toks);
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let width = body
        .iter()
        .map(|r| r.len().saturating_sub(1))
        .max()
        .unwrap_or(0);
    let mut out = tokenize("\\begin{matrix} & \\hphantom{(}\\begin{matrix}");
    for j in 0..width {
        if j > 0 {
            out.push(Tok::Char('&'));
        }
        out.extend(tokenize("\\overset{\\textstyle\\mathclap{"));
        out.extend_from_slice(header.get(j + 1).copied().unwrap_or_default());
        out.extend(tokenize("}}{\\hphantom{\\begin{matrix}"));
        for (i, row) in body.iter().enumerate() {
            if i > 0 {
                out.push(Tok::Cs("\\"));
            }
            out.extend_from_slice(row.get(j + 1).copied().unwrap_or_default());
        }
        out.extend(tokenize("\\end{matrix}}}"));
    }
    out.extend(tokenize("\\end{matrix}\\hphantom{)} \\\\ \\begin{matrix}"));
    for (i, row) in body.iter().enumerate() {
        if i > 0 {
            out.push(Tok::Cs("\\"));
        }
        out.extend_from_slice(row.first().copied().unwrap_or_default());
        out.extend(tokenize("\\vphantom{"));
        for cell in row.iter().skip(1) {
            out.extend_from_slice(cell);
        }
        out.push(Tok::Close);
    }
    out.extend(tokenize("\\end{matrix} & \\begin{pmatrix}"));
    for (i, row) in body.iter().enumerate() {
        if i > 0 {
            out.push(Tok::Cs("\\"));
        }
        for (j, cell) in row.iter().enumerate().skip(1) {
            if j > 1 {
                out.push(Tok::Char('&'));
            }
            out.extend_from_slice(cell);
        }
    }
    out.extend(tokenize("\\end{pmatrix}\\end{matrix}"));
    out
}

/// One item of a row of a commutative diagram.
enum CdItem<'t, 'a> {
    Object(&'t [Tok<'a>]),
    /// `@>a>b>`, `@<a<b<`, `@=`: written between objects.
    Horizontal(Vec<Tok<'a>>),
    /// `@VaVbV`, `@AaAbA`, `@|`, `@.`: written under an object.
    Vertical(Vec<Tok<'a>>),
}

/// A `CD` body: rows of objects and horizontal arrows, alternating with rows of vertical
/// arrows, as a matrix whose even columns hold the objects and the vertical arrows under them.
fn commutative_diagram<'a>(toks: &[Tok<'a>]) -> Result<Vec<Tok<'a>>, String> {
    let mut out = tokenize("\\begin{matrix}");
    let rows = split(toks, |t| matches!(t, Tok::Cs("\\" | "cr")));
    let rows = rows
        .iter()
        .filter(|row| row.iter().any(|t| *t != Tok::Space));
    for (n, row) in rows.enumerate() {
        if n > 0 {
            out.push(Tok::Cs("\\"));
        }
        // Items alternate: object, arrow, object … (objects may be empty).
        let items = cd_items(row)?;
        let vertical = items.iter().all(|item| match item {
            CdItem::Object(t) => t.iter().all(|t| *t == Tok::Space),
            CdItem::Horizontal(_) => false,
            CdItem::Vertical(_) => true,
        });
        let mut cells: Vec<Vec<Tok<'a>>> = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let (column, toks) = match item {
                CdItem::Object(t) => (i, t.to_vec()),
                // Under the object before it in a row of vertical arrows.
                CdItem::Vertical(t) if vertical => (i - 1, t),
                CdItem::Horizontal(t) | CdItem::Vertical(t) => (i, t),
            };
            if cells.len() <= column {
                cells.resize(column + 1, Vec::new());
            }
            cells[column].extend(toks);
        }
        for (column, cell) in cells.into_iter().enumerate() {
            if column > 0 {
                out.push(Tok::Char('&'));
            }
            out.extend(cell);
        }
    }
    out.extend(tokenize("\\end{matrix}"));
    Ok(out)
}

/// The items of a row: objects between `@` arrows.
fn cd_items<'t, 'a>(row: &'t [Tok<'a>]) -> Result<Vec<CdItem<'t, 'a>>, String> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut depth = 0usize;
    while i < row.len() {
        match row[i] {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Char('@') if depth == 0 => {
                items.push(CdItem::Object(&row[start..i]));
                let (item, next) = cd_arrow(row, i + 1)?;
                items.push(item);
                i = next;
                start = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    items.push(CdItem::Object(&row[start..]));
    Ok(items)
}

/// The arrow after an `@` at `i`, and the index after it.
fn cd_arrow<'t, 'a>(row: &'t [Tok<'a>], i: usize) -> Result<(CdItem<'t, 'a>, usize), String> {
    const BAD: &str = "`CD`: an arrow must be one of @>>>, @<<<, @VVV, @AAA, @=, @|, @.";
    let Some(kind) = row.get(i).copied() else {
        return Err(BAD.into());
    };
    let labels = |delim: char| -> Result<(Vec<&'t [Tok<'a>]>, usize), String> {
        let mut parts = Vec::new();
        let mut start = i + 1;
        let mut depth = 0usize;
        let mut j = i + 1;
        while parts.len() < 2 {
            match row.get(j) {
                None => return Err(BAD.into()),
                Some(Tok::Open) => depth += 1,
                Some(Tok::Close) => depth = depth.saturating_sub(1),
                Some(Tok::Char(c)) if *c == delim && depth == 0 => {
                    parts.push(&row[start..j]);
                    start = j + 1;
                }
                _ => {}
            }
            j += 1;
        }
        Ok((parts, j))
    };
    let item = match kind {
        Tok::Char(c @ ('>' | '<')) => {
            let (parts, next) = labels(c)?;
            // The labels padded, so that the arrow is long enough to read as one.
            let mut t = tokenize(if c == '>' {
                "\\xrightarrow[\\hspace{1em}"
            } else {
                "\\xleftarrow[\\hspace{1em}"
            });
            t.extend_from_slice(parts[1]);
            t.extend(tokenize("\\hspace{1em}]{\\hspace{1em}"));
            t.extend_from_slice(parts[0]);
            t.extend(tokenize("\\hspace{1em}}"));
            return Ok((CdItem::Horizontal(t), next));
        }
        Tok::Char(c @ ('V' | 'A')) => {
            let (parts, next) = labels(c)?;
            let mut t = tokenize("\\mathllap{\\scriptstyle ");
            t.extend_from_slice(parts[0]);
            t.extend(tokenize(if c == 'V' {
                "}\\Big\\downarrow\\mathrlap{\\scriptstyle "
            } else {
                "}\\Big\\uparrow\\mathrlap{\\scriptstyle "
            }));
            t.extend_from_slice(parts[1]);
            t.push(Tok::Close);
            return Ok((CdItem::Vertical(t), next));
        }
        Tok::Char('=') => CdItem::Horizontal(tokenize("=\\!\\!\\!=\\!\\!\\!=")),
        Tok::Char('|') | Tok::Cs("|") => CdItem::Vertical(tokenize("\\Big\\Vert")),
        Tok::Char('.') => CdItem::Vertical(Vec::new()),
        _ => return Err(BAD.into()),
    };
    Ok((item, i + 1))
}
