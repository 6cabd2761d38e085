"""Numbers typed in a document's prose, checked against the counts beside them and the data.

Two rules (used by validate_progress for every text of every document):
- a rate typed next to the counts it is computed from must agree with them at the precision
  typed, rounded half up: “排查隐患407项，完成整改351项，整改率90.10%” is an error that
  names 86.24 % (351 / 407);
- in a document that declares `period:`, a rate or count the data gives is not typed at all:
  “整改率86.2%” must be written “整改率{{ 整改率 }}”.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .errors import Position, Problem
from .figures import percent, round_half_up
from .model import Plan

SENTENCE = re.compile(r"[^。；;！？!?\n]+")
UNITS = "万元|人次|家次|场次|项|次|起|人|户|家|个|处|元|份|条|件|辆|台|座|吨"
COUNT = re.compile(rf"(\d+(?:\.\d+)?)\s*({UNITS})")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
RATE_LABEL = re.compile(r"([\u4e00-\u9fff]{0,8}(?:率|占比|比例|比重))\s*(?:为|达到|达|是|：|:)?\s*$")
CHANGE_WORDS = re.compile("同比|环比|上升|下降|增长|减少|提高|降低|增加|较")

Where = Callable[[str], Position]


def _decimals(typed: str) -> int:
    return len(typed.split(".")[1]) if "." in typed else 0


def contradictions(text: str, plan: Plan, where: Where, has_period: bool) -> list[Problem]:
    """A typed rate that the counts before it in the same sentence do not give."""
    out: list[Problem] = []
    declared = {f.name for f in plan.figures if f.kind in ("rate", "share")}
    for sentence in SENTENCE.finditer(text):
        s = sentence.group()
        counts = [(Decimal(m[1]), m[2], m.end()) for m in COUNT.finditer(s)]
        for m in PERCENT.finditer(s):
            before = [c for c in counts if c[2] <= m.start()]
            label_start = max((c[2] for c in before), default=0)
            label = s[label_start:m.start()]
            found = RATE_LABEL.search(label)
            if not found or CHANGE_WORDS.search(label) or len(before) < 2:
                continue
            name = found.group(1)
            if has_period and name in declared:
                continue  # typed_figures says: let the data give it
            typed = m.group(1)
            places = _decimals(typed)
            pairs = [(a, b) for i, a in enumerate(before) for b in before[i + 1:] if a[1] == b[1]]
            if not pairs:
                continue
            if any(_gives(a, b, places) == Decimal(typed) for a, b in pairs):
                continue
            a, b = _nearest(before)
            if a is None or b is None:
                continue
            right = _gives(a, b, places)
            part, whole = sorted((a, b), key=lambda c: c[0])
            hint = f"write {right}%"
            if name in declared:
                hint += f", or let the data give it: declare `period:` and write {{{{ {name} }}}}"
            out.append(Problem(where(m.group()), f"{name} typed as {typed}%, but {part[0]}{part[1]} of "
                               f"{whole[0]}{whole[1]} is {right}%", hint))
    return out


def _gives(a: tuple[Decimal, str, int], b: tuple[Decimal, str, int], places: int) -> Decimal | None:
    part, whole = sorted((a[0], b[0]))
    value = percent(part, whole)
    return None if value is None else round_half_up(value, places)


def _nearest(before: list[tuple[Decimal, str, int]]) -> tuple[Any, Any]:
    """The last two counts of one unit before the rate (its part and its whole)."""
    for k in range(len(before) - 1, 0, -1):
        for j in range(k - 1, -1, -1):
            if before[j][1] == before[k][1] and before[k][0] and before[j][0]:
                return before[j], before[k]
    return None, None


def typed_figures(text: str, plan: Plan, ctx: dict[str, Any], where: Where) -> list[Problem]:
    """In a document with a period: a declared rate, or an indicator's total, typed as a number."""
    out: list[Problem] = []
    for fig in plan.figures:
        if fig.kind not in ("rate", "share"):
            continue
        pattern = re.compile(rf"{re.escape(fig.name)}\s*(?:为|达到|达|是|：|:)?\s*(\d+(?:\.\d+)?)\s*[%％]")
        for m in pattern.finditer(text):
            out.append(Problem(where(m.group()), f"{fig.name} is typed as {m.group(1)}%; the data gives it",
                               f"write {{{{ {fig.name} }}}} (now {ctx.get(fig.name, '?')})"))
    for ind in plan.indicators:
        total, step = ctx.get(ind.name), ctx.get("本期", {}).get(ind.name)
        pattern = re.compile(rf"{re.escape(ind.name)}\s*(?:共|为|达到|达|总计|合计|累计)?\s*(\d+(?:\.\d+)?)\s*"
                             rf"{re.escape(ind.unit)}")
        for m in pattern.finditer(text):
            typed = Decimal(m.group(1))
            for value, ref in ((total, ind.name), (step, f"本期.{ind.name}")):
                if value is not None and value.number is not None and typed == value.rounded:
                    out.append(Problem(where(m.group()), f"{ind.name} {m.group(1)}{ind.unit} is typed; "
                                       "the data gives it", f"write {{{{ {ref} }}}} (now {value})"))
                    break
    return out


def free_name(name: str, taken: set[str]) -> str:
    """A figure name not yet taken, to suggest for a clash (never the clashing name itself):
    the name with the first of 2, 3, … that makes it new, e.g. 整改率 → 整改率2."""
    n = 2
    while f"{name}{n}" in taken:
        n += 1
    return f"{name}{n}"


def duplicate_hint(name: str, taken: set[str]) -> str:
    """The hint of a figure whose name is taken (by a figure, an indicator or a reserved name)."""
    return f"give each figure a name of its own, e.g. {free_name(name, taken)}"
