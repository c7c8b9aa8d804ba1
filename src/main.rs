//! The `ketluan` command: parses arguments and calls the library.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{FromArgMatches, Parser, Subcommand};

mod help;

// A build allocates and frees millions of small strings on every core;
// mimalloc does that with less CPU than glibc's allocator, whose cost grew
// faster than the archive (measured in bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ketluan::diagnostic::Diagnostic;
use ketluan::messages::Lang;
use ketluan::messages::cli::Line;
use ketluan::{BuildError, BuildOptions, Summary};

#[derive(Parser)]
#[command(name = "ketluan", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Subcommand)]
enum Command {
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        progress: bool,
    },
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long)]
        drafts: bool,
        #[arg(long)]
        progress: bool,
    },
    Search {
        query: String,
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, default_value_t = 10, value_parser = positive)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        year: Option<u16>,
        #[arg(long)]
        quarter: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        term: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
        bind: IpAddr,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
    },
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    New {
        title: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = Lang::choose(lang_flag(&args), |name| std::env::var(name).ok());
    ketluan::messages::set(lang);
    let cli = match help::command(lang).try_get_matches_from(&args) {
        Ok(matches) => Cli::from_arg_matches(&matches).map_err(|e| e.exit()),
        Err(e) => return help::usage_error(lang, &e),
    };
    let Ok(cli) = cli;
    match cli.command {
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
                exact: true,
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
                    eprintln!("{}", Line::Error(e.to_string()));
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
                    eprintln!("{}", Line::Error(e.to_string()));
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
                        eprintln!("{}", ketluan::messages::import::Refused(refused));
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("{}", Line::Error(e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => match ketluan::scaffold::init(&dir) {
            Ok(created) => {
                for path in created {
                    println!("{}", Line::Created(path));
                }
                println!("{}", Line::NextSteps(dir));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", Line::Error(e.to_string()));
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
                    println!("{}", Line::Created(path));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}", Line::Error(e.to_string()));
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
        .map_err(|_| Line::NotAnAddress(text.to_string()).to_string())
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
                if let Some(report) = summary.references.whole() {
                    print!("{report}");
                }
            } else if !summary.references.is_empty() {
                println!("{}", summary.references.summary());
            }
            let line = match verb {
                Verb::Built => Line::Built {
                    documents: summary.documents,
                    files: summary.files,
                    elapsed: summary.elapsed,
                    output: summary.output,
                },
                Verb::Checked => Line::Checked {
                    documents: summary.documents,
                    files: summary.files,
                    elapsed: summary.elapsed,
                },
            };
            println!("{line}");
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
            let files = files.len();
            eprintln!("{}", Line::Invalid { errors, files });
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{}\n{}", Line::Error(e.to_string()), Line::OutputUnchanged);
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
        println!("{}", Line::DidYouMean(accented.clone()));
    }
    println!("{}", Line::Results(results.total));
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
        println!("\n{}", Line::Try(s.clone()));
    }
}

/// `--lang`: `vi` or `en`.
fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(help::lang_choices)
}

/// `--lang X` or `--lang=X` anywhere on the command line, read before clap
/// parses it: the help clap prints is already in that language.
fn lang_flag(args: &[std::ffi::OsString]) -> Option<Lang> {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
            Some(rest) => rest.strip_prefix('=').and_then(Lang::parse),
            None => None,
        })
}

/// `--limit`: a whole number of at least 1.
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err(Line::LimitZero.to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(Line::NotAWholeNumber(text.to_string()).to_string()),
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
