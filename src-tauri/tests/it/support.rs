use safar::clock::FixedClock;
use safar::desk::Desk;
use safar::roster::consent::ConsentInput;
use safar::roster::WorkerInput;
use safar::store::Store;
use std::sync::Arc;

/// A desk on a fresh database file in a temp dir, on 2026-11-25.
pub async fn desk() -> (Desk, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).await.expect("open store");
    let clock = FixedClock::on(2026, 11, 25).expect("date");
    (Desk::new(store, Arc::new(clock)), dir)
}

/// A valid worker: Gʻulomov Anvar, born 1990-03-15.
pub fn anvar() -> WorkerInput {
    WorkerInput {
        last_name: Some("Gʻulomov".into()),
        first_name: Some("Anvar".into()),
        patronymic: Some("Shavkat oʻgʻli".into()),
        last_name_cyrillic: Some("Ғуломов".into()),
        first_name_cyrillic: Some("Анвар".into()),
        birth_date: Some("1990-03-15".into()),
        sex: Some("M".into()),
        pinfl: Some("31503901234562".into()),
        passport_number: Some("AA1234567".into()),
        passport_issued: Some("2020-01-10".into()),
        passport_expiry: Some("2030-01-09".into()),
        phone: Some("+998 90 123 45 67".into()),
        region: Some("AN".into()),
        destination_country: Some("KR".into()),
        consent: Some(consent()),
        ..Default::default()
    }
}

/// A consent given a week before the test date, for two years.
pub fn consent() -> ConsentInput {
    ConsentInput {
        given_on: Some("2026-11-18".into()),
        purpose: Some("Employment abroad through the agency".into()),
        valid_until: Some("2028-11-18".into()),
        may_transfer_abroad: Some(true),
        data_list: None,
    }
}

/// Another valid worker with the given Latin and Cyrillic last names and a distinct
/// PINFL, passport and phone derived from `n`.
pub fn person(n: u16, last: &str, cyr: Option<&str>) -> WorkerInput {
    use safar::roster::identity::{make_pinfl, Sex};
    let birth = chrono::NaiveDate::from_ymd_opt(1985, 1, 1).expect("date") + chrono::Duration::days(i64::from(n) * 37);
    WorkerInput {
        last_name: Some(last.into()),
        first_name: Some("Bekzod".into()),
        last_name_cyrillic: cyr.map(Into::into),
        birth_date: None,
        sex: None,
        pinfl: Some(make_pinfl(birth, Sex::M, 100, n)),
        passport_number: Some(format!("AB{:07}", n)),
        passport_issued: Some("2021-05-05".into()),
        passport_expiry: Some("2031-05-04".into()),
        phone: Some(format!("+99893{:07}", 1000000 + u32::from(n))),
        region: Some("Samarqand".into()),
        destination_country: Some("GB".into()),
        consent: Some(consent()),
        ..Default::default()
    }
}

/// The agency profile and its first admin (certificates need the licence number).
pub async fn init_agency(desk: &Desk) {
    use safar::agency::{AdminInput, AgencyInput};
    if desk.store.agency().await.expect("agency").is_some() {
        return;
    }
    let agency = AgencyInput {
        name: "Safar Xususiy bandlik agentligi MChJ".into(),
        licence_number: "XBA-0042".into(),
        licence_date: "2024-01-10".into(),
        address: "Toshkent, Chilonzor 5".into(),
        director: "Karimov Anvar".into(),
    };
    let admin = AdminInput { login: "admin".into(), full_name: String::new(), password: "Toshkent-2026".into() };
    desk.init(&agency, &admin).await.expect("init");
}

/// A 24-hour course (pass mark 60, attendance 80 %, valid 12 months) and a cohort of
/// three 8-hour sessions in November 2026; returns (course id, cohort id, session ids).
pub async fn course_and_cohort(desk: &Desk, capacity: u32) -> (i64, i64, Vec<i64>) {
    use safar::training::{CohortInput, CourseInput, SessionInput};
    let s = |v: &str| Some(v.to_string());
    let course = desk
        .add_course(
            &CourseInput {
                name_uz: s("Koreyaga ketish oldidan tayyorgarlik"),
                name_uz_cyrl: s("Кореяга кетиш олдидан тайёргарлик"),
                name_ru: s("Предвыездная подготовка: Корея"),
                name_en: s("Pre-departure orientation: Korea"),
                hours: s("24"),
                pass_mark: s("60"),
                min_attendance_percent: s("80"),
                validity_months: s("12"),
                modules: None,
                countries: None,
            },
            "admin",
        )
        .await
        .expect("course");
    let cohort = desk
        .add_cohort(
            &CohortInput {
                course_id: s(&course.course.id.to_string()),
                starts_on: s("2026-11-02"),
                ends_on: s("2026-11-13"),
                place: s("Toshkent, Chilonzor 5"),
                trainer: s("Karimova Dilnoza"),
                capacity: s(&capacity.to_string()),
                sessions: ["2026-11-02", "2026-11-06", "2026-11-13"]
                    .iter()
                    .map(|d| SessionInput { date: s(d), hours: s("8") })
                    .collect(),
            },
            "admin",
        )
        .await
        .expect("cohort");
    (course.course.id, cohort.cohort.id, cohort.sessions.iter().map(|x| x.id).collect())
}

/// Runs workers through a cohort (enrol, full attendance, score 80) and issues their
/// certificates; returns the certificate numbers.
pub async fn certify(desk: &Desk, workers: &[i64]) -> Vec<String> {
    init_agency(desk).await;
    let (_, cohort, sessions) = course_and_cohort(desk, 30).await;
    let (enrolled, refused) = desk.enroll(cohort, workers, "admin").await.expect("enrol");
    assert!(refused.is_empty(), "{:?}", refused.iter().map(|r| r.error.code).collect::<Vec<_>>());
    for s in sessions {
        desk.attend(cohort, s, &enrolled, true, "admin").await.expect("attend");
    }
    for w in &enrolled {
        desk.score(cohort, *w, "80", "admin").await.expect("score");
    }
    let out = desk.issue_certificates(cohort, None, "admin").await.expect("issue");
    assert!(out.refused.is_empty(), "{:?}", out.refused.iter().map(|r| r.error.code).collect::<Vec<_>>());
    out.issued.into_iter().map(|c| c.number).collect()
}
