//! Vietnamese full-text search for ketluan sites. The same analyser, schema,
//! queries and snippets run natively (`ketluan build` writes the index,
//! `ketluan search` queries it) and in the browser (compiled to wasm32).

pub mod analysis;
pub mod manifest;
mod query;
pub mod rangedir;
pub mod schema;
mod snippet;

// The indexer and native file access live apart from what the browser
// module is built from (`search-wasm/sources-hash.sh` skips `native/`).
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/files.rs"]
pub mod files;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/writer.rs"]
pub mod writer;

pub use query::{Hit, Request, Results, search, search_with};
pub use rangedir::{Need, RangeDir, Session, Step};

/// Opens an index and registers the Vietnamese tokenizers on it.
pub fn open_index<D: tantivy::Directory>(dir: D) -> tantivy::Result<tantivy::Index> {
    let index = tantivy::Index::open(dir)?;
    schema::register_tokenizers(&index);
    Ok(index)
}
