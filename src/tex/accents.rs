//! TeX accents (`\'e`, `\"o`, `\c{c}`, `\v{s}`) → Unicode, precomposed where Unicode has the
//! letter, base + combining mark otherwise.

/// The combining mark of a TeX accent command (`'` → U+0301), if it is one.
pub fn combining_mark(accent: &str) -> Option<char> {
    Some(match accent {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30C}',
        "c" => '\u{327}',
        "H" => '\u{30B}',
        "k" => '\u{328}',
        "r" => '\u{30A}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        _ => return None,
    })
}

/// Pairs of (base letter, precomposed letter) per combining mark.
const PRECOMPOSED: &[(char, &str)] = &[
    (
        '\u{301}',
        "AÁEÉIÍOÓUÚYÝaáeéiíoóuúyýCĆcćLĹlĺNŃnńRŔrŕSŚsśZŹzźGǴgǵıí",
    ),
    ('\u{300}', "AÀEÈIÌOÒUÙaàeèiìoòuùNǸnǹıì"),
    (
        '\u{302}',
        "AÂEÊIÎOÔUÛaâeêiîoôuûCĈcĉGĜgĝHĤhĥJĴjĵSŜsŝWŴwŵYŶyŷıî",
    ),
    ('\u{308}', "AÄEËIÏOÖUÜaäeëiïoöuüyÿYŸıï"),
    ('\u{303}', "AÃNÑOÕaãnñoõIĨiĩUŨuũıĩ"),
    ('\u{304}', "AĀaāEĒeēIĪiīOŌoōUŪuūıī"),
    ('\u{307}', "CĊcċEĖeėGĠgġIİZŻzż"),
    ('\u{306}', "AĂaăEĔeĕGĞgğIĬiĭOŎoŏUŬuŭıĭ"),
    ('\u{30C}', "CČcčDĎdďEĚeěNŇnňRŘrřSŠsšTŤtťZŽzž"),
    ('\u{327}', "CÇcçSŞsşTŢtţGĢgģKĶkķLĻlļNŅnņRŖrŗ"),
    ('\u{30B}', "OŐoőUŰuű"),
    ('\u{328}', "AĄaąEĘeęIĮiįUŲuų"),
    ('\u{30A}', "AÅaåUŮuů"),
];

/// `base` with the accent `mark` applied.
pub fn apply(base: char, mark: char) -> String {
    let composed = PRECOMPOSED
        .iter()
        .find(|(m, _)| *m == mark)
        .and_then(|(_, pairs)| {
            let chars: Vec<char> = pairs.chars().collect();
            chars
                .chunks(2)
                .find(|pair| pair[0] == base)
                .map(|pair| pair[1])
        });
    match composed {
        Some(c) => c.to_string(),
        None => {
            let mut s = base.to_string();
            s.push(mark);
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_common_letters() {
        assert_eq!(apply('e', combining_mark("'").unwrap()), "é");
        assert_eq!(apply('o', combining_mark("\"").unwrap()), "ö");
        assert_eq!(apply('c', combining_mark("c").unwrap()), "ç");
        assert_eq!(apply('s', combining_mark("v").unwrap()), "š");
        assert_eq!(apply('ı', combining_mark("'").unwrap()), "í");
        assert_eq!(apply('q', combining_mark("'").unwrap()), "q\u{301}");
    }
}
