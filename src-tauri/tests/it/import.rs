// Over 600 lines: one test per defect class and file format of the import; the fixtures drive it, splitting would only scatter them.
//! Imports and exports on real files: the shared samples (a CSV with one row per defect
//! class and its expected outcome, an Uzbek-header XLSX), our own fixtures in the
//! encodings and header languages agencies use, workbooks made at test time, the round
//! trip export → import, OWASP payloads, batches and strict mode, and a bounded fuzz of
//! the readers.

use crate::support::desk;
use proptest::prelude::*;
use safar::i18n::Lang;
use safar::import::export;
use safar::import::{read, Action, ImportOptions, OnDuplicate, Plan};
use safar::roster::ListQuery;
use safar::roster::WorkerData;
use safar::sheet::{FileKind, Kind, Sheet};
use serde_json::Value;
use std::collections::BTreeMap;

pub const SAMPLE_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/workers.csv");

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// (row, code) of every refused problem.
fn refused(plan: &Plan) -> Vec<(usize, String, &'static str)> {
    plan.refused.iter().map(|p| (p.row, p.field.clone().unwrap_or_default(), p.code)).collect()
}

fn adds(plan: &Plan) -> usize {
    plan.count(|a| *a == Action::Add)
}

/// The expected outcome's defect names, as the codes the validator gives.
fn defect_code(defect: &str) -> (&'static str, &'static str) {
    match defect {
        "pinfl_length" => ("pinfl", "pinfl_format"),
        "missing_last_name" => ("last_name", "required"),
        "passport_format" => ("passport_number", "passport_format"),
        "pinfl_check_digit" => ("pinfl", "pinfl_checksum"),
        "pinfl_birth_mismatch" => ("birth_date", "pinfl_birth_mismatch"),
        "expiry_before_issue" => ("passport_expiry", "expiry_not_after_issue"),
        "birth_date_invalid" => ("birth_date", "date_invalid"),
        "phone_format" => ("phone", "phone_format"),
        other => panic!("a defect class without a test: {other}"),
    }
}

fn expected_refusals() -> Vec<(usize, String, &'static str)> {
    let expected: Value = serde_json::from_slice(&fixture("workers.expected.json")).expect("json");
    expected["refused"]
        .as_array()
        .expect("refused")
        .iter()
        .map(|r| {
            let (field, code) = defect_code(r["defect"].as_str().expect("defect"));
            (r["row"].as_u64().expect("row") as usize, field.to_string(), code)
        })
        .collect()
}

