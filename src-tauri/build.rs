// The command list comes from data/permissions.tsv, the command × role table: Tauri
// generates an `allow-<command>` permission for each, and capabilities/main.json grants
// them to the main window. A command missing from the table cannot be called from the UI.
fn main() {
    // sqlx::migrate! embeds the files; without this a new migration does not rebuild.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=../ui/i18n");
    build_date();
    let table = std::fs::read_to_string("data/permissions.tsv").expect("data/permissions.tsv");
    let commands: &'static [&'static str] = Box::leak(
        table
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            // `demo` is a CLI-only command: it has a row for the role check, not an IPC handler.
            .filter(|c| *c != "demo")
            .map(|c| &*Box::leak(c.to_string().into_boxed_str()))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script failed");
}

/// `SAFAR_BUILD_DATE` (YYYY-MM-DD, UTC) for `safar --version` and About: from
/// `SOURCE_DATE_EPOCH` when set (reproducible builds, scripts/package.sh), else today.
fn build_date() {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let seconds =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): no chrono here.
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    println!("cargo:rustc-env=SAFAR_BUILD_DATE={year:04}-{month:02}-{day:02}");
}
