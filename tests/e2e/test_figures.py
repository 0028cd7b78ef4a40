"""test_figures.py: the figure pipeline (src/figures/figure.c): photos embedded
upright, scaled and without their metadata; transparency kept; the pixel
budget and damaged files as diagnostics at the figure; the same bytes
whatever libvips' threads; thumbnails in the spreadsheet; a no-op rebuild
that processes no figure. Every image is generated here with python3-pil
(or by hand, for the decompression bomb): none is committed."""
import base64
import io
import os
import re
import struct
import zipfile
import zlib

from PIL import Image

from helpers import skip_valgrind, write

HEAD = """atelier: 1
title: T
date: 2024-05-02
questions: [{id: q1, title: Q}]
brainstorm: {q1: [une idée]}
figures:
"""
RED, BLUE = (220, 20, 20), (20, 20, 220)


# ---- helpers ----

def phone_photo(path, w, h, orientation=6, quality=95):
    """A JPEG as a phone writes it: stored sideways with EXIF orientation,
    a GPS position and a camera model. Its stored left half is red, its
    right half blue, with a little noise so that it compresses like a
    photograph."""
    im = Image.new("RGB", (w, h), RED)
    im.paste(Image.new("RGB", (w - w // 2, h), BLUE), (w // 2, 0))
    noise = Image.effect_noise((w, h), 8).convert("RGB")
    im = Image.blend(im, noise, 0.05)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x0110] = "Phone X"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    im.save(path, quality=quality, exif=exif)
    with open(path, "rb") as f:
        assert b"Phone X" in f.read()


def build(ctx, d, *extra, formats="html", name="s.yaml", env=None):
    out = os.path.join(d, "out")
    os.makedirs(out, exist_ok=True)
    return ctx.run("build", "--color=never", "-f", formats, "-o", out,
                   *extra, name, cwd=d, env=env), out


def embedded(page):
    """The images of a page: (mime, bytes, the rest of the img tag)."""
    return [(m.group(1), base64.b64decode(m.group(2)), m.group(3))
            for m in re.finditer(r'<img src="data:([a-z/+]+);base64,'
                                 r'([A-Za-z0-9+/=]*)"([^>]*)>', page)]


def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def one_photo(ctx, w, h, *extra):
    """Builds a session of one phone photo of w x h; returns the page and
    its image: mime, bytes, the rest of the tag, the decoded picture."""
    d = ctx.tmpdir()
    phone_photo(os.path.join(d, "wall.jpg"), w, h)
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: wall.jpg\n"
          "    caption: le mur\n")
    p, out = build(ctx, d, *extra)
    assert p.returncode == 0, p.stderr
    page = read(os.path.join(out, "s.html"))
    [(mime, data, rest)] = embedded(page)
    assert b"Exif" not in data and b"Phone X" not in data
    return page, mime, data, rest, Image.open(io.BytesIO(data))


def colour_at(im, x, y):
    return im.convert("RGB").getpixel((x, y))


def near(c, want, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(c, want))


def bomb_png(path, side=100000):
    """A PNG whose header claims side x side one-bit pixels: a few KB of
    zlib over zero rows (not even all of them: the header is what the
    budget reads)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    row = b"\0" * (1 + (side + 7) // 8)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(100)) + z.flush()
    png = (b"\x89PNG\r\n\x1a\n" +
           chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
           + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)
    assert len(png) < 64 * 1024
    return png


# ---- photos ----

@skip_valgrind
def test_phone_photo_is_upright_scaled_and_stripped(ctx):
    """A 4000x3000 JPEG stored sideways (orientation 6) with a GPS position
    becomes a 1200x1600 upright JPEG with no EXIF block left."""
    page, mime, _, rest, im = one_photo(ctx, 4000, 3000)
    assert mime == "image/jpeg"
    assert 'width="1200" height="1600"' in rest, rest
    assert im.format == "JPEG" and im.size == (1200, 1600)
    # Upright: the stored left (red) is now the top, the right the bottom.
    assert near(colour_at(im, 600, 100), RED), colour_at(im, 600, 100)
    assert near(colour_at(im, 600, 1500), BLUE), colour_at(im, 600, 1500)
    assert len(im.getexif()) == 0, dict(im.getexif())
    assert "exif" not in im.info and "icc_profile" not in im.info
    assert len(page) < 2 * 1024 * 1024


def test_small_photo_upright_and_stripped_under_valgrind_too(ctx):
    """The same pipeline on a small photo (so that valgrind runs it), with
    another --figure-size: 400x300 sideways, long side 200."""
    _, mime, _, _, im = one_photo(ctx, 400, 300, "--figure-size=200")
    assert (mime, im.size) == ("image/jpeg", (150, 200)), (mime, im.size)
    assert near(colour_at(im, 75, 10), RED)
    assert near(colour_at(im, 75, 190), BLUE)


@skip_valgrind
def test_figure_size_zero_keeps_the_pixels_but_still_strips(ctx):
    _, _, _, _, im = one_photo(ctx, 4000, 3000, "--figure-size=0")
    assert im.size == (3000, 4000)


def test_transparent_png_stays_png_with_its_alpha(ctx):
    d = ctx.tmpdir()
    im = Image.new("RGBA", (2000, 1000), (0, 128, 0, 255))
    im.paste(Image.new("RGBA", (1000, 1000), (0, 0, 0, 0)), (0, 0))
    im.save(os.path.join(d, "logo.png"))
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: logo.png\n")
    p, out = build(ctx, d)
    assert p.returncode == 0, p.stderr
    [(mime, data, _)] = embedded(read(os.path.join(out, "s.html")))
    got = Image.open(io.BytesIO(data))
    assert mime == "image/png" and got.format == "PNG"
    assert got.mode == "RGBA" and got.size == (1600, 800)
    assert got.getpixel((100, 400))[3] == 0      # transparent half
    assert got.getpixel((1500, 400))[3] == 255   # opaque half


def test_drawing_of_few_colours_is_png_photo_is_jpeg(ctx):
    """The rule: PNG for few colours (a lossless original of at most 256),
    JPEG for a photograph, whatever the original's format."""
    d = ctx.tmpdir()
    Image.new("RGB", (300, 200), (250, 250, 0)).save(os.path.join(d, "a.gif"))
    noisy = Image.merge("RGB", [Image.effect_noise((300, 200), 60)
                                for _ in range(3)])
    noisy.save(os.path.join(d, "b.png"))
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: a.gif\n"
          "  - image: b.png\n")
    p, out = build(ctx, d)
    assert p.returncode == 0, p.stderr
    mimes = [m for m, _, _ in embedded(read(os.path.join(out, "s.html")))]
    assert mimes == ["image/png", "image/jpeg"], mimes


