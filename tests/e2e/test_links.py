"""test_links.py: every link a folder build writes from a path (index.html,
index.md, the merged workbook's HYPERLINK, the Markdown reports' figures)
is a relative URL that leads, from the file that holds it, to a file inside
OUT, whatever the spelling of -o and of the inputs and whatever the names
of the folders and files; figures are copied beside the reports; names
that would overwrite the index or the workbook, collide on a
case-insensitive checkout or not fit once suffixed are refused."""
import json
import os
import random
import re
import shutil
import urllib.parse

from helpers import write

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'


def session(title, date="2024-03-14", figure=None):
    """A small valid session; figure: an image file name beside it."""
    text = ("atelier: 1\ntitle: %s\ndate: %s\n" % (json.dumps(title), date))
    if figure is not None:
        text += "figures:\n  - {image: %s, caption: Salle}\n" % json.dumps(figure)
    return text + ("questions:\n  - id: q1\n    title: Comment venir ?\n"
                   "brainstorm:\n  q1: [Covoiturage, Vélo]\n")


def put_session(folder, stem, title, figure=None, date="2024-03-14"):
    write(os.path.join(folder, stem + ".yaml"), session(title, date, figure))
    if figure is not None:
        write(os.path.join(folder, figure), SVG.replace("4", str(len(stem) % 9 + 1)))


def hrefs(html):
    """Every href and src of an HTML page, with its entities decoded."""
    import html as h
    return [h.unescape(u) for u in re.findall(r'(?:href|src)="([^"]*)"', html)]


def md_links(md):
    """Every link destination of a Markdown page atelier wrote."""
    return re.findall(r"\]\(([^)\s]*)\)", md)


def workbook_links(path):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2, max_col=2, values_only=True):
            if row[1]:
                m = re.fullmatch(r'=HYPERLINK\("([^"]*)"\)', row[1])
                assert m, row[1]
                out.append(m.group(1))
    return out


def resolve(url, holder, out):
    """The file a relative URL written in holder leads to; asserts that it
    is a relative URL (no scheme, no host, no query or fragment), that it
    stays inside OUT and that the file is there."""
    p = urllib.parse.urlsplit(url)
    assert not p.scheme and not p.netloc, url
    assert not p.query and not p.fragment and "?" not in url and "#" not in url, url
    assert not url.startswith("/"), url
    target = os.path.normpath(os.path.join(os.path.dirname(holder),
                                           urllib.parse.unquote(p.path)))
    real_out = os.path.realpath(out)
    assert os.path.realpath(target).startswith(real_out + os.sep), (url, target)
    assert os.path.isfile(target), (url, holder, target)
    with open(target, "rb") as f:
        assert f.read(1), target  # opened, and not empty
    return target


def check_all_links(out):
    """Resolves every link of index.html, index.md, contributions.xlsx and
    of each Markdown report's figures; returns how many were followed."""
    n = 0
    index = os.path.join(out, "index.html")
    with open(index, encoding="utf-8") as f:
        for u in hrefs(f.read()):
            resolve(u, index, out)
            n += 1
    index_md = os.path.join(out, "index.md")
    with open(index_md, encoding="utf-8") as f:
        for u in md_links(f.read()):
            resolve(u, index_md, out)
            n += 1
    book = os.path.join(out, "contributions.xlsx")
    if os.path.exists(book):
        for u in workbook_links(book):
            resolve(u, book, out)
            n += 1
    for base, _, names in os.walk(out):
        for name in names:
            if name.endswith(".md") and name != "index.md":
                report = os.path.join(base, name)
                with open(report, encoding="utf-8") as f:
                    for u in re.findall(r"!\[[^\]]*\]\(([^)\s]*)\)", f.read()):
                        resolve(u, report, out)
                        n += 1
    return n


def small_tree(ctx):
    d = ctx.tmpdir()
    tree = os.path.join(d, "sessions")
    put_session(os.path.join(tree, "2025"), "jardins", "Jardins", "plan.svg")
    put_session(tree, "top", "Au sommet", "salle.svg", date="2025-01-02")
    put_session(os.path.join(tree, "2025", "sub"), "deep", "Profond")
    return d, tree


