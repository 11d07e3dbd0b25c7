//! Consent to process a worker's personal data (Law ZRU-547): date, purpose, data list,
//! term and whether data may go abroad. Without a valid consent nothing more may be done
//! with the worker's data except archiving and handing it to him.

use super::validate::parse_date;
use crate::error::{AppError, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What is processed, when the clerk does not list it herself.
pub const DEFAULT_DATA_LIST: &str =
    "full name (Latin, Cyrillic), date of birth, sex, PINFL, passport, phone, region, destination, training, contracts";

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentInput {
    pub given_on: Option<String>,
    pub purpose: Option<String>,
    pub valid_until: Option<String>,
    pub may_transfer_abroad: Option<bool>,
    pub data_list: Option<String>,
}

/// A consent ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentData {
    pub given_on: String,
    pub purpose: String,
    pub valid_until: String,
    pub may_transfer_abroad: bool,
    pub data_list: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Consent {
    pub given_on: String,
    pub purpose: String,
    pub data_list: String,
    pub valid_until: String,
    pub may_transfer_abroad: bool,
    pub withdrawn_on: Option<String>,
    pub withdrawn_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentState {
    Valid,
    Expired,
    Withdrawn,
    Missing,
}

impl Consent {
    pub fn state(&self, today: NaiveDate) -> ConsentState {
        if self.withdrawn_on.is_some() {
            ConsentState::Withdrawn
        } else if parse_date(&self.valid_until).is_some_and(|d| d < today) {
            ConsentState::Expired
        } else {
            ConsentState::Valid
        }
    }
}

pub fn state_of(consent: Option<&Consent>, today: NaiveDate) -> ConsentState {
    consent.map_or(ConsentState::Missing, |c| c.state(today))
}

/// Refuses processing unless the consent in force is valid.
pub fn require_valid(consent: Option<&Consent>, today: NaiveDate) -> Result<(), AppError> {
    match (state_of(consent, today), consent) {
        (ConsentState::Valid, _) => Ok(()),
        (ConsentState::Withdrawn, Some(c)) => {
            Err(AppError::new("consent_withdrawn").with("date", c.withdrawn_on.clone().unwrap_or_default()))
        }
        (ConsentState::Expired, Some(c)) => Err(AppError::new("consent_expired").with("date", &c.valid_until)),
        _ => Err(AppError::new("consent_missing")),
    }
}

/// Steps that send the worker's data to a foreign employer: they need a consent that allows it.
pub fn require_abroad(consent: Option<&Consent>, to: super::status::Status) -> Result<(), AppError> {
    use super::status::Status::{ContractRegistered, ContractSigned, Departed};
    let abroad = matches!(to, ContractSigned | ContractRegistered | Departed);
    if abroad && !consent.is_some_and(|c| c.may_transfer_abroad) {
        return Err(AppError::new("consent_no_abroad"));
    }
    Ok(())
}

/// Checks a consent record; problems use the fields `consent.given_on` and so on.
pub fn validate(input: Option<&ConsentInput>, today: NaiveDate, out: &mut Vec<Problem>) -> Option<ConsentData> {
    let Some(c) = input else {
        out.push(Problem::error("consent", "consent_required"));
        return None;
    };
    let before = out.len();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let date = |field: &'static str, v: &Option<String>, out: &mut Vec<Problem>| match text(v) {
        None => {
            out.push(Problem::error(field, "required"));
            None
        }
        Some(s) => {
            let d = parse_date(&s);
            if d.is_none() {
                out.push(Problem::error(field, "date_invalid"));
            }
            d
        }
    };
    let given = date("consent.given_on", &c.given_on, out);
    if given.is_some_and(|g| g > today) {
        out.push(Problem::error("consent.given_on", "issued_in_future"));
    }
    let purpose = text(&c.purpose);
    if purpose.is_none() {
        out.push(Problem::error("consent.purpose", "required"));
    }
    let until = date("consent.valid_until", &c.valid_until, out);
    if let (Some(g), Some(u)) = (given, until) {
        if u <= g {
            out.push(Problem::error("consent.valid_until", "expiry_not_after_issue"));
        } else if u < today {
            out.push(Problem::error("consent.valid_until", "consent_term_past"));
        }
    }
    if out.len() > before {
        return None;
    }
    Some(ConsentData {
        given_on: given?.format("%Y-%m-%d").to_string(),
        purpose: purpose?,
        valid_until: until?.format("%Y-%m-%d").to_string(),
        may_transfer_abroad: c.may_transfer_abroad.unwrap_or(false),
        data_list: text(&c.data_list).unwrap_or_else(|| DEFAULT_DATA_LIST.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    #[test]
    fn a_consent_needs_date_purpose_and_a_later_term() {
        let mut p = Vec::new();
        assert!(validate(None, today(), &mut p).is_none());
        assert_eq!(p[0].code, "consent_required");
        let mut p = Vec::new();
        let bad = ConsentInput {
            given_on: Some("2026-12-01".into()),
            valid_until: Some("2026-01-01".into()),
            ..Default::default()
        };
        assert!(validate(Some(&bad), today(), &mut p).is_none());
        let got: Vec<_> = p.iter().map(|p| (p.field.unwrap_or(""), p.code)).collect();
        assert_eq!(
            got,
            vec![
                ("consent.given_on", "issued_in_future"),
                ("consent.purpose", "required"),
                ("consent.valid_until", "expiry_not_after_issue")
            ]
        );
        let mut p = Vec::new();
        let good = ConsentInput {
            given_on: Some("2026-11-20".into()),
            purpose: Some("employment abroad".into()),
            valid_until: Some("2028-11-20".into()),
            may_transfer_abroad: Some(true),
            data_list: None,
        };
        let d = validate(Some(&good), today(), &mut p).expect("valid");
        assert!(d.may_transfer_abroad && d.data_list == DEFAULT_DATA_LIST);
        let mut p = Vec::new();
        let ended =
            ConsentInput { given_on: Some("2020-01-01".into()), valid_until: Some("2022-01-01".into()), ..good };
        assert!(validate(Some(&ended), today(), &mut p).is_none());
        assert_eq!(p[0].code, "consent_term_past");
    }

    #[test]
    fn withdrawn_or_expired_consent_blocks_processing() {
        let c = Consent {
            given_on: "2025-01-01".into(),
            purpose: "p".into(),
            data_list: "d".into(),
            valid_until: "2026-01-01".into(),
            may_transfer_abroad: true,
            withdrawn_on: None,
            withdrawn_reason: None,
        };
        assert_eq!(require_valid(Some(&c), today()).expect_err("expired").code, "consent_expired");
        let w = Consent { valid_until: "2030-01-01".into(), withdrawn_on: Some("2026-11-01".into()), ..c.clone() };
        assert_eq!(require_valid(Some(&w), today()).expect_err("withdrawn").code, "consent_withdrawn");
        assert_eq!(require_valid(None, today()).expect_err("missing").code, "consent_missing");
        let ok = Consent { valid_until: "2030-01-01".into(), ..c };
        assert!(require_valid(Some(&ok), today()).is_ok());
        use crate::roster::status::Status;
        let home_only = Consent { may_transfer_abroad: false, ..ok.clone() };
        assert_eq!(
            require_abroad(Some(&home_only), Status::ContractSigned).expect_err("abroad").code,
            "consent_no_abroad"
        );
        assert!(require_abroad(Some(&home_only), Status::InTraining).is_ok());
        assert!(require_abroad(Some(&ok), Status::Departed).is_ok());
    }
}
