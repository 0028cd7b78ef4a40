"""test_docx.py: the Word document (-f docx), read back with real readers:
python3-docx for its styles and lists, xml.etree for every part,
LibreOffice for whether it opens and how many pages it prints, and the
seed-fidelity tool for the words of the real compte-rendu."""
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import docx

from helpers import (RESTITUTION_SECTIONS, copy_example_inputs,
                     libreoffice_pdf, pdf_pages, skip_valgrind, write)
from test_contributions import assert_in_order, norm, walk

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
SEED_FIDELITY = os.path.join("..", "shared", "tools", "seed-fidelity")


def build(ctx, session, fmts="docx", env=None):
    d = ctx.tmpdir()
    p = ctx.run("build", "-f", fmts, "-o", d, session, env=env)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(session))[0]
    return d, os.path.join(d, stem + ".docx")


def example(ctx):
    return copy_example_inputs(ctx, ctx.tmpdir())


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def document(path):
    return ET.fromstring(parts(path)["word/document.xml"])


def rels(path):
    raw = parts(path)["word/_rels/document.xml.rels"]
    return {el.get("Id"): el for el in ET.fromstring(raw)}


def text_of(path):
    """The document's words, each link's target after its text (the
    order of Markdown's [text](url)), as test_contributions reads HTML."""
    targets = {k: el.get("Target") for k, el in rels(path).items()}
    out = []

    def visit(el):
        if el.tag == W + "t" and el.text:
            out.append(el.text)
        for child in el:
            visit(child)
        if el.tag == W + "hyperlink" and el.get(R + "id"):
            out.append(" %s " % targets[el.get(R + "id")])
        out.append(" ")
    visit(document(path))
    return norm("".join(out))


def para_text(p):
    """A paragraph's text, its links' included (python-docx 0.8 leaves
    out what is inside w:hyperlink)."""
    return "".join(t.text or "" for t in p._p.iter(W + "t"))


def list_items(path):
    """(text, ilvl, style) of every list paragraph, in order."""
    out = []
    for p in docx.Document(path).paragraphs:
        num = p._p.pPr.numPr if p._p.pPr is not None else None
        if num is not None and num.ilvl is not None:
            out.append((para_text(p), num.ilvl.val, p.style.name))
    return out


NESTED = """\
atelier: 1
lang: en
title: "Nested *items* & <markup>"
organiser: "Org <A&B>"
date: 2024-02-03
questions:
  - {id: q1, title: "Why?"}
brainstorm:
  q1:
    - text: "top one"
      by: [pj]
      votes: 2
      link: "https://example.org/a?b=1&c=2"
      items:
        - text: "second level"
          items:
            - text: "third level"
              items: ["fourth level"]
    - "top two with [a link](https://example.org/t \\"t\\")"
participants:
  - {id: pj, name: Pat Jones}
tables:
  - {id: t1, name: Green table, host: Jeanne Martin}
  - {id: t2}
rounds:
  - {minutes: 20, tables: {q1: [t1, t2]}}
  - {minutes: 15, tables: {q1: t1}}
"""


def test_docx_headings_and_items_as_word_reads_them(ctx):
    d = ctx.tmpdir()
    _, path = build(ctx, write(os.path.join(d, "n.yaml"), NESTED))
    doc = docx.Document(path)
    heads = [(p.style.name, p.text) for p in doc.paragraphs
             if p.style.name.startswith("Heading")]
    assert heads[:3] == [("Heading 1", "1. Setting up the workshop"),
                         ("Heading 2", "The questions asked"),
                         ("Heading 3", "Question 1: Why?")], heads
    assert ("Heading 1", "2. Key ideas: brainstorming") in heads
    assert ("Heading 2", "Question 1: Why?") in heads
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles == ["Nested items & <markup>"]
    items = [(t.split(" (")[0], lvl) for t, lvl, style in list_items(path)
             if style == "List Paragraph"]
    assert items == [("top one", 0), ("second level", 1), ("third level", 2),
                     ("fourth level", 3), ("top two with a link", 0)], items


def test_docx_styles_carry_outline_levels(ctx):
    _, path = build(ctx, example(ctx))
    styles = ET.fromstring(parts(path)["word/styles.xml"])
    levels = {}
    for st in styles.iter(W + "style"):
        lvl = st.find("%spPr/%soutlineLvl" % (W, W))
        if lvl is not None:
            levels[st.get(W + "styleId")] = lvl.get(W + "val")
    assert levels["Heading1"] == "0" and levels["Heading2"] == "1" \
        and levels["Heading3"] == "2", levels
    names = {st.find(W + "name").get(W + "val") for st in styles.iter(W + "style")}
    assert {"Title", "heading 1", "heading 2", "heading 3",
            "List Paragraph"} <= names


