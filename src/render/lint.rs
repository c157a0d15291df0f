//! What a build warns about the settings a theme reads, which no type can check: a photo or
//! stylesheet named in config.toml that is not a file of the site, `[extra]` keys the theme
//! does not know (with a "did you mean"), and colours that are not colours or are too faint to
//! read against the theme's background (WCAG AA: 4.5:1 for text).

use std::path::Path;

use crate::base::diag::{self, Diagnostic, Location};
use crate::base::text::site_file;
use crate::load::settings::{CONFIG_FILE, Settings, key_location};
use crate::model::Site;
use crate::render::filters::is_css_color;
use crate::render::theme::Theme;

/// The contrast WCAG AA asks of text against its background.
const AA_CONTRAST: f64 = 4.5;

/// Every warning about the settings, given the theme and the site's files.
pub fn check(settings: &Settings, theme: &Theme, site: &Site) -> Vec<Diagnostic> {
    let config = settings.root.join(CONFIG_FILE);
    let src = std::fs::read_to_string(&config).unwrap_or_default();
    let at = |key: &str| key_location(&config, &src, key);
    let files = SiteFiles { theme, site };
    let mut out = Vec::new();
    if let Some(photo) = &settings.author.photo {
        out.extend(files.missing("photo", photo, at("photo"), &settings.root));
    }
    for css in stylesheets(&settings.extra) {
        out.extend(files.missing("css", css, at("css"), &settings.root));
    }
    out.extend(unknown_extra_keys(settings, theme, &at));
    out.extend(colours(settings, theme, &at));
    out
}

/// The `[extra] css` stylesheets: a string or a list of strings.
pub fn stylesheets(extra: &toml::Table) -> Vec<&str> {
    match extra.get("css") {
        Some(toml::Value::String(s)) => vec![s.as_str()],
        Some(toml::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// The files a site publishes besides its pages: static files and content assets.
struct SiteFiles<'a> {
    theme: &'a Theme,
    site: &'a Site,
}

impl SiteFiles<'_> {
    fn has(&self, rel: &str) -> bool {
        self.theme.statics.iter().any(|s| s.rel == rel)
            || self.site.assets.iter().any(|a| a.rel == rel)
    }

    /// A warning when `value` (a site file as [`site_file`] reads it, or a URL) names no file
    /// the site publishes.
    fn missing(&self, key: &str, value: &str, at: Location, root: &Path) -> Option<Diagnostic> {
        let rel = site_file(value);
        if rel.contains("://") || rel.starts_with("//") || self.has(rel) {
            return None;
        }
        let mut own: Vec<&str> = self
            .theme
            .statics
            .iter()
            .filter(|s| s.shown.starts_with(root.join("static")))
            .map(|s| s.rel.as_str())
            .collect();
        own.sort_unstable();
        let hint = match own.len() {
            0 => format!(
                "put the file in the site's static/ folder (static/{rel} is published as /{rel})"
            ),
            n => format!(
                "files in static/ are published at the site's root; static/ has {}{}",
                own.iter()
                    .take(8)
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > 8 { ", …" } else { "" }
            ),
        };
        Some(
            Diagnostic::warning(format!(
                "`{key}` names `{value}`, a file the site does not have: pages will link to nothing"
            ))
            .at(at)
            .hint(hint),
        )
    }
}

/// `[extra]` keys that neither the theme's `theme.toml` declares nor any template reads.
fn unknown_extra_keys(
    settings: &Settings,
    theme: &Theme,
    at: &dyn Fn(&str) -> Location,
) -> Vec<Diagnostic> {
    let mut known = theme.extra_keys_read();
    known.extend(theme.extra_defaults.keys().cloned());
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    settings
        .extra
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|key| {
            let hint = match diag::suggest(key, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the theme's settings are listed in its theme.toml; `{}` knows {}",
                    theme.name,
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            Diagnostic::warning(format!(
                "`[extra] {key}` is not a setting of the theme `{}`, and no template reads it",
                theme.name
            ))
            .at(at(key))
            .hint(hint)
        })
        .collect()
}

/// Colour settings (those whose theme default is a `#` colour) that are not CSS colours, or
/// are too faint against the background `theme.toml` gives for them under `[contrast]`.
fn colours(settings: &Settings, theme: &Theme, at: &dyn Fn(&str) -> Location) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, default) in &theme.extra_defaults {
        let is_colour = default
            .as_str()
            .is_some_and(|d| d.starts_with('#') && is_css_color(d));
        let Some(value) = settings.extra.get(key).filter(|_| is_colour) else {
            continue;
        };
        let Some(text) = value.as_str().filter(|v| is_css_color(v)) else {
            let shown = value.to_string();
            let hint = match value.as_str() {
                Some(v) if is_css_color(&format!("#{}", v.trim())) => {
                    format!("did you mean `\"#{}\"`?", v.trim())
                }
                _ => "write a CSS colour such as `\"#0f766e\"`".to_string(),
            };
            out.push(
                Diagnostic::warning(format!(
                    "`[extra] {key} = {shown}` is not a CSS colour; the theme's own colour is used"
                ))
                .at(at(key))
                .hint(hint),
            );
            continue;
        };
        let background = theme.contrast.get(key).and_then(|b| rgb(b));
        if let (Some(fg), Some(bg)) = (rgb(text), background) {
            let ratio = contrast(fg, bg);
            if ratio < AA_CONTRAST {
                out.push(
                    Diagnostic::warning(format!(
                        "`[extra] {key} = \"{text}\"` has a contrast of {ratio:.1}:1 against the \
                         background {}; text in it is hard to read",
                        theme.contrast.get(key).map_or("", String::as_str)
                    ))
                    .at(at(key))
                    .hint(format!(
                        "WCAG AA asks for at least {AA_CONTRAST}:1; choose a {} colour",
                        if luminance(bg) > 0.5 {
                            "darker"
                        } else {
                            "lighter"
                        }
                    )),
                );
            }
        }
    }
    out
}

/// `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa` as sRGB bytes (alpha ignored).
fn rgb(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.trim().strip_prefix('#')?;
    let digit = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok();
    let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        3 | 4 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 | 8 => Some([pair(0)?, pair(2)?, pair(4)?]),
        _ => None,
    }
}

/// WCAG relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG contrast ratio, 1 to 21.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_are_wcags() {
        assert_eq!(rgb("#fff"), Some([255, 255, 255]));
        assert_eq!(rgb("#1f5fae"), Some([0x1f, 0x5f, 0xae]));
        assert_eq!(rgb("#1f5faeff"), Some([0x1f, 0x5f, 0xae]));
        assert_eq!(rgb("1f5fae"), None);
        assert_eq!(rgb("#12"), None);
        let black_white = contrast([0, 0, 0], [255, 255, 255]);
        assert!((black_white - 21.0).abs() < 1e-9, "{black_white}");
        // WebAIM's checker: #777777 on white is 4.48:1, #767676 is 4.54:1.
        assert!(contrast([0x77; 3], [255; 3]) < AA_CONTRAST);
        assert!(contrast([0x76; 3], [255; 3]) >= AA_CONTRAST);
    }

    #[test]
    fn css_is_a_string_or_a_list() {
        let t: toml::Table = toml::from_str("css = \"a.css\"").unwrap();
        assert_eq!(stylesheets(&t), vec!["a.css"]);
        let t: toml::Table = toml::from_str("css = [\"a.css\", \"b.css\"]").unwrap();
        assert_eq!(stylesheets(&t), vec!["a.css", "b.css"]);
        assert!(stylesheets(&toml::Table::new()).is_empty());
    }
}
