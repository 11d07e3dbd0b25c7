// Over 600 lines: every command of the CLI in one adapter; issue 10 splits it into cli/, one file per area.
//! The command line: the same services as the window, headless. Readable text by default,
//! `--json` for scripts; exit 0 on success, 2 when the input or request is refused, 1 when
//! something failed (storage, files).

use crate::accounts::{self, Session};
use crate::agency::{AdminInput, AgencyInput};
use crate::audit;
use crate::error::{AppError, Problem, Severity};
use crate::i18n::{t, Lang};
use crate::roster::consent::ConsentInput;
use crate::roster::service::WorkerView;
use crate::roster::{ListQuery, SortKey, WorkerInput};
use crate::store::accounts::AuditQuery;
use crate::{demo, open_state, AppState};
use clap::{Parser, Subcommand};
use serde::Serialize;
use serde_json::json;
use std::io::Read;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "safar",
    version,
    // `--version` is ours: it also names the build date, the schema and the data folder.
    disable_version_flag = true,
    about = "Safar: the desk of a licensed private employment agency.\nWith no command, opens the window."
)]
pub struct Cli {
    /// Print the version, build date, database schema version and data folder.
    #[arg(short = 'V', long)]
    pub version: bool,
    /// Data directory (default: the OS app-data folder).
    #[arg(long, global = true, env = "SAFAR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages: uz-Latn, uz-Cyrl, ru, en (default: the app's setting).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Who is acting (password from SAFAR_PASSWORD, else asked for).
    #[arg(long, global = true, env = "SAFAR_USER", value_name = "LOGIN")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// First run: the agency profile and its first admin (password from SAFAR_PASSWORD
    /// or the first line of standard input).
    Init {
        #[arg(long)]
        agency_name: String,
        #[arg(long)]
        licence: String,
        /// Licence date, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        licence_date: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        director: String,
        /// The first admin's login.
        #[arg(long)]
        admin: String,
        /// The first admin's full name (default: the director).
        #[arg(long, default_value = "")]
        admin_name: String,
    },
    /// The roster of workers.
    Workers {
        #[command(subcommand)]
        command: WorkersCommand,
    },
    /// Accounts (admin).
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Foreign employers / partners (JSON on standard input for `add`).
    Employers {
        #[command(subcommand)]
        command: EmployersCommand,
    },
    /// Job orders (vacancies).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Employment contracts.
    Contracts {
        #[command(subcommand)]
        command: ContractsCommand,
    },
    /// The fee ledger.
    Fees {
        #[command(subcommand)]
        command: FeesCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Fill the database with realistic synthetic workers (admin).
    Demo {
        /// How many workers to create.
        #[arg(long, default_value_t = 1000)]
        workers: u32,
        /// Random seed (the same seed gives the same people).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Where the data lives.
    Info,
    /// Import workers from XLSX, XLS, ODS or CSV (`safar import template --out F.xlsx`
    /// writes the template instead).
    Import(ImportArgs),
    /// Export the roster, the contracts or the certificates register to XLSX or CSV.
    Export {
        #[arg(value_enum)]
        what: ExportWhat,
        /// The file to write: .xlsx or .csv.
        #[arg(long)]
        out: PathBuf,
        /// CSV with `;` (Excel in Russian and Uzbek locales).
        #[arg(long)]
        semicolon: bool,
        /// The roster's filters (`--search` and `--status` also filter the certificates
        /// register; `--status` the contracts).
        #[command(flatten)]
        filters: Filters,
        /// Contracts: one worker's.
        #[arg(long)]
        worker: Option<i64>,
    },
    /// Tunable rules (admin): passport_margin_months.<ISO2>, consulting_cap_bcv,
    /// base_calculation_value_uzs.
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Pre-departure training: courses, cohorts, enrolment, attendance, scores.
    Training {
        #[command(subcommand)]
        command: TrainingCommand,
    },
    /// Pre-departure certificates: issue, print, revoke, verify.
    Certificates {
        #[command(subcommand)]
        command: CertificatesCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum TrainingCommand {
    /// Courses (JSON on standard input for `add`).
    Course {
        #[command(subcommand)]
        command: CourseCommand,
    },
    /// Cohorts (JSON on standard input for `add`, with `sessions: [{date, hours}]`).
    Cohort {
        #[command(subcommand)]
        command: CohortCommand,
    },
    /// Enrol workers in a cohort.
    Enroll {
        cohort: i64,
        #[arg(required = true)]
        workers: Vec<i64>,
    },
    /// Mark workers present (or `--absent`) at one session.
    Attend {
        cohort: i64,
        session: i64,
        #[arg(required = true)]
        workers: Vec<i64>,
        #[arg(long)]
        absent: bool,
    },
    /// Record a trainee's exam score (0–100).
    Score { cohort: i64, worker: i64, score: String },
}

#[derive(Subcommand, Debug)]
pub enum CourseCommand {
    Add,
    List,
}

#[derive(Subcommand, Debug)]
pub enum CohortCommand {
    Add,
    List {
        #[arg(long)]
        course: Option<i64>,
    },
    Show {
        id: i64,
    },
}

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

/// The roster's search, filters and order, shared by `workers list` and `export`.
#[derive(clap::Args, Debug)]
pub struct Filters {
    /// Name in any script, PINFL, passport number or phone digits.
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    status: Option<String>,
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
    fn query(self, page: Option<(u32, u32)>) -> Result<ListQuery, AppError> {
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

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Workers,
    Contracts,
    Certificates,
}

/// `safar import FILE …`, or `safar import template --out FILE.xlsx`: a file literally
/// named `template` is still imported when `--out` is not given.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The file to import (or the word `template` with `--out`).
    pub file: PathBuf,
    /// With `template`: where to write the import template (.xlsx or .csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Check and report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse the whole file if any row is refused.
    #[arg(long)]
    pub strict: bool,
    /// Commit in batches of N rows, each all-or-nothing.
    #[arg(long, value_name = "N")]
    pub batch: Option<usize>,
    /// Column of a field: `--map pinfl=JSHSHIR` (a header, a column letter or number;
    /// `--map notes=` ignores the field's column). Repeatable.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// Text encoding (utf-8, utf-16le, utf-16be, windows-1251…) instead of detection.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Rows whose PINFL or passport is already in the database update that worker
    /// (default: skipped).
    #[arg(long)]
    pub update: bool,
    /// The day the workers of this file signed their consent (default: today).
    #[arg(long, value_name = "DATE")]
    pub consent_given: Option<String>,
    /// The end of their consent (default: two years on).
    #[arg(long, value_name = "DATE")]
    pub consent_until: Option<String>,
}

impl ImportArgs {
    pub fn is_template(&self) -> bool {
        self.file.as_os_str() == "template" && (self.out.is_some() || !self.file.exists())
    }
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    List,
    Set { key: String, value: String },
}

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

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user (the new password from SAFAR_NEW_PASSWORD, else asked for).
    Add {
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
    },
    List,
    Disable {
        login: String,
    },
    Enable {
        login: String,
    },
    /// Change a user's role.
    Role {
        login: String,
        role: String,
    },
}

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

impl Command {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub fn permission(&self) -> &'static str {
        match self {
            Command::Init { .. } => "setup_init",
            Command::Info => "app_info",
            Command::Settings { command } => match command {
                SettingsCommand::List => "settings_list",
                SettingsCommand::Set { .. } => "settings_change",
            },
            Command::Demo { .. } => "demo",
            Command::Import(a) if a.is_template() => "import_template",
            Command::Import(a) if a.dry_run => "import_preview",
            Command::Import(_) => "import_commit",
            Command::Export { what: ExportWhat::Workers, .. } => "export_workers",
            Command::Export { what: ExportWhat::Contracts, .. } => "export_contracts",
            Command::Export { what: ExportWhat::Certificates, .. } => "export_certificates",
            Command::Workers { command } => match command {
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
            },
            Command::Employers { command } => match command {
                EmployersCommand::Add => "employers_add",
                EmployersCommand::List { .. } => "employers_list",
                EmployersCommand::Show { .. } => "employers_get",
            },
            Command::Jobs { command } => match command {
                JobsCommand::Add => "jobs_add",
                JobsCommand::List { .. } => "jobs_list",
                JobsCommand::Show { .. } => "jobs_get",
            },
            Command::Contracts { command } => match command {
                ContractsCommand::Add => "contracts_add",
                ContractsCommand::List { .. } => "contracts_list",
                ContractsCommand::Show { .. } => "contracts_get",
                ContractsCommand::Status { .. } => "contracts_set_status",
                ContractsCommand::Register { .. } => "contracts_register",
                ContractsCommand::Attach { .. } => "contracts_attach",
            },
            Command::Fees { command } => match command {
                FeesCommand::Add => "fees_add",
                FeesCommand::List { .. } => "fees_list",
                FeesCommand::Statement { .. } => "fees_statement",
            },
            Command::Users { command } => match command {
                UsersCommand::Add { .. } => "users_add",
                UsersCommand::List => "users_list",
                UsersCommand::Disable { .. } => "users_disable",
                UsersCommand::Enable { .. } => "users_enable",
                UsersCommand::Role { .. } => "users_set_role",
            },
            Command::Audit { command } => match command {
                AuditCommand::List { .. } => "audit_list",
                AuditCommand::Verify { .. } | AuditCommand::Checkpoint { .. } => "audit_verify",
            },
            Command::Training { command } => match command {
                TrainingCommand::Course { command: CourseCommand::Add } => "courses_add",
                TrainingCommand::Course { command: CourseCommand::List } => "courses_list",
                TrainingCommand::Cohort { command: CohortCommand::Add } => "cohorts_add",
                TrainingCommand::Cohort { command: CohortCommand::List { .. } } => "cohorts_list",
                TrainingCommand::Cohort { command: CohortCommand::Show { .. } } => "cohorts_get",
                TrainingCommand::Enroll { .. } => "training_enroll",
                TrainingCommand::Attend { .. } => "training_attend",
                TrainingCommand::Score { .. } => "training_score",
            },
            Command::Certificates { command } => match command {
                CertificatesCommand::Issue { .. } => "certificates_issue",
                CertificatesCommand::List { .. } => "certificates_list",
                CertificatesCommand::Show { .. } => "certificates_get",
                CertificatesCommand::Print { .. } => "certificates_print",
                CertificatesCommand::Revoke { .. } => "certificates_revoke",
                CertificatesCommand::Verify { .. } => "certificates_verify",
                CertificatesCommand::PublicKey { .. } => "certificates_public_key",
                CertificatesCommand::TrustKey { .. } => "certificates_trust_key",
            },
        }
    }
}

/// Runs the binary: the window without a command, else the command. Returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // args_os: an argument that is not UTF-8 is clap's usage error, never a panic here.
        Err(e) => {
            return usage_error(&e, &std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>())
        }
    };
    let data_dir = cli.data_dir.clone().unwrap_or_else(crate::default_data_dir);
    if cli.version {
        // Opens nothing: support asks for this precisely when the data will not open.
        let out = Output { json: cli.json, lang: cli.lang.as_deref().and_then(Lang::parse) };
        let about = crate::about::About::new(&data_dir);
        out.print(&about, || about.text(out.lang.unwrap_or_default()));
        return 0;
    }
    let Some(command) = cli.command else {
        return match crate::run(data_dir) {
            Ok(()) => 0,
            Err(message) => {
                if !message.is_empty() {
                    eprintln!("{message}");
                }
                1
            }
        };
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let out = Output { json: cli.json, lang: cli.lang.as_deref().and_then(Lang::parse) };
    if let Some(text) = &cli.lang {
        if out.lang.is_none() {
            return out.fail(&AppError::new("language_unknown").on("language").with("language", text), Lang::default());
        }
    }
    runtime.block_on(async move {
        let state = match open_state(&data_dir).await {
            Ok(s) => s,
            Err(e) => return out.fail(&e, out.lang.unwrap_or_default()),
        };
        let lang = out.lang.unwrap_or(state.lang());
        let outcome = match sign_in(&state, &command, cli.user.as_deref(), lang).await {
            Ok(session) => execute(&state, command, &out, lang, session).await,
            Err(e) => Err(e),
        };
        if outcome.is_ok() {
            // As in the window: a checkpoint that cannot be written now does not fail the
            // command; the next one tries again.
            let _ = state.desk.checkpoint_if_due().await;
        }
        let code = match outcome {
            Ok(code) => code,
            Err(e) => out.fail(&e, lang),
        };
        state.desk.store.close().await;
        code
    })
}

/// A command line clap refused. `--help` and `--version` print as clap prints them; with
/// `--json` anywhere a usage error is the JSON body of any other refusal (exit 2), so a
/// script never has to read clap's text. Returns the exit code.
fn usage_error(e: &clap::Error, args: &[String]) -> i32 {
    use clap::error::ErrorKind;
    let options = args.iter().skip(1).take_while(|a| a.as_str() != "--");
    let json = options.clone().any(|a| a == "--json");
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) || !json {
        let _ = e.print();
        return e.exit_code();
    }
    // clap stopped before `--lang` was read: look for it by hand; no data folder is open
    // for the app's own setting.
    let mut lang = None;
    let mut previous = "";
    for a in options {
        let value = if previous == "--lang" { Some(a.as_str()) } else { a.strip_prefix("--lang=") };
        lang = value.and_then(Lang::parse).or(lang);
        previous = a;
    }
    // clap's first line says what is wrong ("unexpected argument '--limt' found"); the rest
    // is usage text for a terminal.
    let text = e.render().to_string();
    let detail = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let detail = detail.strip_prefix("error:").unwrap_or(detail).trim();
    let out = Output { json: true, lang };
    out.fail(&AppError::new("usage").with("detail", detail), lang.unwrap_or_default())
}

