//! What an attack on the data folder or the command line tried (issue 12): a rewritten
//! audit trail, records changed behind Safar's back, endless or special files, bad bytes on
//! standard input, a read-only copy of the data folder.

use crate::cli::{initialised, safar, ADMIN_PASSWORD};
use crate::support::{anvar, desk, init_agency, person};
use safar::audit::{Link, Stored};
use safar::desk::Desk;
use std::process::{Command, Stdio};

async fn roster_of_three(d: &Desk) -> Vec<i64> {
    init_agency(d).await;
    let mut ids = Vec::new();
    for (n, name) in [(1u16, "Olimov"), (2, "Karimov"), (3, "Toshpoʻlatov")] {
        let w = person(n, name, None);
        ids.push(d.create(&w, "admin").await.expect("create").0.id);
    }
    d.checkpoint_if_due().await.expect("checkpoint");
    ids
}

/// What someone with `sqlite3` and the file can do: the append-only triggers go first.
async fn drop_triggers(d: &Desk) {
    for t in [
        "audit_log_no_update",
        "audit_log_no_delete",
        "record_seals_no_update",
        "record_seals_no_delete",
        "audit_checkpoints_no_update",
        "audit_checkpoints_no_delete",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {t}"))).execute(d.store.pool()).await.expect("drop");
    }
}

#[tokio::test]
async fn an_untouched_trail_verifies_with_its_signed_checkpoint() {
    let (d, _dir) = desk().await;
    roster_of_three(&d).await;
    let v = d.verify_audit(None).await.expect("verify");
    assert!(v.ok, "{v:?}");
    assert!(v.checkpoints >= 1 && v.newest_checkpoint.is_some() && v.signatures_checked, "{v:?}");
}

#[tokio::test]
async fn deleting_every_entry_with_the_triggers_dropped_is_detected() {
    let (d, dir) = desk().await;
    roster_of_three(&d).await;
    drop_triggers(&d).await;
    for table in ["audit_checkpoints", "record_seals", "audit_log"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(d.store.pool()).await.expect("delete");
    }
    // The copy beside the database says the chain once reached further.
    let v = d.verify_audit(None).await.expect("verify");
    assert!(!v.ok);
    assert_eq!(v.reason, Some("checkpoint_unreached"), "{v:?}");
    // Without that copy too, the workers have lost their audited state.
    std::fs::remove_file(safar::data_dir::DataDir::new(dir.path()).audit_checkpoint()).expect("remove copy");
    let v = d.verify_audit(None).await.expect("verify");
    assert_eq!((v.ok, v.reason), (false, Some("record_unsealed")), "{v:?}");
    assert!(v.record.as_deref().is_some_and(|r| r.starts_with("user#") || r.starts_with("worker#")));
}

#[tokio::test]
async fn an_entry_edited_and_every_hash_after_it_recomputed_is_detected() {
    let (d, _dir) = desk().await;
    roster_of_three(&d).await;
    drop_triggers(&d).await;
    let mut chain: Vec<Stored> = d.store.audit_chain().await.expect("chain");
    assert!(chain.len() >= 4);
    // Rewrite entry 2 and re-link everything after it, as a careful forger would.
    chain[1].actor = "mallory".into();
    for i in 1..chain.len() {
        let prev = chain[i - 1].hash.clone();
        let e = &mut chain[i];
        e.prev_hash = prev;
        e.hash = Link { prev: &e.prev_hash, ..e.link() }.hash();
    }
    for e in &chain[1..] {
        sqlx::query("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?")
            .bind(&e.actor)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(e.id)
            .execute(d.store.pool())
            .await
            .expect("rewrite");
    }
    assert!(safar::audit::verify(&d.store.audit_chain().await.expect("chain")).ok, "the chain alone is fooled");
    let v = d.verify_audit(None).await.expect("verify");
    assert_eq!((v.ok, v.reason), (false, Some("checkpoint_unreached")), "{v:?}");
}

