//! The fee ledger: who paid what for the worker's placement (the worker himself pays no
//! fee), and his cost statement.
//! Every write checks its rules inside one `BEGIN IMMEDIATE` transaction and appends its
//! audit entry there.

use super::records::*;
use super::{Check, FeeInput};
use super::{FEE_PURPOSES, PAID_BY};
use crate::accounts::{Role, Session};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::money::Money;
use crate::store::{placement as q, workers as wq};
use serde_json::json;

impl Desk {
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
        let now = self.now();
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
        let now = self.now();
        // Laying out and subsetting fonts is CPU work: off the async runtime.
        // The day as the language writes it, and the time (UTC).
        let at = format!("{} {}", crate::i18n::format_date(lang, &now[..10]), &now[11..16]);
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

    /// A worker's fee totals per payer and currency (`fees_totals`): the statement's own sums.
    pub async fn fee_totals(&self, worker_id: i64) -> Result<Vec<super::statement::FeeTotal>> {
        Ok(super::statement::total_lines(&super::statement::totals(&self.fees(worker_id).await?)?))
    }
}
