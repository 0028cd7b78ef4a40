"""test_schema.py: the JSON Schema that editors use agrees with atelier:
it is the one `atelier schema` prints, it is up to date with its generator,
every valid session passes it, and structural mistakes fail it."""
import glob
import json
import os
import subprocess

import jsonschema
import yaml


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as an editor's language server sees it: dates stay text. On
    libyaml's parser, when PyYAML has it, so that it reads what atelier
    reads."""


_Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(path_or_text, is_text=False):
    if is_text:
        return yaml.load(path_or_text, Loader=_Loader)
    with open(path_or_text, encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)


def validator(ctx):
    p = ctx.run("schema")
    assert p.returncode == 0
    schema = json.loads(p.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_schema_is_the_documented_one_and_up_to_date(ctx):
    p = ctx.run("schema")
    with open(ctx.path("docs", "schema.json"), encoding="utf-8") as f:
        assert p.stdout == f.read()
    gen = subprocess.run(["/usr/bin/python3", ctx.path("tools", "gen-schema.py")],
                         capture_output=True, text=True, check=True)
    assert gen.stdout == p.stdout, "run tools/gen-schema.py > docs/schema.json"


def test_valid_sessions_pass_the_schema(ctx):
    v = validator(ctx)
    files = [ctx.path("examples", "moulins-2016", "session.yaml"),
             ctx.path("src", "cli", "template.yaml")]
    files += sorted(glob.glob(ctx.path("tests", "valid", "*.yaml")))
    for f in files:
        p = ctx.run("check", f)
        if p.returncode != 0:
            continue  # only what atelier accepts must pass
        errors = [e.message for e in v.iter_errors(load(f))]
        assert not errors, "%s: %s" % (os.path.basename(f), errors[:3])


# Structural mistakes a schema can see: each fails both atelier and the schema.
STRUCTURAL = {
    "typo in a sub-group key": ("brakes:", "brakess:"),
    "unknown top-level key": ("synthesis:", "synthese:"),
    "list where a mapping is expected": ("subgroups:\n  q1:", "subgroups:\n- q1:"),
    "text where a number is expected": ("size: 5", "size: five"),
    "wrong phase kind": ("kind: rotation", "kind: rotating"),
    "missing required title": ('title: "How can our town welcome new residents?"\n', ""),
    "bad format version": ("atelier: 1", "atelier: 2"),
    "unknown item key": ("weight: 3", "wieght: 3"),
}


def test_structural_errors_fail_the_schema_too(ctx):
    v = validator(ctx)
    with open(ctx.path("src", "cli", "template.yaml"), encoding="utf-8") as f:
        template = f.read()
    d = ctx.tmpdir()
    for name, (old, new) in STRUCTURAL.items():
        assert old in template, name
        text = template.replace(old, new, 1)
        path = os.path.join(d, "s.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        assert ctx.run("check", path).returncode == 1, name
        assert list(v.iter_errors(load(text, True))), "schema accepts: " + name


STRUCTURAL_MESSAGES = ("unknown key", "missing required key", "expected ")


def test_structural_errors_of_the_corpus_fail_the_schema(ctx):
    """Every file of tests/invalid/ whose problems are all structural (an
    unknown or missing key, a wrong type) fails the schema as well: an
    editor flags what `atelier check` would."""
    v = validator(ctx)
    checked = 0
    for exp in sorted(glob.glob(ctx.path("tests", "invalid", "*.expected"))):
        with open(exp, encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines()
                     if l and not l.startswith(("#", "exit:", "args:", "  ^"))]
        errors = [l for l in lines if ": error: " in l]
        if not errors or not all(any(m in l for m in STRUCTURAL_MESSAGES) for l in errors):
            continue
        try:
            doc = load(exp[:-len(".expected")] + ".yaml")
        except yaml.YAMLError:
            continue  # not YAML at all: libyaml's own errors, not the schema's
        if not isinstance(doc, dict):
            assert list(v.iter_errors(doc)), exp
            checked += 1
            continue
        assert list(v.iter_errors(doc)), "schema accepts " + os.path.basename(exp)
        checked += 1
    assert checked >= 5, "the corpus should hold structural cases (found %d)" % checked
