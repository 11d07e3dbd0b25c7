// Over 600 lines: the command line as a user runs it, one test per command family, sharing the binary-driving helpers (cli/ is split by area; this file is not yet).
//! The command line as a script or a clerk runs it: the real binary, a temp data dir.

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

pub(crate) const ADMIN_PASSWORD: &str = "Toshkent-2026";

/// A data dir after `safar init` (agency + admin `admin`).
pub(crate) fn initialised() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = run_as(
        dir.path(),
        None,
        &[
            "init",
            "--agency-name",
            "Safar Xususiy bandlik agentligi",
            "--licence",
            "XBA-0042",
            "--licence-date",
            "2025-02-01",
            "--address",
            "Toshkent",
            "--director",
            "Karimov Anvar",
            "--admin",
            "admin",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
        &[],
    );
    assert_eq!(r.code, 0, "init: {} {}", r.stdout, r.stderr);
    dir
}

/// Runs safar as the admin.
pub(crate) fn safar(dir: &std::path::Path, args: &[&str], stdin: &str) -> Run {
    run_as(dir, Some(("admin", ADMIN_PASSWORD)), args, stdin, &[])
}

fn run_as(dir: &std::path::Path, user: Option<(&str, &str)>, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safar"));
    cmd.arg("--data-dir")
        .arg(dir)
        .env_remove("SAFAR_PASSWORD")
        .env_remove("SAFAR_USER")
        .env_remove("SAFAR_NEW_PASSWORD");
    if let Some((login, password)) = user {
        cmd.args(["--user", login]).env("SAFAR_PASSWORD", password);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn safar");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `worker` through a course on the command line (course, cohort, enrolment,
/// attendance, score) and issues his certificate into `out`; returns its number.
fn certify(dir: &std::path::Path, worker: &str, out: &std::path::Path) -> String {
    let course = json!({"name_uz": "Koreyaga ketish oldidan tayyorgarlik", "name_uz_cyrl": "Кореяга кетиш олдидан тайёргарлик",
        "name_ru": "Предвыездная подготовка", "name_en": "Pre-departure orientation", "hours": 24, "pass_mark": 60,
        "min_attendance_percent": 80, "validity_months": 12});
    let c = safar(dir, &["training", "course", "add", "--json"], &course.to_string());
    assert_eq!(c.code, 0, "{} {}", c.stdout, c.stderr);
    let cohort = json!({"course_id": c.json()["id"], "starts_on": "2026-11-02", "ends_on": "2026-11-13",
        "place": "Toshkent", "trainer": "Karimova Dilnoza", "capacity": 10,
        "sessions": [{"date": "2026-11-02", "hours": 12}, {"date": "2026-11-09", "hours": 12}]});
    let h = safar(dir, &["training", "cohort", "add", "--json"], &cohort.to_string());
    assert_eq!(h.code, 0, "{} {}", h.stdout, h.stderr);
    let id = h.json()["id"].to_string();
    assert_eq!(safar(dir, &["training", "enroll", &id, worker], "").code, 0);
    let shown = safar(dir, &["training", "cohort", "show", &id, "--json"], "").json();
    for s in shown["sessions"].as_array().expect("sessions") {
        assert_eq!(safar(dir, &["training", "attend", &id, &s["id"].to_string(), worker], "").code, 0);
    }
    assert_eq!(safar(dir, &["training", "score", &id, worker, "85"], "").code, 0);
    let shown = safar(dir, &["training", "cohort", "show", &id, "--json"], "").json();
    assert_eq!(shown["trainees"][0]["result"], "pass", "{shown}");
    let out_dir = out.display().to_string();
    let issued = safar(dir, &["certificates", "issue", &id, "--out", &out_dir, "--json"], "");
    assert_eq!(issued.code, 0, "{} {}", issued.stdout, issued.stderr);
    let body = issued.json();
    assert_eq!(body["refused"], json!([]));
    let path = body["issued"][0]["path"].as_str().expect("path").to_string();
    assert!(std::path::Path::new(&path).exists(), "{path}");
    body["issued"][0]["number"].as_str().expect("number").to_string()
}

fn anvar_json() -> String {
    json!({
        "last_name": "Gʻulomov", "first_name": "Anvar", "patronymic": "Shavkat oʻgʻli",
        "last_name_cyrillic": "Ғуломов", "first_name_cyrillic": "Анвар",
        "birth_date": "1990-03-15", "sex": "M", "pinfl": "31503901234562",
        "passport_number": "aa 1234567", "passport_issued": "2020-01-10", "passport_expiry": "2030-01-09",
        "phone": "998901234567", "region": "Андижанская обл.", "destination_country": "KR",
        "consent": {"given_on": "2026-01-10", "purpose": "Employment abroad", "valid_until": "2030-01-10",
                    "may_transfer_abroad": true}
    })
    .to_string()
}

#[test]
fn workers_add_prints_the_stored_worker_as_json_and_exits_0() {
    let dir = initialised();
    let r = safar(dir.path(), &["workers", "add", "--json"], &anvar_json());
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    let w = r.json();
    assert!(w["id"].as_i64().is_some());
    assert_eq!(w["passport_number"], "AA1234567");
    assert_eq!(w["region"], "AN");
    assert_eq!(w["phone"], "+998901234567");

    let text = safar(dir.path(), &["workers", "list", "--search", "Гуломов"], "");
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("Gʻulomov Anvar"), "{}", text.stdout);
}

#[test]
fn refused_input_lists_every_error_exits_2_and_writes_nothing() {
    let dir = initialised();
    let bad = json!({"last_name": "Gʻulomov", "pinfl": "31503901234563", "phone": "12", "nickname": "Anv"}).to_string();
    let r = safar(dir.path(), &["--lang", "en", "workers", "add", "--json"], &bad);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let errors = r.json()["errors"].as_array().expect("errors").clone();
    let pairs: Vec<(String, String)> = errors
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").into(), e["code"].as_str().unwrap_or("").into()))
        .collect();
    for wanted in
        [("input", "unknown_field"), ("first_name", "required"), ("pinfl", "pinfl_checksum"), ("phone", "phone_format")]
    {
        assert!(pairs.contains(&(wanted.0.into(), wanted.1.into())), "{wanted:?} missing from {pairs:?}");
    }
    assert!(errors.iter().all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty())));
    assert!(errors.iter().any(|e| e["message"].as_str().is_some_and(|m| m.contains("“nickname”"))));
    let list = safar(dir.path(), &["workers", "list", "--json"], "");
    assert_eq!(list.json()["items"], json!([]));

    let broken = safar(dir.path(), &["workers", "add"], "{not json");
    assert_eq!(broken.code, 2);
    assert!(!broken.stderr.is_empty());
}

