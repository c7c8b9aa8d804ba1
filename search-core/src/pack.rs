//! The index as the browser reads it: a *pack* exported from the tantivy
//! index at build time ([`crate::export`]), answered by [`Session`] with the
//! same matches and BM25 scores as `ketluan search`.
//!
//! Why not tantivy in the browser: its reader compiled to wasm is 434 KiB
//! compressed, and its files make a query fetch postings, then doc-store
//! blocks, and whole position lists for phrases. The pack is made for the
//! network instead:
//! - `manifest.json` (fetched when search opens) lists the *chunks* (their
//!   first key and hash) and the groups of document files;
//! - a chunk (`<hash>.terms`, gzip) holds the postings of consecutive keys:
//!   every word of a query lives in one chunk, fetched whole (no Range
//!   needed), with the idf, term frequencies and field norms scoring needs;
//!   positions are in a twin file (`<hash>.positions`) fetched only for
//!   phrases;
//! - a document (`doc/<group>/<n>.json`) holds what its result shows and the
//!   text its snippet comes from; JSON, so hosts send it compressed.
//!
//! A query is then one round of chunks and one round of documents.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::analysis::Token;
use crate::query::{self, Clause, Hit, Request, Results};
use crate::snippet;

/// Bumped when the files' layout changes; a reader refuses other versions.
pub const VERSION: u32 = 2;
/// The folder of document files, inside `search/`.
pub const DOC_DIR: &str = "doc";

/// The field a key belongs to: its last byte.
pub mod field {
    pub const TEXT: u8 = b't';
    pub const TITLE: u8 = b'h';
    pub const NUMBERS: u8 = b'n';
    pub const YEAR: u8 = b'y';
    pub const QUARTER: u8 = b'q';
    pub const ISSUER: u8 = b'i';
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

/// The pack's part of `manifest.json`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PackMeta {
    pub version: u32,
    pub docs: u32,
    /// Tokens in the text, title and numbers fields: BM25's average lengths.
    pub tokens: [u64; 3],
    /// Per chunk: its first key and the hash naming `<hash>.terms` and
    /// `<hash>.positions`.
    pub chunks: Vec<(String, String)>,
    /// Documents in folders of consecutive ones (`doc/<hash>/<i>.json`):
    /// each folder's hash and its number of documents.
    pub groups: Vec<(String, u32)>,
}

impl PackMeta {
    /// The chunk that holds `key` if the index has it.
    pub fn chunk_of(&self, key: &str) -> Option<usize> {
        self.chunks
            .partition_point(|(first, _)| first.as_str() <= key)
            .checked_sub(1)
    }

    pub fn doc_url(&self, mut doc: u32) -> String {
        for (hash, len) in &self.groups {
            if doc < *len {
                return doc_url(hash, doc);
            }
            doc -= len;
        }
        String::new()
    }

    /// Every file of the pack, relative to `search/`.
    pub fn files(&self) -> impl Iterator<Item = String> + '_ {
        let chunks = self
            .chunks
            .iter()
            .flat_map(|(_, hash)| [terms_url(hash), positions_url(hash)]);
        let docs = self
            .groups
            .iter()
            .flat_map(|(hash, len)| (0..*len).map(move |n| doc_url(hash, n)));
        chunks.chain(docs)
    }
}

/// Document number `n` of the group named `group`.
pub fn doc_url(group: &str, n: u32) -> String {
    format!("{DOC_DIR}/{group}/{n}.json")
}

pub fn terms_url(hash: &str) -> String {
    format!("{hash}.terms")
}

pub fn positions_url(hash: &str) -> String {
    format!("{hash}.positions")
}

/// One document's file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocFile {
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(rename = "d")]
    pub date: String,
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "i")]
    pub issuer: String,
    #[serde(rename = "s", default)]
    pub summary: String,
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

// ---------------------------------------------------------------- encoding

pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.pos).ok_or("truncated search chunk")?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err("bad number in search chunk".into())
    }

    fn take(&mut self, len: usize) -> Result<&[u8], String> {
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("truncated search chunk")?;
        let bytes = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// One key's postings: documents in index order, with what BM25 needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Postings {
    /// tantivy's idf of the term, computed at build time so that the
    /// browser's `ln` cannot differ from the native one in the last bit;
    /// for a filter, the score its term query adds (the same for every
    /// document).
    pub idf: f32,
    pub docs: Vec<u32>,
    /// Empty for filters.
    pub tfs: Vec<u32>,
    /// Field-norm ids (tantivy's one-byte lengths); empty for filters.
    pub norms: Vec<u8>,
}

