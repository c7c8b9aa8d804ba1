//! Reading one HTTP/1.1 request head and turning its target into a path
//! inside the served folder. Everything here distrusts its input: the
//! preview server may be reachable by other programs on the machine.

use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Longer heads are refused: a browser's are a few hundred bytes.
const MAX_HEAD: usize = 16 * 1024;

#[derive(Debug)]
pub(super) struct Request {
    pub method: String,
    /// The request target as sent, e.g. `/ket-luan/a/?x=1`.
    pub target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The target without its query string.
    pub(super) fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("")
    }
}

#[derive(Debug, thiserror::Error)]
pub(super) enum RequestError {
    #[error("the connection closed")]
    Closed,
    #[error("malformed request")]
    Malformed,
    #[error("request head too large")]
    TooLarge,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads the request line and headers (a GET or HEAD has no body to read).
pub(super) fn read(stream: &mut impl Read) -> Result<Request, RequestError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(if head.is_empty() {
                RequestError::Closed
            } else {
                RequestError::Malformed
            });
        }
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&head, b"\r\n\r\n") {
            head.truncate(end);
            return parse(&head);
        }
        if head.len() > MAX_HEAD {
            return Err(RequestError::TooLarge);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse(head: &[u8]) -> Result<Request, RequestError> {
    let text = std::str::from_utf8(head).map_err(|_| RequestError::Malformed)?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RequestError::Malformed);
    };
    // Visible ASCII only: the target is echoed into a Location header, where
    // a stray line break would let the client write headers of its own.
    let visible = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
    if !version.starts_with("HTTP/1.") || !visible(method) || !visible(target) {
        return Err(RequestError::Malformed);
    }
    let headers = lines
        .map(|line| {
            line.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .ok_or(RequestError::Malformed)
        })
        .collect::<Result<_, _>>()?;
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

/// A request path, percent-decoded and checked: only plain names, never
/// `..`, separators hidden in escapes, NUL or a drive/root prefix.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SitePath {
    pub segments: Vec<String>,
    /// `/dir/` rather than `/dir`: folders are only served with the slash,
    /// so that relative links on their index page resolve.
    pub trailing_slash: bool,
}

impl SitePath {
    pub(super) fn parse(raw: &str) -> Option<SitePath> {
        let rest = raw.strip_prefix('/')?;
        if raw.contains('\\') {
            return None;
        }
        let mut segments = Vec::new();
        for raw_segment in rest.split('/') {
            let bytes = percent_decode(raw_segment)?;
            let segment = String::from_utf8(bytes).ok()?;
            if segment.is_empty() {
                continue;
            }
            if !is_plain_name(&segment) {
                return None;
            }
            segments.push(segment);
        }
        Some(SitePath {
            segments,
            trailing_slash: raw.ends_with('/'),
        })
    }

    /// The file system path under `root`.
    pub(super) fn under(&self, root: &Path) -> PathBuf {
        let mut path = root.to_path_buf();
        path.extend(&self.segments);
        path
    }

    /// The canonical URL path of the folder, for redirecting `/dir` to
    /// `/dir/`. Rebuilt from the checked segments, so that no `//host`
    /// can sneak into a Location header.
    pub(super) fn folder_url(&self) -> String {
        let mut url = String::from("/");
        for segment in &self.segments {
            url.push_str(&percent_encode(segment));
            url.push('/');
        }
        url
    }
}

fn is_plain_name(segment: &str) -> bool {
    let forbidden = segment.contains(['/', '\\', '\0']);
    let mut components = Path::new(segment).components();
    let single_normal = matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(_)), None)
    );
    !forbidden && single_normal && segment != "." && segment != ".."
}

/// Strict decoding: a `%` must be followed by two hex digits.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_request_head() {
        let raw = b"GET /a/?q=1 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\n\r\n";
        let req = read(&mut &raw[..]).unwrap();
        assert_eq!(req.method, "GET");
        assert_eq!(req.path(), "/a/");
        assert_eq!(req.header("range"), Some("bytes=0-3"));
        assert!(matches!(
            read(&mut &b"GET /\r\n\r\n"[..]),
            Err(RequestError::Malformed)
        ));
        assert!(matches!(read(&mut &b""[..]), Err(RequestError::Closed)));
        assert!(matches!(
            read(&mut &b"GET /a?\nLocation:x HTTP/1.1\r\n\r\n"[..]),
            Err(RequestError::Malformed)
        ));
    }

    #[test]
    fn decodes_utf8_paths() {
        let p = SitePath::parse("/chu-de/ng%C3%A2n-s%C3%A1ch/").unwrap();
        assert_eq!(p.segments, ["chu-de", "ngân-sách"]);
        assert!(p.trailing_slash);
        assert_eq!(p.folder_url(), "/chu-de/ng%C3%A2n-s%C3%A1ch/");
        assert_eq!(SitePath::parse("/").unwrap().segments, Vec::<String>::new());
        assert_eq!(SitePath::parse("//a//b").unwrap().segments, ["a", "b"]);
    }

    #[test]
    fn refuses_every_way_out() {
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/a/%2e%2e%2f%2e%2e/x",
            "/..%2fetc",
            "/a%5c..%5cb",
            "/a\\..\\b",
            "/a%00b",
            "/%ff",
            "/%zz",
            "/%2",
            "etc/passwd",
            "http://example.org/",
            "/./a",
        ] {
            assert_eq!(SitePath::parse(bad), None, "{bad}");
        }
    }
}
