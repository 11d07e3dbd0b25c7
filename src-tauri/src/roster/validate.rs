// Over 500 lines with its tests; the checks themselves are about 330.
//! One validator for the form, the CLI and (later) imports: every problem at once, each
//! with its field and code. Duplicate checks need the database and live in the service.

use super::identity::{self, PinflFacts, Sex};
use super::{WorkerData, WorkerInput};
use crate::error::Problem;
use crate::names;
use crate::places;
use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

pub const MIN_AGE: i32 = 18;
pub const MAX_AGE: i32 = 100;
pub const NAME_MAX: usize = 100;
pub const NOTES_MAX: usize = 2000;

/// The outcome of validating one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Present only when there is no error (warnings allowed).
    pub data: Option<WorkerData>,
    pub problems: Vec<Problem>,
    /// Birth date and sex read from a valid PINFL, so the form can fill them.
    pub derived: Option<PinflFacts>,
}

/// Trimmed, NFC-normalised, inner whitespace collapsed; `None` when empty.
fn clean(value: &Option<String>) -> Option<String> {
    let v = value.as_deref()?.nfc().collect::<String>();
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    (!v.is_empty()).then_some(v)
}

/// Strict `YYYY-MM-DD` (chrono alone would accept `2020-1-5`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Full years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

enum Script {
    Latin,
    Cyrillic,
}

fn check_name(
    field: &'static str,
    value: &Option<String>,
    required: bool,
    script: Script,
    out: &mut Vec<Problem>,
) -> Option<String> {
    let Some(v) = clean(value) else {
        if required {
            out.push(Problem::error(field, "required"));
        }
        return None;
    };
    let before = out.len();
    if v.chars().count() > NAME_MAX {
        out.push(Problem::error(field, "too_long").with("max", NAME_MAX));
    }
    if v.chars().any(char::is_control) {
        out.push(Problem::error(field, "control_chars"));
    }
    if v.chars().any(names::is_invisible) {
        out.push(Problem::error(field, "invisible_chars"));
    }
    if !v.chars().any(char::is_alphabetic) {
        out.push(Problem::error(field, "name_no_letters"));
    }
    // Scripts by UAX #24, not by code ranges: Cyrillic Supplement letters (ԁ ԝ) or Latin
    // Extended ones (ɑ ạ) belong to their script wherever they sit.
    use unicode_script::{Script as Uax24, UnicodeScript};
    let (expected, other, wrong) = match script {
        Script::Latin => (Uax24::Latin, Uax24::Cyrillic, "latin_expected"),
        Script::Cyrillic => (Uax24::Cyrillic, Uax24::Latin, "cyrillic_expected"),
    };
    if v.chars().any(|c| c.is_alphabetic() && c.script() == other) {
        out.push(Problem::error(field, wrong));
    }
    // A third script (Greek ο in "Olimοv", Armenian, Arabic...) or a compatibility form
    // (full-width Ｏ, mathematical 𝐎: UTS #39's NFKC rule) looks like the right letter
    // but escapes the duplicate check and the search: refused, naming the letters.
    let mut foreign: Vec<String> = names::foreign_letters(&v, expected)
        .into_iter()
        .filter(|(c, _)| c.script() != other)
        .map(|(c, script)| format!("{c} ({script})"))
        .collect();
    for c in v.chars() {
        let plain: String = std::iter::once(c).nfkc().collect();
        let shown = format!("{c} → {plain}");
        if plain != c.to_string() && !foreign.contains(&shown) {
            foreign.push(shown);
        }
    }
    if !foreign.is_empty() {
        out.push(Problem::error(field, "foreign_script").with("letters", foreign.join(", ")));
    }
    // Passports print letters, spaces, hyphens and apostrophes; anything else is possible
    // (a transcription oddity) but worth a second look, so it warns rather than refuses.
    let usual = |c: char| c.is_alphabetic() || " -'ʻʼ‘’`.".contains(c);
    if out.len() == before && !v.chars().all(usual) {
        out.push(Problem::warning(field, "name_unusual"));
    }
    Some(v)
}

