//! Values as people type them into spreadsheets, turned into the text the roster's
//! validator reads: dates in every usual form (ambiguous ones refused, never guessed),
//! PINFLs and phones that Excel turned into numbers (recovered only when exact), and
//! names given only in Cyrillic (transliterated, flagged for review).

use super::read::{excel_serial_date, Cell};
use crate::error::Problem;
use crate::names;
use crate::roster::consent::ConsentInput;
use crate::roster::WorkerInput;
use chrono::NaiveDate;

/// How a column writes `a/b/yyyy` dates, learnt from its unambiguous values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlashOrder {
    /// No value told (every one had both parts ≤ 12).
    #[default]
    Unknown,
    DayFirst,
    MonthFirst,
    /// Both orders were seen: every ambiguous value is refused.
    Mixed,
}

impl SlashOrder {
    pub fn learn(self, text: &str) -> SlashOrder {
        let Some((a, b, _, sep)) = split_date(text) else { return self };
        if sep == '.' {
            return self;
        }
        let seen = if a > 12 && b <= 12 {
            SlashOrder::DayFirst
        } else if b > 12 && a <= 12 {
            SlashOrder::MonthFirst
        } else {
            return self;
        };
        match self {
            SlashOrder::Unknown => seen,
            s if s == seen => s,
            _ => SlashOrder::Mixed,
        }
    }
}

/// `d.m.yyyy`, `d/m/yyyy`, `d-m-yyyy` → (first, second, year, separator); years of two
/// digits come back as < 100.
fn split_date(text: &str) -> Option<(u32, u32, i32, char)> {
    let t = text.trim();
    let sep = t.chars().find(|c| matches!(c, '.' | '/' | '-'))?;
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3 || parts[0].len() > 2 || parts[1].len() > 2 || !(parts[2].len() == 4 || parts[2].len() == 2) {
        return None;
    }
    if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some((parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?, sep))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A date cell → `YYYY-MM-DD`, or the code of why not. Text that looks like no date is
/// passed on for the validator to refuse with its usual message.
pub fn date_value(cell: &Cell, order: SlashOrder, date1904: bool) -> Result<Option<String>, &'static str> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(iso(*d))),
        Cell::Int(n) => excel_serial_date(*n as f64, date1904).map(iso).map(Some).ok_or("date_invalid"),
        Cell::Number(f) => excel_serial_date(*f, date1904).map(iso).map(Some).ok_or("date_invalid"),
        Cell::Bool(_) => Err("date_invalid"),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            // ISO, possibly with a time (`2000-04-30 00:00:00`, `2000-04-30T00:00`), or
            // with slashes or dots year first.
            let b = t.as_bytes();
            // Only the date itself or the date and a time: `1990-05-123` is not cut short.
            let time_follows = b.len() == 10 || matches!(b.get(10), Some(b' ' | b'T'));
            if b.len() >= 10
                && time_follows
                && b[..4].iter().all(u8::is_ascii_digit)
                && matches!(b[4], b'-' | b'/' | b'.')
            {
                let head = t.get(..10).unwrap_or(t).replace(['/', '.'], "-");
                return Ok(Some(head));
            }
            // A bare serial typed or exported as text (CSV from Excel's "General" column):
            // five or six digits (1927 onwards), so a year alone such as `1990` is not
            // taken for a serial from 1905.
            if (5..=6).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
                let n: f64 = t.parse().map_err(|_| "date_invalid")?;
                return excel_serial_date(n, date1904).map(iso).map(Some).ok_or("date_invalid");
            }
            let Some((a, b, year, sep)) = split_date(t) else {
                return Ok(Some(t.to_string()));
            };
            if year < 100 {
                // `01.02.03`: which century is a guess.
                return Err("date_ambiguous");
            }
            let (day, month) = if sep == '.' {
                (a, b)
            } else if a > 12 || b > 12 || a == b {
                if a > 12 {
                    (a, b)
                } else {
                    (b, a)
                }
            } else {
                match order {
                    SlashOrder::DayFirst => (a, b),
                    SlashOrder::MonthFirst => (b, a),
                    SlashOrder::Unknown | SlashOrder::Mixed => return Err("date_ambiguous"),
                }
            };
            if sep != '.' && order == SlashOrder::Mixed && a != b {
                return Err("date_ambiguous");
            }
            NaiveDate::from_ymd_opt(year, month, day).map(iso).map(Some).ok_or("date_invalid")
        }
    }
}

