//! Text typed in the legacy Vietnamese fonts, made Unicode. Word stores a
//! legacy font's bytes as if they were Latin-1 letters ("Uû ban nh©n d©n"
//! in `.VnTime` is "Uỷ ban nhân dân"), so each such character stands for
//! one byte of the font's encoding.
//!
//! - TCVN3 (ABC), fonts `.VnTime`, `.VnArial` …: one byte per letter; the
//!   table is TCVN 5712 (glibc's `iconv -f TCVN5712-1`, checked in a test).
//!   Fonts ending in `H` (`.VnTimeH`) draw capitals at the small letters'
//!   codes.
//! - VNI, fonts `VNI-Times` …: a base letter followed by accent characters.

use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Encoding {
    Tcvn3 { capitals: bool },
    Vni,
}

impl Encoding {
    /// The encoding a font implies, from its name.
    pub(crate) fn of_font(font: &str) -> Option<Encoding> {
        let name = font.trim();
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(".vn") {
            let capitals = name.trim_end().ends_with('H');
            return Some(Encoding::Tcvn3 { capitals });
        }
        (lower.starts_with("vni-") || lower.starts_with("vni ")).then_some(Encoding::Vni)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 { .. } => "TCVN3",
            Encoding::Vni => "VNI",
        }
    }

    pub(crate) fn decode(self, text: &str) -> String {
        match self {
            Encoding::Tcvn3 { capitals } => {
                let text = decode_tcvn3(text);
                if capitals { text.to_uppercase() } else { text }
            }
            Encoding::Vni => decode_vni(text),
        }
    }
}

/// TCVN 5712 bytes 0xA1..=0xFF. Bytes 0xB0..=0xB4 are combining tone marks.
const TCVN3: [char; 95] = [
    '\u{0102}', '\u{00C2}', '\u{00CA}', '\u{00D4}', '\u{01A0}', '\u{01AF}', '\u{0110}', '\u{0103}',
    '\u{00E2}', '\u{00EA}', '\u{00F4}', '\u{01A1}', '\u{01B0}', '\u{0111}', '\u{1EB0}', '\u{0300}',
    '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}', '\u{00E0}', '\u{1EA3}', '\u{00E3}', '\u{00E1}',
    '\u{1EA1}', '\u{1EB2}', '\u{1EB1}', '\u{1EB3}', '\u{1EB5}', '\u{1EAF}', '\u{1EB4}', '\u{1EAE}',
    '\u{1EA6}', '\u{1EA8}', '\u{1EAA}', '\u{1EA4}', '\u{1EC0}', '\u{1EB7}', '\u{1EA7}', '\u{1EA9}',
    '\u{1EAB}', '\u{1EA5}', '\u{1EAD}', '\u{00E8}', '\u{1EC2}', '\u{1EBB}', '\u{1EBD}', '\u{00E9}',
    '\u{1EB9}', '\u{1EC1}', '\u{1EC3}', '\u{1EC5}', '\u{1EBF}', '\u{1EC7}', '\u{00EC}', '\u{1EC9}',
    '\u{1EC4}', '\u{1EBE}', '\u{1ED2}', '\u{0129}', '\u{00ED}', '\u{1ECB}', '\u{00F2}', '\u{1ED4}',
    '\u{1ECF}', '\u{00F5}', '\u{00F3}', '\u{1ECD}', '\u{1ED3}', '\u{1ED5}', '\u{1ED7}', '\u{1ED1}',
    '\u{1ED9}', '\u{1EDD}', '\u{1EDF}', '\u{1EE1}', '\u{1EDB}', '\u{1EE3}', '\u{00F9}', '\u{1ED6}',
    '\u{1EE7}', '\u{0169}', '\u{00FA}', '\u{1EE5}', '\u{1EEB}', '\u{1EED}', '\u{1EEF}', '\u{1EE9}',
    '\u{1EF1}', '\u{1EF3}', '\u{1EF7}', '\u{1EF9}', '\u{00FD}', '\u{1EF5}', '\u{1ED0}',
];

