//! The roster service on a real SQLite file.

use crate::support::{anvar, desk, person};
use safar::i18n::Lang;
use safar::roster::{ListQuery, SortKey, WorkerInput};

fn search(text: &str) -> ListQuery {
    ListQuery { search: Some(text.into()), with_total: true, ..Default::default() }
}

async fn names(d: &safar::desk::Desk, q: ListQuery) -> Vec<String> {
    d.list(&q, Lang::En).await.expect("list").items.into_iter().map(|r| r.row.last_name).collect()
}

#[tokio::test]
async fn a_new_worker_is_stored_normalised_with_a_dated_history_entry() {
    let (d, _dir) = desk().await;
    let (w, warnings) = d.create(&anvar(), "clerk").await.expect("create");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(w.status, "registered");
    assert_eq!(w.phone.as_deref(), Some("+998901234567"));
    assert_eq!(w.version, 1);
    let h = d.history(w.id).await.expect("history");
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].actor.as_str(), h[0].from_status.as_deref(), h[0].to_status.as_str()),
        ("clerk", None, "registered")
    );
    assert!(h[0].at.starts_with("2026-11-25T12:00:00"), "{}", h[0].at);
}

#[tokio::test]
async fn the_same_pinfl_or_passport_is_refused_with_a_pointer_to_the_holder() {
    let (d, _dir) = desk().await;
    let (first, _) = d.create(&anvar(), "clerk").await.expect("create");
    let again = WorkerInput { last_name: Some("Karimov".into()), last_name_cyrillic: None, ..anvar() };
    let e = d.create(&again, "clerk").await.expect_err("duplicate");
    assert_eq!(e.code, "validation");
    let codes: Vec<_> = e.problems.iter().map(|p| (p.field, p.code, p.existing_id)).collect();
    assert_eq!(
        codes,
        vec![
            (Some("pinfl"), "duplicate_pinfl", Some(first.id)),
            (Some("passport_number"), "duplicate_passport", Some(first.id))
        ]
    );
    assert!(e.problems[0].message(Lang::En).contains(&format!("#{}", first.id)));
    assert_eq!(d.store.count_workers().await.expect("count"), 1, "nothing written on refusal");
}

#[tokio::test]
async fn the_same_folded_name_and_birth_date_is_a_possible_duplicate_warning() {
    let (d, _dir) = desk().await;
    let (first, _) = d.create(&anvar(), "clerk").await.expect("create");
    // Same person typed another way, with a new passport and a PINFL that differs only in
    // the serial (so the birth date is the same).
    let twin = WorkerInput {
        last_name: Some("Gulomov".into()),
        pinfl: Some(safar::roster::identity::make_pinfl(
            chrono::NaiveDate::from_ymd_opt(1990, 3, 15).expect("date"),
            safar::roster::identity::Sex::M,
            123,
            999,
        )),
        passport_number: Some("AC7654321".into()),
        ..anvar()
    };
    let (_, warnings) = d.create(&twin, "clerk").await.expect("saved with a warning");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "possible_duplicate");
    assert_eq!(warnings[0].candidates.iter().map(|c| c.id).collect::<Vec<_>>(), vec![first.id]);
}

#[tokio::test]
async fn refused_input_reports_every_problem_and_writes_nothing() {
    let (d, _dir) = desk().await;
    let bad =
        WorkerInput { pinfl: Some("31503901234563".into()), phone: Some("123".into()), first_name: None, ..anvar() };
    let e = d.create(&bad, "clerk").await.expect_err("refused");
    let fields: Vec<_> = e.problems.iter().map(|p| p.field.unwrap_or("")).collect();
    assert_eq!(fields, vec!["first_name", "pinfl", "phone"]);
    assert_eq!(d.store.count_workers().await.expect("count"), 0);
    assert!(d.list(&ListQuery::default(), Lang::En).await.expect("list").items.is_empty());
}