def test_links_resolve_whatever_the_spelling_of_out_and_inputs(ctx):
    d, tree = small_tree(ctx)
    outs = ["public", "public/", "./public", os.path.join(d, "public")]
    ins = ["sessions", "sessions/", "./sessions", tree]
    for k, (o, i) in enumerate((o, i) for o in outs for i in ins):
        out = os.path.join(d, "public")
        shutil.rmtree(out, ignore_errors=True)
        os.mkdir(out)
        p = ctx.run("build", i, "-o", o, cwd=d)
        assert p.returncode == 0, (o, i, p.stderr)
        # In each index: the workbook, 3 titles, 3 sessions x 4 formats;
        # the workbook's 6 rows; 2 figures.
        assert check_all_links(out) == 2 * (1 + 3 + 12) + 6 + 2, (o, i)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            assert 'href="2025/jardins.html"' in f.read(), (o, i)
    # Without -o, the reports beside the sessions, the index in the folder.
    for i in ins:
        shutil.rmtree(os.path.join(d, "copy"), ignore_errors=True)
        shutil.copytree(tree, os.path.join(d, "copy"))
        spelled = i.replace("sessions", "copy") if i != tree else os.path.join(d, "copy")
        p = ctx.run("build", spelled, cwd=d)
        assert p.returncode == 0, (i, p.stderr)
        assert check_all_links(os.path.join(d, "copy")) == 2 * (1 + 3 + 12) + 6 + 2, i
        # The figures are in the tree already: linked there, not copied.
        assert not [n for n in os.listdir(os.path.join(d, "copy", "2025"))
                    if n.endswith(".svg") and n != "plan.svg"]


HOSTILE_DIRS = ["javascript:alert(document.domain)", 'quo"te\'s', "a <b> & c",
                "pipe|cell", "hash#frag", "what?q=1", "100%25 sure", "sp ace"]


def test_hostile_folder_and_file_names_stay_links_inside_out(ctx):
    d = ctx.tmpdir()
    tree = os.path.join(d, "tree")
    for k, name in enumerate(HOSTILE_DIRS):
        put_session(os.path.join(tree, name), name.replace(":", "-") + " x%20y",
                    "T%d" % k, "fig %s #1?.svg" % k, date="2024-01-%02d" % (k + 1))
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    # Each session: title and 4 formats in each index, 2 rows, 1 figure.
    assert check_all_links(out) == len(HOSTILE_DIRS) * (2 * 5 + 2 + 1) + 2
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert 'href="javascript%3Aalert%28document.domain%29/' in html
    assert "javascript:" not in html.split("<style>")[0] + html.split("</style>")[1]
    # Each Markdown table row keeps its eight cells.
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        rows = [l for l in f.read().splitlines() if re.match(r"^\| \d{4}-", l)]
    assert len(rows) == len(HOSTILE_DIRS)
    for r in rows:
        assert len(re.split(r"(?<!\\)\|", r)) == 8 + 2, r
    for u in workbook_links(os.path.join(out, "contributions.xlsx")):
        assert u.startswith(("javascript%3A", "quo%22te%27s", "a%20%3Cb%3E",
                             "pipe%7Ccell", "hash%23frag", "what%3Fq%3D1",
                             "100%2525", "sp%20ace")), u


def test_names_are_fuzzed_and_every_link_stays_a_relative_url_inside_out(ctx):
    """Property: whatever the folder and file names (a seeded random draw
    over characters that mean something in a URL, HTML, Markdown, a formula
    or a shell), every href/src of index.html, every link of index.md and
    of the reports' figures and every HYPERLINK leads, as a relative URL,
    to the file it names inside OUT."""
    alphabet = list("aZ09 -._~:/?#[]@!$&'()*+,;=%\"<>\\^`{|}") + ["é", "日", "\t"]
    rng = random.Random(int(os.environ.get("ATELIER_FUZZ_SEED", "1212")))

    def name():
        while True:
            n = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            n = n.replace("/", "")
            if n and not n.startswith(".") and n not in (".", ".."):
                return n
    for round_ in range(8):
        d = ctx.tmpdir()
        tree = os.path.join(d, "tree")
        stems = set()
        for k in range(6):
            folder = os.path.join(tree, *[name() for _ in range(rng.randint(0, 2))])
            stem = name()
            if os.path.join(folder, stem).lower() in stems or \
                    stem.lower() in ("index", "contributions"):
                continue
            stems.add(os.path.join(folder, stem).lower())
            put_session(folder, stem, name(), name() + ".svg",
                        date="2024-02-%02d" % (k + 1))
        out = os.path.join(d, "out")
        os.mkdir(out)
        p = ctx.run("build", tree, "-o", out)
        assert p.returncode == 0, (round_, sorted(stems), p.stderr)
        assert check_all_links(out) >= len(stems) * 12, round_


