#!/usr/bin/env python3
"""Writes a deployment repository for benches/repo.sh.

    gen_repo.py OUT [--charts 20] [--apps 10]

OUT gets charts/app-NN (Helm charts in the shape `helm create` gives: helpers,
Deployment, Service, ServiceAccount, ConfigMap, HPA, Ingress behind a value),
kustomize/app-NN/base with overlays/staging and overlays/prod (two roots per app:
namePrefix, labels, a configMapGenerator, a strategic-merge patch and a JSON 6902
patch), plain/ manifests, and YAML that is not Kubernetes (docker-compose, a GitHub
workflow, mkdocs, renovate.json, an empty and a comment-only file).

Three mistakes are injected, printed to standard output as `path<TAB>rule`: a
misspelt `imagePullPolicy` in a chart's values, a `restartPolicy` a Deployment forbids in a
Kustomize base, and a string `replicas` in an overlay's patch.
"""

import argparse
import os


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


HELPERS = """{{/* Expand the name of the chart. */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "app.fullname" -}}
{{- printf "%s-%s" .Release.Name (include "app.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "app.labels" -}}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{ include "app.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.selectorLabels" . | nindent 8 }}
    spec:
      serviceAccountName: {{ include "app.fullname" . }}
      securityContext:
        runAsNonRoot: true
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "app.fullname" . }}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
      name: http
  selector:
    {{- include "app.selectorLabels" . | nindent 4 }}
"""

SERVICE_ACCOUNT = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
automountServiceAccountToken: false
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.fullname" . }}
data:
  {{- range $key, $value := .Values.env }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
"""

HPA = """{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "app.fullname" . }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "app.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 80
{{- end }}
"""

INGRESS = """{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "app.fullname" . }}
spec:
  ingressClassName: nginx
  rules:
    - host: {{ .Values.ingress.host }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "app.fullname" . }}
                port:
                  name: http
{{- end }}
"""

VALUES = """replicaCount: 2
image:
  repository: registry.example.com/app-{n}
  tag: "1.{n}.0"
  pullPolicy: {policy}
service:
  type: ClusterIP
  port: 8080
ingress:
  enabled: {ingress}
  host: app-{n}.example.com
autoscaling:
  enabled: {hpa}
  minReplicas: 2
  maxReplicas: 6
env:
  LOG_LEVEL: info
  FEATURE_X: "on"
resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    memory: 256Mi
"""


def chart(out, n, truth):
    d = f"{out}/charts/app-{n:02}"
    write(f"{d}/Chart.yaml", f"apiVersion: v2\nname: app-{n:02}\nversion: 0.1.{n}\nappVersion: \"1.{n}.0\"\n")
    policy = "IfNotPresnt" if n == 1 else "IfNotPresent"
    if n == 1:
        truth.append(f"charts/app-{n:02}/values.yaml\tunsupported-value")
    write(f"{d}/values.yaml", VALUES.format(n=n, policy=policy, ingress=str(n % 2 == 0).lower(), hpa=str(n % 3 == 0).lower()))
    write(f"{d}/.helmignore", ".git/\n*.swp\n")
    write(f"{d}/templates/_helpers.tpl", HELPERS)
    write(f"{d}/templates/NOTES.txt", "Installed {{ .Release.Name }}.\n")
    for name, text in [("deployment", DEPLOYMENT), ("service", SERVICE), ("serviceaccount", SERVICE_ACCOUNT),
                       ("configmap", CONFIGMAP), ("hpa", HPA), ("ingress", INGRESS)]:
        write(f"{d}/templates/{name}.yaml", text)


BASE_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-{n}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api-{n}
  template:
    metadata:
      labels:
        app: api-{n}
    spec:
      restartPolicy: {restart}
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: registry.example.com/api-{n}:1.0.{n}
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: api-{n}-config
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
"""

BASE_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: api-{n}
spec:
  selector:
    app: api-{n}
  ports:
    - name: http
      port: 80
      targetPort: http
"""

BASE_KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
  - name: api-{n}-config
    literals:
      - LOG_LEVEL=info
"""

OVERLAY_KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: {env}
namePrefix: {env}-
labels:
  - pairs:
      env: {env}
resources:
  - ../../base
patches:
  - path: replicas.yaml
  - path: image.yaml
    target:
      kind: Deployment
      name: api-{n}
configMapGenerator:
  - name: api-{n}-config
    behavior: merge
    literals:
      - LOG_LEVEL={level}
"""

REPLICAS_PATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-{n}
spec:
  replicas: {replicas}
  template:
    spec:
      containers:
        - name: api
          resources:
            limits:
              memory: 256Mi
"""

IMAGE_PATCH = """- op: replace
  path: /spec/template/spec/containers/0/image
  value: registry.example.com/api-{n}:{env}-1.0.{n}
"""


def kustomize(out, n, truth):
    d = f"{out}/kustomize/app-{n:02}"
    restart = "OnFailure" if n == 1 else "Always"
    if n == 1:
        truth.append(f"kustomize/app-{n:02}/base/deployment.yaml\tinvalid-restart-policy")
    write(f"{d}/base/kustomization.yaml", BASE_KUSTOMIZATION.format(n=n))
    write(f"{d}/base/deployment.yaml", BASE_DEPLOYMENT.format(n=n, restart=restart))
    write(f"{d}/base/service.yaml", BASE_SERVICE.format(n=n))
    for env, replicas, level in [("staging", 1, "debug"), ("prod", 3, "warn")]:
        if n == 2 and env == "prod":
            replicas = '"three"'
            truth.append(f"kustomize/app-{n:02}/overlays/prod/replicas.yaml\tinvalid-type")
        o = f"{d}/overlays/{env}"
        write(f"{o}/kustomization.yaml", OVERLAY_KUSTOMIZATION.format(n=n, env=env, level=level))
        write(f"{o}/replicas.yaml", REPLICAS_PATCH.format(n=n, replicas=replicas))
        write(f"{o}/image.yaml", IMAGE_PATCH.format(n=n, env=env))


PLAIN = """apiVersion: v1
kind: Namespace
metadata:
  name: team-{n}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
  namespace: team-{n}
spec:
  hard:
    pods: "50"
    requests.cpu: "8"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: developers
  namespace: team-{n}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: Group
    name: team-{n}
    apiGroup: rbac.authorization.k8s.io
"""

OTHER = {
    "docker-compose.yml": "services:\n  api:\n    image: api:dev\n    ports: [\"8080:8080\"]\n",
    ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: kval lint .\n",
    "mkdocs.yml": "site_name: Deployments\nnav:\n  - Home: index.md\n",
    "renovate.json": "{\"extends\": [\"config:recommended\"]}\n",
    "plain/empty.yaml": "",
    "plain/comments.yaml": "# nothing deployed here yet\n",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--charts", type=int, default=20)
    parser.add_argument("--apps", type=int, default=10, help="Kustomize apps, two overlays (roots) each")
    parser.add_argument("--plain", type=int, default=20)
    args = parser.parse_args()
    truth = []
    for n in range(1, args.charts + 1):
        chart(args.out, n, truth)
    for n in range(1, args.apps + 1):
        kustomize(args.out, n, truth)
    for n in range(1, args.plain + 1):
        write(f"{args.out}/plain/team-{n:02}.yaml", PLAIN.format(n=n))
    for path, text in OTHER.items():
        write(f"{args.out}/{path}", text)
    print("\n".join(truth))


if __name__ == "__main__":
    main()
