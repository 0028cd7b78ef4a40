"""sessionwalk.py: a session file read with PyYAML, for the benchmark's
Python side: the peer pipeline (bench/peer-python) and the extraction of the
floor programs' inputs (bench/floor-inputs).

It reads only what the benchmarks need from docs/format.md, without
validating: the workloads are valid (atelier check says so). Contributions
come out in atelier's order (at_session_walk in src/front/session.c): brainstorm
question by question, then sub-group sections in the grid's order, then kit
asks; children right after their parent.

The YAML is composed (nodes with line numbers, for the spreadsheet's Source
column) with PyYAML's C-accelerated loader when it is available: the peer
gets the fastest PyYAML there is.
"""

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BUILTIN_SECTIONS = [("practices", "Pratiques en cours / exemples, réflexions",
                     "none"),
                    ("conditions", "Autres conditions au changement", "none"),
                    ("drivers", "Les moteurs au changement", "driver"),
                    ("brakes", "Les freins", "brake")]
BUILTIN_KIND = {"practices": ("pratique", "practice"),
                "conditions": ("condition", "condition"),
                "drivers": ("moteur", "driver"),
                "brakes": ("frein", "brake")}
PHASE_LABELS = {"rotation": "Agitation d'idées en rotation",
                "subgroups": "Travail en sous-groupes",
                "plenary": "Plénière", "synthesis": "Synthèse collective",
                "other": "Autre temps"}


def mapping(node):
    return {k.value: v for k, v in node.value} if node is not None else {}


def text(node):
    return node.value if isinstance(node, ScalarNode) else None


def strs(node):
    """A text or a list of texts, as a list."""
    if node is None:
        return []
    if isinstance(node, SequenceNode):
        return [n.value for n in node.value]
    return [node.value]


def number(node, cast):
    return cast(node.value) if isinstance(node, ScalarNode) else None


class Item:
    __slots__ = ("text", "line", "items", "by", "round", "table", "weight",
                 "tags", "votes", "link", "note", "figure")

    def __init__(self, line):
        self.line = line
        self.text = self.round = self.table = self.weight = None
        self.votes = self.link = self.note = self.figure = None
        self.items, self.by, self.tags = [], [], []


def items_of(node):
    out = []
    if not isinstance(node, SequenceNode):
        return out
    for n in node.value:
        it = Item(n.start_mark.line + 1)
        if isinstance(n, ScalarNode):
            it.text = n.value
        else:
            m = mapping(n)
            if "image" in m:
                it.figure = {k: text(v) for k, v in m.items()}
            else:
                it.text = text(m.get("text"))
                it.items = items_of(m.get("items"))
                it.by = strs(m.get("by"))
                it.round = number(m.get("round"), int)
                it.table = text(m.get("table"))
                it.weight = number(m.get("weight"), float)
                it.tags = strs(m.get("tags"))
                it.votes = number(m.get("votes"), int)
                it.link = text(m.get("link"))
                it.note = text(m.get("note"))
        out.append(it)
    return out


