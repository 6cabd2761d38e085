"""Every DOCX fawen writes opens in Word: ISO/IEC 29500 schemas and package checks (generator/ooxml.py).

LibreOffice, which makes the PDFs, opens almost anything, so the other tests cannot see what makes
Word refuse a file or offer to repair it; these validate one DOCX of each kind fawen writes and show
that the validator (and `fawen check`) names what Word would object to.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from test_diff import redline_edits, trees  # noqa: F401  (a fixture)
from test_render_cases import _head_template, _mutate_docx, _plan_dir

from generator import build, check, load, ooxml

from conftest import PLANS

ZAO = "zaozhuang-gxq-2020"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of the example plans, DOCX only (the schemas look at nothing else)."""
    workspace, problems = load.load([PLANS])
    assert problems == []
    target = tmp_path_factory.mktemp("ooxml")
    report = build.build(workspace, target, pdf=False)
    assert report.ok, report.lines()
    return target


@pytest.mark.parametrize("doc", [
    "pingli-2020/notice",                 # the plan as the notice's body
    f"{ZAO}-hazchem/notice",              # the plan as its attachment
    f"{ZAO}/notice",                      # plan attached, the 任务分解表 bound (append: [task-table])
    f"{ZAO}/task-table",                  # 任务分解表: landscape, turned page numbers in text boxes
    f"{ZAO}/duties",                      # 责任清单
    f"{ZAO}/duties-gx-kjj",               # 责任清单, one department's file
    f"{ZAO}/roadmap",                     # 路线图: a picture
])
def test_every_document_kind_is_valid(built: Path, doc: str) -> None:
    data = (built / f"{doc}.docx").read_bytes()
    assert ooxml.validate_docx(data) == []
    assert check.audit_docx(data) == []


def test_the_kinds_hold_what_makes_them_different(built: Path) -> None:
    """The parametrized test above covers tables, text boxes and pictures, not just plain text."""
    notice = zipfile.ZipFile(built / ZAO / "notice.docx")
    assert b"<w:tbl>" in notice.read("word/document.xml")
    assert any(b"mc:AlternateContent" in notice.read(n) for n in notice.namelist() if n.startswith("word/footer"))
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(built / ZAO / "roadmap.docx").namelist())


@pytest.mark.parametrize("variant", ["joint", "head-template", "signer"])
def test_every_head_is_valid(tmp_path: Path, variant: str) -> None:
    """联合行文 (a table of organs), an office's own docxtpl head, and 份号/密级/紧急/签发人."""
    code, name, seal = "  code: 平安委发\n", "  name: 平利县安全生产委员会\n", "    seal: false\n"
    edits: dict[str, Callable[[str], str]] = {
        "joint": lambda t: t.replace(code, code + "  joint: [平利县应急管理局, 平利县住房和城乡建设局]\n")
        .replace(name, name + "  mark: 平利县安全生产委员会文件\n"),
        "head-template": lambda t: t.replace(code, code + "  head_template: head.docx\n"),
        "signer": lambda t: t.replace(seal, seal + "    copy_number: '000001'\n    secrecy: 秘密★1年\n"
                                      "    urgency: 特急\n    signer: 张明\n"),
    }
    root = _plan_dir(tmp_path, edits[variant])
    if variant == "head-template":
        _head_template(root / "pingli-2020" / "head.docx")
    workspace, problems = load.load([root])
    assert problems == []
    assert build.build(workspace, tmp_path / "out", pdf=False).ok
    assert ooxml.validate_docx((tmp_path / "out" / "pingli-2020" / "notice.docx").read_bytes()) == []


