//! Training and certificates on a real SQLite file: enrolment rules, results, numbering
//! (also under concurrency), revocation and reissue, verification, and the printed PDF.

use crate::support::{anvar, certify, course_and_cohort, desk, init_agency, person};
use safar::certificates::service::judge;
use safar::certificates::signing::{Keys, Signed};
use safar::clock::FixedClock;
use safar::data_dir::DataDir;
use safar::desk::Desk;
use safar::store::Store;
use safar::training::Outcome;
use std::process::Command;
use std::sync::Arc;

/// `n` workers going to Korea, numbered from `from` (below 220: they must be adults).
async fn workers(d: &Desk, from: u16, n: u16) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in from..from + n {
        let mut p = person(i, &format!("Saidov{}", (b'a' + (i % 26) as u8) as char), Some("Саидов"));
        p.destination_country = Some("KR".into());
        ids.push(d.create(&p, "admin").await.expect("worker").0.id);
    }
    ids
}

#[tokio::test]
async fn enrolment_checks_each_worker_and_moves_him_to_training() {
    let (d, _dir) = desk().await;
    init_agency(&d).await;
    let (_, cohort, _) = course_and_cohort(&d, 2).await;
    let ids = workers(&d, 1, 3).await;
    d.archive(ids[2], "left", "admin").await.expect("archive");
    let (done, refused) = d.enroll(cohort, &[ids[0], ids[0], ids[2], ids[1], 99_999], "admin").await.expect("enrol");
    assert_eq!(done, vec![ids[0], ids[1]]);
    let codes: Vec<(i64, &str)> = refused.iter().map(|r| (r.worker_id, r.error.code)).collect();
    assert_eq!(codes, vec![(ids[0], "already_enrolled"), (ids[2], "archived"), (99_999, "not_found")]);
    assert_eq!(d.get(ids[0]).await.expect("w").status, "in_training");
    let history = d.history(ids[0]).await.expect("history");
    assert_eq!(history.last().map(|h| h.to_status.as_str()), Some("in_training"));
    // The cohort is full now.
    let more = workers(&d, 10, 1).await;
    let (_, refused) = d.enroll(cohort, &more, "admin").await.expect("enrol");
    assert_eq!(refused[0].error.code, "cohort_full");
    // Consent withdrawn: no enrolment.
    let (_, other, _) = course_and_cohort(&d, 5).await;
    d.withdraw_consent(more[0], "changed his mind", "admin").await.expect("withdraw");
    let (_, refused) = d.enroll(other, &more, "admin").await.expect("enrol");
    assert_eq!(refused[0].error.code, "consent_withdrawn");
}

