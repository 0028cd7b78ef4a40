"""test_hostile.py: hostile and broken input beyond the bad-input corpus of
test_invalid.py: the limits and their options, files and folders that
cannot be read or written, a disk that fills up, symlinks where outputs go,
signals in the middle of a build, damaged build manifests, and the inputs
that fuzzing found (tests/regress/, see its README.md).

The promise under test: whatever the input, atelier ends with a clear
message or a correct report; never a crash, a hang, a half-written report,
a temporary file left behind, or a file touched outside its output folder.
"""
import os
import pwd
import re
import resource
import signal
import stat
import subprocess
import sys
import time

from helpers import manifest_edited, skip_valgrind, write

HEAD = ("atelier: 1\ntitle: T\ndate: 2016-06-30\n"
        "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n")

# Four contributions ("un", "deux", its child, "trois"), nested five
# collections deep (the session, brainstorm, q1's list, the item, its
# items), the longest text twelve bytes, 26 values (keys included): each
# limit below is tried at its value (accepted) and one under (refused,
# where it was passed).
LIMITS = HEAD + ("    - un\n"
                 "    - {text: deux, items: [abcdefghijkl]}\n"
                 "    - trois\n")

VALGRIND_EXIT = 99


def no_sanitizer_report(p):
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, \
        p.stderr[-3000:]


def leftovers(folder):
    """Temporary files of output.c (NAME.tmp-XXXXXX) and of the xlsx
    emitter (atelier-xlsx-XXXXXX) under folder."""
    found = []
    for d, _, files in os.walk(folder):
        found += [os.path.join(d, f) for f in files
                  if ".tmp-" in f or f.startswith("atelier-xlsx-")
                  or f.endswith(".tmp")]
    return found


def snapshot(folder):
    """{relative path: bytes} of every file under folder."""
    out = {}
    for d, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(d, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = fh.read()
    return out


def big_session(path, items):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD)
        for i in range(items):
            f.write("    - idée numéro %d, assez longue pour peser un peu\n" % i)


# ---- limits ----

def test_each_limit_is_an_error_at_its_position(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), LIMITS)
    size = len(LIMITS.encode("utf-8"))
    cases = [
        ("--max-depth", "5", "4", "8:27: error: nesting deeper than 4 levels"),
        ("--max-items", "4", "3",
         "9:7: error: more than 3 contributions in one session"),
        ("--max-text", "12", "11", "8:28: error: text of 12 bytes is longer "
         "than the limit of 11 bytes"),
        ("--max-nodes", "26", "25", "9:7: error: the document expands to "
         "more than 25 nodes"),
        ("--max-input", str(size), str(size - 1),
         " error: the file is larger than the limit of %d bytes" % (size - 1)),
    ]
    for opt, ok, low, message in cases:
        p = ctx.run("check", "--color=never", "%s=%s" % (opt, ok), "s.yaml",
                    cwd=d)
        assert p.returncode == 0 and p.stderr == "", (opt, p.stderr)
        p = ctx.run("check", "--color=never", "%s=%s" % (opt, low), "s.yaml",
                    cwd=d)
        no_sanitizer_report(p)
        assert p.stderr.startswith("s.yaml:" + message), (opt, p.stderr)
        assert p.returncode == (2 if opt == "--max-input" else 1), \
            (opt, p.returncode)


def test_options_take_a_separate_value_and_belong_to_build_too(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), LIMITS)
    p = ctx.run("check", "--color=never", "--max-items", "3", "s.yaml", cwd=d)
    assert p.returncode == 1 and "more than 3 contributions" in p.stderr
    # build: over a limit, nothing is written and the old outputs stay.
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", "-f", "md,csv", "s.yaml", "-o", out, cwd=d)
    assert p.returncode == 0, p.stderr
    before = snapshot(out)
    write(os.path.join(d, "s.yaml"), LIMITS + "    - quatre\n")
    p = ctx.run("build", "--max-items=4", "-f", "md,csv", "s.yaml", "-o", out,
                cwd=d)
    assert p.returncode == 1 and "more than 4 contributions" in p.stderr, \
        p.stderr
    assert snapshot(out) == before and not leftovers(out)


