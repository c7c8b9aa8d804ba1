//! The index as the browser and `ketluan search` read it: a *pack* exported
//! from the tantivy index at build time (the export (`native/export.rs`)), answered by
//! [`Session`] (compiled to wasm in the browser, natively in the CLI).
//!
//! Why not tantivy in the browser: its reader compiled to wasm is 434 KiB
//! compressed, and its files make a query fetch postings, then doc-store
//! blocks, and whole position lists for phrases. The pack is made for the
//! network, and for static hosts that limit how many files a site has:
//! - a few large *bundle* files hold *records*, each one gzip member read
//!   with an HTTP Range request ([`Record`]: file, offset, length); hosts
//!   do not compress ranges, so every record is compressed on its own;
//! - `manifest.json` (fetched when search opens) names the bundles, and
//!   gives the record of every *chunk* (with its bound) and, per
//!   *group* of documents (one index batch), its bundle and the record of
//!   its table of document offsets;
//! - a chunk holds the postings of consecutive keys: every key of a query
//!   lives in one chunk, with the idf, term frequencies and field norms
//!   scoring needs; chunks are packed in key order into `<hash>.terms`
//!   bundles; a long list is *tiered* ([`tier`]): the chunk holds its head,
//!   and the parts of its tail follow the chunk, fetched only when needed;
//! - besides every word, the pack holds every pair of adjacent words
//!   ([`pair_term`]), as Elasticsearch's `index_phrases` does: a phrase, and
//!   whether a query's words stand together, are answered from postings
//!   without positions (the pack has none);
//! - a document's record (in its group's `<hash>.docs`) holds what its
//!   result shows and the text its snippet comes from (JSON); where it
//!   starts is in its group's table (`<hash>.tables` holds every group's):
//!   all tables come with the first query's chunks while they are small
//!   (up to about 17,000 documents), else a group's table is fetched the
//!   first time one of its documents is shown.
//!
//! A query is then one round of chunks and one of documents, with a round
//! of tables between them in a large archive until its results' groups are
//! known, and a round per part of the tails its first results need.

mod encoding;
mod scoring;
mod session;
pub mod tier;

use serde::{Deserialize, Serialize};

use crate::query::{self, Clause, Hit};
use crate::snippet;

pub use encoding::{
    Postings, Tail, TailPart, decode_tables, encode_entry, encode_tail, put_varint,
};
pub use scoring::{fieldnorm, idf};
pub use session::{Fetch, Session, Step};

/// Bumped when the files' layout changes; a reader refuses other versions.
pub const VERSION: u32 = 6;

/// The field a key belongs to: its last byte.
pub mod field {
    /// Every word of a document (title, summary, body, people…).
    pub const TEXT: u8 = b't';
    /// The words of the title, which rank higher.
    pub const TITLE: u8 = b'h';
    /// Pairs of adjacent words of the text ([`super::pair_term`]).
    pub const PAIRS: u8 = b'p';
    /// Document numbers, whole.
    pub const NUMBERS: u8 = b'n';
    /// The year filter.
    pub const YEAR: u8 = b'y';
    /// The quarter filter.
    pub const QUARTER: u8 = b'q';
    /// The issuing body filter.
    pub const ISSUER: u8 = b'i';
    /// The term (khóa) filter.
    pub const TERM: u8 = b'k';

    /// Filters match or not: their postings carry no frequencies or norms.
    pub fn is_filter(tag: u8) -> bool {
        matches!(tag, YEAR | QUARTER | ISSUER | TERM)
    }

    /// Whether postings of the field carry each document's field norm.
    /// Pairs do not: whether words stand together needs only the
    /// documents, and a phrase is scored by how often it occurs, not
    /// against the document's length; their norms were a third of their
    /// bytes (10,000 documents: pair chunks 32% smaller without).
    pub fn has_norms(tag: u8) -> bool {
        !is_filter(tag) && tag != PAIRS
    }
}

/// A term of a field, as chunks sort and find it: the term, a NUL, the
/// field's tag. A word's text and title postings sort next to each other.
pub fn key(term: &str, tag: u8) -> String {
    format!("{term}\0{}", tag as char)
}

