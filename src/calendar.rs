//! Dates and quarters: the archive is organised by them.

use std::fmt;
use std::str::FromStr;

/// A calendar date that exists (no 30 February).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Why a year, month and day are not a date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum DateError {
    NoSuchMonth {
        month: u8,
    },
    NoSuchDay {
        year: u16,
        month: u8,
        day: u8,
        last: u8,
    },
}

/// A text that is not a quarter such as `2023-Q2`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct QuarterError(String);

impl QuarterError {
    /// The text that is not a quarter.
    pub(crate) fn text_given(&self) -> &str {
        &self.0
    }
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::NoSuchMonth { month });
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(DateError::NoSuchDay {
                year,
                month,
                day,
                last,
            });
        }
        Ok(Date { year, month, day })
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            q: (self.month - 1) / 3 + 1,
        }
    }

    /// `26/4/2023`, the way Vietnamese documents write dates.
    pub fn vietnamese(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// Today in UTC, for the "date in the future" warning only: output never
    /// depends on it.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        civil_from_days((secs / 86_400) as i64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 to a date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date { year, month, day }
}

/// A calendar quarter, written `2023-Q2` in front matter and `2023-q2` in URLs.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Quarter {
    pub year: u16,
    pub q: u8,
}

impl Quarter {
    /// `quý II/2023`, as Vietnamese documents name quarters.
    pub fn vietnamese(self) -> String {
        let roman = ["I", "II", "III", "IV"][usize::from(self.q - 1)];
        format!("Quý {roman}/{}", self.year)
    }

    pub fn slug(self) -> String {
        format!("{}-q{}", self.year, self.q)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = QuarterError;

    fn from_str(s: &str) -> Result<Quarter, QuarterError> {
        let help = || QuarterError(s.to_string());
        let (year, q) = s.trim().split_once(['-', ' ']).ok_or_else(help)?;
        let year: u16 = year.parse().map_err(|_| help())?;
        let q = q.strip_prefix(['Q', 'q']).ok_or_else(help)?;
        let q: u8 = q.parse().map_err(|_| help())?;
        if !(1..=4).contains(&q) || !(1000..=9999).contains(&year) {
            return Err(help());
        }
        Ok(Quarter { year, q })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_follows_the_month() {
        let q = |m| Date::new(2023, m, 1).unwrap().quarter().to_string();
        assert_eq!(q(1), "2023-Q1");
        assert_eq!(q(3), "2023-Q1");
        assert_eq!(q(4), "2023-Q2");
        assert_eq!(q(9), "2023-Q3");
        assert_eq!(q(12), "2023-Q4");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(Date::new(2023, 2, 30).is_err());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(1900, 2, 29).is_err());
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(2023, 13, 1).is_err());
        assert!(Date::new(2023, 4, 31).is_err());
    }

    #[test]
    fn quarters_parse_and_print() {
        let q: Quarter = "2023-Q2".parse().unwrap();
        assert_eq!((q.year, q.q), (2023, 2));
        assert_eq!(q.slug(), "2023-q2");
        assert_eq!(q.vietnamese(), "Quý II/2023");
        assert_eq!("2023-q4".parse::<Quarter>().unwrap().q, 4);
        for bad in ["2023-Q5", "2023-Q0", "2023", "Q2-2023", "23-Q1", "2023-Qx"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_dates_from_epoch_days() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(19_473).to_string(), "2023-04-26");
    }
}
