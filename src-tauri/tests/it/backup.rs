// Over 500 lines: every backup guarantee end to end (permissions, round trip, damage, keys, kill -9, a backup during an import, a busy database), each needing its own folder set-up.
//! Backups and owner-only files (issue 11), as an admin runs them: the real binary on a
//! temp data folder.

use crate::cli::{initialised, safar, Run};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The smallest real PDF (as in placement.rs), for an attachment.
const ONE_PAGE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n\
trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";

const PINFL: &str = "31503901234562";
const PASSPORT: &str = "AA1234567";

fn ok(r: &Run, what: &str) {
    assert_eq!(r.code, 0, "{what}: {} {}", r.stdout, r.stderr);
}

/// A data folder with demo workers, a known worker, an attachment and a printed
/// certificate: everything a backup must carry.
fn filled(workers: u32) -> tempfile::TempDir {
    let dir = initialised();
    ok(&safar(dir.path(), &["demo", "--workers", &workers.to_string()], ""), "demo");
    let anvar = json!({
        "last_name": "Gʻulomov", "first_name": "Anvar", "last_name_cyrillic": "Ғуломов", "first_name_cyrillic": "Анвар",
        "birth_date": "1990-03-15", "sex": "M", "pinfl": PINFL, "passport_number": PASSPORT,
        "passport_issued": "2020-01-10", "passport_expiry": "2030-01-09", "phone": "998901234567",
        "region": "AN", "destination_country": "KR",
        "consent": {"given_on": "2026-01-10", "purpose": "Employment abroad", "valid_until": "2030-01-10",
                    "may_transfer_abroad": true}
    });
    ok(&safar(dir.path(), &["workers", "add", "--json"], &anvar.to_string()), "add");
    let contracts = safar(dir.path(), &["contracts", "list", "--json"], "").json();
    let contract =
        contracts["items"][0]["id"].as_i64().or_else(|| contracts[0]["id"].as_i64()).expect("a demo contract");
    let scan = dir.path().join("scan-in.pdf");
    std::fs::write(&scan, ONE_PAGE_PDF).expect("write");
    ok(&safar(dir.path(), &["contracts", "attach", &contract.to_string(), &scan.display().to_string()], ""), "attach");
    std::fs::remove_file(&scan).expect("rm");
    dir
}

fn one_certificate(dir: &Path) -> String {
    let list = safar(dir, &["certificates", "list", "--limit", "1", "--json"], "").json();
    let first = list.get("items").map(|i| i[0].clone()).unwrap_or_else(|| list[0].clone());
    first["number"].as_str().expect("a demo certificate").to_string()
}

fn create(dir: &Path, out: &Path) -> serde_json::Value {
    let r = safar(dir, &["backup", "create", "--out", &out.display().to_string(), "--json"], "");
    ok(&r, "backup create");
    r.json()
}

