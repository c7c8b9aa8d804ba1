//! The texts of the layers' error enums: the enums stay in their layers
//! (with `thiserror` for `source()`), their `Display` is here.

use std::fmt;

use super::{IoCause, Lang, Localized, display_in_current_language};
use crate::build::{BuildError, Step};
use crate::calendar::{DateError, QuarterError};
use crate::config::BaseUrlError;
use crate::content::BodyError;
use crate::import::ImportError;
use crate::output::OutputError;
use crate::render::RenderError;
use crate::scaffold::{InitError, NewError};
use crate::search::SearchError;
use crate::serve::ServeError;
use crate::slug::SlugError;
use crate::theme::ThemeError;
use Lang::{En, Vi};

/// A library's own (English) account of a failure, quoted in Vietnamese
/// text so that it reads as a citation, not as part of the sentence.
pub(crate) struct Detail<'a>(pub &'a dyn fmt::Display);

impl Localized for Detail<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match lang {
            Vi => write!(f, "“{}”", self.0),
            En => write!(f, "{}", self.0),
        }
    }
}

fn io(e: &std::io::Error) -> IoCause {
    IoCause::from(e)
}

impl Localized for DateError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NoSuchMonth { month } => match lang {
                Vi => write!(f, "không có tháng {month}"),
                En => write!(f, "month {month} does not exist"),
            },
            DateError::NoSuchDay {
                year,
                month,
                day,
                last,
            } => match lang {
                Vi => write!(
                    f,
                    "tháng {month:02}/{year:04} có các ngày từ 1 đến {last}, không có ngày {day}"
                ),
                En => write!(f, "{year:04}-{month:02} has days 1 to {last}, not {day}"),
            },
        }
    }
}

impl Localized for QuarterError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = self.text_given();
        match lang {
            Vi => write!(
                f,
                "`{raw}` không phải một quý; viết như \"2023-Q2\" (quý 1 đến 4)"
            ),
            En => write!(
                f,
                "`{raw}` is not a quarter; write it like \"2023-Q2\" (quarters 1 to 4)"
            ),
        }
    }
}

impl Localized for SlugError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlugError::NotCanonical { canonical } => match lang {
                Vi => write!(
                    f,
                    "đường dẫn chỉ được có chữ thường a-z, chữ số và dấu gạch ngang đơn; hãy viết `{canonical}`"
                ),
                En => write!(
                    f,
                    "a slug may contain only lowercase letters a-z, digits and single dashes; write `{canonical}` instead"
                ),
            },
            SlugError::Empty => match lang {
                Vi => f.write_str("đường dẫn cần ít nhất một chữ cái hoặc chữ số"),
                En => f.write_str("a slug needs at least one letter or digit"),
            },
        }
    }
}

impl Localized for BaseUrlError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseUrlError::NoScheme(raw) => match lang {
                Vi => write!(f, "`{raw}` phải bắt đầu bằng https:// hoặc http://"),
                En => write!(f, "`{raw}` must start with https:// or http://"),
            },
            BaseUrlError::NotAnAddress(raw) => match lang {
                Vi => write!(
                    f,
                    "`{raw}` không phải địa chỉ trang; viết như \"https://example.org/luu-tru/\""
                ),
                En => write!(
                    f,
                    "`{raw}` is not a site address; write it like \"https://example.org/luu-tru/\""
                ),
            },
        }
    }
}

impl Localized for BodyError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Read(e) => io(e).write(lang, f),
            BodyError::NotUtf8(d) => d.problem.write(lang, f),
            BodyError::Shortened(path) | BodyError::Changed(path) => match lang {
                Vi => write!(
                    f,
                    "{} đã thay đổi trong lúc dựng trang; hãy dựng lại",
                    path.display()
                ),
                En => write!(
                    f,
                    "{} changed during the build; build again",
                    path.display()
                ),
            },
        }
    }
}

