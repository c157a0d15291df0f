//! Unit tests of the text-mode parser.

use super::*;

fn nodes(src: &str) -> Vec<Node<'_>> {
    let mut problems = Vec::new();
    parse(src, &mut problems)
}

fn maths(src: &str) -> Vec<(&str, bool)> {
    nodes(src)
        .into_iter()
        .filter_map(|n| match n {
            Node::Math { tex, display, .. } => Some((tex, display)),
            Node::Run(tex) => Some((tex, false)),
            _ => None,
        })
        .collect()
}

#[test]
fn dollars_follow_tex_rules() {
    assert_eq!(
        maths(r"$ x$, $x $, $\sim$10 s, 850$\pm$90 ms, $^{119}$Sb, $p$$+$$p$ and \$5"),
        vec![
            (" x", false),
            ("x ", false),
            (r"\sim", false),
            (r"\pm", false),
            ("^{119}", false),
            ("p", false),
            ("+", false),
            ("p", false),
        ]
    );
    assert_eq!(maths("a $$x$$ b"), vec![("x", true)]);
}

#[test]
fn a_stray_dollar_does_not_swallow_the_text() {
    let mut problems = Vec::new();
    // A price: never closed in its paragraph.
    let n = parse("It costs $5.\n\nThen $x$ holds.", &mut problems);
    assert_eq!(n[0], Node::Text("It costs $5.".into()));
    assert!(matches!(n[3], Node::Math { tex: "x", .. }), "{n:?}");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].offset, 9);
    assert!(problems[0].message.contains("unbalanced `$`"));
    // The stray one is the one whose removal leaves formulas that look like math.
    assert_eq!(maths("a price $5 and $x$ is"), vec![("x", false)]);
    // Text between dollars that reads as prose is not a formula.
    assert_eq!(maths("costs $5 and then $10 today"), vec![]);
    assert_eq!(maths("costs $5 and then $x^2$"), vec![("x^2", false)]);
    // Dollars the wrong way round: the prose between them stays prose.
    assert_eq!(
        maths(r"where \omega_{u}$ and $\omega_{o} are"),
        vec![(r"\omega_{u}", false), (r"\omega_{o}", false)]
    );
}

#[test]
fn math_delimiters() {
    let n = nodes(r"a $x$ b \(y\) c \[z\] d $$w$$");
    let maths: Vec<(&str, bool)> = n
        .iter()
        .filter_map(|n| match n {
            Node::Math { tex, display, .. } => Some((*tex, *display)),
            _ => None,
        })
        .collect();
    assert_eq!(
        maths,
        vec![("x", false), ("y", false), ("z", true), ("w", true)]
    );
}

#[test]
fn environments_become_display_math() {
    let n = nodes(r"see \begin{equation}E=mc^2\end{equation} and \begin{align}a&=b\end{align}");
    assert!(matches!(
        n[1],
        Node::Math {
            tex: r"\begin{equation}E=mc^2\end{equation}",
            display: true,
            ..
        }
    ));
    assert!(matches!(
        n[3],
        Node::Math {
            tex: r"\begin{align}a&=b\end{align}",
            display: true,
            ..
        }
    ));
    let n = nodes(r"\begin{displaymath}x\end{displaymath}");
    assert!(
        matches!(
            n[0],
            Node::Math {
                tex: "x",
                display: true,
                ..
            }
        ),
        "{n:?}"
    );
}

#[test]
fn styles_symbols_and_ligatures() {
    let n = nodes(r"\textit{a \textbf{b}} {\bf c} 40\% A--B---C ``q'' \'e\'{\i}\c{c}~x");
    assert_eq!(
        n[0],
        Node::Style(
            Style::Em,
            vec![
                Node::Text("a ".into()),
                Node::Style(Style::Strong, vec![Node::Text("b".into())])
            ]
        )
    );
    assert_eq!(
        n[2],
        Node::Style(
            Style::Plain,
            vec![Node::Style(Style::Strong, vec![Node::Text("c".into())])]
        )
    );
    assert_eq!(n[3], Node::Text(" 40% A–B—C “q” éíç\u{a0}x".into()));
}

#[test]
fn undefined_commands_are_kept_marked_and_reported() {
    let mut problems = Vec::new();
    let n = parse(r"a \foo b \micron{} c", &mut problems);
    assert_eq!(n[1], Node::Undefined(r"\foo"));
    assert_eq!(n[3], Node::Undefined(r"\micron"));
    assert_eq!(n[4], Node::Text(" c".into()));
    let names: Vec<_> = problems.iter().map(|p| p.undefined.as_deref()).collect();
    assert_eq!(names, [Some("foo"), Some("micron")]);
}

