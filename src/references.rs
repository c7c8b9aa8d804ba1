//! Citations between documents: recognising "Kết luận số 706-KL/TU, ngày
//! 05/4/2023" in the text, resolving each against the archive, and the
//! per-document lists of what a conclusion cites and what cites it.
//!
//! Resolution is deliberately conservative: a wrong link misleads a reader
//! more than a missing one, so whatever stays ambiguous is left as plain text
//! and listed by `ketluan check` for a maintainer to settle.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::calendar::Date;
use crate::content::Document;
use crate::slug::Slug;

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
pub struct Citation {
    /// Byte range of the whole citation, from the kind word to the number or
    /// the date: the text that becomes a link.
    pub span: Range<usize>,
    /// The kind as written, e.g. `Kết luận`.
    pub kind: String,
    /// The số ký hiệu tidied for display: `706 - KL/TU` → `706-KL/TU`.
    pub number: String,
    /// What numbers are compared on: see [`number_key`].
    pub key: String,
    pub date: Option<Date>,
}

/// `706 - kl/tu` and `706-KL/TU` are the same number; so are `QĐ` and `QD`,
/// because both spellings occur in converted archives.
pub fn number_key(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'đ' | 'Đ' => 'D',
            '–' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The kind of document a number's type code names: `45-KL/TU` → Kết luận,
/// `123/QĐ-UBND` → Quyết định.
pub fn kind_of_number(number: &str) -> Option<&'static str> {
    let key = number_key(number);
    let code = key
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
pub fn recognise(text: &str) -> Vec<Citation> {
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
        key: number_key(&number),
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

/// The organisation behind an issuing body: "Ban Chấp hành Đảng bộ thị xã
/// Thuận Thành" and "Ban Thường vụ Thị ủy Thuận Thành" are both the Thị ủy of
/// Thuận Thành, which numbers their documents in one series.
pub fn organisation(body: &str) -> String {
    let slug = Slug::from_text(body)
        .map(|s| s.to_string())
        .unwrap_or_default();
    // Abbreviations in running text ("UBND thị xã") name the same bodies as
    // the front matter spells out.
    let slug = format!("{slug}-")
        .replace("ubnd-", "uy-ban-nhan-dan-")
        .replace("hdnd-", "hoi-dong-nhan-dan-");
    let mut rest = slug.as_str();
    for prefix in [
        "ban-chap-hanh-dang-bo-",
        "ban-chap-hanh-",
        "ban-thuong-vu-",
        "thuong-truc-",
        "dang-bo-",
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
            break;
        }
    }
    let rest = rest.trim_end_matches('-');
    for (level, names) in [
        ("thi-xa", ["thi-xa", "thi-uy"]),
        ("thanh-pho", ["thanh-pho", "thanh-uy"]),
        ("huyen", ["huyen-uy", "huyen"]),
        ("quan", ["quan-uy", "quan"]),
        ("tinh", ["tinh-uy", "tinh"]),
    ] {
        for name in names {
            if let Some(place) = rest.strip_prefix(name)
                && (place.is_empty() || place.starts_with('-'))
            {
                return format!("{level}{place}");
            }
        }
    }
    rest.to_string()
}

/// Whether an organisation fits the one a text names: "Ban Thường vụ Thị
/// ủy" (`thi-xa`) fits every Thị ủy, "Ban Chấp hành Đảng bộ tỉnh" (`tinh`)
/// fits no Thị ủy, and a bare "Ban Thường vụ" says nothing.
fn same_or_within(named: &str, organisation: &str) -> bool {
    named.is_empty()
        || organisation == named
        || organisation
            .strip_prefix(named)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// The issuer code at the end of a number key: `706-KL/TU` → `TU`,
/// `123/QD-UBND` → `UBND`.
fn issuer_code(key: &str) -> &str {
    key.rsplit(['-', '/']).next().unwrap_or(key)
}

/// What a citation in a document turned out to name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one archived document: the link target.
    Found(usize),
    /// No archived document has this number (and date, if given).
    Missing,
    /// Several archived documents fit equally well.
    Ambiguous(Vec<usize>),
}

/// One distinct document a text cites, as written: what loading finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The citation as the text writes it, whitespace collapsed: what a
    /// maintainer searches the file for.
    pub written: String,
    pub kind: String,
    pub number: String,
    pub key: String,
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
pub fn mentions(text: &str, first_line: usize) -> Vec<Mention> {
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

/// One distinct document a conclusion cites, and what it turned out to name.
#[derive(Clone, Debug)]
pub struct Cited {
    pub mention: Mention,
    pub resolution: Resolution,
}

impl Cited {
    pub fn target(&self) -> Option<usize> {
        match self.resolution {
            Resolution::Found(i) => Some(i),
            _ => None,
        }
    }
}

/// The citation graph of an archive.
#[derive(Clone, Debug, Default)]
pub struct References {
    /// For each document: what it cites, in order of first mention.
    pub cites: Vec<Vec<Cited>>,
    /// For each document: the documents citing it, in archive order (newest first).
    pub cited_by: Vec<Vec<usize>>,
}

impl References {
    /// Scans every document and resolves its citations against the others.
    pub fn new(docs: &[Document]) -> References {
        let index = Index::new(docs);
        let cites: Vec<Vec<Cited>> = docs
            .par_iter()
            .enumerate()
            .map(|(i, doc)| cited_by_document(&index, i, doc))
            .collect();
        let mut cited_by = vec![Vec::new(); docs.len()];
        for (i, list) in cites.iter().enumerate() {
            for target in list.iter().filter_map(Cited::target) {
                if cited_by[target].last() != Some(&i) {
                    cited_by[target].push(i);
                }
            }
        }
        References { cites, cited_by }
    }

    /// Where the citation `(key, date)` of document `i` links, if anywhere:
    /// what the renderer asks while turning citation text into links.
    pub fn target_of(&self, i: usize, key: &str, date: Option<Date>) -> Option<usize> {
        self.cites
            .get(i)?
            .iter()
            .find(|c| c.mention.key == key && c.mention.date == date)
            .and_then(Cited::target)
    }

    /// What `ketluan check` reports: numbers cited but not archived, and
    /// citations that could name several archived documents.
    pub fn report(&self, docs: &[Document]) -> Report {
        let mut missing: BTreeMap<(u64, String), MissingNumber> = BTreeMap::new();
        let mut ambiguous = Vec::new();
        for (i, list) in self.cites.iter().enumerate() {
            for c in list {
                let m = &c.mention;
                let place = Place {
                    path: docs[i].source.clone(),
                    line: m.line,
                    text: m.written.clone(),
                };
                match &c.resolution {
                    Resolution::Found(_) => {}
                    Resolution::Missing => missing
                        .entry((leading_number(&m.key), m.key.clone()))
                        .or_insert_with(|| MissingNumber {
                            number: m.number.clone(),
                            places: Vec::new(),
                        })
                        .places
                        .push(place),
                    Resolution::Ambiguous(candidates) => ambiguous.push(AmbiguousCitation {
                        place,
                        candidates: candidates.iter().map(|&k| docs[k].source.clone()).collect(),
                    }),
                }
            }
        }
        for m in missing.values_mut() {
            m.places
                .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        }
        ambiguous.sort_by(|a, b| (&a.place.path, a.place.line).cmp(&(&b.place.path, b.place.line)));
        Report {
            missing: missing.into_values().collect(),
            ambiguous,
        }
    }
}

fn leading_number(key: &str) -> u64 {
    let digits: String = key.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u64::MAX)
}

/// Distinct citations of one document, resolved. A conclusion naming its
/// own number ("Kết luận số 30-KL/TU này") cites nothing.
fn cited_by_document(index: &Index<'_>, i: usize, doc: &Document) -> Vec<Cited> {
    let own = doc.number.as_ref().map(|n| number_key(n.as_str()));
    doc.citations
        .iter()
        .filter(|m| !(own.as_ref() == Some(&m.key) && m.date.is_none_or(|d| d == doc.date)))
        .map(|m| Cited {
            resolution: index.resolve(i, m),
            mention: m.clone(),
        })
        .collect()
}

/// Archived documents by number key, with what resolution compares.
struct Index<'d> {
    by_key: HashMap<String, Holders>,
    organisations: Vec<String>,
    terms: Vec<Option<Slug>>,
    docs: &'d [Document],
}