/// Appends one entry of a `.terms` chunk.
pub fn encode_entry(out: &mut Vec<u8>, key: &str, postings: &Postings) {
    put_varint(out, key.len() as u64);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&postings.idf.to_le_bytes());
    put_varint(out, postings.docs.len() as u64);
    // Column by column (gaps, then frequencies, then norms): gzip finds
    // the repeats within each column; interleaved, the entry is a fifth
    // larger once compressed.
    let mut previous = 0;
    for &doc in &postings.docs {
        put_varint(out, u64::from(doc - previous));
        previous = doc;
    }
    if postings.tfs.len() == postings.docs.len() && postings.norms.len() == postings.docs.len() {
        for &tf in &postings.tfs {
            put_varint(out, u64::from(tf));
        }
        out.extend_from_slice(&postings.norms);
    }
}

/// Appends one document's positions, as gaps, to a text entry of a
/// `.positions` chunk (documents in posting order).
pub fn put_position_gaps(entry: &mut Vec<u8>, positions: &[u32]) {
    let mut previous = 0;
    for &p in positions {
        put_varint(entry, u64::from(p - previous));
        previous = p;
    }
}

/// Appends a text entry made with [`put_position_gaps`] to a `.positions`
/// chunk.
pub fn append_positions(out: &mut Vec<u8>, entry: &[u8]) {
    put_varint(out, entry.len() as u64);
    out.extend_from_slice(entry);
}

struct Chunk {
    postings: HashMap<String, Postings>,
    /// Text keys in chunk order, for matching the positions file.
    text_keys: Vec<String>,
    positions: Option<HashMap<String, Vec<Vec<u32>>>>,
}

fn decode_chunk(bytes: &[u8]) -> Result<Chunk, String> {
    let mut c = Cursor { bytes, pos: 0 };
    let mut chunk = Chunk {
        postings: HashMap::new(),
        text_keys: Vec::new(),
        positions: None,
    };
    while !c.done() {
        let len = c.varint()? as usize;
        let key = std::str::from_utf8(c.take(len)?)
            .map_err(|_| "bad key in search chunk")?
            .to_string();
        let idf = f32::from_le_bytes(c.take(4)?.try_into().map_err(|_| "truncated")?);
        let count = c.varint()? as usize;
        let tag = key.as_bytes().last().copied().unwrap_or(0);
        let scored = !field::is_filter(tag);
        let mut p = Postings {
            idf,
            docs: Vec::with_capacity(count),
            ..Postings::default()
        };
        let mut doc = 0u32;
        for _ in 0..count {
            doc += c.varint()? as u32;
            p.docs.push(doc);
        }
        if scored {
            for _ in 0..count {
                p.tfs.push(c.varint()? as u32);
            }
            p.norms = c.take(count)?.to_vec();
        }
        if tag == field::TEXT {
            chunk.text_keys.push(key.clone());
        }
        chunk.postings.insert(key, p);
    }
    Ok(chunk)
}

impl Chunk {
    fn add_positions(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut c = Cursor { bytes, pos: 0 };
        let mut all = HashMap::new();
        for key in &self.text_keys {
            let len = c.varint()? as usize;
            let mut entry = Cursor {
                bytes: c.take(len)?,
                pos: 0,
            };
            let tfs = self.postings.get(key).map_or(&[][..], |p| &p.tfs);
            let mut per_doc = Vec::with_capacity(tfs.len());
            for &tf in tfs {
                let mut position = 0u32;
                let mut positions = Vec::with_capacity(tf as usize);
                for _ in 0..tf {
                    position += entry.varint()? as u32;
                    positions.push(position);
                }
                per_doc.push(positions);
            }
            all.insert(key.clone(), per_doc);
        }
        self.positions = Some(all);
        Ok(())
    }
}

