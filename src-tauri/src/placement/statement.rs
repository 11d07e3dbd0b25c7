//! The per-worker cost statement: every payment, who paid it, and the totals, as an A4 PDF
//! (printpdf, DejaVu Sans shipped in `fonts/`, subset on save). Text is real text in NFC,
//! so the names read back exactly; widths come from the font's own metrics.

use super::records::FeeView;
use crate::agency::Agency;
use crate::error::Result;
use crate::i18n::{t, Lang};
use crate::pdf;
use crate::roster::Worker;
use printpdf::{Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions, Point, Pt, Rgb};
use serde::Serialize;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// A4 portrait, in points.
const WIDTH: f32 = pdf::A4_SHORT;
const HEIGHT: f32 = pdf::A4_LONG;
const MARGIN: f32 = 48.0;

struct Writer {
    ops: Vec<Op>,
    pages: Vec<Vec<Op>>,
    regular: (ParsedFont, printpdf::FontId),
    bold: (ParsedFont, printpdf::FontId),
    y: f32,
}

impl Writer {
    /// Draws `text` with its left edge at `x` (or its right edge, when `right`), shrinking
    /// it to fit `max` points.
    fn text(&mut self, text: &str, x: f32, size: f32, bold: bool, right: bool, max: f32) {
        let text: String = text.nfc().collect();
        let (font, id) =
            if bold { (&self.bold.0, self.bold.1.clone()) } else { (&self.regular.0, self.regular.1.clone()) };
        let (size, w) = pdf::fit(font, &text, size, max);
        let x = if right { x - w } else { x };
        self.ops.extend(pdf::text_ops(id, &text, size, x, self.y));
    }

    fn rule(&mut self, y: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: Color::Rgb(Rgb::new(0.06, 0.46, 0.43, None)) },
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: Point { x: Pt(MARGIN), y: Pt(y) }, bezier: false },
                        LinePoint { p: Point { x: Pt(WIDTH - MARGIN), y: Pt(y) }, bezier: false },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn down(&mut self, by: f32) {
        self.y -= by;
        if self.y < MARGIN + 40.0 {
            self.pages.push(std::mem::take(&mut self.ops));
            self.y = HEIGHT - MARGIN;
        }
    }
}

/// What each payer paid, per currency, in minor units: (paid_by, currency) → total. Sums
/// are checked: amounts stored before they were bounded could overflow 64 bits.
pub type Totals = BTreeMap<(String, String), i64>;

pub fn totals(fees: &[FeeView]) -> Result<Totals> {
    let mut totals = Totals::new();
    for fee in fees.iter().map(|f| &f.fee) {
        let total = totals.entry((fee.paid_by.clone(), fee.currency.clone())).or_default();
        *total = crate::money::sum([*total, fee.amount_minor], &fee.currency, "amount")?;
    }
    Ok(totals)
}

/// What one payer paid in one currency, as a decimal string (the worker page's totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeTotal {
    pub paid_by: String,
    pub currency: String,
    pub amount: String,
}

/// The totals as the window lists them: payers in the order of `PAID_BY` (the employer
/// first), each by currency; the same sums as the statement's, so the two never disagree.
pub fn total_lines(totals: &Totals) -> Vec<FeeTotal> {
    let rank = |p: &str| super::PAID_BY.iter().position(|x| *x == p).unwrap_or(usize::MAX);
    let mut lines: Vec<FeeTotal> = totals
        .iter()
        .map(|((paid_by, currency), minor)| FeeTotal {
            paid_by: paid_by.clone(),
            currency: currency.clone(),
            amount: crate::money::Money::from_minor(*minor, currency)
                .map(|m| m.amount())
                .unwrap_or_else(|_| minor.to_string()),
        })
        .collect();
    lines.sort_by(|a, b| rank(&a.paid_by).cmp(&rank(&b.paid_by)).then_with(|| a.currency.cmp(&b.currency)));
    lines
}

