"""The value types every model shares: text, titles, names, dates, deadlines, numbers, ids.

Models are frozen and forbid unknown keys. Scalars arrive as the text the user typed
(see yamlio); the types below decide what that text may mean and reject the rest with
a message that says how to write it. Titles and descriptions are Chinese so that the
JSON Schema shows editors the words used in documents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
)

from .. import deadlines
from ..numbering import (
    MAX_SEQ_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    DocNumber,
    IssueNumber,
    NumberFormatError,
    parse_doc_number,
    parse_issue_number,
)

MAX_TITLE = 100  # a 公文 title: a few lines of about 20 characters; also the document's metadata
MAX_NAME = 50    # an organ's full name (发文机关, a department): it goes into metadata and titles
MAX_ID = 64      # ids name output files (duties-<department id>.docx) and stay stable


class Invalid(ValueError):
    """A value the model refuses; `hint` says how to write it instead."""

    def __init__(self, message: str, hint: str = "", key: str | None = None):
        super().__init__(message)
        self.hint = hint
        self.key = key  # a key inside the value the mistake is at (a deadline's `from:`), for its place


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{clip(value)}'"


def clip(value: Any, width: int = 40) -> str:
    """A value as a message quotes it: a long one cut short."""
    text = str(value)
    return text if len(text) <= width else text[:width] + "…"


def _text(value: Any) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise Invalid("text is empty", "write the text, or remove the key")
        return value.strip()
    raise Invalid(f"expected text, found {_kind(value)}", "write a single line of text here")


def _limited(limit: int, what: str, hint: str) -> Any:
    def check(value: Any) -> str:
        text = _text(value)
        if len(text) > limit:
            raise Invalid(f"{what} is {len(text)} characters long (at most {limit})", hint)
        return text
    return check


_title = _limited(MAX_TITLE, "the title", "a 公文 title fits on a few lines: shorten it and say the rest in the text")
_name = _limited(MAX_NAME, "the name", "an organ's full name (全称) is a line at most: shorten it")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n", "true", "false"):
        raise Invalid(f"'{value}' is not true or false",
                      "write true or false (YAML 1.1 tools read yes/no/on/off differently)")
    raise Invalid(f"expected true or false, found {_kind(value)}", "write true or false")


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not (m := _ISO.fullmatch(value)):
        raise Invalid(f"expected a date as YYYY-MM-DD, found {_kind(value)}",
                      "write dates like 2020-06-23")
    y, mo, d = (int(g) for g in m.groups())
    _year_in_range(y, value)
    try:
        return date(y, mo, d)
    except ValueError:
        raise Invalid(f"{value} is not a real date", "check the month and day") from None


def _year_in_range(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"year {year} in '{clip(text)}' is out of range ({MIN_YEAR} to {MAX_YEAR})",
                      "check the year")


_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def _month_or_day(value: Any) -> str:
    if not isinstance(value, str) or not _MONTH_OR_DAY.fullmatch(value):
        raise Invalid(f"expected a month YYYY-MM or a date YYYY-MM-DD, found {_kind(value)}",
                      "write e.g. 2020-06 or 2020-06-23")
    mo = int(value[5:7])
    if not 1 <= mo <= 12:
        raise Invalid(f"{value}: month {mo} does not exist", "months run from 01 to 12")
    _year_in_range(int(value[:4]), value)
    if len(value) > 7:
        _iso_date(value)
    return value


def _deadline(value: Any) -> deadlines.Deadline:
    """Text as written, or {text, from, to, anchor}; read against the plan being validated."""
    if isinstance(value, deadlines.Deadline):
        return value
    if not isinstance(value, str | dict):
        raise Invalid(f"expected a deadline, found {_kind(value)}", f"write {deadlines.DEADLINE_FORMS}")
    try:
        deadline = deadlines.read_deadline(value)
    except deadlines.DeadlineError as exc:
        raise Invalid(str(exc), exc.hint or f"write {deadlines.DEADLINE_FORMS}", exc.key) from None
    for day in (deadline.first, deadline.due):
        if day is not None:
            _year_in_range(day.year, deadline.text)
    return deadline


def _doc_number(value: Any) -> DocNumber:
    if isinstance(value, DocNumber):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a document number, found {_kind(value)}",
                      "write e.g. 枣高安发〔2020〕7号")
    try:
        return parse_doc_number(value)
    except NumberFormatError as exc:
        hint = exc.hint or (f"write it as {exc.suggestion}" if exc.suggestion and "〔" in exc.suggestion[:-1]
                            and not exc.suggestion.startswith("机关代字") else f"the form is {exc.suggestion}")
        raise Invalid(str(exc), hint) from None


_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")


def _id(value: Any) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise Invalid(f"'{clip(value)}' is not a valid id" if isinstance(value, str)
                      else f"expected an id, found {_kind(value)}",
                      "ids use lowercase ASCII letters, digits, '-', '_' and '.', e.g. hazchem-2")
    return _short_id(value)


def _short_id(value: str) -> str:
    if len(value) > MAX_ID:
        raise Invalid(f"id '{clip(value)}' is {len(value)} characters long (at most {MAX_ID})",
                      "ids name output files and stay stable: shorten it, e.g. hazchem-2")
    return value


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise Invalid(f"'{clip(value)}' is not a valid id for a file name" if isinstance(value, str)
                      else f"expected an id, found {_kind(value)}",
                      "use lowercase ASCII letters, digits and '-', e.g. zaozhuang-2020")
    return _short_id(value)


def _text_list(value: Any) -> Any:
    """A single line where a list is expected is taken as a one-item list."""
    return [value] if isinstance(value, str) else value


# what yamlio refuses in a value once escapes are decoded, for editors (surrogates aside: a
# JSON Schema pattern cannot tell a lone one from half of a pair)
_PRINTABLE = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd\ufeff\ufffe\uffff]*$"
_YEAR = r"(1949|19[5-9]\d|20\d\d|2100)"  # MIN_YEAR to MAX_YEAR
_SEQ = rf"[1-9]\d{{0,{MAX_SEQ_DIGITS - 1}}}"  # a 序号 or 期号 of at most MAX_SEQ_DIGITS digits
Text = Annotated[str, BeforeValidator(_text),
                 WithJsonSchema({"type": "string", "minLength": 1, "pattern": _PRINTABLE})]
Title = Annotated[str, BeforeValidator(_title),
                  WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_TITLE, "pattern": _PRINTABLE})]
Name = Annotated[str, BeforeValidator(_name),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_NAME, "pattern": _PRINTABLE})]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
IsoDate = Annotated[date, BeforeValidator(_iso_date),
                    WithJsonSchema({"type": "string", "pattern": rf"^{_YEAR}-\d{{2}}-\d{{2}}$"})]
MonthOrDay = Annotated[str, BeforeValidator(_month_or_day),
                       WithJsonSchema({"type": "string", "pattern": rf"^{_YEAR}-\d{{2}}(-\d{{2}})?$"})]
_DEADLINE_TEXT = {"type": "string", "minLength": 1, "pattern": _PRINTABLE,
                  "examples": ["2021年底前", "2020-06-30", "11月上旬", "每月5日前", "收到通知后5个工作日内",
                               "长期坚持"]}
Deadline = Annotated[deadlines.Deadline, BeforeValidator(_deadline), WithJsonSchema({"anyOf": [
    _DEADLINE_TEXT,
    {"type": "object", "title": "完成时限（带起止或起算日）",
     "description": "周期性时限的起止（from、to），或工作日时限的起算日（anchor）",
     "additionalProperties": False, "required": ["text"],
     "properties": {
         "text": {**_DEADLINE_TEXT, "title": "时限写法", "description": "文件中照写的时限，如 每月5日前"},
         "from": {"type": "string", "pattern": rf"^{_YEAR}-\d{{2}}(-\d{{2}})?$", "title": "起",
                  "description": "周期性时限从何时起（YYYY-MM 或 YYYY-MM-DD），"
                                 "默认为行动期限开始与印发通知成文日期中较晚者"},
         "to": {"type": "string", "pattern": rf"^{_YEAR}-\d{{2}}(-\d{{2}})?$", "title": "止",
                "description": "周期性时限到何时止（YYYY-MM 或 YYYY-MM-DD），默认行动期限结束"},
         "anchor": {"type": "string", "minLength": 1, "title": "起算日",
                    "description": "工作日时限从哪天算起：日期（YYYY-MM-DD）或本方案一份文件的编号，"
                                   "默认本方案印发通知（kind: notice）的成文日期"}}}]})]
Number = Annotated[DocNumber, BeforeValidator(_doc_number),
                   WithJsonSchema({"type": "string", "pattern": rf"^\S+〔{_YEAR}〕{_SEQ}号$",
                                   "examples": ["枣高安发〔2020〕7号"]})]
Id = Annotated[str, BeforeValidator(_id),
               WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9][a-z0-9_.-]*$", "maxLength": MAX_ID})]
Slug = Annotated[str, BeforeValidator(_slug),
                 WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$", "maxLength": MAX_ID})]
TextList = Annotated[list[Text], BeforeValidator(_text_list)]
# Department references stay free text here: validate.py looks them up in the registry
# and can then say "did you mean" or "write the id, not the name".
DeptList = Annotated[list[Text], BeforeValidator(_text_list)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)



def _issue_line(value: Any) -> IssueNumber:
    if isinstance(value, IssueNumber):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected an issue line, found {_kind(value)}", "write e.g. 2021年第23期（总第101期）")
    try:
        return parse_issue_number(value)
    except NumberFormatError as exc:
        raise Invalid(str(exc), exc.hint or f"write it as {exc.suggestion}") from None


IssueLine = Annotated[IssueNumber, BeforeValidator(_issue_line),
                      WithJsonSchema({"type": "string", "pattern": rf"^{_YEAR}年第{_SEQ}期(（总第{_SEQ}期）)?$",
                                      "examples": ["2021年第23期（总第101期）"]})]

