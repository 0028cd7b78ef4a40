"""test_csv.py: the CSV export, read back with python's csv module.

The CSV is the Contributions sheet of the spreadsheet as text: the same
header, the same rows, in the same order, cell for cell (dates as
YYYY-MM-DD, numbers as written). RFC 4180 framing, UTF-8, a byte-order
mark only under --csv-bom, and texts that a spreadsheet would take for a
formula neutralised with a leading apostrophe."""
import csv
import datetime
import os
import shutil
import subprocess

import openpyxl

from helpers import skip_valgrind, write

EXAMPLE = "examples/moulins-2016/session.yaml"
BOM = b"\xef\xbb\xbf"

SESSION = """\
atelier: 1
title: Atelier mobilité
date: 2024-03-14
questions:
  - id: q1
    title: Comment venir autrement ?
brainstorm:
  q1:
%s
subgroups:
  q1:
    groups:
      - name: Groupe A
        brakes:
          - text: Horaires décalés
            weight: -2
            note: |
              Première ligne.

              Seconde, avec "guillemets".
"""


def session(ctx, items):
    return write(os.path.join(ctx.tmpdir(), "s.yaml"),
                 SESSION % "\n".join("    " + i for i in items))


def build(ctx, path, *extra):
    out = ctx.tmpdir()
    p = ctx.run("build", path, "-o", out, "-f", "csv,xlsx", *extra)
    assert p.returncode == 0, p.stderr
    stem = os.path.join(out, os.path.splitext(os.path.basename(path))[0])
    return stem + ".csv", stem + ".xlsx"


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def as_text(v):
    """A spreadsheet cell as the CSV writes it."""
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def xlsx_rows(path):
    ws = openpyxl.load_workbook(path)["Contributions"]
    return [[as_text(v) for v in r] for r in ws.iter_rows(values_only=True)]


def test_csv_is_the_contributions_sheet(ctx):
    for path in (ctx.path(EXAMPLE), session(ctx, ["- Covoiturage", '- "Un, deux"'])):
        c, x = build(ctx, path)
        rows, sheet = read_csv(c), xlsx_rows(x)
        assert rows[0][:4] == ["Atelier", "Date", "Lieu", "Id question"]
        assert len(rows) == len(sheet) > 1
        for i, (a, b) in enumerate(zip(rows, sheet)):
            assert a == b, (path, i + 1, a, b)


def test_rfc4180_framing(ctx):
    path = session(ctx, ['- "He said \\"hi\\", then left"', "- Simple"])
    c, _ = build(ctx, path)
    raw = open(c, "rb").read()
    assert not raw.startswith(BOM)
    assert b'"He said ""hi"", then left"' in raw
    # Every record ends with CRLF; the only bare LF are inside a quoted
    # field (the multi-line note).
    assert raw.endswith(b"\r\n")
    records = raw.split(b"\r\n")[:-1]
    assert len(records) == 1 + 3 and all(r.count(b'"') % 2 == 0 for r in records)
    rows = read_csv(c)
    note = rows[3][rows[0].index("Note")]
    assert note == 'Première ligne.\nSeconde, avec "guillemets".', repr(note)


def test_bom_only_when_asked(ctx):
    path = session(ctx, ["- Covoiturage"])
    plain, _ = build(ctx, path)
    bom, _ = build(ctx, path, "--csv-bom")
    a, b = open(plain, "rb").read(), open(bom, "rb").read()
    assert not a.startswith(BOM) and b == BOM + a


def test_formulas_neutralised(ctx):
    texts = ["=1+1", "+33 6 12", "-x", "@SUM(A1)"]
    path = session(ctx, ['- "%s"' % t for t in texts] + ["- Sans risque"])
    c, x = build(ctx, path)
    rows = read_csv(c)
    col = rows[0].index("Texte")
    assert [r[col] for r in rows[1:6]] == ["'" + t for t in texts] + ["Sans risque"]
    # A number atelier writes itself is not a text: -2 stays -2.
    assert rows[6][rows[0].index("Poids")] == "-2"
    # The spreadsheet keeps the texts as they are, as text cells.
    ws = openpyxl.load_workbook(x)["Contributions"]
    assert [ws.cell(row=r, column=col + 1).value for r in range(2, 6)] == texts


def test_no_cell_limit_in_csv(ctx):
    path = session(ctx, ['- "%s"' % ("a" * 40000)])
    out = ctx.tmpdir()
    p = ctx.run("build", path, "-o", out, "-f", "csv")
    assert p.returncode == 0, p.stderr
    rows = read_csv(os.path.join(out, "s.csv"))
    assert rows[1][rows[0].index("Texte")] == "a" * 40000


def test_header_in_the_report_language(ctx):
    path = session(ctx, ["- Covoiturage"])
    c, _ = build(ctx, path, "--lang", "en")
    assert read_csv(c)[0][:5] == ["Workshop", "Date", "Place", "Question id", "Question"]
    assert read_csv(c)[1][read_csv(c)[0].index("Kind")] == "brainstorm"


