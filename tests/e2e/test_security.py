"""test_security.py: a session file from a stranger's pull request, built
by CI (docs/security.md). Each test is one finding of issue 11, tried as a
hostile contributor would: figures that read the runner's files, a link
written with entities, a session that costs minutes of CPU or gigabytes of
output, control characters in the workbook's XML, a FIFO named on the
command line. Each runs in a single-file build and, where a folder build
decides differently (the figure root), in a folder build too.
"""
import base64
import os
import re
import subprocess
import zipfile
import xml.dom.minidom

from helpers import skip_valgrind, write

HEAD = "atelier: 1\ntitle: T\ndate: 2016-06-30\n"
QUESTIONS = "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n    - un\n"
SECRET = b"SECRET-TOKEN-123"


# ---- figures (findings 1 and 2) ----

# Line 5 onwards: one figure a line, its image at column 12.
HOSTILE_FIGURES = [
    ("/proc/self/environ", "is an absolute path"),
    ("../../outside/secret.png", "climbs out of"),
    ("link.png", "leads outside"),
    ("/proc/self/pagemap", "is an absolute path"),
    ("pagemap.png", "leads outside"),
]


PICTURE = (b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
           b'<title>%s</title></svg>')


def figure_tree(ctx):
    """d/tree/sub/s.yaml naming every hostile figure; d/tree/sub/good.yaml
    naming a link that stays inside and a picture of a sibling folder;
    d/outside/secret.png the file a contributor must not reach."""
    d = ctx.tmpdir()
    os.makedirs(os.path.join(d, "outside"))
    with open(os.path.join(d, "outside", "secret.png"), "wb") as f:
        f.write(SECRET)
    sub = os.path.join(d, "tree", "sub")
    os.makedirs(sub)
    os.makedirs(os.path.join(d, "tree", "other"))
    # SVGs: the HTML embeds them as written, so the test finds their bytes.
    with open(os.path.join(sub, "in.svg"), "wb") as f:
        f.write(PICTURE % b"INSIDE-PICTURE")
    with open(os.path.join(d, "tree", "other", "pic.svg"), "wb") as f:
        f.write(PICTURE % b"SIBLING-PICTURE")
    # Committed symbolic links: one out of the tree, one to /proc, one in.
    os.symlink("../../outside/secret.png", os.path.join(sub, "link.png"))
    os.symlink("/proc/self/pagemap", os.path.join(sub, "pagemap.png"))
    os.symlink("in.svg", os.path.join(sub, "ok.svg"))
    figs = "".join("  - image: %s\n" % img for img, _ in HOSTILE_FIGURES)
    write(os.path.join(sub, "s.yaml"), HEAD + "figures:\n" + figs + QUESTIONS)
    write(os.path.join(sub, "good.yaml"), HEAD + "figures:\n"
          "  - image: ok.svg\n  - image: ../other/pic.svg\n" + QUESTIONS)
    return d, os.path.join(d, "tree")


def assert_figures_refused(stderr, path, root):
    for i, (img, rule) in enumerate(HOSTILE_FIGURES):
        want = "%s:%d:12: error: image '%s' %s" % (path, 5 + i, img, rule)
        assert want in stderr, (want, stderr)
        assert root in stderr.split(want)[1].split("\n")[0], stderr
    # Each refusal says how to comply.
    assert stderr.count("put the image") == len(HOSTILE_FIGURES), stderr


def no_secret_in(folder):
    enc = base64.b64encode(SECRET)
    for d, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(d, name), "rb") as f:
                data = f.read()
            assert SECRET not in data and enc not in data, name


def test_figures_outside_the_session_folder_are_refused_single_file(ctx):
    d, tree = figure_tree(ctx)
    out = ctx.tmpdir()
    p = ctx.run("build", "-o", out, "tree/sub/s.yaml", cwd=d, timeout=30)
    assert p.returncode == 1, p.stderr
    assert_figures_refused(p.stderr, "tree/sub/s.yaml", "the session's folder")
    assert os.listdir(out) == []


