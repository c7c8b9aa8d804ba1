//! What a cold query costs, as the browser would pay it, without a browser:
//! for each query, a fresh session (the manifest read) answers it from a
//! built site's `search/`, and this prints the rounds, the ranges fetched
//! and their bytes (as stored: gzip), and the total found; then the same
//! query read whole (`exact`), to show the results agree.
//!
//! ```sh
//! cargo run --release -p ketluan-search --example cold -- SITE/search "ngân sách" "đất đai" …
//! ```

use std::path::{Path, PathBuf};

use ketluan_search::pack::{Session, Step};
use ketluan_search::{Request, Results};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: cold SITE/search QUERY…");
        std::process::exit(2);
    };
    let manifest = std::fs::read(dir.join("manifest.json")).expect("manifest.json");
    println!("| query | rounds | ranges | KB | found | whole: rounds | KB | found | same hits |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for query in args {
        let [tiered, whole] = [false, true].map(|exact| {
            let mut session = Session::open(&manifest).expect("pack");
            let request = Request {
                query: query.clone(),
                limit: 10,
                exact,
                ..Request::default()
            };
            answer(&dir, &mut session, &request)
        });
        let total = |r: &Results| match r.estimated {
            true => format!("~{}", r.total),
            false => r.total.to_string(),
        };
        let urls = |r: &Results| r.hits.iter().map(|h| h.url.clone()).collect::<Vec<_>>();
        println!(
            "| `{query}` | {} | {} | {:.1} | {} | {} | {:.1} | {} | {} |",
            tiered.1,
            tiered.2,
            tiered.3 as f64 / 1000.0,
            total(&tiered.0),
            whole.1,
            whole.3 as f64 / 1000.0,
            total(&whole.0),
            urls(&tiered.0) == urls(&whole.0)
        );
    }
}

/// The results, the rounds, the ranges and the bytes fetched.
fn answer(dir: &Path, session: &mut Session, request: &Request) -> (Results, usize, usize, u64) {
    let (mut rounds, mut ranges, mut bytes) = (0, 0, 0);
    loop {
        match session.step(request).expect("step") {
            Step::Done(results) => return (results, rounds, ranges, bytes),
            Step::Need { need } => {
                rounds += 1;
                for fetch in need {
                    ranges += 1;
                    bytes += fetch.end - fetch.start;
                    let file = std::fs::read(dir.join(&fetch.url)).expect("bundle");
                    let record = &file[fetch.start as usize..fetch.end as usize];
                    let mut out = Vec::new();
                    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(record), &mut out)
                        .expect("gzip");
                    session.add(&fetch, &out).expect("add");
                }
            }
        }
    }
}