/// Signs the `--user` in when the command needs someone (password from SAFAR_PASSWORD or
/// a prompt on the terminal) and checks the command × role table.
async fn sign_in(
    state: &AppState,
    command: &Command,
    user: Option<&str>,
    lang: Lang,
) -> Result<Option<Session>, AppError> {
    let permission = command.permission();
    if accounts::allowed(permission, None) {
        return Ok(None);
    }
    if !state.desk.setup_status().await?.initialized {
        return Err(AppError::new("not_initialized"));
    }
    let login = user.filter(|u| !u.trim().is_empty()).ok_or_else(|| AppError::new("user_required"))?;
    let password = match std::env::var("SAFAR_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(t(lang, "cli.password_prompt", &[("login", login.to_string())]))
            .map_err(|_| AppError::new("password_required"))?,
    };
    // Each command signs in anew: failures are counted and audited, a success is not a
    // session and writes no `login` entry (the command's own entry says who acted).
    let session = state.desk.authenticate(login, &password).await?;
    accounts::authorize(permission, Some(&session))?;
    Ok(Some(session))
}

/// A new user's password: SAFAR_NEW_PASSWORD, else asked for twice on the terminal.
fn new_password(login: &str, lang: Lang) -> Result<String, AppError> {
    if let Ok(p) = std::env::var("SAFAR_NEW_PASSWORD") {
        return Ok(p);
    }
    let ask = || {
        rpassword::prompt_password(t(lang, "cli.new_password_prompt", &[("login", login.to_string())]))
            .map_err(|_| AppError::new("password_required"))
    };
    let (a, b) = (ask()?, ask()?);
    if a != b {
        return Err(AppError::new("password_mismatch").on("password"));
    }
    Ok(a)
}

