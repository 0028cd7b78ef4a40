"""test_i18n.py: the catalogues of messages (po/), their check, and where
an installed atelier finds them. The messages themselves are tested in
test_invalid.py (the corpus in both languages)."""
import os
import re
import shutil
import subprocess

from helpers import skip_valgrind


def po_check(ctx, pot, po):
    return subprocess.run(["sh", ctx.path("tests", "tools", "po-check.sh"),
                           pot, po], capture_output=True, text=True)


@skip_valgrind  # about the catalogue, not the binary
def test_catalogue_check_names_what_lacks_a_translation(ctx):
    """po-check passes on po/fr.po, and fails on a copy with a message
    untranslated and another fuzzy, naming both."""
    pot, po = ctx.path("po", "atelier.pot"), ctx.path("po", "fr.po")
    p = po_check(ctx, pot, po)
    assert p.returncode == 0, p.stdout + p.stderr
    with open(po, encoding="utf-8") as f:
        text = f.read()
    gone = 'msgid "empty key in %s"\nmsgstr "clé vide dans %s"'
    fuzzy = '\nmsgid "merge keys'
    assert gone in text and fuzzy in text
    text = text.replace(gone, 'msgid "empty key in %s"\nmsgstr ""')
    text = text.replace(fuzzy, '\n#, fuzzy\nmsgid "merge keys')
    bad = os.path.join(ctx.tmpdir(), "fr.po")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(text)
    p = po_check(ctx, pot, bad)
    assert p.returncode == 1, p.stdout
    assert "1 message(s) untranslated" in p.stdout, p.stdout
    assert '  msgid "empty key in %s"\n' in p.stdout, p.stdout
    assert "1 message(s) fuzzy" in p.stdout, p.stdout
    assert "  msgid \"merge keys ('<<') are not supported" in p.stdout, p.stdout
    # A translation whose conversions differ does not compile.
    text = text.replace('msgstr "clé « %s » en double (d\'abord à la ligne %u, colonne %u)"',
                        'msgstr "clé « %s » en double (ligne %s)"')
    with open(bad, "w", encoding="utf-8") as f:
        f.write(text)
    p = po_check(ctx, pot, bad)
    assert p.returncode == 1 and "does not compile" in p.stdout, p.stdout