#[test]
fn status_archive_and_restore_from_the_command_line() {
    let dir = initialised();
    let id = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].to_string();
    let jump = safar(dir.path(), &["workers", "status", &id, "certified", "--reason", "now", "--json"], "");
    assert_eq!(jump.code, 2);
    assert_eq!(jump.json()["errors"][0]["code"], "status_move_forbidden");
    let ok = safar(dir.path(), &["workers", "status", &id, "in_training", "--reason", "cohort 5", "--json"], "");
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert_eq!(ok.json()["status"], "in_training");
    assert_eq!(safar(dir.path(), &["workers", "archive", &id, "--reason", "left"], "").code, 0);
    let archived = safar(dir.path(), &["workers", "list", "--archived", "--json"], "");
    assert_eq!(archived.json()["items"][0]["id"].to_string(), id);
    assert_eq!(safar(dir.path(), &["workers", "restore", &id], "").code, 0);
    let show = safar(dir.path(), &["workers", "show", &id, "--json"], "").json();
    assert_eq!(show["history"].as_array().map(Vec::len), Some(4));
    assert_eq!(show["archived"], false);
    let missing = safar(dir.path(), &["workers", "show", "999", "--json"], "");
    assert_eq!(missing.code, 2);
    assert_eq!(missing.json()["errors"][0]["code"], "not_found");
}

#[test]
fn messages_follow_the_lang_option() {
    let dir = initialised();
    let bad = json!({"pinfl": "1"}).to_string();
    let ru = safar(dir.path(), &["--lang", "ru", "workers", "add"], &bad);
    let en = safar(dir.path(), &["--lang", "en", "workers", "add"], &bad);
    assert_eq!((ru.code, en.code), (2, 2));
    assert!(en.stderr.contains("PINFL: must be exactly 14 digits"), "{}", en.stderr);
    assert_ne!(ru.stderr, en.stderr);
    let unknown = safar(dir.path(), &["--lang", "de", "workers", "list"], "");
    assert_eq!(unknown.code, 2);
}