/// A user by login or id, for `users disable|enable|role`.
async fn find_user(state: &AppState, who: &str) -> Result<crate::accounts::User, AppError> {
    let users = state.desk.users().await?;
    users
        .into_iter()
        .find(|u| u.login.eq_ignore_ascii_case(who) || u.id.to_string() == who)
        .ok_or_else(|| AppError::new("user_not_found").with("id", who))
}

struct Output {
    json: bool,
    lang: Option<Lang>,
}

impl Output {
    fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        use std::io::Write;
        // Written, not println!: a closed pipe (`safar … | head`) must not panic.
        let mut out = std::io::stdout().lock();
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(s) => {
                    let _ = writeln!(out, "{s}");
                }
                Err(e) => eprintln!("{e}"),
            }
        } else {
            let _ = writeln!(out, "{}", text());
        }
    }

    /// Prints a refusal or failure and returns the exit code.
    fn fail(&self, e: &AppError, lang: Lang) -> i32 {
        let code = match e.code {
            "storage" | "io" | "internal" | "network_share" | "audit_broken" | "upgrade_failed" | "database_newer" => 1,
            _ => 2,
        };
        let (errors, warnings): (Vec<&Problem>, Vec<&Problem>) = e.problems.iter().partition(|p| p.is_error());
        if self.json {
            let item = |p: &Problem| json!({"field": p.field, "code": p.code, "message": p.message(lang), "existing_id": p.existing_id});
            let errors: Vec<_> = if errors.is_empty() {
                vec![json!({"field": e.field, "code": e.code, "message": e.message(lang)})]
            } else {
                errors.iter().map(|p| item(p)).collect()
            };
            let mut body = json!({"errors": errors});
            if !warnings.is_empty() {
                body["warnings"] = warnings.iter().map(|p| item(p)).collect();
            }
            if let Some(current) = &e.current {
                body["current"] = current.clone();
            }
            println!("{}", serde_json::to_string_pretty(&body).unwrap_or_default());
        } else {
            eprintln!("{}", t(lang, "cli.refused", &[]));
            if errors.is_empty() {
                eprintln!("  {}", e.message(lang));
            }
            for p in errors.iter().chain(warnings.iter()) {
                let mark = if p.severity == Severity::Warning { "!" } else { "✗" };
                eprintln!("  {mark} {}", p.message(lang));
            }
        }
        code
    }
}

