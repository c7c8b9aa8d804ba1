//! [`Session`]: a search fed the byte ranges it asks for, in the browser (wasm)
//! and in `ketluan search` (reading the same files from disk).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::encoding::{Chunk, decode_chunk, decode_table};
use super::scoring::{Bm25, Part, Scored, combine, idf, intersect, with_optional};
use super::{
    DocFile, PackError, PackMeta, Postings, READING, Record, VERSION, field, key, pair_term,
};
use crate::analysis::Token;
use crate::query::{self, Clause, Hit, Request, Results};

/// What a step of a search returns: byte ranges to fetch, or the results.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Step {
    /// Fetch these ranges of files of `search/`, inflate each (a gzip
    /// member), [`Session::add`] it, and step again.
    Need {
        /// The ranges, at most one per record.
        need: Vec<Fetch>,
    },
    /// The answer.
    Done(Results),
}

/// A byte range of a file of `search/`: one record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fetch {
    /// The file, relative to `search/`.
    pub url: String,
    /// The first byte.
    pub start: u64,
    /// After the last byte.
    pub end: u64,
}

impl std::fmt::Display for Fetch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (bytes {}–{})", self.url, self.start, self.end)
    }
}

enum Pending {
    Terms(usize),
    Table(usize),
    Doc(u32),
}

/// Bytes of all groups' tables up to which they come with the first chunks.
const PREFETCH_TABLES: u64 = 32 * 1024;

/// Index of a field's average length in [`Session::average`].
const TEXT: usize = 0;
const TITLE: usize = 1;
const NUMBERS: usize = 2;
const PAIRS: usize = 3;

/// A search over a pack: fed the ranges it asks for, it answers requests.
pub struct Session {
    meta: PackMeta,
    /// Average field lengths: text, title, numbers, pairs.
    average: [f32; 4],
    chunks: HashMap<usize, Chunk>,
    /// Per group: where each of its documents' records starts, and the end.
    tables: HashMap<usize, Vec<u64>>,
    docs: HashMap<u32, DocFile>,
    pending: HashMap<Fetch, Pending>,
}

#[derive(Deserialize)]
struct PackPart {
    pack: PackMeta,
}

impl Session {
    /// Opens the pack described by `manifest.json`.
    pub fn open(manifest: &[u8]) -> Result<Session, PackError> {
        let part: PackPart = serde_json::from_slice(manifest).map_err(PackError::Manifest)?;
        if part.pack.version != VERSION {
            return Err(PackError::Version {
                found: part.pack.version,
            });
        }
        Ok(Session::new(part.pack))
    }

    /// A session over the pack `meta` describes.
    pub fn new(meta: PackMeta) -> Session {
        let n = meta.docs.max(1) as f32;
        let average = meta.tokens.map(|t| t as f32 / n);
        Session {
            meta,
            average,
            chunks: HashMap::new(),
            tables: HashMap::new(),
            docs: HashMap::new(),
            pending: HashMap::new(),
        }
    }

    /// Adds a range this session asked for, inflated.
    pub fn add(&mut self, fetch: &Fetch, bytes: &[u8]) -> Result<(), PackError> {
        match self.pending.remove(fetch) {
            Some(Pending::Terms(i)) => {
                self.chunks
                    .insert(i, decode_chunk(bytes, &fetch.to_string())?);
            }
            Some(Pending::Table(g)) => {
                let count = self.meta.groups.get(g).map_or(0, |g| g.docs);
                let offsets =
                    decode_table(bytes, count).ok_or_else(|| PackError::Table(fetch.clone()))?;
                self.tables.insert(g, offsets);
            }
            Some(Pending::Doc(doc)) => {
                let file: DocFile =
                    serde_json::from_slice(bytes).map_err(|source| PackError::Doc {
                        fetch: fetch.clone(),
                        source,
                    })?;
                self.docs.insert(doc, file);
            }
            None => return Err(PackError::NotAsked(fetch.clone())),
        }
        Ok(())
    }

