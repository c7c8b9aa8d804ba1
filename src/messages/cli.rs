//! What the commands print besides diagnostics: summaries, the search
//! results' lines, the preview's terminal lines, and the help of every
//! command and argument.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::{Lang, Localized, count, display_in_current_language};
use crate::progress::Stage;
use Lang::{En, Vi};

/// A line (or a few) a command prints.
#[derive(Clone, Debug)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum Line {
    /// Any failure that is not about the site's files.
    Error(String),
    Built {
        documents: usize,
        files: usize,
        elapsed: Duration,
        output: PathBuf,
    },
    Checked {
        documents: usize,
        files: usize,
        elapsed: Duration,
    },
    /// The last line of a build that found errors in the site's files.
    Invalid {
        errors: usize,
        files: usize,
    },
    /// After a failure that is not in the site's files.
    OutputUnchanged,
    Created(PathBuf),
    NextSteps(PathBuf),
    /// `ketluan search`: the query with its accents restored.
    DidYouMean(String),
    Results(usize),
    /// `ketluan search`: another query that finds more.
    Try(String),
    /// `--limit 0`.
    LimitZero,
    NotAWholeNumber(String),
    NotAnAddress(String),
    Serving {
        url: String,
        folder: PathBuf,
    },
    PressCtrlC,
    Stopped {
        folder: String,
    },
    NotRemoved {
        folder: String,
        reason: String,
    },
    ExposedPreview {
        ip: String,
    },
    OneChanged(PathBuf),
    ManyChanged(usize),
    Rebuilt {
        documents: usize,
        files: usize,
        elapsed: Duration,
    },
    /// A rebuild found errors in the site's files.
    StillServing {
        errors: usize,
    },
    /// A rebuild failed for another reason.
    StillServingLastGood,
    NoBrowser {
        program: String,
        url: String,
    },
    WatchFailed {
        reason: String,
    },
    CannotWatch {
        path: PathBuf,
        reason: String,
    },
    /// `ketluan build`: citations `check` lists.
    References {
        missing: usize,
        ambiguous: usize,
    },
}

/// `1,23 giây` or `1.23 s`.
fn seconds(lang: Lang, d: Duration) -> String {
    let s = format!("{:.2}", d.as_secs_f64());
    match lang {
        Vi => format!("{} giây", s.replace('.', ",")),
        En => format!("{s} s"),
    }
}

