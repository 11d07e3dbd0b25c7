// Over 500 lines with its tests; the readers themselves are about 430.
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
/// Rows beyond this are refused: the table, its parsed rows and the plan are held in
/// memory for the preview (~170 MiB per 100,000 rows of 17 columns, see BENCHMARKS.md).
pub const MAX_ROWS: usize = 200_000;
/// Cells held (each row up to its last filled cell among the first [`MAX_COLUMNS`]):
/// 200,000 rows of 30 columns (the worker, consent and document fields with room to
/// spare). A sheet of 200,000 × 50 once took 1.4 GB; this stops it while it is read,
/// long before it is all in memory.
pub const MAX_CELLS: usize = 6_000_000;
/// Columns after this one are not read; the preview says how many held something.
pub const MAX_COLUMNS: usize = 200;

/// The caps a read enforces (the constants above; smaller in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub rows: usize,
    pub cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { rows: MAX_ROWS, cells: MAX_CELLS }
    }
}

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
    /// Columns after the [`MAX_COLUMNS`]th up to the last one holding anything: not read.
    pub ignored_columns: usize,
}

/// Collects cells into rows while enforcing the limits, so an oversized sheet is refused
/// as soon as it passes them rather than after it is all in memory.
struct Collector {
    limits: Limits,
    rows: std::collections::BTreeMap<usize, Vec<Cell>>,
    cells: usize,
    /// One past the last column holding anything, read or not.
    widest: usize,
}

impl Collector {
    fn new(limits: Limits) -> Self {
        Collector { limits, rows: Default::default(), cells: 0, widest: 0 }
    }

    /// A cell at (row number, 0-based column). Empty cells hold no place of their own.
    fn cell(&mut self, row: usize, col: usize, cell: Cell) -> Result<()> {
        if cell.is_empty() {
            return Ok(());
        }
        self.widest = self.widest.max(col.saturating_add(1));
        if col >= MAX_COLUMNS {
            return Ok(());
        }
        let count = self.rows.len();
        let cells = match self.rows.entry(row) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                if count >= self.limits.rows {
                    return Err(AppError::new("import_too_many_rows").with("max", self.limits.rows));
                }
                v.insert(Vec::new())
            }
        };
        if cells.len() <= col {
            self.cells += col + 1 - cells.len();
            if self.cells > self.limits.cells {
                return Err(AppError::new("import_too_many_cells")
                    .with("max", self.limits.cells)
                    .with("columns", MAX_COLUMNS));
            }
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = cell;
        Ok(())
    }

    fn finish(self) -> (Vec<Row>, usize) {
        let rows = self.rows.into_iter().map(|(number, cells)| Row { number, cells }).collect();
        (rows, self.widest.saturating_sub(MAX_COLUMNS))
    }
}

fn unreadable(detail: &str) -> AppError {
    AppError::new("import_unreadable").with("detail", detail)
}

/// Reads a file's bytes. `name` gives the extension; `encoding` overrides detection.
pub fn read(name: &str, bytes: &[u8], encoding: Option<&str>) -> Result<Table> {
    read_limited(name, bytes, encoding, Limits::default())
}

/// [`read`] with other caps on rows and cells.
pub fn read_limited(name: &str, bytes: &[u8], encoding: Option<&str>, limits: Limits) -> Result<Table> {
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
        return read_workbook(bytes, format, limits);
    }
    read_text(bytes, encoding, limits)
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

fn read_workbook(bytes: &[u8], format: &'static str, limits: Limits) -> Result<Table> {
    // calamine parses untrusted zip/XML/OLE; a panic inside it must not take the app
    // down, so it becomes an "unreadable file" refusal like any other parse error.
    let outcome = std::panic::catch_unwind(move || read_workbook_inner(bytes, format, limits));
    match outcome {
        Ok(r) => r,
        Err(_) => Err(unreadable("the spreadsheet reader failed")),
    }
}

/// One calamine value as a cell; `date1904` is set when a date cell shows the workbook
/// counts from 1904.
fn convert(value: calamine::DataRef<'_>, date1904: &mut bool) -> Cell {
    use calamine::DataRef as D;
    match value {
        D::Empty | D::Error(_) => Cell::Empty,
        D::String(s) => Cell::Text(s),
        D::SharedString(s) => Cell::Text(s.to_string()),
        D::Int(n) => Cell::Int(n),
        D::Float(f) => Cell::Number(f),
        D::Bool(b) => Cell::Bool(b),
        D::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            // The flag is private to calamine; a 1904 workbook shows itself by giving a
            // different day than the 1900 system for the same serial.
            if excel_serial_date(d.as_f64(), false).is_some_and(|x| {
                chrono::Datelike::year(&x) != i32::from(y) || chrono::Datelike::day(&x) != u32::from(day)
            }) {
                *date1904 = true;
            }
            match chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                Some(date) if d.is_datetime() => Cell::Date(date),
                _ => Cell::Number(d.as_f64()),
            }
        }
        D::DateTimeIso(s) => Cell::Text(s.get(..10).unwrap_or(&s).to_string()),
        D::DurationIso(s) => Cell::Text(s),
    }
}

