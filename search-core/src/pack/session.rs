//! [`Session`]: a search fed the byte ranges it asks for, in the browser (wasm)
//! and in `ketluan search` (reading the same files from disk).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::encoding::{Chunk, decode_chunk, decode_tables, decode_tail};
use super::scoring::{Bm25, Bounds, Part, Scored, combine, idf, intersect, with_optional};
use super::{
    DocFile, PackError, PackMeta, Postings, READING, Record, VERSION, field, key, pair_term, tier,
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
    /// The part of the tail of this key, in this chunk, that starts there.
    Tail(usize, String, u32),
    /// The tables of the groups that have this record.
    Table(Record),
    Doc(u32),
}

/// Pairs held, score and document: what a match is ranked by.
type RankedDoc = (u32, f32, u32);

/// What ranking a request's matches gives.
enum Ranking {
    /// These tails first.
    Need(Vec<Fetch>),
    /// Held pairs, score and document of the matches known to rank first
    /// (at least as many as the request's page needs, in order), the
    /// total, and whether it is an estimate.
    Ranked {
        ranked: Vec<RankedDoc>,
        total: usize,
        estimated: bool,
    },
}

/// Index of a field's average length in [`Session::average`].
const TEXT: usize = 0;
const TITLE: usize = 1;
const NUMBERS: usize = 2;

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
            Some(Pending::Tail(chunk, key, start)) => {
                let tag = key.as_bytes().last().copied().unwrap_or(0);
                let rest = decode_tail(bytes, tag, &fetch.to_string())?;
                let p = self.chunks.get_mut(&chunk).and_then(|c| c.get_mut(&key));
                p.ok_or_else(|| PackError::NotAsked(fetch.clone()))?
                    .absorb(start, rest);
            }
            Some(Pending::Table(record)) => {
                let groups: Vec<usize> = (0..self.meta.groups.len())
                    .filter(|&g| self.meta.groups[g].table == record)
                    .collect();
                let counts: Vec<u32> = groups.iter().map(|&g| self.meta.groups[g].docs).collect();
                let tables =
                    decode_tables(bytes, &counts).ok_or_else(|| PackError::Table(fetch.clone()))?;
                self.tables.extend(groups.into_iter().zip(tables));
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
    ///
    /// Long lists come as heads first ([`tier`]): their tails are fetched
    /// only when the heads cannot tell which documents rank first, and the
    /// total is then an estimate.
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
        let (ranked, total, estimated) = match self.rank(request, &clauses, &runs, &filters)? {
            Ranking::Need(need) => return Ok(Step::Need { need }),
            Ranking::Ranked {
                ranked,
                total,
                estimated,
            } => (ranked, total, estimated),
        };
        let top: Vec<(u32, f32)> = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|(_, score, doc)| (doc, score))
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
            estimated,
            hits: hits.collect(),
            suggestion: (total == 0)
                .then(|| query::suggest(&request.query))
                .flatten(),
            accented: self.accented(&clauses),
        }))
    }

    /// The matches ranked as far as the request's page, once the chunks
    /// are at hand; or the tails that ranking needs.
    fn rank(
        &mut self,
        request: &Request,
        clauses: &[Clause],
        runs: &[Vec<&Token>],
        filters: &[String],
    ) -> Result<Ranking, PackError> {
        let whole = match request.exact {
            true => self.tails(clauses, runs, |_| true, true)?,
            false => self.tails(clauses, runs, |many| many, true)?,
        };
        if !whole.is_empty() {
            return Ok(Ranking::Need(whole));
        }
        let matches = self.matches(clauses, filters);
        let held = self.pairs_held(runs, &matches.known);
        let wanted = request.offset + request.limit;
        let (ranked, sure) = match decide(&matches, &held, wanted, false) {
            Some(decided) => decided,
            None => {
                let need = self.tails(clauses, runs, |_| true, false)?;
                if !need.is_empty() {
                    return Ok(Ranking::Need(need));
                }
                // Every list is whole: cannot happen, but never ask for
                // nothing.
                decide(&matches, &held, wanted, true).unwrap_or_default()
            }
        };
        let mut estimated = matches.rest.is_some() || matches.known.len() != sure;
        let mut total = sure;
        if estimated {
            let (estimate, is_estimate) = self.estimate(clauses, filters);
            (total, estimated) = (estimate.max(sure), is_estimate);
        }
        Ok(Ranking::Ranked {
            ranked,
            total,
            estimated,
        })
    }

    /// The tails not fetched yet of the lists the query reads (`only`
    /// false), or of a quoted pair with several readings, whose union's
    /// idf needs their whole lists (`only` true): every part of them
    /// (`all`), or the next.
    fn tails(
        &mut self,
        clauses: &[Clause],
        runs: &[Vec<&Token>],
        only: impl Fn(bool) -> bool,
        all: bool,
    ) -> Result<Vec<Fetch>, PackError> {
        let mut keys = Vec::new();
        for clause in clauses {
            match clause {
                Clause::Word(t) if only(false) => {
                    keys.push(key(query::form(t), field::TEXT));
                    keys.push(key(query::form(t), field::TITLE));
                }
                Clause::Number(n) if only(false) => keys.push(key(n, field::NUMBERS)),
                Clause::Phrase(tokens) => {
                    for w in tokens.windows(2) {
                        let readings = self.agreeing(&w[0], &w[1]);
                        if only(readings.len() > 1) {
                            keys.extend(readings.iter().map(|r| r.key.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        if only(false) {
            for run in runs {
                for w in run.windows(2) {
                    let readings = self.agreeing(w[0], w[1]);
                    keys.extend(readings.iter().map(|r| r.key.to_string()));
                }
            }
        }
        // What the next part of each list would bring; when all that is
        // left is less than a round moves, it all comes in this one.
        let left: u64 = keys
            .iter()
            .filter_map(|k| self.postings(k)?.tail.as_ref())
            .flat_map(|t| &t.parts)
            .map(|p| u64::from(p.len))
            .sum();
        let all = all || left <= tier::ROUND_BYTES;
        let mut need = Vec::new();
        let mut asked = BTreeSet::new();
        for k in keys {
            let Some(i) = self.meta.chunk_of(&k) else {
                continue;
            };
            let Some(tail) = self.chunks.get(&i).and_then(|c| c.get(&k)?.tail.as_ref()) else {
                continue;
            };
            if !asked.insert(k.clone()) {
                continue;
            }
            let place = self.meta.chunks[i].record;
            let parts: Vec<(u32, u32)> = tail.parts.iter().map(|p| (p.start, p.len)).collect();
            let next = if all { parts.len() } else { 1 };
            for (start, len) in parts.into_iter().take(next) {
                let record = Record(place.file(), place.end() + u64::from(start), len);
                need.push(self.ask(record, Pending::Tail(i, k.clone(), start))?);
            }
        }
        Ok(need)
    }

    /// How many documents match, estimated from the lists' sketches
    /// (exact for one list: its length), and whether it is an estimate.
    fn estimate(&self, clauses: &[Clause], filters: &[String]) -> (usize, bool) {
        let sketch = |p: &Postings| match &p.tail {
            Some(t) => t.sketch.clone(),
            None => tier::sketch(&p.docs),
        };
        let mut sets = Vec::new();
        let mut most = u32::MAX;
        let mut united = false;
        let mut add = |set: Vec<u32>, df: u32| {
            sets.push((set, df));
            most = most.min(df);
        };
        for clause in clauses {
            match clause {
                Clause::Word(t) => {
                    let Some(p) = self.postings(&key(query::form(t), field::TEXT)) else {
                        return (0, false);
                    };
                    add(sketch(p), p.df());
                }
                Clause::Number(n) => {
                    let Some(p) = self.postings(&key(n, field::NUMBERS)) else {
                        return (0, false);
                    };
                    add(sketch(p), p.df());
                }
                Clause::Phrase(tokens) => {
                    united = true;
                    for w in tokens.windows(2) {
                        let mut union = Vec::new();
                        let mut df = 0;
                        for r in self.agreeing(&w[0], &w[1]) {
                            union.extend(sketch(r.postings));
                            df += r.postings.df();
                        }
                        tier::smallest(&mut union);
                        add(union, df);
                    }
                }
            }
        }
        for f in filters {
            match self.postings(f) {
                Some(p) => add(sketch(p), p.df()),
                None => return (0, false),
            }
        }
        if sets.len() == 1 && !united {
            return (most as usize, false);
        }
        let estimate = tier::estimate(&sets).round() as usize;
        (estimate.min(most as usize), true)
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
            need.push(self.ask(self.meta.chunks[i].record, Pending::Terms(i))?);
        }
        Ok(need)
    }

    /// The tables of a small archive, which are one record (the export
    /// decides): fetched beside the first query's chunks, they spare later
    /// queries a round of tables (on the throttled bench at 10,000
    /// documents that round cost 300-500 ms a query; the 6.2 KB of tables
    /// cost the first query some 40 ms). A larger archive's groups each
    /// have a record, fetched when one of its documents is first shown.
    fn prefetch_tables(&mut self) -> Result<Vec<Fetch>, PackError> {
        let Some(first) = self.meta.groups.first() else {
            return Ok(Vec::new());
        };
        let record = first.table;
        if self.tables.contains_key(&0) || self.meta.groups.iter().any(|g| g.table != record) {
            return Ok(Vec::new());
        }
        Ok(vec![self.ask(record, Pending::Table(record))?])
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
                    if tables.insert(table) {
                        need.push(self.ask(table, Pending::Table(table))?);
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

    /// The readings of the pair `a b` found in the archive, each with its
    /// words and postings (see [`super::pair_term`]): the one without
    /// diacritics first, if any.
    fn readings<'a>(&'a self, a: &Token, b: &Token) -> Vec<Reading<'a>> {
        let folded = folded_pair_key(a, b);
        let Some(chunk) = self.chunk(&folded) else {
            return Vec::new();
        };
        let pair = format!("{} {}{READING}", a.folded, b.folded);
        let plain = chunk.get_key_value(&folded).map(|(k, p)| (&k[..], 0, p));
        let accented = chunk
            .range(pair.clone()..)
            .take_while(|(k, _)| k.starts_with(&pair))
            .map(|(k, p)| (&k[..], pair.len(), p));
        plain
            .into_iter()
            .chain(accented)
            .filter_map(|(k, from, p)| {
                let reading = k[from..].strip_suffix(&key("", field::PAIRS))?;
                let (first, second) = reading.split_once(' ')?;
                Some(Reading {
                    key: k,
                    words: (first, second),
                    postings: p,
                })
            })
            .collect()
    }

    /// The readings of `a b` that agree with how it was typed.
    fn agreeing<'a>(&'a self, a: &Token, b: &Token) -> Vec<Reading<'a>> {
        let mut readings = self.readings(a, b);
        readings.retain(|r| agree(a, r.words.0) && agree(b, r.words.1));
        readings
    }

    /// Where `a` is followed by `b`, each as typed: folded when typed
    /// without diacritics (every reading), exact when with them. With
    /// several readings, of which one is a head, the union is of what is
    /// listed, and its `tail` says only that it is open.
    fn pair(&self, a: &Token, b: &Token) -> Option<Postings> {
        let lists: Vec<&Postings> = self.agreeing(a, b).iter().map(|r| r.postings).collect();
        match lists.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            _ => {
                let mut u = union(&lists, self.meta.docs);
                if lists.iter().any(|p| p.tail.is_some()) {
                    u.tail = Some(super::Tail {
                        df: lists.iter().map(|p| p.df()).sum(),
                        ..super::Tail::default()
                    });
                }
                Some(u)
            }
        }
    }

    /// For each of `matches` (in document order), how many of the pairs of
    /// adjacent words of the query's runs it holds (none when the query has
    /// no run): at least and at most (a pair's head may not list it); and
    /// at most for a document not listed.
    fn pairs_held(&self, runs: &[Vec<&Token>], matches: &[(u32, Bounds)]) -> Held {
        let mut held = Held {
            each: vec![(0, 0); matches.len()],
            unlisted: 0,
        };
        for run in runs {
            for w in run.windows(2) {
                let Some(pair) = self.pair(w[0], w[1]) else {
                    continue;
                };
                let open = u32::from(pair.tail.is_some());
                held.unlisted += 1;
                let mut docs = pair.docs.iter().peekable();
                for (count, &(doc, _)) in held.each.iter_mut().zip(matches) {
                    while docs.next_if(|&&d| d < doc).is_some() {}
                    let listed = u32::from(docs.next_if_eq(&&doc).is_some());
                    count.0 += listed;
                    count.1 += listed.max(open);
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
            let all = self.pair(w[0], w[1])?.df();
            let mut readings = self.readings(w[0], w[1]);
            // Offered: a reading with diacritics.
            readings.retain(|r| r.words != (w[0].folded.as_str(), w[1].folded.as_str()));
            readings.sort_by_key(|r| std::cmp::Reverse(r.postings.df()));
            let (first, second) = readings.first()?.words;
            let top = readings.first()?.postings;
            let next = readings.get(1).map_or(0, |r| r.postings.df());
            if top.df() < 2 * next || 2 * top.df() < all {
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
            let docs = p.map(|p| Scored::whole(p.docs.iter().map(|&d| (d, p.idf))));
            let docs: Scored = docs.unwrap_or_default();
            parts.push(Part {
                cost: docs.known.len() as u64,
                scores: docs,
                plain_term: false,
            });
        }
        if clauses.is_empty() {
            // Filters alone: every match scores alike, newest first.
            for part in &mut parts {
                part.scores
                    .known
                    .iter_mut()
                    .for_each(|s| s.1 = Bounds::exact(0.0));
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
                let cost = u64::from(text.df());
                let title = self.postings(&key(word, field::TITLE));
                let mut scores = self.term_scores(text, self.average[TEXT], 1.0);
                // The text's tail bounds the whole clause there: the
                // title's head lists the title of every document in the
                // text's head.
                let averages = [self.average[TEXT], self.average[TITLE]];
                scores.rest = (text.tail.as_ref()).map(|t| match t.parts.first() {
                    Some(part) => margin(tier::word_bound(text, title, part.top, averages)),
                    None => f32::INFINITY,
                });
                match title {
                    Some(title) => {
                        let mut title = self.term_scores(title, self.average[TITLE], 2.0);
                        title.rest = None;
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
                    cost: u64::from(p.df()),
                    scores: self.term_scores(p, self.average[NUMBERS], 1.0),
                    plain_term: false,
                },
                None => Part::default(),
            },
            Clause::Phrase(tokens) => self.phrase(tokens),
        }
    }

    /// The scores of a list's entries; a pair's tail bounds what it adds
    /// by its largest count. (A word's clause bounds its own, see
    /// [`Session::clause`].)
    fn term_scores(&self, p: &Postings, average: f32, boost: f32) -> Scored {
        let bm25 = Bm25::new(p.idf, average, boost);
        if p.norms.is_empty() {
            let scores = p.tfs.iter().map(|&tf| bm25.score_flat(tf));
            return Scored {
                rest: (p.tail.as_ref()).map(|t| match t.parts.first() {
                    Some(part) => margin(bm25.score_flat(part.top[0])),
                    // A union of readings, open: unknown.
                    None => f32::INFINITY,
                }),
                ..Scored::whole(p.docs.iter().copied().zip(scores))
            };
        }
        let scores = p
            .tfs
            .iter()
            .zip(&p.norms)
            .map(|(&tf, &n)| bm25.score(n, tf));
        Scored::whole(p.docs.iter().copied().zip(scores))
    }

    /// Documents in which each word is followed by the next: every pair of
    /// the phrase, each scored by BM25 of its count (pairs have no norms:
    /// as in a document of average length).
    fn phrase(&self, tokens: &[Token]) -> Part {
        let mut result: Option<Scored> = None;
        for w in tokens.windows(2) {
            let Some(p) = self.pair(&w[0], &w[1]) else {
                return Part::default();
            };
            let scores = self.term_scores(&p, 1.0, 1.0);
            result = Some(match result {
                None => scores,
                Some(so_far) => intersect(&so_far, &scores),
            });
        }
        let scores = result.unwrap_or_default();
        Part {
            cost: scores.known.len() as u64,
            scores,
            plain_term: false,
        }
    }

    fn hit(&self, doc: u32, score: f32, clauses: &[Clause]) -> Hit {
        let file = self.docs.get(&doc).cloned().unwrap_or_default();
        file.into_hit(score, clauses)
    }
}

/// A reading of a pair of words in a chunk: its key, its two words as
/// written, its postings.
struct Reading<'a> {
    key: &'a str,
    words: (&'a str, &'a str),
    postings: &'a Postings,
}

/// Whether a reading's word agrees with the word as typed: any reading
/// when typed without diacritics, else the same.
fn agree(typed: &Token, reading: &str) -> bool {
    query::typed_plain(typed) || typed.exact == reading
}

/// A bound made safe from rounding: the reader adds in its own order what
/// the export's bound added in another.
fn margin(bound: f32) -> f32 {
    bound * (1.0 + 1e-5) + 1e-6
}

/// How many of a query's pairs each match holds, at least and at most, and
/// at most for documents not listed.
struct Held {
    each: Vec<(u32, u32)>,
    unlisted: u32,
}

/// The ranking of `matches` (most pairs held, then highest score, ties to
/// the lower document) when it is known as far as `wanted` results, and
/// how many surely match; `None` if documents not known exactly may rank
/// among the first `wanted`.
/// `force`: rank what is listed by what is known of it.
fn decide(
    matches: &Scored,
    held: &Held,
    wanted: usize,
    force: bool,
) -> Option<(Vec<RankedDoc>, usize)> {
    let mut ranked = Vec::new();
    let mut open = Vec::new();
    let mut sure = 0;
    for (&(doc, b), &(lo, hi)) in matches.known.iter().zip(&held.each) {
        sure += usize::from(b.sure);
        if force || (b.sure && b.exact && lo == hi) {
            ranked.push((lo, b.lo, doc));
        } else {
            open.push((hi, margin(b.hi)));
        }
    }
    if let Some(rest) = matches.rest {
        open.push((held.unlisted, rest));
    }
    // Most pairs first, then highest score; ties to the lower document
    // (newest).
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    if !open.is_empty() && wanted > 0 && !force {
        let &(held, score, _) = ranked.get(wanted - 1)?;
        let below = |&(h, s): &(u32, f32)| h < held || (h == held && s < score);
        if !open.iter().all(below) {
            return None;
        }
    }
    Some((ranked, sure))
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

/// Postings of documents in any of `lists` (a pair's readings, which
/// carry no norms), their counts added; the idf of the union.
fn union(lists: &[&Postings], docs: u32) -> Postings {
    let mut out = Postings::default();
    for p in lists {
        let (mut i, mut j) = (0, 0);
        let mut next = Postings::default();
        while i < out.docs.len() || j < p.docs.len() {
            let take_out = j == p.docs.len() || (i < out.docs.len() && out.docs[i] <= p.docs[j]);
            let take_p = i == out.docs.len() || (j < p.docs.len() && p.docs[j] <= out.docs[i]);
            let (doc, mut tf) = if take_out {
                (out.docs[i], out.tfs[i])
            } else {
                (p.docs[j], 0)
            };
            if take_out {
                i += 1;
            }
            if take_p {
                tf += p.tfs[j];
                j += 1;
            }
            next.docs.push(doc);
            next.tfs.push(tf);
        }
        out = next;
    }
    out.idf = idf(out.docs.len() as u64, u64::from(docs));
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
    use crate::pack::{RECORD_ALIGN, encode_entry};

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
                    ..Postings::default()
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
            chunks: vec![super::super::ChunkPlace {
                record: Record(0, 0, 100),
                ..Default::default()
            }],
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
                            Some(Pending::Tail(..)) => "tail",
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

    /// Four documents with the word `a`, in two groups of two, whose
    /// tables are one `shared` record or one each.
    fn two_groups(shared: bool) -> (Session, impl Fn(&Fetch) -> Vec<u8>) {
        let mut chunk = Vec::new();
        let p = Postings {
            idf: 1.0,
            docs: vec![0, 1, 2, 3],
            tfs: vec![1; 4],
            norms: vec![10; 4],
            tail: None,
        };
        encode_entry(&mut chunk, &key("a", field::TEXT), &p);
        let doc = |n: u32| {
            let mut json = serde_json::to_vec(&DocFile {
                title: format!("doc {n}"),
                ..DocFile::default()
            })
            .unwrap();
            // Records are aligned; JSON takes the spaces.
            json.resize(json.len().next_multiple_of(RECORD_ALIGN as usize), b' ');
            json
        };
        let docs: Vec<Vec<u8>> = (0..4).map(doc).collect();
        let table = |docs: &[Vec<u8>]| {
            let lengths: Vec<u32> = docs.iter().map(|d| d.len() as u32).collect();
            crate::pack::encode_table(&lengths).unwrap()
        };
        let tables = [table(&docs[..2]), table(&docs[2..])];
        let (t0, t1) = (tables[0].len() as u32, tables[1].len() as u32);
        let records = match shared {
            true => [Record(3, 0, t0 + t1); 2],
            false => [Record(3, 0, t0), Record(3, u64::from(t0), t1)],
        };
        let chunk_len = chunk.len() as u32;
        let s = Session::new(PackMeta {
            version: VERSION,
            docs: 4,
            tokens: [40; 4],
            files: ["t.terms", "d0.docs", "d1.docs", "g.tables"]
                .map(String::from)
                .to_vec(),
            chunks: vec![super::super::ChunkPlace {
                record: Record(0, 0, chunk_len),
                ..Default::default()
            }],
            groups: records
                .iter()
                .enumerate()
                .map(|(i, &table)| super::super::Group {
                    file: i as u32 + 1,
                    docs: 2,
                    table,
                })
                .collect(),
        });
        let files = [docs[..2].concat(), docs[2..].concat(), tables.concat()];
        let bytes = move |f: &Fetch| {
            let file = match f.url.as_str() {
                "t.terms" => &chunk,
                "d0.docs" => &files[0],
                "d1.docs" => &files[1],
                _ => &files[2],
            };
            file[f.start as usize..f.end as usize].to_vec()
        };
        (s, bytes)
    }

    #[test]
    fn shared_tables_come_with_the_chunks_others_when_needed() {
        let request = Request {
            query: "a".into(),
            limit: 3,
            ..Request::default()
        };
        let (mut small, bytes) = two_groups(true);
        assert_eq!(
            rounds(&mut small, &request, &bytes),
            [vec!["chunk", "table"], vec!["doc", "doc", "doc"]]
        );
        let (mut large, bytes) = two_groups(false);
        assert_eq!(
            rounds(&mut large, &request, &bytes),
            [
                vec!["chunk"],
                vec!["table", "table"],
                vec!["doc", "doc", "doc"]
            ]
        );
        let more = Request {
            offset: 3,
            ..request
        };
        for s in [&mut small, &mut large] {
            assert_eq!(
                rounds(s, &more, &bytes),
                [vec!["doc"]],
                "the group's table is known now"
            );
        }
        for mut s in [small, large] {
            let Step::Done(results) = s.step(&more).unwrap() else {
                panic!("everything was fetched");
            };
            assert_eq!(results.hits[0].title, "doc 3");
        }
    }

    /// A pack of `n` documents where the words `a` and `b` are common (in
    /// titles too) and often stand together, its long lists tiered as the
    /// export tiers them; its one chunk's tails follow it in file 0.
    fn tiered(n: u32) -> (Session, Vec<u8>) {
        let mut seed = 7u64;
        let mut next = move |m: u32| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % u64::from(m)) as u32
        };
        let mut lists: [Postings; 5] = Default::default();
        let mut pair_norms = Vec::new();
        for doc in 0..n {
            let norm = 20 + next(80) as u8;
            let a = next(4) > 0;
            let b = next(3) > 0;
            for (i, has) in [(0, a), (1, b)] {
                if has {
                    let l = &mut lists[i];
                    l.docs.push(doc);
                    l.tfs.push(1 + next(6));
                    l.norms.push(norm);
                }
            }
            if a && next(5) == 0 {
                lists[2].docs.push(doc);
                lists[2].tfs.push(1);
                lists[2].norms.push(3 + next(5) as u8);
            }
            if a && b && next(2) == 0 {
                lists[3].docs.push(doc);
                lists[3].tfs.push(1 + next(3));
                pair_norms.push(norm);
            }
            if next(10) == 0 {
                lists[4].docs.push(doc);
            }
        }
        for l in &mut lists {
            l.idf = idf(l.docs.len() as u64, u64::from(n));
        }
        let tokens = [60 * u64::from(n), 5 * u64::from(n), 1, 1];
        let averages = [60.0, 5.0];
        let pair = tier::tier_pair(&lists[3], &pair_norms, averages[0], tier::HEAD + 1)
            .expect("a b is common");
        let mut entries = vec![(key("a b", field::PAIRS), pair.head, pair.rests)];
        let (title, text) = (&lists[2], &lists[0]);
        let (t, h) =
            tier::tier_word(text, Some(title), averages, tier::HEAD + 1).expect("a is common");
        let h = h.expect("a is in titles");
        entries.push((key("a", field::TITLE), h.head, h.rests));
        entries.push((key("a", field::TEXT), t.head, t.rests));
        let (b, _) =
            tier::tier_word(&lists[1], None, averages, tier::HEAD + 1).expect("b is common");
        entries.push((key("b", field::TEXT), b.head, b.rests));
        entries.push((key("2024", field::YEAR), lists[4].clone(), Vec::new()));
        entries.sort_by(|x, y| x.0.cmp(&y.0));
        let mut tails = Vec::new();
        for (_, head, rests) in &mut entries {
            let Some(tail) = head.tail.as_mut() else {
                continue;
            };
            for (part, rest) in tail.parts.iter_mut().zip(rests.iter()) {
                let bytes = crate::pack::encode_tail(rest);
                part.start = tails.len() as u32;
                part.len = bytes.len() as u32;
                tails.extend(bytes);
            }
        }
        let mut file = Vec::new();
        for (k, head, _) in &entries {
            encode_entry(&mut file, k, head);
        }
        let chunk = file.len() as u32;
        file.extend(tails);
        let s = Session::new(PackMeta {
            version: VERSION,
            docs: n,
            tokens,
            files: vec!["c.terms".into()],
            chunks: vec![super::super::ChunkPlace {
                record: Record(0, 0, chunk),
                tails: file.len() as u32 - chunk,
                ..Default::default()
            }],
            groups: vec![],
        });
        (s, file)
    }

    /// The ranking of `request` and the rounds it took.
    fn ranking(
        s: &mut Session,
        file: &[u8],
        request: &Request,
    ) -> (Vec<(u32, f32, u32)>, usize, bool, usize) {
        let clauses = query::parse(&request.query);
        let filters = filter_keys(request);
        let runs = runs(&clauses);
        for round in 0..4 {
            let need = s.need_chunks(&clauses, &runs, &filters).unwrap();
            let need = match need.is_empty() {
                false => need,
                true => match s.rank(request, &clauses, &runs, &filters).unwrap() {
                    Ranking::Need(need) => need,
                    Ranking::Ranked {
                        ranked,
                        total,
                        estimated,
                    } => {
                        let page = ranked.into_iter().skip(request.offset).take(request.limit);
                        return (page.collect(), total, estimated, round);
                    }
                },
            };
            for f in need {
                s.add(&f, &file[f.start as usize..f.end as usize]).unwrap();
            }
        }
        panic!("{request:?}: more than 3 rounds");
    }

    #[test]
    fn heads_rank_as_whole_lists_do() {
        let mut decided_by_heads = 0;
        for query in [
            "a",
            "b",
            "a b",
            "b a",
            "A B",
            "\"a b\"",
            "a \"a b\"",
            "b 2024",
        ] {
            for (offset, year) in [(0, None), (10, None), (200, None), (0, Some(2024))] {
                let request = Request {
                    query: query.into(),
                    limit: 10,
                    offset,
                    year,
                    ..Request::default()
                };
                let (mut heads, file) = tiered(6000);
                let (mut whole, _) = tiered(6000);
                let got = ranking(&mut heads, &file, &request);
                let exact = Request {
                    exact: true,
                    ..request.clone()
                };
                let want = ranking(&mut whole, &file, &exact);
                assert_eq!(
                    got.0, want.0,
                    "{request:?}: the same results in the same order"
                );
                assert!(!want.2, "read whole, counts are exact");
                if got.2 {
                    let (est, real) = (got.1 as f64, want.1 as f64);
                    // A filter of a tenth of the archive leaves a few of
                    // the sketches' 64 samples: a rougher estimate.
                    let within = if year.is_some() { 0.5 } else { 0.25 };
                    assert!(
                        (est - real).abs() <= within * real,
                        "{request:?}: {est} for {real}"
                    );
                } else {
                    assert_eq!(got.1, want.1, "{request:?}");
                }
                decided_by_heads += usize::from(got.3 == 1);
            }
        }
        assert!(
            decided_by_heads >= 10,
            "{decided_by_heads} queries without tails"
        );
    }

    #[test]
    fn pairs_match_as_typed() {
        let s = session(&[
            ("dat dai", &[4, 8]),
            ("dat dai|đất đai", &[1, 2, 4]),
            ("dat dai|đạt đại", &[3]),
            ("kinh te|kinh tế", &[5]),
            ("kinh te|kính tế", &[6]),
        ]);
        let docs = |q: &str| {
            let t = tokens(q);
            s.pair(&t[0], &t[1]).map(|p| p.docs).unwrap_or_default()
        };
        assert_eq!(docs("dat dai"), [1, 2, 3, 4, 8], "every reading");
        assert_eq!(docs("DAT DAI"), [1, 2, 3, 4, 8]);
        assert_eq!(docs("đất đai"), [1, 2, 4]);
        assert_eq!(docs("đất dai"), [1, 2, 4]);
        assert_eq!(docs("dat đại"), [3]);
        assert_eq!(docs("kinh tế"), [5, 6], "kinh typed plain: every reading");
        assert_eq!(docs("kính tế"), [6]);
        assert_eq!(docs("kinh tê"), Vec::<u32>::new());
        assert_eq!(docs("tế kinh"), Vec::<u32>::new());
    }

    #[test]
    fn a_union_of_readings_adds_their_counts() {
        let list = |docs: &[u32], tfs: &[u32]| Postings {
            idf: 0.0,
            docs: docs.to_vec(),
            tfs: tfs.to_vec(),
            ..Postings::default()
        };
        let a = list(&[1, 4, 9], &[1, 2, 1]);
        let b = list(&[2, 4], &[1, 1]);
        let c = list(&[0, 9], &[3, 1]);
        let u = union(&[&a, &b, &c], 100);
        assert_eq!(u.docs, [0, 1, 2, 4, 9]);
        assert_eq!(u.tfs, [3, 1, 1, 3, 2]);
        assert_eq!(u.idf, idf(5, 100));
    }

    #[test]
    fn a_dominant_reading_is_offered() {
        let s = session(&[
            ("dat dai|đất đai", &[1, 2, 4, 5]),
            ("dat dai|đạt đại", &[3]),
            ("dai hoi|đại hội", &[1, 3]),
            ("dai hoi|dài hồi", &[7]),
            ("van hoa|văn hóa", &[1, 2]),
            ("van hoa|vạn hoa", &[3, 4]),
            ("nuoc sach", &[1, 2, 3, 4, 5, 6]),
            ("nuoc sach|nước sạch", &[7, 8]),
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
        assert_eq!(
            s.accented(&words("nuoc sach")),
            None,
            "most of the archive writes it without diacritics"
        );
        assert_eq!(s.accented(&words("đất đai")), None, "typed with diacritics");
        assert_eq!(s.accented(&words("dat")), None, "one word");
        assert_eq!(s.accented(&words("\"dat dai\"")), None);
    }
}
