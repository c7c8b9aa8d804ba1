//! Building and writing responses: MIME types, ETags, conditional and
//! Range requests. Every response closes its connection (see `serve.rs`).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::request::Request;

pub(super) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

pub(super) enum Body {
    Empty,
    Bytes(Vec<u8>),
    /// A slice of a file, streamed rather than read whole: search indexes
    /// can be large and are fetched piece by piece.
    File {
        file: File,
        start: u64,
        len: u64,
    },
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Bytes(b) => b.len() as u64,
            Body::File { len, .. } => *len,
        }
    }
}

impl Response {
    pub(super) fn new(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    pub(super) fn text(status: u16, text: &str) -> Response {
        let body = Body::Bytes(format!("{text}\n").into_bytes());
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub(super) fn redirect(location: String) -> Response {
        let mut r = Response::text(301, &format!("moved to {location}"));
        r.headers.push(("Location", location));
        r
    }

    pub(super) fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends the status line, headers and (unless `head_only`) the body.
    pub(super) fn write_to(self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        out.write_all(head.as_bytes())?;
        if !head_only {
            match self.body {
                Body::Empty => {}
                Body::Bytes(bytes) => out.write_all(&bytes)?,
                Body::File {
                    mut file,
                    start,
                    len,
                } => {
                    file.seek(SeekFrom::Start(start))?;
                    io::copy(&mut file.take(len), out)?;
                }
            }
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// The representation of a resource, before conditionals and ranges.
pub(super) struct Entity {
    pub content_type: &'static str,
    pub etag: String,
    pub data: Data,
}

pub(super) enum Data {
    Bytes(Vec<u8>),
    File(File, u64),
}

impl Entity {
    fn len(&self) -> u64 {
        match &self.data {
            Data::Bytes(b) => b.len() as u64,
            Data::File(_, len) => *len,
        }
    }

    /// A whole-body response with the given status, no conditionals: for
    /// the not-found page.
    pub(super) fn plain(self, status: u16) -> Response {
        let len = self.len();
        Response::new(status, self.content_type, self.slice(0, len))
    }

    /// Answers a GET or HEAD for this entity: 304 when the client's copy is
    /// current, 206/416 for a Range, 200 otherwise.
    pub(super) fn answer(self, req: &Request) -> Response {
        let etag = self.etag.clone();
        if let Some(tags) = req.header("If-None-Match")
            && etag_matches(tags, &etag)
        {
            return Response::new(304, self.content_type, Body::Empty).with("ETag", etag);
        }
        let len = self.len();
        let range = match req.header("Range") {
            Some(range) if if_range_holds(req, &etag) => parse_range(range, len),
            _ => Range::Full,
        };
        let response = match range {
            Range::Full => Response::new(200, self.content_type, self.slice(0, len)),
            Range::Part(start, end) => {
                Response::new(206, self.content_type, self.slice(start, end + 1 - start))
                    .with("Content-Range", format!("bytes {start}-{end}/{len}"))
            }
            Range::Unsatisfiable => Response::text(416, "range not satisfiable")
                .with("Content-Range", format!("bytes */{len}")),
        };
        response.with("ETag", etag).with("Accept-Ranges", "bytes")
    }

    fn slice(self, start: u64, len: u64) -> Body {
        match self.data {
            Data::Bytes(mut bytes) => {
                let start = start as usize;
                bytes.truncate(start + len as usize);
                bytes.drain(..start);
                Body::Bytes(bytes)
            }
            Data::File(file, _) => Body::File { file, start, len },
        }
    }
}

/// `If-None-Match` uses the weak comparison: `W/` prefixes are ignored.
fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// A Range applies only if the client's `If-Range` (when sent) still names
/// this version; otherwise it gets the whole new file.
fn if_range_holds(req: &Request, etag: &str) -> bool {
    req.header("If-Range").is_none_or(|tag| tag.trim() == etag)
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Range {
    Full,
    /// First and last byte, inclusive.
    Part(u64, u64),
    Unsatisfiable,
}

/// One byte range; anything else (other units, several ranges, bad
/// syntax) is ignored and the whole body is sent, as RFC 9110 allows.
pub(super) fn parse_range(header: &str, len: u64) -> Range {
    let Some(spec) = header
        .get(..6)
        .filter(|unit| unit.eq_ignore_ascii_case("bytes="))
        .map(|_| header[6..].trim())
    else {
        return Range::Full;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Range::Full;
    };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len - suffix.min(len), len - 1)
            }
        }
        (false, Some(start), end) if last.trim().is_empty() || end.is_some() => {
            let end = end.unwrap_or(u64::MAX);
            if start > end {
                Range::Full
            } else if start >= len {
                Range::Unsatisfiable
            } else {
                Range::Part(start, end.min(len - 1))
            }
        }
        _ => Range::Full,
    }
}

/// A strong validator from size and modification time: every rebuild
/// writes a new file, so a changed page always gets a new tag, while
/// unchanged requests between rebuilds get 304s.
pub(super) fn file_etag(meta: &std::fs::Metadata) -> String {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{:x}-{nanos:x}\"", meta.len())
}

pub(super) fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

pub(super) fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use Range::*;
        assert_eq!(parse_range("bytes=0-9", 100), Part(0, 9));
        assert_eq!(parse_range("bytes=90-", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=90-1000", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-10", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-1000", 100), Part(0, 99));
        assert_eq!(parse_range("BYTES=1-1", 100), Part(1, 1));
        assert_eq!(parse_range("bytes=100-", 100), Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 100), Full);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Full);
        assert_eq!(parse_range("items=0-1", 100), Full);
        assert_eq!(parse_range("bytes=x-1", 100), Full);
        assert_eq!(parse_range("bytes=-", 100), Full);
        assert_eq!(parse_range("b", 100), Full);
    }

    #[test]
    fn etags_compare_weakly_for_if_none_match() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("\"b\", W/\"a\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }

    #[test]
    fn types() {
        assert_eq!(mime_type(Path::new("a/search.WASM")), "application/wasm");
        assert_eq!(
            mime_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(mime_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(mime_type(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn byte_bodies_are_sliced() {
        let entity = Entity {
            content_type: "text/plain",
            etag: "\"x\"".into(),
            data: Data::Bytes(b"0123456789".to_vec()),
        };
        match entity.slice(2, 3) {
            Body::Bytes(b) => assert_eq!(b, b"234"),
            _ => panic!(),
        }
    }
}
