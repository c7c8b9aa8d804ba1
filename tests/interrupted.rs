//! A build killed with SIGKILL at any moment leaves the previous site intact
//! (or, if it got that far, the complete new one) and nothing half-written;
//! the next build succeeds and cleans up after the killed one.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

#[test]
fn killing_a_build_at_any_moment_never_leaves_a_broken_site() {
    let (site, _) = generated_site(400);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let before = files(&out);

    // The next version of the site: one document removed, one changed.
    let content = site.path().join("content/2016");
    let mut names: Vec<_> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    std::fs::remove_file(&names[0]).unwrap();
    let changed =
        std::fs::read_to_string(&names[1])
            .unwrap()
            .replacen("title = \"", "title = \"Đã sửa: ", 1);
    std::fs::write(&names[1], changed).unwrap();
    let after_dir = site.path().join("expected-after");
    build(site.path(), &after_dir, &[]);
    let after = files(&after_dir);
    assert!(before != after);

    let mut outcomes = (0, 0);
    for delay_ms in [0, 5, 15, 30, 60, 100, 150, 250, 400, 700] {
        let mut child = Command::new(BIN)
            .args([
                "build",
                "--root",
                site.path().to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok(); // SIGKILL on Unix; Err if it already finished
        child.wait().unwrap();
        let now = files(&out);
        if now == before {
            outcomes.0 += 1;
        } else if now == after {
            outcomes.1 += 1;
            // Restore the old site so the next kill is tested against it too.
            std::fs::remove_dir_all(&out).unwrap();
            copy(&before, &out);
        } else {
            panic!("after a kill at {delay_ms} ms the output is neither the old nor the new site");
        }
    }
    assert!(
        outcomes.0 > 0,
        "no kill landed during a build; the test proves nothing: {outcomes:?}"
    );

    build(site.path(), &out, &[]);
    assert!(
        files(&out) == after,
        "the build after the kills is complete"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders of killed builds remain: {leftovers:?}"
    );
}

fn copy(files: &std::collections::BTreeMap<String, Vec<u8>>, to: &std::path::Path) {
    for (rel, bytes) in files {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}