#[tokio::test]
async fn every_spelling_of_a_name_finds_the_same_people_closest_first() {
    let (d, _dir) = desk().await;
    d.create(&person(1, "Gʻulomov", Some("Ғуломов")), "c").await.expect("1");
    d.create(&person(2, "Gulomov", None), "c").await.expect("2");
    d.create(&person(3, "Gulomova", None), "c").await.expect("3");
    d.create(&person(4, "Rahimov", Some("Раҳимов")), "c").await.expect("4");
    d.create(&person(5, "Raximov", None), "c").await.expect("5");
    d.create(&person(6, "Qodirov", None), "c").await.expect("6");
    d.create(&person(7, "Xoʻjayev", Some("Хўжаев")), "c").await.expect("7");
    d.create(&person(8, "Oʻtkirov", None), "c").await.expect("8");

    for q in ["Gʻulomov", "G'ulomov", "G‘ulomov", "Gulomov", "Ғуломов", "Гуломов", "gulom"] {
        let mut found = names(&d, search(q)).await;
        found.sort();
        assert_eq!(found, vec!["Gulomov", "Gulomova", "Gʻulomov"], "search {q}");
    }
    // Closeness: the exact spelling first, the folded match next, the longer name last.
    assert_eq!(names(&d, search("Gʻulomov")).await, vec!["Gʻulomov", "Gulomov", "Gulomova"]);
    assert_eq!(names(&d, search("Gulomov")).await, vec!["Gulomov", "Gʻulomov", "Gulomova"]);
    for q in ["Rahimov", "Raximov", "Раҳимов", "Рахимов"] {
        assert_eq!(names(&d, search(q)).await.len(), 2, "search {q}");
    }
    for q in ["Qodirov", "Kodirov", "Қодиров", "Кодиров"] {
        assert_eq!(names(&d, search(q)).await, vec!["Qodirov"], "search {q}");
    }
    for q in ["Xoʻjayev", "Хўжаев", "Хужаев", "Xujayev"] {
        assert_eq!(names(&d, search(q)).await, vec!["Xoʻjayev"], "search {q}");
    }
    for q in ["Oʻtkirov", "O'tkirov", "Ўткиров", "Уткиров", "Utkirov"] {
        assert_eq!(names(&d, search(q)).await, vec!["Oʻtkirov"], "search {q}");
    }
    // Two words must both match (first name and surname, any order).
    assert_eq!(names(&d, search("bekzod qodirov")).await, vec!["Qodirov"]);
    assert!(names(&d, search("anvar qodirov")).await.is_empty());
}

#[tokio::test]
async fn a_worker_whose_names_match_twice_is_listed_once() {
    let (d, _dir) = desk().await;
    let mut p = person(1, "Rustamov", None);
    p.patronymic = Some("Rustam oʻgʻli".into());
    d.create(&p, "c").await.expect("create");
    d.create(&person(2, "Rustamova", None), "c").await.expect("create");
    let q = ListQuery { search: Some("rustam".into()), with_total: true, ..Default::default() };
    let page = d.list(&q, Lang::En).await.expect("list");
    assert_eq!(page.items.len(), 2, "{:?}", page.items.iter().map(|r| &r.row.last_name).collect::<Vec<_>>());
    assert_eq!(page.total, Some(2));
}

#[tokio::test]
async fn search_finds_by_pinfl_passport_and_phone_digits() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "c").await.expect("create");
    d.create(&person(1, "Karimov", None), "c").await.expect("other");
    for q in [
        "31503901234562",
        "3150390",
        "AA1234567",
        "aa 123 4567",
        "aa12",
        "901234567",
        "+998 90 123 45 67",
        "4567",
        "90 123",
    ] {
        let ids: Vec<i64> = d.list(&search(q), Lang::En).await.expect("list").items.iter().map(|r| r.row.id).collect();
        assert_eq!(ids, vec![w.id], "search {q}");
    }
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages() {
    let (d, _dir) = desk().await;
    let last_names = ["Bozorov", "Aliyev", "Davronov", "Ergashev", "Choriyev"];
    for (i, n) in last_names.iter().enumerate() {
        let mut p = person(i as u16 + 1, n, None);
        if i % 2 == 0 {
            p.region = Some("Андижон".into());
        }
        d.create(&p, "c").await.expect("create");
    }
    let all = names(&d, ListQuery::default()).await;
    assert_eq!(all, vec!["Aliyev", "Bozorov", "Choriyev", "Davronov", "Ergashev"]);
    let desc = names(&d, ListQuery { desc: true, ..Default::default() }).await;
    assert_eq!(desc.first().map(String::as_str), Some("Ergashev"));
    let andijon = names(&d, ListQuery { region: Some("Andijon viloyati".into()), ..Default::default() }).await;
    assert_eq!(andijon, vec!["Bozorov", "Choriyev", "Davronov"]);
    let page = d
        .list(&ListQuery { limit: Some(2), offset: Some(2), with_total: true, ..Default::default() }, Lang::En)
        .await
        .expect("page");
    assert_eq!(page.items.iter().map(|r| r.row.last_name.as_str()).collect::<Vec<_>>(), vec!["Choriyev", "Davronov"]);
    assert_eq!((page.total, page.has_more), (Some(5), true));
    let by_created = names(&d, ListQuery { sort: SortKey::Created, ..Default::default() }).await;
    assert_eq!(by_created, last_names.to_vec());
    let e = d
        .list(&ListQuery { status: Some("flying".into()), ..Default::default() }, Lang::En)
        .await
        .expect_err("bad status");
    assert_eq!(e.code, "status_unknown");
}

