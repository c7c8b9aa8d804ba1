//! The Vietnamese analyser, used identically when indexing (natively) and
//! when querying (natively and in the browser).
//!
//! A word becomes two forms:
//! - *exact*: NFC, lowercase, one spelling per syllable whatever the input
//!   (see `spelling.rs`): the tone mark on the vowel the spelling rules
//!   choose (`hoà` → `hòa`, `thuỷ` → `thủy`, `baỏ` → `bảo`, `ngừơi` →
//!   `người`), the horn `ươ` needs (`thuơng` → `thương`), and `Ð` (the
//!   Icelandic letter fonts convert `Đ` to) read as `đ`;
//! - *folded*: the exact form without diacritics (`đ` → `d`), for queries
//!   typed without them (`ngan sach`).
//!
//! Words are runs of letters and digits, so dashes, en dashes and slashes
//! separate them (`Khải–UVBTV` is `khải` + `uvbtv`). The text shown to
//! readers keeps its own spelling: tokens carry offsets into it.

use unicode_normalization::UnicodeNormalization;

/// Longer tokens are noise (base64, URLs glued together) and bloat the index.
const MAX_TOKEN_BYTES: usize = 40;

/// One word of a text, with its byte offsets in the NFC text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Lower case, NFC, the tone mark where the spelling rules put it.
    pub exact: String,
    /// [`Token::exact`] without diacritics (`đ` → `d`): what a query typed
    /// without them matches.
    pub folded: String,
    /// Byte offset of the word's first byte.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

/// Combining diacritical marks (U+0300–U+036F): every Vietnamese tone and
/// vowel mark is one of them in NFD. A range check instead of Unicode's
/// whole combining-mark table keeps the wasm under its size budget.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// NFC without zero-width characters: what every text goes through first.
/// Without it the tokenizer would split NFD text inside syllables.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    // Most text arrives NFC already (ketluan normalises content when it
    // loads it): then there is nothing to copy.
    if text.chars().all(is_plain_nfc)
        || (!text.chars().any(is_zero_width) && is_nfc_quick(text.chars()) == IsNormalized::Yes)
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().filter(|c| !is_zero_width(*c)).nfc().collect())
}

/// Characters that are NFC whatever surrounds them (no canonical
/// decomposition, not combining): ASCII, Latin-1 and Latin Extended A/B
/// (`ơ`, `ư`, `đ`), Latin Extended Additional (`ế`, `ộ`, every precomposed
/// Vietnamese vowel) and the common dashes and quotes. Checking these ranges
/// is several times faster than Unicode's quick check, which the build runs
/// over every text it indexes.
fn is_plain_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{7f}' | '\u{a0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{2010}'..='\u{2027}')
        && c != '\u{ad}'
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// The words of an NFC text (call [`nfc`] first on untrusted text).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut from = 0;
    while let Some(word) = next_word(text, from) {
        let exact = normalise_word(&text[word.clone()]);
        tokens.push(Token {
            folded: fold(&exact),
            exact,
            start: word.start,
            end: word.end,
        });
        from = word.end;
    }
    tokens
}

/// The byte range of the first word of an NFC text at or after `from`:
/// letters and digits, with the combining marks that follow them. Words
/// longer than `MAX_TOKEN_BYTES` are skipped. The index reads words one
/// at a time with this, into buffers it reuses.
pub fn next_word(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let mut start = None;
    for (i, c) in text[from..].char_indices() {
        let i = from + i;
        let in_word = is_word_char(c) || (start.is_some() && is_combining_mark(c));
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) if i - s <= MAX_TOKEN_BYTES => return Some(s..i),
            (false, Some(_)) => start = None,
            _ => {}
        }
    }
    start
        .filter(|s| text.len() - s <= MAX_TOKEN_BYTES)
        .map(|s| s..text.len())
}

