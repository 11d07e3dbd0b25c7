//! `safar certificates …`: issue, print, revoke, verify, keys.

use super::output::{pad, refusal_json};
use super::Ctx;
use crate::error::AppError;
use crate::i18n::{format_date as fd, t, Lang};
use crate::AppState;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum CertificatesCommand {
    /// Issue certificates to a cohort's eligible trainees and write the PDFs.
    Issue {
        cohort: i64,
        /// Only this worker.
        #[arg(long)]
        worker: Option<i64>,
        /// Folder for the PDFs.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// One multi-page PDF instead of one file per worker.
        #[arg(long)]
        single_file: bool,
    },
    /// The register, newest first.
    List {
        /// Number or name fragment.
        #[arg(long)]
        search: Option<String>,
        /// valid or revoked.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    Show {
        number: String,
    },
    /// Print issued certificates again.
    Print {
        #[arg(required = true)]
        numbers: Vec<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        single_file: bool,
    },
    /// Revoke a certificate (admin); it stays on record.
    Revoke {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// Verify a certificate: a PDF, a PNG/JPEG image of its QR code, or the code's text.
    /// Exit 0 only when valid.
    Verify {
        input: String,
        /// Another agency's public key file to trust for this check.
        #[arg(long, value_name = "FILE")]
        key: Vec<PathBuf>,
        /// The PINFL in the holder's passport: checked against the record's hash (exit 2 when
        /// it is not his).
        #[arg(long)]
        pinfl: Option<String>,
    },
    /// Write the agency's public key (a .png file gets the key as a QR code).
    PublicKey {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Trust another agency's public key file for verification (admin).
    TrustKey {
        file: PathBuf,
    },
}

impl CertificatesCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            CertificatesCommand::Issue { .. } => "certificates_issue",
            CertificatesCommand::List { .. } => "certificates_list",
            CertificatesCommand::Show { .. } => "certificates_get",
            CertificatesCommand::Print { .. } => "certificates_print",
            CertificatesCommand::Revoke { .. } => "certificates_revoke",
            CertificatesCommand::Verify { .. } => "certificates_verify",
            CertificatesCommand::PublicKey { .. } => "certificates_public_key",
            CertificatesCommand::TrustKey { .. } => "certificates_trust_key",
        }
    }
}

fn certificate_line(c: &crate::store::training::Certificate, lang: Lang) -> String {
    format!(
        "{}  {}  {}  {} → {}  {}{}",
        c.number,
        pad(&c.worker_name, 36),
        pad(&c.course_name, 28),
        fd(lang, &c.issued_on),
        fd(lang, &c.valid_until),
        c.status,
        c.replaces_number.as_ref().map(|n| format!("  (replaces {n})")).unwrap_or_default()
    )
}

/// Writes the PDFs of `numbers` into `dir`: one file per certificate, or one file.
async fn write_pdfs(
    state: &AppState,
    numbers: &[String],
    dir: &std::path::Path,
    single: Option<String>,
) -> Result<Vec<PathBuf>, AppError> {
    let (sheets, logo) = state.desk.sheets(numbers).await?;
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        crate::certificates::print::write_batch(&sheets, logo.as_ref(), &dir, single.as_deref(), &|_| {}, &cancel)
    })
    .await
    .map_err(AppError::internal)?
}