def test_figures_are_copied_beside_the_report_and_linked_there(ctx):
    d = ctx.tmpdir()
    tree = os.path.join(d, "sessions")
    put_session(os.path.join(tree, "a"), "one", "Un", "plan.svg")
    write(os.path.join(tree, "a", "two.yaml"), session("Deux", figure="plan2.svg"))
    write(os.path.join(tree, "a", "plan2.svg"), SVG.replace("4", "7"))
    out = os.path.join(d, "public")
    os.mkdir(out)
    assert ctx.run("build", "-f", "md,html", tree, "-o", out).returncode == 0
    with open(os.path.join(out, "a", "one.md"), encoding="utf-8") as f:
        md = f.read()
    (link,) = re.findall(r"!\[[^\]]*\]\(([^)]*)\)", md)
    assert re.fullmatch(r"one-[0-9a-f]{16}\.svg", link), link
    copy = os.path.join(out, "a", link)
    with open(copy, encoding="utf-8") as f:
        assert f.read() == open(os.path.join(tree, "a", "plan.svg"), encoding="utf-8").read()
    two = [n for n in os.listdir(os.path.join(out, "a")) if n.startswith("two-")]
    assert len(two) == 1 and two[0] != link  # each session its own copies
    # The HTML still embeds the figure.
    with open(os.path.join(out, "a", "one.html"), encoding="utf-8") as f:
        assert 'src="data:image/svg+xml;base64,' in f.read()
    # Unchanged: not written again.
    before = os.stat(copy).st_mtime_ns
    with open(os.path.join(tree, "a", "one.yaml"), "a", encoding="utf-8") as f:
        f.write("# rebuilt, the same figure\n")
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert "1 built" in p.stderr, p.stderr
    assert os.stat(copy).st_mtime_ns == before
    # Changed: a new copy, linked; the old one removed.
    write(os.path.join(tree, "a", "plan.svg"), SVG.replace("4", "9"))
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0 and "1 built" in p.stderr, p.stderr
    assert not os.path.exists(copy)
    with open(os.path.join(out, "a", "one.md"), encoding="utf-8") as f:
        (new,) = re.findall(r"!\[[^\]]*\]\(([^)]*)\)", f.read())
    assert new != link and os.path.isfile(os.path.join(out, "a", new))
    # A copy deleted by hand is made again; --prune removes them with the
    # reports.
    os.remove(os.path.join(out, "a", new))
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert "1 built" in p.stderr and os.path.isfile(os.path.join(out, "a", new))
    os.remove(os.path.join(tree, "a", "one.yaml"))
    p = ctx.run("build", "--prune", "-f", "md,html", tree, "-o", out)
    assert "3 outputs pruned" in p.stderr, p.stderr
    assert sorted(os.listdir(os.path.join(out, "a"))) == sorted(["two.md", "two.html"] + two)


def test_a_figure_is_never_published_as_a_page(ctx):
    """A "figure" that is a page (evil.html) is no image: the session fails
    at it, and nothing of it is published, as a page or otherwise."""
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    write(os.path.join(tree, "s.yaml"), session("S", figure="evil.html"))
    write(os.path.join(tree, "evil.html"), "<script>alert(1)</script>")
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert p.returncode == 1, p.stderr
    assert ": error: cannot decode image evil.html: " in p.stderr, p.stderr
    names = sorted(os.listdir(out))
    assert not [n for n in names if n.startswith("s")], names
    assert not [n for n in names if n.endswith(".html") and n != "index.html"]


