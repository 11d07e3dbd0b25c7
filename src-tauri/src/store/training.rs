// Over 500 lines: the queries of every training table (courses, cohorts, sessions, enrolment, attendance, certificates), one store module per table family.
//! Courses, cohorts, sessions, enrolment, attendance and certificates.

use super::Store;
use crate::error::Result;
use crate::training::{CohortData, CourseData};
use serde::Serialize;
use sqlx::SqliteConnection;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Course {
    pub id: i64,
    pub name_uz: String,
    pub name_uz_cyrl: String,
    pub name_ru: String,
    pub name_en: String,
    pub hours: i64,
    pub modules: String,
    pub pass_mark: i64,
    pub min_attendance_percent: i64,
    pub validity_months: i64,
    pub countries: String,
    pub archived_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Cohort {
    pub id: i64,
    pub course_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub trainer: String,
    pub capacity: i64,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Trainees enrolled.
    pub enrolled: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub cohort_id: i64,
    pub held_on: String,
    pub hours: i64,
}

/// An enrolment with the worker's names and status.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Enrolment {
    pub worker_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub last_name_cyrillic: Option<String>,
    pub first_name_cyrillic: Option<String>,
    pub patronymic_cyrillic: Option<String>,
    pub status: String,
    pub score: Option<i64>,
    pub enrolled_at: String,
    pub birth_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Certificate {
    pub id: i64,
    pub number: String,
    pub prefix: String,
    pub year: i64,
    pub serial: i64,
    pub worker_id: i64,
    pub cohort_id: i64,
    pub issued_on: String,
    pub valid_until: String,
    pub destination: Option<String>,
    pub score: i64,
    pub record: String,
    pub status: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
    pub replaces_id: Option<i64>,
    pub issued_by: String,
    pub created_at: String,
    /// "Last First Patronymic".
    pub worker_name: String,
    /// The course's name in Uzbek Latin, and in the other three languages.
    pub course_name: String,
    pub course_name_uz_cyrl: String,
    pub course_name_ru: String,
    pub course_name_en: String,
    /// The number of the certificate this one replaces.
    pub replaces_number: Option<String>,
    /// The number of the certificate that replaced this one.
    pub replaced_by: Option<String>,
}

/// A certificate about to be written.
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub prefix: &'a str,
    pub year: i64,
    pub serial: i64,
    pub worker_id: i64,
    pub cohort_id: i64,
    pub issued_on: &'a str,
    pub valid_until: &'a str,
    pub destination: Option<&'a str>,
    pub score: i64,
    pub record: &'a str,
    pub replaces_id: Option<i64>,
    pub issued_by: &'a str,
}

const COHORT_COLUMNS: &str = "c.id, c.course_id, c.starts_on, c.ends_on, c.place, c.trainer, c.capacity, \
    c.created_at, c.updated_at, c.version, (SELECT COUNT(*) FROM enrolments e WHERE e.cohort_id = c.id) AS enrolled";
const CERTIFICATE_COLUMNS: &str = "c.id, c.number, c.prefix, c.year, c.serial, c.worker_id, c.cohort_id, \
    c.issued_on, c.valid_until, c.destination, c.score, c.record, c.status, c.revoked_at, c.revoked_by, \
    c.revoke_reason, c.replaces_id, c.issued_by, c.created_at, \
    w.last_name || ' ' || w.first_name || COALESCE(' ' || w.patronymic, '') AS worker_name, \
    k.name_uz AS course_name, k.name_uz_cyrl AS course_name_uz_cyrl, k.name_ru AS course_name_ru, \
    k.name_en AS course_name_en, \
    (SELECT r.number FROM certificates r WHERE r.id = c.replaces_id) AS replaces_number, \
    (SELECT n.number FROM certificates n WHERE n.replaces_id = c.id ORDER BY n.id DESC LIMIT 1) AS replaced_by";
const CERTIFICATE_FROM: &str = "FROM certificates c JOIN workers w ON w.id = c.worker_id \
    JOIN cohorts h ON h.id = c.cohort_id JOIN courses k ON k.id = h.course_id";

