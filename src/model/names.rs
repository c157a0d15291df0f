//! Whose name is whose: the owner's name and aliases normalised, to mark the owner in author
//! lists. The parts of a name (given, family with particles, suffix) are [`crate::base::name`].

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
    fn names_normalise() {
        assert_eq!(normalize_name("Shaoyi  HUANG."), "shaoyi huang");
        assert_eq!(
            normalize_name("Zoë Müller-Lüdenscheidt"),
            "zoe muller ludenscheidt"
        );
    }
}