// ----------------------------------------------------------------- scoring

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// tantivy's table from field-norm id to field length.
pub fn fieldnorm(id: u8) -> u32 {
    let id = u32::from(id);
    if id <= 40 {
        return id;
    }
    // Then groups of 8 lengths, each group's step twice the last.
    let (group, within) = ((id - 41) / 8, (id - 41) % 8);
    let mut value = 40u32;
    for g in 0..group {
        value += 8 * (2 << g);
    }
    value + (within + 1) * (2 << group)
}

/// BM25 as tantivy computes it (`Bm25Weight`), operation for operation.
struct Bm25 {
    weight: f32,
    average: f32,
}

impl Bm25 {
    fn new(idf: f32, average: f32, boost: f32) -> Bm25 {
        let weight = idf * (1.0 + K1);
        let weight = if boost == 1.0 { weight } else { weight * boost };
        Bm25 { weight, average }
    }

    fn score(&self, norm: u8, tf: u32) -> f32 {
        let cache = K1 * (1.0 - B + B * fieldnorm(norm) as f32 / self.average);
        let tf = tf as f32;
        self.weight * (tf / (tf + cache))
    }
}

/// Scores of one clause, by document (ascending).
type Scored = Vec<(u32, f32)>;

/// A clause or filter: its matches, and what tantivy orders parts by.
#[derive(Default)]
struct Part {
    scores: Scored,
    /// tantivy's `Scorer::cost`.
    cost: u64,
    /// A bare term scorer with frequencies: tantivy intersects those with
    /// block-max WAND, which adds scores in another order.
    plain_term: bool,
}

/// tantivy's `estimate_intersection`.
fn estimate_intersection(mut sizes: Vec<u32>, max_docs: u32) -> u32 {
    if max_docs == 0 || sizes.is_empty() {
        return 0;
    }
    sizes.sort_unstable();
    let mut estimate = f64::from(sizes[0]);
    let mut smallest = estimate;
    let mut co_location = 1.3f64;
    for &size in &sizes[1..] {
        co_location = (co_location - 0.1).max(1.0);
        estimate *= (f64::from(size) / f64::from(max_docs)) * co_location;
        smallest = smallest.min(f64::from(size));
    }
    estimate.round().min(smallest) as u32
}

// ----------------------------------------------------------------- session

/// What a step of a search returns: files to fetch, or the results.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Step {
    Need { need: Vec<String> },
    Done(Results),
}

enum Pending {
    Terms(usize),
    Positions(usize),
    Doc(u32),
}

/// The browser's search: fed the files it asks for, it answers requests.
pub struct Session {
    meta: PackMeta,
    /// Average field lengths: text, title, numbers.
    average: [f32; 3],
    chunks: HashMap<usize, Chunk>,
    /// Positions files that arrived before their chunk.
    early_positions: HashMap<usize, Vec<u8>>,
    docs: HashMap<u32, DocFile>,
    pending: HashMap<String, Pending>,
}

#[derive(Deserialize)]
struct PackPart {
    pack: PackMeta,
}

impl Session {
    /// Opens the pack described by `manifest.json`.
    pub fn open(manifest: &[u8]) -> Result<Session, String> {
        let part: PackPart =
            serde_json::from_slice(manifest).map_err(|e| format!("search manifest: {e}"))?;
        if part.pack.version != VERSION {
            return Err(format!(
                "the search index has format {}, this reader {VERSION}: build the site again",
                part.pack.version
            ));
        }
        Ok(Session::new(part.pack))
    }

    pub fn new(meta: PackMeta) -> Session {
        let n = meta.docs.max(1) as f32;
        let average = meta.tokens.map(|t| t as f32 / n);
        Session {
            meta,
            average,
            chunks: HashMap::new(),
            early_positions: HashMap::new(),
            docs: HashMap::new(),
            pending: HashMap::new(),
        }
    }

    /// Adds a file this session asked for (its URL relative to `search/`).
    pub fn add(&mut self, url: &str, bytes: &[u8]) -> Result<(), String> {
        match self.pending.remove(url) {
            Some(Pending::Terms(i)) => {
                let mut chunk = decode_chunk(bytes)?;
                if let Some(positions) = self.early_positions.remove(&i) {
                    chunk.add_positions(&positions)?;
                }
                self.chunks.insert(i, chunk);
            }
            Some(Pending::Positions(i)) => match self.chunks.get_mut(&i) {
                Some(chunk) => chunk.add_positions(bytes)?,
                None => {
                    self.early_positions.insert(i, bytes.to_vec());
                }
            },
            Some(Pending::Doc(doc)) => {
                let file: DocFile =
                    serde_json::from_slice(bytes).map_err(|e| format!("{url}: {e}"))?;
                self.docs.insert(doc, file);
            }
            None => return Err(format!("{url} was not asked for")),
        }
        Ok(())
    }

