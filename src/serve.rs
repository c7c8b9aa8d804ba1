//! `ketluan serve`: a live preview for maintainers. Builds the site into a
//! temporary folder, serves it over HTTP, rebuilds when a source changes and
//! tells open tabs to reload; a failed rebuild keeps the last good site
//! served and shows its errors over the page.
//!
//! The HTTP side is std's `TcpListener` with a thread per connection and
//! `Connection: close`, not a server crate: a local preview sees a handful
//! of requests, each thread is cheap, and a long-lived event stream is just
//! a thread that keeps writing. Owning the ~300 lines of parsing also means
//! the raw request target is checked byte for byte before it becomes a path,
//! with nothing normalised away first.

mod live;
mod request;
mod response;
mod temp;
mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::build::{BuildError, BuildOptions};
use crate::messages::IoCause;
use crate::messages::cli::Line;
use crate::theme::content_hash;
use live::Live;
use request::{Request, RequestError, SitePath};
use response::{Data, Entity, Response};

/// Beyond this many open connections new ones get a 503 rather than a
/// thread each.
const MAX_CONNECTIONS: usize = 256;
/// A client that sends nothing for this long is dropped.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
const PREFIX: &str = "/__ketluan/";

#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The folder with `site.toml` and `content/`.
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub drafts: bool,
}

#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum ServeError {
    NoSite { root: PathBuf, file: &'static str },
    Bind { addr: SocketAddr, source: io::Error },
    TempDir(io::Error),
    Watch(#[from] notify::Error),
    Signal(#[from] ctrlc::Error),
    Thread(io::Error),
}

/// Runs the preview until Ctrl-C (or SIGTERM), then removes the temporary
/// folder.
pub fn run(options: &ServeOptions) -> Result<(), ServeError> {
    let root = site_root(&options.root)?;
    // Set first, so that Ctrl-C during the first build still cleans up.
    let (stop, stopped) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })?;
    let listener = listen(options.bind, options.port)?;
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}/"),
        Err(source) => {
            let addr = SocketAddr::new(options.bind, options.port);
            return Err(ServeError::Bind { addr, source });
        }
    };
    let temp = temp::folder().map_err(ServeError::TempDir)?;
    let site = temp.path().join("site");

    let builder = Arc::new(Builder {
        options: BuildOptions {
            root: root.clone(),
            output: Some(site.clone()),
            base_url: Some(url.clone()),
            drafts: options.drafts,
        },
        live: Arc::new(Live::default()),
        lock: Mutex::new(()),
    });
    builder.rebuild(None);
    let watching = Arc::clone(&builder);
    let prefix = root.clone();
    watch::start(root, move |changed| {
        watching.rebuild(Some(describe(&prefix, changed)))
    })?;

    let server = Arc::new(Server {
        site,
        live: Arc::clone(&builder.live),
    });
    std::thread::Builder::new()
        .name("ketluan-http".into())
        .spawn(move || accept(&listener, &server))
        .map_err(ServeError::Thread)?;

    println!(
        "{}",
        Line::Serving {
            url: url.clone(),
            folder: temp.path().to_path_buf()
        }
    );
    println!("{}", Line::PressCtrlC);
    if options.open {
        open_browser(&url);
    }
    let _ = stopped.recv();
    // A build still writing into the folder would make its removal fail.
    let _build = builder.lock.lock().unwrap_or_else(PoisonError::into_inner);
    let folder = temp.path().display().to_string();
    match temp.close() {
        Ok(()) => println!("{}", Line::Stopped { folder }),
        Err(e) => eprintln!(
            "{}",
            Line::NotRemoved {
                folder,
                reason: IoCause::from(&e).to_string()
            }
        ),
    }
    Ok(())
}

fn site_root(root: &Path) -> Result<PathBuf, ServeError> {
    std::fs::canonicalize(root)
        .ok()
        .filter(|r| r.join(crate::config::FILE_NAME).is_file())
        .ok_or_else(|| ServeError::NoSite {
            root: root.to_path_buf(),
            file: crate::config::FILE_NAME,
        })
}

fn listen(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let addr = SocketAddr::new(ip, port);
    if !ip.is_loopback() {
        eprintln!("{}", Line::ExposedPreview { ip: ip.to_string() });
    }
    TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })
}

/// `content/2023/a.md changed` or `3 files changed`, relative to the site.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    match changed {
        [one] => {
            let rel = one.strip_prefix(root).unwrap_or(one);
            Line::OneChanged(rel.to_path_buf()).to_string()
        }
        many => Line::ManyChanged(many.len()).to_string(),
    }
}

/// Builds the site and records the outcome for open tabs, one build at a
/// time.
struct Builder {
    options: BuildOptions,
    live: Arc<Live>,
    lock: Mutex<()>,
}

impl Builder {
    fn rebuild(&self, cause: Option<String>) {
        let _one_at_a_time = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(cause) = cause {
            println!("{cause}");
        }
        let started = Instant::now();
        match crate::build(&self.options) {
            Ok(summary) => {
                for d in &summary.warnings {
                    eprintln!("{d}");
                }
                self.live.succeeded();
                println!(
                    "{}",
                    Line::Rebuilt {
                        documents: summary.documents,
                        files: summary.files,
                        elapsed: started.elapsed(),
                    }
                );
            }
            Err(BuildError::Invalid(diagnostics)) => {
                for d in &diagnostics {
                    eprintln!("{d}");
                }
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!("{}", Line::StillServing { errors });
                self.live
                    .failed(diagnostics.iter().map(ToString::to_string).collect());
            }
            Err(e) => {
                let message = Line::Error(e.to_string()).to_string();
                eprintln!("{message}\n{}", Line::StillServingLastGood);
                self.live.failed(vec![message]);
            }
        }
    }
}

