//! The layout of a Party document (Hướng dẫn 36-HD/VPTW): the header
//! (issuing bodies, number, place and date, kind, session line, trích yếu)
//! before the text, "Nơi nhận" and the signature block after it. Fields are
//! read from where the guide puts them; what is not there stays empty.

use super::report::{Field, Message};
use super::{Block, Para};
use crate::calendar::Date;
use crate::content::DocNumber;

/// What the document states, in front-matter types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub title: Option<String>,
    pub number: Option<String>,
    pub date: Option<Date>,
    pub body: Option<String>,
    pub session: Option<u32>,
    pub term: Option<String>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub recipients: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub unsure: Vec<(Field, Message)>,
}

impl Fields {
    /// A field's value as the report shows it.
    pub(crate) fn shown(&self, field: Field) -> Option<String> {
        match field {
            Field::Title => self.title.clone(),
            Field::Number => self.number.clone(),
            Field::Date => self.date.map(|d| d.to_string()),
            Field::Body => self.body.clone(),
            Field::Session => self.session.map(|s| s.to_string()),
            Field::Term => self.term.clone(),
            Field::Signer => self.signer.clone(),
            Field::SignerTitle => self.signer_title.clone(),
            Field::Recipients => (!self.recipients.is_empty()).then(|| self.recipients.join("; ")),
            Field::Summary => self.summary.clone(),
        }
    }
}

pub(crate) struct Parsed {
    pub fields: Fields,
    pub body: Vec<Block>,
}

/// Kinds of Party documents, longest first so that "THÔNG BÁO KẾT LUẬN" is
/// not read as "THÔNG BÁO".
const KINDS: &[&str] = &[
    "THÔNG BÁO KẾT LUẬN",
    "KẾT LUẬN",
    "NGHỊ QUYẾT",
    "CHỈ THỊ",
    "QUY ĐỊNH",
    "QUYẾT ĐỊNH",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "BÁO CÁO",
    "KẾ HOẠCH",
    "CHƯƠNG TRÌNH",
    "THÔNG TRI",
];

/// Signature prefixes: on behalf of, deputising, by order (Party and state
/// spellings).
const SIGNATURE_PREFIXES: &[&str] = &["T/M", "K/T", "T/L", "TM.", "KT.", "TL.", "TM ", "KT "];

pub(crate) fn parse(blocks: Vec<Block>) -> Parsed {
    let (header, start) = header(&blocks);
    let end = end_start(&blocks, start);
    let tail = end_lines(&blocks[end..]);
    let mut body: Vec<Block> = blocks[start..end].to_vec();
    while matches!(body.first(), Some(Block::Rule)) {
        body.remove(0);
    }
    while matches!(body.last(), Some(Block::Rule)) {
        body.pop();
    }
    for block in &mut body {
        if let Block::Para(p) = block {
            mark_heading(p);
        }
    }
    let mut fields = Fields::default();
    read_header(&header, &mut fields, &body);
    read_end(&tail, &mut fields);
    Parsed { fields, body }
}

// ---------------------------------------------------------------- header

#[derive(Default)]
struct Header {
    /// Issuing bodies of the left column, superior first.
    bodies: Vec<String>,
    number: Option<String>,
    place: Option<String>,
    date: Option<Date>,
    kind: Option<String>,
    /// The session line(s) after the kind, joined.
    title_rest: String,
    summary: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Top,
    Title,
    Summary,
}

