//! User settings kept in the database, so they follow the data directory.

use crate::error::{AppError, Result};
use crate::i18n::Lang;
use crate::store::Store;

const LANGUAGE: &str = "language";

/// The persisted UI language (Uzbek Latin until someone chooses another).
pub async fn language(store: &Store) -> Result<Lang> {
    Ok(store.setting(LANGUAGE).await?.and_then(|l| Lang::parse(&l)).unwrap_or_default())
}

pub async fn set_language(store: &Store, text: &str) -> Result<Lang> {
    let lang =
        Lang::parse(text).ok_or_else(|| AppError::new("language_unknown").on("language").with("language", text))?;
    store.set_setting(LANGUAGE, lang.code()).await?;
    Ok(lang)
}

/// Who is acting, for the status history: the operating-system login until accounts
/// exist (issue 3 replaces this with the signed-in user).
pub fn os_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "desk".to_string())
}
