//! The one error type. Every failure has a stable `code` (the key of its message in
//! `errors.*`), an optional `field`, parameters for the message, and, for validation, every
//! problem found at once. It is translated only at the edge (IPC or CLI), in the user's
//! language, into `{code, message, field, problems, …}`.

use crate::i18n::{t, Lang};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong (or worth a second look) with one field of the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub field: Option<&'static str>,
    pub code: &'static str,
    pub severity: Severity,
    #[serde(skip)]
    pub params: Vec<(&'static str, String)>,
    /// The worker that already holds this PINFL or passport (duplicate codes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    /// Possible duplicates (same folded name and birth date).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub birth_date: String,
}

impl Problem {
    pub fn error(field: &'static str, code: &'static str) -> Self {
        Problem {
            field: Some(field),
            code,
            severity: Severity::Error,
            params: Vec::new(),
            existing_id: None,
            candidates: Vec::new(),
        }
    }

    pub fn warning(field: &'static str, code: &'static str) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(field, code) }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The reason alone, e.g. "must be exactly 14 digits".
    pub fn reason(&self, lang: Lang) -> String {
        t(lang, &format!("errors.{}", self.code), &crate::i18n::dated(lang, &self.params))
    }

    /// The field and the reason, e.g. "PINFL: must be exactly 14 digits".
    pub fn message(&self, lang: Lang) -> String {
        match self.field {
            Some(field) => format!("{}: {}", field_label(lang, field), self.reason(lang)),
            None => self.reason(lang),
        }
    }

    pub fn view(&self, lang: Lang) -> ProblemView {
        ProblemView {
            field: self.field,
            code: self.code,
            severity: self.severity,
            message: self.message(lang),
            reason: self.reason(lang),
            existing_id: self.existing_id,
            candidates: self.candidates.clone(),
        }
    }
}

/// A problem as the UI and the CLI's JSON see it.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemView {
    pub field: Option<&'static str>,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, thiserror::Error)]
#[error("{code}")]
pub struct AppError {
    pub code: &'static str,
    pub field: Option<&'static str>,
    pub params: Vec<(&'static str, String)>,
    pub problems: Vec<Problem>,
    /// For `conflict`: the record as it is now, so the user can compare.
    pub current: Option<serde_json::Value>,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn new(code: &'static str) -> Self {
        AppError { code, field: None, params: Vec::new(), problems: Vec::new(), current: None }
    }

    pub fn on(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// Refusal of an input: carries every problem (errors and warnings) found.
    pub fn validation(problems: Vec<Problem>) -> Self {
        AppError { problems, ..AppError::new("validation") }
    }

    pub fn not_found(id: i64) -> Self {
        AppError::new("not_found").with("id", id)
    }

    pub fn storage(detail: impl ToString) -> Self {
        AppError::new("storage").with("detail", detail)
    }

    pub fn internal(detail: impl ToString) -> Self {
        AppError::new("internal").with("detail", detail)
    }

    pub fn message(&self, lang: Lang) -> String {
        let text = t(lang, &format!("errors.{}", self.code), &crate::i18n::dated(lang, &self.params));
        match self.field {
            Some(field) => format!("{}: {text}", field_label(lang, field)),
            None => text,
        }
    }

    pub fn view(&self, lang: Lang) -> ErrorView {
        ErrorView {
            code: self.code,
            message: self.message(lang),
            field: self.field,
            problems: self.problems.iter().map(|p| p.view(lang)).collect(),
            existing_id: self.problems.iter().find_map(|p| p.existing_id),
            candidates: self.problems.iter().flat_map(|p| p.candidates.clone()).collect(),
            current: self.current.clone(),
        }
    }
}

/// What crosses the IPC boundary when a command fails.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    pub problems: Vec<ProblemView>,
    pub existing_id: Option<i64>,
    /// Possible duplicates (also inside their `possible_duplicate` problem).
    pub candidates: Vec<Candidate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        // The driver's message names tables and constraints, never row values, so it is safe
        // to show; personal data does not reach it because every value is a bound parameter.
        AppError::storage(e)
    }
}

impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        AppError::storage(e)
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::internal(e)
    }
}

/// The label of a field: `fields.consent_given_on` for `consent.given_on`, else the last
/// segment (`admin.login` → `fields.login`).
pub fn field_label(lang: Lang, field: &str) -> String {
    let flat = format!("fields.{}", field.replace('.', "_"));
    if crate::i18n::has(&flat) {
        return t(lang, &flat, &[]);
    }
    let last = field.rsplit('.').next().unwrap_or(field);
    t(lang, &format!("fields.{last}"), &[])
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::new("io").with("detail", e)
    }
}

/// Refuses a number outside `min..=max`, naming the range: a limit of 0 or of a billion is
/// a mistake to point out, not to quietly replace with 1 or 500.
pub fn check_range(field: &'static str, value: i64, min: i64, max: i64) -> Result<()> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(AppError::new("out_of_range").on(field).with("min", min).with("max", max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_field_and_reason_in_the_users_language() {
        let p = Problem::error("pinfl", "pinfl_format");
        assert_eq!(p.message(Lang::En), "PINFL: must be exactly 14 digits");
        let v = AppError::validation(vec![p]).view(Lang::En);
        assert_eq!(v.code, "validation");
        assert_eq!(v.problems[0].field, Some("pinfl"));
    }

    #[test]
    fn every_error_code_used_in_the_core_is_translated() {
        // Every Rust file of the core, read at test time: a new file cannot be forgotten.
        let mut files = Vec::new();
        crate::architecture::rust_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 40, "only {} files under src/", files.len());
        let src = files.iter().map(|f| std::fs::read_to_string(f).expect("read")).collect::<Vec<_>>().join("\n");
        // (call, index of the argument that holds the code)
        let calls =
            [("Problem::error(", 1), ("Problem::warning(", 1), ("AppError::new(", 0), ("Err(\"", 0), ("ok_or(\"", 0)];
        let mut seen = 0;
        for (call, index) in calls {
            let open = call.trim_end_matches('"');
            for chunk in src.split(open).skip(1) {
                let args = chunk.split(')').next().unwrap_or("");
                let Some(arg) = args.split(',').nth(index).map(str::trim) else { continue };
                let Some(code) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')) else { continue };
                assert!(crate::i18n::has(&format!("errors.{code}")), "errors.{code} is not translated");
                seen += 1;
            }
        }
        assert!(seen > 40, "the scan found only {seen} codes");
    }
}
