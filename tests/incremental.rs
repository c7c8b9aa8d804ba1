//! Rebuilds reuse the previous build (search batches from the cache beside
//! the output, unchanged files linked from the previous site) and still give
//! exactly the bytes of a clean build.

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Paths whose presence or bytes differ between two built sites.
fn differences(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (common::files(a), common::files(b));
    let paths: BTreeSet<_> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect()
}

fn edit(root: &Path, rel: &str, change: impl Fn(String) -> String) {
    let path = root.join("content").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(text)).unwrap();
}

/// The documents' files, sorted.
fn documents(root: &Path) -> Vec<String> {
    let content = root.join("content");
    let mut out: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(&content).unwrap();
            rel.to_string_lossy().into_owned()
        })
        .collect();
    out.sort();
    out
}

fn cache_entries(work: &Path) -> BTreeSet<String> {
    std::fs::read_dir(work.join(".public.ketluan-cache/search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A generated site of 400 documents (several index batches), built once
/// into `<work>/public`.
fn built_site() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let (site, _) = common::generated_site(400);
    let work = tempfile::tempdir().unwrap();
    let live = work.path().join("public");
    common::build(site.path(), &live, &[]);
    (site, work, live)
}

#[test]
fn every_rebuild_equals_a_clean_build() {
    let (site, work, live) = built_site();
    let root = site.path();
    let docs = documents(root);
    let (first, second, last) = (
        docs[0].clone(),
        docs[1].clone(),
        docs[docs.len() - 1].clone(),
    );

    type Change<'a> = Box<dyn Fn(&Path) + 'a>;
    let changes: Vec<(&str, Change)> = vec![
        ("nothing", Box::new(|_| {})),
        (
            "one body",
            Box::new(|r| edit(r, &first, |t| t + "\nMột đoạn mới về ngân sách.\n")),
        ),
        (
            "one title",
            Box::new(|r| {
                edit(r, &second, |t| {
                    t.replacen("title = \"", "title = \"Sửa đổi: ", 1)
                })
            }),
        ),
        (
            "a new document",
            Box::new(|r| {
                let text = common::doc(
                    "Kết luận mới",
                    "2024-02-03",
                    "Thành ủy Hà Tĩnh",
                    "999-KL/TU",
                );
                std::fs::write(r.join("content/moi.md"), text).unwrap();
            }),
        ),
        (
            "a deleted document",
            Box::new(|r| std::fs::remove_file(r.join("content").join(&last)).unwrap()),
        ),
        (
            "the site's title",
            Box::new(|r| {
                let config = std::fs::read_to_string(r.join("site.toml")).unwrap();
                std::fs::write(
                    r.join("site.toml"),
                    config.replace("Lưu trữ thử", "Lưu trữ"),
                )
                .unwrap();
            }),
        ),
    ];
    for (i, (what, change)) in changes.iter().enumerate() {
        change(root);
        common::build(root, &live, &[]);
        let clean = work.path().join(format!("clean-{i}"));
        common::build(root, &clean, &[]);
        assert_eq!(
            differences(&live, &clean),
            Vec::<String>::new(),
            "after changing {what}, the rebuild differs from a clean build"
        );
    }
}

#[test]
fn editing_one_document_redoes_one_batch_and_keeps_other_files() {
    let (site, work, live) = built_site();
    let root = site.path();
    let before = cache_entries(work.path());
    assert!(
        before.len() >= 3,
        "400 documents make several index batches: {before:?}"
    );
    let robots = std::fs::metadata(live.join("robots.txt")).unwrap();

    let docs = documents(root);
    edit(root, &docs[0], |t| t + "\nMột đoạn mới.\n");
    common::build(root, &live, &[]);

    let after = cache_entries(work.path());
    let made: Vec<_> = after.difference(&before).collect();
    // The edited document's batch and the pack's manifest.
    assert_eq!(made.len(), 2, "new cache entries: {made:?}");
    let kept = std::fs::metadata(live.join("robots.txt")).unwrap();
    assert_eq!(
        (kept.ino(), kept.mtime()),
        (robots.ino(), robots.mtime()),
        "an unchanged file is the previous build's (same inode and time), so syncs skip it"
    );
}

#[test]
fn a_page_changed_by_hand_in_the_output_is_rendered_again() {
    let (site, work, live) = built_site();
    let docs = documents(site.path());
    let page = {
        let slug = docs[0].trim_end_matches(".md").replace('/', "-");
        live.join("ket-luan").join(slug).join("index.html")
    };
    let original = std::fs::read_to_string(&page).unwrap();
    // In place, same length: the inode stays, only the time changes.
    let defaced = original.replacen("<title>", "<titlf>", 1);
    assert_eq!(defaced.len(), original.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&page)
        .and_then(|mut f| std::io::Write::write_all(&mut f, defaced.as_bytes()))
        .unwrap();
    common::build(site.path(), &live, &[]);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), original);
    let clean = work.path().join("clean");
    common::build(site.path(), &clean, &[]);
    assert_eq!(differences(&live, &clean), Vec::<String>::new());
}
