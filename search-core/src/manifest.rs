//! `search/manifest.json`: what the browser and `ketluan search` need to
//! open the pack, and the values the filters offer.

use serde::{Deserialize, Serialize};

/// The manifest's name in `search/`: the one file of the pack not named by
/// a hash of its bytes, so that a reader can find the others.
pub const FILE_NAME: &str = "manifest.json";

/// Of this layout of the manifest (the pack has its own version).
pub const VERSION: u32 = 2;

/// The whole of `manifest.json`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// [`VERSION`] of the writer.
    pub version: u32,
    /// Documents in the archive.
    pub documents: usize,
    /// Where the pack's chunks and records are.
    pub pack: crate::pack::PackMeta,
    // The browser's JS reads the filters; the wasm has no use for them, and
    // not parsing them keeps it under its size budget.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    /// What the filters offer.
    pub filters: Filters,
}

/// The values the search page's filters offer, each with its count of
/// documents.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Filters {
    /// Newest first.
    pub years: Vec<FilterOption>,
    /// Newest first.
    pub quarters: Vec<FilterOption>,
    /// Issuing bodies (cơ quan ban hành), by name.
    pub issuers: Vec<FilterOption>,
    /// Terms (khóa), newest first.
    pub terms: Vec<FilterOption>,
}

/// One value of a filter.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FilterOption {
    /// What goes into the request (`2023`, `2023-q2`, a slug).
    pub value: String,
    /// What the page shows (`Quý II/2023`, `Khóa XXIII`).
    pub label: String,
    /// Documents with this value.
    pub count: usize,
}
