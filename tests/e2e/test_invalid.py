"""test_invalid.py: the bad-input corpus (tests/invalid), the valid-but-tricky
files (tests/valid), and inputs too big to commit (generated here).

Each NAME.yaml has a NAME.expected written by hand (format: see
tests/invalid/README.md): the exit code, then every diagnostic that
`atelier check --color=never` must print, in order, and optionally the text
each caret must underline. The expectations are a specification, checked
by counting columns in the file, not a copy of the output: there is no
UPDATE_GOLDEN for them on purpose.
"""
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import time

from helpers import skip_valgrind, write

EXCERPT_SRC = re.compile(r"^ *(\d+) \| (.*)$")
EXCERPT_CARET = re.compile(r"^      \| (.*)$")
# The closing count after a file's diagnostics, in either language.
TALLY = re.compile(r"^(?:(\d+) (?:errors?|erreurs?))?(?:, )?"
                   r"(?:(\d+) (?:warnings?|avertissements?))?$")
SEVERITY = {"en": ("error", "warning"), "fr": ("erreur", "avertissement")}


def parse_expected(path):
    """-> (exit code, extra args, [(diagnostic, underlined text or None)])"""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    m = re.match(r"^exit: (\d)$", lines[0]) if lines else None
    assert m, "%s: the first line must be 'exit: N'" % path
    code, args, diags = int(m.group(1)), [], []
    for line in lines[1:]:
        if line.startswith("args: "):
            args = shlex.split(line[len("args: "):])
        elif line.startswith("#") or not line:
            continue
        elif line.startswith("  ^"):
            assert diags, "%s: a caret line before any diagnostic" % path
            diag, under = diags[-1]
            assert under is None, "%s: two caret lines for %s" % (path, diag)
            diags[-1] = (diag, line[len("  ^ "):] if len(line) > 3 else "")
        else:
            diags.append((line, None))
    return code, args, diags


def tally_of(name, stderr):
    """The closing count 'NAME: 9 errors, 1 warning' as (errors, warnings),
    or None when there is none."""
    prefix = name + ": "
    for line in stderr.split("\n"):
        m = TALLY.match(line[len(prefix):]) if line.startswith(prefix) else None
        if m and (m.group(1) or m.group(2)):
            return int(m.group(1) or 0), int(m.group(2) or 0)
    return None


def parse_stderr(name, stderr):
    """-> [(diagnostic without 'NAME:', caret column, underlined text)]
    The caret column and text are None when there is no excerpt; the
    closing count is not a diagnostic (see tally_of)."""
    out = []
    lines = stderr.split("\n")
    prefix = name + ":"
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.startswith(prefix):
            continue
        diag = line[len(prefix):].lstrip(" ")
        if TALLY.match(diag) and diag:
            continue
        col = under = None
        if i + 1 < len(lines):
            src, caret = EXCERPT_SRC.match(lines[i]), EXCERPT_CARET.match(lines[i + 1])
            if src and caret:
                col, under = caret_of(src.group(2), caret.group(1))
                i += 2
        out.append((diag, col, under))
    return out


def caret_of(source, caret):
    """The 1-based column of the caret and the source text it underlines.
    The corpus uses characters one cell wide (and tabs, copied as tabs),
    so the caret line lines up with the source character by character;
    a window ('...') on a very long line is taken into account."""
    if source.startswith("..."):
        return None, None
    at = caret.index("^")
    width = len(caret) - at
    return at + 1, source[at:at + width]


