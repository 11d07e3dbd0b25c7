//! Job orders: an employer's vacancies with their terms and places.
//! Every write checks its rules inside one `BEGIN IMMEDIATE` transaction and appends its
//! audit entry there.

use super::records::*;
use super::service::not_found;
use super::PAID_BY;
use super::{is_placeholder, Check, JobInput};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::store::placement as q;
use serde_json::json;

impl Desk {
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
        let now = self.now();
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
}
