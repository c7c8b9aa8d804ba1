//! Builds a small index the way `ketluan build` does and queries it the way
//! the CLI and the browser do.

use std::path::Path;

use ketluan_search::writer::{IndexDoc, OutputFile, build_index, open_folder};
use ketluan_search::{Filters, Manifest, RangeDir, Request, Response, Session, Step};
use unicode_normalization::UnicodeNormalization;

fn doc(slug: &str, title: &str, number: &str, body: &str) -> IndexDoc {
    IndexDoc {
        title: title.into(),
        number: (!number.is_empty()).then(|| number.into()),
        summary: None,
        body_text: body.into(),
        issuer: "Thị ủy Thuận Thành".into(),
        term: Some("XXIII".into()),
        tags: vec!["kinh tế".into()],
        date: "2024-05-02".into(),
        year: 2024,
        quarter: "2024-Q2".into(),
        url: format!("ket-luan/{slug}/"),
    }
}

fn fixture() -> Vec<IndexDoc> {
    let nfd: String = "Bàn về dự toán ngân sách huyện và quỹ đất.".nfd().collect();
    let mut docs = vec![
        doc(
            "hoa-cu",
            "Kết luận về hòa giải",
            "1-KL/TU",
            "Công tác hòa giải ở cơ sở được tăng cường.",
        ),
        doc(
            "hoa-moi",
            "Kết luận về dân tộc",
            "2-KL/TU",
            "Giữ vững khối đại đoàn kết, chung sống hoà thuận.",
        ),
        doc(
            "hoa-hoc",
            "Kết luận về công nghiệp",
            "3-KL/TU",
            "Phát triển công nghiệp hóa chất, hiện đại hóa.",
        ),
        doc(
            "hoa-tuoi",
            "Kết luận về lễ hội",
            "4-KL/TU",
            "Lễ hội hoa xuân được tổ chức tiết kiệm.",
        ),
        doc(
            "sach-se",
            "Kết luận về môi trường",
            "5-KL/TU",
            "Bảo đảm nước sạch cho nhân dân nông thôn.",
        ),
        doc(
            "sach-vo",
            "Kết luận về thư viện",
            "6-KL/TU",
            "Trang bị sách cho thư viện các trường.",
        ),
        doc(
            "thuy-loi",
            "Kết luận về thuỷ lợi",
            "7-KL/TU",
            "Nâng cấp công trình thuỷ lợi, Uỷ ban chỉ đạo.",
        ),
        doc("nfd", "Kết luận về tài chính", "8-KL/TU", &nfd),
        doc(
            "gpmb",
            "Kết luận về giải phóng mặt bằng",
            "706-KL/TU",
            "Đẩy nhanh giải phóng mặt bằng dự án đường vành đai.",
        ),
        doc(
            "rai-rac",
            "Kết luận về đất đai",
            "9-KL/TU",
            "Mặt trận giải thích chính sách, phóng viên đưa tin, bằng khen.",
        ),
        doc(
            "trich-dan",
            "Kết luận về đường vành đai",
            "10-KL/TU",
            "Thực hiện Kết luận số 706-KL/TU của Ban Thường vụ và Quyết định 123/QĐ-UBND.",
        ),
        doc(
            "nhan-su",
            "Kết luận về cán bộ",
            "11-KL/TU",
            "Đồng chí Nguyễn Văn Khải–UVBTV phụ trách.",
        ),
    ];
    docs[4].year = 2023;
    docs[4].quarter = "2023-Q4".into();
    docs[4].date = "2023-11-20".into();
    docs[5].issuer = "Tỉnh uỷ Bắc Ninh".into();
    docs[5].term = Some("XX".into());
    docs
}

fn built() -> Vec<OutputFile> {
    build_index(fixture()).expect("build")
}

fn write(files: &[OutputFile], dir: &Path) {
    for f in files {
        std::fs::write(dir.join(&f.path), &f.bytes).unwrap();
    }
}

/// The native session over a fresh build.
fn session() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    write(&built(), tmp.path());
    let session = open_folder(tmp.path()).unwrap();
    (tmp, session)
}

fn run(session: &Session, request: &Request) -> Response {
    match session.step(request).unwrap() {
        Step::Done(r) => r,
        Step::Need { need } => panic!("a whole-file session needed {need:?}"),
    }
}

