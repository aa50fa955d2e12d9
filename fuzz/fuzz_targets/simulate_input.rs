//! TODO(lead): not built yet. `kval::simulate` (issue 5) is not on this branch; once
//! it is merged, add `load::load_source` below (or the equivalent) and uncomment this
//! target's `[[bin]]` in fuzz/Cargo.toml.
//!
//! The simulation's input: any manifest text, read and checked as `kval simulate`
//! reads it, then simulated with the default options and rendered. Nothing may panic
//! and the simulation must end (the fuzzer's timeout catches a hang).
//!
//! What the simulate branch needs to expose: the body of its `load_input` for a
//! source already in memory, e.g.
//! `pub fn load_source(source: &Arc<SourceFile>, checker: &Checker, limits: &Limits) -> Loaded`,
//! which `load_input` then calls after `read_source`.
#![no_main]

use kval::check::Checker;
use kval::limits::Limits;
use kval::rules::RuleSet;
use kval::schema::{Catalog, KubeVersion};
use kval::simulate::{self, Options, load};
use kval::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceFile::new("fuzz.yaml", text.to_string(), 0);
    let rules = RuleSet::default();
    let limits = Limits::default();
    let checker = Checker::new(Catalog::get(KubeVersion::newest()), &rules, &limits, true);
    let loaded = load::load_source(&source, &checker, &limits);
    let simulation = simulate::simulate(&loaded.objects, &Options::default());
    for format in simulate::output::Format::ALL {
        let _ = format.render(&simulation);
    }
});