/// The header's facts and the index of the first block after it. A
/// document without a recognisable header has none, and all its blocks are
/// text.
fn header(blocks: &[Block]) -> (Header, usize) {
    let mut h = Header::default();
    let mut stage = Stage::Top;
    let mut anchored = false;
    let mut i = 0;
    while i < blocks.len() && i < 30 {
        let paras: Vec<&Para> = match &blocks[i] {
            Block::Table(t) if stage == Stage::Top => t.by_column(),
            Block::Table(_) => break,
            Block::Rule if stage == Stage::Top => {
                i += 1;
                continue;
            }
            Block::Rule => {
                i += 1;
                break;
            }
            Block::Para(p) => vec![p],
        };
        let before = stage;
        let mut took_any = false;
        let mut rejected = false;
        for p in paras {
            if stage == Stage::Summary && before == Stage::Summary && !continues_summary(&h, p) {
                rejected = true;
                break;
            }
            for line in &p.lines {
                let text = line.plain.trim();
                if text.is_empty() {
                    continue;
                }
                if take_line(&mut h, &mut stage, text, &mut anchored) {
                    took_any = true;
                } else {
                    rejected = true;
                    break;
                }
            }
            if rejected {
                break;
            }
        }
        if rejected && !took_any {
            break;
        }
        i += 1;
        if rejected {
            break;
        }
    }
    if h.kind.is_none() && !anchored {
        return (Header::default(), 0);
    }
    (h, i)
}

/// A paragraph after the trích yếu's first one that continues it: the
/// sentence was not finished and this one goes on in small letters.
fn continues_summary(h: &Header, p: &Para) -> bool {
    let last = h.summary.last().map(String::as_str).unwrap_or("");
    let text = p.text();
    !ends_sentence(last) && starts_lower(&text) && text.chars().count() < 200
}

/// Reads one header line; false when it is not header material.
fn take_line(h: &mut Header, stage: &mut Stage, text: &str, anchored: &mut bool) -> bool {
    let upper = text.to_uppercase();
    match *stage {
        Stage::Top => {
            if let Some(kind) = KINDS.iter().find(|k| starts_with_word(&upper, k))
                && is_caps(text)
            {
                h.kind = Some((*kind).to_string());
                h.title_rest = upper[kind.len()..].trim().to_string();
                *stage = Stage::Title;
                return true;
            }
            if let Some(number) = number_line(text) {
                h.number = Some(number);
                *anchored = true;
                return true;
            }
            if let Some((place, date)) = date_line(text) {
                h.place = place.or(h.place.take());
                h.date = date.or(h.date);
                *anchored = true;
                return true;
            }
            if upper.contains("ĐẢNG CỘNG SẢN VIỆT NAM") {
                *anchored = true;
                return true;
            }
            if text.chars().all(|c| !c.is_alphanumeric()) {
                return true; // "*", rules drawn with characters
            }
            if super::marking::marking_of(text).is_some() {
                return true;
            }
            if is_caps(text) {
                h.bodies.push(text.to_string());
                return true;
            }
            false
        }
        Stage::Title => {
            if let Some(rest) = summary_start(text) {
                h.summary.push(rest.to_string());
                *stage = Stage::Summary;
                return true;
            }
            if is_caps(text) {
                if !h.title_rest.is_empty() {
                    h.title_rest.push(' ');
                }
                h.title_rest.push_str(text);
                return true;
            }
            if text.chars().all(|c| !c.is_alphanumeric()) {
                return true;
            }
            false
        }
        Stage::Summary => {
            if text.chars().all(|c| !c.is_alphanumeric()) {
                return true;
            }
            if is_caps(text) {
                return false;
            }
            h.summary.push(text.to_string());
            true
        }
    }
}

fn summary_start(text: &str) -> Option<&str> {
    (text.starts_with("Về ") || text.starts_with("V/v ") || text.starts_with("về ")).then_some(text)
}

/// `Số 45-KL/TU`, `Số: 45-KL/TU`, `Số:45 - KL/TU`.
fn number_line(text: &str) -> Option<String> {
    let rest = text
        .strip_prefix("Số")
        .or_else(|| text.strip_prefix("SỐ"))?;
    let rest = rest.trim_start().strip_prefix(':').unwrap_or(rest).trim();
    let number: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    (number.chars().next().is_some_and(|c| c.is_ascii_digit())).then_some(number)
}

