"""test_layout.py: the source tree as the README's Layout section describes
it (a folder a stage, every file named in its folder's row), and the rules
the tree keeps: no file over 1,000 lines, each opening with what it is for,
no two files of one name (objects are named after the file alone)."""
import os
import re

from helpers import skip_valgrind


def sources(ctx):
    root = ctx.path("src")
    for d in sorted(os.listdir(root)):
        if os.path.isdir(os.path.join(root, d)):
            for n in sorted(os.listdir(os.path.join(root, d))):
                yield d, n, os.path.join(root, d, n)


def layout_rows(ctx):
    with open(ctx.path("README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `src/([a-z]+)/` \| (.*) \|$", section, re.M))


@skip_valgrind  # about the tree, not memory
def test_readme_layout_names_every_folder_and_file(ctx):
    rows = layout_rows(ctx)
    folders = sorted(d for d in os.listdir(ctx.path("src"))
                     if os.path.isdir(ctx.path("src", d)))
    assert sorted(rows) == folders
    assert not [n for n in os.listdir(ctx.path("src"))
                if os.path.isfile(ctx.path("src", n))], "files outside a folder"
    missing = [f"{d}/{n}" for d, n, _ in sources(ctx)
               if n.endswith((".c", ".def", ".yaml")) and f"`{n}`" not in rows[d]]
    assert not missing, missing


@skip_valgrind
def test_source_files_stay_small_and_say_what_they_are(ctx):
    names = {}
    for d, n, path in sources(ctx):
        names.setdefault(n, []).append(d)
        if not n.endswith((".c", ".h")):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert text.count("\n") <= 1000, f"{d}/{n}: {text.count(chr(10))} lines"
        assert text.startswith(f"/* {n}: "), f"{d}/{n} does not open with what it is for"
    assert not {n: v for n, v in names.items() if len(v) > 1}