#[tokio::test]
async fn a_pinfl_or_name_changed_outside_safar_names_the_worker() {
    let (d, _dir) = desk().await;
    let ids = roster_of_three(&d).await;
    sqlx::query("UPDATE workers SET pinfl = '31503901234570' WHERE id = ?")
        .bind(ids[1])
        .execute(d.store.pool())
        .await
        .expect("tamper");
    let v = d.verify_audit(None).await.expect("verify");
    assert_eq!((v.ok, v.reason), (false, Some("record_differs")), "{v:?}");
    assert_eq!(v.record, Some(format!("worker#{}", ids[1])));
    let message = safar::i18n::t(
        safar::i18n::Lang::En,
        "audit.reason_record_differs",
        &[("record", v.record.clone().unwrap_or_default())],
    );
    assert!(message.contains(&format!("worker#{}", ids[1])), "{message}");

    // A change through Safar is audited and sealed: no alarm.
    let (d, _dir) = desk().await;
    let ids = roster_of_three(&d).await;
    d.set_status(ids[0], "in_training", "cohort 1", "admin").await.expect("move");
    d.archive(ids[2], "left", "admin").await.expect("archive");
    assert!(d.verify_audit(None).await.expect("verify").ok);
    sqlx::query("UPDATE users SET role = 'admin', full_name = 'Mallory' WHERE login = 'admin'")
        .execute(d.store.pool())
        .await
        .expect("tamper user");
    let v = d.verify_audit(None).await.expect("verify");
    assert_eq!((v.reason, v.record.as_deref()), (Some("record_differs"), Some("user#1")), "{v:?}");
}

#[tokio::test]
async fn a_forged_checkpoint_and_a_deleted_worker_are_named() {
    let (d, _dir) = desk().await;
    let ids = roster_of_three(&d).await;
    drop_triggers(&d).await;
    sqlx::query("UPDATE audit_checkpoints SET at = '2020-01-01T00:00:00.000Z'")
        .execute(d.store.pool())
        .await
        .expect("forge");
    assert_eq!(d.verify_audit(None).await.expect("verify").reason, Some("checkpoint_forged"));

    let (d, _dir) = desk().await;
    let ids2 = roster_of_three(&d).await;
    assert_eq!(ids, ids2);
    sqlx::query("DELETE FROM worker_tokens WHERE worker_id = ?").bind(ids[0]).execute(d.store.pool()).await.ok();
    sqlx::query("DELETE FROM worker_sounds WHERE worker_id = ?").bind(ids[0]).execute(d.store.pool()).await.ok();
    sqlx::query("DELETE FROM consents WHERE worker_id = ?").bind(ids[0]).execute(d.store.pool()).await.expect("c");
    sqlx::query("DELETE FROM status_history WHERE worker_id = ?").bind(ids[0]).execute(d.store.pool()).await.ok();
    sqlx::query("DELETE FROM workers WHERE id = ?").bind(ids[0]).execute(d.store.pool()).await.expect("delete");
    let v = d.verify_audit(None).await.expect("verify");
    // His consent went with him (a foreign key): either is named, both were audited.
    assert_eq!(v.reason, Some("record_missing"), "{v:?}");
    let named = v.record.clone().unwrap_or_default();
    assert!(named == format!("worker#{}", ids[0]) || named.starts_with("consent#"), "{v:?}");
}

