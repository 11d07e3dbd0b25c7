//! `safar audit …`: the trail, its verification and its signed checkpoints.

use super::output::pad;
use super::Ctx;
use crate::audit;
use crate::error::AppError;
use crate::i18n::t;
use crate::store::accounts::AuditQuery;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Entries, newest first.
    List {
        /// A worker's id.
        #[arg(long)]
        record: Option<i64>,
        /// Only entries by this login.
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        action: Option<String>,
        /// From this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Up to this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Check the hash chain, the record seals and the signed checkpoints: exit 0 when
    /// intact, 1 naming the first entry or record that does not hold.
    Verify {
        /// A checkpoint exported earlier (`audit checkpoint`) that the chain must still reach.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Print (or write to FILE) the newest signed checkpoint of the chain, to keep apart
    /// from the computer.
    Checkpoint {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

impl AuditCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            AuditCommand::List { .. } => "audit_list",
            AuditCommand::Verify { .. } | AuditCommand::Checkpoint { .. } => "audit_verify",
        }
    }
}

pub(super) async fn run(cx: &Ctx<'_>, command: AuditCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, .. } = *cx;
    let desk = &state.desk;
    match command {
        AuditCommand::List { record, actor, action, from, to, limit } => {
            let q = AuditQuery {
                user: actor,
                record_type: record.map(|_| "worker".to_string()),
                record_id: record,
                action,
                from,
                to,
                limit: Some(limit),
                ..Default::default()
            };
            let (views, _) = desk.audit_page(&q).await?;
            out.print(&views, || {
                views
                    .iter()
                    .map(|v| {
                        format!(
                            "{:>6}  {}  {}  {}  {}  {}",
                            v.entry.id,
                            v.entry.at,
                            pad(&v.entry.actor, 12),
                            pad(&v.entry.action, 18),
                            pad(v.record.as_deref().unwrap_or("-"), 12),
                            v.changes
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        AuditCommand::Verify { checkpoint } => {
            let external = match &checkpoint {
                Some(path) => Some(crate::files::read_text_bounded(path, crate::files::KEY_MAX, "checkpoint")?),
                None => None,
            };
            let verdict = desk.verify_audit(external.as_deref()).await?;
            out.print(&verdict, || {
                if verdict.ok {
                    let ok = t(lang, "cli.audit_ok", &[("count", verdict.entries.to_string())]);
                    return if verdict.signatures_checked {
                        ok
                    } else {
                        format!("{ok}\n{}", t(lang, "audit.signatures_unchecked", &[]))
                    };
                }
                let record = verdict.record.clone().unwrap_or_default();
                let reason =
                    t(lang, &format!("audit.reason_{}", verdict.reason.unwrap_or("altered")), &[("record", record)]);
                let id = verdict.first_broken.map(|id| id.to_string()).unwrap_or_else(|| "?".into());
                t(lang, "cli.audit_broken", &[("id", id), ("reason", reason)])
            });
            if !verdict.ok {
                return Ok(1);
            }
        }
        AuditCommand::Checkpoint { out: file } => {
            desk.checkpoint_if_due().await?;
            let c = desk.newest_checkpoint().await?.ok_or_else(|| AppError::new("checkpoint_none"))?;
            let line = audit::checkpoint_line(&c);
            if let Some(path) = &file {
                // As every `--out`: a missing folder is made (the user named the place).
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, format!("{line}\n"))?;
            }
            out.print(&json!({"checkpoint": c, "line": line, "path": file}), || line.clone());
        }
    }
    Ok(0)
}
