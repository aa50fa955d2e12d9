//! A bare Pod: created once, named by `metadata.name` or `generateName` (§1).

use serde_json::json;

use crate::simulate::names::Rng;
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::template::Template;
use crate::simulate::world::{Controller, CtrlId, PodInit, World};

pub struct BarePod {
    namespace: String,
    /// The name, or the `generateName` base.
    name: String,
    generated: bool,
    template: Template,
    created: Option<String>,
    /// The API server's refusal (`kubectl apply` fails with it).
    refused: Option<String>,
    rng: Rng,
}

impl BarePod {
    pub fn new(object: &Object, seed: u64) -> BarePod {
        BarePod {
            rng: Rng::new(seed, &format!("Pod/{}/{}", object.namespace, object.name)),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            generated: object.generated,
            // A Pod is its own template: its metadata and spec.
            template: Template::from_node(Some(&object.root)),
            created: None,
            refused: None,
        }
    }
}

impl Controller for BarePod {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        if self.created.is_some() {
            return;
        }
        let name = if self.generated {
            self.rng.generate_name(&self.name, |n| w.name_taken(&self.namespace, n))
        } else {
            self.name.clone()
        };
        if w.name_taken(&self.namespace, &name) {
            w.warnings.push(format!("Pod {}/{name} is given twice; the second one is left out", self.namespace));
            self.created = Some(String::new());
            return;
        }
        let mut init = PodInit {
            name: name.clone(),
            namespace: self.namespace.clone(),
            labels: self.template.labels.clone(),
            annotations: self.template.annotations.clone(),
            owner: None,
            group: 0,
            spec: self.template.spec.clone(),
            env: Vec::new(),
            fail_keys: Vec::new(),
        };
        if let Err(e) = w.admit(me, &mut init, &self.name) {
            w.warnings
                .push(format!("Pod {}/{name} is not created: Error from server (Forbidden): {e}", self.namespace));
            self.refused = Some(e);
        } else {
            w.create_pod(me, init);
        }
        self.created = Some(name);
    }

    fn report(&self, w: &World, me: CtrlId) -> Report {
        let name = self.created.clone().unwrap_or_else(|| self.name.clone());
        let line = match w.pods_of(me, 0).next() {
            Some((_, pod)) if !pod.exists() => "deleted".to_string(),
            Some((_, pod)) => {
                let node = pod.node.and_then(|n| w.cluster.nodes.get(n)).map(|n| format!(" on {}", n.name));
                let generated = if self.generated { format!(" (generateName `{}`)", self.name) } else { String::new() };
                format!("{}{}{generated}", pod.status(), node.unwrap_or_default())
            }
            None => match &self.refused {
                Some(e) => format!("not created: Error from server (Forbidden): {e}"),
                None => "not created".to_string(),
            },
        };
        Report::new(
            "Pod",
            &self.namespace,
            &name,
            vec![line],
            json!({ "generateName": self.generated.then(|| self.name.clone()) }),
        )
    }
}