impl Localized for Line {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Line as L;
        match self {
            L::Error(e) => match lang {
                Vi => write!(f, "lỗi: {e}"),
                En => write!(f, "error: {e}"),
            },
            L::Built {
                documents,
                files,
                elapsed,
                output,
            } => match lang {
                Vi => write!(
                    f,
                    "đã dựng {} văn bản thành {} tệp trong {} → {}",
                    count(lang, *documents),
                    count(lang, *files),
                    seconds(lang, *elapsed),
                    output.display()
                ),
                En => write!(
                    f,
                    "built {documents} {} into {files} files in {} → {}",
                    plural(*documents, "document"),
                    seconds(lang, *elapsed),
                    output.display()
                ),
            },
            L::Checked {
                documents,
                files,
                elapsed,
            } => match lang {
                Vi => write!(
                    f,
                    "đã kiểm tra {} văn bản ({} tệp) trong {}",
                    count(lang, *documents),
                    count(lang, *files),
                    seconds(lang, *elapsed)
                ),
                En => write!(
                    f,
                    "checked {documents} documents into {files} files in {}",
                    seconds(lang, *elapsed)
                ),
            },
            L::Invalid { errors, files } => match lang {
                Vi => write!(
                    f,
                    "ketluan: {errors} lỗi trong {files} tệp; chưa ghi gì, trang cũ vẫn giữ nguyên"
                ),
                En => write!(
                    f,
                    "ketluan: {errors} error(s) in {files} file(s); nothing was written, the previous site is unchanged"
                ),
            },
            L::OutputUnchanged => match lang {
                Vi => f.write_str("thư mục đầu ra không bị thay đổi gì"),
                En => f.write_str("nothing was changed in the output folder"),
            },
            L::Created(path) => match lang {
                Vi => write!(f, "đã tạo {}", path.display()),
                En => write!(f, "created {}", path.display()),
            },
            L::NextSteps(dir) => {
                let d = dir.display();
                match lang {
                    Vi => write!(
                        f,
                        "tiếp theo: `ketluan import --root {d} <tệp>`, `ketluan check --root {d}`, `ketluan build --root {d}`"
                    ),
                    En => write!(
                        f,
                        "next: ketluan import --root {d} <files>, ketluan check --root {d}, ketluan build --root {d}"
                    ),
                }
            }
            L::DidYouMean(query) => match lang {
                Vi => write!(f, "Có phải bạn muốn tìm: {query}?"),
                En => write!(f, "Did you mean: {query}?"),
            },
            L::Results(n) => match lang {
                Vi => write!(f, "{} kết quả", count(lang, *n)),
                En => write!(f, "{} result(s)", count(lang, *n)),
            },
            L::Try(query) => match lang {
                Vi => write!(f, "Thử: {query}"),
                En => write!(f, "Try: {query}"),
            },
            L::LimitZero => match lang {
                Vi => f.write_str("ít nhất là 1 (với giới hạn nào thì tổng số cũng được in ra)"),
                En => f.write_str("at least 1 (the total is printed with any limit)"),
            },
            L::NotAWholeNumber(text) => match lang {
                Vi => write!(f, "`{text}` không phải số nguyên"),
                En => write!(f, "`{text}` is not a whole number"),
            },
            L::NotAnAddress(text) => match lang {
                Vi => write!(f, "`{text}` không phải địa chỉ IP, như 127.0.0.1 hoặc ::1"),
                En => write!(f, "`{text}` is not an IP address, such as 127.0.0.1 or ::1"),
            },
            L::Serving { url, folder } => match lang {
                Vi => write!(f, "đang phục vụ {url} (dựng trong {})", folder.display()),
                En => write!(f, "serving {url} (built in {})", folder.display()),
            },
            L::PressCtrlC => match lang {
                Vi => f.write_str("nhấn Ctrl-C để dừng"),
                En => f.write_str("press Ctrl-C to stop"),
            },
            L::Stopped { folder } => match lang {
                Vi => write!(f, "đã dừng; đã xóa {folder}"),
                En => write!(f, "stopped; removed {folder}"),
            },
            L::NotRemoved { folder, reason } => match lang {
                Vi => write!(f, "đã dừng; không xóa được {folder}: {reason}"),
                En => write!(f, "stopped; could not remove {folder}: {reason}"),
            },
            L::ExposedPreview { ip } => match lang {
                Vi => write!(
                    f,
                    "cảnh báo: nghe ở {ip} thì máy khác cũng xem được bản xem trước; mặc định --bind 127.0.0.1 chỉ cho máy này"
                ),
                En => write!(
                    f,
                    "warning: listening on {ip} makes the preview reachable from other machines; the default --bind 127.0.0.1 keeps it on this one"
                ),
            },
            L::OneChanged(path) => match lang {
                Vi => write!(f, "{} đã thay đổi", path.display()),
                En => write!(f, "{} changed", path.display()),
            },
            L::ManyChanged(n) => match lang {
                Vi => write!(f, "{n} tệp đã thay đổi"),
                En => write!(f, "{n} files changed"),
            },
            L::Rebuilt {
                documents,
                files,
                elapsed,
            } => match lang {
                Vi => write!(
                    f,
                    "đã dựng {} văn bản thành {} tệp trong {} ms",
                    count(lang, *documents),
                    count(lang, *files),
                    elapsed.as_millis()
                ),
                En => write!(
                    f,
                    "built {documents} {} into {files} files in {} ms",
                    plural(*documents, "document"),
                    elapsed.as_millis()
                ),
            },
            L::StillServing { errors } => match lang {
                Vi => write!(
                    f,
                    "ketluan: {errors} lỗi; vẫn phục vụ bản tốt gần nhất, sửa và lưu để dựng lại"
                ),
                En => write!(
                    f,
                    "ketluan: {errors} error(s); still serving the last good site, fix and save to rebuild"
                ),
            },
            L::StillServingLastGood => match lang {
                Vi => f.write_str("vẫn phục vụ bản tốt gần nhất"),
                En => f.write_str("still serving the last good site"),
            },
            L::NoBrowser { program, url } => match lang {
                Vi => write!(
                    f,
                    "không mở được trình duyệt (`{program}`); hãy tự mở {url}"
                ),
                En => write!(
                    f,
                    "could not open a browser ({program}); open {url} yourself"
                ),
            },
            L::WatchFailed { reason } => match lang {
                Vi => write!(f, "ketluan serve: lỗi theo dõi tệp: “{reason}”"),
                En => write!(f, "ketluan serve: file watching: {reason}"),
            },
            L::CannotWatch { path, reason } => match lang {
                Vi => write!(
                    f,
                    "ketluan serve: không theo dõi được {}: “{reason}”",
                    path.display()
                ),
                En => write!(
                    f,
                    "ketluan serve: cannot watch {}: {reason}",
                    path.display()
                ),
            },
            L::References { missing, ambiguous } => match lang {
                Vi => write!(
                    f,
                    "{missing} số ký hiệu được dẫn chiếu chưa có trong lưu trữ, {ambiguous} dẫn chiếu chưa xác định; `ketluan check` liệt kê chúng"
                ),
                En => write!(
                    f,
                    "{missing} cited number(s) match no archived document, {ambiguous} citation(s) are ambiguous; `ketluan check` lists them"
                ),
            },
        }
    }
}

