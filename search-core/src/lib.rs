//! Vietnamese full-text search for ketluan sites.
//!
//! The same crate runs at build time (natively: [`writer`] builds the
//! tantivy index into the site's `search/` folder) and in the browser (in
//! wasm32: [`rangedir::Session`] searches it with HTTP range reads), so the
//! analyser, the query rules and the snippets cannot drift apart.

pub mod analysis;
pub mod manifest;
pub mod query;
pub mod rangedir;
pub mod schema;
pub mod search;
pub mod snippet;
#[cfg(not(target_arch = "wasm32"))]
pub mod writer;

pub use manifest::Manifest;
pub use query::Filters;
pub use rangedir::{RangeDir, Session, Step};
pub use search::{Hit, Request, Response};

/// The filter key of a name (issuing body, term): its folded words joined by
/// `-`, so spellings that differ in case, accents or tone placement filter
/// together.
pub fn facet_key(name: &str) -> String {
    analysis::words(&analysis::nfc(name))
        .into_iter()
        .map(|w| w.folded)
        .collect::<Vec<_>>()
        .join("-")
}

/// A 64-bit FNV-1a content hash for file names: not for security, only to
/// change when the bytes change.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
