// Over 600 lines: the import plan, duplicates, the capped report and the batched commit, one pipeline read top to bottom.
//! Importing workers from the spreadsheets agencies keep: read (`read`), find the columns
//! (`columns`), read values as people type them (`values`), validate every row with the
//! roster's own validator, find duplicates in the file and in the database, then commit
//! in one transaction or in all-or-nothing batches. Exports live in `export`.

pub mod columns;
pub mod export;
pub mod read;
pub mod session;
pub mod values;

use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Problem, Result, Severity};
use crate::i18n::{t, Lang};
use crate::roster::consent::{self, ConsentData, ConsentInput};
use crate::roster::service::AUDITED_FIELDS;
use crate::roster::status::Status;
use crate::roster::validate::validate;
use crate::roster::WorkerData;
use crate::store::imports as iq;
use crate::store::workers::{self as wq, BulkWorker};
use columns::Column;
use read::{Source, Table};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use values::SlashOrder;

/// What to do with a row whose PINFL or passport is already in the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    #[default]
    Skip,
    Update,
    /// Only for a same-name-and-birth match (not the same documents): add him anyway.
    Add,
}

/// The user's choices for one import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportOptions {
    /// field → header (or column letter / number); an empty header unmaps the field.
    pub mapping: BTreeMap<String, String>,
    /// Text encoding label (`windows-1251`, `utf-16le`…) instead of detection.
    pub encoding: Option<String>,
    /// Refuse the whole file if any row is refused.
    pub strict: bool,
    /// For rows matching an existing worker by PINFL or passport.
    pub on_duplicate: OnDuplicate,
    /// Per file row number: overrides `on_duplicate`.
    pub decisions: BTreeMap<usize, OnDuplicate>,
    /// The consent the agency holds on paper for the workers of this file (per-row
    /// consent columns override its dates). Absent: given today, for two years.
    pub consent: Option<ConsentInput>,
}

/// A refused row's problem, or a warning (row 0: about the whole file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub field: Option<String>,
    pub code: &'static str,
    pub message: String,
    #[serde(skip)]
    pub severity: Severity,
}

/// A row that matches someone: an earlier row of the file or a worker in the database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    pub row: usize,
    pub field: &'static str,
    /// `file` (an earlier row), `database` (same PINFL or passport), `name_birth` (same
    /// sound key of the name (phonetic.rs) and birth date: possibly the same person).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_row: Option<usize>,
    pub name: String,
    pub action: OnDuplicate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Add,
    Update(i64),
    Skip,
}

/// One accepted row, ready to commit.
#[derive(Debug, Clone)]
pub struct Item {
    pub row: usize,
    pub data: WorkerData,
    pub consent: ConsentData,
    pub action: Action,
}

/// Everything the preview shows and the commit needs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    pub sha256: String,
    pub source: Source,
    pub header_row: usize,
    pub columns: Vec<Column>,
    /// `alias` (recognised headers), `saved` (a mapping saved for this shape), `user`.
    pub mapping_source: &'static str,
    pub shape: String,
    pub mapping: BTreeMap<String, String>,
    pub data_rows: usize,
    pub items: Vec<Item>,
    pub refused: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
    pub duplicates: Vec<Duplicate>,
    /// The first rows as text, so the user can see the encoding read them right.
    pub sample: Vec<Vec<String>>,
    pub strict: bool,
}

/// The report lists at most this many refusals, warnings and duplicates of each code (of
/// each kind for duplicates): a file of 200,000 bad rows once made a 236 MB report. The
/// counts stay exact and the saved XLSX report (`export::report_sheet`) lists them all.
pub const REPORT_PER_CODE: usize = 100;

