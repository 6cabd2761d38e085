"""Is this DOCX package valid for Word?

LibreOffice opens almost anything; Word refuses a DOCX, or offers to "repair" it (reporting
"unreadable content"), when a part breaks the ISO/IEC 29500 transitional schemas — children
out of schema order, a duplicate or unknown element — or when the package is inconsistent:
a part without a content type, a relationship to a missing part, an r:id that names no
relationship. So this module reads a package the way Word does and names every such problem:

1. package: [Content_Types].xml, a content type for every part, relationships parts
   well-formed, no internal relationship target missing, every r:id/r:embed resolvable;
2. each XML part, after Markup Compatibility processing (ECMA-376 Part 3: content in
   mc:Ignorable namespaces dropped, mc:AlternateContent resolved to its first understood
   mc:Choice or its mc:Fallback; mc:ProcessContent is not supported), validated against the
   schemas in schema/ooxml/. "Understood" means a namespace the schemas define: Word knows
   more (w14, wps …), so what it reads from a Choice we read from the Fallback, as Word 2007 would.

The schemas are compiled once per process, on first use: one schema set that imports them all.
"""

from __future__ import annotations

import contextlib
import functools
import io
import posixpath
import re
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema" / "ooxml"

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = "[Content_Types].xml"

# Namespace → the prefix a finding shows instead of the {namespace} lxml reports.
PREFIXES = {
    W: "w", R: "r", MC: "mc", CT: "ct", REL: "rel", "http://www.w3.org/XML/1998/namespace": "xml",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "ep",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "vt",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "urn:schemas-microsoft-com:vml": "v",
    "urn:schemas-microsoft-com:office:office": "o",
    "urn:schemas-microsoft-com:office:word": "w10",
}

# The top-level schemas, each imported with its namespace into one schema set. xml.xsd comes
# first: wml.xsd imports the xml namespace without a schemaLocation, which only works when
# the namespace is already known.
ROOTS = (
    ("http://www.w3.org/XML/1998/namespace", "xml.xsd"),
    (W, "iso29500-2008-transitional/wml.xsd"),
    ("urn:schemas-microsoft-com:vml", "iso29500-2008-transitional/vml-main.xsd"),
    ("urn:schemas-microsoft-com:office:office", "iso29500-2008-transitional/vml-officeDrawing.xsd"),
    ("urn:schemas-microsoft-com:office:word", "iso29500-2008-transitional/vml-wordprocessingDrawing.xsd"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     "iso29500-2008-transitional/shared-documentPropertiesExtended.xsd"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
     "iso29500-2008-transitional/shared-documentPropertiesCustom.xsd"),
    ("http://schemas.openxmlformats.org/package/2006/metadata/core-properties", "opc-ecma4/opc-coreProperties.xsd"),
    (CT, "opc-ecma4/opc-contentTypes.xsd"),
    (REL, "opc-ecma4/opc-relationships.xsd"),
)

# python-docx's own template (as Word wrote it) has <w:zoom w:val="bestFit"/> without the
# w:percent the schema requires; Word reads it without complaint, so it is not a finding.
TOLERATED = re.compile(r"Element 'w:zoom': The attribute 'w:percent' is required but missing")


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]  # lxml is untyped here
    """Every schema by its file name from SCHEMA_DIR: the schemas import each other by
    relative names and by http:// addresses (Dublin Core, xml.xsd); nothing is fetched."""

    def __init__(self, files: dict[str, Path]):
        super().__init__()
        self.files = files

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        path = self.files.get(system_url.rsplit("/", 1)[-1])
        return self.resolve_filename(str(path), context) if path else None


_LOCK = threading.Lock()  # one compile; one validation at a time (a validator keeps its error log)


def warm() -> None:
    """Compile the schemas now, before a build starts its threads (see _schema)."""
    with _LOCK:
        _schema()


