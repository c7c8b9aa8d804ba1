//! Vietnamese full-text search for ketluan sites. The same analyser, queries
//! and snippets run natively and in the browser:
//! - `ketluan build` indexes with tantivy ([`writer`]) and exports the index
//!   as a [`pack`] of a few large files for the browser ([`writer::publish`]);
//! - the browser (this crate compiled to wasm32, without tantivy) answers
//!   requests from the pack ([`pack::Session`]), and so does `ketluan
//!   search`, reading the same files from disk ([`folder`]).

#![warn(missing_docs)]

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
mod export;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/files.rs"]
mod files;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/folder.rs"]
pub mod folder;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/schema.rs"]
mod schema;
#[cfg(not(target_arch = "wasm32"))]
#[path = "native/writer.rs"]
pub mod writer;

#[cfg(not(target_arch = "wasm32"))]
pub use folder::{FolderError, search};

/// Opens an index and registers the Vietnamese tokenizers on it.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn open_index<D: tantivy::Directory>(dir: D) -> tantivy::Result<tantivy::Index> {
    let index = tantivy::Index::open(dir)?;
    schema::register_tokenizers(&index);
    Ok(index)
}
