//! Bad input: every fault in `tests/fixtures/errors/<case>/` must fail the
//! build with exit code 1, print exactly the case's `expected.txt` (file,
//! line, column, the offending line, what to do), and leave the previous
//! site byte-for-byte as it was.

mod common;

use std::path::Path;

use common::*;

const GOOD: &str = "+++\ntitle = \"Kết luận tốt\"\ndate = 2023-04-26\nbody = \"Huyện ủy\"\nnumber = \"1-KL/HU\"\n+++\n\nVăn bản.\n";

/// A valid site with a built output folder; returns (site, output, snapshot).
fn built_site() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let site = site(CONFIG, &[("good.md", GOOD)]);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let snapshot = files(&out);
    (site, out, snapshot)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let snapshot = rel.to_string_lossy().starts_with("expected");
        if entry.file_type().is_file() && !snapshot {
            let dest = to.join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Runs `build` and `check` on a broken site: both must fail with exit code
/// 1, print the same messages, leave the previous site as it was and no
/// staging folder behind. Returns the messages, the site's path as `<site>`.
fn assert_fails_cleanly(
    site: &Path,
    out: &Path,
    snapshot: &std::collections::BTreeMap<String, Vec<u8>>,
    case: &str,
) -> String {
    assert_fails_cleanly_in(site, out, snapshot, case, &[])
}

/// As [`assert_fails_cleanly`], with `extra` arguments (`--lang en`).
fn assert_fails_cleanly_in(
    site: &Path,
    out: &Path,
    snapshot: &std::collections::BTreeMap<String, Vec<u8>>,
    case: &str,
    extra: &[&str],
) -> String {
    let mut outputs = Vec::new();
    for command in ["build", "check"] {
        let mut args = vec![command, "--root", site.to_str().unwrap()];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = ketluan(&args);
        assert_eq!(code, 1, "{case}: `{command}` should fail\n{stdout}{stderr}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        outputs.push(stderr.replace(site.to_str().unwrap(), "<site>"));
    }
    assert_eq!(outputs[0], outputs[1], "{case}: build and check differ");
    assert!(files(out) == *snapshot, "{case}: the previous site changed");
    let siblings: Vec<_> = std::fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !siblings
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "{case}: a staging folder was left behind: {siblings:?}"
    );
    outputs.swap_remove(0)
}

/// One test per folder of `tests/fixtures/errors/` and language, so that
/// one failing case does not hide the others: `expected.txt` is the
/// Vietnamese output (the default), `expected.en.txt` the English one.
macro_rules! fixtures {
    ($($test:ident: $folder:literal,)*) => {
        $(
            mod $test {
                #[test]
                fn vietnamese() {
                    super::fixture_fails_with_its_snapshot($folder, None);
                }

                #[test]
                fn english() {
                    super::fixture_fails_with_its_snapshot($folder, Some("en"));
                }
            }
        )*
        const FIXTURES: &[&str] = &[$($folder),*];
    };
}

fixtures! {
    bad_quarter: "bad-quarter",
    date_in_quotes: "date-in-quotes",
    duplicate_number: "duplicate-number",
    duplicate_slug: "duplicate-slug",
    empty_file: "empty-file",
    impossible_date: "impossible-date",
    missing_required: "missing-required",
    no_opening_delimiter: "no-opening-delimiter",
    several_files: "several-files",
    site_unknown_key: "site-unknown-key",
    slug_escaping: "slug-escaping",
    slug_not_url_safe: "slug-not-url-safe",
    slug_with_slash: "slug-with-slash",
    template_error: "template-error",
    template_runtime_error: "template-runtime-error",
    toml_syntax: "toml-syntax",
    unclosed_front_matter: "unclosed-front-matter",
    unknown_field: "unknown-field",
    wrong_type: "wrong-type",
}

fn fixture_fails_with_its_snapshot(folder: &str, lang: Option<&str>) {
    let case = repo().join("tests/fixtures/errors").join(folder);
    let (site, out, snapshot) = built_site();
    copy_tree(&case, site.path());
    let (extra, expected) = match lang {
        Some(lang) => (vec!["--lang", lang], format!("expected.{lang}.txt")),
        None => (vec![], "expected.txt".to_string()),
    };
    let messages = assert_fails_cleanly_in(site.path(), &out, &snapshot, folder, &extra);
    assert_snapshot(&case.join(expected), &messages);
}

#[test]
fn lang_en_in_the_environment_gives_english() {
    let case = repo().join("tests/fixtures/errors/unknown-field");
    let (site, _out, _snapshot) = built_site();
    copy_tree(&case, site.path());
    let out = quiet_locale(&mut std::process::Command::new(BIN))
        .args(["check", "--root", site.path().to_str().unwrap()])
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(site.path().to_str().unwrap(), "<site>");
    let want = std::fs::read_to_string(case.join("expected.en.txt")).unwrap();
    assert_eq!(stderr, want);
}

#[test]
fn every_fixture_folder_has_its_test() {
    let mut folders: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/errors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, FIXTURES, "add the new folder to fixtures! above");
}

