//! Exports the merged tantivy index as the browser's [`crate::pack`]:
//! tantivy stays the indexer; the pack is its postings and norms re-encoded
//! for the network, plus the documents' records, written with each index
//! batch ([`write_batch_docs`]). Only the pack is published: the merged
//! index is built in the build cache and removed once exported.

use std::io::{self, BufRead, Read, Write};
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings as _;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermStreamer;
use tantivy::{DocSet, InvertedIndexReader, Searcher, SegmentReader, TERMINATED, Term};

use crate::pack::tier;
use crate::pack::{self, ChunkPlace, DocFile, Group, PackMeta, Postings, Record, field};
use crate::schema::Fields;
use crate::writer::{IndexDoc, WriteError, hex};

/// A chunk closes once its postings pass this size: a query fetches one
/// chunk per word, so smaller chunks waste fewer bytes per word and make the
/// list of chunks in the manifest longer.
const CHUNK_BYTES: usize = 8 * 1024;

/// Up to this many bytes (gzip'd) the groups' tables are one record.
const WHOLE_TABLES: usize = 32 * 1024;

/// A terms bundle closes once its (compressed) chunks pass this size: few
/// files for hosts that count them (Cloudflare Pages: 20,000 per site),
/// none near the largest file they take (25 MiB there).
const BUNDLE_BYTES: usize = 4 * 1024 * 1024;

/// One key with its postings: whole as read, then a head and the parts of
/// its tail (`rests`) once tiered ([`tier`]).
struct Entry {
    key: String,
    postings: Postings,
    rests: Vec<Postings>,
    /// For a pair, the text's norm of each of its documents: a pair's
    /// head is chosen as a word's is, counts against lengths, so that the
    /// documents where the query's words score most hold their pairs in
    /// the head too.
    text_norms: Vec<u8>,
}

impl Entry {
    fn tag(&self) -> u8 {
        self.key.as_bytes().last().copied().unwrap_or(0)
    }

    /// About its bytes in a chunk, before gzip.
    fn size(&self) -> usize {
        let p = &self.postings;
        self.key.len() + 8 + 2 * p.docs.len() + p.tfs.len() + p.norms.len()
    }
}

/// Writes the pack of the merged index in `index` (a tantivy folder) into
/// `out` (a `search/` folder) and returns its description for the
/// manifest; `work` is scratch space on the same disk. `docs` are the
/// index batches' document bundles, published already. Files that
/// `previous` (the last build's `search/`) has under the same name are
/// linked, not written.
pub fn export(
    index: &Path,
    work: &Path,
    out: &Path,
    docs: Vec<PublishedDocs>,
    previous: Option<&Path>,
) -> Result<PackMeta, WriteError> {
    // Read, not mapped: every page of a mapped index read once would count
    // in the build's memory (hundreds of megabytes at 100,000 documents).
    let index = crate::open_index(crate::files::ReadingDirectory::open(index)?)?;
    let searcher = index.reader()?.searcher();
    let f = Fields::new(&index.schema())?;
    let [segment] = searcher.segment_readers() else {
        return Err(WriteError::Segments(searcher.segment_readers().len()));
    };
    let doc_count = segment.num_docs();
    let mut tokens = [0u64; 4];
    for (i, field) in [f.text, f.title, f.numbers, f.pairs]
        .into_iter()
        .enumerate()
    {
        tokens[i] = segment.inverted_index(field)?.total_num_tokens();
    }
    // As the reader computes them (`Session::new`).
    let n = doc_count.max(1) as f32;
    let averages = [tokens[0] as f32 / n, tokens[1] as f32 / n];
    let parts = write_chunks(&searcher, segment, &f, work, averages)?;
    let (mut files, chunks) = bundle_chunks(parts, out, previous)?;
    let tables_index = file_index(files.len() + docs.len())?;
    // Small tables go as one record that the first query fetches whole
    // (one inflate instead of one per group: 37 small ones cost the
    // browser 20-80 ms); large ones one per group, fetched when needed.
    let whole = docs.iter().map(|d| d.table.len()).sum::<usize>() <= WHOLE_TABLES;
    let mut tables = Vec::new();
    let mut groups = Vec::new();
    for d in &docs {
        let start = tables.len() as u64;
        if whole {
            flate2::read::GzDecoder::new(&d.table[..]).read_to_end(&mut tables)?;
        } else {
            tables.extend_from_slice(&d.table);
        }
        groups.push(Group {
            file: file_index(files.len() + groups.len())?,
            docs: d.docs,
            table: Record(tables_index, start, record_len(d.table.len())?),
        });
    }
    files.extend(docs.into_iter().map(|d| d.name));
    if whole && !tables.is_empty() {
        tables = gzip(&tables, DOC_LEVEL)?;
        let all = Record(tables_index, 0, record_len(tables.len())?);
        groups.iter_mut().for_each(|g| g.table = all);
    }
    if !tables.is_empty() {
        let name = pack::tables_file(&hex(&Sha256::digest(&tables)[..6]));
        write_kept(out, previous, &name, |target| {
            std::fs::write(target, &tables)
        })?;
        files.push(name);
    }
    Ok(PackMeta {
        version: pack::VERSION,
        docs: doc_count,
        tokens,
        files,
        chunks,
        groups,
    })
}

