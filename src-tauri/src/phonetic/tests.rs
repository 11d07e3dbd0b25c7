use super::*;
use crate::names::{cyrillic_to_latin, fold};
use proptest::prelude::*;

/// What the roster search does with one typed word against one name word: the folded word
/// starts with the typed one (exact, folded and prefix tiers) or the sounds are equal.
fn found_by_fold(typed: &str, name: &str) -> bool {
    let t = fold(typed).replace(' ', "");
    !t.is_empty() && fold(name).replace(' ', "").starts_with(&t)
}

fn found(typed: &str, name: &str) -> bool {
    found_by_fold(typed, name) || sound(typed) == sound(name)
}

fn spellings() -> Vec<(&'static str, &'static str, &'static str)> {
    include_str!("../../tests/fixtures/name-spellings.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut c = l.split('\t');
            (c.next().unwrap_or(""), c.next().unwrap_or(""), c.next().unwrap_or(""))
        })
        .collect()
}

/// (class, found by folding alone, found with the sound key, spellings).
fn recall(class: &str) -> (usize, usize, usize) {
    let rows: Vec<_> = spellings().into_iter().filter(|(_, c, _)| *c == class).collect();
    let by_fold = rows.iter().filter(|(name, _, typed)| found_by_fold(typed, name)).count();
    let by_sound = rows.iter().filter(|(name, _, typed)| found(typed, name)).count();
    (by_fold, by_sound, rows.len())
}

fn every_spelling_of_the_class_finds_the_name(class: &str) {
    let (by_fold, by_sound, total) = recall(class);
    assert!(total >= 20, "{class}: a class needs a real list, has {total}");
    let missed: Vec<String> = spellings()
        .into_iter()
        .filter(|(name, c, typed)| *c == class && !found(typed, name))
        .map(|(name, _, typed)| format!("{typed} -> {name} ({} vs {})", sound(typed), sound(name)))
        .collect();
    // The figure docs/search.md quotes; `cargo test phonetic -- --nocapture` prints it.
    println!("{class}: folding alone {by_fold}/{total}, with the sound key {by_sound}/{total}");
    assert!(missed.is_empty(), "{class}: {missed:#?}");
}

#[test]
fn the_apostrophe_dropped_or_written_gh_finds_the_name() {
    every_spelling_of_the_class_finds_the_name("apostrophe");
}

#[test]
fn russian_era_spellings_find_the_name() {
    every_spelling_of_the_class_finds_the_name("russian");
}

#[test]
fn passport_transcriptions_find_the_name() {
    every_spelling_of_the_class_finds_the_name("passport");
}

#[test]
fn first_names_are_found_in_every_spelling() {
    every_spelling_of_the_class_finds_the_name("first");
}

#[test]
fn the_whole_list_and_its_recall_before() {
    let all = spellings();
    let by_fold = all.iter().filter(|(n, _, t)| found_by_fold(t, n)).count();
    let by_sound = all.iter().filter(|(n, _, t)| found(t, n)).count();
    println!("all: folding alone {by_fold}/{}, with the sound key {by_sound}/{}", all.len(), all.len());
    assert_eq!(by_sound, all.len());
    // The list is worth having only if folding alone misses much of it.
    assert!(by_fold * 10 < all.len() * 7, "{by_fold}/{}", all.len());
}

#[test]
fn different_names_keep_different_sounds() {
    // Common names that are different people's names must not become one "similar spelling".
    let distinct = [
        "Karimov",
        "Kurbanov",
        "Rahimov",
        "Rashidov",
        "Qodirov",
        "Qosimov",
        "Yusupov",
        "Yoqubov",
        "Sobirov",
        "Saidov",
        "Aliyev",
        "Alimov",
        "Nazarov",
        "Nurmatov",
        "Tursunov",
        "Toshmatov",
        "Usmonov",
        "Ismoilov",
        "Anvar",
        "Anora",
        "Aziz",
        "Aziza",
        "Sardor",
        "Sarvar",
        "Jasur",
        "Javlon",
        "Dilshod",
        "Dilnoza",
    ];
    for (i, a) in distinct.iter().enumerate() {
        for b in &distinct[i + 1..] {
            assert_ne!(sound(a), sound(b), "{a} and {b}");
        }
    }
}

