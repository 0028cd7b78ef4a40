"""test_rebuild.py: what a folder build keeps from one build to the next
(issue 17): the ids of the keys each driver and brake is grouped under in
the index, computed once by the session's build and kept in the manifest
(composed and decomposed accents, case, scripts beyond Latin); a manifest
of an earlier format rebuilt; the lazy no-op that reads only the manifest's
cheap part, starts no worker and opens no session it knows unchanged."""
import os
import re

from helpers import manifest_edited, write

NFC = "R\u00e9sistance au changement"
NFD = "Re\u0301sistance au changement"


def session(title, date, drivers=(), brakes=()):
    text = ("atelier: 1\nlang: fr\ntitle: %s\ndate: %s\n"
            "questions: [{id: q1, title: Q}]\n"
            "subgroups:\n  q1:\n    groups:\n      - name: G\n" % (title, date))
    if drivers:
        text += "        drivers: [%s]\n" % ", ".join(drivers)
    if brakes:
        text += "        brakes: [%s]\n" % ", ".join(brakes)
    return text


def folder(ctx, sessions):
    d = ctx.tmpdir()
    tree, out = os.path.join(d, "tree"), os.path.join(d, "out")
    os.mkdir(out)
    for name, text in sessions.items():
        write(os.path.join(tree, name), text)
    return d, tree, out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def recurring(out):
    """The index's recurring forces by their words: {first line: sessions}."""
    md = read(os.path.join(out, "index.md"))
    assert "## Forces récurrentes" in md, md
    found = {}
    for m in re.finditer(r"^- (.*?) \((moteur|frein), dans (\d+) ateliers\)",
                         md.split("## Forces récurrentes")[1], re.M):
        found[m.group(1)] = int(m.group(3))
    return found