def test_the_index_links_every_format_and_the_workbook(ctx):
    d, tree = small_tree(ctx)
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", "-f", "html,csv,xlsx", tree, "-o", out, "--lang", "en")
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        html = f.read()
    row = [l for l in html.splitlines() if "2025/jardins" in l][0]
    assert re.findall(r'href="([^"]*)"', row) == [
        "2025/jardins.html", "2025/jardins.html", "2025/jardins.xlsx",
        "2025/jardins.csv"], row
    assert '<a href="contributions.xlsx">Every contribution in one spreadsheet</a>' in html
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        md = f.read()
    # No Markdown report: the title links the first format built.
    assert "| [Jardins](2025/jardins.html) |" in md
    assert "[html](2025/jardins.html) · [xlsx](2025/jardins.xlsx) · " \
           "[csv](2025/jardins.csv) |" in md
    assert "[Every contribution in one spreadsheet](contributions.xlsx)" in md
    # Dates never wrap; on a phone each session is a block whose counts
    # keep their labels (the table's header is hidden there).
    assert "<td class=\"date\">2024-03-14</td>" in row
    assert ".date,.formats{white-space:nowrap}" in html
    phone = re.search(r"@media \(max-width:40rem\)\{(.*?)\}\}", html).group(1)
    assert ".sessions thead{display:none}" in phone
    assert ".sessions td.n::before{content:attr(data-label)" in phone
    assert '<td class="n" data-label="Contributions">2</td>' in row
    # Without the spreadsheet there is no workbook to link.
    out2 = os.path.join(d, "out2")
    os.mkdir(out2)
    assert ctx.run("build", "-f", "md", tree, "-o", out2).returncode == 0
    with open(os.path.join(out2, "index.html"), encoding="utf-8") as f:
        assert "contributions.xlsx" not in f.read()


# ---- names a folder build refuses ----

def refused(ctx, tree, *args):
    out = os.path.join(os.path.dirname(tree), "out")
    os.makedirs(out, exist_ok=True)
    p = ctx.run("build", *args, tree, "-o", out)
    assert p.returncode == 2, p.stderr
    assert os.listdir(out) == [], os.listdir(out)  # nothing written
    return p.stderr, out


def test_sessions_named_like_the_index_or_the_workbook_are_refused(ctx):
    for stem in ("index", "contributions", "Index"):
        d = ctx.tmpdir()
        tree = os.path.join(d, "t")
        put_session(tree, "ok", "OK")
        put_session(tree, stem, "Bad")
        err, out = refused(ctx, tree)
        assert re.fullmatch(re.escape("atelier: %s/%s.yaml would write %s/" % (tree, stem, out))
                            + r"(\./)?" + re.escape(
            "%s.*, where the folder build writes its index (index.html, "
            "index.md) and its workbook (contributions.xlsx): rename it, or "
            "move it into a folder\n" % stem), err), err
    # In a folder they are names like others.
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    put_session(os.path.join(tree, "a"), "index", "I")
    put_session(os.path.join(tree, "a"), "contributions", "C")
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert os.path.isfile(os.path.join(out, "a", "index.html"))


def test_names_that_differ_only_by_case_are_refused(ctx):
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    put_session(os.path.join(tree, "y"), "Case", "A")
    put_session(os.path.join(tree, "y"), "case", "B")
    err, out = refused(ctx, tree)
    assert err == (
        "atelier: %s/y/Case.yaml and %s/y/case.yaml would both write "
        "%s/y/case.* on macOS and Windows, whose file names ignore case: "
        "rename one, or build them into different folders\n"
        % (tree, tree, out)), err
    # Folders too.
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    put_session(os.path.join(tree, "Y"), "s", "A")
    put_session(os.path.join(tree, "y"), "s", "B")
    err, _ = refused(ctx, tree)
    assert "would both write" in err and "ignore case" in err, err


