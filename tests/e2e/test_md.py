"""test_md.py: the Markdown compte-rendu, from the command line.

The golden file tests/golden/moulins-2016.md is the reviewed report of the
bundled example; after a deliberate change of the emitter, regenerate it with

    UPDATE_GOLDEN=1 /usr/bin/python3 tests/run_e2e.py --atelier ./atelier -k md

and read the diff before committing it. That every contribution comes back
from the .md at its nesting depth, read by cmark itself, is checked by
tests/unit/test_md.c."""
import datetime
import os
import re
import urllib.parse

import yaml

from helpers import copy_example_inputs, write

EXAMPLE_DIR = "examples/moulins-2016"
GOLDEN = "tests/golden/moulins-2016.md"
IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(((?:[^)\\\s]|\\.)+)\)")


def copy_example(ctx):
    """The example in a fresh folder, so that its figure's relative link
    does not depend on where the repository is checked out."""
    root = ctx.tmpdir()
    copy_example_inputs(ctx, os.path.join(root, EXAMPLE_DIR))
    return root


def build(ctx, cwd, *args, src=EXAMPLE_DIR + "/session.yaml", out="out"):
    os.makedirs(os.path.join(cwd, out), exist_ok=True)
    p = ctx.run("build", "-f", "md", "-o", out, *args, src, cwd=cwd)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(src))[0]
    with open(os.path.join(cwd, out, stem + ".md"), encoding="utf-8") as f:
        return f.read()


def test_example_matches_reviewed_golden(ctx):
    root = copy_example(ctx)
    md = build(ctx, root)
    golden = ctx.path(GOLDEN)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        write(golden, md)
    with open(golden, encoding="utf-8") as f:
        want = f.read()
    assert md == want, ("the report differs from %s; if the change is "
                        "deliberate, rerun with UPDATE_GOLDEN=1 and review "
                        "the diff" % GOLDEN)


def test_two_builds_give_the_same_bytes(ctx):
    root = copy_example(ctx)
    first = build(ctx, root, out="out1")
    second = build(ctx, root, out="out2")
    assert first.encode() == second.encode()


def test_layout_is_clean(ctx):
    """Lines end with a newline, carry no trailing spaces, and blocks are
    separated by exactly one blank line."""
    root = copy_example(ctx)
    md = build(ctx, root)
    assert md.endswith("\n") and not md.endswith("\n\n")
    assert "\r" not in md
    for n, line in enumerate(md.split("\n"), 1):
        assert line == line.rstrip(), "trailing blank on line %d: %r" % (n, line)
    assert "\n\n\n" not in md


def is_raw(md, needle):
    """Whether needle occurs with its '<' not backslash-escaped (an even
    number of backslashes before it)."""
    for m in re.finditer(re.escape(needle), md, re.I):
        i, slashes = m.start() - 1, 0
        while i >= 0 and md[i] == "\\":
            slashes, i = slashes + 1, i - 1
        if slashes % 2 == 0:
            return True
    return False


HOSTILE = """atelier: 1
title: "Essai <script>alert(0)</script>"
date: 2024-03-01
context: |
  Avant <img src=x onerror=alert(2)> après, [ici](javascript:alert(3)).

  <script>alert(4)</script>
questions: [{id: q1, title: Q}]
brainstorm:
  q1:
    - "<script>alert(1)</script>"
    - "<img src=x onerror=alert(1)>"
    - "[x](javascript:alert(1))"
    - "[y]( JAVASCRIPT:alert(1))"
    - text: plain
      link: "javascript:alert(5)"
"""

SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript):", re.I)


def test_raw_html_and_script_links_are_neutralised(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), HOSTILE)
    md = build(ctx, d, src="s.yaml")
    assert not is_raw(md, "<script"), md
    assert not is_raw(md, "<img"), md
    assert not SCRIPT_LINK.search(md), md
    assert "alert(5)" not in md
    # The words stay, shown as text.
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "- x\n" in md


def test_unsafe_lets_raw_html_through_but_not_script_links(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), HOSTILE)
    md = build(ctx, d, "--unsafe", src="s.yaml")
    assert "- <script>alert(1)</script>\n" in md
    assert "<img src=x onerror=alert(1)>" in md
    assert not SCRIPT_LINK.search(md), md


def front_matter_of(md):
    assert md.startswith("---\n"), md[:80]
    end = md.index("\n---\n", 4)
    return yaml.safe_load(md[4:end]), md[end + 5:]


def test_front_matter_is_yaml_with_title_and_date(ctx):
    root = copy_example(ctx)
    fm, body = front_matter_of(build(ctx, root, "--front-matter"))
    assert fm["title"] == "ANIMATION DES REUNIONS DE PRODUCTION D'IDEES ET DE PROJETS"
    assert fm["date"] == datetime.date(2016, 6, 30)
    assert fm["place"] == "Moulins sur Allier"
    assert fm["lang"] == "fr"
    assert fm["organiser"] == "Plateforme « Dynamiques territoriales du Massif Central »"
    assert body.lstrip().startswith("Plateforme")
    # Without the option, no front matter.
    assert not build(ctx, root).startswith("---")


