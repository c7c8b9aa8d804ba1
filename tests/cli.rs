//! The command line itself in both languages: `--help` of the top level and
//! of `build` as whole snapshots (`tests/fixtures/help/`), usage mistakes,
//! and the summary lines of `init`, `new` and `build`.

mod common;

use common::*;

/// `ketluan ARGS` with `env` set, its exit code and both outputs.
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = std::process::Command::new(BIN);
    // Help wraps at the terminal's width: fixed, for the snapshots.
    quiet_locale(&mut command).args(args).env("COLUMNS", "100");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn help_snapshot(args: &[&str], env: &[(&str, &str)], name: &str) {
    let (code, stdout, stderr) = run(args, env);
    assert_eq!(code, 0, "{stderr}");
    let path = repo().join("tests/fixtures/help").join(name);
    assert_snapshot(&path, &stdout);
}

#[test]
fn top_level_help_in_vietnamese() {
    help_snapshot(&["--help"], &[], "top.vi.txt");
}

#[test]
fn top_level_help_in_english() {
    help_snapshot(&["--help", "--lang", "en"], &[], "top.en.txt");
}

#[test]
fn build_help_in_vietnamese() {
    help_snapshot(&["build", "--help"], &[], "build.vi.txt");
}

#[test]
fn build_help_in_english_from_the_locale() {
    help_snapshot(
        &["build", "--help"],
        &[("LANG", "en_US.UTF-8")],
        "build.en.txt",
    );
}

#[test]
fn the_flag_wins_over_the_environment() {
    let (_, vi, _) = run(
        &["build", "--help", "--lang=vi"],
        &[("LANG", "en_US.UTF-8")],
    );
    let (_, en, _) = run(&["build", "--help"], &[("KETLUAN_LANG", "en")]);
    let (_, c, _) = run(&["build", "--help"], &[("LANG", "C.UTF-8")]);
    assert!(vi.starts_with("Dựng trang"), "{vi}");
    assert!(en.starts_with("Build the site"), "{en}");
    assert!(c.starts_with("Dựng trang"), "{c}");
}

#[test]
fn usage_mistakes_are_told_in_the_chosen_language() {
    let (code, _, stderr) = run(&["buidl"], &[]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "lỗi: không có lệnh `buidl`; có phải là `build`?\n\nXem thêm: `ketluan --help`\n"
    );
    let (code, _, stderr) = run(&["search", "x", "--limit", "0", "--lang", "en"], &[]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: invalid value `0` for `--limit <N>`: at least 1 (the total is printed with any limit)\n\nFor more information, try `ketluan --help`\n"
    );
    let (code, _, stderr) = run(&["build", "--lang"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("lỗi: `--lang <vi|en>` cần một giá trị"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["build", "--lang", "fr"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("lỗi: giá trị `fr` không dùng được cho `--lang <vi|en>`: vi, en"),
        "{stderr}"
    );
}

#[test]
fn summaries_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("luu-tru");
    let root_text = root.to_str().unwrap();
    let (code, stdout, stderr) = run(&["init", root_text], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!("đã tạo {root_text}/site.toml")),
        "{stdout}"
    );
    assert!(
        stdout.contains("tiếp theo: `ketluan import --root"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(
        &["new", "Kết luận số 1", "--root", root_text, "--lang", "en"],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("created "), "{stdout}");
    let (code, stdout, stderr) = run(&["build", "--root", root_text, "--drafts"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("đã dựng 1 văn bản thành "), "{stdout}");
    let (code, stdout, stderr) = run(
        &["build", "--root", root_text, "--drafts"],
        &[("LC_ALL", "en_GB.UTF-8")],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("built 1 document into "), "{stdout}");
}
