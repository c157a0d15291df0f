//! Text-mode symbols, styles and accents: `\ss` → `ß`, `\textbf` → bold, `\'{\i}` → `í`.

use super::Style;

/// The base letter of an accent argument: `e`, `\i`, `\j`.
pub(super) fn accent_base(arg: &str) -> Option<char> {
    match arg.trim() {
        "\\i" => Some('ı'),
        "\\j" => Some('ȷ'),
        s => {
            let mut chars = s.chars();
            let c = chars.next()?;
            (chars.next().is_none() && c.is_alphabetic()).then_some(c)
        }
    }
}

pub(super) fn text_style(name: &str) -> Option<Style> {
    Some(match name {
        "textit" | "emph" | "textsl" => Style::Em,
        "textbf" => Style::Strong,
        "texttt" => Style::Code,
        "textsc" => Style::SmallCaps,
        "underline" | "uline" => Style::Underline,
        "textsuperscript" => Style::Sup,
        "textsubscript" => Style::Sub,
        "textrm" | "textsf" | "textnormal" | "textup" | "textmd" | "mbox" | "text" | "hbox" => {
            Style::Plain
        }
        _ => return None,
    })
}

/// The text a symbol command stands for in text mode (`\ss` → `ß`).
pub(crate) fn text_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ldots" | "dots" | "textellipsis" => "…",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "LaTeXe" => "LaTeX2ε",
        "BibTeX" => "BibTeX",
        "ss" => "ß",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "o" => "ø",
        "O" => "Ø",
        "l" => "ł",
        "L" => "Ł",
        "aa" => "å",
        "AA" => "Å",
        "i" => "ı",
        "j" => "ȷ",
        "S" => "§",
        "P" => "¶",
        "dag" | "textdagger" => "†",
        "ddag" | "textdaggerdbl" => "‡",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "textdegree" => "°",
        "textbackslash" => "\\",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textbar" => "|",
        "textless" => "<",
        "textgreater" => ">",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "textbullet" => "•",
        "pounds" | "textsterling" => "£",
        "euro" | "texteuro" => "€",
        "textpercent" => "%",
        "thinspace" => "\u{2009}",
        "enspace" => "\u{2002}",
        "quad" => "\u{2003}",
        "qquad" => "\u{2003}\u{2003}",
        "noindent" | "indent" | "centering" | "raggedright" | "raggedleft" | "relax"
        | "protect" | "smallskip" | "medskip" | "bigskip" | "maketitle" | "nobreak"
        | "allowbreak" | "hfill" | "hfil" | "vfill" | "newpage" | "clearpage" | "tiny"
        | "scriptsize" | "footnotesize" | "small" | "normalsize" | "large" | "Large" | "LARGE"
        | "huge" | "Huge" => "",
        _ => return None,
    })
}
