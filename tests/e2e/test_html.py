"""test_html.py: the HTML compte-rendu: the reviewed golden page of the
example, validity (tidy), self-containment, safety against hostile texts,
structure (headings, table of contents, lang), custom grids, rotation plan, item metadata, and the
a figure from /proc refused.

The golden file tests/golden/moulins-2016.html is a reviewed output: after an
intended change, regenerate it with
    UPDATE_GOLDEN=1 /usr/bin/python3 tests/run_e2e.py --atelier ./atelier -k html
and review the diff before committing it."""
import base64
import html.parser
import os
import re
import shutil
import subprocess


from helpers import skip_valgrind, write

EXAMPLE = "examples/moulins-2016/session.yaml"
GOLDEN = os.path.join("tests", "golden", "moulins-2016.html")


# ---- helpers ----

def build_html(ctx, path, *extra):
    """Builds path as HTML into a fresh folder; returns the page's text."""
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "html", "-o", out, *extra, path)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(path))[0]
    with open(os.path.join(out, stem + ".html"), encoding="utf-8") as f:
        return f.read()


def session(ctx, text, name="s.yaml", files=()):
    """Writes a session (and figure files copied beside it) to a temp dir."""
    d = ctx.tmpdir()
    for src in files:
        shutil.copy(ctx.path(src), d)
    return write(os.path.join(d, name), text)


class Page(html.parser.HTMLParser):
    """Every start tag with its attributes, the headings in order, the ids,
    and the text inside chosen elements."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []        # (tag, attrs dict)
        self.headings = []    # (level, text)
        self.ids = []
        self._heading = None
        self._capture = []    # stack of [tag, attrs, text parts]
        self.captured = []    # (tag, attrs, text) of desc/title/h*/style
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "desc", "title",
                   "style", "nav", "text", "figcaption"):
            self._capture.append([tag, a, []])

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])

    def handle_endtag(self, tag):
        for i in range(len(self._capture) - 1, -1, -1):
            if self._capture[i][0] == tag:
                t, a, parts = self._capture.pop(i)
                text = "".join(parts)
                self.captured.append((t, a, text))
                if re.fullmatch(r"h[1-6]", t):
                    self.headings.append((int(t[1]), " ".join(text.split())))
                break

    def handle_data(self, data):
        for c in self._capture:
            c[2].append(data)

    def texts(self, tag, **attrs):
        return [t for (g, a, t) in self.captured
                if g == tag and all(a.get(k) == v for k, v in attrs.items())]


# ---- the example ----

def test_golden_example(ctx):
    """The example's page is byte for byte the reviewed one, and building
    twice gives the same bytes."""
    page = build_html(ctx, EXAMPLE)
    assert page == build_html(ctx, EXAMPLE), "two builds differ"
    golden = ctx.path(GOLDEN)
    if os.environ.get("UPDATE_GOLDEN"):
        write(golden, page)
    with open(golden, encoding="utf-8") as f:
        want = f.read()
    if page != want:
        a, b = page.splitlines(), want.splitlines()
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]),
                 min(len(a), len(b)))
        raise AssertionError(
            "HTML differs from %s at line %d (UPDATE_GOLDEN=1 rewrites it; "
            "review the diff):\n got: %s\nwant: %s"
            % (GOLDEN, i + 1, a[i] if i < len(a) else "<end>",
               b[i] if i < len(b) else "<end>"))


def tidy(path):
    p = subprocess.run(["tidy", "-q", "-e", path], capture_output=True,
                       text=True)
    return p.returncode, p.stderr


@skip_valgrind
def test_tidy_reports_nothing(ctx):
    """tidy finds neither errors nor warnings, in the example, in a custom
    grid with every optional part, and in a page full of hostile texts.
    Warnings fail too: each one tidy gives here (an id on an SVG <title>,
    an empty href) was a real defect once."""
    for path in (EXAMPLE, session(ctx, SWOT), session(ctx, WEIGHTS),
                 session(ctx, EVIL, files=[FIGURE])):
        out = ctx.tmpdir()
        p = ctx.run("build", "-f", "html", "-o", out, path)
        assert p.returncode == 0, p.stderr
        stem = os.path.splitext(os.path.basename(path))[0]
        rc, err = tidy(os.path.join(out, stem + ".html"))
        assert rc == 0, "tidy on %s (exit %d):\n%s" % (path, rc, err)


def test_self_contained(ctx):
    """No script, nothing fetched from elsewhere; the picture is inlined and
    decodes to the very bytes of the file."""
    text = build_html(ctx, EXAMPLE)
    page = Page(text)
    assert "<script" not in text.lower()
    assert not [t for t, a in page.tags if t == "link"], "a <link> element"
    for tag, a in page.tags:
        src = a.get("src")
        if src is not None:
            assert src.startswith("data:"), "%s src=%s" % (tag, src[:60])
    style = "".join(page.texts("style"))
    assert style, "no inline style sheet"
    assert "@import" not in style and "url(" not in style
    imgs = [a["src"] for t, a in page.tags if t == "img"]
    assert len(imgs) == 1, imgs
    head, data = imgs[0].split(",", 1)
    assert head == "data:image/svg+xml;base64"
    with open(ctx.path("examples", "moulins-2016", "agrilocal63.svg"),
              "rb") as f:
        assert base64.b64decode(data) == f.read()


# ---- safety ----

FIGURE = "examples/moulins-2016/agrilocal63.svg"
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
       "[x](javascript:alert(1))"]
EVIL = """atelier: 1
title: "T <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
subtitle: "<script>alert(1)</script>"
organiser: "<img src=x onerror=alert(1)>"
place: "\\"><script>alert(1)</script>"
date: 2024-03-14
facilitators: ["<b onclick=alert(1)>x</b>"]
participants:
  - {id: p1, name: "<script>alert(1)</script>", organisation: "<img src=x onerror=alert(1)>", role: "[x](javascript:alert(1))"}
