//! Placing a worker through the window: an employer, a job order, a contract that is
//! signed and registered, the departure, and the worker's journey on his page.

use safar_e2e::{tr, App, WorkerForm, WAIT};

const LANG: &str = "uz-Latn";

fn move_status(app: &App, to: &str) {
    app.set_value("status-select", to);
    app.set_value("status-reason", "e2e");
    app.click("status-apply");
    app.wait_text_contains("detail-status", &tr(LANG, &format!("status.{to}")));
}

#[test]
fn a_clerk_places_a_worker_from_employer_to_departure_in_the_window() {
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());
    app.open_row(0);
    let worker_id = app.open_worker_id();
    move_status(&app, "in_training");
    move_status(&app, "certified");

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
