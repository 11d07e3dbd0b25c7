// Over 500 lines with its tests; the service itself is under 490.
//! The roster service: what a clerk can do with workers. The window's commands and the CLI
//! both call these methods, so a rule holds everywhere or nowhere.

use super::consent::{self, Consent, ConsentInput, ConsentState};
use super::pipeline::{self, Move};
use super::status::Status;
use super::validate::{validate, Checked};
use super::{HistoryEntry, ListQuery, SearchTerm, Worker, WorkerInput, WorkerRow};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{check_range, AppError, Problem, Result};
use crate::i18n::{t, Lang};
use crate::places;
use crate::roster::identity::display_phone;
use crate::store::sounds::same_sound_and_birth;
use crate::store::workers as q;
use serde::Serialize;
use serde_json::json;
use sqlx::SqliteConnection;

/// A worker as the UI and the CLI show it: the stored record plus display values.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerView {
    #[serde(flatten)]
    pub worker: Worker,
    pub archived: bool,
    pub phone_display: Option<String>,
    pub region_name: String,
    pub country_name: Option<String>,
    pub status_name: String,
    pub consent: Option<Consent>,
    pub consent_state: ConsentState,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    #[serde(flatten)]
    pub row: WorkerRow,
    pub archived: bool,
    pub phone_display: Option<String>,
    pub region_name: String,
    pub country_name: Option<String>,
    pub status_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListView {
    pub items: Vec<RowView>,
    pub total: Option<i64>,
    pub has_more: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    pub birth_date: String,
    pub sex: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Normalized {
    pub phone: Option<String>,
    pub passport_number: Option<String>,
}

/// The form's live check: every problem (duplicates included) and what the PINFL says.
#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    pub problems: Vec<crate::error::ProblemView>,
    /// Possible duplicates (also inside their `possible_duplicate` problem).
    pub candidates: Vec<crate::error::Candidate>,
    pub derived: Option<Derived>,
    pub normalized: Normalized,
}

#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    pub worker: WorkerView,
    pub warnings: Vec<crate::error::ProblemView>,
}

fn status_name(lang: Lang, code: &str) -> String {
    t(lang, &format!("status.{code}"), &[])
}

/// The fields a worker's audit entries compare and show.
pub const AUDITED_FIELDS: &[&str] = &[
    "last_name",
    "first_name",
    "patronymic",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "patronymic_cyrillic",
    "birth_date",
    "sex",
    "pinfl",
    "passport_number",
    "passport_issued",
    "passport_expiry",
    "phone",
    "region",
    "destination_country",
    "notes",
];

pub fn view(worker: Worker, consent: Option<Consent>, today: chrono::NaiveDate, lang: Lang) -> WorkerView {
    WorkerView {
        archived: worker.archived_at.is_some(),
        phone_display: worker.phone.as_deref().map(display_phone),
        region_name: places::region(&worker.region)
            .map(|r| r.name(lang).to_string())
            .unwrap_or_else(|| worker.region.clone()),
        country_name: worker
            .destination_country
            .as_deref()
            .map(|c| places::country(c).map(|p| p.name(lang)).unwrap_or(c).to_string()),
        status_name: status_name(lang, &worker.status),
        consent_state: consent::state_of(consent.as_ref(), today),
        consent,
        worker,
    }
}

fn row_view(row: WorkerRow, lang: Lang) -> RowView {
    RowView {
        archived: row.archived_at.is_some(),
        phone_display: row.phone.as_deref().map(display_phone),
        region_name: places::region(&row.region)
            .map(|r| r.name(lang).to_string())
            .unwrap_or_else(|| row.region.clone()),
        country_name: row
            .destination_country
            .as_deref()
            .map(|c| places::country(c).map(|p| p.name(lang)).unwrap_or(c).to_string()),
        status_name: status_name(lang, &row.status),
        row,
    }
}

/// A reason is required for every move; whitespace is not a reason.
fn require_reason(reason: &str) -> Result<String> {
    let r = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if r.is_empty() {
        return Err(AppError::new("reason_required").on("reason"));
    }
    if r.chars().count() > 500 {
        return Err(AppError::new("too_long").on("reason").with("max", 500));
    }
    Ok(r)
}