#[tokio::test]
async fn results_come_from_attendance_and_score_with_reasons() {
    let (d, _dir) = desk().await;
    init_agency(&d).await;
    let (_, cohort, sessions) = course_and_cohort(&d, 10).await;
    let ids = workers(&d, 1, 3).await;
    d.enroll(cohort, &ids, "admin").await.expect("enrol");
    for s in &sessions {
        d.attend(cohort, *s, &ids[..2], true, "admin").await.expect("present");
    }
    d.attend(cohort, sessions[0], &ids[2..], true, "admin").await.expect("present once");
    d.attend(cohort, sessions[1], &ids[2..], false, "admin").await.expect("absent");
    d.score(cohort, ids[0], "75", "admin").await.expect("score");
    d.score(cohort, ids[1], "59", "admin").await.expect("score");
    d.score(cohort, ids[2], "90", "admin").await.expect("score");
    assert_eq!(d.score(cohort, ids[0], "101", "admin").await.expect_err("range").problems[0].code, "number_invalid");
    let view = d.cohort(cohort).await.expect("cohort");
    let row = |id: i64| view.trainees.iter().find(|t| t.worker_id == id).expect("trainee");
    assert_eq!((row(ids[0]).result, row(ids[0]).attendance_percent), (Outcome::Pass, 100));
    assert_eq!((row(ids[1]).result, row(ids[1]).reasons.clone()), (Outcome::Fail, vec!["score_low"]));
    assert_eq!((row(ids[2]).result, row(ids[2]).attendance_percent), (Outcome::Fail, 33));
    assert_eq!(row(ids[2]).reasons, vec!["attendance_low"]);
    assert_eq!(row(ids[2]).attendance, vec![Some(true), Some(false), None]);
    assert!(row(ids[0]).eligible && !row(ids[1]).eligible);

    let out = d.issue_certificates(cohort, None, "admin").await.expect("issue");
    assert_eq!(out.issued.len(), 1);
    assert_eq!(out.issued[0].number, "SFR-2026-000001");
    let refused: Vec<(i64, &str)> = out.refused.iter().map(|r| (r.worker_id, r.error.code)).collect();
    assert_eq!(refused, vec![(ids[1], "score_low"), (ids[2], "attendance_low")]);
    assert_eq!(d.get(ids[0]).await.expect("w").status, "certified");
    assert_eq!(d.get(ids[1]).await.expect("w").status, "in_training");
    // Nobody is "certified" by hand.
    let e = d.set_status(ids[1], "certified", "he was good", "admin").await.expect_err("by hand");
    assert_eq!(e.code, "certificate_required");
    // Issuing again does not make a second valid certificate.
    let again = d.issue_certificates(cohort, Some(ids[0]), "admin").await.expect("again");
    assert_eq!(again.refused[0].error.code, "certificate_exists");
}

#[tokio::test]
async fn attendance_is_not_marked_for_a_session_that_has_not_happened() {
    let (d, _dir) = desk().await;
    init_agency(&d).await;
    let (course, _, _) = course_and_cohort(&d, 10).await;
    let s = |v: &str| Some(v.to_string());
    let future = d
        .add_cohort(
            &safar::training::CohortInput {
                course_id: s(&course.to_string()),
                starts_on: s("2026-11-20"),
                ends_on: s("2026-12-10"),
                place: s("Samarqand"),
                trainer: s("Nazarov B."),
                capacity: s("5"),
                sessions: vec![safar::training::SessionInput { date: s("2026-12-01"), hours: s("8") }],
            },
            "admin",
        )
        .await
        .expect("cohort");
    let ids = workers(&d, 1, 1).await;
    d.enroll(future.cohort.id, &ids, "admin").await.expect("enrol");
    let e = d.attend(future.cohort.id, future.sessions[0].id, &ids, true, "admin").await.expect_err("future");
    assert_eq!(e.code, "session_in_future");
    let e = d.issue_certificates(future.cohort.id, None, "admin").await.expect_err("not over yet");
    assert_eq!(e.code, "cohort_not_finished");
}

#[tokio::test]
async fn revoked_certificates_stay_on_record_and_the_reissue_names_what_it_replaces() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "admin").await.expect("worker");
    let first = certify(&d, &[w.id]).await.remove(0);
    assert_eq!(d.revoke_certificate(&first, " ", "admin").await.expect_err("reason").code, "required");
    let revoked = d.revoke_certificate(&first, "Attendance signed by a proxy", "admin").await.expect("revoke");
    assert_eq!(
        (revoked.status.as_str(), revoked.revoke_reason.as_deref()),
        ("revoked", Some("Attendance signed by a proxy"))
    );
    assert_eq!(d.revoke_certificate(&first, "again", "admin").await.expect_err("twice").code, "certificate_revoked");
    assert_eq!(d.get(w.id).await.expect("w").status, "in_training", "no valid certificate: back in training");
    let out = d.issue_certificates(revoked.cohort_id, Some(w.id), "admin").await.expect("reissue");
    let second = &out.issued[0];
    assert_eq!(second.number, "SFR-2026-000002");
    assert_eq!(second.replaces_number.as_deref(), Some(first.as_str()));
    let register = d.certificates(None, None, 100).await.expect("register");
    assert_eq!(register.len(), 2, "both stay on record");
    assert_eq!(d.certificate(&first).await.expect("old").replaced_by.as_deref(), Some(second.number.as_str()));
    // The register finds by number, by Latin name and by Cyrillic name.
    for q in ["000002", "gʻulomov", "G'ulomov", "ғуломов"] {
        assert!(!d.certificates(Some(q), None, 10).await.expect("search").is_empty(), "{q}");
    }
    assert_eq!(d.certificates(None, Some("revoked"), 10).await.expect("revoked").len(), 1);
    let trail: Vec<String> = d.worker_audit(w.id).await.expect("trail").into_iter().map(|e| e.entry.action).collect();
    for wanted in ["training.enroll", "training.score", "certificate.issue", "certificate.revoke"] {
        assert!(trail.iter().any(|a| a == wanted), "{wanted} not audited: {trail:?}");
    }
}

