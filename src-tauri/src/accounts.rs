//! Accounts and roles: argon2id passwords, sign-in with lock-out, and the command × role
//! table (`data/permissions.tsv`) that every IPC and CLI command is checked against.

use crate::audit::{self, Entry};
use crate::clock::stamp;
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result};
use crate::store::accounts as q;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde_json::json;
use std::sync::OnceLock;

pub mod model;
pub use model::{Role, Session, User, UserInput};

pub const PASSWORD_MIN: usize = 8;
/// Consecutive failures that lock an account, and for how long.
pub const LOCK_AFTER: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

// ---------------------------------------------------------------- the permission table

struct Rule {
    command: String,
    /// anonymous, admin, staff, viewer
    allow: [bool; 4],
}

fn rules() -> &'static [Rule] {
    static R: OnceLock<Vec<Rule>> = OnceLock::new();
    R.get_or_init(|| {
        include_str!("../data/permissions.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                let allow = |i: usize| cols.get(i).is_some_and(|v| v.trim() == "allow");
                Some(Rule {
                    command: cols.first()?.trim().to_string(),
                    allow: [allow(1), allow(2), allow(3), allow(4)],
                })
            })
            .collect()
    })
}

/// Every command named in the table.
pub fn commands() -> Vec<&'static str> {
    rules().iter().map(|r| r.command.as_str()).collect()
}

/// Whether `role` (None = not signed in) may call `command`. Unknown commands are denied.
pub fn allowed(command: &str, role: Option<Role>) -> bool {
    let column = match role {
        None => 0,
        Some(Role::Admin) => 1,
        Some(Role::Staff) => 2,
        Some(Role::Viewer) => 3,
    };
    rules().iter().find(|r| r.command == command).is_some_and(|r| r.allow[column])
}

/// The check every command makes first: `unauthenticated` without a session (unless the
/// command is public), `forbidden` when the role may not call it.
pub fn authorize(command: &str, session: Option<&Session>) -> Result<()> {
    if allowed(command, session.map(|s| s.role)) {
        return Ok(());
    }
    match session {
        None => Err(AppError::new("unauthenticated")),
        Some(s) => Err(AppError::new("forbidden").with("role", s.role.code())),
    }
}

// ---------------------------------------------------------------- passwords

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    // argon2id v19 with the crate's defaults (19 MiB, 2 passes): OWASP's minimum.
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// [`hash_password`] off the async runtime: argon2 takes tens of milliseconds of CPU by
/// design, which must not stall the other commands.
pub async fn hash_password_async(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(AppError::internal)?
}

/// [`verify_password`] off the async runtime.
pub async fn verify_password_async(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false)
}

/// The key failures of a login that names no account are counted under: argon2id of the
/// login in lower case (as logins compare), with the crate's default cost. Slow on
/// purpose: it takes what checking a password takes, so an unknown login answers in the
/// same time as a known one, and the stored key does not give back the typed text.
pub fn throttle_key(login: &str, salt: &[u8]) -> String {
    // One salt per installation (a random setting made on first use): every try of one login
    // lands on the same key, but a table of keys precomputed for common passwords typed
    // into the login field fits no other installation.
    let mut out = [0u8; 16];
    if Argon2::default().hash_password_into(login.to_ascii_lowercase().as_bytes(), salt, &mut out).is_err() {
        // Only a text beyond argon2's 4 GiB limit fails; all such texts share one key.
        out = [0xff; 16];
    }
    out.iter().map(|b| format!("{b:02x}")).collect()
}

/// [`throttle_key`] off the async runtime.
async fn throttle_key_async(login: &str, salt: Vec<u8>) -> Result<String> {
    let login = login.to_string();
    tokio::task::spawn_blocking(move || throttle_key(&login, &salt)).await.map_err(AppError::internal)
}

/// This installation's throttle salt, made inside the caller's transaction on first use.
async fn throttle_salt(store: &crate::store::Store, conn: &mut sqlx::SqliteConnection) -> Result<Vec<u8>> {
    const SETTING: &str = "login.throttle_salt";
    if let Some(salt) = q::setting_in(conn, SETTING).await? {
        return Ok(salt.into_bytes());
    }
    let mut bytes = [0u8; 16];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    let salt: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    store.put_setting(conn, SETTING, &salt).await?;
    Ok(salt.into_bytes())
}

pub fn check_password(field: &'static str, password: &str, problems: &mut Vec<Problem>) {
    let long = password.chars().count() >= PASSWORD_MIN;
    let mixed = password.chars().any(char::is_alphabetic) && password.chars().any(|c| c.is_ascii_digit());
    if !long || !mixed {
        problems.push(Problem::error(field, "password_weak").with("min", PASSWORD_MIN));
    }
}

