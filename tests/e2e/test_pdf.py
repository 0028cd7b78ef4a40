"""test_pdf.py: the PDF compte-rendu (-f pdf), read back as a reader's
tools read it: pdfinfo (A4, title, author), python3-pypdf (the outline,
links), pdftotext (the words, page by page, and where they stand). The
example's PDF: bookmarks at their headings' pages, "n / N" on every page
but the first, every contribution in order, the seed's fragments, few and
well-filled pages, the same bytes twice; a custom four-section grid laid
out two by two; tables repeating their header; hostile texts."""
import json
import os
import re
import struct
import subprocess
import zlib

from helpers import copy_example_inputs, skip_valgrind, write
from test_contributions import assert_in_order, norm, walk

PYTHON = "/usr/bin/python3"
SEED_FIDELITY = os.path.join("..", "shared", "tools", "seed-fidelity")
A4 = (595.276, 841.89)


# ---- helpers ----

def build(ctx, session, fmts=("pdf",), env=None):
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", ",".join(fmts), "-o", out, session, env=env)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(session))[0]
    return os.path.join(out, stem + ".pdf")


def example_pdf(ctx, env=None):
    return build(ctx, copy_example_inputs(ctx, ctx.tmpdir()), env=env)


def session(ctx, text, name="s.yaml"):
    return write(os.path.join(ctx.tmpdir(), name), text)


