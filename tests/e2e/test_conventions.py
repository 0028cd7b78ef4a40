"""test_conventions.py: the command-line conventions a user expects of a
Unix tool: '-' for standard input, one error per mistake, a malformed
SOURCE_DATE_EPOCH refused, extensions matched whatever their case."""
import os
import re
import signal
import subprocess
import time

from helpers import copy_example_inputs, skip_valgrind, write

SMALL = """atelier: 1
title: Un atelier
date: 2026-03-14
questions:
  - id: q1
    title: Une question ?
brainstorm:
  q1:
    - Une idée
"""


def test_check_reads_standard_input_named_stdin(ctx):
    bad = SMALL.replace("title: Un atelier", "titel: Un atelier")
    p = ctx.run("check", "-", input=bad)
    assert p.returncode == 1, p.stderr
    diags = [l for l in p.stderr.splitlines() if re.match(r"<stdin>:\d+:\d+: ", l)]
    assert "<stdin>: 2 errors" in p.stderr.splitlines(), p.stderr
    assert diags == [
        "<stdin>:1:1: error: missing required key 'title' in the session",
        "<stdin>:2:1: error: unknown key 'titel' in the session "
        "(did you mean 'title'?)"], p.stderr
    # The excerpt comes from the text read, which a pipe cannot give twice.
    assert "    2 | titel: Un atelier" in p.stderr
    p = ctx.run("check", "-v", "-", input=SMALL)
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith("<stdin>: ok (1 contribution, 0 warnings)"), p.stderr


def test_build_reads_standard_input_and_writes_the_same_report(ctx):
    d = ctx.tmpdir()
    session = copy_example_inputs(ctx, d)
    with open(session, encoding="utf-8") as f:
        text = f.read()
    # Figures of a session read from stdin are found from the current folder.
    from_file = ctx.run("build", "-f", "md", "-o", "-", "session.yaml", cwd=d)
    from_stdin = ctx.run("build", "-f", "md", "-o", "-", "-", cwd=d,
                         input=text)
    assert from_file.returncode == 0, from_file.stderr
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout
    assert "agrilocal63.svg" in from_stdin.stdout
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", "-f", "html,json", "-o", out, "-", cwd=d, input=text)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(out)) == ["stdin.html", "stdin.json"]


def test_standard_input_is_read_once(ctx):
    p = ctx.run("check", "-", "-", input=SMALL)
    assert p.returncode == 2
    assert "can be read only once" in p.stderr


def test_a_build_option_given_to_check_is_one_error(ctx):
    for args in (["check", "--lang", "fr", "x.yaml"],
                 ["check", "--lang=de", "x.yaml"],
                 ["check", "-j", "zz", "x.yaml"],
                 ["init", "-j", "2"]):
        p = ctx.run(*args)
        assert p.returncode == 2, args
        lines = p.stderr.splitlines()
        assert lines[0].startswith(
            "atelier: this option belongs to 'atelier build', not"), args
        assert "takes" not in p.stderr, (args, p.stderr)  # no bogus message


def test_malformed_source_date_epoch_is_an_error(ctx):
    d = ctx.tmpdir()
    session = write(os.path.join(d, "s.yaml"), SMALL)
    for bad in ("abc", "12x", "-5", " 12", "1e9", "99999999999999999999999"):
        p = ctx.run("build", "-f", "json", session, env={"SOURCE_DATE_EPOCH": bad})
        assert p.returncode == 2, (bad, p.stderr)
        assert ("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                "1970-01-01, not '%s'" % bad) in p.stderr
        assert not os.path.exists(os.path.join(d, "s.json")), bad
    # Unset, empty and well-formed values build; the value fixes the time.
    import zipfile
    for good, stamp in (("", "2026-03-14T12:00:00Z"),
                        ("86400", "1970-01-02T00:00:00Z"),
                        # libxlsxwriter reads 0 as "now": a second later.
                        ("0", "1970-01-01T00:00:01Z")):
        p = ctx.run("build", "-f", "xlsx", session, env={"SOURCE_DATE_EPOCH": good})
        assert p.returncode == 0, (good, p.stderr)
        with zipfile.ZipFile(os.path.join(d, "s.xlsx")) as z:
            assert stamp in z.read("docProps/core.xml").decode(), good


@skip_valgrind
def test_watch_matches_figure_extensions_whatever_their_case(ctx):
    d = ctx.tmpdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><title>%s</title></svg>'
    write(os.path.join(d, "PHOTO.SVG"), svg % "first")
    session = write(os.path.join(d, "s.yaml"), SMALL + """figures:
  - image: PHOTO.SVG
    caption: Le mur de post-it
""")
    out = os.path.join(d, "out")
    os.mkdir(out)
    html = os.path.join(out, "s.html")
    proc = subprocess.Popen([ctx.atelier, "build", "--watch", "-f", "html", "-o", out, session],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        end = time.time() + 20
        while time.time() < end and not os.path.exists(html):
            time.sleep(0.05)
        with open(html, "rb") as f:
            before = f.read()
        time.sleep(0.3)  # the build is done once it says it watches
        write(os.path.join(d, "PHOTO.SVG.new"), svg % "second")
        os.rename(os.path.join(d, "PHOTO.SVG.new"), os.path.join(d, "PHOTO.SVG"))
        changed = False
        end = time.time() + 20
        while time.time() < end and not changed:
            time.sleep(0.05)
            with open(html, "rb") as f:
                changed = f.read() != before
        assert changed, "an upper-case figure's change must wake --watch"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
