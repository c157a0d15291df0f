//! Environments in text: math environments become display math (`equation`, `align`,
//! `gather`, `multline`, `eqnarray`, `displaymath` …, starred or not), lists become lists
//! (`itemize`, `enumerate`, `description`, with `\item[label]`; options such as
//! `[leftmargin=3pc]` are ignored), and any other environment (`center`, `quote` …) keeps its
//! content.

use super::{Item, ListKind, MAX_NESTING, Node, Parser, Seq, Stop, starts_with_command};

/// Environments whose body is math, rendered as a display formula including `\begin…\end`.
const MATH_ENVS_WHOLE: &[&str] = &[
    "align",
    "align*",
    "aligned",
    "gather",
    "gather*",
    "gathered",
    "multline",
    "multline*",
    "alignat",
    "alignat*",
    "flalign",
    "flalign*",
    "eqnarray",
    "eqnarray*",
    "split",
    "cases",
    "matrix",
    "pmatrix",
    "bmatrix",
    "vmatrix",
    "Vmatrix",
    "array",
    "subequations",
    "CD",
    "equation",
    "equation*",
];

/// Environments whose inner body is a display formula.
const MATH_ENVS_INNER: &[&str] = &["displaymath"];

/// Text environments that only lay out their content: kept without a warning.
const LAYOUT_ENVS: &[&str] = &[
    "center",
    "flushleft",
    "flushright",
    "quote",
    "quotation",
    "verse",
    "abstract",
    "minipage",
    "small",
    "footnotesize",
    "scriptsize",
    "tiny",
    "large",
    "normalsize",
    "em",
    "it",
    "bf",
];

/// Whether `rest` starts with `\end{name}`.
pub(super) fn at_end(rest: &str, name: &str) -> bool {
    rest.strip_prefix("\\end{")
        .and_then(|r| r.strip_prefix(name))
        .is_some_and(|r| r.starts_with('}'))
}

impl<'a> Parser<'a, '_> {
    /// `\begin{env}…\end{env}`, the `\begin` already read (it starts at `start`).
    pub(super) fn environment(&mut self, seq: &mut Seq<'a>, start: usize) {
        let Some(env) = self.raw_arg() else {
            return self.unknown(seq, start);
        };
        let begin = &self.src[start..self.pos];
        if self.nesting >= MAX_NESTING {
            self.problem(
                start,
                begin,
                format!("environments nested more than {MAX_NESTING} deep are shown as written"),
            );
            return seq.push(Node::Raw(begin));
        }
        let whole = MATH_ENVS_WHOLE.contains(&env);
        let inner = MATH_ENVS_INNER.contains(&env) || env == "math";
        if whole || inner {
            return self.math_environment(seq, start, env, whole);
        }
        let kind = match env {
            "itemize" => Some(ListKind::Itemize),
            "enumerate" => Some(ListKind::Enumerate),
            "description" => Some(ListKind::Description),
            _ => None,
        };
        self.nesting += 1;
        match kind {
            Some(kind) => self.list(seq, begin, env, kind),
            None => self.text_environment(seq, begin, env),
        }
        self.nesting -= 1;
    }

    fn math_environment(&mut self, seq: &mut Seq<'a>, start: usize, env: &'a str, whole: bool) {
        let end_tag = format!("\\end{{{env}}}");
        let body_start = self.pos;
        match self.src[body_start..].find(&end_tag) {
            Some(end) => {
                let body_end = body_start + end;
                self.pos = body_end + end_tag.len();
                let source = &self.src[start..self.pos];
                let tex = if whole {
                    source
                } else {
                    &self.src[body_start..body_end]
                };
                seq.push(Node::Math {
                    tex,
                    source,
                    display: env != "math",
                });
            }
            None => {
                let source = &self.src[start..self.pos];
                self.problem(
                    start,
                    source,
                    format!("`\\begin{{{env}}}` is never ended: shown as written"),
                );
                seq.push(Node::Raw(source));
            }
        }
    }

    /// A list: its items up to `\end{env}`.
    fn list(&mut self, seq: &mut Seq<'a>, begin: &'a str, env: &'a str, kind: ListKind) {
        self.raw_opt_arg();
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let rest = self.rest();
            if rest.is_empty() {
                self.never_ended(begin, env);
                break;
            }
            if at_end(rest, env) {
                self.pos += 6 + env.len();
                break;
            }
            if rest.starts_with("\\end{") {
                // The end of another environment: TeX would stop here; shown as written.
                let end = rest.find('}').map_or(rest.len(), |n| n + 1);
                let source = &rest[..end];
                self.problem(self.pos, source, format!("`{source}` inside `{env}`"));
                self.pos += end;
                items.push(Item {
                    label: None,
                    body: vec![Node::Raw(source)],
                });
                continue;
            }
            let label = if starts_with_command(rest, "item") {
                self.pos += 5;
                let label = self.item_label();
                self.skip_blank();
                label
            } else {
                None
            };
            let (body, _) = self.sequence(Stop::Item);
            items.push(Item { label, body });
        }
        seq.push(Node::List(kind, items));
    }

    /// `\item[label]`: the label, parsed.
    fn item_label(&mut self) -> Option<Vec<Node<'a>>> {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if !trimmed.starts_with('[') {
            return None;
        }
        self.pos += rest.len() - trimmed.len() + 1;
        let (label, _) = self.sequence(Stop::Bracket);
        Some(label)
    }

    /// An environment that only lays out text: its content, without the `\begin…\end`.
    fn text_environment(&mut self, seq: &mut Seq<'a>, begin: &'a str, env: &'a str) {
        if !LAYOUT_ENVS.contains(&env) {
            self.problem(
                self.offset_of(begin),
                begin,
                format!("unknown environment `{env}`: its content is shown without it"),
            );
        }
        // Arguments of the environment (`minipage`'s width) are not content.
        self.raw_opt_arg();
        if env == "minipage" {
            self.raw_arg();
        }
        let (body, ended) = self.sequence(Stop::End(env));
        if ended {
            self.pos += 6 + env.len();
        } else {
            self.never_ended(begin, env);
        }
        seq.push(Node::Style(super::Style::Plain, body));
    }

    fn never_ended(&mut self, begin: &str, env: &str) {
        self.problem(
            self.offset_of(begin),
            begin,
            format!("`\\begin{{{env}}}` is never ended"),
        );
    }

    /// Skips whitespace, line ends included.
    fn skip_blank(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }
}