    /// Runs `request` as far as the files at hand allow.
    pub fn step(&mut self, request: &Request) -> Result<Step, String> {
        let clauses = query::parse(&request.query);
        let filters = filter_keys(request);
        if clauses.is_empty() && filters.is_empty() {
            return Ok(Step::Done(Results::default()));
        }
        let need = self.need_chunks(&clauses, &filters);
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        let mut matches = self.matches(&clauses, &filters)?;
        let total = matches.len();
        // Highest score first; ties to the lower document (newest).
        matches.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let limit = request.limit.clamp(1, 100);
        let top: Vec<(u32, f32)> = matches
            .into_iter()
            .skip(request.offset)
            .take(limit)
            .collect();
        let need = self.need_docs(&top);
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        let hits = top
            .iter()
            .map(|&(doc, score)| self.hit(doc, score, &clauses));
        Ok(Step::Done(Results {
            total,
            hits: hits.collect(),
            suggestion: (total == 0)
                .then(|| query::suggest(&request.query))
                .flatten(),
        }))
    }

    fn need_chunks(&mut self, clauses: &[Clause], filters: &[String]) -> Vec<String> {
        let mut terms = BTreeSet::new();
        let mut positions = BTreeSet::new();
        for clause in clauses {
            for (key, with_positions) in clause_keys(clause) {
                let Some(i) = self.meta.chunk_of(&key) else {
                    continue;
                };
                if !self.chunks.contains_key(&i) {
                    terms.insert(i);
                }
                let missing = self.chunks.get(&i).is_none_or(|c| c.positions.is_none());
                if with_positions && missing && !self.early_positions.contains_key(&i) {
                    positions.insert(i);
                }
            }
        }
        for key in filters {
            if let Some(i) = self
                .meta
                .chunk_of(key)
                .filter(|i| !self.chunks.contains_key(i))
            {
                terms.insert(i);
            }
        }
        let mut need = Vec::new();
        for i in terms {
            let url = terms_url(&self.meta.chunks[i].1);
            self.pending.insert(url.clone(), Pending::Terms(i));
            need.push(url);
        }
        for i in positions {
            let url = positions_url(&self.meta.chunks[i].1);
            self.pending.insert(url.clone(), Pending::Positions(i));
            need.push(url);
        }
        need
    }

    fn need_docs(&mut self, top: &[(u32, f32)]) -> Vec<String> {
        let mut need = Vec::new();
        for &(doc, _) in top {
            if !self.docs.contains_key(&doc) {
                let url = self.meta.doc_url(doc);
                self.pending.insert(url.clone(), Pending::Doc(doc));
                need.push(url);
            }
        }
        need
    }

    fn postings(&self, key: &str) -> Option<&Postings> {
        let i = self.meta.chunk_of(key)?;
        self.chunks.get(&i)?.postings.get(key)
    }

    fn positions(&self, key: &str) -> Option<&Vec<Vec<u32>>> {
        let i = self.meta.chunk_of(key)?;
        self.chunks.get(&i)?.positions.as_ref()?.get(key)
    }

