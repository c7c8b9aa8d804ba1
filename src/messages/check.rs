//! The catalogue's test: every kind of every message enum, with sample
//! arguments, rendered in both languages; the Vietnamese text may not hold
//! English words and the English text no Vietnamese letters, outside what
//! is quoted (file content, field names in backticks, commands, paths).
//!
//! "Every kind" is the compiler's business: each `sample` matches the
//! enum's variant list (strum's discriminants) exhaustively, so a new
//! variant does not compile until it has a sample here.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use strum::IntoEnumIterator;

use super::cli::{Line, LineDiscriminants, Usage, UsageDiscriminants};
use super::problems::{Expected, Found, Help, Problem, ProblemDiscriminants, Table, TemplateFault};
use super::serve::Overlay;
use super::{IoCause, Lang, Localized};
use crate::build::{BuildError, BuildErrorDiscriminants, Step, StepDiscriminants};
use crate::calendar::{DateError, DateErrorDiscriminants, Quarter};
use crate::config::{BaseUrlError, BaseUrlErrorDiscriminants};
use crate::content::{BodyError, BodyErrorDiscriminants};
use crate::diagnostic::{Diagnostic, Severity};
use crate::import::{
    Field, FileReport, Findings, ImportError, ImportErrorDiscriminants, Message,
    MessageDiscriminants, Status,
};
use crate::output::{OutputError, OutputErrorDiscriminants};
use crate::progress::Stage;
use crate::references::report::{AmbiguousCitation, MissingNumber, Place, Report};
use crate::render::{RenderError, RenderErrorDiscriminants};
use crate::scaffold::{InitError, InitErrorDiscriminants, NewError, NewErrorDiscriminants};
use crate::search::{SearchError, SearchErrorDiscriminants};
use crate::serve::{ServeError, ServeErrorDiscriminants};
use crate::slug::{Slug, SlugError, SlugErrorDiscriminants};
use crate::theme::{ThemeError, ThemeErrorDiscriminants};

/// English words that have no business in a Vietnamese sentence (none of
/// them is also a Vietnamese syllable written without marks).
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "are",
    "was",
    "were",
    "cannot",
    "can't",
    "file",
    "files",
    "not",
    "must",
    "error",
    "errors",
    "warning",
    "warnings",
    "field",
    "fields",
    "found",
    "missing",
    "run",
    "build",
    "built",
    "help",
    "with",
    "should",
    "folder",
    "document",
    "documents",
    "does",
    "has",
    "have",
    "this",
    "that",
    "there",
    "which",
    "would",
    "from",
    "into",
    "your",
    "you",
    "and",
    "or",
    "of",
    "for",
    "invalid",
    "unknown",
    "please",
    "check",
    "write",
    "read",
    "line",
    "expected",
    "number",
    "date",
    "title",
    "text",
    "list",
    "refused",
    "changed",
    "created",
    "serving",
    "stopped",
    "press",
    "next",
    "results",
    "did",
    "mean",
    "try",
];

/// The text with what is quoted removed: `backticks`, "quotes", “quotes”,
/// and the tokens that are paths, flags or placeholders (`content/a.md`,
/// `--root`, `<DIR>`, `site.toml`).
fn outside_quotes(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '`' => closing = Some('`'),
                '"' => closing = Some('"'),
                '“' => closing = Some('”'),
                _ => out.push(c),
            },
        }
    }
    out.split_whitespace()
        .filter(|t| !t.contains(['/', '.', '-', '_', '<', '>', '=', '{', '}', '[', ']', '\\']))
        .collect::<Vec<_>>()
        .join(" ")
}