/// Separates a pair's folded form from one of its readings with diacritics
/// in a pair term. Below every letter, so a pair's readings sort right
/// after it, and (see the export (`native/export.rs`)) in the same chunk.
pub const READING: char = '\u{1}';

/// The term of a pair of adjacent words, given their folded and exact
/// forms: `dat dai\u{1}đất đai` for this reading when it has diacritics,
/// `dat dai` when it has none. Every reading of a pair sorts right after
/// its folded form, in one chunk: a query without diacritics gathers them
/// all (their union is the folded pair, which the pack does not hold a
/// second time), one with diacritics the readings that agree with what it
/// typed (`kinh tế`: `kinh tế` and `kính tế`); and the readings with their
/// counts are what "did you mean đất đai?" is chosen from.
pub fn pair_term(folded: [&str; 2], exact: [&str; 2], out: &mut String) {
    out.clear();
    out.push_str(folded[0]);
    out.push(' ');
    out.push_str(folded[1]);
    if exact != folded {
        out.push(READING);
        out.push_str(exact[0]);
        out.push(' ');
        out.push_str(exact[1]);
    }
}

/// The part of a key that the keys looked up together share: a pair's
/// folded form for each of its readings, a word's term for its text and
/// title keys. A chunk never parts keys with the same stem.
pub fn stem(key: &str) -> &str {
    key.split([READING, '\0']).next().unwrap_or(key)
}

/// Whether two words with `gap` between them make a pair: only spaces,
/// dashes and slashes (`Khải–UVBTV`, `2020-2025`); a full stop, comma or
/// bracket parts them (`đạt. Đại hội` is not `dat dai`).
pub fn joins(gap: &str) -> bool {
    gap.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—' | '/'))
}

/// Why the pack could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// `manifest.json` is not a manifest.
    #[error("search manifest: {0}")]
    Manifest(serde_json::Error),
    /// The site was built by another version of ketluan.
    #[error("the search index has format {found}, this reader {VERSION}: build the site again")]
    Version {
        /// The manifest's version.
        found: u32,
    },
    /// A chunk ends in the middle of an entry.
    #[error("search chunk {0} is truncated")]
    Truncated(String),
    /// A chunk holds something that is not a valid entry.
    #[error("search chunk {0} is damaged")]
    Damaged(String),
    /// A document's record is not a document.
    #[error("{fetch}: {source}")]
    Doc {
        /// Where the record was read.
        fetch: Fetch,
        /// What is wrong with it.
        source: serde_json::Error,
    },
    /// A group's table of offsets does not list its documents.
    #[error("{0}: the table of document offsets is damaged")]
    Table(Fetch),
    /// The manifest names a bundle file it does not list.
    #[error("search manifest: record in file {0}, which it does not list")]
    NoFile(u32),
    /// Bytes were added that no step asked for.
    #[error("{0} was not asked for")]
    NotAsked(Fetch),
}

/// The pack's part of `manifest.json`.
///
/// Room for what is to come, without changing this layout: an index in
/// *segments* (a small one of recent edits beside a large base) is a list
/// of these, each with its own files, behind a new [`VERSION`].
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PackMeta {
    /// [`VERSION`] of the writer.
    pub version: u32,
    /// Documents in the index.
    pub docs: u32,
    /// Tokens in the text, title, numbers and pairs fields: BM25's average
    /// lengths.
    pub tokens: [u64; 4],
    /// The bundle files, relative to `search/`, named by a hash of their
    /// bytes; records name them by their place in this list.
    pub files: Vec<String>,
    /// Per chunk, in key order: its bound, its record and the tails after
    /// it. `manifest.json` spells the list compactly ([`directory`]).
    #[serde(with = "directory")]
    pub chunks: Vec<ChunkPlace>,
    /// Documents in groups of consecutive ones, in index order.
    pub groups: Vec<Group>,
}

/// How `manifest.json` spells the chunk directory, which is most of its
/// bytes and grows with the archive's vocabulary: bounds cut to the
/// shortest key that still parts two chunks (`giai p` rather than the
/// whole first key, `giai phong\u{1}giải phóng\0p`), and lengths only, as
/// each terms bundle is its chunks' records end to end from its start. At
/// 10,000 documents this halves the manifest (39 KB brotli'd to about 20),
/// which every first query fetches.
mod directory {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