fn data_ref(d: &Data) -> calamine::DataRef<'_> {
    use calamine::DataRef as D;
    match d {
        Data::Empty => D::Empty,
        Data::Error(e) => D::Error(e.clone()),
        Data::String(s) => D::SharedString(s),
        Data::Int(n) => D::Int(*n),
        Data::Float(f) => D::Float(*f),
        Data::Bool(b) => D::Bool(*b),
        Data::DateTime(t) => D::DateTime(*t),
        Data::DateTimeIso(s) => D::DateTimeIso(s.clone()),
        Data::DurationIso(s) => D::DurationIso(s.clone()),
    }
}

pub(crate) fn read_workbook_inner(bytes: &[u8], format: &'static str, limits: Limits) -> Result<Table> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e.to_string()))?;
    // The first sheet with content (a workbook often opens with an empty or a title sheet).
    for sheet in book.sheet_names() {
        let mut date1904 = false;
        let mut rows = Collector::new(limits);
        if let calamine::Sheets::Xlsx(x) = &mut book {
            // XLSX is streamed cell by cell: the limits stop an oversized sheet while it
            // is read, before calamine would hold all of it as a range.
            let Ok(mut reader) = x.worksheet_cells_reader(&sheet) else { continue };
            loop {
                let cell = match reader.next_cell() {
                    Ok(Some(cell)) => cell,
                    Ok(None) => break,
                    Err(e) => return Err(unreadable(&e.to_string())),
                };
                let (r, c) = cell.get_position();
                let value = convert(cell.get_value().clone(), &mut date1904);
                rows.cell(r as usize + 1, c as usize, value)?;
            }
        } else {
            // xls and ods: calamine reads the whole sheet; the limits still bound what we
            // build from it.
            let Ok(range) = book.worksheet_range(&sheet) else { continue };
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let value = convert(data_ref(value), &mut date1904);
                rows.cell(start_row as usize + r + 1, start_col as usize + c, value)?;
            }
        }
        let (rows, ignored_columns) = rows.finish();
        if rows.is_empty() {
            continue;
        }
        return Ok(Table {
            source: Source {
                format,
                encoding: None,
                encoding_guessed: false,
                delimiter: None,
                sheet: Some(sheet),
                date1904,
            },
            rows,
            ignored_columns,
        });
    }
    Err(AppError::new("import_empty"))
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

fn read_text(bytes: &[u8], encoding: Option<&str>, limits: Limits) -> Result<Table> {
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
    let mut rows = Collector::new(limits);
    let mut record = csv::StringRecord::new();
    // Line numbers counted from byte offsets (a quoted cell may span lines).
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(unreadable(&e.to_string())),
        }
        // The reported start may be the end of the previous line: skip line breaks.
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).max(counted_to);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes().get(counted_to..start).map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        counted_to = start;
        for (col, v) in record.iter().enumerate() {
            // The OWASP `'` our CSV exports put before a formula starter is dropped here, in
            // the one format that writes it (see `export`).
            let cell =
                if v.trim().is_empty() { Cell::Empty } else { Cell::Text(crate::sheet::unneutralize(v).to_string()) };
            rows.cell(line, col, cell)?;
        }
    }
    let (rows, ignored_columns) = rows.finish();
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
        ignored_columns,
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

    fn workbook(rows: u32, cols: u16) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for r in 0..rows {
            for c in 0..cols {
                ws.write_number(r, c, f64::from(r * 1000 + u32::from(c))).expect("cell");
            }
        }
        book.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn a_workbook_past_the_cell_limit_is_refused_naming_the_limit() {
        let bytes = workbook(60, 50);
        let small = Limits { rows: 1000, cells: 2000 };
        let e = read_limited("big.xlsx", &bytes, None, small).expect_err("too many cells");
        assert_eq!(e.code, "import_too_many_cells");
        assert!(e.params.contains(&("max", "2000".to_string())), "{:?}", e.params);
        // The same sheet within the limit reads whole.
        let t = read_limited("big.xlsx", &bytes, None, Limits { rows: 1000, cells: 3000 }).expect("read");
        assert_eq!((t.rows.len(), t.rows[59].cells.len()), (60, 50));
    }

    #[test]
    fn rows_past_the_row_limit_are_refused_naming_the_limit_in_workbooks_and_text() {
        let small = Limits { rows: 10, cells: 1_000_000 };
        let e = read_limited("w.xlsx", &workbook(11, 2), None, small).expect_err("rows");
        assert_eq!((e.code, e.params.clone()), ("import_too_many_rows", vec![("max", "10".to_string())]));
        let text: String = (0..11).map(|i| format!("a{i},b\n")).collect();
        let e = read_limited("w.csv", text.as_bytes(), None, small).expect_err("rows");
        assert_eq!(e.code, "import_too_many_rows");
        assert_eq!(read_limited("w.xlsx", &workbook(10, 2), None, small).expect("ten rows").rows.len(), 10);
    }

    #[test]
    fn columns_after_the_200th_are_counted_and_not_read() {
        let mut header: Vec<String> = (1..=205).map(|i| format!("h{i}")).collect();
        header[204] = String::new();
        let line = header.join(",");
        let t = read("wide.csv", format!("{line}\n{line}\n").as_bytes(), None).expect("read");
        // Columns 201 to 204 hold headers; 205 is empty.
        assert_eq!(t.ignored_columns, 4);
        assert_eq!(t.rows[0].cells.len(), MAX_COLUMNS);
        let narrow = read("n.csv", b"a,b\n1,2\n", None).expect("read");
        assert_eq!(narrow.ignored_columns, 0);
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