#[test]
fn every_defect_class_of_the_sample_csv_is_refused_at_its_row_and_the_rest_imported() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk
            .import_plan("workers.csv", &fixture("workers.csv"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        assert_eq!((plan.source.format, plan.source.delimiter), ("csv", Some(',')));
        assert_eq!(plan.data_rows, 48);
        assert_eq!(adds(&plan), 40);
        assert_eq!(refused(&plan), expected_refusals());
        assert!(plan.refused.iter().all(|p| !p.message.is_empty() && p.message != p.code));
        // The extra "defect" column is reported, not fatal.
        assert!(plan.warnings.iter().any(|w| w.code == "column_unknown" && w.field.as_deref() == Some("defect")));

        let report = desk.import_commit(&plan, None, "admin").await.expect("commit");
        assert_eq!((report.added, report.updated, report.skipped), (40, 0, 0));
        assert_eq!(desk.store.count_workers().await.expect("count"), 40);
        let found = desk
            .list(&ListQuery { search: Some("Ўринбоев".into()), ..Default::default() }, Lang::En)
            .await
            .expect("search");
        assert!(
            found.items.iter().any(|r| r.row.last_name == "Oʻrinboyev"),
            "Cyrillic search finds an imported worker"
        );
        let w = desk.get(found.items[0].row.id).await.expect("worker");
        assert_eq!(w.region, "JI");

        // The same file again: every row is now a database duplicate, skipped by default…
        let again = desk
            .import_plan("workers.csv", &fixture("workers.csv"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        assert_eq!((adds(&again), again.report().skipped, again.duplicates.len()), (0, 40, 40));
        assert!(again.duplicates.iter().all(|d| d.kind == "database" && d.existing_id.is_some()));
        // …or updates the existing worker when asked, with one row decided otherwise.
        let mut decisions = BTreeMap::new();
        decisions.insert(2usize, OnDuplicate::Skip);
        let options = ImportOptions { on_duplicate: OnDuplicate::Update, decisions, ..Default::default() };
        let update = desk.import_plan("workers.csv", &fixture("workers.csv"), &options, Lang::En).await.expect("plan");
        let r = desk.import_commit(&update, Some(10), "admin").await.expect("update");
        assert_eq!((r.added, r.updated, r.skipped), (0, 39, 1));
        assert_eq!(desk.store.count_workers().await.expect("count"), 40);
        // An archived worker is never updated by an import (he is restored by hand).
        desk.archive(found.items[0].row.id, "moved away", "admin").await.expect("archive");
        let options = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
        let again = desk.import_plan("workers.csv", &fixture("workers.csv"), &options, Lang::En).await.expect("plan");
        assert_eq!((again.report().updated, again.report().skipped), (39, 1));
        assert!(again.warnings.iter().any(|w| w.code == "archived" && w.row == 10), "{:?}", again.warnings);
    });
}

#[test]
fn the_same_name_and_birth_date_is_a_possible_duplicate_added_unless_skipped() {
    use safar::roster::identity::{make_pinfl, Sex};
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk
            .import_plan("w.csv", &fixture("workers.csv"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        desk.import_commit(&plan, None, "admin").await.expect("commit");
        // Karimov Jasur, born 2000-04-30, again with other documents.
        let birth = chrono::NaiveDate::from_ymd_opt(2000, 4, 30).expect("d");
        let csv = format!(
            "Familiya,Ism,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat\n\
             KARIMOV,Jasur,{},AB9999999,2020-01-01,2030-01-01,Samarqand\n",
            make_pinfl(birth, Sex::M, 999, 999)
        );
        let p = desk.import_plan("k.csv", csv.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan");
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!((p.duplicates[0].kind, p.duplicates[0].action), ("name_birth", OnDuplicate::Add));
        assert!(p.warnings.iter().any(|w| w.code == "possible_duplicate" && w.row == 2));
        assert_eq!(adds(&p), 1);
        let mut decisions = BTreeMap::new();
        decisions.insert(2usize, OnDuplicate::Skip);
        let options = ImportOptions { decisions, ..Default::default() };
        let p = desk.import_plan("k.csv", csv.as_bytes(), &options, Lang::En).await.expect("plan");
        assert_eq!((adds(&p), p.report().skipped), (0, 1));
        // Karimov's passport (AC4220867) with a PINFL nobody has: a mixed-up row, refused,
        // never an update that would rewrite his PINFL.
        let mixed = format!(
            "Familiya,Ism,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat\n\
             Karimov,Jasur,{},AC4220867,2018-07-26,2028-07-26,Samarqand\n",
            make_pinfl(birth, Sex::M, 998, 998)
        );
        let options = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
        let p = desk.import_plan("m.csv", mixed.as_bytes(), &options, Lang::En).await.expect("plan");
        assert_eq!(refused(&p), vec![(2, "passport_number".to_string(), "duplicate_passport")]);
        assert_eq!(p.report().updated, 0);
    });
}

#[test]
fn a_preview_refuses_the_update_of_a_worker_whose_consent_has_expired_and_the_commit_writes_the_rest() {
    use safar::clock::FixedClock;
    use safar::desk::Desk;
    use safar::roster::identity::{make_pinfl, Sex};
    use std::sync::Arc;
    rt().block_on(async {
        let (desk, dir) = desk().await;
        let birth = chrono::NaiveDate::from_ymd_opt(1990, 3, 15).expect("d");
        let (a, b) = (make_pinfl(birth, Sex::M, 101, 1), make_pinfl(birth, Sex::M, 102, 2));
        let first = format!(
            "Familiya,Ism,Tugʻilgan sana,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat,Izoh,Consent date,Consent valid until\n\
             Aliyev,Vali,1990-03-15,{a},AA1111111,2020-01-01,2030-01-01,Samarqand,first,2026-11-01,2026-12-01\n\
             Boboyev,Sobir,1990-03-15,{b},AA2222222,2020-01-01,2030-01-01,Samarqand,first,2026-11-01,2028-11-01\n"
        );
        let plan = desk.import_plan("a.csv", first.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan");
        assert_eq!((refused(&plan), adds(&plan)), (vec![], 2));
        desk.import_commit(&plan, None, "admin").await.expect("commit");

        // Two months later Aliyev's consent has run out; Boboyev's has not.
        let later = Desk::new(
            safar::store::Store::open(dir.path()).await.expect("store"),
            Arc::new(FixedClock::on(2027, 1, 25).expect("date")),
        );
        let options = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
        let second = format!(
            "Familiya,Ism,Tugʻilgan sana,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat,Izoh\n\
             Aliyev,Vali,1990-03-15,{a},AA1111111,2020-01-01,2030-01-01,Samarqand,second\n\
             Boboyev,Sobir,1990-03-15,{b},AA2222222,2020-01-01,2030-01-01,Samarqand,second\n"
        );
        let plan = later.import_plan("b.csv", second.as_bytes(), &options, Lang::En).await.expect("plan");
        assert_eq!(refused(&plan), vec![(2, "consent".to_string(), "consent_expired")]);
        // The date in the reader's format (English: "1 Dec 2026").
        assert!(plan.refused[0].message.contains("1 Dec 2026"), "{}", plan.refused[0].message);
        assert_eq!(plan.report().updated, 1);
        let report = later.import_commit(&plan, None, "admin").await.expect("the commit writes the other row");
        assert_eq!(report.updated, 1);
        let list = later.store.workers_matching(&Default::default(), &Default::default()).await.expect("list");
        let notes: Vec<_> = list.iter().map(|w| (w.pinfl.clone(), w.notes.clone())).collect();
        assert!(notes.contains(&(a.clone(), Some("first".into()))), "{notes:?}");
        assert!(notes.contains(&(b.clone(), Some("second".into()))), "{notes:?}");
    });
}

#[test]
fn the_uzbek_header_workbook_gives_the_same_outcome_as_the_csv() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk
            .import_plan("workers-uz.xlsx", &fixture("workers-uz.xlsx"), &ImportOptions::default(), Lang::UzLatn)
            .await
            .expect("plan");
        assert_eq!(plan.source.format, "xlsx");
        let mapped: Vec<Option<&str>> = plan.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            mapped,
            vec![
                Some("last_name"),
                Some("first_name"),
                Some("patronymic"),
                Some("birth_date"),
                Some("sex"),
                Some("pinfl"),
                Some("passport_number"),
                Some("passport_issued"),
                Some("passport_expiry"),
                Some("phone"),
                Some("region"),
                Some("destination_country"),
                Some("notes"),
            ]
        );
        assert_eq!(adds(&plan), 40);
        // Date cells, numeric PINFLs and a text date that does not exist, at the rows the
        // sheet shows.
        assert_eq!(refused(&plan), expected_refusals());
        desk.import_commit(&plan, None, "admin").await.expect("commit");
        let w = desk
            .list(&ListQuery { search: Some("53004008386867".into()), ..Default::default() }, Lang::En)
            .await
            .expect("search");
        let karimov = desk.get(w.items[0].row.id).await.expect("worker");
        assert_eq!((karimov.birth_date.as_str(), karimov.sex.as_str()), ("2000-04-30", "M"));
        assert_eq!(karimov.passport_expiry, "2028-07-26");
    });
}