fn check_date(
    field: &'static str,
    value: &Option<String>,
    required: bool,
    out: &mut Vec<Problem>,
) -> Option<NaiveDate> {
    match clean(value) {
        None => {
            if required {
                out.push(Problem::error(field, "required"));
            }
            None
        }
        Some(v) => {
            let d = parse_date(&v);
            if d.is_none() {
                out.push(Problem::error(field, "date_invalid"));
            }
            d
        }
    }
}

/// Validates and normalises one worker as of `today`.
pub fn validate(input: &WorkerInput, today: NaiveDate) -> Checked {
    let mut p: Vec<Problem> = Vec::new();

    let last_name = check_name("last_name", &input.last_name, true, Script::Latin, &mut p);
    let first_name = check_name("first_name", &input.first_name, true, Script::Latin, &mut p);
    let patronymic = check_name("patronymic", &input.patronymic, false, Script::Latin, &mut p);
    let last_name_cyrillic =
        check_name("last_name_cyrillic", &input.last_name_cyrillic, false, Script::Cyrillic, &mut p);
    let first_name_cyrillic =
        check_name("first_name_cyrillic", &input.first_name_cyrillic, false, Script::Cyrillic, &mut p);
    let patronymic_cyrillic =
        check_name("patronymic_cyrillic", &input.patronymic_cyrillic, false, Script::Cyrillic, &mut p);

    // PINFL first: it can supply birth date and sex.
    let pinfl = clean(&input.pinfl).map(|v| identity::clean_pinfl(&v));
    let derived = match &pinfl {
        None => {
            p.push(Problem::error("pinfl", "required"));
            None
        }
        Some(v) => match identity::parse_pinfl(v) {
            Ok(facts) => Some(facts),
            Err(code) => {
                p.push(Problem::error("pinfl", code));
                None
            }
        },
    };

    let birth_given = clean(&input.birth_date).is_some();
    let mut birth = check_date("birth_date", &input.birth_date, derived.is_none(), &mut p);
    if let Some(b) = birth {
        if b > today {
            p.push(Problem::error("birth_date", "birth_in_future"));
        } else if age_on(b, today) < MIN_AGE {
            p.push(Problem::error("birth_date", "under_age").with("min", MIN_AGE));
        } else if age_on(b, today) > MAX_AGE {
            p.push(Problem::warning("birth_date", "too_old").with("max", MAX_AGE));
        }
    }
    if let Some(facts) = derived {
        match birth {
            Some(b) if birth_given && b != facts.birth_date => p.push(
                Problem::error("birth_date", "pinfl_birth_mismatch")
                    .with("expected", facts.birth_date.format("%Y-%m-%d")),
            ),
            None if !birth_given => {
                birth = Some(facts.birth_date);
                if facts.birth_date > today {
                    p.push(Problem::error("birth_date", "birth_in_future"));
                } else if age_on(facts.birth_date, today) < MIN_AGE {
                    p.push(Problem::error("birth_date", "under_age").with("min", MIN_AGE));
                }
            }
            _ => {}
        }
    }

    let sex = match clean(&input.sex) {
        None => match derived {
            Some(f) => Some(f.sex),
            None => {
                p.push(Problem::error("sex", "required"));
                None
            }
        },
        Some(v) => {
            let s = Sex::parse(&v);
            match (s, derived) {
                (None, _) => p.push(Problem::error("sex", "sex_invalid")),
                (Some(s), Some(f)) if s != f.sex => {
                    p.push(Problem::error("sex", "pinfl_sex_mismatch").with("expected", f.sex.code()))
                }
                _ => {}
            }
            s
        }
    };

    let passport = clean(&input.passport_number).map(|v| identity::clean_passport(&v));
    match &passport {
        None => p.push(Problem::error("passport_number", "required")),
        Some(v) => match identity::check_passport(v) {
            Err(code) => p.push(Problem::error("passport_number", code)),
            Ok(Some(series)) => {
                p.push(Problem::warning("passport_number", "passport_series_unknown").with("series", series))
            }
            Ok(None) => {}
        },
    }

    let issued = check_date("passport_issued", &input.passport_issued, true, &mut p);
    let expiry = check_date("passport_expiry", &input.passport_expiry, true, &mut p);
    if let Some(i) = issued {
        if i > today {
            p.push(Problem::error("passport_issued", "issued_in_future"));
        }
        if birth.is_some_and(|b| i < b) {
            p.push(Problem::error("passport_issued", "issued_before_birth"));
        }
    }
    if let Some(e) = expiry {
        if issued.is_some_and(|i| e <= i) {
            p.push(Problem::error("passport_expiry", "expiry_not_after_issue"));
        } else if e < today {
            p.push(Problem::warning("passport_expiry", "passport_expired"));
        }
    }

    let phone = clean(&input.phone).and_then(|v| match identity::normalize_phone(&v) {
        Ok(e164) => Some(e164),
        Err(code) => {
            p.push(Problem::error("phone", code));
            None
        }
    });

    let region = match clean(&input.region) {
        None => {
            p.push(Problem::error("region", "required"));
            None
        }
        Some(v) => {
            let r = places::find_region(&v).map(|r| r.code.clone());
            if r.is_none() {
                p.push(Problem::error("region", "region_unknown"));
            }
            r
        }
    };

    let destination_country = clean(&input.destination_country).and_then(|v| {
        let c = places::find_country(&v).map(|c| c.code.clone());
        if c.is_none() {
            p.push(Problem::error("destination_country", "country_unknown"));
        }
        c
    });

    let notes = input.notes.as_deref().map(|n| n.trim().nfc().collect::<String>()).filter(|n| !n.is_empty());
    if let Some(n) = &notes {
        if n.chars().count() > NOTES_MAX {
            p.push(Problem::error("notes", "too_long").with("max", NOTES_MAX));
        }
        if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            p.push(Problem::error("notes", "control_chars"));
        }
        if n.chars().any(names::is_invisible) {
            p.push(Problem::error("notes", "invisible_chars"));
        }
    }

    let data = if p.iter().any(Problem::is_error) {
        None
    } else {
        // With no error every required value is present; the `?`s only satisfy the types.
        (|| {
            Some(WorkerData {
                last_name: last_name?,
                first_name: first_name?,
                patronymic,
                last_name_cyrillic,
                first_name_cyrillic,
                patronymic_cyrillic,
                birth_date: birth?.format("%Y-%m-%d").to_string(),
                sex: sex?.code().to_string(),
                pinfl: pinfl?,
                passport_number: passport?,
                passport_issued: issued?.format("%Y-%m-%d").to_string(),
                passport_expiry: expiry?.format("%Y-%m-%d").to_string(),
                phone,
                region: region?,
                destination_country,
                notes,
            })
        })()
    };
    Checked { data, problems: p, derived }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    pub fn good() -> WorkerInput {
        WorkerInput {
            last_name: Some("Gʻulomov".into()),
            first_name: Some("Anvar".into()),
            patronymic: Some("Shavkat oʻgʻli".into()),
            last_name_cyrillic: Some("Ғуломов".into()),
            first_name_cyrillic: Some("Анвар".into()),
            birth_date: Some("1990-03-15".into()),
            sex: Some("M".into()),
            pinfl: Some("31503901234562".into()),
            passport_number: Some("aa 123 45 67".into()),
            passport_issued: Some("2020-01-10".into()),
            passport_expiry: Some("2030-01-09".into()),
            phone: Some("90 123 45 67".into()),
            region: Some("Андижанская обл.".into()),
            destination_country: Some("kr".into()),
            notes: Some("  Welder, 5 years  ".into()),
            ..Default::default()
        }
    }

    fn codes(c: &Checked) -> Vec<(&'static str, &'static str)> {
        c.problems.iter().map(|p| (p.field.unwrap_or("-"), p.code)).collect()
    }

    #[test]
    fn a_good_worker_is_normalised() {
        let c = validate(&good(), today());
        assert_eq!(codes(&c), vec![]);
        let d = c.data.expect("data");
        assert_eq!(d.passport_number, "AA1234567");
        assert_eq!(d.phone.as_deref(), Some("+998901234567"));
        assert_eq!(d.region, "AN");
        assert_eq!(d.destination_country.as_deref(), Some("KR"));
        assert_eq!(d.notes.as_deref(), Some("Welder, 5 years"));
    }

    #[test]
    fn birth_date_and_sex_come_from_the_pinfl_when_absent() {
        let c = validate(&WorkerInput { birth_date: None, sex: None, ..good() }, today());
        let d = c.data.expect("data");
        assert_eq!((d.birth_date.as_str(), d.sex.as_str()), ("1990-03-15", "M"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = WorkerInput {
            last_name: None,
            first_name: Some("Анвар".into()),
            pinfl: Some("31503901234563".into()),
            passport_number: Some("A1234567".into()),
            passport_issued: Some("2030-01-10".into()),
            passport_expiry: Some("2020-13-01".into()),
            phone: Some("+7 999 123".into()),
            region: Some("Atlantis".into()),
            destination_country: Some("XX".into()),
            ..good()
        };
        let c = validate(&bad, today());
        assert!(c.data.is_none());
        assert_eq!(
            codes(&c),
            vec![
                ("last_name", "required"),
                ("first_name", "latin_expected"),
                ("pinfl", "pinfl_checksum"),
                ("passport_number", "passport_format"),
                ("passport_expiry", "date_invalid"),
                ("passport_issued", "issued_in_future"),
                ("phone", "phone_format"),
                ("region", "region_unknown"),
                ("destination_country", "country_unknown"),
            ]
        );
    }

    #[test]
    fn birth_date_and_sex_must_agree_with_the_pinfl() {
        let c =
            validate(&WorkerInput { birth_date: Some("1990-03-16".into()), sex: Some("F".into()), ..good() }, today());
        assert_eq!(codes(&c), vec![("birth_date", "pinfl_birth_mismatch"), ("sex", "pinfl_sex_mismatch")]);
    }

    #[test]
    fn dates_must_be_real_ordered_and_make_an_adult() {
        let minor = identity::make_pinfl(NaiveDate::from_ymd_opt(2010, 5, 5).expect("d"), Sex::M, 1, 1);
        let c = validate(&WorkerInput { pinfl: Some(minor), birth_date: None, ..good() }, today());
        assert_eq!(codes(&c), vec![("birth_date", "under_age")]);
        let c = validate(&WorkerInput { passport_issued: Some("1989-01-01".into()), ..good() }, today());
        assert_eq!(codes(&c), vec![("passport_issued", "issued_before_birth")]);
        let c = validate(&WorkerInput { passport_expiry: Some("2020-01-10".into()), ..good() }, today());
        assert_eq!(codes(&c), vec![("passport_expiry", "expiry_not_after_issue")]);
        let c = validate(&WorkerInput { passport_expiry: Some("2025-01-10".into()), ..good() }, today());
        assert_eq!(codes(&c), vec![("passport_expiry", "passport_expired")]);
        assert!(c.data.is_some(), "an expired passport warns but does not refuse");
        assert_eq!(parse_date("2020-1-5"), None);
        assert_eq!(parse_date("2023-02-29"), None);
    }

    #[test]
    fn invisible_and_text_direction_characters_are_refused_in_names_and_notes() {
        for bad in
            ["Olim\u{202E}ov", "Olim\u{200B}ov", "Olim\u{200C}ov", "Olim\u{200D}ov", "\u{FEFF}Olimov", "Oli\u{00AD}mov"]
        {
            let mut i = good();
            i.last_name = Some(bad.into());
            let c = validate(&i, today());
            assert!(c.data.is_none(), "{bad:?} saved");
            assert!(codes(&c).contains(&("last_name", "invisible_chars")), "{bad:?}: {:?}", codes(&c));
            // Refused for what it is, not with the misleading "digits or symbols" warning.
            assert!(!codes(&c).contains(&("last_name", "name_unusual")));
        }
        let mut i = good();
        i.notes = Some("ok\u{2066}hidden\u{2069}".into());
        assert!(codes(&validate(&i, today())).contains(&("notes", "invisible_chars")));
    }

    #[test]
    fn letters_of_a_third_script_are_refused_naming_them() {
        let mut i = good();
        i.last_name = Some("Olimοv".into()); // Greek small omicron
        i.first_name_cyrillic = Some("Ahmад".into());
        i.last_name_cyrillic = Some("Олимօв".into()); // Armenian o
        let c = validate(&i, today());
        assert!(c.data.is_none());
        let p = c.problems.iter().find(|p| p.field == Some("last_name")).expect("last_name refused");
        assert_eq!(p.code, "foreign_script");
        assert!(p.message(crate::i18n::Lang::En).contains("ο (Greek)"), "{}", p.message(crate::i18n::Lang::En));
        assert!(codes(&c).contains(&("last_name_cyrillic", "foreign_script")));
        // Latin in a Cyrillic field keeps its own, more precise message.
        assert!(codes(&c).contains(&("first_name_cyrillic", "cyrillic_expected")));
        assert!(!codes(&c).contains(&("first_name_cyrillic", "foreign_script")));
        // Letters outside the old code ranges, and compatibility forms, are caught too.
        let mut tricky = good();
        tricky.last_name = Some("Olimoԝ".into()); // Cyrillic Supplement we
        tricky.first_name = Some("Ａnvar".into()); // full-width A
        tricky.last_name_cyrillic = Some("Аҳмɑд".into()); // Latin alpha
        let c = validate(&tricky, today());
        assert!(codes(&c).contains(&("last_name", "latin_expected")), "{:?}", codes(&c));
        assert!(codes(&c).contains(&("first_name", "foreign_script")), "{:?}", codes(&c));
        assert!(codes(&c).contains(&("last_name_cyrillic", "cyrillic_expected")), "{:?}", codes(&c));
        // The Uzbek apostrophe letters and hyphens are no foreign script.
        let mut ok = good();
        ok.last_name = Some("Gʻulom-Toʻraev".into());
        ok.last_name_cyrillic = Some("Ғулом-Тўраев".into());
        assert!(validate(&ok, today()).data.is_some());
    }

    #[test]
    fn unusual_names_and_series_warn_but_save() {
        let c = validate(
            &WorkerInput {
                last_name: Some("<img src=x onerror=alert(1)>".into()),
                passport_number: Some("ZZ1234567".into()),
                ..good()
            },
            today(),
        );
        assert_eq!(codes(&c), vec![("last_name", "name_unusual"), ("passport_number", "passport_series_unknown")]);
        assert_eq!(c.data.expect("saved").last_name, "<img src=x onerror=alert(1)>");
    }

    proptest! {
        #[test]
        fn validation_never_panics_on_any_text(
            a in proptest::option::of("\\PC{0,30}"), b in proptest::option::of("\\PC{0,30}"),
            c in proptest::option::of("[0-9 .eE+-]{0,20}"), d in proptest::option::of("[0-9-]{0,12}"),
        ) {
            let input = WorkerInput { last_name: a.clone(), first_name: b, pinfl: c, birth_date: d.clone(), passport_issued: d, phone: a.clone(), region: a, ..Default::default() };
            let checked = validate(&input, today());
            prop_assert_eq!(checked.data.is_some(), !checked.problems.iter().any(Problem::is_error));
        }

        #[test]
        fn any_valid_adult_pinfl_validates_with_derived_facts(days in 0i64..25_000, female: bool) {
            let birth = NaiveDate::from_ymd_opt(1930, 1, 1).expect("d") + chrono::Duration::days(days);
            prop_assume!(age_on(birth, today()) >= MIN_AGE && birth.year() > 1930);
            let sex = if female { Sex::F } else { Sex::M };
            let pinfl = identity::make_pinfl(birth, sex, 12, 34);
            let c = validate(&WorkerInput { pinfl: Some(pinfl), birth_date: None, sex: None, passport_issued: Some("2025-01-01".into()), passport_expiry: Some("2035-01-01".into()), ..good() }, today());
            let d = c.data.expect("valid");
            prop_assert_eq!(d.birth_date, birth.format("%Y-%m-%d").to_string());
            prop_assert_eq!(d.sex, sex.code());
        }
    }
}
