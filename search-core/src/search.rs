//! Runs a query on an open index: the same code natively (CLI, tests) and
//! in the browser.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::CompositeFile;
use tantivy::index::SegmentComponent;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Index, Searcher, TantivyDocument};

use crate::query::{self, Filters, Highlight};
use crate::schema::Fields;
use crate::snippet;

/// More than this per page is a scraper, not a reader.
pub const MAX_LIMIT: usize = 100;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Request {
    pub q: String,
    #[serde(default)]
    pub filters: Filters,
    #[serde(default = "default_limit")]
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
}

fn default_limit() -> usize {
    10
}

impl Request {
    pub fn new(q: &str) -> Request {
        Request {
            q: q.to_string(),
            filters: Filters::default(),
            limit: default_limit(),
            offset: 0,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Response {
    /// Matching documents in all.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The words the snippets mark, for the page to mark them elsewhere.
    pub highlight: Highlight,
    /// A query worth trying when this one found nothing.
    pub suggestion: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub title: String,
    pub number: String,
    pub date: String,
    pub url: String,
    pub issuer: String,
    pub score: f32,
    /// Escaped HTML with `<mark>`ed words.
    pub snippet: String,
}

pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    request: &Request,
) -> tantivy::Result<Response> {
    let clauses = query::parse(&request.q);
    let highlight = query::highlight_terms(&clauses);
    let Some(q) = query::build(fields, &clauses, &request.filters) else {
        return Ok(Response {
            highlight,
            ..Response::default()
        });
    };
    let limit = request.limit.clamp(1, MAX_LIMIT);
    let top = TopDocs::with_limit(limit)
        .and_offset(request.offset)
        .order_by_score();
    let (top, total) = searcher.search(&*q, &(top, Count))?;
    let hits = load_hits(searcher, fields, &top, &highlight)?;
    let suggestion = if total == 0 {
        query::folded_suggestion(&request.q)
    } else {
        None
    };
    Ok(Response {
        total,
        hits,
        highlight,
        suggestion,
    })
}

/// Loads every hit even after a failure, so that in the browser one pass
/// names every missing doc-store block, fetched together in one round.
fn load_hits(
    searcher: &Searcher,
    fields: &Fields,
    top: &[(f32, DocAddress)],
    highlight: &Highlight,
) -> tantivy::Result<Vec<Hit>> {
    let mut hits = Vec::with_capacity(top.len());
    let mut first_error = None;
    for (score, address) in top {
        match searcher.doc::<TantivyDocument>(*address) {
            Ok(doc) => hits.push(hit(&doc, fields, *score, highlight)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(hits),
    }
}

fn hit(doc: &TantivyDocument, f: &Fields, score: f32, highlight: &Highlight) -> Hit {
    let text = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let body = text(f.s_body);
    let mut snippet = snippet::snippet(&body, highlight);
    if snippet.is_empty() {
        snippet = snippet::snippet(&text(f.s_summary), highlight);
    }
    Hit {
        title: text(f.s_title),
        number: text(f.s_number),
        date: text(f.s_date),
        url: text(f.s_url),
        issuer: text(f.s_issuer),
        score,
        snippet,
    }
}

/// Reads what scoring `request` will read: posting lists, positions and
/// field norms of its terms. Errors are ignored: the point is the reads
/// themselves, which in the browser name the byte ranges to fetch before
/// the synchronous search. Natively it is a no-op in effect.
pub fn touch(index: &Index, searcher: &Searcher, fields: &Fields, request: &Request) {
    let clauses = query::parse(&request.q);
    let Some(q) = query::build(fields, &clauses, &request.filters) else {
        return;
    };
    let mut terms = Vec::new();
    q.query_terms(&mut |term, positions| terms.push((term.clone(), positions)));
    let Ok(segments) = index.searchable_segments() else {
        return;
    };
    for (segment, reader) in segments.iter().zip(searcher.segment_readers()) {
        let composite = |c| {
            segment
                .open_read(c)
                .ok()
                .and_then(|f| CompositeFile::open(&f).ok())
        };
        let (Some(postings), Some(positions), Some(dictionaries)) = (
            composite(SegmentComponent::Postings),
            composite(SegmentComponent::Positions),
            composite(SegmentComponent::Terms),
        ) else {
            continue;
        };
        for (term, with_positions) in &terms {
            let field = term.field();
            if let Some(norms) = reader
                .fieldnorms_readers()
                .get_inner_file()
                .open_read(field)
            {
                let _ = norms.read_bytes();
            }
            let Ok(inverted) = reader.inverted_index(field) else {
                // Not in the hot cache: ask for the whole dictionary at once
                // rather than one piece per round.
                if let Some(file) = dictionaries.open_read(field) {
                    let _ = file.read_bytes();
                }
                // Opening it also reads the field's token count.
                if let Some(file) = postings.open_read(field) {
                    let _ = file.slice(0..8).read_bytes();
                }
                continue;
            };
            let Ok(Some(info)) = inverted.get_term_info(term) else {
                continue;
            };
            if let Some(file) = postings.open_read(field) {
                // A field's postings start with its token count (8 bytes);
                // term ranges count from after it.
                let body = file.slice_from(8);
                let _ = body.slice(info.postings_range.clone()).read_bytes();
            }
            if *with_positions && let Some(file) = positions.open_read(field) {
                let _ = file.slice(info.positions_range.clone()).read_bytes();
            }
        }
    }
}

/// Opens the term dictionary of each field (for the hot cache).
pub fn open_dictionaries(searcher: &Searcher, fields: &[Field]) -> tantivy::Result<()> {
    for reader in searcher.segment_readers() {
        for field in fields {
            reader.inverted_index(*field)?;
        }
    }
    Ok(())
}
