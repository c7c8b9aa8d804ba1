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
/// The largest part read, uncompressed: a 300-page document's XML is a few
/// megabytes.
const MAX_PART: u64 = 32 * 1024 * 1024;
/// XML nodes parsed at most, which bounds the parser's memory (some
/// hundred megabytes) whatever the part holds.
const MAX_NODES: u32 = 2_000_000;
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
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let numbering = match &numbering {
        Some(text) => Numbering::read(&parse_xml("word/numbering.xml", text)?),
        None => Numbering::default(),
    };
    let styles = match &styles {
        Some(text) => Styles::read(&parse_xml("word/styles.xml", text)?),
        None => Styles::default(),
    };
    let doc = parse_xml("word/document.xml", &document)?;
    let mut reader = Reader {
        styles: &styles,
        numbering,
        converted: HashMap::new(),
    };
    let mut blocks = Vec::new();
    if let Some(body) = child(doc.root_element(), "body") {
        reader.container(body, &mut blocks);
    }
    // Page headers and footers, where a secrecy stamp may stand.
    let mut margin_parts: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .filter(|n| {
            n.strip_prefix("word/").is_some_and(|n| {
                (n.starts_with("header") || n.starts_with("footer")) && n.ends_with(".xml")
            })
        })
        .collect();
    margin_parts.sort();
    let mut margins = Vec::new();
    for name in margin_parts {
        if let Some(text) = part(&mut zip, &name)? {
            let xml = parse_xml(&name, &text)?;
            reader.container(xml.root_element(), &mut margins);
        }
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
    Ok(Source {
        blocks,
        margins,
        notes,
    })
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
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Message::XmlEntity { part: part.into() },
        roxmltree::Error::NodesLimitReached => Message::ZipBomb {
            entry: part.into(),
            limit_mb: MAX_PART / (1024 * 1024),
        },
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
    numbering: Numbering,
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
        let list = ppr.and_then(|n| child(n, "numPr")).map(|n| {
            let val = |name| child(n, name).and_then(|c| attr(c, "val")).unwrap_or("0");
            self.numbering
                .label(val("numId"), val("ilvl").parse().unwrap_or(0))
        });
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
        match (list, lines.first_mut()) {
            (Some(Label::Bullet), Some(first)) => first.md = format!("- {}", first.md),
            (Some(Label::Numbered(label)), Some(first)) => {
                first.md = format!("{label} {}", first.md);
                first.plain = format!("{label} {}", first.plain);
            }
            _ => {}
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

/// What Word's automatic numbering puts before a paragraph.
enum Label {
    Bullet,
    Numbered(String),
    None,
}

#[derive(Clone)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// `word/numbering.xml`: list definitions, and the counters of the lists
/// as the document is read.
#[derive(Default)]
struct Numbering {
    abstract_of: HashMap<String, String>,
    levels: HashMap<String, Vec<Level>>,
    /// `w:startOverride` of a list that restarts at another number.
    starts: HashMap<(String, usize), u32>,
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn read(doc: &Document<'_>) -> Numbering {
        let mut n = Numbering::default();
        let root = doc.root_element();
        for a in root
            .children()
            .filter(|c| c.tag_name().name() == "abstractNum")
        {
            let Some(id) = attr(a, "abstractNumId") else {
                continue;
            };
            let mut levels = vec![
                Level {
                    format: "decimal".into(),
                    text: String::new(),
                    start: 1
                };
                9
            ];
            for lvl in a.children().filter(|c| c.tag_name().name() == "lvl") {
                let Some(i) = attr(lvl, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                    continue;
                };
                let val = |name| child(lvl, name).and_then(|c| attr(c, "val"));
                if let Some(level) = levels.get_mut(i) {
                    *level = Level {
                        format: val("numFmt").unwrap_or("decimal").to_string(),
                        text: val("lvlText").unwrap_or("").to_string(),
                        start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
                    };
                }
            }
            n.levels.insert(id.to_string(), levels);
        }
        for num in root.children().filter(|c| c.tag_name().name() == "num") {
            if let (Some(id), Some(a)) = (
                attr(num, "numId"),
                child(num, "abstractNumId").and_then(|c| attr(c, "val")),
            ) {
                n.abstract_of.insert(id.to_string(), a.to_string());
            }
            for o in num
                .children()
                .filter(|c| c.tag_name().name() == "lvlOverride")
            {
                let start = child(o, "startOverride")
                    .and_then(|c| attr(c, "val"))
                    .and_then(|v| v.parse().ok());
                let ilvl = attr(o, "ilvl").and_then(|v| v.parse().ok());
                if let (Some(id), Some(ilvl), Some(start)) = (attr(num, "numId"), ilvl, start) {
                    n.starts.insert((id.to_string(), ilvl), start);
                }
            }
        }
        n
    }

    /// The label of the next paragraph of list `num` at level `ilvl`.
    fn label(&mut self, num: &str, ilvl: usize) -> Label {
        if num == "0" {
            return Label::None;
        }
        let Some(levels) = self.abstract_of.get(num).and_then(|a| self.levels.get(a)) else {
            return Label::Bullet;
        };
        let ilvl = ilvl.min(8);
        let level = &levels[ilvl];
        let start = self
            .starts
            .get(&(num.to_string(), ilvl))
            .copied()
            .unwrap_or(level.start);
        if level.format == "bullet" || level.format == "none" {
            return Label::Bullet;
        }
        let counters = self.counters.entry(num.to_string()).or_insert([0; 9]);
        counters[ilvl] = if counters[ilvl] == 0 {
            start
        } else {
            counters[ilvl] + 1
        };
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = 0;
        }
        let mut text = level.text.clone();
        for (i, l) in levels.iter().enumerate().take(ilvl + 1) {
            let value = counters[i].max(l.start);
            text = text.replace(&format!("%{}", i + 1), &format_number(value, &l.format));
        }
        if text.trim().is_empty() {
            Label::Bullet
        } else {
            Label::Numbered(text.trim().to_string())
        }
    }
}

fn format_number(n: u32, format: &str) -> String {
    let letter = |base: u8| {
        let i = (n.max(1) - 1) % 26;
        char::from(base + i as u8).to_string()
    };
    let roman = || {
        let mut out = String::new();
        let mut n = n;
        for (v, s) in [
            (1000, "M"),
            (900, "CM"),
            (500, "D"),
            (400, "CD"),
            (100, "C"),
            (90, "XC"),
            (50, "L"),
            (40, "XL"),
            (10, "X"),
            (9, "IX"),
            (5, "V"),
            (4, "IV"),
            (1, "I"),
        ] {
            while n >= v {
                out.push_str(s);
                n -= v;
            }
        }
        out
    };
    match format {
        "lowerLetter" => letter(b'a'),
        "upperLetter" => letter(b'A'),
        "upperRoman" => roman(),
        "lowerRoman" => roman().to_lowercase(),
        _ => n.to_string(),
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
