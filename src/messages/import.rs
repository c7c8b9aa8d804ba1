//! `ketluan import`'s report: the field names, every message, and the
//! layout of one file's report.

use std::fmt;

use super::errors::Detail;
use super::{Lang, Localized, display_in_current_language};
use crate::import::{Field, FileReport, Message, Status};
use Lang::{En, Vi};

impl Localized for Field {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (vi, en) = match self {
            Field::Title => ("tiêu đề", "title"),
            Field::Number => ("số ký hiệu", "number"),
            Field::Date => ("ngày ban hành", "date"),
            Field::Body => ("cơ quan ban hành", "issuing body"),
            Field::Session => ("hội nghị lần thứ", "session"),
            Field::Term => ("khóa", "term"),
            Field::Signer => ("người ký", "signer"),
            Field::SignerTitle => ("chức vụ người ký", "signer's title"),
            Field::Recipients => ("nơi nhận", "recipients"),
            Field::Summary => ("trích yếu", "summary"),
        };
        f.write_str(match lang {
            Vi => vi,
            En => en,
        })
    }
}

impl Localized for Message {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Message as M;
        match self {
            M::Marked { marking } => match lang {
                Vi => write!(f, "văn bản có dấu \"{marking}\": không được công bố, không nhập"),
                En => write!(
                    f,
                    "the document is marked \"{marking}\": not for publication, not imported"
                ),
            },
            M::Unreadable { cause } => match lang {
                Vi => write!(f, "không đọc được tệp: {}", cause.text(lang)),
                En => write!(f, "cannot read the file: {}", cause.text(lang)),
            },
            M::TooLarge { limit_mb } => match lang {
                Vi => write!(f, "tệp lớn hơn {limit_mb} MB, không phải một văn bản"),
                En => write!(f, "the file is larger than {limit_mb} MB: not a document"),
            },
            M::UnknownFormat { extension } => match lang {
                Vi => write!(
                    f,
                    "không nhận định dạng .{extension}; nhập được .docx, .doc, .pdf, .md, .txt"
                ),
                En => write!(
                    f,
                    "the format .{extension} is not read; import reads .docx, .doc, .pdf, .md, .txt"
                ),
            },
            M::BrokenZip { reason } => match lang {
                Vi => write!(
                    f,
                    "tệp .docx bị cắt cụt hoặc hỏng (không đọc được mục lục zip): {}",
                    Detail(reason).text(lang)
                ),
                En => write!(
                    f,
                    "the .docx is truncated or damaged (its zip directory cannot be read): {reason}"
                ),
            },
            M::UnsafeEntry { entry } => match lang {
                Vi => write!(f, "tệp .docx có mục \"{entry}\" trỏ ra ngoài tệp nén: bị từ chối"),
                En => write!(
                    f,
                    "the .docx has an entry \"{entry}\" pointing outside the archive: refused"
                ),
            },
            M::TooManyEntries { count, limit } => match lang {
                Vi => write!(f, "tệp .docx có {count} mục, quá giới hạn {limit}: bị từ chối"),
                En => write!(
                    f,
                    "the .docx has {count} entries, over the limit of {limit}: refused"
                ),
            },
            M::ZipBomb { entry, limit_mb } => match lang {
                Vi => write!(
                    f,
                    "mục \"{entry}\" của tệp .docx giải nén quá lớn (hơn {limit_mb} MB hoặc tỷ lệ nén bất thường): có thể là bom zip, bị từ chối"
                ),
                En => write!(
                    f,
                    "the entry \"{entry}\" of the .docx unpacks too large (over {limit_mb} MB or an abnormal compression ratio): possibly a zip bomb, refused"
                ),
            },
            M::MissingPart { part } => match lang {
                Vi => write!(f, "tệp .docx thiếu phần \"{part}\": không phải văn bản Word"),
                En => write!(f, "the .docx lacks the part \"{part}\": not a Word document"),
            },
            M::XmlEntity { part } => match lang {
                Vi => write!(
                    f,
                    "\"{part}\" trong tệp .docx khai báo DTD/thực thể XML: bị từ chối vì an toàn"
                ),
                En => write!(
                    f,
                    "\"{part}\" in the .docx declares a DTD or XML entities: refused for safety"
                ),
            },
            M::BadXml { part, reason } => match lang {
                Vi => write!(
                    f,
                    "\"{part}\" trong tệp .docx không phải XML hợp lệ: {}",
                    Detail(reason).text(lang)
                ),
                En => write!(f, "\"{part}\" in the .docx is not valid XML: {reason}"),
            },
            M::NeedsLibreOffice => match lang {
                Vi => f.write_str(
                    "tệp .doc (Word 97–2003) cần LibreOffice để chuyển đổi: cài gói libreoffice-writer-nogui (Debian/Ubuntu), hoặc mở tệp bằng Word và lưu thành .docx",
                ),
                En => f.write_str(
                    "a .doc (Word 97–2003) needs LibreOffice to convert it: install the package libreoffice-writer-nogui (Debian/Ubuntu), or open it in Word and save it as .docx",
                ),
            },
            M::NeedsPoppler => match lang {
                Vi => f.write_str("tệp .pdf cần pdftotext để đọc: cài gói poppler-utils (Debian/Ubuntu)"),
                En => f.write_str(
                    "a .pdf needs pdftotext to be read: install the package poppler-utils (Debian/Ubuntu)",
                ),
            },
            M::NeedsOcr => match lang {
                Vi => f.write_str(
                    "tệp .pdf không có lớp chữ (bản quét): cần nhận dạng chữ (OCR) trước khi nhập, ví dụ `ocrmypdf -l vie`; hoặc đính kèm bản quét bên cạnh tệp .md (xem README)",
                ),
                En => f.write_str(
                    "the .pdf has no text layer (a scan): run it through OCR before importing, e.g. `ocrmypdf -l vie`; or put the scan beside a .md file (see README)",
                ),
            },
            M::ConversionFailed { tool, reason } => match lang {
                Vi => write!(
                    f,
                    "{tool} không chuyển đổi được tệp: {}",
                    Detail(reason).text(lang)
                ),
                En => write!(f, "{tool} could not convert the file: {reason}"),
            },
            M::MissingRequired { field } => match lang {
                Vi => write!(
                    f,
                    "không tìm thấy {} ở phần đầu văn bản (bố cục theo Hướng dẫn 36-HD: loại văn bản như KẾT LUẬN, ngày tháng, cơ quan ban hành): không nhập; tạo tệp bằng `ketluan new` và dán nội dung vào",
                    field.text(lang)
                ),
                En => write!(
                    f,
                    "no {} found in the document's header (the 36-HD layout: a kind such as \"KẾT LUẬN\", the date, the issuing body): not imported; create the file with `ketluan new` and paste the text into it",
                    field.text(lang)
                ),
            },
            M::Invalid { problem } => match (problem, lang) {
                (Some(p), Vi) => write!(f, "tệp tạo ra không hợp lệ: {}", p.text(lang)),
                (Some(p), En) => write!(f, "the file made is not valid: {}", p.text(lang)),
                (None, Vi) => f.write_str("tệp tạo ra không hợp lệ: không đọc lại được"),
                (None, En) => f.write_str("the file made is not valid: it cannot be read back"),
            },
            M::WriteFailed { path, cause } => match lang {
                Vi => write!(f, "không ghi được {path}: {}", cause.text(lang)),
                En => write!(f, "cannot write {path}: {}", cause.text(lang)),
            },
            M::JoinedParagraphs { before, after } => match lang {
                Vi => write!(f, "nối hai đoạn bị ngắt trang: \"…{before}\" + \"{after}…\""),
                En => write!(
                    f,
                    "joined a paragraph cut by a page break: \"…{before}\" + \"{after}…\""
                ),
            },
            M::JoinedLines { before, after } => match lang {
                Vi => write!(f, "bỏ ngắt dòng giữa câu: \"…{before}\" + \"{after}…\""),
                En => write!(
                    f,
                    "removed a line break inside a sentence: \"…{before}\" + \"{after}…\""
                ),
            },
            M::LegacyFont {
                encoding,
                font,
                count,
            } => match lang {
                Vi => write!(
                    f,
                    "chuyển {count} đoạn chữ phông {encoding} ({font}) sang Unicode"
                ),
                En => write!(
                    f,
                    "converted {count} run(s) of {encoding} text ({font}) to Unicode"
                ),
            },
            M::DateFromOpening => match lang {
                Vi => f.write_str("ngày lấy từ câu mở đầu, phần đầu văn bản không ghi ngày"),
                En => f.write_str(
                    "the date is taken from the opening sentence; the header states none",
                ),
            },
            M::PlaceFromText { place } => match lang {
                Vi => write!(
                    f,
                    "tên địa phương \"{place}\" lấy từ nội dung văn bản, phần đầu không ghi"
                ),
                En => write!(
                    f,
                    "the place \"{place}\" is taken from the text; the header states none"
                ),
            },
            M::OddNumber { number } => match lang {
                Vi => write!(f, "\"{number}\" không có dạng số ký hiệu (45-KL/TU)"),
                En => write!(
                    f,
                    "\"{number}\" does not look like a document number (45-KL/TU)"
                ),
            },
            M::ShortSigner => match lang {
                Vi => f.write_str("chữ ký chỉ có một từ; kiểm tra họ tên người ký"),
                En => f.write_str("the signature is a single word; check the signer's full name"),
            },
            M::Draft => match lang {
                Vi => f.write_str("văn bản có dấu DỰ THẢO: nhập với draft = true"),
                En => f.write_str("the document is marked as a draft: imported with draft = true"),
            },
            M::TitleBuilt => match lang {
                Vi => f.write_str(
                    "tiêu đề do ketluan ghép từ loại văn bản, hội nghị, cơ quan ban hành và khóa",
                ),
                En => f.write_str(
                    "the title is made by ketluan from the kind, session, issuing body and term",
                ),
            },
        }
    }
}

