"""Document kinds beyond the 印发通知 (通知, 通报, 请示, 报告, the 方案 on its own) and the structured
body they share, as a reader sees them on the PDF; the examples are plans/pingli-2020."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import build, check, convert, layout, load, pdfread
from generator.model import Item, Plan
from generator.pdfread import MM

from conftest import PLANS

PING = "pingli-2020"
KINDS = {"supervision": "tongzhi", "progress": "tongbao", "reward-request": "qingshi",
         "progress-report": "baogao", "plan": "plan", "joint-meeting": "jiyao", "factories-letter": "han"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace, problems = load.load([PLANS / PING, PLANS / "pingli-2020-factories"])
    assert [p for p in problems if p.severity == "error"] == []
    target = tmp_path_factory.mktemp("kinds")
    report = build.build(workspace, target)
    assert report.ok, report.lines()
    assert report.warnings == [], report.warnings
    return target


def read(out: Path, doc: str, plan: str = PING) -> list[pdfread.Page]:
    return pdfread.read((out / plan / f"{doc}.pdf").read_bytes())


def lines(pages: list[pdfread.Page]) -> list[pdfread.Line]:
    return [ln for p in pages for ln in p.body_lines]


def line(pages: list[pdfread.Page], start: str) -> pdfread.Line:
    return next(ln for ln in lines(pages) if ln.text.startswith(start))


def face(ln: pdfread.Line, text: str) -> str:
    """The font of the characters of `text` where they stand in the line."""
    i = ln.text.index(text)
    fonts = {c.font for c in ln.chars[i:i + len(text)]}
    assert len(fonts) == 1, fonts
    return fonts.pop()


def is_red(ln: pdfread.Line) -> bool:
    c = ln.chars[0].color or (0,)
    return len(c) >= 3 and c[0] > 0.8 and c[1] < 0.2


@pytest.mark.parametrize("doc", sorted(KINDS))
def test_every_kind_passes_the_audit(out: Path, doc: str) -> None:
    pdf = (out / PING / f"{doc}.pdf").read_bytes()
    official = KINDS[doc] != "plan"
    assert check.audit_pages(pdfread.read(pdf), official=official) == []
    assert check.audit_docx((out / PING / f"{doc}.docx").read_bytes()) == []


def test_the_standalone_work_plan_builds_without_notice_number_or_date(out: Path) -> None:
    """plans/pingli-2020-factories: a 工作方案 with no 印发通知, 发文字号, 主送 or 成文日期."""
    pages = read(out, "plan", "pingli-2020-factories")
    assert check.audit_pages(pages, official=False) == []
    text = "".join(ln.text for ln in lines(pages))
    assert not any(is_red(ln) for ln in lines(pages))  # no 版头
    assert not re.search(r"〔\d{4}〕\d+号", text)
    assert not text.endswith("印发")  # no 版记
    assert pages[0].body_lines[0].text == "平利县新社区工厂消防安全专项治理工作方案"
    # a plan section's items: （一） in 楷体, the checklist under it numbered 1. … in 仿宋
    h2 = line(pages, "（一）落实五个责任")
    assert "Kai" in face(h2, "（一）落实五个责任")
    for k, word in enumerate("人事物管防", 1):
        item = line(pages, f"{k}.{word}：")
        assert "Fang" in face(item, f"{k}.{word}")
    assert [p.footer_lines[0].text.replace(" ", "") for p in pages] == [f"—{n}—" for n in range(1, len(pages) + 1)]


def test_plan_document_has_signature_and_date_under_its_title(out: Path) -> None:
    pages = read(out, "plan")
    first = pages[0].body_lines
    assert not any(is_red(ln) for ln in first)
    assert first[0].text == "平利县安全生产专项整治三年行动实施方案" and abs(first[0].size - 22) < 0.5
    byline = first[1]
    assert byline.text.replace("\u3000", "") == "（平利县安全生产委员会2020年7月10日）"  # a reader drops the space
    assert "Kai" in face(byline, "平利县安全生产委员会")
    centre = (byline.x0 + byline.x1) / 2 / MM
    assert abs(centre - (28 + 156 / 2)) < 2
    assert not any(ln.text.endswith("印发") for ln in lines(pages))


def test_tongzhi_title_as_written_headings_checklist_table_contact(out: Path) -> None:
    pages = read(out, "supervision")
    first = pages[0].body_lines
    assert is_red(first[0]) and first[0].text == "平利县安全生产委员会文件"
    title = "".join(ln.text for ln in first if abs(ln.size - 22) < 0.5)
    assert title == "关于建立安全生产专项整治三年行动“112”督查检查机制的通知"  # never 关于印发…
    text = "".join(ln.text for ln in lines(pages))
    assert "印发给你们" not in text
    assert "Hei" in face(line(pages, "一、督查检查安排"), "一、督查检查安排")
    assert "Kai" in face(line(pages, "（一）一月一提示"), "（一）一月一提示。")
    assert "Fang" in face(line(pages, "（一）一月一提示"), "县安委办")
    assert "Hei" in face(line(pages, "三、工作要求"), "三、工作要求")
    assert "Fang" in face(line(pages, "1.镇政府落实属地管理责任"), "1.镇政府落实属地管理责任。")
    assert "Fang" in face(line(pages, "2.行业部门落实监管责任"), "2.行业部门落实监管责任。")
    # the reused checklist, numbered 1. to 5.
    assert [line(pages, f"{k}.").text[:6] for k in range(1, 6)] == [
        "1.联席会议", "2.统计分析", "3.监督检查", "4.约谈通报", "5.考核评价"]
    # the table: bordered, in the 版心, 小四 cells, head row in 黑体
    head = line(pages, "机制")
    assert abs(head.size - 12) < 0.5 and "Hei" in face(head, "机制")
    cell = line(pages, "联合督查")
    assert "Fang" in face(cell, "联合督查") and cell.x0 >= 28 * MM - 1
    # contact at the end of the body, before 署名 and 成文日期; 附注 after them
    texts = [ln.text for ln in lines(pages)]
    joined = "".join(texts)
    contact = joined.index("联系人：李某某，联系电话：0915-8421234，电子邮箱：pladaj@example.cn。")
    assert contact < joined.index("平利县安全生产委员会2020年9月1日")
    date = texts.index("2020年9月1日")
    assert texts[date - 1] == "平利县安全生产委员会" and texts[date + 1] == "（此件公开发布）"
    assert pages[-1].body_lines[-1].text.endswith("印发")


def test_tongbao_signed_by_the_office_on_behalf(out: Path) -> None:
    pages = read(out, "progress")
    texts = [ln.text for ln in lines(pages)]
    assert "平利县安全生产专项整治三年行动领导小组办公室（代章）" in texts
    date = next(ln for ln in lines(pages) if ln.text == "2022年7月8日")
    # with a seal: the date right-indented four characters
    assert abs((28 + 156) * MM - date.x1 - 4 * 15.79) < 3
    assert "Hei" in face(line(pages, "三、下一步工作"), "三、下一步工作")
    assert line(pages, "5.考核评价制度").text.startswith("5.考核评价制度")  # the same checklist, reused
    assert "联系人：县安全生产专项整治三年行动领导小组办公室，联系电话：0915-8421234。" in "".join(texts)


def test_qingshi_signer_one_recipient_contact_in_the_annotation(out: Path) -> None:
    pages = read(out, "reward-request")
    first = pages[0].body_lines
    head = next(ln for ln in first if "签发人：" in ln.text)
    assert head.text.startswith("平安委发〔2021〕1号") and head.text.endswith("签发人：张某某")
    assert "Kai" in face(head, "张某某")
    assert "平利县人民政府：" in [ln.text for ln in first]
    texts = [ln.text for ln in lines(pages)]
    date = texts.index("2021年3月15日")
    assert texts[date + 1] == "（联系人：李某某，联系电话：0915-8421234）"
    assert not any(t.startswith("联系人：") for t in texts)  # not in the body
    assert "附件：平利县安全生产领域举报奖励办法（送审稿）" in texts


def test_baogao_numbers_a_checklist_in_the_second_level_style(out: Path) -> None:
    pages = read(out, "progress-report")
    assert any("签发人：张某某" in ln.text for ln in pages[0].body_lines)
    assert line(pages, "（一）继续落实").text.startswith("（一）继续落实联席会议")
    assert line(pages, "（二）总结").text.startswith("（二）总结")


def test_the_audit_fails_a_request_without_contact_or_signer(tmp_path: Path) -> None:
    """A 请示 rendered without its 附注 (as if validation were bypassed), and without 签发人."""
    from generator.render import docx as render

    workspace, _ = load.load([PLANS / PING])
    source = next(s for s in workspace.plans if s.plan.id == PING)
    doc = next(d for d in source.plan.documents if d.id == "reward-request")
    names = source.registry.names() if source.registry else {}
    bare = layout.official(source.plan, doc.model_copy(update={"contact": None, "signer": None}), names)  # type: ignore[arg-type]
    bare = layout.signature_fits(bare)[1]  # the last paragraph over: 署名 never alone
    pages = pdfread.read(convert.to_pdf(render.render(bare, None), "bare-request"))
    findings = check.audit_pages(pages)
    assert "a 请示 without its contact person and phone in the 附注 below the 成文日期 (7.3.6)" in findings
    assert "page 1: a 请示 (上行文) without 签发人 in the 版头 (7.2.5)" in findings


def test_jiyao_has_its_red_mark_no_number_and_attendance_lines(out: Path) -> None:
    pages = read(out, "joint-meeting")
    first = pages[0].body_lines
    assert is_red(first[0]) and first[0].text == "平利县安全生产专项整治联席会议纪要"
    assert abs(first[0].top / MM - 37 - 35) < 2  # 35 mm below the top of the 版心 (10.3)
    text = "".join(ln.text for ln in lines(pages))
    assert not re.search(r"〔\d{4}〕\d+号", text)  # no 发文字号 unless declared
    for label in ("出席", "请假", "列席"):
        ln = line(pages, f"{label}：")
        assert "Hei" in face(ln, label) and "Fang" in face(ln, ln.text[3:6])
        assert abs(ln.x0 / MM - 28 - 2 * 15.79 / MM) < 1.5  # two characters in
    present = next(ln for ln in lines(pages) if ln.text.startswith("出席："))
    following = lines(pages)[lines(pages).index(present) + 1]
    assert abs(following.x0 - present.chars[3].x0) < 3  # a continued line under the first name
    assert pages[-1].body_lines[-1].text == "平利县安全生产委员会办公室2020年9月28日印发"
    assert len(pages) % 2 == 0


def test_han_letter_format(out: Path) -> None:
    pages = read(out, "factories-letter")
    first = pages[0]
    mark = first.lines[0]
    assert is_red(mark) and mark.text == "平利县安全生产委员会"  # the organ's name, no 文件
    assert abs(mark.top / MM - 30) < 1.5  # 30 mm from the top edge of the page
    red = sorted((round(r.y / MM, 1), r.width, round(r.x0 / MM), round(r.x1 / MM)) for r in first.rules
                 if r.color and r.color[0] > 0.8)
    assert {(x0, x1) for _, _, x0, x1 in red} == {(20, 190)}  # 170 mm, centred
    upper = [r for r in red if r[0] < 60]
    lower = [r for r in red if r[0] > 250]
    assert upper[0][1] > upper[1][1] and lower[0][1] < lower[1][1]  # thick over thin; thin over thick
    assert abs(lower[0][0] - 277) < 1.5  # 20 mm above the bottom edge
    number = next(ln for ln in first.body_lines if ln.text == "平安委函〔2020〕1号")
    assert abs(number.x1 / MM - 184) < 2 and number.top / MM > upper[-1][0]
    assert first.footer_lines == []  # no page number on page 1
    assert "signer" not in KINDS  # a letter has no 签发人: the model refuses the key (tests/broken)
    assert "抄送：县市场监督管理局。" in [ln.text for ln in lines(pages)]


def test_the_audit_fails_a_broken_letter_and_broken_minutes(out: Path) -> None:
    """The letter's mark moved into the 版心 and a page number on page 1; the minutes' 出席 in 仿宋."""
    import io
    import zipfile

    def mutate(data: bytes, part: str, fn) -> bytes:  # type: ignore[no-untyped-def]
        src, out_ = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out_, "w") as dst:
            for name in src.namelist():
                blob = src.read(name)
                dst.writestr(name, fn(blob.decode()).encode() if name == part else blob)
        return out_.getvalue()

    letter = (out / PING / "factories-letter.docx").read_bytes()
    moved = mutate(letter, "word/header1.xml", lambda s: s.replace('w:y="1701"', 'w:y="1928"'))  # 30 → 34 mm
    assert moved != letter
    findings = check.audit_pdf(convert.to_pdf(moved, "letter-moved"))
    assert any("发文机关标志 top edge" in f and "(10.1)" in f for f in findings), findings
    def first_footer_numbered(xml: str) -> str:  # page 1 given the footer with the page number
        default = re.search(r'<w:footerReference w:type="default" r:id="(\w+)"/>', xml)
        assert default is not None
        return re.sub(r'(<w:footerReference w:type="first" r:id=")\w+', rf"\g<1>{default.group(1)}", xml)

    numbered = mutate(letter, "word/document.xml", first_footer_numbered)
    findings = check.audit_pdf(convert.to_pdf(numbered, "letter-numbered"))
    assert "page 1: a letter carries no page number on its first page (10.1)" in findings, findings
    assert "page 1: no red double rule at the lower edge (10.1)" in findings

    minutes = (out / PING / "joint-meeting.docx").read_bytes()
    hei = '<w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体" w:hint="eastAsia"/>'
    fang = hei.replace("黑体", "仿宋_GB2312")
    plain = mutate(minutes, "word/document.xml", lambda s: re.sub(
        re.escape(hei) + '(<w:spacing[^>]*/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t[^>]*>出席：)',
        lambda m: fang + m.group(1), s))
    assert plain != minutes
    findings = check.audit_pdf(convert.to_pdf(plain, "minutes-plain"))
    assert "page 2: “出席” not in 黑体 (10.3)" in findings, findings


def test_a_cross_reference_names_the_document_by_title_and_number(out: Path) -> None:
    text = "".join(ln.text for ln in lines(read(out, "supervision")))
    assert "为推动《关于印发〈平利县安全生产专项整治三年行动实施方案〉的通知》（平安委发〔2020〕3号）落地见效" in text
    text = "".join(ln.text for ln in lines(read(out, "progress-report")))
    assert "《平利县安委会2020年工作要点》（平安委发〔2020〕1号）" in text  # from plans/pingli-2020/numbers.yaml


def test_a_renumbering_shows_everywhere_it_is_cited(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    shutil.copytree(PLANS, root)
    plan = root / PING / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("number: 平安委发〔2020〕3号", "number: 平安委发〔2020〕5号"), encoding="utf-8")
    workspace, problems = load.load([root])
    assert [p for p in problems if p.severity == "error"] == []
    by_name = {j.name: j for j in build.jobs(workspace)}
    shown = "".join(b.text for b in by_name[f"{PING}/supervision"].layout.blocks)
    assert "的通知》（平安委发〔2020〕5号）落地见效" in shown and "3号" not in shown


def test_diff_reports_body_items_by_id(tmp_path: Path) -> None:
    from generator import diff

    trees = []
    for side in ("old", "new"):
        root = tmp_path / side
        root.mkdir()
        for name in ("departments.yaml", "numbers.yaml"):
            shutil.copy(PLANS / name, root)
        shutil.copytree(PLANS / PING, root / PING)
        trees.append(root)
    plan = trees[1] / PING / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("明确当月排查重点。", "明确当月排查重点和整改要求。")  # reworded (id tip)
    text = text.replace("          - id: inspection\n            h2: 两月一督查\n"
                        "            text: 每两个月组织一次联合督查，采取自查、督查、抽查、复查相结合的方式。\n", "")
    text = text.replace("          - h2: 按时报送\n", "          - id: deadline\n            h2: 按时报送\n")
    text = text.replace("现将有关事项通知如下。", "现将有关事项通知如下：")  # a paragraph without id
    plan.write_text(text, encoding="utf-8")
    (a, pa), (b, pb) = load.load([trees[0]]), load.load([trees[1]])
    assert [p for p in pa + pb if p.severity == "error"] == []
    found = {(c.kind, c.subject) for c in diff.compare(a, b)}
    assert {("body-item-reworded", "supervision/tip"), ("body-item-removed", "supervision/inspection"),
            ("body-item-added", "supervision/deadline"), ("body-text-changed", "supervision")} <= found
    reworded = next(c for c in diff.compare(a, b) if c.kind == "body-item-reworded")
    assert "{+和整改要求+}" in reworded.summary


# ---------------------------------------------------------------- the structured body, without LibreOffice

def test_body_numbers_each_level_in_its_face() -> None:
    body = [Item.model_validate(x) for x in [
        {"h1": "总体要求", "items": ["坚持人民至上。", {
            "h2": "目标", "text": "到2022年底完成。",
            "items": [{"h3": "细项", "items": [{"h4": "末级", "text": "内容"}]}]}]},
        {"h1": "主要任务", "items": [{"checklist": ["甲", "乙"]}, {"checklist": ["丙"], "style": "（一）"},
                                   {"table": [["项目", "时限"], ["排查", "2020年底前"]]}]},
    ]]
    blocks = layout.body_blocks(body)
    shown = [(b.role, b.text, b.runs[0].face if b.runs else None) for b in blocks]
    assert shown == [
        ("h1", "一、总体要求", "hei"),
        ("body", "坚持人民至上。", "fang"),
        ("body", "（一）目标。到2022年底完成。", "kai"),
        ("h2", "1.细项", "fang"),
        ("body", "（1）末级。内容", "fang"),
        ("h1", "二、主要任务", "hei"),
        ("body", "1.甲", "fang"),
        ("body", "2.乙", "fang"),
        ("body", "（一）丙", "fang"),
        ("table", "", None),
    ]
    assert blocks[-1].rows == (("项目", "时限"), ("排查", "2020年底前")) and blocks[-1].header


def test_plain_strings_still_make_a_notice_body() -> None:
    assert [b.text for b in layout.body_blocks(["第一段。", "第二段。"])] == ["第一段。", "第二段。"]


def _sample(tmp_path: Path, documents: str) -> Path:
    root = tmp_path / "plans"
    shutil.copytree(Path(__file__).parent / "broken" / "04-unknown-key", root)
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("titel:", "title:")
    plan.write_text(text.split("documents:\n")[0] + documents, encoding="utf-8")
    shutil.copy(Path(__file__).parent / "broken" / "departments.yaml", root / "departments.yaml")
    return root


def test_a_notice_that_issues_nothing_warns_about_the_stock_sentence(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = _sample(tmp_path, """documents:
  - id: notice
    kind: notice
    number: 某安发〔2020〕1号
    to: [各有关单位]
    date: 2020-06-23
    plan: none
""")
    status, _out, err = run_cli("validate", ".", cwd=root)
    assert status == 0
    assert ("plan.yaml:40:11: warning: notice 'notice' has `plan: none` but still prints the stock sentence "
            "现将《…》印发给你们; write its own `body`, or make it `kind: tongzhi` with a title as written") in err


def test_structured_body_in_a_notice_keeps_the_model_frozen() -> None:
    plan_keys = set(Plan.model_fields)
    assert {"checklists", "documents"} <= plan_keys
