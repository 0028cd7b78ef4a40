#!/usr/bin/python3
"""gen-schema.py: writes docs/schema.json, the JSON Schema of the session
format, for editors with a YAML language server. The schema mirrors the
binder (src/front/bind*.c): change both together, then run
  /usr/bin/python3 tools/gen-schema.py > docs/schema.json
tests/e2e/test_schema.py checks that the file is up to date."""
import json
text = {"type": ["string", "number", "boolean"], "description": "Text (inline Markdown); a number is taken as written."}
md = {"type": ["string", "number", "boolean"], "description": "Markdown text."}
idt = {"type": ["string", "number"], "pattern": "^[A-Za-z0-9_-]+$", "description": "An id: letters, digits, '-' and '_'."}
def nz(desc): return {"type": "integer", "minimum": 1, "description": desc}
def lst(item, desc=None):
    d = {"anyOf": [{"type": "array", "items": item}, {"type": "null"}]}
    if desc: d["description"] = desc
    return d
rng = {"description": "[min, max] or one number.", "anyOf": [
    {"type": "integer", "minimum": 1},
    {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2}]}
texts = {"anyOf": [text, {"type": "array", "items": text}, {"type": "null"}]}
figure = {"type": "object", "additionalProperties": False, "required": ["image"],
          "properties": {"image": {"type": "string", "description": "Image path, relative to the session file."},
                         "caption": text, "alt": text}}
item = {"anyOf": [
    {"type": ["string", "number", "boolean"], "description": "A contribution (inline Markdown)."},
    {"$ref": "#/definitions/figure"},
    {"type": "object", "additionalProperties": False, "required": ["text"],
     "properties": {"text": text, "items": {"$ref": "#/definitions/items"},
                    "by": texts, "round": nz("Round where the idea was born."),
                    "table": idt, "weight": {"type": "number"}, "link": {"type": "string"},
                    "tags": texts, "votes": {"type": "integer", "minimum": 0}, "note": md}}]}
items = lst({"$ref": "#/definitions/item"}, "A list of items.")
section_value = {"anyOf": [
    {"$ref": "#/definitions/items"},
    {"type": "object", "additionalProperties": False, "required": ["items"],
     "properties": {"label": text, "items": {"$ref": "#/definitions/items"}}}]}
group_props = {"name": text, "theme": text, "size": nz("People in the group."),
               "members": texts, "figures": lst({"$ref": "#/definitions/figure"})}
def group(strict):
    g = {"type": "object", "properties": dict(group_props),
         "anyOf": [{"required": ["name"]}, {"required": ["theme"]}]}
    if strict:
        for k in ("practices", "conditions", "drivers", "brakes"):
            g["properties"][k] = {"$ref": "#/definitions/section_value"}
        g["additionalProperties"] = False
    else:
        g["additionalProperties"] = {"$ref": "#/definitions/section_value"}
    return g
def subgroups(gref):
    return {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": False,
        "properties": {"brief": md, "group_size": {"$ref": "#/definitions/range"},
                       "groups": {"type": "array", "items": {"$ref": gref}}}}}
step = {"type": "object", "additionalProperties": False, "properties": {
    "step": text, "title": text, "prompt": text, "asks": {"$ref": "#/definitions/items"},
    "expect": {"type": "object", "additionalProperties": {"$ref": "#/definitions/range"}}}}
schema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://atelier.invalid/schema/session-1.json",
  "title": "atelier session (format version 1)",
  "description": "A participatory workshop, as written for atelier. See docs/format.md.",
  "type": "object",
  "additionalProperties": False,
  "required": ["atelier", "title", "date", "questions"],
  "definitions": {"figure": figure, "item": item, "items": items, "range": rng,
                  "section_value": section_value, "group": group(True), "group_custom": group(False)},
  "properties": {
    "atelier": {"const": 1, "description": "Format version: 1."},
    "lang": {"enum": ["fr", "en"], "description": "Language of the report's labels (default fr)."},
    "title": text, "subtitle": text, "organiser": text,
    "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD."},
    "place": text, "facilitators": texts,
    "participants": lst({"type": "object", "additionalProperties": False, "required": ["id", "name"],
                         "properties": {"id": idt, "name": text, "organisation": text, "role": text}}),
    "attendance": {"type": "integer", "minimum": 0, "description": "Head count."},
    "context": md, "figures": lst({"$ref": "#/definitions/figure"}),
    "questions": {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "title"],
        "properties": {"id": idt, "title": text, "prompts": texts}}},
    "method": md,
    "phases": lst({"type": "object", "additionalProperties": False, "required": ["kind"],
                   "properties": {"kind": {"enum": ["rotation", "subgroups", "plenary", "synthesis", "other"]},
                                  "title": text, "minutes": nz("Duration."),
                                  "group_size": {"$ref": "#/definitions/range"}, "text": md}}),
    "tables": lst({"type": "object", "additionalProperties": False, "required": ["id"],
                   "properties": {"id": idt, "name": text, "host": text}}),
    "rounds": lst({"type": "object", "additionalProperties": False,
                   "properties": {"minutes": nz("Duration."),
                                  "tables": {"type": "object", "additionalProperties": texts}}}),
    "sections": lst({"type": "object", "additionalProperties": False, "required": ["id", "label"],
                     "properties": {"id": idt, "label": text,
                                    "force": {"enum": ["driver", "brake", "none"]}}}),
    "brainstorm": {"type": ["object", "null"], "additionalProperties": {"$ref": "#/definitions/items"}},
    "subgroups": {"type": ["object", "null"]},
    "kit": {"type": ["object", "null"], "additionalProperties": {"type": "array", "items": step}},
    "synthesis": md,
  },
  # Without a custom grid a sub-group holds the four built-in sections only,
  # so a typo such as 'brakess' is caught; with one, its ids are free.
  "if": {"required": ["sections"], "properties": {"sections": {"type": "array"}}},
  "then": {"properties": {"subgroups": {"anyOf": [subgroups("#/definitions/group_custom"), {"type": "null"}]}}},
  "else": {"properties": {"subgroups": {"anyOf": [subgroups("#/definitions/group"), {"type": "null"}]}}},
}
# atelier reads an empty value (`key:` or `~`) of an optional key as absent.
def nullable(d):
    return {"anyOf": [d, {"type": "null"}]} if "anyOf" not in d or {"type": "null"} not in d["anyOf"] else d
def optional_null(obj):
    if isinstance(obj, dict):
        props = obj.get("properties")
        if isinstance(props, dict):
            req = set(obj.get("required", []))
            for k in list(props):
                if k not in req:
                    props[k] = nullable(props[k])
        for v in obj.values():
            optional_null(v)
    elif isinstance(obj, list):
        for v in obj:
            optional_null(v)
optional_null(schema)
print(json.dumps(schema, indent=2, ensure_ascii=False))