fn decode_tcvn3(text: &str) -> String {
    let out: String = text
        .chars()
        .map(|c| match u32::from(c) {
            n @ 0xA1..=0xFF => TCVN3[(n - 0xA1) as usize],
            _ => c,
        })
        .collect();
    out.nfc().collect()
}

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';

/// What a VNI character adds: a letter of its own, or marks on the letter
/// before it.
fn vni(c: char) -> Option<(Option<char>, &'static [char])> {
    Some(match c {
        'ô' => (Some('o'), &[HORN]),
        'Ô' => (Some('O'), &[HORN]),
        'ö' => (Some('u'), &[HORN]),
        'Ö' => (Some('U'), &[HORN]),
        'ñ' => (Some('đ'), &[]),
        'Ñ' => (Some('Đ'), &[]),
        'í' => (Some('i'), &[ACUTE]),
        'ì' => (Some('i'), &[GRAVE]),
        'æ' => (Some('i'), &[HOOK]),
        'ó' => (Some('i'), &[TILDE]),
        'ò' => (Some('i'), &[DOT]),
        'Í' => (Some('I'), &[ACUTE]),
        'Ì' => (Some('I'), &[GRAVE]),
        'Æ' => (Some('I'), &[HOOK]),
        'Ó' => (Some('I'), &[TILDE]),
        'Ò' => (Some('I'), &[DOT]),
        'î' => (Some('y'), &[DOT]),
        'Î' => (Some('Y'), &[DOT]),
        'ù' | 'Ù' => (None, &[ACUTE]),
        'ø' | 'Ø' => (None, &[GRAVE]),
        'û' | 'Û' => (None, &[HOOK]),
        'õ' | 'Õ' => (None, &[TILDE]),
        'ï' | 'Ï' => (None, &[DOT]),
        'â' | 'Â' => (None, &[CIRCUMFLEX]),
        'á' | 'Á' => (None, &[CIRCUMFLEX, ACUTE]),
        'à' | 'À' => (None, &[CIRCUMFLEX, GRAVE]),
        'å' | 'Å' => (None, &[CIRCUMFLEX, HOOK]),
        'ã' | 'Ã' => (None, &[CIRCUMFLEX, TILDE]),
        'ä' | 'Ä' => (None, &[CIRCUMFLEX, DOT]),
        'ê' | 'Ê' => (None, &[BREVE]),
        'é' | 'É' => (None, &[BREVE, ACUTE]),
        'è' | 'È' => (None, &[BREVE, GRAVE]),
        'ú' | 'Ú' => (None, &[BREVE, HOOK]),
        'ü' | 'Ü' => (None, &[BREVE, TILDE]),
        'ë' | 'Ë' => (None, &[BREVE, DOT]),
        _ => return None,
    })
}

fn decode_vni(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_vowel = false;
    for c in text.chars() {
        match vni(c) {
            Some((Some(letter), marks)) => {
                out.push(letter);
                out.extend(marks);
                after_vowel = marks.contains(&HORN);
            }
            Some((None, marks)) if after_vowel => out.extend(marks),
            _ => {
                out.push(c);
                after_vowel = "aeiouyAEIOUY".contains(c);
            }
        }
    }
    out.nfc().collect()
}

/// Letters of TCVN3 text that Unicode Vietnamese never has (©, ¬, ¸ …).
fn tcvn3_sign(c: char) -> bool {
    matches!(
        c,
        '\u{A1}'
            ..='\u{BF}'
                | '\u{D7}'
                | '\u{DE}'
                | '\u{DF}'
                | '\u{E6}'
                | '\u{F0}'
                | '\u{F8}'
                | '\u{FE}'
                | '\u{FF}'
    )
}

/// VNI accent characters Unicode Vietnamese never has after a letter.
fn vni_sign(c: char) -> bool {
    "øûïåäüëæöñîØÛÏÅÄÜËÆÖÑÎ".contains(c)
}