#[test]
fn workbooks_saved_by_libreoffice_as_ods_xls_and_xlsx() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        for (name, format) in [("workers-uz-libreoffice.ods", "ods"), ("workers-uz-libreoffice.xls", "xls")] {
            let plan = desk.import_plan(name, &fixture(name), &ImportOptions::default(), Lang::En).await.expect(name);
            assert_eq!(plan.source.format, format);
            assert_eq!((adds(&plan), refused(&plan)), (40, expected_refusals()), "{name}");
            let karimov = &plan.items[0].data;
            assert_eq!(
                (karimov.birth_date.as_str(), karimov.pinfl.as_str()),
                ("2000-04-30", "53004008386867"),
                "{name}"
            );
        }
        // The Russian CSV opened in LibreOffice and saved as XLSX.
        let name = "workers-ru-libreoffice.xlsx";
        let plan = desk.import_plan(name, &fixture(name), &ImportOptions::default(), Lang::Ru).await.expect(name);
        assert_eq!((adds(&plan), refused(&plan)), (10, vec![]));
        assert_eq!(plan.items[0].data.last_name, "Karimov");
    });
}

#[test]
fn a_russian_cp1251_semicolon_file_with_cyrillic_names() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let bytes = fixture("workers-ru-cp1251.csv");
        let plan = desk.import_plan("workers-ru.csv", &bytes, &ImportOptions::default(), Lang::Ru).await.expect("plan");
        assert_eq!(plan.source.encoding, Some("windows-1251"));
        assert!(plan.source.encoding_guessed, "a single-byte encoding is always a guess the preview shows");
        assert_eq!(plan.source.delimiter, Some(';'));
        assert_eq!(plan.sample[0][0], "Каримов");
        assert_eq!(refused(&plan), vec![]);
        assert_eq!(adds(&plan), 10);
        let first = &plan.items[0].data;
        assert_eq!((first.last_name.as_str(), first.last_name_cyrillic.as_deref()), ("Karimov", Some("Каримов")));
        assert_eq!(first.phone.as_deref(), Some("+998883560440"));
        assert_eq!(first.passport_number, "AC4220867");
        assert_eq!(first.region, "SA");
        assert_eq!(first.destination_country.as_deref(), Some("KR"));
        assert!(plan.warnings.iter().any(|w| w.code == "transliterated" && w.row == 2));
        // Read as UTF-8 on purpose, the file is refused rather than garbled.
        let options = ImportOptions { encoding: Some("utf-8".into()), ..Default::default() };
        let e = desk.import_plan("workers-ru.csv", &bytes, &options, Lang::Ru).await.expect_err("not UTF-8");
        assert_eq!(e.code, "encoding_invalid");
    });
}

#[test]
fn an_uzbek_cyrillic_file_with_a_bom_and_slash_dates() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk
            .import_plan("uz.csv", &fixture("workers-uz-cyrl-bom.csv"), &ImportOptions::default(), Lang::UzCyrl)
            .await
            .expect("plan");
        assert_eq!((plan.source.encoding, plan.source.encoding_guessed), (Some("UTF-8"), false));
        assert_eq!(refused(&plan), vec![]);
        assert_eq!(adds(&plan), 10);
        let d = &plan.items[0].data;
        assert_eq!(d.last_name_cyrillic.as_deref(), Some("Турсунов"));
        assert_eq!((d.last_name.as_str(), d.first_name.as_str()), ("Tursunov", "Oʻtkir"));
        assert_eq!(d.birth_date, "1996-06-11", "dd/mm/yyyy learnt from the column");
        assert_eq!((d.region.as_str(), d.sex.as_str()), ("NW", "M"));
    });
}

#[test]
fn a_utf16_tab_file_with_excel_mangled_numbers() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk
            .import_plan("en.txt", &fixture("workers-en-utf16.txt"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        assert_eq!((plan.source.encoding, plan.source.delimiter), (Some("UTF-16LE"), Some('\t')));
        // 3.12E+13 lost digits; 3.3108874306531E+13 kept them all.
        assert_eq!(refused(&plan), vec![(2, "pinfl".to_string(), "precision_lost")]);
        assert_eq!(adds(&plan), 9);
        assert_eq!(plan.items[0].data.pinfl, "33108874306531");
        assert_eq!(plan.items[0].data.region, "SA", "“Samarqand region”");
        assert_eq!(plan.items[0].data.passport_number, "AD7773552");
    });
}

