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

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

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
    code: Text | None = Field(None, title="机关代字",
                              description="发文字号中的机关代字，如 枣高安发（不发文号的方案可不写）")
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


# ---------------------------------------------------------------- structured body

ChecklistStyle = Literal["1.", "（一）"]
HEADING_KEYS = ("h1", "h2", "h3", "h4")
ITEM_KINDS = ("h1", "h2", "h3", "h4", "text", "checklist", "use", "table")


class Checklist(Model):
    """A numbered checklist defined once in the plan and used by id (`- use: id`) in any body."""

    id: Id = Field(title="编号", description="稳定编号，正文中以 use: 编号 引用")
    style: ChecklistStyle = Field("1.", title="编号样式", description="1.：1. 2. 3.……；（一）：（一）（二）……")
    items: TextList = Field(title="清单事项", description="每项一条，自动编号")


class Contact(Model):
    """联系人、联系电话、电子邮箱: in the 附注 of a 请示, at the end of the body otherwise."""

    name: Text = Field(title="联系人", description="联系人姓名（或承办处室）")
    phone: Text = Field(title="联系电话", description="如 0915-8421234")
    email: Text | None = Field(None, title="电子邮箱", description="可不写")

    @property
    def text(self) -> str:
        parts = [f"联系人：{self.name}", f"联系电话：{self.phone}"]
        if self.email:
            parts.append(f"电子邮箱：{self.email}")
        return "，".join(parts)


