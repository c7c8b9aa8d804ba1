//! The template environment: every template compiled up front, template
//! errors as diagnostics, the filters and formatter templates use, and the
//! cache-busting addresses of static files.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment};

use super::RenderError;
use crate::diagnostic::{Diagnostic, Problem};
use crate::messages::problems::TemplateFault;
use crate::theme::{Theme, content_hash};

/// Compiles the theme's templates: a build checks them before it spends
/// time on the search index.
pub(crate) fn check_templates(theme: &Theme) -> Result<(), RenderError> {
    environment(theme).map(drop)
}

/// Compiles every template up front, so that all syntax errors in a theme
/// override are reported together.
pub(super) fn environment(theme: &Theme) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".xml") {
            AutoEscape::Html
        } else if name.ends_with(".json") {
            AutoEscape::Json
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_formatter(|out, state, value| {
        let plain = !value.is_safe() && !value.is_undefined() && !value.is_none();
        if matches!(state.auto_escape(), AutoEscape::Html) && plain {
            out.write_str(&escape_html(&value.to_string()))
                .map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.add_filter("vi_number", vi_number);
    let mut errors = Vec::new();
    for (name, template) in &theme.templates {
        if let Err(e) = env.add_template_owned(name.clone(), template.source.clone()) {
            errors.push(template_diagnostic(theme, &e));
        }
    }
    if errors.is_empty() {
        Ok(env)
    } else {
        Err(RenderError::Template(errors))
    }
}

pub(super) fn template_diagnostic(theme: &Theme, e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or("?");
    let origin = theme
        .templates
        .get(name)
        .map(|t| (t.origin.clone(), t.source.clone()));
    let (path, source) = origin.unwrap_or_else(|| (name.into(), String::new()));
    let file = crate::diagnostic::SourceFile {
        path: &path,
        text: &source,
    };
    let fault = match e.kind() {
        minijinja::ErrorKind::SyntaxError => TemplateFault::Syntax,
        minijinja::ErrorKind::UndefinedError => TemplateFault::Undefined,
        _ => TemplateFault::Other,
    };
    let problem = Problem::Template {
        name: name.to_string(),
        fault,
        detail: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_string),
    };
    match e.line() {
        Some(line) if !source.is_empty() => file.error_at_line(line, problem),
        _ => Diagnostic::file(&path, problem),
    }
}

/// `static/style.css` → `static/style.css?v=<hash>`, so a changed stylesheet
/// is fetched again even where hosts cache for long.
pub(super) fn asset_urls(theme: &Theme) -> BTreeMap<String, String> {
    theme
        .statics
        .iter()
        .map(|(path, bytes)| {
            let name = path.trim_start_matches("static/").to_string();
            (name, format!("{path}?v={}", content_hash(bytes)))
        })
        .collect()
}

/// Escapes what HTML and XML need escaped, and no more: minijinja's default
/// also turns every `/` into `&#x2f;`, which makes URLs in sitemaps and feeds
/// unreadable.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `10000` → `10.000`: Vietnamese groups thousands with dots.
fn vi_number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_vietnamese_grouping() {
        assert_eq!(vi_number(0), "0");
        assert_eq!(vi_number(999), "999");
        assert_eq!(vi_number(10_000), "10.000");
        assert_eq!(vi_number(1_234_567), "1.234.567");
    }

    #[test]
    fn escaping_leaves_slashes_alone() {
        assert_eq!(
            escape_html("<a href='x'>&\"/"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;/"
        );
    }
}
