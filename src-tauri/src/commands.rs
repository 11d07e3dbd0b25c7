// Over 600 lines: every Tauri command in one adapter; issue 10 splits it into commands/, one file per area.
//! Tauri commands: thin adapters from IPC to the services. Each one first checks the
//! command × role table (`AppState::authorize`), then calls one service method, and
//! translates a failure into `{code, message, …}` in the user's language.

use crate::accounts::{Session, User, UserInput};
use crate::agency::{AdminInput, Agency, AgencyInput};
use crate::audit;
use crate::error::{AppError, ErrorView};
use crate::roster::consent::ConsentInput;
use crate::roster::service::{CheckView, ListView, SavedView, WorkerView};
use crate::roster::{HistoryEntry, ListQuery, WorkerInput};
use crate::store::accounts::AuditQuery;
use crate::{reference, settings, AppState};
use serde::Serialize;
use tauri::State;

type Reply<T> = Result<T, ErrorView>;

/// Runs `f` as `command`: role check first, errors translated last.
macro_rules! guarded {
    ($state:expr, $command:literal, |$session:pat_param| $body:expr) => {{
        let state: &AppState = &$state;
        let lang = state.lang();
        let outcome: Result<_, AppError> = async {
            let $session = state.authorize($command).await?;
            $body
        }
        .await;
        if outcome.is_ok() {
            // A checkpoint that cannot be written now does not undo the command: the next
            // command tries again, and `audit verify` names a checkpoint left behind.
            let _ = state.desk.checkpoint_if_due().await;
        }
        outcome.map_err(|e| e.view(lang))
    }};
}

#[derive(Serialize)]
pub struct AppInfo {
    /// version, build_date, schema_version, data_dir: what `safar --version` prints.
    #[serde(flatten)]
    about: crate::about::About,
    db_path: String,
}

#[derive(Serialize)]
pub struct LanguageView {
    language: &'static str,
}

#[derive(Serialize)]
pub struct AuthStatus {
    initialized: bool,
    agency: Option<Agency>,
    user: Option<User>,
}

#[derive(Serialize)]
pub struct SetupDone {
    agency: Agency,
    user: User,
}

#[derive(Serialize)]
pub struct ExportDone {
    path: String,
}

#[derive(Serialize)]
pub struct AuditPage {
    items: Vec<audit::View>,
    has_more: bool,
}

fn signed_in(session: Option<Session>) -> Result<Session, AppError> {
    session.ok_or_else(|| AppError::new("unauthenticated"))
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    guarded!(state, "app_info", |_s| Ok(AppInfo {
        about: crate::about::About::new(&state.data_dir),
        db_path: state.desk.store.path().display().to_string(),
    }))
}

#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> Reply<LanguageView> {
    guarded!(state, "settings_get", |_s| Ok(LanguageView { language: state.lang().code() }))
}

#[tauri::command]
pub async fn settings_set_language(state: State<'_, AppState>, language: String) -> Reply<LanguageView> {
    guarded!(state, "settings_set_language", |s| {
        let actor = s.map(|s| s.login).unwrap_or_default();
        let lang = settings::set_language(&state.desk, &language, &actor).await?;
        state.set_lang(lang);
        Ok(LanguageView { language: lang.code() })
    })
}

#[tauri::command]
pub async fn reference_data(state: State<'_, AppState>) -> Reply<reference::ReferenceData> {
    guarded!(state, "reference_data", |_s| Ok(reference::data(state.lang())))
}

#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> Reply<AuthStatus> {
    guarded!(state, "auth_status", |s| {
        let status = state.desk.setup_status().await?;
        let user = match s {
            Some(s) => Some(state.desk.me(&s).await?),
            None => None,
        };
        Ok(AuthStatus { initialized: status.initialized, agency: status.agency, user })
    })
}

#[tauri::command]
pub async fn setup_init(state: State<'_, AppState>, agency: AgencyInput, admin: AdminInput) -> Reply<SetupDone> {
    guarded!(state, "setup_init", |_s| {
        let (agency, session) = state.desk.init(&agency, &admin).await?;
        let user = state.desk.me(&session).await?;
        state.set_session(Some(session));
        Ok(SetupDone { agency, user })
    })
}