def check_file(ctx, folder, name, lang=None):
    """Checks NAME.yaml against NAME.expected, or with lang against
    NAME.expected.LANG in that language of messages."""
    d = ctx.path("tests", folder)
    suffix = ".expected" + ("." + lang if lang else "")
    code, args, want = parse_expected(os.path.join(d, name + suffix))
    if lang:
        args = ["--messages=" + lang] + args
    p = ctx.run("check", "--color=never", *args, name + ".yaml", cwd=d)
    got = parse_stderr(name + ".yaml", p.stderr)
    error, warning = SEVERITY[lang or "en"]
    errors = sum(1 for w, _ in want
                 if re.match(r"^(\d+:\d+: )?%s: " % error, w))
    warnings = sum(1 for w, _ in want
                   if re.match(r"^(\d+:\d+: )?%s: " % warning, w))
    counted = tally_of(name + ".yaml", p.stderr)
    if code != 2 and (errors or warnings):
        assert counted == (errors, warnings), \
            "tests/%s/%s.yaml: closing count %r, expected %r\n%s" % (
                folder, name, counted, (errors, warnings), p.stderr)
    where = "tests/%s/%s.yaml" % (folder, name)
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, \
        "%s: %s" % (where, p.stderr)
    assert [g[0] for g in got] == [w[0] for w in want], \
        "%s: diagnostics differ\n--- expected\n%s\n--- got\n%s\n--- stderr\n%s" % (
            where, "\n".join(w[0] for w in want),
            "\n".join(g[0] for g in got), p.stderr)
    for (diag, col, under), (_, want_under) in zip(got, want):
        m = re.match(r"^(\d+):(\d+): ", diag)
        if m and col is not None:
            assert col == int(m.group(2)), \
                "%s: caret at column %d for %s" % (where, col, diag)
        if want_under is not None:
            assert under == want_under, "%s: underlined %r, expected %r for %s" % (
                where, under, want_under, diag)
    assert p.returncode == code, "%s: exit %d, expected %d\n%s" % (
        where, p.returncode, code, p.stderr)
    return p


def corpus(folder):
    d = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     folder)
    return sorted(f[:-len(".yaml")] for f in os.listdir(d) if f.endswith(".yaml"))


def check_corpus(ctx, folder):
    names = corpus(folder)
    failures = []
    for name in names:
        try:
            check_file(ctx, folder, name)
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "%d of %d files failed:\n\n%s" % (
        len(failures), len(names), "\n\n".join(failures))


def test_invalid_corpus(ctx):
    check_corpus(ctx, "invalid")


def french_corpus():
    d = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "invalid")
    return sorted(f[:-len(".expected.fr")] for f in os.listdir(d)
                  if f.endswith(".expected.fr"))


def test_invalid_corpus_in_french(ctx):
    """The same files, messages in French (--messages=fr): same positions,
    same carets, same exit codes, the text and the closing count in
    French."""
    failures = []
    for name in french_corpus():
        try:
            check_file(ctx, "invalid", name, lang="fr")
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n\n".join(failures)


def test_french_expectations_match_the_english_ones(ctx):
    """NAME.expected.fr is NAME.expected translated: the same exit code,
    arguments, positions, severities and carets."""
    for name in french_corpus():
        d = ctx.path("tests", "invalid")
        en = parse_expected(os.path.join(d, name + ".expected"))
        fr = parse_expected(os.path.join(d, name + ".expected.fr"))
        assert en[:2] == fr[:2], name
        assert len(en[2]) == len(fr[2]), name
        for (e, eu), (f, fu) in zip(en[2], fr[2]):
            pe = re.match(r"^(\d+:\d+: )?(error|warning): ", e)
            pf = re.match(r"^(\d+:\d+: )?(erreur|avertissement): ", f)
            assert pe and pf and pe.group(1) == pf.group(1), (name, e, f)
            assert SEVERITY["en"].index(pe.group(2)) == \
                SEVERITY["fr"].index(pf.group(2)), (name, e, f)
            assert eu == fu and e != f, (name, e, f)


def test_machine_forms_do_not_change_with_the_language(ctx):
    """JSON and GitHub diagnostics: every field but the message is the
    same in French and in English, and the message is translated."""
    d = ctx.path("tests", "invalid")
    for name in french_corpus():
        out = {}
        for lang in ("en", "fr"):
            p = ctx.run("check", "--diagnostics=json", "--messages=" + lang,
                        name + ".yaml", cwd=d)
            out[lang] = [json.loads(l) for l in p.stdout.splitlines()]
            assert p.stderr == "", p.stderr
        assert len(out["en"]) == len(out["fr"]) > 0, name
        for e, f in zip(out["en"], out["fr"]):
            assert e["message"] != f["message"], (name, e)
            e.pop("message"), f.pop("message")
            assert e == f, (name, e, f)
        gh = {}
        for lang in ("en", "fr"):
            p = ctx.run("check", "--diagnostics=github", "--messages=" + lang,
                        name + ".yaml", cwd=d)
            gh[lang] = [l.split("::")[1] for l in p.stdout.splitlines()]
        assert gh["en"] == gh["fr"] and gh["en"], (name, gh)