/// A list query as people type it, made exact: the search classified, filters by name
/// turned into codes. The roster list and the exports share it.
pub fn normalize_query(query: &ListQuery) -> Result<(ListQuery, Option<SearchTerm>)> {
    if let Some(limit) = query.limit {
        check_range("limit", i64::from(limit), 1, i64::from(ListQuery::MAX_LIMIT))?;
    }
    if let Some(offset) = query.offset {
        check_range("offset", i64::from(offset), 0, i64::from(ListQuery::MAX_OFFSET))?;
    }
    let term = query.search.as_deref().and_then(SearchTerm::parse);
    // Each word is one more compound SELECT; SQLite stops at 500 with its own text. Nobody's
    // name has more than a handful of words.
    if let Some(SearchTerm::Names(words)) = &term {
        if words.len() > ListQuery::MAX_SEARCH_WORDS {
            return Err(AppError::new("search_too_many_words").on("search").with("max", ListQuery::MAX_SEARCH_WORDS));
        }
    }
    let mut query = query.clone();
    // Filters accept what people type, as the form does (a region's name, a country in
    // lower case); an unknown value matches nothing rather than everything.
    query.status =
        query.status.filter(|s| !s.is_empty()).map(|s| Status::parse(&s).map(|s| s.code().to_string())).transpose()?;
    query.region =
        query.region.filter(|r| !r.is_empty()).map(|r| places::find_region(&r).map(|p| p.code.clone()).unwrap_or(r));
    query.destination = query.destination.filter(|c| !c.is_empty()).map(|c| c.trim().to_ascii_uppercase());
    Ok((query, term))
}

impl Desk {
    /// Validation plus the database checks: the PINFL or passport of another worker is an
    /// error pointing at him; the same folded name and birth date is a warning.
    async fn check_in(&self, conn: &mut SqliteConnection, input: &WorkerInput, id: Option<i64>) -> Result<Checked> {
        let mut checked = validate(input, self.clock.today());
        let pinfl_ok = !checked.problems.iter().any(|p| p.field == Some("pinfl") && p.is_error());
        let passport_ok = !checked.problems.iter().any(|p| p.field == Some("passport_number") && p.is_error());
        let pinfl = input.pinfl.as_deref().map(super::identity::clean_pinfl);
        let passport = input.passport_number.as_deref().map(super::identity::clean_passport);
        if let (true, Some(pinfl)) = (pinfl_ok, pinfl) {
            if let Some((owner, name)) = q::pinfl_owner(conn, &pinfl, id).await? {
                let mut p = Problem::error("pinfl", "duplicate_pinfl").with("id", owner).with("name", name);
                p.existing_id = Some(owner);
                checked.problems.push(p);
            }
        }
        if let (true, Some(passport)) = (passport_ok, passport) {
            if let Some((owner, name)) = q::passport_owner(conn, &passport, id).await? {
                let mut p =
                    Problem::error("passport_number", "duplicate_passport").with("id", owner).with("name", name);
                p.existing_id = Some(owner);
                checked.problems.push(p);
            }
        }
        if let Some(data) = &checked.data {
            let candidates = same_sound_and_birth(conn, &data.sound_key(), &data.birth_date, id).await?;
            if !candidates.is_empty() {
                let names = candidates.iter().map(|c| format!("#{} {}", c.id, c.name)).collect::<Vec<_>>().join(", ");
                let mut p = Problem::warning("last_name", "possible_duplicate").with("names", names);
                p.candidates = candidates;
                checked.problems.push(p);
            }
        }
        if checked.problems.iter().any(Problem::is_error) {
            checked.data = None;
        }
        Ok(checked)
    }

    /// Every problem with an input, database checks included (nothing is written).
    pub async fn problems(&self, input: &WorkerInput, id: Option<i64>) -> Result<Vec<Problem>> {
        let mut conn = self.store.read().await?;
        Ok(self.check_in(&mut conn, input, id).await?.problems)
    }

