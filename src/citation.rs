//! Recognising citations in text: "Kết luận số 706-KL/TU, ngày 05/4/2023"
//! and the issuer named after it. Pure text in, citations out: nothing here
//! knows about documents or the archive, which [`crate::references`]
//! resolves them against.

use std::ops::Range;

use crate::calendar::Date;

/// Words that name a kind of document, lowercase. Two-word names first is not
/// needed: every entry is compared against exactly as many words as it has.
const KINDS: &[&str] = &[
    "kết luận",
    "nghị quyết",
    "kế hoạch",
    "chỉ thị",
    "quyết định",
    "thông báo",
    "báo cáo",
    "quy định",
    "quy chế",
    "hướng dẫn",
    "công văn",
    "công điện",
    "tờ trình",
    "chương trình",
    "thông tri",
    "thông tư",
    "nghị định",
    "đề án",
    "pháp lệnh",
    "luật",
];

/// One citation found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Citation {
    /// Byte range of the whole citation, from the kind word to the number or
    /// the date: the text that becomes a link.
    pub span: Range<usize>,
    /// The kind as written, e.g. `Kết luận`.
    pub kind: String,
    /// The số ký hiệu tidied for display: `706 - KL/TU` → `706-KL/TU`.
    pub number: String,
    /// What numbers are compared on.
    pub key: NumberKey,
    pub date: Option<Date>,
}

/// What a số ký hiệu is compared on: `706 - kl/tu` and `706-KL/TU` are the
/// same number; so are `QĐ` and `QD`, because both spellings occur in
/// converted archives.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NumberKey(String);

impl NumberKey {
    pub(crate) fn of(number: &str) -> NumberKey {
        NumberKey(
            number
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    'đ' | 'Đ' => 'D',
                    '–' => '-',
                    c => c.to_ascii_uppercase(),
                })
                .collect(),
        )
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The issuer code at the end: `706-KL/TU` → `TU`, `123/QD-UBND` → `UBND`.
    pub(crate) fn issuer_code(&self) -> &str {
        self.0.rsplit(['-', '/']).next().unwrap_or(&self.0)
    }

    /// The number before the first non-digit, for sorting numbers as a
    /// register does (`9-KL` before `10-KL`); those without one sort last.
    pub(crate) fn leading_number(&self) -> u64 {
        let digits: String = self.0.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(u64::MAX)
    }
}

/// The kind of document a number's type code names: `45-KL/TU` → Kết luận,
/// `123/QĐ-UBND` → Quyết định.
pub(crate) fn kind_of_number(number: &str) -> Option<&'static str> {
    let key = NumberKey::of(number);
    let code = key
        .as_str()
        .split(['-', '/'])
        .find(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()))?;
    Some(match code {
        "KL" => "Kết luận",
        "NQ" => "Nghị quyết",
        "KH" => "Kế hoạch",
        "CT" => "Chỉ thị",
        "QD" => "Quyết định",
        "QDI" => "Quy định",
        "QC" => "Quy chế",
        "TB" => "Thông báo",
        "BC" => "Báo cáo",
        "HD" => "Hướng dẫn",
        "CV" => "Công văn",
        "TTR" => "Tờ trình",
        "CTR" => "Chương trình",
        "ND" => "Nghị định",
        "TT" => "Thông tư",
        _ => return None,
    })
}

/// Every citation in `text`, in order. Looks only where `số` occurs, so the
/// cost is one pass over the text.
pub(crate) fn recognise(text: &str) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    // Upper case `SỐ` is rare; searching for each form with a string pattern
    // is several times faster than one search for either character.
    let mut at: Vec<usize> = text.match_indices('ố').map(|(i, _)| i).collect();
    if text.contains('Ố') {
        at.extend(text.match_indices('Ố').map(|(i, _)| i));
        at.sort_unstable();
    }
    for o_start in at {
        if out.last().is_some_and(|c| c.span.end > o_start) {
            continue;
        }
        if let Some(c) = citation_at(text, o_start) {
            out.push(c);
        }
    }
    out
}

/// A citation whose `số` has its `ố` at `o_start`, if there is one.
fn citation_at(text: &str, o_start: usize) -> Option<Citation> {
    let s_start = o_start.checked_sub(1)?;
    if !matches!(text.as_bytes()[s_start], b's' | b'S') {
        return None;
    }
    // Most `số` are the word "number" ("một số nhiệm vụ"): a digit must follow.
    let after = gap(text, o_start + 'ố'.len_utf8())?;
    if !text.as_bytes().get(after).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (kind_start, kind) = kind_before(&text[..s_start])?;
    let (number_end, number) = parse_number(text, after)?;
    let (end, date) = match parse_date(text, number_end) {
        Some((end, date)) => (end, Some(date)),
        None => (number_end, None),
    };
    Some(Citation {
        span: kind_start..end,
        kind,
        key: NumberKey::of(&number),
        number,
        date,
    })
}

