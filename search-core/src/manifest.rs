//! `search/manifest.json`: what `ketluan search` needs to open the tantivy
//! index (the real file behind each name tantivy asks for), what the browser
//! needs to open the pack, and the values the filters offer.

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

/// The segment id every published index uses, so that output is identical
/// from build to build (tantivy picks a random one).
pub const SEGMENT_ID: &str = "00000000000000000000000000000000";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub version: u32,
    pub documents: usize,
    /// The text of tantivy's `meta.json`.
    pub meta: String,
    pub files: Vec<FileEntry>,
    pub pack: crate::pack::PackMeta,
    // The browser's JS reads the filters; the wasm has no use for them, and
    // not parsing them keeps it under its size budget.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub filters: Filters,
}

/// One index file: the name tantivy opens and the content-hashed file
/// (relative to `search/`) that holds it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub name: String,
    pub url: String,
    pub len: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Filters {
    pub years: Vec<FilterOption>,
    pub quarters: Vec<FilterOption>,
    pub issuers: Vec<FilterOption>,
    pub terms: Vec<FilterOption>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FilterOption {
    /// What goes into the request (`2023`, `2023-q2`, a slug).
    pub value: String,
    pub label: String,
    pub count: usize,
}
