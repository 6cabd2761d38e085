"""A fawen DOCX as a package: python-docx's blank document made lean, the page set-up,
settings and properties, and the zip written the same way every time (same input, same bytes).
"""

from __future__ import annotations

import functools
import io
import zipfile
from datetime import datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..layout import FANG, Layout
from .page import BODY_PT, LINE, SETTINGS_ORDER, _el, _page, _rpr, _set

# python-docx's template parts that no fawen document uses: dropping them (and the styles
# nothing refers to) makes a DOCX a quarter of the size and LibreOffice open it a third faster
UNUSED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "thumbnail")
KEPT_STYLES = ("Footer", "FooterChar", "Header", "HeaderChar")


def _lean(doc: DocxDocument) -> None:
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
                del rels[rid]
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1" or sid in KEPT_STYLES}
    for sid in list(keep):  # and what they are based on
        while (based := by_id[sid].find(qn("w:basedOn"))) is not None and based.get(qn("w:val")) in by_id:
            sid = based.get(qn("w:val"))
            keep.add(sid)
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)

@functools.lru_cache(maxsize=1)
def _template() -> bytes:
    doc = Document()
    _lean(doc)
    return package_bytes(doc)

def new_document() -> DocxDocument:
    """python-docx's blank document without its unused parts, parsed from a lean copy made
    once (opening the full template for every document took a tenth of a build's Python time)."""
    return Document(io.BytesIO(_template()))

def _setup(doc: DocxDocument, layout: Layout) -> None:
    """Page, defaults, settings and properties of a document from new_document()."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    defaults = OxmlElement("w:docDefaults")
    rpr_default = OxmlElement("w:rPrDefault")
    rpr = _rpr(FANG, BODY_PT, spacing=None)
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    ppr_default = OxmlElement("w:pPrDefault")
    ppr = OxmlElement("w:pPr")
    ppr.append(_el("w:widowControl", val="0"))
    # no punctuation past the right edge (LibreOffice, which drops this on import, is told
    # by the worker): a closing mark takes the character before it to the next line (避头尾)
    ppr.append(_el("w:overflowPunct", val="0"))
    ppr.append(_el("w:spacing", before="0", after="0", line=str(LINE), lineRule="exact"))
    ppr.append(_el("w:jc", val="both"))
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    styles.insert(0, defaults)
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:rPr"), qn("w:pPr")):
            normal.remove(child)
    normal_ppr = OxmlElement("w:pPr")
    normal_ppr.append(_el("w:widowControl", val="0"))  # LibreOffice reads it from the style
    normal.append(normal_ppr)

    settings = doc.settings.element
    doc.settings.odd_and_even_pages_header_footer = True  # python-docx puts it in schema order
    _set(settings, _el("w:characterSpacingControl", val="doNotCompress"), SETTINGS_ORDER)

    props = doc.core_properties
    stamp = datetime(int(layout.date[:4]), 1, 1)
    # core properties hold at most 255 characters (validation keeps titles far shorter; this
    # only guards the metadata, never the page)
    props.title = layout.title[:255]
    props.author = layout.author[:255]
    props.last_modified_by = layout.author[:255]
    props.subject = layout.subject[:255]
    props.keywords = "公文; GB/T 9704-2012"
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp

    _page(doc.sections[0])


ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _FixedTimeZip:
    """python-docx's physical package writer, with fixed timestamps and file modes."""

    def __init__(self, stream: io.BytesIO):
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, name: PackURI, blob: bytes) -> None:
        info = zipfile.ZipInfo(name.membername, ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()

def package_bytes(doc: DocxDocument) -> bytes:
    """The DOCX package written once, deterministically (python-docx's own save stamps the
    current time on every part; re-zipping its output cost a second compression)."""
    from docx.opc.pkgwriter import PackageWriter
    package = doc.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    steps: Any = PackageWriter  # python-docx's own (untyped) writing steps, fed our zip writer
    steps._write_content_types_stream(writer, parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, parts)
    writer.close()
    return out.getvalue()

def deterministic_zip(data: bytes) -> bytes:
    """Same parts, same order, fixed timestamps: identical input gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _fix_last_paragraph(doc: DocxDocument) -> None:
    """A document ending in a table needs a final paragraph; hide it so it adds no page."""
    body = doc.element.body
    last = [c for c in body if c.tag != qn("w:sectPr")][-1]
    if last.tag == qn("w:tbl"):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(_el("w:snapToGrid", val="0"))  # else the line grid gives it a whole line
        ppr.append(_el("w:spacing", before="0", after="0", line="20", lineRule="exact"))
        rpr = OxmlElement("w:rPr")
        rpr.append(_el("w:vanish"))
        rpr.append(_el("w:sz", val="2"))
        ppr.append(rpr)
        p.append(ppr)
        last.addnext(p)
