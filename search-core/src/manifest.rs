//! `search/manifest.json`: the one file of the index with a fixed name. It
//! maps tantivy's file names to the content-hashed files beside it (which
//! hosts may cache forever), lists the hot cache's ranges, and carries the
//! filter choices so the search page needs nothing else to show them.

use serde::{Deserialize, Serialize};

/// Bumped when a change makes old manifests unreadable by the new wasm.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub documents: u64,
    pub files: Vec<IndexFile>,
    pub hot: HotCache,
    pub facets: Facets,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexFile {
    /// The name tantivy asks for (`<segment>.idx`, `meta.json`).
    pub name: String,
    /// The file's path relative to the manifest.
    pub path: String,
    pub len: u64,
}

/// What opening the index and its common term dictionaries reads, as one
/// file: fetched once, before the first query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HotCache {
    pub path: String,
    /// `[file index, start, end]`, in the order the blob concatenates them.
    pub ranges: Vec<[u64; 3]>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// Newest first.
    pub years: Vec<Facet>,
    pub quarters: Vec<Facet>,
    /// Alphabetical.
    pub issuers: Vec<Facet>,
    pub terms: Vec<Facet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    /// The value filters send.
    pub key: String,
    /// What the page shows.
    pub label: String,
    pub count: u64,
}
