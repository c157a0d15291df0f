//! TeX → HTML + MathML at build time.
//!
//! `text/` parses text-mode TeX (abstracts, titles) into a small tree and `html.rs` writes it,
//! handing every formula to this module: rewritten (`preprocess/`), rendered by pulldown-latex,
//! with the MathML it lacks spliced in (`splice.rs`). A command pulldown-latex does not know is
//! shown as its name, marked; a formula that cannot be rendered at all is shown as its source in
//! `<code class="math-error">` and reported, never dropped and never fatal. [`markdown`] renders
//! Markdown with math; [`preamble`] reads a preamble file of macro definitions.

mod accents;
mod html;
mod known;
mod macros;
pub mod markdown;
pub mod preamble;
mod preprocess;
mod splice;
mod text;

use std::cell::RefCell;

use known::{UNKNOWN, first_line, unknown_commands};
pub use macros::{MacroDef, Macros};
use preprocess::{Label, Numbering};
pub use text::TexProblem;

use crate::base::text::push_escaped;

/// Whether rendered text is a block (paragraphs) or inline (a title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Wrapped in `<p>` per paragraph.
    Block,
    /// Phrasing content only; paragraph breaks become spaces.
    Inline,
}

/// Renders text with TeX markup to HTML; problems are appended to `problems`.
pub fn text_to_html(src: &str, layout: Layout, problems: &mut Vec<TexProblem>) -> String {
    text_to_html_with(src, layout, &Macros::default(), problems)
}

/// [`text_to_html`] with the author's macros available in formulas.
pub fn text_to_html_with(
    src: &str,
    layout: Layout,
    macros: &Macros,
    problems: &mut Vec<TexProblem>,
) -> String {
    html::write(src, layout, macros, problems)
}

/// Renders one formula as MathML, or as its source in `<code class="math-error">` with the
/// reason in a tooltip (and a problem recorded at `offset`). `source` is the formula with its
/// delimiters.
pub fn push_math(
    out: &mut String,
    tex: &str,
    source: &str,
    offset: usize,
    display: bool,
    problems: &mut Vec<TexProblem>,
) {
    push_math_with(
        out,
        tex,
        source,
        offset,
        display,
        &Macros::default(),
        problems,
    );
}

/// [`push_math`] with the author's macros. Undefined control sequences, shown as marks, are
/// recorded as problems too (with [`TexProblem::undefined`] set).
pub fn push_math_with(
    out: &mut String,
    tex: &str,
    source: &str,
    offset: usize,
    display: bool,
    macros: &Macros,
    problems: &mut Vec<TexProblem>,
) {
    let rendered = math_to_mathml_with(tex, display, macros, out);
    report(rendered, out, source, offset, problems);
}

/// What rendering a formula found: its undefined macros as problems, or its error, with the
/// source written in place of the formula.
fn report(
    rendered: Result<Vec<String>, String>,
    out: &mut String,
    source: &str,
    offset: usize,
    problems: &mut Vec<TexProblem>,
) {
    match rendered {
        Ok(undefined) => problems.extend(
            undefined
                .into_iter()
                .map(|name| undefined_problem(offset, source, name)),
        ),
        Err(message) => {
            push_source(out, source, &message);
            problems.push(TexProblem {
                offset,
                source: source.to_string(),
                message,
                undefined: None,
            });
        }
    }
}

/// The formulas of one text (an abstract, a Markdown body), rendered in order: numbered
/// equations numbered from one formula to the next, their labels kept, and the references to
/// them resolved when the text is written ([`Sequence::finish`]).
pub struct Sequence {
    /// What the anchors of the text's labels start with (unique to the text).
    anchor: String,
    /// The number of the next numbered equation.
    next: u32,
    /// The labels of the formulas so far.
    labels: Vec<Label>,
}

impl Sequence {
    /// The formulas of the text `src`.
    pub fn new(src: &str) -> Sequence {
        Sequence {
            anchor: format!("eq-{:06x}-", html::fnv(src) & 0xff_ffff),
            next: 1,
            labels: Vec::new(),
        }
    }

    /// [`push_math_with`], numbered and labelled in this text.
    #[allow(clippy::too_many_arguments)]
    pub fn push_math(
        &mut self,
        out: &mut String,
        tex: &str,
        source: &str,
        offset: usize,
        display: bool,
        macros: &Macros,
        problems: &mut Vec<TexProblem>,
    ) {
        let rendered = self.render(tex, display, macros, out);
        report(rendered, out, source, offset, problems);
    }