def test_bad_limit_values_are_usage_errors(ctx):
    for arg, name in [("--max-depth=0", "--max-depth"),
                      ("--max-depth=4097", "--max-depth"),
                      ("--max-depth=1e3", "--max-depth"),
                      ("--max-items=-1", "--max-items"),
                      ("--max-items=", "--max-items"),
                      ("--max-nodes=0", "--max-nodes"),
                      ("--max-nodes=99999999999999999999999", "--max-nodes"),
                      ("--max-text=1X", "--max-text"),
                      ("--max-text=-5", "--max-text"),
                      ("--max-input=64T", "--max-input")]:
        p = ctx.run("check", arg, ctx.path("tests", "valid", "minimal.yaml"))
        assert p.returncode == 2, (arg, p.returncode, p.stderr)
        assert p.stderr.startswith("atelier: %s takes " % name), (arg, p.stderr)
        assert p.stdout == ""
    p = ctx.run("check", "--max-text")
    assert p.returncode == 2 and "needs a value" in p.stderr, p.stderr
    for cmd in ("check", "build"):
        p = ctx.run("help", cmd)
        for opt in ("--max-input", "--max-depth", "--max-nodes", "--max-items",
                    "--max-text"):
            assert opt + "=N" in p.stdout, (cmd, opt)
    with open(ctx.path("man", "atelier.1"), encoding="utf-8") as f:
        man = f.read()
    for opt in ("max\\-depth", "max\\-nodes", "max\\-items", "max\\-text"):
        assert ".BR \\-\\-%s =" % opt in man, opt


@skip_valgrind
def test_the_depth_cap_holds_for_every_emitter(ctx):
    """--max-depth is capped so that the recursive walks (bind, validate,
    the emitters) stay well inside the stack: a session nested to the cap
    builds in every format, each contribution present."""
    d = ctx.tmpdir()
    levels = 2046  # an item and its list are two levels: 4092 + 4 of the head
    body = "".join("[{text: n%d, items: " % i for i in range(levels))
    body += "[x]" + "}]" * levels
    write(os.path.join(d, "deep.yaml"), HEAD.replace("  q1:\n", "  q1: ")
          + body + "\n")
    p = ctx.run("check", "--color=never", "deep.yaml", cwd=d)
    assert p.returncode == 1 and "nesting deeper than 256 levels" in p.stderr
    p = ctx.run("build", "--max-depth=4096", "-f", "md,html,csv,xlsx",
                "deep.yaml", "-o", d, cwd=d, timeout=300)
    no_sanitizer_report(p)
    assert p.returncode == 0, p.stderr[-2000:]
    with open(os.path.join(d, "deep.csv"), encoding="utf-8", newline="") as f:
        assert f.read().count("\r\n") == levels + 2  # header, items, "x"
    for ext in ("md", "html"):
        with open(os.path.join(d, "deep." + ext), encoding="utf-8") as f:
            text = f.read()
        assert "n%d" % (levels - 1) in text and "n0" in text, ext


def test_alias_expansion_counts_against_items_too(ctx):
    """A few aliases can stand for many contributions: every one is counted
    (the session would otherwise report far more than its file shows)."""
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), HEAD +
          "    - {text: a, items: &ten [b, b, b, b, b, b, b, b, b, b]}\n" +
          "    - {text: c, items: *ten}\n" * 5)
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    assert p.returncode == 0, p.stderr
    p = ctx.run("check", "--color=never", "--max-items=60", "s.yaml", cwd=d)
    assert p.returncode == 1 and "more than 60 contributions" in p.stderr, \
        p.stderr


