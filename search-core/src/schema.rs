//! The index layout, and the tokenizers both sides must register: a
//! tokenizer name stored in the schema is looked up again when the index is
//! opened, natively and in the browser.

use tantivy::Index;
use tantivy::schema::{Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use crate::analysis;

pub const EXACT: &str = "vi_exact";
pub const FOLDED: &str = "vi_folded";

/// Every field of the schema, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Title, number, summary, issuing body, term, tags and body as one
    /// field: one term dictionary and one posting list per word for the
    /// browser to fetch.
    pub text: Field,
    pub text_folded: Field,
    /// Only to rank matches in the title higher.
    pub title: Field,
    pub title_folded: Field,
    /// The document's own number, as a [`analysis::number_key`].
    pub number_key: Field,
    /// Numbers cited in the body, as keys.
    pub cited: Field,
    // Filters, as exact keys.
    pub year: Field,
    pub quarter: Field,
    pub issuer_key: Field,
    pub term_key: Field,
    // Stored only: what a result shows.
    pub s_title: Field,
    pub s_number: Field,
    pub s_date: Field,
    pub s_url: Field,
    pub s_issuer: Field,
    pub s_summary: Field,
    pub s_body: Field,
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Exact keys without field norms: a key matches or not, and without norms
/// the browser has nothing to fetch for scoring it.
fn key_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

pub fn schema() -> Schema {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    b.add_text_field("text", text_options(EXACT, positions));
    b.add_text_field("text_folded", text_options(FOLDED, positions));
    b.add_text_field("title", text_options(EXACT, IndexRecordOption::WithFreqs));
    b.add_text_field(
        "title_folded",
        text_options(FOLDED, IndexRecordOption::WithFreqs),
    );
    for key in [
        "number_key",
        "cited",
        "year",
        "quarter",
        "issuer_key",
        "term_key",
    ] {
        b.add_text_field(key, key_options());
    }
    for stored in [
        "s_title",
        "s_number",
        "s_date",
        "s_url",
        "s_issuer",
        "s_summary",
        "s_body",
    ] {
        b.add_text_field(stored, STORED);
    }
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            text: f("text")?,
            text_folded: f("text_folded")?,
            title: f("title")?,
            title_folded: f("title_folded")?,
            number_key: f("number_key")?,
            cited: f("cited")?,
            year: f("year")?,
            quarter: f("quarter")?,
            issuer_key: f("issuer_key")?,
            term_key: f("term_key")?,
            s_title: f("s_title")?,
            s_number: f("s_number")?,
            s_date: f("s_date")?,
            s_url: f("s_url")?,
            s_issuer: f("s_issuer")?,
            s_summary: f("s_summary")?,
            s_body: f("s_body")?,
        })
    }

    /// Fields whose term dictionaries every query may need: the browser gets
    /// them in the hot cache. `number_key` and `cited` grow with the archive
    /// and are only needed for number queries, so they load on demand.
    pub fn hot_dictionaries(&self) -> [Field; 8] {
        [
            self.text,
            self.text_folded,
            self.title,
            self.title_folded,
            self.year,
            self.quarter,
            self.issuer_key,
            self.term_key,
        ]
    }
}

/// The tokenizers under the names the schema refers to.
pub fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    register(&manager);
    manager
}

pub fn register_tokenizers(index: &Index) {
    register(index.tokenizers());
}

fn register(manager: &TokenizerManager) {
    manager.register(EXACT, TextAnalyzer::from(ViTokenizer { folded: false }));
    manager.register(FOLDED, TextAnalyzer::from(ViTokenizer { folded: true }));
}

/// [`analysis::words`] as a tantivy tokenizer: the exact or the folded form.
#[derive(Clone, Debug)]
pub struct ViTokenizer {
    folded: bool,
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        let normalised = analysis::nfc(text);
        let tokens = analysis::words(&normalised)
            .into_iter()
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.start,
                offset_to: w.end,
                position,
                text: if self.folded { w.folded } else { w.exact },
                position_length: 1,
            })
            .collect();
        WordStream { tokens, next: 0 }
    }
}

pub struct WordStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