    use super::{ChunkPlace, Record};

    #[derive(Serialize, Deserialize)]
    struct Directory {
        /// Per chunk, its bound.
        bounds: Vec<String>,
        /// Per chunk, its record's length.
        lengths: Vec<u32>,
        /// Per chunk, the bytes of the tails that follow its record.
        tails: Vec<u32>,
        /// Per terms bundle (the first files of the pack), how many
        /// chunks it holds.
        per_file: Vec<u32>,
    }

    pub(super) fn serialize<S: Serializer>(chunks: &[ChunkPlace], s: S) -> Result<S::Ok, S::Error> {
        let mut dir = Directory {
            bounds: Vec::with_capacity(chunks.len()),
            lengths: Vec::with_capacity(chunks.len()),
            tails: Vec::with_capacity(chunks.len()),
            per_file: Vec::new(),
        };
        let mut end = 0;
        for ChunkPlace {
            bound,
            record,
            tails,
        } in chunks
        {
            let file = record.file() as usize;
            if file == dir.per_file.len() {
                dir.per_file.push(0);
                end = 0;
            }
            if file + 1 != dir.per_file.len() || record.start() != end {
                return Err(ser::Error::custom(
                    "chunk records must follow each other from the start of each file",
                ));
            }
            dir.per_file[file] += 1;
            end = record.end() + u64::from(*tails);
            dir.bounds.push(bound.clone());
            dir.lengths.push(record.2);
            dir.tails.push(*tails);
        }
        dir.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<ChunkPlace>, D::Error> {
        let dir = Directory::deserialize(d)?;
        let counted: u64 = dir.per_file.iter().map(|&n| u64::from(n)).sum();
        let n = dir.bounds.len();
        if dir.lengths.len() != n || dir.tails.len() != n || counted != n as u64 {
            return Err(de::Error::custom(
                "the chunk directory's bounds, lengths and files disagree",
            ));
        }
        let files = dir
            .per_file
            .iter()
            .enumerate()
            .flat_map(|(file, &n)| std::iter::repeat_n(file as u32, n as usize));
        let mut chunks = Vec::with_capacity(dir.bounds.len());
        let mut previous = None;
        let mut start = 0;
        let places = dir.bounds.into_iter().zip(dir.lengths).zip(dir.tails);
        for (((bound, len), tails), file) in places.zip(files) {
            if previous != Some(file) {
                previous = Some(file);
                start = 0;
            }
            chunks.push(ChunkPlace {
                bound,
                record: Record(file, start, len),
                tails,
            });
            start += u64::from(len) + u64::from(tails);
        }
        Ok(chunks)
    }
}

/// Where a chunk is: the bound every key it holds sorts at or after (and
/// every key of the chunk before sorts before), its record, and how many
/// bytes of tail records ([`Tail`]) follow the record in its file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChunkPlace {
    /// The chunk's bound ([`bound_between`]).
    pub bound: String,
    /// The chunk's record.
    pub record: Record,
    /// Bytes of its keys' tails, right after the record.
    pub tails: u32,
}

/// The shortest key `k` with `last < k <= next` (on whole characters): the
/// bound of the chunk that starts with `next` after one that ends with
/// `last`.
pub fn bound_between(last: &str, next: &str) -> String {
    let common = last
        .bytes()
        .zip(next.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let mut end = (common + 1).min(next.len());
    while !next.is_char_boundary(end) {
        end += 1;
    }
    next[..end].to_string()
}

/// A byte range of a bundle file holding one gzip member: the file's place
/// in [`PackMeta::files`], the offset and the length.
#[derive(
    Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct Record(pub u32, pub u64, pub u32);

impl Record {
    /// The file's index in [`PackMeta::files`].
    pub fn file(self) -> u32 {
        self.0
    }

    /// Where it starts in its file.
    pub fn start(self) -> u64 {
        self.1
    }

    /// Where it ends (exclusive).
    pub fn end(self) -> u64 {
        self.1 + u64::from(self.2)
    }
}

/// Consecutive documents written together (an index batch): their records,
/// one after the other from the start of their bundle, and the table of
/// where each starts.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Group {
    /// The bundle of the documents' records, in [`PackMeta::files`].
    pub file: u32,
    /// How many documents.
    pub docs: u32,
    /// The gzip'd list of the records' lengths ([`encode_table`]): a
    /// record of its own, or one that groups side by side share, their
    /// lists one after the other (a small archive's are all one record).
    pub table: Record,
}

