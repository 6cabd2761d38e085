"""The notice and its plan as a reader sees them: measured on the PDF, read from the DOCX XML.

These tests run LibreOffice for real (make test installs it) and measure with fawen's own
PDF reader (PDFium), which one test holds against pdfplumber, an independent reader.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from generator import build, check, load, pdfread
from generator.pdfread import MM

from conftest import PLANS, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZAO = "zaozhuang-gxq-2020"
PING = "pingli-2020"
HAZ = "zaozhuang-gxq-2020-hazchem"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace, problems = load.load([PLANS])
    assert problems == []
    target = tmp_path_factory.mktemp("out")
    report = build.build(workspace, target)
    assert report.ok, report.lines()
    return target


def pages(out: Path, plan: str) -> list[pdfread.Page]:
    return pdfread.read((out / plan / "notice.pdf").read_bytes())


def test_outputs_exist_and_pass_the_audit(out: Path) -> None:
    for plan in (ZAO, PING, HAZ):
        for ext in ("docx", "pdf"):
            assert (out / plan / f"notice.{ext}").stat().st_size > 1000
        assert check.audit_pdf((out / plan / "notice.pdf").read_bytes()) == []
        assert check.audit_docx((out / plan / "notice.docx").read_bytes()) == []


@pytest.mark.parametrize("doc", [f"{ZAO}/notice", f"{ZAO}/task-table", f"{PING}/notice"])
def test_reader_agrees_with_pdfplumber(out: Path, doc: str) -> None:
    """Every character (text, box, size, face, colour) and every rule fawen's PDFium reader
    sees, pdfplumber (pdfminer, pure Python) sees the same, within 0.05 pt."""
    import pdfplumber

    data = (out / f"{doc}.pdf").read_bytes()
    ours = pdfread.read(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(ours)
        for page, mine in zip(pdf.pages, ours, strict=True):
            theirs = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["bottom"]), c["x0"]))
            seen = sorted((c for ln in mine.lines for c in ln.chars), key=lambda c: (round(c.bottom), c.x0))
            assert [c["text"] for c in theirs] == [c.text for c in seen]
            for a, b in zip(theirs, seen, strict=True):
                assert b.font == a["fontname"].split("+")[-1]
                boxes = (a["x0"] - b.x0, a["x1"] - b.x1, a["top"] - b.top, a["bottom"] - b.bottom)
                assert max(abs(v) for v in boxes) < 0.05, (a["text"], boxes)
                if b.upright:  # pdfminer gives a turned glyph's advance as its size
                    assert abs(a["size"] - b.size) < 0.05
                color = a.get("non_stroking_color") or (0,)
                assert [round(v, 2) for v in (color * 3 if len(color) == 1 else color)] == \
                    [round(v, 2) for v in b.color or ()]
            rules = [(o["x0"], o["x1"], (o["top"] + o["bottom"]) / 2) for o in page.lines + page.rects
                     if o["x1"] - o["x0"] > 50 and abs(o["bottom"] - o["top"]) < 5]
            assert len(rules) == len(mine.rules)
            for a, r in zip(sorted(rules), sorted((r.x0, r.x1, r.y) for r in mine.rules), strict=True):
                assert max(abs(u - v) for u, v in zip(a, r, strict=True)) < 0.05


def test_a4_and_text_block(out: Path) -> None:
    ps = pages(out, ZAO)
    for p in ps:  # A4, upright or (the 任务分解表 attached) turned
        assert sorted((round(p.width / MM), round(p.height / MM))) == [210, 297]
    portrait = [p for p in ps if p.height > p.width]
    body = [ln for p in portrait[2:-1] for ln in p.body_lines]
    left = min(ln.x0 for ln in body) / MM
    right = max(c.x1 for ln in body for c in ln.chars if c.text not in check.NO_LINE_START) / MM
    assert abs(left - 28) <= 1
    assert abs(right - 184) <= 1
    first_tops = [p.body_lines[0].top / MM for p in portrait[3:-1] if p.body_lines]
    assert all(37 <= t <= 41.6 for t in first_tops), first_tops  # glyph top inside the first grid line


def test_full_pages_carry_22_lines_at_the_grid_pitch(out: Path) -> None:
    ps = [p for p in pages(out, ZAO) if p.height > p.width]  # the portrait pages; the table has its own rules
    full = [p for p in ps if check.is_full_page(p, ps, 184 * MM)]  # text flows on to the next page
    assert len(full) >= 3
    assert sum(len(p.body_lines) == 22 for p in ps) >= 5
    assert max(len(p.body_lines) for p in ps) == 22
    for p in full:
        assert len(p.body_lines) == 22, (p.number, len(p.body_lines))
        tops = [ln.bottom for ln in p.body_lines]
        pitches = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
        assert pitches <= {28.9, 29.0, 28.95}, pitches


def test_full_lines_carry_28_characters(out: Path) -> None:
    """Lines of Chinese text fill exactly 28 cells (indent included); a hanging closing mark is extra."""
    right = 184 * MM
    counted = 0
    for p in pages(out, ZAO):
        lines = [ln for ln in p.body_lines if abs(ln.size - 16) < 0.5]
        for ln, nxt in itertools.pairwise(lines):
            if ln.x1 < right - 10 or any(c.text.isascii() for c in ln.chars):
                continue
            if len(check.leading_unit(nxt)) > 1:
                continue  # a number, or a character kept with its closing mark (避头尾), moved down whole
            chars = ln.chars[:-1] if check.hanging(ln, right) else ln.chars
            indent = round((ln.x0 - 28 * MM) / pdfread.CELL_PT)
            assert len(chars) + indent == 28, (p.number, ln.text)
            counted += 1
    assert counted > 40


def test_cjk_punctuation_stays_in_the_cjk_face(out: Path) -> None:
    for p in pages(out, ZAO):
        for ln in p.lines:
            for c in ln.chars:
                if c.text in "“”‘’—…、，。：；（）《》":
                    assert c.font.startswith(("Fandol", "NotoSerifCJK")), (c.text, c.font)
                    assert abs((c.x1 - c.x0) - c.size) < 0.1, (c.text, c.x1 - c.x0)


def test_fonts_by_role(out: Path) -> None:
    ps = pages(out, ZAO)
    first = ps[0]
    mark = first.lines[0]
    assert mark.text == "枣庄高新区安全生产委员会文件"
    assert all(c.color is not None and c.color[0] > 0.9 and c.color[1] < 0.1 for c in mark.chars)
    assert mark.chars[0].font.startswith("NotoSerifCJK")
    title = next(ln for ln in first.lines if ln.text.startswith("关于印发"))
    assert abs(title.size - 22) < 0.1 and title.chars[0].font.startswith("NotoSerifCJK")
    number = next(ln for ln in first.lines if "〔2020〕" in ln.text)
    assert number.text == "枣高安发〔2020〕7号" and number.chars[0].font.startswith("FandolFang")
    lines = [ln for p in ps for ln in p.lines]
    h1 = next(ln for ln in lines if ln.text == "一、总体要求")
    assert h1.chars[0].font.startswith("FandolHei")
    h2 = next(ln for ln in lines if ln.text.startswith("（一）学习宣传"))
    assert h2.chars[0].font.startswith("FandolKai")
    label = next(ln for ln in lines if ln.text == "附件1")
    assert label.chars[0].font.startswith("FandolHei")


def test_attachment_starts_a_page_with_label_on_line_1_and_title_on_line_3(out: Path) -> None:
    ps = pages(out, ZAO)
    page = next(p for p in ps if p.body_lines and p.body_lines[0].text == "附件1")
    label, title = page.body_lines[0], page.body_lines[1]
    assert abs(label.x0 / MM - 28) < 0.5
    line_of = round((title.top - label.top) / pdfread.LINE_PT)
    assert line_of == 2 and title.text.startswith("枣庄高新区安全生产专项整治")
    assert abs((title.x0 + title.x1) / 2 / MM - 106) < 2  # centred on the 版心


def test_page_numbers(out: Path) -> None:
    ps = pages(out, ZAO)
    # the 版记 page (even): unnumbered only after a blank page, which is unnumbered too (7.5)
    blank = not ps[-2].lines
    assert len(ps) % 2 == 0
    assert (not ps[-1].footer_lines and not ps[-2].footer_lines) if blank else check._page_number(ps[-1]) is not None
    for p in ps[:-2] if blank else ps:
        if p.width > p.height:
            assert check._turned_number(p) is not None  # landscape table pages: clause 8, tested there
            continue
        foot = p.footer_lines
        assert len(foot) == 1, p.number
        ln = foot[0]
        assert re.sub(r"\s", "", ln.text) == f"—{p.number}—"
        dash, digits_start = ln.chars[0], ln.chars[1]
        assert digits_start.x0 - dash.x1 > 2  # a half-width space between dash and number
        assert abs(ln.size - 14) < 0.1 and ln.chars[0].font.startswith("FandolSong")
        assert 6 <= ln.top / MM - 262 <= 8
        if p.number % 2:
            assert abs(ln.x1 / MM - (184 - 14 / MM)) < 1
        else:
            assert abs(ln.x0 / MM - (28 + 14 / MM)) < 1


def test_colophon_on_an_even_last_page(out: Path) -> None:
    for plan in (ZAO, PING):
        ps = pages(out, plan)
        assert len(ps) % 2 == 0
        last = ps[-1]
        texts = [ln.text for ln in last.lines]
        assert any(t.startswith("抄送：") and t.endswith("。") for t in texts)
        assert any(t.endswith("印发") for t in texts)
        rules = sorted(last.rules, key=lambda r: r.y)
        assert len(rules) == 3
        assert abs(rules[-1].y / MM - 262) <= 1.5
        assert rules[0].width > rules[1].width < rules[2].width  # thick, thin, thick
        assert all(not any(ln.text.endswith("印发") for ln in p.lines) for p in ps[:-1])


def test_signature_and_date_with_and_without_seal(out: Path) -> None:
    char = 156 / 28
    zao = [ln for p in pages(out, ZAO) for ln in p.lines]
    date = next(ln for ln in zao if ln.text == "2020年6月23日")
    sig = next(ln for ln in zao if ln.text == "枣庄高新区安全生产委员会")
    assert abs(date.x1 / MM - (184 - 4 * char)) < 1.5           # 成文日期 right-indented 4 characters
    assert abs((sig.x0 + sig.x1) / 2 - (date.x0 + date.x1) / 2) / MM < 2.5   # 署名 centred on it
    ping = [ln for p in pages(out, PING) for ln in p.lines]
    sig = next(ln for ln in ping if ln.text == "平利县安全生产委员会")
    date = next(ln for ln in ping if ln.text == "2020年7月10日")
    assert abs(sig.x1 / MM - (184 - 2 * char)) < 1.5            # 署名 right-indented 2 characters
    assert abs(date.x0 / MM - (sig.x0 / MM + 2 * char)) < 1.5   # date starts 2 characters further right


def test_plan_as_body_has_no_attachment_label(out: Path) -> None:
    lines = [ln.text for p in pages(out, PING) for ln in p.lines]
    assert "附件" not in lines
    assert not any(t.startswith("附件：") for t in lines)
    assert "平利县安全生产专项整治三年行动实施方案" in lines


def test_tasks_and_phases_are_written_as_plans_write_them(out: Path) -> None:
    text = "".join(ln.text for p in pages(out, ZAO) for ln in p.lines)
    assert "（区应急管理局牵头，区化工专项行动办、区经济发展局、区公安分局、区生态环境分局、" in text
    assert "（区公安分局牵头负责）" in text
    assert "（一）动员部署（2020年6月）。" in text
    assert "（二）排查整治（2020年7月至12月）。" in text
    assert "（三）集中攻坚（2021年）。" in text
    assert "2020年6月30日前完成" in text
    ping = "".join(ln.text for p in pages(out, PING) for ln in p.lines)
    assert "（县城市管理执法局牵头，县住房和城乡建设局、县公安局、县市场监督管理局按职责分工负责）" in ping
    assert "（县应急管理局牵头，县级各有关部门按职责分工负责）" in ping


def test_docx_page_setup_fonts_and_grid(out: Path) -> None:
    data = (out / ZAO / "notice.docx").read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    doc = etree.fromstring(package.read("word/document.xml"))
    sect = doc.find(f".//{W}sectPr")
    assert sect is not None
    size, margins, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert [int(margins.get(f"{W}{k}")) for k in ("top", "left", "bottom", "right")] == [2098, 1587, 1984, 1474]
    assert grid.get(f"{W}linePitch") == "579"
    runs = [r for r in doc.iter(f"{W}r") if r.find(f"{W}t") is not None]
    faces = set()
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia") and fonts.get(f"{W}hint") == "eastAsia"
        faces.add(fonts.get(f"{W}eastAsia"))
    assert faces == {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"}
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    styles = etree.fromstring(package.read("word/styles.xml"))
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert default.find(f"{W}sz").get(f"{W}val") == "32"
    assert default.find(f"{W}rFonts").get(f"{W}eastAsiaTheme") is None  # a theme font would override ours


def test_docx_package_is_well_formed(out: Path) -> None:
    """Every part parses, every relationship target exists, every part has a content type."""
    data = (out / ZAO / "notice.docx").read_bytes()
    package = zipfile.ZipFile(io.BytesIO(data))
    names = set(package.namelist())
    types = etree.fromstring(package.read("[Content_Types].xml"))
    overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
    defaults = {d.get("Extension") for d in types if d.get("Extension")}
    for name in names:
        if name.endswith((".xml", ".rels")):
            etree.fromstring(package.read(name))
        if not name.endswith("/"):
            assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    for rels in (n for n in names if n.endswith(".rels")):
        base = rels.replace("_rels/", "").removesuffix(".rels")
        folder = base.rsplit("/", 1)[0] if "/" in base else ""
        for rel in etree.fromstring(package.read(rels)):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target").lstrip("/")
            path = target if rel.get("Target").startswith("/") else (f"{folder}/{target}" if folder else target)
            parts = []
            for piece in path.split("/"):
                if piece == "..":
                    parts.pop()
                else:
                    parts.append(piece)
            assert "/".join(parts) in names, (rels, target)
    Document(io.BytesIO(data))  # python-docx opens it


def test_same_input_same_bytes(out: Path, tmp_path: Path) -> None:
    workspace, _ = load.load([PLANS])
    report = build.build(workspace, tmp_path)
    assert report.ok
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.name != build.MANIFEST)
    assert len(files) >= 16  # DOCX + PDF of 6 documents, tasks.xlsx and summary.md of the plans
    for name in files:
        a = hashlib.sha256((out / name).read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert a == b, f"{name} differs between two builds"


def test_pdf_metadata(out: Path) -> None:
    from pypdf import PdfReader
    meta = PdfReader(out / ZAO / "notice.pdf").metadata
    assert meta is not None
    assert meta.title == "关于印发《枣庄高新区安全生产专项整治三年行动方案》的通知"
    assert meta.author == "枣庄高新区安全生产委员会"
    assert meta.subject == "枣庄高新区安全生产专项整治三年行动方案"
    assert meta["/CreationDate"].startswith("D:20200623")


def test_no_partial_files_are_left(out: Path) -> None:
    leftovers = [p for p in out.rglob("*") if p.name != build.MANIFEST and (p.name.startswith(".")
                                                                            or p.suffix == ".part")]
    assert leftovers == []


def test_repo_has_no_output_committed() -> None:
    assert "/output/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_signature_never_stands_on_a_page_without_body_text(out: Path) -> None:
    """The sub-plan's short notice only fits with tighter lines: 署名 stays on page 1 with the body."""
    ps = pages(out, HAZ)
    assert check.signature_alone(ps) is None
    first = [ln.text for ln in ps[0].lines]
    assert "枣庄高新区安全生产委员会" in first and "2020年6月28日" in first
    assert any(t.startswith("现将《") for t in first)


def test_fonts_are_embedded(out: Path) -> None:
    from pypdf import PdfReader
    reader = PdfReader(out / ZAO / "notice.pdf")
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            seen.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert {"FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Regular"} <= seen
