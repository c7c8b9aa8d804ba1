//! What `import` tells the user about each file. Every sentence it prints
//! is a [`Message`] variant; the texts are in `messages/import.rs`.

use std::path::PathBuf;

use serde::Serialize;

use super::layout::Fields;

/// A front-matter field the import fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Number,
    Date,
    Body,
    Session,
    Term,
    Signer,
    SignerTitle,
    Recipients,
    Summary,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Title,
        Field::Number,
        Field::Date,
        Field::Body,
        Field::Session,
        Field::Term,
        Field::Signer,
        Field::SignerTitle,
        Field::Recipients,
        Field::Summary,
    ];

    /// The front-matter key.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Number => "number",
            Field::Date => "date",
            Field::Body => "body",
            Field::Session => "session",
            Field::Term => "term",
            Field::Signer => "signer",
            Field::SignerTitle => "signer_title",
            Field::Recipients => "recipients",
            Field::Summary => "summary",
        }
    }
}

/// Every message of the import report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum Message {
    // Refusals: the file is not imported.
    Marked {
        marking: String,
    },
    Unreadable {
        cause: crate::messages::IoCause,
    },
    TooLarge {
        limit_mb: u64,
    },
    UnknownFormat {
        extension: String,
    },
    BrokenZip {
        reason: String,
    },
    UnsafeEntry {
        entry: String,
    },
    TooManyEntries {
        count: usize,
        limit: usize,
    },
    ZipBomb {
        entry: String,
        limit_mb: u64,
    },
    MissingPart {
        part: String,
    },
    XmlEntity {
        part: String,
    },
    BadXml {
        part: String,
        reason: String,
    },
    NeedsLibreOffice,
    NeedsPoppler,
    NeedsOcr,
    ConversionFailed {
        tool: String,
        reason: String,
    },
    MissingRequired {
        field: Field,
    },
    /// What the build would refuse in the file written; `None` when the
    /// file could not be read back at all.
    Invalid {
        problem: Option<crate::diagnostic::Problem>,
    },
    WriteFailed {
        path: String,
        cause: crate::messages::IoCause,
    },

    // Notes: what was found, guessed or repaired.
    JoinedParagraphs {
        before: String,
        after: String,
    },
    JoinedLines {
        before: String,
        after: String,
    },
    LegacyFont {
        encoding: &'static str,
        font: String,
        count: usize,
    },
    DateFromOpening,
    PlaceFromText {
        place: String,
    },
    OddNumber {
        number: String,
    },
    ShortSigner,
    Draft,
    TitleBuilt,
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Written (or, with `--dry-run`, would be written) to `markdown`, with
    /// the original beside it.
    Imported {
        markdown: PathBuf,
        original: Option<PathBuf>,
        dry_run: bool,
    },
    /// The archive has this document already: the same number of the same
    /// body and term (`by_number`), or, one of them without a number, the
    /// same body, date and title.
    Duplicate {
        existing: PathBuf,
        by_number: bool,
    },
    Refused(Message),
}

/// What was read from one file, whatever became of it.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    /// Fields read from the document, as written to the front matter.
    pub found: Vec<(Field, String)>,
    /// Fields read, but from a place less certain than the header, or in a
    /// shape that needs a look.
    pub unsure: Vec<(Field, Message)>,
    /// Fields the document does not state.
    pub missing: Vec<Field>,
    pub notes: Vec<Message>,
}

impl Findings {
    pub(crate) fn describe(&mut self, fields: &Fields) {
        for field in Field::ALL {
            match fields.shown(field) {
                Some(value) => self.found.push((field, value)),
                None => self.missing.push(field),
            }
        }
        self.unsure.extend(fields.unsure.iter().cloned());
    }
}

/// The report on one input file.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub status: Status,
    pub findings: Findings,
}

impl FileReport {
    pub fn is_refused(&self) -> bool {
        matches!(self.status, Status::Refused(_))
    }

    /// The report as data (`--json`).
    pub fn to_json(&self) -> serde_json::Value {
        let f = &self.findings;
        let (status, detail) = match &self.status {
            Status::Imported {
                markdown,
                original,
                dry_run,
            } => (
                if *dry_run { "would_import" } else { "imported" },
                serde_json::json!({
                    "markdown": markdown.display().to_string(),
                    "original": original.as_ref().map(|p| p.display().to_string()),
                }),
            ),
            Status::Duplicate { existing, .. } => (
                "duplicate",
                serde_json::json!({ "existing": existing.display().to_string() }),
            ),
            Status::Refused(m) => ("refused", serde_json::json!({ "reason": m.to_string() })),
        };
        serde_json::json!({
            "file": self.path.display().to_string(),
            "status": status,
            "detail": detail,
            "found": f.found.iter().map(|(f, v)| (f.key().to_string(), serde_json::Value::from(v.clone()))).collect::<serde_json::Map<_, _>>(),
            "unsure": f.unsure.iter().map(|(f, m)| serde_json::json!({"field": f.key(), "reason": m.to_string()})).collect::<Vec<_>>(),
            "missing": f.missing.iter().map(|f| f.key()).collect::<Vec<_>>(),
            "notes": f.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })
    }
}
