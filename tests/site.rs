//! Whole-site tests: build real sites and check the files a citizen gets.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

const BASE: &str = "https://example.org/luu-tru/";

#[test]
fn the_example_site_renders_the_sample_conclusion() {
    let out = output();
    build(&example(), out.path(), &[]);
    let page = read(out.path(), "ket-luan/2023-45-kl-tu-thuan-thanh/index.html");
    for expected in [
        "<h1 class=\"doc-title\">Kết luận Hội nghị lần thứ 11 Ban Chấp hành Đảng bộ thị xã Thuận Thành khóa XXIII</h1>",
        "<dt>Số ký hiệu</dt><dd>45-KL/TU</dd>",
        "<dt>Hội nghị lần thứ</dt><dd>11</dd>",
        "Ngày 26 tháng 4 năm 2023",
        "<p class=\"signer-name\">Văn Quốc Cường</p>",
        "<li>Đ/c Đào Quang Khải–UVBTV, PCTUBND tỉnh</li>",
        // The conversion artefact is mended: one sentence, one paragraph.
        "chi đầu tư phát triển ước đạt 87.924 triệu đồng",
        "<a href=\"#ii-mot-so-nhiem-vu-giai-phap-trong-thoi-gian-toi\">",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    assert!(read(out.path(), "index.html").contains("ket-luan/2023-45-kl-tu-thuan-thanh/"));
    assert!(read(out.path(), "quy/2023-q2/index.html").contains("Kết luận Hội nghị lần thứ 11"));
    assert_eq!(
        broken_links(out.path(), BASE),
        Vec::<(String, String)>::new()
    );
    // The repository's record of the wasm's sources is for its own test.
    let published: Vec<String> = files(out.path()).into_keys().collect();
    assert!(
        !published.iter().any(|p| p.ends_with(".sources")),
        "{published:?}"
    );
}

#[test]
fn a_generated_archive_has_every_page_listing_and_link() {
    let (site, manifest) = generated_site(300);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let all = files(&out);

    // Every document has its page, found from its file's path.
    let mut by_quarter: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in &manifest {
        let path = entry["path"].as_str().unwrap();
        let slug = path
            .trim_start_matches("content/")
            .trim_end_matches(".md")
            .replace('/', "-");
        let page = format!("ket-luan/{slug}/index.html");
        assert!(all.contains_key(&page), "no page for {path}");
        let date = entry["date"].as_str().unwrap();
        let month: u32 = date[5..7].parse().unwrap();
        let quarter = format!("{}-q{}", &date[..4], (month - 1) / 3 + 1);
        by_quarter
            .entry(quarter)
            .or_default()
            .insert(format!("ket-luan/{slug}/"));
    }

    // Every quarter has a listing (over its pages) with exactly its members.
    for (quarter, expected) in &by_quarter {
        let mut listed = BTreeSet::new();
        let mut page = format!("quy/{quarter}/index.html");
        loop {
            let html = read(&out, &page);
            for href in attributes(&html, "href") {
                let (target, _) = resolve(&page, &href, BASE).unwrap();
                if target.starts_with("ket-luan/") && target != "ket-luan/index.html" {
                    listed.insert(target.trim_end_matches("index.html").to_string());
                }
            }
            let next = attributes(&html, "href")
                .into_iter()
                .find(|h| html.contains(&format!("rel=\"next\" href=\"{h}\"")));
            match next {
                Some(h) => page = resolve(&page, &h, BASE).unwrap().0,
                None => break,
            }
        }
        assert_eq!(&listed, expected, "members of quarter {quarter}");
        assert!(
            read(&out, "quy/index.html").contains(&format!("href=\"../quy/{quarter}/\"")),
            "{quarter} missing from the index of quarters"
        );
    }

    assert_eq!(broken_links(&out, BASE), Vec::<(String, String)>::new());

    // The sitemap lists every page (and only pages that exist).
    let sitemap = read(&out, "sitemap.xml");
    let xml = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is well-formed");
    let locs: BTreeSet<String> = xml
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages: BTreeSet<String> = all
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{BASE}{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, pages);

    // The feed is Atom with the newest documents first.
    let feed = read(&out, "atom.xml");
    let xml = roxmltree::Document::parse(&feed).expect("atom.xml is well-formed");
    let root = xml.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated"] {
        assert!(
            root.children().any(|n| n.has_tag_name(required)),
            "feed lacks <{required}>"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 20);
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name("updated"))
                .unwrap()
                .text()
                .unwrap()
        })
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "feed is newest first");
    let newest = manifest
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .max()
        .unwrap();
    assert!(dates[0].starts_with(newest));
    for entry in &entries {
        let link = entry
            .children()
            .find(|n| n.has_tag_name("link"))
            .unwrap()
            .attribute("href")
            .unwrap();
        let (file, _) = resolve("atom.xml", link, BASE).unwrap();
        assert!(all.contains_key(&file), "feed links to missing {link}");
    }
}

