"""Just enough of a Go reader to get from the Kubernetes API types what kube-openapi's
generator (k8s.io/kube-openapi/pkg/generators: enum.go, openapi.go) puts into the
OpenAPI documents an API server serves:

  * `+enum` string types with the constants of each, for `enum` and the
    "Possible enum values:" paragraph;
  * struct fields with their JSON names, types, `omitempty` and `+default=` markers,
    for `default`.

It reads the type and constant declarations of the API packages (gofmt-formatted
source, as every k8s.io API package is); it is not a general Go parser.
"""
import json
import re
import subprocess

# kube-openapi's "Possible enum values:" header (enum.go).
ENUM_HEADER = "Possible enum values:"

_DIRECTIVE = re.compile(r"^[a-z0-9]+:[a-z0-9]")
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_TYPE_LINE = re.compile(rf"^(?:type\s+)?({_IDENT})\s+(=\s*)?(.+?)\s*$")
_CONST_LINE = re.compile(rf"^(?:const\s+)?({_IDENT})\s*(?:({_IDENT}(?:\.{_IDENT})?)\s*)?=\s*(.+?)\s*(?://.*)?$")
_FIELD_LINE = re.compile(rf"^({_IDENT})?\s*([^`]+?)\s*(`.*`)?\s*(?://.*)?$")
_IMPORT = re.compile(r'^(?:import\s+)?(?:(\w+|\.)\s+)?"([^"]+)"')
_METHOD = re.compile(rf"^func\s+\(\s*(?:{_IDENT}\s+)?\*?({_IDENT})\)\s+UnmarshalJSON\(")


def comment_text(lines):
    """The lines of a comment group as go/ast's CommentGroup.Text() gives them, split
    on newlines like gengo's CommentLines (so with a trailing empty line)."""
    out = []
    for line in lines:
        body = line[2:]
        if _DIRECTIVE.match(body):  # //go:build, //nolint:... are not documentation
            continue
        if body.startswith(" "):
            body = body[1:]
        out.append(body.rstrip())
    # Drop leading and trailing blank lines, collapse runs of blank lines.
    text, blank = [], False
    for line in out:
        if not line:
            blank = bool(text)
            continue
        if blank:
            text.append("")
            blank = False
        text.append(line)
    return text + [""] if text else []


def go_string(literal):
    """The value of a Go string literal, or None for anything else."""
    literal = literal.strip()
    if len(literal) >= 2 and literal[0] == literal[-1] == "`":
        return literal[1:-1]
    if len(literal) >= 2 and literal[0] == literal[-1] == '"':
        return json.loads(literal)
    return None


class Package:
    def __init__(self, path):
        self.path = path
        self.types = {}  # name -> {"doc": [...], "kind": "struct"|"alias"|..., ...}
        self.consts = {}  # name -> (type expr or None, value or None, doc lines)
        self.const_order = []
        self.unmarshalers = set()
        self.imports = {}  # file -> {alias: path}


def _statements(source):
    """(doc comment lines, declaration lines) for the top-level type and const
    declarations of a file, with `type (` / `const (` groups expanded; struct bodies
    stay attached to their type."""
    lines = source.split("\n")
    i, doc = 0, []
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if line.startswith("//"):
            doc.append(line)
            i += 1
            continue
        if line.startswith("/*"):
            while i < len(lines) and "*/" not in lines[i]:
                i += 1
            i += 1
            doc = []
            continue
        if stripped in ("type (", "const (", "import ("):
            keyword = stripped.split()[0]
            i += 1
            inner = []
            while i < len(lines) and lines[i].strip() != ")":
                l = lines[i]
                s = l.strip()
                if s.startswith("//"):
                    inner.append("//" + s[2:])
                elif not s:
                    inner = []
                else:
                    body, i = _take_body(lines, i)
                    yield keyword, inner, body
                    inner = []
                i += 1
            i += 1
            doc = []
            continue
        for keyword in ("type ", "const ", "import ", "func "):
            if line.startswith(keyword):
                body, i = _take_body(lines, i)
                yield keyword.strip(), doc, body
                break
        doc = []
        i += 1


