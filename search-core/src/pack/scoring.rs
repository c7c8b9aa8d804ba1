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

/// Scores of one clause, by document (ascending).
pub(crate) type Scored = Vec<(u32, f32)>;

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
/// tantivy's, to the bit, which `tests/search_pack.rs` checks).
pub(crate) fn combine(mut parts: Vec<Part>) -> Scored {
    if parts.len() == 1 {
        return parts.remove(0).scores;
    }
    parts.sort_by_key(|p| p.cost);
    let left_fold = parts.iter().all(|p| p.plain_term);
    let mut parts = parts.into_iter();
    let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
        return Vec::new();
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
            None => part.scores.iter().map(|&(d, s)| (d, 0.0 + s)).collect(),
            Some(so_far) => intersect(&so_far, &part.scores),
        });
    }
    match rest {
        Some(rest) => intersect(&result, &rest),
        None => result,
    }
}

/// Documents in both lists (ascending), their scores added.
pub(crate) fn intersect(a: &Scored, b: &Scored) -> Scored {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// `required`, plus `optional`'s score where it also matches.
pub(crate) fn with_optional(required: &Scored, optional: &Scored) -> Scored {
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
    fn optional_scores_add_where_they_match() {
        let required = vec![(1, 1.0), (4, 2.0), (9, 3.0)];
        let optional = vec![(0, 5.0), (4, 0.5)];
        assert_eq!(
            with_optional(&required, &optional),
            vec![(1, 1.0), (4, 2.5), (9, 3.0)]
        );
        assert_eq!(intersect(&required, &optional), vec![(4, 2.5)]);
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