/// The documents that carry one number key, in archive order. Numbers
/// restart with every committee and term, so a common one is carried by a
/// share of the whole archive: a citation looks among the holders of its
/// date, or of the organisation it names or is cited from, or resolving
/// every citation would take time growing with the square of the archive.
#[derive(Default)]
struct Holders {
    all: Vec<usize>,
    by_date: HashMap<Date, Vec<usize>>,
    /// Sorted by organisation: an organisation and those its name prefixes
    /// (`huyen` and `huyen-yen-thanh`, as [`same_or_within`] reads them) are
    /// one run.
    by_organisation: Vec<usize>,
}

impl Holders {
    /// The holders whose organisation starts with `prefix`, in archive order.
    fn in_organisations(&self, organisations: &[String], prefix: &str) -> Vec<usize> {
        let first = self
            .by_organisation
            .partition_point(|&k| organisations[k].as_str() < prefix);
        let mut found: Vec<usize> = self.by_organisation[first..]
            .iter()
            .copied()
            .take_while(|&k| organisations[k].starts_with(prefix))
            .collect();
        found.sort_unstable();
        found
    }
}

impl<'d> Index<'d> {
    fn new(docs: &'d [Document]) -> Index<'d> {
        let mut by_key: HashMap<String, Holders> = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            if let Some(n) = &doc.number {
                let holders = by_key.entry(number_key(n.as_str())).or_default();
                holders.all.push(i);
                holders.by_date.entry(doc.date).or_default().push(i);
            }
        }
        let organisations: Vec<String> = docs.iter().map(|d| organisation(&d.issuer)).collect();
        for holders in by_key.values_mut() {
            holders.by_organisation = holders.all.clone();
            holders
                .by_organisation
                .sort_by(|&a, &b| organisations[a].cmp(&organisations[b]));
        }
        Index {
            by_key,
            organisations,
            terms: docs
                .iter()
                .map(|d| d.term.as_deref().and_then(Slug::from_text))
                .collect(),
            docs,
        }
    }