def run_with_memory(ctx, args, cwd, limit):
    """The plain binary with an address-space limit (the sanitizers and
    valgrind reserve terabytes of it: this is for the plain build only)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return subprocess.run([ctx.atelier] + args, cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=cap)


@skip_valgrind
def test_excerpt_of_a_huge_line_costs_no_memory(ctx):
    """An error on a line of megabytes (a text over --max-text, a spreadsheet
    cell too long) shows a window of it; that window, not the line, is what
    the excerpt costs. It once took 24 bytes per byte of the line: 1.5 GB
    for a 60 MB text, and without the memory no excerpt at all."""
    if "asan" in os.path.basename(ctx.atelier):
        return
    d = ctx.tmpdir()
    size = 8 << 20
    write(os.path.join(d, "s.yaml"), HEAD + "    - " + "é" * (size // 2) + "\n")
    p = run_with_memory(ctx, ["check", "--color=never", "s.yaml"], d, 160 << 20)
    assert p.returncode == 1, p.stderr[:500]
    lines = p.stderr.split("\n")
    assert lines[0] == "s.yaml:7:7: error: text of %d bytes is longer than " \
        "the limit of 1048576 bytes" % size, lines[0]
    assert lines[1].startswith("    7 |     - " + "é" * 10), lines[1][:100]
    assert lines[1].endswith("..."), lines[1][-10:]
    assert lines[2] == "      |       ^" + "~" * 113, lines[2]
    assert len(p.stderr) < 1000


@skip_valgrind
def test_many_errors_after_many_lines_render_in_one_pass(ctx):
    """A thousand errors after four million empty lines: each excerpt's
    line was looked for from the start of the file, a quarter of an hour
    of scanning for a 4 MB file at 60 MB. Now one pass."""
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), "atelier: 1\ntitle: T\ndate: 2016-06-30\n"
          "questions: [{id: q1, title: Q}]\n" + "\n" * 4000000 +
          "".join("k%d: 1\n" % i for i in range(1000)))
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    elapsed = time.monotonic() - start
    assert p.returncode == 1
    assert p.stderr.count(": error: unknown key 'k") == 1000, p.stderr[-500:]
    assert "4000005 | k0: 1\n" in p.stderr and "4001004 | k999: 1\n" in p.stderr
    assert elapsed < 10, elapsed


@skip_valgrind
def test_many_anchors_are_looked_up_not_scanned(ctx):
    """100,000 anchors, then as many aliases to the first: each alias
    scanned every anchor, two minutes for a 3 MB file (hours at 64 MB)."""
    d = ctx.tmpdir()
    n = 100000
    write(os.path.join(d, "s.yaml"), HEAD +
          "".join("    - &a%d x%d\n" % (i, i) for i in range(n)) +
          "    - *a0\n" * n + "    - *a%d\n" % (n - 1))
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "-v", "s.yaml", cwd=d)
    elapsed = time.monotonic() - start
    assert p.returncode == 0, p.stderr[:500]
    assert "200001 contributions" in p.stderr, p.stderr
    assert elapsed < 10, elapsed
    # A name given again means the latest anchor, as YAML says.
    write(os.path.join(d, "t.yaml"), HEAD + "    - &a un\n    - &a deux\n"
          "    - *a\n")
    p = ctx.run("build", "-f", "csv", "t.yaml", "-o", d, cwd=d)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(d, "t.csv"), encoding="utf-8") as f:
        texts = [line.split(",")[13] for line in f.read().splitlines()[1:]]
    assert texts == ["un", "deux", "deux"], texts


@skip_valgrind
def test_suggestions_for_unknown_ids_are_bounded(ctx):
    """'did you mean' costs an edit distance per id of its kind: 30,000
    participants and as many unknown references were half a minute of
    suggestions (800,000 participants, several minutes). The first ones
    still get theirs."""
    d = ctx.tmpdir()
    n = 30000
    write(os.path.join(d, "s.yaml"),
          "atelier: 1\ntitle: T\ndate: 2016-06-30\n"
          "questions: [{id: q1, title: Q}]\nparticipants:\n" +
          "".join("  - {id: participant%d, name: P}\n" % i for i in range(n)) +
          "brainstorm:\n  q1:\n" +
          "".join("    - {text: x, by: [participantx%d]}\n" % i
                  for i in range(n)))
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    elapsed = time.monotonic() - start
    assert p.returncode == 1
    assert "error: unknown participant 'participantx0': not an id under " \
        "'participants' (did you mean 'participant0'?)\n" in p.stderr, \
        p.stderr[:500]
    assert "29000 more diagnostics not shown" in p.stderr
    # Before the bound: 25 s plain, minutes under ASan.
    assert elapsed < (40 if "asan" in os.path.basename(ctx.atelier) else 10), \
        elapsed


def rotation_session(n):
    """n participants, questions, tables and rounds, round i naming question
    i at table i, and n sub-groups: each table misses n - 1 questions."""
    o = ["atelier: 1", "title: T", "date: 2016-06-30", "participants:"]
    o += ["  - {id: p%d, name: P%d}" % (i, i) for i in range(n)]
    o += ["questions:"] + ["  - {id: q%d, title: Q%d}" % (i, i) for i in range(n)]
    o += ["tables:"] + ["  - {id: t%d, name: T%d}" % (i, i) for i in range(n)]
    o += ["rounds:"] + ["  - {minutes: 5, tables: {q%d: [t%d]}}" % (i, i)
                        for i in range(n)]
    o += ["brainstorm:"]
    for i in range(n):
        o += ["  q%d:" % i, "    - {text: idée %d, by: [p%d], table: t%d, "
              "round: %d}" % (i, i, i, i + 1)]
    o += ["subgroups:"]
    for i in range(n):
        o += ["  q%d:" % i, "    groups:",
              "      - {name: G%d, members: [p%d], drivers: [m%d]}" % (i, i, i)]
    return "\n".join(o) + "\n"


def grid_session(n):
    """A grid of n sections, n groups each writing one, a kit step
    expecting each section: groups times sections, expectations."""
    o = ["atelier: 1", "title: T", "date: 2016-06-30",
         "questions: [{id: q1, title: Q}]", "sections:"]
    o += ["  - {id: s%d, label: S%d, force: driver}" % (i, i) for i in range(n)]
    o += ["subgroups:", "  q1:", "    groups:"]
    o += ["      - {name: G%d, s%d: [x%d]}" % (i, i, i) for i in range(n)]
    o += ["kit:", "  q1:", "    - step: T", "      expect:"]
    o += ["        s%d: [1, 2]" % i for i in range(n)]
    return "\n".join(o) + "\n"


@skip_valgrind
def test_large_plans_and_grids_stay_linear(ctx):
    """Thousands of tables, rounds, questions, sections and groups: the
    rotation check went table by question by round (28 s for 2,000), each
    part looked its question up by a scan, every group held a slot for
    every section of the grid (4 GB for a 1 MB file of 10,000), every
    expectation was checked against every group, and the reports drew a
    grid of rounds by questions (600 MB of HTML from 1.5 MB)."""
    d = ctx.tmpdir()
    asan = "asan" in os.path.basename(ctx.atelier)
    path = write(os.path.join(d, "plan.yaml"), rotation_session(3000))
    start = time.monotonic()
    p = ctx.run("build", "--color=never", "-f", "md,html", "plan.yaml", "-o",
                d, cwd=d)
    assert time.monotonic() - start < (60 if asan else 10)
    assert p.returncode == 0, p.stderr[-1000:]
    assert "warning: in the rotation plan, table 't0' never meets 2999 of " \
        "its 3000 questions ('q1', 'q2', 'q3'...)" in p.stderr, p.stderr[:500]
    size = os.path.getsize(path)
    for ext in ("md", "html"):
        out = os.path.getsize(os.path.join(d, "plan." + ext))
        assert out < 10 * size, (ext, out, size)
    with open(os.path.join(d, "plan.md"), encoding="utf-8") as f:
        md = f.read()
    assert "- Tour 3000 (5 min) : Question 3000 — T2999\n" in md
    write(os.path.join(d, "grid.yaml"), grid_session(10000))
    start = time.monotonic()
    if asan:
        p = ctx.run("check", "--color=never", "grid.yaml", cwd=d)
    else:
        p = run_with_memory(ctx, ["check", "--color=never", "grid.yaml"], d,
                            512 << 20)
    assert time.monotonic() - start < (60 if asan else 10)
    assert p.returncode == 0, p.stderr[-1000:]
    assert "note: the kit's 10000 expectations were not checked against " \
        "the 10000 groups: too many to compare" in p.stderr, p.stderr[-500:]


def test_one_image_named_many_times_cannot_inflate_the_report(ctx):
    """The HTML report inlines each figure where it stands: one image of
    1 MiB named 300 times through an alias (300 lines) would make a page of
    400 MB, a million times a disk full. Past 256 MiB of images the page is
    refused, before anything is written, at the figure's position."""
    d = ctx.tmpdir()
    with open(os.path.join(d, "big.svg"), "w", encoding="ascii") as f:
        f.write("<svg>" + "a" * (1 << 20) + "</svg>")
    write(os.path.join(d, "s.yaml"), HEAD + "    - &f {image: big.svg}\n"
          + "    - *f\n" * 300 + "    - x\n")
    out = os.path.join(d, "out")
    os.mkdir(out)
    p = ctx.run("build", "--color=never", "-f", "md,html", "s.yaml", "-o",
                out, cwd=d)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith("s.yaml:7:18: error: the figures of the HTML "
                               "report pass 256 MiB with this one"), p.stderr
    assert os.listdir(out) == []
    # Fewer copies are a report like any other.
    write(os.path.join(d, "s.yaml"), HEAD + "    - &f {image: big.svg}\n"
          + "    - *f\n" * 3 + "    - x\n")
    p = ctx.run("build", "-f", "html", "s.yaml", "-o", out, cwd=d)
    assert p.returncode == 0, p.stderr
    assert os.path.getsize(os.path.join(out, "s.html")) > 4 * (1 << 20)


