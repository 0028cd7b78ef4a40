"""test_xlsx.py: the spreadsheet, read back with a real reader (openpyxl).

The expected contributions come from the session file itself, walked here
with python3-yaml in the order docs/spreadsheet.md promises (brainstorm
items question by question, then each question's sub-groups section by
section, then kit asks; children right after their parent; figures
skipped). Each Contributions row is compared with that walk: text (plain),
kind, question, sub-group, depth and source line."""
import datetime
import os
import re
import zipfile

import openpyxl
import yaml

from helpers import RESTITUTION_SECTIONS, skip_valgrind, write

EXAMPLE = "examples/moulins-2016/session.yaml"
GRID = ["practices", "conditions", "drivers", "brakes"]
KIND_OF = {"practices": "practice", "conditions": "condition",
           "drivers": "driver", "brakes": "brake"}
KIND_FR = {"brainstorm": "brainstorm", "practice": "pratique",
           "condition": "condition", "driver": "moteur", "brake": "frein",
           "instruction": "consigne"}
CELL_MAX = 32767


# ---- the session file, walked independently of atelier ----

def _get(node, key):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _seq(node):
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _plain(md):
    """The inline Markdown the tests write, as plain text: emphasis removed,
    links as 'text (url)'. Refuses markup it does not know, so that a test
    never compares against a guess."""
    md = re.sub(r"<(https?://[^>\s]+)>", r"\1", md)  # autolinks
    assert not re.search(r"[`<_]|\\|!\[", md), "markup unknown here: %r" % md

    def link(m):
        return m.group(1) if m.group(1) == m.group(2) else "%s (%s)" % (m.group(1), m.group(2))
    md = re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", link, md)
    md = re.sub(r"\*\*(.+?)\*\*", r"\1", md)
    md = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*", r"\1", md)
    return md


def _items(seq, out, base, depth=0, parent=None):
    for node in _seq(seq):
        if isinstance(node, yaml.ScalarNode):
            text, children = node.value, None
        elif _get(node, "image") is not None:
            continue  # a figure, not a contribution
        else:
            text, children = _get(node, "text").value, _get(node, "items")
        row = dict(base, text=_plain(text), depth=depth,
                   parent=parent, line=node.start_mark.line + 1)
        out.append(row)
        _items(children, out, base, depth + 1, row["text"])


def contributions(path):
    """Every contribution of the session file, in document order."""
    with open(path, encoding="utf-8") as f:
        root = yaml.compose(f)
    qids = [_get(q, "id").value for q in _seq(_get(root, "questions"))]
    grid = [_get(s, "id").value for s in _seq(_get(root, "sections"))] or GRID
    out = []
    for q in qids:
        _items(_get(_get(root, "brainstorm"), q), out,
               {"q": q, "group": None, "kind": "brainstorm"})
    for q in qids:
        work = _get(_get(root, "subgroups"), q)
        for g in _seq(_get(work, "groups")):
            name = _get(g, "name") or _get(g, "theme")
            for sec in grid:
                val = _get(g, sec)
                if val is None:
                    continue
                if isinstance(val, yaml.MappingNode):
                    val = _get(val, "items")
                _items(val, out, {"q": q, "group": name.value,
                                  "kind": KIND_OF.get(sec, sec)})
    for q in qids:
        for step in _seq(_get(_get(root, "kit"), q)):
            _items(_get(step, "asks"), out,
                   {"q": q, "group": None, "kind": "instruction"})
    return out


# ---- building and reading ----

def build(ctx, session, *extra, env=None, out=None):
    out = out or ctx.tmpdir()
    p = ctx.run("build", session, "-o", out, "-f", "xlsx", *extra, env=env)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(session))[0]
    return os.path.join(out, stem + ".xlsx")


def sheet_rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    return head, [dict(zip(head, r)) for r in rows[1:]]


def session_file(ctx, text):
    return write(os.path.join(ctx.tmpdir(), "session.yaml"), text)


SMALL = """\
atelier: 1
title: Atelier **mobilité**
date: 2024-03-14
place: Thiers
participants:
  - {id: jm, name: Jeanne Martin, organisation: Mairie de Thiers, role: élue}
  - {id: pd, name: Paul Durand}
questions:
  - id: q1
    title: Comment venir autrement ?
brainstorm:
  q1:
%s
subgroups:
  q1:
    groups:
      - name: Groupe A
        members: [jm]
        drivers: [Prix de l'essence, "Bus [gratuit](https://bus.example)"]
        brakes:
          - text: Horaires décalés
            by: [jm, pd]
            votes: 3
            weight: 2.5
            tags: [temps, travail]
      - name: Groupe B
        members: [pd]
        conditions: [Un parking relais]
        brakes: [Pluie, Distance]
"""


