"""Finish a PDF from LibreOffice: fixed dates and /ID, metadata set with pypdf.

LibreOffice stamps the conversion time, a random /ID and /DocChecksum, and font subset
names that depend on what its process converted before into every PDF; replacing them
with values derived from the document (its date, or SOURCE_DATE_EPOCH) makes the same
input give the same bytes.

Fast path (TrueType fonts, the stand-ins fawen installs): those values are patched in
place, byte for byte the same length, and the metadata (pypdf objects) is appended as an
incremental update, so the file is not parsed and written again (that took most of a
build's Python time). A PDF with Type 1 fonts (a CFF font given with --fonts) is rewritten
whole, since its font programs need re-encrypting.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, create_string_object

from . import settings
from .layout import Layout


def _pdf_date(layout: Layout) -> str:
    epoch = settings.source_date_epoch()
    if epoch is not None:
        moment = datetime.fromtimestamp(epoch, tz=UTC)
    else:
        year, rest = layout.date.split("年")
        month, rest = rest.split("月")
        moment = datetime(int(year), int(month), int(rest.rstrip("日")), tzinfo=UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


_SUBSET = re.compile(r"^/?[A-Z]{6}\+")


def _subset_tags(writer: PdfWriter) -> None:
    """LibreOffice names font subsets AAAAAA+, BAAAAA+ … in the order a worker process met
    them, so the same document converted after another one gets other names. Give each
    subset a tag derived from its font name and order of appearance in this document."""
    seen: dict[str, str] = {}
    done: set[int] = set()  # font dictionaries already fixed (pages share them)

    def tag(name: str) -> str:
        old = name.lstrip("/")
        if old not in seen:
            base = _SUBSET.sub("", old)
            digest = hashlib.sha256(f"{len(seen)}:{base}".encode()).digest()
            seen[old] = "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + base
        return "/" + seen[old]

    def fix(font: Any) -> None:
        font = font.get_object()
        if id(font) in done:
            return
        done.add(id(font))
        descriptor = font.get("/FontDescriptor")
        for key, holder in (("/BaseFont", font), ("/FontName", descriptor)):
            holder = holder.get_object() if holder is not None else None
            if holder is not None and key in holder and _SUBSET.match(str(holder[key])):
                old = str(holder[key]).lstrip("/")
                holder[NameObject(key)] = NameObject(tag(old))
                if key == "/FontName":  # the embedded program names itself too
                    for file_key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if file_key in holder:
                            stream = holder[file_key].get_object()
                            data = stream.get_data().replace(old.encode("latin-1"), seen[old].encode("latin-1"))
                            if file_key == "/FontFile" and "/Length1" in stream:
                                data = _type1_stable(data, int(stream["/Length1"]), int(stream["/Length2"]),
                                                     seen[old])
                            stream.set_data(data)
        for child in font.get("/DescendantFonts", []) or []:
            fix(child)

    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font") if page.get("/Resources") else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            fix(ref)


_UNIQUE_ID = re.compile(rb"/UniqueID (\d+) def")


def _eexec(data: bytes, encrypt: bool) -> bytes:
    """Type 1 eexec cipher (Adobe Type 1 Font Format, 7.1)."""
    r, out = 55665, bytearray()
    for byte in data:
        value = byte ^ (r >> 8)
        cipher = value if encrypt else byte
        out.append(value)
        r = ((cipher + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


def _type1_stable(data: bytes, clear: int, encrypted: int, name: str) -> bytes:
    """A Type 1 subset from LibreOffice carries a per-process /UniqueID and four random
    bytes at the start of its encrypted part; replace both by values derived from the
    subset's own name (same lengths, so /Length1 and /Length2 stay right)."""
    def unique(m: re.Match[bytes]) -> bytes:
        digits = len(m.group(1))
        value = int(hashlib.sha256(name.encode()).hexdigest(), 16) % (10 ** digits)
        return b"/UniqueID " + str(value).rjust(digits, "1").encode() + b" def"

    head, body, tail = data[:clear], data[clear:clear + encrypted], data[clear + encrypted:]
    plain = _eexec(body, encrypt=False)
    plain = b"fawn" + _UNIQUE_ID.sub(unique, plain[4:])
    return _UNIQUE_ID.sub(unique, head) + _eexec(plain, encrypt=True) + tail


