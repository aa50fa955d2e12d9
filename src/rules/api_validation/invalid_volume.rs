use crate::document::Document;
use crate::kube::{downward, field, names, paths};
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::{Entry, Node};

use super::at::At;
use super::invalid_env::field_ref_error;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Pod's volumes and its containers' mounts as the API server does
    /// beyond the schema: each volume has a DNS-1123 label name and at most one source
    /// (none makes it an `emptyDir`); the source's
    /// required fields (`secret.secretName`, `configMap.name`, `hostPath.path`,
    /// `persistentVolumeClaim.claimName`, an absolute `nfs.path`, ...); file modes
    /// between 0 and 0777; item paths relative, without `..`; downward API files with
    /// one of `fieldRef` and `resourceFieldRef` and a field volumes offer; projected
    /// sources with one type each and no path twice; a mount's `subPath` relative and
    /// without `..`, not beside `subPathExpr`; `Bidirectional` propagation only in
    /// privileged containers; `recursiveReadOnly` only on read-only mounts.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.volumes[0].configMap: Forbidden: may
    /// not specify more than 1 volume type`, or `spec.volumes[1].secret.defaultMode: Invalid value:
    /// 777: must be a number between 0 and 0777 (octal), both inclusive` for a mode
    /// written in decimal digits but meant as octal.
    ///
    /// ## API server
    /// Rejected on create: `ValidateVolumes`, `validateVolumeSource` (`may not specify
    /// more than 1 volume type`), `validateKeyToPath`, `validateDownwardAPIVolumeFile`,
    /// `validateProjectionSources`, `ValidateVolumeMounts`, `validateMountPropagation`
    /// and `validateMountRecursiveReadOnly` in `pkg/apis/core/validation/validation.go`.
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
    ///     image: registry.example.com/web:1.4.2
    ///     volumeMounts:
    ///     - name: cache
    ///       mountPath: /cache
    ///   volumes:
    ///   - name: cache
    ///     emptyDir: {}
    ///     hostPath:
    ///       path: /var/cache/web
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
    ///     image: registry.example.com/web:1.4.2
    ///     volumeMounts:
    ///     - name: cache
    ///       mountPath: /cache
    ///   volumes:
    ///   - name: cache
    ///     emptyDir: {}
    /// ```
    pub static INVALID_VOLUME = {
        id: "invalid-volume",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a volume has two sources or misses a required field, or a mount's path is not allowed",
        fields: [
            "PodSpec.volumes", "Volume.name", "KeyToPath.path", "KeyToPath.mode", "VolumeMount.subPath",
            "VolumeMount.mountPropagation", "VolumeMount.recursiveReadOnly",
        ],
        check: Document(check),
    };
}