#[tokio::test]
async fn a_score_under_a_valid_certificate_is_refused_until_the_certificate_is_revoked() {
    let (d, _dir) = desk().await;
    let (w, _) = d.create(&anvar(), "admin").await.expect("worker");
    let number = certify(&d, &[w.id]).await.remove(0);
    let cohort = d.certificate(&number).await.expect("c").cohort_id;
    let refused = d.score(cohort, w.id, "95", "admin").await.expect_err("certified");
    let problem = &refused.problems[0];
    assert_eq!((refused.code, problem.field, problem.code), ("validation", Some("score"), "score_certified"));
    assert!(problem.message(safar::i18n::Lang::En).contains(&number), "{}", problem.message(safar::i18n::Lang::En));
    let row = d.cohort(cohort).await.expect("cohort").trainees.into_iter().find(|t| t.worker_id == w.id);
    assert_eq!(row.and_then(|t| t.score), Some(80), "the certified score stays");
    d.revoke_certificate(&number, "Exam retaken", "admin").await.expect("revoke");
    assert_eq!(d.score(cohort, w.id, "95", "admin").await.expect("after revoking").score, Some(95));
}

/// Two windows (two connections to the same file) issuing at the same time take
/// different numbers, and together they leave no gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_windows_issuing_at_once_never_share_or_skip_a_number() {
    let (d, dir) = desk().await;
    init_agency(&d).await;
    let mut cohorts = Vec::new();
    for _ in 0..2 {
        let (_, cohort, sessions) = course_and_cohort(&d, 40).await;
        let ids = workers(&d, 100 + cohorts.len() as u16 * 20, 12).await;
        d.enroll(cohort, &ids, "admin").await.expect("enrol");
        for s in sessions {
            d.attend(cohort, s, &ids, true, "admin").await.expect("attend");
        }
        for w in &ids {
            d.score(cohort, *w, "70", "admin").await.expect("score");
        }
        cohorts.push((cohort, ids));
    }
    let clock = || Arc::new(FixedClock::on(2026, 11, 25).expect("date"));
    let a = Desk::new(Store::open(dir.path()).await.expect("window a"), clock());
    let b = Desk::new(Store::open(dir.path()).await.expect("window b"), clock());
    // One certificate per call, so the two windows' transactions interleave.
    let run = |desk: Desk, cohort: i64, ids: Vec<i64>| {
        tokio::spawn(async move {
            let mut numbers = Vec::new();
            for w in ids {
                let out = desk.issue_certificates(cohort, Some(w), "admin").await.expect("issue");
                numbers.extend(out.issued.into_iter().map(|c| c.number));
            }
            numbers
        })
    };
    let (c0, ids0) = cohorts[0].clone();
    let (c1, ids1) = cohorts[1].clone();
    let (x, y) = tokio::join!(run(a, c0, ids0), run(b, c1, ids1));
    let mut all: Vec<String> = x.expect("a").into_iter().chain(y.expect("b")).collect();
    all.sort();
    let expected: Vec<String> = (1..=24).map(|n| format!("SFR-2026-{n:06}")).collect();
    assert_eq!(all, expected, "no duplicates, no gaps");
}

