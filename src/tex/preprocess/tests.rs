//! Unit tests of the rewrite layer.

use std::borrow::Cow;

use super::*;

/// Numbering for a formula on its own.
const N: Numbering = Numbering {
    next: 1,
    anchor: "eq-",
};

fn rw_display(tex: &str) -> String {
    let m = Macros::default();
    rewrite(tex, true, &m, &[], N)
        .map(|r| r.tex.into_owned())
        .unwrap_or_else(|e| format!("ERR {e}"))
}

fn rw(tex: &str) -> String {
    let m = Macros::default();
    rewrite(tex, false, &m, &[], N)
        .map(|r| r.tex.into_owned())
        .unwrap_or_else(|e| format!("ERR {e}"))
}

#[test]
fn plain_formulas_pass_through_without_allocating() {
    let m = Macros::default();
    for tex in [
        r"O(n^2)",
        r"\mathbb{R}^d \times \frac{a}{b}",
        r"\begin{align}a&=b\\c&=d\end{align}",
    ] {
        let r = rewrite(tex, false, &m, &[], N).unwrap();
        assert!(
            matches!(r.tex, Cow::Borrowed(_)) || tex.contains("begin"),
            "{tex}"
        );
    }
    assert!(matches!(
        rewrite("x_1", false, &m, &[], N).unwrap().tex,
        Cow::Borrowed("x_1")
    ));
}

#[test]
fn rewrites() {
    assert_eq!(rw(r"{a \over b}"), r"{\frac{a }{b}}");
    assert_eq!(rw(r"\R^n"), r"\mathbb{R}^n");
    assert_eq!(rw(r"\bm{x}"), r"\boldsymbol{x}");
    assert_eq!(rw(r"\newcommand{\f}{x^2} \f"), " x^2");
    assert_eq!(rw(r"\def\g#1{#1+1}\g{y}"), "y+1");
    assert_eq!(rw(r"a \\ b"), r"\begin{gathered}a \\ b\end{gathered}");
    assert_eq!(
        rw(r"\text{50\% \emph{x}}"),
        r"\text{50}\%\text{ }\textit{x}"
    );
    assert_eq!(rw(r"\'e"), "é");
    assert_eq!(rw(r"x \label{a}\tag{3}"), r"x \qquad \text{(3)}");
    assert_eq!(
        rw(r"\operatorname*{arg\,max}_x"),
        "\\operatorname{arg\u{2009}max}_x"
    );
    assert_eq!(
        rw_display(r"\operatorname*{arg\,max}_x"),
        "\\operatorname{arg\u{2009}max}\\limits_x"
    );
    assert_eq!(rw(r"\mkern18mu"), r"\hspace{1.0000em}");
}

#[test]
fn limits_go_where_tex_puts_them() {
    // In a display formula, a fraction's numerator is in text style: limits at the side.
    assert_eq!(rw_display(r"\frac{\sum_i x}{2}"), r"\frac{{\sum}_i x}{2}");
    assert_eq!(rw_display(r"\sum_i x"), r"\sum_i x");
    assert_eq!(rw_display(r"e^{\lim_n a}"), r"e^{{\lim}_n a}");
    assert_eq!(
        rw_display(r"\begin{pmatrix}\sum_i\end{pmatrix}"),
        r"\begin{pmatrix}{\sum}_i\end{pmatrix}"
    );
    assert_eq!(rw_display(r"\sum\nolimits_i"), r"{\sum}_i");
    // Cells of `aligned` are in display style, also in an inline formula.
    assert_eq!(
        rw(r"\begin{aligned}\sum_i&=1\end{aligned}"),
        r"\begin{aligned}\sum\limits_i&=1\end{aligned}"
    );
    // Under an explicit style, a fraction's arguments get theirs.
    assert_eq!(
        rw(r"\displaystyle\frac{\frac{a}{b}}{c}"),
        r"\displaystyle \frac{\textstyle \frac{\scriptstyle a}{\scriptstyle b}}{\textstyle c}"
    );
    assert_eq!(rw(r"x_1,\dots,x_n"), r"x_1,\ldots,x_n");
    assert_eq!(rw(r"a+\dots+b"), r"a+\cdots+b");
    assert_eq!(rw(r"a\dots"), r"a\ldots");
}

#[test]
fn katex_and_temml_gaps() {
    assert_eq!(rw(r"\mleft(x\mright)"), r"\left(x\right)");
    assert_eq!(rw(r"\color{#f00}x"), r"\color{#ff0000}x");
    assert_eq!(rw(r"\blue{x}"), r"\textcolor{#6495ed}{x}");
    assert_eq!(
        rw(r"\matrix{a&b\cr c&d}"),
        r"\begin{matrix}a&b\\ c&d\end{matrix}"
    );
    assert_eq!(
        rw(r"\displaylines{a\\b}"),
        r"\begin{gathered}a\\b\end{gathered}"
    );
    assert_eq!(
        rw(r"\begin{CD}A @>f>> B\end{CD}"),
        r"\begin{matrix}A &\xrightarrow[\hspace{1em}\hspace{1em}]{\hspace{1em}f\hspace{1em}}& B\end{matrix}"
    );
    for tex in [
        r"\dddot{x}",
        r"\cancelto{0}{x}",
        r"\bordermatrix{&a\cr b&c}",
        r"{\large x}",
        r"\text{\underline{u} \sout{s}}",
        r"\begin{smallmatrix}a\end{smallmatrix}",
        r"\overline{abc}",
    ] {
        let m = Macros::default();
        let r = rewrite(tex, false, &m, &[], N).unwrap();
        assert!(!r.splices.is_empty(), "{tex}: {}", r.tex);
    }
}

#[test]
fn user_macros_win_and_recursion_is_an_error() {
    let mut t = std::collections::BTreeMap::new();
    t.insert("R".to_string(), r"\mathcal{R}".to_string());
    t.insert("loop".to_string(), r"\loop".to_string());
    let m = Macros::new(&t);
    assert_eq!(
        rewrite(r"\R", false, &m, &[], N).unwrap().tex,
        r"\mathcal{R}"
    );
    assert!(rewrite(r"\loop", false, &m, &[], N).is_err());
}

#[test]
fn no_input_panics() {
    const PIECES: &[&str] = &[
        "\\",
        "{",
        "}",
        "$",
        "&",
        "#1",
        "%",
        "~",
        "^",
        "_",
        "\\over",
        "\\\\",
        "\\text{",
        "\\begin{align}",
        "\\end{align}",
        "\\left(",
        "\\right",
        "\\tag{",
        "\\rule{1em}",
        "\\phantom{",
        "\\'",
        "\\verb!",
        "\\char\"",
        "\\newcommand{\\a}[2]",
        "\\def\\b#1",
        "\\a",
        "\\b",
        "é",
        "\u{E000}",
        "\\mathllap{",
        "\\boxed",
        "\\operatorname*{",
        "\\Set{",
        "|",
        "x",
        " ",
        "\\mkern",
        "mu",
        "[",
        "]",
        "\\cancel",
        "\\raisebox{",
    ];
    let m = Macros::default();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..20_000 {
        let mut tex = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 9) as usize;
        for k in 0..n {
            let i = ((seed >> (k * 5)) % PIECES.len() as u64) as usize;
            tex.push_str(PIECES[i]);
        }
        let _ = rewrite(&tex, seed.is_multiple_of(2), &m, &[], N);
        let mut out = String::new();
        let _ = crate::tex::math_to_mathml(&tex, false, &mut out);
    }
}