pub async fn insert_course(conn: &mut SqliteConnection, d: &CourseData, now: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO courses (name_uz, name_uz_cyrl, name_ru, name_en, hours, modules, pass_mark, \
         min_attendance_percent, validity_months, countries, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&d.names[0])
    .bind(&d.names[1])
    .bind(&d.names[2])
    .bind(&d.names[3])
    .bind(d.hours)
    .bind(d.modules.join(","))
    .bind(d.pass_mark)
    .bind(d.min_attendance_percent)
    .bind(d.validity_months)
    .bind(d.countries.join(","))
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn course(conn: &mut SqliteConnection, id: i64) -> Result<Option<Course>> {
    Ok(sqlx::query_as("SELECT * FROM courses WHERE id = ?").bind(id).fetch_optional(conn).await?)
}

pub async fn insert_cohort(conn: &mut SqliteConnection, d: &CohortData, now: &str) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cohorts (course_id, starts_on, ends_on, place, trainer, capacity, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(d.course_id)
    .bind(&d.starts_on)
    .bind(&d.ends_on)
    .bind(&d.place)
    .bind(&d.trainer)
    .bind(d.capacity)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for (date, hours) in &d.sessions {
        sqlx::query("INSERT INTO training_sessions (cohort_id, held_on, hours) VALUES (?, ?, ?)")
            .bind(id)
            .bind(date)
            .bind(hours)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn cohort(conn: &mut SqliteConnection, id: i64) -> Result<Option<Cohort>> {
    let sql = format!("SELECT {COHORT_COLUMNS} FROM cohorts c WHERE c.id = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await?)
}

pub async fn sessions(conn: &mut SqliteConnection, cohort_id: i64) -> Result<Vec<Session>> {
    Ok(sqlx::query_as("SELECT * FROM training_sessions WHERE cohort_id = ? ORDER BY held_on, id")
        .bind(cohort_id)
        .fetch_all(conn)
        .await?)
}

pub async fn enrolments(conn: &mut SqliteConnection, cohort_id: i64) -> Result<Vec<Enrolment>> {
    Ok(sqlx::query_as(
        "SELECT e.worker_id, w.last_name, w.first_name, w.patronymic, w.last_name_cyrillic, w.first_name_cyrillic, \
         w.patronymic_cyrillic, w.status, e.score, e.enrolled_at, w.birth_date \
         FROM enrolments e JOIN workers w ON w.id = e.worker_id WHERE e.cohort_id = ? ORDER BY w.sort_name, w.id",
    )
    .bind(cohort_id)
    .fetch_all(conn)
    .await?)
}

/// (session id, worker id, present) for every mark in the cohort.
pub async fn attendance(conn: &mut SqliteConnection, cohort_id: i64) -> Result<Vec<(i64, i64, bool)>> {
    Ok(sqlx::query_as(
        "SELECT a.session_id, a.worker_id, a.present FROM attendance a \
         JOIN training_sessions s ON s.id = a.session_id WHERE s.cohort_id = ?",
    )
    .bind(cohort_id)
    .fetch_all(conn)
    .await?)
}

pub async fn is_enrolled(conn: &mut SqliteConnection, cohort_id: i64, worker_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM enrolments WHERE cohort_id = ? AND worker_id = ?")
        .bind(cohort_id)
        .bind(worker_id)
        .fetch_one(conn)
        .await?
        > 0)
}

pub async fn enrol(conn: &mut SqliteConnection, cohort_id: i64, worker_id: i64, now: &str, by: &str) -> Result<()> {
    sqlx::query("INSERT INTO enrolments (cohort_id, worker_id, enrolled_at, enrolled_by) VALUES (?, ?, ?, ?)")
        .bind(cohort_id)
        .bind(worker_id)
        .bind(now)
        .bind(by)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark(
    conn: &mut SqliteConnection,
    session_id: i64,
    worker_id: i64,
    present: bool,
    now: &str,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO attendance (session_id, worker_id, present, marked_at, marked_by) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (session_id, worker_id) DO UPDATE SET present = excluded.present, \
         marked_at = excluded.marked_at, marked_by = excluded.marked_by",
    )
    .bind(session_id)
    .bind(worker_id)
    .bind(present)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_score(
    conn: &mut SqliteConnection,
    cohort_id: i64,
    worker_id: i64,
    score: i64,
    now: &str,
) -> Result<()> {
    sqlx::query("UPDATE enrolments SET score = ?, scored_at = ? WHERE cohort_id = ? AND worker_id = ?")
        .bind(score)
        .bind(now)
        .bind(cohort_id)
        .bind(worker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The next serial for `prefix` in `year`. Called inside the issuing `BEGIN IMMEDIATE`
/// transaction, which holds the write lock: no other writer can take the same number.
pub async fn next_serial(conn: &mut SqliteConnection, prefix: &str, year: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(serial), 0) + 1 FROM certificates WHERE prefix = ? AND year = ?")
        .bind(prefix)
        .bind(year)
        .fetch_one(conn)
        .await?)
}

pub async fn insert_certificate(conn: &mut SqliteConnection, c: &NewCertificate<'_>, now: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO certificates (number, prefix, year, serial, worker_id, cohort_id, issued_on, valid_until, \
         destination, score, record, replaces_id, issued_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(c.number)
    .bind(c.prefix)
    .bind(c.year)
    .bind(c.serial)
    .bind(c.worker_id)
    .bind(c.cohort_id)
    .bind(c.issued_on)
    .bind(c.valid_until)
    .bind(c.destination)
    .bind(c.score)
    .bind(c.record)
    .bind(c.replaces_id)
    .bind(c.issued_by)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn certificate_by_number(conn: &mut SqliteConnection, number: &str) -> Result<Option<Certificate>> {
    let sql = format!("SELECT {CERTIFICATE_COLUMNS} {CERTIFICATE_FROM} WHERE c.number = ?");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(number).fetch_optional(conn).await?)
}

pub async fn certificates_of_worker(conn: &mut SqliteConnection, worker_id: i64) -> Result<Vec<Certificate>> {
    let sql = format!("SELECT {CERTIFICATE_COLUMNS} {CERTIFICATE_FROM} WHERE c.worker_id = ? ORDER BY c.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(worker_id).fetch_all(conn).await?)
}

pub async fn certificates_of_cohort(conn: &mut SqliteConnection, cohort_id: i64) -> Result<Vec<Certificate>> {
    let sql = format!("SELECT {CERTIFICATE_COLUMNS} {CERTIFICATE_FROM} WHERE c.cohort_id = ? ORDER BY c.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(cohort_id).fetch_all(conn).await?)
}

pub async fn revoke(conn: &mut SqliteConnection, id: i64, reason: &str, by: &str, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE certificates SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ? \
         WHERE id = ? AND status = 'valid'",
    )
    .bind(now)
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn trust_key(
    conn: &mut SqliteConnection,
    key_id: &str,
    key: &str,
    licence: &str,
    agency: &str,
    now: &str,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO trusted_keys (key_id, public_key, licence_number, agency_name, added_at, added_by) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET licence_number = excluded.licence_number, \
         agency_name = excluded.agency_name",
    )
    .bind(key_id)
    .bind(key)
    .bind(licence)
    .bind(agency)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A trusted key: (key id, base64 key, licence, agency).
pub type TrustedKey = (String, String, String, String);

impl Store {
    pub async fn courses(&self) -> Result<Vec<Course>> {
        Ok(sqlx::query_as("SELECT * FROM courses ORDER BY archived_at IS NOT NULL, name_uz, id")
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn cohorts(&self, course_id: Option<i64>) -> Result<Vec<Cohort>> {
        let sql = format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts c WHERE (?1 IS NULL OR c.course_id = ?1) ORDER BY c.starts_on DESC, c.id DESC"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(course_id).fetch_all(&self.pool).await?)
    }

    /// The register: newest first, by number or name fragment and status.
    pub async fn certificates(
        &self,
        search: Option<&str>,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Certificate>> {
        let like = search.map(|s| format!("%{}%", s.trim().to_lowercase().replace(['%', '_'], "")));
        let sql = format!(
            "SELECT {CERTIFICATE_COLUMNS} {CERTIFICATE_FROM} \
             WHERE (?1 IS NULL OR lower(c.number) LIKE ?1 OR w.sort_name LIKE ?1 \
                    OR lower(COALESCE(w.last_name_cyrillic, '') || ' ' || COALESCE(w.first_name_cyrillic, '')) LIKE ?1) \
             AND (?2 IS NULL OR c.status = ?2) ORDER BY c.id DESC LIMIT ?3"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(like).bind(status).bind(limit).fetch_all(&self.pool).await?)
    }

    pub async fn trusted_keys(&self) -> Result<Vec<TrustedKey>> {
        Ok(sqlx::query_as("SELECT key_id, public_key, licence_number, agency_name FROM trusted_keys ORDER BY key_id")
            .fetch_all(&self.pool)
            .await?)
    }
}

/// A demo cohort with its trainees, written in bulk by `safar demo`.
pub struct DemoCohort {
    pub course_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub sessions: Vec<String>,
    pub trainees: Vec<DemoTrainee>,
}

pub struct DemoTrainee {
    pub worker_id: i64,
    /// Per session: marked present (true), absent (false) or not yet (None).
    pub present: Vec<Option<bool>>,
    pub score: Option<i64>,
    pub certificate: Option<DemoCertificate>,
}

pub struct DemoCertificate {
    pub number: String,
    pub prefix: String,
    pub year: i64,
    pub serial: i64,
    pub issued_on: String,
    pub valid_until: String,
    pub destination: Option<String>,
    pub record: String,
}

/// Writes demo cohorts, sessions, enrolments, attendance and certificates in bulk.
pub async fn insert_demo(conn: &mut SqliteConnection, cohorts: &[DemoCohort], now: &str, actor: &str) -> Result<()> {
    use sqlx::{QueryBuilder, Sqlite};
    for c in cohorts {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cohorts (course_id, starts_on, ends_on, place, trainer, capacity, created_at, updated_at) \
             VALUES (?, ?, ?, 'Toshkent, Chilonzor 5', 'Karimova Dilnoza', ?, ?, ?) RETURNING id",
        )
        .bind(c.course_id)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(c.trainees.len().max(1) as i64)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        let mut sessions = Vec::new();
        for date in &c.sessions {
            let sid: i64 = sqlx::query_scalar(
                "INSERT INTO training_sessions (cohort_id, held_on, hours) VALUES (?, ?, 8) RETURNING id",
            )
            .bind(id)
            .bind(date)
            .fetch_one(&mut *conn)
            .await?;
            sessions.push(sid);
        }
        for chunk in c.trainees.chunks(2000) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO enrolments (cohort_id, worker_id, enrolled_at, enrolled_by, score, scored_at) ",
            );
            q.push_values(chunk, |mut s, t| {
                s.push_bind(id)
                    .push_bind(t.worker_id)
                    .push_bind(now)
                    .push_bind(actor)
                    .push_bind(t.score)
                    .push_bind(t.score.map(|_| now));
            });
            q.build().execute(&mut *conn).await?;
            let marks: Vec<(i64, i64, bool)> = chunk
                .iter()
                .flat_map(|t| sessions.iter().zip(&t.present).filter_map(move |(s, p)| p.map(|p| (*s, t.worker_id, p))))
                .collect();
            for marks in marks.chunks(3000) {
                let mut q = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO attendance (session_id, worker_id, present, marked_at, marked_by) ",
                );
                q.push_values(marks, |mut s, (session, worker, present)| {
                    s.push_bind(session).push_bind(worker).push_bind(present).push_bind(now).push_bind(actor);
                });
                q.build().execute(&mut *conn).await?;
            }
            let certs: Vec<(&DemoTrainee, &DemoCertificate)> =
                chunk.iter().filter_map(|t| t.certificate.as_ref().map(|c| (t, c))).collect();
            if !certs.is_empty() {
                let mut q = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO certificates (number, prefix, year, serial, worker_id, cohort_id, issued_on, \
                     valid_until, destination, score, record, issued_by, created_at) ",
                );
                q.push_values(certs, |mut s, (t, c)| {
                    s.push_bind(&c.number)
                        .push_bind(&c.prefix)
                        .push_bind(c.year)
                        .push_bind(c.serial)
                        .push_bind(t.worker_id)
                        .push_bind(id)
                        .push_bind(&c.issued_on)
                        .push_bind(&c.valid_until)
                        .push_bind(&c.destination)
                        .push_bind(t.score.unwrap_or(0))
                        .push_bind(&c.record)
                        .push_bind(actor)
                        .push_bind(now);
                });
                q.build().execute(&mut *conn).await?;
            }
        }
    }
    Ok(())
}
