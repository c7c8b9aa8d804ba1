//! Exports the published tantivy index as the browser's [`crate::pack`]:
//! tantivy stays the indexer (and `ketluan search`'s engine); the pack is
//! its postings and norms re-encoded for the network, plus the documents'
//! files, written with each index batch ([`write_batch_docs`]).

use std::io;
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tantivy::postings::Postings as _;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED, Term};

use crate::manifest::Manifest;
use crate::pack::{self, DocFile, PackMeta, Postings, field};
use crate::schema::Fields;
use crate::writer::{IndexDoc, WriteError, hex};

/// A chunk closes once its postings pass this size: a query fetches one
/// chunk per word, so smaller chunks waste fewer bytes per word and make the
/// list of chunks in the manifest longer.
const CHUNK_BYTES: usize = 8 * 1024;

/// One key with its encoded postings.
struct Entry {
    key: String,
    terms: Vec<u8>,
}

/// Writes the pack of the index published in `out` (a `search/` folder)
/// and returns its description for the manifest. `groups` are the index
/// batches' document files, in order: each batch's share a folder named by
/// their contents, so an unchanged batch keeps its URLs (and the browser's
/// cache). Files that `previous` (the last build's `search/`) has under the
/// same name are linked, not written.
pub fn export(
    out: &Path,
    manifest: &Manifest,
    groups: Vec<(String, u32)>,
    previous: Option<&Path>,
) -> Result<PackMeta, WriteError> {
    // Read, not mapped: every page of a mapped index read once would count
    // in the build's memory (hundreds of megabytes at 100,000 documents).
    let dir = crate::files::MappedDirectory::reading(out, manifest)?;
    let index = crate::open_index(dir)?;
    let searcher = index.reader()?.searcher();
    let f = Fields::new(&index.schema())?;
    let [segment] = searcher.segment_readers() else {
        return Err(WriteError::Segments(searcher.segment_readers().len()));
    };
    let docs = segment.num_docs();
    let chunks = write_chunks(&searcher, segment, &f, out, previous);
    let mut tokens = [0u64; 4];
    for (i, field) in [f.text, f.title, f.numbers, f.pairs]
        .into_iter()
        .enumerate()
    {
        tokens[i] = segment.inverted_index(field)?.total_num_tokens();
    }
    Ok(PackMeta {
        version: pack::VERSION,
        docs,
        tokens,
        chunks: chunks?,
        groups,
    })
}

/// Writes every key's postings in key order, cut into chunk files; returns
/// the manifest's list. The text and pairs fields (most of the index) are
/// read in [`PARTS`] ranges of terms on every core (a range's pairs in
/// memory, its words streamed); the other fields are small, sorted in
/// memory and merged into the ranges.
fn write_chunks(
    searcher: &Searcher,
    segment: &SegmentReader,
    f: &Fields,
    out: &Path,
    previous: Option<&Path>,
) -> Result<Vec<(String, String)>, WriteError> {
    let docs = segment.num_docs();
    let small = [
        (f.title, field::TITLE),
        (f.numbers, field::NUMBERS),
        (f.year, field::YEAR),
        (f.quarter, field::QUARTER),
        (f.issuer_key, field::ISSUER),
        (f.term_key, field::TERM),
    ];
    let mut others = Vec::new();
    for (field, tag) in small {
        each_entry(searcher, segment, field, tag, docs, .., &mut |e| {
            others.push(e);
            Ok(())
        })?;
    }
    others.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let text = segment.inverted_index(f.text)?;
    let terms = text.terms();
    let mut bounds = vec![Vec::new()];
    for part in 1..PARTS {
        let mut term = Vec::new();
        terms.ord_to_term((terms.num_terms() * part / PARTS) as u64, &mut term)?;
        bounds.push(term);
    }
    bounds.dedup();
    // Each range takes the other fields' keys that sort before its end.
    let mut parts = Vec::new();
    let mut others = others.into_iter().peekable();
    for (i, start) in bounds.iter().enumerate() {
        let end = bounds.get(i + 1).cloned();
        let limit = end.as_deref().map(text_key);
        let mine: Vec<Entry> =
            std::iter::from_fn(|| others.next_if(|o| limit.as_ref().is_none_or(|l| o.key < *l)))
                .collect();
        parts.push((start.clone(), end, mine));
    }
    let parts = parts
        .into_par_iter()
        .map(|(start, end, mine)| {
            let range = (
                Bound::Included(start),
                end.map_or(Bound::Unbounded, Bound::Excluded),
            );
            let mut pairs = Vec::new();
            each_entry(
                searcher,
                segment,
                f.pairs,
                field::PAIRS,
                docs,
                range.clone(),
                &mut |e| {
                    pairs.push(e);
                    Ok(())
                },
            )?;
            let mine = merge_sorted(mine, pairs);
            write_part(searcher, segment, f, range, mine, out, previous)
        })
        .collect::<Result<Vec<_>, WriteError>>()?;
    Ok(parts.into_iter().flatten().collect())
}

