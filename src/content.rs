//! Loads `content/**/*.md`: splits the `+++` front matter from the Markdown,
//! checks every field and returns typed [`Document`]s, or every problem found
//! in every file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::calendar::{Date, Quarter};
use crate::citation::{self, Mention};
use crate::diagnostic::{Diagnostic, Problem, SourceFile};
use crate::fields::Fields;
use crate::messages::IoCause;
use crate::messages::problems::{Expected, Table};
use crate::progress::{self, Stage};
use crate::slug::Slug;

mod known;
use known::Record;
pub(crate) use known::{Known, SourceStamp, Update, now_ns};

pub(crate) const CONTENT_DIR: &str = "content";

/// Every front-matter field, in the order `ketluan new` writes them.
pub(crate) const FIELDS: &[&str] = &[
    "title",
    "number",
    "date",
    "body",
    "session",
    "term",
    "signer",
    "signer_title",
    "recipients",
    "summary",
    "tags",
    "quarter",
    "slug",
    "draft",
];

/// One published conclusion.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Path relative to the site root, for messages.
    pub source: PathBuf,
    pub slug: Slug,
    pub title: String,
    pub date: Date,
    pub quarter: Quarter,
    /// The issuing body (cơ quan ban hành), front matter `body`.
    pub issuer: String,
    pub number: Option<DocNumber>,
    pub session: Option<u32>,
    pub term: Option<String>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub recipients: Vec<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The documents the text cites, as written, in order: found while the
    /// text is in memory, so resolving them needs no second read.
    pub citations: Vec<Mention>,
    /// Where the Markdown after the front matter is: read again when the
    /// page is rendered, so a 100,000-document archive is never in memory
    /// at once.
    pub body: Body,
    /// A hash of the Markdown: what a rebuild compares, instead of reading
    /// every file a second and third time.
    pub digest: [u8; 16],
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Body {
    /// Text parsed from memory (tests, fuzzing), NFC-normalised.
    Text(String),
    /// Byte `start` onwards of the decoded file at `path`; `nfc` when that
    /// text needed no normalisation.
    File {
        path: PathBuf,
        start: usize,
        nfc: bool,
    },
}

/// Why the Markdown of a document could not be read again while rendering
/// or indexing.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum BodyError {
    Read(#[from] std::io::Error),
    /// The file stopped being UTF-8 text after it was loaded.
    NotUtf8(Box<Diagnostic>),
    /// The file is now shorter than its front matter was.
    Shortened(PathBuf),
    /// The text is not the one loaded (its digest differs).
    Changed(PathBuf),
}

impl Document {
    /// The Markdown of the conclusion, NFC-normalised and without zero-width
    /// characters.
    pub fn markdown(&self) -> Result<std::borrow::Cow<'_, str>, BodyError> {
        match &self.body {
            Body::Text(text) => Ok(std::borrow::Cow::Borrowed(text)),
            Body::File { path, start, nfc } => {
                let bytes = std::fs::read(path)?;
                let text = decode(&self.source, bytes).map_err(BodyError::NotUtf8)?;
                let body = text
                    .get(*start..)
                    .ok_or_else(|| BodyError::Shortened(self.source.clone()))?;
                // Checking NFC costs as much as the rest of reading: skip it for
                // files that were already normalised when first loaded.
                let body = if *nfc {
                    body.to_string()
                } else {
                    normalise(body)
                };
                // Pages and index batches are reused by this digest: text
                // that is not what was loaded must not be filed under it.
                if digest(&body) != self.digest {
                    return Err(BodyError::Changed(self.source.clone()));
                }
                Ok(std::borrow::Cow::Owned(body))
            }
        }
    }
}

/// A document number (số ký hiệu) such as `45-KL/TU` or `123/QĐ-UBND`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct DocNumber(String);

