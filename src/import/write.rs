//! The content file an import makes: front matter from the fields, the
//! text as Markdown, and the original beside it. The file goes through the
//! same validation as one written by hand before anything is written, and
//! nothing in the archive is ever overwritten.

use std::path::{Path, PathBuf};

use super::layout::Fields;
use super::report::{Field, Findings, Message, Status};
use super::{Block, Format, Para};
use crate::calendar::Date;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::SourceFile;
use crate::slug::Slug;

pub(crate) struct Imported {
    pub fields: Fields,
    pub body: Vec<Block>,
    pub format: Format,
    pub original: Vec<u8>,
}

/// What identifies a document: its number within its body and term
/// (numbers restart every term, see `content::duplicates`), or, when one of
/// two has no number, its body, date and title.
#[derive(Clone, PartialEq, Eq)]
struct Key {
    body: Option<Slug>,
    /// Term (or year, without one) and number.
    number: Option<(String, String)>,
    date: Date,
    title: Option<Slug>,
}

impl Key {
    fn new(body: &str, number: Option<&str>, term: Option<&str>, date: Date, title: &str) -> Key {
        Key {
            body: Slug::from_text(body),
            number: number.map(|n| {
                (
                    term.map_or_else(|| date.year.to_string(), str::to_string),
                    n.to_string(),
                )
            }),
            date,
            title: Slug::from_text(title),
        }
    }

    fn same_document(&self, other: &Key) -> bool {
        if self.body != other.body {
            return false;
        }
        match (&self.number, &other.number) {
            (Some(a), Some(b)) => a == b,
            _ => self.date == other.date && self.title == other.title,
        }
    }
}

/// The archive's documents, and those imported in this run.
pub(crate) struct Archive {
    root: PathBuf,
    known: Vec<(Key, PathBuf)>,
}

impl Archive {
    pub(crate) fn load(root: &Path, today: Date) -> Archive {
        let loaded = content::load(root, true, today);
        let known = loaded
            .documents
            .iter()
            .map(|d| {
                let key = Key::new(
                    &d.issuer,
                    d.number.as_ref().map(|n| n.as_str()),
                    d.term.as_deref(),
                    d.date,
                    &d.title,
                );
                (key, d.source.clone())
            })
            .collect();
        Archive {
            root: root.to_path_buf(),
            known,
        }
    }

    /// Writes one imported document, unless the archive has it.
    pub(crate) fn add(
        &mut self,
        doc: Imported,
        source: &Path,
        dry_run: bool,
        today: Date,
        report: &mut Findings,
    ) -> Status {
        let f = &doc.fields;
        let (Some(title), Some(date), Some(body)) = (&f.title, f.date, &f.body) else {
            let field = [
                (f.title.is_none(), Field::Title),
                (f.date.is_none(), Field::Date),
                (f.body.is_none(), Field::Body),
            ]
            .into_iter()
            .find_map(|(missing, field)| missing.then_some(field))
            .unwrap_or(Field::Title);
            return Status::Refused(Message::MissingRequired { field });
        };
        let key = Key::new(body, f.number.as_deref(), f.term.as_deref(), date, title);
        if let Some((k, existing)) = self.known.iter().find(|(k, _)| k.same_document(&key)) {
            return Status::Duplicate {
                existing: existing.clone(),
                by_number: k.number.is_some() && key.number.is_some(),
            };
        }
        let dir_rel = PathBuf::from(CONTENT_DIR).join(date.year.to_string());
        let stem = self.free_stem(&dir_rel, f.number.as_deref(), source, doc.format);
        let markdown_rel = dir_rel.join(format!("{stem}.md"));
        let original_rel = doc
            .format
            .keeps_original()
            .then(|| dir_rel.join(format!("{stem}.{}", doc.format.extension())));
        let text = compose(f, &doc.body);
        if let Err(message) = validate(&markdown_rel, &stem, date, &text, today) {
            return Status::Refused(message);
        }
        if !dry_run
            && let Err(message) =
                self.write(&markdown_rel, &text, original_rel.as_deref(), &doc.original)
        {
            return Status::Refused(message);
        }
        if report.notes.iter().all(|n| *n != Message::TitleBuilt) {
            report.notes.push(Message::TitleBuilt);
        }
        self.known.push((key, markdown_rel.clone()));
        Status::Imported {
            markdown: markdown_rel,
            original: original_rel,
            dry_run,
        }
    }

