//! Placement abroad: foreign employers with their cooperation contracts, job orders
//! (vacancies), employment contracts, journeys and the fee ledger, with the rules that
//! protect the worker. Inputs arrive as text (JSON from the UI or the CLI) and are checked
//! here, every problem at once, like the roster's.

pub mod attachments;
pub mod contracts;
pub mod employers;
pub mod fees;
pub mod jobs;
pub mod journeys;
pub mod records;
pub mod service;
pub mod statement;

use crate::error::Problem;
use crate::money::{self, Money};
use crate::roster::validate::parse_date;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Text fields (strings or numbers in JSON) with unknown fields refused.
macro_rules! text_input {
    ($(#[$m:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $(
                #[serde(deserialize_with = "crate::roster::text")]
                pub $field: Option<String>,
            )*
        }
    };
}

text_input!(
    /// A foreign employer / partner and its cooperation contract with the agency.
    EmployerInput {
        name, country, city, address, registration_number, contact_person, phone, email,
        cooperation_number, cooperation_signed_on, cooperation_valid_until,
    }
);

text_input!(
    /// A job order (vacancy / quota) allotted to the agency.
    JobInput {
        employer_id, position, places, country, salary_amount, salary_currency, hours_per_week,
        term_months, housing_paid_by, insurance_paid_by, travel_paid_by, visa_paid_by,
        platform_reference, deadline,
    }
);

text_input!(
    /// An employment contract for one worker under a job order.
    ContractInput {
        worker_id, job_order_id, number, signed_on, starts_on, ends_on, position, salary_amount,
        salary_currency, hours_per_week, housing_paid_by, insurance_paid_by, travel_paid_by,
        visa_paid_by,
    }
);

text_input!(
    /// One payment in the fee ledger.
    FeeInput { worker_id, paid_by, purpose, amount, currency, paid_on, receipt_number, reason }
);

pub const PAID_BY: &[&str] = &["employer", "worker"];
pub const FEE_PURPOSES: &[&str] = &["placement", "consulting", "travel", "visa", "medical", "other"];
pub const RETURN_REASONS: &[&str] = &["contract_completed", "early_return", "deported", "other"];

/// Words that stand in for real terms ("as per job order"): a contract must state its terms.
const PLACEHOLDERS: &[&str] = &[
    "as per",
    "per job order",
    "according to the job order",
    "see job order",
    "tbd",
    "to be determined",
    "согласно",
    "по заявке",
    "по заказу",
    "buyurtma asosida",
    "buyurtmaga muvofiq",
    "буюртма асосида",
    "xxx",
];

/// Checks inputs field by field, collecting every problem.
#[derive(Default)]
pub struct Check {
    pub problems: Vec<Problem>,
}