/// `char::is_alphanumeric`, answered from ranges for the letters Vietnamese
/// is written with: Unicode's tables cost a tenth of indexing a document.
fn is_word_char(c: char) -> bool {
    match c {
        '\0'..='\u{7f}' => c.is_ascii_alphanumeric(),
        '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
        '\u{1e00}'..='\u{1eff}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// The lowercase of a Vietnamese letter (Latin-1, `ă đ ĩ ũ ơ ư` and the
/// precomposed vowels, which alternate capital and small), or None for a
/// character Unicode's tables must answer.
fn vietnamese_lowercase(c: char) -> Option<char> {
    let u = u32::from(c);
    let lower = match u {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => u + 0x20,
        0..=0xff => u,
        0x102 | 0x110 | 0x128 | 0x168 | 0x1a0 | 0x1af => u + 1,
        0x103 | 0x111 | 0x129 | 0x169 | 0x1a1 | 0x1b0 => u,
        0x1ea0..=0x1ef9 => u | 1,
        _ => return None,
    };
    char::from_u32(lower)
}

/// Lowercase and one spelling for a single NFC word.
pub fn normalise_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalise_word_into(word, &mut out);
    out
}

/// [`normalise_word`], appended to `out`.
pub fn normalise_word_into(word: &str, out: &mut String) {
    let start = out.len();
    if word.is_ascii() {
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match vietnamese_lowercase(c) {
            // Ð (the Icelandic eth) stands for Đ after font conversions.
            Some('ð') => out.push('đ'),
            Some(lower) => out.push(lower),
            None => {
                out.truncate(start);
                out.push_str(&word.to_lowercase());
                break;
            }
        }
    }
    crate::spelling::canonicalise(out, start);
}

/// Removes diacritics: `ngân sách` → `ngan sach`, `đ` → `d`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appended to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            'đ' | 'ð' => out.push('d'),
            'Đ' | 'Ð' => out.push('D'),
            c if c.is_ascii() => out.push(c),
            c => match base_letter(c) {
                Some(base) => out.push(base),
                None => push_without_marks(c, out),
            },
        }
    }
}

/// Canonical decomposition of `c` without its combining marks: what
/// [`base_letter`] answers from its tables for Vietnamese vowels.
fn push_without_marks(c: char, out: &mut String) {
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            out.push(d);
        }
    });
}

/// The letter under the marks of a Vietnamese vowel, as canonical
/// decomposition gives it, without its tables (they were a tenth of
/// indexing). `\0` in the Latin-1 table: the letter stays as it is.
fn base_letter(c: char) -> Option<char> {
    const LATIN1: &[u8; 64] =
        b"AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";
    const VOWELS: &[u8; 90] = b"AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy";
    let u = u32::from(c);
    let letter = match u {
        0xc0..=0xff => LATIN1[(u - 0xc0) as usize],
        0x1ea0..=0x1ef9 => VOWELS[(u - 0x1ea0) as usize],
        0x102 | 0x103 => b"Aa"[(u & 1) as usize],
        0x128 | 0x129 => b"Ii"[(u & 1) as usize],
        0x168 | 0x169 => b"Uu"[(u & 1) as usize],
        0x1a0 | 0x1a1 => b"Oo"[(u & 1) as usize],
        0x1af => b'U',
        0x1b0 => b'u',
        _ => return None,
    };
    Some(if letter == 0 { c } else { char::from(letter) })
}

/// True when the user typed diacritics: then only the exact form counts.
pub fn has_diacritics(word: &str) -> bool {
    fold(word) != word
}

/// A document number (số ký hiệu) as a search key: `706-KL/TU`,
/// `706 - kl/tu`, `706-КL/ТU` (Cyrillic К, Т) and `123/QĐ-UBND` vs
/// `123/QD-UBND` compare equal.
pub fn number_key(number: &str) -> String {
    fold(&nfc(&latin_number(number)))
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '–' | '—' | '‐') {
                '-'
            } else {
                c
            }
        })
        .collect::<String>()
        .to_uppercase()
}

/// The letter a number's code means by a character that only looks like
/// it: Cyrillic and Greek capitals and small letters drawn like Latin ones
/// (`К` → `K`, `о` → `o`), and `Ð`, `ð` (Icelandic, from font conversions)
/// for `Đ`, `đ`. None for any other character.
///
/// Only document numbers are read this way: their codes (`KL`, `TU`,
/// `QĐ-UBND`) are Vietnamese abbreviations in Latin letters, so a Cyrillic
/// `К` there can only be a mistyped `K`. In ordinary words such a letter is
/// usually a letter of a word in that script (a Russian name, a Greek
/// symbol), and reading it as Latin would make it another word.
pub fn latin_lookalike(c: char) -> Option<char> {
    const FROM: &str = "АВЕКМНОРСТХІавекмнорстхіΑΒΕΚΜΗΟΡϹΤΧΙαβεκμηορϲτχιÐð";
    const TO: &str = "ABEKMHOPCTXIabekmhopctxiABEKMHOPCTXIabekmhopctxiĐđ";
    if c.is_ascii() {
        return None;
    }
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
}

