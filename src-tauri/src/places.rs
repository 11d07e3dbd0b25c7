//! Regions of Uzbekistan and destination countries, from `data/regions.tsv` and
//! `data/countries.tsv`, with names in the four UI languages.

use crate::i18n::Lang;
use crate::names::fold;
use std::sync::OnceLock;

pub struct Place {
    pub code: String,
    /// Names in `Lang::ALL` order; empty when the table has none (then the code is shown).
    names: [String; 4],
    /// Folded spellings that identify it (names in every language plus aliases).
    keys: Vec<String>,
}

impl Place {
    pub fn name(&self, lang: Lang) -> &str {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        [&self.names[i], &self.names[0], &self.names[3], &self.code]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Words that only say "region", "city", "republic": removed before comparing.
const GENERIC_WORDS: &[&str] = &[
    "viloyati",
    "viloyat",
    "vil",
    "obl",
    "oblast",
    "oblasti",
    "oblast'",
    "область",
    "области",
    "обл",
    "вилояти",
    "вилоят",
    "region",
    "province",
    "shahri",
    "шаҳри",
    "шахри",
    "city",
    "г",
    "город",
    "respublikasi",
    "республикаси",
    "республика",
    "republic",
    "of",
];

fn strip_generic(key: &str) -> String {
    let generic: Vec<String> = GENERIC_WORDS.iter().map(|w| fold(w)).collect();
    key.split(' ').filter(|w| !generic.iter().any(|g| g == w)).collect::<Vec<_>>().join(" ")
}

fn load(text: &str, with_aliases: bool) -> Vec<Place> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let code = cols.first()?.trim().to_string();
            let col = |i: usize| cols.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
            let names = [col(1), col(2), col(3), col(4)];
            let mut keys: Vec<String> = names.iter().filter(|n| !n.is_empty()).map(|n| fold(n)).collect();
            if with_aliases {
                keys.extend(col(5).split('|').filter(|a| !a.is_empty()).map(fold));
            }
            keys.push(fold(&code));
            Some(Place { code, names, keys })
        })
        .collect()
}

pub fn regions() -> &'static [Place] {
    static R: OnceLock<Vec<Place>> = OnceLock::new();
    R.get_or_init(|| load(include_str!("../data/regions.tsv"), true))
}

pub fn countries() -> &'static [Place] {
    static C: OnceLock<Vec<Place>> = OnceLock::new();
    C.get_or_init(|| load(include_str!("../data/countries.tsv"), false))
}

pub fn region(code: &str) -> Option<&'static Place> {
    regions().iter().find(|r| r.code == code)
}

pub fn country(code: &str) -> Option<&'static Place> {
    countries().iter().find(|c| c.code == code)
}

/// Finds a region from its code or a name as people write it: `AN`, `Andijon`,
/// `Andijon viloyati`, `Андижон`, `Андижанская обл.`.
pub fn find_region(text: &str) -> Option<&'static Place> {
    let key = fold(text);
    if key.is_empty() {
        return None;
    }
    let exact = regions().iter().find(|r| r.keys.contains(&key) || r.code.eq_ignore_ascii_case(text.trim()));
    exact.or_else(|| {
        let bare = strip_generic(&key);
        (!bare.is_empty()).then_some(())?;
        // A bare name that is itself a known spelling wins ("Ташкент г." is the city), then
        // any region whose spellings reduce to the same bare name.
        regions()
            .iter()
            .find(|r| r.keys.contains(&bare))
            .or_else(|| regions().iter().find(|r| r.keys.iter().any(|k| strip_generic(k) == bare)))
    })
}

/// A destination by ISO 3166-1 alpha-2 code, any case, or by its name in any of the app's
/// languages (as exports and spreadsheets write it: `Janubiy Koreya`, `Южная Корея`).
pub fn find_country(text: &str) -> Option<&'static Place> {
    let code = text.trim().to_ascii_uppercase();
    country(&code).or_else(|| {
        static NAMES: std::sync::OnceLock<std::collections::HashMap<String, usize>> = std::sync::OnceLock::new();
        let names = NAMES.get_or_init(|| {
            let mut map = std::collections::HashMap::new();
            for (i, c) in countries().iter().enumerate() {
                for lang in Lang::ALL {
                    map.entry(fold(c.name(lang))).or_insert(i);
                }
            }
            map
        });
        let key = fold(text);
        (!key.is_empty()).then(|| names.get(&key).and_then(|i| countries().get(*i))).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_found_however_people_write_them() {
        for text in ["AN", "an", "Andijon", "Andijon viloyati", "Андижон", "Андижанская обл.", "Андижанская область"]
        {
            assert_eq!(find_region(text).map(|r| r.code.as_str()), Some("AN"), "{text}");
        }
        assert_eq!(find_region("Fargʻona").map(|r| r.code.as_str()), Some("FA"));
        assert_eq!(find_region("Fargona viloyati").map(|r| r.code.as_str()), Some("FA"));
        assert_eq!(find_region("Toshkent viloyati").map(|r| r.code.as_str()), Some("TO"));
        assert_eq!(find_region("Ташкентская обл.").map(|r| r.code.as_str()), Some("TO"));
        assert_eq!(find_region("Toshkent shahri").map(|r| r.code.as_str()), Some("TK"));
        assert_eq!(find_region("г. Ташкент").map(|r| r.code.as_str()), Some("TK"));
        assert_eq!(find_region("Qoraqalpogʻiston Respublikasi").map(|r| r.code.as_str()), Some("QR"));
        assert!(find_region("Atlantis").is_none());
        assert!(find_region("").is_none());
    }

    #[test]
    fn there_are_fourteen_regions_and_every_iso_country() {
        assert_eq!(regions().len(), 14);
        assert!(countries().len() >= 249);
        assert_eq!(find_country("kr").map(|c| c.name(Lang::En)), Some("South Korea"));
        assert_eq!(find_country("fr").map(|c| c.name(Lang::Ru)), Some("FR"));
        assert!(find_country("XX").is_none());
        assert_eq!(find_country("Южная Корея").map(|c| c.code.as_str()), Some("KR"));
        assert_eq!(find_country("Janubiy Koreya").map(|c| c.code.as_str()), Some("KR"));
    }
}
