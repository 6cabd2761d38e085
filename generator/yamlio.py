"""Read YAML into a tree that remembers where every key and value stands.

Only the safe core of YAML is accepted: mappings, sequences and scalars. Every scalar
stays the text the user typed (YAML 1.1 would turn `no` into false, `0700` into 448 and
`3.10` into 3.1); the model decides what a text means and says so when it cannot.
Duplicate keys, anchors/aliases (the alias bomb), explicit tags, several documents,
non-UTF-8 bytes and control characters are refused with their position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import PlanError, Position, Problem

MAX_DEPTH = 64
NULL_WORDS = {"", "~", "null", "Null", "NULL"}
# C0 controls except tab/newline/CR, DEL, C1 controls, bidi overrides, and U+FFFD
# (the mark of text that was already mis-decoded once).
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffd\ufeff]"
)
# What a scalar may not hold once YAML has decoded its escapes ("\x1b", "\ud800"): the same,
# and CR, lone surrogates (which no file, XML part or terminal can encode) and U+FFFE/U+FFFF
# (not characters: XML refuses them). Tab and newline stay allowed.
_BAD_VALUE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffd\ufeff\ufffe\uffff]"
)
# escape sequences of a double-quoted scalar, in the order YAML reads them
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", "N": "\x85", "L": "\u2028", "P": "\u2029"}
_TOO_HIGH = re.compile(r"\\U([0-9A-Fa-f]{8})")


@dataclass
class Node:
    pos: Position


@dataclass
class Scalar(Node):
    value: str | None
    quoted: bool = False


@dataclass
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Map(Node):
    # key -> (position of the key, value node); insertion order is the file's order
    entries: dict[str, tuple[Position, Node]] = field(default_factory=dict)


def _position(path: str, text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return Position(path, line, index - start + 1)


def decode(path: str, data: bytes) -> str:
    """Bytes → text, strictly UTF-8 (a UTF-8 BOM is allowed and dropped)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanError([Problem(Position(path, 1, 1), "file is UTF-16, not UTF-8",
                                 "save it as UTF-8 (in most editors: Save with Encoding → UTF-8)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        pos = _position(path, good, len(good))
        raise PlanError([Problem(
            pos, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8; GBK/GB2312 files must be converted, e.g. iconv -f GBK -t UTF-8",
        )]) from None


def check_text(path: str, text: str) -> None:
    """Refuse control and invisible direction characters, all of them at once."""
    problems = []
    for m in _BAD_CHARS.finditer(text):
        ch = m.group()
        name = unicodedata.name(ch, "control character")
        problems.append(Problem(
            _position(path, text, m.start()),
            f"invalid character U+{ord(ch):04X} ({name})",
            "delete it; it is invisible or a sign of text copied with the wrong encoding",
        ))
    if problems:
        raise PlanError(problems)


def _describe(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return "a lone UTF-16 surrogate, not a character"
    if code in (0xFFFE, 0xFFFF):
        return "not a character"
    return unicodedata.name(ch, "control character")


def _unescape(escape: str) -> str:
    """The character of one double-quoted escape, without its backslash (x1b, ud800, e, n)."""
    if escape[0] in "xuU" and len(escape) > 1:
        return chr(int(escape[1:], 16))
    return _ESCAPED.get(escape, escape)


class _Builder:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.events = yaml.parse(text, Loader=yaml.SafeLoader)
        self.problems: list[Problem] = []

    def check_value(self, ev: yaml.ScalarEvent) -> None:
        """Refuse what escapes put into a value (control characters, lone surrogates …), at
        the escape that wrote it; raw ones were refused by check_text already."""
        if not _BAD_VALUE.search(ev.value):
            return
        found = len(self.problems)
        if ev.style == '"' and ev.start_mark is not None and ev.end_mark is not None:
            escapes = list(_ESCAPE.finditer(self.text, ev.start_mark.index, ev.end_mark.index))
            i = 0
            while i < len(escapes):
                m = escapes[i]
                ch = _unescape(m.group(1))
                pos = _position(self.path, self.text, m.start())
                after = escapes[i + 1] if i + 1 < len(escapes) and escapes[i + 1].start() == m.end() else None
                low = _unescape(after.group(1)) if after is not None else ""
                if "\ud800" <= ch <= "\udbff" and "\udc00" <= low <= "\udfff" and after is not None:
                    code = 0x10000 + ((ord(ch) - 0xD800) << 10) + (ord(low) - 0xDC00)
                    self.problems.append(Problem(
                        pos, f"the escapes {m.group()}{after.group()} are a UTF-16 surrogate pair, not a character",
                        f"YAML reads each \\u escape as a character of its own: write \\U{code:08X} "
                        "or the character itself"))
                    i += 2
                    continue
                if _BAD_VALUE.fullmatch(ch):
                    surrogate = "\ud800" <= ch <= "\udfff"
                    self.problems.append(Problem(
                        pos, f"invalid character U+{ord(ch):04X} ({_describe(ch)}) written as the escape {m.group()}",
                        "delete the escape, or write the character you meant itself" if surrogate else
                        "delete the escape: control characters and direction overrides have no place in a document"))
                i += 1
        if len(self.problems) == found:  # not from an escape: cannot happen, but never let it through
            bad = _BAD_VALUE.search(ev.value)
            assert bad is not None
            ch = bad.group()
            self.problems.append(Problem(self.pos(ev.start_mark),
                                         f"invalid character U+{ord(ch):04X} ({_describe(ch)}) in this value",
                                         "delete it"))

    def pos(self, mark: Any) -> Position:
        if mark is None:
            return Position(self.path, 1, 1)
        return Position(self.path, mark.line + 1, mark.column + 1)

    def fail(self, mark: Any, message: str, hint: str) -> PlanError:
        pos = self.pos(mark) if mark is not None else Position(self.path, 1, 1)
        return PlanError([Problem(pos, message, hint)])

    def next(self) -> yaml.Event:
        return next(self.events)

    def document(self) -> Node | None:
        ev = self.next()
        assert isinstance(ev, yaml.StreamStartEvent)
        ev = self.next()
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        assert isinstance(ev, yaml.DocumentStartEvent)
        root = self.node(self.next(), 0)
        self.next()  # DocumentEnd
        ev = self.next()
        if not isinstance(ev, yaml.StreamEndEvent):
            raise self.fail(ev.start_mark, "a second YAML document (---) in the same file",
                            "keep one document per file; split it into another file")
        return root

    def node(self, ev: yaml.Event, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(ev.start_mark, f"nested more than {MAX_DEPTH} levels deep",
                            "flatten the structure")
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            raise self.fail(ev.start_mark, "anchors and aliases (&name, *name) are not allowed",
                            "write the value out in full")
        tag = getattr(ev, "tag", None)
        if tag not in (None, "!"):
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(ev.start_mark, f"explicit YAML tag '{tag}' is not allowed",
                            "remove the tag; quote the value if it must stay text")
        if isinstance(ev, yaml.ScalarEvent):
            self.check_value(ev)
            quoted = ev.style not in (None, "")
            text = None if not quoted and ev.value in NULL_WORDS else ev.value
            return Scalar(self.pos(ev.start_mark), text, quoted)
        if isinstance(ev, yaml.SequenceStartEvent):
            seq = Seq(self.pos(ev.start_mark))
            while not isinstance(item := self.next(), yaml.SequenceEndEvent):
                seq.items.append(self.node(item, depth + 1))
            return seq
        assert isinstance(ev, yaml.MappingStartEvent)
        mapping = Map(self.pos(ev.start_mark))
        while not isinstance(kev := self.next(), yaml.MappingEndEvent):
            key = self.node(kev, depth + 1)
            value = self.node(self.next(), depth + 1)
            if not isinstance(key, Scalar) or key.value is None:
                raise self.fail(kev.start_mark, "a key must be a plain name",
                                "use a simple word such as `title:` as the key")
            if key.value == "<<" and not key.quoted:
                raise self.fail(kev.start_mark, "merge keys (<<) are not allowed",
                                "write the keys out in full")
            if key.value in mapping.entries:
                first = mapping.entries[key.value][0]
                self.problems.append(Problem(
                    key.pos, f"duplicate key '{key.value}' (first defined at line {first.line})",
                    "remove one of them; YAML would silently keep only the last",
                ))
                continue
            mapping.entries[key.value] = (key.pos, value)
        return mapping


def parse(path: str, text: str) -> Node | None:
    """Text → positioned tree; None for an empty file."""
    check_text(path, text)
    builder = _Builder(path, text)
    try:
        root = builder.document()
    except yaml.MarkedYAMLError as exc:
        problem = (exc.problem or "invalid YAML").strip()
        # an unclosed quote or bracket is reported where it starts, not at the end of the file
        starts_earlier = "end of stream" in problem and exc.context_mark is not None
        mark = exc.context_mark if starts_earlier else (exc.problem_mark or exc.context_mark)
        assert mark is not None
        context = f" {exc.context.strip()}" if exc.context else ""
        raise PlanError([Problem(
            Position(path, mark.line + 1, mark.column + 1),
            f"YAML syntax error: {problem}{context}",
            _syntax_hint(problem),
        )]) from None
    except yaml.YAMLError as exc:  # reader errors carry no mark in every version
        raise PlanError([Problem(Position(path, 1, 1), f"YAML error: {exc}", "fix the file")]) from None
    except ValueError:  # PyYAML's chr() on an escape past U+10FFFF ("\U00110000")
        high = next((m for m in _TOO_HIGH.finditer(text) if int(m.group(1), 16) > 0x10FFFF), None)
        where = _position(path, text, high.start()) if high else Position(path, 1, 1)
        escape = high.group() if high else "\\U…"
        raise PlanError([Problem(where, f"the escape {escape} is past the last Unicode character U+10FFFF",
                                 "write the character itself")]) from None
    if builder.problems:
        raise PlanError(builder.problems)
    return root


def _syntax_hint(problem: str) -> str:
    if "'\\t'" in problem or "tab" in problem:
        return "indent with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, or the indentation is off"
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs 'key: value'; check indentation"
    if "end of stream" in problem:
        return "close the quote or bracket that starts here"
    return "check the indentation and quoting at this place"


def read(path: Path, display: str | None = None) -> Node | None:
    """Read and parse one YAML file; errors carry `display` (or the path) as file name."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError([Problem(Position(name, 1, 1), f"cannot read file: {exc.strerror}",
                                 "check that the file exists and is readable")]) from None
    return parse(name, decode(name, data))
