//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists, heading
//! ids, and math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) rendered to MathML by [`crate::tex`].

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::base::text::{is_safe_url, slugify};
use crate::tex::{self, TexProblem};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
}

/// Renders Markdown to HTML. Formulas that fail are shown as source and appended to
/// `problems` with their byte offset in `md`.
pub fn render(md: &str, problems: &mut Vec<TexProblem>) -> String {
    render_with_macros(md, &tex::Macros::default(), problems)
}

/// [`render`] with the author's TeX macros available in formulas.
pub fn render_with_macros(
    md: &str,
    macros: &tex::Macros,
    problems: &mut Vec<TexProblem>,
) -> String {
    let converted;
    let md = if md.contains("\\(") || md.contains("\\[") {
        converted = convert_tex_delimiters(md);
        converted.as_str()
    } else {
        md
    };
    let mut html = String::with_capacity(md.len() * 3 / 2);
    let mut ids = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<Vec<Event>> = None;
    let mut formulas = tex::Sequence::new(md);
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        let event = transform(event, range, md, (macros, &mut formulas), problems);
        match (&mut heading, event) {
            (
                None,
                Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }),
            ) => {
                heading = Some(vec![Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                })]);
            }
            (Some(buf), Event::End(TagEnd::Heading(level))) => {
                buf.push(Event::End(TagEnd::Heading(level)));
                let buffered = std::mem::take(buf);
                heading = None;
                events.extend(with_heading_id(buffered, &mut ids));
            }
            (Some(buf), e) => buf.push(e),
            (None, e) => events.push(e),
        }
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    formulas.finish(&mut html, md, problems);
    html
}

/// Math events become MathML; unsafe link targets become `#`; a `$` left in the text is
/// reported when TeX follows it.
fn transform<'a>(
    event: Event<'a>,
    range: Range<usize>,
    md: &'a str,
    (macros, formulas): (&tex::Macros, &mut tex::Sequence),
    problems: &mut Vec<TexProblem>,
) -> Event<'a> {
    match event {
        Event::InlineMath(tex) | Event::DisplayMath(tex) => {
            let display = md[range.clone()].starts_with("$$");
            let mut out = String::new();
            formulas.push_math(
                &mut out,
                &tex,
                &md[range.clone()],
                range.start,
                display,
                macros,
                problems,
            );
            Event::InlineHtml(out.into())
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Text(text) => {
            stray_dollars(md, range, problems);
            Event::Text(text)
        }
        e => e,
    }
}

/// A `$` that pulldown-cmark left in the text opens no formula: when TeX follows it
/// (`$\frac{1}{2$`), the formula's end is missing, and that is reported as in abstracts. A
/// `$` before a digit or a space is a dollar (`$5`), and `\$` is one by intent.
fn stray_dollars(md: &str, text: Range<usize>, problems: &mut Vec<TexProblem>) {
    for (i, _) in md[text.clone()].match_indices('$') {
        let at = text.start + i;
        let line_end = md[at..].find('\n').map_or(md.len(), |n| at + n);
        let after = &md[at + 1..line_end];
        let escaped = md[..at].ends_with('\\');
        let tex = after.starts_with('\\') || after.starts_with(|c: char| c.is_ascii_alphabetic());
        if !escaped && tex {
            problems.push(TexProblem {
                offset: at,
                source: md[at..line_end].chars().take(30).collect(),
                message: "unbalanced `$`: shown as text".into(),
                undefined: None,
            });
        }
    }
}

/// Gives a heading without an explicit `{#id}` a unique id from its text.
fn with_heading_id<'a>(mut events: Vec<Event<'a>>, ids: &mut HashSet<String>) -> Vec<Event<'a>> {
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = match slugify(&text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    if let Some(Event::Start(Tag::Heading {
        level,
        classes,
        attrs,
        ..
    })) = events.first().cloned()
    {
        events[0] = Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes,
            attrs,
        });
    }
    events
}