# ---- files and folders ----

def as_user(uid):
    def drop():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return drop


def run_unprivileged(ctx, *args, cwd=None):
    """Runs atelier as 'nobody' when the tests run as root (root reads and
    writes whatever the permissions say), else as the current user."""
    cmd = [ctx.atelier] + [str(a) for a in args]
    if ctx.valgrind:
        cmd = ["valgrind", "-q", "--error-exitcode=%d" % VALGRIND_EXIT,
               "--leak-check=full", "--errors-for-leak-kinds=definite,indirect"
               ] + cmd
    env = dict(os.environ, NO_COLOR="1")
    pre = None
    if os.geteuid() == 0:
        pre = as_user(pwd.getpwnam("nobody").pw_uid)
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=120, preexec_fn=pre)
    assert not (ctx.valgrind and p.returncode == VALGRIND_EXIT), p.stderr
    return p


def open_to_all(folder):
    """Tests' folders are private (mkdtemp): let 'nobody' in."""
    os.chmod(folder, 0o755)


def test_unreadable_file_is_an_io_error(ctx):
    d = ctx.tmpdir()
    open_to_all(d)
    path = write(os.path.join(d, "s.yaml"), LIMITS)
    os.chmod(path, 0)
    p = run_unprivileged(ctx, "check", "--color=never", "s.yaml", cwd=d)
    assert p.returncode == 2, p.stderr
    assert p.stderr == "s.yaml: error: cannot open: Permission denied\n", \
        p.stderr
    p = run_unprivileged(ctx, "build", "s.yaml", cwd=d)
    assert p.returncode == 2 and "Permission denied" in p.stderr, p.stderr
    assert sorted(os.listdir(d)) == ["s.yaml"]