fn file_index(i: usize) -> Result<u32, WriteError> {
    u32::try_from(i).map_err(|_| WriteError::TooLarge)
}

fn record_len(len: usize) -> Result<u32, WriteError> {
    u32::try_from(len).map_err(|_| WriteError::TooLarge)
}

/// The chunks of one range of keys, gzip'd one after the other into a
/// scratch file: their first and last keys and lengths.
struct PartFile {
    path: PathBuf,
    chunks: Vec<PartChunk>,
}

struct PartChunk {
    first: String,
    last: String,
    len: usize,
    /// Bytes of tails after the chunk's record.
    tails: usize,
}

/// Writes every key's postings in key order, cut into chunks, into one
/// scratch file per range of keys. The text and pairs fields (most of the
/// index) are streamed in [`PARTS`] ranges of terms on every core, merged
/// as they are read; the other fields are small, sorted in memory and
/// merged into the ranges.
fn write_chunks(
    searcher: &Searcher,
    segment: &SegmentReader,
    f: &Fields,
    work: &Path,
    averages: [f32; 2],
) -> Result<Vec<PartFile>, WriteError> {
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
        let inverted = segment.inverted_index(field)?;
        let mut entries =
            Entries::new(searcher, segment, &inverted, (field, f.text), tag, docs, ..)?;
        while let Some(e) = entries.next()? {
            others.push(e);
        }
    }
    others.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let text = segment.inverted_index(f.text)?;
    let pairs = segment.inverted_index(f.pairs)?;
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
        .enumerate()
        .map(|(i, (start, end, mine))| {
            let range = (
                Bound::Included(start),
                end.map_or(Bound::Unbounded, Bound::Excluded),
            );
            let open = |inverted, field, tag| {
                Entries::new(
                    searcher,
                    segment,
                    inverted,
                    (field, f.text),
                    tag,
                    docs,
                    range.clone(),
                )
            };
            let mine = Merged {
                others: mine.into_iter().peekable(),
                pairs: open(&pairs, f.pairs, field::PAIRS)?,
                pair: None,
            };
            let text = open(&text, f.text, field::TEXT)?;
            write_part(text, mine, &work.join(format!("part-{i}")), averages)
        })
        .collect::<Result<Vec<_>, WriteError>>()?;
    Ok(parts)
}

/// Each chunk's place, in key order.
type Chunks = Vec<ChunkPlace>;

