//! The browser's pack (`search-core/src/pack/`), natively: what a query
//! fetches, in how many rounds. `ketluan search` is this same reader on the
//! files on disk; the wasm is it compiled for the browser, which
//! tests/wasm/ checks against the command line.

mod common;

use std::path::Path;

use common::*;
use ketluan_search::manifest::Manifest;
use ketluan_search::pack::{Fetch, Session, Step};
use ketluan_search::{Request, Results};

/// Answers `request` from the pack in `search`, reading the ranges it asks
/// for; returns the results and the number of rounds.
fn pack_search(search: &Path, session: &mut Session, request: &Request) -> (Results, usize) {
    let (results, rounds, _) = answer(search, session, request);
    (results, rounds)
}

/// The results, the rounds and the bytes fetched (as stored, gzip'd).
fn answer(search: &Path, session: &mut Session, request: &Request) -> (Results, usize, u64) {
    let mut bytes = 0;
    for rounds in 0..5 {
        match session.step(request).unwrap() {
            Step::Done(results) => return (results, rounds, bytes),
            Step::Need { need } => {
                for fetch in need {
                    bytes += fetch.end - fetch.start;
                    session
                        .add(&fetch, &gunzip(&range(search, &fetch)))
                        .unwrap();
                }
            }
        }
    }
    panic!("{request:?}: more than 4 rounds");
}