@functools.lru_cache(maxsize=1)
def _schema() -> tuple[etree.XMLSchema, frozenset[str]]:
    """The compiled schema set and the namespaces it understands (for Markup Compatibility)."""
    files = {p.name: p for p in SCHEMA_DIR.rglob("*.xsd")}
    imports = "".join(f'<xsd:import namespace="{ns}" schemaLocation="{path}"/>' for ns, path in ROOTS)
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas(files))
    doc = etree.fromstring(wrapper.encode(), parser, base_url=(SCHEMA_DIR / "fawen.xsd").as_uri())
    understood = set()
    for path in files.values():
        for _event, root in etree.iterparse(str(path), events=("start",)):
            understood.add(root.get("targetNamespace") or "(none)")
            break
    # Compiled in the schema checker's thread while other threads parsed XML, the Dublin Core
    # import once in a while failed to resolve (XMLSchemaParseError on dcterms:created): builds
    # compile before they start threads (warm), and a failed compile is tried again.
    for _ in range(2):
        with contextlib.suppress(etree.XMLSchemaParseError):
            return etree.XMLSchema(doc), frozenset(understood)
    return etree.XMLSchema(doc), frozenset(understood)  # the third failure is raised


def _short(text: str) -> str:
    """'{namespace}name' → 'prefix:name' in a schema message."""
    def prefix(m: re.Match[str]) -> str:
        return f"{PREFIXES[m.group(1)]}:" if m.group(1) in PREFIXES else m.group(0)

    return re.sub(r"\{([^}]*)\}", prefix, text)


# ---------------------------------------------------------------- Markup Compatibility

def _prefixes(el: etree._Element, attr: str) -> list[str | None]:
    """The namespaces an attribute names by prefix ("w14 wp14"), resolved in scope."""
    return [el.nsmap.get(p) for p in (el.get(attr) or "").split()]


def _compatible(el: etree._Element, understood: frozenset[str], ignorable: frozenset[str],
                findings: list[str], part: str) -> None:
    """Apply Markup Compatibility below `el` in place, as a consumer knowing `understood`."""
    ignorable = ignorable | {ns for ns in _prefixes(el, f"{{{MC}}}Ignorable") if ns and ns not in understood}
    for ns in _prefixes(el, f"{{{MC}}}MustUnderstand"):
        if ns not in understood:
            findings.append(f"{part}: mc:MustUnderstand names {ns}, which no schema covers (package)")
    for name in list(el.attrib):
        ns = etree.QName(name).namespace
        if ns == MC or ns in ignorable:
            del el.attrib[name]
    for child in list(el):
        if isinstance(child.tag, str):
            _child(el, child, understood, ignorable, findings, part)


def _child(parent: etree._Element, child: etree._Element, understood: frozenset[str], ignorable: frozenset[str],
           findings: list[str], part: str) -> None:
    """An mc:AlternateContent becomes its first mc:Choice whose Requires are all understood, or
    its mc:Fallback, or nothing; an element of an ignorable namespace goes; others are walked."""
    if child.tag == f"{{{MC}}}AlternateContent":
        chosen = next((c for c in child if c.tag == f"{{{MC}}}Choice"
                       and all(n in understood for n in _prefixes(c, "Requires"))), None)
        if chosen is None:
            chosen = child.find(f"{{{MC}}}Fallback")
        for taken in list(chosen) if chosen is not None else []:
            child.addprevious(taken)
            if isinstance(taken.tag, str):
                _child(parent, taken, understood, ignorable, findings, part)
        parent.remove(child)
    elif etree.QName(child).namespace in ignorable:
        parent.remove(child)
    else:
        _compatible(child, understood, ignorable, findings, part)


# ---------------------------------------------------------------- the package

def _rels_of(name: str) -> str:
    """The relationships part of a part: word/document.xml → word/_rels/document.xml.rels."""
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