fn english_words(text: &str) -> Vec<String> {
    outside_quotes(text)
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(str::to_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

fn vietnamese_letters(text: &str) -> String {
    outside_quotes(text)
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .collect()
}

/// Renders `value` in both languages and checks each.
fn assert_both(value: &dyn Localized, what: &str, failures: &mut Vec<String>) {
    let vi = value.text(Lang::Vi);
    let en = value.text(Lang::En);
    let words = english_words(&vi);
    if !words.is_empty() {
        failures.push(format!("{what}: English words {words:?} in «{vi}»"));
    }
    let letters = vietnamese_letters(&en);
    if !letters.is_empty() {
        failures.push(format!("{what}: Vietnamese letters {letters:?} in «{en}»"));
    }
    if vi.trim().is_empty() || en.trim().is_empty() {
        failures.push(format!("{what}: an empty text"));
    }
}

fn io_error() -> io::Error {
    io::Error::from(io::ErrorKind::NotFound)
}

fn json_error() -> serde_json::Error {
    serde_json::from_str::<u8>("x").unwrap_err()
}

fn path() -> PathBuf {
    PathBuf::from("content/2023/a.md")
}

fn problem(kind: ProblemDiscriminants) -> Problem {
    use ProblemDiscriminants as K;
    match kind {
        K::TomlSyntax => Problem::TomlSyntax {
            detail: "invalid basic string".into(),
        },
        K::ImpossibleDate => Problem::ImpossibleDate(date_error(DateErrorDiscriminants::NoSuchDay)),
        K::BadDateTime => Problem::BadDateTime {
            token: "2023-4-1".into(),
        },
        K::NotADay => Problem::NotADay {
            raw: "2023-04-26T10:00:00".into(),
        },
        K::UnknownField => Problem::UnknownField {
            name: "nuber".into(),
            table: Table::FrontMatter,
            suggestion: Some("number"),
            known: crate::content::FIELDS,
        },
        K::WrongType => Problem::WrongType {
            key: "session".into(),
            expected: Expected::WholeNumberLike(11),
            found: Found::Text("một".into()),
        },
        K::MissingField => Problem::MissingField {
            key: "body".into(),
            example: "body = \"Ban Chấp hành Đảng bộ thị xã …\"",
        },
        K::NoContentFolder => Problem::NoContentFolder,
        K::NotADocument => Problem::NotADocument,
        K::CannotRead => Problem::CannotRead {
            cause: IoCause::from(&io_error()),
        },
        K::NotUtf8 => Problem::NotUtf8 { offset: 14 },
        K::EmptyFile => Problem::EmptyFile,
        K::NoFrontMatter => Problem::NoFrontMatter,
        K::UnclosedFrontMatter => Problem::UnclosedFrontMatter,
        K::EmptyTitle => Problem::EmptyTitle,
        K::SessionNotPositive => Problem::SessionNotPositive { n: 0 },
        K::BadQuarter => Problem::BadQuarter("2023-Q5".parse::<Quarter>().unwrap_err()),
        K::BadSlug => Problem::BadSlug {
            raw: "kết luận".into(),
            error: slug_error(SlugErrorDiscriminants::NotCanonical),
        },
        K::NoUsableSlug => Problem::NoUsableSlug,
        K::NoText => Problem::NoText,
        K::OddNumber => Problem::OddNumber {
            number: "KL số một".into(),
        },
        K::LookalikeLetters => Problem::LookalikeLetters {
            raw: "45-КL/ТU".into(),
            letters: "КТ".into(),
            latin: "45-KL/TU".into(),
        },
        K::FutureDate => Problem::FutureDate {
            date: "2999-01-01".into(),
        },
        K::DuplicateSlug => Problem::DuplicateSlug {
            slug: Slug::from_text("ket-luan-1").unwrap(),
            other: path(),
        },
        K::DuplicateNumber => Problem::DuplicateNumber {
            number: "12-KL/HU".into(),
            issuer: "Ban Thường vụ Huyện ủy".into(),
            other: path(),
        },
        K::CannotReadConfig => Problem::CannotReadConfig {
            cause: IoCause::from(&io::Error::from(io::ErrorKind::PermissionDenied)),
        },
        K::BadBaseUrl => Problem::BadBaseUrl(base_url_error(BaseUrlErrorDiscriminants::NoScheme)),
        K::OutputIsSite => Problem::OutputIsSite,
        K::NotPositive => Problem::NotPositive {
            key: "page_size".into(),
            n: 0,
        },
        K::LinkOutside => Problem::LinkOutside {
            target: PathBuf::from("/home/vp/secret.md"),
        },
        K::BrokenLink => Problem::BrokenLink,
        K::LinkLoop => Problem::LinkLoop,
        K::Template => Problem::Template {
            name: "document.html".into(),
            fault: TemplateFault::Syntax,
            detail: "unexpected `}`".into(),
        },
    }
}

fn date_error(kind: DateErrorDiscriminants) -> DateError {
    match kind {
        DateErrorDiscriminants::NoSuchMonth => DateError::NoSuchMonth { month: 13 },
        DateErrorDiscriminants::NoSuchDay => DateError::NoSuchDay {
            year: 2023,
            month: 2,
            day: 30,
            last: 28,
        },
    }
}

fn slug_error(kind: SlugErrorDiscriminants) -> SlugError {
    match kind {
        SlugErrorDiscriminants::NotCanonical => SlugError::NotCanonical {
            canonical: Slug::from_text("ket-luan").unwrap(),
        },
        SlugErrorDiscriminants::Empty => SlugError::Empty,
    }
}

fn base_url_error(kind: BaseUrlErrorDiscriminants) -> BaseUrlError {
    match kind {
        BaseUrlErrorDiscriminants::NoScheme => BaseUrlError::NoScheme("example.org".into()),
        BaseUrlErrorDiscriminants::NotAnAddress => BaseUrlError::NotAnAddress("https://".into()),
    }
}

fn body_error(kind: BodyErrorDiscriminants) -> BodyError {
    match kind {
        BodyErrorDiscriminants::Read => BodyError::Read(io_error()),
        BodyErrorDiscriminants::NotUtf8 => BodyError::NotUtf8(Box::new(Diagnostic::file(
            &path(),
            Problem::NotUtf8 { offset: 3 },
        ))),
        BodyErrorDiscriminants::Shortened => BodyError::Shortened(path()),
        BodyErrorDiscriminants::Changed => BodyError::Changed(path()),
    }
}

fn output_error(kind: OutputErrorDiscriminants) -> OutputError {
    match kind {
        OutputErrorDiscriminants::NoParent => OutputError::NoParent,
        OutputErrorDiscriminants::NoName => OutputError::NoName,
        OutputErrorDiscriminants::NotAFolder => OutputError::NotAFolder(PathBuf::from("public")),
        OutputErrorDiscriminants::Outside => OutputError::Outside("../x".into()),
        OutputErrorDiscriminants::Walk => {
            let missing = walkdir::WalkDir::new("/nonexistent/ketluan-sample")
                .into_iter()
                .next();
            OutputError::Walk(missing.unwrap().unwrap_err())
        }
        OutputErrorDiscriminants::Io => OutputError::Io(io_error()),
    }
}

fn step(kind: StepDiscriminants) -> Step {
    match kind {
        StepDiscriminants::PrepareOutput => Step::PrepareOutput(PathBuf::from("public")),
        StepDiscriminants::PlaceSite => Step::PlaceSite(PathBuf::from("public")),
        StepDiscriminants::UpdateOutput => Step::UpdateOutput(PathBuf::from("public")),
        StepDiscriminants::WriteIndex => Step::WriteIndex,
        StepDiscriminants::WriteFile => Step::WriteFile("ket-luan/a/index.html".into()),
    }
}

fn theme_error(kind: ThemeErrorDiscriminants) -> ThemeError {
    match kind {
        ThemeErrorDiscriminants::NotUtf8 => ThemeError::NotUtf8(PathBuf::from("templates/a.html")),
        ThemeErrorDiscriminants::Io => ThemeError::Io(io_error()),
    }
}

fn render_error(kind: RenderErrorDiscriminants) -> RenderError {
    let path = "content/a.md".to_string();
    match kind {
        RenderErrorDiscriminants::Template => RenderError::Template(vec![]),
        RenderErrorDiscriminants::Read => RenderError::Read {
            path,
            source: body_error(BodyErrorDiscriminants::Changed),
        },
        RenderErrorDiscriminants::Write => RenderError::Write {
            path,
            source: output_error(OutputErrorDiscriminants::Outside),
        },
        RenderErrorDiscriminants::Original => RenderError::Original {
            path,
            source: io_error(),
        },
        RenderErrorDiscriminants::Key => RenderError::Key {
            path,
            source: json_error(),
        },
    }
}

fn search_error(kind: SearchErrorDiscriminants) -> Vec<SearchError> {
    use ketluan_search::writer::WriteError;
    match kind {
        SearchErrorDiscriminants::Read => vec![SearchError::Read {
            path: "content/a.md".into(),
            source: body_error(BodyErrorDiscriminants::Read),
        }],
        SearchErrorDiscriminants::Write => vec![
            SearchError::Write(WriteError::Segments(2)),
            SearchError::Write(WriteError::DamagedBatch(PathBuf::from(".cache/b"))),
            SearchError::Write(WriteError::Io(io_error())),
            SearchError::Write(WriteError::Json(json_error())),
        ],
        SearchErrorDiscriminants::Cache => vec![SearchError::Cache(io_error())],
        SearchErrorDiscriminants::Key => vec![SearchError::Key(json_error())],
        SearchErrorDiscriminants::Missing => vec![SearchError::Missing("public".into())],
        SearchErrorDiscriminants::Config => vec![SearchError::Config(vec![Diagnostic::file(
            &PathBuf::from("site.toml"),
            Problem::EmptyFile,
        )])],
        SearchErrorDiscriminants::Query => vec![
            SearchError::Query(ketluan_search::FolderError::Missing(PathBuf::from(
                "public",
            ))),
            SearchError::Query(ketluan_search::FolderError::Endless(PathBuf::from(
                "public",
            ))),
            SearchError::Query(ketluan_search::FolderError::Read {
                path: PathBuf::from("public/search/manifest.json"),
                source: io_error(),
            }),
        ],
    }
}

fn build_error(kind: BuildErrorDiscriminants) -> Vec<BuildError> {
    let path = "content/a.md".to_string();
    match kind {
        BuildErrorDiscriminants::Invalid => vec![BuildError::Invalid(vec![])],
        BuildErrorDiscriminants::Io => StepDiscriminants::iter()
            .map(|k| BuildError::Io {
                step: step(k),
                source: io::Error::from(io::ErrorKind::StorageFull),
            })
            .collect(),
        BuildErrorDiscriminants::Output => OutputErrorDiscriminants::iter()
            .map(|k| BuildError::Output {
                step: step(StepDiscriminants::WriteIndex),
                source: output_error(k),
            })
            .collect(),
        BuildErrorDiscriminants::Theme => ThemeErrorDiscriminants::iter()
            .map(|k| BuildError::Theme(theme_error(k)))
            .collect(),
        BuildErrorDiscriminants::Search => SearchErrorDiscriminants::iter()
            .flat_map(search_error)
            .map(BuildError::Search)
            .collect(),
        BuildErrorDiscriminants::Reread => BodyErrorDiscriminants::iter()
            .map(|k| BuildError::Reread {
                path: path.clone(),
                source: body_error(k),
            })
            .collect(),
        BuildErrorDiscriminants::Original => vec![BuildError::Original {
            path,
            source: io_error(),
        }],
        BuildErrorDiscriminants::Key => vec![BuildError::Key {
            path,
            source: json_error(),
        }],
        BuildErrorDiscriminants::DangerousOutput => {
            vec![BuildError::DangerousOutput(PathBuf::from("/srv/site"))]
        }
    }
}

fn serve_error(kind: ServeErrorDiscriminants) -> Vec<ServeError> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 1111));
    match kind {
        ServeErrorDiscriminants::NoSite => vec![ServeError::NoSite {
            root: PathBuf::from("."),
            file: "site.toml",
        }],
        ServeErrorDiscriminants::Bind => vec![
            ServeError::Bind {
                addr,
                source: io::Error::from(io::ErrorKind::AddrInUse),
            },
            ServeError::Bind {
                addr,
                source: io::Error::from(io::ErrorKind::PermissionDenied),
            },
        ],
        ServeErrorDiscriminants::TempDir => vec![ServeError::TempDir(io_error())],
        ServeErrorDiscriminants::Watch => {
            vec![ServeError::Watch(notify::Error::generic("inotify limit"))]
        }
        ServeErrorDiscriminants::Signal => {
            vec![ServeError::Signal(ctrlc::Error::MultipleHandlers)]
        }
        ServeErrorDiscriminants::Thread => vec![ServeError::Thread(io_error())],
    }
}

