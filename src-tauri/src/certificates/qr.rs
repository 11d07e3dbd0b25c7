//! QR codes: made with `qrcode` (as a module matrix, drawn by the PDF writer or as a PNG),
//! read back with `rqrr` from PNG or JPEG images (decoded by `png` and `jpeg-decoder`).

use crate::error::{AppError, Result};
use qrcode::{Color, EcLevel, QrCode};

/// A QR code as rows of dark (true) and light modules, without the quiet zone.
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Matrix {
    /// Medium error correction (15%): a creased or stamped paper still reads.
    pub fn encode(text: &str) -> Result<Matrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|_| AppError::new("qr_too_long"))?;
        Ok(Matrix { width: code.width(), dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect() })
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

    /// A PNG image of the code (greyscale, 8 pixels per module).
    pub fn png(&self) -> Result<Vec<u8>> {
        let (side, px) = self.pixels(8);
        encode_png(side, side, &px)
    }
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
    fn a_code_survives_png_and_back() {
        let text = format!("SFR1{}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(11));
        let m = Matrix::encode(&text).expect("encode");
        let png = m.png().expect("png");
        let image = decode_image(&png).expect("decode");
        assert_eq!(read(&image), vec![text]);
        assert_eq!(decode_image(b"not an image").err().map(|e| e.code), Some("image_unreadable"));
    }
}