#[test]
fn demo_fills_the_database_and_list_pages_through_it() {
    let dir = initialised();
    let r = safar(dir.path(), &["demo", "--workers", "300", "--json"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["created"], 300);
    let page = safar(dir.path(), &["workers", "list", "--limit", "10", "--offset", "5", "--json"], "").json();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(page["total"], 300);
    assert_eq!(page["has_more"], true);
}

#[test]
fn writes_need_a_user_whose_role_allows_them() {
    let dir = initialised();
    let none = run_as(dir.path(), None, &["workers", "list", "--json"], "", &[]);
    assert_eq!(none.code, 2);
    assert_eq!(none.json()["errors"][0]["code"], "user_required");
    let added = run_as(
        dir.path(),
        Some(("admin", ADMIN_PASSWORD)),
        &["users", "add", "bobur", "--role", "viewer", "--json"],
        "",
        &[("SAFAR_NEW_PASSWORD", "Buxoro-2026")],
    );
    assert_eq!(added.code, 0, "{}", added.stdout);
    let viewer = Some(("bobur", "Buxoro-2026"));
    assert_eq!(run_as(dir.path(), viewer, &["workers", "list", "--json"], "", &[]).code, 0);
    let write = run_as(dir.path(), viewer, &["workers", "add", "--json"], &anvar_json(), &[]);
    assert_eq!(write.code, 2);
    assert_eq!(write.json()["errors"][0]["code"], "forbidden");
    let wrong = run_as(dir.path(), Some(("admin", "nope")), &["workers", "list", "--json"], "", &[]);
    assert_eq!(wrong.json()["errors"][0]["code"], "login_failed");
    let users = safar(dir.path(), &["users", "list", "--json"], "").json();
    assert_eq!(users.as_array().map(Vec::len), Some(2));
    assert_eq!(
        run_as(dir.path(), viewer, &["users", "list", "--json"], "", &[]).json()["errors"][0]["code"],
        "forbidden"
    );
}

#[test]
fn the_audit_trail_lists_who_did_what_and_verify_catches_a_hand_edit() {
    let dir = initialised();
    let id = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].to_string();
    safar(dir.path(), &["workers", "status", &id, "in_training", "--reason", "cohort 1"], "");
    let list = safar(dir.path(), &["audit", "list", "--record", &id, "--json"], "").json();
    let entries = list.as_array().expect("entries");
    let actions: Vec<&str> = entries.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, vec!["worker.status", "worker.create"]);
    for e in entries {
        assert_eq!(e["user"], "admin");
        assert!(e["at"].as_str().is_some() && e["record"].as_str() == Some(&format!("worker#{id}")[..]));
        assert!(e["changes"].is_object());
    }
    let ok = safar(dir.path(), &["audit", "verify"], "");
    assert_eq!(ok.code, 0, "{}", ok.stderr);

    // Edit one entry in the file, as someone with the database in hand would.
    let db = dir.path().join("safar.db");
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.expect("connect");
        sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut conn).await.expect("drop");
        sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = 3").execute(&mut conn).await.expect("edit");
        conn.close().await.expect("close");
    });
    let broken = safar(dir.path(), &["audit", "verify", "--json"], "");
    assert_eq!(broken.code, 1);
    assert_eq!(broken.json()["first_broken"], 3);
    let text = safar(dir.path(), &["--lang", "en", "audit", "verify"], "");
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("#3"), "{}", text.stdout);
}