pub fn check_login(field: &'static str, login: &str, problems: &mut Vec<Problem>) {
    let ok = (3..=32).contains(&login.chars().count())
        && login.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !ok {
        problems.push(Problem::error(field, "login_invalid"));
    }
}

// ---------------------------------------------------------------- services

impl Desk {
    /// Signs a user in and opens a session (the window). A wrong login or password (or a
    /// disabled account) is one answer, `login_failed`; five failures in a row lock the
    /// login for 15 minutes, whether or not it names an account. Failures and the session
    /// are audited, without the password.
    pub async fn login(&self, login: &str, password: &str) -> Result<Session> {
        self.check_credentials(login, password, true).await
    }

    /// Checks a login and password for one CLI command: failures count and are audited
    /// exactly as at [`Desk::login`], but a success writes no `login` entry. A command is
    /// not a session, and what it changes is recorded under the login by its own entry;
    /// one `login` entry per command would bury the trail.
    pub async fn authenticate(&self, login: &str, password: &str) -> Result<Session> {
        self.check_credentials(login, password, false).await
    }

    async fn check_credentials(&self, login: &str, password: &str, session: bool) -> Result<Session> {
        let login = login.trim();
        let now = self.clock.now();
        if self.store.is_read_only() {
            return self.check_credentials_read_only(login, password).await;
        }
        let lock =
            |failures: i64| (failures >= LOCK_AFTER).then(|| stamp(now + chrono::Duration::minutes(LOCK_MINUTES)));
        let mut tx = self.store.write().await?;
        let Some(row) = q::user_by_login(&mut tx, login).await? else {
            // An unknown login is counted and locked like an account, under a slow hash of
            // it that also costs what checking a password costs: neither the answers nor
            // their timing tell which logins exist. The trail keeps only the typed text's
            // length: it may be a password typed into the login field.
            let salt = throttle_salt(&self.store, &mut tx).await?;
            let key = throttle_key_async(login, salt).await?;
            let (failures, locked_until) = q::throttle(&mut tx, &key).await?.unwrap_or((0, None));
            let length = login.chars().count();
            if let Some(until) = locked_until.filter(|u| u.as_str() > stamp(now).as_str()) {
                let entry = Entry::new(&stamp(now), "?", "login_failed")
                    .changes(json!({"login_length": length, "locked_until": until}));
                audit::append(&mut tx, &entry).await?;
                tx.commit().await?;
                return Err(AppError::new("account_locked").with("until", until));
            }
            let failures = failures + 1;
            let locked = lock(failures);
            q::record_throttle(&mut tx, &key, if locked.is_some() { 0 } else { failures }, locked.as_deref()).await?;
            let entry = Entry::new(&stamp(now), "?", "login_failed")
                .changes(json!({"login_length": length, "failures": failures, "locked_until": locked}));
            audit::append(&mut tx, &entry).await?;
            tx.commit().await?;
            return Err(match locked {
                Some(until) => AppError::new("account_locked").with("until", until),
                None => AppError::new("login_failed"),
            });
        };
        // Checked before the lock, so a locked account answers in the same time as any other.
        let password_ok = verify_password_async(password, &row.password_hash).await;
        if let Some(until) = row.locked_until.clone().filter(|u| u.as_str() > stamp(now).as_str()) {
            let entry = Entry::new(&stamp(now), &row.login, "login_failed")
                .record("user", row.id)
                .changes(json!({"locked_until": until}));
            audit::append(&mut tx, &entry).await?;
            tx.commit().await?;
            return Err(AppError::new("account_locked").with("until", until));
        }
        if row.disabled || !password_ok {
            let failures = row.failed_logins + 1;
            let locked = lock(failures);
            q::record_failure(&mut tx, row.id, if locked.is_some() { 0 } else { failures }, locked.as_deref()).await?;
            let entry = Entry::new(&stamp(now), &row.login, "login_failed")
                .record("user", row.id)
                .changes(json!({"failures": failures, "locked_until": locked}));
            audit::append(&mut tx, &entry).await?;
            tx.commit().await?;
            return Err(match locked {
                Some(until) => AppError::new("account_locked").with("until", until),
                None => AppError::new("login_failed"),
            });
        }
        q::record_success(&mut tx, row.id).await?;
        if session {
            audit::append(&mut tx, &Entry::new(&stamp(now), &row.login, "login").record("user", row.id)).await?;
        }
        tx.commit().await?;
        Ok(Session { user_id: row.id, login: row.login, role: Role::parse(&row.role)? })
    }

