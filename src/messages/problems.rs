//! What can be wrong in the site's own files: the kind of every
//! [`Diagnostic`](crate::diagnostic::Diagnostic), with its message and its
//! hint in both languages.

use std::fmt;
use std::path::PathBuf;

use super::{IoCause, Lang, Localized};
use crate::calendar::{DateError, QuarterError};
use crate::config::BaseUrlError;
use crate::slug::{Slug, SlugError};
use Lang::{En, Vi};

/// Which TOML table a field is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// The `+++` block at the top of a document.
    FrontMatter,
    SiteToml,
}

/// What a field's value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Text,
    /// Text, shaped like the example (`"45-KL/TU"`).
    TextLike(&'static str),
    Texts,
    Bool,
    WholeNumber,
    /// A whole number, the example written without quotes.
    WholeNumberLike(u32),
    /// A TOML date without quotes.
    Date,
}

/// What a field's value is, when it is not what it must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Text(String),
    Number(String),
    Bool(bool),
    DateTime(String),
    List,
    Table,
}

/// What kind of template error minijinja found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateFault {
    Syntax,
    Undefined,
    Other,
}

/// Every problem reported in the site's files.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum Problem {
    /// TOML the parser cannot read; `detail` is its (English) reason.
    TomlSyntax {
        detail: String,
    },
    /// A date that does not exist (`2023-02-30`).
    ImpossibleDate(DateError),
    /// A date or time TOML cannot read (`2023-4-1`).
    BadDateTime {
        token: String,
    },
    /// A date with a time of day.
    NotADay {
        raw: String,
    },
    UnknownField {
        name: String,
        table: Table,
        suggestion: Option<&'static str>,
        known: &'static [&'static str],
    },
    WrongType {
        key: String,
        expected: Expected,
        found: Found,
    },
    MissingField {
        key: String,
        example: &'static str,
    },
    NoContentFolder,
    NotADocument,
    CannotRead {
        cause: IoCause,
    },
    NotUtf8 {
        offset: usize,
    },
    EmptyFile,
    NoFrontMatter,
    UnclosedFrontMatter,
    EmptyTitle,
    SessionNotPositive {
        n: i64,
    },
    BadQuarter(QuarterError),
    BadSlug {
        raw: String,
        error: SlugError,
    },
    NoUsableSlug,
    NoText,
    OddNumber {
        number: String,
    },
    LookalikeLetters {
        raw: String,
        letters: String,
        latin: String,
    },
    FutureDate {
        date: String,
    },
    DuplicateSlug {
        slug: Slug,
        other: PathBuf,
    },
    DuplicateNumber {
        number: String,
        issuer: String,
        other: PathBuf,
    },
    CannotReadConfig {
        cause: IoCause,
    },
    BadBaseUrl(BaseUrlError),
    OutputIsSite,
    NotPositive {
        key: String,
        n: i64,
    },
    LinkOutside {
        target: PathBuf,
    },
    BrokenLink,
    LinkLoop,
    Template {
        name: String,
        fault: TemplateFault,
        detail: String,
    },
}

/// The office's word for a front-matter field, shown beside its key.
pub(crate) fn field_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "title" => "tiêu đề",
        "number" => "số ký hiệu",
        "date" => "ngày ban hành",
        "body" => "cơ quan ban hành",
        "session" => "hội nghị lần thứ",
        "term" => "khóa",
        "signer" => "người ký",
        "signer_title" => "chức vụ người ký",
        "recipients" => "nơi nhận",
        "summary" => "trích yếu",
        "tags" => "chủ đề",
        "quarter" => "quý",
        "slug" => "đường dẫn",
        "draft" => "bản nháp",
        _ => return None,
    })
}

/// `` `number` (số ký hiệu) `` in Vietnamese, `` `number` `` in English.
struct Key<'a>(&'a str);

impl Localized for Key<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (lang, field_label(self.0)) {
            (Vi, Some(label)) => write!(f, "`{}` ({label})", self.0),
            _ => write!(f, "`{}`", self.0),
        }
    }
}

impl Localized for Table {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self, lang) {
            (Table::FrontMatter, Vi) => "phần khai báo đầu tệp",
            (Table::FrontMatter, En) => "front matter",
            (Table::SiteToml, _) => "site.toml",
        })
    }
}