def test_decomposed_and_composed_accents_are_one_recurring_force(ctx):
    """A decomposed "Résistance" (e + U+0301, as macOS and some editors
    save it) is the composed one, in any case: one force in three sessions
    (on main it was two forces, the decomposed one alone)."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFD]),
        "b.yaml": session("B", "2024-01-02", ["RÉSISTANCE AU CHANGEMENT !"]),
        "c.yaml": session("C", "2024-01-03", [NFC]),
    })
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    # Shown in the words of the newest session.
    assert recurring(out) == {NFC: 3}, read(os.path.join(out, "index.md"))


def test_other_scripts_recur_by_their_letters(ctx):
    """Greek folded in case and accents, Cyrillic in case, CJK kept with
    its punctuation as a separator: each force recurs in two sessions
    (before, a Greek or Cyrillic text had no key at all and never
    recurred)."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01",
                          ["Αντίσταση στην αλλαγή", "Сопротивление переменам",
                           "変化への不安、抵抗"]),
        "b.yaml": session("B", "2024-01-02",
                          ["ΑΝΤΙΣΤΑΣΗ ΣΤΗΝ ΑΛΛΑΓΗ", "СОПРОТИВЛЕНИЕ ПЕРЕМЕНАМ",
                           "変化への不安 抵抗"]),
    })
    p = ctx.run("build", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert recurring(out) == {"ΑΝΤΙΣΤΑΣΗ ΣΤΗΝ ΑΛΛΑΓΗ": 2,
                              "СОПРОТИВЛЕНИЕ ПЕРЕМЕНАМ": 2,
                              "変化への不安 抵抗": 2}, \
        read(os.path.join(out, "index.md"))


def force_lines(out):
    return [l for l in read(os.path.join(out, ".atelier-manifest")).split("\n")
            if l.startswith("F\t")]


def key_id(key, tag=False):
    """What atelier keeps of a key: its 64-bit FNV-1a, the lowest bit 1
    for a tag (at_force_key_ids), as 16 hex digits."""
    h = 0xcbf29ce484222325
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % ((h & ~1) | int(tag))


def key_lines(out):
    """{session: its K line's ids}, from the manifest's V and K lines."""
    found, key = {}, None
    for line in read(os.path.join(out, ".atelier-manifest")).split("\n"):
        if line.startswith("V\t"):
            key = line.split("\t")[1]
        elif line.startswith("K\t"):
            ids = line.split("\t")[1]
            found[key] = [ids[i:i + 16] for i in range(0, len(ids), 16)]
    return found


def test_the_manifest_keeps_each_forces_key_ids(ctx):
    """Each session's K line holds the ids of its forces' keys, computed by
    its build (a decomposed accent keyed as the composed one); the index
    counts recurring forces by the ids the manifest keeps, without reading
    every session's forces (an id edited in the manifest moves a
    count)."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFD, "Un moteur"]),
        "b.yaml": session("B", "2024-01-02", [NFC, "Un autre moteur"],
                          ["{text: Un frein, tags: [budget]}"]),
    })
    assert ctx.run("build", "-f", "md", tree, "-o", out).returncode == 0
    assert key_lines(out) == {
        "a.yaml": [key_id("0|text|resistance au changement"),
                   key_id("0|text|un moteur")],
        "b.yaml": [key_id("0|text|resistance au changement"),
                   key_id("0|text|un autre moteur"),
                   key_id("1|text|un frein"), key_id("1|tag|budget", True)],
    }, read(os.path.join(out, ".atelier-manifest"))
    assert all(len(l.split("\t")) == 4 for l in force_lines(out))
    assert recurring(out) == {NFC: 2}
    manifest = os.path.join(out, ".atelier-manifest")
    write(manifest, manifest_edited(read(manifest).replace(
        key_id("0|text|un moteur"), key_id("0|text|un autre moteur"))))
    # Another session changed: the index is made again, a's count from
    # the manifest.
    write(os.path.join(tree, "b.yaml"),
          session("B2", "2024-01-02", [NFC, "Un autre moteur"]))
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert "1 built, 1 up to date" in p.stderr, p.stderr
    assert recurring(out) == {NFC: 2, "Un autre moteur": 2}


def test_a_manifest_of_version_4_is_rebuilt_with_key_ids(ctx):
    """A manifest written before the key ids (version 4: F lines of five
    fields, the last the key, and no K line) is not misread: everything is
    rebuilt, the new manifest has the ids, and the index is the one a
    fresh build writes."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFD], ["Un frein"]),
        "b.yaml": session("B", "2024-01-02", [NFC], ["un FREIN"]),
    })
    assert ctx.run("build", "-f", "md,html", tree, "-o", out).returncode == 0
    manifest = os.path.join(out, ".atelier-manifest")
    text = read(manifest)
    assert text.startswith("atelier-manifest\t5\t")
    # The same manifest as version 4 wrote it: each F line with its key
    # (any words: the version alone must decide), no K line.
    old = [l + "\tkey" if l.startswith("F\t") else l
           for l in text.split("\n") if not l.startswith("K\t")]
    old[0] = old[0].replace("\t5\t", "\t4\t", 1)
    write(manifest, manifest_edited("\n".join(old)))
    write(os.path.join(out, "index.md"), "stale\n")
    p = ctx.run("build", "--color=never", "-f", "md,html", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "written by another version of atelier: rebuilding everything" \
        in p.stderr and "2 built, 0 up to date" in p.stderr, p.stderr
    assert read(manifest).startswith("atelier-manifest\t5\t")
    assert all(len(l.split("\t")) == 4 for l in force_lines(out))
    assert sorted(key_lines(out)) == ["a.yaml", "b.yaml"]
    fresh = os.path.join(d, "fresh")
    os.mkdir(fresh)
    assert ctx.run("build", "-f", "md,html", tree, "-o", fresh).returncode == 0
    for name in ("index.md", "index.html"):
        assert read(os.path.join(out, name)) == read(os.path.join(fresh, name))
    assert recurring(out) == {NFC: 2, "un FREIN": 2}


def test_a_manifest_without_a_sessions_key_ids_is_damaged(ctx):
    """A summary without its K line, or with ids that are not 16 hex
    digits each, or with a K line twice, makes the manifest damaged: a
    full rebuild, never an index that silently misses a session's
    forces."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFC]),
    })
    assert ctx.run("build", "-f", "md", tree, "-o", out).returncode == 0
    manifest = os.path.join(out, ".atelier-manifest")
    good = read(manifest)
    kline = [l for l in good.split("\n") if l.startswith("K\t")][0]
    bad_lines = ("", kline[:-1], kline[:-1] + "g", kline + "\n" + kline)
    for i, bad in enumerate(bad_lines):
        write(manifest, manifest_edited(good.replace(
            kline + "\n", bad + "\n" if bad else "", 1)))
        # b changed: the summaries are read.
        write(os.path.join(tree, "b.yaml"),
              session("B%d" % i, "2024-01-02", [NFC]))
        p = ctx.run("build", "--color=never", "-f", "md", tree, "-o", out)
        assert p.returncode == 0, p.stderr
        assert "the build manifest .atelier-manifest is damaged" in \
            p.stderr and "2 built, 0 up to date" in p.stderr, (bad, p.stderr)
        assert recurring(out) == {NFC: 2}
        good = read(manifest)
        kline = [l for l in good.split("\n") if l.startswith("K\t")][0]


def mtimes(out):
    return {os.path.join(b, n): os.stat(os.path.join(b, n)).st_mtime_ns
            for b, _, names in os.walk(out) for n in names}


def test_a_noop_reads_only_the_manifests_cheap_part(ctx):
    """Nothing changed: the build reads what each session was built from
    and wrote, not the summaries; one of them damaged (a bad date, the same
    length) goes unseen and nothing in OUT is written. Once a session
    changes, the summaries are read: the damage is found and everything
    rebuilt, never a wrong index."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFD]),
    })
    assert ctx.run("build", "-f", "md", tree, "-o", out).returncode == 0
    manifest = os.path.join(out, ".atelier-manifest")
    text = read(manifest)
    assert "\tA\t2024-01-01\t" in text
    write(manifest, text.replace("\tA\t2024-01-01\t", "\tA\t2024-0x-01\t"))
    before = mtimes(out)
    p = ctx.run("build", "--color=never", "-f", "md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert p.stderr == "0 built, 2 up to date, 0 failed, 0 warnings\n", p.stderr
    assert mtimes(out) == before
    write(os.path.join(tree, "b.yaml"), session("B2", "2024-01-02", [NFD]))
    p = ctx.run("build", "--color=never", "-f", "md", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "the build manifest .atelier-manifest is damaged: rebuilding " \
        "everything" in p.stderr and "2 built, 0 up to date" in p.stderr, \
        p.stderr
    assert "2024-0x-01" not in read(manifest)
    assert "[B2]" in read(os.path.join(out, "index.md"))


def traced(ctx, calls, *args):
    """An atelier run under strace: its result and the lines of the
    system calls calls (strace's -e trace=), its workers' included."""
    import shutil
    import subprocess
    import tempfile
    assert shutil.which("strace"), "strace is missing: make deps"
    env = dict(os.environ, LC_ALL="C", NO_COLOR="1")
    # LeakSanitizer cannot run under ptrace; the other runs check leaks.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        p = subprocess.run(["strace", "-f", "-qq", "-o", log.name,
                            "-e", "trace=" + calls,
                            ctx.atelier] + list(args),
                           capture_output=True, text=True, env=env,
                           timeout=120)
        return p, log.read().splitlines()


