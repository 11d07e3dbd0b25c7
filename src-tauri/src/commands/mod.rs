//! Tauri commands: thin adapters from IPC to the services. Each one first checks the
//! command × role table (`AppState::authorize`), then calls one service method, and
//! translates a failure into `{code, message, …}` in the user's language. One file per
//! area; `lib.rs` lists every handler by its path.

use crate::accounts::{Session, User};
use crate::agency::Agency;
use crate::audit;
use crate::error::{AppError, ErrorView};
use crate::{reference, settings, AppState};
use serde::Serialize;
use tauri::State;

type Reply<T> = Result<T, ErrorView>;

/// Runs `f` as `command`: role check first, errors translated last.
macro_rules! guarded {
    ($state:expr, $command:literal, |$session:pat_param| $body:expr) => {{
        let state: &AppState = &$state;
        let lang = state.lang();
        let outcome: Result<_, AppError> = async {
            let $session = state.authorize($command).await?;
            $body
        }
        .await;
        if outcome.is_ok() {
            // A checkpoint that cannot be written now does not undo the command: the next
            // command tries again, and `audit verify` names a checkpoint left behind.
            let _ = state.desk.checkpoint_if_due().await;
        }
        outcome.map_err(|e| e.view(lang))
    }};
}

pub mod accounts;
pub mod backup;
pub mod certificates;
pub mod placement;
pub mod sheets;
pub mod training;
pub mod workers;

#[derive(Serialize)]
pub struct AppInfo {
    /// version, build_date, schema_version, data_dir: what `safar --version` prints.
    #[serde(flatten)]
    about: crate::about::About,
    db_path: String,
}

#[derive(Serialize)]
pub struct LanguageView {
    language: &'static str,
}

#[derive(Serialize)]
pub struct AuthStatus {
    initialized: bool,
    agency: Option<Agency>,
    user: Option<User>,
    /// Every command this user may call (data/permissions.tsv): the window asks
    /// `session.can(command)` instead of knowing the roles.
    commands: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct SetupDone {
    agency: Agency,
    user: User,
}

#[derive(Serialize)]
pub struct ExportDone {
    path: String,
}

#[derive(Serialize)]
pub struct AuditPage {
    items: Vec<audit::View>,
    has_more: bool,
}

fn signed_in(session: Option<Session>) -> Result<Session, AppError> {
    session.ok_or_else(|| AppError::new("unauthenticated"))
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    guarded!(state, "app_info", |_s| Ok(AppInfo {
        about: crate::about::About::new(state.desk.dir().root()),
        db_path: state.desk.dir().database().display().to_string(),
    }))
}

#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> Reply<LanguageView> {
    guarded!(state, "settings_get", |_s| Ok(LanguageView { language: state.lang().code() }))
}

#[tauri::command]
pub async fn settings_set_language(state: State<'_, AppState>, language: String) -> Reply<LanguageView> {
    guarded!(state, "settings_set_language", |s| {
        let actor = s.map(|s| s.login).unwrap_or_default();
        let lang = settings::set_language(&state.desk, &language, &actor).await?;
        state.set_lang(lang);
        Ok(LanguageView { language: lang.code() })
    })
}

#[tauri::command]
pub async fn reference_data(state: State<'_, AppState>) -> Reply<reference::ReferenceData> {
    guarded!(state, "reference_data", |_s| Ok(reference::data(state.lang())))
}
