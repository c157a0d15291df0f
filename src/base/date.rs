//! Calendar dates: all the site needs is a valid year-month-day, parsed from the profile's
//! `Aug 7, 2022` form and from TOML dates, and printed in ISO and human forms.

use std::fmt;

use serde::{Serialize, Serializer};

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2022.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The date if it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.splitn(3, '-');
        let year = parts.next()?;
        let month = parts.next()?;
        let day = parts.next()?;
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// A TOML date or date-time (the time, if any, is ignored).
    pub fn from_toml(dt: &toml::value::Datetime) -> Option<Date> {
        let d = dt.date?;
        Date::new(i32::from(d.year), d.month, d.day)
    }

    /// `2022-08-07`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `Aug 7, 2022`.
    pub fn human(&self) -> String {
        format!("{} {}, {}", &self.month_name()[..3], self.day, self.year)
    }

    /// `August`.
    pub fn month_name(&self) -> &'static str {
        MONTHS[usize::from(self.month - 1)]
    }
}

/// The month number of an English month name or abbreviation (`Aug`, `Sept`, `August`).
pub fn month_from_name(name: &str) -> Option<u8> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.len() < 3 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == lower || (m.starts_with(&lower) && (lower.len() == 3 || lower == "sept"))
        })
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Number of days in `month` of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The English name of a month number, for messages.
pub fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_the_calendar() {
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2022, 4, 31).is_none());
        assert!(Date::new(2022, 13, 1).is_none());
        assert!(Date::new(2022, 1, 0).is_none());
    }

    #[test]
    fn parses_and_prints() {
        let d = Date::parse_iso("2022-08-07").unwrap();
        assert_eq!(d.iso(), "2022-08-07");
        assert_eq!(d.human(), "Aug 7, 2022");
        assert_eq!(Date::parse_iso("2022-8-7"), None);
        assert_eq!(month_from_name("Sept"), Some(9));
        assert_eq!(month_from_name("Sep"), Some(9));
        assert_eq!(month_from_name("august"), Some(8));
        assert_eq!(month_from_name("Foo"), None);
        assert_eq!(month_from_name("Ma"), None);
        assert_eq!(month_from_name("Augu"), None);
    }
}