impl Localized for OutputError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::NoParent => match lang {
                Vi => f.write_str("thư mục đầu ra không có thư mục cha"),
                En => f.write_str("the output folder has no parent folder"),
            },
            OutputError::NoName => match lang {
                Vi => f.write_str("thư mục đầu ra cần có tên"),
                En => f.write_str("the output folder needs a name"),
            },
            OutputError::NotAFolder(path) => match lang {
                Vi => write!(f, "{} đã có và không phải thư mục", path.display()),
                En => write!(f, "{} exists and is not a folder", path.display()),
            },
            OutputError::Outside(path) => match lang {
                Vi => write!(f, "không ghi ra ngoài thư mục đầu ra: {path:?}"),
                En => write!(f, "refusing to write outside the output folder: {path:?}"),
            },
            OutputError::Walk(e) => match e.io_error() {
                Some(e) => io(e).write(lang, f),
                None => Detail(e).write(lang, f),
            },
            OutputError::Io(e) => io(e).write(lang, f),
        }
    }
}

impl Localized for Step {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::PrepareOutput(path) => match lang {
                Vi => write!(f, "không chuẩn bị được thư mục đầu ra {}", path.display()),
                En => write!(f, "cannot prepare the output folder {}", path.display()),
            },
            Step::PlaceSite(path) => match lang {
                Vi => write!(f, "không đặt được trang mới vào {}", path.display()),
                En => write!(f, "cannot put the new site in place at {}", path.display()),
            },
            Step::UpdateOutput(path) => match lang {
                Vi => write!(f, "không cập nhật được thư mục đầu ra {}", path.display()),
                En => write!(f, "cannot write the output folder {}", path.display()),
            },
            Step::WriteIndex => match lang {
                Vi => f.write_str("không ghi được chỉ mục tìm kiếm"),
                En => f.write_str("cannot write the search index"),
            },
            Step::WriteFile(path) => match lang {
                Vi => write!(f, "không ghi được {path}"),
                En => write!(f, "cannot write {path}"),
            },
        }
    }
}

impl Localized for ThemeError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThemeError::NotUtf8(path) => match lang {
                Vi => write!(f, "mẫu trang {} không phải chữ UTF-8", path.display()),
                En => write!(f, "template {} is not UTF-8 text", path.display()),
            },
            ThemeError::Io(e) => io(e).write(lang, f),
        }
    }
}

/// `n` problems, for errors that carry diagnostics of their own.
fn problems(lang: Lang, n: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match lang {
        Vi => write!(f, "{n} lỗi trong các tệp của trang"),
        En => write!(f, "{n} error(s) in the site's files"),
    }
}

/// A document's text could not be read again while rendering or indexing.
fn reread(lang: Lang, f: &mut fmt::Formatter<'_>, path: &str, e: &BodyError) -> fmt::Result {
    match lang {
        Vi => write!(f, "không đọc lại được {path}: {}", e.text(lang)),
        En => write!(f, "cannot read {path} again: {}", e.text(lang)),
    }
}

fn original(lang: Lang, f: &mut fmt::Formatter<'_>, path: &str, e: &std::io::Error) -> fmt::Result {
    match lang {
        Vi => write!(f, "không đọc được bản gốc của {path}: {}", io(e).text(lang)),
        En => write!(
            f,
            "cannot read the original of {path}: {}",
            io(e).text(lang)
        ),
    }
}

fn cache_key(
    lang: Lang,
    f: &mut fmt::Formatter<'_>,
    path: &str,
    e: &serde_json::Error,
) -> fmt::Result {
    match lang {
        Vi => write!(
            f,
            "không tính được khóa bộ nhớ đệm của {path}: {}",
            Detail(e).text(lang)
        ),
        En => write!(f, "cannot make the cache key of {path}: {e}"),
    }
}

impl Localized for RenderError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Template(diagnostics) => problems(lang, diagnostics.len(), f),
            RenderError::Read { path, source } => reread(lang, f, path, source),
            RenderError::Write { path, source } => match lang {
                Vi => write!(f, "không ghi được {path}: {}", source.text(lang)),
                En => write!(f, "cannot write {path}: {}", source.text(lang)),
            },
            RenderError::Original { path, source } => original(lang, f, path, source),
            RenderError::Key { path, source } => cache_key(lang, f, path, source),
        }
    }
}

/// The search core's errors are its own crate's (shared with the browser),
/// so their texts are told here.
struct Write<'a>(&'a ketluan_search::writer::WriteError);

