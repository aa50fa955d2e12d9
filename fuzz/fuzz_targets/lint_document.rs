//! The whole lint of one file: decoding the bytes (BOMs, UTF-16, binary data), the
//! YAML loader, documents, kind resolution, schema validation, every enabled rule,
//! and every output format. Nothing may panic, and every finding's location must lie
//! inside its file.
#![no_main]

use kval::finding::Severity;
use kval::input::{self, Input};
use kval::lint::{LintOptions, lint_text};
use kval::report::{Format, ReportContext};
use kval::schema::KubeVersion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LintOptions::default();
    let source = match input::source(&Input::File("fuzz.yaml".into()), data.to_vec()) {
        Ok(source) => source,
        Err(_) => return,
    };
    let result = lint_text("fuzz.yaml", &source.text, &options);
    for f in &result.findings {
        assert_ne!(f.rule, "internal-error", "{}", f.message);
        let file = &f.location.source;
        assert!(file.text.get(f.location.span.range()).is_some(), "{}: {:?}", f.rule, f.location.span);
        let start = f.location.start();
        assert!(start.line <= file.line_count(), "{}: line {}", f.rule, start.line);
        assert!(start.col <= file.line_text(start.line).chars().count() + 1, "{}: {start:?}", f.rule);
        for label in &f.secondary {
            assert!(label.location.source.text.get(label.location.span.range()).is_some());
        }
    }
    for (_, format) in Format::ALL {
        let cx = ReportContext {
            result: &result,
            version: KubeVersion::newest(),
            color: false,
            fail_on: Severity::Error,
            max_findings: None,
        };
        let _ = format.render(&cx);
    }
});
