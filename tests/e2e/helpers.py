"""helpers.py: small shared pieces for the end-to-end tests."""
import os
import shutil


def skip_valgrind(fn):
    """Marks a test too slow, or meaningless, under valgrind."""
    fn.skip_valgrind = True
    return fn


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def manifest_edited(text):
    """A build manifest edited by hand, its last line (where its E lines
    start, src/tree/manifest.c) set right again, as one crafted on purpose
    would have it: only the edit is what the build sees."""
    body = text[:text.rindex("Z\t")]
    start = body.index("\nE\t") + 1
    return body + "Z\t%016x\n" % len(body[:start].encode("utf-8"))


EXAMPLE_DIR = "examples/moulins-2016"
# What the example is made of; anything else in its folder is a report that
# the README's quick start (or a user) built there, and no test may see it.
EXAMPLE_INPUTS = (".yaml", ".yml", ".svg", ".png", ".jpg", ".jpeg")


def copy_example_inputs(ctx, dst):
    """Copies the example's session and figures (nothing built from them)
    into dst, created if needed; returns the session's path there."""
    src = ctx.path(EXAMPLE_DIR)
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name.lower().endswith(EXAMPLE_INPUTS):
            shutil.copy(os.path.join(src, name), dst)
    return os.path.join(dst, "session.yaml")


# The grid of a real restitution (issue 13, finding 7): four sections, none
# of them a force. Sessions splice it in with "SECTIONS" in their text.
RESTITUTION_SECTIONS = """sections:
  - {id: retours, label: "3 retours principaux"}
  - {id: etonnement, label: "Rapport d'étonnement"}
  - {id: analyse, label: Analyse}
  - {id: propositions, label: Propositions}
"""


# ---- a repository of sessions (test_incremental.py, test_shard.py) ----

def small_session(title, items):
    """An English session of a question: items as its brainstorm, and a
    group with two drivers (one weighted) and a brake."""
    lines = ["atelier: 1", "lang: en", "title: %s" % title, "date: 2026-03-14",
             "questions: [{id: q1, title: What now?}]", "brainstorm:", "  q1:"]
    lines += ["    - %s" % it for it in items]
    lines += ["subgroups:", "  q1:", "    groups:", "      - name: G",
              "        drivers: [Will, {text: Money, weight: 2}]",
              "        brakes: [Time]"]
    return "\n".join(lines) + "\n"


def settle(tree):
    """Dates every file of the tree well before the builds: an input as
    recent as its build is recorded in the manifest without its time (to
    be compared by content next time), which would make the manifests of
    builds made a second apart differ."""
    for base, _, names in os.walk(tree):
        for n in names:
            os.utime(os.path.join(base, n), (1e9, 1e9))


def sessions_tree(ctx, folder_of):
    """root/tree with the example as 2016/moulins.yaml and a small session
    at each path folder_of(i) gives, for i = 0, 1... until it gives None;
    session i has 3 ideas. Returns (root, tree)."""
    root = ctx.tmpdir()
    tree = os.path.join(root, "tree")
    os.makedirs(os.path.join(tree, "2016"))
    src = ctx.path(EXAMPLE_DIR)
    shutil.copy(os.path.join(src, "session.yaml"),
                os.path.join(tree, "2016", "moulins.yaml"))
    shutil.copy(os.path.join(src, "agrilocal63.svg"), os.path.join(tree, "2016"))
    i = 0
    while folder_of(i) is not None:
        write(os.path.join(tree, folder_of(i)),
              small_session("Session %d" % i,
                            ["Idea %d.%d" % (i, k) for k in range(3)]))
        i += 1
    settle(tree)
    return root, tree


# ---- LibreOffice and PDFs (test_odt.py, test_docx.py, test_pdf.py) ----

def pdf_pages(pdf):
    """The page count pdfinfo reads."""
    import re
    import subprocess
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def libreoffice_pdf(ctx, *docs):
    """Each of docs converted to PDF by LibreOffice in one run, with a
    profile of its own (so that runs can go side by side); the PDFs'
    paths, in the order of docs. Exit 0 is required."""
    import subprocess
    if not shutil.which("soffice"):
        raise AssertionError("LibreOffice is missing: make deps installs "
                             "libreoffice-writer-nogui")
    out, profile = ctx.tmpdir(), ctx.tmpdir()
    p = subprocess.run(["soffice", "-env:UserInstallation=file://" + profile,
                        "--headless", "--convert-to", "pdf", "--outdir", out]
                       + list(docs), capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    pdfs = [os.path.join(out, os.path.splitext(os.path.basename(d))[0] + ".pdf")
            for d in docs]
    for pdf in pdfs:
        assert os.path.exists(pdf), p.stdout + p.stderr
    return pdfs
