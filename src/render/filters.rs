//! Filters and tests scholarsite adds to Tera for themes (documented in docs/themes.md).

use tera::{Kwargs, State, Tera, Value};

/// Registers every filter; call before adding templates (Tera checks filter names then).
pub fn register(tera: &mut Tera) {
    tera.register_filter("thousands", thousands);
    tera.register_filter("json", json);
    tera.register_test("css_color", css_color);
    tera.register_test("ends_sentence", ends_sentence);
}

/// `value is css_color`: whether the value is a string [`is_css_color`] accepts.
fn css_color(value: &Value, _: Kwargs, _: &State) -> bool {
    value.as_str().is_some_and(is_css_color)
}

/// A CSS colour that is safe to write into a stylesheet: `#rgb`, `#rrggbb` (with optional
/// alpha), a colour function such as `rgb(…)`, `hsl(…)`, `oklch(…)` holding only numbers,
/// spaces, `.`, `,`, `%`, `/` and `-`, or a named colour.
pub fn is_css_color(s: &str) -> bool {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some((name, rest)) = s.split_once('(') {
        let functions = [
            "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch",
        ];
        return functions.contains(&name)
            && rest.strip_suffix(')').is_some_and(|args| {
                args.chars()
                    .all(|c| c.is_ascii_alphanumeric() || " .,%/-".contains(c))
            });
    }
    !s.is_empty() && s.len() <= 30 && s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// `value is ends_sentence`: whether the text (HTML tags aside) already ends a sentence with
/// `.`, `!`, `?` or `…` (closing quotes and brackets after it allowed), so that a template adds
/// no second stop: `Hongwu Peng et al.`, `ICCV 2026!`, `Is attention all you need?`.
fn ends_sentence(value: &Value, _: Kwargs, _: &State) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let mut rest = text.trim_end();
    while let Some(before) = rest
        .strip_suffix('>')
        .and_then(|r| r.rfind('<').map(|i| &r[..i]))
    {
        rest = before.trim_end();
    }
    rest.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»'])
        .ends_with(['.', '!', '?', '…'])
}

/// `1084 | thousands` → `1,084`; `sep` changes the separator.
fn thousands(value: i64, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let sep = kwargs
        .get::<String>("sep")?
        .unwrap_or_else(|| ",".to_string());
    let digits = crate::base::text::group_digits(value.unsigned_abs(), &sep);
    Ok(if value < 0 {
        format!("-{digits}")
    } else {
        digits
    })
}

/// Any value as JSON, safe inside `<script type="application/ld+json">`: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026`, so a title holding `</script>` cannot end the block.
fn json(value: &Value, _: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let text = json_for_script(value).map_err(|e| tera::Error::message(e.to_string()))?;
    Ok(Value::safe_string(&text))
}

/// JSON of `value` that is safe inside `<script>`: `<`, `>` and `&` are `\u` escapes.
pub fn json_for_script<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string(value)?;
    if !text.contains(['<', '>', '&']) {
        return Ok(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for (i, c) in text.match_indices(['<', '>', '&']) {
        out.push_str(&text[last..i]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            _ => "\\u0026",
        });
        last = i + 1;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(tpl: &str, ctx: &tera::Context) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t.html", tpl).unwrap();
        tera.render("t.html", ctx).unwrap()
    }

    #[test]
    fn thousands_separators() {
        let mut ctx = tera::Context::new();
        ctx.insert("n", &1_084_000);
        ctx.insert("m", &-999);
        assert_eq!(
            render(
                "{{ n | thousands }} {{ m | thousands }} {{ n | thousands(sep=' ') }}",
                &ctx
            ),
            "1,084,000 -999 1 084 000"
        );
    }

    #[test]
    fn css_colors_only() {
        let mut ctx = tera::Context::new();
        for (c, ok) in [
            ("#1f5fae", true),
            ("#abc", true),
            ("rebeccapurple", true),
            ("oklch(55% 0.15 250)", true),
            ("#12345", false),
            ("red;}body{display:none", false),
            ("rgb(1,2,3)}x{", false),
            ("url(x)", false),
        ] {
            ctx.insert("c", c);
            let out = render("{% if c is css_color %}yes{% else %}no{% endif %}", &ctx);
            assert_eq!(out, if ok { "yes" } else { "no" }, "{c}");
        }
    }

    #[test]
    fn json_cannot_close_a_script() {
        let mut ctx = tera::Context::new();
        ctx.insert("t", "</script><b>&");
        assert_eq!(
            render("{{ t | json }}", &ctx),
            "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\""
        );
    }
}
