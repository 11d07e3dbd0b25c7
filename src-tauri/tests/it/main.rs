//! Integration tests: one binary, one module per area (the service on a real SQLite file,
//! the IPC commands through Tauri's mock runtime, the command line as a user runs it).

mod accounts;
mod backup;
mod cli;
mod cli_dates;
mod hardening;
mod headers;
mod import;
mod ipc;
mod names;
mod placement;
mod readme;
mod roster;
mod support;
mod training;
mod upgrade;