def test_language_follows_the_locale(ctx):
    """As GNU programs: LC_ALL, then LC_MESSAGES, then LANG; LANGUAGE
    when the locale is not C; --messages overrides them all. The
    locale's other categories change nothing else."""
    d = ctx.path("tests", "invalid")
    fr = "9:9: erreur: syntaxe YAML : l'apostrophe de L'outil"
    en = "9:9: error: YAML syntax: the apostrophe of L'outil"
    cases = [({"LC_ALL": None, "LANG": "fr_FR.UTF-8"}, fr),
             ({"LC_ALL": None, "LC_MESSAGES": "fr_FR.UTF-8", "LANG": "C"}, fr),
             ({"LC_ALL": "fr_FR.UTF-8", "LANG": "C"}, fr),
             ({"LC_ALL": "C.UTF-8", "LANGUAGE": "fr"}, fr),
             ({"LC_ALL": None, "LANG": "C"}, en),
             ({"LC_ALL": "C", "LANGUAGE": "fr"}, en),
             ({"LC_ALL": None, "LANG": "de_DE.UTF-8"}, en),
             ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, en)]
    for env, want in cases:
        p = ctx.run("check", "syntax-apostrophe.yaml", cwd=d, env=env)
        assert "syntax-apostrophe.yaml:" + want in p.stderr, (env, p.stderr)
    p = ctx.run("check", "--messages=en", "syntax-apostrophe.yaml", cwd=d,
                env={"LC_ALL": "fr_FR.UTF-8"})
    assert en in p.stderr and p.stderr.endswith(": 1 error\n"), p.stderr
    p = ctx.run("check", "--messages", "fr", "syntax-apostrophe.yaml", cwd=d)
    assert fr in p.stderr and p.stderr.endswith(": 1 erreur\n"), p.stderr
    p = ctx.run("check", "--messages=de", "syntax-apostrophe.yaml", cwd=d)
    assert p.returncode == 2 and p.stderr == (
        "atelier: --messages takes fr or en, not 'de'\n"
        "(see 'atelier --help')\n"), p.stderr
    # The usage errors too, whatever comes first on the line.
    p = ctx.run("check", "--color=blue", "--messages=fr", "x.yaml")
    assert p.returncode == 2 and p.stderr.startswith(
        "atelier: --color prend auto, always ou never, pas « blue »\n"), p.stderr


def test_template_with_a_typo_in_both_languages(ctx):
    """The issue's check: LANG=fr_FR.UTF-8 prints French, LANG=C English."""
    d = ctx.tmpdir()
    p = ctx.run("init", "-", cwd=d)
    text = p.stdout.replace("\ntitle:", "\ntitel:", 1)
    write(os.path.join(d, "s.yaml"), text)
    line = text[:text.index("titel:")].count("\n") + 1
    p = ctx.run("check", "s.yaml", cwd=d, env={"LC_ALL": None, "LANG": "fr_FR.UTF-8"})
    assert ("s.yaml:%d:1: erreur: clé inconnue « titel » dans la session "
            "(vouliez-vous dire « title » ?)\n" % line) in p.stderr, p.stderr
    assert p.stderr.endswith("s.yaml: 2 erreurs\n"), p.stderr
    p = ctx.run("check", "s.yaml", cwd=d, env={"LC_ALL": None, "LANG": "C"})
    assert ("s.yaml:%d:1: error: unknown key 'titel' in the session "
            "(did you mean 'title'?)\n" % line) in p.stderr, p.stderr
    assert p.stderr.endswith("s.yaml: 2 errors\n"), p.stderr


