//! Rebuilds reuse the previous build (search batches from the cache beside
//! the output, unchanged files linked from the previous site) and still give
//! exactly the bytes of a clean build.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Paths whose presence or bytes differ between two built sites.
fn differences(a: &Path, b: &Path) -> Vec<String> {
    differing(&common::files(a), &common::files(b))
}

/// Keys present in one map only or with different values.
fn differing<V: PartialEq>(a: &BTreeMap<String, V>, b: &BTreeMap<String, V>) -> Vec<String> {
    let paths: BTreeSet<_> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect()
}

/// Rebuilds `live` and builds the site afresh beside it (`clean-<n>`), and
/// checks that both have the same files.
fn rebuild_equals_clean(
    root: &Path,
    live: &Path,
    work: &Path,
    n: usize,
    flags: &[&str],
    what: &str,
) {
    common::build(root, live, flags);
    let clean = work.join(format!("clean-{n}"));
    common::build(root, &clean, flags);
    assert_eq!(
        differences(live, &clean),
        Vec::<String>::new(),
        "after changing {what}, the rebuild differs from a clean build"
    );
}

fn edit(root: &Path, rel: &str, change: impl Fn(String) -> String) {
    let path = root.join("content").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(text)).unwrap();
}

/// Sets a front-matter field (a TOML value) of a document's text, replacing
/// its line or adding one.
fn set_field(text: &str, field: &str, value: &str) -> String {
    let prefix = format!("{field} = ");
    let line = format!("{prefix}{value}");
    if text.lines().any(|l| l.starts_with(&prefix)) {
        text.lines()
            .map(|l| {
                if l.starts_with(&prefix) {
                    line.as_str()
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    } else {
        text.replacen("+++\n", &format!("+++\n{line}\n"), 1)
    }
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

fn add_a_document(root: &Path) {
    let text = common::doc(
        "Kết luận mới",
        "2024-02-03",
        "Thành ủy Hà Tĩnh",
        "999-KL/TU",
    );
    std::fs::write(root.join("content/moi.md"), text).unwrap();
}

/// `content/du-thao.md`, published only with `--drafts`.
fn add_a_draft(root: &Path) {
    let draft = common::doc(
        "Dự thảo kết luận",
        "2024-03-04",
        "Thành ủy Hà Tĩnh",
        "77-KL/TU",
    )
    .replacen("+++\n", "+++\ndraft = true\n", 1);
    std::fs::write(root.join("content/du-thao.md"), draft).unwrap();
}

fn retitle_the_site(root: &Path) {
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        config.replace("Lưu trữ thử", "Lưu trữ"),
    )
    .unwrap();
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
    let (first, second, third, fourth, last) = (
        docs[0].clone(),
        docs[1].clone(),
        docs[2].clone(),
        docs[3].clone(),
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
        ("a new document", Box::new(add_a_document)),
        (
            "a deleted document",
            Box::new(|r| std::fs::remove_file(r.join("content").join(&last)).unwrap()),
        ),
        (
            "a document's issuing body, term and tags",
            Box::new(|r| {
                edit(r, &third, |t| {
                    let t = set_field(&t, "body", "\"Ban Thường vụ Đảng ủy Khối mới\"");
                    let t = set_field(&t, "term", "\"IX\"");
                    set_field(&t, "tags", "[\"chủ đề mới\", \"ngân sách\"]")
                })
            }),
        ),
        (
            "a document's date (another quarter and year)",
            Box::new(|r| edit(r, &fourth, |t| set_field(&t, "date", "2011-12-31"))),
        ),
        (
            "a template override",
            Box::new(|r| {
                std::fs::create_dir_all(r.join("templates")).unwrap();
                std::fs::write(
                    r.join("templates/robots.txt"),
                    "User-agent: *\nDisallow: /\n",
                )
                .unwrap();
            }),
        ),
        (
            "a static file",
            Box::new(|r| {
                std::fs::create_dir_all(r.join("static")).unwrap();
                std::fs::write(r.join("static/extra.css"), "body { color: black }\n").unwrap();
            }),
        ),
        (
            "the static file again",
            Box::new(|r| {
                std::fs::write(r.join("static/extra.css"), "body { color: navy }\n").unwrap();
            }),
        ),
        ("the site's title", Box::new(retitle_the_site)),
    ];
    for (i, (what, change)) in changes.iter().enumerate() {
        change(root);
        rebuild_equals_clean(root, &live, work.path(), i, &[], what);
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

/// Every file's inode and modification time, by site-relative path.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                (m.ino(), m.mtime(), m.mtime_nsec()),
            )
        })
        .collect()
}

fn folder_inode(dir: &Path) -> u64 {
    std::fs::metadata(dir).unwrap().ino()
}

fn page_of(doc: &str) -> String {
    format!(
        "ket-luan/{}/index.html",
        doc.trim_end_matches(".md").replace('/', "-")
    )
}

/// A built site that has been rebuilt once after an edit, so that it has a
/// spare copy beside it, as any site after its second build.
fn rebuilt_site() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let (site, work, live) = built_site();
    let docs = documents(site.path());
    edit(site.path(), &docs[0], |t| t + "\nĐoạn thêm lần đầu.\n");
    common::build(site.path(), &live, &[]);
    (site, work, live)
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing() {
    let (site, work, live) = rebuilt_site();
    let spare = work.path().join(".public.ketluan-spare");
    let (files, folder) = (stamps(&live), folder_inode(&live));
    let (spare_files, spare_folder) = (stamps(&spare), folder_inode(&spare));
    common::build(site.path(), &live, &[]);
    assert_eq!(differing(&files, &stamps(&live)), Vec::<String>::new());
    assert_eq!(
        folder_inode(&live),
        folder,
        "the output folder is not swapped"
    );
    assert_eq!(
        differing(&spare_files, &stamps(&spare)),
        Vec::<String>::new()
    );
    assert_eq!(folder_inode(&spare), spare_folder, "nor is the spare");
}

#[test]
fn editing_a_body_replaces_its_page_and_the_index_only() {
    let (site, work, live) = rebuilt_site();
    let docs = documents(site.path());
    let before = stamps(&live);
    edit(site.path(), &docs[0], |t| t + "\nĐoạn thêm lần hai.\n");
    common::build(site.path(), &live, &[]);
    let pages: Vec<String> = differing(&before, &stamps(&live))
        .into_iter()
        .filter(|p| !p.starts_with("search/"))
        .collect();
    assert_eq!(
        pages,
        [page_of(&docs[0])],
        "listings show no body: only the document's own page is new"
    );
    let clean = work.path().join("clean");
    common::build(site.path(), &clean, &[]);
    assert_eq!(differences(&live, &clean), Vec::<String>::new());
}

#[test]
fn a_build_that_fails_halfway_leaves_the_site_and_the_next_builds_right() {
    let (site, work, live) = rebuilt_site();
    let root = site.path();
    let docs = documents(root);
    let before = common::files(&live);
    // Valid syntax, so the build gets as far as rendering into the spare.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/robots.txt"), "{{ no_such_value }}\n").unwrap();
    edit(root, &docs[1], |t| {
        t + "\nMột đoạn không bao giờ được đăng.\n"
    });
    let (code, _, stderr) = common::ketluan(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        live.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        common::files(&live) == before,
        "the failed build left the live site as it was"
    );
    std::fs::remove_file(root.join("templates/robots.txt")).unwrap();
    for (i, doc) in [&docs[2], &docs[3]].into_iter().enumerate() {
        edit(root, doc, |t| t + "\nĐoạn sau khi sửa mẫu.\n");
        rebuild_equals_clean(
            root,
            &live,
            work.path(),
            i,
            &[],
            "a document after the failure",
        );
    }
}

#[test]
fn drafts_in_and_out_equal_clean_builds() {
    let (site, work, live) = rebuilt_site();
    let root = site.path();
    add_a_draft(root);
    for (i, flags) in [&["--drafts"][..], &[], &["--drafts"]]
        .into_iter()
        .enumerate()
    {
        rebuild_equals_clean(root, &live, work.path(), i, flags, "the drafts flag");
        assert_eq!(
            live.join("ket-luan/du-thao/index.html").exists(),
            !flags.is_empty()
        );
    }
}

/// A file written just now has a time a later edit could repeat, so a
/// build does not record it as unchanged: the inputs must be older than
/// that before a build can recognise them.
fn let_the_inputs_settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_100));
}

