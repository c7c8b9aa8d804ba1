//! Bad input: every fault in `tests/fixtures/errors/<case>/` must fail the
//! build with exit code 1, name the file and line (the lines of the case's
//! `expected.txt` must all appear in the output), and leave the previous
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
        if entry.file_type().is_file() && rel != Path::new("expected.txt") {
            let dest = to.join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn assert_fails_cleanly(
    site: &Path,
    out: &Path,
    snapshot: &std::collections::BTreeMap<String, Vec<u8>>,
    expected: &[&str],
    case: &str,
) {
    for command in ["build", "check"] {
        let (code, stdout, stderr) = ketluan(&[command, "--root", site.to_str().unwrap()]);
        assert_eq!(code, 1, "{case}: `{command}` should fail\n{stdout}{stderr}");
        for line in expected {
            assert!(
                stderr.contains(line),
                "{case}: `{command}` output lacks {line:?}:\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    }
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
}

#[test]
fn every_fixture_fault_is_reported_with_its_position() {
    let root = repo().join("tests/fixtures/errors");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "fixtures missing");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        let (site, out, snapshot) = built_site();
        copy_tree(&case, site.path());
        assert_fails_cleanly(site.path(), &out, &snapshot, &expected, &name);
    }
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
        "not valid UTF-8",
        "offset 14",
        "save the file as UTF-8",
    ];
    assert_fails_cleanly(site.path(), &out, &snapshot, &expected, "not-utf8");
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
        "cảnh báo (warning): the conclusion has no text after the front matter",
        "--> content/empty.md:",
        "\"KL số một\" does not look like a số ký hiệu",
        "--> content/odd.md:5:10",
        "the date 2999-01-01 is in the future",
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
