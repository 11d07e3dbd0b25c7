//! Issue 13: every spelling finds the person. The search tiers (exact, folded, prefix,
//! similar spelling) on a real database, and the duplicate warning on the sound key in the
//! form and the import preview.

use crate::support::{anvar, desk, person};
use safar::desk::Desk;
use safar::i18n::Lang;
use safar::import::{ImportOptions, OnDuplicate};
use safar::roster::identity::{make_pinfl, Sex};
use safar::roster::{ListQuery, SortKey, WorkerInput};

fn search(text: &str) -> ListQuery {
    ListQuery { search: Some(text.into()), with_total: true, ..Default::default() }
}

/// (last name, how it matched) of each hit, in order, and the total.
async fn hits(d: &Desk, q: ListQuery) -> (Vec<(String, String)>, Option<i64>) {
    let page = d.list(&q, Lang::En).await.expect("list");
    let rows = page.items.into_iter().map(|r| (r.row.last_name, r.row.matched.unwrap_or_default())).collect();
    (rows, page.total)
}

/// Someone born on `birth` with his own PINFL and passport (serial `n`).
fn born(n: u16, last: &str, first: &str, birth: (i32, u32, u32)) -> WorkerInput {
    let date = chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).expect("date");
    WorkerInput {
        last_name: Some(last.into()),
        first_name: Some(first.into()),
        patronymic: None,
        last_name_cyrillic: None,
        first_name_cyrillic: None,
        birth_date: None,
        sex: Some("M".into()),
        pinfl: Some(make_pinfl(date, Sex::M, 200, n)),
        passport_number: Some(format!("AD{n:07}")),
        phone: None,
        ..anvar()
    }
}

#[tokio::test]
async fn a_russian_era_or_passport_spelling_finds_the_worker_as_a_similar_spelling() {
    let (d, _dir) = desk().await;
    d.create(&person(1, "Sotvoldiyev", None), "c").await.expect("1");
    d.create(&person(2, "Yoʻldoshev", Some("Йўлдошев")), "c").await.expect("2");
    d.create(&person(3, "Karimov", None), "c").await.expect("3");
    for (typed, name) in [
        ("Сатвалдиев", "Sotvoldiyev"),
        ("SATVALDIEV", "Sotvoldiyev"),
        ("Юлдашев", "Yoʻldoshev"),
        ("YULDASHEV", "Yoʻldoshev"),
        ("Yoldoshev", "Yoʻldoshev"),
    ] {
        let (found, total) = hits(&d, search(typed)).await;
        assert_eq!(found, vec![(name.to_string(), "phonetic".to_string())], "{typed}");
        assert_eq!(total, Some(1), "{typed}");
        // The same through the general query (another order, several words).
        let by_birth = ListQuery { sort: SortKey::BirthDate, ..search(typed) };
        assert_eq!(hits(&d, by_birth).await.0, vec![(name.to_string(), "phonetic".to_string())], "{typed}");
        let two_words = search(&format!("{typed} Bekzod"));
        assert_eq!(hits(&d, two_words).await.0, vec![(name.to_string(), "phonetic".to_string())], "{typed}");
    }
}

#[tokio::test]
async fn a_name_typed_exactly_comes_first_then_folded_then_similar_spellings() {
    let (d, _dir) = desk().await;
    // Three people whose papers spell one surname three ways, created in the worst order.
    d.create(&person(1, "Yuldashev", None), "c").await.expect("1");
    d.create(&person(2, "Yoʻldoshev", None), "c").await.expect("2");
    d.create(&person(3, "Yoldoshev", None), "c").await.expect("3");
    d.create(&person(4, "Yoʻldosheva", None), "c").await.expect("4");
    let expect = |rows: &[(&str, &str)]| rows.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(
        hits(&d, search("Yoʻldoshev")).await.0,
        expect(&[
            ("Yoʻldoshev", "exact"),
            ("Yoʻldosheva", "prefix"),
            ("Yoldoshev", "phonetic"),
            ("Yuldashev", "phonetic")
        ])
    );
    assert_eq!(
        hits(&d, search("Yoldoshev")).await.0,
        expect(&[("Yoldoshev", "exact"), ("Yoʻldoshev", "phonetic"), ("Yuldashev", "phonetic")])
    );
    // Its Cyrillic is the same spelling; u for oʻ (as Russian-speaking clerks write) folds.
    assert_eq!(hits(&d, search("Йўлдошев")).await.0[0], ("Yoʻldoshev".to_string(), "exact".to_string()));
    assert_eq!(hits(&d, search("Yuldoshev")).await.0[0], ("Yoʻldoshev".to_string(), "folded".to_string()));
    // Several words: the exact person first, whatever the order asked for.
    let q = ListQuery { sort: SortKey::Created, ..search("Yoldoshev Bekzod") };
    assert_eq!(hits(&d, q).await.0[0], ("Yoldoshev".to_string(), "exact".to_string()));
}

