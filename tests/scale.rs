//! Odd sizes: a 50 MB conclusion and one with 10,000 headings build, with
//! every heading getting its own anchor.

mod common;

use common::*;

#[test]
fn a_huge_document_and_ten_thousand_headings_build() {
    let paragraph =
        "Thu ngân sách nhà nước ước đạt 169.541 triệu đồng, đạt 14% so với dự toán. ".repeat(8);
    let mut huge =
        String::from("+++\ntitle = \"Rất lớn\"\ndate = 2023-04-26\nbody = \"Huyện ủy\"\n+++\n");
    while huge.len() < 50_000_000 {
        huge.push_str(&paragraph);
        huge.push_str("\n\n");
    }
    let mut headings = String::from(
        "+++\ntitle = \"Nhiều đề mục\"\ndate = 2023-04-27\nbody = \"Huyện ủy\"\n+++\n",
    );
    for i in 0..10_000 {
        headings.push_str(&format!("## Mục\n\nĐoạn {i}.\n\n"));
    }
    let site = site(CONFIG, &[("huge.md", &huge), ("headings.md", &headings)]);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let page = std::fs::metadata(out.join("ket-luan/huge/index.html")).unwrap();
    assert!(page.len() > 50_000_000);
    let html = read(&out, "ket-luan/headings/index.html");
    let ids: std::collections::BTreeSet<String> = attributes(&html, "id")
        .into_iter()
        .filter(|i| i.starts_with("muc-") || i == "muc")
        .collect();
    assert_eq!(ids.len(), 10_000, "every heading has a unique anchor");
    assert!(ids.contains("muc-10000"));
}
