//! The commands as the window calls them: through Tauri's IPC on the mock runtime, with the
//! app's real configuration and capabilities (so the ACL is exercised too).

use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

struct Harness {
    app: tauri::App<tauri::test::MockRuntime>,
    _dir: tempfile::TempDir,
}

/// An app on a fresh data dir, set up through `setup_init` (which signs the admin in).
fn harness() -> Harness {
    let h = bare();
    h.call("setup_init", json!({"agency": agency(), "admin": {"login": "admin", "full_name": "Karimov Anvar", "password": "Toshkent-2026"}}))
        .expect("setup");
    for role in ["staff", "viewer"] {
        let input = json!({"login": format!("as.{role}"), "full_name": role, "role": role, "password": "Parol-2026-x"});
        h.call("users_add", json!({"input": input})).expect("user");
    }
    h
}

fn agency() -> Value {
    json!({"name": "Safar Xususiy bandlik agentligi", "licence_number": "XBA-0042", "licence_date": "2025-02-01",
           "address": "Toshkent", "director": "Karimov Anvar"})
}

/// An app before its first run.
fn bare() -> Harness {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = tauri::async_runtime::block_on(safar::open_state(dir.path())).expect("state");
    let app = safar::with_commands(mock_builder()).manage(state).build(tauri::generate_context!()).expect("app");
    Harness { app, _dir: dir }
}

impl Harness {
    fn window(&self, label: &str) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
        match self.app.get_webview_window(label) {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&self.app, label, Default::default()).build().expect("window"),
        }
    }

    fn call_in(&self, label: &str, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window(label), request).map(|b| b.deserialize::<Value>().expect("json"))
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_in("main", cmd, args)
    }

    /// Acts as the harness's user of `role` without a sign-in round (argon2 is tested
    /// elsewhere); the core re-reads the role on every call, so it must be a real user.
    fn become_(&self, role: Option<Role>) {
        let state = self.app.state::<safar::AppState>();
        let session = role.map(|role| {
            let login = if role == Role::Admin { "admin".to_string() } else { format!("as.{}", role.code()) };
            let users = tauri::async_runtime::block_on(state.desk.users()).expect("users");
            let user = users.iter().find(|u| u.login == login).expect("harness user");
            Session { user_id: user.id, login, role }
        });
        state.set_session(session);
    }
}

use safar::accounts::{Role, Session};

fn anvar() -> Value {
    serde_json::to_value(crate::support::anvar()).expect("json")
}

#[test]
fn a_worker_created_over_ipc_is_listed_and_found_by_cyrillic_search() {
    let h = harness();
    let saved = h.call("workers_create", json!({"input": anvar()})).expect("create");
    let id = saved["worker"]["id"].as_i64().expect("id");
    assert_eq!(saved["worker"]["phone_display"], "+998 90 123 45 67");
    assert_eq!(saved["worker"]["status"], "registered");
    let list = h.call("workers_list", json!({"query": {"search": "Гуломов", "with_total": true}})).expect("list");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    let got = h.call("workers_get", json!({"id": id})).expect("get");
    assert_eq!(got["last_name"], "Gʻulomov");
}

#[test]
fn a_refusal_names_each_field_in_the_chosen_language() {
    let h = harness();
    let mut bad = anvar();
    bad["pinfl"] = json!("31503901234563");
    let e = h.call("workers_create", json!({"input": bad.clone()})).expect_err("refused");
    assert_eq!(e["code"], "validation");
    assert_eq!(e["problems"][0]["field"], "pinfl");
    assert_eq!(e["problems"][0]["code"], "pinfl_checksum");
    let uz = e["problems"][0]["message"].as_str().expect("message").to_string();

    h.call("settings_set_language", json!({"language": "en"})).expect("set language");
    assert_eq!(h.call("settings_get", json!({})).expect("get")["language"], "en");
    let e = h.call("workers_create", json!({"input": bad})).expect_err("refused");
    let en = e["problems"][0]["message"].as_str().expect("message");
    assert_eq!(en, "PINFL: the check digit (the last one) does not match; a digit is mistyped");
    assert_ne!(uz, en, "the Uzbek message is a translation, not the English text");
    let list = h.call("workers_list", json!({"query": {}})).expect("list");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "nothing saved");
}