/// Builds `root` into `out` with `--progress`; returns the summary line
/// without its time, the other messages (warnings, the worklist's size) and
/// the stages shown.
fn build_reporting(root: &Path, out: &Path, flags: &[&str]) -> (String, String, String) {
    let mut args = vec![
        "build",
        "--progress",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(flags);
    let (code, stdout, stderr) = common::ketluan(&args);
    assert_eq!(code, 0, "build failed:\n{stdout}\n{stderr}");
    let mut lines: Vec<&str> = stdout.lines().collect();
    let summary = lines.pop().unwrap_or_default();
    // "đã dựng 400 văn bản thành 1.234 tệp trong 0,5 giây → …"
    let timeless = match (summary.split_once(" trong "), summary.split_once(" → ")) {
        (Some((counts, _)), Some((_, to))) => format!("{counts} → {to}"),
        _ => panic!("not a summary line: {summary}"),
    };
    let stage = |l: &&str| {
        ["Đọc văn bản ", "Lập chỉ mục tìm kiếm ", "Ghi trang "]
            .iter()
            .any(|s| l.starts_with(s))
    };
    let (stages, others): (Vec<&str>, Vec<&str>) = stderr.lines().partition(stage);
    lines.extend(others);
    (timeless, lines.join("\n"), stages.join("\n"))
}

/// Builds until the build recognises its inputs as the last build's: the
/// inputs settle, one build records them, and the next reads no document.
fn arm(root: &Path, live: &Path, flags: &[&str]) {
    let_the_inputs_settle();
    common::build(root, live, flags);
    let (_, _, stages) = build_reporting(root, live, flags);
    assert_eq!(stages, "", "nothing changed, yet the build did work");
}

#[test]
fn with_nothing_changed_a_rebuild_reads_nothing_and_says_what_the_last_one_said() {
    let (site, work, live) = built_site();
    let root = site.path();
    let_the_inputs_settle();
    let (summary, warnings, stages) = build_reporting(root, &live, &[]);
    assert!(stages.contains("Đọc văn bản 400/400"), "{stages}");
    let (files, folder) = (stamps(&live), folder_inode(&live));

    let (again, warnings_again, stages) = build_reporting(root, &live, &[]);
    assert_eq!(stages, "", "no document read, no page or index written");
    assert_eq!((&again, &warnings_again), (&summary, &warnings));
    assert!(again.starts_with("đã dựng 400 văn bản thành "), "{again}");
    assert_eq!(differing(&files, &stamps(&live)), Vec::<String>::new());
    assert_eq!(folder_inode(&live), folder);
    let clean = work.path().join("clean");
    common::build(root, &clean, &[]);
    assert_eq!(differences(&live, &clean), Vec::<String>::new());
}

#[test]
fn a_warning_is_told_by_every_build() {
    let (site, _work, live) = built_site();
    let root = site.path();
    std::fs::write(root.join("content/ghi-chu.txt"), "ghi chú").unwrap();
    let_the_inputs_settle();
    let builds: Vec<_> = (0..3).map(|_| build_reporting(root, &live, &[])).collect();
    for (summary, warnings, _) in &builds {
        assert!(warnings.contains("content/ghi-chu.txt"), "{warnings}");
        assert_eq!((summary, warnings), (&builds[0].0, &builds[0].1));
    }
}

#[test]
fn every_change_after_a_rebuild_that_did_nothing_equals_a_clean_build() {
    let (site, work, live) = built_site();
    let root = site.path();
    let docs = documents(root);
    add_a_draft(root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/robots.txt"), "User-agent: *\n").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "body { color: black }\n").unwrap();
    let first_page = live.join(page_of(&docs[0]));

    type Change<'a> = Box<dyn Fn(&Path) + 'a>;
    let changes: Vec<(&str, &[&str], Change)> = vec![
        (
            "a body edited in place to the same size, its time set back",
            &[],
            Box::new(|r| {
                let path = r.join("content").join(&docs[1]);
                let before = std::fs::metadata(&path).unwrap();
                let text = std::fs::read_to_string(&path).unwrap();
                // One letter of the text for another: the same size.
                let i = text.rfind('a').expect("the text has an a");
                let edited = format!("{}o{}", &text[..i], &text[i + 1..]);
                assert_eq!(edited.len(), text.len());
                let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                std::io::Write::write_all(&mut f, edited.as_bytes()).unwrap();
                f.set_modified(before.modified().unwrap()).unwrap();
            }),
        ),
        ("a new document", &[], Box::new(add_a_document)),
        (
            "a deleted document",
            &[],
            Box::new(|r| std::fs::remove_file(r.join("content").join(&docs[2])).unwrap()),
        ),
        ("the site's title", &[], Box::new(retitle_the_site)),
        (
            "a template override",
            &[],
            Box::new(|r| {
                std::fs::write(
                    r.join("templates/robots.txt"),
                    "User-agent: *\nDisallow: /\n",
                )
                .unwrap()
            }),
        ),
        (
            "a static file",
            &[],
            Box::new(|r| {
                std::fs::write(r.join("static/extra.css"), "body { color: navy }\n").unwrap()
            }),
        ),
        (
            "a page deleted from the output",
            &[],
            Box::new(|_| std::fs::remove_file(&first_page).unwrap()),
        ),
        ("the drafts flag on", &["--drafts"], Box::new(|_| {})),
        ("the drafts flag off", &[], Box::new(|_| {})),
    ];
    let mut flags: &[&str] = &[];
    for (i, (what, new_flags, change)) in changes.iter().enumerate() {
        arm(root, &live, flags);
        change(root);
        flags = new_flags;
        rebuild_equals_clean(root, &live, work.path(), i, flags, what);
    }
    assert!(!live.join(page_of("du-thao.md")).exists());

    // Another output folder is another site: built whole, not taken for
    // the one the last build left.
    arm(root, &live, &[]);
    let other = work.path().join("other");
    rebuild_equals_clean(
        root,
        &other,
        work.path(),
        changes.len(),
        &[],
        "the output folder",
    );
}
