"""test_forcefield.py: the force field of the HTML compte-rendu (issue 13,
findings 4, 7 and 9): counted by the one rule (every depth, as the Forces
sheet counts), drawn only for a grid and a question that have forces, every
word of every force shown as text that wraps, within 390 px, no row for a
group without forces, a heading that reads as words, weights as arrow
lengths. The figure is read back from the page's markup: one
figure.ff per question, a p.ff-name per group, a div.ff-side (ff-d, ff-b)
per side, one span.ff-force per force, its arrow's length in --w."""
import html.parser
import os
import re

import openpyxl

from helpers import RESTITUTION_SECTIONS, copy_example_inputs, skip_valgrind, write


# ---- reading the figure back ----

class Figures(html.parser.HTMLParser):
    """The force-field figures of a page: [{id, caption, groups: [{name,
    d: [(depth, text, w)], b: [...], heads: [...]}]}], the page's text
    outside any SVG <title> (what paper and phones show), all of it and
    inside the figures, and the style sheet."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.figures, self.style, self.shown = [], "", []
        self.shown_ff = []       # the same, inside the figures
        self.styles_in_ff = []   # every style attribute inside a figure
        self.tags_in_ff = []
        self._stack = []         # open tags: (tag, classes)
        self._fig = self._group = self._side = self._force = None
        self._text = None        # where the text goes, a list
        self._depth = 0          # ul nesting inside a side
        self._span = 0           # spans open inside a force
        self._in_title = 0
        self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        self._stack.append(tag)
        if tag == "title":
            self._in_title += 1
        if tag == "style":
            self._in_style = True
        if self._fig is not None:
            self.tags_in_ff.append(tag)
            if "style" in a:
                self.styles_in_ff.append(a["style"])
        if tag == "figure" and "ff" in cls:
            self._fig = {"id": a.get("id"), "caption": [], "groups": []}
            self.figures.append(self._fig)
        elif self._fig is None:
            return
        elif tag == "figcaption":
            self._text = self._fig["caption"]
        elif tag == "div" and "ff-group" in cls:
            self._group = {"name": [], "d": [], "b": [], "heads": []}
            self._fig["groups"].append(self._group)
        elif tag == "p" and "ff-name" in cls:
            self._text = self._group["name"]
        elif tag == "div" and "ff-side" in cls:
            self._side = self._group["d" if "ff-d" in cls else "b"]
            self._depth = 0
        elif tag == "p" and "ff-head" in cls:
            self._group["heads"].append([])
            self._text = self._group["heads"][-1]
        elif tag == "ul" and self._side is not None:
            self._depth += 1
        elif tag == "span" and "ff-force" in cls:
            w = re.fullmatch(r"--w:([0-9.]+)%", a.get("style", ""))
            self._force = [self._depth - 1, [], float(w.group(1)) if w else None]
            self._side.append(self._force)
            self._text = self._force[1]
            self._span = 1
        elif tag == "span" and self._force is not None:
            self._span += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title -= 1
        if tag == "style":
            self._in_style = False
        if self._fig is None:
            return
        if tag == "figure":
            self._fig = None
        elif tag in ("figcaption", "p"):
            self._text = None
        elif tag == "div" and self._side is not None and self._depth == 0:
            self._side = None
        elif tag == "ul" and self._side is not None:
            self._depth -= 1
        elif tag == "span" and self._force is not None:
            self._span -= 1
            if not self._span:
                self._force, self._text = None, None

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        if not self._in_title:
            self.shown.append(data)
            if self._fig is not None:
                self.shown_ff.append(data)
        if self._text is not None:
            self._text.append(data)


def words(parts):
    """Text as read: no-break spaces as spaces, runs of space as one."""
    return " ".join("".join(parts).replace("\u00a0", " ").split())


def figures(text):
    """[(id, caption, [(name, drivers, brakes, heads)])] with each side as
    [(depth, text, w)]."""
    page = Figures(text)
    out = []
    for f in page.figures:
        groups = [(words(g["name"]),
                   [(d, words(t), w) for d, t, w in g["d"]],
                   [(d, words(t), w) for d, t, w in g["b"]],
                   [words(h) for h in g["heads"]]) for g in f["groups"]]
        out.append((f["id"], words(f["caption"]), groups))
    return out


def build(ctx, text, fmt="html", name="s.yaml"):
    """Builds a session written in a temp dir; returns the output path."""
    d = ctx.tmpdir()
    path = write(os.path.join(d, name), text)
    out = os.path.join(d, "out")
    p = ctx.run("build", "-f", fmt, "-o", out, path)
    assert p.returncode == 0, p.stderr
    return os.path.join(out, "s." + fmt)


def page_of(ctx, text):
    with open(build(ctx, text), encoding="utf-8") as f:
        return f.read()


# ---- sessions ----

# A driver with two children (3 drivers), a brake, a group with no force,
# and a question whose groups gave none.
DEPTH = """atelier: 1
lang: LANG
title: Depth
date: 2024-05-02
questions:
  - {id: q1, title: One}
  - {id: q2, title: Two}
