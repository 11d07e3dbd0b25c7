//! Names across scripts: Cyrillic → Latin transliteration and the folded search key that
//! makes `Gʻulomov`, `G'ulomov`, `Gulomov`, `Ғуломов` and `Гуломов` one person.
//!
//! The letter tables live in `data/*.tsv` (a spelling reform is a data change, not a code
//! change); this module only knows how to apply them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

struct Tables {
    /// Cyrillic letter → (Latin at word start / after a vowel, Latin after a consonant).
    cyrillic: Vec<(char, String, String)>,
    /// Latin look-alikes rewritten before folding, in order.
    variants: Vec<(String, String)>,
    /// Folding rules, in order.
    fold: Vec<(String, String)>,
}

fn parse_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.split('\t').collect())
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        // The tables are compiled in; a malformed line is a build-time bug caught by the
        // unit tests below, so rows without a first letter are skipped rather than panicking.
        let cyrillic = parse_rows(include_str!("../data/cyrillic-latin.tsv"))
            .filter_map(|cols| {
                let from = cols.first()?.chars().next()?;
                let to = cols.get(1).copied().unwrap_or("").to_string();
                let after = cols.get(2).map(|s| s.to_string()).unwrap_or_else(|| to.clone());
                Some((from, to, after))
            })
            .collect();
        let pairs = |text: &'static str| {
            parse_rows(text)
                .filter_map(|cols| {
                    let from = cols.first()?.to_string();
                    (!from.is_empty()).then(|| (from, cols.get(1).copied().unwrap_or("").to_string()))
                })
                .collect()
        };
        Tables {
            cyrillic,
            variants: pairs(include_str!("../data/latin-variants.tsv")),
            fold: pairs(include_str!("../data/fold.tsv")),
        }
    })
}

fn is_vowel(c: char) -> bool {
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'a' | 'e' | 'i' | 'o' | 'u' | 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ў' | 'э' | 'ю' | 'я' | 'ы'
    )
}

fn lookup(c: char) -> Option<&'static (char, String, String)> {
    tables().cyrillic.iter().find(|(from, _, _)| *from == c)
}

/// True when the text holds at least one Cyrillic letter.
pub fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// True when the text holds at least one Latin letter (ASCII or Latin-1/Extended).
pub fn has_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic()))
}

/// Characters that change how a name looks or reads without being a letter of it: every
/// format character (Unicode category Cf: zero-width space and joiners, the right-to-left
/// override and the other bidi controls, the BOM, the soft hyphen), variation selectors,
/// the combining grapheme joiner and the Hangul fillers, which render as blanks. A name
/// holding one looks like another name on screen while comparing as a different one.
pub fn is_invisible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    get_general_category(c) == GeneralCategory::Format
        || matches!(c, '\u{034F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
        || matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// The letters of `text` that belong to a script other than `allowed` (Latin for a Latin
/// field, Cyrillic for a Cyrillic one), each with its script's name: `Olimοv` with a Greek
/// omicron gives `[('ο', "Greek")]`. Marks and signs shared by every script (the modifier
/// letters ʻ ʼ, hyphens, combining accents) belong to none and pass (UTS #39's
/// single-script test, per field).
pub fn foreign_letters(text: &str, allowed: unicode_script::Script) -> Vec<(char, &'static str)> {
    use unicode_script::{Script, UnicodeScript};
    let mut out: Vec<(char, &'static str)> = Vec::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let script = c.script();
        let foreign = !matches!(script, Script::Common | Script::Inherited | Script::Unknown) && script != allowed;
        if foreign && !out.iter().any(|(seen, _)| *seen == c) {
            out.push((c, script.full_name()));
        }
    }
    out
}

/// Transliterates Uzbek Cyrillic (and Russian) to Uzbek Latin with U+02BB/U+02BC, keeping
/// case: `Ғуломов` → `Gʻulomov`, `ШАВКАТ` → `SHAVKAT`. Non-Cyrillic characters pass through.
pub fn cyrillic_to_latin(text: &str) -> String {
    let text: String = text.nfc().collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let Some((_, start, after)) = lookup(lower) else {
            out.push(c);
            continue;
        };
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let word_start = prev.is_none_or(|p| !p.is_alphabetic());
        let latin = if word_start || prev.is_some_and(is_vowel) { start } else { after };
        if c == lower || latin.is_empty() {
            out.push_str(latin);
            continue;
        }
        // Upper case: the whole digraph in an all-caps word (SH), else only its first letter (Sh).
        let next_upper = chars.get(i + 1).is_some_and(|n| n.is_uppercase());
        let prev_upper = prev.is_some_and(|p| p.is_uppercase());
        if next_upper || (prev_upper && !word_start) {
            out.extend(latin.chars().flat_map(char::to_uppercase));
        } else {
            let mut it = latin.chars();
            if let Some(first) = it.next() {
                out.extend(first.to_uppercase());
                out.push_str(it.as_str());
            }
        }
    }
    out
}

