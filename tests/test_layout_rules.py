"""GB/T 9704 rules the build must satisfy by itself, measured on the PDF.

7.3.4: a long attachment name wraps under its own first character.
7.3.5: 署名 and 成文日期 never stand on a page without body text; the build adjusts the
line spacing (or moves body lines over) itself instead of leaving it to the user.
"""

from __future__ import annotations

import pytest

from generator import build, check, convert, layout, load, pdfread
from generator.model import Notice
from generator.pdfread import MM

from conftest import PLANS

HAN = "安全生产专项整治三年行动计划实施方案工作要求统筹发展和推进落实责任体系建设重点行业领域隐患排查治理"


@pytest.fixture(scope="module")
def pool():  # type: ignore[no-untyped-def]
    with convert.Pool(1) as p:
        yield p


def _notice(pool: convert.Pool, **update: object) -> list[pdfread.Page]:
    workspace, problems = load.load([PLANS / "pingli-2020"])
    assert problems == []
    source = workspace.plans[0]
    doc = next(d for d in source.plan.documents if isinstance(d, Notice))
    lay = layout.notice(source.plan, doc.model_copy(update=update), source.registry.names())
    _, pdf, _, pages = build.render_pdf(build.Job(source.plan.id, doc.id, lay), pool)
    assert pages == pdfread.read(pdf)
    return pages


def _lines_from(pages: list[pdfread.Page], start: str, count: int) -> list[pdfread.Line]:
    body = [ln for page in pages for ln in page.body_lines]  # a list may go on on the next page
    for i, ln in enumerate(body):
        if ln.text.startswith(start):
            return body[i:i + count]
    raise AssertionError(f"no line starts with {start}")


def test_a_single_long_attachment_name_wraps_under_its_first_character(pool: convert.Pool) -> None:
    name = "平利县安全生产专项整治三年行动危险化学品和城镇燃气重点行业领域实施方案"
    pages = _notice(pool, plan="none", attachments=[name])
    first, second = _lines_from(pages, "附件：", 2)
    assert first.chars[0].x0 == pytest.approx((28 + 2 * 5.57) * MM, abs=1.5)  # 左空二字
    assert (first.text + second.text).startswith(f"附件：{name}")
    name_x = first.chars[3].x0  # “附件：” and then the name
    assert second.chars[0].x0 == pytest.approx(name_x, abs=0.5)


def test_several_long_attachment_names_wrap_under_their_names(pool: convert.Pool) -> None:
    names = ["平利县安全生产专项整治三年行动危险化学品和城镇燃气重点行业领域实施方案",
             "平利县安全生产专项整治三年行动道路运输和交通运输重点行业领域实施方案"]
    pages = _notice(pool, plan="none", attachments=names)
    one, one_more, two, two_more = _lines_from(pages, "附件：1.", 4)
    assert one.text.startswith("附件：1.") and two.text.startswith("2.")
    name_x = one.chars[5].x0  # after “附件：1.”
    assert one_more.chars[0].x0 == pytest.approx(name_x, abs=0.5)
    assert two.chars[0].x0 == pytest.approx(one.chars[3].x0, abs=0.5)  # “2.” under “1.”
    assert two.chars[2].x0 == pytest.approx(name_x, abs=0.5)
    assert two_more.chars[0].x0 == pytest.approx(name_x, abs=0.5)


@pytest.mark.parametrize("length", [22, 24, 27])
def test_the_audit_counts_the_tab_of_a_numbered_attachment_name(pool: convert.Pool, length: int) -> None:
    """“附件：1.” then a tab to the name's column: a full first line is full, not short by the tab."""
    names = ["某县" + HAN[:length] + "方案", "某县安全生产专项整治任务分解表"]
    pages = _notice(pool, plan="none", attachments=names)
    one, _more = _lines_from(pages, "附件：1.", 2)
    assert one.chars[-1].x1 > (28 + 156 - 8) * MM  # the line reaches the right edge (within half a cell)
    assert [f for f in check.audit_pages(pages) if "would fit" in f] == []


@pytest.mark.parametrize("length", [184, 212])
def test_signature_never_stands_alone_with_one_long_paragraph(pool: convert.Pool, length: int) -> None:
    """A single body paragraph that fills page 1: no tighter spacing brings the 署名 up (the
    版头 keeps its place), so looser lines take body text over to the 署名's page."""
    body = (HAN * 10)[:length] + "。"
    pages = _notice(pool, plan="none", body=[body], seal=True,
                    annotation="联系人：张三，电话：0915-8421234，请各单位每月5日前报送进展情况")
    assert check.signature_alone(pages) is None
    date_page = next(p for p in pages if any(check.DATE_LINE.fullmatch(ln.text) for ln in p.body_lines))
    above = []
    for ln in date_page.body_lines:
        if check.DATE_LINE.fullmatch(ln.text):
            break
        above.append(ln.text)
    assert any(t and body.endswith(t) for t in above) or any(t in body for t in above if len(t) > 4)
    assert check.audit_pages(pages) == []
