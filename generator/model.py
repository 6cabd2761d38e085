"""The plan as data: departments, plans, task groups, tasks, phases, documents.

Models are frozen and forbid unknown keys. Scalars arrive as the text the user typed
(see yamlio); the types below decide what that text may mean and reject the rest with
a message that says how to write it. Titles and descriptions are Chinese so that the
JSON Schema shows editors the words used in documents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from . import chinese
from .numbering import (
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

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


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


def _deadline(value: Any) -> chinese.Deadline:
    if isinstance(value, chinese.Deadline):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a deadline, found {_kind(value)}", f"write {chinese.DEADLINE_FORMS}")
    try:
        deadline = chinese.parse_deadline(value)
    except chinese.DeadlineError as exc:
        raise Invalid(str(exc), f"write {chinese.DEADLINE_FORMS}") from None
    if deadline.due is not None:
        _year_in_range(deadline.due.year, value)
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
Deadline = Annotated[chinese.Deadline, BeforeValidator(_deadline),
                     WithJsonSchema({"type": "string", "minLength": 1,
                                     "examples": ["2021年底前", "2020-06-30", "长期坚持"]})]
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


# ---------------------------------------------------------------- departments

class Department(Model):
    """One organ or unit a plan can name as lead or supporting department."""

    id: Id = Field(title="编号", description="稳定的英文编号，计划中以此引用，如 yjglj")
    name: Name = Field(title="全称", description="文件中书写的全称，如 区应急管理局")
    short: Text | None = Field(None, title="简称", description="表格中可用的简称，如 应急局")
    kind: Literal["部门", "街道", "企业", "其他"] = Field(
        "部门", title="类别", description="部门 / 街道 / 企业 / 其他")


class Registry(Model):
    """plans/departments.yaml: all departments, in display order."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    departments: list[Department] = Field(title="部门名录", description="按排列顺序列出全部单位")


# ---------------------------------------------------------------- plan content

class Issuer(Model):
    name: Name = Field(title="发文机关", description="发文机关全称，如 枣庄高新区安全生产委员会")
    mark: Text | None = Field(None, title="发文机关标志",
                              description="版头红色标志文字，默认为“发文机关全称+文件”")
    code: Text = Field(title="机关代字", description="发文字号中的机关代字，如 枣高安发")
    joint: TextList = Field(default_factory=list, title="联合发文机关",
                            description="联合行文时主办机关之外的其他机关，按排列顺序")
    head_template: Text | None = Field(
        None, title="版头模板",
        description="本机关自己的红头 DOCX（docxtpl 模板，相对于方案文件），可用 {{ organs }} {{ mark }} "
                    "{{ number }} {{ signer }} {{ copy_number }} {{ secrecy }} {{ urgency }}")

    @property
    def mark_text(self) -> str:
        return self.mark or f"{self.name}文件"


class Period(Model):
    start: MonthOrDay = Field(title="开始", description="YYYY-MM 或 YYYY-MM-DD")
    end: MonthOrDay = Field(title="结束", description="YYYY-MM 或 YYYY-MM-DD")

    @property
    def first_day(self) -> date:
        return first_day(self.start)

    @property
    def last_day(self) -> date:
        return last_day(self.end)


def first_day(text: str) -> date:
    y, mo = int(text[:4]), int(text[5:7])
    return date(y, mo, int(text[8:10])) if len(text) > 7 else date(y, mo, 1)


def last_day(text: str) -> date:
    y, mo = int(text[:4]), int(text[5:7])
    return date(y, mo, int(text[8:10])) if len(text) > 7 else chinese.month_end(y, mo)


class Subsection(Model):
    title: Text = Field(title="小标题", description="（一）级标题，与首段连排")
    paragraphs: TextList = Field(default_factory=list, title="段落")


class Section(Model):
    """A level-1 part of the plan (一、总体要求). `insert` places tasks or phases in it."""

    id: Id = Field(title="编号")
    title: Text = Field(title="标题", description="一级标题文字，不含序号，如 总体要求")
    paragraphs: TextList = Field(default_factory=list, title="段落")
    subsections: list[Subsection] = Field(default_factory=list, title="分项",
                                          description="（一）（二）……分项，各带小标题")
    insert: Literal["tasks", "phases"] | None = Field(
        None, title="插入内容", description="tasks：在此列出任务分组；phases：在此列出进度安排")
    closing: TextList = Field(default_factory=list, title="结尾段落",
                              description="插入内容之后的段落")