    /// Sign-in on a read-only data folder (a copy on a CD, a locked share): the same
    /// answers, but nothing can be counted or audited there, so there is no lock-out
    /// beyond the one the copy already holds; only reading is possible anyway.
    async fn check_credentials_read_only(&self, login: &str, password: &str) -> Result<Session> {
        let now = self.now();
        let mut conn = self.store.read().await?;
        let Some(row) = q::user_by_login(&mut conn, login).await? else {
            // The same cost as checking a password, as on a writable folder.
            throttle_key_async(login, b"safar.read-only.v1".to_vec()).await?;
            return Err(AppError::new("login_failed"));
        };
        let password_ok = verify_password_async(password, &row.password_hash).await;
        if let Some(until) = row.locked_until.clone().filter(|u| u.as_str() > now.as_str()) {
            return Err(AppError::new("account_locked").with("until", until));
        }
        if row.disabled || !password_ok {
            return Err(AppError::new("login_failed"));
        }
        Ok(Session { user_id: row.id, login: row.login, role: Role::parse(&row.role)? })
    }

    /// The session as the database has it now: None when the user was disabled meanwhile,
    /// with the current role when it was changed (from another window or the CLI).
    pub async fn current(&self, session: &Session) -> Result<Option<Session>> {
        let mut conn = self.store.read().await?;
        let Some(row) = q::user_by_login(&mut conn, &session.login).await? else { return Ok(None) };
        if row.disabled || row.id != session.user_id {
            return Ok(None);
        }
        Ok(Some(Session { user_id: row.id, login: row.login, role: Role::parse(&row.role)? }))
    }

    pub async fn logout(&self, session: &Session) -> Result<()> {
        let mut tx = self.store.write().await?;
        let entry = Entry::new(&self.now(), &session.login, "logout").record("user", session.user_id);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        self.store.users().await
    }

