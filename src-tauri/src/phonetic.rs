//! The sound key of a name: the last search tier ("similar spelling") and the duplicate
//! warning's key. Uzbek names reach the roster through Uzbek Latin, Uzbek Cyrillic, Russian
//! Cyrillic of the Soviet era and passport (ICAO/English) Latin; each writes the same sound
//! differently (Sotvoldiyev, Сотволдиев, Сатвалдиев, SATVALDIEV). Like Soundex, the key
//! keeps what survives every one of those spellings: the consonants in classes (the g/gʻ/h/x
//! class, j for ж/дж/dj/zh) and where the vowels are, but not which vowel.
//!
//! The rules are data (`data/phonetic.tsv`, one reason per rule) applied to the folded word
//! ([`crate::names::fold`]), so one folded key always means one sound key: the phonetic tier
//! only ever adds hits to the folded one.

use crate::names::fold;
use std::sync::OnceLock;

fn rules() -> &'static [(String, String)] {
    static R: OnceLock<Vec<(String, String)>> = OnceLock::new();
    R.get_or_init(|| {
        include_str!("../data/phonetic.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let from = cols.next().filter(|f| !f.is_empty())?;
                Some((from.to_string(), cols.next().unwrap_or("").to_string()))
            })
            .collect()
    })
}

/// The sound key of one word in any script: `Sotvoldiyev`, `Сатвалдиев` and `SATVALDIEV`
/// all give `satvaldav`. Several words (or a hyphen) give their keys joined without a space.
pub fn sound(word: &str) -> String {
    let mut s = fold(word).replace(' ', "");
    for (from, to) in rules() {
        if s.contains(from.as_str()) {
            s = s.replace(from.as_str(), to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // A doubled letter is written single in another document (Abdulla / Abdula).
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The duplicate warning's key: the sounds of the last and the first name.
pub fn name_key(last: &str, first: &str) -> String {
    format!("{} {}", sound(last), sound(first))
}

/// The stored form of a worker's name key with his birth date, as held in the sounds index
/// beside his word sounds (a space and `@` keep it from ever equalling a word's sound).
pub fn birth_key(name_key: &str, birth_date: &str) -> String {
    format!("{name_key}@{birth_date}")
}

/// The distinct sound keys of the words of these names (both scripts).
pub fn sounds<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        for word in crate::names::literal_words(name) {
            let key = sound(&word);
            if !key.is_empty() && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
