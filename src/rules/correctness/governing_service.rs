//! `missing-governing-service` and `governing-service-not-headless`: a StatefulSet's
//! `serviceName`.

use crate::rules::RunContext;
use crate::rules::inventory::Facts;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Service a StatefulSet names in `serviceName` is in the input
    /// (in the same namespace). Only runs when the input has Services in that
    /// namespace, so linting one file alone stays quiet.
    ///
    /// ## Why it matters
    /// The governing Service gives each Pod its stable DNS name
    /// (`web-0.nginx.default.svc.cluster.local`). Without it the Pods run, but those
    /// names do not resolve, which clustered databases rely on.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceName: nginx
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: nginx
    ///         image: nginx:1.27
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceName: web
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: nginx
    ///         image: nginx:1.27
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    pub static MISSING_GOVERNING_SERVICE = {
        id: "missing-governing-service",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a StatefulSet's `serviceName` names no Service of the input",
        fields: ["StatefulSetSpec.serviceName"],
        check: Run(check),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Service a StatefulSet names in `serviceName` is headless
    /// (`clusterIP: None`).
    ///
    /// ## Why it matters
    /// Only a headless Service publishes a DNS record per Pod
    /// (`web-0.nginx.default.svc.cluster.local`). With a normal Service the name
    /// resolves to one virtual IP, and the Pods' stable names, the reason to use a
    /// StatefulSet, do not exist.
    ///
    /// ## API server
    /// Accepted silently: the API server does not look up `serviceName`. A warning,
    /// as for a governing Service that is missing (`missing-governing-service`):
    /// Pods that never use their own DNS names run fine.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceName: nginx
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: nginx
    ///         image: nginx:1.27
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceName: nginx
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: nginx
    ///         image: nginx:1.27
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    pub static GOVERNING_SERVICE_NOT_HEADLESS = {
        id: "governing-service-not-headless",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a StatefulSet's governing Service is not headless",
        fields: ["StatefulSetSpec.serviceName", "ServiceSpec.clusterIP"],
        check: Run(check_headless),
    };
}

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for set in &inventory.resources {
        let Facts::StatefulSet { service_name: Some(name) } = set.facts() else { continue };
        if name.value.is_empty() {
            continue;
        }
        let Some(services) = inventory.missing("Service", set.namespace(), &name.value) else { continue };
        let mut f = set
            .finding_at(&MISSING_GOVERNING_SERVICE, name.span, format!("no Service `{}` in the input", name.value))
            .label("governing Service not found")
            .note("the governing Service gives each Pod a stable DNS name");
        f.help = Some(crate::suggest::did_you_mean(&name.value, services).unwrap_or_else(|| {
            format!("add a headless Service `{}` (`clusterIP: None`) that selects the Pods", name.value)
        }));
        cx.report(f);
    }
}

fn check_headless(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for set in &inventory.resources {
        let Facts::StatefulSet { service_name: Some(name) } = set.facts() else { continue };
        for service in inventory.find_all("Service", set.namespace(), &name.value) {
            let Facts::Service { headless, .. } = service.facts() else { continue };
            if headless.value {
                continue;
            }
            let f = set
                .finding_at(
                    &GOVERNING_SERVICE_NOT_HEADLESS,
                    name.span,
                    format!("the governing Service `{}` is not headless", name.value),
                )
                .label("names a Service with a cluster IP")
                .secondary(service.at(headless.span), "not `clusterIP: None`")
                .note("only a headless Service gives each Pod of the StatefulSet its own DNS name")
                .help("set `clusterIP: None` on the Service (a cluster IP cannot be removed in place: recreate the Service)");
            cx.report(f);
        }
    }
}
