//! Departures and returns: the worker leaves with a registered contract and a valid
//! certificate, and comes back closing his journey and his contract.
//! Every write checks its rules inside one `BEGIN IMMEDIATE` transaction and appends its
//! audit entry there.

use super::records::*;
use super::Check;
use super::RETURN_REASONS;
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::roster::pipeline::{self, Move};
use crate::roster::status::Status;
use crate::roster::validate::parse_date;
use crate::store::{placement as q, workers as wq};
use serde_json::json;

impl Desk {
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
        let Some(contract) = contracts.iter().rev().find(|c| c.status.is_registered()) else {
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
        let now = self.now();
        let on = on.format("%Y-%m-%d").to_string();
        let jid =
            q::insert_journey(&mut tx, worker_id, contract.id, &on, route.as_deref(), border.as_deref(), &now).await?;
        let step = Move { worker_id, from, to: Status::Departed, code: Some("departed"), reason: &on };
        pipeline::record(&mut tx, &step, &now, actor).await?;
        if contract.status == ContractStatus::Registered {
            q::set_contract_status(&mut tx, contract.id, ContractStatus::Active, None, &now).await?;
        }
        let changes = json!({"status": step.change(), "departed_on": on, "route": route, "border_crossing": border,
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
        let now = self.now();
        q::close_journey(&mut tx, open.id, &on_text, why).await?;
        let step = Move { worker_id, from, to: Status::Returned, code: Some(why), reason: "" };
        pipeline::record(&mut tx, &step, &now, actor).await?;
        if let Some(contract) = q::contract(&mut tx, open.contract_id).await? {
            if contract.status == ContractStatus::Active {
                let end =
                    if why == "contract_completed" { ContractStatus::Completed } else { ContractStatus::Terminated };
                q::set_contract_status(&mut tx, contract.id, end, Some(why), &now).await?;
            }
        }
        let changes = json!({"status": step.change(), "returned_on": on_text, "return_reason": why});
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
}
