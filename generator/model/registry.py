"""The department registry (departments.yaml): every organ a plan can name."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from .fields import (
    Id,
    Model,
    Name,
    Text,
)


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