impl Localized for Write<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ketluan_search::writer::WriteError as W;
        match (self.0, lang) {
            (W::Io(e), _) => io(e).write(lang, f),
            (W::DamagedBatch(path), Vi) => write!(
                f,
                "lô chỉ mục trong bộ nhớ đệm {} bị hỏng; hãy xóa thư mục bộ nhớ đệm của lần dựng",
                path.display()
            ),
            (W::Segments(n), Vi) => write!(f, "chỉ mục gộp có {n} phần thay vì một"),
            (other, Vi) => write!(f, "lỗi chỉ mục (“{other}”)"),
            (other, En) => write!(f, "{other}"),
        }
    }
}

struct Folder<'a>(&'a ketluan_search::FolderError);

impl Localized for Folder<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ketluan_search::FolderError as F;
        use ketluan_search::pack::PackError as P;
        match (self.0, lang) {
            (F::Missing(dir), Vi) => write!(
                f,
                "không có chỉ mục tìm kiếm trong {}: chạy `ketluan build` trước",
                dir.display()
            ),
            (F::Read { path, source }, Vi) => {
                write!(
                    f,
                    "không đọc được {}: {}",
                    path.display(),
                    io(source).text(lang)
                )
            }
            (F::Endless(dir), Vi) => write!(
                f,
                "chỉ mục tìm kiếm trong {} đòi đọc thêm tệp mãi không dừng; hãy dựng lại trang",
                dir.display()
            ),
            (F::Pack(P::Version { .. }), Vi) => f.write_str(
                "chỉ mục tìm kiếm do một phiên bản ketluan khác tạo ra; hãy dựng lại trang",
            ),
            (F::Pack(other), Vi) => write!(
                f,
                "chỉ mục tìm kiếm bị hỏng (“{other}”); hãy dựng lại trang"
            ),
            (other, En) => write!(f, "{other}"),
        }
    }
}

impl Localized for SearchError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Read { path, source } => reread(lang, f, path, source),
            SearchError::Write(e) => match lang {
                Vi => write!(f, "chỉ mục tìm kiếm: {}", Write(e).text(lang)),
                En => Write(e).write(lang, f),
            },
            SearchError::Cache(e) => match lang {
                Vi => write!(f, "bộ nhớ đệm chỉ mục tìm kiếm: {}", io(e).text(lang)),
                En => write!(f, "search index cache: {}", io(e).text(lang)),
            },
            SearchError::Key(e) => match lang {
                Vi => write!(
                    f,
                    "không tính được khóa bộ nhớ đệm của một lô chỉ mục: {}",
                    Detail(e).text(lang)
                ),
                En => write!(f, "cannot make the cache key of an index batch: {e}"),
            },
            SearchError::Missing(dir) => match lang {
                Vi => write!(
                    f,
                    "không có chỉ mục tìm kiếm trong {dir}: chạy `ketluan build` trước"
                ),
                En => write!(f, "no search index in {dir}: run `ketluan build` first"),
            },
            SearchError::Config(diagnostics) => {
                match lang {
                    Vi => writeln!(f, "site.toml có lỗi nên không tìm được trang đã dựng:")?,
                    En => writeln!(
                        f,
                        "site.toml has errors, so the built site cannot be found:"
                    )?,
                }
                for d in diagnostics {
                    d.write(lang, f)?;
                }
                Ok(())
            }
            SearchError::Query(e) => Folder(e).write(lang, f),
        }
    }
}

impl Localized for BuildError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(diagnostics) => {
                problems(lang, diagnostics.iter().filter(|d| d.is_error()).count(), f)
            }
            BuildError::Io { step, source } => {
                write!(f, "{}: {}", step.text(lang), io(source).text(lang))
            }
            BuildError::Output { step, source } => {
                write!(f, "{}: {}", step.text(lang), source.text(lang))
            }
            BuildError::Theme(e) => match lang {
                Vi => write!(f, "không đọc được giao diện: {}", e.text(lang)),
                En => write!(f, "cannot read the theme: {}", e.text(lang)),
            },
            BuildError::Search(e) => match lang {
                Vi => write!(f, "không ghi được chỉ mục tìm kiếm: {}", e.text(lang)),
                En => write!(f, "cannot write the search index: {}", e.text(lang)),
            },
            BuildError::Reread { path, source } => reread(lang, f, path, source),
            BuildError::Original { path, source } => original(lang, f, path, source),
            BuildError::Key { path, source } => cache_key(lang, f, path, source),
            BuildError::DangerousOutput(path) => match lang {
                Vi => write!(
                    f,
                    "không dựng vào {}: lần dựng thay toàn bộ thư mục đó, mà nó chứa các tệp của chính trang; hãy chọn thư mục đầu ra khác",
                    path.display()
                ),
                En => write!(
                    f,
                    "refusing to build into {}: the build replaces that folder, and it holds the site's own files: choose another output folder",
                    path.display()
                ),
            },
        }
    }
}

