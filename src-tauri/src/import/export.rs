//! Exports: the roster, the contracts and the certificates register, each a function that
//! fills a [`Sheet`] (crate::sheet writes it as XLSX or CSV). An export of the roster is a
//! valid import file.

use crate::error::Result;
use crate::i18n::{t, Lang};
use crate::sheet::{write, FileKind, Kind, Sheet};
use std::path::Path;

/// The worker fields an export writes, in the import template's order: an export is a
/// valid import file.
pub const WORKER_FIELDS: &[(&str, Kind)] = &[
    ("last_name", Kind::Text),
    ("first_name", Kind::Text),
    ("patronymic", Kind::Text),
    ("last_name_cyrillic", Kind::Text),
    ("first_name_cyrillic", Kind::Text),
    ("patronymic_cyrillic", Kind::Text),
    ("birth_date", Kind::Date),
    ("sex", Kind::Text),
    ("pinfl", Kind::Code),
    ("passport_number", Kind::Code),
    ("passport_issued", Kind::Date),
    ("passport_expiry", Kind::Date),
    ("phone", Kind::Code),
    ("region", Kind::Text),
    ("destination_country", Kind::Text),
    ("notes", Kind::Text),
];

pub fn worker_row(w: &crate::roster::Worker, lang: Lang) -> Vec<Option<String>> {
    let region = crate::places::region(&w.region).map(|r| r.name(lang).to_string()).unwrap_or_else(|| w.region.clone());
    let country = w
        .destination_country
        .as_deref()
        .map(|c| crate::places::country(c).map(|p| p.name(lang)).unwrap_or(c).to_string());
    vec![
        Some(w.last_name.clone()),
        Some(w.first_name.clone()),
        w.patronymic.clone(),
        w.last_name_cyrillic.clone(),
        w.first_name_cyrillic.clone(),
        w.patronymic_cyrillic.clone(),
        Some(w.birth_date.clone()),
        Some(w.sex.clone()),
        Some(w.pinfl.clone()),
        Some(w.passport_number.clone()),
        Some(w.passport_issued.clone()),
        Some(w.passport_expiry.clone()),
        w.phone.clone(),
        Some(region),
        country,
        w.notes.clone(),
    ]
}

/// The contracts register's columns.
const CONTRACT_FIELDS: &[(&str, Kind)] = &[
    ("number", Kind::Text),
    ("worker_id", Kind::Number),
    ("full_name", Kind::Text),
    ("name", Kind::Text),
    ("position", Kind::Text),
    ("signed_on", Kind::Date),
    ("starts_on", Kind::Date),
    ("ends_on", Kind::Date),
    ("salary", Kind::Text),
    ("currency", Kind::Text),
    ("hours_per_week", Kind::Number),
    ("status", Kind::Text),
    ("registration_number", Kind::Text),
    ("registered_on", Kind::Date),
];

const CERTIFICATE_FIELDS: &[(&str, Kind)] = &[
    ("certificate_number", Kind::Text),
    ("worker_id", Kind::Number),
    ("full_name", Kind::Text),
    ("course_id", Kind::Text),
    ("issued_on", Kind::Date),
    ("valid_until", Kind::Date),
    ("destination_country", Kind::Text),
    ("score", Kind::Number),
    ("status", Kind::Text),
    ("revoke_reason", Kind::Text),
    ("replaces", Kind::Text),
];

impl crate::desk::Desk {
    /// Writes a sheet and records the export in the audit trail in one transaction: the
    /// entry exists exactly when the file does. Returns the number of rows.
    pub async fn save_export(
        &self,
        kind: &'static str,
        sheet: &Sheet,
        path: &Path,
        semicolon: bool,
        filters: serde_json::Value,
        actor: &str,
    ) -> Result<usize> {
        let format = FileKind::for_path(path, semicolon)?;
        let mut tx = self.store.write().await?;
        let now = self.now();
        let changes = serde_json::json!({"kind": kind, "rows": sheet.rows.len(), "filters": filters,
            "format": if format == FileKind::Xlsx { "xlsx" } else { "csv" }});
        crate::audit::append(&mut tx, &crate::audit::Entry::new(&now, actor, "export").changes(changes)).await?;
        write(sheet, path, format)?;
        tx.commit().await?;
        Ok(sheet.rows.len())
    }

    /// The roster as the list query shows it (search, filters, order; every page).
    pub async fn export_workers(
        &self,
        query: &crate::roster::ListQuery,
        path: &Path,
        semicolon: bool,
        lang: Lang,
        actor: &str,
    ) -> Result<usize> {
        let (q, term) = crate::roster::service::normalize_query(query)?;
        let workers = self.store.workers_matching(&q, &term).await?;
        let mut sheet = Sheet::with_fields(&t(lang, "export.workers_title", &[]), WORKER_FIELDS, lang);
        sheet.headers.push((t(lang, "fields.status", &[]), Kind::Text));
        for w in &workers {
            let mut row = worker_row(w, lang);
            row.push(Some(t(lang, &format!("status.{}", w.status), &[])));
            sheet.push(row);
        }
        // The search text may be a name or a PINFL: the trail notes that there was one.
        let filters = serde_json::json!({"search": q.search.is_some(), "status": q.status, "region": q.region,
            "destination": q.destination, "archived": q.archived});
        self.save_export("workers", &sheet, path, semicolon, filters, actor).await
    }

