//! `safar workers …`: the roster.

use super::output::pad;
use super::Ctx;
use crate::error::{AppError, Problem};
use crate::i18n::{format_date as fd, t, Lang};
use crate::roster::consent::ConsentInput;
use crate::roster::service::WorkerView;
use crate::roster::{ListQuery, SortKey, WorkerInput};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

/// The roster's search, filters and order, shared by `workers list` and `export`.
#[derive(clap::Args, Debug)]
pub struct Filters {
    /// Name in any script, PINFL, passport number or phone digits.
    #[arg(long)]
    pub(super) search: Option<String>,
    #[arg(long)]
    pub(super) status: Option<String>,
    /// Region code or name.
    #[arg(long)]
    region: Option<String>,
    /// Destination country (ISO code).
    #[arg(long)]
    destination: Option<String>,
    /// Include archived workers.
    #[arg(long)]
    archived: bool,
    /// name, birth_date, status, region, created, updated.
    #[arg(long, default_value = "name")]
    sort: String,
    #[arg(long)]
    desc: bool,
}

impl Filters {
    /// The list query (one page of `limit` from `offset`, or every row with `None`).
    pub(super) fn query(self, page: Option<(u32, u32)>) -> Result<ListQuery, AppError> {
        let sort: SortKey = serde_json::from_value(json!(self.sort.trim().to_ascii_lowercase()))
            .map_err(|_| AppError::new("json_invalid").on("input").with("detail", format!("--sort {}", self.sort)))?;
        Ok(ListQuery {
            search: self.search,
            status: self.status,
            region: self.region,
            destination: self.destination,
            archived: self.archived,
            sort,
            desc: self.desc,
            limit: page.map(|p| p.0),
            offset: page.map(|p| p.1),
            with_total: page.is_some(),
        })
    }
}

#[derive(Subcommand, Debug)]
pub enum WorkersCommand {
    /// Add a worker from one JSON object on standard input (with a `consent` object).
    Add,
    /// List workers, with search and filters.
    List {
        #[command(flatten)]
        filters: Filters,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// One worker with his consent and status history.
    Show { id: i64 },
    /// Move a worker along the pipeline.
    Status {
        id: i64,
        status: String,
        #[arg(long)]
        reason: String,
    },
    /// Archive a worker (never deleted).
    Archive {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Restore an archived worker.
    Restore {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record a new consent from a JSON object on standard input.
    ConsentAdd { id: i64 },
    /// The worker withdraws his consent.
    ConsentWithdraw {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// The worker leaves (needs a registered contract).
    Depart {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long)]
        route: Option<String>,
        #[arg(long)]
        border: Option<String>,
    },
    /// The worker comes back: contract_completed, early_return, deported or other.
    Return {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
    /// Everything kept about a worker, as one JSON file for him (subject access).
    Export {
        id: i64,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl WorkersCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            WorkersCommand::Add => "workers_create",
            WorkersCommand::List { .. } => "workers_list",
            WorkersCommand::Show { .. } => "workers_get",
            WorkersCommand::Status { .. } => "workers_set_status",
            WorkersCommand::Archive { .. } => "workers_archive",
            WorkersCommand::Restore { .. } => "workers_restore",
            WorkersCommand::ConsentAdd { .. } => "workers_consent_add",
            WorkersCommand::ConsentWithdraw { .. } => "workers_consent_withdraw",
            WorkersCommand::Export { .. } => "workers_export",
            WorkersCommand::Depart { .. } => "workers_depart",
            WorkersCommand::Return { .. } => "workers_return",
        }
    }
}

/// Reads one worker from JSON text; unknown fields come back as problems, one each.
pub(super) fn parse_input(text: &str) -> Result<(WorkerInput, Vec<Problem>), AppError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))?;
    let Some(map) = value.as_object() else {
        return Err(AppError::new("json_invalid").on("input").with("detail", "expected one JSON object"));
    };
    let known = serde_json::to_value(WorkerInput::default()).unwrap_or_default();
    let unknown: Vec<Problem> = map
        .keys()
        .filter(|k| known.get(k.as_str()).is_none())
        .map(|k| Problem::error("input", "unknown_field").with("name", k))
        .collect();
    let known_only: serde_json::Map<String, serde_json::Value> =
        map.iter().filter(|(k, _)| known.get(k.as_str()).is_some()).map(|(k, v)| (k.clone(), v.clone())).collect();
    let input = serde_json::from_value(serde_json::Value::Object(known_only))
        .map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))?;
    Ok((input, unknown))
}

