//! Citations between documents: links in the text, the "Văn bản được dẫn
//! chiếu" / "Được dẫn chiếu bởi" lists, the `check` worklist, and how often
//! links are right on a generated archive whose citations are known.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;

const BASE: &str = "https://example.org/luu-tru/";

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/references")
}

fn page(out: &Path, slug: &str) -> String {
    read(out, &format!("ket-luan/{slug}/index.html"))
}

/// The text of the `<section>` whose heading has id `id`.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let needle = format!("aria-labelledby=\"{id}\"");
    let Some(start) = html.find(&needle) else {
        return "";
    };
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Slugs of the documents linked from a piece of a document page.
fn linked_slugs(html: &str) -> Vec<String> {
    attributes(html, "href")
        .into_iter()
        .filter_map(|h| {
            h.strip_prefix("../../ket-luan/")
                .map(|s| s.trim_end_matches('/').to_string())
        })
        .collect()
}

fn built_fixture() -> Output {
    let out = output();
    build(&fixture(), out.path(), &[]);
    out
}

#[test]
fn citations_link_to_the_document_they_name() {
    let out = built_fixture();
    let html = page(out.path(), "2021-30-kl-tu-thuan-thanh");
    let body = html
        .split("<div class=\"doc-body\">")
        .nth(1)
        .and_then(|b| b.split("</div>").next())
        .unwrap();
    // No date: its own committee's number, of the term in force.
    assert!(
        body.contains(
            "<a href=\"../../ket-luan/2021-12-kl-tu-thuan-thanh/\">Kết luận số 12-KL/TU</a> của Ban Thường vụ"
        ),
        "{body}"
    );
    // Odd spacing and case, dated: the previous term's document.
    assert!(
        body.contains(
            "<a href=\"../../ket-luan/2019-12-kl-tu-thuan-thanh/\">kết luận  số 12 - kl/tu, ngày 20/4/2019</a>"
        ),
        "{body}"
    );
    // Not archived: plain text; the text around stays escaped.
    assert!(
        body.contains("Nghị quyết số 99-NQ/TU, ngày 01/01/2021 của Ban Chấp hành"),
        "{body}"
    );
    assert!(body.contains("&lt;và&gt;") && body.contains("&amp; Kết luận số 30-KL/TU này"));
    // An existing link and code are left alone; nothing links to itself.
    assert!(body.contains("<a href=\"https://example.com/12\">Kết luận số 12-KL/TU</a>"));
    assert!(body.contains("<code>Kết luận số 12-KL/TU</code>"));
    assert!(!body.contains("2021-30-kl-tu-thuan-thanh/"), "{body}");
    assert_eq!(
        broken_links(out.path(), BASE),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn pages_list_what_they_cite_and_what_cites_them() {
    let out = built_fixture();
    let cites = |slug: &str| {
        let html = page(out.path(), slug);
        linked_slugs(section(&html, "van_ban_dan_chieu"))
    };
    let cited_by = |slug: &str| {
        let html = page(out.path(), slug);
        linked_slugs(section(&html, "duoc_dan_chieu_boi"))
    };
    assert_eq!(
        cites("2021-30-kl-tu-thuan-thanh"),
        ["2021-12-kl-tu-thuan-thanh", "2019-12-kl-tu-thuan-thanh"]
    );
    // The same number and date in two committees: the citing one's own.
    assert_eq!(
        cites("2022-5-kl-tu-tu-son"),
        [
            "2021-12-kl-tu-tu-son",
            "2021-30-kl-tu-thuan-thanh",
            "2021-123-qd-ubnd-thuan-thanh"
        ]
    );
    // Documents citing each other, both ways.
    assert_eq!(
        cites("2021-12-kl-tu-thuan-thanh"),
        ["2019-12-kl-tu-thuan-thanh", "2021-30-kl-tu-thuan-thanh"]
    );
    // A number three committees use, undated, from a fourth: no link.
    assert_eq!(cites("2022-7-kl-hu-gia-binh"), ["2022-5-kl-tu-tu-son"]);
    assert_eq!(
        cited_by("2021-30-kl-tu-thuan-thanh"),
        [
            "2022-5-kl-tu-tu-son",
            "2021-123-qd-ubnd-thuan-thanh",
            "2021-12-kl-tu-thuan-thanh"
        ]
    );
    assert_eq!(
        cited_by("2019-12-kl-tu-thuan-thanh"),
        ["2021-30-kl-tu-thuan-thanh", "2021-12-kl-tu-thuan-thanh"]
    );
    assert!(cited_by("2022-7-kl-hu-gia-binh").is_empty());

    let html = page(out.path(), "2021-30-kl-tu-thuan-thanh");
    let listed = section(&html, "van_ban_dan_chieu");
    assert!(
        listed.contains(
            "Nghị quyết số 99-NQ/TU, ngày <time datetime=\"2021-01-01\">01/01/2021</time>"
        ),
        "{listed}"
    );
    assert!(
        !listed.contains("30-KL/TU"),
        "a document does not cite itself"
    );
}

#[test]
fn json_ld_names_the_kind_and_the_cited_documents() {
    let out = built_fixture();
    let html = page(out.path(), "2022-5-kl-tu-tu-son");
    let ld = html
        .split("application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD is valid JSON");
    assert_eq!(json["@type"], "Legislation");
    assert_eq!(json["legislationType"], "Kết luận");
    assert_eq!(json["legislationIdentifier"], "5-KL/TU");
    assert_eq!(
        json["citation"][0],
        format!("{BASE}ket-luan/2021-12-kl-tu-tu-son/")
    );
    let qd = page(out.path(), "2021-123-qd-ubnd-thuan-thanh");
    assert!(qd.contains("\"legislationType\": \"Quyết định\""), "{qd}");
}

#[test]
fn check_lists_missing_and_ambiguous_citations_without_failing() {
    let root = fixture();
    // The worklist's layout, in English; its Vietnamese texts are in the
    // catalogue's test.
    let (code, stdout, stderr) =
        ketluan(&["check", "--lang", "en", "--root", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let missing = stdout
        .split("not linked")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        missing.contains("2 cited number(s) match no archived document"),
        "{stdout}"
    );
    assert!(
        missing.contains("56-KH/TU — cited 1 time(s)\n      content/2019/12-kl-tu-thuan-thanh.md:10  Kế hoạch số 56-KH/TU\n"),
        "{stdout}"
    );
    assert!(
        missing.contains("99-NQ/TU — cited 1 time(s)\n      content/2021/30-kl-tu-thuan-thanh.md:14  Nghị quyết số 99-NQ/TU, ngày 01/01/2021\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("30-KL/TU —"),
        "self-citation reported: {stdout}"
    );
    assert!(
        stdout.contains("1 citation(s) could name several archived documents and were not linked"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "content/2022/7-kl-hu-gia-binh.md:10  Kết luận số 12-KL/TU\n      candidate: content/2021/12-kl-tu-thuan-thanh.md\n      candidate: content/2021/12-kl-tu-tu-son.md\n"
        ),
        "{stdout}"
    );
    // `build` only mentions the list.
    let out = output();
    let (code, stdout, _) = ketluan(&[
        "build",
        "--lang",
        "en",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .contains("2 cited number(s) match no archived document, 1 citation(s) are ambiguous"),
        "{stdout}"
    );
}

/// Links against the generator's ground truth (`cites` in the manifest):
/// every linked document must be one the text really cites, and nearly every
/// cited archived document must be linked.
#[test]
fn links_in_a_generated_archive_match_what_the_texts_cite() {
    let (site, manifest) = generated_site(300);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let slug_of = |path: &str| {
        path.trim_start_matches("content/")
            .trim_end_matches(".md")
            .replace('/', "-")
    };
    let paths: BTreeMap<String, String> = manifest
        .iter()
        .map(|m| {
            let p = m["path"].as_str().unwrap().to_string();
            (slug_of(&p), p)
        })
        .collect();
    let (mut right, mut wrong, mut missed) = (0usize, Vec::new(), Vec::new());
    for m in &manifest {
        let path = m["path"].as_str().unwrap();
        let html = page(&out, &slug_of(path));
        let linked: BTreeSet<String> = linked_slugs(section(&html, "van_ban_dan_chieu"))
            .into_iter()
            .map(|s| paths[&s].clone())
            .collect();
        let truth: BTreeSet<String> = m["cites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        right += linked.intersection(&truth).count();
        wrong.extend(
            linked
                .difference(&truth)
                .map(|w| (path.to_string(), w.clone())),
        );
        missed.extend(
            truth
                .difference(&linked)
                .map(|w| (path.to_string(), w.clone())),
        );
    }
    let links = right + wrong.len();
    let cited = right + missed.len();
    assert!(
        cited >= 50,
        "the corpus should cite itself: {cited} citations"
    );
    let precision = right as f64 / links.max(1) as f64;
    let recall = right as f64 / cited as f64;
    assert!(
        precision >= 0.99,
        "precision {precision:.3}; wrong links: {wrong:?}"
    );
    assert!(recall >= 0.95, "recall {recall:.3}; missed: {missed:?}");
}
