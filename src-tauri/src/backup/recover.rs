//! A forgotten admin password, with the recovery key (issue 11): the printed secret whose
//! public half is `keys/recovery.agepub`. Holding it already opens every backup, so it may
//! also set an admin's password: whoever has it can restore the agency anyway. Only
//! administrators are reset this way; another user's password is an admin's job.

use super::keys;
use crate::accounts::{self, Role, User};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Result};
use crate::store::accounts as q;
use serde_json::json;

/// Who the audit trail names for a reset nobody signed in for.
pub const ACTOR: &str = "recovery-key";

impl Desk {
    /// Sets `login`'s new password when `key` is this folder's recovery key and `login` is
    /// an administrator; enables the account and lifts a lock-out (the key vouches for it).
    /// The key is checked first: a wrong key learns nothing about the logins.
    pub async fn recover_admin(&self, login: &str, key: &age::x25519::Identity, password: &str) -> Result<User> {
        keys::check_recovery(self.dir().root(), key)?;
        let mut problems = Vec::new();
        accounts::check_password("password", password, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::validation(problems));
        }
        let hash = accounts::hash_password_async(password).await?;
        let mut tx = self.store.write().await?;
        let row = q::user_by_login(&mut tx, login.trim())
            .await?
            .ok_or_else(|| AppError::new("user_not_found").with("id", login.trim()))?;
        if Role::parse(&row.role)? != Role::Admin {
            return Err(AppError::new("recover_not_admin").with("login", &row.login));
        }
        let now = self.now();
        let locked = row.locked_until.as_deref().is_some_and(|u| u > now.as_str());
        q::set_password(&mut tx, row.id, &hash, &now).await?;
        q::set_disabled(&mut tx, row.id, false, &now).await?;
        let entry = Entry::new(&now, ACTOR, "user.recover").record("user", row.id).changes(json!({
            "login": row.login, "disabled": [row.disabled, false], "locked": [locked, false],
        }));
        audit::append(&mut tx, &entry).await?;
        let user = q::user(&mut tx, row.id).await?.ok_or_else(|| AppError::new("user_not_found").with("id", row.id))?;
        tx.commit().await?;
        Ok(user)
    }
}
