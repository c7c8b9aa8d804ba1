//! The search index of a built site, queried natively with `ketluan search`
//! (the same analyser and queries run in the browser).

mod common;

use common::*;

fn page(title: &str, date: &str, body: &str, number: &str, term: &str, text: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nbody = \"{body}\"\nnumber = \"{number}\"\nterm = \"{term}\"\n+++\n\n{text}\n"
    )
}

/// A small archive with the Vietnamese traps the search must handle.
fn archive() -> tempfile::TempDir {
    let nfd = "Thu ngân sách địa phương tăng."
        .chars()
        .flat_map(decompose)
        .collect::<String>();
    let docs = [
        (
            "hoa-binh.md",
            page(
                "Kết luận về hòa giải",
                "2023-04-26",
                "Ban Thường vụ Thị ủy",
                "45-KL/TU",
                "XXIII",
                "Công tác hòa giải ở cơ sở.",
            ),
        ),
        (
            "hoa-alt.md",
            page(
                "Kết luận về hoà giải cơ sở",
                "2022-01-10",
                "Ban Thường vụ Thị uỷ",
                "12-KL/TU",
                "XXIII",
                "Tổ hoà giải được kiện toàn.",
            ),
        ),
        (
            "hoa-hoc.md",
            page(
                "Kết luận về văn hóa",
                "2021-07-01",
                "Huyện ủy",
                "3-KL/HU",
                "XXII",
                "Phát triển văn hóa và hoa màu.",
            ),
        ),
        (
            "sach.md",
            page(
                "Kết luận về nước sạch",
                "2020-10-01",
                "Huyện ủy",
                "4-KL/HU",
                "XXII",
                "Cung cấp nước sạch nông thôn.",
            ),
        ),
        (
            "sach-vo.md",
            page(
                "Kết luận về sách giáo khoa",
                "2020-11-01",
                "Huyện ủy",
                "5-KL/HU",
                "XXII",
                "Cấp sách giáo khoa cho học sinh.",
            ),
        ),
        (
            "nfd.md",
            page(
                "Kết luận về thu chi",
                "2019-05-02",
                "Huyện ủy",
                "6-KL/HU",
                "XXII",
                &nfd,
            ),
        ),
        (
            "phrase.md",
            page(
                "Kết luận về dự án",
                "2023-08-01",
                "Huyện ủy",
                "7-KL/HU",
                "XXIII",
                "Đẩy nhanh giải phóng mặt bằng dự án. Triển khai Kết luận số 45-KL/TU. Đ/c Đào Quang Khải–UVBTV.",
            ),
        ),
        (
            "scattered.md",
            page(
                "Kết luận rời",
                "2023-09-01",
                "Huyện ủy",
                "8-KL/HU",
                "XXIII",
                "Giải quyết đơn thư, phóng viên, mặt trận, bằng khen.",
            ),
        ),
    ];
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = site(CONFIG, &refs);
    build(site.path(), &site.path().join("public"), &[]);
    site
}

fn decompose(c: char) -> Vec<char> {
    // Enough NFD for the text above, written out so the test does not rely
    // on the code under test.
    match c {
        'â' => vec!['a', '\u{302}'],
        'á' => vec!['a', '\u{301}'],
        'ị' => vec!['i', '\u{323}'],
        'ư' => vec!['u', '\u{31b}'],
        'ơ' => vec!['o', '\u{31b}'],
        'ă' => vec!['a', '\u{306}'],
        c => vec![c],
    }
}

fn search(site: &tempfile::TempDir, args: &[&str]) -> Vec<serde_json::Value> {
    search_json(site.path(), args).1
}

