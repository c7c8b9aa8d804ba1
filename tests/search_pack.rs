//! The browser's pack (`search-core/src/pack/`), natively: what a query
//! fetches, in how many rounds. `ketluan search` is this same reader on the
//! files on disk; the wasm is it compiled for the browser, which
//! tests/wasm/ checks against the command line.

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

/// The gzip bytes of the chunks a fresh session fetches for `query`.
fn chunk_bytes(search: &Path, query: &str) -> usize {
    let mut session = open_session(search);
    match session.step(&request(query)).unwrap() {
        Step::Need { need } => need
            .iter()
            .filter(|url| url.ends_with(".terms"))
            .map(|url| std::fs::metadata(search.join(url)).unwrap().len() as usize)
            .sum(),
        Step::Done(_) => 0,
    }
}

#[test]
fn phrases_cost_no_more_than_their_words() {
    let (site, _) = generated_site(300);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let search = out.join("search");
    for words in [
        "giải phóng mặt bằng",
        "ngân sách nhà nước",
        "dat dai",
        "chuyển đổi số",
    ] {
        let plain = chunk_bytes(&search, words);
        let quoted = chunk_bytes(&search, &format!("\"{words}\""));
        assert!(plain > 0, "{words}");
        assert!(
            quoted * 2 <= plain * 3,
            "{words}: quoted {quoted} B against {plain} B unquoted"
        );
        let mut session = open_session(&search);
        let (found, rounds) = pack_search(&search, &mut session, &request(&format!("\"{words}\"")));
        assert!(found.total > 0, "{words}: the corpus has the phrase");
        assert!(rounds <= 2, "{words}: {rounds} rounds");
    }
    // No positions are published: the browser never reads them.
    let positions = std::fs::read_dir(&search)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "positions")
        })
        .count();
    assert_eq!(positions, 0);
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
    // The phrase's pair was fetched with the words (for ranking).
    let (_, rounds) = pack_search(&search, &mut session, &request("\"ngân sách\""));
    assert!(rounds <= 1, "at most the documents not shown yet");
    assert!(matches!(
        session.add("doc/nothing.json", b"{}"),
        Err(ketluan_search::pack::PackError::NotAsked(url)) if url == "doc/nothing.json"
    ));
}