def test_docx_links_are_external_relationships(ctx):
    d = ctx.tmpdir()
    _, path = build(ctx, write(os.path.join(d, "n.yaml"), NESTED))
    r = rels(path)
    links = [el for el in document(path).iter(W + "hyperlink") if el.get(R + "id")]
    targets = [r[el.get(R + "id")].get("Target") for el in links]
    assert "https://example.org/a?b=1&c=2" in targets, targets
    assert "https://example.org/t" in targets, targets
    for el in links:
        assert r[el.get(R + "id")].get("TargetMode") == "External"


def test_docx_figures_inline_with_alt_text_and_svg_fallback(ctx):
    _, path = build(ctx, example(ctx))
    doc = document(path)
    r = rels(path)
    pr = list(doc.iter(WP + "docPr"))
    ids = [p.get("id") for p in pr]
    assert len(ids) == len(set(ids)) >= 3, ids  # the logo, two force fields
    assert not list(doc.iter(WP + "anchor")), "a picture floats"
    descr = [p.get("descr") for p in pr]
    assert any("Agrilocal" in x for x in descr), descr
    assert sum(x.startswith("Champ de forces") for x in descr) == 2, descr
    z = parts(path)
    for blip in doc.iter(A + "blip"):
        png = r[blip.get(R + "embed")].get("Target")
        svg = [s for s in blip.iter(ASVG + "svgBlip")]
        assert png.endswith(".png"), png
        assert len(svg) == 1
        target = r[svg[0].get(R + "embed")].get("Target")
        assert target.endswith(".svg")
        assert z["word/" + target].lstrip().startswith((b"<svg", b"<?xml"))
        assert z["word/" + png].startswith(b"\x89PNG")


def test_docx_metadata(ctx):
    _, path = build(ctx, example(ctx))
    core = ET.fromstring(parts(path)["docProps/core.xml"])
    got = {el.tag.rsplit("}", 1)[1]: el.text for el in core}
    assert got["title"].startswith("ANIMATION DES REUNIONS"), got
    assert got["creator"] == "Plateforme « Dynamiques territoriales du Massif Central »"
    assert got["created"] == "2016-06-30T12:00:00Z", got  # noon UTC, as every format dates it
    assert "30 juin 2016" in got["subject"], got
    assert got["keywords"], got
    _, path = build(ctx, example(ctx), env={"SOURCE_DATE_EPOCH": "1700000000"})
    core = ET.fromstring(parts(path)["docProps/core.xml"])
    got = {el.tag.rsplit("}", 1)[1]: el.text for el in core}
    assert got["created"] == "2023-11-14T22:13:20Z", got


# The sequences of ECMA-376 (part 1, the transitional schema) that Word
# enforces: a property out of this order and Word offers to "repair" the
# document. Only the elements atelier may write are listed.
ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl",
            "numPr", "pBdr", "shd", "tabs", "spacing", "ind",
            "contextualSpacing", "jc", "outlineLvl", "rPr"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps",
            "strike", "dstrike", "color", "spacing", "sz", "szCs", "u", "shd",
            "vertAlign", "lang"],
    "tblPr": ["tblStyle", "tblW", "jc", "tblInd", "tblBorders", "shd",
              "tblLayout", "tblCellMar", "tblLook"],
    "style": ["name", "aliases", "basedOn", "next", "link", "uiPriority",
              "semiHidden", "unhideWhenUsed", "qFormat", "pPr", "rPr", "tblPr"],
    "sectPr": ["headerReference", "footerReference", "pgSz", "pgMar",
               "pgNumType", "cols", "titlePg"],
    "inline": ["extent", "effectExtent", "docPr", "cNvGraphicFramePr", "graphic"],
    "lvl": ["start", "numFmt", "lvlText", "lvlJc", "pPr", "rPr"],
}


def check_order(root, where):
    for el in root.iter():
        seq = ORDER.get(el.tag.rsplit("}", 1)[-1])
        if seq is None:
            continue
        kids = [k.tag.rsplit("}", 1)[-1] for k in el]
        unknown = [k for k in kids if k not in seq]
        assert not unknown, "%s: %s holds %s" % (where, el.tag, unknown)
        ranks = [seq.index(k) for k in kids]
        assert ranks == sorted(ranks), "%s: %s out of order: %s" % (where, el.tag, kids)


def test_docx_properties_in_the_order_word_requires(ctx):
    d = ctx.tmpdir()
    for session in (example(ctx), write(os.path.join(d, "n.yaml"), NESTED),
                    write(os.path.join(d, "o.yaml"), ODD.replace("LONG", "x"))):
        _, path = build(ctx, session)
        for name, raw in parts(path).items():
            if name.endswith(".xml"):
                check_order(ET.fromstring(raw), name)