/// Opens the default browser, if there is one; a missing one is no error.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!(
            "{}",
            Line::NoBrowser {
                program: program.to_string(),
                url: url.to_string()
            }
        );
    }
}

struct Server {
    /// The built site; swapped atomically by each successful build.
    site: PathBuf,
    live: Arc<Live>,
}

fn accept(listener: &TcpListener, server: &Arc<Server>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            // Out of file descriptors, most likely: let some close.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        if open.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            let _ = Response::text(503, "too many connections").write_to(&mut stream, false);
            continue;
        }
        open.fetch_add(1, Ordering::Relaxed);
        let (server, counter) = (Arc::clone(server), Arc::clone(&open));
        let spawned = std::thread::Builder::new().spawn(move || {
            server.handle(stream);
            counter.fetch_sub(1, Ordering::Relaxed);
        });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Server {
    fn handle(&self, mut stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
        let req = match request::read(&mut stream) {
            Ok(req) => req,
            Err(RequestError::Closed | RequestError::Io(_)) => return,
            Err(RequestError::TooLarge) => {
                let _ = Response::text(431, "request head too large").write_to(&mut stream, false);
                return;
            }
            Err(RequestError::Malformed) => {
                let _ = Response::text(400, "bad request").write_to(&mut stream, false);
                return;
            }
        };
        let head_only = req.method == "HEAD";
        if req.path() == "/__ketluan/events" && req.method == "GET" {
            let _ = self.live.stream(&mut stream);
            return;
        }
        let response = self.respond(&req);
        let _ = response.write_to(&mut stream, head_only);
    }

    fn respond(&self, req: &Request) -> Response {
        if req.method != "GET" && req.method != "HEAD" {
            return Response::text(405, "only GET and HEAD").with("Allow", "GET, HEAD");
        }
        if req.path() == "/__ketluan/live.js" {
            return Response::new(
                200,
                "text/javascript; charset=utf-8",
                response::Body::Bytes(live::script().into_bytes()),
            );
        }
        let Some(path) = SitePath::parse(req.path()) else {
            return Response::text(400, "bad request: not a path inside the site");
        };
        if req.path().starts_with(PREFIX) {
            return self.not_found();
        }
        let file = path.under(&self.site);
        match std::fs::metadata(&file) {
            Ok(meta) if meta.is_dir() && !path.trailing_slash => {
                let query = req.target.find('?').map_or("", |i| &req.target[i..]);
                Response::redirect(format!("{}{query}", path.folder_url()))
            }
            Ok(meta) if meta.is_dir() => self.file(req, &file.join("index.html")),
            Ok(_) if path.trailing_slash => self.not_found(),
            Ok(_) => self.file(req, &file),
            Err(_) => self.not_found(),
        }
    }

    fn file(&self, req: &Request, path: &Path) -> Response {
        match self.entity(path) {
            Some(entity) => entity.answer(req),
            None => self.not_found(),
        }
    }

    /// The site's own 404 page (with the reload script, so a tab on a
    /// missing page still reloads when the page appears).
    fn not_found(&self) -> Response {
        match self.entity(&self.site.join("404.html")) {
            Some(entity) => entity.plain(404),
            None => {
                let page = "<!doctype html><meta charset=utf-8><title>404</title>\
                            <body><h1>404</h1><p>Không tìm thấy trang (not found).</p></body>";
                let html = live::inject(page, &self.live.snapshot());
                Response::new(
                    404,
                    "text/html; charset=utf-8",
                    response::Body::Bytes(html.into()),
                )
            }
        }
    }

    /// A file of the built site, with the live-reload snippet added to
    /// HTML. `None` when it is missing or, through a symbolic link, lies
    /// outside the site.
    fn entity(&self, path: &Path) -> Option<Entity> {
        let real = std::fs::canonicalize(path).ok()?;
        if !real.starts_with(std::fs::canonicalize(&self.site).ok()?) {
            return None;
        }
        let file = std::fs::File::open(&real).ok()?;
        let meta = file.metadata().ok().filter(std::fs::Metadata::is_file)?;
        let content_type = response::mime_type(path);
        let etag = response::file_etag(&meta);
        if !response::is_html(content_type) {
            let data = Data::File(file, meta.len());
            return Some(Entity {
                content_type,
                etag,
                data,
            });
        }
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut &file, &mut bytes).ok()?;
        // A hand-made page in another encoding is served as it is.
        let Ok(text) = String::from_utf8(bytes) else {
            let data = Data::File(file, meta.len());
            return Some(Entity {
                content_type,
                etag,
                data,
            });
        };
        let html = live::inject(&text, &self.live.snapshot());
        // The page depends on the build state too (overlay, generation).
        let etag = format!(
            "{}-{}\"",
            etag.trim_end_matches('"'),
            content_hash(html.as_bytes())
        );
        Some(Entity {
            content_type,
            etag,
            data: Data::Bytes(html.into_bytes()),
        })
    }
}