impl Localized for Stage {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self, lang) {
            (Stage::Reading, Vi) => "Đọc văn bản",
            (Stage::Reading, En) => "Reading documents",
            (Stage::Indexing, Vi) => "Lập chỉ mục tìm kiếm",
            (Stage::Indexing, En) => "Indexing for search",
            (Stage::Writing, Vi) => "Ghi trang",
            (Stage::Writing, En) => "Writing pages",
        })
    }
}

display_in_current_language!(Line, Stage);

/// The help of every command (argument `""`) and argument, by command
/// (`"*"`: any command), in Vietnamese and in English.
pub(crate) const HELP: &[(&str, &str, &str, &str)] = &[
    (
        "",
        "",
        "Tạo trang lưu trữ tĩnh cho các Kết luận của cấp ủy",
        "Static site generator for archives of party-committee conclusions",
    ),
    (
        "build",
        "",
        "Dựng trang từ content/ vào thư mục đầu ra.",
        "Build the site from content/ into the output folder.",
    ),
    (
        "check",
        "",
        "Kiểm tra mọi thứ như `build`, không ghi gì.",
        "Check everything `build` would, without writing anything.",
    ),
    (
        "search",
        "",
        "Tìm trong chỉ mục của trang đã dựng, như trang tìm kiếm.",
        "Search the built site's index, as the search page does.",
    ),
    (
        "serve",
        "",
        "Xem trước trang: dựng vào thư mục tạm, phục vụ qua HTTP, dựng lại mỗi lần sửa và tải lại thẻ trình duyệt.",
        "Preview the site: build it into a temporary folder, serve it, rebuild on every change and reload the browser tab.",
    ),
    (
        "import",
        "",
        "Nhập văn bản của văn phòng (.docx, .doc, .pdf, .md, .txt) vào content/: các trường đọc từ văn bản, bản gốc giữ bên cạnh.",
        "Import the office's documents (.docx, .doc, .pdf, .md, .txt) into content/, fields read from the documents, originals kept beside them.",
    ),
    (
        "init",
        "",
        "Tạo lưu trữ mới: site.toml có giải thích từng khóa, content/, .gitignore.",
        "Start a new archive: site.toml with every key explained, content/, .gitignore.",
    ),
    (
        "new",
        "",
        "Tạo tệp văn bản mới có đủ các trường khai báo.",
        "Create a new content file with every front-matter field.",
    ),
    (
        "*",
        "root",
        "Thư mục của trang, có site.toml và content/ (mặc định: thư mục hiện tại).",
        "The site folder, with site.toml and content/ (default: this one).",
    ),
    (
        "build",
        "output",
        "Thư mục đầu ra (mặc định: output_dir trong site.toml, \"public\").",
        "Output folder (default: output_dir of site.toml, \"public\").",
    ),
    (
        "build",
        "base_url",
        "Địa chỉ công khai của trang, thay cho base_url trong site.toml.",
        "Public address of the site, overriding base_url of site.toml.",
    ),
    (
        "*",
        "drafts",
        "Gồm cả các văn bản ghi draft = true.",
        "Include documents marked draft = true.",
    ),
    (
        "*",
        "progress",
        "Hiện tiến độ từng bước cả khi đầu ra không phải màn hình.",
        "Show each stage's counts also when the output is not a terminal.",
    ),
    (
        "search",
        "query",
        "Các từ cần tìm; \"các từ trong ngoặc kép\" phải đứng liền nhau.",
        "Words to find; \"quoted words\" must appear together.",
    ),
    (
        "search",
        "output",
        "Trang đã dựng (mặc định: output_dir trong site.toml).",
        "The built site (default: output_dir of site.toml).",
    ),
    (
        "search",
        "limit",
        "Số kết quả in ra (mặc định 10; in hết, dù bao nhiêu: `--limit 100000`).",
        "Results to print (default 10; every one, however many: `--limit 100000`).",
    ),
    (
        "search",
        "offset",
        "Bỏ qua chừng ấy kết quả đầu, để xem tiếp (mặc định 0).",
        "Results to skip first, to page through them (default 0).",
    ),
    ("search", "year", "Chỉ năm này.", "Only this year."),
    (
        "search",
        "quarter",
        "Chỉ quý này, ví dụ 2023-q2.",
        "Only this quarter, e.g. 2023-q2.",
    ),
    (
        "search",
        "issuer",
        "Chỉ cơ quan ban hành này (tên rút gọn, như trong /co-quan/<tên>/).",
        "Only this issuing body (its slug, as in /co-quan/<slug>/).",
    ),
    (
        "search",
        "term",
        "Chỉ khóa này (tên rút gọn, ví dụ xxiii).",
        "Only this term (its slug, e.g. xxiii).",
    ),
    (
        "search",
        "json",
        "In dạng JSON: {\"total\": N, \"hits\": [{\"title\",\"number\",\"date\",\"url\",\"score\",\"snippet\"}]}.",
        "Print JSON: {\"total\": N, \"hits\": [{\"title\",\"number\",\"date\",\"url\",\"score\",\"snippet\"}]}.",
    ),
    (
        "serve",
        "port",
        "Cổng để nghe (mặc định 1111); 0 là tự chọn một cổng trống.",
        "Port to listen on (default 1111); 0 picks a free one.",
    ),
    (
        "serve",
        "bind",
        "Địa chỉ để nghe (mặc định 127.0.0.1). Địa chỉ khác cho máy khác xem được bản xem trước.",
        "Address to listen on (default 127.0.0.1). Anything but loopback exposes the preview to other machines.",
    ),
    (
        "serve",
        "open",
        "Mở trang trong trình duyệt mặc định.",
        "Open the site in the default browser.",
    ),
    (
        "import",
        "files",
        "Các tệp, hoặc thư mục chứa tệp.",
        "Files, or folders of files.",
    ),
    (
        "import",
        "dry_run",
        "Chỉ báo cáo những gì sẽ nhập; không ghi gì.",
        "Report what would be imported; write nothing.",
    ),
    (
        "import",
        "json",
        "In báo cáo dạng JSON: mỗi tệp một đối tượng.",
        "Print the report as JSON: one object per file.",
    ),
    (
        "init",
        "dir",
        "Thư mục để tạo lưu trữ (mặc định: thư mục hiện tại).",
        "The folder to create the archive in (default: this one).",
    ),
    (
        "new",
        "title",
        "Tiêu đề của kết luận.",
        "The title of the conclusion.",
    ),
    (
        "*",
        "lang",
        "Ngôn ngữ của thông báo: vi hoặc en (mặc định: theo KETLUAN_LANG, rồi LC_ALL, LC_MESSAGES, LANG; còn lại là vi).",
        "Language of the messages: vi or en (default: from KETLUAN_LANG, then LC_ALL, LC_MESSAGES, LANG; otherwise vi).",
    ),
    ("*", "help", "In hướng dẫn này.", "Print this help."),
    ("*", "version", "In số phiên bản.", "Print the version."),
];

