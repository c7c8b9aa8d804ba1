//! `ketluan new`: a content file with every front-matter field, explained.

use std::io;
use std::path::{Path, PathBuf};

use crate::calendar::Date;
use crate::content::CONTENT_DIR;
use crate::slug::Slug;

/// Why `ketluan new` wrote no file.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("the title needs at least one letter or digit")]
    NoLetters,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes `content/<year>/<slug>.md` for a new conclusion and returns its
/// path. Never overwrites an existing file.
pub fn new_document(root: &Path, title: &str, today: Date) -> Result<PathBuf, NewError> {
    let slug = Slug::from_text(title).ok_or(NewError::NoLetters)?;
    let dir = root.join(CONTENT_DIR).join(today.year.to_string());
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{slug}.md"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    io::Write::write_all(&mut file, template(title, today).as_bytes())?;
    Ok(path)
}

fn template(title: &str, today: Date) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"+++
# Tiêu đề (required)
title = "{title}"
# Ngày ban hành / ngày hội nghị (required), YYYY-MM-DD, no quotes
date = {today}
# Cơ quan ban hành (required)
body = "Ban Chấp hành Đảng bộ thị xã …"
# Số ký hiệu, e.g. "45-KL/TU"
# number = ""
# Hội nghị lần thứ (a whole number)
# session = 1
# Khóa, e.g. "XXIII"
# term = ""
# Người ký and chức vụ
# signer = ""
# signer_title = "Phó Bí thư Thường trực"
# Nơi nhận
# recipients = ["Thường trực Tỉnh ủy", "Lưu VT"]
# Trích yếu
# summary = "Về …"
# Chủ đề
# tags = ["ngân sách"]
# Quý, if not the quarter of `date`, e.g. "2023-Q1"
# quarter = ""
# Địa chỉ trang (URL slug), if not the file name
# slug = ""
# true keeps the document out of the site unless built with --drafts
draft = true
+++

Nội dung kết luận …
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_file_loads_as_a_draft_and_is_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let today = Date::new(2024, 5, 2).unwrap();
        let path = new_document(tmp.path(), "Kết luận \"số 1\"", today).unwrap();
        assert!(path.ends_with("content/2024/ket-luan-so-1.md"));
        let loaded = crate::content::load(tmp.path(), true, today);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.documents[0].title, "Kết luận \"số 1\"");
        assert!(loaded.documents[0].draft);
        assert!(new_document(tmp.path(), "Kết luận \"số 1\"", today).is_err());
    }
}
