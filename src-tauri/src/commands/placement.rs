//! Employers, job orders, contracts, journeys, fees and attachments.

use super::*;
use crate::error::AppError;
use crate::placement::attachments::{self, Attachment};
use crate::placement::records::{ContractView, Employer, FeeView, JobView, Journey};
use crate::placement::{ContractInput, EmployerInput, FeeInput, JobInput};
use crate::AppState;
use tauri::State;

#[tauri::command]
pub async fn employers_add(state: State<'_, AppState>, input: EmployerInput) -> Reply<Employer> {
    guarded!(state, "employers_add", |s| state.desk.add_employer(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn employers_list(
    state: State<'_, AppState>,
    search: Option<String>,
    archived: Option<bool>,
) -> Reply<Vec<Employer>> {
    guarded!(state, "employers_list", |_s| state.desk.employers(search.as_deref(), archived.unwrap_or(false)).await)
}

#[tauri::command]
pub async fn employers_get(state: State<'_, AppState>, id: i64) -> Reply<Employer> {
    guarded!(state, "employers_get", |_s| state.desk.employer(id).await)
}

#[tauri::command]
pub async fn employers_archive(state: State<'_, AppState>, id: i64) -> Reply<Employer> {
    guarded!(state, "employers_archive", |s| state.desk.archive_employer(id, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn jobs_add(state: State<'_, AppState>, input: JobInput) -> Reply<JobView> {
    guarded!(state, "jobs_add", |s| state.desk.add_job(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn jobs_list(state: State<'_, AppState>, employer_id: Option<i64>) -> Reply<Vec<JobView>> {
    guarded!(state, "jobs_list", |_s| state.desk.jobs(employer_id).await)
}

#[tauri::command]
pub async fn jobs_get(state: State<'_, AppState>, id: i64) -> Reply<JobView> {
    guarded!(state, "jobs_get", |_s| state.desk.job(id).await)
}

#[tauri::command]
pub async fn contracts_add(state: State<'_, AppState>, input: ContractInput) -> Reply<ContractView> {
    guarded!(state, "contracts_add", |s| state.desk.add_contract(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn contracts_list(
    state: State<'_, AppState>,
    worker_id: Option<i64>,
    status: Option<String>,
) -> Reply<Vec<ContractView>> {
    guarded!(state, "contracts_list", |_s| state.desk.contracts(worker_id, status.as_deref()).await)
}

#[tauri::command]
pub async fn contracts_get(state: State<'_, AppState>, id: i64) -> Reply<ContractView> {
    guarded!(state, "contracts_get", |_s| state.desk.contract(id).await)
}

#[tauri::command]
pub async fn contracts_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
    reason: Option<String>,
) -> Reply<ContractView> {
    guarded!(state, "contracts_set_status", |s| {
        state.desk.set_contract_status(id, &status, &reason.unwrap_or_default(), &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn contracts_register(
    state: State<'_, AppState>,
    id: i64,
    number: String,
    date: String,
) -> Reply<ContractView> {
    guarded!(state, "contracts_register", |s| state
        .desk
        .register_contract(id, &number, &date, &signed_in(s)?.login)
        .await)
}

#[tauri::command]
pub async fn workers_depart(
    state: State<'_, AppState>,
    id: i64,
    date: String,
    route: Option<String>,
    border_crossing: Option<String>,
) -> Reply<Journey> {
    guarded!(state, "workers_depart", |s| {
        state.desk.depart(id, &date, route.as_deref(), border_crossing.as_deref(), &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn workers_return(state: State<'_, AppState>, id: i64, date: String, reason: String) -> Reply<Journey> {
    guarded!(state, "workers_return", |s| state.desk.return_home(id, &date, &reason, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn workers_journeys(state: State<'_, AppState>, id: i64) -> Reply<Vec<Journey>> {
    guarded!(state, "workers_journeys", |_s| state.desk.journeys(id).await)
}

#[tauri::command]
pub async fn fees_add(state: State<'_, AppState>, input: FeeInput) -> Reply<FeeView> {
    guarded!(state, "fees_add", |s| state.desk.add_fee(&input, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn fees_list(state: State<'_, AppState>, worker_id: i64) -> Reply<Vec<FeeView>> {
    guarded!(state, "fees_list", |_s| state.desk.fees(worker_id).await)
}

#[tauri::command]
pub async fn fees_totals(
    state: State<'_, AppState>,
    worker_id: i64,
) -> Reply<Vec<crate::placement::statement::FeeTotal>> {
    guarded!(state, "fees_totals", |_s| state.desk.fee_totals(worker_id).await)
}

#[tauri::command]
pub async fn contracts_attach(state: State<'_, AppState>, id: i64, name: String, data: String) -> Reply<Attachment> {
    guarded!(state, "contracts_attach", |s| {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| AppError::new("attachment_type").on("file"))?;
        state.desk.attach(id, &name, &bytes, &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn contracts_attachments(state: State<'_, AppState>, id: i64) -> Reply<Vec<Attachment>> {
    guarded!(state, "contracts_attachments", |_s| state.desk.attachments(id).await)
}

#[tauri::command]
pub async fn attachments_open(state: State<'_, AppState>, id: i64) -> Reply<()> {
    guarded!(state, "attachments_open", |_s| {
        let a = state.desk.attachment(id).await?;
        attachments::open_with_system_viewer(&state.desk.attachment_file(&a))
    })
}

#[tauri::command]
pub async fn fees_statement(state: State<'_, AppState>, worker_id: i64, open: Option<bool>) -> Reply<ExportDone> {
    guarded!(state, "fees_statement", |s| {
        let stamp = crate::clock::stamp(state.desk.clock.now()).replace([':', '.'], "-");
        let path = state.desk.dir().exports().join(format!("statement-{worker_id}-{stamp}.pdf"));
        state.desk.fee_statement(worker_id, &path, state.lang(), &signed_in(s)?.login).await?;
        if open.unwrap_or(false) {
            attachments::open_with_system_viewer(&path)?;
        }
        Ok(ExportDone { path: path.display().to_string() })
    })
}

#[tauri::command]
pub async fn settings_list(state: State<'_, AppState>) -> Reply<Vec<(String, i64)>> {
    guarded!(state, "settings_list", |_s| crate::settings::list(&state.desk).await)
}

#[tauri::command]
pub async fn settings_change(state: State<'_, AppState>, key: String, value: String) -> Reply<i64> {
    guarded!(state, "settings_change", |s| crate::settings::change(&state.desk, &key, &value, &signed_in(s)?.login)
        .await)
}
