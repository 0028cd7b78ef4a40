"""test_ci.py: what a CI job relies on in a folder build: OUT created on
demand, docs/ci.md's commands run as written, look-alike sessions warned
about, depfiles that make reads right, warnings replayed, failing sessions
marked, one build at a time, what was read recorded, stale temporary files
swept, -v lines escaped."""
import fcntl
import json
import os
import re
import shlex
import shutil
import subprocess
import time

from helpers import skip_valgrind, write

EXAMPLE_DIR = "examples/moulins-2016"


def template(ctx):
    """The text of `atelier init -`: a valid session with two warnings."""
    p = ctx.run("init", "-")
    assert p.returncode == 0, p.stderr
    return p.stdout


def small_tree(ctx, n=1):
    """root/sessions/s0.yaml ... (the template), root/out not created."""
    root = ctx.tmpdir()
    text = template(ctx)
    for i in range(n):
        write(os.path.join(root, "sessions", "s%d.yaml" % i),
              text.replace("date: 2026-03-14", "date: 2026-03-%02d" % (i % 28 + 1)))
    return root, os.path.join(root, "sessions"), os.path.join(root, "out")


# ---- -o OUT is created ----

def test_missing_output_folder_is_created_with_its_parents(ctx):
    root, sessions, _ = small_tree(ctx)
    one = os.path.join(root, "a", "b", "single")
    p = ctx.run("build", "-f", "json", "-o", one, os.path.join(sessions, "s0.yaml"))
    assert p.returncode == 0, p.stderr
    assert os.path.isfile(os.path.join(one, "s0.json"))
    tree_out = os.path.join(root, "c", "d", "public") + "/"
    p = ctx.run("build", "-f", "json", sessions, "-o", tree_out)
    assert p.returncode == 0, p.stderr
    assert os.path.isfile(os.path.join(tree_out, "s0.json"))
    assert os.path.isfile(os.path.join(tree_out, "index.html"))


def test_output_that_is_a_file_is_still_refused(ctx):
    root, sessions, out = small_tree(ctx)
    write(out, "not a folder\n")
    p = ctx.run("build", sessions, "-o", out)
    assert p.returncode == 2
    assert "atelier: output folder %s: not a folder" % out in p.stderr
    with open(out) as f:
        assert f.read() == "not a folder\n"
    # A parent that is a file cannot hold the folder either.
    p = ctx.run("build", sessions, "-o", os.path.join(out, "sub"))
    assert p.returncode == 2 and "cannot create output folder" in p.stderr


def doc_commands(ctx):
    """The atelier commands of docs/ci.md's GitHub Actions and GitLab jobs,
    as written there."""
    with open(os.path.join(ctx.root, "docs", "ci.md"), encoding="utf-8") as f:
        doc = f.read()
    github = doc.split("## GitHub Actions")[1].split("## GitLab CI")[0]
    gitlab = doc.split("## GitLab CI")[1].split("\n## ")[0]
    cmds = []
    for block in (github, gitlab):
        yaml = block.split("```yaml")[1].split("```")[0]
        lines = [re.sub(r"^\s*(- )?(run: )?", "", l) for l in yaml.splitlines()]
        found = [l for l in lines if l.startswith("atelier build")]
        assert len(found) == 1, found
        assert "mkdir" not in yaml
        cmds.append(found[0])
    return cmds


