"""The structured body of a document: headings, paragraphs, checklists, tables; a plan's sections."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .fields import (
    Flag,
    Id,
    Invalid,
    Model,
    Text,
    TextList,
    _text_list,
)

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