def _metadata(layout: Layout, stamp: str) -> dict[str, str]:
    return {
        "/Title": layout.title,
        "/Author": layout.author,
        "/Subject": layout.subject,
        "/Keywords": "公文; GB/T 9704-2012",
        "/Creator": "fawen",
        "/Producer": "fawen (LibreOffice, pypdf)",
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }


_TYPE1 = re.compile(rb"/FontFile[^23]")
_TAGGED = re.compile(rb"(/(?:BaseFont|FontName)\s*/)([A-Z]{6})\+([^\s/<>\[\]()]+)")
_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})")
# the last trailer of a classic cross-reference table, as LibreOffice writes it
_TRAILER = re.compile(rb"trailer\s*<<(?P<dict>(?:(?!>>\s*startxref).)*)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$",
                      re.S)


def finish(pdf: bytes, layout: Layout) -> bytes:
    """The PDF with stable bytes and fawen's metadata."""
    trailer = _TRAILER.search(pdf[-4096:])
    if _TYPE1.search(pdf) or not _ID.search(pdf) or trailer is None or b"/Metadata" in pdf:
        return _rewrite(pdf, layout)
    size = re.search(rb"/Size\s+(\d+)", trailer["dict"])
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer["dict"])
    if size is None or root is None:
        return _rewrite(pdf, layout)
    stamp = _pdf_date(layout)
    names: dict[bytes, bytes] = {}

    def tag(m: re.Match[bytes]) -> bytes:
        old = m.group(2) + b"+" + m.group(3)
        if old not in names:
            digest = hashlib.sha256(f"{len(names)}:{m.group(3).decode('latin-1')}".encode()).digest()
            names[old] = bytes(65 + b % 26 for b in digest[:6])
        return m.group(1) + names[old] + b"+" + m.group(3)

    data = _TAGGED.sub(tag, pdf)
    data = _DATE.sub(lambda m: m.group(1) + stamp[2:16].encode(), data)
    zero = b"0" * 32
    blank = _CHECKSUM.sub(b"/DocChecksum /" + zero, _ID.sub(b"/ID [<" + zero + b"><" + zero + b">]", data))
    digest = hashlib.md5(blank + layout.title.encode("utf-8")).digest()
    hexdigest = digest.hex().upper().encode()
    data = _ID.sub(lambda m: m.group(0).replace(m.group(1), hexdigest).replace(m.group(2), hexdigest), data)
    data = _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), hexdigest), data)
    assert len(data) == len(pdf)  # every offset in the cross-reference table still holds
    return data + _info_update(data, _metadata(layout, stamp), int(size[1]), root[1], int(trailer["xref"]),
                               hexdigest)


def _info_update(pdf: bytes, metadata: dict[str, str], size: int, root: bytes, prev: int, digest: bytes) -> bytes:
    """An incremental update (PDF 1.7, 7.5.6) that adds a new document information
    dictionary, written with pypdf's objects: appending it leaves every byte before it, and
    so the cross-reference table, as it was."""
    info = DictionaryObject({NameObject(k): create_string_object(v) for k, v in metadata.items()})
    body = io.BytesIO()
    info.write_to_stream(body)
    start = len(pdf) + 1
    obj = b"\n%d 0 obj\n" % size + body.getvalue() + b"\nendobj\n"
    xref = start - 1 + len(obj)
    # the free-list head first: a table that starts at object 0 is what every reader expects
    return (obj + b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (size, start)
            + b"trailer\n<</Size %d/Root %s/Info %d 0 R/ID [<%s><%s>]/Prev %d>>\n" % (size + 1, root, size, digest,
                                                                                        digest, prev)
            + b"startxref\n%d\n%%%%EOF\n" % xref)


def _rewrite(pdf: bytes, layout: Layout) -> bytes:
    """The slow path: parse the whole PDF, fix fonts and metadata, write it again."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    _subset_tags(writer)
    stamp = _pdf_date(layout)
    writer.metadata = None
    writer.add_metadata(_metadata(layout, stamp))
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
