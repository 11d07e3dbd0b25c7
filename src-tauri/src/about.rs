//! What support asks first: the version, when it was built, the schema it brings a database
//! to and where the data lives. The same facts in `safar --version` and the window's About.

use crate::i18n::{t, Lang};
use serde::Serialize;
use std::path::Path;

/// The date this binary was built (UTC, YYYY-MM-DD), from build.rs: `SOURCE_DATE_EPOCH`
/// when the build sets it (scripts/package.sh does), else the day the build script ran.
pub const BUILD_DATE: &str = env!("SAFAR_BUILD_DATE");

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct About {
    pub version: &'static str,
    pub build_date: &'static str,
    /// The newest migration's number: the schema every database this build opens is at.
    pub schema_version: i64,
    pub data_dir: String,
}

impl About {
    pub fn new(data_dir: &Path) -> About {
        About {
            version: env!("CARGO_PKG_VERSION"),
            build_date: BUILD_DATE,
            schema_version: crate::store::schema_version(),
            data_dir: data_dir.display().to_string(),
        }
    }

    /// `Safar 0.1.0` and one labelled line per fact, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let line = |key: &str, value: &dyn std::fmt::Display| format!("{}: {value}", t(lang, key, &[]));
        [
            format!("Safar {}", self.version),
            line("about.build_date", &self.build_date),
            line("about.schema", &self.schema_version),
            line("about.data_dir", &self.data_dir),
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_about_text_names_version_build_date_schema_and_data_folder_in_every_language() {
        let about = About::new(Path::new("/srv/safar-data"));
        assert_eq!(about.schema_version, crate::store::schema_version());
        assert!(about.schema_version >= 7, "the schema is the newest migration's number");
        assert_eq!(about.build_date.len(), 10, "YYYY-MM-DD: {}", about.build_date);
        for lang in [Lang::UzLatn, Lang::UzCyrl, Lang::Ru, Lang::En] {
            let text = about.text(lang);
            assert!(text.starts_with(&format!("Safar {}\n", env!("CARGO_PKG_VERSION"))), "{text}");
            assert!(text.contains(about.build_date) && text.contains("/srv/safar-data"), "{text}");
            assert!(!text.contains("about."), "every label is translated: {text}");
        }
        assert!(about.text(Lang::En).contains("Database schema: "));
    }
}
