//! `safar users …`: accounts (admin).

use super::output::pad;
use super::Ctx;
use crate::accounts::{self};
use crate::error::AppError;
use crate::i18n::{t, Lang};
use crate::AppState;
use clap::Subcommand;

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
    /// A forgotten admin password: set a new one with the printed recovery key (no
    /// sign-in; the new password from SAFAR_NEW_PASSWORD, else asked for twice). Also
    /// enables the account and lifts a lock-out.
    Recover {
        login: String,
        /// The recovery key (a file holding `AGE-SECRET-KEY-1…`, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        key: std::path::PathBuf,
    },
}

impl UsersCommand {
    /// The line of `data/permissions.tsv` this command is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self {
            UsersCommand::Add { .. } => "users_add",
            UsersCommand::List => "users_list",
            UsersCommand::Disable { .. } => "users_disable",
            UsersCommand::Enable { .. } => "users_enable",
            UsersCommand::Role { .. } => "users_set_role",
            // The key is the permission, as for a backup restored with it.
            UsersCommand::Recover { .. } => "backup_recover",
        }
    }
}

/// A new user's password: SAFAR_NEW_PASSWORD, else asked for twice on the terminal.
pub(super) fn new_password(login: &str, lang: Lang) -> Result<String, AppError> {
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

pub(super) async fn run(cx: &Ctx<'_>, command: UsersCommand) -> Result<i32, AppError> {
    let Ctx { state, out, lang, .. } = *cx;
    let desk = &state.desk;
    let me = || cx.me();
    match command {
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
        UsersCommand::Recover { login, key } => {
            let text = if key == std::path::Path::new("-") {
                crate::files::read_stdin_text(crate::files::KEY_MAX)?
            } else {
                crate::files::read_text_bounded(&key, crate::files::KEY_MAX, "key")?
            };
            let key = crate::backup::keys::parse_identity(&text)?;
            // A wrong key is refused before anyone types a password.
            crate::backup::keys::check_recovery(desk.dir().root(), &key)?;
            let password = new_password(&login, lang)?;
            let user = desk.recover_admin(&login, &key, &password).await?;
            out.print(&user, || t(lang, "backup.cli_recovered", &[("login", user.login.clone())]));
        }
    }
    Ok(0)
}
