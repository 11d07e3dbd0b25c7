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

fn harness() -> Harness {
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
}

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
    let e = h.call("workers_set_status", json!({"id": id, "status": "departed", "reason": "x"})).expect_err("jump");
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
