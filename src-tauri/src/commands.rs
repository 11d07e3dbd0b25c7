//! Tauri commands: thin adapters from IPC to the services. Each one reads the persisted
//! language, calls one service method and translates a failure into `{code, message, …}`.

use crate::error::ErrorView;
use crate::roster::service::{self, CheckView, ListView, SavedView, WorkerView};
use crate::roster::{HistoryEntry, ListQuery, WorkerInput};
use crate::{reference, settings, AppState};
use serde::Serialize;
use tauri::State;

type Reply<T> = Result<T, ErrorView>;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    db_path: String,
}

#[derive(Serialize)]
pub struct LanguageView {
    language: &'static str,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        db_path: state.desk.store.path().display().to_string(),
    }
}

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> LanguageView {
    LanguageView { language: state.lang().code() }
}

#[tauri::command]
pub async fn settings_set_language(state: State<'_, AppState>, language: String) -> Reply<LanguageView> {
    let lang = settings::set_language(&state.desk.store, &language).await.map_err(|e| e.view(state.lang()))?;
    state.set_lang(lang);
    Ok(LanguageView { language: lang.code() })
}

#[tauri::command]
pub fn reference_data(state: State<'_, AppState>) -> reference::ReferenceData {
    reference::data(state.lang())
}

#[tauri::command]
pub async fn workers_list(state: State<'_, AppState>, query: ListQuery) -> Reply<ListView> {
    let lang = state.lang();
    state.desk.list(&query, lang).await.map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_get(state: State<'_, AppState>, id: i64) -> Reply<WorkerView> {
    let lang = state.lang();
    state.desk.get(id).await.map(|w| service::view(w, lang)).map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_check(state: State<'_, AppState>, input: WorkerInput, id: Option<i64>) -> Reply<CheckView> {
    let lang = state.lang();
    state.desk.check(&input, id, lang).await.map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_create(state: State<'_, AppState>, input: WorkerInput) -> Reply<SavedView> {
    let lang = state.lang();
    let (worker, warnings) = state.desk.create(&input, &state.actor).await.map_err(|e| e.view(lang))?;
    Ok(SavedView { worker: service::view(worker, lang), warnings: warnings.iter().map(|p| p.view(lang)).collect() })
}

#[tauri::command]
pub async fn workers_update(state: State<'_, AppState>, id: i64, version: i64, input: WorkerInput) -> Reply<SavedView> {
    let lang = state.lang();
    let (worker, warnings) = state.desk.update(id, version, &input, &state.actor).await.map_err(|e| e.view(lang))?;
    Ok(SavedView { worker: service::view(worker, lang), warnings: warnings.iter().map(|p| p.view(lang)).collect() })
}

#[tauri::command]
pub async fn workers_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
    reason: String,
) -> Reply<WorkerView> {
    let lang = state.lang();
    state
        .desk
        .set_status(id, &status, &reason, &state.actor)
        .await
        .map(|w| service::view(w, lang))
        .map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_archive(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    let lang = state.lang();
    let reason = reason.unwrap_or_default();
    state.desk.archive(id, &reason, &state.actor).await.map(|w| service::view(w, lang)).map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_restore(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    let lang = state.lang();
    let reason = reason.unwrap_or_default();
    state.desk.restore(id, &reason, &state.actor).await.map(|w| service::view(w, lang)).map_err(|e| e.view(lang))
}

#[tauri::command]
pub async fn workers_history(state: State<'_, AppState>, id: i64) -> Reply<Vec<HistoryEntry>> {
    let lang = state.lang();
    state.desk.history(id).await.map_err(|e| e.view(lang))
}
