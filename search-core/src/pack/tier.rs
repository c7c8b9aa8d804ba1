//! Postings tiered by impact: a long list is stored as its *head* (the
//! [`HEAD`] documents where the key scores most, in the chunk) and its
//! *tail* in parts (the next [`FIRST_PART`], then the rest; each a record of
//! its own right after the chunk's), so that what a query fetches first
//! does not grow with the archive. The head says what each part can add at
//! most ([`super::TailPart::top`]); the reader fetches the next part only
//! when the parts at hand cannot decide which documents come first
//! ([`super::Session`]).
//!
//! Counts of documents matching several lists are then estimated from a
//! sketch of each list (its [`SKETCH`] smallest [`doc_hash`]es: a *k
//! minimum values* sketch), as exact ones would need every list whole.

use super::scoring::Bm25;
use super::{Postings, Tail, TailPart};

/// Documents in a list's head. At 100,000 documents a common word's list
/// is 30-50,000 long; its head is then about 2 KB gzip'd.
pub const HEAD: usize = 512;

/// Lists from this long are tiered; shorter ones stay whole in their
/// chunk. A tier costs a query that needs the tail a round trip; a tail of
/// fewer documents is fewer bytes than that round moves on a slow phone
/// network ([`ROUND_BYTES`], about 12,000 entries gzip'd), so
/// a small archive reads whole lists, as fast as before tiers, and a large
/// one reads heads. `KETLUAN_TIERS_FROM` overrides it, for tests on small
/// archives ([`tiers_from`]).
pub const TIERS_FROM: usize = 8192;

