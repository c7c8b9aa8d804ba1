//! The `ketluan` command: parses arguments and calls the library.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// A build allocates and frees millions of small strings on every core;
// mimalloc does that with less CPU than glibc's allocator, whose cost grew
// faster than the archive (measured in bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ketluan::diagnostic::Diagnostic;
use ketluan::{BuildError, BuildOptions, Summary};

#[derive(Parser)]
#[command(
    name = "ketluan",
    version,
    about = "Static site generator for archives of Vietnamese conclusions (Kết luận)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: output_dir of site.toml, "public").
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Public address of the site, overriding base_url of site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include documents marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Show each stage's counts also when the output is not a terminal.
        #[arg(long)]
        progress: bool,
    },
    /// Check everything `build` would, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long)]
        drafts: bool,
        /// Show each stage's counts also when the output is not a terminal.
        #[arg(long)]
        progress: bool,
    },
    /// Search the built site's index, as the search page does.
    Search {
        /// Words to find; "quoted words" must appear together.
        query: String,
        #[command(flatten)]
        site: SiteArgs,
        /// The built site (default: output_dir of site.toml).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Results to print (every one, however many: `--limit 100000`).
        #[arg(long, default_value_t = 10, value_parser = positive)]
        limit: usize,
        /// Results to skip first, to page through them.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only this year.
        #[arg(long)]
        year: Option<u16>,
        /// Only this quarter, e.g. 2023-q2.
        #[arg(long)]
        quarter: Option<String>,
        /// Only this issuing body (its slug, as in /co-quan/<slug>/).
        #[arg(long)]
        issuer: Option<String>,
        /// Only this term (its slug, e.g. xxiii).
        #[arg(long)]
        term: Option<String>,
        /// Print JSON: {"total": N, "hits": [{"title","number","date","url","score","snippet"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Preview the site: build it into a temporary folder, serve it, rebuild
    /// on every change and reload the browser tab.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes the preview
        /// to other machines.
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include documents marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Import the office's documents (.docx, .doc, .pdf, .md, .txt) into
    /// content/, fields read from the documents, originals kept beside them.
    Import {
        /// Files, or folders of files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        site: SiteArgs,
        /// Report what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON: one object per file.
        #[arg(long)]
        json: bool,
    },
    /// Start a new archive: site.toml with every key explained, content/,
    /// .gitignore.
    Init {
        /// The folder to create the archive in (default: this one).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new content file with every front-matter field.
    New {
        /// The title of the conclusion.
        title: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (with site.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            site,
            output,
            base_url,
            drafts,
            progress,
        } => {
            let options = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts,
            };
            let result = with_progress(progress, || ketluan::build(&options));
            report(result, Verb::Built)
        }
        Command::Check {
            site,
            drafts,
            progress,
        } => {
            let options = BuildOptions {
                root: site.root,
                drafts,
                ..BuildOptions::default()
            };
            let result = with_progress(progress, || ketluan::check(&options));
            report(result, Verb::Checked)
        }
        Command::Search {
            query,
            site,
            output,
            limit,
            offset,
            year,
            quarter,
            issuer,
            term,
            json,
        } => {
            let request = ketluan_search::Request {
                query,
                year,
                quarter,
                issuer,
                term,
                limit,
                offset,
            };
            let options = BuildOptions {
                root: site.root,
                output,
                ..BuildOptions::default()
            };
            match ketluan::search::query_site(&options, &request) {
                Ok(results) => {
                    print_results(&results, json);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi (error): {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            drafts,
        } => {
            let options = ketluan::serve::ServeOptions {
                root: site.root,
                bind,
                port,
                open,
                drafts,
            };
            match ketluan::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("lỗi (error): {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Import {
            files,
            site,
            dry_run,
            json,
        } => {
            let options = ketluan::import::ImportOptions {
                root: site.root,
                inputs: files,
                dry_run,
            };
            match ketluan::import::run(&options, ketluan::calendar::Date::today()) {
                Ok(reports) => {
                    if json {
                        let all: Vec<_> = reports.iter().map(|r| r.to_json()).collect();
                        println!("{}", serde_json::Value::Array(all));
                    } else {
                        for r in &reports {
                            print!("{r}");
                        }
                    }
                    let refused = reports.iter().filter(|r| r.is_refused()).count();
                    if refused > 0 {
                        eprintln!("ketluan: {refused} tệp không nhập được (refused)");
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("lỗi (error): {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => match ketluan::scaffold::init(&dir) {
            Ok(created) => {
                for path in created {
                    println!("created {}", path.display());
                }
                println!(
                    "next: ketluan import --root {0} <files>, ketluan check --root {0}, ketluan build --root {0}",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("lỗi (error): {e}");
                ExitCode::from(1)
            }
        },
        Command::New { title, site } => {
            match ketluan::scaffold::new_document(
                &site.root,
                &title,
                ketluan::calendar::Date::today(),
            ) {
                Ok(path) => {
                    println!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi (error): cannot create the file: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// An IP address, or `localhost` for 127.0.0.1.
fn parse_bind(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::from([127, 0, 0, 1]));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not an IP address, such as 127.0.0.1 or ::1"))
}

/// Runs `work` while showing the build's stages on stderr. On a terminal: a
/// line with the current stage and its counts, from one second on (a
/// shorter build shows nothing, and the line is cleared at the end). In a
/// pipe or a log, nothing unless `forced` (`--progress`), and then one plain
/// line per stage when it ends, as cargo does.
fn with_progress<T>(forced: bool, work: impl FnOnce() -> T) -> T {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !terminal && !forced {
        return work();
    }
    ketluan::progress::reset();
    let over = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let shower = scope.spawn(|| {
            let started = Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            let mut printed = 0;
            loop {
                let finished = over.load(Ordering::Acquire);
                let stages = ketluan::progress::stages();
                if terminal {
                    let current = stages.last().copied();
                    let due = !finished && started.elapsed() >= Duration::from_secs(1);
                    if let Some((stage, done, total)) = current.filter(|_| due) {
                        let bar = bar.get_or_insert_with(indicatif::ProgressBar::new_spinner);
                        bar.set_message(ketluan::progress::line(stage, done, total));
                        bar.tick();
                    }
                } else {
                    // A stage is over once the next one began, or the work.
                    let over_now = if finished {
                        stages.len()
                    } else {
                        stages.len().saturating_sub(1)
                    };
                    for (stage, done, total) in stages.iter().take(over_now).skip(printed) {
                        eprintln!("{}", ketluan::progress::line(*stage, *done, *total));
                    }
                    printed = printed.max(over_now);
                }
                if finished {
                    if let Some(bar) = bar {
                        bar.finish_and_clear();
                    }
                    return;
                }
                std::thread::park_timeout(Duration::from_millis(100));
            }
        });
        let result = work();
        over.store(true, Ordering::Release);
        shower.thread().unpark();
        result
    })
}

/// Which command's summary [`report`] prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Built,
    Checked,
}

fn report(result: Result<Summary, BuildError>, verb: Verb) -> ExitCode {
    match result {
        Ok(summary) => {
            print_all(&summary.warnings);
            // The full worklist belongs to `check`; `build` only says it exists.
            if verb == Verb::Checked {
                print!("{}", summary.references);
            } else if !summary.references.is_empty() {
                println!("{}", summary.references.summary());
            }
            let (word, into) = match verb {
                Verb::Built => ("built", format!(" → {}", summary.output.display())),
                Verb::Checked => ("checked", String::new()),
            };
            println!(
                "{word} {} documents into {} files in {:.2?}{into}",
                summary.documents, summary.files, summary.elapsed,
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(diagnostics)) => {
            print_all(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let files: std::collections::BTreeSet<_> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| &d.path)
                .collect();
            eprintln!(
                "ketluan: {errors} error(s) in {} file(s); nothing was written, the previous site is unchanged",
                files.len()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("lỗi (error): {e}\nnothing was changed in the output folder");
            ExitCode::from(1)
        }
    }
}

fn print_results(results: &ketluan_search::Results, json: bool) {
    if json {
        /// A hit as `--json` prints it; the score as the f32 it is (the
        /// browser prints the same digits).
        #[derive(serde::Serialize)]
        struct JsonHit<'a> {
            title: &'a str,
            number: Option<&'a str>,
            date: &'a str,
            url: &'a str,
            score: f32,
            snippet: &'a str,
        }
        let hits: Vec<JsonHit> = results
            .hits
            .iter()
            .map(|h| JsonHit {
                title: &h.title,
                number: h.number.as_deref(),
                date: &h.date,
                url: &h.url,
                score: h.score,
                snippet: &h.snippet,
            })
            .collect();
        #[derive(serde::Serialize)]
        struct Json<'a> {
            total: usize,
            hits: Vec<JsonHit<'a>>,
        }
        let out = Json {
            total: results.total,
            hits,
        };
        println!("{}", serde_json::to_string(&out).unwrap_or_default());
        return;
    }
    if let Some(accented) = &results.accented {
        println!("Có phải bạn muốn tìm: {accented}?");
    }
    println!("{} kết quả", results.total);
    for h in &results.hits {
        println!(
            "\n{}  ({}{})\n  {}\n  {}",
            h.title,
            h.number
                .as_deref()
                .map(|n| format!("{n}, "))
                .unwrap_or_default(),
            h.date,
            h.url,
            h.snippet
        );
    }
    if let Some(s) = &results.suggestion {
        println!("\nThử: {s}");
    }
}

/// `--limit`: a whole number of at least 1.
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 (the total is printed with any limit)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
