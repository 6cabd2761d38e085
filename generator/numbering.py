"""发文字号 (document numbers) and 简报 issue lines: strict parse, one way to write them.

A document number is 机关代字 + 〔year〕 + sequence + 号, e.g. 枣高安发〔2020〕7号:
the year in full inside 六角括号, the sequence without 第 and without leading zeros.
Common mistakes are recognised so the error can show the corrected form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MIN_YEAR, MAX_YEAR = 1949, 2100  # the years a plan, a date or a number may name
MAX_SEQ_DIGITS = 6  # a 序号 or 期号 counts one organ's documents of a year: 999999 at most


@dataclass(frozen=True, order=True)
class DocNumber:
    code: str   # 机关代字, e.g. 枣高安发
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"


class NumberFormatError(ValueError):
    """A number written in a form the standard does not allow; `suggestion` is the fix."""

    def __init__(self, message: str, suggestion: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.suggestion = suggestion
        self.hint = hint  # how to fix it, when a corrected form cannot say it


def _plausible(text: str, year: str, *counts: tuple[str, str | None]) -> None:
    """Refuse a count of more than MAX_SEQ_DIGITS digits and a year out of range, before
    anything turns the digits into a number (a 40-digit 序号 is a typo, not a document)."""
    shown = text if len(text) <= 60 else text[:60] + "…"
    for what, digits in counts:
        if digits is not None and len(digits) > MAX_SEQ_DIGITS:
            raise NumberFormatError(f"{what} of {len(digits)} digits in '{shown}'",
                                    hint=f"a {what} has at most {MAX_SEQ_DIGITS} digits: check the number")
    if len(year) == 4 and not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise NumberFormatError(f"year {year} in '{text}' is out of range ({MIN_YEAR} to {MAX_YEAR})",
                                hint="check the year")


_STRICT = re.compile(r"(?P<code>[^\s〔〕\[\]()（）【】]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号")
_LENIENT = re.compile(
    r"\s*(?P<code>[^\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【［]\s*(?P<year>\d{2,4})\s*[〕\])）】］]"
    r"\s*第?\s*(?P<seq>\d+)\s*号?\s*"
)


def parse_doc_number(text: str) -> DocNumber:
    """Read a 发文字号; anything but the standard form raises with the corrected form."""
    if m := _STRICT.fullmatch(text):
        _plausible(text, m["year"], ("序号", m["seq"]))
        return DocNumber(m["code"], int(m["year"]), int(m["seq"]))
    if m := _LENIENT.fullmatch(text):
        _plausible(text, m["year"], ("序号", m["seq"]))
        year = int(m["year"])
        seq = int(m["seq"])
        if len(m["year"]) == 4 and seq > 0:
            fixed = DocNumber(m["code"], year, seq)
            raise NumberFormatError(
                f"document number '{text}' is not in the standard form", str(fixed))
        if len(m["year"]) != 4:
            raise NumberFormatError(
                f"document number '{text}' must give the year in full (4 digits)",
                f"{m['code']}〔20{m['year'][-2:]}〕{seq}号" if seq else None)
    raise NumberFormatError(
        f"'{text}' is not a document number", "机关代字〔年份〕序号号, e.g. 枣高安发〔2020〕7号")


@dataclass(frozen=True, order=True)
class IssueNumber:
    """简报 issue line: 2021年第23期（总第101期）."""

    year: int
    issue: int
    total: int | None = None

    def __str__(self) -> str:
        head = f"{self.year}年第{self.issue}期"
        return f"{head}（总第{self.total}期）" if self.total is not None else head


_ISSUE = re.compile(r"(?P<year>\d{4})年第(?P<issue>[1-9]\d*)期(?:（总第(?P<total>[1-9]\d*)期）)?")
_ISSUE_LENIENT = re.compile(
    r"\s*(?P<year>\d{4})\s*年\s*第?\s*(?P<issue>\d+)\s*期\s*"
    r"(?:[（(]\s*总\s*第?\s*(?P<total>\d+)\s*期\s*[）)])?\s*")


def parse_issue_number(text: str) -> IssueNumber:
    if m := _ISSUE.fullmatch(text):
        _plausible(text, m["year"], ("期号", m["issue"]), ("期号", m["total"]))
        total = int(m["total"]) if m["total"] else None
        return IssueNumber(int(m["year"]), int(m["issue"]), total)
    if m := _ISSUE_LENIENT.fullmatch(text):
        _plausible(text, m["year"], ("期号", m["issue"]), ("期号", m["total"]))
        total = int(m["total"]) if m["total"] else None
        fixed = IssueNumber(int(m["year"]), int(m["issue"]), total)
        if fixed.issue > 0 and (total is None or total > 0):
            raise NumberFormatError(f"issue line '{text}' is not in the standard form", str(fixed))
    raise NumberFormatError(f"'{text}' is not an issue line", "2021年第23期（总第101期）")


# ---------------------------------------------------------------- the registry

@dataclass(frozen=True)
class Entry:
    """One number in the registry: declared by a plan's document or recorded in the ledger."""

    number: DocNumber
    status: str          # declared (by a plan) | issued | voided | reserved (ledger)
    where: str           # plan-id/document-id, or "ledger"
    title: str
    date: str            # ISO date, "" when unknown