/// Lower-case Latin text with every apostrophe look-alike as `'`: the "literal" form,
/// used to rank a hit that matches the spelling typed above one that only folds to it.
pub fn literal(text: &str) -> String {
    memo(&LITERALS, text, literal_uncached)
}

/// Names repeat (a roster has a few hundred surnames): remember recent results per thread.
fn memo(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    text: &str,
    f: fn(&str) -> String,
) -> String {
    if let Some(hit) = cache.with(|c| c.borrow().get(text).cloned()) {
        return hit;
    }
    let out = f(text);
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MEMO_CAP {
            c.clear();
        }
        c.insert(text.to_string(), out.clone());
    });
    out
}

const MEMO_CAP: usize = 20_000;

thread_local! {
    static LITERALS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static FOLDS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

fn literal_uncached(text: &str) -> String {
    // A name pasted from a chat or a web page may carry zero-width characters: they would
    // split or change the word, so a search never sees them.
    let visible: String = text.chars().filter(|c| !is_invisible(*c)).collect();
    let mut s = cyrillic_to_latin(visible.trim()).to_lowercase();
    for (from, to) in &tables().variants {
        if s.contains(from.as_str()) {
            s = s.replace(from.as_str(), to);
        }
    }
    s
}

/// The folded search key of a name in any script: `Xoʻjayev`, `Хўжаев`, `Хужаев` and
/// `Xujayev` all give `hujaev`. Words are separated by single spaces; hyphens and other
/// punctuation split words.
pub fn fold(text: &str) -> String {
    memo(&FOLDS, text, fold_uncached)
}

fn fold_uncached(text: &str) -> String {
    let mut s = literal(text);
    // Apply the rules until nothing changes, so the key of a key is itself ("kx" → "kh" →
    // "h"). Every rule shortens the text or removes x/q for good, so this ends quickly.
    for _ in 0..10 {
        let mut changed = false;
        for (from, to) in &tables().fold {
            if s.contains(from.as_str()) {
                s = s.replace(from.as_str(), to);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // Removing an apostrophe can bring two combining marks together out of canonical
    // order; normalising again makes the key of a key the key itself.
    out.nfc().collect()
}

/// The words of a literal form, split like [`fold`] splits (apostrophes stay inside words).
pub fn literal_words(text: &str) -> Vec<String> {
    literal(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// One entry of the search index: the folded token and the literal word it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameToken {
    pub token: String,
    pub literal: String,
}

/// The index entries for a set of names (Latin and Cyrillic): each word once, folded.
pub fn tokens<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<NameToken> {
    let mut out: Vec<NameToken> = Vec::new();
    for name in names {
        for word in literal_words(name) {
            let token = fold(&word).replace(' ', "");
            if token.is_empty() || out.iter().any(|t| t.token == token) {
                continue;
            }
            out.push(NameToken { token, literal: word });
        }
    }
    out
}

/// The smallest string greater than every string starting with `prefix`, for index range
/// scans (`token >= prefix AND token < upper`). Tokens are lower-case alphanumerics, so
/// appending U+10FFFF is enough.
pub fn prefix_upper_bound(prefix: &str) -> String {
    let mut s = prefix.to_string();
    s.push('\u{10FFFF}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_fold_alike(names: &[&str]) {
        let keys: Vec<String> = names.iter().map(|n| fold(n)).collect();
        for (n, k) in names.iter().zip(&keys) {
            assert_eq!(k, &keys[0], "{n} folds to {k}, {} to {}", names[0], keys[0]);
        }
    }

    #[test]
    fn folding_a_key_again_changes_nothing_even_with_stray_combining_marks() {
        // Found by the property test below: a combining mark that a split leaves at the
        // start of a word must not make the second folding differ from the first.
        for s in ["\u{5e9}\u{5c1}`\u{16ff0}", "a`\u{301}b", "`\u{5c1}\u{5b0}"] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s:?}");
        }
    }

    #[test]
    fn a_search_ignores_zero_width_characters_pasted_with_the_name() {
        assert_eq!(fold("Gʻulo\u{200B}mov"), fold("Gʻulomov"));
        assert_eq!(fold("\u{202E}Ғуломов"), "gulomov");
    }

    #[test]
    fn the_spellings_of_one_name_share_a_key() {
        all_fold_alike(&["Gʻulomov", "G'ulomov", "G‘ulomov", "Gulomov", "Ғуломов", "Гуломов"]);
        all_fold_alike(&["Oʻtkir", "O'tkir", "Ўткир", "Уткир", "Utkir"]);
        all_fold_alike(&["Rahimov", "Raximov", "Раҳимов", "Рахимов"]);
        all_fold_alike(&["Qodirov", "Kodirov", "Қодиров", "Кодиров"]);
        all_fold_alike(&["Xoʻjayev", "Хўжаев", "Хужаев", "Xujayev"]);
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(fold("Gulomov"), fold("Rahimov"));
        assert_ne!(fold("Anvar"), fold("Anora"));
    }

    #[test]
    fn transliteration_follows_the_official_table() {
        assert_eq!(cyrillic_to_latin("Ғуломов"), "Gʻulomov");
        assert_eq!(cyrillic_to_latin("Ўткир"), "Oʻtkir");
        assert_eq!(cyrillic_to_latin("Хўжаев"), "Xoʻjayev");
        assert_eq!(cyrillic_to_latin("Шавкат ўғли"), "Shavkat oʻgʻli");
        assert_eq!(cyrillic_to_latin("Ергашев"), "Yergashev");
        assert_eq!(cyrillic_to_latin("ШАВКАТ"), "SHAVKAT");
        assert_eq!(cyrillic_to_latin("Чориев"), "Choriyev");
        assert_eq!(cyrillic_to_latin("Маъруф"), "Maʼruf");
    }

    #[test]
    fn tokens_are_deduplicated_across_scripts() {
        let t = tokens(["Gʻulomov", "Anvar", "Ғуломов"]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].token, "gulomov");
        assert_eq!(t[0].literal, "g'ulomov");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_total(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.contains('\''));
        }

        #[test]
        fn apostrophe_variants_never_change_the_key(
            word in "[a-z]{1,8}",
            rest in "[a-z]{1,8}",
            mark in prop::sample::select(vec!['ʻ', 'ʼ', '\'', '‘', '’', '`']),
        ) {
            let a = fold(&format!("{word}{mark}{rest}"));
            let b = fold(&format!("{word}'{rest}"));
            prop_assert_eq!(a, b);
        }

        #[test]
        fn transliterated_cyrillic_is_latin(s in "[а-яёўқғҳА-ЯЁЎҚҒҲ ]{0,30}") {
            prop_assert!(!has_cyrillic(&cyrillic_to_latin(&s)));
        }
    }
}