def test_figures_outside_the_tree_are_refused_folder_build(ctx):
    d, tree = figure_tree(ctx)
    out = ctx.tmpdir()
    p = ctx.run("build", "tree", "-o", out, cwd=d, timeout=30)
    assert p.returncode == 1, p.stderr
    assert_figures_refused(p.stderr, "tree/sub/s.yaml",
                           "the folder being built")
    assert not os.path.exists(os.path.join(out, "sub", "s.html"))
    no_secret_in(out)
    # The good session is built: a link that stays inside, and a picture
    # of another folder of the tree.
    with open(os.path.join(out, "sub", "good.html"), encoding="utf-8") as f:
        page = f.read()
    for data in (b"INSIDE-PICTURE", b"SIBLING-PICTURE"):
        assert base64.b64encode(PICTURE % data).decode() in page, data


def test_link_inside_the_session_folder_is_read(ctx):
    """Single file: a link that stays in the session's folder is fine; a
    picture of a sibling folder is outside that folder (in a folder build
    it is inside the tree, see above)."""
    d, tree = figure_tree(ctx)
    out = ctx.tmpdir()
    p = ctx.run("build", "-o", out, "tree/sub/good.yaml", cwd=d)
    assert p.returncode == 1, p.stderr
    assert "tree/sub/good.yaml:6:12: error: image '../other/pic.svg' " \
        "climbs out of the session's folder" in p.stderr, p.stderr
    assert "5:12" not in p.stderr, p.stderr
    p = ctx.run("check", "tree/sub/good.yaml", "--allow-outside-figures",
                cwd=d)
    assert p.returncode == 0, p.stderr


def test_allow_outside_figures_still_refuses_system_files(ctx):
    """--allow-outside-figures reads an image anywhere, but never a file of
    /proc (environ: the job's secrets; pagemap: gigabytes behind a size
    of 0), nor a FIFO or a device, which would hang or never end."""
    d = ctx.tmpdir()
    os.mkfifo(os.path.join(d, "fifo.png"))
    with open(os.path.join(d, "secret.png"), "wb") as f:
        f.write(SECRET)
    write(os.path.join(d, "s.yaml"), HEAD + "figures:\n"
          "  - image: /proc/self/environ\n"
          "  - image: /proc/self/pagemap\n"
          "  - image: fifo.png\n"
          "  - image: /dev/zero\n"
          "  - image: %s\n" % os.path.join(d, "secret.png") + QUESTIONS)
    out = ctx.tmpdir()
    p = ctx.run("build", "--allow-outside-figures", "-f", "html", "-o", out,
                "s.yaml", cwd=d, timeout=30)
    assert p.returncode == 1, p.stderr
    for line, img in ((5, "/proc/self/environ"), (6, "/proc/self/pagemap")):
        assert "s.yaml:%d:12: error: image '%s' is a file of the system" \
            % (line, img) in p.stderr, p.stderr
    for line, img in ((7, "fifo.png"), (8, "/dev/zero")):
        assert "s.yaml:%d:12: error: image '%s' is not a regular file" \
            % (line, img) in p.stderr, p.stderr
    assert ":9:12:" not in p.stderr, p.stderr
    assert os.listdir(out) == []
    # Without the option, the absolute path itself is refused.
    p = ctx.run("check", "s.yaml", cwd=d, timeout=30)
    assert "s.yaml:9:12: error: image '%s' is an absolute path" \
        % os.path.join(d, "secret.png") in p.stderr, p.stderr


# ---- a non-regular file on the command line (finding 14) ----

