//! The browser's way of searching, natively: open from the manifest alone,
//! then fetch exactly the byte ranges each step names. It must find what the
//! command line finds, in at most three dependent rounds per query.

use std::path::Path;

use ketluan_search::manifest::Filters;
use ketluan_search::pack::{Fetch, Session, Step};
use ketluan_search::writer::{IndexDoc, write_index};
use ketluan_search::{Request, Results};

fn doc(slug: &str, title: &str, number: &str, body: &str) -> IndexDoc {
    IndexDoc {
        title: title.into(),
        number: Some(number.into()),
        summary: None,
        body_text: body.into(),
        issuer: "Thị ủy Thuận Thành".into(),
        issuer_key: "thi-uy-thuan-thanh".into(),
        term: Some("XXIII".into()),
        term_key: Some("xxiii".into()),
        tags: vec!["kinh tế".into()],
        people: vec!["Đ/c Đào Quang Khải–UVBTV".into()],
        date: "2024-05-02".into(),
        year: 2024,
        quarter: "2024-q2".into(),
        url: format!("ket-luan/{slug}/"),
    }
}

fn built() -> tempfile::TempDir {
    let docs = vec![
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
            "Chung sống hoà thuận, giữ vững đoàn kết.",
        ),
        doc(
            "hoa-hoc",
            "Kết luận về công nghiệp",
            "3-KL/TU",
            "Phát triển công nghiệp hóa chất.",
        ),
        doc(
            "gpmb",
            "Kết luận về giải phóng mặt bằng",
            "706-KL/TU",
            "Đẩy nhanh giải phóng mặt bằng dự án.",
        ),
        doc(
            "trich-dan",
            "Kết luận về đường vành đai",
            "10-KL/TU",
            "Thực hiện Kết luận số 706-KL/TU và Quyết định 123/QĐ-UBND.",
        ),
        doc(
            "ngan-sach",
            "Kết luận về tài chính",
            "8-KL/TU",
            "Dự toán ngân sách huyện năm 2024.",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    write_index(&docs, Filters::default(), tmp.path()).unwrap();
    tmp
}

/// Runs `request` as the browser does; returns the results, the number of
/// dependent fetch rounds and the bytes fetched.
fn browser(dir: &Path, session: &mut Session, request: &Request) -> (Results, usize, usize) {
    let (mut rounds, mut bytes) = (0, 0);
    loop {
        match session.step(request).unwrap() {
            Step::Done(r) => return (r, rounds, bytes),
            Step::Need { need } => {
                rounds += 1;
                assert!(rounds < 5, "{:?} keeps needing {need:?}", request.query);
                for fetch in need {
                    let record = range(dir, &fetch);
                    bytes += record.len();
                    session.add(&fetch, &inflate(&record)).unwrap();
                }
            }
        }
    }
}

/// The bytes a Range request for `fetch` gets.
fn range(dir: &Path, fetch: &Fetch) -> Vec<u8> {
    let file = std::fs::read(dir.join(&fetch.url)).unwrap();
    file[fetch.start as usize..fetch.end as usize].to_vec()
}

/// What the browser's `DecompressionStream` does to a record.
fn inflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn session(dir: &Path) -> Session {
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap();
    Session::open(&manifest).expect("the manifest alone opens the pack")
}

fn request(q: &str) -> Request {
    Request {
        query: q.into(),
        limit: 10,
        ..Request::default()
    }
}

#[test]
fn the_pack_finds_what_the_command_line_finds_in_two_rounds() {
    let dir = built();
    for q in [
        "hòa",
        "hoa",
        "ngan sach",
        "\"giải phóng mặt bằng\"",
        "706-KL/TU",
        "123/QD-UBND",
        "Khải–UVBTV",
    ] {
        let native = ketluan_search::search(dir.path(), &request(q)).unwrap();
        // A fresh page each time: nothing fetched by an earlier query.
        let mut session = session(dir.path());
        let (found, rounds, bytes) = browser(dir.path(), &mut session, &request(q));
        assert!(!native.hits.is_empty(), "{q} finds nothing natively");
        assert_eq!(found, native, "{q}");
        assert_eq!(
            rounds, 2,
            "{q}: chunks and the small tables, then documents"
        );
        assert!(bytes > 0);
    }
}

#[test]
fn a_repeated_query_fetches_nothing_more() {
    let dir = built();
    let mut session = session(dir.path());
    let (_, rounds, _) = browser(dir.path(), &mut session, &request("ngân sách"));
    assert!(rounds > 0);
    let (again, rounds, bytes) = browser(dir.path(), &mut session, &request("ngân sách"));
    assert_eq!((rounds, bytes), (0, 0));
    assert_eq!(again.hits[0].url, "ket-luan/ngan-sach/");
}

#[test]
fn a_word_missing_from_the_index_finds_nothing_and_suggests() {
    let dir = built();
    let mut session = session(dir.path());
    let (found, rounds, _) = browser(dir.path(), &mut session, &request("ngân sạch"));
    assert_eq!(found.total, 0);
    assert_eq!(found.suggestion.as_deref(), Some("ngan sach"));
    assert!(rounds <= 1, "no documents to fetch");
}

#[test]
fn a_truncated_chunk_is_an_error_not_a_panic() {
    let dir = built();
    let mut session = session(dir.path());
    let Step::Need { need } = session.step(&request("hòa")).unwrap() else {
        panic!("nothing fetched yet, yet no need");
    };
    let fetch = &need[0];
    let bytes = inflate(&range(dir.path(), fetch));
    assert!(session.add(fetch, &bytes[..bytes.len() / 2]).is_err());
    assert!(Session::open(b"{\"pack\": 1}").is_err());
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    let old = manifest.replace(
        &format!("\"version\":{}", ketluan_search::pack::VERSION),
        "\"version\":1",
    );
    assert_ne!(old, manifest);
    let refused = Session::open(old.as_bytes())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(refused.contains("build the site again"), "{refused}");
}
