//! Money as integer minor units of an ISO 4217 currency: never a float. Amounts come in and
//! go out as decimal strings ("1500.50 USD", "2300000 KRW").

use crate::error::{AppError, Result};
use serde::Serialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    /// In minor units (cents, tiyin); KRW and JPY have none.
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Currency {
    #[serde(serialize_with = "code")]
    pub code: [u8; 3],
    pub digits: u32,
    /// The largest single amount accepted, in minor units (data/currencies.tsv says why).
    #[serde(skip)]
    pub max_minor: i64,
}

fn code<S: serde::Serializer>(c: &[u8; 3], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(std::str::from_utf8(c).unwrap_or("???"))
}

impl Currency {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("???")
    }
}

fn table() -> &'static [Currency] {
    static T: OnceLock<Vec<Currency>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../data/currencies.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let code: [u8; 3] = cols.next()?.trim().as_bytes().try_into().ok()?;
                let digits: u32 = cols.next()?.trim().parse().ok()?;
                let max: i64 = cols.next()?.trim().parse().ok()?;
                let max_minor = max.checked_mul(10i64.checked_pow(digits)?)?;
                Some(Currency { code, digits, max_minor })
            })
            .collect()
    })
}

/// The codes of every currency the core accepts, in the table's order.
pub fn currency_codes() -> impl Iterator<Item = &'static str> {
    table().iter().map(Currency::as_str)
}

/// A known currency by code, any case.
pub fn currency(text: &str, field: &'static str) -> Result<Currency> {
    let up = text.trim().to_ascii_uppercase();
    table()
        .iter()
        .find(|c| c.as_str() == up)
        .copied()
        .ok_or_else(|| AppError::new("currency_unknown").on(field).with("currency", text.trim()))
}

/// Parses "1500", "1500.5", "1 500,50" into minor units; more decimals than the currency
/// has, signs, exponents or anything else is refused rather than rounded.
pub fn parse(amount: &str, currency: Currency, field: &'static str) -> Result<Money> {
    let bad = || AppError::new("amount_invalid").on(field).with("digits", currency.digits);
    let t: String = amount.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let t = t.replace(',', ".");
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > currency.digits as usize || (t.contains('.') && frac.is_empty()) {
        return Err(bad());
    }
    let too_large = || {
        let max = Money { minor: currency.max_minor, currency };
        AppError::new("amount_too_large").on(field).with("max", max)
    };
    let scale = 10i64.pow(currency.digits);
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = currency.digits as usize).parse().map_err(|_| bad())?
    };
    // Only digits are left: a number that does not even fit 64 bits is too large, not malformed.
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let minor = whole.checked_mul(scale).and_then(|w| w.checked_add(frac_value)).ok_or_else(too_large)?;
    if minor > currency.max_minor {
        return Err(too_large());
    }
    Ok(Money { minor, currency })
}

/// The sum of amounts in one currency, or a refusal naming `field` when it would not fit
/// in 64 bits (only possible with amounts stored before they were bounded).
pub fn sum(amounts: impl IntoIterator<Item = i64>, currency: &str, field: &'static str) -> Result<i64> {
    amounts
        .into_iter()
        .try_fold(0i64, |total, a| total.checked_add(a))
        .ok_or_else(|| AppError::new("amount_total_too_large").on(field).with("currency", currency))
}

impl Money {
    pub fn from_minor(minor: i64, code: &str) -> Result<Money> {
        Ok(Money { minor, currency: currency(code, "currency")? })
    }

    /// "1500.50" (no currency, no grouping): what the CLI and JSON show.
    pub fn amount(&self) -> String {
        let scale = 10i64.pow(self.currency.digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let whole = abs / scale as u64;
        if self.currency.digits == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{:0width$}", abs % scale as u64, width = self.currency.digits as usize)
        }
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd() -> Currency {
        currency("usd", "c").expect("usd")
    }

    #[test]
    fn amounts_are_read_exactly_or_refused() {
        assert_eq!(parse("1500.5", usd(), "a").expect("ok").minor, 150_050);
        assert_eq!(parse("1 500,50", usd(), "a").expect("ok").minor, 150_050);
        assert_eq!(parse("0.01", usd(), "a").expect("ok").minor, 1);
        let krw = currency("KRW", "c").expect("krw");
        assert_eq!(parse("2300000", krw, "a").expect("ok").minor, 2_300_000);
        for bad in ["1.005", "-5", "1e3", "", "12.", "abc", "1.2.3"] {
            assert_eq!(parse(bad, usd(), "a").expect_err(bad).code, "amount_invalid", "{bad}");
        }
        assert_eq!(parse("1.5", krw, "a").expect_err("no minor").code, "amount_invalid");
        assert_eq!(currency("XYZ", "c").expect_err("unknown").code, "currency_unknown");
        assert_eq!(parse("1500.5", usd(), "a").expect("ok").to_string(), "1500.50 USD");
    }

    #[test]
    fn an_amount_above_the_currencys_maximum_is_refused_naming_the_field_and_the_maximum() {
        assert_eq!(parse("1000000", usd(), "a").expect("the maximum itself").minor, 100_000_000);
        let e = parse("1000000.01", usd(), "amount").expect_err("above");
        assert_eq!((e.code, e.field), ("amount_too_large", Some("amount")));
        assert_eq!(e.message(crate::i18n::Lang::En), "Amount: must not exceed 1000000.00 USD");
        for huge in ["99999999999999999999", &i64::MAX.to_string(), "92233720368547758.07"] {
            assert_eq!(parse(huge, usd(), "a").expect_err(huge).code, "amount_too_large", "{huge}");
        }
        // The integer maximum that used to be accepted, in every currency.
        for c in table() {
            let e = parse(&Money { minor: i64::MAX, currency: *c }.amount(), *c, "amount").expect_err(c.as_str());
            assert_eq!(e.code, "amount_too_large", "{}", c.as_str());
        }
    }

    #[test]
    fn every_currency_has_a_maximum_and_a_million_of_them_still_add_up() {
        let codes =
            include_str!("../data/currencies.tsv").lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        assert_eq!(table().len(), codes.count(), "a currency line without a valid maximum is dropped");
        for c in table() {
            assert!(c.max_minor > 0, "{}", c.as_str());
            assert!(sum(std::iter::repeat_n(c.max_minor, 1_000_000), c.as_str(), "amount").is_ok(), "{}", c.as_str());
        }
    }

    #[test]
    fn a_sum_that_would_overflow_is_refused_not_wrapped() {
        assert_eq!(sum([1, 2, 3], "USD", "amount").expect("small"), 6);
        let e = sum([i64::MAX, i64::MAX], "USD", "amount").expect_err("overflow");
        assert_eq!((e.code, e.field), ("amount_total_too_large", Some("amount")));
    }

    proptest! {
        #[test]
        fn every_amount_round_trips_through_its_text(minor in 0i64..=100_000_000, digits in prop::sample::select(vec!["USD", "KRW", "KWD"])) {
            let c = currency(digits, "c").expect("known");
            let m = Money { minor, currency: c };
            prop_assert_eq!(parse(&m.amount(), c, "a").expect("parse"), m);
        }
    }
}
