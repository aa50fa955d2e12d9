//! What a simulation shows: per workload a summary, the Pods in the shape of
//! `kubectl get pods -o wide`, claims, DNS names and the timeline, as human text,
//! JSON or YAML (the same data).

mod human;
mod json;
mod yaml;

use serde_json::Value as Json;

use super::Simulation;

/// The summary of one workload at the moment shown.
#[derive(Clone, Debug)]
pub struct Report {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub lines: Vec<String>,
    /// Kind-specific data for JSON and YAML.
    pub detail: Json,
    /// A Deployment's rollout steps (printed with `--rollout`).
    pub rollout: Option<Table>,
}

impl Report {
    pub fn new(kind: &'static str, namespace: &str, name: &str, lines: Vec<String>, detail: Json) -> Report {
        Report { kind, namespace: namespace.into(), name: name.into(), lines, detail, rollout: None }
    }
}

/// A table in kubectl's shape: a header, columns padded to their widest cell and
/// separated by three spaces.
#[derive(Clone, Debug)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self, indent: &str) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = indent.to_string();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 < row.len() {
                    let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count());
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad + 3));
                } else {
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Yaml,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["human", "json", "yaml"];

    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "yaml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// What to print besides the state.
#[derive(Clone, Copy, Debug, Default)]
pub struct Show {
    pub timeline: bool,
    pub rollout: bool,
}

/// An event's TYPE: `Normal` or `Warning` as the cluster gives it, `kval` for the
/// simulation's own notes, which no cluster component emits.
fn event_type(e: &super::world::Event) -> &'static str {
    match (e.kval, e.warning) {
        (true, _) => "kval",
        (false, true) => "Warning",
        (false, false) => "Normal",
    }
}

pub fn render(sim: &Simulation, format: Format, show: Show) -> String {
    match format {
        Format::Human => human::render(sim, show),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&json::build(sim)).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Yaml => yaml::render(&json::build(sim)),
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn tables_align_like_kubectl() {
        let t = Table::new(&["NAME", "READY"], vec![vec!["stateful-nginx-0".into(), "1/1".into()]]);
        assert_eq!(t.render(""), "NAME               READY\nstateful-nginx-0   1/1\n");
    }
}