/// Where document `doc` is: its group and its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocPlace {
    /// Index in [`PackMeta::groups`].
    pub group: usize,
    /// The document's place in its group.
    pub n: u32,
}

impl PackMeta {
    /// The chunk that holds `key` if the index has it: the last whose
    /// bound is not after it.
    pub fn chunk_of(&self, key: &str) -> Option<usize> {
        self.chunks
            .partition_point(|c| c.bound.as_str() <= key)
            .checked_sub(1)
    }

    /// The group of document `doc` (its number in the index).
    pub fn place(&self, mut doc: u32) -> Option<DocPlace> {
        for (group, g) in self.groups.iter().enumerate() {
            if doc < g.docs {
                return Some(DocPlace { group, n: doc });
            }
            doc -= g.docs;
        }
        None
    }

    /// The file a record is in, relative to `search/`.
    pub fn file(&self, record: Record) -> Result<&str, PackError> {
        self.files
            .get(record.file() as usize)
            .map(String::as_str)
            .ok_or(PackError::NoFile(record.file()))
    }
}

/// Every document's record is a multiple of this many bytes long (the
/// writer pads the gzip member's header): its length in the table is then
/// a number of these, whose varints compress to 0.65 bytes a document
/// instead of 1.8 (10,000 documents: 6.2 KB of tables instead of 18 KB,
/// which a small archive's first query fetches), for 32 bytes more a
/// record fetched, on average.
pub const RECORD_ALIGN: u32 = 64;

/// A group's table: the length of each document's record (each a multiple
/// of [`RECORD_ALIGN`]), as varints of [`RECORD_ALIGN`]s; `None` if one is
/// not a multiple.
pub fn encode_table(lengths: &[u32]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(lengths.len());
    for &len in lengths {
        if len % RECORD_ALIGN != 0 {
            return None;
        }
        put_varint(&mut out, u64::from(len / RECORD_ALIGN));
    }
    Some(out)
}

/// The name of a terms bundle with this hash.
pub fn terms_file(hash: &str) -> String {
    format!("{hash}.terms")
}

/// The name of a documents bundle with this hash.
pub fn docs_file(hash: &str) -> String {
    format!("{hash}.docs")
}

/// The name of the file of group tables with this hash.
pub fn tables_file(hash: &str) -> String {
    format!("{hash}.tables")
}

/// One document's record.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocFile {
    /// The conclusion's title.
    #[serde(rename = "t")]
    pub title: String,
    /// Its số ký hiệu.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(rename = "d")]
    pub date: String,
    /// Site-relative URL of its page.
    #[serde(rename = "u")]
    pub url: String,
    /// The issuing body.
    #[serde(rename = "i")]
    pub issuer: String,
    /// Trích yếu, shown when nothing in the body matched.
    #[serde(rename = "s", default)]
    pub summary: String,
    /// The text snippets are cut from.
    #[serde(rename = "b", default)]
    pub body: String,
}

