//! Where a document keeps its Pod template, and its containers: what most rules
//! look at.

use crate::document::Document;
use crate::yaml::Node;

/// The Pod template of a workload (or the spec of a bare Pod).
pub struct PodTemplate<'a> {
    pub kind: &'a str,
    /// The `PodTemplateSpec` (`metadata` and `spec`); the Pod itself for a bare Pod.
    pub template: &'a Node,
    /// The `PodSpec`.
    pub spec: &'a Node,
    /// JSON pointer of the document within its YAML document (`/items/3` in a list).
    prefix: &'a str,
    /// Keys from the object's root to the template.
    keys: &'static [&'static str],
}

/// Where each kind keeps its Pod template, as keys from the object's root.
fn template_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &[],
        "PodTemplate" => &["template"],
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "ReplicationController" | "Job" => {
            &["spec", "template"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        // Workloads of popular operators, whose Pod template is where a Deployment's is:
        // OpenShift's DeploymentConfig, Argo Rollouts' Rollout.
        "DeploymentConfig" | "Rollout" => &["spec", "template"],
        _ => return None,
    })
}

impl<'a> PodTemplate<'a> {
    pub fn of(doc: &'a Document) -> Option<PodTemplate<'a>> {
        let kind = doc.kind()?;
        let path = template_path(kind)?;
        let template = doc.root.at(path)?;
        let spec = template.get("spec").filter(|s| s.is_map())?;
        Some(PodTemplate { kind, template, spec, prefix: &doc.pointer_prefix, keys: path })
    }

    /// Dotted path of the `PodTemplateSpec` (`spec.template`; empty for a Pod).
    pub fn template_path(&self) -> String {
        self.keys.join(".")
    }

    /// Dotted path of the `PodSpec` for messages (`spec.template.spec`).
    pub fn path(&self) -> String {
        self.keys.iter().chain(&["spec"]).copied().collect::<Vec<_>>().join(".")
    }

    /// The template's labels.
    pub fn labels(&self) -> Option<&'a Node> {
        self.template.at(&["metadata", "labels"])
    }

    /// Whether the Pods run to completion (Jobs, CronJobs, and bare Pods that do not
    /// restart), so that probes, replicas and anti-affinity do not apply.
    pub fn runs_to_completion(&self) -> bool {
        match self.kind {
            "Job" | "CronJob" => true,
            "Pod" => self.spec.get("restartPolicy").and_then(Node::as_str).is_some_and(|p| p != "Always"),
            _ => false,
        }
    }

    /// Whether the object is an operator's workload (DeploymentConfig, Rollout), whose
    /// kind kval may have no schema for.
    pub fn is_custom_workload(&self) -> bool {
        matches!(self.kind, "DeploymentConfig" | "Rollout")
    }

    /// Whether the object is a controller that keeps Pods running.
    pub fn is_long_running(&self) -> bool {
        matches!(
            self.kind,
            "Deployment"
                | "ReplicaSet"
                | "StatefulSet"
                | "DaemonSet"
                | "ReplicationController"
                | "DeploymentConfig"
                | "Rollout"
        )
    }

    /// The regular containers.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        self.list("containers")
    }

    /// Regular and init containers: what runs with the Pod's privileges.
    pub fn all_containers(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        self.list("initContainers").chain(self.list("containers"))
    }

    /// Init, regular and ephemeral containers, in the order the Pod Security admission
    /// visits them.
    pub fn every_container(&self) -> impl Iterator<Item = Container<'a>> + use<'a> {
        self.all_containers().chain(self.list("ephemeralContainers"))
    }

    fn list(&self, list: &'static str) -> impl Iterator<Item = Container<'a>> + use<'a> {
        let items = self.spec.get(list).map(Node::items).unwrap_or_default();
        items.iter().enumerate().filter(|(_, n)| n.is_map()).map(move |(index, node)| Container { node, list, index })
    }

    /// The pointer of a field below the `PodSpec` (given `/containers/0/image`).
    pub fn pointer(&self, rest: &str) -> String {
        // Built in place rather than with `format!`: the pod rules ask for many.
        let mut pointer = String::with_capacity(self.prefix.len() + 32 + rest.len());
        pointer.push_str(self.prefix);
        for key in self.keys {
            pointer.push('/');
            pointer.push_str(key);
        }
        pointer.push_str("/spec");
        pointer.push_str(rest);
        pointer
    }

    /// The dotted path of a field of a container (`spec.containers[0].image`).
    pub fn container_path(&self, c: &Container<'_>, rest: &str) -> String {
        let sep = if rest.is_empty() { "" } else { "." };
        format!("{}.{}[{}]{sep}{rest}", self.path(), c.list, c.index)
    }

    /// `field` of every port of the regular and init containers, with its container
    /// and its pointer: what the port rules look at.
    pub fn port_fields(&self, field: &'a str) -> impl Iterator<Item = (Container<'a>, &'a Node, String)> + use<'a, '_> {
        self.all_containers().flat_map(move |c| {
            let ports = c.get("ports").map(Node::items).unwrap_or_default();
            let found: Vec<(usize, &'a Node)> =
                ports.iter().enumerate().filter_map(|(i, p)| Some((i, p.get(field)?))).collect();
            found.into_iter().map(move |(i, node)| {
                let pointer = self.container_pointer(&c, &format!("ports/{i}/{field}"));
                (Container { node: c.node, list: c.list, index: c.index }, node, pointer)
            })
        })
    }

    /// The pointer of a field of a container (`image`, or empty for the container).
    pub fn container_pointer(&self, c: &Container<'_>, rest: &str) -> String {
        let sep = if rest.is_empty() { "" } else { "/" };
        self.pointer(&format!("/{}/{}{sep}{rest}", c.list, c.index))
    }
}

pub struct Container<'a> {
    pub node: &'a Node,
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub list: &'static str,
    pub index: usize,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.get("name").and_then(Node::as_str).unwrap_or("")
    }

    /// The span that stands for the container: its `name` value, else its first key.
    pub fn span(&self) -> crate::source::Span {
        self.node.get("name").map_or_else(|| crate::document::head(self.node), |n| n.span)
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// A field of the container's `securityContext`.
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        self.node.at(&["securityContext", key])
    }

    pub fn is_init(&self) -> bool {
        self.list == "initContainers"
    }

    /// `container `web`` or `init container `setup`` for messages.
    pub fn describe(&self) -> String {
        let what = if self.is_init() { "init container" } else { "container" };
        match self.name() {
            "" => format!("{what} `{}[{}]`", self.list, self.index),
            name => format!("{what} `{name}`"),
        }
    }
}
