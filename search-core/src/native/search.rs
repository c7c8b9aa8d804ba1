//! `ketluan search`: the clauses of [`crate::query`] as tantivy queries, run
//! on the published index. The browser answers the same requests from the
//! exported pack ([`crate::pack`]) with the same scores.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, TantivyError, Term};

use crate::files::Published;
use crate::query::{Clause, Hit, Request, Results, form, parse, suggest};
use crate::schema::Fields;

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

impl Clause {
    fn to_query(&self, f: &Fields) -> Box<dyn Query> {
        match self {
            Clause::Word(t) => {
                let word = form(t);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, term_query(f.text, word)),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(term_query(f.title, word), 2.0)),
                    ),
                ]))
            }
            Clause::Phrase(tokens) => {
                let terms = tokens
                    .iter()
                    .map(|t| Term::from_field_text(f.text, form(t)))
                    .collect();
                Box::new(PhraseQuery::new(terms))
            }
            Clause::Number(key) => term_query(f.numbers, key),
        }
    }
}

/// Runs a request on a site's published index.
pub fn search(published: &Published, request: &Request) -> tantivy::Result<Results> {
    let searcher = published
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?
        .searcher();
    let f = Fields::new(&searcher.schema().clone())?;
    let clauses = parse(&request.query);
    let Some(query) = build_query(&f, &clauses, request) else {
        return Ok(Results::default());
    };
    let limit = request.limit.clamp(1, 100);
    let top = TopDocs::with_limit(limit).and_offset(request.offset);
    // Without words every score is equal and ties go to the lower doc id:
    // documents are indexed newest first, so filters alone list newest
    // first with no date column to sort by (which costs ~KB of wasm).
    let (addresses, total): (Vec<(f32, DocAddress)>, usize) =
        searcher.search(&query, &(top.order_by_score(), Count))?;
    let hits = addresses
        .iter()
        .map(|(score, address)| hit(published, &clauses, *score, *address))
        .collect::<tantivy::Result<_>>()?;
    let suggestion = (total == 0).then(|| suggest(&request.query)).flatten();
    Ok(Results {
        total,
        hits,
        suggestion,
    })
}

/// The query for a request; `None` when there is nothing to search for.
fn build_query(f: &Fields, clauses: &[Clause], request: &Request) -> Option<BooleanQuery> {
    let filters = filters(f, request);
    if clauses.is_empty() && filters.is_empty() {
        return None;
    }
    let mut parts: Vec<(Occur, Box<dyn Query>)> = clauses
        .iter()
        .map(|c| (Occur::Must, c.to_query(f)))
        .collect();
    parts.extend(filters.into_iter().map(|q| (Occur::Must, q)));
    if clauses.is_empty() {
        parts.push((Occur::Must, Box::new(AllQuery)));
    }
    Some(BooleanQuery::new(parts))
}

fn filters(f: &Fields, request: &Request) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(year) = request.year {
        out.push(Box::new(TermQuery::new(
            Term::from_field_u64(f.year, u64::from(year)),
            IndexRecordOption::Basic,
        )));
    }
    for (field, value) in [
        (f.quarter, &request.quarter),
        (f.issuer_key, &request.issuer),
        (f.term_key, &request.term),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            out.push(term_query(field, &value.to_lowercase()));
        }
    }
    out
}

fn hit(
    published: &Published,
    clauses: &[Clause],
    score: f32,
    address: DocAddress,
) -> tantivy::Result<Hit> {
    // The build publishes one segment: its doc ids are the pack's.
    if address.segment_ord != 0 {
        return Err(TantivyError::InternalError(
            "the published index has more than one segment".into(),
        ));
    }
    Ok(published.doc(address.doc_id)?.into_hit(score, clauses))
}
