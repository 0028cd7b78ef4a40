"""test_contributions.py: every contribution of the tree appears in every
document output. The tree is read back from the JSON export (the whole
validated session), walked, and each item's words are looked for, in order,
in the Markdown and the HTML."""
import html
import html.parser
import json
import os
import re
import unicodedata

from helpers import write

EXAMPLE = "examples/moulins-2016/session.yaml"
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")


def norm(s):
    """Letters and digits only: markup and layout may differ between the
    YAML's Markdown and an output, the words may not."""
    s = unicodedata.normalize("NFC", html.unescape(s)).lower()
    return "".join(ch for ch in s if ch.isalnum())


def expected(md):
    return norm(LINK.sub(r"\1 \2", md))


class _Text(html.parser.HTMLParser):
    """The page's text, each link's target right after its text: the order
    in which the Markdown `[text](url)` says them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.hrefs = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self.skip:
            self.skip -= 1
        if tag == "a" and self.hrefs:
            self.parts.append(" %s " % self.hrefs.pop())

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(raw):
    p = _Text()
    p.feed(raw)
    return norm(" ".join(p.parts))


def md_text(raw):
    raw = LINK.sub(r"\1 \2", raw)
    raw = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|\"'])", r"\1", raw)
    return norm(raw)


def walk(doc):
    """Every contribution's Markdown text, in document order."""
    def items(lst):
        for it in lst or []:
            if "text" in it:
                yield it["text"]
                yield from items(it.get("items"))
    for b in doc.get("brainstorm", []):
        yield from items(b.get("items"))
    for w in doc.get("subgroups", []):
        for g in w["groups"]:
            for sec in g.get("sections", []):
                yield from items(sec.get("items"))
    for k in doc.get("kit", []):
        for st in k["steps"]:
            yield from items(st.get("asks"))


def assert_in_order(hay, texts, fmt):
    """Each contribution's words (texts, from walk) found in hay, the
    report's text flattened as norm does, one after the other."""
    pos = 0
    for t in texts:
        want = expected(t)
        at = hay.find(want, pos)
        assert at >= 0, "%s: contribution missing or out of order: %r" % (fmt, t)
        pos = at + len(want)


def build(ctx, session, fmts):
    d = ctx.tmpdir()
    p = ctx.run("build", "-f", ",".join(fmts), "-o", d, session)
    assert p.returncode == 0, p.stderr
    stem = os.path.splitext(os.path.basename(session))[0]
    out = {}
    for f in fmts:
        with open(os.path.join(d, "%s.%s" % (stem, f)), encoding="utf-8") as fh:
            out[f] = fh.read()
    return out


def check_all_found(ctx, session):
    out = build(ctx, session, ["json", "md", "html"])
    texts = list(walk(json.loads(out["json"])))
    assert texts, "the session has contributions"
    for fmt, flatten in (("md", md_text), ("html", html_text)):
        assert_in_order(flatten(out[fmt]), texts, fmt)
    return len(texts)


def test_every_contribution_of_the_example_is_in_md_and_html(ctx):
    n = check_all_found(ctx, EXAMPLE)
    assert n > 100


def test_every_contribution_of_a_custom_grid_is_in_md_and_html(ctx):
    d = ctx.tmpdir()
    session = write(os.path.join(d, "swot.yaml"), """\
atelier: 1
lang: en
title: A SWOT workshop
date: 2025-05-04
questions:
  - {id: q1, title: "Where do we stand?"}
sections:
  - {id: strengths, label: Strengths, force: driver}
  - {id: weaknesses, label: Weaknesses, force: brake}
  - {id: suggestions, label: Suggestions}
subgroups:
  q1:
    groups:
      - theme: Mobility
        strengths: ["Bus line 4 **runs hourly**", {text: "Car pooling", items: ["Sunday app ride"]}]
        weaknesses: ["No night service"]
        suggestions: ["Ask the region about [tariffs](https://example.org/t)"]
kit:
  q1:
    - {step: "Step 1", asks: ["List strengths first"]}
""")
    # 3 strengths (one nested), 1 weakness, 1 suggestion, 1 kit ask.
    assert check_all_found(ctx, session) == 6
