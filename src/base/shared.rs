//! [`Shared`]: text that the site model and the template values hold without copying. A
//! 10,000-paper site shows each abstract on the paper's page and in listings; held as a Tera
//! value (reference-counted), the text exists once in memory however many pages show it.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};
use tera::Value;

/// An immutable string shared with the templates: cloning it, or handing it to a template as
/// [`Shared::value`], copies a pointer, not the text.
#[derive(Clone)]
pub struct Shared(Value);

impl Shared {
    /// The text as a template value (escaped when printed, like any string), without copying.
    pub fn value(&self) -> Value {
        self.0.clone()
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or_default()
    }
}

impl Default for Shared {
    fn default() -> Shared {
        Shared::from("")
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared(Value::from(s))
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Shared {
        Shared(Value::from(s))
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Shared {}

impl std::hash::Hash for Shared {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_shares_the_text() {
        let long = "An abstract long enough to be stored behind a pointer, not inline.";
        let s = Shared::from(long);
        assert_eq!(&*s, long);
        assert_eq!(s.value().as_str(), Some(long));
        // Same bytes in memory: the value is the text, not a copy of it.
        assert_eq!(
            s.value().as_str().map(str::as_ptr),
            Some(s.as_str().as_ptr())
        );
        assert_eq!(Shared::default().as_str(), "");
        assert_eq!(format!("{s}"), long);
    }
}