def processes_started(ctx, *args):
    """The processes an atelier run forks (threads aside), by strace."""
    p, lines = traced(ctx, "fork,vfork,clone,clone3", *args)
    calls = [l for l in lines if re.search(r"\b(v?fork|clone3?)\(", l)
             and "CLONE_THREAD" not in l]
    return p, len(calls)


def sessions_opened(ctx, *args):
    """The names of the YAML files an atelier run opens, by strace."""
    p, lines = traced(ctx, "open,openat", *args)
    return p, {os.path.basename(m.group(1)) for l in lines
               for m in [re.search(r'open(?:at)?\(.*?"([^"]*\.yaml)"', l)]
               if m}


def aged(tree, names, when=1_600_000_000):
    """Files given a time of modification long past: one of the last two
    seconds is "racy" and always read again (src/tree/manifest.c)."""
    for n in names:
        os.utime(os.path.join(tree, n), (when, when))


def test_a_noop_starts_no_worker_and_an_edit_after_it_is_built(ctx):
    """A rebuild where nothing changed (or a session was only touched) is
    decided by the parent and forks no worker; an edit after it is still
    built (in a worker) and shown in the index."""
    if ctx.valgrind:
        return  # strace around valgrind counts valgrind's own processes
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFD]),
        "c.yaml": session("C", "2024-01-03", ["Un moteur"]),
    })
    p, forks = processes_started(ctx, "build", "-j", "2", "-f", "md,html",
                                 tree, "-o", out)
    assert p.returncode == 0 and forks >= 1, (forks, p.stderr)
    before = mtimes(out)
    p, forks = processes_started(ctx, "build", "-j", "2", "-f", "md,html",
                                 tree, "-o", out)
    assert p.stderr == "0 built, 3 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    assert forks == 0 and mtimes(out) == before, forks
    os.utime(os.path.join(tree, "a.yaml"))
    p, forks = processes_started(ctx, "build", "-j", "2", "-f", "md,html",
                                 tree, "-o", out)
    assert "0 built, 3 up to date" in p.stderr and forks == 0, (forks, p.stderr)
    assert mtimes(out) == before
    write(os.path.join(tree, "c.yaml"), session("C bis", "2024-01-03",
                                                ["Un moteur"]))
    p, forks = processes_started(ctx, "build", "-j", "2", "-f", "md,html",
                                 tree, "-o", out)
    assert "1 built, 2 up to date" in p.stderr and forks >= 1, (forks, p.stderr)
    assert "[C bis]" in read(os.path.join(out, "index.md"))
    assert recurring(out) == {NFD: 2}  # in the newest session's words


