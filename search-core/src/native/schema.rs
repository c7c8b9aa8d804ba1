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

/// The tokenizer of adjacent pairs of words ([`crate::pack::pair_term`]),
/// which answers phrases and adjacency without positions.
pub const VI_PAIRS: &str = "vi-pairs";

/// Every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Title, summary, issuing body, term, tags and body in one field.
    pub text: Field,
    /// Matches in the title rank higher.
    pub title: Field,
    /// The text again, as pairs of adjacent words.
    pub pairs: Field,
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

/// No positions: phrases are pairs of words, which have postings of their
/// own.
fn text_options(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs)
            // The pack scores pairs without norms (`pack::field::has_norms`).
            .set_fieldnorms(tokenizer != VI_PAIRS),
    )
}

pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("text", text_options(VI));
    b.add_text_field("title", text_options(VI));
    b.add_text_field("pairs", text_options(VI_PAIRS));
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
            pairs: f("pairs")?,
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
    index.tokenizers().register(VI_PAIRS, ViPairTokenizer);
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

/// Each pair of adjacent words as its reading's [`crate::pack::pair_term`]
/// (one term a pair: the folded pair, which a query without diacritics
/// looks up, is the union of its readings, gathered by the reader).
#[derive(Clone)]
pub struct ViPairTokenizer;

/// Reads the words of a text one at a time, as [`ViTokenStream`] does,
/// keeping the previous word's forms.
pub struct ViPairStream<'a> {
    text: std::borrow::Cow<'a, str>,
    from: usize,
    /// Folded and exact forms of the previous and the current word.
    folded: [String; 2],
    exact: [String; 2],
    /// Whether the last two words read stand in one phrase.
    joined: bool,
    current: Token,
    position: usize,
}

impl Tokenizer for ViPairTokenizer {
    type TokenStream<'a> = ViPairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViPairStream<'a> {
        ViPairStream {
            text: analysis::nfc(text),
            from: 0,
            folded: Default::default(),
            exact: Default::default(),
            joined: false,
            current: Token::default(),
            position: 0,
        }
    }
}

impl ViPairStream<'_> {
    /// Reads the next word into the second slot, the one before moving to
    /// the first; false at the end. `self.joined` tells whether the two
    /// make a pair.
    fn next_word(&mut self) -> bool {
        let Some(word) = analysis::next_word(&self.text, self.from) else {
            return false;
        };
        self.joined = crate::pack::joins(&self.text[self.from..word.start]);
        self.from = word.end;
        self.folded.swap(0, 1);
        self.exact.swap(0, 1);
        self.exact[1].clear();
        analysis::normalise_word_into(&self.text[word.clone()], &mut self.exact[1]);
        self.folded[1].clear();
        analysis::fold_into(&self.exact[1], &mut self.folded[1]);
        self.current.offset_to = word.end;
        true
    }
}

impl TokenStream for ViPairStream<'_> {
    fn advance(&mut self) -> bool {
        if self.position == 0 && !self.next_word() {
            return false;
        }
        loop {
            if !self.next_word() {
                return false;
            }
            if self.joined {
                break;
            }
        }
        let folded = [self.folded[0].as_str(), self.folded[1].as_str()];
        let exact = [self.exact[0].as_str(), self.exact[1].as_str()];
        crate::pack::pair_term(folded, exact, &mut self.current.text);
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

    #[test]
    fn pairs_are_read_as_written_under_their_folded_form() {
        let mut tokenizer = ViPairTokenizer;
        let mut stream =
            tokenizer.token_stream("Luật Đất đai an ninh. Kinh te\u{302}\u{301}, Khải–UVBTV");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.replace(crate::pack::READING, "|"));
        }
        let want = [
            "luat dat|luật đất",
            "dat dai|đất đai",
            "dai an|đai an",
            "an ninh",
            "kinh te|kinh tế",
            "khai uvbtv|khải uvbtv",
        ];
        assert_eq!(seen, want);
        let mut one = tokenizer.token_stream("một");
        assert!(!one.advance(), "one word makes no pair");
    }
}