def _take_body(lines, i):
    """A declaration line, and with it the lines up to the closing brace when it opens
    a struct or interface body."""
    body = [lines[i]]
    if lines[i].rstrip().endswith("{") and not lines[i].startswith("func"):
        depth = lines[i].count("{") - lines[i].count("}")
        while depth > 0 and i + 1 < len(lines):
            i += 1
            body.append(lines[i])
            if not lines[i].strip().startswith("//"):  # comments may hold braces
                depth += lines[i].count("{") - lines[i].count("}")
    return body, i


def _fields(body):
    """Struct fields: (name or None when embedded, type, tag, doc lines)."""
    fields, doc = [], []
    depth = 0
    for line in body[1:-1]:
        s = line.strip()
        if depth:
            if not s.startswith("//"):
                depth += s.count("{") - s.count("}")
            continue
        if s.startswith("//"):
            doc.append("//" + s[2:])
            continue
        if not s:
            doc = []
            continue
        if s.endswith("{"):  # an anonymous struct: not in the API types
            depth = 1
            doc = []
            continue
        m = _FIELD_LINE.match(s)
        if not m:
            doc = []
            continue
        name, ty, tag = m.group(1), m.group(2).strip(), m.group(3) or ""
        parts = s.split("`")[0].split()
        if len(parts) == 1:  # embedded
            name, ty = None, parts[0]
        else:
            name, ty = parts[0], " ".join(parts[1:])
        fields.append({"name": name, "type": ty, "tag": tag.strip("`"), "doc": comment_text(doc)})
        doc = []
    return fields


def read_package(git_dir, ref, path, subdir):
    """The declarations of one Go package: `subdir` of the repository `git_dir` at
    `ref`, known to the rest as import path `path`."""
    pkg = Package(path)
    listing = subprocess.run(["git", "-C", git_dir, "ls-tree", "--name-only", f"{ref}:{subdir}"],
                             capture_output=True, text=True)
    if listing.returncode:
        return None
    for name in listing.stdout.split():
        if not name.endswith(".go") or name.endswith("_test.go") or name.startswith("zz_generated") \
                or name.endswith(".pb.go") or name.endswith("_generated.go"):
            continue
        source = subprocess.run(["git", "-C", git_dir, "show", f"{ref}:{subdir}/{name}"],
                                capture_output=True, text=True, check=True).stdout
        imports = pkg.imports.setdefault(name, {})
        for keyword, doc, body in _statements(source):
            first = body[0]
            if keyword == "import":
                m = _IMPORT.match(first.strip())
                if m:
                    imports[m.group(1) or m.group(2).rsplit("/", 1)[-1]] = m.group(2)
            elif keyword == "func":
                m = _METHOD.match(first)
                if m:
                    pkg.unmarshalers.add(m.group(1))
            elif keyword == "type":
                m = _TYPE_LINE.match(first.strip())
                if not m:
                    continue
                tname, alias, rest = m.group(1), m.group(2), m.group(3)
                entry = {"doc": comment_text(doc), "file": name, "alias": bool(alias)}
                if rest.startswith("struct"):
                    entry["kind"] = "struct"
                    entry["fields"] = _fields(body) if rest.endswith("{") else []
                elif rest.startswith("interface"):
                    entry["kind"] = "interface"
                else:
                    entry["kind"] = "named"
                    entry["underlying"] = rest
                pkg.types[tname] = entry
            elif keyword == "const":
                m = _CONST_LINE.match(first.strip())
                if not m:
                    continue
                cname, ctype, expr = m.group(1), m.group(2), m.group(3)
                value = go_string(expr)
                conv = re.match(rf"^({_IDENT}(?:\.{_IDENT})?)\((.*)\)$", expr)
                if value is None and conv and ctype is None:
                    ctype, value = conv.group(1), go_string(conv.group(2))
                if value is None and re.fullmatch(r"-?\d+", expr):
                    value = int(expr)
                elif value is None and expr in ("true", "false"):
                    value = expr == "true"
                if ctype and "." in ctype:
                    alias_, tname = ctype.split(".")
                    ctype = (imports.get(alias_, alias_), tname)
                elif ctype:
                    ctype = (path, ctype)
                pkg.consts[cname] = (ctype, value, comment_text(doc))
                pkg.const_order.append(cname)
    return pkg


def comment_tags(lines, name):
    """The values of `+name=value` markers (gengo's ExtractCommentTags)."""
    out = []
    for line in lines:
        line = line.strip()
        if not line.startswith("+"):
            continue
        key, _, value = line[1:].partition("=")
        if key == name:
            out.append(value)
    return out


