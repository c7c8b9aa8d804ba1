//! Markdown → HTML for the body of a conclusion, with anchored headings, a
//! table of contents, and the safety rules of a public site.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::slug::Slug;

/// One entry of a page's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown. Raw HTML is shown as text unless `allow_raw_html`;
/// `javascript:`-like link targets are neutralised either way.
pub fn render(markdown: &str, allow_raw_html: bool) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options())
        .map(|e| sanitise(e, allow_raw_html))
        .collect();
    let toc = anchor_headings(&mut events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered { html: out, toc }
}

fn sanitise(event: Event<'_>, allow_raw_html: bool) -> Event<'_> {
    match event {
        Event::Html(h) | Event::InlineHtml(h) if !allow_raw_html => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Script-running URL schemes become `#`. Browsers ignore control characters
/// and whitespace inside a scheme (`java\tscript:`), so those are removed
/// before comparing.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let squashed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let dangerous = ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squashed.starts_with(scheme));
    if dangerous {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// Gives every heading a stable, unique id (from its text unless it has an
/// explicit `{#id}`) and returns them in order.
fn anchor_headings(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut toc = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut next_suffix: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let level = heading_level(*level);
        let explicit = id.as_ref().map(|s| s.to_string());
        let end = events[i..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let text = plain_text_of(&events[i + 1..end]);
        let base = explicit
            .and_then(|e| Slug::from_text(&e))
            .or_else(|| Slug::from_text(&text))
            .map_or_else(|| "muc".to_string(), |s| s.to_string());
        // Counting per base keeps 10,000 identical headings linear.
        let n = next_suffix.entry(base.clone()).or_insert(1);
        let mut unique = base.clone();
        while !seen.insert(unique.clone()) {
            *n += 1;
            unique = format!("{base}-{n}");
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        toc.push(Heading {
            level,
            id: unique,
            text,
        });
        i = end;
    }
    toc
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn plain_text_of(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a Markdown document without markup, one block per line: what
/// the search index and feed summaries use.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_vietnamese_slug_ids_and_a_toc() {
        let r = render(
            "## I. KẾT QUẢ\n\ntext\n\n### Tổ chức thực hiện\n\n## I. KẾT QUẢ\n",
            false,
        );
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["i-ket-qua", "to-chuc-thuc-hien", "i-ket-qua-2"]);
        assert!(
            r.html.contains("<h2 id=\"i-ket-qua\">I. KẾT QUẢ</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc[1].level, 3);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let md = "<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> y\n";
        let safe = render(md, false).html;
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("<img"), "{safe}");
        assert!(safe.contains("&lt;script&gt;"), "{safe}");
        assert!(render(md, true).html.contains("<script>"));
    }

    #[test]
    fn script_links_are_neutralised_even_with_raw_html() {
        for md in [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](<java\tscript:alert(1)>)",
            "![i](data:text/html;base64,xx)",
        ] {
            for allow in [false, true] {
                let html = render(md, allow).html.to_lowercase();
                assert!(
                    !html.contains("script:") && !html.contains("data:"),
                    "{md} -> {html}"
                );
            }
        }
        assert!(
            render("[a](https://example.org)", false)
                .html
                .contains("https://example.org")
        );
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ y[^1]\n\n[^1]: n\n",
            false,
        )
        .html;
        assert!(
            html.contains("<table>") && html.contains("<del>x</del>") && html.contains("footnote"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## **Ngân** sách\n\n- một\n- hai\n"),
            "Ngân sách\nmột\nhai\n"
        );
    }
}