/// Packs the parts' chunks, in order, into bundles of about
/// [`BUNDLE_BYTES`]: the bundles' names and each chunk's bound
/// ([`pack::bound_between`] the key before it and its first) and record.
fn bundle_chunks(
    parts: Vec<PartFile>,
    out: &Path,
    previous: Option<&Path>,
) -> Result<(Vec<String>, Chunks), WriteError> {
    let mut files = Vec::new();
    let mut chunks = Vec::new();
    let mut bundle = Vec::with_capacity(BUNDLE_BYTES);
    let finish = |bundle: &mut Vec<u8>, files: &mut Vec<String>| -> io::Result<()> {
        let name = pack::terms_file(&hex(&Sha256::digest(&bundle[..])[..6]));
        write_kept(out, previous, &name, |target| {
            std::fs::write(target, &bundle[..])
        })?;
        files.push(name);
        bundle.clear();
        Ok(())
    };
    let mut last: Option<String> = None;
    for part in parts {
        let mut reader = io::BufReader::new(std::fs::File::open(&part.path)?);
        for PartChunk {
            first,
            last: its_last,
            len,
            tails,
        } in part.chunks
        {
            if !bundle.is_empty() && bundle.len() + len + tails > BUNDLE_BYTES {
                finish(&mut bundle, &mut files)?;
            }
            let start = bundle.len();
            bundle.resize(start + len + tails, 0);
            reader.read_exact(&mut bundle[start..])?;
            let record = Record(file_index(files.len())?, start as u64, record_len(len)?);
            let bound = match &last {
                Some(last) => pack::bound_between(last, &first),
                None => String::new(),
            };
            chunks.push(ChunkPlace {
                bound,
                record,
                tails: record_len(tails)?,
            });
            last = Some(its_last);
        }
        if !reader.fill_buf()?.is_empty() {
            return Err(WriteError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                "a scratch file of the search export is longer than its chunks",
            )));
        }
        std::fs::remove_file(&part.path)?;
    }
    if !bundle.is_empty() {
        finish(&mut bundle, &mut files)?;
    }
    Ok((files, chunks))
}

/// Ranges of text terms written side by side. A fixed number, not one per
/// core: chunk boundaries (and so file names) must not depend on the machine.
const PARTS: usize = 8;

/// The other fields' entries of a range and its pairs, in key order (an
/// other field's entry first where keys tie), read as they are wanted.
struct Merged<'a> {
    others: std::iter::Peekable<std::vec::IntoIter<Entry>>,
    pairs: Entries<'a>,
    /// The next pair, read ahead.
    pair: Option<Entry>,
}

impl Merged<'_> {
    /// The next entry, if its key sorts before `limit` (or any, without
    /// one).
    fn next_before(&mut self, limit: Option<&str>) -> Result<Option<Entry>, WriteError> {
        if self.pair.is_none() {
            self.pair = self.pairs.next()?;
        }
        let pair_first = match (self.others.peek(), &self.pair) {
            (Some(o), Some(p)) => p.key < o.key,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let key = if pair_first {
            self.pair.as_ref().map(|p| p.key.as_str())
        } else {
            self.others.peek().map(|o| o.key.as_str())
        };
        if key.is_none_or(|k| limit.is_some_and(|l| k >= l)) {
            return Ok(None);
        }
        Ok(if pair_first {
            self.pair.take()
        } else {
            self.others.next()
        })
    }
}

fn text_key(term: &[u8]) -> String {
    pack::key(&String::from_utf8_lossy(term), field::TEXT)
}

/// The chunks of one range of text terms, with `others` merged in,
/// written into the scratch file `path`.
fn write_part(
    mut text: Entries<'_>,
    mut others: Merged<'_>,
    path: &Path,
    averages: [f32; 2],
) -> Result<PartFile, WriteError> {
    let mut file = io::BufWriter::new(std::fs::File::create(path)?);
    let mut chunks = Vec::new();
    let mut failed = None;
    let mut chunker = Chunker::new(averages, |group: Vec<Entry>| {
        if failed.is_some() {
            return;
        }
        match write_chunk(group, &mut file) {
            Ok(chunk) => chunks.push(chunk),
            Err(e) => failed = Some(e),
        }
    });
    while let Some(e) = text.next()? {
        while let Some(other) = others.next_before(Some(&e.key))? {
            chunker.push(other);
        }
        chunker.push(e);
    }
    while let Some(other) = others.next_before(None)? {
        chunker.push(other);
    }
    chunker.finish();
    drop(chunker);
    if let Some(e) = failed {
        return Err(e.into());
    }
    file.flush()?;
    Ok(PartFile {
        path: path.to_path_buf(),
        chunks,
    })
}