/// A workbook written at test time: typed cells as Excel keeps them.
fn workbook(rows: &[Vec<Cellish>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cellish::T(s) => ws.write_string(r, c, *s).map(|_| ()),
                Cellish::N(n) => ws.write_number(r, c, *n).map(|_| ()),
                Cellish::D(y, m, d) => {
                    let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    ws.write_datetime_with_format(r, c, &dt, &date).map(|_| ())
                }
            }
            .expect("write");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

enum Cellish {
    T(&'static str),
    N(f64),
    D(u16, u8, u8),
}

#[test]
fn a_workbook_with_a_title_row_number_cells_and_an_ambiguous_date() {
    use Cellish::{D, N, T};
    let head = vec![
        T("Familiya"),
        T("Ism"),
        T("Tugʻilgan sana"),
        T("JSHSHIR"),
        T("Pasport"),
        T("Berilgan sana"),
        T("Amal qilish muddati"),
        T("Telefon"),
        T("Viloyat"),
        T("Jinsi"),
    ];
    let bytes = workbook(&[
        vec![T("Roʻyxat 2026")],
        head,
        vec![
            T("Karimov"),
            T("Jasur"),
            D(2000, 4, 30),
            N(53004008386867.0),
            T("AC4220867"),
            D(2018, 7, 26),
            D(2028, 7, 26),
            N(998883560440.0),
            T("Samarqand"),
            T("Erkak"),
        ],
        vec![
            T("Saidov"),
            T("Ilhom"),
            T("06/07/1975"),
            T("3.26E+13"),
            T("AE7463414"),
            N(44236.0),
            N(47888.0),
            N(334500332.0),
            T("Андижан"),
            T("M"),
        ],
    ]);
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan = desk.import_plan("t.xlsx", &bytes, &ImportOptions::default(), Lang::En).await.expect("plan");
        assert_eq!(plan.header_row, 2, "the title line above the headers is skipped");
        assert_eq!(
            refused(&plan),
            vec![(4, "birth_date".into(), "date_ambiguous"), (4, "pinfl".into(), "precision_lost")]
        );
        let d = &plan.items[0].data;
        assert_eq!((d.birth_date.as_str(), d.pinfl.as_str()), ("2000-04-30", "53004008386867"));
        assert_eq!(d.phone.as_deref(), Some("+998883560440"));
    });
}

#[test]
fn a_corrected_mapping_is_saved_and_reused_for_the_same_shape() {
    let csv = "Фамилия,Исм,Туғилган сана,Hujjat,ЖШШИР,Берилган сана,Амал қилиш муддати,Вилоят\n\
               Каримов,Жасур,30.04.2000,AC4220867,53004008386867,26.07.2018,26.07.2028,Самарқанд\n";
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plain = desk.import_plan("a.csv", csv.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan");
        assert_eq!(plain.mapping_source, "alias");
        assert!(plain.refused.iter().any(|p| p.field.as_deref() == Some("passport_number")));
        let mut mapping = BTreeMap::new();
        mapping.insert("passport_number".to_string(), "hujjat".to_string());
        let options = ImportOptions { mapping, ..Default::default() };
        let fixed = desk.import_plan("a.csv", csv.as_bytes(), &options, Lang::En).await.expect("plan");
        assert_eq!((fixed.mapping_source, refused(&fixed)), ("user", vec![]));
        desk.import_commit(&fixed, None, "admin").await.expect("commit");
        let next = "Фамилия,Исм,Туғилган сана,Hujjat,ЖШШИР,Берилган сана,Амал қилиш муддати,Вилоят\n";
        let again = desk.import_plan("b.csv", next.as_bytes(), &ImportOptions::default(), Lang::En).await;
        // A header-only file is empty of data but still maps by the saved shape.
        let again = again.expect("plan");
        assert_eq!(again.mapping_source, "saved");
        assert!(again.columns.iter().any(|c| c.header == "Hujjat" && c.field.as_deref() == Some("passport_number")));
    });
}

#[test]
fn strict_mode_refuses_the_file_and_batches_are_all_or_nothing() {
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let strict = ImportOptions { strict: true, ..Default::default() };
        let plan = desk.import_plan("w.csv", &fixture("workers.csv"), &strict, Lang::En).await.expect("plan");
        let e = desk.import_commit(&plan, None, "admin").await.expect_err("strict");
        assert_eq!(e.code, "import_strict_refused");
        assert_eq!(desk.store.count_workers().await.expect("count"), 0);

        let plan = desk
            .import_plan("w.csv", &fixture("workers.csv"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        // Someone adds the 17th accepted worker between the preview and the commit: the
        // third batch of 7 fails whole, the first two stay.
        let clash = &plan.writes()[16].data;
        let mut other = crate::support::person(1, "Boshqa", None);
        other.pinfl = Some(clash.pinfl.clone());
        other.birth_date = Some(clash.birth_date.clone());
        other.sex = Some(clash.sex.clone());
        desk.create(&other, "admin").await.expect("someone else");
        let e = desk.import_commit(&plan, Some(7), "admin").await.expect_err("changed");
        assert_eq!(e.code, "import_changed");
        assert_eq!(desk.store.count_workers().await.expect("count"), 15);
        let chain = desk.store.audit_chain().await.expect("audit");
        let imports: Vec<_> = chain.iter().filter(|e| e.action == "import").collect();
        assert_eq!(imports.len(), 2, "one entry per committed batch");
        assert!(imports[0].changes.contains("\"report\""), "the first batch carries the report");
        assert!(!imports[0].changes.contains("Karimov"), "no personal data in the trail");
        assert!(safar::audit::verify(&chain).ok);
    });
}

// ------------------------------------------------------------------ limits

#[test]
fn a_workbook_with_more_rows_than_the_limit_is_refused_with_the_limit_named() {
    // One narrow column keeps the file small and quick to make; the reader stops at the
    // limit, whatever the width.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Familiya").expect("header");
    for r in 1..=read::MAX_ROWS as u32 {
        ws.write_number(r, 0, f64::from(r)).expect("cell");
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let e = desk.import_plan("big.xlsx", &bytes, &ImportOptions::default(), Lang::En).await.expect_err("refused");
        assert_eq!(e.code, "import_too_many_rows");
        let message = safar::i18n::t(Lang::En, "errors.import_too_many_rows", &[("max", read::MAX_ROWS.to_string())]);
        assert!(message.contains("200000"), "{message}");
        assert_eq!(e.params, vec![("max", read::MAX_ROWS.to_string())]);
    });
}