    /// What the form shows while the clerk types (nothing is written).
    pub async fn check(&self, input: &WorkerInput, id: Option<i64>, lang: Lang) -> Result<CheckView> {
        let mut conn = self.store.read().await?;
        let mut checked = self.check_in(&mut conn, input, id).await?;
        // A new worker's consent is checked with him, so the form shows its problems too.
        if id.is_none() && input.consent.is_some() {
            consent::validate(input.consent.as_ref(), self.clock.today(), &mut checked.problems);
        }
        Ok(CheckView {
            problems: checked.problems.iter().map(|p| p.view(lang)).collect(),
            candidates: checked.problems.iter().flat_map(|p| p.candidates.clone()).collect(),
            derived: checked
                .derived
                .map(|f| Derived { birth_date: f.birth_date.format("%Y-%m-%d").to_string(), sex: f.sex.code() }),
            normalized: Normalized {
                phone: input.phone.as_deref().and_then(|p| super::identity::normalize_phone(p).ok()),
                passport_number: input.passport_number.as_deref().map(super::identity::clean_passport),
            },
        })
    }

    /// Adds a worker with his consent, or refuses with every problem; warnings come back
    /// with the worker.
    pub async fn create(&self, input: &WorkerInput, actor: &str) -> Result<(Worker, Vec<Problem>)> {
        let mut tx = self.store.write().await?;
        let mut checked = self.check_in(&mut tx, input, None).await?;
        let consent = consent::validate(input.consent.as_ref(), self.clock.today(), &mut checked.problems);
        let (Some(data), Some(consent)) = (checked.data, consent) else {
            return Err(AppError::validation(checked.problems));
        };
        let now = self.now();
        let id = q::insert(&mut tx, &data, Status::Registered.code(), &now).await?;
        pipeline::note(&mut tx, id, None, Status::Registered.code(), "created", "", &now, actor).await?;
        q::insert_consent(&mut tx, id, &consent, &now, actor).await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let mut changes = audit::snapshot(&serde_json::to_value(&worker)?, AUDITED_FIELDS);
        changes["consent"] = json!({"given_on": consent.given_on, "valid_until": consent.valid_until,
            "may_transfer_abroad": consent.may_transfer_abroad});
        audit::append(&mut tx, &Entry::new(&now, actor, "worker.create").record("worker", id).changes(changes)).await?;
        tx.commit().await?;
        Ok((worker, checked.problems))
    }

    /// Saves an edited worker if nobody saved it since `version` was read.
    pub async fn update(
        &self,
        id: i64,
        version: i64,
        input: &WorkerInput,
        actor: &str,
    ) -> Result<(Worker, Vec<Problem>)> {
        let mut tx = self.store.write().await?;
        let current = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        if current.archived_at.is_some() {
            return Err(AppError::new("archived").with("id", id));
        }
        if current.version != version {
            return Err(conflict(current));
        }
        consent::require_valid(q::consent(&mut tx, id).await?.as_ref(), self.clock.today())?;
        let checked = self.check_in(&mut tx, input, Some(id)).await?;
        let Some(data) = checked.data else {
            return Err(AppError::validation(checked.problems));
        };
        let now = self.now();
        if !q::update(&mut tx, id, version, &data, &now).await? {
            let current = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
            return Err(conflict(current));
        }
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let changes = audit::diff(&serde_json::to_value(&current)?, &serde_json::to_value(&worker)?, AUDITED_FIELDS);
        let entry = Entry::new(&now, actor, "worker.update").record("worker", id).changes(changes);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok((worker, checked.problems))
    }

    pub async fn get(&self, id: i64) -> Result<Worker> {
        self.store.worker(id).await?.ok_or_else(|| AppError::not_found(id))
    }