/// `Thuận Thành, ngày 26 tháng 4 năm 2023`: the place (before the comma)
/// and the date.
fn date_line(text: &str) -> Option<(Option<String>, Option<Date>)> {
    let lower = text.to_lowercase();
    let at = lower.find("ngày")?;
    let date = find_date(&text[at..])?;
    let place = text[..at].trim().trim_end_matches(',').trim().to_string();
    Some(((!place.is_empty()).then_some(place), Some(date)))
}

/// The first `ngày D tháng M năm Y` (or `ngày D/M/Y`) in a text.
pub(crate) fn find_date(text: &str) -> Option<Date> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '/')
                .to_lowercase()
        })
        .collect();
    let num = |w: &str| w.parse::<u16>().ok();
    for i in 0..words.len() {
        if words[i] != "ngày" {
            continue;
        }
        if let (Some(d), Some("tháng"), Some(m), Some("năm"), Some(y)) = (
            words.get(i + 1).and_then(|w| num(w)),
            words.get(i + 2).map(String::as_str),
            words.get(i + 3).and_then(|w| num(w)),
            words.get(i + 4).map(String::as_str),
            words.get(i + 5).and_then(|w| num(w)),
        ) && let Ok(date) = Date::new(y, m as u8, d as u8)
        {
            return Some(date);
        }
        if let Some(w) = words.get(i + 1) {
            let parts: Vec<_> = w.split('/').filter_map(num).collect();
            if let [d, m, y] = parts[..]
                && let Ok(date) = Date::new(y, m as u8, d as u8)
            {
                return Some(date);
            }
        }
    }
    None
}

fn read_header(h: &Header, fields: &mut Fields, text: &[Block]) {
    if let Some(number) = &h.number {
        if !DocNumber::new(number).looks_valid() {
            fields.unsure.push((
                Field::Number,
                Message::OddNumber {
                    number: number.clone(),
                },
            ));
        }
        fields.number = Some(number.clone());
    }
    fields.date = h.date;
    let opening = text.iter().find_map(|b| match b {
        Block::Para(p) if p.heading.is_none() => Some(p.text()),
        _ => None,
    });
    if fields.date.is_none()
        && let Some(date) = opening.as_deref().and_then(find_date)
    {
        fields.date = Some(date);
        fields.unsure.push((Field::Date, Message::DateFromOpening));
    }
    let rest = h.title_rest.to_uppercase();
    fields.session = session(&rest);
    fields.term = term(&rest);
    let named = issuer_in_title(&h.title_rest);
    let committee = h.bodies.last().map(String::as_str);
    fields.body = match (named, committee) {
        (Some(named), _) => {
            let mut body = official_case(&named);
            if ends_with_unit(&body) {
                let place = committee
                    .and_then(place_of_committee)
                    .or_else(|| h.place.clone())
                    .or_else(|| {
                        let place = place_in_text(body_unit(&body), text)?;
                        fields.unsure.push((
                            Field::Body,
                            Message::PlaceFromText {
                                place: place.clone(),
                            },
                        ));
                        Some(place)
                    });
                if let Some(place) = place {
                    body = format!("{body} {place}");
                }
            }
            Some(body)
        }
        (None, Some(committee)) => Some(official_case(committee)),
        (None, None) => None,
    };
    if !h.summary.is_empty() {
        fields.summary = Some(h.summary.join(" "));
    }
    if let Some(kind) = &h.kind {
        let mut title = sentence_case(kind);
        if let Some(n) = fields.session {
            title.push_str(&format!(" Hội nghị lần thứ {n}"));
        }
        if let Some(body) = &fields.body {
            if fields.session.is_none() {
                title.push_str(" của");
            }
            title.push(' ');
            title.push_str(body);
        }
        if let Some(term) = &fields.term {
            title.push_str(&format!(" khóa {term}"));
        }
        fields.title = Some(title);
    }
}

