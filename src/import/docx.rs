//! Word 2007+ (`.docx`): a zip of XML parts. Only `word/document.xml` and
//! `word/styles.xml` are read, each through a size limit, after every
//! entry's name and size were checked; XML with a DTD is refused, so no
//! entity can expand or name another file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node, ParsingOptions};

use super::legacy::Encoding;
use super::report::Message;
use super::{Block, Line, Para, Source, Table};

/// A document has a few dozen parts; thousands mean something else.
const MAX_ENTRIES: usize = 2_000;
/// The largest part read, uncompressed.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Everything the entries claim to hold, uncompressed.
const MAX_TOTAL: u64 = 512 * 1024 * 1024;
/// XML compresses about 10:1; far beyond that is a bomb.
const MAX_RATIO: u64 = 200;

pub(crate) fn read(bytes: &[u8]) -> Result<Source, Message> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Message::BrokenZip {
        reason: e.to_string(),
    })?;
    check_entries(&mut zip)?;
    let document = part(&mut zip, "word/document.xml")?.ok_or(Message::MissingPart {
        part: "word/document.xml".into(),
    })?;
    let styles = part(&mut zip, "word/styles.xml")?;
    let styles = match &styles {
        Some(text) => Styles::read(&parse_xml("word/styles.xml", text)?),
        None => Styles::default(),
    };
    let doc = parse_xml("word/document.xml", &document)?;
    let mut reader = Reader {
        styles: &styles,
        converted: HashMap::new(),
    };
    let mut blocks = Vec::new();
    if let Some(body) = child(doc.root_element(), "body") {
        reader.container(body, &mut blocks);
    }
    let mut notes: Vec<Message> = reader
        .converted
        .into_iter()
        .map(|((enc, font), count)| Message::LegacyFont {
            encoding: enc.name(),
            font,
            count,
        })
        .collect();
    notes.sort_by_key(ToString::to_string);
    Ok(Source { blocks, notes })
}

fn check_entries(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), Message> {
    if zip.len() > MAX_ENTRIES {
        return Err(Message::TooManyEntries {
            count: zip.len(),
            limit: MAX_ENTRIES,
        });
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| Message::BrokenZip {
            reason: e.to_string(),
        })?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.enclosed_name().is_none()
            || name.split(['/', '\\']).any(|part| part == "..")
            || name.starts_with(['/', '\\'])
        {
            return Err(Message::UnsafeEntry { entry: name });
        }
        let bomb = entry.size() > MAX_PART
            || (entry.size() > 1024 * 1024
                && entry.size() / entry.compressed_size().max(1) > MAX_RATIO);
        if bomb {
            return Err(Message::ZipBomb {
                entry: name,
                limit_mb: MAX_PART / (1024 * 1024),
            });
        }
        total = total.saturating_add(entry.size());
        if total > MAX_TOTAL {
            return Err(Message::ZipBomb {
                entry: name,
                limit_mb: MAX_TOTAL / (1024 * 1024),
            });
        }
    }
    Ok(())
}

/// A part's text, read through the size limit whatever the entry claims.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, Message> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(Message::BrokenZip {
                reason: e.to_string(),
            });
        }
    };
    let mut bytes = Vec::new();
    entry
        .take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Message::BrokenZip {
            reason: format!("{name}: {e}"),
        })?;
    if bytes.len() as u64 > MAX_PART {
        return Err(Message::ZipBomb {
            entry: name.into(),
            limit_mb: MAX_PART / (1024 * 1024),
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| Message::BadXml {
            part: name.into(),
            reason: e.to_string(),
        })
}

fn parse_xml<'a>(part: &str, text: &'a str) -> Result<Document<'a>, Message> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 20_000_000,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Message::XmlEntity { part: part.into() },
        e => Message::BadXml {
            part: part.into(),
            reason: e.to_string(),
        },
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// `w:val` and the other attributes in the WordprocessingML namespace.
fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// `<w:b/>` is on, `<w:b w:val="0"/>` off.
fn on(props: Option<Node<'_, '_>>, name: &str) -> Option<bool> {
    let node = child(props?, name)?;
    Some(!matches!(attr(node, "val"), Some("0" | "false" | "off")))
}

fn font_of(props: Option<Node<'_, '_>>) -> Option<String> {
    let fonts = child(props?, "rFonts")?;
    attr(fonts, "ascii")
        .or_else(|| attr(fonts, "hAnsi"))
        .map(str::to_string)
}

