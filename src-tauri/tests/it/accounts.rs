//! Accounts, consent and the audit trail on a real SQLite file.

use crate::support::{anvar, consent, desk};
use safar::accounts::{Role, Session, UserInput};
use safar::agency::{AdminInput, AgencyInput};
use safar::desk::Desk;
use safar::roster::WorkerInput;
use safar::store::accounts::AuditQuery;

const ADMIN_PASSWORD: &str = "Toshkent-2026";

fn agency() -> AgencyInput {
    AgencyInput {
        name: "Safar Xususiy bandlik agentligi".into(),
        licence_number: "XBA-0042".into(),
        licence_date: "2025-02-01".into(),
        address: "Toshkent, Yunusobod 12".into(),
        director: "Karimov Anvar".into(),
    }
}

async fn initialised() -> (Desk, Session, tempfile::TempDir) {
    let (d, dir) = desk().await;
    let (_, admin) = d
        .init(
            &agency(),
            &AdminInput { login: "admin".into(), full_name: "Karimov Anvar".into(), password: ADMIN_PASSWORD.into() },
        )
        .await
        .expect("init");
    (d, admin, dir)
}

async fn actions(d: &Desk) -> Vec<String> {
    let q = AuditQuery { ascending: true, limit: Some(1000), ..Default::default() };
    d.store.audit(&q).await.expect("audit").0.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn the_first_run_creates_the_agency_and_an_admin_once() {
    let (d, admin, _dir) = initialised().await;
    assert_eq!(admin.role, Role::Admin);
    assert!(d.setup_status().await.expect("status").initialized);
    let again = d
        .init(&agency(), &AdminInput { login: "x".into(), full_name: String::new(), password: ADMIN_PASSWORD.into() })
        .await;
    assert_eq!(again.expect_err("twice").code, "already_initialized");
    let (d2, _dir2) = desk().await;
    let bad = AgencyInput { name: "Safar LLC".into(), ..agency() };
    let e = d2.init(&bad, &AdminInput { login: "a".into(), full_name: String::new(), password: "short".into() }).await;
    let codes: Vec<_> = e.expect_err("bad").problems.iter().map(|p| (p.field.unwrap_or(""), p.code)).collect();
    assert_eq!(
        codes,
        vec![("name", "agency_name_invalid"), ("admin.login", "login_invalid"), ("admin.password", "password_weak")]
    );
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_every_attempt_is_audited() {
    let (d, admin, _dir) = initialised().await;
    let staff = UserInput {
        login: "aziza".into(),
        full_name: "Aziza".into(),
        role: "staff".into(),
        password: "Samarqand-77".into(),
    };
    d.add_user(&staff, &admin).await.expect("add");
    for i in 1..=4 {
        assert_eq!(d.login("aziza", "wrong").await.expect_err("wrong").code, "login_failed", "attempt {i}");
    }
    assert_eq!(d.login("aziza", "wrong").await.expect_err("fifth").code, "account_locked");
    // Locked: even the right password is refused until the lock expires.
    assert_eq!(d.login("aziza", "Samarqand-77").await.expect_err("locked").code, "account_locked");
    assert_eq!(d.login("nobody", "x").await.expect_err("unknown").code, "login_failed");
    let a = actions(&d).await;
    // Four wrong, the fifth that locks, the right password refused while locked, the
    // unknown login: seven attempts, each in the trail.
    assert_eq!(a.iter().filter(|x| *x == "login_failed").count(), 7);
    assert!(d.login("admin", ADMIN_PASSWORD).await.is_ok(), "other accounts are not affected");
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_nobody_is_deleted() {
    let (d, admin, _dir) = initialised().await;
    let v = UserInput {
        login: "bobur".into(),
        full_name: "Bobur".into(),
        role: "viewer".into(),
        password: "Buxoro-2026".into(),
    };
    let user = d.add_user(&v, &admin).await.expect("add");
    assert_eq!(d.add_user(&v, &admin).await.expect_err("taken").problems[0].code, "login_taken");
    d.set_user_disabled(user.id, true, &admin).await.expect("disable");
    assert_eq!(d.login("bobur", "Buxoro-2026").await.expect_err("disabled").code, "login_failed");
    assert_eq!(d.users().await.expect("users").len(), 2);
    assert_eq!(d.set_user_disabled(admin.user_id, true, &admin).await.expect_err("self").code, "self_disable");
    assert_eq!(d.set_user_role(admin.user_id, "staff", &admin).await.expect_err("self").code, "self_demote");
    d.set_user_disabled(user.id, false, &admin).await.expect("enable");
    let s = d.login("bobur", "Buxoro-2026").await.expect("login");
    assert_eq!(s.role, Role::Viewer);
    d.change_password(&s, "Buxoro-2026", "Yangi-parol-1").await.expect("change");
    assert!(d.login("bobur", "Yangi-parol-1").await.is_ok());
}

#[tokio::test]
async fn every_change_to_a_worker_is_in_his_trail_with_masked_identity_numbers() {
    let (d, admin, _dir) = initialised().await;
    let (w, _) = d.create(&anvar(), &admin.login).await.expect("create");
    let edited = WorkerInput { passport_number: Some("AC7654321".into()), notes: Some("welder".into()), ..anvar() };
    d.update(w.id, w.version, &edited, &admin.login).await.expect("update");
    d.set_status(w.id, "in_training", "cohort 4", &admin.login).await.expect("status");
    d.archive(w.id, "left", &admin.login).await.expect("archive");
    d.restore(w.id, "back", &admin.login).await.expect("restore");
    let trail = d.worker_audit(w.id).await.expect("trail");
    let acts: Vec<&str> = trail.iter().map(|e| e.entry.action.as_str()).collect();
    assert_eq!(acts, vec!["worker.create", "worker.update", "worker.status", "worker.archive", "worker.restore"]);
    assert!(trail.iter().all(|e| e.entry.actor == "admin"));
    assert_eq!(trail[1].changes["passport_number"], serde_json::json!(["AA*****67", "AC*****21"]));
    assert_eq!(trail[1].changes["notes"], serde_json::json!([null, "welder"]));
    assert_eq!(trail[0].changes["pinfl"], "************62");
    assert_eq!(trail[2].changes["status"], serde_json::json!(["registered", "in_training"]));
    assert!(safar::audit::verify(&d.store.audit_chain().await.expect("chain")).ok);
}

#[tokio::test]
async fn a_worker_cannot_be_added_without_consent_and_withdrawal_stops_processing() {
    let (d, admin, _dir) = initialised().await;
    let e = d.create(&WorkerInput { consent: None, ..anvar() }, "admin").await.expect_err("no consent");
    assert!(e.problems.iter().any(|p| p.field == Some("consent") && p.code == "consent_required"));
    let (w, _) = d.create(&anvar(), "admin").await.expect("create");
    assert_eq!(
        d.get_view(w.id, safar::i18n::Lang::En).await.expect("view").consent_state,
        safar::roster::consent::ConsentState::Valid
    );
    d.withdraw_consent(w.id, "asked in person", "admin").await.expect("withdraw");
    let e = d.set_status(w.id, "in_training", "x", "admin").await.expect_err("blocked");
    assert_eq!(e.code, "consent_withdrawn");
    let cur = d.get(w.id).await.expect("get");
    assert_eq!(d.update(w.id, cur.version, &anvar(), "admin").await.expect_err("blocked").code, "consent_withdrawn");
    // His right to his data stays: the export works and is audited.
    let path = d.export_worker(w.id, None, "admin").await.expect("export");
    let body: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    assert_eq!(body["worker"]["pinfl"], "31503901234562");
    assert_eq!(body["consents"][0]["withdrawn_reason"], "asked in person");
    d.add_consent(w.id, &consent(), "admin").await.expect("new consent");
    d.set_status(w.id, "in_training", "consent renewed", "admin").await.expect("processing again");
    let a = actions(&d).await;
    for wanted in ["consent.withdraw", "worker.export", "consent.add"] {
        assert!(a.iter().any(|x| x == wanted), "{wanted} not audited: {a:?}");
    }
    let _ = admin;
}

/// Rewrites the audit table behind the app's back, as someone with the file would.
async fn tamper(path: &std::path::Path, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
    sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_update").execute(&mut conn).await.expect("drop");
    sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_delete").execute(&mut conn).await.expect("drop");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await.expect("tamper");
    conn.close().await.expect("close");
}

#[tokio::test]
async fn the_trail_refuses_edits_and_a_hand_edit_of_the_file_is_found_at_its_entry() {
    let (d, admin, dir) = initialised().await;
    for i in 0..3u16 {
        d.create(&crate::support::person(i + 1, "Karimov", None), &admin.login).await.expect("create");
    }
    let chain = d.store.audit_chain().await.expect("chain");
    assert!(chain.len() >= 5);
    assert!(sqlx::query("UPDATE audit_log SET actor = 'x' WHERE id = 1").execute(d.store.pool()).await.is_err());
    d.store.close().await;

    let db = dir.path().join(safar::data_dir::DB_FILE);
    tamper(&db, "UPDATE audit_log SET actor = 'mallory' WHERE id = 3").await;
    let store = safar::store::Store::open(dir.path()).await.expect("reopen");
    let v = safar::audit::verify(&store.audit_chain().await.expect("chain"));
    assert_eq!((v.ok, v.first_broken, v.reason), (false, Some(3), Some("altered")));
    store.close().await;

    tamper(&db, "DELETE FROM audit_log WHERE id = 2").await;
    let store = safar::store::Store::open(dir.path()).await.expect("reopen");
    let v = safar::audit::verify(&store.audit_chain().await.expect("chain"));
    assert_eq!((v.first_broken, v.reason), (Some(2), Some("missing")));
}

#[tokio::test]
async fn no_plaintext_password_or_identity_number_reaches_the_trail_or_the_files() {
    let (d, admin, dir) = initialised().await;
    let staff = UserInput {
        login: "aziza".into(),
        full_name: "Aziza".into(),
        role: "staff".into(),
        password: "Sirli-Parol-9431".into(),
    };
    d.add_user(&staff, &admin).await.expect("add");
    let _ = d.login("aziza", "Sirli-Parol-9430").await;
    let s = d.login("aziza", "Sirli-Parol-9431").await.expect("login");
    d.change_password(&s, "Sirli-Parol-9431", "Boshqa-Parol-5521").await.expect("change");
    d.create(&anvar(), "aziza").await.expect("create");
    let trail = serde_json::to_string(
        &d.store.audit(&AuditQuery { limit: Some(1000), ..Default::default() }).await.expect("audit").0,
    )
    .expect("json");
    let changes: Vec<String> = d.store.audit_chain().await.expect("chain").into_iter().map(|e| e.changes).collect();
    for secret in
        ["Sirli-Parol-9431", "Sirli-Parol-9430", "Boshqa-Parol-5521", ADMIN_PASSWORD, "31503901234562", "AA1234567"]
    {
        assert!(!trail.contains(secret) && !changes.iter().any(|c| c.contains(secret)), "{secret} in the trail");
    }
    d.store.close().await;
    // The database file and its WAL hold the worker's PINFL (it is his record), but no
    // password in any form.
    for name in [safar::data_dir::DB_FILE, "safar.db-wal"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap_or_default();
        for secret in ["Sirli-Parol-9431", "Sirli-Parol-9430", "Boshqa-Parol-5521", ADMIN_PASSWORD] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} in {name}");
        }
    }
}

async fn failed_entries(d: &Desk) -> Vec<safar::audit::Stored> {
    let q =
        AuditQuery { action: Some("login_failed".into()), ascending: true, limit: Some(1000), ..Default::default() };
    d.store.audit(&q).await.expect("audit").0
}

#[tokio::test]
async fn an_unknown_login_is_counted_and_locked_exactly_like_a_real_one() {
    let (d, admin, _dir) = initialised().await;
    let staff = UserInput {
        login: "aziza".into(),
        full_name: "Aziza".into(),
        role: "staff".into(),
        password: "Samarqand-77".into(),
    };
    d.add_user(&staff, &admin).await.expect("add");
    for login in ["aziza", "nobody"] {
        let mut codes = Vec::new();
        for _ in 0..6 {
            let e = d.login(login, "wrong-1").await.expect_err("refused");
            codes.push((e.code, e.params.iter().any(|(k, _)| *k == "until")));
        }
        let expected = [vec![("login_failed", false); 4], vec![("account_locked", true); 2]].concat();
        assert_eq!(codes, expected, "{login}");
    }
    // The same login in another case is the same (locked) login.
    assert_eq!(d.login("NoBody", "wrong-1").await.expect_err("locked").code, "account_locked");
    // The lock-out of unknown logins is per login: another one still just fails.
    assert_eq!(d.login("someone", "wrong-1").await.expect_err("other").code, "login_failed");
    assert!(d.login("admin", ADMIN_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn a_failed_sign_in_with_an_unknown_login_keeps_nothing_of_the_text_but_its_length() {
    let (d, _admin, dir) = initialised().await;
    // A password typed into the login field.
    let typed = "Admin-Parol-7726";
    assert_eq!(d.login(typed, "x").await.expect_err("unknown").code, "login_failed");
    let entry = failed_entries(&d).await.pop().expect("entry");
    assert_eq!(entry.actor, "?");
    let changes: serde_json::Value = serde_json::from_str(&entry.changes).expect("json");
    assert_eq!(changes["login_length"], 16);
    assert!(changes.get("login").is_none(), "{changes}");
    for piece in ["Ad", "26", "*"] {
        assert!(!entry.changes.contains(piece), "{piece} in {}", entry.changes);
    }
    d.store.close().await;
    for name in [safar::data_dir::DB_FILE, "safar.db-wal"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap_or_default();
        let lower = typed.to_ascii_lowercase();
        for text in [typed, lower.as_str()] {
            assert!(!bytes.windows(text.len()).any(|w| w == text.as_bytes()), "{text} in {name}");
        }
    }
}

#[tokio::test]
async fn logins_are_unique_without_regard_to_case() {
    let (d, admin, _dir) = initialised().await;
    let upper = UserInput {
        login: "ADMIN".into(),
        full_name: "Other".into(),
        role: "viewer".into(),
        password: "Buxoro-2026".into(),
    };
    let e = d.add_user(&upper, &admin).await.expect_err("a case variant");
    assert_eq!(e.problems.iter().map(|p| (p.field, p.code)).collect::<Vec<_>>(), vec![(Some("login"), "login_taken")]);
    assert_eq!(d.users().await.expect("users").len(), 1);
    // Signing in with another case is the same account, named as it was created.
    let s = d.login("Admin", ADMIN_PASSWORD).await.expect("login");
    assert_eq!((s.user_id, s.login.as_str()), (admin.user_id, "admin"));
    // The database refuses a case variant too, whoever writes it.
    let dup = sqlx::query(
        "INSERT INTO users (login, full_name, role, password_hash, created_at, updated_at) \
         VALUES ('aDmIn', '', 'viewer', 'x', '', '')",
    )
    .execute(d.store.pool())
    .await;
    assert!(dup.is_err(), "the unique index ignores case");
}

#[tokio::test]
async fn a_cli_check_of_the_password_is_not_a_session_but_its_failures_are_recorded() {
    let (d, _admin, _dir) = initialised().await;
    let before = actions(&d).await;
    let s = d.authenticate("admin", ADMIN_PASSWORD).await.expect("authenticate");
    assert_eq!(s.role, Role::Admin);
    assert_eq!(actions(&d).await, before, "a success writes nothing");
    assert_eq!(d.authenticate("admin", "wrong-1").await.expect_err("wrong").code, "login_failed");
    assert_eq!(d.authenticate("ghost", "wrong-1").await.expect_err("unknown").code, "login_failed");
    assert_eq!(failed_entries(&d).await.len(), 2);
    d.login("admin", ADMIN_PASSWORD).await.expect("window");
    assert_eq!(actions(&d).await.last().map(String::as_str), Some("login"), "the window's sign-in is a session");
}

#[tokio::test]
async fn an_older_database_with_two_logins_differing_in_case_keeps_both_and_renames_the_later() {
    let (d, _admin, dir) = initialised().await;
    d.store.close().await;
    // The database as it was before logins ignored case: no index, a case variant, the
    // migration not yet applied.
    let db = dir.path().join(safar::data_dir::DB_FILE);
    for sql in [
        "DROP INDEX users_login_nocase",
        "DROP TABLE login_throttle",
        "DELETE FROM _sqlx_migrations WHERE version = 6",
        "INSERT INTO users (login, full_name, role, password_hash, created_at, updated_at) \
         VALUES ('ADMIN', '', 'viewer', 'x', '', '')",
    ] {
        tamper(&db, sql).await;
    }
    let store = safar::store::Store::open(dir.path()).await.expect("migrates");
    let logins: Vec<String> = store.users().await.expect("users").into_iter().map(|u| u.login).collect();
    assert_eq!(logins, vec!["ADMIN-2", "admin"]);
}
