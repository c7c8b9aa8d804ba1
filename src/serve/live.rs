//! Live reload: the outcome of the latest build, the Server-Sent Events
//! stream that tells open tabs about it, and the snippet injected into
//! HTML responses (never into the built files).

use std::io::{self, Write};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use crate::messages::serve::Overlay;

/// A comment line keeps idle streams alive and finds closed tabs, whose
/// threads then end.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The client side: reloads when a newer build is ready, shows the errors of
/// a failed one. Served as a file (`/__ketluan/live.js`) rather than inline,
/// so that a theme's Content-Security-Policy allowing `'self'` scripts
/// does not block it.
pub(super) const SCRIPT: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var generation = Number(me && me.getAttribute("data-generation"));
  var id = "__ketluan-overlay";
  function hide() {
    var old = document.getElementById(id);
    if (old) old.parentNode.removeChild(old);
  }
  function show(state) {
    hide();
    var box = document.createElement("div");
    box.id = id;
    box.setAttribute("role", "alert");
    var head = document.createElement("p");
    head.textContent = HEADINGS[state.generation === 0 ? 1 : 0];
    box.appendChild(head);
    state.errors.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.textContent = text;
      box.appendChild(pre);
    });
    document.body.appendChild(box);
  }
  // The overlay rendered by the server on page load hides on click too.
  document.addEventListener("click", function (event) {
    var box = document.getElementById(id);
    if (box && box.contains(event.target)) hide();
  });
  var source = new EventSource("/__ketluan/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) show(state);
    else if (state.generation !== generation) location.reload();
    else hide();
  };
})();
"#;

/// The overlay's first line: after a good build, and before any.
/// The overlay's heading after a failed rebuild, then after a failed
/// first build (generation 0), as the script indexes them.
fn headings() -> [String; 2] {
    [
        Overlay::NotRebuilt.to_string(),
        Overlay::NeverBuilt.to_string(),
    ]
}

fn heading(state: &State) -> String {
    let which = if state.generation == 0 {
        Overlay::NeverBuilt
    } else {
        Overlay::NotRebuilt
    };
    which.to_string()
}

const STYLE: &str = "#__ketluan-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.97);cursor:pointer;color:#fff;font:14px/1.45 system-ui,sans-serif;padding:1.5rem}\
#__ketluan-overlay p{font-weight:bold;color:#ff8080;margin:0 0 1rem}\
#__ketluan-overlay pre{white-space:pre;overflow-x:auto;background:#000;padding:1rem;border-left:4px solid #f55;\
font:13px/1.4 ui-monospace,monospace}";

/// What the last build did.
#[derive(Clone, Debug, Default, Serialize)]
pub(super) struct State {
    /// Counts successful builds: a tab showing an older one reloads.
    pub generation: u64,
    /// The diagnostics of the last build, if it failed, as printed in the
    /// terminal.
    pub errors: Vec<String>,
    /// Counts every build outcome, so that waiting streams notice a change.
    #[serde(skip)]
    pub version: u64,
}

#[derive(Default)]
pub(super) struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

impl Live {
    pub(super) fn snapshot(&self) -> State {
        self.lock().clone()
    }

    pub(super) fn succeeded(&self) {
        self.update(|s| {
            s.generation += 1;
            s.errors.clear();
        });
    }

    pub(super) fn failed(&self, errors: Vec<String>) {
        self.update(|s| s.errors = errors);
    }

    fn update(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.lock();
        change(&mut state);
        state.version += 1;
        self.changed.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state once its version differs from `seen`, or `None` after the
    /// keep-alive interval.
    fn wait_after(&self, seen: u64) -> Option<State> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, KEEPALIVE, |s| s.version == seen)
            .unwrap_or_else(PoisonError::into_inner);
        (guard.version != seen).then(|| guard.clone())
    }

    /// Streams the state to one tab until it goes away. The current state
    /// is sent first, so a build that finished between the page load and
    /// the connection is not missed.
    pub(super) fn stream(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
              X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n",
        )?;
        let mut state = self.snapshot();
        loop {
            out.write_all(event(&state).as_bytes())?;
            out.flush()?;
            loop {
                match self.wait_after(state.version) {
                    Some(next) => {
                        state = next;
                        break;
                    }
                    None => {
                        out.write_all(b": ping\n\n")?;
                        out.flush()?;
                    }
                }
            }
        }
    }
}

fn event(state: &State) -> String {
    let json = serde_json::to_string(state).unwrap_or_else(|_| "{}".into());
    format!("data: {json}\n\n")
}

/// The script tag, and the overlay when the last build failed, placed
/// before `</body>` (or at the end of a page without one).
pub(super) fn inject(html: &str, state: &State) -> String {
    let snippet = snippet(state);
    let at = rfind_ignore_case(html, "</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(&snippet);
    out.push_str(&html[at..]);
    out
}

pub(super) fn script() -> String {
    SCRIPT.replace(
        "HEADINGS",
        &serde_json::to_string(&headings()).unwrap_or_default(),
    )
}

fn snippet(state: &State) -> String {
    let mut s = format!("<style>{STYLE}</style>");
    if !state.errors.is_empty() {
        s.push_str(r#"<div id="__ketluan-overlay" role="alert"><p>"#);
        s.push_str(&crate::render::escape_html(&heading(state)));
        s.push_str("</p>");
        for error in &state.errors {
            s.push_str("<pre>");
            s.push_str(&crate::render::escape_html(error));
            s.push_str("</pre>");
        }
        s.push_str("</div>");
    }
    s.push_str(&format!(
        r#"<script src="/__ketluan/live.js" data-generation="{}"></script>"#,
        state.generation
    ));
    s
}

fn rfind_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().rfind(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let state = State::default();
        let page = inject("<html><BODY>x</BODY></html>", &state);
        assert!(page.ends_with(r#"data-generation="0"></script></BODY></html>"#));
        assert!(inject("plain", &state).starts_with("plain<style>"));
    }

    #[test]
    fn overlay_escapes_errors() {
        let state = State {
            errors: vec!["<script>alert('x')</script> & \"q\"".into()],
            ..State::default()
        };
        let page = inject("<body></body>", &state);
        assert!(
            page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        );
        assert!(!page.contains("<script>alert"));
    }

    #[test]
    fn the_script_carries_the_headings() {
        let js = script();
        assert!(js.contains("head.textContent = [\"ketluan: lỗi"), "{js}");
        assert!(!js.contains("HEADINGS"));
    }

    #[test]
    fn the_stream_reports_changes() {
        let live = Live::default();
        live.failed(vec!["bad".into()]);
        assert_eq!(
            event(&live.snapshot()),
            "data: {\"generation\":0,\"errors\":[\"bad\"]}\n\n"
        );
        let before = live.snapshot().version;
        live.succeeded();
        let after = live.wait_after(before).unwrap();
        assert_eq!((after.generation, after.errors.len()), (1, 0));
    }
}
