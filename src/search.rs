//! The search stage: feeds every published conclusion to the Vietnamese
//! index (`ketluan-search`), built in the build cache, and writes the pack
//! exported from it into the site's `search/` folder; answers `ketluan
//! search` from that folder.

use std::ops::Range;
use std::path::{Path, PathBuf};

use ketluan_search::manifest::{FilterOption, Filters};
use ketluan_search::writer::{self, IndexDoc, WriteError};

use crate::archive::Archive;
use crate::cache::Cache;
use crate::content::Document;
use crate::markdown;
use crate::progress::{self, Stage};
use crate::routes::Section;
use crate::slug::Slug;

pub const DIR: &str = "search";

/// Documents per index batch, on average, for archives of up to
/// [`SCALE_STEP`] documents. Batches are made on every core and cached: a
/// rebuild after editing one document re-indexes one batch. Smaller batches
/// make that cheaper and the final merge dearer (its cost grows with the
/// number of segments times their vocabulary), so larger archives use
/// batches 4, 16 … times as large.
const BATCH_MEAN: u64 = 256;
const SCALE_STEP: usize = 20_000;

/// The mean batch size for an archive of `count` documents: a power of 4
/// times [`BATCH_MEAN`], so it changes only when the archive grows past
/// 80,000, 320,000 … documents (and every batch is re-indexed once).
fn batch_mean(count: usize) -> u64 {
    let mut mean = BATCH_MEAN;
    let mut limit = SCALE_STEP * 4;
    while count > limit {
        mean *= 4;
        limit *= 4;
    }
    mean
}