def shell(ctx, script, cwd):
    """Runs script with /bin/sh -e in cwd, `atelier` being the one tested."""
    bindir = ctx.tmpdir()
    os.symlink(ctx.atelier, os.path.join(bindir, "atelier"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
               NO_COLOR="1")
    p = subprocess.run(["/bin/sh", "-ec", script], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, (script, p.stderr)


def test_docs_ci_commands_run_as_written(ctx):
    cmds = doc_commands(ctx)
    assert "-o public/" in cmds[0] and "--diagnostics=github" in cmds[0]
    for cmd in cmds:
        root, _, _ = small_tree(ctx, 2)
        shell(ctx, cmd, root)
        assert os.path.isfile(os.path.join(root, "public", "index.html"))
        assert os.path.isfile(os.path.join(root, "public", "s1.html"))


def test_man_page_example_runs(ctx):
    with open(os.path.join(ctx.root, "man", "atelier.1"), encoding="utf-8") as f:
        man = f.read()
    example = man.split(".SH EXAMPLE\n.nf\n")[1].split(".fi")[0]
    cwd = ctx.tmpdir()
    shell(ctx, example.replace("\\-", "-"), cwd)
    assert os.path.isfile(os.path.join(cwd, "reports", "session.html"))
    assert os.path.isfile(os.path.join(cwd, "public", "index.html"))


# ---- depfiles that make reads right ----

def moulins_tree(ctx):
    """root/sessions/moulins.yaml with its figure, at the top of the tree."""
    root = ctx.tmpdir()
    sessions = os.path.join(root, "sessions")
    os.makedirs(sessions)
    src = os.path.join(ctx.root, EXAMPLE_DIR)
    shutil.copy(os.path.join(src, "session.yaml"), os.path.join(sessions, "moulins.yaml"))
    shutil.copy(os.path.join(src, "agrilocal63.svg"), sessions)
    return root, sessions


def touch_after(path, other):
    """Touches path as if edited just after other was written (without a
    clock in the future, which would leave make out of date for good)."""
    t = os.stat(other).st_mtime_ns + 1000
    os.utime(path, ns=(t, t))


def make_q(root):
    """0 when make thinks everything is up to date."""
    return subprocess.run(["make", "-q"], cwd=root, capture_output=True).returncode


def run_make(root):
    p = subprocess.run(["make"], cwd=root, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return p


def check_make_follows(root, target):
    run_make(root)
    assert os.path.isfile(os.path.join(root, target))
    assert make_q(root) == 0, "up to date after a build"
    for touched in ("sessions/moulins.yaml", "sessions/agrilocal63.svg"):
        touch_after(os.path.join(root, touched), os.path.join(root, target))
        assert make_q(root) != 0, "make must see %s changed" % touched
        before = os.stat(os.path.join(root, target)).st_mtime_ns
        run_make(root)
        assert os.stat(os.path.join(root, target)).st_mtime_ns != before
        assert make_q(root) == 0


def make_drives(ctx, command, rule):
    """A Makefile whose one target is out/moulins.html, made by atelier's
    command (its depfile deps.d included); make must follow the session and
    its figure; deps.d must hold rule."""
    root, _ = moulins_tree(ctx)
    write(os.path.join(root, "Makefile"),
          "out/moulins.html:\n\t%s %s\n-include deps.d\n"
          % (shlex.quote(ctx.atelier), command))
    check_make_follows(root, "out/moulins.html")
    with open(os.path.join(root, "deps.d")) as f:
        assert f.read() == rule


@skip_valgrind
def test_make_rebuilds_a_single_file_when_its_session_or_figure_changes(ctx):
    make_drives(ctx, "build -f html,md --depfile deps.d -o out sessions/moulins.yaml",
                "out/moulins.html out/moulins.md: sessions/moulins.yaml"
                " sessions/agrilocal63.svg\n")


@skip_valgrind
def test_make_rebuilds_a_folder_build_spelled_with_slashes(ctx):
    make_drives(ctx, "build -f html --depfile deps.d ./sessions/ -o out/",
                "out/moulins.html: sessions/moulins.yaml sessions/agrilocal63.svg\n")


def test_depfile_refuses_a_name_make_would_run(ctx):
    root, sessions = moulins_tree(ctx)
    evil = "x.svg\n\ttouch pwned\n"
    shutil.copy(os.path.join(sessions, "agrilocal63.svg"), os.path.join(sessions, evil))
    yaml_path = os.path.join(sessions, "moulins.yaml")
    with open(yaml_path, encoding="utf-8") as f:
        text = f.read()
    with open(yaml_path, "w", encoding="utf-8") as f:
        f.write(text.replace("image: agrilocal63.svg", 'image: "x.svg\\n\\ttouch pwned\\n"'))
    for args in (["-o", os.path.join(root, "out"), yaml_path],
                 [sessions, "-o", os.path.join(root, "out")]):
        dep = os.path.join(root, "deps.d")
        p = ctx.run("build", "-f", "html", "--depfile", dep, *args)
        assert p.returncode == 2, p.stderr
        assert not os.path.exists(dep)
        assert ("atelier: cannot write %s: the name %s/x.svg\\x0A\\x09touch pwned\\x0A "
                "holds a control character, which make cannot read: rename it"
                % (dep, sessions)) in p.stderr
        assert "\ttouch" not in p.stderr


# ---- -v lines ----

def test_verbose_lines_escape_file_names(ctx):
    root = ctx.tmpdir()
    sessions = os.path.join(root, "sessions")
    name = "a\n::error title=x::forged\x1b[2J"
    write(os.path.join(sessions, name + ".yaml"), template(ctx))
    write(os.path.join(sessions, "b\x1b]0;t\x07.yml"), "title: x\n")  # skipped
    out = os.path.join(root, "out")
    p = ctx.run("build", "-v", "-f", "html", "--diagnostics=github", sessions, "-o", out)
    assert p.returncode == 0, p.stderr
    for stream in (p.stdout, p.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
        assert not any(l.startswith("::error title=x") for l in stream.splitlines())
    esc = "a\\x0A::error title=x::forged\\x1B[2J"
    assert "%s/%s.yaml: ok (" % (sessions, esc) in p.stderr
    assert "wrote %s/%s.html\n" % (out, esc) in p.stderr
    assert "%s/b\\x1B]0;t\\x07.yml: skipped" % sessions in p.stderr
    p = ctx.run("build", "-v", "-f", "html", sessions, "-o", out)
    assert "%s/%s.yaml: up to date\n" % (sessions, esc) in p.stderr


def test_build_is_quiet_without_v_and_says_where_it_wrote_with_it(ctx):
    root, sessions, out = small_tree(ctx)
    one = os.path.join(sessions, "s0.yaml")
    p = ctx.run("build", "-f", "html,json", "-o", out, one)
    assert p.returncode == 0 and p.stderr == "" and p.stdout == ""
    p = ctx.run("build", "-v", "-f", "html,json", "--depfile",
                os.path.join(root, "d.d"), "-o", out, one)
    assert p.returncode == 0
    assert p.stderr.splitlines()[1:] == [
        "wrote %s/s0.html" % out, "wrote %s/s0.json" % out,
        "wrote %s/d.d" % root]
    tree_out = os.path.join(root, "tree-out")
    p = ctx.run("build", "-v", "-f", "xlsx", sessions, "-o", tree_out)
    assert p.returncode == 0
    for name in ("s0.xlsx", "index.html", "index.md", "contributions.xlsx"):
        assert "wrote %s/%s\n" % (tree_out, name) in p.stderr, p.stderr


# ---- one build at a time per OUT ----

def test_a_second_build_waits_for_the_lock_on_out(ctx):
    root, sessions, out = small_tree(ctx)
    os.makedirs(out)
    lock = open(os.path.join(out, ".atelier-lock"), "w")
    fcntl.lockf(lock, fcntl.LOCK_EX)  # another build holds OUT
    proc = subprocess.Popen([ctx.atelier, "build", "-f", "html", sessions, "-o", out],
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert first == ("atelier: another build is writing into %s: waiting "
                         "for it to finish\n" % out), first
        time.sleep(0.3)
        assert proc.poll() is None
        assert not os.path.exists(os.path.join(out, "index.html"))
    finally:
        lock.close()  # released: the build goes on
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, rest
    assert "1 built, 0 up to date, 0 failed" in rest
    assert os.path.exists(os.path.join(out, "index.html"))


def test_a_build_that_waited_judges_by_the_manifest_left_for_it(ctx):
    """The manifest is read before the search (which it spares reading
    known sessions), so before OUT's lock: when the build that held the
    lock changed it meanwhile (here: removed it), the waiting build judges
    by it as it is once it holds the lock, never by what it read before."""
    root, sessions, out = small_tree(ctx)
    os.utime(os.path.join(sessions, "s0.yaml"), (1_600_000_000,) * 2)
    assert ctx.run("build", "-f", "html", sessions, "-o", out).returncode == 0
    assert ctx.run("build", "-f", "html", sessions, "-o", out).stderr == \
        "0 built, 1 up to date, 0 failed, 0 warnings\n"
    lock = open(os.path.join(out, ".atelier-lock"), "w")
    fcntl.lockf(lock, fcntl.LOCK_EX)  # another build holds OUT
    proc = subprocess.Popen([ctx.atelier, "build", "-f", "html", sessions,
                             "-o", out], stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert "another build is writing into %s: waiting" % out in first, first
        os.unlink(os.path.join(out, ".atelier-manifest"))
    finally:
        lock.close()
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, rest
    assert rest == "1 built, 0 up to date, 0 failed, 0 warnings\n", rest


def test_a_single_file_build_into_out_waits_for_a_folder_build(ctx):
    root, sessions, out = small_tree(ctx)
    single = os.path.join(root, "single")
    one = os.path.join(sessions, "s0.yaml")
    assert ctx.run("build", "-f", "html", "-o", single, one).returncode == 0
    assert not os.path.exists(os.path.join(single, ".atelier-lock"))  # not an OUT
    assert ctx.run("build", "-f", "html", sessions, "-o", out).returncode == 0
    lock = open(os.path.join(out, ".atelier-lock"), "w")
    fcntl.lockf(lock, fcntl.LOCK_EX)  # a folder build is writing
    proc = subprocess.Popen([ctx.atelier, "build", "-f", "json", "-o", out, one],
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert "another build is writing into %s: waiting" % out in first, first
        time.sleep(0.3)
        assert proc.poll() is None
    finally:
        lock.close()
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert os.path.exists(os.path.join(out, "s0.json"))
    # Single files share the lock: one does not wait for another.
    with open(os.path.join(out, ".atelier-lock")) as shared:
        fcntl.lockf(shared, fcntl.LOCK_SH)
        p = ctx.run("build", "-f", "md", "-o", out, one, timeout=30)
        assert p.returncode == 0 and p.stderr == "", p.stderr


@skip_valgrind
def test_two_concurrent_builds_leave_out_consistent(ctx):
    root, sessions, out = small_tree(ctx, 24)
    os.makedirs(out)
    procs = {}
    for lang in ("en", "fr"):
        procs[lang] = subprocess.Popen(
            [ctx.atelier, "build", "-j1", "-f", "html", "--lang", lang, sessions,
             "-o", out], stderr=subprocess.PIPE, text=True)
    order = []
    while len(order) < 2:
        for lang, p in procs.items():
            if lang not in order and p.poll() is not None:
                order.append(lang)
        time.sleep(0.01)
    for lang, p in procs.items():
        err = p.stderr.read()
        assert p.returncode == 0, err
        assert "24 built, 0 up to date, 0 failed" in err, err
    last = order[-1]
    # The last build's options and reports are what OUT holds, whole.
    p = ctx.run("build", "-f", "html", "--lang", last, sessions, "-o", out)
    assert "0 built, 24 up to date, 0 failed" in p.stderr, p.stderr
    for i in range(24):
        with open(os.path.join(out, "s%d.html" % i), encoding="utf-8") as f:
            assert '<html lang="%s"' % last in f.read()


# ---- stale temporary files ----

def test_stale_temporary_files_are_swept_by_the_next_build(ctx):
    root, sessions, out = small_tree(ctx)
    write(os.path.join(sessions, "sub", "t.yaml"), template(ctx).replace(
        "date: 2026-03-14", "date: 2026-01-01"))
    p = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert p.returncode == 0, p.stderr
    outside = os.path.join(root, "outside.html.tmp-AbC123")
    write(outside, "not atelier's\n")
    stale = [os.path.join(out, "s0.html.tmp-AbC123"),
             os.path.join(out, ".atelier-manifest.tmp-x1y2z3"),
             os.path.join(out, "index.html.tmp-000000"),
             os.path.join(out, "sub", "t.html.tmp-QwErTy")]
    kept = [os.path.join(out, "notes.tmp-abc12"),      # five characters
            os.path.join(out, "s0.html.tmp-ABCDEFG"),  # seven
            os.path.join(out, "s0.html.tmp-ab_c12"),   # not mkstemp's
            os.path.join(out, "mine.tmp")]
    for f in stale + kept:
        write(f, "x")
    os.symlink(outside, os.path.join(out, "link.html.tmp-Zz9Zz9"))
    os.mkdir(os.path.join(out, "dir.tmp-QQQQQQ"))
    p = ctx.run("build", "-v", "-f", "html", sessions, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "0 built, 2 up to date" in p.stderr  # even a build with nothing to do
    for f in stale:
        assert not os.path.exists(f), f
        assert "removed stale %s\n" % f in p.stderr
    for f in kept:
        assert os.path.exists(f), f
    assert os.path.islink(os.path.join(out, "link.html.tmp-Zz9Zz9"))
    assert os.path.isdir(os.path.join(out, "dir.tmp-QQQQQQ"))
    with open(outside) as f:
        assert f.read() == "not atelier's\n"


# ---- a session that forgot `atelier: 1` ----

LOOKALIKE = ("this file looks like a session but has no top-level 'atelier:' "
             "key, so it is not built: add the line 'atelier: 1' at its top")


def test_a_session_without_atelier_key_is_a_warning_at_line_1(ctx):
    root, sessions, out = small_tree(ctx)
    text = template(ctx)
    forgot = write(os.path.join(sessions, "b", "forgot.yaml"),
                   re.sub(r"(?m)^atelier: 1.*\n", "", text))
    two = write(os.path.join(sessions, "two.yml"), "title: a\ndate: 2020-01-01\n")
    write(os.path.join(sessions, "blog.yml"), "title: my blog\nauthor: me\n")
    write(os.path.join(sessions, "data.yaml"), "name: x\nitems: [title, date]\n")
    write(os.path.join(sessions, "nested.yaml"), "page:\n  title: a\n  date: b\n")
    p = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert p.returncode == 0, p.stderr
    lines = p.stderr.splitlines()
    assert lines == ["%s:1:1: warning: %s" % (forgot, LOOKALIKE),
                     "%s:1:1: warning: %s" % (two, LOOKALIKE),
                     "1 built, 0 up to date, 0 failed, 2 warnings"], lines
    assert not os.path.exists(os.path.join(out, "b", "forgot.html"))
    p = ctx.run("build", "-f", "html", "--diagnostics=github", sessions, "-o", out)
    assert ("::warning file=%s,line=1,col=1,title=no-atelier-key::" % forgot) in p.stdout
    p = ctx.run("build", "-f", "html", "--diagnostics=json", sessions, "-o", out)
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert [(r["file"], r["line"], r["col"], r["severity"], r["code"]) for r in rows] == [
        (forgot, 1, 1, "warning", "no-atelier-key"), (two, 1, 1, "warning", "no-atelier-key")]
    p = ctx.run("build", "-f", "html", "--werror", sessions, "-o", out)
    assert p.returncode == 1
    assert "%s:1:1: error: %s" % (forgot, LOOKALIKE) in p.stderr


# ---- what is recorded is what was read ----

def test_an_edit_that_keeps_size_and_time_is_rebuilt(ctx):
    # The edit of a session just built (as during its build), where size and
    # time stay the same (a coarse clock, a tool restoring times): the
    # manifest's record is of the bytes read, and a time this recent is
    # judged by content next time.
    root, sessions, out = small_tree(ctx)
    s0 = os.path.join(sessions, "s0.yaml")
    # A time no older than the build, however slow the build (valgrind).
    soon = time.time_ns() + 30 * 10**9
    os.utime(s0, ns=(soon, soon))
    p = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert p.returncode == 0, p.stderr
    st = os.stat(s0)
    with open(s0, encoding="utf-8") as f:
        text = f.read()
    edited = text.replace("Town hall, room B", "Town hall, room C")
    assert edited != text and len(edited) == len(text)
    with open(s0, "w", encoding="utf-8") as f:
        f.write(edited)
    os.utime(s0, ns=(st.st_atime_ns, st.st_mtime_ns))
    p = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert "1 built, 0 up to date" in p.stderr, p.stderr
    with open(os.path.join(out, "s0.html"), encoding="utf-8") as f:
        assert "room C" in f.read()


# ---- up-to-date sessions replay their diagnostics ----

def moulins_only(ctx):
    root, sessions = moulins_tree(ctx)
    return root, sessions, os.path.join(root, "out")


def split_summary(stderr):
    lines = stderr.splitlines(True)
    return "".join(lines[:-1]), lines[-1]


def test_up_to_date_sessions_replay_their_warnings(ctx):
    root, sessions, out = moulins_only(ctx)
    first = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert first.returncode == 0, first.stderr
    warnings, summary = split_summary(first.stderr)
    assert summary == "1 built, 0 up to date, 0 failed, 2 warnings\n"
    assert warnings.count(": warning: ") == 2 and "  145 |" in warnings
    again = ctx.run("build", "-f", "html", sessions, "-o", out)
    assert again.returncode == 0
    assert split_summary(again.stderr) == (
        warnings, "0 built, 1 up to date, 0 failed, 2 warnings\n")
    moulins = os.path.join(sessions, "moulins.yaml")
    p = ctx.run("build", "-f", "html", "--diagnostics=github", sessions, "-o", out)
    assert "0 built, 1 up to date, 0 failed, 2 warnings" in p.stderr
    annotations = [l for l in p.stdout.splitlines() if l.startswith("::warning")]
    assert [a.split("::")[1] for a in annotations] == [
        "warning file=%s,line=145,col=17,title=group-size" % moulins,
        "warning file=%s,line=240,col=9,title=expected-count" % moulins]
    p = ctx.run("build", "-f", "html", "--diagnostics=json", sessions, "-o", out)
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert [(r["line"], r["col"], r["severity"]) for r in rows] == [
        (145, 17, "warning"), (240, 9, "warning")]
    assert p.stderr == "0 built, 1 up to date, 0 failed, 2 warnings\n"
    # --werror changes the exit status: the session is built again, and fails.
    p = ctx.run("build", "-f", "html", "--werror", sessions, "-o", out)
    assert p.returncode == 1
    assert "0 built, 0 up to date, 1 failed" in p.stderr
    assert "moulins.yaml:145:17: error:" in p.stderr


# What each option of `atelier help build` does to the last build's
# reports. An option found in neither list fails the test: decide whether it
# can change a report, a diagnostic or the exit status (then it belongs to
# KEYED, with a value to try) or not (UNKEYED, and src/cli/main.c's
# unkeyed_opts).
KEYED = {"formats": ["-f", "html,md"], "lang": ["--lang", "en"],
         "front-matter": ["--front-matter"], "unsafe": ["--unsafe"],
         "csv-bom": ["--csv-bom"], "werror": ["--werror"],
         "max-input": ["--max-input", "32M"], "max-depth": ["--max-depth", "200"],
         "max-nodes": ["--max-nodes", "1000000"], "max-items": ["--max-items", "5000"],
         "max-text": ["--max-text", "512K"],
         "allow-outside-figures": ["--allow-outside-figures"],
         "max-cpu": ["--max-cpu", "60"], "max-output": ["--max-output", "512M"],
         "csv": ["--csv=excel"], "messages": ["--messages=fr"],
         "figure-size": ["--figure-size=800"],
         "max-figure-pixels": ["--max-figure-pixels=1000000"]}
UNKEYED = {"output": [], "jobs": ["-j", "2"], "force": None, "prune": ["--prune"],
           "depfile": ["--depfile", "DEP"], "watch": None,
           "diagnostics": ["--diagnostics=json"], "verbose": ["-v"],
           "color": ["--color=always"], "shard": ["--shard", "1/1"]}


def test_every_option_that_changes_a_build_is_in_the_options_check(ctx):
    root, sessions, out = small_tree(ctx)
    p = ctx.run("help", "build")
    names = re.findall(r"(?m)^\s+(?:-\w, )?--([a-z-]+)", p.stdout)
    assert len(names) > 15
    for name in names:
        assert name in KEYED or name in UNKEYED, \
            "--%s: does it change a report, a diagnostic or the exit status?" % name
    base = ["build", "-f", "html", sessions, "-o", out]
    assert ctx.run(*base).returncode == 0
    for name, args in sorted(KEYED.items()):
        p = ctx.run(*(base + args))
        assert "0 up to date" in p.stderr or "à jour : 0" in p.stderr, (name, p.stderr)
        p = ctx.run(*base)  # and back
        assert "1 built, 0 up to date" in p.stderr, (name, p.stderr)
    # Not an option, but it changes the timestamps inside the files.
    p = ctx.run(*base, env={"SOURCE_DATE_EPOCH": "0"})
    assert "1 built, 0 up to date" in p.stderr, p.stderr
    assert "1 built" in ctx.run(*base).stderr
    for name, args in sorted(UNKEYED.items()):
        if args is None:
            continue
        args = [a.replace("DEP", os.path.join(root, "d.d")) for a in args]
        p = ctx.run(*(base + args))
        assert "0 built, 1 up to date" in p.stderr, (name, p.stderr)


# ---- a session that fails now ----

def index_pages(out):
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        html = f.read()
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        md = f.read()
    return html, md


def test_a_session_that_fails_now_keeps_its_report_marked_stale(ctx):
    root, sessions, out = small_tree(ctx, 2)
    s1 = os.path.join(sessions, "s1.yaml")
    assert ctx.run("build", "-f", "html,md", sessions, "-o", out).returncode == 0
    with open(os.path.join(out, "s1.html"), "rb") as f:
        good = f.read()
    with open(s1, "a", encoding="utf-8") as f:
        f.write("bogus: 1\n")  # line 87
    why = "the session fails to build (line 87, column 1): unknown key 'bogus' in the session"
    for _ in range(2):  # and again, still broken
        p = ctx.run("build", "-f", "html,md", sessions, "-o", out)
        assert p.returncode == 1
        assert "0 built, 1 up to date, 1 failed" in p.stderr, p.stderr
        with open(os.path.join(out, "s1.html"), "rb") as f:
            assert f.read() == good  # the last good report stays
        html, md = index_pages(out)
        rows = [l for l in html.splitlines() if l.startswith('<tr><td class="date">2026')]
        row = [l for l in rows if 's1.html"' in l]
        assert len(rows) == 2 and len(row) == 1
        assert '</a> <strong class="failed">stale report: %s' % why in row[0], row
        assert "failed" not in [l for l in rows if 's0.html"' in l][0]
        mdrow = [l for l in md.splitlines() if l.startswith("| 2026") and "(s1.md)" in l][0]
        # Escaped only where Markdown would read markup (text.h).
        assert " — stale report: the session fails to build (line 87, column 1): " \
               "unknown key 'bogus' in the session" in mdrow, mdrow
    # Mended: built again, unmarked.
    with open(s1, encoding="utf-8") as f:
        text = f.read()
    with open(s1, "w", encoding="utf-8") as f:
        f.write(text.replace("bogus: 1\n", ""))
    p = ctx.run("build", "-f", "html,md", sessions, "-o", out)
    assert p.returncode == 0 and "1 built, 1 up to date, 0 failed" in p.stderr
    html, md = index_pages(out)
    assert "failed" not in html and "stale" not in md


def test_a_session_that_never_built_is_listed_as_failing(ctx):
    root, sessions, out = small_tree(ctx)
    bad = write(os.path.join(sessions, "new", "s2.yaml"), template(ctx) + "bogus: 1\n")
    p = ctx.run("build", "-f", "html,md", sessions, "-o", out)
    assert p.returncode == 1
    html, md = index_pages(out)
    assert ("<td class=\"title\">new/s2.yaml <strong class=\"failed\">fails to build (line 87, "
            "column 1): unknown key 'bogus' in the session") in html
    assert "s2.html" not in html
    assert not os.path.exists(os.path.join(out, "new", "s2.html"))
    # Deleted, it leaves the index (nothing of it to prune).
    os.remove(bad)
    p = ctx.run("build", "-f", "html,md", sessions, "-o", out)
    assert p.returncode == 0
    html, md = index_pages(out)
    assert "s2.yaml" not in html and "s2.yaml" not in md
