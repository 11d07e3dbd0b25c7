//! How the CLI speaks: text or JSON on standard output, refusals on standard error, exit codes.

use crate::error::{AppError, Problem, Severity};
use crate::i18n::{t, Lang};
use serde::Serialize;
use serde_json::json;

pub(crate) struct Output {
    pub json: bool,
    pub lang: Option<Lang>,
}

impl Output {
    pub fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
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
    pub fn fail(&self, e: &AppError, lang: Lang) -> i32 {
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

pub(super) fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        s.chars().take(width).collect()
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// One JSON object from standard input, as the `add` commands take it.
pub(super) fn read_json<T: serde::de::DeserializeOwned>() -> Result<T, AppError> {
    let text = crate::files::read_stdin_text(crate::files::STDIN_MAX)?;
    serde_json::from_str(&text).map_err(|e| AppError::new("json_invalid").on("input").with("detail", e))
}

/// One worker a batch command refused, for `--json`.
pub(super) fn refusal_json(r: &crate::training::service::Refusal, lang: Lang) -> serde_json::Value {
    json!({"worker_id": r.worker_id, "code": r.error.code, "message": r.error.message(lang)})
}
