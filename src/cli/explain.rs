//! `kval explain`: field documentation, as `kubectl explain` prints it.

use std::process::ExitCode;

use crate::explain::{self, ExplainError, Explained, Location, Request};
use crate::schema::{Catalog, KubeVersion};

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// TYPE[.FIELD...], e.g. `ds.spec` or `deployments.apps.spec.template`; or FILE:LINE of a
    /// manifest, e.g. `job.yaml:31`, to explain the field written on that line
    // A list, so that kubectl's own messages for zero or several arguments can be given.
    pub args: Vec<String>,

    /// Use this API version (GROUP/VERSION) of the resource
    #[arg(long, value_name = "GROUP/VERSION", default_value = "", hide_default_value = true)]
    pub api_version: String,

    /// Print the names of all fields, recursively, instead of the fields with their descriptions
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_value = "false",
        default_missing_value = "true",
        hide_default_value = true,
        value_parser = parse_go_bool,
        value_name = "BOOL"
    )]
    pub recursive: bool,

    /// Output format: plaintext, or plaintext-openapiv2 (kubectl's legacy format)
    #[arg(short, long, default_value = "plaintext", value_name = "FORMAT")]
    pub output: String,

    /// Kubernetes version whose schemas to explain, e.g. 1.30 [default: newest embedded]
    #[arg(long, short = 'k', value_name = "VERSION")]
    pub kubernetes_version: Option<String>,

    /// After the explanation, name the kval rules that check the field (not in kubectl)
    #[arg(long)]
    pub rules: bool,

    /// CustomResourceDefinitions (a file or a directory, repeatable) whose custom resources to
    /// explain too, as an API server serving them would (not in kubectl)
    #[arg(long, value_name = "PATH")]
    pub crd: Vec<String>,
}

/// Boolean flag values as kubectl's flag library (Go's `strconv.ParseBool`) accepts them.
fn parse_go_bool(text: &str) -> Result<bool, String> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!("invalid boolean value `{text}`")),
    }
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let version = match args.kubernetes_version.as_deref().map(KubeVersion::parse) {
        None => KubeVersion::newest(),
        Some(Ok(version)) => version,
        Some(Err(message)) => return super::usage_error(&message),
    };
    let catalog = Catalog::get(version);
    let custom = match explain::Custom::load(&args.crd, catalog) {
        Ok(custom) => custom,
        Err(message) => return super::usage_error(&message),
    };
    let explained = match args.args.as_slice() {
        [] => Explained::failed(ExplainError::MissingArgument),
        [argument] => {
            let request = Request {
                argument,
                api_version: &args.api_version,
                recursive: args.recursive,
                output: &args.output,
                rules: args.rules,
                custom: Some(&custom),
            };
            match Location::parse(argument) {
                None => explain::explain(catalog, &request),
                Some(location) => match std::fs::read_to_string(location.path) {
                    Ok(text) => explain::explain_line(catalog, &text, location.line, &request),
                    Err(e) => return super::usage_error(&format!("cannot read {}: {e}", location.path)),
                },
            }
        }
        _ => Explained::failed(ExplainError::TooManyArguments),
    };
    let code = report(&explained);
    if let Some(ExplainError::NoResourceType(name)) = &explained.error {
        // After kubectl's own line: what kval knows that kubectl's message does not say.
        let names = catalog.resources.iter().chain(&custom.resources).flat_map(|r| {
            [r.plural.as_str(), r.singular.as_str()].into_iter().chain(r.short_names.iter().map(String::as_str))
        });
        if let Some(hint) = crate::suggest::did_you_mean(name, names) {
            eprintln!("hint: {hint}");
        }
        eprintln!("hint: for a custom resource, pass its CustomResourceDefinition with `--crd PATH`");
    }
    code
}

/// Prints as kubectl does: warnings and the error on stderr, the text on stdout;
/// exit status 1 on error.
fn report(explained: &Explained) -> ExitCode {
    for warning in &explained.warnings {
        eprintln!("Warning: {warning}");
    }
    if let Err(e) = super::print_stdout(&explained.text) {
        eprintln!("error: cannot write the output: {e}");
        return super::exit::code(super::exit::ERROR);
    }
    match &explained.error {
        None => super::exit::code(super::exit::CLEAN),
        Some(error) => {
            eprintln!("{error}");
            super::exit::code(1)
        }
    }
}