/// The report in the shape the CLI prints (`--json`), the window shows and the audit
/// trail keeps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub added: usize,
    pub updated: usize,
    pub skipped: usize,
    /// At most [`REPORT_PER_CODE`] of each code, in row order.
    pub refused: Vec<RowProblem>,
    /// At most [`REPORT_PER_CODE`] of each kind.
    pub duplicates: Vec<Duplicate>,
    /// At most [`REPORT_PER_CODE`] of each code.
    pub warnings: Vec<RowProblem>,
    /// Every refusal, warning and duplicate by code (kind), listed or not.
    pub counts: Counts,
    /// How many of each list were left out (all zero when the lists are complete).
    pub left_out: LeftOut,
    /// Every column of the file with the field it fills (`null`: not imported).
    pub columns: Vec<columns::ReportColumn>,
    /// Required fields without a column, each with the `--map` that would fix it.
    pub missing: Vec<columns::MissingField>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub refused: BTreeMap<&'static str, usize>,
    pub duplicates: BTreeMap<&'static str, usize>,
    pub warnings: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub refused: usize,
    pub duplicates: usize,
    pub warnings: usize,
}

/// The first [`REPORT_PER_CODE`] of each key, the count of every key, and how many were
/// left out.
fn capped<T: Clone>(list: &[T], key: impl Fn(&T) -> &'static str) -> (Vec<T>, BTreeMap<&'static str, usize>, usize) {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    let mut left_out = 0;
    for x in list {
        let n = counts.entry(key(x)).or_default();
        *n += 1;
        if *n <= REPORT_PER_CODE {
            kept.push(x.clone());
        } else {
            left_out += 1;
        }
    }
    (kept, counts, left_out)
}

impl Report {
    /// One line per code (kind) with entries left out of its list, translated: "… and 1,234
    /// more with the code pinfl_format".
    pub fn left_out_notes(&self, lang: Lang) -> Vec<String> {
        let mut notes = Vec::new();
        for counts in [&self.counts.refused, &self.counts.warnings, &self.counts.duplicates] {
            for (code, n) in counts.iter().filter(|(_, n)| **n > REPORT_PER_CODE) {
                notes.push(t(
                    lang,
                    "import.left_out",
                    &[
                        ("count", (n - REPORT_PER_CODE).to_string()),
                        ("code", code.to_string()),
                        ("max", REPORT_PER_CODE.to_string()),
                    ],
                ));
            }
        }
        notes
    }
}

impl Plan {
    /// Rows refused (not problems: a row can have several).
    pub fn refused_rows(&self) -> usize {
        let mut rows: Vec<usize> = self.refused.iter().map(|p| p.row).filter(|r| *r > 0).collect();
        rows.dedup();
        rows.len()
    }

    pub fn count(&self, what: fn(&Action) -> bool) -> usize {
        self.items.iter().filter(|i| what(&i.action)).count()
    }

    /// Strict mode and a refused row: nothing may be written.
    pub fn blocked(&self) -> bool {
        self.strict && !self.refused.is_empty()
    }

    /// What would happen (preview) or happened (after a full commit).
    pub fn report(&self) -> Report {
        let blocked = self.blocked();
        let (refused, refused_counts, refused_left) = capped(&self.refused, |p| p.code);
        let (warnings, warning_counts, warnings_left) = capped(&self.warnings, |p| p.code);
        let (duplicates, duplicate_counts, duplicates_left) = capped(&self.duplicates, |d| d.kind);
        let (columns, missing) = columns::report(&self.columns);
        Report {
            columns,
            missing,
            added: if blocked { 0 } else { self.count(|a| *a == Action::Add) },
            updated: if blocked { 0 } else { self.count(|a| matches!(a, Action::Update(_))) },
            skipped: if blocked { self.items.len() } else { self.count(|a| *a == Action::Skip) },
            refused,
            duplicates,
            warnings,
            counts: Counts { refused: refused_counts, duplicates: duplicate_counts, warnings: warning_counts },
            left_out: LeftOut { refused: refused_left, duplicates: duplicates_left, warnings: warnings_left },
        }
    }