/// The placeholder of each argument's value in the usage lines.
const VALUE_NAMES: &[(&str, &str, &str)] = &[
    ("root", "THƯ_MỤC", "DIR"),
    ("output", "THƯ_MỤC", "DIR"),
    ("base_url", "ĐỊA_CHỈ", "URL"),
    ("query", "TỪ_KHÓA", "QUERY"),
    ("limit", "SỐ", "N"),
    ("offset", "SỐ", "N"),
    ("year", "NĂM", "YEAR"),
    ("quarter", "QUÝ", "QUARTER"),
    ("issuer", "CƠ_QUAN", "SLUG"),
    ("term", "KHÓA", "SLUG"),
    ("port", "CỔNG", "PORT"),
    ("bind", "ĐỊA_CHỈ", "ADDR"),
    ("files", "TỆP", "FILE"),
    ("dir", "THƯ_MỤC", "DIR"),
    ("title", "TIÊU_ĐỀ", "TITLE"),
    ("lang", "vi|en", "vi|en"),
];

/// The help of `argument` of `command` (`""`: the command itself).
pub fn help(lang: Lang, command: &str, argument: &str) -> Option<&'static str> {
    let found = HELP
        .iter()
        .find(|(c, a, _, _)| *c == command && *a == argument)
        .or_else(|| {
            HELP.iter()
                .find(|(c, a, _, _)| *c == "*" && *a == argument && !argument.is_empty())
        })?;
    Some(match lang {
        Vi => found.2,
        En => found.3,
    })
}

