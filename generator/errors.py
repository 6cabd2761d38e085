"""Every failure a user can cause or meet, as a value that knows where it happened.

User mistakes never surface as tracebacks: the CLI prints `str(error)` and exits 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what a message must never carry raw: C0/C1 controls (terminal escapes among them) but the
# newline, DEL, bidi overrides that reorder what a reader sees, and lone surrogates (which
# cannot even be encoded for the terminal)
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control character, bidi override and lone surrogate shown as an
    escape (\\x1b, \\u202e, \\ud800): a plan's value can never drive the terminal."""
    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file; line and column count from 1."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One finding: where, what is wrong, and how to fix it."""

    position: Position
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.position}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return printable(text)

    def sort_key(self) -> tuple[str, int, int, str]:
        p = self.position
        return (p.path, p.line, p.column, self.message)


class FawenError(Exception):
    """Base of all errors fawen reports to a user without a traceback."""


class PlanError(FawenError):
    """One or more problems in plan sources, collected before anything is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConvertError(FawenError):
    """LibreOffice failed, hung or produced no PDF for a document."""


class RenderError(FawenError):
    """A document could not be rendered (template error, missing font, bad value)."""


class UsageError(FawenError):
    """The command line asked for something that cannot be done."""


class OutputError(FawenError):
    """An output file or directory cannot be written (read-only, a file in the way, disk full)."""
