//! Accounts' records: roles, the signed-in session, users as stored and as typed. A leaf:
//! the store reads these, the service in accounts.rs builds them.

use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Staff,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Staff, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        let t = text.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == t)
            .ok_or_else(|| AppError::new("role_unknown").on("role").with("role", text.trim()))
    }
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user_id: i64,
    pub login: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserInput {
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub password: String,
}
