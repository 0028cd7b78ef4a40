"""test_outline.py: the report's outline (src/report/outline.c), decided once for
every format: one test per finding of issue 13 it settles, each reading
the Markdown and the HTML of the same session.

- finding 1: an item's origin names its table once ("round 1, table A"
  for a table known by its id, the name alone for a named table);
- finding 2: votes and weight in the same words in both;
- finding 3: a kit step whose title ends with "…" is joined to its prompt
  the same way in both (no colon after the title's own mark);
- finding 4 (numbering): parts numbered alike in both;
- finding 7 (layout): a declared grid's sections laid out as the grid is
  (1: one column, 2: two, 4: two by two, else as many as fit), with no
  column heading or force that the grid does not declare;
- finding 10: the synthesis right after the work, before the kit reminder
  and the annex, in both."""
import html as htmlmod
import os
import re

from helpers import write


def build(ctx, text, *extra, formats="md,html"):
    """Builds a session written to a temp dir; returns {format: text}."""
    d = ctx.tmpdir()
    path = write(os.path.join(d, "s.yaml"), text)
    out = os.path.join(d, "out")
    os.makedirs(out)
    p = ctx.run("build", "-f", formats, "-o", out, *extra, path)
    assert p.returncode == 0, p.stderr
    got = {}
    for fmt in formats.split(","):
        with open(os.path.join(out, "s." + fmt), encoding="utf-8") as f:
            got[fmt] = f.read()
    return got


def html_text(page):
    """The page's text as a reader sees it: tags dropped, entities and
    no-break spaces as plain characters, blanks collapsed."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    text = htmlmod.unescape(re.sub(r"<[^>]+>", "", page))
    return " ".join(text.replace("\u00a0", " ").split())


def md_text(md):
    """The Markdown's text: emphasis marks and escapes dropped, links as
    their text, blanks collapsed."""
    md = re.sub(r"\]\([^)]*\)", "]", md)
    md = re.sub(r"\\(.)", r"\1", md)
    md = md.replace("**", "").replace("*", "").replace("[", "") \
        .replace("]", "")
    return " ".join(md.split())


ITEM = """atelier: 1
lang: LANG
title: Origins
date: 2024-05-02
questions: [{id: q1, title: One}]
tables:
  - {id: A}
  - {id: t2, name: Green table}
rounds:
  - {tables: {q1: [A, t2]}}
brainstorm:
  q1:
    - {text: Born at A, round: 1, table: A, votes: 7, weight: 2.5}
    - {text: Born at green, round: 1, table: t2, votes: 1}
"""


def test_finding_1_origin_names_the_table_once(ctx):
    for lang, unnamed, named in (
            ("en", "round 1, table A", "round 1, Green table"),
            ("fr", "tour 1, table A", "tour 1, Green table")):
        got = build(ctx, ITEM.replace("LANG", lang))
        md, page = md_text(got["md"]), html_text(got["html"])
        for text in (md, page):
            assert unnamed in text, (lang, text)
            assert named in text, (lang, text)
            assert not re.search(r"(?i)table table", text), text


def test_finding_2_votes_and_weight_worded_alike(ctx):
    for lang, seven, one, weight in (
            ("en", "7 votes", "1 vote ", "weight: 2.5"),
            ("fr", "7 votes", "1 vote ", "poids : 2.5")):
        got = build(ctx, ITEM.replace("LANG", lang))
        md, page = md_text(got["md"]), html_text(got["html"])
        for text in (md, page):
            assert seven in text and weight in text, (lang, text)
            assert one in text.replace(")", " "), (lang, text)
            assert "votes:" not in text and "votes :" not in text, text
        # the same facts, in the same order, in both
        facts = re.compile(r"(?:round|tour) 1, table A · 7 votes · "
                           r"(?:weight: |poids : )2\.5")
        assert facts.search(md) and facts.search(page), (md, page)


KIT = """atelier: 1
lang: en
title: Kit
date: 2024-05-02
questions: [{id: q1, title: One}]
kit:
  q1:
    - {step: Step 1, title: "What now…", prompt: Say it}
    - {step: Step 2, title: "*Why?*", prompt: Tell us}
    - {step: Step 3, title: Plain, prompt: Go on}