impl DocNumber {
    /// The number as written, with look-alike letters read as what they
    /// stand for (`45-КL/ТU`, Cyrillic К and Т, is `45-KL/TU`).
    pub fn new(text: &str) -> DocNumber {
        DocNumber(ketluan_search::analysis::latin_number(text.trim()).into_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shape of a số ký hiệu: a number, then `-` or `/`, then letter
    /// codes separated by `-` or `/` (`45-KL/TU`, `123/QĐ-UBND`).
    pub fn looks_valid(&self) -> bool {
        let s = self.0.as_str();
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        let rest = &s[digits..];
        let Some(codes) = rest.strip_prefix(['-', '/']) else {
            return false;
        };
        digits > 0
            && codes.split(['-', '/']).all(|code| {
                !code.is_empty() && code.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            })
            && codes.chars().any(char::is_uppercase)
    }
}

impl std::fmt::Display for DocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What loading the content folder found.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every `.md` file under `root/content`. Drafts are kept only when
/// `drafts` is set. Documents come back sorted newest first, then by slug, so
/// everything downstream is deterministic.
pub(crate) fn load(root: &Path, drafts: bool, today: Date) -> Loaded {
    load_known(root, drafts, today, &Known::none()).0
}

/// [`load`], taking unchanged files from `known` (the last build's records)
/// without reading them. Also returns what differs from `known`'s records,
/// for the next build, when anything does.
pub(crate) fn load_known(
    root: &Path,
    drafts: bool,
    today: Date,
    known: &Known,
) -> (Loaded, Option<Update>) {
    let dir = root.join(CONTENT_DIR);
    let (paths, mut diagnostics) = markdown_files(root, &dir);
    progress::mark("load: walk content/");
    progress::start(Stage::Reading, paths.len());
    let results: Vec<_> = paths
        .par_iter()
        .map(|rel| {
            let loaded = load_or_reuse(root, &dir, rel, today, known);
            progress::advance(Stage::Reading, 1);
            loaded
        })
        .collect();
    let mut documents = Vec::new();
    let mut update = Update::default();
    for (rel, (doc, diags, outcome)) in paths.into_iter().zip(results) {
        diagnostics.extend(diags);
        documents.extend(doc.filter(|d| drafts || !d.draft));
        match outcome {
            Outcome::Known => update.known.push(rel),
            Outcome::Read(record) => update.read.extend(record.map(|r| *r)),
        }
    }
    diagnostics.extend(duplicates(&documents));
    documents.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    // Rewriting every record costs more than reading a few files again: a
    // handful of edits are recorded with the next larger change.
    let stale = update.read.len() + known.records().saturating_sub(update.known.len());
    let worth_saving = stale > REREAD_RATHER_THAN_SAVE || known.records() == 0;
    let loaded = Loaded {
        documents,
        diagnostics,
    };
    (
        loaded,
        (known.enabled() && stale > 0 && worth_saving).then_some(update),
    )
}

/// How many files a build may read again (edited or new since the records
/// were written, or gone) before the records are rewritten: rewriting them
/// is a pass over every document, re-reading 256 files a few milliseconds.
const REREAD_RATHER_THAN_SAVE: usize = 256;

/// Whether a file came from the last build's record, or was read (with the
/// record of it, when it loaded without errors).
enum Outcome {
    Known,
    Read(Option<Box<Record>>),
}

fn load_or_reuse(
    root: &Path,
    dir: &Path,
    rel: &Path,
    today: Date,
    known: &Known,
) -> (Option<Document>, Vec<Diagnostic>, Outcome) {
    if !known.enabled() {
        let (doc, diags) = load_file(root, dir, rel, today);
        return (doc, diags, Outcome::Read(None));
    }
    // Taken before reading: an edit during the read changes the stamp, so
    // the next build reads the file again.
    let stamp = SourceStamp::of(&root.join(rel));
    if let Some(r) = stamp.and_then(|s| known.get(rel, s, today)) {
        return (Some(r.doc.clone()), Vec::new(), Outcome::Known);
    }
    let (doc, diags) = load_file(root, dir, rel, today);
    // Only files without a warning are recorded: a warning is told in the
    // language of the build that shows it, so it is made again each time
    // (files with warnings are few and are read again).
    let record = match (&doc, stamp) {
        (Some(doc), Some(stamp)) if diags.is_empty() => Some(Box::new(Record {
            rel: rel.to_path_buf(),
            stamp,
            doc: doc.clone(),
        })),
        _ => None,
    };
    (doc, diags, Outcome::Read(record))
}

/// Paths relative to `root`, sorted. Files that are not documents are
/// reported once each: a file in `content/` that the site does not use is
/// either a mistake (a `.txt` export, a misnamed `.MD`) or an attachment that
/// is not linked, and the maintainer should know it is not published.
fn markdown_files(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    if !dir.is_dir() {
        let d = Diagnostic::file(Path::new(CONTENT_DIR), Problem::NoContentFolder);
        return (Vec::new(), vec![d]);
    }
    let walked = crate::walk::site_files(root, CONTENT_DIR);
    let mut diagnostics = walked.diagnostics;
    let (paths, others): (Vec<_>, Vec<_>) = walked
        .files
        .into_iter()
        .partition(|p| p.extension().is_some_and(|x| x == "md"));
    // Originals beside their Markdown are published with it (as regular
    // files only: a linked original is not, so it is reported).
    let published = |p: &Path| {
        let at = root.join(p);
        crate::originals::is_original(&at)
            && std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_file())
    };
    diagnostics.extend(
        others
            .iter()
            .filter(|p| !published(p))
            .map(|p| not_a_document(p)),
    );
    (paths, diagnostics)
}

fn not_a_document(path: &Path) -> Diagnostic {
    Diagnostic::file(path, Problem::NotADocument).warning()
}

fn load_file(
    root: &Path,
    dir: &Path,
    rel: &Path,
    today: Date,
) -> (Option<Document>, Vec<Diagnostic>) {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::file(
                    rel,
                    Problem::CannotRead {
                        cause: IoCause::from(&e),
                    },
                )],
            );
        }
    };
    let text = match decode(rel, bytes) {
        Ok(t) => t,
        Err(d) => return (None, vec![*d]),
    };
    let file = SourceFile {
        path: rel,
        text: &text,
    };
    let default_slug = default_slug(
        rel.strip_prefix(dir.strip_prefix(root).unwrap_or(dir))
            .unwrap_or(rel),
    );
    let (doc, diagnostics) = parse_document(&file, default_slug, today);
    // Keep where the text is, not the text: it is read again when rendered.
    let doc = doc.map(|mut doc| {
        if let Ok((_, start)) = split_front_matter(&text) {
            let nfc = matches!(&doc.body, Body::Text(t) if *t == text[start..]);
            doc.body = Body::File {
                path: root.join(rel),
                start,
                nfc,
            };
        }
        doc
    });
    (doc, diagnostics)
}