    /// Renders one formula into `out`, its equations numbered on from the ones before.
    fn render(
        &mut self,
        tex: &str,
        display: bool,
        macros: &Macros,
        out: &mut String,
    ) -> Result<Vec<String>, String> {
        let numbering = Numbering {
            next: self.next,
            anchor: &self.anchor,
        };
        let rendered = render_formula(tex, display, macros, numbering, out)?;
        self.next = rendered.next;
        self.labels.extend(rendered.labels);
        Ok(rendered.undefined)
    }

    /// Resolves the references of the text written into `out` (from `src`); a reference to a
    /// label no formula has is shown as `?` and recorded as a problem.
    pub fn finish(&self, out: &mut String, src: &str, problems: &mut Vec<TexProblem>) {
        if !out.contains(splice::REF) {
            return;
        }
        for key in html::resolve_references(out, 0, &self.labels) {
            problems.push(TexProblem {
                offset: src.find(key.as_str()).unwrap_or(0),
                source: key.clone(),
                message: format!(
                    "reference to `{key}`, which no equation here is labelled: shown as ?"
                ),
                undefined: None,
            });
        }
    }
}

/// A formula that could not be rendered: its source, with the reason in a tooltip.
fn push_source(out: &mut String, source: &str, message: &str) {
    out.push_str("<code class=\"math-error\" title=\"");
    push_escaped(out, &format!("Could not render this formula: {message}"));
    out.push_str("\">");
    push_escaped(out, source);
    out.push_str("</code>");
}

/// The problem recorded for an undefined control sequence shown as a mark.
fn undefined_problem(offset: usize, source: &str, name: String) -> TexProblem {
    TexProblem {
        offset,
        source: source.to_string(),
        message: format!("undefined control sequence `\\{name}`, shown as its name"),
        undefined: Some(name),
    }
}

/// Appends the MathML of `tex` to `out`, with the TeX as an annotation, and returns the
/// undefined control sequences it shows as marks (once per use); on failure appends nothing
/// and returns the reason.
pub fn math_to_mathml(tex: &str, display: bool, out: &mut String) -> Result<Vec<String>, String> {
    math_to_mathml_with(tex, display, &Macros::default(), out)
}

thread_local! {
    /// pulldown-latex's expansion arena, reused by every formula rendered on this thread.
    static STORAGE: RefCell<pulldown_latex::Storage> = RefCell::new(pulldown_latex::Storage::new());
}

/// [`math_to_mathml`] with the author's macros. The formula is first rewritten for
/// pulldown-latex (see `preprocess/`); the annotation keeps the author's TeX. When
/// pulldown-latex does not know a control sequence, the formula is rewritten once more with
/// every unknown one shown as a mark, so that one author macro does not cost the formula.
pub fn math_to_mathml_with(
    tex: &str,
    display: bool,
    macros: &Macros,
    out: &mut String,
) -> Result<Vec<String>, String> {
    let start = out.len();
    let numbering = Numbering {
        next: 1,
        anchor: "eq-",
    };
    let rendered = render_formula(tex, display, macros, numbering, out)?;
    if out[start..].contains(splice::REF) {
        html::resolve_references(out, start, &rendered.labels);
    }
    Ok(rendered.undefined)
}

/// A formula rendered: what the text around it needs to know.
struct Rendered {
    /// The undefined control sequences shown as marks, once per use.
    undefined: Vec<String>,
    /// The number of the next numbered equation.
    next: u32,
    /// The labels the formula defines.
    labels: Vec<Label>,
}

/// Renders one formula into `out`, its numbered equations numbered from `numbering`; the
/// references in it are left as placeholders (see [`html::resolve_references`]).
fn render_formula(
    tex: &str,
    display: bool,
    macros: &Macros,
    numbering: Numbering,
    out: &mut String,
) -> Result<Rendered, String> {
    if tex.trim().is_empty() {
        return Err("empty formula".to_string());
    }
    let mut rewritten = preprocess::rewrite(tex, display, macros, &[], numbering)?;
    let mathml = match render_here(&rewritten.tex, tex, display) {
        Ok(mathml) => mathml,
        Err(message) if message == UNKNOWN => {
            let unknown = unknown_commands(&rewritten.tex);
            if unknown.is_empty() {
                return Err(message);
            }
            rewritten = preprocess::rewrite(tex, display, macros, &unknown, numbering)?;
            render_here(&rewritten.tex, tex, display)
                .map_err(|message| explain(&rewritten.tex, message))?
        }
        Err(message) => return Err(message),
    };
    let mathml = if rewritten.splices.is_empty() {
        mathml
    } else {
        splice::apply(&mathml, &rewritten.splices)?
    };
    let mathml = splice::sanitize(&mathml);
    if !splice::well_formed(&mathml) {
        return Err("this formula cannot be written as well-formed MathML".to_string());
    }
    match mathml.strip_prefix("<math") {
        // A tagged display formula keeps room for its tag on both sides.
        Some(rest) if rewritten.tagged && display => {
            out.push_str("<math class=\"math-tagged\"");
            out.push_str(rest);
        }
        _ => out.push_str(&mathml),
    }
    Ok(Rendered {
        undefined: rewritten.undefined,
        next: rewritten.next,
        labels: rewritten.labels,
    })
}

