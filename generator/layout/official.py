"""Documents under a 版头 and the others a plan issues: the notice, 通知/通报/请示/报告/函, the
方案 on its own, the 纪要; and the remedies that keep 署名 and 成文日期 off a page of their own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import chinese
from ..model import (
    OFFICIAL_KINDS,
    Jiyao,
    Notice,
    Official,
    Plan,
    PlanDocument,
)
from .blocks import (
    APPENDED_NAMES,
    HEI,
    KAI,
    LANDSCAPE_TITLE_CHARS,
    MAX_TITLE_CHARS,
    MAX_TO_CHARS,
    Appendix,
    Block,
    Colophon,
    Head,
    Layout,
    Run,
    _terms,
    block,
    fragment,
    one_line,
    title_lines,
)
from .duties import departments_in, duties
from .plan_text import body_blocks, plan_blocks


def signature_fits(layout: Layout) -> list[Layout]:
    """Ways to keep 署名 and 成文日期 on a page with body text, mildest first.

    GB/T 9704 7.3.5: they never stand on a page of their own (no “此页无正文”); the
    standard's remedy is to adjust spacing. fawen tries, in order: less room above the
    署名 for the seal, then taking the last body paragraph over to the next page (when
    the body keeps a paragraph on the first page), then tighter lines in the notice, then
    looser ones: the 版头 keeps its place, so when tighter lines cannot bring the 署名 up,
    looser lines take the last lines of the body over to the 署名's page.
    """
    options = []
    blocks = list(layout.blocks)
    while (i := next((k for k, b in enumerate(blocks) if b.role == "seal-space"), None)) is not None:
        blocks = blocks[:i] + blocks[i + 1:]
        options.append(replace(layout, blocks=list(blocks)))
    sig = next((i for i, b in enumerate(blocks) if b.role.startswith("signature")), None)
    if sig is None:  # a 纪要: no 署名 to keep company
        return options
    bodies = [i for i, b in enumerate(blocks[:sig]) if b.role == "body"]
    if len(bodies) >= 2:
        moved = blocks[:bodies[-1]] + [block("page-break")] + blocks[bodies[-1]:]
        options.append(replace(layout, blocks=moved))
    for pitch in (540, 500, 620, 680):  # 27 pt, 25 pt, 31 pt and 34 pt lines in the notice part only
        options.append(replace(layout, blocks=list(blocks), first_part_pitch=pitch))
    return options


# ---------------------------------------------------------------- the notice

def notice_title(plan: Plan, doc: Notice) -> str:
    """The notice's own title, or 关于印发《…》的通知 with the plan title on one line (broken afresh)."""
    return doc.title or fragment("notice_title.j2", plan_title=one_line(plan.title))


def appended_title(plan: Plan, doc: Any) -> str:
    """A document bound with a notice (附件2 …): its own title, or the plan title on one line + its kind."""
    return doc.title or f"{one_line(plan.title)}{APPENDED_NAMES[doc.kind]}"


def _head(plan: Plan, doc: Notice | Official, base: Path | None, signer: str | None) -> Head:
    """The 版头 of a numbered document: the issuer's red mark (or its own template), the number."""
    return Head(organs=(plan.issuer.mark_text.removesuffix("文件"), *plan.issuer.joint),
                mark_suffix="文件" if plan.issuer.mark_text.endswith("文件") else "",
                number=str(doc.number), copy_number=doc.copy_number, secrecy=doc.secrecy,
                urgency=doc.urgency, signer=signer,
                template=(base / plan.issuer.head_template) if base and plan.issuer.head_template else None)


def _opening(b: list[Block], title: str, to: list[str], words: tuple[str, ...]) -> bool:
    """Title, a blank line and the 主送机关; True when 主送 is too long and moves into the 版记."""
    b.append(Block("title", lines=title_lines(title, terms=words)))
    b.append(block("blank"))
    to_text = "，".join(to) + "："
    moved_to = len(to_text) > MAX_TO_CHARS
    if not moved_to:
        b.append(block("to", to_text))
    return moved_to


def _attachment_note(b: list[Block], attachments: list[str]) -> None:
    """附件说明 (7.3.4): one line below the body; several numbered, names aligned."""
    if not attachments:
        return
    b.append(block("blank"))
    if len(attachments) == 1:
        b.append(block("attachment-note", f"附件：{attachments[0]}"))
    else:
        for i, name in enumerate(attachments, 1):
            b.append(block("attachment-note" if i == 1 else "attachment-more",
                           f"{'附件：' if i == 1 else ''}{i}.\t{name}"))


def _signature(b: list[Block], signature: str, seal: bool, date: str) -> None:
    """署名 and 成文日期 (7.3.5), with room for the seal above them (one line without a seal)."""
    b += [block("seal-space") for _ in range(2 if seal else 1)]
    b.append(block("signature-seal" if seal else "signature", signature))
    b.append(block("date-seal" if seal else "date", date))


