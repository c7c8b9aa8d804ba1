//! Word 97–2003 (`.doc`): converted to `.docx` by LibreOffice, then read
//! as one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Source;
use super::report::Message;

/// LibreOffice converts a document in seconds; one that takes minutes is
/// stuck.
const TIMEOUT: Duration = Duration::from_secs(180);

pub(crate) fn read(path: &Path) -> Result<Source, Message> {
    let failed = |reason: String| Message::ConversionFailed {
        tool: "LibreOffice".into(),
        reason,
    };
    let work = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
    // A profile of its own: a running LibreOffice (or another import) must
    // not lock this one out.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        work.path().display()
    );
    let mut child = Command::new("soffice")
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(work.path())
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Message::NeedsLibreOffice,
            _ => failed(e.to_string()),
        })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!("quá {} giây", TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(failed(e.to_string())),
        }
    }
    let stem = path.file_stem().unwrap_or_default();
    let converted = work.path().join(stem).with_extension("docx");
    let bytes = std::fs::read(&converted).map_err(|_| failed("không tạo ra tệp .docx".into()))?;
    super::docx::read(&bytes)
}