def test_docx_same_bytes_twice(ctx):
    session = example(ctx)
    _, a = build(ctx, session)
    _, b = build(ctx, session)
    with open(a, "rb") as fa, open(b, "rb") as fb:
        assert fa.read() == fb.read()


def test_docx_seed_fidelity(ctx):
    _, path = build(ctx, example(ctx))
    p = subprocess.run([SEED_FIDELITY, path], capture_output=True, text=True,
                       cwd=ctx.root)
    assert p.returncode == 0 and "166/166" in p.stdout, p.stdout + p.stderr


def check_all_found(ctx, session):
    d, path = build(ctx, session, "docx,json")
    stem = os.path.splitext(os.path.basename(session))[0]
    with open(os.path.join(d, stem + ".json"), encoding="utf-8") as f:
        texts = list(walk(json.load(f)))
    assert_in_order(text_of(path), texts, "docx")
    return len(texts)


def test_every_contribution_of_the_example_is_in_the_docx(ctx):
    assert check_all_found(ctx, example(ctx)) > 100


def test_every_contribution_of_a_four_section_grid_is_in_the_docx(ctx):
    d = ctx.tmpdir()
    session = write(os.path.join(d, "r.yaml"), """\
atelier: 1
title: Restitution
date: 2025-05-04
questions:
  - {id: q1, title: "Qu'en retenir ?"}
SECTIONS
subgroups:
  q1:
    groups:
      - name: Groupe A
        retours: ["Un retour", {text: "Deux", items: ["sous-retour"]}]
        etonnement: ["Une surprise"]
        analyse: ["Une analyse"]
        propositions: ["Une proposition"]
""".replace("SECTIONS\n", RESTITUTION_SECTIONS))
    assert check_all_found(ctx, session) == 6
    # Four sections: a two-by-two table, each section in its own cell.
    _, path = build(ctx, session)
    tables = list(document(path).iter(W + "tbl"))
    assert len(tables) == 1
    rows = tables[0].findall(W + "tr")
    assert [len(r.findall(W + "tc")) for r in rows] == [2, 2]
    assert not list(document(path).iter(W + "txbxContent"))


def test_docx_rotation_plan_and_participants_tables_repeat_their_header(ctx):
    d = ctx.tmpdir()
    _, path = build(ctx, write(os.path.join(d, "n.yaml"), NESTED))
    plan, people = docx.Document(path).tables
    for t in (plan, people):
        assert t.rows[0]._tr.trPr.find(W + "tblHeader") is not None
        assert all(r._tr.trPr is None for r in t.rows[1:])
    assert [c.text for c in plan.rows[0].cells] == ["Round", "Question 1"]
    assert [c.text for c in plan.rows[1].cells] == [
        "Round 1 20 min", "Green table hosted by Jeanne Martin\nTable t2"]
    assert [c.text for c in plan.rows[2].cells] == [
        "Round 2 15 min", "Green table hosted by Jeanne Martin"]
    assert [c.text for c in people.rows[0].cells] == ["Name"]
    assert [c.text for c in people.rows[1].cells] == ["Pat Jones"]


def test_formats_lists_docx_outside_the_default_set(ctx):
    p = ctx.run("formats")
    assert p.returncode == 0
    assert re.search(r"^\s*docx\b", p.stdout, re.M), p.stdout
    line = [ln for ln in p.stdout.splitlines() if re.match(r"\s*docx\b", ln)][0]
    assert "*" not in line, line
    d = ctx.tmpdir()
    session = write(os.path.join(d, "n.yaml"), NESTED)
    assert ctx.run("build", "-o", d, session).returncode == 0
    assert not os.path.exists(os.path.join(d, "n.docx"))


def test_folder_index_links_the_docx(ctx):
    src, out = ctx.tmpdir(), ctx.tmpdir()
    write(os.path.join(src, "a", "n.yaml"), NESTED)
    p = ctx.run("build", src, "-o", out, "-f", "html,docx")
    assert p.returncode == 0, p.stderr
    assert os.path.exists(os.path.join(out, "a", "n.docx"))
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        assert 'href="a/n.docx"' in f.read()


ODD = """\
atelier: 1
title: "T <&> \\"q\\" ]]> \\u0001 \\t tab"
date: 2024-01-01
questions:
  - {id: q1, title: "<w:p>&amp;"}
  - {id: q2, title: "empty"}
brainstorm:
  q1:
    - "LONG"
    - "<script>x</script> & ]]> `<w:t>` **[x](javascript:alert(1))**"
    - {text: "a", items: []}
subgroups:
  q1:
    groups:
      - name: "G <1>"
        practices: []
        drivers: ["d"]
      - name: Empty
synthesis: ""
kit:
  q1:
    - {}
"""


