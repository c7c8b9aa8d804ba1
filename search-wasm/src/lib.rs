//! The browser side of ketluan's search: [`ketluan_search::pack::Session`]
//! behind a few exported functions, without wasm-bindgen (no generated glue
//! to keep in step with a CLI version, and a smaller file).
//!
//! Protocol (see `theme/static/search/engine.js`):
//! - memory: JS gets a buffer with `alloc(len)` and hands it over by passing
//!   `(ptr, len)` to a function, which takes ownership; results are read
//!   from `out_ptr()`/`out_len()` until the next call;
//! - `open(manifest)` → 0, or 1 with an error message in the output;
//! - `search(request json)` → 0 with `{"need":[{"url","start","end"}…]}`
//!   (fetch those byte ranges of files of `search/`, inflate each, pass it
//!   to `add`, call again) or the results; 1 with an error message;
//! - `add(range json, bytes)` → 0, or 1 with an error message.

use std::cell::RefCell;

use ketluan_search::Request;
use ketluan_search::pack::{Fetch, Session};

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A buffer for JS to fill and pass back to one of the functions below.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len));
    buffer.as_mut_ptr()
}

/// Takes back a buffer from [`alloc`] that JS filled with `len` bytes.
///
/// # Safety
/// `ptr` must come from `alloc(len)` and be passed once.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    unsafe { Vec::from_raw_parts(ptr, len, len) }
}

#[unsafe(no_mangle)]
pub extern "C" fn out_ptr() -> *const u8 {
    OUT.with(|out| out.borrow().as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn out_len() -> usize {
    OUT.with(|out| out.borrow().len())
}

/// Sets the output; 0 for success, 1 for an error message.
fn reply(result: Result<Vec<u8>, String>) -> u32 {
    let (code, bytes) = match result {
        Ok(bytes) => (0, bytes),
        Err(message) => (1, message.into_bytes()),
    };
    OUT.with(|out| *out.borrow_mut() = bytes);
    code
}

/// Opens the pack that `manifest.json` describes.
///
/// # Safety
/// The buffer must come from [`alloc`] with this length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn open(ptr: *mut u8, len: usize) -> u32 {
    let manifest = unsafe { take(ptr, len) };
    reply(
        Session::open(&manifest)
            .map(|session| {
                SESSION.with(|s| *s.borrow_mut() = Some(session));
                Vec::new()
            })
            .map_err(|e| e.to_string()),
    )
}

/// Adds a range asked for (as the step gave it, JSON), then its bytes,
/// inflated.
///
/// # Safety
/// Both buffers must come from [`alloc`] with these lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn add(
    fetch_ptr: *mut u8,
    fetch_len: usize,
    ptr: *mut u8,
    len: usize,
) -> u32 {
    let (fetch, bytes) = unsafe { (take(fetch_ptr, fetch_len), take(ptr, len)) };
    reply(with_session(|s| {
        let fetch: Fetch =
            serde_json::from_slice(&fetch).map_err(|e| format!("search range: {e}"))?;
        s.add(&fetch, &bytes)
            .map(|()| Vec::new())
            .map_err(|e| e.to_string())
    }))
}

/// One step of a search (request as JSON, see [`ketluan_search::Request`]).
///
/// # Safety
/// The buffer must come from [`alloc`] with this length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn search(ptr: *mut u8, len: usize) -> u32 {
    let json = unsafe { take(ptr, len) };
    reply(with_session(|s| {
        let request: Request =
            serde_json::from_slice(&json).map_err(|e| format!("search request: {e}"))?;
        let step = s.step(&request).map_err(|e| e.to_string())?;
        serde_json::to_vec(&step).map_err(|e| e.to_string())
    }))
}

fn with_session(
    f: impl FnOnce(&mut Session) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    SESSION.with(|s| match s.borrow_mut().as_mut() {
        Some(session) => f(session),
        None => Err("the search index is not open".into()),
    })
}