#[test]
fn every_cli_command_obeys_the_role_table() {
    let dir = initialised();
    let id = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].to_string();
    for (login, role) in [("aziza", "staff"), ("bobur", "viewer")] {
        let r = run_as(
            dir.path(),
            Some(("admin", ADMIN_PASSWORD)),
            &["users", "add", login, "--role", role],
            "",
            &[("SAFAR_NEW_PASSWORD", "Parol-2026-x")],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // (permission line, arguments); each runs as admin, staff and viewer.
    let consent = r#"{"given_on":"2026-01-10","purpose":"p","valid_until":"2030-01-10"}"#;
    let out = |name: &str| dir.path().join(name).display().to_string();
    let (template, workers_csv, contracts_xlsx) = (out("t.xlsx"), out("w.csv"), out("c.xlsx"));
    let certificates_csv = out("r.csv");
    let missing = out("missing.csv");
    let commands: Vec<(&str, Vec<&str>, &str)> = vec![
        ("workers_list", vec!["workers", "list"], ""),
        ("workers_get", vec!["workers", "show", &id], ""),
        ("workers_create", vec!["workers", "add"], "{}"),
        ("workers_set_status", vec!["workers", "status", "999", "in_training", "--reason", "r"], ""),
        ("workers_archive", vec!["workers", "archive", "999"], ""),
        ("workers_restore", vec!["workers", "restore", "999"], ""),
        ("workers_consent_add", vec!["workers", "consent-add", "999"], consent),
        ("workers_consent_withdraw", vec!["workers", "consent-withdraw", "999", "--reason", "r"], ""),
        ("workers_export", vec!["workers", "export", "999"], ""),
        ("users_list", vec!["users", "list"], ""),
        ("users_add", vec!["users", "add", "x", "--role", "bogus"], ""),
        ("users_disable", vec!["users", "disable", "nobody"], ""),
        ("users_enable", vec!["users", "enable", "nobody"], ""),
        ("users_set_role", vec!["users", "role", "nobody", "staff"], ""),
        ("audit_list", vec!["audit", "list"], ""),
        ("audit_verify", vec!["audit", "verify"], ""),
        ("demo", vec!["demo", "--workers", "1"], ""),
        ("courses_list", vec!["training", "course", "list"], ""),
        ("courses_add", vec!["training", "course", "add"], "{}"),
        ("cohorts_list", vec!["training", "cohort", "list"], ""),
        ("cohorts_get", vec!["training", "cohort", "show", "999"], ""),
        ("cohorts_add", vec!["training", "cohort", "add"], "{}"),
        ("training_enroll", vec!["training", "enroll", "999", "1"], ""),
        ("training_attend", vec!["training", "attend", "999", "1", "1"], ""),
        ("training_score", vec!["training", "score", "999", "1", "50"], ""),
        ("certificates_issue", vec!["certificates", "issue", "999", "--out", "/nonexistent/x"], ""),
        ("certificates_list", vec!["certificates", "list"], ""),
        ("certificates_get", vec!["certificates", "show", "SFR-2026-999999"], ""),
        ("certificates_revoke", vec!["certificates", "revoke", "SFR-2026-999999", "--reason", "r"], ""),
        ("certificates_print", vec!["certificates", "print", "SFR-2026-999999", "--out", "/nonexistent/x"], ""),
        ("certificates_public_key", vec!["certificates", "public-key", "--out", "/nonexistent/x.pub"], ""),
        ("certificates_trust_key", vec!["certificates", "trust-key", "/nonexistent/k.pub"], ""),
        ("certificates_verify", vec!["certificates", "verify", "SFR1AAAA"], ""),
        ("certificates_verify", vec!["certificates", "verify", "/nonexistent/certificate.pdf"], ""),
        ("import_preview", vec!["import", crate::import::SAMPLE_CSV, "--dry-run"], ""),
        ("import_commit", vec!["import", &missing], ""),
        ("import_template", vec!["import", "template", "--out", &template], ""),
        ("export_workers", vec!["export", "workers", "--out", &workers_csv], ""),
        ("export_contracts", vec!["export", "contracts", "--out", &contracts_xlsx], ""),
        ("export_certificates", vec!["export", "certificates", "--out", &certificates_csv], ""),
    ];
    for (login, role, password) in [
        ("admin", Role::Admin, ADMIN_PASSWORD),
        ("aziza", Role::Staff, "Parol-2026-x"),
        ("bobur", Role::Viewer, "Parol-2026-x"),
    ] {
        for (permission, args, stdin) in &commands {
            let mut full = args.clone();
            full.push("--json");
            let r =
                run_as(dir.path(), Some((login, password)), &full, stdin, &[("SAFAR_NEW_PASSWORD", "Parol-2026-x")]);
            let forbidden = r.code == 2 && r.stdout.contains("\"forbidden\"");
            assert_eq!(
                forbidden,
                !safar::accounts::allowed(permission, Some(role)),
                "{permission} as {login}: exit {} {}",
                r.code,
                r.stdout
            );
        }
    }
}

use safar::accounts::Role;

#[test]
fn two_processes_writing_at_once_never_see_database_is_locked() {
    let dir = initialised();
    // Two clerks' machines would be two processes on one file: each adds workers and
    // moves them while the other does the same.
    let path = dir.path().to_path_buf();
    let workers: Vec<std::thread::JoinHandle<Vec<String>>> = (0..2u16)
        .map(|clerk| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..12u16 {
                    let n = clerk * 100 + i + 1;
                    let birth = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).expect("date") + chrono::Duration::days(i64::from(n) * 11);
                    let pinfl = safar::roster::identity::make_pinfl(birth, safar::roster::identity::Sex::M, 200, n);
                    let body = json!({
                        "last_name": "Karimov", "first_name": "Jasur", "pinfl": pinfl,
                        "passport_number": format!("AD{:07}", n), "passport_issued": "2021-01-01",
                        "passport_expiry": "2031-01-01", "region": "SA",
                        "consent": {"given_on": "2026-01-10", "purpose": "Employment abroad", "valid_until": "2030-01-10"}
                    })
                    .to_string();
                    let r = safar(&path, &["workers", "add", "--json"], &body);
                    if r.code != 0 {
                        failures.push(format!("{} {}", r.stdout, r.stderr));
                        continue;
                    }
                    let id = r.json()["id"].to_string();
                    let m = safar(&path, &["workers", "status", &id, "in_training", "--reason", "cohort"], "");
                    if m.code != 0 {
                        failures.push(m.stderr);
                    }
                }
                failures
            })
        })
        .collect();
    for w in workers {
        let failures = w.join().expect("thread");
        assert!(failures.is_empty(), "{failures:?}");
    }
    let list = safar(dir.path(), &["workers", "list", "--status", "in_training", "--json"], "").json();
    assert_eq!(list["total"], 24);
    let verify = safar(dir.path(), &["audit", "verify"], "");
    assert_eq!(verify.code, 0, "the chain stays whole under concurrent writers: {}", verify.stdout);
}