/// Unicode Vietnamese: ă, đ, ơ, ư and the letters with tone marks.
fn vietnamese_unicode(c: char) -> bool {
    matches!(c, '\u{102}'..='\u{111}' | '\u{1A0}'..='\u{1B0}' | '\u{1EA0}'..='\u{1EF9}')
}

/// The legacy encoding a plain text is in, judged by its letters: signs
/// of one encoding, and no letter only Unicode has.
pub(crate) fn detect(text: &str) -> Option<Encoding> {
    let (mut letters, mut tcvn, mut vni, mut unicode) = (0usize, 0usize, 0usize, 0usize);
    let mut prev = ' ';
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
        }
        if tcvn3_sign(c) {
            tcvn += 1;
        }
        if vni_sign(c) && prev.is_ascii_alphabetic() {
            vni += 1;
        }
        if vietnamese_unicode(c) {
            unicode += 1;
        }
        prev = c;
    }
    if unicode > 0 || letters == 0 {
        return None;
    }
    if tcvn > vni && tcvn * 40 >= letters {
        Some(Encoding::Tcvn3 { capitals: false })
    } else if vni > 0 && vni * 40 >= letters {
        Some(Encoding::Vni)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_matches_glibc_iconv_byte_for_byte() {
        let bytes: Vec<u8> = (0xA1..=0xFFu8).collect();
        let out = std::process::Command::new("iconv")
            .args(["-f", "TCVN5712-1", "-t", "UTF-8"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(&bytes)?;
                child.wait_with_output()
            })
            .expect("iconv (glibc) is the reference for TCVN3");
        // Byte by byte: iconv composes a tone mark with the letter before it.
        for (i, b) in bytes.iter().enumerate() {
            let one = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '\\{:o}' | iconv -f TCVN5712-1 -t UTF-8", b))
                .output()
                .unwrap();
            let expected = String::from_utf8(one.stdout).unwrap();
            assert_eq!(TCVN3[i].to_string(), expected, "byte {b:#X}");
        }
        let whole = String::from_utf8(out.stdout).unwrap();
        let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
        assert_eq!(decode_tcvn3(&latin1), whole.nfc().collect::<String>());
    }

    #[test]
    fn office_words_in_each_legacy_font() {
        let tcvn = Encoding::Tcvn3 { capitals: false };
        assert_eq!(tcvn.decode("Uû ban nh©n d©n"), "Uỷ ban nhân dân");
        assert_eq!(
            tcvn.decode("Ban ChÊp hµnh §¶ng bé"),
            "Ban Chấp hành Đảng bộ"
        );
        let caps = Encoding::Tcvn3 { capitals: true };
        assert_eq!(caps.decode("kÕt luËn"), "KẾT LUẬN");
        assert_eq!(
            Encoding::Vni.decode("Ban Chaáp haønh Ñaûng boä"),
            "Ban Chấp hành Đảng bộ"
        );
        assert_eq!(
            Encoding::Vni.decode("ngaân saùch, nöôùc, thöïc hieän"),
            "ngân sách, nước, thực hiện"
        );
    }

    #[test]
    fn plain_text_is_recognised_by_its_letters() {
        assert_eq!(
            detect("Ban ChÊp hµnh §¶ng bé thÞ x·"),
            Some(Encoding::Tcvn3 { capitals: false })
        );
        assert_eq!(
            detect("Ban Chaáp haønh Ñaûng boä thò xaõ"),
            Some(Encoding::Vni)
        );
        assert_eq!(detect("Ban Chấp hành Đảng bộ thị xã"), None);
        assert_eq!(detect("Plain English text, café."), None);
    }

    #[test]
    fn fonts_name_their_encoding() {
        assert_eq!(
            Encoding::of_font(".VnTime"),
            Some(Encoding::Tcvn3 { capitals: false })
        );
        assert_eq!(
            Encoding::of_font(".VnTimeH"),
            Some(Encoding::Tcvn3 { capitals: true })
        );
        assert_eq!(Encoding::of_font("VNI-Times"), Some(Encoding::Vni));
        assert_eq!(Encoding::of_font("Times New Roman"), None);
    }
}