fn urls(session: &Session, q: &str) -> Vec<String> {
    let mut urls: Vec<String> = run(session, &Request::new(q))
        .hits
        .into_iter()
        .map(|h| {
            h.url
                .trim_start_matches("ket-luan/")
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    urls.sort();
    urls
}

#[test]
fn accented_words_match_only_their_own_tone() {
    let (_tmp, s) = session();
    assert_eq!(
        urls(&s, "hòa"),
        ["hoa-cu", "hoa-moi"],
        "hòa and hoà, not hóa or hoa"
    );
    assert_eq!(
        urls(&s, "HOÀ"),
        ["hoa-cu", "hoa-moi"],
        "capitals, new placement"
    );
    assert_eq!(urls(&s, "hóa"), ["hoa-hoc"]);
    assert_eq!(urls(&s, "sạch"), ["sach-se"], "clean, not book");
    assert_eq!(urls(&s, "sách"), ["nfd", "rai-rac", "sach-vo"]);
}

#[test]
fn words_without_accents_match_every_accented_form() {
    let (_tmp, s) = session();
    assert_eq!(
        urls(&s, "hoa"),
        ["hoa-cu", "hoa-hoc", "hoa-moi", "hoa-tuoi"]
    );
    assert_eq!(urls(&s, "ngan sach"), ["nfd"]);
    assert_eq!(
        urls(&s, "uy ban"),
        ["nfd", "thuy-loi", "trich-dan"],
        "ban, bàn, Ban"
    );
}

#[test]
fn tone_placement_and_nfd_do_not_matter() {
    let (_tmp, s) = session();
    assert_eq!(urls(&s, "thủy lợi"), ["thuy-loi"]);
    assert_eq!(urls(&s, "thuỷ lợi"), ["thuy-loi"]);
    assert_eq!(
        urls(&s, "ủy ban"),
        ["thuy-loi", "trich-dan"],
        "Uỷ ban, Ban; not bàn"
    );
    assert_eq!(urls(&s, "ngân sách"), ["nfd"], "NFD document, NFC query");
    let nfd_query: String = "quỹ đất".nfd().collect();
    assert_eq!(urls(&s, &nfd_query), ["nfd"], "NFD query");
}

#[test]
fn all_words_must_be_present_and_quotes_need_the_phrase() {
    let (_tmp, s) = session();
    assert_eq!(urls(&s, "giải phóng mặt bằng"), ["gpmb", "rai-rac"]);
    assert_eq!(urls(&s, "\"giải phóng mặt bằng\""), ["gpmb"]);
    assert_eq!(
        urls(&s, "\"giai phong mat bang\""),
        ["gpmb"],
        "folded phrase"
    );
    assert_eq!(urls(&s, "sạch thư viện"), Vec::<String>::new());
}

#[test]
fn document_numbers_are_found_whole_own_number_first() {
    let (_tmp, s) = session();
    let r = run(&s, &Request::new("706-kl/tu"));
    let found: Vec<&str> = r.hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(
        found,
        ["ket-luan/gpmb/", "ket-luan/trich-dan/"],
        "own number, then citing"
    );
    assert_eq!(
        urls(&s, "123/QD-UBND"),
        ["trich-dan"],
        "Đ typed as D, cited in the body"
    );
    assert_eq!(urls(&s, "123/QĐ-UBND"), ["trich-dan"]);
    assert_eq!(urls(&s, "707-KL/TU"), Vec::<String>::new());
}

#[test]
fn words_glued_by_dashes_are_found() {
    let (_tmp, s) = session();
    assert_eq!(urls(&s, "Khải"), ["nhan-su"]);
    assert_eq!(urls(&s, "UVBTV"), ["nhan-su"]);
    assert_eq!(urls(&s, "Khải–UVBTV"), ["nhan-su"]);
}

#[test]
fn filters_narrow_results() {
    let (_tmp, s) = session();
    let mut request = Request::new("kết luận");
    assert_eq!(run(&s, &request).total, 12);
    request.filters = Filters {
        year: Some("2023".into()),
        ..Filters::default()
    };
    assert_eq!(run(&s, &request).hits[0].url, "ket-luan/sach-se/");
    assert_eq!(run(&s, &request).total, 1);
    request.filters = Filters {
        issuer: Some(ketluan_search::facet_key("Tỉnh ủy Bắc Ninh")),
        ..Filters::default()
    };
    assert_eq!(run(&s, &request).total, 1, "key ignores tone placement");
    request.filters = Filters {
        term: Some("xxiii".into()),
        quarter: Some("2024-Q2".into()),
        ..Filters::default()
    };
    assert_eq!(run(&s, &request).total, 10);
    request.q = String::new();
    assert_eq!(run(&s, &request).total, 10, "filters alone list documents");
}

#[test]
fn hits_carry_what_the_page_shows() {
    let (_tmp, s) = session();
    let r = run(&s, &Request::new("ngan sach"));
    let hit = &r.hits[0];
    assert_eq!(hit.title, "Kết luận về tài chính");
    assert_eq!(hit.number, "8-KL/TU");
    assert_eq!(hit.date, "2024-05-02");
    assert_eq!(hit.issuer, "Thị ủy Thuận Thành");
    assert!(
        hit.snippet.contains("<mark>ngân</mark> <mark>sách</mark>"),
        "{}",
        hit.snippet
    );
    assert!(hit.score > 0.0);
}

#[test]
fn nothing_found_suggests_the_query_without_accents() {
    let (_tmp, s) = session();
    let r = run(&s, &Request::new("ngân sạch"));
    assert_eq!(r.total, 0);
    assert_eq!(r.suggestion.as_deref(), Some("ngan sach"));
    assert_eq!(run(&s, &Request::new("ngan sach")).total, 1);
}

#[test]
fn facets_list_filter_choices() {
    let files = built();
    let manifest: Manifest = serde_json::from_slice(
        &files
            .iter()
            .find(|f| f.path == "manifest.json")
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert_eq!(manifest.documents, 12);
    let years: Vec<(&str, u64)> = manifest
        .facets
        .years
        .iter()
        .map(|f| (f.key.as_str(), f.count))
        .collect();
    assert_eq!(years, [("2024", 11), ("2023", 1)]);
    let issuers: Vec<&str> = manifest
        .facets
        .issuers
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(issuers, ["Thị ủy Thuận Thành", "Tỉnh uỷ Bắc Ninh"]);
}

#[test]
fn two_builds_are_byte_identical_with_hashed_names() {
    let (a, b) = (built(), built());
    assert_eq!(a, b);
    for f in &a {
        if f.path != "manifest.json" {
            let hash = ketluan_search::content_hash(&f.bytes);
            assert!(
                f.path.contains(&hash),
                "{} is not named by its content",
                f.path
            );
        }
    }
}

/// The browser's loop: hot cache first, then fetch what each step names.
fn browser_rounds(files: &[OutputFile], request: &Request) -> (Response, usize, usize) {
    let by_path = |p: &str| &files.iter().find(|f| f.path == p).unwrap().bytes;
    let manifest: Manifest = serde_json::from_slice(by_path("manifest.json")).unwrap();
    let dir = RangeDir::new(&manifest);
    dir.add_hot(&manifest, by_path(&manifest.hot.path)).unwrap();
    let session = Session::open(dir.clone()).expect("the hot cache opens the index");
    let (mut rounds, mut bytes) = (0, 0);
    loop {
        match session.step(request).unwrap() {
            Step::Done(r) => return (r, rounds, bytes),
            Step::Need { need } => {
                rounds += 1;
                if std::env::var("SHOW_NEEDS").is_ok() {
                    let names: Vec<_> = need
                        .iter()
                        .map(|n| (&manifest.files[n.file].name[33..], n.start, n.end))
                        .collect();
                    eprintln!("{:?} round {rounds}: {names:?}", request.q);
                }
                assert!(rounds < 5, "too many rounds: {need:?}");
                for n in need {
                    let file = by_path(&manifest.files[n.file].path);
                    dir.add(n.file, n.start, file[n.start..n.end].to_vec())
                        .unwrap();
                    bytes += n.end - n.start;
                }
            }
        }
    }
}

#[test]
fn the_browser_needs_two_rounds_and_gets_the_same_results() {
    let files = built();
    let (_tmp, s) = session();
    for (q, max_rounds) in [
        ("hòa", 2),
        ("ngan sach", 2),
        ("\"giải phóng mặt bằng\"", 2),
        ("706-KL/TU", 3),
    ] {
        let request = Request::new(q);
        let (browser, rounds, _) = browser_rounds(&files, &request);
        let native = run(&s, &request);
        assert_eq!(browser.hits, native.hits, "{q}");
        assert!(!browser.hits.is_empty(), "{q}");
        assert!(rounds <= max_rounds, "{q}: {rounds} rounds");
    }
}
