#!/usr/bin/env python3
"""Writes the schemas kval embeds for one Kubernetes version (the JSON Schema of the
PyPI package kubernetes-validate, see schemas/README.md) in kubeconform's standalone
layout, so that kubeconform is measured on the same schema data:

    python3 benches/kubeconform_schemas.py kubernetes_validate-1.37.0-py3-none-any.whl OUT [1.37.0]

writes OUT/v1.37.0-standalone-strict/<kind>-<group>-<version>.json, each file the
kind's schema plus the definitions it reaches under "$defs" (kubernetes-validate's
files point into one shared 1.8 MB _definitions.json, which kubeconform would compile
again for every kind). Use with kubeconform -strict -kubernetes-version 1.37.0
-schema-location 'OUT/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'.
"""
import json
import os
import sys
import zipfile

SHARED = "/api/_definitions.json#/$defs/"


def main():
    wheel, out = sys.argv[1], sys.argv[2]
    version = sys.argv[3] if len(sys.argv) > 3 else "1.37.0"
    prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    target = os.path.join(out, f"v{version}-standalone-strict")
    os.makedirs(target, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        defs = json.loads(z.read(prefix + "_definitions.json"))["$defs"]

        def rewrite(node, reached):
            """Points every reference at the file's own $defs and collects what it reaches."""
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(SHARED):
                    name = ref[len(SHARED):]
                    node["$ref"] = "#/$defs/" + name
                    if name not in reached:
                        reached[name] = None
                        reached[name] = rewrite(json.loads(json.dumps(defs[name])), reached)
                elif isinstance(ref, str) and ref.startswith("#/$defs/"):
                    name = ref[len("#/$defs/"):]
                    if name not in reached:
                        reached[name] = None
                        reached[name] = rewrite(json.loads(json.dumps(defs[name])), reached)
                for value in node.values():
                    rewrite(value, reached)
            elif isinstance(node, list):
                for value in node:
                    rewrite(value, reached)
            return node

        count = 0
        for name in z.namelist():
            base = name[len(prefix):]
            if not name.startswith(prefix) or not base.endswith(".json") or base.startswith("_") or base == "all.json":
                continue
            schema = json.loads(z.read(name))
            reached = {}
            rewrite(schema, reached)
            if reached:
                schema["$defs"] = reached
            with open(os.path.join(target, base), "w") as f:
                json.dump(schema, f)
            count += 1
    print(f"{count} schemas in {target}")


main()
