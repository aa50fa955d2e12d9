#!/usr/bin/env python3
"""The YAML oracle of tests/yaml_differential.rs: reads files with libyaml (PyYAML's
CSafeLoader, the C library go-yaml v2 was ported from) and prints, per file, one JSON
line: {"docs": [...]} or {"error": "..."}.

Plain scalars are resolved as go-yaml v2 (Kubernetes' reader through sigs.k8s.io/yaml)
resolves them, ported here from go-yaml v2's resolve.go, not from kval: YAML 1.1
booleans (yes/no/on/off/y/n), Go's integer prefixes (0x, 0o, 0b, a leading 0 for
octal) after removing underscores, no base-60 numbers, timestamps kept as text. Mapping
keys become the strings sigs.k8s.io/yaml makes of them. Values are tagged so that the
comparison tells 1 from 1.0: floats are {"float": "..."}.

Usage: yaml-oracle.py FILE...   (or file names on standard input, one a line)
"""

import json
import math
import re
import sys

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

if not getattr(yaml, "__with_libyaml__", False):
    sys.exit("PyYAML was built without libyaml: the C loader is the oracle")

FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
TABLE = {
    **dict.fromkeys("y Y yes Yes YES true True TRUE on On ON".split(), True),
    **dict.fromkeys("n N no No NO false False FALSE off Off OFF".split(), False),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], None),
    **dict.fromkeys([".nan", ".NaN", ".NAN"], math.nan),
    **dict.fromkeys([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], math.inf),
    **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], -math.inf),
}
I64 = (-(2**63), 2**63 - 1)


class Duplicate(Exception):
    pass


class Unsupported(Exception):
    """Something sigs.k8s.io/yaml rejects too (a mapping as a key...)."""


def go_parse_int(s, unsigned):
    """strconv.ParseInt/ParseUint(s, 0, 64) (underscores already removed)."""
    neg = s.startswith("-")
    if s[:1] in "+-" and s:
        if unsigned:
            return None
        s = s[1:]
    lower = s[:2].lower()
    if lower in ("0x", "0o", "0b"):
        base, digits = {"0x": 16, "0o": 8, "0b": 2}[lower], s[2:]
    elif s.startswith("0") and len(s) > 1:
        base, digits = 8, s[1:]
    else:
        base, digits = 10, s
    if not digits or digits[0] in "+-" or not digits.isascii() or " " in digits:
        return None
    try:
        value = int(digits, base)
    except ValueError:
        return None
    value = -value if neg else value
    low, high = (0, 2**64 - 1) if unsigned else I64
    return value if low <= value <= high else None


def resolve_plain(s):
    if s in TABLE:
        return TABLE[s]
    first = s[:1]
    if first == ".":
        return float(s) if FLOAT.match(s) else s
    if first and (first in "+-" or first.isdigit()):
        plain = s.replace("_", "")
        value = go_parse_int(plain, False)
        if value is not None:
            return value
        if go_parse_int(plain, True) is not None or FLOAT.match(plain):
            try:
                return float(plain)
            except ValueError:
                pass
    return s


PLAIN = "tag:kval,2026:plain"


class Loader(yaml.CSafeLoader):
    """libyaml's parser and composer; untagged plain scalars keep a marker tag so that
    go-yaml's resolution replaces PyYAML's YAML 1.1 guess."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return PLAIN
        return super().resolve(kind, value, implicit)


def scalar(node):
    if node.tag == PLAIN:
        return resolve_plain(node.value)
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    raise Unsupported("tag " + node.tag)


def key_string(value):
    """sigs.k8s.io/yaml's conversion of a decoded key to a JSON object key."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    raise Unsupported("key %r" % (value,))


def convert(node, active=()):
    if isinstance(node, ScalarNode):
        return scalar(node)
    if id(node) in active:
        raise Unsupported("recursive alias")
    active = active + (id(node),)
    if isinstance(node, SequenceNode):
        return [convert(item, active) for item in node.value]
    if isinstance(node, MappingNode):
        explicit, merged = {}, {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == PLAIN and key_node.value == "<<":
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                # go-yaml v2: earlier maps of a merge list win over later ones.
                for source in reversed(sources):
                    value = convert(source, active)
                    if not isinstance(value, dict):
                        raise Unsupported("merge of a non-mapping")
                    merged.update(value)
                continue
            if not isinstance(key_node, ScalarNode):
                raise Unsupported("collection as a key")
            key = key_string(scalar(key_node))
            if key in explicit:
                raise Duplicate(key)
            explicit[key] = convert(value_node, active)
        return {**merged, **explicit}
    raise Unsupported("node " + type(node).__name__)


def tagged(value):
    """Floats marked as such, so that JSON keeps 1 and 1.0 apart."""
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, list):
        return [tagged(v) for v in value]
    if isinstance(value, dict):
        return {k: tagged(v) for k, v in value.items()}
    return value


def is_null(node):
    """An empty document (left out, as kubectl leaves it out)."""
    return isinstance(node, ScalarNode) and node.tag == PLAIN and resolve_plain(node.value) is None


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
        docs = [convert(node) for node in yaml.compose_all(text, Loader=Loader) if not is_null(node)]
        return {"docs": [tagged(d) for d in docs]}
    except Duplicate as e:
        return {"error": "duplicate key %s" % e, "duplicate": True}
    except Unsupported as e:
        return {"unsupported": str(e)}
    except yaml.composer.ComposerError as e:
        if "duplicate anchor" in str(e):
            # PyYAML's composer, not libyaml, rejects a redefined anchor; go-yaml v2
            # (and kval) let the later definition win.
            return {"unsupported": "redefined anchor"}
        return {"error": str(e).splitlines()[0]}
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as e:
        return {"error": str(e).splitlines()[0] if str(e) else type(e).__name__}


def main():
    paths = sys.argv[1:] or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for path in paths:
        print(json.dumps(read(path)))


if __name__ == "__main__":
    main()
