//! The stages a build shows: nothing in a pipe unless asked, and with
//! `--progress` one line per stage with its counts.

mod common;

use common::{CONFIG, doc, ketluan, output, site};

#[test]
fn a_pipe_gets_the_stages_only_when_asked() {
    let docs: Vec<_> = (1..=3)
        .map(|i| {
            let text = doc(
                &format!("Kết luận {i}"),
                "2023-04-26",
                "Thị ủy",
                &format!("{i}-KL/TU"),
            );
            (format!("2023/{i}.md"), text)
        })
        .collect();
    let files: Vec<_> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let root = site(CONFIG, &files);
    // An output each: into an earlier one's, a build would have no page to
    // write.
    let (first, second, third) = (output(), output(), output());
    fn args<'a>(
        root: &'a std::path::Path,
        out: &'a common::Output,
        extra: &'a str,
    ) -> Vec<&'a str> {
        let mut a = vec!["build", "--root", root.to_str().unwrap()];
        a.extend(["--output", out.path().to_str().unwrap()]);
        a.extend([extra].into_iter().filter(|e| !e.is_empty()));
        a
    }
    let (code, _, stderr) = ketluan(&args(root.path(), &first, ""));
    assert_eq!((code, stderr.as_str()), (0, ""), "a pipe gets no progress");

    let (code, stdout, stderr) = ketluan(&args(root.path(), &second, "--progress"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The pages: three documents and the listings they are in.
    let pages = stderr.lines().nth(2).unwrap_or_default().to_string();
    let count = pages
        .trim_start_matches("Ghi trang ")
        .split('/')
        .next()
        .unwrap_or("");
    assert_eq!(
        stderr,
        format!("Đọc văn bản 3/3\nLập chỉ mục tìm kiếm 3/3\nGhi trang {count}/{count}\n")
    );
    assert!(count.parse::<usize>().is_ok_and(|n| n > 3), "{stderr}");

    let mut english = args(root.path(), &third, "--progress");
    english.extend(["--lang", "en"]);
    let (code, stdout, stderr) = ketluan(&english);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        format!("Reading documents 3/3\nIndexing for search 3/3\nWriting pages {count}/{count}\n")
    );
}