#[tokio::test]
async fn records_from_before_seals_are_sealed_once_on_upgrade() {
    let (d, dir) = desk().await;
    roster_of_three(&d).await;
    // As an older version left it: no seals, no checkpoints.
    drop_triggers(&d).await;
    for table in ["audit_checkpoints", "record_seals"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(d.store.pool()).await.expect("x");
    }
    sqlx::query("UPDATE audit_log SET seals = NULL").execute(d.store.pool()).await.expect("x");
    let chain = d.store.audit_chain().await.expect("chain");
    let mut prev = safar::audit::GENESIS.to_string();
    for e in &chain {
        let h = Link { prev: &prev, ..e.link() }.hash();
        sqlx::query("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?")
            .bind(&prev)
            .bind(&h)
            .bind(e.id)
            .execute(d.store.pool())
            .await
            .expect("x");
        prev = h;
    }
    std::fs::remove_file(safar::data_dir::DataDir::new(dir.path()).audit_checkpoint()).expect("remove copy");
    assert_eq!(d.verify_audit(None).await.expect("verify").reason, Some("checkpoint_missing"));
    d.seal_baseline().await.expect("baseline");
    d.seal_baseline().await.expect("only once");
    d.checkpoint_if_due().await.expect("checkpoint");
    let v = d.verify_audit(None).await.expect("verify");
    assert!(v.ok, "{v:?}");
    let baselines = d.store.audit_chain().await.expect("chain").iter().filter(|e| e.action == "audit.baseline").count();
    assert_eq!(baselines, 1);
}

#[test]
fn an_exported_checkpoint_is_checked_by_audit_verify_from_the_command_line() {
    let dir = initialised();
    assert_eq!(
        safar(dir.path(), &["workers", "add", "--json"], &serde_json::to_string(&anvar()).expect("json")).code,
        0
    );
    let file = dir.path().join("kept-elsewhere.txt");
    let r = safar(dir.path(), &["audit", "checkpoint", "--out", file.to_str().expect("path"), "--json"], "");
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    assert!(std::fs::read_to_string(&file).expect("read").starts_with("SAFAR-AUDIT1 "));
    let r = safar(dir.path(), &["audit", "verify", "--checkpoint", file.to_str().expect("path"), "--json"], "");
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    assert_eq!(r.json()["ok"], true);
    let forged = dir.path().join("forged.txt");
    std::fs::write(&forged, "SAFAR-AUDIT1 999 abc 2026-01-01T00:00:00.000Z 00000000 AAAA\n").expect("write");
    let r = safar(dir.path(), &["--lang", "en", "audit", "verify", "--checkpoint", forged.to_str().expect("path")], "");
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("signed checkpoint") || r.stdout.contains("signature"), "{}", r.stdout);
}

