//! Readers: a file's bytes → a table of cells. Spreadsheets through calamine (xlsx, xls,
//! ods), text through the csv crate after the encoding is found (a BOM, UTF-16 by its
//! zero bytes, valid UTF-8, else chardetng's guess, which the preview reports as a guess)
//! and the delimiter sniffed. Nothing here trusts the file: sizes are capped and every
//! failure is a code, never a panic.

use crate::error::{AppError, Result};
use calamine::{Data, Reader};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::Serialize;
use std::io::Cursor;

/// Bigger files are refused before reading: a roster of a million rows is ~200 MB of CSV.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// Rows beyond this are refused (the table is held in memory for the preview).
pub const MAX_ROWS: usize = 1_000_000;
pub const MAX_COLUMNS: usize = 200;

/// One cell as the file holds it: spreadsheets keep numbers and dates typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    /// A real date cell (already in the workbook's 1900 or 1904 system).
    Date(chrono::NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row with its number in the file (1-based, the header row included, as a spreadsheet
/// or a text editor shows it).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// What was read and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// csv, xlsx, xls, ods.
    pub format: &'static str,
    /// The text encoding (text files only).
    pub encoding: Option<&'static str>,
    /// True when the encoding is a statistical guess: the preview shows the text and the
    /// user may choose another.
    pub encoding_guessed: bool,
    /// The delimiter (text files only).
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
    /// The workbook counts dates from 1904 (old Mac Excel).
    pub date1904: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub source: Source,
    /// All rows with any content, in file order (the header row is chosen later).
    pub rows: Vec<Row>,
}

fn unreadable(detail: &str) -> AppError {
    AppError::new("import_unreadable").with("detail", detail)
}

/// Reads a file's bytes. `name` gives the extension; `encoding` overrides detection.
pub fn read(name: &str, bytes: &[u8], encoding: Option<&str>) -> Result<Table> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::new("import_too_big").with("max", MAX_BYTES / (1024 * 1024)));
    }
    if bytes.is_empty() {
        return Err(AppError::new("import_empty"));
    }
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    // The content decides, not the name: a CSV saved as .xls (common with web exports) is
    // still read as text.
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if zip || ole {
        let format = match (zip, ext.as_str()) {
            (true, "ods") => "ods",
            (true, _) => "xlsx",
            (false, _) => "xls",
        };
        return read_workbook(bytes, format);
    }
    read_text(bytes, encoding)
}

// ------------------------------------------------------------------ spreadsheets

