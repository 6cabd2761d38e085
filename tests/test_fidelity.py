"""Nothing lost between DOCX and PDF: every character of the DOCX reaches the PDF's text layer.

LibreOffice used to drop a 、，。 that should hang after a full 28-character line. The corpus
below puts every closing mark at every column around the line end, with and without
half-width digits before it, converts it for real, and counts what arrives.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator import build, check, convert, fidelity, layout, load, pdfread
from generator.render import docx as render

from conftest import PLANS

HAN = "安全生产专项整治三年行动计划实施方案工作要求统筹发展和推进落实责任体系建设重点行业领域隐患排查治理"
MARKS = "，。、；：？！）》」』”’"
DIGITS = ("", "7", "30", "2021", "12345", "2021年6月30")


def corpus() -> list[str]:
    """Paragraphs whose second line puts a closing mark at grid column 26…29, after pure
    Chinese or after half-width digits (at the start of the line or right before the mark)."""
    out = []
    k = 0
    for mark in MARKS:
        for column in (26, 27, 28, 29):
            for digits in DIGITS:
                width = len(digits) * 0.5 if digits.isdigit() else 4.5  # 2021年6月30: 6 digits, 2 CJK
                n = int(column - 1 - width)
                k += 1
                first = (HAN * 3)[k % 13: k % 13 + 26]  # fills line 1 after the 2-character indent
                filler = (HAN * 3)[k % 17: k % 17 + n]
                out.append(first + digits + filler + mark + "推进落实责任体系建设工作要求。")
                out.append(first + filler + digits + mark + "统筹推进落实工作。")
    return out


def _docx(paragraphs: list[str]) -> bytes:
    lay = layout.Layout(doc_id="corpus", title="corpus", author="fawen", subject="corpus", date="2020年1月1日",
                        head=None, blocks=[layout.block("body", p) for p in paragraphs])
    return render.render(lay, None)


@pytest.fixture(scope="module")
def converted() -> tuple[bytes, list[pdfread.Page]]:
    docx = _docx(corpus())
    pdf = convert.to_pdf(docx, "corpus")
    return docx, pdfread.read(pdf)


def test_the_corpus_has_hundreds_of_line_ends() -> None:
    paragraphs = corpus()
    assert len(paragraphs) >= 600
    for mark in MARKS:
        assert sum(mark in p for p in paragraphs) >= 40


def test_no_character_of_the_corpus_is_lost(converted: tuple[bytes, list[pdfread.Page]]) -> None:
    docx, pages = converted
    assert fidelity.losses(docx, pages) == []
    # counted independently of fidelity.py: every closing mark, every digit, every character
    source = re.sub(r"\s", "", "".join(corpus()))
    printed = "".join(c.text for p in pages for ln in p.body_lines for c in ln.chars if not c.text.isspace())
    for ch in set(source):
        assert printed.count(ch) == source.count(ch), ch


def test_the_corpus_keeps_28_character_lines_and_line_rules(converted: tuple[bytes, list[pdfread.Page]]) -> None:
    """No mark hangs past the edge, a full line holds 28 characters, and a line ends early
    only where 避头尾 or an unbreakable number forced the break (the audit's grid rules)."""
    _, pages = converted
    assert check.audit_pages(pages, official=False) == []
    right = (pdfread.LEFT_MM + pdfread.BODY_W_MM) * pdfread.MM
    lines = [ln for p in pages for ln in p.body_lines]
    assert all(ln.chars[-1].x0 < right for ln in lines)  # nothing set past the right edge
    full = [ln for ln in lines if ln.x0 < 82 and ln.chars[-1].x1 > right - 2 and not re.search(r"[0-9]", ln.text)]
    # fewer than 28 only where a character went down with its marks (the audit above agrees)
    assert all(len(ln.text) <= 28 for ln in full)
    assert sum(len(ln.text) == 28 for ln in full) > 0.6 * len(full)


def test_a_lost_character_is_named_with_page_and_context(converted: tuple[bytes, list[pdfread.Page]]) -> None:
    _, pages = converted
    paragraphs = corpus()
    # the DOCX now says one more thing than the PDF printed: a comma inside the 5th paragraph
    target = paragraphs[4]
    doctored = _docx([*paragraphs[:4], target[:10] + "，" + target[10:], *paragraphs[5:]])
    lost = fidelity.losses(doctored, pages)
    assert len(lost) == 1
    assert lost[0].text == "，" and lost[0].page == 1
    assert str(lost[0]) == f"page 1: “，” is missing: …{target[4:10]}[，]{target[10:16]}…"


def test_the_build_fails_naming_the_document_and_leaves_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    original = convert.Pool.convert

    def lossy(self: convert.Pool, docx: bytes, name: str) -> bytes:
        if name != "pingli-2020/notice":
            return original(self, docx, name)
        package = zipfile.ZipFile(io.BytesIO(docx))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info in package.infolist():
                data = package.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data.replace("，".encode(), b"", 1)  # LibreOffice "drops" the first comma
                z.writestr(info, data)
        return original(self, out.getvalue(), name)

    monkeypatch.setattr(convert.Pool, "convert", lossy)
    workspace, problems = load.load([plans / "pingli-2020"])
    assert problems == []
    target = tmp_path / "out"
    (target / "pingli-2020").mkdir(parents=True)
    (target / "pingli-2020" / "notice.pdf").write_bytes(b"%PDF stale from an earlier build")
    report = build.build(workspace, target, workers=1)
    assert not report.ok
    [message] = [f for f in report.failed if f.startswith("pingli-2020/notice")]
    assert "the PDF lost 1 piece(s) of the DOCX's text: page 1: “，” is missing: …" in message
    assert re.search(r"…[^…]+\[，][^…]+…", message)
    assert not (target / "pingli-2020" / "notice.pdf").exists()
    assert not (target / "pingli-2020" / "notice.docx").exists()


def test_check_names_lost_text_when_the_docx_sits_beside_the_pdf(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    paragraphs = ["现将有关事项通知如下，请认真贯彻执行。", "各单位要加强组织领导，确保取得实效。"]
    docx = _docx(paragraphs)
    pdf = convert.to_pdf(docx, "check")
    (tmp_path / "a.pdf").write_bytes(pdf)
    (tmp_path / "a.docx").write_bytes(_docx([paragraphs[0], "各单位要加强组织领导，确保取得实效和进展。"]))
    status, _out, err = run_cli("check", "--plain", str(tmp_path / "a.pdf"))
    assert status == 1
    assert "page 1: “和进展” is missing: …确保取得实效[和进展]。… — text of a.docx missing from the PDF" in err
    (tmp_path / "a.docx").write_bytes(docx)
    status, out, err = run_cli("check", "--plain", str(tmp_path / "a.pdf"))
    assert status == 0 and "every character of a.docx" in out and not err
