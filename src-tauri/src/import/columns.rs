//! Which column holds which field: headers matched against the alias table
//! (`data/import-columns.tsv`) after folding, then the user's corrections on top.

use super::read::{Cell, Row};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The fields an import fills, in template order.
pub const FIELDS: &[&str] = &[
    "last_name",
    "first_name",
    "patronymic",
    "last_name_cyrillic",
    "first_name_cyrillic",
    "patronymic_cyrillic",
    "birth_date",
    "sex",
    "pinfl",
    "passport_number",
    "passport_issued",
    "passport_expiry",
    "phone",
    "region",
    "destination_country",
    "notes",
    "consent_given_on",
    "consent_valid_until",
];

/// A header folded for comparison: lower case, ё→е, letters and digits only.
pub fn header_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        // Apostrophe look-alikes are modifier *letters* in Unicode (ʻ ʼ); they go too.
        .filter(|c| c.is_alphanumeric() && !matches!(c, 'ʻ' | 'ʼ' | 'ʹ' | 'ʽ' | 'ˈ'))
        .collect()
}

/// Words that say nothing about which field a header means ("Passport expiry date",
/// "Passport No.", "№ паспорта", "Tugʻilgan sanasi"): dropped before comparing word sets.
const NOISE: &[&str] = &[
    "date", "dates", "no", "nr", "num", "number", "of", "the", "sana", "sanasi", "raqam", "raqami", "data", "nomer",
    "n",
];

/// A header as a set of words, for the second, looser comparison: lower case, Cyrillic
/// written in Latin by the official table (either script), apostrophes dropped, doubled
/// letters single (passport / pasport), noise words out, sorted: "Passport expiry date",
/// "Expiry date (passport)" and "PASSPORT EXPIRY" all give `expiry pasport`.
pub fn words_key(text: &str) -> String {
    let latin = crate::names::cyrillic_to_latin(&text.to_lowercase().replace('ё', "е"));
    let mut words: Vec<String> = latin
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, 'ʻ' | 'ʼ' | '\'' | '`' | '‘' | '’')))
        .map(|w| {
            let mut out = String::new();
            for c in w.chars().filter(|c| c.is_alphanumeric()) {
                if !out.ends_with(c) {
                    out.push(c);
                }
            }
            out
        })
        .filter(|w| !w.is_empty() && !NOISE.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words.join(" ")
}

/// Word-set key → field, for the aliases and labels whose word sets name one field only.
fn word_aliases() -> &'static BTreeMap<String, Option<&'static str>> {
    static TABLE: OnceLock<BTreeMap<String, Option<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: BTreeMap<String, Option<&'static str>> = BTreeMap::new();
        for (alias, field) in alias_list() {
            let key = words_key(&alias);
            if key.is_empty() {
                continue;
            }
            // Two fields under one word set: neither, rather than a guess.
            let slot = map.entry(key).or_insert(Some(field));
            if *slot != Some(field) {
                *slot = None;
            }
        }
        map
    })
}

/// Every alias and label with its field, table first.
fn alias_list() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for line in include_str!("../../data/import-columns.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(2, '\t');
        let (Some(field), Some(list)) = (parts.next(), parts.next()) else { continue };
        let Some(field) = FIELDS.iter().find(|f| **f == field.trim()) else { continue };
        out.extend(list.split('|').map(|alias| (alias.to_string(), *field)));
    }
    // The app's own labels in every language, so a template or an export made in any of
    // them reads back (the table above wins where a label is ambiguous).
    for lang in crate::i18n::Lang::ALL {
        for field in FIELDS.iter().filter(|f| !f.starts_with("consent_")) {
            out.push((crate::i18n::t(lang, &format!("fields.{field}"), &[]), *field));
        }
    }
    out
}

fn aliases() -> &'static BTreeMap<String, &'static str> {
    static TABLE: OnceLock<BTreeMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        for (alias, field) in alias_list() {
            map.entry(header_key(&alias)).or_insert(field);
        }
        map
    })
}

/// The field a header names: the alias table's spelling first, then the same words in
/// any order, case, punctuation or script, without "date", "No", "№", "number".
pub fn field_for(header: &str) -> Option<&'static str> {
    aliases().get(&header_key(header)).copied().or_else(|| word_aliases().get(&words_key(header)).copied().flatten())
}

/// The header among `headers` most like one of `field`'s aliases (the most words in
/// common), for the `--map` a report suggests when the field has no column.
pub fn closest_header<'a>(field: &str, headers: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<Vec<String>> = alias_list()
        .into_iter()
        .filter(|(_, f)| *f == field)
        .map(|(a, _)| words_key(&a).split(' ').map(str::to_string).collect())
        .collect();
    headers
        .into_iter()
        .filter_map(|h| {
            let key = words_key(h);
            let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
            let best = wanted.iter().map(|a| words.iter().filter(|w| a.iter().any(|x| x == *w)).count()).max()?;
            (best > 0).then_some((best, h))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, h)| h)
}