/// Every row and schema statement of a database, as `sqlite3 .dump` lines, sorted:
/// `VACUUM INTO` may store the schema's objects in another order.
fn dump(db: &Path) -> Vec<String> {
    let out = Command::new("sqlite3").arg(db).arg(".dump").output().expect("sqlite3 (scripts/setup.sh installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<String> = String::from_utf8(out.stdout).expect("utf-8").lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Equal dumps, or the first lines that differ (never the whole roster in the output).
fn same(a: &[String], b: &[String], what: &str) {
    if a != b {
        let only_a: Vec<&String> = a.iter().filter(|l| !b.contains(l)).take(3).collect();
        let only_b: Vec<&String> = b.iter().filter(|l| !a.contains(l)).take(3).collect();
        panic!("{what}: {} vs {} lines; only before: {only_a:.200?}; only after: {only_b:.200?}", a.len(), b.len());
    }
}

fn sha(path: &Path) -> String {
    format!("{:x}", Sha256::digest(std::fs::read(path).expect("read")))
}

#[cfg(unix)]
fn modes(dir: &Path, out: &mut Vec<(PathBuf, u32)>) {
    use std::os::unix::fs::PermissionsExt;
    for e in std::fs::read_dir(dir).expect("read").flatten() {
        let meta = std::fs::symlink_metadata(e.path()).expect("meta");
        out.push((e.path(), meta.permissions().mode() & 0o777));
        if meta.is_dir() {
            modes(&e.path(), out);
        }
    }
}

#[cfg(unix)]
#[test]
fn nothing_in_a_data_folder_is_readable_by_other_accounts_and_opening_repairs_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = filled(50);
    let path = |p: &str| dir.path().join(p).display().to_string();
    // Files the app writes into its folder: a worker's export, a printed certificate, a
    // public key, a backup (default folder), besides the database, keys and attachments.
    ok(&safar(dir.path(), &["workers", "export", "1"], ""), "worker export");
    let number = one_certificate(dir.path());
    ok(&safar(dir.path(), &["certificates", "print", &number, "--out", &path("exports/printed")], ""), "print");
    ok(&safar(dir.path(), &["certificates", "public-key", "--out", &path("exports/agency.pub")], ""), "key");
    ok(&safar(dir.path(), &["backup", "create"], ""), "backup");
    let mut all = Vec::new();
    modes(dir.path(), &mut all);
    for want in ["safar.db", "keys", "attachments", "exports", "backups"] {
        assert!(all.iter().any(|(p, _)| p.ends_with(want)), "{want} missing from {all:?}");
    }
    assert!(all.iter().any(|(p, _)| p.to_string_lossy().ends_with(".safarbak")));
    assert_eq!(std::fs::metadata(dir.path()).expect("meta").permissions().mode() & 0o777, 0o700);
    for (p, mode) in &all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{} is {mode:o}", p.display());
    }
    // A folder an older Safar left readable is narrowed at the next start.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(dir.path().join("safar.db"), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::set_permissions(dir.path().join("attachments"), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    ok(&safar(dir.path(), &["info"], ""), "info");
    let mut all = Vec::new();
    modes(dir.path(), &mut all);
    assert_eq!(std::fs::metadata(dir.path()).expect("meta").permissions().mode() & 0o777, 0o700);
    assert!(all.iter().all(|(p, m)| *m == if p.is_dir() { 0o700 } else { 0o600 }), "{all:?}");
}