fn range(search: &Path, fetch: &Fetch) -> Vec<u8> {
    let bytes = std::fs::read(search.join(&fetch.url)).unwrap();
    bytes[fetch.start as usize..fetch.end as usize].to_vec()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn manifest(search: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(search.join("manifest.json")).unwrap()).unwrap()
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
fn chunk_bytes(search: &Path, query: &str) -> u64 {
    let mut session = open_session(search);
    match session.step(&request(query)).unwrap() {
        Step::Need { need } => need.iter().map(|f| f.end - f.start).sum(),
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
        assert!(rounds <= 3, "{words}: {rounds} rounds");
    }
}

/// The results of `query` from a fresh session, read as the browser reads
/// (tails when needed) or whole; and the bytes fetched.
fn cold(search: &Path, query: &str, exact: bool) -> (Results, u64) {
    let request = Request {
        exact,
        ..request(query)
    };
    let (results, _, bytes) = answer(search, &mut open_session(search), &request);
    (results, bytes)
}

#[test]
fn heads_of_long_lists_answer_as_whole_lists() {
    // Enough documents for common words to be longer than a head, and
    // lists tiered from 600 documents (a real archive tiers from 8,192).
    let (site, _) = generated_site(1500);
    let out = site.path().join("public");
    let status = std::process::Command::new(BIN)
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .env("KETLUAN_TIERS_FROM", "600")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let search = out.join("search");
    let mut fewer = 0;
    for query in [
        "ngân sách",
        "ngan sach",
        "hòa",
        "thủy lợi",
        "đất đai",
        "giải phóng mặt bằng",
        "\"giải phóng mặt bằng\"",
        "kinh tế xã hội",
        "tỉnh",
    ] {
        let (heads, bytes) = cold(&search, query, false);
        let (whole, all) = cold(&search, query, true);
        let urls = |r: &Results| r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>();
        assert_eq!(
            urls(&heads),
            urls(&whole),
            "{query}: the same results in the same order"
        );
        assert_eq!(heads.hits.len(), 10, "{query}");
        assert!(!whole.estimated, "{query}: read whole, the count is exact");
        if heads.estimated {
            let (est, real) = (heads.total as f64, whole.total as f64);
            assert!(
                (est - real).abs() <= 0.25 * real,
                "{query}: about {est} for {real}"
            );
        } else {
            assert_eq!(heads.total, whole.total, "{query}");
        }
        assert!(
            bytes <= all,
            "{query}: {bytes} B against {all} B read whole"
        );
        fewer += usize::from(bytes < all);
    }
    assert!(
        fewer >= 3,
        "only {fewer} queries were answered without every tail"
    );
}

#[test]
fn a_session_fetches_each_record_once() {
    let (site, _) = generated_site(60);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let search = out.join("search");
    let mut session = open_session(&search);
    let (first, rounds) = pack_search(&search, &mut session, &request("ngân sách"));
    assert!(first.total > 0);
    assert_eq!(
        rounds, 2,
        "words (with the few groups' tables), then documents"
    );
    let (again, rounds) = pack_search(&search, &mut session, &request("ngân sách"));
    assert_eq!((again, rounds), (first, 0));
    // The phrase's pair was fetched with the words (for ranking).
    let (_, rounds) = pack_search(&search, &mut session, &request("\"ngân sách\""));
    assert!(rounds <= 1, "at most the documents not shown yet");
    let unasked = Fetch {
        url: "nothing.docs".into(),
        start: 0,
        end: 2,
    };
    assert!(matches!(
        session.add(&unasked, b"{}"),
        Err(ketluan_search::pack::PackError::NotAsked(f)) if f == unasked
    ));
}

/// Every file under `dir`, relative, with its length.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut all: Vec<(String, u64)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn search_is_a_few_files_and_every_byte_of_them_is_read() {
    let (site, docs) = generated_site(300);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let search = out.join("search");
    let files = listing(&search);
    // Pagefind's one file per page does not fit a 10,000-page site in
    // Cloudflare Pages' 20,000 files; the pack stays at 2% of the
    // documents, or 20 for a small archive.
    let limit = (docs.len() / 50).max(20);
    assert!(
        files.len() <= limit,
        "{} files in search/ for {} documents: {files:?}",
        files.len(),
        docs.len()
    );
    let m = manifest(&search);
    let mut listed: Vec<&str> = m.pack.files.iter().map(String::as_str).collect();
    listed.push("manifest.json");
    listed.sort_unstable();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names, listed,
        "search/ holds the manifest and the bundles it names, and nothing else (no tantivy index)"
    );
    // Each bundle is its records, end to end: nothing published is unread.
    let mut covered: Vec<Vec<(u64, u64)>> = vec![Vec::new(); m.pack.files.len()];
    for c in &m.pack.chunks {
        let r = c.record;
        covered[r.file() as usize].push((r.start(), r.end()));
        // Its keys' tails, end to end.
        let tails = r.end() + u64::from(c.tails);
        covered[r.file() as usize].push((r.end(), tails));
    }
    // Groups side by side may share their tables' record (a small
    // archive's are one).
    for run in m.pack.groups.chunk_by(|a, b| a.table == b.table) {
        let t = run[0].table;
        covered[t.file() as usize].push((t.start(), t.end()));
        let table = gunzip(&range(
            &search,
            &Fetch {
                url: m.pack.files[t.file() as usize].clone(),
                start: t.start(),
                end: t.end(),
            },
        ));
        let mut cursor = &table[..];
        for g in run {
            let mut start = 0;
            for _ in 0..g.docs {
                let (units, rest) = varint(cursor);
                let len = units * u64::from(ketluan_search::pack::RECORD_ALIGN);
                covered[g.file as usize].push((start, start + len));
                start += len;
                cursor = rest;
            }
        }
        assert!(
            cursor.is_empty(),
            "the tables' record lists only its groups"
        );
    }
    assert_eq!(
        m.pack.groups.iter().map(|g| g.docs as usize).sum::<usize>(),
        docs.len()
    );
    for (i, mut spans) in covered.into_iter().enumerate() {
        spans.sort_unstable();
        let name = &m.pack.files[i];
        let len = files.iter().find(|(n, _)| n == name).unwrap().1;
        let mut end = 0;
        for (s, e) in spans {
            assert_eq!(s, end, "{name}: a gap or overlap at byte {end}");
            end = e;
        }
        assert_eq!(end, len, "{name}: bytes after the last record");
    }
}

fn varint(bytes: &[u8]) -> (u64, &[u8]) {
    let mut value = 0;
    for (i, b) in bytes.iter().enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return (value, &bytes[i + 1..]);
        }
    }
    panic!("truncated varint");
}

#[test]
fn a_copied_site_is_searched_without_the_build_cache() {
    let (site, _) = generated_site(60);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let query = ["search", "ngân sách", "--json", "--limit", "20", "--output"];
    let run = |dir: &Path| {
        let mut args = query.to_vec();
        args.push(dir.to_str().unwrap());
        let (code, stdout, stderr) = ketluan(&args);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let here = run(&out);
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("site");
    for (rel, bytes) in files(&out) {
        let target = copy.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(site.path().join(".public.ketluan-cache")).unwrap();
    assert!(here.contains("\"total\""));
    assert_eq!(
        run(&copy),
        here,
        "a copy of the site answers as the built one"
    );
}