def test_output_folder_not_writable(ctx):
    d = ctx.tmpdir()
    open_to_all(d)
    write(os.path.join(d, "s.yaml"), LIMITS)
    out = os.path.join(d, "out")
    os.mkdir(out, 0o555)
    os.chmod(out, 0o555)
    p = run_unprivileged(ctx, "build", "--color=never", "s.yaml", "-o", out,
                         cwd=d)
    no_sanitizer_report(p)
    assert p.returncode == 2, p.stderr
    assert re.search(r"cannot write in the folder of \S*out/s\.\w+: "
                     r"Permission denied", p.stderr), p.stderr
    assert os.listdir(out) == []
    # A session beside which nothing can be written: the same.
    os.chmod(d, 0o555)
    try:
        p = run_unprivileged(ctx, "build", "--color=never", "s.yaml", cwd=d)
        assert p.returncode == 2 and "Permission denied" in p.stderr, p.stderr
        assert sorted(os.listdir(d)) == ["out", "s.yaml"]
    finally:
        os.chmod(d, 0o755)


def test_output_path_that_is_a_symlink_is_replaced_not_followed(ctx):
    """A link where a report goes is replaced by the report: the file it
    pointed to is never written through it (a shared checkout could
    otherwise be made to overwrite anything)."""
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), LIMITS)
    out = os.path.join(d, "out")
    os.mkdir(out)
    victim = write(os.path.join(d, "victim.txt"), "precious\n")
    os.symlink(victim, os.path.join(out, "s.md"))
    os.symlink(os.path.join(d, "nowhere"), os.path.join(out, "s.csv"))
    p = ctx.run("build", "-f", "md,csv", "s.yaml", "-o", out, cwd=d)
    assert p.returncode == 0, p.stderr
    with open(victim, encoding="utf-8") as f:
        assert f.read() == "precious\n"
    assert not os.path.exists(os.path.join(d, "nowhere"))
    for name in ("s.md", "s.csv"):
        st = os.lstat(os.path.join(out, name))
        assert stat.S_ISREG(st.st_mode), name
    with open(os.path.join(out, "s.md"), encoding="utf-8") as f:
        assert "abcdefghijkl" in f.read()


def test_output_folder_given_through_a_symlink(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), LIMITS)
    os.mkdir(os.path.join(d, "real"))
    os.symlink("real", os.path.join(d, "link"))
    p = ctx.run("build", "-f", "md", "s.yaml", "-o", "link", cwd=d)
    assert p.returncode == 0, p.stderr
    assert os.listdir(os.path.join(d, "real")) == ["s.md"]


def try_mount_tmpfs(folder, size):
    """Mounts a tmpfs of size bytes on folder; the reason why not, if not."""
    if os.geteuid() != 0:
        return "not root"
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d" % size,
                        "tmpfs", folder], capture_output=True, text=True)
    return None if p.returncode == 0 else (p.stderr.strip() or "mount failed")


def fill(folder):
    """Fills the file system of folder; returns the filler's path."""
    path = os.path.join(folder, "filler")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, b"\0" * 4096) > 0:
            pass
    except OSError:
        pass
    os.close(fd)
    return path