/// Excel serial day 0 in the 1900 system is 1899-12-31, but Excel counts a 29 February
/// 1900 that never existed, so from serial 61 on the base is 1899-12-30.
pub fn excel_serial_date(serial: f64, date1904: bool) -> Option<chrono::NaiveDate> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let (base, days) = if date1904 {
        (chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days >= 61 {
        (chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    } else if days == 60 {
        // Excel's fictitious 1900-02-29.
        return None;
    } else {
        (chrono::NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

fn read_workbook(bytes: &[u8], format: &'static str) -> Result<Table> {
    // calamine parses untrusted zip/XML/OLE; a panic inside it must not take the app
    // down, so it becomes an "unreadable file" refusal like any other parse error.
    let owned = bytes.to_vec();
    let outcome = std::panic::catch_unwind(move || read_workbook_inner(owned, format));
    match outcome {
        Ok(r) => r,
        Err(_) => Err(unreadable("the spreadsheet reader failed")),
    }
}

pub(crate) fn read_workbook_inner(bytes: Vec<u8>, format: &'static str) -> Result<Table> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e.to_string()))?;
    let names = book.sheet_names();
    let mut chosen = None;
    // The first sheet with content (a workbook often opens with an empty or a title sheet).
    for name in names {
        let Ok(range) = book.worksheet_range(&name) else { continue };
        if range.get_size().0 > 0 && range.cells().any(|(_, _, c)| !matches!(c, Data::Empty)) {
            chosen = Some((name, range));
            break;
        }
    }
    let Some((sheet, range)) = chosen else {
        return Err(AppError::new("import_empty"));
    };
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut date1904 = false;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        if rows.len() >= MAX_ROWS {
            return Err(AppError::new("import_too_many_rows").with("max", MAX_ROWS));
        }
        // Columns left of the range's start are empty in the sheet; keep positions true.
        let mut cells = vec![Cell::Empty; start_col as usize];
        for c in r.iter().take(MAX_COLUMNS) {
            cells.push(match c {
                Data::Empty | Data::Error(_) => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(n) => Cell::Int(*n),
                Data::Float(f) => Cell::Number(*f),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(d) => {
                    let (y, m, day, ..) = d.to_ymd_hms_milli();
                    // The flag is private to calamine; a 1904 workbook shows itself by
                    // giving a different day than the 1900 system for the same serial.
                    if excel_serial_date(d.as_f64(), false).is_some_and(|x| {
                        chrono::Datelike::year(&x) != i32::from(y) || chrono::Datelike::day(&x) != u32::from(day)
                    }) {
                        date1904 = true;
                    }
                    match chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                        Some(date) if d.is_datetime() => Cell::Date(date),
                        _ => Cell::Number(d.as_f64()),
                    }
                }
                Data::DateTimeIso(s) => Cell::Text(s.get(..10).unwrap_or(s).to_string()),
                Data::DurationIso(s) => Cell::Text(s.clone()),
            });
        }
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        rows.push(Row { number: start_row as usize + i + 1, cells });
    }
    Ok(Table {
        source: Source {
            format,
            encoding: None,
            encoding_guessed: false,
            delimiter: None,
            sheet: Some(sheet),
            date1904,
        },
        rows,
    })
}

// ------------------------------------------------------------------ text

/// The encoding of text bytes: (encoding, bytes after any BOM, guessed?).
pub fn detect_encoding(bytes: &[u8]) -> (&'static Encoding, usize, bool) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return (enc, bom, false);
    }
    // UTF-16 without a BOM: text in Latin or Cyrillic has a high byte of 0x00 or 0x04 in
    // every other position (which can even pass for UTF-8 control characters); count them
    // at even and odd offsets of the first 4 KiB.
    let head = &bytes[..bytes.len().min(4096) & !1];
    let high = |b: &u8| *b == 0 || *b == 4;
    let even = head.iter().step_by(2).filter(|b| high(b)).count();
    let odd = head.iter().skip(1).step_by(2).filter(|b| high(b)).count();
    let half = head.len() / 2;
    if half >= 4 {
        if odd * 10 >= half * 9 && even * 2 < half {
            return (UTF_16LE, 0, true);
        }
        if even * 10 >= half * 9 && odd * 2 < half {
            return (UTF_16BE, 0, true);
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, 0, false);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // `uz` is not a TLD chardetng weighs; none lets Cyrillic single-byte encodings compete.
    (detector.guess(None, chardetng::Utf8Detection::Deny), 0, true)
}

/// Comma, semicolon or tab: the one that splits the first lines most consistently (quoted
/// text is skipped), comma on a tie.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    let mut best = (b',', 0usize, 0usize);
    for d in [',', ';', '\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let first = counts.first().copied().unwrap_or(0);
        let same = counts.iter().filter(|c| **c == first).count();
        if first > 0 && (same, first) > (best.2, best.1) {
            best = (d as u8, first, same);
        }
    }
    best.0
}

fn read_text(bytes: &[u8], encoding: Option<&str>) -> Result<Table> {
    let (enc, skip, guessed) = match encoding.map(str::trim).filter(|e| !e.is_empty()) {
        Some(label) => {
            let enc = Encoding::for_label(label.as_bytes())
                .ok_or_else(|| AppError::new("encoding_unknown").on("encoding").with("encoding", label))?;
            let skip = Encoding::for_bom(bytes).filter(|(e, _)| *e == enc).map_or(0, |(_, n)| n);
            (enc, skip, false)
        }
        None => detect_encoding(bytes),
    };
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes[skip..]);
    if had_errors {
        // Never garble silently: bytes that are not text in this encoding refuse the file.
        return Err(AppError::new("encoding_invalid").on("encoding").with("encoding", enc.name()));
    }
    if text.contains('\0') {
        return Err(unreadable("binary data"));
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line numbers counted from byte offsets (a quoted cell may span lines).
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(unreadable(&e.to_string())),
        }
        if rows.len() >= MAX_ROWS {
            return Err(AppError::new("import_too_many_rows").with("max", MAX_ROWS));
        }
        // The reported start may be the end of the previous line: skip line breaks.
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).max(counted_to);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes().get(counted_to..start).map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        counted_to = start;
        let number = line;
        let cells: Vec<Cell> = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|v| if v.trim().is_empty() { Cell::Empty } else { Cell::Text(v.to_string()) })
            .collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        rows.push(Row { number, cells });
    }
    if rows.is_empty() {
        return Err(AppError::new("import_empty"));
    }
    Ok(Table {
        source: Source {
            format: "csv",
            encoding: Some(enc.name()),
            encoding_guessed: guessed,
            delimiter: Some(delimiter as char),
            sheet: None,
            date1904: false,
        },
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_in_both_systems() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(excel_serial_date(36646.0, false), d(2000, 4, 30));
        assert_eq!(excel_serial_date(1.0, false), d(1900, 1, 1));
        assert_eq!(excel_serial_date(59.0, false), d(1900, 2, 28));
        assert_eq!(excel_serial_date(60.0, false), None);
        assert_eq!(excel_serial_date(61.0, false), d(1900, 3, 1));
        assert_eq!(excel_serial_date(36646.0 - 1462.0, true), d(2000, 4, 30));
        assert_eq!(excel_serial_date(-5.0, false), None);
        assert_eq!(excel_serial_date(f64::NAN, false), None);
    }

    #[test]
    fn encodings_are_found_or_reported_as_guesses() {
        let text = "Фамилия;Имя\nҒуломов;Анвар\n";
        let (e, skip, g) = detect_encoding(text.as_bytes());
        assert_eq!((e.name(), skip, g), ("UTF-8", 0, false));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(detect_encoding(&bom).1, 3);
        let utf16: Vec<u8> = "Фамилия;Имя\nКаримов;Жасур\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(detect_encoding(&utf16).0.name(), "UTF-16LE");
        let utf16be: Vec<u8> = "Familiya,Ism\nKarimov,Jasur\n".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(detect_encoding(&utf16be).0.name(), "UTF-16BE");
        let (cp, _, _) = encoding_rs::WINDOWS_1251
            .encode("Фамилия;Имя;Отчество\nКаримов;Жасур;Отабекович\nСаидова;Зарина;Бобуровна\n");
        let (e, _, g) = detect_encoding(&cp);
        assert_eq!((e.name(), g), ("windows-1251", true));
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b,c\n1,2,3\n"), b',');
    }

    #[test]
    fn rows_keep_their_line_numbers() {
        let t = read("a.csv", b"h1,h2\n\nx,y\n\"multi\nline\",z\nlast,w\n", None).expect("read");
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 6]);
        assert_eq!(read("a.csv", b"", None).expect_err("empty").code, "import_empty");
        assert_eq!(read("a.csv", b"a,b", Some("klingon")).expect_err("label").code, "encoding_unknown");
    }
}
