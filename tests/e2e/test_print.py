"""test_print.py: the HTML compte-rendu printed from a browser: the style
sheet's @page margin boxes (the title, "n / N"), the table of contents
kept in print, no forced break before every part, the session's words in
the margins escaped as CSS strings; and Chromium's own print of the
example (A4, at most 10 pages, "n / N" on every page but the first, the
last page not the annex alone). Chromium's part is skipped, with its
reason on stderr, where chromium is not installed (make deps installs
it)."""
import html
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from helpers import copy_example_inputs, skip_valgrind, write

EXAMPLE_TITLE = ("ANIMATION DES REUNIONS DE PRODUCTION D'IDEES ET DE "
                 "PROJETS")
CREDIT_FR = "Compte-rendu produit par atelier "
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run",
            "--no-pdf-header-footer"]
FORCED = re.compile(r"(?:page-)?break-(?:before|after)\s*:\s*"
                    r"(?:page|always|left|right|recto|verso)")


def build(ctx, path):
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "html", "-o", out, path)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(out, stem + ".html")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def style_of(page):
    """The one <style> element's text; nothing in it may end it early."""
    start = page.index("<style>") + len("<style>")
    end = page.index("</style>")
    assert page.count("</style") == 1, "a text ends the style element"
    return page[start:end]


def block(css, opener, start=0):
    """The text inside the braces that follow the first opener at or past
    start (nested ones kept)."""
    i = css.index(opener, start) + len(opener)
    depth, j, quoted = 1, i, False
    while j < len(css):
        c = css[j]
        if quoted:
            j += 2 if c == "\\" else 1
            quoted = c != '"'
            continue
        quoted = c == '"'
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0:
            return css[i:j]
        j += 1
    raise AssertionError("unbalanced braces after " + opener)


def margin_boxes(css):
    """{box name: declarations}, over every @page rule in order (a box's
    later declarations after its earlier ones, as the cascade reads
    them)."""
    boxes = {}
    for m in re.finditer(r"@page\s*\{", css):
        body = block(css, m.group(0), m.start())
        for b in re.finditer(r"@([a-z-]+)\s*\{", body):
            boxes[b.group(1)] = boxes.get(b.group(1), "") + ";" + \
                block(body, b.group(0), b.start())
    return boxes


def css_string(decls, prop="content"):
    """The value of the first quoted string of `prop`, its escapes decoded
    as CSS reads them (\\hex then one optional space, \\char)."""
    m = re.search(prop + r'\s*:\s*"((?:[^"\\]|\\.)*)"', decls, re.S)
    assert m, "no string for %s in %r" % (prop, decls)
    raw, out, i = m.group(1), [], 0
    while i < len(raw):
        if raw[i] != "\\":
            out.append(raw[i])
            i += 1
            continue
        h = re.match(r"[0-9a-fA-F]{1,6}", raw[i + 1:])
        if h:
            out.append(chr(int(h.group(0), 16)))
            i += 1 + len(h.group(0))
            if i < len(raw) and raw[i] == " ":
                i += 1
        else:
            out.append(raw[i + 1])
            i += 2
    return "".join(out)


def print_rules(css):
    """(selectors, declarations) of every rule inside @media print."""
    body = block(css, "@media print{")
    return re.findall(r"([^{}]+)\{([^{}]*)\}", body)


def session(ctx, title, lang="fr"):
    d = ctx.tmpdir()
    return write(os.path.join(d, "s.yaml"), """atelier: 1
lang: %s
title: %s
date: 2024-03-14
questions:
  - {id: q1, title: Comment venir ?}
  - {id: q2, title: Avec qui ?}
brainstorm:
  q1: [Covoiturage entre collègues]
  q2: [Les voisins]
synthesis: Ce que la plénière a retenu.
""" % (lang, title))


# ---- the style sheet ----

def test_margin_boxes_carry_page_numbers_title_and_credit(ctx):
    """Every printed page has "n / N" at the foot (counter(page) and
    counter(pages)), the session's title at the top, except on the first
    page which opens with it, and the credit the screen's footer gives."""
    css = style_of(read(build(ctx, ctx.path("examples/moulins-2016/session.yaml"))))
    boxes = margin_boxes(css)
    numbers = boxes.get("bottom-right", "")
    assert re.search(r'content:\s*counter\(page\)\s*" / "\s*'
                     r'counter\(pages\)', numbers), numbers
    assert css_string(boxes["top-center"]) == EXAMPLE_TITLE
    assert css_string(boxes["bottom-left"]).startswith(CREDIT_FR)
    first = block(css, "@page:first{")
    assert re.search(r"@top-center\s*\{\s*content\s*:\s*none", first), first
    assert re.search(r"size\s*:\s*A4", block(css, "@page{"))


