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
        .args(["-enc", "UTF-8", "-nopgbrk"])
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
        notes: Vec::new(),
    })
}

/// Lines into paragraphs: a line joins the one before unless that one
/// ended a sentence, either is in capitals (the header), or a blank line
/// is between them.
fn paragraphs(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    let flush = |current: &mut Vec<Line>, blocks: &mut Vec<Block>| {
        if !current.is_empty() {
            blocks.push(Block::Para(Para {
                lines: std::mem::take(current),
                ..Para::default()
            }));
        }
    };
    for raw in text.lines() {
        let line = ketluan_search::analysis::nfc(raw.trim()).into_owned();
        // Page numbers stand alone on their line.
        if line.is_empty() || line.chars().all(|c| c.is_ascii_digit()) {
            flush(&mut current, &mut blocks);
            continue;
        }
        let new_paragraph = current.last().is_none_or(|prev: &Line| {
            super::layout::ends_sentence(&prev.plain)
                || super::layout::is_caps(&prev.plain)
                || super::layout::is_caps(&line)
                || line.starts_with(['-', '+', '•'])
        });
        if new_paragraph {
            flush(&mut current, &mut blocks);
        }
        current.push(Line::plain(&line));
    }
    flush(&mut current, &mut blocks);
    blocks
}