def read_excel_csv(path, sep):
    """What a spreadsheet set to the Excel dialect reads: UTF-8 after the
    byte-order mark, fields split on sep."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=sep))


def test_excel_dialect(ctx):
    """--csv=excel: a byte-order mark, ';' between fields when the labels
    are French and ',' when they are English, CRLF; the same cells as the
    RFC 4180 file and the spreadsheet. --csv=rfc4180 is the default."""
    path = session(ctx, ['- "Un; deux, trois"', "- Vélo"])
    plain, x = build(ctx, path)
    again, _ = build(ctx, path, "--csv=rfc4180")
    excel, _ = build(ctx, path, "--csv=excel")
    raw = open(excel, "rb").read()
    assert open(again, "rb").read() == open(plain, "rb").read()
    assert raw.startswith(BOM) and raw.endswith(b"\r\n")
    assert raw[len(BOM):].startswith("Atelier;Date;Lieu;".encode())
    assert '"Un; deux, trois"'.encode() in raw   # quoted for its ';'
    rows = read_excel_csv(excel, ";")
    assert rows == read_csv(plain) == xlsx_rows(x)
    assert "Vélo" in rows[2]
    # Read the naive way (comma, no BOM), the French file does not split:
    # what a French Excel did with the RFC 4180 one.
    with open(excel, encoding="utf-8", newline="") as f:
        naive = list(csv.reader(f))
    assert len(naive[0]) == 1
    en, _ = build(ctx, path, "--csv=excel", "--lang=en")
    raw = open(en, "rb").read()
    assert raw[len(BOM):].startswith(b"Workshop,Date,Place,")
    assert read_excel_csv(en, ",")[1:] == read_csv(build(ctx, path, "--lang=en")[0])[1:]
    p = ctx.run("build", path, "-f", "csv", "--csv=tsv", "-o", ctx.tmpdir())
    assert p.returncode == 2 and "--csv takes rfc4180 or excel, not 'tsv'" in p.stderr


def libreoffice_read(ctx, path, sep, language=None):
    """The cells LibreOffice Calc reads from a CSV (UTF-8, separator sep),
    through a conversion to xlsx: every column as text, or with language
    (a Windows language id: 1036 French) cells as that locale reads them."""
    out, profile = ctx.tmpdir(), ctx.tmpdir()
    ncols = len(read_excel_csv(path, chr(sep))[0])
    if language:
        options = "%d,34,76,1,,%d" % (sep, language)
    else:
        options = "%d,34,76,1,%s" % (
            sep, "/".join("%d/2" % (i + 1) for i in range(ncols)))
    p = subprocess.run(["soffice", "-env:UserInstallation=file://" + profile,
                        "--headless", "--infilter=CSV:" + options,
                        "--convert-to", "xlsx", "--outdir", out, path],
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr
    name = os.path.splitext(os.path.basename(path))[0] + ".xlsx"
    ws = openpyxl.load_workbook(os.path.join(out, name)).active
    if language:
        return [list(r) for r in ws.iter_rows(values_only=True)]
    return [[as_text(v) for v in r] for r in ws.iter_rows(values_only=True)]


@skip_valgrind  # LibreOffice reads the files: atelier runs once per format
def test_libreoffice_reads_both_dialects(ctx):
    """LibreOffice Calc (libreoffice-calc-nogui) splits the Excel dialect
    on ';' and the RFC 4180 file on ',' into the cells of atelier's own
    spreadsheet: the byte-order mark is not part of the first cell, a
    multi-line note is one cell, quotes come back single."""
    if not shutil.which("soffice"):
        raise AssertionError("LibreOffice is missing: make deps installs "
                             "libreoffice-calc-nogui")
    plain, x = build(ctx, ctx.path(EXAMPLE))
    excel, _ = build(ctx, ctx.path(EXAMPLE), "--csv=excel")
    sheet = xlsx_rows(x)
    for path, sep in ((excel, ord(";")), (plain, ord(","))):
        got = libreoffice_read(ctx, path, sep)
        assert got == sheet, (path, [(a, b) for a, b in zip(got, sheet) if a != b][:3])
    path = session(ctx, ['- "Un; deux, trois"'])
    excel, x = build(ctx, path, "--csv=excel")
    assert libreoffice_read(ctx, excel, ord(";")) == xlsx_rows(x)


@skip_valgrind  # LibreOffice reads the files
def test_excel_dialect_numbers_in_french(ctx):
    """With French labels the Excel dialect writes a decimal comma, so
    that a spreadsheet in a French locale reads a weight of 1.5 as the
    number 1.5 (a decimal point would make it a text, or a date); the
    RFC 4180 file keeps the point, which an English locale reads."""
    path = session(ctx, ["- {text: Vélo, weight: 1.5}", "- {text: Bus, votes: 12}"])
    excel, _ = build(ctx, path, "--csv=excel")
    plain, _ = build(ctx, path)
    rows = read_excel_csv(excel, ";")
    col = rows[0].index("Poids")
    assert rows[1][col] == "1,5" and read_csv(plain)[1][col] == "1.5"
    assert rows[2][rows[0].index("Votes")] == "12"
    if not shutil.which("soffice"):
        raise AssertionError("LibreOffice is missing: make deps installs "
                             "libreoffice-calc-nogui")
    fr = libreoffice_read(ctx, excel, ord(";"), language=1036)
    en = libreoffice_read(ctx, plain, ord(","), language=1033)
    assert fr[1][col] == en[1][col] == 1.5, (fr[1][col], en[1][col])
    assert fr[2][rows[0].index("Votes")] == 12