/// Rewrites `\(…\)` to `$…$` and `\[…\]` to `$$…$$` outside code, so that pulldown-cmark
/// sees them as math (it would otherwise read `\(` as an escaped parenthesis).
fn convert_tex_delimiters(md: &str) -> String {
    let code: Vec<Range<usize>> = Parser::new_ext(md, options())
        .into_offset_iter()
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Code(_)
                    | Event::Start(Tag::CodeBlock(_))
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|(_, r)| r)
        .collect();
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let mut out = String::with_capacity(md.len());
    let mut i = 0;
    while i < md.len() {
        let rest = &md[i..];
        let pair = if rest.starts_with("\\(") {
            Some(("\\)", "$"))
        } else if rest.starts_with("\\[") {
            Some(("\\]", "$$"))
        } else {
            None
        };
        if let Some((close, dollar)) = pair
            && !in_code(i)
            && let Some(end) = rest[2..].find(close)
        {
            let body = &rest[2..2 + end];
            if !body.contains('$') && !body.contains("\n\n") && !body.trim().is_empty() {
                out.push_str(dollar);
                out.push_str(if dollar == "$" { body.trim() } else { body });
                out.push_str(dollar);
                i += 2 + end + 2;
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or('\0');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str) -> String {
        let mut p = Vec::new();
        render(src, &mut p)
    }

    #[test]
    fn renders_extensions() {
        let h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ - [x] t\n\nnote[^1]\n\n[^1]: n\n");
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>x</del>"), "{h}");
        assert!(h.contains("footnote"), "{h}");
    }

    #[test]
    fn math_in_all_delimiters() {
        let h = md("a $x_1 * y_2$ and $$E=mc^2$$ and \\(z\\) and \\[w\\] and `\\(code\\)`");
        assert_eq!(h.matches("<math").count(), 4, "{h}");
        assert_eq!(h.matches("display=\"block\"").count(), 2, "{h}");
        assert!(h.contains("<code>\\(code\\)</code>"), "{h}");
    }

    #[test]
    fn a_formula_without_its_end_is_reported() {
        let src = "It costs $5.\n\nEscaped \\$x here.\n\nCode `$\\y`.\n\n$x$ is fine,\nbut $\\frac{1}{2 is not.\n";
        let mut problems = Vec::new();
        let h = render(src, &mut problems);
        assert_eq!(h.matches("<math").count(), 1, "{h}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].offset, src.find("$\\frac").unwrap());
        assert_eq!(problems[0].source, "$\\frac{1}{2 is not.");
        assert_eq!(problems[0].message, "unbalanced `$`: shown as text");
    }

    #[test]
    fn heading_ids_are_unique() {
        let h = md("# Intro\n\n## Intro\n\n### Custom {#mine}\n");
        assert!(h.contains("<h1 id=\"intro\">"), "{h}");
        assert!(h.contains("<h2 id=\"intro-1\">"), "{h}");
        assert!(h.contains("<h3 id=\"mine\">"), "{h}");
    }

    #[test]
    fn script_links_are_neutralised() {
        let h = md("[x](javascript:alert(1)) ![i](javascript:x)");
        assert!(!h.contains("javascript"), "{h}");
    }

    #[test]
    fn equations_are_numbered_across_a_body() {
        let h = md(
            "$$\\begin{equation}a\\label{a}\\end{equation}$$\n\nthen\n\n$$\\begin{equation}b\\end{equation}$$\n\nby $\\eqref{a}$",
        );
        assert!(
            h.contains("<mtext>(1)</mtext>") && h.contains("<mtext>(2)</mtext>"),
            "{h}"
        );
        assert!(
            h.contains(
                "<mtext>(1)</mtext></mrow><annotation encoding=\"application/x-tex\">\\eqref{a}"
            ),
            "{h}"
        );
    }

    #[test]
    fn prices_stay_text() {
        let h = md("It costs $5 and $10.");
        assert!(!h.contains("<math"), "{h}");
    }
}
