//! The browser's way of searching, natively: open from the hot cache alone,
//! then fetch exactly the byte ranges each step names. It must find what
//! the command line finds, in at most two dependent rounds per query.

use std::path::Path;

use ketluan_search::manifest::{Filters, Manifest};
use ketluan_search::writer::{IndexDoc, write_index};
use ketluan_search::{RangeDir, Request, Results, Session, Step};

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

fn manifest(dir: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Runs `request` as the browser does; returns the results, the number of
/// dependent fetch rounds and the bytes fetched.
fn browser(dir: &Path, session: &Session, request: &Request) -> (Results, usize, usize) {
    let manifest = manifest(dir);
    let (mut rounds, mut bytes) = (0, 0);
    loop {
        match session.step(request).unwrap() {
            Step::Done(r) => return (r, rounds, bytes),
            Step::Need { need } => {
                rounds += 1;
                assert!(rounds < 5, "{:?} keeps needing {need:?}", request.query);
                for n in need {
                    let file = std::fs::read(dir.join(&manifest.files[n.file].url)).unwrap();
                    session
                        .dir
                        .add(n.file, n.start, file[n.start..n.end].to_vec())
                        .unwrap();
                    bytes += n.end - n.start;
                }
            }
        }
    }
}

fn hot_session(dir: &Path) -> Session {
    let manifest = manifest(dir);
    let range_dir = RangeDir::new(&manifest);
    let hot = std::fs::read(dir.join(&manifest.hot.url)).unwrap();
    range_dir.add_hot(&manifest, &hot).unwrap();
    Session::open(range_dir).expect("the hot cache alone opens the index")
}

fn request(q: &str) -> Request {
    Request {
        query: q.into(),
        limit: 10,
        ..Request::default()
    }
}

#[test]
fn range_reads_find_what_the_command_line_finds_in_two_rounds() {
    let dir = built();
    let (index, _) = ketluan_search::files::open_published(dir.path()).unwrap();
    for q in [
        "hòa",
        "hoa",
        "ngan sach",
        "\"giải phóng mặt bằng\"",
        "706-KL/TU",
        "123/QD-UBND",
    ] {
        let native = ketluan_search::search(&index, &request(q)).unwrap();
        // A fresh page each time: nothing fetched by an earlier query.
        let session = hot_session(dir.path());
        let (found, rounds, bytes) = browser(dir.path(), &session, &request(q));
        assert!(!native.hits.is_empty(), "{q} finds nothing natively");
        assert_eq!(found, native, "{q}");
        assert!(rounds <= 2, "{q}: {rounds} dependent rounds");
        assert!(
            bytes > 0,
            "{q}: fetched nothing, so the test proves nothing"
        );
    }
}

#[test]
fn a_repeated_query_fetches_nothing_more() {
    let dir = built();
    let session = hot_session(dir.path());
    let (_, rounds, _) = browser(dir.path(), &session, &request("ngân sách"));
    assert!(rounds > 0);
    let (again, rounds, bytes) = browser(dir.path(), &session, &request("ngân sách"));
    assert_eq!((rounds, bytes), (0, 0));
    assert_eq!(again.hits[0].url, "ket-luan/ngan-sach/");
}

#[test]
fn a_host_without_range_support_serves_whole_files() {
    let dir = built();
    let manifest = manifest(dir.path());
    let range_dir = RangeDir::new(&manifest);
    for (i, f) in manifest.files.iter().enumerate() {
        range_dir
            .add(i, 0, std::fs::read(dir.path().join(&f.url)).unwrap())
            .unwrap();
    }
    let session = Session::open(range_dir).unwrap();
    let (found, rounds, _) = browser(dir.path(), &session, &request("hòa"));
    assert_eq!(rounds, 0);
    let urls: Vec<_> = found.hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(urls.len(), 2, "hòa and hoà, not hóa: {urls:?}");
}

#[test]
fn a_truncated_hot_cache_is_an_error_not_a_panic() {
    let dir = built();
    let manifest = manifest(dir.path());
    let range_dir = RangeDir::new(&manifest);
    let hot = std::fs::read(dir.path().join(&manifest.hot.url)).unwrap();
    assert!(range_dir.add_hot(&manifest, &hot[..hot.len() / 2]).is_err());
}