#[test]
fn verifying_an_html_page_or_random_bytes_says_no_code_not_tampered_and_exits_2() {
    let dir = initialised();
    let page = dir.path().join("certificate.html");
    std::fs::write(&page, "<!doctype html><html><body><h1>Sertifikat</h1></body></html>").expect("write");
    let noise = dir.path().join("noise.bin");
    std::fs::write(&noise, (0u32..2048).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect::<Vec<u8>>())
        .expect("write");
    for file in [&page, &noise] {
        let path = file.to_str().expect("path");
        let json = safar(dir.path(), &["certificates", "verify", path, "--json"], "");
        assert_eq!((json.code, json.json()["status"].clone()), (2, json!("no_code")), "{path}: {}", json.stdout);
        let text = safar(dir.path(), &["--lang", "en", "certificates", "verify", path], "");
        assert_eq!(text.code, 2);
        assert!(text.stdout.starts_with("No code:"), "{path}: {}", text.stdout);
    }
    // A code that is there but fails its signature stays `tampered`.
    let forged = safar(dir.path(), &["certificates", "verify", "SFR1AAAAAAAA", "--json"], "");
    assert_eq!((forged.code, forged.json()["status"].clone()), (2, json!("tampered")));
}

#[test]
fn a_placement_runs_from_employer_to_return_on_the_command_line() {
    let dir = initialised();
    let worker = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].to_string();
    let out = tempfile::tempdir().expect("out");
    let number = certify(dir.path(), &worker, out.path());
    assert!(number.starts_with("SFR-2026-"), "{number}");
    let employer = json!({"name": "Hyundai Heavy Industries", "country": "KR", "city": "Ulsan",
        "cooperation_number": "HHI-UZ-2025/07", "cooperation_signed_on": "2025-01-15", "cooperation_valid_until": "2027-12-31"});
    let e = safar(dir.path(), &["employers", "add", "--json"], &employer.to_string());
    assert_eq!(e.code, 0, "{}", e.stdout);
    let employer_id = e.json()["id"].clone();
    let job = json!({"employer_id": employer_id, "position": "Welder", "places": 2, "country": "KR",
        "salary_amount": "2300000", "salary_currency": "KRW", "hours_per_week": 40, "term_months": 12,
        "housing_paid_by": "employer", "insurance_paid_by": "employer", "travel_paid_by": "employer",
        "visa_paid_by": "employer", "platform_reference": "AGN-42", "deadline": "2026-12-31"});
    let j = safar(dir.path(), &["jobs", "add", "--json"], &job.to_string());
    assert_eq!(j.code, 0, "{}", j.stdout);
    assert_eq!(j.json()["places_left"], 2);
    let contract = json!({"worker_id": worker.parse::<i64>().expect("id"), "job_order_id": j.json()["id"], "number": "C-1",
        "signed_on": "2026-11-20", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "position": "Welder",
        "salary_amount": "2000000", "salary_currency": "KRW", "hours_per_week": 40, "housing_paid_by": "employer",
        "insurance_paid_by": "employer", "travel_paid_by": "employer", "visa_paid_by": "employer"});
    let c = safar(dir.path(), &["contracts", "add", "--json"], &contract.to_string());
    assert_eq!(c.code, 0, "{}", c.stdout);
    assert_eq!(c.json()["mismatches"], json!(["salary_amount"]));
    let id = c.json()["id"].to_string();
    let depart = safar(dir.path(), &["workers", "depart", &worker, "--date", "2026-11-24", "--json"], "");
    assert_eq!(depart.json()["errors"][0]["code"], "contract_not_registered");
    assert_eq!(safar(dir.path(), &["contracts", "status", &id, "signed"], "").code, 0);
    let reg =
        safar(dir.path(), &["contracts", "register", &id, "--number", "LM-77", "--date", "2026-11-22", "--json"], "");
    assert_eq!(reg.json()["status"], "registered");
    assert_eq!(
        safar(dir.path(), &["workers", "depart", &worker, "--date", "2026-11-24", "--route", "TAS-ICN"], "").code,
        0
    );
    let back = safar(
        dir.path(),
        &["workers", "return", &worker, "--date", "2026-11-25", "--reason", "contract_completed", "--json"],
        "",
    );
    assert_eq!(back.json()["return_reason"], "contract_completed");
    let fee = json!({"worker_id": worker.parse::<i64>().expect("id"), "paid_by": "worker", "purpose": "placement",
        "amount": "100000", "currency": "UZS", "paid_on": "2026-11-20", "receipt_number": "R-9"});
    let refused = safar(dir.path(), &["fees", "add", "--json"], &fee.to_string());
    assert_eq!(refused.code, 2);
    assert_eq!(refused.json()["errors"][0]["code"], "placement_fee_by_worker");
    let show = safar(dir.path(), &["workers", "show", &worker, "--json"], "").json();
    assert_eq!(show["status"], "returned");
}