fn urls(site: &tempfile::TempDir, args: &[&str]) -> Vec<String> {
    search_slugs(site.path(), args)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn vietnamese_words_match_as_a_reader_expects() {
    let site = archive();
    // Typed with diacritics: that word only, in either tone placement.
    assert_eq!(sorted(urls(&site, &["hòa"])), ["hoa-alt", "hoa-binh"]);
    assert_eq!(sorted(urls(&site, &["hoà"])), ["hoa-alt", "hoa-binh"]);
    assert_eq!(sorted(urls(&site, &["HÒA GIẢI"])), ["hoa-alt", "hoa-binh"]);
    // Without diacritics: every word that folds to it.
    assert_eq!(
        sorted(urls(&site, &["hoa"])),
        ["hoa-alt", "hoa-binh", "hoa-hoc"]
    );
    // Clean water is not a school book.
    assert_eq!(urls(&site, &["sạch"]), ["sach"]);
    assert_eq!(sorted(urls(&site, &["sách"])), ["nfd", "sach-vo"]);
    assert_eq!(sorted(urls(&site, &["sach"])), ["nfd", "sach", "sach-vo"]);
    // An NFD document is found by NFC and folded queries.
    assert_eq!(urls(&site, &["ngân sách"]), ["nfd"]);
    assert_eq!(urls(&site, &["ngan sach"]), ["nfd"]);
    // All words must match.
    assert!(urls(&site, &["sạch giáo"]).is_empty());
}

#[test]
fn phrases_numbers_and_glued_words() {
    let site = archive();
    assert_eq!(
        sorted(urls(&site, &["giải phóng mặt bằng"])),
        ["phrase", "scattered"]
    );
    assert_eq!(urls(&site, &["\"giải phóng mặt bằng\""]), ["phrase"]);
    assert_eq!(urls(&site, &["\"giai phong mat bang\""]), ["phrase"]);
    // A number is found whole: its own document first, then where it is cited.
    assert_eq!(urls(&site, &["45-KL/TU"]), ["hoa-binh", "phrase"]);
    assert_eq!(urls(&site, &["45-kl/tu"]), ["hoa-binh", "phrase"]);
    assert!(urls(&site, &["46-KL/TU"]).is_empty());
    // A name glued to a title by an en dash.
    assert_eq!(urls(&site, &["Khải"]), ["phrase"]);
    assert_eq!(urls(&site, &["UVBTV"]), ["phrase"]);
}

#[test]
fn filters_and_results() {
    let site = archive();
    assert_eq!(urls(&site, &["hoa", "--year", "2022"]), ["hoa-alt"]);
    assert_eq!(urls(&site, &["hoa", "--quarter", "2023-q2"]), ["hoa-binh"]);
    assert_eq!(urls(&site, &["hoa", "--issuer", "huyen-uy"]), ["hoa-hoc"]);
    assert_eq!(
        sorted(urls(&site, &["hoa", "--term", "xxiii"])),
        ["hoa-alt", "hoa-binh"]
    );
    // Filters alone list newest first.
    assert_eq!(
        urls(&site, &["", "--term", "xxiii"]),
        ["scattered", "phrase", "hoa-binh", "hoa-alt"]
    );

    let hits = search(&site, &["ngan sach"]);
    let hit = &hits[0];
    assert_eq!(hit["title"], "Kết luận về thu chi");
    assert_eq!(hit["number"], "6-KL/HU");
    assert_eq!(hit["date"], "2019-05-02");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>ngân</mark> <mark>sách</mark>"),
        "accented words are marked: {snippet}"
    );
}