@dataclass(frozen=True)
class Issue:
    """One issue of a bulletin series."""

    series: str
    number: IssueNumber
    where: str
    date: str


def next_number(entries: list[Entry], code: str, year: int) -> DocNumber:
    """The next free number: one past the highest used, declared, voided or reserved.

    Gaps are not filled: a skipped number may be in use outside fawen; record it in the
    ledger (issued or voided) to close the gap.
    """
    used = [e.number.seq for e in entries if e.number.code == code and e.number.year == year]
    return DocNumber(code, year, max(used, default=0) + 1)


def gaps(entries: list[Entry]) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """Missing sequence numbers per (code, year), from 1 to the highest used, as ranges
    (first, last): the cost grows with the numbers used, never with their size."""
    seen: dict[tuple[str, int], set[int]] = {}
    for e in entries:
        seen.setdefault((e.number.code, e.number.year), set()).add(e.number.seq)
    out = {}
    for key, seqs in sorted(seen.items()):
        missing = []
        expected = 1
        for n in sorted(seqs):
            if n > expected:
                missing.append((expected, n - 1))
            expected = n + 1
        if missing:
            out[key] = missing
    return out


def compact(ranges: Iterable[tuple[int, int]], limit: int = 10) -> str:
    """[(1, 3), (5, 5)] → '1-3, 5'; past `limit` ranges, how many more there are."""
    ranges = sorted(ranges)
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in ranges[:limit]]
    if len(ranges) > limit:
        parts.append(f"… ({len(ranges) - limit} more ranges)")
    return ", ".join(parts)


def series_problems(issues: list[Issue]) -> list[tuple[Issue, str, str]]:
    """Continuity of one bulletin series: (issue, severity, message) for each break.

    Within a year issues count 1, 2, 3 …; the running total (总第N期) goes on across years.
    A repeated issue or a total that disagrees with the issue count is an error; a
    missing issue (not recorded anywhere) is a warning.
    """
    out: list[tuple[Issue, str, str]] = []
    ordered = sorted(issues, key=lambda i: (i.number.year, i.number.issue))
    previous: Issue | None = None
    for item in ordered:
        n = item.number
        if previous is not None:
            p = previous.number
            if (p.year, p.issue) == (n.year, n.issue):
                out.append((item, "error", f"issue {n.year}年第{n.issue}期 appears twice (also {previous.where})"))
                continue
            expected_issue = p.issue + 1 if p.year == n.year else 1
            if n.issue != expected_issue:
                out.append((item, "warning", f"{n} follows {p}: issue {expected_issue} of {n.year} is missing"
                            if n.issue > expected_issue else f"{n} follows {p}"))
            if p.total is not None and n.total is not None:
                skipped = (n.issue - expected_issue) if n.issue > expected_issue else 0
                expected_total = p.total + 1 + skipped
                if n.total != expected_total and not (p.year != n.year and n.total > p.total):
                    out.append((item, "error", f"running total 总第{n.total}期 does not follow {p} "
                                f"(expected 总第{expected_total}期)"))
        elif n.issue != 1 and n.total is None:
            out.append((item, "warning", f"{n} is the first recorded issue of its series"))
        previous = item
    return out


def next_issue(issues: list[Issue], year: int) -> IssueNumber:
    """The issue after the last one recorded: 1 in a new year, the total always goes on."""
    if not issues:
        return IssueNumber(year, 1, 1)
    last = max(issues, key=lambda i: (i.number.year, i.number.issue)).number
    total = last.total + 1 if last.total is not None else None
    if last.year == year:
        return IssueNumber(year, last.issue + 1, total)
    if last.year > year:
        raise ValueError(f"the series already reached {last}")
    return IssueNumber(year, 1, total)