def test_closing_count(ctx):
    """After each file's diagnostics, the count, in the number it needs:
    for check (per file) and for a single-file build; not in JSON."""
    d = ctx.tmpdir()
    head = "atelier: 1\ntitle: T\ndate: 2016-06-30\nquestions: [{id: q1, title: Q}]\n"
    write(os.path.join(d, "one.yaml"), head + "titel: x\n")
    write(os.path.join(d, "warn.yaml"), head)  # q1 has no contribution
    write(os.path.join(d, "many.yaml"), head + "a: 1\nb: 2\n")
    p = ctx.run("check", "one.yaml", "warn.yaml", "many.yaml", cwd=d)
    counts = [l for l in p.stderr.splitlines()
              if re.match(r"^\S+\.yaml: \d+ (errors?|warnings?)", l)]
    assert counts == ["one.yaml: 1 error", "warn.yaml: 1 warning",
                      "many.yaml: 2 errors"], p.stderr
    p = ctx.run("check", "--messages=fr", "warn.yaml", "many.yaml", cwd=d)
    assert "warn.yaml: 1 avertissement\n" in p.stderr, p.stderr
    assert p.stderr.endswith("many.yaml: 2 erreurs\n"), p.stderr
    p = ctx.run("build", "-f", "md", "warn.yaml", cwd=d)
    assert p.returncode == 0 and p.stderr.endswith("warn.yaml: 1 warning\n"), p.stderr
    p = ctx.run("check", "--diagnostics=json", "many.yaml", cwd=d)
    assert p.stderr == "", p.stderr
    p = ctx.run("check", "--werror", "warn.yaml", cwd=d)
    assert p.stderr.endswith("warn.yaml: 1 error\n"), p.stderr


def test_outputs_do_not_depend_on_the_locale(ctx):
    """Reports are the same bytes whatever the locale and the language of
    messages: only LC_MESSAGES is taken from the environment."""
    src = ctx.path("examples", "moulins-2016")
    outs = []
    for env in ({"LC_ALL": "C"}, {"LC_ALL": "fr_FR.UTF-8"},
                {"LC_ALL": None, "LANG": "fr_FR.UTF-8", "LC_NUMERIC": "fr_FR.UTF-8"}):
        d = ctx.tmpdir()
        for name in os.listdir(src):
            shutil.copy(os.path.join(src, name), d)
        # A decimal number: printf's would change with LC_NUMERIC.
        write(os.path.join(d, "w.yaml"), "atelier: 1\ntitle: T\ndate: 2016-06-30\n"
              "questions: [{id: q1, title: Q}]\nbrainstorm:\n  q1:\n"
              "    - {text: Vélo, weight: 1.5}\n")
        env = dict(env, SOURCE_DATE_EPOCH="1467244800")
        for f in ("session.yaml", "w.yaml"):
            p = ctx.run("build", "-f", "md,html,json,csv,xlsx", f, cwd=d, env=env)
            assert p.returncode == 0, p.stderr
        files = {}
        for f in sorted(os.listdir(d)):
            with open(os.path.join(d, f), "rb") as fh:
                files[f] = fh.read()
        outs.append(files)
    assert b'"weight": 1.5' in outs[0]["w.json"], outs[0]["w.json"][-300:]
    assert outs[0] == outs[1] == outs[2]


def test_valid_corpus(ctx):
    check_corpus(ctx, "valid")


def test_corpus_is_complete(ctx):
    """Every input has its expectation, and the corpus keeps its size."""
    for folder in ("invalid", "valid"):
        d = ctx.path("tests", folder)
        yamls = {f[:-5] for f in os.listdir(d) if f.endswith(".yaml")}
        expected = {f[:-9] for f in os.listdir(d) if f.endswith(".expected")}
        assert yamls == expected, "%s: unpaired %s" % (folder, yamls ^ expected)
    assert len(corpus("invalid")) >= 45
    # Each French expectation has its file; the rows of issue 16 have one.
    assert set(french_corpus()) <= set(corpus("invalid"))
    assert len(french_corpus()) >= 13


def test_invalid_files_report_and_valid_ones_do_not(ctx):
    """The folders mean what they say: every invalid file has diagnostics
    (warnings-* files only warnings, and exit 0), every valid one none."""
    for name in corpus("invalid"):
        code, _, diags = parse_expected(ctx.path("tests", "invalid", name + ".expected"))
        assert diags, name
        errors = any(": error: " in d or d.startswith("error: ") for d, _ in diags)
        assert code in (1, 2) if errors else code == 0, name
        assert errors or name.startswith("warnings-"), name
    for name in corpus("valid"):
        code, _, diags = parse_expected(ctx.path("tests", "valid", name + ".expected"))
        assert code == 0 and not diags, name