#[test]
fn a_backup_restores_every_row_file_and_certificate_and_reveals_nothing_without_a_key() {
    let dir = filled(5_000);
    let out = tempfile::tempdir().expect("out");
    let before = dump(&dir.path().join("safar.db"));
    let made = create(dir.path(), out.path());
    assert_eq!(made["verified"], true, "{made}");
    let recovery = made["recovery_key"].as_str().expect("the first backup shows the recovery key").to_string();
    let file = PathBuf::from(made["file"].as_str().expect("file"));
    assert!(file.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".safarbak")));

    // Nothing readable in the file: the PINFL, the passport, the name in both scripts.
    let bytes = std::fs::read(&file).expect("read");
    for needle in [PINFL, PASSPORT, "Gʻulomov", "Ғуломов", "SQLite format"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} in plain in the backup");
    }
    // Only the recovery key's public half stays on the PC.
    let kept = std::fs::read_to_string(dir.path().join("keys/recovery.agepub")).expect("read");
    assert!(!kept.contains(&recovery));

    let v = safar(dir.path(), &["backup", "verify", &file.display().to_string(), "--json"], "");
    ok(&v, "verify");
    assert_eq!(v.json()["ok"], true);

    // Restored into a new folder: the same rows, files and certificates.
    let parent = tempfile::tempdir().expect("parent");
    let to = parent.path().join("restored");
    ok(
        &safar(dir.path(), &["backup", "restore", &file.display().to_string(), "--to", &to.display().to_string()], ""),
        "restore",
    );
    same(&before, &dump(&to.join("safar.db")), "the restored database");
    for entry in std::fs::read_dir(dir.path().join("attachments")).expect("attachments").flatten() {
        assert_eq!(sha(&entry.path()), sha(&to.join("attachments").join(entry.file_name())));
    }
    assert_eq!(sha(&dir.path().join("keys/certificate-signing.key")), sha(&to.join("keys/certificate-signing.key")));
    ok(&safar(&to, &["audit", "verify"], ""), "audit verify in the restored folder");
    let number = one_certificate(&to);
    let pdfs = parent.path().join("pdf");
    ok(&safar(&to, &["certificates", "print", &number, "--out", &pdfs.display().to_string()], ""), "print");
    let pdf = std::fs::read_dir(&pdfs).expect("pdfs").flatten().next().expect("a pdf").path();
    ok(&safar(dir.path(), &["certificates", "verify", &pdf.display().to_string()], ""), "verified by the old folder");
    ok(&safar(&to, &["certificates", "verify", &pdf.display().to_string()], ""), "verified by the restored folder");

    // Never over live data, nor into a folder that holds anything.
    let r = safar(
        dir.path(),
        &["backup", "restore", &file.display().to_string(), "--to", &to.display().to_string(), "--json"],
        "",
    );
    assert_eq!((r.code, r.json()["errors"][0]["code"].clone()), (2, json!("restore_target_unusable")));

    // One flipped byte is refused by verify, naming the damage.
    let flipped = out.path().join("flipped.safarbak");
    let mut bad = bytes.clone();
    let i = bad.len() / 2;
    bad[i] ^= 0x01;
    std::fs::write(&flipped, &bad).expect("write");
    let r = safar(dir.path(), &["backup", "verify", &flipped.display().to_string(), "--json"], "");
    assert_eq!((r.code, r.json()["errors"][0]["code"].clone()), (2, json!("backup_damaged")), "{}", r.stdout);

    // A lost PC: a new, empty data folder, nobody signed in, the printed recovery key.
    let new_pc = tempfile::tempdir().expect("new pc");
    let key = new_pc.path().join("recovery.txt");
    std::fs::write(&key, format!("# printed\n{recovery}\n")).expect("write");
    let elsewhere = new_pc.path().join("data");
    let r = Command::new(env!("CARGO_BIN_EXE_safar"))
        .arg("--data-dir")
        .arg(new_pc.path().join("empty"))
        .args(["backup", "restore"])
        .arg(&file)
        .arg("--to")
        .arg(&elsewhere)
        .arg("--key")
        .arg(&key)
        .env_remove("SAFAR_USER")
        .env_remove("SAFAR_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    same(&before, &dump(&elsewhere.join("safar.db")), "restored with the recovery key");
    // And another agency's key opens nothing.
    std::fs::write(&key, "AGE-SECRET-KEY-1QT9A6DETVKAQE0558PUZZYPUT9R0WVSAVRUV5AVR9UWV5PTUUTGQN9WZDP\n")
        .expect("write");
    let r = safar(
        dir.path(),
        &["backup", "verify", &file.display().to_string(), "--key", &key.display().to_string(), "--json"],
        "",
    );
    assert_eq!(r.json()["errors"][0]["code"], "backup_wrong_key", "{}", r.stdout);
}

