"""test_shard.py: a folder built in parts (`build --shard K/N`, one job of a
CI matrix each) and joined (`atelier merge`) ends in the bytes of one
build of the whole folder: reports, index, merged workbook and manifest
(issue 17). A session always falls in the same part, whatever is added
elsewhere; parts that do not belong together are refused."""
import os
import shutil

from helpers import sessions_tree, settle, skip_valgrind, small_session, write



def tree_files(d):
    got = {}
    for base, _, names in os.walk(d):
        for n in names:
            if n == ".atelier-lock":
                continue
            p = os.path.join(base, n)
            with open(p, "rb") as f:
                got[os.path.relpath(p, d)] = f.read()
    return got


def make_tree(ctx):
    return sessions_tree(ctx, lambda i: "y%d/s%d.yaml" % (i % 3, i) if i < 7 else None)


def keys_of(out):
    with open(os.path.join(out, ".atelier-manifest"), encoding="utf-8") as f:
        return {line.split("\t")[1] for line in f if line.startswith("E\t")}


def build_in_parts(ctx, root, tree, n, tag):
    parts = []
    for k in range(1, n + 1):
        part = os.path.join(root, "%s-part%d" % (tag, k))
        p = ctx.run("build", "--shard", "%d/%d" % (k, n), tree, "-o", part)
        assert p.returncode == 0, p.stderr
        assert not os.path.exists(os.path.join(part, "index.html"))
        assert not os.path.exists(os.path.join(part, "contributions.xlsx"))
        parts.append(part)
    return parts


def test_parts_merged_are_the_bytes_of_one_build(ctx):
    skip_valgrind(ctx)  # a dozen folder builds
    root, tree = make_tree(ctx)
    whole = os.path.join(root, "whole")
    assert ctx.run("build", tree, "-o", whole).returncode == 0
    want = tree_files(whole)
    assert "contributions.xlsx" in want and "index.html" in want
    for n in (1, 2, 3):
        parts = build_in_parts(ctx, root, tree, n, "n%d" % n)
        # A partition: every session in exactly one part.
        keys = [keys_of(p) for p in parts]
        assert sum(len(k) for k in keys) == 8
        assert set().union(*keys) == keys_of(whole)
        out = os.path.join(root, "merged-%d" % n)
        p = ctx.run("merge", *parts, "-o", out)
        assert p.returncode == 0, p.stderr
        assert "8 sessions from %d parts" % n in p.stderr, p.stderr
        got = tree_files(out)
        assert sorted(got) == sorted(want), sorted(set(got) ^ set(want))
        assert [k for k in want if got[k] != want[k]] == [], [k for k in want if got[k] != want[k]]


def test_parts_stay_incremental_and_stable(ctx):
    skip_valgrind(ctx)
    root, tree = make_tree(ctx)
    parts = build_in_parts(ctx, root, tree, 3, "a")
    before = [keys_of(p) for p in parts]
    # Nothing changed: each part rebuilds nothing (a CI cache per part).
    for k, part in enumerate(parts, 1):
        p = ctx.run("build", "--shard", "%d/3" % k, tree, "-o", part)
        assert p.returncode == 0 and "\n0 built" in "\n" + p.stderr, p.stderr
    # Sessions added elsewhere move no session to another part.
    for i in range(7, 20):
        write(os.path.join(tree, "new", "n%d.yaml" % i), small_session("N%d" % i, ["I"]))
    settle(tree)
    parts = build_in_parts(ctx, root, tree, 3, "a")
    after = [keys_of(p) for p in parts]
    for b, a in zip(before, after):
        assert b <= a, (b, a)
    # A merged OUT kept between runs: a session deleted since is pruned.
    out = os.path.join(root, "out")
    assert ctx.run("merge", *parts, "-o", out).returncode == 0
    assert os.path.exists(os.path.join(out, "new", "n7.html"))
    os.remove(os.path.join(tree, "new", "n7.yaml"))
    for k, part in enumerate(parts, 1):
        p = ctx.run("build", "--prune", "--shard", "%d/3" % k, tree, "-o", part)
        assert p.returncode == 0, p.stderr
    assert ctx.run("merge", *parts, "-o", out).returncode == 0
    assert not os.path.exists(os.path.join(out, "new", "n7.html"))
    whole = os.path.join(root, "whole")
    assert ctx.run("build", tree, "-o", whole).returncode == 0
    got, want = tree_files(out), tree_files(whole)
    # (no temporary file left by a merge into a kept OUT either)
    assert sorted(got) == sorted(want), sorted(set(got) ^ set(want))
    assert [k for k in want if got[k] != want[k]] == [], [k for k in want if got[k] != want[k]]