def info(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pages(pdf):
    return int(info(pdf)["Pages"])


def page_text(pdf, n, raw=True):
    args = ["pdftotext"] + (["-raw"] if raw else []) + ["-f", str(n), "-l",
                                                         str(n), pdf, "-"]
    return subprocess.run(args, capture_output=True, text=True,
                          check=True).stdout


def text(pdf):
    return subprocess.run(["pdftotext", "-raw", pdf, "-"],
                          capture_output=True, text=True, check=True).stdout


def words(pdf):
    """(page, xMin, yMin, yMax, word) for every word of the PDF."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    res, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" '
                      r'yMax="([\d.]+)">(.*)</word>', line)
        if m:
            res.append((page, float(m.group(1)), float(m.group(2)),
                        float(m.group(3)), m.group(4)))
    return res


def png(w, h):
    """A w x h RGB PNG, half red, half blue (many colours would make the
    pipeline write a JPEG)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = b"".join(b"\0" + b"".join(b"\xff\0\0" if x < w // 2 else
                                       b"\0\0\xff" for x in range(w))
                    for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pypdf(code, pdf):
    """Runs code with `r` a pypdf reader of pdf; returns its JSON output."""
    prog = ("import json, sys, pypdf\nr = pypdf.PdfReader(sys.argv[1])\n" +
            code)
    p = subprocess.run([PYTHON, "-c", prog, pdf], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


OUTLINE = """
res = []
def walk(items, depth):
    for it in items:
        if isinstance(it, list):
            walk(it, depth + 1)
        else:
            res.append([depth, it.title, r.get_destination_page_number(it) + 1])
walk(r.outline, 0)
print(json.dumps(res))
"""

LINKS = """
res = []
for n, page in enumerate(r.pages):
    for a in page.get("/Annots") or []:
        a = a.get_object()
        if a.get("/Subtype") != "/Link":
            continue
        act = a.get("/A")
        uri = act.get_object().get("/URI") if act else None
        res.append([n + 1, str(uri) if uri else None,
                    bool(a.get("/Dest")) or (act is not None and
                    act.get_object().get("/S") == "/GoTo")])
print(json.dumps(res))
"""


# ---- the example ----

def test_pdf_of_the_example_is_a4_with_its_title_and_author(ctx):
    pdf = example_pdf(ctx)
    i = info(pdf)
    assert "(A4)" in i["Page size"], i["Page size"]
    assert "PRODUCTION D'IDEES" in i["Title"], i["Title"]
    assert "Dynamiques territoriales du Massif Central" in i["Author"]
    assert "30 juin 2016" in i["Subject"]
    # Every page A4, not only the first that pdfinfo describes.
    for n in range(1, pages(pdf) + 1):
        out = subprocess.run(["pdfinfo", "-f", str(n), "-l", str(n), pdf],
                             capture_output=True, text=True).stdout
        assert "595.276 x 841.89" in out


def test_pdf_outline_has_every_part_and_question_at_its_heading_page(ctx):
    pdf = example_pdf(ctx)
    entries = pypdf(OUTLINE, pdf)
    parts = [e for e in entries if e[0] == 0]
    questions = [e for e in entries if e[0] == 1]
    # 5 parts; brainstorm, sub-groups and kit each have both questions.
    assert len(parts) == 5, parts
    assert len(questions) == 6, questions
    assert parts[0][1] == "1. Mise en place de l'atelier"
    assert questions[0][1].startswith("Question 1 : Le territoire")
    for depth, title, page in entries:
        here = norm(page_text(pdf, page))
        want = norm(title)[:60]
        at = here.find(want)
        assert at >= 0, "%r is not on page %d" % (title, page)
        # Never orphaned: something of its own follows it on the page.
        assert len(here) - (at + len(want)) > 40, (title, page)


def test_pdf_contents_give_each_part_the_page_it_starts_on(ctx):
    pdf = example_pdf(ctx)
    first = page_text(pdf, 1)
    parts = [e for e in pypdf(OUTLINE, pdf) if e[0] == 0]
    assert len({p for _, _, p in parts}) >= 3, parts  # not all on page 1
    for _, title, page in parts:
        assert "%s %d\n" % (title, page) in first, (title, page, first)


def test_pdf_contents_link_to_the_parts_and_external_links_are_clickable(ctx):
    pdf = example_pdf(ctx)
    links = pypdf(LINKS, pdf)
    internal = [l for l in links if l[0] == 1 and l[2]]
    # Each of the 5 parts: its title and its page number.
    assert len(internal) >= 10, links
    uris = {l[1] for l in links if l[1]}
    assert "http://www.agrilocal63.fr/" in uris, uris


def test_pdf_every_page_but_the_first_carries_n_of_N(ctx):
    pdf = example_pdf(ctx)
    n = pages(pdf)
    assert n >= 2
    assert not re.search(r"\b1 / %d\b" % n, page_text(pdf, 1))
    for k in range(2, n + 1):
        assert re.search(r"(^|\n)%d / %d\n" % (k, n), page_text(pdf, k)), k


def test_pdf_is_the_same_bytes_twice_and_in_another_time_zone(ctx):
    a = example_pdf(ctx)
    b = example_pdf(ctx)
    env = dict(os.environ, TZ="Pacific/Kiritimati", LC_ALL="C")
    c = example_pdf(ctx, env=env)
    with open(a, "rb") as f1, open(b, "rb") as f2, open(c, "rb") as f3:
        x = f1.read()
        assert x == f2.read()
        assert x == f3.read()
    # cairo 1.16 writes the date without its "D:" prefix.
    assert re.search(rb"/CreationDate \((D:)?20160630120000", x), x[-600:]


def test_pdf_of_the_example_holds_every_contribution_in_order(ctx):
    d = ctx.tmpdir()
    s = copy_example_inputs(ctx, d)
    pdf = build(ctx, s, ("json", "pdf"))
    with open(pdf[:-4] + ".json", encoding="utf-8") as f:
        texts = list(walk(json.load(f)))
    assert len(texts) > 100
    assert_in_order(norm(text(pdf)), texts, "pdf")


def test_pdf_of_the_example_keeps_every_fragment_of_the_seed(ctx):
    tool = ctx.path(SEED_FIDELITY)
    if not os.path.exists(tool):
        return  # the seed lives beside the project, not in it
    pdf = example_pdf(ctx)
    p = subprocess.run([PYTHON, tool, pdf], capture_output=True, text=True)
    assert p.returncode == 0 and "166/166" in p.stdout, p.stdout + p.stderr


def test_pdf_of_the_example_is_at_most_10_well_filled_pages(ctx):
    pdf = example_pdf(ctx)
    n = pages(pdf)
    assert n <= 10, n
    lowest = {}
    # The body's words: the running title and the page number apart.
    for page, x, y0, y1, w in words(pdf):
        if 50 < y0 < A4[1] - 60:
            lowest[page] = max(lowest.get(page, 0), y1)
    body = A4[1] - 64 - 62
    for k in range(1, n):
        full = (lowest.get(k, 0) - 64) / body
        assert full >= 1 / 3, "page %d is %.0f%% full" % (k, 100 * full)


def test_atelier_formats_lists_pdf(ctx):
    p = ctx.run("formats")
    assert p.returncode == 0
    assert re.search(r"^pdf\s", p.stdout, re.M), p.stdout


# ---- layouts ----

GRID = """\
atelier: 1
lang: en
title: A four-section grid
date: 2025-05-04
organiser: The Guild
questions:
  - {id: q1, title: "Where do we stand?"}
brainstorm:
  q1: ["The bus, see [the site](https://example.org/bus) and <https://example.org/x>"]
sections:
  - {id: strengths, label: Strengths, force: driver}
  - {id: weaknesses, label: Weaknesses, force: brake}
  - {id: chances, label: Opportunities}
  - {id: threats, label: Threats}
subgroups:
  q1:
    groups:
      - theme: Mobility
        strengths: ["Bus line 4 runs hourly", "Car pooling"]
        weaknesses: ["No night service"]
        chances: ["Regional tariffs"]
        threats: ["Budget cuts"]
"""


def test_pdf_lays_a_four_section_grid_out_two_by_two(ctx):
    pdf = build(ctx, session(ctx, GRID))
    at = {w: (p, x, y) for p, x, y, _, w in words(pdf)
          if w in ("Strengths", "Weaknesses", "Opportunities", "Threats")}
    assert len(at) == 4, at
    s, w, o, t = (at[k] for k in ("Strengths", "Weaknesses",
                                  "Opportunities", "Threats"))
    assert s[0] == w[0] and abs(s[2] - w[2]) < 1 and w[1] > s[1] + 100
    assert abs(o[2] - t[2]) < 1 and t[1] > o[1] + 100
    assert o[2] > s[2] + 10 and abs(o[1] - s[1]) < 1
    # A link's target printed after its text, once when the text is it.
    body = text(pdf)
    assert "see the site (https://example.org/bus) and https://example.org/x\n" \
        in body, body


def test_pdf_participants_table_repeats_its_header_on_every_page(ctx):
    people = "".join(
        "  - {id: p%d, name: \"Person %03d\", organisation: \"Org %d\"}\n"
        % (i, i, i) for i in range(150))
    pdf = build(ctx, session(ctx, """\
atelier: 1
lang: en
title: Many people
date: 2025-05-04
questions:
  - {id: q1, title: "Who came?"}
participants:
""" + people))
    with_people = [k for k in range(1, pages(pdf) + 1)
                   if "Person " in page_text(pdf, k)]
    assert len(with_people) >= 2, with_people
    for k in with_people:
        lines = [l for l in page_text(pdf, k).splitlines() if l.strip()]
        first = next(i for i, l in enumerate(lines) if "Person " in l)
        assert "Name" in lines[first - 1] and "Organisation" in lines[first - 1], \
            (k, lines[first - 1])
    body = norm(text(pdf))
    assert all(norm("Person %03d" % i) in body for i in range(150))


def test_pdf_draws_an_svg_figure_as_vectors_and_a_png_as_an_image(ctx):
    d = ctx.tmpdir()
    copy_example_inputs(ctx, d)
    with open(os.path.join(d, "dot.png"), "wb") as f:
        f.write(png(40, 30))
    s = write(os.path.join(d, "f.yaml"), """\
atelier: 1
lang: en
title: Figures
date: 2025-05-04
context: "Two figures."
figures:
  - {image: agrilocal63.svg, caption: "The platform"}
  - {image: dot.png, caption: "A dot", alt: "two pixels"}
questions:
  - {id: q1, title: "What?"}
""")
    pdf = build(ctx, s)
    # The SVG's own words are drawn as text (vectors), not as pixels.
    assert "Agrilocal 63" in text(pdf)
    imgs = subprocess.run(["pdfimages", "-list", pdf], capture_output=True,
                          text=True, check=True).stdout.splitlines()[2:]
    assert len(imgs) == 1 and re.search(r"\s40\s+30\s", imgs[0]), imgs
    assert "The platform" in text(pdf) and "A dot" in text(pdf)


# ---- hostile and odd input ----

@skip_valgrind
def test_pdf_survives_a_huge_word_empty_parts_and_wide_tables(ctx):
    word = "x" * 200000
    cols = "|" + "|".join("c%d" % i for i in range(40)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(40)) + "|\n"
    long_cell = "| " + "mot " * 3000 + "| b |\n"
    pdf = build(ctx, session(ctx, """\
atelier: 1
lang: fr
title: "Étrange\u00a0: test"
date: 2025-05-04
questions:
  - {id: q1, title: "Quoi ?"}
  - {id: q2, title: "Et puis ?"}
brainstorm:
  q1:
    - "%s"
    - text: "[lien](javascript:alert(1)) et [autre](https://example.org/a'b)"
subgroups:
  q2:
    groups: []
synthesis: |
  %s  %s  %s
  | a | b |
  |---|---|
  %s
""" % (word, cols, rule, cols.replace("c", "d"), long_cell)))
    n = pages(pdf)
    assert n >= 10, n  # the word, broken across lines and pages
    body = text(pdf)
    assert norm(body).count("x") >= 200000
    assert "javascript" not in json.dumps(pypdf(LINKS, pdf))
    assert "https://example.org/a'b" in json.dumps(pypdf(LINKS, pdf))
    # French non-breaking space kept in the title.
    assert "Étrange\u00a0: test" in info(pdf)["Title"]


def test_pdf_of_a_session_with_nothing_but_its_questions(ctx):
    pdf = build(ctx, session(ctx, """\
atelier: 1
title: Bare
date: 2025-05-04
questions:
  - {id: q1, title: "Only this?"}
"""))
    assert pages(pdf) == 1
    assert pypdf(OUTLINE, pdf)[0][2] == 1


def test_folder_index_links_the_pdf(ctx):
    """Through the registry's flags (indexed), not by the format's name:
    both index pages link the PDF, which a folder build writes whole."""
    d = ctx.tmpdir()
    tree = os.path.join(d, "tree", "a")
    copy_example_inputs(ctx, tree)
    out = os.path.join(d, "out")
    p = ctx.run("build", os.path.join(d, "tree"), "-f", "html,pdf", "-o", out)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, "a", "session.pdf"), "rb") as f:
        assert f.read(5) == b"%PDF-"
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        assert 'href="a/session.pdf"' in f.read()
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        assert "(a/session.pdf)" in f.read()


def test_pdf_of_the_example_has_no_page_under_a_third_full(ctx):
    """At most 10 pages, and each but the last filled at least a third of
    the way down its text area (the running title and the page number
    apart): no part pushed to a fresh page, no heading alone."""
    pdf = example_pdf(ctx)
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*height=\"([\d.]+)\"[^>]*>(.*?)</page>",
                           out, re.S):
        height = float(page[0])
        ys = [(float(a), float(b)) for a, b in re.findall(
            r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', page[1])]
        # the running title above 60 pt, the page number in the last 60
        body = [(a, b) for a, b in ys if a > 60 and b < height - 60]
        pages.append(body)
    assert 1 <= len(pages) <= 10, len(pages)
    top = min(a for body in pages for a, _ in body)
    bottom = max(b for body in pages for _, b in body)
    for n, body in enumerate(pages[:-1], 1):
        fill = (max(b for _, b in body) - top) / (bottom - top)
        assert fill >= 1 / 3, (n, round(fill, 2))
