"""The plan as data: departments, plans, task groups, tasks, phases, documents, the ledger.

Models are frozen and forbid unknown keys. Scalars arrive as the text the user typed (see
yamlio); the value types in `fields` decide what that text may mean. One module per part:
fields (value types) · registry (departments.yaml) · body (structured text, sections) ·
tasks (groups, tasks, phases) · documents (the kinds a plan issues) · ledger (numbers.yaml)
· plan (the whole). Everything is re-exported here, so `from .model import Plan` works.
"""

from .body import HEADING_KEYS, ITEM_KINDS, Body, Checklist, ChecklistStyle, Contact, Entry, Item, Section, Subsection
from .documents import (
    ALL_COLUMNS,
    OFFICIAL_KINDS,
    TAGGED,
    Baogao,
    Column,
    Document,
    Duties,
    Han,
    Jiyao,
    Notice,
    Official,
    PlanDocument,
    Qingshi,
    Roadmap,
    TaskTable,
    Tongbao,
    Tongzhi,
)
from .fields import (
    MAX_ID,
    MAX_NAME,
    MAX_TITLE,
    Deadline,
    DeptList,
    Flag,
    Id,
    Invalid,
    IsoDate,
    IssueLine,
    Model,
    MonthOrDay,
    Name,
    Number,
    Slug,
    Text,
    TextList,
    Title,
    clip,
)
from .ledger import Ledger, LedgerIssue, LedgerNumber, Series
from .plan import Issuer, Plan
from .registry import Department, Registry
from .tasks import Measure, Period, Phase, Support, Task, TaskGroup, effective, first_day, last_day

__all__ = [
    "ALL_COLUMNS", "HEADING_KEYS", "ITEM_KINDS", "MAX_ID", "MAX_NAME", "MAX_TITLE", "OFFICIAL_KINDS", "TAGGED",
    "Baogao", "Body", "Checklist", "ChecklistStyle", "Column", "Contact", "Deadline", "Department", "DeptList",
    "Document", "Duties", "Entry", "Flag", "Han", "Id", "Invalid", "IsoDate", "IssueLine", "Issuer", "Item",
    "Jiyao", "Ledger", "LedgerIssue", "LedgerNumber", "Measure", "Model", "MonthOrDay", "Name", "Notice", "Number",
    "Official", "Period", "Phase", "Plan", "PlanDocument", "Qingshi", "Registry", "Roadmap", "Section", "Series",
    "Slug", "Subsection", "Support", "Task", "TaskGroup", "TaskTable", "Text", "TextList", "Title", "Tongbao",
    "Tongzhi", "clip", "effective", "first_day", "last_day",
]
