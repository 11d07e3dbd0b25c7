//! Sign-in, accounts, the agency profile and the audit trail.

use super::*;
use crate::accounts::{User, UserInput};
use crate::agency::{AdminInput, Agency, AgencyInput};
use crate::audit;
use crate::error::AppError;
use crate::store::accounts::AuditQuery;
use crate::AppState;
use tauri::State;

#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> Reply<AuthStatus> {
    guarded!(state, "auth_status", |s| {
        let status = state.desk.setup_status().await?;
        let role = s.as_ref().map(|s| s.role);
        let user = match s {
            Some(s) => Some(state.desk.me(&s).await?),
            None => None,
        };
        let commands = crate::accounts::commands().into_iter().filter(|c| crate::accounts::allowed(c, role)).collect();
        Ok(AuthStatus { initialized: status.initialized, agency: status.agency, user, commands })
    })
}

#[tauri::command]
pub async fn setup_init(state: State<'_, AppState>, agency: AgencyInput, admin: AdminInput) -> Reply<SetupDone> {
    guarded!(state, "setup_init", |_s| {
        let (agency, session) = state.desk.init(&agency, &admin).await?;
        let user = state.desk.me(&session).await?;
        state.set_session(Some(session));
        Ok(SetupDone { agency, user })
    })
}

#[tauri::command]
pub async fn auth_login(state: State<'_, AppState>, login: String, password: String) -> Reply<User> {
    guarded!(state, "auth_login", |_s| {
        let session = state.desk.login(&login, &password).await?;
        let user = state.desk.me(&session).await?;
        state.set_session(Some(session));
        Ok(user)
    })
}

#[tauri::command]
pub async fn auth_logout(state: State<'_, AppState>) -> Reply<()> {
    guarded!(state, "auth_logout", |s| {
        if let Some(s) = s {
            state.set_session(None);
            state.desk.logout(&s).await?;
        }
        Ok(())
    })
}

#[tauri::command]
pub async fn auth_change_password(state: State<'_, AppState>, old_password: String, new_password: String) -> Reply<()> {
    guarded!(state, "auth_change_password", |s| {
        state.desk.change_password(&signed_in(s)?, &old_password, &new_password).await
    })
}

#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> Reply<Vec<User>> {
    guarded!(state, "users_list", |_s| state.desk.users().await)
}

#[tauri::command]
pub async fn users_add(state: State<'_, AppState>, input: UserInput) -> Reply<User> {
    guarded!(state, "users_add", |s| state.desk.add_user(&input, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_disable(state: State<'_, AppState>, id: i64) -> Reply<User> {
    guarded!(state, "users_disable", |s| state.desk.set_user_disabled(id, true, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_enable(state: State<'_, AppState>, id: i64) -> Reply<User> {
    guarded!(state, "users_enable", |s| state.desk.set_user_disabled(id, false, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_set_role(state: State<'_, AppState>, id: i64, role: String) -> Reply<User> {
    guarded!(state, "users_set_role", |s| state.desk.set_user_role(id, &role, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn agency_get(state: State<'_, AppState>) -> Reply<Agency> {
    guarded!(state, "agency_get", |_s| state.desk.agency().await)
}

#[tauri::command]
pub async fn agency_update(state: State<'_, AppState>, version: i64, agency: AgencyInput) -> Reply<Agency> {
    guarded!(state, "agency_update", |s| state.desk.update_agency(version, &agency, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, query: AuditQuery) -> Reply<AuditPage> {
    guarded!(state, "audit_list", |_s| {
        let (items, has_more) = state.desk.audit_page(&query).await?;
        Ok(AuditPage { items, has_more })
    })
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Reply<audit::Verdict> {
    guarded!(state, "audit_verify", |_s| state.desk.verify_audit(None).await)
}