/// Writes a chunk's record (its entries, gzip'd), then its entries' tails,
/// each a gzip member of its own.
fn write_chunk(mut group: Vec<Entry>, file: &mut impl Write) -> io::Result<PartChunk> {
    let mut tails = Vec::new();
    for e in &mut group {
        let Some(tail) = e.postings.tail.as_mut() else {
            continue;
        };
        for (part, rest) in tail.parts.iter_mut().zip(std::mem::take(&mut e.rests)) {
            let gz = gzip(&pack::encode_tail(&rest), CHUNK_LEVEL)?;
            part.start = offset(tails.len())?;
            part.len = offset(gz.len())?;
            tails.extend_from_slice(&gz);
        }
    }
    let mut terms = Vec::new();
    for e in &group {
        pack::encode_entry(&mut terms, &e.key, &e.postings);
    }
    let gz = gzip(&terms, CHUNK_LEVEL)?;
    file.write_all(&gz)?;
    file.write_all(&tails)?;
    Ok(PartChunk {
        first: group.first().map(|e| e.key.clone()).unwrap_or_default(),
        last: group.last().map(|e| e.key.clone()).unwrap_or_default(),
        len: gz.len(),
        tails: tails.len(),
    })
}

fn offset(n: usize) -> io::Result<u32> {
    u32::try_from(n)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a chunk's tails pass 4 GiB"))
}

/// Tiers a word's text entry and its title entry ([`tier::tier_word`]).
fn tier_word(text: &mut Entry, title: Option<&mut Entry>, averages: [f32; 2], from: usize) {
    let title_list = title.as_ref().map(|t| &t.postings);
    let tiered = tier::tier_word(&text.postings, title_list, averages, from);
    let Some((text_tiers, title_tiers)) = tiered else {
        return;
    };
    if let (Some(title), Some(t)) = (title, title_tiers) {
        (title.postings, title.rests) = (t.head, t.rests);
    }
    (text.postings, text.rests) = (text_tiers.head, text_tiers.rests);
}

/// Groups entries into chunks as they come, tiering long lists, handing
/// each full chunk over.
struct Chunker<F: FnMut(Vec<Entry>)> {
    group: Vec<Entry>,
    size: usize,
    averages: [f32; 2],
    /// [`tier::tiers_from`].
    tiers_from: usize,
    flush: F,
}

impl<F: FnMut(Vec<Entry>)> Chunker<F> {
    fn new(averages: [f32; 2], flush: F) -> Self {
        Chunker {
            group: Vec::new(),
            size: 0,
            averages,
            tiers_from: tier::tiers_from(),
            flush,
        }
    }

    /// Adds an entry, closing the chunk first when it is full, but never
    /// between keys of one [`pack::stem`]: the readings of a pair are
    /// looked up in the chunk of its folded key, a word's title beside its
    /// text.
    fn push(&mut self, mut entry: Entry) {
        let together = self
            .group
            .last()
            .is_some_and(|last| pack::stem(&last.key) == pack::stem(&entry.key));
        match entry.tag() {
            // A word's title key sorts right before its text key.
            field::TEXT => {
                let title = self
                    .group
                    .last_mut()
                    .filter(|last| together && last.tag() == field::TITLE);
                if let Some(title) = &title {
                    self.size -= title.size();
                }
                tier_word(&mut entry, title, self.averages, self.tiers_from);
                if let Some(title) = self.group.last().filter(|_| together)
                    && title.tag() == field::TITLE
                {
                    self.size += title.size();
                }
            }
            field::PAIRS => {
                let (p, norms) = (&entry.postings, &entry.text_norms);
                let tiered = tier::tier_pair(p, norms, self.averages[0], self.tiers_from);
                if let Some(t) = tiered {
                    (entry.postings, entry.rests) = (t.head, t.rests);
                }
            }
            _ => {}
        }
        if self.size >= CHUNK_BYTES && !together {
            self.finish();
        }
        self.size += entry.size();
        self.group.push(entry);
    }

    fn finish(&mut self) {
        if !self.group.is_empty() {
            (self.flush)(std::mem::take(&mut self.group));
            self.size = 0;
        }
    }
}

/// Every term of a field in a range as a pack entry, in term order, read
/// one at a time.
struct Entries<'a> {
    searcher: &'a Searcher,
    inverted: &'a InvertedIndexReader,
    /// What `ketluan search`'s TermQuery scores with: the field's norms,
    /// or length 1 where the field keeps none.
    norms: Option<FieldNormReader>,
    /// For pairs, the text's norms ([`Entry::text_norms`]).
    text_norms: Option<FieldNormReader>,
    field: Field,
    tag: u8,
    docs: u32,
    stream: TermStreamer<'a>,
}