/// A spreadsheet's letter for a column index (0 → A, 26 → AA).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.trim().to_string(),
        Cell::Int(n) => n.to_string(),
        Cell::Number(f) => f.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Bool(b) => b.to_string(),
    }
}

/// The header row: among the first ten rows, the one naming the most known fields (a
/// sheet often starts with a title line).
pub fn header_row(rows: &[Row]) -> usize {
    let mut best = (0usize, 0usize);
    for (i, row) in rows.iter().take(10).enumerate() {
        let known = row.cells.iter().filter(|c| field_for(&cell_text(c)).is_some()).count();
        if known > best.1 {
            best = (i, known);
        }
    }
    best.0
}

/// One column of the file and the field it fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub index: usize,
    pub header: String,
    pub field: Option<String>,
}

/// Columns mapped from headers, with the user's `field → header` choices applied
/// (an empty header unmaps the field). Returns the columns and the choices that named no
/// column.
pub fn map_columns(headers: &[String], choices: &BTreeMap<String, String>) -> (Vec<Column>, Vec<String>) {
    let mut cols: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(index, h)| Column { index, header: h.clone(), field: field_for(h).map(str::to_string) })
        .collect();
    let mut unmatched = Vec::new();
    for (field, header) in choices {
        if !FIELDS.contains(&field.as_str()) {
            unmatched.push(field.clone());
            continue;
        }
        for c in cols.iter_mut().filter(|c| c.field.as_deref() == Some(field)) {
            c.field = None;
        }
        if header.trim().is_empty() {
            continue;
        }
        // A header by its text (folded), or a column by its letter or number.
        let key = header_key(header);
        let pos = cols
            .iter()
            .position(|c| header_key(&c.header) == key)
            .or_else(|| column_index(header).filter(|i| *i < cols.len()));
        match pos {
            Some(i) => cols[i].field = Some(field.clone()),
            None => unmatched.push(field.clone()),
        }
    }
    // A field named by two columns: the first one wins, the other is reported unknown.
    let mut seen = std::collections::HashSet::new();
    for c in cols.iter_mut() {
        if let Some(f) = &c.field {
            if !seen.insert(f.clone()) {
                c.field = None;
            }
        }
    }
    (cols, unmatched)
}

/// Fields a file must give a column for (one of the two last names, checked apart).
pub const REQUIRED: &[&str] = &["pinfl", "passport_number", "passport_issued", "passport_expiry", "region"];

/// One column as a report shows it: its letter, its header, the field it fills (`None`:
/// not imported).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportColumn {
    pub column: String,
    pub header: String,
    pub field: Option<String>,
}

/// A required field without a column, and the `--map` that would give it one (the closest
/// unmapped header, else a column letter to fill in).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingField {
    pub field: String,
    pub map: String,
}

/// The mapping as a report shows it: every column with a header or a field, and every
/// required field left without a column.
pub fn report(cols: &[Column]) -> (Vec<ReportColumn>, Vec<MissingField>) {
    let shown = cols
        .iter()
        .filter(|c| !c.header.trim().is_empty() || c.field.is_some())
        .map(|c| ReportColumn { column: column_letter(c.index), header: c.header.clone(), field: c.field.clone() })
        .collect();
    let has = |f: &str| cols.iter().any(|c| c.field.as_deref() == Some(f));
    let free: Vec<&str> =
        cols.iter().filter(|c| c.field.is_none() && !c.header.trim().is_empty()).map(|c| c.header.as_str()).collect();
    let mut missing: Vec<&str> = REQUIRED.iter().copied().filter(|f| !has(f)).collect();
    if !has("last_name") && !has("last_name_cyrillic") {
        missing.insert(0, "last_name");
    }
    let missing = missing
        .into_iter()
        .map(|field| {
            let target = closest_header(field, free.iter().copied())
                .map(|h| format!("\"{}\"", h.replace('"', "\\\"")))
                .unwrap_or_else(|| "COLUMN".to_string());
            MissingField { field: field.to_string(), map: format!("--map {field}={target}") }
        })
        .collect();
    (shown, missing)
}

