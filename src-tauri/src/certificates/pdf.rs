// Over 600 lines: one page layout emitted twice, as PDF operations and as the SVG preview, kept side by side so they cannot drift.
//! The certificate as an A4 landscape PDF page: printpdf with DejaVu Sans (shipped in
//! `fonts/` with its licence), subset on save. printpdf does not shape text, so every
//! string is drawn in NFC and measured with the font's own advances: that is how titles
//! are centred and long names shrink to fit instead of running off the page.
//!
//! Speed: the fonts are parsed once per process; a cohort printed into one file shares
//! one subset of each font across its pages.

use super::qr::Matrix;
use crate::pdf::{compress, fonts, width, Fonts};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Polygon, PolygonRing, Pt, RawImage, RawImageData, RawImageFormat, Rgb, TextItem, WindingOrder, XObjectTransform,
};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A4 landscape, in points.
const W: f32 = 841.89;
/// Pixels per QR module in the PDF's QR image.
const QR_SCALE: usize = 2;
const H: f32 = 595.28;

/// Everything printed on one certificate, already resolved to text.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub agency_name: String,
    pub licence_number: String,
    pub number: String,
    pub issued_on: String,
    pub valid_until: String,
    pub name_latin: String,
    pub name_cyrillic: Option<String>,
    pub passport_number: String,
    pub pinfl: String,
    pub course_uz: String,
    pub course_en: String,
    pub hours: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub destination: String,
    pub score: i64,
    pub signatory_name: String,
    pub signatory_title: String,
    /// The signed record (the QR code's text).
    pub record: String,
    /// Revoked: only ever previewed (printing refuses it), marked across the page.
    pub revoked: bool,
}

impl Sheet {
    /// A realistic certificate number `n` (two-script name, a record of a real record's
    /// length), for tests and the benchmark.
    #[doc(hidden)]
    pub fn sample(n: usize) -> Sheet {
        Sheet {
            agency_name: "Safar Xususiy bandlik agentligi MChJ".into(),
            licence_number: "XBA-0042".into(),
            number: format!("SFR-2026-{n:06}"),
            issued_on: "2026-11-16".into(),
            valid_until: "2027-11-16".into(),
            name_latin: "Gʻulomov Doniyor Bobur oʻgʻli".into(),
            name_cyrillic: Some("Ғуломов Дониёр Бобур ўғли".into()),
            passport_number: format!("AC{:07}", 5_171_987 + n),
            pinfl: "31207803067076".into(),
            course_uz: "Koreyaga ketish oldidan tayyorgarlik".into(),
            course_en: "Pre-departure orientation: Korea".into(),
            hours: 24,
            starts_on: "2026-11-02".into(),
            ends_on: "2026-11-13".into(),
            destination: "Koreya Respublikasi / Republic of Korea".into(),
            score: 86,
            signatory_name: "Karimov Anvar".into(),
            signatory_title: "Direktor / Director".into(),
            record: format!("SFR1{}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(11)),
            revoked: false,
        }
    }
}

/// A logo decoded to RGB pixels.
#[derive(Debug, Clone)]
pub struct Logo {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

impl Logo {
    /// Reads a PNG logo; `None` when it is not a readable PNG of sensible size.
    pub fn from_png(bytes: &[u8]) -> Option<Logo> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().ok()?;
        let (w, h) = (reader.info().width as usize, reader.info().height as usize);
        if w == 0 || h == 0 || w * h > 4_000_000 {
            return None;
        }
        let mut buf = vec![0; reader.output_buffer_size()?];
        let info = reader.next_frame(&mut buf).ok()?;
        let ch = info.color_type.samples();
        let mut rgb = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let p = &buf[y * info.line_size + x * ch..][..ch];
                // Transparent pixels become white paper.
                let (r, g, b, a) = match ch {
                    1 => (p[0], p[0], p[0], 255),
                    2 => (p[0], p[0], p[0], p[1]),
                    3 => (p[0], p[1], p[2], 255),
                    _ => (p[0], p[1], p[2], p[3]),
                };
                let mix = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
                rgb.extend([mix(r), mix(g), mix(b)]);
            }
        }
        Some(Logo { width: w, height: h, rgb })
    }
}

