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

fn aliases() -> &'static BTreeMap<String, &'static str> {
    static TABLE: OnceLock<BTreeMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        for line in include_str!("../../data/import-columns.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.splitn(2, '\t');
            let (Some(field), Some(list)) = (parts.next(), parts.next()) else { continue };
            let Some(field) = FIELDS.iter().find(|f| **f == field.trim()) else { continue };
            for alias in list.split('|') {
                map.entry(header_key(alias)).or_insert(*field);
            }
        }
        // The app's own labels in every language, so a template or an export made in any
        // of them reads back (the table above wins where a label is ambiguous).
        for lang in crate::i18n::Lang::ALL {
            for field in FIELDS.iter().filter(|f| !f.starts_with("consent_")) {
                let label = crate::i18n::t(lang, &format!("fields.{field}"), &[]);
                map.entry(header_key(&label)).or_insert(*field);
            }
        }
        map
    })
}

/// The field a header names, if the alias table knows it.
pub fn field_for(header: &str) -> Option<&'static str> {
    aliases().get(&header_key(header)).copied()
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