def test_a_name_too_long_once_suffixed_is_refused(ctx):
    # Folder build with Markdown: the longest name written is a figure's
    # temporary copy, STEM-HASH16.EXT4.tmp-XXXXXX: 33 bytes past the stem.
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    put_session(tree, "s" * 245, "Long")
    err, out = refused(ctx, tree)
    assert err == (
        "atelier: %s/%s.yaml: a name too long for the reports (278 bytes "
        "with atelier's suffixes, 255 at most): shorten it by 23\n"
        % (tree, "s" * 245)), err
    d = ctx.tmpdir()
    tree = os.path.join(d, "t")
    put_session(tree, "s" * 222, "Long", "f.svg")
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert os.path.isfile(os.path.join(out, "s" * 222 + ".md"))
    # A single file: its reports, STEM.html.tmp-XXXXXX.
    d = ctx.tmpdir()
    put_session(d, "s" * 240, "Long")
    p = ctx.run("build", os.path.join(d, "s" * 240 + ".yaml"))
    assert p.returncode == 2, p.stderr
    assert "(256 bytes with atelier's suffixes, 255 at most): shorten it by 1" in p.stderr
    assert sorted(os.listdir(d)) == ["s" * 240 + ".yaml"]


def test_an_svg_that_could_run_is_not_copied(ctx):
    """An SVG opened on its own from the published site runs its scripts
    with the site's rights: one that holds anything that could run is not
    copied (a warning at the figure, which --werror makes an error), and
    the Markdown links it where it is; the HTML still embeds it."""
    runs = [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><x:SCRIPT xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:SCRIPT></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload = "alert(1)"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="java\nscript:alert(1)"><text>x</text></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;avascript:alert(1)"><text>x</text></a></svg>',
        '<!DOCTYPE svg [<!ENTITY j "javascript:">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe src="x"/></foreignObject></svg>',
    ]
    inert = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
             '<desc>A description &amp; a script-free drawing, online</desc>'
             '<rect width="4" height="4" style="fill:#0b5cad"/></svg>')
    for k, svg in enumerate(runs + [inert]):
        d = ctx.tmpdir()
        tree = os.path.join(d, "t")
        write(os.path.join(tree, "s.yaml"), session("S", figure="f.svg"))
        write(os.path.join(tree, "f.svg"), svg)
        out = os.path.join(d, "out")
        os.mkdir(out)
        p = ctx.run("build", "-f", "md,html", tree, "-o", out)
        assert p.returncode == 0, (k, p.stderr)
        copies = [n for n in os.listdir(out) if n.endswith(".svg")]
        with open(os.path.join(out, "s.md"), encoding="utf-8") as f:
            (link,) = re.findall(r"!\[[^\]]*\]\(([^)]*)\)", f.read())
        if svg is inert:
            assert len(copies) == 1 and link == copies[0], (copies, link)
            assert ": warning:" not in p.stderr, p.stderr
            continue
        assert copies == [] and link == "../t/f.svg", (k, copies, link)
        assert ("%s/s.yaml:5:14: warning: image f.svg not copied beside the "
                "Markdown report: an SVG with scripts, event attributes or "
                "entities would run when opened from the published site; the "
                "report links it where it is (the HTML report embeds it "
                "safely)\n" % tree) in p.stderr, (k, p.stderr)
        assert "1 built, 0 up to date, 0 failed, 1 warning\n" in p.stderr, p.stderr
        with open(os.path.join(out, "s.html"), encoding="utf-8") as f:
            assert 'src="data:image/svg+xml;base64,' in f.read()
    p = ctx.run("build", "--werror", "--force", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0  # the inert one, last
    write(os.path.join(tree, "f.svg"), runs[0])
    p = ctx.run("build", "--werror", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 1 and ":5:14: error: image f.svg not copied" in p.stderr, p.stderr


def test_a_manifest_of_another_version_is_a_full_rebuild(ctx):
    """Manifest version 5 records the reports' path and formats for the
    index's links, each session's language and whether its grid has
    forces, and the ids of its drivers' and brakes' keys; one written by
    an earlier atelier is not misread."""
    d, tree = small_tree(ctx)
    out = os.path.join(d, "out")
    os.mkdir(out)
    assert ctx.run("build", "-f", "md", tree, "-o", out).returncode == 0
    manifest = os.path.join(out, ".atelier-manifest")
    with open(manifest, encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("atelier-manifest\t5\t")
    write(manifest, "atelier-manifest\t4\t" + text.split("\t", 2)[2])
    p = ctx.run("build", "--color=never", "-f", "md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert p.stderr == (
        "%s: warning: the build manifest .atelier-manifest was written by "
        "another version of atelier: rebuilding everything\n"
        "3 built, 0 up to date, 0 failed, 0 warnings\n" % out), p.stderr
