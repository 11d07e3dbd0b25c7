//! Employers, job orders, contracts, journeys and fees.

use super::Store;
use crate::error::Result;
use crate::placement::records::{
    Contract, ContractData, ContractStatus, Employer, EmployerData, Fee, FeeData, Job, JobData, Journey,
};
use sqlx::SqliteConnection;

const EMPLOYER_COLUMNS: &str = "id, name, country, city, address, registration_number, contact_person, phone, email, \
    cooperation_number, cooperation_signed_on, cooperation_valid_until, archived_at, created_at, updated_at, version";
const JOB_COLUMNS: &str =
    "j.id, j.employer_id, e.name AS employer_name, j.position, j.places, j.country, j.salary_minor, \
    j.salary_currency, j.hours_per_week, j.term_months, j.housing_paid_by, j.insurance_paid_by, j.travel_paid_by, \
    j.visa_paid_by, j.platform_reference, j.deadline, j.status, j.created_at, j.updated_at, j.version, \
    (SELECT COUNT(*) FROM contracts c WHERE c.job_order_id = j.id AND c.status <> 'cancelled') AS assigned";
const CONTRACT_COLUMNS: &str = "c.id, c.worker_id, w.last_name || ' ' || w.first_name AS worker_name, c.job_order_id, \
    e.name AS employer_name, c.number, c.signed_on, c.starts_on, c.ends_on, c.position, c.salary_minor, \
    c.salary_currency, c.hours_per_week, c.housing_paid_by, c.insurance_paid_by, c.travel_paid_by, c.visa_paid_by, \
    c.registration_number, c.registered_on, c.status, c.status_reason, c.created_at, c.updated_at, c.version";
const CONTRACT_FROM: &str = "FROM contracts c JOIN workers w ON w.id = c.worker_id \
    JOIN job_orders j ON j.id = c.job_order_id JOIN employers e ON e.id = j.employer_id";

