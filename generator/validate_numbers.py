"""Rules of 发文字号 and of 《@…》 cross-references, across plans and numbering ledgers.

A number is declared once (scoped by the ledgers up each plan's tree), carries its date's
year, and a gap in a sequence is a warning; 简报 series count on without repeats; a 《@…》
in a body names a numbered document that exists. `registry()` is every number known, for
`fawen number`; `references()` is what each 《@…》 stands for, for the layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from . import load, numbering
from .errors import Problem
from .load import Index, Loc, Source, Workspace
from .model import Entry, Plan
from .titles import one_line
from .validate_common import at, suggest, unique

REFERENCE = re.compile(r"《@([^《》\s]{1,80})》")


def body_texts(entries: list[Entry], loc: Loc) -> Iterator[tuple[str, Loc]]:
    """Every text of a structured body, with where it was written."""
    for k, entry in enumerate(entries):
        here = loc + (k,)
        if isinstance(entry, str):
            yield entry, here
            continue
        for key in ("h1", "h2", "h3", "h4", "text"):
            if (value := getattr(entry, key)) is not None:
                yield value, here + (key,)
        for j, item in enumerate(entry.checklist or []):
            yield item, here + ("checklist", j)
        for r, row in enumerate(entry.table or []):
            for c, cell in enumerate(row):
                yield cell, here + ("table", r, c)
        yield from body_texts(entry.items, here + ("items",))


def _plan_texts(plan: Plan) -> Iterator[tuple[str, Loc]]:
    for i, doc in enumerate(plan.documents):
        body = getattr(doc, "body", None)
        if body:
            yield from body_texts(body, ("documents", i, "body"))
    for k, section in enumerate(plan.sections):
        yield from body_texts(section.items, ("sections", k, "items"))
    for p, phase in enumerate(plan.phases):
        if phase.text is not None:
            yield phase.text, ("phases", p, "text")
        yield from body_texts(phase.items, ("phases", p, "items"))
    for c, checklist in enumerate(plan.checklists):
        for j, item in enumerate(checklist.items):
            yield item, ("checklists", c, "items", j)


def _resolve(token: str, plan_id: str, entries: list[numbering.Entry],
             documents: dict[str, Any]) -> tuple[str | None, str, str]:
    """《@token》 → (《title》（number）, "", "") or (None, message, hint). A token is a 发文字号,
    a document id of the same plan, or plan-id/document-id."""
    if "〔" in token or "[" in token or "（" in token:
        try:
            number = numbering.parse_doc_number(token)
        except numbering.NumberFormatError as exc:
            return None, f"reference 《@{token}》: {exc}", exc.hint or f"write it as {exc.suggestion}"
        known = [e for e in entries if e.number == number]
        usable = [e for e in known if e.status in ("declared", "issued")]
        if not usable:
            if known:
                return None, (f"reference 《@{token}》: document number {number} is {known[0].status} in "
                              f"{load.LEDGER_FILE}, so no document bears it"), (
                    "refer to the document by the number it was issued under (`fawen number list "
                    f"{number.code}` lists the known ones)")
            return None, (f"reference 《@{token}》: document number {number} exists nowhere (declared by no plan, "
                          f"not recorded in {load.LEDGER_FILE})"), (
                "check the number (`fawen number list " + number.code + "` lists the known ones), or record a "
                f"number issued by hand in {load.LEDGER_FILE} with its title")
        entry = usable[0]
        if not entry.title:
            return None, f"reference 《@{token}》: {number} has no title in {load.LEDGER_FILE}", (
                "add `title:` to its entry, so the reference can name the document")
        return _cited(entry.title, str(number)), "", ""
    where = token if "/" in token else f"{plan_id}/{token}"
    doc = documents.get(where)
    if doc is None:
        near = suggest(where, list(documents))
        return None, f"reference 《@{token}》: no document '{where}' in the repository", (
            near or "refer to a document by its id (or plan-id/document-id), or by its 发文字号")
    found = next((e for e in entries if e.where == where), None)
    if found is None:
        return None, f"reference 《@{token}》: document '{where}' has no 发文字号", (
            "a reference names a numbered document (通知, 通报, 请示, 报告, 函, or a 纪要 with `number:`); "
            "for any other, write its title in 《》 without @")
    return _cited(found.title, str(found.number)), "", ""


def _cited(title: str, number: str) -> str:
    """《关于印发〈…〉的通知》（平安委发〔2020〕3号）: a 书名号 inside another becomes 〈〉."""
    return f"《{one_line(title).replace('《', '〈').replace('》', '〉')}》（{number}）"


def references(workspace: Workspace) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """For each plan, what each 《@…》 in its bodies stands for; and the references that
    resolve to nothing, each at the text that holds it."""
    documents = {f"{s.plan.id}/{d.id}": d for s in workspace.plans for d in s.plan.documents}
    out: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for s in workspace.plans:
        entries = registry(workspace, s)
        table = out.setdefault(s.plan.id, {})
        for text, loc in _plan_texts(s.plan):
            for token in REFERENCE.findall(text):
                shown, message, hint = _resolve(token, s.plan.id, entries, documents)
                if shown is None:
                    problems.append(at(s.index, loc, message, hint))
                else:
                    table[f"《@{token}》"] = shown
    return out, problems


def check(workspace: Workspace) -> list[Problem]:
    """发文字号 unique across plans and ledger; gaps in a sequence; bulletin series continuity."""
    items = []
    for s in workspace.plans:
        for i, number in _numbers_of(s.plan):
            items.append((str(number), s.index, ("documents", i, "number")))
    problems: list[Problem] = []
    for led in workspace.ledgers:
        for i, entry in enumerate(led.ledger.numbers):
            if entry.date and entry.date.year != entry.number.year:
                problems.append(at(led.index, ("numbers", i, "number"),
                                   f"document number year {entry.number.year} differs from the date's year "
                                   f"{entry.date.year}", "the year in 〔〕 is the year of the document date"))
    problems += _scoped_duplicates(workspace, items)
    items += [(str(e.number), led.index, ("numbers", i, "number"))
              for led in workspace.ledgers for i, e in enumerate(led.ledger.numbers)]
    entries = registry(workspace)
    where = {str(value): (index, loc) for value, index, loc in items}
    highest: dict[tuple[str, int], numbering.DocNumber] = {}
    for e in entries:
        key = (e.number.code, e.number.year)
        highest[key] = max(highest.get(key, e.number), e.number)
    # a gap is only a gap when every plan of the tree is loaded: a sub-plan's directory alone
    # misses its parent's numbers (hazchem's 8号 after the parent's 7号)
    for key, missing in (numbering.gaps(entries) if workspace.complete else {}).items():
        code, year = key
        last = str(highest[key])
        index, loc = where[last]
        problems.append(Problem(index.value(loc), f"{code}〔{year}〕 skips {numbering.compact(missing)} before "
                                f"{last}", f"record numbers issued by hand or voided in {load.LEDGER_FILE}",
                                severity="warning"))
    for led in workspace.ledgers:
        for k, series in enumerate(led.ledger.series):
            issues = [numbering.Issue(series.id, item.issue,
                                      f"line {led.index.value(('series', k, 'issues', j)).line}",
                                      item.date.isoformat() if item.date else "")
                      for j, item in enumerate(series.issues)]
            for issue, severity, message in numbering.series_problems(issues):
                j = issues.index(issue)
                problems.append(Problem(led.index.value(("series", k, "issues", j, "issue")),
                                        f"series '{series.id}': {message}",
                                        "keep 第N期 counting within the year and 总第N期 across years",
                                        severity=severity))
    return problems


def _scoped_duplicates(workspace: Workspace, declared: Iterable[tuple[str, Index, Loc]]) -> list[Problem]:
    """A number declared by a plan is unique in the repository (a 《@number》 names one
    document); a ledger's numbers are checked against the plans and the other ledgers on the
    same way up the tree (an organ's ledger beside its plans, the shared one above), never
    against another organ's ledger."""
    declared = list(declared)
    chains = {tuple(led.path for led in s.ledgers): s.ledgers for s in workspace.plans}
    found: list[Problem] = []
    for chain in chains.values() or [[]]:
        items = [*declared, *((str(e.number), led.index, ("numbers", i, "number"))
                              for led in reversed(chain) for i, e in enumerate(led.ledger.numbers))]
        found += unique(items, "document number",
                        "every document needs a number of its own; `fawen number next` proposes a free one")
    return list(dict.fromkeys(found))


def _numbers_of(plan: Plan) -> list[tuple[int, numbering.DocNumber]]:
    """The 发文字号 a plan declares, with the index of the document: a 纪要's only when it has one."""
    out = [(i, doc.number) for i, doc in plan.numbered]
    out += [(i, doc.number) for i, doc in plan.minutes if doc.number is not None]
    return sorted(out, key=lambda x: x[0])


def registry(workspace: Workspace, source: Source | None = None) -> list[numbering.Entry]:
    """Every number the repository knows: declared by plans and recorded in the ledgers (for
    `source`, only the ledgers on its way up the tree: those its references may cite)."""
    out = []
    for s in workspace.plans:
        for _, doc in s.plan.numbered:
            out.append(numbering.Entry(doc.number, "declared", f"{s.plan.id}/{doc.id}",
                                       one_line(doc.title or f"关于印发《{s.plan.title}》的通知"),
                                       doc.date.isoformat()))
        for _, minutes in s.plan.minutes:
            if minutes.number is not None:
                out.append(numbering.Entry(minutes.number, "declared", f"{s.plan.id}/{minutes.id}",
                                           one_line(minutes.title or minutes.mark), minutes.date.isoformat()))
    for led in workspace.ledgers if source is None else source.ledgers:
        for entry in led.ledger.numbers:
            out.append(numbering.Entry(entry.number, entry.status, "ledger", one_line(entry.title or entry.note or ""),
                                       entry.date.isoformat() if entry.date else ""))
    return out