/// The statement as PDF bytes, with the `totals` of these fees.
pub fn render(
    agency: &Agency,
    worker: &Worker,
    fees: &[FeeView],
    totals: &Totals,
    lang: Lang,
    generated_at: &str,
) -> Vec<u8> {
    let mut doc = PdfDocument::new(&format!("{} — {}", t(lang, "statement.title", &[]), worker.full_name()));
    // The fonts are compiled in and parse; without them there is no document.
    let Some(fonts) = pdf::fonts() else {
        return Vec::new();
    };
    let (regular, bold) = (fonts.regular.clone(), fonts.bold.clone());
    let regular_id = doc.add_font(&regular);
    let bold_id = doc.add_font(&bold);
    let mut w = Writer {
        ops: Vec::new(),
        pages: Vec::new(),
        regular: (regular, regular_id),
        bold: (bold, bold_id),
        y: HEIGHT - MARGIN,
    };
    let full = WIDTH - 2.0 * MARGIN;

    w.text(&agency.name, MARGIN, 11.0, true, false, full);
    w.down(14.0);
    w.text(
        &format!("{} {} · {}", t(lang, "fields.licence_number", &[]), agency.licence_number, agency.address),
        MARGIN,
        9.0,
        false,
        false,
        full,
    );
    w.down(30.0);
    w.text(&t(lang, "statement.title", &[]), MARGIN, 18.0, true, false, full);
    w.down(24.0);
    let cyrillic = [&worker.last_name_cyrillic, &worker.first_name_cyrillic, &worker.patronymic_cyrillic]
        .iter()
        .filter_map(|s| s.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    w.text(&worker.full_name(), MARGIN, 13.0, true, false, full);
    if !cyrillic.is_empty() {
        w.down(16.0);
        w.text(&cyrillic, MARGIN, 11.0, false, false, full);
    }
    w.down(16.0);
    w.text(
        &format!("#{} · {} {}", worker.id, t(lang, "fields.passport_number", &[]), worker.passport_number),
        MARGIN,
        9.0,
        false,
        false,
        full,
    );
    w.down(26.0);

    // Columns: date, paid by, purpose, receipt, amount (right-aligned).
    let cols = [MARGIN, MARGIN + 70.0, MARGIN + 160.0, MARGIN + 270.0];
    let amount_right = WIDTH - MARGIN;
    let headers = ["fields.paid_on", "fields.paid_by", "fields.purpose", "fields.receipt_number"];
    let widths = [66.0, 86.0, 106.0, 110.0];
    for ((x, key), max) in cols.iter().zip(headers).zip(widths) {
        w.text(&t(lang, key, &[]), *x, 8.5, true, false, max);
    }
    w.text(&t(lang, "fields.amount", &[]), amount_right, 8.5, true, true, 120.0);
    w.rule(w.y - 5.0);
    w.down(18.0);
    if fees.is_empty() {
        w.text(&t(lang, "statement.none", &[]), MARGIN, 10.0, false, false, full);
        w.down(16.0);
    }
    for f in fees {
        let fee = &f.fee;
        w.text(&crate::i18n::format_date(lang, &fee.paid_on), cols[0], 9.5, false, false, 68.0);
        w.text(&t(lang, &format!("paid_by.{}", fee.paid_by), &[]), cols[1], 9.5, false, false, 86.0);
        w.text(&t(lang, &format!("fee_purpose.{}", fee.purpose), &[]), cols[2], 9.5, false, false, 106.0);
        w.text(&fee.receipt_number, cols[3], 9.5, false, false, 110.0);
        w.text(&format!("{} {}", f.amount, fee.currency), amount_right, 9.5, false, true, 120.0);
        w.down(15.0);
    }
    w.rule(w.y + 9.0);
    w.down(8.0);
    w.text(&t(lang, "statement.totals", &[]), MARGIN, 10.5, true, false, full);
    w.down(16.0);
    for ((paid_by, currency), minor) in totals {
        let amount =
            crate::money::Money::from_minor(*minor, currency).map(|m| m.amount()).unwrap_or_else(|_| minor.to_string());
        w.text(&t(lang, &format!("paid_by.{paid_by}"), &[]), MARGIN, 10.0, false, false, 200.0);
        w.text(&format!("{amount} {currency}"), amount_right, 10.0, true, true, 160.0);
        w.down(15.0);
    }
    w.down(20.0);
    w.text(&t(lang, "statement.generated", &[("at", generated_at.to_string())]), MARGIN, 8.0, false, false, full);

    w.pages.push(std::mem::take(&mut w.ops));
    let pages = w.pages.into_iter().map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops)).collect();
    let mut save_warnings = Vec::new();
    doc.with_pages(pages).save(&PdfSaveOptions { subset_fonts: true, ..Default::default() }, &mut save_warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::records::Fee;

    fn fee(paid_by: &str, minor: i64, currency: &str) -> FeeView {
        FeeView {
            amount: minor.to_string(),
            fee: Fee {
                id: 1,
                worker_id: 1,
                paid_by: paid_by.into(),
                purpose: "consulting".into(),
                amount_minor: minor,
                currency: currency.into(),
                paid_on: "2026-11-20".into(),
                receipt_number: "R-1".into(),
                reason: None,
                created_at: "2026-11-20T10:00:00Z".into(),
                created_by: "admin".into(),
            },
        }
    }

    #[test]
    fn totals_are_per_payer_and_currency() {
        let t = totals(&[fee("worker", 100, "UZS"), fee("worker", 250, "UZS"), fee("employer", 7, "USD")]).expect("ok");
        assert_eq!(t.get(&("worker".into(), "UZS".into())), Some(&350));
        assert_eq!(t.get(&("employer".into(), "USD".into())), Some(&7));
    }

    #[test]
    fn total_lines_put_the_employer_first_and_write_decimals() {
        let t =
            totals(&[fee("worker", 150_050, "USD"), fee("employer", 7, "UZS"), fee("worker", 1, "UZS")]).expect("ok");
        let lines: Vec<(String, String, String)> =
            total_lines(&t).into_iter().map(|l| (l.paid_by, l.currency, l.amount)).collect();
        let want = [("employer", "UZS", "0.07"), ("worker", "USD", "1500.50"), ("worker", "UZS", "0.01")];
        assert_eq!(lines, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
    }

    #[test]
    fn two_amounts_at_the_integer_maximum_are_refused_instead_of_overflowing() {
        let e = totals(&[fee("worker", i64::MAX, "USD"), fee("worker", i64::MAX, "USD")]).expect_err("overflow");
        assert_eq!((e.code, e.field), ("amount_total_too_large", Some("amount")));
        assert!(e.message(Lang::En).contains("USD"), "{}", e.message(Lang::En));
    }
}
