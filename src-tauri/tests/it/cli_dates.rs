//! Dates on the command line: the text output writes them as the `--lang` reader does (one
//! formatter, `i18n::format_date`, shared with the messages); `--json` stays ISO for scripts.

use crate::cli::{initialised, safar};

/// A worker born 1990-03-15 with a passport of 2020-01-10, added with `workers add`.
fn added(dir: &std::path::Path) -> String {
    let worker = serde_json::json!({
        "last_name": "Gʻulomov", "first_name": "Anvar", "birth_date": "1990-03-15", "sex": "M",
        "pinfl": "31503901234562", "passport_number": "AA1234567", "passport_issued": "2020-01-10",
        "passport_expiry": "2030-01-09", "phone": "998901234567", "region": "Андижанская обл.",
        "consent": {"given_on": "2026-01-10", "purpose": "Employment abroad", "valid_until": "2030-01-10"}
    });
    let r = safar(dir, &["workers", "add", "--json"], &worker.to_string());
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    r.json()["id"].as_i64().expect("id").to_string()
}

#[test]
fn text_output_writes_dates_as_the_language_does_and_json_keeps_iso() {
    let dir = initialised();
    let id = added(dir.path());
    for (lang, birth, issued) in [
        ("uz-Latn", "15.03.1990", "10.01.2020"),
        ("uz-Cyrl", "15.03.1990", "10.01.2020"),
        ("ru", "15.03.1990", "10.01.2020"),
        ("en", "15 Mar 1990", "10 Jan 2020"),
    ] {
        let show = safar(dir.path(), &["--lang", lang, "workers", "show", &id], "");
        assert_eq!(show.code, 0, "{lang}: {}", show.stderr);
        assert!(show.stdout.contains(birth) && show.stdout.contains(issued), "{lang}: {}", show.stdout);
        assert!(!show.stdout.contains("1990-03-15"), "{lang} prints an ISO date: {}", show.stdout);
        let list = safar(dir.path(), &["--lang", lang, "workers", "list"], "");
        assert!(list.stdout.contains(birth), "{lang} list: {}", list.stdout);
    }
    let json = safar(dir.path(), &["--lang", "ru", "--json", "workers", "show", &id], "").json();
    assert_eq!(
        (json["birth_date"].as_str(), json["passport_issued"].as_str()),
        (Some("1990-03-15"), Some("2020-01-10")),
        "{json}"
    );
}
