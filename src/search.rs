//! The search stage: feeds every published conclusion to the Vietnamese
//! index (`ketluan-search`) written into the site's `search/` folder, and
//! answers `ketluan search` from that folder.

use std::path::Path;

use ketluan_search::manifest::{FilterOption, Filters};
use ketluan_search::writer::{IndexBuilder, IndexDoc, WriteError};

use crate::archive::Archive;
use crate::content::Document;
use crate::markdown;
use crate::slug::Slug;

pub const DIR: &str = "search";

/// Documents read and prepared together (in parallel) before they go to
/// tantivy's indexing thread; each batch is committed, which keeps tantivy's
/// queue (whole document texts) to a few tens of megabytes.
const BATCH: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot read {path} again: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("no search index in {0}: run `ketluan build` first")]
    Missing(String),
    #[error("search failed: {0}")]
    Query(#[from] tantivy::TantivyError),
}

/// Writes the index of every document in `archive` into `site/search/`,
/// reading and analysing the documents in batches on every core.
pub fn write_index(archive: &Archive, site: &Path) -> Result<(), SearchError> {
    use rayon::prelude::*;
    let mut builder = IndexBuilder::new()?;
    for batch in archive.documents.chunks(BATCH) {
        let docs = batch
            .par_iter()
            .map(index_doc)
            .collect::<Result<Vec<_>, _>>()?;
        builder.add(&docs)?;
    }
    builder.finish(filters(archive), &site.join(DIR))?;
    Ok(())
}

fn index_doc(doc: &Document) -> Result<IndexDoc, SearchError> {
    let markdown = doc.markdown().map_err(|source| SearchError::Read {
        path: doc.source.display().to_string(),
        source,
    })?;
    Ok(IndexDoc {
        title: doc.title.clone(),
        number: doc.number.as_ref().map(ToString::to_string),
        summary: doc.summary.clone(),
        body_text: markdown::plain_text(&markdown),
        issuer: doc.issuer.clone(),
        issuer_key: key(&doc.issuer),
        term: doc.term.clone(),
        term_key: doc.term.as_deref().map(key),
        tags: doc.tags.clone(),
        people: doc
            .signer
            .iter()
            .chain(doc.signer_title.iter())
            .chain(doc.recipients.iter())
            .cloned()
            .collect(),
        date: doc.date.to_string(),
        year: doc.date.year,
        quarter: doc.quarter.slug(),
        url: crate::views::document_url(doc),
    })
}

fn key(name: &str) -> String {
    Slug::from_text(name)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The values the search page's filters offer, with their document counts.
fn filters(archive: &Archive) -> Filters {
    let option = |value: String, label: String, count: usize| FilterOption {
        value,
        label,
        count,
    };
    Filters {
        years: archive
            .years
            .iter()
            .map(|(y, m)| option(y.to_string(), y.to_string(), m.len()))
            .collect(),
        quarters: archive
            .quarters
            .iter()
            .map(|(q, m)| option(q.slug(), q.vietnamese(), m.len()))
            .collect(),
        issuers: archive
            .issuers
            .iter()
            .map(|g| option(g.slug.clone(), g.name.clone(), g.members.len()))
            .collect(),
        terms: archive
            .terms
            .iter()
            .map(|g| option(g.slug.clone(), format!("Khóa {}", g.name), g.members.len()))
            .collect(),
    }
}

/// Answers a query from a built site's output folder.
pub fn query(
    site: &Path,
    request: &ketluan_search::Request,
) -> Result<ketluan_search::Results, SearchError> {
    let dir = site.join(DIR);
    if !dir.join(ketluan_search::manifest::FILE_NAME).exists() {
        return Err(SearchError::Missing(site.display().to_string()));
    }
    let (index, _) = ketluan_search::files::open_published(&dir)?;
    Ok(ketluan_search::search(&index, request)?)
}

/// Answers a query from the output folder of the site at `options.root`.
pub fn query_site(
    options: &crate::BuildOptions,
    request: &ketluan_search::Request,
) -> Result<ketluan_search::Results, SearchError> {
    let output = match &options.output {
        Some(dir) => dir.clone(),
        None => {
            let config = crate::config::SiteConfig::load(&options.root).map_err(|d| {
                SearchError::Missing(d.first().map_or_else(String::new, |d| d.message.clone()))
            })?;
            options.root.join(config.output_dir)
        }
    };
    query(&output, request)
}
