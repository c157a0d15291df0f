//! People's names as bibliographies write them: `Given Family`, BibTeX's `Family, Given` and
//! `Family, Suffix, Given`, with the particles that belong to the family name (`van der`,
//! `de la`), suffixes (`Jr.`, `III`) and braces protecting a part (`{Barnes and Noble}`).

/// Lowercase particles that belong to the family name (`Johannes van der Waals`).
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "le", "la", "dos", "das", "des", "del",
    "della", "ter", "ten", "zu", "zum", "zur", "vom", "af", "av", "op",
];

/// Generational suffixes written after the family name.
const SUFFIXES: &[&str] = &[
    "Jr.", "Jr", "Sr.", "Sr", "Jnr.", "Snr.", "II", "III", "IV", "2nd", "3rd",
];

/// Whether `word` is a generational suffix (`Jr.`, `III`).
pub fn is_suffix(word: &str) -> bool {
    SUFFIXES.contains(&word.trim())
}

/// A person's name in its parts. The family name includes its particles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Name {
    /// Given names, `Martin Luther` (may be empty: `Plato`).
    pub given: String,
    /// Family name with particles, `van der Waals`.
    pub family: String,
    /// Suffix, `Jr.` (usually empty).
    pub suffix: String,
}

impl Name {
    /// Parses any of the written forms. Braces protect a part and are removed.
    pub fn parse(written: &str) -> Name {
        let parts = split_top(written, |c| c == ',');
        let parts: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
        match parts.as_slice() {
            [] => Name::default(),
            [one] => Name::from_words(one),
            [first, second] if SUFFIXES.contains(second) => Name {
                suffix: unbrace(second),
                ..Name::from_words(first)
            },
            [family, given] => Name {
                given: unbrace(given),
                family: unbrace(family),
                suffix: String::new(),
            },
            [family, suffix, given @ ..] => Name {
                given: unbrace(&given.join(", ")),
                family: unbrace(family),
                suffix: unbrace(suffix),
            },
        }
    }

    /// `Given Names [particles] Family [Suffix]`, as one reads it.
    fn from_words(text: &str) -> Name {
        let words = split_top(text, char::is_whitespace);
        let mut words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
        let mut suffix = String::new();
        if words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
            suffix = words.pop().map(unbrace).unwrap_or_default();
        }
        let Some((last, rest)) = words.split_last() else {
            return Name::default();
        };
        let mut cut = rest.len();
        while cut > 0 && PARTICLES.contains(&rest[cut - 1]) {
            cut -= 1;
        }
        let family: Vec<&str> = rest[cut..].iter().chain([last]).copied().collect();
        Name {
            given: unbrace(&rest[..cut].join(" ")),
            family: unbrace(&family.join(" ")),
            suffix,
        }
    }

    /// `Martin Luther King Jr.`: the name as shown on a page.
    pub fn display(&self) -> String {
        [&self.given, &self.family, &self.suffix]
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The shortest written form that [`Name::parse`] reads back as these parts: the display
    /// form where it is unambiguous, else `Family, Given` (braced where needed).
    pub fn written(&self) -> String {
        let display = self.display();
        if Name::parse(&display) == *self {
            return display;
        }
        if self.given.is_empty() && self.suffix.is_empty() {
            return format!("{{{}}}", self.family);
        }
        let protect = |s: &str| {
            if s.contains([',', ' ']) || s.is_empty() {
                format!("{{{s}}}")
            } else {
                s.to_string()
            }
        };
        let family = protect(&self.family);
        let form = if self.suffix.is_empty() {
            format!("{family}, {}", self.given)
        } else {
            format!("{family}, {}, {}", protect(&self.suffix), self.given)
        };
        if Name::parse(&form) == *self {
            form
        } else {
            display
        }
    }
}

/// Splits `text` at characters where `at` holds, outside braces.
fn split_top(text: &str, at: impl Fn(char) -> bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && at(c) => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    if out.len() == 1 && out[0].trim().is_empty() {
        out.clear();
    }
    out
}

/// `{van der Berg}` → `van der Berg`; whitespace collapsed.
fn unbrace(s: &str) -> String {
    s.replace(['{', '}'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, String, String) {
        let n = Name::parse(s);
        (n.given, n.family, n.suffix)
    }

    fn p(g: &str, f: &str, s: &str) -> (String, String, String) {
        (g.into(), f.into(), s.into())
    }

    #[test]
    fn reads_every_written_form() {
        assert_eq!(parts("Grace Li Zhang"), p("Grace Li", "Zhang", ""));
        assert_eq!(
            parts("Johannes van der Waals"),
            p("Johannes", "van der Waals", "")
        );
        assert_eq!(parts("Plato"), p("", "Plato", ""));
        assert_eq!(
            parts("van der Waals, Johannes"),
            p("Johannes", "van der Waals", "")
        );
        assert_eq!(
            parts("King, Jr., Martin Luther"),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parts("Martin Luther King Jr."),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parts("Martin Luther King, Jr."),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parts("Jean de la Fontaine"),
            p("Jean", "de la Fontaine", "")
        );
        assert_eq!(
            parts("{de la Vallée Poussin}, Charles"),
            p("Charles", "de la Vallée Poussin", "")
        );
        assert_eq!(parts("{Barnes and Noble}"), p("", "Barnes and Noble", ""));
        assert_eq!(parts("  "), p("", "", ""));
    }

    #[test]
    fn written_forms_read_back() {
        for s in [
            "Grace Li Zhang",
            "Johannes van der Waals",
            "Martin Luther King Jr.",
            "{de la Vallée Poussin}, Charles",
            "Plato",
            "{Barnes and Noble}",
            "Ng, Andrew Y., Jr. III",
        ] {
            let n = Name::parse(s);
            assert_eq!(Name::parse(&n.written()), n, "{s} → {}", n.written());
        }
        assert_eq!(
            Name::parse("Vallée Poussin, Charles").written(),
            "{Vallée Poussin}, Charles"
        );
        assert_eq!(
            Name::parse("King, Jr., Martin Luther").written(),
            "Martin Luther King Jr."
        );
    }
}
