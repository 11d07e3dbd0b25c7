//! The agency's Ed25519 key and the signed record a certificate's QR code carries.
//!
//! The record is short text, `SFR1` followed by base32 (RFC 4648, no padding) of the payload
//! and its 64-byte signature. Base32's alphabet (A–Z, 2–7) is inside the QR code's
//! alphanumeric mode, which packs 5.5 bits per character instead of 8: a 360-character
//! record fits a version-11 code that stays scannable at 2.5 cm. It carries no PINFL or
//! passport number, only a salted hash of the PINFL that a border officer holding the
//! passport can check.

use crate::data_dir::DataDir;
use crate::error::{AppError, Result};
use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

pub const PREFIX: &str = "SFR1";
const SEP: char = '|';

/// What a certificate's QR code says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub number: String,
    pub licence_number: String,
    pub course: String,
    pub starts_on: String,
    pub ends_on: String,
    pub issued_on: String,
    pub valid_until: String,
    /// The exam score (the certificate is only issued on a pass).
    pub score: i64,
    /// Surname and initials, e.g. "Gʻulomov D. B.".
    pub holder: String,
    /// Salt and slow hash of "licence|PINFL" ([`pinfl_hash`]), hex; empty for demo data.
    pub pinfl_hash: String,
    /// First 4 bytes of SHA-256 of the issuer's public key, hex.
    pub key_id: String,
}

fn ymd(date: &str) -> String {
    date.replace('-', "")
}

fn iso(compact: &str) -> Option<String> {
    (compact.len() == 8 && compact.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &compact[..4], &compact[4..6], &compact[6..]))
}

/// Keeps a field from breaking the payload's framing, and short.
fn field(text: &str, max: usize) -> String {
    text.chars().map(|c| if c == SEP || c.is_control() { '/' } else { c }).take(max).collect()
}

/// The PINFL as the record carries it: a random 8-byte salt and the first 8 bytes of
/// Argon2id("licence|PINFL", salt), 32 hex digits. A PINFL has only ~10^10 possible values,
/// so a fast hash would give it away to anyone with a GPU; at ~5 ms a try, checking the
/// one PINFL in a passport is instant and trying them all takes years per core.
pub fn pinfl_hash(licence: &str, pinfl: &str) -> String {
    use password_hash::rand_core::RngCore;
    let mut salt = [0u8; 8];
    password_hash::rand_core::OsRng.fill_bytes(&mut salt);
    slow_hash(&salt, licence, pinfl).map(|h| format!("{}{}", hex(&salt), hex(&h))).unwrap_or_default()
}

fn slow_hash(salt: &[u8], licence: &str, pinfl: &str) -> Option<[u8; 8]> {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(8 * 1024, 2, 1, Some(8)).ok()?;
    let mut out = [0u8; 8];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(format!("{licence}|{}", pinfl.trim()).as_bytes(), salt, &mut out)
        .ok()?;
    Some(out)
}

/// Whether `pinfl` (read from the holder's passport) is the one the record was issued to.
pub fn pinfl_matches(record: &Record, pinfl: &str) -> bool {
    let h = &record.pinfl_hash;
    let bytes = |s: &str| {
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()).collect::<Option<Vec<u8>>>()
    };
    if h.len() != 32 || !h.is_ascii() {
        return false;
    }
    match (bytes(&h[..16]), bytes(&h[16..])) {
        (Some(salt), Some(hash)) => slow_hash(&salt, &record.licence_number, pinfl).is_some_and(|x| x[..] == hash[..]),
        _ => false,
    }
}

pub fn key_id(key: &VerifyingKey) -> String {
    hex(&Sha256::digest(key.as_bytes())[..4])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Record {
    fn payload(&self) -> String {
        [
            "1".to_string(),
            field(&self.number, 40),
            field(&self.licence_number, 40),
            field(&self.course, 48),
            ymd(&self.starts_on),
            ymd(&self.ends_on),
            ymd(&self.issued_on),
            ymd(&self.valid_until),
            self.score.to_string(),
            field(&self.holder, 48),
            self.pinfl_hash.clone(),
            self.key_id.clone(),
        ]
        .join(&SEP.to_string())
    }

    fn parse(payload: &str) -> Option<Record> {
        let f: Vec<&str> = payload.split(SEP).collect();
        if f.len() != 12 || f[0] != "1" {
            return None;
        }
        Some(Record {
            number: f[1].to_string(),
            licence_number: f[2].to_string(),
            course: f[3].to_string(),
            starts_on: iso(f[4])?,
            ends_on: iso(f[5])?,
            issued_on: iso(f[6])?,
            valid_until: iso(f[7])?,
            score: f[8].parse().ok()?,
            holder: f[9].to_string(),
            pinfl_hash: f[10].to_string(),
            key_id: f[11].to_string(),
        })
    }

    /// The record signed with `key`, as the QR code's text. The fields are stored as
    /// signed, so the record read back equals `self` after its fields were trimmed.
    pub fn sign(&self, key: &SigningKey) -> String {
        let payload = self.payload();
        let signature = key.sign(payload.as_bytes());
        let mut bytes = payload.into_bytes();
        bytes.extend_from_slice(&signature.to_bytes());
        format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes))
    }
}