fn new_error(kind: NewErrorDiscriminants) -> NewError {
    match kind {
        NewErrorDiscriminants::NoLetters => NewError::NoLetters,
        NewErrorDiscriminants::Io => NewError::Io(io_error()),
    }
}

fn init_error(kind: InitErrorDiscriminants) -> InitError {
    match kind {
        InitErrorDiscriminants::Exists => InitError::Exists("luu-tru".into()),
        InitErrorDiscriminants::Write => InitError::Write {
            path: "luu-tru/site.toml".into(),
            source: io_error(),
        },
    }
}

fn import_error(kind: ImportErrorDiscriminants) -> ImportError {
    match kind {
        ImportErrorDiscriminants::NotAnArchive => ImportError::NotAnArchive("luu-tru".into()),
    }
}

fn message(kind: MessageDiscriminants) -> Message {
    use MessageDiscriminants as K;
    let reason = || "unexpected end of file".to_string();
    match kind {
        K::Marked => Message::Marked {
            marking: "MẬT".into(),
        },
        K::Unreadable => Message::Unreadable {
            cause: IoCause::from(&io_error()),
        },
        K::TooLarge => Message::TooLarge { limit_mb: 50 },
        K::UnknownFormat => Message::UnknownFormat {
            extension: "odt".into(),
        },
        K::BrokenZip => Message::BrokenZip { reason: reason() },
        K::UnsafeEntry => Message::UnsafeEntry {
            entry: "../x".into(),
        },
        K::TooManyEntries => Message::TooManyEntries {
            count: 20_000,
            limit: 10_000,
        },
        K::ZipBomb => Message::ZipBomb {
            entry: "word/document.xml".into(),
            limit_mb: 200,
        },
        K::MissingPart => Message::MissingPart {
            part: "word/document.xml".into(),
        },
        K::XmlEntity => Message::XmlEntity {
            part: "word/document.xml".into(),
        },
        K::BadXml => Message::BadXml {
            part: "word/document.xml".into(),
            reason: reason(),
        },
        K::NeedsLibreOffice => Message::NeedsLibreOffice,
        K::NeedsPoppler => Message::NeedsPoppler,
        K::NeedsOcr => Message::NeedsOcr,
        K::ConversionFailed => Message::ConversionFailed {
            tool: "soffice".into(),
            reason: reason(),
        },
        K::MissingRequired => Message::MissingRequired { field: Field::Date },
        K::Invalid => Message::Invalid {
            problem: Some(problem(ProblemDiscriminants::EmptyTitle)),
        },
        K::WriteFailed => Message::WriteFailed {
            path: "content/2023/a.md".into(),
            cause: IoCause::from(&io::Error::from(io::ErrorKind::StorageFull)),
        },
        K::JoinedParagraphs => Message::JoinedParagraphs {
            before: "chi đầu tư phát".into(),
            after: "triển ước đạt".into(),
        },
        K::JoinedLines => Message::JoinedLines {
            before: "tăng".into(),
            after: "cường".into(),
        },
        K::LegacyFont => Message::LegacyFont {
            encoding: "TCVN3",
            font: "VnTime".into(),
            count: 3,
        },
        K::DateFromOpening => Message::DateFromOpening,
        K::PlaceFromText => Message::PlaceFromText {
            place: "Thuận Thành".into(),
        },
        K::OddNumber => Message::OddNumber {
            number: "KL một".into(),
        },
        K::ShortSigner => Message::ShortSigner,
        K::Draft => Message::Draft,
        K::TitleBuilt => Message::TitleBuilt,
    }
}