/// Reads one worker from JSON text; unknown fields come back as problems, one each.
fn parse_input(text: &str) -> Result<(WorkerInput, Vec<Problem>), AppError> {
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

/// One JSON object from standard input, as the `add` commands take it.
fn read_json<T: serde::de::DeserializeOwned>() -> Result<T, AppError> {
    let text = crate::files::read_stdin_text(crate::files::STDIN_MAX)?;
    serde_json::from_str(&text).map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))
}

fn contract_text(c: &crate::placement::service::ContractView) -> String {
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
        k.starts_on,
        k.ends_on,
        k.status
    )
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
    field("birth_date", &x.birth_date);
    field("sex", &t(lang, &format!("sex.{}", x.sex), &[]));
    field("pinfl", &x.pinfl);
    field("passport_number", &x.passport_number);
    field("passport_issued", &x.passport_issued);
    field("passport_expiry", &x.passport_expiry);
    field("phone", w.phone_display.as_deref().unwrap_or(""));
    field("region", &w.region_name);
    field("destination_country", w.country_name.as_deref().unwrap_or(""));
    field("notes", x.notes.as_deref().unwrap_or(""));
    let consent = match &w.consent {
        Some(c) => {
            let state = serde_json::to_value(w.consent_state).ok().and_then(|v| v.as_str().map(str::to_string));
            let state = t(lang, &format!("consent.state_{}", state.unwrap_or_default()), &[]);
            format!("{} → {} ({state})", c.given_on, c.valid_until)
        }
        None => "-".to_string(),
    };
    field("consent", &consent);
    lines.join("\n")
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.chars().take(width).collect()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