    /// A worker with his consent and display values.
    pub async fn get_view(&self, id: i64, lang: Lang) -> Result<WorkerView> {
        let mut conn = self.store.read().await?;
        let worker = q::get_in(&mut conn, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let consent = q::consent(&mut conn, id).await?;
        Ok(view(worker, consent, self.clock.today(), lang))
    }

    /// Records a new consent (after a withdrawal or expiry, or to change its terms).
    pub async fn add_consent(&self, id: i64, input: &ConsentInput, actor: &str) -> Result<Worker> {
        let mut problems = Vec::new();
        let data = consent::validate(Some(input), self.clock.today(), &mut problems);
        let Some(data) = data else {
            return Err(AppError::validation(problems));
        };
        let mut tx = self.store.write().await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let now = self.now();
        q::insert_consent(&mut tx, id, &data, &now, actor).await?;
        let changes = json!({"given_on": data.given_on, "valid_until": data.valid_until,
            "may_transfer_abroad": data.may_transfer_abroad, "purpose": data.purpose});
        audit::append(&mut tx, &Entry::new(&now, actor, "consent.add").record("worker", id).changes(changes)).await?;
        tx.commit().await?;
        Ok(worker)
    }

    /// The worker withdraws his consent: from now on his data is only kept, not processed.
    pub async fn withdraw_consent(&self, id: i64, reason: &str, actor: &str) -> Result<Worker> {
        let reason = require_reason(reason)?;
        let mut tx = self.store.write().await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let today = self.clock.today().format("%Y-%m-%d").to_string();
        if !q::withdraw_consent(&mut tx, id, &today, &reason).await? {
            return Err(AppError::new("consent_not_active"));
        }
        let now = self.now();
        let entry = Entry::new(&now, actor, "consent.withdraw").record("worker", id).changes(json!({"reason": reason}));
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(worker)
    }

    /// The audit entries about one worker, oldest first.
    pub async fn worker_audit(&self, id: i64) -> Result<Vec<audit::View>> {
        let mut conn = self.store.read().await?;
        q::get_in(&mut conn, id).await?.ok_or_else(|| AppError::not_found(id))?;
        Ok(q::worker_audit(&mut conn, id).await?.into_iter().map(audit::View::from).collect())
    }

    /// Everything kept about a worker, for the worker himself (subject access): written
    /// as one JSON file under `dir`, and the export itself is audited.
    pub async fn export_worker(
        &self,
        id: i64,
        out: Option<&std::path::Path>,
        actor: &str,
    ) -> Result<std::path::PathBuf> {
        // One transaction: the export's own audit entry and the data it exports are one
        // consistent picture, and if the file cannot be written nothing is recorded.
        let mut tx = self.store.write().await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        let consents = q::consents(&mut tx, id).await?;
        let history = q::history_in(&mut tx, id).await?;
        let trail: Vec<audit::View> = q::worker_audit(&mut tx, id).await?.into_iter().map(audit::View::from).collect();
        let now = self.now();
        let body = json!({
            "exported_at": now,
            "worker": worker,
            "consents": consents,
            "status_history": history,
            "audit_trail": trail,
        });
        let path = match out {
            Some(p) => p.to_path_buf(),
            None => {
                let dir = self.dir().exports();
                std::fs::create_dir_all(&dir)?;
                dir.join(format!("worker-{id}-{}.json", now.replace([':', '.'], "-")))
            }
        };
        audit::append(&mut tx, &Entry::new(&now, actor, "worker.export").record("worker", id)).await?;
        // Write to a temporary name first so a half-written file never carries the name.
        let tmp = path.with_extension("json.part");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&body)?)?;
        std::fs::rename(&tmp, &path)?;
        tx.commit().await?;
        Ok(path)
    }

    pub async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        self.get(id).await?;
        self.store.history(id).await
    }

    pub async fn list(&self, query: &ListQuery, lang: Lang) -> Result<ListView> {
        let (query, term) = normalize_query(query)?;
        let (rows, has_more, total) = self.store.list(&query, &term).await?;
        Ok(ListView { items: rows.into_iter().map(|r| row_view(r, lang)).collect(), total, has_more })
    }

    /// Moves a worker along the pipeline, if the table allows it, with a reason.
    pub async fn set_status(&self, id: i64, status: &str, reason: &str, actor: &str) -> Result<Worker> {
        let to = Status::parse(status)?;
        let reason = require_reason(reason)?;
        let mut tx = self.store.write().await?;
        let current = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        if current.archived_at.is_some() {
            return Err(AppError::new("archived").with("id", id));
        }
        // Departure and return carry dates and routes: they have their own commands. The
        // contract steps follow the contract's own record.
        if matches!(to, Status::Departed | Status::Returned) {
            return Err(AppError::new("journey_required"));
        }
        let from = Status::parse(&current.status)?;
        from.check_move(to)?;
        // "Certified" means a certificate exists: it comes only from issuing one.
        if to == Status::Certified {
            return Err(AppError::new("certificate_required"));
        }
        let contracts = crate::store::placement::worker_contracts(&mut tx, id).await?;
        match to {
            Status::ContractSigned if !contracts.iter().any(|c| c.status.is_signed()) => {
                return Err(AppError::new("contract_not_signed"))
            }
            Status::ContractRegistered if !contracts.iter().any(|c| c.status.is_registered()) => {
                return Err(AppError::new("contract_not_registered"))
            }
            _ => {}
        }
        let consent = q::consent(&mut tx, id).await?;
        consent::require_valid(consent.as_ref(), self.clock.today())?;
        consent::require_abroad(consent.as_ref(), to)?;
        let now = self.now();
        let step = Move { worker_id: id, from, to, code: None, reason: &reason };
        pipeline::record_audited(&mut tx, &step, &now, actor).await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        tx.commit().await?;
        Ok(worker)
    }

    /// Archives (never deletes) a worker; the reason goes into his history.
    pub async fn archive(&self, id: i64, reason: &str, actor: &str) -> Result<Worker> {
        self.set_archived(id, true, reason, actor).await
    }

    pub async fn restore(&self, id: i64, reason: &str, actor: &str) -> Result<Worker> {
        self.set_archived(id, false, reason, actor).await
    }

    async fn set_archived(&self, id: i64, archive: bool, reason: &str, actor: &str) -> Result<Worker> {
        let mut tx = self.store.write().await?;
        let current = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        match (archive, current.archived_at.is_some()) {
            (true, true) => return Err(AppError::new("already_archived").with("id", id)),
            (false, false) => return Err(AppError::new("not_archived").with("id", id)),
            _ => {}
        }
        let now = self.now();
        let reason = if reason.trim().is_empty() { String::new() } else { require_reason(reason)? };
        let reason = reason.as_str();
        let code = if archive { "archived" } else { "restored" };
        q::set_archived(&mut tx, id, archive.then_some(now.as_str()), &now).await?;
        // The history shows archive and restore as entries that keep the status.
        pipeline::note(&mut tx, id, Some(&current.status), &current.status, code, reason, &now, actor).await?;
        let action = if archive { "worker.archive" } else { "worker.restore" };
        let entry = Entry::new(&now, actor, action).record("worker", id).changes(json!({"reason": reason}));
        audit::append(&mut tx, &entry).await?;
        let worker = q::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
        tx.commit().await?;
        Ok(worker)
    }
}

