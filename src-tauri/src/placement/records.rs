//! Placement's records as stored and shown: employers, job orders, contracts, journeys and
//! fees, the checked inputs the store writes, and the views the adapters return. A leaf: the
//! store reads and writes these types, the services build them.

use super::{is_placeholder, months_between};
use crate::money::Money;
use crate::roster::validate::parse_date;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Employer {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub city: Option<String>,
    pub address: Option<String>,
    pub registration_number: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub cooperation_number: String,
    pub cooperation_signed_on: String,
    pub cooperation_valid_until: String,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub position: String,
    pub places: i64,
    pub country: String,
    #[serde(skip)]
    pub salary_minor: i64,
    pub salary_currency: String,
    pub hours_per_week: i64,
    pub term_months: i64,
    pub housing_paid_by: String,
    pub insurance_paid_by: String,
    pub travel_paid_by: String,
    pub visa_paid_by: String,
    pub platform_reference: Option<String>,
    pub deadline: Option<String>,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Contracts under this order that are not cancelled.
    pub assigned: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: i64,
    pub worker_id: i64,
    pub worker_name: String,
    pub job_order_id: i64,
    pub employer_name: String,
    pub number: String,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub position: String,
    #[serde(skip)]
    pub salary_minor: i64,
    pub salary_currency: String,
    pub hours_per_week: i64,
    pub housing_paid_by: String,
    pub insurance_paid_by: String,
    pub travel_paid_by: String,
    pub visa_paid_by: String,
    pub registration_number: Option<String>,
    pub registered_on: Option<String>,
    pub status: ContractStatus,
    pub status_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Journey {
    pub id: i64,
    pub worker_id: i64,
    pub contract_id: i64,
    pub departed_on: String,
    pub route: Option<String>,
    pub border_crossing: Option<String>,
    pub returned_on: Option<String>,
    pub return_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Fee {
    pub id: i64,
    pub worker_id: i64,
    pub paid_by: String,
    pub purpose: String,
    #[serde(skip)]
    pub amount_minor: i64,
    pub currency: String,
    pub paid_on: String,
    pub receipt_number: String,
    pub reason: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

// ---------------------------------------------------------------- checked inputs

pub struct EmployerData {
    pub name: String,
    pub country: String,
    pub city: Option<String>,
    pub address: Option<String>,
    pub registration_number: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub cooperation_number: String,
    pub cooperation_signed_on: String,
    pub cooperation_valid_until: String,
}

pub struct JobData {
    pub employer_id: i64,
    pub position: String,
    pub places: i64,
    pub country: String,
    pub salary: Money,
    pub hours_per_week: i64,
    pub term_months: i64,
    /// housing, insurance, travel, visa
    pub paid_by: [&'static str; 4],
    pub platform_reference: Option<String>,
    pub deadline: Option<String>,
}

pub struct ContractData {
    pub worker_id: i64,
    pub job_order_id: i64,
    pub number: String,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub position: String,
    pub salary: Money,
    pub hours_per_week: i64,
    pub paid_by: [&'static str; 4],
}

pub struct FeeData {
    pub worker_id: i64,
    pub paid_by: &'static str,
    pub purpose: &'static str,
    pub amount: Money,
    pub paid_on: String,
    pub receipt_number: String,
    pub reason: Option<String>,
}

// ---------------------------------------------------------------- views

#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    #[serde(flatten)]
    pub job: Job,
    pub salary_amount: String,
    pub places_left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContractView {
    #[serde(flatten)]
    pub contract: Contract,
    pub salary_amount: String,
    /// Fields whose terms differ from the job order's (salary, position, hours, term) or
    /// hold a placeholder instead of terms.
    pub mismatches: Vec<&'static str>,
    pub placeholders: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeeView {
    #[serde(flatten)]
    pub fee: Fee,
    pub amount: String,
}

pub(super) fn amount(minor: i64, currency: &str) -> String {
    Money::from_minor(minor, currency).map(|m| m.amount()).unwrap_or_else(|_| minor.to_string())
}

pub(super) fn job_view(job: Job) -> JobView {
    JobView {
        salary_amount: amount(job.salary_minor, &job.salary_currency),
        places_left: (job.places - job.assigned).max(0),
        job,
    }
}

/// What differs between a contract and its job order, and which texts are placeholders.
pub fn compare(contract: &Contract, job: &Job) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut mismatches = Vec::new();
    if contract.salary_minor != job.salary_minor || contract.salary_currency != job.salary_currency {
        mismatches.push("salary_amount");
    }
    if crate::names::fold(&contract.position) != crate::names::fold(&job.position) {
        mismatches.push("position");
    }
    if contract.hours_per_week != job.hours_per_week {
        mismatches.push("hours_per_week");
    }
    let term = match (parse_date(&contract.starts_on), parse_date(&contract.ends_on)) {
        (Some(s), Some(e)) => months_between(s, e),
        _ => -1,
    };
    if term != job.term_months {
        mismatches.push("term_months");
    }
    let pairs = [
        (&contract.housing_paid_by, &job.housing_paid_by, "housing_paid_by"),
        (&contract.insurance_paid_by, &job.insurance_paid_by, "insurance_paid_by"),
        (&contract.travel_paid_by, &job.travel_paid_by, "travel_paid_by"),
        (&contract.visa_paid_by, &job.visa_paid_by, "visa_paid_by"),
    ];
    mismatches.extend(pairs.iter().filter(|(c, j, _)| c != j).map(|(_, _, f)| *f));
    let placeholders = if is_placeholder(&contract.position) { vec!["position"] } else { vec![] };
    (mismatches, placeholders)
}

/// Where a contract stands. Stored and sent as its snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
pub enum ContractStatus {
    Draft,
    Signed,
    Registered,
    Active,
    Completed,
    Terminated,
    Cancelled,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 7] = [
        ContractStatus::Draft,
        ContractStatus::Signed,
        ContractStatus::Registered,
        ContractStatus::Active,
        ContractStatus::Completed,
        ContractStatus::Terminated,
        ContractStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::Signed => "signed",
            ContractStatus::Registered => "registered",
            ContractStatus::Active => "active",
            ContractStatus::Completed => "completed",
            ContractStatus::Terminated => "terminated",
            ContractStatus::Cancelled => "cancelled",
        }
    }

    /// A status as typed (any case); None for anything else.
    pub fn parse(text: &str) -> Option<ContractStatus> {
        let t = text.trim().to_ascii_lowercase();
        ContractStatus::ALL.into_iter().find(|s| s.code() == t)
    }

    /// Where a clerk may move a contract from here. `registered` is never among them: only
    /// recording the Labor-migration registration puts a contract there; `active`,
    /// `completed` and `terminated` also follow departure and return.
    pub fn moves(self) -> &'static [ContractStatus] {
        use ContractStatus::*;
        match self {
            Draft => &[Signed, Cancelled],
            Signed => &[Cancelled],
            Registered => &[Active, Cancelled],
            Active => &[Completed, Terminated],
            Completed | Terminated | Cancelled => &[],
        }
    }

    /// Whether the worker holds a contract that was signed and not undone.
    pub fn is_signed(self) -> bool {
        matches!(self, ContractStatus::Signed | ContractStatus::Registered | ContractStatus::Active)
    }

    /// Whether the contract is registered with the state (and so lets the worker leave).
    pub fn is_registered(self) -> bool {
        matches!(self, ContractStatus::Registered | ContractStatus::Active)
    }
}

impl std::fmt::Display for ContractStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A scanned document attached to a contract, stored once by its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub contract_id: i64,
    pub sha256: String,
    pub kind: String,
    pub size: i64,
    pub original_name: String,
    pub added_at: String,
    pub added_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contract_status_reads_back_from_its_code_and_registered_is_never_a_clerks_move() {
        for s in ContractStatus::ALL {
            assert_eq!(ContractStatus::parse(&s.code().to_uppercase()).expect("parses"), s);
            assert!(!s.moves().contains(&ContractStatus::Registered), "{s}");
        }
        assert_eq!(ContractStatus::parse("lost"), None);
        assert_eq!(serde_json::to_value(ContractStatus::Registered).expect("json"), "registered");
    }
}
