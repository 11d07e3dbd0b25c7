//! Upgrades that cannot lose data: a copy before migrating an existing database, all
//! pending migrations in one transaction, a newer database refused untouched, and the
//! `_sqlx_migrations` bookkeeping exactly as sqlx itself writes it.

use crate::support::{desk, init_agency, person};
use safar::data_dir::{BACKUP_DIR, DB_FILE};
use safar::i18n::Lang;
use safar::store::{Store, MIGRATOR};
use sqlx::migrate::Migrator;
use sqlx::{Connection, SqliteConnection};
use std::path::{Path, PathBuf};

/// A data folder with the agency, its admin and `workers` workers, closed again.
async fn filled(workers: u16) -> tempfile::TempDir {
    let (d, dir) = desk().await;
    init_agency(&d).await;
    for n in 1..=workers {
        d.create(&person(n, "Karimov", Some("Каримов")), "admin").await.expect("create");
    }
    d.store.close().await;
    dir
}

async fn connect(db: &Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.expect("connect")
}

async fn exec(db: &Path, statements: &[&str]) {
    let mut conn = connect(db).await;
    for sql in statements {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await.expect(sql);
    }
    conn.close().await.expect("close");
}

/// The schema (every object's SQL) and the number of rows of every table: what an upgrade
/// must not lose.
async fn shape(db: &Path) -> (Vec<(String, String)>, Vec<(String, i64)>) {
    let mut conn = connect(db).await;
    let schema: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("schema");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut counts = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{t}\"")))
            .fetch_one(&mut conn)
            .await
            .expect("count");
        counts.push((t, n));
    }
    conn.close().await.expect("close");
    (schema, counts)
}

/// `_sqlx_migrations` as (version, description, success, checksum).
async fn bookkeeping(db: &Path) -> Vec<(i64, String, bool, Vec<u8>)> {
    let mut conn = connect(db).await;
    let rows = sqlx::query_as("SELECT version, description, success, checksum FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .expect("bookkeeping");
    conn.close().await.expect("close");
    rows
}

/// A migrations folder: this build's migrations, then `extra` (file name, SQL).
async fn migrator_with(folder: &Path, extra: &[(&str, &str)]) -> Migrator {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&source).expect("migrations") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, folder.join(path.file_name().expect("name"))).expect("copy");
    }
    for (name, sql) in extra {
        std::fs::write(folder.join(name), sql).expect("write migration");
    }
    Migrator::new(folder).await.expect("migrator")
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join(BACKUP_DIR))
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[tokio::test]
async fn a_failing_migration_leaves_the_database_byte_for_byte_as_it_was_and_names_the_copy() {
    let dir = filled(3).await;
    let db = dir.path().join(DB_FILE);
    let bytes = std::fs::read(&db).expect("read");
    let before = shape(&db).await;
    // Two new migrations: the first works and changes data, the second fails half-way.
    // Applied one transaction each (as sqlx does), the first would stay.
    let folder = tempfile::tempdir().expect("tempdir");
    let migrator = migrator_with(
        folder.path(),
        &[
            ("0090_probe.sql", "CREATE TABLE upgrade_probe (x INTEGER); UPDATE settings SET value = 'x';"),
            ("0091_broken.sql", "ALTER TABLE workers ADD COLUMN extra TEXT; INSERT INTO no_such_table VALUES (1);"),
        ],
    )
    .await;

    let e = Store::open_with(dir.path(), &migrator).await.expect_err("the upgrade fails");
    assert_eq!(e.code, "upgrade_failed");
    let backup = e.params.iter().find(|(k, _)| *k == "backup").map(|(_, v)| PathBuf::from(v)).expect("backup param");
    let message = e.message(Lang::En);
    assert!(message.contains(&backup.display().to_string()) && message.contains("Nothing was changed"), "{message}");
    assert!(message.contains("no_such_table"), "the message says what failed: {message}");

    assert_eq!(std::fs::read(&db).expect("read"), bytes, "the database file changed");
    assert_eq!(shape(&db).await, before, "the schema or the rows changed");
    assert_eq!(bookkeeping(&db).await.len(), MIGRATOR.iter().count());
    assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists_and_nonempty(), "a WAL with changes was left");

    // The copy: taken before, named after the schema it holds, owner-only, complete.
    assert_eq!(backups(dir.path()), vec![backup.clone()]);
    let name = backup.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    assert!(name.starts_with(&format!("pre-upgrade-{}-", safar::store::schema_version())), "{name}");
    assert_eq!(shape(&backup).await.1, before.1, "the copy holds every row");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the copy is readable by others: {mode:o}");
    }

    // This version still opens it as before.
    let store = Store::open(dir.path()).await.expect("the old schema still opens");
    assert_eq!(store.count_workers().await.expect("count"), 3);
}