    /// Asks for `record`, to be handled as `pending` when it comes.
    fn ask(&mut self, record: Record, pending: Pending) -> Result<Fetch, PackError> {
        let fetch = Fetch {
            url: self.meta.file(record)?.to_string(),
            start: record.start(),
            end: record.end(),
        };
        self.pending.insert(fetch.clone(), pending);
        Ok(fetch)
    }

    /// Runs `request` as far as the files at hand allow.
    ///
    /// Documents in which the words of a query typed as a run of words
    /// (`dat dai`) stand next to each other, in order, rank above those in
    /// which they do not: by how many of the query's pairs of words they
    /// hold, then by score (BM25, title matches higher).
    pub fn step(&mut self, request: &Request) -> Result<Step, PackError> {
        let clauses = query::parse(&request.query);
        let filters = filter_keys(request);
        if clauses.is_empty() && filters.is_empty() {
            return Ok(Step::Done(Results::default()));
        }
        let runs = runs(&clauses);
        let mut need = self.need_chunks(&clauses, &runs, &filters)?;
        if !need.is_empty() {
            need.extend(self.prefetch_tables()?);
            return Ok(Step::Need { need });
        }
        let mut matches = self.matches(&clauses, &filters);
        let total = matches.len();
        let pairs = self.pairs_held(&runs);
        let held = |doc: u32| pairs.get(&doc).copied().unwrap_or(0);
        // Most pairs first, then highest score; ties to the lower document
        // (newest).
        matches.sort_by(|a, b| {
            held(b.0)
                .cmp(&held(a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        let top: Vec<(u32, f32)> = matches
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let need = self.need_docs(&top)?;
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
            accented: self.accented(&clauses),
        }))
    }

    fn need_chunks(
        &mut self,
        clauses: &[Clause],
        runs: &[Vec<&Token>],
        filters: &[String],
    ) -> Result<Vec<Fetch>, PackError> {
        let mut keys: Vec<String> = clauses.iter().flat_map(clause_keys).collect();
        for run in runs {
            keys.extend(run.windows(2).map(|w| folded_pair_key(w[0], w[1])));
        }
        keys.extend(filters.iter().cloned());
        let missing: BTreeSet<usize> = keys
            .iter()
            .filter_map(|k| self.meta.chunk_of(k))
            .filter(|i| !self.chunks.contains_key(i))
            .collect();
        let mut need = Vec::new();
        for i in missing {
            need.push(self.ask(self.meta.chunks[i].1, Pending::Terms(i))?);
        }
        Ok(need)
    }

    /// Every group's table not known yet, when all of them together are
    /// small: fetched beside the first query's chunks, they spare later
    /// queries the round of tables (on the throttled bench at 10,000
    /// documents that round cost 300-500 ms a query; the 18 KB of tables
    /// cost the first query about 100 ms). Up to about 17,000 documents;
    /// larger archives fetch a group's table when one of its documents is
    /// first shown.
    fn prefetch_tables(&mut self) -> Result<Vec<Fetch>, PackError> {
        let total: u64 = self.meta.groups.iter().map(|g| u64::from(g.table.2)).sum();
        if total > PREFETCH_TABLES {
            return Ok(Vec::new());
        }
        let mut need = Vec::new();
        for g in 0..self.meta.groups.len() {
            if !self.tables.contains_key(&g) {
                need.push(self.ask(self.meta.groups[g].table, Pending::Table(g))?);
            }
        }
        Ok(need)
    }

    /// The records of the documents shown, and the tables of the groups
    /// whose offsets are not known yet (their documents come in the next
    /// round).
    fn need_docs(&mut self, top: &[(u32, f32)]) -> Result<Vec<Fetch>, PackError> {
        let mut need = Vec::new();
        let mut tables = BTreeSet::new();
        for &(doc, _) in top {
            if self.docs.contains_key(&doc) {
                continue;
            }
            let Some(place) = self.meta.place(doc) else {
                continue;
            };
            let group = &self.meta.groups[place.group];
            let (file, table) = (group.file, group.table);
            match self.tables.get(&place.group) {
                Some(offsets) => {
                    let n = place.n as usize;
                    let (start, end) = (offsets[n], offsets[n + 1]);
                    let len = u32::try_from(end - start)
                        .map_err(|_| PackError::Table(self.table_fetch(table)))?;
                    need.push(self.ask(Record(file, start, len), Pending::Doc(doc))?);
                }
                None => {
                    if tables.insert(place.group) {
                        need.push(self.ask(table, Pending::Table(place.group))?);
                    }
                }
            }
        }
        Ok(need)
    }

    /// The range of a table record, for errors.
    fn table_fetch(&self, table: Record) -> Fetch {
        Fetch {
            url: self.meta.file(table).unwrap_or_default().to_string(),
            start: table.start(),
            end: table.end(),
        }
    }

    fn chunk(&self, key: &str) -> Option<&Chunk> {
        self.chunks.get(&self.meta.chunk_of(key)?)
    }

    fn postings(&self, key: &str) -> Option<&Postings> {
        self.chunk(key)?.get(key)
    }

    /// The readings with diacritics of the pair `a b` typed without them,
    /// with their postings (see [`super::pair_term`]).
    fn readings<'a>(&'a self, a: &Token, b: &Token) -> Vec<(&'a str, &'a str, &'a Postings)> {
        let pair = format!("{} {}{READING}", a.folded, b.folded);
        let Some(chunk) = self.chunk(&folded_pair_key(a, b)) else {
            return Vec::new();
        };
        chunk
            .range(pair.clone()..)
            .take_while(|(k, _)| k.starts_with(&pair))
            .filter_map(|(k, p)| {
                let reading = k[pair.len()..].strip_suffix(&key("", field::PAIRS))?;
                let (first, second) = reading.split_once(' ')?;
                Some((first, second, p))
            })
            .collect()
    }

