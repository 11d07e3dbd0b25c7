//! Time comes from an injected clock so rules (age, expiry) are testable on any date.

use chrono::{DateTime, Local, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Today's date where the agency is (the machine's local time zone).
    fn today(&self) -> NaiveDate;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A clock stopped at one instant, for tests.
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// Noon UTC of the given day; `None` for an impossible date.
    pub fn on(y: i32, m: u32, d: u32) -> Option<FixedClock> {
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        Some(FixedClock(date.and_hms_opt(12, 0, 0)?.and_utc()))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn today(&self) -> NaiveDate {
        self.0.date_naive()
    }
}

/// Timestamps are stored as RFC 3339 text in UTC with millisecond precision, which sorts
/// correctly as text in SQLite and parses in PostgreSQL.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
