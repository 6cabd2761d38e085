"""The numbering ledger (numbers.yaml): numbers and bulletin issues used outside fawen."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from .fields import (
    IsoDate,
    IssueLine,
    Model,
    Number,
    Slug,
    Text,
)


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