/// Every character a certificate is expected to hold: ASCII, Latin-1 and Latin
/// Extended-A, Cyrillic (Uzbek ў қ ғ ҳ included), the Uzbek apostrophes ʻ ʼ and the
/// punctuation the layout uses.
const EXTRA_CHARS: [u32; 11] = [0x2BB, 0x2BC, 0x2018, 0x2019, 0x201C, 0x201D, 0x2013, 0x2014, 0x2116, 0x2026, 0xB7];

fn certificate_chars() -> impl Iterator<Item = char> {
    (0x20u32..0x7F).chain(0xA0..0x180).chain(0x400..0x500).chain(EXTRA_CHARS).filter_map(char::from_u32)
}

fn is_certificate_char(c: char) -> bool {
    let c = c as u32;
    (0x20..0x7F).contains(&c) || (0xA0..0x180).contains(&c) || (0x400..0x500).contains(&c) || EXTRA_CHARS.contains(&c)
}

/// DejaVu cut down once per process to [`certificate_chars`] (about 500 of its 6,000
/// glyphs): printpdf still subsets each document to the glyphs it uses, but from a font
/// a tenth the size, which made rendering faster. A certificate with a character outside
/// the set is drawn with the whole fonts.
fn small_fonts() -> Option<&'static Fonts> {
    static SMALL: OnceLock<Option<Fonts>> = OnceLock::new();
    SMALL
        .get_or_init(|| {
            let full = fonts()?;
            let cut = |font: &ParsedFont| {
                let glyphs: std::collections::BTreeMap<u16, String> = certificate_chars()
                    .filter_map(|c| font.lookup_glyph_index(c as u32).map(|g| (g, c.to_string())))
                    .collect();
                let subset = printpdf::subset_font(font, &glyphs).ok()?;
                let mut warnings = Vec::new();
                let small = ParsedFont::from_bytes(&subset.bytes, 0, &mut warnings)?;
                // Only use it if it measures and maps exactly like the original.
                let same = certificate_chars().all(|c| {
                    let (a, b) = (font.lookup_glyph_index(c as u32), small.lookup_glyph_index(c as u32));
                    match (a, b) {
                        (Some(a), Some(b)) => font.get_horizontal_advance(a) == small.get_horizontal_advance(b),
                        (None, _) => true,
                        (Some(_), None) => false,
                    }
                });
                same.then_some(small)
            };
            Some(Fonts { regular: cut(&full.regular)?, bold: cut(&full.bold)? })
        })
        .as_ref()
}

/// The fonts for these sheets: the small cut when it covers every character.
fn fonts_for(sheets: &[Sheet]) -> Option<&'static Fonts> {
    let covered = |text: &str| text.nfc().all(|c| c.is_control() || is_certificate_char(c));
    let all_covered = sheets.iter().all(|s| {
        [
            &s.agency_name,
            &s.licence_number,
            &s.name_latin,
            &s.passport_number,
            &s.course_uz,
            &s.course_en,
            &s.destination,
            &s.signatory_name,
            &s.signatory_title,
        ]
        .into_iter()
        .chain(s.name_cyrillic.as_ref())
        .all(|t| covered(t))
    });
    if all_covered {
        small_fonts().or_else(fonts)
    } else {
        fonts()
    }
}

const TEAL: (f32, f32, f32) = (0.06, 0.42, 0.40);
const INK: (f32, f32, f32) = (0.10, 0.12, 0.14);
const GREY: (f32, f32, f32) = (0.38, 0.42, 0.45);
const RED: (f32, f32, f32) = (0.75, 0.1, 0.1);

fn rgb(c: (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(c.0, c.1, c.2, None))
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
}

/// One page being laid out. Every primitive is drawn twice from the same numbers: as
/// PDF operations and as SVG, which the app shows as the print preview (the webview has
/// no PDF viewer); both come from one layout, so the preview is what prints.
struct Page<'a> {
    ops: Vec<Op>,
    /// Only the preview asks for SVG; printing skips the formatting work.
    want_svg: bool,
    svg: String,
    fonts: &'a Fonts,
    ids: (printpdf::FontId, printpdf::FontId),
}