#[tokio::test]
async fn verification_tells_valid_revoked_tampered_unknown_and_expired_apart() {
    let (d, dir) = desk().await;
    let (w, _) = d.create(&anvar(), "admin").await.expect("worker");
    let number = certify(&d, &[w.id]).await.remove(0);
    let record = d.certificate(&number).await.expect("c").record;
    let v = d.verify(record.as_bytes(), &[]).await.expect("verify");
    assert_eq!(v.status, "valid");
    // Our own certificate: the course in every language, from the register.
    let names = v.course_names.clone().expect("course names of our own certificate");
    assert_eq!(
        (names.ru.as_str(), names.en.as_str()),
        ("Предвыездная подготовка: Корея", "Pre-departure orientation: Korea")
    );
    let mut holder = v.clone();
    d.check_holder(&mut holder, Some("31503901234562")).await.expect("holder");
    assert_eq!(holder.pinfl_matches, Some(true));
    d.check_holder(&mut holder, Some("31503901234563")).await.expect("other");
    assert_eq!(holder.pinfl_matches, Some(false));
    let r = v.record.expect("record");
    assert_eq!((r.number.as_str(), r.holder.as_str(), r.score), (number.as_str(), "Gʻulomov A. S.", 80));
    assert!(!record.contains("31503901234562") && !record.contains("AA1234567"));
    assert!(safar::certificates::signing::pinfl_matches(&r, "31503901234562"));
    assert!(!safar::certificates::signing::pinfl_matches(&r, "31503901234563"));

    // Another office without our key: unknown issuer; with our public key file: valid.
    let other = tempfile::tempdir().expect("other office");
    let theirs =
        Desk::new(Store::open(other.path()).await.expect("open"), Arc::new(FixedClock::on(2026, 11, 25).expect("d")));
    assert_eq!(theirs.verify(record.as_bytes(), &[]).await.expect("v").status, "unknown_issuer");
    let key_file = d.public_key_text().await.expect("public key");
    theirs.trust_key(&key_file, "clerk").await.expect("trust");
    let v = theirs.verify(record.as_bytes(), &[]).await.expect("v");
    assert_eq!((v.status, v.own), ("valid", false));
    assert_eq!(v.course_names, None, "another office knows only the signed English name");

    // Tampered: a changed score re-encoded with a signature from another key.
    let signed = Signed::read(&record).expect("reads");
    let mut forged = signed.record.clone();
    forged.score = 99;
    let wrong = Keys::load_or_create(&DataDir::new(tempfile::tempdir().expect("k").path())).expect("key");
    let text = forged.sign(&wrong.signing);
    assert_eq!(d.verify(text.as_bytes(), &[]).await.expect("v").status, "tampered");
    assert_eq!(d.verify(b"SFR1NOTACODE", &[]).await.expect("v").status, "tampered");

    // A trusted agency's key cannot vouch for our licence.
    let other_keys = Keys::load_or_create(&DataDir::new(other.path())).expect("their key");
    let other_text = safar::certificates::signing::public_key_text(&other_keys.public(), "XBA-0099", "Boshqa agentlik");
    d.trust_key(&other_text, "admin").await.expect("trust theirs");
    let mut claimed = signed.record.clone();
    claimed.key_id = safar::certificates::signing::key_id(&other_keys.public());
    let v = d.verify(claimed.sign(&other_keys.signing).as_bytes(), &[]).await.expect("v");
    assert_eq!(v.status, "tampered", "a record claiming another agency's licence");
    claimed.licence_number = "XBA-0099".into();
    assert_eq!(d.verify(claimed.sign(&other_keys.signing).as_bytes(), &[]).await.expect("v").status, "valid");

    // Expired: judged a year and a day later.
    let issuers = d.issuers().await.expect("issuers");
    let later = chrono::NaiveDate::from_ymd_opt(2027, 11, 26).expect("date");
    assert_eq!(judge(&record, &issuers, later).status, "expired");

    // Revoked.
    d.revoke_certificate(&number, "Sold certificate", "admin").await.expect("revoke");
    let v = d.verify(record.as_bytes(), &[]).await.expect("v");
    assert_eq!((v.status, v.revoke_reason.as_deref()), ("revoked", Some("Sold certificate")));

    // A lost key file is not silently replaced by a new key.
    std::fs::remove_file(Keys::path(&DataDir::new(dir.path()))).expect("remove key");
    assert_eq!(d.public_key_text().await.expect_err("no key").code, "signing_key_missing");
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

/// The printed PDF: real text with the exact names in both scripts, fonts embedded, a
/// clean `qpdf --check`, well under 100 KB, and a QR code that — read back from a 300-dpi
/// rendering of the page — verifies as valid.
#[tokio::test]
async fn the_pdf_reads_back_exactly_and_its_qr_verifies() {
    for t in ["pdftotext", "pdftoppm", "qpdf"] {
        assert!(tool(t), "{t} is missing: scripts/setup.sh installs poppler-utils and qpdf");
    }
    let (d, dir) = desk().await;
    let mut long = anvar();
    long.last_name = Some("Oʻrinboyev-Xoʻjamqulov".into());
    long.first_name = Some("Abdurahmonbek".into());
    long.patronymic = Some("Gʻayratjon oʻgʻli".into());
    long.last_name_cyrillic = Some("Ўринбоев-Хўжамқулов".into());
    long.first_name_cyrillic = Some("Абдураҳмонбек".into());
    long.patronymic_cyrillic = Some("Ғайратжон ўғли".into());
    let (w, _) = d.create(&long, "admin").await.expect("worker");
    let number = certify(&d, &[w.id]).await.remove(0);
    let bytes = d.certificates_pdf(std::slice::from_ref(&number)).await.expect("pdf");
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, &bytes).expect("write");

    let text = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    for wanted in [
        "Oʻrinboyev-Xoʻjamqulov Abdurahmonbek Gʻayratjon oʻgʻli",
        "Ўринбоев-Хўжамқулов Абдураҳмонбек Ғайратжон ўғли",
        number.as_str(),
        "AA1234567",
        "31503901234562",
        "ХОРИЖГА КЕТИШ ОЛДИДАН ТАЙЁРГАРЛИК СЕРТИФИКАТИ",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }
    let check = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let fonts = Command::new("pdffonts").arg(&path).output().expect("pdffonts");
    let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes ")), "every font embedded:\n{fonts}");

    let png = dir.path().join("page");
    let r = Command::new("pdftoppm").args(["-r", "300", "-png", "-singlefile"]).arg(&path).arg(&png).status();
    assert!(r.expect("pdftoppm").success());
    let image = std::fs::read(dir.path().join("page.png")).expect("png");
    let v = d.verify(&image, &[]).await.expect("verify the scan");
    assert_eq!(v.status, "valid");
    assert_eq!(v.record.expect("record").number, number);
    // And the PDF file itself.
    assert_eq!(d.verify(&bytes, &[]).await.expect("verify the pdf").status, "valid");
}

/// The register exported to CSV (UTF-8 with BOM) names each certificate, its worker, its
/// course in the chosen language and its status, revoked ones with the reason.
#[tokio::test]
async fn the_register_exports_with_status_and_reason() {
    let (d, dir) = desk().await;
    let (w, _) = d.create(&anvar(), "admin").await.expect("worker");
    let number = certify(&d, &[w.id]).await.remove(0);
    d.revoke_certificate(&number, "Sold certificate", "admin").await.expect("revoke");
    let path = dir.path().join("register.csv");
    let n = d.export_certificates(None, None, &path, false, safar::i18n::Lang::Ru, "admin").await.expect("export");
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(&path).expect("csv");
    assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM");
    for wanted in [
        number.as_str(),
        "Gʻulomov Anvar Shavkat oʻgʻli",
        "Предвыездная подготовка: Корея",
        "Отозван",
        "Sold certificate",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in {text}");
    }
    let none =
        d.export_certificates(None, Some("valid"), &path, true, safar::i18n::Lang::En, "admin").await.expect("e");
    assert_eq!(none, 0);
}