#[tokio::test]
async fn the_form_warns_of_a_duplicate_spelled_the_russian_way_but_only_with_the_same_birth_date() {
    let (d, _dir) = desk().await;
    let (first, _) = d.create(&born(1, "Sotvoldiyev", "Oʻtkir", (1990, 5, 1)), "c").await.expect("1");
    let (_, warnings) = d.create(&born(2, "Satvaldiev", "Utkir", (1990, 5, 1)), "c").await.expect("2");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].code, "possible_duplicate");
    assert_eq!(warnings[0].candidates.iter().map(|c| c.id).collect::<Vec<_>>(), vec![first.id]);
    // No false merge: a similar name born on another day is another person.
    let (_, warnings) = d.create(&born(3, "Satvaldiev", "Utkir", (1990, 5, 2)), "c").await.expect("3");
    assert!(warnings.is_empty(), "{warnings:?}");
    let (_, warnings) = d.create(&born(4, "Satvaldiev", "Umid", (1990, 5, 1)), "c").await.expect("4");
    assert!(warnings.is_empty(), "another first name: {warnings:?}");
    // PINFL and passport stay exact: the same PINFL under any spelling is refused.
    let same_pinfl =
        WorkerInput { passport_number: Some("AE0000001".into()), ..born(1, "Xo'jayev", "Ali", (1990, 5, 1)) };
    let e = d.create(&same_pinfl, "c").await.expect_err("refused");
    assert!(e.problems.iter().any(|p| p.code == "duplicate_pinfl"), "{:?}", e.problems);
}

