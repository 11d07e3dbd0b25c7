// Over 600 lines: employers, job orders, contracts, journeys and fees; issue 10 splits them by sub-area.
//! Placement services: every write checks its rules inside one `BEGIN IMMEDIATE`
//! transaction and appends its audit entry there.

use super::{add_months, is_placeholder, months_between, Check, ContractInput, EmployerInput, FeeInput, JobInput};
use super::{FEE_PURPOSES, PAID_BY, RETURN_REASONS};
use crate::accounts::{Role, Session};
use crate::audit::{self, Entry};
use crate::clock::stamp;
use crate::error::{AppError, Problem, Result};
use crate::money::Money;
use crate::roster::service::Desk;
use crate::roster::status::Status;
use crate::roster::validate::parse_date;
use crate::store::{placement as q, workers as wq};
use serde::Serialize;
use serde_json::json;

// ---------------------------------------------------------------- stored records

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
    pub status: String,
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

fn amount(minor: i64, currency: &str) -> String {
    Money::from_minor(minor, currency).map(|m| m.amount()).unwrap_or_else(|_| minor.to_string())
}

fn job_view(job: Job) -> JobView {
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

/// Contract statuses and their moves (`registered` only through registration).
pub const CONTRACT_MOVES: &[(&str, &[&str])] = &[
    ("draft", &["signed", "cancelled"]),
    ("signed", &["cancelled"]),
    ("registered", &["active", "cancelled"]),
    ("active", &["completed", "terminated"]),
    ("completed", &[]),
    ("terminated", &[]),
    ("cancelled", &[]),
];

/// The status from which a contract is registered (with its number and date).
pub const REGISTERED_FROM: &str = "signed";

fn not_found(what: &'static str, id: i64) -> AppError {
    AppError::new(what).with("id", id)
}

impl Desk {
    async fn setting_i64(&self, key: &str, default: i64) -> Result<i64> {
        Ok(self.store.setting(key).await?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
    }

    // ------------------------------------------------------------ employers

    pub async fn add_employer(&self, input: &EmployerInput, actor: &str) -> Result<Employer> {
        let mut c = Check::default();
        let name = c.text("name", &input.name, true, 200);
        let country = c.country("country", &input.country);
        let city = c.text("city", &input.city, false, 100);
        let address = c.text("address", &input.address, false, 300);
        let registration_number = c.text("registration_number", &input.registration_number, false, 100);
        let contact_person = c.text("contact_person", &input.contact_person, false, 200);
        let phone = c.text("phone", &input.phone, false, 40);
        let email = c.email("email", &input.email);
        let cooperation_number = c.text("cooperation_number", &input.cooperation_number, true, 100);
        let signed = c.date("cooperation_signed_on", &input.cooperation_signed_on, true);
        let until = c.date("cooperation_valid_until", &input.cooperation_valid_until, true);
        c.after("cooperation_valid_until", until, signed);
        if signed.is_some_and(|s| s > self.clock.today()) {
            c.problems.push(Problem::error("cooperation_signed_on", "issued_in_future"));
        }
        let (Some(name), Some(country), Some(cooperation_number), Some(signed), Some(until), true) =
            (name, country, cooperation_number, signed, until, c.problems.is_empty())
        else {
            return Err(AppError::validation(c.problems));
        };
        let data = EmployerData {
            name,
            country,
            city,
            address,
            registration_number,
            contact_person,
            phone,
            email,
            cooperation_number,
            cooperation_signed_on: signed.format("%Y-%m-%d").to_string(),
            cooperation_valid_until: until.format("%Y-%m-%d").to_string(),
        };
        let now = stamp(self.clock.now());
        let mut tx = self.store.write().await?;
        let id = q::insert_employer(&mut tx, &data, &now).await?;
        let employer = q::employer(&mut tx, id).await?.ok_or_else(|| not_found("employer_not_found", id))?;
        let changes = json!({"name": employer.name, "country": employer.country, "cooperation_number": employer.cooperation_number,
            "cooperation_valid_until": employer.cooperation_valid_until});
        audit::append(&mut tx, &Entry::new(&now, actor, "employer.add").record("employer", id).changes(changes))
            .await?;
        tx.commit().await?;
        Ok(employer)
    }

    pub async fn employer(&self, id: i64) -> Result<Employer> {
        let mut conn = self.store.read().await?;
        q::employer(&mut conn, id).await?.ok_or_else(|| not_found("employer_not_found", id))
    }

    pub async fn archive_employer(&self, id: i64, actor: &str) -> Result<Employer> {
        let now = stamp(self.clock.now());
        let mut tx = self.store.write().await?;
        let e = q::employer(&mut tx, id).await?.ok_or_else(|| not_found("employer_not_found", id))?;
        if e.archived_at.is_none() {
            q::archive_employer(&mut tx, id, &now).await?;
            audit::append(&mut tx, &Entry::new(&now, actor, "employer.archive").record("employer", id)).await?;
        }
        let e = q::employer(&mut tx, id).await?.ok_or_else(|| not_found("employer_not_found", id))?;
        tx.commit().await?;
        Ok(e)
    }

    // ------------------------------------------------------------ job orders

    pub async fn add_job(&self, input: &JobInput, actor: &str) -> Result<JobView> {
        let mut c = Check::default();
        let employer_id = c.int("employer_id", &input.employer_id, 1, i64::MAX);
        let position = c.text("position", &input.position, true, 200);
        let places = c.int("places", &input.places, 1, 100_000);
        let country = c.country("country", &input.country);
        let salary = c.money("salary_amount", "salary_currency", &input.salary_amount, &input.salary_currency);
        let hours = c.int("hours_per_week", &input.hours_per_week, 1, 84);
        let term = c.int("term_months", &input.term_months, 1, 120);
        let paid_by = [
            c.one_of("housing_paid_by", &input.housing_paid_by, PAID_BY),
            c.one_of("insurance_paid_by", &input.insurance_paid_by, PAID_BY),
            c.one_of("travel_paid_by", &input.travel_paid_by, PAID_BY),
            c.one_of("visa_paid_by", &input.visa_paid_by, PAID_BY),
        ];
        let platform_reference = c.text("platform_reference", &input.platform_reference, false, 100);
        let deadline = c.date("deadline", &input.deadline, false);
        if position.as_deref().is_some_and(is_placeholder) {
            c.problems.push(Problem::error("position", "placeholder_terms"));
        }
        let mut tx = self.store.write().await?;
        if let Some(id) = employer_id {
            match q::employer(&mut tx, id).await? {
                None => c.problems.push(Problem::error("employer_id", "employer_not_found").with("id", id)),
                Some(e) if e.archived_at.is_some() => {
                    c.problems.push(Problem::error("employer_id", "employer_archived"))
                }
                Some(_) => {}
            }
        }
        let (
            Some(employer_id),
            Some(position),
            Some(places),
            Some(country),
            Some(salary),
            Some(hours),
            Some(term),
            [Some(h), Some(i), Some(t), Some(v)],
            true,
        ) = (employer_id, position, places, country, salary, hours, term, paid_by, c.problems.is_empty())
        else {
            return Err(AppError::validation(c.problems));
        };
        let data = JobData {
            employer_id,
            position,
            places,
            country,
            salary,
            hours_per_week: hours,
            term_months: term,
            paid_by: [h, i, t, v],
            platform_reference,
            deadline: deadline.map(|d| d.format("%Y-%m-%d").to_string()),
        };
        let now = stamp(self.clock.now());
        let id = q::insert_job(&mut tx, &data, &now).await?;
        let job = q::job(&mut tx, id).await?.ok_or_else(|| not_found("job_order_not_found", id))?;
        let changes = json!({"employer_id": employer_id, "position": job.position, "places": job.places,
            "salary": data.salary.to_string(), "term_months": job.term_months});
        audit::append(&mut tx, &Entry::new(&now, actor, "job.add").record("job_order", id).changes(changes)).await?;
        tx.commit().await?;
        Ok(job_view(job))
    }

    pub async fn job(&self, id: i64) -> Result<JobView> {
        let mut conn = self.store.read().await?;
        q::job(&mut conn, id).await?.map(job_view).ok_or_else(|| not_found("job_order_not_found", id))
    }

    pub async fn jobs(&self, employer_id: Option<i64>) -> Result<Vec<JobView>> {
        Ok(self.store.jobs(employer_id).await?.into_iter().map(job_view).collect())
    }

    // ------------------------------------------------------------ contracts

    /// Adds a draft contract, enforcing the rules that protect the worker: a partner with a
    /// cooperation contract valid on the signing date, a job order with a free place, a
    /// passport valid for the term plus the destination's margin, and a consent that lets
    /// his data go abroad.
    pub async fn add_contract(&self, input: &ContractInput, actor: &str) -> Result<ContractView> {
        let mut c = Check::default();
        let worker_id = c.int("worker_id", &input.worker_id, 1, i64::MAX);
        let job_id = c.int("job_order_id", &input.job_order_id, 1, i64::MAX);
        let number = c.text("number", &input.number, true, 100);
        let signed = c.date("signed_on", &input.signed_on, true);
        let starts = c.date("starts_on", &input.starts_on, true);
        let ends = c.date("ends_on", &input.ends_on, true);
        c.after("ends_on", ends, starts);
        if let (Some(s), Some(st)) = (signed, starts) {
            if st < s {
                c.problems.push(Problem::error("starts_on", "date_order").with("after", s.format("%Y-%m-%d")));
            }
        }
        let position = c.text("position", &input.position, true, 200);
        let salary = c.money("salary_amount", "salary_currency", &input.salary_amount, &input.salary_currency);
        let hours = c.int("hours_per_week", &input.hours_per_week, 1, 84);
        let paid_by = [
            c.one_of("housing_paid_by", &input.housing_paid_by, PAID_BY),
            c.one_of("insurance_paid_by", &input.insurance_paid_by, PAID_BY),
            c.one_of("travel_paid_by", &input.travel_paid_by, PAID_BY),
            c.one_of("visa_paid_by", &input.visa_paid_by, PAID_BY),
        ];
        let mut tx = self.store.write().await?;
        let worker = match worker_id {
            Some(id) => {
                let w = wq::get_in(&mut tx, id).await?;
                if w.is_none() {
                    c.problems.push(Problem::error("worker_id", "worker_not_found").with("id", id));
                }
                w
            }
            None => None,
        };
        let job = match job_id {
            Some(id) => {
                let j = q::job(&mut tx, id).await?;
                if j.is_none() {
                    c.problems.push(Problem::error("job_order_id", "job_order_not_found").with("id", id));
                }
                j
            }
            None => None,
        };
        if let (Some(job), Some(signed)) = (&job, signed) {
            let employer = q::employer(&mut tx, job.employer_id).await?;
            let valid = employer.as_ref().is_some_and(|e| {
                parse_date(&e.cooperation_signed_on).is_some_and(|from| from <= signed)
                    && parse_date(&e.cooperation_valid_until).is_some_and(|to| signed <= to)
            });
            if !valid {
                c.problems.push(
                    Problem::error("signed_on", "cooperation_invalid")
                        .with("employer", job.employer_name.clone())
                        .with("date", signed.format("%Y-%m-%d")),
                );
            }
            if job.status != "open" {
                c.problems.push(Problem::error("job_order_id", "job_order_closed"));
            } else if job.assigned >= job.places {
                c.problems.push(Problem::error("job_order_id", "job_order_full").with("places", job.places));
            }
        }
        if let (Some(w), Some(job), Some(ends)) = (&worker, &job, ends) {
            let margin = self.setting_i64(&format!("passport_margin_months.{}", job.country), 6).await?;
            let needed = add_months(ends, margin);
            if parse_date(&w.passport_expiry).is_none_or(|exp| exp < needed) {
                c.problems.push(
                    Problem::error("ends_on", "passport_too_short")
                        .with("expiry", &w.passport_expiry)
                        .with("needed", needed.format("%Y-%m-%d"))
                        .with("months", margin),
                );
            }
        }
        if let Some(w) = &worker {
            let consent = wq::consent(&mut tx, w.id).await?;
            crate::roster::consent::require_valid(consent.as_ref(), self.clock.today())?;
            crate::roster::consent::require_abroad(consent.as_ref(), Status::ContractSigned)?;
        }
        let (
            Some(worker_id),
            Some(job_id),
            Some(number),
            Some(signed),
            Some(starts),
            Some(ends),
            Some(position),
            Some(salary),
            Some(hours),
            [Some(h), Some(i), Some(t), Some(v)],
            true,
        ) = (worker_id, job_id, number, signed, starts, ends, position, salary, hours, paid_by, c.problems.is_empty())
        else {
            return Err(AppError::validation(c.problems));
        };
        let data = ContractData {
            worker_id,
            job_order_id: job_id,
            number,
            signed_on: signed.format("%Y-%m-%d").to_string(),
            starts_on: starts.format("%Y-%m-%d").to_string(),
            ends_on: ends.format("%Y-%m-%d").to_string(),
            position,
            salary,
            hours_per_week: hours,
            paid_by: [h, i, t, v],
        };
        let now = stamp(self.clock.now());
        let id = q::insert_contract(&mut tx, &data, &now).await?;
        let view = self.contract_view_in(&mut tx, id).await?;
        let changes = json!({"worker_id": worker_id, "job_order_id": job_id, "number": view.contract.number,
            "salary": data.salary.to_string(), "mismatches": view.mismatches, "placeholders": view.placeholders});
        audit::append(&mut tx, &Entry::new(&now, actor, "contract.add").record("worker", worker_id).changes(changes))
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn contract_view_in(&self, conn: &mut sqlx::SqliteConnection, id: i64) -> Result<ContractView> {
        let contract = q::contract(conn, id).await?.ok_or_else(|| not_found("contract_not_found", id))?;
        let job = q::job(conn, contract.job_order_id)
            .await?
            .ok_or_else(|| not_found("job_order_not_found", contract.job_order_id))?;
        let (mismatches, placeholders) = compare(&contract, &job);
        Ok(ContractView {
            salary_amount: amount(contract.salary_minor, &contract.salary_currency),
            contract,
            mismatches,
            placeholders,
        })
    }

    pub async fn contract(&self, id: i64) -> Result<ContractView> {
        let mut conn = self.store.read().await?;
        self.contract_view_in(&mut conn, id).await
    }

    pub async fn contracts(&self, worker_id: Option<i64>, status: Option<&str>) -> Result<Vec<ContractView>> {
        let rows = self.store.contracts(worker_id, status).await?;
        let mut conn = self.store.read().await?;
        let mut out = Vec::with_capacity(rows.len());
        for c in rows {
            out.push(self.contract_view_in(&mut conn, c.id).await?);
        }
        Ok(out)
    }

    /// Moves a contract (not to `registered`: that is [`Desk::register_contract`]). A
    /// signed contract moves a certified worker to "contract signed".
    pub async fn set_contract_status(&self, id: i64, status: &str, reason: &str, actor: &str) -> Result<ContractView> {
        let to = status.trim().to_ascii_lowercase();
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if to == "registered" {
            return Err(AppError::new("registration_required"));
        }
        if matches!(to.as_str(), "terminated" | "cancelled") && reason.is_empty() {
            return Err(AppError::new("reason_required").on("reason"));
        }
        let mut tx = self.store.write().await?;
        let c = q::contract(&mut tx, id).await?.ok_or_else(|| not_found("contract_not_found", id))?;
        let allowed = CONTRACT_MOVES
            .iter()
            .find(|(from, _)| *from == c.status)
            .is_some_and(|(_, to_list)| to_list.contains(&to.as_str()));
        if !allowed {
            return Err(AppError::new("contract_move_forbidden").with("from", &c.status).with("to", &to));
        }
        let now = stamp(self.clock.now());
        let stored = CONTRACT_MOVES.iter().flat_map(|(_, t)| t.iter()).find(|s| **s == to).copied().unwrap_or("draft");
        q::set_contract_status(&mut tx, id, stored, (!reason.is_empty()).then_some(reason.as_str()), &now).await?;
        let changes = json!({"contract_id": id, "status": [c.status, stored], "reason": reason});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "contract.status").record("worker", c.worker_id).changes(changes),
        )
        .await?;
        if stored == "signed" {
            self.follow(
                &mut tx,
                c.worker_id,
                Status::Certified,
                Status::ContractSigned,
                "contract_signed",
                actor,
                &now,
            )
            .await?;
        }
        let view = self.contract_view_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Records the Labor-migration registration of a signed contract; a worker whose
    /// contract was signed moves to "contract registered".
    pub async fn register_contract(&self, id: i64, number: &str, date: &str, actor: &str) -> Result<ContractView> {
        let mut c = Check::default();
        let number = c.text("registration_number", &Some(number.to_string()), true, 100);
        let on = c.date("registered_on", &Some(date.to_string()), true);
        if on.is_some_and(|d| d > self.clock.today()) {
            c.problems.push(Problem::error("registered_on", "issued_in_future"));
        }
        let (Some(number), Some(on), true) = (number, on, c.problems.is_empty()) else {
            return Err(AppError::validation(c.problems));
        };
        let mut tx = self.store.write().await?;
        let contract = q::contract(&mut tx, id).await?.ok_or_else(|| not_found("contract_not_found", id))?;
        if contract.status != REGISTERED_FROM {
            return Err(AppError::new("contract_move_forbidden")
                .with("from", &contract.status)
                .with("to", "registered"));
        }
        let now = stamp(self.clock.now());
        let on = on.format("%Y-%m-%d").to_string();
        q::register_contract(&mut tx, id, &number, &on, &now).await?;
        let changes = json!({"contract_id": id, "registration_number": number, "registered_on": on});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "contract.register").record("worker", contract.worker_id).changes(changes),
        )
        .await?;
        self.follow(
            &mut tx,
            contract.worker_id,
            Status::ContractSigned,
            Status::ContractRegistered,
            "contract_registered",
            actor,
            &now,
        )
        .await?;
        let view = self.contract_view_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Moves the worker from `from` to `to` when he stands at `from` (a contract step
    /// carries him along); otherwise leaves him where he is.
    #[allow(clippy::too_many_arguments)]
    async fn follow(
        &self,
        conn: &mut sqlx::SqliteConnection,
        worker_id: i64,
        from: Status,
        to: Status,
        code: &str,
        actor: &str,
        now: &str,
    ) -> Result<()> {
        let Some(w) = wq::get_in(conn, worker_id).await? else { return Ok(()) };
        if w.status == from.code() && w.archived_at.is_none() {
            wq::set_status(conn, worker_id, to.code(), now).await?;
            wq::add_history(conn, worker_id, now, actor, Some(from.code()), to.code(), Some(code), "").await?;
            let changes = json!({"status": [from.code(), to.code()], "reason_code": code});
            audit::append(conn, &Entry::new(now, actor, "worker.status").record("worker", worker_id).changes(changes))
                .await?;
        }
        Ok(())
    }

    // ------------------------------------------------------------ journeys

    /// The worker leaves: he needs a registered contract, a pre-departure certificate that
    /// is valid on the day, a valid consent that allows data abroad, and a status that
    /// allows departing.
    pub async fn depart(
        &self,
        worker_id: i64,
        date: &str,
        route: Option<&str>,
        border: Option<&str>,
        actor: &str,
    ) -> Result<Journey> {
        let mut c = Check::default();
        let on = c.date("departed_on", &Some(date.to_string()), true);
        if on.is_some_and(|d| d > self.clock.today()) {
            c.problems.push(Problem::error("departed_on", "issued_in_future"));
        }
        let route = c.text("route", &route.map(str::to_string), false, 200);
        let border = c.text("border_crossing", &border.map(str::to_string), false, 100);
        let (Some(on), true) = (on, c.problems.is_empty()) else {
            return Err(AppError::validation(c.problems));
        };
        let mut tx = self.store.write().await?;
        let w = wq::get_in(&mut tx, worker_id).await?.ok_or_else(|| AppError::not_found(worker_id))?;
        if w.archived_at.is_some() {
            return Err(AppError::new("archived").with("id", worker_id));
        }
        let contracts = q::worker_contracts(&mut tx, worker_id).await?;
        let Some(contract) = contracts.iter().rev().find(|c| c.status == "registered" || c.status == "active") else {
            return Err(AppError::new("contract_not_registered"));
        };
        let from = Status::parse(&w.status)?;
        from.check_move(Status::Departed)?;
        // The pre-departure certificate: valid (not revoked) and not expired on the day.
        let certificates = crate::store::training::certificates_of_worker(&mut tx, worker_id).await?;
        let on_text = on.format("%Y-%m-%d").to_string();
        let Some(certificate) =
            certificates.iter().rev().find(|c| c.status == "valid" && c.valid_until.as_str() >= on_text.as_str())
        else {
            return Err(match certificates.iter().rev().find(|c| c.status == "valid") {
                Some(c) => AppError::new("certificate_expired").with("number", &c.number).with("date", &c.valid_until),
                None => AppError::new("certificate_missing"),
            });
        };
        let consent = wq::consent(&mut tx, worker_id).await?;
        crate::roster::consent::require_valid(consent.as_ref(), self.clock.today())?;
        crate::roster::consent::require_abroad(consent.as_ref(), Status::Departed)?;
        let now = stamp(self.clock.now());
        let on = on.format("%Y-%m-%d").to_string();
        let jid =
            q::insert_journey(&mut tx, worker_id, contract.id, &on, route.as_deref(), border.as_deref(), &now).await?;
        wq::set_status(&mut tx, worker_id, Status::Departed.code(), &now).await?;
        wq::add_history(
            &mut tx,
            worker_id,
            &now,
            actor,
            Some(from.code()),
            Status::Departed.code(),
            Some("departed"),
            &on,
        )
        .await?;
        if contract.status == "registered" {
            q::set_contract_status(&mut tx, contract.id, "active", None, &now).await?;
        }
        let changes = json!({"status": [from.code(), "departed"], "departed_on": on, "route": route, "border_crossing": border,
            "contract_id": contract.id, "certificate": certificate.number});
        audit::append(&mut tx, &Entry::new(&now, actor, "worker.depart").record("worker", worker_id).changes(changes))
            .await?;
        let journey = q::journeys(&mut tx, worker_id)
            .await?
            .into_iter()
            .find(|j| j.id == jid)
            .ok_or_else(|| AppError::internal("journey"))?;
        tx.commit().await?;
        Ok(journey)
    }

    /// The worker comes back: closes his open journey and his contract (completed, or
    /// terminated on an early return or deportation).
    pub async fn return_home(&self, worker_id: i64, date: &str, reason: &str, actor: &str) -> Result<Journey> {
        let mut c = Check::default();
        let on = c.date("returned_on", &Some(date.to_string()), true);
        if on.is_some_and(|d| d > self.clock.today()) {
            c.problems.push(Problem::error("returned_on", "issued_in_future"));
        }
        let why = c.one_of("return_reason", &Some(reason.to_string()), RETURN_REASONS);
        let (Some(on), Some(why), true) = (on, why, c.problems.is_empty()) else {
            return Err(AppError::validation(c.problems));
        };
        let mut tx = self.store.write().await?;
        let w = wq::get_in(&mut tx, worker_id).await?.ok_or_else(|| AppError::not_found(worker_id))?;
        let journeys = q::journeys(&mut tx, worker_id).await?;
        let Some(open) = journeys.iter().rev().find(|j| j.returned_on.is_none()) else {
            return Err(AppError::new("not_departed"));
        };
        let on_text = on.format("%Y-%m-%d").to_string();
        if parse_date(&open.departed_on).is_some_and(|d| on < d) {
            return Err(AppError::validation(vec![
                Problem::error("returned_on", "date_order").with("after", &open.departed_on)
            ]));
        }
        let from = Status::parse(&w.status)?;
        from.check_move(Status::Returned)?;
        let now = stamp(self.clock.now());
        q::close_journey(&mut tx, open.id, &on_text, why).await?;
        wq::set_status(&mut tx, worker_id, Status::Returned.code(), &now).await?;
        wq::add_history(&mut tx, worker_id, &now, actor, Some(from.code()), Status::Returned.code(), Some(why), "")
            .await?;
        if let Some(contract) = q::contract(&mut tx, open.contract_id).await? {
            if contract.status == "active" {
                let end = if why == "contract_completed" { "completed" } else { "terminated" };
                q::set_contract_status(&mut tx, contract.id, end, Some(why), &now).await?;
            }
        }
        let changes = json!({"status": [from.code(), "returned"], "returned_on": on_text, "return_reason": why});
        audit::append(&mut tx, &Entry::new(&now, actor, "worker.return").record("worker", worker_id).changes(changes))
            .await?;
        let journey = q::journeys(&mut tx, worker_id)
            .await?
            .into_iter()
            .find(|j| j.id == open.id)
            .ok_or_else(|| AppError::internal("journey"))?;
        tx.commit().await?;
        Ok(journey)
    }

    pub async fn journeys(&self, worker_id: i64) -> Result<Vec<Journey>> {
        let mut conn = self.store.read().await?;
        q::journeys(&mut conn, worker_id).await
    }

    // ------------------------------------------------------------ fees

    /// Records a payment. The worker may not be charged for placement (the employer pays
    /// it); his consulting fees above the cap (default 2 base calculation values, in UZS)
    /// need an admin and a written reason.
    pub async fn add_fee(&self, input: &FeeInput, actor: &Session) -> Result<FeeView> {
        let mut c = Check::default();
        let worker_id = c.int("worker_id", &input.worker_id, 1, i64::MAX);
        let paid_by = c.one_of("paid_by", &input.paid_by, PAID_BY);
        let purpose = c.one_of("purpose", &input.purpose, FEE_PURPOSES);
        let amount = c.money("amount", "currency", &input.amount, &input.currency);
        if let Some(a) = amount.filter(|a| a.minor <= 0) {
            c.problems.push(Problem::error("amount", "amount_invalid").with("digits", a.currency.digits));
        }
        let paid_on = c.date("paid_on", &input.paid_on, true);
        if paid_on.is_some_and(|d| d > self.clock.today()) {
            c.problems.push(Problem::error("paid_on", "issued_in_future"));
        }
        let receipt = c.text("receipt_number", &input.receipt_number, true, 100);
        let reason = c.text("reason", &input.reason, false, 500);
        if paid_by == Some("worker") && purpose == Some("placement") {
            c.problems.push(Problem::error("purpose", "placement_fee_by_worker"));
        }
        let mut tx = self.store.write().await?;
        if let Some(id) = worker_id {
            if wq::get_in(&mut tx, id).await?.is_none() {
                c.problems.push(Problem::error("worker_id", "worker_not_found").with("id", id));
            }
        }
        if let (Some(id), Some("worker"), Some("consulting"), Some(amount)) = (worker_id, paid_by, purpose, amount) {
            let bcv = self.setting_i64("base_calculation_value_uzs", 375_000).await?;
            let cap_values = self.setting_i64("consulting_cap_bcv", 2).await?;
            // Settings are bounded when set, but the file can be edited: no product may wrap.
            let cap_minor = bcv.checked_mul(cap_values).and_then(|v| v.checked_mul(100)).unwrap_or(i64::MAX);
            let cap = Money::from_minor(cap_minor, "UZS")?;
            let fees = q::fees(&mut tx, id).await?;
            let paid = crate::money::sum(
                fees.iter()
                    .filter(|f| f.paid_by == "worker" && f.purpose == "consulting" && f.currency == "UZS")
                    .map(|f| f.amount_minor),
                "UZS",
                "amount",
            )?;
            // A fee in another currency cannot be weighed against the cap: it needs the
            // same admin's reason as one above it; so does a total too large to compute.
            let over =
                amount.currency.as_str() != "UZS" || paid.checked_add(amount.minor).is_none_or(|t| t > cap.minor);
            let excused = actor.role == Role::Admin && reason.is_some();
            if over && !excused {
                c.problems.push(Problem::error("amount", "consulting_fee_cap").with("cap", cap.to_string()));
            }
        }
        let (Some(worker_id), Some(paid_by), Some(purpose), Some(amount), Some(paid_on), Some(receipt), true) =
            (worker_id, paid_by, purpose, amount, paid_on, receipt, c.problems.is_empty())
        else {
            return Err(AppError::validation(c.problems));
        };
        let data = FeeData {
            worker_id,
            paid_by,
            purpose,
            amount,
            paid_on: paid_on.format("%Y-%m-%d").to_string(),
            receipt_number: receipt,
            reason,
        };
        let now = stamp(self.clock.now());
        let id = q::insert_fee(&mut tx, &data, &now, &actor.login).await?;
        let changes = json!({"fee_id": id, "paid_by": paid_by, "purpose": purpose, "amount": amount.to_string(),
            "receipt_number": data.receipt_number, "reason": data.reason});
        audit::append(&mut tx, &Entry::new(&now, &actor.login, "fee.add").record("worker", worker_id).changes(changes))
            .await?;
        let fee = q::fees(&mut tx, worker_id)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| AppError::internal("fee"))?;
        tx.commit().await?;
        Ok(FeeView { amount: amount.amount(), fee })
    }

    pub async fn fees(&self, worker_id: i64) -> Result<Vec<FeeView>> {
        let mut conn = self.store.read().await?;
        Ok(q::fees(&mut conn, worker_id)
            .await?
            .into_iter()
            .map(|f| FeeView { amount: amount(f.amount_minor, &f.currency), fee: f })
            .collect())
    }

    /// The worker's cost statement as a PDF written to `path` (temp name, then rename);
    /// handing out his payments is audited like any export.
    pub async fn fee_statement(
        &self,
        worker_id: i64,
        path: &std::path::Path,
        lang: crate::i18n::Lang,
        actor: &str,
    ) -> Result<()> {
        let agency = self.agency().await?;
        let worker = self.get(worker_id).await?;
        let fees = self.fees(worker_id).await?;
        let now = stamp(self.clock.now());
        // Laying out and subsetting fonts is CPU work: off the async runtime.
        let at = now[..16].replace('T', " ");
        let count = fees.len();
        // Checked before anything is drawn: a total that does not fit is refused, never wrapped.
        let totals = super::statement::totals(&fees)?;
        let bytes =
            tokio::task::spawn_blocking(move || super::statement::render(&agency, &worker, &fees, &totals, lang, &at))
                .await
                .map_err(AppError::internal)?;
        if bytes.is_empty() {
            return Err(AppError::internal("pdf"));
        }
        let mut tx = self.store.write().await?;
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "fee.statement").record("worker", worker_id).changes(json!({"fees": count})),
        )
        .await?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("pdf.part");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)?;
        tx.commit().await?;
        Ok(())
    }
}
