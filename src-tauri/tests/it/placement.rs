//! Employers, job orders, contracts, journeys and fees on a real SQLite file: each rule
//! refuses the unlawful case and accepts the lawful one.

use crate::support::{anvar, desk, init_agency};
use safar::accounts::{Role, Session};
use safar::desk::Desk;
use safar::placement::{ContractInput, EmployerInput, FeeInput, JobInput};

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn employer(valid_until: &str) -> EmployerInput {
    EmployerInput {
        name: s("Hyundai Heavy Industries"),
        country: s("kr"),
        city: s("Ulsan"),
        email: s("hr@hhi.example"),
        cooperation_number: s("HHI-UZ-2025/07"),
        cooperation_signed_on: s("2025-01-15"),
        cooperation_valid_until: s(valid_until),
        ..Default::default()
    }
}

fn job(employer_id: i64, places: u32) -> JobInput {
    JobInput {
        employer_id: Some(employer_id.to_string()),
        position: s("Welder"),
        places: Some(places.to_string()),
        country: s("KR"),
        salary_amount: s("2300000"),
        salary_currency: s("KRW"),
        hours_per_week: s("40"),
        term_months: s("12"),
        housing_paid_by: s("employer"),
        insurance_paid_by: s("employer"),
        travel_paid_by: s("employer"),
        visa_paid_by: s("employer"),
        platform_reference: s("AGN-2026-0042"),
        deadline: s("2026-12-31"),
    }
}

fn contract(worker_id: i64, job_id: i64) -> ContractInput {
    ContractInput {
        worker_id: Some(worker_id.to_string()),
        job_order_id: Some(job_id.to_string()),
        number: s("C-2026-001"),
        signed_on: s("2026-11-20"),
        starts_on: s("2027-01-01"),
        ends_on: s("2027-12-31"),
        position: s("Welder"),
        salary_amount: s("2300000"),
        salary_currency: s("KRW"),
        hours_per_week: s("40"),
        housing_paid_by: s("employer"),
        insurance_paid_by: s("employer"),
        travel_paid_by: s("employer"),
        visa_paid_by: s("employer"),
    }
}

/// A worker (passport valid to 2030), an employer with a cooperation contract valid to
/// 2027 and a job order with `places` places.
async fn setup(places: u32) -> (Desk, i64, i64, tempfile::TempDir) {
    let (d, dir) = desk().await;
    let (w, _) = d.create(&anvar(), "clerk").await.expect("worker");
    let e = d.add_employer(&employer("2027-12-31"), "clerk").await.expect("employer");
    let j = d.add_job(&job(e.id, places), "clerk").await.expect("job");
    (d, w.id, j.job.id, dir)
}

fn codes(e: &safar::error::AppError) -> Vec<(&str, &str)> {
    if e.problems.is_empty() {
        return vec![(e.field.unwrap_or("-"), e.code)];
    }
    e.problems.iter().map(|p| (p.field.unwrap_or("-"), p.code)).collect()
}

#[tokio::test]
async fn employers_and_job_orders_are_checked_field_by_field() {
    let (d, _dir) = desk().await;
    let bad = EmployerInput {
        country: s("XX"),
        email: s("not-mail"),
        cooperation_valid_until: s("2020-01-01"),
        ..employer("x")
    };
    let e = d.add_employer(&bad, "clerk").await.expect_err("bad");
    assert_eq!(
        codes(&e),
        vec![("country", "country_unknown"), ("email", "email_invalid"), ("cooperation_valid_until", "date_order")]
    );
    let emp = d.add_employer(&employer("2027-12-31"), "clerk").await.expect("employer");
    assert_eq!(emp.country, "KR");
    let bad_job = JobInput {
        salary_amount: s("2300000.5"),
        places: s("0"),
        housing_paid_by: s("agency"),
        position: s("As per approved job order"),
        ..job(emp.id, 2)
    };
    let e = d.add_job(&bad_job, "clerk").await.expect_err("bad job");
    let got = codes(&e);
    for wanted in [
        ("places", "number_invalid"),
        ("salary_amount", "amount_invalid"),
        ("housing_paid_by", "choice_invalid"),
        ("position", "placeholder_terms"),
    ] {
        assert!(got.contains(&wanted), "{wanted:?} missing from {got:?}");
    }
    let j = d.add_job(&job(emp.id, 2), "clerk").await.expect("job");
    assert_eq!((j.salary_amount.as_str(), j.places_left), ("2300000", 2));
}