impl Localized for Expected {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, lang) {
            (Expected::Text, Vi) => f.write_str("chữ trong ngoặc kép"),
            (Expected::Text, En) => f.write_str("text"),
            (Expected::TextLike(example), Vi) => write!(f, "chữ như \"{example}\""),
            (Expected::TextLike(example), En) => write!(f, "text such as \"{example}\""),
            (Expected::Texts, Vi) => f.write_str("một danh sách chữ [\"…\", \"…\"]"),
            (Expected::Texts, En) => f.write_str("a list of texts [\"…\", \"…\"]"),
            (Expected::Bool, Vi) => f.write_str("`true` hoặc `false`"),
            (Expected::Bool, En) => f.write_str("true or false"),
            (Expected::WholeNumber, Vi) => f.write_str("một số nguyên"),
            (Expected::WholeNumber, En) => f.write_str("a whole number"),
            (Expected::WholeNumberLike(n), Vi) => {
                write!(f, "một số nguyên như {n} (không có ngoặc kép)")
            }
            (Expected::WholeNumberLike(n), En) => {
                write!(f, "a whole number such as {n} (no quotes)")
            }
            (Expected::Date, Vi) => f.write_str("một ngày như 2023-04-26 (không có ngoặc kép)"),
            (Expected::Date, En) => f.write_str("a date such as 2023-04-26 (no quotes)"),
        }
    }
}

impl Localized for Found {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, lang) {
            (Found::Text(s), Vi) => write!(f, "chữ \"{s}\""),
            (Found::Text(s), En) => write!(f, "the text \"{s}\""),
            (Found::Number(n), Vi) => write!(f, "số {n}"),
            (Found::Number(n), En) => write!(f, "the number {n}"),
            (Found::Bool(b), _) => write!(f, "`{b}`"),
            (Found::DateTime(d), Vi) => write!(f, "ngày giờ {d}"),
            (Found::DateTime(d), En) => write!(f, "the date/time {d}"),
            (Found::List, Vi) => f.write_str("một danh sách"),
            (Found::List, En) => f.write_str("a list"),
            (Found::Table, Vi) => f.write_str("một bảng"),
            (Found::Table, En) => f.write_str("a table"),
        }
    }
}