def test_fifo_or_device_on_the_command_line_is_refused_at_once(ctx):
    d = ctx.tmpdir()
    fifo = os.path.join(d, "f.yaml")
    os.mkfifo(fifo)
    for cmd in ("check", "build"):
        for path in (fifo, "/dev/zero"):
            try:
                p = ctx.run(cmd, path, timeout=10)
            except subprocess.TimeoutExpired:
                raise AssertionError("%s %s hangs" % (cmd, path))
            assert p.returncode == 2, (cmd, path, p.stderr)
            assert p.stderr.startswith(
                "%s: error: is not a regular file (a pipe, a device or a "
                "socket): name a session file" % path), p.stderr
    p = ctx.run("check", d, timeout=10)
    assert p.returncode == 2, p.stderr
    assert "is a directory, not a session file" in p.stderr, p.stderr


# ---- control characters in the workbook's XML (finding 13) ----

CONTROL_SESSION = r'''atelier: 1
title: "Ti\x01t\x1Fle &#1; &#xFFFE; &#65535;"
organiser: "Org\x03"
subtitle: "sub\x02"
date: 2016-06-30
participants:
  - {id: p1, name: "Jea\x04n"}
questions: [{id: q1, title: "Q\x05 &#x2;"}]
brainstorm:
  q1:
    - "un\x06 \x1B[31m &#xFFFF; [l](https://x/&#1;)"
    - {text: "deux", note: "n\x07", tags: ["t\x08"]}
'''


def assert_well_formed(xlsx):
    with zipfile.ZipFile(xlsx) as z:
        parts = [n for n in z.namelist()
                 if n.endswith(".xml") or n.endswith(".rels")]
        assert "docProps/core.xml" in parts, parts
        for name in parts:
            try:
                xml.dom.minidom.parseString(z.read(name))
            except Exception as e:  # expat: not well-formed
                raise AssertionError("%s in %s: %s" % (name, xlsx, e))
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "<dc:title>Ti\ufffdt\ufffdle \ufffd \ufffd \ufffd</dc:title>" \
        in core, core


def test_control_characters_never_reach_the_workbook_xml(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "tree", "a", "s.yaml"), CONTROL_SESSION)
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "xlsx", "-o", out, "tree/a/s.yaml", cwd=d)
    assert p.returncode == 0, p.stderr
    assert_well_formed(os.path.join(out, "s.xlsx"))
    out = ctx.tmpdir()
    p = ctx.run("build", "tree", "-o", out, cwd=d)
    assert p.returncode == 0, p.stderr
    assert_well_formed(os.path.join(out, "a", "s.xlsx"))
    with zipfile.ZipFile(os.path.join(out, "contributions.xlsx")) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml.dom.minidom.parseString(z.read(name))


def test_non_character_escape_is_refused_at_its_text(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), HEAD + QUESTIONS +
          '    - "a \\uFFFE b"\n')
    p = ctx.run("check", "s.yaml", cwd=d)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(
        "s.yaml:8:7: error: text holds the non-character U+FFFE or U+FFFF "
        "(written as an escape): remove it"), p.stderr


# ---- link: written with entities (finding 4) ----

HOSTILE_LINKS = [
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(2)",
    "data&colon;text/html,<script>alert(3)</script>",
    "&#x6A;avascript&#x3A;alert(4)",
    "java%73cript:alert(5)",
    "&amp;#106;avascript:alert(6)",
    "JaVa&Tab;script:alert(7)",
    "vbscript&#58;msgbox(8)",
    "file&colon;///etc/passwd",
]
SAFE_LINK = "https://example.org/a?b=1&amp;c=%20"


def link_session():
    items = "".join('    - {text: "t%d", link: "%s"}\n' % (i, url.replace(
        '"', '\\"')) for i, url in enumerate(HOSTILE_LINKS + [SAFE_LINK]))
    # The same targets inside texts, where cmark decodes before deciding.
    items += "".join('    - "[in%d](%s)"\n' % (i, url)
                     for i, url in enumerate(HOSTILE_LINKS[:4]))
    return (HEAD + "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n"
            + items)


