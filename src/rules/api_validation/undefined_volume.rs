use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `volumeMounts` and `volumeDevices` entry of a container names a
    /// volume of the Pod (or, in a StatefulSet, one of its `volumeClaimTemplates`).
    ///
    /// ## Why it matters
    /// The API server rejects the Pod with `spec.containers[0].volumeMounts[0].name: Not
    /// found: "data"`. For a StatefulSet the object is accepted but its Pods are not.
    ///
    /// ## API server
    /// Rejected on create: `validateVolumeMounts` (and `validateVolumeDevices`) in
    /// `pkg/apis/core/validation/validation.go`: `spec.containers[0].volumeMounts[0].name:
    /// Not found: "data"`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     volumeMounts:
    ///     - name: confg
    ///       mountPath: /etc/nginx/conf.d
    ///   volumes:
    ///   - name: config
    ///     configMap:
    ///       name: web-config
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     volumeMounts:
    ///     - name: config
    ///       mountPath: /etc/nginx/conf.d
    ///   volumes:
    ///   - name: config
    ///     configMap:
    ///       name: web-config
    /// ```
    pub static UNDEFINED_VOLUME = {
        id: "undefined-volume",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a volume mount names no volume of the Pod",
        fields: ["VolumeMount.name", "VolumeDevice.name", "PodSpec.volumes"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let mut volumes: Vec<&str> = volume_names(pod.spec.get("volumes"));
    if pod.kind == "StatefulSet" {
        let claims = doc.root.at(&["spec", "volumeClaimTemplates"]).map(Node::items).unwrap_or_default();
        volumes.extend(claims.iter().filter_map(|c| c.at(&["metadata", "name"])?.as_str()));
    }
    for c in pod.all_containers() {
        for list in ["volumeMounts", "volumeDevices"] {
            for (i, mount) in c.get(list).map(Node::items).unwrap_or_default().iter().enumerate() {
                let Some(name) = mount.get("name") else { continue };
                let Some(text) = name.as_str() else { continue };
                if volumes.contains(&text) {
                    continue;
                }
                let mut f = cx
                    .finding(
                        &UNDEFINED_VOLUME,
                        name.span,
                        format!("`{}` not found: {text:?}", pod.container_path(&c, &format!("{list}[{i}].name"))),
                    )
                    .label("no volume has this name")
                    .pointer(pod.container_pointer(&c, &format!("{list}/{i}/name")));
                f.help = Some(
                    crate::suggest::did_you_mean(text, volumes.iter().copied())
                        .unwrap_or_else(|| format!("add a volume named `{text}` to `{}.volumes`", pod.path())),
                );
                cx.report(f);
            }
        }
    }
}

/// The names of a list of volumes.
pub fn volume_names(list: Option<&Node>) -> Vec<&str> {
    list.map(Node::items).unwrap_or_default().iter().filter_map(|v| v.get("name")?.as_str()).collect()
}
