//! Builds the index at `ketluan build` time, in batches, and publishes the
//! browser's pack exported from their merge, with a manifest.

use std::io;
use std::path::{Path, PathBuf};

use tantivy::{Index, TantivyDocument};

use crate::files::{ReadingDirectory, ScratchDirectory};
use crate::manifest::{Filters, Manifest};
use crate::schema::{self, Fields};

/// One conclusion as the index sees it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct IndexDoc {
    /// The conclusion's title (trích yếu as the page heads it).
    pub title: String,
    /// Its số ký hiệu, as written.
    pub number: Option<String>,
    /// The front matter's summary.
    pub summary: Option<String>,
    /// The body without Markdown.
    pub body_text: String,
    /// The issuing body (cơ quan ban hành), as shown.
    pub issuer: String,
    /// The issuing body's slug: what the issuer filter matches.
    pub issuer_key: String,
    /// The term (khóa), as shown.
    pub term: Option<String>,
    /// The term's slug: what the term filter matches.
    pub term_key: Option<String>,
    /// Topics, as written.
    pub tags: Vec<String>,
    /// Signer and recipients (nơi nhận): people and bodies a reader looks
    /// for by name (`Đ/c Đào Quang Khải–UVBTV`).
    pub people: Vec<String>,
    /// `YYYY-MM-DD`
    pub date: String,
    /// What the year filter matches.
    pub year: u16,
    /// `2023-q2`
    pub quarter: String,
    /// Site-relative, e.g. `ket-luan/2023-45-kl-tu-thuan-thanh/`.
    pub url: String,
}

/// Why the index or its pack could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Tantivy refused to index, merge or read a batch.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file of the index or of the pack could not be written or read.
    #[error("search index: {0}")]
    Io(#[from] io::Error),
    /// The merged index must be one segment: the pack is exported from it.
    #[error("search index: the merged index has {0} segments, not one")]
    Segments(usize),
    /// A cached batch's record of its documents is not what this build
    /// writes; delete the build cache.
    #[error("search index: the cached batch at {} is damaged; delete the build cache folder", .0.display())]
    DamagedBatch(std::path::PathBuf),
    /// A document's record or the manifest could not be serialised.
    #[error("search index: cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A batch's or the merged index's folder could not be opened.
    #[error("search index: cannot open the index folder: {0}")]
    Open(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A file of the pack would pass 4 GiB, or the pack 4 billion files.
    #[error("search index: the pack is too large for its offsets")]
    TooLarge,
    /// A document's record could not be padded to
    /// [`crate::pack::RECORD_ALIGN`] bytes (the gzip encoder wrote a header
    /// this writer does not know).
    #[error("search index: a document's record cannot be aligned")]
    Unaligned,
}

/// Bumped whenever the bytes an unchanged batch produces would change, so
/// that batches cached by an older ketluan are not reused.
pub const FORMAT: u32 = 7;

/// A batch's memory: its documents are few, so one segment always fits.
const BATCH_BUDGET: usize = 100_000_000;

/// Indexes one batch of documents into a single-segment index in `dir` (an
/// empty folder), on the calling thread. Batches are independent, so a
/// build makes them on every core and reuses those whose documents have not
/// changed; [`publish`] merges them in order.
pub fn write_batch(docs: &[IndexDoc], dir: &Path) -> Result<(), WriteError> {
    let schema = schema::schema();
    let fields = Fields::new(&schema)?;
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(tokenizers())
        .single_segment_index_writer(ScratchDirectory::open(dir)?, BATCH_BUDGET)?;
    for doc in docs {
        writer.add_document(to_tantivy(&fields, doc))?;
    }
    writer.finalize()?;
    crate::export::write_batch_docs(docs, dir)?;
    Ok(())
}

/// Merges the batches in `batches` (folders made by [`write_batch`], in
/// document order) into one segment, in a folder made in `scratch` (the
/// build cache) and removed at the end, and writes the pack exported from
/// it into `out` (a site's `search/` folder): the browser and `ketluan
/// search` read only the pack, so tantivy's files are not published.
/// Files of the pack that `previous` (the last build's `search/`) has are
/// linked rather than written.
pub fn publish(
    batches: &[PathBuf],
    filters: Filters,
    out: &Path,
    previous: Option<&Path>,
    scratch: &Path,
) -> Result<Manifest, WriteError> {
    std::fs::create_dir_all(out)?;
    let work = tempfile::Builder::new()
        .prefix(".merge")
        .tempdir_in(scratch)?;
    let index_dir = work.path().join("index");
    std::fs::create_dir(&index_dir)?;
    let indices = batches
        .iter()
        // Read, not mapped: the merge reads every batch once, and mapped
        // pages would count in the build's memory (290 MiB at 100,000
        // documents).
        .map(|dir| Ok(Index::open(ReadingDirectory::sequential(dir)?)?))
        .collect::<Result<Vec<_>, WriteError>>()?;
    let groups = batches
        .iter()
        .map(|dir| crate::export::BatchDocs::open(dir))
        .collect::<Result<Vec<_>, WriteError>>()?;
    // The merge runs on one core: the document files are linked beside it.
    let (documents, groups) = rayon::join(
        || -> Result<usize, WriteError> {
            let target = ScratchDirectory::open(&index_dir)?;
            let merged = tantivy::indexer::merge_indices(&indices, target)?;
            Ok(merged.reader()?.searcher().num_docs() as usize)
        },
        || crate::export::write_docs(groups, out, previous),
    );
    let (documents, groups) = (documents?, groups?);
    drop(indices);
    let manifest = Manifest {
        version: crate::manifest::VERSION,
        documents,
        pack: crate::export::export(&index_dir, work.path(), out, groups, previous)?,
        filters,
    };
    let json = serde_json::to_vec(&manifest)?;
    std::fs::write(out.join(crate::manifest::FILE_NAME), json)?;
    Ok(manifest)
}

fn tokenizers() -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(schema::VI, schema::ViTokenizer);
    manager.register(schema::VI_PAIRS, schema::ViPairTokenizer);
    manager
}