    /// Narrows the documents with the cited number step by step: the issuer
    /// the text names and the cited date, which must fit; then the citing
    /// organisation, then what was in force when the citing document was
    /// issued, which only choose among several.
    fn resolve(&self, citing: usize, m: &Mention) -> Resolution {
        self.choose(citing, m, self.candidates(citing, m))
    }

    /// The holders of the cited number that fit its date and issuer (for a
    /// citation with neither, already narrowed as [`Self::choose`] would).
    fn candidates(&self, citing: usize, m: &Mention) -> Vec<usize> {
        let holders = self.by_key.get(&m.key);
        let named = m.issuer.as_deref().map(organisation);
        let mut found: Vec<usize> = match (holders, m.date, &named) {
            (None, ..) => Vec::new(),
            (Some(h), Some(date), _) => h.by_date.get(&date).cloned().unwrap_or_default(),
            (Some(h), None, Some(named)) => h.in_organisations(&self.organisations, named),
            (Some(h), None, None) => self.undated(citing, h, &m.key),
        };
        found.retain(|&k| k != citing);
        if let Some(named) = &named {
            found.retain(|&k| same_or_within(named, &self.organisations[k]));
        }
        found
    }

    fn choose(&self, citing: usize, m: &Mention, mut found: Vec<usize>) -> Resolution {
        if found.len() > 1 || m.date.is_none() {
            found = self.same_organisation(citing, &m.key, found);
        }
        if found.len() > 1 {
            found = self.in_force(citing, found);
        }
        match found.len() {
            0 => Resolution::Missing,
            1 => Resolution::Found(found[0]),
            _ => Resolution::Ambiguous(found),
        }
    }

    /// When the citing document's own number has the same issuer code
    /// (`…/TU` citing `…/TU`), the cited number is read as one of its own
    /// organisation's: another committee's document with that number is not
    /// what it means. Otherwise the code says nothing about which committee.
    fn same_organisation(&self, citing: usize, key: &str, found: Vec<usize>) -> Vec<usize> {
        let org = &self.organisations[citing];
        let same: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&k| &self.organisations[k] == org)
            .collect();
        if self.same_code(citing, key) || !same.is_empty() {
            same
        } else {
            found
        }
    }

    fn same_code(&self, citing: usize, key: &str) -> bool {
        let own_code = self.docs[citing]
            .number
            .as_ref()
            .map(|n| number_key(n.as_str()));
        own_code.is_some_and(|own| issuer_code(&own) == issuer_code(key))
    }

    /// What [`Self::same_organisation`] keeps of every holder of the number,
    /// for a citation without date or issuer: the citing organisation's are
    /// looked up rather than sought among all.
    fn undated(&self, citing: usize, holders: &Holders, key: &str) -> Vec<usize> {
        let org = &self.organisations[citing];
        let mut own = holders.in_organisations(&self.organisations, org);
        own.retain(|&k| &self.organisations[k] == org && k != citing);
        if !own.is_empty() || self.same_code(citing, key) {
            own
        } else {
            holders.all.clone()
        }
    }

    /// Numbers restart every term: the one meant is of the citing document's
    /// term and issued before it; without terms, the latest issued before it.
    fn in_force(&self, citing: usize, found: Vec<usize>) -> Vec<usize> {
        let day = self.docs[citing].date;
        let before: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&k| self.docs[k].date <= day)
            .collect();
        let term = &self.terms[citing];
        let same_term: Vec<usize> = before
            .iter()
            .copied()
            .filter(|&k| term.is_some() && &self.terms[k] == term)
            .collect();
        if !same_term.is_empty() {
            return same_term;
        }
        let Some(latest) = before.iter().map(|&k| self.docs[k].date).max() else {
            return found;
        };
        before
            .into_iter()
            .filter(|&k| self.docs[k].date == latest)
            .collect()
    }
}

