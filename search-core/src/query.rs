//! What a user types → a tantivy query, built by hand (no `QueryParser`:
//! it costs ~60 KB of compressed wasm and knows nothing of diacritics).
//!
//! Rules, per clause of the query:
//! - words separated by spaces must all be present (AND), anywhere;
//! - `"…"` must be present as an exact phrase;
//! - a query typed **with** diacritics (any word has one) matches words
//!   exactly, tone placement normalised: `hòa` finds `hòa` and `hoà`, never
//!   `hóa` or `hoa`; `sạch` never finds `sách`; in `ủy ban`, `ban` means
//!   `ban`, not `bàn`: whoever types accents types them everywhere;
//! - a query typed **without** any diacritic matches every accented form
//!   (`ngan sach` finds `ngân sách`): people who type without accents mean
//!   "any accents";
//! - a word glued by dashes or slashes (`Khải–UVBTV`) is a phrase of its
//!   parts;
//! - a document number (`706-KL/TU`, `123/QĐ-UBND`) is looked up whole,
//!   as the document's own number (ranked first) or one cited in its text.

use serde::{Deserialize, Serialize};
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis;
use crate::schema::Fields;

/// One part of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    /// One word: exact form, folded form, whether it was typed with diacritics.
    Word(Word),
    Phrase(Vec<Word>),
    Number(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub exact: String,
    pub folded: String,
    /// Match the exact form (the query was typed with diacritics).
    pub accented: bool,
}

/// Filters chosen next to the query; each narrows the results.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// `2023`
    pub year: Option<String>,
    /// `2023-Q2`
    pub quarter: Option<String>,
    /// A [`crate::facet_key`] of the issuing body.
    pub issuer: Option<String>,
    /// A [`crate::facet_key`] of the term (khóa).
    pub term: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.quarter.is_none()
            && self.issuer.is_none()
            && self.term.is_none()
    }
}

/// Splits a query into clauses.
pub fn parse(query: &str) -> Vec<Clause> {
    let query = analysis::nfc(query);
    let mut clauses = Vec::new();
    // Even-numbered pieces are outside quotes; an unclosed quote runs to the end.
    for (i, piece) in query.split('"').enumerate() {
        if i % 2 == 1 {
            clauses.extend(words_clause(piece));
            continue;
        }
        for chunk in piece.split_whitespace() {
            let trimmed = chunk.trim_matches(|c: char| !c.is_alphanumeric());
            match analysis::number_key(trimmed) {
                Some(key) => clauses.push(Clause::Number(key)),
                None => clauses.extend(words_clause(chunk)),
            }
        }
    }
    // One accented word shows the query is typed with accents: every word
    // of it is then meant exactly.
    let exact = clauses.iter().any(|c| match c {
        Clause::Word(w) => w.accented,
        Clause::Phrase(words) => words.iter().any(|w| w.accented),
        Clause::Number(_) => false,
    });
    for clause in &mut clauses {
        match clause {
            Clause::Word(w) => w.accented = exact,
            Clause::Phrase(words) => words.iter_mut().for_each(|w| w.accented = exact),
            Clause::Number(_) => {}
        }
    }
    clauses
}

fn words_clause(text: &str) -> Option<Clause> {
    let mut words: Vec<Word> = analysis::words(text)
        .into_iter()
        .map(|w| Word {
            accented: w.exact != w.folded,
            exact: w.exact,
            folded: w.folded,
        })
        .collect();
    match words.len() {
        0 => None,
        1 => words.pop().map(Clause::Word),
        _ => Some(Clause::Phrase(words)),
    }
}