"""


def test_finding_3_kit_title_with_its_own_mark_joins_alike(ctx):
    got = build(ctx, KIT)
    md, page = got["md"], got["html"]
    assert "**Step 1: What now…** Say it" in md, md
    assert "<strong>Step 1: What now…</strong> Say it" in page, page
    # markup around the mark does not hide it
    assert "Why?*** Tell us" in md, md
    assert "<em>Why?</em></strong> Tell us" in page
    # a title without a mark of its own takes the colon, in both
    assert "**Step 3: Plain**: Go on" in md
    assert "<strong>Step 3: Plain</strong>: Go on" in page
    for text in (md_text(md), html_text(page)):
        assert "What now… Say it" in text and "Plain: Go on" in text


SYNTH = """atelier: 1
lang: en
title: Order
date: 2024-05-02
questions: [{id: q1, title: One}]
brainstorm:
  q1: [An idea]
subgroups:
  q1:
    groups:
      - name: G
        practices: [A practice]
kit:
  q1:
    - {step: Step 1, prompt: Do it}
synthesis: The groups agree.
"""

PARTS = ["1. Setting up the workshop", "2. Key ideas: brainstorming",
         "3. Sub-group work", "4. Synthesis",
         "5. How the group work was organised",
         "6. Annex: list of participants"]


def md_parts(md):
    return [m.replace("\\", "") for m in re.findall(r"(?m)^## (.*)$", md)]


def html_parts(page):
    return [html_text(h) for h in re.findall(
        r'<section class="part" id="[^"]*">\n<h2>(.*?)</h2>', page)]


def test_finding_4_parts_numbered_alike(ctx):
    """Numbered in both: the paper original numbers its parts, and a reader
    refers to "part 3"; parts are numbered among those the report has."""
    got = build(ctx, SYNTH.replace("synthesis: The groups agree.\n", ""))
    want = ["1. Setting up the workshop", "2. Key ideas: brainstorming",
            "3. Sub-group work", "4. How the group work was organised",
            "5. Annex: list of participants"]
    assert md_parts(got["md"]) == want, md_parts(got["md"])
    assert html_parts(got["html"]) == want, html_parts(got["html"])
    got = build(ctx, SYNTH)
    assert md_parts(got["md"]) == PARTS, md_parts(got["md"])
    assert html_parts(got["html"]) == PARTS, html_parts(got["html"])
    # the contents of both list the same numbered titles
    nav = got["html"][got["html"].index("<nav"):got["html"].index("</nav>")]
    toc = [html_text(a) for a in re.findall(
        r'(?m)^<li><a href="#[a-z]+">(.*?)</a>', nav)]
    assert toc == PARTS, toc
    md_toc = re.findall(r"(?m)^- \[(.*?)\]\(#", got["md"])
    assert md_toc == PARTS, md_toc
    # no second, CSS-made number on top of the written one
    assert "counter(part)" not in got["html"]


def test_finding_10_synthesis_right_after_the_work(ctx):
    got = build(ctx, SYNTH)
    for parts in (md_parts(got["md"]), html_parts(got["html"])):
        names = [p.split(". ", 1)[1] for p in parts]
        assert names.index("Synthesis") == names.index("Sub-group work") + 1
        assert names.index("Synthesis") < \
            names.index("How the group work was organised") < \
            names.index("Annex: list of participants")
    page = got["html"]
    ids = re.findall(r'<section class="part" id="([a-z]+)"', page)
    assert ids == ["setup", "brainstorm", "subgroups", "synthesis", "kit",
                   "annex"], ids


GRID = """atelier: 1
title: Restitution
date: 2024-05-02
questions: [{id: q1, title: Qu'avons-nous appris ?}]
sections:
SECTIONS
subgroups:
  q1:
    groups:
      - name: Groupe 1
GROUP
"""
FOUR = ["retours", "etonnement", "analyse", "propositions"]
FOUR_LABELS = ["3 retours principaux", "Rapport d'étonnement", "Analyse",
               "Propositions"]


def grid(n, forces=False):
    ids, labels = FOUR[:n], FOUR_LABELS[:n]
    if n > 4:
        ids = ["s%d" % i for i in range(n)]
        labels = ["Section %d" % i for i in range(n)]
    secs = "\n".join("  - {id: %s, label: \"%s\"%s}" % (
        i, lab, ", force: driver" if forces and k == 0 else "")
        for k, (i, lab) in enumerate(zip(ids, labels)))
    group = "\n".join("        %s: [Un point sur %s]" % (i, i) for i in ids)
    return GRID.replace("SECTIONS", secs).replace("GROUP", group), labels


def sheet_of(page):
    m = re.search(r'<div class="sheet([^"]*)">\n(.*?)</article>', page, re.S)
    assert m, page
    return m.group(1).split(), m.group(2)


def test_finding_7_declared_grid_laid_out_as_declared(ctx):
    for n, want in ((1, "single"), (2, "two"), (3, "flow"), (4, "square"),
                    (5, "flow")):
        text, labels = grid(n)
        page = build(ctx, text, formats="html")["html"]
        classes, body = sheet_of(page)
        assert classes == [want], (n, classes)
        # the sections in the grid's declared order, each one a cell of
        # the sheet itself: no column holding the first one alone
        h5 = [htmlmod.unescape(h) for h in re.findall(r"<h5>(.*?)</h5>", body)]
        assert h5 == labels, h5
        assert '<div class="col">' not in body
        assert "Conditions" not in page and "colhead" not in body
        assert "force-" not in body
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    # two columns for 2 and 4, as many as fit (one on a phone) otherwise
    assert re.search(r"\.sheet\{display:grid;grid-template-columns:"
                     r"minmax\(0,1fr\) minmax\(0,1fr\)", style)
    assert ".sheet.flow{grid-template-columns:repeat(auto-fit," in style
    assert ".sheet.single{grid-template-columns:minmax(0,1fr)}" in style


def test_finding_7_builtin_grid_keeps_the_paper_sheet(ctx):
    """The built-in grid stays the paper's two columns, practices beside
    the conditions for change under their heading; a declared grid with a
    force marks that section, and still takes the declared layout."""
    text = """atelier: 1
title: T
date: 2024-05-02
questions: [{id: q1, title: Q}]
subgroups:
  q1:
    groups:
      - name: G
        practices: [P]
        conditions: [C]
        drivers: [D]
        brakes: [B]
"""
    page = build(ctx, text, formats="html")["html"]
    classes, body = sheet_of(page)
    assert classes == [], classes
    cols = body.split('<div class="col">')[1:]
    assert len(cols) == 2
    assert "<h5>Pratiques" in cols[0] and "Conditions au changement" in cols[1]
    assert [h in cols[1] for h in ("Autres conditions", "Les moteurs",
                                   "Les freins")] == [True] * 3
    text, labels = grid(4, forces=True)
    page = build(ctx, text, formats="html")["html"]
    classes, body = sheet_of(page)
    assert classes == ["square"], classes
    assert body.count("force-driver") == 1


def test_finding_6_md_rotation_list_punctuated_in_the_language(ctx):
    """Past 10,000 cells the rotation plan is a list: its punctuation is
    the language's (English "Round 1: …; …", French "Tour 1 : … ; …"),
    not French whatever the language."""
    rounds = "".join("  - {tables: {q1: t1, q2: [t1, t2]}}\n"
                     for _ in range(5001))
    text = ("atelier: 1\nlang: LANG\ntitle: T\ndate: 2024-05-02\n"
            "questions: [{id: q1, title: A}, {id: q2, title: B}]\n"
            "tables: [{id: t1, name: Green}, {id: t2}]\nrounds:\n" + rounds)
    md = build(ctx, text.replace("LANG", "en"), formats="md")["md"]
    assert ("- Round 1: Question 1 — Green; Question 2 — Green, "
            "Table t2\n") in md, md[:2000]
    assert " : " not in md.split("### ", 1)[1]
    md = build(ctx, text.replace("LANG", "fr"), formats="md")["md"]
    assert ("- Tour 1 : Question 1 — Green ; Question 2 — Green, "
            "Table t2\n") in md
