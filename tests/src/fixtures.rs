//! Test data and the UI's translations.

use serde_json::Value;

use crate::repo_root;

/// The agency every initialised data directory is set up for (`safar init`).
pub const AGENCY_NAME: &str = "Safar Xususiy bandlik agentligi";
pub const AGENCY_LICENCE: &str = "XBA-0042";
pub const AGENCY_LICENCE_DATE: &str = "2025-02-01";
pub const AGENCY_ADDRESS: &str = "Toshkent";
pub const AGENCY_DIRECTOR: &str = "Karimov Anvar";

/// The first administrator of an initialised data directory. His full name defaults to
/// the director's.
pub const ADMIN_LOGIN: &str = "admin";
pub const ADMIN_NAME: &str = AGENCY_DIRECTOR;
pub const ADMIN_PASSWORD: &str = "e2e-Admin-parol-2026";

/// The UI languages, in the order of the language menu.
pub const LANGUAGES: [&str; 4] = ["uz-Latn", "uz-Cyrl", "ru", "en"];

/// `ui/i18n/<lang>.json`, read at test time.
pub fn i18n(lang: &str) -> Value {
    let path = repo_root().join("ui/i18n").join(format!("{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// The translation of a dotted key (`errors.pinfl_checksum`) in `lang`.
pub fn tr(lang: &str, key: &str) -> String {
    let dict = i18n(lang);
    let mut node = &dict;
    for part in key.split('.') {
        node = node.get(part).unwrap_or_else(|| panic!("ui/i18n/{lang}.json has no key `{key}`"));
    }
    node.as_str().unwrap_or_else(|| panic!("ui/i18n/{lang}.json: `{key}` is not a string")).to_string()
}

/// The longest literal piece of a message template (`"at most {max} characters"` →
/// `" characters"`… trimmed), to look for in a rendered message.
pub fn literal_part(template: &str) -> String {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in template.chars() {
        match c {
            '{' => {
                depth += 1;
                pieces.push(std::mem::take(&mut current));
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => current.push(c),
            _ => {}
        }
    }
    pieces.push(current);
    pieces.into_iter().map(|p| p.trim().to_string()).max_by_key(|p| p.chars().count()).unwrap_or_default()
}

/// A valid PINFL: `sex_century` is 3/4 (male/female, 1900s) or 5/6 (2000s), then the
/// birth date as DDMMYY, 6 more digits from `serial`, and the check digit (Σ d_i × w_i
/// mod 10 with weights 7,3,1 repeating).
pub fn pinfl(sex_century: u8, day: u8, month: u8, year: u16, serial: u32) -> String {
    let body = format!("{sex_century}{day:02}{month:02}{:02}{:06}", year % 100, serial % 1_000_000);
    assert_eq!(body.len(), 13);
    format!("{body}{}", pinfl_check_digit(&body))
}

/// The check digit of the first 13 digits of a PINFL.
pub fn pinfl_check_digit(first13: &str) -> u32 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    first13.chars().enumerate().map(|(i, c)| c.to_digit(10).expect("digit") * WEIGHTS[i % 3]).sum::<u32>() % 10
}

/// The fields of a worker form, by `field-<name>` suffix.
#[derive(Debug, Clone)]
pub struct WorkerForm {
    pub fields: Vec<(&'static str, String)>,
}

impl WorkerForm {
    /// Anvar Gʻulomov, PINFL 31503901234562 (male, 1990-03-15), Andijan → Korea.
    pub fn gulomov() -> WorkerForm {
        WorkerForm {
            fields: vec![
                ("pinfl", "31503901234562".into()),
                ("last_name", "Gʻulomov".into()),
                ("first_name", "Anvar".into()),
                ("patronymic", "Shavkat oʻgʻli".into()),
                ("birth_date", "1990-03-15".into()),
                ("sex", "M".into()),
                ("passport_number", "AA1234567".into()),
                ("passport_issued", "2020-01-10".into()),
                ("passport_expiry", "2030-01-09".into()),
                ("phone", "90 123 45 67".into()),
                ("region", "AN".into()),
                ("destination_country", "KR".into()),
            ],
        }
    }

    /// Returns the form with `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: &str) -> WorkerForm {
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.fields.push((name, value.to_string())),
        }
        self
    }

    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pinfls_match_the_known_valid_ones() {
        assert_eq!(pinfl(3, 15, 3, 1990, 123_456), "31503901234562");
        assert_eq!(pinfl(4, 2, 7, 1995, 45_001), "40207950450011");
        assert_eq!(pinfl(5, 11, 1, 2002, 301_234), "51101023012349");
        assert_eq!(pinfl_check_digit("3150390123456"), 2);
    }

    #[test]
    fn literal_part_skips_placeholders() {
        assert_eq!(literal_part("is too long (at most {max} characters)"), "is too long (at most");
        assert_eq!(literal_part("plain"), "plain");
    }
}