context: |
  <script>alert(1)</script>

  <img src=x onerror=alert(1)>

  [x](javascript:alert(1))
figures:
  - image: agrilocal63.svg
    caption: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    alt: "\\" onerror=\\"alert(1)"
questions:
  - id: q1
    title: "Q <script>alert(1)</script> [x](javascript:alert(1))"
    prompts: ["<img src=x onerror=alert(1)>"]
method: "<script>alert(1)</script>"
phases:
  - kind: other
    title: "<script>alert(1)</script>"
    text: "[x](javascript:alert(1))"
tables:
  - {id: t1, name: "<script>alert(1)</script>", host: "<img src=x onerror=alert(1)>"}
rounds:
  - tables: {q1: t1}
sections:
  - {id: plus, label: "<script>alert(1)</script>", force: driver}
  - {id: moins, label: "<img src=x onerror=alert(1)>", force: brake}
brainstorm:
  q1:
    - "<script>alert(1)</script>"
    - text: "[x](javascript:alert(1))"
      by: p1
      round: 1
      table: t1
      link: "javascript:alert(1)"
      tags: ["<script>alert(1)</script>"]
      note: "<img src=x onerror=alert(1)>"
      items:
        - "<img src=x onerror=alert(1)>"
subgroups:
  q1:
    brief: "<script>alert(1)</script>"
    groups:
      - name: "<script>alert(1)</script>"
        theme: "<img src=x onerror=alert(1)>"
        plus: ["<script>alert(1)</script> [x](javascript:alert(1))"]
        moins:
          label: "<script>alert(1)</script>"
          items: ["<img src=x onerror=alert(1)>"]
kit:
  q1:
    - step: "<script>alert(1)</script>"
      title: "<img src=x onerror=alert(1)>"
      prompt: "[x](javascript:alert(1))"
      asks: ["<script>alert(1)</script>"]
