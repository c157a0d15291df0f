//! MathML for the constructs pulldown-latex has no event for (`\phantom`, `\boxed`, `\cancel`,
//! `\rule`, `\mathllap`, `\raisebox` …), spliced into its output.
//!
//! The rewriter ([`super::preprocess`]) writes such a construct as `{⟨open⟩{content}⟨close⟩}`,
//! where the markers are private-use characters that pulldown-latex renders as `<mi>⟨c⟩</mi>`
//! siblings of the content. [`apply`] replaces those two elements with the opening and closing
//! tags of the construct, after checking that they enclose balanced MathML.
//!
//! [`sanitize`] is the last step for every formula: pulldown-latex writes a few arguments
//! verbatim (`\operatorname{…}`), so a `<` that does not start a MathML tag is escaped.

use std::borrow::Cow;

/// At most this many constructs are spliced into one formula.
pub(crate) const MAX_SPLICES: usize = 1000;

const BASE: u32 = 0xE000;

/// Whether `c` is in the private-use range the markers are taken from.
pub(crate) fn is_marker(c: char) -> bool {
    ('\u{E000}'..='\u{E7FF}').contains(&c)
}

/// Starts a reference to a label, written into the output and resolved once the whole text
/// is rendered (`⟨REF⟩key⟨EQREF_END⟩` → `(3)`).
pub(crate) const REF: char = '\u{F8F0}';
/// Ends a reference shown as `(tag)` (`\eqref`).
pub(crate) const EQREF_END: char = '\u{F8F1}';
/// Ends a reference shown as `tag` (`\ref`).
pub(crate) const REF_END: char = '\u{F8F2}';

/// Whether `c` is one of the characters references are written with.
pub(crate) fn is_reference_mark(c: char) -> bool {
    matches!(c, REF | EQREF_END | REF_END)
}

/// The opening (`end == false`) or closing marker of splice `i` (`i < MAX_SPLICES`).
pub(crate) fn marker(i: usize, end: bool) -> char {
    let offset = u32::try_from(i.min(MAX_SPLICES) * 2).unwrap_or(0) + u32::from(end);
    char::from_u32(BASE + offset).unwrap_or('\u{E000}')
}

/// The marker's splice index and whether it closes.
fn marker_index(c: char) -> Option<(usize, bool)> {
    let offset = usize::try_from(u32::from(c).checked_sub(BASE)?).ok()?;
    (offset < MAX_SPLICES * 2).then_some((offset / 2, offset % 2 == 1))
}

/// A construct's MathML: what replaces its opening marker, and its closing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Splice {
    open: String,
    close: Cow<'static, str>,
}

impl Splice {
    fn new(open: impl Into<String>, close: impl Into<Cow<'static, str>>) -> Splice {
        Splice {
            open: open.into(),
            close: close.into(),
        }
    }

    /// `\phantom`: takes the content's space, shows nothing.
    pub fn phantom() -> Splice {
        Splice::new("<mphantom>", "</mphantom>")
    }

    /// `\hphantom`: the content's width only.
    pub fn hphantom() -> Splice {
        Splice::new(
            "<mpadded height=\"0\" depth=\"0\"><mphantom>",
            "</mphantom></mpadded>",
        )
    }

    /// `\vphantom`: the content's height and depth only.
    pub fn vphantom() -> Splice {
        Splice::new("<mpadded width=\"0\"><mphantom>", "</mphantom></mpadded>")
    }

    /// `\smash[t|b]`: the content without height (`t`), depth (`b`) or both.
    pub fn smash(which: &str) -> Splice {
        let open = match which.trim() {
            "t" => "<mpadded height=\"0\">",
            "b" => "<mpadded depth=\"0\">",
            _ => "<mpadded height=\"0\" depth=\"0\">",
        };
        Splice::new(open, "</mpadded>")
    }

