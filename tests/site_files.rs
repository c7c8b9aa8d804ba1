//! What a build does with the files it finds besides documents: symbolic
//! links, files that are not documents, and a disk that fills up.

mod common;

use std::path::Path;

use common::{CONFIG, doc, files, ketluan, output, site};

fn build(root: &Path, out: &Path) -> (i32, String, String) {
    ketluan(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_published_links_outside_are_refused() {
    use std::os::unix::fs::symlink;
    let a = doc("Kết luận A", "2023-04-26", "Thị ủy", "1-KL/TU");
    let b = doc("Kết luận B", "2023-05-26", "Thị ủy", "2-KL/TU");
    let root = site(CONFIG, &[("2023/a.md", &a)]);
    let root = root.path();
    std::fs::create_dir_all(root.join("shared-drafts")).unwrap();
    std::fs::write(root.join("shared-drafts/b.md"), &b).unwrap();
    symlink("../../shared-drafts/b.md", root.join("content/2023/b.md")).unwrap();
    let out = output();
    let (code, stdout, stderr) = build(root, out.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("đã dựng 2 văn bản"), "{stdout}");
    assert!(out.path().join("ket-luan/2023-b/index.html").exists());

    // A link out of the site's folder: refused, named, and the site kept.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("c.md"), &a).unwrap();
    std::fs::write(elsewhere.path().join("logo.png"), [1, 2, 3]).unwrap();
    symlink(elsewhere.path().join("c.md"), root.join("content/c.md")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(
        elsewhere.path().join("logo.png"),
        root.join("static/logo.png"),
    )
    .unwrap();
    let before = files(out.path());
    let (code, stdout, stderr) = build(root, out.path());
    let target = std::fs::canonicalize(elsewhere.path()).unwrap();
    let expected = format!(
        "lỗi: đây là liên kết tượng trưng tới {dir}/c.md, ngoài thư mục của trang; không được đăng
 --> content/c.md:1:1
  = gợi ý: chép tệp vào thư mục của trang thay vì liên kết tới nó, hoặc xóa liên kết

lỗi: đây là liên kết tượng trưng tới {dir}/logo.png, ngoài thư mục của trang; không được đăng
 --> static/logo.png:1:1
  = gợi ý: chép tệp vào thư mục của trang thay vì liên kết tới nó, hoặc xóa liên kết

",
        dir = target.display()
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(files(out.path()), before, "the previous site stays");
}

#[test]
fn files_that_are_not_documents_are_named_in_a_warning() {
    let a = doc("Kết luận A", "2023-04-26", "Thị ủy", "1-KL/TU");
    let root = site(
        CONFIG,
        &[
            ("2023/a.md", &a),
            (
                "2023/a.pdf",
                "%PDF-1.4 the original, published beside its page",
            ),
            ("2023/ghi-chu.txt", "x"),
            ("2023/b.MD", "y"),
        ],
    );
    let out = output();
    let (code, stdout, stderr) = build(root.path(), out.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    let expected = "cảnh báo: tệp này không phải văn bản (.md) nên không được đăng
 --> content/2023/b.MD:1:1
  = gợi ý: chuyển tệp ra khỏi content/, hoặc đổi đuôi thành .md nếu đó là một kết luận

cảnh báo: tệp này không phải văn bản (.md) nên không được đăng
 --> content/2023/ghi-chu.txt:1:1
  = gợi ý: chuyển tệp ra khỏi content/, hoặc đổi đuôi thành .md nếu đó là một kết luận

";
    assert_eq!(stderr, expected);
    assert!(stdout.contains("đã dựng 1 văn bản"), "{stdout}");
}

/// Free bytes of the file system holding `dir`.
#[cfg(target_os = "linux")]
fn free_bytes(dir: &Path) -> u64 {
    let s = rustix::fs::statvfs(dir).unwrap();
    s.f_bavail * s.f_frsize
}

/// A build that fails because the disk is full: the previous site is byte
/// for byte what it was, and the disk has the room it had before the build.
/// Needs a small file system of its own: a tmpfs, mounted as root (CI runs
/// as root; elsewhere the test says why it did not run).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_the_build_and_gives_the_room_back() {
    let disk = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(disk.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this test: mounting a tmpfs needs root"
        );
        eprintln!("not run: mounting a 2 MB tmpfs needs root");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(disk.path());

    let a = doc("Kết luận A", "2023-04-26", "Thị ủy", "1-KL/TU");
    let root = site(CONFIG, &[("2023/a.md", &a)]);
    let out = disk.path().join("public");
    for _ in 0..2 {
        // Twice, so that the failing build recycles the spare.
        let (code, stdout, stderr) = build(root.path(), &out);
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let site_before = files(&out);
    let free_before = free_bytes(disk.path());

    // Far more text than the disk holds: the page alone is larger.
    let paragraph = "Tăng cường công tác quản lý thu, chi ngân sách nhà nước. ".repeat(40);
    let big = format!(
        "{}\n{}",
        doc("Kết luận B", "2023-05-26", "Thị ủy", "2-KL/TU"),
        format!("{paragraph}\n\n").repeat(600)
    );
    std::fs::write(root.path().join("content/2023/b.md"), big).unwrap();
    let (code, stdout, stderr) = build(root.path(), &out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("đĩa đã đầy"), "{stderr}");
    assert_eq!(files(&out), site_before, "the previous site stays");
    let free_after = free_bytes(disk.path());
    // The search cache may keep a batch it finished (a few KB).
    assert!(
        free_after + 64 * 1024 >= free_before,
        "the failed build kept {} KB",
        (free_before - free_after) / 1024
    );
}