#[derive(Default, Clone)]
struct Style {
    heading: Option<u8>,
    font: Option<String>,
    bold: Option<bool>,
    based_on: Option<String>,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_font: Option<String>,
}

impl Styles {
    fn read(doc: &Document<'_>) -> Styles {
        let mut styles = Styles::default();
        let root = doc.root_element();
        styles.default_font = child(root, "docDefaults")
            .and_then(|d| child(d, "rPrDefault"))
            .and_then(|d| font_of(child(d, "rPr")));
        for s in root.children().filter(|c| c.tag_name().name() == "style") {
            let Some(id) = attr(s, "styleId") else {
                continue;
            };
            let name = child(s, "name")
                .and_then(|n| attr(n, "val"))
                .unwrap_or("")
                .to_ascii_lowercase();
            let outline = child(s, "pPr")
                .and_then(|p| child(p, "outlineLvl"))
                .and_then(|o| attr(o, "val"))
                .and_then(|v| v.parse::<u8>().ok());
            let heading = name
                .strip_prefix("heading ")
                .and_then(|n| n.parse::<u8>().ok())
                .or(outline.map(|o| o + 1))
                .filter(|h| (1..=6).contains(h));
            let rpr = child(s, "rPr");
            styles.by_id.insert(
                id.to_string(),
                Style {
                    heading,
                    font: font_of(rpr),
                    bold: on(rpr, "b"),
                    based_on: child(s, "basedOn")
                        .and_then(|b| attr(b, "val"))
                        .map(str::to_string),
                },
            );
        }
        styles
    }

    /// A style with what it inherits filled in (ten levels at most: a
    /// cycle of basedOn must not hang the import).
    fn resolved(&self, id: Option<&str>) -> Style {
        let mut out = Style::default();
        let mut next = id.map(str::to_string);
        for _ in 0..10 {
            let Some(s) = next.as_deref().and_then(|id| self.by_id.get(id)) else {
                break;
            };
            out.heading = out.heading.or(s.heading);
            out.font = out.font.take().or(s.font.clone());
            out.bold = out.bold.or(s.bold);
            next = s.based_on.clone();
        }
        out
    }
}

struct Run {
    text: String,
    bold: bool,
    italic: bool,
    /// A line break before this run's text.
    line_break: bool,
}

struct Reader<'s> {
    styles: &'s Styles,
    converted: HashMap<(Encoding, String), usize>,
}

