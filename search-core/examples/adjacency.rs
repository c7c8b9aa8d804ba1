//! Measures how well a built site's search ranks the documents in which a
//! query's syllables stand next to each other, in order:
//!
//! ```sh
//! cargo run --release -p ketluan-search --example adjacency -- SITE/search SITE/content "dat dai" "quốc phòng" …
//! ```
//!
//! For each query it prints the documents found, those in which the words
//! are adjacent (decided here from the documents' Markdown with the
//! analyser, independently of the index), and how many of those rank within
//! the first that-many results.

use std::io::Read;
use std::path::{Path, PathBuf};

use ketluan_search::analysis::{self, Token};
use ketluan_search::pack::{DocFile, PackMeta, Record, Session, Step, decode_tables};
use ketluan_search::{Request, Results};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(content)) = (
        args.next().map(PathBuf::from),
        args.next().map(PathBuf::from),
    ) else {
        eprintln!("usage: adjacency SITE/search CONTENT QUERY…");
        std::process::exit(2);
    };
    let manifest = read(&dir.join("manifest.json"));
    let meta: PackMeta = serde_json::from_slice::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|v| serde_json::from_value(v["pack"].clone()).ok())
        .expect("a pack manifest");
    let docs = documents(&dir, &meta, &content);
    println!("| query | found | adjacent | adjacent within the first that-many |");
    println!("|---|---|---|---|");
    for query in args {
        let mut session = Session::open(&manifest).expect("pack");
        let ranked = all_results(&dir, &mut session, &query);
        let words = analysis::tokenize(&analysis::nfc(&query));
        let adjacent: Vec<bool> = ranked
            .iter()
            .map(|url| {
                docs.iter()
                    .find(|d| &d.0 == url)
                    .is_some_and(|d| contains_run(&d.1, &d.2, &words))
            })
            .collect();
        let count = adjacent.iter().filter(|a| **a).count();
        let first = adjacent.iter().take(count).filter(|a| **a).count();
        println!("| `{query}` | {} | {count} | {first} |", ranked.len());
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn range(dir: &Path, meta: &PackMeta, record: Record) -> Vec<u8> {
    let bytes = read(&dir.join(meta.file(record).expect("file")));
    bytes[record.start() as usize..record.end() as usize].to_vec()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// Every document's URL, text and words: its Markdown file in `content`
/// (front matter included: tags, signer and recipients are searched too),
/// found by the page's URL.
fn documents(dir: &Path, meta: &PackMeta, content: &Path) -> Vec<(String, String, Vec<Token>)> {
    let mut records = Vec::new();
    // Groups side by side may share their tables' record.
    for run in meta.groups.chunk_by(|a, b| a.table == b.table) {
        let table = gunzip(&range(dir, meta, run[0].table));
        let counts: Vec<u32> = run.iter().map(|g| g.docs).collect();
        let tables = decode_tables(&table, &counts).expect("table");
        for (group, offsets) in run.iter().zip(tables) {
            for w in offsets.windows(2) {
                let len = u32::try_from(w[1] - w[0]).expect("record length");
                records.push(gunzip(&range(dir, meta, Record(group.file, w[0], len))));
            }
        }
    }
    records
        .into_iter()
        .map(|record| {
            let file: DocFile = serde_json::from_slice(&record).unwrap();
            let slug = file
                .url
                .trim_start_matches("ket-luan/")
                .trim_end_matches('/');
            let (year, name) = slug.split_once('-').expect("slug");
            let path = content.join(year).join(format!("{name}.md"));
            let text = analysis::nfc(&String::from_utf8_lossy(&read(&path))).into_owned();
            let tokens = analysis::tokenize(&text);
            (file.url, text, tokens)
        })
        .collect()
}

fn matches(query: &Token, word: &Token) -> bool {
    if query.exact == query.folded {
        query.folded == word.folded
    } else {
        query.exact == word.exact
    }
}

/// Whether the words follow each other in `text`, with only spaces,
/// dashes or slashes between them.
fn contains_run(text: &str, tokens: &[Token], words: &[Token]) -> bool {
    tokens.windows(words.len()).any(|w| {
        w.iter().zip(words).all(|(t, q)| matches(q, t))
            && w.windows(2).all(|p| {
                text[p[0].end..p[1].start]
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—' | '/'))
            })
    })
}

/// The URLs of every result, best first, paged 100 at a time.
fn all_results(dir: &Path, session: &mut Session, query: &str) -> Vec<String> {
    let mut urls = Vec::new();
    loop {
        let request = Request {
            query: query.into(),
            limit: 100,
            offset: urls.len(),
            ..Request::default()
        };
        let results = run(dir, session, &request);
        if results.hits.is_empty() {
            return urls;
        }
        urls.extend(results.hits.into_iter().map(|h| h.url));
    }
}

fn run(dir: &Path, session: &mut Session, request: &Request) -> Results {
    loop {
        match session.step(request).expect("search") {
            Step::Done(results) => return results,
            Step::Need { need } => {
                for fetch in need {
                    let bytes = read(&dir.join(&fetch.url));
                    let record = &bytes[fetch.start as usize..fetch.end as usize];
                    session.add(&fetch, &gunzip(record)).expect("add");
                }
            }
        }
    }
}
