#!/usr/bin/env python3
"""One stream of N apps in namespace `shop`, each a Deployment with the objects the
cross-document rules look up (its ServiceAccount, and with --full a Service, a
PodDisruptionBudget, an autoscaler, an Ingress, a Role and its RoleBinding): the input of benches/scaling.sh and of benches/scale.sh's
missing-service-account case.

    benches/gen_inventory.py OUT.yaml APPS [--full]
"""
import sys

SERVICE_ACCOUNT = """apiVersion: v1
kind: ServiceAccount
metadata: {{name: app-{i}, namespace: shop}}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: shop}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{port: 80}}]
"""
PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: app-{i}, namespace: shop}}
spec:
  minAvailable: 1
  selector: {{matchLabels: {{app: app-{i}}}}}
"""
HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: app-{i}, namespace: shop}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{i}}}
  minReplicas: 2
  maxReplicas: 4
"""
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: app-{i}, namespace: shop}}
spec:
  rules:
  - host: app-{i}.example.com
    http:
      paths:
      - {{path: /, pathType: Prefix, backend: {{service: {{name: app-{i}, port: {{number: 80}}}}}}}}
"""
ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: app-{i}, namespace: shop}}
rules: [{{apiGroups: [""], resources: [configmaps], verbs: [get]}}]
"""
ROLE_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: app-{i}, namespace: shop}}
subjects: [{{kind: ServiceAccount, name: app-{i}, namespace: shop}}]
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-{i}}}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      serviceAccountName: app-{i}
      containers: [{{name: app, image: "registry.example/app:1.0"}}]
"""


def main() -> None:
    out, apps = sys.argv[1], int(sys.argv[2])
    full = "--full" in sys.argv[3:]
    app = "---\n".join([SERVICE_ACCOUNT, SERVICE, PDB, HPA, INGRESS, ROLE, ROLE_BINDING, DEPLOYMENT] if full else [SERVICE_ACCOUNT, DEPLOYMENT])
    with open(out, "w") as f:
        f.write("---\n".join(app.format(i=i) for i in range(apps)))


if __name__ == "__main__":
    main()