#[test]
fn math_commands_in_prose_become_runs_of_math() {
    let cases: &[(&str, &[&str])] = &[
        (r"where \alpha and \beta are", &[r"\alpha", r"\beta"]),
        (
            r"shown that L(\pi(X)) \leq r L(X)+r-1. One",
            &[r"L(\pi(X)) \leq r L(X)+r-1"],
        ),
        (r"for d \le X. For", &[r"d \le X"]),
        (r"the mass M=3875.2\pm 0.7 MeV found", &[r"M=3875.2\pm 0.7"]),
        (r"the plane (z_\odot) following", &[r"(z_\odot)"]),
        (r"matrix \Phi_{ij}. In", &[r"\Phi_{ij}"]),
        (r"The \pi-phase shift", &[r"\pi"]),
        (r"a given \cal K-invariant class", &[r"\cal K"]),
        (r"that P \neq NP.", &[r"P \neq NP"]),
        (r"Z^0 \to 2\gamma and the Twisted", &[r"Z^0 \to 2\gamma"]),
        (r"with x_{ij} and snake_case names", &[r"x_{ij}"]),
        (r"of 10^{-2} times", &[r"10^{-2}"]),
        (r"to U(N -> \infty) Yang-Mills", &[r"U(N -> \infty)"]),
        (r"very low CO-to-H_2 ratio", &[r"H_2"]),
        (
            r"[with SO(n')\times SO(n''), n'+n''=n] are",
            &[r"SO(n')\times SO(n''), n'+n''=n"],
        ),
        (r"of K km s^-1 pc^2 (I", &[r"s^-1 pc^2"]),
    ];
    for (src, expected) in cases {
        let found: Vec<&str> = maths(src).into_iter().map(|(t, _)| t).collect();
        assert_eq!(&found, expected, "{src}");
    }
    assert_eq!(
        run_tex(r"s^-1 pc^2 10^33 x_i N -> \infty"),
        r"s^{-1}\ pc^2\ 10^{33}\ x_i\ N \to  \infty"
    );
    assert_eq!(run_tex(r"I=0 \pi\pi"), r"I=0\ \pi\pi");
    assert_eq!(run_tex(r"\cos \theta_H"), r"\cos \theta_H");
    assert_eq!(
        run_tex(r"\omega ^{2}(t) \propto \omega"),
        r"\omega ^{2}(t) \propto \omega"
    );
    assert!(matches!(run_tex(r"\alpha"), std::borrow::Cow::Borrowed(_)));
    let n = nodes(r"a snake_case name and x^ y");
    assert!(n.iter().all(|n| matches!(n, Node::Text(_))), "{n:?}");
}

#[test]
fn lists_become_lists() {
    let n = nodes(
        "We show:\n\\begin{itemize}[leftmargin=3pc]\n\\item one $x$;\n\\item[(b)] two\n\\end{itemize}\nDone.",
    );
    let Node::List(ListKind::Itemize, items) = &n[1] else {
        panic!("{n:?}");
    };
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].label.is_none());
    assert!(
        matches!(items[0].body[1], Node::Math { tex: "x", .. }),
        "{items:?}"
    );
    assert_eq!(items[1].label, Some(vec![Node::Text("(b)".into())]));
    assert_eq!(items[1].body, vec![Node::Text("two ".into())]);
    assert_eq!(n[2], Node::Text(" Done.".into()));
    let n = nodes(
        r"\begin{enumerate}\item a \begin{description}\item[x] y\end{description}\end{enumerate}",
    );
    let Node::List(ListKind::Enumerate, items) = &n[0] else {
        panic!("{n:?}");
    };
    assert!(
        matches!(items[0].body[1], Node::List(ListKind::Description, _)),
        "{items:?}"
    );
}

#[test]
fn notes_and_text_environments_keep_their_content() {
    let n = nodes(r"a\footnote{see b} \begin{center}c\end{center} d\cite[p.~2]{k}.");
    assert_eq!(n[0], Node::Text("a (".into()));
    assert_eq!(
        n[1],
        Node::Style(Style::Plain, vec![Node::Text("see b".into())])
    );
    assert_eq!(
        n[3],
        Node::Style(Style::Plain, vec![Node::Text("c".into())])
    );
    assert_eq!(n[4], Node::Text(" d[?].".into()));
}

#[test]
fn paragraphs_only_at_top_level() {
    let n = nodes("one\n\n\ntwo\nthree");
    assert_eq!(
        n,
        vec![
            Node::Text("one".into()),
            Node::ParBreak,
            Node::Text("two three".into())
        ]
    );
}