fn hex_colour(c: (f32, f32, f32)) -> String {
    let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", b(c.0), b(c.1), b(c.2))
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

impl Page<'_> {
    /// Draws `text` on the baseline `y`, shrinking it to fit `max` points; returns the size used.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        text: &str,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        align: Align,
        max: f32,
        colour: (f32, f32, f32),
    ) -> f32 {
        let text: String = text.nfc().collect();
        let (font, id) =
            if bold { (&self.fonts.bold, self.ids.1.clone()) } else { (&self.fonts.regular, self.ids.0.clone()) };
        let mut size = size;
        let mut w = width(font, &text, size);
        if w > max && w > 0.0 {
            size *= max / w;
            w = max;
        }
        let x = match align {
            Align::Left => x,
            Align::Centre => x - w / 2.0,
            Align::Right => x - w,
        };
        self.svg(|| {
            format!(
                "<text x=\"{x:.2}\" y=\"{:.2}\" font-size=\"{size:.2}\" font-weight=\"{}\" fill=\"{}\">{}</text>",
                H - y,
                if bold { "bold" } else { "normal" },
                hex_colour(colour),
                xml_escape(&text)
            )
        });
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(colour) },
            Op::SetFont { font: PdfFontHandle::External(id), size: Pt(size) },
            Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
            Op::ShowText { items: vec![TextItem::Text(text)] },
            Op::EndTextSection,
        ]);
        size
    }

    /// Adds SVG for the preview; the closure only runs when a preview is being drawn.
    fn svg(&mut self, make: impl FnOnce() -> String) {
        if self.want_svg {
            let s = make();
            self.svg.push_str(&s);
        }
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32, colour: (f32, f32, f32)) {
        self.svg(|| {
            format!(
                "<line x1=\"{x1:.2}\" y1=\"{:.2}\" x2=\"{x2:.2}\" y2=\"{:.2}\" stroke=\"{}\" stroke-width=\"{thickness}\"/>",
                H - y1,
                H - y2,
                hex_colour(colour)
            )
        });
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: Point { x: Pt(x1), y: Pt(y1) }, bezier: false },
                        LinePoint { p: Point { x: Pt(x2), y: Pt(y2) }, bezier: false },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, thickness: f32, colour: (f32, f32, f32)) {
        self.svg(|| {
            format!(
                "<rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{thickness}\"/>",
                H - y - h,
                hex_colour(colour)
            )
        });
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![ring(x, y, w, h)],
                    mode: PaintMode::Stroke,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// The QR code, `side` points wide with its lower left corner at (x, y). In the PDF it
    /// is a greyscale image of `QR_SCALE` pixels per module: drawn as vector squares it was
    /// a 100 KB content stream whose compression took half the rendering time. Two pixels
    /// a module keep the edges sharper when a viewer smooths a scaled image; a test reads
    /// the code back from a 300-dpi rendering.
    fn qr(&mut self, m: &Matrix, image: Option<&printpdf::XObjectId>, x: f32, y: f32, side: f32) {
        let cell = side / m.width as f32;
        self.svg(|| {
            let mut svg = String::from("<g fill=\"#000000\" shape-rendering=\"crispEdges\">");
            for row in 0..m.width {
                for col in 0..m.width {
                    if m.is_dark(col, row) {
                        svg.push_str(&format!(
                            "<rect x=\"{:.3}\" y=\"{:.3}\" width=\"{cell:.3}\" height=\"{cell:.3}\"/>",
                            x + col as f32 * cell,
                            H - y - side + row as f32 * cell
                        ));
                    }
                }
            }
            svg.push_str("</g>");
            svg
        });
        if let Some(id) = image {
            // At the default 300 dpi one pixel is 72/300 pt.
            let scale = side / ((m.width * QR_SCALE) as f32 * 72.0 / 300.0);
            self.ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(Pt(x)),
                    translate_y: Some(Pt(y)),
                    scale_x: Some(scale),
                    scale_y: Some(scale),
                    ..Default::default()
                },
            });
        }
    }
}

