"""Helpers every validate_* module shares: a problem at a YAML place, a near name, duplicates.

They sit apart from validate.py so the rule modules can use them without importing the
entry point that imports them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import Problem
from .load import Index, Loc


def at(index: Index, loc: Loc, message: str, hint: str = "", key: bool = False) -> Problem:
    """A problem at the value written at `loc` (or at its key, for a key that should not be there)."""
    return Problem(index.key(loc) if key else index.value(loc), message, hint)


def suggest(value: str, choices: Iterable[str]) -> str:
    """“did you mean …?” when a known name is close enough to a mistyped one, else nothing."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else ""


def unique(items: Iterable[tuple[str, Index, Loc]], what: str, hint: str = "") -> list[Problem]:
    """Each value seen before, pointed at the first use (its line, or its file:line in another file)."""
    seen: dict[str, tuple[Index, Loc]] = {}
    problems = []
    for value, index, loc in items:
        if value in seen:
            first = seen[value][0].value(seen[value][1])
            where = f"line {first.line}" if first.path == index.value(loc).path else str(first)
            problems.append(at(index, loc, f"duplicate {what} '{value}' (first used at {where})",
                               hint or f"give each {what.rsplit(' ', 1)[0]} its own id"))
        else:
            seen[value] = (index, loc)
    return problems