/// Whitespace between two words of a citation: at least one character, and
/// at most one line break, so a citation never spans two paragraphs. Returns
/// where the next word starts.
fn gap(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let len = rest.len() - rest.trim_start().len();
    let ws = &rest[..len];
    (len > 0 && ws.matches('\n').count() <= 1).then_some(from + len)
}

/// The kind word(s) ending just before `prefix` ends (after whitespace), and
/// where they start.
fn kind_before(prefix: &str) -> Option<(usize, String)> {
    let trimmed = prefix.trim_end();
    let ws = &prefix[trimmed.len()..];
    if ws.is_empty() || ws.matches('\n').count() > 1 {
        return None;
    }
    KINDS.iter().find_map(|kind| {
        let words = kind.split(' ').count();
        let start = words_start(trimmed, words)?;
        let written = &trimmed[start..];
        let same = written
            .split_whitespace()
            .map(str::to_lowercase)
            .eq(kind.split(' ').map(str::to_string));
        same.then(|| {
            (
                start,
                written.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
    })
}

/// Where the last `n` words of `text` start, skipping punctuation glued to
/// the front of the first one (`(Kết`, `**Nghị`).
fn words_start(text: &str, n: usize) -> Option<usize> {
    let mut start = text.len();
    for i in 0..n {
        let head = text[..start].trim_end();
        if i > 0 && (head.len() == start || text[head.len()..start].matches('\n').count() > 1) {
            return None;
        }
        start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    let word = &text[start..];
    let skip = word.len()
        - word
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .len();
    (skip < word.len()).then_some(start + skip)
}

/// Parses a số ký hiệu at `from`: digits, then codes separated by `-` or `/`
/// (`706-KL/TU`, `123/QĐ-UBND`, `01/2023/NĐ-CP`). Returns its end and its
/// tidy form; `None` unless there is at least one letter code.
fn parse_number(text: &str, from: usize) -> Option<(usize, String)> {
    let rest = &text[from..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let mut tidy = rest[..digits].to_string();
    let mut end = from + digits;
    let mut has_code = false;
    while let Some((next, sep, code)) = next_code(text, end, has_code) {
        tidy.push(sep);
        tidy.push_str(&ketluan_search::analysis::latin_number(code));
        has_code |= code.chars().any(|c| !c.is_ascii_digit());
        end = next;
    }
    has_code.then_some((end, tidy))
}

/// The separator and code after `from`, if they continue the number.
fn next_code(text: &str, from: usize, has_code: bool) -> Option<(usize, char, &str)> {
    let rest = &text[from..];
    let after_space = rest.trim_start_matches(is_inline_space);
    let sep = after_space
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '/' | '–'))?;
    let code_part = after_space[sep.len_utf8()..].trim_start_matches(is_inline_space);
    let spaced =
        after_space.len() < rest.len() || code_part.len() < after_space.len() - sep.len_utf8();
    let len = code_part.len()
        - code_part
            .trim_start_matches(|c: char| {
                c.is_ascii_alphanumeric()
                    || c == 'đ'
                    || c == 'Đ'
                    || ketluan_search::analysis::latin_lookalike(c).is_some()
            })
            .len();
    let code = &code_part[..len];
    let glued_to_word = code_part[len..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    if code.is_empty() || glued_to_word || (spaced && !plausible_spaced_code(code, has_code)) {
        return None;
    }
    let end = text.len() - code_part.len() + len;
    Some((end, if sep == '–' { '-' } else { sep }, code))
}

fn is_inline_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{a0}'
}

/// After a spaced separator (`706 - KL/TU`) only a real code may follow, not
/// the next word of the sentence (`56-KH/TU - Ban Thường vụ …`): codes are
/// upper case, except a short lower-case type code right after the digits.
fn plausible_spaced_code(code: &str, has_code: bool) -> bool {
    let upper = code.chars().all(|c| c.is_ascii_digit() || c.is_uppercase());
    let short_lower =
        !has_code && code.chars().count() <= 4 && code.chars().all(char::is_lowercase);
    upper || short_lower
}

/// `, ngày 05/4/2023` or ` ngày 5 tháng 4 năm 2023` after a number.
fn parse_date(text: &str, from: usize) -> Option<(usize, Date)> {
    let rest = &text[from..];
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let start = text.len() - rest.len();
    let word = gap(text, start)?;
    let after = text[word..]
        .strip_prefix("ngày")
        .or_else(|| text[word..].strip_prefix("Ngày"))?;
    let at = gap(text, text.len() - after.len())?;
    numeric_date(text, at).or_else(|| worded_date(text, at))
}

/// `05/4/2023`, also with `-` or `.`.
fn numeric_date(text: &str, from: usize) -> Option<(usize, Date)> {
    let mut at = from;
    let day = take_number(text, &mut at, 2)?;
    let sep = text[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, '/' | '-' | '.'))?;
    at += 1;
    let month = take_number(text, &mut at, 2)?;
    text[at..].starts_with(sep).then_some(())?;
    at += 1;
    let year = take_number(text, &mut at, 4)?;
    make_date(year, month, day).map(|d| (at, d))
}

/// `5 tháng 4 năm 2023`.
fn worded_date(text: &str, from: usize) -> Option<(usize, Date)> {
    let mut at = from;
    let day = take_number(text, &mut at, 2)?;
    at = expect_word(text, at, "tháng")?;
    let month = take_number(text, &mut at, 2)?;
    at = expect_word(text, at, "năm")?;
    let year = take_number(text, &mut at, 4)?;
    make_date(year, month, day).map(|d| (at, d))
}

fn expect_word(text: &str, from: usize, word: &str) -> Option<usize> {
    let at = gap(text, from)?;
    let after = text[at..].strip_prefix(word)?;
    gap(text, text.len() - after.len())
}

/// Up to `max` digits at `*at`; advances past them.
fn take_number(text: &str, at: &mut usize, max: usize) -> Option<u16> {
    let rest = &text[*at..];
    let len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if len == 0 || len > max {
        return None;
    }
    let n = rest[..len].parse().ok()?;
    *at += len;
    Some(n)
}

fn make_date(year: u16, month: u16, day: u16) -> Option<Date> {
    if year < 1900 {
        return None;
    }
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
}

/// One distinct document a text cites, as written: what loading finds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    /// The citation as the text writes it, whitespace collapsed: what a
    /// maintainer searches the file for.
    pub written: String,
    pub kind: String,
    pub number: String,
    pub key: NumberKey,
    pub date: Option<Date>,
    /// The issuer the text names after it ("của Ban Chấp hành Đảng bộ
    /// tỉnh"), if any.
    pub issuer: Option<String>,
    /// Line of the file (1-based) of the first mention.
    pub line: usize,
}

/// The distinct citations of a text, in order of first mention; the same
/// number and date cited twice is one. `first_line` is the file's line
/// where `text` starts.
pub(crate) fn mentions(text: &str, first_line: usize) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let (mut line, mut counted) = (first_line, 0);
    for c in recognise(text) {
        if out.iter().any(|o| o.key == c.key && o.date == c.date) {
            continue;
        }
        line += text[counted..c.span.start].matches('\n').count();
        counted = c.span.start;
        out.push(Mention {
            written: text[c.span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            issuer: issuer_after(text, c.span.end),
            kind: c.kind,
            number: c.number,
            key: c.key,
            date: c.date,
            line,
        });
    }
    out
}

/// Words that end the name of an issuer in "của <issuer> về …".
const AFTER_ISSUER: &[&str] = &[
    "về", "và", "tại", "đã", "trong", "đối", "với", "nhiệm", "khóa", "khoá", "năm", "ngày", "đến",
];

/// `của Ban Chấp hành Đảng bộ tỉnh` right after a citation → `Ban Chấp hành
/// Đảng bộ tỉnh`.
fn issuer_after(text: &str, from: usize) -> Option<String> {
    let at = gap(text, from)?;
    let rest = text[at..].strip_prefix("của")?;
    let start = gap(text, text.len() - rest.len())?;
    let clause = &text[start..];
    let end = clause
        .find([
            ',', ';', '.', '(', ')', ':', '"', '“', '”', '[', ']', '*', '_',
        ])
        .unwrap_or(clause.len())
        .min(clause.find("\n\n").unwrap_or(clause.len()));
    let words: Vec<&str> = clause[..end]
        .split_whitespace()
        .take_while(|w| !AFTER_ISSUER.contains(&w.to_lowercase().as_str()))
        .take(12)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Option<Date> {
        Some(Date::new(y, m, d).unwrap())
    }

    /// (matched text, number as shown, key, date)
    type Expected = (&'static str, &'static str, &'static str, Option<Date>);

    #[test]
    fn recognises_citations() {
        let cases: &[(&str, &[Expected])] = &[
            (
                "Triển khai Kết luận số 706-KL/TU, ngày 05/4/2023 của Ban Chấp hành",
                &[(
                    "Kết luận số 706-KL/TU, ngày 05/4/2023",
                    "706-KL/TU",
                    "706-KL/TU",
                    date(2023, 4, 5),
                )],
            ),
            (
                "thực hiện Kế hoạch số 56-KH/TU.",
                &[("Kế hoạch số 56-KH/TU", "56-KH/TU", "56-KH/TU", None)],
            ),
            (
                "Nghị quyết số 10-NQ/TU, ngày 11/4/2023; Chỉ thị số 05-CT/TW",
                &[
                    (
                        "Nghị quyết số 10-NQ/TU, ngày 11/4/2023",
                        "10-NQ/TU",
                        "10-NQ/TU",
                        date(2023, 4, 11),
                    ),
                    ("Chỉ thị số 05-CT/TW", "05-CT/TW", "05-CT/TW", None),
                ],
            ),
            (
                "theo Quyết định số 123/QĐ-UBND ngày 5 tháng 4 năm 2023",
                &[(
                    "Quyết định số 123/QĐ-UBND ngày 5 tháng 4 năm 2023",
                    "123/QĐ-UBND",
                    "123/QD-UBND",
                    date(2023, 4, 5),
                )],
            ),
            (
                "Nghị định số 01/2023/NĐ-CP",
                &[(
                    "Nghị định số 01/2023/NĐ-CP",
                    "01/2023/NĐ-CP",
                    "01/2023/ND-CP",
                    None,
                )],
            ),
            (
                "KẾT LUẬN SỐ  706 - KL/TU",
                &[("KẾT LUẬN SỐ  706 - KL/TU", "706-KL/TU", "706-KL/TU", None)],
            ),
            (
                "kết luận số 706-kl/tu về việc",
                &[("kết luận số 706-kl/tu", "706-kl/tu", "706-KL/TU", None)],
            ),
            (
                "Kết luận số 706 - kl/tu",
                &[("Kết luận số 706 - kl/tu", "706-kl/tu", "706-KL/TU", None)],
            ),
            (
                "(Kết luận\nsố 9-KL/HU, ngày 1/12/2019)",
                &[(
                    "Kết luận\nsố 9-KL/HU, ngày 1/12/2019",
                    "9-KL/HU",
                    "9-KL/HU",
                    date(2019, 12, 1),
                )],
            ),
            (
                "**Quyết định số 45/QD-TTg**",
                &[("Quyết định số 45/QD-TTg", "45/QD-TTg", "45/QD-TTG", None)],
            ),
            (
                "Kế hoạch số 56-KH/TU - Ban Thường vụ",
                &[("Kế hoạch số 56-KH/TU", "56-KH/TU", "56-KH/TU", None)],
            ),
            (
                "Kết luận số 12-KL/TU, ngày 31/02/2023",
                &[("Kết luận số 12-KL/TU", "12-KL/TU", "12-KL/TU", None)],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<_> = recognise(text)
                .into_iter()
                .map(|c| (&text[c.span], c.number, c.key.as_str().to_string(), c.date))
                .collect();
            let want: Vec<_> = want
                .iter()
                .map(|(m, n, k, d)| (*m, n.to_string(), k.to_string(), *d))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn ignores_what_is_not_a_citation() {
        for text in [
            "một số nhiệm vụ",
            "Chỉ số hài lòng 92%",
            "bão số 3 (Yagi)",
            "Kết luận số 45",
            "Kết luận số KL/TU",
            "Kết luận\n\nsố 45-KL/TU",
            "Kết luận số\n\n45-KL/TU",
            "Kết luậnsố 45-KL/TU",
            "Kết luận số 45-KLTUvề",
            "Kết luận số ",
            "số",
            "Kết luận SỐ",
        ] {
            assert_eq!(recognise(text), Vec::new(), "{text:?}");
        }
    }

    #[test]
    fn a_date_across_a_paragraph_break_is_not_part_of_the_citation() {
        let c = recognise("Kết luận số 7-KL/TU, ngày\n\n05/4/2023");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].date, None);
    }

    #[test]
    fn keys_ignore_case_spacing_and_the_stroke_of_d() {
        assert_eq!(
            NumberKey::of("123/qđ-ubnd"),
            NumberKey::of("123 / QD - UBND")
        );
        assert_eq!(NumberKey::of("706–KL/TU").as_str(), "706-KL/TU");
    }

    #[test]
    fn type_codes_name_kinds() {
        assert_eq!(kind_of_number("45-KL/TU"), Some("Kết luận"));
        assert_eq!(kind_of_number("123/QĐ-UBND"), Some("Quyết định"));
        assert_eq!(kind_of_number("01/2023/NĐ-CP"), Some("Nghị định"));
        assert_eq!(kind_of_number("12/XYZ"), None);
    }
}
