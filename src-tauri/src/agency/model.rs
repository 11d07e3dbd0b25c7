//! The agency profile as stored and as typed, and the first admin typed at set-up. A leaf.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgencyInput {
    pub name: String,
    pub licence_number: String,
    pub licence_date: String,
    pub address: String,
    pub director: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Agency {
    pub name: String,
    pub licence_number: String,
    pub licence_date: String,
    pub address: String,
    pub director: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminInput {
    pub login: String,
    pub full_name: String,
    pub password: String,
}