def decoded(url):
    """What a reader ends up with: entities and percent-escapes decoded
    as often as they change, blanks and controls dropped."""
    import html
    import urllib.parse
    for _ in range(5):
        new = urllib.parse.unquote(html.unescape(url))
        if new == url:
            break
        url = new
    return re.sub(r"[\x00-\x20\x7f]", "", url).lower()


def assert_no_dangerous_target(targets, where):
    for t in targets:
        d = decoded(t)
        assert not re.match(r"(javascript|vbscript|file|data):", d) or \
            re.match(r"data:image/(png|gif|jpeg|webp)", d), (where, t)


def md_targets(text):
    return re.findall(r"\]\(((?:\\.|[^)\\])*)\)", text)


def test_md_link_check_decides_on_the_decoded_url(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "tree", "s.yaml"), link_session())
    out = ctx.tmpdir()
    p = ctx.run("build", "-f", "md,html", "-o", out, "tree/s.yaml", cwd=d)
    assert p.returncode == 0, p.stderr
    tree_out = ctx.tmpdir()
    p = ctx.run("build", "-f", "md,html", "tree", "-o", tree_out, cwd=d)
    assert p.returncode == 0, p.stderr
    # Each hostile link: a warning at its value, never a silent loss.
    lines = link_session().split("\n")
    for i, url in enumerate(HOSTILE_LINKS):
        line = lines[6 + i]
        col = line.index('"', line.index("link: ")) + 1
        want = "tree/s.yaml:%d:%d: warning: link '%s' could run a script " \
            "or open a local file: it is left out of the reports" % (
                7 + i, col, url)
        assert want in p.stderr, (want, p.stderr)
    assert p.stderr.count("warning: link") == len(HOSTILE_LINKS), p.stderr
    for folder in (out, tree_out):
        with open(os.path.join(folder, "s.md"), encoding="utf-8") as f:
            md = f.read()
        targets = md_targets(md)
        assert_no_dangerous_target(targets, "md")
        # The safe link is kept, whole.
        assert SAFE_LINK in targets, targets
        with open(os.path.join(folder, "s.html"), encoding="utf-8") as f:
            page = f.read()
        assert_no_dangerous_target(re.findall(r'href="([^"]*)"', page),
                                   "html")
        assert 'href="https://example.org/a?b=1&amp;amp;c=%20"' in page


# ---- budgets: CPU time and bytes written (findings 7 and 8) ----

def leftovers(folder):
    return [os.path.join(d, f) for d, _, files in os.walk(folder)
            for f in files if ".tmp-" in f or f.startswith("atelier-xlsx-")]


def quadratic_session(size):
    """cmark 0.30.2's quadratic `![[]()`, one text of about size bytes."""
    n = size // 6
    return (HEAD + "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n"
            "    - '" + "![[]()" * n + "'\n")


@skip_valgrind
def test_pathological_session_stops_at_the_default_cpu_budget(ctx):
    """A 1 MiB session that costs cmark minutes: under the default budget
    (10 s, plus 1 s per MiB) it fails in seconds with a diagnostic naming
    the budget, and the other sessions of the tree are built."""
    d = ctx.tmpdir()
    write(os.path.join(d, "tree", "a", "slow.yaml"),
          quadratic_session(1000000))
    write(os.path.join(d, "tree", "b", "good.yaml"), HEAD + QUESTIONS)
    out = ctx.tmpdir()
    p = ctx.run("build", "tree", "-o", out, cwd=d, timeout=90)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(
        "tree/a/slow.yaml: error: building this session took more than "
        "its CPU time budget of 11 s (see --max-cpu): stopped, its reports "
        "left as they were\n"), p.stderr
    assert "1 built, 0 up to date, 1 failed" in p.stderr, p.stderr
    assert os.path.exists(os.path.join(out, "b", "good.html"))
    assert not os.path.exists(os.path.join(out, "a", "slow.html"))
    assert leftovers(out) == [], leftovers(out)


