// Over 600 lines: numbering, issue/revoke, printing sheets and verification all turn on the signed certificate record; about 635 lines of code, the rest tests.
//! Issuing, revoking, printing and verifying certificates.

use super::pdf::{self, Logo, Sheet};
use super::qr;
use super::signing::{self, Keys, Record, Signed};
use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Result};
use crate::i18n::Lang;
use crate::roster::pipeline::{self, Move};
use crate::roster::status::Status;
use crate::store::training::{self as q, Certificate, NewCertificate};
use crate::store::workers as wq;
use crate::training::service::{cohort_view_in, Refusal};
use crate::training::Outcome;
use chrono::Datelike;
use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use serde_json::json;

/// The id of the agency's signing key, recorded when the key is made.
const KEY_ID_SETTING: &str = "certificate_key_id";

/// What a cohort's issuing produced.
#[derive(Debug)]
pub struct Issued {
    pub issued: Vec<Certificate>,
    pub refused: Vec<Refusal>,
}

/// The verdict on a code, a PDF or an image.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// valid, revoked, tampered (a code whose signature or record fails), unknown_issuer,
    /// expired, or no_code (nothing given holds a code: not a forgery, nothing to check).
    pub status: &'static str,
    pub record: Option<Record>,
    /// The issuing agency, when its key is known.
    pub issuer: Option<String>,
    /// Whether this office issued it (then revocation is known).
    pub own: bool,
    /// Revocation reason, when revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    /// The certificate that replaced it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Whether a PINFL given with the check is the holder's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinfl_matches: Option<bool>,
    /// The course in each language, for a certificate of this office's register: the signed
    /// record carries the English name only, and a reader wants his own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_names: Option<CourseNames>,
}

/// A course's name in the four languages (the keys are the UI's language codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseNames {
    #[serde(rename = "uz-Latn")]
    pub uz_latn: String,
    #[serde(rename = "uz-Cyrl")]
    pub uz_cyrl: String,
    pub ru: String,
    pub en: String,
}

/// A key that verifies certificates, with the licence its records must carry.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub key: VerifyingKey,
    pub agency: String,
    pub licence: String,
    pub own: bool,
}

/// The name a print of certificates gets (its folder, or its file with `.pdf`): the cohort
/// or "certificates", and the moment, so two prints never overwrite each other.
pub fn print_name(cohort: Option<i64>, at: &str) -> String {
    let stamp = at.replace([':', '.'], "-");
    match cohort {
        Some(id) => format!("cohort-{id}-{stamp}"),
        None => format!("certificates-{stamp}"),
    }
}

impl Issuer {
    /// Another agency's key, from the text of its public key file (`safar certificates
    /// public-key`), to verify its certificates with.
    pub fn from_public_key(text: &str) -> Result<Issuer> {
        let (key, licence, agency) =
            signing::read_public_key(text).ok_or_else(|| AppError::new("key_invalid").on("key"))?;
        Ok(Issuer { key, agency, licence, own: false })
    }
}

/// "Gʻulomov D. B.": the surname and initials the QR code carries instead of the full name.
fn holder(last: &str, first: &str, patronymic: Option<&str>) -> String {
    let initial = |s: &str| s.chars().next().map(|c| format!(" {c}."));
    let mut h = last.to_string();
    h.extend(initial(first));
    h.extend(patronymic.and_then(initial));
    h
}

impl Desk {
    /// The agency's signing key, made on first use. Once a key has existed (its id is in
    /// the settings), a missing key file is refused rather than silently replaced: a new key
    /// would turn every certificate already issued into "unknown issuer".
    pub async fn keys(&self) -> Result<Keys> {
        let dir = self.dir();
        let recorded = self.store.setting(KEY_ID_SETTING).await?;
        if !Keys::path(&dir).exists() && recorded.is_some() {
            return Err(AppError::new("signing_key_missing").with("path", Keys::path(&dir).display()));
        }
        let keys = Keys::load_or_create(&dir)?;
        let id = signing::key_id(&keys.public());
        match recorded {
            None => self.store.set_setting(KEY_ID_SETTING, &id).await?,
            Some(r) if r != id => return Err(AppError::new("signing_key_damaged")),
            Some(_) => {}
        }
        Ok(keys)
    }

