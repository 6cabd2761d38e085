"""发文字号 (document numbers) and 简报 issue lines: strict parse, one way to write them.

A document number is 机关代字 + 〔year〕 + sequence + 号, e.g. 枣高安发〔2020〕7号:
the year in full inside 六角括号, the sequence without 第 and without leading zeros.
Common mistakes are recognised so the error can show the corrected form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class DocNumber:
    code: str   # 机关代字, e.g. 枣高安发
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"


class NumberFormatError(ValueError):
    """A number written in a form the standard does not allow; `suggestion` is the fix."""

    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.suggestion = suggestion


_STRICT = re.compile(r"(?P<code>[^\s〔〕\[\]()（）【】]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号")
_LENIENT = re.compile(
    r"\s*(?P<code>[^\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【［]\s*(?P<year>\d{2,4})\s*[〕\])）】］]"
    r"\s*第?\s*(?P<seq>\d+)\s*号?\s*"
)


def parse_doc_number(text: str) -> DocNumber:
    """Read a 发文字号; anything but the standard form raises with the corrected form."""
    if m := _STRICT.fullmatch(text):
        return DocNumber(m["code"], int(m["year"]), int(m["seq"]))
    if m := _LENIENT.fullmatch(text):
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
        total = int(m["total"]) if m["total"] else None
        return IssueNumber(int(m["year"]), int(m["issue"]), total)
    if m := _ISSUE_LENIENT.fullmatch(text):
        total = int(m["total"]) if m["total"] else None
        fixed = IssueNumber(int(m["year"]), int(m["issue"]), total)
        if fixed.issue > 0 and (total is None or total > 0):
            raise NumberFormatError(f"issue line '{text}' is not in the standard form", str(fixed))
    raise NumberFormatError(f"'{text}' is not an issue line", "2021年第23期（总第101期）")