subgroups:
  q1:
    groups:
      - name: Group A
        drivers:
          - text: Parent driver
            items: [Child one, Child two]
        brakes: [A brake]
      - name: Group B
        practices: [Bus]
  q2:
    groups:
      - name: Group C
        practices: [Walk]
"""

LONG = ("Un moteur de deux cents caractères, recopié mot pour mot du "
        "paperboard : les élus, les techniciens et les habitants du bourg veulent "
        "travailler ensemble sur un projet commun, anticonstitutionnellement")
assert len(LONG) == 200

LONG_SESSION = """atelier: 1
title: Long
date: 2024-05-02
questions: [{id: q1, title: Un}]
subgroups:
  q1:
    groups:
      - name: Groupe A
        drivers:
          - {text: "LONG", weight: 4}
          - {text: Court, weight: 1}
          - text: Parent
            weight: 2
            items: [{text: Enfant, weight: 0.5}]
        brakes: [Un frein sans poids]
""".replace("LONG", LONG)

# The grid of a real restitution: four sections, none of them a force.
NO_FORCES = """atelier: 1
title: Restitution
date: 2024-05-02
questions: [{id: q1, title: Que retenir ?}]
SECTIONSsubgroups:
  q1:
    groups:
      - name: Groupe A
        retours: [Un, Deux, Trois]
        etonnement: [Surprise]
        analyse: [Une analyse]
        propositions: [Une proposition]
""".replace("SECTIONS", RESTITUTION_SECTIONS)


# ---- finding 4: counts by the one rule ----

def test_finding_4_forces_counted_at_every_depth(ctx):
    """One driver with two children is three drivers, in the caption, in
    the group's line and in the arrows drawn, as the Forces sheet of the
    workbook counts them."""
    text = page_of(ctx, DEPTH.replace("LANG", "en"))
    assert "Group A: 3 drivers, 1 brake" in words(Figures(text).shown)
    figs = figures(text)
    assert len(figs) == 1
    fid, caption, groups = figs[0]
    assert caption.startswith("Force field — Question 1. 3 drivers, 1 brake."), caption
    name, drivers, brakes, heads = groups[0]
    assert name == "Group A: 3 drivers, 1 brake"
    assert [(d, t) for d, t, _ in drivers] == [
        (0, "Parent driver"), (1, "Child one"), (1, "Child two")]
    assert [(d, t) for d, t, _ in brakes] == [(0, "A brake")]
    wb = openpyxl.load_workbook(build(ctx, DEPTH.replace("LANG", "en"), "xlsx"))
    ws = wb["Force field"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    row = [dict(zip(head, r)) for r in rows[1:]
           if r[head.index("Sub-group")] == "Group A"][0]
    assert (row["Drivers"], row["Brakes"]) == (len(drivers), len(brakes))


def yaml_counts(path):
    """{question id: [(group, drivers, brakes)]} counted from the YAML at
    every depth, figures excluded, for the groups that have a force."""
    import yaml
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)

    def count(items):
        n = 0
        for it in items or []:
            if isinstance(it, dict) and "image" in it:
                continue
            n += 1
            if isinstance(it, dict):
                n += count(it.get("items"))
        return n

    out = {}
    for qid, work in doc["subgroups"].items():
        rows = []
        for g in work.get("groups", []):
            n = []
            for key in ("drivers", "brakes"):
                v = g.get(key, [])
                n.append(count(v["items"] if isinstance(v, dict) else v))
            if any(n):
                rows.append((g.get("name") or g.get("theme"), n[0], n[1]))
        out[qid] = rows
    return out


def test_finding_4_example_counts_match_the_session(ctx):
    """On the example, each figure's groups and counts are the YAML's,
    counted at every depth, and as many arrows are drawn."""
    session = copy_example_inputs(ctx, ctx.tmpdir())
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "html", "-o", out, session)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, "session.html"), encoding="utf-8") as f:
        figs = figures(f.read())
    want = yaml_counts(session)
    assert [f[0] for f in figs] == ["ff-1", "ff-2"]
    for (fid, caption, groups), qid in zip(figs, ("q1", "q2")):
        got = []
        for name, drivers, brakes, _ in groups:
            m = re.fullmatch(r"(.+) : (\d+) moteurs?, (\d+) freins?", name)
            assert m, name
            got.append((m.group(1), int(m.group(2)), int(m.group(3))))
            assert (len(drivers), len(brakes)) == got[-1][1:]
        assert got == want[qid]
        nd, nb = sum(g[1] for g in got), sum(g[2] for g in got)
        assert " %d moteur%s, %d frein%s." % (
            nd, "s" if nd > 1 else "", nb, "s" if nb > 1 else "") in caption


# ---- finding 7: no forces, no force field ----

def test_finding_7_no_force_field_without_forces(ctx):
    """A grid that declares no force gets no force field and no word of
    one; with the built-in grid, a question whose groups gave no driver
    and no brake gets none either."""
    text = page_of(ctx, NO_FORCES)
    assert figures(text) == []
    for word in ("Champ de forces", "moteur", "frein", 'class="ff'):
        assert word not in text, word
    figs = figures(page_of(ctx, DEPTH.replace("LANG", "en")))
    assert [f[0] for f in figs] == ["ff-1"]  # q2 has none


# ---- finding 9: a figure for phones and paper ----

def test_finding_9_no_row_for_a_group_without_forces(ctx):
    """Group B gave practices only: no row, no '0 drivers, 0 brakes'; a
    group with brakes only shows no empty drivers' side."""
    text = page_of(ctx, DEPTH.replace("LANG", "en"))
    assert "0 drivers, 0 brakes" not in words(Figures(text).shown)
    _, _, groups = figures(text)[0]
    assert [g[0] for g in groups] == ["Group A: 3 drivers, 1 brake"]
    fig = text[text.index('<figure class="ff"'):text.index("</figure>")]
    assert "Group B" not in fig and "0 drivers, 0 brakes" not in fig
    only_brakes = DEPTH.replace("LANG", "en").replace(
        "        drivers:\n          - text: Parent driver\n"
        "            items: [Child one, Child two]\n", "")
    name, drivers, brakes, heads = figures(page_of(ctx, only_brakes))[0][2][0]
    assert (name, drivers, heads) == ("Group A: 0 drivers, 1 brake", [], ["Brakes"])