def test_the_redline_is_valid(trees: tuple[Path, Path], tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    old, new = trees
    redline_edits(new)
    target = tmp_path / "redline.docx"
    status, _out, err = run_cli("diff", str(old), str(new), "--format", "docx", "-o", str(target))
    assert status == 0, err
    data = target.read_bytes()
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert ooxml.validate_docx(data) == []


# ---------------------------------------------------------------- what the validator catches

def _with_part(data: bytes, name: str, blob: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr(name, blob)
    return out.getvalue()


def _broken(good: bytes) -> bytes:
    """tblPr children out of schema order, a relationship to a missing part, a part without a
    content type, an r:id that names no relationship."""
    bad = _mutate_docx(good, "word/document.xml", lambda s: re.sub(
        r"(<w:tblPr>)(<w:tblW [^>]*/>)(<w:jc [^>]*/>)", r"\1\3\2", s, count=1))
    bad = _mutate_docx(bad, "word/_rels/document.xml.rels", lambda s: s.replace("</Relationships>", (
        '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="media/gone.png"/></Relationships>')))
    bad = _mutate_docx(bad, "word/footer1.xml",
                       lambda s: s.replace("</w:pPr>", '</w:pPr><w:hyperlink r:id="rId77"/>', 1))
    return _with_part(bad, "word/notes/extra.bin", b"\0")


@pytest.fixture(scope="module")
def good(built: Path) -> bytes:
    return (built / "pingli-2020" / "notice.docx").read_bytes()


def test_broken_packages_are_named_part_by_part(good: bytes) -> None:
    findings = ooxml.validate_docx(_broken(good))
    assert len(findings) == 4, findings
    tbl, dangling, no_type, no_rel = sorted(findings, key=lambda f: ("w:tblW" not in f, "gone" not in f,
                                                                       "content type" not in f))
    assert tbl.startswith("word/document.xml line ") and "/w:tblPr/w:tblW: Element 'w:tblW'" in tbl
    assert tbl.endswith("(schema)")
    assert dangling == ("word/_rels/document.xml.rels: relationship rId90 (image) targets word/media/gone.png, "
                        "which is not in the package (package)")
    assert no_type.startswith("word/notes/extra.bin: no content type")
    assert no_rel == ("word/footer1.xml: refers to relationship rId77, which word/_rels/footer1.xml.rels "
                      "does not define (package)")


def test_settings_out_of_order_and_damaged_parts(good: bytes) -> None:
    late = _mutate_docx(good, "word/settings.xml", lambda s: s.replace("<w:evenAndOddHeaders/>", "").replace(
        "</w:settings>", "<w:evenAndOddHeaders/></w:settings>"))
    assert [f.split(": ", 1)[1] for f in ooxml.validate_docx(late)] == [
        "Element 'w:evenAndOddHeaders': This element is not expected. (schema)"]
    damaged = _mutate_docx(good, "_rels/.rels", lambda s: s.replace("</Relationships>", ""))
    assert any(f.startswith("_rels/.rels: not well-formed XML") for f in ooxml.validate_docx(damaged))
    no_types = zipfile.ZipFile(io.BytesIO(good))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as z:
        for name in no_types.namelist():
            if name != "[Content_Types].xml":
                z.writestr(name, no_types.read(name))
    assert ooxml.validate_docx(stripped.getvalue())[0].startswith("[Content_Types].xml is missing")
    assert ooxml.validate_docx(b"not a zip") == ["not a ZIP package: File is not a zip file"]


def test_markup_compatibility_is_applied_before_the_schemas(good: bytes) -> None:
    """Word's own additions in ignorable namespaces pass; an mc:AlternateContent is read as its
    first understood choice (the VML fallback here), and what is not ignorable is still checked."""
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    word_like = _mutate_docx(good, "word/document.xml", lambda s: re.sub(
        "<w:p>(<w:pPr>.*?</w:pPr>)", r'<w:p w14:paraId="1A2B3C4D">\1<w:r><mc:AlternateContent>'
        '<mc:Choice Requires="w14"><w14:unknown/></mc:Choice><mc:Fallback><w:t>x</w:t></mc:Fallback>'
        "</mc:AlternateContent></w:r>", s, count=1))
    assert w14 in zipfile.ZipFile(io.BytesIO(word_like)).read("word/document.xml").decode()
    assert ooxml.validate_docx(word_like) == []
    wrong_fallback = _mutate_docx(word_like, "word/document.xml", lambda s: s.replace(
        "<w:t>x</w:t>", "<w:bogus/>"))
    assert any("Element 'w:bogus'" in f for f in ooxml.validate_docx(wrong_fallback))
    must = _mutate_docx(good, "word/document.xml", lambda s: s.replace(
        'mc:Ignorable="', 'mc:MustUnderstand="w14" mc:Ignorable="', 1))
    assert any("mc:MustUnderstand names http://schemas.microsoft.com/office/word/2010/wordml" in f
               for f in ooxml.validate_docx(must))


def test_python_docx_zoom_is_the_only_tolerance(good: bytes) -> None:
    """<w:zoom w:val="bestFit"/> without w:percent comes from the template Word wrote; any other
    zoom error is reported. The schemas are compiled once for the whole run."""
    assert b'<w:zoom w:val="bestFit"/>' in zipfile.ZipFile(io.BytesIO(good)).read("word/settings.xml")
    bad = _mutate_docx(good, "word/settings.xml", lambda s: s.replace('w:val="bestFit"', 'w:val="best"'))
    assert any("w:zoom" in f for f in ooxml.validate_docx(bad))
    assert ooxml._schema.cache_info().misses == 1


def test_check_command_names_the_findings(tmp_path: Path, good: bytes, run_cli) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(_broken(good))
    status, _out, err = run_cli("check", str(broken))
    assert status == 1
    assert f"{broken}: word/document.xml line " in err and "Element 'w:tblW'" in err
    assert "rId90 (image) targets word/media/gone.png" in err
    assert "word/notes/extra.bin: no content type" in err
    assert "refers to relationship rId77" in err


def test_the_build_refuses_a_docx_word_would_repair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every DOCX is validated as it is built (beside its conversion): a renderer that put a
    table's properties out of order fails its document, loudly and without output."""
    from generator.render import docx as docx_render
    original = docx_render.render

    def disordered(*args: object, **kwargs: object) -> bytes:
        data = original(*args, **kwargs)  # type: ignore[arg-type]
        return _mutate_docx(data, "word/document.xml", lambda s: re.sub(
            r"(<w:tblW [^>]*/>)(<w:jc [^>]*/>)", r"\2\1", s, count=1))

    monkeypatch.setattr(docx_render, "render", disordered)
    workspace, problems = load.load([PLANS / "pingli-2020"])
    assert problems == []
    report = build.build(workspace, tmp_path, workers=1)
    # every document of the plan has a table (the 版记); the notice is the one looked at here
    failed = next(f for f in report.failed if f.startswith("pingli-2020/notice:"))
    assert failed.startswith("pingli-2020/notice: the DOCX breaks the ISO/IEC 29500 schemas (Word would repair it): "
                             "word/document.xml")
    assert "w:tblW" in failed or "w:jc" in failed
    assert not (tmp_path / "pingli-2020" / "notice.docx").exists()
    assert not (tmp_path / "pingli-2020" / "notice.pdf").exists()