# ---- budgets and damaged files ----

def test_decompression_bomb_is_an_error_at_the_figure(ctx):
    """A PNG of a few KB claiming 100,000 x 100,000 pixels: refused from its
    header, at the figure, before anything is decoded; nothing written."""
    d = ctx.tmpdir()
    bomb_png(os.path.join(d, "bomb.png"))
    write(os.path.join(d, "s.yaml"), HEAD + "  - caption: x\n"
          "    image: bomb.png\n")
    p, out = build(ctx, d, formats="md,html,xlsx")
    assert p.returncode == 1, p.stderr
    assert ("s.yaml:8:12: error: image bomb.png is too large to decode: "
            "100000 x 100000 pixels, more than the 268435456 allowed "
            "(--max-figure-pixels)") in p.stderr, p.stderr
    assert os.listdir(out) == []


def test_max_figure_pixels_lowers_the_budget(ctx):
    d = ctx.tmpdir()
    phone_photo(os.path.join(d, "wall.jpg"), 400, 300)
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: wall.jpg\n")
    p, out = build(ctx, d, "--max-figure-pixels=100000", formats="xlsx")
    assert p.returncode == 1, p.stderr
    assert ("s.yaml:7:12: error: image wall.jpg is too large to decode: "
            "400 x 300 pixels, more than the 100000 allowed") in p.stderr
    assert os.listdir(out) == []
    p, out = build(ctx, d, "--max-figure-pixels=120000", formats="xlsx")
    assert p.returncode == 0, p.stderr


def test_truncated_jpeg_is_an_error_at_the_figure(ctx):
    d = ctx.tmpdir()
    phone_photo(os.path.join(d, "full.jpg"), 400, 300)
    data = read(os.path.join(d, "full.jpg"), "rb")
    with open(os.path.join(d, "cut.jpg"), "wb") as f:
        f.write(data[:len(data) // 2])
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: full.jpg\n"
          "  - {caption: coupée, image: cut.jpg}\n"
          "  - image: s.yaml\n")
    p, out = build(ctx, d, formats="md,html")
    assert p.returncode == 1, p.stderr
    assert re.search(r"^s\.yaml:8:30: error: cannot decode image cut\.jpg: "
                     r"damaged or truncated", p.stderr, re.M), p.stderr
    # Every figure that cannot be used is reported in the same run.
    assert ("s.yaml:9:12: error: cannot decode image s.yaml: not an image "
            "in a format atelier reads") in p.stderr, p.stderr
    assert os.listdir(out) == []


# ---- the same bytes ----

def test_same_build_gives_the_same_bytes_whatever_the_threads(ctx):
    d = ctx.tmpdir()
    phone_photo(os.path.join(d, "wall.jpg"), 800, 600)
    Image.new("RGBA", (300, 300), (0, 0, 255, 100)).save(
        os.path.join(d, "logo.png"))
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: wall.jpg\n"
          "  - image: logo.png\n")
    seen = set()
    for threads in ("1", "4", "4"):
        p, out = build(ctx, d, "--force", formats="html,xlsx",
                       env={"VIPS_CONCURRENCY": threads})
        assert p.returncode == 0, p.stderr
        seen.add((read(os.path.join(out, "s.html"), "rb"),
                  read(os.path.join(out, "s.xlsx"), "rb")))
    assert len(seen) == 1


