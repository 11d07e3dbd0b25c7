// The command list here is the app's ACL manifest: Tauri generates an
// `allow-<command>` permission for each, and capabilities/main.json grants exactly
// these to the main window. A command missing here cannot be called from the UI.
const COMMANDS: &[&str] = &[
    "app_info",
    "settings_get",
    "settings_set_language",
    "reference_data",
    "workers_list",
    "workers_get",
    "workers_check",
    "workers_create",
    "workers_update",
    "workers_set_status",
    "workers_archive",
    "workers_restore",
    "workers_history",
];

fn main() {
    // sqlx::migrate! embeds the files; without this a new migration does not rebuild.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=../ui/i18n");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
