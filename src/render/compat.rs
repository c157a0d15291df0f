//! Version ranges in a theme's `theme.toml` (`scholarsite = ">=0.1, <0.2"`): which scholarsite
//! versions the theme was made for. The syntax is Cargo's: comma-separated comparators `>=`,
//! `>`, `<=`, `<`, `=`, `^`, `~` or a bare version (same as `^`), versions of one to three
//! numbers. A theme for another version is refused with a clear message instead of breaking a
//! page halfway through rendering.

use std::cmp::Ordering;

/// A version: major, minor, patch.
type Version = (u64, u64, u64);

/// One bound of a range: the version and whether it is included.
type Bound = Option<(Version, bool)>;

/// A parsed range: every comparator must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    bounds: Vec<(Bound, Bound)>,
}

impl Range {
    /// Parses a range; the error says which part is wrong.
    pub fn parse(text: &str) -> Result<Range, String> {
        let mut bounds = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!("`{text}` has an empty comparator"));
            }
            bounds.push(comparator(part)?);
        }
        Ok(Range { bounds })
    }

    /// Whether `version` (`0.1.0`, a pre-release suffix ignored) is in the range.
    pub fn matches(&self, version: &str) -> bool {
        let core = version.split(['-', '+']).next().unwrap_or(version);
        let Some((v, _)) = parse_version(core) else {
            return false;
        };
        self.bounds.iter().all(|(low, high)| {
            let above = low.is_none_or(|(b, incl)| match v.cmp(&b) {
                Ordering::Greater => true,
                Ordering::Equal => incl,
                Ordering::Less => false,
            });
            let below = high.is_none_or(|(b, incl)| match v.cmp(&b) {
                Ordering::Less => true,
                Ordering::Equal => incl,
                Ordering::Greater => false,
            });
            above && below
        })
    }
}

/// `1`, `1.2` or `1.2.3` → the version with missing parts 0, and how many parts were given.
fn parse_version(s: &str) -> Option<(Version, usize)> {
    let parts: Vec<&str> = s.trim().split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut n = [0u64; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n[i] = p.parse().ok()?;
    }
    Some(((n[0], n[1], n[2]), parts.len()))
}

/// The next version after every version matching a partial one: `1.2` → `1.3.0`.
fn bump(v: Version, given: usize) -> Version {
    match given {
        1 => (v.0 + 1, 0, 0),
        2 => (v.0, v.1 + 1, 0),
        _ => (v.0, v.1, v.2 + 1),
    }
}

fn comparator(part: &str) -> Result<(Bound, Bound), String> {
    let (op, rest) = [">=", "<=", ">", "<", "=", "^", "~"]
        .iter()
        .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("^", part));
    let (v, given) =
        parse_version(rest).ok_or_else(|| format!("`{part}` is not a version comparator"))?;
    Ok(match op {
        ">=" => (Some((v, true)), None),
        ">" if given == 3 => (Some((v, false)), None),
        ">" => (Some((bump(v, given), true)), None),
        "<" => (None, Some((v, false))),
        "<=" if given == 3 => (None, Some((v, true))),
        "<=" => (None, Some((bump(v, given), false))),
        "=" => (Some((v, true)), Some((bump(v, given), false))),
        "~" => (Some((v, true)), Some((bump(v, given.min(2)), false))),
        _ => {
            // Caret: the leftmost non-zero part given may not change.
            let significant = if v.0 > 0 || given == 1 {
                1
            } else if v.1 > 0 || given == 2 {
                2
            } else {
                3
            };
            (Some((v, true)), Some((bump(v, significant), false)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(range: &str, version: &str) -> bool {
        Range::parse(range).unwrap().matches(version)
    }

    #[test]
    fn ranges_like_cargo() {
        assert!(ok(">=0.1, <0.2", "0.1.0"));
        assert!(ok(">=0.1, <0.2", "0.1.9"));
        assert!(!ok(">=0.1, <0.2", "0.2.0"));
        assert!(!ok(">=0.2", "0.1.0"));
        assert!(ok("0.1", "0.1.5"));
        assert!(!ok("0.1", "0.2.0"));
        assert!(ok("^1.2", "1.9.0"));
        assert!(!ok("^1.2", "2.0.0"));
        assert!(ok("~1.2.3", "1.2.9"));
        assert!(!ok("~1.2.3", "1.3.0"));
        assert!(ok("<=0.1", "0.1.7"));
        assert!(!ok(">0.1", "0.1.7"));
        assert!(ok("=0.1.0", "0.1.0-beta"));
    }

    #[test]
    fn bad_ranges_say_which_part() {
        assert_eq!(
            Range::parse(">=0.1, banana").unwrap_err(),
            "`banana` is not a version comparator"
        );
        assert!(Range::parse("").is_err());
        assert!(Range::parse("1.2.3.4").is_err());
    }
}