def test_clean_file_prints_nothing(ctx):
    p = ctx.run("check", ctx.path("tests", "valid", "minimal.yaml"))
    assert p.returncode == 0 and p.stdout == "" and p.stderr == "", p.stderr


def test_caret_underlines_the_key(ctx):
    """The excerpt of the brief: line, gutter, caret under the whole key."""
    p = ctx.run("check", "--color=never", "unknown-keys.yaml",
                cwd=ctx.path("tests", "invalid"))
    lines = p.stderr.split("\n")
    i = next(i for i, l in enumerate(lines) if "'brakess'" in l)
    assert lines[i + 1] == "   35 |         brakess:", lines[i + 1]
    assert lines[i + 2] == "      |         ^~~~~~~", lines[i + 2]


def test_caret_with_bom_and_tabs(ctx):
    """A BOM is not a column; a tab in the caret line stays a tab."""
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), "\ufeffatelier: 1\ntitel: x\n")
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    assert "s.yaml:2:1: error: unknown key 'titel' in the session (did you mean 'title'?)" \
        in p.stderr, p.stderr
    assert "    2 | titel: x\n      | ^~~~~\n" in p.stderr, p.stderr
    write(os.path.join(d, "t.yaml"), "atelier: 1\nplace: \"a\tb\"\tc\n")
    p = ctx.run("check", "--color=never", "t.yaml", cwd=d)
    assert "t.yaml:2:14: error: YAML syntax:" in p.stderr, p.stderr
    assert "    2 | place: \"a\tb\"\tc\n      |          \t  \t^\n" in p.stderr, p.stderr


def test_no_colour_unless_asked(ctx):
    d = ctx.path("tests", "invalid")
    p = ctx.run("check", "unknown-keys.yaml", cwd=d)   # not a terminal
    assert "\033[" not in p.stderr
    p = ctx.run("check", "--color=always", "unknown-keys.yaml", cwd=d)
    assert "\033[1;31merror:" in p.stderr


def test_escapes_in_keys_do_not_reach_the_terminal(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "s.yaml"), 'atelier: 1\n"\\e[2Jx\\u0085": 1\n')
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    assert "\033" not in p.stderr and "\u0085" not in p.stderr, repr(p.stderr)
    assert "unknown key '\\x1B[2Jx\\u0085'" in p.stderr, p.stderr


@skip_valgrind
def test_deep_nesting_is_an_error_not_a_crash(ctx):
    d = ctx.tmpdir()
    write(os.path.join(d, "deep.yaml"), "[" * 100000 + "\n")
    p = ctx.run("check", "--color=never", "deep.yaml", cwd=d)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith("deep.yaml:1:257: error: nesting deeper than 256 levels\n"), \
        p.stderr[:300]
    # The excerpt of a 100,000-character line is a window, not the line.
    assert len(p.stderr) < 1000, len(p.stderr)
    # Block style: line k opens level k, its '-' after 2(k-1) spaces.
    write(os.path.join(d, "deep2.yaml"), "a:\n" + "".join(
        "  " * i + "- \n" for i in range(1, 300)))
    p = ctx.run("check", "--color=never", "deep2.yaml", cwd=d)
    assert "deep2.yaml:257:513: error: nesting deeper than 256 levels" in p.stderr, \
        p.stderr[:300]