    /// Issues certificates to the cohort's eligible trainees (or to one of them). Numbers
    /// are taken inside this one write transaction: two windows issuing at once queue on
    /// the write lock, so neither can take the other's number and no number is skipped.
    pub async fn issue_certificates(&self, cohort_id: i64, only: Option<i64>, actor: &str) -> Result<Issued> {
        let keys = self.keys().await?;
        let key_id = signing::key_id(&keys.public());
        let config = self.certificate_config().await?;
        let today = self.clock.today();
        let now = self.now();
        let mut tx = self.store.write().await?;
        let agency =
            crate::store::accounts::agency_in(&mut tx).await?.ok_or_else(|| AppError::new("not_initialized"))?;
        let view = cohort_view_in(&mut tx, cohort_id).await?;
        if view.cohort.ends_on.as_str() > today.format("%Y-%m-%d").to_string().as_str() {
            return Err(AppError::new("cohort_not_finished").with("date", &view.cohort.ends_on));
        }
        let course = &view.course.course;
        let mut targets: Vec<&crate::training::service::Trainee> = view.trainees.iter().collect();
        let mut refused = Vec::new();
        if let Some(id) = only {
            targets.retain(|t| t.worker_id == id);
            if targets.is_empty() {
                refused.push(Refusal { worker_id: id, error: AppError::new("not_enrolled").with("id", id) });
            }
        }
        let mut issued = Vec::new();
        for t in targets {
            let check: Result<()> = async {
                if let Some(n) = &t.certificate {
                    return Err(AppError::new("certificate_exists").with("number", n));
                }
                match t.result {
                    Outcome::Pass => {}
                    Outcome::Pending => return Err(AppError::new("score_missing")),
                    Outcome::Fail if t.reasons.contains(&"attendance_low") => {
                        return Err(AppError::new("attendance_low")
                            .with("percent", t.attendance_percent)
                            .with("min", course.min_attendance_percent))
                    }
                    Outcome::Fail => {
                        return Err(AppError::new("score_low")
                            .with("score", t.score.unwrap_or(0))
                            .with("min", course.pass_mark))
                    }
                }
                Ok(())
            }
            .await;
            if let Err(error) = check {
                refused.push(Refusal { worker_id: t.worker_id, error });
                continue;
            }
            let w = wq::get_in(&mut tx, t.worker_id).await?.ok_or_else(|| AppError::not_found(t.worker_id))?;
            if w.archived_at.is_some() {
                refused.push(Refusal { worker_id: w.id, error: AppError::new("archived").with("id", w.id) });
                continue;
            }
            let consent = wq::consent(&mut tx, w.id).await?;
            if let Err(error) = crate::roster::consent::require_valid(consent.as_ref(), today) {
                refused.push(Refusal { worker_id: w.id, error });
                continue;
            }
            let status = Status::parse(&w.status)?;
            let may_hold = matches!(
                status,
                Status::InTraining | Status::Certified | Status::ContractSigned | Status::ContractRegistered
            );
            if !may_hold {
                refused.push(Refusal {
                    worker_id: w.id,
                    error: AppError::new("status_move_forbidden").with("from", status.code()).with("to", "certified"),
                });
                continue;
            }
            let year = i64::from(today.year());
            let serial = q::next_serial(&mut tx, &config.prefix, year).await?;
            let number = format!("{}-{year}-{serial:06}", config.prefix);
            let issued_on = today.format("%Y-%m-%d").to_string();
            let valid_until =
                crate::placement::add_months(today, course.validity_months).format("%Y-%m-%d").to_string();
            let replaces = q::certificates_of_cohort(&mut tx, cohort_id)
                .await?
                .into_iter()
                .rev()
                .find(|c| c.worker_id == w.id && c.status == "revoked" && c.replaced_by.is_none())
                .map(|c| c.id);
            let record = Record {
                number: number.clone(),
                licence_number: agency.licence_number.clone(),
                course: course.name_en.clone(),
                starts_on: view.cohort.starts_on.clone(),
                ends_on: view.cohort.ends_on.clone(),
                issued_on: issued_on.clone(),
                valid_until: valid_until.clone(),
                score: t.score.unwrap_or(0),
                holder: holder(&w.last_name, &w.first_name, w.patronymic.as_deref()),
                pinfl_hash: {
                    // ~5 ms of Argon2 per certificate: off the async runtime.
                    let (licence, pinfl) = (agency.licence_number.clone(), w.pinfl.clone());
                    tokio::task::spawn_blocking(move || signing::pinfl_hash(&licence, &pinfl))
                        .await
                        .map_err(AppError::internal)?
                },
                key_id: key_id.clone(),
            }
            .sign(&keys.signing);
            let id = q::insert_certificate(
                &mut tx,
                &NewCertificate {
                    number: &number,
                    prefix: &config.prefix,
                    year,
                    serial,
                    worker_id: w.id,
                    cohort_id,
                    issued_on: &issued_on,
                    valid_until: &valid_until,
                    destination: w.destination_country.as_deref(),
                    score: t.score.unwrap_or(0),
                    record: &record,
                    replaces_id: replaces,
                    issued_by: actor,
                },
                &now,
            )
            .await?;
            if status == Status::InTraining {
                let step =
                    Move { worker_id: w.id, from: status, to: Status::Certified, code: Some("certified"), reason: "" };
                pipeline::record(&mut tx, &step, &now, actor).await?;
            }
            let changes = json!({"number": number, "cohort_id": cohort_id, "valid_until": valid_until,
                "replaces_id": replaces, "status": [status.code(), if status == Status::InTraining { "certified" } else { status.code() }]});
            audit::append(
                &mut tx,
                &Entry::new(&now, actor, "certificate.issue").record("worker", w.id).changes(changes),
            )
            .await?;
            let _ = id;
            issued.push(
                q::certificate_by_number(&mut tx, &number).await?.ok_or_else(|| AppError::internal("certificate"))?,
            );
        }
        tx.commit().await?;
        Ok(Issued { issued, refused })
    }