fn ring(x: f32, y: f32, w: f32, h: f32) -> PolygonRing {
    let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
    PolygonRing { points: vec![p(x, y), p(x + w, y), p(x + w, y + h), p(x, y + h)] }
}

/// Lays out one certificate page.
fn page(
    doc_ops: &mut Page<'_>,
    s: &Sheet,
    logo: Option<&printpdf::XObjectId>,
    logo_size: (usize, usize),
    qr: Option<(&Matrix, Option<&printpdf::XObjectId>)>,
) {
    let p = doc_ops;
    p.svg(|| format!("<rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{H}\" fill=\"#ffffff\"/>"));
    // Frame: a heavy outer rule and a fine inner one.
    p.rect(22.0, 22.0, W - 44.0, H - 44.0, 2.2, TEAL);
    p.rect(29.0, 29.0, W - 58.0, H - 58.0, 0.6, TEAL);

    // Header: logo, agency and licence on the left; number and date on the right.
    let mut left = 52.0;
    if let Some(id) = logo {
        let box_side = 52.0;
        let (w, h) = (logo_size.0 as f32, logo_size.1 as f32);
        // At the default 300 dpi an image of w pixels is w * 72 / 300 points wide.
        let natural = (w * 72.0 / 300.0).max(h * 72.0 / 300.0).max(1.0);
        let scale = box_side / natural;
        p.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(52.0)),
                translate_y: Some(Pt(H - 52.0 - box_side)),
                scale_x: Some(scale),
                scale_y: Some(scale),
                ..Default::default()
            },
        });
        left += box_side + 12.0;
    } else if logo_size.0 > 1 {
        // The preview marks where the logo prints.
        p.svg(|| {
            format!(
                "<rect x=\"52\" y=\"52\" width=\"52\" height=\"52\" fill=\"#e8f1f0\" stroke=\"{}\" stroke-width=\"0.5\"/>",
                hex_colour(TEAL)
            )
        });
        left += 64.0;
    }
    p.text(&s.agency_name, left, H - 66.0, 13.0, true, Align::Left, 420.0 - left, INK);
    p.text(
        &format!("Litsenziya / Licence № {}", s.licence_number),
        left,
        H - 82.0,
        9.0,
        false,
        Align::Left,
        420.0 - left,
        GREY,
    );
    p.text(&s.number, W - 52.0, H - 66.0, 13.0, true, Align::Right, 280.0, TEAL);
    p.text(&format!("Berilgan / Issued {}", s.issued_on), W - 52.0, H - 82.0, 9.0, false, Align::Right, 280.0, GREY);

    // Titles in Uzbek Latin, Uzbek Cyrillic and English.
    let cx = W / 2.0;
    let body = W - 140.0;
    p.text("XORIJGA KETISH OLDIDAN TAYYORGARLIK SERTIFIKATI", cx, H - 138.0, 21.0, true, Align::Centre, body, TEAL);
    p.text("ХОРИЖГА КЕТИШ ОЛДИДАН ТАЙЁРГАРЛИК СЕРТИФИКАТИ", cx, H - 160.0, 13.0, false, Align::Centre, body, TEAL);
    p.text("PRE-DEPARTURE ORIENTATION CERTIFICATE", cx, H - 178.0, 11.0, false, Align::Centre, body, TEAL);

    p.text(
        "Ushbu sertifikat bilan tasdiqlanadiki / This is to certify that",
        cx,
        H - 212.0,
        10.0,
        false,
        Align::Centre,
        body,
        GREY,
    );
    p.text(&s.name_latin, cx, H - 246.0, 26.0, true, Align::Centre, W - 180.0, INK);
    if let Some(cyr) = &s.name_cyrillic {
        p.text(cyr, cx, H - 268.0, 15.0, false, Align::Centre, W - 220.0, INK);
    }
    p.text(
        "quyidagi kursni muvaffaqiyatli tamomladi / has successfully completed the course",
        cx,
        H - 292.0,
        10.0,
        false,
        Align::Centre,
        body,
        GREY,
    );
    p.text(&s.course_uz, cx, H - 314.0, 14.0, true, Align::Centre, body, INK);
    if !s.course_en.is_empty() && s.course_en != s.course_uz {
        p.text(&s.course_en, cx, H - 331.0, 10.5, false, Align::Centre, body, INK);
    }

    // Details: two columns of label over value.
    let rows: [[(&str, String); 2]; 3] = [
        [("Pasport / Passport", s.passport_number.clone()), ("JShShIR / PINFL", s.pinfl.clone())],
        [
            ("Kurs sanalari / Course dates", format!("{} — {}", s.starts_on, s.ends_on)),
            ("Hajmi / Hours", format!("{} soat / hours · ball / score {}", s.hours, s.score)),
        ],
        [("Yoʻnalish / Destination", s.destination.clone()), ("Amal qiladi / Valid until", s.valid_until.clone())],
    ];
    let cols = [110.0, 330.0];
    let mut y = H - 372.0;
    for row in rows {
        for ((label, value), x) in row.iter().zip(cols) {
            p.text(label, x, y, 8.0, false, Align::Left, 205.0, GREY);
            p.text(value, x, y - 14.0, 11.5, true, Align::Left, 205.0, INK);
        }
        y -= 40.0;
    }

    // Signature on the left bottom, QR on the right bottom.
    let sig_y = 92.0;
    p.line(110.0, sig_y + 14.0, 330.0, sig_y + 14.0, 0.6, GREY);
    p.text(&s.signatory_name, 110.0, sig_y, 11.0, true, Align::Left, 270.0, INK);
    p.text(&s.signatory_title, 110.0, sig_y - 14.0, 9.0, false, Align::Left, 270.0, GREY);
    p.text("M.Oʻ. / Seal", 400.0, sig_y, 9.0, false, Align::Left, 80.0, GREY);

    if s.revoked {
        p.rect(40.0, H / 2.0 - 40.0, W - 80.0, 56.0, 2.0, RED);
        p.text(
            "BEKOR QILINGAN · БЕКОР ҚИЛИНГАН · REVOKED",
            W / 2.0,
            H / 2.0 - 20.0,
            24.0,
            true,
            Align::Centre,
            W - 110.0,
            RED,
        );
    }
    if let Some((m, image)) = qr {
        // 40 mm: about 0.6 mm per module for a version-11 code; phones read it easily.
        let side = 40.0 * 72.0 / 25.4;
        let (qx, qy) = (W - 52.0 - side, 56.0);
        p.qr(m, image, qx, qy, side);
        p.text("Tekshirish / Verify", qx + side / 2.0, qy + side + 8.0, 8.0, false, Align::Centre, side + 40.0, GREY);
        p.text(&s.number, qx - 10.0, qy + side / 2.0, 8.0, false, Align::Right, 160.0, GREY);
    }
}

