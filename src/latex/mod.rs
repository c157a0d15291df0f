//! TeX → HTML + MathML at build time.
//!
//! [`text`] parses text-mode TeX (abstracts, titles) into a small tree; this module renders it,
//! handing every formula to pulldown-latex. A formula that cannot be rendered is shown as its
//! source in `<code class="math-error">` and reported, never dropped and never fatal.

mod accents;
mod known;
mod macros;
mod preprocess;
mod splice;
mod text;

use std::cell::RefCell;

use known::{UNKNOWN, first_line, unknown_commands};
pub use macros::Macros;
pub use text::TexProblem;
use text::{Item, ListKind, Node, Style};

use crate::text::{is_safe_url, push_escaped};

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
    let nodes = text::parse(src, problems);
    let mut w = HtmlWriter {
        src,
        out: String::with_capacity(src.len() + src.len() / 2),
        macros,
        problems,
        phrasing: 0,
    };
    match layout {
        Layout::Block => {
            for paragraph in nodes.split(|n| *n == Node::ParBreak) {
                w.paragraph(paragraph);
            }
        }
        Layout::Inline => {
            w.phrasing += 1;
            w.nodes(&nodes);
        }
    }
    w.out
}

/// Writes parsed nodes as HTML, reporting formulas that fail with their offset in `src`.
struct HtmlWriter<'s, 'p> {
    src: &'s str,
    out: String,
    macros: &'s Macros,
    problems: &'p mut Vec<TexProblem>,
    /// Inside elements that take phrasing content only (a title, `<em>`, `<a>`): lists are
    /// written inline there.
    phrasing: usize,
}

impl<'n> HtmlWriter<'_, '_> {
    /// A paragraph: `<p>` around its text, lists between them as blocks.
    fn paragraph(&mut self, nodes: &'n [Node<'n>]) {
        let mut flat: Vec<&'n Node<'n>> = Vec::with_capacity(nodes.len());
        flatten_blocks(nodes, &mut flat);
        for run in flat.split_inclusive(|n| matches!(n, Node::List(..))) {
            let (text, list) = match run.split_last() {
                Some((last @ Node::List(..), text)) => (text, Some(*last)),
                _ => (run, None),
            };
            if !text.iter().all(|n| is_blank(n)) {
                self.out.push_str("<p>");
                self.phrasing += 1;
                for node in text {
                    self.nodes(std::slice::from_ref(*node));
                }
                self.phrasing -= 1;
                self.out.push_str("</p>");
            }
            if let Some(list) = list {
                self.nodes(std::slice::from_ref(list));
            }
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Text(t) => push_escaped(&mut self.out, t),
                Node::Math {
                    tex,
                    source,
                    display,
                } => {
                    let offset = text::offset_in(self.src, source);
                    push_math_with(
                        &mut self.out,
                        tex,
                        source,
                        offset,
                        *display,
                        self.macros,
                        self.problems,
                    );
                }
                Node::Run(tex) => {
                    let offset = text::offset_in(self.src, tex);
                    let math = text::run_tex(tex);
                    match math_to_mathml_with(&math, false, self.macros, &mut self.out) {
                        Ok(undefined) => self.problems.extend(
                            undefined
                                .into_iter()
                                .map(|name| undefined_problem(offset, tex, name)),
                        ),
                        Err(message) => {
                            push_escaped(&mut self.out, tex);
                            self.problems.push(TexProblem {
                                offset,
                                source: tex.to_string(),
                                message: format!(
                                    "math outside `$…$` that cannot be rendered ({message}): shown as written"
                                ),
                                undefined: None,
                            });
                        }
                    }
                }
                Node::Style(style, children) => {
                    let (open, close) = style_tags(*style);
                    self.out.push_str(open);
                    self.phrasing += usize::from(!open.is_empty());
                    self.nodes(children);
                    self.phrasing -= usize::from(!open.is_empty());
                    self.out.push_str(close);
                }
                Node::Link { url, children } if is_safe_url(url) => {
                    self.out.push_str("<a href=\"");
                    push_escaped(&mut self.out, url.trim());
                    self.out.push_str("\">");
                    self.phrasing += 1;
                    self.nodes(children);
                    self.phrasing -= 1;
                    self.out.push_str("</a>");
                }
                Node::Link { children, .. } => self.nodes(children),
                Node::List(kind, items) if self.phrasing > 0 => self.inline_list(*kind, items),
                Node::List(kind, items) => self.list(*kind, items),
                Node::LineBreak => self.out.push_str("<br>"),
                Node::ParBreak => self.out.push(' '),
                Node::Undefined(source) => {
                    self.out.push_str("<span class=\"math-undefined\">");
                    push_escaped(&mut self.out, source);
                    self.out.push_str("</span>");
                }
                Node::Raw(source) => push_escaped(&mut self.out, source),
            }
        }
    }

    /// A list as `<ul>`, `<ol>` or `<dl>`.
    fn list(&mut self, kind: ListKind, items: &[Item]) {
        let (open, close) = match kind {
            ListKind::Itemize => ("<ul class=\"tex-list\">", "</ul>"),
            ListKind::Enumerate => ("<ol class=\"tex-list\">", "</ol>"),
            ListKind::Description => ("<dl class=\"tex-list\">", "</dl>"),
        };
        self.out.push_str(open);
        for item in items {
            if kind == ListKind::Description {
                self.out.push_str("<dt>");
                self.phrasing += 1;
                self.nodes(item.label.as_deref().unwrap_or_default());
                self.phrasing -= 1;
                self.out.push_str("</dt><dd>");
                self.nodes(&item.body);
                self.out.push_str("</dd>");
                continue;
            }
            match &item.label {
                Some(label) => {
                    self.out
                        .push_str("<li class=\"tex-labelled\"><span class=\"tex-label\">");
                    self.phrasing += 1;
                    self.nodes(label);
                    self.phrasing -= 1;
                    self.out.push_str("</span> ");
                }
                None => self.out.push_str("<li>"),
            }
            self.nodes(&item.body);
            self.out.push_str("</li>");
        }
        self.out.push_str(close);
    }

    /// A list where only phrasing content may go: its items in a row, with their markers.
    fn inline_list(&mut self, kind: ListKind, items: &[Item]) {
        for (n, item) in items.iter().enumerate() {
            self.out.push(' ');
            match (&item.label, kind) {
                (Some(label), _) => {
                    self.nodes(label);
                    self.out.push_str(if kind == ListKind::Description {
                        ": "
                    } else {
                        " "
                    });
                }
                (None, ListKind::Enumerate) => self.out.push_str(&format!("({}) ", n + 1)),
                (None, _) => self.out.push_str("• "),
            }
            self.nodes(&item.body);
        }
    }
}

