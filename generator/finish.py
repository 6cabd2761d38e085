"""Finish a PDF from LibreOffice: fixed dates and /ID, metadata set with pypdf.

LibreOffice stamps the conversion time and a random /ID into every PDF; replacing them
with values derived from the document (its date, or SOURCE_DATE_EPOCH) makes the same
input give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import UTC, datetime

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject

from .layout import Layout


def _pdf_date(layout: Layout) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    else:
        year, rest = layout.date.split("年")
        month, rest = rest.split("月")
        moment = datetime(int(year), int(month), int(rest.rstrip("日")), tzinfo=UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def finish(pdf: bytes, layout: Layout) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    stamp = _pdf_date(layout)
    writer.metadata = None
    writer.add_metadata({
        "/Title": layout.title,
        "/Author": layout.author,
        "/Subject": layout.subject,
        "/Keywords": "公文; GB/T 9704-2012",
        "/Creator": "fawen",
        "/Producer": "fawen (LibreOffice, pypdf)",
        "/CreationDate": stamp,
        "/ModDate": stamp,
    })
    if NameObject("/Metadata") in writer._root_object:
        del writer._root_object[NameObject("/Metadata")]
    digest = hashlib.md5(pdf_content_key(reader).encode("utf-8") + layout.title.encode("utf-8")).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_content_key(reader: PdfReader) -> str:
    """A stable digest of the page content streams (not of the random parts)."""
    h = hashlib.sha256()
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            h.update(contents.get_data())
    return h.hexdigest()
