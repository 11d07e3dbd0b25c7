//! `safar backup …`: make, check and restore backups from the command line.

use super::Ctx;
use crate::backup::{keys, service};
use crate::error::{AppError, Result};
use crate::i18n::{t, Lang};
use crate::AppState;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// Write an encrypted backup now (admin). The first one also makes the recovery key
    /// and prints it once: print it and keep it in the safe.
    Create {
        /// The folder to write into (default: the backup folder, see `backup folder`).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only when the newest backup is a day old or more (for a scheduled task).
        #[arg(long)]
        if_due: bool,
    },
    /// Decrypt a backup and check everything in it; exit 0 only when all holds.
    Verify {
        file: PathBuf,
        /// The recovery key (a file holding `AGE-SECRET-KEY-1…`, or `-` for standard
        /// input) instead of the backup key of this data folder.
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// Restore a backup into a NEW data folder (never over live data); then start Safar
    /// with `--data-dir DIR`.
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// The recovery key, as for `verify` (a lost PC: no backup key here).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// The backup folder, the newest backup and whether it is overdue.
    Status,
    /// Choose the folder scheduled backups go to (a USB disk or a share is fine).
    Folder { dir: String },
}

impl BackupCommand {
    /// The line of `data/permissions.tsv`: with the recovery key, nobody needs to sign in
    /// (a new PC has no accounts yet, and the key opens the backup anyway).
    pub(super) fn permission(&self) -> &'static str {
        match self {
            BackupCommand::Create { .. } => "backup_create",
            BackupCommand::Verify { key: Some(_), .. } | BackupCommand::Restore { key: Some(_), .. } => {
                "backup_recover"
            }
            BackupCommand::Verify { .. } => "backup_verify",
            BackupCommand::Restore { .. } => "backup_restore",
            BackupCommand::Status => "backup_status",
            BackupCommand::Folder { .. } => "backup_set_folder",
        }
    }
}

fn identity(state: &AppState, key: Option<&Path>) -> Result<age::x25519::Identity> {
    match key {
        None => keys::load_backup_identity(state.desk.dir().root()),
        Some(p) if p == Path::new("-") => keys::parse_identity(&crate::files::read_stdin_text(crate::files::KEY_MAX)?),
        Some(p) => keys::parse_identity(&crate::files::read_text_bounded(p, crate::files::KEY_MAX, "key")?),
    }
}

fn report_text(lang: Lang, r: &service::Report) -> String {
    let mut lines = vec![t(
        lang,
        "backup.cli_report",
        &[
            ("created", r.created_at.clone()),
            ("workers", r.counts.get("workers").copied().unwrap_or(0).to_string()),
            ("parts", r.parts.to_string()),
        ],
    )];
    for c in &r.checks {
        let mark = if c.ok { "ok  " } else { "FAIL" };
        lines.push(format!("  {mark} {} {}", c.name, c.detail).trim_end().to_string());
    }
    lines.join("\n")
}

pub(super) async fn run(cx: &Ctx<'_>, command: BackupCommand) -> Result<i32> {
    let Ctx { state, out: output, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        BackupCommand::Create { out, if_due } => {
            if if_due && !desk.backup_due(crate::backup::schedule::EVERY_HOURS).await? {
                output.print(&serde_json::json!({"made": false}), || t(lang, "backup.cli_not_due", &[]));
                return Ok(0);
            }
            let made = desk.back_up(out.as_deref(), actor).await?;
            output.print(&made, || {
                let mut text = t(
                    lang,
                    "backup.cli_made",
                    &[("path", made.file.display().to_string()), ("size", crate::files::size_text(made.size))],
                );
                if !made.recorded {
                    text = format!("{text}\n{}", t(lang, "backup.cli_record_later", &[]));
                }
                if let Some(key) = &made.recovery_key {
                    text = format!("{text}\n\n{}\n\n    {key}\n", t(lang, "backup.recovery_once", &[]));
                }
                text
            });
            if !made.verified {
                return Err(AppError::new("backup_invalid").with("failed", made.file.display()));
            }
        }
        BackupCommand::Verify { file, key } => {
            let id = identity(state, key.as_deref())?;
            let report = service::verify(state.desk.dir().root(), &file, &id).await?;
            if let Some(failed) = report.failed() {
                if !output.json {
                    eprintln!("{}", report_text(lang, &report));
                }
                return Err(AppError::new("backup_invalid").with("failed", failed));
            }
            output.print(&report, || report_text(lang, &report));
        }
        BackupCommand::Restore { file, to, key } => {
            let id = identity(state, key.as_deref())?;
            let report = service::restore(state.desk.dir().root(), &file, &id, &to).await?;
            output.print(&serde_json::json!({"restored_to": to, "report": report}), || {
                format!(
                    "{}\n{}",
                    report_text(lang, &report),
                    t(lang, "backup.cli_restored", &[("path", to.display().to_string())])
                )
            });
        }
        BackupCommand::Status => {
            let status = desk.backup_status().await?;
            output.print(&status, || match &status.last {
                Some(l) => t(
                    lang,
                    "backup.cli_status",
                    &[
                        ("folder", status.folder.display().to_string()),
                        ("path", l.file.clone()),
                        ("at", l.at.clone()),
                        ("size", crate::files::size_text(l.size)),
                    ],
                ),
                None => t(lang, "backup.cli_none", &[("folder", status.folder.display().to_string())]),
            });
        }
        BackupCommand::Folder { dir } => {
            let path = desk.set_backup_folder(&dir, actor).await?;
            output.print(&serde_json::json!({"folder": path}), || path.display().to_string());
        }
    }
    Ok(0)
}