def test_a_session_declared_past_the_first_block_is_found(ctx):
    """A folder build reads the first 4 KiB of a YAML file to find its
    `atelier:` line, and the rest of its first 64 KiB only when it is not
    there: a session whose line comes later, or straddles the block's end,
    is found as before."""
    body = session("S", "2024-01-01", ["Un moteur"]).replace("atelier: 1\n", "")
    sessions = {}
    for name, pad in (("late.yaml", 5000), ("straddle.yaml", 4096 - 4)):
        head = "#" * (pad - 1) + "\n"
        assert len(head) == pad
        sessions[name] = head + "atelier: 1\n" + body
    d, tree, out = folder(ctx, sessions)
    p = ctx.run("build", "-f", "md", tree, "-o", out)
    assert p.returncode == 0 and "2 built" in p.stderr, p.stderr
    assert sorted(os.listdir(out)) == [".atelier-lock", ".atelier-manifest",
                                       "index.html", "index.md", "late.md",
                                       "straddle.md"]


def test_a_noop_opens_no_session_it_knows_unchanged(ctx):
    """The search knows a session from the manifest when the file has the
    size and time its last build read it with: a no-op opens no session
    file. A touched file is read again (and found unchanged by content),
    an edited one read and rebuilt."""
    if ctx.valgrind:
        return  # strace around valgrind
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFD]),
        "sub/c.yaml": session("C", "2024-01-03", ["Un moteur"]),
    })
    aged(tree, ["a.yaml", "b.yaml", "sub/c.yaml"])
    args = ("build", "-j", "2", "-f", "md", tree, "-o", out)
    p, opened = sessions_opened(ctx, *args)
    assert p.returncode == 0 and opened == {"a.yaml", "b.yaml", "c.yaml"}, \
        (opened, p.stderr)
    p, opened = sessions_opened(ctx, *args)
    assert p.stderr == "0 built, 3 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    assert opened == set(), opened
    aged(tree, ["a.yaml"], 1_600_000_100)  # touched: same content
    p, opened = sessions_opened(ctx, *args)
    assert p.stderr == "0 built, 3 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    assert opened == {"a.yaml"}, opened
    write(os.path.join(tree, "b.yaml"), session("B bis", "2024-01-02", [NFD]))
    aged(tree, ["b.yaml"])  # another size, the same time
    p, opened = sessions_opened(ctx, *args)
    assert "1 built, 2 up to date" in p.stderr, p.stderr
    assert opened == {"a.yaml", "b.yaml"}, opened
    assert "[B bis]" in read(os.path.join(out, "index.md"))


NO_KEY = ("warning: this file looks like a session but has no top-level "
          "'atelier:' key, so it is not built: add the line 'atelier: 1' at "
          "its top")