    pub async fn certificate(&self, number: &str) -> Result<Certificate> {
        let mut conn = self.store.read().await?;
        q::certificate_by_number(&mut conn, number.trim())
            .await?
            .ok_or_else(|| AppError::new("certificate_not_found").with("number", number.trim()))
    }

    /// The most certificates one register page lists.
    pub const CERTIFICATES_MAX_LIMIT: i64 = 10_000;

    pub async fn certificates(
        &self,
        search: Option<&str>,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Certificate>> {
        crate::error::check_range("limit", limit, 1, Self::CERTIFICATES_MAX_LIMIT)?;
        let search = search.map(str::trim).filter(|s| !s.is_empty()).map(crate::names::literal);
        let status = status.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = status {
            if s != "valid" && s != "revoked" {
                return Err(AppError::new("choice_invalid").on("status").with("choices", "valid, revoked"));
            }
        }
        self.store.certificates(search.as_deref(), status, limit).await
    }

    pub async fn cohort_certificates(&self, cohort_id: i64) -> Result<Vec<Certificate>> {
        let mut conn = self.store.read().await?;
        q::certificates_of_cohort(&mut conn, cohort_id).await
    }

    pub async fn worker_certificates(&self, worker_id: i64) -> Result<Vec<Certificate>> {
        let mut conn = self.store.read().await?;
        q::certificates_of_worker(&mut conn, worker_id).await
    }

    /// Revokes a valid certificate; the reason is required and recorded. It stays on record.
    pub async fn revoke_certificate(&self, number: &str, reason: &str, actor: &str) -> Result<Certificate> {
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if reason.is_empty() {
            return Err(AppError::new("required").on("reason"));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let c = q::certificate_by_number(&mut tx, number.trim())
            .await?
            .ok_or_else(|| AppError::new("certificate_not_found").with("number", number.trim()))?;
        if c.status == "revoked" {
            return Err(AppError::new("certificate_revoked").with("number", &c.number));
        }
        q::revoke(&mut tx, c.id, &reason, actor, &now).await?;
        // "Certified" means a valid certificate exists: without one he is back in training.
        let still_valid = q::certificates_of_worker(&mut tx, c.worker_id).await?.iter().any(|x| x.status == "valid");
        if let Some(w) = wq::get_in(&mut tx, c.worker_id).await? {
            if !still_valid && w.status == Status::Certified.code() {
                let step = Move {
                    worker_id: w.id,
                    from: Status::Certified,
                    to: Status::InTraining,
                    code: Some("certificate_revoked"),
                    reason: "",
                };
                pipeline::record(&mut tx, &step, &now, actor).await?;
            }
        }
        let changes = json!({"number": c.number, "status": ["valid", "revoked"], "reason": reason});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "certificate.revoke").record("worker", c.worker_id).changes(changes),
        )
        .await?;
        let c = q::certificate_by_number(&mut tx, &c.number).await?.ok_or_else(|| AppError::internal("certificate"))?;
        tx.commit().await?;
        Ok(c)
    }