synthesis: "<script>alert(1)</script>"
"""


def test_hostile_texts_never_become_markup(ctx):
    """<script>, an <img onerror> and a javascript: link written in every
    kind of text (Markdown, plain, attributes, SVG labels, item links) reach
    the page as text at most, never as an element, a handler or an href."""
    text = build_html(ctx, session(ctx, EVIL, files=[FIGURE]))
    page = Page(text)
    assert "<script" not in text.lower()
    for tag, a in page.tags:
        assert tag not in ("script", "iframe", "object", "embed"), tag
        assert tag != "b", "raw <b> from the session passed"
        for k, v in a.items():
            assert not k.startswith("on"), "%s %s=%r" % (tag, k, v)
            assert not (v or "").strip().lower().startswith("javascript:"), \
                "%s %s=%r" % (tag, k, v)
        if tag == "img":
            assert a["src"].startswith("data:image/svg+xml;base64,")
            assert a["alt"] == '" onerror="alert(1)'  # plain text, escaped
    # The hostile texts did arrive, as text: nothing was silently dropped
    # from the plain-text fields.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# ---- structure ----

def test_headings_in_order_and_contents_resolve(ctx):
    """One h1, then no heading level skipped; every link of the table of
    contents points to an id of the page; ids are unique."""
    for path in (EXAMPLE, session(ctx, SWOT), session(ctx, WEIGHTS)):
        page = Page(build_html(ctx, path))
        levels = [lvl for lvl, _ in page.headings]
        assert levels[0] == 1 and levels.count(1) == 1, page.headings
        for prev, cur in zip(levels, levels[1:]):
            assert cur <= prev + 1, "h%d after h%d in %s" % (cur, prev, path)
        assert len(page.ids) == len(set(page.ids)), "duplicate ids"
        in_nav, targets = False, []
        for tag, a in page.tags:
            if tag == "nav":
                in_nav = True
            elif in_nav and tag == "a":
                targets.append(a["href"])
            elif in_nav and tag in ("main", "section"):
                break
        assert targets, "empty table of contents"
        for t in targets:
            assert t.startswith("#") and t[1:] in page.ids, t


def test_contents_link_every_part_and_question(ctx):
    page = Page(build_html(ctx, EXAMPLE))
    for want in ("setup", "context", "questions", "method", "brainstorm",
                 "brainstorm-1", "brainstorm-2", "subgroups", "subgroups-1",
                 "subgroups-2", "kit", "kit-1", "kit-2", "annex"):
        assert ("a", {"href": "#" + want}) in page.tags, want
    # no synthesis in the example: no dangling entry for it
    assert "synthesis" not in page.ids
    assert ("a", {"href": "#synthesis"}) not in page.tags


def test_lang_follows_the_report_language(ctx):
    assert '<html lang="fr">' in build_html(ctx, EXAMPLE)
    en = build_html(ctx, EXAMPLE, "--lang=en")
    assert '<html lang="en">' in en
    assert "Setting up the workshop" in en and "Mise en place" not in en
    assert '<html lang="en">' in build_html(ctx, session(ctx, WEIGHTS))


def test_sections_in_order_and_kit_steps_joined(ctx):
    """The parts come in the compte-rendu's order, and a kit step's name,
    title and prompt stand side by side with no label word between them."""
    text = build_html(ctx, EXAMPLE)
    pos = [text.index('id="%s"' % i) for i in
           ("setup", "brainstorm", "subgroups", "kit", "annex")]
    assert pos == sorted(pos)
    # (French spaces before ":" and "?" are no-break: \u00a0)
    assert ("<strong>Temps 1\u00a0: Etat des lieux de vos pratiques</strong>"
            "\u00a0: Est-ce que vous avez") in text
    # the title ends with its own question mark: no colon added after it
    assert ("<strong>Temps 2\u00a0: Comment faire autrement\u00a0?</strong> "
            "Quelles conditions") in text
    assert "La liste des présents n'est pas publiée." in text


def test_side_by_side_layouts(ctx):
    """The brainstorm is one column per question; each sub-group shows its
    practices beside its conditions for change; a narrow screen gets one
    column."""
    text = build_html(ctx, EXAMPLE)
    grid = text[text.index('<div class="columns">'):text.index('id="subgroups"')]
    assert grid.count('<section class="column"') == 2
    assert text.count('<div class="sheet">') == 5  # every group has both
    style = "".join(Page(text).texts("style"))
    assert re.search(r"@media screen and \(max-width:[^)]*\)\{\.columns\{"
                     r"grid-auto-flow:row", style)
    assert "@page{size:A4" in style and "@media print" in style


# ---- custom grids, rotation, metadata ----

SWOT = """atelier: 1
title: Atelier tourisme
date: 2024-05-02
questions:
  - {id: q1, title: "Quel tourisme pour la vallée ?"}
sections:
  - {id: strengths,     label: Forces,       force: driver}
  - {id: weaknesses,    label: Faiblesses,   force: brake}
  - {id: opportunities, label: Opportunités, force: driver}
  - {id: threats,       label: Menaces,      force: brake}
