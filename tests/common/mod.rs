//! Helpers shared by the integration tests: building fixture sites, a
//! generated corpus, and reading the output like a browser would.
// Each test crate includes this module and uses a part of it, as its own
// private module.
#![allow(dead_code, unreachable_pub)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_ketluan");

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example site: the repository itself, with the real sample
/// conclusion; its `theme/` is the built-in theme, not an override.
pub fn example() -> PathBuf {
    repo()
}

/// Runs the `ketluan` binary; returns (exit code, stdout, stderr).
pub fn ketluan(args: &[&str]) -> (i32, String, String) {
    let out = quiet_locale(&mut Command::new(BIN))
        .args(args)
        .output()
        .expect("run ketluan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Builds `root` into `out`, panicking with the messages on failure.
pub fn build(root: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = ketluan(&args);
    assert_eq!(code, 0, "build failed:\n{stdout}\n{stderr}");
}

/// A site folder made of `site.toml` text and `(path, text)` content files.
pub fn site(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    dir
}

pub const CONFIG: &str =
    "title = \"Lưu trữ thử\"\nbase_url = \"https://example.org/luu-tru/\"\npage_size = 5\n";

/// A minimal valid document.
pub fn doc(title: &str, date: &str, body: &str, number: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nbody = \"{body}\"\nnumber = \"{number}\"\n+++\n\nNội dung của {title}.\n"
    )
}

/// An output folder inside a temporary folder of its own: a build keeps its
/// cache and spare copy beside the output, and those must not litter /tmp.
pub struct Output {
    _parent: tempfile::TempDir,
    path: PathBuf,
}

impl Output {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

pub fn output() -> Output {
    let parent = tempfile::tempdir().unwrap();
    let path = parent.path().join("public");
    Output {
        _parent: parent,
        path,
    }
}

/// A site of `count` documents from the shared corpus generator, with its
/// manifest (one JSON object per document).
pub fn generated_site(count: usize) -> (tempfile::TempDir, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("../shared/corpus/gen_corpus.py");
    assert!(
        script.exists(),
        "the corpus generator is missing at {}",
        script.display()
    );
    let status = Command::new("python3")
        .arg(&script)
        .args(["--count", &count.to_string(), "--out"])
        .arg(dir.path())
        .arg("--seed-doc")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3");
    assert!(status.success());
    std::fs::write(
        dir.path().join("site.toml"),
        CONFIG.replace("page_size = 5", "page_size = 20"),
    )
    .unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("manifest.jsonl")).unwrap();
    let entries = manifest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (dir, entries)
}

/// Every file under `dir`, as site-relative path → bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// `ketluan search --json --limit 50` on the site at `root`: the hits.
pub fn search_hits(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    search_json(root, args).1
}

/// `ketluan search --json` on the site at `root`: the total and the hits.
pub fn search_json(root: &Path, args: &[&str]) -> (u64, Vec<serde_json::Value>) {
    let mut all = vec![
        "search",
        "--root",
        root.to_str().unwrap(),
        "--json",
        "--limit",
        "50",
    ];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = ketluan(&all);
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let hits = value["hits"].as_array().expect("hits").clone();
    (value["total"].as_u64().expect("total"), hits)
}

/// The slugs of the documents `ketluan search` finds, in its order.
pub fn search_slugs(root: &Path, args: &[&str]) -> Vec<String> {
    search_hits(root, args)
        .iter()
        .map(|h| {
            h["url"]
                .as_str()
                .unwrap()
                .trim_start_matches("ket-luan/")
                .trim_end_matches('/')
                .to_string()
        })
        .collect()
}

pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of `attr="…"` attributes in an HTML page, unescaped.
pub fn attributes(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let start = i + needle.len();
            html[start..]
                .find('"')
                .map(|end| unescape(&html[start..start + end]))
        })
        .collect()
}

pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Resolves a link found on page `from` (site-relative file path) to the
/// site-relative file it points at, or `None` for links leaving the site.
pub fn resolve(from: &str, href: &str, base_url: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap();
    let mut segments: Vec<&str> = if let Some(rest) = path.strip_prefix(base_url) {
        rest.split('/').collect()
    } else if path.contains("://") || path.starts_with("mailto:") {
        return None;
    } else if path.is_empty() {
        return Some((from.to_string(), fragment));
    } else if let Some(abs) = path.strip_prefix('/') {
        let base_path = base_url.splitn(4, '/').nth(3).unwrap_or("");
        let rest = abs
            .strip_prefix(base_path)
            .unwrap_or_else(|| panic!("{href} on {from} is outside the site's path"));
        rest.split('/').collect()
    } else {
        let mut s: Vec<&str> = from.split('/').collect();
        s.pop();
        s.extend(path.split('/'));
        s
    };
    let mut out: Vec<&str> = Vec::new();
    let last_is_dir = path.ends_with('/') || path.is_empty();
    for seg in segments.drain(..) {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(
                    out.pop().is_some(),
                    "{href} on {from} climbs above the site root"
                );
            }
            s => out.push(s),
        }
    }
    let mut file = out.join("/");
    if last_is_dir || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some((file, fragment))
}

/// Every broken internal link of the site: (page, href).
pub fn broken_links(out: &Path, base_url: &str) -> Vec<(String, String)> {
    let all = files(out);
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in &all {
        if path.ends_with(".html") {
            ids.insert(
                path,
                attributes(&String::from_utf8_lossy(bytes), "id")
                    .into_iter()
                    .collect(),
            );
        }
    }
    let mut broken = Vec::new();
    for (path, bytes) in &all {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            let Some((target, fragment)) = resolve(path, &href, base_url) else {
                continue;
            };
            let ok = all.contains_key(&target)
                && fragment.is_none_or(|f| {
                    f.is_empty() || ids.get(target.as_str()).is_some_and(|set| set.contains(&f))
                });
            if !ok {
                broken.push((path.clone(), href));
            }
        }
    }
    broken
}

/// A command whose language is ketluan's default, whatever the machine's
/// locale: Vietnamese unless the test asks with `--lang` or `LANG`.
pub fn quiet_locale(command: &mut Command) -> &mut Command {
    for name in ["KETLUAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command
}

/// Compares `actual` with the whole of the snapshot `expected`;
/// `UPDATE_SNAPSHOTS=1` rewrites the file instead, for a message changed on
/// purpose.
pub fn assert_snapshot(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want != actual {
        panic!(
            "{} differs from the output (UPDATE_SNAPSHOTS=1 rewrites it):\n{}",
            expected.display(),
            line_diff(&want, actual)
        );
    }
}

/// The lines between the common first and last ones, `-` expected, `+` actual.
fn line_diff(want: &str, got: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    for line in &a[head..a.len() - tail] {
        out.push_str(&format!("-{line}\n"));
    }
    for line in &b[head..b.len() - tail] {
        out.push_str(&format!("+{line}\n"));
    }
    out
}