class Measure(Model):
    """A dated target inside a task (one of several 一是、二是)."""

    id: Id = Field(title="编号")
    text: Text = Field(title="措施")
    deadline: Deadline | None = Field(None, title="完成时限")


Support = Annotated[
    list[Text] | None, BeforeValidator(lambda v: ["all"] if v == "all" else _text_list(v)),
    WithJsonSchema({"anyOf": [{"const": "all"},
                              {"type": "array", "items": {"type": "string"}},
                              {"type": "string"}]}),
]


class Task(Model):
    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    title: Text | None = Field(None, title="重点任务", description="任务分解表中的简短名称")
    text: Text = Field(title="任务内容")
    lead: DeptList | None = Field(None, title="牵头单位", description="不写则沿用所在分组的牵头单位")
    support: Support = Field(None, title="配合单位",
                             description="部门编号列表，或 all（各有关部门）；不写则沿用分组")
    deadline: Deadline | None = Field(None, title="完成时限")
    measures: list[Measure] = Field(default_factory=list, title="具体措施")


class TaskGroup(Model):
    """A 专题 or 行业领域: a set of tasks with their lead and supporting departments."""

    id: Id = Field(title="编号")
    kind: Literal["专题", "行业领域"] = Field(title="类别")
    title: Text = Field(title="名称", description="如 危险化学品安全整治")
    lead: DeptList = Field(title="牵头单位")
    support: Support = Field(None, title="配合单位（按职责分工负责）")
    note: Text | None = Field(None, title="附加责任", description="如 街道党工委、办事处负责")
    intro: Text | None = Field(None, title="导语")
    tasks: list[Task] = Field(title="任务")


def effective(task: Task, group: TaskGroup) -> tuple[list[str], list[str] | None]:
    """A task's lead and support: its own, else its group's (minus the task's own leads)."""
    lead = task.lead or group.lead
    if task.support is not None:
        return lead, task.support
    if group.support is None or group.support == ["all"]:
        return lead, group.support
    return lead, [d for d in group.support if d not in lead]


class Phase(Model):
    id: Id = Field(title="编号")
    name: Text = Field(title="阶段名称", description="如 动员部署")
    start: MonthOrDay = Field(title="开始")
    end: MonthOrDay = Field(title="结束")
    label: Text | None = Field(None, title="时间写法", description="文件中的时间写法，默认由起止自动生成")
    text: Text = Field(title="主要工作")

    @property
    def first_day(self) -> date:
        return first_day(self.start)

    @property
    def last_day(self) -> date:
        return last_day(self.end)


class Notice(Model):
    """关于印发《…》的通知: the notice that issues the plan."""

    id: Slug = Field(title="编号", description="输出文件名，如 notice")
    kind: Literal["notice"] = Field(title="文种", description="notice：印发通知")
    number: Number = Field(title="发文字号", description="如 枣高安发〔2020〕7号")
    title: Title | None = Field(None, title="标题", description="默认：关于印发《方案标题》的通知")
    to: TextList = Field(title="主送机关")
    date: IsoDate = Field(title="成文日期")
    body: TextList = Field(default_factory=list, title="正文",
                           description="不写则使用模板中的标准印发语")
    signature: Text | None = Field(None, title="署名", description="默认为发文机关全称")
    seal: Flag = Field(False, title="加盖印章")
    annotation: Text | None = Field(None, title="附注", description="如 此件公开发布（不含括号）")
    copy_number: Text | None = Field(None, title="份号")
    secrecy: Text | None = Field(None, title="密级和保密期限")
    urgency: Literal["特急", "加急"] | None = Field(None, title="紧急程度")
    signer: Text | None = Field(None, title="签发人", description="上行文填写")
    cc: TextList = Field(default_factory=list, title="抄送机关")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")
    plan: Literal["attachment", "body", "none"] = Field(
        "attachment", title="方案位置", description="attachment：作为附件；body：紧随通知正文；none：不附")
    attachments: TextList = Field(default_factory=list, title="其他附件",
                                  description="方案以外附件的名称")
    append: list[Slug] = Field(default_factory=list, title="随文附件",
                               description="同一方案中要作为附件随本通知印发的文件编号（任务分解表、责任清单、路线图），"
                                           "页码接续")