#[test]
fn bare_urls_become_links() {
    let n = nodes("code at https://github.com/x/y. Also (http://a.b/c) and xhttp://no");
    assert!(
        matches!(
            n[1],
            Node::Link {
                url: "https://github.com/x/y",
                ..
            }
        ),
        "{n:?}"
    );
    assert!(
        matches!(
            n[3],
            Node::Link {
                url: "http://a.b/c",
                ..
            }
        ),
        "{n:?}"
    );
    assert_eq!(n.len(), 5, "{n:?}");
}

#[test]
fn urls() {
    let n = nodes(r"code at \url{https://x.io/a_b} or \href{https://y.io}{here}");
    assert!(matches!(
        n[1],
        Node::Link {
            url: "https://x.io/a_b",
            ..
        }
    ));
    assert!(matches!(
        n[3],
        Node::Link {
            url: "https://y.io",
            ..
        }
    ));
}

#[test]
fn unbalanced_input_never_panics() {
    for src in [
        "{",
        "}",
        "\\",
        "$",
        "$$",
        "\\(",
        "\\[",
        "\\textbf",
        "\\textbf{",
        "\\'",
        "\\begin{equation}",
        "\\url{",
        "{\\bf",
        "\\c{",
    ] {
        let mut problems = Vec::new();
        let _ = parse(src, &mut problems);
    }
}

#[test]
fn problems_point_at_what_they_name() {
    let at = |src: &str| {
        let mut problems = Vec::new();
        parse(src, &mut problems);
        problems
            .iter()
            .map(|p| (p.offset, p.source.clone()))
            .collect::<Vec<_>>()
    };
    // An unknown environment, one never ended, a style command without its argument: each at
    // its own place, not the start of the text.
    assert_eq!(
        at(r"ab \begin{weird}x\end{weird}"),
        [(3, r"\begin{weird}".to_string())]
    );
    assert_eq!(
        at(r"abc \begin{center}x"),
        [(4, r"\begin{center}".to_string())]
    );
    assert_eq!(at(r"abcde \textbf x"), [(6, r"\textbf".to_string())]);
}

#[test]
fn a_stray_closing_brace_is_text_and_the_rest_follows() {
    assert_eq!(nodes("a } b"), vec![Node::Text("a } b".into())]);
    assert_eq!(
        nodes(r"\emph{x} } y"),
        vec![
            Node::Style(Style::Em, vec![Node::Text("x".into())]),
            Node::Text(" } y".into())
        ]
    );
}

#[test]
fn a_word_starting_with_h_is_not_a_link() {
    assert_eq!(
        nodes("we say hello (hi) to https"),
        vec![Node::Text("we say hello (hi) to https".into())]
    );
}

#[test]
fn declarations_in_sibling_groups_do_not_add_up_to_the_nesting_limit() {
    // 300 groups side by side, each `{\bf …}`: nesting 2 each, never near the limit of 200.
    let src = r"{\bf x} ".repeat(300);
    let mut problems = Vec::new();
    let n = parse(&src, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let strong = n
        .iter()
        .filter(|node| match node {
            Node::Style(Style::Plain, inner) => {
                matches!(inner.as_slice(), [Node::Style(Style::Strong, _)])
            }
            _ => false,
        })
        .count();
    assert_eq!(strong, 300, "every group is bold");
}

#[test]
fn declarations_nest_up_to_the_limit_and_no_further() {
    // Each level is a group and a declaration, two steps of the limit of 200: 100 levels are
    // bold, and none past them.
    let depth = |src: &str| {
        let mut problems = Vec::new();
        let n = parse(src, &mut problems);
        fn deepest(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|node| match node {
                    Node::Style(Style::Strong, inner) => 1 + deepest(inner),
                    Node::Style(_, inner) => deepest(inner),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        deepest(&n)
    };
    let nested = |k: usize| format!("{}x{}", r"{\bf ".repeat(k), "}".repeat(k));
    assert_eq!(depth(&nested(50)), 50);
    let at_limit = depth(&nested(MAX_NESTING));
    assert_eq!(at_limit, MAX_NESTING / 2);
    assert_eq!(
        depth(&nested(MAX_NESTING + 20)),
        at_limit,
        "no deeper past the limit"
    );
    // A declaration in the deepest group allowed styles; one level deeper it does not.
    let inside = |k: usize| format!("{}\\bf x{}", "{".repeat(k), "}".repeat(k));
    assert_eq!(depth(&inside(MAX_NESTING - 1)), 1);
    assert_eq!(depth(&inside(MAX_NESTING)), 0);
}