/// `HỘI NGHỊ LẦN THỨ 11 …` → 11.
fn session(rest: &str) -> Option<u32> {
    let at = rest.find("LẦN THỨ")?;
    let word = rest[at + "LẦN THỨ".len()..].split_whitespace().next()?;
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    word.parse().ok().or_else(|| roman(word)).filter(|n| *n > 0)
}

/// `… KHÓA XXIII` → "XXIII".
fn term(rest: &str) -> Option<String> {
    let rest = rest.replace("KHOÁ", "KHÓA");
    let at = rest.rfind("KHÓA")?;
    let word = rest[at + "KHÓA".len()..].split_whitespace().next()?;
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    roman(word).map(|_| word.to_string())
}

fn roman(word: &str) -> Option<u32> {
    if word.is_empty() || !word.chars().all(|c| "IVXLC".contains(c)) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 100,
    };
    let digits: Vec<u32> = word.chars().map(value).collect();
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    u32::try_from(total).ok()
}

/// The body named in the session line: after the session number (or after
/// "CỦA"), before "KHÓA".
fn issuer_in_title(rest: &str) -> Option<String> {
    let upper = rest.to_uppercase().replace("KHOÁ", "KHÓA");
    let mut text: &str = &upper;
    if let Some(at) = text.find("LẦN THỨ") {
        let after = &text[at + "LẦN THỨ".len()..];
        let after = after.trim_start();
        let skip = after.find(char::is_whitespace).unwrap_or(after.len());
        text = &after[skip..];
    }
    let text = text
        .trim_start()
        .strip_prefix("CỦA ")
        .unwrap_or(text.trim_start());
    let text = match text.rfind("KHÓA") {
        Some(at) => &text[..at],
        None => text,
    };
    let text = text
        .trim()
        .trim_start_matches("(MỞ RỘNG)")
        .trim()
        .trim_end_matches(',');
    (text.chars().any(char::is_alphabetic)).then(|| text.to_string())
}

/// Administrative units, longest first.
const UNITS: &[&str] = &[
    "thành phố",
    "thị xã",
    "thị trấn",
    "tỉnh",
    "huyện",
    "quận",
    "phường",
    "xã",
];

/// Names with their customary capitals, longest first where one begins
/// another.
const PHRASES: &[&str] = &[
    "Ban Chấp hành",
    "Ban Thường vụ",
    "Ban Bí thư",
    "Bộ Chính trị",
    "Trung ương",
    "Ban cán sự đảng",
    "Đảng bộ",
    "Đảng ủy",
    "Đảng đoàn",
    "Ủy ban Kiểm tra",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Chánh Văn phòng",
    "Văn phòng",
    "Ban Tổ chức",
    "Ban Tuyên giáo",
    "Ban Dân vận",
    "Ban Nội chính",
    "Bí thư",
    "Phó",
    "Thường trực",
    "Chủ tịch",
    "Ủy viên",
    "Trưởng ban",
    "Đảng",
];

/// Committees, after which the place's name follows.
const COMMITTEES: &[&str] = &["Tỉnh ủy", "Thị ủy", "Huyện ủy", "Thành ủy", "Quận ủy"];

/// Old and new tone placement read alike ("UỶ" / "ỦY").
fn canonical_word(word: &str) -> String {
    word.to_lowercase()
        .replace("uỷ", "ủy")
        .replace("khoá", "khóa")
}

