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
/// summary when nothing in the body matched. `pair` tells whether two
/// words one after the other are two of the query's words that it typed
/// together (`đất` `đai` for `dat dai`): a window where they stand together
/// is shown before one with more of the query's words scattered.
pub fn make(
    body: &str,
    summary: &str,
    matches: impl Fn(&Token) -> bool,
    pair: impl Fn(&Token, &Token) -> bool,
) -> String {
    let tokens = analysis::tokenize(body);
    let hits: Vec<usize> = (0..tokens.len()).filter(|&i| matches(&tokens[i])).collect();
    let together: Vec<bool> = hits
        .iter()
        .map(|&i| {
            tokens.get(i + 1).is_some_and(|next| {
                crate::pack::joins(&body[tokens[i].end..next.start]) && pair(&tokens[i], next)
            })
        })
        .collect();
    let Some(best) = best_start(&tokens, &hits, &together) else {
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

/// The match that starts the window holding the most of the query's pairs
/// of words standing together (`together[n]`: hit `n` and the word after
/// it), then the most distinct matched words.
fn best_start(tokens: &[Token], hits: &[usize], together: &[bool]) -> Option<usize> {
    let mut best: Option<((usize, usize), usize)> = None;
    for (n, &start) in hits.iter().enumerate() {
        let within = hits[n..]
            .iter()
            .take_while(|&&i| i < start + WINDOW - LEAD)
            .count();
        let mut words: Vec<&str> = hits[n..n + within]
            .iter()
            .map(|&i| tokens[i].folded.as_str())
            .collect();
        words.sort_unstable();
        words.dedup();
        let pairs = together[n..n + within].iter().filter(|&&t| t).count();
        let rank = (pairs, words.len());
        if best.is_none_or(|(so_far, _)| rank > so_far) {
            best = Some((rank, start));
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
        let s = make(
            body,
            "",
            |t| t.folded == "ngan" || t.folded == "sach",
            |_, _| false,
        );
        assert!(s.contains("<mark>ngân</mark> <mark>sách</mark>"), "{s}");
        assert!(s.contains("&lt;169.541&gt;"), "{s}");
    }

    #[test]
    fn falls_back_to_the_summary() {
        assert_eq!(
            make("nội dung", "Về <ngân sách>", |_| false, |_, _| false),
            "Về &lt;ngân sách&gt;"
        );
    }

    #[test]
    fn long_bodies_are_cut_around_the_match() {
        let body = format!("{} ngân sách {}", "một ".repeat(100), "hai ".repeat(100));
        let s = make(&body, "", |t| t.exact == "ngân", |_, _| false);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.split_whitespace().count() < 40);
    }

    #[test]
    fn the_words_typed_together_are_shown_together() {
        let body = format!(
            "Giao đất tái định cư cho dự án đường vành đai 4. {} Tăng cường quản lý đất đai.",
            "Nội dung khác của kết luận. ".repeat(10)
        );
        let word = |t: &Token| t.folded == "dat" || t.folded == "dai";
        let pair = |a: &Token, b: &Token| a.folded == "dat" && b.folded == "dai";
        let s = make(&body, "", word, pair);
        assert!(
            s.contains("quản lý <mark>đất</mark> <mark>đai</mark>"),
            "{s}"
        );
        let scattered = make(&body, "", word, |_, _| false);
        assert!(scattered.contains("Giao <mark>đất</mark>"), "{scattered}");
        let parted = "Đất. Đai. ".to_string() + &body;
        let s = make(&parted, "", word, pair);
        assert!(
            s.contains("quản lý <mark>đất</mark>"),
            "a full stop parts them: {s}"
        );
    }
}
