//! The Vietnamese analyser, used identically when indexing (natively) and
//! when querying (natively and in the browser).
//!
//! Every text is first NFC-normalised without zero-width characters: NFD
//! text keeps its tone marks as separate combining characters, which a
//! tokenizer would otherwise cut syllables at. A word then has two forms:
//! - *exact*: lowercase, with the tone mark of open `oa`, `oe`, `uy`
//!   syllables on the first vowel (`hoà` → `hòa`, `thuỷ` → `thủy`), the
//!   placement most of the archive uses;
//! - *folded*: the exact form without any diacritics (`đ` → `d`), for
//!   queries typed without them (`ngan sach`).
//!
//! Words are runs of letters and digits, so dashes, en dashes and slashes
//! separate them (`Khải–UVBTV` is `khải` + `uvbtv`). Document numbers
//! (`706-KL/TU`) are additionally recognised whole by [`number_key`].

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Longer tokens are noise (glued URLs, base64) and only bloat the index.
pub const MAX_TOKEN_BYTES: usize = 40;

/// One word of an NFC text, with its byte offsets in that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub exact: String,
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// NFC without zero-width characters: what every text goes through first.
/// Borrows when the text already is (nearly always: the site generator
/// normalises documents when loading them).
pub fn nfc(text: &str) -> Cow<'_, str> {
    let clean = !text.chars().any(is_zero_width)
        && unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if clean {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| !is_zero_width(*c)).nfc().collect())
    }
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// The words of an NFC text (pass untrusted text through [`nfc`] first).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        // Marks NFC cannot compose still belong to the word they follow.
        let in_word = c.is_alphanumeric() || (start.is_some() && is_combining_mark(c));
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s <= MAX_TOKEN_BYTES {
                    let exact = normalise_word(&text[s..i]);
                    out.push(Word {
                        folded: fold(&exact),
                        exact,
                        start: s,
                        end: i,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Lowercase and one tone placement for a single NFC word.
pub fn normalise_word(word: &str) -> String {
    let lower = word.to_lowercase();
    for (alt, std) in TONE_PAIRS {
        if let Some(stem) = lower.strip_suffix(alt) {
            // In `quý`, `quỳ` the u belongs to the consonant `qu`: the mark
            // is already on the vowel in both conventions.
            if !(alt.starts_with('u') && stem.ends_with('q')) {
                return format!("{stem}{std}");
            }
        }
    }
    lower
}

/// Open syllables ending in oa, oe, uy carry the tone mark on the first
/// vowel in the "old" convention (hòa, khỏe, thủy) and on the second in the
/// "new" one (hoà, khoẻ, thuỷ). With a final consonant (hoàn, thuyết) both
/// conventions agree, hence only word endings are rewritten.
const TONE_PAIRS: [(&str, &str); 15] = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

/// Removes diacritics: `ngân sách` → `ngan sach`, `đ` → `d`.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Whether a normalised word carries any diacritic (`đ` included).
pub fn has_diacritics(word: &str) -> bool {
    fold(word) != word
}

/// The lookup key of a document number (số ký hiệu) such as `706-KL/TU` or
/// `123/QĐ-UBND`: uppercase, `Đ` → `D`, any dash → `-`. `None` if the text
/// does not have that shape: digits, `-` or `/`, then letter codes
/// separated by `-` or `/`.
pub fn number_key(text: &str) -> Option<String> {
    let key: String = nfc(text.trim())
        .chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'Đ' => 'D',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let key = fold(&key);
    let digits = key.chars().take_while(char::is_ascii_digit).count();
    let codes = key[digits..].strip_prefix(['-', '/'])?;
    let shaped = digits > 0
        && codes.split(['-', '/']).all(|code| {
            !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && codes.chars().any(|c| c.is_ascii_uppercase());
    shaped.then_some(key)
}

/// Every document number cited in a text, as [`number_key`]s, without
/// duplicates, in order of first appearance.
pub fn cited_numbers(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let glue = |c: char| c.is_alphanumeric() || matches!(c, '-' | '/' | '\u{2010}'..='\u{2015}');
    for candidate in text.split(|c: char| !glue(c)) {
        let candidate = candidate.trim_matches(|c: char| !c.is_alphanumeric());
        if !candidate.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        if let Some(key) = number_key(candidate)
            && !out.contains(&key)
        {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Vec<String> {
        words(&nfc(text)).into_iter().map(|w| w.exact).collect()
    }

    fn folded(text: &str) -> Vec<String> {
        words(&nfc(text)).into_iter().map(|w| w.folded).collect()
    }

    #[test]
    fn exact_forms() {
        let nfd = "ngân sách".nfd().collect::<String>();
        let cases: &[(&str, &[&str], &str)] = &[
            ("hoà", &["hòa"], "new tone placement → old"),
            ("hòa", &["hòa"], "old placement unchanged"),
            ("HOÀ BÌNH", &["hòa", "bình"], "capitals"),
            ("thuỷ lợi", &["thủy", "lợi"], "uy"),
            ("Thuỷ", &["thủy"], "capital uy"),
            ("khoẻ", &["khỏe"], "oe"),
            ("Uỷ ban", &["ủy", "ban"], "uy at word start"),
            ("UỶ BAN", &["ủy", "ban"], "all capitals"),
            ("quý", &["quý"], "qu + y keeps its mark"),
            ("Quỳnh", &["quỳnh"], "closed syllable untouched"),
            (
                "hoàn thành",
                &["hoàn", "thành"],
                "final consonant: same in both",
            ),
            ("hóa", &["hóa"], "other tone stays other"),
            ("sạch sách", &["sạch", "sách"], "tones distinct"),
            (&nfd, &["ngân", "sách"], "NFD composed, not split"),
            ("Khải–UVBTV", &["khải", "uvbtv"], "en dash splits"),
            ("706-KL/TU", &["706", "kl", "tu"], "number parts"),
            ("ng\u{200b}ân", &["ngân"], "zero-width removed"),
            ("Đảng, (nhà nước).", &["đảng", "nhà", "nước"], "punctuation"),
        ];
        for (input, want, why) in cases {
            assert_eq!(exact(input), *want, "{why}: {input:?}");
        }
    }

    #[test]
    fn folded_forms() {
        let cases: &[(&str, &[&str])] = &[
            ("ngân sách", &["ngan", "sach"]),
            ("Đà Nẵng", &["da", "nang"]),
            ("hoà hòa hóa hoa", &["hoa", "hoa", "hoa", "hoa"]),
            ("THUỶ", &["thuy"]),
            ("giải phóng mặt bằng", &["giai", "phong", "mat", "bang"]),
        ];
        for (input, want) in cases {
            assert_eq!(folded(input), *want, "{input:?}");
        }
    }

    #[test]
    fn offsets_point_into_the_nfc_text() {
        let text = nfc("Ủy ban — hoà");
        let w = words(&text);
        assert_eq!(&text[w[0].start..w[0].end], "Ủy");
        assert_eq!(&text[w[2].start..w[2].end], "hoà");
        assert_eq!(w[2].exact, "hòa");
    }

    #[test]
    fn diacritics_are_detected() {
        for (word, want) in [
            ("hòa", true),
            ("đat", true),
            ("ngan", false),
            ("2023", false),
        ] {
            assert_eq!(has_diacritics(word), want, "{word}");
        }
    }

    #[test]
    fn document_numbers() {
        let cases: &[(&str, Option<&str>)] = &[
            ("706-KL/TU", Some("706-KL/TU")),
            ("706-kl/tu", Some("706-KL/TU")),
            ("123/QĐ-UBND", Some("123/QD-UBND")),
            ("123/qđ-ubnd", Some("123/QD-UBND")),
            ("123/QD-UBND", Some("123/QD-UBND")),
            ("45–KL/TW", Some("45-KL/TW")),
            ("2020-2025", None),
            ("KL/TU", None),
            ("706-", None),
            ("hòa", None),
        ];
        for (input, want) in cases {
            assert_eq!(number_key(input).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn numbers_cited_in_text() {
        let text = "Thực hiện Kết luận số 706-KL/TU, (Quyết định 123/QĐ-UBND). Giai đoạn 2020-2025; lại 706-KL/TU.";
        assert_eq!(cited_numbers(text), ["706-KL/TU", "123/QD-UBND"]);
    }
}
