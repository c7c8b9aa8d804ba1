//! Vietnamese full-text search for ketluan sites. The same analyser, queries
//! and snippets run natively and in the browser:
//! - `ketluan build` indexes with tantivy ([`writer`]) and exports the index
//!   as a [`pack`] of small files for the browser ([`export`]);
//! - `ketluan search` queries the tantivy index ([`search`]);
//! - the browser (this crate compiled to wasm32, without tantivy) answers
//!   the same requests from the pack, with the same scores ([`pack::Session`]).

pub mod analysis;
pub mod manifest;
pub mod pack;
mod query;
mod snippet;
mod spelling;

pub use query::{Hit, Request, Results};

// tantivy and native file access live apart from what the browser module is
// built from (`search-wasm/sources-hash.sh` skips `native/`).
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/export.rs"]
pub mod export;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/files.rs"]
pub mod files;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/schema.rs"]
pub mod schema;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/search.rs"]
mod search;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/writer.rs"]
pub mod writer;

#[cfg(not(target_arch = "wasm32"))]
pub use search::search;

/// Opens an index and registers the Vietnamese tokenizers on it.
#[cfg(not(target_arch = "wasm32"))]
pub fn open_index<D: tantivy::Directory>(dir: D) -> tantivy::Result<tantivy::Index> {
    let index = tantivy::Index::open(dir)?;
    schema::register_tokenizers(&index);
    Ok(index)
}