/// A record read from text, with its signature not yet checked.
#[derive(Debug, Clone)]
pub struct Signed {
    pub record: Record,
    payload: Vec<u8>,
    signature: Signature,
}

impl Signed {
    /// Reads `SFR1…` text (spaces, line breaks and a URL around it are tolerated). `None`
    /// when it is not a well-formed record: cut short, altered or not ours at all.
    pub fn read(text: &str) -> Option<Signed> {
        let compact: String = text.split_whitespace().collect::<String>().to_ascii_uppercase();
        let start = compact.find(PREFIX)?;
        let body: String = compact[start + PREFIX.len()..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || ('2'..='7').contains(c))
            .collect();
        let bytes = BASE32_NOPAD.decode(body.as_bytes()).ok()?;
        if bytes.len() <= 64 {
            return None;
        }
        let (payload, sig) = bytes.split_at(bytes.len() - 64);
        let signature = Signature::from_slice(sig).ok()?;
        let record = Record::parse(std::str::from_utf8(payload).ok()?)?;
        Some(Signed { record, payload: payload.to_vec(), signature })
    }

    pub fn verify_with(&self, key: &VerifyingKey) -> bool {
        key.verify(&self.payload, &self.signature).is_ok()
    }
}

/// The agency's signing key, kept in the data directory (never in the database, never
/// exported); its public half is what other offices need.
pub struct Keys {
    pub signing: SigningKey,
}

impl Keys {
    pub fn path(dir: &DataDir) -> PathBuf {
        dir.signing_key()
    }

