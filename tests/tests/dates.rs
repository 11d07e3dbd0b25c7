//! Dates in the window as offices write them: a date field shows the language's format,
//! takes it typed short (2.3.2026) or pasted as ISO, shows back how it read the date, and
//! refuses one it cannot read beside the field, naming it; a language change rewrites it.

use safar_e2e::{literal_part, tr, App, WorkerForm, WAIT};

#[test]
fn a_date_field_takes_the_languages_format_and_names_a_date_it_cannot_read() {
    let app = App::launch();
    app.add_worker(&WorkerForm::gulomov());
    app.open_row(0);
    app.wait_visible("fee-add-form");
    // Today, as Uzbek offices write it.
    let today = app.value("fee-add-paid_on");
    let b = today.as_bytes();
    assert!(b.len() == 10 && b[2] == b'.' && b[5] == b'.', "today's date is not dd.mm.yyyy: {today}");

    // Typed short, read day first and shown back in full once the field is left.
    app.set_value("fee-add-paid_on", "2.3.2026");
    app.click("fee-add-receipt_number");
    app.wait_until("the date shown back", WAIT, |app| (app.value("fee-add-paid_on") == "02.03.2026").then_some(()));

    // A day that does not exist is refused before the core is asked: beside the field and
    // in the summary, which names the field.
    app.set_value("fee-add-purpose", "consulting");
    app.set_value("fee-add-amount", "150000");
    app.set_value("fee-add-receipt_number", "KV-0001");
    app.set_value("fee-add-paid_on", "31.02.2026");
    app.click("fee-add-submit");
    let reason = literal_part(&tr("uz-Latn", "screens.date_invalid"));
    app.wait_text_contains("error-paid_on", &reason);
    app.wait_text_contains("fee-add-error", &format!("{}: {reason}", tr("uz-Latn", "fields.paid_on")));
    assert!(!app.is_visible("fee-row"), "a refused date saved a fee");
    app.screenshot("dates-refused-uz-Latn");

    // ISO pasted is taken too; in English the same field reads 2 Mar 2026, and so does the
    // saved fee.
    app.set_value("fee-add-paid_on", "2026-03-02");
    app.switch_language("en");
    app.wait_until("the date in English", WAIT, |app| (app.value("fee-add-paid_on") == "2 Mar 2026").then_some(()));
    app.click("fee-add-submit");
    app.wait_visible("fee-row");
    app.wait_text_contains("fee-row", "2 Mar 2026");
    // The total under the ledger is the core's sum (fees_totals), as a decimal string.
    assert_eq!(app.attribute("fee-total", "data-amount").as_deref(), Some("150000.00"));
    app.screenshot("dates-saved-en");
}
