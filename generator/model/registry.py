"""The department registry (departments.yaml): every organ a plan can name.

A registry may sit in any directory; a plan sees every registry from its own directory
up to the top of the repository, the nearest winning on an id (load.py). `Names` is what
the later stages get: id → 全称 in display order (grouped by kind), with each id's kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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

# the kinds in the order a 责任清单 lists them: the issuer's own 股室/科室 first (they carry the
# work day to day), then the departments at the same level, the towns and streets that carry
# it out on the ground, the enterprises, and anything else
KINDS = ("内设机构", "部门", "乡镇", "街道", "企业", "其他")
Kind = Literal["内设机构", "部门", "乡镇", "街道", "企业", "其他"]
# what people write for a kind, and the kind it is (for “did you mean” in the error)
KIND_WORDS = {"镇": "乡镇", "乡": "乡镇", "镇政府": "乡镇", "股室": "内设机构", "科室": "内设机构",
              "处室": "内设机构", "内设": "内设机构", "街办": "街道", "办事处": "街道", "公司": "企业",
              "单位": "其他", "部门单位": "部门", "局": "部门"}


def kind_meant(written: str) -> str | None:
    """The department kind someone who wrote `written` most likely meant."""
    close = difflib.get_close_matches(written, KINDS, n=1, cutoff=0.5)
    return KIND_WORDS.get(written) or (close[0] if close else None)


class Department(Model):
    """One organ or unit a plan can name as lead or supporting department."""

    id: Id = Field(title="编号", description="稳定的英文编号，计划中以此引用，如 yjglj")
    name: Name = Field(title="全称", description="文件中书写的全称，如 区应急管理局")
    short: Text | None = Field(None, title="简称", description="表格中可用的简称，如 应急局")
    kind: Kind = Field("部门", title="类别",
                       description="内设机构（发文机关的股室、科室） / 部门 / 乡镇 / 街道 / 企业 / 其他；"
                                   "责任清单按此分类排列")


class Registry(Model):
    """A departments.yaml: the departments of one organ (or shared by several), in display order."""

    schema_: str | None = Field(None, alias="$schema", exclude=True)
    departments: list[Department] = Field(title="部门名录", description="按排列顺序列出全部单位")


class Names(dict[str, str]):
    """id → 全称 of the departments a plan sees, grouped by kind (KINDS order) and in registry
    order within a kind; `kinds` gives each id's kind. A plain dict to every stage that only
    needs names; the 责任清单 reads the kinds."""

    def __init__(self, departments: Iterable[Department] = ()) -> None:
        ordered = sorted(departments, key=lambda d: KINDS.index(d.kind))  # stable: registry order within a kind
        super().__init__((d.id, d.name) for d in ordered)
        self.kinds: dict[str, str] = {d.id: d.kind for d in ordered}
