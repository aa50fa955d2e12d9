"""The OpenAPI v3 documents an API server serves, rebuilt from their sources.

The Kubernetes repository checks in `api/openapi-spec/v3` generated with the
`OpenAPIEnums` feature gate off, so those documents lack what a real API server (gate on
by default since 1.24) serves: `enum` on the fields of `+enum` types and the
"Possible enum values:" paragraph of their descriptions. `add_enums` puts them back
from the Go types. For releases without checked-in documents, `add_defaults` derives
`default` from the Go types as kube-openapi does (`check_defaults` proves the
derivation against every release that has the documents).
"""
import json

import golang

MIRRORS = "/work/.mirror"
# (repository, import path prefix, package directories) that openapi-gen reads for the
# built-in API.
SOURCES = [
    ("kubernetes/api", "k8s.io/api", None),
    ("kubernetes/apimachinery", "k8s.io/apimachinery",
     ["pkg/apis/meta/v1", "pkg/api/resource", "pkg/util/intstr", "pkg/runtime", "pkg/types", "pkg/version"]),
    ("kubernetes/apiextensions-apiserver", "k8s.io/apiextensions-apiserver",
     ["pkg/apis/apiextensions/v1", "pkg/apis/apiextensions/v1beta1"]),
    ("kubernetes/kube-aggregator", "k8s.io/kube-aggregator",
     ["pkg/apis/apiregistration/v1", "pkg/apis/apiregistration/v1beta1"]),
]


def git_dir(mirrors, repo):
    return f"{mirrors}/{repo.replace('/', '+')}/repo"


def branch(minor, newest):
    """The source branch of a release: release-1.XX, the default branch for the newest."""
    return "master" if minor == newest else f"release-1.{minor}"


def read_sources(mirrors, minor, newest):
    """A golang.Reader over the API packages of one release, and the commits read."""
    import subprocess
    packages, commits = [], []
    ref = branch(minor, newest)
    for repo, prefix, dirs in SOURCES:
        gd = git_dir(mirrors, repo)
        commit = subprocess.run(["git", "-C", gd, "rev-parse", ref], capture_output=True, text=True,
                                check=True).stdout.strip()
        commits.append((repo, ref, commit))
        if dirs is None:
            tree = subprocess.run(["git", "-C", gd, "ls-tree", "-d", "-r", "--name-only", commit],
                                  capture_output=True, text=True, check=True).stdout.split()
            dirs = [d for d in tree if d.count("/") == 1 and not d.startswith(("testdata", "."))]
        for d in dirs:
            p = golang.read_package(gd, commit, f"{prefix}/{d}", d)
            if p:
                packages.append(p)
    return golang.Reader(packages, minor), commits


def _property_schemas(schema):
    """The schema objects that carry a property's own keys (the property itself)."""
    return schema


def add_enums(defs, reader):
    """Adds `enum` and the "Possible enum values:" paragraph where kube-openapi does.
    Returns the number of fields changed."""
    changed = 0
    for name, fields in reader.definitions().items():
        schema = defs.get(name)
        if not schema:
            continue
        props = schema.get("properties", {})
        for json_name, (field, pkg, file) in fields.items():
            prop = props.get(json_name)
            if prop is None:
                continue
            own, item = reader.field_enum(pkg, file, field["type"])
            if own is not None:
                lines = golang.enum_description_lines(own)
                if lines:
                    text = prop.get("description", "")
                    paragraph = golang.ENUM_HEADER + "\n" + "\n".join(l.rstrip(" ") for l in lines[2:])
                    prop["description"] = (text + "\n\n" if text else "") + paragraph
                prop["enum"] = golang.enum_values(own)
                changed += 1
            if item is not None:
                target = prop.get("items") or prop.get("additionalProperties")
                if isinstance(target, dict):
                    target["enum"] = golang.enum_values(item)
                    changed += 1
    return changed


def derived_defaults(defs, reader):
    """{(definition, field): default} derived from the Go types, for the definitions in defs."""
    out = {}
    for name, fields in reader.definitions().items():
        if name not in defs:
            continue
        for json_name, (field, pkg, file) in fields.items():
            if json_name not in defs[name].get("properties", {}):
                continue
            value = reader.field_default(pkg, file, field)
            if value is not None:
                out[(name, json_name)] = value
    return out


def upstream_defaults(defs):
    return {(n, f): p["default"] for n, s in defs.items() for f, p in s.get("properties", {}).items()
            if "default" in p}


def check_defaults(defs, reader):
    """The differences between derived defaults and the upstream documents' (empty when
    the derivation reproduces them)."""
    derived, upstream = derived_defaults(defs, reader), upstream_defaults(defs)
    return [(k, upstream.get(k), derived.get(k)) for k in sorted(set(derived) | set(upstream))
            if json.dumps(upstream.get(k)) != json.dumps(derived.get(k))]


def add_defaults(defs, reader):
    for (name, field), value in derived_defaults(defs, reader).items():
        prop = defs[name]["properties"][field]
        if "$ref" in prop:
            defs[name]["properties"][field] = prop = {"allOf": [{"$ref": prop.pop("$ref")}], **prop}
        prop["default"] = value
