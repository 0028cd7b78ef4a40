"""test_odt.py: the OpenDocument text (-f odt), read back with real
readers: the zip and its XML parts (xml.etree), python3-odf, LibreOffice
(converted to PDF, its pages counted with pdfinfo), the seed's fidelity
tool. Every contribution of the JSON export is looked for, in order, in
content.xml's text, as test_contributions.py does for md and html."""
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from helpers import (copy_example_inputs, libreoffice_pdf, pdf_pages,
                     skip_valgrind, write)
from test_contributions import assert_in_order, norm, walk

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
SEED_FIDELITY = "../shared/tools/seed-fidelity"

CUSTOM_GRID = """\
atelier: 1
lang: en
title: A SWOT workshop
organiser: Town & Country
date: 2025-05-04
questions:
  - {id: q1, title: "Where do we stand?"}
sections:
  - {id: strengths, label: Strengths, force: driver}
  - {id: weaknesses, label: Weaknesses, force: brake}
  - {id: opportunities, label: Opportunities}
  - {id: threats, label: Threats, force: brake}
subgroups:
  q1:
    groups:
      - theme: Mobility
        strengths: ["Bus line 4 **runs hourly**", {text: "Car pooling", items: [{text: "Sunday app ride", items: ["Deep one"]}]}]
        weaknesses: ["No night service"]
        opportunities: ["Ask the region about [tariffs](https://example.org/t?a=1&b=2)"]
        threats: ["Fuel ~~cheap~~ *dear*"]
kit:
  q1:
    - {step: "Step 1", asks: ["List strengths first"]}
"""


def q(tag):
    pre, name = tag.split(":")
    return "{%s}%s" % (NS[pre], name)


def build(ctx, session, fmts=("odt",), env=None):
    d = ctx.tmpdir()
    p = ctx.run("build", "-f", ",".join(fmts), "-o", d, session, env=env)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(session))[0]
    return {f: os.path.join(d, "%s.%s" % (stem, f)) for f in fmts}


def example(ctx):
    return copy_example_inputs(ctx, os.path.join(ctx.tmpdir(), "ex"))


