//! Backups that restore and files nobody else can read (issue 11).

pub mod archive;
pub mod generations;
pub mod keys;
pub mod layout;
pub mod private;
pub mod record;
pub mod recover;
pub mod schedule;
pub mod service;