#[tokio::test]
async fn a_contract_needs_a_cooperation_contract_valid_on_the_signing_date() {
    let (d, w, _, _dir) = setup(2).await;
    let expired = d
        .add_employer(&EmployerInput { name: s("Old partner"), ..employer("2026-06-30") }, "c")
        .await
        .expect("employer");
    let j = d.add_job(&job(expired.id, 2), "c").await.expect("job");
    let e = d.add_contract(&contract(w, j.job.id), "c").await.expect_err("expired cooperation");
    assert!(codes(&e).contains(&("signed_on", "cooperation_invalid")), "{:?}", codes(&e));
    let ok = ContractInput { signed_on: s("2026-06-01"), ..contract(w, j.job.id) };
    assert!(d.add_contract(&ok, "c").await.is_ok(), "signed while the cooperation was valid");
}

#[tokio::test]
async fn a_job_order_takes_no_more_contracts_than_places() {
    let (d, w, j, _dir) = setup(1).await;
    d.add_contract(&contract(w, j), "c").await.expect("first place");
    let second = d.create(&crate::support::person(7, "Karimov", None), "c").await.expect("worker").0;
    let e = d.add_contract(&ContractInput { number: s("C-2"), ..contract(second.id, j) }, "c").await.expect_err("full");
    assert!(codes(&e).contains(&("job_order_id", "job_order_full")));
    assert_eq!(d.job(j).await.expect("job").places_left, 0);
}

#[tokio::test]
async fn the_passport_must_outlast_the_contract_by_the_countrys_margin() {
    let (d, w, j, _dir) = setup(2).await;
    // The passport expires 2030-01-09; a contract to 2029-09-01 plus 6 months needs 2030-03-01.
    let long = ContractInput { ends_on: s("2029-09-01"), ..contract(w, j) };
    let e = d.add_contract(&long, "c").await.expect_err("passport too short");
    assert!(codes(&e).contains(&("ends_on", "passport_too_short")));
    // A country setting of 3 months makes the same contract lawful (2029-12-01 ≤ 2030-01-09).
    d.store.set_setting("passport_margin_months.KR", "3").await.expect("setting");
    assert!(d.add_contract(&long, "c").await.is_ok());
}

#[tokio::test]
async fn a_contract_that_differs_from_its_job_order_is_flagged() {
    let (d, w, j, _dir) = setup(3).await;
    let same = d.add_contract(&contract(w, j), "c").await.expect("contract");
    assert!(same.mismatches.is_empty() && same.placeholders.is_empty(), "{:?}", same.mismatches);
    let other = d.create(&crate::support::person(8, "Nazarov", None), "c").await.expect("worker").0;
    let differs = ContractInput {
        number: s("C-3"),
        salary_amount: s("1900000"),
        hours_per_week: s("52"),
        ends_on: s("2027-06-30"),
        position: s("As per approved job order"),
        travel_paid_by: s("worker"),
        ..contract(other.id, j)
    };
    let c = d.add_contract(&differs, "c").await.expect("saved but flagged");
    assert_eq!(c.mismatches, vec!["salary_amount", "position", "hours_per_week", "term_months", "travel_paid_by"]);
    assert_eq!(c.placeholders, vec!["position"]);
}