pub async fn insert_employer(conn: &mut SqliteConnection, e: &EmployerData, now: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO employers (name, country, city, address, registration_number, contact_person, phone, email, \
         cooperation_number, cooperation_signed_on, cooperation_valid_until, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&e.name)
    .bind(&e.country)
    .bind(&e.city)
    .bind(&e.address)
    .bind(&e.registration_number)
    .bind(&e.contact_person)
    .bind(&e.phone)
    .bind(&e.email)
    .bind(&e.cooperation_number)
    .bind(&e.cooperation_signed_on)
    .bind(&e.cooperation_valid_until)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn employer(conn: &mut SqliteConnection, id: i64) -> Result<Option<Employer>> {
    let sql = format!("SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

pub async fn archive_employer(conn: &mut SqliteConnection, id: i64, now: &str) -> Result<()> {
    sqlx::query("UPDATE employers SET archived_at = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(now)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_job(conn: &mut SqliteConnection, j: &JobData, now: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO job_orders (employer_id, position, places, country, salary_minor, salary_currency, hours_per_week, \
         term_months, housing_paid_by, insurance_paid_by, travel_paid_by, visa_paid_by, platform_reference, deadline, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(j.employer_id)
    .bind(&j.position)
    .bind(j.places)
    .bind(&j.country)
    .bind(j.salary.minor)
    .bind(j.salary.currency.as_str())
    .bind(j.hours_per_week)
    .bind(j.term_months)
    .bind(j.paid_by[0])
    .bind(j.paid_by[1])
    .bind(j.paid_by[2])
    .bind(j.paid_by[3])
    .bind(&j.platform_reference)
    .bind(&j.deadline)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn job(conn: &mut SqliteConnection, id: i64) -> Result<Option<Job>> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM job_orders j JOIN employers e ON e.id = j.employer_id WHERE j.id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

pub async fn set_job_status(conn: &mut SqliteConnection, id: i64, status: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE job_orders SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_contract(conn: &mut SqliteConnection, c: &ContractData, now: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contracts (worker_id, job_order_id, number, signed_on, starts_on, ends_on, position, salary_minor, \
         salary_currency, hours_per_week, housing_paid_by, insurance_paid_by, travel_paid_by, visa_paid_by, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(c.worker_id)
    .bind(c.job_order_id)
    .bind(&c.number)
    .bind(&c.signed_on)
    .bind(&c.starts_on)
    .bind(&c.ends_on)
    .bind(&c.position)
    .bind(c.salary.minor)
    .bind(c.salary.currency.as_str())
    .bind(c.hours_per_week)
    .bind(c.paid_by[0])
    .bind(c.paid_by[1])
    .bind(c.paid_by[2])
    .bind(c.paid_by[3])
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn contract(conn: &mut SqliteConnection, id: i64) -> Result<Option<Contract>> {
    let sql = format!("SELECT {CONTRACT_COLUMNS} {CONTRACT_FROM} WHERE c.id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

pub async fn worker_contracts(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<Contract>> {
    let sql = format!("SELECT {CONTRACT_COLUMNS} {CONTRACT_FROM} WHERE c.worker_id = ? ORDER BY c.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker_id).fetch_all(conn).await?)
}

pub async fn set_contract_status(
    conn: &mut SqliteConnection,
    id: i64,
    status: ContractStatus,
    reason: Option<&str>,
    now: &str,
) -> Result<()> {
    sqlx::query("UPDATE contracts SET status = ?, status_reason = COALESCE(?, status_reason), updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(status)
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn register_contract(conn: &mut SqliteConnection, id: i64, number: &str, on: &str, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET status = 'registered', registration_number = ?, registered_on = ?, updated_at = ?, \
         version = version + 1 WHERE id = ?",
    )
    .bind(number)
    .bind(on)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_journey(
    conn: &mut SqliteConnection,
    worker_id: i64,
    contract_id: i64,
    on: &str,
    route: Option<&str>,
    border: Option<&str>,
    now: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO journeys (worker_id, contract_id, departed_on, route, border_crossing, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(worker_id)
    .bind(contract_id)
    .bind(on)
    .bind(route)
    .bind(border)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn journeys(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<Journey>> {
    Ok(sqlx::query_as(
        "SELECT id, worker_id, contract_id, departed_on, route, border_crossing, returned_on, return_reason \
         FROM journeys WHERE worker_id = ? ORDER BY id",
    )
    .bind(worker_id)
    .fetch_all(conn)
    .await?)
}

pub async fn close_journey(conn: &mut SqliteConnection, id: i64, on: &str, reason: &str) -> Result<()> {
    sqlx::query("UPDATE journeys SET returned_on = ?, return_reason = ? WHERE id = ?")
        .bind(on)
        .bind(reason)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_fee(conn: &mut SqliteConnection, f: &FeeData, now: &str, actor: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO fees (worker_id, paid_by, purpose, amount_minor, currency, paid_on, receipt_number, reason, \
         created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(f.worker_id)
    .bind(f.paid_by)
    .bind(f.purpose)
    .bind(f.amount.minor)
    .bind(f.amount.currency.as_str())
    .bind(&f.paid_on)
    .bind(&f.receipt_number)
    .bind(&f.reason)
    .bind(now)
    .bind(actor)
    .fetch_one(conn)
    .await?)
}

pub async fn fees(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<Fee>> {
    Ok(sqlx::query_as(
        "SELECT id, worker_id, paid_by, purpose, amount_minor, currency, paid_on, receipt_number, reason, created_at, \
         created_by FROM fees WHERE worker_id = ? ORDER BY paid_on, id",
    )
    .bind(worker_id)
    .fetch_all(conn)
    .await?)
}

impl Store {
    pub async fn employers(&self, search: Option<&str>, archived: bool) -> Result<Vec<Employer>> {
        let pattern = format!("%{}%", search.unwrap_or("").trim());
        let sql = format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE (archived_at IS NULL OR ?) AND (name LIKE ? OR \
             cooperation_number LIKE ? OR country LIKE ?) ORDER BY name LIMIT 500"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(archived)
            .bind(&pattern)
            .bind(&pattern)
            .bind(&pattern)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn jobs(&self, employer_id: Option<i64>) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM job_orders j JOIN employers e ON e.id = j.employer_id \
             WHERE (? IS NULL OR j.employer_id = ?) ORDER BY j.id DESC LIMIT 500"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employer_id).bind(employer_id).fetch_all(&self.pool).await?)
    }

    pub async fn contracts(&self, worker_id: Option<i64>, status: Option<&str>) -> Result<Vec<Contract>> {
        let sql = format!(
            "SELECT {CONTRACT_COLUMNS} {CONTRACT_FROM} WHERE (? IS NULL OR c.worker_id = ?) AND (? IS NULL OR c.status = ?) \
             ORDER BY c.id DESC LIMIT 500"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(worker_id)
            .bind(worker_id)
            .bind(status)
            .bind(status)
            .fetch_all(&self.pool)
            .await?)
    }
}

/// A demo contract with its journey and fees, inserted in bulk by [`insert_demo`].
pub struct DemoContract {
    pub worker_id: i64,
    pub job: Job,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub salary_minor: i64,
    pub status: &'static str,
    pub registered_on: Option<String>,
    /// (departed on, returned on)
    pub journey: Option<(String, Option<String>)>,
    /// (paid by, purpose, amount in minor units, currency)
    pub fees: Vec<(&'static str, &'static str, i64, &'static str)>,
}

/// Inserts demo contracts, journeys and fees with multi-row statements in the caller's
/// transaction.
pub async fn insert_demo(conn: &mut SqliteConnection, rows: &[DemoContract], now: &str, actor: &str) -> Result<()> {
    use sqlx::{QueryBuilder, Sqlite};
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM contracts").fetch_one(&mut *conn).await?;
    for (chunk_no, chunk) in rows.chunks(1000).enumerate() {
        let base = first + (chunk_no * 1000) as i64;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO contracts (id, worker_id, job_order_id, number, signed_on, starts_on, ends_on, position, salary_minor, \
             salary_currency, hours_per_week, housing_paid_by, insurance_paid_by, travel_paid_by, visa_paid_by, \
             registration_number, registered_on, status, created_at, updated_at) ",
        );
        q.push_values(chunk.iter().enumerate(), |mut s, (i, c)| {
            let id = base + i as i64;
            s.push_bind(id)
                .push_bind(c.worker_id)
                .push_bind(c.job.id)
                .push_bind(format!("DEMO-{id:07}"))
                .push_bind(&c.signed_on)
                .push_bind(&c.starts_on)
                .push_bind(&c.ends_on)
                .push_bind(&c.job.position)
                .push_bind(c.salary_minor)
                .push_bind(&c.job.salary_currency)
                .push_bind(c.job.hours_per_week)
                .push_bind(&c.job.housing_paid_by)
                .push_bind(&c.job.insurance_paid_by)
                .push_bind(&c.job.travel_paid_by)
                .push_bind(&c.job.visa_paid_by)
                .push_bind(c.registered_on.as_ref().map(|_| format!("LM-{id:07}")))
                .push_bind(&c.registered_on)
                .push_bind(c.status)
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut *conn).await?;
        let journeys: Vec<(i64, &DemoContract)> =
            chunk.iter().enumerate().filter(|(_, c)| c.journey.is_some()).map(|(i, c)| (base + i as i64, c)).collect();
        if !journeys.is_empty() {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO journeys (worker_id, contract_id, departed_on, route, returned_on, return_reason, created_at) ",
            );
            q.push_values(journeys, |mut s, (id, c)| {
                let (out, back) = c.journey.clone().unwrap_or_default();
                let reason = back.as_ref().map(|_| "contract_completed");
                s.push_bind(c.worker_id)
                    .push_bind(id)
                    .push_bind(out)
                    .push_bind("TAS")
                    .push_bind(back)
                    .push_bind(reason)
                    .push_bind(now);
            });
            q.build().execute(&mut *conn).await?;
        }
        let fees: Vec<(i64, &'static str, &'static str, i64, &'static str, &str)> = chunk
            .iter()
            .flat_map(|c| {
                c.fees.iter().map(move |(by, purpose, minor, cur)| {
                    (c.worker_id, *by, *purpose, *minor, *cur, c.signed_on.as_str())
                })
            })
            .collect();
        if !fees.is_empty() {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO fees (worker_id, paid_by, purpose, amount_minor, currency, paid_on, receipt_number, created_at, created_by) ",
            );
            q.push_values(fees.iter().enumerate(), |mut s, (i, (w, by, purpose, minor, cur, on))| {
                s.push_bind(*w)
                    .push_bind(*by)
                    .push_bind(*purpose)
                    .push_bind(*minor)
                    .push_bind(*cur)
                    .push_bind(*on)
                    .push_bind(format!("DEMO-R-{base}-{i}"))
                    .push_bind(now)
                    .push_bind(actor);
            });
            q.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

const ATTACHMENT_COLUMNS: &str = "id, contract_id, sha256, kind, size, original_name, added_at, added_by";

#[allow(clippy::too_many_arguments)]
pub async fn insert_attachment(
    conn: &mut SqliteConnection,
    contract_id: i64,
    sha256: &str,
    kind: &str,
    size: i64,
    name: &str,
    at: &str,
    actor: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (contract_id, sha256, kind, size, original_name, added_at, added_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(contract_id)
    .bind(sha256)
    .bind(kind)
    .bind(size)
    .bind(name)
    .bind(at)
    .bind(actor)
    .fetch_one(conn)
    .await?)
}

pub async fn attachments(
    pool: &sqlx::SqlitePool,
    contract_id: i64,
) -> Result<Vec<crate::placement::records::Attachment>> {
    let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE contract_id = ? ORDER BY id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(contract_id).fetch_all(pool).await?)
}

pub async fn attachment(pool: &sqlx::SqlitePool, id: i64) -> Result<Option<crate::placement::records::Attachment>> {
    let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?)
}
