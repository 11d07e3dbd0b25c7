//! A minimal W3C WebDriver client over HTTP/1.1, std only.

use serde_json::Value;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// The key under which W3C WebDriver returns an element reference.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Talks W3C WebDriver to tauri-driver. One TCP connection per request, keep-alive
/// semantics (no `Connection: close`: tauri-driver 2.1 sometimes answers that with an
/// empty reply), bodies framed by Content-Length (or chunked).
pub struct WebDriver {
    port: u16,
}

/// A WebDriver error answer (`{"value": {"error", "message"}}`).
#[derive(Debug, Clone)]
pub struct WdError {
    pub status: u16,
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}: {}", self.status, self.error, self.message)
    }
}

impl WebDriver {
    pub fn new(port: u16) -> WebDriver {
        WebDriver { port }
    }

    /// Sends one command and returns its `value`.
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, WdError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.exchange(method, path, body) {
                Ok((status, text)) => return parse_answer(status, &text),
                // An empty or broken reply to a command with no side effect is retried.
                Err(e) if attempts < 3 && method == "GET" => {
                    eprintln!("[e2e] {method} {path}: {e}; retrying");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => {
                    return Err(WdError {
                        status: 0,
                        error: "transport".into(),
                        message: format!("{method} {path}: {e}"),
                    })
                }
            }
        }
    }

    fn exchange(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, String)> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let payload = body.map(Value::to_string).unwrap_or_default();
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: application/json\r\n", self.port);
        if body.is_some() {
            request.push_str("Content-Type: application/json; charset=utf-8\r\n");
        }
        let _ = write!(request, "Content-Length: {}\r\n\r\n", payload.len());
        stream.write_all(request.as_bytes())?;
        stream.write_all(payload.as_bytes())?;
        stream.flush()?;

        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        if reader.read_line(&mut status_line)? == 0 {
            return Err(std::io::Error::other("empty reply"));
        }
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err(std::io::Error::other("reply ended inside the headers"));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                }
            }
        }
        let mut bytes = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| std::io::Error::other("bad chunk size"))?;
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            bytes.resize(n, 0);
            reader.read_exact(&mut bytes)?;
        } else {
            reader.read_to_end(&mut bytes)?;
        }
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }
}

fn parse_answer(status: u16, text: &str) -> Result<Value, WdError> {
    let json: Value = serde_json::from_str(text).map_err(|_| WdError {
        status,
        error: "not json".into(),
        message: text.chars().take(500).collect(),
    })?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if status == 200 {
        return Ok(value);
    }
    Err(WdError {
        status,
        error: value["error"].as_str().unwrap_or("unknown error").to_string(),
        message: value["message"].as_str().unwrap_or("").to_string(),
    })
}

/// Decodes standard base64 (as in WebDriver screenshots).
pub fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue, // '=', line breaks
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_padding_and_line_breaks() {
        assert_eq!(base64_decode("aGVsbG8="), b"hello");
        assert_eq!(base64_decode("aGVs\nbG8h"), b"hello!");
        assert_eq!(base64_decode("iVBORw=="), b"\x89PNG");
    }

    #[test]
    fn error_answers_carry_the_webdriver_error() {
        let e = parse_answer(404, r#"{"value":{"error":"no such alert","message":"none"}}"#).expect_err("an error");
        assert_eq!((e.status, e.error.as_str()), (404, "no such alert"));
        assert_eq!(parse_answer(200, r#"{"value":3}"#).expect("ok"), 3);
    }
}