impl<'a> Entries<'a> {
    fn new(
        searcher: &'a Searcher,
        segment: &SegmentReader,
        inverted: &'a InvertedIndexReader,
        (field, text): (Field, Field),
        tag: u8,
        docs: u32,
        range: impl RangeBounds<Vec<u8>>,
    ) -> Result<Entries<'a>, WriteError> {
        let mut builder = inverted.terms().range();
        builder = match range.start_bound() {
            Bound::Included(start) => builder.ge(start),
            _ => builder,
        };
        builder = match range.end_bound() {
            Bound::Excluded(end) => builder.lt(end),
            _ => builder,
        };
        Ok(Entries {
            searcher,
            inverted,
            norms: segment.fieldnorms_readers().get_field(field)?,
            text_norms: match tag {
                field::PAIRS => segment.fieldnorms_readers().get_field(text)?,
                _ => None,
            },
            field,
            tag,
            docs,
            stream: builder.into_stream()?,
        })
    }

    fn next(&mut self) -> Result<Option<Entry>, WriteError> {
        if !self.stream.advance() {
            return Ok(None);
        }
        let tag = self.tag;
        let term = term_text(self.stream.key(), tag);
        let info = self.stream.value();
        let option = IndexRecordOption::WithFreqs;
        let mut postings = self.inverted.read_postings_from_terminfo(info, option)?;
        let mut p = Postings {
            idf: pack::idf(u64::from(info.doc_freq), u64::from(self.docs)),
            ..Postings::default()
        };
        let mut filter_norm = None;
        let mut text_norms = Vec::new();
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            p.docs.push(doc);
            if let Some(n) = &self.text_norms {
                text_norms.push(n.fieldnorm_id(doc));
            }
            let norm = self.norms.as_ref().map_or(1, |n| n.fieldnorm_id(doc));
            if field::is_filter(tag) {
                filter_norm.get_or_insert(norm);
            } else {
                p.tfs.push(postings.term_freq());
                if field::has_norms(tag) {
                    p.norms.push(norm);
                }
            }
            postings.advance();
        }
        if let Some(norm) = filter_norm {
            p.idf = filter_score(self.searcher, self.field, tag, &term, norm)?;
        }
        Ok(Some(Entry {
            key: pack::key(&term, tag),
            postings: p,
            rests: Vec::new(),
            text_norms,
        }))
    }
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

/// Chunks are binary, which hosts do not compress (and no host
/// compresses a range); the browser inflates them with
/// `DecompressionStream`. Deflate makes postings 3 times smaller. Level 3:
/// at 100,000 documents, level 6 takes 2.5 times as long on the postings
/// (4.2 against 1.7 CPU-s, and its cost per byte grows with the archive)
/// for files 2% smaller.
const CHUNK_LEVEL: u32 = 3;

/// `member` (a gzip member as [`gzip`] makes it) padded to a multiple of
/// [`pack::RECORD_ALIGN`] bytes with a comment in its header (spaces and
/// the comment's closing NUL), which every gzip reader skips; what follows
/// the header, and so what it inflates to, is unchanged.
fn aligned(member: Vec<u8>) -> Result<Vec<u8>, WriteError> {
    const HEADER: usize = 10;
    const FLAGS: usize = 3;
    const COMMENT: u8 = 0x10;
    let align = pack::RECORD_ALIGN as usize;
    let pad = (align - member.len() % align) % align;
    if pad == 0 {
        return Ok(member);
    }
    // Only a bare header (no name, extra field or comment yet) has the
    // comment right after its ten bytes.
    if member.len() < HEADER || member[..FLAGS] != [0x1f, 0x8b, 8] || member[FLAGS] != 0 {
        return Err(WriteError::Unaligned);
    }
    let mut out = Vec::with_capacity(member.len() + pad);
    out.extend_from_slice(&member[..HEADER]);
    out[FLAGS] = COMMENT;
    out.resize(HEADER + pad - 1, b' ');
    out.push(0);
    out.extend_from_slice(&member[HEADER..]);
    Ok(out)
}

