//! Safar: the desk of a licensed private employment agency.
//!
//! Layers: `commands` (Tauri adapters) and `cli` drive the domain services (`roster`),
//! which use `store` for every SQL statement. See docs/api.md for the IPC contract.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod names;
pub mod places;
pub mod reference;
pub mod roster;
pub mod settings;
pub mod store;

use clock::SystemClock;
use error::Result;
use i18n::Lang;
use roster::service::Desk;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use store::Store;

/// What every command can reach: the services, the language and who is acting.
pub struct AppState {
    pub desk: Desk,
    pub data_dir: PathBuf,
    pub actor: String,
    lang: RwLock<Lang>,
}

impl AppState {
    pub fn new(desk: Desk, data_dir: PathBuf, lang: Lang, actor: String) -> AppState {
        AppState { desk, data_dir, actor, lang: RwLock::new(lang) }
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
    Ok(AppState::new(desk, data_dir.to_path_buf(), lang, settings::os_actor()))
}

/// Registers Safar's commands on any runtime, so tests can use the mock runtime.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::settings_get,
        commands::settings_set_language,
        commands::reference_data,
        commands::workers_list,
        commands::workers_get,
        commands::workers_check,
        commands::workers_create,
        commands::workers_update,
        commands::workers_set_status,
        commands::workers_archive,
        commands::workers_restore,
        commands::workers_history,
    ])
}

/// Opens the window on the roster.
pub fn run(data_dir: PathBuf) -> std::result::Result<(), String> {
    let state = tauri::async_runtime::block_on(open_state(&data_dir)).map_err(|e| e.message(Lang::default()))?;
    with_commands(tauri::Builder::default()).manage(state).run(tauri::generate_context!()).map_err(|e| e.to_string())
}