#[test]
fn one_folded_key_is_one_sound_key() {
    for (a, b) in [("Xoʻjayev", "Хужаев"), ("Gʻulomov", "Гуломов"), ("Qodirov", "Kodirov")] {
        assert_eq!(fold(a), fold(b));
        assert_eq!(sound(a), sound(b));
    }
    assert_eq!(sound("Sotvoldiyev"), "satvaldav");
    assert_eq!(name_key("Ibrohimov", "Oʻtkir"), name_key("Ибрагимов", "Уткир"));
}

#[test]
fn sounds_are_per_word_and_distinct() {
    assert_eq!(sounds(["Yoʻldoshev Oʻtkir", "Юлдашев Уткир"]), vec!["aldashav".to_string(), "atkar".to_string()]);
    assert!(sounds(["", "  - "]).is_empty());
}

/// Official Uzbek Latin → Cyrillic, one unit at a time (oʻ gʻ sh ch are one letter each; e is
/// э at a word's start and after a vowel).
fn to_cyrillic(units: &[&str]) -> String {
    let mut out = String::new();
    for (i, u) in units.iter().enumerate() {
        let after_vowel = i == 0 || units.get(i - 1).is_some_and(|p| "aeiou".contains(*p) || *p == "oʻ");
        let c = match *u {
            "oʻ" => "ў",
            "gʻ" => "ғ",
            "sh" => "ш",
            "ch" => "ч",
            "e" if after_vowel => "э",
            other => match other {
                "a" => "а",
                "b" => "б",
                "d" => "д",
                "e" => "е",
                "f" => "ф",
                "g" => "г",
                "h" => "ҳ",
                "i" => "и",
                "j" => "ж",
                "k" => "к",
                "l" => "л",
                "m" => "м",
                "n" => "н",
                "o" => "о",
                "p" => "п",
                "q" => "қ",
                "r" => "р",
                "s" => "с",
                "t" => "т",
                "u" => "у",
                "v" => "в",
                "x" => "х",
                "y" => "й",
                _ => "з",
            },
        };
        out.push_str(c);
    }
    out
}

/// The passport (ICAO-style) Latin of an Uzbek Latin word, with the choices clerks make.
fn to_passport(latin: &str, o_as_u: bool, gh: bool, dj: bool) -> String {
    latin
        .replace("oʻ", if o_as_u { "u" } else { "o" })
        .replace("gʻ", if gh { "gh" } else { "g" })
        .replace('x', "kh")
        .replace('q', "k")
        .replace('j', if dj { "dj" } else { "j" })
        .to_uppercase()
}

const UNITS: &[&str] = &[
    "a", "b", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
    "z", "oʻ", "gʻ", "sh", "ch",
];

proptest! {
    #[test]
    fn every_official_transliteration_of_a_name_finds_it(
        units in prop::collection::vec(prop::sample::select(UNITS), 2..12),
        o_as_u: bool, gh: bool, dj: bool,
    ) {
        let latin: String = units.concat();
        let cyrillic = to_cyrillic(&units);
        // Stored in Latin, searched in Cyrillic, and the other way round.
        prop_assert!(found(&cyrillic, &latin), "{cyrillic} -> {latin}");
        prop_assert!(found(&latin, &cyrillic), "{latin} -> {cyrillic}");
        prop_assert_eq!(fold(&cyrillic_to_latin(&cyrillic)), fold(&latin));
        let passport = to_passport(&latin, o_as_u, gh, dj);
        prop_assert!(found(&passport, &latin), "{passport} -> {latin}");
        prop_assert!(found(&passport, &cyrillic), "{passport} -> {cyrillic}");
    }

    #[test]
    fn the_sound_key_is_total_and_plain(s in "\\PC{0,30}") {
        let k = sound(&s);
        prop_assert!(!k.contains(' ') && !k.contains('\''));
    }
}