#[tauri::command]
pub async fn auth_login(state: State<'_, AppState>, login: String, password: String) -> Reply<User> {
    guarded!(state, "auth_login", |_s| {
        let session = state.desk.login(&login, &password).await?;
        let user = state.desk.me(&session).await?;
        state.set_session(Some(session));
        Ok(user)
    })
}

#[tauri::command]
pub async fn auth_logout(state: State<'_, AppState>) -> Reply<()> {
    guarded!(state, "auth_logout", |s| {
        if let Some(s) = s {
            state.set_session(None);
            state.desk.logout(&s).await?;
        }
        Ok(())
    })
}

#[tauri::command]
pub async fn auth_change_password(state: State<'_, AppState>, old_password: String, new_password: String) -> Reply<()> {
    guarded!(state, "auth_change_password", |s| {
        state.desk.change_password(&signed_in(s)?, &old_password, &new_password).await
    })
}

#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> Reply<Vec<User>> {
    guarded!(state, "users_list", |_s| state.desk.users().await)
}

#[tauri::command]
pub async fn users_add(state: State<'_, AppState>, input: UserInput) -> Reply<User> {
    guarded!(state, "users_add", |s| state.desk.add_user(&input, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_disable(state: State<'_, AppState>, id: i64) -> Reply<User> {
    guarded!(state, "users_disable", |s| state.desk.set_user_disabled(id, true, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_enable(state: State<'_, AppState>, id: i64) -> Reply<User> {
    guarded!(state, "users_enable", |s| state.desk.set_user_disabled(id, false, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn users_set_role(state: State<'_, AppState>, id: i64, role: String) -> Reply<User> {
    guarded!(state, "users_set_role", |s| state.desk.set_user_role(id, &role, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn agency_get(state: State<'_, AppState>) -> Reply<Agency> {
    guarded!(state, "agency_get", |_s| state.desk.agency().await)
}

#[tauri::command]
pub async fn agency_update(state: State<'_, AppState>, version: i64, agency: AgencyInput) -> Reply<Agency> {
    guarded!(state, "agency_update", |s| state.desk.update_agency(version, &agency, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, query: AuditQuery) -> Reply<AuditPage> {
    guarded!(state, "audit_list", |_s| {
        let (rows, has_more) = state.desk.store.audit(&query).await?;
        Ok(AuditPage { items: rows.into_iter().map(audit::View::from).collect(), has_more })
    })
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Reply<audit::Verdict> {
    guarded!(state, "audit_verify", |_s| state.desk.verify_audit(None).await)
}

#[tauri::command]
pub async fn workers_list(state: State<'_, AppState>, query: ListQuery) -> Reply<ListView> {
    guarded!(state, "workers_list", |_s| state.desk.list(&query, state.lang()).await)
}

#[tauri::command]
pub async fn workers_get(state: State<'_, AppState>, id: i64) -> Reply<WorkerView> {
    guarded!(state, "workers_get", |_s| state.desk.get_view(id, state.lang()).await)
}

#[tauri::command]
pub async fn workers_check(state: State<'_, AppState>, input: WorkerInput, id: Option<i64>) -> Reply<CheckView> {
    guarded!(state, "workers_check", |_s| state.desk.check(&input, id, state.lang()).await)
}

#[tauri::command]
pub async fn workers_history(state: State<'_, AppState>, id: i64) -> Reply<Vec<HistoryEntry>> {
    guarded!(state, "workers_history", |_s| state.desk.history(id).await)
}

#[tauri::command]
pub async fn workers_audit(state: State<'_, AppState>, id: i64) -> Reply<Vec<audit::View>> {
    guarded!(state, "workers_audit", |_s| state.desk.worker_audit(id).await)
}

#[tauri::command]
pub async fn workers_create(state: State<'_, AppState>, input: WorkerInput) -> Reply<SavedView> {
    guarded!(state, "workers_create", |s| {
        let (worker, warnings) = state.desk.create(&input, &signed_in(s)?.login).await?;
        state.saved(worker, warnings).await
    })
}

#[tauri::command]
pub async fn workers_update(state: State<'_, AppState>, id: i64, version: i64, input: WorkerInput) -> Reply<SavedView> {
    guarded!(state, "workers_update", |s| {
        let (worker, warnings) = state.desk.update(id, version, &input, &signed_in(s)?.login).await?;
        state.saved(worker, warnings).await
    })
}

#[tauri::command]
pub async fn workers_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
    reason: String,
) -> Reply<WorkerView> {
    guarded!(state, "workers_set_status", |s| {
        state.desk.set_status(id, &status, &reason, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_archive(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    guarded!(state, "workers_archive", |s| {
        state.desk.archive(id, &reason.unwrap_or_default(), &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_restore(state: State<'_, AppState>, id: i64, reason: Option<String>) -> Reply<WorkerView> {
    guarded!(state, "workers_restore", |s| {
        state.desk.restore(id, &reason.unwrap_or_default(), &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_consent_add(state: State<'_, AppState>, id: i64, consent: ConsentInput) -> Reply<WorkerView> {
    guarded!(state, "workers_consent_add", |s| {
        state.desk.add_consent(id, &consent, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_consent_withdraw(state: State<'_, AppState>, id: i64, reason: String) -> Reply<WorkerView> {
    guarded!(state, "workers_consent_withdraw", |s| {
        state.desk.withdraw_consent(id, &reason, &signed_in(s)?.login).await?;
        state.desk.get_view(id, state.lang()).await
    })
}

#[tauri::command]
pub async fn workers_export(state: State<'_, AppState>, id: i64) -> Reply<ExportDone> {
    guarded!(state, "workers_export", |s| {
        let dir = state.data_dir.join("exports");
        let path = state.desk.export_worker(id, &dir, None, &signed_in(s)?.login).await?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

impl AppState {
    async fn saved(
        &self,
        worker: crate::roster::Worker,
        warnings: Vec<crate::error::Problem>,
    ) -> Result<SavedView, AppError> {
        let lang = self.lang();
        Ok(SavedView {
            worker: self.desk.get_view(worker.id, lang).await?,
            warnings: warnings.iter().map(|p| p.view(lang)).collect(),
        })
    }
}

// ---------------------------------------------------------------- placements

use crate::placement::service::{ContractView, Employer, FeeView, JobView, Journey};
use crate::placement::{ContractInput, EmployerInput, FeeInput, JobInput};

#[tauri::command]
pub async fn employers_add(state: State<'_, AppState>, input: EmployerInput) -> Reply<Employer> {
    guarded!(state, "employers_add", |s| state.desk.add_employer(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn employers_list(
    state: State<'_, AppState>,
    search: Option<String>,
    archived: Option<bool>,
) -> Reply<Vec<Employer>> {
    guarded!(state, "employers_list", |_s| state
        .desk
        .store
        .employers(search.as_deref(), archived.unwrap_or(false))
        .await)
}

#[tauri::command]
pub async fn employers_get(state: State<'_, AppState>, id: i64) -> Reply<Employer> {
    guarded!(state, "employers_get", |_s| state.desk.employer(id).await)
}

#[tauri::command]
pub async fn employers_archive(state: State<'_, AppState>, id: i64) -> Reply<Employer> {
    guarded!(state, "employers_archive", |s| state.desk.archive_employer(id, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn jobs_add(state: State<'_, AppState>, input: JobInput) -> Reply<JobView> {
    guarded!(state, "jobs_add", |s| state.desk.add_job(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn jobs_list(state: State<'_, AppState>, employer_id: Option<i64>) -> Reply<Vec<JobView>> {
    guarded!(state, "jobs_list", |_s| state.desk.jobs(employer_id).await)
}

#[tauri::command]
pub async fn jobs_get(state: State<'_, AppState>, id: i64) -> Reply<JobView> {
    guarded!(state, "jobs_get", |_s| state.desk.job(id).await)
}

#[tauri::command]
pub async fn contracts_add(state: State<'_, AppState>, input: ContractInput) -> Reply<ContractView> {
    guarded!(state, "contracts_add", |s| state.desk.add_contract(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn contracts_list(
    state: State<'_, AppState>,
    worker_id: Option<i64>,
    status: Option<String>,
) -> Reply<Vec<ContractView>> {
    guarded!(state, "contracts_list", |_s| state.desk.contracts(worker_id, status.as_deref()).await)
}

#[tauri::command]
pub async fn contracts_get(state: State<'_, AppState>, id: i64) -> Reply<ContractView> {
    guarded!(state, "contracts_get", |_s| state.desk.contract(id).await)
}

#[tauri::command]
pub async fn contracts_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: String,
    reason: Option<String>,
) -> Reply<ContractView> {
    guarded!(state, "contracts_set_status", |s| {
        state.desk.set_contract_status(id, &status, &reason.unwrap_or_default(), &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn contracts_register(
    state: State<'_, AppState>,
    id: i64,
    number: String,
    date: String,
) -> Reply<ContractView> {
    guarded!(state, "contracts_register", |s| state
        .desk
        .register_contract(id, &number, &date, &signed_in(s)?.login)
        .await)
}

#[tauri::command]
pub async fn workers_depart(
    state: State<'_, AppState>,
    id: i64,
    date: String,
    route: Option<String>,
    border_crossing: Option<String>,
) -> Reply<Journey> {
    guarded!(state, "workers_depart", |s| {
        state.desk.depart(id, &date, route.as_deref(), border_crossing.as_deref(), &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn workers_return(state: State<'_, AppState>, id: i64, date: String, reason: String) -> Reply<Journey> {
    guarded!(state, "workers_return", |s| state.desk.return_home(id, &date, &reason, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn workers_journeys(state: State<'_, AppState>, id: i64) -> Reply<Vec<Journey>> {
    guarded!(state, "workers_journeys", |_s| state.desk.journeys(id).await)
}

#[tauri::command]
pub async fn fees_add(state: State<'_, AppState>, input: FeeInput) -> Reply<FeeView> {
    guarded!(state, "fees_add", |s| state.desk.add_fee(&input, &signed_in(s)?).await)
}

#[tauri::command]
pub async fn fees_list(state: State<'_, AppState>, worker_id: i64) -> Reply<Vec<FeeView>> {
    guarded!(state, "fees_list", |_s| state.desk.fees(worker_id).await)
}

use crate::placement::attachments::{self, Attachment};

#[tauri::command]
pub async fn contracts_attach(state: State<'_, AppState>, id: i64, name: String, data: String) -> Reply<Attachment> {
    guarded!(state, "contracts_attach", |s| {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| AppError::new("attachment_type").on("file"))?;
        state.desk.attach(id, &name, &bytes, &state.data_dir.join("attachments"), &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn contracts_attachments(state: State<'_, AppState>, id: i64) -> Reply<Vec<Attachment>> {
    guarded!(state, "contracts_attachments", |_s| state.desk.attachments(id).await)
}

#[tauri::command]
pub async fn attachments_open(state: State<'_, AppState>, id: i64) -> Reply<()> {
    guarded!(state, "attachments_open", |_s| {
        let a = state.desk.attachment(id).await?;
        attachments::open_with_system_viewer(&attachments::file_path(&state.data_dir.join("attachments"), &a))
    })
}

#[tauri::command]
pub async fn fees_statement(state: State<'_, AppState>, worker_id: i64, open: Option<bool>) -> Reply<ExportDone> {
    guarded!(state, "fees_statement", |s| {
        let stamp = crate::clock::stamp(state.desk.clock.now()).replace([':', '.'], "-");
        let path = state.data_dir.join("exports").join(format!("statement-{worker_id}-{stamp}.pdf"));
        state.desk.fee_statement(worker_id, &path, state.lang(), &signed_in(s)?.login).await?;
        if open.unwrap_or(false) {
            attachments::open_with_system_viewer(&path)?;
        }
        Ok(ExportDone { path: path.display().to_string() })
    })
}

#[tauri::command]
pub async fn settings_list(state: State<'_, AppState>) -> Reply<Vec<(String, i64)>> {
    guarded!(state, "settings_list", |_s| crate::settings::list(&state.desk).await)
}

#[tauri::command]
pub async fn settings_change(state: State<'_, AppState>, key: String, value: String) -> Reply<i64> {
    guarded!(state, "settings_change", |s| crate::settings::change(&state.desk, &key, &value, &signed_in(s)?.login)
        .await)
}

// ---------------------------------------------------------------- training

use crate::certificates::print::JobView as PrintJob;
use crate::certificates::service::Verification;
use crate::certificates::Config as CertificateConfig;
use crate::store::training::{Certificate, Cohort};
use crate::training::service::{CohortView, CourseView, Refusal, Trainee};
use crate::training::{CohortInput, CourseInput};

/// A worker a request could not act on, with the reason in the user's language.
#[derive(Serialize)]
pub struct RefusalView {
    worker_id: i64,
    code: &'static str,
    message: String,
}

fn refusals(list: Vec<Refusal>, lang: crate::i18n::Lang) -> Vec<RefusalView> {
    list.into_iter()
        .map(|r| RefusalView { worker_id: r.worker_id, code: r.error.code, message: r.error.message(lang) })
        .collect()
}

#[derive(Serialize)]
pub struct EnrollView {
    enrolled: Vec<i64>,
    refused: Vec<RefusalView>,
}

#[derive(Serialize)]
pub struct IssueView {
    issued: Vec<Certificate>,
    refused: Vec<RefusalView>,
}

#[derive(Serialize)]
pub struct PreviewView {
    svg: String,
    certificate: Certificate,
}

#[derive(Serialize)]
pub struct PublicKeyView {
    text: String,
    /// The key file's text as a QR code (SVG), for another office to scan.
    qr_svg: String,
    path: String,
}

#[tauri::command]
pub async fn courses_list(state: State<'_, AppState>) -> Reply<Vec<CourseView>> {
    guarded!(state, "courses_list", |_s| state.desk.courses().await)
}

#[tauri::command]
pub async fn courses_add(state: State<'_, AppState>, input: CourseInput) -> Reply<CourseView> {
    guarded!(state, "courses_add", |s| state.desk.add_course(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn cohorts_list(state: State<'_, AppState>, course_id: Option<i64>) -> Reply<Vec<Cohort>> {
    guarded!(state, "cohorts_list", |_s| state.desk.cohorts(course_id).await)
}

#[tauri::command]
pub async fn cohorts_get(state: State<'_, AppState>, id: i64) -> Reply<CohortView> {
    guarded!(state, "cohorts_get", |_s| state.desk.cohort(id).await)
}

#[tauri::command]
pub async fn cohorts_add(state: State<'_, AppState>, input: CohortInput) -> Reply<CohortView> {
    guarded!(state, "cohorts_add", |s| state.desk.add_cohort(&input, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn training_enroll(state: State<'_, AppState>, cohort_id: i64, worker_ids: Vec<i64>) -> Reply<EnrollView> {
    guarded!(state, "training_enroll", |s| {
        let (enrolled, refused) = state.desk.enroll(cohort_id, &worker_ids, &signed_in(s)?.login).await?;
        Ok(EnrollView { enrolled, refused: refusals(refused, state.lang()) })
    })
}

#[tauri::command]
pub async fn training_attend(
    state: State<'_, AppState>,
    cohort_id: i64,
    session_id: i64,
    worker_ids: Vec<i64>,
    present: bool,
) -> Reply<CohortView> {
    guarded!(state, "training_attend", |s| {
        state.desk.attend(cohort_id, session_id, &worker_ids, present, &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn training_score(
    state: State<'_, AppState>,
    cohort_id: i64,
    worker_id: i64,
    score: String,
) -> Reply<Trainee> {
    guarded!(state, "training_score", |s| state.desk.score(cohort_id, worker_id, &score, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn certificates_issue(
    state: State<'_, AppState>,
    cohort_id: i64,
    worker_id: Option<i64>,
) -> Reply<IssueView> {
    guarded!(state, "certificates_issue", |s| {
        let out = state.desk.issue_certificates(cohort_id, worker_id, &signed_in(s)?.login).await?;
        Ok(IssueView { issued: out.issued, refused: refusals(out.refused, state.lang()) })
    })
}

#[tauri::command]
pub async fn certificates_list(
    state: State<'_, AppState>,
    search: Option<String>,
    status: Option<String>,
    worker_id: Option<i64>,
) -> Reply<Vec<Certificate>> {
    guarded!(state, "certificates_list", |_s| match worker_id {
        Some(id) => state.desk.worker_certificates(id).await,
        None => state.desk.certificates(search.as_deref(), status.as_deref(), 500).await,
    })
}

#[tauri::command]
pub async fn certificates_get(state: State<'_, AppState>, number: String) -> Reply<Certificate> {
    guarded!(state, "certificates_get", |_s| state.desk.certificate(&number).await)
}

#[tauri::command]
pub async fn certificates_revoke(state: State<'_, AppState>, number: String, reason: String) -> Reply<Certificate> {
    guarded!(state, "certificates_revoke", |s| {
        state.desk.revoke_certificate(&number, &reason, &signed_in(s)?.login).await
    })
}

#[tauri::command]
pub async fn certificates_preview(state: State<'_, AppState>, number: String) -> Reply<PreviewView> {
    guarded!(state, "certificates_preview", |_s| {
        let certificate = state.desk.certificate(&number).await?;
        let (sheets, logo) = state.desk.sheets_of(std::slice::from_ref(&certificate.number), true).await?;
        let sheet = sheets.into_iter().next().ok_or_else(|| AppError::internal("sheet"))?;
        let svg = crate::certificates::pdf::preview_svg(&sheet, logo.is_some());
        Ok(PreviewView { svg, certificate })
    })
}

/// Starts printing: the given certificates, or every valid one of a cohort, into one
/// file (`single_file`) or one file each, under the data folder's `exports/`.
#[tauri::command]
pub async fn certificates_print(
    state: State<'_, AppState>,
    numbers: Option<Vec<String>>,
    cohort_id: Option<i64>,
    single_file: bool,
) -> Reply<PrintJob> {
    guarded!(state, "certificates_print", |_s| {
        let numbers = state.desk.printable(numbers, cohort_id).await?;
        let (sheets, logo) = state.desk.sheets(&numbers).await?;
        let stamp = crate::clock::stamp(state.desk.clock.now()).replace([':', '.'], "-");
        let name = match cohort_id {
            Some(id) => format!("cohort-{id}-{stamp}"),
            None => format!("certificates-{stamp}"),
        };
        let dir = state.data_dir.join("exports").join(&name);
        let single = single_file.then(|| format!("{name}.pdf"));
        let id = state.print_jobs.start(sheets, logo, dir, single);
        state.print_jobs.view(id)
    })
}

#[tauri::command]
pub async fn certificates_print_status(state: State<'_, AppState>, job: u64, open: Option<bool>) -> Reply<PrintJob> {
    guarded!(state, "certificates_print_status", |_s| {
        let view = state.print_jobs.view(job)?;
        if open.unwrap_or(false) {
            if let Some(first) = view.paths.first() {
                attachments::open_with_system_viewer(std::path::Path::new(first))?;
            }
        }
        Ok(view)
    })
}

#[tauri::command]
pub async fn certificates_print_cancel(state: State<'_, AppState>, job: u64) -> Reply<PrintJob> {
    guarded!(state, "certificates_print_cancel", |_s| state.print_jobs.cancel(job))
}

#[tauri::command]
pub async fn certificates_verify(
    state: State<'_, AppState>,
    code: String,
    pinfl: Option<String>,
) -> Reply<Verification> {
    guarded!(state, "certificates_verify", |_s| {
        let mut v = state.desk.verify(code.as_bytes(), &[]).await?;
        state.desk.check_holder(&mut v, pinfl.as_deref()).await?;
        Ok(v)
    })
}

/// Verifies a PDF certificate or an image of its QR code, sent as base64.
#[tauri::command]
pub async fn certificates_verify_file(state: State<'_, AppState>, data: String) -> Reply<Verification> {
    guarded!(state, "certificates_verify_file", |_s| {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| AppError::new("file_unreadable").on("file"))?;
        if bytes.len() > 20 * 1024 * 1024 {
            return Err(AppError::new("file_too_big").on("file").with("max", "20 MiB"));
        }
        state.desk.verify(&bytes, &[]).await
    })
}

#[tauri::command]
pub async fn certificates_public_key(state: State<'_, AppState>) -> Reply<PublicKeyView> {
    guarded!(state, "certificates_public_key", |_s| {
        let (text, path) = state.desk.export_public_key(&state.data_dir.join("exports")).await?;
        let svg = crate::certificates::qr::Matrix::encode(text.trim())?.svg();
        Ok(PublicKeyView { text, qr_svg: svg, path: path.display().to_string() })
    })
}

#[tauri::command]
pub async fn certificates_trust_key(state: State<'_, AppState>, text: String) -> Reply<String> {
    guarded!(state, "certificates_trust_key", |s| state.desk.trust_key(&text, &signed_in(s)?.login).await)
}

#[tauri::command]
pub async fn certificates_config(state: State<'_, AppState>) -> Reply<CertificateConfig> {
    guarded!(state, "certificates_config", |_s| state.desk.certificate_config().await)
}

#[tauri::command]
pub async fn certificates_config_set(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Reply<CertificateConfig> {
    guarded!(state, "certificates_config_set", |s| {
        state.desk.set_certificate_setting(&key, &value, &signed_in(s)?.login).await
    })
}

// ---------------------------------------------------------------- import and export

use crate::import::{columns::Column, read::Source, ImportOptions, Report};

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

#[derive(Serialize)]
pub struct ImportProgress {
    done: usize,
    total: usize,
    added: usize,
    updated: usize,
    finished: bool,
}

/// An import between its preview and its last batch. Held in memory only: a restart
/// forgets it and the user previews again.
pub struct PendingImport {
    token: u64,
    plan: std::sync::Arc<crate::import::Plan>,
    done: usize,
    added: usize,
    updated: usize,
}

fn pending(state: &AppState) -> std::sync::MutexGuard<'_, Option<PendingImport>> {
    state.imports.lock().unwrap_or_else(|e| e.into_inner())
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
        let mut plan = state.desk.import_plan(&name, &bytes, &options, lang).await?;
        if plan.source.encoding_guessed {
            let p = crate::error::Problem::warning("encoding", "encoding_guessed")
                .with("encoding", plan.source.encoding.unwrap_or(""));
            plan.warnings.insert(
                0,
                crate::import::RowProblem {
                    row: 0,
                    field: Some("encoding".into()),
                    code: p.code,
                    message: p.reason(lang),
                    severity: p.severity,
                },
            );
        }
        // Below 2^53: the window holds it as a JavaScript number.
        let token = fastrand::u64(1..1 << 53);
        let view = ImportPreview {
            token,
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
        *pending(&state) =
            Some(PendingImport { token, plan: std::sync::Arc::new(plan), done: 0, added: 0, updated: 0 });
        Ok(view)
    })
}

/// Commits the next `batch` rows of the previewed import as one transaction. The window
/// calls it until `finished`; stopping between calls leaves only whole batches.
#[tauri::command]
pub async fn import_commit(state: State<'_, AppState>, token: u64, batch: Option<usize>) -> Reply<ImportProgress> {
    guarded!(state, "import_commit", |s| {
        let actor = signed_in(s)?.login;
        let (plan, done) = match pending(&state).as_ref() {
            Some(p) if p.token == token => (p.plan.clone(), p.done),
            _ => return Err(AppError::new("import_expired")),
        };
        if plan.blocked() {
            return Err(AppError::new("import_strict_refused").with("rows", plan.refused_rows()));
        }
        let writes = plan.writes();
        let size = batch.filter(|b| *b > 0).unwrap_or(writes.len().max(1));
        let batches = writes.len().div_ceil(size).max(1);
        let end = (done + size).min(writes.len());
        let (added, updated) =
            state.desk.import_batch(&plan, &writes[done..end], (done / size + 1, batches), &actor).await?;
        let mut guard = pending(&state);
        let Some(p) = guard.as_mut().filter(|p| p.token == token) else {
            return Err(AppError::new("import_expired"));
        };
        p.done = end;
        p.added += added;
        p.updated += updated;
        Ok(ImportProgress {
            done: end,
            total: writes.len(),
            added: p.added,
            updated: p.updated,
            finished: end >= writes.len(),
        })
    })
}

/// Saves the previewed import's report (refused rows, warnings, duplicates) as XLSX in
/// the exports folder.
#[tauri::command]
pub async fn import_report(state: State<'_, AppState>, token: u64) -> Reply<ExportDone> {
    guarded!(state, "import_report", |_s| {
        let plan = match pending(&state).as_ref() {
            Some(p) if p.token == token => p.plan.clone(),
            _ => return Err(AppError::new("import_expired")),
        };
        let sheet = crate::import::export::report_sheet(&plan, state.lang());
        let path = export_path(&state, "import-report", "xlsx")?;
        crate::import::export::write(&sheet, &path, crate::import::export::FileKind::Xlsx)?;
        Ok(ExportDone { path: path.display().to_string() })
    })
}

/// A new file name in the exports folder: `<what>-<time>.<ext>`.
fn export_path(state: &AppState, what: &str, ext: &str) -> Result<std::path::PathBuf, AppError> {
    let dir = state.data_dir.join("exports");
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
        crate::import::export::write(&sheet, &path, crate::import::export::FileKind::Xlsx)?;
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

// ---------------------------------------------------------------- backups (issue 11)

mod backup;
pub use backup::*;
