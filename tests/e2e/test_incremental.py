"""test_incremental.py: a folder build that rebuilds only what changed ends
in the same bytes as one that rebuilds everything (issue 17).

A small tree is edited, added to, cut and renamed in turn; after each step
an incremental build (--prune, alternately -j1, -j2 and -j3) and a --force
build into an empty folder must give identical reports, index and merged
workbook. The merged workbook is assembled from the pieces each session's
worker compressed (src/tree/book.c): it is read back with openpyxl, and
each session's rows in it must be the rows of its own spreadsheet."""
import os

import openpyxl

from helpers import sessions_tree, skip_valgrind, small_session, write

BOOK = "contributions.xlsx"


def outputs(d):
    """Every file under d but the build's own bookkeeping, by path."""
    got = {}
    for base, _, names in os.walk(d):
        for n in names:
            if n in (".atelier-lock", ".atelier-manifest"):
                continue
            p = os.path.join(base, n)
            with open(p, "rb") as f:
                got[os.path.relpath(p, d)] = f.read()
    return got


def same_outputs(a, b):
    fa, fb = outputs(a), outputs(b)
    assert sorted(fa) == sorted(fb), sorted(set(fa) ^ set(fb))
    differ = [k for k in fa if fa[k] != fb[k]]
    assert not differ, differ


def make_tree(ctx):
    return sessions_tree(ctx, lambda i: "a/s%d.yaml" % i if i < 4 else None)


def check_book(out):
    """Each session's rows in the merged workbook are its own
    spreadsheet's Contributions rows, in the order of the sessions."""
    book = openpyxl.load_workbook(os.path.join(out, BOOK))
    rows = [r for ws in book.worksheets
            for r in list(ws.iter_rows(values_only=True))[1:]]
    names = []
    for r in rows:
        if not names or names[-1] != r[0]:
            names.append(r[0])
    assert names == sorted(set(names)), names
    for name in names:
        own = os.path.join(out, os.path.splitext(name)[0] + ".xlsx")
        sheet = openpyxl.load_workbook(own).worksheets[0]
        want = [tuple(r) for r in list(sheet.iter_rows(values_only=True))[1:]]
        got = [tuple(r[2:]) for r in rows if r[0] == name]
        assert got == want, (name, len(got), len(want))
        link = [r[1] for r in rows if r[0] == name][0]
        assert link == '=HYPERLINK("%s.html")' % os.path.splitext(name)[0], link
    return len(rows)


def test_incremental_builds_end_in_the_bytes_of_a_full_one(ctx):
    skip_valgrind(ctx)  # a dozen folder builds
    root, tree = make_tree(ctx)
    inc = os.path.join(root, "inc")
    jobs = iter(["1", "2", "3"] * 4)

    def step(what):
        p = ctx.run("build", "--prune", "-j", next(jobs), tree, "-o", inc)
        assert p.returncode == 0, (what, p.stderr)
        full = os.path.join(ctx.tmpdir(), "full")
        p = ctx.run("build", "--force", tree, "-o", full)
        assert p.returncode == 0, (what, p.stderr)
        same_outputs(inc, full)
        return check_book(inc)

    first = step("first build")
    s1 = os.path.join(tree, "a", "s1.yaml")
    write(s1, small_session("Session 1", ["Idea 1.0", "A new idea", "Idea 1.2", "And one more"]))
    assert step("edit") == first + 1
    write(os.path.join(tree, "a", "b", "new.yaml"), small_session("New", ["Fresh"]))
    assert step("add") == first + 1 + 4
    os.remove(os.path.join(tree, "a", "s0.yaml"))
    assert step("remove") == first + 1 + 4 - 6
    os.rename(os.path.join(tree, "a", "s2.yaml"), os.path.join(tree, "z.yaml"))
    assert step("rename") == first + 1 + 4 - 6
    # The workbook's words follow the sessions' language: all English now
    # that the French example is gone, and French again when it is back.
    moulins = os.path.join(tree, "2016", "moulins.yaml")
    os.rename(moulins, moulins + ".off")
    step("only English sessions")
    book = openpyxl.load_workbook(os.path.join(inc, BOOK))
    assert book.worksheets[0]["A1"].value == "File"
    os.rename(moulins + ".off", moulins)
    step("French again")
    book = openpyxl.load_workbook(os.path.join(inc, BOOK))
    assert book.worksheets[0]["A1"].value == "Fichier"


def test_an_edit_recompresses_only_the_edited_sessions_rows(ctx):
    """The other sessions' pieces are copied: their rows files are not
    written again, and the workbook still holds their rows."""
    root, tree = make_tree(ctx)
    out = os.path.join(root, "out")
    assert ctx.run("build", tree, "-o", out).returncode == 0
    rows = {n: os.path.join(out, "a", ".s%d.atelier-rows" % n) for n in range(4)}
    before = {n: os.stat(p).st_mtime_ns for n, p in rows.items()}
    write(os.path.join(tree, "a", "s3.yaml"), small_session("Session 3", ["Changed"]))
    p = ctx.run("build", tree, "-o", out)
    assert p.returncode == 0 and "1 built, 4 up to date" in p.stderr, p.stderr
    after = {n: os.stat(p).st_mtime_ns for n, p in rows.items()}
    assert [n for n in rows if before[n] != after[n]] == [3]
    check_book(out)
