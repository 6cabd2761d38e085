"""One campaign plan (方案): its issuer, period, content and documents."""

from __future__ import annotations

from typing import Any

from pydantic import (
    Field,
    ModelWrapValidatorHandler,
    model_validator,
)

from .. import deadlines
from .body import Checklist, Section
from .documents import Document, Jiyao, Notice, Official
from .fields import (
    Model,
    Name,
    Slug,
    Text,
    TextList,
    Title,
)
from .progress import FigureDecl, Indicator, ProgressPeriod
from .tasks import Period, Phase, TaskGroup


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
    sections: list[Section] = Field(default_factory=list, title="章节",
                                    description="一级标题（一、二、……）及其内容；只发后续文件的方案可不写")
    task_groups: list[TaskGroup] = Field(default_factory=list, title="任务分组",
                                         description="专题和行业领域")
    group_kinds: TextList = Field(default_factory=lambda: ["专题", "行业领域"], title="分组类别",
                                  description="任务分组可用的类别（kind），如 [工作措施, 保障措施]；"
                                              "不写时为 专题、行业领域",
                                  json_schema_extra={"minItems": 1, "uniqueItems": True})
    phases: list[Phase] = Field(default_factory=list, title="进度安排", description="按时间先后排列、互不重叠的各阶段")
    checklists: list[Checklist] = Field(default_factory=list, title="清单",
                                        description="可在多份文件正文中以 use: 编号 引用的编号清单")
    indicators: list[Indicator] = Field(default_factory=list, title="统计指标",
                                        description="各单位填报的计数指标（编号、名称、单位、小数位数、上年同期）")
    figures: list[FigureDecl] = Field(default_factory=list, title="计算指标",
                                      description="统计指标算出的比率、合计、占比、同比、环比；正文以 {{ 名称 }} 引用")
    progress: list[ProgressPeriod] = Field(default_factory=list, title="进展数据",
                                           description="各报告期的数据，通常写作 - include: progress/2021-09.yaml")
    documents: list[Document] = Field(default_factory=list, title="发文",
                                      description="由本方案生成的各份文件：印发通知、任务分解表、通知、通报、纪要等")

    @model_validator(mode="wrap")
    @classmethod
    def _read_deadlines(cls, data: Any, handler: ModelWrapValidatorHandler[Plan]) -> Plan:
        """Deadlines such as 每月5日前 or 收到通知后5个工作日内 need the plan around them (its
        period, its notice's date): its fields are read with that setting in place."""
        with deadlines.reading(deadlines.setting_from(data)):
            return handler(data)

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
