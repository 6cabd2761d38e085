"""A figure as documents print it: an exact decimal, rounded once half up to its declared
places, with its unit; 同比/环比 in the words documents use; comparable in a text's {% if %},
never calculated with there (a new figure is declared in the plan, so it is computed once)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
NONE_TEXT = "—"


_QUANTUM = {n: Decimal(1).scaleb(-n) for n in range(7)}


def round_half_up(number: Decimal, decimals: int) -> Decimal:
    """四舍五入 to `decimals` places (Python's round() would round half to even)."""
    return number.quantize(_QUANTUM.get(decimals) or Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as an exact percentage; None when whole is 0."""
    return None if whole == 0 else part * HUNDRED / whole


@dataclass(frozen=True)
class Value:
    """A number as documents print it: `text` is rounded and carries its unit."""

    number: Decimal | None
    text: str
    unit: str = ""
    decimals: int = 0

    def __str__(self) -> str:
        return self.text

    @property
    def rounded(self) -> Decimal | None:
        return None if self.number is None else round_half_up(self.number, self.decimals)

    @property
    def plain(self) -> str:
        """The rounded number without its unit ("86.2"), or — when there is none."""
        return NONE_TEXT if self.rounded is None else str(self.rounded)

    # A text may compare a figure ({% if 事故起数 > 0 %}), as printed (rounded); it may not
    # calculate with one: a new figure is declared in the plan, so that it is computed once.
    def _pair(self, other: object) -> tuple[Decimal, Decimal]:
        theirs = other.rounded if isinstance(other, Value) else \
            Decimal(str(other)) if isinstance(other, int | float | Decimal) and not isinstance(other, bool) else None
        if self.rounded is None or theirs is None:
            raise FigureError(f"“{self.text}” cannot be compared with {other!r}")
        return self.rounded, theirs

    def __lt__(self, other: object) -> bool:
        a, b = self._pair(other)
        return a < b

    def __le__(self, other: object) -> bool:
        a, b = self._pair(other)
        return a <= b

    def __gt__(self, other: object) -> bool:
        a, b = self._pair(other)
        return a > b

    def __ge__(self, other: object) -> bool:
        a, b = self._pair(other)
        return a >= b


class FigureError(TypeError):
    """A figure used in a text as it cannot be: calculated with, or compared with a non-number."""


# what a text's {{ }} may do wrong beyond an unknown name: calculate with a figure (TypeError),
# divide by nothing, and the like; each becomes a located problem, never a traceback
CALCULATION_ERRORS = (TypeError, ValueError, ArithmeticError)


def calculation_message(exc: Exception) -> str:
    if isinstance(exc, FigureError):
        return str(exc)
    return ("a figure cannot be calculated with in a text (" + str(exc).split(":")[0] + "); "
            "declare the figure in the plan (figures:) and write its name")


def count_value(number: Decimal, unit: str, decimals: int) -> Value:
    return Value(number, f"{round_half_up(number, decimals)}{unit}", unit, decimals)


def percent_value(number: Decimal | None, decimals: int) -> Value:
    if number is None:
        return Value(None, NONE_TEXT, "%", decimals)
    return Value(number, f"{round_half_up(number, decimals)}%", "%", decimals)


@dataclass(frozen=True)
class Change(Value):
    """同比 or 环比: `text` is the wording (上升12.5%), `difference` the absolute change."""

    current: Value | None = None
    base: Value | None = None
    difference: str = ""


def change(current: Value, base: Value, decimals: int, zero_base: str) -> Change:
    """current against base: 上升/下降 x%, 持平, 基本持平, or `zero_base` (上年同期为0)."""
    cur, old = current.number or Decimal(0), base.number or Decimal(0)
    diff = cur - old
    amount = round_half_up(abs(diff), current.decimals)
    difference = "持平" if diff == 0 else f"{'增加' if diff > 0 else '减少'}{amount}{current.unit}"
    pct = percent(diff, old)
    if diff == 0:
        text = "持平"
    elif pct is None:
        text = zero_base
    elif round_half_up(abs(pct), decimals) == 0:
        text = "基本持平"
    else:
        text = f"{'上升' if diff > 0 else '下降'}{round_half_up(abs(pct), decimals)}%"
    return Change(pct, text, "%", decimals, current, base, difference)
