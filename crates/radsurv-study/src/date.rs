//! Calendar dates as the clinical table writes them (ISO `YYYY-MM-DD`).

use serde::{Deserialize, Serialize};

/// A calendar date (proleptic Gregorian), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// Parses ISO `YYYY-MM-DD`; `None` if malformed or not a real day.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        assert!(Date::parse("2018-12-31") < Date::parse("2019-01-01"));
        assert_eq!(Date::parse("2019-02-29"), None);
        assert!(Date::parse("2020-02-29").is_some());
        assert_eq!(
            Date::parse("2019-1-5").map(|d| d.to_string()).as_deref(),
            Some("2019-01-05")
        );
        assert_eq!(Date::parse("05/01/2019"), None);
    }
}