/// Indexes `docs` as one batch (tests and small sites).
pub fn write_index(
    docs: &[IndexDoc],
    filters: Filters,
    out: &Path,
) -> Result<Manifest, WriteError> {
    let batch = tempfile::tempdir()?;
    let dir = batch.path().join("batch");
    std::fs::create_dir(&dir)?;
    write_batch(docs, &dir)?;
    publish(&[dir], filters, out, None, batch.path())
}

fn to_tantivy(f: &Fields, doc: &IndexDoc) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let mut text = vec![
        doc.title.as_str(),
        doc.summary.as_deref().unwrap_or(""),
        doc.issuer.as_str(),
    ];
    text.extend(doc.term.as_deref());
    text.extend(doc.tags.iter().map(String::as_str));
    text.extend(doc.people.iter().map(String::as_str));
    text.push(&doc.body_text);
    let text = text.join("\n");
    d.add_text(f.pairs, &text);
    d.add_text(f.text, text);
    d.add_text(f.title, &doc.title);
    if let Some(number) = &doc.number {
        // Three times: a document's own number outranks mere citations of it.
        for _ in 0..3 {
            d.add_text(f.numbers, crate::analysis::number_key(number));
        }
    }
    for cited in crate::analysis::numbers_in(&doc.body_text) {
        d.add_text(f.numbers, cited);
    }
    d.add_u64(f.year, u64::from(doc.year));
    d.add_text(f.quarter, &doc.quarter);
    d.add_text(f.issuer_key, &doc.issuer_key);
    if let Some(term) = &doc.term_key {
        d.add_text(f.term_key, term);
    }
    d.add_u64(f.day, doc.date.replace('-', "").parse().unwrap_or(0));
    d
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hard-links the files the manifest at `manifest` lists from `previous`,
/// the last build's `search/`, into `out`, and writes that manifest there:
/// what a build whose batches are all unchanged publishes. False, with
/// `out` removed, if any file is missing.
pub fn link_previous(manifest: &Path, previous: &Path, out: &Path) -> bool {
    let linked = || -> Result<(), WriteError> {
        let text = std::fs::read_to_string(manifest)?;
        let parsed: Manifest = serde_json::from_str(&text)?;
        for name in &parsed.pack.files {
            std::fs::hard_link(previous.join(name), out.join(name))?;
        }
        std::fs::write(out.join(crate::manifest::FILE_NAME), text)?;
        Ok(())
    };
    let ok = linked().is_ok();
    if !ok {
        let _ = std::fs::remove_dir_all(out);
    }
    ok
}
