//! Organisations: the committee behind an issuing body, which numbers its
//! documents in one series whichever of its bodies signs them.

use crate::slug::Slug;

/// The organisation behind an issuing body: "Ban Chấp hành Đảng bộ thị xã
/// Thuận Thành" and "Ban Thường vụ Thị ủy Thuận Thành" are both the Thị ủy of
/// Thuận Thành, which numbers their documents in one series.
pub(crate) fn organisation(body: &str) -> String {
    let slug = Slug::from_text(body)
        .map(|s| s.to_string())
        .unwrap_or_default();
    // Abbreviations in running text ("UBND thị xã") name the same bodies as
    // the front matter spells out.
    let slug = format!("{slug}-")
        .replace("ubnd-", "uy-ban-nhan-dan-")
        .replace("hdnd-", "hoi-dong-nhan-dan-");
    let mut rest = slug.as_str();
    for prefix in [
        "ban-chap-hanh-dang-bo-",
        "ban-chap-hanh-",
        "ban-thuong-vu-",
        "thuong-truc-",
        "dang-bo-",
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
            break;
        }
    }
    let rest = rest.trim_end_matches('-');
    for (level, names) in [
        ("thi-xa", ["thi-xa", "thi-uy"]),
        ("thanh-pho", ["thanh-pho", "thanh-uy"]),
        ("huyen", ["huyen-uy", "huyen"]),
        ("quan", ["quan-uy", "quan"]),
        ("tinh", ["tinh-uy", "tinh"]),
    ] {
        for name in names {
            if let Some(place) = rest.strip_prefix(name)
                && (place.is_empty() || place.starts_with('-'))
            {
                return format!("{level}{place}");
            }
        }
    }
    rest.to_string()
}

/// Whether an organisation fits the one a text names: "Ban Thường vụ Thị
/// ủy" (`thi-xa`) fits every Thị ủy, "Ban Chấp hành Đảng bộ tỉnh" (`tinh`)
/// fits no Thị ủy, and a bare "Ban Thường vụ" says nothing.
pub(crate) fn same_or_within(named: &str, organisation: &str) -> bool {
    named.is_empty()
        || organisation == named
        || organisation
            .strip_prefix(named)
            .is_some_and(|rest| rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_one_committee_share_an_organisation() {
        let cases = [
            (
                "Ban Chấp hành Đảng bộ thị xã Thuận Thành",
                "thi-xa-thuan-thanh",
            ),
            ("Ban Thường vụ Thị ủy Thuận Thành", "thi-xa-thuan-thanh"),
            ("Ban Thường vụ Thị uỷ Thuận Thành", "thi-xa-thuan-thanh"),
            ("Ban Chấp hành Đảng bộ huyện Gia Bình", "huyen-gia-binh"),
            ("Ban Thường vụ Huyện ủy Gia Bình", "huyen-gia-binh"),
            ("Ban Thường vụ Thành ủy Bắc Ninh", "thanh-pho-bac-ninh"),
            (
                "Ban Chấp hành Đảng bộ thành phố Bắc Ninh",
                "thanh-pho-bac-ninh",
            ),
            ("Ban Thường vụ Quận ủy Ba Đình", "quan-ba-dinh"),
            ("Huyện ủy", "huyen"),
            ("Ban Thường vụ", ""),
            ("Ban Chấp hành Đảng bộ tỉnh", "tinh"),
            (
                "UBND thị xã Thuận Thành",
                "uy-ban-nhan-dan-thi-xa-thuan-thanh",
            ),
            (
                "Ủy ban nhân dân thị xã Thuận Thành",
                "uy-ban-nhan-dan-thi-xa-thuan-thanh",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(organisation(body), want, "{body}");
        }
        assert_ne!(
            organisation("Ban Chấp hành Đảng bộ tỉnh Bắc Ninh"),
            organisation("Ban Chấp hành Đảng bộ thành phố Bắc Ninh")
        );
    }
}
