"""test_tree.py: building a folder of sessions: discovery, a broken session
among good ones, incremental rebuilds, --prune, -j determinism, the index,
GitHub annotations, JSON diagnostics and the depfile."""
import json
import os
import re
import shutil
import stat

from helpers import write

EXAMPLE_DIR = "examples/moulins-2016"


def make_tree(ctx):
    """tree/2016/moulins.yaml (the example), tree/2026/welcome.yaml (the
    template), tree/2026/sub/other.yaml (a small variant) and two YAML files
    that are not sessions."""
    root = ctx.tmpdir()
    tree = os.path.join(root, "tree")
    os.makedirs(os.path.join(tree, "2016"))
    os.makedirs(os.path.join(tree, "2026", "sub"))
    src = ctx.path(EXAMPLE_DIR)
    shutil.copy(os.path.join(src, "session.yaml"), os.path.join(tree, "2016", "moulins.yaml"))
    shutil.copy(os.path.join(src, "agrilocal63.svg"), os.path.join(tree, "2016"))
    assert ctx.run("init", os.path.join(tree, "2026", "welcome.yaml")).returncode == 0
    with open(os.path.join(tree, "2026", "welcome.yaml"), encoding="utf-8") as f:
        welcome = f.read()
    write(os.path.join(tree, "2026", "sub", "other.yaml"),
          welcome.replace("How can our town welcome new residents?", "Another session")
                 .replace("date: 2026-03-14", "date: 2026-04-01"))
    write(os.path.join(tree, ".github", "ci.yaml"), "atelier: 1\n")  # hidden: never searched
    write(os.path.join(tree, "data.yml"), "name: not a session\n")
    out = os.path.join(root, "out")
    os.mkdir(out)
    return tree, out


def files_under(d):
    out = {}
    for base, _, names in os.walk(d):
        for n in names:
            p = os.path.join(base, n)
            out[os.path.relpath(p, d)] = p
    return out


