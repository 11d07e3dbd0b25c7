//! User settings kept in the database, so they follow the data directory.

use crate::audit::{self, Entry};
use crate::clock::stamp;
use crate::desk::Desk;
use crate::error::{AppError, Result};
use crate::i18n::Lang;
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

/// The settings an admin may change, with their defaults: the passport margin per
/// destination (`passport_margin_months.KR`), and the consulting-fee cap in base
/// calculation values with the value itself in soʻm.
pub const TUNABLE: &[(&str, i64, i64, i64)] = &[
    // (key or key prefix, default, min, max)
    ("passport_margin_months.", 6, 0, 24),
    ("consulting_cap_bcv", 2, 0, 100),
    ("base_calculation_value_uzs", 375_000, 1, 100_000_000),
];

fn tunable(key: &str) -> Option<(i64, i64, i64)> {
    TUNABLE.iter().find_map(|(k, d, lo, hi)| {
        let fits = if k.ends_with('.') {
            key.strip_prefix(k).is_some_and(|cc| crate::places::find_country(cc).is_some() && cc.len() == 2)
        } else {
            key == *k
        };
        fits.then_some((*d, *lo, *hi))
    })
}

/// Changes a tunable setting (whole numbers within its range); audited with before/after.
pub async fn change(desk: &Desk, key: &str, value: &str, actor: &str) -> Result<i64> {
    let key = key.trim();
    let Some((default, lo, hi)) = tunable(key) else {
        return Err(AppError::new("setting_unknown").on("key").with("key", key));
    };
    let n: i64 = value
        .trim()
        .parse()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| AppError::new("number_invalid").on("value").with("min", lo).with("max", hi))?;
    let before = desk.store.setting(key).await?.and_then(|v| v.parse::<i64>().ok()).unwrap_or(default);
    let mut tx = desk.store.write().await?;
    desk.store.put_setting(&mut tx, key, &n.to_string()).await?;
    let entry = Entry::new(&stamp(desk.clock.now()), actor, "settings.change").changes(json!({key: [before, n]}));
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(n)
}

/// Every tunable setting with its current value (per-country margins that were set).
pub async fn list(desk: &Desk) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for (k, d, _, _) in TUNABLE {
        if k.ends_with('.') {
            out.push((format!("{k}*"), *d));
            for (key, value) in desk.store.settings_with_prefix(k).await? {
                out.push((key, value.parse().unwrap_or(*d)));
            }
        } else {
            let v = desk.store.setting(k).await?.and_then(|v| v.parse().ok()).unwrap_or(*d);
            out.push((k.to_string(), v));
        }
    }
    Ok(out)
}
