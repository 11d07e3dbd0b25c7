use safar::clock::FixedClock;
use safar::roster::consent::ConsentInput;
use safar::roster::service::Desk;
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
