//! Citations between documents: each one [`crate::citation`] recognised,
//! resolved against the archive, and the per-document lists of what a
//! conclusion cites and what cites it.
//!
//! Resolution is deliberately conservative: a wrong link misleads a reader
//! more than a missing one, so whatever stays ambiguous is left as plain text
//! and listed by `ketluan check` for a maintainer to settle.

pub(crate) mod report;
mod resolve;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::calendar::Date;
use crate::citation::{Mention, NumberKey};
use crate::content::Document;
use crate::docs::{DocId, PerDoc};

pub(crate) use report::{AmbiguousCitation, MissingNumber, Place, Report, Worklist};
use resolve::Index;

/// What a citation in a document turned out to name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one archived document: the link target.
    Found(DocId),
    /// No archived document has this number (and date, if given).
    Missing,
    /// Several archived documents fit equally well.
    Ambiguous(Vec<DocId>),
}

/// One distinct document a conclusion cites, and what it turned out to name.
#[derive(Clone, Debug)]
pub struct Cited {
    pub mention: Mention,
    pub resolution: Resolution,
}

impl Cited {
    pub fn target(&self) -> Option<DocId> {
        match self.resolution {
            Resolution::Found(i) => Some(i),
            _ => None,
        }
    }
}

/// The citation graph of an archive.
#[derive(Clone, Debug, Default)]
pub struct References {
    /// For each document: what it cites, in order of first mention.
    pub cites: PerDoc<Vec<Cited>>,
    /// For each document: the documents citing it, in archive order (newest first).
    pub cited_by: PerDoc<Vec<DocId>>,
}

impl References {
    /// Scans every document and resolves its citations against the others.
    pub fn new(docs: &PerDoc<Document>) -> References {
        let index = Index::new(docs);
        let cites: Vec<Vec<Cited>> = docs
            .par_iter()
            .map(|(i, doc)| cited_by_document(&index, i, doc))
            .collect();
        let cites = PerDoc::from(cites);
        let mut cited_by: PerDoc<Vec<DocId>> = docs.values().map(|_| Vec::new()).collect();
        for (i, list) in cites.iter() {
            for target in list.iter().filter_map(Cited::target) {
                let citing = cited_by.index_mut(target);
                if citing.last() != Some(&i) {
                    citing.push(i);
                }
            }
        }
        References { cites, cited_by }
    }

    /// Where the citation `(key, date)` of document `i` links, if anywhere:
    /// what the renderer asks while turning citation text into links.
    pub(crate) fn target_of(&self, i: DocId, key: &NumberKey, date: Option<Date>) -> Option<DocId> {
        self.cites
            .get(i)?
            .iter()
            .find(|c| &c.mention.key == key && c.mention.date == date)
            .and_then(Cited::target)
    }

    /// What `ketluan check` reports: numbers cited but not archived, and
    /// citations that could name several archived documents.
    pub fn report(&self, docs: &PerDoc<Document>) -> Report {
        let mut missing: BTreeMap<(u64, NumberKey), MissingNumber> = BTreeMap::new();
        let mut ambiguous = Vec::new();
        for (i, list) in self.cites.iter() {
            for c in list {
                let m = &c.mention;
                let place = Place {
                    path: docs[i].source.clone(),
                    line: m.line,
                    text: m.written.clone(),
                };
                match &c.resolution {
                    Resolution::Found(_) => {}
                    Resolution::Missing => missing
                        .entry((m.key.leading_number(), m.key.clone()))
                        .or_insert_with(|| MissingNumber {
                            number: m.number.clone(),
                            places: Vec::new(),
                        })
                        .places
                        .push(place),
                    Resolution::Ambiguous(candidates) => ambiguous.push(AmbiguousCitation {
                        place,
                        candidates: candidates.iter().map(|&k| docs[k].source.clone()).collect(),
                    }),
                }
            }
        }
        for m in missing.values_mut() {
            m.places
                .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        }
        ambiguous.sort_by(|a, b| (&a.place.path, a.place.line).cmp(&(&b.place.path, b.place.line)));
        Report {
            missing: missing.into_values().collect(),
            ambiguous,
        }
    }
}

/// Distinct citations of one document, resolved. A conclusion naming its
/// own number ("Kết luận số 30-KL/TU này") cites nothing.
fn cited_by_document(index: &Index<'_>, i: DocId, doc: &Document) -> Vec<Cited> {
    let own = doc.number.as_ref().map(|n| NumberKey::of(n.as_str()));
    doc.citations
        .iter()
        .filter(|m| !(own.as_ref() == Some(&m.key) && m.date.is_none_or(|d| d == doc.date)))
        .map(|m| Cited {
            resolution: index.resolve(i, m),
            mention: m.clone(),
        })
        .collect()
}