#[test]
fn builds_are_byte_identical() {
    let (site, _) = generated_site(120);
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    build(site.path(), &a, &[]);
    build(site.path(), &b, &[]);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(bytes == &fb[path], "{path} differs between two builds");
    }
}

#[test]
fn a_site_under_a_subpath_links_within_it() {
    let site = site(
        CONFIG,
        &[
            (
                "a.md",
                &doc(
                    "Kết luận A",
                    "2023-04-26",
                    "Ban Thường vụ Thị ủy",
                    "1-KL/TU",
                ),
            ),
            (
                "b.md",
                &doc(
                    "Kết luận B",
                    "2023-07-20",
                    "Ban Thường vụ Thị ủy",
                    "2-KL/TU",
                ),
            ),
        ],
    );
    let out = site.path().join("public");
    build(
        site.path(),
        &out,
        &["--base-url", "https://example.gov.vn/so/luu-tru"],
    );
    let base = "https://example.gov.vn/so/luu-tru/";
    assert_eq!(broken_links(&out, base), Vec::<(String, String)>::new());
    let a = read(&out, "ket-luan/a/index.html");
    assert!(a.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.vn/so/luu-tru/ket-luan/a/\">"
    ));
    // Previous/next session of the same body, in date order.
    assert!(a.contains("rel=\"next\" href=\"../../ket-luan/b/\""), "{a}");
    // The 404 page is served at any depth, so its links start at the subpath.
    let not_found = read(&out, "404.html");
    assert!(
        not_found.contains("href=\"/so/luu-tru/quy/\""),
        "{not_found}"
    );
    assert!(
        read(&out, "robots.txt").contains("Sitemap: https://example.gov.vn/so/luu-tru/sitemap.xml")
    );
}

