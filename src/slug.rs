//! Diacritic-free URL slugs for Vietnamese text.

use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A URL path segment: lowercase ASCII letters, digits and single dashes.
/// Only [`Slug::from_text`] and [`Slug::parse`] make one, so every slug in
/// the model is already safe to join onto the output folder.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Folds any text into a slug: `Đảng bộ thị xã` → `dang-bo-thi-xa`.
    /// Returns `None` when nothing URL-worthy is left (e.g. only punctuation).
    pub fn from_text(text: &str) -> Option<Slug> {
        let folded = fold_diacritics(text).to_lowercase();
        let mut out = String::with_capacity(folded.len());
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        (!out.is_empty()).then_some(Slug(out))
    }

    /// Accepts a slug written by hand (front matter `slug = "…"`) only if it
    /// is already in canonical form, so a URL never silently differs from
    /// what the maintainer typed.
    pub(crate) fn parse(text: &str) -> Result<Slug, SlugError> {
        match Slug::from_text(text) {
            Some(slug) if slug.0 == text => Ok(slug),
            Some(slug) => Err(SlugError::NotCanonical { canonical: slug }),
            None => Err(SlugError::Empty),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a hand-written slug is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum SlugError {
    NotCanonical { canonical: Slug },
    Empty,
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Removes Vietnamese diacritics (and those of other Latin scripts): `ngân
/// sách` → `ngan sach`, `Đ` → `D`. `đ` has no decomposition in Unicode, so it
/// needs its own rule.
pub(crate) fn fold_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_to_ascii_slugs() {
        let cases = [
            (
                "Ban Chấp hành Đảng bộ thị xã",
                "ban-chap-hanh-dang-bo-thi-xa",
            ),
            ("ĐẢNG ỦY", "dang-uy"),
            ("khóa XXIII", "khoa-xxiii"),
            ("45-KL/TU", "45-kl-tu"),
            ("  ngân  sách -- nhà nước  ", "ngan-sach-nha-nuoc"),
            ("An ninh, quốc phòng", "an-ninh-quoc-phong"),
            ("Thuỷ lợi", "thuy-loi"),
            ("Thủy lợi", "thuy-loi"),
        ];
        for (text, want) in cases {
            assert_eq!(Slug::from_text(text).unwrap().as_str(), want, "{text}");
        }
    }

    #[test]
    fn nfd_input_gives_the_same_slug_as_nfc() {
        let nfc = "Nghị quyết Đảng bộ";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(Slug::from_text(nfc), Slug::from_text(&nfd));
    }

    #[test]
    fn nothing_left_is_no_slug() {
        assert_eq!(Slug::from_text("—/…"), None);
        assert_eq!(Slug::from_text(""), None);
    }

    #[test]
    fn hand_written_slugs_must_be_canonical() {
        assert!(Slug::parse("ket-luan-45").is_ok());
        for bad in ["../etc", "a/b", "Có dấu", "a--b", "-a", "a b", "", "a."] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