#[tokio::test]
async fn a_worker_departs_only_with_a_registered_contract_and_returns_only_after_departing() {
    let (d, w, j, _dir) = setup(2).await;
    let number = crate::support::certify(&d, &[w]).await.remove(0);
    assert_eq!(d.get(w).await.expect("w").status, "certified");
    assert_eq!(d.return_home(w, "2026-11-24", "other", "c").await.expect_err("never left").code, "not_departed");
    let c = d.add_contract(&contract(w, j), "c").await.expect("contract");
    assert_eq!(d.set_status(w, "departed", "x", "c").await.expect_err("generic").code, "journey_required");
    d.set_contract_status(c.contract.id, "signed", "", "c").await.expect("sign");
    assert_eq!(d.get(w).await.expect("w").status, "contract_signed", "a certified worker follows his contract");
    assert_eq!(
        d.depart(w, "2026-11-24", None, None, "c").await.expect_err("unregistered").code,
        "contract_not_registered"
    );
    assert_eq!(
        d.set_contract_status(c.contract.id, "registered", "", "c").await.expect_err("not this way").code,
        "registration_required"
    );
    d.register_contract(c.contract.id, "LM-2026-77123", "2026-11-22", "c").await.expect("register");
    assert_eq!(d.get(w).await.expect("w").status, "contract_registered");
    // No departure on a revoked certificate; a reissued one lets him go.
    d.revoke_certificate(&number, "Attendance signed by a proxy", "admin").await.expect("revoke");
    assert_eq!(d.depart(w, "2026-11-24", None, None, "c").await.expect_err("revoked").code, "certificate_missing");
    let cohort = d.certificate(&number).await.expect("old").cohort_id;
    let again = d.issue_certificates(cohort, Some(w), "admin").await.expect("reissue");
    assert_eq!(again.issued[0].replaces_number.as_deref(), Some(number.as_str()));
    let j1 = d.depart(w, "2026-11-24", Some("TAS → ICN, HY511"), Some("Tashkent airport"), "c").await.expect("depart");
    assert_eq!(j1.route.as_deref(), Some("TAS → ICN, HY511"));
    assert_eq!(d.get(w).await.expect("w").status, "departed");
    assert_eq!(d.contract(c.contract.id).await.expect("c").contract.status.code(), "active");
    let back = d.return_home(w, "2026-11-25", "early_return", "c").await.expect("return");
    assert_eq!(back.returned_on.as_deref(), Some("2026-11-25"));
    assert_eq!(d.get(w).await.expect("w").status, "returned");
    assert_eq!(d.contract(c.contract.id).await.expect("c").contract.status.code(), "terminated");
    let trail: Vec<String> = d.worker_audit(w).await.expect("trail").into_iter().map(|e| e.entry.action).collect();
    for wanted in ["contract.add", "contract.status", "contract.register", "worker.depart", "worker.return"] {
        assert!(trail.iter().any(|a| a == wanted), "{wanted} not audited: {trail:?}");
    }
}

#[tokio::test]
async fn an_amount_at_the_integer_maximum_is_refused_and_a_statement_over_stored_ones_refuses_instead_of_overflowing() {
    let (d, w, j, dir) = setup(1).await;
    init_agency(&d).await;
    let admin = Session { user_id: 1, login: "admin".into(), role: Role::Admin };
    let fee = |amount: &str, currency: &str| FeeInput {
        worker_id: Some(w.to_string()),
        paid_by: s("employer"),
        purpose: s("placement"),
        amount: s(amount),
        currency: s(currency),
        paid_on: s("2026-11-20"),
        receipt_number: s("R-1"),
        reason: None,
    };
    let max = i64::MAX.to_string();
    let e = d.add_fee(&fee(&max, "KRW"), &admin).await.expect_err("i64::MAX KRW");
    assert_eq!(codes(&e), vec![("amount", "amount_too_large")]);
    assert_eq!(e.problems[0].message(safar::i18n::Lang::En), "Amount: must not exceed 1400000000 KRW");
    let mut order = job(d.jobs(None).await.expect("jobs")[0].job.employer_id, 1);
    order.salary_amount = s("92233720368547758.07");
    order.salary_currency = s("USD");
    assert_eq!(codes(&d.add_job(&order, "c").await.expect_err("salary")), vec![("salary_amount", "amount_too_large")]);
    let mut c = contract(w, j);
    c.salary_amount = s(&max);
    assert!(codes(&d.add_contract(&c, "c").await.expect_err("salary")).contains(&("salary_amount", "amount_too_large")));

    // Two amounts written before the bound existed (here by hand): the statement says the
    // total cannot be computed rather than panicking or wrapping.
    d.add_fee(&fee("1000000", "USD"), &admin).await.expect("the maximum");
    d.add_fee(&fee("1000000", "USD"), &admin).await.expect("twice");
    sqlx::query("UPDATE fees SET amount_minor = ?").bind(i64::MAX).execute(d.store.pool()).await.expect("tamper");
    let pdf = dir.path().join("statement.pdf");
    let e = d.fee_statement(w, &pdf, safar::i18n::Lang::En, "admin").await.expect_err("overflow");
    assert_eq!((e.code, e.field), ("amount_total_too_large", Some("amount")));
    assert!(!pdf.exists(), "nothing written");
}