def _source_of(rels: str) -> str:
    """The part a relationships part belongs to ("" for the package's own _rels/.rels)."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def _content_types(package: zipfile.ZipFile, names: list[str], findings: list[str]) -> dict[str, str]:
    """Each part's content type by its name; a finding for every part without one."""
    try:
        types = etree.fromstring(package.read(CONTENT_TYPES))
    except KeyError:
        findings.append(f"{CONTENT_TYPES} is missing: no part has a content type (package)")
        return {}
    except etree.XMLSyntaxError as exc:
        findings.append(f"{CONTENT_TYPES}: not well-formed XML: {exc} (package)")
        return {}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in types.iter(f"{{{CT}}}Override")}
    found = {}
    for name in names:
        kind = overrides.get("/" + name.lower()) or defaults.get(name.rsplit(".", 1)[-1].lower())
        if kind:
            found[name] = kind
        else:
            findings.append(f"{name}: no content type (no Default for its extension, no Override) (package)")
    for part_name in overrides:
        if part_name[1:] not in {n.lower() for n in names}:
            findings.append(f"{CONTENT_TYPES}: Override for {part_name}, which is not in the package (package)")
    return found


def _relationships(package: zipfile.ZipFile, names: list[str], findings: list[str]) -> dict[str, set[str]]:
    """Relationship ids by source part; a finding for each dangling internal target."""
    present = {n.lower() for n in names}
    ids: dict[str, set[str]] = {}
    for rels in (n for n in names if n.endswith(".rels")):
        source = _source_of(rels)
        if source and source.lower() not in present:
            findings.append(f"{rels}: relationships of {source}, which is not in the package (package)")
        try:
            root = etree.fromstring(package.read(rels))
        except etree.XMLSyntaxError as exc:
            findings.append(f"{rels}: not well-formed XML: {exc} (package)")
            continue
        ids[source] = set()
        for rel in root.iter(f"{{{REL}}}Relationship"):
            ids[source].add(rel.get("Id", ""))
            target = unquote((rel.get("Target") or "").split("#", 1)[0])
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                      else posixpath.join(posixpath.dirname(source), target))
            if path.lower() not in present:
                findings.append(f"{rels}: relationship {rel.get('Id')} ({rel.get('Type', '').rsplit('/', 1)[-1]}) "
                                f"targets {path}, which is not in the package (package)")
    return ids


def _references(part: str, root: etree._Element, ids: set[str], findings: list[str]) -> None:
    """Every r:id, r:embed, r:link … in a part must name one of its relationships."""
    missing = sorted({value for el in root.iter() if isinstance(el.tag, str)
                      for name, value in el.attrib.items()
                      if etree.QName(name).namespace == R and value not in ids})
    for value in missing:
        findings.append(f"{part}: refers to relationship {value}, which {_rels_of(part)} does not define (package)")


def _validate_part(part: str, blob: bytes, ids: set[str], findings: list[str]) -> None:
    try:
        root = etree.fromstring(blob, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        findings.append(f"{part}: not well-formed XML: {exc} (package)")
        return
    if not part.endswith(".rels") and part != CONTENT_TYPES:
        _references(part, root, ids, findings)
    with _LOCK:
        schema, understood = _schema()
    if etree.QName(root).namespace not in understood:
        if not part.startswith("customXml/"):  # custom XML data is the author's own vocabulary
            findings.append(f"{part}: no schema for its root element {_short(root.tag)} (schema)")
        return
    _compatible(root, understood, frozenset(), findings, part)
    with _LOCK:
        valid = schema.validate(root)
        log = list(schema.error_log)
    if valid:
        return
    for entry in log:
        message = _short(entry.message)
        if TOLERATED.search(message):
            continue
        where = f" {_short(entry.path)}" if entry.path else ""
        findings.append(f"{part} line {entry.line}{where}: {message} (schema)")


def validate_docx(data: bytes) -> list[str]:
    """Findings that would make Word refuse or repair this package, each naming the part and
    the problem; [] for a package Word opens cleanly."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [f"not a ZIP package: {exc}"]
    names = [n for n in package.namelist() if not n.endswith("/")]
    findings: list[str] = []
    types = _content_types(package, [n for n in names if n != CONTENT_TYPES], findings)
    ids = _relationships(package, names, findings)
    for name in names:
        kind = "application/xml" if name == CONTENT_TYPES else types.get(name, "")
        if kind.endswith("xml") or name.endswith((".xml", ".rels")):
            _validate_part(name, package.read(name), ids.get(name, set()), findings)
    return findings