/// [`render`] with this thread's arena.
fn render_here(tex: &str, original: &str, display: bool) -> Result<String, String> {
    STORAGE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut storage) => {
            storage.reset();
            render(tex, original, display, &storage)
        }
        Err(_) => render(tex, original, display, &pulldown_latex::Storage::new()),
    })
}

/// Runs pulldown-latex on `tex` (rewritten), annotating with `original`; an error is the
/// first line of pulldown-latex's message.
fn render(
    tex: &str,
    original: &str,
    display: bool,
    storage: &pulldown_latex::Storage,
) -> Result<String, String> {
    let mut events = Vec::new();
    for event in pulldown_latex::Parser::new(tex, storage) {
        match event {
            Ok(e) => events.push(e),
            Err(e) => return Err(first_line(&e.to_string())),
        }
    }
    // pulldown-latex writes the annotation verbatim: escape it here.
    let annotation = crate::base::text::escape(original.trim());
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            pulldown_latex::config::DisplayMode::Block
        } else {
            pulldown_latex::config::DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..pulldown_latex::RenderConfig::default()
    };
    let mut mathml = String::with_capacity(tex.len() * 12 + annotation.len());
    let events = events.into_iter().map(Ok::<_, std::convert::Infallible>);
    pulldown_latex::push_mathml(&mut mathml, events, config)
        .map_err(|e| format!("MathML writer failed: {e}"))?;
    Ok(mathml)
}