def _appended(plan: Plan, doc: Notice | Official) -> tuple[list[Any], list[str]]:
    appended = [next(d for d in plan.documents if d.id == ref) for ref in doc.append]
    return appended, [appended_title(plan, d) for d in appended]


def _appendices(layout: Layout, plan: Plan, appended: list[Any], appended_titles: list[str], first: int,
                several: bool, names: dict[str, str], terms: Iterable[str]) -> None:
    """Documents of the plan bound as further attachments (附件2 …), page numbers going on."""
    for k, (d, title) in enumerate(zip(appended, appended_titles, strict=True), first):
        label = f"附件{k}" if several else "附件"
        # the appendix title carries its chosen breaks as newlines: every later title_lines keeps them
        width = LANDSCAPE_TITLE_CHARS if d.kind == "task-table" else MAX_TITLE_CHARS
        shown = "\n".join(title_lines(title, width, layout.terms))
        if d.kind == "task-table":
            from ..tables import rows
            layout.appendices.append(Appendix(label, shown, table=(
                rows(plan, d.measures), names, plan.all_support, list(d.columns))))
        elif d.kind == "responsibilities":
            order = departments_in(plan, list(names))
            layout.appendices.append(Appendix(label, shown, blocks=tuple(
                duties(plan, title, names, order, terms).blocks[2:])))
        else:
            layout.appendices.append(Appendix(label, shown, chart=plan, names=names))


def _colophon(plan: Plan, doc: Notice | Official, moved_to: bool) -> Colophon:
    printed = doc.printed_date or doc.date
    return Colophon(cc=tuple(doc.cc), printed_by=doc.printed_by or plan.issuer.name,
                    printed_date=chinese.format_date(printed), to=tuple(doc.to) if moved_to else ())


