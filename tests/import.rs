//! `ketluan import`: Word documents made here in the 36-HD layout (a small
//! .docx writer below), the office's converted sample, and the same
//! documents through independent producers (pandoc, LibreOffice) must come
//! back with their fields exactly and their text word for word.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::ketluan;
use unicode_normalization::UnicodeNormalization;

// ------------------------------------------------------------ a .docx writer

#[derive(Clone)]
struct Run {
    text: String,
    bold: bool,
    italic: bool,
    font: Option<&'static str>,
}

fn r(text: &str) -> Run {
    Run {
        text: text.into(),
        bold: false,
        italic: false,
        font: None,
    }
}

fn b(text: &str) -> Run {
    Run {
        bold: true,
        ..r(text)
    }
}

fn i(text: &str) -> Run {
    Run {
        italic: true,
        ..r(text)
    }
}

#[derive(Clone)]
enum Part {
    P(Vec<Run>),
    /// Runs, a page break, then more runs in a new paragraph: how Word
    /// files a paragraph a converter cut at the end of a page.
    PageBreak,
    Table(Vec<Vec<Vec<Vec<Run>>>>),
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn run_xml(run: &Run) -> String {
    let mut props = String::new();
    if let Some(f) = run.font {
        props.push_str(&format!(r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}"/>"#));
    }
    if run.bold {
        props.push_str("<w:b/>");
    }
    if run.italic {
        props.push_str("<w:i/>");
    }
    format!(
        r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(&run.text)
    )
}

fn para_xml(runs: &[Run]) -> String {
    format!(
        "<w:p>{}</w:p>",
        runs.iter().map(run_xml).collect::<String>()
    )
}

fn document_xml(parts: &[Part]) -> String {
    let mut body = String::new();
    for part in parts {
        match part {
            Part::P(runs) => body.push_str(&para_xml(runs)),
            Part::PageBreak => body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
            Part::Table(rows) => {
                // As Word writes it: the grid and cell widths (LibreOffice
                // drops a table without them).
                let columns = rows.iter().map(Vec::len).max().unwrap_or(1);
                let width = 9000 / columns;
                body.push_str(
                    r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>"#,
                );
                for _ in 0..columns {
                    body.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
                }
                body.push_str("</w:tblGrid>");
                for row in rows {
                    body.push_str("<w:tr>");
                    for cell in row {
                        body.push_str(&format!(
                            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#
                        ));
                        for p in cell {
                            body.push_str(&para_xml(p));
                        }
                        body.push_str("</w:tc>");
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    // Word ends every document with a paragraph, after a last table too.
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:p/><w:sectPr/></w:body></w:document>"#
    )
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

fn docx_with(document: String) -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec(),
        ),
        ("word/document.xml", document.into_bytes()),
    ])
}

// ------------------------------------------------------------ the fixture

/// How a fixture varies from the plain 36-HD document.
#[derive(Clone, Default)]
struct Variant {
    colon: bool,
    no_leading_zeros: bool,
    superior: bool,
    marking: Option<&'static str>,
    nfd: bool,
    tcvn3: bool,
}

/// A conclusion laid out as 36-HD prescribes: the header table, kind,
/// session line and trích yếu, the text (a heading, emphasis, a table, a
/// paragraph cut by a page break), then Nơi nhận beside the signature.
fn fixture(v: &Variant) -> Vec<Part> {
    let t = |s: &str| -> String {
        if v.nfd {
            s.nfd().collect()
        } else {
            s.to_string()
        }
    };
    let tr = |s: &str| r(&t(s));
    let tb = |s: &str| b(&t(s));
    let mut left = Vec::new();
    if v.superior {
        left.push(vec![tr("ĐẢNG BỘ TỈNH BẮC NINH")]);
    }
    left.push(vec![tb("THỊ ỦY THUẬN THÀNH")]);
    left.push(vec![r("*")]);
    left.push(vec![tr(if v.colon {
        "Số: 45-KL/TU"
    } else {
        "Số 45-KL/TU"
    })]);
    let date = if v.no_leading_zeros {
        "Thuận Thành, ngày 5 tháng 2 năm 2024"
    } else {
        "Thuận Thành, ngày 05 tháng 02 năm 2024"
    };
    let right = vec![
        vec![tb("ĐẢNG CỘNG SẢN VIỆT NAM")],
        vec![r("──────────")],
        vec![i(&t(date))],
    ];
    let mut parts = Vec::new();
    if let Some(m) = v.marking {
        parts.push(Part::P(vec![tb(m)]));
    }
    parts.push(Part::Table(vec![vec![left, right]]));
    let (kind, session) = if v.tcvn3 {
        // .VnTimeH: capitals drawn at the small letters' codes.
        (
            Run {
                font: Some(".VnTimeH"),
                bold: true,
                ..r(&tcvn3("kết luận"))
            },
            Run {
                font: Some(".VnTimeH"),
                bold: true,
                ..r(&tcvn3(
                    "hội nghị lần thứ 11 ban chấp hành đảng bộ thị xã khóa xxiii",
                ))
            },
        )
    } else {
        (
            tb("KẾT LUẬN"),
            tb("HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH ĐẢNG BỘ THỊ XÃ KHÓA XXIII"),
        )
    };
    parts.push(Part::P(vec![kind]));
    parts.push(Part::P(vec![session]));
    parts.push(Part::P(vec![tb(
        "Về tình hình thực hiện nhiệm vụ quý IV năm 2023; phương hướng nhiệm vụ quý I năm 2024.",
    )]));
    let opening = if v.tcvn3 {
        Run {
            font: Some(".VnTime"),
            ..r(&tcvn3(OPENING))
        }
    } else {
        tr(OPENING)
    };
    parts.push(Part::P(vec![opening]));
    parts.push(Part::P(vec![tb("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV")]));
    parts.push(Part::P(vec![
        tr("Thu ngân sách đạt "),
        tb("169.541 triệu đồng"),
        tr(", "),
        Run {
            italic: true,
            ..tr("vượt dự toán")
        },
        tr("; trong đó: chi đầu tư phát"),
    ]));
    parts.push(Part::PageBreak);
    parts.push(Part::P(vec![tr("triển ước đạt 87.924 triệu đồng.")]));
    parts.push(Part::Table(vec![
        vec![vec![vec![tb("Chỉ tiêu")]], vec![vec![tb("Kết quả")]]],
        vec![
            vec![vec![tr("Thu ngân sách")]],
            vec![vec![tr("14% dự toán")]],
        ],
    ]));
    parts.push(Part::P(vec![tb("II. NHIỆM VỤ QUÝ I NĂM 2024")]));
    parts.push(Part::P(vec![if v.tcvn3 {
        // Typed in VNI-Times (VNI's letters and accents, by hand).
        Run {
            font: Some("VNI-Times"),
            ..r("1. Taêng cöôøng coâng taùc quaûn lyù thu, chi ngaân saùch nhaø nöôùc.")
        }
    } else {
        tr("1. Tăng cường công tác quản lý thu, chi ngân sách nhà nước.")
    }]));
    parts.push(Part::Table(vec![vec![
        vec![
            vec![Run {
                italic: true,
                ..tb("Nơi nhận:")
            }],
            vec![tr("- Thường trực Tỉnh ủy;")],
            vec![tr("- Các chi, đảng bộ trực thuộc;")],
            vec![tr("- Lưu VT.")],
        ],
        vec![
            vec![tb("T/M BAN THƯỜNG VỤ")],
            vec![tb("PHÓ BÍ THƯ THƯỜNG TRỰC")],
            vec![i("(Đã ký)")],
            vec![tb("Văn Quốc Cường")],
        ],
    ]]));
    parts
}

const OPENING: &str = "Thực hiện chương trình công tác năm 2024, Ban Chấp hành Đảng bộ thị xã tổ chức Hội nghị lần thứ 11 đánh giá kết quả thực hiện nhiệm vụ quý IV năm 2023.";

/// The words of the text, in order, whatever the producer: what must come
/// back word for word.
const BODY_WORDS: &str = "Thực hiện chương trình công tác năm 2024, Ban Chấp hành Đảng bộ thị xã tổ chức Hội nghị lần thứ 11 đánh giá kết quả thực hiện nhiệm vụ quý IV năm 2023. I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV Thu ngân sách đạt 169.541 triệu đồng, vượt dự toán; trong đó: chi đầu tư phát triển ước đạt 87.924 triệu đồng. Chỉ tiêu Kết quả Thu ngân sách 14% dự toán II. NHIỆM VỤ QUÝ I NĂM 2024 1. Tăng cường công tác quản lý thu, chi ngân sách nhà nước.";

/// Text in the TCVN3 font encoding, as Word keeps it: each byte of glibc's
/// TCVN5712-1 encoding as the Latin-1 character of that value.
fn tcvn3(text: &str) -> String {
    let mut child = Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "TCVN5712-1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("iconv");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout.iter().map(|&b| char::from(b)).collect()
}

// ------------------------------------------------------------ helpers

fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = ketluan(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    dir
}

fn import(root: &Path, files: &[&Path], extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["import", "--root", root.to_str().unwrap()];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend_from_slice(extra);
    ketluan(&args)
}

fn json_import(root: &Path, file: &Path) -> serde_json::Value {
    let (code, out, err) = import(root, &[file], &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    all[0].clone()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Words of Markdown, without markup: `**a**` and `a` are the same word.
fn words(markdown: &str) -> Vec<String> {
    markdown
        .split_whitespace()
        .map(|w| {
            w.replace(['*', '\\'], "")
                .trim_matches(['#', '|'])
                .to_string()
        })
        .filter(|w| !w.is_empty() && w != "-" && w != "---")
        .map(|w| w.nfc().collect())
        .collect()
}

fn split(text: &str) -> (toml::Table, String) {
    let rest = text.strip_prefix("+++\n").unwrap();
    let (front, body) = rest.split_once("+++\n").unwrap();
    (front.parse().unwrap(), body.to_string())
}

fn written(root: &Path, report: &serde_json::Value) -> (toml::Table, String) {
    let md = report["detail"]["markdown"].as_str().unwrap();
    split(&std::fs::read_to_string(root.join(md)).unwrap())
}

fn expected_fields(number: bool) -> toml::Table {
    let mut t: toml::Table = r#"
title = "Kết luận Hội nghị lần thứ 11 Ban Chấp hành Đảng bộ thị xã Thuận Thành khóa XXIII"
number = "45-KL/TU"
date = 2024-02-05
body = "Ban Chấp hành Đảng bộ thị xã Thuận Thành"
session = 11
term = "XXIII"
signer = "Văn Quốc Cường"
signer_title = "Phó Bí thư Thường trực"
recipients = ["Thường trực Tỉnh ủy", "Các chi, đảng bộ trực thuộc", "Lưu VT"]
summary = "Về tình hình thực hiện nhiệm vụ quý IV năm 2023; phương hướng nhiệm vụ quý I năm 2024."
"#
    .parse()
    .unwrap();
    if !number {
        t.remove("number");
    }
    t
}

fn check_passes(root: &Path) {
    let (code, out, err) = ketluan(&["check", "--root", root.to_str().unwrap(), "--drafts"]);
    assert_eq!(code, 0, "ketluan check refused the import:\n{out}{err}");
}

// ------------------------------------------------------------ tests

#[test]
fn docx_variants_come_back_with_their_fields_and_text() {
    let variants = [
        ("plain", Variant::default()),
        (
            "colon-no-zeros",
            Variant {
                colon: true,
                no_leading_zeros: true,
                ..Variant::default()
            },
        ),
        (
            "superior",
            Variant {
                superior: true,
                ..Variant::default()
            },
        ),
        (
            "nfd",
            Variant {
                nfd: true,
                superior: true,
                ..Variant::default()
            },
        ),
        (
            "tcvn3",
            Variant {
                tcvn3: true,
                ..Variant::default()
            },
        ),
    ];
    for (name, v) in variants {
        let root = archive();
        let src = tempfile::tempdir().unwrap();
        let file = write_file(
            src.path(),
            &format!("{name}.docx"),
            &docx_with(document_xml(&fixture(&v))),
        );
        let report = json_import(root.path(), &file);
        assert_eq!(report["status"], "imported", "{name}: {report:#}");
        assert_eq!(
            report["detail"]["markdown"], "content/2024/45-kl-tu.md",
            "{name}"
        );
        let (front, body) = written(root.path(), &report);
        assert_eq!(front, expected_fields(true), "{name}");
        assert_eq!(words(&body), words(BODY_WORDS), "{name}:\n{body}");
        // Structure kept: headings, emphasis, the table; the cut joined.
        assert!(
            body.contains("\n## I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV\n"),
            "{name}:\n{body}"
        );
        assert!(body.contains("**169.541 triệu đồng**"), "{name}:\n{body}");
        assert!(body.contains("*vượt dự toán*"), "{name}:\n{body}");
        assert!(
            body.contains("| **Chỉ tiêu** | **Kết quả** |"),
            "{name}:\n{body}"
        );
        assert!(
            body.contains("chi đầu tư phát triển ước đạt"),
            "{name}:\n{body}"
        );
        let notes = report["notes"].to_string();
        assert!(
            notes.contains("đầu tư phát") && notes.contains("triển ước đạt"),
            "{name}: {notes}"
        );
        if v.tcvn3 {
            assert!(
                notes.contains("TCVN3 (.VnTimeH)") && notes.contains("TCVN3 (.VnTime)"),
                "{notes}"
            );
        }
        assert_eq!(report["missing"], serde_json::json!([]), "{name}");
        assert!(
            root.path().join("content/2024/45-kl-tu.docx").is_file(),
            "{name}: original kept"
        );
        check_passes(root.path());
    }
}

#[test]
fn the_office_sample_imports_without_a_number() {
    let root = archive();
    let sample =
        common::repo().join("../shared/samples/ket-luan-hoi-nghi-lan-thu-11-khoa-xxiii.md");
    let report = json_import(root.path(), &sample);
    assert_eq!(report["status"], "imported", "{report:#}");
    assert_eq!(report["missing"], serde_json::json!(["number"]));
    let unsure = report["unsure"].to_string();
    assert!(
        unsure.contains("câu mở đầu") && unsure.contains("Thuận Thành"),
        "{unsure}"
    );
    let (front, body) = written(root.path(), &report);
    // The same document imported by hand: every field but the number (not
    // in the sample) and tags (topics nobody wrote in the document).
    let by_hand =
        std::fs::read_to_string(common::repo().join("content/2023/45-kl-tu-thuan-thanh.md"))
            .unwrap();
    let (mut hand_front, hand_body) = split(&by_hand);
    hand_front.remove("number");
    hand_front.remove("tags");
    assert_eq!(front, hand_front);
    assert_eq!(words(&body), words(&hand_body));
    assert!(
        !body.contains("Nơi nhận") && !body.contains("T/M BAN THƯỜNG VỤ"),
        "{body}"
    );
    assert!(
        !root
            .path()
            .join("content/2023/ket-luan-hoi-nghi-lan-thu-11-khoa-xxiii.txt")
            .exists()
    );
    check_passes(root.path());
    // Into the example archive, which has it imported by hand with its
    // number: the same body, date and title, so the same document.
    let example = archive();
    let dir = example.path().join("content/2023");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("45-kl-tu-thuan-thanh.md"), &by_hand).unwrap();
    let again = json_import(example.path(), &sample);
    assert_eq!(again["status"], "duplicate", "{again:#}");
    assert_eq!(
        again["detail"]["existing"],
        "content/2023/45-kl-tu-thuan-thanh.md"
    );
}

#[test]
fn marked_documents_are_refused_and_drafts_are_drafts() {
    for marking in ["MẬT", "TỐI MẬT", "TUYỆT MẬT", "LƯU HÀNH NỘI BỘ"] {
        let root = archive();
        let src = tempfile::tempdir().unwrap();
        let v = Variant {
            marking: Some(marking),
            ..Variant::default()
        };
        let file = write_file(
            src.path(),
            "mat.docx",
            &docx_with(document_xml(&fixture(&v))),
        );
        let (code, out, err) = import(root.path(), &[&file], &[]);
        assert_eq!(code, 1, "{marking}: {out}{err}");
        assert!(
            out.contains("mat.docx") && out.contains(marking),
            "{marking}: {out}"
        );
        let written: Vec<_> = walkdir::WalkDir::new(root.path().join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .collect();
        assert!(
            written.is_empty(),
            "{marking}: nothing may be written, found {written:?}"
        );
    }
    // A stamp in the page header, outside the body, counts too.
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let mut entries = vec![(
        "word/document.xml",
        document_xml(&fixture(&Variant::default())).into_bytes(),
    )];
    entries.push((
        "word/header1.xml",
        r#"<?xml version="1.0"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>TỐI MẬT</w:t></w:r></w:p></w:hdr>"#.as_bytes().to_vec(),
    ));
    let file = write_file(src.path(), "header-stamp.docx", &zip_of(&entries));
    let (code, out, _) = import(root.path(), &[&file], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("TỐI MẬT"), "{out}");
    assert!(!root.path().join("content/2024").exists());
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let v = Variant {
        marking: Some("DỰ THẢO"),
        ..Variant::default()
    };
    let file = write_file(
        src.path(),
        "du-thao.docx",
        &docx_with(document_xml(&fixture(&v))),
    );
    let report = json_import(root.path(), &file);
    let (front, _) = written(root.path(), &report);
    assert_eq!(front.get("draft"), Some(&toml::Value::Boolean(true)));
    check_passes(root.path());
}

#[test]
fn a_document_in_the_archive_is_reported_not_replaced() {
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let file = write_file(
        src.path(),
        "a.docx",
        &docx_with(document_xml(&fixture(&Variant::default()))),
    );
    let again = write_file(src.path(), "a-copy.docx", &std::fs::read(&file).unwrap());
    json_import(root.path(), &file);
    let md = root.path().join("content/2024/45-kl-tu.md");
    let before = std::fs::read(&md).unwrap();
    let (code, out, err) = import(root.path(), &[&again], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("đã có trong lưu trữ") && out.contains("content/2024/45-kl-tu.md"),
        "{out}"
    );
    assert_eq!(std::fs::read(&md).unwrap(), before);
    assert!(!root.path().join("content/2024/45-kl-tu-2.md").exists());
    // --dry-run reports and writes nothing.
    let other = archive();
    let (code, out, _) = import(other.path(), &[&file], &["--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains("sẽ nhập"), "{out}");
    assert!(!other.path().join("content/2024").exists());
}

#[test]
fn hostile_and_broken_docx_files_get_a_clear_refusal() {
    let src = tempfile::tempdir().unwrap();
    let good = docx_with(document_xml(&fixture(&Variant::default())));
    let truncated = write_file(src.path(), "cut.docx", &good[..good.len() / 2]);
    let escaping = write_file(
        src.path(),
        "escape.docx",
        &zip_of(&[
            ("../../evil.xml", b"x".to_vec()),
            ("word/document.xml", document_xml(&[]).into_bytes()),
        ]),
    );
    let entity = write_file(
        src.path(),
        "entity.docx",
        &zip_of(&[(
            "word/document.xml",
            br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#.to_vec(),
        )]),
    );
    // 200 MB of zeros: a few hundred kilobytes compressed.
    let bomb = write_file(
        src.path(),
        "bomb.docx",
        &zip_of(&[("word/document.xml", vec![b' '; 200 * 1024 * 1024])]),
    );
    let not_zip = write_file(src.path(), "text.docx", "Kết luận".as_bytes());
    let root = archive();
    for (file, says) in [
        (&truncated, "cắt cụt"),
        (&escaping, "ra ngoài"),
        (&entity, "DTD"),
        (&bomb, "bom zip"),
        (&not_zip, "cắt cụt"),
    ] {
        let (code, out, err) = import(root.path(), &[file], &[]);
        assert_eq!(code, 1, "{file:?}: {out}{err}");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            out.contains(name) && out.contains(says),
            "{name}: {out}{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.contains("root:"), "{out}");
    }
    let (code, _, err) = ketluan(&[
        "import",
        "--root",
        src.path().to_str().unwrap(),
        truncated.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "not an archive is a usage error: {err}");
}

/// pandoc, Markdown → .docx: a producer that is not ours.
#[test]
fn pandoc_docx_of_the_sample_imports_like_the_sample() {
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let sample =
        common::repo().join("../shared/samples/ket-luan-hoi-nghi-lan-thu-11-khoa-xxiii.md");
    let docx = src.path().join("sample.docx");
    // Without "smart" typography, which would turn "..." into "…".
    let status = Command::new("pandoc")
        .args(["-f", "markdown-smart"])
        .arg(&sample)
        .arg("-o")
        .arg(&docx)
        .status()
        .expect("pandoc is installed by .ci/install");
    assert!(status.success());
    let from_docx = json_import(root.path(), &docx);
    let other = archive();
    let from_md = json_import(other.path(), &sample);
    assert_eq!(from_docx["found"], from_md["found"], "{from_docx:#}");
    let (_, body_docx) = written(root.path(), &from_docx);
    let (_, body_md) = written(other.path(), &from_md);
    assert_eq!(words(&body_docx), words(&body_md));
    check_passes(root.path());
}

/// LibreOffice, .docx → .doc and .docx → .pdf.
#[test]
fn libreoffice_doc_and_pdf_import_with_the_same_fields() {
    let src = tempfile::tempdir().unwrap();
    let docx = write_file(
        src.path(),
        "kl.docx",
        &docx_with(document_xml(&fixture(&Variant::default()))),
    );
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        src.path().display()
    );
    for format in ["doc", "pdf"] {
        let status = Command::new("soffice")
            .arg(&profile)
            .args(["--headless", "--convert-to", format, "--outdir"])
            .arg(src.path())
            .arg(&docx)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("LibreOffice is installed by .ci/install");
        assert!(status.success());
        let root = archive();
        let file = src.path().join(format!("kl.{format}"));
        let report = json_import(root.path(), &file);
        assert_eq!(report["status"], "imported", "{format}: {report:#}");
        let (front, body) = written(root.path(), &report);
        assert_eq!(front, expected_fields(true), "{format}:\n{body}");
        assert_eq!(words(&body), words(BODY_WORDS), "{format}:\n{body}");
        assert!(
            root.path()
                .join(format!("content/2024/45-kl-tu.{format}"))
                .is_file()
        );
        check_passes(root.path());
    }
}

#[test]
fn a_scan_without_text_needs_ocr() {
    let src = tempfile::tempdir().unwrap();
    // A one-page PDF that draws nothing: no text layer.
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let file = write_file(src.path(), "scan.pdf", pdf);
    let root = archive();
    let (code, out, _) = import(root.path(), &[&file], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("scan.pdf") && out.contains("OCR"), "{out}");
}

#[test]
fn the_original_is_published_beside_the_page_with_its_hash() {
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let bytes = docx_with(document_xml(&fixture(&Variant::default())));
    let file = write_file(src.path(), "kl.docx", &bytes);
    json_import(root.path(), &file);
    // A signed scan attached by hand and a private note beside the Markdown.
    let dir = root.path().join("content/2024");
    std::fs::write(dir.join("45-kl-tu.pdf"), b"%PDF-1.4 scan").unwrap();
    std::fs::write(dir.join("45-kl-tu.txt"), b"ghi chu noi bo").unwrap();
    let out = tempfile::tempdir().unwrap();
    common::build(root.path(), out.path(), &[]);
    let page_dir = out.path().join("ket-luan/2024-45-kl-tu");
    assert_eq!(
        std::fs::read(page_dir.join("2024-45-kl-tu.docx")).unwrap(),
        bytes
    );
    assert_eq!(
        std::fs::read(page_dir.join("2024-45-kl-tu.pdf")).unwrap(),
        b"%PDF-1.4 scan"
    );
    assert!(!page_dir.join("2024-45-kl-tu.txt").exists());
    assert!(
        !page_dir.join("2024-45-kl-tu.odt").exists(),
        "a symlink is not published"
    );
    let html = std::fs::read_to_string(page_dir.join("index.html")).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        html.contains("Văn bản gốc") && html.contains(&sha),
        "{html}"
    );
    assert!(html.contains("href=\"2024-45-kl-tu.docx\"") && html.contains("Word (.docx)"));
    assert!(html.contains("href=\"2024-45-kl-tu.pdf\""));
    let broken = common::broken_links(out.path(), "https://example.org/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_folder_imports_every_document_in_it_once() {
    let root = archive();
    let src = tempfile::tempdir().unwrap();
    let bytes = docx_with(document_xml(&fixture(&Variant::default())));
    write_file(src.path(), "a.docx", &bytes);
    write_file(src.path(), "b-ban-sao.docx", &bytes);
    write_file(src.path(), "ghi-chu.odt", b"not read");
    let (code, out, err) = import(root.path(), &[src.path()], &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let reports: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let statuses: Vec<_> = reports
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["imported", "duplicate"], "{out}");
    assert_eq!(reports[1]["detail"]["existing"], "content/2024/45-kl-tu.md");
}

/// Every truncation and many single-byte corruptions of a good .docx:
/// each is imported or refused with a message, never a panic or a hang.
#[test]
fn damaged_docx_files_never_crash_the_import() {
    let good = docx_with(document_xml(&fixture(&Variant::default())));
    let src = tempfile::tempdir().unwrap();
    let mut count = 0;
    for cut in (0..good.len()).step_by(good.len() / 60 + 1) {
        write_file(src.path(), &format!("cut-{cut:06}.docx"), &good[..cut]);
        count += 1;
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in 0..120 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bad = good.clone();
        let at = (seed as usize) % bad.len();
        bad[at] ^= (seed >> 32) as u8 | 1;
        write_file(src.path(), &format!("flip-{n:03}.docx"), &bad);
        count += 1;
    }
    let reports = dry_run_survives(src.path(), count);
    assert!(reports.len() > 1);
}

/// The sample cut short at every few lines, and with lines dropped here and
/// there: each is imported or refused with a reason, never a panic.
#[test]
fn damaged_converted_text_never_crashes_the_import() {
    let sample = std::fs::read_to_string(
        common::repo().join("../shared/samples/ket-luan-hoi-nghi-lan-thu-11-khoa-xxiii.md"),
    )
    .unwrap();
    let lines: Vec<&str> = sample.lines().collect();
    let src = tempfile::tempdir().unwrap();
    let mut count = 0;
    for keep in (0..lines.len()).step_by(3) {
        write_file(
            src.path(),
            &format!("head-{keep:03}.md"),
            lines[..keep].join("\n").as_bytes(),
        );
        write_file(
            src.path(),
            &format!("tail-{keep:03}.txt"),
            lines[keep..].join("\n").as_bytes(),
        );
        let holes: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(n, _)| (n + keep) % 7 != 0)
            .map(|(_, l)| *l)
            .collect();
        write_file(
            src.path(),
            &format!("holes-{keep:03}.md"),
            holes.join("\n").as_bytes(),
        );
        count += 3;
    }
    let reports = dry_run_survives(src.path(), count);
    // The whole sample minus a few lines is still the sample.
    assert!(
        reports.iter().any(|r| r["status"] == "would_import"),
        "{reports:?}"
    );
}

/// Imports every file of `folder` with --dry-run in one run: no panic, one
/// report per file, each refusal with its reason.
fn dry_run_survives(folder: &Path, count: usize) -> Vec<serde_json::Value> {
    let root = archive();
    let (code, out, err) = import(root.path(), &[folder], &["--json", "--dry-run"]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let reports: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(reports.len(), count);
    for r in &reports {
        if r["status"] == "refused" {
            assert!(!r["detail"]["reason"].as_str().unwrap().is_empty(), "{r}");
        }
    }
    reports
}