/// UTF-8 text with a BOM removed and CRLF turned into LF (offsets of lines
/// stay the same, so positions still match what an editor shows).
fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    // Vietnamese text is mostly multi-byte, where std's check is slow (it
    // was 4% of a build, which reads each file three times).
    let text = match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: these very bytes were just checked to be UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(_) => String::from_utf8(bytes),
    };
    let text = text.map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let line = valid.matches('\n').count() + 1;
        let mut d = Diagnostic::file(rel, Problem::NotUtf8 { offset });
        d.line = line;
        d.column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Box::new(d)
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

fn digest(text: &str) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut out = [0; 16];
    out.copy_from_slice(&Sha256::digest(text.as_bytes())[..16]);
    out
}

/// `content/2023/45-kl-tu.md` → `2023-45-kl-tu`: the folders are part of the
/// slug because the same file name recurs across years (numbers restart
/// every term).
fn default_slug(rel_in_content: &Path) -> Option<Slug> {
    let without_ext = rel_in_content.with_extension("");
    Slug::from_text(&without_ext.to_string_lossy())
}

/// Parses one file's text. Public for the fuzz target and unit tests.
pub fn parse_document(
    file: &SourceFile<'_>,
    default_slug: Option<Slug>,
    today: Date,
) -> (Option<Document>, Vec<Diagnostic>) {
    let text = file.text;
    if text.trim().is_empty() {
        let d = Diagnostic::file(file.path, Problem::EmptyFile);
        return (None, vec![d]);
    }
    let (toml_range, body_start) = match split_front_matter(text) {
        Ok(split) => split,
        Err(d) => return (None, vec![d(file)]),
    };
    let toml = &text[toml_range.clone()];
    let mut f = Fields::parse(file, toml, toml_range.start);
    f.whole = 0..3;
    f.deny_unknown(FIELDS, Table::FrontMatter);
    let mut doc = read_fields(&mut f, &text[body_start..], default_slug);
    if let Some(doc) = &mut doc
        && let Body::Text(markdown) = &doc.body
    {
        let first_line = text[..body_start].matches('\n').count() + 1;
        doc.citations = citation::mentions(markdown, first_line);
    }
    let mut diagnostics = std::mem::take(&mut f.diagnostics);
    if let Some(doc) = &doc {
        diagnostics.extend(warnings(file, &f, doc, today));
    }
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    (doc.filter(|_| ok), diagnostics)
}