pub fn value_name(lang: Lang, argument: &str) -> Option<&'static str> {
    let (_, vi, en) = VALUE_NAMES.iter().find(|(a, _, _)| *a == argument)?;
    Some(match lang {
        Vi => vi,
        En => en,
    })
}

/// Clap's own headings and words, which its templates do not translate.
pub fn heading(lang: Lang, which: Heading) -> &'static str {
    match (which, lang) {
        (Heading::Usage, Vi) => "Cách dùng:",
        (Heading::Usage, En) => "Usage:",
        (Heading::Options, Vi) => "Tùy chọn",
        (Heading::Options, En) => "Options",
        (Heading::Arguments, Vi) => "Tham số",
        (Heading::Arguments, En) => "Arguments",
        (Heading::Commands, Vi) => "Lệnh",
        (Heading::Commands, En) => "Commands",
        (Heading::Command, Vi) => "LỆNH",
        (Heading::Command, En) => "COMMAND",
        (Heading::OptionsWord, Vi) => "[TÙY_CHỌN]",
        (Heading::OptionsWord, En) => "[OPTIONS]",
        (Heading::More, Vi) => "Xem thêm:",
        (Heading::More, En) => "For more information, try",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heading {
    Usage,
    Options,
    Arguments,
    Commands,
    Command,
    OptionsWord,
    More,
}

/// A command-line mistake, as clap classifies it.
#[derive(Clone, Debug)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum Usage {
    UnknownArgument {
        arg: String,
        suggestion: Option<String>,
    },
    UnknownCommand {
        name: String,
        suggestion: Option<String>,
    },
    Missing {
        what: String,
    },
    /// An option given without its value (`--lang` at the end).
    NoValue {
        arg: String,
    },
    BadValue {
        value: String,
        arg: String,
        reason: Option<String>,
    },
    Other {
        arg: Option<String>,
    },
}

