//! Calendar dates: a valid year-month-day, parsed from the profile's `Aug 7, 2022` form and
//! from TOML dates, and printed in ISO and human forms. Bibliographies often know only the year
//! or the month: such a date has `day` 0 (and `month` 0), and prints as `2022-08` or `2022`.

use std::fmt;

use serde::{Serialize, Serializer};

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2022.
    pub year: i32,
    /// Month, 1–12 (0: only the year is known).
    pub month: u8,
    /// Day of the month, 1–31 (0: only the year, or the year and month, are known).
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

    /// A date known to the year or the month (`month`/`day` `None`), if it exists.
    pub fn partial(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Date> {
        match (month, day) {
            (Some(m), Some(d)) => Date::new(year, m, d),
            (Some(m), None) => (1..=12).contains(&m).then_some(Date {
                year,
                month: m,
                day: 0,
            }),
            (None, _) => Some(Date {
                year,
                month: 0,
                day: 0,
            }),
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse_partial(s: &str) -> Option<Date> {
        let mut parts = s.trim().split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let mut next = || -> Option<Option<u8>> {
            match parts.next() {
                None => Some(None),
                Some(p) if p.len() == 2 => p.parse().ok().map(Some),
                Some(_) => None,
            }
        };
        let month = next()?;
        let day = next()?;
        if parts.next().is_some() || (month.is_none() && day.is_some()) {
            return None;
        }
        Date::partial(year, month, day)
    }

    /// Whether month and day are known.
    pub fn is_full(&self) -> bool {
        self.day != 0
    }

    /// Whether `other` says nothing this date contradicts: same year, and the same month and
    /// day where both know them.
    pub fn agrees_with(&self, other: &Date) -> bool {
        self.year == other.year
            && (self.month == 0 || other.month == 0 || self.month == other.month)
            && (self.day == 0 || other.day == 0 || self.day == other.day)
    }

    /// How many of year, month, day are known (1–3).
    pub fn precision(&self) -> u8 {
        1 + u8::from(self.month != 0) + u8::from(self.day != 0)
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

    /// Today (UTC), from the system clock.
    pub fn today() -> Date {
        utc_now().0
    }

    /// `2022-08-07`, or `2022-08`, `2022` for a partial date.
    pub fn iso(&self) -> String {
        self.to_string()
    }

    /// `2022-08-07`, a partial date on its first day (for formats that need a full date).
    pub fn iso_full(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.max(1),
            self.day.max(1)
        )
    }

    /// `Aug 7, 2022`, or `Aug 2022`, `2022` for a partial date.
    pub fn human(&self) -> String {
        match (self.month, self.day) {
            (0, _) => self.year.to_string(),
            (_, 0) => format!("{} {}", &self.month_name()[..3], self.year),
            _ => format!("{} {}, {}", &self.month_name()[..3], self.day, self.year),
        }
    }

    /// `August` (empty when the month is unknown).
    pub fn month_name(&self) -> &'static str {
        match self.month {
            0 => "",
            m => MONTHS[usize::from(m - 1).min(11)],
        }
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

/// The current time in UTC, from the system clock: the date, and the seconds since midnight.
pub fn utc_now() -> (Date, u64) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    (Date { year, month, day }, secs % 86_400)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (_, 0) => write!(f, "{:04}-{:02}", self.year, self.month),
            _ => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
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
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        let today = Date::today();
        assert!(Date::new(today.year, today.month, today.day).is_some() && today.year >= 2024);
    }

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

    #[test]
    fn partial_dates() {
        let y = Date::parse_partial("2022").unwrap();
        assert_eq!(
            (y.iso(), y.human(), y.iso_full()),
            ("2022".into(), "2022".into(), "2022-01-01".into())
        );
        let m = Date::parse_partial("2022-08").unwrap();
        assert_eq!((m.iso(), m.human()), ("2022-08".into(), "Aug 2022".into()));
        assert!(m.agrees_with(&Date::new(2022, 8, 7).unwrap()));
        assert!(!m.agrees_with(&Date::new(2022, 9, 7).unwrap()));
        assert_eq!(Date::parse_partial("2022-13"), None);
        assert_eq!(Date::parse_partial("22"), None);
        assert_eq!(Date::parse_partial("2022-02-30"), None);
        assert!(y < m && m < Date::new(2022, 8, 1).unwrap());
    }
}