impl Localized for Problem {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self {
            P::TomlSyntax { detail } => match lang {
                Vi => f.write_str("sai cú pháp TOML ở chỗ này"),
                En => write!(f, "TOML syntax error: {detail}"),
            },
            P::ImpossibleDate(e) => match lang {
                Vi => write!(f, "ngày không có thật: {}", e.text(lang)),
                En => write!(f, "impossible date: {}", e.text(lang)),
            },
            P::BadDateTime { token } => match lang {
                Vi => write!(f, "ngày `{token}` viết sai dạng"),
                En => write!(f, "impossible date: `{token}` is not a date"),
            },
            P::NotADay { raw } => match lang {
                Vi => write!(
                    f,
                    "{} phải là một ngày như 2023-04-26, không phải `{raw}`",
                    Key("date").text(lang)
                ),
                En => write!(f, "`date` must be a day such as 2023-04-26, not {raw}"),
            },
            P::UnknownField { name, table, .. } => match lang {
                Vi => write!(f, "trường `{name}` không có trong {}", table.text(lang)),
                En => write!(f, "unknown field `{name}` in {}", table.text(lang)),
            },
            P::WrongType {
                key,
                expected,
                found,
            } => match lang {
                Vi => write!(
                    f,
                    "{} phải là {}, không phải {}",
                    Key(key).text(lang),
                    expected.text(lang),
                    found.text(lang)
                ),
                En => write!(
                    f,
                    "`{key}` must be {}, not {}",
                    expected.text(lang),
                    found.text(lang)
                ),
            },
            P::MissingField { key, .. } => match lang {
                Vi => write!(f, "thiếu trường bắt buộc {}", Key(key).text(lang)),
                En => write!(f, "missing required field `{key}`"),
            },
            P::NoContentFolder => match lang {
                Vi => f.write_str("không có thư mục content/"),
                En => f.write_str("there is no content/ folder"),
            },
            P::NotADocument => match lang {
                Vi => f.write_str("tệp này không phải văn bản (.md) nên không được đăng"),
                En => f.write_str("this file is not a document (.md) and is not published"),
            },
            P::CannotRead { cause } => match lang {
                Vi => write!(f, "không đọc được: {}", cause.text(lang)),
                En => write!(f, "cannot read: {}", cause.text(lang)),
            },
            P::NotUtf8 { offset } => match lang {
                Vi => write!(f, "tệp không phải chữ UTF-8 (byte hỏng ở vị trí {offset})"),
                En => write!(
                    f,
                    "the file is not valid UTF-8 text (bad byte at offset {offset})"
                ),
            },
            P::EmptyFile => match lang {
                Vi => f.write_str("tệp trống"),
                En => f.write_str("the file is empty"),
            },
            P::NoFrontMatter => match lang {
                Vi => f.write_str("tệp không mở đầu bằng phần khai báo (dòng +++)"),
                En => f.write_str("the file does not start with front matter"),
            },
            P::UnclosedFrontMatter => match lang {
                Vi => f.write_str("phần khai báo mở ở đây nhưng không có dòng +++ đóng lại"),
                En => f.write_str("the front matter opened here is never closed"),
            },
            P::EmptyTitle => match lang {
                Vi => write!(f, "{} để trống", Key("title").text(lang)),
                En => f.write_str("`title` is empty"),
            },
            P::SessionNotPositive { n } => match lang {
                Vi => write!(
                    f,
                    "{} phải từ 1 trở lên, không phải {n}",
                    Key("session").text(lang)
                ),
                En => write!(f, "`session` must be 1 or more, not {n}"),
            },
            P::BadQuarter(e) => e.write(lang, f),
            P::BadSlug { raw, error } => match lang {
                Vi => write!(
                    f,
                    "đường dẫn \"{raw}\" không dùng được: {}",
                    error.text(lang)
                ),
                En => write!(f, "bad slug \"{raw}\": {}", error.text(lang)),
            },
            P::NoUsableSlug => match lang {
                Vi => f.write_str("tên tệp không cho ra được đường dẫn trang"),
                En => f.write_str("the file name gives no usable URL"),
            },
            P::NoText => match lang {
                Vi => f.write_str("văn bản không có nội dung sau phần khai báo"),
                En => f.write_str("the conclusion has no text after the front matter"),
            },
            P::OddNumber { number } => match lang {
                Vi => write!(f, "\"{number}\" không có dạng số ký hiệu"),
                En => write!(f, "\"{number}\" does not look like a document number"),
            },
            P::LookalikeLetters { raw, letters, .. } => match lang {
                Vi => write!(
                    f,
                    "{} \"{raw}\" có chữ trông như chữ Latinh nhưng không phải: \"{letters}\"",
                    Key("number").text(lang)
                ),
                En => write!(
                    f,
                    "`number` \"{raw}\" has letters that only look Latin: \"{letters}\""
                ),
            },
            P::FutureDate { date } => match lang {
                Vi => write!(f, "ngày {date} là một ngày trong tương lai"),
                En => write!(f, "the date {date} is in the future"),
            },
            P::DuplicateSlug { slug, .. } => match lang {
                Vi => write!(f, "hai văn bản cùng đường dẫn `{slug}`"),
                En => write!(f, "two documents have the URL slug `{slug}`"),
            },
            P::DuplicateNumber { number, issuer, .. } => match lang {
                Vi => write!(f, "số ký hiệu {number} được \"{issuer}\" dùng hai lần"),
                En => write!(f, "the number {number} is used twice by \"{issuer}\""),
            },
            P::CannotReadConfig { cause } => match lang {
                Vi => write!(f, "không đọc được site.toml: {}", cause.text(lang)),
                En => write!(f, "cannot read site.toml: {}", cause.text(lang)),
            },
            P::BadBaseUrl(e) => e.write(lang, f),
            P::OutputIsSite => match lang {
                Vi => f.write_str("`output_dir` không được là chính thư mục của trang"),
                En => f.write_str("output_dir cannot be the site folder itself"),
            },
            P::NotPositive { key, n } => match lang {
                Vi => write!(f, "`{key}` phải từ 1 trở lên, không phải {n}"),
                En => write!(f, "`{key}` must be at least 1, not {n}"),
            },
            P::LinkOutside { target } => match lang {
                Vi => write!(
                    f,
                    "đây là liên kết tượng trưng tới {}, ngoài thư mục của trang; không được đăng",
                    target.display()
                ),
                En => write!(
                    f,
                    "this is a symbolic link to {}, outside the site's folder; it is not published",
                    target.display()
                ),
            },
            P::BrokenLink => match lang {
                Vi => f.write_str("liên kết tượng trưng này không trỏ tới đâu"),
                En => f.write_str("this symbolic link points to nothing"),
            },
            P::LinkLoop => match lang {
                Vi => f.write_str("liên kết tượng trưng này trỏ tới thư mục chứa chính nó"),
                En => f.write_str("this symbolic link points to a folder that contains it"),
            },
            P::Template {
                name,
                fault,
                detail,
            } => match (lang, fault) {
                (Vi, TemplateFault::Syntax) => {
                    write!(f, "mẫu trang {name}: sai cú pháp (minijinja: “{detail}”)")
                }
                (Vi, TemplateFault::Undefined) => write!(
                    f,
                    "mẫu trang {name}: dùng biến không có (minijinja: “{detail}”)"
                ),
                (Vi, TemplateFault::Other) => {
                    write!(
                        f,
                        "mẫu trang {name} không dựng được (minijinja: “{detail}”)"
                    )
                }
                (En, _) => write!(f, "template {name}: {detail}"),
            },
        }
    }
}

