"""test_modules.py: the formats and the stage on large libraries are modules
that ./atelier loads when it first needs one (src/util/module.h, issue 17's
"process start"): a build of Markdown and HTML loads none of their
libraries, each format loads its own module only, and a binary whose
modules are missing says so at 0:0 (or at the figure) and writes nothing.
The sanitizer binary links every module in: there these checks do not
apply, and the tests say so by returning after checking that it is that
binary."""
import os
import re
import shutil
import subprocess

from helpers import copy_example_inputs, skip_valgrind, small_session, write

HEAVY = ("libxlsxwriter", "libvips", "libpango", "libcairo", "librsvg",
         "libzip.so", "libglib")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082")


def linked_whole(ctx):
    """True for a static build (all modules linked in): only the
    sanitizer binary is one."""
    p = subprocess.run(["readelf", "-d", ctx.atelier], capture_output=True,
                       text=True, check=True)
    whole = "libxlsxwriter" in p.stdout
    assert not whole or "asan" in ctx.atelier, (
        "%s links libxlsxwriter: the modules are linked into it"
        % ctx.atelier)
    return whole


def loaded(ctx, args, cwd=None):
    """The shared objects the dynamic loader mapped for one run, in any
    of its processes (LD_DEBUG=files; asking whether a module is loaded,
    without loading it, maps nothing), and the run."""
    p = ctx.run(*args, cwd=cwd, env={"LD_DEBUG": "files"})
    files = set(re.findall(r"file=(\S+) \[0\];\s+generating link map",
                           p.stderr))
    return files, p


@skip_valgrind
def test_markdown_and_html_load_no_module_library(ctx):
    if linked_whole(ctx):
        return
    d = ctx.tmpdir()
    copy_example_inputs(ctx, d)
    files, p = loaded(ctx, ["build", "session.yaml", "-f", "md,html,json"],
                      cwd=d)
    assert p.returncode == 0, p.stderr[-2000:]
    assert any("libyaml" in f for f in files), files
    heavy = sorted(f for f in files if any(h in f for h in HEAVY))
    assert not heavy, heavy
    assert not [f for f in files if f.endswith(".so") and "/mod/" in f]
    assert os.path.getsize(os.path.join(d, "session.html")) > 10000


@skip_valgrind
def test_each_format_loads_its_own_module(ctx):
    if linked_whole(ctx):
        return
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), small_session("S", ["un", "deux"]))
    files, p = loaded(ctx, ["build", "s.yaml", "-f", "xlsx"], cwd=d)
    assert p.returncode == 0, p.stderr[-2000:]
    mods = sorted(os.path.basename(f) for f in files if "/mod/" in f)
    assert mods == ["xlsx.so"], mods
    assert any("libxlsxwriter" in f for f in files)
    assert not any("libvips" in f or "libpango" in f for f in files)
    files, p = loaded(ctx, ["build", "s.yaml", "-f", "pdf,docx"], cwd=d)
    assert p.returncode == 0, p.stderr[-2000:]
    mods = sorted(os.path.basename(f) for f in files if "/mod/" in f)
    assert mods == ["print.so"], mods
    assert not any("libxlsxwriter" in f or "libvips" in f for f in files)


def lone_binary(ctx):
    """A copy of the binary with no module beside it."""
    d = ctx.tmpdir()
    os.mkdir(os.path.join(d, "bin"))
    exe = os.path.join(d, "bin", "atelier")
    shutil.copy(ctx.atelier, exe)
    return exe


def run_lone(exe, *args):
    return subprocess.run([exe] + list(args), capture_output=True, text=True,
                          env={"LC_ALL": "C", "PATH": os.environ["PATH"]})


def test_a_missing_module_stops_before_any_report_is_written(ctx):
    if linked_whole(ctx):
        return
    exe = lone_binary(ctx)
    d = ctx.tmpdir()
    s = os.path.join(d, "s.yaml")
    write(s, small_session("S", ["un"]))
    p = run_lone(exe, "build", s, "-f", "html,xlsx")
    assert p.returncode != 0
    assert re.search(r"^%s: error: cannot write xlsx: its module does not "
                     r"load \(.*xlsx\.so.*\)$" % re.escape(s),
                     p.stderr, re.M), p.stderr
    assert sorted(os.listdir(d)) == ["s.yaml"], os.listdir(d)
    # The formats in the binary need no module.
    p = run_lone(exe, "build", s, "-f", "md,html")
    assert p.returncode == 0, p.stderr
    assert os.path.exists(os.path.join(d, "s.html"))


def test_a_missing_figures_module_is_an_error_at_the_figure(ctx):
    if linked_whole(ctx):
        return
    exe = lone_binary(ctx)
    d = ctx.tmpdir()
    with open(os.path.join(d, "dot.png"), "wb") as f:
        f.write(PNG)
    s = os.path.join(d, "s.yaml")
    write(s, "atelier: 1\ntitle: T\ndate: 2024-05-02\n"
             "questions: [{id: q1, title: Q}]\n"
             "brainstorm: {q1: [une idée]}\nfigures:\n  - image: dot.png\n")
    p = run_lone(exe, "build", s, "-f", "html")
    assert p.returncode != 0
    assert re.search(r"^%s:7:12: error: cannot decode image dot\.png: the "
                     r"figures module does not load \(" % re.escape(s),
                     p.stderr, re.M), p.stderr
    assert not os.path.exists(os.path.join(d, "s.html"))