#[tokio::test]
async fn the_worker_is_never_charged_for_placement_and_consulting_is_capped() {
    let (d, w, _, _dir) = setup(1).await;
    let staff = Session { user_id: 2, login: "aziza".into(), role: Role::Staff };
    let admin = Session { user_id: 1, login: "admin".into(), role: Role::Admin };
    let fee = |paid_by: &str, purpose: &str, amount: &str, reason: Option<&str>| FeeInput {
        worker_id: Some(w.to_string()),
        paid_by: s(paid_by),
        purpose: s(purpose),
        amount: s(amount),
        currency: s("UZS"),
        paid_on: s("2026-11-20"),
        receipt_number: s("R-1"),
        reason: reason.map(str::to_string),
    };
    let e = d.add_fee(&fee("worker", "placement", "100000", None), &staff).await.expect_err("placement");
    assert_eq!(codes(&e), vec![("purpose", "placement_fee_by_worker")]);
    assert!(
        d.add_fee(&fee("employer", "placement", "3000000", None), &staff).await.is_ok(),
        "the employer pays placement"
    );
    d.add_fee(&fee("worker", "consulting", "500000", None), &staff).await.expect("under the cap (750,000 UZS)");
    let e = d
        .add_fee(&fee("worker", "consulting", "300000", Some("extra visa paperwork")), &staff)
        .await
        .expect_err("over");
    assert_eq!(codes(&e), vec![("amount", "consulting_fee_cap")]);
    assert!(
        d.add_fee(&fee("worker", "consulting", "300000", None), &admin).await.is_err(),
        "an admin still needs a reason"
    );
    let ok = d
        .add_fee(&fee("worker", "consulting", "300000", Some("extra visa paperwork")), &admin)
        .await
        .expect("admin with reason");
    assert_eq!(ok.amount, "300000.00");
    let list = d.fees(w).await.expect("fees");
    assert_eq!(list.len(), 3);
}

/// The smallest real PDF: a catalog, a page tree and one empty page, with its xref.
const ONE_PAGE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n\
trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";

#[tokio::test]
async fn a_file_that_starts_like_a_pdf_or_an_image_but_is_html_is_refused_naming_the_file() {
    let (d, w, j, dir) = setup(1).await;
    let c = d.add_contract(&contract(w, j), "c").await.expect("contract").contract.id;
    let files = dir.path().join("attachments");
    let html = b"<!doctype html><html><body><form action=https://evil.example>Login</form></body></html>";
    for (magic, name, kind) in [
        (b"%PDF-1.7\n".as_slice(), "scan.pdf", "PDF"),
        (b"\x89PNG\r\n\x1a\n".as_slice(), "scan.png", "PNG"),
        (&[0xFF, 0xD8, 0xFF, 0xE0], "scan.jpg", "JPEG"),
    ] {
        let disguised = [magic, html.as_slice()].concat();
        let e = d.attach(c, name, &disguised, "c").await.expect_err(name);
        assert_eq!((e.code, e.field), ("attachment_damaged", Some("file")), "{name}");
        let message = e.message(safar::i18n::Lang::En);
        assert!(message.starts_with("File: ") && message.contains(kind), "{message}");
    }
    // A PDF cut short (no cross-reference table, no trailer) is damaged too.
    let e = d.attach(c, "half.pdf", &ONE_PAGE_PDF[..120], "c").await.expect_err("cut");
    assert_eq!(e.code, "attachment_damaged");
    assert!(d.attachments(c).await.expect("list").is_empty());
    assert!(!files.exists() || std::fs::read_dir(&files).expect("dir").next().is_none(), "no file left behind");
    d.attach(c, "contract.pdf", ONE_PAGE_PDF, "c").await.expect("a real PDF is taken");
}