fn clean(v: &Option<String>) -> Option<String> {
    let s = v.as_deref()?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

impl Check {
    pub fn text(&mut self, field: &'static str, v: &Option<String>, required: bool, max: usize) -> Option<String> {
        let s = clean(v);
        match &s {
            None if required => self.problems.push(Problem::error(field, "required")),
            Some(s) if s.chars().count() > max => {
                self.problems.push(Problem::error(field, "too_long").with("max", max))
            }
            // A contact's or a trainer's name is personal data too: nothing invisible in it.
            Some(s) if s.chars().any(crate::names::is_invisible) => {
                self.problems.push(Problem::error(field, "invisible_chars"))
            }
            _ => {}
        }
        s
    }

    pub fn date(&mut self, field: &'static str, v: &Option<String>, required: bool) -> Option<NaiveDate> {
        match clean(v) {
            None => {
                if required {
                    self.problems.push(Problem::error(field, "required"));
                }
                None
            }
            Some(s) => {
                let d = parse_date(&s);
                if d.is_none() {
                    self.problems.push(Problem::error(field, "date_invalid"));
                }
                d
            }
        }
    }

    /// `later` must come strictly after `earlier` (both present).
    pub fn after(&mut self, field: &'static str, later: Option<NaiveDate>, earlier: Option<NaiveDate>) {
        if let (Some(l), Some(e)) = (later, earlier) {
            if l <= e {
                self.problems.push(Problem::error(field, "date_order").with("after", e.format("%Y-%m-%d")));
            }
        }
    }

    pub fn int(&mut self, field: &'static str, v: &Option<String>, min: i64, max: i64) -> Option<i64> {
        let s = clean(v);
        let Some(s) = s else {
            self.problems.push(Problem::error(field, "required"));
            return None;
        };
        match s.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.problems.push(Problem::error(field, "number_invalid").with("min", min).with("max", max));
                None
            }
        }
    }

    pub fn one_of(
        &mut self,
        field: &'static str,
        v: &Option<String>,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let s = clean(v).map(|s| s.to_ascii_lowercase());
        let Some(s) = s else {
            self.problems.push(Problem::error(field, "required"));
            return None;
        };
        let found = allowed.iter().find(|a| **a == s).copied();
        if found.is_none() {
            self.problems.push(Problem::error(field, "choice_invalid").with("choices", allowed.join(", ")));
        }
        found
    }

    pub fn country(&mut self, field: &'static str, v: &Option<String>) -> Option<String> {
        let s = self.text(field, v, true, 2)?;
        let c = crate::places::find_country(&s).map(|c| c.code.clone());
        if c.is_none() {
            self.problems.push(Problem::error(field, "country_unknown"));
        }
        c
    }

    pub fn money(
        &mut self,
        amount_field: &'static str,
        currency_field: &'static str,
        amount: &Option<String>,
        currency: &Option<String>,
    ) -> Option<Money> {
        let c = match clean(currency) {
            None => {
                self.problems.push(Problem::error(currency_field, "required"));
                None
            }
            Some(c) => match money::currency(&c, currency_field) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.problems.push(Problem::error(currency_field, e.code).with("currency", c));
                    None
                }
            },
        };
        let a = clean(amount);
        if a.is_none() {
            self.problems.push(Problem::error(amount_field, "required"));
        }
        let (a, c) = (a?, c?);
        match money::parse(&a, c, amount_field) {
            Ok(m) => Some(m),
            Err(e) => {
                // The parser's own reason (bad form, or above the currency's maximum).
                let mut problem = Problem::error(amount_field, e.code);
                problem.params = e.params;
                self.problems.push(problem);
                None
            }
        }
    }

    pub fn email(&mut self, field: &'static str, v: &Option<String>) -> Option<String> {
        let s = self.text(field, v, false, 200)?;
        let ok =
            s.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !s.contains(' '));
        if !ok {
            self.problems.push(Problem::error(field, "email_invalid"));
        }
        Some(s)
    }
}

/// Whole months of a contract running from `start` to `end`, both days included (1 March
/// to 28 February is 12).
pub fn months_between(start: NaiveDate, end: NaiveDate) -> i64 {
    let Some(after) = end.succ_opt() else { return 0 };
    let mut m = i64::from(after.year() - start.year()) * 12 + i64::from(after.month()) - i64::from(start.month());
    if add_months(start, m) > after {
        m -= 1;
    }
    m.max(0)
}

/// The date `months` after `date` (clamped to the month's last day).
pub fn add_months(date: NaiveDate, months: i64) -> NaiveDate {
    let total = i64::from(date.year()) * 12 + i64::from(date.month0()) + months;
    let (y, m) = ((total.div_euclid(12)) as i32, (total.rem_euclid(12)) as u32 + 1);
    (1..=date.day()).rev().find_map(|d| NaiveDate::from_ymd_opt(y, m, d)).unwrap_or(date)
}

/// True when a text stands in for terms instead of stating them.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.to_lowercase();
    PLACEHOLDERS.iter().any(|p| t.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn contract_terms_count_whole_months() {
        assert_eq!(months_between(d("2026-03-01"), d("2027-02-28")), 12);
        assert_eq!(months_between(d("2026-03-01"), d("2027-03-01")), 12);
        assert_eq!(months_between(d("2026-01-15"), d("2026-07-14")), 6);
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2026-11-25"), 6), d("2027-05-25"));
    }

    #[test]
    fn placeholder_terms_are_spotted_in_any_language() {
        assert!(is_placeholder("As per approved job order"));
        assert!(is_placeholder("Согласно заявке"));
        assert!(is_placeholder("buyurtma asosida"));
        assert!(!is_placeholder("Welder, 3G"));
    }
}
