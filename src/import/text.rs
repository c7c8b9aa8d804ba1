//! Text converted from Word or PDF (`.md`, `.txt`), like the office's
//! sample: paragraphs between blank lines, the header as bold lines.

use super::legacy::{self, Encoding};
use super::report::Message;
use super::{Block, Line, Para, Source};

/// Reads converted text. Text that is not UTF-8 was saved in a legacy
/// 8-bit encoding: its bytes are read as Latin-1 characters, which the
/// legacy-font check then recognises.
pub(crate) fn read(bytes: &[u8], markdown: bool) -> Source {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let mut blocks = Vec::new();
    let mut converted: Vec<Encoding> = Vec::new();
    for chunk in paragraphs(&text) {
        let block = if markdown {
            markdown_block(&chunk)
        } else {
            text_block(&chunk)
        };
        blocks.push(match block {
            Block::Para(mut p) => {
                if let Some(enc) = legacy::detect(&p.text()) {
                    for line in &mut p.lines {
                        line.md = enc.decode(&line.md);
                        line.plain = enc.decode(&line.plain);
                    }
                    converted.push(enc);
                }
                Block::Para(p)
            }
            other => other,
        });
    }
    let mut notes = Vec::new();
    for enc in [Encoding::Tcvn3 { capitals: false }, Encoding::Vni] {
        let count = converted.iter().filter(|e| **e == enc).count();
        if count > 0 {
            notes.push(Message::LegacyFont {
                encoding: enc.name(),
                font: "nhận theo chữ cái".into(),
                count,
            });
        }
    }
    Source {
        blocks,
        margins: Vec::new(),
        notes,
    }
}

/// Groups of lines between blank lines, each line NFC.
pub(crate) fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(ketluan_search::analysis::nfc(line).into_owned());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn text_block(lines: &[String]) -> Block {
    Block::Para(Para {
        lines: lines.iter().map(|l| Line::plain(l.trim())).collect(),
        ..Para::default()
    })
}

fn markdown_block(lines: &[String]) -> Block {
    let first = lines[0].trim();
    if lines.len() == 1 && is_rule(first) {
        return Block::Rule;
    }
    if lines.len() == 1 {
        let hashes = first.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && first[hashes..].starts_with(' ') {
            let md = first[hashes..].trim().to_string();
            return Block::Para(Para {
                lines: vec![Line {
                    plain: strip_markup(&md),
                    md,
                }],
                heading: Some(hashes as u8),
                verbatim: false,
            });
        }
    }
    let verbatim = first.starts_with('|');
    Block::Para(Para {
        lines: lines
            .iter()
            .map(|l| {
                let md = l.trim_end().trim_end_matches('\\').trim_end().to_string();
                Line {
                    plain: strip_markup(md.trim()),
                    md,
                }
            })
            .collect(),
        heading: None,
        verbatim,
    })
}

fn is_rule(line: &str) -> bool {
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.len() >= 3
        && ['-', '*', '_']
            .iter()
            .any(|m| squeezed.chars().all(|c| c == *m))
}

/// The words of a Markdown line without emphasis markers and escapes.
pub(crate) fn strip_markup(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '*' => {}
            '_' if out.is_empty()
                || out.ends_with(' ')
                || chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_emphasis_and_gives_plain_words() {
        let source = read(
            "**KẾT LUẬN**  \n**HỘI NGHỊ LẦN THỨ 11**\n\n-----\n\n## **II. NHIỆM VỤ**\n\nCó *nghiêng* và \\*sao\\*.\n".as_bytes(),
            true,
        );
        let Block::Para(header) = &source.blocks[0] else {
            panic!()
        };
        assert_eq!(header.lines[0].plain, "KẾT LUẬN");
        assert_eq!(header.lines[1].md, "**HỘI NGHỊ LẦN THỨ 11**");
        assert_eq!(source.blocks[1], Block::Rule);
        let Block::Para(heading) = &source.blocks[2] else {
            panic!()
        };
        assert_eq!(
            (heading.heading, heading.lines[0].plain.as_str()),
            (Some(2), "II. NHIỆM VỤ")
        );
        let Block::Para(text) = &source.blocks[3] else {
            panic!()
        };
        assert_eq!(text.lines[0].plain, "Có nghiêng và *sao*.");
        assert_eq!(text.lines[0].md, "Có *nghiêng* và \\*sao\\*.");
    }

    #[test]
    fn tcvn3_text_saved_as_bytes_is_converted() {
        let bytes = b"Ban Ch\xcap h\xb5nh \xa7\xb6ng b\xe9 th\xde x\xb7\n";
        let source = read(bytes, false);
        let Block::Para(p) = &source.blocks[0] else {
            panic!()
        };
        assert_eq!(p.lines[0].plain, "Ban Chấp hành Đảng bộ thị xã");
        assert_eq!(source.notes.len(), 1);
    }
}