    /// Adds a user (admin only, checked by the caller's command).
    pub async fn add_user(&self, input: &UserInput, actor: &Session) -> Result<User> {
        let mut problems = Vec::new();
        let login = input.login.trim();
        check_login("login", login, &mut problems);
        let role = Role::parse(&input.role);
        if let Err(e) = &role {
            problems.push(
                Problem::error("role", "role_unknown")
                    .with("role", e.params.first().map(|p| p.1.clone()).unwrap_or_default()),
            );
        }
        check_password("password", &input.password, &mut problems);
        if input.full_name.chars().any(|c| c.is_control() || crate::names::is_invisible(c)) {
            problems.push(Problem::error("full_name", "invisible_chars"));
        }
        let mut tx = self.store.write().await?;
        if problems.is_empty() && q::user_by_login(&mut tx, login).await?.is_some() {
            problems.push(Problem::error("login", "login_taken").with("login", login));
        }
        if !problems.is_empty() {
            return Err(AppError::validation(problems));
        }
        let role = role?;
        let now = self.now();
        let full_name = input.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        let id =
            q::insert_user(&mut tx, login, &full_name, role.code(), &hash_password_async(&input.password).await?, &now)
                .await?;
        let entry = Entry::new(&now, &actor.login, "user.add")
            .record("user", id)
            .changes(json!({"login": login, "role": role.code(), "full_name": full_name}));
        audit::append(&mut tx, &entry).await?;
        let user = q::user(&mut tx, id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", id))?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn set_user_disabled(&self, id: i64, disabled: bool, actor: &Session) -> Result<User> {
        if disabled && id == actor.user_id {
            return Err(AppError::new("self_disable"));
        }
        let mut tx = self.store.write().await?;
        let before = q::user(&mut tx, id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", id))?;
        q::set_disabled(&mut tx, id, disabled, &self.now()).await?;
        let action = if disabled { "user.disable" } else { "user.enable" };
        let entry = Entry::new(&self.now(), &actor.login, action)
            .record("user", id)
            .changes(json!({"login": before.login, "disabled": [before.disabled, disabled]}));
        audit::append(&mut tx, &entry).await?;
        let user = q::user(&mut tx, id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", id))?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn set_user_role(&self, id: i64, role: &str, actor: &Session) -> Result<User> {
        let role = Role::parse(role)?;
        if id == actor.user_id && role != Role::Admin {
            return Err(AppError::new("self_demote"));
        }
        let mut tx = self.store.write().await?;
        let before = q::user(&mut tx, id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", id))?;
        q::set_role(&mut tx, id, role.code(), &self.now()).await?;
        let entry = Entry::new(&self.now(), &actor.login, "user.role")
            .record("user", id)
            .changes(json!({"login": before.login, "role": [before.role, role.code()]}));
        audit::append(&mut tx, &entry).await?;
        let user = q::user(&mut tx, id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", id))?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn change_password(&self, session: &Session, old: &str, new: &str) -> Result<()> {
        let mut problems = Vec::new();
        check_password("new_password", new, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::validation(problems));
        }
        let mut tx = self.store.write().await?;
        let row = q::user_by_login(&mut tx, &session.login).await?.ok_or_else(|| AppError::new("login_failed"))?;
        if !verify_password_async(old, &row.password_hash).await {
            // A wrong current password at an open session counts like a failed sign-in, so an
            // unattended window cannot be used to guess it.
            let failures = row.failed_logins + 1;
            let now = self.clock.now();
            let locked = (failures >= LOCK_AFTER).then(|| stamp(now + chrono::Duration::minutes(LOCK_MINUTES)));
            q::record_failure(&mut tx, row.id, if locked.is_some() { 0 } else { failures }, locked.as_deref()).await?;
            let entry = Entry::new(&stamp(now), &row.login, "login_failed")
                .record("user", row.id)
                .changes(json!({"failures": failures, "locked_until": locked, "during": "user.password"}));
            audit::append(&mut tx, &entry).await?;
            tx.commit().await?;
            return Err(AppError::new("login_failed").on("password"));
        }
        let now = self.now();
        q::set_password(&mut tx, row.id, &hash_password_async(new).await?, &now).await?;
        audit::append(&mut tx, &Entry::new(&now, &session.login, "user.password").record("user", row.id)).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_and_verify() {
        let h = hash_password("kalit-so'z-2026").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("kalit-so'z-2026", &h));
        assert!(!verify_password("kalit-so'z-2027", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_table_denies_what_it_does_not_name() {
        assert!(allowed("workers_list", Some(Role::Viewer)));
        assert!(!allowed("workers_create", Some(Role::Viewer)));
        assert!(!allowed("workers_list", None));
        assert!(allowed("auth_login", None));
        assert!(!allowed("no_such_command", Some(Role::Admin)));
        assert_eq!(authorize("workers_create", None).expect_err("anon").code, "unauthenticated");
        let viewer = Session { user_id: 1, login: "v".into(), role: Role::Viewer };
        assert_eq!(authorize("workers_create", Some(&viewer)).expect_err("viewer").code, "forbidden");
    }

    #[test]
    fn weak_passwords_and_odd_logins_are_refused() {
        let mut p = Vec::new();
        check_password("password", "short1", &mut p);
        check_password("password", "longbutnodigits", &mut p);
        check_login("login", "a b", &mut p);
        assert_eq!(
            p.iter().map(|p| p.code).collect::<Vec<_>>(),
            vec!["password_weak", "password_weak", "login_invalid"]
        );
        let mut ok = Vec::new();
        check_password("password", "Toshkent2026", &mut ok);
        check_login("login", "aziza.k", &mut ok);
        assert!(ok.is_empty());
    }

    #[test]
    fn an_unknown_login_is_counted_under_a_key_that_ignores_case_and_holds_nothing_of_it() {
        let salt = b"0123456789abcdef";
        let key = throttle_key("Admin-Parol-7726", salt);
        assert_eq!(key, throttle_key("ADMIN-PAROL-7726", salt));
        assert_ne!(key, throttle_key("Admin-Parol-7727", salt));
        assert_ne!(key, throttle_key("Admin-Parol-7726", b"another-install!"), "the salt is per installation");
        assert_eq!(key.len(), 32);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        assert!(!key.to_ascii_lowercase().contains("admin") && !key.contains("7726"));
    }

    #[test]
    fn the_api_docs_say_what_the_table_says_about_viewers_exporting() {
        let docs = include_str!("../../docs/api.md").split_whitespace().collect::<Vec<_>>().join(" ");
        let exports = ["export_workers", "export_contracts", "export_certificates", "workers_export"];
        assert!(exports.iter().all(|c| !allowed(c, Some(Role::Viewer)) && allowed(c, Some(Role::Staff))));
        assert!(!docs.contains("every signed-in role may export"), "docs/api.md lets viewers export");
        assert!(docs.contains("viewers do not bulk-export personal data"), "docs/api.md does not say who exports");
        assert!(allowed("import_template", Some(Role::Viewer)), "the docs say viewers may get the template");
    }
}
