//! Training services: each write checks its rules inside one `BEGIN IMMEDIATE` transaction
//! and appends its audit entry there.

use super::{check_cohort, check_course, result, CohortInput, CourseInput, Outcome};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::roster::pipeline::{self, Move};
use crate::roster::status::Status;
use crate::store::training::{self as q, Cohort, Course, Session};
use crate::store::workers as wq;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    #[serde(flatten)]
    pub course: Course,
    pub module_list: Vec<String>,
    pub country_list: Vec<String>,
}

fn course_view(course: Course) -> CourseView {
    let split = |s: &str| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>();
    CourseView { module_list: split(&course.modules), country_list: split(&course.countries), course }
}

/// One trainee's row in the attendance grid.
#[derive(Debug, Clone, Serialize)]
pub struct Trainee {
    pub worker_id: i64,
    pub name: String,
    pub name_cyrillic: Option<String>,
    /// Tells namesakes apart in the grid.
    pub birth_date: String,
    pub status: String,
    /// Per session, in the cohort's session order: present, absent or not marked.
    pub attendance: Vec<Option<bool>>,
    pub present_hours: i64,
    pub attendance_percent: i64,
    pub score: Option<i64>,
    pub result: Outcome,
    /// Why the result is not a pass (codes: attendance_low, score_low, score_missing).
    pub reasons: Vec<&'static str>,
    /// The certificate issued from this cohort that is still valid.
    pub certificate: Option<String>,
    /// Passed and without a valid certificate from this cohort.
    pub eligible: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CohortView {
    #[serde(flatten)]
    pub cohort: Cohort,
    pub course: CourseView,
    pub sessions: Vec<Session>,
    pub total_hours: i64,
    pub trainees: Vec<Trainee>,
}

/// One worker the request could not act on, and why.
#[derive(Debug)]
pub struct Refusal {
    pub worker_id: i64,
    pub error: AppError,
}

fn join(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().copied().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

impl Desk {
    pub async fn add_course(&self, input: &CourseInput, actor: &str) -> Result<CourseView> {
        let data = check_course(input).map_err(AppError::validation)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = q::insert_course(&mut tx, &data, &now).await?;
        let changes = json!({"name_uz": data.names[0], "hours": data.hours, "pass_mark": data.pass_mark,
            "min_attendance_percent": data.min_attendance_percent, "validity_months": data.validity_months,
            "modules": data.modules, "countries": data.countries});
        audit::append(&mut tx, &Entry::new(&now, actor, "course.add").record("course", id).changes(changes)).await?;
        let course = q::course(&mut tx, id).await?.ok_or_else(|| AppError::new("course_not_found").with("id", id))?;
        tx.commit().await?;
        Ok(course_view(course))
    }

    pub async fn courses(&self) -> Result<Vec<CourseView>> {
        Ok(self.store.courses().await?.into_iter().map(course_view).collect())
    }

    pub async fn add_cohort(&self, input: &CohortInput, actor: &str) -> Result<CohortView> {
        let data = check_cohort(input).map_err(AppError::validation)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        match q::course(&mut tx, data.course_id).await? {
            None => {
                return Err(AppError::validation(vec![
                    Problem::error("course_id", "course_not_found").with("id", data.course_id)
                ]))
            }
            Some(c) if c.archived_at.is_some() => {
                return Err(AppError::validation(vec![Problem::error("course_id", "course_archived")]))
            }
            Some(_) => {}
        }
        let id = q::insert_cohort(&mut tx, &data, &now).await?;
        let changes = json!({"course_id": data.course_id, "starts_on": data.starts_on, "ends_on": data.ends_on,
            "place": data.place, "trainer": data.trainer, "capacity": data.capacity, "sessions": data.sessions.len()});
        audit::append(&mut tx, &Entry::new(&now, actor, "cohort.add").record("cohort", id).changes(changes)).await?;
        let view = cohort_view_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn cohorts(&self, course_id: Option<i64>) -> Result<Vec<Cohort>> {
        self.store.cohorts(course_id).await
    }

    pub async fn cohort(&self, id: i64) -> Result<CohortView> {
        let mut conn = self.store.read().await?;
        cohort_view_in(&mut conn, id).await
    }

    /// Enrols workers: each must exist, not be archived, have a valid consent on file, be
    /// going where the course serves, and be free to move to "in training". Refused workers
    /// are reported; the others are enrolled together.
    pub async fn enroll(&self, cohort_id: i64, worker_ids: &[i64], actor: &str) -> Result<(Vec<i64>, Vec<Refusal>)> {
        let now = self.now();
        let today = self.clock.today();
        let mut tx = self.store.write().await?;
        let cohort = q::cohort(&mut tx, cohort_id).await?.ok_or_else(|| cohort_not_found(cohort_id))?;
        let course = q::course(&mut tx, cohort.course_id).await?.ok_or_else(|| AppError::internal("course"))?;
        let mut free = cohort.capacity - cohort.enrolled;
        let (mut done, mut refused) = (Vec::new(), Vec::new());
        for &worker_id in worker_ids {
            let outcome: Result<()> = async {
                let w = wq::get_in(&mut tx, worker_id).await?.ok_or_else(|| AppError::not_found(worker_id))?;
                if w.archived_at.is_some() {
                    return Err(AppError::new("archived").with("id", worker_id));
                }
                if q::is_enrolled(&mut tx, cohort_id, worker_id).await? {
                    return Err(AppError::new("already_enrolled"));
                }
                if free <= 0 {
                    return Err(AppError::new("cohort_full").with("capacity", cohort.capacity));
                }
                let consent = wq::consent(&mut tx, worker_id).await?;
                crate::roster::consent::require_valid(consent.as_ref(), today)?;
                if let Some(dest) = w.destination_country.as_deref() {
                    if !course.countries.is_empty() && !course.countries.split(',').any(|c| c == dest) {
                        return Err(AppError::new("course_country_mismatch")
                            .with("country", dest)
                            .with("countries", course.countries.replace(',', ", ")));
                    }
                }
                let from = Status::parse(&w.status)?;
                if from != Status::InTraining {
                    from.check_move(Status::InTraining)?;
                }
                q::enrol(&mut tx, cohort_id, worker_id, &now, actor).await?;
                if from != Status::InTraining {
                    let step = Move { worker_id, from, to: Status::InTraining, code: Some("enrolled"), reason: "" };
                    pipeline::record(&mut tx, &step, &now, actor).await?;
                }
                let changes = json!({"cohort_id": cohort_id, "status": [from.code(), Status::InTraining.code()]});
                audit::append(
                    &mut tx,
                    &Entry::new(&now, actor, "training.enroll").record("worker", worker_id).changes(changes),
                )
                .await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    free -= 1;
                    done.push(worker_id);
                }
                // A storage failure is not a refusal of one worker: it ends the request.
                Err(e) if e.code == "storage" || e.code == "io" => return Err(e),
                Err(error) => refused.push(Refusal { worker_id, error }),
            }
        }
        tx.commit().await?;
        Ok((done, refused))
    }

    /// Marks trainees present (or absent) at one session of the cohort.
    pub async fn attend(
        &self,
        cohort_id: i64,
        session_id: i64,
        worker_ids: &[i64],
        present: bool,
        actor: &str,
    ) -> Result<CohortView> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        q::cohort(&mut tx, cohort_id).await?.ok_or_else(|| cohort_not_found(cohort_id))?;
        let sessions = q::sessions(&mut tx, cohort_id).await?;
        let Some(session) = sessions.iter().find(|s| s.id == session_id) else {
            return Err(AppError::new("session_not_found").on("session_id").with("id", session_id));
        };
        if chrono::NaiveDate::parse_from_str(&session.held_on, "%Y-%m-%d").is_ok_and(|d| d > self.clock.today()) {
            return Err(AppError::new("session_in_future").with("date", &session.held_on));
        }
        for &worker_id in worker_ids {
            if !q::is_enrolled(&mut tx, cohort_id, worker_id).await? {
                return Err(AppError::new("not_enrolled").with("id", worker_id));
            }
            q::mark(&mut tx, session_id, worker_id, present, &now, actor).await?;
        }
        let changes =
            json!({"cohort_id": cohort_id, "session_id": session_id, "workers": worker_ids, "present": present});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "training.attend").record("cohort", cohort_id).changes(changes),
        )
        .await?;
        let view = cohort_view_in(&mut tx, cohort_id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Records a trainee's exam score (0–100).
    pub async fn score(&self, cohort_id: i64, worker_id: i64, score: &str, actor: &str) -> Result<Trainee> {
        let mut c = crate::placement::Check::default();
        let Some(score) = c.int("score", &Some(score.to_string()), 0, 100) else {
            return Err(AppError::validation(c.problems));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        q::cohort(&mut tx, cohort_id).await?.ok_or_else(|| cohort_not_found(cohort_id))?;
        if !q::is_enrolled(&mut tx, cohort_id, worker_id).await? {
            return Err(AppError::new("not_enrolled").with("id", worker_id));
        }
        // A valid certificate carries the score in its signed record: changing the score
        // under it would make the register and the paper disagree. Revoking comes first.
        let certified = q::certificates_of_cohort(&mut tx, cohort_id)
            .await?
            .into_iter()
            .find(|c| c.worker_id == worker_id && c.status == "valid");
        if let Some(c) = certified {
            return Err(AppError::validation(
                vec![Problem::error("score", "score_certified").with("number", c.number)],
            ));
        }
        q::set_score(&mut tx, cohort_id, worker_id, score, &now).await?;
        let changes = json!({"cohort_id": cohort_id, "score": score});
        audit::append(&mut tx, &Entry::new(&now, actor, "training.score").record("worker", worker_id).changes(changes))
            .await?;
        let view = cohort_view_in(&mut tx, cohort_id).await?;
        tx.commit().await?;
        view.trainees.into_iter().find(|t| t.worker_id == worker_id).ok_or_else(|| AppError::internal("trainee"))
    }
}

pub(crate) fn cohort_not_found(id: i64) -> AppError {
    AppError::new("cohort_not_found").with("id", id)
}

/// The cohort with its course, sessions and every trainee's computed result.
pub(crate) async fn cohort_view_in(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<CohortView> {
    let cohort = q::cohort(conn, id).await?.ok_or_else(|| cohort_not_found(id))?;
    let course = q::course(conn, cohort.course_id).await?.ok_or_else(|| AppError::internal("course"))?;
    let sessions = q::sessions(conn, id).await?;
    let marks: HashMap<(i64, i64), bool> =
        q::attendance(conn, id).await?.into_iter().map(|(s, w, p)| ((s, w), p)).collect();
    let certificates = q::certificates_of_cohort(conn, id).await?;
    let total_hours: i64 = sessions.iter().map(|s| s.hours).sum();
    let trainees = q::enrolments(conn, id)
        .await?
        .into_iter()
        .map(|e| {
            let attendance: Vec<Option<bool>> =
                sessions.iter().map(|s| marks.get(&(s.id, e.worker_id)).copied()).collect();
            let present_hours: i64 =
                sessions.iter().zip(&attendance).filter(|(_, a)| **a == Some(true)).map(|(s, _)| s.hours).sum();
            let (outcome, percent, reasons) =
                result(present_hours, total_hours, e.score, course.pass_mark, course.min_attendance_percent);
            let certificate = certificates
                .iter()
                .rev()
                .find(|c| c.worker_id == e.worker_id && c.status == "valid")
                .map(|c| c.number.clone());
            Trainee {
                worker_id: e.worker_id,
                name: join(&[Some(&e.last_name), Some(&e.first_name), e.patronymic.as_deref()]),
                name_cyrillic: Some(join(&[
                    e.last_name_cyrillic.as_deref(),
                    e.first_name_cyrillic.as_deref(),
                    e.patronymic_cyrillic.as_deref(),
                ]))
                .filter(|s| !s.is_empty()),
                birth_date: e.birth_date,
                status: e.status,
                attendance,
                present_hours,
                attendance_percent: percent,
                score: e.score,
                eligible: outcome == Outcome::Pass && certificate.is_none(),
                result: outcome,
                reasons,
                certificate,
            }
        })
        .collect();
    Ok(CohortView { cohort, course: course_view(course), sessions, total_hours, trainees })
}