pub(super) async fn run(cx: &Ctx<'_>, command: CertificatesCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        CertificatesCommand::Issue { cohort, worker, out: dir, single_file } => {
            // The folder first: certificates issued into a folder that cannot be written
            // would exist with no file and no list of their numbers.
            std::fs::create_dir_all(&dir)?;
            let issued = desk.issue_certificates(cohort, worker, actor).await?;
            let numbers: Vec<String> = issued.issued.iter().map(|c| c.number.clone()).collect();
            let name = crate::certificates::service::print_name(Some(cohort), &desk.now());
            let single = single_file.then(|| format!("{name}.pdf"));
            let paths = if numbers.is_empty() { Vec::new() } else { write_pdfs(state, &numbers, &dir, single).await? };
            let path_of = |i: usize| paths.get(if single_file { 0 } else { i }).map(|p| p.display().to_string());
            let body = json!({
                "issued": issued.issued.iter().enumerate().map(|(i, c)| json!({"number": c.number, "worker_id": c.worker_id, "path": path_of(i)})).collect::<Vec<_>>(),
                "refused": issued.refused.iter().map(|r| refusal_json(r, lang)).collect::<Vec<_>>(),
            });
            out.print(&body, || {
                let mut lines: Vec<String> = issued
                    .issued
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        format!(
                            "  ✓ {}  #{}  {}  {}",
                            c.number,
                            c.worker_id,
                            c.worker_name,
                            path_of(i).unwrap_or_default()
                        )
                    })
                    .collect();
                lines.insert(0, t(lang, "cli.certificates_issued", &[("count", issued.issued.len().to_string())]));
                lines.extend(issued.refused.iter().map(|r| format!("  ✗ #{}: {}", r.worker_id, r.error.message(lang))));
                lines.join("\n")
            });
            if issued.issued.is_empty() && !issued.refused.is_empty() {
                return Ok(2);
            }
        }
        CertificatesCommand::List { search, status, limit } => {
            let list = desk.certificates(search.as_deref(), status.as_deref(), limit).await?;
            out.print(&list, || list.iter().map(|c| certificate_line(c, lang)).collect::<Vec<_>>().join("\n"));
        }
        CertificatesCommand::Show { number } => {
            let c = desk.certificate(&number).await?;
            out.print(&c, || {
                let mut lines = vec![certificate_line(&c, lang)];
                if let Some(reason) = &c.revoke_reason {
                    lines.push(format!(
                        "  revoked {} by {}: {reason}",
                        c.revoked_at.clone().unwrap_or_default(),
                        c.revoked_by.clone().unwrap_or_default()
                    ));
                }
                if let Some(n) = &c.replaced_by {
                    lines.push(format!("  replaced by {n}"));
                }
                lines.join("\n")
            });
        }
        CertificatesCommand::Print { numbers, out: dir, single_file } => {
            let single =
                single_file.then(|| format!("{}.pdf", crate::certificates::service::print_name(None, &desk.now())));
            let paths = write_pdfs(state, &numbers, &dir, single).await?;
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            out.print(&json!({"paths": list}), || list.join("\n"));
        }
        CertificatesCommand::Revoke { number, reason } => {
            let c = desk.revoke_certificate(&number, &reason, actor).await?;
            out.print(&c, || certificate_line(&c, lang));
        }
        CertificatesCommand::Verify { input, key, pinfl } => {
            let path = std::path::Path::new(&input);
            let bytes = if std::fs::symlink_metadata(path).is_err()
                && input.to_ascii_uppercase().contains(crate::certificates::signing::PREFIX)
            {
                // Not a file: the code itself, as text. A missing file is said as such,
                // not judged as a forged code.
                input.clone().into_bytes()
            } else {
                let max = crate::files::VERIFY_MAX;
                crate::files::read_bounded(path, max, "file", || crate::files::file_too_big("file", max))?
            };
            let mut extra = Vec::new();
            for k in key {
                let text = crate::files::read_text_bounded(&k, crate::files::KEY_MAX, "key")?;
                extra.push(crate::certificates::service::Issuer::from_public_key(&text)?);
            }
            let mut v = desk.verify(&bytes, &extra).await?;
            desk.check_holder(&mut v, pinfl.as_deref()).await?;
            out.print(&v, || {
                let mut lines = vec![t(lang, &format!("verify.{}", v.status), &[])];
                if let Some(r) = &v.record {
                    lines.push(format!("  {}  {}  {}", r.number, r.holder, r.course));
                    lines.push(format!(
                        "  {} → {}  ({} {})",
                        fd(lang, &r.issued_on),
                        fd(lang, &r.valid_until),
                        r.licence_number,
                        v.issuer.clone().unwrap_or_default()
                    ));
                }
                if let Some(reason) = &v.revoke_reason {
                    lines.push(format!("  {reason}"));
                }
                if let Some(m) = v.pinfl_matches {
                    lines.push(t(lang, if m { "verify.pinfl_matches" } else { "verify.pinfl_differs" }, &[]));
                }
                lines.join("\n")
            });
            let holder_ok = v.pinfl_matches != Some(false);
            return Ok(if v.status == "valid" && holder_ok { 0 } else { 2 });
        }
        CertificatesCommand::PublicKey { out: file } => {
            let text = desk.public_key_text().await?;
            let is_png = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
            if is_png {
                std::fs::write(&file, crate::certificates::qr::Matrix::encode(text.trim())?.png()?)?;
            } else {
                std::fs::write(&file, &text)?;
            }
            out.print(&json!({"path": file.display().to_string(), "key": text.trim()}), || file.display().to_string());
        }
        CertificatesCommand::TrustKey { file } => {
            let text = crate::files::read_text_bounded(&file, crate::files::KEY_MAX, "file")?;
            let id = desk.trust_key(&text, actor).await?;
            out.print(&json!({"key_id": id}), || id.clone());
        }
    }
    Ok(0)
}
