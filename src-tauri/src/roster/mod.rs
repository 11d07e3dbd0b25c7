//! The roster of outgoing workers: the record, its validation, its pipeline, and the
//! service that the UI commands and the CLI both call.

pub mod consent;
pub mod identity;
pub mod pipeline;
pub mod service;
pub mod status;
pub mod validate;

use serde::{Deserialize, Deserializer, Serialize};

/// A worker as typed into the form or given as JSON to `safar workers add`. Every field is
/// text (numbers are accepted and read as text, as spreadsheets send PINFLs); absent, null
/// and empty all mean "not given". Unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerInput {
    #[serde(deserialize_with = "text")]
    pub last_name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub first_name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub patronymic: Option<String>,
    #[serde(deserialize_with = "text")]
    pub last_name_cyrillic: Option<String>,
    #[serde(deserialize_with = "text")]
    pub first_name_cyrillic: Option<String>,
    #[serde(deserialize_with = "text")]
    pub patronymic_cyrillic: Option<String>,
    #[serde(deserialize_with = "text")]
    pub birth_date: Option<String>,
    #[serde(deserialize_with = "text")]
    pub sex: Option<String>,
    #[serde(deserialize_with = "text")]
    pub pinfl: Option<String>,
    #[serde(deserialize_with = "text")]
    pub passport_number: Option<String>,
    #[serde(deserialize_with = "text")]
    pub passport_issued: Option<String>,
    #[serde(deserialize_with = "text")]
    pub passport_expiry: Option<String>,
    #[serde(deserialize_with = "text")]
    pub phone: Option<String>,
    #[serde(deserialize_with = "text")]
    pub region: Option<String>,
    #[serde(deserialize_with = "text")]
    pub destination_country: Option<String>,
    #[serde(deserialize_with = "text")]
    pub notes: Option<String>,
    /// Required when a worker is added; later consents are recorded on their own.
    pub consent: Option<consent::ConsentInput>,
}

/// Reads a JSON string, number or null as optional text (integers keep every digit).
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        U(u64),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(match Option::<Text>::deserialize(d)? {
        None => None,
        Some(Text::S(s)) => Some(s),
        Some(Text::U(n)) => Some(n.to_string()),
        Some(Text::I(n)) => Some(n.to_string()),
        // A float cannot be trusted to hold a PINFL exactly (3.12E+13): keep it in
        // scientific form so validation refuses it instead of guessing the digits.
        Some(Text::F(n)) => Some(format!("{n:e}")),
        Some(Text::B(b)) => Some(b.to_string()),
    })
}

/// A worker that passed validation: clean, normalised values ready to store.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkerData {
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub last_name_cyrillic: Option<String>,
    pub first_name_cyrillic: Option<String>,
    pub patronymic_cyrillic: Option<String>,
    pub birth_date: String,
    pub sex: String,
    pub pinfl: String,
    pub passport_number: String,
    pub passport_issued: String,
    pub passport_expiry: String,
    /// E.164.
    pub phone: Option<String>,
    /// Region code (ISO 3166-2:UZ without the prefix).
    pub region: String,
    pub destination_country: Option<String>,
    pub notes: Option<String>,
}

impl WorkerData {
    /// Folded last and first name: the key for "possible duplicate" checks.
    pub fn name_key(&self) -> String {
        crate::names::fold(&format!("{} {}", self.last_name, self.first_name))
    }

    /// Sound keys of last and first name: the "possible duplicate" key (with the birth
    /// date), wider than [`Self::name_key`] (Сатвалдиев Уткир = Sotvoldiyev Oʻtkir).
    pub fn sound_key(&self) -> String {
        crate::phonetic::name_key(&self.last_name, &self.first_name)
    }

    /// Lower-case "last first patronymic": the roster's name order.
    pub fn sort_name(&self) -> String {
        crate::names::literal(&format!(
            "{} {} {}",
            self.last_name,
            self.first_name,
            self.patronymic.as_deref().unwrap_or("")
        ))
        .trim()
        .to_string()
    }

    /// Search index entries from the names in both scripts.
    pub fn tokens(&self) -> Vec<crate::names::NameToken> {
        crate::names::tokens(self.all_names())
    }

    /// The sound keys of the words of the names in both scripts ("similar spelling").
    pub fn sounds(&self) -> Vec<String> {
        crate::phonetic::sounds(self.all_names())
    }

