//! Filters scholarsite adds to Tera for themes (documented in docs/themes.md).

use tera::{Kwargs, State, Tera, Value};

/// Registers every filter; call before adding templates (Tera checks filter names then).
pub fn register(tera: &mut Tera) {
    tera.register_filter("thousands", thousands);
    tera.register_filter("json", json);
}

/// `1084 | thousands` → `1,084`; `sep` changes the separator.
fn thousands(value: i64, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let sep = kwargs
        .get::<String>("sep")?
        .unwrap_or_else(|| ",".to_string());
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len() + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(&sep);
        }
        out.push(c);
    }
    Ok(out)
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
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
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
    fn json_cannot_close_a_script() {
        let mut ctx = tera::Context::new();
        ctx.insert("t", "</script><b>&");
        assert_eq!(
            render("{{ t | json }}", &ctx),
            "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\""
        );
    }
}