impl Localized for Usage {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suggest = |f: &mut fmt::Formatter<'_>, s: &Option<String>| match (s, lang) {
            (None, _) => Ok(()),
            (Some(s), Vi) => write!(f, "; có phải là `{s}`?"),
            (Some(s), En) => write!(f, "; did you mean `{s}`?"),
        };
        match self {
            Usage::UnknownArgument { arg, suggestion } => {
                match lang {
                    Vi => write!(f, "lỗi: không có tùy chọn `{arg}`")?,
                    En => write!(f, "error: unexpected argument `{arg}`")?,
                }
                suggest(f, suggestion)
            }
            Usage::UnknownCommand { name, suggestion } => {
                match lang {
                    Vi => write!(f, "lỗi: không có lệnh `{name}`")?,
                    En => write!(f, "error: unrecognized command `{name}`")?,
                }
                suggest(f, suggestion)
            }
            Usage::Missing { what } => match lang {
                Vi => write!(f, "lỗi: thiếu tham số bắt buộc `{what}`"),
                En => write!(f, "error: a required argument is missing: `{what}`"),
            },
            Usage::NoValue { arg } => match lang {
                Vi => write!(f, "lỗi: `{arg}` cần một giá trị"),
                En => write!(f, "error: `{arg}` needs a value"),
            },
            Usage::BadValue { value, arg, reason } => {
                match lang {
                    Vi => write!(f, "lỗi: giá trị `{value}` không dùng được cho `{arg}`")?,
                    En => write!(f, "error: invalid value `{value}` for `{arg}`")?,
                }
                match reason {
                    Some(r) => write!(f, ": {r}"),
                    None => Ok(()),
                }
            }
            Usage::Other { arg } => match (arg, lang) {
                (Some(a), Vi) => write!(f, "lỗi: dùng `{a}` không đúng cách"),
                (Some(a), En) => write!(f, "error: `{a}` is not used that way"),
                (None, Vi) => f.write_str("lỗi: cách gọi lệnh không đúng"),
                (None, En) => f.write_str("error: the command is not called that way"),
            },
        }
    }
}

display_in_current_language!(Usage);

impl Localized for crate::references::Report {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.missing.is_empty() {
            let n = self.missing.len();
            match lang {
                Vi => {
                    writeln!(
                        f,
                        "cảnh báo: {n} số ký hiệu được dẫn chiếu chưa có trong lưu trữ"
                    )?;
                    writeln!(
                        f,
                        "  = gợi ý: thêm văn bản đó vào content/, hoặc kiểm tra số ký hiệu và ngày trong câu dẫn chiếu"
                    )?;
                }
                En => {
                    writeln!(f, "warning: {n} cited number(s) match no archived document")?;
                    writeln!(
                        f,
                        "  = help: add the document to content/, or check the number and date in the citing text"
                    )?;
                }
            }
            for m in &self.missing {
                match lang {
                    Vi => writeln!(f, "  {} — được dẫn chiếu {} lần", m.number, m.places.len())?,
                    En => writeln!(f, "  {} — cited {} time(s)", m.number, m.places.len())?,
                }
                for p in &m.places {
                    writeln!(f, "      {}:{}  {}", p.path.display(), p.line, p.text)?;
                }
            }
        }
        if !self.ambiguous.is_empty() {
            let n = self.ambiguous.len();
            match lang {
                Vi => {
                    writeln!(
                        f,
                        "cảnh báo: {n} dẫn chiếu có thể trỏ tới nhiều văn bản trong lưu trữ nên chưa gắn liên kết"
                    )?;
                    writeln!(
                        f,
                        "  = gợi ý: thêm ngày (\", ngày dd/mm/yyyy\") vào câu dẫn chiếu"
                    )?;
                }
                En => {
                    writeln!(
                        f,
                        "warning: {n} citation(s) could name several archived documents and were not linked"
                    )?;
                    writeln!(
                        f,
                        "  = help: add the date (\", ngày dd/mm/yyyy\") to the citation"
                    )?;
                }
            }
            for a in &self.ambiguous {
                writeln!(
                    f,
                    "  {}:{}  {}",
                    a.place.path.display(),
                    a.place.line,
                    a.place.text
                )?;
                for c in &a.candidates {
                    match lang {
                        Vi => writeln!(f, "      có thể là: {}", c.display())?,
                        En => writeln!(f, "      candidate: {}", c.display())?,
                    }
                }
            }
        }
        Ok(())
    }
}

display_in_current_language!(crate::references::Report);

/// English nouns take an s past one (Vietnamese nouns do not change).
fn plural(n: usize, noun: &'static str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}