Column = Literal["number", "title", "text", "lead", "support", "deadline"]
ALL_COLUMNS: list[Column] = ["number", "title", "text", "lead", "support", "deadline"]


class TaskTable(Model):
    """任务分解表: every task with its departments and deadline, on landscape pages."""

    id: Slug = Field(title="编号")
    kind: Literal["task-table"] = Field(title="文种", description="task-table：任务分解表")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+任务分解表")
    columns: list[Column] = Field(
        default_factory=lambda: list(ALL_COLUMNS), title="列",
        description="number 序号 · title 重点任务 · text 具体措施 · lead 牵头单位 · support 配合单位 · "
                    "deadline 完成时限")
    measures: Flag = Field(True, title="列出具体措施")


class Duties(Model):
    """责任清单: for each department, the tasks it leads and those it supports."""

    id: Slug = Field(title="编号")
    kind: Literal["responsibilities"] = Field(title="文种", description="responsibilities：部门责任清单")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+责任清单")
    per_department: Flag = Field(False, title="每个单位单独成文",
                                 description="true：另为每个单位生成一份只含本单位任务的清单（文件名加单位编号）")


class Roadmap(Model):
    """重点任务推进路线图: the phases and dated targets as a chart."""

    id: Slug = Field(title="编号")
    kind: Literal["roadmap"] = Field(title="文种", description="roadmap：重点任务推进路线图")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+重点任务推进路线图")


Document = Annotated[Notice | TaskTable | Duties | Roadmap, Field(discriminator="kind")]


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


class LedgerNumber(Model):
    """A number used outside fawen: issued by hand, voided, or reserved."""

    number: Number = Field(title="发文字号")
    status: Literal["issued", "voided", "reserved"] = Field(
        title="状态", description="issued：已手工发文；voided：作废；reserved：预留")
    title: Text | None = Field(None, title="文件标题")
    date: IsoDate | None = Field(None, title="成文日期")
    note: Text | None = Field(None, title="备注")


class LedgerIssue(Model):
    issue: IssueLine = Field(title="期号", description="如 2021年第23期（总第101期）")
    date: IsoDate | None = Field(None, title="印发日期")
    title: Text | None = Field(None, title="本期标题")


class Series(Model):
    """A bulletin series (简报) and the issues already published."""

    id: Slug = Field(title="编号")
    title: Text = Field(title="简报名称", description="如 安全生产简报")
    editor: Text | None = Field(None, title="编印单位")
    issues: list[LedgerIssue] = Field(default_factory=list, title="已出各期")


class Ledger(Model):
    """plans/numbers.yaml: numbers and bulletin issues used outside fawen."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    numbers: list[LedgerNumber] = Field(default_factory=list, title="发文字号台账")
    series: list[Series] = Field(default_factory=list, title="简报系列")


class Plan(Model):
    """One campaign plan (方案) and the documents issued from it."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    id: Slug = Field(title="方案编号", description="输出目录名，如 zaozhuang-gxq-2020")
    title: Title = Field(title="方案标题")
    parent: Slug | None = Field(None, title="上级方案", description="“1+2+N”体系中所属总方案的编号")
    issuer: Issuer = Field(title="发文机关")
    period: Period = Field(title="行动期限")
    all_support: Text = Field("各有关部门", title="“全部有关部门”的写法")
    preamble: TextList = Field(default_factory=list, title="开头段落")
    sections: list[Section] = Field(title="章节")
    task_groups: list[TaskGroup] = Field(default_factory=list, title="任务分组",
                                         description="专题和行业领域")
    phases: list[Phase] = Field(default_factory=list, title="进度安排")
    documents: list[Document] = Field(default_factory=list, title="发文")

    @property
    def notices(self) -> list[tuple[int, Notice]]:
        """The numbered notices among the documents, with their index in `documents`."""
        return [(i, d) for i, d in enumerate(self.documents) if isinstance(d, Notice)]
