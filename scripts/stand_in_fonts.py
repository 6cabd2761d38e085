"""Build the stand-in fonts as TrueType: Fandol (仿宋/黑体/楷体/宋体) and a Noto Serif CJK SC
Bold subset (小标宋), converted from their CFF outlines with fontTools.

Why TrueType: LibreOffice 7.x embeds CFF fonts in a PDF as Type 1 subsets whose /UniqueID
counts up inside each LibreOffice process, and it sits in the eexec-encrypted part, so
making a PDF independent of what a worker converted before meant re-encrypting every font
in Python (most of a build's time). TrueType subsets carry nothing process-dependent.

Usage: python scripts/stand_in_fonts.py SOURCE_DIR TARGET_DIR [NOTO_TTC]
Writes TARGET_DIR/*.ttf atomically, skipping fonts this version of the script already built;
runs the conversions in parallel (each takes 10–45 s). The output keeps the source fonts' dates,
so every machine gets the same bytes (and the same PDFs).
"""

from __future__ import annotations

import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

FANDOL = ("FandolFang-Regular", "FandolHei-Regular", "FandolHei-Bold", "FandolKai-Regular",
          "FandolSong-Regular", "FandolSong-Bold")
NOTO_TTC = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
NOTO_SC = 2  # the Simplified Chinese face of the collection
TITLE = "NotoSerifCJKscTT-Bold"
TITLE_FAMILY = "Noto Serif CJK SC TT"
MAX_ERR = 1.0  # font units (of 1000 per em): the quadratic outlines stay within this of the cubic ones


def to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines (same advances and metrics)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0


def _save(font: TTFont, target: Path) -> None:
    part = target.with_suffix(".part")
    font.save(str(part))
    os.replace(part, target)


def fandol(source: Path, target: Path) -> str:
    font = TTFont(str(source), recalcTimestamp=False)  # the source's dates: same bytes on every machine
    to_truetype(font)
    _save(font, target)
    return target.name


def title_face(ttc: Path, fandol_dir: Path, target: Path) -> str:
    """The 小标宋 stand-in: Noto Serif CJK SC Bold cut to the characters the Fandol faces
    have (the body's coverage, a third of the glyphs), renamed since it is a modified font."""
    wanted: set[int] = set(range(0x20, 0x7F))
    for name in FANDOL:
        path = fandol_dir / f"{name}.otf"
        if path.is_file():
            wanted |= set(TTFont(str(path), lazy=True).getBestCmap())
    font = TTFont(str(ttc), fontNumber=NOTO_SC, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted & set(font.getBestCmap()))
    subsetter.subset(font)
    to_truetype(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(TITLE_FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(f"{TITLE_FAMILY} Bold", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(TITLE, 6, record.platformID, record.platEncID, record.langID)
    _save(font, target)
    return target.name


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    ttc = Path(argv[3]) if len(argv) > 3 else Path(NOTO_TTC)
    target.mkdir(parents=True, exist_ok=True)
    version = target / ".stand-in-version"  # fonts made by another version of this script are made again
    made_by = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    if not version.is_file() or version.read_text() != made_by:
        for old in target.glob("*.ttf"):
            old.unlink()
    work = []
    for name in FANDOL:
        if (source / f"{name}.otf").is_file() and not (target / f"{name}.ttf").is_file():
            work.append((fandol, source / f"{name}.otf", target / f"{name}.ttf"))
    if ttc.is_file() and not (target / f"{TITLE}.ttf").is_file():
        work.append((title_face, ttc, source, target / f"{TITLE}.ttf"))
    if not work:
        version.write_text(made_by)
        return 0
    print(f"stand-in fonts: converting {len(work)} fonts to TrueType (once; about a minute)", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for done in pool.map(_run, work):
            print(f"stand-in fonts: {done}", file=sys.stderr)
    version.write_text(made_by)
    return 0


def _run(job: tuple[object, ...]) -> str:
    fn, *args = job
    return fn(*args)  # type: ignore[operator,no-any-return]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