/// A name in capitals in its usual spelling: `BAN CHẤP HÀNH ĐẢNG BỘ THỊ XÃ
/// THUẬN THÀNH` → `Ban Chấp hành Đảng bộ thị xã Thuận Thành`, `PHÓ BÍ THƯ
/// THƯỜNG TRỰC` → `Phó Bí thư Thường trực`.
pub(crate) fn official_case(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| canonical_word(w)).collect();
    let mut out: Vec<String> = Vec::new();
    let mut place = false;
    let mut i = 0;
    let matches = |phrase: &str, i: usize| -> Option<usize> {
        let parts: Vec<String> = phrase.split(' ').map(canonical_word).collect();
        (lower.len() >= i + parts.len() && lower[i..i + parts.len()] == parts[..])
            .then_some(parts.len())
    };
    'words: while i < words.len() {
        for phrase in COMMITTEES.iter().chain(PHRASES) {
            if let Some(n) = matches(phrase, i) {
                out.extend(phrase.split(' ').map(str::to_string));
                place = COMMITTEES.contains(phrase);
                i += n;
                continue 'words;
            }
        }
        for unit in UNITS {
            if let Some(n) = matches(unit, i) {
                out.extend(unit.split(' ').map(str::to_string));
                place = true;
                i += n;
                continue 'words;
            }
        }
        if roman(words[i]).is_some() && i > 0 && lower[i - 1] == "khóa" {
            out.push(words[i].to_string());
        } else if place {
            out.push(title_word(&lower[i]));
        } else {
            out.push(lower[i].clone());
        }
        i += 1;
    }
    if let Some(first) = out.first_mut() {
        *first = title_word(first);
    }
    out.join(" ")
}

fn title_word(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn sentence_case(text: &str) -> String {
    title_word(&text.to_lowercase())
}

fn ends_with_unit(body: &str) -> bool {
    UNITS.iter().any(|u| body.ends_with(&format!(" {u}")))
}

fn body_unit(body: &str) -> &'static str {
    UNITS
        .iter()
        .find(|u| body.ends_with(&format!(" {u}")))
        .copied()
        .unwrap_or("")
}

/// `THỊ ỦY THUẬN THÀNH` → `Thuận Thành`.
fn place_of_committee(committee: &str) -> Option<String> {
    let cased = official_case(committee);
    COMMITTEES.iter().find_map(|c| {
        let rest = cased.strip_prefix(c)?.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    })
}

/// The place most often named after `unit` in the text (`thị xã Thuận
/// Thành`): the words with capitals that follow it.
fn place_in_text(unit: &str, body: &[Block]) -> Option<String> {
    if unit.is_empty() {
        return None;
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    let unit_words: Vec<&str> = unit.split(' ').collect();
    for block in body {
        let Block::Para(p) = block else { continue };
        let text = p.text();
        let words: Vec<&str> = text.split_whitespace().collect();
        for i in 0..words.len() {
            let here = words[i..]
                .iter()
                .take(unit_words.len())
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>();
            if here != unit_words {
                continue;
            }
            let mut name = Vec::new();
            for w in &words[i + unit_words.len()..] {
                let clean = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                if !clean.chars().next().is_some_and(char::is_uppercase) || is_caps(clean) {
                    break;
                }
                name.push(clean);
                if clean.len() != w.len() {
                    break;
                }
            }
            if name.is_empty() {
                continue;
            }
            let name = name.join(" ");
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name, 1)),
            }
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max()?;
    counts.into_iter().find(|(_, c)| *c == best).map(|(n, _)| n)
}

// ---------------------------------------------------------------- end

/// Where "Nơi nhận" and the signature begin: the first block that opens
/// them and after which nothing is long enough to be text.
fn end_start(blocks: &[Block], from: usize) -> usize {
    for k in from..blocks.len() {
        if opens_end(&blocks[k]) && blocks[k..].iter().all(short) {
            return k;
        }
    }
    blocks.len()
}

fn opens_end(block: &Block) -> bool {
    match block {
        Block::Para(p) => p
            .lines
            .first()
            .is_some_and(|l| is_recipients_line(&l.plain) || is_signature_line(&l.plain)),
        Block::Table(t) => t.by_column().iter().any(|p| {
            p.lines
                .iter()
                .any(|l| is_recipients_line(&l.plain) || is_signature_line(&l.plain))
        }),
        Block::Rule => false,
    }
}

