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