    /// `\mathllap`, `\mathrlap`, `\mathclap` (and the text `\llap` …): no width, the content
    /// overlapping to the left, right or both sides.
    pub fn lap(which: &str) -> Splice {
        match which {
            "llap" => Splice::new(
                "<mpadded width=\"0\"><mrow style=\"transform: translateX(-100%)\">",
                "</mrow></mpadded>",
            ),
            "clap" => Splice::new(
                "<mpadded width=\"0\"><mrow style=\"transform: translateX(-50%)\">",
                "</mrow></mpadded>",
            ),
            _ => Splice::new("<mpadded width=\"0\">", "</mpadded>"),
        }
    }

    /// `\overline`: a rule over the whole content (pulldown-latex writes a bar the width of a
    /// letter).
    pub fn overline() -> Splice {
        Splice::new(
            "<mrow style=\"border-top: 0.065em solid; padding-top: 0.12em\">",
            "</mrow>",
        )
    }

    /// `smallmatrix`: a matrix in script size.
    pub fn small() -> Splice {
        Splice::new(
            "<mstyle class=\"smallmatrix\" scriptlevel=\"+1\">",
            "</mstyle>",
        )
    }

    /// `\dddot` (`dots` 3) and `\ddddot` (4): dots over the content, as `\ddot` has two.
    pub fn dots_over(dots: usize) -> Splice {
        Splice::new(
            "<mover accent=\"true\"><mrow>",
            if dots == 4 {
                "</mrow><mo stretchy=\"false\" style=\"font-size: 70%\">\u{2025}\u{2025}</mo></mover>"
            } else {
                "</mrow><mo stretchy=\"false\" style=\"font-size: 70%\">\u{2026}</mo></mover>"
            },
        )
    }

    /// `\widehat`, `\widetilde`, `\widecheck` over `width` letters: the accent scaled to
    /// them (Chromium does not stretch these accents).
    pub fn wide_accent(accent: char, width: usize) -> Splice {
        let (x, y) = match width {
            0 | 1 => (1.0, 1.0),
            2 => (2.0, 1.1),
            3 => (3.0, 1.3),
            n => (n.min(6) as f32, 1.4),
        };
        Splice::new(
            "<mover accent=\"true\"><mrow>",
            format!(
                "</mrow><mo stretchy=\"false\" style=\"transform: scale({x}, {y})\">{accent}</mo></mover>"
            ),
        )
    }

    /// `\underline`: a rule under the whole content.
    pub fn underline() -> Splice {
        Splice::new(
            "<mrow style=\"border-bottom: 0.065em solid; padding-bottom: 0.12em\">",
            "</mrow>",
        )
    }

    /// An equation's tag, flush right (styled by the math stylesheet), and the anchor of its
    /// labels; `row`: the tag of a row, in a cell of its own ([`Splice::tag_cell`]).
    pub fn tag(id: Option<&str>, row: bool) -> Splice {
        let mut open = String::from(if row {
            "<mrow class=\"math-row-tag\""
        } else {
            "<mrow class=\"math-tag\""
        });
        if let Some(id) = id {
            open.push_str(" id=\"");
            crate::base::text::push_escaped(&mut open, id);
            open.push('"');
        }
        open.push('>');
        Splice::new(open, "</mrow>")
    }

    /// Ends the current cell of a row and opens the cell of its tag (spliced without braces,
    /// among the cell's children).
    pub fn tag_cell() -> Splice {
        Splice::new("</mtd><mtd class=\"math-tag\">", "")
    }

    /// A size command: the content at `relative` times the size around it.
    pub fn size(relative: f32) -> Splice {
        Splice::new(
            format!(
                "<mrow style=\"font-size: {}%\">",
                number((relative * 100.0).clamp(1.0, 1000.0))
            ),
            "</mrow>",
        )
    }

    /// `\boxed`, `\fbox`: a frame.
    pub fn boxed() -> Splice {
        Splice::new(
            "<mrow style=\"border: 0.06em solid; padding: 0.2em 0.3em\">",
            "</mrow>",
        )
    }