/// pulldown-latex's error message, naming the command when it is an unknown one.
fn explain(tex: &str, message: String) -> String {
    if message != UNKNOWN {
        return message;
    }
    match unknown_commands(tex).first() {
        Some(name) => format!("unknown command `\\{name}`"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_formula_that_would_nest_badly_becomes_an_error() {
        // Found by the property tests: line breaks around a superscript of `~`.
        let mut problems = Vec::new();
        let html = text_to_html(r"\(\\^~\\\)", Layout::Block, &mut problems);
        assert!(
            splice::well_formed(&html.replace("<p>", "").replace("</p>", ""))
                || html.contains("math-error"),
            "{html}"
        );
        assert!(!html.contains("&lt;mtr"), "{html}");
    }

    #[test]
    fn well_formedness_is_checked() {
        assert!(splice::well_formed(
            "<math><mi>x</mi><mspace width=\"1em\" /></math>"
        ));
        assert!(!splice::well_formed("<math><msup><mi>x</mi></math></msup>"));
        assert!(!splice::well_formed("<math><mi>x</mi>"));
    }

    use super::*;

    fn html(src: &str) -> (String, Vec<TexProblem>) {
        let mut problems = Vec::new();
        (text_to_html(src, Layout::Block, &mut problems), problems)
    }

    #[test]
    fn seed_formulas_become_mathml() {
        let (h, p) = html(r"80.2 $\times$ speedup on BERT$_{\mathrm{BASE}}$ and $O(n^2)$");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(h.matches("<math").count(), 3, "{h}");
        assert!(h.contains("<annotation encoding=\"application/x-tex\">\\times</annotation>"));
        assert!(!h.contains('$'));
    }

    #[test]
    fn failed_formulas_show_source_and_are_reported() {
        let (h, p) = html(r"bad $\frac{$ here");
        assert!(
            h.contains("<code class=\"math-error\" title=\"Could not render this formula: "),
            "{h}"
        );
        assert!(h.contains(r"$\frac{$</code>"), "{h}");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].source, r"$\frac{$");
        assert_eq!(p[0].offset, 4);
    }

    #[test]
    fn undefined_macros_are_marked_and_the_rest_rendered() {
        let (h, p) = html(r"with $\eps_1 \le \norm{x}^2$ and $\text{a \foo b}$");
        assert!(!h.contains("math-error"), "{h}");
        assert_eq!(h.matches("<math").count(), 2, "{h}");
        assert!(
            h.contains(
                r#"<msub><mrow><mtext class="math-undefined">\eps</mtext></mrow><mn>1</mn></msub>"#
            ),
            "{h}"
        );
        assert!(
            h.contains(r#"<mtext class="math-undefined">\norm</mtext>"#),
            "{h}"
        );
        assert!(
            h.contains("<msup><mrow><mi>x</mi></mrow><mn>2</mn></msup>"),
            "{h}"
        );
        assert!(
            h.contains(r#"<mtext class="math-undefined">\foo</mtext>"#),
            "{h}"
        );
        let names: Vec<_> = p.iter().map(|p| p.undefined.as_deref()).collect();
        assert_eq!(names, [Some("eps"), Some("norm"), Some("foo")]);
        assert_eq!(p[0].offset, 5);
        // A name that is not a command pulldown-latex lacks is still an error.
        let mut out = String::new();
        assert!(math_to_mathml(r"x \limits", false, &mut out).is_err());
    }

    #[test]
    fn equations_are_numbered_and_references_link_to_them() {
        let (h, p) = html(
            r"By \eqref{two}, \begin{equation}a \label{one}\end{equation} so $x = \ref{one}$ and
\begin{align} b &= c \nonumber \\ d &= e \label{two} \\ f &= g \tag{$*$} \end{align} but \eqref{nope}.",
        );
        let id = |key: &str| {
            let at = h
                .find(&format!("-{key}\""))
                .unwrap_or_else(|| panic!("{key}: {h}"));
            let start = h[..at].rfind('"').unwrap_or(0) + 1;
            h[start..at + key.len() + 1]
                .trim_start_matches('#')
                .to_string()
        };
        let (one, two) = (id("one"), id("two"));
        assert!(one.starts_with("eq-") && one.ends_with("-one"), "{one}");
        assert!(h.contains(&format!("<a href=\"#{two}\">(2)</a>")), "{h}");
        assert!(
            h.contains(&format!(
                "<mrow class=\"math-tag\" id=\"{one}\"><mrow><mtext>(1)</mtext>"
            )),
            "{h}"
        );
        assert!(h.contains("<mtext>1</mtext>"), "{h}");
        assert_eq!(h.matches("class=\"math-tag\"").count(), 3, "{h}");
        assert!(h.contains("but (?)."), "{h}");
        assert!(!h.contains(splice::REF), "{h}");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("`nope`"), "{p:?}");
    }

    #[test]
    fn formulas_glued_to_words_stay_on_their_line() {
        let (h, _) = html(r"of YBa$_2$Cu$_3$O$_{7}$ and the $n$-th and $x$ alone");
        let word = h
            .find("<span class=\"tex-word\">YBa<math")
            .unwrap_or_else(|| panic!("{h}"));
        let end = h[word..].find("</span>").map(|n| word + n).unwrap_or(0);
        assert_eq!(h[word..end].matches("<math").count(), 3, "{h}");
        assert!(h[..end].ends_with("</math>"), "{h}");
        assert!(h.contains("the <span class=\"tex-word\"><math"), "{h}");
        assert!(h.contains("</math>-th</span> and"), "{h}");
        assert!(h.contains(" and <math"), "{h}");
        assert_eq!(h.matches("tex-word").count(), 2, "{h}");
    }

    #[test]
    fn lists_are_blocks_between_paragraphs() {
        let (h, _) =
            html("We show:\n\\begin{itemize}\\item one\n\\item[(b)] two\\end{itemize}\nDone.");
        assert_eq!(
            h,
            "<p>We show: </p><ul class=\"tex-list\"><li>one </li><li class=\"tex-labelled\"><span class=\"tex-label\">(b)</span> two</li></ul><p> Done.</p>"
        );
        let mut p = Vec::new();
        let t = text_to_html(
            r"A \begin{enumerate}\item x\item y\end{enumerate}",
            Layout::Inline,
            &mut p,
        );
        assert_eq!(t, "A  (1) x (2) y");
    }

    #[test]
    fn annotations_and_text_are_escaped() {
        let (h, _) = html(r"<script>alert(1)</script> $a < b</annotation><script>x</script>$");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn paragraphs_and_inline_layout() {
        let (h, _) = html("one\n\ntwo");
        assert_eq!(h, "<p>one</p><p>two</p>");
        let mut p = Vec::new();
        assert_eq!(
            text_to_html("a \\emph{b}", Layout::Inline, &mut p),
            "a <em>b</em>"
        );
    }

    #[test]
    fn javascript_links_are_refused() {
        let (h, _) = html(r"\href{javascript:alert(1)}{click}");
        assert_eq!(h, "<p>click</p>");
    }

    #[test]
    fn links_inside_a_link_are_its_text() {
        let (h, _) =
            html(r"\href{https://a.io}{see http://b.io, \url{c}, \ref{x}} \href{}{http://./");
        assert_eq!(
            h,
            r#"<p><a href="https://a.io">see http://b.io, c, ?</a> <a href="">http://./</a></p>"#
        );
    }
}
