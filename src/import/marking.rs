//! Markings that decide whether a document may be published (36-HD,
//! components 10 and 11): secrecy and internal circulation stop the import;
//! DỰ THẢO makes it a draft.

use super::report::Message;
use super::{Block, Para};

/// Secrecy and circulation stamps, longest first ("TỐI MẬT" before "MẬT").
const REFUSED: &[&str] = &["TUYỆT MẬT", "TỐI MẬT", "MẬT", "LƯU HÀNH NỘI BỘ"];
const DRAFT: &str = "DỰ THẢO";

/// The marking a line is, if it is one: a stamp stands on a line of its own,
/// in capitals ("MẬT", "DỰ THẢO LẦN 2", "(LƯU HÀNH NỘI BỘ)"); the words
/// inside a sentence ("bí mật", "dự thảo kế hoạch") are not stamps.
pub(crate) fn marking_of(line: &str) -> Option<&'static str> {
    let text = line
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .trim();
    if !super::layout::is_caps(text) {
        return None;
    }
    let text = text.strip_prefix("ĐỘ MẬT:").map(str::trim).unwrap_or(text);
    if let Some(m) = REFUSED.iter().find(|m| text == **m) {
        return Some(m);
    }
    if text.contains("LƯU HÀNH NỘI BỘ") {
        return Some("LƯU HÀNH NỘI BỘ");
    }
    text.starts_with(DRAFT).then_some(DRAFT)
}

/// `Ok(true)` for a draft, `Err` for a document that must not be published.
pub(crate) fn check(blocks: &[Block]) -> Result<bool, Message> {
    let mut draft = false;
    let mut check_para = |p: &Para| -> Result<(), Message> {
        for line in &p.lines {
            match marking_of(&line.plain) {
                Some(DRAFT) => draft = true,
                Some(m) => {
                    return Err(Message::Marked {
                        marking: m.to_string(),
                    });
                }
                None => {}
            }
        }
        Ok(())
    };
    for block in blocks {
        match block {
            Block::Para(p) => check_para(p)?,
            Block::Table(t) => {
                for p in t.by_column() {
                    check_para(p)?;
                }
            }
            Block::Rule => {}
        }
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_stand_alone_words_in_sentences_do_not() {
        assert_eq!(marking_of("MẬT"), Some("MẬT"));
        assert_eq!(marking_of("TỐI MẬT"), Some("TỐI MẬT"));
        assert_eq!(marking_of("**TUYỆT MẬT**"), Some("TUYỆT MẬT"));
        assert_eq!(marking_of("(LƯU HÀNH NỘI BỘ)"), Some("LƯU HÀNH NỘI BỘ"));
        assert_eq!(marking_of("DỰ THẢO LẦN 2"), Some("DỰ THẢO"));
        assert_eq!(marking_of("giữ bí mật nhà nước"), None);
        assert_eq!(marking_of("Dự thảo kế hoạch"), None);
        assert_eq!(marking_of("BÍ MẬT NHÀ NƯỚC CỦA"), None);
    }
}
