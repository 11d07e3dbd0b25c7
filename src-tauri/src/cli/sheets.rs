//! `safar import|export`: spreadsheets in and out.

use super::workers::Filters;
use super::Ctx;
use crate::error::AppError;
use crate::i18n::t;
use serde_json::json;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Workers,
    Contracts,
    Certificates,
}

/// Export the roster, the contracts or the certificates register to XLSX or CSV.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// The file to write: .xlsx or .csv.
    #[arg(long)]
    pub out: PathBuf,
    /// CSV with `;` (Excel in Russian and Uzbek locales).
    #[arg(long)]
    pub semicolon: bool,
    /// The roster's filters (`--search` and `--status` also filter the certificates
    /// register; `--status` the contracts).
    #[command(flatten)]
    pub filters: Filters,
    /// Contracts: one worker's.
    #[arg(long)]
    pub worker: Option<i64>,
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

impl ExportArgs {
    /// The line of `data/permissions.tsv` this export is checked against.
    pub(super) fn permission(&self) -> &'static str {
        match self.what {
            ExportWhat::Workers => "export_workers",
            ExportWhat::Contracts => "export_contracts",
            ExportWhat::Certificates => "export_certificates",
        }
    }
}

pub(super) async fn export(cx: &Ctx<'_>, args: ExportArgs) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    let ExportArgs { what, out: file, semicolon, filters, worker } = args;
    let count = match what {
        ExportWhat::Workers => desk.export_workers(&filters.query(None)?, &file, semicolon, lang, actor).await?,
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
    Ok(0)
}

/// `safar import`: the report on standard output; exit 0 when it committed (or a dry run
/// found the file acceptable), 2 when the file was refused.
pub(super) async fn import(cx: &Ctx<'_>, args: ImportArgs) -> Result<i32, AppError> {
    let Ctx { state, out, lang, actor, .. } = *cx;
    let desk = &state.desk;
    use crate::import::{export, ImportOptions, OnDuplicate};
    if args.is_template() {
        let path = args.out.clone().unwrap_or_else(|| PathBuf::from("template.xlsx"));
        let format = crate::sheet::FileKind::for_path(&path, false)?;
        crate::sheet::write(&export::template(lang), &path, format)?;
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
    let plan = desk.import_plan(&name, &bytes, &options, lang).await?;
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
