//! The roster: workers, consent, status moves, a worker's own export.

use super::*;
use crate::audit;
use crate::error::AppError;
use crate::roster::consent::ConsentInput;
use crate::roster::service::{CheckView, ListView, SavedView, WorkerView};
use crate::roster::{HistoryEntry, ListQuery, WorkerInput};
use crate::AppState;
use tauri::State;

#[tauri::command]
pub async fn workers_list(state: State<'_, AppState>, query: ListQuery) -> Reply<ListView> {
    guarded!(state, "workers_list", |_s| state.desk.list(&query, state.lang()).await)
}

#[tauri::command]
pub async fn workers_get(state: State<'_, AppState>, id: i64) -> Reply<WorkerView> {
    guarded!(state, "workers_get", |_s| state.desk.get_view(id, state.lang()).await)
}

#[tauri::command]
pub async fn workers_check(state: State<'_, AppState>, input: WorkerInput, id: Option<i64>) -> Reply<CheckView> {
    guarded!(state, "workers_check", |_s| state.desk.check(&input, id, state.lang()).await)
}

#[tauri::command]
pub async fn workers_history(state: State<'_, AppState>, id: i64) -> Reply<Vec<HistoryEntry>> {
    guarded!(state, "workers_history", |_s| state.desk.history(id).await)
}

#[tauri::command]
pub async fn workers_audit(state: State<'_, AppState>, id: i64) -> Reply<Vec<audit::View>> {
    guarded!(state, "workers_audit", |_s| state.desk.worker_audit(id).await)
}

#[tauri::command]
pub async fn workers_create(state: State<'_, AppState>, input: WorkerInput) -> Reply<SavedView> {
    guarded!(state, "workers_create", |s| {
        let (worker, warnings) = state.desk.create(&input, &signed_in(s)?.login).await?;
        state.saved(worker, warnings).await
    })
}

#[tauri::command]
pub async fn workers_update(state: State<'_, AppState>, id: i64, version: i64, input: WorkerInput) -> Reply<SavedView> {
    guarded!(state, "workers_update", |s| {
        let (worker, warnings) = state.desk.update(id, version, &input, &signed_in(s)?.login).await?;
        state.saved(worker, warnings).await
    })
}

#[tauri::command]
pub async fn workers_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
    reason: String,
) -> Reply<WorkerView> {
    guarded!(state, "workers_set_status", |s| {
        state.desk.set_status(id, &status, &reason, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_archive(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    guarded!(state, "workers_archive", |s| {
        state.desk.archive(id, &reason.unwrap_or_default(), &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_restore(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    guarded!(state, "workers_restore", |s| {
        state.desk.restore(id, &reason.unwrap_or_default(), &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_consent_add(state: State<'_, AppState>, id: i64, consent: ConsentInput) -> Reply<WorkerView> {
    guarded!(state, "workers_consent_add", |s| {
        state.desk.add_consent(id, &consent, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_consent_withdraw(state: State<'_, AppState>, id: i64, reason: String) -> Reply<WorkerView> {
    guarded!(state, "workers_consent_withdraw", |s| {
        state.desk.withdraw_consent(id, &reason, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_export(state: State<'_, AppState>, id: i64) -> Reply<ExportDone> {
    guarded!(state, "workers_export", |s| {
        let path = state.desk.export_worker(id, None, &signed_in(s)?.login).await?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

impl AppState {
    async fn saved(
        &self,
        worker: crate::roster::Worker,
        warnings: Vec<crate::error::Problem>,
    ) -> Result<SavedView, AppError> {
        let lang = self.lang();
        Ok(SavedView {
            worker: self.desk.get_view(worker.id, lang).await?,
            warnings: warnings.iter().map(|p| p.view(lang)).collect(),
        })
    }
}