def small(ctx, items=('- Covoiturage',)):
    return session_file(ctx, SMALL % "\n".join("    " + i for i in items))


# ---- the tests ----

def test_contributions_match_the_tree(ctx):
    path = build(ctx, EXAMPLE)
    want = contributions(ctx.path(EXAMPLE))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Contributions"
    head, rows = sheet_rows(wb["Contributions"])
    assert len(rows) == len(want) > 100, (len(rows), len(want))
    for i, (row, w) in enumerate(zip(rows, want)):
        where = "row %d (%s:%d)" % (i + 2, EXAMPLE, w["line"])
        assert row["Texte"] == w["text"], (where, row["Texte"], w["text"])
        assert row["Type (id)"] == w["kind"], where
        assert row["Type"] == KIND_FR[w["kind"]], where
        assert row["Id question"] == w["q"], where
        assert row["Sous-groupe"] == w["group"], where
        assert row["Niveau"] == w["depth"], where
        assert row["Élément parent"] == w["parent"], where
        assert row["Source"] == "%s:%d" % (EXAMPLE, w["line"]), where
        assert row["Date"] == datetime.datetime(2016, 6, 30), where
        assert row["Lieu"] == "Moulins sur Allier", where
    # The group's own heading for a section is kept beside its items.
    assert any(r["Rubrique"] == "Les risques et freins à lever :" for r in rows)
    # Markdown is gone, link targets are kept.
    assert not any("**" in r["Texte"] for r in rows)
    assert any("ADML63.org (http://adml63.org)" in r["Texte"] for r in rows)


def test_contributions_sheet_layout(ctx):
    path = build(ctx, EXAMPLE)
    wb = openpyxl.load_workbook(path)
    ws = wb["Contributions"]
    n = ws.max_row
    last = openpyxl.utils.get_column_letter(ws.max_column)
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1]), "header not bold"
    ranges = [t.ref for t in ws.tables.values()] + [ws.auto_filter.ref]
    assert "A1:%s%d" % (last, n) in ranges, ranges
    assert ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    head = [c.value for c in ws[1]]
    text_col = openpyxl.utils.get_column_letter(head.index("Texte") + 1)
    assert ws[text_col + "2"].alignment.wrap_text
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    # libxlsxwriter adds its 0.71 padding to the 60 characters asked.
    assert 20 < widths[text_col] <= 61, widths
    # Fitted to content: the short "Niveau" column is narrower.
    depth_col = openpyxl.utils.get_column_letter(head.index("Niveau") + 1)
    assert widths[depth_col] < widths[text_col]
    assert wb.sheetnames == ["Contributions", "Champ de forces",
                             "Participants", "Atelier", "Questions"]


def test_contributions_rows_written_by_atelier(ctx):
    """The Contributions rows are atelier's XML (emit_xlsx_rows.c) put into
    the workbook libxlsxwriter wrote around them: a valid zip (every CRC
    checked), every row addressed, the sheet's dimension over all of them,
    texts inline and cleaned as XML requires, a wrapped row as tall as its
    longest text, the numbers and styles of the rows around them."""
    long = " ".join(["mot"] * 200)  # 799 characters
    session = small(ctx, ['- "%s"' % long, '- "a\\u0001b"'])
    path = build(ctx, session)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    ws = openpyxl.load_workbook(path)["Contributions"]
    n = ws.max_row
    assert n == len(contributions(session)) + 1
    assert '<dimension ref="A1:W%d"/>' % n in sheet
    assert sheet.count("<row ") == n and 't="inlineStr"' in sheet
    head = [c.value for c in ws[1]]
    col = head.index("Texte") + 1
    texts = [ws.cell(row=r, column=col).value for r in range(2, n + 1)]
    assert "a\ufffdb" in texts, texts
    r = texts.index(long) + 2
    # 799 characters and a tenth for word wrap, 59 a line: 15 lines of 15 pt.
    assert ws.row_dimensions[r].height == 225
    assert ws.cell(row=r, column=col).alignment.wrap_text
    assert ws.row_dimensions[r - 1].height is None
    votes = ws.cell(row=1 + next(i for i, t in enumerate(texts, 1)
                                 if t == "Horaires décalés"),
                    column=head.index("Votes") + 1)
    assert votes.value == 3 and votes.data_type == "n"
    assert votes.alignment.vertical == "top"