fn line(kind: LineDiscriminants) -> Line {
    use LineDiscriminants as K;
    let elapsed = Duration::from_millis(1234);
    match kind {
        // The error inside is rendered in the same language as the line.
        K::Error => Line::Error("x".into()),
        K::Built => Line::Built {
            documents: 1000,
            files: 1750,
            elapsed,
            output: PathBuf::from("public"),
        },
        K::Checked => Line::Checked {
            documents: 1000,
            files: 1750,
            elapsed,
        },
        K::Invalid => Line::Invalid {
            errors: 3,
            files: 2,
        },
        K::OutputUnchanged => Line::OutputUnchanged,
        K::Created => Line::Created(path()),
        K::NextSteps => Line::NextSteps(PathBuf::from("luu-tru")),
        K::DidYouMean => Line::DidYouMean("ngan sach".into()),
        K::Results => Line::Results(12),
        K::Try => Line::Try("ngan sach".into()),
        K::LimitZero => Line::LimitZero,
        K::NotAWholeNumber => Line::NotAWholeNumber("x".into()),
        K::NotAnAddress => Line::NotAnAddress("x".into()),
        K::Serving => Line::Serving {
            url: "http://127.0.0.1:1111/".into(),
            folder: PathBuf::from("/dev/shm/ketluan-1"),
        },
        K::PressCtrlC => Line::PressCtrlC,
        K::Stopped => Line::Stopped {
            folder: "/dev/shm/ketluan-1".into(),
        },
        K::NotRemoved => Line::NotRemoved {
            folder: "/dev/shm/ketluan-1".into(),
            reason: "x".into(),
        },
        K::ExposedPreview => Line::ExposedPreview {
            ip: "0.0.0.0".into(),
        },
        K::OneChanged => Line::OneChanged(path()),
        K::ManyChanged => Line::ManyChanged(3),
        K::Rebuilt => Line::Rebuilt {
            documents: 1000,
            files: 1750,
            elapsed,
        },
        K::StillServing => Line::StillServing { errors: 2 },
        K::StillServingLastGood => Line::StillServingLastGood,
        K::NoBrowser => Line::NoBrowser {
            program: "xdg-open".into(),
            url: "http://127.0.0.1:1111/".into(),
        },
        K::WatchFailed => Line::WatchFailed {
            reason: "queue overflow".into(),
        },
        K::CannotWatch => Line::CannotWatch {
            path: PathBuf::from("content/2024"),
            reason: "no space".into(),
        },
        K::References => Line::References {
            missing: 2,
            ambiguous: 1,
        },
    }
}

