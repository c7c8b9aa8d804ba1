//! From what a citizen types to ranked hits with snippets. Queries are built
//! by hand (no QueryParser): smaller wasm, and the Vietnamese rules below.
//!
//! - Every word must match (AND); `"quoted words"` must match as a phrase.
//! - A word typed with diacritics matches only its exact (tone-normalised)
//!   form: `sạch` never finds `sách`, `hòa` never `hóa`/`hoa`.
//! - A word typed without diacritics matches the folded form: `ngan sach`
//!   finds `ngân sách`.
//! - A document number (`706-KL/TU`) matches whole, in the document's own
//!   number (ranked first) or anywhere it is cited.
//! - Matches in the title rank higher.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Index, Searcher, TantivyDocument, Term};

use crate::analysis::{self, Token};
use crate::schema::Fields;
use crate::snippet;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Request {
    pub query: String,
    pub year: Option<u16>,
    /// `2023-q2`
    pub quarter: Option<String>,
    /// Slug of the issuing body, as in `/co-quan/<slug>/`.
    pub issuer: Option<String>,
    /// Slug of the term, as in `/khoa/<slug>/`.
    pub term: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    pub title: String,
    pub number: Option<String>,
    pub date: String,
    pub url: String,
    pub issuer: String,
    // The page does not show scores; leaving them out of the wasm's JSON
    // drops float formatting from it (its size budget).
    #[cfg_attr(target_arch = "wasm32", serde(skip_serializing))]
    pub score: f32,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// A query worth trying when this one found nothing (the query without
    /// diacritics).
    pub suggestion: Option<String>,
}

/// One unit of a query.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Clause {
    Word(Token),
    Phrase(Vec<Token>),
    Number(String),
}

pub(crate) fn parse(query: &str) -> Vec<Clause> {
    let query = analysis::nfc(query);
    let mut clauses = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        if i % 2 == 1 {
            let tokens = analysis::tokenize(part);
            match tokens.len() {
                0 => {}
                1 => clauses.extend(tokens.into_iter().map(Clause::Word)),
                _ => clauses.push(Clause::Phrase(tokens)),
            }
            continue;
        }
        for word in part.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if analysis::looks_like_number(word) {
                clauses.push(Clause::Number(analysis::number_key(word)));
                continue;
            }
            let mut tokens = analysis::tokenize(word);
            match tokens.len() {
                0 => {}
                1 => clauses.push(Clause::Word(tokens.remove(0))),
                // `Khải–UVBTV`: the parts, next to each other.
                _ => clauses.push(Clause::Phrase(tokens)),
            }
        }
    }
    clauses
}

fn typed_plain(token: &Token) -> bool {
    token.exact == token.folded
}

/// The indexed form to look up: exact when the user typed diacritics.
fn form(token: &Token) -> &str {
    if typed_plain(token) {
        &token.folded
    } else {
        &token.exact
    }
}

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

    /// Whether a word of a document (as a token) is one this clause matched,
    /// for highlighting.
    pub(crate) fn highlights(&self, token: &Token) -> bool {
        let matches = |t: &Token| match typed_plain(t) {
            true => t.folded == token.folded,
            false => t.exact == token.exact,
        };
        match self {
            Clause::Word(t) => matches(t),
            Clause::Phrase(ts) => ts.iter().any(matches),
            // The number's own parts only: `TU` in `706-KL/TU`, not `từ`.
            Clause::Number(key) => {
                let plain = token.exact.replace('đ', "d");
                analysis::tokenize(key).iter().any(|t| t.exact == plain)
            }
        }
    }
}

/// Runs a request. Errors are tantivy's (in the browser: a byte range that
/// has not been fetched yet).
pub fn search(index: &Index, request: &Request) -> tantivy::Result<Results> {
    let searcher = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?
        .searcher();
    search_with(&searcher, request)
}

pub fn search_with(searcher: &Searcher, request: &Request) -> tantivy::Result<Results> {
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
    let hits = load_hits(searcher, &f, &clauses, &addresses)?;
    let suggestion = (total == 0).then(|| suggest(&request.query)).flatten();
    Ok(Results {
        total,
        hits,
        suggestion,
    })
}

/// The query for a request; `None` when there is nothing to search for.
pub(crate) fn build_query(
    f: &Fields,
    clauses: &[Clause],
    request: &Request,
) -> Option<BooleanQuery> {
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

/// Loads every hit even after a failure: in the browser one pass then names
/// every missing doc-store block, fetched together in one round.
fn load_hits(
    searcher: &Searcher,
    f: &Fields,
    clauses: &[Clause],
    addresses: &[(f32, DocAddress)],
) -> tantivy::Result<Vec<Hit>> {
    let mut hits = Vec::with_capacity(addresses.len());
    let mut first_error = None;
    for (score, address) in addresses {
        match hit(searcher, f, clauses, *score, *address) {
            Ok(h) => hits.push(h),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(hits), Err)
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
    searcher: &Searcher,
    f: &Fields,
    clauses: &[Clause],
    score: f32,
    address: DocAddress,
) -> tantivy::Result<Hit> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let get = |field| f.stored_str(&doc, field).unwrap_or_default();
    let body = get(f.body);
    let summary = get(f.summary);
    Ok(Hit {
        title: get(f.stored_title),
        number: f.stored_str(&doc, f.number),
        date: get(f.date),
        url: get(f.url),
        issuer: get(f.issuer),
        score,
        snippet: snippet::make(&body, &summary, |t| clauses.iter().any(|c| c.highlights(t))),
    })
}

/// The query without diacritics, when that is a different query.
fn suggest(query: &str) -> Option<String> {
    let folded = analysis::fold(&analysis::nfc(query)).to_lowercase();
    (folded != query.to_lowercase()).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_into_words_phrases_and_numbers() {
        let clauses = parse("ngân sách \"giải phóng mặt bằng\" 706-KL/TU Khải–UVBTV");
        assert_eq!(clauses.len(), 5);
        assert!(matches!(&clauses[0], Clause::Word(t) if t.exact == "ngân"));
        assert!(matches!(&clauses[2], Clause::Phrase(ts) if ts.len() == 4));
        assert_eq!(clauses[3], Clause::Number("706-KL/TU".into()));
        assert!(matches!(&clauses[4], Clause::Phrase(ts) if ts.len() == 2));
        assert!(parse("  \"\" ,, ").is_empty());
    }

    #[test]
    fn suggestions_drop_diacritics() {
        assert_eq!(suggest("Ngân sách").as_deref(), Some("ngan sach"));
        assert_eq!(suggest("ngan sach"), None);
    }
}
