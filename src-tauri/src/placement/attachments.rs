//! Scanned contract documents: PDF, JPEG or PNG, recognised by their content (not their
//! name) and checked to be what their first bytes claim, at most 10 MiB, stored once under
//! `<data dir>/attachments/<sha256>.<ext>`.

use crate::audit::{self, Entry};
use crate::desk::Desk;
use crate::error::{AppError, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

pub use super::records::Attachment;

/// The document type from the first bytes, or None for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else {
        None
    }
}

/// Whether the bytes really are the document their first bytes claim: a PDF that loads
/// with at least one page, a PNG or JPEG whose header decodes. The magic bytes alone let
/// an HTML page that starts with `%PDF` pass as a contract scan. Called only on files
/// already within `MAX_BYTES`.
pub fn well_formed(kind: &str, bytes: &[u8]) -> bool {
    // The parsers read anyone's file: a panic inside one is a refusal, not a crash.
    std::panic::catch_unwind(|| match kind {
        "pdf" => lopdf::Document::load_mem(bytes).is_ok_and(|doc| !doc.get_pages().is_empty()),
        "png" => png::Decoder::new(std::io::Cursor::new(bytes)).read_info().is_ok(),
        "jpeg" => jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes)).read_info().is_ok(),
        _ => false,
    })
    .unwrap_or(false)
}

pub fn file_path(dir: &Path, a: &Attachment) -> PathBuf {
    dir.join(format!("{}.{}", a.sha256, if a.kind == "jpeg" { "jpg" } else { &a.kind }))
}

impl Desk {
    /// Checks and stores a document for a contract; nothing is kept when it is refused.
    pub async fn attach(&self, contract_id: i64, name: &str, bytes: &[u8], actor: &str) -> Result<Attachment> {
        if bytes.len() > MAX_BYTES {
            return Err(AppError::new("attachment_too_large").on("file").with("max_mb", MAX_BYTES / (1024 * 1024)));
        }
        let kind = sniff(bytes).ok_or_else(|| AppError::new("attachment_type").on("file"))?;
        if !well_formed(kind, bytes) {
            return Err(AppError::new("attachment_damaged").on("file").with("kind", kind.to_ascii_uppercase()));
        }
        let sha: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        let name: String =
            Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or("document").chars().take(200).collect();
        let mut tx = self.store.write().await?;
        let contract = crate::store::placement::contract(&mut tx, contract_id)
            .await?
            .ok_or_else(|| AppError::new("contract_not_found").with("id", contract_id))?;
        let now = self.now();
        let id = crate::store::placement::insert_attachment(
            &mut tx,
            contract_id,
            &sha,
            kind,
            bytes.len() as i64,
            &name,
            &now,
            actor,
        )
        .await?;
        let changes = serde_json::json!({"contract_id": contract_id, "attachment_id": id, "kind": kind, "size": bytes.len(), "sha256": sha});
        audit::append(
            &mut tx,
            &Entry::new(&now, actor, "contract.attach").record("worker", contract.worker_id).changes(changes),
        )
        .await?;
        let a = Attachment {
            id,
            contract_id,
            sha256: sha,
            kind: kind.to_string(),
            size: bytes.len() as i64,
            original_name: name,
            added_at: now,
            added_by: actor.to_string(),
        };
        // The file goes in place (temp name, then rename) before the row commits, so a
        // committed row always has its file.
        let dir = self.dir().attachments();
        std::fs::create_dir_all(&dir)?;
        let path = file_path(&dir, &a);
        if !path.exists() {
            let tmp = path.with_extension("part");
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, &path)?;
        }
        tx.commit().await?;
        Ok(a)
    }

    pub async fn attachments(&self, contract_id: i64) -> Result<Vec<Attachment>> {
        crate::store::placement::attachments(self.store.pool(), contract_id).await
    }

    /// Where a stored document's file is.
    pub fn attachment_file(&self, a: &Attachment) -> PathBuf {
        file_path(&self.dir().attachments(), a)
    }

    pub async fn attachment(&self, id: i64) -> Result<Attachment> {
        crate::store::placement::attachment(self.store.pool(), id)
            .await?
            .ok_or_else(|| AppError::new("attachment_not_found").with("id", id))
    }
}

/// Opens a stored document with the system's viewer.
pub fn open_with_system_viewer(path: &Path) -> Result<()> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program).arg(path).spawn()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_recognised_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some("jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(sniff(b"MZ\x90\x00 an exe renamed scan.pdf"), None);
        assert_eq!(sniff(b""), None);
    }

    /// A one-page PDF as lopdf writes it.
    fn real_pdf() -> Vec<u8> {
        use lopdf::{dictionary, Document, Object};
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()]});
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1}),
        );
        let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages});
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    fn real_png() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 2, 2);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header().expect("header").write_image_data(&[0, 255, 255, 0]).expect("data");
        out
    }

    /// SOI and a baseline frame header (1×1, one component): all `read_info` needs.
    const JPEG_HEADER: &[u8] = &[0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0];

    #[test]
    fn real_documents_pass_the_structure_check() {
        let pdf = real_pdf();
        assert_eq!(sniff(&pdf), Some("pdf"));
        assert!(well_formed("pdf", &pdf));
        assert!(well_formed("png", &real_png()));
        assert!(well_formed("jpeg", JPEG_HEADER));
    }

    #[test]
    fn an_html_page_behind_document_magic_bytes_fails_the_structure_check() {
        let html = b"<!doctype html><html><body><script>alert(1)</script></body></html>";
        for (magic, kind) in
            [(b"%PDF-1.7\n".as_slice(), "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (&[0xFF, 0xD8, 0xFF, 0xE0], "jpeg")]
        {
            let disguised = [magic, html.as_slice()].concat();
            assert_eq!(sniff(&disguised), Some(kind));
            assert!(!well_formed(kind, &disguised), "{kind}");
        }
        // Cut short: the first half of a real PDF and a PNG without its header chunk.
        let pdf = real_pdf();
        assert!(!well_formed("pdf", &pdf[..pdf.len() / 2]));
        assert!(!well_formed("png", &real_png()[..12]));
        assert!(!well_formed("jpeg", &JPEG_HEADER[..8]));
    }
}