subgroups:
  q1:
    groups:
      - theme: Tourisme
        strengths: [Patrimoine bâti remarquable]
        weaknesses: [Peu d'hébergements]
        opportunities:
          - {text: Véloroute en projet, weight: 2}
        threats:
          label: "Menaces pesant sur la vallée :"
          items: [Fermeture de la ligne de train, Sécheresses]
kit:
  q1:
    - step: Temps 1
      asks: [Citer au moins deux forces et deux menaces]
      expect:
        strengths: [2, 5]
        threats: [2, 5]
"""


def test_custom_grid_renders_its_labels(ctx):
    """A SWOT grid: its own labels (and a group's own label) as headings,
    forces counted from the sections' force, expectations named after the
    grid, no built-in label."""
    text = build_html(ctx, session(ctx, SWOT))
    page = Page(text)
    h5 = [t for lvl, t in page.headings if lvl == 5]
    assert h5 == ["Forces", "Faiblesses", "Opportunités",
                  "Menaces pesant sur la vallée :"], h5
    assert 'class="sec force-driver"' in text and \
        'class="sec force-brake"' in text
    assert "Conditions au changement" not in text
    assert "Les moteurs au changement" not in text
    assert "Tourisme\u00a0: 2 moteurs, 3 freins" in text  # the force field
    assert "attendu\u00a0: Forces de 2 à 5" in text
    assert "attendu\u00a0: Menaces de 2 à 5" in text


LONG = ("A driver whose label is far too long to stand on two lines of the "
        "picture, so it must be cut and the whole of it kept in a tooltip")
WEIGHTS = """atelier: 1
lang: en
title: Weights
date: 2024-05-02
participants:
  - {id: jm, name: Jeanne Martin, organisation: Mairie, role: mayor}
  - {id: pd, name: Paul Durand}
questions:
  - {id: q1, title: One}
  - {id: q2, title: Two}
tables:
  - {id: t1, name: Green table, host: Jeanne Martin}
  - {id: t2}
rounds:
  - {minutes: 20, tables: {q1: [t1, t2], q2: t2}}
  - {minutes: 15, tables: {q2: t1}}
brainstorm:
  q1:
    - text: Car pooling
      by: [jm, pd]
      round: 2
      table: t1
      votes: 7
      tags: [mobility, cost]
      link: https://example.org/plan
      note: Taken up by **two** tables.
subgroups:
  q1:
    groups:
      - name: Group A
        size: 2
        members: [jm, pd]
        drivers:
          - {text: Petrol prices, weight: 1}
          - {text: Company plan, weight: 2}
          - {text: "LONG_LABEL", weight: 4}
        brakes:
          - Shift hours
          - {text: Habits, weight: 0.5}
  q2:
    groups:
      - name: Group B
        practices: [Bus]
""".replace("LONG_LABEL", LONG)


def test_rotation_plan_and_item_metadata(ctx):
    """The rotation plan is a table of rounds by questions with table names
    and hosts; an item shows its authors' names, where it was born, votes,
    tags, a link and a note; participants are listed in the annex."""
    text = build_html(ctx, session(ctx, WEIGHTS))
    table = text[text.index('<table class="rotation">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len(rows) == 3  # header + 2 rounds
    assert re.findall(r'<th scope="col">([^<]*)</th>', rows[0]) == \
        ["Round", "Question 1", "Question 2"]
    assert "Green table" in rows[1] and "hosted by Jeanne Martin" in rows[1]
    assert "t2" in rows[1] and "20 min" in rows[1]
    assert rows[2].count("<td></td>") == 1  # nothing for q1 in round 2
    li = text[text.index("Car pooling"):]
    li = li[:li.index("</li>")]
    for want in ("by Jeanne Martin, Paul Durand", "round 2, Green table",
                 "7 votes", "tags: mobility, cost",
                 '<a href="https://example.org/plan">link</a>',
                 "<strong>two</strong>"):
        assert want in li, (want, li)
    assert "Members: Jeanne Martin, Paul Durand" in text
    assert "2 people" in text
    annex = text[text.index('id="annex"'):]
    assert "<td>Jeanne Martin</td><td>Mairie</td><td>mayor</td>" in annex


def test_system_file_as_figure_is_refused_even_when_allowed_outside(ctx):
    """/proc/self/mem is a regular file whose first page cannot be read:
    even with --allow-outside-figures, a file of /proc is no image. It is
    refused at check, at the figure, and no page is written."""
    path = session(ctx, """atelier: 1
title: T
date: 2024-05-02
questions: [{id: q1, title: Q}]
figures:
  - image: /proc/self/mem
    caption: unreadable
""")
    out = ctx.tmpdir()
    p = ctx.run("build", "--allow-outside-figures", "-f", "html", "-o", out,
                path)
    assert p.returncode == 1, p.stderr
    assert re.search(r"s\.yaml:6:12: error: image '/proc/self/mem' is a "
                     r"file of the system \(/proc, /sys\), not an image",
                     p.stderr), p.stderr
    assert os.listdir(out) == []