fn worker_text(w: &WorkerView, lang: Lang) -> String {
    let f = |k: &str| t(lang, &format!("fields.{k}"), &[]);
    let x = &w.worker;
    let mut lines = vec![format!(
        "#{}  {}  [{}]{}",
        x.id,
        x.full_name(),
        w.status_name,
        if w.archived { t(lang, "cli.archived_mark", &[]) } else { String::new() }
    )];
    let cyr = [&x.last_name_cyrillic, &x.first_name_cyrillic, &x.patronymic_cyrillic]
        .iter()
        .filter_map(|s| s.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    let mut field = |k: &str, v: &str| {
        if !v.is_empty() {
            lines.push(format!("  {:<22} {v}", f(k)));
        }
    };
    field("last_name_cyrillic", &cyr);
    field("birth_date", &fd(lang, &x.birth_date));
    field("sex", &t(lang, &format!("sex.{}", x.sex), &[]));
    field("pinfl", &x.pinfl);
    field("passport_number", &x.passport_number);
    field("passport_issued", &fd(lang, &x.passport_issued));
    field("passport_expiry", &fd(lang, &x.passport_expiry));
    field("phone", w.phone_display.as_deref().unwrap_or(""));
    field("region", &w.region_name);
    field("destination_country", w.country_name.as_deref().unwrap_or(""));
    field("notes", x.notes.as_deref().unwrap_or(""));
    let consent = match &w.consent {
        Some(c) => {
            let state = serde_json::to_value(w.consent_state).ok().and_then(|v| v.as_str().map(str::to_string));
            let state = t(lang, &format!("consent.state_{}", state.unwrap_or_default()), &[]);
            format!("{} → {} ({state})", fd(lang, &c.given_on), fd(lang, &c.valid_until))
        }
        None => "-".to_string(),
    };
    field("consent", &consent);
    lines.join("\n")
}

pub(super) async fn run(cx: &Ctx<'_>, command: WorkersCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        WorkersCommand::Add => {
            let text = crate::files::read_stdin_text(crate::files::STDIN_MAX)?;
            let (input, unknown) = parse_input(&text)?;
            if !unknown.is_empty() {
                // Refuse, but list the other problems too so one round of fixes is enough.
                let mut problems = unknown;
                problems.extend(desk.problems(&input, None).await?);
                return Err(AppError::validation(problems));
            }
            let (worker, warnings) = desk.create(&input, actor).await?;
            let view = desk.get_view(worker.id, lang).await?;
            if out.json {
                let mut body = serde_json::to_value(&view).unwrap_or_default();
                body["warnings"] = warnings
                    .iter()
                    .map(|p| json!({"field": p.field, "code": p.code, "message": p.message(lang)}))
                    .collect();
                out.print(&body, String::new);
            } else {
                println!(
                    "{}",
                    t(lang, "cli.added", &[("id", view.worker.id.to_string()), ("name", view.worker.full_name())])
                );
                for p in &warnings {
                    println!("  ! {}", p.message(lang));
                }
            }
        }
        WorkersCommand::List { filters, limit, offset } => {
            let query = filters.query(Some((limit, offset)))?;
            let list = desk.list(&query, lang).await?;
            out.print(&list, || {
                if list.items.is_empty() {
                    return t(lang, "cli.none", &[]);
                }
                let mut lines: Vec<String> = list
                    .items
                    .iter()
                    .map(|r| {
                        let name = format!(
                            "{} {} {}",
                            r.row.last_name,
                            r.row.first_name,
                            r.row.patronymic.as_deref().unwrap_or("")
                        );
                        format!(
                            "{:>7}  {}  {}  {}  {}  {}  {}  {}",
                            r.row.id,
                            pad(name.trim(), 34),
                            fd(lang, &r.row.birth_date),
                            r.row.pinfl,
                            r.row.passport_number,
                            pad(r.phone_display.as_deref().unwrap_or(""), 17),
                            pad(&r.region_name, 20),
                            r.status_name
                        )
                    })
                    .collect();
                lines.push(t(
                    lang,
                    "cli.shown",
                    &[("shown", list.items.len().to_string()), ("total", list.total.unwrap_or_default().to_string())],
                ));
                lines.join("\n")
            });
        }
        WorkersCommand::Show { id } => {
            let view = desk.get_view(id, lang).await?;
            let history = desk.history(id).await?;
            let mut body = serde_json::to_value(&view).unwrap_or_default();
            body["history"] = serde_json::to_value(&history).unwrap_or_default();
            out.print(&body, || {
                let mut text = worker_text(&view, lang);
                for h in &history {
                    let from =
                        h.from_status.as_deref().map(|s| t(lang, &format!("status.{s}"), &[])).unwrap_or_default();
                    let to = t(lang, &format!("status.{}", h.to_status), &[]);
                    text.push_str(&format!("\n  {}  {:<10} {from} → {to}: {}", h.at, h.actor, h.reason_text(lang)));
                }
                text
            });
        }
        WorkersCommand::Status { id, status, reason } => {
            desk.set_status(id, &status, &reason, actor).await?;
            let view = desk.get_view(id, lang).await?;
            out.print(&view, || t(lang, "cli.moved", &[("id", id.to_string()), ("status", view.status_name.clone())]));
        }
        WorkersCommand::Archive { id, reason } => {
            desk.archive(id, &reason, actor).await?;
            let view = desk.get_view(id, lang).await?;
            out.print(&view, || t(lang, "cli.archived", &[("id", id.to_string())]));
        }
        WorkersCommand::Restore { id, reason } => {
            desk.restore(id, &reason, actor).await?;
            let view = desk.get_view(id, lang).await?;
            out.print(&view, || t(lang, "cli.restored", &[("id", id.to_string())]));
        }
        WorkersCommand::ConsentAdd { id } => {
            let text = crate::files::read_stdin_text(crate::files::STDIN_MAX)?;
            let input: ConsentInput =
                serde_json::from_str(&text).map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))?;
            desk.add_consent(id, &input, actor).await?;
            let view = desk.get_view(id, lang).await?;
            out.print(&view, || worker_text(&view, lang));
        }
        WorkersCommand::ConsentWithdraw { id, reason } => {
            desk.withdraw_consent(id, &reason, actor).await?;
            let view = desk.get_view(id, lang).await?;
            out.print(&view, || worker_text(&view, lang));
        }
        WorkersCommand::Depart { id, date, route, border } => {
            let j = desk.depart(id, &date, route.as_deref(), border.as_deref(), actor).await?;
            out.print(&j, || format!("#{id} departed {}", fd(lang, &j.departed_on)));
        }
        WorkersCommand::Return { id, date, reason } => {
            let j = desk.return_home(id, &date, &reason, actor).await?;
            out.print(&j, || format!("#{id} returned {}", fd(lang, j.returned_on.as_deref().unwrap_or_default())));
        }
        WorkersCommand::Export { id, out: file } => {
            let path = desk.export_worker(id, file.as_deref(), actor).await?;
            let body = json!({"path": path});
            out.print(&body, || t(lang, "cli.exported", &[("path", path.display().to_string())]));
        }
    }
    Ok(0)
}
