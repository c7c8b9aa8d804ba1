//! BM25 as tantivy computes it, and the combination of scored lists.

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

/// tantivy's idf (`query::bm25::idf`, not public), in the same f32 steps:
/// the export computes it, and the reader for unions of readings.
pub fn idf(doc_freq: u64, docs: u64) -> f32 {
    let x = ((docs - doc_freq.min(docs)) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// BM25 as tantivy computes it (`Bm25Weight`), operation for operation.
pub(crate) struct Bm25 {
    weight: f32,
    average: f32,
}

impl Bm25 {
    pub(crate) fn new(idf: f32, average: f32, boost: f32) -> Bm25 {
        let weight = idf * (1.0 + K1);
        let weight = if boost == 1.0 { weight } else { weight * boost };
        Bm25 { weight, average }
    }

    pub(crate) fn score(&self, norm: u8, tf: u32) -> f32 {
        let cache = K1 * (1.0 - B + B * fieldnorm(norm) as f32 / self.average);
        let tf = tf as f32;
        self.weight * (tf / (tf + cache))
    }

    /// The score of `tf` in a document of average length: for postings
    /// without norms.
    pub(crate) fn score_flat(&self, tf: u32) -> f32 {
        let tf = tf as f32;
        self.weight * (tf / (tf + K1))
    }
}

/// What is known of a document's score in a list: at least `lo`, at most
/// `hi`; whether it surely is in the list, and whether `lo` is its score.
/// Lists read whole give exact entries, whose `lo` is computed operation
/// for operation as tantivy computes scores; heads ([`super::tier`]) leave
/// some unknown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bounds {
    pub(crate) lo: f32,
    pub(crate) hi: f32,
    pub(crate) sure: bool,
    pub(crate) exact: bool,
}

impl Bounds {
    pub(crate) fn exact(score: f32) -> Bounds {
        Bounds {
            lo: score,
            hi: score,
            sure: true,
            exact: true,
        }
    }

    fn plus(self, other: Bounds) -> Bounds {
        Bounds {
            lo: self.lo + other.lo,
            hi: self.hi + other.hi,
            sure: self.sure && other.sure,
            exact: self.exact && other.exact,
        }
    }

    /// In a list whose unlisted documents score at most `up_to`, as one
    /// of them: perhaps in it.
    fn perhaps(self, up_to: f32) -> Bounds {
        Bounds {
            lo: self.lo,
            hi: self.hi + up_to,
            sure: false,
            exact: false,
        }
    }
}

/// Scores of one clause, by document (ascending), and what a document not
/// listed may score: `rest` is `None` when the list is whole (an unlisted
/// document is not in it), else the most its tail adds.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Scored {
    pub(crate) known: Vec<(u32, Bounds)>,
    pub(crate) rest: Option<f32>,
}

impl Scored {
    /// A whole list of exact scores.
    pub(crate) fn whole(scores: impl IntoIterator<Item = (u32, f32)>) -> Scored {
        Scored {
            known: scores
                .into_iter()
                .map(|(d, s)| (d, Bounds::exact(s)))
                .collect(),
            rest: None,
        }
    }
}

/// A clause or filter: its matches, and the order its scores are added in.
#[derive(Default)]
pub(crate) struct Part {
    pub(crate) scores: Scored,
    /// tantivy's `Scorer::cost`: parts are intersected cheapest first.
    pub(crate) cost: u64,
    /// A bare term scorer with frequencies: tantivy intersects those with
    /// block-max WAND, which adds scores in another order.
    pub(crate) plain_term: bool,
}

/// The documents of every part, their scores added in the order tantivy
/// adds them (float addition is not associative: word queries score as
/// tantivy's, to the bit).
pub(crate) fn combine(mut parts: Vec<Part>) -> Scored {
    if parts.len() == 1 {
        return parts.remove(0).scores;
    }
    parts.sort_by_key(|p| p.cost);
    let left_fold = parts.iter().all(|p| p.plain_term);
    let mut parts = parts.into_iter();
    let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
        return Scored::default();
    };
    let mut result = intersect(&first.scores, &second.scores);
    if left_fold {
        // tantivy's block-max intersection of term scorers.
        for part in parts {
            result = intersect(&result, &part.scores);
        }
        return result;
    }
    // `Intersection::score`: the first two, plus the sum of the others.
    let mut rest: Option<Scored> = None;
    for part in parts {
        rest = Some(match rest {
            None => {
                let zero = Bounds::exact(0.0);
                Scored {
                    known: part
                        .scores
                        .known
                        .iter()
                        .map(|&(d, s)| (d, zero.plus(s)))
                        .collect(),
                    rest: part.scores.rest.map(|r| 0.0 + r),
                }
            }
            Some(so_far) => intersect(&so_far, &part.scores),
        });
    }
    match rest {
        Some(rest) => intersect(&result, &rest),
        None => result,
    }
}