def test_odd_input_stays_valid_xml(ctx):
    d = ctx.tmpdir()
    session = write(os.path.join(d, "odd.yaml"),
                    ODD.replace("LONG", "mot " * 50000))
    p = ctx.run("build", "-f", "docx", "-o", d, session)
    assert p.returncode == 0, p.stderr
    path = os.path.join(d, "odd.docx")
    for name, raw in parts(path).items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(raw)
    text = "".join(t.text or "" for t in document(path).iter(W + "t"))
    assert "<script>x</script>" in text
    targets = [e.get("Target") for e in rels(path).values()]
    assert not any("javascript" in t for t in targets), targets
    assert ("mot " * 50000).strip() in text
    docx.Document(path)


def test_bad_figure_is_an_error_and_writes_nothing(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "bad.png"), "not a png")
    session = write(os.path.join(d, "f.yaml"), NESTED.replace(
        "participants:", "figures:\n  - {image: bad.png}\nparticipants:"
    ).replace("title: \"Why?\"}", "title: \"Why?\"}\ncontext: c"))
    p = ctx.run("build", "-f", "docx", "-o", d, session)
    assert p.returncode == 1, p.stderr
    assert "f.yaml:" in p.stderr
    assert not os.path.exists(os.path.join(d, "f.docx"))


@skip_valgrind
def test_libreoffice_opens_and_prints_the_example(ctx):
    """LibreOffice converts the .docx and the .odt of the example (one run)
    with exit 0, to A4 pages whose counts differ by one at most: the two
    editable documents lay the same report out alike."""
    d = ctx.tmpdir()
    session = example(ctx)
    p = ctx.run("build", "-f", "docx,odt", "-o", d, session)
    assert p.returncode == 0, p.stderr
    from_docx, from_odt = libreoffice_pdf(
        ctx, os.path.join(d, "session.docx"), os.path.join(d, "session.odt"))
    n_docx, n_odt = pdf_pages(from_docx), pdf_pages(from_odt)
    print("LibreOffice pages: docx %d, odt %d" % (n_docx, n_odt))
    assert 6 <= n_docx <= 14 and abs(n_docx - n_odt) <= 1, (n_docx, n_odt)
    info = subprocess.run(["pdfinfo", from_docx], capture_output=True,
                          text=True).stdout
    assert "A4" in info and "ANIMATION DES REUNIONS" in info, info


def test_docx_held_in_memory_stops_at_the_output_budget(ctx):
    d = ctx.tmpdir()
    session = write(os.path.join(d, "b.yaml"),
                    NESTED.replace('"top one"', '"%s"' % ("mot " * 100000)))
    out = os.path.join(d, "b.docx")
    # 400 KB of document.xml compress to a few KB: the budget is counted
    # before compression, where the memory goes.
    p = ctx.run("build", "-f", "docx", "-o", d, "--max-output=200000", session)
    assert p.returncode == 1
    assert p.stderr.startswith(
        "%s: error: the Word document of this session passes the output "
        "budget of 200000 bytes before it is compressed (see --max-output): "
        "it is not written, the previous one stays\n" % session), p.stderr
    assert not os.path.exists(out)
    p = ctx.run("build", "-f", "docx", "-o", d, "--max-output=600000", session)
    assert p.returncode == 0, p.stderr
    assert os.path.getsize(out) < 200000


def test_tables_wider_than_word_opens_become_text(ctx):
    # Word opens no table of more than 63 columns: a Markdown table that
    # wide becomes a line a row, a rotation plan that wide a list.
    qs = "".join('  - {id: q%d, title: "Q%d"}\n' % (i, i) for i in range(64))
    head = "|" + "|".join("h%d" % i for i in range(70)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(70)) + "|\n"
    body = "|" + "|".join("c%d" % i for i in range(70)) + "|\n"
    d = ctx.tmpdir()
    session = write(os.path.join(d, "w.yaml"), """\
atelier: 1
lang: en
title: Wide
date: 2024-01-01
questions:
%stables:
  - {id: t1}
rounds:
  - {tables: {q0: t1, q63: t1}}
synthesis: |
  %s  %s  %s""" % (qs, head, rule, body))
    _, path = build(ctx, session)
    doc = document(path)
    for tbl in doc.iter(W + "tbl"):
        assert len(tbl.find(W + "tblGrid")) <= 63
    text = [para_text(p) for p in docx.Document(path).paragraphs]
    assert " | ".join("c%d" % i for i in range(70)) in text, text[-5:]
    assert any(t.startswith("Question 64") for t, _, _ in list_items(path))
