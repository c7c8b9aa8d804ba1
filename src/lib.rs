//! ketluan: a static site generator for archives of Vietnamese
//! party-committee and government conclusions (Kết luận).
//!
//! The pipeline runs one way: [`content`] loads and validates the Markdown
//! files, [`archive`] groups them, [`render`] writes the pages through the
//! [`theme`], and [`output`] swaps the finished site into place.

pub mod archive;
pub mod build;
pub mod cache;
pub mod calendar;
pub mod citation;
pub mod config;
pub mod content;
pub mod diagnostic;
mod fields;
pub mod markdown;
pub mod organisation;
pub mod output;
pub mod references;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod views;

pub use build::{BuildError, BuildOptions, Summary, build, check};
