//! Spreadsheets in and out: the import session and the exports.

use super::*;
use crate::error::AppError;
use crate::import::session::Progress;
use crate::import::{columns::Column, read::Source, ImportOptions, Report};
use crate::roster::ListQuery;
use crate::AppState;
use serde::Serialize;
use tauri::State;

/// What the import screen shows before anything is written.
#[derive(Serialize)]
pub struct ImportPreview {
    /// Names this preview for `import_commit` and `import_report`.
    token: u64,
    source: Source,
    header_row: usize,
    columns: Vec<Column>,
    mapping_source: &'static str,
    /// The fields a column can be mapped to.
    fields: &'static [&'static str],
    data_rows: usize,
    refused_rows: usize,
    /// Rows that a commit will write (added + updated).
    writes: usize,
    sample: Vec<Vec<String>>,
    report: Report,
}

/// The file comes as base64 text from the window (read there through `<input type=file>`:
/// no file-system permission is granted to the window).
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    name: String,
    data: String,
    options: Option<ImportOptions>,
) -> Reply<ImportPreview> {
    guarded!(state, "import_preview", |_s| {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| AppError::new("import_unreadable").with("detail", "base64"))?;
        let lang = state.lang();
        let options = options.unwrap_or_default();
        let plan = state.desk.import_plan(&name, &bytes, &options, lang).await?;
        let mut view = ImportPreview {
            token: 0,
            source: plan.source.clone(),
            header_row: plan.header_row,
            columns: plan.columns.clone(),
            mapping_source: plan.mapping_source,
            fields: crate::import::columns::FIELDS,
            data_rows: plan.data_rows,
            refused_rows: plan.refused_rows(),
            writes: plan.writes().len(),
            sample: plan.sample.clone(),
            report: plan.report(),
        };
        view.token = state.imports.start(plan);
        Ok(view)
    })
}

/// Commits the next `batch` rows of the previewed import as one transaction. The window
/// calls it until `finished`; stopping between calls leaves only whole batches.
#[tauri::command]
pub async fn import_commit(state: State<'_, AppState>, token: u64, batch: Option<usize>) -> Reply<Progress> {
    guarded!(state, "import_commit", |s| {
        state.desk.import_next_batch(&state.imports, token, batch, &signed_in(s)?.login).await
    })
}

/// Saves the previewed import's report (refused rows, warnings, duplicates) as XLSX in
/// the exports folder.
#[tauri::command]
pub async fn import_report(state: State<'_, AppState>, token: u64) -> Reply<ExportDone> {
    guarded!(state, "import_report", |_s| {
        let plan = state.imports.plan(token)?;
        let sheet = crate::import::export::report_sheet(&plan, state.lang());
        let path = export_path(&state, "import-report", "xlsx")?;
        crate::sheet::write(&sheet, &path, crate::sheet::FileKind::Xlsx)?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

/// A new file name in the exports folder: `<what>-<time>.<ext>`.
fn export_path(state: &AppState, what: &str, ext: &str) -> Result<std::path::PathBuf, AppError> {
    let dir = state.desk.dir().exports();
    std::fs::create_dir_all(&dir)?;
    let now = crate::clock::stamp(state.desk.clock.now()).replace([':', '.'], "-");
    Ok(dir.join(format!("{what}-{now}.{ext}")))
}

fn export_ext(format: Option<&str>) -> Result<(&'static str, bool), AppError> {
    match format.unwrap_or("xlsx") {
        "xlsx" => Ok(("xlsx", false)),
        "csv" => Ok(("csv", false)),
        "csv;" | "csv_semicolon" => Ok(("csv", true)),
        _ => Err(AppError::new("export_format").on("format")),
    }
}

#[tauri::command]
pub async fn import_template(state: State<'_, AppState>) -> Reply<ExportDone> {
    guarded!(state, "import_template", |_s| {
        let path = export_path(&state, "import-template", "xlsx")?;
        let sheet = crate::import::export::template(state.lang());
        crate::sheet::write(&sheet, &path, crate::sheet::FileKind::Xlsx)?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

/// The roster as the list shows it (the same query, every page) in the exports folder.
#[tauri::command]
pub async fn export_workers(state: State<'_, AppState>, query: ListQuery, format: Option<String>) -> Reply<ExportDone> {
    guarded!(state, "export_workers", |s| {
        let (ext, semicolon) = export_ext(format.as_deref())?;
        let path = export_path(&state, "workers", ext)?;
        state.desk.export_workers(&query, &path, semicolon, state.lang(), &signed_in(s)?.login).await?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

#[tauri::command]
pub async fn export_contracts(
    state: State<'_, AppState>,
    worker_id: Option<i64>,
    status: Option<String>,
    format: Option<String>,
) -> Reply<ExportDone> {
    guarded!(state, "export_contracts", |s| {
        let (ext, semicolon) = export_ext(format.as_deref())?;
        let path = export_path(&state, "contracts", ext)?;
        let actor = signed_in(s)?.login;
        state.desk.export_contracts(worker_id, status.as_deref(), &path, semicolon, state.lang(), &actor).await?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

/// The certificates register (the screen's search and status) in the exports folder.
#[tauri::command]
pub async fn export_certificates(
    state: State<'_, AppState>,
    search: Option<String>,
    status: Option<String>,
    format: Option<String>,
) -> Reply<ExportDone> {
    guarded!(state, "export_certificates", |s| {
        let (ext, semicolon) = export_ext(format.as_deref())?;
        let path = export_path(&state, "certificates", ext)?;
        let actor = signed_in(s)?.login;
        let (search, status) = (search.filter(|x| !x.trim().is_empty()), status.filter(|x| !x.trim().is_empty()));
        state
            .desk
            .export_certificates(search.as_deref(), status.as_deref(), &path, semicolon, state.lang(), &actor)
            .await?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}
