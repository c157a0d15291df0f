//! Plain-TeX infix fractions: `{a \over b}`, `\choose`, `\atop`, `\brace`, `\brack`, `\above`
//! become prefix fractions spanning their group, cell or row.

use super::Engine;

/// An infix fraction command: `\over`, `\choose` …
#[derive(Debug, Clone, Copy)]
pub(super) enum Infix {
    Over,
    Choose,
    Atop,
    Brace,
    Brack,
}

impl Infix {
    fn prefix(self) -> &'static str {
        match self {
            Infix::Over => "\\frac{",
            Infix::Choose => "\\binom{",
            Infix::Atop => "\\genfrac{}{}{0pt}{}{",
            Infix::Brace => "\\genfrac\\{\\}{0pt}{}{",
            Infix::Brack => "\\genfrac[]{0pt}{}{",
        }
    }
}

impl Engine<'_> {
    /// The infix fraction commands.
    pub(super) fn fraction_command(&mut self, name: &str) -> Option<Result<(), String>> {
        let infix = match name {
            "over" => Infix::Over,
            "choose" => Infix::Choose,
            "atop" => Infix::Atop,
            "brace" => Infix::Brace,
            "brack" => Infix::Brack,
            "above" => {
                // `\above <dimen>`: the rule thickness is dropped.
                self.read_dimension_tokens();
                Infix::Over
            }
            _ => return None,
        };
        Some(self.infix(infix))
    }

    /// Ends the current cell or row: its size changes are written, and an infix fraction in
    /// it becomes a prefix one.
    pub(super) fn finish_segment(&mut self) -> Result<(), String> {
        self.close_sizes()?;
        let level = self.level();
        let segment = level.segment;
        if let Some((infix, split)) = level.infix.take() {
            let denominator = self.out.split_off(split);
            let numerator = self.out.split_off(segment);
            self.out.push_str(infix.prefix());
            self.out.push_str(&numerator);
            self.out.push_str("}{");
            self.out.push_str(&denominator);
            self.out.push('}');
            self.after_word = false;
        }
        Ok(())
    }

    fn infix(&mut self, infix: Infix) -> Result<(), String> {
        let split = self.out.len();
        let level = self.level();
        if level.infix.is_some() {
            return Err("two infix fractions (`\\over`, `\\choose` …) in one group".into());
        }
        level.infix = Some((infix, split));
        self.after_word = false;
        Ok(())
    }
}
