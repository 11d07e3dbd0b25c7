//! Safar: the desk of a licensed private employment agency.
//!
//! Layers: `commands` (Tauri adapters) and `cli` drive the domain services (`roster`),
//! which use `store` for every SQL statement. See docs/api.md for the IPC contract.

pub mod about;
pub mod accounts;
pub mod agency;
#[cfg(test)]
mod architecture;
pub mod audit;
pub mod certificates;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod demo;
pub mod error;
pub mod files;
pub mod i18n;
pub mod import;
pub mod money;
pub mod names;
pub mod phonetic;
pub mod placement;
pub mod places;
pub mod reference;
pub mod roster;
pub mod settings;
pub mod store;
pub mod trail;
pub mod training;

use accounts::Session;
use clock::SystemClock;
use error::Result;
use i18n::Lang;
use roster::service::Desk;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use store::Store;

/// What every command can reach: the services, the language and who is signed in.
pub struct AppState {
    pub desk: Desk,
    pub data_dir: PathBuf,
    lang: RwLock<Lang>,
    /// Only in memory: quitting the app ends the session.
    session: RwLock<Option<Session>>,
    /// Certificate batches being printed in the background.
    pub print_jobs: certificates::print::Jobs,
    /// The import being previewed or committed in the window (one at a time).
    pub(crate) imports: std::sync::Mutex<Option<commands::PendingImport>>,
}

impl AppState {
    pub fn new(desk: Desk, data_dir: PathBuf, lang: Lang) -> AppState {
        AppState {
            desk,
            data_dir,
            lang: RwLock::new(lang),
            session: RwLock::new(None),
            print_jobs: Default::default(),
            imports: std::sync::Mutex::new(None),
        }
    }

    pub fn session(&self) -> Option<Session> {
        self.session.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_session(&self, session: Option<Session>) {
        *self.session.write().unwrap_or_else(|e| e.into_inner()) = session;
    }

    /// The role check of `command` against `data/permissions.tsv`; returns who is signed
    /// in (None only for public commands called before signing in). The role and the
    /// account's state are read afresh, so disabling or demoting someone takes effect at
    /// his next click, not his next sign-in.
    pub async fn authorize(&self, command: &str) -> Result<Option<Session>> {
        let session = match self.session() {
            Some(s) => {
                let now = self.desk.current(&s).await?;
                if now.as_ref() != Some(&s) {
                    self.set_session(now.clone());
                }
                now
            }
            None => None,
        };
        accounts::authorize(command, session.as_ref())?;
        Ok(session)
    }

    pub fn lang(&self) -> Lang {
        // A poisoned lock only means a panic elsewhere; the language value is still valid.
        *self.lang.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.write().unwrap_or_else(|e| e.into_inner()) = lang;
    }
}

/// The default data directory: the OS app-data folder (`~/.local/share/uz.safar.desk` on
/// Linux, `%APPDATA%\uz.safar.desk` on Windows), as Tauri's `app_data_dir` would give.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("uz.safar.desk")
}

/// Opens the database and builds the state the window and the CLI share.
pub async fn open_state(data_dir: &Path) -> Result<AppState> {
    let store = Store::open(data_dir).await?;
    let lang = settings::language(&store).await?;
    let desk = Desk::new(store, Arc::new(SystemClock));
    desk.seal_baseline().await?;
    // An upgraded database signs its head at once, so `audit verify` as the first command
    // finds a checkpoint; failing to write one is not a reason to refuse to open.
    let _ = desk.checkpoint_if_due().await;
    Ok(AppState::new(desk, data_dir.to_path_buf(), lang))
}

/// Registers Safar's commands on any runtime, so tests can use the mock runtime.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::settings_get,
        commands::settings_set_language,
        commands::reference_data,
        commands::auth_status,
        commands::auth_login,
        commands::auth_logout,
        commands::setup_init,
        commands::auth_change_password,
        commands::users_list,
        commands::users_add,
        commands::users_disable,
        commands::users_enable,
        commands::users_set_role,
        commands::agency_get,
        commands::agency_update,
        commands::audit_list,
        commands::audit_verify,
        commands::workers_list,
        commands::workers_get,
        commands::workers_check,
        commands::workers_history,
        commands::workers_audit,
        commands::workers_create,
        commands::workers_update,
        commands::workers_set_status,
        commands::workers_archive,
        commands::workers_restore,
        commands::workers_consent_add,
        commands::workers_consent_withdraw,
        commands::workers_export,
        commands::employers_add,
        commands::employers_list,
        commands::employers_get,
        commands::employers_archive,
        commands::jobs_add,
        commands::jobs_list,
        commands::jobs_get,
        commands::contracts_add,
        commands::contracts_list,
        commands::contracts_get,
        commands::contracts_set_status,
        commands::contracts_register,
        commands::workers_depart,
        commands::workers_return,
        commands::workers_journeys,
        commands::fees_add,
        commands::fees_list,
        commands::contracts_attach,
        commands::contracts_attachments,
        commands::attachments_open,
        commands::fees_statement,
        commands::settings_list,
        commands::settings_change,
        commands::courses_list,
        commands::courses_add,
        commands::cohorts_list,
        commands::cohorts_get,
        commands::cohorts_add,
        commands::training_enroll,
        commands::training_attend,
        commands::training_score,
        commands::certificates_issue,
        commands::certificates_list,
        commands::certificates_get,
        commands::certificates_revoke,
        commands::certificates_preview,
        commands::certificates_print,
        commands::certificates_print_status,
        commands::certificates_print_cancel,
        commands::certificates_verify,
        commands::certificates_verify_file,
        commands::certificates_public_key,
        commands::certificates_trust_key,
        commands::certificates_config,
        commands::certificates_config_set,
        commands::import_preview,
        commands::import_commit,
        commands::import_report,
        commands::import_template,
        commands::export_workers,
        commands::export_contracts,
        commands::export_certificates,
    ])
}

/// Opens the window on the roster. When the data cannot be opened (a failed upgrade, a
/// database from a newer Safar, a damaged file) the window opens all the same and every
/// command answers with that error, which the start screen shows: started from the desktop
/// menu, nobody would read standard error. The message is also printed there at once, and
/// the exit code is 1.
pub fn run(data_dir: PathBuf) -> std::result::Result<(), String> {
    let failure = match tauri::async_runtime::block_on(open_state(&data_dir)) {
        Ok(state) => {
            return with_commands(tauri::Builder::default())
                .manage(state)
                .run(tauri::generate_context!())
                .map_err(|e| e.to_string());
        }
        Err(e) => e,
    };
    let lang = Lang::default();
    eprintln!("{}", failure.message(lang));
    let view = failure.view(lang);
    tauri::Builder::default()
        .invoke_handler(move |invoke| {
            invoke.resolver.reject(view.clone());
            true
        })
        .run(tauri::generate_context!())
        .map_err(|e| e.to_string())?;
    // Already printed; an empty message tells cli::main to print nothing more.
    Err(String::new())
}
