//! The agency profile and the first run: the agency and its first admin, made together.

use crate::accounts::{check_login, check_password, hash_password_async, Role, Session, User};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::roster::validate::parse_date;
use crate::store::accounts as q;
use serde::Serialize;
use serde_json::json;

/// The words every licensed agency's name carries.
pub mod model;
pub use model::{AdminInput, Agency, AgencyInput};

pub const NAME_MARK: &str = "Xususiy bandlik agentligi";

fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims and checks the profile; the name must contain "Xususiy bandlik agentligi" in any
/// apostrophe or case variant.
pub fn validate(input: &AgencyInput, today: chrono::NaiveDate, problems: &mut Vec<Problem>) -> AgencyInput {
    let a = AgencyInput {
        name: tidy(&input.name),
        licence_number: tidy(&input.licence_number),
        licence_date: tidy(&input.licence_date),
        address: tidy(&input.address),
        director: tidy(&input.director),
    };
    for (field, value) in [
        ("name", &a.name),
        ("licence_number", &a.licence_number),
        ("licence_date", &a.licence_date),
        ("address", &a.address),
        ("director", &a.director),
    ] {
        if value.is_empty() {
            problems.push(Problem::error(field, "required"));
        } else if value.chars().any(crate::names::is_invisible) {
            problems.push(Problem::error(field, "invisible_chars"));
        }
    }
    if !a.name.is_empty() && !crate::names::fold(&a.name).contains(&crate::names::fold(NAME_MARK)) {
        problems.push(Problem::error("name", "agency_name_invalid"));
    }
    if !a.licence_date.is_empty() {
        match parse_date(&a.licence_date) {
            None => problems.push(Problem::error("licence_date", "date_invalid")),
            Some(d) if d > today => problems.push(Problem::error("licence_date", "issued_in_future")),
            _ => {}
        }
    }
    a
}

/// Where a first run stands.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub initialized: bool,
    pub agency: Option<Agency>,
}

impl Desk {
    pub async fn setup_status(&self) -> Result<Status> {
        let agency = self.store.agency().await?;
        let initialized = agency.is_some() && self.store.user_count().await? > 0;
        Ok(Status { initialized, agency })
    }

    /// The first run: the agency profile and its first admin, in one transaction.
    pub async fn init(&self, agency: &AgencyInput, admin: &AdminInput) -> Result<(Agency, Session)> {
        let mut problems = Vec::new();
        let clean = validate(agency, self.clock.today(), &mut problems);
        let login = admin.login.trim().to_string();
        check_login("admin.login", &login, &mut problems);
        check_password("admin.password", &admin.password, &mut problems);
        let mut tx = self.store.write().await?;
        if q::agency_in(&mut tx).await?.is_some() {
            return Err(AppError::new("already_initialized"));
        }
        if !problems.is_empty() {
            return Err(AppError::validation(problems));
        }
        let now = self.now();
        q::insert_agency(&mut tx, &clean, &now).await?;
        let full_name = if admin.full_name.trim().is_empty() { clean.director.clone() } else { tidy(&admin.full_name) };
        let id = q::insert_user(
            &mut tx,
            &login,
            &full_name,
            Role::Admin.code(),
            &hash_password_async(&admin.password).await?,
            &now,
        )
        .await?;
        audit::append(
            &mut tx,
            &Entry::new(&now, &login, "agency.init").changes(serde_json::to_value(&clean).unwrap_or_default()),
        )
        .await?;
        audit::append(
            &mut tx,
            &Entry::new(&now, &login, "user.add").record("user", id).changes(json!({"login": login, "role": "admin"})),
        )
        .await?;
        let saved = q::agency_in(&mut tx).await?.ok_or_else(|| AppError::internal("agency"))?;
        tx.commit().await?;
        // The certificate signing key is made with the agency, so the first certificate
        // does not wait for it and a backup taken right after setup already holds it.
        self.keys().await?;
        Ok((saved, Session { user_id: id, login, role: Role::Admin }))
    }

    pub async fn agency(&self) -> Result<Agency> {
        self.store.agency().await?.ok_or_else(|| AppError::new("not_initialized"))
    }

    pub async fn update_agency(&self, version: i64, input: &AgencyInput, actor: &Session) -> Result<Agency> {
        let mut problems = Vec::new();
        let clean = validate(input, self.clock.today(), &mut problems);
        if !problems.is_empty() {
            return Err(AppError::validation(problems));
        }
        let mut tx = self.store.write().await?;
        let before = q::agency_in(&mut tx).await?.ok_or_else(|| AppError::new("not_initialized"))?;
        let now = self.now();
        if !q::update_agency(&mut tx, version, &clean, &now).await? {
            let mut e = AppError::new("conflict");
            e.current = serde_json::to_value(&before).ok();
            return Err(e);
        }
        let fields = ["name", "licence_number", "licence_date", "address", "director"];
        let changes = audit::diff(&serde_json::to_value(&before)?, &serde_json::to_value(&clean)?, &fields);
        audit::append(&mut tx, &Entry::new(&now, &actor.login, "agency.update").changes(changes)).await?;
        let saved = q::agency_in(&mut tx).await?.ok_or_else(|| AppError::internal("agency"))?;
        tx.commit().await?;
        Ok(saved)
    }

    /// The signed-in user's own record.
    pub async fn me(&self, session: &Session) -> Result<User> {
        let mut conn = self.store.read().await?;
        q::user(&mut conn, session.user_id)
            .await?
            .ok_or_else(|| AppError::new("user_not_found").with("id", session.user_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agency_name_must_say_what_it_is() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let mut p = Vec::new();
        let a = AgencyInput {
            name: "  Safar  Xususiy bandlik agentligi MChJ ".into(),
            licence_number: "XBA-0042".into(),
            licence_date: "2025-02-01".into(),
            address: "Toshkent".into(),
            director: "Karimov A.".into(),
        };
        let clean = validate(&a, today, &mut p);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(clean.name, "Safar Xususiy bandlik agentligi MChJ");
        let mut p = Vec::new();
        validate(&AgencyInput { name: "Safar LLC".into(), licence_date: "2030-01-01".into(), ..a }, today, &mut p);
        assert_eq!(p.iter().map(|p| p.code).collect::<Vec<_>>(), vec!["agency_name_invalid", "issued_in_future"]);
    }
}
