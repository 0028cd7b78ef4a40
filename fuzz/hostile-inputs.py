#!/usr/bin/python3
"""hostile-inputs.py: the worst inputs for memory that the limits allow,
for docs/performance.md ("Memory on hostile inputs"): each is as large or
as expanded as the defaults let through, and valid where it can be, so
that `build` runs every emitter on it.

  /usr/bin/python3 fuzz/hostile-inputs.py DIR

writes into DIR:
  deep.yaml         6,000 blocks of items nested to the depth limit (256)
  many.yaml         1,000,000 one-word contributions (the item limit)
  scalar.yaml       one 60 MB text (needs --max-text=64M)
  scalar-1m.yaml    60 texts of 1 MiB (the text limit)
  fan-items.yaml    998,998 contributions from 1,000 through aliases
  fan-tags.yaml     3.9 M values (under the node budget of 4 M) through
                    aliases of one list of 3,000 tags
Then fuzz/measure-memory.sh DIR measures each (check and build).
"""
import os
import sys

HEAD = ("atelier: 1\ntitle: T\ndate: 2016-06-30\n"
        "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n")
MB = 1 << 20


def deep(f, blocks):
    # The session (1), brainstorm (2), q1's list (3), then an item (map)
    # and its items (list) per level: 126 levels end at depth 255 + [x].
    # 6,000 such blocks hold 762,000 contributions and 3.8 M values, under
    # the item and node limits.
    levels = 126
    block = ("    - " + "".join("{text: n%d, items: [" % i for i in range(levels))
             + "x" + "]}" * levels + "\n")
    for _ in range(blocks):
        f.write(block)


def many(f, n):
    for _ in range(n):
        f.write("    - x\n")


def scalar(f, size, count):
    for _ in range(count):
        f.write("    - " + "y" * size + "\n")


def fan_items(f):
    f.write("    - {text: a, items: &a [%s]}\n" % ", ".join(["x"] * 1000))
    for _ in range(997):
        f.write("    - {text: c, items: *a}\n")


def fan_tags(f):
    f.write("    - {text: a, tags: &t [%s]}\n"
            % ", ".join("t%d" % i for i in range(3000)))
    for _ in range(1300):
        f.write("    - {text: c, tags: *t}\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    jobs = {
        "deep.yaml": lambda f: deep(f, 6000),
        "many.yaml": lambda f: many(f, 1000000),
        "scalar.yaml": lambda f: scalar(f, 60 * MB, 1),
        "scalar-1m.yaml": lambda f: scalar(f, MB, 60),
        "fan-items.yaml": fan_items,
        "fan-tags.yaml": fan_tags,
    }
    for name, gen in jobs.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(HEAD)
            gen(f)
        print("%-16s %12d bytes" % (name, os.path.getsize(os.path.join(out, name))))


if __name__ == "__main__":
    main()