/// The volume sources in the order `validateVolumeSource` visits them, with the name
/// its messages give each (`cephFS`, and the upstream typo `downwarAPI`).
const SOURCES: &[(&str, &str)] = &[
    ("emptyDir", "emptyDir"),
    ("hostPath", "hostPath"),
    ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("persistentVolumeClaim", "persistentVolumeClaim"),
    ("rbd", "rbd"),
    ("cinder", "cinder"),
    ("cephfs", "cephFS"),
    ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("configMap", "configMap"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("storageos", "storageos"),
    ("projected", "projected"),
    ("scaleIO", "scaleIO"),
    ("csi", "csi"),
    ("ephemeral", "ephemeral"),
    ("image", "image"),
];

const FILE_MODE: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const HOST_PATH_TYPES: &[&str] =
    &["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let mut image_volumes: Vec<&str> = Vec::new();
    for (i, volume) in pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate() {
        if !volume.is_map() {
            continue;
        }
        let at = At::new(pod.path(), pod.pointer("")).index("volumes", i);
        name(cx, &at, volume);
        let set = sources(cx, &at, volume);
        if let Some(source) = set.first() {
            if source.key.name == "image" {
                image_volumes.extend(volume.get("name").and_then(Node::as_str));
            }
            validate_source(cx, &at.child(&source.key.name), &source.key.name, source);
        }
    }
    mounts(cx, &pod, &image_volumes);
}

fn name(cx: &mut Context<'_>, at: &At, volume: &Node) {
    let Some(node) = volume.get("name") else { return };
    let Some(text) = node.as_str() else { return };
    let at = at.child("name");
    let message = match names::dns1123_label(text) {
        Ok(()) => return,
        Err(_) if text.is_empty() => field::required(&at.path, ""),
        Err(reason) => field::invalid(&at.path, &field::quote(text), &reason),
    };
    at.report(
        cx,
        &INVALID_VOLUME,
        node.span,
        message,
        "not a valid volume name",
        "use lowercase letters, digits and `-`",
    );
}

/// Reports a volume's second source and beyond; returns the sources set. A volume
/// with none (or only `emptyDir:` with no value) is fine: `SetDefaults_Volume`
/// makes it an `emptyDir`.
fn sources<'n>(cx: &mut Context<'_>, at: &At, volume: &'n Node) -> Vec<&'n Entry> {
    let set: Vec<&Entry> =
        SOURCES.iter().filter_map(|(key, _)| volume.entry(key).filter(|e| !e.value.is_null())).collect();
    for extra in set.iter().skip(1) {
        let shown = SOURCES.iter().find(|(key, _)| *key == extra.key.name).map_or("", |(_, shown)| *shown);
        let message = field::forbidden(&format!("{}.{shown}", at.path), "may not specify more than 1 volume type");
        at.child(&extra.key.name).report(
            cx,
            &INVALID_VOLUME,
            extra.key.span,
            message,
            "a second source",
            "use one volume per source",
        );
    }
    set
}

fn required_string(cx: &mut Context<'_>, at: &At, source: &Entry, key: &str, help: &str) {
    let node = source.value.get(key);
    if node.and_then(Node::as_str).is_none_or(str::is_empty) {
        let span = node.map_or(source.key.span, |n| n.span);
        let at = at.child(key);
        at.report(cx, &INVALID_VOLUME, span, field::required(&at.path, ""), &format!("no `{key}`"), help);
    }
}

fn validate_source(cx: &mut Context<'_>, at: &At, key: &str, source: &Entry) {
    let value = &source.value;
    match key {
        "hostPath" => {
            required_string(cx, at, source, "path", "give the path on the node");
            if let Some(node) = value.get("path")
                && let Some(path) = node.as_str()
                && let Err(reason) = paths::no_backsteps(path)
            {
                let at = at.child("path");
                let message = field::invalid(&at.path, &field::quote(path), reason);
                at.report(cx, &INVALID_VOLUME, node.span, message, "a `..` element", "give the path without `..`");
            }
            if let Some(node) = value.get("type")
                && let Some(ty) = node.as_str()
                && !HOST_PATH_TYPES.contains(&ty)
            {
                let at = at.child("type");
                let message = field::not_supported(&at.path, ty, HOST_PATH_TYPES);
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    node.span,
                    message,
                    "not a hostPath type",
                    "use one of the supported types",
                );
            }
        }
        "secret" | "configMap" => {
            let name = if key == "secret" { "secretName" } else { "name" };
            required_string(
                cx,
                at,
                source,
                name,
                &format!("name the {} to mount", if key == "secret" { "Secret" } else { "ConfigMap" }),
            );
            mode(cx, at, value, "defaultMode");
            items(cx, at, value, &mut Vec::new());
        }
        "persistentVolumeClaim" => required_string(cx, at, source, "claimName", "name the PersistentVolumeClaim"),
        "nfs" => {
            required_string(cx, at, source, "server", "name the NFS server");
            required_string(cx, at, source, "path", "give the exported path");
            if let Some(node) = value.get("path")
                && let Some(path) = node.as_str()
                && !path.starts_with('/')
            {
                let at = at.child("path");
                let message = field::invalid(&at.path, &field::quote(path), "must be an absolute path");
                at.report(cx, &INVALID_VOLUME, node.span, message, "not absolute", "give the exported path from `/`");
            }
        }
        "gitRepo" => {
            required_string(cx, at, source, "repository", "give the repository URL");
            relative(cx, at, value, "directory", paths::local_descending);
        }
        "downwardAPI" => {
            mode(cx, at, value, "defaultMode");
            for file in value.get("items").map(Node::items).unwrap_or_default() {
                downward_file(cx, at, file);
            }
        }
        "projected" => {
            mode(cx, at, value, "defaultMode");
            projected(cx, at, value);
        }
        "ephemeral" if value.get("volumeClaimTemplate").is_none_or(Node::is_null) => {
            let at = at.child("volumeClaimTemplate");
            let help = "add `volumeClaimTemplate:` with the claim's `spec`";
            at.report(cx, &INVALID_VOLUME, source.key.span, field::required(&at.path, ""), "no claim template", help);
        }
        _ => {}
    }
}

