//! What every printed document shares: the fonts (DejaVu Sans, shipped in `fonts/` with
//! its licence, parsed once per process), A4 in points, text measured with the font's own
//! advances (printpdf does not shape text, so every string is drawn in NFC and fitted by
//! measuring), and the stream compression printpdf leaves out. The certificate
//! (certificates/pdf.rs) and the cost statement (placement/statement.rs) lay out their
//! pages on top of it; so will reports.

use printpdf::{Op, ParsedFont, PdfFontHandle, Point, Pt, TextItem};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

pub const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4's short and long sides, in points.
pub const A4_SHORT: f32 = 595.28;
pub const A4_LONG: f32 = 841.89;

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
}

/// The fonts, parsed on first use. None only if the compiled-in files did not parse.
pub fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            Some(Fonts {
                regular: ParsedFont::from_bytes(REGULAR, 0, &mut warnings)?,
                bold: ParsedFont::from_bytes(BOLD, 0, &mut warnings)?,
            })
        })
        .as_ref()
}

/// Width of `text` at `size` points, from the font's advances.
pub fn width(font: &ParsedFont, text: &str, size: f32) -> f32 {
    let upem = f32::from(font.font_metrics.units_per_em.max(1));
    text.chars()
        .map(|c| font.lookup_glyph_index(c as u32).map(|g| f32::from(font.get_horizontal_advance(g))).unwrap_or(0.0))
        .sum::<f32>()
        * size
        / upem
}

/// The size at which `text` fits in `max` points (never larger than `size`), and its width
/// then: a long name shrinks instead of running off the page.
pub fn fit(font: &ParsedFont, text: &str, size: f32, max: f32) -> (f32, f32) {
    let w = width(font, text, size);
    if w > max && w > 0.0 {
        (size * max / w, max)
    } else {
        (size, w)
    }
}

/// The operations that draw `text` (normalised to NFC) with its baseline's left end at
/// (`x`, `y`).
pub fn text_ops(font: printpdf::FontId, text: &str, size: f32, x: f32, y: f32) -> [Op; 5] {
    let text: String = text.nfc().collect();
    [
        Op::StartTextSection,
        Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
        Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
        Op::ShowText { items: vec![TextItem::Text(text)] },
        Op::EndTextSection,
    ]
}

/// Deflates a content stream printpdf left uncompressed, when that makes it smaller.
pub fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_too_wide_shrinks_to_the_room_and_a_short_one_keeps_its_size() {
        let f = &fonts().expect("fonts").regular;
        let long = "Toshpoʻlatov Gʻulomjon Abdurahmon oʻgʻli";
        let (size, w) = fit(f, long, 24.0, 100.0);
        assert!(size < 24.0 && (w - 100.0).abs() < 0.01, "{size} {w}");
        assert!((width(f, long, size) - 100.0).abs() < 0.5);
        assert_eq!(fit(f, "Ali", 12.0, 100.0).0, 12.0);
        // Cyrillic is measured, not guessed: every letter has an advance.
        assert!(width(f, "Ғуломов", 10.0) > width(f, "Г", 10.0) * 5.0);
    }
}