type Deferred = Box<dyn FnOnce(&SourceFile<'_>) -> Diagnostic>;

/// The TOML between the `+++` lines, and where the Markdown starts.
fn split_front_matter(text: &str) -> Result<(std::ops::Range<usize>, usize), Deferred> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(Box::new(|f| f.error_at_line(1, Problem::NoFrontMatter)));
    }
    let start = first.len() + 1;
    let mut offset = start;
    for line in text[start.min(text.len())..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err(Box::new(|f| {
        f.error_at_line(1, Problem::UnclosedFrontMatter)
    }))
}

fn read_fields(f: &mut Fields<'_>, markdown: &str, default_slug: Option<Slug>) -> Option<Document> {
    let title = f.required::<String>(
        "title",
        Expected::Text,
        "title = \"Kết luận Hội nghị lần thứ 11 …\"",
    );
    let date = read_date(f);
    let issuer = f.required::<String>(
        "body",
        Expected::Text,
        "body = \"Ban Chấp hành Đảng bộ thị xã …\"",
    );
    let number = f.optional::<String>("number", Expected::TextLike("45-KL/TU"));
    let session = read_session(f);
    let term = f.optional::<String>("term", Expected::TextLike("XXIII"));
    let signer = f.optional::<String>("signer", Expected::Text);
    let signer_title = f.optional::<String>("signer_title", Expected::Text);
    let recipients = f
        .optional::<Vec<String>>("recipients", Expected::Texts)
        .unwrap_or_default();
    let summary = f.optional::<String>("summary", Expected::Text);
    let tags = f
        .optional::<Vec<String>>("tags", Expected::Texts)
        .unwrap_or_default();
    let quarter = read_quarter(f);
    let slug = read_slug(f, default_slug);
    let draft = f.optional::<bool>("draft", Expected::Bool).unwrap_or(false);
    let (title, date, issuer, slug) = (title?, date?, issuer?, slug?);
    let title = clean(&title);
    if title.is_empty() {
        let d = f.file.error(f.span_of("title"), Problem::EmptyTitle);
        f.diagnostics.push(d);
    }
    let body = normalise(markdown);
    Some(Document {
        source: f.file.path.to_path_buf(),
        slug,
        title,
        quarter: quarter.unwrap_or_else(|| date.quarter()),
        date,
        issuer: clean(&issuer),
        number: number
            .map(|n| DocNumber::new(&clean(&n)))
            .filter(|n| !n.as_str().is_empty()),
        session,
        term: term.map(|t| clean(&t)).filter(|t| !t.is_empty()),
        signer: signer.map(|s| clean(&s)).filter(|s| !s.is_empty()),
        signer_title: signer_title.map(|s| clean(&s)).filter(|s| !s.is_empty()),
        recipients: recipients
            .iter()
            .map(|r| clean(r))
            .filter(|r| !r.is_empty())
            .collect(),
        summary: summary.map(|s| clean(&s)).filter(|s| !s.is_empty()),
        tags: tags
            .iter()
            .map(|t| clean(t))
            .filter(|t| !t.is_empty())
            .collect(),
        draft,
        digest: digest(&body),
        body: Body::Text(body),
        citations: Vec::new(),
    })
}