def test_forces_counts_and_chart(ctx):
    path = build(ctx, EXAMPLE)
    want = {}
    for c in contributions(ctx.path(EXAMPLE)):
        if c["group"]:
            k = want.setdefault((c["q"], c["group"]), [0, 0, 0])
            if c["kind"] in ("driver", "brake", "condition"):
                k[("driver", "brake", "condition").index(c["kind"])] += 1
    wb = openpyxl.load_workbook(path)
    head, rows = sheet_rows(wb["Champ de forces"])
    got = {(r["Id question"], r["Sous-groupe"]): [r["Moteurs"], r["Freins"], r["Autres conditions"]]
           for r in rows if r["Sous-groupe"] not in (None, "Total")}
    assert got == want, (got, want)
    total = [r for r in rows if r["Id question"] == "q1" and r["Sous-groupe"] == "Total"][0]
    assert total["Moteurs"] == sum(v[0] for (q, _), v in want.items() if q == "q1")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
        chart = z.read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:ser>") == 2
    assert "'Champ de forces'!$C$2:$C$4" in chart  # q1's three groups
    assert "'Champ de forces'!$D$2:$D$4" in chart and "'Champ de forces'!$E$2:$E$4" in chart


def test_same_bytes_twice_and_source_date_epoch(ctx):
    a = build(ctx, EXAMPLE)
    b = build(ctx, EXAMPLE)
    assert open(a, "rb").read() == open(b, "rb").read()
    c = build(ctx, EXAMPLE, env={"SOURCE_DATE_EPOCH": "1000000000"})
    d = build(ctx, EXAMPLE, env={"SOURCE_DATE_EPOCH": "1000000000"})
    assert open(c, "rb").read() == open(d, "rb").read()
    za, zc = zipfile.ZipFile(a), zipfile.ZipFile(c)
    assert za.namelist() == zc.namelist()
    differ = [n for n in za.namelist() if za.read(n) != zc.read(n)]
    assert differ == ["docProps/core.xml"], differ
    # Without SOURCE_DATE_EPOCH, the session's date (noon UTC).
    assert b"2016-06-30T12:00:00Z" in za.read("docProps/core.xml")
    assert b"2001-09-09T01:46:40Z" in zc.read("docProps/core.xml")


def test_formulas_stay_text(ctx):
    texts = ["=1+1", "+33 6 12", "-x", "@SUM(A1)"]
    session = small(ctx, ['- "%s"' % t for t in texts])
    path = build(ctx, session)
    ws = openpyxl.load_workbook(path)["Contributions"]
    cells = [ws.cell(row=r, column=14) for r in range(2, 6)]
    assert ws.cell(row=1, column=14).value == "Texte"
    assert [c.value for c in cells] == texts
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def _long_session(ctx, n, ch="a"):
    return small(ctx, ['- Court', '- "%s"' % (ch * n)])


def test_text_too_long_for_a_cell(ctx):
    out = ctx.tmpdir()
    tmp = ctx.tmpdir()
    env = {"TMPDIR": tmp}
    good = small(ctx)
    before = open(build(ctx, good, out=out, env=env), "rb").read()
    # The same name, now with a 40,000-character item: an error at the
    # item, and the previous spreadsheet left as it was.
    os.replace(_long_session(ctx, 40000), good)
    p = ctx.run("build", good, "-o", out, "-f", "xlsx", env=env)
    assert p.returncode == 1, p.stderr
    line = [i for i, l in enumerate(open(good, encoding="utf-8"), 1) if "aaaa" in l][0]
    assert "%s:%d:7: error: text of 40000 characters is longer than a " \
        "spreadsheet cell holds (32,767)" % (good, line) in p.stderr, p.stderr
    assert open(os.path.join(out, "session.xlsx"), "rb").read() == before
    assert sorted(os.listdir(out)) == ["session.xlsx"]
    assert os.listdir(tmp) == [], os.listdir(tmp)


def test_cell_limit_counts_characters_not_bytes(ctx):
    # 32,767 two-byte characters fit; one more does not.
    fits = build(ctx, _long_session(ctx, CELL_MAX, "é"))
    ws = openpyxl.load_workbook(fits)["Contributions"]
    assert ws.cell(row=3, column=14).value == "é" * CELL_MAX
    p = ctx.run("build", _long_session(ctx, CELL_MAX + 1, "é"), "-o",
                ctx.tmpdir(), "-f", "xlsx")
    assert p.returncode == 1 and "text of 32768 characters" in p.stderr, p.stderr


