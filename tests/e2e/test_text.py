"""test_text.py: the texts of a session read the same way in every format
(the text layer, src/report/text.h; docs/format.md, "Texts and Markdown").

Issue 13, finding 8: GFM's strikethrough, bare URLs and pipe tables, as
facilitators paste them from pads, are markup in md, html and xlsx alike.
Finding 11: a heading, quote or list mark at the start of an item (an
inline text) is text in every format: escaped in the md, shown as typed in
the html (no <h4>, no <blockquote>, no nested list), kept in the cells.
"""
import csv
import os

import openpyxl

from helpers import write

SESSION = """\
atelier: 1
title: Atelier ~~circuits~~ courts
date: 2024-03-14
place: Saint-Gervais
questions:
  - id: q1
    title: Comment faire ?
context: |
  ~~Contraintes~~ levées, voir http://www.agrilocal63.fr/ pour la suite.

  | Acteur | Rôle |
  |---|---|
  | Mairie | *porte* le projet |
  | Ferme | fournit |
brainstorm:
  q1:
    - ~~Contraintes~~ levées
    - Voir http://www.agrilocal63.fr/
    - "#### Titre recopié"
    - "> cité du pad"
    - "- puce collée"
    - "1. premier point"
synthesis: |
  | Piste | Votes |
  |---|---|
  | Vente directe | 7 |
"""

ITEM_MARKS = ("#### Titre recopié", "> cité du pad", "- puce collée",
              "1. premier point")


def build(ctx, fmt):
    root = ctx.tmpdir()
    src = write(os.path.join(root, "s.yaml"), SESSION)
    p = ctx.run("build", "-f", fmt, "-o", os.path.join(root, "out"), src)
    assert p.returncode == 0, p.stderr
    return os.path.join(root, "out", "s." + fmt)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def section(html, start, end):
    """The part of the page between two markers (start included)."""
    i = html.index(start)
    return html[i:html.index(end, i + len(start))]


# ---- html ----

def test_finding_8_html_strikethrough_is_del(ctx):
    html = read(build(ctx, "html"))
    assert "<del>Contraintes</del> levées" in html
    assert "~~" not in html


def test_finding_8_html_bare_url_is_a_link(ctx):
    html = read(build(ctx, "html"))
    link = ('<a href="http://www.agrilocal63.fr/">'
            'http://www.agrilocal63.fr/</a>')
    # In the context (a block text) and in an item (an inline text).
    assert html.count(link) == 2, html


def test_finding_8_html_pipe_tables_are_tables(ctx):
    html = read(build(ctx, "html"))
    assert html.count("<table>") == 2
    assert "<th>Acteur</th>" in html and "<td><em>porte</em> le projet</td>" in html
    assert "<td>Vente directe</td>" in html and "<td>7</td>" in html
    assert "|---|" not in html
    # The page styles them: borders, and a wide one scrolls by itself.
    assert "th,td{border:1px solid" in html
    assert ".prose table{display:block;max-width:100%;overflow-x:auto}" in html


def test_finding_11_html_item_block_marks_are_text(ctx):
    html = read(build(ctx, "html"))
    assert "<h4>Titre recopié" not in html and "<blockquote>" not in html
    assert "<li>#### Titre recopié</li>" in html
    assert "<li>&gt; cité du pad</li>" in html
    assert "<li>- puce collée</li>" in html
    assert "<li>1. premier point</li>" in html
    # No list opened inside an item: "puce collée" is no <li> of its own.
    assert "<li>puce collée" not in html
    assert "<li>premier point" not in html


# ---- md ----

def test_finding_8_md_keeps_gfm(ctx):
    md = read(build(ctx, "md"))
    assert "~~Contraintes~~ levées" in md
    # The bare URL stays bare, a GFM autolink: not escaped, not <...>.
    assert "voir http://www.agrilocal63.fr/ pour la suite" in md
    assert "- Voir http://www.agrilocal63.fr/\n" in md
    for row in ("| Acteur | Rôle |", "| Mairie | *porte* le projet |",
                "| Vente directe | 7 |"):
        assert row in md, md
    assert md.count("| --- | --- |") == 2


def test_finding_11_md_item_block_marks_are_escaped(ctx):
    md = read(build(ctx, "md"))
    lines = md.splitlines()
    assert "- \\#\\#\\#\\# Titre recopié" in lines
    assert "- \\> cité du pad" in lines
    assert "- \\- puce collée" in lines
    assert "- 1\\. premier point" in lines
    # The place, plain text, is not over-escaped.
    assert "Saint-Gervais" in md and "Saint\\-Gervais" not in md


# ---- xlsx ----

def workbook(ctx):
    return openpyxl.load_workbook(build(ctx, "xlsx"))


def texts_of(ws):
    return [c for row in ws.iter_rows(values_only=True) for c in row
            if isinstance(c, str)]


def test_finding_8_xlsx_strikethrough_is_plain(ctx):
    wb = workbook(ctx)
    rows = list(wb["Contributions"].iter_rows(values_only=True))
    col = list(rows[0]).index("Texte")
    texts = [r[col] for r in rows[1:]]
    assert "Contraintes levées" in texts
    every = [t for ws in wb.worksheets for t in texts_of(ws)]
    assert not [t for t in every if "~~" in t], every
    assert "Atelier circuits courts" in every


def test_finding_11_xlsx_item_block_marks_are_kept(ctx):
    wb = workbook(ctx)
    rows = list(wb["Contributions"].iter_rows(values_only=True))
    col = list(rows[0]).index("Texte")
    texts = [r[col] for r in rows[1:]]
    for t in ITEM_MARKS:
        assert t in texts, texts
    assert "Voir http://www.agrilocal63.fr/" in texts


def test_finding_8_xlsx_tables_are_rows_of_cells(ctx):
    wb = workbook(ctx)
    every = [t for ws in wb.worksheets for t in texts_of(ws)]
    assert "Acteur | Rôle" in every, every
    assert "Mairie | porte le projet" in every
    assert "Vente directe | 7" in every
    assert not [t for t in every if "|---|" in t or t.startswith("| ")]


# ---- csv and the folder's index ----

def test_csv_cells_are_plain_and_marks_kept(ctx):
    with open(build(ctx, "csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("Texte")
    texts = [r[col] for r in rows[1:]]
    assert "Contraintes levées" in texts
    for t in ITEM_MARKS:
        # A cell a spreadsheet would read as a formula gets a quote first.
        assert ("'" + t if t[0] in "=+-@" else t) in texts, texts
    assert not [c for r in rows for c in r if "~~" in c]


def test_index_escapes_only_markup(ctx):
    """The index's Markdown escaper is the report's: a place such as
    Saint-Gervais is written as is (it was 'Saint\\-Gervais'), the title's
    strikethrough is plain text there as in the cells."""
    root = ctx.tmpdir()
    write(os.path.join(root, "tree", "s.yaml"), SESSION)
    out = os.path.join(root, "out")
    p = ctx.run("build", "-f", "md,html", os.path.join(root, "tree"), "-o", out)
    assert p.returncode == 0, p.stderr
    md = read(os.path.join(out, "index.md"))
    row = [l for l in md.splitlines() if l.startswith("| 2024-03-14")][0]
    assert "| Saint-Gervais |" in row, row
    assert "[Atelier circuits courts](s.md)" in row, row
    html = read(os.path.join(out, "index.html"))
    assert "Saint-Gervais" in html and "~~" not in html
