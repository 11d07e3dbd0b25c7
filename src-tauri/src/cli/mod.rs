//! The command line: the same services as the window, headless. Readable text by default,
//! `--json` for scripts; exit 0 on success, 2 when the input or request is refused, 1 when
//! something failed (storage, files). One file per area, each holding its clap commands,
//! their line of `data/permissions.tsv` and their formatting; this one parses, signs in,
//! checks the permission and hands the command to its area.

mod audit;
mod backup;
mod certificates;
mod output;
mod placement;
mod setup;
mod sheets;
mod training;
mod users;
mod workers;

use crate::accounts::{self, Session};
use crate::error::AppError;
use crate::i18n::{t, Lang};
use crate::{open_state, AppState};
use clap::{Parser, Subcommand};
use output::Output;
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
    Init(setup::InitArgs),
    /// The roster of workers.
    Workers {
        #[command(subcommand)]
        command: workers::WorkersCommand,
    },
    /// Accounts (admin).
    Users {
        #[command(subcommand)]
        command: users::UsersCommand,
    },
    /// Foreign employers / partners (JSON on standard input for `add`).
    Employers {
        #[command(subcommand)]
        command: placement::EmployersCommand,
    },
    /// Job orders (vacancies).
    Jobs {
        #[command(subcommand)]
        command: placement::JobsCommand,
    },
    /// Employment contracts.
    Contracts {
        #[command(subcommand)]
        command: placement::ContractsCommand,
    },
    /// The fee ledger.
    Fees {
        #[command(subcommand)]
        command: placement::FeesCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Fill the database with realistic synthetic workers (admin).
    Demo(setup::DemoArgs),
    /// Where the data lives.
    Info,
    /// Encrypted backups: create, verify, restore.
    Backup {
        #[command(subcommand)]
        command: backup::BackupCommand,
    },
    /// Import workers from XLSX, XLS, ODS or CSV (`safar import template --out F.xlsx`
    /// writes the template instead).
    Import(sheets::ImportArgs),
    /// Export the roster, the contracts or the certificates register to XLSX or CSV.
    Export(sheets::ExportArgs),
    /// Tunable rules (admin): passport_margin_months.<ISO2>, consulting_cap_bcv,
    /// base_calculation_value_uzs.
    Settings {
        #[command(subcommand)]
        command: setup::SettingsCommand,
    },
    /// Pre-departure training: courses, cohorts, enrolment, attendance, scores.
    Training {
        #[command(subcommand)]
        command: training::TrainingCommand,
    },
    /// Pre-departure certificates: issue, print, revoke, verify.
    Certificates {
        #[command(subcommand)]
        command: certificates::CertificatesCommand,
    },
}

impl Command {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub fn permission(&self) -> &'static str {
        match self {
            Command::Init(_) => "setup_init",
            Command::Info => "app_info",
            Command::Backup { command } => command.permission(),
            Command::Settings { command } => command.permission(),
            Command::Demo(_) => "demo",
            Command::Import(a) if a.is_template() => "import_template",
            Command::Import(a) if a.dry_run => "import_preview",
            Command::Import(_) => "import_commit",
            Command::Export(a) => a.permission(),
            Command::Workers { command } => command.permission(),
            Command::Employers { command } => command.permission(),
            Command::Jobs { command } => command.permission(),
            Command::Contracts { command } => command.permission(),
            Command::Fees { command } => command.permission(),
            Command::Users { command } => command.permission(),
            Command::Audit { command } => command.permission(),
            Command::Training { command } => command.permission(),
            Command::Certificates { command } => command.permission(),
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
        state.desk.close().await;
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

/// What every area's command runs with: the open data folder, how to print, the language
/// and who is acting.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub state: &'a AppState,
    pub out: &'a Output,
    pub lang: Lang,
    pub actor: &'a str,
    pub session: Option<&'a Session>,
}

impl Ctx<'_> {
    /// The signed-in user (commands that need one were refused before without it).
    pub fn me(&self) -> Result<Session, AppError> {
        self.session.cloned().ok_or_else(|| AppError::new("unauthenticated"))
    }
}

async fn execute(
    state: &AppState,
    command: Command,
    out: &Output,
    lang: Lang,
    session: Option<Session>,
) -> Result<i32, AppError> {
    let actor = session.as_ref().map(|s| s.login.clone()).unwrap_or_default();
    let cx = Ctx { state, out, lang, actor: &actor, session: session.as_ref() };
    match command {
        Command::Init(args) => setup::init(&cx, args).await,
        Command::Info => setup::info(&cx).await,
        Command::Backup { command } => backup::run(&cx, command).await,
        Command::Settings { command } => setup::settings(&cx, command).await,
        Command::Demo(args) => setup::demo(&cx, args).await,
        Command::Import(args) => sheets::import(&cx, args).await,
        Command::Export(args) => sheets::export(&cx, args).await,
        Command::Workers { command } => workers::run(&cx, command).await,
        Command::Users { command } => users::run(&cx, command).await,
        Command::Employers { command } => placement::run_employers(&cx, command).await,
        Command::Jobs { command } => placement::run_jobs(&cx, command).await,
        Command::Contracts { command } => placement::run_contracts(&cx, command).await,
        Command::Fees { command } => placement::run_fees(&cx, command).await,
        Command::Audit { command } => audit::run(&cx, command).await,
        Command::Training { command } => training::run(&cx, command).await,
        Command::Certificates { command } => certificates::run(&cx, command).await,
    }
}
#[cfg(test)]
mod tests {
    use super::workers::parse_input;
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

    /// Every leaf of the command tree, as the words that call it.
    fn leaves(command: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
        if command.get_subcommands().next().is_none() {
            out.push((path, command.clone()));
            return;
        }
        for sub in command.get_subcommands() {
            let mut next = path.clone();
            next.push(sub.get_name().to_string());
            leaves(sub, next, out);
        }
    }

    #[test]
    fn every_cli_command_is_checked_against_a_line_of_the_permissions_table() {
        use clap::CommandFactory;
        let table = crate::accounts::commands();
        let mut all = Vec::new();
        leaves(&Cli::command(), Vec::new(), &mut all);
        assert!(all.len() > 50, "only {} commands found", all.len());
        for (path, leaf) in all {
            // The least a command line needs: each required argument, given a value it accepts.
            let mut args = vec!["safar".to_string()];
            args.extend(path.iter().cloned());
            for arg in leaf.get_arguments().filter(|a| a.is_required_set()) {
                let value =
                    arg.get_possible_values().first().map(|v| v.get_name().to_string()).unwrap_or_else(|| "1".into());
                match arg.get_long() {
                    Some(long) => args.extend([format!("--{long}"), value]),
                    None => args.push(value),
                }
            }
            let cli = Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let permission = cli.command.expect("a command").permission();
            assert!(table.contains(&permission), "`{}` checks `{permission}`, not in permissions.tsv", path.join(" "));
        }
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