#[test]
fn columns_beyond_the_200th_are_named_in_a_warning() {
    let mut header: Vec<String> =
        ["Familiya", "Ism", "JSHSHIR", "Pasport", "Berilgan sana", "Amal qilish muddati", "Viloyat"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    header.resize(203, String::new());
    for (i, h) in header.iter_mut().enumerate().skip(7) {
        *h = format!("extra {i}");
    }
    let csv = format!("{}\n", header.join(","));
    rt().block_on(async {
        let (desk, _dir) = desk().await;
        let plan =
            desk.import_plan("wide.csv", csv.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan");
        let w = plan.warnings.iter().find(|w| w.code == "columns_ignored").expect("a warning about the columns");
        assert_eq!(w.row, 0);
        assert!(w.message.contains('3') && w.message.contains("200"), "{}", w.message);
    });
}

#[test]
fn the_report_lists_a_hundred_refusals_per_code_with_exact_counts_and_says_how_many_are_left_out() {
    let mut csv =
        String::from("Familiya,Ism,Tugʻilgan sana,JSHSHIR,Pasport,Berilgan sana,Amal qilish muddati,Viloyat\n");
    for i in 0..250 {
        csv.push_str(&format!("Aliyev,Vali,1990-03-15,123{i},AA{:07},2020-01-01,2030-01-01,Samarqand\n", i));
    }
    let path = tempfile::Builder::new().suffix(".csv").tempfile().expect("file");
    std::fs::write(path.path(), &csv).expect("write");
    let plan = rt().block_on(async {
        let (desk, _dir) = desk().await;
        desk.import_plan("bad.csv", csv.as_bytes(), &ImportOptions::default(), Lang::En).await.expect("plan")
    });
    let report = plan.report();
    assert_eq!(report.counts.refused.get("pinfl_format"), Some(&250));
    assert_eq!(report.refused.iter().filter(|p| p.code == "pinfl_format").count(), safar::import::REPORT_PER_CODE);
    assert_eq!(report.counts.refused.values().sum::<usize>(), plan.refused.len(), "exact counts of every refusal");
    assert_eq!(report.left_out.refused, plan.refused.len() - report.refused.len());
    assert!(report.refused.len() <= report.counts.refused.len() * safar::import::REPORT_PER_CODE);
    let notes = report.left_out_notes(Lang::UzLatn);
    assert!(notes.iter().any(|n| n.contains("150") && n.contains("pinfl_format")), "{notes:?}");
    // The command line's JSON and text carry the same.
    use crate::cli::{initialised, safar};
    let dir = initialised();
    let file = path.path().to_str().expect("path");
    let body = safar(dir.path(), &["import", file, "--dry-run", "--json"], "").json();
    assert_eq!(body["refused"].as_array().map(Vec::len), Some(report.refused.len()));
    assert_eq!(body["counts"]["refused"]["pinfl_format"], 250);
    assert_eq!(body["left_out"]["refused"], report.left_out.refused);
    let text = safar(dir.path(), &["import", file, "--dry-run", "--lang", "en"], "").stdout;
    assert!(text.contains("150 more with the code pinfl_format"), "{text}");
}

// ------------------------------------------------------------------ export

const OWASP: &[&str] = &["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"];

#[test]
fn owasp_payloads_cannot_start_a_formula_in_csv_or_xlsx() {
    let mut sheet = Sheet::new("t", vec![("Izoh".into(), Kind::Text), ("Kod".into(), Kind::Code)]);
    for p in OWASP {
        sheet.push(vec![Some(p.to_string()), Some(p.to_string())]);
    }
    // CSV: every such cell starts with the guard in the file itself.
    let csv = safar::sheet::csv_bytes(&sheet, b',').expect("csv");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&csv[3..]);
    for record in reader.records() {
        for cell in record.expect("record").iter() {
            assert!(cell.starts_with('\''), "CSV: {cell:?} would start a formula");
        }
    }
    // Both read back as the text written: the CSV reader drops its guard, and XLSX holds
    // string cells (never formulas) with nothing added.
    for (name, bytes) in [("x.csv", csv), ("x.xlsx", safar::sheet::xlsx_bytes(&sheet).expect("xlsx"))] {
        let table = read::read(name, &bytes, None).expect("read back");
        for (row, p) in table.rows[1..].iter().zip(OWASP) {
            let expected = read::Cell::Text(p.to_string());
            assert_eq!(row.cells, vec![expected.clone(), expected], "{name}");
        }
    }
    libreoffice_reads_them_as_text(&sheet);
}

#[test]
fn xlsx_exports_hold_text_without_a_visible_quote_and_a_real_leading_quote_survives() {
    let mut sheet = Sheet::new("t", vec![("Izoh".into(), Kind::Text)]);
    let texts = ["=1+1", "'=1+1", "''@x", "'plain", "'", "it's"];
    for text in texts {
        sheet.push(vec![Some(text.to_string())]);
    }
    let bytes = safar::sheet::xlsx_bytes(&sheet).expect("xlsx");
    // The cells as any spreadsheet reads them: exactly the text, no OWASP quote added.
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).expect("open");
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).expect("sheet").expect("range");
    let cells: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(cells, texts);
    let formulas = calamine::Reader::worksheet_formula(&mut book, "t").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");
    // Our reader keeps a leading quote that is the value's own.
    let table = read::read("x.xlsx", &bytes, None).expect("read");
    let back: Vec<read::Cell> = table.rows[1..].iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(back, texts.iter().map(|t| read::Cell::Text(t.to_string())).collect::<Vec<_>>());
}

