//! The simulation's input: any manifest text, read and checked as `kval simulate`
//! reads it, then simulated with the default options and rendered in every format.
//! Nothing may panic, and the simulation must end (`-timeout` catches a hang).
#![no_main]

use kval::check::Checker;
use kval::limits::Limits;
use kval::rules::RuleSet;
use kval::schema::{Catalog, KubeVersion};
use kval::simulate::output::{self, Format, Show};
use kval::simulate::{Options, load, simulate};
use kval::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceFile::new("fuzz.yaml", text.to_string(), 0);
    let rules = RuleSet::default();
    let limits = Limits::default();
    // As `kval simulate` checks its input: custom resources skipped quietly.
    let checker = Checker::new(Catalog::get(KubeVersion::newest()), &rules, &limits, true);
    let loaded = load::load_source(&source, &checker);
    let mut simulation = simulate(&loaded.objects, &Options::default());
    simulation.excluded = loaded.excluded;
    for format in [Format::Human, Format::Json, Format::Yaml] {
        let _ = output::render(&simulation, format, Show { timeline: true, rollout: true });
    }
});
