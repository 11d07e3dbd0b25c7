//! Pre-departure certificates: numbered without gaps inside the issuing transaction, signed
//! with the agency's Ed25519 key, printed as PDF with a QR code, revocable with a reason,
//! and verifiable offline by anyone holding the agency's public key.

pub mod pdf;
pub mod print;
pub mod qr;
pub mod service;
pub mod signing;

use crate::desk::Desk;
use crate::error::{AppError, Result};

/// Text settings of the certificate, changed with `settings set` or on the agency screen.
pub const PREFIX_KEY: &str = "certificate_prefix";
pub const SIGNATORY_KEY: &str = "certificate_signatory";
pub const TITLE_KEY: &str = "certificate_signatory_title";
pub const LOGO_KEY: &str = "certificate_logo";
pub const DEFAULT_PREFIX: &str = "SFR";
/// The logo, copied into the data directory so the certificate does not depend on a path
/// that may move.
use crate::files::LOGO_MAX;

/// The certificate's settings as they are now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub prefix: String,
    pub signatory: String,
    pub signatory_title: String,
    pub logo: bool,
}

/// Checks a text setting of the certificate; `Ok(None)` when `key` is not one.
pub fn check_text_setting(key: &str, value: &str) -> Result<Option<String>> {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match key {
        PREFIX_KEY => {
            let v = v.to_ascii_uppercase();
            // `SFR1` starts the signed record that `verify` looks for in a PDF.
            let ok = (2..=8).contains(&v.len())
                && v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && !v.contains(signing::PREFIX);
            if !ok {
                return Err(AppError::new("prefix_invalid").on("value"));
            }
            Ok(Some(v))
        }
        SIGNATORY_KEY | TITLE_KEY => {
            if v.is_empty() || v.chars().count() > 120 {
                return Err(AppError::new("required").on("value"));
            }
            Ok(Some(v))
        }
        _ => Ok(None),
    }
}

impl Desk {
    pub async fn certificate_config(&self) -> Result<Config> {
        let agency = self.store.agency().await?;
        let director = agency.map(|a| a.director).unwrap_or_default();
        Ok(Config {
            prefix: self.store.setting(PREFIX_KEY).await?.unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
            signatory: self.store.setting(SIGNATORY_KEY).await?.unwrap_or(director),
            signatory_title: self.store.setting(TITLE_KEY).await?.unwrap_or_else(|| "Direktor / Director".to_string()),
            logo: self.dir().logo().exists(),
        })
    }

    /// Changes one of the certificate's settings (prefix, signatory, title, logo file).
    pub async fn set_certificate_setting(&self, key: &str, value: &str, actor: &str) -> Result<Config> {
        let key = key.trim();
        if key == LOGO_KEY {
            self.set_logo(value, actor).await?;
            return self.certificate_config().await;
        }
        let Some(clean) = check_text_setting(key, value)? else {
            return Err(AppError::new("setting_unknown").on("key").with("key", key));
        };
        let before = self.store.setting(key).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        self.store.put_setting(&mut tx, key, &clean).await?;
        let entry =
            crate::audit::Entry::new(&now, actor, "settings.change").changes(serde_json::json!({key: [before, clean]}));
        crate::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        self.certificate_config().await
    }

    /// Sets (or with an empty value removes) the certificate's logo from a PNG file.
    pub async fn set_logo(&self, path: &str, actor: &str) -> Result<bool> {
        let target = self.dir().logo();
        let path = path.trim();
        if path.is_empty() || path.eq_ignore_ascii_case("none") {
            if target.exists() {
                std::fs::remove_file(&target)?;
            }
        } else {
            let bytes = crate::files::read_bounded(std::path::Path::new(path), LOGO_MAX, "value", || {
                AppError::new("logo_too_big").on("value").with("max", crate::files::size_text(LOGO_MAX))
            })?;
            if pdf::Logo::from_png(&bytes).is_none() {
                return Err(AppError::new("logo_not_png").on("value"));
            }
            let tmp = target.with_extension("tmp");
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &target)?;
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let entry = crate::audit::Entry::new(&now, actor, "settings.change")
            .changes(serde_json::json!({LOGO_KEY: target.exists()}));
        crate::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(target.exists())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_short_capitals_and_never_the_record_marker() {
        assert_eq!(check_text_setting(PREFIX_KEY, " xba ").expect("ok"), Some("XBA".into()));
        for bad in ["X", "TOOLONGPREFIX", "AB-1", "SFR1", "ASFR12"] {
            assert_eq!(check_text_setting(PREFIX_KEY, bad).expect_err(bad).code, "prefix_invalid", "{bad}");
        }
        assert_eq!(check_text_setting("language", "en").expect("not ours"), None);
    }
}
