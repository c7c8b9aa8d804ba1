//! The committed browser search module: built from the current sources, and
//! answering like `ketluan search` (the Node test in tests/wasm/).

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const WASM: &str = "theme/static/search/ketluan-search.wasm";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files the wasm is built from, as `search-wasm/sources-hash.sh` lists them.
fn sources(repo: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for root in [
        "search-core/Cargo.toml",
        "search-core/src",
        "search-wasm/Cargo.toml",
        "search-wasm/Cargo.lock",
        "search-wasm/src",
        "search-wasm/.cargo",
    ] {
        for entry in walkdir::WalkDir::new(repo.join(root)) {
            let entry = entry.expect("readable source tree");
            let native = entry
                .path()
                .starts_with(repo.join("search-core/src/native"));
            if entry.file_type().is_file() && !native {
                let rel = entry.path().strip_prefix(repo).expect("inside the repo");
                files.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn committed_wasm_is_built_from_the_current_sources() {
    let repo = repo();
    let mut listing = String::new();
    for file in sources(&repo) {
        let bytes = std::fs::read(repo.join(&file)).expect("readable source");
        listing.push_str(&format!("{}  {file}\n", hex(&Sha256::digest(&bytes))));
    }
    let current = hex(&Sha256::digest(listing.as_bytes()));
    let recorded = std::fs::read_to_string(repo.join(format!("{WASM}.sources")))
        .expect("the wasm's source hash is committed beside it");
    assert!(repo.join(WASM).is_file(), "{WASM} is missing");
    assert_eq!(
        recorded.trim(),
        current,
        "{WASM} is stale: search-core or search-wasm changed since it was built; run search-wasm/build.sh and commit the result"
    );
}

#[test]
fn wasm_answers_like_the_command_line() {
    let node = Command::new("node").arg("--version").output();
    if node.is_err() {
        eprintln!("SKIPPED: node is not installed; the wasm was not tested");
        return;
    }
    let status = Command::new("node")
        .args(["--test", "tests/wasm/"])
        .current_dir(repo())
        .env("KETLUAN_BIN", env!("CARGO_BIN_EXE_ketluan"))
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "node --test tests/wasm/ failed (output above)"
    );
}