#[test]
fn a_backup_killed_half_way_leaves_the_earlier_ones_whole_and_nothing_that_looks_finished() {
    let dir = filled(50);
    // 64 MiB that does not compress, so a backup takes long enough to be killed inside.
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(async {
        let store = safar::store::Store::open(dir.path()).await.expect("open");
        sqlx::query("INSERT INTO settings (key, value) VALUES ('test.filler', hex(randomblob(32 * 1024 * 1024)))")
            .execute(store.pool())
            .await
            .expect("filler");
        store.close().await;
    });
    let out = tempfile::tempdir().expect("out");
    let first = PathBuf::from(create(dir.path(), out.path())["file"].as_str().expect("file"));
    let first_sha = sha(&first);
    for delay_ms in [300u64, 900, 1800, 3000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_safar"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--user", "admin", "backup", "create", "--out"])
            .arg(out.path())
            .env("SAFAR_PASSWORD", crate::cli::ADMIN_PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().expect("reap");
        assert_eq!(sha(&first), first_sha, "killed after {delay_ms} ms: the earlier backup changed");
        for entry in std::fs::read_dir(out.path()).expect("read").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".safarbak") {
                let r = safar(dir.path(), &["backup", "verify", &entry.path().display().to_string()], "");
                assert_eq!(r.code, 0, "killed after {delay_ms} ms: {name} looks finished but is not: {}", r.stderr);
            } else {
                assert!(name.ends_with(".safarbak.partial"), "unexpected {name}");
            }
        }
    }
    let partials = std::fs::read_dir(out.path())
        .expect("read")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .count();
    assert!(partials > 0, "no kill landed inside a backup: the test proves nothing");
}

/// Workers in a data folder (a restored one included), as `safar info` counts them.
fn workers_in(dir: &Path) -> i64 {
    let info = safar(dir, &["info", "--json"], "");
    ok(&info, "info");
    info.json()["workers"].as_i64().expect("count")
}

