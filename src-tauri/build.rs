// The command list comes from data/permissions.tsv, the command × role table: Tauri
// generates an `allow-<command>` permission for each, and capabilities/main.json grants
// them to the main window. A command missing from the table cannot be called from the UI.
fn main() {
    // sqlx::migrate! embeds the files; without this a new migration does not rebuild.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=../ui/i18n");
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