/// A file mode: 0 to 0777. YAML 1.1 reads `0644` as octal, so a mode written `644`
/// or `777` is decimal and usually too large.
fn mode(cx: &mut Context<'_>, at: &At, node: &Node, key: &str) {
    let Some(value) = node.get(key) else { return };
    let Some(n) = value.as_i64() else { return };
    if !(0..=0o777).contains(&n) {
        let at = at.child(key);
        let help = "write the mode in octal with a leading 0 (`0644`), or in decimal (`420`)";
        at.report(
            cx,
            &INVALID_VOLUME,
            value.span,
            field::invalid(&at.path, &n.to_string(), FILE_MODE),
            "not a file mode",
            help,
        );
    }
}

/// A path inside the volume, with the check for its field.
fn relative(cx: &mut Context<'_>, at: &At, node: &Node, key: &str, rule: fn(&str) -> Result<(), &'static str>) {
    let Some(value) = node.get(key) else { return };
    let Some(path) = value.as_str() else { return };
    if let Err(reason) = rule(path) {
        let at = at.child(key);
        let help = "give a path relative to the volume's root, without `..`";
        at.report(
            cx,
            &INVALID_VOLUME,
            value.span,
            field::invalid(&at.path, &field::quote(path), reason),
            "not a local path",
            help,
        );
    }
}

/// The `items` of a Secret or ConfigMap source (`validateKeyToPath`); `seen` collects
/// the paths for a projected volume's duplicate check.
fn items<'n>(cx: &mut Context<'_>, at: &At, source: &'n Node, seen: &mut Vec<(&'n str, &'n Node)>) -> bool {
    let mut duplicate = false;
    for (i, item) in source.get("items").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = at.index("items", i);
        for key in ["key", "path"] {
            if item.get(key).and_then(Node::as_str).is_some_and(str::is_empty) {
                let node = item.get(key).map_or(item.span, |n| n.span);
                let at = at.child(key);
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    node,
                    field::required(&at.path, ""),
                    "empty",
                    "give the key and the file's path",
                );
            }
        }
        relative(cx, &at, item, "path", paths::local_non_reserved);
        mode(cx, &at, item, "mode");
        if let Some(node) = item.get("path")
            && let Some(path) = node.as_str().filter(|p| !p.is_empty())
        {
            duplicate |= crate::rules::first_seen(seen, path, node).is_some();
        }
    }
    duplicate
}

fn downward_file(cx: &mut Context<'_>, at: &At, file: &Node) {
    // `validateDownwardAPIVolumeFile` names its fields below the source, not the item.
    if file.get("path").and_then(Node::as_str).is_none_or(str::is_empty) {
        let path = at.child("path");
        path.report(
            cx,
            &INVALID_VOLUME,
            crate::document::head(file),
            field::required(&path.path, ""),
            "no path",
            "give the file's path",
        );
    }
    relative(cx, at, file, "path", paths::local_non_reserved);
    mode(cx, at, file, "mode");
    match (file.get("fieldRef").filter(|n| !n.is_null()), file.get("resourceFieldRef").filter(|n| !n.is_null())) {
        (Some(selector), other) => {
            let field_at = at.child("fieldRef");
            if let Some((message, span, label, help)) =
                field_ref_error(&field_at.path, selector, downward::VOLUME_FIELDS)
            {
                field_at.report(cx, &INVALID_VOLUME, span, message, label, help);
            }
            if let Some(other) = other {
                let message = field::invalid(
                    &at.path,
                    "\"resource\"",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                );
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    other.span,
                    message,
                    "a second source",
                    "keep one of `fieldRef` and `resourceFieldRef`",
                );
            }
        }
        (None, Some(selector)) => {
            if selector.get("containerName").and_then(Node::as_str).is_none_or(str::is_empty) {
                let at = at.child("resourceFieldRef.containerName");
                let help = "name the container whose resource the file shows";
                at.report(cx, &INVALID_VOLUME, selector.span, field::required(&at.path, ""), "no container", help);
            }
        }
        (None, None) => {
            let message = field::required(&at.path, "one of fieldRef and resourceFieldRef is required");
            let help = "add `fieldRef: {fieldPath: metadata.labels}` or a `resourceFieldRef`";
            at.report(cx, &INVALID_VOLUME, crate::document::head(file), message, "no source", help);
        }
    }
}

