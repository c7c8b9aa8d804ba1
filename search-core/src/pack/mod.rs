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
//!   gives the record of every *chunk* (with its first key) and, per
//!   *group* of documents (one index batch), its bundle and the record of
//!   its table of document offsets;
//! - a chunk holds the postings of consecutive keys: every key of a query
//!   lives in one chunk, with the idf, term frequencies and field norms
//!   scoring needs; chunks are packed in key order into `<hash>.terms`
//!   bundles;
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
//! known.

mod encoding;
mod scoring;
mod session;

use serde::{Deserialize, Serialize};

use crate::query::{Clause, Hit};
use crate::snippet;

pub use encoding::{Postings, decode_table, encode_entry, put_varint};
pub use scoring::{fieldnorm, idf};
pub use session::{Fetch, Session, Step};

/// Bumped when the files' layout changes; a reader refuses other versions.
pub const VERSION: u32 = 4;

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
/// forms: `dat dai` for every reading (what a query without diacritics
/// looks up), and `dat dai\u{1}đất đai` for this reading when it has any
/// diacritics. A query with diacritics looks its reading up, or (mixed,
/// `kinh tế`) gathers the readings that agree with what it typed; and the
/// readings of `dat dai` with their counts are what "did you mean
/// đất đai?" is chosen from.
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
/// of these, each with its own files; postings *tiered by impact* are more
/// records per chunk (the top of each list first), behind a new
/// [`VERSION`].
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
    /// Per chunk, in key order: its first key and its record.
    pub chunks: Vec<(String, Record)>,
    /// Documents in groups of consecutive ones, in index order.
    pub groups: Vec<Group>,
}

/// A byte range of a bundle file holding one gzip member: the file's place
/// in [`PackMeta::files`], the offset and the length.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
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
    /// The gzip'd list of the records' lengths ([`encode_table`]).
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
    /// The chunk that holds `key` if the index has it.
    pub fn chunk_of(&self, key: &str) -> Option<usize> {
        self.chunks
            .partition_point(|(first, _)| first.as_str() <= key)
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

/// A group's table: the length of each document's record, as varints.
pub fn encode_table(lengths: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lengths.len() * 2);
    for &len in lengths {
        put_varint(&mut out, u64::from(len));
    }
    out
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
            snippet: snippet::make(&self.body, &self.summary, |t| {
                clauses.iter().any(|c| c.highlights(t))
            }),
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
                .map(|k| (k.to_string(), Record::default()))
                .to_vec(),
            ..PackMeta::default()
        };
        assert_eq!(meta.chunk_of("a\0t"), None);
        assert_eq!(meta.chunk_of("b\0t"), Some(0));
        assert_eq!(meta.chunk_of("ngân\0t"), Some(1));
        assert_eq!(meta.chunk_of("ủy\0t"), Some(2));
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