@skip_valgrind  # about the catalogue, not the binary
def test_template_of_messages_is_current(ctx):
    """po/atelier.pot holds every message of the sources (make po-update
    regenerates it): a message added without it is caught here too."""
    d = ctx.tmpdir()
    p = subprocess.run(["make", "--no-print-directory", "-C", ctx.root,
                        "build/po/atelier.pot"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr

    def ids(path):
        with open(path, encoding="utf-8") as f:
            return set(re.findall(r'^msgid "(.+)"$', f.read(), re.M))
    fresh = ids(ctx.path("build", "po", "atelier.pot"))
    kept = ids(ctx.path("po", "atelier.pot"))
    assert fresh - kept == set(), "run make po-update: %s" % sorted(fresh - kept)
    del d


@skip_valgrind  # runs make install and the plain binary
def test_installed_atelier_finds_its_catalogue(ctx):
    """make install puts the .mo under PREFIX/share/locale, where the
    installed binary finds it (and not the build tree's)."""
    dest = ctx.tmpdir()
    p = subprocess.run(["make", "--no-print-directory", "-C", ctx.root,
                        "install", "DESTDIR=" + dest, "PREFIX=/usr"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    mo = os.path.join(dest, "usr", "share", "locale", "fr", "LC_MESSAGES",
                      "atelier.mo")
    assert os.path.isfile(mo), p.stdout
    exe = os.path.join(dest, "usr", "bin", "atelier")
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run([exe, "check", "--messages=fr", "nothing.yaml"],
                       capture_output=True, text=True, env=env, cwd=dest)
    assert p.returncode == 2 and p.stderr.startswith(
        "nothing.yaml: erreur: impossible d'ouvrir : "), p.stderr
    # Without its catalogue, the installed binary speaks English.
    os.remove(mo)
    p = subprocess.run([exe, "check", "--messages=fr", "nothing.yaml"],
                       capture_output=True, text=True, env=env, cwd=dest)
    assert p.stderr.startswith("nothing.yaml: error: cannot open: "), p.stderr
    shutil.rmtree(dest)


def test_init_in_french_and_in_english(ctx):
    """init --lang fr writes the French template, --lang en the English
    one; without --lang, the language of messages (the locale, or
    --messages) chooses. Both pass check with no warning."""
    with open(ctx.path("src", "cli", "template.yaml"), encoding="utf-8") as f:
        en = f.read()
    with open(ctx.path("src", "cli", "template.fr.yaml"), encoding="utf-8") as f:
        fr = f.read()
    assert "lang: fr" in fr and "lang: en" in en and fr != en
    cases = [(["--lang=fr"], {}, fr), (["--lang", "en"], {}, en),
             ([], {}, en), ([], {"LC_ALL": None, "LANG": "fr_FR.UTF-8"}, fr),
             ([], {"LC_ALL": "fr_FR.UTF-8"}, fr), (["--messages=fr"], {}, fr),
             (["--lang=en"], {"LC_ALL": "fr_FR.UTF-8"}, en)]
    for args, env, want in cases:
        p = ctx.run("init", *args, "-", env=env)
        assert p.returncode == 0 and p.stdout == want, (args, env)
    d = ctx.tmpdir()
    for lang in ("fr", "en"):
        f = os.path.join(d, lang + ".yaml")
        assert ctx.run("init", "--lang=" + lang, f).returncode == 0
        p = ctx.run("check", "--werror", f)
        assert p.returncode == 0 and p.stderr == "", p.stderr
    p = ctx.run("init", "--lang=de", os.path.join(d, "de.yaml"))
    assert p.returncode == 2 and "--lang takes fr or en, not 'de'" in p.stderr
    assert not os.path.exists(os.path.join(d, "de.yaml"))
    p = ctx.run("init", "--messages=fr", os.path.join(d, "x.yaml"))
    assert p.stderr == "%s écrit : remplissez-le, puis lancez « atelier " \
        "check %s »\n" % (os.path.join(d, "x.yaml"), os.path.join(d, "x.yaml")), p.stderr


def test_folder_build_in_french(ctx):
    """A folder build's messages and summary line in French, its count of
    warnings phrased as the closing count is (one function, report.c)."""
    d = ctx.tmpdir()
    src, out = os.path.join(d, "in"), os.path.join(d, "out")
    os.makedirs(src)
    os.makedirs(out)
    with open(os.path.join(src, "s.yaml"), "w", encoding="utf-8") as f:
        f.write("atelier: 1\ntitle: T\ndate: 2016-06-30\n"
                "questions: [{id: q1, title: Q}]\n")   # q1: no contribution
    p = ctx.run("build", "--messages=fr", "-f", "md", src, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "s.yaml:4:18: avertissement: la question « q1 » n'a aucune " \
        "contribution" in p.stderr, p.stderr
    # A folder build counts in its summary, not a line per file.
    assert "s.yaml: 1 avertissement\n" not in p.stderr, p.stderr
    assert p.stderr.endswith("      |                  ^~\n"
                             "construits : 1, à jour : 0, en échec : 0, "
                             "1 avertissement\n"), p.stderr
    p = ctx.run("build", "-f", "md", "--force", src, "-o", out)
    assert p.stderr.endswith("1 built, 0 up to date, 0 failed, 1 warning\n"), p.stderr
    p = ctx.run("build", "--messages=fr", "-f", "nope", src, "-o", out)
    assert p.returncode == 2 and p.stderr == \
        "atelier : format inconnu « nope » : voir « atelier formats »\n", p.stderr


def test_help_and_man_page_name_the_options(ctx):
    """--messages (every command), --csv (build) and init's --lang are in
    --help and in the man page."""
    with open(ctx.path("man", "atelier.1"), encoding="utf-8") as f:
        man = f.read().replace("\\-", "-")
    for cmd, opts in (("check", ["--messages=fr|en"]),
                      ("build", ["--messages=fr|en", "--csv=rfc4180|excel",
                                 "--csv-bom"]),
                      ("init", ["--lang=fr|en"])):
        text = ctx.run("help", cmd).stdout
        for o in opts:
            assert o in text, (cmd, o)
            name = o.split("=")[0]
            assert name in man, o
    assert "LC_MESSAGES" in man and "atelier.mo" in man


def many_rounds(lang):
    """A session whose rotation plan is past what a grid holds (10,000
    cells): the reports list it, a line per round."""
    rounds = "".join("  - {tables: {q1: t1, q2: t2}}\n" for _ in range(5001))
    return ("atelier: 1\nlang: %s\ntitle: Many rounds\ndate: 2024-01-02\n"
            "questions: [{id: q1, title: A}, {id: q2, title: B}]\n"
            "tables: [{id: t1, name: Green}, {id: t2}]\n"
            "brainstorm:\n  q1: [An idea]\nrounds:\n%s" % (lang, rounds))


def test_finding_6_the_rotation_list_has_its_language_s_punctuation(ctx):
    """Finding 6: the rotation list wrote French punctuation (' : ', ' ; ')
    in English reports; the spreadsheet's rounds wrote English punctuation
    in French ones. Both come from the label table now."""
    import openpyxl
    d = ctx.tmpdir()
    want = {"en": ("- Round 1: Question 1 — Green; Question 2 — Table t2\n",
                   "Round 1", "q1: t1; q2: t2"),
            "fr": ("- Tour 1 : Question 1 — Green ; Question 2 — Table t2\n",
                   "Tour 1", "q1 : t1 ; q2 : t2")}
    for lang, (line, key, value) in want.items():
        src = os.path.join(d, lang + ".yaml")
        with open(src, "w", encoding="utf-8") as f:
            f.write(many_rounds(lang))
        p = ctx.run("build", "-f", "md,xlsx", src, "-o", os.path.join(d, "out"))
        assert p.returncode == 0, p.stderr
        with open(os.path.join(d, "out", lang + ".md"), encoding="utf-8") as f:
            assert line in f.read().splitlines(keepends=True), lang
        wb = openpyxl.load_workbook(os.path.join(d, "out", lang + ".xlsx"))
        kv = {r[0]: r[1] for r in wb.worksheets[3].iter_rows(values_only=True)}
        assert kv[key] == value, (lang, kv[key])
