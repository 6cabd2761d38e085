"""The DOCX audit (`fawen check x.docx`): what GB/T 9704-2012 asks of a document before it
is laid out — A4 page set-up and the 版心 margins (turned for a landscape table section),
the 22-line grid, an East Asian font on every run, odd/even page-number footers — and
whether Word opens the package without repair (ooxml.py).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from .check_page import near
from .pdfread import MM

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _twips_mm(value: str | None) -> float:
    return int(value or 0) / 20 / MM


def audit_docx(data: bytes) -> list[str]:
    findings: list[str] = []
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        document = etree.fromstring(package.read("word/document.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        return [f"not a readable DOCX package: {exc}"]
    for i, sect in enumerate(document.iter(f"{{{W}}}sectPr"), 1):
        size = sect.find("w:pgSz", NS)
        margins = sect.find("w:pgMar", NS)
        if size is None or margins is None:
            findings.append(f"section {i}: no page size or margins (5.2.1)")
            continue
        width, height = _twips_mm(size.get(f"{{{W}}}w")), _twips_mm(size.get(f"{{{W}}}h"))
        if not (near(min(width, height), 210) and near(max(width, height), 297)):
            findings.append(f"section {i}: page is not A4 (5.2.1)")
        # a landscape table section has the 版心 turned, the binding side on top (clause 8)
        turned = width > height
        sides = (("top", 28), ("left", 37), ("bottom", 26), ("right", 35)) if turned else (
            ("top", 37), ("left", 28), ("bottom", 35), ("right", 26))
        for side, target in sides:
            value = _twips_mm(margins.get(f"{{{W}}}{side}"))
            if not near(value, target):
                findings.append(f"section {i}: {side} margin {value:.1f} mm, not {target} mm (5.2.2)")
        grid = sect.find("w:docGrid", NS)
        if grid is None or grid.get(f"{{{W}}}linePitch") != "579":
            findings.append(f"section {i}: no 22-line grid (w:docGrid linePitch 579) (5.2.3)")
    for run in document.iter(f"{{{W}}}r"):
        if run.find("w:t", NS) is None:
            continue
        fonts = run.find("w:rPr/w:rFonts", NS)
        if fonts is None or not fonts.get(f"{{{W}}}eastAsia"):
            text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
            findings.append(f"run “{text[:10]}” has no East Asian font (w:eastAsia) (5.2.3)")
            break
    if settings.find("w:evenAndOddHeaders", NS) is None:
        findings.append("odd and even pages share one footer; page numbers cannot alternate sides (7.5)")
    footers = [n for n in package.namelist() if n.startswith("word/footer")]
    if not any(b"PAGE" in package.read(n) for n in footers):
        findings.append("no page-number field in any footer (7.5)")
    from .ooxml import validate_docx  # Word, unlike LibreOffice, repairs a package the schemas reject
    findings.extend(validate_docx(data))
    return findings