class Item(Model):
    """One entry of a structured body: a heading (h1 一、 · h2 （一） · h3 1. · h4 （1）) with its
    text and the items under it, a paragraph, a numbered checklist, a plan's checklist by id, or a table."""

    id: Id | None = Field(None, title="编号", description="稳定编号（可选），评审比对以此为准")
    h1: Text | None = Field(None, title="一级标题", description="自动编号“一、”，黑体；下级内容写在 items 中")
    h2: Text | None = Field(None, title="二级标题", description="自动编号“（一）”，楷体")
    h3: Text | None = Field(None, title="三级标题", description="自动编号“1.”，仿宋")
    h4: Text | None = Field(None, title="四级标题", description="自动编号“（1）”，仿宋")
    text: Text | None = Field(None, title="段落",
                              description="单独一段；写在二至四级标题下时接排在标题之后")
    items: list[Entry] = Field(default_factory=list, title="下级内容", description="标题下的段落、下级标题、清单和表格")
    checklist: TextList | None = Field(None, title="清单", description="逐项列出，自动编号")
    use: Id | None = Field(None, title="引用清单", description="方案 checklists 中已定义的清单编号")
    style: ChecklistStyle | None = Field(None, title="清单编号样式", description="1. 或 （一），默认 1.")
    table: list[TextList] | None = Field(None, title="表格", description="逐行列出，每行为单元格列表")
    header: Flag = Field(True, title="首行为表头", description="true：第一行为表头（黑体）")

    @model_validator(mode="after")
    def _one_kind(self) -> Item:
        given = [k for k in ITEM_KINDS if getattr(self, k) is not None]
        heads = [k for k in given if k in HEADING_KEYS]
        if not given:
            raise Invalid("a body item needs one of h1, h2, h3, h4, text, checklist, use, table",
                          "write a heading (h1: 总体要求), a paragraph (text: …), a checklist or a table")
        if len(heads) > 1:
            raise Invalid(f"a body item has two headings ({', '.join(heads)})",
                          "write each heading as its own item; a lower heading goes in the `items:` of the one above")
        kinds = [k for k in given if not (k == "text" and heads)]
        if len(kinds) > 1:
            raise Invalid(f"a body item has both '{kinds[0]}' and '{kinds[1]}'", "write them as two items")
        if self.items and not heads:
            raise Invalid("'items' on a body item without a heading: only a heading (h1 … h4) has items under it",
                          "add a heading to this item, or move the entries out of `items:` to follow it at this level")
        return self

    # these two point at the key that does not belong (fields validate in order: h1 before text,
    # checklist and use before style; a field that failed is absent from info.data)
    @field_validator("text")
    @classmethod
    def _no_run_on_h1(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("h1") is not None \
                and all(info.data.get(k) is None for k in HEADING_KEYS[1:]):  # two headings: _one_kind says so
            raise Invalid("an h1 (一、) heading stands on a line of its own: `text:` cannot run on after it",
                          "put the text in the h1's `items:` (- text: …); only h2, h3 and h4 take run-on text")
        return value

    @field_validator("style")
    @classmethod
    def _style_of_checklist(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and {"checklist", "use"} <= info.data.keys() \
                and info.data["checklist"] is None and info.data["use"] is None:
            raise Invalid("'style' on a body item without a checklist: it numbers the entries of `checklist:` or "
                          "`use:`", "remove `style:`, or add `checklist:` to this item")
        return value

    @property
    def level(self) -> int:
        return next((k for k, key in enumerate(HEADING_KEYS, 1) if getattr(self, key) is not None), 0)

    @property
    def heading(self) -> str | None:
        return self.h1 or self.h2 or self.h3 or self.h4


def _entry_tag(value: Any) -> str:
    return "str" if isinstance(value, str) else "Item"


Entry = Annotated[Annotated[Text, Tag("str")] | Annotated[Item, Tag("Item")], Discriminator(_entry_tag)]
Body = Annotated[list[Entry], BeforeValidator(_text_list)]
Item.model_rebuild()


class Subsection(Model):
    title: Text = Field(title="小标题", description="（一）级标题，与首段连排")
    paragraphs: TextList = Field(default_factory=list, title="段落",
                                 description="小标题之后的段落，第一段与小标题连排")


class Section(Model):
    """A level-1 part of the plan (一、总体要求). `insert` places tasks or phases in it."""

    id: Id = Field(title="编号", description="稳定编号（章节之间不重复），评审比对以此为准")
    title: Text = Field(title="标题", description="一级标题文字，不含序号，如 总体要求")
    paragraphs: TextList = Field(default_factory=list, title="段落", description="一级标题之下、分项之前的段落")
    subsections: list[Subsection] = Field(default_factory=list, title="分项",
                                          description="（一）（二）……分项，各带小标题")
    items: Body = Field(default_factory=list, title="结构化内容",
                        description="段落之后的标题（h2 （一） h3 1. h4 （1））、清单和表格")
    insert: Literal["tasks", "phases"] | None = Field(
        None, title="插入内容", description="tasks：在此列出任务分组；phases：在此列出进度安排")
    closing: TextList = Field(default_factory=list, title="结尾段落",
                              description="插入内容之后的段落")


class Measure(Model):
    """A dated target inside a task (one of several 一是、二是)."""

    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    text: Text = Field(title="措施", description="一条具体措施的内容")
    deadline: Deadline | None = Field(None, title="完成时限",
                                      description="如 2021年底前、2020-06-30、2020-12 或 长期坚持")


Support = Annotated[
    list[Text] | None, BeforeValidator(lambda v: ["all"] if v == "all" else _text_list(v)),
    WithJsonSchema({"anyOf": [{"const": "all"},
                              {"type": "array", "items": {"type": "string"}},
                              {"type": "string"}]}),
]


class Task(Model):
    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    title: Text | None = Field(None, title="重点任务", description="任务分解表中的简短名称")
    text: Text = Field(title="任务内容", description="任务的正文，接在序号和重点任务名称之后")
    lead: DeptList | None = Field(None, title="牵头单位", description="不写则沿用所在分组的牵头单位",
                                  json_schema_extra={"minItems": 1})
    support: Support = Field(None, title="配合单位",
                             description="部门编号列表，或 all（各有关部门）；不写则沿用分组")
    deadline: Deadline | None = Field(None, title="完成时限",
                                      description="如 2021年底前、2020-06-30、2020-12 或 长期坚持")
    measures: list[Measure] = Field(default_factory=list, title="具体措施",
                                    description="任务之下逐条列出的措施，可各带完成时限")

    @field_validator("lead")
    @classmethod
    def _lead_named(cls, value: list[str] | None) -> list[str] | None:
        if value == []:  # “or group.lead” would take the group's lead without a word
            raise Invalid("lead (牵头单位) of a task lists no department",
                          "name the task's lead departments by id (lead: [yjglj]), "
                          "or remove `lead:` and the task takes its group's lead")
        return value


class TaskGroup(Model):
    """A 专题 or 行业领域: a set of tasks with their lead and supporting departments."""

    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    kind: Literal["专题", "行业领域"] = Field(title="类别", description="专题 或 行业领域")
    title: Text = Field(title="名称", description="如 危险化学品安全整治")
    lead: DeptList = Field(title="牵头单位", description="部门编号列表，任务未写牵头单位时沿用",
                           json_schema_extra={"minItems": 1})
    support: Support = Field(None, title="配合单位（按职责分工负责）",
                             description="部门编号列表，或 all（各有关部门）；任务未写配合单位时沿用")
    note: Text | None = Field(None, title="附加责任", description="如 街道党工委、办事处负责")
    intro: Text | None = Field(None, title="导语", description="分组标题之下、各项任务之前的一段")
    tasks: list[Task] = Field(title="任务", description="本分组的各项任务，按顺序编号 1. 2. 3.……",
                              json_schema_extra={"minItems": 1})

    # an empty list would print “（牵头负责）” or a group heading with nothing under it
    @field_validator("lead")
    @classmethod
    def _lead_named(cls, value: list[str]) -> list[str]:
        if not value:
            raise Invalid("lead (牵头单位) of a task group lists no department",
                          "name the group's lead departments by id (lead: [yjglj]); "
                          "they print as “（…牵头…）” after the group's tasks")
        return value

    @field_validator("tasks")
    @classmethod
    def _has_tasks(cls, value: list[Task]) -> list[Task]:
        if not value:
            raise Invalid("task group lists no tasks",
                          "list its tasks under `tasks:` (- id: …, text: …), or remove the group")
        return value


def effective(task: Task, group: TaskGroup) -> tuple[list[str], list[str] | None]:
    """A task's lead and support: its own, else its group's (minus the task's own leads)."""
    lead = task.lead or group.lead
    if task.support is not None:
        return lead, task.support
    if group.support is None or group.support == ["all"]:
        return lead, group.support
    return lead, [d for d in group.support if d not in lead]


class Phase(Model):
    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    name: Text = Field(title="阶段名称", description="如 动员部署")
    start: MonthOrDay = Field(title="开始", description="YYYY-MM 或 YYYY-MM-DD")
    end: MonthOrDay = Field(title="结束", description="YYYY-MM 或 YYYY-MM-DD，不早于开始")
    label: Text | None = Field(None, title="时间写法", description="文件中的时间写法，默认由起止自动生成")
    text: Text = Field(title="主要工作", description="本阶段的工作内容")

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
    to: TextList = Field(title="主送机关", description="按排列顺序，如 各有关单位")
    date: IsoDate = Field(title="成文日期", description="YYYY-MM-DD，显示为 2020年6月23日")
    body: Body = Field(default_factory=list, title="正文",
                       description="不写则使用模板中的标准印发语；可为段落列表，也可含标题、清单、表格")
    signature: Text | None = Field(None, title="署名", description="默认为发文机关全称")
    seal: Flag = Field(False, title="加盖印章", description="true：署名居中于成文日期之上，留出印章位置")
    annotation: Text | None = Field(None, title="附注", description="如 此件公开发布（不含括号）")
    copy_number: Text | None = Field(None, title="份号", description="6位阿拉伯数字，如 000001")
    secrecy: Text | None = Field(None, title="密级和保密期限", description="如 秘密★1年")
    urgency: Literal["特急", "加急"] | None = Field(None, title="紧急程度", description="特急 或 加急")
    signer: Text | None = Field(None, title="签发人", description="上行文填写")
    cc: TextList = Field(default_factory=list, title="抄送机关", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")
    plan: Literal["attachment", "body", "none"] = Field(
        "attachment", title="方案位置", description="attachment：作为附件；body：紧随通知正文；none：不附")
    attachments: TextList = Field(default_factory=list, title="其他附件",
                                  description="方案以外附件的名称")
    append: list[Slug] = Field(default_factory=list, title="随文附件",
                               description="同一方案中要作为附件随本通知印发的文件编号（任务分解表、责任清单、路线图），"
                                           "页码接续")
    contact: Contact | None = Field(None, title="联系方式", description="联系人、联系电话、电子邮箱，列于正文之后")


class Official(Model):
    """What every document under a 版头 carries (通知, 通报, 请示, 报告): its title as written."""

    id: Slug = Field(title="编号", description="输出文件名，如 tongbao-1")
    number: Number = Field(title="发文字号", description="如 枣高安发〔2020〕9号")
    title: Title = Field(title="标题", description="按文件书写的完整标题，如 关于……情况的通报")
    to: TextList = Field(title="主送机关", description="请示、报告只写一个主送机关")
    date: IsoDate = Field(title="成文日期", description="YYYY-MM-DD，显示为 2020年6月23日")
    body: Body = Field(title="正文", description="段落、标题（h1 一、 h2 （一） h3 1. h4 （1））、清单和表格")
    signature: Text | None = Field(None, title="署名", description="默认为发文机关全称，如 ……工作专班（代章）")
    seal: Flag = Field(False, title="加盖印章", description="true：署名居中于成文日期之上，留出印章位置")
    annotation: Text | None = Field(None, title="附注", description="如 此件公开发布（不含括号）")
    contact: Contact | None = Field(None, title="联系方式",
                                    description="联系人、联系电话、电子邮箱：请示列于附注，其他文种列于正文之后")
    copy_number: Text | None = Field(None, title="份号", description="6位阿拉伯数字，如 000001")
    secrecy: Text | None = Field(None, title="密级和保密期限", description="如 秘密★1年")
    urgency: Literal["特急", "加急"] | None = Field(None, title="紧急程度", description="特急 或 加急")
    cc: TextList = Field(default_factory=list, title="抄送机关", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")
    attachments: TextList = Field(default_factory=list, title="附件", description="附件名称（附件说明）")
    append: list[Slug] = Field(default_factory=list, title="随文附件",
                               description="同一方案中作为附件随文印发的文件编号（任务分解表、责任清单、路线图），页码接续")


class Tongzhi(Official):
    """通知 (关于…的通知): a notice with its own title and a structured body."""

    kind: Literal["tongzhi"] = Field(title="文种", description="tongzhi：通知")
    signer: Text | None = Field(None, title="签发人", description="上行文填写")


class Tongbao(Official):
    """通报 (关于…情况的通报): progress, commendation or criticism."""

    kind: Literal["tongbao"] = Field(title="文种", description="tongbao：通报")


class Qingshi(Official):
    """请示 (上行文): 签发人 in the 版头, one 主送机关, contact person and phone in the 附注."""

    kind: Literal["qingshi"] = Field(title="文种", description="qingshi：请示")
    signer: Text = Field(title="签发人", description="上行文须标注签发人姓名")


class Baogao(Official):
    """报告 (上行文): 签发人 in the 版头, one 主送机关."""

    kind: Literal["baogao"] = Field(title="文种", description="baogao：报告")
    signer: Text = Field(title="签发人", description="上行文须标注签发人姓名")


def _no_signer(value: Any) -> None:
    raise Invalid("a 函 (信函格式) carries no 签发人",
                  "签发人 belongs to 上行文: remove it, or make the document `kind: qingshi` or `kind: baogao`")


NoSigner = Annotated[None, BeforeValidator(_no_signer), WithJsonSchema({"not": {}})]


class Han(Official):
    """函 (信函格式, GB/T 9704 10.1): the organ's name as the mark, red double rules, no 签发人."""

    kind: Literal["han"] = Field(title="文种", description="han：函（信函格式）")
    signer: NoSigner = Field(None, title="签发人", description="函不标注签发人（仅上行文标注）", exclude=True)


class PlanDocument(Model):
    """The 方案 as a document of its own: title, optional 署名 and 成文日期, no 版头 or 发文字号."""

    id: Slug = Field(title="编号", description="输出文件名，如 plan")
    kind: Literal["plan"] = Field(title="文种", description="plan：方案单独成文")
    title: Title | None = Field(None, title="标题", description="默认为方案标题")
    signature: Text | None = Field(None, title="发文机关署名", description="不写则不署名")
    date: IsoDate | None = Field(None, title="成文日期", description="YYYY-MM-DD；不写则不标日期")
    signed: Literal["title", "end"] = Field(
        "end", title="署名位置", description="title：署名和日期居中列于标题之下；end：列于正文之后")
    contact: Contact | None = Field(None, title="联系方式", description="列于正文之后")


class Jiyao(Model):
    """纪要 (GB/T 9704 10.3): the red “×××纪要” mark, the body, 出席/请假/列席 lines, the 版记."""

    id: Slug = Field(title="编号", description="输出文件名，如 minutes-1")
    kind: Literal["jiyao"] = Field(title="文种", description="jiyao：纪要")
    mark: Title = Field(title="纪要标志", description="红色标志文字，如 平利县安全生产专项整治三年行动联席会议纪要")
    number: Number | None = Field(None, title="发文字号", description="纪要一般不编发文字号；声明时列于标志之下")
    title: Title | None = Field(None, title="标题", description="可不写；写时列于版头之下")
    date: IsoDate = Field(title="成文日期", description="会议纪要印发的日期，列于版记（印发日期）")
    body: Body = Field(title="正文", description="段落、标题（h1 一、 h2 （一） h3 1. h4 （1））、清单和表格")
    present: TextList = Field(default_factory=list, title="出席", description="出席人员的单位和姓名，按顺序")
    absent: TextList = Field(default_factory=list, title="请假", description="请假人员的单位和姓名")
    attending: TextList = Field(default_factory=list, title="列席", description="列席人员的单位和姓名")
    contact: Contact | None = Field(None, title="联系方式", description="列于正文之后")
    cc: TextList = Field(default_factory=list, title="分送（抄送）", description="列于版记")
    printed_by: Text | None = Field(None, title="印发机关", description="默认为发文机关")
    printed_date: IsoDate | None = Field(None, title="印发日期", description="默认为成文日期")


OFFICIAL_KINDS = {"tongzhi": "通知", "tongbao": "通报", "qingshi": "请示", "baogao": "报告", "han": "函"}


Column = Literal["number", "title", "text", "lead", "support", "deadline"]
ALL_COLUMNS: list[Column] = ["number", "title", "text", "lead", "support", "deadline"]


class TaskTable(Model):
    """任务分解表: every task with its departments and deadline, on landscape pages."""

    id: Slug = Field(title="编号", description="输出文件名，如 task-table")
    kind: Literal["task-table"] = Field(title="文种", description="task-table：任务分解表")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+任务分解表")
    columns: list[Column] = Field(
        default_factory=lambda: list(ALL_COLUMNS), title="列",
        description="number 序号 · title 重点任务 · text 具体措施 · lead 牵头单位 · support 配合单位 · "
                    "deadline 完成时限")
    measures: Flag = Field(True, title="列出具体措施", description="true：在任务之下列出各项具体措施")


class Duties(Model):
    """责任清单: for each department, the tasks it leads and those it supports."""

    id: Slug = Field(title="编号", description="输出文件名，如 duties")
    kind: Literal["responsibilities"] = Field(title="文种", description="responsibilities：部门责任清单")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+责任清单")
    per_department: Flag = Field(False, title="每个单位单独成文",
                                 description="true：另为每个单位生成一份只含本单位任务的清单（文件名加单位编号）")


class Roadmap(Model):
    """重点任务推进路线图: the phases and dated targets as a chart."""

    id: Slug = Field(title="编号", description="输出文件名，如 roadmap")
    kind: Literal["roadmap"] = Field(title="文种", description="roadmap：重点任务推进路线图")
    title: Title | None = Field(None, title="标题", description="默认：方案标题+重点任务推进路线图")


Document = Annotated[Notice | TaskTable | Duties | Roadmap | Tongzhi | Tongbao | Qingshi | Baogao | PlanDocument
                     | Jiyao | Han, Field(discriminator="kind")]
# the tag of each kind, for messages that follow a location through the union (load.py)
TAGGED: dict[str, type[BaseModel]] = {
    "notice": Notice, "task-table": TaskTable, "responsibilities": Duties, "roadmap": Roadmap,
    "tongzhi": Tongzhi, "tongbao": Tongbao, "qingshi": Qingshi, "baogao": Baogao, "plan": PlanDocument,
    "jiyao": Jiyao, "han": Han, "Item": Item,
}


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

    number: Number = Field(title="发文字号", description="如 枣高安发〔2020〕7号")
    status: Literal["issued", "voided", "reserved"] = Field(
        title="状态", description="issued：已手工发文；voided：作废；reserved：预留")
    title: Text | None = Field(None, title="文件标题", description="已发文件的标题，《@发文字号》引用时写出")
    date: IsoDate | None = Field(None, title="成文日期", description="YYYY-MM-DD，年份与发文字号一致")
    note: Text | None = Field(None, title="备注", description="如 作废原因、预留用途")


class LedgerIssue(Model):
    issue: IssueLine = Field(title="期号", description="如 2021年第23期（总第101期）")
    date: IsoDate | None = Field(None, title="印发日期", description="YYYY-MM-DD")
    title: Text | None = Field(None, title="本期标题", description="本期简报的主要标题")


class Series(Model):
    """A bulletin series (简报) and the issues already published."""

    id: Slug = Field(title="编号", description="简报系列的稳定编号，如 bulletin")
    title: Text = Field(title="简报名称", description="如 安全生产简报")
    editor: Text | None = Field(None, title="编印单位", description="如 平利县安全生产委员会办公室")
    issues: list[LedgerIssue] = Field(default_factory=list, title="已出各期",
                                      description="按顺序列出已印发的各期：期号、印发日期、标题")


class Ledger(Model):
    """plans/numbers.yaml: numbers and bulletin issues used outside fawen."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    numbers: list[LedgerNumber] = Field(default_factory=list, title="发文字号台账",
                                        description="不由本工具生成的发文字号：手工发文、作废或预留")
    series: list[Series] = Field(default_factory=list, title="简报系列", description="各简报及已出各期，用于核对期号")


class Plan(Model):
    """One campaign plan (方案) and the documents issued from it."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    id: Slug = Field(title="方案编号", description="输出目录名，如 zaozhuang-gxq-2020")
    title: Title = Field(title="方案标题", description="方案的完整标题，如 安全生产专项整治三年行动实施方案")
    parent: Slug | None = Field(None, title="上级方案", description="“1+2+N”体系中所属总方案的编号")
    issuer: Issuer = Field(title="发文机关", description="名称、版头标志、机关代字和联合发文机关")
    period: Period = Field(title="行动期限", description="专项行动的起止（start、end），任务时限须在其内")
    all_support: Text = Field("各有关部门", title="“全部有关部门”的写法",
                              description="配合单位写 all 时文件中的写法")
    preamble: TextList = Field(default_factory=list, title="开头段落", description="一级标题之前的段落")
    sections: list[Section] = Field(title="章节", description="一级标题（一、二、……）及其内容")
    task_groups: list[TaskGroup] = Field(default_factory=list, title="任务分组",
                                         description="专题和行业领域")
    phases: list[Phase] = Field(default_factory=list, title="进度安排", description="按时间先后排列、互不重叠的各阶段")
    checklists: list[Checklist] = Field(default_factory=list, title="清单",
                                        description="可在多份文件正文中以 use: 编号 引用的编号清单")
    documents: list[Document] = Field(default_factory=list, title="发文",
                                      description="由本方案生成的各份文件：印发通知、任务分解表、通知、通报、纪要等")

    @property
    def notices(self) -> list[tuple[int, Notice]]:
        """The numbered notices among the documents, with their index in `documents`."""
        return [(i, d) for i, d in enumerate(self.documents) if isinstance(d, Notice)]

    @property
    def numbered(self) -> list[tuple[int, Notice | Official]]:
        """Every document with a 发文字号 (印发通知, 通知, 通报, 请示, 报告), with its index."""
        return [(i, d) for i, d in enumerate(self.documents) if isinstance(d, Notice | Official)]

    @property
    def minutes(self) -> list[tuple[int, Jiyao]]:
        """The 纪要 among the documents (a 发文字号 only when declared)."""
        return [(i, d) for i, d in enumerate(self.documents) if isinstance(d, Jiyao)]
