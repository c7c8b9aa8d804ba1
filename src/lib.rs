//! ketluan: a static site generator for archives of Vietnamese
//! party-committee and government conclusions (Kết luận).
//!
//! The pipeline runs one way: [`content`] loads and validates the Markdown
//! files, [`archive`] groups them, [`render`] writes the pages through the
//! [`theme`], and [`output`] swaps the finished site into place.

// Private unless the `ketluan` command (src/main.rs) or the fuzz tests need
// them: the compiler then reports what nothing uses.
mod archive;
mod build;
mod cache;
pub mod calendar;
mod citation;
mod config;
mod content;
pub mod diagnostic;
mod docs;
mod fields;
pub mod import;
mod markdown;
pub mod messages;
mod organisation;
mod originals;
mod output;
pub mod progress;
mod references;
mod render;
mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
mod slug;
mod theme;
mod views;
mod walk;

pub use build::{BuildError, BuildOptions, Summary, build, check};

/// What `tests/fuzz.rs` drives directly: one file's text through loading
/// and rendering, without a site folder.
pub mod fuzzing {
    pub use crate::archive::Archive;
    pub use crate::config::SiteConfig;
    pub use crate::content::parse_document;
    pub use crate::markdown::{plain_text, render as render_markdown};
    pub use crate::render::render_site;
    pub use crate::slug::Slug;
    pub use crate::theme::Theme;
}
