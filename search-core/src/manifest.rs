//! `search/manifest.json`: what the browser and `ketluan search` need to
//! open the pack, and the values the filters offer.

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "manifest.json";

/// Of this layout of the manifest (the pack has its own version).
pub const VERSION: u32 = 2;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub version: u32,
    pub documents: usize,
    pub pack: crate::pack::PackMeta,
    // The browser's JS reads the filters; the wasm has no use for them, and
    // not parsing them keeps it under its size budget.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub filters: Filters,
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