def test_front_matter_quotes_awkward_strings(ctx):
    d = ctx.tmpdir()
    title = 'Il a dit "non" \\\\ puis: oui # pas un commentaire'
    write(os.path.join(d, "s.yaml"),
          'atelier: 1\ntitle: \'%s\'\ndate: 2024-03-01\n'
          'place: "A\\tB \\u2028 C"\nquestions: [{id: q1, title: Q}]\n'
          % title.replace("'", "''"))
    fm, _ = front_matter_of(build(ctx, d, "--front-matter", src="s.yaml"))
    assert fm["title"] == title.replace("\\\\", "\\")
    assert fm["place"] == "A\tB \u2028 C"
    assert fm["date"] == datetime.date(2024, 3, 1)


def test_lang_en_switches_the_labels(ctx):
    root = copy_example(ctx)
    md = build(ctx, root, "--lang", "en")
    for label in ("**Brakes**", "**Drivers of change**", "Workshop of 30 June 2016",
                  "## 3. Sub-group work", "Question 1: "):
        assert label in md, label
    for label in ("Les freins", "Les moteurs au changement", "Atelier du",
                  "Question 1 : "):
        assert label not in md, label
    # The group's own label is the session's words, in any language.
    assert "**Les risques et freins à lever :**" in md
    fr = build(ctx, root)
    assert "**Les freins**" in fr and "**Les moteurs au changement**" in fr


def image_links(md):
    return [urllib.parse.unquote(re.sub(r"\\(.)", r"\1", u))
            for u in IMAGE.findall(md)]


def test_figure_links_are_relative_to_the_output_folder(ctx):
    root = copy_example(ctx)
    elsewhere = ctx.tmpdir()
    cases = [
        # (cwd, -o, folder the report lands in)
        (root, "out", os.path.join(root, "out")),
        (root, "out/deeper/still", os.path.join(root, "out/deeper/still")),
        (root, elsewhere, elsewhere),
        (root, EXAMPLE_DIR, os.path.join(root, EXAMPLE_DIR)),
        (os.path.join(root, EXAMPLE_DIR), ".", os.path.join(root, EXAMPLE_DIR)),
    ]
    for cwd, out, folder in cases:
        src = "session.yaml" if cwd.endswith(EXAMPLE_DIR) else EXAMPLE_DIR + "/session.yaml"
        md = build(ctx, cwd, src=src, out=out)
        links = image_links(md)
        assert links, md
        for link in links:
            assert not os.path.isabs(link), link
            assert os.path.isfile(os.path.join(folder, link)), (out, link)
    md = build(ctx, root, out="out")
    assert image_links(md) == ["../examples/moulins-2016/agrilocal63.svg"]
    md = build(ctx, root, out=EXAMPLE_DIR)
    assert image_links(md) == ["agrilocal63.svg"]


def test_figure_link_on_stdout_is_relative_to_the_current_folder(ctx):
    root = copy_example(ctx)
    p = ctx.run("build", "-f", "md", "-o", "-", EXAMPLE_DIR + "/session.yaml",
                cwd=root)
    assert p.returncode == 0, p.stderr
    assert image_links(p.stdout) == ["examples/moulins-2016/agrilocal63.svg"]


RICH = """atelier: 1
title: Atelier mobilité
date: 2024-03-14
participants:
  - {id: jm, name: Jeanne Martin, organisation: Mairie de Thiers, role: élue}
  - {id: pd, name: "Paul | Durand"}
attendance: 18
questions: [{id: q1, title: Comment venir ?}, {id: q2, title: Où ?}]
tables:
  - {id: t1, name: Table verte, host: Jeanne Martin}
  - {id: t2}
rounds:
  - {minutes: 20, tables: {q1: [t1, t2], q2: t2}}
brainstorm:
  q1:
    - text: Pistes cyclables
      by: [jm, pd]
      round: 1
      table: t1
      votes: 7
      weight: 2.5
      tags: [vélo, sécurité]
      link: https://example.org/velo
      note: Repris par **deux** tables.
      items: [Le long de la départementale]
synthesis: |
  # Trois priorités

  Les groupes s'accordent.
"""


def test_metadata_tables_and_annex(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), RICH)
    md = build(ctx, d, src="s.yaml")
    assert ("- Pistes cyclables *(par Jeanne Martin, Paul \\| Durand · "
            "tour 1, Table verte · 7 votes · poids : 2.5 · "
            "mots-clés : vélo, sécurité · [lien](https://example.org/velo))*\n"
            "    > *note* : Repris par **deux** tables.\n"
            "    - Le long de la départementale\n") in md
    assert "| Tour | Question 1 | Question 2 |\n| --- | --- | --- |\n" in md
    assert "| Tour 1 (20 min) | Table verte, Table t2 | Table t2 |\n" in md
    assert "- **Table verte**, animée par Jeanne Martin\n" in md
    assert "18 participants" in md
    assert "| Jeanne Martin | Mairie de Thiers | élue |\n" in md
    assert "| Paul \\| Durand |  |  |\n" in md
    # A heading inside the synthesis sinks below the report's own.
    assert "\n### Trois priorités\n" in md and "\n# Trois" not in md


def test_no_participant_list_says_so(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"),
          "atelier: 1\ntitle: T\ndate: 2024-03-14\nquestions: [{id: q1, title: Q}]\n")
    md = build(ctx, d, src="s.yaml")
    assert "La liste des présents n'est pas publiée." in md
    md = build(ctx, d, "--lang", "en", src="s.yaml")
    assert "The list of participants is not published." in md