#[tokio::test]
async fn a_database_from_a_newer_safar_is_refused_and_left_untouched() {
    let dir = filled(1).await;
    let db = dir.path().join(DB_FILE);
    exec(
        &db,
        &["INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
           VALUES (99, 'from the future', TRUE, x'00', 1)"],
    )
    .await;
    let bytes = std::fs::read(&db).expect("read");

    let e = Store::open(dir.path()).await.expect_err("refused");
    assert_eq!(e.code, "database_newer");
    let message = e.message(Lang::En);
    assert!(message.contains("schema 99") && message.contains(&db.display().to_string()), "{message}");
    for lang in [Lang::UzLatn, Lang::UzCyrl, Lang::Ru] {
        assert!(e.message(lang).contains("99"), "{}", e.message(lang));
    }
    assert_eq!(std::fs::read(&db).expect("read"), bytes, "the newer database was changed");
    assert!(backups(dir.path()).is_empty(), "nothing to upgrade, nothing to copy");
}

#[tokio::test]
async fn an_upgrade_from_the_previous_schema_keeps_every_row_and_leaves_a_copy() {
    let dir = filled(25).await;
    let db = dir.path().join(DB_FILE);
    // The database as the previous release (schema 6) left it: the objects of migrations 7
    // (audit seals), 8 (history reason codes) and 9 (name sounds) gone, and their
    // bookkeeping rows with them.
    exec(
        &db,
        &[
            "DROP TABLE record_seals",
            "DROP TABLE audit_checkpoints",
            "ALTER TABLE audit_log DROP COLUMN seals",
            "ALTER TABLE status_history DROP COLUMN reason_code",
            "DROP TABLE worker_sounds",
            "CREATE INDEX workers_by_name_key ON workers (name_key, birth_date)",
            "DELETE FROM _sqlx_migrations WHERE version IN (7, 8, 9)",
        ],
    )
    .await;
    let (_, old_counts) = shape(&db).await;
    assert!(old_counts.iter().any(|(t, n)| t == "workers" && *n == 25));

    let store = Store::open(dir.path()).await.expect("upgrades");
    assert_eq!(store.count_workers().await.expect("count"), 25);
    store.close().await;

    let (_, new_counts) = shape(&db).await;
    for (table, n) in &old_counts {
        let after = new_counts.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
        let expected = if table == "_sqlx_migrations" { n + 3 } else { *n };
        assert_eq!(after, Some(expected), "table {table}");
    }
    // The sounds of the workers already there were computed by the upgrade: each has his
    // duplicate key (and word sounds beside it).
    let keys = new_counts.iter().find(|(t, _)| t == "worker_sounds").map(|(_, n)| *n).unwrap_or(0);
    assert!(keys > 25 * 2, "worker_sounds has {keys} rows for 25 workers");
    let copies = backups(dir.path());
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = copies[0].file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    assert!(name.starts_with("pre-upgrade-6-") && name.ends_with(".db"), "{name}");
    assert_eq!(shape(&copies[0]).await.1, old_counts, "the copy is the database before the upgrade");

    // Opening again upgrades nothing and copies nothing.
    let store = Store::open(dir.path()).await.expect("reopens");
    store.close().await;
    assert_eq!(backups(dir.path()).len(), 1);
}

#[tokio::test]
async fn the_bookkeeping_is_what_sqlx_writes_so_sqlx_migrate_still_accepts_the_database() {
    let ours = tempfile::tempdir().expect("tempdir");
    Store::open(ours.path()).await.expect("open").close().await;
    let theirs = tempfile::tempdir().expect("tempdir");
    let theirs_db = theirs.path().join(DB_FILE);
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&theirs_db).create_if_missing(true);
        let mut conn = SqliteConnection::connect_with(&options).await.expect("connect");
        MIGRATOR.run(&mut conn).await.expect("sqlx's own migrator");
        conn.close().await.expect("close");
    }
    let ours_db = ours.path().join(DB_FILE);
    assert_eq!(bookkeeping(&ours_db).await, bookkeeping(&theirs_db).await);
    assert_eq!(shape(&ours_db).await, shape(&theirs_db).await);
    // sqlx's own checks (versions, checksums, no dirty entry) pass and find nothing to do.
    let mut conn = connect(&ours_db).await;
    MIGRATOR.run(&mut conn).await.expect("sqlx accepts our bookkeeping");
    conn.close().await.expect("close");
    assert_eq!(bookkeeping(&ours_db).await.len(), MIGRATOR.iter().count());
}

trait NonEmpty {
    fn exists_and_nonempty(&self) -> bool;
}

impl NonEmpty for PathBuf {
    fn exists_and_nonempty(&self) -> bool {
        std::fs::metadata(self).map(|m| m.len() > 0).unwrap_or(false)
    }
}