fn short(block: &Block) -> bool {
    match block {
        Block::Para(p) => p.lines.iter().all(|l| l.plain.chars().count() < 160),
        Block::Table(_) | Block::Rule => true,
    }
}

fn is_recipients_line(text: &str) -> bool {
    text.trim().to_lowercase().starts_with("nơi nhận")
}

fn is_signature_line(text: &str) -> bool {
    let t = text.trim();
    SIGNATURE_PREFIXES.iter().any(|p| t.starts_with(p)) && is_caps(t)
}

fn end_lines(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks {
        let paras: Vec<&Para> = match block {
            Block::Para(p) => vec![p],
            Block::Table(t) => t.by_column(),
            Block::Rule => continue,
        };
        for p in paras {
            out.extend(
                p.lines
                    .iter()
                    .map(|l| l.plain.trim().to_string())
                    .filter(|l| !l.is_empty()),
            );
        }
    }
    out
}

/// "Nơi nhận" and the signature, also when a PDF's reading order
/// interleaves their two columns line by line.
fn read_end(lines: &[String], fields: &mut Fields) {
    let mut signature: Vec<&str> = Vec::new();
    let mut recipients = false;
    for line in lines {
        let bullet = line.starts_with(['-', '+', '•', '–']);
        if is_recipients_line(line) {
            recipients = true;
            let rest = line
                .trim()
                .chars()
                .skip("nơi nhận".chars().count())
                .collect::<String>();
            let rest = rest.trim_start_matches(':').trim();
            if !rest.is_empty() {
                push_recipient(&mut fields.recipients, rest);
            }
        } else if is_signature_line(line) || is_caps(line) {
            signature.push(line);
        } else if recipients && bullet {
            push_recipient(&mut fields.recipients, line);
        } else if !signature.is_empty() {
            signature.push(line);
        } else if recipients {
            match fields.recipients.last_mut() {
                Some(last) if starts_lower(line) => {
                    last.push(' ');
                    last.push_str(&recipient_text(line));
                }
                _ => push_recipient(&mut fields.recipients, line),
            }
        }
    }
    read_signature(&signature, fields);
}

fn push_recipient(list: &mut Vec<String>, line: &str) {
    let text = recipient_text(line);
    if !text.is_empty() {
        list.push(text);
    }
}

fn recipient_text(line: &str) -> String {
    line.trim()
        .trim_start_matches(['-', '+', '•', '–'])
        .trim()
        .trim_end_matches([';', '.', ','])
        .trim()
        .to_string()
}

fn read_signature(lines: &[&str], fields: &mut Fields) {
    let lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !is_signature_note(l))
        .collect();
    let Some(first) = lines.first() else { return };
    let after_prefix = if is_signature_line(first) {
        &lines[1..]
    } else {
        &lines[..]
    };
    let caps: Vec<&str> = after_prefix
        .iter()
        .copied()
        .filter(|l| is_caps(l))
        .collect();
    let name = lines
        .iter()
        .rev()
        .copied()
        .find(|l| !is_caps(l) && l.chars().next().is_some_and(char::is_uppercase));
    let (title, name) = match (name, caps.as_slice()) {
        (Some(name), _) => (caps.last().copied(), Some(name.to_string())),
        // A name written in capitals: the last capital line, after a title.
        (None, [.., title, name]) if lines.last() == Some(name) => {
            (Some(*title), Some(official_name(name)))
        }
        (None, _) => (caps.last().copied(), None),
    };
    fields.signer_title = title.map(official_case);
    if let Some(name) = name {
        if name.split_whitespace().count() < 2 {
            fields.unsure.push((Field::Signer, Message::ShortSigner));
        }
        fields.signer = Some(name);
    }
}