def test_full_disk_keeps_the_previous_reports(ctx):
    """A real file system that fills up while reports are written (not
    only /dev/full on standard output): the build fails with the reason,
    the previous reports stay as they were, no temporary file is left."""
    d = ctx.tmpdir()
    out = os.path.join(d, "out")
    os.mkdir(out)
    why = try_mount_tmpfs(out, 256 << 10)
    if why:
        print("note: test_full_disk_keeps_the_previous_reports skipped: "
              "cannot mount a tmpfs (%s)" % why, file=sys.stderr)
        return
    try:
        write(os.path.join(d, "s.yaml"), LIMITS)
        p = ctx.run("build", "-f", "md,html,json,csv", "s.yaml", "-o", out,
                    cwd=d)
        assert p.returncode == 0, p.stderr
        before = snapshot(out)
        filler = fill(out)
        os.truncate(filler, os.path.getsize(filler) - 4096)
        write(os.path.join(d, "s.yaml"), LIMITS + "    - quatre\n")
        # xlsx's private temporary file on the full disk too (valgrind
        # keeps its own files in TMPDIR: not under it).
        env = {} if ctx.valgrind else {"TMPDIR": out}
        for fmt in ("md,html,json,csv", "xlsx"):
            p = ctx.run("build", "--color=never", "-f", fmt, "s.yaml", "-o",
                        out, cwd=d, env=env)
            no_sanitizer_report(p)
            assert p.returncode == 2, (fmt, p.returncode, p.stderr)
            # atelier's own line says why (libxlsxwriter adds its own).
            assert re.search(r"^s\.yaml: error: cannot write [^\n]*No space "
                             r"left on device", p.stderr, re.M), (fmt, p.stderr)
            now = snapshot(out)
            del now["filler"]
            assert now == before, fmt
            assert not leftovers(out), leftovers(out)
    finally:
        subprocess.run(["umount", out], check=True)


# ---- signals ----

def wait_for_temporary_file(proc, folder, limit=60):
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        if leftovers(folder):
            return True
        time.sleep(0.002)
    return False


