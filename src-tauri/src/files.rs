//! Reading what a user names: a file on the command line or standard input. Every read is
//! bounded whatever the file is: a size limit checked on the metadata alone would let
//! `/dev/zero`, a FIFO or `/dev/stdin` grow without end, so at most `max + 1` bytes are
//! ever read, and anything that is not a regular file (a device, a FIFO, a directory) is
//! refused before it is opened.

use crate::error::{AppError, Result};
use std::io::Read;
use std::path::Path;

/// Imports: spreadsheets and text files.
pub const IMPORT_MAX: u64 = 256 * 1024 * 1024;
/// A contract scan or another attachment.
pub const ATTACHMENT_MAX: u64 = 10 * 1024 * 1024;
/// A certificate to verify: a PDF, a scan or a photo of the page.
pub const VERIFY_MAX: u64 = 20 * 1024 * 1024;
/// A public key file of another agency (one line).
pub const KEY_MAX: u64 = 64 * 1024;
/// The certificate's logo.
pub const LOGO_MAX: u64 = 1024 * 1024;
/// One JSON object on standard input (a worker, a consent, a contract...).
pub const STDIN_MAX: u64 = 1024 * 1024;

/// Reads the regular file at `path`, at most `max` bytes; `too_big` is the refusal when it
/// holds more (each area has its own message and limit). `field` names the argument in the
/// messages for a missing or special file.
pub fn read_bounded(path: &Path, max: u64, field: &'static str, too_big: impl FnOnce() -> AppError) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|_| AppError::new("file_unreadable").on(field))?;
    if !meta.is_file() {
        return Err(AppError::new("file_not_regular").on(field).with("path", path.display()));
    }
    let file = std::fs::File::open(path).map_err(|_| AppError::new("file_unreadable").on(field))?;
    let bytes = read_at_most(file, max)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// As [`read_bounded`], for text files (keys): invalid UTF-8 is bad input, not a failure.
pub fn read_text_bounded(path: &Path, max: u64, field: &'static str) -> Result<String> {
    let bytes = read_bounded(path, max, field, || file_too_big(field, max))?;
    String::from_utf8(bytes).map_err(|_| AppError::new("input_not_utf8").on(field))
}

/// Standard input as text, at most `max` bytes: a pipe has no size to check up front.
pub fn read_stdin_text(max: u64) -> Result<String> {
    text_from(std::io::stdin().lock(), max)
}

fn text_from(reader: impl Read, max: u64) -> Result<String> {
    let bytes = read_at_most(reader, max)?;
    if bytes.len() as u64 > max {
        return Err(AppError::new("input_too_big").on("input").with("max", size_text(max)));
    }
    String::from_utf8(bytes).map_err(|_| AppError::new("input_not_utf8").on("input"))
}

/// The generic refusal of a file over `max`.
pub fn file_too_big(field: &'static str, max: u64) -> AppError {
    AppError::new("file_too_big").on(field).with("max", size_text(max))
}

/// `10 MiB`, `64 KiB`: limits as people read them.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

fn read_at_most(reader: impl Read, max: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_source_is_cut_after_the_limit() {
        let endless = std::io::repeat(b'a');
        let e = text_from(endless, 1024).expect_err("refused");
        assert_eq!((e.code, e.field), ("input_too_big", Some("input")));
    }

    #[test]
    fn text_that_is_not_utf8_is_bad_input() {
        let e = text_from(&b"{\"a\": \"\xff\xfe\"}"[..], 1024).expect_err("refused");
        assert_eq!(e.code, "input_not_utf8");
        assert_eq!(text_from(&b"{}"[..], 2).expect("fits exactly"), "{}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_before_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        for path in [Path::new("/dev/zero"), Path::new("/dev/null"), dir.path()] {
            let e = read_bounded(path, 10, "file", || file_too_big("file", 10)).expect_err("refused");
            assert_eq!((e.code, e.field), ("file_not_regular", Some("file")), "{}", path.display());
        }
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success());
        // Opening a FIFO for reading would block until a writer comes: it must not be opened.
        let e = read_bounded(&fifo, 10, "file", || file_too_big("file", 10)).expect_err("refused");
        assert_eq!(e.code, "file_not_regular");
    }

    #[test]
    fn a_regular_file_over_the_limit_gets_its_areas_refusal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.bin");
        std::fs::write(&path, vec![0u8; 11]).expect("write");
        let e = read_bounded(&path, 10, "file", || AppError::new("attachment_too_large")).expect_err("refused");
        assert_eq!(e.code, "attachment_too_large");
        assert_eq!(read_bounded(&path, 11, "file", || file_too_big("file", 11)).expect("fits").len(), 11);
        let e = read_bounded(&dir.path().join("missing"), 10, "file", || file_too_big("file", 10)).expect_err("x");
        assert_eq!(e.code, "file_unreadable");
        assert_eq!(size_text(10 * 1024 * 1024), "10 MiB");
        assert_eq!(size_text(64 * 1024), "64 KiB");
    }
}