/// Ranges of text terms written side by side. A fixed number, not one per
/// core: chunk boundaries (and so file names) must not depend on the machine.
const PARTS: usize = 8;

/// Two lists of entries in key order as one.
fn merge_sorted(a: Vec<Entry>, b: Vec<Entry>) -> Vec<Entry> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.key <= y.key => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(e) => out.push(e),
            None => return out,
        }
    }
}

fn text_key(term: &[u8]) -> String {
    pack::key(&String::from_utf8_lossy(term), field::TEXT)
}

/// The chunks of one range of text terms, with `others` merged in.
fn write_part(
    searcher: &Searcher,
    segment: &SegmentReader,
    f: &Fields,
    range: (Bound<Vec<u8>>, Bound<Vec<u8>>),
    others: Vec<Entry>,
    out: &Path,
    previous: Option<&Path>,
) -> Result<Vec<(String, String)>, WriteError> {
    let mut written = Vec::new();
    let mut chunker = Chunker::new(|group| written.push(write_chunk(group, out, previous)));
    let mut others = others.into_iter().peekable();
    let docs = segment.num_docs();
    each_entry(
        searcher,
        segment,
        f.text,
        field::TEXT,
        docs,
        range,
        &mut |e| {
            while let Some(other) = others.next_if(|o| o.key < e.key) {
                chunker.push(other);
            }
            chunker.push(e);
            Ok(())
        },
    )?;
    others.for_each(|other| chunker.push(other));
    chunker.finish();
    drop(chunker);
    written
        .into_iter()
        .map(|w| w.map_err(WriteError::from))
        .collect()
}

/// Groups entries into chunks as they come, handing each full one over.
struct Chunker<F: FnMut(Vec<Entry>)> {
    group: Vec<Entry>,
    size: usize,
    flush: F,
}

impl<F: FnMut(Vec<Entry>)> Chunker<F> {
    fn new(flush: F) -> Self {
        Chunker {
            group: Vec::new(),
            size: 0,
            flush,
        }
    }

    /// Adds an entry, closing the chunk first when it is full, but never
    /// before a pair's reading: the readings of a pair are looked up in the
    /// pair's chunk.
    fn push(&mut self, entry: Entry) {
        if self.size >= CHUNK_BYTES && !entry.key.contains(pack::READING) {
            self.finish();
        }
        self.size += entry.terms.len();
        self.group.push(entry);
    }

    fn finish(&mut self) {
        if !self.group.is_empty() {
            (self.flush)(std::mem::take(&mut self.group));
            self.size = 0;
        }
    }
}

/// Every term of `field` as a pack entry, in term order.
fn each_entry(
    searcher: &Searcher,
    segment: &SegmentReader,
    field: Field,
    tag: u8,
    docs: u32,
    range: impl RangeBounds<Vec<u8>>,
    emit: &mut dyn FnMut(Entry) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let inverted = segment.inverted_index(field)?;
    // What `ketluan search`'s TermQuery scores with: the field's norms, or
    // length 1 where the field keeps none.
    let norms = segment.fieldnorms_readers().get_field(field)?;
    let option = IndexRecordOption::WithFreqs;
    let mut builder = inverted.terms().range();
    builder = match range.start_bound() {
        Bound::Included(start) => builder.ge(start),
        _ => builder,
    };
    builder = match range.end_bound() {
        Bound::Excluded(end) => builder.lt(end),
        _ => builder,
    };
    let mut stream = builder.into_stream()?;
    while stream.advance() {
        let term = term_text(stream.key(), tag);
        let info = stream.value();
        let mut postings = inverted.read_postings_from_terminfo(info, option)?;
        let mut p = Postings {
            idf: pack::idf(u64::from(info.doc_freq), u64::from(docs)),
            ..Postings::default()
        };
        let mut filter_norm = None;
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            p.docs.push(doc);
            let norm = norms.as_ref().map_or(1, |n| n.fieldnorm_id(doc));
            if field::is_filter(tag) {
                filter_norm.get_or_insert(norm);
            } else {
                p.tfs.push(postings.term_freq());
                p.norms.push(norm);
            }
            postings.advance();
        }
        if let Some(norm) = filter_norm {
            p.idf = filter_score(searcher, field, tag, &term, norm)?;
        }
        let key = pack::key(&term, tag);
        let mut terms = Vec::new();
        pack::encode_entry(&mut terms, &key, &p);
        emit(Entry { key, terms })?;
    }
    Ok(())
}