/// Renders certificates into one PDF, one page each (a cohort batch, or a single one).
/// The document's metadata carries the first certificate's record, so `verify FILE.pdf`
/// reads it without rendering; its /ID is derived from the content, not random.
pub fn render(sheets: &[Sheet], logo: Option<&Logo>) -> Vec<u8> {
    let Some(fonts) = fonts_for(sheets) else { return Vec::new() };
    let title = match sheets {
        [one] => format!("{} — {}", one.number, one.name_latin),
        _ => format!("{} certificates", sheets.len()),
    };
    let mut doc = PdfDocument::new(&title);
    doc.metadata.info.creator = "Safar".into();
    doc.metadata.info.producer = "Safar (printpdf)".into();
    if let Some(first) = sheets.first() {
        doc.metadata.info.author = first.agency_name.clone();
        doc.metadata.info.identifier = first.record.clone();
        doc.metadata.info.keywords = sheets.iter().map(|s| s.number.clone()).collect();
    }
    let ids = (doc.add_font(&fonts.regular), doc.add_font(&fonts.bold));
    let logo_id = logo.map(|l| {
        doc.add_image(&RawImage {
            pixels: RawImageData::U8(l.rgb.clone()),
            width: l.width,
            height: l.height,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        })
    });
    let logo_size = logo.map(|l| (l.width, l.height)).unwrap_or((1, 1));
    let pages = sheets
        .iter()
        .map(|s| {
            let matrix = Matrix::encode(&s.record).ok();
            let image = matrix.as_ref().map(|m| {
                let (side, pixels) = m.pixels_without_margin(QR_SCALE);
                doc.add_image(&RawImage {
                    pixels: RawImageData::U8(pixels),
                    width: side,
                    height: side,
                    data_format: RawImageFormat::R8,
                    tag: Vec::new(),
                })
            });
            let mut p = Page { ops: Vec::new(), want_svg: false, svg: String::new(), fonts, ids: ids.clone() };
            page(&mut p, s, logo_id.as_ref(), logo_size, matrix.as_ref().map(|m| (m, image.as_ref())));
            PdfPage::new(Mm(297.0), Mm(210.0), p.ops)
        })
        .collect::<Vec<_>>();
    let mut warnings = Vec::new();
    // printpdf's `save` compresses every stream at zlib's best level, which was a third of
    // the rendering time; level 6 costs a few per cent in size. The fonts are still
    // subset by printpdf.
    let options = PdfSaveOptions { subset_fonts: true, optimize: false, ..Default::default() };
    let mut pdf = printpdf::to_lopdf_doc(doc.with_pages(pages), &options, &mut warnings);
    for object in pdf.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            compress(stream);
        }
    }
    // The /ID identifies the document (ISO 32000 14.4): printpdf writes a random one; a
    // hash of the certificates' records makes reprints of the same certificate identical.
    let digest = Sha256::digest(sheets.iter().map(|s| s.record.as_str()).collect::<String>().as_bytes());
    let id = lopdf::Object::String(digest[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
    pdf.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let mut bytes = Vec::new();
    if pdf.save_to(&mut bytes).is_err() {
        return Vec::new();
    }
    bytes
}

/// The page as SVG for the in-app preview (same layout as the PDF; a logo is shown as
/// its place on the page).
pub fn preview_svg(sheet: &Sheet, has_logo: bool) -> String {
    let Some(fonts) = fonts() else { return String::new() };
    let mut doc = PdfDocument::new("preview");
    let ids = (doc.add_font(&fonts.regular), doc.add_font(&fonts.bold));
    let mut p = Page { ops: Vec::new(), want_svg: true, svg: String::new(), fonts, ids };
    let matrix = Matrix::encode(&sheet.record).ok();
    page(&mut p, sheet, None, if has_logo { (2, 2) } else { (1, 1) }, matrix.as_ref().map(|m| (m, None)));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" font-family=\"DejaVu Sans, Verdana, sans-serif\">{}</svg>",
        p.svg
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet::sample(1)
    }

    #[test]
    fn the_small_fonts_cover_uzbek_and_fall_back_for_the_rest() {
        let small = small_fonts().expect("the cut fonts parse and measure like the originals");
        for c in ['ʻ', 'ʼ', 'ў', 'қ', 'ғ', 'ҳ', 'Ў', '№', '—', 'ş', 'ё'] {
            assert!(small.regular.lookup_glyph_index(c as u32).is_some(), "{c}");
        }
        assert!(std::ptr::eq(fonts_for(&[sheet()]).expect("fonts"), small));
        let mut greek = sheet();
        greek.name_latin = "Παπαδόπουλος Νίκος".into();
        assert!(std::ptr::eq(fonts_for(&[greek]).expect("fonts"), fonts().expect("full")));
    }

    #[test]
    fn a_certificate_is_a_small_pdf_with_a_stable_id() {
        let a = render(&[sheet()], None);
        assert!(a.starts_with(b"%PDF"), "not a PDF");
        assert!(a.len() < 100_000, "{} bytes", a.len());
        let b = render(&[sheet()], None);
        let id = |bytes: &[u8]| {
            let at = bytes.windows(3).rposition(|w| w == b"/ID").expect("ID");
            bytes[at..at + 80].to_vec()
        };
        assert_eq!(id(&a), id(&b), "the same certificate gets the same /ID");
        let mut other = sheet();
        other.record.push('A');
        assert_ne!(id(&a), id(&render(&[other], None)));
    }
}
