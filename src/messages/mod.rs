//! Every sentence a maintainer reads, in Vietnamese and in English.
//!
//! Each message is a variant of a kind enum with its arguments; its two
//! texts sit side by side in one `match lang` arm, so a message without
//! either language does not compile. The layers build these values; only
//! the reporter turns them into text.
//!
//! The language is chosen once per process ([`set`]) and read by every
//! `Display` here, as `progress.rs` keeps one counter: errors nest (an
//! `io::Error` inside an `OutputError` inside a `BuildError`) and reach the
//! terminal and the preview's overlay through `Display`, which has no room
//! for a language argument. Code that needs a given language (the
//! catalogue's tests) calls [`Localized::text`] instead.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

pub mod cli;
pub(crate) mod errors;
pub mod import;
pub(crate) mod problems;
pub(crate) mod scaffold;
pub(crate) mod serve;

pub(crate) use problems::Problem;

/// The language of what ketluan prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

use Lang::{En, Vi};

impl Lang {
    /// `vi` or `en`, as `--lang` and `KETLUAN_LANG` take them.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Vi),
            "en" => Some(En),
            _ => None,
        }
    }

    /// The language asked for: `flag` (`--lang`), else `KETLUAN_LANG`,
    /// else the POSIX locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one
    /// set decides: `en…` is English), else Vietnamese. Any other locale
    /// (`C`, `POSIX`, `fr_FR`) gives Vietnamese, the product's language.
    pub fn choose(flag: Option<Lang>, var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        if let Some(lang) = set("KETLUAN_LANG").and_then(|v| Lang::parse(&v)) {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| set(name));
        match locale {
            Some(l) if l.trim().to_ascii_lowercase().starts_with("en") => En,
            _ => Vi,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of the whole process (the command does it once).
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language set for the process; Vietnamese unless [`set`] said otherwise.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => En,
        _ => Vi,
    }
}

/// A value with a text in each language.
pub trait Localized {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// The text in `lang`.
    fn text(&self, lang: Lang) -> String {
        In(lang, self).to_string()
    }
}

/// `value` shown in `lang`, for nesting one message in another.
pub struct In<'a, T: ?Sized>(pub Lang, pub &'a T);

impl<T: Localized + ?Sized> fmt::Display for In<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.1.write(self.0, f)
    }
}

/// `Display` in the process's language, for types of the catalogue.
macro_rules! display_in_current_language {
    ($($ty:ty),* $(,)?) => {
        $(
            impl std::fmt::Display for $ty {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    $crate::messages::Localized::write(self, $crate::messages::current(), f)
                }
            }
        )*
    };
}
pub(crate) use display_in_current_language;

/// Why the system refused a file operation, kept as a value (an
/// `io::Error` is neither `Clone` nor comparable) and told in the reader's
/// language: the operating system's own text is English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoCause {
    kind: std::io::ErrorKind,
    os: Option<i32>,
    text: String,
}

impl From<&std::io::Error> for IoCause {
    fn from(e: &std::io::Error) -> IoCause {
        IoCause {
            kind: e.kind(),
            os: e.raw_os_error(),
            text: e.to_string(),
        }
    }
}

impl IoCause {
    /// A failure that is not an `io::Error`, known only by its text.
    pub(crate) fn other(text: String) -> IoCause {
        IoCause {
            kind: std::io::ErrorKind::Other,
            os: None,
            text,
        }
    }
}

impl Localized for IoCause {
    fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use std::io::ErrorKind as K;
        let known = match (self.kind, lang) {
            (K::NotFound, Vi) => "không có tệp hay thư mục này",
            (K::NotFound, En) => "no such file or folder",
            (K::PermissionDenied, Vi) => "không có quyền truy cập",
            (K::PermissionDenied, En) => "permission denied",
            (K::AlreadyExists, Vi) => "đã có",
            (K::AlreadyExists, En) => "already exists",
            (K::StorageFull, Vi) => "đĩa đã đầy",
            (K::StorageFull, En) => "the disk is full",
            (K::ReadOnlyFilesystem, Vi) => "ổ đĩa chỉ cho đọc",
            (K::ReadOnlyFilesystem, En) => "the disk is read-only",
            (K::NotADirectory, Vi) => "không phải thư mục",
            (K::NotADirectory, En) => "not a folder",
            (K::IsADirectory, Vi) => "là một thư mục",
            (K::IsADirectory, En) => "is a folder",
            (K::AddrInUse, Vi) => "cổng đã có chương trình khác dùng",
            (K::AddrInUse, En) => "the port is in use by another program",
            (K::AddrNotAvailable, Vi) => "máy này không có địa chỉ đó",
            (K::AddrNotAvailable, En) => "this machine has no such address",
            (K::InvalidData, Vi) => "dữ liệu hỏng",
            (K::InvalidData, En) => "the data is damaged",
            (K::UnexpectedEof, Vi) => "tệp bị cắt cụt",
            (K::UnexpectedEof, En) => "the file is truncated",
            (_, Vi) => {
                return match self.os {
                    Some(code) => write!(f, "lỗi hệ thống số {code}"),
                    None => f.write_str("lỗi vào/ra"),
                };
            }
            (_, En) => return f.write_str(&self.text),
        };
        f.write_str(known)
    }
}

display_in_current_language!(IoCause);

/// `n` as the language writes numbers: `1.000` in Vietnamese, `1,000` in
/// English.
pub fn count(lang: Lang, n: usize) -> String {
    let digits = n.to_string();
    let mark = match lang {
        Vi => '.',
        En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(mark);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
pub(crate) mod check;

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_flag_then_ketluan_lang_then_the_locale_decide() {
        let english = [("LANG", "en_US.UTF-8")];
        assert_eq!(Lang::choose(None, env(&[])), Vi);
        assert_eq!(Lang::choose(None, env(&english)), En);
        assert_eq!(Lang::choose(Some(Vi), env(&english)), Vi);
        assert_eq!(Lang::choose(Some(En), env(&[])), En);
        let both = [("KETLUAN_LANG", "vi"), ("LANG", "en_GB.UTF-8")];
        assert_eq!(Lang::choose(None, env(&both)), Vi);
        assert_eq!(Lang::choose(None, env(&[("KETLUAN_LANG", "en")])), En);
    }

    #[test]
    fn lc_all_overrides_lc_messages_overrides_lang() {
        let all = [("LC_ALL", "vi_VN.UTF-8"), ("LANG", "en_US.UTF-8")];
        assert_eq!(Lang::choose(None, env(&all)), Vi);
        let messages = [("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "vi_VN")];
        assert_eq!(Lang::choose(None, env(&messages)), En);
        let empty_all = [("LC_ALL", ""), ("LANG", "en_US.UTF-8")];
        assert_eq!(Lang::choose(None, env(&empty_all)), En);
    }

    #[test]
    fn other_locales_give_vietnamese() {
        for locale in ["C", "POSIX", "C.UTF-8", "fr_FR.UTF-8", "vi_VN.UTF-8"] {
            assert_eq!(Lang::choose(None, env(&[("LANG", locale)])), Vi, "{locale}");
        }
        assert_eq!(Lang::choose(None, env(&[("KETLUAN_LANG", "fr")])), Vi);
    }

    #[test]
    fn counts_use_each_language_s_thousands_mark() {
        assert_eq!(count(Vi, 41_200), "41.200");
        assert_eq!(count(En, 1_234_567), "1,234,567");
        assert_eq!(count(Vi, 999), "999");
    }
}
