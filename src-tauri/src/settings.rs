//! User settings kept in the database, so they follow the data directory.

use crate::audit::{self, Entry};
use crate::clock::stamp;
use crate::error::{AppError, Result};
use crate::i18n::Lang;
use crate::roster::service::Desk;
use crate::store::Store;
use serde_json::json;

const LANGUAGE: &str = "language";

/// The persisted UI language (Uzbek Latin until someone chooses another).
pub async fn language(store: &Store) -> Result<Lang> {
    Ok(store.setting(LANGUAGE).await?.and_then(|l| Lang::parse(&l)).unwrap_or_default())
}

/// Saves the language; the change is audited (by whoever is signed in, or "-" on the
/// sign-in screen).
pub async fn set_language(desk: &Desk, text: &str, actor: &str) -> Result<Lang> {
    let lang =
        Lang::parse(text).ok_or_else(|| AppError::new("language_unknown").on("language").with("language", text))?;
    let before = language(&desk.store).await?;
    if before != lang {
        let mut tx = desk.store.write().await?;
        desk.store.put_setting(&mut tx, LANGUAGE, lang.code()).await?;
        let actor = if actor.is_empty() { "-" } else { actor };
        let entry = Entry::new(&stamp(desk.clock.now()), actor, "settings.language")
            .changes(json!({"language": [before.code(), lang.code()]}));
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
    }
    Ok(lang)
}