/// Runs the binary with raw bytes on standard input.
fn run_bytes(dir: &std::path::Path, args: &[&str], stdin: Stdio, input: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safar"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--user", "admin", "--lang", "en"])
        .env("SAFAR_PASSWORD", ADMIN_PASSWORD)
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let (Some(bytes), Some(mut pipe)) = (input, child.stdin.take()) {
        use std::io::Write;
        // The program may stop reading early (that is the point): a broken pipe is fine.
        let _ = pipe.write_all(bytes);
    }
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_named_as_files_are_refused_with_exit_2() {
    let dir = initialised();
    let id = safar(dir.path(), &["workers", "add", "--json"], &serde_json::to_string(&anvar()).expect("json")).json()
        ["id"]
        .to_string();
    for args in [
        vec!["import", "/dev/zero"],
        vec!["import", "/dev/stdin"],
        vec!["certificates", "verify", "/dev/zero"],
        vec!["certificates", "trust-key", "/dev/zero"],
        vec!["audit", "verify", "--checkpoint", "/dev/zero"],
    ] {
        let (code, out, err) = run_bytes(dir.path(), &args, Stdio::piped(), Some(&b"a,b,c\n".repeat(10_000)));
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    // Contracts need a contract to attach to; the file is refused before the contract is looked up.
    let (code, _, err) = run_bytes(dir.path(), &["contracts", "attach", "1", "/dev/zero"], Stdio::null(), None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(safar(dir.path(), &["workers", "show", &id], "").code, 0);
}

#[test]
fn endless_or_invalid_standard_input_is_bad_input_exit_2() {
    let dir = initialised();
    let (code, _, err) =
        run_bytes(dir.path(), &["workers", "add"], Stdio::piped(), Some(b"{\"last_name\": \"Ol\xffimov\"}"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    let (code, _, err) = run_bytes(dir.path(), &["workers", "add"], Stdio::piped(), Some(&vec![b' '; 2 * 1024 * 1024]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("too big"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_read_only_data_folder_still_lists_and_verifies_but_refuses_changes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = initialised();
    let add = safar(dir.path(), &["workers", "add", "--json"], &serde_json::to_string(&anvar()).expect("json"));
    assert_eq!(add.code, 0);
    // Root ignores permission bits; a user who cannot write the folder is the real case,
    // so as root the test runs the binary as `nobody` on a folder only root may write.
    let root = running_as_root();
    let chmod = |mode: u32| {
        for entry in std::fs::read_dir(dir.path()).expect("ls").flatten() {
            let m = if entry.path().is_dir() { mode | 0o111 } else { mode };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(m)).ok();
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode | 0o111)).expect("chmod");
    };
    chmod(if root { 0o644 } else { 0o444 });
    let run = |args: &[&str]| {
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_safar")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_safar"))
        };
        let out = cmd
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--user", "admin", "--lang", "en"])
            .env("SAFAR_PASSWORD", ADMIN_PASSWORD)
            .env("HOME", "/tmp")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["workers", "list", "--json"]);
    chmod(0o755);
    assert_eq!(code, 0, "{out} {err}");
    assert!(out.contains("Anvar"), "{out}");
    chmod(if root { 0o644 } else { 0o444 });
    let (code, out, err) = run(&["audit", "verify"]);
    let (refused, _, why) = run(&["workers", "archive", "1", "--reason", "left"]);
    chmod(0o755);
    assert_eq!(code, 0, "{out} {err}");
    assert_eq!(refused, 2, "{why}");
    assert!(why.contains("read-only"), "{why}");
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

#[tokio::test]
async fn a_record_planted_with_sqlite_is_never_sealed_by_a_later_start() {
    let (d, _dir) = desk().await;
    let ids = roster_of_three(&d).await;
    // An admin account planted with sqlite3.
    sqlx::query(
        "INSERT INTO users (login, full_name, role, password_hash, created_at, updated_at) \
         VALUES ('mallory', 'M', 'admin', 'x', '2026-11-25', '2026-11-25')",
    )
    .execute(d.store.pool())
    .await
    .expect("plant");
    assert!(!ids.is_empty());
    // The next start runs the baseline: it must not seal what nobody audited.
    d.seal_baseline().await.expect("baseline");
    let v = d.verify_audit(None).await.expect("verify");
    assert!(!v.ok, "{v:?}");
    assert_eq!((v.reason, v.record.as_deref()), (Some("record_unsealed"), Some("user#2")), "{v:?}");
    assert!(d.store.audit_chain().await.expect("chain").iter().all(|e| e.action != safar::audit::BASELINE));
}

#[tokio::test]
async fn removing_the_checkpoints_and_their_copy_to_hide_a_rewrite_is_detected() {
    let (d, dir) = desk().await;
    roster_of_three(&d).await;
    drop_triggers(&d).await;
    sqlx::query("DELETE FROM audit_checkpoints").execute(d.store.pool()).await.expect("delete");
    std::fs::remove_file(safar::data_dir::DataDir::new(dir.path()).audit_checkpoint()).expect("remove copy");
    let v = d.verify_audit(None).await.expect("verify");
    assert_eq!((v.ok, v.reason), (false, Some("checkpoint_missing")), "{v:?}");
}

#[tokio::test]
async fn a_checkpoint_with_an_absurd_entry_number_is_refused_not_a_crash() {
    let (d, _dir) = desk().await;
    roster_of_three(&d).await;
    let line = "SAFAR-AUDIT1 -9223372036854775808 abc 2026-01-01T00:00:00.000Z 00000000 AAAA";
    let v = d.verify_audit(Some(line)).await.expect("verify");
    assert!(!v.ok);
}
