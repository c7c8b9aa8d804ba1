//! Snippets: the passage of a text with the most distinct query words, as
//! escaped HTML with the matched words in `<mark>`. Matching uses the same
//! analyser as the index, so a folded query (`ngan sach`) marks the accented
//! words of the text (`ngân sách`).

use crate::analysis;
use crate::query::Highlight;

/// Words in a snippet (about 200 characters of Vietnamese).
const WINDOW_WORDS: usize = 32;

/// The best passage of `text` (NFC) for the highlighted words; the start of
/// the text when none occurs.
pub fn snippet(text: &str, highlight: &Highlight) -> String {
    let words = analysis::words(text);
    if words.is_empty() {
        return String::new();
    }
    let matched: Vec<Option<usize>> = words.iter().map(|w| match_id(w, highlight)).collect();
    let start = best_window(&matched);
    let end = (start + WINDOW_WORDS).min(words.len());
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut cursor = words[start].start;
    for (w, m) in words[start..end].iter().zip(&matched[start..end]) {
        escape_into(&mut html, &text[cursor..w.start]);
        if m.is_some() {
            html.push_str("<mark>");
            escape_into(&mut html, &text[w.start..w.end]);
            html.push_str("</mark>");
        } else {
            escape_into(&mut html, &text[w.start..w.end]);
        }
        cursor = w.end;
    }
    if end < words.len() {
        html.push('…');
    } else {
        escape_into(&mut html, &text[cursor..]);
    }
    html
}

/// Which query word (by index) a text word is, if any.
fn match_id(w: &analysis::Word, h: &Highlight) -> Option<usize> {
    h.exact.iter().position(|e| *e == w.exact).or_else(|| {
        h.folded
            .iter()
            .position(|f| *f == w.folded)
            .map(|i| i + h.exact.len())
    })
}

/// The start of the window with the most distinct matched words, then the
/// most matches; the first such window.
fn best_window(matched: &[Option<usize>]) -> usize {
    let mut best = (0, 0, 0);
    let mut seen = Vec::new();
    for start in 0..matched.len() {
        if matched[start].is_none() {
            continue;
        }
        seen.clear();
        let window = &matched[start..(start + WINDOW_WORDS).min(matched.len())];
        let mut hits = 0;
        for id in window.iter().flatten() {
            hits += 1;
            if !seen.contains(id) {
                seen.push(*id);
            }
        }
        if (seen.len(), hits) > (best.0, best.1) {
            best = (seen.len(), hits, start);
        }
    }
    // A little context before the first match reads better.
    best.2.saturating_sub(4)
}

pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(exact: &[&str], folded: &[&str]) -> Highlight {
        Highlight {
            exact: exact.iter().map(|s| s.to_string()).collect(),
            folded: folded.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn folded_query_marks_accented_words() {
        let s = snippet("Dự toán ngân sách năm 2024.", &h(&[], &["ngan", "sach"]));
        assert_eq!(s, "Dự toán <mark>ngân</mark> <mark>sách</mark> năm 2024.");
    }

    #[test]
    fn exact_query_marks_only_that_tone() {
        let s = snippet("hòa hoà hóa hoa", &h(&["hòa"], &[]));
        assert_eq!(s, "<mark>hòa</mark> <mark>hoà</mark> hóa hoa");
    }

    #[test]
    fn picks_the_passage_with_the_words_and_escapes() {
        let filler = "một hai ba bốn năm sáu bảy tám chín mười ".repeat(10);
        let text = format!("{filler}<b> giải phóng mặt bằng {filler}");
        let s = snippet(&text, &h(&["giải", "phóng"], &[]));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(
            s.contains("&lt;b&gt; <mark>giải</mark> <mark>phóng</mark> mặt"),
            "{s}"
        );
    }
}
