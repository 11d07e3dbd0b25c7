//! A table to hand out: headers, a kind per column and text values, written to XLSX (real
//! date and number cells, identity numbers as text cells) or CSV (UTF-8 with a BOM so Excel
//! reads Cyrillic, `,` or `;`). Exports fill one; reports will too.
//!
//! No cell may start a formula (OWASP "CSV injection"). In CSV every cell is text that a
//! spreadsheet parses, so text beginning with `= + - @`, a tab or a carriage return gets
//! a leading `'`, which the CSV reader strips again. In XLSX a string cell is never a
//! formula: the text is written as it is (a visible `'` would be a wrong value), with
//! Excel's own quote prefix style on text that looks like a formula, so that editing the
//! cell keeps it text; the XLSX reader never strips a `'`, since it is then the value's.

use crate::error::{AppError, Result};
use crate::i18n::{t, Lang};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use std::path::Path;

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Digits that must stay text (PINFL, passport, phone): a text cell with the `@` format.
    Code,
    /// `YYYY-MM-DD` in, a real date cell out (CSV: ISO text).
    Date,
    /// An integer.
    Number,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    pub headers: Vec<(String, Kind)>,
    pub rows: Vec<Vec<Option<String>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv { delimiter: u8 },
}

impl FileKind {
    /// By the file's extension; `semicolon` picks `;` for CSV (Excel in Russian locales).
    pub fn for_path(path: &Path, semicolon: bool) -> Result<FileKind> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("xlsx") => Ok(FileKind::Xlsx),
            Some("csv") | Some("txt") => Ok(FileKind::Csv { delimiter: if semicolon { b';' } else { b',' } }),
            _ => Err(AppError::new("export_format").on("path")),
        }
    }
}

impl Sheet {
    pub fn new(title: &str, headers: Vec<(String, Kind)>) -> Sheet {
        Sheet { title: title.to_string(), headers, rows: Vec::new() }
    }

    /// A sheet whose headers are the `fields.*` labels in `lang`.
    pub fn with_fields(title: &str, fields: &[(&str, Kind)], lang: Lang) -> Sheet {
        Sheet::new(title, fields.iter().map(|(f, k)| (t(lang, &format!("fields.{f}"), &[]), *k)).collect())
    }

    pub fn push(&mut self, row: Vec<Option<String>>) {
        self.rows.push(row);
    }
}

/// Text that is quotes then a formula starter (`=1+1`, `'=1+1`, `''@x`…).
fn guarded(text: &str) -> bool {
    matches!(text.trim_start_matches('\'').chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The OWASP rule: text that a spreadsheet could take for a formula gets a `'` first.
/// Text that already starts with quotes before a formula starter gets one more, so that
/// [`unneutralize`] gives back exactly what was written.
pub fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    if guarded(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The inverse, for CSV imports: `'=1+1` → `=1+1`, `''=1` → `'=1`; other text is left
/// alone. Not for XLSX, where the export writes text as it is.
pub fn unneutralize(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest,
        _ => text,
    }
}

/// Writes the sheet to `path` (through a temporary name, so a failed export never leaves
/// a half file under the real name).
pub fn write(sheet: &Sheet, path: &Path, format: FileKind) -> Result<()> {
    let bytes = match format {
        FileKind::Xlsx => xlsx_bytes(sheet)?,
        FileKind::Csv { delimiter } => csv_bytes(sheet, delimiter)?,
    };
    // A missing folder is made, as `certificates print` and `fees statement` make theirs:
    // one behaviour for every `--out`, and the user named the place, so making it is what
    // he asked for (a typo shows in the printed path).
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

pub fn csv_bytes(sheet: &Sheet, delimiter: u8) -> Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w =
            csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let fail = |e: csv::Error| AppError::new("io").with("detail", e);
        w.write_record(sheet.headers.iter().map(|(h, _)| neutralize(h).into_owned())).map_err(fail)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(|v| v.as_deref().map(neutralize).unwrap_or_default().into_owned()))
                .map_err(fail)?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::new("io").with("detail", e)
}

pub fn xlsx_bytes(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // Sheet names are limited to 31 characters and some punctuation.
    let name: String = sheet.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if !name.is_empty() {
        ws.set_name(&name).map_err(xlsx_error)?;
    }
    let bold = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    // The quote prefix is a style, not part of the value: Excel and LibreOffice show the
    // text as written and keep it text when someone edits the cell.
    let quoted = Format::new().set_quote_prefix();
    let quoted_code = Format::new().set_num_format("@").set_quote_prefix();
    let string = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &str, code: bool| {
        let format = match (guarded(v), code) {
            (true, true) => &quoted_code,
            (true, false) => &quoted,
            (false, true) => &text,
            (false, false) => return ws.write_string(r, c, v).map(|_| ()).map_err(xlsx_error),
        };
        ws.write_string_with_format(r, c, v, format).map(|_| ()).map_err(xlsx_error)
    };
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, (h, kind)) in sheet.headers.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, h, &bold).map_err(xlsx_error)?;
        let width = match kind {
            Kind::Date => 12.0,
            Kind::Code => 17.0,
            Kind::Number => 10.0,
            Kind::Text => 20.0,
        };
        ws.set_column_width(c, width).map_err(xlsx_error)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, value) in row.iter().enumerate() {
            let Some(v) = value.as_deref().filter(|v| !v.is_empty()) else { continue };
            let kind = sheet.headers.get(c).map_or(Kind::Text, |h| h.1);
            let c = c as u16;
            match kind {
                Kind::Date => match crate::roster::validate::parse_date(v) {
                    Some(d) => {
                        let cell = excel_date(d)?;
                        ws.write_datetime_with_format(r, c, &cell, &date).map_err(xlsx_error)?;
                    }
                    None => string(ws, r, c, v, false)?,
                },
                Kind::Number => match v.parse::<i64>() {
                    Ok(n) if n.unsigned_abs() < 1 << 53 => {
                        ws.write_number(r, c, n as f64).map_err(xlsx_error)?;
                    }
                    _ => string(ws, r, c, v, false)?,
                },
                Kind::Code => string(ws, r, c, v, true)?,
                Kind::Text => string(ws, r, c, v, false)?,
            }
        }
    }
    if !sheet.headers.is_empty() {
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        ws.autofilter(0, 0, sheet.rows.len() as u32, (sheet.headers.len() - 1) as u16).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_neutralised_and_restored() {
        for payload in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            let n = neutralize(payload);
            assert!(n.starts_with('\''), "{payload:?}");
            assert_eq!(unneutralize(&n), payload);
        }
        assert_eq!(neutralize("Gʻulomov"), "Gʻulomov");
        assert_eq!(unneutralize("'quoted"), "'quoted");
        assert_eq!(unneutralize("Oʻ'ktam"), "Oʻ'ktam");
        for text in ["'=x", "''@y", "'plain", "'", "=", "x=1"] {
            assert_eq!(unneutralize(&neutralize(text)), text);
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_uses_the_delimiter() {
        let mut s = Sheet::new("t", vec![("A".into(), Kind::Text), ("B".into(), Kind::Date)]);
        s.push(vec![Some("=1+1".into()), Some("2000-04-30".into())]);
        let b = csv_bytes(&s, b';').expect("csv");
        assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF]);
        assert_eq!(std::str::from_utf8(&b[3..]).expect("utf8"), "A;B\r\n'=1+1;2000-04-30\r\n");
    }
}
