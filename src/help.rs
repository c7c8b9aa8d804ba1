//! The command line's help and usage errors in the chosen language: clap's
//! derive gives the structure, the catalogue (`messages/cli.rs`) the words.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};
use ketluan::messages::cli::{Heading, Usage, heading, help, value_name};
use ketluan::messages::{Lang, Localized};

use crate::Cli;

/// The whole command line, every text in `lang`.
pub(crate) fn command(lang: Lang) -> Command {
    let mut top = localize(Cli::command(), "", lang)
        .subcommand_help_heading(heading(lang, Heading::Commands))
        .subcommand_value_name(heading(lang, Heading::Command))
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading(heading(lang, Heading::Options))
                .help(help(lang, "", "version")),
        );
    let names: Vec<String> = top
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in &names {
        top = top.mut_subcommand(name, |sub| localize(sub, name, lang));
    }
    let usage = |c: &Command, bin: &str| {
        let positionals: Vec<String> = c
            .get_positionals()
            .map(|a| {
                let name = a
                    .get_value_names()
                    .and_then(|n| n.first())
                    .map_or_else(|| a.get_id().to_string(), ToString::to_string);
                if a.is_required_set() {
                    format!("<{name}>")
                } else {
                    format!("[{name}]")
                }
            })
            .collect();
        let mut line = format!("{bin} {}", heading(lang, Heading::OptionsWord));
        for p in positionals {
            line.push(' ');
            line.push_str(&p);
        }
        line
    };
    for name in &names {
        top = top.mut_subcommand(name, |sub| {
            let line = usage(&sub, &format!("ketluan {name}"));
            sub.override_usage(line)
        });
    }
    let line = format!(
        "ketluan {} <{}>",
        heading(lang, Heading::OptionsWord),
        heading(lang, Heading::Command)
    );
    top.override_usage(line)
}

/// One command's texts: its description, each argument's help and value
/// name, the headings, and a help flag of its own (clap's says "Print help").
fn localize(command: Command, name: &str, lang: Lang) -> Command {
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        heading(lang, Heading::Usage)
    );
    let mut command = command
        .about(help(lang, name, ""))
        .help_template(template)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help(help(lang, name, "help")),
        );
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(&id, |a| {
            let section = if a.is_positional() {
                Heading::Arguments
            } else {
                Heading::Options
            };
            let a = a
                .help(help(lang, name, &id))
                .help_heading(heading(lang, section));
            if !a.get_action().takes_values() {
                return a;
            }
            // The defaults are in the help text, in words.
            let a = a.hide_default_value(true).hide_possible_values(true);
            match value_name(lang, &id) {
                Some(v) => a.value_name(v),
                None => a,
            }
        });
    }
    command
}

/// Prints a mistake on the command line in `lang`, with where to read
/// more; help and version requests print as asked. Exit code 2 as clap's.
pub(crate) fn usage_error(lang: Lang, e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = e.print();
        let code = if e.use_stderr() { 2 } else { 0 };
        return ExitCode::from(code);
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => s.first().cloned(),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg);
    let usage = match e.kind() {
        ErrorKind::UnknownArgument => Usage::UnknownArgument {
            arg: arg.unwrap_or_default(),
            suggestion: text(ContextKind::SuggestedArg),
        },
        ErrorKind::InvalidSubcommand => Usage::UnknownCommand {
            name: text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            suggestion: text(ContextKind::SuggestedSubcommand),
        },
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => Usage::Missing {
            what: arg.unwrap_or_default(),
        },
        ErrorKind::InvalidValue if text(ContextKind::InvalidValue).is_none_or(|v| v.is_empty()) => {
            Usage::NoValue {
                arg: arg.unwrap_or_default(),
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => Usage::BadValue {
            value: text(ContextKind::InvalidValue).unwrap_or_default(),
            arg: arg.unwrap_or_default(),
            reason: std::error::Error::source(e).map(ToString::to_string),
        },
        _ => Usage::Other { arg },
    };
    eprintln!(
        "{}\n\n{} `ketluan --help`",
        usage.text(lang),
        heading(lang, Heading::More)
    );
    ExitCode::from(2)
}

/// Why a `--lang` value is refused: the two it takes.
pub(crate) fn lang_choices() -> String {
    "vi, en".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let command = Cli::command();
        let mut missing = Vec::new();
        let mut check = |name: &str, id: &str| {
            for lang in [Lang::Vi, Lang::En] {
                if help(lang, name, id).is_none() {
                    missing.push(format!("{name} {id} {lang:?}"));
                }
            }
        };
        check("", "");
        for sub in command.get_subcommands() {
            check(sub.get_name(), "");
            for arg in sub.get_arguments() {
                check(sub.get_name(), arg.get_id().as_str());
            }
        }
        assert!(missing.is_empty(), "no help for: {missing:?}");
    }
}