    /// `\cancel` (/), `\bcancel` (\), `\xcancel` (X), `\sout` (—): struck through.
    pub fn cancel(which: &str) -> Splice {
        const LINE: &str = "transparent calc(50% - 0.04em), currentcolor calc(50% - 0.04em), currentcolor calc(50% + 0.04em), transparent calc(50% + 0.04em)";
        let background = match which {
            "bcancel" => format!("linear-gradient(to top right, {LINE})"),
            "xcancel" => format!(
                "linear-gradient(to top left, {LINE}), linear-gradient(to top right, {LINE})"
            ),
            "sout" => format!("linear-gradient(to bottom, {LINE})"),
            _ => format!("linear-gradient(to top left, {LINE})"),
        };
        Splice::new(
            format!("<mrow class=\"cancel\" style=\"background: {background}\">"),
            "</mrow>",
        )
    }

    /// `\angl` (actuarial angle: rules above and right) and `\phase` (rule below, slanted
    /// at the left).
    pub fn frame(which: &str) -> Splice {
        let style = if which == "phase" {
            "border-bottom: 0.06em solid; padding-left: 0.5em; background: linear-gradient(to top left, transparent calc(50% - 0.04em), currentcolor calc(50% - 0.04em), currentcolor calc(50% + 0.04em), transparent calc(50% + 0.04em)) left / 0.5em 100% no-repeat"
        } else {
            "border-top: 0.06em solid; border-right: 0.06em solid; padding: 0.1em 0.1em 0 0.05em"
        };
        Splice::new(format!("<mrow style=\"{style}\">"), "</mrow>")
    }

    /// An undefined control sequence: its name, marked (styled by the math stylesheet).
    pub fn undefined(name: &str) -> Splice {
        let mut open = String::with_capacity(name.len() + 40);
        open.push_str("<mtext class=\"math-undefined\">\\");
        crate::base::text::push_escaped(&mut open, name);
        open.push_str("</mtext>");
        Splice::new(open, "")
    }

    /// `\rule[raise]{width}{height}`: a filled box.
    pub fn rule(width: &str, height: &str, raise: Option<&str>) -> Result<Splice, String> {
        let w = length(width).ok_or_else(|| format!("`\\rule`: bad width `{width}`"))?;
        let (h_num, h_unit) =
            css_dimension(height).ok_or_else(|| format!("`\\rule`: bad height `{height}`"))?;
        let (mut top, mut depth) = (h_num, 0.0);
        if let Some(raise) = raise {
            let (r_num, r_unit) =
                css_dimension(raise).ok_or_else(|| format!("`\\rule`: bad raise `{raise}`"))?;
            if r_unit == h_unit {
                top = h_num + r_num;
                depth = -r_num;
            }
        }
        let height = format!("{}{h_unit}", number(top.max(0.0)));
        let mut open = format!("<mspace width=\"{w}\" height=\"{height}\"");
        if depth > 0.0 {
            open.push_str(&format!(" depth=\"{}{h_unit}\"", number(depth)));
        }
        open.push_str(" style=\"background-color: currentcolor\" />");
        Ok(Splice::new(open, ""))
    }

    /// `\raisebox{lift}{text}`.
    pub fn raise(lift: &str) -> Result<Splice, String> {
        let v = length(lift).ok_or_else(|| format!("`\\raisebox`: bad length `{lift}`"))?;
        Ok(Splice::new(
            format!("<mpadded voffset=\"{v}\">"),
            "</mpadded>",
        ))
    }
}

/// A TeX dimension `-1.5em` → (number, unit).
pub(crate) fn split_dimension(s: &str) -> Option<(f32, &str)> {
    let s = s.trim();
    let unit_start = s.find(|c: char| c.is_ascii_alphabetic())?;
    let number: f32 = s[..unit_start].trim().replace(',', ".").parse().ok()?;
    number
        .is_finite()
        .then_some((number, s[unit_start..].trim()))
}

/// A TeX dimension as a number and a CSS unit (`bp` → `pt`, `mu` → `em`).
fn css_dimension(s: &str) -> Option<(f32, &'static str)> {
    let (n, unit) = split_dimension(s)?;
    Some(match unit {
        "em" => (n, "em"),
        "ex" => (n, "ex"),
        "pt" | "bp" => (n, "pt"),
        "px" => (n, "px"),
        "mm" => (n, "mm"),
        "cm" => (n, "cm"),
        "in" => (n, "in"),
        "pc" => (n, "pc"),
        "mu" => (n / 18.0, "em"),
        _ => return None,
    })
}

