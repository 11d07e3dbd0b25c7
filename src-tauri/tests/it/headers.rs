//! Issue 13, item 6: import headers as people write them. A LibreOffice-made English file
//! whose headers say "Passport expiry date", "Passport No." and "Date of Birth" imports
//! without `--map`; the report (text and JSON) shows the mapping and every column it does
//! not import, and a required field without a column names the `--map` that fixes it.

use crate::cli::{initialised, safar};
use safar::roster::identity::{make_pinfl, Sex};

/// `rows` good workers under English headers as LibreOffice writes them, plus a column
/// nobody asked for.
fn english_file(headers: &str, rows: u16) -> String {
    let mut csv = format!("{headers}\n");
    for n in 0..rows {
        let birth = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).expect("d") + chrono::Duration::days(i64::from(n) * 7);
        csv.push_str(&format!(
            "Karimov,Jasur,{},M,{},AC{:07},2020-01-10,2030-01-09,Samarqand,seen at the fair\n",
            birth.format("%Y-%m-%d"),
            make_pinfl(birth, Sex::M, 100, n),
            u32::from(n) + 1_000_000,
        ));
    }
    csv
}

const HEADERS: &str = "Last Name,First Name,Date of Birth,Sex,PINFL,Passport No.,Passport issue date,\
                       Passport expiry date,Region,Where we met";

#[test]
fn a_libreoffice_english_file_imports_every_good_row_without_a_map() {
    let dir = initialised();
    let file = dir.path().join("workers.csv");
    std::fs::write(&file, english_file(HEADERS, 1000)).expect("write");
    let path = file.display().to_string();

    let r = safar(dir.path(), &["--lang", "en", "import", &path, "--json"], "");
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    let report = r.json();
    assert_eq!(report["added"], 1000, "{}", report["refused"]);
    assert_eq!(report["refused"], serde_json::json!([]));
    let columns = report["columns"].as_array().expect("columns");
    let field_of = |header: &str| {
        columns.iter().find(|c| c["header"] == header).map(|c| c["field"].clone()).expect("column shown")
    };
    assert_eq!(field_of("Passport expiry date"), "passport_expiry");
    assert_eq!(field_of("Passport No."), "passport_number");
    assert_eq!(field_of("Date of Birth"), "birth_date");
    assert_eq!(field_of("Where we met"), serde_json::Value::Null);
    assert_eq!(columns.iter().find(|c| c["header"] == "Where we met").expect("c")["column"], "J");
    assert_eq!(report["missing"], serde_json::json!([]));
}

#[test]
fn the_text_report_names_every_column_and_the_map_that_would_fix_a_missing_one() {
    let dir = initialised();
    let file = dir.path().join("workers.csv");
    // "Passport good thru" is not a header anyone's table knows.
    std::fs::write(&file, english_file(&HEADERS.replace("Passport expiry date", "Passport good thru"), 3))
        .expect("write");
    let path = file.display().to_string();

    let r = safar(dir.path(), &["--lang", "en", "import", &path, "--dry-run"], "");
    assert_eq!(r.code, 0, "{} {}", r.stdout, r.stderr);
    for line in
        ["Columns:", "H  Passport good thru → not imported", "J  Where we met → not imported", "B  First Name → "]
    {
        assert!(r.stdout.contains(line), "{line:?} missing from:\n{}", r.stdout);
    }
    let fix = "--map passport_expiry=\"Passport good thru\"";
    assert!(r.stdout.contains(fix), "{}", r.stdout);

    let json = safar(dir.path(), &["--lang", "en", "import", &path, "--dry-run", "--json"], "").json();
    assert_eq!(json["missing"], serde_json::json!([{"field": "passport_expiry", "map": fix}]));

    // The suggestion works as printed.
    let fixed =
        safar(dir.path(), &["import", &path, "--json", "--map", "passport_expiry=Passport good thru"], "").json();
    assert_eq!((fixed["added"].as_u64(), fixed["missing"].as_array().map(Vec::len)), (Some(3), Some(0)), "{fixed}");
}
