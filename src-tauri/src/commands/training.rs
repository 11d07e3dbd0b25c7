//! Courses, cohorts, enrolment, attendance and scores.

use super::*;
use crate::error::AppError;
use crate::store::training::Cohort;
use crate::training::service::{CohortView, CourseView, Refusal, Trainee};
use crate::training::{CohortInput, CourseInput};
use crate::AppState;
use serde::Serialize;
use tauri::State;

/// A worker a request could not act on, with the reason in the user's language.
#[derive(Serialize)]
pub struct RefusalView {
    worker_id: i64,
    code: &'static str,
    message: String,
}

pub(super) fn refusals(list: Vec<Refusal>, lang: crate::i18n::Lang) -> Vec<RefusalView> {
    list.into_iter()
        .map(|r| RefusalView { worker_id: r.worker_id, code: r.error.code, message: r.error.message(lang) })
        .collect()
}

#[derive(Serialize)]
pub struct EnrollView {
    enrolled: Vec<i64>,
    refused: Vec<RefusalView>,
}

#[tauri::command]
pub async fn courses_list(state: State<'_, AppState>) -> Reply<Vec<CourseView>> {
    guarded!(state, "courses_list", |_s| state.desk.courses().await)
}

#[tauri::command]
pub async fn courses_add(state: State<'_, AppState>, input: CourseInput) -> Reply<CourseView> {
    guarded!(state, "courses_add", |s| state.desk.add_course(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn cohorts_list(state: State<'_, AppState>, course_id: Option<i64>) -> Reply<Vec<Cohort>> {
    guarded!(state, "cohorts_list", |_s| state.desk.cohorts(course_id).await)
}

#[tauri::command]
pub async fn cohorts_get(state: State<'_, AppState>, id: i64) -> Reply<CohortView> {
    guarded!(state, "cohorts_get", |_s| state.desk.cohort(id).await)
}

#[tauri::command]
pub async fn cohorts_add(state: State<'_, AppState>, input: CohortInput) -> Reply<CohortView> {
    guarded!(state, "cohorts_add", |s| state.desk.add_cohort(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn training_enroll(state: State<'_, AppState>, cohort_id: i64, worker_ids: Vec<i64>) -> Reply<EnrollView> {
    guarded!(state, "training_enroll", |s| {
        let (enrolled, refused) = state.desk.enroll(cohort_id, &worker_ids, &signed_in(s)?.login).await?;
        Ok(EnrollView { enrolled, refused: refusals(refused, state.lang()) })
    })
}

#[tauri::command]
pub async fn training_attend(
    state: State<'_, AppState>,
    cohort_id: i64,
    session_id: i64,
    worker_ids: Vec<i64>,
    present: bool,
) -> Reply<CohortView> {
    guarded!(state, "training_attend", |s| {
        state.desk.attend(cohort_id, session_id, &worker_ids, present, &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn training_score(
    state: State<'_, AppState>,
    cohort_id: i64,
    worker_id: i64,
    score: String,
) -> Reply<Trainee> {
    guarded!(state, "training_score", |s| state.desk.score(cohort_id, worker_id, &score, &signed_in(s)?.login).await)
}