#[test]
fn a_fee_at_the_integer_maximum_is_refused_naming_the_amount_and_the_currencys_maximum() {
    let dir = initialised();
    let worker = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].as_i64().expect("id");
    let fee = json!({"worker_id": worker, "paid_by": "employer", "purpose": "placement", "amount": i64::MAX.to_string(),
        "currency": "USD", "paid_on": "2026-11-20", "receipt_number": "R-1"});
    let r = safar(dir.path(), &["--lang", "en", "fees", "add", "--json"], &fee.to_string());
    assert_eq!(r.code, 2, "{}", r.stdout);
    let error = &r.json()["errors"][0];
    assert_eq!(
        (error["field"].as_str(), error["code"].as_str()),
        (Some("amount"), Some("amount_too_large")),
        "{error}"
    );
    assert_eq!(error["message"], "Amount: must not exceed 1000000.00 USD");
    assert_eq!(safar(dir.path(), &["fees", "list", &worker.to_string(), "--json"], "").json(), json!([]));
}

#[test]
fn the_cost_statement_is_a_real_pdf_with_the_names_in_both_scripts() {
    let dir = initialised();
    let worker = safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).json()["id"].as_i64().expect("id");
    for (paid_by, purpose, amount) in [("employer", "placement", "3000000"), ("worker", "consulting", "300000")] {
        let fee = json!({"worker_id": worker, "paid_by": paid_by, "purpose": purpose, "amount": amount, "currency": "UZS",
            "paid_on": "2026-11-20", "receipt_number": format!("R-{purpose}")});
        assert_eq!(safar(dir.path(), &["fees", "add", "--json"], &fee.to_string()).code, 0);
    }
    let pdf = dir.path().join("statement.pdf");
    let r = safar(
        dir.path(),
        &["--lang", "en", "fees", "statement", &worker.to_string(), "--out", pdf.to_str().expect("path")],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 100_000, "{} bytes: the fonts are subset", bytes.len());
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf (scripts/setup.sh installs it)");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for wanted in [
        "Cost statement",
        "Gʻulomov Anvar Shavkat oʻgʻli",
        "Ғуломов Анвар",
        "3000000.00 UZS",
        "300000.00 UZS",
        "Safar Xususiy bandlik agentligi",
        // Dates as the language writes them (English: the month by name).
        "20 Nov 2026",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in the PDF text:\n{text}");
    }
}

