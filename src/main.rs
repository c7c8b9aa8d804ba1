//! The `ketluan` command: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    },
    /// Check everything `build` would, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long)]
        drafts: bool,
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
        } => {
            let options = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts,
            };
            let spinner = spinner("Đang xây dựng trang…");
            let result = ketluan::build(&options);
            spinner.finish_and_clear();
            report(result, "built")
        }
        Command::Check { site, drafts } => {
            let options = BuildOptions {
                root: site.root,
                drafts,
                ..BuildOptions::default()
            };
            report(ketluan::check(&options), "checked")
        }
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

/// A spinner on a terminal only; nothing in logs or pipes.
fn spinner(message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner().with_message(message);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar
}

fn report(result: Result<Summary, BuildError>, verb: &str) -> ExitCode {
    match result {
        Ok(summary) => {
            print_all(&summary.warnings);
            // The full worklist belongs to `check`; `build` only says it exists.
            if verb == "checked" {
                print!("{}", summary.references);
            } else if !summary.references.is_empty() {
                println!("{}", summary.references.summary());
            }
            println!(
                "{verb} {} documents into {} files in {:.2?}{}",
                summary.documents,
                summary.files,
                summary.elapsed,
                if verb == "built" {
                    format!(" → {}", summary.output.display())
                } else {
                    String::new()
                }
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
        Err(e @ BuildError::Io { .. }) => {
            eprintln!("lỗi (error): {e}\nnothing was changed in the output folder");
            ExitCode::from(1)
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