#[test]
fn the_form_check_derives_birth_date_and_sex_from_the_pinfl() {
    let h = harness();
    let c = h.call("workers_check", json!({"input": {"pinfl": "40207950450011"}})).expect("check");
    assert_eq!(c["derived"], json!({"birth_date": "1995-07-02", "sex": "F"}));
    let fields: Vec<&str> =
        c["problems"].as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert!(fields.contains(&"last_name") && !fields.contains(&"pinfl"), "{fields:?}");
}

#[test]
fn status_moves_and_history_over_ipc() {
    let h = harness();
    let id = h.call("workers_create", json!({"input": anvar()})).expect("create")["worker"]["id"].clone();
    let e = h.call("workers_set_status", json!({"id": id, "status": "certified", "reason": "x"})).expect_err("jump");
    assert_eq!(e["code"], "status_move_forbidden");
    let w =
        h.call("workers_set_status", json!({"id": id, "status": "in_training", "reason": "cohort 3"})).expect("move");
    assert_eq!(w["status"], "in_training");
    let hist = h.call("workers_history", json!({"id": id})).expect("history");
    assert_eq!(hist.as_array().map(Vec::len), Some(2));
    assert_eq!(hist[1]["from"], "registered");
    let r = h.call("reference_data", json!({})).expect("reference");
    assert_eq!(r["regions"].as_array().map(Vec::len), Some(14));
    assert_eq!(r["transitions"]["registered"], json!(["in_training", "withdrawn", "rejected"]));
}

#[test]
fn a_window_without_the_capability_cannot_call_safar_commands() {
    let h = harness();
    assert!(h.call("workers_list", json!({"query": {}})).is_ok());
    let e = h.call_in("intruder", "workers_list", json!({"query": {}})).expect_err("refused by the ACL");
    assert!(e.to_string().contains("not allowed"), "{e}");
}

/// Arguments that parse for each command, so a refusal can only come from the role check.
fn sample_args(cmd: &str) -> Value {
    match cmd {
        "settings_set_language" => json!({"language": "en"}),
        "auth_login" => json!({"login": "nobody", "password": "x"}),
        "setup_init" => json!({"agency": agency(), "admin": {"login": "second", "password": "Toshkent-2026"}}),
        "auth_change_password" => json!({"oldPassword": "x", "newPassword": "y"}),
        "users_add" => {
            json!({"input": {"login": "new.user", "full_name": "N", "role": "viewer", "password": "Parol-2026-x"}})
        }
        "users_disable" | "users_enable" => json!({"id": 999}),
        "users_set_role" => json!({"id": 999, "role": "staff"}),
        "agency_update" => json!({"version": 99, "agency": agency()}),
        "audit_list" => json!({"query": {}}),
        "workers_list" => json!({"query": {}}),
        "workers_check" => json!({"input": {}}),
        "workers_create" => json!({"input": {}}),
        "workers_update" => json!({"id": 999, "version": 1, "input": {}}),
        "workers_set_status" => json!({"id": 999, "status": "in_training", "reason": "r"}),
        "workers_consent_add" => json!({"id": 999, "consent": {}}),
        "workers_consent_withdraw" => json!({"id": 999, "reason": "r"}),
        "workers_get" | "workers_history" | "workers_audit" | "workers_archive" | "workers_restore"
        | "workers_export" => {
            json!({"id": 999})
        }
        "employers_add" | "jobs_add" | "contracts_add" | "fees_add" => json!({"input": {}}),
        "employers_get" | "employers_archive" | "jobs_get" | "contracts_get" | "workers_journeys" => json!({"id": 999}),
        "contracts_set_status" => json!({"id": 999, "status": "signed"}),
        "contracts_register" => json!({"id": 999, "number": "N", "date": "2026-01-01"}),
        "workers_depart" => json!({"id": 999, "date": "2026-01-01"}),
        "workers_return" => json!({"id": 999, "date": "2026-01-01", "reason": "other"}),
        "fees_list" | "fees_totals" | "fees_statement" => json!({"workerId": 999}),
        "courses_add" | "cohorts_add" => json!({"input": {}}),
        "cohorts_get" => json!({"id": 999}),
        "training_enroll" => json!({"cohortId": 999, "workerIds": [1]}),
        "training_attend" => json!({"cohortId": 999, "sessionId": 1, "workerIds": [1], "present": true}),
        "training_score" => json!({"cohortId": 999, "workerId": 1, "score": "50"}),
        "certificates_issue" => json!({"cohortId": 999}),
        "certificates_get" | "certificates_preview" => json!({"number": "SFR-2026-999999"}),
        "certificates_revoke" => json!({"number": "SFR-2026-999999", "reason": "r"}),
        "certificates_print" => json!({"numbers": ["SFR-2026-999999"], "singleFile": false}),
        "certificates_print_status" | "certificates_print_cancel" => json!({"job": 999}),
        "certificates_verify" => json!({"code": "SFR1AAAA"}),
        "certificates_verify_file" => json!({"data": "AAAA"}),
        "certificates_trust_key" => json!({"text": "nonsense"}),
        "certificates_config_set" => json!({"key": "certificate_prefix", "value": "!"}),
        "settings_change" => json!({"key": "consulting_cap_bcv", "value": "2"}),
        "contracts_attach" => json!({"id": 999, "name": "scan.pdf", "data": "JVBERi0xLjc="}),
        "contracts_attachments" | "attachments_open" => json!({"id": 999}),
        "import_preview" => json!({"name": "w.csv", "data": "bGFzdF9uYW1lCkthcmltb3YK"}),
        "import_commit" | "import_report" => json!({"token": 1}),
        "export_workers" => json!({"query": {}, "format": "csv"}),
        "export_contracts" | "export_certificates" => json!({"format": "csv"}),
        "backup_set_folder" => json!({"folder": "not/absolute"}),
        "backup_verify" => json!({"file": "/nonexistent.safarbak"}),
        "backup_restore" => json!({"file": "/nonexistent.safarbak", "to": "/nonexistent/x"}),
        "backup_recover" => json!({"file": "/nonexistent.safarbak", "to": "/nonexistent/x", "key": "nonsense"}),
        _ => json!({}),
    }
}