    /// Where `a` is followed by `b`, each as typed: folded when typed
    /// without diacritics, exact when with them.
    fn pair(&self, a: &Token, b: &Token) -> Option<Postings> {
        if query::typed_plain(a) && query::typed_plain(b) {
            return self.postings(&folded_pair_key(a, b)).cloned();
        }
        let agree =
            |typed: &Token, reading: &str| query::typed_plain(typed) || typed.exact == reading;
        let lists: Vec<&Postings> = self
            .readings(a, b)
            .into_iter()
            .filter(|(first, second, _)| agree(a, first) && agree(b, second))
            .map(|(_, _, p)| p)
            .collect();
        match lists.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            _ => Some(union(&lists, self.meta.docs)),
        }
    }

    /// For each document, how many of the pairs of adjacent words of the
    /// query's runs it holds (none when the query has no run).
    fn pairs_held(&self, runs: &[Vec<&Token>]) -> HashMap<u32, u32> {
        let mut held = HashMap::new();
        for run in runs {
            for w in run.windows(2) {
                for doc in self.pair(w[0], w[1]).map(|p| p.docs).unwrap_or_default() {
                    *held.entry(doc).or_insert(0) += 1;
                }
            }
        }
        held
    }

    /// "Did you mean": the accented reading of a query of several words
    /// typed without diacritics, when each of its pairs of words has one
    /// reading clearly more frequent than any other (at least twice the
    /// next, and found in at least half the documents with the pair).
    fn accented(&self, clauses: &[Clause]) -> Option<String> {
        let words: Vec<&Token> = clauses
            .iter()
            .map(|c| match c {
                Clause::Word(t) if query::typed_plain(t) => Some(t),
                _ => None,
            })
            .collect::<Option<_>>()?;
        if words.len() < 2 {
            return None;
        }
        let mut chosen: Vec<Option<&str>> = vec![None; words.len()];
        for (i, w) in words.windows(2).enumerate() {
            let all = self.postings(&folded_pair_key(w[0], w[1]))?.docs.len();
            let mut readings = self.readings(w[0], w[1]);
            readings.sort_by_key(|r| std::cmp::Reverse(r.2.docs.len()));
            let (first, second, top) = *readings.first()?;
            let next = readings.get(1).map_or(0, |r| r.2.docs.len());
            if top.docs.len() < 2 * next || 2 * top.docs.len() < all {
                return None;
            }
            if chosen[i].is_some_and(|c| c != first) {
                return None;
            }
            chosen[i] = Some(first);
            chosen[i + 1] = Some(second);
        }
        let words: Vec<&str> = chosen.into_iter().collect::<Option<_>>()?;
        Some(words.join(" "))
    }

    /// Every matching document with its score, in document order.
    fn matches(&self, clauses: &[Clause], filters: &[String]) -> Scored {
        let mut parts: Vec<Part> = clauses.iter().map(|c| self.clause(c)).collect();
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
        combine(parts)
    }

    fn clause(&self, clause: &Clause) -> Part {
        match clause {
            Clause::Word(token) => {
                let word = query::form(token);
                let Some(text) = self.postings(&key(word, field::TEXT)) else {
                    return Part::default();
                };
                let cost = text.docs.len() as u64;
                let scores = self.term_scores(text, self.average[TEXT], 1.0);
                match self.postings(&key(word, field::TITLE)) {
                    Some(title) => {
                        let title = self.term_scores(title, self.average[TITLE], 2.0);
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
                    scores: self.term_scores(p, self.average[NUMBERS], 1.0),
                    plain_term: false,
                },
                None => Part::default(),
            },
            Clause::Phrase(tokens) => self.phrase(tokens),
        }
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

    /// Documents in which each word is followed by the next: every pair of
    /// the phrase, each scored by BM25 of its count.
    fn phrase(&self, tokens: &[Token]) -> Part {
        let mut result: Option<Scored> = None;
        for w in tokens.windows(2) {
            let Some(p) = self.pair(&w[0], &w[1]) else {
                return Part::default();
            };
            let scores = self.term_scores(&p, self.average[PAIRS], 1.0);
            result = Some(match result {
                None => scores,
                Some(so_far) => intersect(&so_far, &scores),
            });
        }
        let scores = result.unwrap_or_default();
        Part {
            cost: scores.len() as u64,
            scores,
            plain_term: false,
        }
    }

    fn hit(&self, doc: u32, score: f32, clauses: &[Clause]) -> Hit {
        let file = self.docs.get(&doc).cloned().unwrap_or_default();
        file.into_hit(score, clauses)
    }
}

/// Runs of two words or more typed one after the other (not quoted, not
/// parted by a number): the words whose adjacency ranks a document first.
fn runs(clauses: &[Clause]) -> Vec<Vec<&Token>> {
    let mut runs = vec![Vec::new()];
    for clause in clauses {
        match clause {
            Clause::Word(t) => runs.last_mut().map_or((), |r| r.push(t)),
            _ => runs.push(Vec::new()),
        }
    }
    runs.retain(|r| r.len() >= 2);
    runs
}

/// The key of the pair `a b` in its folded form, which every reading of
/// the pair sorts right after.
fn folded_pair_key(a: &Token, b: &Token) -> String {
    let mut term = String::new();
    pair_term([&a.folded, &b.folded], [&a.folded, &b.folded], &mut term);
    key(&term, field::PAIRS)
}

/// Postings of documents in any of `lists`, their counts added (one
/// document has one field length); the idf of the union.
fn union(lists: &[&Postings], docs: u32) -> Postings {
    let mut merged: std::collections::BTreeMap<u32, (u32, u8)> = Default::default();
    for p in lists {
        for ((&doc, &tf), &norm) in p.docs.iter().zip(&p.tfs).zip(&p.norms) {
            merged.entry(doc).or_insert((0, norm)).0 += tf;
        }
    }
    let mut out = Postings {
        idf: idf(merged.len() as u64, u64::from(docs)),
        ..Postings::default()
    };
    for (doc, (tf, norm)) in merged {
        out.docs.push(doc);
        out.tfs.push(tf);
        out.norms.push(norm);
    }
    out
}

/// The keys a clause looks up.
fn clause_keys(clause: &Clause) -> Vec<String> {
    match clause {
        Clause::Word(t) => vec![
            key(query::form(t), field::TEXT),
            key(query::form(t), field::TITLE),
        ],
        Clause::Phrase(tokens) => tokens
            .windows(2)
            .map(|w| folded_pair_key(&w[0], &w[1]))
            .collect(),
        Clause::Number(number) => vec![key(number, field::NUMBERS)],
    }
}

/// The filter keys of a request, as the index spells their terms.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::encode_entry;

    /// A session whose one chunk holds `entries` (pair terms with their
    /// documents), over 100 documents.
    fn session(entries: &[(&str, &[u32])]) -> Session {
        let mut bytes = Vec::new();
        let mut keys: Vec<(String, Postings)> = entries
            .iter()
            .map(|(term, docs)| {
                let term = term.replace('|', &READING.to_string());
                let p = Postings {
                    idf: idf(docs.len() as u64, 100),
                    docs: docs.to_vec(),
                    tfs: vec![1; docs.len()],
                    norms: vec![10; docs.len()],
                };
                (key(&term, field::PAIRS), p)
            })
            .collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, p) in &keys {
            encode_entry(&mut bytes, k, p);
        }
        let mut s = Session::new(PackMeta {
            version: VERSION,
            docs: 100,
            tokens: [1000; 4],
            files: vec!["c.terms".into()],
            chunks: vec![(String::new(), Record(0, 0, 100))],
            groups: vec![],
        });
        let fetch = s.ask(Record(0, 0, 100), Pending::Terms(0)).unwrap();
        s.add(&fetch, &bytes).unwrap();
        s
    }

    fn words(query: &str) -> Vec<Clause> {
        query::parse(query)
    }

    fn tokens(query: &str) -> Vec<Token> {
        crate::analysis::tokenize(&crate::analysis::nfc(query))
    }

    /// Runs `request` feeding `bytes(fetch)`; returns the rounds, each a
    /// list of what was fetched ("chunk", "table", "doc").
    fn rounds(
        s: &mut Session,
        request: &Request,
        bytes: impl Fn(&Fetch) -> Vec<u8>,
    ) -> Vec<Vec<&'static str>> {
        let mut rounds = Vec::new();
        loop {
            match s.step(request).unwrap() {
                Step::Done(_) => return rounds,
                Step::Need { need } => {
                    let kinds = need
                        .iter()
                        .map(|f| match s.pending.get(f) {
                            Some(Pending::Terms(_)) => "chunk",
                            Some(Pending::Table(_)) => "table",
                            Some(Pending::Doc(_)) => "doc",
                            None => "?",
                        })
                        .collect();
                    rounds.push(kinds);
                    for f in need {
                        s.add(&f, &bytes(&f)).unwrap();
                    }
                }
            }
            assert!(rounds.len() < 5, "{rounds:?}");
        }
    }

    /// Three documents with the word `a`, in one group whose table claims
    /// `table_len` bytes.
    fn one_group(table_len: u32) -> (Session, impl Fn(&Fetch) -> Vec<u8>) {
        let mut chunk = Vec::new();
        let p = Postings {
            idf: 1.0,
            docs: vec![0, 1, 2],
            tfs: vec![1; 3],
            norms: vec![10; 3],
        };
        encode_entry(&mut chunk, &key("a", field::TEXT), &p);
        let doc = |n: u32| {
            serde_json::to_vec(&DocFile {
                title: format!("doc {n}"),
                ..DocFile::default()
            })
            .unwrap()
        };
        let docs: Vec<Vec<u8>> = (0..3).map(doc).collect();
        let lengths: Vec<u32> = docs.iter().map(|d| d.len() as u32).collect();
        let table = crate::pack::encode_table(&lengths);
        let chunk_len = chunk.len() as u32;
        let s = Session::new(PackMeta {
            version: VERSION,
            docs: 3,
            tokens: [30; 4],
            files: vec!["t.terms".into(), "d.docs".into(), "g.tables".into()],
            chunks: vec![(String::new(), Record(0, 0, chunk_len))],
            groups: vec![super::super::Group {
                file: 1,
                docs: 3,
                table: Record(2, 0, table_len),
            }],
        });
        let all: Vec<u8> = docs.concat();
        let bytes = move |f: &Fetch| match f.url.as_str() {
            "t.terms" => chunk.clone(),
            "g.tables" => table.clone(),
            _ => all[f.start as usize..f.end as usize].to_vec(),
        };
        (s, bytes)
    }

    #[test]
    fn small_tables_come_with_the_chunks_large_ones_when_needed() {
        let request = Request {
            query: "a".into(),
            limit: 2,
            ..Request::default()
        };
        let (mut small, bytes) = one_group(100);
        assert_eq!(
            rounds(&mut small, &request, &bytes),
            [vec!["chunk", "table"], vec!["doc", "doc"]]
        );
        let (mut large, bytes) = one_group(40_000);
        assert_eq!(
            rounds(&mut large, &request, &bytes),
            [vec!["chunk"], vec!["table"], vec!["doc", "doc"]]
        );
        let more = Request {
            offset: 2,
            ..request
        };
        assert_eq!(
            rounds(&mut large, &more, &bytes),
            [vec!["doc"]],
            "the group's table is known now"
        );
        let Step::Done(results) = large.step(&more).unwrap() else {
            panic!("everything was fetched");
        };
        assert_eq!(results.hits[0].title, "doc 2");
    }

    #[test]
    fn pairs_match_as_typed() {
        let s = session(&[
            ("dat dai", &[1, 2, 3, 4]),
            ("dat dai|đất đai", &[1, 2, 4]),
            ("dat dai|đạt đại", &[3]),
            ("kinh te", &[5, 6]),
            ("kinh te|kinh tế", &[5]),
            ("kinh te|kính tế", &[6]),
        ]);
        let docs = |q: &str| {
            let t = tokens(q);
            s.pair(&t[0], &t[1]).map(|p| p.docs).unwrap_or_default()
        };
        assert_eq!(docs("dat dai"), [1, 2, 3, 4]);
        assert_eq!(docs("DAT DAI"), [1, 2, 3, 4]);
        assert_eq!(docs("đất đai"), [1, 2, 4]);
        assert_eq!(docs("đất dai"), [1, 2, 4]);
        assert_eq!(docs("dat đại"), [3]);
        assert_eq!(docs("kinh tế"), [5, 6], "kinh typed plain: every reading");
        assert_eq!(docs("kính tế"), [6]);
        assert_eq!(docs("kinh tê"), Vec::<u32>::new());
        assert_eq!(docs("tế kinh"), Vec::<u32>::new());
    }

    #[test]
    fn a_dominant_reading_is_offered() {
        let s = session(&[
            ("dat dai", &[1, 2, 3, 4, 5]),
            ("dat dai|đất đai", &[1, 2, 4, 5]),
            ("dat dai|đạt đại", &[3]),
            ("dai hoi", &[1, 3, 7]),
            ("dai hoi|đại hội", &[1, 3]),
            ("dai hoi|dài hồi", &[7]),
            ("van hoa", &[1, 2, 3, 4]),
            ("van hoa|văn hóa", &[1, 2]),
            ("van hoa|vạn hoa", &[3, 4]),
        ]);
        assert_eq!(s.accented(&words("dat dai")).as_deref(), Some("đất đai"));
        assert_eq!(s.accented(&words("Dat Dai")).as_deref(), Some("đất đai"));
        assert_eq!(
            s.accented(&words("van hoa")),
            None,
            "two readings as frequent"
        );
        assert_eq!(
            s.accented(&words("dat dai hoi")),
            None,
            "đất đai and đại hội disagree on dai"
        );
        assert_eq!(s.accented(&words("đất đai")), None, "typed with diacritics");
        assert_eq!(s.accented(&words("dat")), None, "one word");
        assert_eq!(s.accented(&words("\"dat dai\"")), None);
    }
}
