//! Colours: `\color`, `\textcolor`, `\colorbox`, `\fcolorbox` with the colour forms KaTeX and
//! xcolor accept and pulldown-latex does not (`#f00`, `[HTML]{FF0000}`, `[rgb]{1,0,0}`,
//! `[RGB]{255,0,0}`, `[gray]{0.5}`), and KaTeX's colour shorthands (`\blue{x}`, `\redA{x}` …).

use super::Engine;
use crate::tex::macros::tokens_to_string;

/// KaTeX's colour shorthands (its `macros.js`): `\blue{x}` is `\textcolor{#6495ed}{x}`. Sorted
/// by name.
const SHORTHANDS: &[(&str, &str)] = &[
    ("blue", "#6495ed"),
    ("blueA", "#ccfaff"),
    ("blueB", "#80f6ff"),
    ("blueC", "#63d9ea"),
    ("blueD", "#11accd"),
    ("blueE", "#0c7f99"),
    ("goldA", "#ffd0a9"),
    ("goldB", "#ffbb71"),
    ("goldC", "#ff9c39"),
    ("goldD", "#e07d10"),
    ("goldE", "#a75a05"),
    ("gray", "gray"),
    ("grayA", "#f6f7f7"),
    ("grayB", "#f0f1f2"),
    ("grayC", "#e3e5e6"),
    ("grayD", "#d6d8da"),
    ("grayE", "#babec2"),
    ("grayF", "#888d93"),
    ("grayG", "#626569"),
    ("grayH", "#3b3e40"),
    ("grayI", "#21242c"),
    ("green", "#28ae7b"),
    ("greenA", "#b6ffb0"),
    ("greenB", "#8af281"),
    ("greenC", "#74cf70"),
    ("greenD", "#1fab54"),
    ("greenE", "#0d923f"),
    ("kaBlue", "#314453"),
    ("kaGreen", "#71b307"),
    ("maroonA", "#ffbde0"),
    ("maroonB", "#ff92c6"),
    ("maroonC", "#ed5fa6"),
    ("maroonD", "#ca337c"),
    ("maroonE", "#9e034e"),
    ("mintA", "#f5f9e8"),
    ("mintB", "#edf2df"),
    ("mintC", "#e0e5cc"),
    ("orange", "#ffa500"),
    ("pink", "#ff00af"),
    ("purple", "#9d38bd"),
    ("purpleA", "#ddd7ff"),
    ("purpleB", "#c6b9fc"),
    ("purpleC", "#aa87ff"),
    ("purpleD", "#7854ab"),
    ("purpleE", "#543b78"),
    ("red", "#df0030"),
    ("redA", "#fca9a9"),
    ("redB", "#ff8482"),
    ("redC", "#f9685d"),
    ("redD", "#e84d39"),
    ("redE", "#bc2612"),
    ("tealA", "#94fff5"),
    ("tealB", "#26edd5"),
    ("tealC", "#01d1c1"),
    ("tealD", "#01a995"),
    ("tealE", "#208170"),
];

/// Whether `name` is a colour command this family rewrites.
pub(super) fn is_colour_command(name: &str) -> bool {
    matches!(name, "color" | "textcolor" | "colorbox" | "fcolorbox") || shorthand(name).is_some()
}

/// The colour of a shorthand.
fn shorthand(name: &str) -> Option<&'static str> {
    SHORTHANDS
        .binary_search_by_key(&name, |(n, _)| n)
        .ok()
        .map(|i| SHORTHANDS[i].1)
}

impl Engine<'_> {
    /// Colour commands: the colours written as pulldown-latex reads them; the content that
    /// follows is read as usual.
    pub(super) fn colour_command(&mut self, name: &str) -> Option<Result<(), String>> {
        if let Some(colour) = shorthand(name) {
            self.emit("\\textcolor{");
            self.emit(colour);
            self.emit_char('}');
            return Some(Ok(()));
        }
        let colours = match name {
            "color" | "textcolor" | "colorbox" => 1,
            "fcolorbox" => 2,
            _ => return None,
        };
        self.emit_cs(name);
        for _ in 0..colours {
            if let Err(e) = self.colour_arg(name) {
                return Some(Err(e));
            }
        }
        Some(Ok(()))
    }

    /// `[model]{spec}` → `{colour}`.
    fn colour_arg(&mut self, name: &str) -> Result<(), String> {
        let model = self.opt_arg().map(|t| tokens_to_string(&t));
        let spec = tokens_to_string(&self.arg(name)?);
        let colour = css_colour(model.as_deref(), spec.trim())
            .ok_or_else(|| format!("`\\{name}`: unknown colour `{}`", spec.trim()))?;
        self.emit_char('{');
        self.emit(&colour);
        self.emit_char('}');
        Ok(())
    }
}

/// A colour in a form pulldown-latex reads: a name, or `#rrggbb`.
fn css_colour(model: Option<&str>, spec: &str) -> Option<String> {
    let numbers = || -> Option<Vec<f32>> {
        spec.split(',')
            .map(|n| n.trim().parse::<f32>().ok().filter(|v| v.is_finite()))
            .collect()
    };
    let hex = |rgb: [f32; 3]| {
        let [r, g, b] = rgb.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8);
        format!("#{r:02x}{g:02x}{b:02x}")
    };
    match model.map(str::trim) {
        None | Some("named") => {
            let digits = spec.strip_prefix('#');
            match digits {
                Some(d) if d.len() == 3 && d.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    Some(d.chars().fold(String::from("#"), |mut s, c| {
                        s.push(c);
                        s.push(c);
                        s
                    }))
                }
                Some(d) if d.len() == 6 && d.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    Some(spec.to_ascii_lowercase())
                }
                Some(_) => None,
                None if !spec.is_empty() && spec.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    Some(spec.to_string())
                }
                None => None,
            }
        }
        Some("HTML") => css_colour(None, &format!("#{spec}")),
        Some("rgb") => match numbers()?.as_slice() {
            [r, g, b] => Some(hex([*r, *g, *b])),
            _ => None,
        },
        Some("RGB") => match numbers()?.as_slice() {
            [r, g, b] => Some(hex([*r / 255.0, *g / 255.0, *b / 255.0])),
            _ => None,
        },
        Some("gray") => match numbers()?.as_slice() {
            [v] => Some(hex([*v, *v, *v])),
            _ => None,
        },
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::css_colour;

    #[test]
    fn shorthands_are_sorted() {
        assert!(super::SHORTHANDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(super::shorthand("blue"), Some("#6495ed"));
    }

    #[test]
    fn colour_forms() {
        assert_eq!(css_colour(None, "#f00").as_deref(), Some("#ff0000"));
        assert_eq!(css_colour(None, "#A0B1C2").as_deref(), Some("#a0b1c2"));
        assert_eq!(css_colour(None, "Blue").as_deref(), Some("Blue"));
        assert_eq!(
            css_colour(Some("HTML"), "FF8000").as_deref(),
            Some("#ff8000")
        );
        assert_eq!(
            css_colour(Some("rgb"), "1, 0.5, 0").as_deref(),
            Some("#ff8000")
        );
        assert_eq!(
            css_colour(Some("RGB"), "255,128,0").as_deref(),
            Some("#ff8000")
        );
        assert_eq!(css_colour(Some("gray"), "0.5").as_deref(), Some("#808080"));
        assert_eq!(css_colour(None, "#12"), None);
        assert_eq!(css_colour(None, "red!50"), None);
        assert_eq!(css_colour(Some("cmyk"), "0,0,0,1"), None);
    }
}
