//! PDF with a text layer, through poppler's `pdftotext`. A PDF is laid out
//! in lines, not paragraphs: lines are put back into paragraphs where a
//! sentence goes on, and a page break is a paragraph break the repairs may
//! undo.

use std::path::Path;
use std::process::Command;

use super::report::Message;
use super::{Block, Line, Para, Source};

pub(crate) fn read(path: &Path) -> Result<Source, Message> {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Message::NeedsPoppler,
            _ => Message::ConversionFailed {
                tool: "pdftotext".into(),
                reason: e.to_string(),
            },
        })?;
    if !output.status.success() {
        return Err(Message::ConversionFailed {
            tool: "pdftotext".into(),
            reason: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Message::NeedsOcr);
    }
    Ok(Source {
        blocks: paragraphs(&text),
        margins: Vec::new(),
        notes: Vec::new(),
    })
}

/// Lines into paragraphs, one line each: a line joins the one before
/// unless that one ended a sentence, either is header material (no small
/// letters: "THỊ ỦY THUẬN THÀNH", "*"), it is a list entry, or a blank line
/// or page break is between them. A page's number, alone on a line next to
/// the page break, is dropped.
fn paragraphs(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    let flush = |current: &mut Option<String>, blocks: &mut Vec<Block>| {
        if let Some(text) = current.take() {
            blocks.push(Block::Para(Para {
                lines: vec![Line::plain(&text)],
                ..Para::default()
            }));
        }
    };
    let pages: Vec<&str> = text.split('\u{c}').collect();
    for page in pages {
        let lines: Vec<&str> = page.lines().map(str::trim).collect();
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        for (n, raw) in lines.iter().enumerate() {
            let page_number =
                raw.chars().all(|c| c.is_ascii_digit()) && (Some(n) == first || Some(n) == last);
            if raw.is_empty() || page_number {
                flush(&mut current, &mut blocks);
                continue;
            }
            let line = ketluan_search::analysis::nfc(raw).into_owned();
            let headerish = |l: &str| !l.chars().any(char::is_lowercase);
            let caps = super::layout::is_caps(&line);
            match &mut current {
                Some(prev)
                    if !super::layout::ends_sentence(prev)
                        && !headerish(prev)
                        && !caps
                        && !line.starts_with(['-', '+', '•']) =>
                {
                    prev.push(' ');
                    prev.push_str(&line);
                }
                _ => {
                    flush(&mut current, &mut blocks);
                    current = Some(line);
                }
            }
        }
        flush(&mut current, &mut blocks);
    }
    blocks
}
