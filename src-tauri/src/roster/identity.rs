//! Uzbek identity documents: PINFL (JShShIR), passport numbers and phone numbers.
//! Each parser says exactly what is wrong, by code, so the form can explain it kindly.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    M,
    F,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }

    /// M/F and the ways Uzbek, Russian and English forms write them.
    pub fn parse(text: &str) -> Option<Sex> {
        let t = text.trim().to_lowercase();
        match t.as_str() {
            "m" | "male" | "man" | "erkak" | "e" | "м" | "муж" | "мужской" | "эркак" | "э" => {
                Some(Sex::M)
            }
            "f" | "female" | "woman" | "ayol" | "a" | "ж" | "жен" | "женский" | "аёл" | "а" => {
                Some(Sex::F)
            }
            _ => None,
        }
    }
}

/// What a valid PINFL says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinflFacts {
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

/// ICAO 9303 weights 7,3,1 over the first 13 digits, modulo 10.
pub fn pinfl_check_digit(first13: &[u8]) -> u8 {
    let sum: u32 = first13.iter().zip([7u32, 3, 1].iter().cycle()).map(|(d, w)| u32::from(*d) * w).sum();
    (sum % 10) as u8
}

/// Cleans what people type (spaces, dashes, Excel's trailing `.0`) down to the digits.
pub fn clean_pinfl(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// Parses a cleaned PINFL. Errors are the codes of `errors.*`.
pub fn parse_pinfl(pinfl: &str) -> Result<PinflFacts, &'static str> {
    if pinfl.len() != 14 || !pinfl.bytes().all(|b| b.is_ascii_digit()) {
        return Err("pinfl_format");
    }
    let d: Vec<u8> = pinfl.bytes().map(|b| b - b'0').collect();
    let (century, sex) = match d[0] {
        1 => (1800, Sex::M),
        2 => (1800, Sex::F),
        3 => (1900, Sex::M),
        4 => (1900, Sex::F),
        5 => (2000, Sex::M),
        6 => (2000, Sex::F),
        _ => return Err("pinfl_century"),
    };
    let num = |a: usize, b: usize| d[a..b].iter().fold(0u32, |n, x| n * 10 + u32::from(*x));
    let (day, month, year) = (num(1, 3), num(3, 5), century + num(5, 7) as i32);
    let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or("pinfl_date")?;
    if pinfl_check_digit(&d[..13]) != d[13] {
        return Err("pinfl_checksum");
    }
    Ok(PinflFacts { birth_date, sex })
}

/// Builds a valid PINFL from its parts (demo data and tests).
pub fn make_pinfl(birth: NaiveDate, sex: Sex, district: u16, serial: u16) -> String {
    use chrono::Datelike;
    let base = match birth.year() {
        ..=1899 => 1,
        1900..=1999 => 3,
        _ => 5,
    };
    let first = base + u8::from(sex == Sex::F);
    let s = format!(
        "{first}{:02}{:02}{:02}{:03}{:03}",
        birth.day(),
        birth.month(),
        birth.year() % 100,
        district % 1000,
        serial % 1000
    );
    let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    format!("{s}{}", pinfl_check_digit(&digits))
}

/// Passport series seen on Uzbek passports and ID cards; others get a warning, not an error.
pub const KNOWN_SERIES: &[&str] = &["AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "FA", "FB", "KA", "KB", "KC"];

/// Upper case without spaces: `aa 123 45 67` → `AA1234567`.
pub fn clean_passport(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase()
}

/// `Err(code)` for a wrong shape; `Ok(Some(series))` when the shape is right but the
/// series is not a usual one.
pub fn check_passport(number: &str) -> Result<Option<String>, &'static str> {
    let b = number.as_bytes();
    let shape = b.len() == 9 && b[..2].iter().all(u8::is_ascii_uppercase) && b[2..].iter().all(u8::is_ascii_digit);
    if !shape {
        return Err("passport_format");
    }
    let series = &number[..2];
    let known = KNOWN_SERIES.contains(&series) || series.starts_with('K');
    Ok((!known).then(|| series.to_string()))
}

/// Normalises an Uzbek phone number to E.164 (`+998901234567`): accepts `+998…`, `998…`,
/// the bare 9 digits, and spaces, dashes, dots and brackets anywhere.
pub fn normalize_phone(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    let plus = t.starts_with('+');
    if !t.chars().all(|c| c.is_ascii_digit() || " -().+".contains(c)) || t.matches('+').count() > usize::from(plus) {
        return Err("phone_format");
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        12 if digits.starts_with("998") => &digits[3..],
        9 if !plus => &digits[..],
        _ => return Err("phone_format"),
    };
    Ok(format!("+998{national}"))
}