#[tokio::test]
async fn the_import_preview_flags_the_same_sound_and_birth_date() {
    let (d, _dir) = desk().await;
    let (first, _) = d.create(&born(1, "Xoʻjamberdiyev", "Jahongir", (1988, 2, 3)), "c").await.expect("1");
    let birth = chrono::NaiveDate::from_ymd_opt(1988, 2, 3).expect("d");
    let other = chrono::NaiveDate::from_ymd_opt(1988, 2, 4).expect("d");
    let csv = format!(
        "Familiya,Ism,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat\n\
         KHODJAMBERDIEV,DJAKHONGIR,{},AB9999991,2020-01-01,2030-01-01,Samarqand\n\
         Ходжамбердиев,Джахонгир,{},AB9999992,2020-01-01,2030-01-01,Samarqand\n",
        make_pinfl(birth, Sex::M, 999, 991),
        make_pinfl(other, Sex::M, 999, 992),
    );
    let p = d.import_plan("k.csv", csv.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan");
    assert_eq!(p.duplicates.len(), 1, "{:?}", p.duplicates);
    assert_eq!(
        (p.duplicates[0].row, p.duplicates[0].kind, p.duplicates[0].action),
        (2, "name_birth", OnDuplicate::Add)
    );
    let w = p.warnings.iter().find(|w| w.code == "possible_duplicate").expect("warning");
    assert_eq!(w.row, 2);
    assert!(w.message.contains(&format!("#{}", first.id)), "{}", w.message);
}

#[test]
fn the_cli_warns_of_a_duplicate_spelled_as_in_a_passport_and_lists_it_as_a_similar_spelling() {
    use crate::cli::{initialised, safar};
    use serde_json::json;
    let dir = initialised();
    let worker = |last: &str, first: &str, pinfl: &str, passport: &str| {
        json!({
            "last_name": last, "first_name": first, "birth_date": "1990-03-15", "sex": "M", "pinfl": pinfl,
            "passport_number": passport, "passport_issued": "2020-01-10", "passport_expiry": "2030-01-09",
            "region": "AN",
            "consent": {"given_on": "2026-01-10", "purpose": "Employment abroad", "valid_until": "2030-01-10",
                        "may_transfer_abroad": true}
        })
        .to_string()
    };
    let first = safar(
        dir.path(),
        &["workers", "add", "--json"],
        &worker("Yoʻldoshev", "Oʻtkir", "31503901234562", "AA1234567"),
    );
    assert_eq!(first.code, 0, "{} {}", first.stdout, first.stderr);
    let id = first.json()["id"].as_i64().expect("id");
    let pinfl = make_pinfl(chrono::NaiveDate::from_ymd_opt(1990, 3, 15).expect("d"), Sex::M, 123, 999);
    let second = safar(
        dir.path(),
        &["--lang", "en", "workers", "add", "--json"],
        &worker("YULDASHEV", "UTKIR", &pinfl, "AB7654321"),
    );
    assert_eq!(second.code, 0, "{} {}", second.stdout, second.stderr);
    let body = second.json();
    let warning = &body["warnings"][0];
    assert_eq!(warning["code"], "possible_duplicate", "{body}");
    assert!(warning["message"].as_str().is_some_and(|m| m.contains(&format!("#{id}"))), "{body}");

    let list = safar(dir.path(), &["workers", "list", "--search", "Yoldoshev", "--json"], "").json();
    let matched: Vec<(&str, &str)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| (r["last_name"].as_str().unwrap_or(""), r["matched"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(matched, vec![("Yoʻldoshev", "phonetic"), ("YULDASHEV", "phonetic")]);
}

#[tokio::test]
async fn a_search_of_two_words_ranks_by_both_and_says_how_the_worst_matched() {
    let (d, _dir) = desk().await;
    // Many share the first name, few the surname: the common word's exact matches are then
    // looked up per person left, the rare word's read whole (store/name_search.rs).
    for n in 0..80u16 {
        let birth = (1960 + i32::from(n % 40), 1 + u32::from(n % 12), 1 + u32::from(n % 28));
        d.create(&born(100 + n, "Karimov", "Jasur", birth), "c").await.expect("many");
    }
    d.create(&born(1, "Qodirov", "Jasur", (1990, 1, 1)), "c").await.expect("1");
    d.create(&born(2, "Qodirov", "Jasurbek", (1990, 1, 2)), "c").await.expect("2");
    d.create(&born(3, "Kadyrov", "Jasur", (1990, 1, 3)), "c").await.expect("3");
    d.create(&born(4, "Qodirov", "Anvar", (1990, 1, 4)), "c").await.expect("4");
    d.create(&born(5, "Qodirova", "Jasur", (1990, 1, 5)), "c").await.expect("5");
    let expect = |rows: &[(&str, &str)]| rows.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    // The name typed exactly first; then one word a longer name (by name); then a similar
    // spelling. Anvar matches one word only and is not listed.
    let (found, total) = hits(&d, search("Qodirov Jasur")).await;
    assert_eq!(
        found,
        expect(&[("Qodirov", "exact"), ("Qodirov", "prefix"), ("Qodirova", "prefix"), ("Kadyrov", "phonetic")])
    );
    assert_eq!(total, Some(4));
    // Another order keeps the rank (the sum over the words) first and sorts within it:
    // Kadyrov (0 + 3) and Qodirov Jasurbek (2 + 1) tie, the younger first.
    let q = ListQuery { sort: SortKey::BirthDate, desc: true, ..search("jasur Kodirov") };
    assert_eq!(
        hits(&d, q).await.0,
        expect(&[("Qodirov", "folded"), ("Qodirova", "prefix"), ("Kadyrov", "phonetic"), ("Qodirov", "prefix")])
    );
    // Anvar sounds like one Qodirov; nobody has both of the other words.
    assert_eq!(hits(&d, search("Kadyrov Anvar")).await, (expect(&[("Qodirov", "phonetic")]), Some(1)));
    assert_eq!(hits(&d, search("Karimov Anvar")).await, (vec![], Some(0)));
}