def atelier_processes_in(folder):
    """Processes whose command line names folder (workers included)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if folder.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


@skip_valgrind
def test_signal_mid_build_keeps_previous_reports(ctx):
    """SIGINT, SIGTERM or SIGHUP while reports are being written: the exit
    says so (death by that signal), the previous reports are untouched and
    no temporary file stays, in OUT or in TMPDIR (xlsx)."""
    d = ctx.tmpdir()
    out, tmp = os.path.join(d, "out"), os.path.join(d, "tmp")
    os.mkdir(out)
    os.mkdir(tmp)
    session = os.path.join(d, "s.yaml")
    write(session, LIMITS)
    p = ctx.run("build", "s.yaml", "-o", out, cwd=d)
    assert p.returncode == 0, p.stderr
    before = snapshot(out)
    big_session(session, 60000)
    env = dict(os.environ, TMPDIR=tmp)
    caught = 0
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        proc = subprocess.Popen([ctx.atelier, "build", "s.yaml", "-o", out],
                                cwd=d, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        if wait_for_temporary_file(proc, out):
            proc.send_signal(sig)
            caught += 1
        _, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            continue  # finished before the signal could land: try the next
        assert proc.returncode == -sig, (sig, proc.returncode, err)
        assert snapshot(out) == before, sig
        assert not leftovers(out) and not os.listdir(tmp), sig
    assert caught >= 2, "the build was too quick to be interrupted"


@skip_valgrind
def test_killed_folder_build_stops_its_workers(ctx):
    """A folder build killed with -j2: its workers stop too (they do not
    go on building sessions nobody will record), and leave nothing."""
    d = ctx.tmpdir()
    tree, out = os.path.join(d, "tree"), os.path.join(d, "out")
    os.mkdir(tree)
    os.mkdir(out)
    for i in range(6):
        big_session(os.path.join(tree, "s%d.yaml" % i), 30000)
    proc = subprocess.Popen([ctx.atelier, "build", "-j2", tree, "-o", out],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert wait_for_temporary_file(proc, out), "no temporary file seen"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGTERM, proc.returncode
    end = time.monotonic() + 10
    while atelier_processes_in(out) and time.monotonic() < end:
        time.sleep(0.05)
    assert not atelier_processes_in(out), "a worker outlived its build"
    time.sleep(0.5)
    assert not leftovers(out), leftovers(out)
    # Whatever was renamed into place before the kill is whole: every
    # session's outputs, where they exist, hold its last contribution.
    for name in os.listdir(out):
        if name.endswith(".md"):
            with open(os.path.join(out, name), encoding="utf-8") as f:
                assert "idée numéro 29999," in f.read(), name


# ---- damaged build manifests ----

def built_tree(ctx):
    d = ctx.tmpdir()
    tree, out = os.path.join(d, "tree"), os.path.join(d, "out")
    os.mkdir(tree)
    os.mkdir(out)
    write(os.path.join(tree, "a.yaml"), LIMITS)
    write(os.path.join(tree, "b.yaml"), LIMITS)
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    return d, tree, out


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def test_prune_never_removes_outside_the_output_folder(ctx):
    """A manifest is a file in OUT that a repository may hold and a merge
    may damage: the outputs it names are only ever removed inside OUT."""
    d, tree, out = built_tree(ctx)
    victim = write(os.path.join(d, "victim.txt"), "precious\n")
    manifest = os.path.join(out, ".atelier-manifest")
    for bad in ("../victim.txt", victim, "./../victim.txt", "x/../../victim.txt"):
        append(manifest, "E\tgone.yaml\tgone.yaml\nO\t%s\n" % bad)
        p = ctx.run("build", "--prune", "--color=never", "-f", "md,html", tree,
                    "-o", out)
        assert p.returncode == 0, p.stderr
        assert os.path.exists(victim), bad
        assert "the build manifest .atelier-manifest is damaged: rebuilding " \
               "everything" in p.stderr, p.stderr
    # A real deleted session is still pruned, inside OUT.
    os.remove(os.path.join(tree, "b.yaml"))
    p = ctx.run("build", "--prune", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0 and "2 outputs pruned" in p.stderr, p.stderr
    assert not os.path.exists(os.path.join(out, "b.md"))


def test_manifest_links_and_dates_do_not_reach_the_index(ctx):
    """The index is made from the manifest's summaries: a hand-edited one
    must not put a script link or markup in it."""
    d, tree, out = built_tree(ctx)
    manifest = os.path.join(out, ".atelier-manifest")
    with open(manifest, encoding="utf-8") as f:
        good = f.read()
    for field, value in ((8, "../x"), (2, "<script>x</script>"),
                         (8, "/etc/passwd"), (9, "<b>md"), (4, "-77777")):
        lines = []
        for line in good.split("\n"):
            if line.startswith("U\t"):
                parts = line.split("\t")
                parts[field + 0] = value
                line = "\t".join(parts)
            lines.append(line)
        with open(manifest, "w", encoding="utf-8") as f:
            f.write(manifest_edited("\n".join(lines)))
        # Delete a report so that the index is written again.
        os.remove(os.path.join(out, "index.html"))
        p = ctx.run("build", "--color=never", "-f", "md,html", tree, "-o", out)
        assert p.returncode == 0, p.stderr
        assert "is damaged" in p.stderr, (value, p.stderr)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            index = f.read()
        assert value not in index, value
        with open(manifest, encoding="utf-8") as f:
            assert value not in f.read()
    # A report's path with a scheme is a folder's name like another: the
    # index makes it a URL, never a script link.
    with open(manifest, encoding="utf-8") as f:
        good = f.read()
    write(manifest, manifest_edited(
        re.sub(r"^(U(?:\t[^\t]*){7})\t[^\t]*", r"\1\tjavascript:alert(1)",
               good, count=1, flags=re.M)))
    os.remove(os.path.join(out, "index.html"))
    p = ctx.run("build", "--color=never", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0 and "damaged" not in p.stderr, p.stderr
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        index = f.read()
    assert 'href="javascript%3Aalert%281%29.html"' in index, index
    assert "javascript:" not in index


def test_manifest_naming_a_device_or_a_fifo_does_not_hang(ctx):
    """An input recorded in the manifest that is now /dev/zero or a FIFO
    (by hand, or replaced since): atelier rebuilds, it does not read it."""
    d, tree, out = built_tree(ctx)
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    manifest = os.path.join(out, ".atelier-manifest")
    with open(manifest, encoding="utf-8") as f:
        good = f.read()
    for dev in ("/dev/zero", fifo):
        # Size 0, as stat says of both; another time, so the content decides.
        text = re.sub(r"^D\t[^\t]*\t\d+\t\d+", "D\t%s\t0\t1" % dev, good,
                      flags=re.M)
        with open(manifest, "w", encoding="utf-8") as f:
            f.write(text)
        p = ctx.run("build", "-f", "md,html", tree, "-o", out, timeout=30)
        assert p.returncode == 0, p.stderr
        assert "2 built" in p.stderr, p.stderr


def test_cached_files_under_out_that_are_not_files_do_not_hang(ctx):
    """OUT is often a CI cache another job filled: a session's rows file
    (.NAME.atelier-rows) or the manifest replaced by a FIFO or a link to
    /dev/zero is refused at once, never read; the workbook stays as it was
    and the message says to build again."""
    d, tree, out = built_tree(ctx)
    build = ["build", "--color=never", "-f", "md,xlsx", tree, "-o", out]
    assert ctx.run(*build, "--force").returncode == 0
    rows = os.path.join(out, ".a.atelier-rows")
    book = os.path.join(out, "contributions.xlsx")
    with open(book, "rb") as f:
        before = f.read()
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    for planted in (fifo, "/dev/zero"):
        os.remove(rows)
        os.symlink(planted, rows)
        append(os.path.join(tree, "b.yaml"), "\n# edited %s\n" % planted)
        p = ctx.run(*build, timeout=30)
        assert p.returncode != 0, p.stderr
        assert ("contributions.xlsx: cannot read the rows of a.yaml from %s"
                % rows) in p.stderr, p.stderr
        with open(book, "rb") as f:
            assert f.read() == before
    os.remove(rows)
    os.mkfifo(rows)
    append(os.path.join(tree, "b.yaml"), "\n# edited again\n")
    p = ctx.run(*build, timeout=30)
    assert p.returncode != 0 and "cannot read the rows of a.yaml" in p.stderr
    # The manifest as a FIFO: read as no manifest, everything rebuilt.
    manifest = os.path.join(out, ".atelier-manifest")
    os.remove(manifest)
    os.mkfifo(manifest)
    p = ctx.run(*build, timeout=30)
    assert p.returncode == 0 and "2 built" in p.stderr, p.stderr
    assert os.path.isfile(rows) and not os.path.islink(rows)


# ---- regression inputs found by fuzzing (tests/regress/README.md) ----

def regress_cases(ctx):
    """(file, expected exit of check) from the README's table."""
    with open(ctx.path("tests", "regress", "README.md"), encoding="utf-8") as f:
        rows = re.findall(r"^\| `([^`]+)` \| (\d) \|", f.read(), re.M)
    return [(name, int(code)) for name, code in rows]