class Universe:
    """The packages openapi-gen reads for one release."""

    def __init__(self, packages):
        self.packages = {p.path: p for p in packages}

    def resolve(self, pkg, file, expr):
        """(package path, type name) for a type expression without modifiers."""
        if "." in expr:
            alias, name = expr.split(".", 1)
            return pkg.imports.get(file, {}).get(alias, alias), name
        return pkg.path, expr

    def enums(self, newer_than_2022=True):
        """{(package, type): [(const name, value, comment)]} for every `+enum` string type."""
        types = {}
        for p in self.packages.values():
            for name, t in p.types.items():
                if t["kind"] == "named" and t["underlying"] == "string" and not t["alias"] \
                        and "enum" in {l.strip()[1:].split("=")[0] for l in t["doc"] if l.strip().startswith("+")}:
                    types[(p.path, name)] = []
        for p in self.packages.values():
            for cname in p.const_order:
                ctype, value, doc = p.consts[cname]
                if ctype in types and isinstance(value, str):
                    values = types[ctype]
                    comment = " ".join(doc)
                    for i, (en, ev, ec) in enumerate(values):
                        if ev == value:
                            if len(ec) < len(comment) or (len(ec) == len(comment) and ec > comment):
                                values[i] = (cname, value, comment)
                            break
                    else:
                        values.append((cname, value, comment))
        return types


def go_quote(s):
    """Go's %q for the strings enum values are (printable ASCII in practice)."""
    return json.dumps(s, ensure_ascii=False)


def enum_values(values):
    """`enum`: the values sorted as their Go-quoted forms sort (enum.go ValueStrings)."""
    return [v for _, v in sorted((go_quote(v), v) for _, v, _ in values)]


def enum_description_lines(values):
    """The lines enum.go's DescriptionLines adds to a field's comment."""
    if not values:
        return []
    lines = []
    for name, value, comment in values:
        comment = comment.strip()
        if comment.startswith(name):
            comment = comment[len(name):]
        comment = re.sub(r"\s+", " ", comment.strip())
        lines.append(f" - `{go_quote(value)}` {comment}")
    return ["", ENUM_HEADER] + sorted(lines)


def description(lines):
    """openapi.go generateDescription: comment lines to the OpenAPI description."""
    buf = ""
    for line in lines:
        if line == "---":
            break
        line = line.rstrip(" ")
        leading = line.lstrip(" ")
        if not line:
            buf = buf[:-1] + "\n\n"
        elif leading.startswith("TODO") or leading.startswith("+"):
            continue
        elif line.startswith(" ") or line.startswith("\t"):
            buf = buf[:-1] + "\n" + line + "\n"
        else:
            buf += line + " "
    return buf.strip()


BUILTIN_ZERO = {"string": "", "bool": False, "byte": 0, "int": 0, "int8": 0, "int16": 0, "int32": 0,
                "int64": 0, "uint": 0, "uint8": 0, "uint16": 0, "uint32": 0, "uint64": 0,
                "float32": 0, "float64": 0}

# The standard library types the API types embed: time.Time is a struct, time.Duration an int64.
STDLIB = {"time.Time": None, "time.Duration": "int64"}


def definition_name(path, name):
    """The OpenAPI definition name of a Go type: `k8s.io/api/apps/v1.Deployment` ->
    `io.k8s.api.apps.v1.Deployment`."""
    host, _, rest = path.partition("/")
    return ".".join(reversed(host.split("."))) + "." + rest.replace("/", ".") + "." + name


def json_name(field):
    """The JSON name of a struct field ('' when it is inlined, None when never serialized)."""
    m = re.search(r'json:"([^"]*)"', field["tag"])
    name = m.group(1).split(",")[0] if m else field["name"] or ""
    if name == "-":
        return None
    return name


def json_options(field):
    m = re.search(r'json:"([^"]*)"', field["tag"])
    return m.group(1).split(",")[1:] if m else []


class Features:
    """What the kube-openapi version a Kubernetes release vendors does with enum types:
    enums through pointers since kube-openapi 2022-11 (Kubernetes 1.27), on list items
    and map values since 2024-02 (Kubernetes 1.30)."""

    def __init__(self, minor):
        self.pointer_enums = minor >= 27
        self.item_enums = minor >= 30
        # Types with their own UnmarshalJSON (Time, Quantity, RawExtension) have no
        # enforced default since kube-openapi 2023-09 (Kubernetes 1.29).
        self.custom_json_no_default = minor >= 29


