//! The backup file: one age-encrypted stream (X25519 recipients, ChaCha20-Poly1305 in
//! 64 KiB authenticated chunks: a flipped byte or a cut-off end fails to decrypt) holding
//! a simple container:
//!
//! ```text
//! "SAFARBK1"                                 magic and container version
//! 'F' u16 name-length name u64 size bytes    one part (a file), repeated
//! 'M' u64 length manifest-JSON               the manifest, last, with every part's SHA-256
//! ```
//!
//! The container is deflated (fast level) before it is encrypted: a database snapshot
//! shrinks to about a third. Numbers are big-endian. The manifest comes last so each part is streamed once, hashed
//! on the way; a reader checks every part against it before trusting any.

use super::private;
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

const MAGIC: &[u8; 8] = b"SAFARBK1";
const NAME_MAX: usize = 1024;
const MANIFEST_MAX: u64 = 16 * 1024 * 1024;

/// One file in a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// Writes parts into an encrypted backup stream.
pub struct Writer<W: Write> {
    inner: flate2::write::DeflateEncoder<age::stream::StreamWriter<W>>,
    parts: Vec<Part>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, recipients: &[age::x25519::Recipient]) -> Result<Writer<W>> {
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient)).map_err(crypto)?;
        let mut inner = flate2::write::DeflateEncoder::new(encryptor.wrap_output(out)?, flate2::Compression::fast());
        inner.write_all(MAGIC)?;
        Ok(Writer { inner, parts: Vec::new() })
    }

    /// Streams the file at `path` in as `name` (a relative path with `/`).
    pub fn add_file(&mut self, name: &str, path: &Path) -> Result<()> {
        let file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        let name_len = u16::try_from(name.len()).map_err(|_| AppError::new("io").with("detail", name))?;
        self.inner.write_all(b"F")?;
        self.inner.write_all(&name_len.to_be_bytes())?;
        self.inner.write_all(name.as_bytes())?;
        self.inner.write_all(&size.to_be_bytes())?;
        let mut hasher = Sha256::new();
        let mut reader = file.take(size);
        let mut buf = vec![0u8; 64 * 1024];
        let mut copied = 0u64;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            self.inner.write_all(&buf[..n])?;
            copied += n as u64;
        }
        if copied != size {
            // The file shrank while being read: the container would be misaligned.
            return Err(AppError::new("io").with("detail", format!("{name} changed while being backed up")));
        }
        self.parts.push(Part { name: name.to_string(), size, sha256: hex(&hasher.finalize()) });
        Ok(())
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Writes the manifest and the stream's last authenticated chunk; returns the output.
    pub fn finish(mut self, manifest: &[u8]) -> Result<W> {
        self.inner.write_all(b"M")?;
        self.inner.write_all(&(manifest.len() as u64).to_be_bytes())?;
        self.inner.write_all(manifest)?;
        Ok(self.inner.finish()?.finish()?)
    }
}

/// Decrypts `input` with `identity` and writes every part under `into` (a new, private
/// folder). Returns the parts as read (sizes and hashes computed here) and the manifest.
pub fn unpack(input: impl Read, identity: &age::x25519::Identity, into: &Path) -> Result<(Vec<Part>, Vec<u8>)> {
    let decryptor = age::Decryptor::new(std::io::BufReader::new(input)).map_err(unreadable)?;
    let plain = decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)).map_err(unreadable)?;
    let mut reader = flate2::bufread::DeflateDecoder::new(std::io::BufReader::new(plain));
    let mut magic = [0u8; 8];
    reader.read_exact(&mut magic).map_err(damaged)?;
    if &magic != MAGIC {
        return Err(AppError::new("backup_damaged").with("detail", "not a Safar backup"));
    }
    let mut parts = Vec::new();
    loop {
        let mut tag = [0u8; 1];
        reader.read_exact(&mut tag).map_err(damaged)?;
        match tag[0] {
            b'F' => parts.push(read_part(&mut reader, into)?),
            b'M' => {
                let len = read_u64(&mut reader)?;
                if len > MANIFEST_MAX {
                    return Err(AppError::new("backup_damaged").with("detail", "manifest too large"));
                }
                let mut manifest = Vec::new();
                (&mut reader).take(len).read_to_end(&mut manifest).map_err(damaged)?;
                // Nothing may follow, and reading the encrypted stream to its end checks the
                // final chunk's tag (a cut-off file fails here).
                let mut rest = Vec::new();
                reader.read_to_end(&mut rest).map_err(damaged)?;
                reader.into_inner().read_to_end(&mut rest).map_err(damaged)?;
                if manifest.len() as u64 != len || !rest.is_empty() {
                    return Err(AppError::new("backup_damaged").with("detail", "trailing or missing bytes"));
                }
                return Ok((parts, manifest));
            }
            _ => return Err(AppError::new("backup_damaged").with("detail", "unknown record")),
        }
    }
}