#[tokio::test]
async fn status_moves_follow_the_table_and_are_recorded_with_who_and_why() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    let e = d.set_status(w.id, "certified", "skip ahead", "clerk").await.expect_err("jump");
    assert_eq!(e.code, "status_move_forbidden");
    assert!(e.message(Lang::En).contains("registered"));
    let e = d.set_status(w.id, "in_training", "   ", "clerk").await.expect_err("no reason");
    assert_eq!((e.code, e.field), ("reason_required", Some("reason")));
    let moved = d.set_status(w.id, "in_training", "enrolled in cohort 12", "aziza").await.expect("move");
    assert_eq!((moved.status.as_str(), moved.version), ("in_training", 2));
    let h = d.history(w.id).await.expect("history");
    let last = h.last().expect("entry");
    assert_eq!(
        (last.actor.as_str(), last.from_status.as_deref(), last.to_status.as_str(), last.reason.as_str()),
        ("aziza", Some("registered"), "in_training", "enrolled in cohort 12")
    );
    let f =
        d.list(&ListQuery { status: Some("in_training".into()), ..Default::default() }, Lang::En).await.expect("list");
    assert_eq!(f.items.len(), 1);
}

#[tokio::test]
async fn archiving_hides_a_worker_without_deleting_him_and_restore_brings_him_back() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    let a = d.archive(w.id, "moved away", "clerk").await.expect("archive");
    assert!(a.archived_at.is_some());
    assert!(names(&d, ListQuery::default()).await.is_empty());
    assert_eq!(names(&d, ListQuery { archived: true, ..Default::default() }).await, vec!["Gʻulomov"]);
    assert_eq!(d.archive(w.id, "", "clerk").await.expect_err("twice").code, "already_archived");
    assert_eq!(d.set_status(w.id, "in_training", "x", "clerk").await.expect_err("archived").code, "archived");
    // The PINFL stays taken while archived: a returning worker is restored, not re-entered.
    assert_eq!(d.create(&anvar(), "clerk").await.expect_err("dup").problems[0].code, "duplicate_pinfl");
    let r = d.restore(w.id, "came back", "clerk").await.expect("restore");
    assert!(r.archived_at.is_none());
    assert_eq!(names(&d, ListQuery::default()).await, vec!["Gʻulomov"]);
    assert_eq!(d.store.count_workers().await.expect("count"), 1);
    assert_eq!(d.history(w.id).await.expect("history").len(), 3);
}

#[tokio::test]
async fn saving_a_stale_copy_is_a_conflict_with_the_current_data() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    let mine = WorkerInput { notes: Some("mine".into()), ..anvar() };
    let theirs = WorkerInput { notes: Some("theirs".into()), ..anvar() };
    let (saved, _) = d.update(w.id, w.version, &theirs, "b").await.expect("first save wins");
    assert_eq!(saved.version, 2);
    let e = d.update(w.id, w.version, &mine, "a").await.expect_err("stale");
    assert_eq!(e.code, "conflict");
    let current = e.current.expect("current data");
    assert_eq!(current["notes"], "theirs");
    assert_eq!(d.get(w.id).await.expect("get").notes.as_deref(), Some("theirs"));
}

#[tokio::test]
async fn editing_keeps_the_search_index_in_step() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    let renamed =
        WorkerInput { last_name: Some("Qodirov".into()), last_name_cyrillic: Some("Қодиров".into()), ..anvar() };
    d.update(w.id, w.version, &renamed, "clerk").await.expect("update");
    assert!(names(&d, search("Гуломов")).await.is_empty());
    assert_eq!(names(&d, search("Кодиров")).await, vec!["Qodirov"]);
}

#[tokio::test]
async fn two_clerks_adding_the_same_person_at_once_store_him_once() {
    let (d, _dir) = desk().await;
    let input = anvar();
    let (a, b) = tokio::join!(d.create(&input, "a"), d.create(&input, "b"));
    assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1, "exactly one wins");
    assert_eq!(d.store.count_workers().await.expect("count"), 1);
}

