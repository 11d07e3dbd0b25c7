//! Translations. The UI's `ui/i18n/*.json` files are the one catalogue: the Rust core
//! compiles them in and uses the `errors`, `fields`, `status`, `sex` and `cli` sections, so
//! an error reads the same in the window and on the command line.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "uz-Latn")]
    UzLatn,
    #[serde(rename = "uz-Cyrl")]
    UzCyrl,
    #[serde(rename = "ru")]
    Ru,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::UzLatn, Lang::UzCyrl, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::UzLatn => "uz-Latn",
            Lang::UzCyrl => "uz-Cyrl",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Accepts the codes and the common ways people write them (`uz`, `uz-cyrl`, `RU`).
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "uz-latn" | "uz" | "uzb" => Some(Lang::UzLatn),
            "uz-cyrl" | "uzc" => Some(Lang::UzCyrl),
            "ru" | "rus" => Some(Lang::Ru),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

fn catalogues() -> &'static [Value; 4] {
    static C: OnceLock<[Value; 4]> = OnceLock::new();
    C.get_or_init(|| {
        // Compiled-in files; a broken file is caught by the key-set test, and at run time
        // falls back to showing keys rather than crashing a clerk's session.
        let parse = |s: &str| serde_json::from_str(s).unwrap_or(Value::Null);
        [
            parse(include_str!("../../ui/i18n/uz-Latn.json")),
            parse(include_str!("../../ui/i18n/uz-Cyrl.json")),
            parse(include_str!("../../ui/i18n/ru.json")),
            parse(include_str!("../../ui/i18n/en.json")),
        ]
    })
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let mut node = &catalogues()[lang.index()];
    for part in key.split('.') {
        node = node.get(part)?;
    }
    node.as_str()
}

/// The text for `key` (dotted path) in `lang`, falling back to Uzbek Latin, then to the key.
/// `{name}` placeholders are filled from `params`.
pub fn t(lang: Lang, key: &str, params: &[(&str, String)]) -> String {
    let template = lookup(lang, key).or_else(|| lookup(Lang::UzLatn, key)).unwrap_or(key);
    let mut out = template.to_string();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A date as the reader of `lang` writes it: 17.05.2024 in Uzbek and Russian, 17 May 2024
/// in English (the window's ui/lib/dates.js does the same: an English reader would take
/// 05/07 either way round, a month's name only one); anything that is not a YYYY-MM-DD date
/// as it is. The one date formatter of the core: messages and the CLI's text output.
pub fn format_date(lang: Lang, text: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let b = text.as_bytes();
    let iso = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !iso {
        return text.to_string();
    }
    let (y, m, d) = (&text[..4], &text[5..7], &text[8..]);
    match (lang, m.parse::<usize>()) {
        (Lang::En, Ok(month @ 1..=12)) => format!("{} {} {y}", d.trim_start_matches('0'), MONTHS[month - 1]),
        (Lang::En, _) => text.to_string(),
        _ => format!("{d}.{m}.{y}"),
    }
}

/// The parameters of a message with their dates written as `lang` writes them.
pub fn dated(lang: Lang, params: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    params.iter().map(|(k, v)| (*k, format_date(lang, v))).collect()
}

/// True when `key` exists in the catalogue (used to tell translated codes from raw ones).
pub fn has(key: &str) -> bool {
    lookup(Lang::UzLatn, key).is_some()
}

#[cfg(test)]
pub(crate) fn flat_keys(lang: Lang) -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, prefix: String, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    walk(v, format!("{prefix}{k}."), out);
                }
            }
            _ => {
                out.insert(prefix.trim_end_matches('.').to_string());
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(&catalogues()[lang.index()], String::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_languages_have_identical_key_sets() {
        let base = flat_keys(Lang::En);
        assert!(base.len() > 50, "en.json looks empty: {} keys", base.len());
        for lang in Lang::ALL {
            let keys = flat_keys(lang);
            let missing: Vec<_> = base.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&base).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(extra.is_empty(), "{} has extra {extra:?}", lang.code());
        }
    }

    #[test]
    fn every_placeholder_survives_translation() {
        for key in flat_keys(Lang::En) {
            let en = t(Lang::En, &key, &[]);
            let wanted: Vec<&str> = en.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
            for lang in Lang::ALL {
                let text = t(lang, &key, &[]);
                for p in &wanted {
                    assert!(text.contains(&format!("{{{p}}}")), "{} {key} lacks {{{p}}}", lang.code());
                }
            }
        }
    }

    #[test]
    fn dates_in_messages_are_written_as_each_language_writes_them() {
        assert_eq!(format_date(Lang::Ru, "2026-05-07"), "07.05.2026");
        assert_eq!(format_date(Lang::UzCyrl, "2026-05-07"), "07.05.2026");
        assert_eq!(format_date(Lang::En, "2026-05-07"), "7 May 2026");
        assert_eq!(format_date(Lang::En, "AA1234567"), "AA1234567");
        assert_eq!(format_date(Lang::Ru, "2026-5-07"), "2026-5-07");
    }

    #[test]
    fn placeholders_are_filled_and_missing_keys_fall_back() {
        assert_eq!(t(Lang::En, "errors.too_long", &[("max", "100".into())]), "is too long (at most 100 characters)");
        assert_eq!(t(Lang::Ru, "no.such.key", &[]), "no.such.key");
        assert_eq!(Lang::parse("UZ_cyrl"), Some(Lang::UzCyrl));
        assert_eq!(Lang::parse("de"), None);
    }
}