    /// `45-kl-tu` from the number, else the source file's name; `-2`, `-3`
    /// … when that name is taken.
    fn free_stem(&self, dir: &Path, number: Option<&str>, source: &Path, format: Format) -> String {
        let base = number
            .and_then(Slug::from_text)
            .or_else(|| {
                source
                    .file_stem()
                    .and_then(|s| Slug::from_text(&s.to_string_lossy()))
            })
            .map_or_else(|| "van-ban".to_string(), |s| s.to_string());
        let taken = |stem: &str| {
            let md = self.root.join(dir).join(format!("{stem}.md"));
            let original = self
                .root
                .join(dir)
                .join(format!("{stem}.{}", format.extension()));
            md.exists()
                || original.exists()
                || self
                    .known
                    .iter()
                    .any(|(_, p)| *p == dir.join(format!("{stem}.md")))
        };
        let mut stem = base.clone();
        let mut n = 2;
        while taken(&stem) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        stem
    }

    fn write(
        &self,
        markdown: &Path,
        text: &str,
        original: Option<&Path>,
        bytes: &[u8],
    ) -> Result<(), Message> {
        let failed = |path: &Path, e: std::io::Error| Message::WriteFailed {
            path: path.display().to_string(),
            cause: crate::messages::IoCause::from(&e),
        };
        let md_path = self.root.join(markdown);
        if let Some(dir) = md_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| failed(markdown, e))?;
        }
        if let Some(original) = original {
            create_new(&self.root.join(original), bytes).map_err(|e| failed(original, e))?;
        }
        create_new(&md_path, text.as_bytes()).map_err(|e| {
            // A page without its text must not stay behind.
            if let Some(original) = original {
                let _ = std::fs::remove_file(self.root.join(original));
            }
            failed(markdown, e)
        })
    }
}

fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The file as `ketluan check` will read it: an import never writes what
/// the build would refuse.
fn validate(rel: &Path, stem: &str, date: Date, text: &str, today: Date) -> Result<(), Message> {
    let file = SourceFile { path: rel, text };
    let slug = Slug::from_text(&format!("{}-{stem}", date.year));
    let (doc, diagnostics) = content::parse_document(&file, slug, today);
    match (doc, diagnostics.iter().find(|d| d.is_error())) {
        (Some(_), None) => Ok(()),
        (_, Some(d)) => Err(Message::Invalid {
            problem: Some(d.problem.clone()),
        }),
        (None, None) => Err(Message::Invalid { problem: None }),
    }
}

/// Front matter in the order of `content::FIELDS`, then the text.
pub(crate) fn compose(f: &Fields, body: &[Block]) -> String {
    let text = |v: &Option<String>| v.as_deref().map(toml_string);
    let entries: [(&str, Option<String>); 11] = [
        ("title", text(&f.title)),
        ("number", text(&f.number)),
        ("date", f.date.map(|d| d.to_string())),
        ("body", text(&f.body)),
        ("session", f.session.map(|s| s.to_string())),
        ("term", text(&f.term)),
        ("signer", text(&f.signer)),
        ("signer_title", text(&f.signer_title)),
        (
            "recipients",
            (!f.recipients.is_empty()).then(|| {
                let list: Vec<String> = f.recipients.iter().map(|r| toml_string(r)).collect();
                format!("[{}]", list.join(", "))
            }),
        ),
        ("summary", text(&f.summary)),
        ("draft", f.draft.then(|| "true".to_string())),
    ];
    let mut out = String::from("+++\n");
    for (key, value) in entries {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    out.push_str("+++\n\n");
    let blocks: Vec<String> = body.iter().map(block_markdown).collect();
    out.push_str(&blocks.join("\n\n"));
    out.push('\n');
    out
}

fn block_markdown(block: &Block) -> String {
    match block {
        Block::Para(p) => para_markdown(p),
        Block::Rule => "---".into(),
        Block::Table(t) => {
            let columns = t.rows.iter().map(Vec::len).max().unwrap_or(0);
            let mut rows: Vec<String> = Vec::new();
            for (i, row) in t.rows.iter().enumerate() {
                let cells: Vec<String> = (0..columns)
                    .map(|c| {
                        row.get(c)
                            .map(|cell| {
                                cell.iter()
                                    .flat_map(|p| p.lines.iter().map(|l| l.md.replace('|', "\\|")))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default()
                    })
                    .collect();
                rows.push(format!("| {} |", cells.join(" | ")));
                if i == 0 {
                    rows.push(format!("|{}", " --- |".repeat(columns)));
                }
            }
            rows.join("\n")
        }
    }
}

fn para_markdown(p: &Para) -> String {
    match p.heading {
        Some(level) => {
            let text: Vec<&str> = p.lines.iter().map(|l| l.md.trim()).collect();
            format!("{} {}", "#".repeat(level.into()), text.join(" "))
        }
        None => {
            let lines: Vec<&str> = p.lines.iter().map(|l| l.md.as_str()).collect();
            lines.join("\n")
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text that Markdown would read as markup, escaped: a document's `*` or
/// `<` is a character, not emphasis or HTML.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with('#') {
        out.insert(0, '\\');
    }
    out
}
