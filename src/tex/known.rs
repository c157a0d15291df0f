//! What pulldown-latex knows: a control sequence is probed by parsing it alone (once per
//! thread, then cached) and classified by the first thing pulldown-latex makes of it. The math
//! layer uses this to mark the commands pulldown-latex lacks ([`unknown_commands`]), and the
//! text layer to recognise math-only commands left in prose ([`classify`]).

use std::cell::RefCell;
use std::collections::HashMap;

use pulldown_latex::event::{Content, Event, ScriptPosition};

/// pulldown-latex's message for a control sequence it does not know.
pub(crate) const UNKNOWN: &str = "unknown primitive command found";

/// Control sequences that pulldown-latex accepts only in their place (after an operator, in an
/// array), so that alone they probe as unknown.
const IN_CONTEXT: &[&str] = &["limits", "nolimits", "hline", "hdashline"];

/// What a control sequence is to pulldown-latex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    /// Not a command pulldown-latex has.
    Unknown,
    /// A relation or binary operator (`\le`, `\pm`, `\to`).
    Operator,
    /// A large operator or a function name (`\sum`, `\lim`, `\sin`); `movable`: its scripts go
    /// above and below in display style, at the side otherwise.
    LargeOp { movable: bool },
    /// A symbol (`\alpha`, `\infty`), delimiter or punctuation.
    Symbol,
    /// A declaration that changes what follows (`\cal`, `\displaystyle`).
    Declaration,
    /// A command that needs arguments (`\frac`, `\hat`, `\mathcal`), or one valid only in its
    /// place.
    Command,
}

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, Known>> = RefCell::new(HashMap::new());
}

/// What `name` (a control sequence without its backslash) is to pulldown-latex.
pub(crate) fn classify(name: &str) -> Known {
    if let Some(k) = CACHE.with(|c| c.borrow().get(name).copied()) {
        return k;
    }
    let known = probe(name);
    CACHE.with(|c| c.borrow_mut().insert(name.into(), known));
    known
}

fn probe(name: &str) -> Known {
    if IN_CONTEXT.contains(&name) {
        return Known::Command;
    }
    let storage = pulldown_latex::Storage::new();
    let alone = format!("\\{name}");
    let mut first = None;
    for event in pulldown_latex::Parser::new(&alone, &storage) {
        match event {
            Err(e) if first_line(&e.to_string()) == UNKNOWN => return Known::Unknown,
            Err(_) => return Known::Command,
            Ok(e) => {
                if first.is_none() {
                    first = Some(kind_of(&e));
                }
            }
        }
    }
    match first.flatten() {
        Some(Known::LargeOp { .. }) => {
            let scripted = format!("\\{name}_x");
            let movable = pulldown_latex::Parser::new(&scripted, &storage).any(|e| {
                matches!(
                    e,
                    Ok(Event::Script {
                        position: ScriptPosition::Movable,
                        ..
                    })
                )
            });
            Known::LargeOp { movable }
        }
        Some(k) => k,
        None => Known::Declaration,
    }
}

/// The kind of the first event of a probe, if it is content.
fn kind_of(event: &Event<'_>) -> Option<Known> {
    match event {
        Event::Content(Content::Relation { .. } | Content::BinaryOp { .. }) => {
            Some(Known::Operator)
        }
        Event::Content(Content::LargeOp { .. } | Content::Function(_)) => {
            Some(Known::LargeOp { movable: false })
        }
        Event::Content(_) => Some(Known::Symbol),
        Event::StateChange(_) => None,
        _ => Some(Known::Command),
    }
}

/// The control words of `tex` that pulldown-latex does not know, each once.
pub(crate) fn unknown_commands(tex: &str) -> Vec<&str> {
    let mut unknown: Vec<&str> = Vec::new();
    for name in command_names(tex) {
        if !unknown.contains(&name) && classify(name) == Known::Unknown {
            unknown.push(name);
        }
    }
    unknown
}

/// The control words of `tex`, in order.
fn command_names(tex: &str) -> impl Iterator<Item = &str> {
    tex.split('\\').skip(1).filter_map(|s| {
        let end = s
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(s.len());
        (end > 0).then(|| &s[..end])
    })
}

/// The first line of a pulldown-latex error, without its prefix.
pub(crate) fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    line.strip_prefix("parsing error: ")
        .unwrap_or(line)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_classified_by_what_pulldown_latex_makes_of_them() {
        assert_eq!(classify("eps"), Known::Unknown);
        assert_eq!(classify("le"), Known::Operator);
        assert_eq!(classify("pm"), Known::Operator);
        assert_eq!(classify("alpha"), Known::Symbol);
        assert_eq!(classify("infty"), Known::Symbol);
        assert_eq!(classify("sum"), Known::LargeOp { movable: true });
        assert_eq!(classify("lim"), Known::LargeOp { movable: true });
        assert_eq!(classify("int"), Known::LargeOp { movable: false });
        assert_eq!(classify("frac"), Known::Command);
        assert_eq!(classify("cal"), Known::Declaration);
        assert_eq!(classify("limits"), Known::Command);
        assert_eq!(
            unknown_commands(r"\eps + \alpha \eps \wt{x}"),
            ["eps", "wt"]
        );
    }
}