#[test]
fn every_command_obeys_the_role_table_over_ipc() {
    let h = harness();
    let mut checked = 0;
    for cmd in safar::accounts::commands().into_iter().filter(|c| *c != "demo") {
        for role in [None, Some(Role::Admin), Some(Role::Staff), Some(Role::Viewer)] {
            h.become_(role);
            let allowed = safar::accounts::allowed(cmd, role);
            let outcome = h.call(cmd, sample_args(cmd));
            let code = outcome.as_ref().err().and_then(|e| e["code"].as_str().map(str::to_string));
            let refused = matches!(code.as_deref(), Some("forbidden") | Some("unauthenticated"));
            assert_eq!(!refused, allowed, "{cmd} as {role:?}: {outcome:?}");
            if let (false, Some(r)) = (allowed, role) {
                assert_eq!(code.as_deref(), Some("forbidden"), "{cmd} as {r:?}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 120, "{checked}");
}

#[test]
fn a_viewer_can_read_but_his_writes_are_refused_and_nothing_changes() {
    let h = harness();
    let id = h.call("workers_create", json!({"input": anvar()})).expect("create")["worker"]["id"].clone();
    h.become_(Some(Role::Viewer));
    assert!(h.call("workers_get", json!({"id": id})).is_ok());
    let e =
        h.call("workers_set_status", json!({"id": id, "status": "in_training", "reason": "x"})).expect_err("viewer");
    assert_eq!(e["code"], "forbidden");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    h.become_(Some(Role::Admin));
    assert_eq!(h.call("workers_get", json!({"id": id})).expect("get")["status"], "registered");
}

#[test]
fn before_the_first_run_only_setup_and_sign_in_answer() {
    let h = bare();
    let status = h.call("auth_status", json!({})).expect("status");
    assert_eq!(status["initialized"], false);
    assert_eq!(h.call("workers_list", json!({"query": {}})).expect_err("locked")["code"], "unauthenticated");
    h.call(
        "setup_init",
        json!({"agency": agency(), "admin": {"login": "admin", "full_name": "A", "password": "Toshkent-2026"}}),
    )
    .expect("setup");
    let status = h.call("auth_status", json!({})).expect("status");
    assert_eq!((status["initialized"].clone(), status["user"]["login"].clone()), (json!(true), json!("admin")));
    h.call("auth_logout", json!({})).expect("logout");
    assert_eq!(h.call("workers_list", json!({"query": {}})).expect_err("signed out")["code"], "unauthenticated");
    assert_eq!(
        h.call("auth_login", json!({"login": "admin", "password": "nope"})).expect_err("wrong")["code"],
        "login_failed"
    );
    h.call("auth_login", json!({"login": "admin", "password": "Toshkent-2026"})).expect("login");
    assert!(h.call("workers_list", json!({"query": {}})).is_ok());
}

#[test]
fn the_role_table_the_handlers_and_the_capability_name_the_same_commands() {
    let table: std::collections::BTreeSet<&str> =
        safar::accounts::commands().into_iter().filter(|c| *c != "demo").collect();
    let lib = include_str!("../../src/lib.rs");
    let block = lib.split("generate_handler![").nth(1).and_then(|b| b.split(']').next()).expect("handler list");
    let handlers: std::collections::BTreeSet<&str> =
        block.split(',').map(|s| s.trim().rsplit("::").next().unwrap_or("")).filter(|s| !s.is_empty()).collect();
    assert_eq!(handlers, table, "a command without a line in data/permissions.tsv (or the reverse)");
    let cap: Value = serde_json::from_str(include_str!("../../capabilities/main.json")).expect("capability");
    let granted: std::collections::BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect();
    let wanted: std::collections::BTreeSet<String> =
        table.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(granted, wanted, "capabilities/main.json must grant exactly the table's commands");
}

#[test]
fn disabling_or_demoting_someone_takes_effect_at_his_next_call() {
    let h = harness();
    h.become_(Some(Role::Staff));
    assert!(h.call("workers_create", json!({"input": anvar()})).is_ok());
    let state = h.app.state::<safar::AppState>();
    let staff_id = state.session().expect("session").user_id;
    // The admin, elsewhere (another window, the CLI), demotes him, then disables him.
    let admin = Session { user_id: 1, login: "admin".into(), role: Role::Admin };
    tauri::async_runtime::block_on(state.desk.set_user_role(staff_id, "viewer", &admin)).expect("demote");
    let mut again = anvar();
    again["pinfl"] = json!("40207950450011");
    again["passport_number"] = json!("AB7654321");
    assert_eq!(h.call("workers_create", json!({"input": again})).expect_err("demoted")["code"], "forbidden");
    tauri::async_runtime::block_on(state.desk.set_user_disabled(staff_id, true, &admin)).expect("disable");
    assert_eq!(h.call("workers_list", json!({"query": {}})).expect_err("disabled")["code"], "unauthenticated");
}

#[test]
fn an_import_is_previewed_then_committed_batch_by_batch_and_a_stop_leaves_whole_batches() {
    use base64::Engine;
    let h = harness();
    let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/workers.csv")).expect("sample");
    let data = base64::engine::general_purpose::STANDARD.encode(csv);
    let p = h.call("import_preview", json!({"name": "workers.csv", "data": data})).expect("preview");
    assert_eq!(
        (p["data_rows"].clone(), p["refused_rows"].clone(), p["writes"].clone()),
        (json!(48), json!(8), json!(40))
    );
    assert_eq!(p["report"]["refused"][0]["row"], 11);
    // The window reads the exact counts and what the capped lists leave out.
    assert_eq!(
        p["report"]["counts"]["refused"].as_object().map(|c| c.values().filter_map(Value::as_u64).sum::<u64>()),
        Some(p["report"]["refused"].as_array().map_or(0, Vec::len) as u64)
    );
    assert_eq!(p["report"]["left_out"], json!({"refused": 0, "duplicates": 0, "warnings": 0}));
    assert_eq!(p["columns"][0], json!({"index": 0, "header": "last_name", "field": "last_name"}));
    let token = p["token"].clone();
    assert!(token.as_u64().is_some_and(|t| t < 1 << 53), "a token the window's numbers hold exactly");

    // The clerk stops after the first batch: exactly one batch is in the roster.
    let first = h.call("import_commit", json!({"token": token, "batch": 15})).expect("batch 1");
    assert_eq!(
        (first["done"].clone(), first["total"].clone(), first["finished"].clone()),
        (json!(15), json!(40), json!(false))
    );
    let list = h.call("workers_list", json!({"query": {"with_total": true}})).expect("list");
    assert_eq!(list["total"], 15);
    // Going on finishes it; the report can be saved; a stale token is refused.
    let second = h.call("import_commit", json!({"token": token, "batch": 15})).expect("batch 2");
    let third = h.call("import_commit", json!({"token": token, "batch": 15})).expect("batch 3");
    assert_eq!(
        (second["done"].clone(), third["done"].clone(), third["finished"].clone()),
        (json!(30), json!(40), json!(true))
    );
    assert_eq!(third["added"], 40);
    let report = h.call("import_report", json!({"token": token})).expect("report");
    assert!(report["path"].as_str().is_some_and(|p| p.ends_with(".xlsx") && std::path::Path::new(p).exists()));
    assert_eq!(h.call("import_commit", json!({"token": 12345})).expect_err("stale")["code"], "import_expired");

    // Staff export (it is audited); a viewer may neither bulk-export personal data nor import.
    h.become_(Some(Role::Staff));
    let e = h.call("export_workers", json!({"query": {"search": "Ғуломов"}, "format": "csv;"})).expect("export");
    let bytes = std::fs::read(e["path"].as_str().expect("path")).expect("file");
    let text = String::from_utf8_lossy(&bytes[3..]).to_string();
    assert!(text.lines().count() >= 6 && text.contains(';') && text.contains("Gʻulomov"), "{text}");
    h.become_(Some(Role::Viewer));
    assert_eq!(
        h.call("export_workers", json!({"query": {}, "format": "csv"})).expect_err("viewer")["code"],
        "forbidden"
    );
    assert_eq!(
        h.call("import_preview", json!({"name": "w.csv", "data": data})).expect_err("viewer")["code"],
        "forbidden"
    );
}

/// Every touch point of a command names the same set: the handler list (lib.rs), the role
/// table (data/permissions.tsv, checked above against the handlers and the capability),
/// the UI's bridge (ui/api.js) and the contract (docs/api.md and the area files it links).
/// The error codes a command may return are checked by error.rs (every code in src/ is
/// translated in all four languages). docs/adding-a-command.md
/// walks through them.
#[test]
fn every_command_is_in_the_bridge_and_the_contract_and_nothing_else_is() {
    let lib = include_str!("../../src/lib.rs");
    let block = lib.split("generate_handler![").nth(1).and_then(|b| b.split(']').next()).expect("handler list");
    let handlers: std::collections::BTreeSet<&str> =
        block.split(',').map(|s| s.trim().rsplit("::").next().unwrap_or("")).filter(|s| !s.is_empty()).collect();
    let api = include_str!("../../../ui/api.js");
    let bridged: std::collections::BTreeSet<&str> =
        api.split("call('").skip(1).filter_map(|s| s.split('\'').next()).collect();
    assert_eq!(bridged, handlers, "ui/api.js must call exactly the registered commands");
    // docs/api.md and the area files it continues.
    let doc = [
        include_str!("../../../docs/api.md"),
        include_str!("../../../docs/accounts.md"),
        include_str!("../../../docs/placements.md"),
    ]
    .concat();
    let undocumented: Vec<&&str> = handlers.iter().filter(|c| !doc.contains(&format!("`{c}`"))).collect();
    assert!(
        undocumented.is_empty(),
        "commands missing from docs/api.md (and accounts.md, placements.md): {undocumented:?}"
    );
}

#[test]
fn the_sign_in_status_names_what_this_user_may_call_and_nothing_more() {
    let h = harness();
    let may = |h: &Harness| -> Vec<String> {
        let status = h.call("auth_status", json!({})).expect("status");
        status["commands"].as_array().expect("commands").iter().filter_map(|c| c.as_str().map(str::to_string)).collect()
    };
    h.become_(Some(Role::Viewer));
    let viewer = may(&h);
    assert!(viewer.contains(&"workers_list".to_string()) && !viewer.contains(&"workers_create".to_string()));
    assert!(!viewer.contains(&"users_list".to_string()), "{viewer:?}");
    h.become_(Some(Role::Staff));
    let staff = may(&h);
    assert!(staff.contains(&"workers_create".to_string()) && !staff.contains(&"users_add".to_string()));
    h.become_(Some(Role::Admin));
    let admin = may(&h);
    assert!(admin.contains(&"users_add".to_string()) && admin.contains(&"audit_list".to_string()));
    // Each named command is one the core then lets through for that role.
    for c in &staff {
        assert!(safar::accounts::allowed(c, Some(Role::Staff)), "{c}");
    }
}
