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

use crate::analysis::{self, Token};
use serde::{Deserialize, Serialize};

/// A search as the page or `ketluan search` asks it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Request {
    /// What the reader typed: words, `"quoted words"`, document numbers.
    pub query: String,
    /// Only documents of this year.
    pub year: Option<u16>,
    /// `2023-q2`
    pub quarter: Option<String>,
    /// Slug of the issuing body, as in `/co-quan/<slug>/`.
    pub issuer: Option<String>,
    /// Slug of the term, as in `/khoa/<slug>/`.
    pub term: Option<String>,
    /// At most this many hits (0: none, only the total).
    pub limit: usize,
    /// Skip this many hits first, to page.
    pub offset: usize,
    /// Read every list whole, for an exact count (`ketluan search`, where
    /// reading costs nothing); the browser reads tails only when the
    /// results need them ([`crate::pack::tier`]).
    pub exact: bool,
}

/// One document found, with what a result shows.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    /// The document's title.
    pub title: String,
    /// Its số ký hiệu.
    pub number: Option<String>,
    /// `YYYY-MM-DD`
    pub date: String,
    /// Site-relative address of its page.
    pub url: String,
    /// The issuing body.
    pub issuer: String,
    /// BM25 (title matches weigh double). Results are ordered first by how
    /// many of the query's pairs of adjacent words a document holds, so
    /// scores fall only within each such group.
    pub score: f32,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
}

/// The answer to a [`Request`].
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Results {
    /// Documents found, all of them (not only those in `hits`).
    pub total: usize,
    /// `total` is an estimate ([`crate::pack::tier::SKETCH`]): the lists
    /// of a query of several words were not read whole, as its first
    /// results did not need them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// The page of results the request asked for, best first.
    pub hits: Vec<Hit>,
    /// A query worth trying when this one found nothing (the query without
    /// diacritics).
    pub suggestion: Option<String>,
    /// The reading with diacritics of a query of several words typed
    /// without them, when one dominates in the archive (`dat dai` →
    /// `đất đai`): offered, never searched instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accented: Option<String>,
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

pub(crate) fn typed_plain(token: &Token) -> bool {
    token.exact == token.folded
}

/// The indexed form to look up: exact when the user typed diacritics.
pub(crate) fn form(token: &Token) -> &str {
    if typed_plain(token) {
        &token.folded
    } else {
        &token.exact
    }
}

impl Clause {
    /// Whether a word of a document (as a token) is one this clause matched,
    /// for highlighting.
    pub(crate) fn highlights(&self, token: &Token) -> bool {
        let matches = |t: &Token| matches_as_typed(t, token);
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

/// Whether `a` then `b` in a document are two words of the query that it
/// typed one after the other (in a run of words or a phrase).
pub(crate) fn typed_together(clauses: &[Clause], a: &Token, b: &Token) -> bool {
    let pair = |x: &Token, y: &Token| matches_as_typed(x, a) && matches_as_typed(y, b);
    let mut previous: Option<&Token> = None;
    for clause in clauses {
        match clause {
            Clause::Word(t) => {
                if previous.is_some_and(|p| pair(p, t)) {
                    return true;
                }
                previous = Some(t);
            }
            Clause::Phrase(ts) => {
                if ts.windows(2).any(|w| pair(&w[0], &w[1])) {
                    return true;
                }
                previous = None;
            }
            Clause::Number(_) => previous = None,
        }
    }
    false
}

/// Whether a document's word is the query's word as typed: folded when
/// typed without diacritics, exact with them.
fn matches_as_typed(typed: &Token, word: &Token) -> bool {
    match typed_plain(typed) {
        true => typed.folded == word.folded,
        false => typed.exact == word.exact,
    }
}

/// The query without diacritics, when that is a different query.
pub(crate) fn suggest(query: &str) -> Option<String> {
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
    fn words_typed_together_are_told_apart_from_words_typed_apart() {
        let t = |w: &str| analysis::tokenize(w).remove(0);
        let q = parse("dat dai 706-KL/TU \"quốc phòng\" an ninh");
        assert!(typed_together(&q, &t("đất"), &t("đai")));
        assert!(!typed_together(&q, &t("đai"), &t("đất")), "in order");
        assert!(typed_together(&q, &t("quốc"), &t("phòng")));
        assert!(
            !typed_together(&q, &t("quoc"), &t("phong")),
            "typed with diacritics"
        );
        assert!(
            !typed_together(&q, &t("đai"), &t("an")),
            "a number parts them"
        );
        assert!(typed_together(&q, &t("an"), &t("ninh")));
    }

    #[test]
    fn suggestions_drop_diacritics() {
        assert_eq!(suggest("Ngân sách").as_deref(), Some("ngan sach"));
        assert_eq!(suggest("ngan sach"), None);
    }
}
