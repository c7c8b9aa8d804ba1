//! The browser's pack (`search-core/src/pack.rs`) against `ketluan search`'s
//! tantivy index, natively: for a generated archive and every kind of query,
//! the same documents in the same order with the same scores (to the bit),
//! totals and snippets. The wasm is this code compiled for the browser;
//! tests/wasm/ checks it there.

mod common;

use std::path::Path;

use common::*;
use ketluan_search::pack::{Session, Step};
use ketluan_search::{Request, Results};

/// Answers `request` from the pack in `search`, reading the files it asks
/// for; returns the results and the number of rounds.
fn pack_search(search: &Path, session: &mut Session, request: &Request) -> (Results, usize) {
    for rounds in 0..4 {
        match session.step(request).unwrap() {
            Step::Done(results) => return (results, rounds),
            Step::Need { need } => {
                for url in need {
                    let bytes = std::fs::read(search.join(&url)).unwrap();
                    let bytes = if url.ends_with(".json") {
                        bytes
                    } else {
                        gunzip(&bytes)
                    };
                    session.add(&url, &bytes).unwrap();
                }
            }
        }
    }
    panic!("{request:?}: more than 3 rounds");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn open_session(search: &Path) -> Session {
    Session::open(&std::fs::read(search.join("manifest.json")).unwrap()).unwrap()
}

fn request(query: &str) -> Request {
    Request {
        query: query.into(),
        limit: 10,
        ..Request::default()
    }
}

#[test]
fn the_pack_answers_exactly_like_the_tantivy_index() {
    let (site, docs) = generated_site(300);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let search = out.join("search");
    let index = ketluan_search::files::open_published(&search).unwrap();
    let number = docs[7]["number"].as_str().unwrap().to_string();
    let cited = docs
        .iter()
        .flat_map(|d| d["cites_numbers"].as_array().unwrap().clone())
        .find_map(|n| n.as_str().map(String::from))
        .expect("the corpus cites a number");
    let year: u16 = docs[0]["date"].as_str().unwrap()[..4].parse().unwrap();
    let mut requests: Vec<Request> = [
        "ngân sách",
        "ngan sach",
        "NGÂN SÁCH",
        "hòa",
        "hoà",
        "hoa",
        "thủy lợi",
        "thuỷ lợi",
        "giải phóng mặt bằng",
        "\"giải phóng mặt bằng\"",
        "\"mặt bằng giải phóng\"",
        "đất đai",
        "kết luận hội nghị",
        "Thuận Thành",
        "sạch",
        "không có từ này xyz",
        "ngân sách nhà nước năm",
        "thị xã thuận thành khóa xxiii",
        "\"giải phóng mặt bằng\" ngân sách đất",
        "chuyển đổi số hạ tầng",
        "an ninh trật tự quốc phòng",
        number.as_str(),
        cited.as_str(),
    ]
    .map(request)
    .to_vec();
    requests.push(request(&format!("{number} kết luận hội nghị")));
    requests.push(Request {
        offset: 10,
        ..request("ngân sách")
    });
    requests.push(Request {
        year: Some(year),
        ..request("kết luận")
    });
    requests.push(Request {
        year: Some(year),
        limit: 50,
        ..Request::default()
    });
    let quarter = format!("{year}-q2");
    requests.push(Request {
        quarter: Some(quarter.clone()),
        ..request("ngan sach")
    });
    let mut session = open_session(&search);
    let mut compared = 0;
    for r in &requests {
        let native = ketluan_search::search(&index, r).unwrap();
        let (pack, rounds) = pack_search(&search, &mut session, r);
        assert!(rounds <= 2, "{r:?}: {rounds} rounds");
        assert_eq!(pack.total, native.total, "{r:?}: totals differ");
        assert_eq!(pack.suggestion, native.suggestion, "{r:?}");
        // Without words every match scores alike (tantivy's constant is
        // its own); the order is what counts.
        let words = !r.query.is_empty();
        let key = |h: &ketluan_search::Hit| {
            let score = if words { h.score.to_bits() } else { 0 };
            (h.url.clone(), score, h.snippet.clone())
        };
        assert_eq!(
            pack.hits.iter().map(key).collect::<Vec<_>>(),
            native.hits.iter().map(key).collect::<Vec<_>>(),
            "{r:?}: hits differ"
        );
        if words {
            assert_eq!(pack.hits, native.hits, "{r:?}");
        }
        compared += pack.hits.len();
    }
    assert!(compared > 100, "only {compared} hits compared");
}

#[test]
fn a_session_fetches_each_file_once() {
    let (site, _) = generated_site(60);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let search = out.join("search");
    let mut session = open_session(&search);
    let (first, rounds) = pack_search(&search, &mut session, &request("ngân sách"));
    assert!(first.total > 0);
    assert_eq!(rounds, 2, "words, then documents");
    let (again, rounds) = pack_search(&search, &mut session, &request("ngân sách"));
    assert_eq!((again, rounds), (first, 0));
    // A phrase of words already fetched needs only their positions.
    let (_, rounds) = pack_search(&search, &mut session, &request("\"ngân sách\""));
    assert!(rounds <= 2);
    assert!(matches!(
        session.add("doc/nothing.json", b"{}"),
        Err(message) if message.contains("not asked for")
    ));
}
