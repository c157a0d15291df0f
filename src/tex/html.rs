//! Parsed text (see [`super::text`]) written as HTML: paragraphs, lists, styles, links, and
//! every formula rendered as MathML, numbered and labelled from one formula to the next, with
//! references resolved once the whole text is written.

use super::preprocess::Label;
use super::splice::{self, EQREF_END, REF, REF_END};
use super::text::{self, Item, ListKind, Node, Style};
use super::{Layout, Macros, Sequence, TexProblem, undefined_problem};
use crate::base::text::{is_safe_url, push_escaped};

/// Opens a word that holds inline formulas and must not be broken.
const WORD_OPEN: &str = "<span class=\"tex-word\">";

/// Ends a reference in prose shown as a link to `(tag)`.
const EQREF_LINK_END: char = '\u{F8F3}';
/// Ends a reference in prose shown as a link to `tag`.
const REF_LINK_END: char = '\u{F8F4}';

/// Renders `src` (text with TeX markup) as HTML.
pub(super) fn write(
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
        link: 0,
        formulas: Sequence::new(src),
        references: !src.chars().any(splice::is_reference_mark),
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
    let HtmlWriter {
        mut out, formulas, ..
    } = w;
    formulas.finish(&mut out, src, problems);
    out
}

/// Replaces the reference placeholders in `out[from..]` with the tags of their labels (links
/// in prose); returns the keys that have no label, once each.
pub(super) fn resolve_references(out: &mut String, from: usize, labels: &[Label]) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    let mut result = String::with_capacity(out.len() + 64);
    result.push_str(&out[..from]);
    let mut rest = &out[from..];
    while let Some(start) = rest.find(REF) {
        result.push_str(&rest[..start]);
        let after = &rest[start + REF.len_utf8()..];
        let Some((end, kind)) = after
            .char_indices()
            .find(|(_, c)| matches!(*c, EQREF_END | REF_END | EQREF_LINK_END | REF_LINK_END))
        else {
            rest = after;
            continue;
        };
        let key = &after[..end];
        let label = labels.iter().find(|l| l.key == key);
        let tag = label.map_or("?", |l| l.tag.as_str());
        if label.is_none() && !missing.iter().any(|m| m == key) {
            missing.push(key.to_string());
        }
        let parens = matches!(kind, EQREF_END | EQREF_LINK_END);
        let link = matches!(kind, EQREF_LINK_END | REF_LINK_END)
            .then_some(label)
            .flatten()
            .filter(|l| !l.id.is_empty());
        if let Some(l) = link {
            result.push_str("<a href=\"#");
            push_escaped(&mut result, &l.id);
            result.push_str("\">");
        }
        if parens {
            result.push('(');
        }
        push_escaped(&mut result, tag);
        if parens {
            result.push(')');
        }
        if link.is_some() {
            result.push_str("</a>");
        }
        rest = &after[end + kind.len_utf8()..];
    }
    result.push_str(rest);
    *out = result;
    missing
}

/// A small, stable hash (FNV-1a), for anchors unique to a text.
pub(super) fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    /// Inside a link: links nested in it (a bare URL, `\url`, `\ref`) are written as their
    /// text, as HTML has no link inside a link.
    link: usize,
    /// The formulas of the text: numbers and labels.
    formulas: Sequence,
    /// References can be written as placeholders (the text has none of their characters).
    references: bool,
}

impl<'n> HtmlWriter<'_, '_> {
    /// A formula: MathML, or its source in `<code class="math-error">` with the reason.
    fn formula(&mut self, tex: &str, source: &str, display: bool) {
        let offset = text::offset_in(self.src, source);
        self.formulas.push_math(
            &mut self.out,
            tex,
            source,
            offset,
            display,
            self.macros,
            self.problems,
        );
    }

    /// Math its author left in the prose: inline MathML, or the source as text.
    fn run(&mut self, tex: &str) {
        let offset = text::offset_in(self.src, tex);
        match self
            .formulas
            .render(&text::run_tex(tex), false, self.macros, &mut self.out)
        {
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

    /// `\eqref{key}`, `\ref{key}` in prose: a link to the equation, resolved at the end.
    fn reference(&mut self, key: &str, eq: bool) {
        if self.references && !key.is_empty() && !key.contains(['<', '&', '"']) {
            self.out.push(REF);
            self.out.push_str(key);
            self.out.push(match (eq, self.link > 0) {
                (true, false) => EQREF_LINK_END,
                (false, false) => REF_LINK_END,
                (true, true) => EQREF_END,
                (false, true) => REF_END,
            });
        } else {
            self.out.push_str(if eq { "(?)" } else { "?" });
        }
    }

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
                self.node_refs(text);
                self.phrasing -= 1;
                self.out.push_str("</p>");
            }
            if let Some(list) = list {
                self.node_refs(&[list]);
            }
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        let refs: Vec<&Node> = nodes.iter().collect();
        self.node_refs(&refs);
    }

    /// Writes nodes; an inline formula glued to the text around it (`Cu$_3$O`, `$n$-th`) is
    /// kept on one line with it, in a `<span class="tex-word">`, as TeX would not break there.
    fn node_refs(&mut self, nodes: &[&Node]) {
        let mut word = false;
        for (i, node) in nodes.iter().enumerate() {
            let inline_math = matches!(node, Node::Math { display: false, .. } | Node::Run(_));
            if inline_math && !word {
                let glued_after = matches!(nodes.get(i + 1), Some(Node::Text(t)) if t.starts_with(|c: char| !c.is_whitespace()));
                match self.word_start() {
                    Some(at) => {
                        self.out.insert_str(at, WORD_OPEN);
                        word = true;
                    }
                    None if glued_after => {
                        self.out.push_str(WORD_OPEN);
                        word = true;
                    }
                    None => {}
                }
            } else if word && !inline_math {
                if let Node::Text(t) = node {
                    let end = t.find(char::is_whitespace).unwrap_or(t.len());
                    push_escaped(&mut self.out, &t[..end]);
                    if end < t.len() {
                        self.out.push_str("</span>");
                        word = false;
                        push_escaped(&mut self.out, &t[end..]);
                    }
                    continue;
                }
                self.out.push_str("</span>");
                word = false;
            }
            self.node(node);
        }
        if word {
            self.out.push_str("</span>");
        }
    }

    /// Where the word the output ends with starts (a run of text without space or markup).
    fn word_start(&self) -> Option<usize> {
        let start = self
            .out
            .char_indices()
            .rev()
            .take_while(|(_, c)| !c.is_whitespace() && *c != '>')
            .last()
            .map(|(i, _)| i)?;
        // Not inside a character reference or a tag that is still open.
        (!self.out[start..].contains('<')).then_some(start)
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Text(t) => push_escaped(&mut self.out, t),
            Node::Math {
                tex,
                source,
                display,
            } => self.formula(tex, source, *display),
            Node::Run(tex) => self.run(tex),
            Node::Ref { key, eq } => self.reference(key, *eq),
            Node::Style(style, children) => {
                let (open, close) = style_tags(*style);
                self.out.push_str(open);
                self.phrasing += usize::from(!open.is_empty());
                self.nodes(children);
                self.phrasing -= usize::from(!open.is_empty());
                self.out.push_str(close);
            }
            Node::Link { url, children } if self.link == 0 && is_safe_url(url) => {
                self.out.push_str("<a href=\"");
                push_escaped(&mut self.out, url.trim());
                self.out.push_str("\">");
                self.phrasing += 1;
                self.link += 1;
                self.nodes(children);
                self.link -= 1;
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