    /// What the printed certificates say, resolved from the register.
    pub async fn sheets(&self, numbers: &[String]) -> Result<(Vec<Sheet>, Option<Logo>)> {
        self.sheets_of(numbers, false).await
    }

    /// The sheets, revoked ones included (marked) when `preview` is set.
    pub async fn sheets_of(&self, numbers: &[String], preview: bool) -> Result<(Vec<Sheet>, Option<Logo>)> {
        let config = self.certificate_config().await?;
        let mut conn = self.store.read().await?;
        let agency =
            crate::store::accounts::agency_in(&mut conn).await?.ok_or_else(|| AppError::new("not_initialized"))?;
        let mut sheets = Vec::with_capacity(numbers.len());
        for number in numbers {
            let c = q::certificate_by_number(&mut conn, number.trim())
                .await?
                .ok_or_else(|| AppError::new("certificate_not_found").with("number", number.trim()))?;
            if c.status == "revoked" && !preview {
                return Err(AppError::new("certificate_revoked").with("number", &c.number));
            }
            let w = wq::get_in(&mut conn, c.worker_id).await?.ok_or_else(|| AppError::not_found(c.worker_id))?;
            let cohort = q::cohort(&mut conn, c.cohort_id).await?.ok_or_else(|| AppError::internal("cohort"))?;
            let course = q::course(&mut conn, cohort.course_id).await?.ok_or_else(|| AppError::internal("course"))?;
            let cyrillic = [&w.last_name_cyrillic, &w.first_name_cyrillic, &w.patronymic_cyrillic]
                .iter()
                .filter_map(|s| s.as_deref())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let destination = c
                .destination
                .as_deref()
                .map(|code| match crate::places::find_country(code) {
                    Some(p) => {
                        let (uz, en) = (p.name(Lang::UzLatn), p.name(Lang::En));
                        if uz == en {
                            uz.to_string()
                        } else {
                            format!("{uz} / {en}")
                        }
                    }
                    None => code.to_string(),
                })
                .unwrap_or_else(|| "—".to_string());
            sheets.push(Sheet {
                agency_name: agency.name.clone(),
                licence_number: agency.licence_number.clone(),
                number: c.number.clone(),
                issued_on: c.issued_on.clone(),
                valid_until: c.valid_until.clone(),
                name_latin: w.full_name(),
                name_cyrillic: (!cyrillic.is_empty()).then_some(cyrillic),
                passport_number: w.passport_number.clone(),
                pinfl: w.pinfl.clone(),
                course_uz: course.name_uz.clone(),
                course_en: course.name_en.clone(),
                hours: course.hours,
                starts_on: cohort.starts_on.clone(),
                ends_on: cohort.ends_on.clone(),
                destination,
                score: c.score,
                signatory_name: config.signatory.clone(),
                signatory_title: config.signatory_title.clone(),
                record: c.record.clone(),
                revoked: c.status == "revoked",
            });
        }
        let logo = std::fs::read(self.dir().logo()).ok().and_then(|b| Logo::from_png(&b));
        Ok((sheets, logo))
    }

    /// The certificates as one PDF, one page each.
    pub async fn certificates_pdf(&self, numbers: &[String]) -> Result<Vec<u8>> {
        let (sheets, logo) = self.sheets(numbers).await?;
        let bytes = tokio::task::spawn_blocking(move || pdf::render(&sheets, logo.as_ref()))
            .await
            .map_err(AppError::internal)?;
        if bytes.is_empty() {
            return Err(AppError::internal("pdf"));
        }
        Ok(bytes)
    }

    /// Every key this office trusts: its own, then those added with `trust-key`.
    pub async fn issuers(&self) -> Result<Vec<Issuer>> {
        let agency = self.store.agency().await?;
        let mut out = Vec::new();
        // Verifying must not make a key: an office that only verifies has none of its own.
        if let (true, Some(a)) = (Keys::path(&self.dir()).exists(), agency) {
            out.push(Issuer { key: self.keys().await?.public(), agency: a.name, licence: a.licence_number, own: true });
        }
        for (_, key, licence, agency) in self.store.trusted_keys().await? {
            if let Some(key) = signing::decode_key(&key) {
                out.push(Issuer { key, agency, licence, own: false });
            }
        }
        Ok(out)
    }