    /// Every matching document with its score, in document order. The
    /// scores of the parts are added in the order tantivy adds them (float
    /// addition is not associative; the CLI must rank alike to the bit).
    fn matches(&self, clauses: &[Clause], filters: &[String]) -> Result<Scored, String> {
        let mut parts = Vec::new();
        for clause in clauses {
            parts.push(self.clause(clause)?);
        }
        for key in filters {
            let p = self.postings(key);
            let docs = p.map(|p| p.docs.iter().map(|&d| (d, p.idf)).collect());
            let docs: Scored = docs.unwrap_or_default();
            parts.push(Part {
                cost: docs.len() as u64,
                scores: docs,
                plain_term: false,
            });
        }
        if clauses.is_empty() {
            // Filters alone: every match scores alike, newest first.
            for part in &mut parts {
                part.scores.iter_mut().for_each(|s| s.1 = 0.0);
            }
        }
        if parts.len() == 1 {
            return Ok(parts.remove(0).scores);
        }
        parts.sort_by_key(|p| p.cost);
        let left_fold = parts.iter().all(|p| p.plain_term);
        let mut parts = parts.into_iter();
        let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
            return Ok(Vec::new());
        };
        let mut result = intersect(&first.scores, &second.scores, |a, b| a + b);
        if left_fold {
            // tantivy's block-max intersection of term scorers.
            for part in parts {
                result = intersect(&result, &part.scores, |a, b| a + b);
            }
            return Ok(result);
        }
        // `Intersection::score`: the first two, plus the sum of the others.
        let mut rest: Option<Scored> = None;
        for part in parts {
            rest = Some(match rest {
                None => part.scores.iter().map(|&(d, s)| (d, 0.0 + s)).collect(),
                Some(so_far) => intersect(&so_far, &part.scores, |a, b| a + b),
            });
        }
        Ok(match rest {
            Some(rest) => intersect(&result, &rest, |a, b| a + b),
            None => result,
        })
    }

    fn clause(&self, clause: &Clause) -> Result<Part, String> {
        Ok(match clause {
            Clause::Word(token) => {
                let word = query::form(token);
                let Some(text) = self.postings(&key(word, field::TEXT)) else {
                    return Ok(Part::default());
                };
                let cost = text.docs.len() as u64;
                let scores = self.term_scores(text, self.average[0], 1.0);
                match self.postings(&key(word, field::TITLE)) {
                    Some(title) => {
                        let title = self.term_scores(title, self.average[1], 2.0);
                        Part {
                            scores: with_optional(&scores, &title),
                            cost,
                            plain_term: false,
                        }
                    }
                    // tantivy drops the empty optional part: a bare term.
                    None => Part {
                        scores,
                        cost,
                        plain_term: true,
                    },
                }
            }
            Clause::Number(number) => match self.postings(&key(number, field::NUMBERS)) {
                Some(p) => Part {
                    cost: p.docs.len() as u64,
                    scores: self.term_scores(p, self.average[2], 1.0),
                    plain_term: false,
                },
                None => Part::default(),
            },
            Clause::Phrase(tokens) => self.phrase(tokens)?,
        })
    }

    fn term_scores(&self, p: &Postings, average: f32, boost: f32) -> Scored {
        let bm25 = Bm25::new(p.idf, average, boost);
        let scores = p
            .tfs
            .iter()
            .zip(&p.norms)
            .map(|(&tf, &n)| bm25.score(n, tf));
        p.docs.iter().copied().zip(scores).collect()
    }

    /// Documents where the words follow each other, scored by how often
    /// (tantivy's `PhraseScorer`: BM25 of the phrase count, the words' idfs
    /// summed).
    fn phrase(&self, tokens: &[Token]) -> Result<Part, String> {
        let keys: Vec<String> = tokens
            .iter()
            .map(|t| key(query::form(t), field::TEXT))
            .collect();
        let mut lists = Vec::new();
        for k in &keys {
            let (Some(p), Some(positions)) = (self.postings(k), self.positions(k)) else {
                return Ok(Part::default());
            };
            lists.push((p, positions));
        }
        // Summed from 0.0 as tantivy does (0.0 + x is x for a single word).
        let mut idf = 0.0f32;
        for (p, _) in &lists {
            idf += p.idf;
        }
        let bm25 = Bm25::new(idf, self.average[0], 1.0);
        let (first, first_positions) = lists[0];
        let mut out = Vec::new();
        'docs: for (i, &doc) in first.docs.iter().enumerate() {
            let mut starts: Vec<u32> = first_positions[i].clone();
            for (offset, (p, positions)) in lists.iter().enumerate().skip(1) {
                let Ok(j) = p.docs.binary_search(&doc) else {
                    continue 'docs;
                };
                let offset = offset as u32;
                starts.retain(|s| positions[j].binary_search(&(s + offset)).is_ok());
                if starts.is_empty() {
                    continue 'docs;
                }
            }
            out.push((doc, bm25.score(first.norms[i], starts.len() as u32)));
        }
        // `PhraseScorer::cost`: its estimated candidates, 10 × words each.
        let sizes = lists.iter().map(|(p, _)| p.docs.len() as u32).collect();
        let candidates = estimate_intersection(sizes, self.meta.docs);
        Ok(Part {
            scores: out,
            cost: u64::from(candidates) * 10 * lists.len() as u64,
            plain_term: false,
        })
    }

    fn hit(&self, doc: u32, score: f32, clauses: &[Clause]) -> Hit {
        let file = self.docs.get(&doc).cloned().unwrap_or_default();
        file.into_hit(score, clauses)
    }
}

