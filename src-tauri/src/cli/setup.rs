//! `safar init|info|settings|demo`: the agency set up, where the data lives, tunable rules.

use super::users::new_password;
use super::Ctx;
use crate::agency::{AdminInput, AgencyInput};
use crate::demo;
use crate::error::AppError;
use crate::i18n::t;
use clap::Subcommand;
use serde_json::json;
use std::io::Read;

/// First run: the agency profile and its first admin (password from SAFAR_PASSWORD
/// or the first line of standard input).
#[derive(clap::Args, Debug)]
pub struct InitArgs {
    #[arg(long)]
    pub agency_name: String,
    #[arg(long)]
    pub licence: String,
    /// Licence date, YYYY-MM-DD.
    #[arg(long, default_value = "")]
    pub licence_date: String,
    #[arg(long, default_value = "")]
    pub address: String,
    #[arg(long, default_value = "")]
    pub director: String,
    /// The first admin's login.
    #[arg(long)]
    pub admin: String,
    /// The first admin's full name (default: the director).
    #[arg(long, default_value = "")]
    pub admin_name: String,
}

/// Fill the database with realistic synthetic workers (admin).
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// How many workers to create.
    #[arg(long, default_value_t = 1000)]
    pub workers: u32,
    /// Random seed (the same seed gives the same people).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    List,
    Set { key: String, value: String },
}

impl SettingsCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            SettingsCommand::List => "settings_list",
            SettingsCommand::Set { .. } => "settings_change",
        }
    }
}

pub(super) async fn init(cx: &Ctx<'_>, args: InitArgs) -> Result<i32, AppError> {
    let Ctx { state, out, lang, .. } = *cx;
    let desk = &state.desk;
    let InitArgs { agency_name, licence, licence_date, address, director, admin, admin_name } = args;
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
    let (agency, session) = desk.init(&agency, &AdminInput { login: admin, full_name: admin_name, password }).await?;
    let body = json!({"agency": agency, "admin": session.login});
    out.print(&body, || t(lang, "cli.initialized", &[("name", agency.name.clone()), ("login", session.login.clone())]));
    Ok(0)
}

pub(super) async fn info(cx: &Ctx<'_>) -> Result<i32, AppError> {
    let Ctx { state, out, .. } = *cx;
    let desk = &state.desk;
    let dir = desk.dir();
    let info = json!({"data_dir": dir.root(), "db_path": dir.database(), "workers": desk.count_workers().await?});
    out.print(&info, || format!("{}\n{}", dir.root().display(), dir.database().display()));
    Ok(0)
}

pub(super) async fn demo(cx: &Ctx<'_>, args: DemoArgs) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    let me = || cx.me();
    let DemoArgs { workers, seed } = args;
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
    Ok(0)
}

pub(super) async fn settings(cx: &Ctx<'_>, command: SettingsCommand) -> Result<i32, AppError> {
    let Ctx { state, out, actor, .. } = *cx;
    let desk = &state.desk;
    match command {
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
    }
    Ok(0)
}
