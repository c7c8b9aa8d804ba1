//! A short extract of a document around the words that matched, with those
//! words marked. Written here rather than taken from tantivy so that a folded
//! query (`ngan sach`) highlights the accented words (`ngân sách`) and the
//! browser build stays small.

use crate::analysis::{self, Token};

/// Words shown in a snippet.
const WINDOW: usize = 28;
/// Words shown before the first match, for context.
const LEAD: usize = 6;

/// The best window of `body` (HTML-escaped, matches in `<mark>`), or the
/// summary when nothing in the body matched.
pub fn make(body: &str, summary: &str, matches: impl Fn(&Token) -> bool) -> String {
    let tokens = analysis::tokenize(body);
    let hits: Vec<usize> = (0..tokens.len()).filter(|&i| matches(&tokens[i])).collect();
    let Some(best) = best_start(&tokens, &hits) else {
        let fallback = if summary.is_empty() { body } else { summary };
        let end = tokens
            .get(WINDOW)
            .map_or(fallback.len(), |t| t.start)
            .min(fallback.len());
        let end = floor_boundary(fallback, end);
        let more = if end < fallback.len() { " …" } else { "" };
        return format!("{}{more}", escape(&fallback[..end]));
    };
    let first = best.saturating_sub(LEAD);
    let last = (first + WINDOW).min(tokens.len()) - 1;
    let mut out = String::new();
    if first > 0 {
        out.push_str("… ");
    }
    let mut cursor = tokens[first].start;
    for token in &tokens[first..=last] {
        out.push_str(&escape(&body[cursor..token.start]));
        let word = escape(&body[token.start..token.end]);
        if matches(token) {
            out.push_str(&format!("<mark>{word}</mark>"));
        } else {
            out.push_str(&word);
        }
        cursor = token.end;
    }
    if last + 1 < tokens.len() {
        out.push_str(" …");
    }
    out
}

/// The match that starts the window holding the most distinct matched
/// words.
fn best_start(tokens: &[Token], hits: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (n, &start) in hits.iter().enumerate() {
        let mut words: Vec<&str> = hits[n..]
            .iter()
            .take_while(|&&i| i < start + WINDOW - LEAD)
            .map(|&i| tokens[i].folded.as_str())
            .collect();
        words.sort_unstable();
        words.dedup();
        if best.is_none_or(|(count, _)| words.len() > count) {
            best = Some((words.len(), start));
        }
    }
    best.map(|(_, start)| start)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_accented_words_for_a_folded_query() {
        let body = "Mở đầu. Thu ngân sách nhà nước ước đạt <169.541> triệu đồng.";
        let s = make(body, "", |t| t.folded == "ngan" || t.folded == "sach");
        assert!(s.contains("<mark>ngân</mark> <mark>sách</mark>"), "{s}");
        assert!(s.contains("&lt;169.541&gt;"), "{s}");
    }

    #[test]
    fn falls_back_to_the_summary() {
        assert_eq!(
            make("nội dung", "Về <ngân sách>", |_| false),
            "Về &lt;ngân sách&gt;"
        );
    }

    #[test]
    fn long_bodies_are_cut_around_the_match() {
        let body = format!("{} ngân sách {}", "một ".repeat(100), "hai ".repeat(100));
        let s = make(&body, "", |t| t.exact == "ngân");
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.split_whitespace().count() < 40);
    }
}