/// A document number with its look-alike letters read as what they stand
/// for ([`latin_lookalike`]): `45-КL/ТU` → `45-KL/TU`.
pub fn latin_number(number: &str) -> std::borrow::Cow<'_, str> {
    if !number.chars().any(|c| latin_lookalike(c).is_some()) {
        return std::borrow::Cow::Borrowed(number);
    }
    number
        .chars()
        .map(|c| latin_lookalike(c).unwrap_or(c))
        .collect()
}

/// Whether a query word is a document number (digits, then `-` or `/` and a
/// letter code), which is searched whole.
pub fn looks_like_number(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let rest = &word[digits..];
    digits > 0
        && rest.starts_with(['-', '/'])
        && rest.chars().any(char::is_alphabetic)
        && rest
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/'))
}

/// Document numbers cited in a text, as keys (`Kết luận số 706-KL/TU, …`
/// → `706-KL/TU`), so a number is found whole wherever it appears.
pub fn numbers_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Only digits start a number. A digit is one byte, so every digit is a
    // character boundary.
    while let Some(skip) = bytes[i..].iter().position(u8::is_ascii_digit) {
        i += skip;
        let starts_word = !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if !starts_word {
            i += 1;
            continue;
        }
        let end = text[i..]
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '/')))
            .map_or(text.len(), |e| i + e);
        let candidate = text[i..end].trim_end_matches(['-', '/']);
        if looks_like_number(candidate) {
            found.push(number_key(candidate));
        }
        i = end.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_nfc_ranges_hold_only_characters_nfc_keeps() {
        use unicode_normalization::{char::canonical_combining_class, is_nfc};
        for c in (0..=0x2fffu32)
            .filter_map(char::from_u32)
            .filter(|c| is_plain_nfc(*c))
        {
            let alone = c.to_string();
            assert!(is_nfc(&alone) && canonical_combining_class(c) == 0, "{c:?}");
            assert_eq!(nfc(&alone), alone.as_str());
        }
        assert!(!is_plain_nfc('\u{301}') && !is_plain_nfc('\u{200b}'));
        // A precomposed letter followed by a mark still goes the slow way.
        assert_eq!(nfc("e\u{302}\u{301}"), "ế");
    }

    #[test]
    fn the_fast_letter_tables_agree_with_unicode() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            if let Some(lower) = vietnamese_lowercase(c) {
                assert_eq!(lower.to_string(), c.to_lowercase().to_string(), "{c:?}");
            }
            if let Some(base) = base_letter(c) {
                let mut slow = String::new();
                push_without_marks(c, &mut slow);
                assert_eq!(base.to_string(), slow, "{c:?}");
            }
        }
        assert_eq!(fold("ĂăÂâÊêÔôƠơƯưĨĩŨũ"), "AaAaEeOoOoUuIiUu");
        assert_eq!(vietnamese_lowercase('Ỹ'), Some('ỹ'));
        assert_eq!(vietnamese_lowercase('Ư'), Some('ư'));
        assert_eq!(vietnamese_lowercase('Σ'), None);
        assert_eq!(normalise_word("ΟΔΟΣ"), "οδος");
    }

    fn exact(text: &str) -> Vec<String> {
        tokenize(&nfc(text)).into_iter().map(|t| t.exact).collect()
    }

    fn folded(text: &str) -> Vec<String> {
        tokenize(&nfc(text)).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn vietnamese_cases() {
        let nfd = "Ngân sách".nfd().collect::<String>();
        // (input, exact forms, folded forms)
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("ngân sách", &["ngân", "sách"], &["ngan", "sach"]),
            ("NGÂN SÁCH", &["ngân", "sách"], &["ngan", "sach"]),
            (&nfd, &["ngân", "sách"], &["ngan", "sach"]),
            ("ngan sach", &["ngan", "sach"], &["ngan", "sach"]),
            ("hoà bình", &["hòa", "bình"], &["hoa", "binh"]),
            ("hòa bình", &["hòa", "bình"], &["hoa", "binh"]),
            ("HOÀ", &["hòa"], &["hoa"]),
            ("thuỷ lợi", &["thủy", "lợi"], &["thuy", "loi"]),
            ("Thuỷ", &["thủy"], &["thuy"]),
            ("khoẻ mạnh", &["khỏe", "mạnh"], &["khoe", "manh"]),
            ("Thị uỷ", &["thị", "ủy"], &["thi", "uy"]),
            ("UỶ BAN", &["ủy", "ban"], &["uy", "ban"]),
            ("quý", &["quý"], &["quy"]),
            ("hoàn thành", &["hoàn", "thành"], &["hoan", "thanh"]),
            ("hoạch", &["hoạch"], &["hoach"]),
            ("Đảng", &["đảng"], &["dang"]),
            ("Khải–UVBTV", &["khải", "uvbtv"], &["khai", "uvbtv"]),
            (
                "kinh tế-xã hội",
                &["kinh", "tế", "xã", "hội"],
                &["kinh", "te", "xa", "hoi"],
            ),
            ("Đ/c", &["đ", "c"], &["d", "c"]),
            ("sạch", &["sạch"], &["sach"]),
            ("Thư\u{200b}ờng", &["thường"], &["thuong"]),
            (
                "169.541 triệu",
                &["169", "541", "triệu"],
                &["169", "541", "trieu"],
            ),
        ];
        for (input, want_exact, want_folded) in cases {
            assert_eq!(exact(input), *want_exact, "exact form of {input:?}");
            assert_eq!(folded(input), *want_folded, "folded form of {input:?}");
        }
    }

    #[test]
    fn book_and_clean_stay_apart() {
        assert_ne!(exact("sách"), exact("sạch"));
        assert_eq!(folded("sách"), folded("sạch"));
        assert_ne!(exact("hòa"), exact("hóa"));
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Đ/c Khải–UVBTV";
        for t in tokenize(text) {
            assert_eq!(normalise_word(&text[t.start..t.end]), t.exact);
        }
    }

    #[test]
    fn diacritics_are_detected() {
        assert!(has_diacritics("hòa"));
        assert!(has_diacritics("đất"));
        assert!(!has_diacritics("hoa"));
    }

    #[test]
    fn document_numbers() {
        assert_eq!(number_key("706 - kl/tu"), "706-KL/TU");
        assert_eq!(number_key("123/QĐ-UBND"), number_key("123/QD-UBND"));
        assert!(looks_like_number("706-KL/TU"));
        assert!(looks_like_number("123/QĐ-UBND"));
        assert!(!looks_like_number("2020-2025"));
        assert!(!looks_like_number("Covid-19"));
        let text = "Kết luận số 706-KL/TU, ngày 05/4/2023; Kế hoạch số 56-KH/TU và Quyết định 01/2023/NĐ-CP. Covid-19, giai đoạn 2020-2025.";
        assert_eq!(numbers_in(text), ["706-KL/TU", "56-KH/TU", "01/2023/ND-CP"]);
    }

    #[test]
    fn look_alike_letters_in_numbers_are_read_as_latin() {
        // К, Т Cyrillic; Ο, Χ Greek; Ð Icelandic.
        assert_eq!(latin_number("45-КL/ТU"), "45-KL/TU");
        assert_eq!(number_key("45-КL/ТU"), "45-KL/TU");
        assert_eq!(number_key("12-ΧΟ/TU"), "12-XO/TU");
        assert_eq!(number_key("123/QÐ-UBND"), number_key("123/QĐ-UBND"));
        assert!(looks_like_number("45-КL/ТU"));
        assert_eq!(numbers_in("Kết luận số 45-КL/ТU ngày"), ["45-KL/TU"]);
        assert!(matches!(
            latin_number("45-KL/TU"),
            std::borrow::Cow::Borrowed(_)
        ));
        // Not in ordinary words: a Russian name stays Russian.
        assert_eq!(exact("Москва"), ["москва"]);
        for (from, to) in [('А', 'A'), ('с', 'c'), ('Ρ', 'P'), ('η', 'h'), ('ð', 'đ')] {
            assert_eq!(latin_lookalike(from), Some(to));
        }
        assert_eq!(latin_lookalike('K'), None);
        assert_eq!(latin_lookalike('Д'), None);
    }

    #[test]
    fn the_icelandic_eth_is_read_as_d_with_stroke() {
        assert_eq!(exact("Ðảng ðoàn"), ["đảng", "đoàn"]);
        assert_eq!(folded("Ðảng"), ["dang"]);
        assert_eq!(exact("Ðảm baỏ chất lựơng"), exact("Đảm bảo chất lượng"));
    }
}