/// Which of two lists walked in document order has the next document:
/// `Less` the first, `Greater` the second, `Equal` both.
fn next(a: Option<&(u32, Bounds)>, b: Option<&(u32, Bounds)>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.0.cmp(&y.0),
        (Some(_), None) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Greater,
    }
}

/// Documents in both lists (ascending), their scores added; with a head,
/// those that may be in both.
pub(crate) fn intersect(a: &Scored, b: &Scored) -> Scored {
    let (a_rest, b_rest) = (a.rest, b.rest);
    let mut known = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (a, b) = (&a.known, &b.known);
    while i < a.len() || j < b.len() {
        match next(a.get(i), b.get(j)) {
            std::cmp::Ordering::Less => {
                if let Some(r) = b_rest {
                    known.push((a[i].0, a[i].1.perhaps(r)));
                }
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                if let Some(r) = a_rest {
                    known.push((b[j].0, b[j].1.perhaps(r)));
                }
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                known.push((a[i].0, a[i].1.plus(b[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    Scored {
        known,
        rest: a_rest.zip(b_rest).map(|(x, y)| x + y),
    }
}

/// `required`, plus `optional`'s score where it also matches.
pub(crate) fn with_optional(required: &Scored, optional: &Scored) -> Scored {
    let mut known = Vec::with_capacity(required.known.len());
    let (r, o) = (&required.known, &optional.known);
    let (mut i, mut j) = (0, 0);
    while i < r.len() || j < o.len() {
        match next(r.get(i), o.get(j)) {
            std::cmp::Ordering::Less => {
                let mut s = r[i].1;
                if let Some(extra) = optional.rest {
                    s.hi += extra;
                    s.exact = false;
                }
                known.push((r[i].0, s));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                if let Some(x) = required.rest {
                    let mut s = o[j].1.perhaps(x);
                    s.lo = 0.0;
                    known.push((o[j].0, s));
                }
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                known.push((r[i].0, r[i].1.plus(o[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    Scored {
        known,
        rest: required.rest.map(|x| x + optional.rest.unwrap_or(0.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lo(s: &Scored) -> Vec<(u32, f32)> {
        s.known.iter().map(|&(d, b)| (d, b.lo)).collect()
    }

    #[test]
    fn optional_scores_add_where_they_match() {
        let required = Scored::whole([(1, 1.0), (4, 2.0), (9, 3.0)]);
        let optional = Scored::whole([(0, 5.0), (4, 0.5)]);
        let both = with_optional(&required, &optional);
        assert_eq!(lo(&both), [(1, 1.0), (4, 2.5), (9, 3.0)]);
        assert!(both.known.iter().all(|e| e.1.exact && e.1.sure));
        assert_eq!(lo(&intersect(&required, &optional)), [(4, 2.5)]);
    }

    #[test]
    fn a_head_leaves_what_it_does_not_list_open() {
        let head = Scored {
            rest: Some(0.5),
            ..Scored::whole([(1, 2.0), (4, 3.0)])
        };
        let whole = Scored::whole([(1, 1.0), (7, 1.0)]);
        let both = intersect(&head, &whole);
        assert_eq!(lo(&both), [(1, 3.0), (7, 1.0)]);
        assert!(both.known[0].1.exact && both.known[0].1.sure);
        let seven = both.known[1].1;
        assert!(!seven.sure && seven.hi == 1.5, "7 may be in the tail");
        assert_eq!(both.rest, None, "not in the whole list: not a match");
        let title = with_optional(&whole, &head);
        assert_eq!(title.known[1].1.hi, 1.5, "7's title may be in the tail");
        assert!(title.known[1].1.sure && !title.known[1].1.exact);
    }

    #[test]
    fn rarer_terms_weigh_more() {
        assert!(idf(1, 1000) > idf(10, 1000));
        let bm25 = Bm25::new(1.0, 10.0, 1.0);
        assert!(bm25.score(10, 2) > bm25.score(10, 1));
        assert!(
            bm25.score(5, 1) > bm25.score(40, 1),
            "shorter texts weigh more"
        );
    }
}
