//! Vietnamese as it is really typed (tone marks on the wrong vowel, `Ð` for
//! `Đ`, Cyrillic look-alikes in document numbers): found by the words and
//! numbers spelt right, cited and linked, shown as written, and the
//! look-alikes in a document's own number reported by `ketluan check`.

mod common;

use common::*;

fn page(number: &str, text: &str) -> String {
    format!(
        "+++\ntitle = \"Kết luận {number}\"\ndate = 2023-04-26\nbody = \"Ban Thường vụ Thị ủy\"\nnumber = \"{number}\"\nterm = \"XXIII\"\n+++\n\n{text}\n"
    )
}

fn archive() -> tempfile::TempDir {
    let docs = [
        // К and Т Cyrillic, as in converted official sources.
        (
            "converted.md",
            page(
                "45-КL/ТU",
                "Ðảm baỏ chất lựơng công trình; nâng cao đời sống ngừơi dân.",
            ),
        ),
        ("latin.md", page("12-KL/TU", "Về công tác cán bộ.")),
        (
            "cites.md",
            page(
                "50-KL/TU",
                "Thực hiện Kết luận số 45-KL/TU và Kết luận số 12-КL/ТU của Ban Thường vụ.",
            ),
        ),
        (
            "plain.md",
            page("51-KL/TU", "Bao nhiêu công trình? Dang dở, biên bản."),
        ),
    ];
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = site(CONFIG, &refs);
    build(site.path(), &site.path().join("public"), &[]);
    site
}

fn urls(site: &tempfile::TempDir, query: &str) -> Vec<String> {
    search_slugs(site.path(), &[query])
}

#[test]
fn misplaced_marks_and_the_eth_are_found_by_the_words_spelt_right() {
    let site = archive();
    for query in [
        "bảo",
        "Đảm bảo",
        "\"đảm bảo chất lượng\"",
        "người dân",
        "đảm",
        // Typed the converted way, too.
        "baỏ",
        "Ðảm",
    ] {
        assert_eq!(urls(&site, query), ["converted"], "{query}");
    }
    // Without diacritics both spellings are found, as every word folding to it.
    assert_eq!(urls(&site, "dam bao"), ["converted"]);
    let mut folded = urls(&site, "bao");
    folded.sort();
    assert_eq!(folded, ["converted", "plain"]);
    // A moved mark keeps its tone: `bảo` is not `báo`, and `biến` is not
    // `biên` (`plain` has `biên`, nobody has `biến`).
    assert!(urls(&site, "báo").is_empty());
    assert!(urls(&site, "biến").is_empty());
    // The page shows the text as written.
    let html = read(&site.path().join("public"), "ket-luan/converted/index.html");
    assert!(html.contains("Ðảm baỏ chất lựơng"), "{html}");
}

#[test]
fn look_alike_letters_in_numbers_are_read_as_latin() {
    let site = archive();
    // The own number first, then the document citing it.
    assert_eq!(urls(&site, "45-KL/TU"), ["converted", "cites"]);
    assert_eq!(urls(&site, "45-КL/ТU"), ["converted", "cites"]);
    assert_eq!(urls(&site, "12-KL/TU"), ["latin", "cites"]);
    let out = site.path().join("public");
    let cites = read(&out, "ket-luan/cites/index.html");
    // Both citations link: the Latin one to the converted number, the
    // converted one to the Latin number.
    assert!(
        cites.contains("<a href=\"../../ket-luan/converted/\">Kết luận số 45-KL/TU</a>"),
        "{cites}"
    );
    assert!(
        cites.contains("<a href=\"../../ket-luan/latin/\">Kết luận số 12-КL/ТU</a>"),
        "{cites}"
    );
    // The number is shown in Latin letters.
    let converted = read(&out, "ket-luan/converted/index.html");
    assert!(converted.contains("<dd>45-KL/TU</dd>"), "{converted}");
}

#[test]
fn check_warns_about_look_alikes_in_a_documents_own_number() {
    let site = archive();
    let (code, stdout, stderr) = ketluan(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(code, 0, "warnings only: {stdout}{stderr}");
    for expected in [
        "cảnh báo: `number` (số ký hiệu) \"45-КL/ТU\" có chữ trông như chữ Latinh nhưng không phải: \"КТ\"",
        "--> content/converted.md:5:10",
        "gõ lại bằng chữ Latinh: `number = \"45-KL/TU\"`",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    // Only the document's own number: a citation with look-alikes is not
    // the maintainer's number to fix.
    assert!(!stderr.contains("cites.md:5"), "{stderr}");
}