/// [`TIERS_FROM`], or the length `KETLUAN_TIERS_FROM` gives (at least a
/// head and one more).
pub fn tiers_from() -> usize {
    std::env::var("KETLUAN_TIERS_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(TIERS_FROM, |n: usize| n.max(HEAD + 1))
}

/// Bytes a round trip moves on a slow phone network (150 ms at 1.6
/// Mbit/s): tails left smaller than that come in one round, not part by
/// part.
pub const ROUND_BYTES: u64 = 30 * 1024;

/// Hashes in a sketch: a count of documents holding words that go together
/// (most of a list's documents in the others) is estimated within about
/// 5-10%; of unrelated words, 20-40%.
pub const SKETCH: usize = 64;

/// A document's place in sketches: MurmurHash3's finaliser, a bijection of
/// `u32` that looks random. (A multiplicative hash alone does not: the
/// smallest of `n * odd` fall on numbers of a few residues, and a sketch of
/// the even documents and one of the multiples of three then share almost
/// none.)
pub fn doc_hash(doc: u32) -> u32 {
    let mut h = doc;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// The sketch of `docs`: its [`SKETCH`] smallest hashes, ascending (all of
/// them when it has fewer).
pub fn sketch(docs: &[u32]) -> Vec<u32> {
    let mut hashes: Vec<u32> = docs.iter().map(|&d| doc_hash(d)).collect();
    // A list's documents differ, and so do their hashes: no repeats to
    // drop, and no need to sort them all.
    if hashes.len() > SKETCH {
        hashes.select_nth_unstable(SKETCH - 1);
        hashes.truncate(SKETCH);
    }
    hashes.sort_unstable();
    hashes
}

/// Keeps the [`SKETCH`] smallest of `hashes`, sorted, without repeats.
pub(crate) fn smallest(hashes: &mut Vec<u32>) {
    hashes.sort_unstable();
    hashes.dedup();
    hashes.truncate(SKETCH);
}

/// How many documents are in every one of the lists whose sketches and
/// lengths are `sets`: exact while the lists together hold fewer than
/// [`SKETCH`] documents. Else the union's [`SKETCH`] smallest hashes are a
/// sample of every list (a hash that small in a list is in its sketch):
/// the share of a list's sampled documents that are in all, times its
/// length, taking the list whose share has the least variance (a list
/// inside all the others gives the exact count).
pub(crate) fn estimate(sets: &[(Vec<u32>, u32)]) -> f64 {
    let mut union: Vec<u32> = sets.iter().flat_map(|s| s.0.iter().copied()).collect();
    smallest(&mut union);
    let in_set = |h: &u32, s: &(Vec<u32>, u32)| s.0.binary_search(h).is_ok();
    let in_all = union
        .iter()
        .filter(|h| sets.iter().all(|s| in_set(h, s)))
        .count();
    if union.len() < SKETCH || in_all == 0 {
        return in_all as f64;
    }
    let c = in_all as f64;
    let best = sets
        .iter()
        .map(|s| {
            (
                union.iter().filter(|h| in_set(h, s)).count() as f64,
                f64::from(s.1),
            )
        })
        .min_by(|a, b| ((a.0 - c) / (a.0 * c)).total_cmp(&((b.0 - c) / (b.0 * c))));
    best.map_or(0.0, |(sampled, len)| len * c / sampled)
}

/// Entries in a tail's first part: when the heads cannot decide a query,
/// most queries are decided by these (the documents just below the heads),
/// and only a few read the rest.
pub const FIRST_PART: usize = 4 * HEAD;

/// A list cut by impact: the head and the tail's parts (the next
/// [`FIRST_PART`] entries, then the others), each in document order, and
/// the place in the list of each part's best entry.
pub struct Split {
    /// The entries of highest impact.
    pub head: Postings,
    /// The others, in parts.
    pub parts: Vec<Postings>,
    /// Where each part's best entry is in the list cut.
    pub bests: Vec<usize>,
}

/// Cuts `p` after its [`HEAD`] entries of highest `impact` (ties to the
/// lower document, which ranks first), and its tail after the next
/// [`FIRST_PART`]; `None` when it is no longer than a head.
pub fn split(p: &Postings, impact: &[f32]) -> Option<Split> {
    let n = p.docs.len();
    if n <= HEAD {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    // Highest impact first; `order` starts in document order, so a tie
    // goes to the lower place.
    let first = |a: &usize, b: &usize| impact[*b].total_cmp(&impact[*a]).then(a.cmp(b));
    order.select_nth_unstable_by(HEAD, first);
    let mut cuts = vec![0, HEAD];
    if n > HEAD + FIRST_PART {
        order[HEAD..].select_nth_unstable_by(FIRST_PART, first);
        cuts.push(HEAD + FIRST_PART);
    }
    cuts.push(n);
    let mut part_of = vec![0usize; n];
    let mut bests = Vec::new();
    for (k, w) in cuts.windows(2).enumerate() {
        let slice = &order[w[0]..w[1]];
        slice.iter().for_each(|&i| part_of[i] = k);
        if k > 0 {
            bests.extend(slice.iter().copied().min_by(first));
        }
    }
    let mut lists = parts(p, |i| part_of[i], cuts.len() - 1).into_iter();
    let head = lists.next()?;
    Some(Split {
        head,
        parts: lists.collect(),
        bests,
    })
}

/// `p`'s entries in `count` lists, each entry in list `which(i)`; the
/// first keeps the idf.
pub fn parts(p: &Postings, which: impl Fn(usize) -> usize, count: usize) -> Vec<Postings> {
    let mut out = vec![Postings::default(); count];
    out[0].idf = p.idf;
    for i in 0..p.docs.len() {
        let o = &mut out[which(i)];
        o.docs.push(p.docs[i]);
        if let Some(&tf) = p.tfs.get(i) {
            o.tfs.push(tf);
        }
        if let Some(&n) = p.norms.get(i) {
            o.norms.push(n);
        }
    }
    out
}

/// What a word's clause scores in each document of its text list: BM25 of
/// the text, plus that of the title (boosted) where the title has the
/// word, added as the reader adds them.
pub fn word_impacts(text: &Postings, title: Option<&Postings>, averages: [f32; 2]) -> Vec<f32> {
    let bm25 = Bm25::new(text.idf, averages[0], 1.0);
    let mut scores: Vec<f32> = (0..text.docs.len())
        .map(|i| bm25.score(text.norms[i], text.tfs[i]))
        .collect();
    if let Some(title) = title {
        let boosted = Bm25::new(title.idf, averages[1], 2.0);
        let mut j = 0;
        for (i, &doc) in text.docs.iter().enumerate() {
            while j < title.docs.len() && title.docs[j] < doc {
                j += 1;
            }
            if title.docs.get(j) == Some(&doc) {
                scores[i] += boosted.score(title.norms[j], title.tfs[j]);
            }
        }
    }
    scores
}

/// The bound a word's tail gives: what its clause scores at most in a
/// document of the tail (`top` as [`word_top`] made it).
pub(crate) fn word_bound(
    text: &Postings,
    title: Option<&Postings>,
    top: [u32; 4],
    averages: [f32; 2],
) -> f32 {
    let mut bound = Bm25::new(text.idf, averages[0], 1.0).score(top[1] as u8, top[0]);
    if let Some(title) = title.filter(|_| top[2] > 0) {
        bound += Bm25::new(title.idf, averages[1], 2.0).score(top[3] as u8, top[2]);
    }
    bound
}

/// [`super::Tail::top`] of a word whose tail's best entry is `best` in
/// `text`: its text frequency and norm, and its title's (zero without).
pub fn word_top(text: &Postings, title: Option<&Postings>, best: usize) -> [u32; 4] {
    let doc = text.docs[best];
    let in_title = title.and_then(|t| t.docs.binary_search(&doc).ok().map(|j| (t, j)));
    let (ttf, tnorm) = in_title.map_or((0, 0), |(t, j)| (t.tfs[j], u32::from(t.norms[j])));
    [text.tfs[best], u32::from(text.norms[best]), ttf, tnorm]
}

/// A list cut into its head (whose [`Tail`]'s parts are to be placed:
/// `start` and `len` are the writer's) and the tail's parts.
pub struct Tiered {
    /// The head, with its tail's description.
    pub head: Postings,
    /// The entries of each part of the tail.
    pub rests: Vec<Postings>,
}

/// Cuts a word's text list by what the word's clause scores, and its title
/// list (if the word is in titles) at the same documents: a document in a
/// part of the text has its title in the same part of the title, which is
/// what lets the text's bound bound the whole clause.
pub fn tier_word(
    text: &Postings,
    title: Option<&Postings>,
    averages: [f32; 2],
    from: usize,
) -> Option<(Tiered, Option<Tiered>)> {
    if text.docs.len() < from {
        return None;
    }
    let impacts = word_impacts(text, title, averages);
    let Split {
        head,
        parts: rests,
        bests,
    } = split(text, &impacts)?;
    let tops: Vec<[u32; 4]> = bests.iter().map(|&b| word_top(text, title, b)).collect();
    let count = rests.len() + 1;
    let title = title.map(|t| {
        // Which part of the text each title entry's document is in.
        let lists: Vec<&Postings> = std::iter::once(&head).chain(&rests).collect();
        let part: Vec<usize> = t
            .docs
            .iter()
            .map(|d| {
                let found = lists.iter().position(|l| l.docs.binary_search(d).is_ok());
                found.unwrap_or(0)
            })
            .collect();
        let mut split = parts(t, |i| part[i], count).into_iter();
        let title_head = split.next().unwrap_or_default();
        let rests: Vec<Postings> = split.collect();
        if rests.iter().all(|r| r.docs.is_empty()) {
            return Tiered {
                head: title_head,
                rests: Vec::new(),
            };
        }
        Tiered {
            head: Postings {
                tail: Some(Tail {
                    df: t.docs.len() as u32,
                    parts: vec![TailPart::default(); count - 1],
                    sketch: Vec::new(),
                }),
                ..title_head
            },
            rests,
        }
    });
    let text = Tiered {
        head: Postings {
            tail: Some(tail_of(text, tops)),
            ..head
        },
        rests,
    };
    Some((text, title))
}

/// Cuts a pair's list by its count against the length of the text
/// (`text_norms`, one per entry): the documents where the query's words
/// score most, whose pairs must be in the head too.
pub fn tier_pair(
    pair: &Postings,
    text_norms: &[u8],
    average_text: f32,
    from: usize,
) -> Option<Tiered> {
    if pair.docs.len() < from {
        return None;
    }
    let bm25 = Bm25::new(1.0, average_text, 1.0);
    let impacts: Vec<f32> = (0..pair.docs.len())
        .map(|i| bm25.score(text_norms[i], pair.tfs[i]))
        .collect();
    let Split {
        head, parts: rests, ..
    } = split(pair, &impacts)?;
    // A pair scores by its count alone: each part's bound is the largest
    // count from it on.
    let mut most = 0;
    let mut tops: Vec<[u32; 4]> = rests
        .iter()
        .rev()
        .map(|r| {
            most = most.max(r.tfs.iter().copied().max().unwrap_or(0));
            [most, 0, 0, 0]
        })
        .collect();
    tops.reverse();
    Some(Tiered {
        head: Postings {
            tail: Some(tail_of(pair, tops)),
            ..head
        },
        rests,
    })
}

/// The tail of the list `whole`, before its parts are placed.
fn tail_of(whole: &Postings, tops: Vec<[u32; 4]>) -> Tail {
    Tail {
        df: whole.docs.len() as u32,
        parts: tops
            .into_iter()
            .map(|top| TailPart {
                top,
                ..TailPart::default()
            })
            .collect(),
        sketch: sketch(&whole.docs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: u32) -> Postings {
        Postings {
            idf: 1.0,
            docs: (0..n).map(|d| d * 3).collect(),
            tfs: (0..n).map(|d| 1 + d % 7).collect(),
            norms: (0..n).map(|d| (d % 50) as u8).collect(),
            tail: None,
        }
    }

    #[test]
    fn the_head_holds_the_highest_impacts_in_document_order() {
        let p = list(2000);
        let impact = word_impacts(&p, None, [20.0, 5.0]);
        let s = split(&p, &impact).unwrap();
        assert_eq!(s.head.docs.len(), HEAD);
        assert_eq!(s.parts.len(), 1, "2,000 entries: a head and one part");
        let rest = &s.parts[0];
        assert_eq!(s.head.docs.len() + rest.docs.len(), 2000);
        assert!(s.head.docs.is_sorted() && rest.docs.is_sorted());
        let score = |p: &Postings| {
            p.docs
                .iter()
                .map(|d| impact[(d / 3) as usize])
                .collect::<Vec<f32>>()
        };
        let lowest_in_head = score(&s.head).into_iter().fold(f32::MAX, f32::min);
        let best_rest = impact[s.bests[0]];
        assert!(score(rest).into_iter().all(|i| i <= best_rest));
        assert!(best_rest <= lowest_in_head);
        let top = word_top(&p, None, s.bests[0]);
        assert_eq!(word_bound(&p, None, top, [20.0, 5.0]), best_rest);
        let long = list(5000);
        let impact = word_impacts(&long, None, [20.0, 5.0]);
        let s = split(&long, &impact).unwrap();
        let sizes: Vec<usize> = s.parts.iter().map(|p| p.docs.len()).collect();
        assert_eq!(sizes, [FIRST_PART, 5000 - HEAD - FIRST_PART]);
        let best = |p: &Postings| {
            let scores = p.docs.iter().map(|d| impact[(d / 3) as usize]);
            scores.fold(f32::MIN, f32::max)
        };
        assert_eq!(best(&s.parts[0]), impact[s.bests[0]]);
        assert_eq!(best(&s.parts[1]), impact[s.bests[1]]);
        assert!(best(&s.parts[1]) <= best(&s.parts[0]));
        assert!(split(&list(HEAD as u32), &[1.0; HEAD]).is_none());
    }

    #[test]
    fn counts_are_exact_when_small_and_close_when_large() {
        let evens: Vec<u32> = (0..40).map(|d| d * 2).collect();
        let threes: Vec<u32> = (0..30).map(|d| d * 3).collect();
        assert_eq!(
            estimate(&[(sketch(&evens), 40), (sketch(&threes), 30)]),
            14.0,
            "0, 6 … 78"
        );
        // Words that go together (most queries of several words): the
        // even documents of 600,000, and those with the multiples of 5.
        let a: Vec<u32> = (0..300_000).map(|d| d * 2).collect();
        let b: Vec<u32> = (0..600_000).filter(|d| d % 2 == 0 || d % 5 == 0).collect();
        let got = estimate(&[(sketch(&a), 300_000), (sketch(&b), 360_000)]);
        assert!((240_000.0..360_000.0).contains(&got), "{got} for 300,000");
        // Unrelated ones share a quarter of their union: the error grows
        // (one standard deviation is about 18% here).
        let c: Vec<u32> = (0..200_000).map(|d| d * 3).collect();
        let got = estimate(&[(sketch(&a), 300_000), (sketch(&c), 200_000)]);
        assert!((50_000.0..150_000.0).contains(&got), "{got} for 100,000");
        let one = estimate(&[(sketch(&a), 300_000)]);
        assert!((240_000.0..360_000.0).contains(&one), "{one}");
    }
}