#[tokio::test]
async fn the_demo_makes_valid_workers_in_every_region_and_status() {
    let (d, _dir) = desk().await;
    let made = safar::demo::fill(&d, 3000, 1, "demo").await.expect("demo");
    assert_eq!(made, 3000);
    safar::demo::fill(&d, 500, 2, "demo").await.expect("a second run adds more without clashes");
    assert_eq!(d.store.count_workers().await.expect("count"), 3500);
    for r in safar::places::regions() {
        let q = ListQuery { region: Some(r.code.clone()), limit: Some(1), ..Default::default() };
        assert!(!d.list(&q, Lang::En).await.expect("list").items.is_empty(), "region {}", r.code);
    }
    for s in safar::roster::status::Status::ALL {
        let q = ListQuery { status: Some(s.code().into()), limit: Some(1), ..Default::default() };
        assert!(!d.list(&q, Lang::En).await.expect("list").items.is_empty(), "status {}", s.code());
    }
    assert_eq!(d.store.integrity_check().await.expect("check"), "ok");
}

#[tokio::test]
async fn moves_the_software_makes_are_stored_as_codes_and_read_in_every_language() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    d.archive(w.id, "moved away", "clerk").await.expect("archive");
    d.restore(w.id, "", "clerk").await.expect("restore");
    let h = d.history(w.id).await.expect("history");
    let stored: Vec<_> = h.iter().map(|e| (e.reason_code.as_deref(), e.reason.as_str())).collect();
    assert_eq!(stored, [(Some("created"), ""), (Some("archived"), "moved away"), (Some("restored"), "")]);
    assert_eq!(h[1].reason_text(Lang::Ru), "Перенесён в архив: moved away");
    assert_eq!(h[2].reason_text(Lang::UzLatn), "Arxivdan qaytarildi");
    assert_eq!(h[0].reason_text(Lang::En), "Added");
    // A clerk's own reason stays as he typed it.
    let moved = d.set_status(w.id, "in_training", "cohort 12", "clerk").await.expect("move");
    let last = d.history(moved.id).await.expect("history").pop().expect("entry");
    assert_eq!((last.reason_code.as_deref(), last.reason_text(Lang::Ru)), (None, "cohort 12".to_string()));
}

#[tokio::test]
async fn history_rows_written_in_english_before_codes_get_their_codes() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("create");
    let old = [
        (None, "registered", "created"),
        (Some("certified"), "contract_signed", "contract signed"),
        (Some("contract_registered"), "departed", "departed 2026-11-24"),
        (Some("departed"), "returned", "contract_completed"),
        (Some("returned"), "returned", "archived: moved away"),
        (Some("registered"), "in_training", "enrolled in cohort 12"),
    ];
    sqlx::query("DELETE FROM status_history").execute(d.store.pool()).await.expect("clear");
    for (from, to, reason) in old {
        sqlx::query("INSERT INTO status_history (worker_id, at, actor, from_status, to_status, reason) VALUES (?, '2026-01-01T00:00:00Z', 'clerk', ?, ?, ?)")
            .bind(w.id).bind(from).bind(to).bind(reason)
            .execute(d.store.pool()).await.expect("old row");
    }
    // The data part of the migration (after its ALTER TABLE), run again on these rows.
    let sql = include_str!("../../migrations/0008_history_reason_codes.sql");
    let updates = sql.split_once("ADD COLUMN reason_code TEXT;").expect("the ALTER").1;
    sqlx::raw_sql(sqlx::AssertSqlSafe(updates)).execute(d.store.pool()).await.expect("migrate");
    let h = d.history(w.id).await.expect("history");
    let got: Vec<_> = h.iter().map(|e| (e.reason_code.as_deref(), e.reason.as_str())).collect();
    assert_eq!(
        got,
        [
            (Some("created"), ""),
            (Some("contract_signed"), ""),
            (Some("departed"), "2026-11-24"),
            (Some("contract_completed"), ""),
            (Some("archived"), "moved away"),
            (None, "enrolled in cohort 12"),
        ]
    );
    assert_eq!(h[3].reason_text(Lang::Ru), safar::i18n::t(Lang::Ru, "return_reason.contract_completed", &[]));
    assert_eq!(h[1].reason_text(Lang::UzCyrl), "Шартнома имзоланди");
}
