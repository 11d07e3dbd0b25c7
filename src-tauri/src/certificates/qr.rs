//! QR codes: made with `qrcode` (as a module matrix, drawn by the PDF writer or as a PNG),
//! read back with `rqrr` from PNG or JPEG images (decoded by `png` and `jpeg-decoder`).

use crate::error::{AppError, Result};
use qrcode::{Color, EcLevel};

/// A QR code as rows of dark (true) and light modules, without the quiet zone.
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Matrix {
    /// Medium error correction (15%): a creased or stamped paper still reads.
    ///
    /// The steps are `QrCode::with_error_correction_level`'s, except the choice of mask:
    /// the crate scores the eight masked codes with a penalty that took 40% of a
    /// certificate's rendering time; [`penalty`] scores them by the same ISO 18004 rules
    /// in one pass each.
    pub fn encode(text: &str) -> Result<Matrix> {
        use qrcode::canvas::{Canvas, MaskPattern};
        let too_long = |_| AppError::new("qr_too_long");
        let ec = EcLevel::M;
        let bits = qrcode::bits::encode_auto(text.as_bytes(), ec).map_err(too_long)?;
        let version = bits.version();
        let (data, ec_data) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).map_err(too_long)?;
        let mut canvas = Canvas::new(version, ec);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec_data);
        let width = version.width().max(0) as usize;
        [
            MaskPattern::Checkerboard,
            MaskPattern::HorizontalLines,
            MaskPattern::VerticalLines,
            MaskPattern::DiagonalLines,
            MaskPattern::LargeCheckerboard,
            MaskPattern::Fields,
            MaskPattern::Diamonds,
            MaskPattern::Meadow,
        ]
        .into_iter()
        .map(|pattern| {
            let mut c = canvas.clone();
            c.apply_mask(pattern);
            let dark: Vec<bool> = c.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            (penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| Matrix { width, dark })
        .ok_or_else(|| AppError::internal("qr"))
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// Greyscale pixels with a 4-module quiet zone, `scale` pixels per module.
    pub fn pixels(&self, scale: usize) -> (usize, Vec<u8>) {
        let side = (self.width + 8) * scale;
        let mut px = vec![255u8; side * side];
        for y in 0..self.width {
            for x in 0..self.width {
                if self.is_dark(x, y) {
                    for dy in 0..scale {
                        let row = (y + 4) * scale + dy;
                        let start = row * side + (x + 4) * scale;
                        px[start..start + scale].fill(0);
                    }
                }
            }
        }
        (side, px)
    }

    /// Greyscale pixels without the quiet zone (the page around it is white).
    pub fn pixels_without_margin(&self, scale: usize) -> (usize, Vec<u8>) {
        let side = self.width * scale;
        let mut px = Vec::with_capacity(side * side);
        for y in 0..side {
            for x in 0..side {
                px.push(if self.is_dark(x / scale, y / scale) { 0 } else { 255 });
            }
        }
        (side, px)
    }

    /// The code as SVG, one unit per module with the quiet zone (for the window).
    pub fn svg(&self) -> String {
        let w = self.width + 8;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 {w} {w}\" shape-rendering=\"crispEdges\">\
             <rect x=\"-4\" y=\"-4\" width=\"{w}\" height=\"{w}\" fill=\"#fff\"/>"
        );
        for y in 0..self.width {
            for x in (0..self.width).filter(|x| self.is_dark(*x, y)) {
                svg.push_str(&format!("<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"/>"));
            }
        }
        svg.push_str("</svg>");
        svg
    }

    /// A PNG image of the code (greyscale, 8 pixels per module).
    pub fn png(&self) -> Result<Vec<u8>> {
        let (side, px) = self.pixels(8);
        encode_png(side, side, &px)
    }
}

/// The mask penalty of ISO/IEC 18004 §7.8.3: runs of five or more modules of one colour
/// (N1 = 3, plus one per extra module), 2×2 blocks of one colour (N2 = 3 each),
/// finder-like 1:1:3:1:1 patterns with four light modules beside them (N3 = 40 each), and
/// the dark share's distance from 50% (N4 = 10 per 5%).
pub fn penalty(dark: &[bool], width: usize) -> u32 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0u32;
    // N1 and N3 along rows (horizontal) and columns (vertical).
    const FINDER_A: [bool; 11] = [true, false, true, true, true, false, true, false, false, false, false];
    const FINDER_B: [bool; 11] = [false, false, false, false, true, false, true, true, true, false, true];
    for horizontal in [true, false] {
        let cell = |i: usize, j: usize| if horizontal { at(j, i) } else { at(i, j) };
        for i in 0..width {
            let mut run = 1;
            for j in 1..width {
                if cell(i, j) == cell(i, j - 1) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += 3 + (run - 5);
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score += 3 + (run - 5);
            }
            for j in 0..width.saturating_sub(10) {
                let window = |p: &[bool; 11]| (0..11).all(|k| cell(i, j + k) == p[k]);
                if window(&FINDER_A) || window(&FINDER_B) {
                    score += 40;
                }
            }
        }
    }
    // N2: 2×2 blocks.
    for y in 0..width.saturating_sub(1) {
        for x in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    // N4: balance of dark and light.
    let dark_count = dark.iter().filter(|d| **d).count();
    let percent = dark_count * 100 / dark.len().max(1);
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

pub fn encode_png(width: usize, height: usize, grey: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width as u32, height as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| AppError::internal(format!("png: {e}")))?;
        w.write_image_data(grey).map_err(|e| AppError::internal(format!("png: {e}")))?;
    }
    Ok(out)
}

/// A greyscale image decoded from PNG or JPEG bytes.
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// Largest image we agree to decode (a 600-dpi A4 page is about 35 Mpx).
const MAX_PIXELS: usize = 60_000_000;

pub fn decode_image(bytes: &[u8]) -> Result<Grey> {
    let refused = || AppError::new("image_unreadable").on("file");
    if bytes.starts_with(b"\x89PNG") {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|_| refused())?;
        let size = reader.output_buffer_size().ok_or_else(refused)?;
        let (w, h) = (reader.info().width as usize, reader.info().height as usize);
        if w.saturating_mul(h) > MAX_PIXELS {
            return Err(refused());
        }
        let mut buf = vec![0; size];
        let info = reader.next_frame(&mut buf).map_err(|_| refused())?;
        let channels = info.color_type.samples();
        let line = info.line_size;
        let mut pixels = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let i = y * line + x * channels;
                let p = &buf[i..i + channels];
                pixels.push(match channels {
                    1 | 2 => p[0],
                    _ => luma(p[0], p[1], p[2]),
                });
            }
        }
        return Ok(Grey { width: w, height: h, pixels });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
        decoder.read_info().map_err(|_| refused())?;
        let info = decoder.info().ok_or_else(refused)?;
        let (w, h) = (usize::from(info.width), usize::from(info.height));
        if w.saturating_mul(h) > MAX_PIXELS {
            return Err(refused());
        }
        let data = decoder.decode().map_err(|_| refused())?;
        let pixels = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => data,
            jpeg_decoder::PixelFormat::L16 => data.chunks(2).map(|c| c[0]).collect(),
            jpeg_decoder::PixelFormat::RGB24 => data.chunks(3).map(|c| luma(c[0], c[1], c[2])).collect(),
            jpeg_decoder::PixelFormat::CMYK32 => {
                data.chunks(4).map(|c| 255 - c[3].saturating_add(luma(c[0], c[1], c[2]) / 4)).collect()
            }
        };
        if pixels.len() < w * h {
            return Err(refused());
        }
        return Ok(Grey { width: w, height: h, pixels });
    }
    Err(refused())
}