fn gzip(bytes: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
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

/// The documents' records of one index batch, written beside it when it
/// is indexed (and cached with it): publishing links them, reading nothing.
pub struct BatchDocs {
    /// Names the bundle: a hash of its bytes.
    pub key: String,
    /// The bundle: every document's record, one after the other.
    pub bundle: PathBuf,
    /// The group's table ([`pack::encode_table`]), gzip'd.
    pub table: Vec<u8>,
    pub len: u32,
}

/// A batch's documents as published: the bundle's name in `search/`, the
/// number of documents and their table, gzip'd.
pub struct PublishedDocs {
    pub name: String,
    pub docs: u32,
    pub table: Vec<u8>,
}

const BATCH_DOCS: &str = "pack-docs";
const BATCH_TABLE: &str = "pack-docs.table";
const BATCH_KEY: &str = "pack-docs.key";

/// A document's record is JSON text, compressed once per batch and cached
/// (a rebuild compresses the edited batch's only). On 2,000 records
/// (17.5 MB), level 6 is 5.7% smaller than level 3 for a third more time
/// (0.76 against 0.57 CPU-s with zlib); level 9 is no smaller.
const DOC_LEVEL: u32 = 6;

/// Writes the documents' bundle of a batch, and its table, into its folder
/// `dir`.
pub fn write_batch_docs(docs: &[IndexDoc], dir: &Path) -> Result<(), WriteError> {
    let mut bundle = Vec::new();
    let mut lengths = Vec::with_capacity(docs.len());
    for doc in docs {
        let file = DocFile {
            title: doc.title.clone(),
            number: doc.number.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
            issuer: doc.issuer.clone(),
            summary: doc.summary.clone().unwrap_or_default(),
            body: doc.body_text.clone(),
        };
        let record = aligned(gzip(&serde_json::to_vec(&file)?, DOC_LEVEL)?)?;
        lengths.push(record_len(record.len())?);
        bundle.extend_from_slice(&record);
    }
    let table = pack::encode_table(&lengths).ok_or(WriteError::Unaligned)?;
    let table = gzip(&table, DOC_LEVEL)?;
    std::fs::write(dir.join(BATCH_DOCS), &bundle)?;
    std::fs::write(dir.join(BATCH_TABLE), table)?;
    let key = format!("{}\n{}", hex(&Sha256::digest(&bundle)[..6]), docs.len());
    std::fs::write(dir.join(BATCH_KEY), key)?;
    Ok(())
}

impl BatchDocs {
    pub fn open(dir: &Path) -> Result<BatchDocs, WriteError> {
        let text = std::fs::read_to_string(dir.join(BATCH_KEY))?;
        let (key, len) = text.split_once('\n').unwrap_or_default();
        Ok(BatchDocs {
            key: key.to_string(),
            bundle: dir.join(BATCH_DOCS),
            table: std::fs::read(dir.join(BATCH_TABLE))?,
            len: len
                .parse()
                .map_err(|_| WriteError::DamagedBatch(dir.to_path_buf()))?,
        })
    }
}

/// Links each batch's bundle of documents into `out`. Needs only the
/// batches, so it runs beside the merge.
pub fn write_docs(
    groups: Vec<BatchDocs>,
    out: &Path,
    previous: Option<&Path>,
) -> Result<Vec<PublishedDocs>, WriteError> {
    groups
        .into_par_iter()
        // An archive without documents has one empty batch: no file.
        .filter(|group| group.len > 0)
        .map(|group| {
            let name = pack::docs_file(&group.key);
            let source = &group.bundle;
            write_kept(out, previous, &name, |target| {
                std::fs::hard_link(source, target)
                    .or_else(|_| std::fs::copy(source, target).map(drop))
            })?;
            Ok(PublishedDocs {
                name,
                docs: group.len,
                table: group.table,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_padded_in_their_header_and_inflate_as_before() {
        for text in ["", "a", "Ngân sách nhà nước", &"đất đai ".repeat(500)] {
            let member = gzip(text.as_bytes(), DOC_LEVEL).unwrap();
            let padded = aligned(member.clone()).unwrap();
            assert_eq!(padded.len() % pack::RECORD_ALIGN as usize, 0);
            assert!(padded.len() < member.len() + pack::RECORD_ALIGN as usize);
            let mut out = String::new();
            flate2::read::GzDecoder::new(&padded[..])
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text);
        }
    }

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
