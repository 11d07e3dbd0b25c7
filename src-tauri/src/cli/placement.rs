//! `safar employers|jobs|contracts|fees …`: placements.

use super::output::{pad, read_json};
use super::Ctx;
use crate::error::AppError;
use crate::i18n::{format_date as fd, t, Lang};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum EmployersCommand {
    Add,
    List {
        #[arg(long)]
        search: Option<String>,
    },
    Show {
        id: i64,
    },
}

impl EmployersCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            EmployersCommand::Add => "employers_add",
            EmployersCommand::List { .. } => "employers_list",
            EmployersCommand::Show { .. } => "employers_get",
        }
    }
}

pub(super) async fn run_employers(cx: &Ctx<'_>, command: EmployersCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        EmployersCommand::Add => {
            let e = desk.add_employer(&read_json()?, actor).await?;
            out.print(&e, || format!("#{}  {} ({})", e.id, e.name, e.country));
        }
        EmployersCommand::List { search } => {
            let list = desk.employers(search.as_deref(), false).await?;
            out.print(&list, || {
                list.iter()
                    .map(|e| {
                        format!(
                            "{:>5}  {}  {}  {} → {}",
                            e.id,
                            pad(&e.name, 36),
                            e.country,
                            e.cooperation_number,
                            fd(lang, &e.cooperation_valid_until)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        EmployersCommand::Show { id } => {
            let e = desk.employer(id).await?;
            out.print(&e, || serde_json::to_string_pretty(&e).unwrap_or_default());
        }
    }
    Ok(0)
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    Add,
    List {
        #[arg(long)]
        employer: Option<i64>,
    },
    Show {
        id: i64,
    },
}

impl JobsCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            JobsCommand::Add => "jobs_add",
            JobsCommand::List { .. } => "jobs_list",
            JobsCommand::Show { .. } => "jobs_get",
        }
    }
}

pub(super) async fn run_jobs(cx: &Ctx<'_>, command: JobsCommand) -> Result<i32, AppError> {
    let Ctx { state, out, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        JobsCommand::Add => {
            let j = desk.add_job(&read_json()?, actor).await?;
            out.print(&j, || format!("#{}  {}  {}/{}", j.job.id, j.job.position, j.job.assigned, j.job.places));
        }
        JobsCommand::List { employer } => {
            let list = desk.jobs(employer).await?;
            out.print(&list, || {
                list.iter()
                    .map(|j| {
                        format!(
                            "{:>5}  {}  {}  {} {}  {}/{}",
                            j.job.id,
                            pad(&j.job.position, 28),
                            pad(&j.job.employer_name, 28),
                            j.salary_amount,
                            j.job.salary_currency,
                            j.job.assigned,
                            j.job.places
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        JobsCommand::Show { id } => {
            let j = desk.job(id).await?;
            out.print(&j, || serde_json::to_string_pretty(&j).unwrap_or_default());
        }
    }
    Ok(0)
}

#[derive(Subcommand, Debug)]
pub enum ContractsCommand {
    Add,
    List {
        #[arg(long)]
        worker: Option<i64>,
        #[arg(long)]
        status: Option<String>,
    },
    Show {
        id: i64,
    },
    /// signed, active, completed, terminated, cancelled (registered: use `register`).
    Status {
        id: i64,
        status: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Attach a scanned document (PDF, JPEG or PNG, at most 10 MiB).
    Attach {
        id: i64,
        file: PathBuf,
    },
    /// Record the Labor-migration registration.
    Register {
        id: i64,
        #[arg(long)]
        number: String,
        #[arg(long)]
        date: String,
    },
}

impl ContractsCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            ContractsCommand::Add => "contracts_add",
            ContractsCommand::List { .. } => "contracts_list",
            ContractsCommand::Show { .. } => "contracts_get",
            ContractsCommand::Status { .. } => "contracts_set_status",
            ContractsCommand::Register { .. } => "contracts_register",
            ContractsCommand::Attach { .. } => "contracts_attach",
        }
    }
}

pub(super) async fn run_contracts(cx: &Ctx<'_>, command: ContractsCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
        ContractsCommand::Add => {
            let c = desk.add_contract(&read_json()?, actor).await?;
            out.print(&c, || contract_text(&c, lang));
        }
        ContractsCommand::List { worker, status } => {
            let list = desk.contracts(worker, status.as_deref()).await?;
            out.print(&list, || list.iter().map(|c| contract_text(c, lang)).collect::<Vec<_>>().join("\n"));
        }
        ContractsCommand::Show { id } => {
            let c = desk.contract(id).await?;
            out.print(&c, || contract_text(&c, lang));
        }
        ContractsCommand::Status { id, status, reason } => {
            let c = desk.set_contract_status(id, &status, &reason, actor).await?;
            out.print(&c, || contract_text(&c, lang));
        }
        ContractsCommand::Attach { id, file } => {
            let bytes = crate::files::read_bounded(&file, crate::files::ATTACHMENT_MAX, "file", || {
                AppError::new("attachment_too_large").on("file").with("max_mb", crate::files::ATTACHMENT_MAX >> 20)
            })?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("document").to_string();
            let a = desk.attach(id, &name, &bytes, actor).await?;
            out.print(&a, || format!("#{}  {} ({} bytes, {})", a.id, a.original_name, a.size, a.sha256));
        }
        ContractsCommand::Register { id, number, date } => {
            let c = desk.register_contract(id, &number, &date, actor).await?;
            out.print(&c, || contract_text(&c, lang));
        }
    }
    Ok(0)
}

#[derive(Subcommand, Debug)]
pub enum FeesCommand {
    Add,
    List {
        worker: i64,
    },
    /// The worker's cost statement as a PDF.
    Statement {
        worker: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

impl FeesCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            FeesCommand::Add => "fees_add",
            FeesCommand::List { .. } => "fees_list",
            FeesCommand::Statement { .. } => "fees_statement",
        }
    }
}

pub(super) async fn run_fees(cx: &Ctx<'_>, command: FeesCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    let me = || cx.me();
    match command {
        FeesCommand::Add => {
            let f = desk.add_fee(&read_json()?, &me()?).await?;
            out.print(&f, || {
                format!("#{}  {} {} {} {}", f.fee.id, fd(lang, &f.fee.paid_on), f.fee.purpose, f.amount, f.fee.currency)
            });
        }
        FeesCommand::Statement { worker, out: file } => {
            desk.fee_statement(worker, &file, lang, actor).await?;
            let body = json!({"path": file});
            out.print(&body, || t(lang, "cli.exported", &[("path", file.display().to_string())]));
        }
        FeesCommand::List { worker } => {
            let list = desk.fees(worker).await?;
            out.print(&list, || {
                list.iter()
                    .map(|f| {
                        format!(
                            "{:>5}  {}  {:<8}  {:<10}  {:>14} {}  {}",
                            f.fee.id,
                            fd(lang, &f.fee.paid_on),
                            f.fee.paid_by,
                            f.fee.purpose,
                            f.amount,
                            f.fee.currency,
                            f.fee.receipt_number
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(0)
}

fn contract_text(c: &crate::placement::records::ContractView, lang: Lang) -> String {
    let k = &c.contract;
    let flags = if c.mismatches.is_empty() && c.placeholders.is_empty() {
        String::new()
    } else {
        format!("  ⚠ {}", c.mismatches.iter().chain(c.placeholders.iter()).copied().collect::<Vec<_>>().join(", "))
    };
    format!(
        "{:>5}  {}  {}  {}  {} {}  {} → {}  [{}]{flags}",
        k.id,
        pad(&k.number, 14),
        pad(&k.worker_name, 24),
        pad(&k.employer_name, 24),
        c.salary_amount,
        k.salary_currency,
        fd(lang, &k.starts_on),
        fd(lang, &k.ends_on),
        k.status
    )
}