#[tokio::test]
async fn an_attachment_of_the_wrong_type_or_size_is_refused_and_nothing_is_stored() {
    let (d, w, j, dir) = setup(1).await;
    let c = d.add_contract(&contract(w, j), "c").await.expect("contract").contract.id;
    let files = dir.path().join("attachments");
    let exe = b"MZ\x90\x00 pretending to be a scan";
    assert_eq!(d.attach(c, "scan.pdf", exe, "c").await.expect_err("type").code, "attachment_type");
    let huge = [b"%PDF-1.7\n".as_slice(), &vec![b' '; safar::placement::attachments::MAX_BYTES]].concat();
    assert_eq!(d.attach(c, "big.pdf", &huge, "c").await.expect_err("size").code, "attachment_too_large");
    assert!(d.attachments(c).await.expect("list").is_empty());
    assert!(!files.exists() || std::fs::read_dir(&files).expect("dir").next().is_none(), "no file left behind");
    let pdf = ONE_PAGE_PDF;
    let a = d.attach(c, "../../etc/contract.pdf", pdf, "c").await.expect("pdf");
    assert_eq!((a.kind.as_str(), a.original_name.as_str()), ("pdf", "contract.pdf"));
    let stored = d.attachment_file(&a);
    assert_eq!(stored.file_name().and_then(|n| n.to_str()), Some(format!("{}.pdf", a.sha256).as_str()));
    assert_eq!(std::fs::read(stored).expect("file"), pdf);
}

#[tokio::test]
async fn demo_placements_follow_the_same_rules() {
    let (d, _dir) = desk().await;
    safar::demo::fill(&d, 600, 3, "demo").await.expect("demo");
    let jobs = d.jobs(None).await.expect("jobs");
    assert_eq!(jobs.len(), 12, "one demo job order per destination");
    assert!(jobs.iter().all(|j| j.job.assigned <= j.job.places));
    let contracts = d.contracts(None, None).await.expect("contracts");
    assert!(contracts.len() > 50, "{} contracts", contracts.len());
    for c in &contracts {
        let w = d.get(c.contract.worker_id).await.expect("worker");
        let expected = match w.status.as_str() {
            "contract_signed" => "signed",
            "contract_registered" => "registered",
            "departed" => "active",
            "returned" => "completed",
            other => panic!("worker #{} at {other} has a contract", w.id),
        };
        assert_eq!(c.contract.status.code(), expected, "worker #{}", w.id);
        let passport = safar::roster::validate::parse_date(&w.passport_expiry).expect("date");
        let end = safar::roster::validate::parse_date(&c.contract.ends_on).expect("date");
        assert!(passport >= safar::placement::add_months(end, 6), "worker #{} passport", w.id);
        let journeys = d.journeys(w.id).await.expect("journeys");
        assert_eq!(
            journeys.len(),
            usize::from(matches!(w.status.as_str(), "departed" | "returned")),
            "worker #{}",
            w.id
        );
        for f in d.fees(w.id).await.expect("fees") {
            assert!(!(f.fee.paid_by == "worker" && f.fee.purpose == "placement"), "worker #{} paid placement", w.id);
        }
    }
    assert!(
        contracts.iter().any(|c| c.mismatches == vec!["salary_amount"]),
        "some demo contracts pay less than their order"
    );
    // A second run reuses the partners and job orders.
    safar::demo::fill(&d, 50, 4, "demo").await.expect("again");
    assert_eq!(d.jobs(None).await.expect("jobs").len(), 12);
}