/// The score a filter's term query adds to every match (its field has one
/// value per document, so one norm).
fn filter_score(
    searcher: &Searcher,
    field: Field,
    tag: u8,
    term: &str,
    norm: u8,
) -> tantivy::Result<f32> {
    let term = match tag {
        field::YEAR => Term::from_field_u64(field, term.parse().unwrap_or(0)),
        _ => Term::from_field_text(field, term),
    };
    Ok(Bm25Weight::for_terms(searcher, &[term])?.score(norm, 1))
}

/// A term's text: UTF-8 for text fields, the number for the year.
fn term_text(bytes: &[u8], tag: u8) -> String {
    if tag == field::YEAR {
        let mut be = [0u8; 8];
        let n = bytes.len().min(8);
        be[8 - n..].copy_from_slice(&bytes[bytes.len() - n..]);
        return u64::from_be_bytes(be).to_string();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes one chunk's file; returns its first key and its hash.
fn write_chunk(
    group: Vec<Entry>,
    out: &Path,
    previous: Option<&Path>,
) -> io::Result<(String, String)> {
    let first = group.first().map(|e| e.key.clone()).unwrap_or_default();
    let terms: Vec<u8> = group.iter().flat_map(|e| e.terms.iter().copied()).collect();
    let hash = hex(&Sha256::digest(&terms)[..6]);
    write_kept(out, previous, &pack::terms_url(&hash), |target| {
        std::fs::write(target, gzip(&terms)?)
    })?;
    Ok((first, hash))
}

/// Chunks are binary, which hosts do not compress; the browser inflates
/// them with `DecompressionStream`. Deflate makes postings 3 times smaller.
/// Level 3: at 100,000 documents, level 6 takes 2.5 times as long on the
/// postings (4.2 against 1.7 CPU-s, and its cost per byte grows with the
/// archive) for files 2% smaller.
fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(3));
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Links the previous build's file of that (content-addressed) name to
/// `name` under `out`, or makes it with `make`.
fn write_kept(
    out: &Path,
    previous: Option<&Path>,
    name: &str,
    make: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let target = out.join(name);
    if let Some(previous) = previous
        && std::fs::hard_link(previous.join(name), &target).is_ok()
    {
        return Ok(());
    }
    make(&target)
}

/// The document files of one index batch, written beside it when it is
/// indexed (and cached with it): publishing links them, reading nothing.
pub struct BatchDocs {
    /// Names the group's folder: a hash of its files.
    pub key: String,
    pub dir: PathBuf,
    pub len: u32,
}

const BATCH_DOCS: &str = "pack-docs";
const BATCH_KEY: &str = "pack-docs.key";

/// Writes the document files of a batch into its folder `dir`.
pub fn write_batch_docs(docs: &[IndexDoc], dir: &Path) -> io::Result<()> {
    let files = dir.join(BATCH_DOCS);
    std::fs::create_dir_all(&files)?;
    let mut hasher = Sha256::new();
    for (i, doc) in docs.iter().enumerate() {
        let file = DocFile {
            title: doc.title.clone(),
            number: doc.number.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
            issuer: doc.issuer.clone(),
            summary: doc.summary.clone().unwrap_or_default(),
            body: doc.body_text.clone(),
        };
        let json = serde_json::to_vec(&file)?;
        hasher.update(&json);
        hasher.update([0]);
        std::fs::write(files.join(format!("{i}.json")), json)?;
    }
    let key = format!("{}\n{}", hex(&hasher.finalize()[..6]), docs.len());
    std::fs::write(dir.join(BATCH_KEY), key)
}

impl BatchDocs {
    pub fn open(dir: &Path) -> Result<BatchDocs, WriteError> {
        let text = std::fs::read_to_string(dir.join(BATCH_KEY))?;
        let (key, len) = text.split_once('\n').unwrap_or_default();
        Ok(BatchDocs {
            key: key.to_string(),
            dir: dir.join(BATCH_DOCS),
            len: len
                .parse()
                .map_err(|_| WriteError::DamagedBatch(dir.to_path_buf()))?,
        })
    }
}

/// Links each batch's document files into a folder per batch; returns the
/// groups' keys and sizes (the pack's `groups`). Needs only the batches, so
/// it runs beside the merge.
pub fn write_docs(
    groups: &[BatchDocs],
    out: &Path,
    previous: Option<&Path>,
) -> Result<Vec<(String, u32)>, WriteError> {
    groups
        .par_iter()
        .map(|group| {
            std::fs::create_dir_all(out.join(pack::DOC_DIR).join(&group.key))?;
            for n in 0..group.len {
                let source = group.dir.join(format!("{n}.json"));
                write_kept(out, previous, &pack::doc_url(&group.key, n), |target| {
                    std::fs::hard_link(&source, target)
                        .or_else(|_| std::fs::copy(&source, target).map(drop))
                })?;
            }
            Ok((group.key.clone(), group.len))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_norm_lengths_are_tantivys() {
        for id in 0..=255u8 {
            assert_eq!(
                pack::fieldnorm(id),
                tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id),
                "id {id}"
            );
        }
    }
}