/// A TeX dimension as a CSS length, or `None` if it is not one.
fn length(s: &str) -> Option<String> {
    let (n, unit) = css_dimension(s)?;
    Some(format!("{}{unit}", number(n)))
}

fn number(n: f32) -> String {
    let s = format!("{n:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Replaces the markers in `mathml` with the splices' MathML.
pub(crate) fn apply(mathml: &str, splices: &[Splice]) -> Result<String, String> {
    const BROKEN: &str = "a box, phantom or rule could not be placed (is its argument complete?)";
    let mut out = String::with_capacity(mathml.len() + splices.len() * 64);
    // Open splices: (index, element depth at the marker).
    let mut open: Vec<(usize, i64)> = Vec::new();
    let mut depth: i64 = 0;
    let mut rest = mathml;
    while let Some((pos, c)) = rest.char_indices().find(|(_, c)| is_marker(*c)) {
        let before = &rest[..pos];
        let tag_start = before.rfind('<').ok_or(BROKEN)?;
        if !before[tag_start..].starts_with("<mi") {
            return Err(BROKEN.to_string());
        }
        track_depth(&before[..tag_start], &mut depth, &open).ok_or(BROKEN)?;
        out.push_str(&before[..tag_start]);
        let after = &rest[pos + c.len_utf8()..];
        let after = after.strip_prefix("</mi>").ok_or(BROKEN)?;
        let (i, end) = marker_index(c).ok_or(BROKEN)?;
        let splice = splices.get(i).ok_or(BROKEN)?;
        if end {
            match open.pop() {
                Some((j, d)) if j == i && d == depth => out.push_str(&splice.close),
                _ => return Err(BROKEN.to_string()),
            }
        } else {
            out.push_str(&splice.open);
            if !splice.close.is_empty() {
                open.push((i, depth));
            }
        }
        rest = after;
    }
    if !open.is_empty() {
        return Err(BROKEN.to_string());
    }
    out.push_str(rest);
    Ok(out)
}

/// Follows element nesting through `s`; `None` if it closes an element opened before the
/// innermost open splice.
fn track_depth(s: &str, depth: &mut i64, open: &[(usize, i64)]) -> Option<()> {
    let floor = open.last().map_or(i64::MIN, |(_, d)| *d);
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        let tag = &rest[lt..];
        let gt = tag.find('>')?;
        if tag.starts_with("</") {
            *depth -= 1;
            if *depth < floor {
                return None;
            }
        } else if !tag[..gt].ends_with('/') {
            *depth += 1;
        }
        rest = &tag[gt + 1..];
    }
    Some(())
}

/// Elements pulldown-latex and the splices write.
const TAGS: &[&str] = &[
    "annotation",
    "math",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "semantics",
];

/// `/` as pulldown-latex writes it.
const SOLIDUS: &str = "<mo>/</mo>";

/// Escapes every `<` that does not start a known MathML tag, and every `&` that does not
/// start a character reference: pulldown-latex writes some arguments verbatim. Also puts the
/// space between attributes that pulldown-latex leaves out before `minsize`.
pub(crate) fn sanitize(mathml: &str) -> Cow<'_, str> {
    // pulldown-latex writes `\big(`'s sizes without a space before them (invalid markup), and
    // `/` as an operator with space around it, where TeX has an ordinary symbol.
    if mathml.contains("\"minsize=") || mathml.contains(SOLIDUS) {
        let mended = mathml
            .replace("\"minsize=", "\" minsize=")
            .replace(SOLIDUS, "<mo lspace=\"0\" rspace=\"0\">/</mo>");
        return Cow::Owned(sanitize(&mended).into_owned());
    }
    let bytes = mathml.as_bytes();
    let stray = |i: usize| -> bool {
        let rest = &mathml[i + 1..];
        match bytes[i] {
            b'<' => {
                let name = rest.strip_prefix('/').unwrap_or(rest);
                let len = name
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(name.len());
                let after = name[len..].chars().next();
                !(TAGS.contains(&&name[..len]) && matches!(after, Some(' ' | '>' | '/')))
            }
            _ => {
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                    .unwrap_or(rest.len());
                !(len > 0 && rest[len..].starts_with(';'))
            }
        }
    };
    let Some(first) = (0..bytes.len()).find(|&i| matches!(bytes[i], b'<' | b'&') && stray(i))
    else {
        return Cow::Borrowed(mathml);
    };
    let mut out = String::with_capacity(mathml.len() + 16);
    out.push_str(&mathml[..first]);
    let mut last = first;
    for i in first..bytes.len() {
        if matches!(bytes[i], b'<' | b'&') && stray(i) {
            out.push_str(&mathml[last..i]);
            out.push_str(if bytes[i] == b'<' { "&lt;" } else { "&amp;" });
            last = i + 1;
        }
    }
    out.push_str(&mathml[last..]);
    Cow::Owned(out)
}