impl Localized for FileReport {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.status {
            Status::Imported {
                markdown,
                original,
                dry_run,
            } => {
                let verb = match (dry_run, lang) {
                    (true, Vi) => "sẽ nhập",
                    (false, Vi) => "đã nhập",
                    (true, En) => "would import",
                    (false, En) => "imported",
                };
                write!(f, "{path}: {verb} → {}", markdown.display())?;
                if let Some(o) = original {
                    match lang {
                        Vi => write!(f, " (bản gốc {})", o.display())?,
                        En => write!(f, " (original {})", o.display())?,
                    }
                }
                writeln!(f)?;
            }
            Status::Duplicate {
                existing,
                by_number,
            } => {
                let same = match (by_number, lang) {
                    (true, Vi) => "cùng số ký hiệu, cơ quan ban hành và khóa",
                    (false, Vi) => "cùng cơ quan ban hành, ngày và tiêu đề",
                    (true, En) => "the same number, issuing body and term",
                    (false, En) => "the same issuing body, date and title",
                };
                match lang {
                    Vi => writeln!(
                        f,
                        "{path}: đã có trong lưu trữ ({}, {same}); không ghi đè",
                        existing.display()
                    )?,
                    En => writeln!(
                        f,
                        "{path}: already in the archive ({}, {same}); not overwritten",
                        existing.display()
                    )?,
                }
            }
            Status::Refused(m) => {
                return match lang {
                    Vi => writeln!(f, "lỗi: {path}: {}", m.text(lang)),
                    En => writeln!(f, "error: {path}: {}", m.text(lang)),
                };
            }
        }
        let findings = &self.findings;
        for (field, value) in &findings.found {
            writeln!(f, "  {:<18} {value}", field.text(lang))?;
        }
        for (field, why) in &findings.unsure {
            match lang {
                Vi => writeln!(f, "  chưa chắc: {}: {}", field.text(lang), why.text(lang))?,
                En => writeln!(f, "  unsure: {}: {}", field.text(lang), why.text(lang))?,
            }
        }
        if !findings.missing.is_empty() {
            let names: Vec<_> = findings.missing.iter().map(|m| m.text(lang)).collect();
            match lang {
                Vi => writeln!(f, "  văn bản không ghi: {}", names.join(", "))?,
                En => writeln!(f, "  the document does not state: {}", names.join(", "))?,
            }
        }
        for note in &findings.notes {
            writeln!(f, "  {}", note.text(lang))?;
        }
        Ok(())
    }
}

/// The last line of `ketluan import` when some files were refused.
pub struct Refused(pub usize);

impl Localized for Refused {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        match lang {
            Vi => write!(f, "ketluan: {n} tệp không nhập được"),
            En => write!(f, "ketluan: {n} file(s) refused"),
        }
    }
}

display_in_current_language!(Field, Message, FileReport, Refused);