    /// Verifies a code given as text, or as the bytes of a PDF certificate or of a PNG or
    /// JPEG image of its QR code.
    pub async fn verify(&self, input: &[u8], extra: &[Issuer]) -> Result<Verification> {
        // Reading a QR code from a page scan takes up to a second: off the async runtime.
        let bytes = input.to_vec();
        let text = tokio::task::spawn_blocking(move || code_text(&bytes)).await.map_err(AppError::internal)??;
        // No code at all is its own verdict, judged like any text without one.
        let text = text.unwrap_or_default();
        let mut issuers = self.issuers().await?;
        issuers.extend(extra.iter().cloned());
        let mut v = judge(&text, &issuers, self.clock.today());
        if v.own && v.status != "tampered" {
            if let Some(r) = &v.record {
                let mut conn = self.store.read().await?;
                if let Some(c) = q::certificate_by_number(&mut conn, &r.number).await? {
                    if c.record.trim() != text_record(&text) {
                        // A validly signed record that is not the one on file cannot come from
                        // us; treat it as tampering rather than trust it.
                        v.status = "tampered";
                    } else {
                        v.course_names = Some(CourseNames {
                            uz_latn: c.course_name.clone(),
                            uz_cyrl: c.course_name_uz_cyrl.clone(),
                            ru: c.course_name_ru.clone(),
                            en: c.course_name_en.clone(),
                        });
                        if c.status == "revoked" {
                            v.status = "revoked";
                            v.revoke_reason = c.revoke_reason;
                            v.replaced_by = c.replaced_by;
                        }
                    }
                }
            }
        }
        Ok(v)
    }

    /// Records in `v` whether `pinfl` (from the holder's passport) is the one the
    /// certificate was issued to; nothing when none is given.
    pub async fn check_holder(&self, v: &mut Verification, pinfl: Option<&str>) -> Result<()> {
        let Some(pinfl) = pinfl.map(str::trim).filter(|p| !p.is_empty()).map(str::to_string) else { return Ok(()) };
        let record = v.record.clone();
        // The slow hash runs off the async runtime.
        let matches = tokio::task::spawn_blocking(move || record.is_some_and(|r| signing::pinfl_matches(&r, &pinfl)))
            .await
            .map_err(AppError::internal)?;
        v.pinfl_matches = Some(matches);
        Ok(())
    }

    /// The numbers to print: those given, else every valid certificate of the cohort.
    pub async fn printable(&self, numbers: Option<Vec<String>>, cohort_id: Option<i64>) -> Result<Vec<String>> {
        let numbers = match (numbers, cohort_id) {
            (Some(n), _) if !n.is_empty() => n,
            (_, Some(id)) => self
                .cohort_certificates(id)
                .await?
                .into_iter()
                .filter(|c| c.status == "valid")
                .map(|c| c.number)
                .collect(),
            _ => Vec::new(),
        };
        if numbers.is_empty() {
            return Err(AppError::new("nothing_to_print"));
        }
        Ok(numbers)
    }

    /// Writes the public key file into `dir` for other offices; returns its text and path.
    pub async fn export_public_key(&self) -> Result<(String, std::path::PathBuf)> {
        let text = self.public_key_text().await?;
        let dir = self.dir().exports();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("agency-public-key.pub");
        std::fs::write(&path, &text)?;
        Ok((text, path))
    }

    pub async fn public_key_text(&self) -> Result<String> {
        let agency = self.store.agency().await?.ok_or_else(|| AppError::new("not_initialized"))?;
        Ok(signing::public_key_text(&self.keys().await?.public(), &agency.licence_number, &agency.name))
    }