/// The test: backups taken while a 10,000-row import commits batch after batch
/// each restore to whole batches, never half of one.
#[test]
fn a_backup_taken_during_a_batched_import_restores_to_whole_batches() {
    use safar::i18n::Lang;
    use safar::import::export;
    use safar::sheet::Sheet;
    let dir = crate::cli::initialised();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    let mut rng = fastrand::Rng::with_seed(11);
    let mut sheet = Sheet::with_fields("w", export::WORKER_FIELDS, Lang::En);
    for i in 0..10_000u64 {
        let w = safar::demo::worker(&mut rng, 3_000_000 + i, today);
        sheet.push(export::worker_row(&crate::import::as_worker(&w.data, 0), Lang::En));
    }
    let file = dir.path().join("big.csv");
    std::fs::write(&file, safar::sheet::csv_bytes(&sheet, b',').expect("csv")).expect("write");
    let mut import = Command::new(env!("CARGO_BIN_EXE_safar"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--user", "admin", "import"])
        .arg(&file)
        // Batches of 100: a hundred commits, so a backup lands between two of them even on
        // an idle machine (with 1,000 the import could end before the first backup began).
        .args(["--batch", "100"])
        .env("SAFAR_PASSWORD", crate::cli::ADMIN_PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Reading and checking the file comes first: wait for the first batch.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while workers_in(dir.path()) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Backups one after another while the import runs (at most 6), each in its own
    // folder: in one folder the generations would keep only the day's newest.
    let out = tempfile::tempdir().expect("out");
    let mut files = Vec::new();
    while files.len() < 6 && import.try_wait().expect("import").is_none() {
        let made = create(dir.path(), &out.path().join(files.len().to_string()));
        assert_eq!(made["verified"], true, "{made}");
        files.push(PathBuf::from(made["file"].as_str().expect("file")));
    }
    assert!(import.wait().expect("import").success(), "the import finished");
    assert_eq!(workers_in(dir.path()), 10_000);
    let parent = tempfile::tempdir().expect("parent");
    let mut seen = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let to = parent.path().join(format!("restored-{i}"));
        let r = safar(
            dir.path(),
            &["backup", "restore", &file.display().to_string(), "--to", &to.display().to_string()],
            "",
        );
        ok(&r, "restore");
        let n = workers_in(&to);
        assert_eq!(n % 100, 0, "backup {i} restores {n} workers: part of a batch");
        ok(&safar(&to, &["audit", "verify"], ""), "the restored audit chain");
        seen.push(n);
    }
    println!("workers in the backups taken during the import: {seen:?}");
    assert!(
        seen.iter().any(|n| *n > 0 && *n < 10_000),
        "no backup landed inside the import ({seen:?}): the test proves nothing"
    );
}

/// Another writer holds the database longer than the busy timeout while a backup is
/// recorded: the backup is still made and verified, the window still sees it as the last
/// one, and the record with its audit entry is written at the schedule's next look.
#[test]
fn a_busy_database_does_not_turn_a_finished_backup_into_a_failure() {
    use sqlx::{ConnectOptions, Connection};
    let dir = filled(20);
    let out = tempfile::tempdir().expect("out");
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(async {
        let store = safar::store::Store::open(dir.path()).await.expect("open");
        let desk = safar::desk::Desk::new(store, std::sync::Arc::new(safar::clock::SystemClock));
        // The other writer: a transaction that holds the write lock throughout the backup.
        let mut other = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("safar.db"))
            .connect()
            .await
            .expect("connect");
        sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.expect("lock");
        let made = desk.back_up(Some(out.path()), "admin").await.expect("a busy database fails no backup");
        assert!(made.verified && made.file.is_file(), "{made:?}");
        assert!(!made.recorded, "the record had to wait");
        let last = desk.last_backup().await.expect("last").expect("the backup is seen as the last one");
        assert_eq!(last.file, made.file.display().to_string());
        assert!(!desk.backup_stale().await.expect("stale"), "no banner for a backup made a moment ago");
        assert_eq!(desk.store.setting("backup.last").await.expect("setting"), None, "not in the database yet");
        sqlx::query("ROLLBACK").execute(&mut other).await.expect("unlock");
        other.close().await.expect("close");

        // The schedule's next look writes the record and its audit entry; nothing is due.
        assert!(desk.back_up_if_due(24).await.expect("look").is_none());
        let recorded = desk.store.setting("backup.last").await.expect("setting").expect("recorded now");
        assert!(recorded.contains(&made.file.display().to_string()), "{recorded}");
        assert!(!dir.path().join("backups/.last-pending.json").exists(), "nothing left waiting");
        let entries: Vec<String> =
            sqlx::query_scalar("SELECT changes FROM audit_log WHERE action = 'backup.create' ORDER BY id")
                .fetch_all(desk.store.pool())
                .await
                .expect("audit");
        assert_eq!(entries.len(), 1, "{entries:?}");
        assert!(entries[0].contains("\"recorded_late\":true"), "{entries:?}");
        let audit = desk.verify_audit(None).await.expect("verify");
        assert!(audit.ok, "{:?}", audit.reason);
        desk.store.close().await;
    });
}

/// `safar` as `user` (or nobody), with extra environment and standard input.
fn run_with(dir: &Path, user: Option<(&str, &str)>, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safar"));
    cmd.arg("--data-dir").arg(dir).env_remove("SAFAR_PASSWORD").env_remove("SAFAR_USER");
    cmd.env_remove("SAFAR_NEW_PASSWORD");
    if let Some((login, password)) = user {
        cmd.args(["--user", login]).env("SAFAR_PASSWORD", password);
    }
    cmd.envs(env.iter().copied()).args(args);
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn safar");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin");
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn code(r: &Run) -> String {
    r.json()["errors"][0]["code"].as_str().unwrap_or_default().to_string()
}

/// A forgotten admin password with nobody else to reset it: the printed recovery key sets
/// a new one, enables and unlocks the account, and says so in the audit trail; a wrong key
/// changes nothing and says why in the user's language.
#[test]
fn the_recovery_key_resets_a_forgotten_admin_password_and_a_wrong_key_is_refused() {
    let dir = crate::cli::initialised();
    let out = tempfile::tempdir().expect("out");
    let recovery = create(dir.path(), out.path())["recovery_key"].as_str().expect("recovery key").to_string();
    let keys = tempfile::tempdir().expect("keys");
    let key = keys.path().join("recovery.txt");
    std::fs::write(&key, format!("# printed\n{recovery}\n")).expect("write");
    let wrong = keys.path().join("other.txt");
    std::fs::write(&wrong, "AGE-SECRET-KEY-1QT9A6DETVKAQE0558PUZZYPUT9R0WVSAVRUV5AVR9UWV5PTUUTGQN9WZDP\n")
        .expect("write");
    let (key, wrong) = (key.display().to_string(), wrong.display().to_string());
    let old = crate::cli::ADMIN_PASSWORD;
    const NEW: &str = "Samarqand-2027";
    let as_admin = |password: &str, args: &[&str]| run_with(dir.path(), Some(("admin", password)), args, &[], "");

    // The admin forgot his password and guessed until the account locked.
    for _ in 0..5 {
        as_admin("Buxoro-1999", &["users", "list"]);
    }
    assert_eq!(code(&as_admin(old, &["users", "list", "--json"])), "account_locked");

    // Another agency's key: refused, translated, nothing changed.
    let r = run_with(
        dir.path(),
        None,
        &["users", "recover", "admin", "--key", &wrong, "--json", "--lang", "ru"],
        &[("SAFAR_NEW_PASSWORD", NEW)],
        "",
    );
    assert_eq!((r.code, code(&r)), (2, "recovery_key_wrong".to_string()), "{}", r.stdout);
    let message = r.json()["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("ключ восстановления"), "{message}");
    assert_eq!(code(&as_admin(NEW, &["users", "list", "--json"])), "account_locked");

    // The printed key: a new password, the lock lifted, no sign-in needed.
    let r =
        run_with(dir.path(), None, &["users", "recover", "admin", "--key", &key], &[("SAFAR_NEW_PASSWORD", NEW)], "");
    ok(&r, "recover");
    assert!(r.stdout.contains("admin"), "{}", r.stdout);
    ok(&as_admin(NEW, &["users", "list"]), "signed in with the new password");
    assert_eq!(code(&as_admin(old, &["users", "list", "--json"])), "login_failed");

    // A disabled admin (key on standard input) is enabled; a staff account is not an admin's.
    let add = |login: &str, role: &str| {
        let r = run_with(
            dir.path(),
            Some(("admin", NEW)),
            &["users", "add", login, "--role", role],
            &[("SAFAR_NEW_PASSWORD", "Namangan-2026")],
            "",
        );
        ok(&r, "add");
    };
    add("rustam", "admin");
    add("dilnoza", "staff");
    ok(&as_admin(NEW, &["users", "disable", "rustam"]), "disable");
    let r = run_with(
        dir.path(),
        None,
        &["users", "recover", "rustam", "--key", "-", "--json"],
        &[("SAFAR_NEW_PASSWORD", "Andijon-2028")],
        &recovery,
    );
    ok(&r, "recover a disabled admin");
    assert_eq!(r.json()["disabled"], false, "{}", r.stdout);
    ok(&run_with(dir.path(), Some(("rustam", "Andijon-2028")), &["users", "list"], &[], ""), "rustam signs in");
    let r = run_with(
        dir.path(),
        None,
        &["users", "recover", "dilnoza", "--key", &key, "--json"],
        &[("SAFAR_NEW_PASSWORD", "Andijon-2028")],
        "",
    );
    assert_eq!(code(&r), "recover_not_admin", "{}", r.stdout);

    // The trail says the key did it, twice, and still holds.
    let r = as_admin(NEW, &["audit", "list", "--action", "user.recover", "--json"]);
    ok(&r, "audit list");
    let entries = r.json();
    let entries = entries.get("items").cloned().unwrap_or(entries);
    let entries = entries.as_array().expect("entries").clone();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries.iter().all(|e| e["user"] == "recovery-key"), "{entries:?}");
    ok(&as_admin(NEW, &["audit", "verify"]), "audit verify");
}