impl Grey {
    /// The part of the image from (x, y), `w` × `h` pixels.
    fn crop(&self, x: usize, y: usize, w: usize, h: usize) -> Grey {
        let mut pixels = Vec::with_capacity(w * h);
        for row in y..y + h {
            pixels.extend_from_slice(&self.pixels[row * self.width + x..row * self.width + x + w]);
        }
        Grey { width: w, height: h, pixels }
    }
}

/// The codes in a scan or photo of a whole page: the whole image first, then its corners
/// at three fifths and two fifths of each side (a page holds other square patterns, such
/// as a logo or bold text, that can pair up with the code's finder marks and hide it from
/// the detector; the certificate's code sits in the bottom-right corner).
pub fn read_page(image: &Grey) -> Vec<String> {
    let found = read(image);
    if !found.is_empty() {
        return found;
    }
    for part in [3, 2] {
        let (w, h) = (image.width * part / 5, image.height * part / 5);
        for (x, y) in [(image.width - w, image.height - h), (0, 0), (image.width - w, 0), (0, image.height - h)] {
            let found = read(&image.crop(x, y, w, h));
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

/// Every QR code's text found in the image.
pub fn read(image: &Grey) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
        image.pixels[y * image.width + x]
    });
    prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mask_choice_reads_back_and_the_penalty_counts_by_the_rules() {
        for n in [1usize, 40, 120, 300, 380] {
            let text: String = "SFR1ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".chars().cycle().take(n).collect();
            let m = Matrix::encode(&text).expect("encode");
            let image = decode_image(&m.png().expect("png")).expect("decode");
            assert_eq!(read(&image), vec![text], "{n} characters");
        }
        // A 5×5 all-light square: N1 = 5 rows + 5 columns of a 5-run (3 each), N2 = 16
        // blocks (3 each), N4 = 0% dark (10 × 10).
        assert_eq!(penalty(&[false; 25], 5), 30 + 48 + 100);
    }

    #[test]
    fn a_code_survives_png_and_back() {
        let text = format!("SFR1{}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(11));
        let m = Matrix::encode(&text).expect("encode");
        let png = m.png().expect("png");
        let image = decode_image(&png).expect("decode");
        assert_eq!(read(&image), vec![text]);
        assert_eq!(decode_image(b"not an image").err().map(|e| e.code), Some("image_unreadable"));
    }
}