fn read_part(reader: &mut impl Read, into: &Path) -> Result<Part> {
    let mut len = [0u8; 2];
    reader.read_exact(&mut len).map_err(damaged)?;
    let len = usize::from(u16::from_be_bytes(len));
    if len == 0 || len > NAME_MAX {
        return Err(AppError::new("backup_damaged").with("detail", "bad part name"));
    }
    let mut name = vec![0u8; len];
    reader.read_exact(&mut name).map_err(damaged)?;
    let name = String::from_utf8(name).map_err(|_| AppError::new("backup_damaged").with("detail", "bad part name"))?;
    let target = safe_join(into, &name)?;
    let size = read_u64(reader)?;
    if let Some(parent) = target.parent() {
        private::create_dir(parent)?;
    }
    let mut out = private::create_new_file(&target)?;
    let mut hasher = Sha256::new();
    let mut limited = reader.take(size);
    let mut buf = vec![0u8; 64 * 1024];
    let mut copied = 0u64;
    loop {
        let n = limited.read(&mut buf).map_err(damaged)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        copied += n as u64;
    }
    if copied != size {
        return Err(AppError::new("backup_damaged").with("detail", "cut off"));
    }
    out.sync_all()?;
    Ok(Part { name, size, sha256: hex(&hasher.finalize()) })
}

/// `into/name` for a part name made only of plain components: a crafted backup cannot
/// write outside the folder it is unpacked into.
fn safe_join(into: &Path, name: &str) -> Result<PathBuf> {
    let bad = || AppError::new("backup_damaged").with("detail", "unsafe part name");
    if name.contains('\\') || name.contains('\0') {
        return Err(bad());
    }
    let rel = Path::new(name);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(bad());
    }
    Ok(into.join(rel))
}

fn read_u64(reader: &mut impl Read) -> Result<u64> {
    let mut n = [0u8; 8];
    reader.read_exact(&mut n).map_err(damaged)?;
    Ok(u64::from_be_bytes(n))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn crypto(e: impl std::fmt::Display) -> AppError {
    AppError::new("io").with("detail", e.to_string())
}

/// No key fits, or the header is not age's: the file is not ours to read.
fn unreadable(e: age::DecryptError) -> AppError {
    match e {
        age::DecryptError::NoMatchingKeys => AppError::new("backup_wrong_key"),
        other => AppError::new("backup_damaged").with("detail", other.to_string()),
    }
}

/// A failed authenticated chunk or a cut-off stream.
fn damaged(e: std::io::Error) -> AppError {
    AppError::new("backup_damaged").with("detail", e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(files: &[(&str, &[u8])], to: &age::x25519::Recipient) -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Writer::new(Vec::new(), std::slice::from_ref(to)).expect("writer");
        for (name, bytes) in files {
            let p = dir.path().join("f");
            std::fs::write(&p, bytes).expect("write");
            w.add_file(name, &p).expect("add");
        }
        w.finish(b"{}").expect("finish")
    }

    #[test]
    fn parts_come_back_with_their_hashes_and_a_flipped_byte_is_refused() {
        let key = age::x25519::Identity::generate();
        let bytes = pack(&[("safar.db", b"database"), ("keys/a.key", b"secret")], &key.to_public());
        assert!(!bytes.windows(6).any(|w| w == b"secret"), "plain text in the backup");
        let out = tempfile::tempdir().expect("tempdir");
        let (parts, manifest) = unpack(&bytes[..], &key, &out.path().join("x")).expect("unpack");
        assert_eq!(manifest, b"{}");
        assert_eq!(parts[1].name, "keys/a.key");
        assert_eq!(std::fs::read(out.path().join("x/keys/a.key")).expect("read"), b"secret");
        assert_eq!(parts[0].sha256, hex(&Sha256::digest(b"database")));

        let mut flipped = bytes.clone();
        let i = flipped.len() - 30;
        flipped[i] ^= 1;
        let e = unpack(&flipped[..], &key, &out.path().join("y")).expect_err("flipped");
        assert_eq!(e.code, "backup_damaged");
        let e = unpack(&bytes[..bytes.len() - 1], &key, &out.path().join("z")).expect_err("cut");
        assert_eq!(e.code, "backup_damaged");
        let other = age::x25519::Identity::generate();
        let e = unpack(&bytes[..], &other, &out.path().join("w")).expect_err("other key");
        assert_eq!(e.code, "backup_wrong_key");
    }

    #[test]
    fn a_part_name_cannot_climb_out() {
        let key = age::x25519::Identity::generate();
        let bytes = pack(&[("../evil", b"x")], &key.to_public());
        let out = tempfile::tempdir().expect("tempdir");
        let e = unpack(&bytes[..], &key, &out.path().join("x")).expect_err("refused");
        assert_eq!(e.code, "backup_damaged");
        assert!(!out.path().join("evil").exists());
    }
}