@skip_valgrind
def test_cpu_budget_option_single_file_keeps_the_previous_reports(ctx):
    d = ctx.tmpdir()
    path = write(os.path.join(d, "s.yaml"), HEAD + QUESTIONS)
    p = ctx.run("build", "-f", "md,html", path)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(d, "s.html"), "rb") as f:
        old = f.read()
    write(path, quadratic_session(300000))
    p = ctx.run("build", "-f", "md,html", "--max-cpu=1", path, timeout=60)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(
        "%s: error: building this session took more than its CPU time "
        "budget of 1 s (see --max-cpu)" % path), p.stderr
    with open(os.path.join(d, "s.html"), "rb") as f:
        assert f.read() == old
    assert leftovers(d) == [], leftovers(d)
    # Machine-readable too, for CI tools.
    p = ctx.run("build", "-f", "html", "--max-cpu=1", "--diagnostics=json",
                path, timeout=60)
    assert p.returncode == 1 and p.stderr == "", p.stderr
    assert '"code": "cpu-budget"' in p.stdout, p.stdout
    for bad in ("0", "x", "-1"):
        p = ctx.run("build", "--max-cpu=" + bad, path)
        assert p.returncode == 2 and "--max-cpu takes seconds" in p.stderr


def alias_bomb():
    """6,500 aliases of one 126-deep item: 61 KB that once wrote 1.85 GB."""
    item = "{text: x}"
    for _ in range(125):
        item = "{text: x, items: [%s]}" % item
    return (HEAD + "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n"
            "    - &a " + item + "\n" + "    - *a\n" * 6499)


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(folder) for f in files)


@skip_valgrind
def test_output_budget_stops_an_alias_bomb(ctx):
    d = ctx.tmpdir()
    path = write(os.path.join(d, "s.yaml"), HEAD + QUESTIONS)
    out = ctx.tmpdir()
    p = ctx.run("build", "-o", out, path)
    assert p.returncode == 0, p.stderr
    before = {f: open(os.path.join(out, f), "rb").read()
              for f in os.listdir(out)}
    write(path, alias_bomb())
    assert os.path.getsize(path) < 62 * 1024
    p = ctx.run("build", "-o", out, "--max-output=16M", path, timeout=60)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(
        "%s: error: the reports of this session pass the output budget of "
        "16777216 bytes together (see --max-output): none is written, the "
        "previous ones stay" % path), p.stderr
    # The default budget: 64 MiB plus 32 bytes per byte of the file.
    p = ctx.run("build", "-o", out, path, timeout=60)
    assert p.returncode == 1, p.stderr
    assert "output budget of %d bytes" % (
        (64 << 20) + 32 * os.path.getsize(path)) in p.stderr, p.stderr
    after = {f: open(os.path.join(out, f), "rb").read()
             for f in os.listdir(out)}
    assert after == before
    # In a folder build, the other sessions are built.
    write(os.path.join(d, "tree", "bomb.yaml"), alias_bomb())
    write(os.path.join(d, "tree", "good.yaml"), HEAD + QUESTIONS)
    tree_out = ctx.tmpdir()
    p = ctx.run("build", "tree", "-o", tree_out, "--max-output=16M", cwd=d,
                timeout=60)
    assert p.returncode == 1, p.stderr
    assert "tree/bomb.yaml: error: the reports of this session pass the " \
        "output budget" in p.stderr, p.stderr
    assert os.path.exists(os.path.join(tree_out, "good.html"))
    assert not os.path.exists(os.path.join(tree_out, "bomb.json"))
    assert folder_bytes(tree_out) < 16 << 20
    assert leftovers(tree_out) == [] and leftovers(out) == []


def test_cell_length_is_checked_before_any_format_is_written(ctx):
    """The spreadsheet's cell limit is a cheap refusal: it comes before
    md, html and json spend their time, so the output budget (1K here,
    which md alone would pass) is never reached."""
    d = ctx.tmpdir()
    path = write(os.path.join(d, "s.yaml"), HEAD + QUESTIONS +
                 "    - " + "a" * 40000 + "\n")
    p = ctx.run("build", "--max-output=1K", path)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(
        "%s:8:7: error: text of 40000 characters is longer than a "
        "spreadsheet cell holds (32,767)" % path), p.stderr
    assert "output budget" not in p.stderr, p.stderr
    assert sorted(os.listdir(d)) == ["s.yaml"]