    /// Loads the key, making one on first use. The file holds the 32-byte seed in base64
    /// and is readable by its owner only.
    pub fn load_or_create(dir: &DataDir) -> Result<Keys> {
        let path = dir.signing_key();
        if path.exists() {
            let text = std::fs::read_to_string(&path)?;
            let seed = base64_decode(text.trim()).ok_or_else(|| AppError::new("signing_key_damaged"))?;
            let seed: [u8; 32] = seed.try_into().map_err(|_| AppError::new("signing_key_damaged"))?;
            return Ok(Keys { signing: SigningKey::from_bytes(&seed) });
        }
        let mut seed = [0u8; 32];
        use password_hash::rand_core::RngCore;
        password_hash::rand_core::OsRng.fill_bytes(&mut seed);
        let signing = SigningKey::from_bytes(&seed);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Written to a temporary file and renamed, so a crash never leaves half a key.
        let tmp = path.with_extension("tmp");
        {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut f = options.open(&tmp)?;
            f.write_all(base64_encode(&seed).as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        Ok(Keys { signing })
    }

    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The public key as a file other offices can trust: one line,
/// `SAFAR-KEY1 <key id> <base64 key> <licence> <agency name>`.
pub fn public_key_text(key: &VerifyingKey, licence: &str, agency: &str) -> String {
    format!(
        "SAFAR-KEY1 {} {} {} {}\n",
        key_id(key),
        base64_encode(key.as_bytes()),
        field(licence, 40).replace(' ', "_"),
        agency.trim()
    )
}

/// A public key file read back: (key, licence, agency name).
pub fn read_public_key(text: &str) -> Option<(VerifyingKey, String, String)> {
    let mut parts = text.trim().splitn(5, ' ');
    if parts.next()? != "SAFAR-KEY1" {
        return None;
    }
    let id = parts.next()?;
    let bytes: [u8; 32] = base64_decode(parts.next()?)?.try_into().ok()?;
    let key = VerifyingKey::from_bytes(&bytes).ok()?;
    if key_id(&key) != id {
        return None;
    }
    let licence = parts.next()?.replace('_', " ");
    Some((key, licence, parts.next().unwrap_or("").to_string()))
}

pub fn encode_key(key: &VerifyingKey) -> String {
    base64_encode(key.as_bytes())
}

pub fn decode_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = base64_decode(text)?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(key: &SigningKey) -> Record {
        Record {
            number: "SAF-2026-000042".into(),
            licence_number: "XBA-0042".into(),
            course: "Pre-departure orientation: Korea".into(),
            starts_on: "2026-11-02".into(),
            ends_on: "2026-11-13".into(),
            issued_on: "2026-11-16".into(),
            valid_until: "2027-11-16".into(),
            score: 86,
            holder: "Gʻulomov D. B.".into(),
            // A fixed value: the slow hash is tested on its own below.
            pinfl_hash: "0123456789abcdef0123456789abcdef".into(),
            key_id: key_id(&key.verifying_key()),
        }
    }

    #[test]
    fn the_pinfl_is_checked_not_revealed() {
        let key = key();
        let mut r = record(&key);
        r.pinfl_hash = pinfl_hash(&r.licence_number, "31207803067076");
        assert_eq!(r.pinfl_hash.len(), 32);
        assert!(pinfl_matches(&r, "31207803067076"));
        assert!(!pinfl_matches(&r, "31207803067077"));
        // Salted: the same PINFL gives another value each time.
        assert_ne!(pinfl_hash(&r.licence_number, "31207803067076"), r.pinfl_hash);
        r.pinfl_hash = "not hex".into();
        assert!(!pinfl_matches(&r, "31207803067076"));
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn a_signed_record_reads_back_and_verifies() {
        let key = key();
        let r = record(&key);
        let text = r.sign(&key);
        assert!(text.len() <= 400, "{} characters", text.len());
        assert!(text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{text}");
        let signed = Signed::read(&format!("  {text}\n")).expect("reads");
        assert_eq!(signed.record, r);
        assert!(signed.verify_with(&key.verifying_key()));
        assert!(!signed.verify_with(&SigningKey::from_bytes(&[8u8; 32]).verifying_key()));
        // A code read by a phone as a URL or in lower case still reads.
        assert!(Signed::read(&format!("https://verify.example/#{}", text.to_lowercase())).is_some());
    }

    #[test]
    fn public_key_files_round_trip_and_refuse_a_wrong_id() {
        let k = key().verifying_key();
        let text = public_key_text(&k, "XBA 0042", "Safar Xususiy bandlik agentligi");
        let (back, licence, name) = read_public_key(&text).expect("reads");
        assert_eq!((back, licence.as_str(), name.as_str()), (k, "XBA 0042", "Safar Xususiy bandlik agentligi"));
        assert!(read_public_key(&text.replacen(&key_id(&k), "00000000", 1)).is_none());
    }

    #[test]
    fn the_key_is_made_once_and_kept_private() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = DataDir::new(tmp.path());
        let a = Keys::load_or_create(&dir).expect("create");
        let b = Keys::load_or_create(&dir).expect("load");
        assert_eq!(a.public(), b.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(Keys::path(&dir)).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Every single-bit change of the signed text's bytes, and every truncation, is
        /// refused: it either no longer reads or no longer verifies.
        #[test]
        fn any_bit_flip_or_truncation_fails(bit in 0usize..4096, cut in 1usize..400) {
            let key = key();
            let text = record(&key).sign(&key);
            let mut bytes = text.clone().into_bytes();
            let bit = bit % (bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let flipped = String::from_utf8_lossy(&bytes).to_string();
            let ok = |t: &str| Signed::read(t).is_some_and(|s| s.verify_with(&key.verifying_key()));
            // Case changes are not tampering (phones read codes in either case).
            if !flipped.eq_ignore_ascii_case(&text) {
                prop_assert!(!ok(&flipped), "bit {} accepted", bit);
            }
            let cut = cut.min(text.len() - 1);
            prop_assert!(!ok(&text[..text.len() - cut]), "cut {} accepted", cut);
        }

        /// Bit flips in the decoded payload or signature are caught by the signature.
        #[test]
        fn any_bit_flip_in_the_signed_bytes_fails(bit in 0usize..4096) {
            let key = key();
            let text = record(&key).sign(&key);
            let mut bytes = BASE32_NOPAD.decode(&text.as_bytes()[PREFIX.len()..]).expect("decode");
            let bit = bit % (bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let altered = format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes));
            prop_assert!(!Signed::read(&altered).is_some_and(|s| s.verify_with(&key.verifying_key())));
        }
    }
}
