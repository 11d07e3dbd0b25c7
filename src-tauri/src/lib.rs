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
pub mod backup;
pub mod certificates;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod data_dir;
pub mod demo;
pub mod desk;
pub mod error;
pub mod files;
pub mod i18n;
pub mod import;
pub mod money;
pub mod names;
pub mod pdf;
pub mod phonetic;
pub mod placement;
pub mod places;
pub mod reference;
pub mod roster;
pub mod settings;
pub mod sheet;
pub mod store;
pub mod trail;
pub mod training;

use accounts::Session;
use clock::SystemClock;
use desk::Desk;
use error::Result;
use i18n::Lang;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use store::Store;

/// What every command can reach: the services, the language and who is signed in.
pub struct AppState {
    pub desk: Desk,
    lang: RwLock<Lang>,
    /// Only in memory: quitting the app ends the session.
    session: RwLock<Option<Session>>,
    /// Certificate batches being printed in the background.
    pub print_jobs: certificates::print::Jobs,
    /// The import being previewed or committed in the window (one at a time).
    pub(crate) imports: import::session::Sessions,
}

impl AppState {
    pub fn new(desk: Desk, lang: Lang) -> AppState {
        AppState {
            desk,
            lang: RwLock::new(lang),
            session: RwLock::new(None),
            print_jobs: Default::default(),
            imports: import::session::Sessions::default(),
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
    Ok(AppState::new(desk, lang))
}

/// Registers Safar's commands on any runtime, so tests can use the mock runtime.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::settings_get,
        commands::settings_set_language,
        commands::reference_data,
        commands::accounts::auth_status,
        commands::accounts::auth_login,
        commands::accounts::auth_logout,
        commands::accounts::setup_init,
        commands::accounts::auth_change_password,
        commands::accounts::users_list,
        commands::accounts::users_add,
        commands::accounts::users_disable,
        commands::accounts::users_enable,
        commands::accounts::users_set_role,
        commands::accounts::agency_get,
        commands::accounts::agency_update,
        commands::accounts::audit_list,
        commands::accounts::audit_verify,
        commands::workers::workers_list,
        commands::workers::workers_get,
        commands::workers::workers_check,
        commands::workers::workers_history,
        commands::workers::workers_audit,
        commands::workers::workers_create,
        commands::workers::workers_update,
        commands::workers::workers_set_status,
        commands::workers::workers_archive,
        commands::workers::workers_restore,
        commands::workers::workers_consent_add,
        commands::workers::workers_consent_withdraw,
        commands::workers::workers_export,
        commands::placement::employers_add,
        commands::placement::employers_list,
        commands::placement::employers_get,
        commands::placement::employers_archive,
        commands::placement::jobs_add,
        commands::placement::jobs_list,
        commands::placement::jobs_get,
        commands::placement::contracts_add,
        commands::placement::contracts_list,
        commands::placement::contracts_get,
        commands::placement::contracts_set_status,
        commands::placement::contracts_register,
        commands::placement::workers_depart,
        commands::placement::workers_return,
        commands::placement::workers_journeys,
        commands::placement::fees_add,
        commands::placement::fees_list,
        commands::placement::fees_totals,
        commands::placement::contracts_attach,
        commands::placement::contracts_attachments,
        commands::placement::attachments_open,
        commands::placement::fees_statement,
        commands::placement::settings_list,
        commands::placement::settings_change,
        commands::training::courses_list,
        commands::training::courses_add,
        commands::training::cohorts_list,
        commands::training::cohorts_get,
        commands::training::cohorts_add,
        commands::training::training_enroll,
        commands::training::training_attend,
        commands::training::training_score,
        commands::certificates::certificates_issue,
        commands::certificates::certificates_list,
        commands::certificates::certificates_get,
        commands::certificates::certificates_revoke,
        commands::certificates::certificates_preview,
        commands::certificates::certificates_print,
        commands::certificates::certificates_print_status,
        commands::certificates::certificates_print_cancel,
        commands::certificates::certificates_verify,
        commands::certificates::certificates_verify_file,
        commands::certificates::certificates_public_key,
        commands::certificates::certificates_trust_key,
        commands::certificates::certificates_config,
        commands::certificates::certificates_config_set,
        commands::sheets::import_preview,
        commands::sheets::import_commit,
        commands::sheets::import_report,
        commands::sheets::import_template,
        commands::sheets::export_workers,
        commands::sheets::export_contracts,
        commands::sheets::export_certificates,
        commands::backup::backup_status,
        commands::backup::backup_create,
        commands::backup::backup_set_folder,
        commands::backup::backup_verify,
        commands::backup::backup_restore,
        commands::backup::backup_recover,
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
            // Scheduled backups (issue 11): daily while the window runs, and on quit.
            let desk = state.desk.clone();
            backup::schedule::start(desk.clone());
            let app = with_commands(tauri::Builder::default())
                .manage(state)
                .build(tauri::generate_context!())
                .map_err(|e| e.to_string())?;
            app.run(move |_, event| {
                if let tauri::RunEvent::Exit = event {
                    backup::schedule::on_quit(&desk);
                }
            });
            return Ok(());
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