fn usage(kind: UsageDiscriminants) -> Usage {
    match kind {
        UsageDiscriminants::UnknownArgument => Usage::UnknownArgument {
            arg: "--nope".into(),
            suggestion: Some("--root".into()),
        },
        UsageDiscriminants::UnknownCommand => Usage::UnknownCommand {
            name: "buidl".into(),
            suggestion: Some("build".into()),
        },
        UsageDiscriminants::Missing => Usage::Missing {
            what: "<QUERY>".into(),
        },
        UsageDiscriminants::NoValue => Usage::NoValue {
            arg: "--lang <vi|en>".into(),
        },
        UsageDiscriminants::BadValue => Usage::BadValue {
            value: "0".into(),
            arg: "--limit <N>".into(),
            reason: None,
        },
        UsageDiscriminants::Other => Usage::Other {
            arg: Some("--json".into()),
        },
    }
}

#[test]
fn every_message_reads_in_one_language_at_a_time() {
    let mut failures = Vec::new();
    let mut check = |value: &dyn Localized, what: String| assert_both(value, &what, &mut failures);
    for kind in ProblemDiscriminants::iter() {
        let p = problem(kind);
        check(&p, format!("{kind:?}"));
        if !Help(&p).text(Lang::Vi).is_empty() {
            check(&Help(&p), format!("{kind:?} (help)"));
        }
        for severity in [Severity::Error, Severity::Warning] {
            let mut d = Diagnostic::file(&path(), p.clone());
            d.severity = severity;
            check(&d, format!("{kind:?} as {severity:?}"));
        }
    }
    for kind in MessageDiscriminants::iter() {
        check(&message(kind), format!("{kind:?}"));
    }
    for kind in LineDiscriminants::iter() {
        check(&line(kind), format!("{kind:?}"));
    }
    for kind in UsageDiscriminants::iter() {
        check(&usage(kind), format!("{kind:?}"));
    }
    for kind in BuildErrorDiscriminants::iter() {
        for e in build_error(kind) {
            check(&e, format!("{e:?}"));
        }
    }
    for kind in RenderErrorDiscriminants::iter() {
        check(&render_error(kind), format!("{kind:?}"));
    }
    for kind in ServeErrorDiscriminants::iter() {
        for e in serve_error(kind) {
            check(&e, format!("{e:?}"));
        }
    }
    for kind in NewErrorDiscriminants::iter() {
        check(&new_error(kind), format!("{kind:?}"));
    }
    for kind in InitErrorDiscriminants::iter() {
        check(&init_error(kind), format!("{kind:?}"));
    }
    for kind in ImportErrorDiscriminants::iter() {
        check(&import_error(kind), format!("{kind:?}"));
    }
    for kind in DateErrorDiscriminants::iter() {
        check(&date_error(kind), format!("{kind:?}"));
    }
    for kind in SlugErrorDiscriminants::iter() {
        check(&slug_error(kind), format!("{kind:?}"));
    }
    for kind in BaseUrlErrorDiscriminants::iter() {
        check(&base_url_error(kind), format!("{kind:?}"));
    }
    for overlay in [Overlay::NotRebuilt, Overlay::NeverBuilt] {
        check(&overlay, format!("{overlay:?}"));
    }
    for stage in [Stage::Reading, Stage::Indexing, Stage::Writing] {
        check(&stage, format!("{stage:?}"));
    }
    for field in Field::ALL {
        check(&field, format!("{field:?}"));
    }
    for report in file_reports() {
        check(&report, format!("{:?}", report.status));
    }
    check(&worklist(), "the references worklist".into());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_help_text_reads_in_one_language_at_a_time() {
    let mut failures = Vec::new();
    for (command, argument, vi, en) in super::cli::HELP {
        let what = format!("help of {command} {argument}");
        let words = english_words(vi);
        if !words.is_empty() {
            failures.push(format!("{what}: English words {words:?} in «{vi}»"));
        }
        let letters = vietnamese_letters(en);
        if !letters.is_empty() {
            failures.push(format!("{what}: Vietnamese letters {letters:?} in «{en}»"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checks_catch_a_mixed_line() {
    assert_eq!(
        english_words("lỗi (error): trường `nuber` is unknown"),
        ["error", "is", "unknown"]
    );
    assert!(english_words("chạy `ketluan build` trong content/2023/a.md").is_empty());
    assert_eq!(
        vietnamese_letters("cảnh báo (warning): \"số ký hiệu\""),
        "ảá"
    );
    assert!(vietnamese_letters("the text \"một\" and `số`").is_empty());
}

fn file_reports() -> Vec<FileReport> {
    let findings = Findings {
        found: vec![(Field::Number, "45-KL/TU".into())],
        unsure: vec![(Field::Date, Message::DateFromOpening)],
        missing: vec![Field::Signer, Field::Recipients],
        notes: vec![Message::TitleBuilt],
    };
    let statuses = [
        Status::Imported {
            markdown: path(),
            original: Some(PathBuf::from("content/2023/a.docx")),
            dry_run: false,
        },
        Status::Imported {
            markdown: path(),
            original: None,
            dry_run: true,
        },
        Status::Duplicate {
            existing: path(),
            by_number: true,
        },
        Status::Duplicate {
            existing: path(),
            by_number: false,
        },
        Status::Refused(Message::NeedsOcr),
    ];
    statuses
        .into_iter()
        .map(|status| FileReport {
            path: PathBuf::from("van-ban/a.docx"),
            status,
            findings: findings.clone(),
        })
        .collect()
}

fn worklist() -> Report {
    let place = Place {
        path: path(),
        line: 10,
        // The citation as written; ASCII here, as the English check cannot
        // tell a quoted document from the catalogue's own words.
        text: "Ke hoach so 56-KH/TU".into(),
    };
    Report {
        missing: vec![MissingNumber {
            number: "56-KH/TU".into(),
            places: vec![place.clone()],
        }],
        ambiguous: vec![AmbiguousCitation {
            place,
            candidates: vec![path()],
        }],
    }
}