/// The same payloads through LibreOffice when it is installed (`soffice --headless
/// --convert-to csv`): every cell must come back as the text we wrote, not a result.
fn libreoffice_reads_them_as_text(sheet: &Sheet) {
    let Ok(out) = std::process::Command::new("soffice").arg("--version").output() else {
        println!("note: soffice is not installed; the LibreOffice read-back of OWASP payloads is skipped");
        return;
    };
    if !out.status.success() {
        println!("note: soffice does not run here; skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let convert = |path: &std::path::Path| {
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir"])
            .arg(dir.path().join("out"))
            .arg(path)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("soffice");
        assert!(status.success());
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x").to_string();
        std::fs::read_to_string(dir.path().join("out").join(format!("{name}.csv"))).expect("converted")
    };
    // The control: an unguarded cell is evaluated, so the check below means something.
    let raw = dir.path().join("raw.csv");
    std::fs::write(&raw, "a\n=1+1\n").expect("raw");
    assert_eq!(convert(&raw).lines().nth(1), Some("2"), "LibreOffice evaluates an unguarded formula");
    for (file, format) in [("p.xlsx", FileKind::Xlsx), ("p.csv", FileKind::Csv { delimiter: b',' })] {
        let path = dir.path().join(file);
        safar::sheet::write(sheet, &path, format).expect("write");
        let text = convert(&path);
        assert!(!text.contains(",2\n") && !text.lines().any(|l| l.starts_with('2')), "{text}");
        for p in ["=1+1", "+SUM(A1)", "-2+3", "@cmd"] {
            // CSV keeps its guard as text; an XLSX string cell is text as it is.
            let shown = if file.ends_with(".csv") { format!("'{p}") } else { p.to_string() };
            assert!(text.lines().any(|l| l.starts_with(&format!("{shown},"))), "{file}: {p} not kept as text: {text}");
        }
    }
}

#[test]
fn export_then_import_gives_back_every_worker_exactly() {
    rt().block_on(async {
        let (desk, dir) = desk().await;
        let plan = desk
            .import_plan("w.csv", &fixture("workers.csv"), &ImportOptions::default(), Lang::En)
            .await
            .expect("plan");
        desk.import_commit(&plan, None, "admin").await.expect("commit");
        let query = ListQuery { region: Some("Fargʻona".into()), ..Default::default() };
        for (file, semicolon) in [("f.xlsx", false), ("f.csv", true)] {
            let path = dir.path().join(file);
            let n = desk.export_workers(&query, &path, semicolon, Lang::UzCyrl, "admin").await.expect("export");
            assert_eq!(n, plan.items.iter().filter(|i| i.data.region == "FA").count());
            let (fresh, _d2) = crate::support::desk().await;
            let back = fresh
                .import_plan(file, &std::fs::read(&path).expect("read"), &ImportOptions::default(), Lang::En)
                .await
                .expect("plan");
            assert_eq!(refused(&back), vec![]);
            assert!(back.warnings.iter().all(|w| w.row == 0), "{:?}", back.warnings);
            let original: Vec<_> = plan.items.iter().filter(|i| i.data.region == "FA").map(|i| &i.data).collect();
            let mut again: Vec<_> = back.items.iter().map(|i| &i.data).collect();
            again.sort_by_key(|d| original.iter().position(|o| o.pinfl == d.pinfl));
            assert_eq!(again, original, "{file}");
        }
        let contracts = dir.path().join("c.xlsx");
        assert_eq!(desk.export_contracts(None, None, &contracts, false, Lang::En, "admin").await.expect("c"), 0);
        let chain = desk.store.audit_chain().await.expect("audit");
        assert_eq!(chain.iter().filter(|e| e.action == "export").count(), 3, "every export is in the trail");
    });
}

/// Valid workers with the letters that break naive code: ʻ ʼ in Latin, ў қ ғ ҳ in
/// Cyrillic, and notes that start like formulas or hold the CSV delimiters.
fn worker_strategy() -> impl Strategy<Value = (WorkerData, u8)> {
    let latin = prop_oneof![
        "[A-Z][a-z]{2,8}",
        "[A-Z][a-z]{0,3}ʻ[a-z]{1,5}",
        "[A-Z][a-z]{1,4}ʼ[a-z]{1,5}",
        "(Oʻ|Gʻ)[a-z]{2,6}",
        "[A-Z][a-z]{2,5}-[A-Z][a-z]{2,5}",
    ];
    let cyrillic = "[АБВГДЕЖЗИКЛМНОПРСТУФХЎҚҒҲ][абвгдежзийклмнопрстуфхўқғҳъ]{1,8}";
    let notes = "[=+@'-]{0,2}[a-zA-Zўқғҳʻʼ,;\"'0-9][a-zA-Zўқғҳʻʼ ,;\"'0-9]{0,15}[a-zA-Z]";
    (
        (latin.clone(), latin.clone(), proptest::option::of(latin)),
        (proptest::option::of(cyrillic), proptest::option::of(cyrillic), proptest::option::of(cyrillic)),
        (0i64..16_000, any::<bool>(), 0u16..1000, "A[A-E]", 0i64..3600),
        (proptest::option::of("[0-9]{9}"), 0usize..14, proptest::option::of(0usize..12), proptest::option::of(notes)),
        any::<u8>(),
    )
        .prop_map(
            |(
                (last, first, patronymic),
                (lc, fc, pc),
                (days, female, serial, series, issued),
                (phone, region, country, notes),
                seed,
            )| {
                use safar::roster::identity::{make_pinfl, Sex};
                let birth = chrono::NaiveDate::from_ymd_opt(1962, 1, 1).expect("d") + chrono::Duration::days(days);
                let sex = if female { Sex::F } else { Sex::M };
                let issued = chrono::NaiveDate::from_ymd_opt(2016, 11, 1).expect("d") + chrono::Duration::days(issued);
                let expiry = issued + chrono::Duration::days(3652);
                let d = |x: chrono::NaiveDate| x.format("%Y-%m-%d").to_string();
                const REGIONS: &[&str] =
                    &["AN", "BU", "FA", "JI", "XO", "NG", "NW", "QA", "SA", "SI", "SU", "TO", "QR", "TK"];
                const COUNTRIES: &[&str] = &["RU", "KR", "KZ", "GB", "TR", "PL", "LT", "DE", "LV", "IL", "JP", "AE"];
                let data = WorkerData {
                    last_name: last,
                    first_name: first,
                    patronymic: patronymic.map(|p| format!("{p} {}", if female { "qizi" } else { "oʻgʻli" })),
                    last_name_cyrillic: lc,
                    first_name_cyrillic: fc,
                    patronymic_cyrillic: pc,
                    birth_date: d(birth),
                    sex: sex.code().to_string(),
                    pinfl: make_pinfl(birth, sex, 1, serial),
                    passport_number: format!("{series}{:07}", serial),
                    passport_issued: d(issued),
                    passport_expiry: d(expiry),
                    phone: phone.map(|p| format!("+998{p}")),
                    region: REGIONS[region].to_string(),
                    destination_country: country.map(|c| COUNTRIES[c].to_string()),
                    notes,
                };
                (data, seed)
            },
        )
}

pub(crate) fn as_worker(data: &WorkerData, id: i64) -> safar::roster::Worker {
    let d = data.clone();
    safar::roster::Worker {
        id,
        last_name: d.last_name,
        first_name: d.first_name,
        patronymic: d.patronymic,
        last_name_cyrillic: d.last_name_cyrillic,
        first_name_cyrillic: d.first_name_cyrillic,
        patronymic_cyrillic: d.patronymic_cyrillic,
        birth_date: d.birth_date,
        sex: d.sex,
        pinfl: d.pinfl,
        passport_number: d.passport_number,
        passport_issued: d.passport_issued,
        passport_expiry: d.passport_expiry,
        phone: d.phone,
        region: d.region,
        destination_country: d.destination_country,
        notes: d.notes,
        status: "registered".into(),
        archived_at: None,
        created_at: String::new(),
        updated_at: String::new(),
        version: 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Export (XLSX or CSV with `,` or `;`, headers and names of places in any language)
    /// then import gives back every field exactly.
    #[test]
    fn export_then_import_round_trips_every_field(workers in proptest::collection::vec(worker_strategy(), 1..5), lang in 0usize..4, kind in 0u8..3) {
        let lang = Lang::ALL[lang];
        // Distinct documents per file (a repeated PINFL is a duplicate, not a round trip).
        let mut seen = std::collections::HashSet::new();
        let originals: Vec<WorkerData> = workers.into_iter().map(|(w, _)| w).filter(|w| seen.insert(w.pinfl.clone()) && seen.insert(w.passport_number.clone())).collect();
        let mut sheet = Sheet::with_fields("t", export::WORKER_FIELDS, lang);
        for (i, w) in originals.iter().enumerate() {
            sheet.push(export::worker_row(&as_worker(w, i as i64 + 1), lang));
        }
        let (name, bytes) = match kind {
            0 => ("r.xlsx", safar::sheet::xlsx_bytes(&sheet).expect("xlsx")),
            1 => ("r.csv", safar::sheet::csv_bytes(&sheet, b',').expect("csv")),
            _ => ("r.csv", safar::sheet::csv_bytes(&sheet, b';').expect("csv")),
        };
        let plan = rt().block_on(async {
            let (desk, _dir) = desk().await;
            desk.import_plan(name, &bytes, &ImportOptions::default(), Lang::En).await.expect("plan")
        });
        prop_assert_eq!(refused(&plan), vec![]);
        let back: Vec<WorkerData> = plan.items.iter().map(|i| i.data.clone()).collect();
        prop_assert_eq!(back, originals);
    }
}

// ------------------------------------------------------------------ CLI

#[test]
fn the_cli_prints_the_report_shape_and_exits_0_or_2() {
    use crate::cli::{initialised, safar};
    let dir = initialised();
    let r = safar(dir.path(), &["import", SAMPLE_CSV, "--json", "--dry-run"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body = r.json();
    let keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "added",
            "columns",
            "counts",
            "duplicates",
            "left_out",
            "missing",
            "refused",
            "skipped",
            "updated",
            "warnings"
        ]
    );
    assert_eq!(body["added"], 40);
    assert_eq!(
        body["refused"][0],
        serde_json::json!({"row": 11, "field": "pinfl", "code": "pinfl_format",
        "message": body["refused"][0]["message"].clone()})
    );
    let r = safar(dir.path(), &["import", SAMPLE_CSV, "--strict", "--json"], "");
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.json()["added"], 0);
    let r = safar(dir.path(), &["import", SAMPLE_CSV, "--batch", "15", "--map", "notes=defect"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = safar(dir.path(), &["workers", "list", "--json", "--search", "Ғуломов"], "").json();
    assert!(list["total"].as_i64().unwrap_or(0) >= 5, "{list}");
    let template = dir.path().join("template.xlsx");
    let r = safar(dir.path(), &["import", "template", "--out", template.to_str().expect("path"), "--lang", "ru"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = read::read("template.xlsx", &std::fs::read(&template).expect("template"), None).expect("read");
    assert_eq!(read::Cell::Text("Фамилия".into()), t.rows[0].cells[0]);
    // A single-byte file's encoding is a guess: the command line writes nothing until it
    // is given, and then imports the Cyrillic right.
    let cp1251 = format!("{}/tests/fixtures/import/workers-ru-cp1251.csv", env!("CARGO_MANIFEST_DIR"));
    let r = safar(dir.path(), &["import", &cp1251, "--json"], "");
    assert_eq!((r.code, r.json()["added"].clone()), (2, serde_json::json!(0)), "{}", r.stdout);
    let r = safar(dir.path(), &["import", &cp1251, "--encoding", "windows-1251", "--json"], "");
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    let list = safar(dir.path(), &["workers", "list", "--json", "--search", "Каримов"], "").json();
    assert!(list["total"].as_i64().unwrap_or(0) >= 1, "{list}");
    let csv = dir.path().join("w.csv");
    let r = safar(dir.path(), &["export", "workers", "--out", csv.to_str().expect("p"), "--region", "Navoiy"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(&csv).expect("csv").starts_with(&[0xEF, 0xBB, 0xBF]));
}

// ------------------------------------------------------------------ fuzz

/// A bounded, seeded mutational fuzz of the readers (stable Rust, runs in CI with the
/// other tests): bit flips, byte overwrites, truncations, insertions and splices of the
/// fixture files. The readers must answer every input with a table or a refusal, never a
/// panic, and within the size limits.
#[test]
fn the_readers_never_panic_on_mutated_files() {
    let seeds: Vec<(&str, Vec<u8>)> =
        ["workers.csv", "workers-uz.xlsx", "workers-ru-cp1251.csv", "workers-uz-cyrl-bom.csv", "workers-en-utf16.txt"]
            .iter()
            .map(|n| (*n, fixture(n)))
            .collect();
    let iterations: usize = std::env::var("SAFAR_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
    let mut rng = fastrand::Rng::with_seed(0x5AFA2);
    let started = std::time::Instant::now();
    let (mut ok, mut refused) = (0, 0);
    for i in 0..iterations {
        let (name, seed) = &seeds[i % seeds.len()];
        let mut bytes = seed.clone();
        for _ in 0..rng.usize(1..8) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.usize(0..bytes.len());
            match rng.u8(0..6) {
                0 => bytes[at] ^= 1 << rng.u8(0..8),
                1 => bytes[at] = rng.u8(..),
                2 => bytes.truncate(at),
                3 => bytes.insert(at, [b'"', b',', b';', b'\n', b'\r', 0, 0xFF, b'='][rng.usize(0..8)]),
                4 => {
                    let len = rng.usize(0..64).min(bytes.len() - at);
                    let chunk: Vec<u8> = bytes[at..at + len].to_vec();
                    let to = rng.usize(0..bytes.len());
                    bytes.splice(to..to, chunk);
                }
                _ => bytes.extend((0..rng.usize(0..32)).map(|_| rng.u8(..))),
            }
        }
        // Called through the public entry and through the workbook parser directly, so
        // the catch_unwind around calamine is not what makes the test pass for CSVs.
        match read::read(name, &bytes, None) {
            Ok(t) => {
                ok += 1;
                assert!(t.rows.len() <= read::MAX_ROWS);
            }
            Err(e) => {
                refused += 1;
                assert!(!e.code.is_empty());
            }
        }
        // Values of whatever was read go through the value parsers too.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for piece in text.split([',', ';', '\n']).take(50) {
                let cell = read::Cell::Text(piece.to_string());
                let _ = safar::import::values::date_value(&cell, Default::default(), false);
                let _ = safar::import::values::digits_value(&cell);
            }
        }
    }
    println!("fuzz: {iterations} inputs in {:?}: {ok} read, {refused} refused", started.elapsed());
}

// ------------------------------------------------------------------ reliability

/// RELIABILITY.md: kill -9 during a 10,000-row import, twice; each time only whole batches
/// are in the database, which opens, passes integrity_check and has an intact audit chain.
#[test]
fn a_killed_import_leaves_whole_batches_and_a_sound_database() {
    use crate::cli::{initialised, safar, ADMIN_PASSWORD};
    use std::process::{Command, Stdio};
    let dir = initialised();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let mut before = 0;
    for round in 0..2u64 {
        let mut rng = fastrand::Rng::with_seed(round);
        let mut sheet = Sheet::with_fields("w", export::WORKER_FIELDS, Lang::En);
        for i in 0..10_000u64 {
            let w = safar::demo::worker(&mut rng, 1_000_000 * (round + 2) + i, today);
            sheet.push(export::worker_row(&as_worker(&w.data, 0), Lang::En));
        }
        let file = dir.path().join(format!("big-{round}.csv"));
        std::fs::write(&file, safar::sheet::csv_bytes(&sheet, b',').expect("csv")).expect("write");
        let mut child = Command::new(env!("CARGO_BIN_EXE_safar"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--user", "admin", "import", file.to_str().expect("path"), "--batch", "1000"])
            .env("SAFAR_PASSWORD", ADMIN_PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::time::Instant::now() < deadline {
            let n = safar(dir.path(), &["info", "--json"], "").json()["workers"].as_i64().unwrap_or(0);
            if n > before {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let info = safar(dir.path(), &["info", "--json"], "");
        assert_eq!(info.code, 0, "the database opens after the kill: {}", info.stderr);
        let workers = info.json()["workers"].as_i64().expect("count");
        assert!(workers > before, "round {round}: a committed batch survives the kill");
        assert_eq!(
            (workers - before) % 1000,
            0,
            "round {round}: {} new workers is not whole batches",
            workers - before
        );
        println!("round {round}: killed with {} of 10,000 rows committed", workers - before);
        before = workers;
        let verify = safar(dir.path(), &["audit", "verify", "--json"], "");
        assert_eq!(verify.code, 0, "round {round}: {}", verify.stdout);
    }
    rt().block_on(async {
        let store = safar::store::Store::open(dir.path()).await.expect("open");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pragma_foreign_key_check")
            .fetch_one(store.pool())
            .await
            .expect("fk check");
        assert_eq!(orphans, 0);
    });
}
