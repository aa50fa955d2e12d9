//! `kval rules`: the table of rules, or one rule's documentation.

use std::process::ExitCode;

use serde::Serialize;

use super::{exit, print_stdout, usage_error};
use crate::rules::{Check, Rule, all, find};

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Print the documentation of this rule
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,

    /// Read custom rules from this file instead of the nearest `.kval.yaml`
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// Output format
    #[arg(long, short = 'o', value_name = "FORMAT", default_value = "human", value_parser = ["human", "json"])]
    pub output: String,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    category: &'a str,
    severity: &'a str,
    enabled: bool,
    /// `builtin` (loader and schema checks), `document` or `run` (cross-document).
    check: &'static str,
    summary: &'a str,
    fields: &'a [&'a str],
    /// The kinds of fixes (`safe`, `unsafe`) its findings may carry.
    fixes: &'a [crate::finding::Applicability],
    documentation: String,
}

fn json(rule: &Rule) -> JsonRule<'_> {
    JsonRule {
        id: rule.id,
        category: rule.category.as_str(),
        severity: rule.severity.as_str(),
        enabled: rule.enabled,
        check: match rule.check {
            Check::Builtin => "builtin",
            Check::Document(_) => "document",
            Check::Run(_) => "run",
        },
        summary: rule.summary,
        fields: rule.fields,
        fixes: rule.fixes,
        documentation: rule.documentation(),
    }
}

/// The table of every rule, one line each.
fn table() -> String {
    let rules = all();
    let width = |f: &dyn Fn(&Rule) -> usize| rules.iter().map(|r| f(r)).max().unwrap_or(0);
    let (id_w, cat_w) = (width(&|r| r.id.len()).max(2), width(&|r| r.category.as_str().len()));
    let mut out =
        format!("{:id_w$}  {:cat_w$}  {:8}  {:7}  {:11}  SUMMARY\n", "ID", "CATEGORY", "SEVERITY", "DEFAULT", "FIX");
    for r in rules {
        let default = if r.enabled { "on" } else { "off" };
        out += &format!(
            "{:id_w$}  {:cat_w$}  {:8}  {default:7}  {:11}  {}\n",
            r.id,
            r.category.as_str(),
            r.severity.as_str(),
            fixes(r),
            r.summary
        );
    }
    out
}

/// The kinds of fixes a rule offers: `safe`, `unsafe`, `safe/unsafe` or nothing.
fn fixes(rule: &Rule) -> String {
    rule.fixes.iter().map(|a| a.as_str()).collect::<Vec<_>>().join("/")
}

/// One rule's documentation, with its metadata first.
fn page(rule: &Rule) -> String {
    let default = if rule.enabled { "on by default" } else { "off by default" };
    let fix = if rule.fixes.is_empty() { String::new() } else { format!(" · fix: {}", fixes(rule)) };
    format!(
        "# {}\n\n{} · {} · {default}{fix}\n\n{}\n\n{}",
        rule.id,
        rule.category.as_str(),
        rule.severity.as_str(),
        rule.summary,
        rule.documentation().trim_end()
    ) + "\n"
}

pub fn run(args: RulesArgs) -> ExitCode {
    // The custom rules of the configuration register themselves when it is read.
    let path = args.config.clone().or_else(|| std::env::current_dir().ok().and_then(|d| crate::config::find(&d)));
    if let Some(Err(e)) = path.map(|p| crate::config::Config::load(&p)) {
        return usage_error(&e);
    }
    let json_output = args.output == "json";
    let text = match &args.rule {
        None if json_output => {
            serde_json::to_string_pretty(&all().into_iter().map(json).collect::<Vec<_>>()).unwrap_or_default() + "\n"
        }
        None => table(),
        Some(id) => {
            let Some(rule) = find(id) else {
                let mut message = format!("unknown rule `{id}`");
                if let Some(close) = crate::suggest::closest(id, all().into_iter().map(|r| r.id)) {
                    message += &format!("; did you mean `{close}`?");
                }
                return usage_error(&(message + " (`kval rules` lists them)"));
            };
            if json_output { serde_json::to_string_pretty(&json(rule)).unwrap_or_default() + "\n" } else { page(rule) }
        }
    };
    match print_stdout(&text) {
        Ok(()) => exit::code(exit::CLEAN),
        Err(_) => exit::code(exit::ERROR),
    }
}