const PROJECTIONS: [&str; 5] = ["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"];

fn projected(cx: &mut Context<'_>, at: &At, value: &Node) {
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for (i, source) in value.get("sources").map(Node::items).unwrap_or_default().iter().enumerate() {
        let src = at.index("sources", i);
        let set: Vec<&Entry> =
            PROJECTIONS.iter().filter_map(|k| source.entry(k).filter(|e| !e.value.is_null())).collect();
        if let Some(second) = set.get(1) {
            let message = field::forbidden(&src.path, "may not specify more than 1 volume type per source");
            src.report(
                cx,
                &INVALID_VOLUME,
                second.key.span,
                message,
                "a second type",
                "use one entry of `sources` per type",
            );
        }
        for entry in set {
            let kind = entry.key.name.as_str();
            let typed = src.child(kind);
            match kind {
                "secret" | "configMap" => {
                    required_string(cx, &typed, entry, "name", "name the object to project");
                    if items(cx, &typed, &entry.value, &mut seen) {
                        let name = entry.value.get("name").and_then(Node::as_str).unwrap_or("");
                        let message = field::invalid(&at.path, &field::quote(name), "conflicting duplicate paths");
                        at.report(
                            cx,
                            &INVALID_VOLUME,
                            entry.key.span,
                            message,
                            "a path projected twice",
                            "give each file its own path",
                        );
                    }
                }
                "downwardAPI" => {
                    for file in entry.value.get("items").map(Node::items).unwrap_or_default() {
                        downward_file(cx, &typed, file);
                    }
                }
                "serviceAccountToken" => {
                    if let Some(node) = entry.value.get("expirationSeconds")
                        && let Some(n) = node.as_i64()
                    {
                        let detail = if n < 600 {
                            "may not specify a duration less than 10 minutes"
                        } else if n > 1 << 32 {
                            "may not specify a duration larger than 2^32 seconds"
                        } else {
                            ""
                        };
                        if !detail.is_empty() {
                            let at = typed.child("expirationSeconds");
                            let message = field::invalid(&at.path, &n.to_string(), detail);
                            at.report(
                                cx,
                                &INVALID_VOLUME,
                                node.span,
                                message,
                                "out of range",
                                "use at least 600 seconds",
                            );
                        }
                    }
                    if entry.value.get("path").and_then(Node::as_str).is_none_or(str::is_empty) {
                        // `validateProjectionSources` names the volume's `path`.
                        let path = at.child("path");
                        let message = field::required(&path.path, "");
                        typed.report(
                            cx,
                            &INVALID_VOLUME,
                            entry.key.span,
                            message,
                            "no path",
                            "give the token file's path",
                        );
                    } else {
                        relative(cx, &typed, &entry.value, "path", paths::local_non_reserved);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The containers' mounts: `subPath`, `subPathExpr`, propagation, recursive read-only.
fn mounts(cx: &mut Context<'_>, pod: &PodTemplate<'_>, image_volumes: &[&str]) {
    for c in pod.every_container() {
        let privileged = c.security("privileged").and_then(Node::as_bool) == Some(true);
        let list = pod.container_path(&c, "volumeMounts");
        for (i, mount) in c.get("volumeMounts").map(Node::items).unwrap_or_default().iter().enumerate() {
            // `ValidateVolumeMounts` names `subPath` and friends below the list, not the item.
            let pointer = pod.container_pointer(&c, &format!("volumeMounts/{i}"));
            let on_list = At::new(list.clone(), pointer.clone());
            let item = At::new(format!("{list}[{i}]"), pointer);
            if let Some(node) = mount.get("mountPath").filter(|n| n.as_str() == Some("")) {
                let at = item.child("mountPath");
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    node.span,
                    field::required(&at.path, ""),
                    "empty",
                    "give the path in the container",
                );
            }
            let sub_path = mount.get("subPath").and_then(Node::as_str).filter(|s| !s.is_empty());
            let sub_expr = mount.get("subPathExpr").and_then(Node::as_str).filter(|s| !s.is_empty());
            let volume = mount.get("name").and_then(Node::as_str).unwrap_or("");
            for (key, text) in [("subPath", sub_path), ("subPathExpr", sub_expr)] {
                let Some(text) = text else { continue };
                let Some(node) = mount.get(key) else { continue };
                if c.list == "ephemeralContainers" {
                    let at = item.child(key);
                    let message = field::forbidden(&at.path, "cannot be set for an Ephemeral Container");
                    at.report(
                        cx,
                        &INVALID_VOLUME,
                        node.span,
                        message,
                        "in an ephemeral container",
                        "mount the whole volume",
                    );
                } else if image_volumes.contains(&volume) {
                    let at = item.child(key);
                    let message = field::invalid(&at.path, &field::quote(text), "not allowed in image volume sources");
                    at.report(
                        cx,
                        &INVALID_VOLUME,
                        node.span,
                        message,
                        "an image volume",
                        "mount the whole image volume",
                    );
                }
                if let Err(reason) = paths::local_descending(text) {
                    let at = on_list.child(key);
                    let message = field::invalid(&at.path, &field::quote(text), reason);
                    at.report(
                        cx,
                        &INVALID_VOLUME,
                        node.span,
                        message,
                        "not a path inside the volume",
                        "give a path relative to the volume's root, without `..`",
                    );
                }
            }
            if let (Some(_), Some(expr)) = (sub_path, sub_expr)
                && let Some(node) = mount.get("subPathExpr")
            {
                let at = item.child("subPathExpr");
                let message =
                    field::invalid(&at.path, &field::quote(expr), "subPathExpr and subPath are mutually exclusive");
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    node.span,
                    message,
                    "beside `subPath`",
                    "keep one of `subPath` and `subPathExpr`",
                );
            }
            if let Some(node) = mount.get("mountPropagation")
                && node.as_str() == Some("Bidirectional")
                && !privileged
            {
                let at = on_list.child("mountPropagation");
                let message = field::forbidden(
                    &at.path,
                    "Bidirectional mount propagation is available only to privileged containers",
                );
                at.report(
                    cx,
                    &INVALID_VOLUME,
                    node.span,
                    message,
                    "not a privileged container",
                    "use `HostToContainer`, or make the container privileged",
                );
            }
            recursive_read_only(cx, &on_list, mount);
        }
    }
}

fn recursive_read_only(cx: &mut Context<'_>, on_list: &At, mount: &Node) {
    let Some(node) = mount.get("recursiveReadOnly") else { return };
    if !matches!(node.as_str(), Some("Enabled" | "IfPossible")) {
        return;
    }
    let at = on_list.child("recursiveReadOnly");
    if mount.get("readOnly").and_then(Node::as_bool) != Some(true) {
        let message = field::forbidden(&at.path, "may only be specified when readOnly is true");
        at.report(cx, &INVALID_VOLUME, node.span, message, "not a read-only mount", "add `readOnly: true`");
    }
    if mount.get("mountPropagation").and_then(Node::as_str).is_some_and(|p| p != "None") {
        let message =
            field::forbidden(&at.path, "may only be specified when mountPropagation is None or not specified");
        at.report(cx, &INVALID_VOLUME, node.span, message, "with mount propagation", "remove `mountPropagation`");
    }
}
