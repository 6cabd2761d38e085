"""Rendering edge cases: awkward text, joint issuance, broken documents caught by the audit."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator import build, check, convert, load, pdfread
from generator.errors import ConvertError

from conftest import PLANS

AWKWARD = "甲&乙<丙>丁\"戊'己 镆氡 A&B<C>"


def _plan_dir(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "plans"
    root.mkdir()
    shutil.copy(PLANS / "departments.yaml", root / "departments.yaml")
    shutil.copytree(PLANS / "pingli-2020", root / "pingli-2020")
    plan = root / "pingli-2020" / "plan.yaml"
    plan.write_text(edit(plan.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def _build(root: Path, out: Path, pdf: bool = True) -> build.Report:
    workspace, problems = load.load([root])
    assert problems == []
    return build.build(workspace, out, pdf=pdf)


def test_markup_characters_and_rare_characters_round_trip(tmp_path: Path) -> None:
    root = _plan_dir(tmp_path, lambda t: t.replace(
        "- 到2022年底，全县", f"- '{AWKWARD.replace(chr(39), chr(39) * 2)}'\n      - 到2022年底，全县"))
    report = _build(root, tmp_path / "out")
    assert report.ok, report.lines()
    assert report.warnings == []  # every character has a glyph: no empty boxes
    docx_text = "\n".join(p.text for p in Document(tmp_path / "out" / "pingli-2020" / "notice.docx").paragraphs)
    assert AWKWARD in docx_text
    pages = pdfread.read((tmp_path / "out" / "pingli-2020" / "notice.pdf").read_bytes())
    pdf_text = "".join(ln.text for p in pages for ln in p.lines)
    assert AWKWARD.replace(" ", "") in pdf_text


def test_a_glyph_missing_from_the_fonts_is_reported(tmp_path: Path) -> None:
    """𠀀 (U+20000) is in no Fandol face: the build says so instead of printing an empty box,
    and fails the document: LibreOffice's text layer then loses text near it (the next “到”)."""
    root = _plan_dir(tmp_path, lambda t: t.replace("- 到2022年底，全县", "- 生僻字𠀀测试。\n      - 到2022年底，全县"))
    report = _build(root, tmp_path / "out")
    assert not report.ok
    # the notice and the plan on its own (kind: plan) both carry the paragraph
    assert sorted(f.split(":")[0] for f in report.failed) == ["pingli-2020/notice", "pingli-2020/plan"]
    failed = next(f for f in report.failed if f.startswith("pingli-2020/notice:"))
    assert failed.startswith("pingli-2020/notice: the PDF lost ")
    assert "(a character has no glyph in the fonts: see the warning)" in failed
    assert not (tmp_path / "out" / "pingli-2020" / "notice.pdf").exists()
    warnings = [w for w in report.warnings if "has no glyph" in w and w.startswith("pingli-2020/notice:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("pingli-2020/notice: 仿宋_GB2312 (here FandolFang) has no glyph for 𠀀;")


def test_joint_issuance_stacks_the_organs_in_red(tmp_path: Path) -> None:
    root = _plan_dir(tmp_path, lambda t: t.replace(
        "  code: 平安委发\n", "  code: 平安委发\n  joint: [平利县应急管理局, 平利县住房和城乡建设局]\n").replace(
        "  name: 平利县安全生产委员会\n", "  name: 平利县安全生产委员会\n  mark: 平利县安全生产委员会文件\n"))
    report = _build(root, tmp_path / "out")
    assert report.ok, report.lines()
    first = pdfread.read((tmp_path / "out" / "pingli-2020" / "notice.pdf").read_bytes())[0]
    red = [ln for ln in first.lines if ln.chars[0].color and ln.chars[0].color[0] > 0.9 and ln.chars[0].color[1] < 0.1]
    texts = [ln.text for ln in red]
    assert texts[0].startswith("平利县安全生产委员会")
    assert any("平利县应急管理局" in t for t in texts) and any("平利县住房和城乡建设局" in t for t in texts)
    assert any(t.endswith("文件") or t == "文件" for t in texts)
    assert red[0].top < red[1].top < red[2].top  # lead organ first, stacked


def _mutate_docx(data: bytes, part: str, fn) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            blob = src.read(name)
            if name == part:
                blob = fn(blob.decode("utf-8")).encode("utf-8")
            dst.writestr(name, blob)
    return out.getvalue()


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("good")
    workspace, _ = load.load([PLANS / "pingli-2020"])
    assert build.build(workspace, out, pdf=False).ok
    return (out / "pingli-2020" / "notice.docx").read_bytes()


def test_audit_catches_wrong_margins(good_docx: bytes) -> None:
    bad = _mutate_docx(good_docx, "word/document.xml",
                       lambda s: re.sub(r'w:top="2098"', 'w:top="1440"', s).replace('w:left="1587"', 'w:left="1800"'))
    docx_findings = check.audit_docx(bad)
    assert any("top margin 25.4 mm, not 37 mm (5.2.2)" in f for f in docx_findings)
    assert any("left margin" in f for f in docx_findings)
    pdf_findings = check.audit_pdf(convert.to_pdf(bad, "bad-margins"))
    assert any("page 1" in f and "35 mm (7.2.4)" in f for f in pdf_findings)
    assert any("starts" in f or "版心" in f for f in pdf_findings)


def test_audit_catches_a_missing_east_asian_font_and_page_numbers(good_docx: bytes) -> None:
    bad = _mutate_docx(good_docx, "word/document.xml", lambda s: s.replace('w:eastAsia="仿宋_GB2312" ', "", 1))
    assert any("no East Asian font" in f for f in check.audit_docx(bad))
    no_numbers = _mutate_docx(good_docx, "word/settings.xml", lambda s: s.replace("<w:evenAndOddHeaders/>", ""))
    assert any("(7.5)" in f for f in check.audit_docx(no_numbers))


def test_audit_catches_a_document_without_colophon_and_an_odd_last_page(good_docx: bytes) -> None:
    """The first-pass rendering has no 版记: the audit must say so."""
    from generator.render import docx as render
    workspace, _ = load.load([PLANS / "pingli-2020"])
    job = build.jobs(workspace)[0]
    pdf = convert.to_pdf(render.render(job.layout, None), "no-colophon")
    findings = check.audit_pdf(pdf)
    assert "no 版记 (印发机关 and 印发日期) found (7.4)" in findings
    wrong = render.render(job.layout, render.Placement(filler=0))  # 版记 right after the text, odd page
    findings = check.audit_pdf(convert.to_pdf(wrong, "colophon-misplaced"))
    assert any("(7.4" in f for f in findings)


def test_audit_catches_too_many_lines(tmp_path: Path) -> None:
    workspace, _ = load.load([PLANS / "zaozhuang-gxq-2020"])
    assert build.build(workspace, tmp_path, pdf=False).ok
    long_docx = (tmp_path / "zaozhuang-gxq-2020" / "notice.docx").read_bytes()
    tight = _mutate_docx(long_docx, "word/document.xml",
                         lambda s: s.replace('w:line="579"', 'w:line="520"').replace('w:linePitch="579"',
                                                                                       'w:linePitch="520"'))
    tight = _mutate_docx(tight, "word/styles.xml", lambda s: s.replace('w:line="579"', 'w:line="520"'))
    findings = check.audit_pdf(convert.to_pdf(tight, "tight"))
    assert any("more than 22 (5.2.3)" in f or "not 22 (5.2.3)" in f or "pitch" in f for f in findings)


def test_check_command_exit_status(run_cli, tmp_path: Path, good_docx: bytes) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.docx"
    good.write_bytes(good_docx)
    status, out, _err = run_cli("check", str(good))
    assert status == 0 and "conforms to GB/T 9704-2012" in out
    bad = tmp_path / "bad.docx"
    bad.write_bytes(_mutate_docx(good_docx, "word/document.xml", lambda s: s.replace('w:top="2098"', 'w:top="1440"')))
    status, out, err = run_cli("check", str(bad))
    assert status == 1 and "top margin" in err and not out
    status, _out, err = run_cli("check", str(tmp_path / "missing.pdf"))
    assert status == 2 and "cannot read" in err
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.6\n1 0 obj <<>> trailer <<>>")
    status, out, err = run_cli("check", str(damaged))
    assert status == 1 and "damaged.pdf: the PDF cannot be read" in err and "Traceback" not in out + err


def test_corrupt_docx_fails_with_a_clear_error() -> None:
    with pytest.raises(ConvertError) as err:
        convert.to_pdf(b"PK\x03\x04 this is not a document", "broken/doc", timeout=60)
    assert str(err.value).startswith("broken/doc: ")


def _head_template(path: Path) -> None:
    from docx.shared import Pt, RGBColor
    doc = Document()
    p = doc.add_paragraph()
    run = p.add_run("{{ mark }}")
    run.font.size = Pt(36)
    run.font.color.rgb = RGBColor(0xFF, 0, 0)
    doc.add_paragraph("自定红头 {{ number }}")
    doc.save(str(path))


def test_an_office_can_bring_its_own_red_head(tmp_path: Path) -> None:
    root = _plan_dir(tmp_path, lambda t: t.replace("  code: 平安委发\n",
                                                   "  code: 平安委发\n  head_template: head.docx\n"))
    _head_template(root / "pingli-2020" / "head.docx")
    report = _build(root, tmp_path / "out", pdf=False)
    assert report.ok, report.lines()
    texts = [p.text for p in Document(tmp_path / "out" / "pingli-2020" / "notice.docx").paragraphs]
    assert texts[0] == "平利县安全生产委员会文件"
    assert texts[1] == "自定红头 平安委发〔2020〕3号"
    assert texts[2:4] == ["", ""]
    assert texts[4].replace("\n", "") == "关于印发《平利县安全生产专项整治三年行动实施方案》的通知"


def test_head_template_errors_are_clear(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = _plan_dir(tmp_path, lambda t: t.replace("  code: 平安委发\n",
                                                   "  code: 平安委发\n  head_template: nohead.docx\n"))
    status, _out, err = run_cli("validate", str(root))
    assert status == 1
    assert "plan.yaml:8:18: error: head template 'nohead.docx' is not a DOCX file here" in err
    doc = Document()
    doc.add_paragraph("{{ orgnas }}")
    doc.save(str(root / "pingli-2020" / "nohead.docx"))
    status, _out, err = run_cli("build", str(root), "-o", str(tmp_path / "out"), "--no-pdf")
    assert status == 1
    assert "head template nohead.docx: 'orgnas' is undefined" in err
    assert not (tmp_path / "out" / "pingli-2020" / "notice.docx").exists()


def test_head_with_copy_number_secrecy_urgency_and_signer(tmp_path: Path) -> None:
    root = _plan_dir(tmp_path, lambda t: t.replace(
        "    seal: false\n",
        "    seal: false\n    copy_number: '000001'\n    secrecy: 秘密★1年\n    urgency: 特急\n    signer: 张明\n"))
    report = _build(root, tmp_path / "out")
    assert report.ok, report.lines()
    first = pdfread.read((tmp_path / "out" / "pingli-2020" / "notice.pdf").read_bytes())[0]
    lines = first.lines
    assert [ln.text for ln in lines[:3]] == ["000001", "秘密★1年", "特急"]
    assert all(abs(ln.x0 / pdfread.MM - 28) < 0.5 for ln in lines[:3])
    assert lines[1].chars[0].font.startswith("FandolHei") and lines[2].chars[0].font.startswith("FandolHei")
    mark = next(ln for ln in lines if ln.text == "平利县安全生产委员会文件")
    assert 33 <= mark.top / pdfread.MM - 37 <= 37
    number = next(ln for ln in lines if "平安委发" in ln.text)
    assert number.text == "平安委发〔2020〕3号签发人：张明"
    one = 156 / 28
    assert abs(number.x0 / pdfread.MM - (28 + one)) < 1          # number one character in from the left
    assert abs(number.x1 / pdfread.MM - (184 - one)) < 1         # 签发人 one character in from the right
    assert number.chars[-1].font.startswith("FandolKai")          # the name in 楷体


def test_colophon_placement_rules() -> None:
    from generator.layout import Colophon
    from generator.render.colophon import Placement, place_colophon
    with_cc = Colophon(cc=("甲",), printed_by="乙", printed_date="2020年1月1日")
    assert place_colophon(pages=4, free_lines=10, colophon=with_cc) == Placement(filler=8)
    assert place_colophon(pages=3, free_lines=10, colophon=with_cc) == Placement(filler=20, new_page=True)
    assert place_colophon(pages=4, free_lines=1, colophon=with_cc) == Placement(20, new_page=True, blank_page=True)
    without_cc = Colophon(cc=(), printed_by="乙", printed_date="2020年1月1日")
    assert place_colophon(pages=2, free_lines=1, colophon=without_cc) == Placement(filler=0)


def test_full_even_page_gets_an_unnumbered_blank_page_before_the_colophon() -> None:
    """Text that ends at the bottom of an even page: blank page, then the 版记 page, neither numbered."""
    from generator import layout as lay
    from generator.render import docx as render
    from generator.render.colophon import place_colophon
    para = ("这是一个用于测试版记位置的段落，它正好占三行。" * 3)[:82] + "。"
    blocks = [lay.block("body", para)] * 14 + [lay.block("body", "短句。")]  # 43 lines: page 2 has 21
    doc = lay.Layout(doc_id="t", title="t", author="a", subject="s", date="2020年1月1日", head=None, blocks=blocks,
                     colophon=lay.Colophon(cc=("某单位",), printed_by="某办公室", printed_date="2020年1月1日"))
    probe = pdfread.read(convert.to_pdf(render.render(doc, None), "probe"))
    assert len(probe) == 2 and pdfread.free_lines(probe[-1]) < 2
    placement = place_colophon(len(probe), pdfread.free_lines(probe[-1]), doc.colophon)
    assert placement.blank_page
    pages = pdfread.read(convert.to_pdf(render.render(doc, placement), "final"))
    assert len(pages) == 4
    assert pages[2].lines == []  # the blank page: no text, no page number
    assert not pages[3].footer_lines and any(ln.text.endswith("印发") for ln in pages[3].lines)
    assert [ln.text for p in pages[:2] for ln in p.footer_lines] == ["—1—", "—2—"]
    rules = sorted(pages[3].rules, key=lambda r: r.y)
    assert abs(rules[-1].y / pdfread.MM - 262) <= 1.5


def test_remedies_for_a_lonely_signature_go_from_mild_to_strong() -> None:
    from generator import layout as lay
    workspace, _ = load.load([PLANS / "zaozhuang-gxq-2020"])
    job = next(j for j in build.jobs(workspace) if j.plan_id == "zaozhuang-gxq-2020")
    options = lay.signature_fits(job.layout)
    seal_space = [sum(b.role == "seal-space" for b in o.blocks) for o in options]
    assert seal_space[:2] == [1, 0]
    assert [o.first_part_pitch for o in options][-4:] == [540, 500, 620, 680]  # tighter, then looser
    assert all(o.first_part_pitch is None for o in options[:-4])


def test_long_to_list_moves_into_the_colophon_and_long_cc_wraps(tmp_path: Path) -> None:
    towns = [f"第{n}镇人民政府" for n in range(1, 21)]
    offices = [f"县第{n}委员会办公室" for n in range(1, 9)]
    root = _plan_dir(tmp_path, lambda t: t.replace(
        "to: [各镇人民政府, 县安委会各成员单位]", f"to: [{', '.join(towns)}]").replace(
        "cc: [市安委会办公室]", f"cc: [{', '.join(offices)}]"))
    report = _build(root, tmp_path / "out")
    assert report.ok, report.lines()
    pages = pdfread.read((tmp_path / "out" / "pingli-2020" / "notice.pdf").read_bytes())
    assert not any(ln.text.startswith("第1镇人民政府") for ln in pages[0].lines)
    assert any(ln.text.startswith("现将《") for ln in pages[0].lines)  # the body starts on page 1
    last = "".join(ln.text for ln in pages[-1].lines)
    assert "主送：" + "，".join(towns) + "。" in last
    assert "抄送：" + "，".join(offices) + "。" in last
    rules = sorted(pages[-1].rules, key=lambda r: r.y)
    assert len(rules) == 4 and abs(rules[-1].y / pdfread.MM - 262) <= 1.5
    assert check.audit_pdf((tmp_path / "out" / "pingli-2020" / "notice.pdf").read_bytes()) == []
