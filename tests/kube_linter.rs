//! Parity with kube-linter (`tests/kube-linter-parity.tsv`): each of its checks maps
//! to a kval rule or says why not, and where they are compared, kval reports on
//! kube-linter's own test files what kube-linter's end-to-end test expects
//! (stackrox/kube-linter `tests/checks/` and `e2etests/bats-tests.sh`, copied to
//! `../shared/upstream/kube-linter`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

struct Row<'a> {
    check: &'a str,
    file: &'a str,
    rule: &'a str,
    compare: &'a str,
    args: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    include_str!("kube-linter-parity.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("check\t") && !l.trim().is_empty())
        .map(|l| {
            let mut c = l.split('\t');
            let mut next = || c.next().unwrap_or("-");
            let (check, _, file, rule, compare, args) = (next(), next(), next(), next(), next(), next());
            Row { check, file, rule, compare, args }
        })
        .collect()
}

/// What each check's end-to-end test expects: its file, the number of reports and
/// the kinds of the objects its messages name.
fn expectations(bats: &str) -> BTreeMap<String, (String, usize, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for test in bats.split("\n@test \"").skip(1) {
        let field = |prefix: &str, end: char| {
            test.split_once(prefix).and_then(|(_, rest)| rest.split(end).next()).map(str::to_string)
        };
        let (Some(check), Some(file)) = (field("--include ", ' '), field("tmp=\"tests/checks/", '"')) else { continue };
        let count = field("[[ \"${count}\" == \"", '"').and_then(|c| c.parse().ok()).unwrap_or(0);
        let kinds = test
            .lines()
            .filter(|l| l.contains("[[ \"${message"))
            .filter_map(|l| l.split_once("\" == \"").or_else(|| l.split_once("\" =~ \"")))
            .filter_map(|(_, m)| m.split([':', ' ']).next().map(str::to_string))
            .collect();
        out.insert(check, (file, count, kinds));
    }
    out
}

#[test]
fn every_check_is_mapped() {
    let ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(
        &common::kval().args(["rules", "-o", "json"]).output().unwrap().stdout,
    )
    .unwrap()
    .as_array()
    .unwrap()
    .iter()
    .map(|r| r["id"].as_str().unwrap().to_string())
    .collect();
    for row in rows() {
        let custom = row.args.contains("--config");
        assert!(row.rule == "-" || custom || ids.iter().any(|i| i == row.rule), "{}: no rule {}", row.check, row.rule);
    }
    let Some(shared) = common::shared() else { return };
    let Ok(checks) = std::fs::read_to_string(shared.join("upstream/kube-linter/docs/generated/checks.md")) else {
        eprintln!("notice: ../shared/upstream/kube-linter is absent; skipping the comparison");
        return;
    };
    let listed: BTreeSet<&str> = checks.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let mapped: BTreeSet<&str> = rows().iter().map(|r| r.check).collect();
    assert_eq!(listed, mapped, "kube-linter's checks and the rows of tests/kube-linter-parity.tsv");
}

#[test]
fn kval_agrees_with_kube_linter_on_its_test_files() {
    let Some(shared) = common::shared() else { return };
    let root = shared.join("upstream/kube-linter");
    let Ok(bats) = std::fs::read_to_string(root.join("e2etests/bats-tests.sh")) else {
        eprintln!("notice: {} is absent; skipping this test", root.display());
        return;
    };
    let expected = expectations(&bats);
    let mut agree = 0;
    for row in rows().iter().filter(|r| r.compare != "-") {
        let (file, count, kinds) = &expected[row.check];
        assert_eq!(file, row.file, "{}", row.check);
        let mut cmd = common::kval();
        cmd.args(["lint", "-o", "json"]);
        if row.args != "-" {
            cmd.args(row.args.split(' '));
        } else {
            cmd.args(["--enable", row.rule]);
        }
        let out = cmd.arg(root.join("tests/checks").join(file)).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects: BTreeSet<(String, String, u64)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == row.rule)
            .map(|f| {
                let o = &f["object"];
                (
                    o["kind"].as_str().unwrap_or("").to_string(),
                    o["name"].to_string(),
                    f["document"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        let found: BTreeSet<String> = objects.iter().map(|(k, _, _)| k.clone()).collect();
        assert_eq!(&found, kinds, "{}: kinds of the objects reported", row.check);
        if row.compare == "objects" {
            assert_eq!(objects.len(), *count, "{}: objects reported: {objects:?}", row.check);
        }
        agree += 1;
    }
    eprintln!("{agree} kube-linter checks agree on kube-linter's test files");
}