def two_built_sessions(ctx):
    """Two sessions built once, their files aged: the folder, the tree,
    OUT, and the build's arguments."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFD]),
    })
    aged(tree, ["a.yaml", "b.yaml"])
    args = ("build", "--color=never", "-f", "md", tree, "-o", out)
    assert ctx.run(*args).returncode == 0
    return d, tree, out, args


def test_a_known_session_that_stops_being_one_is_dropped(ctx):
    """A session whose `atelier:` line is removed changes size: the search
    reads it again and drops it with the look-alike's warning, as it would
    any other. What keeps both its size and its time (restored on
    purpose) is not seen, as an edit of a session is not (make's and
    ninja's trust): --force reads every file again."""
    d, tree, out, args = two_built_sessions(ctx)
    a = os.path.join(tree, "a.yaml")
    text = read(a)
    write(a, text.replace("atelier: 1\n", ""))
    aged(tree, ["a.yaml"])
    p = ctx.run(*args)
    assert p.returncode == 0, p.stderr
    assert p.stderr == "%s:1:1: %s\n0 built, 1 up to date, 0 failed, " \
        "1 warning\n" % (a, NO_KEY), p.stderr
    write(a, text)  # a session again, its last reports standing
    aged(tree, ["a.yaml"], 1_600_000_100)
    p = ctx.run(*args)
    assert p.stderr == "0 built, 2 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    write(a, text.replace("atelier: 1\n", "#telier: 1\n"))
    aged(tree, ["a.yaml"])  # the same size, the same time
    p = ctx.run(*args)
    assert p.stderr == "0 built, 2 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    p = ctx.run(*(args + ("--force",)))
    assert p.stderr == "%s:1:1: %s\n1 built, 0 up to date, 0 failed, " \
        "1 warning\n" % (a, NO_KEY), p.stderr


def test_a_known_session_replaced_by_a_link_or_a_fifo_is_not_one(ctx):
    """The search's rules stand for a session the manifest knows: replaced
    by a symbolic link to the same bytes (its size and time those of the
    file), or by a FIFO, it is not a session; the build neither follows
    nor blocks on it."""
    d, tree, out, args = two_built_sessions(ctx)
    a = os.path.join(tree, "a.yaml")
    elsewhere = os.path.join(d, "a.yaml")
    os.rename(a, elsewhere)
    os.symlink(elsewhere, a)
    p = ctx.run(*args)
    assert p.stderr == "0 built, 1 up to date, 0 failed, 0 warnings\n", \
        p.stderr
    os.unlink(a)
    os.mkfifo(a)
    p = ctx.run(*args, timeout=30)
    assert p.stderr == "0 built, 1 up to date, 0 failed, 0 warnings\n", \
        p.stderr


def test_a_sessions_rows_reach_the_disk_with_its_reports(ctx):
    """The rows a session keeps for the merged workbook are one of its
    outputs: written, forced to disk by the one syncfs of its reports (no
    fsync of their own, Linux) and renamed with them, after it."""
    d, tree, out = folder(ctx, {
        "a.yaml": session("A", "2024-01-01", [NFC]),
        "b.yaml": session("B", "2024-01-02", [NFD]),
    })
    p, lines = traced(ctx, "fsync,fdatasync,syncfs,rename", "build", "-j",
                      "1", tree, "-o", out)
    assert p.returncode == 0 and "2 built" in p.stderr, p.stderr
    by_pid = {}
    for line in lines:
        pid, _, call = line.partition(" ")
        by_pid.setdefault(pid, []).append(call.strip())
    workers = [calls for calls in by_pid.values()
               if any(c.startswith("syncfs(") for c in calls)]
    assert len(workers) == 1, lines  # -j 1: one worker, two sessions
    calls = [c for c in workers[0] if not c.startswith("---")]
    # Each session: one syncfs, then its four reports and its rows renamed.
    shape = ["syncfs"] + ["rename"] * 5
    assert [c.split("(")[0] for c in calls] == shape * 2, calls
    for k, name in enumerate(("a", "b")):
        assert "/.%s.atelier-rows.tmp-" % name in calls[6 * k + 5], calls
