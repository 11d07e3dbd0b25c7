//! Certificates: issue, print, revoke, verify, keys.

use super::training::{refusals, RefusalView};
use super::*;
use crate::certificates::print::JobView as PrintJob;
use crate::certificates::service::Verification;
use crate::certificates::Config as CertificateConfig;
use crate::error::AppError;
use crate::placement::attachments::{self};
use crate::store::training::Certificate;
use crate::AppState;
use serde::Serialize;
use tauri::State;

#[derive(Serialize)]
pub struct IssueView {
    issued: Vec<Certificate>,
    refused: Vec<RefusalView>,
}

#[derive(Serialize)]
pub struct PreviewView {
    svg: String,
    certificate: Certificate,
}

#[derive(Serialize)]
pub struct PublicKeyView {
    text: String,
    /// The key file's text as a QR code (SVG), for another office to scan.
    qr_svg: String,
    path: String,
}

#[tauri::command]
pub async fn certificates_issue(
    state: State<'_, AppState>,
    cohort_id: i64,
    worker_id: Option<i64>,
) -> Reply<IssueView> {
    guarded!(state, "certificates_issue", |s| {
        let out = state.desk.issue_certificates(cohort_id, worker_id, &signed_in(s)?.login).await?;
        Ok(IssueView { issued: out.issued, refused: refusals(out.refused, state.lang()) })
    })
}

#[tauri::command]
pub async fn certificates_list(
    state: State<'_, AppState>,
    search: Option<String>,
    status: Option<String>,
    worker_id: Option<i64>,
) -> Reply<Vec<Certificate>> {
    guarded!(state, "certificates_list", |_s| match worker_id {
        Some(id) => state.desk.worker_certificates(id).await,
        None => state.desk.certificates(search.as_deref(), status.as_deref(), 500).await,
    })
}

#[tauri::command]
pub async fn certificates_get(state: State<'_, AppState>, number: String) -> Reply<Certificate> {
    guarded!(state, "certificates_get", |_s| state.desk.certificate(&number).await)
}

#[tauri::command]
pub async fn certificates_revoke(state: State<'_, AppState>, number: String, reason: String) -> Reply<Certificate> {
    guarded!(state, "certificates_revoke", |s| {
        state.desk.revoke_certificate(&number, &reason, &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn certificates_preview(state: State<'_, AppState>, number: String) -> Reply<PreviewView> {
    guarded!(state, "certificates_preview", |_s| {
        let certificate = state.desk.certificate(&number).await?;
        let (sheets, logo) = state.desk.sheets_of(std::slice::from_ref(&certificate.number), true).await?;
        let sheet = sheets.into_iter().next().ok_or_else(|| AppError::internal("sheet"))?;
        let svg = crate::certificates::pdf::preview_svg(&sheet, logo.is_some());
        Ok(PreviewView { svg, certificate })
    })
}

/// Starts printing: the given certificates, or every valid one of a cohort, into one
/// file (`single_file`) or one file each, under the data folder's `exports/`.
#[tauri::command]
pub async fn certificates_print(
    state: State<'_, AppState>,
    numbers: Option<Vec<String>>,
    cohort_id: Option<i64>,
    single_file: bool,
) -> Reply<PrintJob> {
    guarded!(state, "certificates_print", |_s| {
        let numbers = state.desk.printable(numbers, cohort_id).await?;
        let (sheets, logo) = state.desk.sheets(&numbers).await?;
        let name = crate::certificates::service::print_name(cohort_id, &state.desk.now());
        let dir = state.desk.dir().exports().join(&name);
        let single = single_file.then(|| format!("{name}.pdf"));
        let id = state.print_jobs.start(sheets, logo, dir, single);
        state.print_jobs.view(id)
    })
}

#[tauri::command]
pub async fn certificates_print_status(state: State<'_, AppState>, job: u64, open: Option<bool>) -> Reply<PrintJob> {
    guarded!(state, "certificates_print_status", |_s| {
        let view = state.print_jobs.view(job)?;
        if open.unwrap_or(false) {
            if let Some(first) = view.paths.first() {
                attachments::open_with_system_viewer(std::path::Path::new(first))?;
            }
        }
        Ok(view)
    })
}

#[tauri::command]
pub async fn certificates_print_cancel(state: State<'_, AppState>, job: u64) -> Reply<PrintJob> {
    guarded!(state, "certificates_print_cancel", |_s| state.print_jobs.cancel(job))
}

#[tauri::command]
pub async fn certificates_verify(
    state: State<'_, AppState>,
    code: String,
    pinfl: Option<String>,
) -> Reply<Verification> {
    guarded!(state, "certificates_verify", |_s| {
        let mut v = state.desk.verify(code.as_bytes(), &[]).await?;
        state.desk.check_holder(&mut v, pinfl.as_deref()).await?;
        Ok(v)
    })
}

/// Verifies a PDF certificate or an image of its QR code, sent as base64.
#[tauri::command]
pub async fn certificates_verify_file(state: State<'_, AppState>, data: String) -> Reply<Verification> {
    guarded!(state, "certificates_verify_file", |_s| {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| AppError::new("file_unreadable").on("file"))?;
        if bytes.len() > 20 * 1024 * 1024 {
            return Err(AppError::new("file_too_big").on("file").with("max", "20 MiB"));
        }
        state.desk.verify(&bytes, &[]).await
    })
}

#[tauri::command]
pub async fn certificates_public_key(state: State<'_, AppState>) -> Reply<PublicKeyView> {
    guarded!(state, "certificates_public_key", |_s| {
        let (text, path) = state.desk.export_public_key().await?;
        let svg = crate::certificates::qr::Matrix::encode(text.trim())?.svg();
        Ok(PublicKeyView { text, qr_svg: svg, path: path.display().to_string() })
    })
}

#[tauri::command]
pub async fn certificates_trust_key(state: State<'_, AppState>, text: String) -> Reply<String> {
    guarded!(state, "certificates_trust_key", |s| state.desk.trust_key(&text, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn certificates_config(state: State<'_, AppState>) -> Reply<CertificateConfig> {
    guarded!(state, "certificates_config", |_s| state.desk.certificate_config().await)
}

#[tauri::command]
pub async fn certificates_config_set(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Reply<CertificateConfig> {
    guarded!(state, "certificates_config_set", |s| {
        state.desk.set_certificate_setting(&key, &value, &signed_in(s)?.login).await
    })
}
