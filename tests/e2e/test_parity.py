"""test_parity.py: the Markdown and the HTML compte-rendu say the same
thing. Both render one outline (src/report/outline.c); this test renders the
example, a session exercising every fact an item can carry (authors,
round and table, votes, weight, tags, link, note, nested items, figures)
on the built-in grid, and a declared grid with and without forces, in md
and html; it strips the markup of both and requires, in document order:

- the same parts, numbered alike;
- every item's text and facts in the same words (its note's words too);
- every group's heading, details and sections;
- every kit step's head, and what it expected;
- every count either format writes (sizes, minutes, votes, attendance);
- every figure's caption."""
import html.parser
import os
import re
import shutil

from helpers import copy_example_inputs, write

FIGURE = "examples/moulins-2016/agrilocal63.svg"


def build(ctx, path, *extra):
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "md,html", "-o", out, *extra, path)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(path))[0]
    got = []
    for ext in ("md", "html"):
        with open(os.path.join(out, stem + "." + ext), encoding="utf-8") as f:
            got.append(f.read())
    return got


def words(s):
    """The words of a text, markup and punctuation aside."""
    return re.findall(r"\w+(?:[.'’]\w+)*", s.replace("\u00a0", " "))


def md_plain(s):
    """Markdown inline text as its reader sees it."""
    s = re.sub(r"!\[((?:\\.|[^\]])*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[((?:\\.|[^\]])*)\]\((?:\\.|[^)])*\)", r"\1", s)
    s = re.sub(r"<((?:https?|mailto):[^>\s]*)>", r"\1", s)
    # escaped marks are text: set aside while emphasis marks go
    s = re.sub(r"\\(.)", lambda m: "\uE000%04x" % ord(m.group(1)), s)
    s = re.sub(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`)", "", s)
    s = re.sub("\uE000([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), s)
    return " ".join(s.split())


def squash(s):
    return " ".join(s.replace("\u00a0", " ").split())


# ---- the Markdown, read line by line ----

class MdReport:
    def __init__(self, md):
        self.parts, self.items, self.groups, self.sections = [], [], [], []
        self.details, self.steps, self.expects, self.captions = [], [], [], []
        self.notes = []
        part = None
        lines = md.split("\n")
        self.caption_next = False
        for line in lines:
            m = re.match(r"## (.*)", line)
            if m:
                part = md_plain(m.group(1))
                self.parts.append(part)
                continue
            # setting up (prompts, tables) and the annex hold no items
            if len(self.parts) < 2 or part.split(". ", 1)[1] in ANNEX:
                continue
            self.read_line(line)

    def read_line(self, line):
        if self.caption_next and line.strip():
            self.caption_next = False
            cap = line.strip()
            if re.fullmatch(r"\*.*\*", cap):
                self.captions.append(md_plain(cap))
                return
        if line.lstrip().startswith("- ![") or line.startswith("!["):
            self.caption_next = True
            return
        m = re.match(r"( *)- (.*)", line)
        if m:
            text, facts = m.group(2), ""
            f = re.search(r" \*\(((?:\\.|[^)]|\)(?!\*$))*)\)\*$", text)
            if f:
                text, facts = text[:f.start()], f.group(1)
            self.items.append((md_plain(text), md_plain(facts)))
        elif re.match(r"\s*> \*note\*", line):
            self.notes.append(words(md_plain(line.split(":", 1)[1])))
        elif line.startswith("#### ") and self.parts[-1].split(
                ". ", 1)[1] in SUBGROUPS:
            self.groups.append(md_plain(line[5:]))
        elif re.fullmatch(r"\*\*[^*]+\*\*", line):
            self.sections.append(md_plain(line))
        elif re.match(r"\*[^*].*\*$", line) and self.groups and \
                not line.startswith("*" + EXPECT[0]) and \
                not line.startswith("*" + EXPECT[1]):
            self.details.append(md_plain(line))
        elif re.match(r"\*\*(Step|Temps)", line):
            self.steps.append(md_plain(line))
        elif re.match(r"\*(attendu|expected)", line):
            self.expects.extend(md_plain(line).split(" · "))


SUBGROUPS = ("Travail en sous-groupes", "Sub-group work")
VOID = {"img", "br", "meta", "hr", "input", "link"}
ANNEX = ("Annexe : liste des présents", "Annex: list of participants")
EXPECT = ("attendu", "expected")


# ---- the HTML, read as a tree ----

class HtmlReport(html.parser.HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.parts, self.items, self.groups, self.sections = [], [], [], []
        self.details, self.steps, self.expects, self.captions = [], [], [], []
        self.notes = []
        self.stack = []      # (tag, class)
        self.li = []         # open item records: [text parts, meta parts]
        self.grab = None     # (list, parts) being captured
        self.feed(page)

    def classes(self):
        return [c for _, c in self.stack]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        cls = dict(attrs).get("class") or ""
        parent = self.stack[-1] if self.stack else ("", "")
        self.stack.append((tag, cls))
        if tag in ("svg", "style", "nav"):
            return
        if tag == "li" and parent == ("ul", "items") and cls != "fig":
            self.items.append(None)
            self.li.append([[], [], len(self.items) - 1, len(self.stack)])
        elif tag == "h2" and "part" in parent[1]:
            self.start(self.parts)
        elif tag == "h4" and "group" in parent[1]:
            self.start(self.groups)
        elif tag == "h5":
            self.start(self.sections)
        elif tag == "p" and cls == "meta" and parent[1] == "group":
            self.start(self.details)
        elif tag == "p" and cls == "step-head":
            self.start(self.steps)
        elif tag == "li" and parent[1] == "expect":
            self.start(self.expects)
        elif tag == "figcaption" and "figure" in parent[1]:
            self.start(self.captions)
        elif tag == "div" and cls == "note":
            self.start(self.notes)

    def start(self, where):
        self.grab = (where, [], len(self.stack))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            depth = len(self.stack)
            t, cls = self.stack.pop()
            if self.grab and len(self.stack) < self.grab[2]:
                where, parts, _ = self.grab
                text = squash("".join(parts))
                if where is self.notes:  # its label aside
                    where.append(words(" ".join(parts))[1:])
                else:
                    where.append(text)
                self.grab = None
            if self.li and self.li[-1][3] == depth:
                text, meta, idx, _ = self.li.pop()
                self.items[idx] = (squash("".join(text)),
                                   squash("".join(meta)))
            if t == tag:
                break

    def handle_data(self, data):
        if any(t in ("svg", "style", "nav") for t, _ in self.stack):
            return
        if self.grab:
            self.grab[1].append(data)
        if not self.li:
            return
        # the innermost item's own text: not its children, nor its note
        inner = self.stack[self.li[-1][3]:]
        if any(t == "ul" or c == "note" for t, c in inner):
            return
        if any(c == "meta" for _, c in inner):
            self.li[-1][1].append(data)
        else:
            self.li[-1][0].append(data)


COUNTS = re.compile(r"\b\d+ (?:people|personnes|participants|votes?|min)\b"
                    r"|(?:groups|groupes) of \d+ to \d+ people"
                    r"|(?:groupes) de \d+ à \d+ personnes")


def counts(text):
    return COUNTS.findall(squash(text))


def assert_same(ctx, path, *extra):
    md, page = build(ctx, path, *extra)
    m, h = MdReport(md), HtmlReport(page)
    assert m.parts == h.parts, (m.parts, h.parts)
    assert len(m.items) == len(h.items), (len(m.items), len(h.items))
    for a, b in zip(m.items, h.items):
        assert a == b, (path, a, b)
    for what in ("groups", "sections", "details", "steps", "expects",
                 "captions", "notes"):
        assert getattr(m, what) == getattr(h, what), \
            (path, what, getattr(m, what), getattr(h, what))
    # every count either writes, in the same order
    body = page[page.index("<main>"):]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    body = re.sub(r'<figcaption class="ff-legend">.*?</figcaption>', " ",
                  body, flags=re.S)
    assert counts(md_plain(md)) == counts(
        html.unescape(re.sub(r"<[^>]+>", " ", body))), path
    return m, h


def test_parity_example(ctx):
    d = ctx.tmpdir()
    path = copy_example_inputs(ctx, d)
    m, h = assert_same(ctx, path)
    assert len(m.items) > 130 and len(m.groups) == 5 and len(m.steps) == 4
    assert len(m.captions) == 1
    m, h = assert_same(ctx, path, "--lang=en")
    assert m.parts[0] == "1. Setting up the workshop"


RICH = """atelier: 1
lang: en
title: Every fact
date: 2024-05-02
participants:
  - {id: jm, name: Jeanne Martin}
  - {id: pd, name: "Paul *Durand*"}
attendance: 18
questions:
  - {id: q1, title: One}
  - {id: q2, title: Two}
phases:
  - {kind: rotation, minutes: 20}
  - {kind: subgroups, group_size: [2, 4]}
tables:
  - {id: A}
  - {id: t2, name: Green table, host: Jeanne Martin}
rounds:
  - {minutes: 20, tables: {q1: [A, t2], q2: t2}}
  - {minutes: 15, tables: {q2: A}}
brainstorm:
  q1:
    - text: Car pooling
      by: [jm, pd]
      round: 1
      table: A
      votes: 7
      weight: 2.5
      tags: [mobility, cost]
      link: https://example.org/plan
      note: Taken up by **two** tables.
      items:
        - text: Along the main road
          by: [pd]
          round: 2
          table: t2
          votes: 1
          items:
            - {text: "Third level, *deep*", tags: [x]}
        - image: fig.svg
          caption: A **map** of it
    - {text: Bus, link: "javascript:alert(1)", weight: 0.5}
  q2:
    - {text: Trains, table: t2}
    - {text: Bikes, round: 2}
subgroups:
  q1:
    group_size: [2, 4]
    groups:
      - name: Group A
        theme: Roads
        size: 3
        members: [jm, pd]
        practices:
          - {text: Walking bus, votes: 2}
        conditions: [Funding]
        drivers:
          - {text: Petrol prices, weight: 2, items: [In winter]}
        brakes:
          label: "Brakes we saw:"
          items: [Habits]
        figures:
          - {image: fig.svg, caption: The sheet}
      - theme: Only practices
        practices: [Car sharing]
kit:
  q1:
    - step: Step 1
      title: "What now…"
      prompt: Say it
      asks: [List **three**]
      expect: {drivers: [3, 5], brakes: [1, 2]}
    - {step: Step 2, title: Plain, prompt: Go on}
synthesis: The groups agree.
"""


def rich(ctx, text):
    d = ctx.tmpdir()
    shutil.copy(ctx.path(FIGURE), os.path.join(d, "fig.svg"))
    return write(os.path.join(d, "s.yaml"), text)


def test_parity_every_item_fact_on_the_builtin_grid(ctx):
    path = rich(ctx, RICH)
    m, h = assert_same(ctx, path)
    facts = dict(m.items)
    assert facts["Car pooling"] == (
        "by Jeanne Martin, Paul *Durand* · round 1, table A · 7 votes · "
        "weight: 2.5 · tags: mobility, cost · link"), facts
    assert facts["Along the main road"] == \
        "by Paul *Durand* · round 2, Green table · 1 vote"
    assert facts["Third level, deep"] == "tags: x"
    assert facts["Bus"] == "weight: 0.5"   # the refused link left out
    assert facts["Trains"] == "Green table" and facts["Bikes"] == "round 2"
    assert m.notes == [["Taken", "up", "by", "two", "tables"]]
    assert m.captions == ["A map of it", "The sheet"]
    assert m.groups == ["Group A — Roads", "Only practices"]
    assert m.details == ["3 people · Members: Jeanne Martin, Paul *Durand*"]
    assert m.steps == ["Step 1: What now… Say it", "Step 2: Plain: Go on"]
    assert m.expects == ["expected: Drivers of change, 3 to 5",
                         "expected: Brakes, 1 to 2"]
    assert [p.split(". ", 1)[1] for p in m.parts] == [
        "Setting up the workshop", "Key ideas: brainstorming",
        "Sub-group work", "Synthesis", "How the group work was organised",
        "Annex: list of participants"]
    m, h = assert_same(ctx, path, "--lang=fr")
    assert dict(m.items)["Car pooling"].startswith(
        "par Jeanne Martin, Paul *Durand* · tour 1, table A · 7 votes · "
        "poids : 2.5 · mots-clés : mobility, cost · lien")


DECLARED = """atelier: 1
lang: fr
title: Restitution
date: 2024-05-02
questions: [{id: q1, title: Qu'avons-nous appris ?}]
sections:
  - {id: retours, label: 3 retours principaux FORCE}
  - {id: etonnement, label: "Rapport d'étonnement"}
  - {id: analyse, label: Analyse}
  - {id: propositions, label: Propositions}
subgroups:
  q1:
    groups:
      - name: Groupe 1
        size: 4
        retours: [{text: Un retour, votes: 3}, Un autre]
        etonnement: [Surpris]
        analyse: [{text: Une analyse, items: [Un détail]}]
        propositions: [Une proposition]
      - name: Groupe 2
        retours: [Seul]
        propositions: [Deux]
kit:
  q1:
    - step: Temps 1
      title: Comment faire autrement ?
      prompt: Quelles conditions
      expect: {retours: [3, 3]}
"""


def test_parity_declared_grid_with_and_without_forces(ctx):
    for force in ("", ", force: driver"):
        text = DECLARED.replace(" FORCE}", force + "}")
        m, h = assert_same(ctx, rich(ctx, text))
        assert m.sections == ["3 retours principaux", "Rapport d'étonnement",
                              "Analyse", "Propositions",
                              "3 retours principaux", "Propositions"]
        assert m.steps == ["Temps 1 : Comment faire autrement ? "
                           "Quelles conditions"]
        assert m.expects == ["attendu : 3 retours principaux de 3 à 3"]
        assert dict(m.items)["Un retour"] == "3 votes"
