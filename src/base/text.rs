//! Small text helpers shared by every stage: slugs, HTML escaping, TOML strings, digit groups.

/// A URL slug: ASCII transliteration, lowercase, words joined by `-`.
/// `Héllo Wörld: a paper` → `hello-world-a-paper`. Never contains `/`, `.` or `..`.
pub fn slugify(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `1084000` → `1,084,000` with `sep` = `,`.
pub fn group_digits(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// `s` as a TOML string: a literal `'…'` string when it holds backslashes (TeX reads as
/// written), else a basic `"…"` string, escaped as TOML needs.
pub fn toml_string(s: &str) -> String {
    if s.contains('\\') && !s.contains('\'') && !s.chars().any(char::is_control) {
        format!("'{s}'")
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

/// Whether `s` is acceptable as a slug given by hand: lowercase ASCII letters, digits, `-`
/// and `_`, not starting with `-` or `_`. Anything that could leave the output folder fails.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Appends `s` to `out` with `&`, `<`, `>`, `"` and `'` escaped, safe in text and attributes.
pub fn push_escaped(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` with HTML special characters escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// Whether a link target is safe to put in `href`: no `javascript:`, `vbscript:` or `data:`
/// scheme, however it is spelled (case, embedded whitespace or control characters).
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    !["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// A file of the site as a setting names it, relative to the site root: `photo.jpg`,
/// `/photo.jpg` and `static/photo.jpg` (files in `static/` are published at the root) are all
/// `photo.jpg`. Addresses of other sites (`https://…`, `//cdn…`) are returned as they are.
pub fn site_file(value: &str) -> &str {
    let value = value.trim();
    if value.contains("://") || value.starts_with("//") {
        return value;
    }
    let rel = value.trim_start_matches('/');
    rel.strip_prefix("static/").unwrap_or(rel)
}

/// The visible text of an HTML fragment (tags removed, entities decoded, whitespace collapsed),
/// for descriptions, search indexes and slugs. MathML annotations (the TeX source) are skipped.
pub fn html_to_text(html: &str) -> String {
    visible_text(html, false)
}

/// Like [`html_to_text`], but every tag separates words: for slugs, where the tokens of a
/// formula (`<mi>O</mi><mo>(</mo><mi>n</mi><mi>log</mi>`) must not run together.
pub fn html_to_words(html: &str) -> String {
    visible_text(html, true)
}

fn visible_text(html: &str, tags_separate: bool) -> String {
    let mut out = Collapsed::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
        let tag = &rest[lt..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<annotation") {
            rest = rest.find("</annotation>").map_or("", |i| &rest[i + 13..]);
        } else if tags_separate || is_block_boundary(tag) {
            out.push(' ');
        }
    }
    push_decoded(&mut out, rest);
    out.text
}

/// Text with runs of whitespace collapsed to one space and no space at either end.
struct Collapsed {
    text: String,
    space: bool,
}

impl Collapsed {
    fn with_capacity(n: usize) -> Collapsed {
        Collapsed {
            text: String::with_capacity(n),
            space: false,
        }
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = !self.text.is_empty();
        } else {
            if self.space {
                self.text.push(' ');
                self.space = false;
            }
            self.text.push(c);
        }
    }

    fn push_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                self.space = !self.text.is_empty();
                i += 1;
            } else if b.is_ascii() {
                // A run of ASCII that is not whitespace: copied in one go.
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                self.word(&s[start..i]);
            } else {
                let c = s[i..].chars().next().unwrap_or(' ');
                self.push(c);
                i += c.len_utf8();
            }
        }
    }

    /// Appends text that holds no whitespace.
    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        if self.space {
            self.text.push(' ');
            self.space = false;
        }
        self.text.push_str(w);
    }
}

fn is_block_boundary(tag: &str) -> bool {
    let name = tag
        .trim_start_matches(['<', '/'])
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "table"
            | "section"
    )
}

/// Appends `s` with the HTML entities that our renderers produce decoded.
fn push_decoded(out: &mut Collapsed, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Bytes, not a slice of the text: the 12th byte may be inside a character.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| decode_entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// `%xx` escapes decoded (as in a URL path); `None` if an escape is malformed or the result is
/// not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip() {
        for s in [
            "Plain",
            "Attention in $O(n \\log n)$",
            "It's \"quoted\" and \\ back",
            "tab\there",
            "é ü 中文",
        ] {
            let text = format!("x = {}", toml_string(s));
            let table: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(table["x"].as_str(), Some(s), "{text}");
        }
        assert_eq!(toml_string("a \\alpha"), "'a \\alpha'");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Héllo Wörld: a paper"), "hello-world-a-paper");
        assert_eq!(
            slugify("AutoReP: Automatic ReLU Replacement for Fast Private Network Inference"),
            "autorep-automatic-relu-replacement-for-fast-private-network-inference"
        );
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("$O(n^2)$ attention"), "o-n-2-attention");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn slug_validation_refuses_escapes() {
        assert!(is_valid_slug("huang-2022_x"));
        for bad in ["", "../../x", "a/b", ".hidden", "A", "-x", "a b", "a.b"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn html_to_text_skips_tags_and_annotations() {
        let html = "<p>A <em>b</em> &amp; <math><semantics><mi>x</mi><annotation encoding=\"application/x-tex\">x</annotation></semantics></math>.</p><p>Next&nbsp;one &#8211; &#x41;</p>";
        assert_eq!(html_to_text(html), "A b & x. Next one – A");
    }

    #[test]
    fn html_to_text_never_splits_a_character() {
        assert_eq!(html_to_text("a &é€€€€€€; b &amp"), "a &é€€€€€€; b &amp");
        assert_eq!(html_to_text("R&D éééééé"), "R&D éééééé");
        assert_eq!(html_to_text("&amp;ȺȺ#WÄq"), "&ȺȺ#WÄq");
        assert_eq!(html_to_text("&ééééééé;"), "&ééééééé;");
    }

    #[test]
    fn refuses_script_urls() {
        assert!(is_safe_url("https://arxiv.org/abs/1"));
        assert!(is_safe_url("/papers/x/"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JaVa\tScRiPt:alert(1)"));
        assert!(!is_safe_url("data:text/html,<script>"));
    }
}
