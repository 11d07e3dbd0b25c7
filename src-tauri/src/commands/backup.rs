//! Tauri commands of the backup section (issue 11). Declared inside `commands` so they
//! share its `guarded!` adapter; re-exported there, so the handler list names them as
//! `commands::backup_…` like every other command.

use crate::backup::{keys, service};
use crate::error::AppError;
use crate::AppState;
use tauri::State;

use super::{signed_in, Reply};

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Reply<crate::backup::schedule::Status> {
    guarded!(state, "backup_status", |_s| state.desk.backup_status().await)
}

/// "Back up now": into the chosen folder; the first one returns the recovery key to show.
#[tauri::command]
pub async fn backup_create(state: State<'_, AppState>) -> Reply<service::Made> {
    guarded!(state, "backup_create", |s| state.desk.back_up(None, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn backup_set_folder(state: State<'_, AppState>, folder: String) -> Reply<String> {
    guarded!(state, "backup_set_folder", |s| state
        .desk
        .set_backup_folder(&folder, &signed_in(s)?.login)
        .await
        .map(|p| p.display().to_string()))
}

#[tauri::command]
pub async fn backup_verify(state: State<'_, AppState>, file: String) -> Reply<service::Report> {
    guarded!(state, "backup_verify", |_s| {
        let id = keys::load_backup_identity(state.desk.dir().root())?;
        service::verify(state.desk.dir().root(), std::path::Path::new(&file), &id).await
    })
}

/// Restores into a new folder with this data folder's backup key; the app keeps running
/// on the live data, and the answer says where the restored folder is.
#[tauri::command]
pub async fn backup_restore(state: State<'_, AppState>, file: String, to: String) -> Reply<service::Report> {
    guarded!(state, "backup_restore", |_s| {
        let id = keys::load_backup_identity(state.desk.dir().root())?;
        restore(&state, &file, &to, &id).await
    })
}

/// As [`backup_restore`] with the printed recovery key (a new PC, before any account).
#[tauri::command]
pub async fn backup_recover(
    state: State<'_, AppState>,
    file: String,
    to: String,
    key: String,
) -> Reply<service::Report> {
    guarded!(state, "backup_recover", |_s| {
        let id = keys::parse_identity(&key)?;
        restore(&state, &file, &to, &id).await
    })
}

async fn restore(
    state: &AppState,
    file: &str,
    to: &str,
    id: &age::x25519::Identity,
) -> Result<service::Report, AppError> {
    if to.trim().is_empty() {
        return Err(AppError::new("required").on("to"));
    }
    service::restore(state.desk.dir().root(), std::path::Path::new(file), id, std::path::Path::new(to.trim())).await
}