#[test]
fn an_admin_tunes_the_rules_and_the_change_is_audited() {
    let dir = initialised();
    let set = safar(dir.path(), &["settings", "set", "passport_margin_months.KR", "3", "--json"], "");
    assert_eq!(set.code, 0, "{}", set.stdout);
    let list = safar(dir.path(), &["settings", "list", "--json"], "").json();
    assert_eq!(list["passport_margin_months.KR"], 3);
    assert_eq!(list["consulting_cap_bcv"], 2);
    let unknown = safar(dir.path(), &["settings", "set", "passport_margin_months.XX", "3", "--json"], "");
    assert_eq!(unknown.json()["errors"][0]["code"], "setting_unknown");
    let wild = safar(dir.path(), &["settings", "set", "consulting_cap_bcv", "500", "--json"], "");
    assert_eq!(wild.json()["errors"][0]["code"], "number_invalid");
    let trail = safar(dir.path(), &["audit", "list", "--action", "settings.change", "--json"], "").json();
    assert_eq!(trail[0]["changes"]["passport_margin_months.KR"], json!([6, 3]));
}

#[test]
fn a_killed_bulk_write_leaves_whole_batches_and_a_sound_database() {
    let dir = initialised();
    let mut before = 0;
    for round in 0..2u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_safar"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--user", "admin", "demo", "--workers", "200000", "--seed", &round.to_string()])
            .env("SAFAR_PASSWORD", ADMIN_PASSWORD)
            .env_remove("SAFAR_NEW_PASSWORD")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Wait for this run's first 50,000-worker batch to commit, then kill it inside the
        // next one.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::time::Instant::now() < deadline {
            let n = safar(dir.path(), &["info", "--json"], "").json()["workers"].as_i64().unwrap_or(0);
            if n > before {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        std::thread::sleep(std::time::Duration::from_millis(800));
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let info = safar(dir.path(), &["info", "--json"], "");
        assert_eq!(info.code, 0, "the database opens after the kill: {}", info.stderr);
        let workers = info.json()["workers"].as_i64().expect("count");
        assert!(workers > before, "round {round}: a committed batch survives the kill");
        assert_eq!(workers % 50_000, 0, "round {round}: {workers} workers is not whole batches");
        before = workers;
        let verify = safar(dir.path(), &["audit", "verify", "--json"], "");
        assert_eq!(verify.code, 0, "round {round}: {}", verify.stdout);
    }
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(async {
        let store = safar::store::Store::open(dir.path()).await.expect("open");
        assert_eq!(store.integrity_check().await.expect("check"), "ok");
        let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pragma_foreign_key_check")
            .fetch_one(store.pool())
            .await
            .expect("fk check");
        assert_eq!(orphans, 0);
    });
}