#[test]
fn a_file_that_is_not_utf8_names_the_byte_offset() {
    let (site, out, snapshot) = built_site();
    let mut bytes = b"+++\ntitle = \"K".to_vec();
    bytes.extend([0xe1, 0xba]); // a truncated "ế"
    bytes.extend(b"t\"\n+++\n");
    std::fs::write(site.path().join("content/latin1.md"), bytes).unwrap();
    let expected = [
        "--> content/latin1.md:2:",
        "không phải chữ UTF-8",
        "vị trí 14",
        "lưu lại tệp theo bảng mã UTF-8",
    ];
    let messages = assert_fails_cleanly(site.path(), &out, &snapshot, "not-utf8");
    for line in expected {
        assert!(messages.contains(line), "lacks {line:?}:\n{messages}");
    }
}

#[test]
fn bom_and_crlf_files_simply_work() {
    let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
    let site = site(CONFIG, &[("a.md", &text)]);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let page = read(&out, "ket-luan/a/index.html");
    assert!(page.contains("<dt>Số ký hiệu</dt><dd>1-KL/HU</dd>"));
    assert!(!page.contains('\r') && !page.contains('\u{feff}'));
}

#[test]
fn odd_but_valid_documents_give_warnings_not_errors() {
    let empty_body = "+++\ntitle = \"Trống\"\ndate = 2023-04-26\nbody = \"Huyện ủy\"\n+++\n";
    let odd_number = GOOD.replace("1-KL/HU", "KL số một").replace("tốt", "lạ");
    let future = GOOD
        .replace("2023-04-26", "2999-01-01")
        .replace("1-KL/HU", "2-KL/HU");
    let site = site(
        CONFIG,
        &[
            ("empty.md", empty_body),
            ("odd.md", &odd_number),
            ("future.md", &future),
        ],
    );
    let (code, stdout, stderr) = ketluan(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for expected in [
        "cảnh báo: văn bản không có nội dung sau phần khai báo",
        "--> content/empty.md:",
        "\"KL số một\" không có dạng số ký hiệu",
        "--> content/odd.md:5:10",
        "ngày 2999-01-01 là một ngày trong tương lai",
        "--> content/future.md:3:8",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(
        site.path()
            .join("public/ket-luan/empty/index.html")
            .exists()
    );
}

#[test]
fn nfd_and_zero_width_text_renders_and_slugs_like_nfc() {
    let nfc = "+++\ntitle = \"Kết luận Thị ủy\"\ndate = 2023-04-26\nbody = \"Ban Thường vụ Thị ủy\"\ntags = [\"Ngân sách\"]\n+++\n\n## Phương hướng\n\nTăng cường công tác.\n";
    let nfd: String = unicode_nfd(nfc);
    let zw = nfc
        .replace("Thường", "Thư\u{200b}ờng")
        .replace("Phương", "Phươ\u{200d}ng");
    assert_ne!(nfc, nfd);
    let mut outputs = Vec::new();
    for (i, text) in [nfc.to_string(), nfd, zw].iter().enumerate() {
        let site = site(CONFIG, &[("a.md", text)]);
        let out = site.path().join("public");
        build(site.path(), &out, &[]);
        assert!(
            out.join("co-quan/ban-thuong-vu-thi-uy/index.html").exists(),
            "variant {i}"
        );
        assert!(
            out.join("chu-de/ngan-sach/index.html").exists(),
            "variant {i}"
        );
        outputs.push(files(&out));
    }
    assert!(
        outputs[0] == outputs[1],
        "NFD renders byte-identical to NFC"
    );
    assert!(
        outputs[0] == outputs[2],
        "zero-width characters are dropped"
    );
}

fn unicode_nfd(text: &str) -> String {
    // Decompose the Vietnamese letters used above by hand, so the test does
    // not depend on the code under test for its input.
    text.replace('ế', "e\u{0302}\u{0301}")
        .replace('ậ', "a\u{0323}\u{0302}")
        .replace('ị', "i\u{0323}")
        .replace('ủ', "u\u{0309}")
        .replace('ư', "u\u{031b}")
        .replace('ờ', "o\u{031b}\u{0300}")
        .replace('ụ', "u\u{0323}")
        .replace('â', "a\u{0302}")
        .replace('á', "a\u{0301}")
        .replace('ơ', "o\u{031b}")
        .replace('ă', "a\u{0306}")
        .replace('ô', "o\u{0302}")
}
