//! The heading of the preview's error overlay in the browser.

use std::fmt;

use super::{Lang, Localized, display_in_current_language};
use Lang::{En, Vi};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Overlay {
    /// A rebuild failed; the last good site is still served.
    NotRebuilt,
    /// The first build failed: there is no site to show.
    NeverBuilt,
}

impl Localized for Overlay {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self, lang) {
            (Overlay::NotRebuilt, Vi) => {
                "ketluan: lỗi — trang chưa được dựng lại; đang hiện bản tốt gần nhất. \
                 Sửa tệp rồi lưu: trang này tự tải lại. (Bấm để ẩn.)"
            }
            (Overlay::NotRebuilt, En) => {
                "ketluan: error — the site did not rebuild; showing the last good version. \
                 Fix the file and save: this page reloads by itself. (Click to hide.)"
            }
            (Overlay::NeverBuilt, Vi) => {
                "ketluan: lỗi — chưa dựng được trang. \
                 Sửa tệp rồi lưu: trang này tự tải lại. (Bấm để ẩn.)"
            }
            (Overlay::NeverBuilt, En) => {
                "ketluan: error — the site could not be built. \
                 Fix the file and save: this page reloads by itself. (Click to hide.)"
            }
        })
    }
}

display_in_current_language!(Overlay);
