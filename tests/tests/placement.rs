//! Placing a worker through the window: an employer, a job order, a contract that is
//! signed and registered, the departure, and the worker's journey on his page.

use safar_e2e::{tr, App, DataDir, WorkerForm, WAIT};

const LANG: &str = "uz-Latn";

#[test]
fn a_clerk_places_a_worker_from_employer_to_departure_in_the_window() {
    let data = DataDir::initialised();
    let app = App::launch_on(&data);
    app.add_worker(&WorkerForm::gulomov());
    app.open_row(0);
    let worker_id = app.open_worker_id();
    // The pre-departure course, passed and certified (the CLI, on the same data).
    let certificate = data.certify(worker_id);
    assert!(certificate.contains("-000001"), "{certificate}");

    // The partner and its cooperation contract.
    app.click("nav-employers");
    app.wait_visible("employers-screen");
    for (field, value) in [
        ("name", "Hanil Shipbuilding"),
        ("country", "KR"),
        ("city", "Ulsan"),
        ("cooperation_number", "HANIL-UZ-2025"),
        ("cooperation_signed_on", "2025-01-15"),
        ("cooperation_valid_until", "2028-12-31"),
    ] {
        app.set_value(&format!("employer-add-{field}"), value);
    }
    app.click("employer-add-submit");
    let employer_id = app.attribute("employer-row", "data-id").expect("employer id");

    // Its job order.
    app.click("nav-jobs");
    app.wait_visible("jobs-screen");
    app.set_value("job-add-employer_id", &employer_id);
    for (field, value) in [
        ("position", "Welder"),
        ("places", "5"),
        ("country", "KR"),
        ("salary_amount", "2300000"),
        ("salary_currency", "KRW"),
        ("hours_per_week", "40"),
        ("term_months", "12"),
    ] {
        app.set_value(&format!("job-add-{field}"), value);
    }
    app.click("job-add-submit");
    let job_id = app.attribute("job-row", "data-id").expect("job order id");

    // The contract on the worker's page: choosing the job order fills its terms.
    app.execute(&format!("location.hash = '#/worker/{worker_id}';"), serde_json::json!([]));
    app.wait_visible("worker-contracts");
    app.set_value("contract-add-job_order_id", &job_id);
    app.set_value("contract-add-number", "C-2026-0001");
    app.set_value("contract-add-signed_on", "2026-11-20");
    app.set_value("contract-add-starts_on", "2027-01-01");
    app.set_value("contract-add-ends_on", "2027-12-31");
    app.wait_until("the job's terms filled in", WAIT, |app| {
        (app.value("contract-add-position") == "Welder").then_some(())
    });
    app.click("contract-add-submit");
    app.wait_visible("contract-row");
    assert!(!app.is_visible("contract-flags"), "a contract with the job order's terms is not flagged");

    app.click("contract-sign");
    app.wait_text_contains("contract-status", &tr(LANG, "contract_status.signed"));
    app.click("contract-register");
    app.set_value("contract-register-number", "LM-2026-77123");
    app.set_value("contract-register-date", "2026-11-22");
    app.click("contract-register-submit");
    app.wait_text_contains("contract-status", &tr(LANG, "contract_status.registered"));
    app.wait_text_contains("detail-status", &tr(LANG, "status.contract_registered"));

    app.click("depart-open");
    app.set_value("depart-date", "2026-11-24");
    app.set_value("depart-route", "TAS → ICN");
    app.click("depart-submit");
    app.wait_text_contains("detail-status", &tr(LANG, "status.departed"));
    let kinds = app.wait_until("the departure on the journey timeline", WAIT, |app| {
        let kinds = app.execute(
            "return [...document.querySelectorAll('[data-testid=\"journey-entry\"]')].map((e) => e.dataset.kind);",
            serde_json::json!([]),
        );
        let kinds: Vec<String> = kinds
            .as_array()
            .map(|a| a.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        kinds.iter().any(|k| k.contains("depart")).then_some(kinds)
    });
    assert!(kinds.len() >= 3, "the timeline shows the statuses, the contract and the departure: {kinds:?}");
    app.screenshot("placement-worker-uz-Latn");
}

#[test]
fn a_scan_is_attached_to_a_contract_and_a_fake_one_is_refused() {
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());
    app.open_row(0);
    let worker_id = app.open_worker_id();
    // Partner, order and contract straight through the core, as the CLI would.
    let call = |cmd: &str, args: serde_json::Value| -> serde_json::Value {
        app.execute_async(
            "const [cmd, args, done] = arguments; window.__TAURI__.core.invoke(cmd, args).then(done, (e) => done({error: e}));",
            serde_json::json!([cmd, args]),
        )
    };
    let e = call(
        "employers_add",
        serde_json::json!({"input": {"name": "Hanil", "country": "KR", "cooperation_number": "H-1",
        "cooperation_signed_on": "2025-01-15", "cooperation_valid_until": "2028-12-31"}}),
    );
    let j = call(
        "jobs_add",
        serde_json::json!({"input": {"employer_id": e["id"], "position": "Welder", "places": 2, "country": "KR",
        "salary_amount": "2300000", "salary_currency": "KRW", "hours_per_week": 40, "term_months": 12, "housing_paid_by": "employer",
        "insurance_paid_by": "employer", "travel_paid_by": "employer", "visa_paid_by": "employer"}}),
    );
    let c = call(
        "contracts_add",
        serde_json::json!({"input": {"worker_id": worker_id, "job_order_id": j["id"], "number": "C-1",
        "signed_on": "2026-11-20", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "position": "Welder", "salary_amount": "2300000",
        "salary_currency": "KRW", "hours_per_week": 40, "housing_paid_by": "employer", "insurance_paid_by": "employer",
        "travel_paid_by": "employer", "visa_paid_by": "employer"}}),
    );
    assert!(c["id"].as_i64().is_some(), "{c}");
    app.reload();
    app.wait_visible("contract-row");
    // A file picked in the window: WebDriver types the path into the file input.
    let dir = std::env::temp_dir().join(format!("safar-e2e-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let fake = dir.join("scan.pdf");
    std::fs::write(&fake, b"MZ\x90\x00 not a pdf at all").expect("fake");
    app.send_keys("attachment-file", fake.to_str().expect("path"));
    app.wait_visible("attachment-error");
    assert!(app.text("attachment-error").contains(&tr(LANG, "fields.file")), "{}", app.text("attachment-error"));
    let real = dir.join("contract-scan.pdf");
    // A real (if empty) one-page PDF: the core loads it before taking it.
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n\
trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";
    std::fs::write(&real, pdf).expect("pdf");
    app.send_keys("attachment-file", real.to_str().expect("path"));
    app.wait_text_contains("attachment-list", "contract-scan.pdf");
    let _ = std::fs::remove_dir_all(&dir);
}