/// The tantivy query for clauses and filters; `None` when there is nothing
/// to search for.
pub fn build(fields: &Fields, clauses: &[Clause], filters: &Filters) -> Option<Box<dyn Query>> {
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in clauses {
        match clause {
            Clause::Word(w) => {
                let (text, title, form) = if w.accented {
                    (fields.text, fields.title, &w.exact)
                } else {
                    (fields.text_folded, fields.title_folded, &w.folded)
                };
                parts.push((Occur::Must, term(text, form, IndexRecordOption::WithFreqs)));
                let in_title = term(title, form, IndexRecordOption::WithFreqs);
                parts.push((Occur::Should, Box::new(BoostQuery::new(in_title, 2.0))));
            }
            Clause::Phrase(words) => {
                let accented = words.iter().any(|w| w.accented);
                let field = if accented {
                    fields.text
                } else {
                    fields.text_folded
                };
                let terms = words
                    .iter()
                    .map(|w| {
                        Term::from_field_text(field, if accented { &w.exact } else { &w.folded })
                    })
                    .collect();
                parts.push((Occur::Must, Box::new(PhraseQuery::new(terms))));
            }
            Clause::Number(key) => {
                let own = term(fields.number_key, key, IndexRecordOption::Basic);
                let cited = term(fields.cited, key, IndexRecordOption::Basic);
                let either: Vec<Box<dyn Query>> = vec![
                    Box::new(ConstScoreQuery::new(own, 10.0)),
                    Box::new(ConstScoreQuery::new(cited, 1.0)),
                ];
                parts.push((Occur::Must, Box::new(BooleanQuery::union(either))));
            }
        }
    }
    if !parts.iter().any(|(occur, _)| *occur == Occur::Must) {
        if filters.is_empty() {
            return None;
        }
        // Filters alone list their documents in index order: newest first.
        parts.push((Occur::Must, Box::new(AllQuery)));
    }
    for (field, value) in [
        (fields.year, &filters.year),
        (fields.quarter, &filters.quarter),
        (fields.issuer_key, &filters.issuer),
        (fields.term_key, &filters.term),
    ] {
        if let Some(value) = value {
            let filter = term(field, value, IndexRecordOption::Basic);
            parts.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
    }
    Some(Box::new(BooleanQuery::new(parts)))
}

fn term(field: Field, text: &str, record: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), record))
}

/// The words to highlight in snippets: exact forms of accented words,
/// folded forms of the others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub exact: Vec<String>,
    pub folded: Vec<String>,
}

pub fn highlight_terms(clauses: &[Clause]) -> Highlight {
    let mut h = Highlight::default();
    let mut add = |w: &Word, accented: bool| {
        let (list, form) = if accented {
            (&mut h.exact, &w.exact)
        } else {
            (&mut h.folded, &w.folded)
        };
        if !list.contains(form) {
            list.push(form.clone());
        }
    };
    for clause in clauses {
        match clause {
            Clause::Word(w) => add(w, w.accented),
            Clause::Phrase(words) => {
                let accented = words.iter().any(|w| w.accented);
                words.iter().for_each(|w| add(w, accented));
            }
            Clause::Number(_) => {}
        }
    }
    h
}

/// The query without diacritics, offered when an accented query finds
/// nothing; `None` if it would be the same query.
pub fn folded_suggestion(query: &str) -> Option<String> {
    let normalised = analysis::nfc(query);
    let folded = analysis::fold(&normalised.to_lowercase());
    (folded != normalised.to_lowercase()).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(exact: &str, folded: &str, accented: bool) -> Word {
        Word {
            exact: exact.into(),
            folded: folded.into(),
            accented,
        }
    }

    #[test]
    fn parses_words_phrases_and_numbers() {
        assert_eq!(
            parse("Hoà  ban \"giải phóng\" 706-kl/tu Khải–UVBTV"),
            vec![
                Clause::Word(word("hòa", "hoa", true)),
                Clause::Word(word("ban", "ban", true)),
                Clause::Phrase(vec![
                    word("giải", "giai", true),
                    word("phóng", "phong", true)
                ]),
                Clause::Number("706-KL/TU".into()),
                Clause::Phrase(vec![
                    word("khải", "khai", true),
                    word("uvbtv", "uvbtv", true)
                ]),
            ]
        );
        assert_eq!(
            parse("ngan sach"),
            vec![
                Clause::Word(word("ngan", "ngan", false)),
                Clause::Word(word("sach", "sach", false))
            ]
        );
    }

    #[test]
    fn unclosed_quote_and_punctuation_only() {
        assert_eq!(
            parse("\"ngân sách"),
            vec![Clause::Phrase(vec![
                word("ngân", "ngan", true),
                word("sách", "sach", true)
            ])]
        );
        assert_eq!(parse(" - / \"\" "), vec![]);
    }

    #[test]
    fn suggestion_is_the_query_without_accents() {
        assert_eq!(folded_suggestion("Ngân sách").as_deref(), Some("ngan sach"));
        assert_eq!(folded_suggestion("ngan sach"), None);
    }
}
