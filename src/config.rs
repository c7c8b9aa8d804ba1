//! `site.toml`: the settings of one archive site.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Problem, SourceFile};
use crate::fields::Fields;
use crate::messages::IoCause;
use crate::messages::problems::{Expected, Table};

pub(crate) const FILE_NAME: &str = "site.toml";

const KNOWN: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "output_dir",
    "page_size",
    "feed_limit",
    "allow_raw_html",
];

#[derive(Clone, Debug)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    /// Relative to the site root unless absolute.
    pub output_dir: PathBuf,
    /// Documents per listing page.
    pub page_size: usize,
    /// Entries in `atom.xml`.
    pub feed_limit: usize,
    /// Off by default: the archive is public and its content is typed by many
    /// hands, so HTML in Markdown is shown as text unless the site opts in.
    pub allow_raw_html: bool,
}

/// Why a `base_url` is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum BaseUrlError {
    NoScheme(String),
    NotAnAddress(String),
}

/// The public address of the site, always ending in `/`. The site may live
/// under a sub-path (`https://example.org/luu-tru/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub(crate) fn parse(text: &str) -> Result<BaseUrl, BaseUrlError> {
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| BaseUrlError::NoScheme(text.to_string()))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || text.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err(BaseUrlError::NotAnAddress(text.to_string()));
        }
        let mut url = text.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }

    /// The absolute URL of a site-relative path such as `ket-luan/x/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path.trim_start_matches('/'))
    }

    /// The path part, e.g. `/luu-tru/`: what a page served at an unknown
    /// depth (404.html) must prefix its links with.
    pub fn path(&self) -> &str {
        let after_scheme = self.0.split_once("//").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl SiteConfig {
    /// Reads `site.toml` in `root`. All problems are returned together.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::file(
                &path,
                Problem::CannotReadConfig {
                    cause: IoCause::from(&e),
                },
            )]
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let display = PathBuf::from(FILE_NAME);
        let file = SourceFile {
            path: &display,
            text,
        };
        Self::parse(&file)
    }

    pub fn parse(file: &SourceFile<'_>) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut f = Fields::parse(file, file.text, 0);
        f.deny_unknown(KNOWN, Table::SiteToml);
        let title: Option<String> =
            f.required("title", Expected::Text, "title = \"Lưu trữ Kết luận\"");
        let description = f
            .optional("description", Expected::Text)
            .unwrap_or_default();
        let base_url = f
            .required::<String>(
                "base_url",
                Expected::Text,
                "base_url = \"https://example.org/\"",
            )
            .and_then(|raw| match BaseUrl::parse(&raw) {
                Ok(url) => Some(url),
                Err(e) => {
                    let d = file.error(f.span_of("base_url"), Problem::BadBaseUrl(e));
                    f.diagnostics.push(d);
                    None
                }
            });
        let language = f
            .optional("language", Expected::Text)
            .unwrap_or_else(|| "vi".into());
        let output_dir: PathBuf = f
            .optional::<String>("output_dir", Expected::Text)
            .map_or_else(|| "public".into(), Into::into);
        let page_size = positive(&mut f, "page_size", 20);
        let feed_limit = positive(&mut f, "feed_limit", 20);
        let allow_raw_html = f
            .optional("allow_raw_html", Expected::Bool)
            .unwrap_or(false);
        if output_dir.as_os_str().is_empty() || output_dir == Path::new(".") {
            let d = file.error(f.span_of("output_dir"), Problem::OutputIsSite);
            f.diagnostics.push(d);
        }
        match (title, base_url, f.diagnostics.is_empty()) {
            (Some(title), Some(base_url), true) => Ok(SiteConfig {
                title,
                description,
                base_url,
                language,
                output_dir,
                page_size,
                feed_limit,
                allow_raw_html,
            }),
            _ => Err(f.diagnostics),
        }
    }
}

fn positive(f: &mut Fields<'_>, key: &str, default: usize) -> usize {
    match f.optional::<i64>(key, Expected::WholeNumber) {
        None => default,
        Some(n) if n >= 1 => n as usize,
        Some(n) => {
            let d = f.file.error(
                f.span_of(key),
                Problem::NotPositive {
                    key: key.to_string(),
                    n,
                },
            );
            f.diagnostics.push(d);
            default
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::problems::Help;
    use crate::messages::{Lang, Localized};

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&SourceFile {
            path: Path::new("site.toml"),
            text,
        })
    }

    #[test]
    fn base_url_keeps_its_subpath() {
        let url = BaseUrl::parse("https://example.org/luu-tru").unwrap();
        assert_eq!(url.as_str(), "https://example.org/luu-tru/");
        assert_eq!(url.path(), "/luu-tru/");
        assert_eq!(
            url.join("ket-luan/a/"),
            "https://example.org/luu-tru/ket-luan/a/"
        );
        assert_eq!(BaseUrl::parse("http://127.0.0.1:8080").unwrap().path(), "/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"A\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!(c.page_size, 20);
        assert_eq!(c.output_dir, Path::new("public"));
        assert!(!c.allow_raw_html);
        assert_eq!(c.language, "vi");
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let errors = parse("title = 3\nbase_ur = \"https://x.org/\"\npage_size = 0\n").unwrap_err();
        let lines: Vec<_> = errors
            .iter()
            .map(|d| (d.line, d.problem.text(Lang::En)))
            .collect();
        assert!(
            lines.contains(&(1, "`title` must be text, not the number 3".to_string())),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 2 && m.contains("base_ur")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(_, m)| m.contains("missing required field `base_url`"))
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 3 && m.contains("at least 1")),
            "{lines:?}"
        );
        let unknown = errors
            .iter()
            .find(|d| d.problem.text(Lang::En).contains("base_ur`"))
            .unwrap();
        assert_eq!(
            Help(&unknown.problem).text(Lang::Vi),
            "có phải là `base_url`?"
        );
    }
}
