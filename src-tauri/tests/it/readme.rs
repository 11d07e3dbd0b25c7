//! The README's demo commands, run as written: the marked shell block goes through bash
//! verbatim, with `cargo run -p safar --` standing for the binary these tests built and
//! `scripts/run.sh` in its dry mode (it prints the command it would run instead of building
//! and opening a window), then the app's own parser is handed what run.sh would pass.

use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = "<!-- readme-demo:";
const DEMO_DIR: &str = "/tmp/safar-demo";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo root").to_path_buf()
}

/// The shell block after the marker.
fn demo_block() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let after = readme.split_once(MARKER).expect("the README marks its demo block").1;
    let body = after.split_once("```sh\n").expect("a ```sh block after the marker").1;
    body.split_once("\n```").expect("the block ends").0.to_string()
}

/// `scripts/run.sh ARGS` in its dry mode: the command it would run.
fn run_sh_dry(args: &[&str]) -> Vec<String> {
    let out =
        Command::new(repo_root().join("scripts/run.sh")).args(args).env("SAFAR_RUN_DRY", "1").output().expect("run.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn the_readme_demo_commands_work_as_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("safar-demo");
    let shims = tmp.path().join("bin");
    std::fs::create_dir(&shims).expect("shims");
    // `cargo run -p safar -- ARGS` is the binary with ARGS; anything else is not what the
    // README says and fails the test.
    let cargo = shims.join("cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\n[ \"$1 $2 $3 $4\" = 'run -p safar --' ] || { echo \"unexpected: cargo $*\" >&2; exit 97; }\n\
         shift 4\nexec \"$SAFAR_TEST_BIN\" \"$@\"\n",
    )
    .expect("shim");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let block = demo_block();
    assert!(block.contains("scripts/run.sh -- --data-dir /tmp/safar-demo"), "{block}");
    let script = block.replace(DEMO_DIR, &data.display().to_string());
    let path = format!("{}:{}", shims.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(repo_root())
        .env("PATH", path)
        .env("SAFAR_TEST_BIN", env!("CARGO_BIN_EXE_safar"))
        .env("SAFAR_RUN_DRY", "1")
        .env_remove("SAFAR_USER")
        .env_remove("SAFAR_DATA_DIR")
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the README block failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));

    // run.sh drops the leading `--`: the app gets `--data-dir DIR` and nothing else.
    let data_text = data.display().to_string();
    let want = ["cargo", "run", "-p", "safar", "--", "--data-dir", &data_text];
    let printed: Vec<&str> = stdout.lines().rev().take(want.len()).collect::<Vec<_>>().into_iter().rev().collect();
    assert_eq!(printed, want, "{stdout}");
    // …which the app's parser accepts (no window: --version opens nothing).
    let app = Command::new(env!("CARGO_BIN_EXE_safar"))
        .args(&want[5..])
        .args(["--version", "--json"])
        .output()
        .expect("safar");
    assert!(app.status.success(), "{}", String::from_utf8_lossy(&app.stderr));
    let about: serde_json::Value = serde_json::from_slice(&app.stdout).expect("json");
    assert_eq!(about["data_dir"], data_text);
    // The demo landed in that folder.
    let info = Command::new(env!("CARGO_BIN_EXE_safar"))
        .args(["--data-dir", &data_text, "--json", "info"])
        .env_remove("SAFAR_USER")
        .output()
        .expect("safar info");
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).expect("info json");
    assert_eq!(info["workers"], 2000);
}

#[test]
fn run_sh_passes_the_same_arguments_with_or_without_the_leading_separator() {
    let with = run_sh_dry(&["--", "--data-dir", "/x y"]);
    assert_eq!(with, ["cargo", "run", "-p", "safar", "--", "--data-dir", "/x y"]);
    assert_eq!(run_sh_dry(&["--data-dir", "/x y"]), with);
    assert_eq!(run_sh_dry(&[]), ["cargo", "run", "-p", "safar", "--"]);
    // Only the first `--` is the script's: a second one is the app's business.
    assert_eq!(run_sh_dry(&["--", "--"]), ["cargo", "run", "-p", "safar", "--", "--"]);
}