/// The mapping as the command line prints it, in `lang`: one line per column (letter,
/// header, the field or "not imported"), then each missing field with its `--map`.
pub fn report_text(columns: &[ReportColumn], missing: &[MissingField], lang: crate::i18n::Lang) -> Vec<String> {
    use crate::i18n::t;
    let mut lines = vec![t(lang, "import_columns.heading", &[])];
    for c in columns {
        let field = match &c.field {
            Some(f) => format!("{} ({f})", crate::error::field_label(lang, f)),
            None => t(lang, "import_columns.not_imported", &[]),
        };
        lines.push(format!("  {:>3}  {} → {field}", c.column, c.header));
    }
    for m in missing {
        let field = crate::error::field_label(lang, &m.field);
        lines.push(format!("  ! {}", t(lang, "import_columns.missing", &[("field", field), ("map", m.map.clone())])));
    }
    lines
}

/// `C` → 2, `3` → 2 (columns as a spreadsheet or a person counts them).
fn column_index(text: &str) -> Option<usize> {
    let t = text.trim();
    if let Ok(n) = t.parse::<usize>() {
        return n.checked_sub(1);
    }
    if t.len() <= 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let n = t.to_ascii_uppercase().bytes().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
        return n.checked_sub(1);
    }
    None
}

/// The shape of a file for reusing a saved mapping: its folded headers in order.
pub fn shape(headers: &[String]) -> String {
    headers.iter().map(|h| header_key(h)).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_four_languages_and_their_spellings() {
        for (h, f) in [
            ("Familiya", "last_name"),
            ("Фамилия", "last_name"),
            ("Фамилияси", "last_name"),
            ("Last name", "last_name"),
            ("SURNAME", "last_name"),
            ("JSHSHIR", "pinfl"),
            ("ЖШШИР", "pinfl"),
            ("ПИНФЛ", "pinfl"),
            ("PINFL", "pinfl"),
            ("Tugʻilgan sana", "birth_date"),
            ("Tug'ilgan  sana", "birth_date"),
            ("tugilgan_sana", "birth_date"),
            ("Туғилган санаси", "birth_date"),
            ("Дата рождения", "birth_date"),
            ("Date of birth", "birth_date"),
            ("Date-of-Birth:", "birth_date"),
            ("Pasport amal qilish muddati", "passport_expiry"),
            ("Отчество", "patronymic"),
            ("Пол", "sex"),
            ("Jinsi", "sex"),
            ("Страна", "destination_country"),
            ("Mamlakat", "destination_country"),
            ("Izoh", "notes"),
        ] {
            assert_eq!(field_for(h), Some(f), "{h}");
        }
        assert_eq!(field_for("defect"), None);
    }

    #[test]
    fn headers_match_by_their_words_in_any_order_case_or_script() {
        for (h, f) in [
            ("Passport expiry date", "passport_expiry"),
            ("PASSPORT EXPIRY DATE", "passport_expiry"),
            ("Expiry date, passport", "passport_expiry"),
            ("Passport No.", "passport_number"),
            ("Passport number", "passport_number"),
            ("№ паспорта", "passport_number"),
            ("Number of passport", "passport_number"),
            ("Passport issue date", "passport_issued"),
            ("Issue date of passport", "passport_issued"),
            ("Birth date", "birth_date"),
            ("Date of Birth", "birth_date"),
            ("Phone No", "phone"),
            ("Phone number:", "phone"),
            ("Паспорт амал қилиш муддати", "passport_expiry"),
            ("Pasport amal qilish muddati sanasi", "passport_expiry"),
            ("Tugʻilgan kuni sanasi", "birth_date"),
        ] {
            assert_eq!(field_for(h), Some(f), "{h} ({})", words_key(h));
        }
        // Noise words alone name nothing.
        for h in ["Date", "No", "№", "Number", "#"] {
            assert_eq!(field_for(h), None, "{h}");
        }
    }

    #[test]
    fn a_missing_field_suggests_the_closest_unmapped_header() {
        let headers = ["Comment", "Passport valid thru", "Region"];
        assert_eq!(closest_header("passport_expiry", headers), Some("Passport valid thru"));
        assert_eq!(closest_header("pinfl", headers), None);
        assert_eq!((column_letter(0), column_letter(25), column_letter(26)), ("A".into(), "Z".into(), "AA".into()));
    }

    #[test]
    fn the_users_choices_override_and_unmap() {
        let headers: Vec<String> =
            ["Familiya", "Ism", "Telefon raqam 2", "Izoh"].iter().map(|s| s.to_string()).collect();
        let mut choices = BTreeMap::new();
        choices.insert("phone".to_string(), "telefon raqam 2".to_string());
        choices.insert("notes".to_string(), String::new());
        choices.insert("first_name".to_string(), "A".to_string());
        choices.insert("nickname".to_string(), "Ism".to_string());
        let (cols, unmatched) = map_columns(&headers, &choices);
        let fields: Vec<Option<&str>> = cols.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(fields, vec![Some("first_name"), None, Some("phone"), None]);
        assert_eq!(unmatched, vec!["nickname".to_string()]);
    }
}