/// Where a citation is: file, line, and the citation as written.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct MissingNumber {
    pub number: String,
    pub places: Vec<Place>,
}

#[derive(Clone, Debug)]
pub struct AmbiguousCitation {
    pub place: Place,
    pub candidates: Vec<PathBuf>,
}

/// The maintainer's worklist printed by `ketluan check`.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Cited numbers no archived document has, by number.
    pub missing: Vec<MissingNumber>,
    pub ambiguous: Vec<AmbiguousCitation>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.ambiguous.is_empty()
    }

    /// One line for `ketluan build`, which leaves the details to `check`.
    pub fn summary(&self) -> String {
        format!(
            "{} cited number(s) match no archived document, {} citation(s) are ambiguous; `ketluan check` lists them",
            self.missing.len(),
            self.ambiguous.len()
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.missing.is_empty() {
            writeln!(
                f,
                "cảnh báo (warning): {} cited number(s) match no archived document (văn bản được dẫn chiếu chưa có trong lưu trữ)",
                self.missing.len()
            )?;
            writeln!(
                f,
                "  = help: add the document to content/, or check the number and date in the citing text"
            )?;
            for m in &self.missing {
                writeln!(f, "  {} — cited {} time(s)", m.number, m.places.len())?;
                for p in &m.places {
                    writeln!(f, "      {}:{}  {}", p.path.display(), p.line, p.text)?;
                }
            }
        }
        if !self.ambiguous.is_empty() {
            writeln!(
                f,
                "cảnh báo (warning): {} citation(s) could name several archived documents and were not linked (dẫn chiếu chưa xác định)",
                self.ambiguous.len()
            )?;
            writeln!(
                f,
                "  = help: add the date (\", ngày dd/mm/yyyy\") to the citation"
            )?;
            for a in &self.ambiguous {
                writeln!(
                    f,
                    "  {}:{}  {}",
                    a.place.path.display(),
                    a.place.line,
                    a.place.text
                )?;
                for c in &a.candidates {
                    writeln!(f, "      candidate: {}", c.display())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: u16, m: u8, d: u8) -> Option<Date> {
        Some(Date::new(y, m, d).unwrap())
    }

    /// (matched text, number as shown, key, date)
    type Expected = (&'static str, &'static str, &'static str, Option<Date>);

    fn numbered(i: usize, body: &str, number: &str, day: Date, term: &str) -> Document {
        let text = format!(
            "+++\ntitle = \"Kết luận {i}\"\ndate = {day}\nbody = \"{body}\"\nnumber = \"{number}\"\nterm = \"{term}\"\n+++\n\nVăn bản.\n"
        );
        let path = PathBuf::from(format!("content/d{i}.md"));
        let file = crate::diagnostic::SourceFile {
            path: &path,
            text: &text,
        };
        let today = Date::new(2030, 1, 1).unwrap();
        let (doc, diags) = crate::content::parse_document(&file, Slug::from_text("d"), today);
        assert!(diags.is_empty(), "{diags:?}");
        doc.unwrap()
    }

    /// The lookups by date and organisation must choose what filtering
    /// every holder of the number did (the quadratic way).
    #[test]
    fn lookups_choose_what_filtering_every_holder_would() {
        let bodies = [
            ("Ban Chấp hành Đảng bộ huyện Yên Thành", "KL/HU"),
            ("Ban Thường vụ Huyện ủy Yên Thành", "KL/HU"),
            ("Ban Thường vụ Huyện ủy Tân Yên", "KL/HU"),
            ("Ban Thường vụ Tỉnh ủy Nghệ An", "KL/TU"),
            ("Ban Chấp hành Trung ương", "KL/TW"),
        ];
        let docs: Vec<Document> = (0..90)
            .map(|i| {
                let (body, code) = bodies[i % bodies.len()];
                let day = Date::new(2020 + (i % 3) as u16, 1 + (i % 4) as u8, 1 + (i % 2) as u8);
                let term = ["XX", "XXI"][i / 45];
                numbered(
                    i,
                    body,
                    &format!("{}-{code}", 1 + i % 3),
                    day.unwrap(),
                    term,
                )
            })
            .collect();
        let index = Index::new(&docs);
        // "Huyện ủy" names every district committee, "Ban Thường vụ" any body.
        let issuers = [
            None,
            Some("Huyện ủy Yên Thành"),
            Some("Huyện ủy"),
            Some("Tỉnh ủy Nghệ An"),
            Some("Ban Thường vụ"),
        ];
        let mut seen = [0; 3];
        for citing in 0..docs.len() {
            for (n, code) in [(1, "KL/HU"), (2, "KL/HU"), (3, "KL/TU"), (1, "KL/TW")] {
                let key = number_key(&format!("{n}-{code}"));
                for day in [None, Some(docs[(citing * 7 + n) % docs.len()].date)] {
                    for issuer in issuers {
                        let m = Mention {
                            written: String::new(),
                            kind: "Kết luận".into(),
                            number: String::new(),
                            key: key.clone(),
                            date: day,
                            issuer: issuer.map(String::from),
                            line: 1,
                        };
                        let named = issuer.map(organisation);
                        let every: Vec<usize> = (0..docs.len())
                            .filter(|&k| k != citing)
                            .filter(|&k| {
                                docs[k].number.as_ref().map(|n| number_key(n.as_str()))
                                    == Some(key.clone())
                            })
                            .filter(|&k| {
                                named
                                    .as_ref()
                                    .is_none_or(|n| same_or_within(n, &index.organisations[k]))
                            })
                            .filter(|&k| day.is_none_or(|d| docs[k].date == d))
                            .collect();
                        let want = index.choose(citing, &m, every);
                        seen[match want {
                            Resolution::Missing => 0,
                            Resolution::Found(_) => 1,
                            Resolution::Ambiguous(_) => 2,
                        }] += 1;
                        assert_eq!(index.resolve(citing, &m), want, "{citing} {m:?}");
                    }
                }
            }
        }
        assert!(seen.iter().all(|&n| n > 20), "{seen:?}");
    }

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
                .map(|c| (&text[c.span], c.number, c.key, c.date))
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
        assert_eq!(number_key("123/qđ-ubnd"), number_key("123 / QD - UBND"));
        assert_eq!(number_key("706–KL/TU"), "706-KL/TU");
    }

    #[test]
    fn type_codes_name_kinds() {
        assert_eq!(kind_of_number("45-KL/TU"), Some("Kết luận"));
        assert_eq!(kind_of_number("123/QĐ-UBND"), Some("Quyết định"));
        assert_eq!(kind_of_number("01/2023/NĐ-CP"), Some("Nghị định"));
        assert_eq!(kind_of_number("12/XYZ"), None);
    }

    #[test]
    fn bodies_of_one_committee_share_an_organisation() {
        let cases = [
            (
                "Ban Chấp hành Đảng bộ thị xã Thuận Thành",
                "thi-xa-thuan-thanh",
            ),
            ("Ban Thường vụ Thị ủy Thuận Thành", "thi-xa-thuan-thanh"),
            ("Ban Thường vụ Thị uỷ Thuận Thành", "thi-xa-thuan-thanh"),
            ("Ban Chấp hành Đảng bộ huyện Gia Bình", "huyen-gia-binh"),
            ("Ban Thường vụ Huyện ủy Gia Bình", "huyen-gia-binh"),
            ("Ban Thường vụ Thành ủy Bắc Ninh", "thanh-pho-bac-ninh"),
            (
                "Ban Chấp hành Đảng bộ thành phố Bắc Ninh",
                "thanh-pho-bac-ninh",
            ),
            ("Ban Thường vụ Quận ủy Ba Đình", "quan-ba-dinh"),
            ("Huyện ủy", "huyen"),
            ("Ban Thường vụ", ""),
            ("Ban Chấp hành Đảng bộ tỉnh", "tinh"),
            (
                "UBND thị xã Thuận Thành",
                "uy-ban-nhan-dan-thi-xa-thuan-thanh",
            ),
            (
                "Ủy ban nhân dân thị xã Thuận Thành",
                "uy-ban-nhan-dan-thi-xa-thuan-thanh",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(organisation(body), want, "{body}");
        }
        assert_ne!(
            organisation("Ban Chấp hành Đảng bộ tỉnh Bắc Ninh"),
            organisation("Ban Chấp hành Đảng bộ thành phố Bắc Ninh")
        );
    }
}