impl DocFile {
    /// The result this document makes for a query (`ketluan search` and the
    /// browser alike).
    pub(crate) fn into_hit(self, score: f32, clauses: &[Clause]) -> Hit {
        Hit {
            snippet: snippet::make(
                &self.body,
                &self.summary,
                |t| clauses.iter().any(|c| c.highlights(t)),
                |a, b| query::typed_together(clauses, a, b),
            ),
            title: self.title,
            number: self.number,
            date: self.date,
            url: self.url,
            issuer: self.issuer,
            score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_find_their_chunk() {
        let meta = PackMeta {
            chunks: ["b\0t", "m\0t", "t\0t"]
                .map(|k| ChunkPlace {
                    bound: k.to_string(),
                    ..ChunkPlace::default()
                })
                .to_vec(),
            ..PackMeta::default()
        };
        assert_eq!(meta.chunk_of("a\0t"), None);
        assert_eq!(meta.chunk_of("b\0t"), Some(0));
        assert_eq!(meta.chunk_of("ngân\0t"), Some(1));
        assert_eq!(meta.chunk_of("ủy\0t"), Some(2));
    }

    #[test]
    fn bounds_part_chunks_on_whole_characters() {
        for (last, next, bound) in [
            ("giai phong\0p", "giai phóng\0p", "giai ph\u{f3}"),
            ("ngan\0t", "ngan sach\0p", "ngan "),
            ("a\0t", "b\0t", "b"),
            ("dat\0t", "dat\0y", "dat\0y"),
            ("đa\0t", "đất\0t", "đấ"),
        ] {
            let got = bound_between(last, next);
            assert_eq!(got, bound);
            assert!(last < got.as_str() && got.as_str() <= next);
        }
    }

    #[test]
    fn a_pairs_readings_are_found_from_its_folded_key_even_when_it_has_none() {
        // The chunk before ends with another pair; this one starts with the
        // first reading of `dat dai`, which has no reading without
        // diacritics, so no key `dat dai` of its own.
        let mut before = String::new();
        let mut first = String::new();
        let mut folded = String::new();
        pair_term(["dat", "da"], ["đất", "đá"], &mut before);
        pair_term(["dat", "dai"], ["đạt", "đại"], &mut first);
        pair_term(["dat", "dai"], ["dat", "dai"], &mut folded);
        let (before, first, folded) = (
            key(&before, field::PAIRS),
            key(&first, field::PAIRS),
            key(&folded, field::PAIRS),
        );
        let bound = bound_between(&before, &first);
        assert!(before < bound && bound <= folded && folded < first);
        assert_eq!(stem(&first), stem(&folded));
        assert_ne!(stem(&before), stem(&first));
        assert_eq!(
            stem(&key("dat", field::TEXT)),
            stem(&key("dat", field::TITLE))
        );
    }

    fn place(bound: &str, record: Record, tails: u32) -> ChunkPlace {
        ChunkPlace {
            bound: bound.into(),
            record,
            tails,
        }
    }

    #[test]
    fn the_directory_round_trips_through_its_compact_form() {
        let meta = PackMeta {
            version: VERSION,
            files: vec!["a.terms".into(), "b.terms".into()],
            chunks: vec![
                place("", Record(0, 0, 10), 3),
                place("m", Record(0, 13, 5), 0),
                place("t", Record(1, 0, 7), 0),
            ],
            ..PackMeta::default()
        };
        let json = serde_json::to_string(&meta).unwrap();
        assert!(
            json.contains(
                r#""chunks":{"bounds":["","m","t"],"lengths":[10,5,7],"tails":[3,0,0],"per_file":[2,1]}"#
            ),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<PackMeta>(&json).unwrap(), meta);
        let gap = PackMeta {
            chunks: vec![place("", Record(0, 4, 10), 0)],
            ..PackMeta::default()
        };
        assert!(serde_json::to_string(&gap).is_err());
        let bad = json.replace("[2,1]", "[2,2]");
        assert!(serde_json::from_str::<PackMeta>(&bad).is_err());
    }

    #[test]
    fn a_pairs_readings_sort_right_after_it() {
        let mut term = String::new();
        let mut keys = Vec::new();
        for (folded, exact) in [
            (["dat", "dai"], ["đất", "đai"]),
            (["dat", "dai"], ["dat", "dai"]),
            (["dat", "dai"], ["đạt", "đại"]),
            (["dat", "daii"], ["dat", "daii"]),
            (["dat", "da"], ["đất", "đá"]),
            (["dat", "da"], ["dat", "da"]),
        ] {
            pair_term(folded, exact, &mut term);
            keys.push(key(&term, field::PAIRS));
        }
        keys.push(key("dat", field::TEXT));
        keys.sort();
        let shown: Vec<String> = keys
            .iter()
            .map(|k| k.replace(['\0', READING], "|"))
            .collect();
        assert_eq!(
            shown,
            [
                "dat|t",
                "dat da|p",
                "dat da|đất đá|p",
                "dat dai|p",
                "dat dai|đạt đại|p",
                "dat dai|đất đai|p",
                "dat daii|p",
            ]
        );
    }
}