class Reader(Universe):
    def __init__(self, packages, minor):
        super().__init__(packages)
        self.features = Features(minor)
        self.enum_types = self.enums()

    def lookup(self, pkg, file, expr):
        path, name = self.resolve(pkg, file, expr)
        p = self.packages.get(path)
        if p is None:
            return None, None, None
        return p, name, p.types.get(name)

    def members(self, pkg, tname):
        """The fields of a struct with inlined embedded structs flattened, as
        (json name, field, package, file), in declaration order."""
        t = pkg.types.get(tname)
        if t and t["kind"] == "named":  # `type MatchCondition v1.MatchCondition`
            p, n, u = self.lookup(pkg, t["file"], t["underlying"])
            if u and u["kind"] in ("struct", "named"):
                yield from self.members(p, n)
            return
        if not t or t["kind"] != "struct":
            return
        for f in t["fields"]:
            name = json_name(f)
            if name is None:
                continue
            if f["name"] is None and "inline" in json_options(f) or (f["name"] is None and not name):
                p, n, _ = self.lookup(pkg, t["file"], f["type"].lstrip("*"))
                if p:
                    yield from self.members(p, n)
                continue
            yield name, f, pkg, t["file"]

    def enum_of(self, pkg, file, expr):
        """The enum values of a type expression, or None."""
        if expr.startswith("*"):
            if not self.features.pointer_enums:
                return None
            expr = expr[1:]
        if expr in BUILTIN_ZERO or expr.startswith("[") or expr.startswith("map["):
            return None
        return self.enum_types.get(self.resolve(pkg, file, expr))

    def field_enum(self, pkg, file, expr):
        """(enum of the field, enum of its items or map values)."""
        own = self.enum_of(pkg, file, expr)
        item = None
        if self.features.item_enums:
            m = re.match(r"^(?:\[\d*\]|map\[[^\]]+\])(.+)$", expr)
            if m:
                item = self.enum_of(pkg, file, m.group(1))
        return own, item

    def enforced_default(self, pkg, file, expr, omitempty):
        """openapi.go mustEnforceDefault: `{}` for a struct, the zero value of a
        non-omitempty scalar, nothing for pointers, lists, maps and custom JSON types."""
        if expr.startswith(("*", "[", "map[")) or expr.startswith("interface"):
            return None
        if expr in BUILTIN_ZERO:
            return None if omitempty else BUILTIN_ZERO[expr]
        if expr in STDLIB:
            return self.enforced_default(pkg, file, STDLIB[expr], omitempty) if STDLIB[expr] else {}
        p, name, t = self.lookup(pkg, file, expr)
        if t is None:
            raise KeyError(f"unknown type {expr} in {pkg.path}")
        if name in p.unmarshalers and t["kind"] == "struct" and self.features.custom_json_no_default:
            return None
        if t["kind"] == "named":
            return self.enforced_default(p, t["file"], t["underlying"], omitempty)
        if t["kind"] == "struct":
            fields = t["fields"]
            if len(fields) == 1 and fields[0]["name"] is None:
                return self.enforced_default(p, t["file"], fields[0]["type"], omitempty)
            return {}
        return None

    def field_default(self, pkg, file, field):
        """openapi.go generateDefault: the `+default=` marker, else the enforced default."""
        options = json_options(field)
        if "string" in options:
            return None
        tags = comment_tags(field["doc"], "default")
        if tags:
            tag = tags[0]
            m = re.match(r"^ref\(([^\"]+)\)$", tag)
            if m:
                ref = m.group(1)
                if "." in ref:
                    path, _, const = ref.rpartition(".")
                    return self.packages[path].consts[const][1]
                return pkg.consts[ref][1]
            return json.loads(tag)
        return self.enforced_default(pkg, file, field["type"], "omitempty" in options)

    def definitions(self):
        """{definition name: {json field: (field, package, file)}} for every struct."""
        out = {}
        for p in self.packages.values():
            for name, t in p.types.items():
                if t["kind"] in ("struct", "named"):
                    out[definition_name(p.path, name)] = {
                        j: (f, pk, fl) for j, f, pk, fl in self.members(p, name)}
        return out