    /// The rows that will be written, in file order.
    pub fn writes(&self) -> Vec<&Item> {
        if self.blocked() {
            return Vec::new();
        }
        self.items.iter().filter(|i| i.action != Action::Skip).collect()
    }
}

fn total(counts: &BTreeMap<&'static str, usize>) -> usize {
    counts.values().sum()
}

fn row_problem(row: usize, p: &Problem, lang: Lang) -> RowProblem {
    RowProblem { row, field: p.field.map(str::to_string), code: p.code, message: p.message(lang), severity: p.severity }
}

fn file_warning(code: &'static str, field: Option<String>, params: &[(&str, String)], lang: Lang) -> RowProblem {
    let text = t(lang, &format!("errors.{code}"), params);
    let message = match &field {
        Some(f) if crate::i18n::has(&format!("fields.{f}")) => {
            format!("{}: {text}", crate::error::field_label(lang, f))
        }
        Some(h) => format!("“{h}”: {text}"),
        None => text,
    };
    RowProblem { row: 0, field, code, message, severity: Severity::Warning }
}

/// The consent recorded for imported workers when the file and the user give none.
pub fn default_consent(today: chrono::NaiveDate, lang: Lang) -> ConsentInput {
    let until = today.checked_add_months(chrono::Months::new(24)).unwrap_or(today + chrono::Duration::days(730));
    ConsentInput {
        given_on: Some(today.format("%Y-%m-%d").to_string()),
        purpose: Some(t(lang, "import.consent_purpose", &[])),
        valid_until: Some(until.format("%Y-%m-%d").to_string()),
        // A consent assumed from a file does not let data go abroad: that needs the signed
        // consent recorded on the worker's page before a contract is made.
        may_transfer_abroad: Some(false),
        data_list: None,
    }
}

impl Desk {
    /// Reads, maps, validates and checks a file against the database; writes nothing.
    pub async fn import_plan(&self, name: &str, bytes: &[u8], options: &ImportOptions, lang: Lang) -> Result<Plan> {
        let table = read::read(name, bytes, options.encoding.as_deref())?;
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        let mut plan = self.plan_table(name, sha256, table, options, lang).await?;
        // A guessed encoding may read wrong without one invalid byte: the first warning
        // says which was guessed, in the window, the CLI and the saved report alike.
        if plan.source.encoding_guessed {
            let p =
                Problem::warning("encoding", "encoding_guessed").with("encoding", plan.source.encoding.unwrap_or(""));
            let warning = RowProblem {
                row: 0,
                field: Some("encoding".into()),
                code: p.code,
                message: p.reason(lang),
                severity: p.severity,
            };
            plan.warnings.insert(0, warning);
        }
        Ok(plan)
    }