def test_folder_build_mirrors_the_tree_and_writes_an_index(ctx):
    tree, out = make_tree(ctx)
    p = ctx.run("build", "-v", "-f", "json,md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    got = sorted(files_under(out))
    # The Markdown's figure, copied beside it (test_links.py).
    copies = [g for g in got if re.fullmatch(r"2016/moulins-[0-9a-f]{16}\.svg", g)]
    assert len(copies) == 1, got
    got.remove(copies[0])
    assert got == sorted([".atelier-lock", ".atelier-manifest", "index.html", "index.md",
                          "2016/moulins.json", "2016/moulins.md",
                          "2026/welcome.json", "2026/welcome.md",
                          "2026/sub/other.json", "2026/sub/other.md"]), got
    assert "data.yml: skipped" in p.stderr
    assert ".github" not in p.stderr
    assert "3 built, 0 up to date, 0 failed, 2 warnings" in p.stderr
    assert "\r" not in p.stderr  # a progress bar only on a terminal
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        index = f.read()
    rows = [l for l in index.splitlines() if re.match(r"^\| \d{4}-", l)]
    # Newest first, with the counts of each session and a link to it.
    assert [r.split(" | ")[0] for r in rows] == ["| 2026-04-01", "| 2026-03-14", "| 2016-06-30"]
    # 129 contributions: the kit's 6 instructions are not (docs/format.md).
    assert "](2016/moulins.md) |" in rows[2] and "| 129 | 14 | 16 |" in rows[2]
    # Every format built is linked, from the registry's order.
    assert rows[2].endswith("| [md](2016/moulins.md) · [json](2016/moulins.json) |"), rows[2]
    # The template and its variant share every driver and brake: they
    # recur, and the index says so with both sessions.
    assert "Forces récurrentes" in index
    rec = index.split("## Forces récurrentes")[1]
    assert "Volunteers who know the town (moteur, dans 2 ateliers)" in rec
    assert "Another session" in rec and "How can our town" in rec
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert '<a href="2016/moulins.md">' in html or "moulins" in html


def test_a_broken_session_does_not_stop_the_others(ctx):
    tree, out = make_tree(ctx)
    bad = os.path.join(tree, "2026", "welcome.yaml")
    with open(bad, encoding="utf-8") as f:
        text = f.read()
    write(bad, text.replace("brakes:", "brakess:", 1))
    p = ctx.run("build", "-f", "json", tree, "-o", out)
    assert p.returncode == 1
    assert "1 failed" in p.stderr and "2 built" in p.stderr
    assert "did you mean 'brakes'" in p.stderr
    got = files_under(out)
    assert "2016/moulins.json" in got and "2026/sub/other.json" in got
    assert "2026/welcome.json" not in got
    # Fixed, it is built on the next run; the others are up to date.
    write(bad, text)
    p = ctx.run("build", "-f", "json", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "1 built, 2 up to date, 0 failed" in p.stderr


def test_incremental_rebuild_rewrites_nothing(ctx):
    tree, out = make_tree(ctx)
    assert ctx.run("build", "-f", "json,md", tree, "-o", out).returncode == 0
    before = {k: os.stat(p).st_mtime_ns for k, p in files_under(out).items()}
    p = ctx.run("build", "-f", "json,md", tree, "-o", out)
    assert p.returncode == 0 and "0 built, 3 up to date" in p.stderr, p.stderr
    # Nothing at all is written, not even the manifest or the index.
    after = {k: os.stat(p).st_mtime_ns for k, p in files_under(out).items()}
    assert after == before
    # Touching a file without changing it is still up to date (by content).
    os.utime(os.path.join(tree, "2016", "moulins.yaml"))
    p = ctx.run("build", "-f", "json,md", tree, "-o", out)
    assert "0 built, 3 up to date" in p.stderr
    # Changing a figure rebuilds the session that shows it.
    with open(os.path.join(tree, "2016", "agrilocal63.svg"), "a") as f:
        f.write("<!-- edited -->\n")
    p = ctx.run("build", "-f", "json,md", tree, "-o", out)
    assert "1 built, 2 up to date" in p.stderr, p.stderr
    # Other options rebuild everything; --force too.
    p = ctx.run("build", "-f", "json", tree, "-o", out)
    assert "3 built" in p.stderr
    p = ctx.run("build", "--force", "-f", "json", tree, "-o", out)
    assert "3 built" in p.stderr
    # A deleted output is rebuilt.
    os.unlink(os.path.join(out, "2026", "welcome.json"))
    p = ctx.run("build", "-f", "json", tree, "-o", out)
    assert "1 built, 2 up to date" in p.stderr


def test_prune_removes_reports_of_deleted_sessions(ctx):
    tree, out = make_tree(ctx)
    assert ctx.run("build", "-f", "json", tree, "-o", out).returncode == 0
    os.unlink(os.path.join(tree, "2026", "sub", "other.yaml"))
    p = ctx.run("build", "-f", "json", tree, "-o", out)
    assert p.returncode == 0
    assert os.path.exists(os.path.join(out, "2026", "sub", "other.json"))
    p = ctx.run("build", "--prune", "-f", "json", tree, "-o", out)
    assert p.returncode == 0 and "1 outputs pruned" in p.stderr, p.stderr
    assert not os.path.exists(os.path.join(out, "2026", "sub", "other.json"))
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        assert "Another session" not in f.read()


def test_jobs_give_the_same_bytes_and_the_same_messages(ctx):
    tree, out1 = make_tree(ctx)
    out2 = os.path.join(os.path.dirname(out1), "out2")
    os.mkdir(out2)
    broken = os.path.join(tree, "2026", "sub", "broken.yaml")
    write(broken, "atelier: 1\ntitle: x\ndate: 2016-02-30\nquestions: []\n")
    p1 = ctx.run("build", "-j", "1", "-f", "json,md", tree, "-o", out1)
    p2 = ctx.run("build", "-j", "4", "-f", "json,md", tree, "-o", out2)
    assert p1.returncode == p2.returncode == 1
    assert "\r" not in p2.stderr
    # Diagnostics come out per file, in the order of the files, whatever -j.
    assert p1.stderr == p2.stderr
    f1, f2 = files_under(out1), files_under(out2)
    assert sorted(f1) == sorted(f2)
    for k in f1:
        if k == ".atelier-manifest":
            continue
        with open(f1[k], "rb") as a, open(f2[k], "rb") as b:
            assert a.read() == b.read(), k


def test_github_annotations_and_json_diagnostics(ctx):
    d = ctx.tmpdir()
    f = write(os.path.join(d, "s.yaml"),
              "atelier: 1\ntitle: t\ndate: 2016-06-31\nquestions: [{id: q1, title: a}]\n"
              "brainstorm:\n  q1: [\"50%, done: yes\"]\n  q2: [x]\n")
    p = ctx.run("check", "--diagnostics=github", f)
    assert p.returncode == 1
    ann = p.stdout.splitlines()
    assert ann[0].startswith("::error file=%s,line=3,col=7,title=bad-date::impossible date" % f.replace(":", "%3A").replace(",", "%2C"))
    assert any(l.startswith("::error file=") and ",line=7,col=3," in l for l in ann)
    assert ": error: " in p.stderr  # the normal diagnostics too
    p = ctx.run("check", "--diagnostics=json", f)
    assert p.returncode == 1 and p.stderr == ""
    objs = [json.loads(l) for l in p.stdout.splitlines()]
    assert [(o["line"], o["col"], o["severity"]) for o in objs] == [(3, 7, "error"), (7, 3, "error")]
    assert objs[1]["code"] == "unknown-question" and objs[1]["file"] == f


def test_depfile_lists_outputs_and_their_inputs(ctx):
    tree, out = make_tree(ctx)
    dep = os.path.join(out, "..", "deps.d")
    p = ctx.run("build", "--depfile", dep, "-f", "json,md", tree, "-o", out)
    assert p.returncode == 0
    with open(dep, encoding="utf-8") as f:
        rules = f.read().splitlines()
    assert len(rules) == 3
    moulins = [r for r in rules if "moulins.json" in r][0]
    targets, deps = moulins.split(": ", 1) if ": " in moulins else moulins.split(":", 1)
    assert targets.split() == [os.path.join(out, "2016", "moulins.json"),
                               os.path.join(out, "2016", "moulins.md")]
    assert deps.split() == [os.path.join(tree, "2016", "moulins.yaml"),
                            os.path.join(tree, "2016", "agrilocal63.svg")]
    # Also right when nothing was rebuilt.
    p = ctx.run("build", "--depfile", dep, "-f", "json,md", tree, "-o", out)
    with open(dep, encoding="utf-8") as f:
        assert f.read().splitlines() == rules


def test_progress_bar_on_a_terminal_only(ctx):
    import pty
    import subprocess
    if ctx.valgrind:
        return
    tree, out = make_tree(ctx)
    master, slave = pty.openpty()
    proc = subprocess.Popen([ctx.atelier, "build", "-f", "json", tree, "-o", out],
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0
    assert b"\r[" in seen and b"] 3/3" in seen, seen
    assert b"3 built" in seen


def test_several_folders_need_one_output(ctx):
    tree, out = make_tree(ctx)
    p = ctx.run("build", os.path.join(tree, "2016"), os.path.join(tree, "2026"))
    assert p.returncode == 2 and "-o OUT" in p.stderr
    p = ctx.run("build", "-f", "json", os.path.join(tree, "2016"),
                os.path.join(tree, "2026"), "-o", out)
    assert p.returncode == 0, p.stderr
    got = files_under(out)
    assert "2016/moulins.json" in got and "2026/sub/other.json" in got


def _wait_for(pred, seconds=20.0):
    import time
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_when_a_session_changes(ctx):
    import signal
    import subprocess
    if ctx.valgrind:
        return
    tree, out = make_tree(ctx)
    target = os.path.join(out, "2026", "welcome.json")
    proc = subprocess.Popen([ctx.atelier, "build", "--watch", "-f", "json", tree, "-o", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: os.path.exists(target)), "first build"
        with open(target, encoding="utf-8") as f:
            assert "Another title" not in f.read()
        src = os.path.join(tree, "2026", "welcome.yaml")
        with open(src, encoding="utf-8") as f:
            text = f.read()
        write(src + ".new", text.replace("How can our town welcome new residents?", "Another title"))
        os.rename(src + ".new", src)  # the way editors save

        def rebuilt():
            with open(target, encoding="utf-8") as f:
                return "Another title" in f.read()
        assert _wait_for(rebuilt), "rebuilt after the change"
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode != 0  # interrupted
    assert "watching for changes" in err
    assert not [n for n in os.listdir(os.path.join(out, "2026")) if ".tmp-" in n]


def test_one_workbook_holds_every_sessions_contributions(ctx):
    import openpyxl
    tree, out = make_tree(ctx)
    p = ctx.run("build", tree, "-o", out)  # the default formats: xlsx among them
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(os.path.join(out, "contributions.xlsx"))
    ws = wb["Contributions"]
    rows = list(ws.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[0] == "Fichier" and header[1] == "Compte-rendu"
    per_file = {}
    for r in data:
        per_file[r[0]] = per_file.get(r[0], 0) + 1
    # Each session's rows are its own spreadsheet's Contributions rows.
    for rel in ("2016/moulins.yaml", "2026/welcome.yaml", "2026/sub/other.yaml"):
        own = openpyxl.load_workbook(os.path.join(out, rel.replace(".yaml", ".xlsx")))
        own_rows = list(own.worksheets[0].iter_rows(values_only=True))[1:]
        assert per_file[rel] == len(own_rows), rel
        mine = [r[2:] for r in data if r[0] == rel]
        assert [r[13] for r in mine] == [r[13] for r in own_rows]  # texts, in order
    # The link goes back to the session's report, which exists.
    link = [r[1] for r in data if r[0] == "2016/moulins.yaml"][0]
    assert link == '=HYPERLINK("2016/moulins.html")'
    assert os.path.exists(os.path.join(out, "2016", "moulins.html"))
    assert ws.auto_filter.ref and ws.freeze_panes == "A2"
    # Nothing changed: the workbook is not rewritten.
    before = os.stat(os.path.join(out, "contributions.xlsx")).st_mtime_ns
    assert ctx.run("build", tree, "-o", out).returncode == 0
    assert os.stat(os.path.join(out, "contributions.xlsx")).st_mtime_ns == before


def test_every_output_gets_the_mode_of_a_new_file(ctx):
    # Temporary files are made 0600; a report renamed from one must still
    # get 0666 & ~umask like any file, the merged workbook included.
    tree, out = make_tree(ctx)
    old = os.umask(0o022)
    try:
        p = ctx.run("build", tree, "-o", out)  # the default formats: xlsx among them
    finally:
        os.umask(old)
    assert p.returncode == 0, p.stderr
    for rel in ("contributions.xlsx", "index.html", "2016/moulins.html",
                "2016/moulins.xlsx"):
        mode = stat.S_IMODE(os.stat(os.path.join(out, rel)).st_mode)
        assert mode == 0o644, "%s: %o" % (rel, mode)


def test_index_shows_the_forces_that_recur_most(ctx):
    """A force in 12 sessions lists the 10 newest and counts the others; of
    101 recurring tags the index shows the 100 found in the most sessions
    and says how many there are (every one is in the reports)."""
    d = ctx.tmpdir()
    tree, out = os.path.join(d, "tree"), os.path.join(d, "out")
    os.mkdir(out)
    for i in range(12):
        tags = ["common%03d" % k for k in range(100)]
        # "rare" recurs in two sessions only: the one left out.
        if i < 2:
            tags.append("rare")
        write(os.path.join(tree, "s%02d.yaml" % i),
              "atelier: 1\ntitle: S%d\ndate: 2016-06-%02d\n"
              "questions: [{id: q1, title: Q}]\n"
              "subgroups:\n  q1:\n    groups:\n"
              "      - name: G\n        drivers:\n"
              "          - {text: Un moteur commun, tags: [%s]}\n"
              % (i, i + 1, ", ".join(tags)))
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        rec = f.read().split("## Forces récurrentes")[1]
    assert "Les 100 qui reviennent le plus, sur 101." in rec
    assert "#rare" not in rec
    assert rec.count("#common") == 100
    line = [l for l in rec.splitlines()
            if l.startswith("- Un moteur commun (moteur, dans 12 ateliers)")]
    assert len(line) == 1, rec[-2000:]
    # Newest first: S11 (2016-06-12) down to S2, then the two others.
    assert "[S11]" in line[0] and "[S2]" in line[0]
    assert "[S1]" not in line[0] and line[0].endswith(", et 2 autres")
    # One session changed: the forces of the eleven others come back from
    # the manifest, where the last build left them, and the index is the
    # same but for the new title.
    first = os.path.join(tree, "s11.yaml")
    with open(first, encoding="utf-8") as f:
        text = f.read()
    write(first, text.replace("title: S11", "title: S11 bis"))
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert "1 built, 11 up to date" in p.stderr, p.stderr
    with open(os.path.join(out, "index.md"), encoding="utf-8") as f:
        again = f.read().split("## Forces récurrentes")[1]
    assert again == rec.replace("[S11]", "[S11 bis]")


def test_workbook_is_the_same_whatever_jobs(ctx):
    """A parallel build fills contributions.xlsx while its workers build,
    taking the sessions in their order as they finish: the bytes must be
    those of a build in one process, on a first build and on a rebuild
    where only one session changed (the others read again)."""
    import openpyxl
    tree, out1 = make_tree(ctx)
    out2 = os.path.join(os.path.dirname(out1), "out2")
    os.mkdir(out2)

    def both(expect):
        p1 = ctx.run("build", "-j", "1", "-f", "xlsx", tree, "-o", out1)
        p2 = ctx.run("build", "-j", "3", "-f", "xlsx", tree, "-o", out2)
        assert p1.returncode == p2.returncode == 0, p1.stderr + p2.stderr
        assert expect in p1.stderr and expect in p2.stderr, p2.stderr
        books = []
        for out in (out1, out2):
            with open(os.path.join(out, "contributions.xlsx"), "rb") as f:
                books.append(f.read())
        assert books[0] == books[1]
        return openpyxl.load_workbook(os.path.join(out2, "contributions.xlsx"))

    wb = both("3 built, 0 up to date")
    rows = len(list(wb["Contributions"].iter_rows()))
    other = os.path.join(tree, "2026", "sub", "other.yaml")
    with open(other, encoding="utf-8") as f:
        text = f.read()
    write(other, text.replace("Volunteers who know the town", "Des bénévoles"))
    wb = both("1 built, 2 up to date")
    texts = [r[15] for r in wb["Contributions"].iter_rows(values_only=True)]
    assert len(texts) == rows and "Des bénévoles" in texts


# ---- issue 13: findings 5, 6 and 7, the folder's half ----

def session_yaml(title, date, lang="fr", grid="", drivers=(), extra=""):
    """A small session: its language, its own grid (YAML of `sections`, or
    the built-in one), a group with the given drivers (built-in grid) and
    whatever extra YAML it needs."""
    text = "atelier: 1\nlang: %s\ntitle: %s\ndate: %s\n" % (lang, title, date)
    text += "questions: [{id: q1, title: Q}]\n" + grid
    text += "brainstorm:\n  q1: [Une idée, Une autre]\n"
    if drivers:
        text += ("subgroups:\n  q1:\n    groups:\n      - name: G\n"
                 "        drivers: [%s]\n" % ", ".join(drivers))
    return text + extra


def folder(ctx, sessions):
    d = ctx.tmpdir()
    tree, out = os.path.join(d, "tree"), os.path.join(d, "out")
    os.mkdir(out)
    for name, text in sessions.items():
        write(os.path.join(tree, name), text)
    return tree, out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def book_rows(out):
    import openpyxl
    wb = openpyxl.load_workbook(os.path.join(out, "contributions.xlsx"))
    return list(wb["Contributions"].iter_rows(values_only=True))


def test_finding_5_the_index_does_not_count_kit_instructions(ctx):
    kit = "kit:\n  q1:\n    - step: Temps 1\n      asks: [Lister, Trier]\n"
    tree, out = folder(ctx, {"a.yaml": session_yaml("A", "2024-01-02", extra=kit)})
    p = ctx.run("build", "-f", "md,xlsx", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    row = [l for l in read(os.path.join(out, "index.md")).splitlines()
           if l.startswith("| 2024-01-02")][0]
    # Two brainstorm ideas; the kit's two instructions are not counted.
    assert "| 2 | 0 | 0 |" in row, row
    # The merged workbook still lists them, as the session's own does.
    kinds = [r[2 + 9] for r in book_rows(out)[1:]]
    assert kinds.count("instruction") == 2 and len(kinds) == 4


def test_finding_6_a_folder_of_english_sessions_is_indexed_in_english(ctx):
    shared = ("A shared driver",)
    tree, out = folder(ctx, {
        "a.yaml": session_yaml("A", "2024-01-02", "en", drivers=shared),
        "b.yaml": session_yaml("B", "2024-01-03", "en", drivers=shared)})
    p = ctx.run("build", "-f", "md,html,xlsx", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    md = read(os.path.join(out, "index.md"))
    assert md.startswith("# Index of workshops\n")
    assert "| Date | Workshop | Place | People | Contributions | Drivers | Brakes | Formats |" in md
    assert "- A shared driver (driver, in 2 workshops): [B](b.md)" in md, md
    assert " : " not in md and "Moteurs" not in md and "Lieu" not in md
    html = read(os.path.join(out, "index.html"))
    assert '<html lang="en">' in html
    assert "(driver, in 2 workshops)</span>: <a" in html
    rows = book_rows(out)
    assert rows[0][:3] == ("File", "Report", "Workshop")
    assert "driver" in [r[2 + 8] for r in rows[1:]]
    # One session rebuilt, the other up to date: the manifest remembers
    # its language.
    write(os.path.join(tree, "a.yaml"),
          session_yaml("A bis", "2024-01-02", "en", drivers=shared))
    p = ctx.run("build", "-f", "md,html,xlsx", tree, "-o", out)
    assert "1 built, 1 up to date" in p.stderr, p.stderr
    assert read(os.path.join(out, "index.md")).startswith("# Index of workshops\n")
    assert book_rows(out)[0][0] == "File"


def test_folder_of_mixed_languages_is_french_unless_lang_says(ctx):
    """An English session first, a French one next: the index and the
    workbook's own words are French (the workbook, begun in English,
    starts again from the rows files), with the same bytes whatever the
    jobs; each session's rows keep the words of its own report; --lang en
    makes all of it English."""
    tree, out = folder(ctx, {
        "a.yaml": session_yaml("A", "2024-01-02", "en", drivers=("Rain",)),
        "b.yaml": session_yaml("B", "2024-01-03", "fr", drivers=("Pluie",))})
    out2 = out + "2"
    os.mkdir(out2)
    books = []
    for o, jobs in ((out, "1"), (out2, "3")):
        p = ctx.run("build", "-j", jobs, "-f", "md,xlsx", tree, "-o", o)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(o, "contributions.xlsx"), "rb") as f:
            books.append(f.read())
    assert books[0] == books[1]
    assert read(os.path.join(out, "index.md")).startswith("# Index des ateliers\n")
    rows = book_rows(out)
    assert rows[0][:3] == ("Fichier", "Compte-rendu", "Atelier")
    # Each session's rows in the words of its own report; the English
    # start was thrown away, but not a.yaml's rows.
    assert [(r[0], r[2 + 8]) for r in rows[1:] if r[2 + 9] == "driver"] == [
        ("a.yaml", "driver"), ("b.yaml", "moteur")]
    # The English session rebuilt, the French one up to date: its language
    # comes back from the manifest, and the index stays French.
    write(os.path.join(tree, "a.yaml"),
          session_yaml("A bis", "2024-01-02", "en", drivers=("Rain",)))
    p = ctx.run("build", "-f", "md,xlsx", tree, "-o", out)
    assert "1 built, 1 up to date" in p.stderr, p.stderr
    assert read(os.path.join(out, "index.md")).startswith("# Index des ateliers\n")
    assert book_rows(out)[0][0] == "Fichier"
    p = ctx.run("build", "--lang", "en", "-f", "md,xlsx", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert read(os.path.join(out, "index.md")).startswith("# Index of workshops\n")
    rows = book_rows(out)
    assert rows[0][:3] == ("File", "Report", "Workshop")
    assert [(r[0], r[2 + 8]) for r in rows[1:] if r[2 + 9] == "driver"] == [
        ("a.yaml", "driver"), ("b.yaml", "driver")]


RESTITUTION_GRID = """\
sections:
  - {id: retours, label: 3 retours principaux}
  - {id: analyse, label: Analyse}
subgroups:
  q1:
    groups:
      - name: G
        retours: [Un accueil chaleureux]
        analyse: [Un collectif soudé]
"""


def test_finding_7_no_force_columns_when_no_grid_has_forces(ctx):
    tree, out = folder(ctx, {
        "a.yaml": session_yaml("A", "2024-01-02", grid=RESTITUTION_GRID),
        "b.yaml": session_yaml("B", "2024-01-03", grid=RESTITUTION_GRID)})
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    md = read(os.path.join(out, "index.md"))
    assert "| Date | Atelier | Lieu | Participants | Contributions | Formats |" in md
    assert "| 4 | [md](a.md) · [html](a.html) |" in md, md
    for word in ("Moteurs", "Freins", "Forces récurrentes", "Aucun moteur"):
        assert word not in md, word
    html = read(os.path.join(out, "index.html"))
    assert "Moteurs" not in html and "Freins" not in html
    assert html.count('<td class="n"') == 4  # people, contributions: twice
    # A session with the built-in grid brings the columns back.
    write(os.path.join(tree, "c.yaml"),
          session_yaml("C", "2024-01-04", drivers=("Un moteur",)))
    assert ctx.run("build", "-f", "md,html", tree, "-o", out).returncode == 0
    md = read(os.path.join(out, "index.md"))
    assert "| Contributions | Moteurs | Freins | Formats |" in md
    assert "| 4 | 0 | 0 | [md](a.md)" in md and "| 3 | 1 | 0 | [md](c.md)" in md
    # c.yaml up to date, a.yaml rebuilt: the manifest remembers c's grid.
    write(os.path.join(tree, "a.yaml"),
          session_yaml("A bis", "2024-01-02", grid=RESTITUTION_GRID))
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert "1 built, 2 up to date" in p.stderr, p.stderr
    assert "| Contributions | Moteurs | Freins | Formats |" in read(
        os.path.join(out, "index.md"))


def test_workbook_takes_each_sessions_rows_from_its_build(ctx):
    """contributions.xlsx is filled from the rows each session's build kept
    beside its reports (src/tree/bookrows.h): the parent never parses a session
    again. A session edited behind the build's back (same size, same time:
    up to date) keeps the rows of its last build in a workbook that another
    session's change remakes; rows that are gone rebuild their session; rows
    damaged fail the workbook, which stays as it was."""
    import openpyxl
    tree, out = make_tree(ctx)
    moulins = os.path.join(tree, "2016", "moulins.yaml")
    # Older than the build by more than a coarse clock's tick: its time and
    # size are trusted (an input this recent is compared by content).
    os.utime(moulins, (1e9, 1e9))
    st = os.stat(moulins)
    build = ["build", "-f", "xlsx", tree, "-o", out]
    assert "3 built" in ctx.run(*build).stderr
    rows_file = os.path.join(out, "2026", ".welcome.atelier-rows")
    assert os.path.isfile(rows_file)
    with open(moulins, encoding="utf-8") as f:
        text = f.read()
    write(moulins, text.replace("place: Moulins sur Allier", "place: Moulinx sur Allier"))
    os.utime(moulins, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(moulins).st_size == st.st_size
    other = os.path.join(tree, "2026", "sub", "other.yaml")
    with open(other, encoding="utf-8") as f:
        text = f.read()
    write(other, text.replace("Volunteers who know the town", "Des bénévoles"))
    p = ctx.run(*build)
    assert "1 built, 2 up to date" in p.stderr, p.stderr
    book = os.path.join(out, "contributions.xlsx")
    data = list(openpyxl.load_workbook(book)["Contributions"].iter_rows(values_only=True))[1:]
    places = {r[4] for r in data if r[0] == "2016/moulins.yaml"}
    assert places == {"Moulins sur Allier"}, places
    assert "Des bénévoles" in [r[15] for r in data]

    # Gone: the session is built again, and its rows are back.
    os.remove(rows_file)
    p = ctx.run(*build)
    assert "1 built, 2 up to date" in p.stderr, p.stderr
    assert os.path.isfile(rows_file)

    # Damaged: the workbook is not replaced, and the message says why.
    with open(book, "rb") as f:
        before = f.read()
    with open(rows_file, "r+b") as f:
        f.seek(20)
        f.write(b"?")
    write(other, text.replace("Volunteers who know the town", "Des voisins"))
    p = ctx.run(*build)
    assert p.returncode != 0
    assert ("%s: error: contributions.xlsx: cannot read the rows of 2026/welcome.yaml "
            "from %s: build again with --force\n" % (out, rows_file)) in p.stderr, p.stderr
    with open(book, "rb") as f:
        assert f.read() == before
    p = ctx.run(*(build + ["--force"]))
    assert p.returncode == 0 and "3 built" in p.stderr, p.stderr
    data = list(openpyxl.load_workbook(book)["Contributions"].iter_rows(values_only=True))[1:]
    assert {r[4] for r in data if r[0] == "2016/moulins.yaml"} == {"Moulinx sur Allier"}

    # Cut short after its last piece (a disk that filled up): not taken
    # for a session with fewer contributions.
    with open(rows_file, "rb") as f:
        kept = f.read()
    cut = kept.rindex(b"z")  # its last line, "z" and the pieces
    with open(rows_file, "wb") as f:
        f.write(kept[:cut])
    write(other, text.replace("Volunteers who know the town", "Des amis"))
    p = ctx.run(*build)
    assert p.returncode != 0 and "cannot read the rows of 2026/welcome.yaml" in p.stderr, p.stderr

    # A byte changed in its compressed rows (copied without inflating):
    # found by their checksum, never copied into a workbook Excel would
    # have to repair.
    damaged = bytearray(kept)
    damaged[len(damaged) - 10] ^= 0x55
    with open(rows_file, "wb") as f:
        f.write(bytes(damaged))
    write(other, text.replace("Volunteers who know the town", "Des copains"))
    p = ctx.run(*build)
    assert p.returncode != 0 and "cannot read the rows of 2026/welcome.yaml" in p.stderr, p.stderr
