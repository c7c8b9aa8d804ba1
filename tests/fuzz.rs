//! Fuzzing "front matter + Markdown → page" with proptest: nothing may panic,
//! and no input may get a script into the page.
//!
//! CI runs a few hundred cases. To fuzz for minutes:
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz`
//! (cargo-fuzz needs a nightly toolchain, which this project does not assume).

use std::path::Path;
use std::sync::Mutex;

use ketluan::calendar::Date;
use ketluan::diagnostic::SourceFile;
use ketluan::fuzzing::{Archive, SiteConfig, Slug, Theme, parse_document};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const FIELDS: &[&str] = &[
    "title = \"Kết luận <script>alert(1)</script>\"",
    "title = \"Kết luận \\\"số\\\" 1\"",
    "title = 5",
    "date = 2023-04-26",
    "date = 2023-02-30",
    "date = 2023-04-26T10:00:00",
    "date = \"2023-04-26\"",
    "body = \"Ban Thường vụ Thị uỷ\"",
    "body = \"\"",
    "body = \"</script><img src=x onerror=alert(1)>\"",
    "number = \"45-KL/TU\"",
    "number = \"\u{200b}\"",
    "session = 11",
    "session = -1",
    "session = 99999999999",
    "term = \"XXIII\"",
    "recipients = [\"Lưu VT\", 3]",
    "recipients = [\"javascript:alert(1)\"]",
    "tags = [\"ngân sách\", \"Ngân Sách\", \"!!!\"]",
    "quarter = \"2023-Q5\"",
    "quarter = \"2023-Q1\"",
    "slug = \"../../x\"",
    "slug = \"a\"",
    "draft = true",
    "summary = \"'\\\"<>&\"",
    "nuber = 1",
    "[table]",
    "x = [",
    "= =",
];

/// Fields that keep a document valid (each at most once would be needed
/// for TOML; duplicates are part of the fuzzing too).
const VALID_EXTRAS: &[&str] = &[
    "number = \"45-KL/TU\"",
    "session = 11",
    "term = \"XXIII\"",
    "signer = \"<b>Văn</b>\"",
    "signer_title = \"Phó Bí thư\"",
    "recipients = [\"javascript:alert(1)\", \"</script>\"]",
    "tags = [\"ngân sách\", \"Ngân Sách\", \"!!!\"]",
    "quarter = \"2023-Q1\"",
    "summary = \"'\\\"<>&</script>\"",
    "slug = \"a\"",
];

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "###### ",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "](",
    "<",
    ">",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "data:text/html,",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe>",
    "| a | b |\n|---|---|\n",
    "[^1]",
    "[^1]: x\n",
    "{#id}",
    "{#../x}",
    "> ",
    "- ",
    "1. ",
    "\n",
    "\n\n",
    "\r\n",
    "+++",
    "---\n",
    "ngân sách",
    "Thị uỷ",
    "e\u{0302}\u{0301}",
    "\u{200b}",
    "\u{feff}",
    "&amp;",
    "&#x3C;script>",
    "\\",
    "\"",
    "'",
    "🙂",
    "\u{0}",
];

fn pieces(set: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(set), 0..max).prop_map(|v| v.concat())
}

fn document() -> impl Strategy<Value = String> {
    let random =
        prop::collection::vec(prop::sample::select(FIELDS), 0..12).prop_map(|v| v.join("\n"));
    // Mostly valid front matter, so most cases reach rendering.
    let valid = prop::collection::vec(prop::sample::select(VALID_EXTRAS), 0..6).prop_map(|v| {
        format!(
            "title = \"K <b>&</b>\"\ndate = 2023-04-26\nbody = \"B\"\n{}",
            v.join("\n")
        )
    });
    let fm = prop_oneof![4 => valid, 1 => random];
    let md = prop_oneof![pieces(MARKDOWN, 120), any::<String>()];
    let opening = prop_oneof![8 => Just("+++\n"), 1 => Just("+++\r\n"), 1 => Just("\u{feff}+++\n"), 1 => Just(""), 1 => Just("++\n")];
    let closing = prop_oneof![8 => Just("\n+++\n"), 1 => Just("\n+++"), 1 => Just("\n"), 1 => Just("\n+++ \n")];
    (opening, fm, closing, md).prop_map(|(o, f, c, m)| format!("{o}{f}{c}{m}"))
}

/// The built-in theme and a config, loaded once.
fn fixtures() -> &'static (Theme, SiteConfig) {
    static ONCE: std::sync::OnceLock<(Theme, SiteConfig)> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let empty = tempfile::tempdir().unwrap();
        let (theme, _) = Theme::load(empty.path()).unwrap();
        let text = "title = \"T\"\nbase_url = \"https://example.org/a/\"\n";
        let config = SiteConfig::parse(&SourceFile {
            path: Path::new("site.toml"),
            text,
        })
        .unwrap();
        (theme, config)
    })
}

proptest! {
    #[test]
    fn any_document_loads_or_fails_cleanly_and_renders_safely(text in document()) {
        let file = SourceFile { path: Path::new("content/f.md"), text: &text };
        let (doc, diagnostics) = parse_document(&file, Slug::from_text("f"), Date::new(2026, 1, 1).unwrap());
        for d in &diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1);
            let _ = d.to_string();
        }
        let Some(doc) = doc else { return Ok(()) };
        let (theme, config) = fixtures();
        let pages = Mutex::new(Vec::new());
        let sink = |path: &str, bytes: &[u8]| {
            pages.lock().unwrap().push((path.to_string(), String::from_utf8_lossy(bytes).into_owned()));
            Ok(())
        };
        ketluan::fuzzing::render_site(config, &Archive::new(vec![doc]), theme, &sink).expect("render");
        for (path, html) in pages.into_inner().unwrap() {
            if !path.ends_with(".html") { continue; }
            let lower = html.to_lowercase();
            let scripts = lower.matches("<script").count();
            let json_ld = lower.matches("<script type=\"application/ld+json\">").count();
            // The search page's own module, from the theme, is the one script allowed.
            let search = usize::from(path == "tim-kiem/index.html" && lower.contains("<script type=\"module\" src=\"../static/search/page.js?v="));
            prop_assert_eq!(scripts, json_ld + search, "a script got into {}", path);
            prop_assert!(!lower.contains("href=\"javascript:") && !lower.contains("src=\"javascript:"), "{}", path);
            prop_assert!(!lower.contains("<img src=x"), "{}", path);
            prop_assert!(!lower.contains("<iframe"), "{}", path);
        }
    }

    #[test]
    fn markdown_never_panics(md in any::<String>(), allow in any::<bool>()) {
        let _ = ketluan::fuzzing::render_markdown(&md, allow);
        let _ = ketluan::fuzzing::plain_text(&md);
    }
}

#[test]
fn the_generator_reaches_rendering() {
    // Guards the fuzz test against a generator that only makes invalid files.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut valid = 0;
    for _ in 0..200 {
        let text = document().new_tree(&mut runner).unwrap().current();
        let file = SourceFile {
            path: Path::new("content/f.md"),
            text: &text,
        };
        valid += usize::from(
            parse_document(&file, Slug::from_text("f"), Date::new(2026, 1, 1).unwrap())
                .0
                .is_some(),
        );
    }
    assert!(
        valid >= 40,
        "only {valid} of 200 generated documents are valid"
    );
}