def test_no_temporary_file_left(ctx):
    tmp = ctx.tmpdir()
    build(ctx, EXAMPLE, env={"TMPDIR": tmp})
    assert os.listdir(tmp) == []


def test_no_temporary_file_left_without_tmpdir(ctx):
    """Without TMPDIR the workbook is made in /dev/shm when it has room
    (emit_xlsx.c), else /tmp: nothing of it is left in either, and the
    workbook is the same as one made under TMPDIR."""
    def ours():
        found = set()
        for d in ("/dev/shm", "/tmp"):
            if os.path.isdir(d):
                found |= {os.path.join(d, n) for n in os.listdir(d)
                          if n.startswith("atelier-xlsx-")}
        return found
    before = ours()
    a = build(ctx, EXAMPLE, env={"TMPDIR": None})
    assert ours() <= before, ours() - before
    b = build(ctx, EXAMPLE, env={"TMPDIR": ctx.tmpdir()})
    assert open(a, "rb").read() == open(b, "rb").read()


def test_participants_and_authors(ctx):
    path = build(ctx, small(ctx))
    wb = openpyxl.load_workbook(path)
    head, rows = sheet_rows(wb["Participants"])
    assert head == ["Nom", "Structure", "Fonction", "Sous-groupes"]
    assert [(r["Nom"], r["Structure"], r["Fonction"], r["Sous-groupes"]) for r in rows] == [
        ("Jeanne Martin", "Mairie de Thiers", "élue", "q1 : Groupe A"),
        ("Paul Durand", None, None, "q1 : Groupe B")]
    head, rows = sheet_rows(wb["Contributions"])
    brake = [r for r in rows if r["Texte"] == "Horaires décalés"][0]
    assert brake["Auteurs"] == "Jeanne Martin; Paul Durand"
    assert (brake["Votes"], brake["Poids"], brake["Mots-clés"]) == (3, 2.5, "temps; travail")
    assert brake["Force"] == "frein" and brake["Type"] == "frein"
    assert [r["Texte"] for r in rows if r["Type (id)"] == "driver"] == [
        "Prix de l'essence", "Bus gratuit (https://bus.example)"]


def test_head_count_without_list(ctx):
    text = open(small(ctx), encoding="utf-8").read()
    text = re.sub(r"participants:\n(  - .*\n)+", "attendance: 18\n", text)
    text = re.sub(r"\n *(members|by): \[.*\]", "", text)
    path = build(ctx, session_file(ctx, text))
    ws = openpyxl.load_workbook(path)["Participants"]
    assert ws["A1"].value == "18 participants"


def test_custom_grid_and_english(ctx):
    session = session_file(ctx, """\
atelier: 1
lang: en
title: SWOT
date: 2024-03-14
questions: [{id: q1, title: Tourism}]
sections:
  - {id: strengths, label: Strengths, force: driver}
  - {id: threats, label: Threats, force: brake}
  - {id: ideas, label: Ideas}
subgroups:
  q1:
    groups:
      - theme: Heritage
        strengths: [Old town]
        threats: [Closing railway, Floods]
        ideas: [Bike path]
""")
    path = build(ctx, session)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Contributions", "Force field", "Participants",
                             "Session", "Questions"]
    head, rows = sheet_rows(wb["Contributions"])
    assert [(r["Kind"], r["Kind id"], r["Force"]) for r in rows] == [
        ("Strengths", "strengths", "driver"), ("Threats", "threats", "brake"),
        ("Threats", "threats", "brake"), ("Ideas", "ideas", None)]
    assert [r["Text"] for r in rows] == [c["text"] for c in contributions(session)]
    head, rows = sheet_rows(wb["Force field"])
    assert (rows[0]["Drivers"], rows[0]["Brakes"], rows[0]["Other conditions"]) == (1, 2, 1)