    /// The contracts register (optionally one worker's, or one status).
    pub async fn export_contracts(
        &self,
        worker: Option<i64>,
        status: Option<&str>,
        path: &Path,
        semicolon: bool,
        lang: Lang,
        actor: &str,
    ) -> Result<usize> {
        let contracts = self.contracts(worker, status).await?;
        let mut sheet = Sheet::with_fields(&t(lang, "export.contracts_title", &[]), CONTRACT_FIELDS, lang);
        for c in &contracts {
            let k = &c.contract;
            sheet.push(vec![
                Some(k.number.clone()),
                Some(k.worker_id.to_string()),
                Some(k.worker_name.clone()),
                Some(k.employer_name.clone()),
                Some(k.position.clone()),
                Some(k.signed_on.clone()),
                Some(k.starts_on.clone()),
                Some(k.ends_on.clone()),
                Some(c.salary_amount.clone()),
                Some(k.salary_currency.clone()),
                Some(k.hours_per_week.to_string()),
                Some(t(lang, &format!("contract_status.{}", k.status), &[])),
                k.registration_number.clone(),
                k.registered_on.clone(),
            ]);
        }
        let filters = serde_json::json!({"worker": worker, "status": status});
        self.save_export("contracts", &sheet, path, semicolon, filters, actor).await
    }

    /// The certificates register (search by number or name, status), newest first.
    pub async fn export_certificates(
        &self,
        search: Option<&str>,
        status: Option<&str>,
        path: &Path,
        semicolon: bool,
        lang: Lang,
        actor: &str,
    ) -> Result<usize> {
        let search = search.map(str::trim).filter(|s| !s.is_empty()).map(crate::names::literal);
        // Every row: the register's screen shows 500, an export has no cap.
        let rows = self.store.certificates(search.as_deref(), status, i64::MAX).await?;
        let mut sheet = Sheet::with_fields(&t(lang, "export.certificates_title", &[]), CERTIFICATE_FIELDS, lang);
        let course = |c: &crate::store::training::Certificate| match lang {
            Lang::UzCyrl => c.course_name_uz_cyrl.clone(),
            Lang::Ru => c.course_name_ru.clone(),
            Lang::En => c.course_name_en.clone(),
            _ => c.course_name.clone(),
        };
        for c in &rows {
            sheet.push(vec![
                Some(c.number.clone()),
                Some(c.worker_id.to_string()),
                Some(c.worker_name.clone()),
                Some(course(c)),
                Some(c.issued_on.clone()),
                Some(c.valid_until.clone()),
                c.destination.clone(),
                Some(c.score.to_string()),
                Some(t(lang, &format!("certificate_status.{}", c.status), &[])),
                c.revoke_reason.clone(),
                c.replaces_number.clone(),
            ]);
        }
        // The search text may be a name: the audit keeps only whether there was one.
        let filters = serde_json::json!({"search": search.is_some(), "status": status});
        self.save_export("certificates", &sheet, path, semicolon, filters, actor).await
    }
}

/// The import template: the worker fields' headers in the UI language, no rows.
pub fn template(lang: Lang) -> Sheet {
    Sheet::with_fields(&t(lang, "export.template_title", &[]), WORKER_FIELDS, lang)
}

/// An import's report as a sheet: every refused row, warning and duplicate.
pub fn report_sheet(plan: &super::Plan, lang: Lang) -> Sheet {
    let h = |k: &str| t(lang, &format!("import.report_{k}"), &[]);
    let mut s = Sheet::new(
        &t(lang, "import.report_title", &[]),
        vec![
            (h("row"), Kind::Number),
            (h("kind"), Kind::Text),
            (h("field"), Kind::Text),
            (h("code"), Kind::Text),
            (h("message"), Kind::Text),
        ],
    );
    for (kind, list) in [("refused", &plan.refused), ("warning", &plan.warnings)] {
        for p in list.iter() {
            s.push(vec![
                Some(p.row.to_string()),
                Some(h(kind)),
                p.field.clone(),
                Some(p.code.to_string()),
                Some(p.message.clone()),
            ]);
        }
    }
    for d in &plan.duplicates {
        let what = match (d.kind, d.existing_id, d.first_row) {
            (_, Some(id), _) => format!("#{id} {}", d.name),
            (_, None, Some(r)) => t(lang, "import.same_as_row", &[("row", r.to_string())]),
            _ => d.name.clone(),
        };
        s.push(vec![
            Some(d.row.to_string()),
            Some(h("duplicate")),
            Some(d.field.to_string()),
            Some(format!("duplicate_{}", d.kind)),
            Some(format!(
                "{what} → {}",
                h(&format!(
                    "action_{}",
                    serde_json::to_value(d.action)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ))
            )),
        ]);
    }
    s
}
