//! `ketluan serve` end to end: the real binary on a free port, spoken to
//! over raw TCP (HTTP clients would normalise the paths we want to send).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `ketluan serve`, stopped (SIGTERM, then SIGKILL) on drop.
struct Server {
    child: Child,
    addr: String,
    /// The temporary folder the site is built in.
    temp: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// `ketluan serve` with `extra` arguments (`--lang en`).
    fn start_with(root: &Path, extra: &[&str]) -> Server {
        let mut child = common::quiet_locale(&mut Command::new(common::BIN))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ketluan serve");
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            addr: String::new(),
            temp: PathBuf::new(),
            stdout,
            stderr,
        };
        let line = server.wait_for_output(|out| {
            out.lines()
                .find(|l| l.starts_with("đang phục vụ ") || l.starts_with("serving "))
                .map(str::to_string)
        });
        // "đang phục vụ http://127.0.0.1:PORT/ (dựng trong /tmp/ketluan-serve-…)",
        // in English "serving http://… (built in …)"
        let rest = line.split_once("http://").unwrap().1;
        let (addr, rest) = rest
            .split_once("/ (dựng trong ")
            .or_else(|| rest.split_once("/ (built in "))
            .unwrap();
        server.addr = addr.to_string();
        server.temp = PathBuf::from(rest.trim_end_matches(')'));
        server
    }

    fn wait_for_output<T>(&mut self, find: impl Fn(&str) -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(found) = find(&self.stdout.lock().unwrap()) {
                return found;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("ketluan serve exited with {status}:\n{}", self.stderr());
            }
            assert!(started.elapsed() < TIMEOUT, "no output:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        self.raw(head.as_bytes())
    }

    /// Sends bytes as they are and reads the reply until the server closes.
    fn raw(&self, bytes: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(bytes).unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        Reply::parse(&reply)
    }

    /// Polls `path` until `ok` holds for its reply.
    fn poll(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return reply;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what} at {path}; last reply:\n{}\nstderr:\n{}",
                reply.text(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server as Ctrl-C would; returns whether it exited cleanly.
    fn stop(&mut self) -> bool {
        if let Ok(Some(status)) = self.child.try_wait() {
            return status.success();
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.stop() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Collects a child's output on a thread, so that its pipe never fills.
fn drain(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut text = sink.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
    text
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(raw)));
        let head = std::str::from_utf8(&raw[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        Reply {
            status: status.parse().unwrap(),
            headers,
            body: raw[end + 4..].to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

const LIVE_SCRIPT: &str = "/__ketluan/live.js";

/// A small site with a document, a binary file to take ranges of, a wasm
/// file and a file with a Vietnamese name.
fn fixture() -> tempfile::TempDir {
    let dir = common::site(
        common::CONFIG,
        &[(
            "2023/a.md",
            &common::doc("Kết luận số một", "2023-04-26", "Thị ủy", "1-KL/TU"),
        )],
    );
    let statics = dir.path().join("static");
    std::fs::create_dir_all(&statics).unwrap();
    std::fs::write(statics.join("data.bin"), blob()).unwrap();
    std::fs::write(statics.join("search.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(statics.join("tệp.txt"), "xin chào").unwrap();
    dir
}

fn blob() -> Vec<u8> {
    (0..5000u32).map(|i| (i % 251) as u8).collect()
}

#[test]
fn serves_pages_files_ranges_and_not_found() {
    let site = fixture();
    let mut server = Server::start(site.path());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains(LIVE_SCRIPT), "reload script injected");
    let built = std::fs::read_to_string(server.temp.join("site/index.html")).unwrap();
    assert!(
        !built.contains("__ketluan"),
        "the built file has no reload code"
    );
    assert!(
        built.contains(&format!("http://{}/", server.addr)),
        "base_url points at the preview"
    );

    let doc = server.get("/ket-luan/2023-a/");
    assert_eq!(doc.status, 200, "{}", doc.text());
    assert!(doc.text().contains("Kết luận số một"));
    let moved = server.get("/ket-luan/2023-a");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some("/ket-luan/2023-a/"));

    let script = server.get(LIVE_SCRIPT);
    assert_eq!(script.status, 200);
    assert!(script.text().contains("EventSource"));

    let wasm = server.get("/static/search.wasm");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    let css = server.get("/static/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let named = server.get("/static/t%E1%BB%87p.txt");
    assert_eq!((named.status, named.text().as_str()), (200, "xin chào"));

    let missing = server.get("/khong-co/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let page_404 = std::fs::read_to_string(server.temp.join("site/404.html")).unwrap();
    let title = page_404.split("<title>").nth(1).unwrap().split('<').next();
    assert!(
        missing.text().contains(title.unwrap()),
        "the site's 404 page"
    );

    assert!(server.stop(), "clean exit on SIGTERM");
    assert!(!server.temp.exists(), "the temporary folder is removed");
}

#[test]
fn ranges_heads_and_conditional_requests() {
    let site = fixture();
    let server = Server::start(site.path());
    let data = blob();
    let len = data.len();

    let part = server.request("GET", "/static/data.bin", &[("Range", "bytes=100-199")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &data[100..200]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 100-199/{len}").as_str())
    );
    assert_eq!(part.header("content-length"), Some("100"));
    let tail = server.request("GET", "/static/data.bin", &[("Range", "bytes=-10")]);
    assert_eq!((tail.status, &tail.body[..]), (206, &data[len - 10..]));
    let open = server.request("GET", "/static/data.bin", &[("Range", "bytes=4990-")]);
    assert_eq!(open.body, &data[4990..]);

    let beyond = format!("bytes={len}-");
    let none = server.request("GET", "/static/data.bin", &[("Range", &beyond)]);
    assert_eq!(none.status, 416);
    assert_eq!(
        none.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );

    let whole = server.get("/static/data.bin");
    assert_eq!((whole.status, whole.body.len()), (200, len));
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let etag = whole.header("etag").expect("an ETag").to_string();
    let cached = server.request("GET", "/static/data.bin", &[("If-None-Match", &etag)]);
    assert_eq!((cached.status, cached.body.len()), (304, 0));
    let stale = server.request(
        "GET",
        "/static/data.bin",
        &[("If-Range", "\"old\""), ("Range", "bytes=0-1")],
    );
    assert_eq!(
        (stale.status, stale.body.len()),
        (200, len),
        "If-Range of another version gets the whole file"
    );

    let page = server.get("/");
    let tag = page.header("etag").unwrap().to_string();
    let again = server.request("GET", "/", &[("If-None-Match", &tag)]);
    assert_eq!(again.status, 304);

    let head = server.request("HEAD", "/static/data.bin", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(len.to_string().as_str())
    );
    assert!(head.body.is_empty());
    assert_eq!(server.request("POST", "/", &[]).status, 405);
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = fixture();
    let server = Server::start(site.path());
    for path in [
        "/../site.toml",
        "/../../../../etc/passwd",
        "/static/../../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/static/..%2f..%2fsite.toml",
        "/static%2f..%2f..%2fsite.toml",
        "/static/..%5c..%5csite.toml",
        "/static\\..\\..\\site.toml",
        "/static/%00",
        "//etc/passwd",
        "/etc/passwd",
        "http://example.org/etc/passwd",
        "etc/passwd",
    ] {
        let reply = server.raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes());
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {}",
            reply.status
        );
        let text = reply.text();
        assert!(
            !text.contains("base_url") && !text.contains("root:"),
            "{path} leaked a file"
        );
    }
    assert_eq!(server.raw(b"NONSENSE\r\n\r\n").status, 400);
}

#[test]
fn edits_rebuild_and_errors_show_until_fixed() {
    let site = fixture();
    let server = Server::start(site.path());
    let file = site.path().join("content/2023/a.md");
    let page = "/ket-luan/2023-a/";
    let events = EventStream::open(&server);
    let first = events.next();
    assert!(first.contains("\"errors\":[]"), "{first}");

    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original.replace("số một", "đã sửa")).unwrap();
    server.poll(page, "the new title", |r| {
        r.text().contains("Kết luận đã sửa")
    });
    events.until("a newer build", |e| {
        e.contains("\"errors\":[]") && !e.contains("\"generation\":1,")
    });

    // Broken TOML whose offending line holds markup: the overlay must show
    // it as text.
    let broken = original.replace("title = \"Kết luận số một\"", "title = \"<b>vỡ</b>\" oops");
    std::fs::write(&file, broken).unwrap();
    let failed = server.poll(page, "the error overlay", |r| {
        r.text().contains("id=\"__ketluan-overlay\"")
    });
    let text = failed.text();
    assert!(text.contains("&lt;b&gt;vỡ&lt;/b&gt;"), "escaped: {text}");
    assert!(!text.contains("<b>vỡ</b>"));
    assert!(
        text.contains("Kết luận đã sửa"),
        "the last good page is still served"
    );
    events.until("the errors", |e| e.contains("content/2023/a.md"));
    let stderr = server.stderr();
    assert!(
        stderr.contains("lỗi: ") && stderr.contains("--> content/2023/a.md:"),
        "{stderr}"
    );

    std::fs::write(&file, original.replace("số một", "số hai")).unwrap();
    // The new site is swapped in a moment before the build's outcome is
    // recorded, so wait for both.
    server.poll(page, "the fixed page without overlay", |r| {
        r.text().contains("số hai") && !r.text().contains("id=\"__ketluan-overlay\"")
    });
}

#[test]
fn a_taken_port_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = fixture();
    let root = site.path().to_str().unwrap();
    let (code, _, stderr) = common::ketluan(&["serve", "--port", &port, "--root", root]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    let (code, _, stderr) = common::ketluan(&["serve", "--bind", "nowhere", "--root", root]);
    assert_eq!(code, 2, "{stderr}");
}

/// The live-reload stream, read line by line on a thread.
struct EventStream {
    events: std::sync::mpsc::Receiver<String>,
}

impl EventStream {
    fn open(server: &Server) -> EventStream {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        let head = format!(
            "GET /__ketluan/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        );
        stream.write_all(head.as_bytes()).unwrap();
        let (tx, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    break;
                }
            }
        });
        EventStream { events }
    }

    fn next(&self) -> String {
        self.events.recv_timeout(TIMEOUT).expect("an event")
    }

    /// Skips events until one satisfies `ok`: a save may be seen half-done
    /// and cause an extra build.
    fn until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let left = TIMEOUT.saturating_sub(started.elapsed());
            let event = self
                .events
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no event with {what}"));
            if ok(&event) {
                return event;
            }
        }
    }
}

#[test]
fn a_site_broken_from_the_start_shows_errors_then_appears() {
    let site = fixture();
    let file = site.path().join("content/2023/a.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("date = 2023-04-26\n", "")).unwrap();
    let server = Server::start(site.path());
    let reply = server.get("/");
    assert_eq!(reply.status, 404, "nothing built yet");
    let text = reply.text();
    assert!(text.contains("id=\"__ketluan-overlay\""));
    assert!(
        text.contains("ketluan: lỗi — chưa dựng được trang."),
        "{text}"
    );
    assert!(
        text.contains("lỗi: thiếu trường bắt buộc `date` (ngày ban hành)"),
        "{text}"
    );
    assert!(!text.contains("could not be built"), "{text}");
    std::fs::write(&file, good).unwrap();
    server.poll("/", "the site", |r| {
        r.status == 200 && !r.text().contains("id=\"__ketluan-overlay\"")
    });
}

#[test]
fn the_overlay_speaks_english_when_asked() {
    let site = fixture();
    let file = site.path().join("content/2023/a.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("date = 2023-04-26\n", "")).unwrap();
    let server = Server::start_with(site.path(), &["--lang", "en"]);
    let text = server.get("/").text();
    assert!(
        text.contains("ketluan: error — the site could not be built."),
        "{text}"
    );
    assert!(
        text.contains("error: missing required field `date`"),
        "{text}"
    );
    assert!(!text.contains("lỗi"), "{text}");
}
