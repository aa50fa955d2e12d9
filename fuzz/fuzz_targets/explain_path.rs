//! TODO(lead): not built yet. `kval::explain` (issue 4) is not on this branch; once it
//! is merged, uncomment this target's `[[bin]]` in fuzz/Cargo.toml. Written against
//! the API in /work/main at the time of writing: `explain(&Catalog, &Request)` and
//! `explain_line(&Catalog, text, line, &Request)`.
//!
//! The explain argument parser (a port of client-go's JSONPath parser, then the
//! resource and field lookup) on any `TYPE[.FIELD...]` argument, in both output
//! formats, and the `FILE:LINE` form on any manifest text: nothing may panic.
#![no_main]

use kval::explain::{Request, explain, explain_line};
use kval::schema::{Catalog, KubeVersion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let catalog = Catalog::get(KubeVersion::newest());
    // The first line is the argument; the rest, if any, a manifest for `FILE:LINE`.
    let (argument, manifest) = text.split_once('\n').unwrap_or((text, ""));
    for output in ["plaintext", "plaintext-openapiv2"] {
        for recursive in [false, true] {
            let request = Request { argument, api_version: "", recursive, output };
            let _ = explain(catalog, &request);
            if !manifest.is_empty() {
                let line = argument.len() % (manifest.lines().count() + 2);
                let _ = explain_line(catalog, manifest, line, &request);
            }
        }
    }
});
