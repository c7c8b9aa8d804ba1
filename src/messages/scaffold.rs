//! The files `ketluan new` and `ketluan init` write: their comments are
//! read by the maintainer, so they are in the chosen language; the values
//! (a Vietnamese example title, body, recipients) are the archive's own.

use std::fmt;

use super::{Lang, Localized, display_in_current_language};
use crate::calendar::Date;
use Lang::{En, Vi};

pub(crate) enum Scaffold<'a> {
    /// A new document, its title already escaped for a TOML string.
    NewDocument {
        title: &'a str,
        today: Date,
    },
    SiteToml,
    Gitignore,
}

impl Localized for Scaffold<'_> {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, lang) {
            (Scaffold::NewDocument { title, today }, Vi) => write!(
                f,
                r#"+++
# Tiêu đề (bắt buộc)
title = "{title}"
# Ngày ban hành / ngày hội nghị (bắt buộc), dạng NĂM-THÁNG-NGÀY, không có ngoặc kép
date = {today}
# Cơ quan ban hành (bắt buộc)
body = "Ban Chấp hành Đảng bộ thị xã …"
# Số ký hiệu, ví dụ "45-KL/TU"
# number = ""
# Hội nghị lần thứ (một số nguyên)
# session = 1
# Khóa, ví dụ "XXIII"
# term = ""
# Người ký và chức vụ
# signer = ""
# signer_title = "Phó Bí thư Thường trực"
# Nơi nhận
# recipients = ["Thường trực Tỉnh ủy", "Lưu VT"]
# Trích yếu
# summary = "Về …"
# Chủ đề
# tags = ["ngân sách"]
# Quý, nếu khác quý của ngày ban hành, ví dụ "2023-Q1"
# quarter = ""
# Đường dẫn trang, nếu không lấy theo tên tệp
# slug = ""
# true: văn bản chưa lên trang, trừ khi dựng với --drafts
draft = true
+++

Nội dung kết luận …
"#
            ),
            (Scaffold::NewDocument { title, today }, En) => write!(
                f,
                r#"+++
# Title (required)
title = "{title}"
# Date of issue or of the session (required), YYYY-MM-DD, no quotes
date = {today}
# Issuing body (required)
body = "Ban Chấp hành Đảng bộ thị xã …"
# Document number, e.g. "45-KL/TU"
# number = ""
# Session (a whole number)
# session = 1
# Term, e.g. "XXIII"
# term = ""
# Signer and their title
# signer = ""
# signer_title = "Phó Bí thư Thường trực"
# Recipients
# recipients = ["Thường trực Tỉnh ủy", "Lưu VT"]
# Summary
# summary = "Về …"
# Topics
# tags = ["ngân sách"]
# Quarter, if not the quarter of `date`, e.g. "2023-Q1"
# quarter = ""
# URL slug, if not the file name
# slug = ""
# true keeps the document out of the site unless built with --drafts
draft = true
+++

Nội dung kết luận …
"#
            ),
            (Scaffold::SiteToml, Vi) => f.write_str(
                r#"# Cài đặt của lưu trữ. README.md, mục "site.toml", giải thích từng khóa.

# Tên trang (bắt buộc): hiện ở đầu mọi trang và trong nguồn tin.
title = "Lưu trữ Kết luận"

# Địa chỉ công khai (bắt buộc), có thể có đường dẫn con:
# "https://example.org/luu-tru/".
base_url = "https://example.org/"

# Một câu giới thiệu lưu trữ, cho máy tìm kiếm và nguồn tin.
# description = ""

# Ngôn ngữ của các trang (thuộc tính `lang`).
# language = "vi"

# Thư mục đầu ra, tính từ thư mục chứa tệp này.
# output_dir = "public"

# Số văn bản trên mỗi trang danh sách.
# page_size = 20

# Số mục trong atom.xml.
# feed_limit = 20

# false: HTML gõ trong Markdown được hiện như chữ thường (an toàn với chữ
# chép từ bất cứ đâu); liên kết javascript:/data: luôn bị vô hiệu hóa.
# allow_raw_html = false
"#,
            ),
            (Scaffold::SiteToml, En) => f.write_str(
                r#"# Settings of the archive. README.md, section "site.toml", explains every key.

# Site title (required): shown in every page's header and the feed.
title = "Lưu trữ Kết luận"

# Public address (required), may include a sub-path:
# "https://example.org/luu-tru/".
base_url = "https://example.org/"

# One sentence about the archive, for search engines and the feed.
# description = ""

# `lang` of the pages.
# language = "vi"

# Output folder, relative to this file.
# output_dir = "public"

# Documents per listing page.
# page_size = 20

# Entries in atom.xml.
# feed_limit = 20

# false: HTML typed in the Markdown is shown as text (safe for text copied
# from anywhere); javascript:/data: links are neutralised always.
# allow_raw_html = false
"#,
            ),
            (Scaffold::Gitignore, Vi) => f.write_str(
                "# Những gì `ketluan build` ghi ra: trang, bộ nhớ đệm và bản dự phòng.\n/public/\n/.*.ketluan-cache/\n/.*.ketluan-spare/\n",
            ),
            (Scaffold::Gitignore, En) => f.write_str(
                "# What `ketluan build` writes: the site, its cache and its spare copy.\n/public/\n/.*.ketluan-cache/\n/.*.ketluan-spare/\n",
            ),
        }
    }
}

display_in_current_language!(Scaffold<'_>);