/// The hint of a [`Problem`], in both languages; empty when it has none.
pub(crate) struct Help<'a>(pub &'a Problem);

impl Localized for Help<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        match self.0 {
            P::TomlSyntax { .. } => match lang {
                Vi => f.write_str(
                    "kiểm tra ngoặc kép quanh chữ (\"…\"), dấu phẩy trong danh sách và dạng `tên = giá trị`",
                ),
                En => f.write_str(
                    "check quotes around text (\"…\"), commas in lists and `key = value` form",
                ),
            },
            P::ImpossibleDate(_) | P::BadDateTime { .. } | P::NotADay { .. } => match lang {
                Vi => f.write_str(
                    "viết ngày theo dạng NĂM-THÁNG-NGÀY, không có ngoặc kép, ví dụ 2023-04-26",
                ),
                En => f.write_str("write the date as YYYY-MM-DD without quotes, e.g. 2023-04-26"),
            },
            P::UnknownField {
                suggestion: Some(best),
                ..
            } => match lang {
                Vi => write!(f, "có phải là {}?", Key(best).text(lang)),
                En => write!(f, "did you mean `{best}`?"),
            },
            P::UnknownField {
                suggestion: None,
                table,
                known,
                ..
            } => match lang {
                Vi => write!(
                    f,
                    "các trường của {} là: {}",
                    table.text(lang),
                    known.join(", ")
                ),
                En => write!(f, "the {} fields are: {}", table.text(lang), known.join(", ")),
            },
            P::MissingField { example, .. } => match lang {
                Vi => write!(f, "thêm một dòng như: {example}"),
                En => write!(f, "add a line such as: {example}"),
            },
            P::NoContentFolder => match lang {
                Vi => f.write_str(
                    "tạo thư mục content/ và đặt vào đó mỗi kết luận một tệp .md (`ketluan new \"…\"`)",
                ),
                En => f.write_str(
                    "create content/ and put one .md file per conclusion in it (ketluan new \"…\")",
                ),
            },
            P::NotADocument => match lang {
                Vi => f.write_str(
                    "chuyển tệp ra khỏi content/, hoặc đổi đuôi thành .md nếu đó là một kết luận",
                ),
                En => f.write_str(
                    "move it out of content/, or rename it to .md if it is a conclusion",
                ),
            },
            P::NotUtf8 { .. } => match lang {
                Vi => f.write_str(
                    "lưu lại tệp theo bảng mã UTF-8 trong trình soạn thảo (Lưu với bảng mã → UTF-8)",
                ),
                En => f.write_str(
                    "save the file as UTF-8 in your editor (File → Save with encoding → UTF-8)",
                ),
            },
            P::EmptyFile => match lang {
                Vi => f.write_str(
                    "mở đầu tệp bằng phần khai báo giữa hai dòng +++ (xem `ketluan new`), hoặc xóa tệp",
                ),
                En => f.write_str(
                    "start it with front matter between +++ lines (see `ketluan new`), or delete it",
                ),
            },
            P::NoFrontMatter => match lang {
                Vi => f.write_str(
                    "dòng đầu phải là +++, tiếp theo là các trường (`title = \"…\"` …) và một dòng +++ nữa",
                ),
                En => f.write_str(
                    "the first line must be +++, followed by the fields (title = \"…\" …) and another +++ line",
                ),
            },
            P::UnclosedFrontMatter => match lang {
                Vi => f.write_str(
                    "thêm một dòng chỉ có +++ sau trường cuối cùng, trước nội dung kết luận",
                ),
                En => f.write_str(
                    "add a line with only +++ after the last field, before the text of the conclusion",
                ),
            },
            P::EmptyTitle => match lang {
                Vi => f.write_str("ghi tiêu đề của kết luận, ví dụ \"Kết luận Hội nghị lần thứ 11 …\""),
                En => f.write_str(
                    "give the conclusion its title, e.g. \"Kết luận Hội nghị lần thứ 11 …\"",
                ),
            },
            P::BadQuarter(_) => match lang {
                Vi => f.write_str("bỏ trường `quarter` để dùng quý của `date`"),
                En => f.write_str("leave `quarter` out to use the quarter of `date`"),
            },
            P::NoUsableSlug => match lang {
                Vi => f.write_str(
                    "đổi tên tệp có chữ cái hoặc chữ số, hoặc ghi slug = \"…\"",
                ),
                En => f.write_str("rename the file with letters or digits, or set slug = \"…\""),
            },
            P::NoText => match lang {
                Vi => f.write_str("dán nội dung kết luận vào dưới dòng +++ đóng"),
                En => f.write_str("paste the text of the conclusion below the closing +++"),
            },
            P::OddNumber { .. } => match lang {
                Vi => f.write_str("số ký hiệu có dạng như \"45-KL/TU\" hoặc \"123/QĐ-UBND\""),
                En => f.write_str("numbers look like \"45-KL/TU\" or \"123/QĐ-UBND\""),
            },
            P::LookalikeLetters { latin, .. } => match lang {
                Vi => write!(
                    f,
                    "gõ lại bằng chữ Latinh: `number = \"{latin}\"` (ketluan đọc, tìm và dẫn chiếu theo số này)"
                ),
                En => write!(
                    f,
                    "type them as Latin letters: number = \"{latin}\" (it is read, searched and cited as that)"
                ),
            },
            P::FutureDate { .. } => match lang {
                Vi => f.write_str("kiểm tra lại năm"),
                En => f.write_str("check the year"),
            },
            P::DuplicateSlug { other, .. } => match lang {
                Vi => write!(
                    f,
                    "{} cũng có đường dẫn này; ghi cho một trong hai văn bản slug = \"…\" riêng hoặc đổi tên tệp",
                    other.display()
                ),
                En => write!(
                    f,
                    "{} has it too; give one of them its own slug = \"…\" or rename the file",
                    other.display()
                ),
            },
            P::DuplicateNumber { other, .. } => match lang {
                Vi => write!(
                    f,
                    "{} có cùng số ký hiệu, cơ quan ban hành và khóa; sửa một trong hai",
                    other.display()
                ),
                En => write!(
                    f,
                    "{} has the same number, issuing body and term; correct one of them",
                    other.display()
                ),
            },
            P::CannotReadConfig { .. } => match lang {
                Vi => f.write_str(
                    "chạy ketluan trong thư mục có site.toml và content/, hoặc thêm --root THƯ_MỤC",
                ),
                En => f.write_str(
                    "run ketluan in the folder that holds site.toml and content/, or pass --root DIR",
                ),
            },
            P::OutputIsSite => match lang {
                Vi => f.write_str("dùng một thư mục riêng, như \"public\""),
                En => f.write_str("use a folder of its own, such as \"public\""),
            },
            P::LinkOutside { .. } => match lang {
                Vi => f.write_str(
                    "chép tệp vào thư mục của trang thay vì liên kết tới nó, hoặc xóa liên kết",
                ),
                En => f.write_str(
                    "copy the file into the site's folder instead of linking to it, or remove the link",
                ),
            },
            P::BrokenLink => match lang {
                Vi => f.write_str(
                    "xóa liên kết, hoặc cho nó trỏ tới một tệp trong thư mục của trang",
                ),
                En => f.write_str(
                    "remove the link, or make it point to a file inside the site's folder",
                ),
            },
            P::LinkLoop => match lang {
                Vi => f.write_str("xóa liên kết: thư mục sẽ chứa chính nó mãi mãi"),
                En => f.write_str("remove the link: the folder would contain itself forever"),
            },
            P::Template { .. } => match lang {
                Vi => f.write_str("sửa mẫu trang, hoặc xóa nó để dùng mẫu có sẵn"),
                En => f.write_str("fix the template, or delete it to use the built-in one"),
            },
            P::WrongType { .. }
            | P::CannotRead { .. }
            | P::SessionNotPositive { .. }
            | P::BadSlug { .. }
            | P::BadBaseUrl(_)
            | P::NotPositive { .. } => Ok(()),
        }
    }
}

super::display_in_current_language!(Problem, Help<'_>);
