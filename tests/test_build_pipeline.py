"""Building many documents: incremental, parallel, sharded, robust against LibreOffice failures."""

from __future__ import annotations

import shutil
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator import build, convert, layout, load, pdfread, placement
from generator.errors import ConvertError
from generator.render import docx as render

from conftest import PLANS


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    shutil.copytree(PLANS, root)
    return root


def _build(root: Path, out: Path, **kw) -> build.Report:  # type: ignore[no-untyped-def]
    workspace, problems = load.load([root])
    assert problems == []
    return build.build(workspace, out, **kw)


def test_no_change_rebuild_converts_nothing_and_an_edit_rebuilds_only_its_plan(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    workspace, _ = load.load([plans])
    names = sorted(j.name for j in build.jobs(workspace))
    first = _build(plans, out, workers=2)
    # one conversion each: the 版记's place (after a bound 任务分解表 too) was counted right at once;
    # a 简报 is measured once and set again with its 报/送/发 lines at the foot of its last page
    bulletins = [j for j in build.jobs(workspace) if j.layout.head and j.layout.head.variant == "bulletin"]
    assert bulletins
    assert first.ok and sorted(first.built) == names and first.conversions == len(names) + len(bulletins)
    ledger = out / "zaozhuang-gxq-2020" / "tasks.xlsx"
    stamp = ledger.stat().st_mtime_ns
    again = _build(plans, out, workers=2)
    assert again.built == [] and sorted(again.skipped) == names and again.conversions == 0 and again.tables == []
    assert ledger.stat().st_mtime_ns == stamp  # not even made again in memory: its inputs did not change

    plan = plans / "pingli-2020" / "plan.yaml"
    plan.touch()  # a new time stamp alone changes nothing
    assert _build(plans, out).conversions == 0
    plan.write_text(plan.read_text(encoding="utf-8").replace("联席会议，分析形势", "联席会议，研判形势"),
                    encoding="utf-8")
    edited = _build(plans, out, workers=2)
    # the notice carries the plan as its body; the plan also stands on its own (kind: plan); the
    # roadmap is drawn from the whole plan, so it is drawn again (its key is the plan, to be safe)
    changed = ["pingli-2020/notice", "pingli-2020/plan", "pingli-2020/roadmap"]
    assert sorted(edited.built) == changed
    assert sorted(edited.skipped) == [n for n in names if n not in changed]
    text = "".join(ln.text for p in pdfread.read((out / "pingli-2020" / "notice.pdf").read_bytes()) for ln in p.lines)
    assert "研判形势" in text


def test_a_damaged_output_file_is_rebuilt(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _build(plans, out, workers=1).ok
    (out / "pingli-2020" / "notice.pdf").write_bytes(b"%PDF-1.4 truncated")
    again = _build(plans, out, workers=1)
    assert again.built == ["pingli-2020/notice"]
    assert len(pdfread.read((out / "pingli-2020" / "notice.pdf").read_bytes())) >= 2


def test_shards_partition_the_documents(plans: Path) -> None:
    workspace, _ = load.load([plans])
    jobs = build.jobs(workspace)
    parts = [build.shard_of(jobs, (i, 2)) for i in (1, 2)]
    names = [j.name for part in parts for j in part]
    assert sorted(names) == sorted(j.name for j in jobs) and len(set(names)) == len(names)
    assert build.shard_of(jobs, (1, 2)) == build.shard_of(jobs, (1, 2))  # deterministic


def test_shard_option_is_checked(run_cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        run_cli("build", "--shard", "3/2")


def _small_docs(n: int) -> list[tuple[str, bytes]]:
    docs = []
    for i in range(n):
        lay = layout.Layout(doc_id=f"d{i}", title="t", author="a", subject="s", date="2020年1月1日", head=None,
                            blocks=[layout.block("body", f"第{i + 1}份测试文件。" * 20)])
        docs.append((f"doc{i}", render.render(lay, None)))
    return docs


def test_parallel_conversion_of_eight_documents() -> None:
    docs = _small_docs(8)
    with convert.Pool(2) as pool, ThreadPoolExecutor(max_workers=2) as ex:
        pdfs = list(ex.map(lambda d: pool.convert(d[1], d[0]), docs))
    assert len(pdfs) == 8
    for i, pdf in enumerate(pdfs):
        assert pdf.startswith(b"%PDF")
        text = "".join(ln.text for p in pdfread.read(pdf) for ln in p.lines)
        assert f"第{i + 1}份测试文件。" in text  # each PDF is its own document, not a neighbour's


def _fake_worker(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake_worker.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return script


def test_a_hung_conversion_is_killed_and_retried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _fake_worker(tmp_path, """
        import json, sys, time
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            time.sleep(3600)
    """)
    monkeypatch.setattr(convert, "WORKER", script)
    with convert.Pool(1, timeout=1) as pool, pytest.raises(ConvertError) as err:
        pool.convert(b"whatever", "plan/doc")
    assert str(err.value) == "plan/doc: could not convert to PDF (LibreOffice did not finish within 1 s, twice)"


def test_a_crashed_worker_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "crashed-once"
    script = _fake_worker(tmp_path, f"""
        import json, os, sys
        print(json.dumps({{"ready": True}}), flush=True)
        for line in sys.stdin:
            job = json.loads(line)
            if not os.path.exists({str(marker)!r}):
                open({str(marker)!r}, "w").close()
                os._exit(1)
            open(job["out"], "wb").write(b"%PDF-1.4 from the replacement worker")
            print(json.dumps({{"in": job["in"], "ok": True}}), flush=True)
    """)
    monkeypatch.setattr(convert, "WORKER", script)
    with convert.Pool(1, timeout=30) as pool:
        assert pool.convert(b"docx", "plan/doc") == b"%PDF-1.4 from the replacement worker"


def test_a_failed_conversion_writes_no_output(plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, docx: bytes, name: str) -> bytes:  # type: ignore[no-untyped-def]
        raise ConvertError(f"{name}: could not convert to PDF (simulated)")
    monkeypatch.setattr(convert.Pool, "convert", broken)
    out = tmp_path / "out"
    report = _build(plans, out, workers=1)
    workspace, _ = load.load([plans])
    assert not report.ok and len(report.failed) == len(build.jobs(workspace))
    assert "pingli-2020/notice: could not convert to PDF (simulated)" in report.failed
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.docx"))


def test_pdf_bytes_do_not_depend_on_what_the_worker_converted_before() -> None:
    """LibreOffice numbers font subsets per process; finish() makes the names and ids stable."""
    from generator import finish
    workspace, _ = load.load([PLANS])
    first, second = [j for j in build.jobs(workspace) if j.plan_id == "pingli-2020"][:2]
    docx = render.render(first.layout, placement.estimate_placement(first.layout))
    with convert.Pool(1) as pool:
        alone = finish.finish(pool.convert(docx, "a"), first.layout)
        pool.convert(render.render(second.layout, None), "something else first")
        after = finish.finish(pool.convert(docx, "a"), first.layout)
    assert alone == after
    text = "".join(ln.text for p in pdfread.read(after) for ln in p.lines)
    assert "平利县安全生产委员会文件" in text


def test_missing_stand_in_fonts_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "DEFAULT_FONTS", tmp_path / "no-fonts")
    monkeypatch.setattr(convert, "_COVERAGE", {})
    warnings = build.font_warnings(None)
    assert any(w.startswith("仿宋_GB2312 resolves to ") and "not to FandolFang" in w for w in warnings)
    monkeypatch.undo()
    monkeypatch.setattr(convert, "_COVERAGE", {})
    assert build.font_warnings(None) == []
