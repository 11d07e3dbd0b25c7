//! Employment contracts: terms checked against the job order, statuses, registration
//! with the Labor-migration system; the worker's pipeline follows the contract.
//! Every write checks its rules inside one `BEGIN IMMEDIATE` transaction and appends its
//! audit entry there.

use super::records::*;
use super::service::not_found;
use super::{add_months, Check, ContractInput, PAID_BY};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::roster::pipeline::{self, Move};
use crate::roster::status::Status;
use crate::roster::validate::parse_date;
use crate::store::{placement as q, workers as wq};
use serde_json::json;

impl Desk {
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
        let now = self.now();
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
        let requested = status.trim().to_ascii_lowercase();
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if requested == ContractStatus::Registered.code() {
            return Err(AppError::new("registration_required"));
        }
        if matches!(requested.as_str(), "terminated" | "cancelled") && reason.is_empty() {
            return Err(AppError::new("reason_required").on("reason"));
        }
        let mut tx = self.store.write().await?;
        let c = q::contract(&mut tx, id).await?.ok_or_else(|| not_found("contract_not_found", id))?;
        let to = ContractStatus::parse(&requested)
            .filter(|to| c.status.moves().contains(to))
            .ok_or_else(|| AppError::new("contract_move_forbidden").with("from", c.status).with("to", &requested))?;
        let now = self.now();
        q::set_contract_status(&mut tx, id, to, (!reason.is_empty()).then_some(reason.as_str()), &now).await?;
        let changes = json!({"contract_id": id, "status": [c.status, to], "reason": reason});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "contract.status").record("worker", c.worker_id).changes(changes),
        )
        .await?;
        if to == ContractStatus::Signed {
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
        if contract.status != ContractStatus::Signed {
            return Err(AppError::new("contract_move_forbidden")
                .with("from", contract.status)
                .with("to", ContractStatus::Registered));
        }
        let now = self.now();
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
            let step = Move { worker_id, from, to, code: Some(code), reason: "" };
            pipeline::record_audited(conn, &step, now, actor).await?;
        }
        Ok(())
    }
}
