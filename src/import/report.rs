//! What `import` tells the user about each file. Every sentence it prints
//! is a [`Message`] variant, so that a translation is one `Display` away.

use std::fmt;
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

    /// The term a Party office uses for it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "tiêu đề",
            Field::Number => "số ký hiệu",
            Field::Date => "ngày ban hành",
            Field::Body => "cơ quan ban hành",
            Field::Session => "hội nghị lần thứ",
            Field::Term => "khóa",
            Field::Signer => "người ký",
            Field::SignerTitle => "chức vụ người ký",
            Field::Recipients => "nơi nhận",
            Field::Summary => "trích yếu",
        }
    }
}

/// Every message of the import report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Message {
    // Refusals: the file is not imported.
    #[error("văn bản có dấu \"{marking}\": không được công bố, không nhập")]
    Marked { marking: String },
    #[error("không đọc được tệp: {reason}")]
    Unreadable { reason: String },
    #[error("tệp lớn hơn {limit_mb} MB, không phải một văn bản")]
    TooLarge { limit_mb: u64 },
    #[error("không nhận định dạng .{extension}; nhập được .docx, .doc, .pdf, .md, .txt")]
    UnknownFormat { extension: String },
    #[error("tệp .docx bị cắt cụt hoặc hỏng (không đọc được mục lục zip): {reason}")]
    BrokenZip { reason: String },
    #[error("tệp .docx có mục \"{entry}\" trỏ ra ngoài tệp nén: bị từ chối")]
    UnsafeEntry { entry: String },
    #[error("tệp .docx có {count} mục, quá giới hạn {limit}: bị từ chối")]
    TooManyEntries { count: usize, limit: usize },
    #[error(
        "mục \"{entry}\" của tệp .docx giải nén quá lớn (hơn {limit_mb} MB hoặc tỷ lệ nén bất thường): có thể là bom zip, bị từ chối"
    )]
    ZipBomb { entry: String, limit_mb: u64 },
    #[error("tệp .docx thiếu phần \"{part}\": không phải văn bản Word")]
    MissingPart { part: String },
    #[error("\"{part}\" trong tệp .docx khai báo DTD/thực thể XML: bị từ chối vì an toàn")]
    XmlEntity { part: String },
    #[error("\"{part}\" trong tệp .docx không phải XML hợp lệ: {reason}")]
    BadXml { part: String, reason: String },
    #[error(
        "tệp .doc (Word 97–2003) cần LibreOffice để chuyển đổi: cài gói libreoffice-writer-nogui (Debian/Ubuntu), hoặc mở tệp bằng Word và lưu thành .docx"
    )]
    NeedsLibreOffice,
    #[error("tệp .pdf cần pdftotext để đọc: cài gói poppler-utils (Debian/Ubuntu)")]
    NeedsPoppler,
    #[error(
        "tệp .pdf không có lớp chữ (bản quét): cần nhận dạng chữ (OCR) trước khi nhập, ví dụ `ocrmypdf -l vie`; hoặc đính kèm bản quét bên cạnh tệp .md (xem README)"
    )]
    NeedsOcr,
    #[error("{tool} không chuyển đổi được tệp: {reason}")]
    ConversionFailed { tool: String, reason: String },
    #[error(
        "không tìm thấy {} ở phần đầu văn bản (bố cục theo Hướng dẫn 36-HD: loại văn bản như KẾT LUẬN, ngày tháng, cơ quan ban hành): không nhập; tạo tệp bằng `ketluan new` và dán nội dung vào",
        .field.label()
    )]
    MissingRequired { field: Field },
    #[error("tệp tạo ra không hợp lệ: {reason}")]
    Invalid { reason: String },
    #[error("không ghi được {path}: {reason}")]
    WriteFailed { path: String, reason: String },

    // Notes: what was found, guessed or repaired.
    #[error("nối hai đoạn bị ngắt trang: \"…{before}\" + \"{after}…\"")]
    JoinedParagraphs { before: String, after: String },
    #[error("bỏ ngắt dòng giữa câu: \"…{before}\" + \"{after}…\"")]
    JoinedLines { before: String, after: String },
    #[error("chuyển {count} đoạn chữ phông {encoding} ({font}) sang Unicode")]
    LegacyFont {
        encoding: &'static str,
        font: String,
        count: usize,
    },
    #[error("ngày lấy từ câu mở đầu, phần đầu văn bản không ghi ngày")]
    DateFromOpening,
    #[error("tên địa phương \"{place}\" lấy từ nội dung văn bản, phần đầu không ghi")]
    PlaceFromText { place: String },
    #[error("\"{number}\" không có dạng số ký hiệu (45-KL/TU)")]
    OddNumber { number: String },
    #[error("chữ ký chỉ có một từ; kiểm tra họ tên người ký")]
    ShortSigner,
    #[error("văn bản có dấu DỰ THẢO: nhập với draft = true")]
    Draft,
    #[error("tiêu đề do ketluan ghép từ loại văn bản, hội nghị, cơ quan ban hành và khóa")]
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

impl fmt::Display for FileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.status {
            Status::Imported {
                markdown,
                original,
                dry_run,
            } => {
                let verb = if *dry_run {
                    "sẽ nhập"
                } else {
                    "đã nhập"
                };
                write!(
                    f,
                    "{}: {verb} → {}",
                    self.path.display(),
                    markdown.display()
                )?;
                if let Some(o) = original {
                    write!(f, " (bản gốc {})", o.display())?;
                }
                writeln!(f)?;
            }
            Status::Duplicate {
                existing,
                by_number,
            } => writeln!(
                f,
                "{}: đã có trong lưu trữ ({}, {}); không ghi đè",
                self.path.display(),
                existing.display(),
                if *by_number {
                    "cùng số ký hiệu, cơ quan ban hành và khóa"
                } else {
                    "cùng cơ quan ban hành, ngày và tiêu đề"
                }
            )?,
            Status::Refused(m) => {
                return writeln!(f, "lỗi (error): {}: {m}", self.path.display());
            }
        }
        let findings = &self.findings;
        for (field, value) in &findings.found {
            writeln!(f, "  {:<18} {value}", field.label())?;
        }
        for (field, why) in &findings.unsure {
            writeln!(f, "  chưa chắc: {}: {why}", field.label())?;
        }
        if !findings.missing.is_empty() {
            let names: Vec<_> = findings.missing.iter().map(|f| f.label()).collect();
            writeln!(f, "  văn bản không ghi: {}", names.join(", "))?;
        }
        for note in &findings.notes {
            writeln!(f, "  {note}")?;
        }
        Ok(())
    }
}
