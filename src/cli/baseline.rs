//! `--write-baseline`, `--baseline` and `--statistics`: adopting kval on an
//! existing repository.

use std::path::{Path, PathBuf};

use crate::baseline;
use crate::config::Config;
use crate::finding::Applicability;
use crate::lint::LintResult;

/// Baseline (see README, "Baseline").
#[derive(clap::Args, Debug, Default)]
#[command(next_help_heading = "Baseline")]
pub struct BaselineArgs {
    /// Record today's findings in FILE and exit 0: `--baseline FILE` then reports only new ones
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Leave out the findings recorded in FILE [default: `baseline` of the config]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Print the number of findings per rule instead of the findings
    #[arg(long)]
    pub statistics: bool,
}

/// What the baseline did, for the notes.
pub enum Baselined {
    None,
    /// `--write-baseline`: findings written.
    Written(usize, PathBuf),
    Applied(baseline::Applied, PathBuf),
}

/// Writes the baseline, or applies the one given (on the command line or in the
/// configuration); baselined findings are kept, marked, with `keep`.
pub fn apply(args: &BaselineArgs, config: &Config, result: &mut LintResult, keep: bool) -> Result<Baselined, String> {
    if let Some(path) = &args.write_baseline {
        return Ok(Baselined::Written(baseline::write(path, &result.findings)?, path.clone()));
    }
    let Some(path) = args.baseline.clone().or_else(|| config.baseline.clone()) else { return Ok(Baselined::None) };
    let entries = baseline::read(&path)?;
    let applied = baseline::apply(&mut result.findings, &entries, keep);
    result.baselined = Some(applied.baselined);
    Ok(Baselined::Applied(applied, path))
}

impl Baselined {
    /// The notes for standard error.
    pub fn notes(&self) -> Vec<String> {
        let plural = crate::text::plural;
        match self {
            Baselined::None => Vec::new(),
            Baselined::Written(n, path) => {
                vec![format!("wrote {} to the baseline `{}`", plural(*n, "finding"), show(path))]
            }
            Baselined::Applied(applied, path) => {
                let mut notes = Vec::new();
                if applied.baselined > 0 {
                    notes.push(format!(
                        "{} in the baseline `{}` {}",
                        plural(applied.baselined, "finding"),
                        show(path),
                        if applied.shown { "shown as suppressed" } else { "not shown" }
                    ));
                }
                let stale = applied.stale.len();
                if stale > 0 {
                    let (entries, verb) = if stale == 1 { ("1 entry", "matches") } else { ("entries", "match") };
                    let entries = if stale == 1 { entries.to_string() } else { format!("{stale} {entries}") };
                    let mut note = format!(
                        "{entries} of the baseline no longer {verb} (fixed?): write it again with `--write-baseline {}`",
                        show(path)
                    );
                    for entry in applied.stale.iter().take(10) {
                        let object =
                            if entry.object.is_empty() { String::new() } else { format!(" ({})", entry.object) };
                        note += &format!("\n  {} in {}{object} {}", entry.rule, entry.file, entry.pointer);
                    }
                    if stale > 10 {
                        note += &format!("\n  and {} more", stale - 10);
                    }
                    notes.push(note);
                }
                notes
            }
        }
    }
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// `--statistics`: findings per rule, most first, with whether `--fix` can fix them
/// (`*`) or `--unsafe-fixes` (`?`).
pub fn statistics(result: &LintResult) -> String {
    let mut counts: Vec<(&'static str, usize, usize, usize)> = Vec::new();
    for f in result.findings.iter().filter(|f| f.suppressed.is_none()) {
        let i = match counts.iter().position(|c| c.0 == f.rule) {
            Some(i) => i,
            None => {
                counts.push((f.rule, 0, 0, 0));
                counts.len() - 1
            }
        };
        if let Some(c) = counts.get_mut(i) {
            c.1 += 1;
            match f.fix.as_ref().map(|x| x.applicability) {
                Some(Applicability::Safe) => c.2 += 1,
                Some(Applicability::Unsafe) => c.3 += 1,
                None => {}
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = counts.iter().map(|c| c.0.len()).max().unwrap_or(4).max(4);
    let mut out = format!("{:>6}  {:width$}  {:>7}  {:>7}  SUMMARY\n", "COUNT", "RULE", "FIX", "UNSAFE");
    for (rule, count, safe, unsafe_) in counts {
        let summary = crate::rules::find(rule).map_or("", |r| r.summary);
        out += &format!("{count:>6}  {rule:width$}  {safe:>7}  {unsafe_:>7}  {summary}\n");
    }
    out
}