fn official_name(caps: &str) -> String {
    caps.split_whitespace()
        .map(|w| title_word(&w.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "(Đã ký)", "(Ký tên, đóng dấu)": not a name.
fn is_signature_note(line: &str) -> bool {
    let lower = line.to_lowercase();
    (line.starts_with('(') && line.ends_with(')')) || lower == "đã ký" || lower == "đã ký."
}

// ---------------------------------------------------------------- text

/// Roman-numbered section headings (`I. KẾT QUẢ …`) are level 2, as in the
/// archive's documents; other headings keep their level.
fn mark_heading(p: &mut Para) {
    let text = p.text();
    let roman_heading = text
        .split_once(". ")
        .is_some_and(|(n, rest)| roman(n).is_some() && is_caps(rest));
    if roman_heading && p.lines.len() == 1 {
        p.heading = Some(2);
    }
    if p.heading.is_some() {
        for line in &mut p.lines {
            let md = line.md.trim();
            let md = md
                .strip_prefix("**")
                .and_then(|m| m.strip_suffix("**"))
                .unwrap_or(md);
            line.md = md.trim().to_string();
        }
    }
}

pub(crate) fn is_caps(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()))
}

pub(crate) fn starts_lower(text: &str) -> bool {
    text.trim_start()
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase)
}

/// Ends like a finished sentence, heading or list entry.
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_none_or(|c| ".:;!?…”\"»)".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_capitals_get_their_usual_spelling() {
        for (caps, cased) in [
            (
                "BAN CHẤP HÀNH ĐẢNG BỘ THỊ XÃ THUẬN THÀNH",
                "Ban Chấp hành Đảng bộ thị xã Thuận Thành",
            ),
            ("PHÓ BÍ THƯ THƯỜNG TRỰC", "Phó Bí thư Thường trực"),
            ("THỊ UỶ THUẬN THÀNH", "Thị ủy Thuận Thành"),
            ("ĐẢNG BỘ TỈNH BẮC NINH", "Đảng bộ tỉnh Bắc Ninh"),
            (
                "BAN THƯỜNG VỤ HUYỆN ỦY GIA BÌNH",
                "Ban Thường vụ Huyện ủy Gia Bình",
            ),
        ] {
            assert_eq!(official_case(caps), cased);
        }
    }

    #[test]
    fn dates_are_read_with_or_without_leading_zeros() {
        let d = |y, m, dd| Some(Date::new(y, m, dd).unwrap());
        assert_eq!(
            find_date("Thuận Thành, ngày 05 tháng 02 năm 2023"),
            d(2023, 2, 5)
        );
        assert_eq!(find_date("ngày 5 tháng 2 năm 2023,"), d(2023, 2, 5));
        assert_eq!(
            find_date("Kết luận số 706-KL/TU, ngày 05/4/2023 của"),
            d(2023, 4, 5)
        );
        assert_eq!(find_date("ngày 31 tháng 2 năm 2023"), None);
    }

    #[test]
    fn numbers_with_and_without_colon() {
        assert_eq!(number_line("Số 45-KL/TU").as_deref(), Some("45-KL/TU"));
        assert_eq!(number_line("Số: 45-KL/TU").as_deref(), Some("45-KL/TU"));
        assert_eq!(number_line("Số:45 - KL/TU").as_deref(), Some("45-KL/TU"));
        assert_eq!(number_line("Số liệu cho thấy"), None);
    }

    #[test]
    fn session_and_term_come_from_the_session_line() {
        let rest = "HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH ĐẢNG BỘ THỊ XÃ KHÓA XXIII";
        assert_eq!(session(rest), Some(11));
        assert_eq!(term(rest).as_deref(), Some("XXIII"));
        assert_eq!(
            issuer_in_title(rest).as_deref(),
            Some("BAN CHẤP HÀNH ĐẢNG BỘ THỊ XÃ")
        );
        assert_eq!(roman("XXIII"), Some(23));
        assert_eq!(roman("XIX"), Some(19));
    }
}
