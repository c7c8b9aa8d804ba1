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

/// Reads the words of a text one at a time into buffers it reuses: the index
/// analyses every document, and two strings allocated per word were a
/// fifth of that.
pub struct ViTokenStream<'a> {
    text: std::borrow::Cow<'a, str>,
    /// Where the next word is looked for.
    from: usize,
    /// The exact form of the current word, emitted after its folded form
    /// when the two differ.
    exact: String,
    pending: bool,
    current: Token,
    position: usize,
}

impl Tokenizer for ViTokenizer {
    type TokenStream<'a> = ViTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViTokenStream<'a> {
        ViTokenStream {
            text: analysis::nfc(text),
            from: 0,
            exact: String::new(),
            pending: false,
            current: Token::default(),
            position: 0,
        }
    }
}

impl TokenStream for ViTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.pending {
            self.pending = false;
            std::mem::swap(&mut self.current.text, &mut self.exact);
            return true;
        }
        let Some(word) = analysis::next_word(&self.text, self.from) else {
            return false;
        };
        self.from = word.end;
        self.exact.clear();
        analysis::normalise_word_into(&self.text[word.clone()], &mut self.exact);
        self.current.text.clear();
        analysis::fold_into(&self.exact, &mut self.current.text);
        self.pending = self.exact != self.current.text;
        self.current.offset_from = word.start;
        self.current.offset_to = word.end;
        self.current.position = self.position;
        self.current.position_length = 1;
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

    /// The stream reuses its buffers; what it emits must be what
    /// `analysis::tokenize` (the browser's analyser) returns for the text.
    #[test]
    fn the_stream_emits_the_analysers_words() {
        let text = "THUỶ lợi Hoà Bình quý Ωμέγα e\u{302}\u{301}t 706-KL/TU \
                    Nghịquyếtsốmộttrămhaimươibatỷđồngchínhxácbalầnnữa x";
        let mut want = Vec::new();
        for (position, t) in analysis::tokenize(&analysis::nfc(text))
            .into_iter()
            .enumerate()
        {
            want.push((t.folded.clone(), position, t.start, t.end));
            if t.exact != t.folded {
                want.push((t.exact, position, t.start, t.end));
            }
        }
        let mut tokenizer = ViTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(seen, want);
        let words: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
        for expected in "thuy thủy hoa hòa quy quý ωμεγα ωμέγα ết 706 x".split(' ')
        {
            assert!(
                words.contains(&expected),
                "{expected} missing from {words:?}"
            );
        }
        assert!(
            !words.iter().any(|w| w.starts_with("nghiquyet")),
            "{words:?}"
        );
    }

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