def test_finding_9_every_word_of_a_long_force_is_shown(ctx):
    """A 200-character force is on the page whole, as text that paper and
    phones show (not only in an SVG <title>), with no ellipsis; so is its
    weight."""
    text = page_of(ctx, LONG_SESSION)
    page = Figures(text)
    assert LONG in words(page.shown_ff)
    _, caption, groups = figures(text)[0]
    drivers = groups[0][1]
    assert drivers[0][1] == LONG + " poids 4"
    assert not any("\u2026" in t for _, t, _ in drivers)
    assert "svg" not in page.tags_in_ff and "title" not in page.tags_in_ff


def test_finding_9_heading_reads_as_words(ctx):
    """The figure opens with its title and its counts written out; each
    side is headed by its name alone; no arrow glyphs, no '(0)'."""
    text = page_of(ctx, LONG_SESSION)
    fig = text[text.index('<figure class="ff"'):text.index("</figure>")]
    for glyph in ("\u2192", "\u2190", "(0)", "(4)"):
        assert glyph not in fig, glyph
    _, caption, groups = figures(text)[0]
    assert caption.startswith("Champ de forces — Question 1. 4 moteurs, 1 frein. "), caption
    assert groups[0][0] == "Groupe A : 4 moteurs, 1 frein"
    assert groups[0][3] == ["Moteurs", "Freins"]


def px(value, unit):
    return float(value) * (16 if unit in ("rem", "em") else 1)


def test_finding_9_fits_a_390px_screen(ctx):
    """No rule of the figure sets a width, a minimum width or a column
    wider than 390 px, none scrolls sideways, and a narrow screen stacks
    the brakes under the drivers; inside the figure, no SVG with its own
    coordinates and no style but an arrow's length in percent."""
    text = page_of(ctx, LONG_SESSION)
    page = Figures(text)
    rules = re.findall(r"([^{}]*)\{([^{}]*)\}", page.style)
    ff_rules = [(sel, body) for sel, body in rules if "ff" in sel]
    assert ff_rules
    for sel, body in ff_rules:
        for prop, val in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            if prop in ("width", "min-width", "flex-basis",
                        "grid-template-columns", "grid-auto-columns"):
                for n, unit in re.findall(r"([\d.]+)(px|rem|em)\b", val):
                    assert px(n, unit) <= 390, (sel, prop, val)
            if prop.startswith("overflow"):
                assert "auto" not in val and "scroll" not in val, (sel, val)
    narrow = re.search(r"@media screen and \(max-width:([\d.]+)rem\)\{(.*?)\}\n",
                       page.style, re.S)
    assert narrow and px(narrow.group(1), "rem") >= 390
    assert ".ff-group{grid-template-columns:minmax(0,1fr)}" in narrow.group(2)
    assert ".ff-b{grid-column:1" in narrow.group(2)
    assert page.styles_in_ff and all(
        re.fullmatch(r"--w:\d+(\.\d)?%", s) for s in page.styles_in_ff)
    assert "svg" not in page.tags_in_ff


# ---- weights, tidy ----

def test_arrows_follow_weights(ctx):
    """An arrow's length is its force's weight (1 when none is given) over
    the question's largest, at every depth; a tiny one keeps a visible
    minimum."""
    _, _, groups = figures(page_of(ctx, LONG_SESSION))[0]
    _, drivers, brakes, _ = groups[0]
    assert [w for _, _, w in drivers] == [100.0, 25.0, 50.0, 12.5]
    assert [d for d, _, _ in drivers] == [0, 0, 0, 1]
    assert [w for _, _, w in brakes] == [25.0]


@skip_valgrind
def test_tidy_accepts_the_figure(ctx):
    """The figure is valid HTML (tidy: no error, no warning)."""
    import subprocess
    for text in (LONG_SESSION, DEPTH.replace("LANG", "fr")):
        p = subprocess.run(["tidy", "-q", "-e", build(ctx, text)],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