#[test]
fn the_sample_archive_answers_its_own_words() {
    let out = output();
    build(&example(), out.path(), &[]);
    let (code, stdout, _) = ketluan(&[
        "search",
        "ngan sach",
        "--output",
        out.path().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        value["hits"][0]["url"],
        "ket-luan/2023-45-kl-tu-thuan-thanh/"
    );
    let (code, stdout, _) = ketluan(&[
        "search",
        "không có từ này xyz",
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("0 kết quả"), "{stdout}");
    assert!(stdout.contains("Thử: khong co tu nay xyz"), "{stdout}");
    let (code, _, stderr) = ketluan(&["search", "x", "--output", "/nonexistent"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("chạy `ketluan build` trước"), "{stderr}");
}

#[test]
fn a_broken_site_toml_is_reported_not_taken_for_a_missing_index() {
    let site = site("title = 5\n", &[]);
    let (code, stdout, stderr) = ketluan(&[
        "search",
        "ngan sach",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("site.toml có lỗi") && stderr.contains("--> site.toml:1:9"),
        "{stderr}"
    );
    assert!(!stderr.contains("không có chỉ mục"), "{stderr}");
}

/// One page whose words stand together once, against one with the same
/// syllables (or words that fold to them) many times, apart.
fn adjacency_archive() -> tempfile::TempDir {
    let filler = "Hội nghị thảo luận tình hình kinh tế xã hội của địa phương. ".repeat(12);
    let nfd: String = "Đẩy mạnh chuyển đổi số."
        .chars()
        .flat_map(|c| match c {
            // NFD, written out: the test must not rely on the analyser.
            'ể' => vec!['e', '\u{302}', '\u{309}'],
            'ổ' => vec!['o', '\u{302}', '\u{309}'],
            'ố' => vec!['o', '\u{302}', '\u{301}'],
            'ẩ' => vec!['a', '\u{302}', '\u{309}'],
            'ạ' => vec!['a', '\u{323}'],
            c => vec![c],
        })
        .collect();
    let together = format!(
        "{filler}Rà soát quy hoạch sử dụng đất đai. {nfd} Công tác bảo vệ môi trường. Quản lý thuỷ lợi. {filler}"
    );
    let apart = "Xã đạt chuẩn nông thôn mới; Đại hội Đảng bộ; đất nước; vành đai xanh. \
                 Chuyển hướng, đổi mới, số liệu. Bảo đảm an ninh, vệ sinh, môi sinh, \
                 trường học. Thủy sản, lợi ích. "
        .repeat(6);
    let docs = [
        (
            "together.md",
            page(
                "Kết luận về quy hoạch",
                "2022-01-10",
                "Thị ủy",
                "1-KL/TU",
                "XXIII",
                &together,
            ),
        ),
        (
            "apart.md",
            page(
                "Kết luận về đất nước và Đại hội",
                "2023-01-10",
                "Thị ủy",
                "2-KL/TU",
                "XXIII",
                &apart,
            ),
        ),
    ];
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = site(CONFIG, &refs);
    build(site.path(), &site.path().join("public"), &[]);
    site
}

#[test]
fn words_that_stand_together_rank_first() {
    let site = adjacency_archive();
    for query in [
        "đất đai",
        "dat dai",
        "DAT DAI",
        "Đất Đai",
        "đất dai",
        "chuyển đổi số",
        "chuyen doi so",
        "bảo vệ môi trường",
        "bao ve moi truong",
        "thủy lợi",
        "thuỷ lợi",
        "thuy loi",
    ] {
        let found = urls(&site, &[query]);
        assert_eq!(found, ["together", "apart"], "{query}");
        let quoted = format!("\"{query}\"");
        assert_eq!(urls(&site, &[&quoted]), ["together"], "{quoted}");
    }
    // Adjacent with the syllables as typed: đạt đại is not đất đai.
    assert_eq!(urls(&site, &["\"đạt đại\""]), Vec::<String>::new());
    // The order counts.
    assert_eq!(urls(&site, &["\"đai đất\""]), Vec::<String>::new());
}

#[test]
fn an_unaccented_query_is_offered_its_accented_reading() {
    let site = adjacency_archive();
    let root = site.path().to_str().unwrap();
    let (code, stdout, _) = ketluan(&["search", "dat dai", "--root", root]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("Có phải bạn muốn tìm: đất đai?\n2 kết quả"),
        "{stdout}"
    );
    let (_, stdout, _) = ketluan(&["search", "đất đai", "--root", root]);
    assert!(!stdout.contains("Có phải"), "{stdout}");
}

#[test]
fn the_command_line_answers_in_full() {
    let (site, _) = generated_site(150);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let output = out.to_str().unwrap();
    let all = |args: &[&str]| {
        let mut full = vec!["search", "--output", output, "--json"];
        full.extend_from_slice(args);
        let (code, stdout, stderr) = ketluan(&full);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()
    };
    let every = all(&["kết luận", "--limit", "100000"]);
    let total = every["total"].as_u64().unwrap() as usize;
    let hits = every["hits"].as_array().unwrap();
    assert!(total > 100, "the corpus has more than 100 matches: {total}");
    assert_eq!(hits.len(), total, "--limit 100000 prints every hit");
    for key in ["title", "number", "date", "url", "score", "snippet"] {
        assert!(hits[0].get(key).is_some(), "{key} missing: {}", hits[0]);
    }
    // Pages of 40 put together are the whole list, in order.
    let mut paged = Vec::new();
    for offset in (0..total).step_by(40) {
        let page = all(&["kết luận", "--limit", "40", "--offset", &offset.to_string()]);
        assert_eq!(page["total"].as_u64().unwrap() as usize, total);
        paged.extend(
            page["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["url"].clone()),
        );
    }
    let whole: Vec<_> = hits.iter().map(|h| h["url"].clone()).collect();
    assert_eq!(paged, whole);
    let (code, _, stderr) = ketluan(&["search", "x", "--output", output, "--limit", "0"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("ít nhất là 1"), "{stderr}");
}
