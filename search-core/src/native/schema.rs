//! The index layout and the tokenizers that both sides must register.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis;

/// The one Vietnamese tokenizer: each word is indexed in its folded form
/// (`ngan`) and, when that differs, also in its exact form (`ngân`) at the
/// same position. Folded forms are plain ASCII and exact forms never are,
/// so both live in one field without clashing: one analysis per word at
/// build time, one term dictionary and one posting list per word to fetch in
/// the browser, and phrases may mix exact and folded words.
pub const VI: &str = "vi";

/// Every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Title, summary, issuing body, term, tags and body in one field.
    pub text: Field,
    /// Matches in the title rank higher.
    pub title: Field,
    /// The document's number and every number cited in it, as keys.
    pub numbers: Field,
    pub year: Field,
    pub quarter: Field,
    pub issuer_key: Field,
    pub term_key: Field,
    /// yyyymmdd, for newest-first order when there are no words.
    pub day: Field,
    // Nothing is stored: what a result shows (and the body its snippet is
    // cut from) is in the pack's document files, which the browser reads
    // too. A store would hold the same text a second time.
}

fn text_options(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("text", text_options(VI, true));
    b.add_text_field("title", text_options(VI, false));
    b.add_text_field("numbers", STRING);
    b.add_u64_field("year", INDEXED);
    b.add_text_field("quarter", STRING);
    b.add_text_field("issuer_key", STRING);
    b.add_text_field("term_key", STRING);
    b.add_u64_field("day", FAST);
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            text: f("text")?,
            title: f("title")?,
            numbers: f("numbers")?,
            year: f("year")?,
            quarter: f("quarter")?,
            issuer_key: f("issuer_key")?,
            term_key: f("term_key")?,
            day: f("day")?,
        })
    }
}

/// Registers the Vietnamese tokenizer on an index (after creating or opening
/// it; tantivy does not store tokenizers).
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(VI, ViTokenizer);
}

/// [`analysis::tokenize`] as a tantivy tokenizer (see [`VI`]).
#[derive(Clone)]
pub struct ViTokenizer;

pub struct ViTokenStream {
    tokens: std::vec::IntoIter<analysis::Token>,
    /// The exact form still to emit at the current position.
    pending: Option<String>,
    current: Token,
    position: usize,
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViTokenStream {
        ViTokenStream {
            tokens: analysis::tokenize(&analysis::nfc(text)).into_iter(),
            pending: None,
            current: Token::default(),
            position: 0,
        }
    }
}

impl TokenStream for ViTokenStream {
    fn advance(&mut self) -> bool {
        if let Some(exact) = self.pending.take() {
            self.current.text = exact;
            return true;
        }
        let Some(t) = self.tokens.next() else {
            return false;
        };
        self.pending = (t.exact != t.folded).then_some(t.exact);
        self.current = Token {
            offset_from: t.start,
            offset_to: t.end,
            position: self.position,
            text: t.folded,
            position_length: 1,
        };
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_share_a_position() {
        let mut tokenizer = ViTokenizer;
        let mut stream = tokenizer.token_stream("Ngân sách 2023");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().text.clone(), stream.token().position));
        }
        let want = [
            ("ngan", 0),
            ("ngân", 0),
            ("sach", 1),
            ("sách", 1),
            ("2023", 2),
        ];
        assert_eq!(seen, want.map(|(t, p)| (t.to_string(), p)));
    }
}