#[test]
fn commands_write_no_login_entry_but_failed_sign_ins_are_recorded() {
    let dir = initialised();
    let added = run_as(
        dir.path(),
        Some(("admin", ADMIN_PASSWORD)),
        &["users", "add", "bobur", "--role", "viewer"],
        "",
        &[("SAFAR_NEW_PASSWORD", "Buxoro-2026")],
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_eq!(safar(dir.path(), &["workers", "list"], "").code, 0);
    // A refused command (the viewer may not add users) and a wrong password.
    let viewer = Some(("bobur", "Buxoro-2026"));
    let refused = run_as(dir.path(), viewer, &["users", "list", "--json"], "", &[]);
    assert_eq!(refused.json()["errors"][0]["code"], "forbidden");
    let wrong = run_as(dir.path(), Some(("admin", "nope-1")), &["workers", "list", "--json"], "", &[]);
    assert_eq!(wrong.json()["errors"][0]["code"], "login_failed");
    let trail = safar(dir.path(), &["audit", "list", "--json"], "").json();
    let actions: Vec<&str> = trail.as_array().expect("entries").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(!actions.contains(&"login"), "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "login_failed").count(), 1, "{actions:?}");
}

#[test]
fn with_json_a_usage_error_is_json_and_help_stays_text() {
    let dir = initialised();
    for args in [
        &["--json", "workers", "list", "--limt", "5"][..],
        &["workers", "list", "--limit", "many", "--json"],
        &["workers", "list", "--limit", "-1", "--json"],
        &["workers", "frobnicate", "--json"],
    ] {
        let r = safar(dir.path(), args, "");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        let e = &r.json()["errors"][0];
        assert_eq!(e["code"], "usage", "{args:?}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty() && !m.contains('\n')), "{e}");
    }
    let ru = safar(dir.path(), &["--lang", "ru", "--json", "workers", "list", "--limt", "5"], "");
    assert!(
        ru.json()["errors"][0]["message"].as_str().is_some_and(|m| m.starts_with("Командная строка")),
        "{}",
        ru.stdout
    );
    // Without --json clap's own text, on stderr.
    let plain = safar(dir.path(), &["workers", "list", "--limt", "5"], "");
    assert_eq!(plain.code, 2);
    assert!(plain.stdout.is_empty() && plain.stderr.contains("--limt"), "{}", plain.stderr);
    let help = safar(dir.path(), &["--json", "workers", "list", "--help"], "");
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Usage") && serde_json::from_str::<Value>(&help.stdout).is_err());
    let version = safar(dir.path(), &["--json", "--version"], "");
    assert_eq!(version.code, 0);
    assert_eq!(version.json()["version"], env!("CARGO_PKG_VERSION"), "{}", version.stdout);
}

#[test]
fn version_names_the_build_date_schema_and_data_folder_without_opening_the_data() {
    // Support asks for this when the data will not open, so it must not need the data.
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("not-made-yet");
    let text = run_as(&dir, None, &["--version", "--lang", "en"], "", &[]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert_eq!(lines[0], format!("Safar {}", env!("CARGO_PKG_VERSION")));
    assert!(lines[1].starts_with("Build date: 20"), "{}", text.stdout);
    assert_eq!(lines[2], format!("Database schema: {}", safar::store::schema_version()));
    assert_eq!(lines[3], format!("Data folder: {}", dir.display()));
    let json = run_as(&dir, None, &["-V", "--json"], "", &[]).json();
    assert_eq!(json["schema_version"], safar::store::schema_version());
    assert_eq!(json["data_dir"], dir.display().to_string());
    assert!(!dir.exists(), "--version made the data folder");
}

#[test]
fn a_limit_out_of_range_is_refused_naming_the_range() {
    let dir = initialised();
    for (args, range) in [
        (&["workers", "list", "--limit", "0"][..], ("1", "500")),
        (&["workers", "list", "--limit", "1000000000"], ("1", "500")),
        (&["audit", "list", "--limit", "0"], ("1", "1000")),
        (&["certificates", "list", "--limit", "20000"], ("1", "10000")),
    ] {
        let r = safar(dir.path(), &[args, &["--json", "--lang", "en"]].concat(), "");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        let e = &r.json()["errors"][0];
        assert_eq!((e["code"].as_str(), e["field"].as_str()), (Some("out_of_range"), Some("limit")), "{args:?}");
        assert_eq!(e["message"], format!("Limit: must be between {} and {}", range.0, range.1));
    }
}

#[test]
fn a_search_of_more_than_500_words_is_refused_with_a_clear_message() {
    let dir = initialised();
    let words = vec!["Gulomov"; 600].join(" ");
    let r = safar(dir.path(), &["workers", "list", "--search", &words, "--json", "--lang", "en"], "");
    assert_eq!(r.code, 2, "{}", r.stdout);
    let e = &r.json()["errors"][0];
    assert_eq!((e["code"].as_str(), e["field"].as_str()), (Some("search_too_many_words"), Some("search")));
    assert_eq!(e["message"], "Search: at most 12 words; shorten the search");
    let export = safar(dir.path(), &["export", "workers", "--out", "x.csv", "--search", &words, "--json"], "");
    assert_eq!(export.json()["errors"][0]["code"], "search_too_many_words");
}

#[test]
fn exports_make_a_missing_out_folder_as_certificate_prints_do() {
    let dir = initialised();
    assert_eq!(safar(dir.path(), &["workers", "add", "--json"], &anvar_json()).code, 0);
    let out = dir.path().join("new").join("deeper");
    let roster = out.join("roster.csv");
    let r = safar(dir.path(), &["export", "workers", "--out", roster.to_str().expect("path"), "--json"], "");
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["rows"], 1);
    assert!(roster.is_file());
    let contracts = dir.path().join("other").join("contracts.xlsx");
    let r = safar(dir.path(), &["export", "contracts", "--out", contracts.to_str().expect("path")], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(contracts.is_file());
}