/// Digits Excel may have turned into a number: exact integers are recovered, scientific
/// text (`3.12E+13`, what a narrow column exports) only when it still holds every digit.
pub fn digits_value(cell: &Cell) -> Result<Option<String>, &'static str> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Int(n) => Ok(Some(n.to_string())),
        Cell::Number(f) => {
            // Doubles hold integers exactly up to 2^53 (16 digits): a PINFL fits.
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
                Ok(Some(format!("{:.0}", f)))
            } else {
                Err("precision_lost")
            }
        }
        Cell::Date(_) | Cell::Bool(_) => Err("digits_expected"),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match scientific(t) {
                Some(Some(digits)) => Ok(Some(digits)),
                Some(None) => Err("precision_lost"),
                None => Ok(Some(t.to_string())),
            }
        }
    }
}

/// `Some(Some(digits))` for exact scientific notation, `Some(None)` when digits were lost,
/// `None` when the text is not scientific notation at all.
fn scientific(t: &str) -> Option<Option<String>> {
    let t = t.replace(',', ".");
    let (mantissa, exp) = t.split_once(['e', 'E'])?;
    let exp: i32 = exp.trim_start_matches('+').parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if exp < 0 || frac.len() as i32 > exp {
        return Some(None);
    }
    // Every digit written and the rest implied zeros: exact only if no zero is implied,
    // since Excel writes `3.12E+13` for 31234567890123 as readily as for 31200000000000.
    if (frac.len() as i32) < exp {
        return Some(None);
    }
    Some(Some(format!("{int}{frac}").trim_start_matches('0').to_string()))
}

/// Plain text of a cell (names, passport, region…); numbers without a spurious `.0`.
pub fn text_value(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Text(t) => Some(t.clone()).filter(|t| !t.trim().is_empty()),
        Cell::Int(n) => Some(n.to_string()),
        Cell::Number(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(format!("{f:.0}")),
        Cell::Number(f) => Some(f.to_string()),
        Cell::Date(d) => Some(iso(*d)),
        Cell::Bool(b) => Some(b.to_string()),
    }
}

/// One row read into the roster's input, with the problems found on the way.
pub struct RowInput {
    pub input: WorkerInput,
    pub consent: ConsentInput,
    pub problems: Vec<Problem>,
}

