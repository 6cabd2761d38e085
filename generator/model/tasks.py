"""Task groups, tasks, their measures and deadlines, and the phases of a campaign."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .. import chinese
from .body import Body
from .fields import (
    Deadline,
    DeptList,
    Id,
    Invalid,
    Model,
    MonthOrDay,
    Text,
    _text_list,
    clip,
)


class Dated:
    """The days a `start` and an `end` written YYYY-MM or YYYY-MM-DD stand for (a campaign's
    period, a phase): a month starts on its first day and ends on its last."""

    if TYPE_CHECKING:  # the models' own fields (a mixin declares none: pydantic would take them)
        start: str
        end: str

    @property
    def first_day(self) -> date:
        return first_day(self.start)

    @property
    def last_day(self) -> date:
        return last_day(self.end)


class Period(Dated, Model):
    start: MonthOrDay = Field(title="开始", description="YYYY-MM 或 YYYY-MM-DD")
    end: MonthOrDay = Field(title="结束", description="YYYY-MM 或 YYYY-MM-DD")


def first_day(text: str) -> date:
    y, mo = int(text[:4]), int(text[5:7])
    return date(y, mo, int(text[8:10])) if len(text) > 7 else date(y, mo, 1)


def last_day(text: str) -> date:
    y, mo = int(text[:4]), int(text[5:7])
    return date(y, mo, int(text[8:10])) if len(text) > 7 else chinese.month_end(y, mo)



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


MAX_KIND = 10  # a group kind prints in brackets after the group's name: “名称（类别）”
NO_LEAD = "none"


def _group_lead(value: Any) -> Any:
    """`lead: none` (written out: never by accident) is a group without a lead, kept as [];
    an empty list is a slip that would print “（牵头负责）”."""
    if value == NO_LEAD:
        return []
    if value == []:
        raise Invalid("lead (牵头单位) of a task group lists no department",
                      "name the group's lead departments by id (lead: [yjglj]), or write `lead: none` "
                      "for a group the text assigns to nobody")
    return _text_list(value)


def _kind_schema(schema: dict[str, Any]) -> None:
    """Editors: a kind is at most MAX_KIND characters; the "" default (no label) is no value to offer."""
    schema.pop("default", None)
    schema["maxLength"] = MAX_KIND


GroupLead = Annotated[
    list[Text], BeforeValidator(_group_lead),
    WithJsonSchema({"anyOf": [{"const": NO_LEAD},
                              {"type": "array", "items": {"type": "string"}, "minItems": 1},
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
    """A set of tasks with their lead and supporting departments, labelled by its kind
    (专题, 行业领域, or a label the plan declares in `group_kinds`)."""

    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    kind: Text = Field("", title="类别",
                       description="方案 group_kinds 中声明的类别（未声明时为 专题 或 行业领域）；"
                                   "不写则不显示类别，此时各分组都不写",
                       json_schema_extra=_kind_schema)
    title: Text = Field(title="名称", description="如 危险化学品安全整治")
    lead: GroupLead = Field(title="牵头单位",
                            description="部门编号列表，任务未写牵头单位时沿用；写 none 表示本分组不设牵头单位")
    support: Support = Field(None, title="配合单位（按职责分工负责）",
                             description="部门编号列表，或 all（各有关部门）；任务未写配合单位时沿用")
    note: Text | None = Field(None, title="附加责任", description="如 街道党工委、办事处负责")
    intro: Text | None = Field(None, title="导语", description="分组标题之下、各项任务之前的一段")
    tasks: list[Task] = Field(title="任务", description="本分组的各项任务，按顺序编号 1. 2. 3.……",
                              json_schema_extra={"minItems": 1})

    @field_validator("kind")
    @classmethod
    def _label(cls, value: str) -> str:
        if len(value) > MAX_KIND or any(ch in value for ch in "（）()"):
            raise Invalid(f"group kind '{clip(value)}' cannot stand in “名称（类别）”",
                          f"write a short label of at most {MAX_KIND} characters without brackets, "
                          "e.g. 工作措施")
        return value

    @field_validator("tasks")
    @classmethod
    def _has_tasks(cls, value: list[Task]) -> list[Task]:
        if not value:
            raise Invalid("task group lists no tasks",
                          "list its tasks under `tasks:` (- id: …, text: …), or remove the group")
        return value


def effective(task: Task, group: TaskGroup) -> tuple[list[str], list[str] | None]:
    """A task's lead and support: its own, else its group's (minus the task's own leads).
    The lead is [] for a task without its own in a group with `lead: none`."""
    lead = task.lead or group.lead
    if task.support is not None:
        return lead, task.support
    if group.support is None or group.support == ["all"]:
        return lead, group.support
    return lead, [d for d in group.support if d not in lead]


class Phase(Dated, Model):
    id: Id = Field(title="编号", description="稳定编号，评审比对以此为准")
    name: Text = Field(title="阶段名称", description="如 动员部署")
    start: MonthOrDay = Field(title="开始", description="YYYY-MM 或 YYYY-MM-DD")
    end: MonthOrDay = Field(title="结束", description="YYYY-MM 或 YYYY-MM-DD，不早于开始")
    label: Text | None = Field(None, title="时间写法", description="文件中的时间写法，默认由起止自动生成")
    text: Text | None = Field(None, title="主要工作",
                              description="本阶段的工作内容，接排在阶段名称之后；可与 items 并用或只写 items")
    items: Body = Field(default_factory=list, title="工作事项",
                        description="本阶段的分项工作：段落、三级标题（h3 1.）及其下级、清单和表格")
    lead: DeptList | None = Field(None, title="牵头单位", description="本阶段工作的牵头部门编号，列入其责任清单",
                                  json_schema_extra={"minItems": 1})
    support: Support = Field(None, title="配合单位",
                             description="部门编号列表，或 all（各有关部门）；须同时写牵头单位")

    @field_validator("lead")
    @classmethod
    def _phase_lead_named(cls, value: list[str] | None) -> list[str] | None:
        if value == []:
            raise Invalid("lead (牵头单位) of a phase lists no department",
                          "name the phase's lead departments by id (lead: [yjglj]), or remove `lead:`")
        return value

    @model_validator(mode="after")
    def _has_work(self) -> Phase:
        if self.text is None and not self.items:
            raise Invalid(f"phase '{self.id}' has no work: neither `text:` nor `items:`",
                          "write what is done in this phase under `text:` (one paragraph) or `items:` (a list)")
        if self.support is not None and self.lead is None:
            raise Invalid(f"phase '{self.id}' has support (配合单位) but no lead (牵头单位)",
                          "name the lead departments under `lead:`, or remove `support:`")
        return self

