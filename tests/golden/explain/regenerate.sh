#!/usr/bin/env bash
# Regenerates the golden outputs of `kval explain` with the oracle: the real kubectl 1.37
# run offline against the OpenAPI documents as a real API server serves them, with
# enums and defaults (scripts/explain-oracle.sh, which feeds the shared stand-in server
# the documents schemas/generate.py rebuilds from upstream); cases of the legacy format
# (`-o plaintext-openapiv2`, which reads /openapi/v2) go through
# scripts/kubectl-explain-openapiv2.py, whose stand-in server also serves that.
# Each case is a directory holding `args` (one argument per line), `version` (the
# Kubernetes version) and what kubectl printed: `stdout`, `stderr` and `status`.
# tests/explain.rs runs kval with the same arguments and compares the bytes.
#
#   tests/golden/explain/regenerate.sh          # all cases
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-$here/../../../scripts/explain-oracle.sh}
[ -x "$oracle" ] || { echo "oracle not found: $oracle" >&2; exit 2; }

# case NAME VERSION ARG...
case_() {
  local name=$1 version=$2 dir=$here/$1
  shift 2
  rm -rf "$dir" && mkdir -p "$dir"
  if [ $# -gt 0 ]; then printf '%s\n' "$@" >"$dir/args"; else : >"$dir/args"; fi
  echo "$version" >"$dir/version"
  local status=0
  KVAL_K8S_VERSION=$version.0 "$oracle" "$@" >"$dir/stdout" 2>"$dir/stderr" || status=$?
  echo "$status" >"$dir/status"
}

# Fields at every depth, arrays, maps, primitives, required fields.
case_ ds-spec 1.37 ds.spec
case_ sts-containers 1.37 sts.spec.template.spec.containers
case_ job-ttl 1.37 job.spec.ttlSecondsAfterFinished
case_ hpa 1.37 hpa
case_ svc-selector 1.37 svc.spec.selector
case_ deploy-container-name 1.37 deploy.spec.template.spec.containers.name
case_ deploy-replicas 1.37 deploy.spec.replicas
case_ po 1.37 po
case_ po-labels 1.37 po.metadata.labels
case_ po-limits 1.37 po.spec.containers.resources.limits
case_ po-start-time 1.37 po.status.startTime
case_ deploy-max-surge 1.37 deploy.spec.strategy.rollingUpdate.maxSurge
case_ netpol-ingress 1.37 netpol.spec.ingress
case_ pdb-spec 1.37 pdb.spec
case_ ing-backend 1.37 ing.spec.rules.http.paths.backend
case_ cm 1.37 cm
case_ pvc-resources 1.37 pvc.spec.resources
case_ ns 1.37 ns
case_ crd-versions 1.37 crd.spec.versions
case_ cj-spec-1.30 1.30 cj.spec
case_ cj-1.25 1.25 cj
# Name resolution: plurals, singulars, kinds, group-qualified names, preferred versions.
case_ group-qualified 1.37 deployments.apps.spec
case_ kind-name 1.37 DaemonSet.spec
case_ singular 1.37 daemonset
case_ quoted-key 1.37 "daemonsets['spec']"
case_ events-warning 1.37 ev
case_ events-group 1.37 ev --api-version events.k8s.io/v1
case_ hpa-v1 1.37 hpa --api-version autoscaling/v1
case_ trailing-dot 1.37 ds.spec.
# Enums: the ENUM block, "Possible enum values", `enum:` in --recursive, every release.
case_ enum-svc-type 1.37 svc.spec.type
case_ enum-svc-spec-recursive 1.37 svc.spec --recursive
case_ enum-deploy-strategy 1.37 deploy.spec.strategy
case_ enum-deploy-strategy-type 1.37 deploy.spec.strategy.type
case_ enum-po-restart-policy 1.37 po.spec.restartPolicy
case_ enum-po-restart-policy-1.25 1.25 po.spec.restartPolicy
case_ enum-pointer-1.26 1.26 po.spec.securityContext.fsGroupChangePolicy
case_ enum-pointer-1.27 1.27 po.spec.securityContext.fsGroupChangePolicy
case_ enum-list-items-1.30 1.30 svc.spec.ipFamilies
case_ enum-sts-strategy-1.36 1.36 sts.spec.updateStrategy --recursive
case_ legacy-enum 1.37 svc.spec.type -o plaintext-openapiv2
case_ legacy-enum-recursive 1.37 deploy.spec.strategy --recursive -o plaintext-openapiv2
# --recursive, with cycles.
case_ recursive-po-spec 1.37 --recursive po.spec
case_ recursive-deploy 1.37 deployments.apps --recursive
case_ recursive-crd-schema 1.37 crd.spec.versions.schema --recursive
case_ recursive-false 1.37 ds --recursive=false
# The legacy format.
case_ legacy-ds-spec 1.37 ds.spec -o plaintext-openapiv2
case_ legacy-primitive 1.37 deploy.spec.replicas -o plaintext-openapiv2
case_ legacy-map 1.37 po.metadata.labels -o plaintext-openapiv2
case_ legacy-int-or-string 1.37 deploy.spec.strategy.rollingUpdate.maxSurge -o plaintext-openapiv2
case_ legacy-recursive 1.37 --recursive svc.spec -o plaintext-openapiv2
case_ legacy-recursive-cycle 1.37 crd.spec.versions.schema.openAPIV3Schema --recursive -o plaintext-openapiv2
case_ legacy-error-field 1.37 ds.foo.bar -o plaintext-openapiv2
case_ legacy-error-group-version 1.37 deploy --api-version apps/v9 -o plaintext-openapiv2
case_ legacy-list-type 1.37 podlist -o plaintext-openapiv2
# Errors.
case_ error-no-argument 1.37
case_ error-two-arguments 1.37 po svc
case_ error-unknown-resource 1.37 foo
case_ error-short-name-case 1.37 DS
case_ error-unknown-field 1.37 ds.spec.foo
case_ error-unknown-field-names-last 1.37 ds.foo.bar
case_ error-field-of-primitive 1.37 po.spec.containers.name.foo
case_ error-empty-field 1.37 po.spec.containers.name..
case_ error-group-as-field 1.37 ds.apps.spec
case_ error-missing-group-version 1.37 deploy --api-version apps/v9
case_ error-bad-group-version 1.37 deploy --api-version a/b/c
case_ error-resource-not-in-group-version 1.37 pods --api-version apps/v1
case_ error-core-version 1.37 ds --api-version v1
case_ error-jsonpath-index 1.37 "ds.spec[0]"
case_ error-jsonpath-with-api-version 1.37 "ds.spec[0]" --api-version apps/v1
case_ error-jsonpath-brace 1.37 "ds{"
case_ error-two-actions 1.37 "ds}"
case_ error-format 1.37 ds -o yaml
case_ error-no-resource 1.37 .
case_ error-list-type 1.37 podlist
echo "regenerated $(find "$here" -mindepth 1 -maxdepth 1 -type d | wc -l) cases in $here"