impl Localized for ServeError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NoSite { root, file } => match lang {
                Vi => write!(
                    f,
                    "không có {file} trong {}; chạy `ketluan serve` trong thư mục của trang, hoặc thêm --root THƯ_MỤC",
                    root.display()
                ),
                En => write!(
                    f,
                    "no {file} in {}; run ketluan serve in the site folder, or pass --root DIR",
                    root.display()
                ),
            },
            ServeError::Bind { addr, source } => {
                let in_use = source.kind() == std::io::ErrorKind::AddrInUse;
                match lang {
                    Vi => write!(f, "không nghe được ở {addr}: {}", io(source).text(lang))?,
                    En => write!(f, "cannot listen on {addr}: {}", io(source).text(lang))?,
                }
                match (in_use, lang) {
                    (false, _) => Ok(()),
                    (true, Vi) => {
                        f.write_str("; chọn cổng khác bằng --port (0 là tự chọn cổng trống)")
                    }
                    (true, En) => f.write_str("; choose another --port (0 picks a free one)"),
                }
            }
            ServeError::TempDir(e) => match lang {
                Vi => write!(
                    f,
                    "không tạo được thư mục tạm cho bản xem trước: {}",
                    io(e).text(lang)
                ),
                En => write!(
                    f,
                    "cannot create a temporary folder for the preview: {}",
                    io(e).text(lang)
                ),
            },
            ServeError::Watch(e) => match lang {
                Vi => write!(
                    f,
                    "không theo dõi được các tệp của trang: {}",
                    Detail(e).text(lang)
                ),
                En => write!(f, "cannot watch the site's files: {e}"),
            },
            ServeError::Signal(e) => match lang {
                Vi => write!(f, "không bắt được phím Ctrl-C: {}", Detail(e).text(lang)),
                En => write!(f, "cannot handle Ctrl-C: {e}"),
            },
            ServeError::Thread(e) => match lang {
                Vi => write!(f, "không khởi động được máy chủ: {}", io(e).text(lang)),
                En => write!(f, "cannot start the server: {}", io(e).text(lang)),
            },
        }
    }
}

impl Localized for NewError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::NoLetters => match lang {
                Vi => f.write_str("tiêu đề cần ít nhất một chữ cái hoặc chữ số"),
                En => f.write_str("the title needs at least one letter or digit"),
            },
            NewError::Io(e) => match lang {
                Vi => write!(f, "không tạo được tệp: {}", io(e).text(lang)),
                En => write!(f, "cannot create the file: {}", io(e).text(lang)),
            },
        }
    }
}

impl Localized for InitError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Exists(dir) => match lang {
                Vi => write!(
                    f,
                    "{dir} đã có site.toml: đây đã là một lưu trữ, không ghi đè"
                ),
                En => write!(
                    f,
                    "{dir} has a site.toml already: it is an archive, nothing was overwritten"
                ),
            },
            InitError::Write { path, source } => match lang {
                Vi => write!(f, "không tạo được {path}: {}", io(source).text(lang)),
                En => write!(f, "cannot create {path}: {}", io(source).text(lang)),
            },
        }
    }
}

impl Localized for ImportError {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotAnArchive(dir) => match lang {
                Vi => write!(
                    f,
                    "{dir} không phải thư mục lưu trữ (không có site.toml); tạo một lưu trữ bằng `ketluan init {dir}`"
                ),
                En => write!(
                    f,
                    "{dir} is not an archive (it has no site.toml); start one with `ketluan init {dir}`"
                ),
            },
        }
    }
}

display_in_current_language!(
    DateError,
    QuarterError,
    SlugError,
    BaseUrlError,
    BodyError,
    OutputError,
    Step,
    ThemeError,
    RenderError,
    SearchError,
    BuildError,
    ServeError,
    NewError,
    InitError,
    ImportError,
);