async fn execute(
    state: &AppState,
    command: Command,
    out: &Output,
    lang: Lang,
    session: Option<Session>,
) -> Result<i32, AppError> {
    let desk = &state.desk;
    let actor = session.as_ref().map(|s| s.login.clone()).unwrap_or_default();
    let actor = actor.as_str();
    let me = || session.clone().ok_or_else(|| AppError::new("unauthenticated"));
    match command {
        Command::Init { agency_name, licence, licence_date, address, director, admin, admin_name } => {
            let password = match std::env::var("SAFAR_PASSWORD") {
                Ok(p) => p,
                Err(_) if std::io::IsTerminal::is_terminal(&std::io::stdin()) => new_password(&admin, lang)?,
                Err(_) => {
                    // The first line only, and a bounded one: `/dev/zero` has no line end.
                    let mut line = Vec::new();
                    std::io::BufRead::read_until(&mut std::io::stdin().lock().take(4096), b'\n', &mut line)?;
                    String::from_utf8(line)
                        .map_err(|_| AppError::new("input_not_utf8").on("password"))?
                        .trim_end_matches(['\r', '\n'])
                        .to_string()
                }
            };
            let agency = AgencyInput { name: agency_name, licence_number: licence, licence_date, address, director };
            let (agency, session) =
                desk.init(&agency, &AdminInput { login: admin, full_name: admin_name, password }).await?;
            let body = json!({"agency": agency, "admin": session.login});
            out.print(&body, || {
                t(lang, "cli.initialized", &[("name", agency.name.clone()), ("login", session.login.clone())])
            });
        }
        Command::Users { command } => match command {
            UsersCommand::Add { login, role, name } => {
                let password = new_password(&login, lang)?;
                let input = accounts::UserInput { login, full_name: name, role, password };
                let user = desk.add_user(&input, &me()?).await?;
                out.print(&user, || {
                    t(lang, "cli.user_added", &[("login", user.login.clone()), ("role", user.role.clone())])
                });
            }
            UsersCommand::List => {
                let users = desk.users().await?;
                out.print(&users, || {
                    users
                        .iter()
                        .map(|u| {
                            format!(
                                "{:>4}  {}  {}  {}{}",
                                u.id,
                                pad(&u.login, 20),
                                pad(&u.role, 7),
                                u.full_name,
                                if u.disabled { t(lang, "cli.disabled_mark", &[]) } else { String::new() }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            UsersCommand::Disable { login } => {
                let user = find_user(state, &login).await?;
                let user = desk.set_user_disabled(user.id, true, &me()?).await?;
                out.print(&user, || t(lang, "cli.user_disabled", &[("login", user.login.clone())]));
            }
            UsersCommand::Enable { login } => {
                let user = find_user(state, &login).await?;
                let user = desk.set_user_disabled(user.id, false, &me()?).await?;
                out.print(&user, || t(lang, "cli.user_enabled", &[("login", user.login.clone())]));
            }
            UsersCommand::Role { login, role } => {
                let user = find_user(state, &login).await?;
                let user = desk.set_user_role(user.id, &role, &me()?).await?;
                out.print(&user, || {
                    t(lang, "cli.user_role", &[("login", user.login.clone()), ("role", user.role.clone())])
                });
            }
        },
        Command::Settings { command } => match command {
            SettingsCommand::List => {
                let list = crate::settings::list(desk).await?;
                let body: serde_json::Map<String, serde_json::Value> =
                    list.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                out.print(&body, || list.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join("\n"));
            }
            SettingsCommand::Set { key, value } if key.starts_with("certificate_") => {
                let config = desk.set_certificate_setting(&key, &value, actor).await?;
                out.print(&config, || {
                    format!(
                        "certificate_prefix = {}\ncertificate_signatory = {}\ncertificate_signatory_title = {}\ncertificate_logo = {}",
                        config.prefix, config.signatory, config.signatory_title, config.logo
                    )
                });
            }
            SettingsCommand::Set { key, value } => {
                let n = crate::settings::change(desk, &key, &value, actor).await?;
                out.print(&json!({key.clone(): n}), || format!("{key} = {n}"));
            }
        },
        Command::Employers { command } => match command {
            EmployersCommand::Add => {
                let e = desk.add_employer(&read_json()?, actor).await?;
                out.print(&e, || format!("#{}  {} ({})", e.id, e.name, e.country));
            }
            EmployersCommand::List { search } => {
                let list = desk.store.employers(search.as_deref(), false).await?;
                out.print(&list, || {
                    list.iter()
                        .map(|e| {
                            format!(
                                "{:>5}  {}  {}  {} → {}",
                                e.id,
                                pad(&e.name, 36),
                                e.country,
                                e.cooperation_number,
                                e.cooperation_valid_until
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
        },
        Command::Jobs { command } => match command {
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
        },
        Command::Contracts { command } => match command {
            ContractsCommand::Add => {
                let c = desk.add_contract(&read_json()?, actor).await?;
                out.print(&c, || contract_text(&c));
            }
            ContractsCommand::List { worker, status } => {
                let list = desk.contracts(worker, status.as_deref()).await?;
                out.print(&list, || list.iter().map(contract_text).collect::<Vec<_>>().join("\n"));
            }
            ContractsCommand::Show { id } => {
                let c = desk.contract(id).await?;
                out.print(&c, || contract_text(&c));
            }
            ContractsCommand::Status { id, status, reason } => {
                let c = desk.set_contract_status(id, &status, &reason, actor).await?;
                out.print(&c, || contract_text(&c));
            }
            ContractsCommand::Attach { id, file } => {
                let bytes = crate::files::read_bounded(&file, crate::files::ATTACHMENT_MAX, "file", || {
                    AppError::new("attachment_too_large").on("file").with("max_mb", crate::files::ATTACHMENT_MAX >> 20)
                })?;
                let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("document").to_string();
                let a = desk.attach(id, &name, &bytes, &state.data_dir.join("attachments"), actor).await?;
                out.print(&a, || format!("#{}  {} ({} bytes, {})", a.id, a.original_name, a.size, a.sha256));
            }
            ContractsCommand::Register { id, number, date } => {
                let c = desk.register_contract(id, &number, &date, actor).await?;
                out.print(&c, || contract_text(&c));
            }
        },
        Command::Fees { command } => match command {
            FeesCommand::Add => {
                let f = desk.add_fee(&read_json()?, &me()?).await?;
                out.print(&f, || {
                    format!("#{}  {} {} {} {}", f.fee.id, f.fee.paid_on, f.fee.purpose, f.amount, f.fee.currency)
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
                                f.fee.paid_on,
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
        },
        Command::Audit { command } => match command {
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
                let (rows, _) = desk.store.audit(&q).await?;
                let views: Vec<audit::View> = rows.into_iter().map(audit::View::from).collect();
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
                    let reason = t(
                        lang,
                        &format!("audit.reason_{}", verdict.reason.unwrap_or("altered")),
                        &[("record", record)],
                    );
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
        },
        Command::Import(args) => return import(desk, args, out, lang, actor).await,
        Command::Export { what, out: file, semicolon, filters, worker } => {
            let count = match what {
                ExportWhat::Workers => {
                    desk.export_workers(&filters.query(None)?, &file, semicolon, lang, actor).await?
                }
                ExportWhat::Contracts => {
                    desk.export_contracts(worker, filters.status.as_deref(), &file, semicolon, lang, actor).await?
                }
                ExportWhat::Certificates => {
                    let (search, status) = (filters.search.as_deref(), filters.status.as_deref());
                    desk.export_certificates(search, status, &file, semicolon, lang, actor).await?
                }
            };
            let body = json!({"path": file, "rows": count});
            out.print(&body, || {
                t(lang, "cli.exported_rows", &[("count", count.to_string()), ("path", file.display().to_string())])
            });
        }
        Command::Info => {
            let info = json!({"data_dir": state.data_dir, "db_path": desk.store.path(), "workers": desk.store.count_workers().await?});
            out.print(&info, || format!("{}\n{}", state.data_dir.display(), desk.store.path().display()));
        }
        Command::Training { command } => return training(state, command, out, lang, actor).await,
        Command::Certificates { command } => return certificates(state, command, out, lang, actor).await,
        Command::Demo { workers, seed } => {
            let started = std::time::Instant::now();
            let made = demo::fill(desk, workers, seed, actor).await?;
            // Demo colleagues only with a password chosen for them: a well-known one would
            // open a real database to anyone who read this code.
            if let Ok(password) = std::env::var("SAFAR_NEW_PASSWORD") {
                demo::users(desk, &me()?, password).await?;
            }
            let secs = started.elapsed().as_secs_f64();
            let rate = (f64::from(made) / secs.max(1e-9)).round();
            let report = json!({"created": made, "seconds": secs, "per_second": rate});
            out.print(&report, || {
                t(
                    lang,
                    "cli.demo_done",
                    &[("count", made.to_string()), ("seconds", format!("{secs:.2}")), ("rate", rate.to_string())],
                )
            });
        }
        Command::Workers { command } => match command {
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
                                r.row.birth_date,
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
                        &[
                            ("shown", list.items.len().to_string()),
                            ("total", list.total.unwrap_or_default().to_string()),
                        ],
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
                out.print(&view, || {
                    t(lang, "cli.moved", &[("id", id.to_string()), ("status", view.status_name.clone())])
                });
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
                let input: ConsentInput = serde_json::from_str(&text)
                    .map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))?;
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
                out.print(&j, || format!("#{id} departed {}", j.departed_on));
            }
            WorkersCommand::Return { id, date, reason } => {
                let j = desk.return_home(id, &date, &reason, actor).await?;
                out.print(&j, || format!("#{id} returned {}", j.returned_on.clone().unwrap_or_default()));
            }
            WorkersCommand::Export { id, out: file } => {
                let path = desk.export_worker(id, &state.data_dir.join("exports"), file.as_deref(), actor).await?;
                let body = json!({"path": path});
                out.print(&body, || t(lang, "cli.exported", &[("path", path.display().to_string())]));
            }
        },
    }
    Ok(0)
}

fn trainee_line(t: &crate::training::service::Trainee, lang: Lang) -> String {
    let marks: String = t
        .attendance
        .iter()
        .map(|a| match a {
            Some(true) => '+',
            Some(false) => '-',
            None => '.',
        })
        .collect();
    let why = t.reasons.iter().map(|r| t_reason(lang, r)).collect::<Vec<_>>().join("; ");
    format!(
        "{:>7}  {}  [{marks}] {:>3}%  {:>4}  {:?}{}{}",
        t.worker_id,
        pad(&t.name, 36),
        t.attendance_percent,
        t.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
        t.result,
        if why.is_empty() { String::new() } else { format!(" ({why})") },
        t.certificate.as_ref().map(|n| format!("  {n}")).unwrap_or_default()
    )
}

fn t_reason(lang: Lang, code: &str) -> String {
    t(lang, &format!("training.reason_{code}"), &[])
}

fn refusal_json(r: &crate::training::service::Refusal, lang: Lang) -> serde_json::Value {
    json!({"worker_id": r.worker_id, "code": r.error.code, "message": r.error.message(lang)})
}

async fn training(
    state: &AppState,
    command: TrainingCommand,
    out: &Output,
    lang: Lang,
    actor: &str,
) -> Result<i32, AppError> {
    let desk = &state.desk;
    match command {
        TrainingCommand::Course { command: CourseCommand::Add } => {
            let c = desk.add_course(&read_json()?, actor).await?;
            out.print(&c, || format!("#{}  {} ({} h)", c.course.id, c.course.name_uz, c.course.hours));
        }
        TrainingCommand::Course { command: CourseCommand::List } => {
            let list = desk.courses().await?;
            out.print(&list, || {
                list.iter()
                    .map(|c| {
                        let k = &c.course;
                        format!(
                            "{:>5}  {}  {:>3} h  pass {}  attendance {}%  valid {} months  {}",
                            k.id,
                            pad(&k.name_uz, 40),
                            k.hours,
                            k.pass_mark,
                            k.min_attendance_percent,
                            k.validity_months,
                            k.countries
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::Add } => {
            let c = desk.add_cohort(&read_json()?, actor).await?;
            out.print(&c, || {
                let sessions = c
                    .sessions
                    .iter()
                    .map(|s| format!("  session {}  {}  {} h", s.id, s.held_on, s.hours))
                    .collect::<Vec<_>>();
                format!(
                    "#{}  {} → {}  {}\n{}",
                    c.cohort.id,
                    c.cohort.starts_on,
                    c.cohort.ends_on,
                    c.cohort.place,
                    sessions.join("\n")
                )
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::List { course } } => {
            let list = desk.cohorts(course).await?;
            out.print(&list, || {
                list.iter()
                    .map(|c| {
                        format!(
                            "{:>5}  course {:>3}  {} → {}  {}  {}  {}/{}",
                            c.id,
                            c.course_id,
                            c.starts_on,
                            c.ends_on,
                            pad(&c.place, 20),
                            pad(&c.trainer, 20),
                            c.enrolled,
                            c.capacity
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TrainingCommand::Cohort { command: CohortCommand::Show { id } } => {
            let c = desk.cohort(id).await?;
            out.print(&c, || {
                let mut lines = vec![format!(
                    "#{}  {}  {} → {}  {}  {}",
                    c.cohort.id,
                    c.course.course.name_uz,
                    c.cohort.starts_on,
                    c.cohort.ends_on,
                    c.cohort.place,
                    c.cohort.trainer
                )];
                lines.extend(c.sessions.iter().map(|s| format!("  session {}  {}  {} h", s.id, s.held_on, s.hours)));
                lines.extend(c.trainees.iter().map(|t| trainee_line(t, lang)));
                lines.join("\n")
            });
        }
        TrainingCommand::Enroll { cohort, workers } => {
            let (enrolled, refused) = desk.enroll(cohort, &workers, actor).await?;
            let body = json!({"enrolled": enrolled, "refused": refused.iter().map(|r| refusal_json(r, lang)).collect::<Vec<_>>()});
            out.print(&body, || {
                let mut lines = vec![t(lang, "cli.enrolled", &[("count", enrolled.len().to_string())])];
                lines.extend(refused.iter().map(|r| format!("  ✗ #{}: {}", r.worker_id, r.error.message(lang))));
                lines.join("\n")
            });
            if enrolled.is_empty() && !refused.is_empty() {
                return Ok(2);
            }
        }
        TrainingCommand::Attend { cohort, session, workers, absent } => {
            let c = desk.attend(cohort, session, &workers, !absent, actor).await?;
            out.print(&c, || c.trainees.iter().map(|t| trainee_line(t, lang)).collect::<Vec<_>>().join("\n"));
        }
        TrainingCommand::Score { cohort, worker, score } => {
            let tr = desk.score(cohort, worker, &score, actor).await?;
            out.print(&tr, || trainee_line(&tr, lang));
        }
    }
    Ok(0)
}

fn certificate_line(c: &crate::store::training::Certificate) -> String {
    format!(
        "{}  {}  {}  {} → {}  {}{}",
        c.number,
        pad(&c.worker_name, 36),
        pad(&c.course_name, 28),
        c.issued_on,
        c.valid_until,
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

async fn certificates(
    state: &AppState,
    command: CertificatesCommand,
    out: &Output,
    lang: Lang,
    actor: &str,
) -> Result<i32, AppError> {
    let desk = &state.desk;
    match command {
        CertificatesCommand::Issue { cohort, worker, out: dir, single_file } => {
            // The folder first: certificates issued into a folder that cannot be written
            // would exist with no file and no list of their numbers.
            std::fs::create_dir_all(&dir)?;
            let issued = desk.issue_certificates(cohort, worker, actor).await?;
            let numbers: Vec<String> = issued.issued.iter().map(|c| c.number.clone()).collect();
            let single = single_file.then(|| format!("cohort-{cohort}-{}.pdf", desk.clock.today().format("%Y%m%d")));
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
            out.print(&list, || list.iter().map(certificate_line).collect::<Vec<_>>().join("\n"));
        }
        CertificatesCommand::Show { number } => {
            let c = desk.certificate(&number).await?;
            out.print(&c, || {
                let mut lines = vec![certificate_line(&c)];
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
            let single = single_file.then(|| "certificates.pdf".to_string());
            let paths = write_pdfs(state, &numbers, &dir, single).await?;
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            out.print(&json!({"paths": list}), || list.join("\n"));
        }
        CertificatesCommand::Revoke { number, reason } => {
            let c = desk.revoke_certificate(&number, &reason, actor).await?;
            out.print(&c, || certificate_line(&c));
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
                let (key, licence, agency) = crate::certificates::signing::read_public_key(&text)
                    .ok_or_else(|| AppError::new("key_invalid").on("key"))?;
                extra.push(crate::certificates::service::Issuer { key, agency, licence, own: false });
            }
            let mut v = desk.verify(&bytes, &extra).await?;
            desk.check_holder(&mut v, pinfl.as_deref()).await?;
            out.print(&v, || {
                let mut lines = vec![t(lang, &format!("verify.{}", v.status), &[])];
                if let Some(r) = &v.record {
                    lines.push(format!("  {}  {}  {}", r.number, r.holder, r.course));
                    lines.push(format!(
                        "  {} → {}  ({} {})",
                        r.issued_on,
                        r.valid_until,
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

/// `safar import`: the report on standard output; exit 0 when it committed (or a dry run
/// found the file acceptable), 2 when the file was refused.
async fn import(
    desk: &crate::roster::service::Desk,
    args: ImportArgs,
    out: &Output,
    lang: Lang,
    actor: &str,
) -> Result<i32, AppError> {
    use crate::import::{export, ImportOptions, OnDuplicate};
    if args.is_template() {
        let path = args.out.clone().unwrap_or_else(|| PathBuf::from("template.xlsx"));
        let format = export::FileKind::for_path(&path, false)?;
        export::write(&export::template(lang), &path, format)?;
        let body = json!({"path": path});
        out.print(&body, || t(lang, "cli.exported", &[("path", path.display().to_string())]));
        return Ok(0);
    }
    let mut mapping = std::collections::BTreeMap::new();
    for m in &args.map {
        let Some((field, header)) = m.split_once('=') else {
            return Err(AppError::new("json_invalid").on("input").with("detail", format!("--map {m}")));
        };
        mapping.insert(field.trim().to_string(), header.trim().to_string());
    }
    let consent = if args.consent_given.is_some() || args.consent_until.is_some() {
        let mut c = crate::import::default_consent(desk.clock.today(), lang);
        if args.consent_given.is_some() {
            c.given_on = args.consent_given.clone();
        }
        if args.consent_until.is_some() {
            c.valid_until = args.consent_until.clone();
        }
        Some(c)
    } else {
        None
    };
    let options = ImportOptions {
        mapping,
        encoding: args.encoding.clone(),
        strict: args.strict,
        on_duplicate: if args.update { OnDuplicate::Update } else { OnDuplicate::Skip },
        decisions: Default::default(),
        consent,
    };
    let bytes = crate::files::read_bounded(&args.file, crate::files::IMPORT_MAX, "file", || {
        AppError::new("import_too_big").with("max", crate::files::IMPORT_MAX >> 20)
    })?;
    let name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("import").to_string();
    let mut plan = desk.import_plan(&name, &bytes, &options, lang).await?;
    if plan.source.encoding_guessed {
        let enc = plan.source.encoding.unwrap_or("").to_string();
        let w = Problem::warning("encoding", "encoding_guessed").with("encoding", enc);
        plan.warnings.insert(
            0,
            crate::import::RowProblem {
                row: 0,
                field: Some("encoding".into()),
                code: w.code,
                message: w.reason(lang),
                severity: Severity::Warning,
            },
        );
    }
    // A guessed encoding may read wrong without any invalid byte (every byte is a letter in
    // cp1251, KOI8-R or cp1252): the command line has no preview to look at, so it writes
    // nothing until the encoding is given (`--dry-run` shows the text to judge by).
    let guessed = plan.source.encoding_guessed && args.encoding.is_none();
    let refused = plan.blocked() || (guessed && !args.dry_run);
    if !args.dry_run && !refused {
        desk.import_commit(&plan, args.batch, actor).await?;
    }
    let report = plan.report();
    out.print(&report, || {
        let params = [
            ("added", report.added.to_string()),
            ("updated", report.updated.to_string()),
            ("skipped", report.skipped.to_string()),
            ("refused", plan.refused_rows().to_string()),
        ];
        let encoding = plan.source.encoding.unwrap_or("").to_string();
        let mut lines = vec![if refused && !plan.blocked() {
            t(lang, "errors.encoding_not_confirmed", &[("encoding", encoding)])
        } else if refused {
            t(lang, "errors.import_strict_refused", &[("rows", plan.refused_rows().to_string())])
        } else if args.dry_run {
            t(lang, "cli.import_dry_run", &params)
        } else {
            t(lang, "cli.import_done", &params)
        }];
        for p in &report.refused {
            lines.push(format!("  ✗ {:>6}  {}", p.row, p.message));
        }
        for p in &report.warnings {
            lines.push(format!("  ! {:>6}  {}", p.row, p.message));
        }
        lines.extend(crate::import::columns::report_text(&report.columns, &report.missing, lang));
        // The lists stop at REPORT_PER_CODE per code; say what they leave out.
        lines.extend(report.left_out_notes(lang).into_iter().map(|n| format!("  {n}")));
        lines.join("\n")
    });
    Ok(if refused { 2 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_template_is_a_word_or_a_file() {
        let cli = Cli::try_parse_from(["safar", "import", "template", "--out", "t.xlsx"]).expect("parse");
        let Some(Command::Import(a)) = cli.command else { panic!("import") };
        assert!(a.is_template());
        let cli = Cli::try_parse_from([
            "safar",
            "import",
            "workers.csv",
            "--dry-run",
            "--map",
            "pinfl=JSHSHIR",
            "--map",
            "notes=",
        ])
        .expect("parse");
        let Some(Command::Import(a)) = cli.command else { panic!("import") };
        assert!(!a.is_template() && a.dry_run && a.map.len() == 2);
        assert_eq!(Command::Import(a).permission(), "import_preview");
        let cli = Cli::try_parse_from(["safar", "export", "workers", "--out", "w.csv", "--region", "Samarqand"])
            .expect("parse");
        assert_eq!(cli.command.expect("cmd").permission(), "export_workers");
    }

    #[test]
    fn unknown_fields_are_each_named() {
        let (input, unknown) = parse_input(r#"{"last_name": "A", "nick": "x", "age": 3}"#).expect("parse");
        assert_eq!(input.last_name.as_deref(), Some("A"));
        let names: Vec<String> = unknown.iter().map(|p| p.message(Lang::En)).collect();
        assert_eq!(names.len(), 2);
        assert!(names.iter().any(|m| m.contains("“nick”")), "{names:?}");
        assert_eq!(parse_input("[1]").expect_err("array").code, "json_invalid");
        assert_eq!(parse_input("{").expect_err("broken").code, "json_invalid");
    }

    #[test]
    fn the_command_line_parses_global_options_anywhere() {
        let cli =
            Cli::try_parse_from(["safar", "workers", "list", "--json", "--data-dir", "/tmp/x", "--search", "Ғуломов"])
                .expect("parse");
        assert!(cli.json);
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/x")));
        let cli = Cli::try_parse_from([
            "safar",
            "--data-dir",
            "/tmp/y",
            "workers",
            "status",
            "5",
            "in_training",
            "--reason",
            "enrolled",
        ]);
        assert!(cli.is_ok());
        assert!(Cli::try_parse_from(["safar", "workers", "status", "5", "in_training"]).is_err(), "reason is required");
    }
}
