//! Markdown → HTML for the body of a conclusion, with anchored headings, a
//! table of contents, and the safety rules of a public site.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::citation::{self, Citation};
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
    render_linked(markdown, allow_raw_html, &|_| None)
}

/// Like [`render`], and turns each citation of another document ("Kết luận
/// số 706-KL/TU, ngày 05/4/2023") into a link where `link` gives its URL.
pub(crate) fn render_linked(
    markdown: &str,
    allow_raw_html: bool,
    link: &dyn Fn(&Citation) -> Option<String>,
) -> Rendered {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options())
        .map(|e| sanitise(e, allow_raw_html))
        .collect();
    let mut events = link_citations(events, link);
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

/// Links citations in running text. Text split by soft line breaks is
/// joined first (a soft break is written as a newline either way, so the
/// HTML is unchanged), so that a citation wrapped over two lines is found as
/// `citation::recognise` finds it in the source. Text inside links, images
/// and code blocks is left alone: a link inside a link is invalid HTML.
fn link_citations<'a>(
    events: Vec<Event<'a>>,
    link: &dyn Fn(&Citation) -> Option<String>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut shielded = 0usize;
    let mut run: Vec<CowStr<'a>> = Vec::new();
    for event in events {
        match event {
            Event::Text(t) if shielded == 0 => run.push(t),
            Event::SoftBreak if shielded == 0 => run.push(CowStr::Borrowed("\n")),
            other => {
                flush_text(&mut out, &mut run, link);
                shielded = match opens_or_closes(&other) {
                    Some(true) => shielded + 1,
                    Some(false) => shielded.saturating_sub(1),
                    None => shielded,
                };
                out.push(other);
            }
        }
    }
    flush_text(&mut out, &mut run, link);
    out
}

/// Whether an event starts (`true`) or ends (`false`) a region whose text
/// must not get links.
fn opens_or_closes(event: &Event<'_>) -> Option<bool> {
    match event {
        Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => Some(true),
        Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => Some(false),
        Event::InlineHtml(h) => {
            let h = h.to_ascii_lowercase();
            if h.starts_with("<a ") || h.starts_with("<a>") {
                Some(true)
            } else {
                h.starts_with("</a").then_some(false)
            }
        }
        _ => None,
    }
}

fn flush_text<'a>(
    out: &mut Vec<Event<'a>>,
    run: &mut Vec<CowStr<'a>>,
    link: &dyn Fn(&Citation) -> Option<String>,
) {
    // Without `số` there is no citation: skip joining and scanning.
    if !run.iter().any(|t| t.contains('ố') || t.contains('Ố')) {
        out.extend(run.drain(..).map(Event::Text));
        return;
    }
    let text: CowStr<'a> = match run.len() {
        1 => run.pop().unwrap_or(CowStr::Borrowed("")),
        _ => CowStr::from(run.drain(..).fold(String::new(), |acc, t| acc + &t)),
    };
    let mut last = 0;
    for c in citation::recognise(&text) {
        let Some(url) = link(&c) else {
            continue;
        };
        if c.span.start > last {
            out.push(Event::Text(CowStr::from(
                text[last..c.span.start].to_string(),
            )));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(text[c.span.clone()].to_string())));
        out.push(Event::End(TagEnd::Link));
        last = c.span.end;
    }
    if last == 0 {
        out.push(Event::Text(text));
    } else if last < text.len() {
        out.push(Event::Text(CowStr::from(text[last..].to_string())));
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
    fn citations_become_links_outside_links_and_code() {
        let link = |c: &Citation| (c.key.as_str() == "7-KL/TU").then(|| "../x/".to_string());
        let md = "A <b> & Kết luận\nsố 7-KL/TU, ngày 05/4/2023 & Kết luận số 8-KL/TU.\n\n\
                  [Kết luận số 7-KL/TU](https://e.org) `Kết luận số 7-KL/TU`\n\n\
                  ```\nKết luận số 7-KL/TU\n```\n";
        let html = render_linked(md, false, &link).html;
        assert!(
            html.contains(
                "<p>A &lt;b&gt; &amp; <a href=\"../x/\">Kết luận\nsố 7-KL/TU, ngày 05/4/2023</a> &amp; Kết luận số 8-KL/TU.</p>"
            ),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
        assert!(html.contains("<code>Kết luận số 7-KL/TU</code>"), "{html}");
    }

    #[test]
    fn linking_nothing_changes_nothing() {
        let md = "# T\n\nmột\nhai *ba* Kết luận số 1-KL/TU\n\n- x\n";
        let mut plain = String::new();
        html::push_html(&mut plain, Parser::new_ext(md, options()));
        assert_eq!(
            render(md, false).html,
            plain.replace("<h1>", "<h1 id=\"t\">")
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