    fn all_names(&self) -> impl Iterator<Item = &str> {
        [
            Some(self.last_name.as_str()),
            Some(self.first_name.as_str()),
            self.patronymic.as_deref(),
            self.last_name_cyrillic.as_deref(),
            self.first_name_cyrillic.as_deref(),
            self.patronymic_cyrillic.as_deref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// A stored worker, as the store returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Worker {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub last_name_cyrillic: Option<String>,
    pub first_name_cyrillic: Option<String>,
    pub patronymic_cyrillic: Option<String>,
    pub birth_date: String,
    pub sex: String,
    pub pinfl: String,
    pub passport_number: String,
    pub passport_issued: String,
    pub passport_expiry: String,
    pub phone: Option<String>,
    pub region: String,
    pub destination_country: Option<String>,
    pub notes: Option<String>,
    pub status: String,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl Worker {
    pub fn full_name(&self) -> String {
        [Some(self.last_name.as_str()), Some(self.first_name.as_str()), self.patronymic.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One line of the roster list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct WorkerRow {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub last_name_cyrillic: Option<String>,
    pub first_name_cyrillic: Option<String>,
    pub birth_date: String,
    pub pinfl: String,
    pub passport_number: String,
    pub phone: Option<String>,
    pub region: String,
    pub destination_country: Option<String>,
    pub status: String,
    pub archived_at: Option<String>,
    /// For a name search: how this worker matched, `exact` (the spelling typed), `folded`
    /// (the same word in another spelling or script), `prefix` (a longer word) or
    /// `phonetic` (a similar spelling: the window marks it).
    #[sqlx(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

/// One step of a worker's status history.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    #[sqlx(rename = "from_status")]
    #[serde(rename = "from")]
    pub from_status: Option<String>,
    #[sqlx(rename = "to_status")]
    #[serde(rename = "to")]
    pub to_status: String,
    /// What the clerk typed; for a move the software made, what goes with its code (the
    /// departure date, an archiving clerk's words), often nothing.
    pub reason: String,
    /// A move the software made (`created`, `enrolled`, `certified`, `contract_signed`,
    /// `contract_registered`, `certificate_revoked`, `departed`, `archived`, `restored`,
    /// or a return reason): translated where it is shown, never stored in a language.
    pub reason_code: Option<String>,
}

impl HistoryEntry {
    /// The reason as a reader of `lang` should see it.
    pub fn reason_text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{has, t};
        let Some(code) = self.reason_code.as_deref() else { return self.reason.clone() };
        // A return's reason has its own catalogue (shared with the return form); asking the
        // catalogue keeps the roster from importing placement's table of reasons.
        let returned = format!("return_reason.{code}");
        let key = if has(&returned) { returned } else { format!("history_reason.{code}") };
        let name = if has(&key) { t(lang, &key, &[]) } else { code.to_string() };
        if self.reason.is_empty() {
            name
        } else {
            format!("{name}: {}", self.reason)
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name,
    BirthDate,
    Status,
    Region,
    Created,
    Updated,
}

/// What the roster list shows: search, filters, order and page.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ListQuery {
    pub search: Option<String>,
    pub status: Option<String>,
    pub region: Option<String>,
    pub destination: Option<String>,
    /// `true`: archived workers are listed too (marked); `false`/absent: active ones only.
    pub archived: bool,
    pub sort: SortKey,
    pub desc: bool,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    pub with_total: bool,
}

impl ListQuery {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;
    /// Words a name search may have (more is refused with `search_too_many_words`).
    pub const MAX_SEARCH_WORDS: usize = 12;

    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(Self::DEFAULT_LIMIT).clamp(1, Self::MAX_LIMIT)
    }

    /// Paging deeper than this is refused: nobody pages through 100,000 rows,
    /// and a huge offset would make a search read them all.
    pub const MAX_OFFSET: u32 = 100_000;

    pub fn offset(&self) -> u32 {
        self.offset.unwrap_or(0).min(Self::MAX_OFFSET)
    }
}

/// What a search box text asks for, decided once in the domain so the store only runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// Name words: (folded word, searched as a prefix; its literal form, to rank the same
    /// spelling first; its sound key, for the "similar spelling" tier).
    Names(Vec<(String, String, String)>),
    /// Digits: a PINFL prefix, or phone digits (a suffix of the number, or its start).
    Digits(String),
    /// Two letters and digits: a passport number prefix.
    Passport(String),
}

impl SearchTerm {
    pub fn parse(text: &str) -> Option<SearchTerm> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace() && !"-+()".contains(*c)).collect();
        if compact.is_empty() {
            return None;
        }
        if compact.len() >= 3 && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Some(SearchTerm::Digits(compact));
        }
        let up = compact.to_ascii_uppercase();
        let b = up.as_bytes();
        if b.len() >= 3 && b[..2].iter().all(u8::is_ascii_alphabetic) && b[2..].iter().all(u8::is_ascii_digit) {
            return Some(SearchTerm::Passport(up));
        }
        let words: Vec<(String, String, String)> = crate::names::literal_words(text)
            .into_iter()
            .filter_map(|lit| {
                let token = crate::names::fold(&lit).replace(' ', "");
                let sound = crate::phonetic::sound(&lit);
                (!token.is_empty()).then_some((token, lit, sound))
            })
            .collect();
        (!words.is_empty()).then_some(SearchTerm::Names(words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_json_accepts_numbers_as_text_and_refuses_unknown_fields() {
        let i: WorkerInput = serde_json::from_str(r#"{"pinfl": 31503901234562, "last_name": "A"}"#).expect("parse");
        assert_eq!(i.pinfl.as_deref(), Some("31503901234562"));
        assert!(serde_json::from_str::<WorkerInput>(r#"{"nickname": "x"}"#).is_err());
        let i: WorkerInput = serde_json::from_str(r#"{"pinfl": 3.12e13}"#).expect("parse");
        assert_eq!(i.pinfl.as_deref(), Some("3.12e13"));
    }

    #[test]
    fn search_text_is_classified() {
        assert_eq!(SearchTerm::parse("3150 3901"), Some(SearchTerm::Digits("31503901".into())));
        assert_eq!(SearchTerm::parse("+998 90 123"), Some(SearchTerm::Digits("99890123".into())));
        assert_eq!(SearchTerm::parse("aa 12345"), Some(SearchTerm::Passport("AA12345".into())));
        assert_eq!(
            SearchTerm::parse("Ғуломов Анвар"),
            Some(SearchTerm::Names(vec![
                ("gulomov".into(), "g'ulomov".into(), "halamav".into()),
                ("anvar".into(), "anvar".into(), "anvar".into())
            ]))
        );
        assert_eq!(SearchTerm::parse("  "), None);
    }
}
