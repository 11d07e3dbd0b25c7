//! What the placement sub-areas (employers, jobs, contracts, journeys, fees) share.

use crate::desk::Desk;
use crate::error::{AppError, Result};

pub(super) fn not_found(what: &'static str, id: i64) -> AppError {
    AppError::new(what).with("id", id)
}

impl Desk {
    pub(super) async fn setting_i64(&self, key: &str, default: i64) -> Result<i64> {
        Ok(self.store.setting(key).await?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
    }
}