def test_a_part_is_taken_only_when_every_file_is_sound(ctx):
    """A part's folder comes from another job (an artifact): a report
    there replaced by a symbolic link (to a secret of the runner) is
    refused before anything is written into OUT."""
    root, tree = make_tree(ctx)
    parts = build_in_parts(ctx, root, tree, 2, "h")
    victim = write(os.path.join(root, "secret.txt"), "runner token\n")
    name = sorted(k for k in tree_files(parts[1]) if k.endswith(".html"))[0]
    os.remove(os.path.join(parts[1], name))
    os.symlink(victim, os.path.join(parts[1], name))
    out = os.path.join(root, "out")
    p = ctx.run("merge", *parts, "-o", out)
    assert p.returncode == 2
    assert ("cannot read %s, which its part's manifest names: build that "
            "part again" % os.path.join(parts[1], name)) in p.stderr, p.stderr
    assert tree_files(out) == {}
    # A folder of the part made a link to elsewhere: what it holds there
    # (named as the manifest names the part's files) is not taken either.
    elsewhere = os.path.join(root, "elsewhere")
    folder = os.path.dirname(sorted(k for k in tree_files(parts[0])
                                    if k.endswith(".html"))[0])
    assert folder
    shutil.copytree(os.path.join(parts[0], folder), elsewhere)
    shutil.rmtree(os.path.join(parts[0], folder))
    os.symlink(elsewhere, os.path.join(parts[0], folder))
    p = ctx.run("merge", parts[0], "-o", out)
    assert p.returncode == 2
    assert "which its part's manifest names: build that part again" \
        in p.stderr, p.stderr
    assert tree_files(out) == {}


def test_shard_and_merge_refuse_what_does_not_fit(ctx):
    root, tree = make_tree(ctx)
    for bad in ("0/2", "3/2", "2", "a/b", "1/5000", "/2"):
        p = ctx.run("build", "--shard", bad, tree, "-o", os.path.join(root, "x"))
        assert p.returncode == 2, (bad, p.stderr)
        assert ("--shard takes K/N, the part K of N (1 <= K <= N <= 4096), "
                "not '%s'" % bad) in p.stderr, p.stderr
    parts = build_in_parts(ctx, root, tree, 2, "b")
    out = os.path.join(root, "out")
    p = ctx.run("merge", parts[0], parts[0], "-o", out)
    assert p.returncode == 2
    assert "is in two parts (the second: %s): give each part once" % parts[0] \
        in p.stderr, p.stderr
    other = os.path.join(root, "other")
    assert ctx.run("build", "--lang", "fr", "--shard", "2/2", tree,
                   "-o", other).returncode == 0
    p = ctx.run("merge", parts[0], other, "-o", out)
    assert p.returncode == 2
    assert ("%s was built with other options than the parts before it: "
            "build every part with the same ones" % other) in p.stderr, p.stderr
    empty = ctx.tmpdir()
    p = ctx.run("merge", empty, "-o", out)
    assert p.returncode == 2 and ("%s holds no build manifest" % empty) in p.stderr
    p = ctx.run("merge", *parts)
    assert p.returncode == 2 and "merge writes into a folder: give -o OUT" in p.stderr
    p = ctx.run("merge", "-f", "md", *parts, "-o", out)
    assert p.returncode == 2 and "belongs to 'atelier build'" in p.stderr
    p = ctx.run("merge", parts[0], "-o", parts[0])
    assert p.returncode == 2 and "OUT cannot be one of the parts" in p.stderr
