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


def test_docs_ci_commands_run_as_written(ctx):
    cmds = doc_commands(ctx)
    assert "-o public/" in cmds[0] and "--diagnostics=github" in cmds[0]
    bindir = ctx.tmpdir()
    os.symlink(ctx.atelier, os.path.join(bindir, "atelier"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
               NO_COLOR="1")
    for cmd in cmds:
        root, _, _ = small_tree(ctx, 2)
        p = subprocess.run(["/bin/sh", "-ec", cmd], cwd=root, env=env,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, (cmd, p.stderr)
        assert os.path.isfile(os.path.join(root, "public", "index.html"))
        assert os.path.isfile(os.path.join(root, "public", "s1.html"))


def test_man_page_example_runs(ctx):
    with open(os.path.join(ctx.root, "man", "atelier.1"), encoding="utf-8") as f:
        man = f.read()
    example = man.split(".SH EXAMPLE\n.nf\n")[1].split(".fi")[0]
    bindir = ctx.tmpdir()
    os.symlink(ctx.atelier, os.path.join(bindir, "atelier"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    cwd = ctx.tmpdir()
    script = example.replace("\\-", "-")
    p = subprocess.run(["/bin/sh", "-ec", script], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, (script, p.stderr)
    assert os.path.isfile(os.path.join(cwd, "reports", "session.html"))
    assert os.path.isfile(os.path.join(cwd, "public", "index.html"))