/// Whether (sanitized) MathML nests properly: every tag closed, in order. The last guard before
/// a formula reaches the page: a rewrite or a pulldown-latex quirk that breaks the nesting
/// makes the formula an error shown as its source, never broken markup.
pub(crate) fn well_formed(mathml: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = mathml;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let Some(gt) = rest.find('>') else {
            return false;
        };
        let tag = &rest[..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name.trim()) {
                return false;
            }
        } else if !tag.ends_with('/') {
            let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
            open.push(name);
        }
    }
    open.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        assert_eq!(marker_index(marker(0, false)), Some((0, false)));
        assert_eq!(marker_index(marker(7, true)), Some((7, true)));
        assert!(is_marker(marker(MAX_SPLICES - 1, true)));
        assert_eq!(marker_index('a'), None);
    }

    #[test]
    fn splices_replace_balanced_markers() {
        let m = format!(
            "<math><mrow><mi>{}</mi><mrow><mi>x</mi></mrow><mi>{}</mi></mrow></math>",
            marker(0, false),
            marker(0, true)
        );
        let out = apply(&m, &[Splice::phantom()]).unwrap();
        assert_eq!(
            out,
            "<math><mrow><mphantom><mrow><mi>x</mi></mrow></mphantom></mrow></math>"
        );
    }

    #[test]
    fn unbalanced_markers_are_refused() {
        let m = format!(
            "<math><msup><mi>{}</mi><mn>2</mn></msup><mrow><mi>x</mi><mi>{}</mi></mrow></math>",
            marker(0, false),
            marker(0, true)
        );
        assert!(apply(&m, &[Splice::phantom()]).is_err());
        assert!(
            apply(
                &format!("<mi>{}</mi>", marker(0, false)),
                &[Splice::phantom()]
            )
            .is_err()
        );
        assert!(apply(&format!("<mi>{}</mi>", marker(3, false)), &[]).is_err());
    }

    #[test]
    fn rules_have_validated_sizes() {
        let r = Splice::rule("1em", "2pt", None).unwrap();
        assert_eq!(
            r.open,
            "<mspace width=\"1em\" height=\"2pt\" style=\"background-color: currentcolor\" />"
        );
        assert!(Splice::rule("1em\" onload=\"x", "1pt", None).is_err());
        assert!(Splice::rule("1em", "1furlong", None).is_err());
        let r = Splice::rule("1em", "2pt", Some("-1pt")).unwrap();
        assert!(
            r.open.contains("height=\"1pt\" depth=\"1pt\""),
            "{}",
            r.open
        );
    }

    #[test]
    fn stray_markup_is_escaped() {
        assert_eq!(
            sanitize("<math><mi>a<img src=x onerror=alert(1)>&b</mi></math>"),
            "<math><mi>a&lt;img src=x onerror=alert(1)>&amp;b</mi></math>"
        );
        assert!(matches!(
            sanitize("<math><mo>&lt;</mo><mspace width=\"1em\" /></math>"),
            Cow::Borrowed(_)
        ));
    }
}