impl Reader<'_> {
    /// The paragraphs and tables of the body (or of a cell, a content
    /// control, a text box).
    fn container(&mut self, node: Node<'_, '_>, out: &mut Vec<Block>) {
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "p" => self.paragraph(c, out),
                "tbl" => out.push(Block::Table(self.table(c))),
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.container(content, out);
                    }
                }
                "customXml" | "ins" => self.container(c, out),
                _ => {}
            }
        }
    }

    fn table(&mut self, node: Node<'_, '_>) -> Table {
        let mut table = Table::default();
        for tr in node.children().filter(|c| c.tag_name().name() == "tr") {
            let mut row = Vec::new();
            for tc in tr.children().filter(|c| c.tag_name().name() == "tc") {
                let mut blocks = Vec::new();
                self.container(tc, &mut blocks);
                row.push(flatten(blocks));
            }
            table.rows.push(row);
        }
        table
    }

    fn paragraph(&mut self, p: Node<'_, '_>, out: &mut Vec<Block>) {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|n| child(n, "pStyle"))
            .and_then(|n| attr(n, "val"));
        let style = self.styles.resolved(style_id);
        let list = ppr.and_then(|n| child(n, "numPr")).is_some();
        let mut runs = Vec::new();
        let mut boxes = Vec::new();
        self.runs(p, &style, &mut runs, &mut boxes);
        out.extend(boxes);
        let mut lines = lines(&runs);
        while lines.last().is_some_and(|l| l.plain.trim().is_empty()) {
            lines.pop();
        }
        while lines.first().is_some_and(|l| l.plain.trim().is_empty()) {
            lines.remove(0);
        }
        if lines.is_empty() {
            return;
        }
        if list && let Some(first) = lines.first_mut() {
            first.md = format!("- {}", first.md);
        }
        out.push(Block::Para(Para {
            lines,
            heading: style.heading,
            verbatim: false,
        }));
    }

    fn runs(
        &mut self,
        node: Node<'_, '_>,
        style: &Style,
        runs: &mut Vec<Run>,
        boxes: &mut Vec<Block>,
    ) {
        for c in node.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "r" => self.run(c, style, runs, boxes),
                "hyperlink" | "ins" | "smartTag" | "fldSimple" | "customXml" => {
                    self.runs(c, style, runs, boxes)
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.runs(content, style, runs, boxes);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node<'_, '_>, style: &Style, runs: &mut Vec<Run>, boxes: &mut Vec<Block>) {
        let rpr = child(r, "rPr");
        let run_style = self.styles.resolved(
            rpr.and_then(|n| child(n, "rStyle"))
                .and_then(|n| attr(n, "val")),
        );
        let bold = on(rpr, "b")
            .or(run_style.bold)
            .or(style.bold)
            .unwrap_or(false);
        let italic = on(rpr, "i").unwrap_or(false);
        let font = font_of(rpr)
            .or(run_style.font)
            .or(style.font.clone())
            .or(self.styles.default_font.clone());
        let encoding = font.as_deref().and_then(Encoding::of_font);
        let mut line_break = false;
        let mut text = String::new();
        let flush = |text: &mut String, line_break: &mut bool, runs: &mut Vec<Run>| {
            if !text.is_empty() || *line_break {
                runs.push(Run {
                    text: std::mem::take(text),
                    bold,
                    italic,
                    line_break: std::mem::take(line_break),
                });
            }
        };
        for c in r.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "t" => {
                    let t = c.text().unwrap_or("");
                    match encoding {
                        Some(enc)
                            if !t.is_ascii()
                                || matches!(enc, Encoding::Tcvn3 { capitals: true }) =>
                        {
                            let key = (enc, font.clone().unwrap_or_default());
                            *self.converted.entry(key).or_default() += 1;
                            text.push_str(&enc.decode(t));
                        }
                        _ => text.push_str(t),
                    }
                }
                "tab" => text.push(' '),
                "noBreakHyphen" => text.push('-'),
                "br" | "cr" => {
                    flush(&mut text, &mut line_break, runs);
                    line_break = true;
                }
                "AlternateContent" | "drawing" | "pict" => {
                    for content in c
                        .descendants()
                        .filter(|d| d.tag_name().name() == "txbxContent")
                        .filter(|d| !d.ancestors().any(|a| a.tag_name().name() == "Fallback"))
                    {
                        self.container(content, boxes);
                    }
                }
                _ => {}
            }
        }
        flush(&mut text, &mut line_break, runs);
    }
}

fn flatten(blocks: Vec<Block>) -> Vec<Para> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => out.push(p),
            Block::Table(t) => out.extend(t.by_column().into_iter().cloned()),
            Block::Rule => {}
        }
    }
    out
}

/// Runs into lines, emphasis as Markdown.
fn lines(runs: &[Run]) -> Vec<Line> {
    let mut out = vec![Line {
        md: String::new(),
        plain: String::new(),
    }];
    let mut i = 0;
    while i < runs.len() {
        if runs[i].line_break {
            out.push(Line {
                md: String::new(),
                plain: String::new(),
            });
        }
        // Runs of the same emphasis are written as one span.
        let (bold, italic) = (runs[i].bold, runs[i].italic);
        let mut text = runs[i].text.clone();
        i += 1;
        while i < runs.len()
            && !runs[i].line_break
            && runs[i].bold == bold
            && runs[i].italic == italic
        {
            text.push_str(&runs[i].text);
            i += 1;
        }
        let text = ketluan_search::analysis::nfc(&text).into_owned();
        let line = out.last_mut().expect("one line at least");
        line.plain.push_str(&text);
        line.md.push_str(&emphasis(&text, bold, italic));
    }
    for line in &mut out {
        line.plain = line.plain.trim().to_string();
        line.md = line.md.trim().to_string();
    }
    out
}

fn emphasis(text: &str, bold: bool, italic: bool) -> String {
    let core = text.trim();
    if core.is_empty() || (!bold && !italic) {
        return super::write::escape_inline(text);
    }
    let marker = match (bold, italic) {
        (true, true) => "***",
        (true, false) => "**",
        _ => "*",
    };
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!(
        "{lead}{marker}{}{marker}{trail}",
        super::write::escape_inline(core)
    )
}