/// `+998901234567` → `+998 90 123 45 67`.
pub fn display_phone(e164: &str) -> String {
    match e164.strip_prefix("+998") {
        Some(n) if n.len() == 9 && n.is_ascii() => {
            format!("+998 {} {} {} {}", &n[..2], &n[2..5], &n[5..7], &n[7..])
        }
        _ => e164.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_real_pinfl_gives_birth_date_and_sex() {
        let f = parse_pinfl("31503901234562").expect("valid");
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(1990, 3, 15).expect("date"));
        assert_eq!(f.sex, Sex::M);
        // From the shared sample file.
        let f = parse_pinfl("53004008386867").expect("valid");
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(2000, 4, 30).expect("date"));
    }

    #[test]
    fn each_pinfl_defect_has_its_own_code() {
        assert_eq!(parse_pinfl("310109121694"), Err("pinfl_format"));
        assert_eq!(parse_pinfl("3150390123456a"), Err("pinfl_format"));
        assert_eq!(parse_pinfl("71503901234562"), Err("pinfl_century"));
        assert_eq!(parse_pinfl("33102901234562"), Err("pinfl_date"));
        assert_eq!(parse_pinfl("50206000889401"), Err("pinfl_checksum"));
        assert_eq!(clean_pinfl(" 3150 3901 234562.0 "), "31503901234562");
    }

    #[test]
    fn passports_are_cleaned_and_shaped() {
        assert_eq!(clean_passport("aa 123 45 67"), "AA1234567");
        assert_eq!(check_passport("AA1234567"), Ok(None));
        assert_eq!(check_passport("KA1234567"), Ok(None));
        assert_eq!(check_passport("ZZ1234567"), Ok(Some("ZZ".into())));
        assert_eq!(check_passport("A12345678"), Err("passport_format"));
        assert_eq!(check_passport("AA123456"), Err("passport_format"));
    }

    #[test]
    fn phones_become_e164_however_typed() {
        for t in ["+998 90 123 45 67", "998901234567", "90 123-45-67", "(90) 123 45 67", "+998(90)1234567"] {
            assert_eq!(normalize_phone(t), Ok("+998901234567".into()), "{t}");
        }
        for t in ["+7 901 234 56 78", "12345", "90 123 45 67 8", "+90 123 45 67", "abc", "++998901234567"] {
            assert_eq!(normalize_phone(t), Err("phone_format"), "{t}");
        }
        assert_eq!(display_phone("+998901234567"), "+998 90 123 45 67");
    }

    #[test]
    fn sex_is_read_in_four_languages() {
        for t in ["M", "m", "Erkak", "Эркак", "М", "Male"] {
            assert_eq!(Sex::parse(t), Some(Sex::M), "{t}");
        }
        for t in ["F", "Ayol", "Аёл", "Ж", "Female"] {
            assert_eq!(Sex::parse(t), Some(Sex::F), "{t}");
        }
        assert_eq!(Sex::parse("X"), None);
    }

    proptest! {
        #[test]
        fn every_made_pinfl_parses_back(days in 0i64..60_000, female: bool, district in 0u16..1000, serial in 0u16..1000) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + chrono::Duration::days(days);
            let sex = if female { Sex::F } else { Sex::M };
            let p = make_pinfl(birth, sex, district, serial);
            prop_assert_eq!(parse_pinfl(&p), Ok(PinflFacts { birth_date: birth, sex }));
        }

        #[test]
        fn changing_one_digit_of_a_pinfl_is_always_caught(days in 0i64..40_000, pos in 0usize..14, delta in 1u8..10) {
            let birth = NaiveDate::from_ymd_opt(1930, 1, 1).expect("date") + chrono::Duration::days(days);
            let p = make_pinfl(birth, Sex::M, 123, 456);
            let mut b = p.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(b).expect("ascii");
            // Weights 7, 3 and 1 are coprime to 10, so a single changed digit always breaks
            // the check digit (or the date or century before it).
            let parsed = parse_pinfl(&changed);
            prop_assert!(parsed.is_err(), "{} accepted", changed);
        }

        #[test]
        fn phone_normalisation_never_panics_and_is_idempotent(s in "\\PC{0,20}") {
            if let Ok(p) = normalize_phone(&s) {
                prop_assert_eq!(normalize_phone(&p), Ok(p.clone()));
                prop_assert_eq!(p.len(), 13);
            }
        }
    }
}