def test_new_options_are_documented(ctx):
    p = ctx.run("help", "build")
    for opt in ("--max-cpu=N", "--max-output=N", "--allow-outside-figures"):
        assert opt in p.stdout, opt
    assert "--allow-outside-figures" in ctx.run("help", "check").stdout
    with open(ctx.path("man", "atelier.1"), encoding="utf-8") as f:
        man = f.read()
    for opt in ("max\\-cpu =", "max\\-output =", "allow\\-outside\\-figures"):
        assert "\\-\\-" + opt in man, opt
    with open(ctx.path("docs", "ci.md"), encoding="utf-8") as f:
        assert "(security.md#running-atelier-on-pull-requests)" in f.read()
    with open(ctx.path("docs", "security.md"), encoding="utf-8") as f:
        sec = f.read()
    assert "## Running atelier on pull requests" in sec
    for word in ("--max-cpu", "--max-output", "--allow-outside-figures",
                 "figure-outside", "output-too-large"):
        assert word in sec, word


def test_file_name_not_utf8_never_breaks_the_session_workbook(ctx):
    """A file name is bytes: one that is not UTF-8, or holds U+FFFE or a
    control character, lands in the workbook's "Source file" cells as
    U+FFFD, never raw."""
    d = ctx.tmpdir()
    names = [b"a\xff.yaml", "b\ufffe.yaml".encode(), b"c\x01.yaml"]
    for name in names:
        with open(os.path.join(d.encode(), name), "wb") as f:
            f.write((HEAD + QUESTIONS).encode())
    out = ctx.tmpdir()
    for name in names:
        p = subprocess.run([ctx.atelier, "build", "-f", "xlsx,csv", "-o",
                            out, name], cwd=d, capture_output=True)
        assert p.returncode == 0, p.stderr
        xlsx = os.path.join(out.encode(), name[:-5] + b".xlsx")
        with zipfile.ZipFile(open(xlsx, "rb")) as z:
            for part in z.namelist():
                if part.endswith(".xml"):
                    xml.dom.minidom.parseString(z.read(part))
            assert "\ufffd.yaml" in z.read(
                "xl/sharedStrings.xml").decode("utf-8"), name
        with open(os.path.join(out.encode(), name[:-5] + b".csv"), "rb") as f:
            f.read().decode("utf-8")  # valid UTF-8 throughout


def test_file_name_not_utf8_never_breaks_the_merged_workbook(ctx):
    """The same names in a folder build: the merged workbook's file column
    shows U+FFFD where XML would refuse the name, its links stay encoded,
    and every session keeps its rows."""
    root = ctx.tmpdir()
    tree = os.path.join(root, "tree").encode()
    os.makedirs(tree)
    names = [b"a\xff.yaml", "b\ufffe.yaml".encode(), b"c\x01.yaml"]
    for name in names:
        with open(os.path.join(tree, name), "wb") as f:
            f.write((HEAD + QUESTIONS).encode())
    out = os.path.join(root, "out")
    os.mkdir(out)
    p = subprocess.run([ctx.atelier, "build", "-f", "html,xlsx", tree, "-o", out],
                       capture_output=True)
    assert p.returncode == 0, p.stderr
    book = os.path.join(out, "contributions.xlsx")
    strings = ""
    with zipfile.ZipFile(book) as z:
        for part in z.namelist():
            if part.endswith(".xml"):
                xml.dom.minidom.parseString(z.read(part))
                strings += z.read(part).decode("utf-8")
    for shown in ("a\ufffd.yaml", "b\ufffd.yaml", "c\ufffd.yaml"):
        assert shown in strings, shown