fn conflict(current: Worker) -> AppError {
    let mut e = AppError::new("conflict");
    e.current = serde_json::to_value(&current).ok();
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(query: ListQuery) -> (&'static str, Option<&'static str>, Vec<(&'static str, String)>) {
        let e = normalize_query(&query).expect_err("refused");
        (e.code, e.field, e.params)
    }

    #[test]
    fn a_search_of_too_many_words_is_refused_naming_the_search_field_and_the_cap() {
        let words = |n: usize| Some(vec!["Gulomov"; n].join(" "));
        assert!(
            normalize_query(&ListQuery { search: words(ListQuery::MAX_SEARCH_WORDS), ..Default::default() }).is_ok()
        );
        let (code, field, params) = refusal(ListQuery { search: words(600), ..Default::default() });
        assert_eq!((code, field), ("search_too_many_words", Some("search")));
        assert_eq!(params, vec![("max", ListQuery::MAX_SEARCH_WORDS.to_string())]);
        let e = normalize_query(&ListQuery { search: words(13), ..Default::default() }).expect_err("13");
        assert_eq!(e.message(crate::i18n::Lang::En), "Search: at most 12 words; shorten the search");
    }

    #[test]
    fn a_limit_or_offset_out_of_range_is_refused_naming_the_range_never_clamped() {
        let range = |min: &str, max: &str| vec![("min", min.to_string()), ("max", max.to_string())];
        for limit in [0, 501, 1_000_000_000] {
            let (code, field, params) = refusal(ListQuery { limit: Some(limit), ..Default::default() });
            assert_eq!((code, field, params), ("out_of_range", Some("limit"), range("1", "500")), "{limit}");
        }
        let (code, field, params) = refusal(ListQuery { offset: Some(100_001), ..Default::default() });
        assert_eq!((code, field, params), ("out_of_range", Some("offset"), range("0", "100000")));
        for limit in [1, 500] {
            assert!(normalize_query(&ListQuery { limit: Some(limit), ..Default::default() }).is_ok());
        }
        let e = normalize_query(&ListQuery { limit: Some(0), ..Default::default() }).expect_err("0");
        assert_eq!(e.message(crate::i18n::Lang::En), "Limit: must be between 1 and 500");
    }
}