/// The keys a clause looks up, and whether it needs their positions.
fn clause_keys(clause: &Clause) -> Vec<(String, bool)> {
    match clause {
        Clause::Word(t) => vec![
            (key(query::form(t), field::TEXT), false),
            (key(query::form(t), field::TITLE), false),
        ],
        Clause::Phrase(tokens) => tokens
            .iter()
            .map(|t| (key(query::form(t), field::TEXT), true))
            .collect(),
        Clause::Number(number) => vec![(key(number, field::NUMBERS), false)],
    }
}

/// The filter keys of a request, as the CLI's filters spell their terms.
fn filter_keys(request: &Request) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(year) = request.year {
        keys.push(key(&year.to_string(), field::YEAR));
    }
    for (tag, value) in [
        (field::QUARTER, &request.quarter),
        (field::ISSUER, &request.issuer),
        (field::TERM, &request.term),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            keys.push(key(&value.to_lowercase(), tag));
        }
    }
    keys
}

/// Documents in both lists (ascending), their scores combined.
fn intersect(a: &Scored, b: &Scored, combine: impl Fn(f32, f32) -> f32) -> Scored {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, combine(a[i].1, b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// `required`, plus `optional`'s score where it also matches.
fn with_optional(required: &Scored, optional: &Scored) -> Scored {
    let mut j = 0;
    required
        .iter()
        .map(|&(doc, score)| {
            while j < optional.len() && optional[j].0 < doc {
                j += 1;
            }
            match optional.get(j) {
                Some(&(d, extra)) if d == doc => (doc, score + extra),
                _ => (doc, score),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_round_trip() {
        let text = Postings {
            idf: 1.5,
            docs: vec![3, 7, 300],
            tfs: vec![1, 2, 1],
            norms: vec![10, 20, 30],
        };
        let year = Postings {
            idf: 0.25,
            docs: vec![0, 1, 2],
            ..Postings::default()
        };
        let mut bytes = Vec::new();
        encode_entry(&mut bytes, &key("2023", field::YEAR), &year);
        encode_entry(&mut bytes, &key("ngân", field::TEXT), &text);
        let mut positions = Vec::new();
        let mut entry = Vec::new();
        for doc in [vec![4], vec![1, 900], vec![0]] {
            put_position_gaps(&mut entry, &doc);
        }
        append_positions(&mut positions, &entry);
        let mut chunk = decode_chunk(&bytes).unwrap();
        chunk.add_positions(&positions).unwrap();
        assert_eq!(chunk.postings[&key("ngân", field::TEXT)], text);
        assert_eq!(chunk.postings[&key("2023", field::YEAR)], year);
        let got = &chunk.positions.unwrap()[&key("ngân", field::TEXT)];
        assert_eq!(got, &vec![vec![4], vec![1, 900], vec![0]]);
        assert!(decode_chunk(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn keys_find_their_chunk() {
        let meta = PackMeta {
            chunks: ["b\0t", "m\0t", "t\0t"]
                .map(|k| (k.to_string(), String::new()))
                .to_vec(),
            ..PackMeta::default()
        };
        assert_eq!(meta.chunk_of("a\0t"), None);
        assert_eq!(meta.chunk_of("b\0t"), Some(0));
        assert_eq!(meta.chunk_of("ngân\0t"), Some(1));
        assert_eq!(meta.chunk_of("ủy\0t"), Some(2));
    }

    #[test]
    fn optional_scores_add_where_they_match() {
        let required = vec![(1, 1.0), (4, 2.0), (9, 3.0)];
        let optional = vec![(0, 5.0), (4, 0.5)];
        assert_eq!(
            with_optional(&required, &optional),
            vec![(1, 1.0), (4, 2.5), (9, 3.0)]
        );
        assert_eq!(
            intersect(&required, &optional, |a, b| a + b),
            vec![(4, 2.5)]
        );
    }
}