fn read_date(f: &mut Fields<'_>) -> Option<Date> {
    let raw = f.required::<toml::value::Datetime>("date", Expected::Date, "date = 2023-04-26")?;
    let problem = match (raw.date, raw.time) {
        (Some(d), None) => match Date::new(d.year, d.month, d.day) {
            Ok(date) => return Some(date),
            Err(e) => Problem::ImpossibleDate(e),
        },
        _ => Problem::NotADay {
            raw: raw.to_string(),
        },
    };
    let d = f.file.error(f.span_of("date"), problem);
    f.diagnostics.push(d);
    None
}

fn read_session(f: &mut Fields<'_>) -> Option<u32> {
    let n = f.optional::<i64>("session", Expected::WholeNumberLike(11))?;
    match u32::try_from(n) {
        Ok(n) if n > 0 => Some(n),
        _ => {
            let d = f
                .file
                .error(f.span_of("session"), Problem::SessionNotPositive { n });
            f.diagnostics.push(d);
            None
        }
    }
}

fn read_quarter(f: &mut Fields<'_>) -> Option<Quarter> {
    let raw = f.optional::<String>("quarter", Expected::TextLike("2023-Q2"))?;
    raw.parse::<Quarter>()
        .map_err(|e| {
            let d = f.file.error(f.span_of("quarter"), Problem::BadQuarter(e));
            f.diagnostics.push(d);
        })
        .ok()
}

fn read_slug(f: &mut Fields<'_>, default_slug: Option<Slug>) -> Option<Slug> {
    match f.optional::<String>("slug", Expected::TextLike("ket-luan-45")) {
        Some(raw) => Slug::parse(&raw)
            .map_err(|error| {
                let d = f
                    .file
                    .error(f.span_of("slug"), Problem::BadSlug { raw, error });
                f.diagnostics.push(d);
            })
            .ok(),
        None if f.table.contains_key("slug") => None,
        None => default_slug.or_else(|| {
            let d = Diagnostic::file(f.file.path, Problem::NoUsableSlug);
            f.diagnostics.push(d);
            None
        }),
    }
}

fn warnings(file: &SourceFile<'_>, f: &Fields<'_>, doc: &Document, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if matches!(&doc.body, Body::Text(t) if t.trim().is_empty()) {
        let d = file.error_at_line(file.text.lines().count().max(1), Problem::NoText);
        out.push(d.warning());
    }
    if let Some(number) = doc.number.as_ref().filter(|n| !n.looks_valid()) {
        let d = file.error(
            f.span_of("number"),
            Problem::OddNumber {
                number: number.to_string(),
            },
        );
        out.push(d.warning());
    }
    if let Some(toml::de::DeValue::String(raw)) = f.table.get("number").map(|v| v.get_ref()) {
        let lookalikes: String = raw
            .chars()
            .filter(|c| ketluan_search::analysis::latin_lookalike(*c).is_some())
            .collect();
        if !lookalikes.is_empty() {
            let d = file.error(
                f.span_of("number"),
                Problem::LookalikeLetters {
                    raw: raw.to_string(),
                    letters: lookalikes,
                    latin: doc
                        .number
                        .as_ref()
                        .map_or("", DocNumber::as_str)
                        .to_string(),
                },
            );
            out.push(d.warning());
        }
    }
    if doc.date > today {
        let d = file.error(
            f.span_of("date"),
            Problem::FutureDate {
                date: doc.date.to_string(),
            },
        );
        out.push(d.warning());
    }
    out
}

/// Two documents may not share a URL, nor a number within one issuing body
/// and term (numbers restart every term).
fn duplicates(documents: &[Document]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_slug: BTreeMap<&Slug, &Document> = BTreeMap::new();
    let mut by_number: BTreeMap<(Option<Slug>, String, &DocNumber), &Document> = BTreeMap::new();
    let mut sorted: Vec<&Document> = documents.iter().collect();
    sorted.sort_by(|a, b| a.source.cmp(&b.source));
    for doc in sorted {
        if let Some(first) = by_slug.insert(&doc.slug, doc) {
            out.push(Diagnostic::file(
                &doc.source,
                Problem::DuplicateSlug {
                    slug: doc.slug.clone(),
                    other: first.source.clone(),
                },
            ));
        }
        if let Some(number) = &doc.number {
            let term = doc
                .term
                .clone()
                .unwrap_or_else(|| doc.date.year.to_string());
            if let Some(first) = by_number.insert((Slug::from_text(&doc.issuer), term, number), doc)
            {
                out.push(Diagnostic::file(
                    &doc.source,
                    Problem::DuplicateNumber {
                        number: number.to_string(),
                        issuer: doc.issuer.clone(),
                        other: first.source.clone(),
                    },
                ));
            }
        }
    }
    out
}