def test_margin_title_is_escaped_bounded_and_french(ctx):
    """The title is the session's text: in a CSS string inside <style> it
    can neither end the string, the rule nor the element, it says what
    the page's <title> says (glued French spaces no-break), and past 150
    characters it is cut with an ellipsis (more would spill over the
    page's top margin)."""
    hostile = ('"A\\ </style><script>alert(1)</script> \\"}@page{x:y} '
               '« Oui » ?')
    page = read(build(ctx, session(ctx, json.dumps(hostile, ensure_ascii=False))))
    css = style_of(page)
    title = css_string(margin_boxes(css)["top-center"])
    head = html.unescape(re.search(r"<title>(.*)</title>", page).group(1))
    assert head.endswith(" — Compte-rendu"), head
    assert title == head[:-len(" — Compte-rendu")], (title, head)
    assert "</style><script>" in title and "\u00a0»\u00a0?" in title, title
    assert "<" not in block(css, "@page{@top-center{"), \
        "a raw < in the style sheet could close it"
    long_title = "Mot " * 60
    css = style_of(read(build(ctx, session(ctx, long_title))))
    title = css_string(margin_boxes(css)["top-center"])
    assert title == long_title[:150] + "\u2026", repr(title)


def test_contents_printed_and_no_forced_break(ctx):
    """The table of contents is not hidden in print, and no part starts a
    page by force: a part moves to the next page only when it would start
    in its last third (the sheet's spacer, not a forced break)."""
    page = read(build(ctx, ctx.path("examples/moulins-2016/session.yaml")))
    assert '<nav class="toc"' in page
    css = style_of(page)
    for sel, decls in print_rules(css):
        if ".toc" in sel:
            assert not re.search(r"display\s*:\s*none", decls), (sel, decls)
            assert not re.search(r"visibility\s*:\s*hidden", decls), (sel, decls)
    assert not FORCED.search(css), FORCED.search(css).group(0)
    annex = [d for s, d in print_rules(css) if s.strip() == "#annex"]
    assert any(re.search(r"break-before\s*:\s*avoid", d) for d in annex), \
        "the annex does not ask to stay with what precedes it"
    assert page.count('<section class="part"') >= 5


# ---- Chromium's print of the example ----

def skip(reason):
    print("SKIP test_print: " + reason, file=sys.stderr)


def chromium_print(html_path, pdf):
    profile = tempfile.mkdtemp(prefix="atelier-chromium-")
    try:
        p = subprocess.run(CHROMIUM + ["--user-data-dir=" + profile,
                                       "--print-to-pdf=" + pdf,
                                       pathlib.Path(html_path).as_uri()],
                           capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert os.path.exists(pdf), "chromium printed nothing:\n" + p.stderr


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                          check=True).stdout
    size = re.search(r"Page size:\s*([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size.group(1)) - 595.3) < 1.5 and \
        abs(float(size.group(2)) - 841.9) < 1.5, info
    return int(re.search(r"Pages:\s*(\d+)", info).group(1))


def page_text(pdf, k):
    return subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), pdf, "-"],
                          capture_output=True, text=True, check=True).stdout


@skip_valgrind  # atelier runs once; the rest is Chromium's
def test_chromium_prints_the_example_finished(ctx):
    """Printed by Chromium as a reader would: A4, at most 10 pages (9
    here with Noto Sans; 13 before the print sheet used the page), "n / N",
    the title and the credit on every page but the first, and the last
    page holds more than the annex."""
    if not shutil.which("chromium"):
        return skip("chromium is not installed (make deps installs it)")
    for tool in ("pdfinfo", "pdftotext"):
        assert shutil.which(tool), tool + " is missing: make deps installs poppler-utils"
    src = copy_example_inputs(ctx, ctx.tmpdir())
    html_path = build(ctx, src)
    pdf = os.path.join(ctx.tmpdir(), "example.pdf")
    chromium_print(html_path, pdf)
    n = pdf_pages(pdf)
    assert n <= 10, "the example prints to %d pages" % n
    for k in range(2, n + 1):
        text = page_text(pdf, k)
        # pdftotext may close up the spaces of a small font: "2/9".
        assert re.search(r"(?m)^\s*%d\s*/\s*%d\s*$" % (k, n), text), \
            "no '%d / %d' on page %d:\n%s" % (k, n, k, text)
        assert EXAMPLE_TITLE in text, "no title on page %d" % k
        assert CREDIT_FR in text, "no credit on page %d" % k
    last = [line.replace("\u00a0", " ").strip()
            for line in page_text(pdf, n).splitlines()
            if line.strip()]
    body = [line for line in last
            if line != EXAMPLE_TITLE and not line.startswith(CREDIT_FR)
            and not re.fullmatch(r"%d\s*/\s*%d" % (n, n), line)]
    annex = body.index("5. Annexe : liste des présents")
    assert annex > 0, "the last page is the annex alone:\n" + "\n".join(last)
