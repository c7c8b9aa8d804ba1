//! Postings tiered by impact: a long list is stored as its *head* (the
//! [`HEAD`] documents where the key scores most, in the chunk) and its
//! *tail* (the rest, a record of its own after the chunk's), so that what a
//! query fetches first does not grow with the archive. The head says what
//! the tail can add at most ([`super::Tail::top`]); the reader fetches a
//! tail only when the heads cannot decide which documents come first
//! ([`super::Session`]).
//!
//! Counts of documents matching several lists are then estimated from a
//! sketch of each list (its [`SKETCH`] smallest [`doc_hash`]es: a *k
//! minimum values* sketch), as exact ones would need every list whole.

use super::scoring::Bm25;
use super::{Postings, Tail};

/// Documents in a list's head. At 100,000 documents a common word's list
/// is 30-50,000 long; its head is then about 2 KB gzip'd.
pub const HEAD: usize = 512;

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

/// A list cut in two: the head (with no tail yet) and the rest, each in
/// document order, and the place in `p` of the rest's best entry.
pub struct Split {
    /// The entries of highest impact.
    pub head: Postings,
    /// The others.
    pub rest: Postings,
    /// Where the best of the others is in the list cut.
    pub best: usize,
}

/// Cuts `p` after its [`HEAD`] entries of highest `impact` (ties to the
/// lower document, which ranks first); `None` when it is not longer.
pub fn split(p: &Postings, impact: &[f32]) -> Option<Split> {
    if p.docs.len() <= HEAD {
        return None;
    }
    let mut order: Vec<usize> = (0..p.docs.len()).collect();
    // Highest impact first; `order` starts in document order, so a tie
    // goes to the lower place.
    let first = |a: &usize, b: &usize| impact[*b].total_cmp(&impact[*a]).then(a.cmp(b));
    order.select_nth_unstable_by(HEAD, first);
    let best = order[HEAD];
    let mut in_head = vec![false; p.docs.len()];
    for &i in &order[..HEAD] {
        in_head[i] = true;
    }
    let (head, rest) = part(p, |i| in_head[i]);
    Some(Split { head, rest, best })
}

/// `p`'s entries where `keep` holds, and the others.
pub fn part(p: &Postings, keep: impl Fn(usize) -> bool) -> (Postings, Postings) {
    let mut out = [
        Postings {
            idf: p.idf,
            ..Postings::default()
        },
        Postings::default(),
    ];
    for i in 0..p.docs.len() {
        let o = &mut out[usize::from(!keep(i))];
        o.docs.push(p.docs[i]);
        if let Some(&tf) = p.tfs.get(i) {
            o.tfs.push(tf);
        }
        if let Some(&n) = p.norms.get(i) {
            o.norms.push(n);
        }
    }
    let [kept, others] = out;
    (kept, others)
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

/// A list cut into its head (whose [`Tail`] is to be placed: `start` and
/// `len` are the writer's) and the rest.
pub struct Tiered {
    /// The head, with its tail's description.
    pub head: Postings,
    /// The tail's entries.
    pub rest: Postings,
}

/// Cuts a word's text list after the documents where the word's clause
/// scores most, and its title list (if the word is in titles) after its
/// entries for those same documents: a document in the text's head has its
/// title there too, which is what lets a tail bound the whole clause.
pub fn tier_word(
    text: &Postings,
    title: Option<&Postings>,
    averages: [f32; 2],
) -> Option<(Tiered, Option<Tiered>)> {
    let impacts = word_impacts(text, title, averages);
    let Split { head, rest, best } = split(text, &impacts)?;
    let top = word_top(text, title, best);
    let title = title.and_then(|t| {
        let (head_part, rest) = part(t, |i| head.docs.binary_search(&t.docs[i]).is_ok());
        (!rest.docs.is_empty()).then(|| Tiered {
            head: Postings {
                tail: Some(Tail {
                    df: t.docs.len() as u32,
                    ..Tail::default()
                }),
                ..head_part
            },
            rest,
        })
    });
    let text = Tiered {
        head: Postings {
            tail: Some(tail_of(text, top)),
            ..head
        },
        rest,
    };
    Some((text, title))
}

/// Cuts a pair's list after the documents where it counts most against
/// the length of their text (`text_norms`, one per entry): those where the
/// query's words score most, whose pairs must be in the head too.
pub fn tier_pair(pair: &Postings, text_norms: &[u8], average_text: f32) -> Option<Tiered> {
    let bm25 = Bm25::new(1.0, average_text, 1.0);
    let impacts: Vec<f32> = (0..pair.docs.len())
        .map(|i| bm25.score(text_norms[i], pair.tfs[i]))
        .collect();
    let Split { head, rest, .. } = split(pair, &impacts)?;
    let most = rest.tfs.iter().copied().max().unwrap_or(0);
    Some(Tiered {
        head: Postings {
            tail: Some(tail_of(pair, [most, 0, 0, 0])),
            ..head
        },
        rest,
    })
}

/// The tail of the list `whole`, before its record is placed.
fn tail_of(whole: &Postings, top: [u32; 4]) -> Tail {
    Tail {
        df: whole.docs.len() as u32,
        top,
        sketch: sketch(&whole.docs),
        ..Tail::default()
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
        assert_eq!(s.head.docs.len() + s.rest.docs.len(), 2000);
        assert!(s.head.docs.is_sorted() && s.rest.docs.is_sorted());
        let lowest_in_head = s
            .head
            .docs
            .iter()
            .map(|d| impact[(d / 3) as usize])
            .fold(f32::MAX, f32::min);
        let best_rest = impact[s.best];
        assert!(
            s.rest
                .docs
                .iter()
                .all(|d| impact[(d / 3) as usize] <= best_rest)
        );
        assert!(best_rest <= lowest_in_head);
        let top = word_top(&p, None, s.best);
        assert_eq!(word_bound(&p, None, top, [20.0, 5.0]), best_rest);
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