def part(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def content(path):
    return ET.fromstring(part(path, "content.xml"))


def odt_text(el):
    """The text of an element in reading order, each link's target after
    its text (as a Markdown link says them)."""
    out = [el.text or ""]
    for child in el:
        out.append(" ")
        out.append(odt_text(child))
        if child.tag == q("text:a"):
            out.append(" %s " % child.get(q("xlink:href"), ""))
        out.append(" ")
        out.append(child.tail or "")
    return "".join(out)


# ODF 1.3's, which python3-odf's grammar (ODF 1.2) does not know.
ODF13_ATTRS = {("image", (NS["draw"], "mime-type"))}


def grammar_faults(odt):
    """Every element whose children or attributes python3-odf's grammar
    of ODF does not allow where they stand."""
    from odf import grammar

    def qn(tag):
        return tuple(tag[1:].split("}"))

    bad = set()
    for name in ("content.xml", "styles.xml", "meta.xml"):
        for el in ET.fromstring(part(odt, name)).iter():
            t = qn(el.tag)
            kids = grammar.allowed_children.get(t, ())
            for c in el:
                if kids is not None and qn(c.tag) not in kids:
                    bad.add((t[1], "child", qn(c.tag)[1]))
            attrs = grammar.allowed_attributes.get(t)
            for a in el.attrib:
                if attrs is not None and qn(a) not in attrs and \
                        (t[1], qn(a)) not in ODF13_ATTRS:
                    bad.add((t[1], "attribute", qn(a)[1]))
    return sorted(bad)


def test_formats_lists_odt_outside_the_default_set(ctx):
    p = ctx.run("formats")
    assert p.returncode == 0
    line = [l for l in p.stdout.splitlines() if l.split()[:1] == ["odt"]]
    assert len(line) == 1 and "*" not in line[0] and "OpenDocument" in line[0]


def test_container_as_odf_asks(ctx):
    """mimetype first and stored, every part listed in the manifest with
    its media type, every XML part well-formed, python3-odf loads it."""
    odt = build(ctx, example(ctx))["odt"]
    with open(odt, "rb") as f:
        head = f.read(80)
    assert head[30:38] == b"mimetype"
    assert head[38:77] == b"application/vnd.oasis.opendocument.text"
    with zipfile.ZipFile(odt) as z:
        infos = z.infolist()
        assert infos[0].compress_type == zipfile.ZIP_STORED
        names = [i.filename for i in infos]
        for n in names:
            if n.endswith(".xml"):
                ET.fromstring(z.read(n))
        man = ET.fromstring(z.read("META-INF/manifest.xml"))
    listed = {e.get(q("manifest:full-path")): e.get(q("manifest:media-type"))
              for e in man}
    assert set(names) - {"mimetype", "META-INF/manifest.xml"} == set(listed) - {"/"}
    assert listed["Pictures/1.svg"] == "image/svg+xml"
    assert listed["Pictures/1.png"] == "image/png"
    assert grammar_faults(odt) == []
    from odf.opendocument import load
    doc = load(odt)
    assert doc.mimetype == "application/vnd.oasis.opendocument.text"


@skip_valgrind  # LibreOffice reads the file
def test_libreoffice_converts_the_example(ctx):
    odt = build(ctx, example(ctx))["odt"]
    pdf, = libreoffice_pdf(ctx, odt)
    n = pdf_pages(pdf)
    assert 4 <= n <= 12, n
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    # The figure (an SVG drawn by LibreOffice: its own words) and the
    # page numbers of the footer.
    assert "Agrilocal 63" in text.replace("L'outil internet Agrilocal 63", "")
    assert re.search(r"\b%d ?/ ?%d\b" % (n, n), text)


def test_same_bytes_twice_and_dates_from_the_input(ctx):
    s = example(ctx)
    a, b = build(ctx, s)["odt"], build(ctx, s)["odt"]
    assert open(a, "rb").read() == open(b, "rb").read()
    c = build(ctx, s, env={"SOURCE_DATE_EPOCH": "1000000000"})["odt"]
    meta = ET.fromstring(part(a, "meta.xml"))
    assert meta.find(".//meta:creation-date", NS).text == "2016-06-30T12:00:00"
    meta_c = ET.fromstring(part(c, "meta.xml"))
    assert meta_c.find(".//meta:creation-date", NS).text == "2001-09-09T01:46:40"
    assert meta.find(".//dc:title", NS).text.startswith("ANIMATION DES REUNIONS")
    creator = "Plateforme « Dynamiques territoriales du Massif Central »"
    assert meta.find(".//meta:initial-creator", NS).text == creator
    assert meta.find(".//dc:creator", NS).text == creator
    assert meta.find(".//dc:subject", NS).text
    assert meta.find(".//meta:keyword", NS).text


def test_seed_fidelity(ctx):
    odt = build(ctx, example(ctx))["odt"]
    p = subprocess.run([ctx.path(SEED_FIDELITY), odt], capture_output=True,
                       text=True)
    assert p.returncode == 0 and "166/166" in p.stdout, p.stdout + p.stderr


def check_all_found(ctx, session):
    out = build(ctx, session, ("json", "odt"))
    texts = list(walk(json.load(open(out["json"], encoding="utf-8"))))
    assert texts
    assert_in_order(norm(odt_text(content(out["odt"]))), texts, "odt")
    return len(texts)


def test_every_contribution_of_the_example_in_order(ctx):
    assert check_all_found(ctx, example(ctx)) > 100


def test_every_contribution_of_a_custom_grid_in_order(ctx):
    s = write(os.path.join(ctx.tmpdir(), "swot.yaml"), CUSTOM_GRID)
    assert check_all_found(ctx, s) == 8


def headings(root):
    return [(int(h.get(q("text:outline-level"))), h.get(q("text:style-name")),
             " ".join(odt_text(h).split()))
            for h in root.iter(q("text:h"))]


def test_headings_at_their_outline_levels(ctx):
    odt = build(ctx, example(ctx))["odt"]
    hs = headings(content(odt))
    parts = [t for lvl, _, t in hs if lvl == 1]
    assert parts == ["1. Mise en place de l'atelier",
                     "2. Mise à plat des idées fortes : brainstorming",
                     "3. Travail en sous-groupes",
                     "4. Rappel de l'organisation du temps de travail par groupes",
                     "5. Annexe : liste des présents"]
    assert all(style == "Heading_20_%d" % lvl for lvl, style, _ in hs)
    assert (2, "Heading_20_2", "Question 1") in hs
    assert (3, "Heading_20_3", "Sous-groupe 2") in hs
    # The styles the word processor's navigator and contents read.
    styles = ET.fromstring(part(odt, "styles.xml"))
    levels = {s.get(q("style:name")): s.get(q("style:default-outline-level"))
              for s in styles.iter(q("style:style"))}
    assert levels["Heading_20_1"] == "1" and levels["Heading_20_3"] == "3"
    assert "Title" in levels
    # The table of contents: the word processor's own, its entries linked
    # to the headings' bookmarks.
    root = content(odt)
    toc = root.find(".//text:table-of-content", NS)
    marks = {b.get(q("text:name")) for b in root.iter(q("text:bookmark"))}
    links = [a.get(q("xlink:href")) for a in toc.iter(q("text:a"))]
    assert "#brainstorm-2" in links
    assert all(l[1:] in marks for l in links), set(links) - marks


def test_items_nested_at_their_depth_with_styles_and_links(ctx):
    s = write(os.path.join(ctx.tmpdir(), "swot.yaml"), CUSTOM_GRID)
    root = content(build(ctx, s)["odt"])
    parent = {c: p for p in root.iter() for c in p}

    def depth(el):
        n = 0
        while el in parent:
            el = parent[el]
            n += el.tag == q("text:list")
        return n

    def para(words):
        return [p for p in root.iter(q("text:p")) if words in odt_text(p)]

    assert depth(para("Car pooling")[0]) == 1
    assert depth(para("Sunday app ride")[0]) == 2
    assert depth(para("Deep one")[0]) == 3
    assert grammar_faults(build(ctx, s)["odt"]) == []
    bold = root.findall(".//text:span[@text:style-name='Strong_20_Emphasis']", NS)
    assert "runs hourly" in [b.text for b in bold]
    strike = root.findall(".//text:span[@text:style-name='Strikethrough']", NS)
    assert [x.text for x in strike] == ["cheap"]
    links = [(a.get(q("xlink:href")), odt_text(a)) for a in root.iter(q("text:a"))]
    assert ("https://example.org/t?a=1&b=2", "tariffs") in links
    # The four sections two by two, in a table, each under its label.
    sheet = [t for t in root.iter(q("table:table"))
             if "Strengths" in odt_text(t)][0]
    rows = sheet.findall("table:table-row", NS)
    assert [[" ".join(odt_text(c).split())[:20] for c in r] for r in rows] == [
        ["Strengths Bus line 4", "Weaknesses No night "],
        ["Opportunities Ask th", "Threats Fuel cheap d"]]


def test_tables_repeat_their_header(ctx):
    s = write(os.path.join(ctx.tmpdir(), "plan.yaml"), """\
atelier: 1
lang: en
title: Plan
date: 2025-05-04
participants:
  - {id: p1, name: Ann, organisation: Town}
  - {id: p2, name: Bob}
questions:
  - {id: q1, title: One}
  - {id: q2, title: Two}
tables:
  - {id: t1, name: Green, host: Ann}
  - {id: t2}
rounds:
  - {minutes: 20, tables: {q1: t1, q2: t2}}
  - {tables: {q1: t2, q2: t1}}
""")
    root = content(build(ctx, s)["odt"])
    tables = list(root.iter(q("table:table")))
    heads = [[odt_text(c).strip() for c in t.find("table:table-header-rows/table:table-row", NS)]
             for t in tables]
    assert heads == [["Round", "Question 1", "Question 2"],
                     ["Name", "Organisation"]]
    plan = tables[0].findall("table:table-row", NS)
    assert [" ".join(odt_text(c).split()) for c in plan[0]] == [
        "Round 1 20 min", "Green hosted by Ann", "Table t2"]


def test_figures_embedded_once_with_alt_text(ctx):
    d = ctx.tmpdir()
    ex = copy_example_inputs(ctx, d)
    s = write(os.path.join(d, "figs.yaml"), """\
atelier: 1
lang: en
title: Figures
date: 2025-05-04
figures:
  - {image: agrilocal63.svg, caption: "The *box*", alt: "A green box"}
questions:
  - {id: q1, title: One}
brainstorm:
  q1:
    - text: Idea
      items:
        - {image: agrilocal63.svg, caption: "Again"}
""")
    assert os.path.exists(ex)
    odt = build(ctx, s)["odt"]
    root = content(odt)
    frames = list(root.iter(q("draw:frame")))
    assert len(frames) == 2
    hrefs = [[i.get(q("xlink:href")) for i in f.findall("draw:image", NS)]
             for f in frames]
    assert hrefs == [["Pictures/1.svg", "Pictures/1.png"]] * 2
    assert frames[0].find("svg:desc", NS).text == "A green box"
    assert frames[0].find("svg:title", NS).text == "A green box"
    assert frames[1].find("svg:desc", NS).text == "Again"
    with zipfile.ZipFile(odt) as z:
        assert sorted(n for n in z.namelist() if n.startswith("Pictures/")) == [
            "Pictures/1.png", "Pictures/1.svg"]
    captions = [odt_text(p) for p in root.iter(q("text:p"))
                if p.get(q("text:style-name")) == "Caption"]
    assert captions == ["The  box ", "Again"]


def test_odd_input_stays_valid(ctx):
    """Markup characters, controls, blanks, a very long text, empty
    parts: content.xml stays well-formed and says every word."""
    long = "mot " * 20000
    s = write(os.path.join(ctx.tmpdir(), "odd.yaml"), """\
atelier: 1
lang: fr
title: "<b>&amp; \\"quoted\\" ]]> \\u0001"
organiser: "A & B <c>"
date: 2025-05-04
context: "  spaced   out\\ttab\\nline\\r\\nend <script>x</script> [bad](javascript:alert(1))"
questions:
  - {id: q1, title: "Empty?"}
  - {id: q2, title: "Long"}
brainstorm:
  q1: []
  q2:
    - "%s"
    - "a\\u0007b"
    - {text: "With a table", note: "| x | y |\\n|---|---|\\n| 1 | 2 |"}
synthesis: |
  ```
    two spaces
  ```
""" % long)
    odt = build(ctx, s)["odt"]
    with zipfile.ZipFile(odt) as z:
        for n in z.namelist():
            if n.endswith(".xml"):
                ET.fromstring(z.read(n))
    root = content(odt)
    text = odt_text(root)
    title = [p for p in root.iter(q("text:p"))
             if p.get(q("text:style-name")) == "Title"][0]
    # Raw HTML is text; cmark decodes the entity; the control is U+FFFD.
    assert odt_text(title) == "<b>& \"quoted\" ]]> \ufffd", odt_text(title)
    assert "A & B <c>" in text
    assert "\ufffd" in text
    assert text.count("mot") >= 20000
    assert "javascript" not in [a.get(q("xlink:href"), "")[:10]
                                for a in root.iter(q("text:a"))]
    # Runs of spaces kept as text:s, tabs as text:tab.
    assert root.find(".//text:s", NS) is not None
    assert root.find(".//text:tab", NS) is not None
    # A document allows no table in a list item: a note's table is lines.
    for item in root.iter(q("text:list-item")):
        assert item.find(".//table:table", NS) is None
    flat = " ".join(text.split())
    assert "x | y" in flat and "1 | 2" in flat
    # A code block's leading blanks, which ODF would drop as plain spaces.
    code = root.find(".//text:p[@text:style-name='Preformatted_20_Text']", NS)
    span = code.find("text:span[@text:style-name='Source_20_Text']", NS)
    assert span[0].tag == q("text:s") and span[0].get(q("text:c")) == "2"
    assert span.text is None and span[0].tail == "two spaces"
    assert grammar_faults(odt) == []
    from odf.opendocument import load
    load(odt)


def test_force_field_as_svg_with_its_png(ctx):
    """A question whose groups gave drivers or brakes gets the figure
    ff_image.c draws, SVG first and its PNG beside it, with its caption;
    a grid without forces gets none."""
    odt = build(ctx, example(ctx))["odt"]
    root = content(odt)
    frames = [f for f in root.iter(q("draw:frame"))
              if f.get(q("draw:name")).startswith("ForceField")]
    assert [f.get(q("draw:name")) for f in frames] == ["ForceField1", "ForceField2"]
    imgs = [(i.get(q("xlink:href")), i.get(q("draw:mime-type")))
            for i in frames[0].findall("draw:image", NS)]
    assert imgs == [("Pictures/ff-1.svg", "image/svg+xml"),
                    ("Pictures/ff-1.png", "image/png")]
    assert frames[0].find("svg:title", NS).text == "Champ de forces — Question 1."
    assert "Sous-groupe 1 : 5 moteurs, 5 freins" in frames[0].find("svg:desc", NS).text
    ET.fromstring(part(odt, "Pictures/ff-1.svg"))
    assert part(odt, "Pictures/ff-1.png")[:8] == b"\x89PNG\r\n\x1a\n"
    captions = [odt_text(p) for p in root.iter(q("text:p"))
                if p.get(q("text:style-name")) == "Caption"]
    assert any("Champ de forces — Question 2." in c for c in captions)
    s = write(os.path.join(ctx.tmpdir(), "none.yaml"),
              CUSTOM_GRID.replace("force: driver", "force: none")
              .replace("force: brake", "force: none"))
    assert content(build(ctx, s)["odt"]).find(".//draw:frame", NS) is None


def test_folder_index_links_the_odt(ctx):
    """Through the registry's flags (indexed), not by the format's name."""
    d = ctx.tmpdir()
    write(os.path.join(d, "tree", "a", "s.yaml"), CUSTOM_GRID)
    out = os.path.join(d, "out")
    p = ctx.run("build", os.path.join(d, "tree"), "-f", "html,odt", "-o", out)
    assert p.returncode == 0, p.stderr
    assert zipfile.is_zipfile(os.path.join(out, "a", "s.odt"))
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        assert 'href="a/s.odt"' in f.read()