# ---- the spreadsheet ----

def test_spreadsheet_shows_the_processed_figures_as_thumbnails(ctx):
    """The xlsx holds the same processed image as the page (not the
    original), and an SVG rasterised to PNG; each anchored in the cell of
    its file name."""
    d = ctx.tmpdir()
    phone_photo(os.path.join(d, "wall.jpg"), 800, 600)
    write(os.path.join(d, "plan.svg"),
          '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
          '<rect width="200" height="100" fill="#c00"/></svg>\n')
    write(os.path.join(d, "s.yaml"), HEAD + "  - image: wall.jpg\n"
          "  - image: plan.svg\n")
    p, out = build(ctx, d, formats="html,xlsx")
    assert p.returncode == 0, p.stderr
    imgs = embedded(read(os.path.join(out, "s.html")))
    assert [m for m, _, _ in imgs] == ["image/jpeg", "image/svg+xml"]
    with zipfile.ZipFile(os.path.join(out, "s.xlsx")) as z:
        media = {n: z.read(n) for n in z.namelist()
                 if n.startswith("xl/media/")}
        drawings = "".join(z.read(n).decode() for n in z.namelist()
                           if n.startswith("xl/drawings/drawing"))
    assert imgs[0][1] in media.values()
    pngs = [Image.open(io.BytesIO(b)) for n, b in media.items()
            if n.endswith(".png")]
    assert [(im.format, im.size) for im in pngs] == [("PNG", (200, 100))]
    assert near(colour_at(pngs[0], 100, 50), (204, 0, 0))
    # Anchored in the Session sheet's third column (0-based 2).
    assert drawings.count("<xdr:col>2</xdr:col>") >= 2, drawings[:500]


# ---- incremental ----

def test_noop_rebuild_processes_no_figure(ctx):
    """-v notes each figure processed: a folder's first build processes
    its figure, a rebuild with nothing changed none, a changed figure or a
    changed --figure-size processes it again."""
    src = ctx.tmpdir()
    phone_photo(os.path.join(src, "wall.jpg"), 400, 300)
    write(os.path.join(src, "a.yaml"), HEAD + "  - image: wall.jpg\n")
    write(os.path.join(src, "b.yaml"), HEAD.replace("T\n", "U\n", 1))
    out = ctx.tmpdir()
    note = "a.yaml:7:12: note: figure wall.jpg: 300 x 400 -> 300 x 400 jpg"

    def run(*extra):
        p = ctx.run("build", "-v", "--color=never", "-f", "html,xlsx", src,
                    "-o", out, *extra)
        assert p.returncode == 0, p.stderr
        return p.stderr

    first = run()
    assert first.count("note: figure wall.jpg") == 1, first
    assert note in first.replace(os.path.join(src, ""), ""), first
    again = run()
    assert "note: figure" not in again, again
    assert "a.yaml: up to date" in again, again
    phone_photo(os.path.join(src, "wall.jpg"), 300, 200)
    changed = run()
    assert changed.count("note: figure wall.jpg: 200 x 300") == 1, changed
    resized = run("--figure-size=100")
    assert "-> 67 x 100 jpg" in resized, resized


def test_figure_options_are_checked(ctx):
    for opt, msg in (("--figure-size=abc", "--figure-size takes a number"),
                     ("--figure-size=70000", "from 0 to 65535"),
                     ("--max-figure-pixels=0", "--max-figure-pixels takes")):
        p = ctx.run("build", opt, "x.yaml")
        assert p.returncode == 2 and msg in p.stderr, p.stderr


def test_folder_build_publishes_the_processed_photo_beside_the_markdown(ctx):
    """In a folder build the Markdown links a copy beside it: the processed
    image (upright, scaled, stripped), the same bytes the HTML embeds, never
    the original with its GPS position."""
    d = ctx.tmpdir()
    tree = os.path.join(d, "tree")
    os.makedirs(tree)
    phone_photo(os.path.join(tree, "wall.jpg"), 400, 300)
    write(os.path.join(tree, "s.yaml"), HEAD + "  - image: wall.jpg\n"
          "    caption: le mur\n")
    out = os.path.join(d, "out")
    p = ctx.run("build", "-f", "md,html", "--figure-size=200", tree, "-o", out)
    assert p.returncode == 0, p.stderr
    copies = [n for n in os.listdir(out) if re.fullmatch(r"s-[0-9a-f]{16}\.jpg", n)]
    assert len(copies) == 1, os.listdir(out)
    data = read(os.path.join(out, copies[0]), "rb")
    assert b"Exif" not in data and b"Phone X" not in data
    assert Image.open(io.BytesIO(data)).size == (150, 200)
    assert "](%s)" % copies[0] in read(os.path.join(out, "s.md"))
    [(_, embedded_data, _)] = embedded(read(os.path.join(out, "s.html")))
    assert embedded_data == data