def test_session_and_questions_sheets(ctx):
    path = build(ctx, EXAMPLE)
    wb = openpyxl.load_workbook(path)
    session = {r[0]: r[1] for r in wb["Atelier"].iter_rows(values_only=True) if r[0]}
    assert session["Titre"] == "ANIMATION DES REUNIONS DE PRODUCTION D'IDEES ET DE PROJETS"
    assert session["Date"] == datetime.datetime(2016, 6, 30)
    # The kit's 6 instructions are rows, not contributions (finding 5).
    assert session["Nombre de contributions"] == 129
    assert session["Version du format"] == 1
    rows = list(wb["Questions"].iter_rows(values_only=True))
    # A kit step reads as one line: step, title, prompt.
    step = [r for r in rows if r[:3] == ("q1", "Temps 1", "Etat des lieux de vos pratiques")]
    assert len(step) == 1 and step[0][3].startswith("Est-ce que vous avez"), step
    # Figures are not contributions: they are listed here, caption as
    # plain text, with their image file.
    with open(ctx.path(EXAMPLE), encoding="utf-8") as f:
        caption = yaml.safe_load(f)["subgroups"]["q1"]["groups"][1]["practices"][1][
            "items"][1]["items"][2]["items"][2]["caption"]
    assert ("q1", "Figure", "Sous-groupe 2", _plain(caption), "agrilocal63.svg") in rows


@skip_valgrind
def test_many_rows_use_constant_memory(ctx):
    # Past 50,000 rows the workbook streams its rows: an autofilter instead
    # of a table, and the same rows.
    n = 50001
    items = "".join('    - "idée %d"\n' % i for i in range(n))
    session = session_file(ctx, SMALL.replace("%s\n", items.rstrip("\n") + "\n"))
    path = build(ctx, session)
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["Contributions"]
    rows = ws.iter_rows(min_row=2, values_only=True)
    total = 0
    for i, r in enumerate(rows):
        if i < n:
            assert r[13] == "idée %d" % i
        total += 1
    assert total == len(contributions(session)) == n + 6
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
        assert b'<autoFilter ref="A1:W%d"/>' % (total + 1) in sheet
        assert not any(x.startswith("xl/tables/") for x in z.namelist())


# ---- issue 13: findings 5 and 7, the spreadsheet's half ----

RESTITUTION = """\
atelier: 1
title: Restitution
date: 2024-05-02
questions: [{id: q1, title: "Que retenir de la visite ?"}]
SECTIONSsubgroups:
  q1:
    groups:
      - name: Groupe A
        retours: [Un accueil chaleureux]
        etonnement: [Des horaires souples]
        analyse: [Un collectif soudé]
        propositions: [Une seconde visite]
""".replace("SECTIONS", RESTITUTION_SECTIONS)


def test_finding_5_kit_instructions_are_rows_not_contributions(ctx):
    """docs/format.md: the kit's instructions are not contributions. The
    Contributions sheet still lists them (kind 'consigne', their step as
    the section: docs/spreadsheet.md), but no count includes them."""
    path = build(ctx, EXAMPLE)
    wb = openpyxl.load_workbook(path)
    head, rows = sheet_rows(wb["Contributions"])
    n_kit = len([c for c in contributions(ctx.path(EXAMPLE))
                 if c["kind"] == "instruction"])
    assert n_kit == 6
    kit = [r for r in rows if r["Type (id)"] == "instruction"]
    assert len(kit) == n_kit and {r["Type"] for r in kit} == {"consigne"}
    session = {r[0]: r[1] for r in wb["Atelier"].iter_rows(values_only=True) if r[0]}
    assert session["Nombre de contributions"] == len(rows) - n_kit
    p = ctx.run("check", "-v", ctx.path(EXAMPLE))
    assert "ok (%d contributions" % (len(rows) - n_kit) in p.stderr, p.stderr


def test_finding_7_no_forces_sheet_for_a_grid_without_forces(ctx):
    """A grid that declares no driver and no brake: no 'Champ de forces'
    sheet charting zeros, no driver or brake count on the Session sheet."""
    wb = openpyxl.load_workbook(build(ctx, session_file(ctx, RESTITUTION)))
    assert wb.sheetnames == ["Contributions", "Participants", "Atelier",
                             "Questions"]
    keys = [r[0] for r in wb["Atelier"].iter_rows(values_only=True)]
    assert "Nombre de contributions" in keys
    assert "Nombre de moteurs" not in keys and "Nombre de freins" not in keys
    head, rows = sheet_rows(wb["Contributions"])
    assert [r["Type"] for r in rows] == ["3 retours principaux",
                                         "Rapport d'étonnement", "Analyse",
                                         "Propositions"]
    assert {r["Force"] for r in rows} == {None}


def test_finding_7_forces_chart_titled_with_the_question(ctx):
    """The Forces chart is titled with the question's title (plain, as
    the report's force field), not with its id."""
    path = build(ctx, small(ctx))
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "Champ de forces — Comment venir autrement ?" in chart
    assert "Champ de forces — q1" not in chart