def test_regress_inputs_check_and_build(ctx):
    cases = regress_cases(ctx)
    folder = ctx.path("tests", "regress")
    listed = {name for name, _ in cases}
    present = {f for f in os.listdir(folder) if f != "README.md"}
    assert listed == present, "README.md and the folder differ: %s" % (
        listed ^ present)
    for name, code in cases:
        if name.startswith("manifest-"):
            continue  # see test_regress_manifests
        p = ctx.run("check", "--color=never", name, cwd=folder, timeout=60)
        no_sanitizer_report(p)
        assert p.returncode == code, (name, p.returncode, p.stderr)
        if code == 1:
            assert ": error: " in p.stderr, (name, p.stderr)
        out = ctx.tmpdir()
        p = ctx.run("build", "--color=never", name, "-o", out, cwd=folder,
                    timeout=120)
        no_sanitizer_report(p)
        assert p.returncode == code, (name, "build", p.returncode, p.stderr)
        assert (os.listdir(out) != []) == (code == 0), (name, os.listdir(out))
        assert not leftovers(out)


def test_regress_manifests(ctx):
    """Each manifest-* is put in OUT as the manifest of a folder build,
    built without and with --prune: the build ends, and touches nothing
    outside OUT."""
    for name, code in regress_cases(ctx):
        if not name.startswith("manifest-"):
            continue
        d, tree, out = built_tree(ctx)
        victim = write(os.path.join(d, "victim.txt"), "precious\n")
        manifest = os.path.join(out, ".atelier-manifest")
        with open(manifest, "rb") as f:
            header = f.readline()
        with open(ctx.path("tests", "regress", name), "rb") as f:
            f.readline()
            data = header + f.read()
        # Kept (its entries reach the index), then pruned.
        for prune in ([], ["--prune"]):
            with open(manifest, "wb") as f:
                f.write(data)
            p = ctx.run("build", "--color=never", "-f", "md,html", *prune,
                        tree, "-o", out, timeout=30)
            no_sanitizer_report(p)
            assert p.returncode == code, (name, p.returncode, p.stderr)
        assert sorted(os.listdir(d)) == ["out", "tree", "victim.txt"], name
        assert sorted(os.listdir(tree)) == ["a.yaml", "b.yaml"], name
        with open(victim, encoding="utf-8") as f:
            assert f.read() == "precious\n", name