def notice(plan: Plan, doc: Notice, names: dict[str, str], base: Path | None = None,
           terms: Iterable[str] = (), refs: dict[str, str] | None = None) -> Layout:
    """关于印发《…》的通知, with the plan as its attachment or following its body.

    Titles keep a block scalar's line breaks where they are displayed as titles; the sentence
    印发《…》, the 附件说明 and the metadata have them on one line."""
    title = notice_title(plan, doc)
    words = _terms(names, terms)
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=plan.title,
                    date=chinese.format_date(doc.date), head=_head(plan, doc, base, doc.signer), terms=words)
    b = layout.blocks
    moved_to = _opening(b, title, doc.to, words)
    body = doc.body or [fragment("notice_body.j2", plan_title=one_line(plan.title))]
    b += body_blocks(body, plan.checklists, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    appended, appended_titles = _appended(plan, doc)
    attachments = [one_line(t) for t in ([plan.title] if doc.plan == "attachment" else []) + appended_titles
                   + list(doc.attachments)]
    _attachment_note(b, attachments)
    _signature(b, doc.signature or plan.issuer.name, doc.seal, layout.date)
    if doc.annotation:
        b.append(block("annotation", f"（{doc.annotation}）"))
    if doc.plan == "body":
        b.append(block("page-break"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names, refs)
    elif doc.plan == "attachment":
        b.append(block("page-break"))
        b.append(block("attachment-label", Run("附件" if len(attachments) == 1 else "附件1", HEI)))
        b.append(block("blank"))
        b.append(Block("title", lines=title_lines(plan.title, terms=words)))
        b.append(block("blank"))
        b += plan_blocks(plan, names, refs)
    _appendices(layout, plan, appended, appended_titles, 2 if doc.plan == "attachment" else 1,
                len(attachments) > 1, names, terms)
    layout.colophon = _colophon(plan, doc, moved_to)
    return layout


def official(plan: Plan, doc: Official, names: dict[str, str], base: Path | None = None,
             terms: Iterable[str] = (), refs: dict[str, str] | None = None) -> Layout:
    """通知, 通报, 请示, 报告: the 版头 (with 签发人 for 上行文), the title as written, 主送, the
    structured body, the contact line (in the 附注 of a 请示, after the body otherwise), 附件说明,
    署名 and 成文日期, 附注, attachments bound from the plan, and the 版记."""
    title = doc.title
    words = _terms(names, terms)
    signer = getattr(doc, "signer", None)
    kind = getattr(doc, "kind", "")
    head = _head(plan, doc, base, signer)
    if kind == "han":  # 信函格式: the organ's name as the mark (no 文件), its own head (render/head.py)
        head = replace(head, organs=(plan.issuer.name,), mark_suffix="", template=None, variant="letter")
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=one_line(title),
                    date=chinese.format_date(doc.date), head=head, terms=words)
    b = layout.blocks
    moved_to = _opening(b, title, doc.to, words)
    b += body_blocks(doc.body, plan.checklists, refs)
    if doc.contact and kind != "qingshi":
        b.append(block("body", f"{doc.contact.text}。"))
    appended, appended_titles = _appended(plan, doc)
    attachments = [one_line(t) for t in [*appended_titles, *doc.attachments]]
    _attachment_note(b, attachments)
    _signature(b, doc.signature or plan.issuer.name, doc.seal, layout.date)
    notes = [doc.annotation] if doc.annotation else []
    if doc.contact and kind == "qingshi":  # GB/T 9704 7.3.6: a 请示 names its contact in the 附注
        notes.append(doc.contact.text)
    if notes:
        b.append(block("annotation", f"（{'；'.join(notes)}）"))
    if kind == "han":  # 10.1: no 印发机关, 印发日期 or rules; 抄送 at the end
        if doc.cc:
            b.append(block("cc-line", f"抄送：{'，'.join(doc.cc)}。"))
        _appendices(layout, plan, appended, appended_titles, 1, len(attachments) > 1, names, terms)
        return layout
    _appendices(layout, plan, appended, appended_titles, 1, len(attachments) > 1, names, terms)
    layout.colophon = _colophon(plan, doc, moved_to)
    return layout


def plan_standalone(plan: Plan, doc: PlanDocument, names: dict[str, str], terms: Iterable[str] = (),
                    refs: dict[str, str] | None = None) -> Layout:
    """The 方案 as a document of its own: no 版头, no 发文字号, no 版记; its 署名 and 成文日期
    (when given) centred under the title, or after the body as a document without a seal has them."""
    title = doc.title or plan.title
    words = _terms(names, terms)
    when = doc.date or (plan.notices[0][1].date if plan.notices else None)
    layout = Layout(doc_id=doc.id, title=title, author=doc.signature or plan.issuer.name, subject=plan.title,
                    date=chinese.format_date(when) if when else "2000年1月1日", head=None, terms=words)
    b = layout.blocks
    b.append(Block("title", lines=title_lines(title, terms=words)))
    under = [x for x in (doc.signature, chinese.format_date(doc.date) if doc.date else None) if x]
    if doc.signed == "title" and under:
        b.append(block("byline", Run(f"（{'　'.join(under)}）", KAI)))
    b.append(block("blank"))
    b += plan_blocks(plan, names, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    if doc.signed == "end" and doc.signature:
        b.append(block("seal-space"))
        b.append(block("signature", doc.signature))
        if doc.date:
            b.append(block("date", layout.date))
    return layout


ATTENDANCE = (("present", "出席"), ("absent", "请假"), ("attending", "列席"))


def minutes(plan: Plan, doc: Jiyao, names: dict[str, str], terms: Iterable[str] = (),
            refs: dict[str, str] | None = None) -> Layout:
    """纪要 (GB/T 9704 10.3): the red “×××纪要” mark (a 发文字号 under it only when declared), an
    optional title, the body, then one line below it 出席/请假/列席 (黑体 label, 仿宋 names, a
    continued line under the first name), and the 版记; no 署名."""
    words = _terms(names, terms)
    title = doc.title or doc.mark
    layout = Layout(doc_id=doc.id, title=title, author=plan.issuer.name, subject=one_line(title),
                    date=chinese.format_date(doc.date),
                    head=Head(organs=(doc.mark,), mark_suffix="", number=str(doc.number) if doc.number else "",
                              variant="minutes"), terms=words)
    b = layout.blocks
    if doc.title:
        b.append(Block("title", lines=title_lines(doc.title, terms=words)))
        b.append(block("blank"))
    b += body_blocks(doc.body, plan.checklists, refs)
    if doc.contact:
        b.append(block("body", f"{doc.contact.text}。"))
    present = [(label, getattr(doc, key)) for key, label in ATTENDANCE if getattr(doc, key)]
    if present:
        b.append(block("blank"))
    for label, people in present:
        b.append(block("attendance", Run(f"{label}：", HEI), Run("，".join(people))))
    printed = doc.printed_date or doc.date
    layout.colophon = Colophon(cc=tuple(doc.cc), printed_by=doc.printed_by or plan.issuer.name,
                               printed_date=chinese.format_date(printed))
    return layout


def document(plan: Plan, doc: Any, names: dict[str, str], base: Path | None = None,
             refs: dict[str, str] | None = None) -> Layout:
    """The layout of a document of one of the kinds beyond the 印发通知 and the tables;
    `refs` says what each 《@…》 cross-reference stands for (validate.references)."""
    if isinstance(doc, PlanDocument):
        return plan_standalone(plan, doc, names, refs=refs)
    if isinstance(doc, Jiyao):
        return minutes(plan, doc, names, refs=refs)
    if getattr(doc, "period", None) is not None:  # progress documents (layout_progress.py)
        from ..layout_progress import document as progress_document
        return progress_document(plan, doc, names, base, refs)
    if doc.kind in OFFICIAL_KINDS:
        return official(plan, doc, names, base, refs=refs)
    raise ValueError(f"no layout for kind {doc.kind}")
