//! Repairs to what converters break: a paragraph cut in two where a page
//! ended, a line broken inside a sentence.

use super::layout::{ends_sentence, starts_lower};
use super::report::Message;
use super::{Block, Line, Para};

pub(crate) fn repair(body: &mut Vec<Block>) -> Vec<Message> {
    let mut notes = Vec::new();
    for block in body.iter_mut() {
        if let Block::Para(p) = block
            && prose(p)
        {
            join_lines(p, &mut notes);
        }
    }
    let mut out: Vec<Block> = Vec::with_capacity(body.len());
    for block in body.drain(..) {
        if let Block::Para(next) = &block
            && prose(next)
            && next.lines.first().is_some_and(continues)
            && let Some(Block::Para(prev)) = out.last_mut()
            && prose(prev)
            && prev.lines.last().is_some_and(|l| !ends_sentence(&l.plain))
        {
            let Block::Para(next) = block else {
                unreachable!()
            };
            notes.push(Message::JoinedParagraphs {
                before: last_words(&prev.text()),
                after: first_words(&next.text()),
            });
            let mut lines = next.lines.into_iter();
            if let (Some(last), Some(first)) = (prev.lines.last_mut(), lines.next()) {
                join(last, first);
            }
            prev.lines.extend(lines);
            continue;
        }
        out.push(block);
    }
    *body = out;
    notes
}

fn prose(p: &Para) -> bool {
    p.heading.is_none() && !p.verbatim
}

/// A line that goes on with the sentence before it: small letter first,
/// not a list entry.
fn continues(line: &Line) -> bool {
    let t = line.plain.trim_start();
    starts_lower(t) && !t.starts_with(['-', '+', '•'])
}

fn join_lines(p: &mut Para, notes: &mut Vec<Message>) {
    let mut lines: Vec<Line> = Vec::with_capacity(p.lines.len());
    for line in p.lines.drain(..) {
        if let Some(prev) = lines.last_mut()
            && !ends_sentence(&prev.plain)
            && continues(&line)
            && !super::layout::is_caps(&prev.plain)
        {
            notes.push(Message::JoinedLines {
                before: last_words(&prev.plain),
                after: first_words(&line.plain),
            });
            join(prev, line);
            continue;
        }
        lines.push(line);
    }
    p.lines = lines;
}

fn join(a: &mut Line, b: Line) {
    let md = a.md.trim_end().trim_end_matches('\\').trim_end();
    a.md = format!("{md} {}", b.md.trim_start());
    a.plain = format!("{} {}", a.plain.trim_end(), b.plain.trim_start());
}

fn last_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(3)..].join(" ")
}

fn first_words(text: &str) -> String {
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(lines: &[&str]) -> Block {
        Block::Para(Para {
            lines: lines.iter().map(|l| Line::plain(l)).collect(),
            ..Para::default()
        })
    }

    #[test]
    fn a_paragraph_cut_by_a_page_break_is_joined_and_reported() {
        let mut body = vec![
            para(&["trong đó: chi đầu tư phát"]),
            para(&["triển ước đạt 87.924 triệu đồng."]),
            para(&["Tổ chức thành công Lễ kỷ niệm."]),
            para(&["Câu đầu không kết thúc"]),
            para(&["Viết hoa nên là đoạn mới."]),
        ];
        let notes = repair(&mut body);
        assert_eq!(body.len(), 4);
        assert_eq!(
            body[0],
            para(&["trong đó: chi đầu tư phát triển ước đạt 87.924 triệu đồng."])
        );
        assert_eq!(
            notes,
            vec![Message::JoinedParagraphs {
                before: "đầu tư phát".into(),
                after: "triển ước đạt".into()
            }]
        );
    }

    #[test]
    fn stray_line_breaks_inside_a_sentence_go() {
        let mut body = vec![para(&[
            "Đẩy nhanh tiến độ",
            "giải phóng mặt bằng.",
            "- Mục một;",
        ])];
        let notes = repair(&mut body);
        assert_eq!(
            body,
            vec![para(&[
                "Đẩy nhanh tiến độ giải phóng mặt bằng.",
                "- Mục một;"
            ])]
        );
        assert_eq!(notes.len(), 1);
    }
}