#[test]
fn long_listings_are_paginated_newest_first() {
    let docs: Vec<(String, String)> = (1..=12)
        .map(|i| {
            (
                format!("d{i:02}.md"),
                doc(
                    &format!("Kết luận {i}"),
                    &format!("2023-0{}-{:02}", 4 + i % 3, i),
                    "Huyện ủy",
                    &format!("{i}-KL/HU"),
                ),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = site(CONFIG, &refs);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    // 12 documents at 5 per page: 3 pages for "all" and for the year.
    assert!(out.join("nam/2023/trang/3/index.html").exists());
    assert!(!out.join("nam/2023/trang/4/index.html").exists());
    let first = read(&out, "nam/2023/index.html");
    let titles: Vec<usize> = first
        .match_indices(">Kết luận ")
        .map(|(i, _)| first[i + 14..].split('<').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(titles.len(), 5);
    assert!(first.contains("rel=\"next\" href=\"../../nam/2023/trang/2/\""));
    // Newest first: dates are month 4 + i % 3, day i.
    let date = |i: usize| (4 + i % 3, i);
    assert!(
        titles.windows(2).all(|w| date(w[0]) > date(w[1])),
        "{titles:?}"
    );
}

#[test]
fn removed_documents_vanish_and_drafts_stay_out() {
    let site = site(
        CONFIG,
        &[
            (
                "a.md",
                &doc("Kết luận A", "2023-04-26", "Huyện ủy", "1-KL/HU"),
            ),
            (
                "b.md",
                &doc("Kết luận B", "2023-04-27", "Huyện ủy", "2-KL/HU"),
            ),
        ],
    );
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    assert!(out.join("ket-luan/b/index.html").exists());
    let draft = doc("Kết luận B", "2023-04-27", "Huyện ủy", "2-KL/HU").replacen(
        "+++\n",
        "+++\ndraft = true\n",
        1,
    );
    std::fs::write(site.path().join("content/b.md"), draft).unwrap();
    build(site.path(), &out, &[]);
    assert!(
        !out.join("ket-luan/b/index.html").exists(),
        "a draft is not published"
    );
    assert!(!read(&out, "sitemap.xml").contains("ket-luan/b/"));
    build(site.path(), &out, &["--drafts"]);
    assert!(
        out.join("ket-luan/b/index.html").exists(),
        "--drafts includes it"
    );
}

#[test]
fn raw_html_is_escaped_unless_the_site_opts_in() {
    let hostile = "+++\ntitle = \"<script>alert('t')</script>\"\ndate = 2023-04-26\nbody = \"Huyện ủy\"\n+++\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n";
    let site = site(CONFIG, &[("x.md", hostile)]);
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    let page = read(&out, "ket-luan/x/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"));
    assert!(!page.contains("javascript:"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let ld = page
        .split("application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD is valid JSON");
    assert_eq!(json["name"], "<script>alert('t')</script>");
    // The feed and the sitemap stay well-formed XML with the hostile title.
    let feed = read(&out, "atom.xml");
    let xml = roxmltree::Document::parse(&feed).expect("atom.xml is well-formed");
    let title = xml
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap();
    assert_eq!(title.text(), Some("<script>alert('t')</script>"));
    roxmltree::Document::parse(&read(&out, "sitemap.xml")).expect("sitemap.xml is well-formed");
    assert!(read(&out, "index.html").contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));

    std::fs::write(
        site.path().join("site.toml"),
        format!("{CONFIG}allow_raw_html = true\n"),
    )
    .unwrap();
    build(site.path(), &out, &[]);
    let page = read(&out, "ket-luan/x/index.html");
    assert!(page.contains("<script>alert(1)</script>"), "opted in");
    assert!(
        !page.contains("javascript:"),
        "script links stay neutralised"
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let site = site(
        CONFIG,
        &[(
            "a.md",
            &doc("Kết luận A", "2023-04-26", "Huyện ủy", "1-KL/HU"),
        )],
    );
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Riêng của tôi</p>{% endblock %}",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/logo.svg"), "<svg/>").unwrap();
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    assert!(read(&out, "404.html").contains("<p>Riêng của tôi</p>"));
    assert_eq!(read(&out, "static/logo.svg"), "<svg/>");
    assert!(out.join("static/style.css").exists());
}

#[test]
fn check_writes_nothing_and_new_makes_a_loadable_file() {
    let site = site(CONFIG, &[]);
    let (code, stdout, stderr) = ketluan(&[
        "new",
        "Kết luận Hội nghị lần thứ 5",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ket-luan-hoi-nghi-lan-thu-5.md"));
    let (code, stdout, stderr) =
        ketluan(&["check", "--root", site.path().to_str().unwrap(), "--drafts"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("đã kiểm tra 1 văn bản"), "{stdout}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(ketluan(&["build", "--no-such-flag"]).0, 2);
    assert_eq!(ketluan(&["frobnicate"]).0, 2);
}

#[test]
fn the_build_never_replaces_the_sites_own_files() {
    let site = site(
        CONFIG,
        &[(
            "a.md",
            &doc("Kết luận A", "2023-04-26", "Huyện ủy", "1-KL/HU"),
        )],
    );
    let root = site.path().to_str().unwrap();
    for output in [
        root.to_string(),
        format!("{root}/content"),
        format!("{root}/content/x"),
        format!("{root}/.."),
    ] {
        let (code, _, stderr) = ketluan(&["build", "--root", root, "--output", &output]);
        assert_eq!(code, 1, "{output}: {stderr}");
        assert!(stderr.contains("lỗi: không dựng vào"), "{stderr}");
    }
    assert!(site.path().join("content/a.md").exists());
}
