//! Foreign employers: the partners an agency holds a cooperation agreement with.
//! Every write checks its rules inside one `BEGIN IMMEDIATE` transaction and appends its
//! audit entry there.

use super::records::*;
use super::service::not_found;
use super::{Check, EmployerInput};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::store::placement as q;
use serde_json::json;

impl Desk {
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
        let now = self.now();
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

    /// Employers whose name, cooperation number or country contains `search`.
    pub async fn employers(&self, search: Option<&str>, archived: bool) -> Result<Vec<Employer>> {
        self.store.employers(search, archived).await
    }

    pub async fn employer(&self, id: i64) -> Result<Employer> {
        let mut conn = self.store.read().await?;
        q::employer(&mut conn, id).await?.ok_or_else(|| not_found("employer_not_found", id))
    }

    pub async fn archive_employer(&self, id: i64, actor: &str) -> Result<Employer> {
        let now = self.now();
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
}
