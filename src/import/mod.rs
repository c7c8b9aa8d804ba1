//! `ketluan import`: an office's documents (Word, converted text, PDF) into
//! the archive. Each reader turns its format into [`Block`]s; the 36-HD
//! layout parser takes the header, "Nơi nhận" and signature off them as
//! fields; repairs mend what converters broke; the writer makes a content
//! file that passes the same validation as a hand-written one.

mod doc;
mod docx;
mod layout;
mod legacy;
mod marking;
mod pdf;
mod repair;
mod report;
mod text;
mod write;

use std::path::{Path, PathBuf};

#[cfg(test)]
pub(crate) use report::MessageDiscriminants;
pub use report::{Field, FileReport, Findings, Message, Status};

use crate::calendar::Date;
use crate::messages::IoCause;

/// A line of a paragraph: its Markdown (inline emphasis kept) and its plain
/// text (what the layout parser reads).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub md: String,
    pub plain: String,
}

impl Line {
    pub(crate) fn plain(text: &str) -> Line {
        Line {
            md: write::escape_inline(text),
            plain: text.to_string(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Para {
    pub lines: Vec<Line>,
    /// A heading level the source gave (Markdown `#`, a Word heading style).
    pub heading: Option<u8>,
    /// Text that is Markdown already (a table or list line from a `.md`
    /// file): written as it is.
    pub verbatim: bool,
}

impl Para {
    pub(crate) fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.plain.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A table: rows of cells, each cell its paragraphs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Table {
    pub rows: Vec<Vec<Vec<Para>>>,
}

impl Table {
    /// The paragraphs column by column: a layout table (header, signature)
    /// puts one block of the page in each column.
    pub(crate) fn by_column(&self) -> Vec<&Para> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::new();
        for c in 0..columns {
            for row in &self.rows {
                if let Some(cell) = row.get(c) {
                    out.extend(cell.iter());
                }
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Block {
    Para(Para),
    Table(Table),
    /// A horizontal rule (`-----` in converted text).
    Rule,
}

/// What a reader made of a file.
pub(crate) struct Source {
    pub blocks: Vec<Block>,
    /// Text outside the body (a Word page header or footer): not published,
    /// but a secrecy stamp there counts.
    pub margins: Vec<Block>,
    /// Legacy-font text converted to Unicode, for the report.
    pub notes: Vec<Message>,
}

/// The formats `import` reads, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Docx,
    Doc,
    Pdf,
    Markdown,
    Text,
}

impl Format {
    pub(crate) fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "docx" => Format::Docx,
            "doc" => Format::Doc,
            "pdf" => Format::Pdf,
            "md" | "markdown" => Format::Markdown,
            "txt" => Format::Text,
            _ => return None,
        })
    }

    /// Originals worth publishing beside the page: what the office issued,
    /// not a text someone converted from it.
    pub(crate) fn keeps_original(self) -> bool {
        matches!(self, Format::Docx | Format::Doc | Format::Pdf)
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Pdf => "pdf",
            Format::Markdown => "md",
            Format::Text => "txt",
        }
    }
}

pub struct ImportOptions {
    /// The archive: a folder with `site.toml` and `content/`.
    pub root: PathBuf,
    /// Files, or folders searched for files of the formats read.
    pub inputs: Vec<PathBuf>,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
}

/// Problems with the command itself, before any file is read.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum ImportError {
    NotAnArchive(String),
}

/// Imports every input file; one report per file, in order.
pub fn run(options: &ImportOptions, today: Date) -> Result<Vec<FileReport>, ImportError> {
    if !options.root.join(crate::config::FILE_NAME).is_file() {
        return Err(ImportError::NotAnArchive(
            options.root.display().to_string(),
        ));
    }
    let mut archive = write::Archive::load(&options.root, today);
    let mut reports = Vec::new();
    for path in files(&options.inputs) {
        reports.push(import_file(&path, &mut archive, options, today));
    }
    Ok(reports)
}

/// The files named, and those of known formats in the folders named, sorted
/// within each folder so that a run is repeatable.
fn files(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && Format::of(e.path()).is_some())
                .map(|e| e.into_path())
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
}

fn import_file(
    path: &Path,
    archive: &mut write::Archive,
    options: &ImportOptions,
    today: Date,
) -> FileReport {
    let mut findings = Findings::default();
    let status = match convert(path, &mut findings) {
        Ok(imported) => archive.add(imported, path, options.dry_run, today, &mut findings),
        Err(message) => Status::Refused(message),
    };
    FileReport {
        path: path.to_path_buf(),
        status,
        findings,
    }
}

/// Reads, checks markings, parses and repairs one file: everything short of
/// writing it.
fn convert(path: &Path, report: &mut Findings) -> Result<write::Imported, Message> {
    let format = Format::of(path).ok_or_else(|| Message::UnknownFormat {
        extension: path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })?;
    let bytes = read_limited(path)?;
    let source = match format {
        Format::Docx => docx::read(&bytes)?,
        Format::Doc => doc::read(path)?,
        Format::Pdf => pdf::read(path)?,
        Format::Markdown => text::read(&bytes, true),
        Format::Text => text::read(&bytes, false),
    };
    report.notes.extend(source.notes);
    let draft = marking::check(&source.blocks)? | marking::check(&source.margins)?;
    let mut parsed = layout::parse(source.blocks);
    parsed.fields.draft = draft;
    if draft {
        report.notes.push(Message::Draft);
    }
    report.notes.extend(repair::repair(&mut parsed.body));
    report.describe(&parsed.fields);
    Ok(write::Imported {
        fields: parsed.fields,
        body: parsed.body,
        format,
        original: bytes,
    })
}

/// Office documents are megabytes; anything far larger is not one, and is
/// not read into memory.
const MAX_INPUT: u64 = 100 * 1024 * 1024;

fn read_limited(path: &Path) -> Result<Vec<u8>, Message> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Message::Unreadable {
        cause: IoCause::from(&e),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Message::Unreadable {
            cause: IoCause::from(&e),
        })?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(Message::TooLarge {
            limit_mb: MAX_INPUT / (1024 * 1024),
        });
    }
    Ok(bytes)
}