#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum SearchError {
    Read {
        path: String,
        source: crate::content::BodyError,
    },
    Write(#[from] WriteError),
    Cache(#[from] std::io::Error),
    Key(#[from] serde_json::Error),
    Missing(String),
    /// `site.toml`, read to find the output folder, has errors.
    Config(Vec<crate::diagnostic::Diagnostic>),
    Query(#[from] ketluan_search::FolderError),
}

/// An archive's index batches, made or taken from the cache: the part of
/// indexing that runs on every core. [`publish`] merges them.
pub struct Batches {
    keys: Vec<String>,
    dirs: Vec<PathBuf>,
}

/// Indexes every document in `archive` in batches on every core. Batches
/// whose documents are unchanged since the last build come from `cache`.
pub fn index_batches(archive: &Archive, cache: &Cache) -> Result<Batches, SearchError> {
    use rayon::prelude::*;
    progress::start(Stage::Indexing, archive.documents.len());
    let batches = batches(archive.documents.as_slice())
        .into_par_iter()
        .map(|range| {
            let count = range.len();
            // Keyed by the documents' fields and the digests of their
            // Markdown: an unchanged batch costs no read and no parse.
            let docs = &archive.documents.as_slice()[range];
            let inputs: Vec<_> = docs.iter().map(|d| (index_doc(d), d.digest)).collect();
            let key = Cache::key(&(writer::FORMAT, &inputs))?;
            let dir = cache.entry(&key, |dir| {
                let docs = inputs
                    .into_iter()
                    .zip(docs)
                    .map(|((fields, _), doc)| {
                        let markdown = read(doc)?;
                        let body_text = markdown::plain_text(&markdown);
                        Ok(IndexDoc {
                            body_text,
                            ..fields
                        })
                    })
                    .collect::<Result<Vec<_>, SearchError>>()?;
                writer::write_batch(&docs, dir).map_err(SearchError::from)
            })?;
            progress::advance(Stage::Indexing, count);
            Ok((key, dir))
        })
        .collect::<Result<Vec<_>, SearchError>>()?;
    let (keys, dirs) = batches.into_iter().unzip();
    Ok(Batches { keys, dirs })
}

/// Merges `batches` (in the cache) and writes the pack into `out` (the
/// site's `search/` folder). When no batch changed, the published files are
/// those of `previous` (the last build's `search/`).
pub fn publish(
    archive: &Archive,
    batches: Batches,
    out: &Path,
    previous: &Path,
    cache: &Cache,
) -> Result<(), SearchError> {
    let key = published_key(archive, &batches)?;
    let Batches { dirs, .. } = batches;
    let filters = filters(archive);
    let manifest = ketluan_search::manifest::FILE_NAME;
    // The cache keeps the manifest of the pack; its files are
    // content-addressed, so the previous build's are the same bytes.
    let published = cache.entry(&key, |entry| {
        writer::publish(&dirs, filters.clone(), out, Some(previous), cache.path())?;
        std::fs::copy(out.join(manifest), entry.join(manifest))?;
        Ok::<_, SearchError>(())
    })?;
    if !out.join(manifest).exists()
        && !writer::link_previous(&published.join(manifest), previous, out)
    {
        writer::publish(&dirs, filters, out, Some(previous), cache.path())?;
    }
    cache.evict_unused()?;
    Ok(())
}

/// The key of the index [`publish`] makes from `batches`: equal keys, equal
/// files in `search/`.
pub fn published_key(archive: &Archive, batches: &Batches) -> Result<String, SearchError> {
    Ok(Cache::key(&(
        writer::FORMAT,
        &batches.keys,
        &filters(archive),
    ))?)
}

/// Splits the documents into batches at content-defined points (a hash of a
/// document's URL), so that adding or removing one document changes one
/// batch, not every batch after it.
fn batches(docs: &[Document]) -> Vec<Range<usize>> {
    cut_points(docs.iter().map(|d| d.slug.as_str()))
}

fn cut_points<'a>(slugs: impl ExactSizeIterator<Item = &'a str>) -> Vec<Range<usize>> {
    let count = slugs.len();
    let mean = batch_mean(count);
    let (min, max) = (mean as usize / 4, mean as usize * 4);
    let mut out = Vec::new();
    let mut start = 0;
    for (i, slug) in slugs.enumerate() {
        let len = i + 1 - start;
        let cut = fnv1a(slug.as_bytes()).is_multiple_of(mean);
        if (cut && len >= min) || len >= max {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < count || out.is_empty() {
        out.push(start..count);
    }
    out
}

/// A hash that is the same on every machine and in every version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn read(doc: &Document) -> Result<std::borrow::Cow<'_, str>, SearchError> {
    doc.markdown().map_err(|source| SearchError::Read {
        path: doc.source.display().to_string(),
        source,
    })
}

/// A document as the index sees it, without its body text.
fn index_doc(doc: &Document) -> IndexDoc {
    IndexDoc {
        title: doc.title.clone(),
        number: doc.number.as_ref().map(ToString::to_string),
        summary: doc.summary.clone(),
        body_text: String::new(),
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
    }
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
            .map(|g| option(g.slug.to_string(), g.name.clone(), g.members.len()))
            .collect(),
        terms: archive
            .terms
            .iter()
            .map(|g| {
                let title = Section::Term.group_title(&g.name);
                option(g.slug.to_string(), title, g.members.len())
            })
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
    Ok(ketluan_search::search(&dir, request)?)
}

/// Answers a query from the output folder of the site at `options.root`.
pub fn query_site(
    options: &crate::BuildOptions,
    request: &ketluan_search::Request,
) -> Result<ketluan_search::Results, SearchError> {
    let output = match &options.output {
        Some(dir) => dir.clone(),
        None => {
            let config =
                crate::config::SiteConfig::load(&options.root).map_err(SearchError::Config)?;
            options.root.join(config.output_dir)
        }
    };
    query(&output, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("2023-{i}-kl-tu")).collect()
    }

    fn batches_of(slugs: &[String]) -> Vec<Vec<String>> {
        cut_points(slugs.iter().map(String::as_str))
            .into_iter()
            .map(|r| slugs[r].to_vec())
            .collect()
    }

    #[test]
    fn batches_cover_every_document_in_order() {
        let all = slugs(5000);
        let batches = batches_of(&all);
        assert!((10..=40).contains(&batches.len()), "{}", batches.len());
        assert_eq!(batches.concat(), all);
        assert!(batches.iter().all(|b| b.len() <= 1024));
        assert_eq!(batches_of(&[]), vec![Vec::<String>::new()]);
    }

    #[test]
    fn large_archives_use_larger_batches() {
        assert_eq!(batch_mean(10_000), 256);
        assert_eq!(batch_mean(80_000), 256);
        assert_eq!(batch_mean(100_000), 1024);
        assert_eq!(batch_mean(1_000_000), 4096);
        let batches = batches_of(&slugs(100_000));
        assert!((50..=200).contains(&batches.len()), "{}", batches.len());
    }

    #[test]
    fn inserting_a_document_changes_one_batch() {
        let all = slugs(5000);
        let mut more = all.clone();
        more.insert(2500, "2024-moi".into());
        let (before, after) = (batches_of(&all), batches_of(&more));
        let changed = after.iter().filter(|b| !before.contains(b)).count();
        assert!(changed <= 2, "{changed} batches changed");
    }
}
