//! `kval lint --fix`, `--diff`, `--fix-only`: the lint run around the fixes.

use crate::fix::{self, FixedFile};
use crate::input::{self, Input, STDIN_NAME};
use crate::lint::{LintOptions, LintResult, lint, lint_text};

/// Fixing (see README, "Fixing").
#[derive(clap::Args, Debug, Default)]
#[command(next_help_heading = "Fixing")]
pub struct FixArgs {
    /// Apply the safe fixes to the files, then report what remains (`-` prints the fixed stream)
    #[arg(long)]
    pub fix: bool,

    /// Also apply the fixes that change behaviour (with --fix, --diff or --fix-only)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and change nothing (exit 1 when something would change)
    #[arg(long, conflicts_with_all = ["fix", "fix_only"])]
    pub diff: bool,

    /// Apply the fixes without reporting the findings that remain
    #[arg(long)]
    pub fix_only: bool,
}

impl FixArgs {
    fn fixing(&self) -> bool {
        self.fix || self.diff || self.fix_only
    }
}

/// What fixing did, for the report.
#[derive(Default)]
pub struct Fixed {
    /// Fixes applied (or, with `--diff`, that would be).
    pub applied: usize,
    pub files: usize,
    /// The unified diff (`--diff`).
    pub diff: Option<String>,
    /// The fixed standard input, printed instead of the report on standard output.
    pub stdout: Option<String>,
    /// Files that were not written, and why.
    pub warnings: Vec<String>,
}

/// Lints `paths`, then, when asked, fixes them and lints again: the result to
/// report is the one after fixing.
pub fn lint_fixing(paths: &[String], args: &FixArgs, options: &LintOptions) -> Result<(LintResult, Fixed), String> {
    if !args.fixing() {
        return Ok((lint(paths, options), Fixed::default()));
    }
    let stdin = paths.iter().any(|p| p == "-");
    if stdin && paths.len() > 1 {
        return Err("with `--fix` or `--diff`, standard input (`-`) must be the only input".into());
    }
    let stdin_text = if stdin {
        let source = input::read(&Input::Stdin, options.limits.max_file_bytes)
            .map_err(|_| "cannot read standard input as text".to_string())?;
        Some(source.text.clone())
    } else {
        None
    };
    let relint = |text: Option<&str>, options: &LintOptions| match text {
        Some(text) => lint_text(STDIN_NAME, text, options),
        None => lint(paths, options),
    };
    // The fixes edit the whole text of each file: its findings keep it.
    let whole = LintOptions { memory: crate::lint::Memory { excerpts: false, ..options.memory }, ..options.clone() };
    let first = relint(stdin_text.as_deref(), &whole);
    let files = fix::fix_all(&first.findings, options, args.unsafe_fixes);
    let mut fixed = Fixed { applied: files.iter().map(|f| f.applied).sum(), files: files.len(), ..Fixed::default() };
    if args.diff {
        fixed.diff = Some(fix::diff(&files));
        return Ok((first, fixed));
    }
    if let Some(text) = &stdin_text {
        let out = files.first().map_or_else(|| text.clone(), |f: &FixedFile| f.fixed.clone());
        let after = if files.is_empty() { first } else { relint(Some(&out), options) };
        fixed.stdout = Some(out);
        return Ok((after, fixed));
    }
    fixed.applied = 0;
    fixed.files = 0;
    for (file, written) in files.iter().zip(fix::write_all(paths, &files, &options.walk)) {
        match written {
            Ok(()) => {
                fixed.files += 1;
                fixed.applied += file.applied;
            }
            Err(why) => fixed.warnings.push(format!("`{}` not fixed: {why}", file.name)),
        }
    }
    // The report shows what remains: the files as they are now.
    let after = if fixed.files == 0 { first } else { relint(None, options) };
    Ok((after, fixed))
}

impl Fixed {
    /// What was fixed, for standard error.
    pub fn summary(&self, args: &FixArgs) -> Option<String> {
        if !args.fixing() || args.diff {
            return None;
        }
        let plural = crate::text::plural;
        Some(if self.applied == 0 {
            "nothing to fix".to_string()
        } else {
            format!("fixed {} in {}", plural(self.applied, "finding"), plural(self.files.max(1), "file"))
        })
    }
}