    async fn plan_table(
        &self,
        name: &str,
        sha256: String,
        table: Table,
        options: &ImportOptions,
        lang: Lang,
    ) -> Result<Plan> {
        let today = self.clock.today();
        let Table { source, rows, ignored_columns } = table;
        let hi = columns::header_row(&rows);
        let mut headers: Vec<String> =
            rows.get(hi).map(|r| r.cells.iter().map(columns::cell_text).collect()).unwrap_or_default();
        // Rows end at their last filled cell: a column filled below an empty header is
        // still a column the user can map.
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if headers.len() < width {
            headers.resize(width, String::new());
        }
        let shape = columns::shape(&headers);
        let (mapping, mapping_source) = if !options.mapping.is_empty() {
            (options.mapping.clone(), "user")
        } else {
            match self.store.saved_mapping(&shape).await? {
                Some(saved) => (serde_json::from_str(&saved).unwrap_or_default(), "saved"),
                None => (BTreeMap::new(), "alias"),
            }
        };
        let (cols, unmatched) = columns::map_columns(&headers, &mapping);
        let mut warnings = Vec::new();
        if ignored_columns > 0 {
            warnings.push(file_warning(
                "columns_ignored",
                None,
                &[("count", ignored_columns.to_string()), ("max", read::MAX_COLUMNS.to_string())],
                lang,
            ));
        }
        for field in unmatched {
            let header = mapping.get(&field).cloned().unwrap_or_default();
            warnings.push(file_warning("column_not_found", Some(field), &[("header", header)], lang));
        }
        for c in cols.iter().filter(|c| c.field.is_none() && !c.header.is_empty()) {
            warnings.push(file_warning("column_unknown", Some(c.header.clone()), &[], lang));
        }
        let mapped: Vec<(usize, &'static str)> = cols
            .iter()
            .filter_map(|c| {
                let f = c.field.as_deref()?;
                columns::FIELDS.iter().find(|x| **x == f).map(|x| (c.index, *x))
            })
            .collect();
        for required in columns::REQUIRED.iter().copied() {
            if !mapped.iter().any(|(_, f)| *f == required) {
                warnings.push(file_warning("column_missing", Some(required.to_string()), &[], lang));
            }
        }
        if !mapped.iter().any(|(_, f)| *f == "last_name" || *f == "last_name_cyrillic") {
            warnings.push(file_warning("column_missing", Some("last_name".into()), &[], lang));
        }
        let data = rows.get(hi + 1..).unwrap_or(&[]);

        // Slash dates: learn each date column's order from its unambiguous values.
        let mut orders: HashMap<&'static str, SlashOrder> = HashMap::new();
        for (index, field) in &mapped {
            if matches!(
                *field,
                "birth_date" | "passport_issued" | "passport_expiry" | "consent_given_on" | "consent_valid_until"
            ) {
                let mut o = SlashOrder::Unknown;
                for r in data {
                    if let Some(read::Cell::Text(t)) = r.cells.get(*index) {
                        o = o.learn(t);
                    }
                }
                orders.insert(field, o);
            }
        }
        let order_of = |f: &str| orders.get(f).copied().unwrap_or_default();
        let base_consent = options.consent.clone().unwrap_or_else(|| default_consent(today, lang));
        if options.consent.is_none() && !mapped.iter().any(|(_, f)| *f == "consent_given_on") {
            warnings.push(file_warning(
                "consent_assumed",
                None,
                &[
                    ("date", base_consent.given_on.clone().unwrap_or_default()),
                    ("until", base_consent.valid_until.clone().unwrap_or_default()),
                ],
                lang,
            ));
        }

        let empty = read::Cell::Empty;
        let mut refused = Vec::new();
        let mut accepted: Vec<(usize, WorkerData, ConsentData)> = Vec::new();
        for r in data {
            let cells: Vec<(&'static str, &read::Cell)> =
                mapped.iter().map(|(i, f)| (*f, r.cells.get(*i).unwrap_or(&empty))).collect();
            let ri = values::row_input(&cells, &order_of, source.date1904, &base_consent);
            let mut checked = validate(&ri.input, today);
            // A value the import could not read is reported once, in its own words.
            let unreadable: Vec<Option<&'static str>> =
                ri.problems.iter().filter(|p| p.is_error()).map(|p| p.field).collect();
            let mut problems = ri.problems;
            problems.extend(checked.problems.drain(..).filter(|p| !unreadable.contains(&p.field)));
            let consent = consent::validate(Some(&ri.consent), today, &mut problems);
            match (checked.data.filter(|_| !problems.iter().any(Problem::is_error)), consent) {
                (Some(d), Some(c)) => {
                    warnings.extend(problems.iter().map(|p| row_problem(r.number, p, lang)));
                    accepted.push((r.number, d, c));
                }
                _ => refused.extend(problems.iter().filter(|p| p.is_error()).map(|p| row_problem(r.number, p, lang))),
            }
        }

        // Duplicates: earlier rows of the file first, then the database (batched look-ups).
        let mut conn = self.store.read().await?;
        let pinfls: Vec<&str> = accepted.iter().map(|(_, d, _)| d.pinfl.as_str()).collect();
        let passports: Vec<&str> = accepted.iter().map(|(_, d, _)| d.passport_number.as_str()).collect();
        let by_pinfl = iq::owners(&mut conn, "pinfl", &pinfls).await?;
        let by_passport = iq::owners(&mut conn, "passport_number", &passports).await?;
        let keys: Vec<(String, String)> =
            accepted.iter().map(|(_, d, _)| (d.sound_key(), d.birth_date.clone())).collect();
        let by_name = crate::store::sounds::same_sounds(&mut conn, &keys).await?;
        let held: Vec<i64> = by_pinfl.values().chain(by_passport.values()).map(|(id, _)| *id).collect();
        let archived = iq::archived(&mut conn, &held).await?;
        // Only a PINFL match can become an update (a passport match is refused below).
        let updatable: Vec<i64> = by_pinfl.values().map(|(id, _)| *id).collect();
        let consents = iq::latest_consents(&mut conn, &updatable).await?;
        drop(conn);

        let mut seen_pinfl: HashMap<String, usize> = HashMap::new();
        let mut seen_passport: HashMap<String, usize> = HashMap::new();
        let mut duplicates = Vec::new();
        let mut items = Vec::new();
        for ((row, data, consent), key) in accepted.into_iter().zip(keys) {
            let name = format!("{} {}", data.last_name, data.first_name);
            let decision = options.decisions.get(&row).copied();
            let in_file = seen_pinfl
                .get(&data.pinfl)
                .map(|r| ("pinfl", *r))
                .or_else(|| seen_passport.get(&data.passport_number).map(|r| ("passport_number", *r)));
            if let Some((field, first)) = in_file {
                duplicates.push(Duplicate {
                    row,
                    field,
                    kind: "file",
                    existing_id: None,
                    first_row: Some(first),
                    name,
                    action: OnDuplicate::Skip,
                });
                items.push(Item { row, data, consent, action: Action::Skip });
                continue;
            }
            seen_pinfl.insert(data.pinfl.clone(), row);
            seen_passport.insert(data.passport_number.clone(), row);
            let p = by_pinfl.get(&data.pinfl).map(|(id, _)| *id);
            let q = by_passport.get(&data.passport_number).map(|(id, _)| *id);
            let action = match (p, q) {
                // The passport belongs to a worker with another PINFL (or this PINFL to
                // another worker's passport): a typo or a mixed-up row, never an update that
                // would rewrite someone's PINFL.
                (Some(a), Some(b)) if a != b => {
                    let problem = Problem::error("passport_number", "duplicate_passport")
                        .with("id", b)
                        .with("name", by_passport.get(&data.passport_number).map(|x| x.1.clone()).unwrap_or_default());
                    refused.push(row_problem(row, &problem, lang));
                    continue;
                }
                (None, Some(b)) => {
                    let problem = Problem::error("passport_number", "duplicate_passport")
                        .with("id", b)
                        .with("name", by_passport.get(&data.passport_number).map(|x| x.1.clone()).unwrap_or_default());
                    refused.push(row_problem(row, &problem, lang));
                    continue;
                }
                (Some(id), _) => {
                    let field = "pinfl";
                    let mut choice = match decision.unwrap_or(options.on_duplicate) {
                        OnDuplicate::Update => OnDuplicate::Update,
                        _ => OnDuplicate::Skip,
                    };
                    if choice == OnDuplicate::Update && archived.contains(&id) {
                        // An archived worker comes back through `restore`, with a reason.
                        choice = OnDuplicate::Skip;
                        let problem = Problem::warning(field, "archived").with("id", id);
                        warnings.push(row_problem(row, &problem, lang));
                    }
                    duplicates.push(Duplicate {
                        row,
                        field,
                        kind: "database",
                        existing_id: Some(id),
                        first_row: None,
                        name,
                        action: choice,
                    });
                    // The worker's own consent governs changes to him, as in the commit: a
                    // preview that promised this update would see the commit refuse the
                    // whole batch. The row is refused here; the duplicate stays listed so
                    // the user can choose to skip it instead.
                    if choice == OnDuplicate::Update {
                        if let Err(e) = consent::require_valid(consents.get(&id), today) {
                            let problem =
                                e.params.iter().fold(Problem::error("consent", e.code), |p, (k, v)| p.with(k, v));
                            refused.push(row_problem(row, &problem, lang));
                            continue;
                        }
                    }
                    if choice == OnDuplicate::Update {
                        Action::Update(id)
                    } else {
                        Action::Skip
                    }
                }
                (None, None) => match by_name.get(&key).and_then(|c| c.first()) {
                    Some((id, existing)) => {
                        let choice = match decision {
                            Some(OnDuplicate::Skip) => OnDuplicate::Skip,
                            _ => OnDuplicate::Add,
                        };
                        let problem = Problem::warning("last_name", "possible_duplicate")
                            .with("names", format!("#{id} {existing}"));
                        warnings.push(row_problem(row, &problem, lang));
                        duplicates.push(Duplicate {
                            row,
                            field: "last_name",
                            kind: "name_birth",
                            existing_id: Some(*id),
                            first_row: None,
                            name,
                            action: choice,
                        });
                        if choice == OnDuplicate::Skip {
                            Action::Skip
                        } else {
                            Action::Add
                        }
                    }
                    None => Action::Add,
                },
            };
            items.push(Item { row, data, consent, action });
        }
        refused.sort_by_key(|p| p.row);
        warnings.sort_by_key(|p| p.row);
        let sample = data.iter().take(5).map(|r| r.cells.iter().map(columns::cell_text).collect()).collect();
        Ok(Plan {
            name: name.to_string(),
            sha256,
            source,
            header_row: rows.get(hi).map_or(1, |r| r.number),
            columns: cols,
            mapping_source,
            shape,
            mapping,
            data_rows: data.len(),
            items,
            refused,
            warnings,
            duplicates,
            sample,
            strict: options.strict,
        })
    }

    /// Writes `items` (a slice of the plan's writes) as one all-or-nothing transaction,
    /// with one audit entry for the batch (the first batch's entry carries the report).
    /// Returns (added, updated).
    pub async fn import_batch(
        &self,
        plan: &Plan,
        items: &[&Item],
        batch: (usize, usize),
        actor: &str,
    ) -> Result<(usize, usize)> {
        let mut tx = self.store.write().await?;
        let now = self.now();
        let today = self.clock.today();
        if batch.0 == 1 && plan.mapping_source == "user" {
            iq::save_mapping(&mut tx, &plan.shape, &serde_json::to_string(&plan.mapping)?, &now, actor).await?;
        }
        // Someone may have added a worker since the preview: the documents are checked
        // again inside this transaction, and a clash refuses the batch rather than a row
        // silently changing meaning.
        let adds: Vec<&Item> = items.iter().copied().filter(|i| i.action == Action::Add).collect();
        let pinfls: Vec<&str> = adds.iter().map(|i| i.data.pinfl.as_str()).collect();
        let passports: Vec<&str> = adds.iter().map(|i| i.data.passport_number.as_str()).collect();
        let taken = iq::owners(&mut tx, "pinfl", &pinfls).await?;
        let taken_passports = iq::owners(&mut tx, "passport_number", &passports).await?;
        if let Some(i) = adds
            .iter()
            .find(|i| taken.contains_key(&i.data.pinfl) || taken_passports.contains_key(&i.data.passport_number))
        {
            return Err(AppError::new("import_changed").with("row", i.row));
        }
        let start = wq::next_id(&mut tx).await?;
        let bulk: Vec<BulkWorker> = adds
            .iter()
            .map(|i| BulkWorker {
                data: i.data.clone(),
                status: Status::Registered.code(),
                moves: Vec::new(),
                consent: i.consent.clone(),
                placement: None,
            })
            .collect();
        wq::insert_many(&mut tx, start, &bulk, &now, actor).await?;
        let mut updated = 0;
        for item in items.iter().filter(|i| matches!(i.action, Action::Update(_))) {
            let Action::Update(id) = item.action else { continue };
            let current = wq::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
            // The worker's own consent governs changes to him (the file's is for new ones).
            consent::require_valid(wq::consent(&mut tx, id).await?.as_ref(), today)
                .map_err(|e| e.with("row", item.row))?;
            // The file never erases: a value it leaves empty keeps what the worker has.
            let mut data = item.data.clone();
            let keep = |new: &mut Option<String>, old: &Option<String>| {
                if new.is_none() {
                    new.clone_from(old);
                }
            };
            keep(&mut data.patronymic, &current.patronymic);
            keep(&mut data.last_name_cyrillic, &current.last_name_cyrillic);
            keep(&mut data.first_name_cyrillic, &current.first_name_cyrillic);
            keep(&mut data.patronymic_cyrillic, &current.patronymic_cyrillic);
            keep(&mut data.phone, &current.phone);
            keep(&mut data.destination_country, &current.destination_country);
            keep(&mut data.notes, &current.notes);
            if !wq::update(&mut tx, id, current.version, &data, &now).await? {
                return Err(AppError::new("import_changed").with("row", item.row));
            }
            let after = wq::get_in(&mut tx, id).await?.ok_or_else(|| AppError::not_found(id))?;
            let changes = audit::diff(&serde_json::to_value(&current)?, &serde_json::to_value(&after)?, AUDITED_FIELDS);
            audit::append(&mut tx, &Entry::new(&now, actor, "worker.update").record("worker", id).changes(changes))
                .await?;
            updated += 1;
        }
        let added = adds.len();
        let mut changes = json!({
            "file": plan.name, "sha256": plan.sha256, "batch": batch.0, "batches": batch.1,
            "added": added, "updated": updated,
        });
        if added > 0 {
            changes["first_id"] = json!(start);
            changes["last_id"] = json!(start + added as i64 - 1);
        }
        if batch.0 == 1 {
            // Row numbers, fields and codes only: the trail never holds the file's values.
            let r = plan.report();
            changes["report"] = json!({
                "rows": plan.data_rows, "added": r.added, "updated": r.updated, "skipped": r.skipped,
                "refused": r.refused.iter().map(|p| json!({"row": p.row, "field": p.field, "code": p.code})).collect::<Vec<_>>(),
                "refused_counts": r.counts.refused, "refused_left_out": r.left_out.refused,
                "duplicates": total(&r.counts.duplicates), "warnings": total(&r.counts.warnings),
            });
        }
        audit::append(&mut tx, &Entry::new(&now, actor, "import").changes(changes)).await?;
        tx.commit().await?;
        Ok((added, updated))
    }

    /// Commits a plan: everything in one transaction, or batches of `batch` rows, each
    /// all-or-nothing. Strict plans with refused rows write nothing.
    pub async fn import_commit(&self, plan: &Plan, batch: Option<usize>, actor: &str) -> Result<Report> {
        if plan.blocked() {
            return Err(AppError::new("import_strict_refused").with("rows", plan.refused_rows()));
        }
        let writes = plan.writes();
        let (size, batches) = batching(writes.len(), batch);
        for (k, chunk) in writes.chunks(size).enumerate() {
            self.import_batch(plan, chunk, (k + 1, batches), actor).await?;
        }
        if writes.is_empty() {
            // Nothing to write is still an import attempt worth a line in the trail.
            self.import_batch(plan, &[], (1, 1), actor).await?;
        }
        Ok(plan.report())
    }
}

/// The batch size asked for (none or 0: everything in one batch) and how many batches
/// `total` rows make with it.
pub fn batching(total: usize, batch: Option<usize>) -> (usize, usize) {
    let size = batch.filter(|b| *b > 0).unwrap_or(total.max(1));
    (size, total.div_ceil(size).max(1))
}