def run_limited(ctx, args, cwd, memory):
    """Runs the plain binary with an address-space limit (sanitizers and
    valgrind reserve terabytes of it: the limit is for the plain build)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([ctx.atelier] + args, cwd=cwd, capture_output=True,
                          text=True, timeout=60, preexec_fn=limit)


@skip_valgrind
def test_alias_bomb_is_quick_and_small(ctx):
    d = ctx.path("tests", "invalid")
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "billion-laughs.yaml", cwd=d)
    elapsed = time.monotonic() - start
    assert p.returncode == 1 and "expands to more than" in p.stderr, p.stderr
    assert elapsed < 5, elapsed
    if "asan" not in os.path.basename(ctx.atelier) and not ctx.valgrind:
        p = run_limited(ctx, ["check", "billion-laughs.yaml"], d, 256 << 20)
        assert p.returncode == 1 and "expands to more than" in p.stderr, p.stderr


@skip_valgrind
def test_long_text_and_many_items(ctx):
    d = ctx.tmpdir()
    head = "atelier: 1\ntitle: T\ndate: 2016-06-30\nquestions: [{id: q1, title: Q}]\n"
    write(os.path.join(d, "long.yaml"), head + "brainstorm:\n  q1:\n    - " +
          "x" * (1 << 20) + "x\n")
    p = ctx.run("check", "--color=never", "long.yaml", cwd=d)
    assert p.returncode == 1
    assert "long.yaml:7:7: error: text of 1048577 bytes is longer than the " \
           "limit of 1048576 bytes" in p.stderr, p.stderr[:300]
    # 1,200,001 items from a 10 kB file, through aliases.
    x = "[" + ", ".join(["x"] * 1000) + "]"
    b = "[" + ", ".join(["{text: y, items: *a}"] * 40) + "]"
    items = ["    - {text: a, items: &a %s}" % x, "    - {text: b, items: &b %s}" % b]
    items += ["    - {text: c, items: *b}"] * 30
    write(os.path.join(d, "many.yaml"), head + "brainstorm:\n  q1:\n" + "\n".join(items) + "\n")
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "many.yaml", cwd=d)
    assert p.returncode == 1
    assert "error: more than 1000000 contributions in one session" in p.stderr, p.stderr[:300]
    assert time.monotonic() - start < 20


def test_io_errors_exit_2(ctx):
    d = ctx.tmpdir()
    p = ctx.run("check", "--color=never", "missing.yaml", cwd=d)
    assert p.returncode == 2
    assert p.stderr == "missing.yaml: error: cannot open: No such file or directory\n", p.stderr
    p = ctx.run("check", "--color=never", d)
    assert p.returncode == 2 and "is a directory" in p.stderr


def test_worst_exit_code_over_several_files(ctx):
    inv, val = ctx.path("tests", "invalid"), ctx.path("tests", "valid")
    p = ctx.run("check", "--color=never", os.path.join(val, "minimal.yaml"),
                os.path.join(inv, "unknown-keys.yaml"))
    assert p.returncode == 1
    p = ctx.run("check", "--color=never", os.path.join(inv, "unknown-keys.yaml"),
                os.path.join(inv, "missing-file-here.yaml"))
    assert p.returncode == 2


def mutations(text):
    """Damaged copies of a valid file: every prefix cut at a line, each
    line dropped, each line indented by one more space."""
    lines = text.split("\n")
    for i in range(len(lines)):
        yield "\n".join(lines[:i])
        yield "\n".join(lines[:i] + lines[i + 1:])
        yield "\n".join(lines[:i] + [" " + lines[i]] + lines[i + 1:])
    for cut in range(0, len(text), max(1, len(text) // 200)):
        yield text[:cut]


@skip_valgrind
def test_check_never_crashes(ctx):
    """Under the sanitizer binary, this is what catches undefined
    behaviour: a few hundred damaged inputs, each must end in 0, 1 or 2."""
    d = ctx.tmpdir()
    seeds = [ctx.path("tests", "valid", n + ".yaml") for n in corpus("valid")]
    seeds += [ctx.path("tests", "invalid", n + ".yaml")
              for n in ("multi-error", "unknown-refs", "warnings-rotation")]
    n = 0
    for seed in seeds:
        with open(seed, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
        for m in mutations(text):
            path = os.path.join(d, "m%d.yaml" % n)
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(m)
            n += 1
    files = sorted(os.listdir(d))
    for i in range(0, len(files), 200):
        batch = files[i:i + 200]
        p = ctx.run("check", "--color=never", *batch, cwd=d, timeout=600)
        assert p.returncode in (0, 1, 2), p.returncode
        assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, \
            p.stderr[-3000:]


def test_image_looked_for_beside_the_session(ctx):
    """A figure's path is relative to the session file, wherever atelier
    is started from; the message says where it looked."""
    p = ctx.run("check", "--color=never", "tests/invalid/missing-image.yaml")
    assert "tests/invalid/missing-image.yaml:7:12: error: image file " \
           "'photos/salle.jpg' not found (looked for " \
           "tests/invalid/photos/salle.jpg)\n" in p.stderr, p.stderr
    assert "salle.svg" not in p.stderr, p.stderr


@skip_valgrind  # about the docs and the corpus, not memory
def test_every_diagnostic_code_is_documented(ctx):
    """docs/format.md's Validation section lists every code raised
    anywhere in src/ (the front half, the emitters, the folder build), and
    the corpus exercises every one that a file given to check can cause."""
    codes, calls = set(), 0
    sources = sorted(os.path.join(d, n)
                     for d, _, names in os.walk(ctx.path("src"))
                     for n in names if n.endswith(".c"))
    assert len(sources) > 40, sources
    for path in sources:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        codes |= set(re.findall(
            r'(?:at_diag_add\([^,]+,\s*AT_(?:ERROR|WARNING|NOTE),|'
            r'\berr\(B,|\bfail\(L,|\bREFUSE\()\s*"([a-z0-9-]+)"', text))
        # Every call is seen: none takes its code from a variable.
        calls += len(re.findall(r"\bat_diag_add\(", text)) - \
            (name == "diag.c")
        calls -= len(re.findall(
            r'at_diag_add\([^,]+,\s*AT_(?:ERROR|WARNING|NOTE),\s*"', text))
        calls -= len(re.findall(r'at_diag_add\([^,]+,\s*AT_ERROR,\s*code,', text))
        # figread.c's REFUSE("code", ...) macro: its codes are read above.
        calls -= len(re.findall(r'#define REFUSE\(code,', text))
    assert calls == 0, "%d at_diag_add calls whose code this test cannot read" % calls
    assert len(codes) > 45 and {"manifest", "cell-too-long"} <= codes, codes
    with open(ctx.path("docs", "format.md"), encoding="utf-8") as f:
        doc = f.read()
    section = doc[doc.index("## Validation"):doc.index("## JSON export")]
    missing = sorted(c for c in codes if "`%s`" % c not in section)
    assert not missing, "not documented: %s" % missing
    # Which codes the corpus shows is not in the .expected files (they hold
    # messages): run it in JSON form.
    seen = set()
    for name in corpus("invalid"):
        _, args, _ = parse_expected(ctx.path("tests", "invalid", name + ".expected"))
        p = ctx.run("check", "--diagnostics=json", *args, name + ".yaml",
                    cwd=ctx.path("tests", "invalid"))
        seen |= set(re.findall(r'"code":\s*"([a-z0-9-]+)"', p.stdout))
    # Not in the corpus: out of memory; I/O and inputs too big to commit
    # (test_io_errors_exit_2, test_long_text_and_many_items).
    unreachable = {"nomem", "io", "text-too-long", "too-many-items",
                   # atelier build's (test_xlsx, test_tree, test_html)
                   "cell-too-long", "xlsx", "manifest", "figures-too-large",
                   # test_security, test_ci, test_links
                   "cpu-budget", "crash", "output-too-large",
                   "no-atelier-key", "svg-not-copied",
                   # test_figures (atelier build decodes figures)
                   "figure", "figure-corrupt", "figure-pixels",
                   # test_modules (a binary without its modules)
                   "module"}
    assert not (codes - seen - unreachable), sorted(codes - seen - unreachable)


@skip_valgrind
def test_many_unknown_references_stay_quick(ctx):
    """Each reference is a binary search, and "did you mean" is only
    computed for the problems that are shown: 20,000 unknown references
    among 2,000 participants took minutes when every one was compared with
    every participant."""
    d = ctx.tmpdir()
    parts = "".join("  - {id: participant%05d, name: P}\n" % i for i in range(2000))
    items = "".join("    - {text: idea %d, by: [someone%05d]}\n" % (i, i)
                    for i in range(20000))
    write(os.path.join(d, "s.yaml"), "atelier: 1\ntitle: T\ndate: 2016-06-30\n"
          "participants:\n" + parts + "questions: [{id: q1, title: Q}]\n"
          "brainstorm:\n  q1:\n" + items)
    start = time.monotonic()
    p = ctx.run("check", "--color=never", "s.yaml", cwd=d)
    assert p.returncode == 1
    assert p.stderr.endswith("s.yaml: 19000 more diagnostics not shown\n"
                             "s.yaml: 20000 errors\n"), p.stderr[-200:]
    assert time.monotonic() - start < 20