/// NFC, no zero-width characters, trimmed: text copied from Word or PDF
/// renders, slugs and sorts the same as typed text.
pub(crate) fn clean(text: &str) -> String {
    normalise(text).trim().to_string()
}

fn normalise(text: &str) -> String {
    // The same normalisation the search analyser applies.
    ketluan_search::analysis::nfc(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Lang, Localized};

    fn parse(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        let file = SourceFile {
            path: Path::new("content/a.md"),
            text,
        };
        parse_document(&file, Slug::from_text("a"), Date::new(2026, 1, 1).unwrap())
    }

    const GOOD: &str = "+++\ntitle = \"Kết luận\"\ndate = 2023-04-26\nbody = \"Ban Thường vụ Thị ủy\"\nnumber = \"45-KL/TU\"\n+++\nVăn bản.\n";

    #[test]
    fn text_changed_after_loading_is_refused_not_rendered() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("content/a.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let text = "+++\ntitle = \"A\"\ndate = 2023-01-02\nbody = \"Thị ủy\"\n+++\nNgân sách.\n";
        std::fs::write(&file, text).unwrap();
        let loaded = load(root.path(), false, Date::new(2030, 1, 1).unwrap());
        let doc = &loaded.documents[0];
        assert_eq!(doc.markdown().unwrap().trim(), "Ngân sách.");
        // Same length, other words: offsets still fit, the digest does not.
        std::fs::write(&file, text.replace("Ngân sách.", "Ngân hàng.")).unwrap();
        let err = doc.markdown().unwrap_err().text(Lang::En);
        assert!(err.contains("changed during the build"), "{err}");
    }

    #[test]
    fn a_minimal_document_loads() {
        let (doc, diags) = parse(GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.quarter.to_string(), "2023-Q2");
        assert_eq!(doc.markdown().unwrap(), "Văn bản.\n");
        assert_eq!(doc.number.unwrap().as_str(), "45-KL/TU");
    }

    #[test]
    fn problems_point_at_their_line() {
        let (doc, diags) = parse(
            "+++\ntitle = \"K\"\ndate = 2023-02-30\nbody = \"B\"\nsession = \"mười một\"\nnuber = \"1\"\n+++\n",
        );
        assert!(doc.is_none());
        let at: Vec<_> = diags
            .iter()
            .map(|d| (d.line, d.problem.text(Lang::En)))
            .collect();
        assert!(
            at.iter()
                .any(|(l, m)| *l == 3 && (m.contains("impossible date") || m.contains("TOML"))),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(l, m)| *l == 5 && m.contains("`session` must be a whole number")),
            "{at:?}"
        );
        assert!(
            at.iter().any(|(l, m)| *l == 6 && m.contains("`nuber`")),
            "{at:?}"
        );
    }

    #[test]
    fn numbers_have_a_recognisable_shape() {
        for good in [
            "45-KL/TU",
            "123/QĐ-UBND",
            "10-NQ/TU",
            "56-KH/TU",
            "01/2023/NĐ-CP",
        ] {
            assert!(DocNumber::new(good).looks_valid(), "{good}");
        }
        for bad in ["KL45", "45", "số 45", "45-kl/tu", "-KL/TU"] {
            assert!(!DocNumber::new(bad).looks_valid(), "{bad}");
        }
    }

    #[test]
    fn zero_width_and_nfd_text_is_cleaned() {
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Thị ủy").collect();
        assert_eq!(clean(&format!("\u{200b}{nfd} ")), "Thị ủy");
    }
}