/// The nodes of a paragraph with unstyled groups that hold lists opened up, so that the lists
/// are at its top level.
fn flatten_blocks<'n>(nodes: &'n [Node<'n>], out: &mut Vec<&'n Node<'n>>) {
    for node in nodes {
        match node {
            Node::Style(Style::Plain, children) if children.iter().any(holds_list) => {
                flatten_blocks(children, out);
            }
            n => out.push(n),
        }
    }
}

/// Whether a node is a list or an unstyled group holding one.
fn holds_list(node: &Node) -> bool {
    match node {
        Node::List(..) => true,
        Node::Style(Style::Plain, children) => children.iter().any(holds_list),
        _ => false,
    }
}

/// Whether a node shows nothing but white space.
fn is_blank(node: &Node) -> bool {
    match node {
        Node::Text(t) => t.trim().is_empty(),
        Node::Style(Style::Plain, children) => children.iter().all(is_blank),
        _ => false,
    }
}

fn style_tags(style: Style) -> (&'static str, &'static str) {
    match style {
        Style::Em => ("<em>", "</em>"),
        Style::Strong => ("<strong>", "</strong>"),
        Style::Code => ("<code>", "</code>"),
        Style::SmallCaps => ("<span class=\"smallcaps\">", "</span>"),
        Style::Underline => ("<u>", "</u>"),
        Style::Sup => ("<sup>", "</sup>"),
        Style::Sub => ("<sub>", "</sub>"),
        Style::Plain => ("", ""),
    }
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
    match math_to_mathml_with(tex, display, macros, out) {
        Ok(undefined) => problems.extend(
            undefined
                .into_iter()
                .map(|name| undefined_problem(offset, source, name)),
        ),
        Err(message) => {
            out.push_str("<code class=\"math-error\" title=\"");
            push_escaped(out, &format!("Could not render this formula: {message}"));
            out.push_str("\">");
            push_escaped(out, source);
            out.push_str("</code>");
            problems.push(TexProblem {
                offset,
                source: source.to_string(),
                message,
                undefined: None,
            });
        }
    }
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
    if tex.trim().is_empty() {
        return Err("empty formula".to_string());
    }
    let mut rewritten = preprocess::rewrite(tex, display, macros, &[])?;
    let mathml = match render_here(&rewritten.tex, tex, display) {
        Ok(mathml) => mathml,
        Err(message) if message == UNKNOWN => {
            let unknown = unknown_commands(&rewritten.tex);
            if unknown.is_empty() {
                return Err(message);
            }
            rewritten = preprocess::rewrite(tex, display, macros, &unknown)?;
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
    out.push_str(&mathml);
    Ok(rewritten.undefined)
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
    let annotation = crate::text::escape(original.trim());
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
}