/// Builds a worker input from `(field, cell)` pairs of one row.
pub fn row_input(
    cells: &[(&'static str, &Cell)],
    orders: &dyn Fn(&str) -> SlashOrder,
    date1904: bool,
    consent: &ConsentInput,
) -> RowInput {
    let mut input = WorkerInput::default();
    let mut consent = consent.clone();
    let mut problems = Vec::new();
    for (field, cell) in cells {
        let field: &'static str = field;
        let dated = |p: &mut Vec<Problem>| match date_value(cell, orders(field), date1904) {
            Ok(v) => v,
            Err(code) => {
                p.push(Problem::error(field, code));
                None
            }
        };
        let digits = |p: &mut Vec<Problem>| match digits_value(cell) {
            Ok(v) => v,
            Err(code) => {
                p.push(Problem::error(field, code));
                None
            }
        };
        match field {
            "birth_date" => input.birth_date = dated(&mut problems),
            "passport_issued" => input.passport_issued = dated(&mut problems),
            "passport_expiry" => input.passport_expiry = dated(&mut problems),
            "consent_given_on" => {
                if let Some(v) = dated(&mut problems) {
                    consent.given_on = Some(v);
                }
            }
            "consent_valid_until" => {
                if let Some(v) = dated(&mut problems) {
                    consent.valid_until = Some(v);
                }
            }
            "pinfl" => input.pinfl = digits(&mut problems),
            "phone" => input.phone = digits(&mut problems),
            "last_name" => input.last_name = text_value(cell),
            "first_name" => input.first_name = text_value(cell),
            "patronymic" => input.patronymic = text_value(cell),
            "last_name_cyrillic" => input.last_name_cyrillic = text_value(cell),
            "first_name_cyrillic" => input.first_name_cyrillic = text_value(cell),
            "patronymic_cyrillic" => input.patronymic_cyrillic = text_value(cell),
            "sex" => input.sex = text_value(cell),
            "passport_number" => input.passport_number = text_value(cell),
            "region" => input.region = text_value(cell),
            "destination_country" => input.destination_country = text_value(cell),
            "notes" => input.notes = text_value(cell),
            _ => {}
        }
    }
    // Names written only in Cyrillic (a Russian-header file's "Фамилия" column, or only
    // the Cyrillic columns filled): the Cyrillic is kept and the Latin made from it.
    // The patronymic is optional: an empty Latin patronymic *column* means "none", so
    // only a file without that column gets one made (an export reads back as it was).
    let has_patronymic = cells.iter().any(|(f, _)| *f == "patronymic");
    let pairs: [(&'static str, &mut Option<String>, &mut Option<String>, bool); 3] = [
        ("last_name", &mut input.last_name, &mut input.last_name_cyrillic, true),
        ("first_name", &mut input.first_name, &mut input.first_name_cyrillic, true),
        ("patronymic", &mut input.patronymic, &mut input.patronymic_cyrillic, !has_patronymic),
    ];
    for (field, latin, cyrillic, fill) in pairs {
        if let Some(l) = latin.as_deref() {
            if names::has_cyrillic(l) && !names::has_latin(l) && cyrillic.is_none() {
                *cyrillic = latin.take();
            }
        }
        if latin.is_none() && fill {
            if let Some(c) = cyrillic.as_deref().filter(|c| !names::has_latin(c)) {
                *latin = Some(names::cyrillic_to_latin(c));
                problems.push(Problem::warning(field, "transliterated"));
            }
        }
    }
    RowInput { input, consent, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn dates_in_every_usual_form() {
        let u = SlashOrder::Unknown;
        let ok = |c: Cell, o| date_value(&c, o, false);
        assert_eq!(ok(text("30.04.2000"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("5.4.2000"), u), Ok(Some("2000-04-05".into())));
        assert_eq!(ok(text("30/04/2000"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("2000-04-30"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("2000-04-30 00:00:00"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("2000/04/30"), u), Ok(Some("2000-04-30".into())));
        // A year alone is not an Excel serial from 1905, and extra digits are not cut off:
        // both stay as typed, so validation refuses them as dates.
        assert_eq!(ok(text("1990"), u), Ok(Some("1990".into())));
        assert_eq!(ok(text("1990-05-123"), u), Ok(Some("1990-05-123".into())));
        assert_eq!(ok(text("36646"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(Cell::Number(36646.0), u), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("36646"), u), Ok(Some("2000-04-30".into())));
        assert_eq!(date_value(&Cell::Int(35184), u, true), Ok(Some("2000-04-30".into())));
        assert_eq!(ok(text("04/05/2000"), u), Err("date_ambiguous"));
        assert_eq!(ok(text("04/05/2000"), SlashOrder::DayFirst), Ok(Some("2000-05-04".into())));
        assert_eq!(ok(text("04/05/2000"), SlashOrder::MonthFirst), Ok(Some("2000-04-05".into())));
        assert_eq!(ok(text("04/04/2000"), u), Ok(Some("2000-04-04".into())));
        assert_eq!(ok(text("01.02.03"), u), Err("date_ambiguous"));
        assert_eq!(ok(text("31.02.2000"), u), Err("date_invalid"));
        assert_eq!(ok(text("1990-02-30"), u), Ok(Some("1990-02-30".into())), "left for the validator");
        assert_eq!(SlashOrder::Unknown.learn("30/04/2000").learn("04/05/2000"), SlashOrder::DayFirst);
        assert_eq!(SlashOrder::Unknown.learn("04/30/2000"), SlashOrder::MonthFirst);
        assert_eq!(SlashOrder::DayFirst.learn("04/30/2000"), SlashOrder::Mixed);
    }

    #[test]
    fn numbers_are_recovered_only_when_exact() {
        assert_eq!(digits_value(&Cell::Number(31234567890123.0)), Ok(Some("31234567890123".into())));
        assert_eq!(digits_value(&Cell::Int(998901234567)), Ok(Some("998901234567".into())));
        assert_eq!(digits_value(&text("3.12E+13")), Err("precision_lost"));
        assert_eq!(digits_value(&text("3,12E+13")), Err("precision_lost"));
        assert_eq!(digits_value(&text("3.1234567890123E+13")), Ok(Some("31234567890123".into())));
        assert_eq!(digits_value(&text("9.98901234567E+11")), Ok(Some("998901234567".into())));
        assert_eq!(digits_value(&text("31234567890123.0")), Ok(Some("31234567890123.0".into())), "cleaned later");
        assert_eq!(digits_value(&Cell::Number(3.5)), Err("precision_lost"));
        assert_eq!(digits_value(&text("+998 90 123 45 67")), Ok(Some("+998 90 123 45 67".into())));
    }

    #[test]
    fn cyrillic_only_names_get_latin_and_a_warning() {
        let last = text("Ғуломов");
        let first = text("Анвар");
        let cells: Vec<(&'static str, &Cell)> = vec![("last_name", &last), ("first_name_cyrillic", &first)];
        let r = row_input(&cells, &|_| SlashOrder::Unknown, false, &ConsentInput::default());
        assert_eq!(r.input.last_name.as_deref(), Some("Gʻulomov"));
        assert_eq!(r.input.last_name_cyrillic.as_deref(), Some("Ғуломов"));
        assert_eq!(r.input.first_name.as_deref(), Some("Anvar"));
        let codes: Vec<_> = r.problems.iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, vec![(Some("last_name"), "transliterated"), (Some("first_name"), "transliterated")]);
    }
}