    /// Trusts another agency's public key (its `.pub` file's text).
    pub async fn trust_key(&self, text: &str, actor: &str) -> Result<String> {
        let (key, licence, name) =
            signing::read_public_key(text).ok_or_else(|| AppError::new("key_invalid").on("file"))?;
        let id = signing::key_id(&key);
        let now = self.now();
        let mut tx = self.store.write().await?;
        let known = self.store.trusted_keys().await?;
        if known.iter().any(|(kid, k, _, _)| *kid == id && *k != signing::encode_key(&key)) {
            return Err(AppError::new("key_id_taken").on("file").with("id", &id));
        }
        q::trust_key(&mut tx, &id, &signing::encode_key(&key), &licence, &name, &now, actor).await?;
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "key.trust").changes(json!({"key_id": id, "licence": licence, "agency": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// The `SFR1…` part of a text.
fn text_record(text: &str) -> String {
    let compact: String = text.split_whitespace().collect::<String>().to_ascii_uppercase();
    match compact.find(signing::PREFIX) {
        Some(i) => compact[i..].chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit()).collect(),
        None => compact,
    }
}

/// Finds the code in what was given: a PDF's metadata, a QR image, or text; None when
/// there is none (an HTML page, random bytes, a photo without the QR code).
pub fn code_text(input: &[u8]) -> Result<Option<String>> {
    if input.starts_with(b"%PDF") {
        // The record sits in the document's /Identifier (plain ASCII); the QR code on
        // the page says the same and is checked by the tests from a rendering.
        let at = input.windows(4).position(|w| w == signing::PREFIX.as_bytes());
        return Ok(at.map(|i| {
            input[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).map(|b| *b as char).collect::<String>()
        }));
    }
    if input.starts_with(b"\x89PNG") || input.starts_with(&[0xFF, 0xD8]) {
        // Decoders are fed anyone's file (verification needs no sign-in): a panic in one
        // must be a refusal, not a crash.
        let found = std::panic::catch_unwind(|| qr::decode_image(input).map(|image| qr::read_page(&image)))
            .map_err(|_| AppError::new("image_unreadable").on("file"))??;
        return Ok(found.into_iter().find(|t| has_code(t)));
    }
    let text = String::from_utf8_lossy(input).to_string();
    if text.trim().is_empty() {
        return Err(AppError::new("required").on("code"));
    }
    Ok(has_code(&text).then_some(text))
}

/// Whether a text holds the start of a code at all (spaces and case aside, as it is read).
fn has_code(text: &str) -> bool {
    text.split_whitespace().collect::<String>().to_ascii_uppercase().contains(signing::PREFIX)
}

/// The verdict from the signature and the dates alone (revocation needs the register).
pub fn judge(text: &str, issuers: &[Issuer], today: chrono::NaiveDate) -> Verification {
    let mut v = Verification {
        status: "tampered",
        record: None,
        issuer: None,
        own: false,
        revoke_reason: None,
        replaced_by: None,
        pinfl_matches: None,
        course_names: None,
    };
    if !has_code(text) {
        v.status = "no_code";
        return v;
    }
    // From here on there is a code: one that cannot be read or whose signature fails is
    // forged or altered.
    let Some(signed) = Signed::read(text) else { return v };
    v.record = Some(signed.record.clone());
    // Every known key with this id (a 32-bit id can collide), the one whose signature holds.
    let candidates: Vec<&Issuer> = issuers.iter().filter(|i| signing::key_id(&i.key) == signed.record.key_id).collect();
    if candidates.is_empty() {
        v.status = "unknown_issuer";
        return v;
    }
    let Some(issuer) = candidates.into_iter().find(|i| signed.verify_with(&i.key)) else {
        v.status = "tampered";
        return v;
    };
    v.issuer = Some(issuer.agency.clone());
    v.own = issuer.own;
    // A trusted agency cannot vouch for another's licence.
    if signed.record.licence_number.trim() != issuer.licence.trim() {
        v.status = "tampered";
        return v;
    }
    let expired = chrono::NaiveDate::parse_from_str(&signed.record.valid_until, "%Y-%m-%d").map_or(true, |d| d < today);
    v.status = if expired { "expired" } else { "valid" };
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_keep_the_uzbek_letters() {
        assert_eq!(holder("Gʻulomov", "Oʻtkir", Some("Bobur oʻgʻli")), "Gʻulomov O. B.");
        assert_eq!(holder("Saidov", "Eldor", None), "Saidov E.");
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    #[test]
    fn html_or_random_bytes_hold_no_code_and_are_not_called_tampered() {
        let html = b"<!doctype html><html><body>Certificate</body></html>".as_slice();
        let pdf_html = b"%PDF-1.7\n<html><body>not a pdf</body></html>".as_slice();
        let random: Vec<u8> = (0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for input in [html, pdf_html, random.as_slice()] {
            let text = code_text(input).expect("read").unwrap_or_default();
            assert_eq!(judge(&text, &[], today()).status, "no_code", "{:?}", String::from_utf8_lossy(&input[..20]));
        }
    }

    #[test]
    fn a_code_whose_signature_fails_is_tampered_not_no_code() {
        assert_eq!(judge("SFR1NOTACODE", &[], today()).status, "tampered");
        assert_eq!(judge("see: sfr1 abcdefgh", &[], today()).status, "tampered");
    }
}