class Session:
    """The parts of a session the reports show."""

    def __init__(self, path):
        with open(path, "rb") as f:
            root = yaml.compose(f, Loader=Loader)
        self.path = path
        top = mapping(root)
        self.top = {k: text(v) for k, v in top.items()
                    if isinstance(v, ScalarNode)}
        self.facilitators = strs(top.get("facilitators"))
        self.participants = [
            {k: text(v) for k, v in mapping(p).items()}
            for p in (top["participants"].value if "participants" in top
                      else [])]
        self.names = {p["id"]: p.get("name") or p["id"]
                      for p in self.participants}
        self.figures = [{k: text(v) for k, v in mapping(f).items()}
                        for f in (top["figures"].value
                                  if "figures" in top else [])]
        self.questions = []
        for q in top["questions"].value:
            m = mapping(q)
            self.questions.append({"id": text(m["id"]),
                                   "title": text(m["title"]),
                                   "prompts": strs(m.get("prompts"))})
        self.phases = []
        for p in (top["phases"].value if "phases" in top else []):
            m = mapping(p)
            gs = m.get("group_size")
            self.phases.append({"kind": text(m["kind"]),
                                "title": text(m.get("title")),
                                "minutes": number(m.get("minutes"), int),
                                "group_size": strs(gs),
                                "text": text(m.get("text"))})
        self.tables = {}
        for t in (top["tables"].value if "tables" in top else []):
            m = mapping(t)
            self.tables[text(m["id"])] = {k: text(v) for k, v in m.items()}
        self.sections = BUILTIN_SECTIONS
        if "sections" in top:
            self.sections = []
            for s in top["sections"].value:
                m = mapping(s)
                self.sections.append((text(m["id"]), text(m["label"]),
                                      text(m.get("force")) or "none"))
        self.brainstorm = {k: items_of(v) for k, v in
                           mapping(top.get("brainstorm")).items()}
        self.subgroups = {}
        for qid, w in mapping(top.get("subgroups")).items():
            m = mapping(w)
            groups = []
            for g in (m["groups"].value if "groups" in m else []):
                gm = mapping(g)
                secs = []
                for sid, label, force in self.sections:
                    if sid not in gm:
                        continue
                    v = gm[sid]
                    own = None
                    if isinstance(v, MappingNode):
                        sm = mapping(v)
                        own, v = text(sm.get("label")), sm.get("items")
                    secs.append((sid, own or label, force, items_of(v)))
                groups.append({"name": text(gm.get("name")),
                               "theme": text(gm.get("theme")),
                               "size": number(gm.get("size"), int),
                               "members": strs(gm.get("members")),
                               "sections": secs})
            self.subgroups[qid] = {"brief": text(m.get("brief")),
                                   "group_size": strs(m.get("group_size")),
                                   "groups": groups}
        self.kit = {}
        for qid, steps in mapping(top.get("kit")).items():
            out = []
            for st in steps.value:
                m = mapping(st)
                out.append({"step": text(m.get("step")),
                            "title": text(m.get("title")),
                            "prompt": text(m.get("prompt")),
                            "asks": items_of(m.get("asks")),
                            "expect": {k: strs(v) for k, v in
                                       mapping(m.get("expect")).items()}})
            self.kit[qid] = out

    def phase_label(self, kinds):
        for kind in kinds:
            for p in self.phases:
                if p["kind"] == kind:
                    return p["title"] or PHASE_LABELS[kind]
        return ""

    def contributions(self):
        """(origin, question, group, section, step, item, parent, depth) in
        atelier's order; section is (id, label, force, items)."""
        def walk(items, ctx, parent, depth):
            for it in items:
                if it.figure is not None:
                    continue
                yield ctx + (it, parent, depth)
                yield from walk(it.items, ctx, it, depth + 1)

        for q in self.questions:
            yield from walk(self.brainstorm.get(q["id"], []),
                            ("brainstorm", q, None, None, None), None, 0)
        for q in self.questions:
            for g in self.subgroups.get(q["id"], {}).get("groups", []):
                for sec in g["sections"]:
                    yield from walk(sec[3], ("subgroup", q, g, sec, None),
                                    None, 0)
        for q in self.questions:
            for i, st in enumerate(self.kit.get(q["id"], [])):
                yield from walk(st["asks"], ("kit", q, None, None, (i, st)),
                                None, 0)

    def markdown_texts(self):
        """Every Markdown text of the session, once: ("i", text) for
        inline Markdown, ("b", text) for blocks."""
        top = self.top
        yield "i", top["title"]
        for key in ("context", "method", "synthesis"):
            if top.get(key):
                yield "b", top[key]
        for f in self.figures:
            if f.get("caption"):
                yield "i", f["caption"]
        for q in self.questions:
            yield "i", q["title"]
            for p in q["prompts"]:
                yield "i", p
        for p in self.phases:
            if p["text"]:
                yield "b", p["text"]

        def items(its):
            for it in its:
                if it.figure is not None:
                    if it.figure.get("caption"):
                        yield "i", it.figure["caption"]
                    continue
                yield "i", it.text
                if it.note:
                    yield "b", it.note
                yield from items(it.items)

        for q in self.questions:
            yield from items(self.brainstorm.get(q["id"], []))
        for q in self.questions:
            w = self.subgroups.get(q["id"])
            if not w:
                continue
            if w["brief"]:
                yield "b", w["brief"]
            for g in w["groups"]:
                for sec in g["sections"]:
                    yield from items(sec[3])
        for q in self.questions:
            for st in self.kit.get(q["id"], []):
                for key in ("title", "prompt"):
                    if st[key]:
                        yield "i", st[key]
                yield from items(st["asks"])
