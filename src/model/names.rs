//! People's names as papers list them: `Given Names Family`, with the particles (`van der`)
//! that belong to the family name.

/// Name particles that belong to the family name (`van der Waals`).
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "le", "la", "dos", "del", "della", "ter",
    "ten",
];

/// (given, family) of a name written `Given Names Family`.
pub fn split_name(name: &str) -> (String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some((last, rest)) = words.split_last() else {
        return (String::new(), String::new());
    };
    let mut cut = rest.len();
    while cut > 0 && PARTICLES.contains(&rest[cut - 1]) {
        cut -= 1;
    }
    let family = rest[cut..]
        .iter()
        .chain(std::iter::once(last))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    (rest[..cut].join(" "), family)
}

/// Normalised forms of the owner's name and aliases.
pub(super) fn owner_names(name: &str, aliases: &[String]) -> Vec<String> {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(normalize_name)
        .collect()
}

/// `Shaoyi  HUANG.` → `shaoyi huang`: ASCII, lowercase, letters and single spaces.
pub(super) fn normalize_name(name: &str) -> String {
    deunicode::deunicode(name)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_with_particles() {
        assert_eq!(
            split_name("Grace Li Zhang"),
            ("Grace Li".into(), "Zhang".into())
        );
        assert_eq!(
            split_name("Johannes van der Waals"),
            ("Johannes".into(), "van der Waals".into())
        );
        assert_eq!(split_name("Plato"), ("".into(), "Plato".into()));
    }

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("Shaoyi  HUANG."), "shaoyi huang");
        assert_eq!(
            normalize_name("Zoë Müller-Lüdenscheidt"),
            "zoe muller ludenscheidt"
        );
    }
}
